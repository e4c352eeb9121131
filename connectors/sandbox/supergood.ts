/**
 * What the three session-based vendors (ServicePower, Sera, Astea Alliance) share, as their seed
 * documents describe them: `POST /sessions` with Basic integration credentials plus username,
 * password and a TOTP code; `POST /sessions/refresh`; `{items, page, pageSize, total}` envelopes;
 * and one error shape, `{error: {code, message, details}, requestId}`.
 */
import { z } from 'zod';
import { verifyTotp } from '../../src/util/totp.js';
import type { VendorKey } from '../vendors.js';
import {
  basicCredentials,
  bearerToken,
  HttpError,
  TokenStore,
  type RouteDef,
  type SimContext,
  type SimRequest,
  type VendorErrors,
  type VendorInfo,
} from './kit.js';

/** Error codes of the session vendors. */
export type SupergoodErrorCode =
  | 'validation_error'
  | 'unauthorized'
  | 'invalid_credentials'
  | 'invalid_mfa'
  | 'token_expired'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  | 'unprocessable'
  | 'rate_limited'
  | 'server_error'
  | 'unavailable';

/** The error body schema, for OpenAPI documents. */
export const SupergoodErrorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  }),
  requestId: z.string(),
});

/** Builds an error in the session vendors' shape. */
export function supergoodError(
  status: number,
  code: SupergoodErrorCode,
  message: string,
  req: { requestId: string },
  details?: Array<{ field: string; message: string }>,
  headers: Record<string, string> = {},
): HttpError {
  return new HttpError(status, { error: { code, message, ...(details ? { details } : {}) }, requestId: req.requestId }, headers);
}

/** The session vendors' error shapes. */
export const supergoodErrors: VendorErrors = {
  validation: (issues, req) => supergoodError(400, 'validation_error', 'The request is invalid.', req, issues),
  notFound: (message, req) => supergoodError(404, 'not_found', message, req),
  methodNotAllowed: (req) => supergoodError(405, 'method_not_allowed', 'Method not allowed on this resource.', req),
  rateLimited: (retryAfter, req) =>
    supergoodError(429, 'rate_limited', 'Too many requests; retry later.', req, undefined, { 'retry-after': String(retryAfter) }),
  server: (status, req) =>
    supergoodError(status, status === 503 ? 'unavailable' : 'server_error', status === 503 ? 'Service temporarily unavailable.' : 'Internal error.', req),
};

/** Standard error responses for OpenAPI documents. */
export function errorResponses(...statuses: number[]): Record<number, { description: string; schema: z.ZodType }> {
  const text: Record<number, string> = {
    400: 'Invalid request (field errors in `error.details`).',
    401: 'Missing, invalid or expired token.',
    403: 'Not entitled.',
    404: 'Not found.',
    409: 'Illegal state change.',
    422: 'A referenced record does not exist or cannot be used.',
    429: 'Rate limited; see Retry-After.',
  };
  return Object.fromEntries(statuses.map((s) => [s, { description: text[s] ?? 'Error.', schema: SupergoodErrorSchema }]));
}

/** Query of every list endpoint: 1-based page, pageSize 1..100 (default 50). */
export const pagingQuery = {
  page: z.coerce.number().int().min(1).default(1).describe('1-based page number.'),
  pageSize: z.coerce.number().int().min(1).max(100).default(50).describe('Items per page, at most 100.'),
};

/** ISO 8601 timestamp filter parameter. */
export const isoParam = z.iso.datetime({ offset: true }).optional();

/** The list envelope schema around `item`. */
export function listEnvelope<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), page: z.number().int(), pageSize: z.number().int(), total: z.number().int() });
}

/** One page of `all` in the list envelope. */
export function listPage<T>(all: readonly T[], page: number, pageSize: number): { items: T[]; page: number; pageSize: number; total: number } {
  const start = (page - 1) * pageSize;
  return { items: all.slice(start, start + pageSize), page, pageSize, total: all.length };
}

/** OpenAPI security of the session vendors: bearer session tokens; Basic for signing in. */
export const SESSION_SECURITY = {
  schemes: {
    bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'The `authToken` of `POST /sessions`.' },
    basicAuth: { type: 'http', scheme: 'basic', description: 'Integration client id and secret, for `POST /sessions` only.' },
  },
  default: [{ bearerAuth: [] as string[] }],
};

/** Sandbox credentials of a session vendor. */
export interface SessionCredentials {
  integrationId: string;
  clientId: string;
  clientSecret: string;
  username: string;
  password: string;
  /** Astea Alliance sessions name a tenant. */
  tenant?: string;
  user: { id: string; name: string; entitlements: string[] };
}

/** What a session token stands for. */
export interface SessionPrincipal {
  userId: string;
  tenant?: string;
}

const SessionBody = z.object({
  username: z.string().min(1),
  password: z.string().min(1),
  tenant: z.string().min(1).optional(),
  mfa: z.object({ type: z.enum(['totp', 'sms', 'email']), code: z.string().min(1) }).optional(),
});

const SessionResponse = z.object({
  authToken: z.string(),
  expiresIn: z.number().int(),
  user: z.object({ id: z.string(), name: z.string(), entitlements: z.array(z.string()) }),
});

/** Session auth for one vendor: its routes, its `authenticate`, its token store. */
export function sessionAuth(vendor: VendorKey, creds: SessionCredentials, ctx: SimContext) {
  const tokens = new TokenStore<SessionPrincipal>(`${vendor}-sandbox-signing-key`);
  const TTL = 3600;

  const issue = (p: SessionPrincipal) => {
    const ttl = ctx.tokenTtl(TTL);
    return { authToken: tokens.issue(p, ttl, 'jwt', { sub: p.userId, iss: vendor }), expiresIn: ttl, user: creds.user };
  };

  const routes: RouteDef[] = [
    {
      method: 'POST',
      path: '/sessions',
      operationId: 'createSession',
      summary: 'Establish a session: Basic integration credentials, username, password and a TOTP code.',
      tags: ['Authentication'],
      auth: false,
      security: [{ basicAuth: [] }],
      body: SessionBody,
      responses: { 200: { description: 'A session token.', schema: SessionResponse }, ...errorResponses(400, 401, 429) },
      handler: (req: SimRequest<unknown, z.infer<typeof SessionBody>>) => {
        const basic = basicCredentials(req.headers);
        if (!basic || basic.user !== creds.clientId || basic.pass !== creds.clientSecret) {
          throw supergoodError(401, 'unauthorized', 'Invalid integration credentials.', req);
        }
        const b = req.body;
        if (creds.tenant && b.tenant !== creds.tenant) {
          if (!b.tenant) throw supergoodError(400, 'validation_error', 'The request is invalid.', req, [{ field: 'tenant', message: 'Required.' }]);
          throw supergoodError(401, 'invalid_credentials', 'Unknown tenant for this user.', req);
        }
        if (b.username.toLowerCase() !== creds.username.toLowerCase() || b.password !== creds.password) {
          throw supergoodError(401, 'invalid_credentials', 'Invalid username or password.', req);
        }
        if (!b.mfa) {
          throw supergoodError(401, 'invalid_mfa', 'Multi-factor authentication is required.', req, [{ field: 'mfa', message: 'Required.' }]);
        }
        if (b.mfa.type !== 'totp' || !verifyTotp(ctx.totpSecret, b.mfa.code)) {
          throw supergoodError(401, 'invalid_mfa', 'The MFA code is invalid or expired.', req, [{ field: 'mfa.code', message: 'Invalid code.' }]);
        }
        return { status: 200, body: issue({ userId: creds.user.id, ...(creds.tenant ? { tenant: creds.tenant } : {}) }) };
      },
    },
    {
      method: 'POST',
      path: '/sessions/refresh',
      operationId: 'refreshSession',
      summary: 'Exchange a still-valid session token for a new one; the old token ends.',
      tags: ['Authentication'],
      auth: false,
      security: [{ bearerAuth: [] }],
      responses: { 200: { description: 'A new session token.', schema: SessionResponse }, ...errorResponses(401, 429) },
      handler: (req) => {
        const token = bearerToken(req.headers);
        const v = tokens.verify(token);
        if (!v.ok) {
          throw supergoodError(401, v.reason === 'expired' ? 'token_expired' : 'unauthorized', v.reason === 'expired' ? 'The session has expired; sign in again.' : 'Invalid session token.', req);
        }
        tokens.expire(token!);
        return { status: 200, body: issue(v.data) };
      },
    },
  ];

  const authenticate = (req: SimRequest): SessionPrincipal => {
    const v = tokens.verify(bearerToken(req.headers));
    if (v.ok) return v.data;
    if (v.reason === 'expired') throw supergoodError(401, 'token_expired', 'The session has expired.', req);
    throw supergoodError(401, 'unauthorized', v.reason === 'missing' ? 'Missing bearer token.' : 'Invalid bearer token.', req);
  };

  return { routes, authenticate, tokens };
}

/** `info()` of a session vendor: base URL, OpenAPI document and the sandbox sign-in details. */
export function sessionVendorInfo(vendor: VendorKey, title: string, basePath: string, creds: SessionCredentials, ctx: SimContext) {
  return (origin: string): VendorInfo => {
    const baseUrl = `${origin}${basePath}`;
    return {
      key: vendor,
      title,
      baseUrl,
      openapiUrl: `${baseUrl}/openapi.json`,
      auth: {
        type: 'session',
        sessionUrl: `${baseUrl}/sessions`,
        clientId: creds.clientId,
        clientSecret: creds.clientSecret,
        username: creds.username,
        password: creds.password,
        ...(creds.tenant ? { tenant: creds.tenant } : {}),
        mfa: { type: 'totp', secret: ctx.totpSecret },
      },
    };
  };
}

/** Deterministic short ids for records created in a simulator (`wo_3fa9c1`). */
export function idMaker(ctx: SimContext, vendor: VendorKey, taken: (id: string) => boolean) {
  const rng = ctx.rng.fork(`ids:${vendor}`);
  return (prefix: string, digits = 6): string => {
    for (;;) {
      const id = `${prefix}_${rng.hex(digits)}`;
      if (!taken(id)) return id;
    }
  };
}
