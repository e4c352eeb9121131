/**
 * Authentication: the `Authorization: Bearer …` header of a request becomes a {@link Principal}.
 *
 * - **API keys** (services): random `fgk_…` strings. Configuration holds only their SHA-256 hashes
 *   (`sha256:<hex>`), with the tenant and roles each grants; a presented key is hashed and looked up.
 *   Keys carry 256 bits of randomness, so a fast hash is enough (as for GitHub's tokens): nothing
 *   can be guessed from it.
 * - **JWTs** (people): verified with `jose` against a configured JSON Web Key Set (inline, or a
 *   file), with the configured issuer and audience; the tenant and the roles come from claims.
 *
 * Anything else, or nothing, is refused with a reason for the `WWW-Authenticate` header; the
 * credential itself is never logged or echoed.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createLocalJWKSet, errors as joseErrors, jwtVerify, type JSONWebKeySet } from 'jose';
import { z } from 'zod';
import { TENANT_NAME } from '../ids.js';
import { ROLES, type Principal, type Role } from './principal.js';

/** One API key of the configuration: its hash, never the key. */
export const ApiKeyEntrySchema = z.object({
  /** A name for logs and metrics; the principal's id is `key:<name>`. */
  name: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/),
  /** `sha256:` and the hex SHA-256 of the key (`npm run key` makes a key and prints its entry). */
  hash: z.string().regex(/^sha256:[0-9a-f]{64}$/),
  tenant: z.string().regex(TENANT_NAME),
  roles: z.array(z.enum(ROLES)).min(1),
});
export type ApiKeyEntry = z.infer<typeof ApiKeyEntrySchema>;

/** How JWTs are verified. */
export const JwtSettingsSchema = z
  .object({
    /** The key set, inline (`FIELDGRAPH_JWT_JWKS`, JSON). */
    jwks: z.object({ keys: z.array(z.record(z.string(), z.unknown())).min(1) }).optional(),
    /** Or a file holding it (`FIELDGRAPH_JWT_JWKS_FILE`). */
    jwksFile: z.string().min(1).optional(),
    /** Required `iss` (`FIELDGRAPH_JWT_ISSUER`). */
    issuer: z.string().min(1),
    /** Required `aud` (`FIELDGRAPH_JWT_AUDIENCE`, default `fieldgraph`). */
    audience: z.string().min(1).default('fieldgraph'),
    /** The claim naming the tenant (default `tenant`). */
    tenantClaim: z.string().min(1).default('tenant'),
    /** The claim listing the roles (default `roles`). */
    rolesClaim: z.string().min(1).default('roles'),
    /** Accepted algorithms (default RS256, ES256, EdDSA: asymmetric only). */
    algorithms: z.array(z.string()).default(['RS256', 'ES256', 'EdDSA']),
    /** Clock skew allowed on `exp`/`nbf`, in seconds (default 30). */
    clockToleranceSeconds: z.number().int().min(0).max(600).default(30),
  })
  .refine((s) => (s.jwks === undefined) !== (s.jwksFile === undefined), { message: 'give exactly one of jwks and jwksFile' });
export type JwtSettings = z.infer<typeof JwtSettingsSchema>;

/** A refused credential: why, for the `WWW-Authenticate` header and the error message. */
export interface AuthFailure {
  /** `invalid_request` (no or malformed header) or `invalid_token`. */
  error: 'invalid_request' | 'invalid_token';
  description: string;
}

/** A new API key: `fgk_` and 32 random bytes, base64url. */
export function generateApiKey(): string {
  return `fgk_${randomBytes(32).toString('base64url')}`;
}

/** The configuration form of a key's hash. */
export function hashApiKey(key: string): string {
  return `sha256:${createHash('sha256').update(key, 'utf8').digest('hex')}`;
}

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
/** What an API key looks like: 24 to 200 characters of A-Z a-z 0-9 _ - (the configuration checks the admin key against it). */
export const API_KEY_SHAPE = /^[A-Za-z0-9_-]{24,200}$/;

/** Turns credentials into principals; built once per server. */
export class Authenticator {
  private readonly keys: Array<{ digest: Buffer; entry: ApiKeyEntry }>;
  private readonly jwks: ReturnType<typeof createLocalJWKSet> | undefined;

  constructor(
    apiKeys: readonly ApiKeyEntry[],
    private readonly jwt?: JwtSettings,
  ) {
    this.keys = apiKeys.map((entry) => ({ digest: Buffer.from(entry.hash.slice('sha256:'.length), 'hex'), entry }));
    if (jwt) {
      const set = (jwt.jwks ?? JSON.parse(readFileSync(jwt.jwksFile!, 'utf8'))) as JSONWebKeySet;
      this.jwks = createLocalJWKSet(set);
    }
  }

  /** The principal of an `Authorization` header value, or why it is refused. */
  async authenticate(header: string | undefined): Promise<Principal | AuthFailure> {
    if (!header) return { error: 'invalid_request', description: 'No credentials: send Authorization: Bearer <API key or JWT>.' };
    const m = /^Bearer +(\S+)\s*$/i.exec(header);
    if (!m) return { error: 'invalid_request', description: 'The Authorization header must be "Bearer <API key or JWT>".' };
    const token = m[1]!;
    if (API_KEY_SHAPE.test(token)) return this.byKey(token);
    if (JWT_SHAPE.test(token)) return this.byJwt(token);
    return { error: 'invalid_token', description: 'The credential is neither an API key nor a JWT.' };
  }

  private byKey(key: string): Principal | AuthFailure {
    const digest = createHash('sha256').update(key, 'utf8').digest();
    // Every entry is compared, in constant time, so timing tells nothing about which is close.
    let found: ApiKeyEntry | undefined;
    for (const k of this.keys) if (timingSafeEqual(k.digest, digest)) found = k.entry;
    if (!found) return { error: 'invalid_token', description: 'Unknown API key.' };
    return { id: `key:${found.name}`, tenant: found.tenant, roles: found.roles, via: 'api-key' };
  }

  private async byJwt(token: string): Promise<Principal | AuthFailure> {
    if (!this.jwks || !this.jwt) return { error: 'invalid_token', description: 'JWTs are not accepted here: no key set is configured.' };
    try {
      const { payload } = await jwtVerify(token, this.jwks, {
        issuer: this.jwt.issuer,
        audience: this.jwt.audience,
        algorithms: this.jwt.algorithms,
        clockTolerance: this.jwt.clockToleranceSeconds,
        requiredClaims: ['sub', 'exp'],
      });
      const tenant = payload[this.jwt.tenantClaim];
      if (typeof tenant !== 'string' || !TENANT_NAME.test(tenant)) return { error: 'invalid_token', description: `The token has no valid "${this.jwt.tenantClaim}" claim.` };
      const claimed = payload[this.jwt.rolesClaim];
      const roles = (Array.isArray(claimed) ? claimed : []).filter((r): r is Role => typeof r === 'string' && (ROLES as readonly string[]).includes(r));
      if (roles.length === 0) return { error: 'invalid_token', description: `The token's "${this.jwt.rolesClaim}" claim grants no known role.` };
      return { id: `jwt:${this.jwt.issuer}#${payload.sub}`, tenant, roles, via: 'jwt' };
    } catch (e) {
      if (e instanceof joseErrors.JWTExpired) return { error: 'invalid_token', description: 'The token has expired.' };
      if (e instanceof joseErrors.JOSEError) return { error: 'invalid_token', description: 'The token is not valid here.' };
      throw e;
    }
  }
}

/** Whether `value` is a refusal rather than a principal. */
export function isAuthFailure(value: Principal | AuthFailure): value is AuthFailure {
  return 'error' in value;
}
