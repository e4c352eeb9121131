/**
 * Astea Alliance client with a fake fetch: the sign-in request (Basic integration credentials,
 * tenant, TOTP code), bearer calls with every path segment encoded, list queries, re-sign-in on a
 * refused session, and Alliance error bodies to connector errors without secrets.
 */
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { AsteaClient, classifyAsteaError } from '../../../../connectors/astea/client.js';
import type { AsteaConnection } from '../../../../connectors/astea/index.js';
import { resetSharedClientState } from '../../../../connectors/core/http-client.js';
import { ConnectorError } from '../../../../connectors/types.js';
import { totp } from '../../../../src/util/totp.js';

const CONNECTION: AsteaConnection = {
  baseUrl: 'https://api.example.test/integrations/int_1/',
  clientId: 'client-id',
  clientSecret: 'client-secret-value',
  username: 'dispatcher@example.test',
  password: 'p4ssw0rd-value',
  tenant: 'global-services',
  totpSecret: 'JBSWY3DPEHPK3PXP',
};

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../../fixtures/astea/${name}`, import.meta.url), 'utf8'));

interface Seen {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: any;
}

/** A fake Alliance: answers from `route`, records every call. */
function fakeFetch(route: (call: Seen, n: number) => { status: number; body?: unknown; text?: string }) {
  const seen: Seen[] = [];
  const f = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    const call: Seen = { method: init?.method ?? 'GET', url, headers: { ...(init?.headers as Record<string, string>) }, body: init?.body ? JSON.parse(String(init.body)) : undefined };
    seen.push(call);
    const r = route(call, seen.length);
    return new Response(r.text ?? (r.body === undefined ? '' : JSON.stringify(r.body)), { status: r.status });
  }) as typeof fetch;
  return { f, seen };
}

const SESSION = { authToken: 'tok-1', expiresIn: 3600, user: { id: 'u_1', name: 'D', entitlements: [] } };

beforeEach(() => resetSharedClientState());

describe('AsteaClient', () => {
  it('signs in with Basic credentials, tenant and a TOTP code, then calls with the bearer token and encoded ids', async () => {
    const now = Date.parse('2026-01-21T10:00:00Z');
    const { f, seen } = fakeFetch((c) => (c.url.pathname.endsWith('/sessions') ? { status: 200, body: SESSION } : { status: 200, body: fixture('work-order.get.ok.json') }));
    const client = new AsteaClient(CONNECTION, { fetch: f }, { now: () => now });
    const wo = await client.getWorkOrder('wo/1 2');
    expect(wo?.workOrderId).toBe('wo_1ef596');
    const [signIn, get] = seen;
    expect(signIn!.method).toBe('POST');
    expect(signIn!.url.href).toBe('https://api.example.test/integrations/int_1/sessions');
    expect(signIn!.headers.authorization).toBe(`Basic ${Buffer.from('client-id:client-secret-value').toString('base64')}`);
    expect(signIn!.body).toEqual({ username: CONNECTION.username, password: CONNECTION.password, tenant: 'global-services', mfa: { type: 'totp', code: totp(CONNECTION.totpSecret, now) } });
    expect(get!.method).toBe('GET');
    expect(get!.url.pathname).toBe('/integrations/int_1/work-orders/wo%2F1%202');
    expect(get!.headers.authorization).toBe('Bearer tok-1');
  });

  it('sends list filters and paging as query parameters', async () => {
    const { f, seen } = fakeFetch((c) => (c.url.pathname.endsWith('/sessions') ? { status: 200, body: SESSION } : { status: 200, body: { items: [], page: 2, pageSize: 25, total: 0 } }));
    const client = new AsteaClient(CONNECTION, { fetch: f });
    await client.listWorkOrders({ customerId: 'cust_1', status: 'open', updatedFrom: '2026-01-01T00:00:00Z' }, { page: 2, pageSize: 25 });
    expect(Object.fromEntries(seen[1]!.url.searchParams)).toEqual({ customerId: 'cust_1', status: 'open', updatedFrom: '2026-01-01T00:00:00Z', page: '2', pageSize: '25' });
  });

  it('reads a 404 as null and signs in again once when the session is refused', async () => {
    let sessions = 0;
    const { f, seen } = fakeFetch((c, n) => {
      if (c.url.pathname.endsWith('/sessions')) return { status: 200, body: { ...SESSION, authToken: `tok-${++sessions}` } };
      if (n === 2) return { status: 401, body: fixture('error.401.json') };
      return { status: 404, body: fixture('error.404.json') };
    });
    const client = new AsteaClient(CONNECTION, { fetch: f });
    expect(await client.getAsset('asset_1')).toBeNull();
    expect(seen.map((c) => `${c.method} ${c.url.pathname.replace('/integrations/int_1', '')} ${c.headers.authorization?.slice(0, 12)}`)).toEqual([
      'POST /sessions Basic Y2xpZW',
      'GET /assets/asset_1 Bearer tok-1',
      'POST /sessions Basic Y2xpZW',
      'GET /assets/asset_1 Bearer tok-2',
    ]);
  });

  it('turns a refused sign-in into an unauthorized error without a secret in it', async () => {
    const { f } = fakeFetch(() => ({ status: 401, body: { error: { code: 'invalid_mfa', message: 'The MFA code is invalid or expired.', details: [{ field: 'mfa.code', message: 'Invalid code.' }] }, requestId: 'r' } }));
    const err = (await new AsteaClient(CONNECTION, { fetch: f }).ping().catch((e: unknown) => e)) as ConnectorError;
    expect(err).toBeInstanceOf(ConnectorError);
    expect(err).toMatchObject({ kind: 'unauthorized', vendor: 'astea', operation: 'sessions.create', status: 401, vendorCode: 'invalid_mfa' });
    const text = `${err.message} ${JSON.stringify(err)}`;
    for (const s of [CONNECTION.password, CONNECTION.clientSecret, CONNECTION.totpSecret, 'api.example.test']) expect(text).not.toContain(s);
  });

  it('does not retry a write whose outcome is unknown', async () => {
    const { f, seen } = fakeFetch((c) => (c.url.pathname.endsWith('/sessions') ? { status: 200, body: SESSION } : { status: 503, body: { error: { code: 'unavailable', message: 'x' }, requestId: 'r' } }));
    const client = new AsteaClient(CONNECTION, { fetch: f });
    const err = await client.createAssignment('wo_1', { technicianId: 't', scheduledStart: '2030-01-01T10:00:00Z', scheduledEnd: '2030-01-01T11:00:00Z' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'unavailable', status: 503 });
    expect(seen.filter((c) => c.method === 'POST' && c.url.pathname.endsWith('/assignments'))).toHaveLength(1);
  });
});

describe('classifyAsteaError', () => {
  it('reads Alliance error bodies', () => {
    expect(classifyAsteaError(422, fixture('error.422.skill-mismatch.json'))).toEqual({
      kind: 'invalid_request',
      message: 'skill_mismatch: Technician tech_b31fd0 lacks the skill "refrigeration" that a Chiller requires.',
      fieldErrors: [{ field: 'technicianId', message: 'Technician lacks required skill "refrigeration".' }],
      vendorCode: 'skill_mismatch',
    });
    expect(classifyAsteaError(409, fixture('error.409.schedule-conflict.json'))).toMatchObject({ kind: 'conflict', vendorCode: 'schedule_conflict', fieldErrors: [{ field: 'scheduledStart' }] });
    expect(classifyAsteaError(409, fixture('error.409.conflict.json'))).toMatchObject({ kind: 'conflict', vendorCode: 'conflict', fieldErrors: [{ field: 'status' }] });
    expect(classifyAsteaError(400, fixture('error.400.json'))).toMatchObject({ kind: 'invalid_request', vendorCode: 'validation_error', fieldErrors: [{ field: 'parts.0.quantity' }] });
    expect(classifyAsteaError(422, fixture('error.422.unprocessable.json'))).toMatchObject({ kind: 'invalid_request', vendorCode: 'unprocessable' });
    expect(classifyAsteaError(404, fixture('error.404.json'))).toEqual({ kind: 'not_found', message: 'not_found: Work order wo_nope not found.', fieldErrors: [], vendorCode: 'not_found' });
    expect(classifyAsteaError(401, fixture('error.401.json'))).toMatchObject({ kind: 'unauthorized', vendorCode: 'unauthorized' });
  });

  it('classifies by status alone when the body is not Alliance’s, and cuts long messages', () => {
    expect(classifyAsteaError(502, '<html>Bad gateway</html>')).toEqual({ kind: 'unavailable', message: 'HTTP 502' });
    expect(classifyAsteaError(504, undefined)).toEqual({ kind: 'timeout', message: 'HTTP 504' });
    expect(classifyAsteaError(429, { error: { code: 'rate_limited', message: 'Too many requests; retry later.' }, requestId: 'r' })).toMatchObject({ kind: 'rate_limited' });
    expect(classifyAsteaError(418, { unexpected: true })).toEqual({ kind: 'invalid_request', message: 'HTTP 418' });
    const long = classifyAsteaError(400, { error: { code: 'validation_error', message: 'x'.repeat(1000) } });
    expect(long.message.length).toBeLessThan(240);
  });
});
