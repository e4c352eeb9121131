/**
 * Sera HTTP specifics on the shared {@link VendorHttpClient}: session sign-in with MFA (TOTP) and
 * session refresh through Supergood, the vendor's error bodies, a modest client-side rate limit,
 * and one method per endpoint. Every method throws {@link ConnectorError}; single reads answer
 * `null` for a 404.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { bearerAuth, sessionTokenCache } from '../core/auth.js';
import { path, VendorHttpClient, type ClassifiedError, type QueryValue, type VendorHttpOptions } from '../core/http-client.js';
import { sharedTokenCache, type TokenCache } from '../core/token-cache.js';
import { ConnectorError, type ConnectorErrorKind, type ConnectorOptions } from '../types.js';
import {
  seraListWire,
  SeraCustomerWire,
  SeraErrorWire,
  SeraInvoiceWire,
  SeraLocationWire,
  SeraMembershipCreatedWire,
  SeraMembershipWire,
  SeraStatusUpdatedWire,
  SeraTechnicianWire,
  SeraWorkOrderCreatedWire,
  SeraWorkOrderWire,
  type SeraCreateMembershipRequestWire,
  type SeraCreateWorkOrderRequestWire,
  type SeraListWire,
  type SeraStatusUpdateRequestWire,
} from './wire.js';

const VENDOR = 'sera' as const;

/** Largest `pageSize` Sera's lists take. */
export const SERA_MAX_PAGE_SIZE = 100;

/**
 * Default client-side limit. Supergood publishes no number for Sera ("tuned for enterprise
 * throughput while honoring customer entitlements"), so we stay modest, as for the other
 * Supergood-backed vendors: at most 10 calls a second plus a burst of 10. Configurable per
 * connection (the limit is the tenant's).
 */
export const SERA_DEFAULT_RATE_LIMIT = { perSecond: 10, burst: 10 } as const;

/** What the client needs to reach and sign in to one Sera integration. */
export interface SeraClientConfig {
  /** `https://api.supergood.ai/integrations/<integration_id>`, no trailing slash needed. */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  username: string;
  password: string;
  /** Base32 TOTP secret of the integration user. */
  totpSecret: string;
  rateLimit?: { perSecond: number; burst: number } | undefined;
}

/** 1-based page and its size. */
export interface PageParams {
  page: number;
  pageSize: number;
}

/** Vendor error codes -> connector error kinds. */
export const ERROR_CODE_KIND: Readonly<Record<string, ConnectorErrorKind>> = {
  validation_error: 'invalid_request',
  unprocessable: 'invalid_request',
  method_not_allowed: 'invalid_request',
  unauthorized: 'unauthorized',
  invalid_credentials: 'unauthorized',
  invalid_mfa: 'unauthorized',
  token_expired: 'unauthorized',
  forbidden: 'forbidden',
  not_found: 'not_found',
  conflict: 'conflict',
  rate_limited: 'rate_limited',
  server_error: 'unavailable',
  unavailable: 'unavailable',
};

function kindOfStatus(status: number): ConnectorErrorKind {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'unavailable';
  return 'invalid_request';
}

/**
 * Reads Sera's error body `{error: {code, message, details}, requestId}`. The status decides for
 * 429 and 5xx; otherwise a known vendor code does, then the status. The message is the vendor's
 * short message (one line, capped) and its request id, never the body.
 */
export function classifySeraError(status: number, body: unknown): ClassifiedError {
  const parsed = SeraErrorWire.safeParse(body);
  if (!parsed.success) return { kind: kindOfStatus(status), message: `HTTP ${status}` };
  const { error, requestId } = parsed.data;
  const code = error.code ?? undefined;
  const kind = status === 429 || status >= 500 ? kindOfStatus(status) : ((code ? ERROR_CODE_KIND[code] : undefined) ?? kindOfStatus(status));
  const text = (error.message ?? `HTTP ${status}`).replace(/\s+/g, ' ').slice(0, 200);
  const message = requestId ? `${text} (request ${requestId.slice(0, 64)})` : text;
  const fieldErrors = (error.details ?? []).map((d) => ({ field: d.field.slice(0, 200), message: d.message.replace(/\s+/g, ' ').slice(0, 200) }));
  return { kind, message, ...(fieldErrors.length ? { fieldErrors } : {}), ...(code ? { vendorCode: code } : {}) };
}

const fetchIds = new WeakMap<object, number>();
let fetchCount = 0;
/** A number per fetch implementation: a test's fake fetch must not share a session made through another. */
function fetchId(f: typeof fetch): number {
  let id = fetchIds.get(f);
  if (id === undefined) fetchIds.set(f, (id = ++fetchCount));
  return id;
}

/** Filters of `GET /work-orders` (all single-valued). */
export interface WorkOrderFilters {
  customerId?: string | undefined;
  technicianId?: string | undefined;
  status?: string | undefined;
  updatedFrom?: string | undefined;
}

/** Filters of `GET /invoices` (all single-valued). */
export interface InvoiceFilters {
  customerId?: string | undefined;
  workOrderId?: string | undefined;
  status?: string | undefined;
  updatedFrom?: string | undefined;
}

/** The Sera API of one integration. */
export class SeraClient {
  readonly http: VendorHttpClient;
  /** The session token cache (sign-in with TOTP, refresh while valid, single flight), shared per account. */
  readonly sessions: TokenCache;

  constructor(config: SeraClientConfig, options: ConnectorOptions = {}) {
    const baseUrl = config.baseUrl.replace(/\/$/, '');
    const base: VendorHttpOptions = {
      vendor: VENDOR,
      baseUrl,
      timeoutMs: options.timeoutMs ?? 10_000,
      ...(options.retry ? { retry: options.retry } : {}),
      ...(options.breaker ? { breaker: options.breaker } : {}),
      rateLimit: config.rateLimit ?? SERA_DEFAULT_RATE_LIMIT,
      // One limiter, breaker and retry budget per integration user, sign-ins included.
      rateLimitKey: `${VENDOR}:${baseUrl}:${config.username.toLowerCase()}`,
      classify: (status, body) => classifySeraError(status, body),
      ...(options.events ? { events: options.events } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    };
    const credentials = {
      clientId: config.clientId,
      clientSecret: config.clientSecret,
      username: config.username,
      password: config.password,
      totpSecret: config.totpSecret,
    };
    // One session per integration user for the whole process (connectors are built per request and
    // a TOTP code may not be accepted twice in its step). The key hashes the secrets in, so new
    // credentials get a new session, and the call policy, since the session keeps its sign-in client.
    const fingerprint = createHash('sha256')
      .update(JSON.stringify([baseUrl, credentials, base.timeoutMs, options.breaker ?? null, options.retry ?? null, base.rateLimit]))
      .digest('hex');
    this.sessions = sharedTokenCache(`${VENDOR}:${fingerprint}:${fetchId(options.fetch ?? fetch)}`, () =>
      sessionTokenCache(new VendorHttpClient(base), credentials),
    );
    this.http = new VendorHttpClient({ ...base, auth: bearerAuth(this.sessions) });
  }

  /** A single read; `null` when Sera answers 404. */
  private async one<T>(operation: string, p: string, schema: z.ZodType<T>): Promise<T | null> {
    try {
      return await this.http.request({ operation, method: 'GET', path: p, schema });
    } catch (e) {
      if (e instanceof ConnectorError && e.kind === 'not_found') return null;
      throw e;
    }
  }

  private page<T>(operation: string, p: string, item: z.ZodType<T>, paging: PageParams, query: Record<string, QueryValue> = {}): Promise<SeraListWire<T>> {
    return this.http.request({
      operation,
      method: 'GET',
      path: p,
      query: { ...query, page: paging.page, pageSize: Math.min(SERA_MAX_PAGE_SIZE, Math.max(1, paging.pageSize)) },
      schema: seraListWire(item) as unknown as z.ZodType<SeraListWire<T>>,
    });
  }

  // ------------------------------------------------------------ single reads

  getCustomer(id: string): Promise<SeraCustomerWire | null> {
    return this.one('customers.get', path`/customers/${id}`, SeraCustomerWire);
  }

  getLocation(id: string): Promise<SeraLocationWire | null> {
    return this.one('locations.get', path`/locations/${id}`, SeraLocationWire);
  }

  getTechnician(id: string): Promise<SeraTechnicianWire | null> {
    return this.one('technicians.get', path`/technicians/${id}`, SeraTechnicianWire);
  }

  /** A work order with its embedded appointment, pricebook lines and totals. */
  getWorkOrder(id: string): Promise<SeraWorkOrderWire | null> {
    return this.one('workOrders.get', path`/work-orders/${id}`, SeraWorkOrderWire);
  }

  getInvoice(id: string): Promise<SeraInvoiceWire | null> {
    return this.one('invoices.get', path`/invoices/${id}`, SeraInvoiceWire);
  }

  getMembership(id: string): Promise<SeraMembershipWire | null> {
    return this.one('memberships.get', path`/memberships/${id}`, SeraMembershipWire);
  }

  // ------------------------------------------------------------ lists

  /** `GET /customers`; `status` is `active` or `inactive`. */
  listCustomers(paging: PageParams, filters: { status?: 'active' | 'inactive'; updatedFrom?: string | undefined } = {}): Promise<SeraListWire<SeraCustomerWire>> {
    return this.page('customers.list', '/customers', SeraCustomerWire, paging, { status: filters.status, updatedFrom: filters.updatedFrom });
  }

  /** `GET /customers/{id}/locations`; `null` when the customer does not exist. */
  async listCustomerLocations(customerId: string, paging: PageParams): Promise<SeraListWire<SeraLocationWire> | null> {
    try {
      return await this.page('customers.locations.list', path`/customers/${customerId}/locations`, SeraLocationWire, paging);
    } catch (e) {
      if (e instanceof ConnectorError && e.kind === 'not_found') return null;
      throw e;
    }
  }

  listLocations(paging: PageParams, filters: { updatedFrom?: string | undefined } = {}): Promise<SeraListWire<SeraLocationWire>> {
    return this.page('locations.list', '/locations', SeraLocationWire, paging, { updatedFrom: filters.updatedFrom });
  }

  listTechnicians(paging: PageParams): Promise<SeraListWire<SeraTechnicianWire>> {
    return this.page('technicians.list', '/technicians', SeraTechnicianWire, paging);
  }

  listWorkOrders(paging: PageParams, filters: WorkOrderFilters = {}): Promise<SeraListWire<SeraWorkOrderWire>> {
    return this.page('workOrders.list', '/work-orders', SeraWorkOrderWire, paging, { ...filters });
  }

  listInvoices(paging: PageParams, filters: InvoiceFilters = {}): Promise<SeraListWire<SeraInvoiceWire>> {
    return this.page('invoices.list', '/invoices', SeraInvoiceWire, paging, { ...filters });
  }

  listMemberships(paging: PageParams, filters: { customerId?: string | undefined; status?: string | undefined } = {}): Promise<SeraListWire<SeraMembershipWire>> {
    return this.page('memberships.list', '/memberships', SeraMembershipWire, paging, { ...filters });
  }

  // ------------------------------------------------------------ writes (never retried blindly)

  /** `POST /work-orders`. */
  createWorkOrder(body: SeraCreateWorkOrderRequestWire) {
    return this.http.request({ operation: 'workOrders.create', method: 'POST', path: '/work-orders', json: body, schema: SeraWorkOrderCreatedWire });
  }

  /** `PATCH /work-orders/{id}/status`. */
  updateWorkOrderStatus(id: string, body: SeraStatusUpdateRequestWire, operation = 'workOrders.status') {
    return this.http.request({ operation, method: 'PATCH', path: path`/work-orders/${id}/status`, json: body, schema: SeraStatusUpdatedWire });
  }

  /**
   * `POST /customers/{id}/memberships`: creates (201) or renews in place (200). The body holds the
   * write-only payment method token; it leaves the process only in this request body.
   */
  createMembership(customerId: string, body: SeraCreateMembershipRequestWire) {
    return this.http.request({
      operation: 'memberships.create',
      method: 'POST',
      path: path`/customers/${customerId}/memberships`,
      json: body,
      schema: SeraMembershipCreatedWire,
    });
  }

  /** Signs in (or reuses the session) and makes the cheapest authenticated read. */
  async ping(): Promise<void> {
    await this.page('customers.list', '/customers', z.unknown(), { page: 1, pageSize: 1 });
  }
}

/** Every item of a Sera list, page after page (`fetchPage` gets 1-based page numbers). */
export async function walkAll<T>(fetchPage: (paging: PageParams) => Promise<SeraListWire<T> | null>, pageSize = SERA_MAX_PAGE_SIZE): Promise<T[]> {
  const out: T[] = [];
  for (let page = 1; ; page++) {
    const r = await fetchPage({ page, pageSize });
    if (!r) return out;
    out.push(...r.items);
    if (!hasNextPage(r, page, pageSize)) return out;
  }
}

/** True when Sera has a page after `r` (page `page` asked with `pageSize`). */
export function hasNextPage(r: SeraListWire<unknown>, page: number, pageSize: number): boolean {
  if (r.items.length === 0) return false;
  const size = r.pageSize > 0 ? r.pageSize : pageSize;
  if (typeof r.total === 'number') return (r.page || page) * size < r.total;
  return r.items.length >= size;
}
