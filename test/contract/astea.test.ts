/**
 * The Astea Alliance connector against its simulator over real HTTP: the shared conformance suite
 * (with dispatch and parts/labor consumption as the write cases), then what the suite does not
 * cover: single-flight session refresh and re-sign-in under 100 concurrent calls, the tenant in the
 * session, how many calls relations cost on either side of the walk-or-fan-out decision, status
 * filters as server-side variants, a lost consumption response, idempotent and partial dispatches,
 * and Alliance refusals translated into user errors.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connectionFromSandbox, createAsteaConnector, type AsteaConnection } from '../../connectors/astea/index.js';
import { toUserErrors } from '../../connectors/astea/mapping.js';
import { PartialWriteError } from '../../connectors/core/ops.js';
import { resetSharedClientState } from '../../connectors/core/http-client.js';
import { PARTS, UNIT_TYPES } from '../../connectors/sandbox/dataset/catalog.js';
import type { Dataset, GenTechnician, GenWorkOrder } from '../../connectors/sandbox/dataset/types.js';
import type { Sandbox } from '../../connectors/sandbox/server.js';
import { ConnectorError, type ConnectorOptions, type FieldServiceConnector } from '../../connectors/types.js';
import type { RecordRef } from '../../src/model/index.js';
import { call, startTestSandbox } from '../helpers/sandbox.js';
import { runConformance } from './connector-conformance.js';

const ref = (id: string): RecordRef => ({ system: 'astea', id });
const OPEN = new Set(['open', 'scheduled', 'en_route', 'on_site']);
const SKILL_BY_TYPE = new Map(UNIT_TYPES.map((t) => [t.type, t.skill]));

function connection(sandbox: Sandbox): AsteaConnection {
  return connectionFromSandbox(sandbox.simulators.astea!.info(sandbox.origin));
}

function connect(sandbox: Sandbox, options: ConnectorOptions = {}, hooks: { now?: () => number } = {}): FieldServiceConnector {
  return createAsteaConnector(connection(sandbox), options, hooks);
}

/** Work orders still open for work, in data-set order. */
function openWorkOrders(dataset: Dataset): GenWorkOrder[] {
  return dataset.vendors.astea.workOrders.filter((w) => OPEN.has(w.status));
}

/** The skill the work order's unit needs (undefined without a unit). */
function skillFor(dataset: Dataset, wo: GenWorkOrder): string | undefined {
  const unit = dataset.vendors.astea.equipment.find((e) => e.id === wo.equipmentIds[0]);
  return unit ? SKILL_BY_TYPE.get(unit.type) : undefined;
}

/** Active technicians who can work on the work order's unit. */
function qualified(dataset: Dataset, wo: GenWorkOrder): GenTechnician[] {
  const skill = skillFor(dataset, wo);
  return dataset.vendors.astea.technicians.filter((t) => t.active && (!skill || t.skills.includes(skill)));
}

/** A two-hour window on its own future day, so no test's visit overlaps another's. */
let day = 0;
function freshWindow(): { start: string; end: string } {
  const start = Date.UTC(2031, 0, 1, 14) + day++ * 86_400_000;
  const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return { start: iso(start), end: iso(start + 2 * 3_600_000) };
}

const POST_ASSIGNMENT = '^POST /work-orders/\\{workOrderId\\}/assignments$';
const POST_CONSUMPTION = '^POST /work-orders/\\{workOrderId\\}/consumptions$';

let writes = 0;

runConformance({
  vendor: 'astea',
  connect: (sandbox, options) => connect(sandbox, options ?? {}),
  authEndpoints: /^POST \/sessions/,
  writes: {
    dispatch: {
      kind: 'appointment',
      endpoint: POST_ASSIGNMENT,
      async run(connector, dataset) {
        const open = openWorkOrders(dataset);
        const wo = open[writes++ % open.length]!;
        const tech = qualified(dataset, wo)[0]!;
        const r = await connector.dispatch!({ workOrderRef: ref(wo.id), technicianRefs: [ref(tech.id)], window: freshWindow(), instructions: 'Conformance dispatch' });
        expect(r.appointment?.technicianRefs).toEqual([ref(tech.id)]);
        return r.appointment!.ref;
      },
    },
    recordConsumption: {
      kind: 'workOrder',
      endpoint: POST_CONSUMPTION,
      // A consumption is not a record the suite can count by walking a list (it has no canonical
      // kind); the lost-response case is tested below by counting the work order's consumptions.
      recoversDroppedResponse: false,
      async run(connector, dataset) {
        const wo = openWorkOrders(dataset)[0]!;
        const tech = dataset.vendors.astea.technicians[0]!;
        const r = await connector.recordConsumption!({
          workOrderRef: ref(wo.id),
          parts: [{ partNumber: PARTS[0]!.partNumber, quantity: '1' }],
          labor: [{ technicianRef: ref(tech.id), laborType: 'regular', hours: '0.5', startAt: '2031-03-01T14:00:00Z', endAt: '2031-03-01T14:30:00Z' }],
        });
        expect(r).toEqual({ workOrderRef: ref(wo.id), recordedParts: 1, recordedLabor: 1 });
        return r.workOrderRef;
      },
    },
  },
});

describe('astea connector specifics', () => {
  let sandbox: Sandbox;
  let dataset: Dataset;
  let connector: FieldServiceConnector;

  /** Calls of one endpoint since the last stats reset. */
  const calls = (endpoint: string): number => sandbox.stats.snapshot().vendors.astea?.endpoints[endpoint]?.count ?? 0;
  const apiCalls = (): number =>
    Object.entries(sandbox.stats.snapshot().vendors.astea?.endpoints ?? {})
      .filter(([k]) => !k.startsWith('POST /sessions'))
      .reduce((s, [, e]) => s + e.count, 0);
  const status = (code: number): number =>
    Object.values(sandbox.stats.snapshot().vendors.astea?.endpoints ?? {}).reduce((s, e) => s + (e.statuses[String(code)] ?? 0), 0);

  beforeAll(async () => {
    // A larger data set (about 700 Alliance work orders, 7 pages) so that relations can be read on
    // either side of the walk-or-fan-out decision.
    sandbox = await startTestSandbox({ data: { workOrders: 6000 } });
    dataset = sandbox.dataset;
  });
  afterAll(() => sandbox.close());
  beforeEach(() => {
    resetSharedClientState();
    sandbox.setFaults({ astea: { down: false, errorRate: 0, timeoutRate: 0, malformedRate: 0, dropRate: 0, rateLimit: null, tokenTtlSeconds: null, latencyMs: 0, only: null } });
    sandbox.stats.reset();
    connector = connect(sandbox);
  });

  describe('sessions', () => {
    it('refreshes once for 100 concurrent calls at expiry', async () => {
      let now = Date.now();
      const c = connect(sandbox, {}, { now: () => now });
      const techId = dataset.vendors.astea.technicians[0]!.id;
      await c.get('technician', [techId]);
      expect(calls('POST /sessions')).toBe(1);
      // 59 minutes on: inside the last minute of the hour-long session, when it is renewed.
      now += 59 * 60_000 + 1_000;
      const got = await Promise.all(Array.from({ length: 100 }, () => c.get('technician', [techId])));
      expect(got.every(([t]) => t?.ref.id === techId)).toBe(true);
      expect(calls('POST /sessions/refresh')).toBe(1);
      expect(calls('POST /sessions')).toBe(1);
      expect(status(401)).toBe(0);
    });

    it('signs in once when 100 concurrent calls find every session revoked', async () => {
      const techId = dataset.vendors.astea.technicians[0]!.id;
      await connector.get('technician', [techId]);
      sandbox.setFaults({ astea: { expireTokens: true } });
      sandbox.stats.reset();
      const got = await Promise.all(Array.from({ length: 100 }, () => connector.get('technician', [techId])));
      expect(got.every(([t]) => t?.ref.id === techId)).toBe(true);
      expect(calls('POST /sessions')).toBe(1);
      expect(calls('GET /technicians/{technicianId}')).toBe(200);
    });

    it('shares one session between connectors of the same account, and not with other credentials', async () => {
      await connector.ping();
      await connect(sandbox).ping();
      expect(calls('POST /sessions')).toBe(1);
      const other = createAsteaConnector({ ...connection(sandbox), password: 'wrong-password' });
      await expect(other.ping()).rejects.toMatchObject({ kind: 'unauthorized' });
      expect(calls('POST /sessions')).toBe(2);
    });

    it('names the tenant: a wrong one is refused, and no secret reaches the error', async () => {
      const conn = { ...connection(sandbox), tenant: 'another-tenant' };
      const err = (await createAsteaConnector(conn).ping().catch((e: unknown) => e)) as ConnectorError;
      expect(err).toBeInstanceOf(ConnectorError);
      expect(err).toMatchObject({ kind: 'unauthorized', vendor: 'astea', status: 401, operation: 'sessions.create', vendorCode: 'invalid_credentials' });
      const text = `${err.message} ${JSON.stringify(err)}`;
      for (const secret of [conn.password, conn.clientSecret, conn.totpSecret, sandbox.origin]) expect(text).not.toContain(secret);
    });
  });

  describe('reads', () => {
    it('reads each id once, keeps order and duplicates, and refuses kinds Alliance does not hold', async () => {
      const [a, b] = dataset.vendors.astea.customers;
      const got = await connector.get('customer', [a!.id, 'cust_ffffff9', a!.id, b!.id, '']);
      expect(got.map((c) => c?.ref.id ?? null)).toEqual([a!.id, null, a!.id, b!.id, null]);
      expect(calls('GET /customers/{customerId}')).toBe(3);
      await expect(connector.get('membership', ['m_1'])).rejects.toMatchObject({ kind: 'invalid_request' });
      await expect(connector.list('claim')).rejects.toMatchObject({ kind: 'invalid_request' });
    });

    it('embeds the site and the asset of a work order for the loaders', async () => {
      const wo = dataset.vendors.astea.workOrders.find((w) => w.equipmentIds.length > 0)!;
      const [m] = await connector.get('workOrder', [wo.id]);
      expect(m!.embedded?.location).toMatchObject({ ref: ref(wo.locationId), customerRef: ref(wo.customerId) });
      expect(m!.embedded?.equipment?.[0]).toMatchObject({ ref: ref(wo.equipmentIds[0]!), locationRef: ref(wo.locationId) });
      expect(m!.number).toBe(wo.number);
    });

    it('filters several status words as one server-side query each, all pages of each', async () => {
      const want = ['open', 'on_site'];
      const expected = dataset.vendors.astea.workOrders.filter((w) => want.includes(w.status)).map((w) => w.id);
      const got = [];
      for await (const w of connector.iterate('workOrder', { sourceStatuses: want, pageSize: 10 })) got.push(w.ref.id);
      expect(new Set(got)).toEqual(new Set(expected));
      expect(got.length).toBe(expected.length);
      const pages = want.reduce((s, st) => s + Math.max(1, Math.ceil(dataset.vendors.astea.workOrders.filter((w) => w.status === st).length / 10)), 0);
      // Plus, on the first page, a page of one of each further status to count it (`total` sums them).
      expect(calls('GET /work-orders')).toBe(pages + want.length - 1);
      const first = await connector.list('workOrder', { sourceStatuses: want, pageSize: 10 });
      expect(first.total).toBe(expected.length);
    });

    it('applies filters the API lacks on the client, never returning an empty page before the end', async () => {
      const tech = dataset.vendors.astea.technicians[3]!;
      const expected = dataset.vendors.astea.workOrders.filter((w) => w.technicianIds.includes(tech.id)).map((w) => w.id);
      let cursor: string | undefined;
      const got: string[] = [];
      do {
        const page = await connector.list('workOrder', { technicianId: tech.id, pageSize: 25, ...(cursor ? { cursor } : {}) });
        expect(page.items.length > 0 || page.nextCursor === undefined).toBe(true);
        // The vendor's count of the server-side query (every work order): for sizing, not a count of items.
        if (!cursor) expect(page.total).toBe(dataset.vendors.astea.workOrders.length);
        got.push(...page.items.map((w) => w.ref.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(new Set(got)).toEqual(new Set(expected));
    });

    it('reports the vendor total when the server applied every filter, and refuses foreign cursors and filters', async () => {
      const page = await connector.list('invoice', { customerId: dataset.vendors.astea.invoices[0]!.customerId, pageSize: 2 });
      expect(page.total).toBe(dataset.vendors.astea.invoices.filter((i) => i.customerId === dataset.vendors.astea.invoices[0]!.customerId).length);
      await expect(connector.list('invoice', { cursor: 'abc' })).rejects.toMatchObject({ kind: 'invalid_request' });
      await expect(connector.list('technician', { customerId: 'cust_1' })).rejects.toMatchObject({ kind: 'invalid_request' });
      await expect(connector.list('workOrder', { updatedSince: 'yesterday' })).rejects.toMatchObject({ kind: 'invalid_request' });
    });
  });

  describe('relations', () => {
    const woPages = (): number => Math.ceil(dataset.vendors.astea.workOrders.length / 100);

    it('costs one call for one parent', async () => {
      const c = dataset.vendors.astea.customers[0]!;
      const got = await connector.children('workOrder', 'customer', [c.id]);
      expect(new Set(got.get(c.id)!.map((w) => w.ref.id))).toEqual(new Set(dataset.vendors.astea.workOrders.filter((w) => w.customerId === c.id).map((w) => w.id)));
      expect(apiCalls()).toBe(1);
    });

    it('fans out, one call per parent plus the probe, when that is cheaper than a walk', async () => {
      expect(woPages()).toBeGreaterThan(4);
      const ids = dataset.vendors.astea.customers.slice(0, 3).map((c) => c.id);
      const got = await connector.children('workOrder', 'customer', ids);
      for (const id of ids) expect(got.get(id)!.length).toBe(dataset.vendors.astea.workOrders.filter((w) => w.customerId === id).length);
      expect(calls('GET /work-orders')).toBe(1 + 3);
    });

    it('walks the whole list once when that is cheaper than a call per parent', async () => {
      const ids = dataset.vendors.astea.customers.slice(0, 20).map((c) => c.id);
      const got = await connector.children('workOrder', 'customer', ids);
      for (const id of ids) expect(got.get(id)!.length).toBe(dataset.vendors.astea.workOrders.filter((w) => w.customerId === id).length);
      expect(calls('GET /work-orders')).toBe(woPages());
    });

    it('reads work orders of sites through their customers, with unknown parents empty', async () => {
      const sites = dataset.vendors.astea.locations.slice(0, 2).map((l) => l.id);
      const got = await connector.children('workOrder', 'location', [...sites, 'site_9999']);
      for (const id of sites) expect(new Set(got.get(id)!.map((w) => w.ref.id))).toEqual(new Set(dataset.vendors.astea.workOrders.filter((w) => w.locationId === id).map((w) => w.id)));
      expect(got.get('site_9999')).toEqual([]);
      // probe + 3 site reads + one work-order list per distinct customer
      const customers = new Set(dataset.vendors.astea.locations.slice(0, 2).map((l) => l.customerId));
      expect(calls('GET /sites/{siteId}')).toBe(3);
      expect(calls('GET /work-orders')).toBe(1 + customers.size);
    });

    it('reads work orders of technicians from their assignments, by a walk when they are many', async () => {
      const techs = dataset.vendors.astea.technicians.slice(0, 2).map((t) => t.id);
      const got = await connector.children('workOrder', 'technician', techs);
      for (const id of techs) expect(new Set(got.get(id)!.map((w) => w.ref.id))).toEqual(new Set(dataset.vendors.astea.workOrders.filter((w) => w.technicianIds.includes(id)).map((w) => w.id)));
      // two assignment lists (all their pages), then the work orders: a walk, as there are more of
      // them than pages of work orders
      expect(calls('GET /work-orders')).toBe(woPages());
      expect(calls('GET /work-orders/{workOrderId}')).toBe(0);
    });
  });

  describe('writes', () => {
    it('dispatches an open work order: it becomes scheduled, and dispatching again is the same visit', async () => {
      const wo = dataset.vendors.astea.workOrders.find((w) => w.status === 'open')!;
      const tech = qualified(dataset, wo)[0]!;
      const window = freshWindow();
      const first = await connector.dispatch!({ workOrderRef: ref(wo.id), technicianRefs: [ref(tech.id)], window, instructions: 'Gate code 4411' });
      expect(first.workOrder).toMatchObject({ ref: ref(wo.id), status: 'SCHEDULED', sourceStatus: 'scheduled', window });
      expect(first.workOrder!.technicianRefs).toContainEqual(ref(tech.id));
      expect(first.appointment).toMatchObject({ workOrderRef: ref(wo.id), status: 'SCHEDULED', window, instructions: 'Gate code 4411', technicianRefs: [ref(tech.id)] });
      const again = await connector.dispatch!({ workOrderRef: ref(wo.id), technicianRefs: [ref(tech.id)], window });
      expect(again.appointment!.ref).toEqual(first.appointment!.ref);
      const visits = await connector.children('appointment', 'workOrder', [wo.id]);
      expect(visits.get(wo.id)!.filter((a) => a.window.start === window.start)).toHaveLength(1);
    });

    it('finds the assignment whose response was lost instead of assigning twice', async () => {
      const wo = openWorkOrders(dataset)[1]!;
      const tech = qualified(dataset, wo)[0]!;
      sandbox.setFaults({ astea: { dropRate: 1, only: POST_ASSIGNMENT } });
      const r = await connector.dispatch!({ workOrderRef: ref(wo.id), technicianRefs: [ref(tech.id)], window: freshWindow() });
      sandbox.setFaults({ astea: { dropRate: 0, only: null } });
      expect(calls('POST /work-orders/{workOrderId}/assignments')).toBe(1);
      const [back] = await connector.get('appointment', [r.appointment!.ref.id]);
      expect(back?.technicianRefs).toEqual([ref(tech.id)]);
    });

    it('reports a dispatch that stopped part-way exactly, keeping what was assigned', async () => {
      const wo = openWorkOrders(dataset)[2]!;
      const good = qualified(dataset, wo)[0]!;
      const err = await connector.dispatch!({ workOrderRef: ref(wo.id), technicianRefs: [ref(good.id), ref('tech_nobody')], window: freshWindow() }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PartialWriteError);
      const p = err as PartialWriteError;
      expect(p).toMatchObject({ kind: 'invalid_request', status: 422, vendorCode: 'unprocessable', failedStep: 'assign tech_nobody' });
      expect(p.completed).toHaveLength(1);
      const [kept] = await connector.get('appointment', [p.completed[0]!.id]);
      expect(kept?.technicianRefs).toEqual([ref(good.id)]);
      expect(toUserErrors(p, 'dispatch', { technicianIndex: 1 })).toEqual([{ code: 'NOT_FOUND', field: ['technicianRefs', '1'], message: 'Unknown technician.' }]);
    });

    it('turns Alliance refusals of a dispatch into user errors', async () => {
      const data = dataset.vendors.astea;
      const wo = openWorkOrders(dataset).find((w) => skillFor(dataset, w) && data.technicians.some((t) => t.active && !t.skills.includes(skillFor(dataset, w)!)))!;
      const unskilled = data.technicians.find((t) => t.active && !t.skills.includes(skillFor(dataset, wo)!))!;
      const skill = await connector.dispatch!({ workOrderRef: ref(wo.id), technicianRefs: [ref(unskilled.id)], window: freshWindow() }).catch((e: unknown) => e as ConnectorError);
      expect(skill).toMatchObject({ kind: 'invalid_request', status: 422, vendorCode: 'skill_mismatch' });
      expect(toUserErrors(skill as ConnectorError, 'dispatch', { technicianIndex: 0 })[0]).toMatchObject({ code: 'NOT_ALLOWED', field: ['technicianRefs', '0'] });

      // The same technician on another work order, overlapping a visit already planned.
      const tech = qualified(dataset, wo)[0]!;
      const window = freshWindow();
      await connector.dispatch!({ workOrderRef: ref(wo.id), technicianRefs: [ref(tech.id)], window });
      const other = openWorkOrders(dataset).find((w) => w.id !== wo.id && qualified(dataset, w).some((t) => t.id === tech.id))!;
      const later = new Date(Date.parse(window.start) + 3_600_000).toISOString();
      const overlap = await connector.dispatch!({ workOrderRef: ref(other.id), technicianRefs: [ref(tech.id)], window: { start: later, end: new Date(Date.parse(later) + 3_600_000).toISOString() } }).catch((e: unknown) => e as ConnectorError);
      expect(overlap).toMatchObject({ kind: 'conflict', status: 409, vendorCode: 'schedule_conflict' });
      expect(toUserErrors(overlap as ConnectorError, 'dispatch')[0]).toMatchObject({ code: 'SLOT_UNAVAILABLE', field: ['window', 'start'] });

      const done = data.workOrders.find((w) => w.status === 'completed')!;
      const closed = await connector.dispatch!({ workOrderRef: ref(done.id), technicianRefs: [ref(tech.id)], window: freshWindow() }).catch((e: unknown) => e as ConnectorError);
      expect(closed).toMatchObject({ kind: 'conflict', status: 409, vendorCode: 'conflict' });
      expect(toUserErrors(closed as ConnectorError, 'dispatch')[0]).toMatchObject({ code: 'CONFLICT', field: ['workOrderRef'] });

      const missing = await connector.dispatch!({ workOrderRef: ref('wo_ffffff9'), technicianRefs: [ref(tech.id)], window: freshWindow() }).catch((e: unknown) => e as ConnectorError);
      expect(missing).toMatchObject({ kind: 'not_found', status: 404 });
      expect(toUserErrors(missing as ConnectorError, 'dispatch')[0]).toMatchObject({ code: 'NOT_FOUND', field: ['workOrderRef'] });

      const before = calls('POST /work-orders/{workOrderId}/assignments');
      const backwards = await connector.dispatch!({ workOrderRef: ref(wo.id), technicianRefs: [ref(tech.id)], window: { start: '2031-06-01T12:00:00Z', end: '2031-06-01T10:00:00Z' } }).catch((e: unknown) => e as ConnectorError);
      expect(backwards).toMatchObject({ kind: 'invalid_request' });
      expect(toUserErrors(backwards as ConnectorError, 'dispatch')[0]).toMatchObject({ code: 'INVALID', field: ['window', 'end'] });
      await expect(connector.dispatch!({ workOrderRef: { system: 'sera', id: wo.id }, technicianRefs: [ref(tech.id)], window: freshWindow() })).rejects.toMatchObject({ kind: 'invalid_request' });
      expect(calls('POST /work-orders/{workOrderId}/assignments'), 'nothing sent for a refused command').toBe(before);
    });

    it('records a consumption once when its response is lost', async () => {
      const wo = openWorkOrders(dataset)[3]!;
      const tech = dataset.vendors.astea.technicians[1]!;
      const command = {
        workOrderRef: ref(wo.id),
        parts: [{ partNumber: PARTS[1]!.partNumber, quantity: '2', uom: 'EA' }],
        labor: [{ technicianRef: ref(tech.id), laborType: 'regular', hours: '1.25', startAt: '2031-04-01T14:00:00Z', endAt: '2031-04-01T15:15:00Z', notes: 'lost response' }],
      };
      sandbox.setFaults({ astea: { dropRate: 1, only: POST_CONSUMPTION } });
      const r = await connector.recordConsumption!(command);
      sandbox.setFaults({ astea: { dropRate: 0, only: null } });
      expect(r).toEqual({ workOrderRef: ref(wo.id), recordedParts: 1, recordedLabor: 1 });
      expect(calls('POST /work-orders/{workOrderId}/consumptions')).toBe(1);
      const listed = await listConsumptions(sandbox, wo.id);
      expect(listed.filter((c) => c.labor.some((l) => l.notes === 'lost response'))).toHaveLength(1);
    });

    it('checks a consumption before sending it and translates Alliance refusals', async () => {
      const wo = openWorkOrders(dataset)[4]!;
      const tech = dataset.vendors.astea.technicians[0]!;
      const bad = await connector.recordConsumption!({
        workOrderRef: ref(wo.id),
        parts: [{ partNumber: 'X', quantity: '-1' }],
        labor: [{ technicianRef: ref(tech.id), laborType: 'regular', hours: '1.005', startAt: '2031-04-01T14:00:00Z', endAt: '2031-04-01T15:00:00Z' }],
      }).catch((e: unknown) => e as ConnectorError);
      expect(bad).toMatchObject({ kind: 'invalid_request' });
      expect(toUserErrors(bad as ConnectorError, 'recordConsumption').map((u) => [u.code, u.field])).toEqual([
        ['INVALID', ['parts', '0', 'quantity']],
        ['INVALID', ['labor', '0', 'hours']],
      ]);
      expect(calls('POST /work-orders/{workOrderId}/consumptions')).toBe(0);

      const unknown = await connector.recordConsumption!({
        workOrderRef: ref(wo.id),
        parts: [{ partNumber: 'NO-SUCH-PART', quantity: '1' }],
        labor: [{ technicianRef: ref('tech_nobody'), laborType: 'regular', hours: '1', startAt: '2031-04-01T14:00:00Z', endAt: '2031-04-01T15:00:00Z' }],
      }).catch((e: unknown) => e as ConnectorError);
      expect(unknown).toMatchObject({ kind: 'invalid_request', status: 422, vendorCode: 'unprocessable' });
      expect(toUserErrors(unknown as ConnectorError, 'recordConsumption').map((u) => [u.code, u.field])).toEqual([
        ['NOT_FOUND', ['labor', '0', 'technicianRef']],
        ['NOT_FOUND', ['parts', '0', 'partNumber']],
      ]);

      const missing = await connector.recordConsumption!({ workOrderRef: ref('wo_ffffff9'), parts: [{ partNumber: PARTS[0]!.partNumber, quantity: '1' }], labor: [] }).catch((e: unknown) => e as ConnectorError);
      expect(missing).toMatchObject({ kind: 'not_found' });
    });
  });
});

/** The consumptions of a work order, read with a session of its own (plain HTTP). */
async function listConsumptions(sandbox: Sandbox, workOrderId: string): Promise<Array<{ consumptionId: string; labor: Array<{ notes: string | null }> }>> {
  const info = sandbox.simulators.astea!.info(sandbox.origin);
  const auth = info.auth as { clientId: string; clientSecret: string; username: string; password: string; tenant: string; mfa: { secret: string } };
  const { totp } = await import('../../src/util/totp.js');
  const basic = Buffer.from(`${auth.clientId}:${auth.clientSecret}`).toString('base64');
  const session = await call('POST', `${info.baseUrl}/sessions`, {
    headers: { authorization: `Basic ${basic}` },
    json: { username: auth.username, password: auth.password, tenant: auth.tenant, mfa: { type: 'totp', code: totp(auth.mfa.secret) } },
  });
  const r = await call('GET', `${info.baseUrl}/work-orders/${workOrderId}/consumptions?pageSize=100`, { headers: { authorization: `Bearer ${session.body.authToken}` } });
  return r.body.items;
}

describe('astea time windows and status words', () => {
  let sandbox: Sandbox;
  let urls: URL[];
  let c: FieldServiceConnector;
  const ms = (iso: string) => Date.parse(iso);
  const iso = (t: number) => new Date(t).toISOString();
  const whole = (t: number) => iso(t).replace('.000Z', 'Z');

  beforeAll(async () => {
    sandbox = await startTestSandbox();
  });
  afterAll(() => sandbox.close());
  beforeEach(() => {
    resetSharedClientState();
    sandbox.simulators.astea!.reset();
    urls = [];
    c = connect(sandbox, { fetch: (input, init) => (urls.push(new URL(String(input))), fetch(input, init)) });
  });
  const lists = (suffix: string) => urls.filter((u) => u.pathname.endsWith(suffix));
  type Listed = 'workOrder' | 'appointment' | 'customer' | 'location' | 'equipment' | 'invoice' | 'technician';
  /** Every page of a window: ids and the first page's total. */
  const readAll = async (kind: Listed, since: number, before: number, extra: { sourceStatuses?: string[] } = {}) => {
    const ids: string[] = [];
    let total: number | undefined;
    for (let cursor: string | undefined, first = true; first || cursor; first = false) {
      const p = await c.list(kind, { updatedSince: iso(since), updatedBefore: iso(before), pageSize: 100, ...extra, ...(cursor ? { cursor } : {}) });
      if (first) total = p.total;
      ids.push(...p.items.map((m) => m.ref.id));
      cursor = p.nextCursor;
    }
    return { ids, total };
  };

  it('sends a window as updatedFrom/updatedTo, both inclusive to the second, and trims it to the millisecond', async () => {
    const data = sandbox.dataset.vendors.astea;
    const cases = [
      { kind: 'workOrder', path: '/work-orders', records: data.workOrders },
      { kind: 'appointment', path: '/assignments', records: data.appointments },
      { kind: 'customer', path: '/customers', records: data.customers },
      { kind: 'location', path: '/sites', records: data.locations },
      { kind: 'equipment', path: '/assets', records: data.equipment },
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
      expect([sent.get('updatedFrom'), sent.get('updatedTo')], kind).toEqual([whole(from), whole(to)]);
      expect(total, kind).toBe(records.filter((r) => ms(r.updatedAt) >= from && ms(r.updatedAt) <= to).length);
    }
  });

  it('covers every status variant of a window, and sums their counts on the first page', async () => {
    const data = sandbox.dataset.vendors.astea;
    const times = data.workOrders.map((r) => ms(r.updatedAt)).sort((a, b) => a - b);
    const from = times[10]!;
    const to = times[100]!;
    const want = ['scheduled', 'completed', 'cancelled'];
    const expected = data.workOrders.filter((w) => want.includes(w.status) && ms(w.updatedAt) >= from && ms(w.updatedAt) < to);
    const { ids, total } = await readAll('workOrder', from, to, { sourceStatuses: want });
    expect(new Set(ids)).toEqual(new Set(expected.map((w) => w.id)));
    expect(total).toBe(expected.length);
    // Each variant carries the window.
    for (const u of lists('/work-orders')) expect([u.searchParams.get('updatedFrom'), u.searchParams.get('updatedTo')]).toEqual([whole(from), whole(to - 1000)]);
    expect(new Set(lists('/work-orders').map((u) => u.searchParams.get('status')))).toEqual(new Set(want));
  });

  it('asks nothing for a window no whole second falls in, and applies a window to technicians client-side', async () => {
    const data = sandbox.dataset.vendors.astea;
    const t = ms(data.workOrders[0]!.updatedAt);
    expect(await c.list('workOrder', { updatedSince: iso(t + 100), updatedBefore: iso(t + 900) })).toEqual({ items: [], total: 0 });
    expect(urls).toEqual([]);
    const times = data.technicians.map((r) => ms(r.updatedAt)).sort((a, b) => a - b);
    const from = times[2]!;
    const to = times[7]!;
    const { ids, total } = await readAll('technician', from, to);
    expect(new Set(ids)).toEqual(new Set(data.technicians.filter((r) => ms(r.updatedAt) >= from && ms(r.updatedAt) < to).map((r) => r.id)));
    expect(total).toBeUndefined();
    expect(c.capabilities.windows).not.toContain('technician');
  });

  it('accepts every status word of its tables', async () => {
    const data = sandbox.dataset.vendors.astea;
    const records = { workOrder: data.workOrders, appointment: data.appointments, invoice: data.invoices } as const;
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
