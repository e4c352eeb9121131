/**
 * ServicePower HTTP specifics on the session-vendor kit (`core/session-vendor.ts`: session sign-in
 * with MFA (TOTP) and refresh, error bodies, list envelopes): the vendor's error codes, a
 * conservative client-side rate limit, and one method per endpoint. Every method throws {@link ConnectorError}; single reads answer
 * `null` for a 404.
 */
import type { z } from 'zod';
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
import type { ConnectorOptions } from '../types.js';
import { ERROR_CODE_KIND } from './mapping.js';
import {
  ServicePowerClaimWire,
  ServicePowerCreatedWorkOrderWire,
  ServicePowerCustomerWire,
  ServicePowerDispatchedWire,
  ServicePowerDispatchWire,
  ServicePowerEquipmentWire,
  ServicePowerLocationWire,
  ServicePowerSubmittedClaimWire,
  ServicePowerTechnicianWire,
  ServicePowerWorkOrderWire,
  type ServicePowerClaimRequestWire,
  type ServicePowerCreateWorkOrderWire,
  type ServicePowerDispatchRequestWire,
} from './wire.js';

const VENDOR = 'servicepower' as const;

/** `updatedFrom`/`updatedTo` of a list: ISO 8601 instants, both inclusive. */
export type UpdatedRange = {
  updatedFrom?: string;
  updatedTo?: string;
};

/**
 * Default client-side limit. The vendor publishes no number ("tuned for enterprise throughput"),
 * so we stay modest: at most 10 calls a second plus a burst of 10. Configurable per connection.
 */
export const SERVICEPOWER_DEFAULT_RATE_LIMIT = { perSecond: 10, burst: 10 } as const;

/** What the client needs to reach and sign in to one ServicePower integration (no tenant). */
export type ServicePowerClientConfig = SessionConnection;

/** How ServicePower's error bodies read: its code table decides 4xx kinds; the message is the vendor's text alone. */
export const SERVICEPOWER_ERRORS: SessionErrorPolicy = { codeKinds: ERROR_CODE_KIND };

/**
 * Reads the vendor's error body `{error: {code, message, details}, requestId}` (see
 * {@link classifySessionError}): the status decides for 429 and 5xx; otherwise a known vendor code
 * does, then the status. The message is the vendor's short message (capped), never the body.
 */
export function classifyServicePowerError(status: number, body: unknown): ClassifiedError {
  return classifySessionError(status, body, SERVICEPOWER_ERRORS);
}

/** The ServicePower API of one integration. */
/** The lists the connector may walk whole, checking only the items it keeps. */
const WALKS = {
  dispatches: { operation: 'dispatches.list', path: '/dispatches', item: ServicePowerDispatchWire },
  claims: { operation: 'claims.list', path: '/claims', item: ServicePowerClaimWire },
} satisfies Record<string, WalkedList>;

export class ServicePowerClient {
  readonly http: VendorHttpClient;
  /** Walks of the whole dispatches and claims lists, checking only the items kept (connectors/core/cheaper-read.ts). */
  readonly walks: Walks<typeof WALKS>;
  /** The session token cache (sign-in with TOTP, refresh while valid, single flight), shared per account. */
  readonly sessions: TokenCache;

  constructor(config: ServicePowerClientConfig, options: ConnectorOptions = {}) {
    // One limiter, breaker and retry budget per integration user, sign-in calls included.
    const client = createSessionClient({
      vendor: VENDOR,
      connection: config,
      defaultRateLimit: SERVICEPOWER_DEFAULT_RATE_LIMIT,
      limitScope: 'user',
      errors: SERVICEPOWER_ERRORS,
      options,
    });
    this.http = client.http;
    this.walks = walksOf(this.http, WALKS);
    this.sessions = client.sessions;
  }

  private list<T extends z.ZodType>(operation: string, p: string, item: T, paging: PageParams, query: Record<string, QueryValue> = {}) {
    return listPage(this.http, operation, p, sessionListWire(item), paging, query);
  }

  // ------------------------------------------------------------------ work orders

  /** `GET /work-orders` with the documented filters (all single-valued). */
  listWorkOrders(
    paging: PageParams,
    filters: { status?: string; providerId?: string; region?: string; updatedFrom?: string; updatedTo?: string; scheduledFrom?: string; scheduledTo?: string } = {},
  ) {
    return this.list('workOrders.list', '/work-orders', ServicePowerWorkOrderWire, paging, filters);
  }

  /** `GET /work-orders/{id}`. */
  getWorkOrder(id: string) {
    return getOrNull(this.http, 'workOrders.get', path`/work-orders/${id}`, ServicePowerWorkOrderWire);
  }

  /** `POST /work-orders`. Not retried blindly (see `writeOnce` in the connector). */
  createWorkOrder(body: ServicePowerCreateWorkOrderWire) {
    return this.http.request({ operation: 'workOrders.create', method: 'POST', path: '/work-orders', json: body, schema: ServicePowerCreatedWorkOrderWire });
  }

  // ------------------------------------------------------------------ dispatches

  /** `POST /work-orders/{id}/dispatch`. */
  dispatch(workOrderId: string, body: ServicePowerDispatchRequestWire) {
    return this.http.request({ operation: 'workOrders.dispatch', method: 'POST', path: path`/work-orders/${workOrderId}/dispatch`, json: body, schema: ServicePowerDispatchedWire });
  }

  /** `GET /work-orders/{id}/dispatches`; `null` when the work order does not exist. */
  listWorkOrderDispatches(workOrderId: string, paging: PageParams) {
    return nullIfNotFound(this.list('dispatches.listByWorkOrder', path`/work-orders/${workOrderId}/dispatches`, ServicePowerDispatchWire, paging));
  }

  /** `GET /dispatches`. */
  listDispatches(paging: PageParams, filters: UpdatedRange = {}) {
    return this.list(WALKS.dispatches.operation, WALKS.dispatches.path, WALKS.dispatches.item, paging, filters);
  }

  /** `GET /dispatches/{id}`. */
  getDispatch(id: string) {
    return getOrNull(this.http, 'dispatches.get', path`/dispatches/${id}`, ServicePowerDispatchWire);
  }

  // ------------------------------------------------------------------ claims

  /** `GET /claims` (filters `workOrderId`, `status`, `updatedFrom`/`updatedTo`; single-valued). */
  listClaims(paging: PageParams, filters: { workOrderId?: string; status?: string } & UpdatedRange = {}) {
    return this.list(WALKS.claims.operation, WALKS.claims.path, WALKS.claims.item, paging, filters);
  }

  /** `GET /claims/{id}`. */
  getClaim(id: string) {
    return getOrNull(this.http, 'claims.get', path`/claims/${id}`, ServicePowerClaimWire);
  }

  /** `POST /claims`. */
  submitClaim(body: ServicePowerClaimRequestWire) {
    return this.http.request({ operation: 'claims.submit', method: 'POST', path: '/claims', json: body, schema: ServicePowerSubmittedClaimWire });
  }

  // ------------------------------------------------------------------ reference data

  listCustomers(paging: PageParams, filters: UpdatedRange = {}) {
    return this.list('customers.list', '/customers', ServicePowerCustomerWire, paging, filters);
  }

  getCustomer(id: string) {
    return getOrNull(this.http, 'customers.get', path`/customers/${id}`, ServicePowerCustomerWire);
  }

  listLocations(paging: PageParams, filters: UpdatedRange = {}) {
    return this.list('locations.list', '/locations', ServicePowerLocationWire, paging, filters);
  }

  getLocation(id: string) {
    return getOrNull(this.http, 'locations.get', path`/locations/${id}`, ServicePowerLocationWire);
  }

  listEquipment(paging: PageParams, filters: UpdatedRange = {}) {
    return this.list('equipment.list', '/equipment', ServicePowerEquipmentWire, paging, filters);
  }

  getEquipment(id: string) {
    return getOrNull(this.http, 'equipment.get', path`/equipment/${id}`, ServicePowerEquipmentWire);
  }

  /** `GET /technicians` (filters `providerId`, `region`, `skill`, `updatedFrom`/`updatedTo`). */
  listTechnicians(paging: PageParams, filters: { providerId?: string; region?: string; skill?: string } & UpdatedRange = {}) {
    return this.list('technicians.list', '/technicians', ServicePowerTechnicianWire, paging, filters);
  }

  getTechnician(id: string) {
    return getOrNull(this.http, 'technicians.get', path`/technicians/${id}`, ServicePowerTechnicianWire);
  }
}
