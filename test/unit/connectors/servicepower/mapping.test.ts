/**
 * ServicePower mapping: recorded wire payloads (test/fixtures/servicepower, captured from the
 * simulator, plus the seed document's example and hand-made edge cases) -> zod -> canonical model;
 * write commands -> request bodies; vendor error bodies -> connector errors.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { classifyServicePowerError } from '../../../../connectors/servicepower/client.js';
import {
  APPOINTMENT_STATUS,
  CLAIM_STATUS,
  commandFieldOf,
  crossReferencesOf,
  hoursOf,
  PRIORITY,
  toAppointmentModel,
  toClaimBody,
  toClaimModel,
  toCreateWorkOrderBody,
  toCustomerModel,
  toDispatchBody,
  toEquipmentModel,
  toLocationModel,
  toTechnicianModel,
  toUtc,
  toWorkOrderModel,
  WORK_ORDER_STATUS,
} from '../../../../connectors/servicepower/mapping.js';
import {
  servicePowerListWire,
  ServicePowerClaimRequestWire,
  ServicePowerClaimWire,
  ServicePowerCreatedWorkOrderWire,
  ServicePowerCreateWorkOrderWire,
  ServicePowerCustomerWire,
  ServicePowerDispatchedWire,
  ServicePowerDispatchWire,
  ServicePowerEquipmentWire,
  ServicePowerErrorWire,
  ServicePowerLocationWire,
  ServicePowerSubmittedClaimWire,
  ServicePowerTechnicianWire,
  ServicePowerWorkOrderWire,
} from '../../../../connectors/servicepower/wire.js';
import type { CreateWorkOrderCommand, SubmitClaimCommand } from '../../../../connectors/types.js';
import { WORK_ORDER_STATUSES } from '../../../../src/model/index.js';

const sp = (id: string) => ({ system: 'servicepower' as const, id });

function fixture<T>(name: string, schema: z.ZodType<T>): T {
  const raw: unknown = JSON.parse(readFileSync(new URL(`../../../fixtures/servicepower/${name}`, import.meta.url), 'utf8'));
  return schema.parse(raw);
}

describe('work orders', () => {
  it('maps a recorded work order with its embedded customer, location and unit', () => {
    const w = toWorkOrderModel(fixture('work-order.get.ok.json', ServicePowerWorkOrderWire));
    expect(w).toEqual({
      ref: sp('wo_cfef70'),
      number: 'wo_cfef70',
      status: 'COMPLETED',
      sourceStatus: 'completed',
      priority: 'HIGH',
      serviceType: 'maintenance',
      problemCode: 'NOT_DRAINING',
      summary: 'Dishwasher: not draining (ACME Appliances ACME-DW-900)',
      customerRef: sp('cst_671c6f'),
      locationRef: sp('loc_02d663'),
      equipmentRefs: [sp('eq_99122d')],
      technicianRefs: [sp('tech_827360')],
      window: { start: '2026-11-08T18:00:00Z', end: '2026-11-08T22:00:00Z' },
      sla: { respondBy: '2026-11-07T00:00:00Z', completeBy: '2026-11-09T20:00:00Z' },
      externalReference: 'ST-JOB-10009',
      crossReferences: [{ system: 'servicetitan', number: '10009', via: 'externalRef' }],
      parts: [
        { partNumber: 'DW-MOUNT-KIT', quantity: '1' },
        { partNumber: 'DW-PUMP-22', quantity: '1' },
      ],
      embedded: {
        customer: {
          ref: sp('cst_671c6f'),
          name: 'Joshua  Allen',
          email: 'joshua.allen@example.org',
          phone: '+16782919999',
          crossReferences: [],
          tags: [],
          active: true,
        },
        location: {
          ref: sp('loc_02d663'),
          customerRef: sp('cst_671c6f'),
          address: { line1: '9524 Peachtree Street NE', city: 'ROSWELL', region: 'GA', postalCode: '30075', country: 'US' },
          active: true,
        },
        equipment: [
          {
            ref: sp('eq_99122d'),
            locationRef: sp('loc_02d663'),
            customerRef: sp('cst_671c6f'),
            model: 'ACME-DW-900',
            serialNumber: 'SN-5075638R',
            warranty: { covered: false, expiresOn: '2025-03-14' },
          },
        ],
      },
      createdAt: '2026-11-06T20:00:00Z',
      updatedAt: '2026-11-08T22:00:00Z',
      completedAt: '2026-11-08T22:00:00Z',
    });
  });

  it('maps a new work order: no window, no technician, no completion', () => {
    const w = toWorkOrderModel(fixture('work-order.get.new.json', ServicePowerWorkOrderWire));
    expect(w.status).toBe('NEW');
    expect(w.window).toBeUndefined();
    expect(w.technicianRefs).toEqual([]);
    expect(w.completedAt).toBeUndefined();
    expect(w.externalReference).toBeUndefined();
    expect(w.embedded?.customer).toMatchObject({ name: 'Ingrid Thompson', email: 'Ingrid.Thompson@Example.org', phone: '+14707791835' });
    expect(w.embedded?.location?.address).toEqual({ line1: '5284 CHURCH ST', line2: 'Apt 10', city: 'Marietta', region: 'GA', postalCode: '30060', country: 'US' });
    expect(w.embedded?.equipment?.[0]?.warranty).toEqual({ covered: true, expiresOn: '2030-06-30' });
    expect(w.parts).toEqual([
      { partNumber: 'DW-MOUNT-KIT', quantity: '1' },
      { partNumber: 'DW-PUMP-22', quantity: '2' },
    ]);
  });

  it('reads a recorded list page', () => {
    const page = fixture('work-orders.list.ok.json', servicePowerListWire(ServicePowerWorkOrderWire));
    expect(page).toMatchObject({ page: 2, pageSize: 3, total: 208 });
    expect(page.items.map((w) => toWorkOrderModel(w).ref.id)).toEqual(['wo_07ee88', 'wo_0818a9', 'wo_0b386d']);
  });

  it('maps the seed document`s example, which carries no ids of embedded records', () => {
    const page = fixture('work-orders.list.seed-example.json', servicePowerListWire(ServicePowerWorkOrderWire));
    const w = toWorkOrderModel(page.items[0]!);
    expect(w).toEqual({
      ref: sp('wo_98a51c'),
      number: 'wo_98a51c',
      status: 'SCHEDULED',
      sourceStatus: 'scheduled',
      priority: 'HIGH',
      serviceType: 'repair',
      problemCode: 'ICE_MAKER_NOT_WORKING',
      equipmentRefs: [],
      technicianRefs: [sp('tech_19b7f0')],
      window: { start: '2026-01-26T13:00:00Z', end: '2026-01-26T17:00:00Z' },
      sla: { respondBy: '2026-01-25T17:00:00Z', completeBy: '2026-01-28T23:59:59Z' },
      externalReference: 'CRM-45672',
      crossReferences: [],
      parts: [{ partNumber: 'ICE-VALVE-01', quantity: '1' }],
      updatedAt: '2026-01-20T14:12:00Z',
    });
  });

  it('handles unknown words, odd timestamps, blanks and string quantities', () => {
    const w = toWorkOrderModel(fixture('work-order.get.edge.json', ServicePowerWorkOrderWire));
    expect(w.status).toBe('UNKNOWN');
    expect(w.sourceStatus).toBe('Awaiting_Parts');
    expect(w.priority).toBeUndefined();
    expect(w.sla).toEqual({ respondBy: '2026-01-25T17:00:00Z', completeBy: '2026-01-28T23:59:00Z' });
    // A space instead of `T` and no zone (read as UTC); fractions of a second dropped.
    expect(w.window).toEqual({ start: '2026-01-26T13:00:00Z', end: '2026-01-26T17:00:00Z' });
    expect(w.createdAt).toBe('2026-01-20T07:05:00Z');
    expect(w.updatedAt).toBe('2026-01-20T14:12:00Z');
    expect(w.externalReference).toBeUndefined();
    expect(w.technicianRefs).toEqual([]);
    expect(w.equipmentRefs).toEqual([]);
    expect(w.summary).toBeUndefined();
    expect(w.parts).toEqual([{ partNumber: 'FURN-IGN-01', quantity: '2' }]);
    // An unreadable phone stays as written; region and country codes in upper case.
    expect(w.embedded?.customer).toEqual({ ref: sp('cst_e0d9e1'), name: 'Dana Lee', phone: 'call front desk', crossReferences: [], tags: [], active: true });
    expect(w.embedded?.location?.address).toEqual({ line1: '10 Oak Ave', city: 'Decatur', region: 'GA', postalCode: '30030', country: 'US' });
    expect(w.embedded?.equipment).toBeUndefined();
  });

  it('refuses a payload without the fields it relies on', () => {
    expect(ServicePowerWorkOrderWire.safeParse({ externalRef: 'X', status: 'new' }).success).toBe(false);
    expect(ServicePowerWorkOrderWire.safeParse({ workOrderId: 'wo_1', status: 'new', updatedAt: 'yesterday' }).success).toBe(false);
    expect(ServicePowerWorkOrderWire.safeParse({ workOrderId: 'wo_1', status: 'new', updatedAt: '2026-02-30T10:00:00Z' }).success).toBe(false);
  });

  it('reads the create answer', () => {
    expect(fixture('work-order.create.201.json', ServicePowerCreatedWorkOrderWire)).toEqual({ workOrderId: 'wo_d95145', status: 'new', createdAt: '2026-11-22T06:19:37Z' });
    const created = toWorkOrderModel(fixture('work-order.get.created.json', ServicePowerWorkOrderWire));
    expect(created).toMatchObject({ externalReference: 'PORTAL-88932', status: 'NEW', summary: 'Customer requests Saturday appointment if available' });
    expect(created.embedded?.equipment?.[0]).toEqual({
      ref: sp('eq_e73f3d'),
      locationRef: sp('loc_c03cad'),
      customerRef: sp('cst_8f467b'),
      model: 'ACME-DW-900',
      warranty: { covered: false },
    });
  });
});

describe('dispatches, claims and reference data', () => {
  it('maps a dispatch to an appointment', () => {
    expect(toAppointmentModel(fixture('dispatch.get.ok.json', ServicePowerDispatchWire))).toEqual({
      ref: sp('disp_68e239'),
      workOrderRef: sp('wo_cfef70'),
      status: 'COMPLETED',
      sourceStatus: 'completed',
      window: { start: '2026-11-08T18:00:00Z', end: '2026-11-08T22:00:00Z' },
      technicianRefs: [sp('tech_827360')],
      instructions: 'Dog in the yard.',
      createdAt: '2026-11-06T20:00:00Z',
      updatedAt: '2026-11-08T22:00:00Z',
    });
    expect(fixture('dispatch.create.201.json', ServicePowerDispatchedWire).dispatchId).toBe('disp_f766a5');
    expect(toAppointmentModel(fixture('dispatch.get.created.json', ServicePowerDispatchWire)).status).toBe('SCHEDULED');
  });

  it('maps a recorded claim with exact amounts', () => {
    expect(toClaimModel(fixture('claim.get.ok.json', ServicePowerClaimWire))).toEqual({
      ref: sp('clm_688d0e'),
      workOrderRef: sp('wo_8f7ac7'),
      number: 'CLAIM-2026-00001',
      claimType: 'warranty',
      status: 'PAID',
      sourceStatus: 'paid',
      lineItems: [
        { code: 'LABOR', description: 'Labor, 60 min', quantity: '1.00', unitPrice: { amount: '85.00', currency: 'USD' }, total: { amount: '85.00', currency: 'USD' } },
        { code: 'R410A-LB', description: 'R410A-LB', quantity: '2', unitPrice: { amount: '48.00', currency: 'USD' }, total: { amount: '96.00', currency: 'USD' } },
        { code: 'TRAVEL', description: 'Travel, 14.8 mi, 26 min', quantity: '1', unitPrice: { amount: '0.96', currency: 'USD' }, total: { amount: '0.96', currency: 'USD' } },
      ],
      taxes: { amount: '7.68', currency: 'USD' },
      total: { amount: '189.64', currency: 'USD' },
      resolution: { code: 'REPAIRED', description: 'Resolved no cool' },
      createdAt: '2025-11-05T22:00:00Z',
      updatedAt: '2025-11-25T22:00:00Z',
    });
  });

  it('maps the seed example claim: 127.50 + 42.50 + 0.80 + 7.25 = 178.05', () => {
    expect(fixture('claim.submit.201.json', ServicePowerSubmittedClaimWire).total).toBe(178.05);
    const c = toClaimModel(fixture('claim.get.seed-example.json', ServicePowerClaimWire));
    expect(c.lineItems.map((l) => l.total.amount)).toEqual(['127.50', '42.50', '0.80']);
    expect(c.total.amount).toBe('178.05');
    expect(c.lineItems[0]!.quantity).toBe('1.50');
  });

  it('computes what a claim leaves out, exactly, from money as strings', () => {
    const c = toClaimModel(fixture('claim.get.edge.json', ServicePowerClaimWire));
    expect(c.status).toBe('UNKNOWN');
    expect(c.sourceStatus).toBe('on_appeal');
    expect(c.lineItems.map((l) => [l.code, l.quantity, l.unitPrice.amount, l.total.amount])).toEqual([
      ['LABOR', '0.8333', '85.00', '70.83'],
      ['FURN-IGN-01', '2', '19.99', '39.98'],
      ['FURN-FLT-16', '1', '7.50', '7.50'],
    ]);
    expect(c.taxes.amount).toBe('3.10');
    expect(c.total.amount).toBe('121.41');
    expect(c.resolution).toEqual({ code: 'REPLACED_PART' });
    expect(c.createdAt).toBe('2026-01-21T10:20:44Z');
    expect(c.updatedAt).toBe('2026-01-21T11:20:00Z');
  });

  it('maps customers, locations, equipment and technicians', () => {
    expect(toCustomerModel(fixture('customer.get.ok.json', ServicePowerCustomerWire))).toEqual({
      ref: sp('cst_671c6f'),
      name: 'Joshua  Allen',
      kind: 'RESIDENTIAL',
      email: 'joshua.allen@example.org',
      phone: '+16782919999',
      address: { line1: '961 Main Street', city: 'KENNESAW', region: 'GA', postalCode: '30152', country: 'US' },
      crossReferences: [],
      tags: [],
      active: true,
      createdAt: '2024-02-16T15:00:00Z',
      updatedAt: '2024-08-27T15:00:00Z',
    });
    expect(toCustomerModel(fixture('customer.get.edge.json', ServicePowerCustomerWire))).toEqual({
      ref: sp('cst_e0d9e1'),
      name: 'Dana Lee',
      email: 'Dana.Lee@Example.com',
      phone: 'ext. 12',
      crossReferences: [],
      tags: [],
      active: true,
      createdAt: '2025-05-01T08:00:00Z',
    });
    expect(toLocationModel(fixture('location.get.ok.json', ServicePowerLocationWire))).toEqual({
      ref: sp('loc_02d663'),
      customerRef: sp('cst_671c6f'),
      name: 'Joshua Allen residence',
      address: { line1: '9524 Peachtree Street NE', city: 'ROSWELL', region: 'GA', postalCode: '30075', country: 'US' },
      active: true,
      createdAt: '2024-03-01T15:00:00Z',
      updatedAt: '2024-08-12T15:00:00Z',
    });
    expect(toEquipmentModel(fixture('equipment.get.ok.json', ServicePowerEquipmentWire))).toEqual({
      ref: sp('eq_99122d'),
      locationRef: sp('loc_f662aa'),
      customerRef: sp('cst_671c6f'),
      type: 'Dishwasher',
      manufacturer: 'ACME Appliances',
      model: 'ACME-DW-900',
      serialNumber: 'SN-5075638R',
      installedOn: '2020-03-15',
      warranty: { covered: false, expiresOn: '2025-03-14', program: 'ACME Protect' },
      createdAt: '2021-02-15T15:00:00Z',
      updatedAt: '2021-03-22T15:00:00Z',
    });
    expect(toTechnicianModel(fixture('technician.get.ok.json', ServicePowerTechnicianWire))).toEqual({
      ref: sp('tech_827360'),
      name: 'Robert Adams',
      email: 'robert.adams@example.net',
      phone: '+14043047709',
      skills: ['appliance'],
      region: 'ATL-N',
      providerRef: sp('sp_12388c'),
      dailyCapacity: 5,
      active: true,
      createdAt: '2023-10-11T15:00:00Z',
      updatedAt: '2024-01-10T15:00:00Z',
    });
  });
});

describe('vocabularies and scalars', () => {
  it('maps every documented status word and nothing else', () => {
    expect(Object.keys(WORK_ORDER_STATUS).sort()).toEqual(['cancelled', 'completed', 'dispatched', 'in_progress', 'new', 'on_hold', 'scheduled']);
    for (const v of Object.values(WORK_ORDER_STATUS)) expect(WORK_ORDER_STATUSES).toContain(v);
    expect(APPOINTMENT_STATUS.on_site).toBe('IN_PROGRESS');
    expect(CLAIM_STATUS.under_review).toBe('UNDER_REVIEW');
    expect(PRIORITY.emergency).toBe('URGENT');
  });

  it('normalises timestamps to UTC seconds', () => {
    expect(toUtc('2026-01-21T09:42:18Z')).toBe('2026-01-21T09:42:18Z');
    expect(toUtc('2026-01-21T09:42:18.999Z')).toBe('2026-01-21T09:42:18Z');
    expect(toUtc('2026-01-21T04:42-05:00')).toBe('2026-01-21T09:42:00Z');
    expect(toUtc('2026-01-21T11:42:18+0200')).toBe('2026-01-21T09:42:18Z');
    expect(toUtc('2026-01-01T01:00:00+05')).toBe('2025-12-31T20:00:00Z');
    expect(() => toUtc('21/01/2026')).toThrow();
  });

  it('writes labor hours exactly where they end, to four places where they do not', () => {
    expect([0, 30, 90, 45, 50, 20, 1].map(hoursOf)).toEqual(['0.00', '0.50', '1.50', '0.75', '0.8333', '0.3333', '0.0167']);
  });

  it('reads ServiceTitan job numbers out of external references only', () => {
    expect(crossReferencesOf('ST-JOB-10234')).toEqual([{ system: 'servicetitan', number: '10234', via: 'externalRef' }]);
    expect(crossReferencesOf('PORTAL-88932')).toEqual([]);
    expect(crossReferencesOf(null)).toEqual([]);
  });
});

describe('commands to request bodies', () => {
  const base: CreateWorkOrderCommand = {
    externalReference: 'FG-7d1e',
    customer: { new: { name: 'Morgan Shaw', phone: '+1-312-555-0172', email: 'morgan.shaw@example.com', address: { line1: '1450 N State St', city: 'Chicago', region: 'IL', postalCode: '60610', country: 'US' } } },
    equipment: { model: 'ACME-DW-900', warranty: false },
    serviceType: 'installation',
    problemCode: 'NEW_APPLIANCE_INSTALL',
    summary: 'Install new dishwasher',
    priority: 'NORMAL',
    sla: { respondBy: '2026-01-27T23:59:59Z', completeBy: '2026-02-02T23:59:59Z' },
    parts: [{ partNumber: 'DW-MOUNT-KIT', quantity: 1 }],
    notes: 'Customer requests Saturday appointment if available',
  };

  it('builds the seed`s create body, our reference in externalRef', () => {
    const r = toCreateWorkOrderBody(base);
    expect(r).toEqual({
      ok: true,
      body: {
        externalRef: 'FG-7d1e',
        serviceType: 'installation',
        problemCode: 'NEW_APPLIANCE_INSTALL',
        customer: { name: 'Morgan Shaw', phone: '+1-312-555-0172', email: 'morgan.shaw@example.com' },
        location: { line1: '1450 N State St', city: 'Chicago', region: 'IL', postalCode: '60610', country: 'US' },
        equipment: { model: 'ACME-DW-900', serial: null, entitlement: { warranty: false } },
        sla: { respondBy: '2026-01-27T23:59:59Z', completeBy: '2026-02-02T23:59:59Z', priority: 'normal' },
        partsRequired: [{ partNumber: 'DW-MOUNT-KIT', quantity: 1 }],
        notes: 'Install new dishwasher\n\nCustomer requests Saturday appointment if available',
      },
    });
    if (r.ok) expect(ServicePowerCreateWorkOrderWire.parse(r.body)).toEqual(r.body);
  });

  it('uses ids for existing records and refuses what ServicePower cannot take', () => {
    const refs = toCreateWorkOrderBody({
      ...base,
      customer: { ref: sp('cst_1') },
      location: { ref: sp('loc_1') },
      equipment: { ref: sp('eq_1') },
      sla: undefined,
      parts: [],
      notes: undefined,
    });
    expect(refs).toMatchObject({ ok: true, body: { customer: { customerId: 'cst_1' }, location: { locationId: 'loc_1' }, equipment: { equipmentId: 'eq_1' } } });
    if (refs.ok) {
      expect(refs.body.sla).toBeUndefined();
      expect(refs.body.partsRequired).toBeUndefined();
    }

    const bad = toCreateWorkOrderBody({
      ...base,
      customer: { ref: { system: 'servicetitan', id: '123' } },
      problemCode: undefined,
      priority: 'URGENT',
      sla: { respondBy: '2026-01-27T23:59:59Z' },
      parts: [{ partNumber: 'X', quantity: 1.5 }],
    });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.fieldErrors.map((f) => f.field)).toEqual(['problemCode', 'customer.ref', 'location', 'sla.completeBy', 'parts.0.quantity']);
  });

  it('builds the dispatch body with the provider of the technician', () => {
    const r = toDispatchBody(
      { workOrderRef: sp('wo_72d3fa'), technicianRefs: [sp('tech_19b7f0')], window: { start: '2026-01-29T14:00:00Z', end: '2026-01-29T18:00:00Z' }, routeDate: '2026-01-29', instructions: 'Bring mount kit; verify water shutoff' },
      'sp_47bb22',
    );
    expect(r).toEqual({
      ok: true,
      body: {
        assignedProviderId: 'sp_47bb22',
        assignedTechId: 'tech_19b7f0',
        appointmentWindow: { start: '2026-01-29T14:00:00Z', end: '2026-01-29T18:00:00Z' },
        routeDate: '2026-01-29',
        instructions: 'Bring mount kit; verify water shutoff',
      },
    });
    const two = toDispatchBody({ workOrderRef: sp('wo_1'), technicianRefs: [sp('tech_1'), sp('tech_2')], window: { start: '2026-01-29T14:00:00Z', end: 'soon' } }, 'sp_1');
    expect(two.ok ? [] : two.fieldErrors.map((f) => f.field)).toEqual(['technicianRefs', 'window.end']);
  });

  it('builds the seed`s claim body with money as JSON numbers', () => {
    const cmd: SubmitClaimCommand = {
      workOrderRef: sp('wo_98a51c'),
      claimType: 'warranty',
      referenceNumber: 'CLAIM-2026-00115',
      labor: { minutes: 90, rate: '85.00' },
      parts: [{ partNumber: 'ICE-VALVE-01', quantity: 1, unitCost: '42.50' }],
      travel: { miles: '12.3', timeMinutes: 30 },
      taxes: '7.25',
      attachments: [{ fileName: 'completion_photo.jpg', uploadToken: 'upl_98dc3a' }],
      resolution: { code: 'REPAIRED', description: 'Replaced inlet valve; unit passed test' },
    };
    const r = toClaimBody(cmd);
    expect(r.ok && JSON.stringify(r.body)).toBe(
      '{"workOrderId":"wo_98a51c","claimType":"warranty","referenceNumber":"CLAIM-2026-00115","labor":{"minutes":90,"rate":85},' +
        '"parts":[{"partNumber":"ICE-VALVE-01","quantity":1,"unitCost":42.5}],"travel":{"miles":12.3,"timeMinutes":30},"taxes":7.25,' +
        '"attachments":[{"fileName":"completion_photo.jpg","uploadToken":"upl_98dc3a"}],"resolution":{"code":"REPAIRED","description":"Replaced inlet valve; unit passed test"}}',
    );
    if (r.ok) ServicePowerClaimRequestWire.parse(r.body);
    const bad = toClaimBody({ ...cmd, labor: { minutes: 90, rate: '85.005' }, taxes: '-1', travel: { miles: 'far', timeMinutes: 30 } });
    expect(bad.ok ? [] : bad.fieldErrors.map((f) => f.field)).toEqual(['labor.rate', 'travel.miles', 'taxes']);
  });
});

describe('vendor errors', () => {
  it('classifies error bodies by code, keeping the field errors and the vendor code', () => {
    const body = (name: string) => JSON.parse(readFileSync(new URL(`../../../fixtures/servicepower/${name}`, import.meta.url), 'utf8')) as unknown;
    expect(classifyServicePowerError(422, body('claim.submit.422.json'))).toEqual({
      kind: 'invalid_request',
      message: 'Work order wo_ffffff9 does not exist.',
      fieldErrors: [{ field: 'workOrderId', message: 'Unknown work order.' }],
      vendorCode: 'unprocessable',
    });
    expect(classifyServicePowerError(409, body('claim.submit.409.json'))).toMatchObject({ kind: 'conflict', vendorCode: 'conflict' });
    expect(classifyServicePowerError(404, body('work-order.get.404.json'))).toMatchObject({ kind: 'not_found', vendorCode: 'not_found' });
    const v = classifyServicePowerError(400, body('work-order.create.400.json'));
    expect(v.kind).toBe('invalid_request');
    expect(v.fieldErrors?.map((f) => f.field)).toEqual(['problemCode', 'customer.name', 'location.line1', 'location.city', 'location.region', 'location.postalCode', 'location.country']);
    expect(ServicePowerErrorWire.parse(body('work-order.create.400.json')).requestId).toBeDefined();
  });

  it('lets the status decide for throttling and outages, and survives bodies that are not the vendor`s', () => {
    expect(classifyServicePowerError(429, { error: { code: 'conflict', message: 'slow down' } }).kind).toBe('rate_limited');
    expect(classifyServicePowerError(502, '<html>Bad gateway</html>')).toEqual({ kind: 'unavailable', message: 'HTTP 502' });
    expect(classifyServicePowerError(401, { error: { code: 'token_expired', message: 'The session has expired.' } })).toMatchObject({ kind: 'unauthorized', vendorCode: 'token_expired' });
  });

  it('names the command field a vendor field came from', () => {
    expect(commandFieldOf('assignedTechId')).toBe('technicianRefs');
    expect(commandFieldOf('appointmentWindow.end')).toBe('window.end');
    expect(commandFieldOf('customer.customerId')).toBe('customer');
    expect(commandFieldOf('partsRequired.0.quantity')).toBe('parts.0.quantity');
    expect(commandFieldOf('labor.rate')).toBe('labor.rate');
  });
});
