import type { ClaimResolvers } from '../src/__generated__/graphql.js';
import { toGlobalId } from '../src/ids.js';

/** Claim: the fields the canonical model lacks, and its relations. */
export const Claim: ClaimResolvers = {
  id: (claim, _args, context) => toGlobalId('Claim', claim.ref, context.principal.tenant),
  source: (claim) => claim.ref,
  workOrder: (claim, _args, { loaders }) => loaders.workOrder.load(claim.workOrderRef),
  // A claim names no unit: it is about its work order's (first) unit.
  equipment: async (claim, _args, { loaders }) => {
    const unit = (await loaders.workOrder.load(claim.workOrderRef))?.equipmentRefs[0];
    return unit ? loaders.equipment.load(unit) : null;
  },
};
