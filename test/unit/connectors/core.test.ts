/**
 * The shared connector core with a fake fetch: URLs and headers, status -> ConnectorError kind,
 * retries (which, how many, Retry-After), re-auth on a refused token, the breaker, zod validation,
 * single-flight tokens, the rate limiter and look-before-write.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { bearerAuth, queryTokenAuth } from '../../../connectors/core/auth.js';
import { path, resetSharedClientState, VendorHttpClient, type VendorHttpOptions } from '../../../connectors/core/http-client.js';
import { writeOnce } from '../../../connectors/core/ops.js';
import { backoffDelay, CircuitBreaker, mapWithConcurrency, parseRetryAfter, RateLimiter } from '../../../connectors/core/resilience.js';
import { TokenCache } from '../../../connectors/core/token-cache.js';
import { ConnectorError } from '../../../connectors/types.js';

interface Call {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
}

/** A fake fetch answering from a queue of responses (or a function of the call). */
function fakeFetch(answers: Array<Response | Error | ((c: Call) => Response)>) {
  const calls: Call[] = [];
  const impl = (async (input: URL | string, init?: RequestInit) => {
    const call: Call = {
      url: new URL(String(input)),
      method: init?.method ?? 'GET',
      headers: { ...(init?.headers as Record<string, string>) },
      body: init?.body as string | undefined,
    };
    calls.push(call);
    const next = answers.length > 1 ? answers.shift()! : answers[0]!;
    if (next instanceof Error) throw next;
    return typeof next === 'function' ? next(call) : next.clone();
  }) as typeof fetch;
  return { impl, calls };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

const Item = z.object({ id: z.number() });

function client(fetchImpl: typeof fetch, extra: Partial<VendorHttpOptions> = {}): VendorHttpClient {
  return new VendorHttpClient({
    vendor: 'servicetitan',
    baseUrl: 'https://api.example.test/base/',
    fetch: fetchImpl,
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
    random: () => 0.5,
    ...extra,
  });
}

afterEach(() => resetSharedClientState());

describe('VendorHttpClient', () => {
  it('builds the URL with encoded path segments and comma-joined list parameters', async () => {
    const f = fakeFetch([json(200, { id: 1 })]);
    await client(f.impl).request({
      operation: 'jobs.get',
      method: 'GET',
      path: path`/jobs/${'a b/c'}`,
      query: { ids: [1, 2, 3], page: 2, none: undefined, active: 'Any' },
      schema: Item,
    });
    expect(f.calls[0]!.url.pathname).toBe('/base/jobs/a%20b%2Fc');
    expect(f.calls[0]!.url.searchParams.get('ids')).toBe('1,2,3');
    expect(f.calls[0]!.url.searchParams.get('page')).toBe('2');
    expect(f.calls[0]!.url.searchParams.has('none')).toBe(false);
  });

  it.each([
    [401, 'unauthorized'],
    [403, 'forbidden'],
    [404, 'not_found'],
    [409, 'conflict'],
    [422, 'invalid_request'],
    [400, 'invalid_request'],
  ] as const)('maps %i to %s without retrying', async (status, kind) => {
    const f = fakeFetch([json(status, { message: 'no' })]);
    const err = await client(f.impl)
      .request({ operation: 'x', method: 'GET', path: '/x', schema: Item })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectorError);
    expect(err).toMatchObject({ kind, vendor: 'servicetitan', operation: 'x', status });
    expect(f.calls).toHaveLength(1);
  });

  it('retries 5xx on reads until success, and never leaks the URL into the error', async () => {
    const f = fakeFetch([json(503, {}), json(502, {}), json(200, { id: 7 })]);
    const out = await client(f.impl).request({ operation: 'x', method: 'GET', path: '/x', query: { access_token: 'secret' }, schema: Item });
    expect(out).toEqual({ id: 7 });
    expect(f.calls).toHaveLength(3);

    const g = fakeFetch([json(503, {})]);
    const err = (await client(g.impl, { retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 } })
      .request({ operation: 'x', method: 'GET', path: '/x', query: { access_token: 'secret' }, schema: Item })
      .catch((e: unknown) => e)) as ConnectorError;
    expect(err.kind).toBe('unavailable');
    expect(g.calls).toHaveLength(2);
    expect(JSON.stringify({ m: err.message, s: String(err) })).not.toContain('secret');
  });

  it('does not retry a write that failed with a 5xx or a lost connection, but does retry a 429', async () => {
    const f = fakeFetch([json(503, {})]);
    await expect(client(f.impl).request({ operation: 'w', method: 'POST', path: '/w', json: {}, schema: Item })).rejects.toMatchObject({ kind: 'unavailable' });
    expect(f.calls).toHaveLength(1);

    const g = fakeFetch([new TypeError('socket hang up')]);
    await expect(client(g.impl).request({ operation: 'w', method: 'POST', path: '/w', json: {}, schema: Item })).rejects.toMatchObject({ kind: 'unavailable' });
    expect(g.calls).toHaveLength(1);

    const h = fakeFetch([json(429, {}, { 'retry-after': '0' }), json(201, { id: 1 })]);
    await expect(client(h.impl).request({ operation: 'w', method: 'POST', path: '/w', json: {}, schema: Item })).resolves.toEqual({ id: 1 });
    expect(h.calls).toHaveLength(2);
  });

  it('waits at least Retry-After before retrying a 429', () => {
    const policy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 4000 };
    expect(backoffDelay(policy, 1, 2000, () => 0.99)).toBe(2000);
    expect(backoffDelay(policy, 3, undefined, () => 0.5)).toBe(200);
    expect(backoffDelay(policy, 10, undefined, () => 0.999)).toBeLessThan(4000);
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(new Date(Date.now() + 5000).toUTCString())).toBeGreaterThan(3000);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });

  it('reports the Retry-After of a 429 it gives up on', async () => {
    const f = fakeFetch([json(429, {}, { 'retry-after': '7' })]);
    const err = (await client(f.impl, { retry: { maxAttempts: 1 } })
      .request({ operation: 'x', method: 'GET', path: '/x', schema: Item })
      .catch((e: unknown) => e)) as ConnectorError;
    expect(err.kind).toBe('rate_limited');
    expect(err.retryAfterMs).toBe(7000);
  });

  it('turns a body that breaks the schema, or is not JSON, into bad_response', async () => {
    const f = fakeFetch([json(200, { id: 'seven' })]);
    await expect(client(f.impl).request({ operation: 'x', method: 'GET', path: '/x', schema: Item })).rejects.toMatchObject({ kind: 'bad_response' });
    const g = fakeFetch([new Response('{"id": 1', { status: 200 })]);
    await expect(client(g.impl).request({ operation: 'x', method: 'GET', path: '/x', schema: Item })).rejects.toMatchObject({ kind: 'bad_response' });
  });

  it('times out a call that does not answer', async () => {
    const never = ((_u: URL, init?: RequestInit) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(new Error('aborted'))))) as unknown as typeof fetch;
    const err = (await client(never, { timeoutMs: 20, retry: { maxAttempts: 1 } })
      .request({ operation: 'x', method: 'GET', path: '/x', schema: Item })
      .catch((e: unknown) => e)) as ConnectorError;
    expect(err.kind).toBe('timeout');
  });

  it('re-authenticates once when the token is refused, with one new token', async () => {
    let issued = 0;
    const cache = new TokenCache({ fetch: async () => ({ token: `t${++issued}`, expiresAt: Date.now() + 900_000 }) });
    const f = fakeFetch([(c) => (c.headers.authorization === 'Bearer t1' ? json(401, {}) : json(200, { id: 1 }))]);
    const out = await client(f.impl, { auth: bearerAuth(cache, { 'ST-App-Key': 'ak1.x' }) }).request({ operation: 'x', method: 'GET', path: '/x', schema: Item });
    expect(out).toEqual({ id: 1 });
    expect(f.calls.map((c) => c.headers.authorization)).toEqual(['Bearer t1', 'Bearer t2']);
    expect(f.calls[1]!.headers['ST-App-Key']).toBe('ak1.x');
    expect(cache.requests).toBe(2);
  });

  it('treats Field Nation\'s legacy "400 Expired token" as a refused token', async () => {
    let issued = 0;
    const cache = new TokenCache({ fetch: async () => ({ token: `t${++issued}`, expiresAt: Date.now() + 3_600_000 }) });
    const f = fakeFetch([(c) => (c.url.searchParams.get('access_token') === 't1' ? json(400, { message: 'Expired token' }) : json(200, { id: 2 }))]);
    const out = await client(f.impl, { vendor: 'fieldnation', auth: queryTokenAuth(cache) }).request({ operation: 'x', method: 'GET', path: '/x', schema: Item });
    expect(out).toEqual({ id: 2 });
    expect(cache.requests).toBe(2);
  });

  it('opens the breaker after repeated failures, fails fast without calling, and closes after a good probe', async () => {
    const f = fakeFetch([json(503, {})]);
    const c = client(f.impl, { breaker: { failureThreshold: 3, openMs: 30 }, retry: { maxAttempts: 1 } });
    for (let i = 0; i < 3; i++) await c.request({ operation: 'x', method: 'GET', path: '/x', schema: Item }).catch(() => undefined);
    expect(c.breaker.state).toBe('open');
    const before = f.calls.length;
    await expect(c.request({ operation: 'x', method: 'GET', path: '/x', schema: Item })).rejects.toMatchObject({ kind: 'unavailable' });
    expect(f.calls.length).toBe(before);
    await new Promise((r) => setTimeout(r, 40));
    const g = fakeFetch([json(200, { id: 3 })]);
    const d = client(g.impl, { breaker: { failureThreshold: 3, openMs: 30 } });
    await expect(d.request({ operation: 'x', method: 'GET', path: '/x', schema: Item })).resolves.toEqual({ id: 3 });
    expect(d.breaker.state).toBe('closed');
  });
});

describe('TokenCache', () => {
  it('makes one token request for a hundred concurrent callers, and refreshes early', async () => {
    let now = 1_000_000;
    let requests = 0;
    const cache = new TokenCache({
      now: () => now,
      fetch: async () => {
        requests++;
        await new Promise((r) => setTimeout(r, 5));
        return { token: `t${requests}`, expiresAt: now + 900_000 };
      },
    });
    const tokens = await Promise.all(Array.from({ length: 100 }, () => cache.get()));
    expect(new Set(tokens)).toEqual(new Set(['t1']));
    expect(requests).toBe(1);
    now += 900_000 - 61_000;
    expect(await cache.get()).toBe('t1');
    now += 2_000; // within a minute of expiry: refresh before it runs out
    const again = await Promise.all(Array.from({ length: 100 }, () => cache.get()));
    expect(new Set(again)).toEqual(new Set(['t2']));
    expect(requests).toBe(2);
  });

  it('passes the still-valid token to the fetcher (session refresh) and forgets refused tokens', async () => {
    const seen: Array<string | undefined> = [];
    let n = 0;
    let now = 0;
    const cache = new TokenCache({
      now: () => now,
      fetch: async (current) => {
        seen.push(current?.token);
        return { token: `s${++n}`, expiresAt: now + 3_600_000 };
      },
    });
    await cache.get();
    now += 3_600_000 - 30_000;
    await cache.get();
    cache.invalidate('s2');
    await cache.get();
    // A refused token is not renewed: the next token comes from a new sign-in.
    expect(seen).toEqual([undefined, 's1', undefined]);
  });
});

describe('resilience parts', () => {
  it('rate limiter lets a burst through and then paces at the rate', async () => {
    const limiter = new RateLimiter(1000, 3);
    const order: number[] = [];
    await Promise.all(Array.from({ length: 6 }, (_, i) => limiter.acquire().then(() => order.push(i))));
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('breaker lets exactly one probe through when half open', () => {
    const b = new CircuitBreaker({ failureThreshold: 1, openMs: 10 });
    b.failure(0);
    expect(b.allow(5)).toBe(false);
    expect(b.allow(20)).toBe(true);
    expect(b.allow(21)).toBe(false);
    b.failure(22);
    expect(b.state).toBe('open');
    expect(b.allow(40)).toBe(true);
    b.success();
    expect(b.state).toBe('closed');
  });

  it('maps with bounded concurrency, in order', async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await mapWithConcurrency([1, 2, 3, 4, 5, 6, 7], 3, async (x) => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((r) => setTimeout(r, 2));
      inFlight--;
      return x * 2;
    });
    expect(out).toEqual([2, 4, 6, 8, 10, 12, 14]);
    expect(peak).toBe(3);
  });
});

describe('writeOnce', () => {
  const lost = () => new ConnectorError({ kind: 'unavailable', vendor: 'sera', operation: 'w', message: 'connection reset' });

  it('finds the record a lost write made instead of writing again', async () => {
    let writes = 0;
    const out = await writeOnce({
      write: async () => {
        writes++;
        throw lost();
      },
      lookup: async () => 'created-by-first-write',
      delayMs: 1,
    });
    expect(out).toBe('created-by-first-write');
    expect(writes).toBe(1);
  });

  it('writes again when the lookup finds nothing, and gives up after the attempts', async () => {
    let writes = 0;
    await expect(
      writeOnce({
        write: async () => {
          writes++;
          throw lost();
        },
        lookup: async () => null,
        attempts: 3,
        delayMs: 1,
      }),
    ).rejects.toMatchObject({ kind: 'unavailable' });
    expect(writes).toBe(3);
  });

  it('never retries a refused write', async () => {
    let writes = 0;
    await expect(
      writeOnce({
        write: async () => {
          writes++;
          throw new ConnectorError({ kind: 'invalid_request', vendor: 'sera', operation: 'w', message: 'bad' });
        },
        lookup: async () => 'x',
        delayMs: 1,
      }),
    ).rejects.toMatchObject({ kind: 'invalid_request' });
    expect(writes).toBe(1);
  });
});
