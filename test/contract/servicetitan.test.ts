/**
 * The ServiceTitan connector against its simulator over real HTTP: the shared conformance suite,
 * then what is particular to ServiceTitan (single-flight token at expiry, batch splitting above 50
 * ids, relation call counts, technicians from assignments, contacts, client-side rate limit,
 * externalData stamps, compensated dispatch, status writes, error classification).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resetSharedClientState } from '../../connectors/core/http-client.js';
import { PartialWriteError } from '../../connectors/core/ops.js';
import { MEMBERSHIP_PLANS } from '../../connectors/sandbox/dataset/catalog.js';
import type { Dataset, VendorData } from '../../connectors/sandbox/dataset/types.js';
import type { Sandbox } from '../../connectors/sandbox/server.js';
import { SERVICETITAN_SANDBOX } from '../../connectors/servicetitan/sandbox.js';
import { connectionFromSandbox, createServiceTitanConnector, type ServiceTitanConnection } from '../../connectors/servicetitan/index.js';
import { ConnectorError, type ConnectorOptions, type FieldServiceConnector } from '../../connectors/types.js';
import type { AppointmentModel, CustomerModel, RecordRef, WorkOrderModel } from '../../src/model/index.js';
import { call, startTestSandbox } from '../helpers/sandbox.js';
import { runConformance, type ConnectOptions } from './connector-conformance.js';

const ST = 'servicetitan' as const;
const st = (id: string): RecordRef => ({ system: ST, id });
const AUTH = /^POST \/connect\/token$/;

/**
 * Connector on the sandbox. The simulator's info carries no application guid, so the test takes it
 * from the simulator's fixed constants (a real tenant configures its app's guid).
 */
function connect(sandbox: Sandbox, options: ConnectOptions & ConnectorOptions = {}, extra: Partial<ServiceTitanConnection> = {}): FieldServiceConnector {
  const info = sandbox.simulators.servicetitan!.info(sandbox.origin);
  return createServiceTitanConnector({ ...connectionFromSandbox(info), ...extra }, options);
}

/** The error a call fails with (the test fails when it succeeds). */
async function failure(p: Promise<unknown>): Promise<ConnectorError> {
  const e = await p.then(
    () => new Error('expected the call to fail'),
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(ConnectorError);
  return e as ConnectorError;
}

let windowDay = 0;
/** A 4-hour window on a day of its own. */
function freshWindow(): { start: string; end: string } {
  const start = Date.UTC(2027, 2, 1, 13) + windowDay++ * 86_400_000;
  return { start: new Date(start).toISOString().replace('.000', ''), end: new Date(start + 4 * 3_600_000).toISOString().replace('.000', '') };
}

/** Work orders of the data set with a status, taken one after the other across calls. */
function taker(status: string): (ds: Dataset) => VendorData['workOrders'][number] {
  let n = 0;
  return (ds) => {
    const all = ds.vendors.servicetitan.workOrders.filter((w) => w.status === status);
    const w = all[n++ % all.length];
    if (!w) throw new Error(`no ${status} work order in the data set`);
    return w;
  };
}
const nextInProgress = taker('InProgress');
const nextScheduled = taker('Scheduled');

runConformance({
  vendor: ST,
  connect: (sandbox, options) => connect(sandbox, options),
  authEndpoints: AUTH,
  writes: {
    createWorkOrder: {
      kind: 'workOrder',
      endpoint: '^POST /jpm/v2/tenant/\\{tenant\\}/jobs$',
      async run(c, ds) {
        const loc = ds.vendors.servicetitan.locations[3]!;
        const tech = ds.vendors.servicetitan.technicians.find((t) => t.active)!;
        const wo = await c.createWorkOrder!({
          externalReference: `FG-${randomUUID()}`,
          customer: { ref: st(loc.customerId) },
          location: { ref: st(loc.id) },
          serviceType: 'repair',
          problemCode: 'NO_COOL',
          summary: 'Unit does not cool',
          priority: 'HIGH',
          window: freshWindow(),
          technicianRefs: [st(tech.id)],
        });
        expect(wo.status).toBe('SCHEDULED');
        return wo.ref;
      },
    },
    dispatch: {
      kind: 'appointment',
      // A job in progress has no visit waiting: dispatch adds one.
      endpoint: '^POST /jpm/v2/tenant/\\{tenant\\}/appointments$',
      async run(c, ds) {
        const wo = nextInProgress(ds);
        const tech = ds.vendors.servicetitan.technicians.find((t) => t.active)!;
        const window = freshWindow();
        const r = await c.dispatch!({ workOrderRef: st(wo.id), technicianRefs: [st(tech.id)], window, instructions: 'Gate code 4411' });
        expect(r.appointment?.window).toEqual(window);
        expect(r.appointment?.technicianRefs).toEqual([st(tech.id)]);
        return r.appointment!.ref;
      },
    },
    enrollMembership: {
      kind: 'membership',
      endpoint: '^POST /memberships/v2/tenant/\\{tenant\\}/memberships/sale$',
      async run(c, ds) {
        const customer = ds.vendors.servicetitan.customers[7]!;
        const plan = MEMBERSHIP_PLANS.servicetitan[0]!;
        const m = await c.enrollMembership!({
          externalReference: `FG-${randomUUID()}`,
          customerRef: st(customer.id),
          planId: plan.id,
          startDate: new Date().toISOString().slice(0, 10),
          billingCadence: plan.cadence.toUpperCase() as 'MONTHLY' | 'QUARTERLY' | 'ANNUAL',
          autopay: false,
        });
        expect(m.status).toBe('ACTIVE');
        expect(m.planId).toBe(plan.id);
        return m.ref;
      },
    },
    updateStatus: {
      kind: 'workOrder',
      endpoint: '^PUT /jpm/v2/tenant/\\{tenant\\}/jobs/\\{id\\}/hold$',
      // A status write makes no record to count: its recovery from a lost response (reading the
      // job back) is tested below.
      recoversDroppedResponse: false,
      async run(c, ds) {
        const wo = nextScheduled(ds);
        const back = await c.updateStatus!({ workOrderRef: st(wo.id), status: 'ON_HOLD', note: 'Waiting for parts' });
        expect(back.status).toBe('ON_HOLD');
        return back.ref;
      },
    },
  },
});

describe('servicetitan connector specifics', () => {
  let sandbox: Sandbox;
  let data: VendorData;
  let c: FieldServiceConnector;

  const endpointCalls = (): Record<string, number> => {
    const v = sandbox.stats.snapshot().vendors.servicetitan;
    return Object.fromEntries(Object.entries(v?.endpoints ?? {}).map(([k, e]) => [k, e.count]));
  };
  /** Calls to endpoints matching `endpoint` (all API calls, token requests left out, by default). */
  const calls = (endpoint?: RegExp): number =>
    Object.entries(endpointCalls())
      .filter(([k]) => (endpoint ? endpoint.test(k) : !AUTH.test(k)))
      .reduce((s, [, n]) => s + n, 0);
  const statusCount = (status: number): number => {
    const v = sandbox.stats.snapshot().vendors.servicetitan;
    return v ? Object.values(v.endpoints).reduce((s, e) => s + (e.statuses[String(status)] ?? 0), 0) : 0;
  };
  const JOBS = /^GET \/jpm\/v2\/tenant\/\{tenant\}\/jobs$/;
  const APPTS = /^GET \/jpm\/v2\/tenant\/\{tenant\}\/appointments$/;
  const ASSIGNMENTS = /^GET \/dispatch\/v2\/tenant\/\{tenant\}\/appointment-assignments$/;

  /** A fetch that records every URL and method it is asked for. */
  function recorder(): { fetch: typeof fetch; seen: Array<{ method: string; url: URL; headers: Record<string, string> }> } {
    const seen: Array<{ method: string; url: URL; headers: Record<string, string> }> = [];
    const f: typeof fetch = (input, init) => {
      seen.push({
        method: init?.method ?? 'GET',
        url: new URL(String(input)),
        headers: Object.fromEntries(Object.entries((init?.headers as Record<string, string>) ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
      });
      return fetch(input, init);
    };
    return { fetch: f, seen };
  }

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    data = sandbox.dataset.vendors.servicetitan;
    resetSharedClientState();
  });
  afterAll(() => sandbox.close());
  // Shared client state (token, limiter, breaker) carries over from test to test, as it does from
  // request to request: the token endpoint allows 20 requests a minute, and a limiter reset between
  // tests would forget the calls the vendor still counts in its current second.
  beforeEach(() => {
    sandbox.setFaults({ servicetitan: { down: false, errorRate: 0, dropRate: 0, malformedRate: 0, rateLimit: null, tokenTtlSeconds: null, latencyMs: 0, only: null } });
    sandbox.stats.reset();
    c = connect(sandbox);
  });

  it('makes one token request for 100 concurrent calls at token expiry', async () => {
    sandbox.setFaults({ servicetitan: { tokenTtlSeconds: 4 } });
    c = connect(sandbox);
    await c.ping();
    expect(calls(AUTH)).toBe(1);
    // Past the early-refresh point (a fifth of the 4 s lifetime before expiry), before expiry.
    await new Promise((r) => setTimeout(r, 3_300));
    sandbox.stats.reset();
    const ids = Array.from({ length: 100 }, (_, i) => data.technicians[i % data.technicians.length]!.id);
    await Promise.all(ids.map((id) => c.get('technician', [id])));
    expect(calls(AUTH), 'one token request').toBe(1);
    expect(calls()).toBe(100);
    // The client-side limit (45/s + 10) kept the 100 calls under the vendor's 60 a second.
    expect(statusCount(401) + statusCount(429)).toBe(0);
  });

  it('sends the token and the app key on every call, the tenant in every path, and form-encodes the token request', async () => {
    const r = recorder();
    const rc = connect(sandbox, { fetch: r.fetch });
    await rc.get('workOrder', [data.workOrders[0]!.id]);
    const [token, api] = r.seen;
    expect(token!.method).toBe('POST');
    expect(token!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(api!.headers.authorization).toMatch(/^Bearer ey/);
    expect(api!.headers['st-app-key']).toBe('ak1.sandbox-app-key');
    expect(api!.url.pathname).toBe('/servicetitan/jpm/v2/tenant/1000000001/jobs');
    expect(api!.url.searchParams.get('externalDataApplicationGuid')).toBe(SERVICETITAN_SANDBOX.applicationGuid);
  });

  it("checks only the invoices a walk of the whole list keeps", async () => {
    const jobs = [...new Set(data.invoices.map((i) => i.workOrderId))].slice(0, 3);
    expect(jobs).toHaveLength(3);
    /** The walk's page with one invoice made malformed: of a job asked for, or of another. */
    const corrupting = (whose: 'kept' | 'other'): typeof fetch => async (input, init) => {
      const res = await fetch(input, init);
      const url = new URL(String(input));
      if (!url.pathname.endsWith('/invoices') || url.searchParams.has('jobId') || url.searchParams.has('ids')) return res;
      const body = (await res.json()) as { data: Array<{ id: unknown; job?: { id?: unknown } | null }> };
      const victim = body.data.find((i) => jobs.includes(String(i.job?.id)) === (whose === 'kept'))!;
      victim.id = { not: 'an id' };
      return new Response(JSON.stringify(body), { status: res.status, headers: res.headers });
    };
    resetSharedClientState();
    const got = await connect(sandbox, { fetch: corrupting('other') }).children('invoice', 'workOrder', jobs);
    for (const job of jobs) expect(got.get(job)!.length, job).toBe(data.invoices.filter((i) => i.workOrderId === job).length);
    resetSharedClientState();
    const e = await failure(connect(sandbox, { fetch: corrupting('kept') }).children('invoice', 'workOrder', jobs));
    expect(e.kind).toBe('bad_response');
    expect(e.operation).toBe('invoices.list');
  });

  it('splits batch look-ups above 50 ids, and costs no call for ids that cannot exist', async () => {
    const r = recorder();
    const rc = connect(sandbox, { fetch: r.fetch });
    const ids = data.workOrders.slice(0, 120).map((w) => w.id);
    const got = await rc.get('workOrder', [...ids, 'not-an-id', ids[0]!]);
    expect(got.map((w) => w?.ref.id)).toEqual([...ids, undefined, ids[0]]);
    const batches = r.seen.filter((s) => s.url.pathname.endsWith('/jobs')).map((s) => s.url.searchParams.get('ids')!.split(',').length);
    expect(batches.sort((a, b) => b - a)).toEqual([50, 50, 20]);
    // Invoices have no single GET: `ids=` it is.
    sandbox.stats.reset();
    const inv = await c.get('invoice', data.invoices.slice(0, 3).map((i) => i.id));
    expect(inv.every((i) => i !== null)).toBe(true);
    expect(calls(/^GET \/accounting\/v2\/tenant\/\{tenant\}\/invoices$/)).toBe(1);
  });

  it('reads relations with the calls the API allows', async () => {
    const jobs = data.workOrders.slice(0, 40).map((w) => w.id);
    const byJob = await c.children('appointment', 'workOrder', jobs);
    expect(calls(JOBS), 'jobs by ids=').toBe(1);
    expect(calls(APPTS), 'appointments by ids= (no job has more than two)').toBe(1);
    expect(calls(ASSIGNMENTS), 'assignments by appointmentIds=').toBe(1);
    for (const j of jobs) {
      const expected = data.appointments.filter((a) => a.workOrderId === j);
      // A job the data set left without a visit has the one ServiceTitan requires (see README).
      if (expected.length) expect(new Set(byJob.get(j)!.map((a) => a.ref.id))).toEqual(new Set(expected.map((a) => a.id)));
      else expect(byJob.get(j)!.length).toBe(1);
    }

    sandbox.stats.reset();
    const customers = data.customers.slice(0, 120).map((x) => x.id);
    const memberships = await c.children('membership', 'customer', customers);
    expect(calls(), 'memberships by customerIds=, 50 a call').toBe(3);
    for (const id of customers) expect(memberships.get(id)!.map((m) => m.ref.id).sort()).toEqual(data.memberships.filter((m) => m.customerId === id).map((m) => m.id).sort());

    sandbox.stats.reset();
    const locations = data.locations.slice(0, 60).map((l) => l.id);
    await c.children('equipment', 'location', locations);
    expect(calls(), 'installed equipment by locationIds=, 50 a call').toBe(2);

    sandbox.stats.reset();
    await c.children('workOrder', 'customer', customers.slice(0, 10));
    expect(calls(), 'jobs?customerId= is single-valued: one call per customer').toBe(10);

    sandbox.stats.reset();
    const some = customers.slice(0, 10);
    const eq = await c.children('equipment', 'customer', some);
    const locs = data.locations.filter((l) => some.includes(l.customerId)).length;
    expect(calls(), 'locations per customer, then equipment by locationIds=').toBe(10 + Math.ceil(locs / 50));
    for (const id of some) expect(eq.get(id)!.map((e) => e.ref.id).sort()).toEqual(data.equipment.filter((e) => e.customerId === id).map((e) => e.id).sort());
  });

  it('walks every appointment: the data set`s, plus the one ServiceTitan requires of a job the data set left without', async () => {
    const seen: string[] = [];
    for await (const a of c.iterate('appointment', { pageSize: 500 })) seen.push(a.ref.id);
    expect(new Set(seen).size).toBe(seen.length);
    const known = new Set(data.appointments.map((a) => a.id));
    for (const id of known) expect(seen).toContain(id);
    const extra = (await c.get('appointment', seen.filter((id) => !known.has(id)))) as AppointmentModel[];
    const bare = data.workOrders.filter((w) => !data.appointments.some((a) => a.workOrderId === w.id)).map((w) => w.id);
    expect(extra.map((a) => a.workOrderRef.id).sort()).toEqual(bare.sort());
    expect(extra.every((a) => a.technicianRefs.length === 0)).toBe(true);
  });

  it('names a work order`s visits on the work order when the job lists them all, so they read by id', async () => {
    const jobs = data.workOrders.slice(0, 60).map((w) => w.id);
    const orders = (await c.get('workOrder', jobs)) as WorkOrderModel[];
    const byJob = await c.children('appointment', 'workOrder', jobs);
    // No job of the data set has more than two visits: every one is named.
    for (const wo of orders) expect(new Set(wo.appointmentIds), wo.ref.id).toEqual(new Set(byJob.get(wo.ref.id)!.map((a) => a.ref.id)));
    const ids = orders.flatMap((wo) => wo.appointmentIds ?? []);
    sandbox.stats.reset();
    const visits = (await c.get('appointment', ids)) as AppointmentModel[];
    expect(visits.every((v, i) => v?.ref.id === ids[i])).toBe(true);
    expect(calls(JOBS), 'the jobs are not read again').toBe(0);
    expect(calls(APPTS)).toBe(Math.ceil(ids.length / 50));
  });

  it('reads the appointments of a job with more than two by its own call', async () => {
    // A job on hold has no visit waiting (its visits are on hold too): each dispatch adds one.
    const wo = data.workOrders.find((w) => w.status === 'Hold' && data.appointments.filter((a) => a.workOrderId === w.id).length === 1)!;
    for (let i = 0; i < 2; i++) await c.dispatch!({ workOrderRef: st(wo.id), technicianRefs: [], window: freshWindow() });
    const other = data.workOrders.find((w) => w.id !== wo.id && w.status === 'Completed')!;
    sandbox.stats.reset();
    const byJob = await c.children('appointment', 'workOrder', [wo.id, other.id]);
    expect(byJob.get(wo.id)!.length).toBe(3);
    const [three] = (await c.get('workOrder', [wo.id])) as WorkOrderModel[];
    expect(three?.appointmentIds, 'three visits: the job names two of them, so none').toBeUndefined();
    expect(calls(APPTS), 'one ids= call and one jobId= call').toBe(2);
  });

  it('reads the appointments of several jobs with more than two by the cheaper of their own calls and a walk', async () => {
    const held = data.workOrders.filter((w) => w.status === 'Hold' && data.appointments.filter((a) => a.workOrderId === w.id).length === 1).slice(1, 4);
    expect(held).toHaveLength(3);
    for (const wo of held) for (let i = 0; i < 2; i++) await c.dispatch!({ workOrderRef: st(wo.id), technicianRefs: [], window: freshWindow() });
    const total = (await c.list('appointment', { pageSize: 1 })).total!;
    const pages = Math.ceil(total / 500);
    expect(pages, 'a walk is fewer calls than one per job').toBeLessThan(held.length);
    sandbox.stats.reset();
    const byJob = await c.children('appointment', 'workOrder', held.map((w) => w.id));
    for (const wo of held) expect(byJob.get(wo.id)!.length, wo.id).toBe(3);
    expect(calls(APPTS), 'the pages of one walk, not a jobId= call per job').toBe(pages);
    // The visits added here would move the jobs' modification times under the window tests below.
    sandbox.simulators.servicetitan!.reset();
  });

  it('fills appointment technicians from assignments, one more call per 50 appointments (or not, when configured)', async () => {
    const appts = data.appointments.filter((a) => a.technicianIds.length > 0).slice(0, 60);
    const got = (await c.get('appointment', appts.map((a) => a.id))) as AppointmentModel[];
    got.forEach((m, i) => expect(m.technicianRefs.map((t) => t.id).sort()).toEqual([...appts[i]!.technicianIds].sort()));
    expect(calls(APPTS)).toBe(2);
    expect(calls(ASSIGNMENTS)).toBe(2);

    sandbox.stats.reset();
    const bare = connect(sandbox, {}, { appointmentTechnicians: false });
    const plain = (await bare.get('appointment', appts.map((a) => a.id))) as AppointmentModel[];
    expect(plain.every((m) => m.technicianRefs.length === 0)).toBe(true);
    expect(calls()).toBe(2);
  });

  it('reads customer email and phone with the bulk contact read: one more call per 50 customers', async () => {
    const CONTACTS = /^GET \/crm\/v2\/tenant\/\{tenant\}\/customers\/contacts$/;
    const CUSTOMERS = /^GET \/crm\/v2\/tenant\/\{tenant\}\/customers$/;
    const PER_CUSTOMER = /^GET \/crm\/v2\/tenant\/\{tenant\}\/customers\/\{id\}\/contacts$/;
    const expectContacts = (models: CustomerModel[]): void => {
      for (const m of models) {
        const d = data.customers.find((x) => x.id === m.ref.id)!;
        expect(m.email, m.ref.id).toBe(d.email?.trim());
        if (d.phone) expect(m.phone, m.ref.id).toMatch(/^\+1\d{10}$/);
        else expect(m.phone, m.ref.id).toBeUndefined();
      }
    };
    // Default: get, list and relations alike.
    const ids = data.customers.slice(0, 120).map((x) => x.id);
    const got = (await c.get('customer', ids)) as CustomerModel[];
    expectContacts(got);
    expect(got.filter((m) => m.email).length).toBeGreaterThan(0);
    expect(calls(CUSTOMERS), 'customers by ids=, 50 a call').toBe(3);
    expect(calls(CONTACTS), 'contacts by customerIds=, 50 a call').toBe(3);
    expect(calls(PER_CUSTOMER), 'never one call per customer').toBe(0);
    expect(c.capabilities.callsPerBatch?.customer).toBe(2);

    sandbox.stats.reset();
    const page = (await c.list('customer', { pageSize: 120 })).items as CustomerModel[];
    expectContacts(page);
    expect(calls(CUSTOMERS)).toBe(1);
    expect(calls(CONTACTS), 'a page of 120 customers: three contact calls').toBe(3);

    // `get`: reads only; `never`: no contacts, no call.
    sandbox.stats.reset();
    const getOnly = connect(sandbox, {}, { customerContacts: 'get' });
    expectContacts((await getOnly.get('customer', ids.slice(0, 5))) as CustomerModel[]);
    expect(calls()).toBe(2);
    sandbox.stats.reset();
    const listed = (await getOnly.list('customer', { pageSize: 5 })).items as CustomerModel[];
    expect(listed.every((m) => m.email === undefined && m.phone === undefined)).toBe(true);
    expect(calls(), 'lists do not read contacts in `get` mode').toBe(1);

    sandbox.stats.reset();
    const never = connect(sandbox, {}, { customerContacts: 'never' });
    const plain = (await never.get('customer', ids.slice(0, 5))) as CustomerModel[];
    expect(plain.every((m) => m.email === undefined && m.phone === undefined)).toBe(true);
    expect(calls()).toBe(1);
    expect(never.capabilities.callsPerBatch?.customer).toBeUndefined();

  });

  it('stays under the vendor limit with many concurrent reads', async () => {
    const ids = data.workOrders.slice(0, 80).map((w) => w.id);
    await Promise.all(ids.map((id) => c.get('workOrder', [id])));
    expect(calls(JOBS)).toBe(80);
    expect(statusCount(429)).toBe(0);
  });

  it('filters lists server-side where the API can, client-side where it cannot, and refuses the rest', async () => {
    const customerId = data.workOrders[0]!.customerId;
    const got: string[] = [];
    for await (const w of c.iterate('workOrder', { customerId, pageSize: 2 })) got.push(w.ref.id);
    expect(new Set(got)).toEqual(new Set(data.workOrders.filter((w) => w.customerId === customerId).map((w) => w.id)));
    const statuses = ['Hold', 'Canceled'];
    const held: WorkOrderModel[] = [];
    for await (const w of c.iterate('workOrder', { sourceStatuses: statuses, pageSize: 200 })) held.push(w as WorkOrderModel);
    expect(held.length).toBe(data.workOrders.filter((w) => statuses.includes(w.status)).length);
    // Pages emptied by the client-side filter do not end the walk.
    const mixed = data.workOrders.find((w) => data.workOrders.filter((x) => x.customerId === w.customerId && x.status !== 'Completed').length >= 2 && data.workOrders.some((x) => x.customerId === w.customerId && x.status === 'Completed'))!;
    const open: string[] = [];
    for await (const w of c.iterate('workOrder', { customerId: mixed.customerId, sourceStatuses: ['Scheduled', 'Dispatched', 'InProgress', 'Hold', 'Canceled'], pageSize: 1 })) open.push(w.ref.id);
    expect(open.sort()).toEqual(data.workOrders.filter((w) => w.customerId === mixed.customerId && w.status !== 'Completed').map((w) => w.id).sort());
    const first = await c.list('workOrder', { pageSize: 10 });
    expect(first.nextCursor).toBe('2');
    // The vendor's count, soft-deleted jobs included (they are filtered here): an upper bound.
    expect(first.total).toBeGreaterThanOrEqual(data.workOrders.length);
    expect((await c.list('technician', { pageSize: 5 })).total).toBe(data.technicians.length);
    expect((await c.list('invoice', { pageSize: 5, cursor: '2' })).total, 'asked with the first page only').toBeUndefined();
    await expect(c.list('equipment', { customerId })).rejects.toMatchObject({ kind: 'invalid_request' });
    await expect(c.list('workOrder', { cursor: 'abc' })).rejects.toMatchObject({ kind: 'invalid_request' });
  });

  it('lists a modification window with modifiedOnOrAfter / modifiedBefore, counted on page 1, bounds rounded up to the second', async () => {
    const r = recorder();
    const rc = connect(sandbox, { fetch: r.fetch });
    const stamps = [...new Set(data.workOrders.map((w) => w.updatedAt))].sort();
    const from = stamps[Math.floor(stamps.length * 0.3)]!;
    const to = stamps[Math.floor(stamps.length * 0.6)]!;
    const inWindow = (t: string, a: string, b: string) => Date.parse(t) >= Date.parse(a) && Date.parse(t) < Date.parse(b);
    const got: string[] = [];
    let total: number | undefined;
    for (let cursor: string | undefined, n = 0; n === 0 || cursor; n++) {
      const p = await rc.list('workOrder', { updatedSince: from, updatedBefore: to, pageSize: 7, ...(cursor ? { cursor } : {}) });
      if (n === 0) total = p.total;
      else expect(p.total, 'counted on page 1 only').toBeUndefined();
      got.push(...p.items.map((w) => w.ref.id));
      cursor = p.nextCursor;
    }
    const expected = data.workOrders.filter((w) => inWindow(w.updatedAt, from, to)).map((w) => w.id);
    expect(got.sort()).toEqual(expected.sort());
    expect(total).toBeGreaterThanOrEqual(expected.length);
    const asked = r.seen.filter((x) => x.url.pathname.endsWith('/jobs')).map((x) => x.url.searchParams);
    expect(asked.every((q) => q.get('modifiedOnOrAfter') === from && q.get('modifiedBefore') === to)).toBe(true);
    expect(asked.map((q) => q.get('includeTotal'))).toEqual(['true', ...asked.slice(1).map(() => null)]);

    // Models keep whole seconds: a bound inside a second is rounded up, so a record stamped in
    // that second is left out at `from` and kept at `to`, as its updatedAt says.
    const at = stamps[Math.floor(stamps.length * 0.5)]!;
    const half = (iso: string) => iso.replace('Z', '.500Z');
    r.seen.length = 0;
    const after = await rc.list('workOrder', { updatedSince: half(at), updatedBefore: half(stamps[stamps.length - 1]!), pageSize: 500 });
    expect(after.items.some((w) => w.updatedAt === at)).toBe(false);
    expect(after.items.some((w) => w.updatedAt === stamps[stamps.length - 1])).toBe(true);
    const q = r.seen.find((x) => x.url.pathname.endsWith('/jobs'))!.url.searchParams;
    expect(q.get('modifiedOnOrAfter')).toBe(new Date(Date.parse(at) + 1000).toISOString().replace('.000', ''));
    await expect(rc.list('workOrder', { updatedBefore: 'soon' })).rejects.toMatchObject({ kind: 'invalid_request' });
  });

  it('lists soft-deleted customers as inactive and still reads them by id', async () => {
    const victim = data.customers[5]!;
    const res = await call('POST', `${sandbox.origin}/_sandbox/actions/servicetitan/soft-delete`, { json: { resource: 'customers', id: Number(victim.id) } });
    expect(res.status).toBe(200);
    const [back] = (await c.get('customer', [victim.id])) as CustomerModel[];
    expect(back?.active).toBe(false);
    const all: CustomerModel[] = [];
    for await (const x of c.iterate('customer', { pageSize: 500 })) all.push(x as CustomerModel);
    expect(all.find((x) => x.ref.id === victim.id)?.active).toBe(false);
    await call('POST', `${sandbox.origin}/_sandbox/actions/servicetitan/soft-delete`, { json: { resource: 'customers', id: Number(victim.id), active: true } });
  });

  it('stamps our reference in externalData and resolves job type, business unit and campaign once', async () => {
    const loc = data.locations[10]!;
    const reference = `FG-${randomUUID()}`;
    const wo = await c.createWorkOrder!({
      externalReference: reference,
      customer: { ref: st(loc.customerId) },
      serviceType: 'Maintenance',
      summary: 'Annual tune-up',
      priority: 'LOW',
      window: freshWindow(),
    });
    expect(wo.externalReference).toBe(reference);
    expect(wo.locationRef, 'the customer`s first location').toEqual(st(data.locations.find((l) => l.customerId === loc.customerId)!.id));
    const raw = await call('GET', `${sandbox.origin}/_sandbox`);
    expect(raw.status).toBe(200);
    expect(calls(/job-types|business-units|campaigns/)).toBe(3);
    sandbox.stats.reset();
    await c.createWorkOrder!({ externalReference: `FG-${randomUUID()}`, customer: { ref: st(loc.customerId) }, location: { ref: st(loc.id) }, serviceType: 'repair', summary: 'x', priority: 'NORMAL', window: freshWindow() });
    expect(calls(/job-types|business-units|campaigns/), 'reference lists are cached').toBe(0);
    expect(calls(), 'the job create alone').toBe(1);
  });

  it('reports a job refused after the new customer was made, and reuses that customer on retry', async () => {
    const reference = `FG-${randomUUID()}`;
    const name = `Test Customer ${reference}`;
    const command = {
      externalReference: reference,
      customer: { new: { name, email: 'new.customer@example.com', phone: '(404) 555-0142', address: { line1: '10 Peachtree St', city: 'Atlanta', region: 'GA', postalCode: '30303', country: 'US' } } },
      serviceType: 'repair',
      summary: 'New customer, broken heater',
      priority: 'NORMAL' as const,
      window: freshWindow(),
    };
    // An inactive campaign: the job create is refused (422) after the customer was created.
    const err = await failure(c.createWorkOrder!({ ...command, vendorSettings: { campaignId: '6300000005' } }));
    expect(err).toBeInstanceOf(PartialWriteError);
    expect(err).toMatchObject({ kind: 'invalid_request', status: 422, failedStep: 'jobs.create' });
    expect(err.fieldErrors).toEqual([{ field: 'campaignId', message: 'Campaign with ID 6300000005 was not found.' }]);
    const [customerRef, locationRef] = (err as PartialWriteError).completed;
    expect(customerRef?.system).toBe(ST);

    const wo = await c.createWorkOrder!(command);
    expect(wo.customerRef).toEqual(customerRef);
    expect(wo.locationRef).toEqual(locationRef);
    const named: CustomerModel[] = [];
    for await (const x of c.iterate('customer', { pageSize: 500 })) if ((x as CustomerModel).name === name) named.push(x as CustomerModel);
    expect(named.length, 'one customer').toBe(1);
    const contacts = connect(sandbox, {}, { customerContacts: 'get' });
    const [full] = (await contacts.get('customer', [customerRef!.id])) as CustomerModel[];
    expect(full).toMatchObject({ email: 'new.customer@example.com', phone: '+14045550142' });
  });

  it('refuses a create it cannot stamp or book before calling', async () => {
    const info = sandbox.simulators.servicetitan!.info(sandbox.origin);
    const { applicationGuid: _guid, ...withoutGuid } = connectionFromSandbox(info);
    const noGuid = createServiceTitanConnector(withoutGuid);
    const loc = data.locations[0]!;
    const base = { externalReference: 'FG-x', customer: { ref: st(loc.customerId) }, serviceType: 'repair', summary: 'x', priority: 'NORMAL' as const };
    const e1 = await failure(noGuid.createWorkOrder!({ ...base, window: freshWindow() }));
    expect(e1.fieldErrors.map((f) => f.field)).toEqual(['vendorSettings.applicationGuid']);
    const e2 = await failure(c.createWorkOrder!({ ...base, serviceType: 'Plumbing Magic', window: freshWindow() }));
    expect(e2.fieldErrors.map((f) => f.field)).toEqual(['serviceType']);
    const e3 = await failure(c.createWorkOrder!(base));
    expect(e3.fieldErrors.map((f) => f.field)).toEqual(['window']);
    expect(calls(/^POST /)).toBe(0);
  });

  it('dispatch reschedules the waiting visit and swaps technicians (assign, then unassign)', async () => {
    const wo = data.workOrders.find((w) => w.status === 'Scheduled' && data.appointments.some((a) => a.workOrderId === w.id && a.technicianIds.length === 1))!;
    const appt = data.appointments.find((a) => a.workOrderId === wo.id)!;
    const newTech = data.technicians.find((t) => t.active && !appt.technicianIds.includes(t.id))!;
    const window = freshWindow();
    const r = await c.dispatch!({ workOrderRef: st(wo.id), technicianRefs: [st(newTech.id)], window });
    expect(r.appointment?.ref).toEqual(st(appt.id));
    expect(r.appointment?.window).toEqual(window);
    expect(r.appointment?.arrivalWindow, 'the old arrival window is cleared').toBeUndefined();
    expect(r.appointment?.technicianRefs).toEqual([st(newTech.id)]);
    expect(r.workOrder?.ref).toEqual(st(wo.id));
    expect(calls(/PATCH .*reschedule$/)).toBe(1);
    expect(calls(/assign-technicians$/)).toBe(2);
    expect(calls(/^POST \/jpm/)).toBe(0);
  });

  it('undoes the reschedule when assigning fails, and reports what it could not undo', async () => {
    const wo = data.workOrders.filter((w) => w.status === 'Scheduled' && data.appointments.some((a) => a.workOrderId === w.id && a.technicianIds.length === 1))[3]!;
    const appt = data.appointments.find((a) => a.workOrderId === wo.id)!;
    const before = (await c.get('appointment', [appt.id]))[0] as AppointmentModel;
    // 999999999 is no technician: assign-technicians answers 422 after the reschedule went through.
    const err = await failure(c.dispatch!({ workOrderRef: st(wo.id), technicianRefs: [st('999999999')], window: freshWindow() }));
    expect(err).not.toBeInstanceOf(PartialWriteError);
    expect(err).toMatchObject({ kind: 'invalid_request', status: 422, operation: 'appointment-assignments.assign-technicians' });
    const after = (await c.get('appointment', [appt.id]))[0] as AppointmentModel;
    expect(after.window).toEqual(before.window);
    expect(after.arrivalWindow).toEqual(before.arrivalWindow);
    expect(after.technicianRefs).toEqual(before.technicianRefs);

    // Now the undo cannot reach the vendor either: the error says what stays done.
    let patches = 0;
    const failingUndo: typeof fetch = (input, init) => {
      if (init?.method === 'PATCH' && ++patches > 1) return Promise.reject(new TypeError('network down'));
      return fetch(input, init);
    };
    const fc = connect(sandbox, { fetch: failingUndo, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 } });
    const window = freshWindow();
    const partial = await failure(fc.dispatch!({ workOrderRef: st(wo.id), technicianRefs: [st('999999999')], window }));
    expect(partial).toBeInstanceOf(PartialWriteError);
    expect((partial as PartialWriteError).failedStep).toBe('appointment-assignments.assign-technicians');
    expect((partial as PartialWriteError).completed).toEqual([st(appt.id)]);
    expect(partial.message).toMatch(/could not be undone: appointment \d+ rescheduled to/);
    const stuck = (await c.get('appointment', [appt.id]))[0] as AppointmentModel;
    expect(stuck.window).toEqual(window);
  });

  it('moves jobs through the documented status writes, and settles a lost response by reading back', async () => {
    const [a, b] = data.workOrders.filter((w) => w.status === 'Scheduled').slice(-2);
    const canceled = await c.updateStatus!({ workOrderRef: st(a!.id), status: 'CANCELLED', note: 'Customer called' });
    expect(canceled.status).toBe('CANCELLED');
    const conflict = await failure(c.updateStatus!({ workOrderRef: st(a!.id), status: 'COMPLETED' }));
    expect(conflict).toMatchObject({ kind: 'conflict', status: 409 });
    const reinstated = await c.updateStatus!({ workOrderRef: st(a!.id), status: 'SCHEDULED' });
    expect(reinstated.status).toBe('SCHEDULED');
    const refused = await failure(c.updateStatus!({ workOrderRef: st(a!.id), status: 'IN_PROGRESS' }));
    expect(refused.fieldErrors.map((f) => f.field)).toEqual(['status']);

    sandbox.setFaults({ servicetitan: { dropRate: 1, only: '^PUT /jpm/v2/tenant/\\{tenant\\}/jobs/\\{id\\}/cancel$' } });
    sandbox.stats.reset();
    const lost = await c.updateStatus!({ workOrderRef: st(b!.id), status: 'CANCELLED' });
    expect(lost.status).toBe('CANCELLED');
    expect(calls(/cancel$/), 'not sent twice').toBe(1);
  });

  it('reads what happened in the field (sandbox complete-job action)', async () => {
    const wo = data.workOrders.find((w) => w.status === 'Dispatched')!;
    const res = await call('POST', `${sandbox.origin}/_sandbox/actions/servicetitan/complete-job`, { json: { id: Number(wo.id) } });
    expect(res.status).toBe(200);
    const [done] = (await c.get('workOrder', [wo.id])) as WorkOrderModel[];
    expect(done?.status).toBe('COMPLETED');
    expect(done?.completedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    const visits = await c.children('appointment', 'workOrder', [wo.id]);
    expect(visits.get(wo.id)!.every((v) => v.status === 'COMPLETED')).toBe(true);
  });

  it('classifies auth failures without leaking credentials', async () => {
    const info = sandbox.simulators.servicetitan!.info(sandbox.origin);
    const conn = connectionFromSandbox(info);
    const wrongSecret = await failure(createServiceTitanConnector({ ...conn, clientSecret: 'cs1.wrong-secret-123' }).ping());
    expect(wrongSecret).toMatchObject({ kind: 'unauthorized', vendorCode: 'invalid_client', status: 400, vendor: ST });
    const wrongKey = await failure(createServiceTitanConnector({ ...conn, appKey: 'ak1.not-our-app' }).ping());
    expect(wrongKey).toMatchObject({ kind: 'unauthorized', status: 401, vendorCode: 'invalid_app_key' });
    // Tenant 2's credentials on tenant 1's paths.
    const other = SERVICETITAN_SANDBOX.tenants[1];
    const mismatch = await failure(createServiceTitanConnector({ ...conn, clientId: other.clientId, clientSecret: other.clientSecret }).ping());
    expect(mismatch).toMatchObject({ kind: 'forbidden', status: 403, vendorCode: 'tenant_mismatch' });
    for (const e of [wrongSecret, wrongKey, mismatch]) {
      for (const secret of ['cs1.wrong-secret-123', conn.clientSecret, other.clientSecret, 'ak1.not-our-app']) expect(e.message).not.toContain(secret);
    }
    // Tenant 2 holds nothing: isolation.
    const empty = createServiceTitanConnector({ ...conn, clientId: other.clientId, clientSecret: other.clientSecret, tenant: other.tenant });
    expect((await empty.list('workOrder')).items).toEqual([]);
    expect(await empty.get('workOrder', [data.workOrders[0]!.id])).toEqual([null]);
  });
});
