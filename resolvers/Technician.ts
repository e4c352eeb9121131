import type { TechnicianResolvers } from '../src/__generated__/graphql.js';
import { toGlobalId } from '../src/ids.js';
import { connectionOf } from '../src/pagination.js';

/** Technician: the fields the canonical model lacks or names differently, and its visits. */
export const Technician: TechnicianResolvers = {
  id: (technician, _args, context) => toGlobalId('Technician', technician.ref, context.principal.tenant),
  source: (technician) => technician.ref,
  isActive: (technician) => technician.active,
  appointments: (technician, args, { loaders }) => connectionOf(args, () => loaders.related('appointment', 'technician').load(technician.ref)),
};
