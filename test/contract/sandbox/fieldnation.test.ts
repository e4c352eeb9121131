/**
 * Contract of the Field Nation simulator over real HTTP: the password-grant token endpoint, tokens
 * in `?access_token=` (or a Bearer header), problem+json errors, rate limits, the
 * `{metadata, results}` envelope and its pagination, the work-order filters and sticky list state,
 * the documented payload shapes, every write with a valid and an invalid body, and the work-order
 * state machine. Every response is also checked against its documented schema by the test sandbox.
 *
 * The Field Nation seed document lists endpoints without example requests, so the example bodies
 * here are the payload shapes vendor-facts §2.2 quotes from the vendor's quick start, used as they
 * stand (only ids that must exist filled in).
 */
import { validate } from '@readme/openapi-parser';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../connectors/sandbox/server.js';
import type { GenWorkOrder, VendorData } from '../../../connectors/sandbox/dataset/types.js';
import { createFieldNationSimulator, FIELD_NATION_RATE_LIMIT } from '../../../connectors/fieldnation/sandbox.js';
import { call, startTestSandbox, vendorInfo } from '../../helpers/sandbox.js';

let sandbox: Sandbox;
let root: string;
let base: string;
let token: string;
let data: VendorData;

const CREDS = {
  grant_type: 'password',
  client_id: 'fn-sandbox-client',
  client_secret: 'fn-sandbox-secret',
  username: 'api.user@fieldgraph.test',
  password: 'sandbox-password',
};

const FN_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/** Keys of the list metadata, as documented. */
const METADATA_KEYS = ['columns', 'list', 'order', 'page', 'pages', 'per_page', 'sort', 'total', 'view'];

/** Keys of a work order. */
const WORK_ORDER_KEYS = [
  'assignee', 'cancel_reason', 'client', 'company', 'created', 'custom_fields', 'description', 'id', 'last_updated', 'location', 'pay',
  'project', 'routes', 'schedule', 'status', 'title', 'types_of_work',
];

/** Keys of the documented status object. */
const STATUS_KEYS = ['code', 'confirmed', 'delay', 'display', 'id', 'is_routed', 'name', 'ncns', 'sub_status'];

/** Keys of the documented saved-location shape. */
const SAVED_LOCATION_KEYS = ['active', 'address1', 'address2', 'city', 'client', 'contact', 'country', 'display_name', 'geo', 'group', 'id', 'name', 'state', 'type', 'zip'];

/** Keys of the problem+json error body. */
const PROBLEM_KEYS = ['code', 'correlationId', 'detail', 'errors', 'retryable', 'status', 'title', 'type'];

/** The quick-start work order (vendor-facts §2.2 shapes); the saved location id must exist. */
function quickStartWorkOrder(locationId: number) {
  return {
    title: 'Replace lobby thermostat',
    description: { html: '<p>Replace the thermostat in the lobby.</p>' },
    types_of_work: [{ id: 11, isPrimary: true }],
    location: { mode: 'saved', id: locationId },
    schedule: { service_window: { mode: 'exact', start: { utc: '2026-12-01 14:00:00' } } },
    pay: { type: 'fixed', base: { amount: 150, units: 1 } },
  };
}

/** A work order at a custom address. */
const CUSTOM_WORK_ORDER = {
  title: 'Inspect rooftop unit',
  types_of_work: [{ id: 11, isPrimary: true, service_types: [{ id: 114 }] }],
  location: { mode: 'custom', address1: '100 Peachtree St NW', city: 'Atlanta', state: 'GA', zip: '30303', country: 'US' },
  schedule: { service_window: { mode: 'between', start: { utc: '2026-12-02 13:00:00' }, end: { utc: '2026-12-02 17:00:00' } } },
};

async function getToken(body: Record<string, string> = CREDS, form = false) {
  return call('POST', `${root}/authentication/api/oauth/token`, form ? { form: body } : { json: body });
}

function url(path: string, t: string = token): string {
  return `${base}${path}${path.includes('?') ? '&' : '?'}access_token=${encodeURIComponent(t)}`;
}

function api(method: string, path: string, json?: unknown) {
  return call(method, url(path), json !== undefined ? { json } : {});
}

function expectProblem(res: { status: number; headers: Headers; body: any }, status: number, code: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(Object.keys(res.body)).toEqual(expect.arrayContaining(PROBLEM_KEYS));
  expect(res.body).toMatchObject({ status, code });
  expect(typeof res.body.correlationId).toBe('string');
  return res.body;
}

/** Errors of the sandbox actions: the problem body (the admin route always answers application/json). */
function expectActionProblem(res: { status: number; body: any }, status: number, code: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(Object.keys(res.body)).toEqual(expect.arrayContaining(PROBLEM_KEYS));
  expect(res.body).toMatchObject({ status, code });
}

async function resetData(): Promise<void> {
  await call('POST', `${sandbox.origin}/_sandbox/reset`, { json: { data: true, faults: true } });
}

function action(name: 'work-done' | 'mark-paid', id: unknown) {
  return call('POST', `${sandbox.origin}/_sandbox/actions/fieldnation/${name}`, { json: { id } });
}

/** Walks a list page by page (`page < pages`); returns every result. */
async function walk(path: string, perPage: number): Promise<{ results: any[]; total: number; pages: number; calls: number }> {
  const results: any[] = [];
  let total = -1;
  let pages = 0;
  let calls = 0;
  for (let page = 1; ; page++) {
    const res = await api('GET', `${path}${path.includes('?') ? '&' : '?'}page=${page}&per_page=${perPage}`);
    calls++;
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['metadata', 'results']);
    expect(Object.keys(res.body.metadata).sort()).toEqual(METADATA_KEYS);
    expect(res.body.metadata).toMatchObject({ page, per_page: perPage });
    if (total < 0) {
      total = res.body.metadata.total;
      pages = res.body.metadata.pages;
    }
    expect(res.body.metadata).toMatchObject({ total, pages });
    results.push(...res.body.results);
    if (page >= pages) break;
  }
  return { results, total, pages, calls };
}

const fnTime = (iso: string) => iso.slice(0, 19).replace('T', ' ');
const astea = () => sandbox.dataset.vendors.astea;
const woBy = (pred: (w: GenWorkOrder) => boolean) => data.workOrders.find(pred)!;
const provider = (i = 0) => Number(data.technicians[i]!.id);
const location = () => Number(data.locations[0]!.id);

async function createWorkOrder(body: unknown = quickStartWorkOrder(location())): Promise<any> {
  const res = await api('POST', '/workorders', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

beforeAll(async () => {
  sandbox = await startTestSandbox({ simulators: { fieldnation: createFieldNationSimulator } });
  const info = await vendorInfo(sandbox, 'fieldnation');
  base = info.baseUrl;
  root = `${sandbox.origin}/fieldnation`;
  data = sandbox.dataset.vendors.fieldnation;
  token = (await getToken()).body.access_token as string;
});
afterAll(() => sandbox.close());

describe('Field Nation authentication, errors and rate limits', () => {
  beforeEach(resetData);

  it('serves its base URL, password-grant credentials and a valid OpenAPI document', async () => {
    const info = await vendorInfo(sandbox, 'fieldnation');
    expect(info.baseUrl).toBe(`${sandbox.origin}/fieldnation/api/rest/v2`);
    expect(info.openapiUrl).toBe(`${sandbox.origin}/fieldnation/api/rest/v2/openapi.json`);
    expect(info.auth).toEqual({
      type: 'password',
      tokenUrl: `${sandbox.origin}/fieldnation/authentication/api/oauth/token`,
      clientId: 'fn-sandbox-client',
      clientSecret: 'fn-sandbox-secret',
      username: 'api.user@fieldgraph.test',
      password: 'sandbox-password',
    });
    const doc = (await call('GET', info.openapiUrl)).body;
    const result = await validate(structuredClone(doc));
    expect(result.valid ? [] : result.errors).toEqual([]);
    expect(doc.components.securitySchemes.accessToken).toEqual(expect.objectContaining({ type: 'apiKey', in: 'query', name: 'access_token' }));
    expect(doc.components.securitySchemes.bearer).toEqual(expect.objectContaining({ type: 'http', scheme: 'bearer' }));
    expect(doc.info.description).toContain(`${FIELD_NATION_RATE_LIMIT.limit} requests per minute per API user`);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/authentication/api/oauth/token',
        '/api/rest/v2/workorders',
        '/api/rest/v2/workorders/{workorder_id}/publish',
        '/api/rest/v2/workorders/{workorder_id}/route',
        '/api/rest/v2/workorders/{workorder_id}/assignee',
        '/api/rest/v2/workorders/{workorder_id}/complete',
        '/api/rest/v2/users/{user_id}',
        '/api/rest/v2/talent-pools/{talent_pool_id}/users',
        '/api/rest/v2/locations',
        '/api/rest/v2/clients',
        '/api/rest/v2/projects',
        '/api/rest/v2/types-of-work',
      ]),
    );
    const tokenBody = doc.paths['/authentication/api/oauth/token'].post.requestBody.content;
    expect(Object.keys(tokenBody)).toContain('application/json');
  });

  it('issues opaque one-hour tokens for JSON and form bodies, usable as ?access_token= or Bearer', async () => {
    for (const form of [false, true]) {
      const res = await getToken(CREDS, form);
      expect(res.status).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual(['access_token', 'expires_in', 'refresh_token', 'scope', 'token_type', 'user']);
      expect(res.body).toMatchObject({ expires_in: 3600, token_type: 'Bearer', user: { id: 19001 } });
      expect(res.body.access_token).toMatch(/^[0-9a-f]{48}$/);
      const viaQuery = await call('GET', url('/workorders?per_page=1&sticky=false', res.body.access_token));
      expect(viaQuery.status).toBe(200);
      const viaHeader = await call('GET', `${base}/workorders?per_page=1&sticky=false`, { headers: { authorization: `Bearer ${res.body.access_token}` } });
      expect(viaHeader.status).toBe(200);
    }
    // The API user behind the token is a user like any other.
    const me = await api('GET', '/users/19001');
    expect(me.body).toMatchObject({ id: 19001, role: 'buyer', email: 'api.user@fieldgraph.test' });
  });

  it('refuses wrong client or user credentials, refresh tokens and missing or unknown tokens', async () => {
    expectProblem(await getToken({ ...CREDS, client_secret: 'nope' }), 401, 'INVALID_CLIENT');
    expectProblem(await getToken({ ...CREDS, password: 'nope' }), 401, 'INVALID_CREDENTIALS');
    expectProblem(await getToken({ ...CREDS, username: 'someone@else.test' }, true), 401, 'INVALID_CREDENTIALS');
    const { username: _u, ...noUser } = CREDS;
    expect(expectProblem(await getToken(noUser), 400, 'VALIDATION_ERROR').errors).toEqual([{ field: 'username', message: expect.any(String) }]);
    const { client_id: _c, ...noClient } = CREDS;
    expect(expectProblem(await getToken(noClient), 400, 'VALIDATION_ERROR').errors[0].field).toBe('client_id');
    const refresh = (await getToken()).body.refresh_token as string;
    const refused = expectProblem(
      await getToken({ grant_type: 'refresh_token', client_id: CREDS.client_id, client_secret: CREDS.client_secret, refresh_token: refresh }),
      400,
      'UNSUPPORTED_GRANT_TYPE',
    );
    expect(refused.detail).toMatch(/not supported/);
    expectProblem(await getToken({ ...CREDS, grant_type: 'client_credentials' }), 400, 'UNSUPPORTED_GRANT_TYPE');

    expectProblem(await call('GET', `${base}/workorders`), 401, 'UNAUTHORIZED');
    const unknown = expectProblem(await call('GET', url('/workorders', 'not-a-token')), 401, 'UNAUTHORIZED');
    expect(unknown.detail).toBe('Invalid or expired access token');
    expectProblem(await call('GET', `${base}/workorders`, { headers: { authorization: 'Bearer not-a-token' } }), 401, 'UNAUTHORIZED');
  });

  it('answers an expired token with the legacy 400 "Expired token"; a new token works', async () => {
    sandbox.setFaults({ fieldnation: { expireTokens: true } });
    const expired = expectProblem(await api('GET', '/workorders?per_page=1'), 400, 'EXPIRED_TOKEN');
    expect(expired).toMatchObject({ title: 'Bad Request', detail: 'Expired token', retryable: false });
    const viaHeader = await call('GET', `${base}/workorders`, { headers: { authorization: `Bearer ${token}` } });
    expectProblem(viaHeader, 400, 'EXPIRED_TOKEN');
    token = (await getToken()).body.access_token as string;
    expect((await api('GET', '/workorders?per_page=1&sticky=false')).status).toBe(200);

    sandbox.setFaults({ fieldnation: { tokenTtlSeconds: 5 } });
    expect((await getToken()).body.expires_in).toBe(5);
  });

  it('answers 429 problem+json with Retry-After, X-RateLimit-Remaining and a retry hint', async () => {
    sandbox.setFaults({ fieldnation: { rateLimit: { limit: 2, windowMs: 60_000 } } });
    const first = await api('GET', '/types-of-work');
    expect(first.status).toBe(200);
    expect(first.headers.get('x-ratelimit-limit')).toBe(String(FIELD_NATION_RATE_LIMIT.limit));
    const remaining = Number(first.headers.get('x-ratelimit-remaining'));
    const second = await api('GET', '/types-of-work');
    expect(Number(second.headers.get('x-ratelimit-remaining'))).toBe(remaining - 1);
    const limited = await api('GET', '/types-of-work');
    const body = expectProblem(limited, 429, 'RATE_LIMIT_EXCEEDED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(body).toMatchObject({ retryable: true, title: 'Too Many Requests', agent: { action: 'RETRY', maxAttempts: 3 } });
    expect(body.agent.backoffMs).toBeGreaterThan(0);
  });

  it(`enforces its own limit of ${FIELD_NATION_RATE_LIMIT.limit} calls per minute per API user`, async () => {
    let ok = 0;
    for (let batch = 0; batch < FIELD_NATION_RATE_LIMIT.limit / 50; batch++) {
      const answers = await Promise.all(Array.from({ length: 50 }, () => api('GET', '/incomplete-reasons')));
      ok += answers.filter((a) => a.status === 200).length;
    }
    expect(ok).toBe(FIELD_NATION_RATE_LIMIT.limit);
    const over = await api('GET', '/incomplete-reasons');
    expectProblem(over, 429, 'RATE_LIMIT_EXCEEDED');
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    // The token endpoint is not counted: a client can always re-authenticate.
    expect((await getToken()).status).toBe(200);
  });

  it('answers unknown records and routes in the problem shape', async () => {
    for (const path of ['/workorders/1', '/workorders/abc', '/workorders/1/status', '/users/1', '/locations/1', '/clients/1', '/projects/1', '/talent-pools/1/users', '/types-of-work/1/service-types']) {
      expectProblem(await api('GET', path), 404, 'NOT_FOUND');
    }
    expectProblem(await api('GET', '/no-such-thing'), 404, 'NOT_FOUND');
    expectProblem(await api('PATCH', '/workorders'), 405, 'METHOD_NOT_ALLOWED');
    sandbox.setFaults({ fieldnation: { down: true } });
    const down = expectProblem(await api('GET', '/workorders'), 503, 'SERVICE_UNAVAILABLE');
    expect(down.retryable).toBe(true);
  });
});

describe('Field Nation reads over the seeded data set', () => {
  beforeAll(resetData);

  it('has a seeded data set to serve', () => {
    expect(data.workOrders.length).toBeGreaterThan(50);
    expect(data.technicians.length).toBeGreaterThan(5);
    expect(data.workOrders.some((w) => w.links.some((l) => l.vendor === 'astea'))).toBe(true);
  });

  it('walks the work orders page by page: every record exactly once, by id, 25 per page by default', async () => {
    const { results, total, pages } = await walk('/workorders?list=workorders_all&sticky=false', 17);
    const ids = results.map((r) => r.id as number);
    expect(total).toBe(data.workOrders.length);
    expect(pages).toBe(Math.ceil(total / 17));
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(new Set(data.workOrders.map((w) => Number(w.id))));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));

    const first = await api('GET', '/workorders?sticky=false');
    expect(first.body.metadata).toMatchObject({ page: 1, per_page: 25, sort: 'id', order: 'asc', list: 'workorders_all', pages: Math.ceil(total / 25) });
    expect(first.body.results).toHaveLength(25);
    const beyond = await api('GET', '/workorders?sticky=false&page=999&per_page=100');
    expect(beyond.body).toMatchObject({ results: [], metadata: { page: 999, total } });
    expect((await api('GET', '/workorders?sticky=false&per_page=100')).status).toBe(200);
    const tooBig = expectProblem(await api('GET', '/workorders?sticky=false&per_page=101'), 400, 'VALIDATION_ERROR');
    expect(tooBig.errors[0].field).toBe('per_page');
    expectProblem(await api('GET', '/workorders?sticky=false&page=0'), 400, 'VALIDATION_ERROR');
  });

  it('renders seeded work orders in the documented shapes, faithful to the data set', async () => {
    const { results } = await walk('/workorders?sticky=false', 100);
    const byId = new Map(results.map((r) => [r.id as number, r]));
    for (const r of results) {
      expect(Object.keys(r).sort()).toEqual(WORK_ORDER_KEYS);
      expect(Object.keys(r.status).sort()).toEqual(STATUS_KEYS);
      expect(r.created.utc).toMatch(FN_TIME);
      expect(r.last_updated.utc).toMatch(FN_TIME);
      expect(r.types_of_work.filter((t: any) => t.isPrimary)).toHaveLength(1);
    }
    for (const w of data.workOrders) {
      const r = byId.get(Number(w.id))!;
      expect(r.status.name).toBe(w.status);
      expect(r.client?.id).toBe(Number(w.customerId));
      expect(r.location).toMatchObject({ mode: 'saved', id: Number(w.locationId) });
      expect(r.pay).toEqual({ type: 'fixed', base: { amount: Number(w.total), units: 1 } });
      expect(r.created.utc).toBe(fnTime(w.createdAt));
      expect(r.last_updated.utc).toBe(fnTime(w.updatedAt));
      const tech = w.technicianIds[0] !== undefined ? Number(w.technicianIds[0]) : undefined;
      if (['Assigned', 'Work Done', 'Approved', 'Paid'].includes(w.status) && tech) expect(r.assignee.user.id).toBe(tech);
      else expect(r.assignee).toBeNull();
      if (w.status === 'Routed') {
        expect(r.routes.map((x: any) => x.user.id)).toEqual([tech]);
        expect(r.status.is_routed).toBe(true);
      } else expect(r.routes).toEqual([]);
      if (w.window) {
        expect(r.schedule.service_window).toEqual({ mode: 'between', start: { utc: fnTime(w.window.start) }, end: { utc: fnTime(w.window.end) } });
      }
      const link = w.links.find((l) => l.vendor === 'astea');
      const cf = r.custom_fields.results.find((f: any) => f.name === 'Client WO Number');
      expect(cf.value).toBe(link ? astea().workOrders.find((a) => a.id === link.id)!.number : null);
      if (link) expect(r.project.name).toBe('Astea Overflow Dispatch');
    }
    // Sub-resources agree with the work order.
    const w = woBy((x) => x.links.some((l) => l.vendor === 'astea') && !!x.window);
    const full = byId.get(Number(w.id))!;
    expect((await api('GET', `/workorders/${w.id}`)).body).toEqual(full);
    expect((await api('GET', `/workorders/${w.id}/status`)).body).toEqual(full.status);
    expect((await api('GET', `/workorders/${w.id}/schedule`)).body).toEqual(full.schedule);
    expect((await api('GET', `/workorders/${w.id}/custom_fields`)).body).toEqual(full.custom_fields);
    const one = await api('GET', `/workorders/${w.id}/custom_fields/301`);
    expect(one.body).toMatchObject({ id: 301, name: 'Client WO Number', value: expect.stringMatching(/^WO-/) });
  });

  it('filters by status (name or id), project, client, location and created/updated ranges', async () => {
    const total = async (query: string) => {
      const res = await api('GET', `/workorders?sticky=false&per_page=1&${query}`);
      expect(res.status, `${query}: ${JSON.stringify(res.body)}`).toBe(200);
      return res.body.metadata.total as number;
    };
    const count = (pred: (w: GenWorkOrder) => boolean) => data.workOrders.filter(pred).length;
    for (const [name, id] of [['Draft', 1], ['Published', 2], ['Routed', 3], ['Assigned', 4], ['Work Done', 5], ['Approved', 6], ['Paid', 7], ['Cancelled', 8]] as const) {
      expect(await total(`f_status=${encodeURIComponent(name)}`), name).toBe(count((w) => w.status === name));
      expect(await total(`f_status=${id}`), name).toBe(count((w) => w.status === name));
      expect(await total(`f_state=${encodeURIComponent(name.toLowerCase().replace(' ', '_'))}`), name).toBe(count((w) => w.status === name));
    }
    expect(await total('f_status=Paid,Approved')).toBe(count((w) => w.status === 'Paid' || w.status === 'Approved'));
    expect(await total('list=workorders_published')).toBe(count((w) => w.status === 'Published' || w.status === 'Routed'));
    expect(await total('list=workorders_done&f_status=Paid')).toBe(0);

    const linked = count((w) => w.links.some((l) => l.vendor === 'astea'));
    expect(await total('f_project=503')).toBe(linked);
    const w = data.workOrders[0]!;
    expect(await total(`f_client=${w.customerId}`)).toBe(count((x) => x.customerId === w.customerId));
    expect(await total(`f_location=${w.locationId}`)).toBe(count((x) => x.locationId === w.locationId));
    expect(await total(`f_client=${w.customerId}&f_status=${encodeURIComponent(w.status)}`)).toBe(count((x) => x.customerId === w.customerId && x.status === w.status));

    const created = data.workOrders.map((x) => x.createdAt).sort();
    const from = created[Math.floor(created.length / 4)]!;
    const to = created[Math.floor((created.length * 3) / 4)]!;
    expect(await total(`f_created_date=${encodeURIComponent(`${fnTime(from)},${fnTime(to)}`)}`)).toBe(count((x) => x.createdAt >= from && x.createdAt <= to));
    const day = from.slice(0, 10);
    expect(await total(`f_created_date=${day},${day}`)).toBe(count((x) => x.createdAt.slice(0, 10) === day));
    expect(await total(`f_created_date=${day},`)).toBe(count((x) => x.createdAt.slice(0, 10) >= day));
    const updated = data.workOrders.map((x) => x.updatedAt).sort();
    const mid = updated[Math.floor(updated.length / 2)]!;
    expect(await total(`f_updated_date=,${encodeURIComponent(fnTime(mid))}`)).toBe(count((x) => x.updatedAt <= mid));
    expect(await total(`f_updated_date=${mid.slice(0, 10)},&f_status=Paid`)).toBe(count((x) => x.updatedAt.slice(0, 10) >= mid.slice(0, 10) && x.status === 'Paid'));
    // Unknown f_ filters are ignored like any unknown parameter.
    expect(await total('f_no_such_filter=1')).toBe(data.workOrders.length);

    const desc = await walk('/workorders?sticky=false&sort=created&order=desc', 100);
    const keys = desc.results.map((r) => `${r.created.utc}|${String(r.id).padStart(9, '0')}`);
    expect(keys).toEqual([...keys].sort().reverse());
    expect(desc.total).toBe(data.workOrders.length);

    for (const bad of ['f_status=Finished', 'f_created_date=yesterday', 'f_created_date=2026-02-30,', 'f_project=abc', 'list=nope', 'sort=priority', 'order=up']) {
      const res = expectProblem(await api('GET', `/workorders?sticky=false&${bad}`), 400, 'VALIDATION_ERROR');
      expect(res.errors[0].field, bad).toBe(bad.split('=')[0]);
    }
  });

  it('keeps list state sticky per API user unless sticky=false', async () => {
    const paid = data.workOrders.filter((w) => w.status === 'Paid').length;
    const all = data.workOrders.length;
    const first = await api('GET', '/workorders?per_page=1&f_status=Paid&sort=created&order=desc');
    expect(first.body.metadata).toMatchObject({ total: paid, sort: 'created', order: 'desc' });
    // A later call without the parameters inherits them...
    const inherited = await api('GET', '/workorders?per_page=1');
    expect(inherited.body.metadata).toMatchObject({ total: paid, sort: 'created', order: 'desc' });
    // ...unless it passes sticky=false, which also leaves the saved state alone.
    expect((await api('GET', '/workorders?per_page=1&sticky=false')).body.metadata).toMatchObject({ total: all, sort: 'id', order: 'asc' });
    expect((await api('GET', '/workorders?per_page=1')).body.metadata.total).toBe(paid);
    // An empty filter value clears it.
    expect((await api('GET', '/workorders?per_page=1&f_status=&sort=id&order=asc')).body.metadata).toMatchObject({ total: all, sort: 'id' });
    expect((await api('GET', '/workorders?per_page=1')).body.metadata.total).toBe(all);

    const lists = await api('GET', '/workorders/lists?sticky=false');
    expect(lists.status).toBe(200);
    const counts = Object.fromEntries(lists.body.results.map((l: any) => [l.id, l.count]));
    expect(counts.workorders_all).toBe(all);
    expect(counts.workorders_paid).toBe(paid);
    expect(counts.workorders_published).toBe(data.workOrders.filter((w) => w.status === 'Published' || w.status === 'Routed').length);
    expect(lists.body.results.find((l: any) => l.selected).id).toBe('workorders_all');
    await resetData();
  });

  it('serves providers by id and enumerates them through talent pool groups, each exactly once', async () => {
    for (const t of data.technicians) {
      const res = await api('GET', `/users/${t.id}`);
      expect(res.status).toBe(200);
      const [first, ...rest] = t.name.split(' ');
      expect(res.body).toMatchObject({ id: Number(t.id), first_name: first, last_name: rest.join(' '), email: t.email, phone: t.phone, role: 'provider', skills: t.skills });
      expect(res.body.service_territory.code).toBe(t.region);
      expect(res.body.types_of_work.length).toBeGreaterThan(0);
    }
    const groups = await walk('/talent-pools', 2);
    expect(groups.total).toBeGreaterThan(0);
    const seen: number[] = [];
    for (const g of groups.results) {
      expect(Object.keys(g).sort()).toEqual(['description', 'id', 'name', 'provider_count', 'service_territory']);
      const users = await walk(`/talent-pools/${g.id}/users`, 2);
      expect(users.total).toBe(g.provider_count);
      for (const u of users.results) expect(u.service_territory.id).toBe(g.service_territory.id);
      seen.push(...users.results.map((u) => u.id as number));
      expect((await api('GET', `/talent-pools/${g.id}`)).body).toEqual(g);
    }
    expect(seen.length).toBe(data.technicians.length);
    expect(new Set(seen)).toEqual(new Set(data.technicians.map((t) => Number(t.id))));
  });

  it('walks saved locations, clients and projects; serves types of work and reference lists', async () => {
    const locations = await walk('/locations', 20);
    expect(locations.total).toBe(data.locations.length);
    expect(new Set(locations.results.map((l) => l.id))).toEqual(new Set(data.locations.map((l) => Number(l.id))));
    for (const l of locations.results) expect(Object.keys(l).sort()).toEqual(SAVED_LOCATION_KEYS);
    const l = data.locations[0]!;
    const one = await api('GET', `/locations/${l.id}`);
    expect(one.body).toMatchObject({
      id: Number(l.id),
      name: l.name,
      address1: l.address.line1,
      city: l.address.city,
      state: l.address.region,
      zip: l.address.postalCode,
      country: 'US',
      contact: { name: l.contact!.name },
      client: { id: Number(l.customerId) },
      active: true,
      geo: { latitude: l.address.latitude, longitude: l.address.longitude },
    });
    const ofClient = await api('GET', `/locations?f_client=${l.customerId}&per_page=100`);
    expect(ofClient.body.results.map((x: any) => x.id)).toEqual(data.locations.filter((x) => x.customerId === l.customerId).map((x) => Number(x.id)));

    const clients = await walk('/clients', 20);
    expect(clients.total).toBe(data.customers.length);
    expect(new Set(clients.results.map((c) => c.id))).toEqual(new Set(data.customers.map((c) => Number(c.id))));
    const c = data.customers.find((x) => x.email && x.phone)!;
    expect((await api('GET', `/clients/${c.id}`)).body).toMatchObject({
      id: Number(c.id),
      name: c.name,
      type: c.type,
      contact: { email: c.email, phone: c.phone },
      address: { address1: c.address.line1, city: c.address.city, state: c.address.region, zip: c.address.postalCode, country: c.address.country },
    });

    const projects = await walk('/projects', 2);
    expect(projects.results.map((p) => p.name)).toEqual(['Residential Service Calls', 'Commercial Accounts', 'Astea Overflow Dispatch']);

    const tow = await api('GET', '/types-of-work');
    expect(tow.body.results.map((t: any) => t.name)).toEqual(expect.arrayContaining(['HVAC', 'Plumbing', 'Appliance Repair', 'Commercial Refrigeration']));
    for (const t of tow.body.results) {
      expect(Object.keys(t).sort()).toEqual(['id', 'name', 'service_types']);
      expect((await api('GET', `/types-of-work/${t.id}/service-types`)).body.results).toEqual(t.service_types);
    }
    expect((await api('GET', '/custom-fields')).body.results.map((f: any) => f.name)).toContain('Client WO Number');
    expect((await api('GET', '/incomplete-reasons')).body.metadata.total).toBeGreaterThan(0);
  });
});

describe('Field Nation writes', () => {
  beforeEach(resetData);

  it('creates a work order in Draft from the quick-start body; lists and filters see it', async () => {
    const loc = data.locations[0]!;
    const drafts = data.workOrders.filter((w) => w.status === 'Draft').length;
    const wo = await createWorkOrder(quickStartWorkOrder(Number(loc.id)));
    expect(Object.keys(wo).sort()).toEqual(WORK_ORDER_KEYS);
    expect(wo).toMatchObject({
      title: 'Replace lobby thermostat',
      description: { html: '<p>Replace the thermostat in the lobby.</p>' },
      status: { id: 1, name: 'Draft', is_routed: false },
      types_of_work: [{ id: 11, name: 'HVAC', isPrimary: true, service_types: [] }],
      location: { mode: 'saved', id: Number(loc.id), address1: loc.address.line1 },
      client: { id: Number(loc.customerId) },
      schedule: { service_window: { mode: 'exact', start: { utc: '2026-12-01 14:00:00' } } },
      pay: { type: 'fixed', base: { amount: 150, units: 1 } },
      assignee: null,
      routes: [],
    });
    expect(wo.id).toBeGreaterThan(Math.max(...data.workOrders.map((w) => Number(w.id))));
    expect((await api('GET', `/workorders/${wo.id}`)).body).toEqual(wo);
    expect((await api('GET', '/workorders?sticky=false&per_page=1&f_status=Draft')).body.metadata.total).toBe(drafts + 1);
    const today = new Date().toISOString().slice(0, 10);
    const recent = await api('GET', `/workorders?sticky=false&per_page=100&f_created_date=${today},${today}`);
    expect(recent.body.results.map((r: any) => r.id)).toContain(wo.id);

    const custom = await createWorkOrder(CUSTOM_WORK_ORDER);
    expect(custom.location).toMatchObject({ mode: 'custom', id: null, address1: '100 Peachtree St NW', city: 'Atlanta', geo: null });
    expect(custom.types_of_work[0].service_types).toEqual([{ id: 114, name: 'Inspection' }]);
    expect(custom.pay).toBeNull();
    expect(custom.client).toBeNull();
    // The older single type_of_work field is still accepted.
    const { types_of_work: _t, ...rest } = quickStartWorkOrder(location());
    const older = await createWorkOrder({ ...rest, type_of_work: { id: 12 } });
    expect(older.types_of_work).toEqual([{ id: 12, name: 'Plumbing', isPrimary: true, service_types: [] }]);
  });

  it('refuses invalid work orders with field errors (400) and unknown references (422)', async () => {
    const good = quickStartWorkOrder(location());
    const cases: Array<[unknown, string]> = [
      [{ ...good, title: undefined }, 'title'],
      [{ ...good, types_of_work: undefined }, 'types_of_work'],
      [{ ...good, types_of_work: [] }, 'types_of_work'],
      [{ ...good, location: undefined }, 'location'],
      [{ ...good, location: { mode: 'custom', address1: '1 Main St', state: 'GA', zip: '30303', country: 'US' } }, 'location.city'],
      [{ ...good, schedule: undefined }, 'schedule'],
      [{ ...good, schedule: { service_window: { mode: 'exact', start: { utc: '2026-12-01T14:00:00Z' } } } }, 'schedule.service_window.start.utc'],
      [{ ...good, schedule: { service_window: { mode: 'between', start: { utc: '2026-12-01 14:00:00' } } } }, 'schedule.service_window.end'],
      [{ ...good, schedule: { service_window: { mode: 'exact', start: { utc: '2026-02-30 14:00:00' } } } }, 'schedule.service_window.start.utc'],
      [
        { ...good, schedule: { service_window: { mode: 'between', start: { utc: '2026-12-01 14:00:00' }, end: { utc: '2026-12-01 13:00:00' } } } },
        'schedule.service_window.end',
      ],
      [{ ...good, pay: { type: 'fixed', base: { amount: -5 } } }, 'pay.base.amount'],
      [{ ...good, types_of_work: [{ id: 11, isPrimary: true }, { id: 12, isPrimary: true }] }, 'types_of_work'],
    ];
    for (const [body, field] of cases) {
      const p = expectProblem(await api('POST', '/workorders', body), 400, 'VALIDATION_ERROR');
      expect(p.errors.map((e: any) => e.field), field).toContain(field);
    }
    const refs: Array<[unknown, string]> = [
      [{ ...good, types_of_work: [{ id: 999, isPrimary: true }] }, 'types_of_work.0.id'],
      [{ ...good, types_of_work: [{ id: 11, service_types: [{ id: 121 }] }] }, 'types_of_work.0.service_types.0.id'],
      [{ ...good, location: { mode: 'saved', id: 1 } }, 'location.id'],
      [{ ...good, project: { id: 1 } }, 'project.id'],
      [{ ...good, client: { id: 1 } }, 'client.id'],
      [{ ...good, custom_fields: [{ name: 'No Such Field', value: 'x' }] }, 'custom_fields.0'],
    ];
    for (const [body, field] of refs) {
      const p = expectProblem(await api('POST', '/workorders', body), 422, 'UNPROCESSABLE_ENTITY');
      expect(p.errors.map((e: any) => e.field), field).toEqual([field]);
    }
    expect((await api('GET', '/workorders?sticky=false&per_page=1')).body.metadata.total).toBe(data.workOrders.length);
  });

  it('answers after its latency, with the work done when the call arrives', async () => {
    // A vendor's latency is its time to answer, its own work included: the five simulators share
    // one process, and work queued behind another vendor's must not add to a call's latency.
    const wo = await createWorkOrder(quickStartWorkOrder(location()));
    sandbox.setFaults({ fieldnation: { latencyMs: 5_000, only: '^PUT ' } });
    let answered = false;
    const put = api('PUT', `/workorders/${wo.id}`, { title: 'Changed in flight' }).finally(() => (answered = true));
    let seen = false;
    for (let i = 0; i < 100 && !seen; i++) {
      seen = (await api('GET', `/workorders/${wo.id}`)).body.title === 'Changed in flight';
      if (!seen) await new Promise((r) => setTimeout(r, 20));
    }
    expect(seen, 'the change is made as the call arrives').toBe(true);
    expect(answered, 'the answer waits for the latency').toBe(false);
    expect((await put).status).toBe(200);
  }, 20_000);

  it('updates only the given fields; schedule changes merge (pass both start and end)', async () => {
    const wo = await createWorkOrder({ ...quickStartWorkOrder(location()), custom_fields: [{ name: 'PO Number', value: 'PO-1' }] });
    const put = await api('PUT', `/workorders/${wo.id}`, { title: 'New title', custom_fields: { results: [{ id: 302, value: 'fg-123' }] } });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ title: 'New title', description: wo.description, schedule: wo.schedule, pay: wo.pay, location: wo.location });
    expect(put.body.custom_fields.results.filter((f: any) => f.value !== null).map((f: any) => [f.name, f.value])).toEqual([
      ['External Reference', 'fg-123'],
      ['PO Number', 'PO-1'],
    ]);
    const moved = await api('PUT', `/workorders/${wo.id}`, {
      location: { mode: 'custom', address1: '5 Oak Dr', city: 'Decatur', state: 'GA', zip: '30030', country: 'US' },
      pay: { base: { amount: 200 } },
      types_of_work: [{ id: 12 }],
      project: { id: 501 },
      client: null,
    });
    expect(moved.body).toMatchObject({
      location: { mode: 'custom', city: 'Decatur' },
      pay: { type: 'fixed', base: { amount: 200, units: 1 } },
      types_of_work: [{ id: 12, isPrimary: true }],
      project: { id: 501 },
      client: null,
    });

    const window = { mode: 'between', start: { utc: '2026-12-03 13:00:00' }, end: { utc: '2026-12-03 17:00:00' } };
    expect((await api('PUT', `/workorders/${wo.id}/schedule`, { service_window: window })).body).toEqual({ service_window: window });
    // Only a new start: the old end stays (the documented reason to pass both).
    const startOnly = await api('PUT', `/workorders/${wo.id}/schedule`, { service_window: { start: { utc: '2026-12-03 15:00:00' } } });
    expect(startOnly.body.service_window).toEqual({ mode: 'between', start: { utc: '2026-12-03 15:00:00' }, end: window.end });
    const pastEnd = expectProblem(await api('PUT', `/workorders/${wo.id}/schedule`, { service_window: { start: { utc: '2026-12-04 09:00:00' } } }), 400, 'VALIDATION_ERROR');
    expect(pastEnd.errors[0].field).toBe('schedule.service_window.end');
    const both = await api('PUT', `/workorders/${wo.id}`, { schedule: { service_window: { start: { utc: '2026-12-04 09:00:00' }, end: { utc: '2026-12-04 11:00:00' } } } });
    expect(both.body.schedule.service_window).toEqual({ mode: 'between', start: { utc: '2026-12-04 09:00:00' }, end: { utc: '2026-12-04 11:00:00' } });
    const exact = await api('PUT', `/workorders/${wo.id}/schedule`, { service_window: { mode: 'exact', end: null } });
    expect(exact.body.service_window).toEqual({ mode: 'exact', start: { utc: '2026-12-04 09:00:00' } });
    expect((await api('GET', `/workorders/${wo.id}/schedule`)).body).toEqual(exact.body);

    expectProblem(await api('PUT', `/workorders/${wo.id}`, { title: '' }), 400, 'VALIDATION_ERROR');
    expectProblem(await api('PUT', `/workorders/${wo.id}`, { schedule: { service_window: { start: { utc: 'tomorrow' } } } }), 400, 'VALIDATION_ERROR');
    expectProblem(await api('PUT', `/workorders/${wo.id}/schedule`, { service_window: { mode: 'sometime' } }), 400, 'VALIDATION_ERROR');
    expectProblem(await api('PUT', `/workorders/${wo.id}`, { location: { mode: 'saved', id: 1 } }), 422, 'UNPROCESSABLE_ENTITY');
    expectProblem(await api('PUT', '/workorders/1', { title: 'x' }), 404, 'NOT_FOUND');
  });

  it('sets custom fields in bulk and one by one', async () => {
    const wo = await createWorkOrder();
    const bulk = await api('PUT', `/workorders/${wo.id}/custom_fields`, [{ name: 'client wo number', value: 'WO-2026-9999' }, { id: 303, value: 'PO-7' }]);
    expect(bulk.status).toBe(200);
    expect(bulk.body.results.map((f: any) => f.value)).toEqual(['WO-2026-9999', null, 'PO-7']);
    const one = await api('PUT', `/workorders/${wo.id}/custom_fields/303`, { value: null });
    expect(one.body).toEqual({ id: 303, name: 'PO Number', type: 'text', value: null });
    expect((await api('GET', `/workorders/${wo.id}/custom_fields/301`)).body.value).toBe('WO-2026-9999');
    expectProblem(await api('PUT', `/workorders/${wo.id}/custom_fields`, [{ value: 'no id or name' }]), 400, 'VALIDATION_ERROR');
    expectProblem(await api('PUT', `/workorders/${wo.id}/custom_fields`, { results: [{ id: 999, value: 'x' }] }), 422, 'UNPROCESSABLE_ENTITY');
    expectProblem(await api('PUT', `/workorders/${wo.id}/custom_fields/301`, { value: 5 }), 400, 'VALIDATION_ERROR');
    expectProblem(await api('PUT', `/workorders/${wo.id}/custom_fields/999`, { value: 'x' }), 404, 'NOT_FOUND');
  });

  it('runs the lifecycle Draft → Published → Routed → Assigned → Work Done → Approved → Paid', async () => {
    const { pay: _p, ...noPay } = quickStartWorkOrder(location());
    const wo = await createWorkOrder(noPay);
    const path = `/workorders/${wo.id}`;
    const status = async () => (await api('GET', `${path}/status`)).body.name as string;

    const noPayPublish = expectProblem(await api('POST', `${path}/publish`), 422, 'UNPROCESSABLE_ENTITY');
    expect(noPayPublish.errors[0].field).toBe('pay');
    expect((await api('PUT', path, { pay: { type: 'fixed', base: { amount: 120, units: 1 } } })).status).toBe(200);
    expect((await api('POST', `${path}/publish?async=true`)).body.status).toMatchObject({ id: 2, name: 'Published' });

    const a = provider(0);
    const b = provider(1);
    const routed = await api('POST', `${path}/route`, { technician: { id: a } });
    expect(routed.body.status).toMatchObject({ name: 'Routed', is_routed: true });
    expect(routed.body.routes.map((r: any) => r.user.id)).toEqual([a]);
    expect(routed.body.routes[0].created.utc).toMatch(FN_TIME);
    expect((await api('POST', `${path}/route`, { user: { id: b } })).body.routes.map((r: any) => r.user.id)).toEqual([a, b]);
    expect((await api('DELETE', `${path}/route/${a}`)).body.routes.map((r: any) => r.user.id)).toEqual([b]);
    expectProblem(await api('DELETE', `${path}/route?user_id=${a}`), 404, 'NOT_FOUND');
    expect((await api('DELETE', `${path}/route`)).body.status.name).toBe('Published');

    const group = (await api('GET', '/talent-pools?per_page=100')).body.results.find((g: any) => g.provider_count > 0);
    const mass = await api('POST', `${path}/mass-route`, { talent_pool_id: group.id });
    expect(mass.status).toBe(202);
    expect(Object.keys(mass.body).sort()).toEqual(['job_id', 'routed']);
    expect(mass.body.routed).toHaveLength(group.provider_count);
    expect((await api('POST', `${path}/mass-route`, { ids: [a, b] })).body.routed).toEqual(expect.arrayContaining([a, b]));
    expect(await status()).toBe('Routed');

    const assigned = await api('POST', `${path}/assignee?clientPayTermsAccepted=true`, { user: { id: a } });
    expect(assigned.body).toMatchObject({ status: { name: 'Assigned', confirmed: true }, assignee: { user: { id: a } }, routes: [] });
    expectProblem(await api('POST', `${path}/approve`), 409, 'INVALID_STATE_TRANSITION');
    expectProblem(await api('PUT', path, { pay: { base: { amount: 999 } } }), 409, 'INVALID_STATE_TRANSITION');
    expect((await api('PUT', `${path}/schedule`, { service_window: { start: { utc: '2026-12-01 15:00:00' } } })).status).toBe(200);

    const done = await action('work-done', wo.id);
    expect(done.status).toBe(200);
    expect(done.body.status.name).toBe('Work Done');
    expectProblem(await api('PUT', `${path}/schedule`, { service_window: { start: { utc: '2026-12-01 16:00:00' } } }), 409, 'INVALID_STATE_TRANSITION');
    expectProblem(await api('DELETE', path), 400, 'VALIDATION_ERROR');
    expectProblem(await api('DELETE', `${path}?cancel_reason=late`), 409, 'INVALID_STATE_TRANSITION');

    const noReason = expectProblem(await api('DELETE', `${path}/complete?reason_id=1`), 400, 'VALIDATION_ERROR');
    expect(noReason.errors[0].field).toBe('reason');
    expectProblem(await api('DELETE', `${path}/complete?reason=Missing%20photos&reason_id=99`), 422, 'UNPROCESSABLE_ENTITY');
    expect((await api('DELETE', `${path}/complete?reason=Missing%20photos&reason_id=2`)).body.status.name).toBe('Assigned');
    expect((await action('work-done', wo.id)).body.status.name).toBe('Work Done');

    expect((await api('POST', `${path}/approve`)).body.status.name).toBe('Approved');
    expectActionProblem(await action('work-done', wo.id), 409, 'INVALID_STATE_TRANSITION');
    const paid = await action('mark-paid', wo.id);
    expect(paid.body.status).toMatchObject({ id: 7, name: 'Paid' });
    expectActionProblem(await action('mark-paid', wo.id), 409, 'INVALID_STATE_TRANSITION');
    expectProblem(await api('PUT', path, { title: 'too late' }), 409, 'INVALID_STATE_TRANSITION');
    expect((await api('GET', `/workorders?sticky=false&per_page=1&f_status=Paid`)).body.metadata.total).toBe(data.workOrders.filter((w) => w.status === 'Paid').length + 1);
  });

  it('unpublishes, un-assigns, reverts to draft and cancels; refuses illegal transitions with 409', async () => {
    const wo = await createWorkOrder();
    const path = `/workorders/${wo.id}`;
    const conflict = async (method: string, p: string, body?: unknown) => expectProblem(await api(method, p, body), 409, 'INVALID_STATE_TRANSITION');

    await conflict('DELETE', `${path}/publish`);
    await conflict('POST', `${path}/route`, { technician: { id: provider() } });
    await conflict('POST', `${path}/assignee`, { user: { id: provider() } });
    await conflict('DELETE', `${path}/assignee`);
    await conflict('POST', `${path}/approve`);
    await conflict('DELETE', `${path}/complete?reason=x&reason_id=1`);
    await conflict('POST', `${path}/draft`);
    expectActionProblem(await action('work-done', wo.id), 409, 'INVALID_STATE_TRANSITION');

    expect((await api('POST', `${path}/publish`)).body.status.name).toBe('Published');
    await conflict('POST', `${path}/publish`);
    await conflict('DELETE', `${path}/route`);
    expect((await api('DELETE', `${path}/publish`)).body.status.name).toBe('Draft');
    await api('POST', `${path}/publish`);

    // Assigned straight from Published, then back.
    expect((await api('POST', `${path}/assignee`, { user: { id: provider() } })).body.status.name).toBe('Assigned');
    await conflict('POST', `${path}/assignee`, { user: { id: provider(1) } });
    await conflict('DELETE', `${path}/publish`);
    const unassigned = await api('DELETE', `${path}/assignee`);
    expect(unassigned.body).toMatchObject({ status: { name: 'Published' }, assignee: null });
    await api('POST', `${path}/assignee`, { user: { id: provider() } });
    const reverted = await api('POST', `${path}/draft`);
    expect(reverted.body).toMatchObject({ status: { name: 'Draft' }, assignee: null, routes: [] });

    // References and bodies of the actions.
    await api('POST', `${path}/publish`);
    expectProblem(await api('POST', `${path}/route`, {}), 400, 'VALIDATION_ERROR');
    expectProblem(await api('POST', `${path}/route`, { technician: { id: 'abc' } }), 400, 'VALIDATION_ERROR');
    expect(expectProblem(await api('POST', `${path}/route`, { technician: { id: 1 } }), 422, 'UNPROCESSABLE_ENTITY').errors[0].field).toBe('technician.id');
    expectProblem(await api('POST', `${path}/route`, { technician: { id: 19001 } }), 422, 'UNPROCESSABLE_ENTITY');
    expectProblem(await api('POST', `${path}/mass-route`, {}), 400, 'VALIDATION_ERROR');
    expectProblem(await api('POST', `${path}/mass-route`, { talent_pool_id: 1 }), 422, 'UNPROCESSABLE_ENTITY');
    expectProblem(await api('POST', `${path}/mass-route`, { ids: [provider(), 1] }), 422, 'UNPROCESSABLE_ENTITY');
    expectProblem(await api('POST', `${path}/assignee`, { user: {} }), 400, 'VALIDATION_ERROR');
    expectProblem(await api('POST', `${path}/assignee`, { user: { id: 1 } }), 422, 'UNPROCESSABLE_ENTITY');
    expectActionProblem(await action('work-done', 'nope'), 400, 'VALIDATION_ERROR');
    expectActionProblem(await action('mark-paid', 1), 404, 'NOT_FOUND');
    expect(await upstreamStatus(wo.id)).toBe('Published');

    const noReason = expectProblem(await api('DELETE', path), 400, 'VALIDATION_ERROR');
    expect(noReason.errors[0].field).toBe('cancel_reason');
    const cancelled = await api('DELETE', `${path}?cancel_reason=${encodeURIComponent('Client no longer needs it')}`);
    expect(cancelled.body).toMatchObject({ status: { id: 8, name: 'Cancelled' }, cancel_reason: 'Client no longer needs it' });
    await conflict('DELETE', `${path}?cancel_reason=again`);
    await conflict('POST', `${path}/publish`);
    await conflict('PUT', path, { title: 'x' });
    await conflict('PUT', `${path}/custom_fields`, [{ id: 301, value: 'x' }]);
  });

  it('creates saved locations, clients and projects, and refuses invalid ones', async () => {
    const client = await api('POST', '/clients', {
      name: 'Peachtree Dental LLC',
      type: 'commercial',
      contact: { name: 'Dana Lee', email: 'dana@example.com', phone: '404-555-0100' },
      address: { address1: '1 Peachtree St', city: 'Atlanta', state: 'GA', zip: '30303', country: 'US' },
    });
    expect(client.status).toBe(201);
    expect(client.body).toMatchObject({ name: 'Peachtree Dental LLC', type: 'commercial', contact: { name: 'Dana Lee', email: 'dana@example.com' }, active: true });
    expect((await api('GET', `/clients/${client.body.id}`)).body).toEqual(client.body);
    expectProblem(await api('POST', '/clients', { type: 'commercial' }), 400, 'VALIDATION_ERROR');
    expectProblem(await api('POST', '/clients', { name: 'X', contact: { email: 'not-an-email' } }), 400, 'VALIDATION_ERROR');

    const loc = await api('POST', '/locations', {
      name: 'Peachtree Dental - Lobby',
      address1: '1 Peachtree St',
      city: 'Atlanta',
      state: 'GA',
      zip: '30303',
      country: 'US',
      contact: { name: 'Dana Lee', phone: '404-555-0100' },
      client: { id: client.body.id },
      geo: { latitude: 33.75, longitude: -84.39 },
    });
    expect(loc.status).toBe(201);
    expect(Object.keys(loc.body).sort()).toEqual(SAVED_LOCATION_KEYS);
    expect(loc.body).toMatchObject({ type: { name: 'Commercial' }, group: { name: 'Atlanta Central' }, client: { id: client.body.id }, contact: { email: null } });
    expect((await api('GET', `/locations/${loc.body.id}`)).body).toEqual(loc.body);
    expect((await api('GET', `/locations?f_client=${client.body.id}`)).body.results).toEqual([loc.body]);
    expectProblem(await api('POST', '/locations', { name: 'No city', address1: '1 Main St', state: 'GA', zip: '30303', country: 'US' }), 400, 'VALIDATION_ERROR');
    expectProblem(await api('POST', '/locations', { name: 'X', address1: '1 Main St', city: 'Atlanta', state: 'GA', zip: '30303', country: 'US', client: { id: 1 } }), 422, 'UNPROCESSABLE_ENTITY');
    expectProblem(await api('POST', '/locations', { name: 'X', address1: '1 Main St', city: 'Atlanta', state: 'GA', zip: '30303', country: 'US', type: { id: 9 } }), 422, 'UNPROCESSABLE_ENTITY');

    // A work order at the new saved location belongs to its client.
    const wo = await createWorkOrder(quickStartWorkOrder(loc.body.id));
    expect(wo.client).toEqual({ id: client.body.id, name: 'Peachtree Dental LLC' });
    expect((await api('GET', `/workorders?sticky=false&f_client=${client.body.id}`)).body.results.map((r: any) => r.id)).toEqual([wo.id]);

    const project = await api('POST', '/projects', { name: 'Dental Offices', description: 'All dental clients', client: { id: client.body.id } });
    expect(project.status).toBe(201);
    expect(project.body).toMatchObject({ name: 'Dental Offices', client: { id: client.body.id }, active: true });
    expect((await api('GET', `/projects/${project.body.id}`)).body).toEqual(project.body);
    expectProblem(await api('POST', '/projects', { description: 'no name' }), 400, 'VALIDATION_ERROR');
    expectProblem(await api('POST', '/projects', { name: 'X', client: { id: 1 } }), 422, 'UNPROCESSABLE_ENTITY');
    const inProject = await api('PUT', `/workorders/${wo.id}`, { project: { id: project.body.id } });
    expect(inProject.body.project).toEqual({ id: project.body.id, name: 'Dental Offices' });
    expect((await api('GET', `/workorders?sticky=false&f_project=${project.body.id}`)).body.metadata.total).toBe(1);
  });

  it('forgets every write on a data reset', async () => {
    const wo = await createWorkOrder();
    const client = (await api('POST', '/clients', { name: 'Temp' })).body;
    await resetData();
    expectProblem(await api('GET', `/workorders/${wo.id}`), 404, 'NOT_FOUND');
    expectProblem(await api('GET', `/clients/${client.id}`), 404, 'NOT_FOUND');
    expect((await api('GET', '/workorders?sticky=false&per_page=1')).body.metadata.total).toBe(data.workOrders.length);
    // Ids are handed out again from the same point.
    expect((await createWorkOrder()).id).toBe(wo.id);
  });
});

async function upstreamStatus(id: number): Promise<string> {
  return (await api('GET', `/workorders/${id}/status`)).body.name as string;
}
