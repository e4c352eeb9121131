import type { QueryResolvers } from '../../src/__generated__/graphql.js';
import { rootList } from '../../src/lists/root.js';

/** Query.customers: the customers of every configured system, merged in the requested order. */
export const customers: NonNullable<QueryResolvers['customers']> = (_parent, args, ctx, info) => rootList('customer', args, ctx, info);
