import type { QueryResolvers } from '../../src/__generated__/graphql.js';
import { rootList } from '../../src/lists/root.js';

/** Query.invoices: the invoices of every configured system, merged in the requested order. */
export const invoices: NonNullable<QueryResolvers['invoices']> = (_parent, args, ctx, info) => rootList('invoice', args, ctx, info);
