/**
 * The shared session-vendor kit with a fake fetch: error-body classification under each vendor
 * policy, the list envelope and paging helpers, the sandbox sign-in, and the client (sign-in with
 * Basic + TOTP + tenant, bearer calls, one session per account, 404 as null).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { path, resetSharedClientState } from '../../../connectors/core/http-client.js';
import {
  allItems,
  clampPageSize,
  classifySessionError,
  createSessionClient,
  getOrNull,
  hasNextPage,
  listPage,
  nullIfNotFound,
  sandboxSignIn,
  SESSION_MAX_PAGE_SIZE,
  sessionListWire,
  toSessionFieldErrors,
  type SessionClientConfig,
  type SessionErrorPolicy,
  type SessionListWire,
} from '../../../connectors/core/session-vendor.js';
import { ConnectorError } from '../../../connectors/types.js';
import { totp } from '../../../src/util/totp.js';

const CODES: SessionErrorPolicy['codeKinds'] = { validation_error: 'invalid_request', not_found: 'not_found', token_expired: 'unauthorized', conflict: 'conflict' };

describe('classifySessionError', () => {
  const body = { error: { code: 'not_found', message: 'Work order\n wo_9 does not exist.', details: [{ field: 'workOrderId', message: 'Unknown.' }] }, requestId: 'req-1' };

  it('lets a listed code decide a 4xx, and the status decide 429, 5xx and unlisted codes', () => {
    expect(classifySessionError(422, body, { codeKinds: CODES })).toEqual({
      kind: 'not_found',
      message: 'Work order wo_9 does not exist.',
      fieldErrors: [{ field: 'workOrderId', message: 'Unknown.' }],
      vendorCode: 'not_found',
    });
    expect(classifySessionError(422, body).kind).toBe('invalid_request');
    expect(classifySessionError(429, { error: { code: 'conflict' } }, { codeKinds: CODES }).kind).toBe('rate_limited');
    expect(classifySessionError(503, { error: { code: 'validation_error' } }, { codeKinds: CODES }).kind).toBe('unavailable');
    expect(classifySessionError(409, { error: { code: 'mystery' } }, { codeKinds: CODES }).kind).toBe('conflict');
    // A code that names an Object.prototype member is not a listed code.
    expect(classifySessionError(400, { error: { code: 'constructor' } }, { codeKinds: CODES }).kind).toBe('invalid_request');
  });

  it('applies a vendor’s status overrides, with or without a body', () => {
    const policy: SessionErrorPolicy = { statusKinds: { 408: 'timeout', 504: 'timeout' } };
    expect(classifySessionError(504, undefined, policy)).toEqual({ kind: 'timeout', message: 'HTTP 504' });
    expect(classifySessionError(408, { error: { code: 'x', message: 'slow' } }, policy).kind).toBe('timeout');
    expect(classifySessionError(504, undefined)).toEqual({ kind: 'unavailable', message: 'HTTP 504' });
  });

  it('shows the code and the request id in the message when the vendor policy asks', () => {
    expect(classifySessionError(404, body, { message: { code: true } }).message).toBe('not_found: Work order wo_9 does not exist.');
    expect(classifySessionError(404, body, { message: { requestId: true } }).message).toBe('Work order wo_9 does not exist. (request req-1)');
    expect(classifySessionError(404, { error: { code: 'not_found' } }, { message: { code: true } }).message).toBe('not_found');
    expect(classifySessionError(404, { error: {} }).message).toBe('HTTP 404');
    expect(classifySessionError(400, { error: { message: 'x'.repeat(1000) } }).message).toHaveLength(200);
  });

  it('reads a body that is not the vendor’s as the status alone', () => {
    expect(classifySessionError(502, '<html>Bad gateway</html>', { codeKinds: CODES })).toEqual({ kind: 'unavailable', message: 'HTTP 502' });
    expect(classifySessionError(418, { unexpected: true })).toEqual({ kind: 'invalid_request', message: 'HTTP 418' });
  });

  it('normalises field details', () => {
    expect(
      toSessionFieldErrors([
        { field: ' sla.priority ', message: 'Must be\n one of low, normal.' },
        { field: null, message: 'Body is invalid.' },
        { field: 'notes', message: null },
        { field: '', message: '' },
      ]),
    ).toEqual([
      { field: 'sla.priority', message: 'Must be one of low, normal.' },
      { field: 'body', message: 'Body is invalid.' },
      { field: 'notes', message: 'Invalid.' },
    ]);
    expect(toSessionFieldErrors(undefined)).toEqual([]);
  });
});

describe('list envelope and paging', () => {
  const list = (items: number, extra: Partial<SessionListWire<number>> = {}): SessionListWire<number> => ({ items: Array.from({ length: items }, (_, i) => i), ...extra });

  it('parses the envelope tolerantly but refuses a negative total or missing items', () => {
    const schema = sessionListWire(z.number());
    expect(schema.parse({ items: [1], page: null, pageSize: null, total: null })).toEqual({ items: [1], page: null, pageSize: null, total: null });
    expect(schema.safeParse({ items: [], total: -1 }).success).toBe(false);
    expect(schema.safeParse({ page: 1 }).success).toBe(false);
  });

  it('finds the next page by total, by the echoed page and size, or by a full page', () => {
    expect(hasNextPage(list(3, { total: 7 }), 2, 3)).toBe(true);
    expect(hasNextPage(list(1, { total: 7 }), 3, 3)).toBe(false);
    // The vendor served 50 where 100 were asked: its size counts.
    expect(hasNextPage(list(50, { page: 1, pageSize: 50, total: 120 }), 1, 100)).toBe(true);
    expect(hasNextPage(list(3), 1, 3)).toBe(true);
    expect(hasNextPage(list(2), 1, 3)).toBe(false);
    expect(hasNextPage(list(0, { total: 10 }), 1, 3)).toBe(false);
  });

  it('clamps page sizes to 1..100', () => {
    expect(clampPageSize(undefined)).toBe(SESSION_MAX_PAGE_SIZE);
    expect(clampPageSize(Number.NaN)).toBe(100);
    expect(clampPageSize(500)).toBe(100);
    expect(clampPageSize(0)).toBe(1);
    expect(clampPageSize(25.7)).toBe(25);
    expect(clampPageSize(30, 20)).toBe(20);
  });

  it('collects every item; null when the parent is missing', async () => {
    const asked: number[] = [];
    const pages = [list(2, { total: 5 }), list(2, { total: 5 }), list(1, { total: 5 })];
    expect(await allItems(async (p) => (asked.push(p.page), pages[p.page - 1]!), 2)).toEqual([0, 1, 0, 1, 0]);
    expect(asked).toEqual([1, 2, 3]);
    expect(await allItems(async () => null)).toBeNull();
    expect(await allItems(async (p) => (p.page === 1 ? list(100) : null))).toHaveLength(100);
  });
});

describe('sandboxSignIn', () => {
  const info = (auth: Record<string, unknown>) => ({ key: 'astea' as const, title: 'Astea', baseUrl: 'http://127.0.0.1:1/astea', openapiUrl: '', auth });
  const auth = { type: 'session', clientId: 'c', clientSecret: 's', username: 'u', password: 'p', mfa: { type: 'totp', secret: 'JBSWY3DPEHPK3PXP' } };

  it('flattens the sandbox sign-in, with the tenant when there is one', () => {
    expect(sandboxSignIn(info(auth))).toEqual({ baseUrl: 'http://127.0.0.1:1/astea', clientId: 'c', clientSecret: 's', username: 'u', password: 'p', totpSecret: 'JBSWY3DPEHPK3PXP' });
    expect(sandboxSignIn(info({ ...auth, tenant: 't1' })).tenant).toBe('t1');
    expect(() => sandboxSignIn(info({ type: 'oauth', clientId: 'c' }))).toThrow(z.ZodError);
  });
});

describe('createSessionClient', () => {
  interface Seen {
    method: string;
    url: URL;
    headers: Record<string, string>;
    body: any;
  }
  function fakeFetch(route: (call: Seen) => { status: number; body?: unknown }) {
    const seen: Seen[] = [];
    const f = (async (input: string | URL | Request, init?: RequestInit) => {
      const call: Seen = { method: init?.method ?? 'GET', url: new URL(String(input)), headers: { ...(init?.headers as Record<string, string>) }, body: init?.body ? JSON.parse(String(init.body)) : undefined };
      seen.push(call);
      const r = route(call);
      return new Response(r.body === undefined ? '' : JSON.stringify(r.body), { status: r.status });
    }) as typeof fetch;
    return { f, seen };
  }
  const SESSION = { authToken: 'tok-1', expiresIn: 3600 };
  const Thing = z.object({ id: z.string() });
  const config = (f: typeof fetch, over: Partial<SessionClientConfig> = {}): SessionClientConfig => ({
    vendor: 'astea',
    connection: {
      baseUrl: 'https://api.example.test/integrations/int_1/',
      clientId: 'cid',
      clientSecret: 'csecret',
      username: 'User@example.test',
      password: 'pw',
      totpSecret: 'JBSWY3DPEHPK3PXP',
      tenant: 'acme',
      rateLimit: { perSecond: 1000, burst: 100 },
    },
    defaultRateLimit: { perSecond: 10, burst: 10 },
    errors: { codeKinds: CODES },
    options: { fetch: f },
    ...over,
  });
  const route = (c: Seen) =>
    c.url.pathname.endsWith('/sessions')
      ? { status: 200, body: SESSION }
      : c.url.pathname.endsWith('/missing')
        ? { status: 404, body: { error: { code: 'not_found', message: 'No such thing.' }, requestId: 'r' } }
        : c.url.pathname.endsWith('/broken')
          ? { status: 400, body: { error: { code: 'validation_error', message: 'Bad.', details: [{ field: 'x', message: 'Required.' }] }, requestId: 'r' } }
          : { status: 200, body: c.url.pathname.endsWith('/things') ? { items: [{ id: 'a' }], page: 1, pageSize: 100, total: 1 } : { id: 'a' } };

  beforeEach(() => resetSharedClientState());

  it('signs in with Basic credentials, username, password, tenant and TOTP, then calls with the bearer token', async () => {
    const now = Date.parse('2026-01-21T10:00:00Z');
    const { f, seen } = fakeFetch(route);
    const { http } = createSessionClient(config(f, { now: () => now }));
    expect(await getOrNull(http, 'things.get', path`/things/${'a/1'}`, Thing)).toEqual({ id: 'a' });
    const [signIn, get] = seen;
    expect(signIn!.url.href).toBe('https://api.example.test/integrations/int_1/sessions');
    expect(signIn!.headers.authorization).toBe(`Basic ${Buffer.from('cid:csecret').toString('base64')}`);
    expect(signIn!.body).toEqual({ username: 'User@example.test', password: 'pw', tenant: 'acme', mfa: { type: 'totp', code: totp('JBSWY3DPEHPK3PXP', now) } });
    expect(get!.url.pathname).toBe('/integrations/int_1/things/a%2F1');
    expect(get!.headers.authorization).toBe('Bearer tok-1');
  });

  it('shares one session between clients of one account, and not with other credentials or another fetch', async () => {
    const { f, seen } = fakeFetch(route);
    const a = createSessionClient(config(f));
    const b = createSessionClient(config(f));
    expect(b.sessions).toBe(a.sessions);
    await a.http.request({ operation: 'things.get', method: 'GET', path: '/things/a', schema: Thing });
    await b.http.request({ operation: 'things.get', method: 'GET', path: '/things/a', schema: Thing });
    expect(seen.filter((c) => c.url.pathname.endsWith('/sessions'))).toHaveLength(1);
    const other = createSessionClient(config(f, { connection: { ...config(f).connection, password: 'other' } }));
    expect(other.sessions).not.toBe(a.sessions);
    expect(createSessionClient(config(fakeFetch(route).f)).sessions).not.toBe(a.sessions);
    expect(createSessionClient(config(f, { now: () => 0 })).sessions).not.toBe(a.sessions);
  });

  it('lists a page with clamped paging, reads 404 as null, and classifies errors with the vendor policy', async () => {
    const { f, seen } = fakeFetch(route);
    const { http } = createSessionClient(config(f));
    const page = await listPage(http, 'things.list', '/things', sessionListWire(Thing), { page: 2, pageSize: 500 }, { status: 'open', skipped: undefined });
    expect(page.items).toEqual([{ id: 'a' }]);
    expect(Object.fromEntries(seen.at(-1)!.url.searchParams)).toEqual({ status: 'open', page: '2', pageSize: '100' });
    expect(await getOrNull(http, 'things.get', '/missing', Thing)).toBeNull();
    expect(await nullIfNotFound(listPage(http, 'things.list', '/missing', sessionListWire(Thing), { page: 1, pageSize: 1 }))).toBeNull();
    const err = (await getOrNull(http, 'things.get', '/broken', Thing).catch((e: unknown) => e)) as ConnectorError;
    expect(err).toBeInstanceOf(ConnectorError);
    expect(err).toMatchObject({ kind: 'invalid_request', vendor: 'astea', status: 400, vendorCode: 'validation_error', fieldErrors: [{ field: 'x', message: 'Required.' }] });
  });
});
