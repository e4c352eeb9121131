/**
 * Several gateway instances behind one Redis: two `src/main.ts` processes in live mode over the same
 * sandbox and a real redis-server started by the test. What one instance writes to Redis (a cached
 * record, an idempotency record, a link of the cross-vendor identity) the other sees.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxConnections } from '../../connectors/registry.js';
import type { VendorInfo } from '../../connectors/sandbox/kit.js';
import type { Sandbox } from '../../connectors/sandbox/server.js';
import { VENDOR_KEYS } from '../../connectors/vendors.js';
import type { StatsSnapshot } from '../../connectors/sandbox/stats.js';
import { SANDBOX_VENDOR_SETTINGS } from '../../src/config.js';
import { toGlobalId } from '../../src/ids.js';
import { resetStats, sandboxStats, writesOf } from '../helpers/gateway.js';
import { redisAvailable, startRedis, type TestRedis } from '../helpers/redis.js';
import { startTestSandbox } from '../helpers/sandbox.js';

const ADMIN_KEY = `fgk_instances_${'k'.repeat(32)}`;

interface Instance {
  child: ChildProcess;
  url: string;
  output: () => string;
}

async function startInstance(env: NodeJS.ProcessEnv): Promise<Instance> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start line in: ${out}`)), 30_000);
    const check = (): void => {
      const m = /FieldGraph GraphQL on (http:\/\/127\.0\.0\.1:\d+\/graphql)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
  return { child, url, output: () => out };
}

async function stop(instance: Instance | undefined): Promise<void> {
  if (!instance || instance.child.exitCode !== null) return;
  const exited = once(instance.child, 'exit');
  instance.child.kill('SIGTERM');
  await exited;
}

async function post(url: string, query: string, variables: Record<string, unknown> = {}): Promise<{ data?: any; errors?: unknown[] }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` }, body: JSON.stringify({ query, variables }) });
  return (await res.json()) as { data?: any; errors?: unknown[] };
}

function reads(s: StatsSnapshot): number {
  let n = 0;
  for (const v of VENDOR_KEYS) for (const [e, stat] of Object.entries(s.vendors[v]?.endpoints ?? {})) if (e.startsWith('GET ')) n += stat.count;
  return n;
}

describe.skipIf(!redisAvailable)('two gateway instances sharing one Redis', () => {
  let redis: TestRedis;
  let sandbox: Sandbox;
  let a: Instance;
  let b: Instance;

  beforeAll(async () => {
    redis = await startRedis();
    sandbox = await startTestSandbox();
    const index = (await (await fetch(`${sandbox.origin}/_sandbox`)).json()) as { vendors: VendorInfo[] };
    const env: NodeJS.ProcessEnv = {
      FIELDGRAPH_MODE: 'live',
      FIELDGRAPH_VENDORS: JSON.stringify(sandboxConnections(index.vendors)),
      FIELDGRAPH_VENDOR_SETTINGS: JSON.stringify(SANDBOX_VENDOR_SETTINGS),
      FIELDGRAPH_ADMIN_KEY: ADMIN_KEY,
      REDIS_URL: redis.url,
      PORT: '0',
      LOG_LEVEL: 'warn',
      // No background sync: records are linked on first sight, so vendor reads stay countable.
      FIELDGRAPH_IDENTITY_REFRESH_SECONDS: '0',
    };
    [a, b] = await Promise.all([startInstance(env), startInstance(env)]);
  }, 90_000);

  afterAll(async () => {
    await Promise.all([stop(a), stop(b)]);
    await sandbox?.close();
    await redis?.stop();
  });

  it('serves a record cached through one instance from Redis through the other', async () => {
    const wo = sandbox.dataset.vendors.sera.workOrders[3]!;
    const query = `query($id: ID!) { node(id: $id) { ... on WorkOrder { number customer { name } } } }`;
    const id = toGlobalId('WorkOrder', { system: 'sera', id: wo.id });
    await resetStats(sandbox);
    const viaA = await post(a.url, query, { id });
    expect(viaA.errors).toBeUndefined();
    expect(reads(await sandboxStats(sandbox))).toBeGreaterThan(0);
    await resetStats(sandbox);
    const viaB = await post(b.url, query, { id });
    expect(viaB.data).toEqual(viaA.data);
    // Instance B signed in to the vendor on its own, but read nothing: both records came from Redis.
    expect(reads(await sandboxStats(sandbox))).toBe(0);
  });

  it('replays through one instance a create that the other performed under the same idempotency key', async () => {
    const sera = sandbox.dataset.vendors.sera;
    const customer = toGlobalId('Customer', { system: 'sera', id: sera.workOrders[0]!.customerId! });
    const create = `mutation($input: CreateWorkOrderInput!) { createWorkOrder(input: $input) { replayed userErrors { code message } workOrder { id } } }`;
    const input = { idempotencyKey: `instances-${Date.now()}`, targetSystem: 'SERA', customer: { id: customer }, serviceType: 'maintenance', summary: 'Shared key' };
    await resetStats(sandbox);
    const first = await post(a.url, create, { input });
    expect(first.errors).toBeUndefined();
    expect(first.data.createWorkOrder.userErrors).toEqual([]);
    const second = await post(b.url, create, { input });
    expect(second.data.createWorkOrder.replayed).toBe(true);
    expect(second.data.createWorkOrder.workOrder.id).toBe(first.data.createWorkOrder.workOrder.id);
    expect(Object.values(writesOf(await sandboxStats(sandbox)).sera).reduce((x, y) => x + y, 0)).toBe(1);
  });

  it('shows through one instance a link made through the other', async () => {
    const [x, y] = sandbox.dataset.truth.customerNearMisses[0]!;
    const ids = [toGlobalId('Customer', { system: x.vendor, id: x.id }), toGlobalId('Customer', { system: y.vendor, id: y.id })];
    const q = `query($id: ID!) { node(id: $id) { id } }`;
    const before = await Promise.all(ids.map((id) => post(b.url, q, { id })));
    expect(before[0]!.data.node.id).not.toBe(before[1]!.data.node.id);
    const linked = await post(a.url, `mutation($input: LinkRecordsInput!) { linkRecords(input: $input) { userErrors { code message } node { id } } }`, { input: { records: ids, reason: 'same household' } });
    expect(linked.errors).toBeUndefined();
    expect(linked.data.linkRecords.userErrors).toEqual([]);
    const after = await Promise.all(ids.map((id) => post(b.url, q, { id })));
    expect(after[0]!.data.node.id).toBe(after[1]!.data.node.id);
    expect(after[0]!.data.node.id).toBe(linked.data.linkRecords.node.id);
  });
});
