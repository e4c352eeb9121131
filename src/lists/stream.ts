/**
 * One system's side of a merged root list: its records of one kind in modification-time order,
 * read in time windows.
 *
 * Vendors list in their own order (mostly by id), but every one of them can select the records
 * modified in a span of time and count them. So a stream asks for the window `[since, before)`,
 * reads every page of it, and sorts that window locally by `(updatedAt, id)`: the window is
 * complete, so its local order is exact. Windows are sized from the count the first page reports:
 * a window holding too many records is cut at a quantile of the records its first page sampled;
 * an empty or thin one makes the next window wider (an empty one sixteen times). What a stream learned (how wide a window
 * holds about a page) travels in the cursor, so the next page starts with the right width.
 *
 * Nothing here knows GraphQL: the merge (`merge.ts`) and the resolvers sit above.
 */
import type { FieldServiceConnector, ListQuery, VendorKey } from '../../connectors/types.js';
import type { EntityKind, ModelByKind } from '../model/index.js';

/** Which way a list runs. */
export type Direction = 'ASC' | 'DESC';

/**
 * Where a stream stands: the records still due are those after `(t, id)` in the list's direction;
 * with `id` null, every record at instant `t` is still due.
 */
export interface Frontier {
  t: number;
  id: string | null;
}

/** A stream's position as the cursor keeps it. */
export interface StreamState {
  /** The frontier; null before the first record (the filter's bound applies). */
  frontier: Frontier | null;
  /** Width in ms of a window that held about a page last time; null when not learned yet. */
  width: number | null;
}

/** A record of a stream with its sort key. */
export interface Keyed<T> {
  t: number;
  id: string;
  model: T;
}

/** What a stream found for one page. */
export interface Fill<T> {
  /** Due records in the list's order: at least `need`, unless the stream ended or stopped early. */
  items: Array<Keyed<T>>;
  /** True when every window up to the filter's bound was read (nothing more is due now). */
  ended: boolean;
  /**
   * How far the windows reached: every due record before this instant (ASC: `t < reached`; DESC:
   * `t >= reached`) is in `items`.
   */
  reached: number | null;
  /** The window width learned. */
  width: number | null;
  /** Vendor calls made. */
  calls: number;
}

/** Records a page of the vendor's list holds at most when we ask (the vendors cap at 100). */
export const VENDOR_PAGE_SIZE = 100;

/** Windows one stream may read for one page before it stops early (a guard, never reached in practice). */
const MAX_WINDOWS = 40;

/** Pages one window may take (a window holds at most a few pages by construction). */
const MAX_PAGES = 50;

/** Widest window (ten years): beyond it a window is left open. */
const MAX_WIDTH = 10 * 366 * 86_400_000;

/** Records are never modified later than this far past our clock (vendor clocks drift). */
const FUTURE_SLACK_MS = 86_400_000;

/** Order of two ids of the same system: numeric ids by value, others as strings. */
export function compareIds(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b) && a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** True when the record `(t, id)` is still due after `frontier` in direction `dir`. */
export function isDue(t: number, id: string, frontier: Frontier | null, dir: Direction): boolean {
  if (!frontier) return true;
  if (t !== frontier.t) return dir === 'ASC' ? t > frontier.t : t < frontier.t;
  if (frontier.id === null) return true;
  const c = compareIds(id, frontier.id);
  return dir === 'ASC' ? c > 0 : c < 0;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** How one stream reads: the connector, the kind, the server-side query, the bounds. */
export interface StreamSpec<K extends EntityKind> {
  vendor: VendorKey;
  connector: FieldServiceConnector;
  kind: K;
  /** Filters other than time (sourceStatuses, customerId, technicianId). */
  query: Omit<ListQuery, 'cursor' | 'pageSize' | 'updatedSince' | 'updatedBefore'>;
  /** Records the engine keeps after the vendor's answer (filters no vendor applies). */
  keep?: (model: ModelByKind[K]) => boolean;
  /** The filter's span of modification times: `since` inclusive, `before` exclusive. */
  since: number | null;
  before: number | null;
  dir: Direction;
}

/** One window's records, or word that it holds too many. */
type WindowRead<T> = { kind: 'all'; items: T[]; total: number | undefined } | { kind: 'tooMany'; total: number; sample: number[] };

function updatedMs(model: { updatedAt?: string }): number | undefined {
  const t = model.updatedAt ? Date.parse(model.updatedAt) : NaN;
  return Number.isNaN(t) ? undefined : t;
}

/**
 * Reads the next `need` due records of one stream after `state`, in window after window, and says
 * how far it got. Throws the connector's error when the vendor fails.
 */
export async function fillStream<K extends EntityKind>(spec: StreamSpec<K>, state: StreamState, need: number, now = Date.now()): Promise<Fill<ModelByKind[K]>> {
  const { connector, kind, dir } = spec;
  const precision = Math.max(1, connector.capabilities.timePrecisionMs ?? 1000);
  const cap = Math.max(VENDOR_PAGE_SIZE, 3 * need);
  const horizon = now + FUTURE_SLACK_MS;
  let calls = 0;

  async function readWindow(since: number | null, before: number | null, canNarrow: boolean): Promise<WindowRead<ModelByKind[K]>> {
    const items: Array<ModelByKind[K]> = [];
    let cursor: string | undefined;
    let total: number | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const query: ListQuery = {
        ...spec.query,
        pageSize: VENDOR_PAGE_SIZE,
        ...(since !== null ? { updatedSince: iso(since) } : {}),
        ...(before !== null ? { updatedBefore: iso(before) } : {}),
        ...(cursor !== undefined ? { cursor } : {}),
      };
      const p = await connector.list(kind, query);
      calls++;
      if (page === 0) {
        total = p.total;
        const sample = p.items.map((m) => updatedMs(m)).filter((t): t is number => t !== undefined);
        if (canNarrow && total !== undefined && total > cap && sample.length > 0) return { kind: 'tooMany', total, sample };
      }
      items.push(...p.items);
      if (!p.nextCursor) return { kind: 'all', items, total };
      // A vendor that does not count: too many once the window holds more than we can use.
      if (canNarrow && total === undefined && items.length >= cap) {
        const sample = items.map((m) => updatedMs(m)).filter((t): t is number => t !== undefined);
        if (sample.length > 0) return { kind: 'tooMany', total: items.length * 2, sample };
      }
      cursor = p.nextCursor;
    }
    throw new Error(`${spec.vendor} ${kind} window [${since}, ${before}) spans more than ${MAX_PAGES} pages`);
  }

  const out: Array<Keyed<ModelByKind[K]>> = [];
  let frontier = state.frontier;
  let width = state.width;
  // The edge of the next window: ASC its `since`, DESC its `before`.
  let edge: number | null = frontier ? (dir === 'ASC' ? frontier.t : frontier.t + 1) : dir === 'ASC' ? spec.since : spec.before;
  // A narrower far end chosen after a window held too many.
  let cut: number | null = null;

  for (let windows = 0; windows < MAX_WINDOWS; windows++) {
    let since: number | null;
    let before: number | null;
    if (dir === 'ASC') {
      since = edge;
      before = cut ?? (since !== null && width !== null ? since + width : spec.before);
      if (spec.before !== null && before !== null && before >= spec.before) before = spec.before;
      if (spec.before === null && before !== null && before > horizon) before = null;
    } else {
      before = edge;
      since = cut ?? (before !== null && width !== null ? before - width : spec.since);
      if (spec.since !== null && since !== null && since <= spec.since) since = spec.since;
      if (spec.since === null && since !== null && since < 0) since = null;
    }
    const span: number = since !== null && before !== null ? before - since : Infinity;
    const read = await readWindow(since, before, span > precision);
    if (read.kind === 'tooMany') {
      // Cut the window where the sampled records say it holds about a page's worth.
      const sample = read.sample.slice().sort((a, b) => a - b);
      const share = Math.min(1, (2 * need) / read.total);
      if (dir === 'ASC') {
        const at = sample[Math.min(sample.length - 1, Math.floor(share * sample.length))]!;
        cut = Math.max(at + 1, (since ?? at) + precision);
        // The sample sits on the window's far end (a burst on one instant): stop just before that
        // instant, or, when the window starts on it, take that instant alone (read whole).
        if (before !== null && cut >= before) cut = since === null || at > since ? at : since + precision;
      } else {
        const at = sample[Math.max(0, sample.length - 1 - Math.floor(share * sample.length))]!;
        cut = before === null ? at : Math.min(at, before - precision);
        if (since !== null && cut <= since) cut = before === null || at + precision < before ? at + precision : before - precision;
      }
      continue;
    }
    const burst = cut !== null && span <= precision;
    cut = null;
    const keyed: Array<Keyed<ModelByKind[K]>> = [];
    for (const model of read.items) {
      const t = updatedMs(model);
      if (t === undefined) continue;
      if (!isDue(t, model.ref.id, frontier, dir)) continue;
      if (spec.keep && !spec.keep(model)) continue;
      keyed.push({ t, id: model.ref.id, model });
    }
    keyed.sort((a, b) => (dir === 'ASC' ? 1 : -1) * (a.t - b.t || compareIds(a.id, b.id)));
    out.push(...keyed);
    const ended = dir === 'ASC' ? before === spec.before || before === null : since === spec.since || since === null;
    const reached = dir === 'ASC' ? before : since;
    // Learn the width: aim for about `need` records a window.
    const found = read.items.length;
    // An open end is measured to the farthest record found.
    let measured: number | null = span;
    if (!Number.isFinite(span)) {
      const times = read.items.map((m) => updatedMs(m)).filter((t): t is number => t !== undefined);
      measured = times.length > 0 ? (before ?? Math.max(...times) + 1) - (since ?? Math.min(...times)) : null;
    }
    // A window cut down to one instant (a burst read whole) says nothing about the usual density.
    if (measured !== null && measured > 0 && !burst) {
      width = found === 0 ? Math.min(MAX_WIDTH, measured * 16) : Math.max(precision, Math.min(MAX_WIDTH, Math.round((measured * need) / found)));
    }
    if (ended || out.length >= need) return { items: out, ended, reached, width, calls };
    // Everything before the window's far end has been read.
    edge = reached;
    frontier = null;
  }
  return { items: out, ended: false, reached: edge, width, calls };
}
