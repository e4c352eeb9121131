/**
 * Authentication at the HTTP edge: before a GraphQL request is parsed, its `Authorization` header
 * must name a principal. Without a valid credential the answer is HTTP 401 with a
 * `WWW-Authenticate: Bearer` challenge and a GraphQL-shaped error (`UNAUTHENTICATED`), and
 * nothing is executed.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { ApiKeyEntry, Authenticator, JwtSettings } from './credentials.js';
import { isAuthFailure } from './credentials.js';
import type { Principal } from './principal.js';

/** The server's authentication settings. */
export interface AuthOptions {
  /** API keys by hash. */
  apiKeys?: readonly ApiKeyEntry[];
  /** JWT verification. */
  jwt?: JwtSettings;
  /**
   * Requests that carry no `Authorization` header act as this principal. For embedding the server
   * in a trusted process and for tests; the gateway never sets it. A credential that is present
   * but invalid is still refused.
   */
  anonymous?: Principal;
}

const PRINCIPAL = Symbol('principal');

/** The principal `authenticate` found for this response's request. */
export function principalOf(res: Response): Principal | undefined {
  return (res.locals as Record<symbol, Principal | undefined>)[PRINCIPAL];
}

/** The middleware: a principal for the request, or 401. */
export function authenticate(authenticator: Authenticator, anonymous: Principal | undefined): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const header = req.get('authorization');
    if (!header && anonymous) {
      (res.locals as Record<symbol, Principal>)[PRINCIPAL] = anonymous;
      next();
      return;
    }
    authenticator.authenticate(header).then((result) => {
      if (isAuthFailure(result)) {
        res
          .status(401)
          .set('www-authenticate', `Bearer realm="fieldgraph", error="${result.error}", error_description="${result.description.replace(/"/g, "'")}"`)
          .set('cache-control', 'no-store')
          .json({ errors: [{ message: result.description, extensions: { code: 'UNAUTHENTICATED' } }] });
        return;
      }
      (res.locals as Record<symbol, Principal>)[PRINCIPAL] = result;
      next();
    }, next);
  };
}
