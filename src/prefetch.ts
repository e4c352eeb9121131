/**
 * Relationships read as soon as their parent's ref is known, not when the parent's record
 * arrives. A relation loader is keyed by the parent's ref, and a query often holds that ref a
 * round trip before the record: the ids of `node` and `nodes`, the customer a work order names.
 * Where the query asks for a relationship of such a record, its read starts beside the record's
 * own, and the field's resolver later finds the same promise (`Loaders.prefetch`): a vendor round
 * trip off the deepest chain, for the same calls when the parents exist (a relation reads the same
 * batch either way, and a relation that needs the parent record itself, such as a ServiceTitan
 * job's listed visits, still waits for it). A parent that turns out not to exist, or whose system
 * fails, has had its relations asked for anyway: a call more where the per-parent read is taken.
 */
import { getDirectiveValues, GraphQLIncludeDirective, GraphQLSkipDirective, isAbstractType, isObjectType, Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import type { ParentKind } from '../connectors/types.js';
import type { Loaders } from './loaders/index.js';
import type { EntityKind, RecordRef } from './model/index.js';

/** The relationship fields of a type whose resolvers read `related(kind, parent).load(record.ref)`. */
export const RELATION_FIELDS: Partial<Record<string, Readonly<Record<string, readonly [EntityKind, ParentKind]>>>> = {
  WorkOrder: { appointments: ['appointment', 'workOrder'], invoices: ['invoice', 'workOrder'], claims: ['claim', 'workOrder'] },
  Customer: {
    locations: ['location', 'customer'],
    equipment: ['equipment', 'customer'],
    workOrders: ['workOrder', 'customer'],
    invoices: ['invoice', 'customer'],
    memberships: ['membership', 'customer'],
  },
};

/**
 * The relations to start for a record of GraphQL type `typeName` that the current field (`info`)
 * returns: those of its relationship fields the field's selection asks for (through inline
 * fragments and fragment spreads on the type or an interface of it; `@skip` and `@include`
 * honoured). Compute once per field, apply per record with {@link prefetchRelations}.
 */
export function selectedRelations(info: GraphQLResolveInfo, typeName: string): ReadonlyArray<readonly [EntityKind, ParentKind]> {
  // The items of a list field share their field nodes; the variables are the request's.
  let byNodes = memo.get(info.variableValues);
  if (!byNodes) memo.set(info.variableValues, (byNodes = new WeakMap()));
  let byType = byNodes.get(info.fieldNodes);
  if (!byType) byNodes.set(info.fieldNodes, (byType = new Map()));
  let relations = byType.get(typeName);
  if (!relations) byType.set(typeName, (relations = collect(info, typeName)));
  return relations;
}

type Relations = ReadonlyArray<readonly [EntityKind, ParentKind]>;
const memo = new WeakMap<object, WeakMap<object, Map<string, Relations>>>();

function collect(info: GraphQLResolveInfo, typeName: string): Relations {
  const fields = RELATION_FIELDS[typeName];
  const type = info.schema.getType(typeName);
  if (!fields || !isObjectType(type)) return [];
  const out = new Map<string, readonly [EntityKind, ParentKind]>();
  const included = (node: Parameters<typeof getDirectiveValues>[1]): boolean =>
    getDirectiveValues(GraphQLSkipDirective, node, info.variableValues)?.if !== true && getDirectiveValues(GraphQLIncludeDirective, node, info.variableValues)?.if !== false;
  const applies = (condition: string | undefined): boolean => {
    if (condition === undefined || condition === typeName) return true;
    const c = info.schema.getType(condition);
    return c !== undefined && isAbstractType(c) && info.schema.isSubType(c, type);
  };
  const seen = new Set<string>();
  const visit = (set: SelectionSetNode | undefined): void => {
    for (const sel of set?.selections ?? []) {
      if (!included(sel)) continue;
      if (sel.kind === Kind.FIELD) {
        const relation = fields[sel.name.value];
        if (relation) out.set(relation.join('<-'), relation);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        if (applies(sel.typeCondition?.name.value)) visit(sel.selectionSet);
      } else {
        const fragment = info.fragments[sel.name.value];
        if (fragment && !seen.has(sel.name.value) && applies(fragment.typeCondition.name.value)) {
          seen.add(sel.name.value);
          visit(fragment.selectionSet);
        }
      }
    }
  };
  for (const node of info.fieldNodes) visit(node.selectionSet);
  return [...out.values()];
}

/** Starts `relations` (from {@link selectedRelations}) of the record `ref`. */
export function prefetchRelations(loaders: Loaders, relations: ReadonlyArray<readonly [EntityKind, ParentKind]>, ref: RecordRef): void {
  for (const [kind, parent] of relations) loaders.prefetch(kind, parent, ref);
}
