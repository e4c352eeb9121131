/**
 * In-memory indexes of the Astea Alliance simulator: sorted lists kept in order on every write, and
 * a small planner that answers a filtered list from the smallest index that applies, so that list
 * calls stay cheap at 100,000 work orders.
 */

/** Compares two ids the way the simulator orders lists: plain code-unit order, ascending. */
export function byId<T extends { id: string }>(a: T, b: T): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * A list kept sorted by `cmp`, with binary-search insert, remove and bounds. `cmp` must be a total
 * order that only returns 0 for the same record (break ties on the id).
 */
export class SortedList<T> {
  private readonly items: T[];

  constructor(
    private readonly cmp: (a: T, b: T) => number,
    initial: readonly T[] = [],
  ) {
    this.items = initial.slice().sort(cmp);
  }

  get size(): number {
    return this.items.length;
  }

  /** The records in order; callers must not modify the array. */
  all(): readonly T[] {
    return this.items;
  }

  /** Adds `item` at its place. */
  insert(item: T): void {
    this.items.splice(this.firstIndex((x) => this.cmp(x, item) >= 0), 0, item);
  }

  /** Removes `item` (found by `cmp`); returns whether it was there. */
  remove(item: T): boolean {
    const i = this.firstIndex((x) => this.cmp(x, item) >= 0);
    if (i < this.items.length && this.cmp(this.items[i]!, item) === 0) {
      this.items.splice(i, 1);
      return true;
    }
    return false;
  }

  /** Index of the first record for which the monotone predicate `atOrAfter` holds (size if none). */
  firstIndex(atOrAfter: (item: T) => boolean): number {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (atOrAfter(this.items[mid]!)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /**
   * The records whose `key` lies in `[from, to]` (either bound optional), for a list sorted by that
   * key first. Returns the count at once and the records on demand.
   */
  range(key: (item: T) => number, from: number | undefined, to: number | undefined): Candidate<T> {
    const start = from === undefined ? 0 : this.firstIndex((x) => key(x) >= from);
    const end = to === undefined ? this.items.length : this.firstIndex((x) => key(x) > to);
    const size = Math.max(0, end - start);
    return { size, items: () => this.items.slice(start, start + size), orderedById: false };
  }
}

/** One way to reach the records a filtered list may contain. */
export interface Candidate<T> {
  /** How many records this way yields (known without materialising them). */
  size: number;
  items: () => readonly T[];
  /** Whether `items` come in id order already. */
  orderedById: boolean;
}

/** A candidate over a list already in id order. */
export function idOrdered<T>(items: readonly T[] | undefined): Candidate<T> {
  const list = items ?? [];
  return { size: list.length, items: () => list, orderedById: true };
}

/**
 * Answers a filtered list: takes the smallest candidate, keeps the records `keep` accepts, and
 * returns them in id order. `keep` must test every filter (the candidate only narrows the scan).
 */
export function plan<T extends { id: string }>(candidates: ReadonlyArray<Candidate<T>>, keep: (item: T) => boolean): T[] {
  let best = candidates[0];
  for (const c of candidates) if (best === undefined || c.size < best.size) best = c;
  if (!best || best.size === 0) return [];
  const out = best.items().filter(keep);
  return best.orderedById ? out : out.sort(byId);
}

/** Adds `item` to the sorted list of `key` in `map`, creating the list when needed. */
export function addTo<T>(map: Map<string, SortedList<T>>, key: string, item: T, cmp: (a: T, b: T) => number): void {
  let list = map.get(key);
  if (!list) map.set(key, (list = new SortedList(cmp)));
  list.insert(item);
}

/** Builds a map of sorted lists from `items` grouped by `key`, sorting each group once. */
export function groupLists<T>(items: readonly T[], key: (item: T) => string | null, cmp: (a: T, b: T) => number): Map<string, SortedList<T>> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === null) continue;
    let list = groups.get(k);
    if (!list) groups.set(k, (list = []));
    list.push(item);
  }
  return new Map([...groups].map(([k, list]) => [k, new SortedList(cmp, list)]));
}
