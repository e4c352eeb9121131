/**
 * An in-memory table with the indexes the Sera simulator's list endpoints need, so that a filtered
 * list touches only the rows of the most selective index, not the whole table (the benchmark data
 * set holds 100,000 work orders). Rows are kept in id order, the order Sera lists them in.
 */

/** Finds where `id` goes in the ascending array `ids`. */
function lowerBound(ids: readonly string[], id: string): number {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ids[mid]! < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function insertSorted(ids: string[], id: string): void {
  const i = lowerBound(ids, id);
  if (ids[i] !== id) ids.splice(i, 0, id);
}

function removeSorted(ids: string[], id: string): void {
  const i = lowerBound(ids, id);
  if (ids[i] === id) ids.splice(i, 1);
}

/** Position of the first entry of `entries` (sorted by value, then id) with a value >= `value`. */
function rangeBound(entries: ReadonlyArray<readonly [number, string]>, value: number): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (entries[mid]![0] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function entryIndex(entries: ReadonlyArray<readonly [number, string]>, value: number, id: string): number {
  let i = rangeBound(entries, value);
  while (i < entries.length && entries[i]![0] === value && entries[i]![1] < id) i++;
  return i;
}

/** How a table derives index keys from a row. */
export interface TableIndexes<T> {
  /** Equality indexes: key(s) of a row (an array files the row under each key). */
  keys?: Record<string, (row: T) => string | readonly string[] | undefined>;
  /** Range indexes: a number per row (epoch ms), for `from <= value < to` filters. */
  ranges?: Record<string, (row: T) => number | undefined>;
}

/** A list query: equality filters, half-open ranges and a final predicate. */
export interface TableQuery<T> {
  eq?: Record<string, string | undefined>;
  range?: Record<string, { from?: number | undefined; to?: number | undefined } | undefined>;
  where?: (row: T) => boolean;
}

/** Rows by id, in id order, with equality and range indexes kept up to date on every write. */
export class IndexedTable<T> {
  private readonly rows = new Map<string, T>();
  private readonly order: string[] = [];
  private readonly buckets = new Map<string, Map<string, string[]>>();
  private readonly ranges = new Map<string, Array<[number, string]>>();

  constructor(
    private readonly idOf: (row: T) => string,
    private readonly indexes: TableIndexes<T> = {},
  ) {
    for (const name of Object.keys(indexes.keys ?? {})) this.buckets.set(name, new Map());
    for (const name of Object.keys(indexes.ranges ?? {})) this.ranges.set(name, []);
  }

  /** Number of rows. */
  get size(): number {
    return this.rows.size;
  }

  /** The row with `id`, if any. */
  get(id: string): T | undefined {
    return this.rows.get(id);
  }

  /** True when a row has `id`. */
  has(id: string): boolean {
    return this.rows.has(id);
  }

  /** Loads many rows at once (construction): one sort per index instead of one insert per row. */
  load(rows: readonly T[]): void {
    for (const row of rows) {
      const id = this.idOf(row);
      if (this.rows.has(id)) throw new Error(`duplicate id ${id}`);
      this.rows.set(id, row);
      this.order.push(id);
      for (const [name, keyOf] of Object.entries(this.indexes.keys ?? {})) {
        const bucket = this.buckets.get(name)!;
        for (const key of keysOf(keyOf(row))) {
          let list = bucket.get(key);
          if (!list) bucket.set(key, (list = []));
          list.push(id);
        }
      }
      for (const [name, valueOf] of Object.entries(this.indexes.ranges ?? {})) {
        const v = valueOf(row);
        if (v !== undefined) this.ranges.get(name)!.push([v, id]);
      }
    }
    this.order.sort(compareIds);
    for (const bucket of this.buckets.values()) for (const list of bucket.values()) list.sort(compareIds);
    for (const entries of this.ranges.values()) entries.sort((a, b) => a[0] - b[0] || compareIds(a[1], b[1]));
  }

  /** Inserts `row`, or replaces the row with its id and moves it between index entries. */
  put(row: T): void {
    const id = this.idOf(row);
    const old = this.rows.get(id);
    if (old) this.unindex(id, old);
    else insertSorted(this.order, id);
    this.rows.set(id, row);
    this.index(id, row);
  }

  /**
   * Ids of the rows that pass every filter of `q`, in id order. Without filters this is the
   * table's own id list, and with a single equality filter the index bucket itself: callers
   * slice a page out of it and must not modify it.
   */
  query(q: TableQuery<T>): readonly string[] {
    const eq = Object.entries(q.eq ?? {}).filter((e): e is [string, string] => e[1] !== undefined);
    const range = Object.entries(q.range ?? {}).filter(
      (e): e is [string, { from?: number; to?: number }] => e[1] !== undefined && (e[1].from !== undefined || e[1].to !== undefined),
    );
    let candidates: readonly string[] | undefined;
    let chosen: string | undefined;
    for (const [name, key] of eq) {
      const list = this.buckets.get(name)?.get(key) ?? [];
      if (!candidates || list.length < candidates.length) {
        candidates = list;
        chosen = name;
      }
    }
    let chosenRange: string | undefined;
    if (!candidates && range.length > 0) {
      // No equality filter: the narrowest range gives the candidates, re-sorted into id order.
      let best: string[] | undefined;
      for (const [name, r] of range) {
        const entries = this.ranges.get(name)!;
        const start = r.from === undefined ? 0 : rangeBound(entries, r.from);
        const end = r.to === undefined ? entries.length : rangeBound(entries, r.to);
        if (!best || end - start < best.length) {
          best = entries.slice(start, Math.max(start, end)).map((e) => e[1]);
          chosenRange = name;
        }
      }
      candidates = best!.sort(compareIds);
    }
    const pending = {
      eq: eq.filter(([name]) => name !== chosen),
      range: range.filter(([name]) => name !== chosenRange),
    };
    if (pending.eq.length === 0 && pending.range.length === 0 && !q.where) return candidates ?? this.order;
    const out: string[] = [];
    for (const id of candidates ?? this.order) {
      const row = this.rows.get(id)!;
      if (pending.eq.some(([name, key]) => !keysOf(this.indexes.keys![name]!(row)).includes(key))) continue;
      if (
        pending.range.some(([name, r]) => {
          const v = this.indexes.ranges![name]!(row);
          return v === undefined || (r.from !== undefined && v < r.from) || (r.to !== undefined && v >= r.to);
        })
      ) {
        continue;
      }
      if (q.where && !q.where(row)) continue;
      out.push(id);
    }
    return out;
  }

  /** Ids filed under `key` in equality index `name`, in id order. */
  idsBy(name: string, key: string): readonly string[] {
    return this.buckets.get(name)?.get(key) ?? [];
  }

  /** Removes every row and index entry. */
  clear(): void {
    this.rows.clear();
    this.order.length = 0;
    for (const bucket of this.buckets.values()) bucket.clear();
    for (const entries of this.ranges.values()) entries.length = 0;
  }

  private index(id: string, row: T): void {
    for (const [name, keyOf] of Object.entries(this.indexes.keys ?? {})) {
      const bucket = this.buckets.get(name)!;
      for (const key of keysOf(keyOf(row))) {
        let list = bucket.get(key);
        if (!list) bucket.set(key, (list = []));
        insertSorted(list, id);
      }
    }
    for (const [name, valueOf] of Object.entries(this.indexes.ranges ?? {})) {
      const v = valueOf(row);
      if (v === undefined) continue;
      const entries = this.ranges.get(name)!;
      entries.splice(entryIndex(entries, v, id), 0, [v, id]);
    }
  }

  private unindex(id: string, row: T): void {
    for (const [name, keyOf] of Object.entries(this.indexes.keys ?? {})) {
      const bucket = this.buckets.get(name)!;
      for (const key of keysOf(keyOf(row))) {
        const list = bucket.get(key);
        if (list) removeSorted(list, id);
      }
    }
    for (const [name, valueOf] of Object.entries(this.indexes.ranges ?? {})) {
      const v = valueOf(row);
      if (v === undefined) continue;
      const entries = this.ranges.get(name)!;
      const i = entryIndex(entries, v, id);
      if (entries[i]?.[1] === id) entries.splice(i, 1);
    }
  }
}

function keysOf(k: string | readonly string[] | undefined): readonly string[] {
  return k === undefined ? [] : typeof k === 'string' ? [k] : k;
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
