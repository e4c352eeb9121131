/**
 * In-memory tables of the ServiceTitan simulator: rows kept sorted by id (the API's default order
 * and the basis of stable pagination), secondary indexes for the foreign-key filters, and a change
 * feed that drives the export endpoints.
 */

type IndexKey = number | string;

/** Hands out ids for one kind of record; shared by all tenants so ids stay unique, like ServiceTitan's. */
export class IdSequence {
  constructor(private last: number) {}

  /** The next id (above every id seen so far). */
  next(): number {
    this.last += 1;
    return this.last;
  }

  /** Makes sure later ids are above `id`. */
  see(id: number): void {
    if (id > this.last) this.last = id;
  }
}

/** Binary search: first index in `rows` whose id is >= `id`. */
function lowerBound<T extends { id: number }>(rows: readonly T[], id: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (rows[mid]!.id < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function insertSorted<T extends { id: number }>(rows: T[], row: T): void {
  const last = rows[rows.length - 1];
  if (!last || last.id < row.id) {
    rows.push(row);
    return;
  }
  rows.splice(lowerBound(rows, row.id), 0, row);
}

function removeSorted<T extends { id: number }>(rows: T[], id: number): void {
  const i = lowerBound(rows, id);
  if (rows[i]?.id === id) rows.splice(i, 1);
}

/** One entry of a table's change feed. */
export interface FeedEntry<T> {
  seq: number;
  row: T;
  /** Wall-clock ms of the change through the API (0 for seeded rows). */
  changedAt: number;
}

/**
 * A table of rows with numeric ids. `rows` and every index list are sorted by id ascending; index
 * keys must not change after insert (the simulator has no write that moves a row to another parent).
 */
export class Table<T extends { id: number }> {
  /** All rows, sorted by id. */
  readonly rows: T[] = [];
  private readonly byId = new Map<number, T>();
  private readonly indexes = new Map<string, { key: (r: T) => IndexKey | null | undefined; map: Map<IndexKey, T[]> }>();
  private seq = 0;
  private readonly seqOf = new Map<number, number>();
  private readonly changedAtOf = new Map<number, number>();
  private readonly feed: Array<{ seq: number; id: number }> = [];

  constructor(readonly ids: IdSequence) {}

  /** Declares a secondary index (before rows are inserted). */
  index(name: string, key: (r: T) => IndexKey | null | undefined): this {
    this.indexes.set(name, { key, map: new Map() });
    return this;
  }

  get size(): number {
    return this.rows.length;
  }

  get(id: number): T | undefined {
    return this.byId.get(id);
  }

  /** Adds a row; `changedAt` > 0 puts it on the change feed as an API write. */
  insert(row: T, changedAt = 0): T {
    this.byId.set(row.id, row);
    this.ids.see(row.id);
    insertSorted(this.rows, row);
    for (const { key, map } of this.indexes.values()) {
      const k = key(row);
      if (k === null || k === undefined) continue;
      let list = map.get(k);
      if (!list) map.set(k, (list = []));
      insertSorted(list, row);
    }
    if (changedAt > 0) this.changed(row, changedAt);
    return row;
  }

  /** Deletes a row for good (appointments can be deleted; most records are only deactivated). */
  remove(id: number): T | undefined {
    const row = this.byId.get(id);
    if (!row) return undefined;
    this.byId.delete(id);
    removeSorted(this.rows, id);
    for (const { key, map } of this.indexes.values()) {
      const k = key(row);
      if (k === null || k === undefined) continue;
      const list = map.get(k);
      if (list) removeSorted(list, id);
    }
    this.seqOf.delete(id);
    return row;
  }

  /** Rows whose index `name` has `key`, sorted by id (empty when none). */
  by(name: string, key: IndexKey): readonly T[] {
    const index = this.indexes.get(name);
    if (!index) throw new Error(`no index ${name}`);
    return index.map.get(key) ?? [];
  }

  /** Records a change of `row` on the feed (it moves to the end of the export order). */
  changed(row: T, changedAt: number): void {
    const seq = ++this.seq;
    this.seqOf.set(row.id, seq);
    this.changedAtOf.set(row.id, changedAt);
    this.feed.push({ seq, id: row.id });
  }

  /** Puts every current row on the feed in ascending `key` order, ties by id (seeded rows: by modification time). */
  seedFeed(key: (row: T) => number): void {
    const keyed = this.rows.map((row) => ({ k: key(row), row }));
    keyed.sort((a, b) => a.k - b.k || a.row.id - b.row.id);
    for (const { row } of keyed) {
      const seq = ++this.seq;
      this.seqOf.set(row.id, seq);
      this.feed.push({ seq, id: row.id });
    }
  }

  /** The latest sequence number handed out. */
  get lastSeq(): number {
    return this.seq;
  }

  /** Current feed entries after `afterSeq`, in feed order (a row appears once, at its latest change). */
  *feedAfter(afterSeq: number): Generator<FeedEntry<T>> {
    let lo = 0;
    let hi = this.feed.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.feed[mid]!.seq <= afterSeq) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.feed.length; i++) {
      const e = this.feed[i]!;
      if (this.seqOf.get(e.id) !== e.seq) continue;
      const row = this.byId.get(e.id);
      if (row) yield { seq: e.seq, row, changedAt: this.changedAtOf.get(e.id) ?? 0 };
    }
  }
}
