/**
 * Contract of the ServicePower simulator over real HTTP: sessions with MFA, the seed document's
 * example requests as they stand (only ids that must exist and the sign-in credentials adjusted),
 * the documented response shapes, pagination, filters, the vendor's write rules and its errors.
 * Every response is also checked against its documented schema by the test sandbox.
 */
import { validate } from '@readme/openapi-parser';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../connectors/sandbox/server.js';
import type { GenTechnician, VendorData } from '../../../connectors/sandbox/dataset/types.js';
import { createServicePowerSimulator, SERVICEPOWER_SANDBOX } from '../../../connectors/servicepower/sandbox.js';
import { call, mfaCode, startTestSandbox, vendorInfo } from '../../helpers/sandbox.js';

let sandbox: Sandbox;
let base: string;
let token: string;
let data: VendorData;

const BASIC = `Basic ${Buffer.from(`${SERVICEPOWER_SANDBOX.clientId}:${SERVICEPOWER_SANDBOX.clientSecret}`).toString('base64')}`;

/** Keys of the documented `GET /work-orders` example item (and its nested objects). */
const DOC_WORK_ORDER_KEYS = [
  'workOrderId', 'externalRef', 'serviceType', 'problemCode', 'status', 'sla', 'appointmentWindow', 'customer', 'location',
  'equipment', 'assignedProviderId', 'assignedTechId', 'partsRequired', 'updatedAt',
];

async function signIn(): Promise<string> {
  const res = await call('POST', `${base}/sessions`, {
    headers: { authorization: BASIC },
    json: { username: SERVICEPOWER_SANDBOX.username, password: SERVICEPOWER_SANDBOX.password, mfa: { type: 'totp', code: mfaCode(sandbox) } },
  });
  expect(res.status).toBe(200);
  return res.body.authToken as string;
}

function api(method: string, path: string, json?: unknown, headers: Record<string, string> = {}) {
  return call(method, `${base}${path}`, { headers: { authorization: `Bearer ${token}`, ...headers }, ...(json !== undefined ? { json } : {}) });
}

async function resetData(): Promise<void> {
  await call('POST', `${sandbox.origin}/_sandbox/reset`, { json: { data: true, faults: true } });
}

function action(name: 'start' | 'complete', id: string) {
  return call('POST', `${sandbox.origin}/_sandbox/actions/servicepower/${name}`, { json: { id } });
}

/** Walks a list endpoint page by page; returns every item. */
async function walk(path: string, pageSize: number): Promise<{ items: any[]; total: number; pages: number }> {
  const items: any[] = [];
  let total = -1;
  let pages = 0;
  for (let page = 1; ; page++) {
    const sep = path.includes('?') ? '&' : '?';
    const res = await api('GET', `${path}${sep}page=${page}&pageSize=${pageSize}`);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['items', 'page', 'pageSize', 'total']);
    expect(res.body.page).toBe(page);
    expect(res.body.pageSize).toBe(pageSize);
    if (total < 0) total = res.body.total;
    expect(res.body.total).toBe(total);
    pages++;
    items.push(...res.body.items);
    if (res.body.items.length < pageSize) break;
  }
  return { items, total, pages };
}

/** The seed's POST /work-orders example body, as it stands. */
const SEED_WORK_ORDER = {
  externalRef: 'PORTAL-88932',
  serviceType: 'installation',
  problemCode: 'NEW_APPLIANCE_INSTALL',
  customer: {
    name: 'Morgan Shaw',
    phone: '+1-312-555-0172',
    email: '[email protected]',
  },
  location: {
    line1: '1450 N State St',
    city: 'Chicago',
    region: 'IL',
    postalCode: '60610',
    country: 'US',
  },
  equipment: {
    model: 'ACME-DW-900',
    serial: null,
    entitlement: { warranty: false },
  },
  sla: {
    respondBy: '2026-01-27T23:59:59Z',
    completeBy: '2026-02-02T23:59:59Z',
    priority: 'normal',
  },
  partsRequired: [{ partNumber: 'DW-MOUNT-KIT', quantity: 1 }],
  notes: 'Customer requests Saturday appointment if available',
};

/** The seed's dispatch example body; provider and technician ids must exist, so they are filled in. */
function seedDispatch(providerId: string, techId: string) {
  return {
    assignedProviderId: providerId,
    assignedTechId: techId,
    appointmentWindow: {
      start: '2026-01-29T14:00:00Z',
      end: '2026-01-29T18:00:00Z',
    },
    routeDate: '2026-01-29',
    instructions: 'Bring mount kit; verify water shutoff',
    skillMatch: true,
    requiresParts: true,
  };
}

/** The seed's POST /claims example body; the work order id must exist and be completed. */
function seedClaim(workOrderId: string) {
  return {
    workOrderId,
    claimType: 'warranty',
    referenceNumber: 'CLAIM-2026-00115',
    labor: {
      minutes: 90,
      rate: 85.0,
    },
    parts: [{ partNumber: 'ICE-VALVE-01', quantity: 1, unitCost: 42.5 }],
    travel: {
      miles: 12.3,
      timeMinutes: 30,
    },
    taxes: 7.25,
    attachments: [
      { fileName: 'completion_photo.jpg', uploadToken: 'upl_98dc3a' },
      { fileName: 'signed_work_order.pdf', uploadToken: 'upl_08ab73' },
    ],
    resolution: {
      code: 'REPAIRED',
      description: 'Replaced inlet valve; unit passed test',
    },
  };
}

/** A seeded technician with `skill`, free of dispatches overlapping [start, end). */
function freeTech(skill: string, start: string, end: string, except: string[] = []): GenTechnician {
  const s = Date.parse(start);
  const e = Date.parse(end);
  const tech = data.technicians.find(
    (t) =>
      t.skills.includes(skill) &&
      !except.includes(t.id) &&
      !data.appointments.some((a) => a.technicianIds.includes(t.id) && Date.parse(a.start) < e && s < Date.parse(a.end)),
  );
  if (!tech) throw new Error(`no free ${skill} technician`);
  return tech;
}

/** Creates a work order for an appliance unit (from the seed example) and returns its id. */
async function newWorkOrder(overrides: Record<string, unknown> = {}): Promise<string> {
  const res = await api('POST', '/work-orders', { ...SEED_WORK_ORDER, externalRef: null, ...overrides });
  expect(res.status).toBe(201);
  return res.body.workOrderId as string;
}

beforeAll(async () => {
  sandbox = await startTestSandbox({ simulators: { servicepower: createServicePowerSimulator } });
  base = (await vendorInfo(sandbox, 'servicepower')).baseUrl;
  data = sandbox.dataset.vendors.servicepower;
  token = await signIn();
});
afterAll(() => sandbox.close());

describe('ServicePower sessions', () => {
  beforeEach(resetData);

  it('serves its base URL, session auth and OpenAPI document in /_sandbox', async () => {
    const info = await vendorInfo(sandbox, 'servicepower');
    expect(info.baseUrl).toBe(`${sandbox.origin}/servicepower/integrations/int_servicepower_sandbox`);
    expect(info.openapiUrl).toBe(`${info.baseUrl}/openapi.json`);
    expect(info.auth).toMatchObject({
      type: 'session',
      sessionUrl: `${info.baseUrl}/sessions`,
      clientId: 'sp-sandbox-client',
      clientSecret: 'sp-sandbox-secret',
      username: 'dispatcher@fieldgraph.test',
      password: 'sandbox-password',
      mfa: { type: 'totp', secret: sandbox.totpSecret },
    });
    const doc = (await call('GET', info.openapiUrl)).body;
    const result = await validate(structuredClone(doc));
    expect(result.valid).toBe(true);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/sessions', '/work-orders', '/work-orders/{workOrderId}/dispatch', '/claims']));
  });

  it('accepts the seed sign-in example (credentials filled in) and answers the documented shape', async () => {
    // Seed body as it stands, with the sandbox's username, password and current TOTP code.
    const res = await call('POST', `${base}/sessions`, {
      headers: { authorization: BASIC },
      json: {
        username: 'dispatcher@fieldgraph.test',
        password: 'sandbox-password',
        mfa: { type: 'totp', code: mfaCode(sandbox) },
      },
    });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['authToken', 'expiresIn', 'user']);
    expect(res.body.expiresIn).toBe(3600);
    expect(res.body.user).toEqual({ id: 'u_fsm728', name: 'Dispatcher', entitlements: ['work_orders', 'scheduling', 'claims'] });
    expect((await call('GET', `${base}/work-orders?pageSize=1`, { headers: { authorization: `Bearer ${res.body.authToken}` } })).status).toBe(200);
  });

  it('refuses wrong integration credentials, password, MFA code and tokens', async () => {
    const body = (code: string, password: string = SERVICEPOWER_SANDBOX.password) => ({
      username: SERVICEPOWER_SANDBOX.username,
      password,
      mfa: { type: 'totp', code },
    });
    const wrongBasic = await call('POST', `${base}/sessions`, {
      headers: { authorization: `Basic ${Buffer.from('sp-sandbox-client:nope').toString('base64')}` },
      json: body(mfaCode(sandbox)),
    });
    expect(wrongBasic.status).toBe(401);
    expect(wrongBasic.body.error.code).toBe('unauthorized');
    expect(typeof wrongBasic.body.requestId).toBe('string');

    const wrongPassword = await call('POST', `${base}/sessions`, { headers: { authorization: BASIC }, json: body(mfaCode(sandbox), 'nope') });
    expect(wrongPassword.status).toBe(401);
    expect(wrongPassword.body.error.code).toBe('invalid_credentials');

    const code = mfaCode(sandbox);
    const wrongCode = String((Number(code) + 500_000) % 1_000_000).padStart(6, '0');
    const wrongMfa = await call('POST', `${base}/sessions`, { headers: { authorization: BASIC }, json: body(wrongCode) });
    expect(wrongMfa.status).toBe(401);
    expect(wrongMfa.body.error.code).toBe('invalid_mfa');

    const noMfa = await call('POST', `${base}/sessions`, {
      headers: { authorization: BASIC },
      json: { username: SERVICEPOWER_SANDBOX.username, password: SERVICEPOWER_SANDBOX.password },
    });
    expect(noMfa.status).toBe(401);
    expect(noMfa.body.error.code).toBe('invalid_mfa');

    const missing = await call('GET', `${base}/work-orders`);
    expect(missing.status).toBe(401);
    expect(missing.body.error.code).toBe('unauthorized');
    const garbage = await call('GET', `${base}/work-orders`, { headers: { authorization: 'Bearer not-a-token' } });
    expect(garbage.status).toBe(401);
    expect(garbage.body.error.code).toBe('unauthorized');
  });

  it('expires tokens (fault), refuses refreshing an expired one, and refreshes a valid one', async () => {
    const t1 = await signIn();
    sandbox.setFaults({ servicepower: { expireTokens: true } });
    const expired = await call('GET', `${base}/work-orders`, { headers: { authorization: `Bearer ${t1}` } });
    expect(expired.status).toBe(401);
    expect(expired.body.error.code).toBe('token_expired');
    const refreshExpired = await call('POST', `${base}/sessions/refresh`, { headers: { authorization: `Bearer ${t1}` } });
    expect(refreshExpired.status).toBe(401);
    expect(refreshExpired.body.error.code).toBe('token_expired');

    const t2 = await signIn();
    const refreshed = await call('POST', `${base}/sessions/refresh`, { headers: { authorization: `Bearer ${t2}` } });
    expect(refreshed.status).toBe(200);
    expect(Object.keys(refreshed.body).sort()).toEqual(['authToken', 'expiresIn', 'user']);
    const t3 = refreshed.body.authToken as string;
    expect(t3).not.toBe(t2);
    expect((await call('GET', `${base}/work-orders?pageSize=1`, { headers: { authorization: `Bearer ${t2}` } })).status).toBe(401);
    expect((await call('GET', `${base}/work-orders?pageSize=1`, { headers: { authorization: `Bearer ${t3}` } })).status).toBe(200);
    token = await signIn();
  });

  it('answers 429 with Retry-After when rate limited', async () => {
    sandbox.setFaults({ servicepower: { rateLimit: { limit: 2, windowMs: 60_000 } } });
    expect((await api('GET', '/work-orders?pageSize=1')).status).toBe(200);
    expect((await api('GET', '/work-orders?pageSize=1')).status).toBe(200);
    const limited = await api('GET', '/work-orders?pageSize=1');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.body.error.code).toBe('rate_limited');
  });
});

describe('ServicePower reads over the seeded data set', () => {
  beforeAll(resetData);

  it('has a seeded data set to serve', () => {
    expect(data.workOrders.length).toBeGreaterThan(50);
    expect(data.claims.length).toBeGreaterThan(10);
    expect(data.technicians.length).toBeGreaterThan(5);
  });

  it('walks every list page by page and returns each record exactly once, ordered by id', async () => {
    const providers = new Set(data.technicians.map((t) => t.providerId));
    const lists: Array<[string, string, string[], number]> = [
      ['/work-orders', 'workOrderId', data.workOrders.map((w) => w.id), 37],
      ['/customers', 'customerId', data.customers.map((c) => c.id), 23],
      ['/locations', 'locationId', data.locations.map((l) => l.id), 50],
      ['/equipment', 'equipmentId', data.equipment.map((e) => e.id), 100],
      ['/technicians', 'technicianId', data.technicians.map((t) => t.id), 5],
      ['/providers', 'providerId', [...providers] as string[], 2],
      ['/claims', 'claimId', data.claims.map((c) => c.id), 40],
      ['/dispatches', 'dispatchId', data.appointments.map((a) => a.id), 100],
    ];
    for (const [path, key, expected, pageSize] of lists) {
      const { items, total, pages } = await walk(path, pageSize);
      const ids = items.map((i) => i[key] as string);
      expect(total, path).toBe(expected.length);
      expect(pages, path).toBe(Math.floor(expected.length / pageSize) + 1);
      expect(new Set(ids).size, path).toBe(ids.length);
      expect(new Set(ids), path).toEqual(new Set(expected));
      expect(ids, path).toEqual([...ids].sort());
    }
    const beyond = await api('GET', '/work-orders?page=999&pageSize=100');
    expect(beyond.body).toMatchObject({ items: [], page: 999, total: data.workOrders.length });
  });

  it('renders work orders in the documented item shape, with the ids of embedded records', async () => {
    const res = await api('GET', '/work-orders?pageSize=100');
    for (const item of res.body.items) {
      expect(Object.keys(item)).toEqual(expect.arrayContaining(DOC_WORK_ORDER_KEYS));
      expect(Object.keys(item.sla).sort()).toEqual(['completeBy', 'priority', 'respondBy']);
      expect(Object.keys(item.customer)).toEqual(expect.arrayContaining(['customerId', 'name', 'phone', 'email']));
      expect(Object.keys(item.location)).toEqual(expect.arrayContaining(['locationId', 'line1', 'city', 'region', 'postalCode', 'country']));
      if (item.equipment) {
        expect(Object.keys(item.equipment)).toEqual(expect.arrayContaining(['equipmentId', 'model', 'serial', 'entitlement']));
        expect(Object.keys(item.equipment.entitlement).sort()).toEqual(['expiresOn', 'warranty']);
      }
      for (const p of item.partsRequired) expect(Object.keys(p).sort()).toEqual(['partNumber', 'quantity']);
    }
    // A seeded work order with everything: compare with the data set.
    const w = data.workOrders.find((x) => x.window && x.technicianIds.length > 0 && x.externalRef?.startsWith('ST-JOB-'))!;
    const one = await api('GET', `/work-orders/${w.id}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({
      workOrderId: w.id,
      externalRef: w.externalRef,
      serviceType: w.serviceType,
      problemCode: w.problemCode,
      status: w.status,
      sla: { respondBy: w.sla!.respondBy, completeBy: w.sla!.completeBy, priority: w.priority },
      appointmentWindow: w.window,
      customer: { customerId: w.customerId },
      location: { locationId: w.locationId },
      equipment: { equipmentId: w.equipmentIds[0], entitlement: { warranty: w.warranty } },
      assignedProviderId: w.providerId,
      assignedTechId: w.technicianIds[0],
      partsRequired: w.parts.map((p) => ({ partNumber: p.partNumber, quantity: p.quantity })),
      serviceRegion: w.region,
      updatedAt: w.updatedAt,
      completedAt: w.completedAt ?? null,
    });
    // The embedded records exist behind their own GETs.
    const customer = await api('GET', `/customers/${w.customerId}`);
    expect(customer.status).toBe(200);
    expect(customer.body.name).toBe(one.body.customer.name);
    const location = await api('GET', `/locations/${w.locationId}`);
    expect(location.status).toBe(200);
    expect(location.body).toMatchObject({ customerId: w.customerId, line1: one.body.location.line1, serviceRegion: w.region });
    const unit = data.equipment.find((e) => e.id === w.equipmentIds[0])!;
    const equipment = await api('GET', `/equipment/${unit.id}`);
    expect(equipment.body).toMatchObject({ model: unit.model, serial: unit.serialNumber, entitlement: { expiresOn: unit.warrantyEnd ?? null } });
    expect(one.body.equipment.entitlement.expiresOn).toBe(unit.warrantyEnd ?? null);
    const tech = await api('GET', `/technicians/${w.technicianIds[0]}`);
    expect(tech.body).toMatchObject({ technicianId: w.technicianIds[0], providerId: w.providerId });
    expect(Object.keys(tech.body)).toEqual(expect.arrayContaining(['skills', 'region', 'providerId', 'capacity']));
    const provider = await api('GET', `/providers/${w.providerId}`);
    expect(provider.status).toBe(200);
    expect(provider.body.technicianCount).toBe(data.technicians.filter((t) => t.providerId === w.providerId).length);
    const visits = await api('GET', `/work-orders/${w.id}/dispatches`);
    const appts = data.appointments.filter((a) => a.workOrderId === w.id);
    expect(visits.body.total).toBe(appts.length);
    expect(visits.body.items[0]).toMatchObject({ workOrderId: w.id, appointmentWindow: { start: appts[0]!.start, end: appts[0]!.end } });
    const visit = await api('GET', `/dispatches/${appts[0]!.id}`);
    expect(visit.body).toMatchObject({ dispatchId: appts[0]!.id, status: appts[0]!.status, assignedTechId: w.technicianIds[0] });
  });

  it('answers 404 in the vendor error shape for unknown ids', async () => {
    for (const path of ['/work-orders/wo_000000', '/work-orders/wo_000000/dispatches', '/dispatches/x', '/claims/x', '/customers/x', '/locations/x', '/equipment/x', '/technicians/x', '/providers/x']) {
      const res = await api('GET', path);
      expect(res.status, path).toBe(404);
      expect(res.body.error.code, path).toBe('not_found');
      expect(Object.keys(res.body).sort()).toEqual(['error', 'requestId']);
    }
  });

  it('filters work orders by status, provider, region, schedule and update windows', async () => {
    const count = async (query: string) => (await api('GET', `/work-orders?pageSize=1&${query}`)).body.total as number;
    for (const status of ['completed', 'cancelled', 'scheduled', 'new']) {
      expect(await count(`status=${status}`), status).toBe(data.workOrders.filter((w) => w.status === status).length);
    }
    const completed = await walk('/work-orders?status=completed', 100);
    expect(completed.items.every((i) => i.status === 'completed')).toBe(true);

    const provider = data.technicians[0]!.providerId!;
    expect(await count(`providerId=${provider}`)).toBe(data.workOrders.filter((w) => w.providerId === provider).length);
    expect(await count('region=ATL-N')).toBe(data.workOrders.filter((w) => w.region === 'ATL-N').length);
    expect(await count('region=GA')).toBe(data.workOrders.length);
    expect(await count('region=IL')).toBe(0);

    const starts = data.workOrders.filter((w) => w.window).map((w) => w.window!.start).sort();
    const from = starts[Math.floor(starts.length / 4)]!;
    const to = starts[Math.floor((starts.length * 3) / 4)]!;
    const inWindow = data.workOrders.filter((w) => w.window && w.window.start >= from && w.window.start <= to);
    expect(await count(`scheduledFrom=${from}&scheduledTo=${to}`)).toBe(inWindow.length);
    const scheduled = await walk(`/work-orders?scheduledFrom=${from}&scheduledTo=${to}`, 100);
    expect(scheduled.items.every((i) => i.appointmentWindow.start >= from && i.appointmentWindow.start <= to)).toBe(true);

    const updates = data.workOrders.map((w) => w.updatedAt).sort();
    const since = updates[Math.floor(updates.length / 2)]!;
    expect(await count(`updatedFrom=${since}`)).toBe(data.workOrders.filter((w) => w.updatedAt >= since).length);
    expect(await count(`updatedTo=${since}`)).toBe(data.workOrders.filter((w) => w.updatedAt <= since).length);

    const combined = data.workOrders.filter((w) => w.status === 'completed' && w.providerId === provider && w.updatedAt >= since);
    expect(await count(`status=completed&providerId=${provider}&updatedFrom=${since}`)).toBe(combined.length);

    // No batch look-up: an `ids` parameter is not a filter (unknown parameters are ignored).
    const some = data.workOrders.slice(0, 3).map((w) => w.id).join(',');
    expect(await count(`ids=${some}`)).toBe(data.workOrders.length);
  });

  it('refuses invalid filters with validation_error field details', async () => {
    const badStatus = await api('GET', '/work-orders?status=done');
    expect(badStatus.status).toBe(400);
    expect(badStatus.body.error.code).toBe('validation_error');
    expect(badStatus.body.error.details[0].field).toBe('status');
    const badDate = await api('GET', '/work-orders?updatedFrom=yesterday');
    expect(badDate.status).toBe(400);
    expect(badDate.body.error.details[0].field).toBe('updatedFrom');
    const bigPage = await api('GET', '/work-orders?pageSize=101');
    expect(bigPage.status).toBe(400);
    expect(bigPage.body.error.details[0].field).toBe('pageSize');
  });

  it('filters technicians by provider, region and skill, and claims by work order, status and update', async () => {
    const t = data.technicians[0]!;
    const techs = await walk(`/technicians?providerId=${t.providerId}&skill=${t.skills[0]}`, 100);
    expect(techs.total).toBe(data.technicians.filter((x) => x.providerId === t.providerId && x.skills.includes(t.skills[0]!)).length);
    const byRegion = await walk(`/technicians?region=${t.region}`, 100);
    expect(byRegion.items.map((x) => x.technicianId).sort()).toEqual(data.technicians.filter((x) => x.region === t.region).map((x) => x.id).sort());

    const c = data.claims[0]!;
    const forWo = await api('GET', `/claims?workOrderId=${c.workOrderId}`);
    expect(forWo.body.items.map((x: any) => x.claimId)).toEqual(data.claims.filter((x) => x.workOrderId === c.workOrderId).map((x) => x.id).sort());
    const paid = await walk('/claims?status=paid', 100);
    expect(paid.total).toBe(data.claims.filter((x) => x.status === 'paid').length);
    const since = data.claims.map((x) => x.updatedAt).sort()[Math.floor(data.claims.length / 2)]!;
    expect((await api('GET', `/claims?updatedFrom=${since}&pageSize=1`)).body.total).toBe(data.claims.filter((x) => x.updatedAt >= since).length);
  });

  it('serves seeded claims with line items whose totals add up exactly to the data set totals', async () => {
    const { items } = await walk('/claims', 100);
    const byId = new Map(data.claims.map((c) => [c.id, c]));
    for (const item of items) {
      const c = byId.get(item.claimId)!;
      expect(item.total).toBe(Number(c.total));
      const cents = (n: number) => Math.round(n * 100);
      expect(cents(item.totals.labor) + cents(item.totals.parts) + cents(item.totals.travel) + cents(item.totals.taxes)).toBe(cents(item.totals.total));
      expect(item.labor).toMatchObject({ minutes: c.labor.minutes, rate: Number(c.labor.rate) });
      expect(Object.keys(item)).toEqual(expect.arrayContaining(['labor', 'parts', 'travel', 'taxes', 'attachments', 'resolution', 'totals']));
    }
  });
});

describe('ServicePower writes', () => {
  beforeEach(resetData);

  it('creates a work order from the seed example as it stands and answers the documented shape', async () => {
    const res = await api('POST', '/work-orders', SEED_WORK_ORDER);
    expect(res.status).toBe(201);
    expect(Object.keys(res.body).sort()).toEqual(['createdAt', 'status', 'workOrderId']);
    expect(res.body.status).toBe('new');
    expect(res.body.workOrderId).toMatch(/^wo_[0-9a-f]{6}$/);
    expect(res.body.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const wo = (await api('GET', `/work-orders/${res.body.workOrderId}`)).body;
    expect(wo).toMatchObject({
      externalRef: 'PORTAL-88932',
      serviceType: 'installation',
      problemCode: 'NEW_APPLIANCE_INSTALL',
      status: 'new',
      sla: SEED_WORK_ORDER.sla,
      appointmentWindow: null,
      customer: { name: 'Morgan Shaw', phone: '+1-312-555-0172', email: '[email protected]' },
      location: { line1: '1450 N State St', city: 'Chicago', region: 'IL', postalCode: '60610', country: 'US' },
      equipment: { model: 'ACME-DW-900', serial: null, entitlement: { warranty: false, expiresOn: null } },
      assignedProviderId: null,
      assignedTechId: null,
      partsRequired: [{ partNumber: 'DW-MOUNT-KIT', quantity: 1 }],
      notes: 'Customer requests Saturday appointment if available',
      serviceRegion: null,
      completedAt: null,
    });
    expect(wo.customer.customerId).toMatch(/^cst_/);
    expect((await api('GET', `/customers/${wo.customer.customerId}`)).body.name).toBe('Morgan Shaw');
    expect((await api('GET', `/locations/${wo.location.locationId}`)).body.customerId).toBe(wo.customer.customerId);
    expect((await api('GET', `/equipment/${wo.equipment.equipmentId}`)).body).toMatchObject({ type: 'Dishwasher', model: 'ACME-DW-900' });
    expect((await api('GET', '/work-orders?pageSize=1')).body.total).toBe(data.workOrders.length + 1);
    expect((await api('GET', '/work-orders?pageSize=1&region=IL')).body.total).toBe(1);
  });

  it('reuses existing customers, locations and units by id, and refuses unknown or mismatched ones', async () => {
    const w = data.workOrders.find((x) => x.equipmentIds.length > 0)!;
    const ok = await api('POST', '/work-orders', {
      serviceType: 'repair',
      problemCode: w.problemCode,
      customer: { customerId: w.customerId },
      location: { locationId: w.locationId },
      equipment: { equipmentId: w.equipmentIds[0] },
    });
    expect(ok.status).toBe(201);
    const wo = (await api('GET', `/work-orders/${ok.body.workOrderId}`)).body;
    expect(wo).toMatchObject({ customer: { customerId: w.customerId }, location: { locationId: w.locationId }, equipment: { equipmentId: w.equipmentIds[0] }, serviceRegion: w.region });
    expect(wo.sla.priority).toBe('normal');

    const unknown = await api('POST', '/work-orders', { ...SEED_WORK_ORDER, customer: { customerId: 'cst_nope00' } });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.code).toBe('unprocessable');
    expect(unknown.body.error.details[0].field).toBe('customer.customerId');
    const other = data.customers.find((c) => c.id !== w.customerId)!;
    const mismatch = await api('POST', '/work-orders', { ...SEED_WORK_ORDER, customer: { customerId: other.id }, location: { locationId: w.locationId } });
    expect(mismatch.status).toBe(422);
    expect(mismatch.body.error.details[0].field).toBe('location.locationId');
  });

  it('refuses an invalid work order with field errors', async () => {
    const { serviceType: _s, ...noType } = SEED_WORK_ORDER;
    const res = await api('POST', '/work-orders', { ...noType, customer: { phone: '+1-312-555-0172' }, location: { line1: '1 Main St' }, sla: { respondBy: '2026-02-01T00:00:00Z', completeBy: '2026-01-01T00:00:00Z' } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_error');
    const fields = res.body.error.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['serviceType', 'customer.name', 'location.city', 'location.postalCode', 'sla.completeBy']));
    const notJson = await call('POST', `${base}/work-orders`, { headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } });
    expect(notJson.status).toBe(400);
    expect((await api('GET', '/work-orders?pageSize=1')).body.total).toBe(data.workOrders.length);
  });

  it('dispatches with the seed example, then runs the job to completion and takes the seed claim', async () => {
    const woId = await newWorkOrder({ externalRef: 'PORTAL-88932' });
    const tech = freeTech('appliance', '2026-01-29T14:00:00Z', '2026-01-29T18:00:00Z');
    // Seed body as it stands; provider and technician ids replaced by seeded ones (they must exist).
    const res = await api('POST', `/work-orders/${woId}/dispatch`, seedDispatch(tech.providerId!, tech.id));
    expect(res.status).toBe(201);
    expect(Object.keys(res.body).sort()).toEqual(['createdAt', 'dispatchId', 'onSiteEta', 'status', 'workOrderId']);
    expect(res.body).toMatchObject({ workOrderId: woId, status: 'scheduled', onSiteEta: '2026-01-29T15:30:00Z' });
    expect(res.body.dispatchId).toMatch(/^disp_[0-9a-f]{6}$/);

    const wo = (await api('GET', `/work-orders/${woId}`)).body;
    expect(wo).toMatchObject({
      status: 'scheduled',
      assignedProviderId: tech.providerId,
      assignedTechId: tech.id,
      appointmentWindow: { start: '2026-01-29T14:00:00Z', end: '2026-01-29T18:00:00Z' },
    });
    const visits = (await api('GET', `/work-orders/${woId}/dispatches`)).body;
    expect(visits.total).toBe(1);
    expect(visits.items[0]).toMatchObject({
      dispatchId: res.body.dispatchId,
      status: 'scheduled',
      routeDate: '2026-01-29',
      instructions: 'Bring mount kit; verify water shutoff',
      skillMatch: true,
      requiresParts: true,
    });
    expect((await api('GET', `/dispatches/${res.body.dispatchId}`)).body.assignedTechId).toBe(tech.id);
    expect((await api('GET', `/work-orders?pageSize=100&providerId=${tech.providerId}&scheduledFrom=2026-01-29T00:00:00Z&scheduledTo=2026-01-29T23:59:59Z`)).body.items.map((i: any) => i.workOrderId)).toContain(woId);

    // No claim before the job is done.
    const early = await api('POST', '/claims', seedClaim(woId));
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('conflict');

    // Illegal transitions through the sandbox actions are refused.
    const completeTooEarly = await action('complete', woId);
    expect(completeTooEarly.status).toBe(409);
    expect(completeTooEarly.body.error.code).toBe('conflict');
    const started = await action('start', woId);
    expect(started.status).toBe(200);
    expect(started.body.status).toBe('in_progress');
    expect((await api('GET', `/dispatches/${res.body.dispatchId}`)).body.status).toBe('on_site');
    expect((await action('start', woId)).status).toBe(409);
    const done = await action('complete', woId);
    expect(done.status).toBe(200);
    expect(done.body.status).toBe('completed');
    expect(done.body.completedAt).not.toBeNull();
    expect((await api('GET', `/dispatches/${res.body.dispatchId}`)).body.status).toBe('completed');

    // Seed claim body as it stands; workOrderId replaced by the completed work order.
    const claim = await api('POST', '/claims', seedClaim(woId));
    expect(claim.status).toBe(201);
    expect(Object.keys(claim.body).sort()).toEqual(['claimId', 'createdAt', 'status', 'total', 'workOrderId']);
    expect(claim.body).toMatchObject({ status: 'submitted', workOrderId: woId, total: 178.05 });
    expect(claim.body.claimId).toMatch(/^clm_[0-9a-f]{6}$/);
    const detail = (await api('GET', `/claims/${claim.body.claimId}`)).body;
    expect(detail).toMatchObject({
      claimType: 'warranty',
      referenceNumber: 'CLAIM-2026-00115',
      status: 'submitted',
      labor: { minutes: 90, rate: 85, amount: 127.5 },
      parts: [{ partNumber: 'ICE-VALVE-01', quantity: 1, unitCost: 42.5, amount: 42.5 }],
      travel: { miles: 12.3, timeMinutes: 30, amount: 0.8 },
      taxes: 7.25,
      attachments: seedClaim(woId).attachments,
      resolution: { code: 'REPAIRED', description: 'Replaced inlet valve; unit passed test' },
      totals: { labor: 127.5, parts: 42.5, travel: 0.8, taxes: 7.25, total: 178.05 },
      total: 178.05,
    });
    expect((await api('GET', `/claims?workOrderId=${woId}`)).body.total).toBe(1);

    // The same reference number cannot be claimed twice; a completed order cannot be dispatched.
    const dup = await api('POST', '/claims', seedClaim(woId));
    expect(dup.status).toBe(409);
    expect(dup.body.error.details[0].field).toBe('referenceNumber');
    const redispatch = await api('POST', `/work-orders/${woId}/dispatch`, seedDispatch(tech.providerId!, tech.id));
    expect(redispatch.status).toBe(409);
    expect(redispatch.body.error.code).toBe('conflict');
  });

  it('computes claim totals exactly in cents', async () => {
    const w = data.workOrders.find((x) => x.status === 'completed')!;
    const res = await api('POST', '/claims', {
      workOrderId: w.id,
      claimType: 'service',
      labor: { minutes: 25, rate: 99.99 },
      parts: [
        { partNumber: 'FILTER-XL', quantity: 3, unitCost: 0.1 },
        { partNumber: 'BELT-A42', quantity: 7, unitCost: 0.7 },
      ],
      travel: { miles: 0.1, timeMinutes: 5 },
      taxes: 0.2,
      resolution: { code: 'ADJUSTED', description: '' },
    });
    expect(res.status).toBe(201);
    // labor 25/60 x 99.99 = 41.6625 -> 41.66; parts 0.30 + 4.90; travel 0.65 cents -> 0.01; taxes 0.20.
    expect(res.body.total).toBe(47.07);
  });

  it('refuses invalid claims and claims on unknown work orders', async () => {
    const w = data.workOrders.find((x) => x.status === 'completed')!;
    const { labor: _l, ...noLabor } = seedClaim(w.id);
    const invalid = await api('POST', '/claims', { ...noLabor, claimType: 'bonus', taxes: 1.234 });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe('validation_error');
    expect(invalid.body.error.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(['labor', 'claimType', 'taxes']));
    const unknown = await api('POST', '/claims', seedClaim('wo_98a51c'));
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.code).toBe('unprocessable');
    expect(unknown.body.error.details[0].field).toBe('workOrderId');
    const cancelled = data.workOrders.find((x) => x.status === 'cancelled')!;
    expect((await api('POST', '/claims', seedClaim(cancelled.id))).status).toBe(409);
  });

  it('refuses dispatches to unknown, foreign, unskilled or busy technicians and to closed work orders', async () => {
    const woId = await newWorkOrder();
    const start = '2027-03-02T14:00:00Z';
    const end = '2027-03-02T18:00:00Z';
    const tech = freeTech('appliance', start, end);
    const body = (providerId: string, techId: string, extra: Record<string, unknown> = {}) => ({
      assignedProviderId: providerId,
      assignedTechId: techId,
      appointmentWindow: { start, end },
      ...extra,
    });

    const invalid = await api('POST', `/work-orders/${woId}/dispatch`, { assignedTechId: tech.id, appointmentWindow: { start: end, end: start } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(['assignedProviderId', 'appointmentWindow.end']));
    expect((await api('POST', '/work-orders/wo_000000/dispatch', body(tech.providerId!, tech.id))).status).toBe(404);

    const unknownTech = await api('POST', `/work-orders/${woId}/dispatch`, body(tech.providerId!, 'tech_000000'));
    expect(unknownTech.status).toBe(422);
    expect(unknownTech.body.error.code).toBe('unprocessable');
    const unknownProvider = await api('POST', `/work-orders/${woId}/dispatch`, body('sp_000000', tech.id));
    expect(unknownProvider.status).toBe(422);
    expect(unknownProvider.body.error.details[0].field).toBe('assignedProviderId');
    const otherProvider = data.technicians.find((t) => t.providerId !== tech.providerId)!.providerId!;
    const foreign = await api('POST', `/work-orders/${woId}/dispatch`, body(otherProvider, tech.id));
    expect(foreign.status).toBe(422);
    expect(foreign.body.error.details[0].field).toBe('assignedTechId');

    const unskilled = data.technicians.find((t) => !t.skills.includes('appliance'))!;
    const noSkill = await api('POST', `/work-orders/${woId}/dispatch`, body(unskilled.providerId!, unskilled.id, { skillMatch: true }));
    expect(noSkill.status).toBe(422);
    expect(noSkill.body.error.message).toMatch(/skill/);
    const waived = await api('POST', `/work-orders/${woId}/dispatch`, body(unskilled.providerId!, unskilled.id, { skillMatch: false }));
    expect(waived.status).toBe(201);

    // Re-dispatching replaces the earlier visit; the technician is then busy for that window.
    const first = await api('POST', `/work-orders/${woId}/dispatch`, body(tech.providerId!, tech.id));
    expect(first.status).toBe(201);
    const visits = (await api('GET', `/work-orders/${woId}/dispatches`)).body.items;
    expect(visits.map((v: any) => v.status).sort()).toEqual(['cancelled', 'scheduled']);
    const second = await newWorkOrder();
    const overlap = await api('POST', `/work-orders/${second}/dispatch`, {
      ...body(tech.providerId!, tech.id),
      appointmentWindow: { start: '2027-03-02T17:00:00Z', end: '2027-03-02T19:00:00Z' },
    });
    expect(overlap.status).toBe(409);
    expect(overlap.body.error.code).toBe('conflict');
    expect(overlap.body.error.details[0].field).toBe('appointmentWindow');
    const adjacent = await api('POST', `/work-orders/${second}/dispatch`, {
      ...body(tech.providerId!, tech.id),
      appointmentWindow: { start: '2027-03-02T18:00:00Z', end: '2027-03-02T19:00:00Z' },
    });
    expect(adjacent.status).toBe(201);

    const completed = data.workOrders.find((x) => x.status === 'completed')!;
    const cancelled = data.workOrders.find((x) => x.status === 'cancelled')!;
    for (const closed of [completed, cancelled]) {
      const res = await api('POST', `/work-orders/${closed.id}/dispatch`, body(tech.providerId!, tech.id, { appointmentWindow: { start: '2027-04-01T14:00:00Z', end: '2027-04-01T15:00:00Z' } }));
      expect(res.status, closed.status).toBe(409);
      expect(res.body.error.code).toBe('conflict');
    }
  });

  it('refuses a dispatch beyond the technician’s daily capacity', async () => {
    const day = '2027-05-03';
    const tech = freeTech('appliance', `${day}T00:00:00Z`, `${day}T23:59:59Z`);
    const statuses: number[] = [];
    for (let i = 0; i <= tech.dailyCapacity; i++) {
      const woId = await newWorkOrder();
      const h = String(6 + i).padStart(2, '0');
      const res = await api('POST', `/work-orders/${woId}/dispatch`, {
        assignedProviderId: tech.providerId,
        assignedTechId: tech.id,
        appointmentWindow: { start: `${day}T${h}:00:00Z`, end: `${day}T${h}:59:00Z` },
      });
      statuses.push(res.status);
      if (res.status !== 201) expect(res.body.error.details[0].field).toBe('routeDate');
    }
    expect(statuses).toEqual([...Array<number>(tech.dailyCapacity).fill(201), 409]);
  });

  it('refuses sandbox actions on unknown work orders and bad bodies, and reset discards writes', async () => {
    expect((await action('start', 'wo_000000')).status).toBe(404);
    expect((await action('start', '')).status).toBe(400);
    const fresh = await newWorkOrder();
    expect((await action('start', fresh)).status).toBe(409);
    await resetData();
    expect((await api('GET', `/work-orders/${fresh}`)).status).toBe(404);
    expect((await api('GET', '/work-orders?pageSize=1')).body.total).toBe(data.workOrders.length);
  });
});
