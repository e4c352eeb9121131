/**
 * Contract tests of the ServiceTitan simulator over real HTTP: auth (token endpoint, app key,
 * tenant binding, expiry, throttling), list envelope and pagination, filters and batch caps,
 * rate limits, every write with valid and invalid bodies, job state transitions, export feeds,
 * sandbox actions, and the documented example shapes of the seed document.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServiceTitanSimulator, SERVICETITAN_SANDBOX } from '../../../connectors/servicetitan/sandbox.js';
import { ProblemSchema } from '../../../connectors/servicetitan/sandbox/errors.js';
import type { Sandbox } from '../../../connectors/sandbox/server.js';
import { call, startTestSandbox, vendorInfo } from '../../helpers/sandbox.js';

const T1 = SERVICETITAN_SANDBOX.tenants[0].tenant;
const T2 = SERVICETITAN_SANDBOX.tenants[1].tenant;
const APP_KEY = SERVICETITAN_SANDBOX.appKey;

let sb: Sandbox;
let base: string;
const tokens: Record<string, string> = {};

async function issueToken(clientId: string, clientSecret: string): Promise<{ status: number; headers: Headers; body: any }> {
  return call('POST', `${base}/connect/token`, { form: { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret } });
}

async function refreshTokens(): Promise<void> {
  for (const t of SERVICETITAN_SANDBOX.tenants) {
    const r = await issueToken(t.clientId, t.clientSecret);
    expect(r.status).toBe(200);
    tokens[t.tenant] = r.body.access_token;
  }
}

interface ApiOptions {
  json?: unknown;
  tenant?: string;
  headers?: Record<string, string>;
  /** Do not wait out a 429 (rate-limit tests). */
  raw?: boolean;
}

/**
 * One API call as a well-behaved client makes it: bearer token and app key, and a 429 is waited
 * out (the tests make far more than 60 calls a second).
 */
async function api(method: string, path: string, opts: ApiOptions = {}): Promise<{ status: number; headers: Headers; body: any }> {
  const tenant = opts.tenant ?? T1;
  const url = `${base}${path.replace('{t}', tenant)}`;
  for (;;) {
    const r = await call(method, url, {
      headers: { authorization: `Bearer ${tokens[tenant]}`, 'st-app-key': APP_KEY, ...opts.headers },
      ...(opts.json !== undefined ? { json: opts.json } : {}),
    });
    if (r.status !== 429 || opts.raw) return r;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Reads every page of a list. */
async function walk(path: string, pageSize: number, tenant = T1): Promise<{ rows: any[]; pages: any[] }> {
  const rows: any[] = [];
  const pages: any[] = [];
  for (let page = 1; ; page++) {
    const sep = path.includes('?') ? '&' : '?';
    const r = await api('GET', `${path}${sep}page=${page}&pageSize=${pageSize}`, { tenant });
    expect(r.status).toBe(200);
    pages.push(r.body);
    rows.push(...r.body.data);
    if (!r.body.hasMore) break;
  }
  return { rows, pages };
}

function expectProblem(r: { status: number; body: any }, status: number): void {
  expect(r.status).toBe(status);
  expect(ProblemSchema.parse(r.body).status).toBe(status);
  expect(r.body.traceId).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
}

/** Every key of the documented example is in `actual`, recursively for nested objects and first array items. */
function expectDocumentedKeys(doc: Record<string, unknown>, actual: Record<string, unknown>, path = ''): void {
  for (const [key, value] of Object.entries(doc)) {
    expect(actual, `${path}${key}`).toHaveProperty([key]);
    const got = actual[key];
    if (value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0 && got && typeof got === 'object') {
      expectDocumentedKeys(value as Record<string, unknown>, got as Record<string, unknown>, `${path}${key}.`);
    }
    if (Array.isArray(value) && value[0] && typeof value[0] === 'object' && Array.isArray(got) && got[0]) {
      expectDocumentedKeys(value[0] as Record<string, unknown>, got[0] as Record<string, unknown>, `${path}${key}[0].`);
    }
  }
}

const st = () => sb.dataset.vendors.servicetitan;

beforeAll(async () => {
  sb = await startTestSandbox({ simulators: { servicetitan: createServiceTitanSimulator } });
  base = `${sb.origin}/servicetitan`;
  await refreshTokens();
});

afterAll(async () => {
  await sb?.close();
});

describe('ServiceTitan sandbox: discovery', () => {
  it('describes itself in /_sandbox with the client_credentials auth block', async () => {
    const info = await vendorInfo(sb, 'servicetitan');
    expect(info.baseUrl).toBe(`${sb.origin}/servicetitan`);
    expect(info.openapiUrl).toBe(`${sb.origin}/servicetitan/openapi.json`);
    expect(info.auth).toEqual({
      type: 'client_credentials',
      tokenUrl: `${sb.origin}/servicetitan/connect/token`,
      apiBaseUrl: `${sb.origin}/servicetitan`,
      clientId: 'cid.sandbox0001',
      clientSecret: 'cs1.sandbox-secret',
      appKey: 'ak1.sandbox-app-key',
      tenant: '1000000001',
      applicationGuid: SERVICETITAN_SANDBOX.applicationGuid,
    });
  });

  it('serves an OpenAPI document of its routes with bearer and ST-App-Key security', async () => {
    const r = await call('GET', `${base}/openapi.json`);
    expect(r.status).toBe(200);
    expect(r.body.openapi).toBe('3.1.0');
    expect(Object.keys(r.body.components.securitySchemes).sort()).toEqual(['appKey', 'bearerToken']);
    expect(r.body.components.securitySchemes.appKey).toMatchObject({ type: 'apiKey', in: 'header', name: 'ST-App-Key' });
    for (const p of [
      '/connect/token',
      '/crm/v2/tenant/{tenant}/customers',
      '/crm/v2/tenant/{tenant}/customers/contacts',
      '/jpm/v2/tenant/{tenant}/jobs/{id}/cancel',
      '/dispatch/v2/tenant/{tenant}/appointment-assignments/assign-technicians',
      '/memberships/v2/tenant/{tenant}/memberships/sale',
      '/jpm/v2/tenant/{tenant}/export/jobs',
    ]) {
      expect(r.body.paths, p).toHaveProperty([p]);
    }
    expect(r.body.paths['/connect/token'].post.security).toEqual([]);
    // Invoices have no single GET in this API version.
    expect(r.body.paths).not.toHaveProperty(['/accounting/v2/tenant/{tenant}/invoices/{id}']);
  });
});

describe('ServiceTitan sandbox: authentication', () => {
  it('issues a 900 s JWT for form-encoded client credentials', async () => {
    const r = await issueToken('cid.sandbox0001', 'cs1.sandbox-secret');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ expires_in: 900, token_type: 'Bearer' });
    expect(r.body.access_token.split('.')).toHaveLength(3);
    const claims = JSON.parse(Buffer.from(r.body.access_token.split('.')[1], 'base64url').toString());
    expect(claims.tenant).toBe(T1);
    expect(claims.exp - claims.iat).toBe(900);
  });

  it('refuses wrong credentials and grants with OAuth errors', async () => {
    const wrong = await issueToken('cid.sandbox0001', 'cs1.wrong');
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toBe('invalid_client');
    const unknown = await issueToken('cid.nobody', 'cs1.sandbox-secret');
    expect(unknown.body.error).toBe('invalid_client');
    const grant = await call('POST', `${base}/connect/token`, { form: { grant_type: 'password', client_id: 'cid.sandbox0001', client_secret: 'cs1.sandbox-secret' } });
    expect(grant.status).toBe(400);
    expect(grant.body.error).toBe('unsupported_grant_type');
    const missing = await call('POST', `${base}/connect/token`, { form: { client_id: 'cid.sandbox0001', client_secret: 'cs1.sandbox-secret' } });
    expect(missing.body.error).toBe('invalid_request');
    const json = await call('POST', `${base}/connect/token`, { json: { grant_type: 'client_credentials', client_id: 'cid.sandbox0001', client_secret: 'cs1.sandbox-secret' } });
    expect(json.status).toBe(400);
  });

  it('needs a valid bearer token (a bare token also works)', async () => {
    const none = await call('GET', `${base}/crm/v2/tenant/${T1}/customers`, { headers: { 'st-app-key': APP_KEY } });
    expectProblem(none, 401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const junk = await call('GET', `${base}/crm/v2/tenant/${T1}/customers`, { headers: { authorization: 'Bearer not-a-token', 'st-app-key': APP_KEY } });
    expectProblem(junk, 401);
    const bare = await call('GET', `${base}/crm/v2/tenant/${T1}/customers?pageSize=1`, { headers: { authorization: tokens[T1]!, 'st-app-key': APP_KEY } });
    expect(bare.status).toBe(200);
  });

  it('needs the ST-App-Key header', async () => {
    const missing = await call('GET', `${base}/crm/v2/tenant/${T1}/customers`, { headers: { authorization: `Bearer ${tokens[T1]}` } });
    expectProblem(missing, 401);
    expect(missing.body.data.reason).toBe('missing_app_key');
    const wrong = await api('GET', '/crm/v2/tenant/{t}/customers', { headers: { 'st-app-key': 'ak1.someone-else' } });
    expectProblem(wrong, 401);
    expect(wrong.body.data.reason).toBe('invalid_app_key');
  });

  it("refuses a token on another tenant's path with 403", async () => {
    const r = await call('GET', `${base}/crm/v2/tenant/${T2}/customers`, { headers: { authorization: `Bearer ${tokens[T1]}`, 'st-app-key': APP_KEY } });
    expectProblem(r, 403);
    const back = await call('GET', `${base}/jpm/v2/tenant/${T1}/jobs`, { headers: { authorization: `Bearer ${tokens[T2]}`, 'st-app-key': APP_KEY } });
    expectProblem(back, 403);
  });

  it('answers 401 for expired tokens; a new token works', async () => {
    sb.setFaults({ servicetitan: { expireTokens: true } });
    const r = await api('GET', '/crm/v2/tenant/{t}/customers?pageSize=1');
    expectProblem(r, 401);
    expect(r.body.data.reason).toBe('token_expired');
    expect(r.headers.get('www-authenticate')).toContain('invalid_token');
    await refreshTokens();
    expect((await api('GET', '/crm/v2/tenant/{t}/customers?pageSize=1')).status).toBe(200);
  });
});

describe('ServiceTitan sandbox: tenants', () => {
  it('keeps tenant 2 empty and isolated from tenant 1', async () => {
    const empty = await api('GET', '/crm/v2/tenant/{t}/customers?includeTotal=true', { tenant: T2 });
    expect(empty.body).toEqual({ page: 1, pageSize: 50, hasMore: false, totalCount: 0, data: [] });
    const created = await api('POST', '/crm/v2/tenant/{t}/customers', {
      tenant: T2,
      json: { name: 'Tenant Two Only', address: { street: '1 Main St', city: 'Atlanta', state: 'GA', zip: '30303' }, locations: [{ name: 'Home', address: { street: '1 Main St', city: 'Atlanta', state: 'GA', zip: '30303' } }] },
    });
    expect(created.status).toBe(200);
    expect((await api('GET', `/crm/v2/tenant/{t}/customers/${created.body.id}`, { tenant: T2 })).status).toBe(200);
    expectProblem(await api('GET', `/crm/v2/tenant/{t}/customers/${created.body.id}`), 404);
    const t1 = await api('GET', `/crm/v2/tenant/{t}/customers?ids=${created.body.id}`);
    expect(t1.body.data).toEqual([]);
  });
});

describe('ServiceTitan sandbox: lists and pagination', () => {
  it('walks every job exactly once, in id order, with the documented envelope', async () => {
    const { rows, pages } = await walk('/jpm/v2/tenant/{t}/jobs', 50);
    const ids = rows.map((j) => j.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(ids.length).toBe(st().workOrders.length);
    expect(new Set(ids)).toEqual(new Set(st().workOrders.map((w) => Number(w.id))));
    for (const p of pages) {
      expect(Object.keys(p).sort()).toEqual(['data', 'hasMore', 'page', 'pageSize', 'totalCount']);
      expect(p.totalCount).toBeNull();
      expect(p.pageSize).toBe(50);
    }
    expect(pages.at(-1).hasMore).toBe(false);
    expect(ids.every((id) => Number.isSafeInteger(id) && id > 2 ** 32)).toBe(true);
  });

  it('walks customers with an odd page size and counts them with includeTotal', async () => {
    const total = await api('GET', '/crm/v2/tenant/{t}/customers?includeTotal=true&pageSize=1&active=Any');
    const { rows } = await walk('/crm/v2/tenant/{t}/customers?active=Any', 37);
    expect(rows.length).toBe(total.body.totalCount);
    expect(new Set(rows.map((c) => c.id)).size).toBe(rows.length);
    expect(rows.length).toBeGreaterThanOrEqual(st().customers.length);
  });

  it('caps ids at 50 and pageSize at 500', async () => {
    const jobIds = st().workOrders.map((w) => w.id);
    const fifty = await api('GET', `/jpm/v2/tenant/{t}/jobs?ids=${jobIds.slice(0, 50).join(',')}`);
    expect(fifty.status).toBe(200);
    expect(fifty.body.data).toHaveLength(50);
    const tooMany = await api('GET', `/jpm/v2/tenant/{t}/jobs?ids=${jobIds.slice(0, 51).join(',')}`);
    expectProblem(tooMany, 400);
    expect(tooMany.body.errors).toHaveProperty(['ids']);
    expect((await api('GET', '/jpm/v2/tenant/{t}/jobs?pageSize=500')).status).toBe(200);
    expectProblem(await api('GET', '/jpm/v2/tenant/{t}/jobs?pageSize=501'), 400);
    expectProblem(await api('GET', '/jpm/v2/tenant/{t}/jobs?pageSize=abc'), 400);
    const beyond = await api('GET', '/jpm/v2/tenant/{t}/jobs?page=9999');
    expect(beyond.body).toMatchObject({ page: 9999, hasMore: false, data: [] });
  });

  it('sorts by +/-Id, ModifiedOn and CreatedOn where documented, and refuses other fields', async () => {
    const desc = await api('GET', '/jpm/v2/tenant/{t}/jobs?sort=-Id&pageSize=5');
    const ids = desc.body.data.map((j: any) => j.id);
    expect(ids).toEqual([...ids].sort((a: number, b: number) => b - a));
    const mod = await api('GET', `/jpm/v2/tenant/{t}/jobs?sort=${encodeURIComponent('+ModifiedOn')}&pageSize=20`);
    const stamps = mod.body.data.map((j: any) => Date.parse(j.modifiedOn));
    expect(stamps).toEqual([...stamps].sort((a: number, b: number) => a - b));
    const created = await api('GET', '/jpm/v2/tenant/{t}/appointments?sort=-CreatedOn&pageSize=20');
    const c = created.body.data.map((a: any) => Date.parse(a.createdOn));
    expect(c).toEqual([...c].sort((a: number, b: number) => b - a));
    expectProblem(await api('GET', '/jpm/v2/tenant/{t}/jobs?sort=-Summary'), 400);
  });

  it('filters by modifiedOnOrAfter / createdBefore (RFC 3339) and refuses malformed dates', async () => {
    const since = '2026-10-01T00:00:00Z';
    const { rows } = await walk(`/jpm/v2/tenant/{t}/jobs?modifiedOnOrAfter=${since}`, 200);
    const expected = st().workOrders.filter((w) => Date.parse(w.updatedAt) >= Date.parse(since));
    expect(rows.length).toBe(expected.length);
    const before = await api('GET', `/crm/v2/tenant/{t}/customers?createdBefore=2024-01-01T00:00:00Z&includeTotal=true&pageSize=1`);
    expect(before.body.totalCount).toBe(st().customers.filter((c) => Date.parse(c.createdAt) < Date.parse('2024-01-01T00:00:00Z')).length);
    expectProblem(await api('GET', '/jpm/v2/tenant/{t}/jobs?modifiedOnOrAfter=yesterday'), 400);
  });

  it('refuses comma lists in single-valued filters and unknown enum values', async () => {
    const [a, b] = st().customers;
    const r = await api('GET', `/jpm/v2/tenant/{t}/jobs?customerId=${a!.id},${b!.id}`);
    expectProblem(r, 400);
    expect(r.body.errors).toHaveProperty(['customerId']);
    expectProblem(await api('GET', '/jpm/v2/tenant/{t}/appointments?jobId=1,2'), 400);
    expectProblem(await api('GET', '/jpm/v2/tenant/{t}/jobs?jobStatus=Done'), 400);
    expectProblem(await api('GET', '/jpm/v2/tenant/{t}/jobs?jobStatus=Scheduled,Completed'), 400);
    expectProblem(await api('GET', '/jpm/v2/tenant/{t}/jobs?active=yes'), 400);
  });

  it('answers 404 in the error shape for unknown records and routes (invoices have no single GET)', async () => {
    expectProblem(await api('GET', '/jpm/v2/tenant/{t}/jobs/1234567890123'), 404);
    expectProblem(await api('GET', `/accounting/v2/tenant/{t}/invoices/${st().invoices[0]!.id}`), 404);
    expectProblem(await api('GET', '/jpm/v2/tenant/{t}/jobs/abc'), 400);
  });
});

describe('ServiceTitan sandbox: filters on the seeded data', () => {
  it('jobs by customerId, locationId, jobStatus and technicianId', async () => {
    const w = st().workOrders.find((x) => x.technicianIds.length > 0)!;
    const byCustomer = await walk(`/jpm/v2/tenant/{t}/jobs?customerId=${w.customerId}`, 50);
    expect(byCustomer.rows.map((j) => j.id).sort()).toEqual(st().workOrders.filter((x) => x.customerId === w.customerId).map((x) => Number(x.id)).sort());
    const byLocation = await walk(`/jpm/v2/tenant/{t}/jobs?locationId=${w.locationId}`, 50);
    expect(byLocation.rows.every((j) => j.locationId === Number(w.locationId))).toBe(true);
    const completed = await walk('/jpm/v2/tenant/{t}/jobs?jobStatus=Completed', 500);
    expect(completed.rows.length).toBe(st().workOrders.filter((x) => x.status === 'Completed').length);
    expect(completed.rows.every((j) => j.jobStatus === 'Completed' && j.completedOn !== null)).toBe(true);
    const tech = w.technicianIds[0]!;
    const byTech = await walk(`/jpm/v2/tenant/{t}/jobs?technicianId=${tech}`, 500);
    const expected = new Set(st().appointments.filter((a) => a.technicianIds.includes(tech)).map((a) => Number(a.workOrderId)));
    expect(new Set(byTech.rows.map((j) => j.id))).toEqual(expected);
  });

  it('carries cross-system references in externalData (servicepowerWorkOrderId, seraCustomerId)', async () => {
    const linked = st().workOrders.find((x) => x.links.some((l) => l.vendor === 'servicepower'));
    if (linked) {
      const r = await api('GET', `/jpm/v2/tenant/{t}/jobs/${linked.id}`);
      expect(r.body.externalData).toContainEqual({ key: 'servicepowerWorkOrderId', value: linked.links.find((l) => l.vendor === 'servicepower')!.id });
      const other = await api('GET', `/jpm/v2/tenant/{t}/jobs/${linked.id}?externalDataApplicationGuid=6B29FC40-CA47-1067-B31D-00DD010662DA`);
      expect(other.status).toBe(200);
      expect(other.body.externalData).toEqual([]);
      const mine = await api('GET', `/jpm/v2/tenant/{t}/jobs/${linked.id}?externalDataApplicationGuid=${SERVICETITAN_SANDBOX.applicationGuid}`);
      expect(mine.body.externalData.length).toBeGreaterThan(0);
    }
    const withSera = st().customers.find((c) => c.externalRefs.some((r) => r.vendor === 'sera'));
    if (withSera) {
      const seraId = withSera.externalRefs.find((r) => r.vendor === 'sera')!.id;
      const r = await api('GET', `/crm/v2/tenant/{t}/customers?externalDataKey=seraCustomerId&externalDataValues=${seraId}`);
      expect(r.body.data.map((c: any) => c.id)).toEqual([Number(withSera.id)]);
    }
  });

  it('serves email and phone as customer contacts (the customer payload has none)', async () => {
    const c = st().customers.find((x) => x.email && x.phone)!;
    const customer = await api('GET', `/crm/v2/tenant/{t}/customers/${c.id}`);
    expect(customer.body).not.toHaveProperty(['email']);
    const contacts = await api('GET', `/crm/v2/tenant/{t}/customers/${c.id}/contacts`);
    expect(contacts.status).toBe(200);
    const values = contacts.body.data.map((k: any) => [k.type, k.value]);
    expect(values).toContainEqual(['Email', c.email]);
    expect(values.some(([type, v]: [string, string]) => (type === 'Phone' || type === 'MobilePhone') && v === c.phone)).toBe(true);
  });

  it('serves the contacts of many customers in one call (customers/contacts: customerIds, modified-on bound required)', async () => {
    const some = st().customers.filter((x) => x.email || x.phone).slice(0, 50);
    const ids = some.map((x) => x.id).join(',');
    const epoch = '1970-01-01T00:00:00Z';
    const { rows } = await walk(`/crm/v2/tenant/{t}/customers/contacts?customerIds=${ids}&modifiedOnOrAfter=${epoch}`, 30);
    expect(rows.map((k: any) => k.id)).toEqual([...rows.map((k: any) => k.id)].sort((a: number, b: number) => a - b));
    for (const k of rows) expect(Object.keys(k).sort()).toEqual(['customerId', 'id', 'memo', 'modifiedOn', 'phoneSettings', 'type', 'value']);
    for (const c of some) {
      const mine = rows.filter((k: any) => String(k.customerId) === c.id).map((k: any): [string, string] => [k.type, k.value]);
      if (c.email !== undefined) expect(mine, c.id).toContainEqual(['Email', c.email]);
      if (c.phone !== undefined) expect(mine.some(([type, v]: [string, string]) => (type === 'Phone' || type === 'MobilePhone') && v === c.phone), c.id).toBe(true);
      const single = await api('GET', `/crm/v2/tenant/{t}/customers/${c.id}/contacts`);
      expect(mine.length, c.id).toBe(single.body.data.length);
    }
    // A location's contacts are not customer contacts.
    const loc = st().locations.find((l) => l.contact?.phone || l.contact?.email)!;
    const none = await api('GET', `/crm/v2/tenant/{t}/customers/contacts?customerIds=${loc.id}&modifiedOnOrAfter=${epoch}`);
    expect(none.body.data).toEqual([]);
    // The modified-on window: [modifiedOnOrAfter, modifiedBefore), counted with includeTotal.
    const all = (await walk(`/crm/v2/tenant/{t}/customers/contacts?modifiedOnOrAfter=${epoch}`, 500)).rows;
    const stamps = [...new Set(all.map((k: any) => k.modifiedOn as string))].sort();
    const from = stamps[Math.floor(stamps.length / 4)]!;
    const to = stamps[Math.floor(stamps.length / 2)]!;
    const windowed = await api('GET', `/crm/v2/tenant/{t}/customers/contacts?modifiedOnOrAfter=${from}&modifiedBefore=${to}&includeTotal=true&pageSize=1`);
    expect(windowed.status).toBe(200);
    expect(windowed.body.totalCount).toBe(all.filter((k: any) => k.modifiedOn >= from && k.modifiedOn < to).length);
    expect(windowed.body.totalCount).toBeGreaterThan(0);
    // No modified-on bound: 400; more than 50 customers: 400.
    expectProblem(await api('GET', `/crm/v2/tenant/{t}/customers/contacts?customerIds=${some[0]!.id}`), 400);
    const many = st().customers.slice(0, 51).map((x) => x.id).join(',');
    expectProblem(await api('GET', `/crm/v2/tenant/{t}/customers/contacts?customerIds=${many}&modifiedOnOrAfter=${epoch}`), 400);
  });

  it('appointments by jobId (single), technicianId and start window; assignments by appointmentIds (multi) and jobId', async () => {
    const appts = st().appointments.filter((a) => a.technicianIds.length > 0).slice(0, 3);
    const first = appts[0]!;
    const byJob = await api('GET', `/jpm/v2/tenant/{t}/appointments?jobId=${first.workOrderId}`);
    expect(byJob.body.data.map((a: any) => a.id)).toContain(Number(first.id));
    expect(byJob.body.data.every((a: any) => a.jobId === Number(first.workOrderId))).toBe(true);
    const window = await walk(`/jpm/v2/tenant/{t}/appointments?startsOnOrAfter=${first.start}&startsBefore=${new Date(Date.parse(first.start) + 1000).toISOString()}`, 100);
    expect(window.rows.every((a) => a.start === first.start)).toBe(true);
    expect(window.rows.map((a) => a.id)).toContain(Number(first.id));
    const byTech = await walk(`/jpm/v2/tenant/{t}/appointments?technicianId=${first.technicianIds[0]}`, 200);
    expect(byTech.rows.map((a) => a.id)).toContain(Number(first.id));
    const ids = appts.map((a) => a.id).join(',');
    const assignments = await api('GET', `/dispatch/v2/tenant/{t}/appointment-assignments?appointmentIds=${ids}`);
    expect(new Set(assignments.body.data.map((a: any) => a.appointmentId))).toEqual(new Set(appts.map((a) => Number(a.id))));
    for (const a of assignments.body.data) {
      const src = appts.find((x) => Number(x.id) === a.appointmentId)!;
      expect(src.technicianIds.map(Number)).toContain(a.technicianId);
      expect(a.technicianName.length).toBeGreaterThan(0);
    }
    const byAssignJob = await api('GET', `/dispatch/v2/tenant/{t}/appointment-assignments?jobId=${first.workOrderId}`);
    expect(byAssignJob.body.data.every((a: any) => a.jobId === Number(first.workOrderId))).toBe(true);
    expectProblem(await api('GET', `/dispatch/v2/tenant/{t}/appointment-assignments?jobId=${first.workOrderId},1`), 400);
    // Assignment ids are stable: the same call answers the same ids.
    const again = await api('GET', `/dispatch/v2/tenant/{t}/appointment-assignments?appointmentIds=${ids}`);
    expect(again.body.data.map((a: any) => a.id)).toEqual(assignments.body.data.map((a: any) => a.id));
  });

  it('installed equipment by locationIds (multi), memberships by customerIds (multi) and status', async () => {
    const locs = [...new Set(st().equipment.map((e) => e.locationId))].slice(0, 3);
    const eq = await walk(`/equipmentsystems/v2/tenant/{t}/installed-equipment?locationIds=${locs.join(',')}`, 50);
    expect(eq.rows.map((e) => e.id).sort()).toEqual(st().equipment.filter((e) => locs.includes(e.locationId)).map((e) => Number(e.id)).sort());
    const warranty = st().equipment.find((e) => e.warrantyEnd);
    if (warranty) {
      const one = await api('GET', `/equipmentsystems/v2/tenant/{t}/installed-equipment/${warranty.id}`);
      expect(one.body.manufacturerWarrantyEnd).toBe(`${warranty.warrantyEnd}T00:00:00Z`);
    }
    const custs = [...new Set(st().memberships.map((m) => m.customerId))].slice(0, 4);
    const mem = await api('GET', `/memberships/v2/tenant/{t}/memberships?customerIds=${custs.join(',')}`);
    expect(mem.body.data.map((m: any) => m.id).sort()).toEqual(st().memberships.filter((m) => custs.includes(m.customerId)).map((m) => Number(m.id)).sort());
    const active = await walk('/memberships/v2/tenant/{t}/memberships?status=Active', 500);
    expect(active.rows.length).toBe(st().memberships.filter((m) => m.status === 'Active').length);
    expect(active.rows.every((m) => m.membershipTypeId >= 7_100_000_001)).toBe(true);
  });

  it('invoices by jobId, customerId and statuses, with money as decimal strings', async () => {
    const inv = st().invoices[0]!;
    const r = await api('GET', `/accounting/v2/tenant/{t}/invoices?jobId=${inv.workOrderId}`);
    expect(r.body.data).toHaveLength(1);
    expect(r.body.data[0]).toMatchObject({ id: Number(inv.id), total: inv.total, balance: inv.balance, subTotal: inv.subtotal, salesTax: inv.tax });
    expect(r.body.data[0].job).toMatchObject({ id: Number(inv.workOrderId) });
    expect(r.body.data[0].customer).toMatchObject({ id: Number(inv.customerId) });
    expect(r.body.data[0].location).toMatchObject({ id: Number(inv.locationId) });
    const byCustomer = await walk(`/accounting/v2/tenant/{t}/invoices?customerId=${inv.customerId}`, 50);
    expect(byCustomer.rows.length).toBe(st().invoices.filter((i) => i.customerId === inv.customerId).length);
    const exported = await walk('/accounting/v2/tenant/{t}/invoices?statuses=Exported', 500);
    expect(exported.rows.length).toBe(st().invoices.filter((i) => i.status === 'Exported').length);
    expectProblem(await api('GET', '/accounting/v2/tenant/{t}/invoices?statuses=Paid'), 400);
  });

  it('reference lists: business units, job types, campaigns, reasons, technicians, membership types', async () => {
    for (const p of [
      '/settings/v2/tenant/{t}/business-units',
      '/jpm/v2/tenant/{t}/job-types',
      '/marketing/v2/tenant/{t}/campaigns',
      '/jpm/v2/tenant/{t}/job-cancel-reasons',
      '/jpm/v2/tenant/{t}/job-hold-reasons',
      '/settings/v2/tenant/{t}/tag-types',
      '/accounting/v2/tenant/{t}/payment-types',
      '/pricebook/v2/tenant/{t}/services',
      '/memberships/v2/tenant/{t}/membership-types',
    ]) {
      const r = await api('GET', p);
      expect(r.status, p).toBe(200);
      expect(r.body.data.length, p).toBeGreaterThan(0);
    }
    const campaigns = await api('GET', '/marketing/v2/tenant/{t}/campaigns');
    const all = await api('GET', '/marketing/v2/tenant/{t}/campaigns?active=Any');
    expect(all.body.data.length).toBeGreaterThan(campaigns.body.data.length);
    const techs = await walk('/settings/v2/tenant/{t}/technicians', 10);
    expect(techs.rows.length).toBe(st().technicians.filter((t) => t.active).length);
    const one = await api('GET', `/settings/v2/tenant/{t}/technicians/${st().technicians[0]!.id}`);
    expect(one.body.name).toBe(st().technicians[0]!.name);
    const types = await api('GET', '/memberships/v2/tenant/{t}/membership-types');
    expect(types.body.data.map((t: any) => t.id).sort()).toEqual([7100000001, 7100000002, 7100000003]);
    const items = await api('GET', '/memberships/v2/tenant/{t}/membership-types/7100000001/duration-billing-items');
    expect(Array.isArray(items.body)).toBe(true);
    expect(items.body[0]).toHaveProperty(['billingFrequency']);
    expectProblem(await api('GET', '/memberships/v2/tenant/{t}/membership-types/1/duration-billing-items'), 404);
  });
});

/** Reference ids for writes. */
const BU = 6_100_000_001;
const JOB_TYPE = 6_200_000_001;
const CAMPAIGN = 6_300_000_001;
const CANCEL_REASON = 6_400_000_001;
const HOLD_REASON = 6_500_000_001;

function openCustomerLocation(): { customerId: number; locationId: number } {
  // From the end of the list: the soft-delete test deactivates an early customer.
  const loc = [...st().locations].reverse().find((l) => st().customers.find((c) => c.id === l.customerId)?.active && l.active)!;
  return { customerId: Number(loc.customerId), locationId: Number(loc.id) };
}

function activeTechnician(): number {
  return Number(st().technicians.find((t) => t.active)!.id);
}

async function createJob(overrides: Record<string, unknown> = {}, withTech = true): Promise<any> {
  const { customerId, locationId } = openCustomerLocation();
  const r = await api('POST', '/jpm/v2/tenant/{t}/jobs', {
    json: {
      customerId,
      locationId,
      businessUnitId: BU,
      jobTypeId: JOB_TYPE,
      priority: 'Normal',
      campaignId: CAMPAIGN,
      appointments: [{ start: '2026-12-01T14:00:00Z', end: '2026-12-01T18:00:00Z', arrivalWindowStart: '2026-12-01T14:00:00Z', arrivalWindowEnd: '2026-12-01T16:00:00Z', ...(withTech ? { technicianIds: [activeTechnician()] } : {}) }],
      summary: 'Contract test job',
      ...overrides,
    },
  });
  expect(r.status).toBe(200);
  return r.body;
}

describe('ServiceTitan sandbox: CRM writes', () => {
  it('creates a customer with embedded locations and contacts; refuses invalid bodies', async () => {
    const body = {
      name: 'Test Source',
      type: 'Residential',
      address: { street: '123 Peachtree St NE', unit: 'Apt 4', city: 'Atlanta', state: 'GA', zip: '30303', country: 'USA' },
      contacts: [
        { type: 'Email', value: 'test.source@example.com', memo: null },
        { type: 'MobilePhone', value: '(404) 555-0100', memo: 'Cell' },
      ],
      locations: [{ name: 'Home', address: { street: '123 Peachtree St NE', city: 'Atlanta', state: 'GA', zip: '30303' }, contacts: [{ type: 'Phone', value: '4045550101' }] }],
      tagTypeIds: [6_600_000_001],
      externalData: { applicationGuid: SERVICETITAN_SANDBOX.applicationGuid, externalData: [{ key: 'fieldgraphId', value: 'fg-1' }] },
    };
    const r = await api('POST', '/crm/v2/tenant/{t}/customers', { json: body });
    expect(r.status).toBe(200);
    expect(r.body.id).toBeGreaterThan(Math.max(...st().customers.map((c) => Number(c.id))));
    expect(r.body.locations).toHaveLength(1);
    expect(r.body.locations[0].customerId).toBe(r.body.id);
    expect(r.body.contacts.map((c: any) => c.type)).toEqual(['Email', 'MobilePhone']);
    expect(r.body.externalData).toEqual([{ key: 'fieldgraphId', value: 'fg-1' }]);
    const contacts = await api('GET', `/crm/v2/tenant/{t}/customers/${r.body.id}/contacts`);
    expect(contacts.body.data).toHaveLength(2);
    const locs = await api('GET', `/crm/v2/tenant/{t}/locations?customerId=${r.body.id}`);
    expect(locs.body.data.map((l: any) => l.id)).toEqual([r.body.locations[0].id]);

    const noName = await api('POST', '/crm/v2/tenant/{t}/customers', { json: { ...body, name: undefined } });
    expectProblem(noName, 400);
    expect(noName.body.errors).toHaveProperty(['name']);
    const noLocations = await api('POST', '/crm/v2/tenant/{t}/customers', { json: { ...body, locations: [] } });
    expectProblem(noLocations, 400);
    expect(noLocations.body.errors).toHaveProperty(['locations']);
    const badEmail = await api('POST', '/crm/v2/tenant/{t}/customers', { json: { ...body, contacts: [{ type: 'Email', value: 'nope' }] } });
    expectProblem(badEmail, 400);
    expect(badEmail.body.errors).toHaveProperty(['contacts[0].value']);
    const badTag = await api('POST', '/crm/v2/tenant/{t}/customers', { json: { ...body, tagTypeIds: [123] } });
    expectProblem(badTag, 422);
    expectProblem(await api('POST', '/crm/v2/tenant/{t}/customers', { json: { ...body, type: 'Alien' } }), 400);
  });

  it('creates customer contacts and locations; refuses unknown customers', async () => {
    const customerId = Number(st().customers[1]!.id);
    const contact = await api('POST', `/crm/v2/tenant/{t}/customers/${customerId}/contacts`, { json: { type: 'Phone', value: '1234567890', memo: 'Payment for services rendered.' } });
    expect(contact.status).toBe(200);
    expect(contact.body).toMatchObject({ type: 'Phone', value: '1234567890', phoneSettings: { phoneNumber: '1234567890', doNotText: false } });
    expectProblem(await api('POST', `/crm/v2/tenant/{t}/customers/${customerId}/contacts`, { json: { type: 'Pager', value: '1' } }), 400);
    expectProblem(await api('POST', '/crm/v2/tenant/{t}/customers/1/contacts', { json: { type: 'Phone', value: '1234567890' } }), 404);

    const loc = await api('POST', '/crm/v2/tenant/{t}/locations', {
      json: { customerId, name: 'Test Source', address: { street: '9 Oak Dr', city: 'Decatur', state: 'GA', zip: '30030', country: 'USA' }, contacts: [{ type: 'Email', value: 'site@example.com' }] },
    });
    expect(loc.status).toBe(200);
    expect(loc.body).toMatchObject({ customerId, name: 'Test Source', active: true });
    expect(loc.body.contacts).toHaveLength(1);
    expect((await api('GET', `/crm/v2/tenant/{t}/locations/${loc.body.id}`)).body.name).toBe('Test Source');
    const unknown = await api('POST', '/crm/v2/tenant/{t}/locations', { json: { customerId: 1, name: 'X', address: { street: '1', city: 'A', state: 'GA', zip: '30303' } } });
    expectProblem(unknown, 422);
    expect(unknown.body.errors).toHaveProperty(['customerId']);
    expectProblem(await api('POST', '/crm/v2/tenant/{t}/locations', { json: { customerId, address: { street: '1', city: 'A', state: 'GA', zip: '30303' } } }), 400);
  });

  it('creates installed equipment at a location; refuses unknown or missing locations', async () => {
    const locationId = Number(st().locations[0]!.id);
    // The seed document's example inputs (cost as the number the API takes; tag id adjusted to an existing one).
    const body = {
      locationId,
      name: 'Test Source',
      installedOn: '2021-01-01T00:00:00Z',
      serialNumber: '1234567890',
      memo: 'Payment for services rendered.',
      manufacturer: 'Test Manufacturer',
      model: 'Test Model',
      cost: 100.0,
      manufacturerWarrantyStart: '2021-01-01T00:00:00Z',
      manufacturerWarrantyEnd: '2021-01-01T00:00:00Z',
      serviceProviderWarrantyStart: '2021-01-01T00:00:00Z',
      serviceProviderWarrantyEnd: '2021-01-01T00:00:00Z',
      tagTypeIds: [6_600_000_003],
    };
    const r = await api('POST', '/equipmentsystems/v2/tenant/{t}/installed-equipment', { json: body });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ locationId, customerId: Number(st().locations[0]!.customerId), serialNumber: '1234567890', cost: 100 });
    expect(r.body.tags[0]).toMatchObject({ typeId: 6_600_000_003, typeName: 'HVAC' });
    const listed = await api('GET', `/equipmentsystems/v2/tenant/{t}/installed-equipment?locationIds=${locationId}`);
    expect(listed.body.data.map((e: any) => e.id)).toContain(r.body.id);
    const unknown = await api('POST', '/equipmentsystems/v2/tenant/{t}/installed-equipment', { json: { ...body, locationId: 1 } });
    expectProblem(unknown, 422);
    const missing = await api('POST', '/equipmentsystems/v2/tenant/{t}/installed-equipment', { json: { name: 'x' } });
    expectProblem(missing, 400);
    expect(missing.body.errors).toHaveProperty(['locationId']);
  });

  it('creates bookings as the booking provider and finds them by externalId', async () => {
    const provider = SERVICETITAN_SANDBOX.bookingProviderId;
    const body = {
      source: 'Test Source',
      name: 'Test Source',
      summary: 'A summary related to the invoice.',
      isFirstTimeClient: true,
      externalId: '10978752986',
      address: { street: '1 Main St', unit: null, city: 'Atlanta', state: 'GA', zip: '30303', country: 'USA' },
      contacts: [{ type: 'Email', value: 'lead@example.com', memo: null }],
      customerType: 'Residential',
      start: '2021-01-01T00:00:00Z',
      campaignId: CAMPAIGN,
      businessUnitId: BU,
      jobTypeId: JOB_TYPE,
      priority: 'Normal',
      isSendConfirmationEmail: true,
      uploadedImages: [],
    };
    const r = await api('POST', `/crm/v2/tenant/{t}/booking-provider/${provider}/bookings`, { json: body });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'New', externalId: '10978752986', bookingProviderId: provider, jobId: null });
    const found = await api('GET', '/crm/v2/tenant/{t}/bookings?externalId=10978752986');
    expect(found.body.data.map((b: any) => b.id)).toEqual([r.body.id]);
    expect((await api('GET', `/crm/v2/tenant/{t}/bookings/${r.body.id}`)).status).toBe(200);
    expect((await api('GET', `/crm/v2/tenant/{t}/booking-provider/${provider}/bookings/${r.body.id}`)).status).toBe(200);
    expect((await api('GET', `/crm/v2/tenant/{t}/booking-provider/${provider}/bookings`)).body.data.length).toBeGreaterThan(0);
    const noExternal = await api('POST', `/crm/v2/tenant/{t}/booking-provider/${provider}/bookings`, { json: { ...body, externalId: undefined } });
    expectProblem(noExternal, 400);
    expect(noExternal.body.errors).toHaveProperty(['externalId']);
    expectProblem(await api('POST', '/crm/v2/tenant/{t}/booking-provider/1/bookings', { json: body }), 404);
    expectProblem(await api('POST', `/crm/v2/tenant/{t}/booking-provider/${provider}/bookings`, { json: { ...body, campaignId: 1 } }), 422);
  });
});

describe('ServiceTitan sandbox: jobs, appointments and dispatch', () => {
  it('creates a job with appointments and assignments', async () => {
    const job = await createJob();
    expect(job).toMatchObject({ jobStatus: 'Scheduled', priority: 'Normal', campaignId: CAMPAIGN, appointmentCount: 1, active: true });
    expect(job.id).toBeGreaterThan(Math.max(...st().workOrders.map((w) => Number(w.id))));
    expect(job.firstAppointmentId).toBe(job.lastAppointmentId);
    const appt = await api('GET', `/jpm/v2/tenant/{t}/appointments/${job.firstAppointmentId}`);
    expect(appt.body).toMatchObject({ jobId: job.id, status: 'Scheduled', customerId: job.customerId, appointmentNumber: `${job.jobNumber}-1` });
    const assignments = await api('GET', `/dispatch/v2/tenant/{t}/appointment-assignments?jobId=${job.id}`);
    expect(assignments.body.data).toHaveLength(1);
    expect(assignments.body.data[0]).toMatchObject({ technicianId: activeTechnician(), status: 'Scheduled', appointmentId: job.firstAppointmentId });
    const listed = await api('GET', `/jpm/v2/tenant/{t}/jobs?ids=${job.id}`);
    expect(listed.body.data[0].id).toBe(job.id);
  });

  it('refuses a job without campaignId (or another reference) with 422, a malformed one with 400', async () => {
    const { customerId, locationId } = openCustomerLocation();
    const valid = { customerId, locationId, businessUnitId: BU, jobTypeId: JOB_TYPE, priority: 'Normal', campaignId: CAMPAIGN, appointments: [{ start: '2026-12-01T14:00:00Z', end: '2026-12-01T18:00:00Z' }] };
    const noCampaign = await api('POST', '/jpm/v2/tenant/{t}/jobs', { json: { ...valid, campaignId: undefined } });
    expectProblem(noCampaign, 422);
    expect(noCampaign.body.errors).toHaveProperty(['campaignId']);
    const noBu = await api('POST', '/jpm/v2/tenant/{t}/jobs', { json: { ...valid, businessUnitId: undefined, jobTypeId: 1 } });
    expectProblem(noBu, 422);
    expect(Object.keys(noBu.body.errors).sort()).toEqual(['businessUnitId', 'jobTypeId']);
    const otherLocation = st().locations.find((l) => Number(l.customerId) !== customerId)!;
    const mismatch = await api('POST', '/jpm/v2/tenant/{t}/jobs', { json: { ...valid, locationId: Number(otherLocation.id) } });
    expectProblem(mismatch, 422);
    expect(mismatch.body.errors).toHaveProperty(['locationId']);
    const badTech = await api('POST', '/jpm/v2/tenant/{t}/jobs', { json: { ...valid, appointments: [{ ...valid.appointments[0], technicianIds: [1] }] } });
    expectProblem(badTech, 422);
    expect(badTech.body.errors).toHaveProperty(['appointments[0].technicianIds']);
    const badPriority = await api('POST', '/jpm/v2/tenant/{t}/jobs', { json: { ...valid, priority: 'Whenever' } });
    expectProblem(badPriority, 400);
    expect(badPriority.body.errors).toHaveProperty(['priority']);
    const noAppointments = await api('POST', '/jpm/v2/tenant/{t}/jobs', { json: { ...valid, appointments: [] } });
    expectProblem(noAppointments, 400);
    const badDate = await api('POST', '/jpm/v2/tenant/{t}/jobs', { json: { ...valid, appointments: [{ start: 'tomorrow', end: '2026-12-01T18:00:00Z' }] } });
    expectProblem(badDate, 400);
    expect(badDate.body.errors).toHaveProperty(['appointments[0].start']);
    const backwards = await api('POST', '/jpm/v2/tenant/{t}/jobs', { json: { ...valid, appointments: [{ start: '2026-12-01T18:00:00Z', end: '2026-12-01T14:00:00Z' }] } });
    expectProblem(backwards, 400);
  });

  it('holds, resumes, completes and refuses illegal transitions with 409', async () => {
    const job = await createJob();
    const path = `/jpm/v2/tenant/{t}/jobs/${job.id}`;
    const hold = await api('PUT', `${path}/hold`, { json: { reasonId: HOLD_REASON, memo: 'Waiting for parts' } });
    expect(hold.status).toBe(200);
    expect(hold.body).toBeUndefined();
    expect((await api('GET', path)).body.jobStatus).toBe('Hold');
    expect((await api('GET', `/jpm/v2/tenant/{t}/appointments/${job.firstAppointmentId}`)).body.status).toBe('Hold');
    expectProblem(await api('PUT', `${path}/hold`, { json: { reasonId: HOLD_REASON, memo: 'again' } }), 409);
    expect((await api('DELETE', `/jpm/v2/tenant/{t}/appointments/${job.firstAppointmentId}/hold`)).status).toBe(200);
    expect((await api('GET', path)).body.jobStatus).toBe('Scheduled');
    expectProblem(await api('DELETE', `/jpm/v2/tenant/{t}/appointments/${job.firstAppointmentId}/hold`), 409);
    expectProblem(await api('PUT', `${path}/hold`, { json: { reasonId: 1, memo: 'unknown reason' } }), 422);
    expectProblem(await api('PUT', `${path}/hold`, { json: { reasonId: HOLD_REASON } }), 400);
    // Holding the job's only open appointment holds the job.
    const apptHold = `/jpm/v2/tenant/{t}/appointments/${job.firstAppointmentId}/hold`;
    expectProblem(await api('PUT', apptHold, { json: { reasonId: 1, memo: 'x' } }), 422);
    expect((await api('PUT', apptHold, { json: { reasonId: HOLD_REASON, memo: 'Weather' } })).status).toBe(200);
    expect((await api('GET', path)).body.jobStatus).toBe('Hold');
    expectProblem(await api('PUT', apptHold, { json: { reasonId: HOLD_REASON, memo: 'Weather' } }), 409);
    expect((await api('DELETE', apptHold)).status).toBe(200);
    expect((await api('GET', path)).body.jobStatus).toBe('Scheduled');

    expectProblem(await api('PUT', `${path}/complete`, { json: {} }), 400);
    expect((await api('PUT', `${path}/complete`, { json: { completedOn: '2026-12-01T17:30:00Z' } })).status).toBe(200);
    const done = (await api('GET', path)).body;
    expect(done).toMatchObject({ jobStatus: 'Completed', completedOn: '2026-12-01T17:30:00Z' });
    expect((await api('GET', `/jpm/v2/tenant/{t}/appointments/${job.firstAppointmentId}`)).body.status).toBe('Done');
    const assignment = await api('GET', `/dispatch/v2/tenant/{t}/appointment-assignments?jobId=${job.id}`);
    expect(assignment.body.data[0].status).toBe('Done');
    expectProblem(await api('PUT', `${path}/complete`, { json: { completedOn: '2026-12-01T17:30:00Z' } }), 409);
    expectProblem(await api('PUT', `${path}/cancel`, { json: { reasonId: CANCEL_REASON, memo: 'too late' } }), 409);
    expectProblem(await api('PUT', `${path}/hold`, { json: { reasonId: HOLD_REASON, memo: 'too late' } }), 409);
    expectProblem(await api('PUT', `${path}/remove-cancellation`), 409);
    expectProblem(await api('PUT', '/jpm/v2/tenant/{t}/jobs/1/complete', { json: { completedOn: '2026-12-01T17:30:00Z' } }), 404);
  });

  it('cancels (with the seed example body), refuses completing a canceled job, and removes the cancellation', async () => {
    const job = await createJob();
    const path = `/jpm/v2/tenant/{t}/jobs/${job.id}`;
    expectProblem(await api('PUT', `${path}/cancel`, { json: { reasonId: 1088, memo: 'string' } }), 422);
    expectProblem(await api('PUT', `${path}/cancel`, { json: { reasonId: CANCEL_REASON } }), 400);
    // Seed document example: memo "string", reason id 1088 adjusted to an existing reason.
    const cancel = await api('PUT', `${path}/cancel`, { json: { reasonId: CANCEL_REASON, memo: 'string' } });
    expect(cancel.status).toBe(200);
    expect((await api('GET', path)).body.jobStatus).toBe('Canceled');
    expect((await api('GET', `/jpm/v2/tenant/{t}/appointments/${job.firstAppointmentId}`)).body.status).toBe('Canceled');
    expectProblem(await api('PUT', `${path}/complete`, { json: { completedOn: '2026-12-01T17:30:00Z' } }), 409);
    expectProblem(await api('PUT', `${path}/cancel`, { json: { reasonId: CANCEL_REASON, memo: 'twice' } }), 409);
    expectProblem(await api('POST', '/jpm/v2/tenant/{t}/appointments', { json: { jobId: job.id, start: '2026-12-02T14:00:00Z', end: '2026-12-02T18:00:00Z' } }), 409);
    expect((await api('PUT', `${path}/remove-cancellation`)).status).toBe(200);
    expect((await api('GET', path)).body.jobStatus).toBe('Scheduled');
    expect((await api('GET', `/jpm/v2/tenant/{t}/appointments/${job.firstAppointmentId}`)).body.status).toBe('Scheduled');
    expectProblem(await api('PUT', `${path}/remove-cancellation`), 409);
  });

  it('refuses to complete a job without technicians', async () => {
    const job = await createJob({}, false);
    const r = await api('PUT', `/jpm/v2/tenant/{t}/jobs/${job.id}/complete`, { json: { completedOn: '2026-12-01T17:30:00Z' } });
    expectProblem(r, 409);
  });

  it('adds (seed example body), reschedules and deletes appointments', async () => {
    const job = await createJob();
    const tech = activeTechnician();
    // Seed document example inputs; jobId and the technician adjusted to existing records.
    const add = await api('POST', '/jpm/v2/tenant/{t}/appointments', {
      json: {
        jobId: job.id,
        start: '2021-01-01T00:00:00Z',
        end: '2021-01-01T00:00:00Z',
        arrivalWindowStart: '2021-01-01T00:00:00Z',
        arrivalWindowEnd: '2021-01-01T00:00:00Z',
        specialInstructions: 'Any special instructions',
        technicianIds: [tech],
      },
    });
    expect(add.status).toBe(200);
    expect(add.body).toMatchObject({ jobId: job.id, status: 'Scheduled', specialInstructions: 'Any special instructions' });
    const after = (await api('GET', `/jpm/v2/tenant/{t}/jobs/${job.id}`)).body;
    expect(after.appointmentCount).toBe(2);
    // Appointments order by start: the 2021 one comes first.
    expect(after.firstAppointmentId).toBe(add.body.id);
    expectProblem(await api('POST', '/jpm/v2/tenant/{t}/appointments', { json: { jobId: 1, start: '2026-12-02T14:00:00Z', end: '2026-12-02T18:00:00Z' } }), 404);
    expectProblem(await api('POST', '/jpm/v2/tenant/{t}/appointments', { json: { jobId: job.id, start: '2026-12-02T14:00:00Z' } }), 400);
    expectProblem(await api('POST', '/jpm/v2/tenant/{t}/appointments', { json: { jobId: job.id, start: '2026-12-02T14:00:00Z', end: '2026-12-02T18:00:00Z', technicianIds: [1] } }), 422);

    const moved = await api('PATCH', `/jpm/v2/tenant/{t}/appointments/${add.body.id}/reschedule`, { json: { start: '2026-12-03T13:00:00Z', end: '2026-12-03T17:00:00Z' } });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ start: '2026-12-03T13:00:00Z', end: '2026-12-03T17:00:00Z' });
    expectProblem(await api('PATCH', `/jpm/v2/tenant/{t}/appointments/${add.body.id}/reschedule`, { json: { end: '2020-01-01T00:00:00Z' } }), 400);
    expectProblem(await api('PATCH', `/jpm/v2/tenant/{t}/appointments/${add.body.id}/reschedule`, { json: {} }), 400);
    expectProblem(await api('PATCH', '/jpm/v2/tenant/{t}/appointments/1/reschedule', { json: { start: '2026-12-03T13:00:00Z' } }), 404);

    expect((await api('DELETE', `/jpm/v2/tenant/{t}/appointments/${add.body.id}`)).status).toBe(200);
    expectProblem(await api('GET', `/jpm/v2/tenant/{t}/appointments/${add.body.id}`), 404);
    expect((await api('GET', `/dispatch/v2/tenant/{t}/appointment-assignments?appointmentIds=${add.body.id}`)).body.data).toEqual([]);
    // The last appointment of a job cannot be deleted.
    expectProblem(await api('DELETE', `/jpm/v2/tenant/{t}/appointments/${job.firstAppointmentId}`), 409);
    // Done appointments cannot be rescheduled or deleted.
    const done = st().appointments.find((a) => a.status === 'Done')!;
    expectProblem(await api('PATCH', `/jpm/v2/tenant/{t}/appointments/${done.id}/reschedule`, { json: { start: '2026-12-03T13:00:00Z', end: '2026-12-03T17:00:00Z' } }), 409);
    expectProblem(await api('DELETE', `/jpm/v2/tenant/{t}/appointments/${done.id}`), 409);
  });

  it('assigns and unassigns technicians (two calls to change a technician)', async () => {
    const job = await createJob({}, false);
    const [t1, t2] = st().technicians.filter((t) => t.active).map((t) => Number(t.id));
    const path = '/dispatch/v2/tenant/{t}/appointment-assignments';
    const assigned = await api('POST', `${path}/assign-technicians`, { json: { jobAppointmentId: job.firstAppointmentId, technicianIds: [t1, t2] } });
    expect(assigned.status).toBe(200);
    expect(assigned.body).toMatchObject({ id: job.firstAppointmentId, jobId: job.id });
    let list = await api('GET', `${path}?appointmentIds=${job.firstAppointmentId}`);
    expect(list.body.data.map((a: any) => a.technicianId).sort()).toEqual([t1, t2].sort());
    expect(list.body.data.every((a: any) => a.assignedById === SERVICETITAN_SANDBOX.apiUserId)).toBe(true);
    // Assigning again changes nothing.
    await api('POST', `${path}/assign-technicians`, { json: { jobAppointmentId: job.firstAppointmentId, technicianIds: [t1] } });
    expect((await api('GET', `${path}?appointmentIds=${job.firstAppointmentId}`)).body.data).toHaveLength(2);
    expect((await api('POST', `${path}/unassign-technicians`, { json: { jobAppointmentId: job.firstAppointmentId, technicianIds: [t1] } })).status).toBe(200);
    list = await api('GET', `${path}?appointmentIds=${job.firstAppointmentId}`);
    expect(list.body.data.map((a: any) => a.technicianId)).toEqual([t2]);
    const byTech = await walk(`/jpm/v2/tenant/{t}/jobs?technicianId=${t2}`, 500);
    expect(byTech.rows.map((j) => j.id)).toContain(job.id);

    expectProblem(await api('POST', `${path}/assign-technicians`, { json: { jobAppointmentId: job.firstAppointmentId, technicianIds: [1] } }), 422);
    expectProblem(await api('POST', `${path}/assign-technicians`, { json: { jobAppointmentId: 1, technicianIds: [t1] } }), 404);
    expectProblem(await api('POST', `${path}/assign-technicians`, { json: { jobAppointmentId: job.firstAppointmentId } }), 400);
    const done = st().appointments.find((a) => a.status === 'Done')!;
    expectProblem(await api('POST', `${path}/assign-technicians`, { json: { jobAppointmentId: Number(done.id), technicianIds: [t1] } }), 409);
    expectProblem(await api('POST', `${path}/unassign-technicians`, { json: { jobAppointmentId: Number(done.id), technicianIds: [t1] } }), 409);
    expectProblem(await api('POST', `${path}/unassign-technicians`, { json: { jobAppointmentId: job.firstAppointmentId } }), 400);
    expectProblem(await api('POST', `${path}/unassign-technicians`, { json: { jobAppointmentId: 1, technicianIds: [t1] } }), 404);
  });
});

describe('ServiceTitan sandbox: accounting and memberships', () => {
  it('records a payment against an invoice balance; refuses invalid payments', async () => {
    const inv = st().invoices.find((i) => i.balance !== '0.00')!;
    const before = (await api('GET', `/accounting/v2/tenant/{t}/invoices?ids=${inv.id}`)).body.data[0];
    // Seed document example inputs; typeId and the split's invoice adjusted to existing records.
    const body = {
      typeId: 6_700_000_002,
      memo: 'Payment for services rendered.',
      paidOn: '2021-01-01T00:00:00Z',
      authCode: '6B29FC40-CA47-1067-B31D-00DD010662DA21323',
      checkNumber: '6B29FC40-CA47-1067-B31D-00DD010662DA21323',
      exportId: '6B29FC40-CA47-1067-B31D-00DD010662DA21323',
      splits: [{ invoiceId: Number(inv.id), amount: 10.5 }],
    };
    const r = await api('POST', '/accounting/v2/tenant/{t}/payments', { json: body });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ typeId: 6_700_000_002, active: true, splits: [{ invoiceId: Number(inv.id), amount: 10.5 }] });
    const afterInv = (await api('GET', `/accounting/v2/tenant/{t}/invoices?ids=${inv.id}`)).body.data[0];
    expect(Math.round(Number(before.balance) * 100) - Math.round(Number(afterInv.balance) * 100)).toBe(1050);
    const listed = await api('GET', `/accounting/v2/tenant/{t}/payments?ids=${r.body.id}`);
    expect(listed.body.data[0]).toMatchObject({ id: r.body.id, total: '10.50', customer: { id: Number(inv.customerId) }, appliedTo: [{ appliedTo: Number(inv.id), appliedAmount: '10.50' }] });
    const byCustomer = await api('GET', `/accounting/v2/tenant/{t}/payments?customerId=${inv.customerId}`);
    expect(byCustomer.body.data.map((p: any) => p.id)).toContain(r.body.id);

    expectProblem(await api('POST', '/accounting/v2/tenant/{t}/payments', { json: { ...body, splits: [{ invoiceId: Number(inv.id), amount: 1_000_000 }] } }), 422);
    expectProblem(await api('POST', '/accounting/v2/tenant/{t}/payments', { json: { ...body, splits: [{ invoiceId: 1, amount: 1 }] } }), 422);
    expectProblem(await api('POST', '/accounting/v2/tenant/{t}/payments', { json: { ...body, typeId: 1 } }), 422);
    expectProblem(await api('POST', '/accounting/v2/tenant/{t}/payments', { json: { ...body, splits: undefined } }), 400);
    expectProblem(await api('POST', '/accounting/v2/tenant/{t}/payments', { json: { ...body, splits: [{ invoiceId: Number(inv.id), amount: 1.234 }] } }), 400);
  });

  it('sells a membership: creates the membership and its sale invoice', async () => {
    const { customerId, locationId } = openCustomerLocation();
    const types = await api('GET', '/memberships/v2/tenant/{t}/membership-types');
    const type = types.body.data[0];
    const options = await api('GET', `/memberships/v2/tenant/{t}/membership-types/${type.id}/duration-billing-items`);
    const option = options.body[0];
    const services = await api('GET', '/pricebook/v2/tenant/{t}/services');
    const task = services.body.data.find((s: any) => s.displayName.startsWith(type.name));
    const body = { customerId, businessUnitId: BU, saleTaskId: task.id, durationBillingId: option.id, locationId };
    const r = await api('POST', '/memberships/v2/tenant/{t}/memberships/sale', { json: body });
    expect(r.status).toBe(200);
    expect(Object.keys(r.body).sort()).toEqual(['customerMembershipId', 'invoiceId']);
    const m = await api('GET', `/memberships/v2/tenant/{t}/memberships/${r.body.customerMembershipId}`);
    expect(m.body).toMatchObject({ customerId, membershipTypeId: type.id, status: 'Active', locationId, billingFrequency: option.billingFrequency, duration: option.duration });
    const inv = await api('GET', `/accounting/v2/tenant/{t}/invoices?ids=${r.body.invoiceId}`);
    expect(inv.body.data[0]).toMatchObject({ membershipId: r.body.customerMembershipId, customer: { id: customerId }, syncStatus: 'Pending', job: null });
    expect(inv.body.data[0].items[0]).toMatchObject({ skuId: task.id, membershipTypeId: type.id });
    const listed = await api('GET', `/memberships/v2/tenant/{t}/memberships?customerIds=${customerId}`);
    expect(listed.body.data.map((x: any) => x.id)).toContain(r.body.customerMembershipId);

    const badOption = await api('POST', '/memberships/v2/tenant/{t}/memberships/sale', { json: { ...body, durationBillingId: 1 } });
    expectProblem(badOption, 422);
    expect(badOption.body.errors).toHaveProperty(['durationBillingId']);
    expectProblem(await api('POST', '/memberships/v2/tenant/{t}/memberships/sale', { json: { ...body, customerId: 1 } }), 422);
    expectProblem(await api('POST', '/memberships/v2/tenant/{t}/memberships/sale', { json: { ...body, saleTaskId: undefined } }), 400);
  });
});

describe('ServiceTitan sandbox: export feeds', () => {
  it('exports every job once through continueFrom tokens, delaying fresh changes unless includeRecentChanges', async () => {
    const seen = new Map<number, number>();
    let from: string | undefined;
    let calls = 0;
    for (;;) {
      const r = await api('GET', `/jpm/v2/tenant/{t}/export/jobs${from ? `?from=${encodeURIComponent(from)}` : ''}`);
      expect(r.status).toBe(200);
      expect(Object.keys(r.body).sort()).toEqual(['continueFrom', 'data', 'hasMore']);
      for (const j of r.body.data) seen.set(j.id, (seen.get(j.id) ?? 0) + 1);
      from = r.body.continueFrom;
      calls++;
      if (!r.body.hasMore) break;
    }
    expect(calls).toBeGreaterThan(1);
    // Jobs created by earlier tests are younger than 15 minutes: not in the feed yet.
    expect(seen.size).toBe(st().workOrders.length);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);

    const recent = await api('GET', `/jpm/v2/tenant/{t}/export/jobs?from=${encodeURIComponent(from!)}&includeRecentChanges=true`);
    expect(recent.body.data.length).toBeGreaterThan(0);
    expect(recent.body.data.every((j: any) => !seen.has(j.id))).toBe(true);
    const quiet = await api('GET', `/jpm/v2/tenant/{t}/export/jobs?from=${encodeURIComponent(from!)}`);
    expect(quiet.body).toMatchObject({ hasMore: false, data: [], continueFrom: from });
  });

  it('starts the customer feed from a date and refuses malformed tokens', async () => {
    const since = '2026-01-01';
    const expected = new Set(st().customers.filter((c) => c.updatedAt >= since).map((c) => Number(c.id)));
    const quiet = await api('GET', `/crm/v2/tenant/{t}/export/customers?from=${since}`);
    expect(quiet.status).toBe(200);
    expect(quiet.body.data.every((c: any) => expected.has(c.id) && c.modifiedOn >= since)).toBe(true);
    // Earlier tests changed a customer and created others: they only show with includeRecentChanges.
    const recent = await api('GET', `/crm/v2/tenant/{t}/export/customers?from=${since}&includeRecentChanges=true`);
    const recentIds = new Set(recent.body.data.map((c: any) => c.id));
    expect([...expected].every((id) => recentIds.has(id))).toBe(true);
    expect(recentIds.size).toBeGreaterThan(quiet.body.data.length);
    expectProblem(await api('GET', '/crm/v2/tenant/{t}/export/customers?from=not-a-token'), 400);
  });
});

describe('ServiceTitan sandbox: sandbox actions', () => {
  const action = (name: string, body: unknown) => call('POST', `${sb.origin}/_sandbox/actions/servicetitan/${name}`, { json: body });

  it('complete-job finishes a job as a technician would; dispatch-job and start-job move it along', async () => {
    const job = await createJob();
    const dispatched = await action('dispatch-job', { id: job.id });
    expect(dispatched.status).toBe(200);
    expect(dispatched.body.jobStatus).toBe('Dispatched');
    expect((await api('GET', `/dispatch/v2/tenant/{t}/appointment-assignments?jobId=${job.id}`)).body.data[0].status).toBe('Dispatched');
    expect((await action('start-job', { id: job.id })).body.jobStatus).toBe('InProgress');
    const done = await action('complete-job', { id: job.id });
    expect(done.body).toMatchObject({ id: job.id, jobStatus: 'Completed' });
    expect((await api('GET', `/jpm/v2/tenant/{t}/appointments/${job.firstAppointmentId}`)).body.status).toBe('Done');
    const again = await action('complete-job', { id: job.id });
    expect(again.status).toBe(409);
    expect((await action('complete-job', { id: 1 })).status).toBe(404);
  });

  it('soft-delete hides a record unless active=Any (or False)', async () => {
    const c = st().customers.filter((x) => x.active)[5]!;
    const r = await action('soft-delete', { resource: 'customers', id: Number(c.id) });
    expect(r.status).toBe(200);
    expect(r.body.active).toBe(false);
    expect((await api('GET', `/crm/v2/tenant/{t}/customers?ids=${c.id}`)).body.data).toEqual([]);
    expect((await api('GET', `/crm/v2/tenant/{t}/customers?ids=${c.id}&active=Any`)).body.data).toHaveLength(1);
    expect((await api('GET', `/crm/v2/tenant/{t}/customers?ids=${c.id}&active=False`)).body.data).toHaveLength(1);
    expect((await api('GET', `/crm/v2/tenant/{t}/customers/${c.id}`)).body.active).toBe(false);
    const j = st().workOrders[0]!;
    await action('soft-delete', { resource: 'jobs', id: Number(j.id) });
    expect((await api('GET', `/jpm/v2/tenant/{t}/jobs?customerId=${j.customerId}`)).body.data.map((x: any) => x.id)).not.toContain(Number(j.id));
    expect((await api('GET', `/jpm/v2/tenant/{t}/jobs?customerId=${j.customerId}&active=Any`)).body.data.map((x: any) => x.id)).toContain(Number(j.id));
    expect((await action('soft-delete', { resource: 'jobs', id: Number(j.id), active: true })).body.active).toBe(true);
    expect((await action('soft-delete', { resource: 'widgets', id: 1 })).status).toBe(400);
  });
});

describe('ServiceTitan sandbox: documented example responses (seed document)', () => {
  // The `data` payloads of the seed document's examples, copied as they stand.
  const DOC = {
    job: { id: 0, jobNumber: 'string', projectId: 0, customerId: 0, locationId: 0, jobStatus: 'string', completedOn: 'string', businessUnitId: 0, jobTypeId: 0, priority: 'string', campaignId: 0, summary: 'string', customFields: [{ typeId: 0, name: 'string', value: 'string' }], appointmentCount: 0, firstAppointmentId: 0, lastAppointmentId: 0, recallForId: 0, warrantyId: 0, jobGeneratedLeadSource: { jobId: 0, employeeId: 0 }, noCharge: true, notificationsEnabled: true, createdOn: 'string', createdById: 0, modifiedOn: 'string', tagTypeIds: [0], leadCallId: 0, bookingId: 0, soldById: 0, externalData: [{ key: 'string', value: 'string' }], customerPo: 'string' },
    customer: { id: 0, active: true, name: 'string', type: {}, address: { street: 'string', unit: 'string', city: 'string', state: 'string', zip: 'string', country: 'string', latitude: 0, longitude: 0 }, customFields: [{ typeId: 0, name: 'string', value: 'string' }], balance: 0, tagTypeIds: [0], doNotMail: true, doNotService: true, createdOn: 'string', createdById: 0, modifiedOn: 'string', mergedToId: 0, externalData: [{ key: 'string', value: 'string' }] },
    contact: { id: 0, type: {}, value: 'string', memo: 'string' },
    customerContact: { id: 0, type: {}, value: 'string', memo: 'string', modifiedOn: 'string', phoneSettings: { phoneNumber: 'string', doNotText: true } },
    location: { id: 0, customerId: 0, active: true, name: 'string', address: { street: 'string', unit: 'string', city: 'string', state: 'string', zip: 'string', country: 'string', latitude: 0, longitude: 0 }, customFields: [{ typeId: 0, name: 'string', value: 'string' }], createdOn: 'string', createdById: 0, modifiedOn: 'string', mergedToId: 0, zoneId: 0, tagTypeIds: [0], externalData: [{ key: 'string', value: 'string' }], taxZoneId: 0 },
    equipment: { id: 0, equipmentId: 0, locationId: 0, customerId: 0, invoiceItemId: 0, name: 'string', installedOn: 'string', createdOn: 'string', modifiedOn: 'string', serialNumber: 'string', memo: 'string', manufacturer: 'string', model: 'string', cost: 0, manufacturerWarrantyStart: 'string', manufacturerWarrantyEnd: 'string', serviceProviderWarrantyStart: 'string', serviceProviderWarrantyEnd: 'string', tags: [{ id: 0, ownerId: 0, typeId: 0, typeName: 'string', memo: 'string', color: 'string', textColor: 'string', code: 'string' }], customFields: [{ id: 0, typeId: 0, name: 'string', value: 'string' }], attachments: [] },
    technician: { id: 0, userId: 0, name: 'string', roleIds: [0], businessUnitId: 0, mainZoneId: 0, zoneIds: [0], createdOn: 'string', modifiedOn: 'string', email: 'string', phoneNumber: 'string', loginName: 'string', home: { street: 'string', unit: 'string', country: 'string', city: 'string', state: 'string', zip: 'string', streetAddress: 'string', latitude: 0, longitude: 0 }, dailyGoal: 0, isManagedTech: true, customFields: [{ typeId: 0, name: 'string', value: 'string' }], active: true, aadUserId: 'string', burdenRate: 0, team: 'string', jobFilter: {} },
    appointment: { id: 0, jobId: 0, appointmentNumber: 'string', start: 'string', end: 'string', arrivalWindowStart: 'string', arrivalWindowEnd: 'string', status: {}, specialInstructions: 'string', createdOn: 'string', modifiedOn: 'string', customerId: 0, unused: true },
    assignmentPage: { page: 0, pageSize: 0, hasMore: true, totalCount: 0, data: [{ id: 0, technicianId: 0, technicianName: 'string', assignedById: 0, assignedOn: 'string', status: {}, isPaused: true, jobId: 0, appointmentId: 0 }] },
    booking: { id: 0, source: 'string', createdOn: 'string', name: 'string', address: { street: 'string', unit: 'string', city: 'string', state: 'string', zip: 'string', country: 'string' }, customerType: {}, start: 'string', summary: 'string', campaignId: 0, businessUnitId: 0, isFirstTimeClient: true, uploadedImages: ['string'], isSendConfirmationEmail: true, status: {}, dismissingReasonId: 0, jobId: 0, externalId: 'string', priority: {}, jobTypeId: 0, bookingProviderId: 0, modifiedOn: 'string' },
    payment: { id: 0, typeId: 0, active: true, memo: 'string', paidOn: 'string', authCode: 'string', checkNumber: 'string', exportId: 'string', transactionStatus: {}, status: {}, splits: [{ invoiceId: 0, amount: 0 }] },
  };

  it('job, customer, location, equipment, technician, appointment and assignment reads have the documented keys', async () => {
    const w = st().workOrders.find((x) => x.technicianIds.length > 0)!;
    expectDocumentedKeys(DOC.job, (await api('GET', `/jpm/v2/tenant/{t}/jobs/${w.id}?externalDataApplicationGuid=6B29FC40-CA47-1067-B31D-00DD010662DA`)).body);
    expectDocumentedKeys(DOC.customer, (await api('GET', `/crm/v2/tenant/{t}/customers/${w.customerId}`)).body);
    expectDocumentedKeys(DOC.location, (await api('GET', `/crm/v2/tenant/{t}/locations/${w.locationId}`)).body);
    const e = st().equipment.find((x) => x.warrantyProgram)!;
    expectDocumentedKeys(DOC.equipment, (await api('GET', `/equipmentsystems/v2/tenant/{t}/installed-equipment/${e.id}`)).body);
    expectDocumentedKeys(DOC.technician, (await api('GET', `/settings/v2/tenant/{t}/technicians/${w.technicianIds[0]}`)).body);
    const a = st().appointments.find((x) => x.workOrderId === w.id)!;
    expectDocumentedKeys(DOC.appointment, (await api('GET', `/jpm/v2/tenant/{t}/appointments/${a.id}`)).body);
    expectDocumentedKeys(DOC.assignmentPage, (await api('GET', `/dispatch/v2/tenant/{t}/appointment-assignments?includeTotal=true&jobId=${w.id}`)).body);
  });

  it('create responses have the documented keys', async () => {
    const customer = await api('POST', '/crm/v2/tenant/{t}/customers', {
      json: { name: 'Test Source', address: { street: '1 Main St', city: 'Atlanta', state: 'GA', zip: '30303' }, locations: [{ name: 'Test Source', address: { street: '1 Main St', city: 'Atlanta', state: 'GA', zip: '30303' }, contacts: [{ type: 'Phone', value: '1234567890' }] }], contacts: [{ type: 'Phone', value: '1234567890' }] },
    });
    expectDocumentedKeys({ ...DOC.customer, locations: [{ ...DOC.location, contacts: [DOC.contact] }], contacts: [DOC.contact] }, customer.body);
    const contact = await api('POST', `/crm/v2/tenant/{t}/customers/${customer.body.id}/contacts`, { json: { type: 'Phone', value: '1234567890', memo: 'Payment for services rendered.' } });
    expectDocumentedKeys(DOC.customerContact, contact.body);
    const location = await api('POST', '/crm/v2/tenant/{t}/locations', { json: { customerId: customer.body.id, name: 'Test Source', address: { street: '2 Main St', city: 'Atlanta', state: 'GA', zip: '30303' }, contacts: [{ type: 'Email', value: 'a@example.com' }] } });
    expectDocumentedKeys({ ...DOC.location, contacts: [DOC.contact] }, location.body);
    const equipment = await api('POST', '/equipmentsystems/v2/tenant/{t}/installed-equipment', { json: { locationId: location.body.id, name: 'Test Source', tagTypeIds: [6_600_000_001], customFields: [{ typeId: 6_900_000_005, value: 'ACME Protect' }] } });
    expectDocumentedKeys(DOC.equipment, equipment.body);
    const job = await createJob({ summary: 'A summary related to the invoice.' });
    expectDocumentedKeys(DOC.job, job);
    const appt = await api('POST', '/jpm/v2/tenant/{t}/appointments', { json: { jobId: job.id, start: '2021-01-01T00:00:00Z', end: '2021-01-01T00:00:00Z' } });
    expectDocumentedKeys(DOC.appointment, appt.body);
    const assigned = await api('POST', '/dispatch/v2/tenant/{t}/appointment-assignments/assign-technicians', { json: { jobAppointmentId: appt.body.id, technicianIds: [activeTechnician()] } });
    expectDocumentedKeys(DOC.appointment, assigned.body);
    const booking = await api('POST', `/crm/v2/tenant/{t}/booking-provider/${SERVICETITAN_SANDBOX.bookingProviderId}/bookings`, {
      json: { source: 'Test Source', name: 'Test Source', summary: 'A summary related to the invoice.', isFirstTimeClient: true, externalId: 'doc-example-1', address: { street: '1 Main St', city: 'Atlanta', state: 'GA', zip: '30303' } },
    });
    expectDocumentedKeys(DOC.booking, booking.body);
    expectDocumentedKeys(DOC.booking, (await api('GET', `/crm/v2/tenant/{t}/bookings/${booking.body.id}`)).body);
    const inv = st().invoices.find((i) => i.balance !== '0.00' && i.id !== st().invoices[0]!.id)!;
    const payment = await api('POST', '/accounting/v2/tenant/{t}/payments', { json: { typeId: 6_700_000_001, splits: [{ invoiceId: Number(inv.id), amount: 1 }] } });
    expectDocumentedKeys(DOC.payment, payment.body);
  });
});

describe('ServiceTitan sandbox: rate limits', () => {
  it('answers 429 with Retry-After under the injected rate limit', async () => {
    sb.setFaults({ servicetitan: { rateLimit: { limit: 2, windowMs: 60_000 } } });
    try {
      const statuses: number[] = [];
      let limited: { status: number; headers: Headers; body: any } | undefined;
      for (let i = 0; i < 4; i++) {
        const r = await api('GET', '/crm/v2/tenant/{t}/customers?pageSize=1', { raw: true });
        statuses.push(r.status);
        if (r.status === 429) limited = r;
      }
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(2);
      expectProblem(limited!, 429);
      expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    } finally {
      sb.setFaults({ servicetitan: { rateLimit: null } });
    }
  });

  it('enforces 60 requests per second per app and tenant', async () => {
    const results = await Promise.all(
      Array.from({ length: 150 }, () => api('GET', '/settings/v2/tenant/{t}/business-units?pageSize=1', { tenant: T2, raw: true })),
    );
    const limited = results.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(results.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(60);
    for (const r of limited) {
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(r.body.status).toBe(429);
    }
  });

  it('throttles the token endpoint per client id', async () => {
    const t = SERVICETITAN_SANDBOX.tenants[1];
    const statuses: number[] = [];
    let limited: { status: number; headers: Headers; body: any } | undefined;
    for (let i = 0; i < 25; i++) {
      const r = await issueToken(t.clientId, t.clientSecret);
      statuses.push(r.status);
      if (r.status === 429) limited = r;
    }
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(20);
    expect(limited?.body.error).toBe('rate_limited');
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Another client is not affected.
    expect((await issueToken('cid.sandbox0001', 'cs1.sandbox-secret')).status).toBe(200);
  });
});

describe('ServiceTitan sandbox: reset', () => {
  it('throws away every write and the token throttle on /_sandbox/reset {data: true}', async () => {
    const created = await api('POST', '/crm/v2/tenant/{t}/customers', {
      json: { name: 'Gone After Reset', address: { street: '1 Main St', city: 'Atlanta', state: 'GA', zip: '30303' }, locations: [{ name: 'Home', address: { street: '1 Main St', city: 'Atlanta', state: 'GA', zip: '30303' } }] },
    });
    expect(created.status).toBe(200);
    const reset = await call('POST', `${sb.origin}/_sandbox/reset`, { json: { data: true } });
    expect(reset.status).toBe(200);
    expectProblem(await api('GET', `/crm/v2/tenant/{t}/customers/${created.body.id}`), 404);
    const total = await api('GET', '/crm/v2/tenant/{t}/customers?active=Any&includeTotal=true&pageSize=1');
    expect(total.body.totalCount).toBe(st().customers.length);
    const jobs = await api('GET', '/jpm/v2/tenant/{t}/jobs?includeTotal=true&pageSize=1');
    expect(jobs.body.totalCount).toBe(st().workOrders.length);
    expect((await api('GET', '/crm/v2/tenant/{t}/customers?includeTotal=true', { tenant: T2 })).body.totalCount).toBe(0);
    const t = SERVICETITAN_SANDBOX.tenants[1];
    expect((await issueToken(t.clientId, t.clientSecret)).status).toBe(200);
    // Ids handed out after a reset are the same as after a fresh start.
    const again = await api('POST', '/crm/v2/tenant/{t}/customers', {
      json: { name: 'After Reset', address: { street: '1 Main St', city: 'Atlanta', state: 'GA', zip: '30303' }, locations: [{ name: 'Home', address: { street: '1 Main St', city: 'Atlanta', state: 'GA', zip: '30303' } }] },
    });
    expect(again.body.id).toBe(Math.max(...st().customers.map((c) => Number(c.id))) + 1);
  });
});
