import type { MutationResolvers } from '../../src/__generated__/graphql.js';
import { withRecordIds } from '../../src/unified.js';
import { enrollMembership as run } from '../../src/mutations/enroll-membership.js';

/** Mutation.enrollMembership: in the system that holds the customer; the payment token is never returned. */
export const enrollMembership: NonNullable<MutationResolvers['enrollMembership']> = async (_parent, { input }, ctx) => run(ctx, await withRecordIds(ctx, input));
