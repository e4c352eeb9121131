import type { MutationResolvers } from '../../src/__generated__/graphql.js';
import { submitClaim as run } from '../../src/mutations/submit-claim.js';

/** Mutation.submitClaim: the claim with its status and the totals computed from the input. */
export const submitClaim: NonNullable<MutationResolvers['submitClaim']> = (_parent, { input }, ctx) => run(ctx, input);
