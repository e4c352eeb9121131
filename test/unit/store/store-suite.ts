/**
 * The behaviour every key-value store backend must have, run against the file store and against
 * Redis: values with TTLs, what a restart sees, the atomic claim under contention, and idempotency
 * records shared by two gateway instances.
 */
import { expect, it } from 'vitest';
import { IdempotencyStore, type IdempotencyScope } from '../../../src/store/idempotency.js';
import type { KeyValueStore } from '../../../src/store/kv.js';

/** Opens a store over the same backing data each time it is called (a restart, or another instance). */
export type OpenStore = () => Promise<KeyValueStore>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The shared tests; `open` must be usable after `beforeAll`. */
export function runStoreSuite(open: () => OpenStore): void {
  it('sets, gets and deletes values (JSON through Keyv)', async () => {
    const store = await open()();
    try {
      await store.set('a', { n: 1, s: 'x', list: [1, 2] }, 60_000);
      expect(await store.get('a')).toEqual({ n: 1, s: 'x', list: [1, 2] });
      expect(await store.keyv.get('a')).toEqual({ n: 1, s: 'x', list: [1, 2] });
      expect(await store.delete('a')).toBe(true);
      expect(await store.get('a')).toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it('honours TTLs: an expired value is gone and can be claimed again', async () => {
    const store = await open()();
    try {
      await store.set('short', 'v', 1_500);
      expect(await store.setIfAbsent('claim', 'first', 1_500)).toBe(true);
      expect(await store.setIfAbsent('claim', 'second', 1_500)).toBe(false);
      expect(await store.get('short')).toBe('v');
      await sleep(1_700);
      expect(await store.get('short')).toBeUndefined();
      expect(await store.setIfAbsent('claim', 'third', 60_000)).toBe(true);
      expect(await store.get('claim')).toBe('third');
    } finally {
      await store.close();
    }
  });

  it('keeps records across a restart: a new store over the same data sees them', async () => {
    const openSame = open();
    const first = await openSame();
    await first.set('record', { state: 'done', id: 42 }, 60_000);
    await first.close();
    const second = await openSame();
    try {
      expect(await second.get('record')).toEqual({ state: 'done', id: 42 });
    } finally {
      await second.close();
    }
  });

  it('lets exactly one of many concurrent claims win, across two instances', async () => {
    const openSame = open();
    const [a, b] = [await openSame(), await openSame()];
    try {
      const results = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).setIfAbsent('contended', { i }, 60_000)));
      expect(results.filter(Boolean)).toHaveLength(1);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('makes concurrent duplicates of two gateway instances run once and replay the result', async () => {
    const openSame = open();
    const options = { ttlMs: 86_400_000, leaseMs: 5_000, waitMs: 5_000 };
    const [a, b] = [new IdempotencyStore(await openSame(), options), new IdempotencyStore(await openSame(), options)];
    const scope: IdempotencyScope = { tenant: 'default', principal: 'anonymous', mutation: 'createWorkOrder', key: `k-${Date.now()}` };
    let runs = 0;
    const one = async (store: IdempotencyStore) => {
      const begun = await store.begin(scope, 'hash-1');
      if (begun.kind !== 'run') return begun;
      runs++;
      await sleep(100);
      await begun.ticket.complete({ workOrder: { system: 'servicepower', id: 'wo_1' } });
      return begun;
    };
    try {
      const outcomes = await Promise.all(Array.from({ length: 8 }, (_, i) => one(i % 2 ? a : b)));
      expect(runs).toBe(1);
      expect(outcomes.filter((o) => o.kind === 'replay')).toHaveLength(7);
      expect(await b.begin(scope, 'hash-2')).toEqual({ kind: 'reused' });
      const rec = await a.record(scope);
      expect(rec).toMatchObject({ state: 'done', attempts: 1, result: { workOrder: { system: 'servicepower', id: 'wo_1' } } });
    } finally {
      await a.kv.close();
      await b.kv.close();
    }
  });
}
