import type { MutationResolvers } from '../../src/__generated__/graphql.js';
import { linkRecords as run } from '../../src/mutations/link-records.js';

/** Mutation.linkRecords: a person's link across systems, over the rules; admin only. */
export const linkRecords: NonNullable<MutationResolvers['linkRecords']> = (_parent, { input }, ctx) => run(ctx, input);
