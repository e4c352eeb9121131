/**
 * The auth, tenants and cache sections of the configuration: what the environment sets, and every
 * invalid setting refused by name.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { Authenticator, generateApiKey, hashApiKey, isAuthFailure } from '../../src/auth/credentials.js';

describe('auth configuration', () => {
  it('defaults to a development key in sandbox mode and nothing else', () => {
    expect(loadConfig({}).auth).toEqual({ apiKeys: [], devKey: true });
  });

  it('reads hashed API keys, the admin key, JWT settings and tenants from the environment', () => {
    const key = generateApiKey();
    const entry = { name: 'bot', hash: hashApiKey(key), tenant: 'acme', roles: ['dispatcher'] };
    const c = loadConfig({
      FIELDGRAPH_API_KEYS: JSON.stringify([entry]),
      FIELDGRAPH_ADMIN_KEY: 'a'.repeat(32),
      FIELDGRAPH_JWT_JWKS: JSON.stringify({ keys: [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y' }] }),
      FIELDGRAPH_JWT_ISSUER: 'https://id.example.test/',
      FIELDGRAPH_TENANTS: JSON.stringify({ acme: {} }),
      FIELDGRAPH_CACHE_TTLS: '{"technician": 60, "workOrder": 0}',
    });
    expect(c.auth.apiKeys).toEqual([entry]);
    expect(c.auth.adminKey).toBe('a'.repeat(32));
    expect(c.auth.jwt).toMatchObject({ issuer: 'https://id.example.test/', audience: 'fieldgraph', tenantClaim: 'tenant', rolesClaim: 'roles' });
    expect(c.tenants).toEqual({ acme: {} });
    expect(c.cache).toEqual({ enabled: true, ttlSeconds: { technician: 60, workOrder: 0 } });
  });

  it('refuses plain keys, unknown roles, short admin keys and a tenant named default', () => {
    expect(() =>
      loadConfig({
        FIELDGRAPH_API_KEYS: JSON.stringify([{ name: 'bot', hash: 'my-secret-key', tenant: 'default', roles: ['root'] }]),
        FIELDGRAPH_ADMIN_KEY: 'short',
        FIELDGRAPH_TENANTS: '{"default": {}}',
      }),
    ).toThrow(/auth\.apiKeys\.0\.hash[\s\S]*auth\.apiKeys\.0\.roles[\s\S]*auth\.adminKey/);
    expect(() => loadConfig({ FIELDGRAPH_TENANTS: '{"default": {}}' })).toThrow(/tenants\.default/);
  });
});

describe('API keys', () => {
  it('are found by hash only, and a near miss is refused', async () => {
    const key = generateApiKey();
    const auth = new Authenticator([{ name: 'bot', hash: hashApiKey(key), tenant: 'default', roles: ['viewer'] }]);
    expect(await auth.authenticate(`Bearer ${key}`)).toEqual({ id: 'key:bot', tenant: 'default', roles: ['viewer'], via: 'api-key' });
    const near = await auth.authenticate(`Bearer ${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`);
    expect(isAuthFailure(near) && near.error).toBe('invalid_token');
    const none = await auth.authenticate(undefined);
    expect(isAuthFailure(none) && none.error).toBe('invalid_request');
  });
});
