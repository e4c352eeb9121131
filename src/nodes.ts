/**
 * `node(id)` and `nodes(ids)`: any record by its global id, through the by-id loaders.
 */
import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import type { ParentKind } from '../connectors/types.js';
import type { ResolversInterfaceTypes, ResolversTypes } from './__generated__/graphql.js';
import { decodeNodeId } from './ids.js';
import type { RequestIdentity } from './loaders/identity.js';
import type { Loaders } from './loaders/index.js';
import type { EntityKind } from './model/index.js';
import { prefetchRelations, selectedRelations } from './prefetch.js';

/** A canonical model tagged with its GraphQL type, as `Node.__resolveType` reads it. */
export type NodeValue = ResolversInterfaceTypes<ResolversTypes>['Node'];

/** What `node` reads from the request's context. */
export interface NodeContext {
  loaders: Loaders;
  identity: RequestIdentity;
  principal: { tenant: string };
}

/** Most ids one `nodes` call takes. */
export const MAX_NODE_IDS = 100;

/**
 * The record a global id names, tagged with its type; null when nothing exists there (or its
 * system is not configured). Throws `BAD_USER_INPUT` for a malformed id, `FORBIDDEN` for an id of
 * another tenant than `tenant`, and the connector's
 * error when the system fails.
 */
export async function loadNode(ctx: NodeContext, id: string, relationsOf: RelationsOf = () => []): Promise<NodeValue | null> {
  const decoded = decodeNodeId(id, undefined, ctx.principal.tenant);
  const { type, kind } = decoded;
  let ref = 'ref' in decoded ? decoded.ref : undefined;
  if ('entity' in decoded) {
    // A unified node: read through its first member in precedence order (the node is the same
    // whichever member it is read through).
    const entity = await ctx.identity.entity(decoded.entity);
    ref = entity ? ctx.identity.membersOf(entity)[0]?.ref : undefined;
    if (!ref) return null;
  }
  const model = ctx.loaders[kind].load(ref!);
  prefetchRelations(ctx.loaders, relationsOf(type), ref!);
  const found = await model;
  return found ? ({ ...found, __typename: type } as NodeValue) : null;
}

/** The relations to start for a node of a GraphQL type, from the query's selection. */
export type RelationsOf = (typeName: string) => ReadonlyArray<readonly [EntityKind, ParentKind]>;

/** {@link RelationsOf} for the selection of the field `info` resolves. */
export function relationsSelected(info: GraphQLResolveInfo): RelationsOf {
  return (typeName) => selectedRelations(info, typeName);
}

/**
 * One promise per id, in order: a malformed or failing id rejects its own item only. Throws
 * `BAD_USER_INPUT` for more than {@link MAX_NODE_IDS} ids. Promises are typed as non-null because
 * the generated types take only promises of nodes as list items (GraphQL accepts null there).
 */
export function loadNodes(ctx: NodeContext, ids: readonly string[], relationsOf?: RelationsOf): Array<Promise<NodeValue>> {
  if (ids.length > MAX_NODE_IDS) {
    throw new GraphQLError(`\`ids\` holds ${ids.length} ids; at most ${MAX_NODE_IDS} are allowed.`, { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return ids.map((id) => loadNode(ctx, id, relationsOf) as Promise<NodeValue>);
}
