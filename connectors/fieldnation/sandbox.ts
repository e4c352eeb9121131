/**
 * The Field Nation simulator (Client REST API v2): the OAuth password-grant token endpoint, tokens
 * passed as `?access_token=` (or a Bearer header), problem+json errors, a per-API-user rate limit,
 * the `{metadata, results}` list envelope, and work orders with the vendor's lifecycle
 * (Draft → Published → Routed → Assigned → Work Done → Approved → Paid, plus Cancelled) over the
 * data set's Field Nation records. The state lives in `./sandbox/state.ts`; the routes in
 * `./sandbox/routes-*.ts`.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { bearerToken, TokenStore, type RouteDef, type SimRequest, type SimulatorFactory, type VendorSimulator } from '../sandbox/kit.js';
import { fieldNationErrors, FnProblem, problem, problemResponses, toHttpError } from './sandbox/problems.js';
import { API_USER, COMPANY, CREDENTIALS } from './sandbox/reference.js';
import { renderWorkOrder } from './sandbox/render.js';
import { directoryRoutes } from './sandbox/routes-directory.js';
import { workOrderRoutes, type ListState, type Principal } from './sandbox/routes-work-orders.js';
import { IntId, TokenInput, TokenResponseSchema } from './sandbox/schemas.js';
import { FieldNationState, type WorkOrderRec } from './sandbox/state.js';

/** Token lifetime: one hour, as documented. */
const TOKEN_TTL_SECONDS = 3600;

/**
 * The sandbox's rate limit per API user. Field Nation does not publish its quota (per-minute and
 * per-hour, shared by every integration of the same API user); this figure is the sandbox's own.
 */
export const FIELD_NATION_RATE_LIMIT = { limit: 600, windowMs: 60_000 } as const;

const DESCRIPTION = [
  'Simulator of the Field Nation Client REST API v2 (FieldGraph sandbox).',
  'Authenticate with POST /authentication/api/oauth/token (grant_type=password with client_id, client_secret, username, password; JSON or form body).',
  'Tokens are opaque, live 3600 s and cannot be refreshed (the refresh_token is issued but refused): request a new token.',
  'Pass the token as the access_token query parameter (primary) or an Authorization: Bearer header.',
  'An expired token is answered 400 Bad Request with detail "Expired token" (code EXPIRED_TOKEN); a missing or unknown one 401 "Invalid or expired access token".',
  'Errors are RFC 9457 application/problem+json with code, retryable, correlationId and errors[].',
  `Rate limit (sandbox figure; the real quota is unpublished): ${FIELD_NATION_RATE_LIMIT.limit} requests per minute per API user.`,
  'Over it: 429 RATE_LIMIT_EXCEEDED with Retry-After (seconds), X-RateLimit-Remaining: 0 and an agent retry hint; successful calls carry X-RateLimit-Limit and X-RateLimit-Remaining.',
  'Lists answer {metadata: {total, page, pages, per_page, columns, view, sort, order, list}, results}; per_page defaults to 25 and may not exceed 100.',
  'The work-order list is sticky per API user: pass sticky=false.',
  'Timestamps are objects {utc: "YYYY-MM-DD HH:MM:SS"}.',
].join(' ');

const ActionInput = z.object({ id: IntId });

/** Creates the Field Nation simulator over the data set's `fieldnation` records. */
export const createFieldNationSimulator: SimulatorFactory = (ctx): VendorSimulator => {
  const state = new FieldNationState(ctx.dataset, ctx.now);
  const sticky = new Map<number, ListState>();
  const tokens = new TokenStore<{ userId: number }>('fieldnation-sandbox-signing-key');
  // Mirrors the server's fixed-window count of the built-in limit, to report X-RateLimit-Remaining.
  const windows = new Map<number, { start: number; count: number }>();

  const authenticate = (req: SimRequest): Principal => {
    const token = req.rawQuery.get('access_token') || bearerToken(req.headers);
    const v = tokens.verify(token);
    if (!v.ok) {
      // The legacy API answers an expired token with 400 "Expired token" (newer pages say 401);
      // connectors treat both as "authenticate again".
      if (v.reason === 'expired') throw problem(400, 'EXPIRED_TOKEN', 'Expired token', req);
      throw problem(401, 'UNAUTHORIZED', 'Invalid or expired access token', req);
    }
    const now = Date.now();
    let w = windows.get(v.data.userId);
    if (!w || now - w.start >= FIELD_NATION_RATE_LIMIT.windowMs) {
      w = { start: now, count: 0 };
      windows.set(v.data.userId, w);
    }
    w.count++;
    return { userId: v.data.userId, rateRemaining: Math.max(0, FIELD_NATION_RATE_LIMIT.limit - w.count) };
  };

  const tokenRoute: RouteDef<Record<string, unknown>, z.output<typeof TokenInput>> = {
    method: 'POST',
    path: '/authentication/api/oauth/token',
    operationId: 'createAccessToken',
    summary: 'Exchange client and API-user credentials for an access token (password grant; JSON or form body).',
    description: 'Refresh tokens are not supported: grant_type=refresh_token is refused; request a new token with the password grant.',
    tags: ['Authentication'],
    auth: false,
    body: TokenInput,
    bodyEncoding: 'json-or-form',
    responses: { 200: { description: 'An access token for one hour.', schema: TokenResponseSchema }, ...problemResponses(400, 401, 429) },
    handler: (req) => {
      const b = req.body;
      if (b.grant_type === 'refresh_token') {
        throw problem(400, 'UNSUPPORTED_GRANT_TYPE', 'Refresh tokens are not supported; request a new access token with the password grant.', req);
      }
      if (b.grant_type !== 'password') throw problem(400, 'UNSUPPORTED_GRANT_TYPE', `Unsupported grant_type "${b.grant_type}"; use password.`, req);
      if (b.client_id !== CREDENTIALS.clientId || b.client_secret !== CREDENTIALS.clientSecret) {
        throw problem(401, 'INVALID_CLIENT', 'Invalid client credentials.', req);
      }
      const missing = (['username', 'password'] as const).filter((f) => !b[f]);
      if (missing.length) {
        throw problem(400, 'VALIDATION_ERROR', 'The request is invalid; see errors for the fields.', req, missing.map((f) => ({ field: f, message: 'Required for the password grant.' })));
      }
      if (b.username!.trim().toLowerCase() !== CREDENTIALS.username || b.password !== CREDENTIALS.password) {
        throw problem(401, 'INVALID_CREDENTIALS', 'Invalid username or password.', req);
      }
      const ttl = ctx.tokenTtl(TOKEN_TTL_SECONDS);
      return {
        status: 200,
        body: {
          access_token: tokens.issue({ userId: API_USER.id }, ttl, 'opaque'),
          expires_in: ttl,
          token_type: 'Bearer',
          scope: 'client',
          refresh_token: randomBytes(24).toString('hex'),
          user: { ...API_USER, company: { id: COMPANY.id, name: COMPANY.name } },
        },
      };
    },
  };

  // Every handler: FnProblems become problem+json with this call's correlation id, and
  // successful authenticated answers carry the rate-limit headers.
  const wrap = (route: RouteDef): RouteDef => ({
    ...route,
    handler: async (req) => {
      try {
        const out = await route.handler(req);
        if (route.auth === false) return out;
        const p = req.auth as Principal;
        return {
          ...out,
          headers: {
            ...out.headers,
            'x-ratelimit-limit': String(FIELD_NATION_RATE_LIMIT.limit),
            'x-ratelimit-remaining': String(p.rateRemaining),
          },
        };
      } catch (e) {
        if (e instanceof FnProblem) throw toHttpError(e, req.requestId);
        throw e;
      }
    },
  });

  const act = (body: unknown, run: (rec: WorkOrderRec) => WorkOrderRec): unknown => {
    const parsed = ActionInput.safeParse(body);
    if (!parsed.success) {
      throw toHttpError(new FnProblem(400, 'VALIDATION_ERROR', 'The request is invalid; see errors for the fields.', [{ field: 'id', message: 'Required: the work order id.' }]));
    }
    try {
      return renderWorkOrder(state, run(state.workOrder(parsed.data.id)));
    } catch (e) {
      if (e instanceof FnProblem) throw toHttpError(e);
      throw e;
    }
  };

  return {
    key: 'fieldnation',
    title: 'Field Nation',
    description: DESCRIPTION,
    basePath: '/fieldnation',
    routes: [tokenRoute as RouteDef, ...workOrderRoutes({ state, sticky }), ...directoryRoutes(state)].map(wrap),
    errors: fieldNationErrors,
    authenticate,
    builtInRateLimit: {
      limit: FIELD_NATION_RATE_LIMIT.limit,
      windowMs: FIELD_NATION_RATE_LIMIT.windowMs,
      key: (req) => (req.auth ? String((req.auth as Principal).userId) : undefined),
    },
    tokens: [tokens as TokenStore<unknown>],
    info: (origin) => ({
      key: 'fieldnation',
      title: 'Field Nation',
      baseUrl: `${origin}/fieldnation/api/rest/v2`,
      openapiUrl: `${origin}/fieldnation/api/rest/v2/openapi.json`,
      auth: {
        type: 'password',
        tokenUrl: `${origin}/fieldnation/authentication/api/oauth/token`,
        clientId: CREDENTIALS.clientId,
        clientSecret: CREDENTIALS.clientSecret,
        username: CREDENTIALS.username,
        password: CREDENTIALS.password,
      },
    }),
    security: {
      schemes: {
        accessToken: { type: 'apiKey', in: 'query', name: 'access_token', description: 'The access token as a query parameter (primary).' },
        bearer: { type: 'http', scheme: 'bearer', description: 'The same token as Authorization: Bearer.' },
      },
      default: [{ accessToken: [] }, { bearer: [] }],
    },
    actions: {
      /** The assigned provider marks the work done: Assigned → Work Done. Body `{id}`. */
      'work-done': (body) => act(body, (rec) => state.workDone(rec)),
      /** Field Nation pays the provider: Approved → Paid. Body `{id}`. */
      'mark-paid': (body) => act(body, (rec) => state.markPaid(rec)),
    },
    reset: () => {
      state.load();
      sticky.clear();
      windows.clear();
    },
  };
};
