/**
 * The Sera connector over real HTTP against the Sera simulator: the shared conformance suite with
 * Sera's writes, then what the suite does not cover: the embedded appointment and what reading it
 * costs, the external reference stamp, the single-flight session at expiry, the write-only payment
 * token, the compound re-dispatch and its compensation, error classification, bounded
 * concurrency and local windows in the business's time zone.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resetSharedClientState } from '../../connectors/core/http-client.js';
import type { Sandbox } from '../../connectors/sandbox/server.js';
import { connectionFromSandbox, createSeraConnector } from '../../connectors/sera/index.js';
import { createSeraSimulator } from '../../connectors/sera/sandbox.js';
import { ConnectorError, type ConnectorOptions, type FieldServiceConnector } from '../../connectors/types.js';
import type { Dataset } from '../../connectors/sandbox/dataset/types.js';
import type { RecordRef } from '../../src/model/index.js';
import { call, mfaCode, startTestSandbox } from '../helpers/sandbox.js';
import { runConformance, type ConnectOptions } from './connector-conformance.js';

/**
 * The sandbox enforces no rate limit for Sera, so tests lift the connector's modest default
 * (10 calls/s + 10) to keep the suite fast; production connections keep the default.
 */
const SANDBOX_RATE_LIMIT = { perSecond: 1000, burst: 200 };

function connect(sandbox: Sandbox, options: ConnectOptions & Partial<ConnectorOptions> = {}): FieldServiceConnector {
  const info = sandbox.simulators.sera!.info(sandbox.origin);
  return createSeraConnector({ ...connectionFromSandbox(info), rateLimit: SANDBOX_RATE_LIMIT }, options);
}

const sera = (id: string): RecordRef => ({ system: 'sera', id });

/** A fresh day per call, after every seeded appointment, so bookings never clash. */
let dayCounter = 0;
function freshDay(): string {
  dayCounter++;
  return new Date(Date.UTC(2027, 5, 1) + dayCounter * 86_400_000).toISOString().slice(0, 10);
}

/** 09:00-13:00 New York time (EDT in summer) on `day`, in UTC. */
function morning(day: string): { start: string; end: string } {
  return { start: `${day}T13:00:00Z`, end: `${day}T17:00:00Z` };
}

let writeCounter = 0;
/** A new work order for the n-th seeded customer; scheduled with a technician unless `bare`. */
async function newWorkOrder(c: FieldServiceConnector, ds: Dataset, bare = false) {
  writeCounter++;
  const data = ds.vendors.sera;
  const customer = data.customers[writeCounter % data.customers.length]!;
  const technician = data.technicians[writeCounter % data.technicians.length]!;
  return c.createWorkOrder!({
    externalReference: `fg-test-${writeCounter}`,
    customer: { ref: sera(customer.id) },
    serviceType: 'hvac_service',
    summary: 'No heat; furnace short cycling.',
    priority: 'NORMAL',
    ...(bare ? {} : { window: morning(freshDay()), technicianRefs: [sera(technician.id)] }),
    parts: [{ partNumber: 'pb_thermostat_diag', quantity: 1, unitPrice: '79.00' }],
    notes: 'Gate code 1234. Pets on site.',
  });
}

let enrolCounter = 0;
/** The next seeded customer without any membership. */
function customerWithoutMembership(ds: Dataset): string {
  const data = ds.vendors.sera;
  const members = new Set(data.memberships.map((m) => m.customerId));
  const free = data.customers.filter((c) => !members.has(c.id));
  return free[enrolCounter++ % free.length]!.id;
}

const STATUS_ENDPOINT = '^PATCH /work-orders/\\{workOrderId\\}/status$';

runConformance({
  vendor: 'sera',
  connect: (sandbox, options) => connect(sandbox, options),
  authEndpoints: /\/sessions/,
  // Sera serves no appointment ids: the connector addresses an appointment by its work order.
  recordId: { appointment: (a: { workOrderId: string }) => a.workOrderId },
  writes: {
    createWorkOrder: {
      kind: 'workOrder',
      endpoint: '^POST /work-orders$',
      run: async (c, ds) => (await newWorkOrder(c, ds)).ref,
    },
    dispatch: {
      kind: 'workOrder',
      endpoint: STATUS_ENDPOINT,
      run: async (c, ds) => {
        const wo = await newWorkOrder(c, ds, true);
        const technician = ds.vendors.sera.technicians[0]!;
        const r = await c.dispatch!({ workOrderRef: wo.ref, technicianRefs: [sera(technician.id)], window: morning(freshDay()) });
        expect(r.workOrder?.status).toBe('SCHEDULED');
        return r.workOrder!.ref;
      },
    },
    updateStatus: {
      kind: 'workOrder',
      endpoint: STATUS_ENDPOINT,
      run: async (c, ds) => {
        const wo = await newWorkOrder(c, ds);
        const done = await c.updateStatus!({ workOrderRef: wo.ref, status: 'DISPATCHED' });
        expect(done.status).toBe('DISPATCHED');
        return done.ref;
      },
    },
    enrollMembership: {
      kind: 'membership',
      endpoint: '^POST /customers/\\{customerId\\}/memberships$',
      run: async (c, ds) => {
        const m = await c.enrollMembership!({
          externalReference: `fg-mbr-${enrolCounter}`,
          customerRef: sera(customerWithoutMembership(ds)),
          planId: 'plan_hvac_comfort_monthly',
          startDate: '2026-02-15',
          billingCadence: 'MONTHLY',
          autopay: true,
          paymentMethodToken: 'pm_tok_8f9ca1',
          includedVisits: 2,
        });
        expect(m.nextBillingDate).toBe('2026-03-15');
        return m.ref;
      },
    },
  },
});

describe('sera connector specifics', () => {
  let sandbox: Sandbox;
  let connector: FieldServiceConnector;
  let token: string;

  /** Calls per endpoint since the last stats reset; sign-ins left out unless `withSessions`. */
  const endpointCalls = (withSessions = false): Record<string, number> =>
    Object.fromEntries(
      Object.entries(sandbox.stats.snapshot().vendors.sera?.endpoints ?? {})
        .filter(([k]) => withSessions || !k.includes('/sessions'))
        .map(([k, v]) => [k, v.count]),
    );
  const apiCalls = (): number => Object.values(endpointCalls()).reduce((s, n) => s + n, 0);
  const statusCount = (status: number): number =>
    Object.values(sandbox.stats.snapshot().vendors.sera?.endpoints ?? {}).reduce((s, e) => s + (e.statuses[String(status)] ?? 0), 0);
  const raw = async (method: string, p: string, json?: unknown) => {
    const info = sandbox.simulators.sera!.info(sandbox.origin);
    return call(method, `${info.baseUrl}${p}`, { headers: { authorization: `Bearer ${token}` }, ...(json !== undefined ? { json } : {}) });
  };

  beforeAll(async () => {
    sandbox = await startTestSandbox({ simulators: { sera: createSeraSimulator } });
    const info = sandbox.simulators.sera!.info(sandbox.origin);
    const auth = info.auth as { clientId: string; clientSecret: string; username: string; password: string };
    const res = await call('POST', `${info.baseUrl}/sessions`, {
      headers: { authorization: `Basic ${Buffer.from(`${auth.clientId}:${auth.clientSecret}`).toString('base64')}` },
      json: { username: auth.username, password: auth.password, mfa: { type: 'totp', code: mfaCode(sandbox) } },
    });
    token = res.body.authToken as string;
  });
  afterAll(() => sandbox.close());
  beforeEach(() => {
    resetSharedClientState();
    sandbox.setFaults({ sera: { tokenTtlSeconds: null, dropRate: 0, only: null } });
    connector = connect(sandbox);
    sandbox.stats.reset();
  });

  it('embeds the appointment in the work order, addressed by the work order id, in UTC', async () => {
    const data = sandbox.dataset.vendors.sera;
    const appts = data.appointments.slice(0, 12);
    const ids = appts.map((a) => a.workOrderId);
    const got = await connector.children('appointment', 'workOrder', ids);
    // The work orders themselves and nothing else: no appointment endpoint exists.
    expect(endpointCalls()).toEqual({ 'GET /work-orders/{workOrderId}': ids.length });
    for (const a of appts) {
      const [m] = got.get(a.workOrderId)!;
      expect(m).toMatchObject({
        ref: sera(a.workOrderId),
        workOrderRef: sera(a.workOrderId),
        window: { start: a.start, end: a.end },
        technicianRefs: a.technicianIds.map(sera),
      });
    }
    // A work order read carries the same appointment in `embedded`, so loaders can prime from it.
    const [wo] = await connector.get('workOrder', [ids[0]!]);
    expect(wo?.embedded?.appointments).toEqual(got.get(ids[0]!));
    expect(wo?.window).toEqual(got.get(ids[0]!)![0]!.window);
  });

  it('gives a work order without a window no appointment', async () => {
    const data = sandbox.dataset.vendors.sera;
    const bare = data.workOrders.find((w) => !w.window)!;
    const got = await connector.children('appointment', 'workOrder', [bare.id, 'wo_ffffff9']);
    expect(got.get(bare.id)).toEqual([]);
    expect(got.get('wo_ffffff9')).toEqual([]);
    expect(await connector.get('appointment', [bare.id])).toEqual([null]);
  });

  it('stamps the external reference in `source`, books the window in local time and reads both back', async () => {
    const data = sandbox.dataset.vendors.sera;
    const customer = data.customers[3]!;
    const location = data.locations.find((l) => l.customerId === customer.id)!;
    // 2027-03-14 is the spring-forward Sunday: 13:00Z-17:00Z is 09:00-13:00 EDT.
    const window = { start: '2027-03-14T13:00:00Z', end: '2027-03-14T17:00:00Z' };
    const wo = await connector.createWorkOrder!({
      externalReference: 'fg-ref-stamp-1',
      customer: { ref: sera(customer.id) },
      location: { ref: sera(location.id) },
      serviceType: 'repair',
      vendorSettings: { trade: 'plumbing' },
      summary: 'Leaking water heater.',
      priority: 'URGENT',
      window,
      technicianRefs: [sera(data.technicians[2]!.id)],
      parts: [{ partNumber: 'pb_labor_hour', quantity: 1.5 }],
      notes: 'Side door.',
    });
    expect(wo).toMatchObject({
      status: 'SCHEDULED',
      priority: 'URGENT',
      serviceType: 'plumbing_service',
      externalReference: 'fg-ref-stamp-1',
      window,
      parts: [{ partNumber: 'pb_labor_hour', quantity: '1.50', unitPrice: { amount: '85.00', currency: 'USD' } }],
      total: { amount: '127.50', currency: 'USD' },
    });
    const back = await raw('GET', `/work-orders/${wo.ref.id}`);
    expect(back.body).toMatchObject({
      source: 'fieldgraph:fg-ref-stamp-1',
      notes: 'Side door.',
      priority: 'emergency',
      requestedDate: '2027-03-14',
      appointment: { date: '2027-03-14', windowStart: '09:00', windowEnd: '13:00', timezone: 'America/New_York' },
    });
  });

  it('finds a created work order by its stamp when the answer is lost, without a second record', async () => {
    const customer = sandbox.dataset.vendors.sera.customers[5]!;
    const before = (await connector.children('workOrder', 'customer', [customer.id])).get(customer.id)!.length;
    sandbox.setFaults({ sera: { dropRate: 1, only: '^POST /work-orders$' } });
    const wo = await connector.createWorkOrder!({
      externalReference: 'fg-ref-dropped-1',
      customer: { ref: sera(customer.id) },
      serviceType: 'hvac_maintenance',
      summary: 'Spring tune-up.',
      priority: 'LOW',
    });
    sandbox.setFaults({ sera: { dropRate: 0, only: null } });
    expect(wo.externalReference).toBe('fg-ref-dropped-1');
    expect(endpointCalls()['POST /work-orders']).toBe(1);
    const after = (await connector.children('workOrder', 'customer', [customer.id])).get(customer.id)!;
    expect(after.length).toBe(before + 1);
    expect(after.filter((w) => w.externalReference === 'fg-ref-dropped-1').map((w) => w.ref.id)).toEqual([wo.ref.id]);
  });

  it('refuses what Sera cannot hold before calling it', async () => {
    const data = sandbox.dataset.vendors.sera;
    const err = await connector.createWorkOrder!({
      externalReference: 'fg-refused-1',
      customer: { ref: sera(data.customers[0]!.id) },
      location: { ref: sera(data.locations.find((l) => l.customerId === data.customers[0]!.id)!.id) },
      serviceType: 'hvac_service',
      summary: 'Over midnight.',
      priority: 'NORMAL',
      // 22:00-02:00 New York: not one local day.
      window: { start: '2027-07-01T02:00:00Z', end: '2027-07-01T06:00:00Z' },
      technicianRefs: [sera(data.technicians[0]!.id), sera(data.technicians[1]!.id)],
      equipment: { model: 'SL280V' },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectorError);
    expect((err as ConnectorError).kind).toBe('invalid_request');
    expect((err as ConnectorError).fieldErrors.map((f) => f.field).sort()).toEqual(['equipment', 'technicianRefs', 'window']);
    const noCustomer = await connector.createWorkOrder!({
      externalReference: 'fg-refused-2',
      customer: { new: { name: 'New Person', address: { line1: '1 Main St', city: 'Atlanta', region: 'GA', postalCode: '30301', country: 'US' } } },
      serviceType: 'hvac_service',
      summary: 'x',
      priority: 'NORMAL',
    }).catch((e: unknown) => e);
    expect((noCustomer as ConnectorError).fieldErrors[0]?.field).toBe('customer');
    expect(apiCalls()).toBe(0);
  });

  it("classifies Sera's errors and names the command's fields", async () => {
    const data = sandbox.dataset.vendors.sera;
    const err = await connector.createWorkOrder!({
      externalReference: 'fg-unknown-item',
      customer: { ref: sera(data.customers[1]!.id) },
      location: { ref: sera(data.locations.find((l) => l.customerId === data.customers[1]!.id)!.id) },
      serviceType: 'hvac_service',
      summary: 'Unknown part.',
      priority: 'NORMAL',
      parts: [{ partNumber: 'pb_thermostat_diag', quantity: 1 }, { partNumber: 'NOT-A-PART', quantity: 2 }],
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectorError);
    expect(err).toMatchObject({ kind: 'invalid_request', vendor: 'sera', operation: 'workOrders.create', status: 422, vendorCode: 'unprocessable' });
    expect((err as ConnectorError).fieldErrors).toEqual([{ field: 'parts.1.partNumber', message: 'pricebookItems.1.itemId: Unknown pricebook item.' }]);

    const completed = data.workOrders.find((w) => w.status === 'completed')!;
    const conflict = await connector.updateStatus!({ workOrderRef: sera(completed.id), status: 'IN_PROGRESS' }).catch((e: unknown) => e);
    expect(conflict).toMatchObject({ kind: 'conflict', status: 409, vendorCode: 'conflict' });
    expect((conflict as ConnectorError).fieldErrors[0]?.field).toBe('status');
    expect((conflict as ConnectorError).message).not.toMatch(/https?:|Bearer|eyJ/);

    const missing = await connector.updateStatus!({ workOrderRef: sera('wo_ffffff9'), status: 'CANCELLED' }).catch((e: unknown) => e);
    expect(missing).toMatchObject({ kind: 'not_found', status: 404 });
  });

  it('moves a work order through its lifecycle with arrival and completion times in UTC', async () => {
    const wo = await newWorkOrder(connector, sandbox.dataset);
    const started = await connector.updateStatus!({ workOrderRef: wo.ref, status: 'IN_PROGRESS', at: '2027-06-20T09:07:00-06:00', note: 'Diagnosing.' });
    expect(started.status).toBe('IN_PROGRESS');
    const back = await raw('GET', `/work-orders/${wo.ref.id}`);
    expect(back.body).toMatchObject({ startedAt: '2027-06-20T15:07:00Z', arrivalNotes: 'Diagnosing.' });
    const done = await connector.updateStatus!({ workOrderRef: wo.ref, status: 'COMPLETED', at: '2027-06-20T17:30:00Z' });
    expect(done).toMatchObject({ status: 'COMPLETED', completedAt: '2027-06-20T17:30:00Z' });
    // Completing invoices the work order: the invoice is its child.
    const invoices = (await connector.children('invoice', 'workOrder', [wo.ref.id])).get(wo.ref.id)!;
    expect(invoices).toHaveLength(1);
    expect(invoices[0]).toMatchObject({ workOrderRef: wo.ref, status: 'OPEN', total: done.total });
  });

  it('re-dispatches a dispatched job: technician only in its window, two steps to a new window', async () => {
    const data = sandbox.dataset.vendors.sera;
    const [t1, t2, t3] = [data.technicians[6]!, data.technicians[7]!, data.technicians[8]!];
    const a = await newWorkOrder(connector, sandbox.dataset, true);
    const day = freshDay();
    await connector.dispatch!({ workOrderRef: a.ref, technicianRefs: [sera(t1.id)], window: morning(day) });
    await connector.updateStatus!({ workOrderRef: a.ref, status: 'DISPATCHED' });

    // Same window, another technician: stays dispatched.
    const swapped = await connector.dispatch!({ workOrderRef: a.ref, technicianRefs: [sera(t2.id)], window: morning(day) });
    expect(swapped.workOrder).toMatchObject({ status: 'DISPATCHED', technicianRefs: [sera(t2.id)] });
    expect(swapped.appointment).toMatchObject({ ref: a.ref, window: morning(day), technicianRefs: [sera(t2.id)] });

    // New window: on hold, then scheduled in the new window.
    sandbox.stats.reset();
    const later = freshDay();
    const moved = await connector.dispatch!({ workOrderRef: a.ref, technicianRefs: [sera(t2.id)], window: morning(later), instructions: 'Call ahead.' });
    expect(moved.workOrder).toMatchObject({ status: 'SCHEDULED', window: morning(later), technicianRefs: [sera(t2.id)] });
    expect(endpointCalls()['PATCH /work-orders/{workOrderId}/status']).toBe(3);
    expect((await raw('GET', `/work-orders/${a.ref.id}`)).body.arrivalNotes).toBe('Call ahead.');
  });

  it('undoes the first step of a re-dispatch when the second fails, and says so', async () => {
    const data = sandbox.dataset.vendors.sera;
    const [t1, t2] = [data.technicians[4]!, data.technicians[9]!];
    const busyDay = freshDay();
    // t2 is booked on busyDay.
    const other = await newWorkOrder(connector, sandbox.dataset, true);
    await connector.dispatch!({ workOrderRef: other.ref, technicianRefs: [sera(t2.id)], window: morning(busyDay) });
    const a = await newWorkOrder(connector, sandbox.dataset, true);
    const day = freshDay();
    await connector.dispatch!({ workOrderRef: a.ref, technicianRefs: [sera(t1.id)], window: morning(day) });
    await connector.updateStatus!({ workOrderRef: a.ref, status: 'DISPATCHED' });

    sandbox.stats.reset();
    const err = await connector.dispatch!({ workOrderRef: a.ref, technicianRefs: [sera(t2.id)], window: morning(busyDay) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectorError);
    expect(err).toMatchObject({ kind: 'conflict', status: 409 });
    expect((err as ConnectorError).message).toContain('dispatched in its old window');
    expect((err as ConnectorError).fieldErrors[0]?.field).toBe('technicianRefs');
    // scheduled (refused), on hold, scheduled (clash), back to dispatched.
    expect(endpointCalls()['PATCH /work-orders/{workOrderId}/status']).toBe(4);
    const [after] = await connector.get('workOrder', [a.ref.id]);
    expect(after).toMatchObject({ status: 'DISPATCHED', window: morning(day), technicianRefs: [sera(t1.id)] });
  });

  it('signs in once for 100 concurrent calls at token expiry', async () => {
    sandbox.setFaults({ sera: { tokenTtlSeconds: 1 } });
    await connector.ping();
    // Let the 1-second session lapse, then fire 100 calls at once.
    await new Promise((r) => setTimeout(r, 1_100));
    sandbox.stats.reset();
    const pages = await Promise.all(Array.from({ length: 100 }, () => connector.list('technician', { pageSize: 1 })));
    expect(pages.every((p) => p.items.length === 1)).toBe(true);
    const calls = endpointCalls(true);
    expect((calls['POST /sessions'] ?? 0) + (calls['POST /sessions/refresh'] ?? 0)).toBe(1);
    expect(statusCount(401)).toBe(0);
    expect(calls['GET /technicians']).toBe(100);
  });

  it('shares one session between connectors of the same account', async () => {
    const other = connect(sandbox);
    await Promise.all([connector.ping(), other.ping(), connect(sandbox).ping()]);
    expect(endpointCalls(true)['POST /sessions']).toBe(1);
  });

  it('never lets the payment method token out: not in the model, not in errors, not in events', async () => {
    const secret = 'pm_tok_SECRET_4242';
    const events: unknown[] = [];
    const spy = connect(sandbox, {
      events: { onResponse: (e) => events.push(e), onRetry: (e) => events.push(e), onBreaker: (e) => events.push(e) },
    });
    const data = sandbox.dataset.vendors.sera;
    const m = await spy.enrollMembership!({
      externalReference: 'fg-mbr-secret',
      customerRef: sera(customerWithoutMembership(sandbox.dataset)),
      planId: 'plan_whole_home',
      startDate: '2026-12-01',
      billingCadence: 'MONTHLY',
      autopay: true,
      paymentMethodToken: secret,
    });
    expect(m).toMatchObject({ status: 'ACTIVE', planId: 'plan_whole_home', billingCadence: 'MONTHLY', nextBillingDate: '2027-01-01' });
    expect(JSON.stringify(m)).not.toContain(secret);

    const unknownPlan = await spy.enrollMembership!({
      externalReference: 'fg-mbr-secret-2',
      customerRef: sera(data.customers[0]!.id),
      planId: 'plan_nope',
      startDate: '2026-12-01',
      billingCadence: 'MONTHLY',
      autopay: true,
      paymentMethodToken: secret,
    }).catch((e: unknown) => e);
    expect(unknownPlan).toMatchObject({ kind: 'invalid_request', status: 422, fieldErrors: [{ field: 'planId', message: 'Unknown plan.' }] });
    expect(JSON.stringify(events)).not.toContain(secret);

    // A vendor that echoes the token in its error: the connector scrubs it.
    const echoing: typeof fetch = async (input, init) => {
      if (init?.method === 'POST' && String(input).endsWith('/memberships')) {
        const body = JSON.parse(String(init.body)) as { paymentMethodToken?: string };
        return new Response(
          JSON.stringify({
            error: { code: 'unprocessable', message: `Payment method ${body.paymentMethodToken} was declined.`, details: [{ field: 'paymentMethodToken', message: `${body.paymentMethodToken} is expired.` }] },
            requestId: 'r1',
          }),
          { status: 422, headers: { 'content-type': 'application/json' } },
        );
      }
      return fetch(input, init);
    };
    const leaky = connect(sandbox, { fetch: echoing });
    const echoed = await leaky.enrollMembership!({
      externalReference: 'fg-mbr-secret-3',
      customerRef: sera(data.customers[1]!.id),
      planId: 'plan_whole_home',
      startDate: '2026-12-01',
      billingCadence: 'MONTHLY',
      autopay: true,
      paymentMethodToken: secret,
    }).catch((e: unknown) => e);
    expect(echoed).toBeInstanceOf(ConnectorError);
    const e = echoed as ConnectorError;
    expect(e.kind).toBe('invalid_request');
    expect(e.message).toContain('[redacted]');
    expect(e.fieldErrors).toEqual([{ field: 'paymentMethodToken', message: '[redacted] is expired.' }]);
    expect(JSON.stringify({ message: e.message, fieldErrors: e.fieldErrors, cause: String(e.cause), stack: e.stack })).not.toContain(secret);

    // autopay without a token is refused before any call.
    sandbox.stats.reset();
    const noToken = await connector.enrollMembership!({
      externalReference: 'fg-mbr-4',
      customerRef: sera(data.customers[2]!.id),
      planId: 'plan_whole_home',
      startDate: '2026-12-01',
      billingCadence: 'MONTHLY',
      autopay: true,
    }).catch((err: unknown) => err);
    expect((noToken as ConnectorError).fieldErrors[0]?.field).toBe('paymentMethodToken');
    expect(apiCalls()).toBe(0);
  });

  it('renews an existing membership of the same plan in place', async () => {
    const customerId = customerWithoutMembership(sandbox.dataset);
    const enrol = (startDate: string) =>
      connector.enrollMembership!({
        externalReference: `fg-renew-${startDate}`,
        customerRef: sera(customerId),
        planId: 'plan_hvac_comfort_annual',
        startDate,
        billingCadence: 'ANNUAL',
        autopay: false,
      });
    const first = await enrol('2026-12-01');
    const renewed = await enrol('2027-12-01');
    expect(renewed.ref).toEqual(first.ref);
    expect(renewed).toMatchObject({ startsOn: '2027-12-01', nextBillingDate: '2028-12-01' });
    const all = (await connector.children('membership', 'customer', [customerId])).get(customerId)!;
    expect(all.map((m) => m.ref.id)).toEqual([first.ref.id]);
  });

  it('reads single records at most `concurrency` at a time, one call per distinct id', async () => {
    let inFlight = 0;
    let peak = 0;
    const counting: typeof fetch = async (input, init) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      try {
        return await fetch(input, init);
      } finally {
        inFlight--;
      }
    };
    const c = connect(sandbox, { concurrency: 3, fetch: counting });
    await c.ping();
    sandbox.stats.reset();
    peak = 0;
    const ids = sandbox.dataset.vendors.sera.invoices.slice(0, 30).map((i) => i.id);
    const got = await c.get('invoice', [...ids, ids[0]!, 'inv_ffffff9']);
    expect(got.map((i) => i?.ref.id ?? null)).toEqual([...ids, ids[0]!, null]);
    expect(peak).toBeLessThanOrEqual(3);
    expect(endpointCalls()).toEqual({ 'GET /invoices/{invoiceId}': 31 });
  });

  it('reads work orders of locations through their customers: one location read each, one list per customer', async () => {
    const data = sandbox.dataset.vendors.sera;
    const customer = data.customers.find((c) => data.locations.filter((l) => l.customerId === c.id).length === 2)!;
    const locs = data.locations.filter((l) => l.customerId === customer.id).map((l) => l.id);
    const got = await connector.children('workOrder', 'location', locs);
    expect(endpointCalls()).toEqual({ 'GET /locations/{locationId}': 2, 'GET /work-orders': 1 });
    for (const l of locs) {
      expect(new Set(got.get(l)!.map((w) => w.ref.id))).toEqual(new Set(data.workOrders.filter((w) => w.locationId === l).map((w) => w.id)));
    }
  });

  it('filters lists client-side where Sera cannot, never handing back an empty page before the end', async () => {
    const data = sandbox.dataset.vendors.sera;
    const statuses = ['on_hold', 'cancelled'];
    const got: string[] = [];
    for await (const w of connector.iterate('workOrder', { sourceStatuses: statuses, pageSize: 5 })) got.push(w.ref.id);
    expect(new Set(got)).toEqual(new Set(data.workOrders.filter((w) => statuses.includes(w.status)).map((w) => w.id)));
    const page = await connector.list('workOrder', { sourceStatuses: ['on_hold'], pageSize: 2 });
    expect(page.items.length).toBeGreaterThan(0);
    expect(page.items.every((w) => w.sourceStatus === 'on_hold')).toBe(true);
    // Customers are walked active, then inactive: each knows which it is.
    const customers = await connector.list('customer', { pageSize: 100 });
    expect(customers.nextCursor).toMatch(/^(active:2|inactive:1)$/);
    expect(customers.items.every((c) => c.active)).toBe(true);
  });
});

describe('sera time windows and status words', () => {
  let sandbox: Sandbox;
  let urls: URL[];
  let c: FieldServiceConnector;
  const ms = (iso: string) => Date.parse(iso);
  const iso = (t: number) => new Date(t).toISOString();
  const whole = (t: number) => iso(t).replace('.000Z', 'Z');

  beforeAll(async () => {
    // The generated data set has no inactive Sera customer: make every fourth one inactive, so
    // the customer list's second phase holds records.
    const base = await startTestSandbox();
    const dataset = structuredClone(base.dataset);
    await base.close();
    dataset.vendors.sera.customers.forEach((x, i) => {
      if (i % 4 === 1) x.active = false;
    });
    sandbox = await startTestSandbox({ dataset });
  });
  afterAll(() => sandbox.close());
  beforeEach(() => {
    resetSharedClientState();
    sandbox.simulators.sera!.reset();
    urls = [];
    c = connect(sandbox, { fetch: (input, init) => (urls.push(new URL(String(input))), fetch(input, init)) });
  });
  const lists = (suffix: string) => urls.filter((u) => u.pathname.endsWith(suffix));
  /** Every page of a list: ids and the first page's total. */
  const readAll = async (kind: 'workOrder' | 'appointment' | 'customer' | 'location' | 'invoice' | 'membership' | 'technician', since: number, before: number) => {
    const ids: string[] = [];
    let total: number | undefined;
    for (let cursor: string | undefined, first = true; first || cursor; first = false) {
      const p = await c.list(kind, { updatedSince: iso(since), updatedBefore: iso(before), pageSize: 100, ...(cursor ? { cursor } : {}) });
      if (first) total = p.total;
      ids.push(...p.items.map((m) => m.ref.id));
      cursor = p.nextCursor;
    }
    return { ids, total };
  };

  it('sends a window as updatedFrom (inclusive) and updatedTo (exclusive), whole seconds, trimmed to the millisecond', async () => {
    const data = sandbox.dataset.vendors.sera;
    const cases = [
      { kind: 'workOrder', path: '/work-orders', records: data.workOrders },
      { kind: 'location', path: '/locations', records: data.locations },
      { kind: 'invoice', path: '/invoices', records: data.invoices },
    ] as const;
    for (const { kind, path, records } of cases) {
      urls = [];
      const times = [...new Set(records.map((r) => ms(r.updatedAt)))].sort((a, b) => a - b);
      const from = times[Math.floor(times.length / 4)]!;
      const to = times[Math.floor(times.length / 2)]!;
      // 500 ms into the second of `from` (its records are out) and 1 ms past `to` (its records are in).
      const { ids, total } = await readAll(kind, from + 500, to + 1);
      expect(new Set(ids), kind).toEqual(new Set(records.filter((r) => ms(r.updatedAt) > from && ms(r.updatedAt) <= to).map((r) => r.id)));
      const sent = lists(path)[0]!.searchParams;
      // `updatedTo` is exclusive: the next whole second after the window's end.
      expect([sent.get('updatedFrom'), sent.get('updatedTo')], kind).toEqual([whole(from), whole(to + 1000)]);
      expect(total, kind).toBe(records.filter((r) => ms(r.updatedAt) >= from && ms(r.updatedAt) <= to).length);
    }
  });

  it('reads appointments of a window from the work-order list, with the work order modification time', async () => {
    const data = sandbox.dataset.vendors.sera;
    const withVisit = new Set(data.appointments.map((a) => a.workOrderId));
    const times = data.workOrders.map((w) => ms(w.updatedAt)).sort((a, b) => a - b);
    const from = times[20]!;
    const to = times[120]!;
    const { ids, total } = await readAll('appointment', from, to);
    const inWindow = data.workOrders.filter((w) => ms(w.updatedAt) >= from && ms(w.updatedAt) < to);
    expect(new Set(ids)).toEqual(new Set(inWindow.filter((w) => withVisit.has(w.id)).map((w) => w.id)));
    // Sera counts work orders: the ones without a visit are in the count, not in the items.
    expect(total).toBe(inWindow.length);
    const [a] = await c.get('appointment', [ids[0]!]);
    expect(a?.updatedAt).toBe(data.workOrders.find((w) => w.id === ids[0])!.updatedAt);
    expect(a?.createdAt).toBeUndefined();
  });

  it('walks active then inactive customers of a window, and counts both on the first page', async () => {
    const data = sandbox.dataset.vendors.sera;
    const times = data.customers.map((r) => ms(r.updatedAt)).sort((a, b) => a - b);
    const inactive = data.customers.filter((x) => !x.active).map((r) => ms(r.updatedAt)).sort((a, b) => a - b);
    const from = times[5]!;
    const to = Math.max(inactive[Math.floor(inactive.length / 2)]!, times[20]!) + 1000;
    const expected = data.customers.filter((r) => ms(r.updatedAt) >= from && ms(r.updatedAt) < to);
    expect(expected.some((x) => !x.active) && expected.some((x) => x.active)).toBe(true);
    const { ids, total } = await readAll('customer', from, to);
    expect(new Set(ids)).toEqual(new Set(expected.map((r) => r.id)));
    expect(total).toBe(expected.length);
    const first = lists('/customers').slice(0, 2).map((u) => [u.searchParams.get('status'), u.searchParams.get('pageSize')]);
    expect(first).toEqual(expect.arrayContaining([['active', '100'], ['inactive', '1']]));
    // A first page the millisecond trim empties is followed by the next, and still counts the window.
    const lowest = data.customers.filter((x) => x.active).sort((a, b) => (a.id < b.id ? -1 : 1))[0]!;
    const at = ms(lowest.updatedAt);
    const end = Math.max(...data.customers.map((x) => ms(x.updatedAt))) + 1000;
    const page = await c.list('customer', { updatedSince: iso(at + 500), updatedBefore: iso(end), pageSize: 1 });
    expect(page.items.map((x) => x.ref.id)).not.toContain(lowest.id);
    expect(page.total).toBe(data.customers.filter((x) => ms(x.updatedAt) >= at).length);
  });

  it('applies a window to memberships and technicians client-side, without a total', async () => {
    const data = sandbox.dataset.vendors.sera;
    for (const [kind, records] of [['membership', data.memberships], ['technician', data.technicians]] as const) {
      const times = records.map((r) => ms(r.updatedAt)).sort((a, b) => a - b);
      const from = times[Math.floor(times.length / 4)]!;
      const to = times[Math.floor(times.length / 2)]!;
      const { ids, total } = await readAll(kind, from, to);
      expect(new Set(ids), kind).toEqual(new Set(records.filter((r) => ms(r.updatedAt) >= from && ms(r.updatedAt) < to).map((r) => r.id)));
      expect(total, kind).toBeUndefined();
    }
    expect(c.capabilities.windows).not.toContain('membership');
    expect(c.capabilities.windows).not.toContain('technician');
  });

  it('accepts every status word of its tables, `canceled` as Sera’s `cancelled`', async () => {
    const data = sandbox.dataset.vendors.sera;
    const withVisit = new Set(data.appointments.map((a) => a.workOrderId));
    const records = {
      workOrder: data.workOrders,
      appointment: data.workOrders.filter((w) => withVisit.has(w.id)),
      invoice: data.invoices,
      membership: data.memberships,
    } as const;
    const spelled = (w: string) => (w === 'canceled' ? 'cancelled' : w);
    for (const [kind, table] of Object.entries(c.capabilities.statuses) as Array<[keyof typeof records, Record<string, string>]>) {
      for (const [word, canonical] of Object.entries(table)) {
        const got: Array<{ ref: RecordRef; status: string }> = [];
        for await (const m of c.iterate(kind, { sourceStatuses: [word] })) got.push(m);
        expect(new Set(got.map((m) => m.ref.id)), `${kind} ${word}`).toEqual(new Set(records[kind].filter((r) => r.status === spelled(word)).map((r) => r.id)));
        for (const m of got) expect(m.status, `${kind} ${word}`).toBe(canonical);
      }
    }
  });
});
