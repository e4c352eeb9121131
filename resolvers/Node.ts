import type { NodeResolvers } from '../src/__generated__/graphql.js';

/** Node: `node`/`nodes` tag every model with its type name. */
export const Node: NodeResolvers = {
  __resolveType: (node) => node.__typename,
};
