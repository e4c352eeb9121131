/**
 * The HTTP client under every connector: auth, per-call timeout, client-side rate limit, circuit
 * breaker, retries with capped exponential backoff and jitter that honour Retry-After within a
 * retry budget, zod validation of every response, and one mapping of failures to
 * {@link ConnectorError}. Vendor specifics come in through {@link VendorHttpOptions}.
 */
import type { z } from 'zod';
import { ConnectorError, type ConnectorErrorKind, type VendorFieldError, type VendorKey } from '../types.js';
import {
  backoffDelay,
  CircuitBreaker,
  DEFAULT_BREAKER,
  DEFAULT_RETRY,
  parseRetryAfter,
  RateLimiter,
  RetryBudget,
  sleep,
  type BreakerOptions,
  type BreakerState,
  type RetryPolicy,
} from './resilience.js';
import { forgetListSizes } from './cheaper-read.js';
import { resetSharedTokenCaches } from './token-cache.js';
import { fetchTransport, nodeTransport, TransportTimeout, type Transport, type TransportResponse } from './transport.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A query value; arrays are sent comma-separated, undefined values are left out. */
export type QueryValue = string | number | boolean | undefined | null | readonly (string | number)[];

/** One call. */
export interface RequestSpec<T> {
  /** Name for errors, logs and metrics, e.g. `jobs.list`. */
  operation: string;
  method: HttpMethod;
  /** Path below the base URL; build it with {@link path} so every segment is encoded. */
  path: string;
  query?: Record<string, QueryValue>;
  json?: unknown;
  form?: Record<string, string>;
  /** Schema of the success body. */
  schema: z.ZodType<T>;
  /** Safe to repeat (default: GET yes, others no). Non-idempotent calls are retried only when refused unexecuted (429). */
  idempotent?: boolean;
  /** Send credentials (default true). */
  auth?: boolean;
  headers?: Record<string, string>;
}

/** How a vendor authenticates calls. */
export interface AuthStrategy {
  /** Adds credentials to the request; returns the token used (for `invalidate`). */
  authorize(url: URL, headers: Record<string, string>): Promise<string>;
  /** True when this failed response means the token is no longer valid. */
  isAuthFailure(status: number, body: unknown): boolean;
  /** Forgets a refused token. */
  invalidate(token: string): void;
}

/** A failure as the vendor described it. */
export interface ClassifiedError {
  kind: ConnectorErrorKind;
  message: string;
  fieldErrors?: VendorFieldError[];
  vendorCode?: string;
  /** The wait the vendor asked for in its body, used when no Retry-After header came (e.g. a 429 retry hint). */
  retryAfterMs?: number;
}

/** Hooks for metrics and logs; never given bodies or credentials. */
export interface ClientEvents {
  onResponse?(e: { vendor: VendorKey; operation: string; method: HttpMethod; status: number; durationMs: number; attempt: number }): void;
  onRetry?(e: { vendor: VendorKey; operation: string; attempt: number; delayMs: number; reason: ConnectorErrorKind }): void;
  onBreaker?(e: { vendor: VendorKey; state: BreakerState }): void;
}

/** Options of {@link VendorHttpClient}. */
export interface VendorHttpOptions {
  vendor: VendorKey;
  /** Base URL of the API, without a trailing slash. */
  baseUrl: string;
  auth?: AuthStrategy;
  /** Per-call timeout (default 10 s). */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Client-side limit, shared by all clients with the same `rateLimitKey`. */
  rateLimit?: { perSecond: number; burst: number };
  /** Key of the shared limiter, e.g. `servicetitan:<appKey>:<tenant>` (default: vendor and base URL). */
  rateLimitKey?: string;
  breaker?: Partial<BreakerOptions>;
  /** Turns an error response into a connector error kind; the default uses the status alone. */
  classify?: (status: number, body: unknown, text: string) => ClassifiedError | undefined;
  events?: ClientEvents;
  /** Sends the calls through this `fetch` (tests inject fakes); default node's HTTP client with keep-alive ({@link nodeTransport}). */
  fetch?: typeof fetch;
  random?: () => number;
}

/** The vendor refused our token: the call did not run, so it may be sent again with a new one. */
class TokenRefused extends ConnectorError {}

/**
 * The circuit is open: the call was refused without reaching the vendor. Not retried (failing fast
 * is the point of the breaker; a retry loop would only wait for the half-open probe).
 */
class CircuitOpen extends ConnectorError {}

// Limiters, breakers and retry budgets are per vendor account, shared by every client instance of
// the process (a client is built per request; the vendor's limits are not).
const limiters = new Map<string, RateLimiter>();
const breakers = new Map<string, CircuitBreaker>();
const budgets = new Map<string, RetryBudget>();

/** Encodes each segment: `path('/jobs/', id, '/cancel')` gives `/jobs/5400000001/cancel`. */
export function path(strings: TemplateStringsArray, ...values: Array<string | number>): string {
  return strings.reduce((acc, s, i) => acc + s + (i < values.length ? encodeURIComponent(String(values[i])) : ''), '');
}

/**
 * The classification by status alone, used when a vendor supplies no `classify` and by vendor
 * classifiers as their fallback: 401 `unauthorized`, 403 `forbidden`, 404 `not_found`, 409
 * `conflict`, 429 `rate_limited`, any 5xx `unavailable`, any other status `invalid_request`; the
 * message is `HTTP <status>`. Pure; never throws.
 */
export function defaultClassify(status: number): ClassifiedError {
  const kind: ConnectorErrorKind =
    status === 401
      ? 'unauthorized'
      : status === 403
        ? 'forbidden'
        : status === 404
          ? 'not_found'
          : status === 409
            ? 'conflict'
            : status === 429
              ? 'rate_limited'
              : status >= 500
                ? 'unavailable'
                : 'invalid_request';
  return { kind, message: `HTTP ${status}` };
}

/** An HTTP client of one vendor account. */
export class VendorHttpClient {
  readonly vendor: VendorKey;
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly retry: RetryPolicy;
  private readonly limiter: RateLimiter | undefined;
  readonly breaker: CircuitBreaker;
  private readonly budget: RetryBudget;
  private readonly transport: Transport;
  private readonly random: () => number;

  constructor(private readonly options: VendorHttpOptions) {
    this.vendor = options.vendor;
    this.baseUrl = options.baseUrl.replace(/\/$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    const key = options.rateLimitKey ?? `${options.vendor}:${this.baseUrl}`;
    if (options.rateLimit) {
      let l = limiters.get(key);
      if (!l) limiters.set(key, (l = new RateLimiter(options.rateLimit.perSecond, options.rateLimit.burst)));
      this.limiter = l;
    }
    // Clients of one account with the same breaker policy share a breaker; a client configured with
    // another policy (e.g. a stricter one in a health check) gets its own rather than silently
    // inheriting the first one's.
    const policy = { ...DEFAULT_BREAKER, ...options.breaker };
    const breakerKey = `${key}#${policy.failureThreshold}/${policy.openMs}`;
    let b = breakers.get(breakerKey);
    if (!b) {
      b = new CircuitBreaker(policy, (state) => options.events?.onBreaker?.({ vendor: options.vendor, state }));
      breakers.set(breakerKey, b);
    }
    this.breaker = b;
    let budget = budgets.get(key);
    if (!budget) budgets.set(key, (budget = new RetryBudget()));
    this.budget = budget;
    this.transport = options.fetch ? fetchTransport(options.fetch) : nodeTransport;
    this.random = options.random ?? Math.random;
  }

  /**
   * Makes the call, retrying what is safe to retry, and returns the parsed success body.
   * Throws {@link ConnectorError}.
   */
  async request<T>(spec: RequestSpec<T>): Promise<T> {
    const idempotent = spec.idempotent ?? spec.method === 'GET';
    this.budget.earn();
    let reauthed = false;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once(spec, attempt);
      } catch (e) {
        if (!(e instanceof ConnectorError)) throw e;
        if (e instanceof TokenRefused && !reauthed) {
          // The token was refused: the call was not executed, so one immediate retry with a new token is safe.
          reauthed = true;
          attempt--;
          continue;
        }
        const retryable = !(e instanceof CircuitOpen) && (e.kind === 'rate_limited' || (idempotent && (e.kind === 'unavailable' || e.kind === 'timeout')));
        if (!retryable || attempt >= this.retry.maxAttempts || !this.budget.spend()) throw e;
        const delayMs = backoffDelay(this.retry, attempt, e.retryAfterMs, this.random);
        this.options.events?.onRetry?.({ vendor: this.vendor, operation: spec.operation, attempt, delayMs, reason: e.kind });
        await sleep(delayMs);
      }
    }
  }

  /**
   * `value` checked against `schema`, as a response body is: throws the same `bad_response`
   * {@link ConnectorError}. For the parts of a body checked later than the body (the items of a
   * walk's page that are kept).
   */
  check<T>(schema: z.ZodType<T>, value: unknown, operation: string, status?: number): T {
    const r = schema.safeParse(value);
    if (!r.success) {
      throw new ConnectorError({
        kind: 'bad_response',
        vendor: this.vendor,
        operation,
        message: `${this.vendor} sent a payload that does not match the expected shape`,
        ...(status !== undefined ? { status } : {}),
        cause: r.error,
      });
    }
    return r.data;
  }

  private error(spec: RequestSpec<unknown>, kind: ConnectorErrorKind, message: string, extra: Partial<ConstructorParameters<typeof ConnectorError>[0]> = {}): ConnectorError {
    return new ConnectorError({ kind, vendor: this.vendor, operation: spec.operation, message, ...extra });
  }

  private async once<T>(spec: RequestSpec<T>, attempt: number): Promise<T> {
    const url = new URL(this.baseUrl + spec.path);
    for (const [k, v] of Object.entries(spec.query ?? {})) {
      if (v === undefined || v === null) continue;
      url.searchParams.set(k, Array.isArray(v) ? v.join(',') : String(v));
    }
    const headers: Record<string, string> = { accept: 'application/json', ...(spec.headers ?? {}) };
    let body: string | undefined;
    if (spec.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(spec.json);
    } else if (spec.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(spec.form).toString();
    }
    let token: string | undefined;
    if (spec.auth !== false && this.options.auth) {
      try {
        token = await this.options.auth.authorize(url, headers);
      } catch (e) {
        if (e instanceof ConnectorError) throw e;
        throw this.error(spec, 'unavailable', 'authentication failed', { cause: e });
      }
    }
    // The breaker is asked only now, when the call is about to go on the wire: a token request made
    // by `authorize` through a client of the same account passes the same breaker, and must not find
    // the half-open probe slot already taken by the call that is waiting for its token.
    if (!this.breaker.allow()) {
      throw new CircuitOpen({ kind: 'unavailable', vendor: this.vendor, operation: spec.operation, message: `${this.vendor} is unavailable (circuit open)` });
    }
    if (this.limiter) await this.limiter.acquire();

    const started = Date.now();
    let res: TransportResponse;
    try {
      res = await this.transport(url, { method: spec.method, headers, ...(body !== undefined ? { body } : {}), timeoutMs: this.timeoutMs });
    } catch (e) {
      this.breaker.failure();
      const timedOut = e instanceof TransportTimeout;
      this.options.events?.onResponse?.({ vendor: this.vendor, operation: spec.operation, method: spec.method, status: 0, durationMs: Date.now() - started, attempt });
      throw this.error(spec, timedOut ? 'timeout' : 'unavailable', timedOut ? `${this.vendor} did not answer within ${this.timeoutMs} ms` : `${this.vendor} connection failed`, { cause: e });
    }
    const text = res.text;
    this.options.events?.onResponse?.({ vendor: this.vendor, operation: spec.operation, method: spec.method, status: res.status, durationMs: Date.now() - started, attempt });

    let parsed: unknown = undefined;
    let jsonOk = true;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        jsonOk = false;
      }
    }

    if (res.status >= 200 && res.status < 300) {
      this.breaker.success();
      if (!jsonOk) throw this.error(spec, 'bad_response', `${this.vendor} sent a body that is not JSON`, { status: res.status });
      return this.check(spec.schema, parsed, spec.operation, res.status);
    }

    if (res.status >= 500) this.breaker.failure();
    else this.breaker.success();

    if (token !== undefined && this.options.auth?.isAuthFailure(res.status, parsed ?? text)) {
      this.options.auth.invalidate(token);
      throw new TokenRefused({ kind: 'unauthorized', vendor: this.vendor, operation: spec.operation, message: `${this.vendor} refused the token`, status: res.status });
    }
    const c = this.options.classify?.(res.status, parsed, text) ?? defaultClassify(res.status);
    const retryAfterMs = parseRetryAfter(res.header('retry-after')) ?? c.retryAfterMs;
    throw this.error(spec, c.kind, `${this.vendor} ${spec.operation}: ${c.message}`, {
      status: res.status,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      ...(c.fieldErrors ? { fieldErrors: c.fieldErrors } : {}),
      ...(c.vendorCode ? { vendorCode: c.vendorCode } : {}),
    });
  }
}

/** Test hook: forget shared limiters, breakers, budgets, token caches and remembered list sizes. */
export function resetSharedClientState(): void {
  limiters.clear();
  breakers.clear();
  budgets.clear();
  resetSharedTokenCaches();
  forgetListSizes();
}
