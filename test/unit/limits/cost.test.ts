/**
 * The requested cost of operations (src/limits/cost.ts) on a small schema where every number can
 * be counted by hand, the real schema's job graph, and the introspection limits.
 */
import { buildSchema, getIntrospectionQuery, getOperationAST, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { exampleQuery } from '../../../src/gateway.js';
import { DEFAULT_COST_WEIGHTS, operationCost, type CostWeights } from '../../../src/limits/cost.js';
import { DEFAULT_INTROSPECTION_LIMITS, introspectionExcess } from '../../../src/limits/introspection.js';
import { createSchema } from '../../../src/schema.js';

const schema = buildSchema(/* GraphQL */ `
  type Query {
    node(id: ID!): Node
    nodes(ids: [ID!]!): [Node]!
    orders(first: Int = 20): OrderConnection!
    tags: [String!]!
  }
  type Mutation { cancel(id: ID!): Order }
  interface Node { id: ID! }
  type Order implements Node {
    id: ID!
    total: Money!
    lines: [Line!]!
    appointments(first: Int = 50): AppointmentConnection!
  }
  type Customer implements Node { id: ID! name: String orders(first: Int): OrderConnection! }
  type Money { amount: String }
  type Line { sku: String }
  type OrderConnection { pageInfo: PageInfo! nodes: [Order!]! edges: [OrderEdge!]! totalCount: Int }
  type OrderEdge { cursor: String! node: Order! }
  type AppointmentConnection { pageInfo: PageInfo! nodes: [Appointment!]! }
  type Appointment { id: ID! }
  type PageInfo { hasNextPage: Boolean! }
`);

function cost(query: string, variables: Record<string, unknown> = {}, weights: CostWeights = DEFAULT_COST_WEIGHTS, on = schema): number {
  const document = parse(query);
  return operationCost(on, document, getOperationAST(document)!, variables, weights);
}

describe('operationCost', () => {
  it('counts one per object and nothing per scalar', () => {
    // The connection, then 10 orders with a money object each.
    expect(cost(`{ orders(first: 10) { totalCount nodes { id total { amount } } } }`)).toBe(1 + 10 * (1 + 1));
  });

  it('reads first from variables, and the schema default when absent', () => {
    expect(cost(`query($n: Int) { orders(first: $n) { nodes { id } } }`, { n: 7 })).toBe(1 + 7);
    expect(cost(`query($n: Int) { orders(first: $n) { nodes { id } } }`)).toBe(1 + 20);
    expect(cost(`{ orders { nodes { id } } }`)).toBe(1 + 20);
  });

  it('uses the default page size for a connection with neither first nor a schema default', () => {
    expect(cost(`{ node(id: "c") { ... on Customer { orders { nodes { id } } } } }`)).toBe(1 + 1 + DEFAULT_COST_WEIGHTS.defaultPageSize);
  });

  it('multiplies nested lists', () => {
    // 10 orders, each with a connection of 3 appointments.
    expect(cost(`{ orders(first: 10) { nodes { appointments(first: 3) { nodes { id } } } } }`)).toBe(1 + 10 * (1 + (1 + 3)));
    // Without first, the nested connection's schema default (50) counts.
    expect(cost(`{ orders(first: 10) { nodes { appointments { nodes { id } } } } }`)).toBe(1 + 10 * (1 + (1 + 50)));
  });

  it('counts edges like nodes, pageInfo once', () => {
    expect(cost(`{ orders(first: 4) { edges { cursor node { id } } pageInfo { hasNextPage } } }`)).toBe(1 + 4 * (1 + 1) + 1);
  });

  it('sizes a list by its list argument, and counts the dearest of alternative fragments', () => {
    const ids = Array.from({ length: 50 }, (_, i) => `id${i}`);
    const q = `query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Order { total { amount } } ... on Customer { name orders(first: 2) { nodes { id } } } } }`;
    // Each node: itself, plus max(Order: 1, Customer: 1 + 2).
    expect(cost(q, { ids })).toBe(50 * (1 + 3));
    expect(cost(q, { ids: ids.slice(0, 3) })).toBe(3 * (1 + 3));
  });

  it('assumes the default list size for a plain list without a size', () => {
    expect(cost(`{ orders(first: 1) { nodes { lines { sku } } } }`)).toBe(1 + 1 * (1 + DEFAULT_COST_WEIGHTS.defaultListSize));
  });

  it('applies per-type weights', () => {
    const weights = { ...DEFAULT_COST_WEIGHTS, typeWeights: { Money: 5 } };
    expect(cost(`{ orders(first: 10) { nodes { total { amount } } } }`, {}, weights)).toBe(1 + 10 * (1 + 5));
  });

  it('adds the mutation cost to each root mutation field', () => {
    expect(cost(`mutation { cancel(id: "1") { id total { amount } } }`)).toBe(1 + 1 + DEFAULT_COST_WEIGHTS.mutationCost);
  });

  it('costs nothing for introspection and __typename', () => {
    expect(cost(`{ __typename __schema { types { name fields { name } } } }`)).toBe(0);
  });

  it('weighs fragments spread inside each other without expanding them', () => {
    // F20 spreads F19 twice, which spreads F18 twice…: 2^20 money objects, weighed in linear time.
    const fragments = [`fragment F0 on Order { total { amount } }`];
    for (let i = 1; i <= 20; i++) fragments.push(`fragment F${i} on Order { ...F${i - 1} ...F${i - 1} }`);
    expect(cost(`{ node(id: "o") { ...F20 } } ${fragments.join(' ')}`)).toBe(1 + 2 ** 20);
  });

  it('weighs the job graph of 50 work orders under the default maximum (100,000)', () => {
    const real = createSchema();
    const ids = Array.from({ length: 50 }, (_, i) => `id${i}`);
    const fifty = cost(exampleQuery(ids), {}, DEFAULT_COST_WEIGHTS, real);
    const hundred = cost(exampleQuery([...ids, ...ids]), {}, DEFAULT_COST_WEIGHTS, real);
    expect(hundred).toBe(2 * fifty);
    expect(hundred).toBeLessThanOrEqual(100_000);
    expect(fifty).toBeGreaterThan(50 * 50);
    // The figures the README gives.
    expect([fifty, hundred]).toEqual([33_450, 66_900]);
  });
});

describe('introspectionExcess', () => {
  const check = (query: string) => {
    const document = parse(query);
    return introspectionExcess(document, getOperationAST(document)!, DEFAULT_INTROSPECTION_LIMITS);
  };

  it('lets the standard introspection query through', () => {
    expect(check(getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true }))).toBeUndefined();
  });

  it('refuses __schema twice, __type six times, nested lists and long ofType chains', () => {
    expect(check(`{ a: __schema { queryType { name } } b: __schema { queryType { name } } }`)).toMatch(/__schema/);
    expect(check(`{ ${Array.from({ length: 6 }, (_, i) => `t${i}: __type(name: "Query") { name }`).join(' ')} }`)).toMatch(/__type/);
    expect(check(`{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }`)).toMatch(/lists nested/);
    expect(check(`{ __type(name: "Query") { ${'ofType { '.repeat(11)}name${' }'.repeat(11)} } }`)).toMatch(/ofType/);
  });

  it('counts through fragments', () => {
    expect(check(`{ ...A ...A } fragment A on Query { __schema { queryType { name } } }`)).toMatch(/__schema/);
    expect(check(`{ __schema { types { ...T } } } fragment T on __Type { fields { type { fields { type { fields { name } } } } } }`)).toMatch(/lists nested/);
  });
});
