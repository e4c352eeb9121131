/**
 * Limits of introspection, which the depth and cost limits leave out (like graphql-armor, they
 * ignore `__schema`): an introspection flood nests `fields { type { fields { … } } }` or asks
 * `__type` hundreds of times. graphql's own validation (`MaxIntrospectionDepthRule`) already refuses
 * `fields`, `interfaces`, `possibleTypes` and `inputFields` nested three deep; these limits add,
 * counted per operation, through fragments:
 *
 * - `__schema` at most `maxSchemaFields` times (default once) and `__type` at most `maxTypeFields`;
 * - lists of the introspection types (`types`, `fields`, `args`, `inputFields`, `interfaces`,
 *   `possibleTypes`, `enumValues`, `directives`) nested at most `maxListDepth` deep (the standard
 *   introspection query, GraphiQL's, needs 3: `types { fields { args } }`);
 * - `ofType` nested at most `maxOfTypeDepth` deep (the standard query needs 9).
 */
import { Kind, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';

/** The introspection limits (the `limits.introspection` configuration). */
export interface IntrospectionLimits {
  maxSchemaFields: number;
  maxTypeFields: number;
  maxListDepth: number;
  maxOfTypeDepth: number;
}

/** Defaults that let the standard introspection query (GraphiQL's) through and little more. */
export const DEFAULT_INTROSPECTION_LIMITS: IntrospectionLimits = { maxSchemaFields: 1, maxTypeFields: 5, maxListDepth: 3, maxOfTypeDepth: 10 };

const LIST_FIELDS = new Set(['types', 'fields', 'args', 'inputFields', 'interfaces', 'possibleTypes', 'enumValues', 'directives']);

/** What a selection holds: introspection entry points, and the deepest list and `ofType` nesting on any path. */
interface Shape {
  schema: number;
  type: number;
  lists: number;
  ofTypes: number;
}

/**
 * The first introspection limit `operation` exceeds, as a message; undefined when it keeps them
 * all. The document must have passed validation (no fragment cycles).
 */
export function introspectionExcess(document: DocumentNode, operation: OperationDefinitionNode, limits: IntrospectionLimits): string | undefined {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const memo = new Map<string, Shape>();
  const visiting = new Set<string>();

  function shapeOf(set: SelectionSetNode, inside: boolean): Shape {
    const shape: Shape = { schema: 0, type: 0, lists: 0, ofTypes: 0 };
    const merge = (child: Shape, addList: number, addOfType: number) => {
      shape.schema += child.schema;
      shape.type += child.type;
      shape.lists = Math.max(shape.lists, child.lists + addList);
      shape.ofTypes = Math.max(shape.ofTypes, child.ofTypes + addOfType);
    };
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        const entry = name === '__schema' || name === '__type';
        if (name === '__schema') shape.schema += 1;
        if (name === '__type') shape.type += 1;
        const within = inside || entry;
        const child = selection.selectionSet ? shapeOf(selection.selectionSet, within) : { schema: 0, type: 0, lists: 0, ofTypes: 0 };
        merge(child, inside && LIST_FIELDS.has(name) ? 1 : 0, inside && name === 'ofType' ? 1 : 0);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        merge(shapeOf(selection.selectionSet, inside || Boolean(selection.typeCondition?.name.value.startsWith('__'))), 0, 0);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (!fragment) continue;
        const within = inside || fragment.typeCondition.name.value.startsWith('__');
        const key = `${fragment.name.value}|${within}`;
        let child = memo.get(key);
        if (!child) {
          if (visiting.has(key)) continue;
          visiting.add(key);
          child = shapeOf(fragment.selectionSet, within);
          visiting.delete(key);
          memo.set(key, child);
        }
        merge(child, 0, 0);
      }
    }
    return shape;
  }

  const shape = shapeOf(operation.selectionSet, false);
  if (shape.schema > limits.maxSchemaFields) return `Introspection limit exceeded: __schema asked ${shape.schema} times, at most ${limits.maxSchemaFields} allowed.`;
  if (shape.type > limits.maxTypeFields) return `Introspection limit exceeded: __type asked ${shape.type} times, at most ${limits.maxTypeFields} allowed.`;
  if (shape.lists > limits.maxListDepth) return `Introspection limit exceeded: lists nested ${shape.lists} deep, at most ${limits.maxListDepth} allowed.`;
  if (shape.ofTypes > limits.maxOfTypeDepth) return `Introspection limit exceeded: ofType nested ${shape.ofTypes} deep, at most ${limits.maxOfTypeDepth} allowed.`;
  return undefined;
}
