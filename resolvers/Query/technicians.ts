import type { QueryResolvers } from '../../src/__generated__/graphql.js';
import { rootList } from '../../src/lists/root.js';

/** Query.technicians: the technicians of every configured system, merged in the requested order. */
export const technicians: NonNullable<QueryResolvers['technicians']> = (_parent, args, ctx, info) => rootList('technician', args, ctx, info);
