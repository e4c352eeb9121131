/**
 * The Astea Alliance HTTP specifics on {@link VendorHttpClient}: the session sign-in (Basic
 * integration credentials, username, password, tenant and a TOTP code; refresh while the session
 * lives), the error bodies (`{error: {code, message, details}, requestId}`), the client-side rate
 * limit, and one method per endpoint. Every method throws {@link ConnectorError}; single reads
 * return null on 404.
 */
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { bearerAuth, sessionTokenCache } from '../core/auth.js';
import { path, VendorHttpClient, type ClassifiedError, type QueryValue } from '../core/http-client.js';
import { sharedTokenCache, type TokenCache } from '../core/token-cache.js';
import { ConnectorError, type ConnectorErrorKind, type ConnectorOptions } from '../types.js';
import type { AsteaConnection } from './index.js';
import {
  AsteaAssetListWire,
  AsteaAssetWire,
  AsteaAssignmentBodyWire,
  AsteaAssignmentCreatedWire,
  AsteaAssignmentListWire,
  AsteaAssignmentWire,
  AsteaConsumptionBodyWire,
  AsteaConsumptionCreatedWire,
  AsteaConsumptionListWire,
  AsteaCustomerListWire,
  AsteaCustomerWire,
  AsteaErrorWire,
  AsteaInvoiceListWire,
  AsteaInvoiceWire,
  AsteaSiteListWire,
  AsteaSiteWire,
  AsteaTechnicianListWire,
  AsteaTechnicianWire,
  AsteaWorkOrderDetailWire,
  AsteaWorkOrderListWire,
  type AsteaListWire,
} from './wire.js';

/** Largest page Alliance serves (`pageSize` 1..100; 400 above). */
export const ASTEA_MAX_PAGE_SIZE = 100;

/**
 * Client-side limit when the connection sets none. Supergood publishes no number for Alliance
 * ("tuned for enterprise throughput"), so this stays well under what the ServiceTitan-class APIs
 * allow (60/s): 20 a second plus a burst of 20, at most 40 calls in any second.
 */
export const ASTEA_DEFAULT_RATE_LIMIT = { perSecond: 20, burst: 20 } as const;

/** 1-based page and page size of a list call. */
export interface PageParams {
  page: number;
  pageSize: number;
}

/** Filters of `GET /work-orders` (seed document). */
export interface WorkOrderFilters {
  customerId?: string;
  status?: string;
  slaDueFrom?: string;
  slaDueTo?: string;
  updatedFrom?: string;
  updatedTo?: string;
}

/** Filters of `GET /assignments`. */
export interface AssignmentFilters {
  technicianId?: string;
  status?: string;
  updatedFrom?: string;
}

/** Filters of `GET /customers`. */
export interface CustomerFilters {
  status?: string;
  updatedFrom?: string;
}

/** Filters of `GET /sites`. */
export interface SiteFilters {
  customerId?: string;
  updatedFrom?: string;
}

/** Filters of `GET /assets`. */
export interface AssetFilters {
  siteId?: string;
  customerId?: string;
  serialNumber?: string;
  updatedFrom?: string;
}

/** Filters of `GET /technicians`. */
export interface TechnicianFilters {
  skill?: string;
  region?: string;
}

/** Filters of `GET /invoices`. */
export interface InvoiceFilters {
  customerId?: string;
  workOrderId?: string;
  status?: string;
  updatedFrom?: string;
}

/** Test and wiring hooks of {@link AsteaClient}. */
export interface AsteaClientHooks {
  /** Clock of the session cache (ms since epoch); a client with its own clock gets its own session. */
  now?: () => number;
}

const KIND_BY_STATUS: Record<number, ConnectorErrorKind> = {
  400: 'invalid_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  408: 'timeout',
  409: 'conflict',
  422: 'invalid_request',
  429: 'rate_limited',
  504: 'timeout',
};

/** The vendor's message, cut short: it names records and fields, never credentials, but can be long. */
function shortMessage(value: string | null | undefined): string | undefined {
  const m = value?.replace(/\s+/g, ' ').trim();
  if (!m) return undefined;
  return m.length > 200 ? `${m.slice(0, 197)}...` : m;
}

/**
 * Turns an Alliance error response into a connector error: the kind from the status (422 and 400
 * are the caller's `invalid_request`, 409 a `conflict`, 5xx `unavailable`), the vendor's code and
 * message, and its field details as field errors. A body that is not the vendor's error shape (an
 * HTML page from a proxy) gives the status alone.
 */
export function classifyAsteaError(status: number, body: unknown): ClassifiedError {
  const kind = KIND_BY_STATUS[status] ?? (status >= 500 ? 'unavailable' : 'invalid_request');
  const parsed = AsteaErrorWire.safeParse(body);
  if (!parsed.success) return { kind, message: `HTTP ${status}` };
  const { code, message, details } = parsed.data.error;
  const vendorCode = code?.trim() || undefined;
  const text = shortMessage(message);
  return {
    kind,
    message: [vendorCode, text].filter(Boolean).join(': ') || `HTTP ${status}`,
    fieldErrors: (details ?? [])
      .filter((d) => d.field || d.message)
      .map((d) => ({ field: d.field?.trim() || 'body', message: shortMessage(d.message) ?? 'Invalid.' })),
    ...(vendorCode ? { vendorCode } : {}),
  };
}

// Objects (a fetch implementation, an events hook) get a number, so that a client built with
// another fetch (a test's fake) or other hooks never shares a session whose sign-in calls go
// through the first client's.
const objectIds = new WeakMap<object, number>();
let objectCount = 0;
function objectId(o: object | undefined): number {
  if (o === undefined) return 0;
  let id = objectIds.get(o);
  if (id === undefined) objectIds.set(o, (id = ++objectCount));
  return id;
}

/**
 * The key of one Alliance session: the base URL, a hash of every credential, and everything that
 * configures the sign-in client (fetch, hooks, timeout, retry and breaker policy, rate limit), since
 * the session signs in through the client of whichever connector made it first.
 */
function sessionKey(connection: AsteaConnection, options: ConnectorOptions, f: typeof fetch): string {
  const hash = createHash('sha256')
    .update(
      JSON.stringify([
        connection.clientId,
        connection.clientSecret,
        connection.username,
        connection.password,
        connection.tenant,
        connection.totpSecret,
        connection.rateLimit ?? null,
        options.timeoutMs ?? null,
        options.retry ?? null,
        options.breaker ?? null,
      ]),
    )
    .digest('hex');
  return `astea|${connection.baseUrl.replace(/\/$/, '')}|${hash}|${objectId(f)}|${objectId(options.events)}`;
}

/** A write body as its schema has it; a body that does not match is refused before it is sent. */
function checked<T>(operation: string, schema: z.ZodType<T>, body: T): T {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  throw new ConnectorError({
    kind: 'invalid_request',
    vendor: 'astea',
    operation,
    message: `astea ${operation}: the body is invalid`,
    fieldErrors: r.error.issues.map((i) => ({ field: i.path.map(String).join('.') || 'body', message: i.message })),
  });
}

/** The Astea Alliance endpoints of one integration. */
export class AsteaClient {
  readonly http: VendorHttpClient;
  /** The session token cache (shared by every client of the same account in the process). */
  readonly session: TokenCache;

  constructor(connection: AsteaConnection, options: ConnectorOptions = {}, hooks: AsteaClientHooks = {}) {
    const fetchImpl = options.fetch ?? fetch;
    const common = {
      vendor: 'astea' as const,
      baseUrl: connection.baseUrl,
      timeoutMs: options.timeoutMs ?? 10_000,
      ...(options.retry ? { retry: options.retry } : {}),
      ...(options.breaker ? { breaker: options.breaker } : {}),
      ...(options.events ? { events: options.events } : {}),
      fetch: fetchImpl,
      rateLimit: connection.rateLimit ?? ASTEA_DEFAULT_RATE_LIMIT,
      classify: (status: number, body: unknown) => classifyAsteaError(status, body),
    };
    // Sign-in calls go through a client without auth; it shares the account's limiter, breaker and
    // retry budget with the API client (they are keyed by vendor and base URL).
    const signIn = new VendorHttpClient(common);
    const creds = {
      clientId: connection.clientId,
      clientSecret: connection.clientSecret,
      username: connection.username,
      password: connection.password,
      tenant: connection.tenant,
      totpSecret: connection.totpSecret,
    };
    this.session = hooks.now
      ? sessionTokenCache(signIn, creds, hooks.now)
      : sharedTokenCache(sessionKey(connection, options, fetchImpl), () => sessionTokenCache(signIn, creds));
    this.http = new VendorHttpClient({ ...common, auth: bearerAuth(this.session) });
  }

  private list<T>(operation: string, p: string, schema: z.ZodType<AsteaListWire<T>>, query: Record<string, QueryValue>, page: PageParams): Promise<AsteaListWire<T>> {
    return this.http.request({ operation, method: 'GET', path: p, query: { ...query, page: page.page, pageSize: page.pageSize }, schema });
  }

  /** A single read; null when Alliance answers 404. */
  private async one<T>(operation: string, p: string, schema: z.ZodType<T>): Promise<T | null> {
    try {
      return await this.http.request({ operation, method: 'GET', path: p, schema });
    } catch (e) {
      if (e instanceof ConnectorError && e.kind === 'not_found') return null;
      throw e;
    }
  }

  /** A list below a parent (`/work-orders/{id}/assignments`); null when the parent does not exist. */
  private async sub<T>(operation: string, p: string, schema: z.ZodType<AsteaListWire<T>>, page: PageParams): Promise<AsteaListWire<T> | null> {
    try {
      return await this.list(operation, p, schema, {}, page);
    } catch (e) {
      if (e instanceof ConnectorError && e.kind === 'not_found') return null;
      throw e;
    }
  }

  // ------------------------------------------------------------ work orders

  /** `GET /work-orders`: work orders with site and asset embedded, in id order. */
  listWorkOrders(filters: WorkOrderFilters, page: PageParams) {
    return this.list('workOrders.list', '/work-orders', AsteaWorkOrderListWire, { ...filters }, page);
  }

  /** `GET /work-orders/{id}`: the header with service type, response SLA and completion time. */
  getWorkOrder(id: string) {
    return this.one('workOrders.get', path`/work-orders/${id}`, AsteaWorkOrderDetailWire);
  }

  // ------------------------------------------------------------ dispatch

  /** `GET /work-orders/{id}/assignments`; null for an unknown work order. */
  listWorkOrderAssignments(workOrderId: string, page: PageParams) {
    return this.sub('assignments.listOfWorkOrder', path`/work-orders/${workOrderId}/assignments`, AsteaAssignmentListWire, page);
  }

  /** `GET /assignments`: dispatch assignments across work orders. */
  listAssignments(filters: AssignmentFilters, page: PageParams) {
    return this.list('assignments.list', '/assignments', AsteaAssignmentListWire, { ...filters }, page);
  }

  /** `GET /assignments/{id}`. */
  getAssignment(id: string) {
    return this.one('assignments.get', path`/assignments/${id}`, AsteaAssignmentWire);
  }

  /** `POST /work-orders/{id}/assignments`: assigns one technician for a window. Not retried. */
  createAssignment(workOrderId: string, body: AsteaAssignmentBodyWire) {
    return this.http.request({
      operation: 'assignments.create',
      method: 'POST',
      path: path`/work-orders/${workOrderId}/assignments`,
      json: checked('assignments.create', AsteaAssignmentBodyWire, body),
      schema: AsteaAssignmentCreatedWire,
    });
  }

  // ------------------------------------------------------------ parts and labor

  /** `GET /work-orders/{id}/consumptions`; null for an unknown work order. */
  listConsumptions(workOrderId: string, page: PageParams) {
    return this.sub('consumptions.list', path`/work-orders/${workOrderId}/consumptions`, AsteaConsumptionListWire, page);
  }

  /** `POST /work-orders/{id}/consumptions`: records parts and labor, pending billing. Not retried. */
  createConsumption(workOrderId: string, body: AsteaConsumptionBodyWire) {
    return this.http.request({
      operation: 'consumptions.create',
      method: 'POST',
      path: path`/work-orders/${workOrderId}/consumptions`,
      json: checked('consumptions.create', AsteaConsumptionBodyWire, body),
      schema: AsteaConsumptionCreatedWire,
    });
  }

  // ------------------------------------------------------------ customers and sites

  /** `GET /customers`. */
  listCustomers(filters: CustomerFilters, page: PageParams) {
    return this.list('customers.list', '/customers', AsteaCustomerListWire, { ...filters }, page);
  }

  /** `GET /customers/{id}`. */
  getCustomer(id: string) {
    return this.one('customers.get', path`/customers/${id}`, AsteaCustomerWire);
  }

  /** `GET /customers/{id}/sites`; null for an unknown customer. */
  listCustomerSites(customerId: string, page: PageParams) {
    return this.sub('sites.listOfCustomer', path`/customers/${customerId}/sites`, AsteaSiteListWire, page);
  }

  /** `GET /sites`. */
  listSites(filters: SiteFilters, page: PageParams) {
    return this.list('sites.list', '/sites', AsteaSiteListWire, { ...filters }, page);
  }

  /** `GET /sites/{id}`. */
  getSite(id: string) {
    return this.one('sites.get', path`/sites/${id}`, AsteaSiteWire);
  }

  // ------------------------------------------------------------ installed base

  /** `GET /assets`. */
  listAssets(filters: AssetFilters, page: PageParams) {
    return this.list('assets.list', '/assets', AsteaAssetListWire, { ...filters }, page);
  }

  /** `GET /assets/{id}`: with manufacturer warranty and contract coverage. */
  getAsset(id: string) {
    return this.one('assets.get', path`/assets/${id}`, AsteaAssetWire);
  }

  // ------------------------------------------------------------ technicians

  /** `GET /technicians`. */
  listTechnicians(filters: TechnicianFilters, page: PageParams) {
    return this.list('technicians.list', '/technicians', AsteaTechnicianListWire, { ...filters }, page);
  }

  /** `GET /technicians/{id}`. */
  getTechnician(id: string) {
    return this.one('technicians.get', path`/technicians/${id}`, AsteaTechnicianWire);
  }

  // ------------------------------------------------------------ billing

  /** `GET /invoices`. */
  listInvoices(filters: InvoiceFilters, page: PageParams) {
    return this.list('invoices.list', '/invoices', AsteaInvoiceListWire, { ...filters }, page);
  }

  /** `GET /invoices/{id}`. */
  getInvoice(id: string) {
    return this.one('invoices.get', path`/invoices/${id}`, AsteaInvoiceWire);
  }

  // ------------------------------------------------------------ health

  /** Signs in (or reuses the live session) and makes the cheapest authenticated read. */
  async ping(): Promise<void> {
    await this.listTechnicians({}, { page: 1, pageSize: 1 });
  }
}
