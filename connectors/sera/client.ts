/**
 * Sera HTTP specifics on the session-vendor kit (`core/session-vendor.ts`: session sign-in with MFA
 * (TOTP) and refresh through Supergood, error bodies, list envelopes): the vendor's error codes and
 * request ids in messages, a modest client-side rate limit, and one method per endpoint. Every method throws {@link ConnectorError}; single reads answer
 * `null` for a 404.
 */
import { z } from 'zod';
import { path, type ClassifiedError, type QueryValue, type VendorHttpClient } from '../core/http-client.js';
import {
  classifySessionError,
  createSessionClient,
  getOrNull,
  listPage,
  nullIfNotFound,
  sessionListWire,
  walksOf,
  type PageParams,
  type SessionConnection,
  type SessionErrorPolicy,
  type WalkedList,
  type Walks,
} from '../core/session-vendor.js';
import type { TokenCache } from '../core/token-cache.js';
import type { ConnectorErrorKind, ConnectorOptions } from '../types.js';
import {
  SeraCustomerWire,
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

/**
 * Default client-side limit. Supergood publishes no number for Sera ("tuned for enterprise
 * throughput while honoring customer entitlements"), so we stay modest, as for the other
 * Supergood-backed vendors: at most 10 calls a second plus a burst of 10. Configurable per
 * connection (the limit is the tenant's).
 */
export const SERA_DEFAULT_RATE_LIMIT = { perSecond: 10, burst: 10 } as const;

/** What the client needs to reach and sign in to one Sera integration (no tenant). */
export type SeraClientConfig = SessionConnection;

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

/** How Sera's error bodies read: its code table decides 4xx kinds; the message ends with Sera's request id. */
export const SERA_ERRORS: SessionErrorPolicy = { codeKinds: ERROR_CODE_KIND, message: { requestId: true } };

/**
 * Reads Sera's error body `{error: {code, message, details}, requestId}` (see
 * {@link classifySessionError}): the status decides for 429 and 5xx; otherwise a known vendor code
 * does, then the status. The message is the vendor's short message (one line, capped) and its
 * request id, never the body.
 */
export function classifySeraError(status: number, body: unknown): ClassifiedError {
  return classifySessionError(status, body, SERA_ERRORS);
}

/**
 * The update range of the customer, location, work order and invoice lists: `updatedFrom`
 * inclusive, `updatedTo` exclusive (ISO 8601 instants).
 */
export interface UpdatedRange {
  updatedFrom?: string | undefined;
  updatedTo?: string | undefined;
}

/** Filters of `GET /work-orders` (all single-valued). */
export interface WorkOrderFilters extends UpdatedRange {
  customerId?: string | undefined;
  technicianId?: string | undefined;
  status?: string | undefined;
}

/** Filters of `GET /invoices` (all single-valued). */
export interface InvoiceFilters extends UpdatedRange {
  customerId?: string | undefined;
  workOrderId?: string | undefined;
  status?: string | undefined;
}

/** The Sera API of one integration. */
/** The lists the connector may walk whole, checking only the items it keeps. */
const WALKS = {
  invoices: { operation: 'invoices.list', path: '/invoices', item: SeraInvoiceWire },
  memberships: { operation: 'memberships.list', path: '/memberships', item: SeraMembershipWire },
} satisfies Record<string, WalkedList>;

export class SeraClient {
  readonly http: VendorHttpClient;
  /** Walks of the whole invoices and memberships lists, checking only the items kept (connectors/core/cheaper-read.ts). */
  readonly walks: Walks<typeof WALKS>;
  /** The session token cache (sign-in with TOTP, refresh while valid, single flight), shared per account. */
  readonly sessions: TokenCache;

  constructor(config: SeraClientConfig, options: ConnectorOptions = {}) {
    // One limiter, breaker and retry budget per integration user, sign-ins included.
    const client = createSessionClient({
      vendor: VENDOR,
      connection: config,
      defaultRateLimit: SERA_DEFAULT_RATE_LIMIT,
      limitScope: 'user',
      errors: SERA_ERRORS,
      options,
    });
    this.http = client.http;
    this.walks = walksOf(this.http, WALKS);
    this.sessions = client.sessions;
  }

  private page<T extends z.ZodType>(operation: string, p: string, item: T, paging: PageParams, query: Record<string, QueryValue> = {}) {
    return listPage(this.http, operation, p, sessionListWire(item), paging, query);
  }

  // ------------------------------------------------------------ single reads

  getCustomer(id: string): Promise<SeraCustomerWire | null> {
    return getOrNull(this.http, 'customers.get', path`/customers/${id}`, SeraCustomerWire);
  }

  getLocation(id: string): Promise<SeraLocationWire | null> {
    return getOrNull(this.http, 'locations.get', path`/locations/${id}`, SeraLocationWire);
  }

  getTechnician(id: string): Promise<SeraTechnicianWire | null> {
    return getOrNull(this.http, 'technicians.get', path`/technicians/${id}`, SeraTechnicianWire);
  }

  /** A work order with its embedded appointment, pricebook lines and totals. */
  getWorkOrder(id: string): Promise<SeraWorkOrderWire | null> {
    return getOrNull(this.http, 'workOrders.get', path`/work-orders/${id}`, SeraWorkOrderWire);
  }

  getInvoice(id: string): Promise<SeraInvoiceWire | null> {
    return getOrNull(this.http, 'invoices.get', path`/invoices/${id}`, SeraInvoiceWire);
  }

  getMembership(id: string): Promise<SeraMembershipWire | null> {
    return getOrNull(this.http, 'memberships.get', path`/memberships/${id}`, SeraMembershipWire);
  }

  // ------------------------------------------------------------ lists

  /** `GET /customers`; `status` is `active` or `inactive`. */
  listCustomers(paging: PageParams, filters: { status?: 'active' | 'inactive' } & UpdatedRange = {}): Promise<SeraListWire<SeraCustomerWire>> {
    return this.page('customers.list', '/customers', SeraCustomerWire, paging, { status: filters.status, updatedFrom: filters.updatedFrom, updatedTo: filters.updatedTo });
  }

  /** `GET /customers/{id}/locations`; `null` when the customer does not exist. */
  listCustomerLocations(customerId: string, paging: PageParams): Promise<SeraListWire<SeraLocationWire> | null> {
    return nullIfNotFound(this.page('customers.locations.list', path`/customers/${customerId}/locations`, SeraLocationWire, paging));
  }

  listLocations(paging: PageParams, filters: UpdatedRange = {}): Promise<SeraListWire<SeraLocationWire>> {
    return this.page('locations.list', '/locations', SeraLocationWire, paging, { updatedFrom: filters.updatedFrom, updatedTo: filters.updatedTo });
  }

  listTechnicians(paging: PageParams): Promise<SeraListWire<SeraTechnicianWire>> {
    return this.page('technicians.list', '/technicians', SeraTechnicianWire, paging);
  }

  listWorkOrders(paging: PageParams, filters: WorkOrderFilters = {}): Promise<SeraListWire<SeraWorkOrderWire>> {
    return this.page('workOrders.list', '/work-orders', SeraWorkOrderWire, paging, { ...filters });
  }

  listInvoices(paging: PageParams, filters: InvoiceFilters = {}): Promise<SeraListWire<SeraInvoiceWire>> {
    return this.page(WALKS.invoices.operation, WALKS.invoices.path, WALKS.invoices.item, paging, { ...filters });
  }

  listMemberships(paging: PageParams, filters: { customerId?: string | undefined; status?: string | undefined } = {}): Promise<SeraListWire<SeraMembershipWire>> {
    return this.page(WALKS.memberships.operation, WALKS.memberships.path, WALKS.memberships.item, paging, { ...filters });
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

/** True when Sera has a page after the one asked (the session vendors' shared rule). */
export { hasNextPage } from '../core/session-vendor.js';
