/**
 * The custom scalars of the schema. Inputs are parsed strictly (a wrong value is a
 * `BAD_USER_INPUT` error that says what was expected); outputs come from canonical models, which
 * the connectors already normalised, and are checked so that a mapping bug surfaces as a masked
 * error rather than as a malformed value.
 */
import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';

/** What a scalar accepts, and how an input is normalised. */
interface ScalarRules {
  name: string;
  /**
   * The same text as the SDL's (schema/base.graphql): graphql-tools takes the description of the
   * resolver's scalar over the SDL's, and the schema snapshot test holds the two together.
   */
  description: string;
  /** Normalises a valid input; returns undefined for an invalid one. */
  parse(value: string): string | undefined;
  /** What a valid value looks like, for error messages. */
  expected: string;
  /** Checks an output value; defaults to {@link parse}. */
  serialize?(value: string): string | undefined;
  /** Also accept integer literals and numbers (Decimal). */
  integers?: boolean;
}

function badInput(name: string, expected: string, shown: unknown): GraphQLError {
  const text = typeof shown === 'string' ? JSON.stringify(shown.length > 60 ? `${shown.slice(0, 60)}…` : shown) : String(shown);
  return new GraphQLError(`${name} cannot represent ${text}: expected ${expected}.`, { extensions: { code: 'BAD_USER_INPUT' } });
}

function scalar(rules: ScalarRules): GraphQLScalarType<string, string> {
  const fromInput = (value: unknown): string => {
    if (rules.integers && typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
    if (typeof value !== 'string') throw badInput(rules.name, rules.expected, value);
    const parsed = rules.parse(value);
    if (parsed === undefined) throw badInput(rules.name, rules.expected, value);
    return parsed;
  };
  return new GraphQLScalarType<string, string>({
    name: rules.name,
    description: rules.description,
    serialize(value) {
      const s = typeof value === 'string' ? (rules.serialize ?? rules.parse)(value) : undefined;
      // An output value is ours: a bad one is a bug, masked as INTERNAL_SERVER_ERROR.
      if (s === undefined) throw new TypeError(`${rules.name} cannot serialize a value of the wrong form`);
      return s;
    },
    parseValue: fromInput,
    parseLiteral(ast: ValueNode) {
      if (ast.kind === Kind.STRING) return fromInput(ast.value);
      if (rules.integers && ast.kind === Kind.INT) return fromInput(Number(ast.value));
      throw badInput(rules.name, rules.expected, ast.kind === Kind.FLOAT || ast.kind === Kind.INT ? ast.value : `a ${ast.kind.toLowerCase()}`);
    },
  });
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar day. */
function isCalendarDate(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

function parseDate(value: string): string | undefined {
  const m = DATE.exec(value);
  return m && isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3])) ? value : undefined;
}

const DATE_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;

/** RFC 3339 with a zone, normalised to UTC `YYYY-MM-DDTHH:MM:SS[.mmm]Z`. */
function parseDateTime(value: string): string | undefined {
  const m = DATE_TIME.exec(value);
  if (!m || parseDate(m[1]!) === undefined) return undefined;
  if (Number(m[2]) > 23 || Number(m[3]) > 59 || Number(m[4]) > 59) return undefined;
  const zone = m[6]!.toUpperCase();
  if (zone !== 'Z' && (Number(zone.slice(1, 3)) > 23 || Number(zone.slice(4, 6)) > 59)) return undefined;
  const t = new Date(value.toUpperCase());
  if (Number.isNaN(t.getTime())) return undefined;
  const iso = t.toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}

/** Outputs are already UTC: checked, passed through unchanged. */
function checkDateTime(value: string): string | undefined {
  return /Z$/.test(value) && parseDateTime(value) !== undefined ? value : undefined;
}

const DECIMAL = /^-?(0|[1-9]\d{0,27})(\.\d{1,10})?$/;

function parseDecimal(value: string): string | undefined {
  const v = value.trim();
  return DECIMAL.test(v) && v !== '-0' ? v : undefined;
}

// Pragmatic: one @, no spaces, a dot in the domain; RFC 5321 length limits.
const EMAIL = /^[^\s@"<>()[\],;:\\]+@[^\s@"<>()[\],;:\\]+\.[^\s@"<>()[\],;:\\]+$/;

function parseEmail(value: string): string | undefined {
  const v = value.trim();
  return v.length <= 254 && EMAIL.test(v) && v.indexOf('@') <= 64 ? v : undefined;
}

const E164 = /^\+[1-9]\d{6,14}$/;

function parsePhone(value: string): string | undefined {
  return E164.test(value) ? value : undefined;
}

/** Source systems keep what people typed: a non-empty string that is not E.164 is still passed on. */
function checkHeld(value: string): string | undefined {
  return value.trim() === '' ? undefined : value;
}

/** `DateTime`: RFC 3339 with a zone in, UTC out. */
export const DateTimeScalar = scalar({
  name: 'DateTime',
  description: 'An instant in time as an ISO 8601 / RFC 3339 string in UTC, e.g. `2026-01-21T09:42:18Z`.',
  expected: 'an RFC 3339 date-time with a zone, e.g. "2026-01-21T09:42:18Z" or "2026-01-21T04:42:18-05:00"',
  parse: parseDateTime,
  serialize: checkDateTime,
});

/** `Date`: a calendar day `YYYY-MM-DD`. */
export const DateScalar = scalar({
  name: 'Date',
  description: 'A calendar date as `YYYY-MM-DD`, e.g. `2026-09-30`.',
  expected: 'a calendar date "YYYY-MM-DD", e.g. "2026-09-30"',
  parse: parseDate,
});

/** `Decimal`: an exact decimal string (money); never a float. */
export const DecimalScalar = scalar({
  name: 'Decimal',
  description: 'An exact decimal number as a string, e.g. `"178.05"`. Money is always a Decimal, never a float.',
  expected: 'an exact decimal string such as "178.05" (a float literal would lose precision)',
  parse: parseDecimal,
  integers: true,
});

/** `EmailAddress`: trimmed on input, passed on as the system holds it on output. */
export const EmailAddressScalar = scalar({
  name: 'EmailAddress',
  description: 'An email address, e.g. `alex.rivera@example.com`. Inputs are checked and trimmed; outputs are the address as the source system holds it, trimmed (case as typed).',
  expected: 'an email address such as "alex.rivera@example.com"',
  parse: parseEmail,
  serialize: checkHeld,
});

/** `PhoneNumber`: E.164 on input; on output E.164 whenever the system's number could be read. */
export const PhoneNumberScalar = scalar({
  name: 'PhoneNumber',
  description: 'A phone number in E.164 form, e.g. `+14045550199`. Inputs must be E.164; outputs are E.164 when the source system\'s number could be read, otherwise the number as the system holds it.',
  expected: 'a phone number in E.164 form such as "+14045550199"',
  parse: parsePhone,
  serialize: checkHeld,
});
