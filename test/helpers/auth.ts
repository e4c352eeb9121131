/**
 * Credentials for tests: a key per role (the server holds only their hashes), and the open
 * settings of tests that are not about authentication (requests without a header act as admin).
 */
import { generateApiKey, hashApiKey, type ApiKeyEntry } from '../../src/auth/credentials.js';
import type { AuthOptions } from '../../src/auth/http.js';
import type { Principal, Role } from '../../src/auth/principal.js';

/** The principal of requests without credentials in tests that are not about authentication. */
export const TEST_ADMIN: Principal = { id: 'key:test-admin', tenant: 'default', roles: ['admin'], via: 'api-key' };

/** Auth settings of tests that are not about authentication. */
export const OPEN_AUTH: AuthOptions = { anonymous: TEST_ADMIN };

/** A fresh key and its configuration entry. */
export function testKey(name: string, roles: Role[], tenant = 'default'): { key: string; entry: ApiKeyEntry; header: Record<string, string> } {
  const key = generateApiKey();
  return { key, entry: { name, hash: hashApiKey(key), tenant, roles }, header: { authorization: `Bearer ${key}` } };
}
