/**
 * Which relationships a selection starts early (src/prefetch.ts), and that the table of
 * relationship fields matches the schema.
 */
import { getNamedType, isObjectType, Kind, parse, type FragmentDefinitionNode, type GraphQLResolveInfo, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { RELATION_FIELDS, selectedRelations } from '../../../src/prefetch.js';
import { createSchema } from '../../../src/schema.js';

const schema = createSchema();

/** The resolve info of the operation's first root field, as graphql-js would pass it. */
function infoOf(document: string, variableValues: Record<string, unknown> = {}): GraphQLResolveInfo {
  const doc = parse(document);
  const op = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const fragments = Object.fromEntries(doc.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
  const field = op.selectionSet.selections[0]!;
  return { schema, fieldNodes: [field], fragments, variableValues } as unknown as GraphQLResolveInfo;
}

const names = (r: ReturnType<typeof selectedRelations>): string[] => r.map(([kind, parent]) => `${kind}<-${parent}`).sort();

describe('relationships started with their parent', () => {
  it('names only connection fields that the schema has on each type', () => {
    for (const [typeName, fields] of Object.entries(RELATION_FIELDS)) {
      const type = schema.getType(typeName);
      expect(isObjectType(type), typeName).toBe(true);
      if (!isObjectType(type)) continue;
      for (const field of Object.keys(fields!)) {
        expect(type.getFields()[field], `${typeName}.${field}`).toBeDefined();
        expect(getNamedType(type.getFields()[field]!.type).name, `${typeName}.${field}`).toMatch(/Connection$/);
      }
    }
  });

  it('finds the fields of the type through inline fragments, spreads on an interface, and nothing else', () => {
    const info = infoOf(`
      query { nodes(ids: []) {
        id
        ... on WorkOrder { appointments { nodes { id } } }
        ... on Customer { memberships { nodes { id } } }
        ...Billing
      } }
      fragment Billing on Node { ... on WorkOrder { invoices { nodes { id } } } }
    `);
    expect(names(selectedRelations(info, 'WorkOrder'))).toEqual(['appointment<-workOrder', 'invoice<-workOrder']);
    expect(names(selectedRelations(info, 'Customer'))).toEqual(['membership<-customer']);
    expect(names(selectedRelations(info, 'Technician'))).toEqual([]);
  });

  it('leaves out what @skip and @include leave out', () => {
    const doc = 'query($a: Boolean!, $b: Boolean!) { node(id: "x") { ... on WorkOrder { claims @skip(if: $a) { nodes { id } } invoices @include(if: $b) { nodes { id } } } } }';
    expect(names(selectedRelations(infoOf(doc, { a: true, b: false }), 'WorkOrder'))).toEqual([]);
    expect(names(selectedRelations(infoOf(doc, { a: false, b: true }), 'WorkOrder'))).toEqual(['claim<-workOrder', 'invoice<-workOrder']);
  });
});
