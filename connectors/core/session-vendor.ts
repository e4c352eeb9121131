/**
 * The API style of the session vendors (ServicePower, Sera, Astea Alliance: Supergood's unofficial
 * REST APIs), written once:
 * - connections: the sign-in fields and the client-side rate limit, and the sandbox's sign-in;
 * - the client: a {@link VendorHttpClient} with bearer auth on the process-wide session of the
 *   account (`POST /sessions` with Basic integration credentials, username, password, TOTP and,
 *   for Alliance, a tenant; `POST /sessions/refresh` while it lives);
 * - errors: the body `{error: {code, message, details[{field, message}]}, requestId}` to a
 *   {@link ClassifiedError};
 * - lists: the `{items, page, pageSize, total}` envelope, 1-based pages of at most 100.
 *
 * What differs between the vendors (error code tables, status quirks, rate-limit defaults and
 * scope, Alliance's tenant) comes in as parameters; nothing here names a vendor.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { VendorInfo } from '../sandbox/kit.js';
import { ConnectorError, type ConnectorErrorKind, type ConnectorOptions, type VendorFieldError, type VendorKey } from '../types.js';
import { bearerAuth, sessionTokenCache, type SessionCredentials } from './auth.js';
import { childrenByCheaperRead } from './cheaper-read.js';
import { defaultClassify, VendorHttpClient, type ClassifiedError, type QueryValue, type VendorHttpOptions } from './http-client.js';
import { shortText } from './normalize.js';
import { mapWithConcurrency } from './resilience.js';
import { sharedTokenCache, type TokenCache } from './token-cache.js';

// ---------------------------------------------------------------- connections

/** A client-side rate limit: calls a second on average, and how many may go at once. */
export const RateLimitSchema = z.object({ perSecond: z.number().positive(), burst: z.number().int().positive() });

/** A parsed {@link RateLimitSchema}. */
export type RateLimit = z.infer<typeof RateLimitSchema>;

/**
 * The fields of a flat session-vendor connection, to spread into the vendor's `z.object` (Alliance
 * adds its `tenant`). Every string is required and non-empty.
 */
export const SESSION_CONNECTION_FIELDS = {
  /** `https://api.supergood.ai/integrations/<integration_id>` (a trailing slash is fine). */
  baseUrl: z.url(),
  /** Integration client id (Basic credentials of `POST /sessions`). */
  clientId: z.string().min(1),
  /** Integration client secret (Basic credentials of `POST /sessions`). */
  clientSecret: z.string().min(1),
  /** The integration user. */
  username: z.string().min(1),
  /** The integration user's password. */
  password: z.string().min(1),
  /** Base32 TOTP secret of the integration user's MFA (the connector computes each code). */
  totpSecret: z.string().min(1),
  /** Client-side rate limit; absent: the vendor's default (see its client). */
  rateLimit: RateLimitSchema.optional(),
} as const;

/**
 * What a session-vendor client needs of one connection: where the integration is, its sign-in
 * (with a `tenant` for Alliance), and the connection's own rate limit if it sets one.
 */
export interface SessionConnection extends SessionCredentials {
  /** Base URL of the integration (a trailing slash is dropped). */
  baseUrl: string;
  /** The connection's client-side limit; absent: the vendor's default. */
  rateLimit?: RateLimit | undefined;
}

const SandboxAuth = z.object({
  clientId: z.string(),
  clientSecret: z.string(),
  username: z.string(),
  password: z.string(),
  tenant: z.string().optional(),
  mfa: z.object({ secret: z.string() }),
});

/**
 * The sign-in of a session vendor's simulator from its `/_sandbox` info, for the vendor's
 * `connectionFromSandbox` to parse into its connection. Throws a `ZodError` when `info.auth` is
 * not a session sign-in.
 */
export function sandboxSignIn(info: VendorInfo): SessionConnection {
  const auth = SandboxAuth.parse(info.auth);
  return {
    baseUrl: info.baseUrl,
    clientId: auth.clientId,
    clientSecret: auth.clientSecret,
    username: auth.username,
    password: auth.password,
    totpSecret: auth.mfa.secret,
    ...(auth.tenant !== undefined ? { tenant: auth.tenant } : {}),
  };
}

// ---------------------------------------------------------------- errors

/** The error body of every failed call: `{error: {code, message, details: [{field, message}]}, requestId}`; tolerant of nulls. */
export const SessionErrorWire = z.object({
  error: z.object({
    code: z.string().nullish(),
    message: z.string().nullish(),
    details: z.array(z.object({ field: z.string().nullish(), message: z.string().nullish() })).nullish(),
  }),
  requestId: z.string().nullish(),
});
/** A parsed {@link SessionErrorWire}. */
export type SessionErrorWire = z.infer<typeof SessionErrorWire>;

/** How one vendor's error bodies read: its differences from the shared rules of {@link classifySessionError}. */
export interface SessionErrorPolicy {
  /**
   * The vendor's error codes and their kinds: a listed code decides the kind of a 4xx other than
   * 429. Absent: the status alone decides.
   */
  codeKinds?: Readonly<Record<string, ConnectorErrorKind>>;
  /** Statuses whose kind differs from {@link defaultClassify} for this vendor (Alliance: 408 and 504 are `timeout`). */
  statusKinds?: Readonly<Record<number, ConnectorErrorKind>>;
  /** What the message shows besides the vendor's text: its code as a prefix (`code: text`), its request id as a suffix. */
  message?: { code?: boolean; requestId?: boolean };
}

/**
 * The `details` of an error body as field errors, in the vendor's field names: entries with
 * neither field nor message dropped, a missing field named `body`, a missing message `Invalid.`,
 * both on one line and at most 200 characters.
 */
export function toSessionFieldErrors(details: SessionErrorWire['error']['details']): VendorFieldError[] {
  return (details ?? [])
    .filter((d) => d.field || d.message)
    .map((d) => ({ field: shortText(d.field) ?? 'body', message: shortText(d.message) ?? 'Invalid.' }));
}

/**
 * A session vendor's failed response as a {@link ClassifiedError}. The kind: by status
 * ({@link defaultClassify}, overridden by `policy.statusKinds`) for 429 and 5xx; otherwise by the
 * vendor's code when `policy.codeKinds` lists it, else by status. The message is the vendor's,
 * on one line and capped (never the body), or `HTTP <status>`; `fieldErrors` (possibly empty) and
 * `vendorCode` come from the body. A body that is not the vendor's error shape (an HTML page from
 * a proxy) gives the status alone: `{kind, message: 'HTTP <status>'}`. Pure; never throws.
 */
export function classifySessionError(status: number, body: unknown, policy: SessionErrorPolicy = {}): ClassifiedError {
  const byStatus = policy.statusKinds && Object.hasOwn(policy.statusKinds, status) ? policy.statusKinds[status]! : defaultClassify(status).kind;
  const parsed = SessionErrorWire.safeParse(body);
  if (!parsed.success) return { kind: byStatus, message: `HTTP ${status}` };
  const { error, requestId } = parsed.data;
  const code = error.code?.trim() || undefined;
  const byCode = code && policy.codeKinds && Object.hasOwn(policy.codeKinds, code) ? policy.codeKinds[code] : undefined;
  const kind = status === 429 || status >= 500 ? byStatus : (byCode ?? byStatus);
  const text = shortText(error.message);
  let message = (policy.message?.code && code ? [code, text].filter(Boolean).join(': ') : text) || `HTTP ${status}`;
  if (policy.message?.requestId && requestId) message = `${message} (request ${requestId.slice(0, 64)})`;
  return { kind, message, fieldErrors: toSessionFieldErrors(error.details), ...(code ? { vendorCode: code } : {}) };
}

// ---------------------------------------------------------------- the client

/** What {@link createSessionClient} needs: the vendor's parameters and one connection's sign-in. */
export interface SessionClientConfig {
  vendor: VendorKey;
  /** The connection; its `tenant` is sent at sign-in when set (Alliance). */
  connection: SessionConnection;
  /** The vendor's client-side limit, for connections that set none. */
  defaultRateLimit: RateLimit;
  /**
   * Who shares one client-side limiter, breaker and retry budget: each integration `user` (the
   * default), or every connection of the `integration` (base URL).
   */
  limitScope?: 'user' | 'integration';
  /** How the vendor's error bodies read. */
  errors: SessionErrorPolicy;
  /** Timeout, retry and breaker policy, events, fetch (the rest is the connector's). */
  options?: ConnectorOptions;
  /** Clock of the session (ms since epoch), for tests; a client given one gets a session of its own. */
  now?: () => number;
}

/** The HTTP client of one session-vendor connection and the session it signs calls with. */
export interface SessionClient {
  /** Calls with `Authorization: Bearer <session token>`; a refused token is renewed once. */
  http: VendorHttpClient;
  /** The session token cache: sign-in with TOTP, refresh while valid, single flight; shared per account. */
  sessions: TokenCache;
}

// A fetch implementation or an events hook gets a number, so that a client built with another
// fetch (a test's fake) or other hooks never shares a session whose sign-in calls go through the
// first client's.
const objectIds = new WeakMap<object, number>();
let objectCount = 0;
function objectId(o: object | undefined): number {
  if (o === undefined) return 0;
  let id = objectIds.get(o);
  if (id === undefined) objectIds.set(o, (id = ++objectCount));
  return id;
}

/**
 * Builds the client of one session-vendor connection. Sign-in calls go through a client of their
 * own (no bearer token) that shares the connection's limiter, breaker and retry budget. The
 * session is one per account for the whole process (connectors are built per request, and a TOTP
 * code may not be accepted twice within its 30-second step): its key is the base URL, a hash of
 * every credential, and everything that configures the sign-in client (timeout, retry and breaker
 * policy, rate limit, fetch, events), since the session keeps the client of whichever connector
 * made it first. Throws nothing itself; calls throw {@link ConnectorError}.
 */
export function createSessionClient(config: SessionClientConfig): SessionClient {
  const options = config.options ?? {};
  const baseUrl = config.connection.baseUrl.replace(/\/$/, '');
  const base: VendorHttpOptions = {
    vendor: config.vendor,
    baseUrl,
    timeoutMs: options.timeoutMs ?? 10_000,
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.breaker ? { breaker: options.breaker } : {}),
    rateLimit: config.connection.rateLimit ?? config.defaultRateLimit,
    rateLimitKey: config.limitScope === 'integration' ? `${config.vendor}:${baseUrl}` : `${config.vendor}:${baseUrl}:${config.connection.username.toLowerCase()}`,
    classify: (status, body) => classifySessionError(status, body, config.errors),
    ...(options.events ? { events: options.events } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  };
  const c = config.connection;
  const credentials: SessionCredentials = {
    clientId: c.clientId,
    clientSecret: c.clientSecret,
    username: c.username,
    password: c.password,
    totpSecret: c.totpSecret,
    ...(c.tenant !== undefined ? { tenant: c.tenant } : {}),
  };
  let sessions: TokenCache;
  if (config.now) {
    sessions = sessionTokenCache(new VendorHttpClient(base), credentials, config.now);
  } else {
    const hash = createHash('sha256')
      .update(
        JSON.stringify([
          credentials.clientId,
          credentials.clientSecret,
          credentials.username,
          credentials.password,
          credentials.tenant ?? null,
          credentials.totpSecret,
          base.rateLimit,
          base.timeoutMs,
          options.retry ?? null,
          options.breaker ?? null,
        ]),
      )
      .digest('hex');
    const key = `${config.vendor}|${baseUrl}|${hash}|${objectId(options.fetch)}|${objectId(options.events)}`;
    sessions = sharedTokenCache(key, () => sessionTokenCache(new VendorHttpClient(base), credentials));
  }
  return { http: new VendorHttpClient({ ...base, auth: bearerAuth(sessions) }), sessions };
}

/** `read`'s result, or null when it fails as `not_found` (a single read or a parent's list whose record does not exist). Rethrows anything else. */
export async function nullIfNotFound<T>(read: Promise<T>): Promise<T | null> {
  try {
    return await read;
  } catch (e) {
    if (e instanceof ConnectorError && e.kind === 'not_found') return null;
    throw e;
  }
}

/** `GET path` parsed with `schema`; null when the vendor answers 404. Throws {@link ConnectorError}. */
export function getOrNull<T>(http: VendorHttpClient, operation: string, path: string, schema: z.ZodType<T>): Promise<T | null> {
  return nullIfNotFound(http.request({ operation, method: 'GET', path, schema }));
}

// ---------------------------------------------------------------- lists

/** Largest `pageSize` a session vendor's list takes (400 above). */
export const SESSION_MAX_PAGE_SIZE = 100;

/** The page of a list call: 1-based number and size. */
export interface PageParams {
  page: number;
  pageSize: number;
}

/** A list envelope `{items, page, pageSize, total}` ({@link sessionListWire}). */
export interface SessionListWire<T> {
  items: T[];
  page?: number | null | undefined;
  pageSize?: number | null | undefined;
  total?: number | null | undefined;
}

/**
 * The schema of the list envelope around `item`: `items` required; `page`, `pageSize` and `total`
 * (a count, not negative) optional and nullable, since the vendors echo them unevenly.
 */
export function sessionListWire<T extends z.ZodType>(item: T) {
  const cached = listWires.get(item);
  if (cached) return cached as ReturnType<typeof makeSessionListWire<T>>;
  const wire = makeSessionListWire(item);
  listWires.set(item, wire);
  return wire;
}

function makeSessionListWire<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    page: z.number().int().nullish(),
    pageSize: z.number().int().nullish(),
    total: z.number().int().nonnegative().nullish(),
  });
}

// One envelope schema per item schema: the clients ask for it on every call, and zod prepares a
// schema on its first parse (a walk of the whole schema), which a new schema per call repeats.
const listWires = new WeakMap<z.ZodType, z.ZodType>();

/** A page size the lists take: `max` when absent or not finite, else a whole number from 1 to `max`. */
export function clampPageSize(size: number | undefined, max = SESSION_MAX_PAGE_SIZE): number {
  if (size === undefined || !Number.isFinite(size)) return max;
  return Math.min(max, Math.max(1, Math.floor(size)));
}

/**
 * True when `list`, the answer to page `page` of size `pageSize`, is not the last page: by `total`
 * when the vendor sent it, else by a full page. The page number and size the vendor echoes win
 * over the ones asked for (a vendor may serve fewer than asked). An empty page is the last.
 */
export function hasNextPage(list: SessionListWire<unknown>, page: number, pageSize: number): boolean {
  if (list.items.length === 0) return false;
  const size = list.pageSize && list.pageSize > 0 ? list.pageSize : pageSize;
  if (typeof list.total === 'number') return (list.page || page) * size < list.total;
  return list.items.length >= size;
}

/**
 * `GET path` of one page of a list: `query` plus `page` and `pageSize` (clamped to 1..100), the
 * answer parsed with `schema` (a {@link sessionListWire}). Throws {@link ConnectorError}.
 */
export function listPage<T>(
  http: VendorHttpClient,
  operation: string,
  path: string,
  schema: z.ZodType<SessionListWire<T>>,
  paging: PageParams,
  query: Record<string, QueryValue> = {},
): Promise<SessionListWire<T>> {
  return http.request({ operation, method: 'GET', path, query: { ...query, page: paging.page, pageSize: clampPageSize(paging.pageSize) }, schema });
}

/** A list that a walk reads whole (connectors/core/cheaper-read.ts): its operation, path and item schema. */
export interface WalkedList<T extends z.ZodType = z.ZodType> {
  operation: string;
  path: string;
  item: T;
}

const UNCHECKED_LIST = sessionListWire(z.unknown());

/** Walks of a client's `lists`: a page with its items unchecked, and the check of one item. */
export interface Walks<L extends Record<string, WalkedList>> {
  page(list: keyof L, paging: PageParams): Promise<SessionListWire<unknown>>;
  check<K extends keyof L>(list: K, item: unknown): z.output<L[K]['item']>;
}

/** {@link Walks} of `lists` over `http`. */
export function walksOf<L extends Record<string, WalkedList>>(http: VendorHttpClient, lists: L): Walks<L> {
  return {
    // The envelope checked, the items not.
    page: (list, paging) => listPage(http, lists[list]!.operation, lists[list]!.path, UNCHECKED_LIST, paging),
    // An item checked as the list's own calls check it (throws `bad_response`).
    check: <K extends keyof L>(list: K, item: unknown) => http.check(lists[list]!.item as z.ZodType<z.output<L[K]['item']>>, item, lists[list]!.operation),
  };
}

/** What {@link childrenOfWalkedList} needs of a relation read from one of a client's walked lists. */
export interface WalkedRelation<L extends Record<string, WalkedList>, K extends keyof L, M extends { ref: { id: string } }> {
  /** The list-size memory's key: account and list (connectors/core/cheaper-read.ts). */
  key: string;
  walks: Walks<L>;
  list: K;
  /** Distinct parent ids. */
  parents: readonly string[];
  /** The parent of a wire item, read before the item is checked (optional chaining). */
  parentOfItem(item: z.output<L[K]['item']>): string | null | undefined;
  /** The parent of a mapped child. */
  parentOf(model: M): string | undefined;
  map(item: z.output<L[K]['item']>): M;
  /** One parent's children by the list's single-valued parent filter (`GET /invoices?workOrderId=`). */
  perParent(id: string): Promise<M[]>;
  concurrency: number;
}

/**
 * The children of `parents` in a list that filters by one parent at a time: the cheaper of one
 * filtered read per parent and one walk of the whole list, which checks and maps only the items of
 * the parents asked for (connectors/core/cheaper-read.ts).
 */
export function childrenOfWalkedList<L extends Record<string, WalkedList>, K extends keyof L, M extends { ref: { id: string } }>(
  r: WalkedRelation<L, K, M>,
): Promise<Map<string, M[]>> {
  return childrenByCheaperRead<z.output<L[K]['item']>, M>({
    key: r.key,
    parents: r.parents,
    pageSize: SESSION_MAX_PAGE_SIZE,
    page: (page) => r.walks.page(r.list, { page, pageSize: SESSION_MAX_PAGE_SIZE }),
    check: (item) => r.walks.check(r.list, item),
    map: r.map,
    parentsOf: (m) => [r.parentOf(m)],
    parentsOfItem: (w) => [r.parentOfItem(w)],
    idOf: (m) => m.ref.id,
    fanoutCost: (n) => n,
    fanout: async (ids) => {
      const lists = await mapWithConcurrency(ids, r.concurrency, r.perParent);
      return new Map(ids.map((id, i) => [id, lists[i]!]));
    },
    concurrency: r.concurrency,
  });
}

/**
 * Every item of a list, page after page from page 1 ({@link hasNextPage} decides when to stop).
 * When `fetchPage` answers null (the list's parent does not exist): null for the first page, the
 * items so far for a later one. Throws what `fetchPage` throws.
 */
export function allItems<T>(fetchPage: (paging: PageParams) => Promise<SessionListWire<T>>, pageSize?: number): Promise<T[]>;
export function allItems<T>(fetchPage: (paging: PageParams) => Promise<SessionListWire<T> | null>, pageSize?: number): Promise<T[] | null>;
export async function allItems<T>(fetchPage: (paging: PageParams) => Promise<SessionListWire<T> | null>, pageSize = SESSION_MAX_PAGE_SIZE): Promise<T[] | null> {
  const out: T[] = [];
  for (let page = 1; ; page++) {
    const list = await fetchPage({ page, pageSize });
    if (!list) return page === 1 ? null : out;
    out.push(...list.items);
    if (!hasNextPage(list, page, pageSize)) return out;
  }
}
