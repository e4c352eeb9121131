/**
 * The ServicePower connector against its simulator over real HTTP: the shared conformance suite,
 * then what is particular to ServicePower (session single flight, relation call counts, embedded
 * records, compound create + dispatch, exact claim totals, error classification, no idempotency
 * header on writes).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resetSharedClientState } from '../../connectors/core/http-client.js';
import { PartialWriteError } from '../../connectors/core/ops.js';
import { UNIT_TYPES } from '../../connectors/sandbox/dataset/catalog.js';
import type { Dataset, GenWorkOrder, VendorData } from '../../connectors/sandbox/dataset/types.js';
import type { Sandbox } from '../../connectors/sandbox/server.js';
import { connectionFromSandbox, createServicePowerConnector } from '../../connectors/servicepower/index.js';
import { ConnectorError, type ConnectorOptions, type FieldServiceConnector } from '../../connectors/types.js';
import type { RecordRef, WorkOrderModel } from '../../src/model/index.js';
import { call, startTestSandbox } from '../helpers/sandbox.js';
import { runConformance, type ConnectOptions } from './connector-conformance.js';

const SP = 'servicepower' as const;
const sp = (id: string): RecordRef => ({ system: SP, id });

/** Connector on the sandbox; a generous client-side limit keeps the suite fast. */
function connect(sandbox: Sandbox, options: ConnectOptions & ConnectorOptions = {}): FieldServiceConnector {
  const info = sandbox.simulators.servicepower!.info(sandbox.origin);
  return createServicePowerConnector({ ...connectionFromSandbox(info), rateLimit: { perSecond: 1000, burst: 200 } }, options);
}

/** The skill a technician needs for a work order's unit (as the vendor decides it). */
function skillOf(data: VendorData, w: GenWorkOrder): string | undefined {
  const unit = data.equipment.find((e) => e.id === w.equipmentIds[0]);
  return UNIT_TYPES.find((u) => u.type === unit?.type)?.skill ?? UNIT_TYPES.find((u) => u.problems.includes(w.problemCode))?.skill;
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
/** A 4-hour window on a day nobody is booked yet. */
function freshWindow(): { start: string; end: string } {
  const start = Date.UTC(2027, 2, 1, 13) + windowDay++ * 86_400_000;
  return { start: new Date(start).toISOString().replace('.000', ''), end: new Date(start + 4 * 3_600_000).toISOString().replace('.000', '') };
}

/** An open work order with an active technician who has the skill for its unit. */
function dispatchable(ds: Dataset): { wo: GenWorkOrder; techId: string; providerId: string } {
  const data = ds.vendors.servicepower;
  for (const wo of data.workOrders) {
    if (!['new', 'on_hold', 'scheduled'].includes(wo.status)) continue;
    const skill = skillOf(data, wo);
    const tech = data.technicians.find((t) => t.active && (!skill || t.skills.includes(skill)));
    if (tech) return { wo, techId: tech.id, providerId: tech.providerId! };
  }
  throw new Error('no dispatchable work order in the data set');
}

runConformance({
  vendor: SP,
  connect,
  authEndpoints: /^POST \/sessions/,
  writes: {
    createWorkOrder: {
      kind: 'workOrder',
      endpoint: '^POST /work-orders$',
      async run(c, ds) {
        const eq = ds.vendors.servicepower.equipment[0]!;
        const wo = await c.createWorkOrder!({
          externalReference: `FG-${randomUUID()}`,
          customer: { ref: sp(eq.customerId) },
          location: { ref: sp(eq.locationId) },
          equipment: { ref: sp(eq.id) },
          serviceType: 'repair',
          problemCode: 'NO_COOL',
          summary: 'Unit does not cool',
          priority: 'NORMAL',
        });
        return wo.ref;
      },
    },
    dispatch: {
      kind: 'appointment',
      endpoint: '^POST /work-orders/\\{workOrderId\\}/dispatch$',
      async run(c, ds) {
        const { wo, techId } = dispatchable(ds);
        const r = await c.dispatch!({ workOrderRef: sp(wo.id), technicianRefs: [sp(techId)], window: freshWindow(), instructions: 'Call on arrival.' });
        expect(r.workOrder?.status).toBe('SCHEDULED');
        return r.appointment!.ref;
      },
    },
    submitClaim: {
      kind: 'claim',
      endpoint: '^POST /claims$',
      async run(c, ds) {
        const wo = ds.vendors.servicepower.workOrders.find((w) => w.status === 'completed')!;
        const claim = await c.submitClaim!({
          workOrderRef: sp(wo.id),
          claimType: 'warranty',
          referenceNumber: `FG-CLAIM-${randomUUID()}`,
          labor: { minutes: 90, rate: '85.00' },
          parts: [{ partNumber: 'ICE-VALVE-01', quantity: 1, unitCost: '42.50' }],
          travel: { miles: '12.3', timeMinutes: 30 },
          taxes: '7.25',
          attachments: [],
          resolution: { code: 'REPAIRED' },
        });
        return claim.ref;
      },
    },
  },
});

describe('servicepower connector specifics', () => {
  let sandbox: Sandbox;
  let data: VendorData;
  let c: FieldServiceConnector;

  const calls = (endpoint?: RegExp): number => {
    const v = sandbox.stats.snapshot().vendors.servicepower;
    if (!v) return 0;
    return Object.entries(v.endpoints)
      .filter(([k]) => (endpoint ? endpoint.test(k) : !/^POST \/sessions/.test(k)))
      .reduce((s, [, e]) => s + e.count, 0);
  };
  const statusCount = (status: number): number => {
    const v = sandbox.stats.snapshot().vendors.servicepower;
    return v ? Object.values(v.endpoints).reduce((s, e) => s + (e.statuses[String(status)] ?? 0), 0) : 0;
  };

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    data = sandbox.dataset.vendors.servicepower;
  });
  afterAll(() => sandbox.close());
  beforeEach(() => {
    resetSharedClientState();
    sandbox.setFaults({ servicepower: { down: false, errorRate: 0, dropRate: 0, malformedRate: 0, rateLimit: null, tokenTtlSeconds: null, latencyMs: 0, only: null } });
    sandbox.stats.reset();
    c = connect(sandbox);
  });

  it('makes one session request for 100 concurrent calls at token expiry', async () => {
    sandbox.setFaults({ servicepower: { tokenTtlSeconds: 2 } });
    c = connect(sandbox);
    await c.ping();
    expect(calls(/^POST \/sessions$/)).toBe(1);
    // Past the early-refresh point (a fifth of the 2 s lifetime before expiry), before expiry.
    await new Promise((r) => setTimeout(r, 1_700));
    sandbox.stats.reset();
    const ids = Array.from({ length: 100 }, (_, i) => data.technicians[i % data.technicians.length]!.id);
    await Promise.all(ids.map((id) => c.get('technician', [id])));
    expect(calls(/^POST \/sessions/)).toBe(1);
    expect(calls()).toBe(100);
    expect(statusCount(401)).toBe(0);
  });

  it('reads relations with the calls the API allows', async () => {
    const wos = data.workOrders.slice(0, 40).map((w) => w.id);
    // The fewer of one call per work order and one walk of the whole list (100 a page).
    await c.children('appointment', 'workOrder', wos);
    expect(calls(), 'the fewer of a dispatch list per work order and a walk of all dispatches').toBe(Math.min(40, Math.ceil(data.appointments.length / 100)));

    sandbox.stats.reset();
    await c.children('claim', 'workOrder', wos);
    expect(calls(/^GET \/claims$/), 'the fewer of claims?workOrderId= per work order and a walk of all claims').toBe(Math.min(40, Math.ceil(data.claims.length / 100)));

    // The size of each list is known now: two work orders cost their two filtered calls.
    sandbox.stats.reset();
    await c.children('appointment', 'workOrder', wos.slice(0, 2));
    await c.children('claim', 'workOrder', wos.slice(0, 2));
    expect(calls(), 'one call per work order when that is fewer').toBe(4);

    sandbox.stats.reset();
    const customers = data.customers.map((x) => x.id);
    const byCustomer = await c.children('workOrder', 'customer', customers);
    expect(calls(), 'one walk of the work orders for all customers').toBe(Math.ceil(data.workOrders.length / 100));
    expect([...byCustomer.values()].reduce((s, l) => s + l.length, 0)).toBe(data.workOrders.length);

    sandbox.stats.reset();
    const techs = data.technicians.map((t) => t.id);
    const byTech = await c.children('workOrder', 'technician', techs);
    const providers = new Set(data.technicians.map((t) => t.providerId));
    expect(calls(/^GET \/technicians\/\{technicianId\}$/)).toBe(techs.length);
    let providerPages = 0;
    for (const p of providers) providerPages += Math.max(1, Math.ceil(data.workOrders.filter((w) => w.providerId === p).length / 100));
    expect(calls(/^GET \/work-orders$/), 'one walk per provider').toBe(providerPages);
    for (const t of techs) {
      expect(new Set(byTech.get(t)!.map((w) => w.ref.id))).toEqual(new Set(data.workOrders.filter((w) => w.technicianIds.includes(t)).map((w) => w.id)));
    }
  });

  it('puts the embedded customer, location and unit into `embedded`, and reads them by id too', async () => {
    const page = await c.list('workOrder', { pageSize: 10 });
    const w = page.items[0]!;
    const gen = data.workOrders.find((x) => x.id === w.ref.id)!;
    expect(w.embedded?.customer?.ref).toEqual(sp(gen.customerId));
    expect(w.embedded?.location?.ref).toEqual(sp(gen.locationId));
    expect(w.embedded?.location?.customerRef).toEqual(sp(gen.customerId));
    expect(w.embedded?.equipment?.map((e) => e.ref)).toEqual(gen.equipmentIds.map(sp));
    const [customer] = await c.get('customer', [gen.customerId]);
    const [location] = await c.get('location', [gen.locationId]);
    const [unit] = await c.get('equipment', [gen.equipmentIds[0]!]);
    expect(customer?.name).toBe(w.embedded?.customer?.name);
    expect(location?.address.line1).toBe(w.embedded?.location?.address.line1);
    expect(unit?.serialNumber).toBe(w.embedded?.equipment?.[0]?.serialNumber);
  });

  it('applies filters the API lacks client-side, keeping the cursor going', async () => {
    const customerId = data.workOrders[0]!.customerId;
    const got: string[] = [];
    for await (const w of c.iterate('workOrder', { customerId, pageSize: 50 })) got.push(w.ref.id);
    expect(new Set(got)).toEqual(new Set(data.workOrders.filter((w) => w.customerId === customerId).map((w) => w.id)));
    const first = await c.list('workOrder', { customerId, pageSize: 50 });
    expect(first.nextCursor).toBe('2');
    // `total` is the vendor's count of the server-side query (all work orders): for sizing windows.
    expect(first.total).toBe(data.workOrders.length);
    const statuses = await c.list('workOrder', { sourceStatuses: ['completed'], pageSize: 100 });
    expect(statuses.total).toBe(data.workOrders.filter((w) => w.status === 'completed').length);
  });

  it('creates and dispatches in one command', async () => {
    const { wo, techId } = dispatchable(sandbox.dataset);
    const window = freshWindow();
    const created = await c.createWorkOrder!({
      externalReference: `FG-${randomUUID()}`,
      customer: { ref: sp(wo.customerId) },
      location: { ref: sp(wo.locationId) },
      ...(wo.equipmentIds[0] ? { equipment: { ref: sp(wo.equipmentIds[0]) } } : {}),
      serviceType: 'repair',
      problemCode: wo.problemCode,
      summary: 'Follow-up visit',
      priority: 'HIGH',
      sla: { respondBy: '2027-02-27T17:00:00Z', completeBy: '2027-03-20T23:59:59Z' },
      window,
      technicianRefs: [sp(techId)],
      parts: [{ partNumber: 'ICE-VALVE-01', quantity: 1 }],
    });
    expect(created.status).toBe('SCHEDULED');
    expect(created.priority).toBe('HIGH');
    expect(created.window).toEqual(window);
    expect(created.technicianRefs).toEqual([sp(techId)]);
    expect(created.parts).toEqual([{ partNumber: 'ICE-VALVE-01', quantity: '1' }]);
  });

  it('reports a refused dispatch after intake with the work order that exists', async () => {
    const { wo } = dispatchable(sandbox.dataset);
    const skill = skillOf(data, wo)!;
    const unskilled = data.technicians.find((t) => t.active && !t.skills.includes(skill))!;
    const err = await failure(
      c.createWorkOrder!({
        externalReference: `FG-${randomUUID()}`,
        customer: { ref: sp(wo.customerId) },
        location: { ref: sp(wo.locationId) },
        equipment: { ref: sp(wo.equipmentIds[0]!) },
        serviceType: 'repair',
        problemCode: wo.problemCode,
        summary: 'Needs a skilled technician',
        priority: 'NORMAL',
        window: freshWindow(),
        technicianRefs: [sp(unskilled.id)],
      }),
    );
    expect(err).toBeInstanceOf(PartialWriteError);
    expect((err as PartialWriteError).failedStep).toBe('dispatch');
    expect(err.kind).toBe('invalid_request');
    expect(err.vendorCode).toBe('unprocessable');
    expect(err.fieldErrors.map((f) => f.field)).toContain('assignedTechId');
    expect(err.message).toMatch(/work order wo_\w+ was created/);
    const [created] = (err as PartialWriteError).completed;
    const [back] = await c.get('workOrder', [created!.id]);
    expect(back?.status).toBe('NEW');
  });

  it('submits the seed example claim and reads back its exact total', async () => {
    const wo = data.workOrders.filter((w) => w.status === 'completed')[3]!;
    const claim = await c.submitClaim!({
      workOrderRef: sp(wo.id),
      claimType: 'warranty',
      referenceNumber: `CLAIM-2026-${randomUUID().slice(0, 8)}`,
      labor: { minutes: 90, rate: '85.00' },
      parts: [{ partNumber: 'ICE-VALVE-01', quantity: 1, unitCost: '42.50' }],
      travel: { miles: '12.3', timeMinutes: 30 },
      taxes: '7.25',
      attachments: [
        { fileName: 'completion_photo.jpg', uploadToken: 'upl_98dc3a' },
        { fileName: 'signed_work_order.pdf', uploadToken: 'upl_08ab73' },
      ],
      resolution: { code: 'REPAIRED', description: 'Replaced inlet valve; unit passed test' },
    });
    expect(claim.total).toEqual({ amount: '178.05', currency: 'USD' });
    expect(claim.taxes).toEqual({ amount: '7.25', currency: 'USD' });
    expect(claim.status).toBe('SUBMITTED');
    expect(claim.lineItems.map((l) => [l.code, l.quantity, l.total.amount])).toEqual([
      ['LABOR', '1.50', '127.50'],
      ['ICE-VALVE-01', '1', '42.50'],
      ['TRAVEL', '1', '0.80'],
    ]);
  });

  it('classifies the vendor refusals', async () => {
    const open = data.workOrders.find((w) => w.status === 'scheduled')!;
    const completed = data.workOrders.find((w) => w.status === 'completed')!;
    const claim = (workOrderId: string) =>
      failure(c.submitClaim!({
        workOrderRef: sp(workOrderId),
        claimType: 'warranty',
        referenceNumber: `FG-${randomUUID()}`,
        labor: { minutes: 60, rate: '85.00' },
        parts: [],
        taxes: '0.00',
        attachments: [],
        resolution: { code: 'REPAIRED' },
      }));

    const notCompleted = await claim(open.id);
    expect(notCompleted).toMatchObject({ kind: 'conflict', status: 409, vendorCode: 'conflict', vendor: SP, operation: 'claims.submit' });
    const unknown = await claim('wo_ffffff9');
    expect(unknown).toMatchObject({ kind: 'invalid_request', status: 422, vendorCode: 'unprocessable' });
    expect(unknown.fieldErrors).toEqual([{ field: 'workOrderId', message: 'Unknown work order.' }]);

    const closed = await failure(c.dispatch!({ workOrderRef: sp(completed.id), technicianRefs: [sp(data.technicians[0]!.id)], window: freshWindow() }));
    expect(closed).toMatchObject({ kind: 'conflict', status: 409 });

    // Refused before any call: ServicePower carries a priority only inside an SLA with both dates.
    sandbox.stats.reset();
    const noSla = await failure(
      c.createWorkOrder!({
        externalReference: 'FG-1',
        customer: { ref: sp(completed.customerId) },
        location: { ref: sp(completed.locationId) },
        serviceType: 'repair',
        problemCode: 'NO_COOL',
        summary: 'x',
        priority: 'URGENT',
      }),
    );
    expect(noSla).toMatchObject({ kind: 'invalid_request' });
    expect(noSla.fieldErrors.map((f) => f.field)).toEqual(['sla']);
    expect(sandbox.stats.snapshot().total).toBe(0);
  });

  it('never sends an idempotency key and never leaks credentials into errors', async () => {
    const seen: Array<Record<string, string>> = [];
    const recording: typeof fetch = (input, init) => {
      seen.push(Object.fromEntries(Object.entries((init?.headers as Record<string, string>) ?? {}).map(([k, v]) => [k.toLowerCase(), v])));
      return fetch(input, init);
    };
    const rc = connect(sandbox, { fetch: recording });
    const eq = data.equipment[1]!;
    await rc.createWorkOrder!({
      externalReference: `FG-${randomUUID()}`,
      customer: { ref: sp(eq.customerId) },
      location: { ref: sp(eq.locationId) },
      equipment: { ref: sp(eq.id) },
      serviceType: 'repair',
      problemCode: 'NOT_CLEANING',
      summary: 'Dishes stay dirty',
      priority: 'NORMAL',
    });
    expect(seen.length).toBeGreaterThan(1);
    for (const h of seen) expect(Object.keys(h)).not.toContain('idempotency-key');

    const info = sandbox.simulators.servicepower!.info(sandbox.origin);
    const conn = connectionFromSandbox(info);
    const bad = createServicePowerConnector({ ...conn, password: 'wrong-password-123' });
    const err = await failure(bad.ping());
    expect(err).toMatchObject({ kind: 'unauthorized', vendorCode: 'invalid_credentials', status: 401 });
    for (const secret of ['wrong-password-123', conn.clientSecret, conn.totpSecret]) expect(err.message).not.toContain(secret);
  });

  it('answers 404s on single reads with null and walks a work order`s visits', async () => {
    const [missing] = await c.get('workOrder', ['wo_ffffff9']);
    expect(missing).toBeNull();
    const visits = await c.children('appointment', 'workOrder', ['wo_ffffff9']);
    expect(visits.get('wo_ffffff9')).toEqual([]);
    const wo = data.workOrders.find((w) => data.appointments.some((a) => a.workOrderId === w.id))!;
    const page = await c.list('appointment', { workOrderId: wo.id });
    expect(page.items.map((a) => a.ref.id).sort()).toEqual(data.appointments.filter((a) => a.workOrderId === wo.id).map((a) => a.id).sort());
  });

  it('reads the sandbox action results through the connector (start, complete, then claim)', async () => {
    const { wo, techId } = dispatchable(sandbox.dataset);
    const r = await c.dispatch!({ workOrderRef: sp(wo.id), technicianRefs: [sp(techId)], window: freshWindow() });
    expect(r.appointment?.status).toBe('SCHEDULED');
    for (const a of ['start', 'complete']) {
      const res = await call('POST', `${sandbox.origin}/_sandbox/actions/servicepower/${a}`, { json: { id: wo.id } });
      expect(res.status).toBe(200);
    }
    const [done] = (await c.get('workOrder', [wo.id])) as Array<WorkOrderModel | null>;
    expect(done?.status).toBe('COMPLETED');
    expect(done?.completedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    const [visit] = await c.get('appointment', [r.appointment!.ref.id]);
    expect(visit?.status).toBe('COMPLETED');
  });
});

describe('servicepower time windows and status words', () => {
  let sandbox: Sandbox;
  let data: VendorData;
  let urls: URL[];
  let c: FieldServiceConnector;
  const ms = (iso: string) => Date.parse(iso);
  const iso = (t: number) => new Date(t).toISOString();
  const whole = (t: number) => iso(t).replace('.000Z', 'Z');

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    data = sandbox.dataset.vendors.servicepower;
  });
  afterAll(() => sandbox.close());
  beforeEach(() => {
    resetSharedClientState();
    urls = [];
    c = connect(sandbox, { fetch: (input, init) => (urls.push(new URL(String(input))), fetch(input, init)) });
  });
  const listCall = (suffix: string) => urls.find((u) => u.pathname.endsWith(suffix))!;

  it('sends a window as updatedFrom/updatedTo, both inclusive to the second, and trims it to the millisecond', async () => {
    const cases = [
      { kind: 'workOrder', path: '/work-orders', records: data.workOrders },
      { kind: 'appointment', path: '/dispatches', records: data.appointments },
      { kind: 'claim', path: '/claims', records: data.claims },
      { kind: 'customer', path: '/customers', records: data.customers },
      { kind: 'technician', path: '/technicians', records: data.technicians },
    ] as const;
    for (const { kind, path, records } of cases) {
      urls = [];
      const times = [...new Set(records.map((r) => ms(r.updatedAt)))].sort((a, b) => a - b);
      const from = times[Math.floor(times.length / 4)]!;
      const to = times[Math.floor(times.length / 2)]!;
      // 500 ms into the second of `from` (its records are out) and 1 ms past `to` (its records are in).
      const got: string[] = [];
      let total: number | undefined;
      for (let cursor: string | undefined, first = true; first || cursor; first = false) {
        const p = await c.list(kind, { updatedSince: iso(from + 500), updatedBefore: iso(to + 1), pageSize: 100, ...(cursor ? { cursor } : {}) });
        if (first) total = p.total;
        got.push(...p.items.map((m) => m.ref.id));
        cursor = p.nextCursor;
      }
      expect(new Set(got), kind).toEqual(new Set(records.filter((r) => ms(r.updatedAt) > from && ms(r.updatedAt) <= to).map((r) => r.id)));
      const sent = listCall(path).searchParams;
      expect([sent.get('updatedFrom'), sent.get('updatedTo')], kind).toEqual([whole(from), whole(to)]);
      // The vendor counts its inclusive range, the records at `from` included.
      expect(total, kind).toBe(records.filter((r) => ms(r.updatedAt) >= from && ms(r.updatedAt) <= to).length);
    }
  });

  it('asks nothing for a window no whole second falls in', async () => {
    const t = ms(data.workOrders[0]!.updatedAt);
    expect(await c.list('workOrder', { updatedSince: iso(t + 100), updatedBefore: iso(t + 900) })).toEqual({ items: [], total: 0 });
    expect(urls).toEqual([]);
  });

  it("applies a window to a work order's own dispatches client-side", async () => {
    const visit = data.appointments[0]!;
    const t = ms(visit.updatedAt);
    const read = async (since: number, before: number) => {
      const got: string[] = [];
      for await (const a of c.iterate('appointment', { workOrderId: visit.workOrderId, updatedSince: iso(since), updatedBefore: iso(before) })) got.push(a.ref.id);
      return got;
    };
    const others = data.appointments.filter((a) => a.workOrderId === visit.workOrderId);
    expect(new Set(await read(t, t + 1))).toEqual(new Set(others.filter((a) => ms(a.updatedAt) === t).map((a) => a.id)));
    expect(await read(t + 1, t + 1000)).toEqual([]);
    // The work order's visits are counted without the window: no total.
    expect((await c.list('appointment', { workOrderId: visit.workOrderId, updatedSince: iso(t), updatedBefore: iso(t + 1) })).total).toBeUndefined();
    expect((await c.list('appointment', { workOrderId: visit.workOrderId })).total).toBe(others.length);
    expect(urls.some((u) => u.searchParams.has('updatedTo') || u.searchParams.has('updatedFrom'))).toBe(false);
  });

  it('accepts every status word of its tables', async () => {
    const records = { workOrder: data.workOrders, appointment: data.appointments, claim: data.claims } as const;
    for (const [kind, table] of Object.entries(c.capabilities.statuses) as Array<[keyof typeof records, Record<string, string>]>) {
      for (const [word, canonical] of Object.entries(table)) {
        const got: Array<{ ref: RecordRef; status: string }> = [];
        for await (const m of c.iterate(kind, { sourceStatuses: [word] })) got.push(m);
        expect(new Set(got.map((m) => m.ref.id)), `${kind} ${word}`).toEqual(new Set(records[kind].filter((r) => r.status === word).map((r) => r.id)));
        for (const m of got) expect(m.status, `${kind} ${word}`).toBe(canonical);
      }
    }
  });
});
