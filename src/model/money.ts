/**
 * Exact money: integer cents in arithmetic, decimal strings ("178.05") at rest and on the wire of
 * the graph. Never a float sum.
 */
import type { Money } from './index.js';

/**
 * Parses a decimal amount ("12.3", "42.50", "-7", 7.25, "1e2" refused) into integer cents. Numbers
 * are read through their shortest decimal string, so 0.1 + 0.2 style noise never enters. Throws on
 * more than two decimals unless `round` is set (then rounds half up).
 */
export function toCents(value: string | number, round = false): number {
  const s = typeof value === 'number' ? String(value) : value.trim();
  const m = /^(-)?(\d+)(?:\.(\d+))?$/.exec(s);
  if (!m) throw new Error(`not a decimal amount: ${s}`);
  const frac = m[3] ?? '';
  if (frac.length > 2 && !round) throw new Error(`more than two decimals: ${s}`);
  let cents = Number(m[2]) * 100 + Number(frac.slice(0, 2).padEnd(2, '0'));
  if (frac.length > 2 && Number(frac[2]) >= 5) cents += 1;
  return m[1] ? -cents : cents;
}

/** Formats integer cents as a decimal string with two places ("178.05"). */
export function fromCents(cents: number): string {
  const neg = cents < 0;
  const abs = Math.abs(cents);
  return `${neg ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** `amountCents * numerator / denominator`, rounded half up to whole cents, in integers only. */
export function mulDiv(amountCents: number, numerator: number, denominator: number): number {
  const n = amountCents * numerator;
  const q = Math.floor(n / denominator);
  const r = n - q * denominator;
  return r * 2 >= denominator ? q + 1 : q;
}

/** A Money value from a vendor amount (number or decimal string), rounded half up to cents. */
export function money(value: string | number, currency = 'USD'): Money {
  return { amount: fromCents(toCents(value, true)), currency };
}
