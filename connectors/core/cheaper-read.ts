/**
 * The children of many parents by the cheaper of the two reads a vendor's API allows when it
 * filters a child list by one parent at a time (`GET /invoices?workOrderId=`): one filtered read
 * per parent (the fanout), or one walk of the whole child list, grouped here by parent. The size
 * of the whole list decides: a walk takes `ceil(total / pageSize)` calls whatever the number of
 * parents, the fanout `fanoutCost(parents)` whatever the size of the list; a tie walks.
 *
 * A list's size is remembered for {@link LIST_SIZE_TTL_MS} per list (`key`: vendor, account,
 * list), for the whole process, so that a request decides without asking: a walk then reads all
 * its pages at once (one round trip, not a first page and then the rest), and a list too long to
 * walk costs its fanout and nothing more. When the size is not known, the walk's first page is
 * read to learn it: kept when the walk wins, one call more when the fanout wins.
 */
import { mapWithConcurrency } from './resilience.js';

/** How long a list's size is trusted without asking again (ms). */
export const LIST_SIZE_TTL_MS = 5 * 60_000;

const sizes = new Map<string, { total: number; at: number }>();
// First pages being read to learn a size: requests that need the same list meanwhile share them.
const probes = new Map<string, Promise<unknown>>();

/** Forgets every remembered list size (tests). */
export function forgetListSizes(): void {
  sizes.clear();
  probes.clear();
}

/** One page of a whole list (no filter), and its total when the vendor sends one. */
export interface WholeListPage<W> {
  items: readonly W[];
  total?: number | null | undefined;
}

/** What {@link childrenByCheaperRead} needs of a relation. */
export interface CheaperRead<W, M> {
  /** The list, for the size memory: vendor, account (base URL, user or tenant) and list name. */
  key: string;
  /** Distinct parent ids. */
  parents: readonly string[];
  /** Page size of the walk (the vendor's largest). */
  pageSize: number;
  /**
   * Page `page` (from 1) of the whole list at `pageSize`; null reads as an empty page. With
   * `check`, its items may be unchecked wire values.
   */
  page(page: number): Promise<WholeListPage<NoInfer<W>> | null> | Promise<WholeListPage<unknown> | null>;
  /**
   * Checks one item of a page (throws the vendor's `bad_response` error). When given, a walk
   * checks only the items it keeps, and `parentsOfItem` sees items not yet checked (objects only:
   * anything else is checked, and refused, first); a first page handed to the fanout is checked
   * whole. A walk reads the whole list to keep a few of its items: checking them all was most of
   * its cost.
   */
  check?(item: unknown): W;
  /** Wire item to model. */
  map(item: W): M;
  /** The parents a child belongs to (ids; undefined when none). */
  parentsOf(model: M): ReadonlyArray<string | undefined>;
  /**
   * The parents of a wire item, when they can be read before mapping: a walk maps only the items
   * of the parents asked for (a walk reads the whole list; mapping all of it would be wasted work).
   * With `check`, the item is not checked yet: read it with optional chaining.
   */
  parentsOfItem?(item: W): ReadonlyArray<string | number | null | undefined>;
  /** Identity of a child, to keep one copy of a record that a page shift showed twice. */
  idOf(model: M): string;
  /** Calls the fanout makes for `n` parents. */
  fanoutCost(n: number): number;
  /** The fanout: the children of each parent, one filtered read per parent; `first` is the walk's first page (checked) when it was read to learn the size. */
  fanout(parents: readonly string[], first?: WholeListPage<W> | null): Promise<Map<string, M[]>>;
  /** Pages of a walk in flight at once. */
  concurrency: number;
  /** Clock (ms), for tests. */
  now?: () => number;
}

/** The children of each of `o.parents` (every parent present, `[]` when it has none). Throws what the reads throw. */
export async function childrenByCheaperRead<W, M>(o: CheaperRead<W, M>): Promise<Map<string, M[]>> {
  const now = o.now ?? Date.now;
  const out = new Map<string, M[]>(o.parents.map((id) => [id, []]));
  if (o.parents.length === 0) return out;
  // One call, or none: no walk is cheaper, and nothing needs to be known.
  if (o.fanoutCost(o.parents.length) <= 1) return fill(out, await o.fanout(o.parents));
  const pagesOf = (total: number): number => Math.max(1, Math.ceil(total / o.pageSize));
  const remember = (p: WholeListPage<unknown> | null): void => {
    if (typeof p?.total === 'number') sizes.set(o.key, { total: p.total, at: now() });
  };
  const checked = (item: unknown): W => (o.check ? o.check(item) : (item as W));
  const checkedPage = (p: WholeListPage<unknown> | null | undefined): WholeListPage<W> | null | undefined =>
    p && o.check ? { ...p, items: p.items.map(checked) } : (p as WholeListPage<W> | null | undefined);
  const known = sizes.get(o.key);
  let first: WholeListPage<unknown> | null | undefined;
  let pages: number;
  if (known && now() - known.at < LIST_SIZE_TTL_MS) {
    pages = pagesOf(known.total);
  } else {
    let probe = probes.get(o.key) as Promise<WholeListPage<unknown> | null> | undefined;
    if (!probe) {
      probe = o.page(1) as Promise<WholeListPage<unknown> | null>;
      probes.set(o.key, probe);
      const done = (): void => void (probes.get(o.key) === probe && probes.delete(o.key));
      probe.then(done, done);
    }
    first = await probe;
    remember(first);
    // No total: the walk's length is unknown, so the fanout (whose cost is known) is taken.
    if (typeof first?.total !== 'number') return fill(out, await o.fanout(o.parents, checkedPage(first)));
    pages = pagesOf(first.total);
  }
  // The calls still to make: the first page, once read, is spent either way.
  const walkCalls = first !== undefined ? pages - 1 : pages;
  if (walkCalls > o.fanoutCost(o.parents.length)) return fill(out, await o.fanout(o.parents, checkedPage(first)));

  const numbers = Array.from({ length: pages }, (_, i) => i + 1).filter((n) => !(n === 1 && first !== undefined));
  const read = await mapWithConcurrency(numbers, o.concurrency, (n) => o.page(n) as Promise<WholeListPage<unknown> | null>);
  if (first === undefined) remember(read[0] ?? null);
  const lists = [...(first !== undefined ? [first] : []), ...read].map((p) => p?.items ?? []);
  // The list may have grown since its size was learned: go on while the last page is full.
  for (let n = pages + 1, last = lists.at(-1); last && last.length >= o.pageSize; n++) {
    last = ((await o.page(n)) as WholeListPage<unknown> | null)?.items ?? [];
    lists.push(last);
  }
  const seen = new Set<string>();
  const wanted = new Set(o.parents);
  for (const raw of lists.flat()) {
    if (o.parentsOfItem) {
      // Optional property reads on an object never throw, checked or not.
      const item = typeof raw === 'object' && raw !== null ? (raw as W) : checked(raw);
      if (!o.parentsOfItem(item).some((p) => p !== null && p !== undefined && wanted.has(String(p)))) continue;
    }
    const m = o.map(checked(raw));
    const id = o.idOf(m);
    if (seen.has(id)) continue;
    seen.add(id);
    for (const p of new Set(o.parentsOf(m))) if (p !== undefined) out.get(p)?.push(m);
  }
  return out;
}

function fill<M>(out: Map<string, M[]>, got: Map<string, M[]>): Map<string, M[]> {
  for (const id of out.keys()) out.set(id, got.get(id) ?? []);
  return out;
}
