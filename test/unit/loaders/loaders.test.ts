/**
 * The per-request loaders over fake connectors: per-vendor batching with each vendor's cap,
 * identical keys once, priming from embedded data and from children, the relation strategies,
 * failures confined to their vendor, and the debug switch.
 */
import { describe, expect, it } from 'vitest';
import { ConnectorError } from '../../../connectors/types.js';
import { RelationNotSupportedError } from '../../../src/errors.js';
import { createLoaders } from '../../../src/loaders/index.js';
import type { AppointmentModel, ClaimModel, CustomerModel, EquipmentModel, LocationModel, RecordRef, WorkOrderModel } from '../../../src/model/index.js';
import { fakeConnector } from '../../helpers/fake-connector.js';

const ref = (system: RecordRef['system'], id: string): RecordRef => ({ system, id });
const customer = (system: RecordRef['system'], id: string): CustomerModel => ({ ref: ref(system, id), name: `Customer ${id}`, crossReferences: [], tags: [], active: true });
const location = (system: RecordRef['system'], id: string): LocationModel => ({ ref: ref(system, id), address: { line1: '1 Main St', city: 'Atlanta', region: 'GA', postalCode: '30303', country: 'US' }, active: true });
const workOrder = (system: RecordRef['system'], id: string, extra: Partial<WorkOrderModel> = {}): WorkOrderModel => ({
  ref: ref(system, id),
  number: id,
  status: 'NEW',
  sourceStatus: 'new',
  equipmentRefs: [],
  technicianRefs: [],
  crossReferences: [],
  parts: [],
  ...extra,
});
const visit = (system: RecordRef['system'], id: string, wo: string, techs: string[] = []): AppointmentModel => ({
  ref: ref(system, id),
  workOrderRef: ref(system, wo),
  status: 'SCHEDULED',
  sourceStatus: 'scheduled',
  window: { start: '2026-01-01T10:00:00Z', end: '2026-01-01T12:00:00Z' },
  technicianRefs: techs.map((t) => ref(system, t)),
});
const claim = (id: string, wo: string): ClaimModel => ({
  ref: ref('servicepower', id),
  workOrderRef: ref('servicepower', wo),
  claimType: 'warranty',
  status: 'SUBMITTED',
  sourceStatus: 'submitted',
  lineItems: [],
  taxes: { amount: '0.00', currency: 'USD' },
  total: { amount: '10.00', currency: 'USD' },
});
const unit = (id: string): EquipmentModel => ({ ref: ref('servicepower', id) });

describe('by-id loaders', () => {
  it('batch per vendor, split at the vendor cap, ask each id once', async () => {
    const st = fakeConnector({
      vendor: 'servicetitan',
      records: { customer: Array.from({ length: 120 }, (_, i) => customer('servicetitan', String(i))) },
      capabilities: { batchSize: { customer: 50 } },
    });
    const sera = fakeConnector({ vendor: 'sera', records: { customer: Array.from({ length: 30 }, (_, i) => customer('sera', `c${i}`)) } });
    const loaders = createLoaders({ servicetitan: st, sera });
    const keys = [...Array.from({ length: 120 }, (_, i) => ref('servicetitan', String(i))), ...Array.from({ length: 30 }, (_, i) => ref('sera', `c${i}`)), ref('sera', 'c1')];
    const got = await Promise.all(keys.map((k) => loaders.customer.load(k)));
    expect(got.map((c) => c?.ref.id)).toEqual(keys.map((k) => k.id));
    // Capped vendor: 50 + 50 + 20; no batch look-up: one call, the connector bounds its concurrency.
    expect(st.calls.map((c) => c.ids.length)).toEqual([50, 50, 20]);
    expect(sera.calls.map((c) => c.ids.length)).toEqual([30]);
    await loaders.customer.load(ref('sera', 'c5'));
    expect(sera.calls).toHaveLength(1);
  });

  it('answer null without a call where nothing can exist', async () => {
    const sp = fakeConnector({ vendor: 'servicepower', records: { customer: [] } });
    const loaders = createLoaders({ servicepower: sp });
    expect(await loaders.invoice.load(ref('servicepower', 'inv_1'))).toBeNull();
    expect(await loaders.customer.load(ref('astea', 'cust_1'))).toBeNull();
    expect(sp.calls).toHaveLength(0);
    expect(await loaders.customer.load(ref('servicepower', 'missing'))).toBeNull();
    expect(sp.calls).toHaveLength(1);
  });

  it('confine a vendor failure to that vendor keys', async () => {
    const down = new ConnectorError({ kind: 'unavailable', vendor: 'sera', operation: 'customers.get', message: 'HTTP 503' });
    const sera = fakeConnector({ vendor: 'sera', records: { customer: [customer('sera', 'c1')] }, fail: () => down });
    const astea = fakeConnector({ vendor: 'astea', records: { customer: [customer('astea', 'a1')] } });
    const loaders = createLoaders({ sera, astea });
    const [a, b] = await loaders.customer.loadMany([ref('sera', 'c1'), ref('astea', 'a1')]);
    expect(a).toBe(down);
    expect((b as CustomerModel).name).toBe('Customer a1');
  });

  it('prime from what a work order embeds, and from children', async () => {
    const embeddedCustomer = customer('servicepower', 'cst_1');
    const wo = workOrder('servicepower', 'wo_1', {
      customerRef: embeddedCustomer.ref,
      locationRef: ref('servicepower', 'loc_1'),
      embedded: { customer: embeddedCustomer, location: location('servicepower', 'loc_1'), equipment: [unit('eq_1')] },
    });
    const sp = fakeConnector({
      vendor: 'servicepower',
      records: { workOrder: [wo], customer: [embeddedCustomer], location: [location('servicepower', 'loc_1'), location('servicepower', 'loc_2')], equipment: [unit('eq_1')] },
      capabilities: { relations: ['location<-customer'] },
      children: { 'location<-customer': { cst_1: ['loc_1', 'loc_2'] } },
    });
    const loaders = createLoaders({ servicepower: sp });
    await loaders.workOrder.load(wo.ref);
    expect(await loaders.customer.load(embeddedCustomer.ref)).toBe(embeddedCustomer);
    expect(await loaders.equipment.load(ref('servicepower', 'eq_1'))).toEqual(unit('eq_1'));
    await loaders.related('location', 'customer').load(embeddedCustomer.ref);
    expect((await loaders.location.load(ref('servicepower', 'loc_2')))?.ref.id).toBe('loc_2');
    expect(sp.calls.map((c) => `${c.method} ${c.kind}`)).toEqual(['get workOrder', 'children location']);
  });

  it('turn batching, caching and priming off with the debug switch', async () => {
    const wo = workOrder('servicepower', 'wo_1', { embedded: { customer: customer('servicepower', 'cst_1') } });
    const sp = fakeConnector({ vendor: 'servicepower', records: { workOrder: [wo], customer: [customer('servicepower', 'cst_1')] } });
    const loaders = createLoaders({ servicepower: sp }, { enabled: false });
    await Promise.all([loaders.workOrder.load(wo.ref), loaders.workOrder.load(wo.ref)]);
    await loaders.customer.load(ref('servicepower', 'cst_1'));
    expect(sp.calls.map((c) => `${c.method} ${c.kind} ${c.ids.join(',')}`)).toEqual(['get workOrder wo_1', 'get workOrder wo_1', 'get customer cst_1']);
  });
});

describe('relation loaders', () => {
  it('make one children call per vendor for a whole batch of parents', async () => {
    const st = fakeConnector({
      vendor: 'servicetitan',
      records: { workOrder: [], appointment: [visit('servicetitan', 'a1', 'w1'), visit('servicetitan', 'a2', 'w2')] },
      capabilities: { relations: ['appointment<-workOrder'] },
      children: { 'appointment<-workOrder': { w1: ['a1'], w2: ['a2'] } },
    });
    const loaders = createLoaders({ servicetitan: st });
    const lists = await Promise.all(['w1', 'w2', 'w3', 'w1'].map((id) => loaders.related('appointment', 'workOrder').load(ref('servicetitan', id))));
    expect(lists.map((l) => l.map((a) => a.ref.id))).toEqual([['a1'], ['a2'], [], ['a1']]);
    expect(st.calls).toEqual([{ method: 'children', kind: 'appointment', parent: 'workOrder', ids: ['w1', 'w2', 'w3'] }]);
  });

  it('answer [] at no cost where the system holds no such records', async () => {
    const fn = fakeConnector({ vendor: 'fieldnation', records: { workOrder: [] } });
    const loaders = createLoaders({ fieldnation: fn });
    expect(await loaders.related('invoice', 'workOrder').load(ref('fieldnation', '100001'))).toEqual([]);
    expect(fn.calls).toHaveLength(0);
  });

  it('read embedded-only relations through the parent, so a parent in hand costs nothing', async () => {
    const withVisit = workOrder('sera', 'wo_1', { embedded: { appointments: [visit('sera', 'wo_1', 'wo_1')] } });
    const without = workOrder('sera', 'wo_2');
    const sera = fakeConnector({ vendor: 'sera', records: { workOrder: [withVisit, without], appointment: [] }, capabilities: { relations: ['appointment<-workOrder'] } });
    const loaders = createLoaders({ sera });
    await loaders.workOrder.loadMany([withVisit.ref, without.ref]);
    const visits = await loaders.related('appointment', 'workOrder').loadMany([withVisit.ref, without.ref]);
    expect(visits).toEqual([[visit('sera', 'wo_1', 'wo_1')], []]);
    expect(sera.calls.map((c) => c.method)).toEqual(['get']);
  });

  it('compose relations a system lacks from two it has', async () => {
    const sp = fakeConnector({
      vendor: 'servicepower',
      records: {
        workOrder: [workOrder('servicepower', 'w1'), workOrder('servicepower', 'w2')],
        claim: [claim('c1', 'w1'), claim('c2', 'w2')],
        appointment: [visit('servicepower', 'd1', 'w1', ['t1']), visit('servicepower', 'd2', 'w1', ['t2'])],
      },
      capabilities: { relations: ['workOrder<-equipment', 'claim<-workOrder', 'workOrder<-technician', 'appointment<-workOrder'] },
      children: {
        'workOrder<-equipment': { eq1: ['w1', 'w2'], eq2: [] },
        'claim<-workOrder': { w1: ['c1'], w2: ['c2'] },
        'workOrder<-technician': { t1: ['w1'] },
        'appointment<-workOrder': { w1: ['d1', 'd2'] },
      },
    });
    const loaders = createLoaders({ servicepower: sp });
    const claims = await loaders.related('claim', 'equipment').loadMany([ref('servicepower', 'eq1'), ref('servicepower', 'eq2')]);
    expect(claims.map((l) => (l as ClaimModel[]).map((c) => c.ref.id))).toEqual([['c1', 'c2'], []]);
    const visits = await loaders.related('appointment', 'technician').load(ref('servicepower', 't1'));
    expect(visits.map((v) => v.ref.id)).toEqual(['d1']);
  });

  it('say NOT_SUPPORTED where there is no bounded way', async () => {
    const fn = fakeConnector({ vendor: 'fieldnation', records: { appointment: [], workOrder: [] } });
    const loaders = createLoaders({ fieldnation: fn });
    await expect(loaders.related('appointment', 'technician').load(ref('fieldnation', '20007'))).rejects.toBeInstanceOf(RelationNotSupportedError);
    expect(fn.calls).toHaveLength(0);
  });
});
