/**
 * ServicePower HTTP specifics on the shared {@link VendorHttpClient}: session sign-in with MFA
 * (TOTP) and session refresh, the vendor's error bodies, a conservative client-side rate limit,
 * and one method per endpoint. Every method throws {@link ConnectorError}; single reads answer
 * `null` for a 404.
 */
import type { z } from 'zod';
import { bearerAuth, sessionTokenCache } from '../core/auth.js';
import { path, VendorHttpClient, type ClassifiedError, type QueryValue, type VendorHttpOptions } from '../core/http-client.js';
import { sharedTokenCache, type TokenCache } from '../core/token-cache.js';
import { createHash } from 'node:crypto';
import { ConnectorError, type ConnectorErrorKind, type ConnectorOptions } from '../types.js';
import { ERROR_CODE_KIND, toFieldErrors } from './mapping.js';
import {
  servicePowerListWire,
  ServicePowerClaimWire,
  ServicePowerCreatedWorkOrderWire,
  ServicePowerCustomerWire,
  ServicePowerDispatchedWire,
  ServicePowerDispatchWire,
  ServicePowerEquipmentWire,
  ServicePowerErrorWire,
  ServicePowerLocationWire,
  ServicePowerSubmittedClaimWire,
  ServicePowerTechnicianWire,
  ServicePowerWorkOrderWire,
  type ServicePowerClaimRequestWire,
  type ServicePowerCreateWorkOrderWire,
  type ServicePowerDispatchRequestWire,
  type ServicePowerListWire,
} from './wire.js';

const VENDOR = 'servicepower' as const;

/** Largest `pageSize` the list endpoints take. */
export const SERVICEPOWER_MAX_PAGE_SIZE = 100;

/**
 * Default client-side limit. The vendor publishes no number ("tuned for enterprise throughput"),
 * so we stay modest: at most 10 calls a second plus a burst of 10. Configurable per connection.
 */
export const SERVICEPOWER_DEFAULT_RATE_LIMIT = { perSecond: 10, burst: 10 } as const;

/** What the client needs to reach and sign in to one ServicePower integration. */
export interface ServicePowerClientConfig {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  username: string;
  password: string;
  /** Base32 TOTP secret of the integration user. */
  totpSecret: string;
  rateLimit?: { perSecond: number; burst: number } | undefined;
}

/** Paging of a list call (1-based page). */
export interface PageParams {
  page: number;
  pageSize: number;
}

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
 * Reads the vendor's error body `{error: {code, message, details}, requestId}`. The status decides
 * for 429 and 5xx; otherwise a known vendor code does, then the status. The message is the
 * vendor's short message (capped), never the body.
 */
export function classifyServicePowerError(status: number, body: unknown): ClassifiedError {
  const parsed = ServicePowerErrorWire.safeParse(body);
  if (!parsed.success) return { kind: kindOfStatus(status), message: `HTTP ${status}` };
  const code = parsed.data.error.code ?? undefined;
  const kind: ConnectorErrorKind =
    status === 429 || status >= 500 ? kindOfStatus(status) : ((code ? ERROR_CODE_KIND[code] : undefined) ?? kindOfStatus(status));
  const message = (parsed.data.error.message ?? `HTTP ${status}`).replace(/\s+/g, ' ').slice(0, 200);
  const fieldErrors = toFieldErrors(parsed.data);
  return { kind, message, ...(fieldErrors.length ? { fieldErrors } : {}), ...(code ? { vendorCode: code } : {}) };
}

const fetchIds = new WeakMap<object, number>();
let fetchCount = 0;
/** A number per fetch implementation (a test's fake fetch must not share a session made through another). */
function fetchId(f: typeof fetch): number {
  let id = fetchIds.get(f);
  if (id === undefined) fetchIds.set(f, (id = ++fetchCount));
  return id;
}

/** The ServicePower API of one integration. */
export class ServicePowerClient {
  readonly http: VendorHttpClient;
  /** The session token cache (sign-in with TOTP, refresh while valid, single flight). */
  readonly sessions: TokenCache;

  constructor(config: ServicePowerClientConfig, options: ConnectorOptions = {}) {
    const base: VendorHttpOptions = {
      vendor: VENDOR,
      baseUrl: config.baseUrl,
      timeoutMs: options.timeoutMs ?? 10_000,
      ...(options.retry ? { retry: options.retry } : {}),
      ...(options.breaker ? { breaker: options.breaker } : {}),
      rateLimit: config.rateLimit ?? SERVICEPOWER_DEFAULT_RATE_LIMIT,
      // One limiter, breaker and retry budget per integration user, sign-in calls included.
      rateLimitKey: `${VENDOR}:${config.baseUrl.replace(/\/$/, '')}:${config.username.toLowerCase()}`,
      classify: (status, body) => classifyServicePowerError(status, body),
      ...(options.events ? { events: options.events } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    };
    // Sessions are opened with a client of their own (no bearer token), sharing the limits above.
    // One session per integration user for the whole process: connectors are built per request,
    // and a TOTP code may not be accepted twice within its 30-second step.
    const credentials = {
      clientId: config.clientId,
      clientSecret: config.clientSecret,
      username: config.username,
      password: config.password,
      totpSecret: config.totpSecret,
    };
    // The cached session keeps the sign-in client it was built with: clients that differ in how
    // they call (fetch, timeout, breaker policy) get their own session rather than another's.
    const fingerprint = createHash('sha256')
      .update(JSON.stringify([config.baseUrl.replace(/\/$/, ''), credentials, base.timeoutMs, options.breaker ?? null, options.retry ?? null]))
      .digest('hex');
    const key = `${VENDOR}:${fingerprint}:${fetchId(options.fetch ?? fetch)}`;
    this.sessions = sharedTokenCache(key, () => sessionTokenCache(new VendorHttpClient(base), credentials));
    this.http = new VendorHttpClient({ ...base, auth: bearerAuth(this.sessions) });
  }

  /** A single read; `null` when the vendor answers 404. */
  private async getOne<T>(operation: string, p: string, schema: z.ZodType<T>): Promise<T | null> {
    try {
      return await this.http.request({ operation, method: 'GET', path: p, schema });
    } catch (e) {
      if (e instanceof ConnectorError && e.kind === 'not_found') return null;
      throw e;
    }
  }

  private list<T>(operation: string, p: string, item: z.ZodType<T>, paging: PageParams, query: Record<string, QueryValue> = {}): Promise<ServicePowerListWire<T>> {
    return this.http.request({
      operation,
      method: 'GET',
      path: p,
      query: { ...query, page: paging.page, pageSize: Math.min(paging.pageSize, SERVICEPOWER_MAX_PAGE_SIZE) },
      schema: servicePowerListWire(item) as unknown as z.ZodType<ServicePowerListWire<T>>,
    });
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
    return this.getOne('workOrders.get', path`/work-orders/${id}`, ServicePowerWorkOrderWire);
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
  async listWorkOrderDispatches(workOrderId: string, paging: PageParams) {
    try {
      return await this.list('dispatches.listByWorkOrder', path`/work-orders/${workOrderId}/dispatches`, ServicePowerDispatchWire, paging);
    } catch (e) {
      if (e instanceof ConnectorError && e.kind === 'not_found') return null;
      throw e;
    }
  }

  /** `GET /dispatches`. */
  listDispatches(paging: PageParams, filters: { updatedFrom?: string } = {}) {
    return this.list('dispatches.list', '/dispatches', ServicePowerDispatchWire, paging, filters);
  }

  /** `GET /dispatches/{id}`. */
  getDispatch(id: string) {
    return this.getOne('dispatches.get', path`/dispatches/${id}`, ServicePowerDispatchWire);
  }

  // ------------------------------------------------------------------ claims

  /** `GET /claims` (filters `workOrderId`, `status`, `updatedFrom`; single-valued). */
  listClaims(paging: PageParams, filters: { workOrderId?: string; status?: string; updatedFrom?: string } = {}) {
    return this.list('claims.list', '/claims', ServicePowerClaimWire, paging, filters);
  }

  /** `GET /claims/{id}`. */
  getClaim(id: string) {
    return this.getOne('claims.get', path`/claims/${id}`, ServicePowerClaimWire);
  }

  /** `POST /claims`. */
  submitClaim(body: ServicePowerClaimRequestWire) {
    return this.http.request({ operation: 'claims.submit', method: 'POST', path: '/claims', json: body, schema: ServicePowerSubmittedClaimWire });
  }

  // ------------------------------------------------------------------ reference data

  listCustomers(paging: PageParams, filters: { updatedFrom?: string } = {}) {
    return this.list('customers.list', '/customers', ServicePowerCustomerWire, paging, filters);
  }

  getCustomer(id: string) {
    return this.getOne('customers.get', path`/customers/${id}`, ServicePowerCustomerWire);
  }

  listLocations(paging: PageParams, filters: { updatedFrom?: string } = {}) {
    return this.list('locations.list', '/locations', ServicePowerLocationWire, paging, filters);
  }

  getLocation(id: string) {
    return this.getOne('locations.get', path`/locations/${id}`, ServicePowerLocationWire);
  }

  listEquipment(paging: PageParams, filters: { updatedFrom?: string } = {}) {
    return this.list('equipment.list', '/equipment', ServicePowerEquipmentWire, paging, filters);
  }

  getEquipment(id: string) {
    return this.getOne('equipment.get', path`/equipment/${id}`, ServicePowerEquipmentWire);
  }

  /** `GET /technicians` (filters `providerId`, `region`, `skill`, `updatedFrom`). */
  listTechnicians(paging: PageParams, filters: { providerId?: string; region?: string; skill?: string; updatedFrom?: string } = {}) {
    return this.list('technicians.list', '/technicians', ServicePowerTechnicianWire, paging, filters);
  }

  getTechnician(id: string) {
    return this.getOne('technicians.get', path`/technicians/${id}`, ServicePowerTechnicianWire);
  }
}
