/**
 * A cached access token, refreshed early and single-flight: however many calls need a token at
 * expiry, one token request is made and all of them wait for it.
 */

/** A token and when it stops being valid (ms since epoch). */
export interface IssuedToken {
  token: string;
  expiresAt: number;
}

/** Options of {@link TokenCache}. */
export interface TokenCacheOptions {
  /**
   * Gets a new token. `current` is the still-valid token, when there is one, for vendors that
   * refresh a session rather than signing in again.
   */
  fetch: (current: IssuedToken | undefined) => Promise<IssuedToken>;
  /** Refresh this long before expiry (default 60 s, at most a fifth of the lifetime). */
  skewMs?: number;
  now?: () => number;
}

export class TokenCache {
  private current: IssuedToken | undefined;
  private inflight: Promise<IssuedToken> | undefined;
  private readonly skewMs: number;
  private readonly now: () => number;
  /** Token requests made so far (for tests and metrics). */
  requests = 0;

  constructor(private readonly options: TokenCacheOptions) {
    this.skewMs = options.skewMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  private refreshAt = 0;

  private fresh(): boolean {
    return this.current !== undefined && this.now() < this.refreshAt;
  }

  /** A valid token: the cached one, or one new token request shared by every caller. */
  async get(): Promise<string> {
    const cached = this.current;
    if (cached && this.fresh()) return cached.token;
    if (!this.inflight) {
      const previous = cached && cached.expiresAt > this.now() ? cached : undefined;
      this.requests++;
      this.inflight = this.options.fetch(previous).then(
        (t) => {
          const now = this.now();
          // Refresh a minute early, or a fifth of the lifetime early for short-lived tokens.
          this.refreshAt = t.expiresAt - Math.min(this.skewMs, Math.max(0, t.expiresAt - now) / 5);
          this.current = t;
          this.inflight = undefined;
          return t;
        },
        (e: unknown) => {
          this.inflight = undefined;
          throw e;
        },
      );
    }
    return (await this.inflight).token;
  }

  /** Forgets `token` (the vendor refused it), so the next `get` fetches a new one. */
  invalidate(token: string): void {
    if (this.current?.token === token) this.current = undefined;
  }
}

// Connectors are built per request; a vendor session is not. Session vendors sign in with a TOTP
// code, which a real identity provider may refuse to see twice within its 30-second step, and a
// sign-in per GraphQL request would hammer the vendor's session endpoint.
const sharedCaches = new Map<string, TokenCache>();

/**
 * The process-wide token cache of one vendor account: the first caller's `create` builds it, every
 * later caller with the same `key` shares it, and so its single-flight refresh. `key` must identify
 * the credentials completely (hash the secrets into it) so that different credentials never share
 * a session.
 */
export function sharedTokenCache(key: string, create: () => TokenCache): TokenCache {
  let cache = sharedCaches.get(key);
  if (!cache) sharedCaches.set(key, (cache = create()));
  return cache;
}

/** Test hook: forget every shared token cache. */
export function resetSharedTokenCaches(): void {
  sharedCaches.clear();
}
