/**
 * The requested cost of an operation, computed from the document, the schema and the variables
 * before anything executes (the worst case, as Shopify's and GitHub's GraphQL APIs count it):
 *
 * - every object a field returns costs its type's weight (`typeWeights`, else `objectCost`);
 *   scalars and enums cost `scalarCost`; introspection fields cost nothing (they have their own
 *   limits, `introspection.ts`);
 * - a list multiplies what each item costs by its size: `first`/`last` when given (a literal or a
 *   variable), the length of a list argument such as `nodes(ids:)`, else the argument's schema
 *   default (`first: Int = 50`), else `defaultListSize`;
 * - a connection (a field whose type has `pageInfo`) costs its own weight once, and its `edges` and
 *   `nodes` count as many items as its `first` (or the schema default, else `defaultPageSize`);
 * - sizes multiply down the tree: 50 work orders with 50 appointments each is 2,500 appointments;
 * - a root mutation field adds `mutationCost`;
 * - on an abstract type (`nodes` returns `Node`), fragments for different concrete types are
 *   alternatives: the most expensive counts, not their sum.
 */
import {
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { getArgumentValues, getVariableValues } from 'graphql/execution/values.js';

/** How objects and lists are weighed. */
export interface CostWeights {
  /** What one object costs, unless its type has its own weight (default 1). */
  objectCost: number;
  /** What one scalar or enum value costs (default 0). */
  scalarCost: number;
  /** What each root mutation field adds (default 10). */
  mutationCost: number;
  /** Items assumed in a list with no size argument and no schema default (default 5: plain lists are small bounded sets, style guide §6). */
  defaultListSize: number;
  /** Items assumed in a connection page with no `first` and no schema default (default 50). */
  defaultPageSize: number;
  /** Weight of one object of a type, by type name (e.g. `{ "Invoice": 2 }`). */
  typeWeights: Readonly<Record<string, number>>;
}

/** The defaults of {@link CostWeights}. */
export const DEFAULT_COST_WEIGHTS: CostWeights = {
  objectCost: 1,
  scalarCost: 0,
  mutationCost: 10,
  defaultListSize: 5,
  defaultPageSize: 50,
  typeWeights: {},
};

const SIZE_ARGUMENTS = ['first', 'last'];

/**
 * The requested cost of `operation` (an operation of `document`) with `variables` (raw, as the
 * request sent them). Pure; never throws for a document that passed validation. The result may
 * be `Infinity` for absurd nesting.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>> | undefined,
  weights: CostWeights = DEFAULT_COST_WEIGHTS,
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {});
  // Uncoercible variables fail the request later anyway; count with what was sent.
  const variableValues = (coerced.coerced ?? variables ?? {}) as Record<string, unknown>;
  const rootType = schema.getRootType(operation.operation);
  if (!rootType) return 0;
  // A fragment's cost depends only on where it is spread: memoised, so fragments spread many times
  // inside each other cost linear time to weigh, not exponential.
  const memo = new Map<string, number>();
  const visiting = new Set<string>();

  function args(field: GraphQLField<unknown, unknown>, node: FieldNode): Record<string, unknown> {
    try {
      return getArgumentValues(field, node, variableValues);
    } catch {
      return {};
    }
  }

  /** Items a list field returns: `first`/`last`, else the longest list argument, else undefined. */
  function sizeOf(field: GraphQLField<unknown, unknown>, values: Record<string, unknown>): number | undefined {
    for (const name of SIZE_ARGUMENTS) {
      const v = values[name];
      if (typeof v === 'number' && Number.isFinite(v)) return Math.max(0, v);
    }
    let longest: number | undefined;
    for (const arg of field.args) {
      const v = values[arg.name];
      if (Array.isArray(v)) longest = Math.max(longest ?? 0, v.length);
    }
    return longest;
  }

  function isConnection(type: GraphQLCompositeType): boolean {
    return isObjectType(type) && 'pageInfo' in type.getFields();
  }

  function weightOf(type: GraphQLCompositeType): number {
    return weights.typeWeights[type.name] ?? weights.objectCost;
  }

  function fieldCost(node: FieldNode, parent: GraphQLCompositeType, pageSize: number | undefined): number {
    const name = node.name.value;
    // Introspection has its own limits; a union has no fields but `__typename`.
    if (name.startsWith('__') || !('getFields' in parent)) return 0;
    const field = (parent as { getFields(): Record<string, GraphQLField<unknown, unknown>> }).getFields()[name];
    if (!field) return 0;
    const named = getNamedType(field.type);
    const values = args(field, node);
    const size = sizeOf(field, values);
    const list = isListType(getNullableType(field.type));
    // Inside a connection, its edges/nodes lists are the page; any other list counts on its own.
    const items = list ? (size ?? pageSize ?? weights.defaultListSize) : 1;
    if (!isCompositeType(named) || !node.selectionSet) return items * weights.scalarCost;
    const childPageSize = isConnection(named) ? (size ?? weights.defaultPageSize) : undefined;
    return items * (weightOf(named) + selectionCost(node.selectionSet, named, childPageSize));
  }

  function fragmentCost(fragment: FragmentDefinitionNode, type: GraphQLCompositeType, pageSize: number | undefined): number {
    const key = `${fragment.name.value}|${type.name}|${pageSize ?? ''}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    // Cycles are refused by validation (NoFragmentCycles); this guard only keeps weighing finite.
    if (visiting.has(key)) return 0;
    visiting.add(key);
    const cost = selectionCost(fragment.selectionSet, type, pageSize);
    visiting.delete(key);
    memo.set(key, cost);
    return cost;
  }

  function selectionCost(set: SelectionSetNode, parent: GraphQLCompositeType, pageSize: number | undefined): number {
    let direct = 0;
    // On an abstract parent, fragments narrowing to different types are alternatives.
    const alternatives = new Map<string, number>();
    const add = (typeName: string | undefined, cost: number) => {
      if (typeName === undefined || typeName === parent.name || isObjectType(parent)) direct += cost;
      else alternatives.set(typeName, (alternatives.get(typeName) ?? 0) + cost);
    };
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        direct += fieldCost(selection, parent, pageSize);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const typeName = selection.typeCondition?.name.value;
        const type = typeName ? schema.getType(typeName) : parent;
        if (type && isCompositeType(type)) add(typeName, selectionCost(selection.selectionSet, type, pageSize));
      } else {
        const fragment = fragments.get(selection.name.value);
        const type = fragment ? schema.getType(fragment.typeCondition.name.value) : undefined;
        if (fragment && type && isCompositeType(type)) add(type.name, fragmentCost(fragment, type, pageSize));
      }
    }
    let widest = 0;
    for (const cost of alternatives.values()) widest = Math.max(widest, cost);
    return direct + widest;
  }

  let total = 0;
  for (const selection of operation.selectionSet.selections) {
    total += selectionCost({ kind: Kind.SELECTION_SET, selections: [selection] }, rootType, undefined);
    if (operation.operation === 'mutation' && selection.kind === Kind.FIELD && !selection.name.value.startsWith('__')) total += weights.mutationCost;
  }
  return total;
}
