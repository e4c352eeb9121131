import type { QueryResolvers } from '../../src/__generated__/graphql.js';
import { rootList } from '../../src/lists/root.js';

/** Query.appointments: the appointments of every configured system, merged in the requested order. */
export const appointments: NonNullable<QueryResolvers['appointments']> = (_parent, args, ctx, info) => rootList('appointment', args, ctx, info);
