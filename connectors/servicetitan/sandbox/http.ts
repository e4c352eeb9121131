/**
 * What every ServiceTitan route module shares: the simulator state handed to route builders, the
 * typed `route()` helper, path parameter docs and parsing, and write bookkeeping (modifiedOn and
 * the export change feed).
 */
import { isoNow, type RouteDef, type SimRequest, type SimResponse } from '../../sandbox/kit.js';
import { badRequest, notFound } from './errors.js';
import type { TenantStore } from './store.js';
import type { Table } from './table.js';

/** What a verified access token stands for. */
export interface Principal {
  clientId: string;
  tenant: string;
}

/** The simulator's mutable state, as route builders and actions see it. */
export interface SimState {
  /** The tenant's store; the tenant was checked against the token by `authenticate`. */
  store(tenant: string): TenantStore;
  /** Now, from the sandbox clock. */
  now(): Date;
}

/** A request after authentication. */
export type StRequest<Q, B> = SimRequest<Q, B, Principal>;

/** Declares a route with the query/body types inferred from its schemas. */
export function route<Q = Record<string, string>, B = undefined>(def: RouteDef<Q, B, Principal>): RouteDef {
  return def as RouteDef;
}

/** `/{module}/v2/tenant/{tenant}` */
export function base(module: string): string {
  return `/${module}/v2/tenant/{tenant}`;
}

/** OpenAPI docs of the `{tenant}` path parameter. */
export const TENANT = { tenant: { description: 'Tenant ID', type: 'integer' as const } };
/** OpenAPI docs of an `{id}` path parameter. */
export const ID = { id: { description: 'Format - int64.', type: 'integer' as const } };

/** A numeric path parameter; anything else is a 400 (ASP.NET model binding). */
export function pathId(req: { params: Record<string, string>; requestId: string }, name = 'id'): number {
  const raw = req.params[name] ?? '';
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) throw badRequest(req, { [name]: [`The value '${raw}' is not valid.`] });
  return Number(raw);
}

/** The row `id` of `table`, or the API's 404. */
export function mustGet<T extends { id: number }>(req: { requestId: string }, table: Table<T>, what: string, id: number): T {
  const row = table.get(id);
  if (!row) throw notFound(req, what, id);
  return row;
}

/** 200 with a JSON body. */
export function ok(body: unknown): SimResponse {
  return { status: 200, body };
}

/** 200 without a body (cancel, hold, complete, delete, ...). */
export const OK_EMPTY: SimResponse = { status: 200 };

/** Stamps a write: `modifiedOn` now and, for tables with an export feed, a new feed position. */
export function touch<T extends { id: number; modifiedOn: string }>(state: SimState, table: Table<T>, row: T): void {
  const now = state.now();
  row.modifiedOn = isoNow(now);
  table.changed(row, now.getTime());
}

/** The application guid filter of a request, if any. */
export function guidOf(q: { externalDataApplicationGuid?: string | undefined }): string | undefined {
  return q.externalDataApplicationGuid;
}
