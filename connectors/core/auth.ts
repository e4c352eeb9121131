/**
 * The auth strategies of the five vendors, on one {@link TokenCache} each:
 * - bearer token in a header (ServiceTitan, plus its `ST-App-Key`; the session vendors);
 * - token in the `access_token` query parameter (Field Nation), where an expired token may come
 *   back as 401 or as the legacy `400 Expired token`;
 * - session sign-in with a TOTP code and session refresh (ServicePower, Sera, Astea Alliance).
 */
import { z } from 'zod';
import { totp } from '../../src/util/totp.js';
import type { AuthStrategy, VendorHttpClient } from './http-client.js';
import { TokenCache, type IssuedToken } from './token-cache.js';

/** `Authorization: Bearer <token>` plus fixed headers; 401 means the token is no longer good. */
export function bearerAuth(cache: TokenCache, extraHeaders: Record<string, string> = {}): AuthStrategy {
  return {
    async authorize(_url, headers) {
      const token = await cache.get();
      headers.authorization = `Bearer ${token}`;
      Object.assign(headers, extraHeaders);
      return token;
    },
    isAuthFailure: (status) => status === 401,
    invalidate: (token) => cache.invalidate(token),
  };
}

/**
 * Token in a query parameter. Field Nation answers an expired token with 401 or, on older
 * endpoints, `400 Bad Request: Expired token`: both mean sign in again.
 */
export function queryTokenAuth(cache: TokenCache, param = 'access_token'): AuthStrategy {
  return {
    async authorize(url) {
      const token = await cache.get();
      url.searchParams.set(param, token);
      return token;
    },
    isAuthFailure: (status, body) => status === 401 || (status === 400 && /expired token|invalid token|access token/i.test(typeof body === 'string' ? body : JSON.stringify(body ?? ''))),
    invalidate: (token) => cache.invalidate(token),
  };
}

/** Credentials of a session vendor (ServicePower, Sera, Astea Alliance). */
export interface SessionCredentials {
  clientId: string;
  clientSecret: string;
  username: string;
  password: string;
  /** Base32 TOTP secret of the integration user. */
  totpSecret: string;
  /** Astea Alliance sessions name a tenant. */
  tenant?: string;
}

const SessionResponse = z.object({ authToken: z.string().min(1), expiresIn: z.number().int().positive() });

/**
 * Session sign-in for the session vendors: `POST /sessions` with Basic integration credentials,
 * username, password and a TOTP code computed from the configured secret; while a session is still
 * valid it is renewed with `POST /sessions/refresh` instead (falling back to a new sign-in).
 */
export function sessionTokenCache(client: VendorHttpClient, creds: SessionCredentials, now: () => number = Date.now): TokenCache {
  const basic = Buffer.from(`${creds.clientId}:${creds.clientSecret}`).toString('base64');
  const signIn = async (): Promise<IssuedToken> => {
    const r = await client.request({
      operation: 'sessions.create',
      method: 'POST',
      path: '/sessions',
      auth: false,
      // A sign-in is safe to repeat: it creates nothing the vendor keeps.
      idempotent: true,
      headers: { authorization: `Basic ${basic}` },
      json: {
        username: creds.username,
        password: creds.password,
        ...(creds.tenant ? { tenant: creds.tenant } : {}),
        mfa: { type: 'totp', code: totp(creds.totpSecret, now()) },
      },
      schema: SessionResponse,
    });
    return { token: r.authToken, expiresAt: now() + r.expiresIn * 1000 };
  };
  return new TokenCache({
    now,
    fetch: async (current) => {
      if (current) {
        try {
          const r = await client.request({
            operation: 'sessions.refresh',
            method: 'POST',
            path: '/sessions/refresh',
            auth: false,
            idempotent: true,
            headers: { authorization: `Bearer ${current.token}` },
            schema: SessionResponse,
          });
          return { token: r.authToken, expiresAt: now() + r.expiresIn * 1000 };
        } catch {
          // The session could not be renewed (expired, revoked): sign in again.
        }
      }
      return signIn();
    },
  });
}
