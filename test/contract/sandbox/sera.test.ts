/**
 * Contract tests of the Sera simulator over real HTTP: sessions with MFA, pagination, filters,
 * rate limiting, every documented write (valid and invalid), the work order state machine, the
 * vendor document's example requests as they stand, and the seeded data set.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toCents } from '../../../connectors/sandbox/dataset/money.js';
import type { VendorInfo } from '../../../connectors/sandbox/kit.js';
import type { Sandbox } from '../../../connectors/sandbox/server.js';
import { createSeraSimulator } from '../../../connectors/sera/sandbox.js';
import { call, mfaCode, startTestSandbox, vendorInfo } from '../../helpers/sandbox.js';

let sandbox: Sandbox;
let info: VendorInfo;
let base: string;
let token: string;

const CLIENT = { id: 'sera-sandbox-client', secret: 'sera-sandbox-secret' };
const USER = { username: 'dispatcher@fieldgraph.test', password: 'sandbox-password' };
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
const cents = (n: number) => Math.round(n * 100);

async function signIn(): Promise<string> {
  const res = await call('POST', `${base}/sessions`, {
    headers: { authorization: basic(CLIENT.id, CLIENT.secret) },
    json: { ...USER, mfa: { type: 'totp', code: mfaCode(sandbox) } },
  });
  expect(res.status).toBe(200);
  return res.body.authToken as string;
}

function api(method: string, path: string, json?: unknown) {
  return call(method, `${base}${path}`, { headers: { authorization: `Bearer ${token}` }, ...(json !== undefined ? { json } : {}) });
}

/** Every item of a list, walking pages of `pageSize`. */
async function walk(path: string, pageSize: number): Promise<{ items: any[]; total: number; pages: number }> {
  const items: any[] = [];
  let total = -1;
  let pages = 0;
  for (let page = 1; ; page++) {
    const sep = path.includes('?') ? '&' : '?';
    const res = await api('GET', `${path}${sep}page=${page}&pageSize=${pageSize}`);
    expect(res.status).toBe(200);
    expect(res.body.page).toBe(page);
    expect(res.body.pageSize).toBe(pageSize);
    if (total >= 0) expect(res.body.total).toBe(total);
    total = res.body.total;
    pages++;
    items.push(...res.body.items);
    if (res.body.items.length < pageSize) break;
  }
  return { items, total, pages };
}

const ACTIVE = new Set(['scheduled', 'dispatched', 'in_progress', 'on_hold']);

/** A technician with nothing booked between `start` and `end` (UTC instants). */
async function freeTechnician(start: string, end: string): Promise<string> {
  const techs = await walk('/technicians', 100);
  const from = new Date(Date.parse(start) - 86_400_000).toISOString();
  for (const t of techs.items) {
    const res = await api('GET', `/work-orders?technicianId=${t.technicianId}&scheduledFrom=${from}&scheduledTo=${end}&pageSize=100`);
    // Windows last less than a day: anything overlapping starts in [start - 1 day, end). Any
    // active work order there counts as busy (conservative).
    const busy = (res.body.items as any[]).some((w) => ACTIVE.has(w.status));
    if (!busy) return t.technicianId as string;
  }
  throw new Error('no free technician');
}

/** A customer and one of its locations, chosen from the data set by a predicate. */
function seededCustomer(pred: (id: string) => boolean = () => true): { customerId: string; locationId: string } {
  const data = sandbox.dataset.vendors.sera;
  for (const c of data.customers) {
    const loc = data.locations.find((l) => l.customerId === c.id);
    if (loc && pred(c.id)) return { customerId: c.id, locationId: loc.id };
  }
  throw new Error('no such customer');
}

let counter = 0;
/** A fresh window on its own day in 2027 (after every seeded appointment). */
function freshWindow(): { requestedDate: string; timeWindow: { start: string; end: string; timezone: string } } {
  counter++;
  const day = new Date(Date.UTC(2027, 2, 1) + counter * 86_400_000).toISOString().slice(0, 10);
  return { requestedDate: day, timeWindow: { start: '08:00', end: '12:00', timezone: 'America/New_York' } };
}

async function createScheduled(extra: Record<string, unknown> = {}): Promise<string> {
  const { customerId, locationId } = seededCustomer();
  const techs = sandbox.dataset.vendors.sera.technicians;
  const res = await api('POST', '/work-orders', {
    customerId,
    serviceLocationId: locationId,
    jobType: 'plumbing_service',
    description: 'Leaking water heater.',
    pricebookItems: [{ itemId: 'pb_labor_hour', quantity: 1.5 }, { itemId: 'pb_wh_tp_valve', quantity: 1 }],
    assignedTechnicianId: techs[0]!.id,
    ...freshWindow(),
    ...extra,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  expect(res.body.status).toBe('scheduled');
  return res.body.workOrderId as string;
}

beforeAll(async () => {
  sandbox = await startTestSandbox({ simulators: { sera: createSeraSimulator } });
  info = await vendorInfo(sandbox, 'sera');
  base = info.baseUrl;
  token = await signIn();
});

afterAll(() => sandbox.close());

beforeEach(() => {
  sandbox.setFaults({ sera: { rateLimit: null } });
});

describe('sandbox information', () => {
  it('names the base URL with the integration id and the session sign-in', () => {
    expect(base).toBe(`${sandbox.origin}/sera/integrations/int_sera_sandbox`);
    expect(info.openapiUrl).toBe(`${base}/openapi.json`);
    expect(info.auth).toEqual({
      type: 'session',
      sessionUrl: `${base}/sessions`,
      clientId: CLIENT.id,
      clientSecret: CLIENT.secret,
      username: USER.username,
      password: USER.password,
      mfa: { type: 'totp', secret: sandbox.totpSecret },
    });
  });

  it('serves an OpenAPI document listing the seed endpoints', async () => {
    const doc = (await call('GET', info.openapiUrl)).body;
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/sessions', '/sessions/refresh', '/customers', '/work-orders', '/work-orders/{workOrderId}/status', '/customers/{customerId}/memberships']),
    );
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['basicAuth', 'bearerAuth']);
  });
});

describe('authentication', () => {
  it('accepts the documented session request (credentials and code substituted)', async () => {
    // The seed's body, with its placeholder username, password and TOTP code replaced by the
    // sandbox's (they must be valid).
    const res = await call('POST', `${base}/sessions`, {
      headers: { authorization: basic(CLIENT.id, CLIENT.secret), 'content-type': 'application/json' },
      json: { username: USER.username, password: USER.password, mfa: { type: 'totp', code: mfaCode(sandbox) } },
    });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['authToken', 'expiresIn', 'user']);
    expect(res.body.expiresIn).toBe(3600);
    expect(res.body.user).toEqual({ id: 'u_8d2c41', name: 'Dispatcher', entitlements: ['customers', 'work_orders', 'memberships', 'invoices'] });
    const me = await call('GET', `${base}/customers?pageSize=1`, { headers: { authorization: `Bearer ${res.body.authToken}` } });
    expect(me.status).toBe(200);
  });

  it('refuses wrong integration credentials, password and MFA code', async () => {
    const attempt = (authorization: string, body: Record<string, unknown>) => call('POST', `${base}/sessions`, { headers: { authorization }, json: body });
    const good = { ...USER, mfa: { type: 'totp', code: mfaCode(sandbox) } };

    const badClient = await attempt(basic(CLIENT.id, 'nope'), good);
    expect(badClient.status).toBe(401);
    expect(badClient.body.error.code).toBe('unauthorized');
    expect(typeof badClient.body.requestId).toBe('string');

    const badPassword = await attempt(basic(CLIENT.id, CLIENT.secret), { ...good, password: 'wrong' });
    expect(badPassword.status).toBe(401);
    expect(badPassword.body.error.code).toBe('invalid_credentials');

    const code = mfaCode(sandbox);
    const wrongCode = String((Number(code) + 500_000) % 1_000_000).padStart(6, '0');
    const badMfa = await attempt(basic(CLIENT.id, CLIENT.secret), { ...USER, mfa: { type: 'totp', code: wrongCode } });
    expect(badMfa.status).toBe(401);
    expect(badMfa.body.error.code).toBe('invalid_mfa');

    const noMfa = await attempt(basic(CLIENT.id, CLIENT.secret), USER);
    expect(noMfa.status).toBe(401);
    expect(noMfa.body.error.code).toBe('invalid_mfa');

    const missing = await attempt(basic(CLIENT.id, CLIENT.secret), { password: 'x' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('validation_error');
  });

  it('refuses calls without a valid bearer token', async () => {
    const none = await call('GET', `${base}/customers`);
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('unauthorized');
    const junk = await call('GET', `${base}/customers`, { headers: { authorization: 'Bearer junk' } });
    expect(junk.status).toBe(401);
  });

  it('refreshes a session: the new token works, the old one ends', async () => {
    const old = await signIn();
    const res = await call('POST', `${base}/sessions/refresh`, { headers: { authorization: `Bearer ${old}` } });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['authToken', 'expiresIn', 'user']);
    expect((await call('GET', `${base}/technicians`, { headers: { authorization: `Bearer ${res.body.authToken}` } })).status).toBe(200);
    const stale = await call('GET', `${base}/technicians`, { headers: { authorization: `Bearer ${old}` } });
    expect(stale.status).toBe(401);
    expect(stale.body.error.code).toBe('token_expired');
  });

  it('answers token_expired once tokens expire, and a new session works', async () => {
    sandbox.setFaults({ sera: { expireTokens: true } });
    const res = await api('GET', '/customers');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('token_expired');
    const refresh = await call('POST', `${base}/sessions/refresh`, { headers: { authorization: `Bearer ${token}` } });
    expect(refresh.status).toBe(401);
    token = await signIn();
    expect((await api('GET', '/customers')).status).toBe(200);
  });
});

describe('rate limiting', () => {
  it('answers 429 with Retry-After in the vendor error shape', async () => {
    sandbox.setFaults({ sera: { rateLimit: { limit: 2, windowMs: 60_000 } } });
    expect((await api('GET', '/technicians')).status).toBe(200);
    expect((await api('GET', '/technicians')).status).toBe(200);
    const limited = await api('GET', '/technicians');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.body.error.code).toBe('rate_limited');
    sandbox.setFaults({ sera: { rateLimit: null } });
    expect((await api('GET', '/technicians')).status).toBe(200);
  });
});

describe('pagination', () => {
  it('walks every customer exactly once, in id order', async () => {
    const { items, total, pages } = await walk('/customers', 7);
    const ids = items.map((c) => c.customerId as string);
    expect(total).toBe(sandbox.dataset.vendors.sera.customers.length);
    expect(ids.length).toBe(total);
    expect(new Set(ids).size).toBe(total);
    expect(ids).toEqual([...ids].sort());
    expect(pages).toBe(Math.floor(total / 7) + 1);
  });

  it('walks every work order and invoice exactly once', async () => {
    const wos = await walk('/work-orders', 100);
    const woIds = wos.items.map((w) => w.workOrderId as string);
    expect(new Set(woIds).size).toBe(wos.total);
    expect(woIds).toEqual([...woIds].sort());
    expect(wos.total).toBe(sandbox.dataset.vendors.sera.workOrders.length);
    const invoices = await walk('/invoices', 33);
    expect(invoices.total).toBe(sandbox.dataset.vendors.sera.invoices.length);
    expect(new Set(invoices.items.map((i) => i.invoiceId)).size).toBe(invoices.total);
  });

  it('caps pageSize at 100 and answers an empty page past the end', async () => {
    const big = await api('GET', '/customers?pageSize=101');
    expect(big.status).toBe(400);
    expect(big.body.error.code).toBe('validation_error');
    expect(big.body.error.details[0].field).toBe('pageSize');
    const past = await api('GET', '/customers?page=999&pageSize=50');
    expect(past.status).toBe(200);
    expect(past.body.items).toEqual([]);
    expect(past.body.total).toBe(sandbox.dataset.vendors.sera.customers.length);
  });

  it('has no batch look-up: ids= is not a filter', async () => {
    const some = sandbox.dataset.vendors.sera.customers.slice(0, 2).map((c) => c.id);
    const res = await api('GET', `/customers?ids=${some.join(',')}&pageSize=5`);
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(sandbox.dataset.vendors.sera.customers.length);
  });
});

describe('customers', () => {
  it('lists customers in the documented shape', async () => {
    const res = await api('GET', '/customers?pageSize=50');
    expect(Object.keys(res.body).sort()).toEqual(['items', 'page', 'pageSize', 'total']);
    for (const c of res.body.items) {
      expect(Object.keys(c).sort()).toEqual(
        ['createdAt', 'customerId', 'defaultServiceLocation', 'membership', 'name', 'outstandingBalance', 'primaryContact', 'tags', 'updatedAt'].sort(),
      );
      expect(Object.keys(c.primaryContact).sort()).toEqual(['email', 'phone']);
      if (c.defaultServiceLocation) {
        expect(Object.keys(c.defaultServiceLocation).sort()).toEqual(['address', 'locationId']);
        expect(c.defaultServiceLocation.address).toEqual(expect.objectContaining({ line1: expect.any(String), city: expect.any(String), region: 'GA', postalCode: expect.any(String), country: 'US' }));
      }
      if (c.membership) expect(Object.keys(c.membership).sort()).toEqual(['nextBillingDate', 'planName', 'status']);
      expect(c.customerId).toMatch(/^cus_[0-9a-f]{6}$/);
    }
  });

  it('derives default location, membership summary and balance from the data set', async () => {
    const data = sandbox.dataset.vendors.sera;
    const { items } = await walk('/customers', 100);
    for (const c of items) {
      const firstLoc = data.locations.find((l) => l.customerId === c.customerId);
      expect(c.defaultServiceLocation?.locationId ?? null).toBe(firstLoc?.id ?? null);
      const balance = data.invoices.filter((i) => i.customerId === c.customerId).reduce((s, i) => s + toCents(i.balance), 0);
      expect(cents(c.outstandingBalance)).toBe(balance);
      const newest = data.memberships
        .filter((m) => m.customerId === c.customerId)
        .sort((a, b) => (a.from === b.from ? (a.createdAt < b.createdAt ? -1 : 1) : a.from < b.from ? -1 : 1))
        .at(-1);
      if (newest) expect(c.membership).toEqual({ status: newest.status, planName: newest.planName, nextBillingDate: newest.nextBillingDate ?? null });
      else expect(c.membership).toBeNull();
    }
    expect(items.some((c) => c.outstandingBalance > 0)).toBe(true);
    expect(items.some((c) => c.membership !== null)).toBe(true);
  });

  it('filters by status, membershipStatus and updatedFrom/To', async () => {
    const data = sandbox.dataset.vendors.sera;
    const active = await walk('/customers?status=active', 100);
    expect(active.total).toBe(data.customers.filter((c) => c.active).length);
    const inactive = await api('GET', '/customers?status=inactive');
    expect(inactive.body.total).toBe(data.customers.filter((c) => !c.active).length);

    const buckets: Record<string, number> = {};
    for (const s of ['active', 'lapsed', 'none']) {
      const res = await walk(`/customers?membershipStatus=${s}`, 100);
      buckets[s] = res.total;
      for (const c of res.items) {
        if (s === 'none') expect(c.membership === null || c.membership.status === 'cancelled').toBe(true);
        else expect(c.membership.status).toBe(s);
      }
    }
    expect(buckets.active! + buckets.lapsed! + buckets.none!).toBe(data.customers.length);
    expect(buckets.active).toBeGreaterThan(0);

    const sorted = data.customers.map((c) => c.updatedAt).sort();
    const from = sorted[Math.floor(sorted.length / 3)]!;
    const to = sorted[Math.floor((2 * sorted.length) / 3)]!;
    const window = await walk(`/customers?updatedFrom=${from}&updatedTo=${to}`, 100);
    expect(window.total).toBe(data.customers.filter((c) => c.updatedAt >= from && c.updatedAt < to).length);
    for (const c of window.items) expect(c.updatedAt >= from && c.updatedAt < to).toBe(true);

    const bad = await api('GET', '/customers?membershipStatus=gold');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('membershipStatus');
    expect((await api('GET', '/customers?updatedFrom=yesterday')).status).toBe(400);
  });

  it('gets one customer, its locations and its memberships; 404 for unknown ids', async () => {
    const data = sandbox.dataset.vendors.sera;
    const member = data.memberships[0]!;
    const one = await api('GET', `/customers/${member.customerId}`);
    expect(one.status).toBe(200);
    expect(one.body.customerId).toBe(member.customerId);
    const locs = await api('GET', `/customers/${member.customerId}/locations`);
    expect(locs.body.total).toBe(data.locations.filter((l) => l.customerId === member.customerId).length);
    expect(locs.body.items[0].customerId).toBe(member.customerId);
    const loc = await api('GET', `/locations/${locs.body.items[0].locationId}`);
    expect(loc.status).toBe(200);
    expect(Object.keys(loc.body).sort()).toEqual(['active', 'address', 'contact', 'createdAt', 'customerId', 'locationId', 'name', 'updatedAt']);
    const mems = await api('GET', `/customers/${member.customerId}/memberships`);
    expect(mems.body.items.map((m: any) => m.membershipId)).toContain(member.id);

    const missing = await api('GET', '/customers/cus_000000');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
    expect((await api('GET', '/customers/cus_000000/locations')).status).toBe(404);
    expect((await api('GET', '/locations/loc_000000')).status).toBe(404);
    const all = await walk('/locations', 100);
    expect(all.total).toBe(data.locations.length);
  });
});

describe('technicians, plans and pricebook', () => {
  it('filters technicians by skill and region', async () => {
    const techs = sandbox.dataset.vendors.sera.technicians;
    const hvac = await api('GET', '/technicians?skill=hvac&pageSize=100');
    expect(hvac.body.total).toBe(techs.filter((t) => t.skills.includes('hvac')).length);
    for (const t of hvac.body.items) expect(t.skills).toContain('hvac');
    const region = techs[0]!.region;
    const local = await api('GET', `/technicians?region=${region}&pageSize=100`);
    expect(local.body.total).toBe(techs.filter((t) => t.region === region).length);
    const both = await api('GET', `/technicians?region=${region}&skill=${techs[0]!.skills[0]}&pageSize=100`);
    expect(both.body.total).toBe(techs.filter((t) => t.region === region && t.skills.includes(techs[0]!.skills[0]!)).length);
    const one = await api('GET', `/technicians/${techs[0]!.id}`);
    expect(one.body.technicianId).toBe(techs[0]!.id);
    expect((await api('GET', '/technicians/tech_000000')).status).toBe(404);
  });

  it('lists membership plans and pricebook items, including the seed example items', async () => {
    const plans = await api('GET', '/membership-plans');
    expect(plans.body.items.map((p: any) => p.planId)).toContain('plan_hvac_comfort_monthly');
    const items = await walk('/pricebook-items', 10);
    const ids = items.items.map((i) => i.itemId);
    expect(ids).toEqual(expect.arrayContaining(['pb_thermostat_diag', 'pb_furnace_tuneup', 'pb_labor_hour']));
    expect(items.items.find((i) => i.itemId === 'pb_thermostat_diag').unitPrice).toBe(79);
  });
});

describe('work orders: reads', () => {
  it('renders seeded work orders with local appointment windows and exact totals', async () => {
    const data = sandbox.dataset.vendors.sera;
    const local = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    const parts = (iso: string) => {
      const p = Object.fromEntries(local.formatToParts(new Date(iso)).map((x) => [x.type, x.value]));
      return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}` };
    };
    const { items } = await walk('/work-orders', 100);
    const byId = new Map(items.map((w) => [w.workOrderId, w]));
    let checkedInvoice = 0;
    for (const g of data.workOrders) {
      const w = byId.get(g.id);
      expect(w, g.id).toBeDefined();
      expect(w.status).toBe(g.status);
      expect(w.customerId).toBe(g.customerId);
      expect(w.serviceLocationId).toBe(g.locationId);
      expect(w.jobType).toMatch(/^(hvac|plumbing|electrical|appliance|refrigeration)_(service|maintenance|inspection|installation)$/);
      expect(cents(w.totals.total)).toBe(toCents(g.total));
      if (g.window) {
        const start = parts(g.window.start);
        expect(w.appointment).toEqual({ date: start.date, windowStart: start.time, windowEnd: parts(g.window.end).time, timezone: 'America/New_York', technicianId: g.technicianIds[0] ?? null });
      } else {
        expect(w.appointment).toBeNull();
      }
      const inv = data.invoices.find((i) => i.workOrderId === g.id);
      if (inv) {
        checkedInvoice++;
        expect(w.invoiceId).toBe(inv.id);
        expect(cents(w.totals.subtotal)).toBe(toCents(inv.subtotal));
        expect(cents(w.totals.tax)).toBe(toCents(inv.tax));
      }
    }
    expect(checkedInvoice).toBeGreaterThan(0);
    // Summer windows are daylight time: 13:00Z is 09:00 in New York in July, 08:00 in January.
    expect(items.some((w) => w.appointment && w.appointment.windowStart === '09:00')).toBe(true);
  });

  it('filters by customerId, status, technicianId, updated and scheduled ranges', async () => {
    const data = sandbox.dataset.vendors.sera.workOrders;
    const g = data.find((w) => w.technicianIds.length > 0 && w.window)!;
    const byCustomer = await walk(`/work-orders?customerId=${g.customerId}`, 100);
    expect(byCustomer.total).toBe(data.filter((w) => w.customerId === g.customerId).length);
    const completed = await walk('/work-orders?status=completed', 100);
    for (const w of completed.items) expect(w.status).toBe('completed');
    expect(completed.total).toBe(data.filter((w) => w.status === 'completed').length);
    const byTech = await walk(`/work-orders?technicianId=${g.technicianIds[0]}`, 100);
    expect(byTech.total).toBe(data.filter((w) => w.technicianIds[0] === g.technicianIds[0]).length);
    const combined = await walk(`/work-orders?technicianId=${g.technicianIds[0]}&status=${g.status}&customerId=${g.customerId}`, 100);
    expect(combined.items.map((w) => w.workOrderId)).toContain(g.id);

    const starts = data.filter((w) => w.window).map((w) => w.window!.start).sort();
    const from = starts[Math.floor(starts.length / 4)]!;
    const to = starts[Math.floor(starts.length / 2)]!;
    const scheduled = await walk(`/work-orders?scheduledFrom=${from}&scheduledTo=${to}`, 100);
    expect(scheduled.total).toBe(data.filter((w) => w.window && w.window.start >= from && w.window.start < to).length);
    const byDate = await walk(`/work-orders?scheduledFrom=${g.window!.start.slice(0, 10)}&scheduledTo=2099-01-01`, 100);
    expect(byDate.items.map((w) => w.workOrderId)).toContain(g.id);

    const updated = data.map((w) => w.updatedAt).sort();
    const since = updated[Math.floor(updated.length * 0.8)]!;
    const recent = await walk(`/work-orders?updatedFrom=${since}`, 100);
    expect(recent.total).toBe(data.filter((w) => w.updatedAt >= since).length);

    const bad = await api('GET', '/work-orders?status=done');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('status');
    expect((await api('GET', '/work-orders/wo_000000')).status).toBe(404);
  });
});

describe('work orders: the seed examples as they stand', () => {
  it('creates the documented work order and moves it to in_progress', async () => {
    // Window of the example: 2026-02-01 08:00-12:00 America/Chicago = 14:00-18:00 UTC.
    const tech = await freeTechnician('2026-02-01T14:00:00Z', '2026-02-01T18:00:00Z');
    const { customerId, locationId } = seededCustomer();
    // Adjusted ids (they must exist): customerId cus_21a9f0, serviceLocationId loc_9a0e3b and
    // assignedTechnicianId tech_57aa12. The pricebook items are served as the seed names them.
    const created = await api('POST', '/work-orders', {
      customerId: customerId,
      serviceLocationId: locationId,
      jobType: 'hvac_service',
      priority: 'normal',
      requestedDate: '2026-02-01',
      timeWindow: { start: '08:00', end: '12:00', timezone: 'America/Chicago' },
      description: 'No heat; furnace short cycling.',
      pricebookItems: [
        { itemId: 'pb_thermostat_diag', quantity: 1, unitPrice: 79.0 },
        { itemId: 'pb_furnace_tuneup', quantity: 1, unitPrice: 189.0 },
      ],
      assignedTechnicianId: tech,
      source: 'web_booking',
      notes: 'Gate code 1234. Pets on site.',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(Object.keys(created.body).sort()).toEqual(['appointment', 'createdAt', 'status', 'workOrderId']);
    expect(created.body.workOrderId).toMatch(/^wo_[0-9a-f]{6}$/);
    expect(created.body.status).toBe('scheduled');
    expect(created.body.appointment).toEqual({ date: '2026-02-01', windowStart: '08:00', windowEnd: '12:00', timezone: 'America/Chicago', technicianId: tech });
    expect(created.body.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    const id = created.body.workOrderId as string;

    const read = await api('GET', `/work-orders/${id}`);
    expect(read.body.totals).toEqual({ subtotal: 268, tax: 0, total: 268 });
    expect(read.body.pricebookItems.map((p: any) => [p.itemId, p.quantity, p.unitPrice])).toEqual([
      ['pb_thermostat_diag', 1, 79],
      ['pb_furnace_tuneup', 1, 189],
    ]);
    expect(read.body.source).toBe('web_booking');
    expect(read.body.notes).toBe('Gate code 1234. Pets on site.');
    const scheduled = await api('GET', '/work-orders?scheduledFrom=2026-02-01T14:00:00Z&scheduledTo=2026-02-01T14:00:01Z&pageSize=100');
    expect(scheduled.body.items.map((w: any) => w.workOrderId)).toContain(id);

    // Adjusted: the work order id (wo_6f8c9d) and assignedTechnicianId (tech_57aa12).
    const patched = await api('PATCH', `/work-orders/${id}/status`, {
      status: 'in_progress',
      assignedTechnicianId: tech,
      startedAt: '2026-02-01T09:07:00-06:00',
      arrivalNotes: 'Diagnosing thermostat and furnace control board.',
      attachments: [{ fileName: 'furnace_panel.jpg', uploadToken: 'upl_f2c310' }],
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(Object.keys(patched.body).sort()).toEqual(['startedAt', 'status', 'updatedAt', 'workOrderId']);
    expect(patched.body).toEqual(expect.objectContaining({ workOrderId: id, status: 'in_progress', startedAt: '2026-02-01T15:07:00Z' }));
    const after = await api('GET', `/work-orders/${id}`);
    expect(after.body.arrivalNotes).toBe('Diagnosing thermostat and furnace control board.');
    expect(after.body.attachments).toEqual([{ fileName: 'furnace_panel.jpg', uploadToken: 'upl_f2c310' }]);
  });

  it('creates the documented membership; the payment token never comes back', async () => {
    const data = sandbox.dataset.vendors.sera;
    const { customerId } = seededCustomer((id) => !data.memberships.some((m) => m.customerId === id));
    // Adjusted: customerId cus_21a9f0 (the body is the seed's, unchanged).
    const body = {
      planId: 'plan_hvac_comfort_monthly',
      startDate: '2026-02-15',
      billingCadence: 'monthly',
      autopay: true,
      paymentMethodToken: 'pm_tok_8f9ca1',
      includedVisits: 2,
      introPrice: 19.0,
    };
    const created = await api('POST', `/customers/${customerId}/memberships`, body);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(Object.keys(created.body).sort()).toEqual(['createdAt', 'membershipId', 'nextBillingDate', 'planId', 'status']);
    expect(created.body).toEqual(expect.objectContaining({ status: 'active', planId: 'plan_hvac_comfort_monthly', nextBillingDate: '2026-03-15' }));
    expect(created.body.membershipId).toMatch(/^mbr_[0-9a-f]{6}$/);
    const id = created.body.membershipId as string;

    const read = await api('GET', `/memberships/${id}`);
    expect(read.body).toEqual(
      expect.objectContaining({ customerId, autopay: true, includedVisits: 2, introPrice: 19, price: 19, startDate: '2026-02-15', billingCadence: 'monthly' }),
    );
    expect(read.body.paymentMethod.fingerprint).toMatch(/^fp_[0-9a-f]+$/);
    const customer = await api('GET', `/customers/${customerId}`);
    expect(customer.body.membership).toEqual({ status: 'active', planName: 'HVAC Comfort Plan', nextBillingDate: '2026-03-15' });
    const lists = [await api('GET', `/customers/${customerId}/memberships`), await api('GET', `/memberships?customerId=${customerId}`), read, created, customer];
    for (const res of lists) expect(JSON.stringify(res.body)).not.toContain('pm_tok_8f9ca1');

    // Renewing the same plan updates the membership in place.
    const renewed = await api('POST', `/customers/${customerId}/memberships`, { ...body, startDate: '2026-03-15', paymentMethodToken: 'pm_tok_other' });
    expect(renewed.status).toBe(200);
    expect(renewed.body.membershipId).toBe(id);
    expect(renewed.body.nextBillingDate).toBe('2026-04-15');
    const again = await api('GET', `/memberships/${id}`);
    expect(again.body.paymentMethod.fingerprint).not.toBe(read.body.paymentMethod.fingerprint);
  });
});

describe('work orders: writes', () => {
  it('creates new work orders without a booked window or technician', async () => {
    const { customerId, locationId } = seededCustomer();
    const bare = await api('POST', '/work-orders', { customerId, serviceLocationId: locationId, jobType: 'electrical_inspection', description: 'Panel check.' });
    expect(bare.status).toBe(201);
    expect(bare.body.status).toBe('new');
    expect(bare.body.appointment).toBeNull();
    const read = await api('GET', `/work-orders/${bare.body.workOrderId}`);
    expect(read.body.priority).toBe('normal');
    expect(read.body.totals).toEqual({ subtotal: 0, tax: 0, total: 0 });

    const windowOnly = await api('POST', '/work-orders', { customerId, serviceLocationId: locationId, jobType: 'hvac_service', description: 'AC check.', ...freshWindow() });
    expect(windowOnly.status).toBe(201);
    expect(windowOnly.body.status).toBe('new');
    expect(windowOnly.body.appointment.technicianId).toBeNull();
  });

  it('prices parts with tax and overrides, exactly', async () => {
    const id = await createScheduled({ pricebookItems: [{ itemId: 'pb_labor_hour', quantity: 1.5 }, { itemId: 'pb_wh_tp_valve', quantity: 3 }, { itemId: 'pb_service_call', quantity: 1, unitPrice: 0.1 }] });
    const read = await api('GET', `/work-orders/${id}`);
    // 1.5 h x 85.00 = 127.50; 3 x 22.80 = 68.40 (taxed 8 %: 5.47); 0.10.
    expect(read.body.totals).toEqual({ subtotal: 196, tax: 5.47, total: 201.47 });
  });

  it('refuses invalid bodies with field errors', async () => {
    const { customerId, locationId } = seededCustomer();
    const valid = { customerId, serviceLocationId: locationId, jobType: 'hvac_service', description: 'x' };
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...valid, customerId: undefined }, 'customerId'],
      [{ ...valid, jobType: 'hvac_magic' }, 'jobType'],
      [{ ...valid, priority: 'asap' }, 'priority'],
      [{ ...valid, description: '  ' }, 'description'],
      [{ ...valid, requestedDate: '2026-02-30', timeWindow: { start: '08:00', end: '12:00', timezone: 'America/Chicago' } }, 'requestedDate'],
      [{ ...valid, requestedDate: '2026-02-01', timeWindow: { start: '12:00', end: '08:00', timezone: 'America/Chicago' } }, 'timeWindow.end'],
      [{ ...valid, requestedDate: '2026-02-01', timeWindow: { start: '8am', end: '12:00', timezone: 'America/Chicago' } }, 'timeWindow.start'],
      [{ ...valid, requestedDate: '2026-02-01', timeWindow: { start: '08:00', end: '12:00', timezone: 'Central' } }, 'timeWindow.timezone'],
      [{ ...valid, timeWindow: { start: '08:00', end: '12:00', timezone: 'America/Chicago' } }, 'requestedDate'],
      [{ ...valid, pricebookItems: [{ itemId: 'pb_labor_hour', quantity: 0 }] }, 'pricebookItems.0.quantity'],
      [{ ...valid, pricebookItems: [{ itemId: 'pb_labor_hour', quantity: 1, unitPrice: 1.005 }] }, 'pricebookItems.0.unitPrice'],
    ];
    for (const [body, field] of cases) {
      const res = await api('POST', '/work-orders', body);
      expect(res.status, field).toBe(400);
      expect(res.body.error.code).toBe('validation_error');
      expect(res.body.error.details.map((d: any) => d.field), field).toContain(field);
    }
    const notJson = await call('POST', `${base}/work-orders`, { headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } });
    expect(notJson.status).toBe(400);
  });

  it('refuses references that do not exist with 422', async () => {
    const data = sandbox.dataset.vendors.sera;
    const { customerId, locationId } = seededCustomer();
    const otherLocation = data.locations.find((l) => l.customerId !== customerId)!.id;
    const valid = { customerId, serviceLocationId: locationId, jobType: 'hvac_service', description: 'x' };
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...valid, customerId: 'cus_000000' }, 'customerId'],
      [{ ...valid, serviceLocationId: 'loc_000000' }, 'serviceLocationId'],
      [{ ...valid, serviceLocationId: otherLocation }, 'serviceLocationId'],
      [{ ...valid, pricebookItems: [{ itemId: 'pb_labor_hour', quantity: 1 }, { itemId: 'pb_nope', quantity: 1 }] }, 'pricebookItems.1.itemId'],
      [{ ...valid, assignedTechnicianId: 'tech_000000' }, 'assignedTechnicianId'],
    ];
    for (const [body, field] of cases) {
      const res = await api('POST', '/work-orders', body);
      expect(res.status, field).toBe(422);
      expect(res.body.error.code).toBe('unprocessable');
      expect(res.body.error.details.map((d: any) => d.field)).toContain(field);
    }
  });

  it('refuses to double-book a technician (409)', async () => {
    const { customerId, locationId } = seededCustomer();
    const tech = sandbox.dataset.vendors.sera.technicians[1]!.id;
    const w = freshWindow();
    const body = { customerId, serviceLocationId: locationId, jobType: 'hvac_service', description: 'x', assignedTechnicianId: tech, ...w };
    expect((await api('POST', '/work-orders', body)).status).toBe(201);
    const overlap = await api('POST', '/work-orders', { ...body, timeWindow: { ...w.timeWindow, start: '11:00', end: '13:00' } });
    expect(overlap.status).toBe(409);
    expect(overlap.body.error.code).toBe('conflict');
    const after = await api('POST', '/work-orders', { ...body, timeWindow: { ...w.timeWindow, start: '12:00', end: '14:00' } });
    expect(after.status).toBe(201);
  });
});

describe('work orders: lifecycle', () => {
  const patch = (id: string, body: Record<string, unknown>) => api('PATCH', `/work-orders/${id}/status`, body);

  it('runs scheduled -> dispatched -> in_progress -> completed and invoices the job', async () => {
    const id = await createScheduled();
    const customerId = (await api('GET', `/work-orders/${id}`)).body.customerId as string;
    const before = (await api('GET', `/customers/${customerId}`)).body.outstandingBalance as number;

    expect((await patch(id, { status: 'dispatched' })).body.status).toBe('dispatched');
    const started = await patch(id, { status: 'in_progress' });
    expect(started.body.startedAt).toMatch(/Z$/);
    const done = await patch(id, { status: 'completed', completedAt: '2099-01-01T10:00:00+02:00' });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(Object.keys(done.body).sort()).toEqual(['completedAt', 'startedAt', 'status', 'updatedAt', 'workOrderId']);
    expect(done.body.completedAt).toBe('2099-01-01T08:00:00Z');

    const wo = (await api('GET', `/work-orders/${id}`)).body;
    const invoices = await api('GET', `/invoices?workOrderId=${id}`);
    expect(invoices.body.total).toBe(1);
    const inv = invoices.body.items[0];
    expect(wo.invoiceId).toBe(inv.invoiceId);
    expect(inv).toEqual(expect.objectContaining({ status: 'open', customerId, subtotal: wo.totals.subtotal, tax: wo.totals.tax, total: wo.totals.total, balance: wo.totals.total }));
    expect(inv.lineItems.map((l: any) => l.itemId)).toEqual(wo.pricebookItems.map((p: any) => p.itemId));
    expect(inv.number).toMatch(/^S-\d+$/);
    expect((await api('GET', `/invoices/${inv.invoiceId}`)).body).toEqual(inv);
    const afterBalance = (await api('GET', `/customers/${customerId}`)).body.outstandingBalance as number;
    expect(cents(afterBalance) - cents(before)).toBe(cents(inv.total));

    const again = await patch(id, { status: 'completed' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('conflict');
    expect((await patch(id, { status: 'cancelled' })).status).toBe(409);
  });

  it('refuses illegal moves with 409 and incomplete ones with 400', async () => {
    const { customerId, locationId } = seededCustomer();
    const fresh = (await api('POST', '/work-orders', { customerId, serviceLocationId: locationId, jobType: 'hvac_service', description: 'x' })).body.workOrderId as string;
    for (const status of ['dispatched', 'in_progress', 'completed', 'on_hold', 'new']) {
      const res = await patch(fresh, { status });
      expect(res.status, status).toBe(409);
      expect(res.body.error.code).toBe('conflict');
    }
    const noWindow = await patch(fresh, { status: 'scheduled', assignedTechnicianId: sandbox.dataset.vendors.sera.technicians[2]!.id });
    expect(noWindow.status).toBe(400);
    expect(noWindow.body.error.details.map((d: any) => d.field)).toContain('timeWindow');
    const noTech = await patch(fresh, { status: 'scheduled', ...freshWindow() });
    expect(noTech.status).toBe(400);
    expect(noTech.body.error.details.map((d: any) => d.field)).toContain('assignedTechnicianId');
    const scheduled = await patch(fresh, { status: 'scheduled', assignedTechnicianId: sandbox.dataset.vendors.sera.technicians[2]!.id, ...freshWindow() });
    expect(scheduled.status, JSON.stringify(scheduled.body)).toBe(200);
    expect(scheduled.body.startedAt).toBeNull();
    expect((await patch(fresh, { status: 'completed' })).status).toBe(409);
    expect((await patch(fresh, { status: 'dispatched', startedAt: '2026-02-01T09:07:00-06:00' })).status).toBe(400);

    const seededDone = sandbox.dataset.vendors.sera.workOrders.find((w) => w.status === 'completed')!;
    expect((await patch(seededDone.id, { status: 'in_progress' })).status).toBe(409);
    const seededCancelled = sandbox.dataset.vendors.sera.workOrders.find((w) => w.status === 'cancelled');
    if (seededCancelled) expect((await patch(seededCancelled.id, { status: 'scheduled' })).status).toBe(409);

    expect((await patch('wo_000000', { status: 'cancelled' })).status).toBe(404);
    const badStatus = await patch(fresh, { status: 'finished' });
    expect(badStatus.status).toBe(400);
    expect(badStatus.body.error.details[0].field).toBe('status');
  });

  it('holds and resumes, and cancels from anything but completed', async () => {
    const id = await createScheduled();
    expect((await patch(id, { status: 'in_progress', startedAt: '2027-01-01T09:00:00-05:00' })).status).toBe(200);
    expect((await patch(id, { status: 'on_hold' })).body.status).toBe('on_hold');
    const resumed = await patch(id, { status: 'in_progress' });
    expect(resumed.body).toEqual(expect.objectContaining({ status: 'in_progress', startedAt: '2027-01-01T14:00:00Z' }));
    expect((await patch(id, { status: 'cancelled' })).body.status).toBe('cancelled');
    expect((await patch(id, { status: 'in_progress' })).status).toBe(409);

    const { customerId, locationId } = seededCustomer();
    const fresh = (await api('POST', '/work-orders', { customerId, serviceLocationId: locationId, jobType: 'hvac_service', description: 'x' })).body.workOrderId as string;
    expect((await patch(fresh, { status: 'cancelled' })).body.status).toBe('cancelled');
    const list = await walk('/work-orders?status=cancelled', 100);
    expect(list.items.map((w) => w.workOrderId)).toContain(fresh);
  });

  it('completes a job in the field through the sandbox action', async () => {
    const id = await createScheduled();
    const res = await call('POST', `${sandbox.origin}/_sandbox/actions/sera/complete`, { json: { id } });
    expect(res.status).toBe(200);
    expect(res.body.workOrder.status).toBe('completed');
    expect(res.body.workOrder.invoiceId).toBe(res.body.invoice.invoiceId);
    expect(res.body.invoice.total).toBe(res.body.workOrder.totals.total);
    expect((await api('GET', `/work-orders/${id}`)).body.status).toBe('completed');
    const again = await call('POST', `${sandbox.origin}/_sandbox/actions/sera/complete`, { json: { id } });
    expect(again.status).toBe(409);
    expect((await call('POST', `${sandbox.origin}/_sandbox/actions/sera/complete`, { json: { id: 'wo_000000' } })).status).toBe(404);
    expect((await call('POST', `${sandbox.origin}/_sandbox/actions/sera/complete`, { json: {} })).status).toBe(400);
  });
});

describe('memberships and invoices', () => {
  it('refuses invalid membership requests in the vendor error shape', async () => {
    const { customerId } = seededCustomer();
    const post = (body: Record<string, unknown>, id = customerId) => api('POST', `/customers/${id}/memberships`, body);
    const noToken = await post({ planId: 'plan_whole_home', startDate: '2026-02-15', autopay: true });
    expect(noToken.status).toBe(400);
    expect(noToken.body.error.details.map((d: any) => d.field)).toContain('paymentMethodToken');
    const noPlan = await post({ startDate: '2026-02-15' });
    expect(noPlan.status).toBe(400);
    expect(noPlan.body.error.details.map((d: any) => d.field)).toContain('planId');
    const badDate = await post({ planId: 'plan_whole_home', startDate: '15/02/2026' });
    expect(badDate.status).toBe(400);
    const cadence = await post({ planId: 'plan_whole_home', billingCadence: 'annual' });
    expect(cadence.status).toBe(400);
    expect(cadence.body.error.details[0].field).toBe('billingCadence');
    const unknownPlan = await post({ planId: 'plan_gold' });
    expect(unknownPlan.status).toBe(422);
    expect(unknownPlan.body.error.code).toBe('unprocessable');
    const unknownCustomer = await post({ planId: 'plan_whole_home' }, 'cus_000000');
    expect(unknownCustomer.status).toBe(404);
  });

  it('computes nextBillingDate per cadence, clamped to month end', async () => {
    const { customerId } = seededCustomer((id) => id !== seededCustomer().customerId);
    const annual = await api('POST', `/customers/${customerId}/memberships`, { planId: 'plan_hvac_comfort_annual', startDate: '2028-02-29' });
    expect(annual.status).toBe(201);
    expect(annual.body.nextBillingDate).toBe('2029-02-28');
    const monthly = await api('POST', `/customers/${customerId}/memberships`, { planId: 'plan_whole_home', startDate: '2027-01-31', autopay: false });
    expect(monthly.body.nextBillingDate).toBe('2027-02-28');
    expect((await api('GET', `/memberships/${monthly.body.membershipId}`)).body.paymentMethod).toBeNull();
  });

  it('filters memberships and invoices', async () => {
    const data = sandbox.dataset.vendors.sera;
    const lapsed = await walk('/memberships?status=lapsed', 100);
    for (const m of lapsed.items) expect(m.status).toBe('lapsed');
    expect(lapsed.total).toBe(data.memberships.filter((m) => m.status === 'lapsed').length);
    const m0 = data.memberships[0]!;
    const mine = await api('GET', `/memberships?customerId=${m0.customerId}&pageSize=100`);
    for (const m of mine.body.items) expect(m.customerId).toBe(m0.customerId);
    expect((await api('GET', '/memberships?status=expired')).status).toBe(400);
    expect((await api('GET', '/memberships/mbr_000000')).status).toBe(404);

    const inv = data.invoices[0]!;
    const byCustomer = await api('GET', `/invoices?customerId=${inv.customerId}&pageSize=100`);
    expect(byCustomer.body.items.map((i: any) => i.invoiceId)).toContain(inv.id);
    for (const i of byCustomer.body.items) expect(i.customerId).toBe(inv.customerId);
    const paid = await walk('/invoices?status=paid', 100);
    expect(paid.total).toBe(data.invoices.filter((i) => i.status === 'paid').length);
    for (const i of paid.items) expect(i.balance).toBe(0);
    const since = data.invoices.map((i) => i.updatedAt).sort()[Math.floor(data.invoices.length / 2)]!;
    const recent = await walk(`/invoices?updatedTo=${since}`, 100);
    expect(recent.total).toBe(data.invoices.filter((i) => i.updatedAt < since).length);
    const one = await api('GET', `/invoices/${inv.id}`);
    expect(cents(one.body.total)).toBe(toCents(inv.total));
    expect(cents(one.body.balance)).toBe(toCents(inv.balance));
    expect(one.body.lineItems.length).toBe(inv.items.length);
    expect((await api('GET', '/invoices/inv_000000')).status).toBe(404);
  });
});

describe('reset', () => {
  it('throws away writes and reloads the data set', async () => {
    const id = await createScheduled();
    expect((await api('GET', `/work-orders/${id}`)).status).toBe(200);
    const res = await call('POST', `${sandbox.origin}/_sandbox/reset`, { json: { data: true } });
    expect(res.status).toBe(200);
    expect((await api('GET', `/work-orders/${id}`)).status).toBe(404);
    const all = await api('GET', '/work-orders?pageSize=1');
    expect(all.body.total).toBe(sandbox.dataset.vendors.sera.workOrders.length);
  });
});
