/**
 * The link index shared by instances through one real Redis (redis-server on a free port): links,
 * manual decisions and merges made through one instance are seen by the other, concurrent writers
 * through both end with the same entities as one writer would, and ids once handed out keep
 * resolving after merges (as aliases of the surviving entity).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetSharedClientState } from '../../connectors/core/http-client.js';
import { createConnectors, sandboxConnections } from '../../connectors/registry.js';
import type { Sandbox } from '../../connectors/sandbox/server.js';
import type { CustomerModel } from '../../src/model/index.js';
import { IDENTITY_NAMESPACE, openLinkIndex, type LinkIndex } from '../../src/identity/index.js';
import { createKeyValueStore, type KeyValueStore } from '../../src/store/kv.js';
import { redisAvailable, REDIS_SERVER, startRedis, type TestRedis } from '../helpers/redis.js';
import { startTestSandbox } from '../helpers/sandbox.js';

if (!redisAvailable) console.warn(`[identity-redis.test] ${REDIS_SERVER} is missing: the shared-index tests are skipped (apt-get install redis-server).`);

function customer(system: CustomerModel['ref']['system'], id: string, init: Partial<CustomerModel>): CustomerModel {
  return { ref: { system, id }, name: 'Pat Lee', crossReferences: [], tags: [], active: true, ...init };
}

describe.skipIf(!redisAvailable)('two index instances on one Redis', () => {
  let redis: TestRedis;
  let sandbox: Sandbox;
  let storeA: KeyValueStore;
  let storeB: KeyValueStore;
  let a: LinkIndex;
  let b: LinkIndex;

  beforeAll(async () => {
    resetSharedClientState();
    redis = await startRedis();
    sandbox = await startTestSandbox();
    storeA = await createKeyValueStore({ namespace: IDENTITY_NAMESPACE, redisUrl: redis.url });
    storeB = await createKeyValueStore({ namespace: IDENTITY_NAMESPACE, redisUrl: redis.url });
    a = openLinkIndex({ store: storeA });
    b = openLinkIndex({ store: storeB });
  }, 60_000);

  afterAll(async () => {
    await storeA?.close();
    await storeB?.close();
    await sandbox?.close();
    await redis?.stop();
    resetSharedClientState();
  });

  it('see each other’s links and manual decisions', async () => {
    const a1 = customer('sera', 'r-1', { email: 'pat.lee@example.com' });
    const a2 = customer('astea', 'r-2', { email: ' PAT.LEE@example.com' });
    await a.linkModels('customer', [a1, a2]);
    const [seenByB] = await b.entitiesOf('customer', [a2.ref]);
    expect(seenByB!.members.map((m) => m.recordKey)).toEqual(['customer:sera:r-1', 'customer:astea:r-2']);
    expect((await b.linkNew('customer', [a1, a2])).added).toBe(0);

    const other = customer('fieldnation', 'r-3', { email: 'someone.else@example.com' });
    const linked = await b.linkRecords('customer', [a1.ref, other.ref], 'dispatcher@example.com', 'same tenant, new email');
    const [fromA] = await a.entitiesOf('customer', [other.ref]);
    expect(fromA!.id).toBe(linked.id);
    expect(fromA!.members.flatMap((m) => m.evidence).find((e) => e.rule === 'manual')).toMatchObject({ by: 'dispatcher@example.com' });

    await a.unlinkRecords('customer', [other.ref], 'dispatcher@example.com');
    const [again] = await b.entitiesOf('customer', [other.ref]);
    expect(again!.members).toHaveLength(1);
    expect(again!.members[0]!.apart[0]).toMatchObject({ with: 'customer:sera:r-1', by: 'dispatcher@example.com' });
  });

  it('keep an id handed out resolving after its entity merges into an older one', async () => {
    const byEmail = customer('servicetitan', 'm-1', { email: 'merge.me@example.com' });
    const byPhone = customer('sera', 'm-2', { phone: '(678) 555-0142' });
    await a.linkModels('customer', [byEmail]);
    await b.linkModels('customer', [byPhone]);
    const [e1, e2] = await a.entitiesOf('customer', [byEmail.ref, byPhone.ref]);
    expect(e1!.id).not.toBe(e2!.id);
    // A third system holds both the email and the phone: the two entities are one.
    await b.linkModels('customer', [customer('astea', 'm-3', { email: 'Merge.Me@example.com', phone: '+1 678 555 0142' })]);
    const merged = await a.entity(e2!.id);
    expect(merged!.id).toBe(e1!.id);
    expect(merged!.aliases).toContain(e2!.id);
    expect(merged!.members.map((m) => m.recordKey).sort()).toEqual(['customer:astea:m-3', 'customer:sera:m-2', 'customer:servicetitan:m-1']);
    expect((await b.entity(e1!.id))!.id).toBe(e1!.id);
  });

  it('end concurrent writers through both instances with the entities one writer makes', async () => {
    const connectors = createConnectors(sandboxConnections(Object.values(sandbox.simulators).map((s) => s!.info(sandbox.origin))));
    const lists = await Promise.all(
      (['servicetitan', 'sera', 'servicepower', 'astea', 'fieldnation'] as const).map(async (v) => {
        const out: CustomerModel[] = [];
        for await (const c of connectors[v]!.iterate('customer', { pageSize: 100 })) out.push(c);
        return out;
      }),
    );
    const all = lists.flat();
    // Alternate records between the instances, in small concurrent batches.
    const batches = Array.from({ length: Math.ceil(all.length / 25) }, (_, i) => all.slice(i * 25, i * 25 + 25));
    const ns = `t${Date.now()}`;
    const ta = openLinkIndex({ store: storeA, tenant: ns });
    const tb = openLinkIndex({ store: storeB, tenant: ns });
    await Promise.all(batches.map((batch, i) => (i % 2 === 0 ? ta : tb).linkModels('customer', batch)));
    const entities = await ta.entitiesOf('customer', all.map((c) => c.ref));
    expect(entities.every((e) => e !== undefined)).toBe(true);
    const truth = new Map(sandbox.dataset.truth.customers.flatMap((c) => c.members.map((m) => [`${m.vendor}:${m.id}`, c.key] as const)));
    const clusterOf = new Map<string, Set<string>>();
    all.forEach((c, i) => {
      const set = clusterOf.get(entities[i]!.id) ?? new Set<string>();
      set.add(truth.get(`${c.ref.system}:${c.ref.id}`)!);
      clusterOf.set(entities[i]!.id, set);
    });
    // No entity mixes two real-world customers, and there is one entity per real-world customer.
    expect([...clusterOf.values()].every((s) => s.size === 1)).toBe(true);
    expect(clusterOf.size).toBe(sandbox.dataset.truth.customers.length);
    expect((await tb.stats()).entities.customer).toBe(sandbox.dataset.truth.customers.length);
  }, 60_000);
});
