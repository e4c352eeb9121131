/**
 * Wire-value normalisation shared by every connector's `wire.ts` and `mapping.ts`: vendor
 * timestamps of any common ISO 8601 form to epoch milliseconds and to the canonical
 * `YYYY-MM-DDTHH:MM:SSZ`, calendar dates to `YYYY-MM-DD`, local wall-clock times in an IANA zone
 * to and from UTC (through `Intl`, DST exact, no library), and free text and phone numbers.
 *
 * Everything here is pure (no clock, no I/O) and total: unreadable input gives `undefined` (or a
 * thrown `RangeError` from the `require*` variants), never a wrong value. What a vendor writes
 * differently is passed in as an {@link InstantSyntax}, not decided here.
 */
import { z } from 'zod';
import { normalizePhone } from '../../src/identity/normalize.js';

// ---------------------------------------------------------------- instants

/**
 * How a vendor writes instants, beyond what every vendor may write. Always accepted: a date,
 * then `T` or a space and `HH:MM`, optional `:SS`, optional fractions (`.` or `,`), then optional
 * white space and a zone: `Z`/`z`, `±HH`, `±HHMM` or `±HH:MM`; no zone means UTC.
 */
export interface InstantSyntax {
  /** Also accept a date alone (`2026-01-21`, optionally with a zone), read as midnight. Default false. */
  dateOnly?: boolean;
  /** Keep fractional seconds to the millisecond (truncated, not rounded). Default false: whole seconds. */
  milliseconds?: boolean;
  /** Also accept `UTC` and `GMT` (any case) as the zone. Default false. */
  zoneWords?: boolean;
  /** Also accept a lower-case `t` between date and time (RFC 3339 allows it). Default false. */
  lowercaseT?: boolean;
}

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})(?:([Tt ])(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*([A-Za-z]+|[+-]\d{2}(?::?\d{2})?)?$/;

/** True when `y-mo-d` is a day of the proleptic Gregorian calendar (years 100 to 9999 as written). */
export function isCalendarDate(y: number, mo: number, d: number): boolean {
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/**
 * Epoch milliseconds of a vendor timestamp written as {@link InstantSyntax} allows (leading and
 * trailing white space ignored). Undefined when `value` is absent, blank, of another form, or
 * names a day or time that does not exist (`2026-02-30`, `24:00`, `12:60`): `Date.UTC` would roll
 * those over into a wrong instant. Fractions are dropped unless `syntax.milliseconds`.
 */
export function parseInstant(value: string | null | undefined, syntax: InstantSyntax = {}): number | undefined {
  const m = value ? INSTANT.exec(value.trim()) : null;
  if (!m) return undefined;
  const [, ys, mos, ds, sep, hs, mis, ss, frac, zone] = m;
  if (hs === undefined && !syntax.dateOnly) return undefined;
  if (sep === 't' && !syntax.lowercaseT) return undefined;
  const [y, mo, d, h, mi, s] = [ys, mos, ds, hs ?? '0', mis ?? '0', ss ?? '0'].map(Number) as [number, number, number, number, number, number];
  if (!isCalendarDate(y, mo, d) || h > 23 || mi > 59 || s > 59) return undefined;
  let offsetMin = 0;
  if (zone !== undefined) {
    const word = zone.toUpperCase();
    if (/^[+-]/.test(zone)) {
      const z = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone)!;
      offsetMin = (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3] ?? '0'));
    } else if (word !== 'Z' && !(syntax.zoneWords && (word === 'UTC' || word === 'GMT'))) {
      return undefined;
    }
  }
  const ms = syntax.milliseconds && frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0;
  return Date.UTC(y, mo - 1, d, h, mi, s, ms) - offsetMin * 60_000;
}

/** The canonical form of an instant: ISO 8601 UTC with whole seconds (`2026-01-21T09:42:18Z`); milliseconds are truncated. */
export function formatInstant(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A vendor timestamp in canonical form ({@link parseInstant}, then {@link formatInstant}); undefined when absent or unreadable. */
export function toInstant(value: string | null | undefined, syntax: InstantSyntax = {}): string | undefined {
  const ms = parseInstant(value, syntax);
  return ms === undefined ? undefined : formatInstant(ms);
}

/** {@link toInstant} for a value that must be readable: throws a `RangeError` naming the value otherwise. */
export function requireInstant(value: string, syntax: InstantSyntax = {}): string {
  const iso = toInstant(value, syntax);
  if (iso === undefined) throw new RangeError(`unreadable timestamp: ${value}`);
  return iso;
}

/**
 * A zod string that {@link parseInstant} reads with `syntax` (the string itself is kept as sent;
 * mapping normalises it). For wire schemas of timestamps the connector relies on.
 */
export function instantString(syntax: InstantSyntax = {}, message = 'not an ISO 8601 date-time') {
  return z.string().refine((v) => parseInstant(v, syntax) !== undefined, message);
}

// ---------------------------------------------------------------- dates

/**
 * The `YYYY-MM-DD` of a calendar date, or of the date part of a date-time as written (no zone
 * conversion: a local date stays that date). Undefined when absent, of another form, or not a day
 * of the calendar (`2026-02-30`).
 */
export function toCalendarDate(value: string | null | undefined): string | undefined {
  const m = value ? /^(\d{4})-(\d{2})-(\d{2})/.exec(value.trim()) : null;
  return m && isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3])) ? m[0] : undefined;
}

// ---------------------------------------------------------------- time zones

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when `timeZone` is a zone this runtime's `Intl` knows (`America/Chicago`, `UTC`). */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Local wall-clock fields of instant `ms` in `timeZone`. */
function wallFields(ms: number, timeZone: string): { y: number; mo: number; d: number; h: number; mi: number; s: number } {
  const p: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(ms))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return { y: p.year!, mo: p.month!, d: p.day!, h: p.hour!, mi: p.minute!, s: p.second! };
}

/** The local wall clock of `ms` as if it were UTC (for offset arithmetic). */
function wallAsUtc(ms: number, timeZone: string): number {
  const f = wallFields(ms, timeZone);
  return Date.UTC(f.y, f.mo - 1, f.d, f.h, f.mi, f.s);
}

/** Offset of `timeZone` at instant `ms` in ms (New York in winter: -5 h). */
function offsetAt(ms: number, timeZone: string): number {
  return wallAsUtc(ms, timeZone) - Math.floor(ms / 1000) * 1000;
}

/**
 * The UTC instant (epoch ms) of local `date` (`YYYY-MM-DD`) at `time` (`HH:MM[:SS]`) in
 * `timeZone`. A time a DST change repeats resolves to its first occurrence; one DST skips reads
 * with the offset in force before the change (02:30 on a spring-forward day is 03:30). The
 * caller checks the inputs' form; throws a `RangeError` for a zone `Intl` does not know.
 */
export function zonedToUtc(date: string, time: string, timeZone: string): number {
  const [y, mo, d] = date.slice(0, 10).split('-').map(Number) as [number, number, number];
  const [h, mi, s = 0] = time.split(':').map(Number) as [number, number, number?];
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  const day = 86_400_000;
  const candidates = [wall - offsetAt(wall - day, timeZone), wall - offsetAt(wall + day, timeZone)];
  const valid = candidates.filter((c) => wallAsUtc(c, timeZone) === wall);
  return valid.length > 0 ? Math.min(...valid) : candidates[0]!;
}

/**
 * The local date (`YYYY-MM-DD`), time (`HH:MM`) and seconds of instant `ms` in `timeZone`.
 * Throws a `RangeError` for a zone `Intl` does not know.
 */
export function utcToZoned(ms: number, timeZone: string): { date: string; time: string; seconds: number } {
  const f = wallFields(ms, timeZone);
  const p = (n: number) => String(n).padStart(2, '0');
  return { date: `${f.y}-${p(f.mo)}-${p(f.d)}`, time: `${p(f.h)}:${p(f.mi)}`, seconds: f.s };
}

// ---------------------------------------------------------------- text

/** `value` trimmed; undefined when absent or blank (models carry no empty strings). */
export function optionalText(value: string | null | undefined): string | undefined {
  const t = value?.trim();
  return t ? t : undefined;
}

/**
 * `value` on one line (runs of white space as one space, trimmed) and at most `max` characters,
 * a longer one cut to `max - 3` and ended with `...`. Undefined when absent or blank. For vendor
 * messages that go into errors and logs: they name records and fields, but may be long.
 */
export function shortText(value: string | null | undefined, max = 200): string | undefined {
  const m = value?.replace(/\s+/g, ' ').trim();
  if (!m) return undefined;
  return m.length > max ? `${m.slice(0, max - 3)}...` : m;
}

/**
 * A phone number in E.164 when it is a North American number (see `normalizePhone`), else as the
 * vendor wrote it, trimmed; undefined when absent or blank.
 */
export function phoneNumber(value: string | null | undefined): string | undefined {
  const raw = optionalText(value);
  return raw ? (normalizePhone(raw) ?? raw) : undefined;
}
