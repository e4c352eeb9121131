/**
 * The shared cache over real HTTP: a warm job graph makes no vendor read the cold one made, a
 * write through the gateway is seen at once by the next request, tenants never share entries,
 * authorization still applies to what is cached, and a failing cache is only a miss.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { Keyv } from 'keyv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VENDOR_KEYS, type VendorKey } from '../../connectors/vendors.js';
import type { StatsSnapshot } from '../../connectors/sandbox/stats.js';
import { BoundedMap } from '../../src/cache/shared.js';
import { exampleQuery } from '../../src/gateway.js';
import { toGlobalId } from '../../src/ids.js';
import { testKey } from '../helpers/auth.js';
import { futureWindow, qualifiedTechnicians, resetStats, sandboxAction, sandboxStats, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { startTestSandbox } from '../helpers/sandbox.js';
import type { Sandbox } from '../../connectors/sandbox/server.js';

const admin = testKey('cache-admin', ['admin']);
const viewer = testKey('cache-viewer', ['viewer']);
const acme = testKey('cache-acme', ['admin'], 'acme');

const WEBHOOK_SECRET = 'whsec-field-nation-test-0001';

let sandbox: Sandbox;
let gw: TestGateway;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  gw = await startTestGateway({
    sandbox,
    auth: { apiKeys: [admin.entry, viewer.entry, acme.entry] },
    tenants: ['acme'],
    sharedCache: { keyv: new Keyv({ store: new BoundedMap(10_000) }) },
    webhookSecrets: { default: { fieldnation: WEBHOOK_SECRET } },
  });
}, 60_000);
afterAll(async () => {
  await gw?.close();
  await sandbox?.close();
});

/** Vendor reads (sign-ins excluded) in a stats snapshot. */
function reads(s: StatsSnapshot): number {
  let n = 0;
  for (const v of VENDOR_KEYS) for (const [e, stat] of Object.entries(s.vendors[v]?.endpoints ?? {})) if (!/sessions|token/.test(e) && e.startsWith('GET ')) n += stat.count;
  return n;
}

async function post(url: string, query: string, variables: Record<string, unknown>, headers: Record<string, string>): Promise<{ data?: any; errors?: Array<{ path?: string[]; extensions?: { code?: string } }> }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
  return (await res.json()) as { data?: any; errors?: Array<{ path?: string[]; extensions?: { code?: string } }> };
}

const ids = (tenant = 'default', n = 4): string[] =>
  VENDOR_KEYS.flatMap((vendor: VendorKey) => sandbox.dataset.vendors[vendor].workOrders.slice(0, n).map((wo) => toGlobalId('WorkOrder', { system: vendor, id: wo.id }, tenant)));

describe('the shared cache', () => {
  it('answers a warm job graph without a vendor read, with the same data', async () => {
    const query = exampleQuery(ids());
    await resetStats(sandbox);
    const cold = await post(gw.url, query, {}, admin.header);
    const coldReads = reads(await sandboxStats(sandbox));
    expect(cold.errors ?? []).toEqual([]);
    expect(coldReads).toBeGreaterThan(10);
    await resetStats(sandbox);
    const warm = await post(gw.url, query, {}, admin.header);
    expect(reads(await sandboxStats(sandbox))).toBe(0);
    expect(warm.data).toEqual(cold.data);
    const metrics = await (await fetch(gw.url.replace('/graphql', '/metrics'))).text();
    expect(metrics).toMatch(/fieldgraph_cache_hits_total\{cache="workOrder"\} [1-9]/);
  });

  it('keeps tenants apart: the same record read by another tenant is its own entry', async () => {
    await resetStats(sandbox);
    const r = await post(gw.url, exampleQuery(ids('acme', 1)), {}, acme.header);
    expect(r.errors ?? []).toEqual([]);
    expect(reads(await sandboxStats(sandbox))).toBeGreaterThan(0);
  });

  it('applies authorization to cached records: a viewer still gets FORBIDDEN for invoices warmed by an admin', async () => {
    const r = await post(gw.url, exampleQuery(ids()), {}, viewer.header);
    expect(r.data.nodes.every((n: { invoices: unknown }) => n.invoices === null)).toBe(true);
    expect(r.errors?.some((e) => e.extensions?.code === 'FORBIDDEN' && e.path?.[2] === 'invoices')).toBe(true);
  });

  it('forgets what a write changes: after a dispatch the next request sees the new visit', async () => {
    const d = sandbox.dataset.vendors.servicepower;
    const wo = d.workOrders.find((w) => !['completed', 'closed', 'cancelled', 'canceled'].includes(String(w.status).toLowerCase()) && qualifiedTechnicians(sandbox, 'servicepower', w).length > 0)!;
    const tech = qualifiedTechnicians(sandbox, 'servicepower', wo)[0]!;
    const id = toGlobalId('WorkOrder', { system: 'servicepower', id: wo.id });
    const q = `query($id: ID!) { node(id: $id) { ... on WorkOrder { status appointments { nodes { id window { start } } } } } }`;
    const before = await post(gw.url, q, { id }, admin.header);
    await post(gw.url, q, { id }, admin.header); // now surely cached
    const window = futureWindow(40);
    const m = await post(
      gw.url,
      `mutation($input: DispatchInput!) { dispatch(input: $input) { userErrors { code message } appointment { id } } }`,
      { input: { workOrder: id, window, technicians: [toGlobalId('Technician', { system: 'servicepower', id: tech.id })] } },
      admin.header,
    );
    expect(m.errors ?? []).toEqual([]);
    if (m.data.dispatch.userErrors.length > 0) throw new Error(`dispatch refused: ${JSON.stringify(m.data.dispatch.userErrors)}`);
    const after = await post(gw.url, q, { id }, admin.header);
    const starts = after.data.node.appointments.nodes.map((n: { window: { start: string } | null }) => n.window?.start);
    expect(starts).toContain(window.start);
    expect(after.data.node.appointments.nodes.length).toBeGreaterThan(before.data.node.appointments.nodes.length - 1);
  });

  it('forgets what a signed Field Nation webhook names, and ignores an unsigned one', async () => {
    const fn = sandbox.dataset.vendors.fieldnation;
    const wo = fn.workOrders.find((w) => /assigned/i.test(String(w.status)))!;
    expect(wo).toBeDefined();
    const id = toGlobalId('WorkOrder', { system: 'fieldnation', id: wo.id });
    const q = `query($id: ID!) { node(id: $id) { ... on WorkOrder { status } } }`;
    const before = (await post(gw.url, q, { id }, admin.header)).data.node.status;
    // The provider marks the work done at Field Nation: the cache still holds the old state.
    await sandboxAction(sandbox, 'fieldnation', 'work-done', { id: wo.id });
    expect((await post(gw.url, q, { id }, admin.header)).data.node.status).toBe(before);
    const body = Buffer.from(JSON.stringify({ id: Number(wo.id), event: { name: 'workorder.status.work_done', params: { work_order_id: String(wo.id), status_id: 4 } }, timestamp: Date.now() }));
    const deliver = (signature: string) =>
      fetch(gw.url.replace('/graphql', '/webhooks/default/fieldnation'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-fn-signature': signature, 'x-fn-delivery-id': `${randomUUID()}:1` },
        body,
      });
    const forged = await deliver(`sha256=${createHmac('sha256', 'not-the-secret').update(body).digest('hex')}`);
    expect(forged.status).toBe(401);
    expect((await post(gw.url, q, { id }, admin.header)).data.node.status).toBe(before);
    const genuine = await deliver(`sha256=${createHmac('sha256', WEBHOOK_SECRET).update(body).digest('hex')}`);
    expect(genuine.status).toBe(204);
    const after = (await post(gw.url, q, { id }, admin.header)).data.node.status;
    expect(after).not.toBe(before);
    // Retried deliveries and unknown vendors or tenants are harmless.
    expect((await deliver(`sha256=${createHmac('sha256', WEBHOOK_SECRET).update(body).digest('hex')}`)).status).toBe(204);
    expect((await fetch(gw.url.replace('/graphql', '/webhooks/acme/fieldnation'), { method: 'POST', body })).status).toBe(404);
  });

  it('treats a failing cache as a miss: every query still answers, from the vendors', async () => {
    const broken = new Keyv({
      store: {
        get: () => Promise.reject(new Error('cache down')),
        set: () => Promise.reject(new Error('cache down')),
        delete: () => Promise.reject(new Error('cache down')),
        clear: () => Promise.reject(new Error('cache down')),
      } as unknown as Map<string, unknown>,
      throwOnErrors: true,
    });
    broken.on('error', () => {});
    const other = await startTestGateway({ sandbox, auth: { apiKeys: [admin.entry] }, sharedCache: { keyv: broken } });
    try {
      const query = exampleQuery(ids('default', 2));
      await resetStats(sandbox);
      const first = await post(other.url, query, {}, admin.header);
      const firstReads = reads(await sandboxStats(sandbox));
      await resetStats(sandbox);
      const second = await post(other.url, query, {}, admin.header);
      expect(first.errors ?? []).toEqual([]);
      expect(second.data).toEqual(first.data);
      expect(reads(await sandboxStats(sandbox))).toBe(firstReads);
    } finally {
      await other.close();
    }
  });
});
