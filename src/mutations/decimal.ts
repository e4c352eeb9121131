/**
 * Exact decimal arithmetic for amounts computed from inputs (claim totals): decimal strings become
 * scaled big integers, products are exact, and a result is rounded once, half up, to the cent.
 * Never a float.
 */

/** A decimal as `units / 10^scale`. */
interface Scaled {
  units: bigint;
  scale: number;
}

function scaled(value: string): Scaled {
  const m = /^(-)?(\d+)(?:\.(\d+))?$/.exec(value.trim());
  if (!m) throw new Error(`not a decimal: ${value}`);
  const frac = m[3] ?? '';
  const units = BigInt(`${m[2]}${frac}`);
  return { units: m[1] ? -units : units, scale: frac.length };
}

/** `numerator / denominator` rounded half up (away from zero) to an integer. */
function divRound(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const q = n / d;
  const rounded = (n % d) * 2n >= d ? q + 1n : q;
  return negative ? -rounded : rounded;
}

/** Integer cents as a decimal string with two places. */
export function centsToDecimal(cents: bigint): string {
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  return `${negative ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

/** `a × b × numerator / denominator`, in cents, rounded half up once. */
export function productCents(a: string, b: string, numerator = 1n, denominator = 1n): bigint {
  const x = scaled(a);
  const y = scaled(b);
  // value = x.units * y.units / 10^(x.scale + y.scale); cents = value * 100.
  return divRound(x.units * y.units * numerator * 100n, 10n ** BigInt(x.scale + y.scale) * denominator);
}

/** A decimal amount in cents, rounded half up. */
export function toCentsExact(value: string): bigint {
  return productCents(value, '1');
}
