import type { MutationResolvers } from '../../src/__generated__/graphql.js';
import { withRecordIds } from '../../src/unified.js';
import { createWorkOrder as run } from '../../src/mutations/create-work-order.js';

/** Mutation.createWorkOrder: refusals come back as `userErrors`; vendor outages as errors with their codes. A unified customer or unit is written as its record in the target system (or its first). */
export const createWorkOrder: NonNullable<MutationResolvers['createWorkOrder']> = async (_parent, { input }, ctx) => run(ctx, await withRecordIds(ctx, input));
