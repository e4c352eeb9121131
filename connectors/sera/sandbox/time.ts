/**
 * Wall-clock conversions for the Sera simulator. Sera books appointments as a local date plus a
 * local window ("08:00"-"12:00") in a named IANA time zone, while every timestamp it returns is
 * UTC. The conversions go through `Intl` only, so they follow the tz database exactly (DST
 * included) without a date library.
 */

/** The business's own time zone: an Atlanta-based company. */
export const BUSINESS_TIMEZONE = 'America/New_York';

const DAY = 86_400_000;

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

/** True when `timeZone` is an IANA zone name this runtime knows (`America/Chicago`). */
export function isTimeZone(timeZone: string): boolean {
  if (!timeZone.includes('/') && timeZone !== 'UTC') return false;
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The local calendar fields of instant `ms` in `timeZone`. */
function localFields(ms: number, timeZone: string): { y: number; mo: number; d: number; h: number; mi: number; s: number } {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return { y: parts.year!, mo: parts.month!, d: parts.day!, h: parts.hour!, mi: parts.minute!, s: parts.second! };
}

/** Offset of `timeZone` from UTC at instant `ms`, in milliseconds (New York in winter: -5 h). */
function offsetAt(ms: number, timeZone: string): number {
  const f = localFields(ms, timeZone);
  const asUtc = Date.UTC(f.y, f.mo - 1, f.d, f.h, f.mi, f.s);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/**
 * The UTC instant of local `date` (`YYYY-MM-DD`) at `time` (`HH:MM`) in `timeZone`. A local time
 * that a DST change repeats resolves to its first occurrence; one that DST skips resolves with the
 * offset in force before the change (02:30 on a spring-forward day reads as 03:30).
 */
export function localToUtc(date: string, time: string, timeZone: string): number {
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  const [h, mi] = time.split(':').map(Number) as [number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  const before = wall - offsetAt(wall - DAY, timeZone);
  const after = wall - offsetAt(wall + DAY, timeZone);
  const reads = (ms: number) => {
    const f = localFields(ms, timeZone);
    return Date.UTC(f.y, f.mo - 1, f.d, f.h, f.mi) === wall;
  };
  const valid = [before, after].filter(reads);
  return valid.length > 0 ? Math.min(...valid) : before;
}

/** The local date (`YYYY-MM-DD`) and time (`HH:MM`) of instant `ms` in `timeZone`. */
export function utcToLocal(ms: number, timeZone: string): { date: string; time: string } {
  const f = localFields(ms, timeZone);
  const p = (n: number) => String(n).padStart(2, '0');
  return { date: `${f.y}-${p(f.mo)}-${p(f.d)}`, time: `${p(f.h)}:${p(f.mi)}` };
}

/** The local date of `ms` in the business's time zone. */
export function businessDate(ms: number): string {
  return utcToLocal(ms, BUSINESS_TIMEZONE).date;
}

/** Midnight at the start of local `date` in the business's time zone, as a UTC instant. */
export function businessDayStart(date: string): number {
  return localToUtc(date, '00:00', BUSINESS_TIMEZONE);
}

/** `YYYY-MM-DD` plus `days` calendar days. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}

/**
 * `YYYY-MM-DD` plus `months` calendar months, clamped to the last day of the target month
 * (2026-01-31 + 1 month = 2026-02-28), as billing systems do.
 */
export function addMonths(date: string, months: number): string {
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  const firstOfTarget = new Date(Date.UTC(y, mo - 1 + months, 1));
  const lastDay = new Date(Date.UTC(firstOfTarget.getUTCFullYear(), firstOfTarget.getUTCMonth() + 1, 0)).getUTCDate();
  firstOfTarget.setUTCDate(Math.min(d, lastDay));
  return firstOfTarget.toISOString().slice(0, 10);
}

/** True when `date` is a real calendar date written `YYYY-MM-DD`. */
export function isCalendarDate(date: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return false;
  const ms = Date.parse(`${date}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === date;
}

/** ISO 8601 UTC with seconds precision, the format of every Sera timestamp. */
export function isoUtc(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Minutes of `HH:MM`. */
export function minutesOf(time: string): number {
  const [h, m] = time.split(':').map(Number) as [number, number];
  return h * 60 + m;
}
