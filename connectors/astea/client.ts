/**
 * The Astea Alliance HTTP specifics on the session-vendor kit (`core/session-vendor.ts`: session
 * sign-in with Basic integration credentials, username, password, tenant and a TOTP code, refresh
 * while the session lives; error bodies; list envelopes): how its errors read, the client-side
 * rate limit, and one method per endpoint. Every method throws {@link ConnectorError}; single reads
 * return null on 404.
 */
import type { z } from 'zod';
import { path, type ClassifiedError, type QueryValue, type VendorHttpClient } from '../core/http-client.js';
import {
  classifySessionError,
  createSessionClient,
  getOrNull,
  listPage,
  nullIfNotFound,
  walksOf,
  type PageParams,
  type SessionErrorPolicy,
  type WalkedList,
  type Walks,
} from '../core/session-vendor.js';
import type { TokenCache } from '../core/token-cache.js';
import { ConnectorError, type ConnectorOptions } from '../types.js';
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

/**
 * Client-side limit when the connection sets none. Supergood publishes no number for Alliance
 * ("tuned for enterprise throughput"), so this stays well under what the ServiceTitan-class APIs
 * allow (60/s): 20 a second plus a burst of 20, at most 40 calls in any second.
 */
export const ASTEA_DEFAULT_RATE_LIMIT = { perSecond: 20, burst: 20 } as const;

/**
 * The update range of the work order, assignment, customer, site, asset and invoice lists:
 * `updatedFrom` and `updatedTo`, ISO 8601 instants, both inclusive.
 */
export interface UpdatedRange {
  updatedFrom?: string;
  updatedTo?: string;
}

/** Filters of `GET /work-orders` (seed document). */
export interface WorkOrderFilters extends UpdatedRange {
  customerId?: string;
  status?: string;
  slaDueFrom?: string;
  slaDueTo?: string;
}

/** Filters of `GET /assignments`. */
export interface AssignmentFilters extends UpdatedRange {
  technicianId?: string;
  status?: string;
}

/** Filters of `GET /customers`. */
export interface CustomerFilters extends UpdatedRange {
  status?: string;
}

/** Filters of `GET /sites`. */
export interface SiteFilters extends UpdatedRange {
  customerId?: string;
}

/** Filters of `GET /assets`. */
export interface AssetFilters extends UpdatedRange {
  siteId?: string;
  customerId?: string;
  serialNumber?: string;
}

/** Filters of `GET /technicians`. */
export interface TechnicianFilters {
  skill?: string;
  region?: string;
}

/** Filters of `GET /invoices`. */
export interface InvoiceFilters extends UpdatedRange {
  customerId?: string;
  workOrderId?: string;
  status?: string;
}

/** Test and wiring hooks of {@link AsteaClient}. */
export interface AsteaClientHooks {
  /** Clock of the session cache (ms since epoch); a client with its own clock gets its own session. */
  now?: () => number;
}

/**
 * How Alliance's error bodies read: the status alone decides the kind (422 and 400 are the
 * caller's `invalid_request`, 409 a `conflict`, 5xx `unavailable`), except that 408 and 504 are
 * timeouts; the message leads with the vendor's code.
 */
export const ASTEA_ERRORS: SessionErrorPolicy = { statusKinds: { 408: 'timeout', 504: 'timeout' }, message: { code: true } };

/**
 * Turns an Alliance error response into a connector error (see {@link classifySessionError} and
 * {@link ASTEA_ERRORS}): the kind from the status, the vendor's code and message, and its field
 * details as field errors. A body that is not the vendor's error shape (an HTML page from a proxy)
 * gives the status alone.
 */
export function classifyAsteaError(status: number, body: unknown): ClassifiedError {
  return classifySessionError(status, body, ASTEA_ERRORS);
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
/** The lists the connector may walk whole, checking only the items it keeps. */
const WALKS = {
  assignments: { operation: 'assignments.list', path: '/assignments', item: AsteaAssignmentWire },
  invoices: { operation: 'invoices.list', path: '/invoices', item: AsteaInvoiceWire },
} satisfies Record<string, WalkedList>;

export class AsteaClient {
  readonly http: VendorHttpClient;
  /** Walks of the whole assignments and invoices lists, checking only the items kept (connectors/core/cheaper-read.ts). */
  readonly walks: Walks<typeof WALKS>;
  /** The session token cache (shared by every client of the same account in the process). */
  readonly session: TokenCache;

  constructor(connection: AsteaConnection, options: ConnectorOptions = {}, hooks: AsteaClientHooks = {}) {
    // One limiter, breaker and retry budget per integration (base URL), sign-in calls included.
    const client = createSessionClient({
      vendor: 'astea',
      connection,
      defaultRateLimit: ASTEA_DEFAULT_RATE_LIMIT,
      limitScope: 'integration',
      errors: ASTEA_ERRORS,
      options,
      ...(hooks.now ? { now: hooks.now } : {}),
    });
    this.http = client.http;
    this.walks = walksOf(this.http, WALKS);
    this.session = client.sessions;
  }

  private list<T>(operation: string, p: string, schema: z.ZodType<AsteaListWire<T>>, query: Record<string, QueryValue>, page: PageParams): Promise<AsteaListWire<T>> {
    return listPage(this.http, operation, p, schema, page, query);
  }

  /** A list below a parent (`/work-orders/{id}/assignments`); null when the parent does not exist. */
  private sub<T>(operation: string, p: string, schema: z.ZodType<AsteaListWire<T>>, page: PageParams): Promise<AsteaListWire<T> | null> {
    return nullIfNotFound(this.list(operation, p, schema, {}, page));
  }

  // ------------------------------------------------------------ work orders

  /** `GET /work-orders`: work orders with site and asset embedded, in id order. */
  listWorkOrders(filters: WorkOrderFilters, page: PageParams) {
    return this.list('workOrders.list', '/work-orders', AsteaWorkOrderListWire, { ...filters }, page);
  }

  /** `GET /work-orders/{id}`: the header with service type, response SLA and completion time. */
  getWorkOrder(id: string) {
    return getOrNull(this.http, 'workOrders.get', path`/work-orders/${id}`, AsteaWorkOrderDetailWire);
  }

  // ------------------------------------------------------------ dispatch

  /** `GET /work-orders/{id}/assignments`; null for an unknown work order. */
  listWorkOrderAssignments(workOrderId: string, page: PageParams) {
    return this.sub('assignments.listOfWorkOrder', path`/work-orders/${workOrderId}/assignments`, AsteaAssignmentListWire, page);
  }

  /** `GET /assignments`: dispatch assignments across work orders. */
  listAssignments(filters: AssignmentFilters, page: PageParams) {
    return this.list(WALKS.assignments.operation, WALKS.assignments.path, AsteaAssignmentListWire, { ...filters }, page);
  }

  /** `GET /assignments/{id}`. */
  getAssignment(id: string) {
    return getOrNull(this.http, 'assignments.get', path`/assignments/${id}`, AsteaAssignmentWire);
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
    return getOrNull(this.http, 'customers.get', path`/customers/${id}`, AsteaCustomerWire);
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
    return getOrNull(this.http, 'sites.get', path`/sites/${id}`, AsteaSiteWire);
  }

  // ------------------------------------------------------------ installed base

  /** `GET /assets`. */
  listAssets(filters: AssetFilters, page: PageParams) {
    return this.list('assets.list', '/assets', AsteaAssetListWire, { ...filters }, page);
  }

  /** `GET /assets/{id}`: with manufacturer warranty and contract coverage. */
  getAsset(id: string) {
    return getOrNull(this.http, 'assets.get', path`/assets/${id}`, AsteaAssetWire);
  }

  // ------------------------------------------------------------ technicians

  /** `GET /technicians`. */
  listTechnicians(filters: TechnicianFilters, page: PageParams) {
    return this.list('technicians.list', '/technicians', AsteaTechnicianListWire, { ...filters }, page);
  }

  /** `GET /technicians/{id}`. */
  getTechnician(id: string) {
    return getOrNull(this.http, 'technicians.get', path`/technicians/${id}`, AsteaTechnicianWire);
  }

  // ------------------------------------------------------------ billing

  /** `GET /invoices`. */
  listInvoices(filters: InvoiceFilters, page: PageParams) {
    return this.list(WALKS.invoices.operation, WALKS.invoices.path, AsteaInvoiceListWire, { ...filters }, page);
  }

  /** `GET /invoices/{id}`. */
  getInvoice(id: string) {
    return getOrNull(this.http, 'invoices.get', path`/invoices/${id}`, AsteaInvoiceWire);
  }

  // ------------------------------------------------------------ health

  /** Signs in (or reuses the live session) and makes the cheapest authenticated read. */
  async ping(): Promise<void> {
    await this.listTechnicians({}, { page: 1, pageSize: 1 });
  }
}
