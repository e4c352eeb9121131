/**
 * Contract tests of the Astea Alliance simulator over real HTTP: session sign-in (tenant, MFA,
 * expiry, refresh), pagination, filters, every documented write with valid and invalid bodies,
 * illegal state changes, 429 with Retry-After, the seed document's example requests as they stand
 * and the documented response shapes, all against the seeded data set.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAsteaSimulator } from '../../../connectors/astea/sandbox.js';
import { UNIT_TYPES } from '../../../connectors/sandbox/dataset/catalog.js';
import type { GenWorkOrder, VendorData } from '../../../connectors/sandbox/dataset/types.js';
import type { Sandbox } from '../../../connectors/sandbox/server.js';
import { call, mfaCode, startTestSandbox, vendorInfo } from '../../helpers/sandbox.js';

const BASIC = `Basic ${Buffer.from('astea-sandbox-client:astea-sandbox-secret').toString('base64')}`;
const USERNAME = 'dispatcher@fieldgraph.test';
const PASSWORD = 'sandbox-password';
const SKILL_OF = new Map(UNIT_TYPES.map((t) => [t.type, t.skill]));

/** The seed document's example window (dispatch and consumption examples). */
const SEED_START = '2026-01-21T13:00:00Z';
const SEED_END = '2026-01-21T17:00:00Z';

let sandbox: Sandbox;
let base: string;
let token: string;
let data: VendorData;

async function signIn(overrides: Record<string, unknown> = {}, authorization = BASIC) {
  return call('POST', `${base}/sessions`, {
    headers: { authorization },
    json: { username: USERNAME, password: PASSWORD, tenant: 'global-services', mfa: { type: 'totp', code: mfaCode(sandbox) }, ...overrides },
  });
}

const bearer = (t = token) => ({ authorization: `Bearer ${t}` });
const get = (path: string, t = token) => call('GET', `${base}${path}`, { headers: bearer(t) });
const post = (path: string, json: unknown, t = token) => call('POST', `${base}${path}`, { headers: bearer(t), json });
const action = (name: string, json: unknown) => call('POST', `${sandbox.origin}/_sandbox/actions/astea/${name}`, { json });

/** Every item of a list endpoint, walking pages of `pageSize`. */
async function walk(path: string, pageSize = 25): Promise<{ items: any[]; total: number; pages: number }> {
  const items: any[] = [];
  let total = -1;
  let pages = 0;
  for (let page = 1; ; page++) {
    const sep = path.includes('?') ? '&' : '?';
    const res = await get(`${path}${sep}page=${page}&pageSize=${pageSize}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['items', 'page', 'pageSize', 'total']);
    expect(res.body.page).toBe(page);
    expect(res.body.pageSize).toBe(pageSize);
    if (total < 0) total = res.body.total;
    expect(res.body.total).toBe(total);
    if (res.body.items.length === 0) break;
    pages++;
    items.push(...res.body.items);
    if (res.body.items.length < pageSize) break;
  }
  return { items, total, pages };
}

function expectError(res: { status: number; body: any }, status: number, code: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.error.code).toBe(code);
  expect(typeof res.body.error.message).toBe('string');
  expect(typeof res.body.requestId).toBe('string');
}

const sortedIds = (ids: string[]) => ids.slice().sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

/** A skill the work order's asset requires (undefined without an asset). */
function skillOf(wo: GenWorkOrder): string | undefined {
  const assetId = wo.equipmentIds[0];
  const asset = assetId ? data.equipment.find((e) => e.id === assetId) : undefined;
  return asset ? SKILL_OF.get(asset.type) : undefined;
}

/** A technician with `skill` and no open visit overlapping [start, end). */
function freeTechnician(skill: string | undefined, start: string, end: string): string {
  const s = Date.parse(start);
  const e = Date.parse(end);
  const tech = data.technicians.find(
    (t) =>
      (!skill || t.skills.includes(skill)) &&
      !data.appointments.some(
        (a) => a.technicianIds.includes(t.id) && ['scheduled', 'en_route', 'on_site'].includes(a.status) && Date.parse(a.start) < e && s < Date.parse(a.end),
      ),
  );
  if (!tech) throw new Error(`no free technician with ${skill}`);
  return tech.id;
}

beforeAll(async () => {
  // 1,500 work orders across the vendors gives Astea a few open work orders to dispatch.
  sandbox = await startTestSandbox({ simulators: { astea: createAsteaSimulator }, data: { workOrders: 1500 } });
  base = (await vendorInfo(sandbox, 'astea')).baseUrl;
  data = sandbox.dataset.vendors.astea;
  const res = await signIn();
  token = res.body.authToken;
});
afterAll(() => sandbox.close());

describe('Astea sandbox: discovery', () => {
  it('describes itself in /_sandbox with session credentials and TOTP MFA', async () => {
    const info = await vendorInfo(sandbox, 'astea');
    expect(info.baseUrl).toBe(`${sandbox.origin}/astea/integrations/int_astea_sandbox`);
    expect(info.openapiUrl).toBe(`${info.baseUrl}/openapi.json`);
    expect(info.auth).toEqual({
      type: 'session',
      sessionUrl: `${info.baseUrl}/sessions`,
      clientId: 'astea-sandbox-client',
      clientSecret: 'astea-sandbox-secret',
      username: USERNAME,
      password: PASSWORD,
      tenant: 'global-services',
      mfa: { type: 'totp', secret: sandbox.totpSecret },
    });
  });

  it('serves an OpenAPI document of its routes', async () => {
    const doc = (await call('GET', `${base}/openapi.json`)).body;
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/sessions', '/work-orders', '/work-orders/{workOrderId}/assignments', '/work-orders/{workOrderId}/consumptions']));
    expect(doc.paths['/work-orders'].post).toBeUndefined();
  });
});

describe('Astea sandbox: sessions', () => {
  it('accepts the seed example sign-in (credentials and current TOTP code substituted)', async () => {
    // Seed body as it stands; username, password and the MFA code are the sandbox's.
    const res = await call('POST', `${base}/sessions`, {
      headers: { Authorization: BASIC, 'Content-Type': 'application/json' },
      json: {
        username: USERNAME,
        password: PASSWORD,
        tenant: 'global-services',
        mfa: { type: 'totp', code: mfaCode(sandbox) },
      },
    });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['authToken', 'expiresIn', 'user']);
    expect(res.body.expiresIn).toBe(3600);
    expect(res.body.user).toEqual({ id: 'u_72c19f', name: 'Service Dispatcher', entitlements: ['customers', 'workOrders', 'dispatch', 'inventory'] });
    expect((await get('/work-orders?pageSize=1', res.body.authToken)).status).toBe(200);
  });

  it('refuses wrong integration credentials, password, tenant and MFA code', async () => {
    expectError(await signIn({}, `Basic ${Buffer.from('astea-sandbox-client:nope').toString('base64')}`), 401, 'unauthorized');
    expectError(await signIn({ password: 'wrong' }), 401, 'invalid_credentials');
    expectError(await signIn({ tenant: 'other-tenant' }), 401, 'invalid_credentials');
    const noTenant = await signIn({ tenant: undefined });
    expectError(noTenant, 400, 'validation_error');
    expect(noTenant.body.error.details).toEqual([{ field: 'tenant', message: 'Required.' }]);
    const wrongCode = String((Number(mfaCode(sandbox)) + 500_000) % 1_000_000).padStart(6, '0');
    expectError(await signIn({ mfa: { type: 'totp', code: wrongCode } }), 401, 'invalid_mfa');
    expectError(await signIn({ mfa: undefined }), 401, 'invalid_mfa');
  });

  it('refuses calls without a token or with an unknown one', async () => {
    expectError(await call('GET', `${base}/work-orders`), 401, 'unauthorized');
    expectError(await get('/work-orders', 'not-a-token'), 401, 'unauthorized');
  });

  it('refreshes a session: the new token works, the old one ends', async () => {
    const first = (await signIn()).body.authToken as string;
    const res = await call('POST', `${base}/sessions/refresh`, { headers: bearer(first) });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['authToken', 'expiresIn', 'user']);
    expect((await get('/technicians', res.body.authToken)).status).toBe(200);
    expectError(await get('/technicians', first), 401, 'token_expired');
  });

  it('answers 401 token_expired once tokens expire, until the client signs in again', async () => {
    sandbox.setFaults({ astea: { expireTokens: true } });
    expectError(await get('/work-orders'), 401, 'token_expired');
    expectError(await call('POST', `${base}/sessions/refresh`, { headers: bearer() }), 401, 'token_expired');
    token = (await signIn()).body.authToken;
    expect((await get('/work-orders?pageSize=1')).status).toBe(200);
  });
});

describe('Astea sandbox: work order list', () => {
  it('returns the documented item shape', async () => {
    const res = await get('/work-orders?pageSize=50');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['items', 'page', 'pageSize', 'total']);
    expect(res.body).toMatchObject({ page: 1, pageSize: 50, total: data.workOrders.length });
    const withAsset = res.body.items.find((w: any) => w.asset !== null);
    expect(Object.keys(withAsset).sort()).toEqual(
      [
        'workOrderId', 'number', 'status', 'priority', 'customerId', 'site', 'asset', 'problemCode', 'description',
        'reportedAt', 'slaDueAt', 'appointmentWindow', 'assignedTechnicianIds', 'updatedAt',
      ].sort(),
    );
    expect(Object.keys(withAsset.site).sort()).toEqual(['address', 'siteId']);
    expect(Object.keys(withAsset.site.address)).toEqual(expect.arrayContaining(['line1', 'city', 'region', 'postalCode', 'country']));
    expect(Object.keys(withAsset.asset).sort()).toEqual(['assetId', 'model', 'serialNumber']);
    expect(Object.keys(withAsset.appointmentWindow).sort()).toEqual(['end', 'start']);
    expect(withAsset.number).toMatch(/^WO-2026-\d{4}$/);
    expect(withAsset.workOrderId).toMatch(/^wo_[0-9a-f]{6}$/);
    expect(withAsset.site.siteId).toMatch(/^site_\d{4}$/);
  });

  it('walks every work order exactly once, in id order', async () => {
    const { items, total, pages } = await walk('/work-orders', 25);
    const ids = items.map((w) => w.workOrderId);
    expect(total).toBe(data.workOrders.length);
    expect(pages).toBe(Math.ceil(total / 25));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(sortedIds(data.workOrders.map((w) => w.id)));
  });

  it('renders seeded work orders from the data set', async () => {
    const seeded = data.workOrders.find((w) => w.equipmentIds.length > 0 && w.status === 'scheduled')!;
    const res = await get(`/work-orders/${seeded.id}`);
    expect(res.status).toBe(200);
    const asset = data.equipment.find((e) => e.id === seeded.equipmentIds[0])!;
    expect(res.body).toMatchObject({
      workOrderId: seeded.id,
      number: seeded.number,
      status: seeded.status,
      priority: seeded.priority,
      customerId: seeded.customerId,
      site: { siteId: seeded.locationId },
      asset: { assetId: asset.id, serialNumber: asset.serialNumber, model: asset.model },
      problemCode: seeded.problemCode,
      description: seeded.summary,
      reportedAt: seeded.createdAt,
      slaDueAt: seeded.sla!.completeBy,
      appointmentWindow: seeded.window,
      assignedTechnicianIds: seeded.technicianIds,
      updatedAt: seeded.updatedAt,
      serviceType: seeded.serviceType,
      serviceRegion: seeded.region,
      responseDueAt: seeded.sla!.respondBy,
      completedAt: null,
    });
    expectError(await get('/work-orders/wo_000000'), 404, 'not_found');
  });

  it('filters by status, customer, SLA due time and update time', async () => {
    for (const status of ['open', 'scheduled', 'en_route', 'on_site', 'completed', 'cancelled']) {
      const { items, total } = await walk(`/work-orders?status=${status}`, 100);
      expect(total).toBe(data.workOrders.filter((w) => w.status === status).length);
      expect(items.every((w) => w.status === status)).toBe(true);
    }
    const customerId = data.workOrders[0]!.customerId;
    const byCustomer = await walk(`/work-orders?customerId=${customerId}`, 100);
    expect(byCustomer.items.map((w) => w.workOrderId)).toEqual(sortedIds(data.workOrders.filter((w) => w.customerId === customerId).map((w) => w.id)));
    expect((await get('/work-orders?customerId=cust_nobody')).body.total).toBe(0);

    const from = '2026-03-01T00:00:00Z';
    const to = '2026-08-31T23:59:59Z';
    const inRange = (t: string | undefined) => t !== undefined && Date.parse(t) >= Date.parse(from) && Date.parse(t) <= Date.parse(to);
    const sla = await walk(`/work-orders?slaDueFrom=${from}&slaDueTo=${to}`, 100);
    expect(sla.items.map((w) => w.workOrderId)).toEqual(sortedIds(data.workOrders.filter((w) => inRange(w.sla?.completeBy)).map((w) => w.id)));
    expect(sla.total).toBeGreaterThan(0);
    const updated = await walk(`/work-orders?updatedFrom=${from}&updatedTo=${to}`, 100);
    expect(updated.items.map((w) => w.workOrderId)).toEqual(sortedIds(data.workOrders.filter((w) => inRange(w.updatedAt)).map((w) => w.id)));
    // The same instant written with an offset selects the same records.
    const offset = await walk(`/work-orders?updatedFrom=${encodeURIComponent('2026-03-01T02:00:00+02:00')}&updatedTo=${to}`, 100);
    expect(offset.total).toBe(updated.total);
    const combined = await walk(`/work-orders?status=completed&updatedFrom=${from}&updatedTo=${to}`, 100);
    expect(combined.total).toBe(data.workOrders.filter((w) => w.status === 'completed' && inRange(w.updatedAt)).length);
  });

  it('documents updatedFrom/updatedTo on every list that takes them, both ends inclusive on exact record times', async () => {
    const doc = (await call('GET', `${base}/openapi.json`)).body;
    const lists = [
      ['/work-orders', data.workOrders, 'workOrderId'],
      ['/assignments', data.appointments, 'assignmentId'],
      ['/customers', data.customers, 'customerId'],
      ['/sites', data.locations, 'siteId'],
      ['/assets', data.equipment, 'assetId'],
      ['/invoices', data.invoices, 'invoiceId'],
    ] as const;
    for (const [path, records, idKey] of lists) {
      const params = (doc.paths[path].get.parameters as Array<{ name: string; description?: string }>).filter((p) => p.name === 'updatedFrom' || p.name === 'updatedTo');
      expect(params.map((p) => p.name).sort(), path).toEqual(['updatedFrom', 'updatedTo']);
      for (const p of params) expect(p.description, `${path} ${p.name}`).toMatch(/inclusive/);
      const times = [...new Set((records as ReadonlyArray<{ updatedAt: string }>).map((r) => r.updatedAt))].sort();
      const from = times[Math.floor(times.length / 4)]!;
      const to = times[Math.floor(times.length / 2)]!;
      const { items, total } = await walk(`${path}?updatedFrom=${from}&updatedTo=${to}`, 100);
      const expected = (records as ReadonlyArray<{ id: string; updatedAt: string }>).filter((r) => r.updatedAt >= from && r.updatedAt <= to).map((r) => r.id);
      expect(items.map((x) => x[idKey]).sort(), path).toEqual(sortedIds(expected));
      expect(total, path).toBe(expected.length);
    }
  });

  it('refuses invalid filters and page sizes with validation errors', async () => {
    const bad = await get('/work-orders?status=done');
    expectError(bad, 400, 'validation_error');
    expect(bad.body.error.details[0].field).toBe('status');
    expectError(await get('/work-orders?updatedFrom=yesterday'), 400, 'validation_error');
    expectError(await get('/work-orders?pageSize=101'), 400, 'validation_error');
    expectError(await get('/work-orders?page=0'), 400, 'validation_error');
    const past = await get(`/work-orders?page=1000&pageSize=100`);
    expect(past.body).toMatchObject({ items: [], page: 1000, total: data.workOrders.length });
    // Unknown parameters pass, as on the real API; there is no batch look-up.
    const ids = await get(`/work-orders?ids=${data.workOrders[0]!.id}&pageSize=1`);
    expect(ids.body.total).toBe(data.workOrders.length);
  });
});

describe('Astea sandbox: reads', () => {
  it('walks customers, sites, assets, technicians, contracts, assignments and invoices exactly once', async () => {
    const cases: Array<[string, string, string[]]> = [
      ['/customers', 'customerId', data.customers.map((c) => c.id)],
      ['/sites', 'siteId', data.locations.map((l) => l.id)],
      ['/assets', 'assetId', data.equipment.map((e) => e.id)],
      ['/technicians', 'technicianId', data.technicians.map((t) => t.id)],
      ['/assignments', 'assignmentId', data.appointments.map((a) => a.id)],
      ['/invoices', 'invoiceId', data.invoices.map((i) => i.id)],
    ];
    for (const [path, key, expected] of cases) {
      const { items, total } = await walk(path, 20);
      const ids = items.map((x) => x[key] as string);
      expect(total, path).toBe(expected.length);
      expect(ids, path).toEqual(sortedIds(expected));
    }
    const contracts = await walk('/contracts', 10);
    const coveredCustomers = new Set(data.equipment.filter((e) => e.warrantyProgram).map((e) => e.customerId));
    expect(contracts.total).toBe(coveredCustomers.size);
    expect(new Set(contracts.items.map((c) => c.customerId))).toEqual(coveredCustomers);
  });

  it('serves customers with contact, billing address and account number', async () => {
    const c = data.customers[0]!;
    const res = await get(`/customers/${c.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      customerId: c.id,
      name: c.name,
      type: c.type,
      status: 'active',
      contact: { email: c.email ?? null, phone: c.phone ?? null },
      billingAddress: { line1: c.address.line1, city: c.address.city, region: c.address.region, postalCode: c.address.postalCode, country: 'US' },
    });
    expect(res.body.accountNumber).toMatch(/^ACCT-\d+$/);
    expect((await walk('/customers?status=active', 100)).total).toBe(data.customers.length);
    expect((await get('/customers?status=inactive')).body.total).toBe(0);
    expectError(await get('/customers?status=gone'), 400, 'validation_error');
    expectError(await get('/customers/cust_000000'), 404, 'not_found');
  });

  it('serves the sites of a customer and single sites', async () => {
    const customer = data.customers.find((c) => data.locations.filter((l) => l.customerId === c.id).length > 1) ?? data.customers[0]!;
    const expected = data.locations.filter((l) => l.customerId === customer.id).map((l) => l.id);
    const res = await get(`/customers/${customer.id}/sites`);
    expect(res.status).toBe(200);
    expect(res.body.items.map((s: any) => s.siteId)).toEqual(sortedIds(expected));
    expect((await walk(`/sites?customerId=${customer.id}`)).items.map((s) => s.siteId)).toEqual(sortedIds(expected));
    const site = await get(`/sites/${expected[0]}`);
    expect(site.body).toMatchObject({ siteId: expected[0], customerId: customer.id });
    expect(Object.keys(site.body.address)).toEqual(expect.arrayContaining(['line1', 'city', 'region', 'postalCode', 'country']));
    expectError(await get('/customers/cust_000000/sites'), 404, 'not_found');
    expectError(await get('/sites/site_0000'), 404, 'not_found');
  });

  it('filters assets by site, customer and serial number (whole serial, any case)', async () => {
    const asset = data.equipment.find((e) => /[a-z]/i.test(e.serialNumber))!;
    const bySite = await walk(`/assets?siteId=${asset.locationId}`);
    expect(bySite.items.map((a) => a.assetId)).toEqual(sortedIds(data.equipment.filter((e) => e.locationId === asset.locationId).map((e) => e.id)));
    const byCustomer = await walk(`/assets?customerId=${asset.customerId}`);
    expect(byCustomer.items.map((a) => a.assetId)).toEqual(sortedIds(data.equipment.filter((e) => e.customerId === asset.customerId).map((e) => e.id)));
    const flipped = asset.serialNumber === asset.serialNumber.toUpperCase() ? asset.serialNumber.toLowerCase() : asset.serialNumber.toUpperCase();
    const bySerial = await walk(`/assets?serialNumber=${encodeURIComponent(flipped)}`);
    expect(bySerial.items.map((a) => a.assetId)).toContain(asset.id);
    expect(bySerial.items.every((a) => a.serialNumber.toUpperCase() === asset.serialNumber.toUpperCase())).toBe(true);
    expect((await get(`/assets?serialNumber=${encodeURIComponent(asset.serialNumber.slice(0, 4))}`)).body.total).toBe(0);
  });

  it('serves assets with warranty and contract coverage, and contracts with entitlements', async () => {
    const anchorDay = sandbox.dataset.options.anchor.slice(0, 10);
    const covered = data.equipment.find((e) => e.warrantyProgram && e.warrantyEnd! >= anchorDay)!;
    const res = await get(`/assets/${covered.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      assetId: covered.id,
      siteId: covered.locationId,
      customerId: covered.customerId,
      manufacturer: covered.manufacturer,
      model: covered.model,
      serialNumber: covered.serialNumber,
      installedOn: covered.installedOn,
      warranty: { program: covered.warrantyProgram, startsOn: covered.warrantyStart, expiresOn: covered.warrantyEnd },
      coverage: { covered: true, expiresOn: covered.warrantyEnd },
    });
    const contract = await get(`/contracts/${res.body.coverage.contractId}`);
    expect(contract.status).toBe(200);
    expect(contract.body).toMatchObject({ customerId: covered.customerId, type: 'warranty', status: 'active' });
    expect(contract.body.entitlements).toContainEqual({
      assetId: covered.id,
      program: covered.warrantyProgram,
      coverage: 'parts_and_labor',
      startsOn: covered.warrantyStart,
      expiresOn: covered.warrantyEnd,
      active: true,
    });
    const byCustomer = await get(`/contracts?customerId=${covered.customerId}`);
    expect(byCustomer.body.items.map((c: any) => c.contractId)).toEqual([res.body.coverage.contractId]);

    const bare = data.equipment.find((e) => !e.warrantyEnd)!;
    expect((await get(`/assets/${bare.id}`)).body).toMatchObject({ warranty: null, coverage: { covered: false, expiresOn: null, contractId: null } });
    expectError(await get('/assets/asset_zzzz'), 404, 'not_found');
    expectError(await get('/contracts/ctr_000000'), 404, 'not_found');
  });

  it('filters technicians by skill and region', async () => {
    const tech = data.technicians[0]!;
    const skill = tech.skills[0]!;
    const bySkill = await walk(`/technicians?skill=${skill}`);
    expect(bySkill.items.map((t) => t.technicianId)).toEqual(sortedIds(data.technicians.filter((t) => t.skills.includes(skill)).map((t) => t.id)));
    const byRegion = await walk(`/technicians?region=${tech.region}&skill=${skill}`);
    expect(byRegion.items.map((t) => t.technicianId)).toEqual(
      sortedIds(data.technicians.filter((t) => t.skills.includes(skill) && t.region === tech.region).map((t) => t.id)),
    );
    expect((await get(`/technicians/${tech.id}`)).body).toMatchObject({ technicianId: tech.id, name: tech.name, skills: tech.skills, region: tech.region, status: 'active' });
    expectError(await get('/technicians/tech_000000'), 404, 'not_found');
  });

  it('serves seeded invoices with exact amounts and filters them', async () => {
    const inv = data.invoices.find((i) => i.status === 'open') ?? data.invoices[0]!;
    const res = await get(`/invoices/${inv.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      invoiceId: inv.id,
      number: inv.number,
      workOrderId: inv.workOrderId,
      customerId: inv.customerId,
      siteId: inv.locationId,
      status: inv.status,
      subtotal: Number(inv.subtotal),
      tax: Number(inv.tax),
      total: Number(inv.total),
      balance: Number(inv.balance),
    });
    expect(res.body.lines).toEqual(inv.items.map((i) => ({ code: i.code, description: i.description, quantity: Number(i.quantity), unitPrice: Number(i.unitPrice), total: Number(i.total) })));
    for (const [query, keep] of [
      [`customerId=${inv.customerId}`, (i: (typeof data.invoices)[number]) => i.customerId === inv.customerId],
      [`workOrderId=${inv.workOrderId}`, (i: (typeof data.invoices)[number]) => i.workOrderId === inv.workOrderId],
      ['status=paid', (i: (typeof data.invoices)[number]) => i.status === 'paid'],
      ['updatedFrom=2026-06-01T00:00:00Z', (i: (typeof data.invoices)[number]) => i.updatedAt >= '2026-06-01T00:00:00Z'],
    ] as const) {
      const { items } = await walk(`/invoices?${query}`, 100);
      expect(items.map((i) => i.invoiceId), query).toEqual(sortedIds(data.invoices.filter(keep).map((i) => i.id)));
    }
    expectError(await get('/invoices?status=draft'), 400, 'validation_error');
    expectError(await get('/invoices/inv_000000'), 404, 'not_found');
  });

  it('serves seeded assignments and the billed consumption behind each seeded invoice', async () => {
    const appt = data.appointments.find((a) => a.status === 'scheduled')!;
    const res = await get(`/assignments/${appt.id}`);
    expect(res.body).toMatchObject({
      assignmentId: appt.id,
      workOrderId: appt.workOrderId,
      status: 'scheduled',
      technicianId: appt.technicianIds[0],
      scheduledStart: appt.start,
      scheduledEnd: appt.end,
    });
    const ofWo = await get(`/work-orders/${appt.workOrderId}/assignments`);
    expect(ofWo.body.items.map((a: any) => a.assignmentId)).toContain(appt.id);
    expectError(await get('/assignments/asn_000000'), 404, 'not_found');

    const inv = data.invoices.find((i) => i.items.length > 1)!;
    const cons = await get(`/work-orders/${inv.workOrderId}/consumptions`);
    expect(cons.status).toBe(200);
    expect(cons.body.total).toBe(1);
    const c = cons.body.items[0];
    expect(c).toMatchObject({ status: 'billed', invoiceId: inv.id });
    const lineTotals = [...c.labor, ...c.parts].map((l: any) => l.total).sort();
    expect(lineTotals).toEqual(inv.items.map((i) => Number(i.total)).sort());

    const tech = data.technicians[0]!.id;
    const byTech = await walk(`/assignments?technicianId=${tech}`, 100);
    expect(byTech.items.map((a) => a.assignmentId)).toEqual(sortedIds(data.appointments.filter((a) => a.technicianIds.includes(tech)).map((a) => a.id)));
    const from = '2026-01-01T00:00:00Z';
    const to = '2026-01-31T23:59:59Z';
    const january = await walk(`/assignments?scheduledFrom=${from}&scheduledTo=${to}`, 100);
    expect(january.items.map((a) => a.assignmentId)).toEqual(sortedIds(data.appointments.filter((a) => a.start >= from && a.start <= to).map((a) => a.id)));
  });
});

describe('Astea sandbox: dispatch, parts and labor, field progress', () => {
  let openWo: GenWorkOrder;
  let techId: string;
  let assignmentId: string;

  beforeAll(() => {
    openWo = data.workOrders.find((w) => w.status === 'open')!;
    expect(openWo, 'the data set has an open work order').toBeDefined();
    techId = freeTechnician(skillOf(openWo), SEED_START, SEED_END);
  });

  it('accepts the seed example assignment (work order and technician ids substituted) and schedules the work order', async () => {
    const before = (await get(`/work-orders/${openWo.id}`)).body;
    expect(before).toMatchObject({ status: 'open', appointmentWindow: null, assignedTechnicianIds: [] });
    // Seed body as it stands; only the work order (an open one) and the technician (one with the skill, free then) are ours.
    const res = await post(`/work-orders/${openWo.id}/assignments`, {
      technicianId: techId,
      scheduledStart: '2026-01-21T13:00:00Z',
      scheduledEnd: '2026-01-21T17:00:00Z',
      routeSequence: 3,
      notifyTechnician: true,
      note: 'Urgent—SLA breach risk',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(Object.keys(res.body).sort()).toEqual(['assignmentId', 'workOrderId', 'status', 'technicianId', 'scheduledStart', 'scheduledEnd', 'createdAt'].sort());
    expect(res.body).toMatchObject({ workOrderId: openWo.id, status: 'scheduled', technicianId: techId, scheduledStart: SEED_START, scheduledEnd: SEED_END });
    expect(res.body.assignmentId).toMatch(/^asn_[0-9a-f]{6}$/);
    assignmentId = res.body.assignmentId;

    const wo = (await get(`/work-orders/${openWo.id}`)).body;
    expect(wo.status).toBe('scheduled');
    expect(wo.assignedTechnicianIds).toContain(techId);
    expect(wo.appointmentWindow).toEqual({ start: SEED_START, end: SEED_END });
    expect(Math.abs(Date.parse(wo.updatedAt) - Date.now())).toBeLessThan(60_000);

    const asn = (await get(`/assignments/${assignmentId}`)).body;
    expect(asn).toMatchObject({ assignmentId, routeSequence: 3, notifyTechnician: true, note: 'Urgent—SLA breach risk', status: 'scheduled' });
    expect((await get(`/work-orders/${openWo.id}/assignments`)).body.items.map((a: any) => a.assignmentId)).toContain(assignmentId);
    expect((await walk('/work-orders?status=scheduled', 100)).items.map((w) => w.workOrderId)).toContain(openWo.id);
    expect((await walk('/work-orders?status=open', 100)).items.map((w) => w.workOrderId)).not.toContain(openWo.id);
    // Incremental sync sees the dispatched work order (plus any seeded record dated after that instant).
    const since = new Date(Date.now() - 60_000).toISOString();
    const recent = await walk(`/work-orders?updatedFrom=${encodeURIComponent(since)}`, 100);
    const expected = new Set([openWo.id, ...data.workOrders.filter((w) => Date.parse(w.updatedAt) >= Date.parse(since)).map((w) => w.id)]);
    expect(recent.items.map((w) => w.workOrderId)).toEqual(sortedIds([...expected]));
  });

  it('refuses an overlapping assignment of the same technician with 409 schedule_conflict', async () => {
    const res = await post(`/work-orders/${openWo.id}/assignments`, { technicianId: techId, scheduledStart: '2026-01-21T15:00:00Z', scheduledEnd: '2026-01-21T18:00:00Z' });
    expectError(res, 409, 'schedule_conflict');
    expect(res.body.error.details[0].field).toBe('scheduledStart');
    // Back-to-back is no overlap.
    const next = await post(`/work-orders/${openWo.id}/assignments`, { technicianId: techId, scheduledStart: SEED_END, scheduledEnd: '2026-01-21T19:00:00Z' });
    expect(next.status).toBe(201);
  });

  it('refuses unknown technicians (422 unprocessable) and technicians without the skill (422 skill_mismatch)', async () => {
    const unknown = await post(`/work-orders/${openWo.id}/assignments`, { technicianId: 'tech_000000', scheduledStart: '2026-02-02T13:00:00Z', scheduledEnd: '2026-02-02T15:00:00Z' });
    expectError(unknown, 422, 'unprocessable');
    expect(unknown.body.error.details).toEqual([{ field: 'technicianId', message: 'Unknown technician.' }]);

    const candidates = data.workOrders.filter((w) => ['open', 'scheduled'].includes(w.status) && skillOf(w));
    const pair = candidates
      .map((w) => ({ w, t: data.technicians.find((t) => !t.skills.includes(skillOf(w)!)) }))
      .find((x) => x.t !== undefined)!;
    const res = await post(`/work-orders/${pair.w.id}/assignments`, { technicianId: pair.t!.id, scheduledStart: '2026-02-03T13:00:00Z', scheduledEnd: '2026-02-03T15:00:00Z' });
    expectError(res, 422, 'skill_mismatch');
    expect(res.body.error.message).toContain(skillOf(pair.w)!);
    expect(res.body.error.details[0].field).toBe('technicianId');
  });

  it('refuses assignments to completed or cancelled work orders with 409 conflict', async () => {
    for (const status of ['completed', 'cancelled']) {
      const wo = data.workOrders.find((w) => w.status === status)!;
      const res = await post(`/work-orders/${wo.id}/assignments`, { technicianId: data.technicians[0]!.id, scheduledStart: '2026-02-04T13:00:00Z', scheduledEnd: '2026-02-04T15:00:00Z' });
      expectError(res, 409, 'conflict');
    }
  });

  it('refuses invalid assignment bodies with field errors, and unknown work orders with 404', async () => {
    const missing = await post(`/work-orders/${openWo.id}/assignments`, { scheduledStart: SEED_START, scheduledEnd: SEED_END });
    expectError(missing, 400, 'validation_error');
    expect(missing.body.error.details.map((d: any) => d.field)).toEqual(['technicianId']);
    const backwards = await post(`/work-orders/${openWo.id}/assignments`, { technicianId: techId, scheduledStart: SEED_END, scheduledEnd: SEED_START });
    expectError(backwards, 400, 'validation_error');
    expect(backwards.body.error.details.map((d: any) => d.field)).toEqual(['scheduledEnd']);
    const badTime = await post(`/work-orders/${openWo.id}/assignments`, { technicianId: techId, scheduledStart: 'tomorrow', scheduledEnd: SEED_END, routeSequence: 0 });
    expect(badTime.body.error.details.map((d: any) => d.field).sort()).toEqual(['routeSequence', 'scheduledStart']);
    const notJson = await call('POST', `${base}/work-orders/${openWo.id}/assignments`, { headers: { ...bearer(), 'content-type': 'application/json' } });
    expectError(notJson, 400, 'validation_error');
    expectError(await post('/work-orders/wo_000000/assignments', { technicianId: techId, scheduledStart: SEED_START, scheduledEnd: SEED_END }), 404, 'not_found');
  });

  it('accepts the seed example consumption (work order and technician ids substituted)', async () => {
    // Seed body as it stands; only the work order (the one dispatched above) and the technician are ours.
    const res = await post(`/work-orders/${openWo.id}/consumptions`, {
      parts: [
        {
          partNumber: 'FILTER-XL',
          description: 'XL Air Filter',
          quantity: 2,
          uom: 'EA',
          warehouseId: 'wh_01',
          bin: 'A-14',
          serialNumbers: [],
          lotNumber: null,
        },
      ],
      labor: [
        {
          technicianId: techId,
          laborType: 'regular',
          hours: 3.5,
          startAt: '2026-01-21T14:00:00Z',
          endAt: '2026-01-21T17:30:00Z',
          notes: 'Diagnostics and filter replacement',
        },
      ],
      customerSignature: {
        name: 'Dana Harris',
        signedAt: '2026-01-21T17:35:00Z',
        signatureToken: 'upl_7fa223',
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(Object.keys(res.body).sort()).toEqual(['workOrderId', 'consumptionId', 'partsRecorded', 'laborEntriesRecorded', 'status', 'createdAt'].sort());
    expect(res.body).toMatchObject({ workOrderId: openWo.id, partsRecorded: 1, laborEntriesRecorded: 1, status: 'pending_billing' });
    expect(res.body.consumptionId).toMatch(/^cns_[0-9a-f]{6}$/);

    const list = await get(`/work-orders/${openWo.id}/consumptions`);
    const c = list.body.items.find((x: any) => x.consumptionId === res.body.consumptionId);
    expect(c).toMatchObject({
      status: 'pending_billing',
      invoiceId: null,
      parts: [{ partNumber: 'FILTER-XL', description: 'XL Air Filter', quantity: 2, uom: 'EA', unitPrice: 24.99, total: 49.98, warehouseId: 'wh_01', bin: 'A-14', serialNumbers: [], lotNumber: null }],
      labor: [{ technicianId: techId, laborType: 'regular', hours: 3.5, rate: 85, total: 297.5, startAt: '2026-01-21T14:00:00Z', endAt: '2026-01-21T17:30:00Z' }],
      customerSignature: { name: 'Dana Harris', signedAt: '2026-01-21T17:35:00Z', signatureToken: 'upl_7fa223' },
    });
  });

  it('refuses negative quantities or hours (400), unknown technicians or parts (422) and empty consumptions (400)', async () => {
    const negQty = await post(`/work-orders/${openWo.id}/consumptions`, { parts: [{ partNumber: 'FILTER-XL', quantity: -1 }] });
    expectError(negQty, 400, 'validation_error');
    expect(negQty.body.error.details.map((d: any) => d.field)).toEqual(['parts.0.quantity']);
    const negHours = await post(`/work-orders/${openWo.id}/consumptions`, { labor: [{ technicianId: techId, hours: -2 }] });
    expectError(negHours, 400, 'validation_error');
    expect(negHours.body.error.details.map((d: any) => d.field)).toEqual(['labor.0.hours']);
    const thousandths = await post(`/work-orders/${openWo.id}/consumptions`, { labor: [{ technicianId: techId, hours: 1.005 }] });
    expectError(thousandths, 400, 'validation_error');
    const backwards = await post(`/work-orders/${openWo.id}/consumptions`, {
      labor: [{ technicianId: techId, hours: 1, startAt: '2026-01-21T15:00:00Z', endAt: '2026-01-21T14:00:00Z' }],
    });
    expect(backwards.body.error.details.map((d: any) => d.field)).toEqual(['labor.0.endAt']);
    expectError(await post(`/work-orders/${openWo.id}/consumptions`, {}), 400, 'validation_error');

    const unknown = await post(`/work-orders/${openWo.id}/consumptions`, {
      parts: [{ partNumber: 'NO-SUCH-PART', quantity: 1 }],
      labor: [{ technicianId: 'tech_000000', hours: 1 }],
    });
    expectError(unknown, 422, 'unprocessable');
    expect(unknown.body.error.details.map((d: any) => d.field).sort()).toEqual(['labor.0.technicianId', 'parts.0.partNumber']);
    expectError(await post('/work-orders/wo_000000/consumptions', { parts: [{ partNumber: 'FILTER-XL', quantity: 1 }] }), 404, 'not_found');
    const cancelled = data.workOrders.find((w) => w.status === 'cancelled')!;
    expectError(await post(`/work-orders/${cancelled.id}/consumptions`, { parts: [{ partNumber: 'FILTER-XL', quantity: 1 }] }), 409, 'conflict');
    // Nothing was recorded by the refused calls.
    expect((await get(`/work-orders/${openWo.id}/consumptions`)).body.total).toBe(1);
  });

  it('moves the work order through the field and bills the consumptions on completion, in exact cents', async () => {
    const other = data.workOrders.find((w) => w.status === 'open' && w.id !== openWo.id)!;
    const early = await action('on-site', { id: other.id });
    expectError(early, 409, 'conflict');
    expectError(await action('complete', { id: other.id }), 409, 'conflict');
    expectError(await action('en-route', { id: 'wo_000000' }), 404, 'not_found');
    expectError(await action('en-route', {}), 400, 'validation_error');

    const enRoute = await action('en-route', { id: openWo.id });
    expect(enRoute.status).toBe(200);
    expect(enRoute.body.workOrder.status).toBe('en_route');
    expect(enRoute.body.assignments.every((a: any) => a.status === 'en_route')).toBe(true);
    expectError(await action('en-route', { id: openWo.id }), 409, 'conflict');
    expect((await action('on-site', { id: openWo.id })).body.workOrder.status).toBe('on_site');
    expect((await get(`/assignments/${assignmentId}`)).body.status).toBe('on_site');

    const done = await action('complete', { id: openWo.id });
    expect(done.status).toBe(200);
    expect(done.body.workOrder.status).toBe('completed');
    expect(done.body.workOrder.completedAt).not.toBeNull();
    const inv = done.body.invoice;
    // Labor 3.5 h x 85.00 = 297.50; parts 2 x 24.99 = 49.98; tax 8 % of parts = 3.9984 -> 4.00.
    expect(inv).toMatchObject({ workOrderId: openWo.id, customerId: openWo.customerId, siteId: openWo.locationId, status: 'open', subtotal: 347.48, tax: 4, total: 351.48, balance: 351.48 });
    expect(inv.lines).toEqual([
      { code: 'LABOR', description: 'Labor (regular), 3.5 h', quantity: 3.5, unitPrice: 85, total: 297.5 },
      { code: 'FILTER-XL', description: 'XL Air Filter', quantity: 2, unitPrice: 24.99, total: 49.98 },
    ]);
    expect(inv.number).toMatch(/^INV-2026-\d{5}$/);
    expect(data.invoices.map((i) => i.number)).not.toContain(inv.number);

    expect((await get(`/invoices/${inv.invoiceId}`)).body).toEqual(inv);
    expect((await get(`/invoices?workOrderId=${openWo.id}`)).body.items.map((i: any) => i.invoiceId)).toEqual([inv.invoiceId]);
    const cons = (await get(`/work-orders/${openWo.id}/consumptions`)).body.items;
    expect(cons.every((c: any) => c.status === 'billed' && c.invoiceId === inv.invoiceId)).toBe(true);
    expect((await get(`/assignments/${assignmentId}`)).body.status).toBe('completed');

    // A completed work order takes no more dispatch, consumption or field changes.
    expectError(await post(`/work-orders/${openWo.id}/assignments`, { technicianId: techId, scheduledStart: '2026-03-01T13:00:00Z', scheduledEnd: '2026-03-01T15:00:00Z' }), 409, 'conflict');
    expectError(await post(`/work-orders/${openWo.id}/consumptions`, { parts: [{ partNumber: 'FILTER-XL', quantity: 1 }] }), 409, 'conflict');
    expectError(await action('complete', { id: openWo.id }), 409, 'conflict');
  });

  it('completes without an invoice when nothing is pending billing', async () => {
    const wo = data.workOrders.find((w) => w.status === 'scheduled')!;
    const done = await action('complete', { id: wo.id });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ workOrder: { workOrderId: wo.id, status: 'completed' }, invoice: null });
  });

  it('throws every write away on reset', async () => {
    const reset = await call('POST', `${sandbox.origin}/_sandbox/reset`, { json: { data: true } });
    expect(reset.status).toBe(200);
    expectError(await get(`/assignments/${assignmentId}`), 404, 'not_found');
    const wo = (await get(`/work-orders/${openWo.id}`)).body;
    expect(wo).toMatchObject({ status: 'open', assignedTechnicianIds: openWo.technicianIds, updatedAt: openWo.updatedAt });
    expect((await get(`/work-orders/${openWo.id}/consumptions`)).body.total).toBe(0);
    expect((await get('/invoices')).body.total).toBe(data.invoices.length);
  });
});

describe('Astea sandbox: rate limiting', () => {
  it('answers 429 rate_limited with Retry-After over the limit', async () => {
    sandbox.setFaults({ astea: { rateLimit: { limit: 2, windowMs: 60_000 } } });
    try {
      expect((await get('/technicians')).status).toBe(200);
      expect((await get('/technicians')).status).toBe(200);
      const limited = await get('/technicians');
      expectError(limited, 429, 'rate_limited');
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    } finally {
      sandbox.setFaults({ astea: { rateLimit: null } });
    }
    expect((await get('/technicians')).status).toBe(200);
  });
});
