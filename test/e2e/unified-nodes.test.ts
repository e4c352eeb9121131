/**
 * Cross-vendor identity in the graph, over real HTTP: one Customer (and one Equipment) node per
 * real-world entity whichever member record it is reached through, `sources` with what linked
 * them, relationships that hold every system's records at the cost of the member records and their
 * relations only, the root list with each real-world customer once, linked work orders, and the
 * manual link and unlink mutations, persisted across a restart.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnectors, sandboxConnections } from '../../connectors/registry.js';
import type { GenRef } from '../../connectors/sandbox/dataset/types.js';
import type { VendorInfo } from '../../connectors/sandbox/kit.js';
import type { Sandbox } from '../../connectors/sandbox/server.js';
import type { StatsSnapshot } from '../../connectors/sandbox/stats.js';
import { VENDOR_KEYS, type VendorKey } from '../../connectors/vendors.js';
import { IDENTITY_NAMESPACE, openLinkIndex, type LinkIndex } from '../../src/identity/index.js';
import { runSync } from '../../src/identity/sync.js';
import { resetSharedClientState } from '../../connectors/core/http-client.js';
import { toGlobalId } from '../../src/ids.js';
import { createKeyValueStore, type KeyValueStore } from '../../src/store/kv.js';
import { testKey } from '../helpers/auth.js';
import { resetStats, sandboxStats, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { startTestSandbox } from '../helpers/sandbox.js';

const admin = testKey('identity-admin', ['admin']);
const viewer = testKey('identity-viewer', ['viewer']);

let sandbox: Sandbox;
let dataDir: string;
let store: KeyValueStore;
let index: LinkIndex;
let gw: TestGateway;

async function openGateway(): Promise<TestGateway> {
  return startTestGateway({ sandbox, auth: { apiKeys: [admin.entry, viewer.entry] }, identity: { indexFor: () => index } });
}

beforeAll(async () => {
  sandbox = await startTestSandbox();
  dataDir = mkdtempSync(join(tmpdir(), 'fieldgraph-identity-'));
  store = await createKeyValueStore({ namespace: IDENTITY_NAMESPACE, dataDir });
  index = openLinkIndex({ store });
  const vendors = ((await (await fetch(`${sandbox.origin}/_sandbox`)).json()) as { vendors: VendorInfo[] }).vendors;
  const summary = await runSync({ connectors: createConnectors(sandboxConnections(vendors)), index });
  expect(summary.interrupted).toBe(false);
  gw = await openGateway();
}, 120_000);

afterAll(async () => {
  await gw?.close();
  await store?.close();
  await sandbox?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

type Json = { data?: any; errors?: Array<{ message: string; path?: unknown[]; extensions?: { code?: string } }> };

async function post(query: string, variables: Record<string, unknown> = {}, who = admin): Promise<Json> {
  const res = await fetch(gw.url, { method: 'POST', headers: { 'content-type': 'application/json', ...who.header }, body: JSON.stringify({ query, variables }) });
  return (await res.json()) as Json;
}

const gid = (type: 'Customer' | 'Equipment' | 'WorkOrder', r: GenRef) => toGlobalId(type, { system: r.vendor, id: r.id });

/** Vendor reads (sign-ins excluded) per vendor. */
function readsByVendor(s: StatsSnapshot): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of VENDOR_KEYS) {
    for (const [e, stat] of Object.entries(s.vendors[v]?.endpoints ?? {})) {
      if (/sessions|token/.test(e) || !e.startsWith('GET ')) continue;
      out[v] = (out[v] ?? 0) + stat.count;
    }
  }
  return out;
}

/** A real-world customer held by at least `n` systems. */
function customerIn(n: number): GenRef[] {
  const cluster = sandbox.dataset.truth.customers.find((c) => new Set(c.members.map((m) => m.vendor)).size >= n && c.members.length === new Set(c.members.map((m) => m.vendor)).size);
  expect(cluster, `a customer in ${n} systems`).toBeDefined();
  return cluster!.members;
}

const CUSTOMER = /* GraphQL */ `
  query Customer($id: ID!) {
    node(id: $id) {
      id
      ... on Customer {
        name
        source { system id }
        sources { system id record matchedBy { rule with by at } }
        workOrders(first: 100) { nodes { source { system id } } unavailableSystems }
      }
    }
  }
`;

describe('unified customers', () => {
  it('are one node, whichever member record they are reached through, with every member in sources', async () => {
    const members = customerIn(3);
    const answers = await Promise.all(members.map((m) => post(CUSTOMER, { id: gid('Customer', m) })));
    for (const a of answers) expect(a.errors ?? []).toEqual([]);
    const ids = new Set(answers.map((a) => a.data.node.id));
    expect(ids.size).toBe(1);
    const sources = answers[0]!.data.node.sources as Array<{ system: string; id: string; record: string; matchedBy: Array<{ rule: string }> }>;
    expect(sources.map((s) => `${s.system.toLowerCase()}:${s.id}`).sort()).toEqual(members.map((m) => `${m.vendor}:${m.id}`).sort());
    // Every member but the first joined by a rule, and says which.
    expect(sources.filter((s) => s.matchedBy.length > 0).length).toBeGreaterThanOrEqual(sources.length - 1);
    for (const s of sources) for (const e of s.matchedBy) expect(e.rule).toMatch(/^customer\./);
    // The unified id resolves to the same node.
    const again = await post(CUSTOMER, { id: [...ids][0] });
    expect(again.data.node.id).toBe([...ids][0]);
    expect(again.data.node.name).toBe(answers[0]!.data.node.name);
  });

  it("hold every system's work orders, at the cost of the member records and their relations only", async () => {
    const members = customerIn(3);
    const expected = members.flatMap((m) => sandbox.dataset.vendors[m.vendor].workOrders.filter((w) => w.customerId === m.id).map((w) => `${m.vendor}:${w.id}`));
    await resetStats(sandbox);
    const r = await post(CUSTOMER, { id: gid('Customer', members[0]!) });
    expect(r.errors ?? []).toEqual([]);
    const got = (r.data.node.workOrders.nodes as Array<{ source: { system: string; id: string } }>).map((w) => `${w.source.system.toLowerCase()}:${w.source.id}`);
    expect(got.sort()).toEqual(expected.sort());
    expect(new Set(got.map((g) => g.split(':')[0])).size).toBeGreaterThanOrEqual(2);
    // Per member system: its customer record (one read, with ServiceTitan's contacts) and the pages
    // of that customer's work orders; nothing else, and nothing from a system that holds none of
    // the members.
    const snap = await sandboxStats(sandbox);
    const reads = readsByVendor(snap);
    const memberSystems = new Set(members.map((m) => m.vendor));
    for (const v of Object.keys(reads)) expect(memberSystems.has(v as VendorKey), `${v} read`).toBe(true);
    for (const v of memberSystems) {
      const endpoints = Object.entries(snap.vendors[v]?.endpoints ?? {}).filter(([e]) => e.startsWith('GET '));
      const records = endpoints.filter(([e]) => /\/(customers|clients)(\/\{[a-zA-Z_]+\})?$/.test(e));
      expect(records.map(([, s]) => s.count), `${v} customer reads`).toEqual([1]);
      for (const [e] of endpoints) expect(e, `${v} endpoint`).toMatch(/customers|clients|contacts|work-?orders|jobs/);
    }
  });

  it('show the explicit reference that linked a ServiceTitan customer to its Sera record', async () => {
    const st = sandbox.dataset.vendors.servicetitan.customers.find((c) => c.externalRefs.some((x) => x.vendor === 'sera'))!;
    expect(st).toBeDefined();
    const r = await post(CUSTOMER, { id: gid('Customer', { vendor: 'servicetitan', id: st.id }) });
    const rules = (r.data.node.sources as Array<{ matchedBy: Array<{ rule: string }> }>).flatMap((s) => s.matchedBy.map((e) => e.rule));
    expect(rules).toContain('customer.explicit-reference');
  });

  it("read the other members' records only for fields that need them (not for id, sources or relationships)", async () => {
    const members = customerIn(3);
    await resetStats(sandbox);
    const r = await post(`query($id: ID!) { node(id: $id) { id ... on Customer { sources { id } workOrders(first: 100) { nodes { id } } } } }`, { id: gid('Customer', members[0]!) });
    expect(r.errors ?? []).toEqual([]);
    expect(r.data.node.sources).toHaveLength(members.length);
    const snap = await sandboxStats(sandbox);
    for (const m of members.slice(1)) {
      const customerReads = Object.entries(snap.vendors[m.vendor]?.endpoints ?? {}).filter(([e]) => /^GET .*\/(customers|clients)(\/\{[a-zA-Z_]+\})?$/.test(e));
      expect(customerReads, `${m.vendor} customer reads`).toEqual([]);
    }
  });

  it('keep near-misses apart: same name, different email and phone', async () => {
    const pairs = sandbox.dataset.truth.customerNearMisses.slice(0, 5);
    expect(pairs.length).toBeGreaterThan(0);
    for (const [a, b] of pairs) {
      const [ra, rb] = (await Promise.all([post(CUSTOMER, { id: gid("Customer", a) }), post(CUSTOMER, { id: gid("Customer", b) })])) as [Json, Json];
      expect(ra.data.node.id).not.toBe(rb.data.node.id);
    }
  });

  it('are listed once each by the root list, across its pages', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 40; page++) {
      const r: Json = await post(`query($after: String) { customers(first: 100, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } }`, { after });
      expect(r.errors ?? []).toEqual([]);
      seen.push(...r.data.customers.nodes.map((n: { id: string }) => n.id));
      if (!r.data.customers.pageInfo.hasNextPage) break;
      after = r.data.customers.pageInfo.endCursor;
    }
    expect(new Set(seen).size).toBe(seen.length);
    const records = VENDOR_KEYS.flatMap((v) => sandbox.dataset.vendors[v].customers.map((c) => ({ system: v, id: c.id })));
    const entities = await index.entitiesOf('customer', records);
    expect(seen.length).toBe(new Set(entities.map((e, i) => e?.id ?? `alone:${i}`)).size);
    expect(seen.length).toBeLessThan(records.length);
  });
});

describe('unified customers while a system fails', () => {
  afterAll(() => {
    sandbox.setFaults({ servicetitan: { down: false, only: null } });
    resetSharedClientState();
  });

  it("are listed through their other systems' records when the first member's system cannot list", async () => {
    sandbox.setFaults({ servicetitan: { down: true, only: '^GET /crm/v2/tenant/\\{tenant\\}/customers$' } });
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 40; page++) {
      const r: Json = await post(`query($after: String) { customers(first: 100, after: $after) { nodes { id } unavailableSystems pageInfo { hasNextPage endCursor } } }`, { after });
      expect(r.data.customers.unavailableSystems).toEqual(['SERVICETITAN']);
      seen.push(...r.data.customers.nodes.map((n: { id: string }) => n.id));
      if (!r.data.customers.pageInfo.hasNextPage) break;
      after = r.data.customers.pageInfo.endCursor;
    }
    expect(new Set(seen).size).toBe(seen.length);
    // Every real-world customer with a record outside ServiceTitan, once.
    const records = VENDOR_KEYS.filter((v) => v !== 'servicetitan').flatMap((v) => sandbox.dataset.vendors[v].customers.map((c) => ({ system: v, id: c.id })));
    const entities = await index.entitiesOf('customer', records);
    expect(seen.length).toBe(new Set(entities.map((e, i) => e?.id ?? `alone:${i}`)).size);
  }, 60_000);
});

describe('unified equipment and linked work orders', () => {
  it('makes one Equipment node of a unit held by several systems', async () => {
    const cluster = sandbox.dataset.truth.equipment.find((c) => new Set(c.members.map((m) => m.vendor)).size >= 2)!;
    const q = `query($id: ID!) { node(id: $id) { id ... on Equipment { serialNumber sources { system id } } } }`;
    const answers = await Promise.all(cluster.members.map((m) => post(q, { id: gid('Equipment', m) })));
    expect(new Set(answers.map((a) => a.data.node.id)).size).toBe(1);
    expect(answers[0]!.data.node.sources).toHaveLength(cluster.members.length);
  });

  it('shows the same job in another system as linkedWorkOrders, each its own node', async () => {
    const [a, b] = sandbox.dataset.truth.workOrderLinks[0]!;
    const r = await post(`query($id: ID!) { node(id: $id) { id ... on WorkOrder { linkedWorkOrders { id source { system id } } } } }`, { id: gid('WorkOrder', a) });
    expect(r.errors ?? []).toEqual([]);
    expect(r.data.node.id).toBe(gid('WorkOrder', a));
    expect(r.data.node.linkedWorkOrders.map((w: { id: string }) => w.id)).toContain(gid('WorkOrder', b));
  });
});

describe('linkRecords and unlinkRecords', () => {
  const LINK = `mutation($input: LinkRecordsInput!) { linkRecords(input: $input) { replayed userErrors { code field message } node { id ... on Customer { sources { id matchedBy { rule by at } } } } } }`;
  const UNLINK = `mutation($input: UnlinkRecordsInput!) { unlinkRecords(input: $input) { replayed userErrors { code message } nodes { id } } }`;

  it('link two records the rules keep apart, persist across a restart, and unlink them again', async () => {
    const [a, b] = sandbox.dataset.truth.customerNearMisses[0]!;
    const ids = [gid('Customer', a), gid('Customer', b)];
    const refused = await post(LINK, { input: { records: ids } }, viewer);
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const linked = await post(LINK, { input: { records: ids, reason: 'Same household, confirmed by phone', idempotencyKey: `link-${Date.now()}` } });
    expect(linked.errors ?? []).toEqual([]);
    expect(linked.data.linkRecords.userErrors).toEqual([]);
    const manual = (linked.data.linkRecords.node.sources as Array<{ matchedBy: Array<{ rule: string; by: string; at: string }> }>).flatMap((s) => s.matchedBy).find((e) => e.rule === 'manual');
    expect(manual?.by).toBe('key:identity-admin');
    expect(Date.parse(manual!.at)).toBeGreaterThan(Date.now() - 60_000);
    const [na, nb] = (await Promise.all(ids.map((id) => post(CUSTOMER, { id })))) as [Json, Json];
    expect(na.data.node.id).toBe(nb.data.node.id);

    // A restart: a new gateway and a new index over the same store file.
    await gw.close();
    await store.close();
    store = await createKeyValueStore({ namespace: IDENTITY_NAMESPACE, dataDir });
    index = openLinkIndex({ store });
    gw = await openGateway();
    const [ra, rb] = (await Promise.all(ids.map((id) => post(CUSTOMER, { id })))) as [Json, Json];
    expect(ra.data.node.id).toBe(rb.data.node.id);
    expect(ra.data.node.id).toBe(na.data.node.id);

    const unlinked = await post(UNLINK, { input: { records: [ids[1]], reason: 'Different people after all' } });
    expect(unlinked.data.unlinkRecords.userErrors).toEqual([]);
    const [ua, ub] = (await Promise.all(ids.map((id) => post(CUSTOMER, { id })))) as [Json, Json];
    expect(ua.data.node.id).not.toBe(ub.data.node.id);
    // A unified node's id is refused where records are needed.
    const bad = await post(UNLINK, { input: { records: [ua.data.node.id] } });
    expect(bad.data.unlinkRecords.userErrors[0].code).toBe('INVALID');
  });
});
