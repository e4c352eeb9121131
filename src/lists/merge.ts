/**
 * A root list merged across systems: each system's stream (`stream.ts`) yields its next records
 * in modification-time order, the streams are merged k-way, and every edge's cursor records where
 * EVERY stream stands after that edge, so the next page resumes each system exactly where it
 * stopped. Walking to the end returns each record once, in order.
 *
 * Why a page is correct: each stream supplies its next `first + 1` due records (or all it has),
 * so the `first` smallest of the union are the `first` smallest overall. A stream that had to stop
 * early caps what may be emitted at the instant its windows reached.
 *
 * Cost: per system, about one call a page once the window width is learned (it travels in the
 * cursor); the first page of a walk may take two or three to find it. Independent of the size of
 * the data set.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { VendorKey } from '../../connectors/types.js';
import { VENDOR_KEYS } from '../../connectors/vendors.js';
import type { EntityKind, ModelByKind } from '../model/index.js';
import { compareIds, fillStream, type Direction, type Fill, type Frontier, type Keyed, type StreamSpec, type StreamState } from './stream.js';

/** A merged list's page request. */
export interface MergeRequest<K extends EntityKind> {
  kind: K;
  streams: Array<StreamSpec<K>>;
  first: number;
  /** A cursor of this list (same kind, filter and order), or null for the first page. */
  after: string | null;
  dir: Direction;
  /** Identifies the filter and order; a cursor is only valid with the same one. */
  fingerprint: string;
  /** Also count the whole list (one small call per system). */
  count: boolean;
}

/** A merged page. */
export interface MergedPage<T> {
  edges: Array<{ cursor: string; node: T }>;
  hasNextPage: boolean;
  /** Records of the whole list, or null when a system cannot count (or failed). */
  totalCount: number | null;
  /** Systems left out of this page, with why. */
  failures: Array<{ vendor: VendorKey; error: unknown }>;
  /** Vendor calls made, per system (for tests and the benchmark). */
  calls: Partial<Record<VendorKey, number>>;
}

/** Thrown for a cursor this list did not issue (or issued for another filter or order). */
export class BadCursorError extends Error {
  override readonly name = 'BadCursorError';
}

const StateSchema = z
  .object({
    t: z.number().int().optional(),
    i: z.string().max(200).nullable().optional(),
    w: z.number().int().positive().nullable().optional(),
  })
  .strict();

const CursorSchema = z
  .object({
    v: z.literal(1),
    f: z.string().max(40),
    s: z.partialRecord(z.enum(VENDOR_KEYS), StateSchema),
  })
  .strict();

type WireState = z.infer<typeof StateSchema>;

function encodeState(state: StreamState): WireState {
  return {
    ...(state.frontier ? { t: state.frontier.t, i: state.frontier.id } : {}),
    ...(state.width !== null ? { w: state.width } : {}),
  };
}

function decodeState(w: WireState | undefined): StreamState {
  return {
    frontier: w?.t !== undefined ? { t: w.t, id: w.i ?? null } : null,
    width: w?.w ?? null,
  };
}

/** The opaque cursor of stream states under `fingerprint`. */
export function encodeCursor(fingerprint: string, states: Partial<Record<VendorKey, StreamState>>): string {
  const s: Partial<Record<VendorKey, WireState>> = {};
  for (const [vendor, state] of Object.entries(states) as Array<[VendorKey, StreamState]>) s[vendor] = encodeState(state);
  return Buffer.from(JSON.stringify({ v: 1, f: fingerprint, s }), 'utf8').toString('base64url');
}

/** The stream states a cursor holds; throws {@link BadCursorError} for anything else. */
export function decodeCursor(cursor: string, fingerprint: string): Partial<Record<VendorKey, StreamState>> {
  if (cursor.length > 4000 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw new BadCursorError('not a cursor of this list');
  let parsed: z.infer<typeof CursorSchema>;
  try {
    parsed = CursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw new BadCursorError('not a cursor of this list');
  }
  if (parsed.f !== fingerprint) throw new BadCursorError('the cursor belongs to a list with another filter or order');
  const out: Partial<Record<VendorKey, StreamState>> = {};
  for (const [vendor, w] of Object.entries(parsed.s) as Array<[VendorKey, WireState]>) out[vendor] = decodeState(w);
  return out;
}

/** A short stable digest of what a list is (kind, filter, order). */
export function fingerprintOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('base64url').slice(0, 16);
}

interface Candidate<T> extends Keyed<T> {
  vendor: VendorKey;
  rank: number;
}

function order<T>(dir: Direction): (a: Candidate<T>, b: Candidate<T>) => number {
  const sign = dir === 'ASC' ? 1 : -1;
  return (a, b) => sign * (a.t - b.t || a.rank - b.rank || compareIds(a.id, b.id));
}

/**
 * The stream's state once none of its records of this page was emitted: moved up to its first
 * due record, or to where its windows reached, when that is past where it stood.
 */
function advanced<T>(state: StreamState, fill: Fill<T>, dir: Direction): StreamState {
  const old = state.frontier;
  const beyond = (t: number): boolean => !old || (dir === 'ASC' ? t > old.t : t < old.t);
  let frontier: Frontier | null = old;
  const first = fill.items[0];
  if (first) {
    if (beyond(first.t)) frontier = { t: first.t, id: null };
  } else if (fill.reached !== null) {
    const t = dir === 'ASC' ? fill.reached : fill.reached - 1;
    if (beyond(t)) frontier = { t, id: null };
  }
  return { frontier, width: fill.width };
}

/** The sum of every system's count, or null when one cannot count or failed. */
async function totalOf(counting: Promise<Array<PromiseSettledResult<number | undefined>>>): Promise<number | null> {
  const totals = await counting;
  let sum = 0;
  for (const r of totals) {
    if (r.status !== 'fulfilled' || typeof r.value !== 'number') return null;
    sum += r.value;
  }
  return sum;
}

/** Reads one page of a merged list (`retries`: how often an empty page may be read on, see below). */
export async function mergedPage<K extends EntityKind>(req: MergeRequest<K>, retries = 3): Promise<MergedPage<ModelByKind[K]>> {
  const states = req.after ? decodeCursor(req.after, req.fingerprint) : {};
  const stateOf = (vendor: VendorKey): StreamState => states[vendor] ?? { frontier: null, width: null };
  const need = req.first + 1;
  const calls: Partial<Record<VendorKey, number>> = {};

  const counting = req.count
    ? Promise.allSettled(
        req.streams.map(async (s) => {
          const p = await s.connector.list(s.kind, {
            ...s.query,
            pageSize: 1,
            ...(s.since !== null ? { updatedSince: new Date(s.since).toISOString() } : {}),
            ...(s.before !== null ? { updatedBefore: new Date(s.before).toISOString() } : {}),
          });
          calls[s.vendor] = (calls[s.vendor] ?? 0) + 1;
          return p.total;
        }),
      )
    : undefined;

  const fills = req.first === 0 ? [] : await Promise.allSettled(req.streams.map((s) => fillStream(s, stateOf(s.vendor), need)));
  const failures: MergedPage<unknown>['failures'] = [];
  const ok: Array<{ spec: StreamSpec<K>; fill: Fill<ModelByKind[K]>; rank: number }> = [];
  fills.forEach((r, i) => {
    const spec = req.streams[i]!;
    if (r.status === 'rejected') failures.push({ vendor: spec.vendor, error: r.reason });
    else {
      calls[spec.vendor] = (calls[spec.vendor] ?? 0) + r.value.calls;
      ok.push({ spec, fill: r.value, rank: VENDOR_KEYS.indexOf(spec.vendor) });
    }
  });

  // A stream that stopped early bounds what may be emitted.
  let bound: number | null = null;
  let stoppedEarly = false;
  for (const { fill } of ok) {
    if (fill.ended || fill.items.length >= need || fill.reached === null) continue;
    stoppedEarly = true;
    bound = bound === null ? fill.reached : req.dir === 'ASC' ? Math.min(bound, fill.reached) : Math.max(bound, fill.reached);
  }
  const within = (t: number): boolean => bound === null || (req.dir === 'ASC' ? t < bound : t >= bound);

  const candidates: Array<Candidate<ModelByKind[K]>> = [];
  for (const { spec, fill, rank } of ok) {
    for (const item of fill.items.slice(0, need)) if (within(item.t)) candidates.push({ ...item, vendor: spec.vendor, rank });
  }
  candidates.sort(order(req.dir));
  const page = candidates.slice(0, req.first);

  // Each edge's cursor: every stream's state after that edge.
  const current: Partial<Record<VendorKey, StreamState>> = { ...states };
  for (const { spec, fill } of ok) current[spec.vendor] = advanced(stateOf(spec.vendor), fill, req.dir);
  const widths = new Map(ok.map(({ spec, fill }) => [spec.vendor, fill.width]));
  const edges = page.map((c) => {
    current[c.vendor] = { frontier: { t: c.t, id: c.id }, width: widths.get(c.vendor) ?? null };
    return { cursor: encodeCursor(req.fingerprint, current), node: c.model };
  });

  // A stream that stopped early before any record could be emitted: carry on from where every
  // stream got to rather than hand back an empty page that cannot be resumed.
  if (edges.length === 0 && stoppedEarly && retries > 0) {
    const next = await mergedPage({ ...req, after: encodeCursor(req.fingerprint, current), count: false }, retries - 1);
    for (const [vendor, n] of Object.entries(next.calls) as Array<[VendorKey, number]>) calls[vendor] = (calls[vendor] ?? 0) + n;
    return { ...next, totalCount: counting ? await totalOf(counting) : null, calls, failures: [...failures, ...next.failures] };
  }

  let totalCount: number | null = null;
  if (counting) totalCount = await totalOf(counting);

  return {
    edges,
    // A failed system does not keep the list open: `failures` says the page is incomplete, and
    // the cursors keep its place for when it answers again.
    hasNextPage: candidates.length > req.first || stoppedEarly,
    totalCount,
    failures,
    calls,
  };
}
