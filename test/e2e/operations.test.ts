/**
 * Operations over real HTTP, the gateway on 127.0.0.1 (port 0) wired to a sandbox: JSON logs
 * with request ids and a canary run that finds no personal data, secret, token, variable or
 * upstream query string in them; Prometheus metrics (HTTP, resolvers, upstream calls, retries,
 * breaker, loader batches, cache, process), one registry per server; `/healthz` and `/readyz`
 * (cached, per-vendor codes); and the graphql-http server audit with no error.
 */
import { readFileSync } from 'node:fs';
import { serverAudits, type AuditResult } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetSharedClientState } from '../../connectors/core/http-client.js';
import type { ConnectorOptions } from '../../connectors/types.js';
import { sandboxConnections } from '../../connectors/registry.js';
import type { VendorInfo } from '../../connectors/sandbox/kit.js';
import type { Sandbox } from '../../connectors/sandbox/server.js';
import { VENDOR_KEYS, type VendorKey } from '../../connectors/vendors.js';
import { toGlobalId } from '../../src/ids.js';
import { createLogger } from '../../src/observability/log.js';
import { createServer, type FieldGraphServer, type ServerOptions } from '../../src/server.js';
import { startTestSandbox } from '../helpers/sandbox.js';
import { OPEN_AUTH, testKey } from '../helpers/auth.js';
import { JOB_GRAPH_QUERY } from '../../src/gateway.js';

const canaryKey = testKey('canary', ['admin']);

const JOB_GRAPH = JOB_GRAPH_QUERY;

const CUSTOMERS = /* GraphQL */ `
  query Customers($first: Int) {
    customers(first: $first) { nodes { id name email phone } }
  }
`;

let sandbox: Sandbox;
let vendors: VendorInfo[];
let connections: Partial<Record<VendorKey, unknown>>;
const servers: FieldGraphServer[] = [];

/** Every log line of the main server (debug level). */
const lines: string[] = [];
/** What went over the wire to the vendors, for the canary: tokens and credentials sent, query strings. */
const wire = { secrets: new Set<string>(), queries: new Set<string>() };

function collectStrings(value: unknown, into: Set<string>, keyFilter: (key: string) => boolean = () => true, key = ''): void {
  if (typeof value === 'string') {
    if (keyFilter(key)) into.add(value);
  } else if (Array.isArray(value)) {
    for (const v of value) collectStrings(v, into, keyFilter, key);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) collectStrings(v, into, keyFilter, k);
  }
}

/** `fetch` that notes every credential, token and query string the connectors send or receive. */
const spyFetch: typeof fetch = async (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  if (url.search.length > 1) wire.queries.add(url.search);
  for (const [k, v] of url.searchParams) if (/token|key|secret/i.test(k)) wire.secrets.add(v);
  for (const [k, v] of new Headers(init?.headers)) {
    if (/authorization|key|token|secret/i.test(k)) {
      wire.secrets.add(v);
      wire.secrets.add(v.replace(/^\w+\s+/, ''));
    }
  }
  if (typeof init?.body === 'string') {
    if (init.body.startsWith('{')) collectStrings(JSON.parse(init.body), wire.secrets, (k) => /secret|password|token|code/i.test(k));
    else for (const [k, v] of new URLSearchParams(init.body)) if (/secret|password|token|assertion|code/i.test(k)) wire.secrets.add(v);
  }
  const res = await fetch(input, init);
  if (/token|session/i.test(url.pathname)) {
    const text = await res.clone().text();
    try {
      collectStrings(JSON.parse(text), wire.secrets, (k) => /token|secret/i.test(k));
    } catch {
      // not JSON
    }
  }
  return res;
};

const FAST_RETRY: ConnectorOptions['retry'] = { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 20 };

async function gateway(options: Partial<ServerOptions> = {}): Promise<{ server: FieldGraphServer; origin: string }> {
  const server = await createServer({ connections, logger: createLogger({ level: 'silent' }), auth: OPEN_AUTH, ...options });
  servers.push(server);
  return { server, origin: await server.listen(0) };
}

let main: { server: FieldGraphServer; origin: string };

interface GqlResponse {
  status: number;
  headers: Headers;
  body: { data?: any; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
}

async function gql(origin: string, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<GqlResponse> {
  const res = await fetch(`${origin}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
  return { status: res.status, headers: res.headers, body: (await res.json()) as GqlResponse['body'] };
}

/** Work order global ids: the first `n` of each vendor. */
function workOrderIds(n: number, only: readonly VendorKey[] = VENDOR_KEYS): string[] {
  return only.flatMap((vendor) => sandbox.dataset.vendors[vendor].workOrders.slice(0, n).map((wo) => toGlobalId('WorkOrder', { system: vendor, id: wo.id })));
}

/** The samples of a Prometheus text exposition: `name`, labels, value. */
function samples(text: string): Array<{ name: string; labels: Record<string, string>; value: number }> {
  const out: Array<{ name: string; labels: Record<string, string>; value: number }> = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    out.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return out;
}

/** The value of the sample `name` whose labels include `labels` (summed when several match; undefined when none). */
function value(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const matching = samples(text).filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return matching.length === 0 ? undefined : matching.reduce((a, s) => a + s.value, 0);
}

async function metricsOf(origin: string): Promise<string> {
  const res = await fetch(`${origin}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text();
}

beforeAll(async () => {
  resetSharedClientState();
  sandbox = await startTestSandbox();
  vendors = ((await (await fetch(`${sandbox.origin}/_sandbox`)).json()) as { vendors: VendorInfo[] }).vendors;
  connections = sandboxConnections(vendors);
  main = await gateway({
    // A real key as the canary credential: it must authenticate and still never be logged.
    auth: { ...OPEN_AUTH, apiKeys: [canaryKey.entry] },
    logger: createLogger({ level: 'debug', destination: { write: (line: string) => void lines.push(line) } }),
    connectorOptions: { fetch: spyFetch, retry: FAST_RETRY },
  });
});

afterAll(async () => {
  for (const s of servers) await s.close();
  await sandbox?.close();
  resetSharedClientState();
});

describe('logs', () => {
  it('are JSON lines; a well-formed x-request-id is echoed and tags the request, a malformed one is replaced', async () => {
    const ok = await gql(main.origin, '{ __typename }', {}, { 'x-request-id': 'req-ops-0001' });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-request-id')).toBe('req-ops-0001');
    const bad = await gql(main.origin, '{ __typename }', {}, { 'x-request-id': 'not ok <script>' });
    expect(bad.headers.get('x-request-id')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const none = await fetch(`${main.origin}/healthz`);
    expect(none.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);

    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const p of parsed) expect(p).toMatchObject({ level: expect.any(String), time: expect.any(String), msg: expect.any(String), service: 'fieldgraph' });
    expect(parsed).toContainEqual(
      expect.objectContaining({ reqId: 'req-ops-0001', msg: 'request completed', method: 'POST', path: '/graphql', status: 200, operationType: 'query', level: 'info' }),
    );
    expect(parsed).toContainEqual(expect.objectContaining({ reqId: bad.headers.get('x-request-id'), msg: 'request completed' }));
    expect(JSON.stringify(parsed)).not.toContain('not ok <script>');
  });

  it('log each upstream call with vendor, operation, method, status, duration and attempt, under the request id, never a URL', async () => {
    const r = await gql(main.origin, JOB_GRAPH, { ids: workOrderIds(2) }, { 'x-request-id': 'req-ops-jobgraph' });
    expect(r.body.errors).toBeUndefined();
    const calls = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((p) => p.msg === 'upstream call' && p.reqId === 'req-ops-jobgraph');
    expect(new Set(calls.map((c) => c.vendor))).toEqual(new Set(VENDOR_KEYS));
    for (const c of calls) {
      expect(Object.keys(c).sort()).toEqual(['attempt', 'durationMs', 'level', 'method', 'msg', 'operation', 'reqId', 'service', 'status', 'time', 'vendor']);
      expect(c.operation).toMatch(/^[\w.-]+$/);
      expect(c.status).toBeGreaterThanOrEqual(200);
      expect(c.status).toBeLessThan(300);
    }
  });

  it('hold no personal data, secret, token, GraphQL variable or upstream query string (canary run at debug)', async () => {
    const canaryVariable = 'CANARY-VARIABLE-5e1f0c';
    const canaryHeader = canaryKey.key;
    const canaryBody = 'CANARY-BODY-71c3aa';
    const canaryQueryString = 'CANARY-GET-0d9e42';
    const ids = workOrderIds(3);

    // The job graph and a root list, with a variable the operation does not use and credentials in headers.
    const jobGraph = await gql(main.origin, JOB_GRAPH, { ids, note: canaryVariable }, { authorization: `Bearer ${canaryHeader}`, cookie: `session=${canaryHeader}` });
    expect(jobGraph.body.errors).toBeUndefined();
    const list = await gql(main.origin, CUSTOMERS, { first: 25, note: canaryVariable }, { 'x-api-key': canaryHeader });
    expect(list.body.errors).toBeUndefined();
    // A GET with variables in the query string, a body that is not JSON, an invalid document.
    const get = await fetch(`${main.origin}/graphql?query=${encodeURIComponent('query($x: String) { __typename }')}&variables=${encodeURIComponent(JSON.stringify({ x: canaryQueryString }))}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(get.status).toBe(200);
    const malformed = await fetch(`${main.origin}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"query": "${canaryBody}` });
    expect(malformed.status).toBe(400);
    const invalid = await gql(main.origin, `{ customers(first: 1) { nodes { ${canaryVariable.replace(/-/g, '_')} } } }`);
    expect(invalid.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    // Failure paths: unreadable payloads from ServicePower, 5xx with retries from Sera.
    sandbox.setFaults({ servicepower: { malformedRate: 1 }, sera: { errorRate: 1, errorStatus: 503 } });
    try {
      const failing = await gql(main.origin, JOB_GRAPH, { ids: workOrderIds(2, ['servicepower', 'sera']) });
      expect(failing.body.errors?.length).toBeGreaterThan(0);
    } finally {
      sandbox.setFaults({ servicepower: { malformedRate: 0 }, sera: { errorRate: 0 } });
      resetSharedClientState();
    }

    // Recognisable personal data: what the responses carried, and a customer of each system as the data set holds it.
    const personal = new Set<string>();
    for (const node of jobGraph.body.data.nodes as Array<any>) {
      for (const v of [node?.customer?.name, node?.customer?.email, node?.customer?.phone, node?.location?.address?.line1]) if (v) personal.add(v);
    }
    for (const c of list.body.data.customers.nodes as Array<any>) for (const v of [c.name, c.email, c.phone]) if (v) personal.add(v);
    for (const vendor of VENDOR_KEYS) {
      const c = sandbox.dataset.vendors[vendor].customers[0]!;
      for (const v of [c.name, c.email, c.phone, c.address.line1]) if (v) personal.add(v);
    }
    // Secrets: the sandbox's credentials and MFA secret, and every token and credential seen on the wire.
    const secrets = new Set<string>([sandbox.totpSecret, ...wire.secrets]);
    for (const info of vendors) collectStrings(info.auth, secrets, (k) => !/url|tenant|username|user|clientId|client_id|integration/i.test(k));
    const canaries = [
      ...[...personal].filter((s) => s.length >= 6),
      ...[...secrets].filter((s) => s.length >= 8),
      ...[...wire.queries].filter((s) => s.length >= 8),
      canaryVariable,
      canaryHeader,
      canaryBody,
      canaryQueryString,
    ];
    expect(personal.size).toBeGreaterThanOrEqual(15);
    expect([...secrets].filter((s) => s.length >= 8).length).toBeGreaterThanOrEqual(10);
    expect(wire.queries.size).toBeGreaterThan(5);

    const log = lines.join('');
    // The run was logged, failures included.
    expect(log).toContain('"msg":"upstream call"');
    expect(log).toContain('"msg":"upstream call failed"');
    expect(log).toContain('"msg":"upstream retry"');
    expect(log).toContain('"msg":"upstream response not readable"');
    expect(log).toContain('"msg":"request refused"');
    const found = canaries.filter((c) => log.includes(c) || log.toLowerCase().includes(c.toLowerCase()));
    expect(found).toEqual([]);
  });
});

describe('metrics', () => {
  it('GET /metrics exposes HTTP, resolver, upstream, loader, breaker, cache and process metrics', async () => {
    const r = await gql(main.origin, JOB_GRAPH, { ids: workOrderIds(4) });
    expect(r.body.errors).toBeUndefined();
    main.server.metrics.cacheLookup('customer', true);
    main.server.metrics.cacheLookup('customer', false);
    const text = await metricsOf(main.origin);

    expect(value(text, 'fieldgraph_http_request_duration_seconds_count', { route: 'graphql', operation_type: 'query', status: '200' })).toBeGreaterThanOrEqual(1);
    expect(value(text, 'fieldgraph_http_request_duration_seconds_count', { route: 'healthz', operation_type: 'none', status: '200' })).toBeGreaterThanOrEqual(1);
    // Resolvers that do I/O, by schema coordinate; synchronous ones (WorkOrder.id) are not timed.
    for (const [parent_type, field] of [
      ['Query', 'nodes'],
      ['WorkOrder', 'customer'],
      ['WorkOrder', 'appointments'],
      ['Customer', 'memberships'],
    ]) {
      expect(value(text, 'fieldgraph_graphql_resolver_duration_seconds_count', { parent_type: parent_type!, field: field! }), `${parent_type}.${field}`).toBeGreaterThanOrEqual(1);
    }
    expect(value(text, 'fieldgraph_graphql_resolver_duration_seconds_count', { parent_type: 'WorkOrder', field: 'id' })).toBeUndefined();
    for (const vendor of VENDOR_KEYS) {
      expect(value(text, 'fieldgraph_upstream_requests_total', { vendor, status: '200' }), vendor).toBeGreaterThanOrEqual(1);
      expect(value(text, 'fieldgraph_upstream_request_duration_seconds_count', { vendor }), vendor).toBeGreaterThanOrEqual(1);
      expect(value(text, 'fieldgraph_upstream_breaker_state', { vendor, state: 'closed' }), vendor).toBe(1);
      expect(value(text, 'fieldgraph_upstream_breaker_state', { vendor, state: 'open' }), vendor).toBe(0);
    }
    expect(samples(text).some((s) => s.name === 'fieldgraph_upstream_requests_total' && s.labels.operation === 'jobs.list' && s.labels.method === 'GET')).toBe(true);
    // One batch of the 20 work orders.
    expect(value(text, 'fieldgraph_loader_batch_size_count', { loader: 'workOrder' })).toBeGreaterThanOrEqual(1);
    expect(value(text, 'fieldgraph_loader_batch_size_sum', { loader: 'workOrder' })).toBeGreaterThanOrEqual(20);
    expect(value(text, 'fieldgraph_loader_batch_size_count', { loader: 'appointment<-workOrder' })).toBeGreaterThanOrEqual(1);
    expect(value(text, 'fieldgraph_cache_hits_total', { cache: 'customer' })).toBe(1);
    expect(value(text, 'fieldgraph_cache_misses_total', { cache: 'customer' })).toBe(1);
    expect(value(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(text).toContain('# TYPE nodejs_eventloop_lag_seconds gauge');
    expect(text).toContain('# TYPE fieldgraph_upstream_retries_total counter');
    expect(text).toContain('# TYPE fieldgraph_http_requests_in_flight gauge');
    // Labels stay bounded: no ids, URLs or client-chosen names.
    expect(text).not.toMatch(/127\.0\.0\.1|JobGraph|ZGVmYXVsdC9/);
  });

  it('count retries, failed calls and errors, and show a circuit opening, in the registry of that server only', async () => {
    const sera503 = (text: string): number => value(text, 'fieldgraph_upstream_requests_total', { vendor: 'sera', status: '503' }) ?? 0;
    const mainBefore = sera503(await metricsOf(main.origin));
    const { origin } = await gateway({ connectorOptions: { retry: FAST_RETRY, breaker: { failureThreshold: 2, openMs: 60_000 } } });
    sandbox.setFaults({ sera: { down: true } });
    try {
      let text = '';
      for (let i = 0; i < 5; i++) {
        await gql(origin, JOB_GRAPH, { ids: workOrderIds(2, ['sera']) });
        text = await metricsOf(origin);
        if (value(text, 'fieldgraph_upstream_breaker_state', { vendor: 'sera', state: 'open' }) === 1) break;
      }
      expect(value(text, 'fieldgraph_upstream_breaker_state', { vendor: 'sera', state: 'open' })).toBe(1);
      expect(value(text, 'fieldgraph_upstream_breaker_state', { vendor: 'sera', state: 'closed' })).toBe(0);
      expect(value(text, 'fieldgraph_upstream_retries_total', { vendor: 'sera', reason: 'unavailable' })).toBeGreaterThanOrEqual(1);
      expect(sera503(text)).toBeGreaterThanOrEqual(2);
      expect(value(text, 'fieldgraph_graphql_errors_total', { code: 'UPSTREAM_UNAVAILABLE' })).toBeGreaterThanOrEqual(1);
      // The main server's registry saw none of it.
      const mainText = await metricsOf(main.origin);
      expect(sera503(mainText)).toBe(mainBefore);
      expect(value(mainText, 'fieldgraph_upstream_breaker_state', { vendor: 'sera', state: 'open' })).toBe(0);
    } finally {
      sandbox.setFaults({ sera: { down: false } });
      resetSharedClientState();
    }
  });
});

describe('health', () => {
  it('GET /healthz answers while the process is up', async () => {
    const res = await fetch(`${main.origin}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('GET /readyz pings every vendor once per few seconds, however many probes come', async () => {
    const { origin } = await gateway();
    const before = sandbox.stats.snapshot().total;
    const probes = await Promise.all(Array.from({ length: 20 }, () => fetch(`${origin}/readyz`)));
    const oneRound = sandbox.stats.snapshot().total - before;
    for (const p of probes) expect(p.status).toBe(200);
    expect(await probes[0]!.json()).toEqual({ status: 'ready', systems: VENDOR_KEYS.map((v) => ({ system: v.toUpperCase(), ready: true })).sort((a, b) => a.system.localeCompare(b.system)) });
    // One ping per vendor, plus the sign-ins a new server's sessions need.
    expect(oneRound).toBeGreaterThanOrEqual(5);
    expect(oneRound).toBeLessThanOrEqual(10);
    const again = await fetch(`${origin}/readyz`);
    expect(again.status).toBe(200);
    expect(sandbox.stats.snapshot().total - before).toBe(oneRound);
  });

  it('GET /readyz answers 503 with the code of each vendor that is down or too slow, and nothing else', async () => {
    const { origin } = await gateway({ readiness: { cacheMs: 0, timeoutMs: 1_000 }, connectorOptions: { retry: { maxAttempts: 1 } } });
    sandbox.setFaults({ sera: { down: true }, astea: { latencyMs: 3_000 } });
    try {
      const res = await fetch(`${origin}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({
        status: 'not_ready',
        systems: [
          { system: 'ASTEA', ready: false, code: 'UPSTREAM_TIMEOUT' },
          { system: 'FIELDNATION', ready: true },
          { system: 'SERA', ready: false, code: 'UPSTREAM_UNAVAILABLE' },
          { system: 'SERVICEPOWER', ready: true },
          { system: 'SERVICETITAN', ready: true },
        ],
      });
      const text = await metricsOf(origin);
      expect(value(text, 'fieldgraph_upstream_ready', { vendor: 'sera' })).toBe(0);
      expect(value(text, 'fieldgraph_upstream_ready', { vendor: 'servicetitan' })).toBe(1);
    } finally {
      sandbox.setFaults({ sera: { down: false }, astea: { latencyMs: 0 } });
      resetSharedClientState();
    }
  });
});

describe('GraphQL over HTTP', () => {
  it('passes the graphql-http server audit with no error, and the README explains every warning', async () => {
    const results: AuditResult[] = [];
    for (const audit of serverAudits({ url: `${main.origin}/graphql` })) results.push(await audit.fn());
    expect(results.length).toBeGreaterThan(50);
    const errors = results.filter((r) => r.status === 'error').map((r) => `${r.id} ${r.name}: ${'reason' in r ? r.reason : ''}`);
    expect(errors).toEqual([]);
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const operations = readme.slice(readme.indexOf('## Operations'));
    for (const r of results.filter((x) => x.status === 'warn')) expect(operations, `${r.id} ${r.name}`).toContain(r.id);
  });

  it('answers request errors with 400 for application/graphql-response+json and 200 for application/json', async () => {
    const post = (query: string, accept?: string) =>
      fetch(`${main.origin}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...(accept ? { accept } : {}) }, body: JSON.stringify({ query }) });
    for (const [query, code] of [
      ['{', 'GRAPHQL_PARSE_FAILED'],
      ['{ nope }', 'GRAPHQL_VALIDATION_FAILED'],
    ] as const) {
      const modern = await post(query, 'application/graphql-response+json');
      expect(modern.status).toBe(400);
      expect(modern.headers.get('content-type')).toMatch(/^application\/graphql-response\+json/);
      const body = (await modern.json()) as GqlResponse['body'];
      expect(body.data).toBeUndefined();
      expect(body.errors?.[0]?.extensions?.code).toBe(code);
      for (const accept of ['application/json', undefined]) {
        const legacy = await post(query, accept);
        expect(legacy.status).toBe(200);
        expect(legacy.headers.get('content-type')).toMatch(/^application\/json/);
        expect(((await legacy.json()) as GqlResponse['body']).errors?.[0]?.extensions?.code).toBe(code);
      }
    }
    // A request that is not well formed stays 400.
    const missing = await fetch(`${main.origin}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(missing.status).toBe(400);
  });

  it('marks every GraphQL answer as not to be stored', async () => {
    const post = (query: string) => fetch(`${main.origin}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
    for (const query of ['{ __typename }', '{', '{ nope }']) {
      const res = await post(query);
      expect(res.headers.get('cache-control'), query).toBe('no-store');
      await res.arrayBuffer();
    }
  });

  it('refuses bodies it cannot read with a GraphQL error that does not echo them', async () => {
    const res = await fetch(`${main.origin}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' }, body: '{"query": "{ secret-body' });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/graphql-response\+json/);
    expect(await res.json()).toEqual({ errors: [{ message: 'The request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }] });
    const big = await fetch(`${main.origin}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: `{ __typename } #${'x'.repeat(2_000_000)}` }) });
    expect(big.status).toBe(413);
    expect(((await big.json()) as GqlResponse['body']).errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
  });

  it('runs queries over GET (with a CSRF-safe header) and refuses mutations over GET with 405', async () => {
    const url = `${main.origin}/graphql?query=${encodeURIComponent('{ __typename }')}`;
    const get = await fetch(url, { headers: { 'apollo-require-preflight': 'true' } });
    expect(get.status).toBe(200);
    expect(await get.json()).toEqual({ data: { __typename: 'Query' }, extensions: { cost: expect.objectContaining({ requestedQueryCost: 0 }) } });
    // Without a header a browser cannot send cross-site, Apollo's CSRF prevention refuses it.
    const simple = await fetch(url);
    expect(simple.status).toBe(400);
    const mutation = await fetch(`${main.origin}/graphql?query=${encodeURIComponent('mutation { __typename }')}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(mutation.status).toBe(405);
    expect(mutation.headers.get('allow')).toBe('POST');
  });
});
