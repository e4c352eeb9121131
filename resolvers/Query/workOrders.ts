import type { QueryResolvers } from '../../src/__generated__/graphql.js';
import { rootList } from '../../src/lists/root.js';

/** Query.workOrders: the workOrders of every configured system, merged in the requested order. */
export const workOrders: NonNullable<QueryResolvers['workOrders']> = (_parent, args, ctx, info) => rootList('workOrder', args, ctx, info);
