/**
 * Field Nation's HTTP specifics on {@link VendorHttpClient}: the OAuth password grant (one token
 * request however many calls need a token, re-authentication on 401 and on the legacy
 * `400 Expired token`), the token in the `access_token` query parameter, the client-side rate limit
 * under the per-API-user quota, the classification of problem+json and legacy error bodies, and
 * one method per endpoint the connector uses.
 */
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { queryTokenAuth } from '../core/auth.js';
import { defaultClassify, path, VendorHttpClient, type ClassifiedError, type QueryValue } from '../core/http-client.js';
import { sharedTokenCache, TokenCache } from '../core/token-cache.js';
import { ConnectorError, type ConnectorOptions } from '../types.js';
import { toFieldErrors } from './mapping.js';
import {
  FieldNationClientListWire,
  FieldNationClientWire,
  FieldNationCustomFieldDefListWire,
  FieldNationCustomFieldsWire,
  FieldNationIncompleteReasonListWire,
  FieldNationLocationListWire,
  FieldNationLocationWire,
  FieldNationProblemWire,
  FieldNationScheduleWire,
  FieldNationTalentPoolGroupListWire,
  FieldNationTokenWire,
  FieldNationTypeOfWorkListWire,
  FieldNationUserListWire,
  FieldNationUserWire,
  FieldNationWorkOrderListWire,
  FieldNationWorkOrderWire,
  type FieldNationAssigneeBodyWire,
  type FieldNationClientCreateWire,
  type FieldNationListWire,
  type FieldNationRouteBodyWire,
  type FieldNationScheduleBodyWire,
  type FieldNationTokenRequestWire,
  type FieldNationWorkOrderCreateWire,
} from './wire.js';

const VENDOR = 'fieldnation' as const;

/** Field Nation refuses `per_page` above 100. */
export const FIELD_NATION_MAX_PAGE_SIZE = 100;

/**
 * The quota the client stays under when none is configured: Field Nation does not publish its
 * numbers (per minute and per hour, per API user, shared by every integration of that user); 600
 * a minute is the figure the sandbox enforces.
 */
export const FIELD_NATION_DEFAULT_RATE_PER_MINUTE = 600;

/** Token lifetime when the token answer leaves `expires_in` out (documented: one hour). */
const DEFAULT_TOKEN_TTL_SECONDS = 3600;

/**
 * Token-bucket settings that stay under `perMinute` calls in any 60-second window: a burst of a
 * sixth of the quota and a steady rate for the rest, keeping 4% headroom (calls of other processes
 * of the same API user, clock drift against the vendor's window). Over any 60 s at most
 * `burst + 60 * perSecond` calls pass.
 */
export function rateLimitFor(perMinute: number): { perSecond: number; burst: number } {
  const budget = Math.floor(perMinute * 0.96);
  const burst = Math.max(1, Math.floor(perMinute / 6));
  return { perSecond: Math.max(0.01, (budget - burst) / 60), burst };
}

/** What the client needs to reach one Field Nation company as one API user. */
export interface FieldNationClientConfig {
  /** `https://api.fieldnation.com/api/rest/v2` */
  baseUrl: string;
  /** `https://api.fieldnation.com/authentication/api/oauth/token` */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  username: string;
  password: string;
  /** The token request's body encoding: JSON (current docs, default) or form fields (legacy docs). */
  tokenRequestEncoding?: 'json' | 'form' | undefined;
  /** The API user's quota; default {@link FIELD_NATION_DEFAULT_RATE_PER_MINUTE}. */
  rateLimitPerMinute?: number | undefined;
}

/** Hides anything that looks like a token in a vendor's text before it goes into an error message. */
function scrub(text: string): string {
  return text.replace(/(access_token|refresh_token|token)(["'=:\s]+)[A-Za-z0-9._~+/-]{8,}/gi, '$1$2[redacted]').slice(0, 300);
}

/**
 * The error kind and message of a Field Nation error answer: problem+json (`code`, `detail`,
 * `errors[]`, the 429 `agent.backoffMs` hint), legacy `{status|status_code, message}`, OAuth
 * `{error, error_description}`. Messages carry the vendor's code and detail, never the body.
 */
export function classifyFieldNationError(status: number, body: unknown, text: string): ClassifiedError {
  const parsed = FieldNationProblemWire.safeParse(body);
  const p = parsed.success ? parsed.data : {};
  const { kind } = defaultClassify(status);
  const code = p.code ?? p.error ?? undefined;
  const detail = p.detail ?? p.message ?? p.error_description ?? p.title ?? (parsed.success ? undefined : text.trim().slice(0, 120)) ?? '';
  const fieldErrors = kind === 'invalid_request' && parsed.success ? toFieldErrors(p) : [];
  const backoff = status === 429 ? p.agent?.backoffMs : undefined;
  return {
    kind,
    message: scrub(`HTTP ${status}${code ? ` ${code}` : ''}${detail ? `: ${detail}` : ''}`),
    ...(fieldErrors.length ? { fieldErrors } : {}),
    ...(code ? { vendorCode: code } : {}),
    ...(typeof backoff === 'number' && backoff > 0 ? { retryAfterMs: backoff } : {}),
  };
}

const fetchIds = new WeakMap<object, number>();
let fetchCount = 0;
/** A number per fetch implementation: a test's fake fetch must not share a token fetched through another. */
function fetchId(f: typeof fetch): number {
  let id = fetchIds.get(f);
  if (id === undefined) fetchIds.set(f, (id = ++fetchCount));
  return id;
}

/** Paging of a list call (1-based page). */
export interface PageParams {
  page: number;
  perPage: number;
}

/** The Field Nation API of one company and API user. */
export class FieldNationClient {
  readonly http: VendorHttpClient;
  /** The access tokens (exposed for tests and metrics: `tokens.requests`). */
  readonly tokens: TokenCache;
  private readonly tokenHttp: VendorHttpClient;

  constructor(config: FieldNationClientConfig, options: ConnectorOptions = {}) {
    // One key per API user: limiter, breaker and retry budget are shared by every client of that
    // user in the process (the quota is per API user), and the token endpoint shares the breaker.
    const key = `${VENDOR}:${config.baseUrl.replace(/\/$/, '')}:${config.username.toLowerCase()}`;
    const common = {
      vendor: VENDOR,
      rateLimitKey: key,
      classify: classifyFieldNationError,
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.retry ? { retry: options.retry } : {}),
      ...(options.breaker ? { breaker: options.breaker } : {}),
      ...(options.events ? { events: options.events } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    };
    this.tokenHttp = new VendorHttpClient({ ...common, baseUrl: config.tokenUrl });
    const credentials: FieldNationTokenRequestWire = {
      grant_type: 'password',
      client_id: config.clientId,
      client_secret: config.clientSecret,
      username: config.username,
      password: config.password,
    };
    // Refresh tokens are not honoured (legacy docs): every new token is a new password grant.
    const issue = async () => {
      const r = await this.tokenHttp.request({
        operation: 'oauth.token',
        method: 'POST',
        path: '',
        auth: false,
        // A token request creates nothing the vendor keeps: safe to repeat.
        idempotent: true,
        ...(config.tokenRequestEncoding === 'form' ? { form: { ...credentials } } : { json: credentials }),
        schema: FieldNationTokenWire,
      });
      return { token: r.access_token, expiresAt: Date.now() + (r.expires_in ?? DEFAULT_TOKEN_TTL_SECONDS) * 1000 };
    };
    // Connectors are built per request; the API user's one-hour token is not: one token cache per
    // credentials (hashed in), call policy and fetch for the whole process, with its single-flight
    // refresh shared by every connector of that API user.
    const fingerprint = createHash('sha256')
      .update(JSON.stringify([config.tokenUrl, credentials, config.tokenRequestEncoding ?? 'json', options.timeoutMs ?? null, options.retry ?? null, options.breaker ?? null]))
      .digest('hex');
    this.tokens = sharedTokenCache(`${VENDOR}:${fingerprint}:${fetchId(options.fetch ?? fetch)}`, () => new TokenCache({ fetch: issue }));
    this.http = new VendorHttpClient({
      ...common,
      baseUrl: config.baseUrl,
      auth: queryTokenAuth(this.tokens, 'access_token'),
      rateLimit: rateLimitFor(config.rateLimitPerMinute ?? FIELD_NATION_DEFAULT_RATE_PER_MINUTE),
    });
  }

  private get<T>(operation: string, p: string, schema: z.ZodType<T>, query?: Record<string, QueryValue>): Promise<T> {
    return this.http.request({ operation, method: 'GET', path: p, schema, ...(query ? { query } : {}) });
  }

  /** A single read: null on 404. */
  private async maybe<T>(read: () => Promise<T>): Promise<T | null> {
    try {
      return await read();
    } catch (e) {
      if (e instanceof ConnectorError && e.kind === 'not_found') return null;
      throw e;
    }
  }

  private page(p: PageParams): Record<string, QueryValue> {
    return { page: p.page, per_page: Math.min(FIELD_NATION_MAX_PAGE_SIZE, Math.max(1, p.perPage)) };
  }

  /** Signs in (when no token is cached) and makes one cheap authenticated call. */
  async ping(): Promise<void> {
    await this.listTypesOfWork({ page: 1, perPage: 1 });
  }

  // ---------------------------------------------------------------- work orders

  /**
   * One page of work orders. The list is sticky per API user by default (the list, sort and
   * filters of a call are saved and reused by later calls that omit them), so every call sends
   * `sticky=false` and an explicit `list`, sort and order: nothing another integration of the same
   * user saved can narrow or reorder our walk.
   */
  listWorkOrders(
    p: PageParams,
    filters: Record<string, string> = {},
    order: { sort: string; order: 'asc' | 'desc' } = { sort: 'id', order: 'asc' },
  ): Promise<FieldNationListWire<z.output<typeof FieldNationWorkOrderWire>>> {
    return this.get('workorders.list', '/workorders', FieldNationWorkOrderListWire, {
      sticky: 'false',
      list: 'workorders_all',
      sort: order.sort,
      order: order.order,
      ...this.page(p),
      ...filters,
    });
  }

  getWorkOrder(id: string) {
    return this.maybe(() => this.get('workorders.get', path`/workorders/${id}`, FieldNationWorkOrderWire));
  }

  createWorkOrder(body: FieldNationWorkOrderCreateWire) {
    return this.http.request({ operation: 'workorders.create', method: 'POST', path: '/workorders', json: body, schema: FieldNationWorkOrderWire });
  }

  getCustomFields(id: string) {
    return this.get('workorders.customFields.get', path`/workorders/${id}/custom_fields`, FieldNationCustomFieldsWire);
  }

  /** Replaces the service window (both start and end are sent, so it is safe to repeat). */
  putSchedule(id: string, body: FieldNationScheduleBodyWire) {
    return this.http.request({ operation: 'workorders.schedule.update', method: 'PUT', path: path`/workorders/${id}/schedule`, json: body, idempotent: true, schema: FieldNationScheduleWire });
  }

  private action(operation: string, method: 'POST' | 'DELETE', p: string, json?: unknown, query?: Record<string, QueryValue>) {
    return this.http.request({
      operation,
      method,
      path: p,
      ...(json !== undefined ? { json } : {}),
      ...(query ? { query } : {}),
      schema: FieldNationWorkOrderWire,
    });
  }

  publish(id: string) {
    return this.action('workorders.publish', 'POST', path`/workorders/${id}/publish`);
  }

  revertToDraft(id: string) {
    return this.action('workorders.draft', 'POST', path`/workorders/${id}/draft`);
  }

  /** Routes to one provider with the documented body `{technician: {id}}`. */
  route(id: string, userId: number) {
    const body: FieldNationRouteBodyWire = { technician: { id: userId } };
    return this.action('workorders.route', 'POST', path`/workorders/${id}/route`, body);
  }

  assign(id: string, userId: number) {
    const body: FieldNationAssigneeBodyWire = { user: { id: userId } };
    return this.action('workorders.assign', 'POST', path`/workorders/${id}/assignee`, body);
  }

  unassign(id: string) {
    return this.action('workorders.unassign', 'DELETE', path`/workorders/${id}/assignee`);
  }

  approve(id: string) {
    return this.action('workorders.approve', 'POST', path`/workorders/${id}/approve`);
  }

  /** Marks done work incomplete (Work Done back to Assigned). */
  incomplete(id: string, reason: string, reasonId: number) {
    return this.action('workorders.incomplete', 'DELETE', path`/workorders/${id}/complete`, undefined, { reason, reason_id: reasonId });
  }

  /** Cancels (DELETE with the required `cancel_reason`). */
  cancel(id: string, reason: string) {
    return this.action('workorders.cancel', 'DELETE', path`/workorders/${id}`, undefined, { cancel_reason: reason });
  }

  // ---------------------------------------------------------------- directory

  listClients(p: PageParams) {
    return this.get('clients.list', '/clients', FieldNationClientListWire, this.page(p));
  }

  getClient(id: string) {
    return this.maybe(() => this.get('clients.get', path`/clients/${id}`, FieldNationClientWire));
  }

  createClient(body: FieldNationClientCreateWire) {
    return this.http.request({ operation: 'clients.create', method: 'POST', path: '/clients', json: body, schema: FieldNationClientWire });
  }

  /** Saved locations, optionally of some clients (`f_client` takes several ids). */
  listLocations(p: PageParams, clientIds?: readonly string[]) {
    return this.get('locations.list', '/locations', FieldNationLocationListWire, { ...this.page(p), ...(clientIds ? { f_client: clientIds } : {}) });
  }

  getLocation(id: string) {
    return this.maybe(() => this.get('locations.get', path`/locations/${id}`, FieldNationLocationWire));
  }

  getUser(id: string) {
    return this.maybe(() => this.get('users.get', path`/users/${id}`, FieldNationUserWire));
  }

  /** Talent pool groups: the API has no provider search, so providers are enumerated through them. */
  listTalentPoolGroups(p: PageParams) {
    return this.get('talentPools.list', '/talent-pools', FieldNationTalentPoolGroupListWire, this.page(p));
  }

  listTalentPoolUsers(groupId: string, p: PageParams) {
    return this.get('talentPools.users', path`/talent-pools/${groupId}/users`, FieldNationUserListWire, this.page(p));
  }

  listTypesOfWork(p: PageParams = { page: 1, perPage: FIELD_NATION_MAX_PAGE_SIZE }) {
    return this.get('typesOfWork.list', '/types-of-work', FieldNationTypeOfWorkListWire, this.page(p));
  }

  listCustomFieldDefs(p: PageParams = { page: 1, perPage: FIELD_NATION_MAX_PAGE_SIZE }) {
    return this.get('customFields.list', '/custom-fields', FieldNationCustomFieldDefListWire, this.page(p));
  }

  listIncompleteReasons(p: PageParams = { page: 1, perPage: FIELD_NATION_MAX_PAGE_SIZE }) {
    return this.get('incompleteReasons.list', '/incomplete-reasons', FieldNationIncompleteReasonListWire, this.page(p));
  }
}
