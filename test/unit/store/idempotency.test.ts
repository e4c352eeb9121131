/**
 * Idempotency records over the file store: replay, reuse with other input, duplicates in one
 * process and in two, a key given back with nothing written or with a write that may have
 * happened, a lease that expired (its process died), and the references derived from keys.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { canonicalJson, derivedReference, IdempotencyStore, inputHashOf, recordKeyOf, type IdempotencyScope } from '../../../src/store/idempotency.js';
import { createKeyValueStore } from '../../../src/store/kv.js';

const dirs: string[] = [];
async function stores(n: number, options = { ttlMs: 86_400_000, leaseMs: 10_000, waitMs: 5_000 }): Promise<IdempotencyStore[]> {
  const dir = mkdtempSync(join(tmpdir(), 'fieldgraph-idem-'));
  dirs.push(dir);
  return Promise.all(Array.from({ length: n }, async () => new IdempotencyStore(await createKeyValueStore({ dataDir: dir, namespace: 'fieldgraph' }), options)));
}
let n = 0;
const scope = (mutation = 'createWorkOrder'): IdempotencyScope => ({ tenant: 'default', principal: 'anonymous', mutation, key: `key-${++n}` });
const REF = { workOrder: { system: 'servicepower' as const, id: 'wo_1' } };

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('idempotency records', () => {
  it('runs once, then replays the stored ids; other input with the key is refused', async () => {
    const [s] = await stores(1);
    const sc = scope();
    const first = await s!.begin(sc, 'h1');
    expect(first.kind).toBe('run');
    if (first.kind !== 'run') return;
    expect(first.ticket).toMatchObject({ recovering: false, attempt: 1 });
    const pending = await s!.record(sc);
    expect(pending).toMatchObject({ state: 'pending', inputHash: 'h1', attempts: 1 });
    expect(pending?.owner).toEqual(expect.any(String));
    expect(Date.parse(pending!.leaseExpiresAt!)).toBeGreaterThan(Date.now());
    await first.ticket.complete(REF);
    expect(await s!.begin(sc, 'h1')).toEqual({ kind: 'replay', result: REF });
    expect(await s!.begin(sc, 'h2')).toEqual({ kind: 'reused' });
    const rec = await s!.record(sc);
    expect(rec).toMatchObject({ version: 1, mutation: 'createWorkOrder', inputHash: 'h1', state: 'done', attempts: 1, result: REF });
    expect(rec?.owner).toBeUndefined();
    expect(rec?.leaseExpiresAt).toBeUndefined();
    expect(Date.parse(rec!.completedAt!)).toBeGreaterThan(0);
  });

  it('makes duplicates in one process wait for the running write, not run it again', async () => {
    const [s] = await stores(1);
    const sc = scope();
    let runs = 0;
    const outcomes = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const b = await s!.begin(sc, 'h');
        if (b.kind === 'run') {
          runs++;
          await new Promise((r) => setTimeout(r, 50));
          await b.ticket.complete(REF);
        }
        return b.kind;
      }),
    );
    expect(runs).toBe(1);
    expect(outcomes.sort()).toEqual(['replay', 'replay', 'replay', 'replay', 'replay', 'run']);
  });

  it('answers busy when the first request is still running after the wait', async () => {
    const [a, b] = await stores(2, { ttlMs: 86_400_000, leaseMs: 10_000, waitMs: 200 });
    const sc = scope();
    const first = await a!.begin(sc, 'h');
    expect(await b!.begin(sc, 'h')).toEqual({ kind: 'busy' });
    if (first.kind === 'run') await first.ticket.complete(REF);
    expect(await b!.begin(sc, 'h')).toEqual({ kind: 'replay', result: REF });
  });

  it('frees a key refused before any write, for any input', async () => {
    const [s] = await stores(1);
    const sc = scope();
    const first = await s!.begin(sc, 'h1');
    if (first.kind === 'run') await first.ticket.release('nothing-written');
    expect(await s!.record(sc)).toBeUndefined();
    const second = await s!.begin(sc, 'h2');
    expect(second).toMatchObject({ kind: 'run', ticket: { recovering: false, attempt: 1 } });
  });

  it('keeps a key whose write may have happened pending: the next attempt recovers, with the same input only', async () => {
    const [s] = await stores(1);
    const sc = scope();
    const first = await s!.begin(sc, 'h1');
    if (first.kind !== 'run') throw new Error('expected to run');
    await first.ticket.release('unknown');
    expect(await s!.begin(sc, 'h2')).toEqual({ kind: 'reused' });
    const second = await s!.begin(sc, 'h1');
    expect(second).toMatchObject({ kind: 'run', ticket: { recovering: true, attempt: 2, firstAttemptAt: first.ticket.firstAttemptAt } });
  });

  it('lets another instance take over when the lease expired (its process died)', async () => {
    const [a, b] = await stores(2);
    const sc = scope();
    const first = await a!.begin(sc, 'h');
    if (first.kind !== 'run') throw new Error('expected to run');
    // The process holding the lease dies: its lease runs out (here: removed, as its TTL would).
    await a!.kv.delete(`${recordKeyOf(sc)}:lease`);
    const second = await b!.begin(sc, 'h');
    expect(second).toMatchObject({ kind: 'run', ticket: { recovering: true, attempt: 2 } });
    if (second.kind === 'run') await second.ticket.complete(REF);
    expect(await a!.begin(sc, 'h')).toEqual({ kind: 'replay', result: REF });
  });

  it('renews the lease while a write runs, so a slow write is not taken over', async () => {
    const [a, b] = await stores(2, { ttlMs: 86_400_000, leaseMs: 1_000, waitMs: 100 });
    const sc = scope();
    const first = await a!.begin(sc, 'h');
    await new Promise((r) => setTimeout(r, 2_500));
    expect(await b!.begin(sc, 'h')).toEqual({ kind: 'busy' });
    if (first.kind === 'run') await first.ticket.complete(REF);
  });

  it('keeps records at least the TTL', async () => {
    const [s] = await stores(1, { ttlMs: 1_500, leaseMs: 10_000, waitMs: 1_000 });
    const sc = scope();
    const b = await s!.begin(sc, 'h');
    if (b.kind === 'run') await b.ticket.complete(REF);
    expect((await s!.record(sc))?.state).toBe('done');
    await new Promise((r) => setTimeout(r, 1_700));
    expect(await s!.record(sc)).toBeUndefined();
  });

  it('derives one stable external reference per (tenant, principal, mutation, key)', () => {
    const sc = { tenant: 'default', principal: 'anonymous', mutation: 'createWorkOrder', key: 'order-17' };
    expect(derivedReference(sc)).toBe(derivedReference({ ...sc }));
    expect(derivedReference(sc)).toMatch(/^fg-[a-z2-7]{26}$/);
    expect(derivedReference({ ...sc, mutation: 'dispatch' })).not.toBe(derivedReference(sc));
    expect(derivedReference({ ...sc, principal: 'someone' })).not.toBe(derivedReference(sc));
  });

  it('hashes inputs that mean the same the same', () => {
    expect(canonicalJson({ b: 1, a: [1, { d: null, c: 'x' }] })).toBe('{"a":[1,{"c":"x"}],"b":1}');
    expect(inputHashOf({ a: 1, b: undefined })).toBe(inputHashOf({ a: 1 }));
    expect(inputHashOf({ a: 1 })).not.toBe(inputHashOf({ a: 2 }));
  });
});
