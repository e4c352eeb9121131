import type { QueryResolvers } from '../../src/__generated__/graphql.js';
import { loadNode, relationsSelected } from '../../src/nodes.js';

/** Query.node: the record a global id names; null when nothing exists there; BAD_USER_INPUT when malformed. */
export const node: NonNullable<QueryResolvers['node']> = (_parent, { id }, ctx, info) => loadNode(ctx, id, relationsSelected(info));
