/**
 * Who is asking: every request that runs has one principal, from an API key (services) or a JWT
 * (people). Authorization below the resolvers and the per-principal limits read it from the context.
 */

/** Roles, from least to most trusted; what each may do is in `src/auth/policy.ts`. */
export const ROLES = ['viewer', 'dispatcher', 'billing', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** An authenticated caller. */
export interface Principal {
  /** Stable id: `key:<name>` for API keys, `jwt:<issuer>#<sub>` for people. Used for budgets and idempotency scopes. */
  id: string;
  /** The tenant whose vendor accounts this principal may see. */
  tenant: string;
  roles: readonly Role[];
  /** How the principal proved itself. */
  via: 'api-key' | 'jwt';
}

/** Whether `principal` holds `role` (admin holds every role). */
export function hasRole(principal: Principal, role: Role): boolean {
  return principal.roles.includes('admin') || principal.roles.includes(role);
}
