/**
 * ServiceTitan authentication (ST-OAUTH, ST-FIRST, ST-FAQ): an OAuth 2.0 client_credentials token
 * endpoint (form-encoded, 900 s JWTs, no refresh tokens, throttled per client), and the two headers
 * every API call needs: `Authorization: Bearer <token>` (a bare token also works) and `ST-App-Key`.
 * A token is bound to its tenant: calling another tenant's path is a 403.
 */
import { z } from 'zod';
import { WindowLimiter } from '../../sandbox/faults.js';
import { bearerToken, HttpError, TokenStore, type RouteDef, type SimContext, type SimRequest } from '../../sandbox/kit.js';
import { SERVICETITAN_SANDBOX, TOKEN_REQUESTS_PER_MINUTE, TOKEN_TTL_SECONDS } from './constants.js';
import { OAuthErrorSchema, problem, ProblemSchema } from './errors.js';
import type { Principal } from './http.js';
import { TokenResponseSchema } from './schemas.js';

const SCOPES = 'tn.crm.customers tn.crm.locations tn.jpm.jobs tn.jpm.appointments tn.dispatch.appointmentassignments tn.eqs.installedequipment tn.settings.technicians tn.accounting.invoices tn.accounting.payments tn.memberships.memberships tn.crm.bookings';

function oauthError(status: number, error: string, description: string, headers: Record<string, string> = {}): HttpError {
  return new HttpError(status, { error, error_description: description }, { 'cache-control': 'no-store', ...headers });
}

// Every field is optional here so that a missing one gets the OAuth error shape from the handler,
// not the API's RFC 7807 validation error.
const TokenBody = z.object({
  grant_type: z.string().optional().describe('Must be client_credentials.'),
  client_id: z.string().optional().describe('Client id of the tenant credential pair (cid.…).'),
  client_secret: z.string().optional().describe('Client secret of the tenant credential pair (cs1.…).'),
  scope: z.string().optional(),
});

/** The token endpoint, the token store, the token throttle and `authenticate`. */
export function createAuth(ctx: SimContext) {
  const tokens = new TokenStore<Principal>('servicetitan-sandbox-signing-key');
  const throttle = new WindowLimiter();
  const clients = new Map<string, { clientSecret: string; tenant: string }>(SERVICETITAN_SANDBOX.tenants.map((t) => [t.clientId, t]));

  const tokenRoute: RouteDef = {
    method: 'POST',
    path: '/connect/token',
    operationId: 'Token_Create',
    summary: 'Issue an access token (OAuth 2.0 client_credentials).',
    description:
      'Form-encoded `grant_type=client_credentials&client_id=…&client_secret=…`. Tokens live 900 s and cannot be refreshed: ' +
      `request a new one (and cache it: at most ${TOKEN_REQUESTS_PER_MINUTE} token requests per minute per client id, then 429).`,
    tags: ['Authentication'],
    auth: false,
    bodyEncoding: 'form',
    body: TokenBody,
    responses: {
      200: { description: 'An access token.', schema: TokenResponseSchema },
      400: {
        description: 'invalid_request, invalid_client or unsupported_grant_type (a body that is not form-encoded gets the API error shape).',
        schema: z.union([OAuthErrorSchema, ProblemSchema]),
      },
      429: { description: 'Too many token requests for this client id; see Retry-After.', schema: OAuthErrorSchema },
    },
    handler: (req: SimRequest<Record<string, string>, z.infer<typeof TokenBody>>) => {
      const b = req.body;
      const wait = throttle.hit(b.client_id ?? '(none)', TOKEN_REQUESTS_PER_MINUTE, 60_000);
      if (wait) throw oauthError(429, 'rate_limited', 'Too many token requests; cache the access token until it expires.', { 'retry-after': String(wait) });
      if (!b.grant_type) throw oauthError(400, 'invalid_request', 'grant_type is required.');
      if (b.grant_type !== 'client_credentials') throw oauthError(400, 'unsupported_grant_type', 'Only client_credentials is supported.');
      const client = b.client_id ? clients.get(b.client_id) : undefined;
      if (!client || !b.client_secret || b.client_secret !== client.clientSecret) throw oauthError(400, 'invalid_client', 'Unknown client or wrong secret.');
      const ttl = ctx.tokenTtl(TOKEN_TTL_SECONDS);
      const access = tokens.issue({ clientId: b.client_id!, tenant: client.tenant }, ttl, 'jwt', {
        iss: 'https://auth-integration.servicetitan.io',
        client_id: b.client_id,
        tenant: client.tenant,
        scope: SCOPES.split(' '),
      });
      return { status: 200, body: { access_token: access, expires_in: ttl, token_type: 'Bearer', scope: SCOPES }, headers: { 'cache-control': 'no-store' } };
    },
  };

  const unauthorized = (req: SimRequest, title: string, reason: string): HttpError =>
    problem(401, title, req, {}, { 'www-authenticate': `Bearer error="invalid_token", error_description="${title}"` }, { reason });

  const authenticate = (req: SimRequest): Principal => {
    const v = tokens.verify(bearerToken(req.headers));
    if (!v.ok) {
      if (v.reason === 'missing') throw unauthorized(req, 'The request has no access token.', 'missing_token');
      if (v.reason === 'expired') throw unauthorized(req, 'The access token expired.', 'token_expired');
      throw unauthorized(req, 'The access token is not valid.', 'invalid_token');
    }
    const appKey = req.headers['st-app-key'];
    if (appKey === undefined || appKey === '') throw problem(401, 'The ST-App-Key header is required.', req, {}, {}, { reason: 'missing_app_key' });
    if (appKey !== SERVICETITAN_SANDBOX.appKey) throw problem(401, 'The ST-App-Key is not valid.', req, {}, {}, { reason: 'invalid_app_key' });
    const tenant = req.params.tenant;
    if (tenant !== undefined && tenant !== v.data.tenant) {
      throw problem(403, `The access token was not issued for tenant ${tenant}.`, req, {}, {}, { reason: 'tenant_mismatch' });
    }
    return v.data;
  };

  return { tokens, throttle, tokenRoute, authenticate };
}
