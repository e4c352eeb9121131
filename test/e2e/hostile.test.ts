/**
 * Hostile operations over real HTTP, a gateway on 127.0.0.1 (port 0) over a sandbox: depth bombs,
 * alias floods, fragment cycles, huge variables and bodies, batched documents, token and directive
 * floods, introspection floods, a cost bomb and a request over its principal's budget are refused
 * with coded errors and make no vendor call (the sandbox's stats); the job graph of 50 work orders,
 * the root-list queries and the examples' documents pass under the default limits; the cost
 * extension reports what was taken and the budget refills (an injected clock, so no test waits);
 * safelist mode runs listed operations only; two gateways on one redis-server share a budget.
 */
import { readFileSync } from 'node:fs';
import { getOperationAST, parse } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resetSharedClientState } from '../../connectors/core/http-client.js';
import { sandboxConnections } from '../../connectors/registry.js';
import type { VendorInfo } from '../../connectors/sandbox/kit.js';
import type { Sandbox } from '../../connectors/sandbox/server.js';
import type { StatsSnapshot } from '../../connectors/sandbox/stats.js';
import { VENDOR_KEYS, type VendorKey } from '../../connectors/vendors.js';
import { exampleQuery, JOB_GRAPH_FIELDS } from '../../src/gateway.js';
import { toGlobalId } from '../../src/ids.js';
import { memoryCostBudget, redisCostBudget } from '../../src/limits/budget.js';
import { createLimits, DEFAULT_COST_WEIGHTS, operationCost, type Limits } from '../../src/limits/index.js';
import { sha256 } from '../../src/limits/safelist.js';
import { createSchema } from '../../src/schema.js';
import { createServer, type FieldGraphServer } from '../../src/server.js';
import { testKey } from '../helpers/auth.js';
import { redisAvailable, startRedis, type TestRedis } from '../helpers/redis.js';
import { startTestSandbox } from '../helpers/sandbox.js';

const MANIFEST = 'examples/gql/persisted-documents.json';

/** Two principals (API keys): budgets are kept per principal. */
const alice = testKey('alice', ['admin']);
const bob = testKey('bob', ['admin']);

let sandbox: Sandbox;
let connections: Partial<Record<VendorKey, unknown>>;
const servers: FieldGraphServer[] = [];
const ownLimits: Limits[] = [];

/** A server over the sandbox with these limits (default: the server's own); its GraphQL URL. */
async function start(limits?: Limits): Promise<string> {
  if (limits) ownLimits.push(limits);
  const server = await createServer({
    connections,
    auth: { apiKeys: [alice.entry, bob.entry] },
    ...(limits ? { limits } : {}),
    connectorOptions: { retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 20 } },
    log: () => {},
  });
  servers.push(server);
  return `${await server.listen(0)}/graphql`;
}

interface Answer {
  status: number;
  headers: Headers;
  body: { data?: any; errors?: Array<{ message: string; extensions?: Record<string, unknown> }>; extensions?: Record<string, any> };
}

/** POSTs `body` (an object is sent as JSON, a string as it is) as `who`. */
async function post(url: string, body: unknown, who = alice, accept = 'application/graphql-response+json'): Promise<Answer> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept, ...who.header },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: JSON.parse(text) as Answer['body'] };
}

const codeOf = (a: Answer) => a.body.errors?.[0]?.extensions?.code;

async function stats(): Promise<StatsSnapshot> {
  return (await (await fetch(`${sandbox.origin}/_sandbox/stats`)).json()) as StatsSnapshot;
}

async function resetStats(): Promise<void> {
  await fetch(`${sandbox.origin}/_sandbox/reset`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
}

/** Global ids of `n` work orders spread over the five systems. */
function workOrderIds(n: number): string[] {
  const out: string[] = [];
  for (let i = 0; out.length < n && i < 1000; i++) {
    for (const vendor of VENDOR_KEYS) {
      const wo = sandbox.dataset.vendors[vendor].workOrders[i];
      if (wo && out.length < n) out.push(toGlobalId('WorkOrder', { system: vendor, id: wo.id }));
    }
  }
  return out;
}

let url: string;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  const index = (await (await fetch(`${sandbox.origin}/_sandbox`)).json()) as { vendors: VendorInfo[] };
  connections = sandboxConnections(index.vendors);
  // The configuration's defaults, the per-principal budget included.
  url = await start(createLimits());
});

afterAll(async () => {
  for (const server of servers) await server.close();
  for (const limits of ownLimits) await limits.close();
  await sandbox?.close();
  resetSharedClientState();
});

describe('hostile operations', () => {
  beforeEach(resetStats);

  const nest = (levels: number) => {
    let inner = 'id';
    for (let i = 0; i < levels; i++) inner = `customer { workOrders(first: 1) { nodes { ${inner} } } }`;
    return `{ workOrders(first: 1) { nodes { ${inner} } } }`;
  };

  const cases: Array<{ name: string; send: () => Promise<Answer>; code: string; status: number }> = [
    { name: 'a depth bomb', send: () => post(url, { query: nest(6) }), code: 'QUERY_TOO_DEEP', status: 400 },
    {
      name: 'an alias flood',
      send: () => post(url, { query: `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: workOrders(first: 1) { totalCount }`).join(' ')} }` }),
      code: 'TOO_MANY_ALIASES',
      status: 400,
    },
    {
      name: 'a fragment cycle',
      send: () => post(url, { query: `{ ...A } fragment A on Query { workOrders(first: 1) { nodes { id } } ...B } fragment B on Query { ...A }` }),
      code: 'GRAPHQL_VALIDATION_FAILED',
      status: 400,
    },
    {
      name: 'huge variables',
      send: () => post(url, { query: `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, variables: { ids: Array.from({ length: 5000 }, (_, i) => `V29ya09yZGVyOnNlcnZpY2V0aXRhbjo${i}`) } }),
      code: 'VARIABLES_TOO_LARGE',
      status: 413,
    },
    {
      name: 'a body over the size limit',
      send: () => post(url, { query: `{ workOrders(first: 1) { totalCount } }`, variables: { padding: 'x'.repeat(2 * 1024 * 1024) } }),
      code: 'BAD_REQUEST',
      status: 413,
    },
    {
      name: 'a batch (JSON array body)',
      send: () => post(url, [{ query: `{ workOrders(first: 1) { totalCount } }` }, { query: `{ customers(first: 1) { totalCount } }` }]),
      code: 'BATCHING_NOT_SUPPORTED',
      status: 400,
    },
    {
      name: 'several operations and no operationName',
      send: () => post(url, { query: `query A { workOrders(first: 1) { totalCount } } query B { customers(first: 1) { totalCount } }` }),
      code: 'BATCHING_NOT_SUPPORTED',
      status: 400,
    },
    {
      name: 'a token flood',
      send: () => post(url, { query: `{ workOrders(first: 1) { ${'totalCount '.repeat(3000)} } }` }),
      code: 'TOO_MANY_TOKENS',
      status: 400,
    },
    {
      name: 'a directive flood',
      send: () => post(url, { query: `{ workOrders(first: 1) { ${'totalCount @include(if: true) '.repeat(60)} } }` }),
      code: 'TOO_MANY_DIRECTIVES',
      status: 400,
    },
    {
      // graphql's own MaxIntrospectionDepthRule.
      name: 'an introspection flood (nested lists)',
      send: () => post(url, { query: `{ __schema { types { fields { type { fields { type { fields { type { name } } } } } } } } }` }),
      code: 'GRAPHQL_VALIDATION_FAILED',
      status: 400,
    },
    {
      name: 'an introspection flood (__schema asked twice)',
      send: () => post(url, { query: `{ a: __schema { types { name } } b: __schema { types { name } } }` }),
      code: 'INTROSPECTION_TOO_COMPLEX',
      status: 400,
    },
    {
      name: 'an introspection flood (a long ofType chain)',
      send: () => post(url, { query: `{ __type(name: "WorkOrder") { ${'ofType { '.repeat(12)}name${' }'.repeat(12)} } }` }),
      code: 'INTROSPECTION_TOO_COMPLEX',
      status: 400,
    },
    {
      name: 'an introspection flood (__type asked many times)',
      send: () => post(url, { query: `{ ${Array.from({ length: 12 }, (_, i) => `t${i}: __type(name: "WorkOrder") { name }`).join(' ')} }` }),
      code: 'INTROSPECTION_TOO_COMPLEX',
      status: 400,
    },
    {
      name: 'a cost bomb',
      send: () =>
        post(url, { query: `{ workOrders(first: 100) { nodes { customer { workOrders(first: 100) { nodes { appointments(first: 100) { nodes { id } } } } } } } }` }),
      code: 'QUERY_TOO_COSTLY',
      status: 400,
    },
  ];

  for (const c of cases) {
    it(`refuses ${c.name} with ${c.code} and no vendor call`, async () => {
      const a = await c.send();
      expect(codeOf(a), JSON.stringify(a.body).slice(0, 300)).toBe(c.code);
      expect(a.status).toBe(c.status);
      expect(a.body.data ?? null).toBeNull();
      expect((await stats()).total).toBe(0);
    });
  }

  it('answers the refusals of the legacy JSON media type with the same codes', async () => {
    const a = await post(url, { query: nest(6) }, alice, 'application/json');
    expect(codeOf(a)).toBe('QUERY_TOO_DEEP');
    const b = await post(url, [{ query: '{ __typename }' }], alice, 'application/json');
    expect(codeOf(b)).toBe('BATCHING_NOT_SUPPORTED');
    expect((await stats()).total).toBe(0);
  });

  it('runs a document of several operations when operationName names one', async () => {
    const a = await post(url, { query: `query A { __typename } query B { __typename }`, operationName: 'B' });
    expect(a.status).toBe(200);
    expect(a.body.data).toEqual({ __typename: 'Query' });
  });
});

describe('legitimate operations under the default limits', () => {
  const rootLists: Array<[string, Record<string, unknown>]> = [
    [
      `query Page($first: Int, $after: String, $filter: WorkOrderFilter, $orderBy: RecordOrder) {
        workOrders(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
          unavailableSystems
          pageInfo { hasNextPage endCursor }
          edges { cursor node { id updatedAt status source { system id } } }
        }
      }`,
      { first: 100, orderBy: { direction: 'ASC' } },
    ],
    [`query($o: RecordOrder) { workOrders(first: 1, orderBy: $o) { totalCount } }`, { o: { direction: 'DESC' } }],
    [`{ workOrders(first: 0) { totalCount edges { cursor } } }`, {}],
    [
      `query JobGraph($first: Int!) {
        workOrders(first: $first) {
          totalCount
          pageInfo { hasNextPage endCursor }
          nodes {
            id ${JOB_GRAPH_FIELDS}
          }
        }
      }`,
      { first: 50 },
    ],
  ];

  it('answers the job graph of 50 work orders from the five systems', { timeout: 60_000 }, async () => {
    const ids = workOrderIds(50);
    const a = await post(url, { query: exampleQuery(ids) });
    expect(a.status).toBe(200);
    expect(a.body.errors).toBeUndefined();
    expect(a.body.data.nodes.filter((n: any) => n?.id).length).toBe(50);
    expect(a.body.extensions?.cost?.requestedQueryCost).toBeGreaterThan(0);
  });

  it('answers the root-list queries', { timeout: 60_000 }, async () => {
    for (const [query, variables] of rootLists) {
      const a = await post(url, { query, variables });
      expect(a.status, query.slice(0, 60)).toBe(200);
      expect(a.body.errors, query.slice(0, 60)).toBeUndefined();
    }
  });

  it("passes every document of the examples (the client's persisted documents) through the limits", async () => {
    const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Record<string, string>;
    expect(Object.keys(manifest).length).toBeGreaterThan(0);
    const id = workOrderIds(1)[0]!;
    for (const document of Object.values(manifest)) {
      const operation = getOperationAST(parse(document))!;
      // Queries run; mutations are sent without their input, so they stop at variable coercion
      // (after the limits, before any resolver): what matters is that no limit refused them.
      const a = await post(url, { query: document, variables: operation.operation === 'query' ? { id } : {} });
      const codes = (a.body.errors ?? []).map((e) => e.extensions?.code);
      expect(codes.filter((c) => c !== 'BAD_USER_INPUT'), document.slice(0, 40)).toEqual([]);
      if (operation.operation === 'query') expect(a.body.data).toBeTruthy();
    }
  });
});

describe('the cost budget', () => {
  it('reports the cost and what is left, refuses over budget with 429 and Retry-After, and refills', async () => {
    let now = 1_000_000;
    const budget = memoryCostBudget({ maximumAvailable: 1000, restoreRate: 50 }, () => now);
    const budgetUrl = await start(createLimits({}, { budget }));
    const query = `query Page($first: Int) { workOrders(first: $first) { edges { cursor node { id source { system id } } } } }`;
    const document = parse(query);
    const expected = operationCost(createSchema(), document, getOperationAST(document)!, { first: 100 }, DEFAULT_COST_WEIGHTS);
    expect(expected).toBe(301);

    const first = await post(budgetUrl, { query, variables: { first: 100 } });
    expect(first.status).toBe(200);
    expect(first.body.extensions?.cost).toEqual({ requestedQueryCost: 301, throttleStatus: { maximumAvailable: 1000, currentlyAvailable: 699, restoreRate: 50 } });
    const second = await post(budgetUrl, { query, variables: { first: 100 } });
    expect(second.body.extensions?.cost.throttleStatus.currentlyAvailable).toBe(398);
    const third = await post(budgetUrl, { query, variables: { first: 100 } });
    expect(third.body.extensions?.cost.throttleStatus.currentlyAvailable).toBe(97);

    // Over budget: nothing runs, no vendor call.
    await resetStats();
    const refused = await post(budgetUrl, { query, variables: { first: 100 } });
    expect(refused.status).toBe(429);
    expect(codeOf(refused)).toBe('RATE_LIMITED');
    // (301 - 97) / 50 a second → 5 s.
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(refused.body.errors?.[0]?.extensions?.retryAfterSeconds).toBe(5);
    expect(refused.body.extensions?.cost).toEqual({ requestedQueryCost: 301, throttleStatus: { maximumAvailable: 1000, currentlyAvailable: 97, restoreRate: 50 } });
    expect(refused.body.data ?? null).toBeNull();
    expect((await stats()).total).toBe(0);

    // Another principal has its own bucket.
    const other = await post(budgetUrl, { query, variables: { first: 100 } }, bob);
    expect(other.status).toBe(200);
    expect(other.body.extensions?.cost.throttleStatus.currentlyAvailable).toBe(699);

    // Five seconds later the bucket holds 97 + 250 points: the query runs again.
    now += 5000;
    const later = await post(budgetUrl, { query, variables: { first: 100 } });
    expect(later.status).toBe(200);
    expect(later.body.extensions?.cost.throttleStatus.currentlyAvailable).toBe(97 + 250 - 301);
    // And it never holds more than its maximum.
    now += 3_600_000;
    const full = await post(budgetUrl, { query: `{ __typename }` });
    expect(full.body.extensions?.cost).toEqual({ requestedQueryCost: 0, throttleStatus: { maximumAvailable: 1000, currentlyAvailable: 1000, restoreRate: 50 } });
  });

  it('refuses a query dearer than the whole bucket as too costly, not as rate limited', async () => {
    const budgetUrl = await start(createLimits({ budget: { maximumAvailable: 100, restoreRate: 10 } }));
    const a = await post(budgetUrl, { query: `{ workOrders(first: 100) { nodes { id } } }` });
    expect(a.status).toBe(400);
    expect(codeOf(a)).toBe('QUERY_TOO_COSTLY');
    expect(a.body.extensions?.cost?.requestedQueryCost).toBe(101);
  });

  it.skipIf(!redisAvailable)('is shared by two gateways on one Redis', async () => {
    let redis: TestRedis | undefined;
    const closeFirst: Limits[] = [];
    try {
      redis = await startRedis();
      // Hardly any refill, so the numbers are exact whatever the time between requests.
      const settings = { maximumAvailable: 1000, restoreRate: 0.001 };
      const limitsOne = createLimits({ budget: settings }, { redisUrl: redis.url });
      const limitsTwo = createLimits({ budget: settings }, { redisUrl: redis.url });
      closeFirst.push(limitsOne, limitsTwo);
      const one = await start(limitsOne);
      const two = await start(limitsTwo);
      const query = `{ workOrders(first: 100) { nodes { id } } }`;
      const a = await post(one, { query });
      expect(a.body.extensions?.cost.throttleStatus.currentlyAvailable).toBe(899);
      const b = await post(two, { query });
      expect(b.body.extensions?.cost.throttleStatus.currentlyAvailable).toBe(798);
      const c = await post(one, { query }, bob);
      expect(c.body.extensions?.cost.throttleStatus.currentlyAvailable).toBe(899);
      // Straight through the store as well: what the gateways took is there.
      const direct = redisCostBudget(settings, redis.url);
      const take = await direct.take('default/key:alice', 0);
      await direct.close();
      expect(Math.floor(take.currentlyAvailable)).toBe(798);
    } finally {
      // The budgets' Redis connections close before Redis stops.
      for (const limits of closeFirst) await limits.close();
      await redis?.stop();
    }
  });
});

describe('safelist mode', () => {
  let safeUrl: string;
  const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Record<string, string>;
  const [listedKey, listedDocument] = Object.entries(manifest).find(([, d]) => d.startsWith('query'))!;
  const hash = listedKey.replace(/^sha256:/, '');

  beforeAll(async () => {
    safeUrl = await start(createLimits({ safelist: MANIFEST }));
  });
  beforeEach(resetStats);

  it('runs a listed operation named by documentId or by its sha256 hash', async () => {
    const id = workOrderIds(1)[0]!;
    const byId = await post(safeUrl, { documentId: listedKey, variables: { id } });
    expect(byId.status).toBe(200);
    expect(byId.body.errors).toBeUndefined();
    expect(byId.body.data.node).toBeTruthy();
    const byHash = await post(safeUrl, { extensions: { persistedQuery: { version: 1, sha256Hash: hash } }, variables: { id } });
    expect(byHash.status).toBe(200);
    expect(byHash.body.data.node).toBeTruthy();
    expect(sha256(listedDocument)).toBe(hash);
    // GET, as a CDN-friendly client would send it.
    const params = new URLSearchParams({ documentId: listedKey, variables: JSON.stringify({ id }) });
    // (A header that makes the request non-simple: Apollo's CSRF prevention refuses simple GETs.)
    const got = await fetch(`${safeUrl}?${params}`, { headers: { accept: 'application/json', 'apollo-require-preflight': 'true', ...alice.header } });
    expect(got.status).toBe(200);
    expect(((await got.json()) as any).data.node).toBeTruthy();
  });

  it('refuses anything else before any vendor call', async () => {
    const unlisted = await post(safeUrl, { query: `{ workOrders(first: 1) { totalCount } }` });
    expect(unlisted.status).toBe(400);
    expect(codeOf(unlisted)).toBe('PERSISTED_QUERY_REQUIRED');
    const unknown = await post(safeUrl, { documentId: `sha256:${'0'.repeat(64)}` });
    expect(codeOf(unknown)).toBe('PERSISTED_QUERY_NOT_FOUND');
    // A listed id with another document in `query`.
    const swapped = await post(safeUrl, { query: `{ workOrders(first: 1) { totalCount } }`, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });
    expect(codeOf(swapped)).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect((await stats()).total).toBe(0);
  });
});
