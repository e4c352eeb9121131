import type { QueryResolvers } from '../../src/__generated__/graphql.js';
import { loadNodes, relationsSelected } from '../../src/nodes.js';

/** Query.nodes: one item per id, in order; null for unknown ids, an error at the item for malformed ones. */
export const nodes: NonNullable<QueryResolvers['nodes']> = (_parent, { ids }, ctx, info) => loadNodes(ctx, ids, relationsSelected(info));
