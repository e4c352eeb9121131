import type { LocationResolvers } from '../src/__generated__/graphql.js';
import { toGlobalId } from '../src/ids.js';
import { connectionOf } from '../src/pagination.js';

/** Location: the fields the canonical model lacks or names differently, and its relations. */
export const Location: LocationResolvers = {
  id: (location, _args, context) => toGlobalId('Location', location.ref, context.principal.tenant),
  source: (location) => location.ref,
  isActive: (location) => location.active,
  customer: (location, _args, { loaders }) => (location.customerRef ? loaders.customer.load(location.customerRef) : null),
  equipment: (location, args, { loaders }) => connectionOf(args, () => loaders.related('equipment', 'location').load(location.ref)),
  workOrders: (location, args, { loaders }) => connectionOf(args, () => loaders.related('workOrder', 'location').load(location.ref)),
};
