/**
 * What the graph uses of identity, over real HTTP: any member record's global id resolves to its
 * entity (records the index has not met are read once and linked on first sight, later lookups
 * make no upstream call), entity ids and merged ids resolve, members come in precedence order with
 * their own global ids, and scalar fields are picked by that precedence.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GraphQLError } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetSharedClientState } from '../../connectors/core/http-client.js';
import { createConnectors, sandboxConnections } from '../../connectors/registry.js';
import type { Sandbox } from '../../connectors/sandbox/server.js';
import type { FieldServiceConnector } from '../../connectors/types.js';
import type { VendorKey } from '../../connectors/vendors.js';
import { toGlobalId } from '../../src/ids.js';
import { byPrecedence, createIdentityResolver, pickScalar, type IdentityResolver, type RecordReader } from '../../src/identity/graph.js';
import { IDENTITY_NAMESPACE, openLinkIndex, type LinkIndex } from '../../src/identity/index.js';
import { createKeyValueStore, type KeyValueStore } from '../../src/store/kv.js';
import { startTestSandbox } from '../helpers/sandbox.js';

let sandbox: Sandbox;
let connectors: Partial<Record<VendorKey, FieldServiceConnector>>;
let store: KeyValueStore;
let index: LinkIndex;
let resolver: IdentityResolver;
let dir: string;

beforeAll(async () => {
  resetSharedClientState();
  sandbox = await startTestSandbox();
  connectors = createConnectors(sandboxConnections(Object.values(sandbox.simulators).map((s) => s!.info(sandbox.origin))));
  dir = mkdtempSync(join(tmpdir(), 'fieldgraph-identity-graph-'));
  store = await createKeyValueStore({ namespace: IDENTITY_NAMESPACE, dataDir: dir });
  index = openLinkIndex({ store });
  const read: RecordReader = async (type, refs) => {
    const out = new Array(refs.length).fill(null);
    for (const vendor of new Set(refs.map((r) => r.system))) {
      const at = refs.flatMap((r, i) => (r.system === vendor ? [i] : []));
      const got = await connectors[vendor]!.get(type, at.map((i) => refs[i]!.id));
      at.forEach((i, j) => (out[i] = got[j]));
    }
    return out;
  };
  resolver = createIdentityResolver({ index, read });
}, 60_000);

afterAll(async () => {
  await store?.close();
  await sandbox?.close();
  rmSync(dir, { recursive: true, force: true });
  resetSharedClientState();
});

describe('the identity resolver', () => {
  it('resolves member records’ global ids to one entity, linking on first sight and reading each record once', async () => {
    const cluster = sandbox.dataset.truth.customers.find((c) => c.members.length >= 3)!;
    const ids = cluster.members.map((m) => toGlobalId('Customer', { system: m.vendor, id: m.id }));
    sandbox.stats.reset();
    const first = await resolver.resolveEntities(ids);
    expect(new Set(first.map((e) => e!.id)).size).toBe(1);
    expect(first[0]!.members).toHaveLength(cluster.members.length);
    expect(sandbox.stats.snapshot().total).toBeGreaterThan(0);
    sandbox.stats.reset();
    const again = await resolver.resolveEntities([...ids].reverse());
    expect(again.map((e) => e!.id)).toEqual(first.map((e) => e!.id));
    expect(sandbox.stats.snapshot().total).toBe(0);

    // The entity id resolves too, and every member's global id leads back to it.
    const entity = (await resolver.resolveEntity(first[0]!.id))!;
    const members = resolver.membersOf(entity);
    expect(members.map((m) => m.globalId).sort()).toEqual([...ids].sort());
    expect((await resolver.resolveEntities(members.map((m) => m.globalId))).every((e) => e!.id === entity.id)).toBe(true);
    // Every member but the first one the index met joined by a rule, with its evidence.
    expect(members.filter((m) => m.evidence.length === 0)).toHaveLength(1);
  });

  it('resolves an id merged into another entity to the survivor', async () => {
    await index.linkModels('customer', [{ ref: { system: 'sera', id: 'g-1' }, name: 'A', email: 'g1@example.com', crossReferences: [], tags: [], active: true }]);
    await index.linkModels('customer', [{ ref: { system: 'astea', id: 'g-2' }, name: 'A', phone: '4705550111', crossReferences: [], tags: [], active: true }]);
    const [older, newer] = await index.entitiesOf('customer', [{ system: 'sera', id: 'g-1' }, { system: 'astea', id: 'g-2' }]);
    await index.linkModels('customer', [{ ref: { system: 'fieldnation', id: 'g-3' }, name: 'A', email: 'G1@example.com', phone: '470-555-0111', crossReferences: [], tags: [], active: true }]);
    expect((await resolver.resolveEntity(newer!.id))!.id).toBe(older!.id);
  });

  it('orders members by the system order, then the most recently updated, and picks scalars by it', () => {
    const records = [
      { ref: { system: 'fieldnation' as const, id: '1' }, updatedAt: '2026-02-01T00:00:00Z', name: 'FN name', email: 'fn@example.com' },
      { ref: { system: 'sera' as const, id: 'a' }, updatedAt: '2026-01-01T00:00:00Z', name: 'Older Sera', email: undefined },
      { ref: { system: 'sera' as const, id: 'b' }, updatedAt: '2026-03-01T00:00:00Z', name: ' ', email: undefined },
    ];
    expect(byPrecedence(records).map((r) => r.ref.id)).toEqual(['b', 'a', '1']);
    expect(pickScalar(records, 'name')).toBe('Older Sera');
    expect(pickScalar(records, 'email')).toBe('fn@example.com');
    expect(pickScalar(records, 'name', ['fieldnation'])).toBe('FN name');
  });

  it('refuses a malformed id and answers nothing for an unknown entity id or record', async () => {
    await expect(resolver.resolveEntity('not-an-id')).rejects.toBeInstanceOf(GraphQLError);
    expect(await resolver.resolveEntity('cus_00000000000000000000')).toBeUndefined();
    expect(await resolver.resolveEntity(toGlobalId('Customer', { system: 'sera', id: 'cus_nope' }))).toBeUndefined();
  });
});
