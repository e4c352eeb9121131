/**
 * The simulators' shared kit: how a vendor simulator declares its routes, authenticates calls,
 * shapes its errors and keeps its tokens. The HTTP server, faults and statistics that apply these
 * declarations live in `server.ts`; every simulator is a {@link VendorSimulator}.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { z } from 'zod';
import type { VendorKey } from '../vendors.js';
import type { Dataset } from './dataset/types.js';
import type { Rng } from './rng.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A parsed request, as a route handler receives it. */
export interface SimRequest<Q = Record<string, unknown>, B = unknown, A = unknown> {
  method: HttpMethod;
  /** The path below the vendor's base path, e.g. `/crm/v2/tenant/1/customers`. */
  path: string;
  /** Path parameters by the names in the route pattern (`{tenant}` gives `params.tenant`). */
  params: Record<string, string>;
  /** The query, parsed by the route's `query` schema (raw strings when it has none). */
  query: Q;
  rawQuery: URLSearchParams;
  /** The body, parsed by the route's `body` schema. */
  body: B;
  headers: IncomingHttpHeaders;
  /** What the vendor's `authenticate` returned (undefined on routes without auth). */
  auth: A;
  /** A request id for trace ids in error bodies. */
  requestId: string;
}

/** What a handler answers. */
export interface SimResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Defaults to application/json. */
  contentType?: string;
}

/** An HTTP answer other than success; vendors build these in their own error shape. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
    readonly contentType = 'application/json',
  ) {
    super(`HTTP ${status}`);
  }
}

/** A documented response of a route, for the OpenAPI document and the response check. */
export interface ResponseDoc {
  description: string;
  schema?: z.ZodType;
  contentType?: string;
}

/** One route of a simulator: its contract (for validation and OpenAPI) and its handler. */
export interface RouteDef<Q = any, B = any, A = any> {
  method: HttpMethod;
  /** OpenAPI-style pattern relative to the vendor base path: `/jpm/v2/tenant/{tenant}/jobs/{id}`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tags?: string[];
  /** Whether the vendor's `authenticate` runs first (default true). */
  auth?: boolean;
  /** Query schema; a failing parse becomes the vendor's validation error. Unknown keys pass. */
  query?: z.ZodType<Q>;
  /** Body schema; a failing parse becomes the vendor's validation error. */
  body?: z.ZodType<B>;
  /**
   * How the body must be encoded (default json). `json-or-form` follows the request's
   * Content-Type (Field Nation's token endpoint takes both).
   */
  bodyEncoding?: 'json' | 'form' | 'json-or-form';
  /**
   * OpenAPI security of this operation when it differs from the document's default (routes with
   * `auth: false` default to none).
   */
  security?: Array<Record<string, string[]>>;
  /** Path parameter schemas for the OpenAPI document (default: string). */
  pathParams?: Record<string, { description: string; type?: 'string' | 'integer' }>;
  responses: Record<number, ResponseDoc>;
  handler: (req: SimRequest<Q, B, A>) => SimResponse | Promise<SimResponse>;
}

/** Shapes every error of a vendor the way that vendor does. */
export interface VendorErrors {
  /** Query, path or body failed validation; `issues` name the fields. */
  validation(issues: Array<{ field: string; message: string }>, req: { requestId: string }): HttpError;
  notFound(message: string, req: { requestId: string }): HttpError;
  methodNotAllowed(req: { requestId: string }): HttpError;
  rateLimited(retryAfterSeconds: number, req: { requestId: string }): HttpError;
  /** An injected or real server failure. */
  server(status: number, req: { requestId: string }): HttpError;
}

/** What `/_sandbox` shows about a vendor: where it is and how to sign in. */
export interface VendorInfo {
  key: VendorKey;
  title: string;
  baseUrl: string;
  openapiUrl: string;
  /** Everything a connector needs to authenticate (sandbox credentials are not secret). */
  auth: Record<string, unknown>;
}

/** A simulator of one vendor API. */
export interface VendorSimulator {
  key: VendorKey;
  title: string;
  /** One paragraph for the OpenAPI document. */
  description: string;
  /** Path of the vendor's API below the sandbox origin, e.g. `/servicetitan`. */
  basePath: string;
  routes: RouteDef[];
  errors: VendorErrors;
  /** Checks the call's credentials; throws the vendor's 401/403. */
  authenticate(req: SimRequest): unknown;
  /** Rate limit the vendor always enforces (ServiceTitan: 60 requests/s per app and tenant). */
  builtInRateLimit?: { limit: number; windowMs: number; key(req: SimRequest): string | undefined };
  tokens: TokenStore<unknown>[];
  info(origin: string): VendorInfo;
  /** OpenAPI `components.securitySchemes` and the default `security` of the document. */
  security?: { schemes: Record<string, unknown>; default: Array<Record<string, string[]>> };
  /** Sandbox-only actions that stand for things happening in the field (a technician completes a job). */
  actions?: Record<string, (body: unknown) => unknown>;
  /** Throws away every write and rebuilds the state from the data set. */
  reset(): void;
}

/** What a simulator factory receives from the sandbox. */
export interface SimContext {
  dataset: Dataset;
  rng: Rng;
  /** Token lifetime to use: the vendor default, unless faults override it. */
  tokenTtl(defaultSeconds: number): number;
  /** The sandbox's TOTP secret (base32) for the session vendors' MFA. */
  totpSecret: string;
  now(): Date;
}

export type SimulatorFactory = (ctx: SimContext) => VendorSimulator;

/** Current time as ISO 8601 UTC with seconds precision (`2026-01-21T09:42:18Z`). */
export function isoNow(now: Date = new Date()): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

interface TokenEntry<T> {
  data: T;
  expiresAt: number;
}

/**
 * Bearer tokens of a vendor: issue, verify (telling expired from unknown), and force expiry.
 * Holds at most `maxEntries` tokens; the oldest are forgotten first.
 */
export class TokenStore<T> {
  private readonly entries = new Map<string, TokenEntry<T>>();

  constructor(
    private readonly signingKey: string,
    private readonly maxEntries = 10_000,
  ) {}

  /** Issues a token that lives `ttlSeconds`. `jwt` gives a signed JWT-shaped token. */
  issue(data: T, ttlSeconds: number, format: 'jwt' | 'opaque', claims: Record<string, unknown> = {}): string {
    const now = Date.now();
    let token: string;
    if (format === 'jwt') {
      const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
      const payload = b64url(
        JSON.stringify({
          ...claims,
          iat: Math.floor(now / 1000),
          exp: Math.floor(now / 1000) + ttlSeconds,
          jti: randomBytes(8).toString('hex'),
        }),
      );
      const sig = createHmac('sha256', this.signingKey).update(`${header}.${payload}`).digest('base64url');
      token = `${header}.${payload}.${sig}`;
    } else {
      token = randomBytes(24).toString('hex');
    }
    this.entries.set(token, { data, expiresAt: now + ttlSeconds * 1000 });
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return token;
  }

  /** Checks a token. */
  verify(token: string | undefined): { ok: true; data: T } | { ok: false; reason: 'missing' | 'invalid' | 'expired' } {
    if (!token) return { ok: false, reason: 'missing' };
    const entry = this.entries.get(token);
    if (!entry) return { ok: false, reason: 'invalid' };
    if (entry.expiresAt <= Date.now()) return { ok: false, reason: 'expired' };
    return { ok: true, data: entry.data };
  }

  /** Ends a token now (session refresh replaces the old token). */
  expire(token: string): void {
    const entry = this.entries.get(token);
    if (entry) entry.expiresAt = Math.min(entry.expiresAt, Date.now());
  }

  /** Expires every token issued so far (fault: forced token expiry). */
  expireAll(): void {
    const now = Date.now();
    for (const entry of this.entries.values()) entry.expiresAt = Math.min(entry.expiresAt, now);
  }

  clear(): void {
    this.entries.clear();
  }
}

function b64url(s: string): string {
  return Buffer.from(s).toString('base64url');
}

/** Reads `Authorization: Bearer <token>` (or a bare token, which ServiceTitan also accepts). */
export function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  const h = headers.authorization;
  if (!h) return undefined;
  const m = /^Bearer\s+(.+)$/i.exec(h);
  return (m ? (m[1] ?? "") : h).trim() || undefined;
}

/** Reads `Authorization: Basic <base64(user:pass)>`. */
export function basicCredentials(headers: IncomingHttpHeaders): { user: string; pass: string } | undefined {
  const h = headers.authorization;
  const m = h ? /^Basic\s+(.+)$/i.exec(h) : null;
  if (!m?.[1]) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i < 0) return undefined;
  return { user: decoded.slice(0, i), pass: decoded.slice(i + 1) };
}

/** Splits a comma-separated list parameter (`ids=1,2,3`), dropping blanks. */
export function csv(value: string | undefined | null): string[] {
  if (!value) return [];
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** One page of `items` (1-based `page`). */
export function pageOf<T>(items: readonly T[], page: number, pageSize: number): { items: T[]; hasMore: boolean } {
  const start = (page - 1) * pageSize;
  const slice = items.slice(start, start + pageSize);
  return { items: slice, hasMore: start + pageSize < items.length };
}
