import type { QueryResolvers } from '../../src/__generated__/graphql.js';
import { rootList } from '../../src/lists/root.js';

/** Query.claims: the claims of every configured system, merged in the requested order. */
export const claims: NonNullable<QueryResolvers['claims']> = (_parent, args, ctx, info) => rootList('claim', args, ctx, info);
