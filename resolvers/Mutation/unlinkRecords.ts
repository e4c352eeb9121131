import type { MutationResolvers } from '../../src/__generated__/graphql.js';
import { unlinkRecords as run } from '../../src/mutations/link-records.js';

/** Mutation.unlinkRecords: a person's decision to keep records apart, over the rules; admin only. */
export const unlinkRecords: NonNullable<MutationResolvers['unlinkRecords']> = (_parent, { input }, ctx) => run(ctx, input);
