import type { MutationResolvers } from '../../src/__generated__/graphql.js';
import { createWorkOrder as run } from '../../src/mutations/create-work-order.js';

/** Mutation.createWorkOrder: refusals come back as `userErrors`; vendor outages as errors with their codes. */
export const createWorkOrder: NonNullable<MutationResolvers['createWorkOrder']> = (_parent, { input }, ctx) => run(ctx, input);
