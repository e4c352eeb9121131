import type { MutationResolvers } from '../../src/__generated__/graphql.js';
import { dispatch as run } from '../../src/mutations/dispatch.js';

/** Mutation.dispatch: refusals (skill, region, capacity, SLA, state) come back as `userErrors`. */
export const dispatch: NonNullable<MutationResolvers['dispatch']> = (_parent, { input }, ctx) => run(ctx, input);
