/**
 * The root lists over real HTTP: a gateway on 127.0.0.1 (port 0) over a sandbox, queried with
 * graphql-request. Walks lists to the end in both directions (each record once, in order, also
 * while work orders are being created), checks filters against the data set, the cost of a page in
 * upstream calls, bad arguments refused before any vendor call, and a system down.
 */
import { randomUUID } from 'node:crypto';
import { GraphQLClient } from 'graphql-request';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resetSharedClientState } from '../../connectors/core/http-client.js';
import { createConnectors, sandboxConnections } from '../../connectors/registry.js';
import type { VendorInfo } from '../../connectors/sandbox/kit.js';
import type { Sandbox } from '../../connectors/sandbox/server.js';
import type { StatsSnapshot } from '../../connectors/sandbox/stats.js';
import { VENDOR_KEYS, type VendorKey } from '../../connectors/vendors.js';
import { DEFAULT_TENANT, fromGlobalId, toGlobalId } from '../../src/ids.js';
import { createServer, type FieldGraphServer } from '../../src/server.js';
import { startTestSandbox } from '../helpers/sandbox.js';
import { OPEN_AUTH } from '../helpers/auth.js';
import { JOB_GRAPH_FIELDS } from '../../src/gateway.js';

interface GqlError {
  message: string;
  path?: Array<string | number>;
  extensions?: Record<string, unknown>;
}

let sandbox: Sandbox;
let connections: Partial<Record<VendorKey, unknown>>;
let server: FieldGraphServer;
let client: GraphQLClient;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  const index = (await (await fetch(`${sandbox.origin}/_sandbox`)).json()) as { vendors: VendorInfo[] };
  connections = sandboxConnections(index.vendors);
  server = await createServer({ auth: OPEN_AUTH, connections, connectorOptions: { retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 20 } }, log: () => {} });
  client = new GraphQLClient(`${await server.listen(0)}/graphql`, { errorPolicy: 'all' });
});

afterAll(async () => {
  await server?.close();
  await sandbox?.close();
  resetSharedClientState();
});

async function clearFaults(): Promise<void> {
  await fetch(`${sandbox.origin}/_sandbox/reset`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"faults":true}' });
}

beforeEach(clearFaults);

async function run(query: string, variables: Record<string, unknown> = {}): Promise<{ data?: any; errors?: GqlError[] }> {
  const r = await client.rawRequest<any>(query, variables);
  return { data: r.data, ...(r.errors ? { errors: r.errors as unknown as GqlError[] } : {}) };
}

async function stats(): Promise<StatsSnapshot> {
  return (await (await fetch(`${sandbox.origin}/_sandbox/stats`)).json()) as StatsSnapshot;
}

async function resetStats(): Promise<void> {
  await fetch(`${sandbox.origin}/_sandbox/reset`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
}

/** Vendor calls since the last reset, sign-in calls left out, per vendor. */
function readCalls(s: StatsSnapshot): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [vendor, v] of Object.entries(s.vendors)) {
    let n = 0;
    for (const [endpoint, e] of Object.entries(v.endpoints)) if (!/sessions|token|oauth|authentication/i.test(endpoint)) n += e.count;
    out[vendor] = n;
  }
  return out;
}

/** Calls of each vendor's work-order list endpoint since the last reset. */
function listCalls(s: StatsSnapshot): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [vendor, v] of Object.entries(s.vendors)) {
    out[vendor] = Object.entries(v.endpoints)
      .filter(([endpoint]) => /^GET \S*\/(jobs|workorders|work-orders)$/.test(endpoint))
      .reduce((n, [, e]) => n + e.count, 0);
  }
  return out;
}

const PAGE = /* GraphQL */ `
  query Page($first: Int, $after: String, $filter: WorkOrderFilter, $orderBy: RecordOrder) {
    workOrders(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
      unavailableSystems
      pageInfo { hasNextPage endCursor }
      edges { cursor node { id updatedAt status source { system id } } }
    }
  }
`;

interface Row {
  id: string;
  updatedAt: string;
  system: string;
  vendorId: string;
  status: string;
}

/** Walks `workOrders` to the end, `between` running after each page. */
async function walk(variables: Record<string, unknown>, between?: (page: number) => Promise<void>): Promise<{ rows: Row[]; pages: number }> {
  const rows: Row[] = [];
  let after: string | null = null;
  for (let page = 0; page < 400; page++) {
    const r = await run(PAGE, { ...variables, after });
    expect(r.errors).toBeUndefined();
    const c = r.data.workOrders;
    for (const e of c.edges) rows.push({ id: e.node.id, updatedAt: e.node.updatedAt, system: e.node.source.system, vendorId: e.node.source.id, status: e.node.status });
    if (!c.pageInfo.hasNextPage) return { rows, pages: page + 1 };
    expect(c.pageInfo.endCursor).toBe(c.edges.at(-1).cursor);
    after = c.pageInfo.endCursor;
    if (between) await between(page);
  }
  throw new Error('the walk did not end in 400 pages');
}

const RANK = Object.fromEntries(VENDOR_KEYS.map((v, i) => [v.toUpperCase(), i]));

/** The list's order: modification time, then system, then the id in its system. */
function inOrder(rows: Row[], dir: 'ASC' | 'DESC'): boolean {
  const sign = dir === 'ASC' ? 1 : -1;
  for (let i = 1; i < rows.length; i++) {
    const a = rows[i - 1]!;
    const b = rows[i]!;
    const c = Date.parse(a.updatedAt) - Date.parse(b.updatedAt) || RANK[a.system]! - RANK[b.system]!;
    if (sign * c > 0) return false;
  }
  return true;
}

function datasetWorkOrders(): Array<{ vendor: VendorKey; id: string; updatedAt: string }> {
  return VENDOR_KEYS.flatMap((vendor) => sandbox.dataset.vendors[vendor].workOrders.map((w) => ({ vendor, id: w.id, updatedAt: w.updatedAt })));
}

describe('workOrders walked to the end', () => {
  it.each(['ASC', 'DESC'] as const)('returns every work order once, in %s order, with totalCount', { timeout: 180_000 }, async (direction) => {
    const truth = datasetWorkOrders();
    const { rows, pages } = await walk({ first: 37, orderBy: { field: 'UPDATED_AT', direction } });
    expect(rows.length).toBe(truth.length);
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    expect(new Set(rows.map((r) => `${r.system.toLowerCase()}:${r.vendorId}`))).toEqual(new Set(truth.map((t) => `${t.vendor}:${t.id}`)));
    expect(inOrder(rows, direction)).toBe(true);
    expect(pages).toBe(Math.ceil(truth.length / 37));
    const count = await run(`query($o: RecordOrder) { workOrders(first: 1, orderBy: $o) { totalCount } }`, { o: { direction } });
    expect(count.data.workOrders.totalCount).toBe(truth.length);
    // Every system appears, interleaved rather than one after another.
    expect(new Set(rows.slice(0, 400).map((r) => r.system)).size).toBe(5);
  });

  it('keeps order and uniqueness while new work orders are being created', { timeout: 180_000 }, async () => {
    const sp = createConnectors({ servicepower: connections.servicepower }).servicepower!;
    const eq = sandbox.dataset.vendors.servicepower.equipment[0]!;
    const ref = (id: string) => ({ system: 'servicepower' as const, id });
    const before = new Set(datasetWorkOrders().map((t) => `${t.vendor.toUpperCase()}:${t.id}`));
    const created: string[] = [];
    const { rows } = await walk({ first: 37, orderBy: { direction: 'ASC' } }, async (page) => {
      if (page % 4 !== 0 || created.length >= 6) return;
      const wo = await sp.createWorkOrder!({
        externalReference: `FG-${randomUUID()}`,
        customer: { ref: ref(eq.customerId) },
        location: { ref: ref(eq.locationId) },
        equipment: { ref: ref(eq.id) },
        serviceType: 'repair',
        problemCode: 'NO_COOL',
        summary: 'Created during the walk',
        priority: 'NORMAL',
      });
      created.push(wo.ref.id);
    });
    expect(created.length).toBe(6);
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    expect(inOrder(rows, 'ASC')).toBe(true);
    const seen = new Set(rows.map((r) => `${r.system}:${r.vendorId}`));
    for (const key of before) expect(seen.has(key)).toBe(true);
    // Created after the walk started, modified last: they come at the end, each once.
    for (const id of created) expect(seen.has(`SERVICEPOWER:${id}`)).toBe(true);
    expect(rows.slice(-created.length).map((r) => r.vendorId).sort()).toEqual([...created].sort());
    await fetch(`${sandbox.origin}/_sandbox/reset`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"data":true}' });
  });
});

describe('page cost', () => {
  it('costs a few calls per system a page, however far into the list', async () => {
    let after: string | null = null;
    const perPage: Array<Record<string, number>> = [];
    for (let page = 0; page < 6; page++) {
      await resetStats();
      const r = await run(PAGE, { first: 25, after, orderBy: { direction: 'ASC' } });
      perPage.push(listCalls(await stats()));
      after = r.data.workOrders.pageInfo.endCursor;
    }
    // About one window a system once its width is learned.
    for (const calls of perPage) for (const vendor of VENDOR_KEYS) expect(calls[vendor] ?? 0).toBeLessThanOrEqual(3);
  });

  it('makes no vendor call when only totalCount is asked for with first: 0 beyond one count per system', async () => {
    await resetStats();
    const r = await run(`{ workOrders(first: 0) { totalCount edges { cursor } } }`);
    expect(r.data.workOrders.totalCount).toBe(datasetWorkOrders().length);
    const calls = readCalls(await stats());
    for (const vendor of VENDOR_KEYS) expect(calls[vendor]).toBe(1);
  });
});

describe('filters', () => {
  it('systems and statuses', { timeout: 120_000 }, async () => {
    const { rows } = await walk({ first: 100, filter: { systems: ['SERA', 'ASTEA'], statuses: ['COMPLETED'] } });
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((r) => r.system))).toEqual(new Set(['SERA', 'ASTEA']));
    expect(rows.every((r) => r.status === 'COMPLETED')).toBe(true);
    // Against every Sera and Astea work order read by its own connector.
    const all = await walk({ first: 100, filter: { systems: ['SERA', 'ASTEA'] } });
    expect(rows.length).toBe(all.rows.filter((r) => r.status === 'COMPLETED').length);
  });

  it('an updated span, both ends', { timeout: 120_000 }, async () => {
    const times = datasetWorkOrders().map((t) => t.updatedAt).sort();
    const from = times[Math.floor(times.length * 0.4)]!;
    const to = times[Math.floor(times.length * 0.6)]!;
    const { rows } = await walk({ first: 50, filter: { updated: { from, to } }, orderBy: { direction: 'ASC' } });
    const expected = datasetWorkOrders().filter((t) => t.updatedAt >= from && t.updatedAt < to);
    expect(rows.length).toBe(expected.length);
    expect(rows.every((r) => Date.parse(r.updatedAt) >= Date.parse(from) && Date.parse(r.updatedAt) < Date.parse(to))).toBe(true);
  });

  it('a customer', async () => {
    const st = sandbox.dataset.vendors.servicetitan;
    const counts = new Map<string, number>();
    for (const w of st.workOrders) counts.set(w.customerId, (counts.get(w.customerId) ?? 0) + 1);
    const [customerId, n] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]!;
    const customer = toGlobalId('Customer', { system: 'servicetitan', id: customerId });
    const { rows } = await walk({ first: 10, filter: { customer } });
    expect(rows.length).toBe(n);
    const r = await run(`query($f: WorkOrderFilter) { workOrders(first: 100, filter: $f) { nodes { customer { id } } } }`, { f: { customer } });
    expect(r.data.workOrders.nodes.every((w: any) => w.customer.id === customer)).toBe(true);
  });
});

describe('bad arguments', () => {
  it('are refused with BAD_USER_INPUT before any vendor call', async () => {
    const first = await run(PAGE, { first: 5 });
    const cursor = first.data.workOrders.pageInfo.endCursor as string;
    await resetStats();
    const cases: Array<Record<string, unknown>> = [
      { first: 101 },
      { first: -1 },
      { first: 5, after: 'not-a-cursor' },
      { first: 5, after: Buffer.from('{"v":1}').toString('base64url') },
      // A cursor of the same list with another filter or order.
      { first: 5, after: cursor, orderBy: { direction: 'ASC' } },
      { first: 5, after: cursor, filter: { systems: ['SERA'] } },
      { first: 5, filter: { customer: 'nope' } },
      { first: 5, filter: { customer: toGlobalId('WorkOrder', { system: 'sera', id: 'x' }) } },
    ];
    for (const variables of cases) {
      const r = await run(PAGE, variables);
      expect(r.errors?.[0]?.extensions?.code, JSON.stringify(variables)).toBe('BAD_USER_INPUT');
    }
    expect(readCalls(await stats())).toEqual(Object.fromEntries(Object.keys(readCalls(await stats())).map((k) => [k, 0])));
  });
});

describe('a system down', () => {
  it('answers with the other systems and reports the one down at the list path', async () => {
    await sandbox.setFaults({ sera: { down: true } });
    const r = await run(PAGE, { first: 60 });
    expect(r.data.workOrders.unavailableSystems).toEqual(['SERA']);
    const counted = await run(`{ workOrders(first: 1) { totalCount } }`);
    expect(counted.data.workOrders.totalCount).toBeNull();
    const systems = new Set(r.data.workOrders.edges.map((e: any) => e.node.source.system));
    expect(systems.has('SERA')).toBe(false);
    expect(systems.size).toBe(4);
    const errors = (r.errors ?? []).filter((e) => e.extensions?.system === 'SERA');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]!.path).toEqual(['workOrders']);
    expect(errors[0]!.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(JSON.stringify(r.errors)).not.toMatch(/http:\/\//);
    // Its place is kept: once it is back, the next page carries on with it.
    await clearFaults();
    // The outage opened Sera's circuit breaker; a fresh one stands for "some time later".
    resetSharedClientState();
    const next = await run(PAGE, { first: 60, after: r.data.workOrders.pageInfo.endCursor });
    expect(next.errors).toBeUndefined();
    expect(next.data.workOrders.edges.some((e: any) => e.node.source.system === 'SERA')).toBe(true);
  });
});

describe('the job graph from the root list', () => {
  it('answers the issue query over 50 work orders from all five systems', async () => {
    const r = await run(/* GraphQL */ `
      query JobGraph($first: Int!) {
        workOrders(first: $first) {
          totalCount
          pageInfo { hasNextPage endCursor }
          nodes {
            id ${JOB_GRAPH_FIELDS}
          }
        }
      }
    `, { first: 50 });
    expect(r.errors).toBeUndefined();
    const nodes = r.data.workOrders.nodes as any[];
    expect(nodes.length).toBe(50);
    expect(r.data.workOrders.totalCount).toBe(datasetWorkOrders().length);
    expect(nodes.every((n) => n.customer && n.location)).toBe(true);
    for (const n of nodes) expect(fromGlobalId(n.id, undefined, DEFAULT_TENANT).ref.system.toUpperCase()).toBe(n.source.system);
  });
});
