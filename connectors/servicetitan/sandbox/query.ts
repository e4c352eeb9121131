/**
 * Query parameters of ServiceTitan list endpoints and the list engine behind them. Parameters are
 * validated as strings (so the OpenAPI document shows them as the client sends them) and converted
 * here. Strictness is deliberate: a comma list in a single-valued filter, more than 50 ids, a page
 * size above 500 or an unknown enum value is a 400, so connectors cannot come to rely on leniency.
 */
import { z } from 'zod';
import { csv } from '../../sandbox/kit.js';

/** Most ids `ids=` (and the multi-valued FK filters) take per call (ST-SPEC: "maximum 50"). */
export const MAX_IDS = 50;
/** Largest page size (ST-SPEC states none; practitioners use 500: treated as the cap). */
export const MAX_PAGE_SIZE = 500;

const INT = /^\d+$/;

function isDateTimeParam(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2}))?$/.test(s) && !Number.isNaN(Date.parse(s));
}

/** Parses an RFC 3339 date/time (or a date, read as midnight UTC) into epoch ms. */
export function parseDateParam(s: string): number {
  return Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00Z` : s);
}

/** A single int64 id (`customerId=123`); a comma list is refused. */
export const idParam = (description: string) =>
  z
    .string()
    .regex(INT, 'The value is not a valid int64 (single-valued filter: send one id).')
    .optional()
    .describe(`Format - int64. ${description}`);

/** A comma-separated id list, at most 50 entries. */
export const idListParam = (description: string) =>
  z
    .string()
    .regex(/^\s*\d+\s*(,\s*\d+\s*)*,?$/, 'Expected a comma-separated list of int64 ids.')
    .refine((s) => csv(s).length <= MAX_IDS, `At most ${MAX_IDS} ids per call.`)
    .optional()
    .describe(`${description} Comma-separated, maximum ${MAX_IDS}.`);

/** An RFC 3339 date/time filter (UTC). */
export const dateParam = (description: string) =>
  z
    .string()
    .refine(isDateTimeParam, 'The value is not a valid RFC 3339 date/time.')
    .optional()
    .describe(`Format - date-time (as date-time in RFC3339). ${description}`);

/** A boolean flag (`true` / `false`, any case, as ASP.NET binds it). */
export const boolParam = (description: string) =>
  z.string().regex(/^(true|false|True|False)$/, 'The value is not a valid boolean.').optional().describe(description);

/** One value of an enum (exact spelling; a comma list is refused). */
export const enumParam = <const T extends readonly [string, ...string[]]>(values: T, description: string) =>
  z.enum(values).optional().describe(`${description} Values: [${values.join(', ')}]`);

/** An enum list (`statuses=Posted,Exported`). */
export const enumListParam = (values: readonly string[], description: string) =>
  z
    .string()
    .refine((s) => csv(s).every((v) => values.includes(v)), `Values must be among: ${values.join(', ')}.`)
    .optional()
    .describe(`${description} Comma-separated; values: [${values.join(', ')}]`);

/** Values of `active=`. */
export type ActiveFilter = 'True' | 'False' | 'Any';

/** `active=True|Any|False`. */
export const activeParam = (defaultDescription = 'only active items are returned by default') =>
  z.enum(['True', 'Any', 'False']).optional().describe(`What kind of items should be returned (${defaultDescription}). Values: [True, Any, False]`);

const SORT_FIELDS = ['Id', 'ModifiedOn', 'CreatedOn'] as const;
/** Fields `sort=` accepts. */
export type SortField = (typeof SORT_FIELDS)[number];

/**
 * `sort=+Id` / `-ModifiedOn` / `+CreatedOn`. A literal `+` in a query string decodes to a space,
 * so a leading space (or no sign) also means ascending, as ASP.NET reads it.
 */
export const sortParam = () =>
  z
    .string()
    .regex(/^\s*[+-]?\s*(id|modifiedon|createdon)\s*$/i, 'Sort by Id, ModifiedOn or CreatedOn, prefixed with + or -.')
    .optional()
    .describe('Applies sorting by the specified field: "?sort=+FieldName" for ascending order, "?sort=-FieldName" for descending order. Available fields are: Id, ModifiedOn, CreatedOn.');

/** Paging and common filters of every list. */
export const paging = {
  page: z
    .string()
    .regex(INT, 'The value is not a valid integer.')
    .optional()
    .describe('Format - int32. The logical number of page to return, starting from 1.'),
  pageSize: z
    .string()
    .regex(INT, 'The value is not a valid integer.')
    .refine((s) => Number(s) >= 1 && Number(s) <= MAX_PAGE_SIZE, `Page size must be between 1 and ${MAX_PAGE_SIZE}.`)
    .optional()
    .describe(`Format - int32. How many records to return (50 by default, at most ${MAX_PAGE_SIZE}).`),
  includeTotal: boolParam('Whether total count should be returned.'),
};

/** `createdBefore`, `createdOnOrAfter`, `modifiedBefore`, `modifiedOnOrAfter`. */
export const stampFilters = {
  createdBefore: dateParam('Return items created before certain date/time (in UTC).'),
  createdOnOrAfter: dateParam('Return items created on or after certain date/time (in UTC).'),
  modifiedBefore: dateParam('Return items modified before certain date/time (in UTC).'),
  modifiedOnOrAfter: dateParam('Return items modified on or after certain date/time (in UTC).'),
};

/** The `externalDataApplicationGuid` parameter of reads that return `externalData`. */
export const externalDataGuidParam = {
  externalDataApplicationGuid: z
    .string()
    .regex(/^\{?[0-9a-fA-F]{8}-?([0-9a-fA-F]{4}-?){3}[0-9a-fA-F]{12}\}?$/, 'The value is not a valid GUID.')
    .optional()
    .describe('Format - guid. If this guid is provided, external data corresponding to this application guid will be returned.'),
};

type Pred<T> = (row: T) => boolean;

/** Accumulates the filters of one list call. */
export class Filters<T> {
  readonly preds: Array<Pred<T>> = [];

  add(p: Pred<T>): this {
    this.preds.push(p);
    return this;
  }

  /** `active=True|Any|False` on rows with an `active` flag. */
  active(value: ActiveFilter | undefined, get: (r: T) => boolean, fallback: ActiveFilter = 'True'): this {
    const v = value ?? fallback;
    if (v === 'True') this.add((r) => get(r));
    else if (v === 'False') this.add((r) => !get(r));
    return this;
  }

  /** The created/modified window filters. */
  stamps(q: Partial<Record<keyof typeof stampFilters, string>>, get: (r: T) => { createdOn: string; modifiedOn: string }): this {
    const window = (field: 'createdOn' | 'modifiedOn', after?: string, before?: string) => {
      if (after !== undefined) {
        const t = parseDateParam(after);
        this.add((r) => Date.parse(get(r)[field]) >= t);
      }
      if (before !== undefined) {
        const t = parseDateParam(before);
        this.add((r) => Date.parse(get(r)[field]) < t);
      }
    };
    window('createdOn', q.createdOnOrAfter, q.createdBefore);
    window('modifiedOn', q.modifiedOnOrAfter, q.modifiedBefore);
    return this;
  }

  test(row: T): boolean {
    for (const p of this.preds) if (!p(row)) return false;
    return true;
  }
}

/** The list envelope. */
export interface Page<W> {
  page: number;
  pageSize: number;
  hasMore: boolean;
  totalCount: number | null;
  data: W[];
}

/** Reads `page`, `pageSize`, `includeTotal` (page 0 is read as 1, as most ServiceTitan lists tolerate it). */
export function pagingOf(q: { page?: string; pageSize?: string; includeTotal?: string }): { page: number; pageSize: number; includeTotal: boolean } {
  return {
    page: Math.max(1, Number(q.page ?? 1)),
    pageSize: Number(q.pageSize ?? 50),
    includeTotal: (q.includeTotal ?? '').toLowerCase() === 'true',
  };
}

/** A parsed `sort`: a numeric key per row and a direction (ties break on id ascending). */
export interface SortSpec<T> {
  key: (row: T) => number;
  dir: 1 | -1;
}

/** Parses `sort` (undefined: the default, id ascending). */
export function sortOf<T extends { id: number }>(sort: string | undefined, stamps: (r: T) => { createdOn: string; modifiedOn: string }): SortSpec<T> | undefined {
  if (!sort) return undefined;
  const m = /^\s*([+-]?)\s*(id|modifiedon|createdon)\s*$/i.exec(sort);
  if (!m) return undefined;
  const dir = m[1] === '-' ? -1 : 1;
  const field = m[2]!.toLowerCase();
  if (field === 'id') return dir === 1 ? undefined : { key: (r) => r.id, dir };
  return field === 'modifiedon' ? { key: (r) => Date.parse(stamps(r).modifiedOn), dir } : { key: (r) => Date.parse(stamps(r).createdOn), dir };
}

/**
 * One page of `candidates` (sorted by id) that pass `filters`. Without a sort and without
 * `includeTotal` it stops after the first row past the page, so deep pages of a big table cost
 * only the rows before them.
 */
export function listPage<T extends { id: number }, W>(
  candidates: Iterable<T>,
  filters: Filters<T>,
  opts: { page: number; pageSize: number; includeTotal: boolean; sort?: SortSpec<T> | undefined },
  render: (row: T) => W,
): Page<W> {
  const { page, pageSize, includeTotal, sort } = opts;
  const start = (page - 1) * pageSize;
  if (sort) {
    // Keys are computed once per row, not once per comparison.
    const all: Array<{ k: number; r: T }> = [];
    for (const r of candidates) if (filters.test(r)) all.push({ k: sort.key(r), r });
    all.sort((a, b) => (a.k !== b.k ? sort.dir * (a.k - b.k) : sort.dir * (a.r.id - b.r.id)));
    return {
      page,
      pageSize,
      hasMore: start + pageSize < all.length,
      totalCount: includeTotal ? all.length : null,
      data: all.slice(start, start + pageSize).map((x) => render(x.r)),
    };
  }
  const data: W[] = [];
  let seen = 0;
  let hasMore = false;
  for (const r of candidates) {
    if (!filters.test(r)) continue;
    if (seen >= start && seen < start + pageSize) data.push(render(r));
    seen++;
    if (seen > start + pageSize) {
      hasMore = true;
      if (!includeTotal) break;
    }
  }
  return { page, pageSize, hasMore, totalCount: includeTotal ? seen : null, data };
}

/** Rows for `ids=` (deduplicated, id order), or undefined when the parameter is absent. */
export function byIds<T extends { id: number }>(ids: string | undefined, get: (id: number) => T | undefined): T[] | undefined {
  if (ids === undefined) return undefined;
  const wanted = [...new Set(csv(ids).map(Number))].sort((a, b) => a - b);
  return wanted.map(get).filter((r): r is T => r !== undefined);
}

/** Intersects candidate lists (each sorted by id): the smallest drives, the others filter. */
export function intersect<T extends { id: number }>(lists: Array<readonly T[] | undefined>, all: readonly T[]): { candidates: readonly T[]; extra: Array<(r: T) => boolean> } {
  const present = lists.filter((l): l is readonly T[] => l !== undefined);
  if (present.length === 0) return { candidates: all, extra: [] };
  present.sort((a, b) => a.length - b.length);
  const [first, ...rest] = present as [readonly T[], ...Array<readonly T[]>];
  const extra = rest.map((l) => {
    const ids = new Set(l.map((r) => r.id));
    return (r: T) => ids.has(r.id);
  });
  return { candidates: first, extra };
}

/** Merges several id-sorted lists into one id-sorted list without duplicates. */
export function mergeSorted<T extends { id: number }>(lists: ReadonlyArray<readonly T[]>): T[] {
  const out = new Map<number, T>();
  for (const l of lists) for (const r of l) out.set(r.id, r);
  return [...out.values()].sort((a, b) => a.id - b.id);
}
