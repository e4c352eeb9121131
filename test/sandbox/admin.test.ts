/**
 * The sandbox's admin routes and the faults they set, the same for every vendor: index, stats,
 * reset, and each kind of fault (vendor down, 5xx, rate limit, malformed body, timeout, `only`).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../connectors/sandbox/server.js';
import { VENDOR_KEYS, type VendorKey } from '../../connectors/vendors.js';
import { call, startTestSandbox } from '../helpers/sandbox.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(() => sandbox.close());
beforeEach(async () => {
  await call('POST', `${sandbox.origin}/_sandbox/reset`, { json: { faults: true } });
});

/** An unauthenticated call to a documented route of the vendor: answers 4xx when healthy. */
function probe(vendor: VendorKey): Promise<{ status: number; headers: Headers; body: any }> {
  const sim = sandbox.simulators[vendor]!;
  const route = sim.routes.find((r) => r.method === 'GET' && r.auth !== false) ?? sim.routes[0]!;
  return call('GET', `${sandbox.origin}${sim.basePath}${route.path.replace(/\{\w+\}/g, '1')}`);
}

describe('sandbox admin', () => {
  it('lists the five vendors with base URLs, OpenAPI documents and sandbox credentials', async () => {
    const { status, body } = await call('GET', `${sandbox.origin}/_sandbox`);
    expect(status).toBe(200);
    expect(body.vendors.map((v: { key: string }) => v.key)).toEqual([...VENDOR_KEYS]);
    for (const v of body.vendors) {
      expect(v.baseUrl.startsWith(sandbox.origin)).toBe(true);
      expect(v.openapiUrl).toMatch(/\/openapi\.json$/);
      expect(Object.keys(v.auth).length).toBeGreaterThan(2);
    }
    expect(body.mfa).toMatchObject({ type: 'totp', digits: 6, period: 30 });
    expect(JSON.stringify(body)).not.toMatch(/truth|nearMiss/i);
  });

  it('counts calls per vendor and endpoint, and resets the counts', async () => {
    await probe('sera');
    await probe('sera');
    await probe('astea');
    const { body } = await call('GET', `${sandbox.origin}/_sandbox/stats`);
    expect(body.vendors.sera.total).toBe(2);
    expect(body.vendors.astea.total).toBe(1);
    expect(body.total).toBe(3);
    const [endpoint, counts] = Object.entries(body.vendors.sera.endpoints)[0] as [string, { count: number; statuses: Record<string, number> }];
    expect(endpoint).toMatch(/^GET \//);
    expect(counts.count).toBe(2);
    expect(counts.statuses['401']).toBe(2);
    await call('POST', `${sandbox.origin}/_sandbox/reset`);
    expect((await call('GET', `${sandbox.origin}/_sandbox/stats`)).body.total).toBe(0);
  });

  it('refuses invalid faults and keeps the old ones', async () => {
    const bad = await call('PUT', `${sandbox.origin}/_sandbox/faults`, { json: { sera: { errorRate: 3 } } });
    expect(bad.status).toBe(400);
    const unknown = await call('PUT', `${sandbox.origin}/_sandbox/faults`, { json: { nosuchvendor: { down: true } } });
    expect(unknown.status).toBe(400);
    const badRegex = await call('PUT', `${sandbox.origin}/_sandbox/faults`, { json: { sera: { only: '(' } } });
    expect(badRegex.status).toBe(400);
    const { body } = await call('GET', `${sandbox.origin}/_sandbox/faults`);
    expect(body.sera.errorRate).toBe(0);
  });

  it.each(VENDOR_KEYS)('takes %s down and brings it back, touching no other vendor', async (vendor) => {
    await call('PUT', `${sandbox.origin}/_sandbox/faults`, { json: { [vendor]: { down: true } } });
    const down = await probe(vendor);
    expect(down.status).toBe(503);
    expect(typeof down.body).toBe('object');
    const other = VENDOR_KEYS.find((v) => v !== vendor)!;
    expect((await probe(other)).status).toBeLessThan(500);
    await call('PUT', `${sandbox.origin}/_sandbox/faults`, { json: { [vendor]: { down: false } } });
    expect((await probe(vendor)).status).toBeLessThan(500);
  });

  it('injects 5xx at the given rate', async () => {
    await call('PUT', `${sandbox.origin}/_sandbox/faults`, { json: { astea: { errorRate: 1, errorStatus: 502 } } });
    for (let i = 0; i < 5; i++) expect((await probe('astea')).status).toBe(502);
  });

  it('rate limits with 429 and Retry-After', async () => {
    await call('PUT', `${sandbox.origin}/_sandbox/faults`, { json: { servicepower: { rateLimit: { limit: 3, windowMs: 60_000 } } } });
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 5; i++) {
      const r = await probe('servicepower');
      statuses.push(r.status);
      if (r.status === 429) retryAfter = r.headers.get('retry-after');
    }
    expect(statuses.filter((s) => s === 429)).toHaveLength(2);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  });

  it('returns malformed bodies on success when asked, and leaves errors alone', async () => {
    await call('PUT', `${sandbox.origin}/_sandbox/faults`, { json: { servicetitan: { malformedRate: 1 } } });
    const info = (await call('GET', `${sandbox.origin}/_sandbox`)).body.vendors.find((v: { key: string }) => v.key === 'servicetitan');
    // The token endpoint succeeds, so its body is broken: either not JSON or not a token response.
    const token = await call('POST', info.auth.tokenUrl, { form: { grant_type: 'client_credentials', client_id: info.auth.clientId, client_secret: info.auth.clientSecret } });
    expect(token.status).toBe(200);
    expect(typeof token.body === 'string' || token.body.access_token === undefined).toBe(true);
    expect((await probe('servicetitan')).status).toBe(401);
  });

  it('holds calls until the client gives up when timeouts are injected, and counts them as status 0', async () => {
    await call('PUT', `${sandbox.origin}/_sandbox/faults`, { json: { fieldnation: { timeoutRate: 1, timeoutHoldMs: 5_000 } } });
    const sim = sandbox.simulators.fieldnation!;
    const ctrl = new AbortController();
    const t = setTimeout(() => ctrl.abort(), 200);
    await expect(fetch(`${sandbox.origin}${sim.basePath}${sim.routes[0]!.path}`, { signal: ctrl.signal })).rejects.toThrow();
    clearTimeout(t);
    await new Promise((r) => setTimeout(r, 50));
    const endpoints = sandbox.stats.snapshot().vendors.fieldnation!.endpoints;
    expect(Object.values(endpoints).some((e) => e.statuses['0'] === 1)).toBe(true);
  });

  it('applies faults only to matching endpoints with `only`', async () => {
    const sim = sandbox.simulators.sera!;
    const sessions = sim.routes.find((r) => r.path === '/sessions')!;
    await call('PUT', `${sandbox.origin}/_sandbox/faults`, { json: { sera: { errorRate: 1, only: '^POST /sessions$' } } });
    expect((await call('POST', `${sandbox.origin}${sim.basePath}${sessions.path}`, { json: {} })).status).toBe(503);
    expect((await probe('sera')).status).toBe(401);
  });
});
