/**
 * The shared wire-value normaliser: vendor timestamps of every common form to epoch ms and to
 * canonical ISO 8601 UTC, the per-vendor syntax options, calendar dates, wall-clock time in an IANA
 * zone (DST edges), and text and phone clean-up.
 */
import { describe, expect, it } from 'vitest';
import {
  formatInstant,
  instantString,
  isCalendarDate,
  isTimeZone,
  optionalText,
  parseInstant,
  phoneNumber,
  requireInstant,
  shortText,
  toCalendarDate,
  toInstant,
  utcToZoned,
  zonedToUtc,
} from '../../../connectors/core/normalize.js';

describe('parseInstant / toInstant', () => {
  it('reads every zone form and normalises to UTC with whole seconds', () => {
    expect(toInstant('2026-01-21T09:42:18Z')).toBe('2026-01-21T09:42:18Z');
    expect(toInstant('2026-01-21T09:42:18z')).toBe('2026-01-21T09:42:18Z');
    expect(toInstant('2026-01-21T04:42-05:00')).toBe('2026-01-21T09:42:00Z');
    expect(toInstant('2026-01-21T11:42:18+0200')).toBe('2026-01-21T09:42:18Z');
    expect(toInstant('2026-01-01T01:00:00+05')).toBe('2025-12-31T20:00:00Z');
    expect(toInstant('2026-02-01T20:37:00+05:30')).toBe('2026-02-01T15:07:00Z');
    expect(toInstant(' 2026-02-01 15:07:00 ')).toBe('2026-02-01T15:07:00Z');
    expect(toInstant('2026-02-01T15:07:00 -06:00')).toBe('2026-02-01T21:07:00Z');
  });

  it('drops fractions unless asked to keep milliseconds (truncated, `.` or `,`)', () => {
    expect(parseInstant('2026-01-21T09:42:18.999Z')).toBe(Date.UTC(2026, 0, 21, 9, 42, 18));
    expect(parseInstant('2026-01-21T09:42:18.2999999Z', { milliseconds: true })).toBe(Date.UTC(2026, 0, 21, 9, 42, 18, 299));
    expect(parseInstant('2026-01-21T09:42:18,29Z', { milliseconds: true })).toBe(Date.UTC(2026, 0, 21, 9, 42, 18, 290));
    expect(toInstant('2026-01-21T09:42:18.999Z', { milliseconds: true })).toBe('2026-01-21T09:42:18Z');
  });

  it('takes a date alone and zone words only when the vendor writes them', () => {
    expect(parseInstant('2026-02-01')).toBeUndefined();
    expect(parseInstant('2026-02-01', { dateOnly: true })).toBe(Date.UTC(2026, 1, 1));
    expect(parseInstant('2026-02-01 10:00:00 UTC')).toBeUndefined();
    expect(parseInstant('2026-02-01 10:00:00 utc', { zoneWords: true })).toBe(Date.UTC(2026, 1, 1, 10));
    expect(parseInstant('2026-02-01 10:00:00 GMT', { zoneWords: true })).toBe(Date.UTC(2026, 1, 1, 10));
    expect(parseInstant('2026-02-01 10:00:00 CET', { zoneWords: true })).toBeUndefined();
  });

  it('takes a lower-case `t` separator only when the vendor writes it', () => {
    expect(parseInstant('2026-02-01t10:00:00Z')).toBeUndefined();
    expect(parseInstant('2026-02-01t10:00:00Z', { lowercaseT: true })).toBe(Date.UTC(2026, 1, 1, 10));
    expect(parseInstant('2026-02-01t10:00', { lowercaseT: true })).toBe(Date.UTC(2026, 1, 1, 10));
    expect(parseInstant('2026-02-01t', { lowercaseT: true, dateOnly: true })).toBeUndefined();
  });

  it('refuses days and times that do not exist instead of rolling them over', () => {
    for (const v of ['2026-02-30T00:00:00Z', '2025-02-29T00:00:00Z', '2026-13-01T00:00:00Z', '2026-01-01T24:00:00Z', '2026-01-01T12:60:00Z', '2026-01-01T12:00:60Z', '0050-01-01T00:00:00Z']) {
      expect(parseInstant(v), v).toBeUndefined();
    }
    expect(parseInstant('2028-02-29T00:00:00Z')).toBe(Date.UTC(2028, 1, 29));
  });

  it('gives undefined for absent and foreign values, and requireInstant throws', () => {
    for (const v of [undefined, null, '', '   ', 'yesterday', '21/01/2026', '2026-01-21T9:42Z', '1737452538']) expect(parseInstant(v), String(v)).toBeUndefined();
    expect(requireInstant('2026-01-21T04:42-05:00')).toBe('2026-01-21T09:42:00Z');
    expect(() => requireInstant('21/01/2026')).toThrow(RangeError);
  });

  it('formats epoch ms, truncating to the second (before 1970 too)', () => {
    expect(formatInstant(Date.UTC(2026, 0, 18, 9, 5, 0, 999))).toBe('2026-01-18T09:05:00Z');
    expect(formatInstant(-1)).toBe('1969-12-31T23:59:59Z');
  });

  it('makes zod strings that accept what the syntax reads', () => {
    expect(instantString().safeParse('2026-01-21T09:42:18+02:00').success).toBe(true);
    expect(instantString().safeParse('2026-01-21').success).toBe(false);
    expect(instantString({ dateOnly: true }).safeParse('2026-01-21').success).toBe(true);
    expect(instantString().safeParse('2026-02-30T00:00:00Z').success).toBe(false);
  });
});

describe('toCalendarDate', () => {
  it('keeps the date as written and refuses days that do not exist', () => {
    expect(toCalendarDate('2026-03-31')).toBe('2026-03-31');
    expect(toCalendarDate('2026-03-31T23:30:00-05:00')).toBe('2026-03-31');
    expect(toCalendarDate(' 2026-03-31 ')).toBe('2026-03-31');
    expect(toCalendarDate('2026-02-30')).toBeUndefined();
    expect(toCalendarDate('03/31/2026')).toBeUndefined();
    expect(toCalendarDate(null)).toBeUndefined();
    expect(isCalendarDate(2024, 2, 29)).toBe(true);
    expect(isCalendarDate(2026, 4, 31)).toBe(false);
  });
});

describe('time zones', () => {
  it('converts wall-clock time in a zone to UTC and back, exactly across DST', () => {
    const ny = 'America/New_York';
    expect(formatInstant(zonedToUtc('2026-01-15', '08:00', ny))).toBe('2026-01-15T13:00:00Z');
    expect(formatInstant(zonedToUtc('2026-07-15', '08:00', ny))).toBe('2026-07-15T12:00:00Z');
    // Spring forward: 02:30 does not exist and reads with the offset before the change.
    expect(formatInstant(zonedToUtc('2026-03-08', '02:30', ny))).toBe('2026-03-08T07:30:00Z');
    // Fall back: 01:30 happens twice; the first (EDT) wins.
    expect(formatInstant(zonedToUtc('2026-11-01', '01:30', ny))).toBe('2026-11-01T05:30:00Z');
    expect(utcToZoned(Date.UTC(2026, 0, 15, 13, 0, 30), ny)).toEqual({ date: '2026-01-15', time: '08:00', seconds: 30 });
    expect(utcToZoned(Date.UTC(2026, 0, 16, 2), 'America/Chicago')).toEqual({ date: '2026-01-15', time: '20:00', seconds: 0 });
  });

  it('knows which zones exist', () => {
    expect(isTimeZone('America/Chicago')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
  });
});

describe('text', () => {
  it('trims optional text to undefined when blank', () => {
    expect(optionalText('  Unit 4 ')).toBe('Unit 4');
    expect(optionalText('   ')).toBeUndefined();
    expect(optionalText(null)).toBeUndefined();
  });

  it('puts vendor messages on one line and caps them', () => {
    expect(shortText(' Work order\n  wo_1 not found. ')).toBe('Work order wo_1 not found.');
    expect(shortText('')).toBeUndefined();
    const long = shortText('x'.repeat(1000))!;
    expect(long).toHaveLength(200);
    expect(long.endsWith('...')).toBe(true);
    expect(shortText('abcdef', 5)).toBe('ab...');
  });

  it('writes North American phone numbers in E.164 and keeps others as written', () => {
    expect(phoneNumber(' (404) 555-0199 ')).toBe('+14045550199');
    expect(phoneNumber('+44 20 7946 0958')).toBe('+44 20 7946 0958');
    expect(phoneNumber('  ')).toBeUndefined();
    expect(phoneNumber(undefined)).toBeUndefined();
  });
});
