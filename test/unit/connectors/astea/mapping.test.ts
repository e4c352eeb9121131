/**
 * Astea Alliance mapping: recorded simulator payloads (`test/fixtures/astea/*.ok.json`, captured
 * over HTTP and kept as files) and edited variants (`*.odd.json`: offsets, missing seconds,
 * fractions, unknown words, money as strings, missing optional fields) go through the wire schemas
 * and the mapping to the expected canonical models. Also: commands to wire bodies, the consumption
 * fingerprint, and vendor refusals to user errors.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  APPOINTMENT_STATUS,
  consumptionFingerprint,
  INVOICE_STATUS,
  isSameAssignment,
  PRIORITY,
  toAppointmentModel,
  toAssignmentBody,
  toConsumptionBody,
  toCustomerModel,
  toDecimal,
  toEquipmentModel,
  toInvoiceModel,
  toLocationModel,
  toTechnicianModel,
  toTimestamp,
  toUserErrors,
  toWorkOrderModel,
  WORK_ORDER_STATUS,
} from '../../../../connectors/astea/mapping.js';
import {
  AsteaAssetListWire,
  AsteaAssignmentCreatedWire,
  AsteaAssignmentListWire,
  AsteaAssignmentWire,
  AsteaConsumptionListWire,
  AsteaCustomerListWire,
  AsteaInvoiceListWire,
  AsteaSiteListWire,
  AsteaTechnicianListWire,
  AsteaWorkOrderDetailWire,
  AsteaWorkOrderListWire,
  AsteaWorkOrderWire,
  AsteaInvoiceWire,
} from '../../../../connectors/astea/wire.js';
import { ConnectorError, type DispatchCommand } from '../../../../connectors/types.js';

const a = (id: string) => ({ system: 'astea' as const, id });

function fixture<T>(name: string, schema: z.ZodType<T>): T {
  const raw: unknown = JSON.parse(readFileSync(new URL(`../../../fixtures/astea/${name}`, import.meta.url), 'utf8'));
  return schema.parse(raw);
}

describe('vocabulary', () => {
  it('maps every Alliance word and only those', () => {
    expect(WORK_ORDER_STATUS).toEqual({ open: 'NEW', scheduled: 'SCHEDULED', en_route: 'DISPATCHED', on_site: 'IN_PROGRESS', completed: 'COMPLETED', cancelled: 'CANCELLED' });
    expect(APPOINTMENT_STATUS).toEqual({ scheduled: 'SCHEDULED', en_route: 'DISPATCHED', on_site: 'IN_PROGRESS', completed: 'COMPLETED', cancelled: 'CANCELLED' });
    expect(PRIORITY).toEqual({ low: 'LOW', medium: 'NORMAL', high: 'HIGH', critical: 'URGENT' });
    expect(INVOICE_STATUS).toEqual({ open: 'OPEN', paid: 'PAID', void: 'VOID' });
  });

  it('reads timestamps with offsets, without seconds, with fractions or a space, as UTC seconds', () => {
    expect(toTimestamp('2026-01-21T08:45:00-05:00')).toBe('2026-01-21T13:45:00Z');
    expect(toTimestamp('2026-01-21T13:45Z')).toBe('2026-01-21T13:45:00Z');
    expect(toTimestamp('2026-01-21T18:45:00.999+05:00')).toBe('2026-01-21T13:45:00Z');
    expect(toTimestamp('2026-01-21 13:45:00')).toBe('2026-01-21T13:45:00Z');
    expect(toTimestamp('2026-01-21T13:45:00+0530')).toBe('2026-01-21T08:15:00Z');
    expect(toTimestamp('2026-13-01T00:00:00Z')).toBeUndefined();
    expect(toTimestamp('yesterday')).toBeUndefined();
    expect(toTimestamp(null)).toBeUndefined();
  });

  it('keeps quantities exact', () => {
    expect(toDecimal(2)).toBe('2');
    expect(toDecimal(1.5)).toBe('1.5');
    expect(toDecimal(' 3.50 ')).toBe('3.50');
    expect(toDecimal(0.1)).toBe('0.1');
  });
});

describe('work orders', () => {
  it('maps a recorded list item with its embedded site and asset', () => {
    const page = fixture('work-order.list.ok.json', AsteaWorkOrderListWire);
    expect(toWorkOrderModel(page.items[0]!)).toStrictEqual({
      ref: a('wo_1ef596'),
      number: 'WO-2026-1057',
      status: 'SCHEDULED',
      sourceStatus: 'scheduled',
      priority: 'HIGH',
      problemCode: 'LOW_FLOW',
      summary: 'Chiller: low flow (York Chiller CX400)',
      customerRef: a('cust_bf4cf8'),
      locationRef: a('site_2027'),
      equipmentRefs: [a('asset_bb5e')],
      technicianRefs: [a('tech_b4a554')],
      window: { start: '2026-11-12T17:00:00Z', end: '2026-11-12T21:00:00Z' },
      sla: { completeBy: '2026-11-13T21:00:00Z' },
      crossReferences: [],
      parts: [],
      embedded: {
        location: {
          ref: a('site_2027'),
          customerRef: a('cust_bf4cf8'),
          address: { line1: '8459 Willow Way', city: 'Roswell', region: 'GA', postalCode: '30076', country: 'US' },
          active: true,
        },
        equipment: [{ ref: a('asset_bb5e'), locationRef: a('site_2027'), customerRef: a('cust_bf4cf8'), model: 'Chiller CX400', serialNumber: 'YK-5756219-L' }],
      },
      createdAt: '2026-11-10T21:00:00Z',
      updatedAt: '2026-11-12T04:00:00Z',
    });
  });

  it('maps work orders without an asset or a window', () => {
    const [, cancelled, open] = fixture('work-order.list.ok.json', AsteaWorkOrderListWire).items.map(toWorkOrderModel);
    expect(cancelled).toMatchObject({ status: 'CANCELLED', priority: 'HIGH', equipmentRefs: [], technicianRefs: [] });
    expect(cancelled!.embedded).toStrictEqual({ location: expect.objectContaining({ ref: a('site_2005') }) });
    expect(open).toMatchObject({ status: 'NEW', sourceStatus: 'open', priority: 'LOW' });
    expect(open).not.toHaveProperty('window');
  });

  it('maps the detail with service type, response SLA and completion time', () => {
    const wo = toWorkOrderModel(fixture('work-order.get.ok.json', AsteaWorkOrderDetailWire));
    expect(wo).toMatchObject({ serviceType: 'maintenance', sla: { respondBy: '2026-11-11T01:00:00Z', completeBy: '2026-11-13T21:00:00Z' } });
    expect(wo).not.toHaveProperty('completedAt');
    const done = toWorkOrderModel(fixture('work-order.get.completed.json', AsteaWorkOrderDetailWire));
    expect(done).toMatchObject({ status: 'COMPLETED', serviceType: 'repair', completedAt: '2026-06-05T16:00:00Z' });
  });

  it('maps odd timestamps, unknown words and missing optional fields', () => {
    const [odd, bare] = fixture('work-order.list.odd.json', AsteaWorkOrderListWire).items.map(toWorkOrderModel);
    expect(odd).toStrictEqual({
      ref: a('wo_0dd001'),
      number: 'WO-2026-2001',
      status: 'UNKNOWN',
      sourceStatus: 'Awaiting Parts',
      problemCode: 'NO_COOL',
      summary: 'Chiller not cooling; alarms present',
      customerRef: a('cust_0dd001'),
      locationRef: a('site_9001'),
      equipmentRefs: [],
      technicianRefs: [a('tech_45af1d'), a('tech_77c001')],
      window: { start: '2026-01-21T13:00:00Z', end: '2026-01-21T17:00:00Z' },
      sla: { completeBy: '2026-01-21T17:00:00Z' },
      crossReferences: [],
      parts: [],
      embedded: {
        location: {
          ref: a('site_9001'),
          customerRef: a('cust_0dd001'),
          address: { line1: '500 Eastside Blvd', city: 'Atlanta', region: 'GA', postalCode: '30312', country: 'US' },
          active: true,
        },
      },
      createdAt: '2026-01-20T13:45:00Z',
      updatedAt: '2026-01-21T09:30:00Z',
    });
    expect(bare).toStrictEqual({
      ref: a('wo_0dd002'),
      number: 'wo_0dd002',
      status: 'DISPATCHED',
      sourceStatus: 'EN-ROUTE',
      priority: 'URGENT',
      customerRef: a('cust_0dd002'),
      equipmentRefs: [],
      technicianRefs: [],
      crossReferences: [],
      parts: [],
    });
  });

  it('refuses payloads missing what the connector relies on', () => {
    const item = fixture('work-order.list.ok.json', AsteaWorkOrderListWire).items[0]!;
    expect(AsteaWorkOrderWire.safeParse({ ...item, workOrderId: undefined }).success).toBe(false);
    expect(AsteaWorkOrderWire.safeParse({ ...item, updatedAt: 'yesterday' }).success).toBe(false);
    expect(AsteaWorkOrderWire.safeParse({ ...item, appointmentWindow: { start: '2026-01-01T10:00:00Z' } }).success).toBe(false);
  });
});

describe('assignments', () => {
  it('maps recorded assignments and the create response', () => {
    const [first] = fixture('assignment.list.ok.json', AsteaAssignmentListWire).items.map(toAppointmentModel);
    expect(first).toStrictEqual({
      ref: a('asn_014d98'),
      workOrderRef: a('wo_ea784d'),
      status: 'SCHEDULED',
      sourceStatus: 'scheduled',
      window: { start: '2026-11-07T17:00:00Z', end: '2026-11-07T21:00:00Z' },
      technicianRefs: [a('tech_f83274')],
      createdAt: '2026-11-02T18:00:00Z',
      updatedAt: '2026-11-07T13:00:00Z',
    });
    expect(toAppointmentModel(fixture('assignment.get.ok.json', AsteaAssignmentWire))).toMatchObject({ ref: a('asn_73382a'), instructions: 'x' });
    expect(toAppointmentModel(fixture('assignment.create.ok.json', AsteaAssignmentCreatedWire))).toStrictEqual({
      ref: a('asn_73382a'),
      workOrderRef: a('wo_1ef596'),
      status: 'SCHEDULED',
      sourceStatus: 'scheduled',
      window: { start: '2030-01-01T10:00:00Z', end: '2030-01-01T12:00:00Z' },
      technicianRefs: [a('tech_b4a554')],
      createdAt: '2026-11-22T06:13:14Z',
    });
  });

  it('maps a cancelled visit without a technician, offsets, and unknown words', () => {
    const [cancelled, paused] = fixture('assignment.list.odd.json', AsteaAssignmentListWire).items.map(toAppointmentModel);
    expect(cancelled).toStrictEqual({
      ref: a('asn_0dd001'),
      workOrderRef: a('wo_0dd001'),
      status: 'CANCELLED',
      sourceStatus: 'cancelled',
      window: { start: '2026-01-21T13:00:00Z', end: '2026-01-21T15:00:00Z' },
      technicianRefs: [],
      createdAt: '2026-01-20T10:00:00Z',
      updatedAt: '2026-01-20T11:00:00Z',
    });
    expect(paused).toMatchObject({ status: 'UNKNOWN', sourceStatus: 'paused', technicianRefs: [a('tech_45af1d')] });
  });
});

describe('customers, sites, assets, technicians', () => {
  it('maps recorded customers, phones to E.164', () => {
    const [hotel, bakery] = fixture('customer.list.ok.json', AsteaCustomerListWire).items.map(toCustomerModel);
    expect(hotel).toStrictEqual({
      ref: a('cust_021a70'),
      name: 'Decatur Hotel',
      kind: 'COMMERCIAL',
      email: 'manager@decatur37.example.com',
      phone: '+16782148262',
      address: { line1: '9757 Oak Drive', line2: 'Apt 3', city: 'ALPHARETTA', region: 'GA', postalCode: '30004', country: 'US' },
      crossReferences: [],
      tags: ['Commercial'],
      active: true,
      createdAt: '2022-08-09T15:00:00Z',
      updatedAt: '2023-04-26T15:00:00Z',
    });
    expect(bakery!.phone).toBe('+14049248572');
  });

  it('maps odd customers: trimmed, unreadable phone kept, unknown type left out, no status is active', () => {
    const [dana, county] = fixture('customer.list.odd.json', AsteaCustomerListWire).items.map(toCustomerModel);
    expect(dana).toStrictEqual({
      ref: a('cust_0dd001'),
      name: 'Dana Harris',
      kind: 'RESIDENTIAL',
      email: 'Dana.Harris@Example.com',
      phone: 'ext. 12',
      crossReferences: [],
      tags: [],
      active: false,
      createdAt: '2024-03-01T10:00:00Z',
      updatedAt: '2024-03-02T10:00:00Z',
    });
    expect(county).toStrictEqual({ ref: a('cust_0dd002'), name: 'Fulton County Schools', crossReferences: [], tags: [], active: true });
  });

  it('maps recorded sites with and without a contact', () => {
    const [home, storage] = fixture('site.list.ok.json', AsteaSiteListWire).items.map(toLocationModel);
    expect(home).toStrictEqual({
      ref: a('site_2001'),
      customerRef: a('cust_c3a660'),
      name: 'Ronald Larsen residence',
      address: { line1: '4602 PINE ST', city: 'Smyrna', region: 'GA', postalCode: '30082', country: 'US' },
      active: true,
      createdAt: '2023-08-01T15:00:00Z',
      updatedAt: '2024-02-11T15:00:00Z',
    });
    expect(storage!.contact).toStrictEqual({ name: 'Lisa Martinez', email: 'office@cobb44.example.com', phone: '+17704052586' });
  });

  it('maps warranty and contract coverage of recorded assets', () => {
    const [covered, none, expired] = fixture('asset.list.ok.json', AsteaAssetListWire).items.map(toEquipmentModel);
    expect(covered).toStrictEqual({
      ref: a('asset_034d'),
      locationRef: a('site_2014'),
      customerRef: a('cust_b6c6e7'),
      name: 'ACME Appliances Dishwasher',
      type: 'Dishwasher',
      manufacturer: 'ACME Appliances',
      model: 'ACME-DW-450',
      serialNumber: 'SN1236359K',
      installedOn: '2020-11-02',
      warranty: { covered: true, startsOn: '2020-11-02', expiresOn: '2030-10-31', program: 'ACME Protect' },
      createdAt: '2021-02-15T15:00:00Z',
      updatedAt: '2021-04-22T15:00:00Z',
    });
    expect(none!.warranty).toStrictEqual({ covered: false });
    expect(expired!.warranty).toStrictEqual({ covered: false, startsOn: '2018-03-20', expiresOn: '2019-03-20' });
    expect(expired!.serialNumber).toBe('KP 2355073 D');
  });

  it('maps contract-only coverage, a date-time install date and a bare asset', () => {
    const [contract, bare] = fixture('asset.list.odd.json', AsteaAssetListWire).items.map(toEquipmentModel);
    expect(contract).toMatchObject({ installedOn: '2019-11-25', warranty: { covered: true, expiresOn: '2027-02-27' } });
    expect(contract!.warranty).not.toHaveProperty('program');
    expect(bare).toStrictEqual({ ref: a('asset_0dd2'), warranty: { covered: false, program: 'ACME Protect' } });
  });

  it('maps technicians', () => {
    const [quinn] = fixture('technician.list.ok.json', AsteaTechnicianListWire).items.map(toTechnicianModel);
    expect(quinn).toStrictEqual({
      ref: a('tech_6ed47d'),
      name: 'Quinn Gonzalez',
      email: 'Quinn.Gonzalez@Atlcomfort.example.com',
      phone: '+17703828183',
      skills: ['hvac', 'electrical'],
      region: 'ATL-S',
      dailyCapacity: 5,
      active: true,
      createdAt: '2023-05-04T15:00:00Z',
      updatedAt: '2023-06-30T15:00:00Z',
    });
    const [odd] = fixture('technician.list.odd.json', AsteaTechnicianListWire).items.map(toTechnicianModel);
    expect(odd).toStrictEqual({ ref: a('tech_0dd001'), name: 'Harris, Dana', phone: '+14045550199', skills: [], active: false });
  });
});

describe('invoices', () => {
  it('maps a recorded invoice with exact money from JSON numbers', () => {
    const [inv] = fixture('invoice.list.ok.json', AsteaInvoiceListWire).items.map(toInvoiceModel);
    const usd = (amount: string) => ({ amount, currency: 'USD' });
    expect(inv).toStrictEqual({
      ref: a('inv_0233ea'),
      number: 'INV-2026-05013',
      workOrderRef: a('wo_435eb3'),
      customerRef: a('cust_96086f'),
      locationRef: a('site_2007'),
      status: 'PAID',
      sourceStatus: 'paid',
      issuedOn: '2025-11-12',
      dueOn: '2025-12-12',
      lineItems: [
        { code: 'LABOR', description: 'Labor, 0.5 h', quantity: '0.5', unitPrice: usd('85.00'), total: usd('42.50') },
        { code: 'DW-PUMP-22', description: 'Dishwasher drain pump', quantity: '2', unitPrice: usd('64.90'), total: usd('129.80') },
        { code: 'ICE-VALVE-01', description: 'Ice maker inlet valve', quantity: '2', unitPrice: usd('42.50'), total: usd('85.00') },
      ],
      subtotal: usd('257.30'),
      tax: usd('17.18'),
      total: usd('274.48'),
      balance: usd('0.00'),
      createdAt: '2025-11-12T22:00:00Z',
      updatedAt: '2025-11-19T22:00:00Z',
    });
  });

  it('maps money as strings, float noise and sub-cent amounts, and infers what is missing', () => {
    const [odd, paid] = fixture('invoice.list.odd.json', AsteaInvoiceListWire).items.map(toInvoiceModel);
    const usd = (amount: string) => ({ amount, currency: 'USD' });
    expect(odd).toMatchObject({ status: 'UNKNOWN', sourceStatus: 'partially_paid', issuedOn: '2026-01-22', subtotal: usd('137.81'), tax: usd('0.00'), total: usd('137.81'), balance: usd('137.81') });
    expect(odd).not.toHaveProperty('locationRef');
    expect(odd!.lineItems).toStrictEqual([
      { code: 'LABOR', description: 'Labor, 1.5 h', quantity: '1.50', unitPrice: usd('85.00'), total: usd('127.50') },
      { code: 'FILTER-XL', description: 'FILTER-XL', quantity: '1', unitPrice: usd('10.01'), total: usd('10.01') },
      { code: 'WASHER', description: 'Washers', quantity: '3', unitPrice: usd('0.10'), total: usd('0.30') },
    ]);
    expect(paid).toMatchObject({ status: 'PAID', lineItems: [], balance: usd('0.00'), total: usd('0.00') });
  });

  it('refuses amounts that are not decimals', () => {
    const [raw] = fixture('invoice.list.ok.json', AsteaInvoiceListWire).items;
    expect(AsteaInvoiceWire.safeParse({ ...raw, total: '12,50' }).success).toBe(false);
    expect(AsteaInvoiceWire.safeParse({ ...raw, total: null }).success).toBe(false);
  });
});

describe('write bodies', () => {
  const command: DispatchCommand = {
    workOrderRef: a('wo_1ef596'),
    technicianRefs: [a('tech_b4a554'), { system: 'sera', id: 'tech_1' }],
    window: { start: '2030-01-01T05:00:00-05:00', end: '2030-01-01T12:00Z' },
    instructions: ' Urgent: SLA breach risk ',
  };

  it('builds an assignment per technician with UTC times', () => {
    expect(toAssignmentBody(command, 0, true)).toStrictEqual({
      body: { technicianId: 'tech_b4a554', scheduledStart: '2030-01-01T10:00:00Z', scheduledEnd: '2030-01-01T12:00:00Z', notifyTechnician: true, note: 'Urgent: SLA breach risk' },
    });
    expect(toAssignmentBody(command, 1, true)).toStrictEqual({ errors: [{ field: 'technicianId', message: 'Not an Astea Alliance technician.' }] });
    expect(toAssignmentBody({ ...command, window: { start: '2030-01-01T12:00:00Z', end: '2030-01-01T11:00:00Z' } }, 0, false).errors).toEqual([
      { field: 'scheduledEnd', message: 'Must be after scheduledStart.' },
    ]);
  });

  it('recognises its own assignment among the work order’s', () => {
    const body = toAssignmentBody(command, 0, true).body!;
    const recorded = fixture('assignment.get.ok.json', AsteaAssignmentWire);
    expect(isSameAssignment(recorded, body)).toBe(true);
    expect(isSameAssignment({ ...recorded, scheduledStart: '2030-01-01T11:00:00+01:00' }, body)).toBe(true);
    expect(isSameAssignment({ ...recorded, status: 'cancelled' }, body)).toBe(false);
    expect(isSameAssignment({ ...recorded, technicianId: 'tech_other' }, body)).toBe(false);
  });

  it('builds a consumption with exact two-place numbers and refuses what Alliance would', () => {
    const r = toConsumptionBody({
      workOrderRef: a('wo_1ef596'),
      parts: [{ partNumber: 'DW-PUMP-22', quantity: '2.50' }],
      labor: [{ technicianRef: a('tech_6ed47d'), laborType: 'Regular', hours: '1.5', startAt: '2030-01-01T05:00:00-05:00', endAt: '2030-01-01T11:30:00Z', notes: 'x' }],
    });
    expect(r).toStrictEqual({
      body: {
        parts: [{ partNumber: 'DW-PUMP-22', quantity: 2.5, uom: 'EA', serialNumbers: [] }],
        labor: [{ technicianId: 'tech_6ed47d', laborType: 'regular', hours: 1.5, startAt: '2030-01-01T10:00:00Z', endAt: '2030-01-01T11:30:00Z', notes: 'x' }],
      },
    });
    const bad = toConsumptionBody({
      workOrderRef: a('wo_1'),
      parts: [{ partNumber: 'P', quantity: '0' }, { partNumber: 'P', quantity: '1.234' }],
      labor: [{ technicianRef: { system: 'sera', id: 't' }, laborType: 'regular', hours: '-1', startAt: 'x', endAt: '2030-01-01T11:30:00Z' }],
    });
    expect(bad.errors?.map((e) => e.field)).toEqual(['parts.0.quantity', 'parts.1.quantity', 'labor.0.technicianId', 'labor.0.hours', 'labor.0.startAt']);
    expect(toConsumptionBody({ workOrderRef: a('wo_1'), parts: [], labor: [] }).errors).toEqual([{ field: 'parts', message: 'Record at least one part or labor entry.' }]);
  });

  it('fingerprints a consumption the same as sent and as recorded', () => {
    const recorded = fixture('consumption.list.ok.json', AsteaConsumptionListWire).items[0]!;
    const sent = toConsumptionBody({
      workOrderRef: a('wo_1ef596'),
      parts: [{ partNumber: 'DW-PUMP-22', quantity: '2' }],
      labor: [{ technicianRef: a('tech_6ed47d'), laborType: 'regular', hours: '1.50', startAt: '2030-01-01T10:00:00Z', endAt: '2030-01-01T11:30:00Z' }],
    }).body!;
    expect(consumptionFingerprint(sent)).toBe(consumptionFingerprint(recorded));
    expect(consumptionFingerprint({ ...sent, parts: [{ ...sent.parts[0]!, quantity: 3 }] })).not.toBe(consumptionFingerprint(recorded));
  });
});

describe('user errors', () => {
  const err = (init: Partial<ConstructorParameters<typeof ConnectorError>[0]>) =>
    new ConnectorError({ kind: 'invalid_request', vendor: 'astea', operation: 'assignments.create', message: 'astea: refused', ...init });

  it('translates dispatch refusals to input paths and codes', () => {
    expect(toUserErrors(err({ status: 422, vendorCode: 'unprocessable', fieldErrors: [{ field: 'technicianId', message: 'Unknown technician.' }] }), 'dispatch', { technicianIndex: 2 })).toEqual([
      { code: 'NOT_FOUND', field: ['technicianRefs', '2'], message: 'Unknown technician.' },
    ]);
    expect(toUserErrors(err({ status: 422, vendorCode: 'skill_mismatch', fieldErrors: [{ field: 'technicianId', message: 'Lacks skill.' }] }), 'dispatch')).toEqual([
      { code: 'NOT_ALLOWED', field: ['technicianRefs'], message: 'Lacks skill.' },
    ]);
    expect(toUserErrors(err({ kind: 'conflict', status: 409, vendorCode: 'schedule_conflict', fieldErrors: [{ field: 'scheduledStart', message: 'Overlaps.' }] }), 'dispatch')).toEqual([
      { code: 'SLOT_UNAVAILABLE', field: ['window', 'start'], message: 'Overlaps.' },
    ]);
    expect(toUserErrors(err({ kind: 'conflict', status: 409, vendorCode: 'conflict', fieldErrors: [{ field: 'status', message: 'Work order is completed.' }] }), 'dispatch')).toEqual([
      { code: 'CONFLICT', field: ['workOrderRef'], message: 'Work order is completed.' },
    ]);
    expect(toUserErrors(err({ kind: 'not_found', status: 404, vendorCode: 'not_found', message: 'astea: not_found: Work order wo_1 not found.' }), 'dispatch')).toEqual([
      { code: 'NOT_FOUND', field: ['workOrderRef'], message: 'astea: not_found: Work order wo_1 not found.' },
    ]);
    expect(toUserErrors(err({ status: 400, vendorCode: 'validation_error', fieldErrors: [{ field: 'note', message: 'Required' }] }), 'dispatch')).toEqual([
      { code: 'REQUIRED', field: ['instructions'], message: 'Required' },
    ]);
  });

  it('translates consumption refusals, and leaves system failures alone', () => {
    expect(
      toUserErrors(
        err({ status: 400, vendorCode: 'validation_error', fieldErrors: [{ field: 'parts.0.quantity', message: 'Too small: expected number to be >0' }, { field: 'labor.1.technicianId', message: 'Invalid' }, { field: 'customerSignature', message: 'x' }] }),
        'recordConsumption',
      ),
    ).toEqual([
      { code: 'INVALID', field: ['parts', '0', 'quantity'], message: 'Too small: expected number to be >0' },
      { code: 'INVALID', field: ['labor', '1', 'technicianRef'], message: 'Invalid' },
      { code: 'INVALID', field: null, message: 'x' },
    ]);
    expect(toUserErrors(err({ kind: 'unavailable', status: 503 }), 'recordConsumption')).toEqual([]);
    expect(toUserErrors(err({ kind: 'unauthorized', status: 401 }), 'dispatch')).toEqual([]);
  });
});
