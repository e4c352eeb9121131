/**
 * The shared time-window helpers: a ListQuery's window, its server-side range for inclusive and
 * exclusive upper bounds at a vendor's precision, and the client-side trim.
 */
import { describe, expect, it } from 'vitest';
import { inWindow, listWindow, serverRange, WindowBoundError } from '../../../connectors/core/window.js';

const t = (iso: string) => Date.parse(iso);

describe('listWindow', () => {
  it('reads both bounds to the millisecond, offsets and dates included', () => {
    expect(listWindow({})).toEqual({});
    expect(listWindow({ updatedSince: '2026-03-01T10:00:00.250Z', updatedBefore: '2026-03-01T12:00:00+02:00' })).toEqual({
      since: t('2026-03-01T10:00:00.250Z'),
      before: t('2026-03-01T10:00:00Z'),
    });
    expect(listWindow({ updatedBefore: '2026-03-02' })).toEqual({ before: t('2026-03-02T00:00:00Z') });
  });

  it('names the bound it cannot read', () => {
    expect(() => listWindow({ updatedSince: 'yesterday' })).toThrow(WindowBoundError);
    try {
      listWindow({ updatedSince: '2026-03-01T00:00:00Z', updatedBefore: '2026-02-30T00:00:00Z' });
    } catch (e) {
      expect((e as WindowBoundError).field).toBe('updatedBefore');
    }
  });
});

describe('serverRange', () => {
  const w = { since: t('2026-03-01T10:00:00.500Z'), before: t('2026-03-01T11:00:00.001Z') };

  it('widens to whole seconds: from rounded down, to the last second before the end (inclusive) or the next one (exclusive)', () => {
    expect(serverRange(w, 1000, 'inclusive')).toEqual({ from: t('2026-03-01T10:00:00Z'), to: t('2026-03-01T11:00:00Z'), empty: false });
    expect(serverRange(w, 1000, 'exclusive')).toEqual({ from: t('2026-03-01T10:00:00Z'), to: t('2026-03-01T11:00:01Z'), empty: false });
    // An end on a whole second excludes that second.
    const whole = { since: t('2026-03-01T10:00:00Z'), before: t('2026-03-01T11:00:00Z') };
    expect(serverRange(whole, 1000, 'inclusive')).toMatchObject({ from: whole.since, to: t('2026-03-01T10:59:59Z') });
    expect(serverRange(whole, 1000, 'exclusive')).toMatchObject({ from: whole.since, to: whole.before });
  });

  it('keeps open ends open', () => {
    expect(serverRange({}, 1000, 'inclusive')).toEqual({ empty: false });
    expect(serverRange({ since: w.since }, 1000, 'exclusive')).toEqual({ from: t('2026-03-01T10:00:00Z'), empty: false });
  });

  it('says a window is empty when it holds no multiple of the precision, or ends before it starts', () => {
    const s = t('2026-03-01T10:00:00Z');
    expect(serverRange({ since: s + 100, before: s + 900 }, 1000, 'inclusive').empty).toBe(true);
    expect(serverRange({ since: s + 100, before: s + 900 }, 1000, 'exclusive').empty).toBe(true);
    expect(serverRange({ since: s + 100, before: s + 1001 }, 1000, 'inclusive').empty).toBe(false);
    expect(serverRange({ since: s, before: s + 1 }, 1000, 'inclusive')).toEqual({ from: s, to: s, empty: false });
    expect(serverRange({ since: s, before: s }, 1000, 'exclusive').empty).toBe(true);
    expect(serverRange({ since: s, before: s - 5000 }, 1, 'exclusive').empty).toBe(true);
  });
});

describe('inWindow', () => {
  const w = { since: t('2026-03-01T10:00:00.500Z'), before: t('2026-03-01T11:00:00Z') };

  it('keeps exactly [since, before)', () => {
    expect(inWindow(w, '2026-03-01T10:00:00Z')).toBe(false);
    expect(inWindow(w, '2026-03-01T10:00:01Z')).toBe(true);
    expect(inWindow(w, '2026-03-01T10:59:59.999Z')).toBe(true);
    expect(inWindow(w, '2026-03-01T11:00:00Z')).toBe(false);
    expect(inWindow({}, undefined)).toBe(true);
  });

  it('keeps an undated record only under a plain updatedSince, when asked to', () => {
    expect(inWindow(w, undefined, true)).toBe(false);
    expect(inWindow({ since: w.since }, undefined, true)).toBe(true);
    expect(inWindow({ since: w.since }, undefined)).toBe(false);
  });
});
