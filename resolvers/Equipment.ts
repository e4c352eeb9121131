import type { EquipmentResolvers } from '../src/__generated__/graphql.js';
import { unifiedId, unifiedRelation, unifiedScalar, unifiedSource, unifiedSources } from '../src/unified.js';

/**
 * Equipment: one node per real-world unit, whichever system's record it came in as. Scalars come
 * from its member records by precedence; relationships hold every member's records.
 */
export const Equipment: EquipmentResolvers = {
  id: (unit, _args, ctx) => unifiedId(ctx, 'equipment', unit),
  source: (unit, _args, ctx) => unifiedSource(ctx, 'equipment', unit),
  sources: (unit, _args, ctx) => unifiedSources(ctx, 'equipment', unit),
  name: (unit, _args, ctx) => unifiedScalar(ctx, 'equipment', unit, 'name'),
  type: (unit, _args, ctx) => unifiedScalar(ctx, 'equipment', unit, 'type'),
  manufacturer: (unit, _args, ctx) => unifiedScalar(ctx, 'equipment', unit, 'manufacturer'),
  model: (unit, _args, ctx) => unifiedScalar(ctx, 'equipment', unit, 'model'),
  serialNumber: (unit, _args, ctx) => unifiedScalar(ctx, 'equipment', unit, 'serialNumber'),
  installedOn: (unit, _args, ctx) => unifiedScalar(ctx, 'equipment', unit, 'installedOn'),
  warranty: (unit, _args, ctx) => unifiedScalar(ctx, 'equipment', unit, 'warranty'),
  createdAt: (unit, _args, ctx) => unifiedScalar(ctx, 'equipment', unit, 'createdAt'),
  updatedAt: (unit, _args, ctx) => unifiedScalar(ctx, 'equipment', unit, 'updatedAt'),
  location: (unit, _args, { loaders }) => (unit.locationRef ? loaders.location.load(unit.locationRef) : null),
  workOrders: (unit, args, ctx, info) => unifiedRelation(ctx, 'equipment', unit, 'workOrder', args, info),
  claims: (unit, args, ctx, info) => unifiedRelation(ctx, 'equipment', unit, 'claim', args, info),
};
