/**
 * Reading mutation inputs: every problem is collected as a {@link UserError} at its input path
 * (`["input", "window", "start"]`), so a client gets all of them at once; nothing is thrown. Ids are
 * global ids decoded by `src/ids.ts`; dates and instants are checked here (inputs take them as
 * strings so that a malformed one is a user error, not a request error); amounts are exact
 * decimals.
 */
import { GraphQLError } from 'graphql';
import type { UserErrorCode } from '../__generated__/graphql.js';
import { fromGlobalId, type NodeType } from '../ids.js';
import type { Address, RecordRef, TimeWindow } from '../model/index.js';

/** An address as inputs carry it. */
export interface AddressInputLike {
  line1: string;
  line2?: string | null;
  city: string;
  region: string;
  postalCode: string;
  country?: string | null;
}

/** A refusal as the graph reports it: `field` is the path in the mutation's arguments (null: the whole input). */
export interface UserError {
  code: UserErrorCode;
  field: string[] | null;
  message: string;
}

/** A path below `input`. */
export type InputPath = ReadonlyArray<string | number>;

/** A user error at `path` below `input` (null: the whole input). */
export function userError(code: UserErrorCode, path: InputPath | null, message: string): UserError {
  return { code, field: path === null ? null : ['input', ...path.map(String)], message };
}

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;

function isCalendarDate(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/** An RFC 3339 instant with a zone, normalised to UTC `YYYY-MM-DDTHH:MM:SSZ`; undefined when malformed. */
export function parseInstant(value: string): string | undefined {
  const m = INSTANT.exec(value.trim());
  if (!m || !isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]))) return undefined;
  if (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 59) return undefined;
  const zone = m[8]!.toUpperCase();
  if (zone !== 'Z' && (Number(zone.slice(1, 3)) > 23 || Number(zone.slice(4, 6)) > 59)) return undefined;
  const t = new Date(value.trim().toUpperCase());
  if (Number.isNaN(t.getTime())) return undefined;
  return `${t.toISOString().slice(0, 19)}Z`;
}

/** A calendar date `YYYY-MM-DD`; undefined when malformed or not a real day. */
export function parseDate(value: string): string | undefined {
  const m = DATE.exec(value.trim());
  return m && isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3])) ? value.trim() : undefined;
}

/** Collects the problems of one input while reading it. */
export class InputReader {
  readonly errors: UserError[] = [];

  /** `tenant`: the caller's tenant, the only one whose ids it may name. */
  constructor(private readonly tenant: string) {}

  /** Adds a problem. */
  fail(code: UserErrorCode, path: InputPath | null, message: string): void {
    this.errors.push(userError(code, path, message));
  }

  /** True when no problem was found. */
  get ok(): boolean {
    return this.errors.length === 0;
  }

  /** A required text: trimmed; blank is REQUIRED. */
  text(value: string | null | undefined, path: InputPath, what: string, max = 2000): string | undefined {
    const v = value?.trim();
    if (!v) {
      this.fail('REQUIRED', path, `${what} is required.`);
      return undefined;
    }
    if (v.length > max) {
      this.fail('INVALID', path, `${what} is longer than ${max} characters.`);
      return undefined;
    }
    return v;
  }

  /** An optional text: trimmed; blank is absent. */
  optionalText(value: string | null | undefined, path: InputPath, what: string, max = 4000): string | undefined {
    const v = value?.trim();
    if (!v) return undefined;
    if (v.length > max) {
      this.fail('INVALID', path, `${what} is longer than ${max} characters.`);
      return undefined;
    }
    return v;
  }

  /** A global id of `type`: malformed or of another type is INVALID. */
  id(value: string | null | undefined, path: InputPath, type: NodeType): RecordRef | undefined {
    if (value === null || value === undefined) return undefined;
    try {
      return fromGlobalId(value, type, this.tenant).ref;
    } catch (e) {
      const foreign = e instanceof GraphQLError && e.extensions.code === 'FORBIDDEN';
      this.fail(foreign ? 'NOT_ALLOWED' : 'INVALID', path, foreign ? `The ${type} id belongs to another tenant.` : `Not the id of a ${type}.`);
      return undefined;
    }
  }

  /** An optional RFC 3339 instant (UTC out). */
  instant(value: string | null | undefined, path: InputPath, what: string): string | undefined {
    if (value === null || value === undefined || value.trim() === '') return undefined;
    const v = parseInstant(value);
    if (!v) this.fail('INVALID', path, `${what} is not an RFC 3339 instant with a zone, e.g. 2026-03-02T13:00:00Z.`);
    return v;
  }

  /** An optional calendar date. */
  date(value: string | null | undefined, path: InputPath, what: string): string | undefined {
    if (value === null || value === undefined || value.trim() === '') return undefined;
    const v = parseDate(value);
    if (!v) this.fail('INVALID', path, `${what} is not a calendar date YYYY-MM-DD.`);
    return v;
  }

  /** A window: both ends required and well formed, the end after the start. */
  window(value: { start: string; end: string } | null | undefined, path: InputPath): TimeWindow | undefined {
    if (!value) return undefined;
    const start = this.instant(value.start, [...path, 'start'], 'The start');
    const end = this.instant(value.end, [...path, 'end'], 'The end');
    if (value.start.trim() === '') this.fail('REQUIRED', [...path, 'start'], 'The start is required.');
    if (value.end.trim() === '') this.fail('REQUIRED', [...path, 'end'], 'The end is required.');
    if (!start || !end) return undefined;
    if (Date.parse(end) <= Date.parse(start)) {
      this.fail('INVALID', [...path, 'end'], 'The end must be after the start.');
      return undefined;
    }
    return { start, end };
  }

  /** An exact decimal: `min: 'zero'` allows 0 and up, `positive` more than 0. */
  decimal(value: string | null | undefined, path: InputPath, what: string, min: 'zero' | 'positive'): string | undefined {
    if (value === null || value === undefined) return undefined;
    const v = value.trim();
    if (!DECIMAL.test(v)) {
      this.fail('INVALID', path, `${what} is not a decimal number.`);
      return undefined;
    }
    const negative = v.startsWith('-') && /[1-9]/.test(v);
    const zero = !/[1-9]/.test(v);
    if (negative || (min === 'positive' && zero)) {
      this.fail('INVALID', path, `${what} must be ${min === 'positive' ? 'greater than zero' : 'zero or more'}.`);
      return undefined;
    }
    return v.replace(/^-/, '');
  }

  /** A postal address: line1, city, region and postal code required; the country a two-letter code (default US). */
  address(value: AddressInputLike | null | undefined, path: InputPath): Address | undefined {
    if (!value) return undefined;
    const line1 = this.text(value.line1, [...path, 'line1'], 'The street', 200);
    const line2 = this.optionalText(value.line2, [...path, 'line2'], 'The second line', 200);
    const city = this.text(value.city, [...path, 'city'], 'The city', 100);
    const region = this.text(value.region, [...path, 'region'], 'The state or province', 50);
    const postalCode = this.text(value.postalCode, [...path, 'postalCode'], 'The postal code', 20);
    const country = (value.country ?? 'US').trim().toUpperCase();
    if (!/^[A-Z]{2}$/.test(country)) this.fail('INVALID', [...path, 'country'], 'The country is an ISO 3166-1 alpha-2 code, e.g. US.');
    if (!line1 || !city || !region || !postalCode || !/^[A-Z]{2}$/.test(country)) return undefined;
    return { line1, ...(line2 ? { line2 } : {}), city, region, postalCode, country };
  }

  /** A whole number of at least `min`. */
  int(value: number | null | undefined, path: InputPath, what: string, min = 0): number | undefined {
    if (value === null || value === undefined) return undefined;
    if (!Number.isSafeInteger(value) || value < min) {
      this.fail('INVALID', path, `${what} must be a whole number of at least ${min}.`);
      return undefined;
    }
    return value;
  }
}

const KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * The idempotency key of a request: the input's, else the `Idempotency-Key` header's. Both given
 * and different, or a key that is not 1 to 255 printable ASCII characters, is INVALID.
 */
export function idempotencyKeyOf(fromInput: string | null | undefined, fromHeader: string | undefined, reader: InputReader): string | undefined {
  const input = fromInput ?? undefined;
  const header = fromHeader?.trim() || undefined;
  if (input !== undefined && header !== undefined && input !== header) {
    reader.fail('INVALID', ['idempotencyKey'], 'The idempotency key differs from the Idempotency-Key header: send one, or the same in both.');
    return undefined;
  }
  const key = input ?? header;
  if (key === undefined) return undefined;
  if (!KEY.test(key)) {
    reader.fail('INVALID', ['idempotencyKey'], 'An idempotency key is 1 to 255 printable ASCII characters without spaces.');
    return undefined;
  }
  return key;
}
