/**
 * ServiceTitan HTTP specifics on the shared {@link VendorHttpClient}: the OAuth 2.0 client
 * credentials token (form-encoded, 900 s, no refresh token; cached per credentials for the whole
 * process, refreshed early and single-flight because the token endpoint is throttled), the
 * `ST-App-Key` header on every call, the tenant in every path, RFC 7807 error bodies, and a
 * client-side limit under the documented 60 requests per second per app and tenant.
 *
 * Every method throws {@link ConnectorError}; single reads answer `null` for a 404.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { bearerAuth } from '../core/auth.js';
import { path, VendorHttpClient, type AuthStrategy, type ClassifiedError, type QueryValue, type VendorHttpOptions } from '../core/http-client.js';
import { sharedTokenCache, TokenCache } from '../core/token-cache.js';
import { ConnectorError, type ConnectorErrorKind, type ConnectorOptions } from '../types.js';
import { problemFieldErrors } from './mapping.js';
import {
  serviceTitanPageWire,
  ServiceTitanAppointmentWire,
  ServiceTitanAssignmentWire,
  ServiceTitanBusinessUnitWire,
  ServiceTitanCampaignWire,
  ServiceTitanCreatedCustomerWire,
  ServiceTitanCustomerContactWire,
  ServiceTitanCustomerWire,
  ServiceTitanDurationBillingWire,
  ServiceTitanEmptyWire,
  ServiceTitanInstalledEquipmentWire,
  ServiceTitanInvoiceWire,
  ServiceTitanJobTypeWire,
  ServiceTitanJobWire,
  ServiceTitanLocationWire,
  ServiceTitanMembershipSaleResultWire,
  ServiceTitanMembershipTypeWire,
  ServiceTitanMembershipWire,
  ServiceTitanOAuthErrorWire,
  ServiceTitanPricebookServiceWire,
  ServiceTitanProblemWire,
  ServiceTitanReasonWire,
  ServiceTitanTechnicianWire,
  ServiceTitanTokenWire,
  type ServiceTitanAppointmentAddWire,
  type ServiceTitanAssignTechniciansWire,
  type ServiceTitanCompleteJobWire,
  type ServiceTitanCustomerCreateWire,
  type ServiceTitanJobCreateWire,
  type ServiceTitanLocationCreateWire,
  type ServiceTitanMembershipSaleWire,
  type ServiceTitanPageWire,
  type ServiceTitanReasonInWire,
  type ServiceTitanRescheduleWire,
} from './wire.js';

const VENDOR = 'servicetitan' as const;

/** Ids per `ids=` (and per multi-valued filter such as `appointmentIds`): ST-SPEC "maximum 50". */
export const SERVICETITAN_MAX_IDS = 50;
/** Largest `pageSize` (not stated by ST-SPEC; 500 is what practitioners use and the sandbox enforces). */
export const SERVICETITAN_MAX_PAGE_SIZE = 500;

/**
 * Default client-side limit, shared by every client of one app key and tenant in the process.
 * ServiceTitan allows 60 requests per second per app and tenant (ST-FAQ); a token bucket lets at
 * most `perSecond + burst` calls through in any second, so 45 + 10 = 55 leaves room for network
 * jitter bunching calls into one of the vendor's windows.
 */
export const SERVICETITAN_DEFAULT_RATE_LIMIT = { perSecond: 45, burst: 10 } as const;

/** What the client needs to reach one tenant. */
export interface ServiceTitanClientConfig {
  /** OAuth token endpoint (`https://auth.servicetitan.io/connect/token`). */
  tokenUrl: string;
  /** API host (`https://api.servicetitan.io`). */
  apiBaseUrl: string;
  clientId: string;
  clientSecret: string;
  appKey: string;
  tenant: string;
  /** `externalData` of reads is this application's (`externalDataApplicationGuid`). */
  applicationGuid?: string | undefined;
  rateLimit?: { perSecond: number; burst: number } | undefined;
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

const OAUTH_KIND: Readonly<Record<string, ConnectorErrorKind>> = {
  invalid_client: 'unauthorized',
  unauthorized_client: 'unauthorized',
  invalid_grant: 'unauthorized',
  invalid_scope: 'forbidden',
  access_denied: 'forbidden',
  rate_limited: 'rate_limited',
  temporarily_unavailable: 'unavailable',
  server_error: 'unavailable',
};

/**
 * Reads ServiceTitan's error bodies: RFC 7807 on the API (`title` as the message, `errors` as
 * field errors, `data.reason`/`data.code` as the vendor code), OAuth `{error}` on the token
 * endpoint (`invalid_client` is an authentication failure, whatever the status). The status
 * decides the kind otherwise. Messages are the vendor's short title, capped; never the body.
 */
export function classifyServiceTitanError(status: number, body: unknown): ClassifiedError {
  const oauth = ServiceTitanOAuthErrorWire.safeParse(body);
  if (oauth.success) {
    const kind = status === 429 || status >= 500 ? kindOfStatus(status) : (OAUTH_KIND[oauth.data.error] ?? kindOfStatus(status));
    return { kind, message: `token endpoint refused: ${oauth.data.error}`, vendorCode: oauth.data.error };
  }
  const p = ServiceTitanProblemWire.safeParse(body);
  if (!p.success || typeof body !== 'object' || body === null) return { kind: kindOfStatus(status), message: `HTTP ${status}` };
  const data = p.data.data ?? {};
  const code = typeof data.reason === 'string' ? data.reason : typeof data.code === 'string' ? data.code : undefined;
  const fieldErrors = problemFieldErrors(p.data);
  const message = (p.data.title ?? `HTTP ${status}`).replace(/\s+/g, ' ').slice(0, 200);
  return { kind: kindOfStatus(status), message, ...(fieldErrors.length ? { fieldErrors } : {}), ...(code ? { vendorCode: code } : {}) };
}

/**
 * `Authorization: Bearer <token>` plus `ST-App-Key`. A 401 means the token is no longer good,
 * unless the vendor says the app key is what it refused: a new token would not help then, and
 * fetching one per call would run into the token endpoint's throttle.
 */
export function serviceTitanAuth(cache: TokenCache, appKey: string): AuthStrategy {
  const bearer = bearerAuth(cache, { 'st-app-key': appKey });
  return {
    ...bearer,
    isAuthFailure: (status, body) => {
      if (status !== 401) return false;
      const p = ServiceTitanProblemWire.safeParse(body);
      if (!p.success) return true;
      const reason = typeof p.data.data?.reason === 'string' ? p.data.data.reason : '';
      return !/app[_-]?key/i.test(`${reason} ${p.data.title ?? ''}`);
    },
  };
}

const fetchIds = new WeakMap<object, number>();
let fetchCount = 0;
/** A number per fetch implementation, so a test's fake fetch never shares a token fetched through another. */
function fetchId(f: typeof fetch): number {
  let id = fetchIds.get(f);
  if (id === undefined) fetchIds.set(f, (id = ++fetchCount));
  return id;
}

/** Query of a list call: paging plus filters (arrays are sent comma-separated). */
export type ListParams = Record<string, QueryValue>;

/** The list endpoints the connector reads, by module and resource. */
export const LIST_ENDPOINTS = {
  customers: { module: 'crm', resource: 'customers', schema: ServiceTitanCustomerWire },
  // The bulk contact read: needs a modified-on bound (modifiedOnOrAfter or modifiedBefore).
  customerContacts: { module: 'crm', resource: 'customers/contacts', schema: ServiceTitanCustomerContactWire, operation: 'customerContacts.list' },
  locations: { module: 'crm', resource: 'locations', schema: ServiceTitanLocationWire },
  equipment: { module: 'equipmentsystems', resource: 'installed-equipment', schema: ServiceTitanInstalledEquipmentWire },
  technicians: { module: 'settings', resource: 'technicians', schema: ServiceTitanTechnicianWire },
  jobs: { module: 'jpm', resource: 'jobs', schema: ServiceTitanJobWire },
  appointments: { module: 'jpm', resource: 'appointments', schema: ServiceTitanAppointmentWire },
  assignments: { module: 'dispatch', resource: 'appointment-assignments', schema: ServiceTitanAssignmentWire },
  invoices: { module: 'accounting', resource: 'invoices', schema: ServiceTitanInvoiceWire },
  memberships: { module: 'memberships', resource: 'memberships', schema: ServiceTitanMembershipWire },
  jobTypes: { module: 'jpm', resource: 'job-types', schema: ServiceTitanJobTypeWire },
  cancelReasons: { module: 'jpm', resource: 'job-cancel-reasons', schema: ServiceTitanReasonWire },
  holdReasons: { module: 'jpm', resource: 'job-hold-reasons', schema: ServiceTitanReasonWire },
  businessUnits: { module: 'settings', resource: 'business-units', schema: ServiceTitanBusinessUnitWire },
  campaigns: { module: 'marketing', resource: 'campaigns', schema: ServiceTitanCampaignWire },
  membershipTypes: { module: 'memberships', resource: 'membership-types', schema: ServiceTitanMembershipTypeWire },
  pricebookServices: { module: 'pricebook', resource: 'services', schema: ServiceTitanPricebookServiceWire },
} as const;

/** A list endpoint's name. */
export type ListEndpoint = keyof typeof LIST_ENDPOINTS;

/** The lists that return `externalData` (and so take `externalDataApplicationGuid`). */
const WITH_GUID: ReadonlySet<ListEndpoint> = new Set(['customers', 'locations', 'jobs']);

/** The operation name of a list endpoint, for errors, logs and metrics. */
function operationOf(endpoint: ListEndpoint): string {
  const e = LIST_ENDPOINTS[endpoint];
  return 'operation' in e ? e.operation : `${e.resource}.list`;
}

/** The item schema of {@link ServiceTitanClient.listUnchecked}: anything, checked later. */
const UNCHECKED = z.unknown();
/** The item type of a list endpoint. */
export type ListItem<E extends ListEndpoint> = z.output<(typeof LIST_ENDPOINTS)[E]['schema']>;

/** The ServiceTitan API of one tenant. */
export class ServiceTitanClient {
  readonly http: VendorHttpClient;
  /** The access token cache (client credentials, early single-flight refresh), shared per credentials. */
  readonly tokens: TokenCache;
  private readonly tenant: string;
  private readonly guid: string | undefined;

  constructor(config: ServiceTitanClientConfig, options: ConnectorOptions = {}) {
    this.tenant = config.tenant;
    this.guid = config.applicationGuid;
    const common: Omit<VendorHttpOptions, 'baseUrl'> = {
      vendor: VENDOR,
      timeoutMs: options.timeoutMs ?? 10_000,
      ...(options.retry ? { retry: options.retry } : {}),
      ...(options.breaker ? { breaker: options.breaker } : {}),
      classify: (status, body) => classifyServiceTitanError(status, body),
      ...(options.events ? { events: options.events } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    };
    // The token endpoint lives on its own host (auth.servicetitan.io) with its own throttle: its
    // client has its own breaker and no share of the API's rate limit.
    const tokenUrl = config.tokenUrl;
    const auth = new VendorHttpClient({ ...common, baseUrl: tokenUrl, rateLimitKey: `${VENDOR}:token:${tokenUrl}:${config.clientId}` });
    // One token per credential pair for the whole process (connectors are built per request; the
    // token endpoint is throttled). Clients that call differently (fetch, timeout, breaker or retry
    // policy) keep their own, so a token is only ever fetched the way its client would fetch it.
    const fingerprint = createHash('sha256')
      .update(JSON.stringify([tokenUrl, config.clientId, config.clientSecret, common.timeoutMs, options.breaker ?? null, options.retry ?? null, options.fetch ? fetchId(options.fetch) : 0]))
      .digest('hex');
    this.tokens = sharedTokenCache(`${VENDOR}:${fingerprint}`, () =>
      new TokenCache({
        fetch: async () => {
          const t = await auth.request({
            operation: 'token.create',
            method: 'POST',
            path: '',
            auth: false,
            // A token request creates nothing the vendor keeps: safe to repeat.
            idempotent: true,
            form: { grant_type: 'client_credentials', client_id: config.clientId, client_secret: config.clientSecret },
            schema: ServiceTitanTokenWire,
          });
          return { token: t.access_token, expiresAt: Date.now() + t.expires_in * 1000 };
        },
      }),
    );
    this.http = new VendorHttpClient({
      ...common,
      baseUrl: config.apiBaseUrl,
      auth: serviceTitanAuth(this.tokens, config.appKey),
      rateLimit: config.rateLimit ?? SERVICETITAN_DEFAULT_RATE_LIMIT,
      // ST-FAQ: the limit is per application and tenant.
      rateLimitKey: `${VENDOR}:${config.apiBaseUrl.replace(/\/$/, '')}:${config.appKey}:${config.tenant}`,
    });
  }

  /** `/{module}/v2/tenant/{tenant}` */
  private base(module: string): string {
    return `/${module}/v2/tenant${path`/${this.tenant}`}`;
  }

  /** `externalDataApplicationGuid` for reads that return `externalData`. */
  private get guidParam(): ListParams {
    return this.guid ? { externalDataApplicationGuid: this.guid } : {};
  }

  /** One page of a list endpoint. */
  async list<E extends ListEndpoint>(endpoint: E, params: ListParams): Promise<ServiceTitanPageWire<ListItem<E>>> {
    return (await this.page(endpoint, params, LIST_ENDPOINTS[endpoint].schema)) as ServiceTitanPageWire<ListItem<E>>;
  }

  /**
   * One page of a list endpoint, its envelope checked and its items not ({@link checkItem} checks
   * one): for a walk of a whole list that keeps a few of its items.
   */
  listUnchecked(endpoint: ListEndpoint, params: ListParams): Promise<ServiceTitanPageWire<unknown>> {
    return this.page(endpoint, params, UNCHECKED);
  }

  /** One page of a list endpoint, its items checked with `item`. */
  private page(endpoint: ListEndpoint, params: ListParams, item: z.ZodType): Promise<ServiceTitanPageWire<unknown>> {
    const e = LIST_ENDPOINTS[endpoint];
    return this.http.request({
      operation: operationOf(endpoint),
      method: 'GET',
      path: `${this.base(e.module)}/${e.resource}`,
      query: { ...params, ...(WITH_GUID.has(endpoint) ? this.guidParam : {}) },
      schema: serviceTitanPageWire(item),
    });
  }

  /** An item of a page of {@link listUnchecked}, checked as {@link list} checks them (throws `bad_response`). */
  checkItem<E extends ListEndpoint>(endpoint: E, item: unknown): ListItem<E> {
    return this.http.check(LIST_ENDPOINTS[endpoint].schema as unknown as z.ZodType<ListItem<E>>, item, operationOf(endpoint));
  }

  /** Every item of a list endpoint (pages of `pageSize`, default the maximum). */
  async listAll<E extends ListEndpoint>(endpoint: E, params: ListParams, pageSize = SERVICETITAN_MAX_PAGE_SIZE): Promise<Array<ListItem<E>>> {
    const out: Array<ListItem<E>> = [];
    for (let page = 1; ; page++) {
      const p = await this.list(endpoint, { ...params, page, pageSize });
      out.push(...p.data);
      if (!p.hasMore || p.data.length === 0) return out;
    }
  }

  private async getOne<T>(operation: string, p: string, schema: z.ZodType<T>, query: ListParams = {}): Promise<T | null> {
    try {
      return await this.http.request({ operation, method: 'GET', path: p, query, schema });
    } catch (e) {
      if (e instanceof ConnectorError && e.kind === 'not_found') return null;
      throw e;
    }
  }

  /** `GET jpm jobs/{id}`; null when there is no such job. */
  getJob(id: string | number): Promise<z.output<typeof ServiceTitanJobWire> | null> {
    return this.getOne('jobs.get', `${this.base('jpm')}${path`/jobs/${id}`}`, ServiceTitanJobWire, this.guidParam);
  }

  /** `GET memberships memberships/{id}`; null when there is no such membership. */
  getMembership(id: string | number): Promise<z.output<typeof ServiceTitanMembershipWire> | null> {
    return this.getOne('memberships.get', `${this.base('memberships')}${path`/memberships/${id}`}`, ServiceTitanMembershipWire);
  }

  /** The duration/billing options of a membership type (a plain array); null for an unknown type. */
  durationBillingItems(membershipTypeId: string): Promise<Array<z.output<typeof ServiceTitanDurationBillingWire>> | null> {
    return this.getOne(
      'membershipTypes.durationBillingItems',
      `${this.base('memberships')}${path`/membership-types/${membershipTypeId}/duration-billing-items`}`,
      (ServiceTitanDurationBillingWire.array() as z.ZodType<Array<z.output<typeof ServiceTitanDurationBillingWire>>>),
      { active: 'True' },
    );
  }

  // ---------------------------------------------------------------- writes

  /** `POST crm customers` (with its first location). Not idempotent. */
  createCustomer(body: ServiceTitanCustomerCreateWire): Promise<z.output<typeof ServiceTitanCreatedCustomerWire>> {
    return this.http.request({ operation: 'customers.create', method: 'POST', path: `${this.base('crm')}/customers`, json: body, schema: ServiceTitanCreatedCustomerWire });
  }

  /** `POST crm locations`. Not idempotent. */
  createLocation(body: ServiceTitanLocationCreateWire): Promise<z.output<typeof ServiceTitanLocationWire>> {
    return this.http.request({ operation: 'locations.create', method: 'POST', path: `${this.base('crm')}/locations`, json: body, schema: ServiceTitanLocationWire });
  }

  /** `POST jpm jobs`. Not idempotent. */
  createJob(body: ServiceTitanJobCreateWire): Promise<z.output<typeof ServiceTitanJobWire>> {
    return this.http.request({ operation: 'jobs.create', method: 'POST', path: `${this.base('jpm')}/jobs`, json: body, schema: ServiceTitanJobWire });
  }

  /** `POST jpm appointments`: a new appointment of an existing job. Not idempotent. */
  addAppointment(body: ServiceTitanAppointmentAddWire): Promise<z.output<typeof ServiceTitanAppointmentWire>> {
    return this.http.request({ operation: 'appointments.create', method: 'POST', path: `${this.base('jpm')}/appointments`, json: body, schema: ServiceTitanAppointmentWire });
  }

  /** `PATCH jpm appointments/{id}/reschedule` to absolute times: repeating it changes nothing, so it is retried. */
  reschedule(id: string, body: ServiceTitanRescheduleWire): Promise<z.output<typeof ServiceTitanAppointmentWire>> {
    return this.http.request({
      operation: 'appointments.reschedule',
      method: 'PATCH',
      path: `${this.base('jpm')}${path`/appointments/${id}/reschedule`}`,
      json: body,
      idempotent: true,
      schema: ServiceTitanAppointmentWire,
    });
  }

  /**
   * `POST dispatch appointment-assignments/assign-technicians` or `/unassign-technicians`. Both
   * leave technicians already (un)assigned alone, so repeating one changes nothing: retried.
   */
  changeAssignments(mode: 'assign' | 'unassign', body: ServiceTitanAssignTechniciansWire): Promise<unknown> {
    return this.http.request({
      operation: `appointment-assignments.${mode}-technicians`,
      method: 'POST',
      path: `${this.base('dispatch')}/appointment-assignments/${mode}-technicians`,
      json: body,
      idempotent: true,
      schema: ServiceTitanEmptyWire,
    });
  }

  /** `PUT jpm jobs/{id}/cancel|hold|complete|remove-cancellation` (answer without body). Not idempotent: a repeat is a 409. */
  jobTransition(id: string, action: 'cancel' | 'hold' | 'complete' | 'remove-cancellation', body?: ServiceTitanReasonInWire | ServiceTitanCompleteJobWire): Promise<unknown> {
    return this.http.request({
      operation: `jobs.${action}`,
      method: 'PUT',
      path: `${this.base('jpm')}${path`/jobs/${id}/${action}`}`,
      ...(body ? { json: body } : {}),
      schema: ServiceTitanEmptyWire,
    });
  }

  /** `DELETE jpm appointments/{id}/hold`: the appointment (and a held job) is Scheduled again. */
  removeAppointmentHold(id: string): Promise<unknown> {
    return this.http.request({ operation: 'appointments.remove-hold', method: 'DELETE', path: `${this.base('jpm')}${path`/appointments/${id}/hold`}`, schema: ServiceTitanEmptyWire });
  }

  /** `POST memberships memberships/sale`: the membership and its sale invoice. Not idempotent. */
  sellMembership(body: ServiceTitanMembershipSaleWire): Promise<z.output<typeof ServiceTitanMembershipSaleResultWire>> {
    return this.http.request({ operation: 'memberships.sale', method: 'POST', path: `${this.base('memberships')}/memberships/sale`, json: body, schema: ServiceTitanMembershipSaleResultWire });
  }

  /** A token (cached) and one cheap authenticated call: proves credentials, app key and tenant. */
  async ping(): Promise<void> {
    await this.list('technicians', { page: 1, pageSize: 1 });
  }
}

