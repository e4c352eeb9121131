/**
 * Safe to retry, over real HTTP: 200 `createWorkOrder` calls, each sent three times at once with
 * the same key and once more after a delay, under 10% injected 5xx and 5% dropped responses at
 * ServicePower, leave exactly 200 new work orders there (counted at the vendor, by the reference
 * each key stamps). Then: the same key across a restart of the gateway and across two gateway
 * instances, with the file store and with Redis.
 *
 * ServicePower takes the load: its create is one call (`POST /work-orders`) and its look-up of a
 * lost create one paged list, where a ServiceTitan create first reads the job types, business units
 * and campaigns and books an appointment with it. Its client-side rate limit (10 calls a second by
 * default, the vendor publishing none) is raised for the test, as the simulator enforces none.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnectors } from '../../connectors/registry.js';
import type { VendorKey } from '../../connectors/vendors.js';
import { toGlobalId } from '../../src/ids.js';
import { derivedReference } from '../../src/store/idempotency.js';
import { resetStats, sandboxStats, startTestGateway, writesOf, type TestGateway } from '../helpers/gateway.js';
import { redisAvailable, REDIS_SERVER, startRedis, type TestRedis } from '../helpers/redis.js';
import { startTestSandbox } from '../helpers/sandbox.js';
import type { Sandbox } from '../../connectors/sandbox/server.js';
import { TEST_ADMIN } from '../helpers/auth.js';

const CREATE = /* GraphQL */ `
  mutation Create($input: CreateWorkOrderInput!) {
    createWorkOrder(input: $input) { replayed userErrors { code field message } workOrder { id externalReference } }
  }
`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fast = { patchConnections: raiseServicePowerLimit, connectorOptions: { retry: { maxAttempts: 5, baseDelayMs: 20, maxDelayMs: 200 }, breaker: { failureThreshold: 10, openMs: 1_000 } } };

function raiseServicePowerLimit(c: Partial<Record<VendorKey, unknown>>): Partial<Record<VendorKey, unknown>> {
  return { ...c, servicepower: { ...(c.servicepower as object), rateLimit: { perSecond: 1_000, burst: 200 } } };
}

interface Answer {
  id: string | undefined;
  replayed: boolean;
  attempts: number;
}

/**
 * Sends one request until it is answered with a work order, as a client that retries would: a
 * system error (the vendor failed), `IDEMPOTENCY_KEY_IN_USE` or a network failure is retried with
 * the same key, at most `maxAttempts` times and never after `deadline`.
 */
async function send(url: string, input: Record<string, unknown>, deadline: number, maxAttempts = 12): Promise<Answer> {
  for (let attempt = 1; ; attempt++) {
    let body: any;
    try {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: CREATE, variables: { input } }) });
      body = await res.json();
    } catch {
      body = undefined;
    }
    const p = body?.data?.createWorkOrder;
    if (p?.workOrder) return { id: p.workOrder.id, replayed: p.replayed, attempts: attempt };
    const retryable = !p || p.userErrors.every((e: { code: string }) => e.code === 'IDEMPOTENCY_KEY_IN_USE' || e.code === 'PARTIAL_WRITE');
    if (!retryable) throw new Error(`refused: ${JSON.stringify(p.userErrors)}`);
    if (attempt >= maxAttempts || Date.now() > deadline) return { id: undefined, replayed: false, attempts: attempt };
    await sleep(50 * attempt);
  }
}

/** The ServicePower work orders created since `since` whose reference is one of `refs`, counted per reference. */
async function countAtVendor(gw: TestGateway, refs: Set<string>, since: string): Promise<{ perRef: Map<string, number>; created: number }> {
  const sp = createConnectors({ servicepower: gw.connections.servicepower })!.servicepower!;
  const perRef = new Map<string, number>();
  let created = 0;
  for await (const wo of sp.iterate('workOrder', { updatedSince: since })) {
    if (wo.createdAt && wo.createdAt >= since) created++;
    if (wo.externalReference && refs.has(wo.externalReference)) perRef.set(wo.externalReference, (perRef.get(wo.externalReference) ?? 0) + 1);
  }
  return { perRef, created };
}

function inputs(sandbox: Sandbox, n: number, prefix: string): Array<Record<string, unknown>> {
  const sp = sandbox.dataset.vendors.servicepower;
  const places = sp.locations.filter((l) => l.active);
  return Array.from({ length: n }, (_, i) => {
    const l = places[i % places.length]!;
    return {
      idempotencyKey: `${prefix}-${i}`,
      targetSystem: 'SERVICEPOWER',
      customer: { id: toGlobalId('Customer', { system: 'servicepower', id: l.customerId }) },
      location: { id: toGlobalId('Location', { system: 'servicepower', id: l.id }) },
      serviceType: 'repair',
      problemCode: 'NO_HEAT',
      summary: `Bulk job ${i}`,
    };
  });
}

const refOf = (key: string) => derivedReference({ tenant: 'default', principal: TEST_ADMIN.id, mutation: 'createWorkOrder', key });
const iso = (t: number) => `${new Date(t).toISOString().slice(0, 19)}Z`;

describe('200 creates, each sent three times at once and once more later, under 5xx and dropped responses', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await startTestGateway(fast);
  });

  afterAll(async () => {
    await gw?.close();
  });

  it('leaves exactly 200 work orders at ServicePower', { timeout: 120_000 }, async () => {
    const N = 200;
    const started = Date.now();
    const since = iso(started - 1_000);
    const deadline = started + 90_000;
    const all = inputs(gw.sandbox, N, `bulk-${started}`);
    // Sign in before the faults, so every injected failure hits a read or a write.
    const warm = await send(gw.url, { ...all[0]!, idempotencyKey: `warm-${started}` }, deadline);
    expect(warm.id).toBeDefined();
    await resetStats(gw.sandbox);
    gw.sandbox.setFaults({ servicepower: { errorRate: 0.1, dropRate: 0.05 } });

    // Three at once per key, 25 keys at a time.
    const first: Answer[][] = new Array(N);
    let next = 0;
    await Promise.all(
      Array.from({ length: 25 }, async () => {
        while (next < N) {
          const i = next++;
          first[i] = await Promise.all([0, 1, 2].map(() => send(gw.url, all[i]!, deadline)));
        }
      }),
    );
    // And once more each, after a delay.
    await sleep(500);
    const postsBefore = writesOf(await sandboxStats(gw.sandbox)).servicepower['POST /work-orders'] ?? 0;
    const later: Answer[] = [];
    for (let i = 0; i < N; i += 50) later.push(...(await Promise.all(all.slice(i, i + 50).map((input) => send(gw.url, input, deadline)))));
    const postsAfter = writesOf(await sandboxStats(gw.sandbox)).servicepower['POST /work-orders'] ?? 0;
    gw.sandbox.setFaults({ servicepower: { errorRate: 0, dropRate: 0 } });

    // Every send of a key got the same work order; the late ones got it replayed, writing nothing.
    for (let i = 0; i < N; i++) {
      const ids = new Set([...first[i]!.map((a) => a.id), later[i]!.id]);
      expect(ids.size, `key ${i}: ${JSON.stringify(first[i])} ${JSON.stringify(later[i])}`).toBe(1);
      expect([...ids][0]).toBeDefined();
      expect(later[i]!.replayed).toBe(true);
    }
    expect(postsAfter).toBe(postsBefore);

    // At the vendor: exactly one work order per key, and nothing else created.
    const refs = new Set(all.map((input) => refOf(input.idempotencyKey as string)));
    const { perRef, created } = await countAtVendor(gw, refs, since);
    expect(perRef.size).toBe(N);
    expect([...perRef.values()].every((n) => n === 1)).toBe(true);
    expect(created).toBe(N + 1); // + the warm-up
    const stats = await sandboxStats(gw.sandbox);
    const endpoints = Object.values(stats.vendors.servicepower?.endpoints ?? {});
    const creates = stats.vendors.servicepower?.endpoints['POST /work-orders'];
    const summary = {
      keys: N,
      sends: N * 4,
      clientRetries: [...first.flat(), ...later].reduce((s, a) => s + a.attempts - 1, 0),
      vendorCalls: stats.vendors.servicepower?.total,
      injected5xx: endpoints.reduce((n, e) => n + (e.statuses['503'] ?? 0), 0),
      droppedResponses: endpoints.reduce((n, e) => n + (e.statuses['0'] ?? 0), 0),
      createCalls: creates?.count,
      createStatuses: creates?.statuses,
      workOrdersAtVendor: perRef.size,
      seconds: (Date.now() - started) / 1000,
    };
    if (process.env.FIELDGRAPH_PRINT_CORPUS) console.log(JSON.stringify(summary));
    expect(summary.createCalls).toBeGreaterThanOrEqual(N);
  });
});

/** Restart and second instance, against a store made by `store()` (file directory or Redis). */
function acrossInstances(name: string, store: () => { dataDir?: string; redisUrl?: string }): void {
  describe(`the same key across a restart and across two instances (${name})`, () => {
    let sandbox: Sandbox;

    beforeAll(async () => {
      sandbox = await startTestSandbox();
    });

    afterAll(async () => {
      await sandbox?.close();
    });

    it('returns the first result after a restart and writes nothing more', async () => {
      const s = store();
      const before = await startTestGateway({ sandbox, ...s, ...fast });
      const [input] = inputs(sandbox, 1, `restart-${name}-${Date.now()}`);
      const first = await send(before.url, input!, Date.now() + 20_000);
      await before.close();
      await resetStats(sandbox);
      const after = await startTestGateway({ sandbox, ...s, ...fast });
      try {
        const again = await send(after.url, input!, Date.now() + 20_000);
        expect(again).toMatchObject({ id: first.id, replayed: true });
        expect(writesOf(await sandboxStats(sandbox)).servicepower).toEqual({});
        const other = await after.client.rawRequest<any>(CREATE, { input: { ...input, summary: 'changed' } });
        expect(other.data.createWorkOrder.userErrors.map((e: any) => e.code)).toEqual(['IDEMPOTENCY_KEY_REUSED']);
      } finally {
        await after.close();
      }
    });

    it('makes one vendor write for concurrent duplicates sent to two instances', async () => {
      const s = store();
      const a = await startTestGateway({ sandbox, ...s, ...fast });
      const b = await startTestGateway({ sandbox, ...s, ...fast });
      try {
        const keys = inputs(sandbox, 10, `two-${name}-${Date.now()}`);
        // Sign-ins first, then count.
        await send(a.url, { ...keys[0]!, idempotencyKey: `warm-a-${Date.now()}` }, Date.now() + 20_000);
        await resetStats(sandbox);
        const answers = await Promise.all(keys.map((input) => Promise.all([a, b, a, b].map((g) => send(g.url, input, Date.now() + 30_000)))));
        for (const per of answers) expect(new Set(per.map((x) => x.id)).size).toBe(1);
        expect(writesOf(await sandboxStats(sandbox)).servicepower['POST /work-orders']).toBe(keys.length);
      } finally {
        await a.close();
        await b.close();
      }
    });
  });
}

const fileDir = mkdtempSync(join(tmpdir(), 'fieldgraph-instances-'));
afterAll(() => rmSync(fileDir, { recursive: true, force: true }));
acrossInstances('file', () => ({ dataDir: fileDir }));

if (!redisAvailable) console.warn(`[idempotency.test] ${REDIS_SERVER} is missing: the Redis instance tests are skipped.`);
describe.skipIf(!redisAvailable)('with Redis', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  acrossInstances('redis', () => ({ redisUrl: redis.url }));
});
