/**
 * The merged-list engine over fake vendors that list in id order and answer time windows with a
 * count, as the real ones do: walks in both directions return every record once and in order,
 * with ties on one instant, whole-second clocks, bursts, an empty system, records appended during
 * the walk, and a page cost that does not grow with the data set.
 */
import { describe, expect, it } from 'vitest';
import type { FieldServiceConnector, ListQuery, Page } from '../../../connectors/types.js';
import type { VendorKey } from '../../../connectors/vendors.js';
import type { WorkOrderModel } from '../../../src/model/index.js';
import { BadCursorError, mergedPage, type MergedPage } from '../../../src/lists/merge.js';
import { compareIds, type Direction, type StreamSpec } from '../../../src/lists/stream.js';

interface Rec {
  id: string;
  t: number;
}

/** A vendor that lists in id order, filters `[updatedSince, updatedBefore)`, counts, pages by number. */
function fakeVendor(vendor: VendorKey, records: Rec[], precisionMs = 1): FieldServiceConnector & { calls: number } {
  const self = {
    vendor,
    calls: 0,
    capabilities: { entities: ['workOrder'], lists: ['workOrder'], incremental: ['workOrder'], batchSize: {}, relations: [], writes: [], windows: ['workOrder'], timePrecisionMs: precisionMs, statuses: {} },
    async list(_kind: string, q: ListQuery = {}): Promise<Page<WorkOrderModel>> {
      self.calls++;
      const since = q.updatedSince ? Date.parse(q.updatedSince) : -Infinity;
      const before = q.updatedBefore ? Date.parse(q.updatedBefore) : Infinity;
      const all = records.filter((r) => r.t >= since && r.t < before).sort((a, b) => compareIds(a.id, b.id));
      const size = Math.min(100, q.pageSize ?? 50);
      const page = q.cursor ? Number(q.cursor) : 1;
      const items = all.slice((page - 1) * size, page * size).map((r) => model(vendor, r));
      return { items, total: all.length, ...(page * size < all.length ? { nextCursor: String(page + 1) } : {}) };
    },
  };
  return self as unknown as FieldServiceConnector & { calls: number };
}

function model(vendor: VendorKey, r: Rec): WorkOrderModel {
  return {
    ref: { system: vendor, id: r.id },
    number: r.id,
    status: 'NEW',
    sourceStatus: 'open',
    equipmentRefs: [],
    technicianRefs: [],
    crossReferences: [],
    parts: [],
    updatedAt: new Date(r.t).toISOString(),
  } as WorkOrderModel;
}

/** A deterministic pseudo-random sequence. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const T0 = Date.parse('2020-01-01T00:00:00Z');
const DAY = 86_400_000;

function dataset(seed: number, n: number, opts: { seconds?: boolean; burst?: number } = {}): Rec[] {
  const r = rng(seed);
  const out: Rec[] = [];
  for (let i = 0; i < n; i++) {
    let t = T0 + Math.floor(r() * 2000 * DAY);
    // A burst: many records on one instant (a bulk update).
    if (opts.burst && i < opts.burst) t = T0 + 500 * DAY;
    if (opts.seconds) t = Math.floor(t / 1000) * 1000;
    out.push({ id: String(1000 + Math.floor(r() * 1e6) * 10 + (i % 10)), t });
  }
  return [...new Map(out.map((x) => [x.id, x])).values()];
}

function specs(vendors: Array<FieldServiceConnector>, dir: Direction, bounds: { since?: number; before?: number } = {}): Array<StreamSpec<'workOrder'>> {
  return vendors.map((connector) => ({ vendor: connector.vendor, connector, kind: 'workOrder', query: {}, since: bounds.since ?? null, before: bounds.before ?? null, dir }));
}

async function walkAll(vendors: Array<FieldServiceConnector & { calls: number }>, dir: Direction, first: number, between?: (page: number) => void, bounds?: { since?: number; before?: number }) {
  const out: Array<{ vendor: string; id: string; t: number }> = [];
  let after: string | null = null;
  const callsPerPage: number[] = [];
  for (let page = 0; page < 2000; page++) {
    const before = vendors.reduce((s, v) => s + v.calls, 0);
    const p: MergedPage<WorkOrderModel> = await mergedPage({ kind: 'workOrder', streams: specs(vendors, dir, bounds), first, after, dir, fingerprint: 'f', count: false });
    callsPerPage.push(vendors.reduce((s, v) => s + v.calls, 0) - before);
    expect(p.failures).toEqual([]);
    for (const e of p.edges) out.push({ vendor: e.node.ref.system, id: e.node.ref.id, t: Date.parse(e.node.updatedAt!) });
    if (!p.hasNextPage) return { out, callsPerPage };
    after = p.edges.at(-1)!.cursor;
    between?.(page);
  }
  throw new Error('walk did not end');
}

const RANK: Record<string, number> = { servicetitan: 0, fieldnation: 1, servicepower: 2, sera: 3, astea: 4 };

function expectedOrder(data: Record<string, Rec[]>, dir: Direction) {
  const all = Object.entries(data).flatMap(([vendor, recs]) => recs.map((r) => ({ vendor, id: r.id, t: r.t })));
  const sign = dir === 'ASC' ? 1 : -1;
  return all.sort((a, b) => sign * (a.t - b.t || RANK[a.vendor]! - RANK[b.vendor]! || compareIds(a.id, b.id)));
}

describe('mergedPage', () => {
  for (const dir of ['ASC', 'DESC'] as const) {
    for (const [name, opts] of [
      ['spread', {}],
      ['whole seconds', { seconds: true }],
      ['a burst of 300 on one instant', { burst: 300 }],
    ] as const) {
      it(`walks ${dir} once and in order (${name})`, async () => {
        const data: Record<string, Rec[]> = {
          servicetitan: dataset(1, 900, opts),
          servicepower: dataset(2, 400, opts),
          sera: dataset(3, 250, { ...opts, seconds: true }),
          astea: [],
        };
        const vendors = Object.entries(data).map(([v, recs]) => fakeVendor(v as VendorKey, recs, v === 'sera' || 'seconds' in opts ? 1000 : 1));
        for (const first of [37, 100]) {
          const { out, callsPerPage } = await walkAll(vendors, dir, first);
          expect(out).toEqual(expectedOrder(data, dir));
          // After the first page, about one window a system.
          const later = callsPerPage.slice(1);
          const mean = later.reduce((a, b) => a + b, 0) / Math.max(1, later.length);
          // A burst bigger than a vendor page is read whole (its instant cannot be split) while
          // the walk is inside it: three pages plus the window that found it, per system.
          expect(mean).toBeLessThan('burst' in opts ? 3 * 7 : 3 * 4);
        }
      });
    }
  }

  it('resumes each system exactly where it stopped while records are appended', async () => {
    const data: Record<string, Rec[]> = { servicetitan: dataset(4, 300), sera: dataset(5, 300) };
    const vendors = Object.entries(data).map(([v, recs]) => fakeVendor(v as VendorKey, recs));
    const before = expectedOrder(data, 'ASC');
    let next = 9_000_000;
    const { out } = await walkAll(vendors, 'ASC', 25, () => {
      // New records are modified now, after everything else.
      data.sera!.push({ id: String(next++), t: T0 + 3000 * DAY + next });
    });
    const added = data.sera!.length - 300;
    expect(added).toBeGreaterThan(5);
    expect(out.slice(0, before.length)).toEqual(before);
    expect(out.length).toBe(before.length + added);
    expect(new Set(out.map((o) => `${o.vendor}:${o.id}`)).size).toBe(out.length);
  });

  it('keeps to the filter span', async () => {
    const data = { servicetitan: dataset(6, 500), servicepower: dataset(7, 500) };
    const vendors = Object.entries(data).map(([v, recs]) => fakeVendor(v as VendorKey, recs));
    const since = T0 + 300 * DAY;
    const before = T0 + 900 * DAY;
    for (const dir of ['ASC', 'DESC'] as const) {
      const { out } = await walkAll(vendors, dir, 40, undefined, { since, before });
      expect(out).toEqual(expectedOrder(data, dir).filter((o) => o.t >= since && o.t < before));
    }
  });

  it('costs the same a page deep into a large list as near its start', async () => {
    const data = { servicetitan: dataset(8, 20_000), servicepower: dataset(9, 20_000) };
    const vendors = Object.entries(data).map(([v, recs]) => fakeVendor(v as VendorKey, recs));
    const calls: number[] = [];
    let after: string | null = null;
    for (let page = 0; page < 50; page++) {
      const before = vendors.reduce((s, v) => s + v.calls, 0);
      const p: MergedPage<WorkOrderModel> = await mergedPage({ kind: 'workOrder', streams: specs(vendors, 'ASC'), first: 50, after, dir: 'ASC', fingerprint: 'f', count: false });
      calls.push(vendors.reduce((s, v) => s + v.calls, 0) - before);
      after = p.edges.at(-1)!.cursor;
    }
    const tail = calls.slice(10);
    expect(Math.max(...tail)).toBeLessThanOrEqual(8);
    expect(tail.reduce((a, b) => a + b, 0) / tail.length).toBeLessThanOrEqual(4);
  });

  it('refuses a cursor of another list', async () => {
    const vendors = [fakeVendor('sera', dataset(10, 50))];
    const p = await mergedPage({ kind: 'workOrder', streams: specs(vendors, 'ASC'), first: 5, after: null, dir: 'ASC', fingerprint: 'a', count: false });
    await expect(mergedPage({ kind: 'workOrder', streams: specs(vendors, 'ASC'), first: 5, after: p.edges[0]!.cursor, dir: 'ASC', fingerprint: 'b', count: false })).rejects.toBeInstanceOf(BadCursorError);
    await expect(mergedPage({ kind: 'workOrder', streams: specs(vendors, 'ASC'), first: 5, after: 'eyJ2IjoyfQ', dir: 'ASC', fingerprint: 'a', count: false })).rejects.toBeInstanceOf(BadCursorError);
  });

  it('leaves a failing system out and keeps its place', async () => {
    const ok = fakeVendor('sera', dataset(11, 60));
    const failing = fakeVendor('astea', dataset(12, 60));
    let down = true;
    const list = failing.list.bind(failing);
    failing.list = (async (kind: never, q?: ListQuery) => {
      if (down) throw new Error('down');
      return list(kind, q);
    }) as FieldServiceConnector['list'];
    const first = await mergedPage({ kind: 'workOrder', streams: specs([ok, failing], 'ASC'), first: 30, after: null, dir: 'ASC', fingerprint: 'f', count: true });
    expect(first.failures.map((f) => f.vendor)).toEqual(['astea']);
    expect(first.totalCount).toBeNull();
    expect(first.edges.every((e) => e.node.ref.system === 'sera')).toBe(true);
    down = false;
    const second = await mergedPage({ kind: 'workOrder', streams: specs([ok, failing], 'ASC'), first: 200, after: first.edges.at(-1)!.cursor, dir: 'ASC', fingerprint: 'f', count: true });
    expect(second.edges.filter((e) => e.node.ref.system === 'astea').length).toBe(60);
    expect(second.totalCount).toBe(120);
  });
});
