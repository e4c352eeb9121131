import type { QueryResolvers } from '../../src/__generated__/graphql.js';
import { rootList } from '../../src/lists/root.js';

/** Query.memberships: the memberships of every configured system, merged in the requested order. */
export const memberships: NonNullable<QueryResolvers['memberships']> = (_parent, args, ctx, info) => rootList('membership', args, ctx, info);
