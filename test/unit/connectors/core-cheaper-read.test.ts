/**
 * The cheaper of a per-parent fanout and a walk of the whole list: which one is taken, what it
 * costs in calls, the memory of list sizes, and the answer either way.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { childrenByCheaperRead, forgetListSizes, LIST_SIZE_TTL_MS, type CheaperRead } from '../../../connectors/core/cheaper-read.js';

interface Child {
  id: string;
  parent: string;
}

/** A list of `size` children spread over parents p0..p(parents-1), paged by `pageSize`, counting calls. */
function fakeList(size: number, parents: number, pageSize = 10) {
  const rows: Child[] = Array.from({ length: size }, (_, i) => ({ id: `c${i}`, parent: `p${i % parents}` }));
  const calls = { pages: [] as number[], fanout: 0, mapped: 0 };
  const read = (over: Partial<CheaperRead<Child, Child>> & { parents: string[] }, now?: () => number) =>
    childrenByCheaperRead<Child, Child>({
      key: 'fake:children',
      pageSize,
      page: async (n) => {
        calls.pages.push(n);
        return { items: rows.slice((n - 1) * pageSize, n * pageSize), total: rows.length };
      },
      map: (c) => {
        calls.mapped++;
        return c;
      },
      parentsOf: (c) => [c.parent],
      idOf: (c) => c.id,
      fanoutCost: (n) => n,
      fanout: async (ids) => {
        calls.fanout += ids.length;
        return new Map(ids.map((id) => [id, rows.filter((r) => r.parent === id)]));
      },
      concurrency: 4,
      ...(now ? { now } : {}),
      ...over,
    });
  return { rows, calls, read };
}

const expected = (rows: Child[], ids: string[]) => new Map(ids.map((id) => [id, rows.filter((r) => r.parent === id)]));

describe('childrenByCheaperRead', () => {
  beforeEach(() => forgetListSizes());

  it('walks a short list (its first page learns the size and is kept) and answers every parent', async () => {
    const { rows, calls, read } = fakeList(25, 10);
    const ids = ['p0', 'p1', 'p2', 'p3', 'p4', 'x'];
    expect(await read({ parents: ids })).toEqual(new Map([...expected(rows, ids)]));
    expect(calls.pages.sort()).toEqual([1, 2, 3]);
    expect(calls.fanout).toBe(0);
  });

  it('once the size is known, reads every page of a walk at once, with no call to learn it', async () => {
    const { calls, read } = fakeList(25, 10);
    await read({ parents: ['p0', 'p1', 'p2', 'p3'] });
    calls.pages.length = 0;
    await read({ parents: ['p5', 'p6', 'p7', 'p8'] });
    expect(calls.pages.sort()).toEqual([1, 2, 3]);
  });

  it('fans out when the list is longer than the parents, after one first page, and without it once the size is known', async () => {
    const { rows, calls, read } = fakeList(500, 100);
    const ids = ['p1', 'p2', 'p3'];
    expect(await read({ parents: ids })).toEqual(expected(rows, ids));
    expect(calls.pages).toEqual([1]);
    expect(calls.fanout).toBe(3);
    calls.pages.length = 0;
    await read({ parents: ids });
    expect(calls.pages).toEqual([]);
    expect(calls.fanout).toBe(6);
  });

  it('asks again once the remembered size is older than its time to live', async () => {
    const { calls, read } = fakeList(500, 100);
    let t = 0;
    await read({ parents: ['p1', 'p2'] }, () => t);
    t = LIST_SIZE_TTL_MS - 1;
    await read({ parents: ['p1', 'p2'] }, () => t);
    expect(calls.pages).toEqual([1]);
    t = LIST_SIZE_TTL_MS + 1;
    await read({ parents: ['p1', 'p2'] }, () => t);
    expect(calls.pages).toEqual([1, 1]);
  });

  it('reads one parent by its own call: no walk is cheaper', async () => {
    const { calls, read } = fakeList(5, 5);
    await read({ parents: ['p0'] });
    expect(calls).toMatchObject({ pages: [], fanout: 1 });
  });

  it('follows a list that grew past its remembered size, and keeps one copy of a record a page shift repeats', async () => {
    const { rows, calls, read } = fakeList(20, 4);
    await read({ parents: ['p0', 'p1', 'p2', 'p3'] });
    rows.push(...Array.from({ length: 12 }, (_, i) => ({ id: `n${i}`, parent: 'p0' })), rows[0]!);
    calls.pages.length = 0;
    const got = await read({ parents: ['p0', 'p1', 'p2', 'p3'] });
    expect(calls.pages.sort()).toEqual([1, 2, 3, 4]);
    expect(got.get('p0')!.map((c) => c.id)).toEqual([...new Set(rows.filter((r) => r.parent === 'p0').map((r) => r.id))]);
  });

  it('maps only the records of the parents asked for when their parents can be read on the wire item', async () => {
    const { calls, read } = fakeList(30, 10);
    await read({ parents: ['p0', 'p1', 'p2', 'p3', 'p4'], parentsOfItem: (c) => [c.parent] });
    expect(calls.mapped).toBe(15);
  });

  it('with `check`, checks only the items a walk keeps, and a kept item that fails fails the read', async () => {
    const { rows, read } = fakeList(30, 10);
    const checkedIds: string[] = [];
    const check = (item: unknown): Child => {
      const c = item as Child | null;
      if (typeof c?.id !== 'string' || typeof c.parent !== 'string') throw new Error(`bad item ${JSON.stringify(item)}`);
      checkedIds.push(c.id);
      return c;
    };
    // A malformed item of a parent not asked for is never checked.
    rows[9] = { id: 42, parent: 'p9' } as unknown as Child;
    const got = await read({ parents: ['p0', 'p1'], parentsOfItem: (c) => [c.parent], check });
    expect(checkedIds.sort()).toEqual(['c0', 'c1', 'c10', 'c11', 'c20', 'c21']);
    expect(got.get('p0')!.map((c) => c.id)).toEqual(['c0', 'c10', 'c20']);
    // One of a parent asked for is refused (every parent: the walk is the cheaper read); so is an
    // item that is not even an object, whatever its parent.
    const all = Array.from({ length: 10 }, (_, i) => `p${i}`);
    await expect(read({ parents: all, parentsOfItem: (c) => [c.parent], check })).rejects.toThrow(/bad item \{"id":42/);
    rows[9] = null as unknown as Child;
    await expect(read({ parents: all.slice(0, 8), parentsOfItem: (c) => [c.parent], check })).rejects.toThrow(/bad item null/);
  });

  it('with `check`, hands the fanout a checked first page', async () => {
    const { calls, read } = fakeList(100, 50, 10);
    let handed: readonly unknown[] | undefined;
    const checked = new Set<unknown>();
    await read({
      parents: ['p0', 'p1'],
      check: (item) => (checked.add(item), item as Child),
      fanout: async (ids, first) => ((handed = first?.items), new Map(ids.map((id) => [id, []]))),
    });
    expect(calls.pages).toEqual([1]);
    expect(handed).toHaveLength(10);
    expect(handed!.every((item) => checked.has(item))).toBe(true);
  });

  it('shares the first page between requests that need the same unknown size at once', async () => {
    const { calls, read } = fakeList(25, 10);
    await Promise.all([read({ parents: ['p0', 'p1', 'p2', 'p3'] }), read({ parents: ['p4', 'p5', 'p6', 'p7'] })]);
    expect(calls.pages.filter((n) => n === 1)).toHaveLength(1);
  });

  it('fans out when the vendor sends no total', async () => {
    const { calls, read } = fakeList(25, 10);
    await read({ parents: ['p0', 'p1', 'p2'], page: async (n) => (calls.pages.push(n), { items: [] }) });
    expect(calls).toMatchObject({ pages: [1], fanout: 3 });
  });
});
