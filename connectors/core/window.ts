/**
 * Time windows of list reads: the half-open span `[updatedSince, updatedBefore)` of modification
 * times a {@link ListQuery} asks for, turned into a vendor's server-side range and checked again on
 * each model.
 *
 * Vendors write their ranges differently: the upper bound may be inclusive (`updatedTo` "at or
 * before") or exclusive, and they keep modification times to a precision (whole seconds for every
 * vendor here). A window asked for to the millisecond is therefore widened to the vendor's
 * precision server-side (never narrowed: no record may be lost) and trimmed to the exact window on
 * our side, so a list returns exactly the records whose `updatedAt` lies in the window.
 */
import type { ListQuery } from '../types.js';
import { parseInstant } from './normalize.js';

/** The window of a query in epoch milliseconds (exact, milliseconds kept); an absent bound is open. */
export interface ListWindow {
  /** Inclusive lower bound. */
  since?: number;
  /** Exclusive upper bound. */
  before?: number;
}

/** The bound of a window that is not an ISO 8601 instant. */
export class WindowBoundError extends RangeError {
  constructor(readonly field: 'updatedSince' | 'updatedBefore') {
    super(`${field} is not an ISO 8601 date-time`);
  }
}

/**
 * The window of `query`. Throws {@link WindowBoundError} when a bound is given but not an ISO
 * 8601 date-time (fractions of a second are kept to the millisecond; a date alone is its midnight UTC).
 */
export function listWindow(query: Pick<ListQuery, 'updatedSince' | 'updatedBefore'>): ListWindow {
  const read = (field: 'updatedSince' | 'updatedBefore'): number | undefined => {
    const value = query[field];
    if (value === undefined) return undefined;
    const ms = parseInstant(value, { milliseconds: true, dateOnly: true });
    if (ms === undefined) throw new WindowBoundError(field);
    return ms;
  };
  const since = read('updatedSince');
  const before = read('updatedBefore');
  return { ...(since !== undefined ? { since } : {}), ...(before !== undefined ? { before } : {}) };
}

/** The vendor's range of a window: epoch ms, `to` inclusive or exclusive as the vendor's filter is. */
export interface ServerRange {
  from?: number;
  to?: number;
  /** True when no record kept to the vendor's precision can lie in the window: ask nothing. */
  empty: boolean;
}

/**
 * The server-side range covering every record of window `w` for a vendor whose modification times
 * are multiples of `precisionMs` and whose upper bound is `upper`: `from` is `since` rounded down
 * to the precision (an instant within a second still finds that second's records), `to` is the
 * first multiple at or after `before` (exclusive) or the multiple just before it (inclusive). The
 * range may hold a few records outside the window (a fraction of a second on either end): trim
 * with {@link inWindow}.
 */
export function serverRange(w: ListWindow, precisionMs: number, upper: 'inclusive' | 'exclusive'): ServerRange {
  const p = Math.max(1, precisionMs);
  const from = w.since === undefined ? undefined : Math.floor(w.since / p) * p;
  let to: number | undefined;
  if (w.before !== undefined) {
    const end = Math.ceil(w.before / p) * p;
    to = upper === 'exclusive' ? end : end - p;
  }
  let empty = w.since !== undefined && w.before !== undefined && w.since >= w.before;
  if (!empty && from !== undefined && to !== undefined) empty = upper === 'exclusive' ? to <= from : to < from;
  // Records exist only on multiples of the precision: none between `since` and `before` when both
  // fall inside one step, e.g. [10:00:00.200, 10:00:00.900) for whole seconds.
  if (!empty && w.since !== undefined && w.before !== undefined && Math.ceil(w.since / p) * p >= w.before) empty = true;
  return { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}), empty };
}

/**
 * True when a record modified at `updatedAt` lies in window `w`. A record without a readable
 * modification time lies in no bounded window; under a plain `updatedSince` it is kept when
 * `keepUndated` (a sync must not lose it) and dropped otherwise.
 */
export function inWindow(w: ListWindow, updatedAt: string | null | undefined, keepUndated = false): boolean {
  if (w.since === undefined && w.before === undefined) return true;
  const t = parseInstant(updatedAt, { milliseconds: true });
  if (t === undefined) return keepUndated && w.before === undefined;
  return (w.since === undefined || t >= w.since) && (w.before === undefined || t < w.before);
}
