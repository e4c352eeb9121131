/**
 * Normal forms of the identifiers that link records across vendor systems. Pure functions; each
 * returns undefined when the input cannot give a usable key (so a blank never links two records).
 */

/** Trimmed, lower-cased email; undefined unless it looks like `local@domain.tld`. */
export function normalizeEmail(value: string | null | undefined): string | undefined {
  const e = value?.trim().toLowerCase();
  return e && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e) ? e : undefined;
}

/**
 * E.164 form of a North American number written any common way ("(404) 555-0199",
 * "+1-404-555-0199", "404.555.0199", "1 404 555 0199"); undefined when it is not 10 digits
 * (after an optional leading country code 1).
 */
export function normalizePhone(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  let digits = value.replace(/\D/g, '');
  if (digits.length === 11 && digits.startsWith('1')) digits = digits.slice(1);
  return digits.length === 10 && /^[2-9]/.test(digits) ? `+1${digits}` : undefined;
}

/** A person's or company's name for comparison: lower case, single spaces, "Last, First" turned round. */
export function normalizeName(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  let n = value.trim().replace(/\s+/g, ' ');
  const comma = /^([^,]+),\s*([^,]+)$/.exec(n);
  if (comma && !/\b(llc|inc|co|group|ltd)\.?$/i.test(comma[2]!)) n = `${comma[2]} ${comma[1]}`;
  n = n
    .toLowerCase()
    .replace(/,?\s+(llc|inc|co|group|ltd)\.?$/, '')
    .replace(/[^\p{L}\p{N} ]/gu, '')
    .trim();
  return n || undefined;
}

/** A serial number for comparison: upper-case letters and digits only ("sn 883-712a" -> "SN883712A"). */
export function normalizeSerial(value: string | null | undefined): string | undefined {
  const s = value?.toUpperCase().replace(/[^A-Z0-9]/g, '');
  return s && s.length >= 4 ? s : undefined;
}
