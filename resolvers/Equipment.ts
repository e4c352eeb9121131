import type { EquipmentResolvers } from '../src/__generated__/graphql.js';
import { toGlobalId } from '../src/ids.js';
import { connectionOf } from '../src/pagination.js';

/** Equipment: the fields the canonical model lacks, and its relations. */
export const Equipment: EquipmentResolvers = {
  id: (unit, _args, context) => toGlobalId('Equipment', unit.ref, context.principal.tenant),
  source: (unit) => unit.ref,
  location: (unit, _args, { loaders }) => (unit.locationRef ? loaders.location.load(unit.locationRef) : null),
  workOrders: (unit, args, { loaders }) => connectionOf(args, () => loaders.related('workOrder', 'equipment').load(unit.ref)),
  claims: (unit, args, { loaders }) => connectionOf(args, () => loaders.related('claim', 'equipment').load(unit.ref)),
};
