/**
 * In-memory tables with the indexes the ServicePower simulator's list filters need, so that a
 * filtered list at 100,000 work orders reads only the smallest matching index instead of scanning
 * every record. Ids sort ascending by string comparison (the vendor's stable page order).
 */

/** Index of the first element of the sorted `items` that is not less than `value`. */
function lowerBound<T>(items: readonly T[], value: T): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (items[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A set of ids kept sorted ascending; insert and remove are a binary search and a splice. */
export class SortedIds {
  readonly ids: string[];

  /** Builds the set from ids in any order (duplicates are dropped). */
  constructor(ids: Iterable<string> = []) {
    this.ids = [...new Set(ids)].sort();
  }

  get size(): number {
    return this.ids.length;
  }

  insert(id: string): void {
    const i = lowerBound(this.ids, id);
    if (this.ids[i] !== id) this.ids.splice(i, 0, id);
  }

  remove(id: string): void {
    const i = lowerBound(this.ids, id);
    if (this.ids[i] === id) this.ids.splice(i, 1);
  }
}

/** Ids ordered by a timestamp (epoch ms), for range filters such as `updatedFrom`/`updatedTo`. */
class TimeIndex {
  private times: number[] = [];
  private ids: string[] = [];

  constructor(entries: Array<[number, string]>) {
    entries.sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
    this.times = entries.map((e) => e[0]);
    this.ids = entries.map((e) => e[1]);
  }

  private position(time: number, id: string): number {
    let lo = lowerBound(this.times, time);
    while (lo < this.times.length && this.times[lo] === time && this.ids[lo]! < id) lo++;
    return lo;
  }

  insert(time: number, id: string): void {
    const i = this.position(time, id);
    this.times.splice(i, 0, time);
    this.ids.splice(i, 0, id);
  }

  remove(time: number, id: string): void {
    const i = this.position(time, id);
    if (this.ids[i] === id && this.times[i] === time) {
      this.times.splice(i, 1);
      this.ids.splice(i, 1);
    }
  }

  /** Half-open index range of entries with `from <= time <= to` (both bounds inclusive, optional). */
  private bounds(from: number | undefined, to: number | undefined): [number, number] {
    const lo = from === undefined ? 0 : lowerBound(this.times, from);
    const hi = to === undefined ? this.times.length : lowerBound(this.times, to + 1);
    return [lo, Math.max(lo, hi)];
  }

  count(from: number | undefined, to: number | undefined): number {
    const [lo, hi] = this.bounds(from, to);
    return hi - lo;
  }

  idsIn(from: number | undefined, to: number | undefined): string[] {
    const [lo, hi] = this.bounds(from, to);
    return this.ids.slice(lo, hi);
  }
}

/** How a table indexes its rows. */
export interface TableSpec<T> {
  id(row: T): string;
  /** Equality indexes; a row may have several values for one key (a technician's skills). */
  keys?: Record<string, (row: T) => ReadonlyArray<string | null | undefined>>;
  /** Time indexes (ISO 8601 timestamps; null leaves the row out of that index). */
  times?: Record<string, (row: T) => string | null | undefined>;
}

/** Filters of {@link Table.query}: equality on keys and inclusive ranges (epoch ms) on times. */
export interface TableQuery {
  eq?: Record<string, string | undefined>;
  range?: Record<string, { from?: number | undefined; to?: number | undefined } | undefined>;
}

interface Indexed {
  keys: Record<string, string[]>;
  times: Record<string, number | null>;
}

/**
 * Rows by id with equality and time indexes. Rows are mutable objects owned by the table: after
 * changing an indexed field, call {@link Table.put} again so the indexes follow.
 */
export class Table<T> {
  private readonly rows = new Map<string, T>();
  private readonly order: SortedIds;
  private readonly keyIndexes = new Map<string, Map<string, SortedIds>>();
  private readonly timeIndexes = new Map<string, TimeIndex>();
  private readonly indexed = new Map<string, Indexed>();

  constructor(
    private readonly spec: TableSpec<T>,
    rows: readonly T[] = [],
  ) {
    const keyLists = new Map<string, Map<string, string[]>>();
    const timeLists = new Map<string, Array<[number, string]>>();
    for (const name of Object.keys(spec.keys ?? {})) keyLists.set(name, new Map());
    for (const name of Object.keys(spec.times ?? {})) timeLists.set(name, []);
    for (const row of rows) {
      const id = spec.id(row);
      this.rows.set(id, row);
      const ix = this.snapshot(row);
      this.indexed.set(id, ix);
      for (const [name, values] of Object.entries(ix.keys)) {
        const byValue = keyLists.get(name)!;
        for (const v of values) {
          let list = byValue.get(v);
          if (!list) byValue.set(v, (list = []));
          list.push(id);
        }
      }
      for (const [name, t] of Object.entries(ix.times)) if (t !== null) timeLists.get(name)!.push([t, id]);
    }
    this.order = new SortedIds(this.rows.keys());
    for (const [name, byValue] of keyLists) {
      this.keyIndexes.set(name, new Map([...byValue].map(([v, ids]) => [v, new SortedIds(ids)])));
    }
    for (const [name, entries] of timeLists) this.timeIndexes.set(name, new TimeIndex(entries));
  }

  private snapshot(row: T): Indexed {
    const keys: Record<string, string[]> = {};
    const times: Record<string, number | null> = {};
    for (const [name, fn] of Object.entries(this.spec.keys ?? {})) {
      keys[name] = [...new Set(fn(row).filter((v): v is string => typeof v === 'string'))];
    }
    for (const [name, fn] of Object.entries(this.spec.times ?? {})) {
      const v = fn(row);
      times[name] = v ? Date.parse(v) : null;
    }
    return { keys, times };
  }

  get size(): number {
    return this.rows.size;
  }

  get(id: string): T | undefined {
    return this.rows.get(id);
  }

  has(id: string): boolean {
    return this.rows.has(id);
  }

  /** Inserts a row, or re-indexes it after its fields changed. */
  put(row: T): void {
    const id = this.spec.id(row);
    const old = this.indexed.get(id);
    const now = this.snapshot(row);
    this.rows.set(id, row);
    this.indexed.set(id, now);
    if (!old) this.order.insert(id);
    for (const [name, values] of Object.entries(now.keys)) {
      const byValue = this.keyIndexes.get(name)!;
      const before = old?.keys[name] ?? [];
      for (const v of before) if (!values.includes(v)) byValue.get(v)?.remove(id);
      for (const v of values) {
        if (before.includes(v)) continue;
        let set = byValue.get(v);
        if (!set) byValue.set(v, (set = new SortedIds()));
        set.insert(id);
      }
    }
    for (const [name, t] of Object.entries(now.times)) {
      const index = this.timeIndexes.get(name)!;
      const before = old ? (old.times[name] ?? null) : null;
      if (before === t) continue;
      if (before !== null) index.remove(before, id);
      if (t !== null) index.insert(t, id);
    }
  }

  /**
   * Ids of the rows matching every filter, ascending. Reads the most selective index and checks
   * the other filters on its candidates only. The result may be the table's own array: do not
   * modify it.
   */
  query(q: TableQuery = {}): readonly string[] {
    const eq = Object.entries(q.eq ?? {}).filter((e): e is [string, string] => e[1] !== undefined);
    const range = Object.entries(q.range ?? {}).filter(
      (e): e is [string, { from?: number; to?: number }] => e[1] !== undefined && (e[1].from !== undefined || e[1].to !== undefined),
    );
    if (eq.length === 0 && range.length === 0) return this.order.ids;

    let best: { size: number; ids: () => readonly string[] } | undefined;
    for (const [name, value] of eq) {
      const set = this.keyIndexes.get(name)?.get(value);
      if (!set || set.size === 0) return [];
      if (!best || set.size < best.size) best = { size: set.size, ids: () => set.ids };
    }
    for (const [name, r] of range) {
      const index = this.timeIndexes.get(name)!;
      const size = index.count(r.from, r.to);
      if (size === 0) return [];
      if (!best || size < best.size) best = { size, ids: () => index.idsIn(r.from, r.to).sort() };
    }
    const candidates = best!.ids();
    if (eq.length + range.length === 1) return candidates;
    return candidates.filter((id) => {
      const ix = this.indexed.get(id)!;
      for (const [name, value] of eq) if (!ix.keys[name]!.includes(value)) return false;
      for (const [name, r] of range) {
        const t = ix.times[name];
        if (t === null || t === undefined) return false;
        if (r.from !== undefined && t < r.from) return false;
        if (r.to !== undefined && t > r.to) return false;
      }
      return true;
    });
  }

  /** All rows in id order. */
  all(): T[] {
    return this.order.ids.map((id) => this.rows.get(id)!);
  }
}
