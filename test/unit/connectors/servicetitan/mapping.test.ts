/**
 * ServiceTitan mapping: recorded wire payloads (captured from the simulator, kept as files in
 * test/fixtures/servicetitan) and hand-made edge cases, through the zod wire schemas, to the
 * canonical models; command -> request bodies; vendor error bodies -> field errors and kinds.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifyServiceTitanError } from '../../../../connectors/servicetitan/client.js';
import {
  appointmentIdsOf,
  commandFieldOf,
  crossReferencesOf,
  invoiceStatusOf,
  pickDurationBilling,
  problemFieldErrors,
  toAppointmentAddBody,
  toAppointmentModel,
  toCustomerCreateBody,
  toCustomerModel,
  toEquipmentModel,
  toInvoiceModel,
  toJobCreateBody,
  toLocationModel,
  toMembershipModel,
  toTechnicianModel,
  optDate,
  optUtc,
  toUtc,
  toWorkOrderModel,
  APPOINTMENT_STATUS,
  WORK_ORDER_STATUS,
} from '../../../../connectors/servicetitan/mapping.js';
import {
  serviceTitanPageWire,
  ServiceTitanAppointmentWire,
  ServiceTitanAssignmentWire,
  ServiceTitanContactWire,
  ServiceTitanCustomerContactWire,
  ServiceTitanCustomerWire,
  ServiceTitanDurationBillingWire,
  ServiceTitanInstalledEquipmentWire,
  ServiceTitanInvoiceWire,
  ServiceTitanJobCreateWire,
  ServiceTitanJobWire,
  ServiceTitanLocationWire,
  ServiceTitanMembershipWire,
  ServiceTitanProblemWire,
  ServiceTitanTechnicianWire,
} from '../../../../connectors/servicetitan/wire.js';
import type { CreateWorkOrderCommand } from '../../../../connectors/types.js';

const fixture = (name: string): { status?: number; body: any; contacts?: unknown } =>
  JSON.parse(readFileSync(new URL(`../../../fixtures/servicetitan/${name}.json`, import.meta.url), 'utf8'));
const st = (id: string) => ({ system: 'servicetitan' as const, id });

describe('servicetitan mapping: recorded payloads', () => {
  it('maps a job with custom fields, equipment and a cross reference', () => {
    const w = ServiceTitanJobWire.parse(fixture('job.get.ok').body);
    expect(toWorkOrderModel(w)).toEqual({
      ref: st('5400000009'),
      number: '10009',
      status: 'IN_PROGRESS',
      sourceStatus: 'InProgress',
      priority: 'NORMAL',
      problemCode: 'DOOR_LATCH',
      summary: 'Dishwasher: door latch (ACME Appliances ACME-DW-900)',
      customerRef: st('5000000002'),
      locationRef: st('5100000002'),
      equipmentRefs: [st('5200000004')],
      technicianRefs: [],
      sla: { respondBy: '2026-11-06T05:00:00Z', completeBy: '2026-11-12T05:00:00Z' },
      crossReferences: [{ system: 'servicepower', id: 'wo_cfef70', via: 'externalData.servicepowerWorkOrderId' }],
      parts: [],
      total: { amount: '325.09', currency: 'USD' },
      // One appointment: the job names it (first = last), so it names all of them.
      appointmentIds: ['5500000009'],
      createdAt: '2026-11-05T05:00:00Z',
      updatedAt: '2026-11-14T04:00:00Z',
    });
  });

  it('reads the list envelope and the first/last appointment ids of jobs', () => {
    const page = serviceTitanPageWire(ServiceTitanJobWire).parse(fixture('jobs.list.ids').body);
    expect(page.hasMore).toBe(false);
    expect(page.totalCount).toBeNull();
    const two = page.data.find((j) => j.appointmentCount === 2)!;
    expect(two.firstAppointmentId).toMatch(/^\d+$/);
    expect(two.lastAppointmentId).not.toBe(two.firstAppointmentId);
    expect(toWorkOrderModel(two).appointmentIds).toEqual([two.firstAppointmentId, two.lastAppointmentId]);
  });

  it('names all of a job`s visits only when its record lists them all', () => {
    expect(appointmentIdsOf({ appointmentCount: 0, firstAppointmentId: undefined, lastAppointmentId: undefined })).toEqual([]);
    expect(appointmentIdsOf({ appointmentCount: 1, firstAppointmentId: '7', lastAppointmentId: '7' })).toEqual(['7']);
    expect(appointmentIdsOf({ appointmentCount: 2, firstAppointmentId: '7', lastAppointmentId: '9' })).toEqual(['7', '9']);
    // Three visits: the middle one is not on the job. Unknown count or a missing id: unknown.
    expect(appointmentIdsOf({ appointmentCount: 3, firstAppointmentId: '7', lastAppointmentId: '9' })).toBeUndefined();
    expect(appointmentIdsOf({ appointmentCount: null, firstAppointmentId: '7', lastAppointmentId: '7' })).toBeUndefined();
    expect(appointmentIdsOf({ appointmentCount: 2, firstAppointmentId: '7', lastAppointmentId: undefined })).toBeUndefined();
    expect(appointmentIdsOf({ appointmentCount: 2, firstAppointmentId: '7', lastAppointmentId: '7' })).toBeUndefined();
    expect(appointmentIdsOf({ appointmentCount: 1, firstAppointmentId: undefined, lastAppointmentId: undefined })).toBeUndefined();
  });

  it('maps appointments with the technicians of their assignments', () => {
    const appts = serviceTitanPageWire(ServiceTitanAppointmentWire).parse(fixture('appointments.list.job').body).data;
    const assignments = serviceTitanPageWire(ServiceTitanAssignmentWire).parse(fixture('appointment-assignments.list').body).data;
    const techs = (id: string) => assignments.filter((a) => a.appointmentId === id).map((a) => a.technicianId);
    expect(toAppointmentModel(appts[0]!, techs(appts[0]!.id))).toEqual({
      ref: st('5500000014'),
      workOrderRef: st('5400000014'),
      number: '10014-1',
      status: 'COMPLETED',
      sourceStatus: 'Done',
      window: { start: '2026-05-05T18:00:00Z', end: '2026-05-05T22:00:00Z' },
      arrivalWindow: { start: '2026-05-05T18:00:00Z', end: '2026-05-05T20:00:00Z' },
      technicianRefs: [st('5300000004')],
      instructions: 'Call on arrival.',
      createdAt: '2026-04-28T03:00:00Z',
      updatedAt: '2026-05-05T23:00:00Z',
    });
    expect(toAppointmentModel(appts[1]!, techs(appts[1]!.id)).instructions).toBeUndefined();
  });

  it('reads the bulk contact read (customers/contacts) as the same contacts, by customer id', () => {
    const w = ServiceTitanCustomerWire.parse(fixture('customer.get.ok').body);
    const single = serviceTitanPageWire(ServiceTitanContactWire).parse(fixture('customer.contacts').body).data;
    const bulk = serviceTitanPageWire(ServiceTitanCustomerContactWire).parse(fixture('customers.contacts.bulk').body).data;
    expect(new Set(bulk.map((k) => k.customerId))).toEqual(new Set(['5000000002', '5000000021']));
    const mine = bulk.filter((k) => k.customerId === w.id);
    expect(toCustomerModel(w, mine)).toEqual(toCustomerModel(w, single));
    // A MobilePhone is a phone too; ten digits read as a US number.
    const other = bulk.filter((k) => k.customerId === '5000000002');
    expect(toCustomerModel({ ...w, id: '5000000002' }, other)).toMatchObject({ email: 'Joshua.Allen@Example.org', phone: '+16782919999' });
  });

  it('maps a customer with its contacts (email trimmed, phone E.164)', () => {
    const w = ServiceTitanCustomerWire.parse(fixture('customer.get.ok').body);
    const contacts = serviceTitanPageWire(ServiceTitanContactWire).parse(fixture('customer.contacts').body).data;
    expect(toCustomerModel(w, contacts)).toEqual({
      ref: st('5000000021'),
      name: 'MAGNOLIA FITNESS, LLC',
      kind: 'COMMERCIAL',
      email: 'Office@Magnolia53.example.com',
      phone: '+16782808256',
      address: { line1: '5476 Cedar Ln', line2: '#23', city: 'Duluth', region: 'GA', postalCode: '30096', country: 'US' },
      crossReferences: [],
      balance: { amount: '0.00', currency: 'USD' },
      tags: [],
      active: true,
      createdAt: '2025-09-06T15:00:00Z',
      updatedAt: '2026-08-21T15:00:00Z',
    });
    // Without contacts (they are a sub-resource), no email or phone.
    const bare = toCustomerModel(w);
    expect(bare.email).toBeUndefined();
    expect(bare.phone).toBeUndefined();
  });

  it('maps a location, installed equipment (warranty covered today) and a technician', () => {
    expect(toLocationModel(ServiceTitanLocationWire.parse(fixture('location.get.ok').body))).toEqual({
      ref: st('5100000023'),
      customerRef: st('5000000021'),
      name: 'Magnolia Fitness LLC - Duluth',
      address: { line1: '5476 Cedar Lane', line2: 'Apt 23', city: 'Duluth', region: 'GA', postalCode: '30096', country: 'US' },
      active: true,
      createdAt: '2025-08-14T15:00:00Z',
      updatedAt: '2026-03-06T15:00:00Z',
    });
    const eq = ServiceTitanInstalledEquipmentWire.parse(fixture('installed-equipment.get.ok').body);
    expect(toEquipmentModel(eq, '2026-11-22')).toEqual({
      ref: st('5200000002'),
      locationRef: st('5100000001'),
      customerRef: st('5000000001'),
      name: 'Carrier Air Conditioner',
      type: 'Air Conditioner',
      manufacturer: 'Carrier',
      model: 'Comfort 13',
      serialNumber: 'ca1434908r',
      installedOn: '2023-07-25',
      warranty: { covered: true, startsOn: '2023-07-25', expiresOn: '2028-07-23', program: 'Carrier Factory Warranty' },
      createdAt: '2023-07-25T15:00:00Z',
      updatedAt: '2023-08-15T15:00:00Z',
    });
    expect(toEquipmentModel(eq, '2028-07-24').warranty?.covered).toBe(false);
    expect(toTechnicianModel(ServiceTitanTechnicianWire.parse(fixture('technician.get.ok').body))).toEqual({
      ref: st('5300000001'),
      name: 'Maria Clark',
      email: 'maria.clark@atlcomfort.example.com',
      phone: '+17708161111',
      skills: ['hvac'],
      region: 'ATL-C',
      dailyCapacity: 5,
      active: true,
      createdAt: '2024-11-09T15:00:00Z',
      updatedAt: '2024-12-31T15:00:00Z',
    });
  });

  it('maps an invoice with money as decimal strings, exactly', () => {
    const w = serviceTitanPageWire(ServiceTitanInvoiceWire).parse(fixture('invoices.list.ids').body).data[0]!;
    const m = toInvoiceModel(w);
    expect(m).toMatchObject({
      ref: st('5600000003'),
      number: '10003',
      workOrderRef: st('5400000003'),
      customerRef: st('5000000001'),
      locationRef: st('5100000001'),
      status: 'OPEN',
      sourceStatus: 'Exported',
      issuedOn: '2026-02-08',
      dueOn: '2026-03-10',
      subtotal: { amount: '170.00', currency: 'USD' },
      tax: { amount: '0.00', currency: 'USD' },
      total: { amount: '170.00', currency: 'USD' },
      balance: { amount: '85.00', currency: 'USD' },
      updatedAt: '2026-02-08T21:00:00Z',
    });
    expect(m.lineItems[0]).toEqual({ code: 'LABOR', description: 'Labor, 2 h', quantity: '2.00', unitPrice: { amount: '85.00', currency: 'USD' }, total: { amount: '170.00', currency: 'USD' } });
    expect(m.createdAt).toBeUndefined();
  });

  it('maps a membership', () => {
    expect(toMembershipModel(ServiceTitanMembershipWire.parse(fixture('membership.get.ok').body))).toEqual({
      ref: st('5700000001'),
      customerRef: st('5000000001'),
      locationRef: st('5100000001'),
      planId: '7100000002',
      status: 'ACTIVE',
      sourceStatus: 'Active',
      startsOn: '2026-04-20',
      endsOn: '2027-04-20',
      billingCadence: 'ANNUAL',
      nextBillingDate: '2027-04-20',
      createdAt: '2026-04-20T15:00:00Z',
      updatedAt: '2026-07-22T15:00:00Z',
    });
  });
});

describe('servicetitan mapping: edge cases', () => {
  it('reads odd timestamps, unknown words, string money and string ids on a job', () => {
    const m = toWorkOrderModel(ServiceTitanJobWire.parse(fixture('job.edge').body));
    expect(m).toEqual({
      ref: st('5400000999'),
      number: 'J-77',
      status: 'UNKNOWN',
      sourceStatus: 'Rescheduling',
      problemCode: 'LEAK',
      summary: 'Leaking valve',
      customerRef: st('5000000002'),
      locationRef: st('5100000002'),
      equipmentRefs: [],
      technicianRefs: [],
      // "next week" is no date: no completeBy.
      sla: { respondBy: '2026-11-06T05:00:00Z' },
      externalReference: 'FG-123',
      crossReferences: [{ system: 'sera', number: 'S-1045', via: 'externalData.seraWorkOrderNumber' }],
      parts: [],
      total: { amount: '1234.50', currency: 'USD' },
      // appointmentCount 0 (ids 0 read as none): the job has no visit.
      appointmentIds: [],
      // No zone: UTC, as ServiceTitan documents every date/time.
      createdAt: '2026-11-05T05:00:00Z',
      updatedAt: '2026-11-14T02:00:00Z',
      completedAt: '2026-11-14T14:30:00Z',
    });
    expect(m.priority).toBeUndefined();
  });

  it('reads an enum rendered as an object, offsets, fractions, a lone arrival start', () => {
    const m = toAppointmentModel(ServiceTitanAppointmentWire.parse(fixture('appointment.edge').body), ['5300000001', '5300000001']);
    expect(m).toEqual({
      ref: st('5500000999'),
      workOrderRef: st('5400000999'),
      status: 'UNKNOWN',
      sourceStatus: 'Unused',
      window: { start: '2027-03-01T13:00:00Z', end: '2027-03-01T12:00:00Z' },
      technicianRefs: [st('5300000001')],
    });
  });

  it('keeps money exact from floats and computes the invoice status from the balance', () => {
    const m = toInvoiceModel(ServiceTitanInvoiceWire.parse(fixture('invoice.edge').body));
    expect(m.subtotal.amount).toBe('0.30');
    expect(m.tax.amount).toBe('0.00');
    expect(m.total.amount).toBe('10.01');
    expect(m.balance.amount).toBe('-5.00');
    expect(m.status).toBe('PAID');
    expect(m.sourceStatus).toBe('Pending');
    expect(m.workOrderRef).toBeUndefined();
    expect(m.lineItems).toEqual([
      { description: 'Discount', quantity: '1', unitPrice: { amount: '-2.50', currency: 'USD' }, total: { amount: '-2.50', currency: 'USD' } },
      { description: 'Filter', quantity: '3', unitPrice: { amount: '4.10', currency: 'USD' }, total: { amount: '12.30', currency: 'USD' } },
    ]);
    expect(invoiceStatusOf('0.01')).toBe('OPEN');
    expect(invoiceStatusOf(0)).toBe('PAID');
  });

  it('maps unknown membership words to UNKNOWN and open-ended terms without an end', () => {
    const m = toMembershipModel(ServiceTitanMembershipWire.parse(fixture('membership.edge').body));
    expect(m).toEqual({
      ref: st('5700000999'),
      customerRef: st('5000000001'),
      planId: '7100000002',
      status: 'UNKNOWN',
      sourceStatus: 'Paused',
      startsOn: '2026-04-20',
      createdAt: '2026-04-20T15:00:00Z',
      updatedAt: '2026-07-22T15:00:00Z',
    });
    expect(toMembershipModel(ServiceTitanMembershipWire.parse({ ...fixture('membership.edge').body, status: 'Deleted' })).status).toBe('CANCELLED');
  });

  it('maps a customer without address, with cross references and awkward contacts', () => {
    const f = fixture('customer.edge');
    const contacts = (f.contacts as unknown[]).map((c) => ServiceTitanContactWire.parse(c));
    const m = toCustomerModel(ServiceTitanCustomerWire.parse(f.body), contacts);
    expect(m).toEqual({
      ref: st('5000000999'),
      name: 'Harper, Jo',
      email: 'Jo.Harper@Example.com',
      // Not a readable number: kept as the vendor holds it.
      phone: 'ext 12',
      crossReferences: [
        { system: 'sera', id: 'cus_123', via: 'externalData.seraCustomerId' },
        { system: 'fieldnation', number: 'FN-9', via: 'externalData.fieldnationCustomerNumber' },
      ],
      balance: { amount: '12.50', currency: 'USD' },
      tags: [],
      active: false,
      createdAt: '2024-01-01T00:00:00Z',
      updatedAt: '2024-02-01T00:00:00Z',
    });
  });

  it('takes the service provider warranty when there is no manufacturer one', () => {
    const m = toEquipmentModel(ServiceTitanInstalledEquipmentWire.parse(fixture('installed-equipment.edge').body), '2026-11-22');
    expect(m).toEqual({
      ref: st('5200000999'),
      locationRef: st('5100000001'),
      serialNumber: 'SN-1',
      warranty: { covered: false, startsOn: '2020-01-01', expiresOn: '2021-01-01' },
      createdAt: '2020-01-01T00:00:00Z',
      updatedAt: '2020-01-01T00:00:00Z',
    });
  });

  it('refuses payloads it cannot rely on', () => {
    expect(ServiceTitanJobWire.safeParse({ ...fixture('job.get.ok').body, id: 'abc' }).success).toBe(false);
    expect(ServiceTitanJobWire.safeParse({ ...fixture('job.get.ok').body, jobStatus: undefined }).success).toBe(false);
    expect(serviceTitanPageWire(ServiceTitanJobWire).safeParse({ data: [] }).success).toBe(false);
    expect(() => toUtc('yesterday')).toThrow();
    expect(() => toUtc('2026-02-30T00:00:00Z')).toThrow();
  });

  it('reads the date/time forms ServiceTitan writes, and dates as written', () => {
    expect(toUtc('2026-01-21t09:42:18.1234567Z')).toBe('2026-01-21T09:42:18Z');
    expect(toUtc('2026-01-21 04:42-05:00')).toBe('2026-01-21T09:42:00Z');
    expect(toUtc('2026-01-21')).toBe('2026-01-21T00:00:00Z');
    expect(optUtc('  ')).toBeUndefined();
    expect(optDate('2018-08-08T00:00:00-06:00')).toBe('2018-08-08');
    expect(optDate(null)).toBeUndefined();
    expect(() => optDate('2018-02-30')).toThrow();
  });

  it('knows every status word of the vendor and nothing else', () => {
    expect(Object.keys(WORK_ORDER_STATUS)).toEqual(['Scheduled', 'Dispatched', 'InProgress', 'Hold', 'Completed', 'Canceled']);
    expect(Object.keys(APPOINTMENT_STATUS)).toEqual(['Scheduled', 'Dispatched', 'Working', 'Hold', 'Done', 'Canceled']);
    expect(crossReferencesOf([{ key: 'fieldgraphReference', value: 'FG-1' }])).toEqual([]);
  });
});

describe('servicetitan mapping: commands to bodies', () => {
  const command: CreateWorkOrderCommand = {
    externalReference: 'FG-42',
    customer: { ref: st('5000000001') },
    serviceType: 'repair',
    problemCode: 'NO_COOL',
    summary: 'Unit does not cool',
    notes: 'Dog in the yard',
    priority: 'URGENT',
    sla: { respondBy: '2027-01-01T10:00:00Z' },
    window: { start: '2027-01-02T09:00:00-05:00', end: '2027-01-02T13:00:00-05:00' },
    technicianRefs: [st('5300000001')],
  };
  const refs = { customerId: 5000000001, locationId: 5100000001, businessUnitId: 1, jobTypeId: 2, campaignId: 3, applicationGuid: 'g-1' };

  it('builds a job create body with one appointment, notes in the summary and our reference', () => {
    const r = toJobCreateBody(command, { ...refs, customFieldTypeIds: { problemCode: 77 } });
    expect(r).toEqual({
      ok: true,
      body: {
        customerId: 5000000001,
        locationId: 5100000001,
        businessUnitId: 1,
        jobTypeId: 2,
        priority: 'Urgent',
        campaignId: 3,
        appointments: [{ start: '2027-01-02T14:00:00Z', end: '2027-01-02T18:00:00Z', technicianIds: [5300000001] }],
        summary: 'Unit does not cool\n\nDog in the yard',
        customFields: [{ typeId: 77, value: 'NO_COOL' }],
        externalData: { applicationGuid: 'g-1', externalData: [{ key: 'fieldgraphReference', value: 'FG-42' }] },
      },
    });
    expect(ServiceTitanJobCreateWire.safeParse(r.ok && r.body).success).toBe(true);
  });

  it('refuses what ServiceTitan cannot book: no window, foreign technicians, a reversed window', () => {
    const { window: _w, ...noWindow } = command;
    const r = toJobCreateBody({ ...noWindow, technicianRefs: [{ system: 'sera', id: 't1' }] }, refs);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.fieldErrors.map((f) => f.field)).toEqual(['window', 'technicianRefs.0']);
    const reversed = toAppointmentAddBody(1, { start: '2027-01-02T10:00:00Z', end: '2027-01-02T09:00:00Z' }, [], undefined);
    expect(!reversed.ok && reversed.fieldErrors[0]!.field).toBe('window.end');
  });

  it('builds a new customer with its location, contacts and reference', () => {
    const body = toCustomerCreateBody(
      { name: 'Jo Harper', email: 'jo@example.com', phone: '404-555-0199', address: { line1: '1 Main St', city: 'Atlanta', region: 'GA', postalCode: '30303', country: 'US' } },
      undefined,
      'FG-1',
      'g-1',
    );
    expect(body.address.country).toBe('USA');
    expect(body.contacts).toEqual([{ type: 'Email', value: 'jo@example.com' }, { type: 'Phone', value: '404-555-0199' }]);
    expect(body.locations[0]!.externalData?.externalData).toEqual([{ key: 'fieldgraphReference', value: 'FG-1' }]);
  });

  it('picks the duration/billing option of a cadence, a fixed term first', () => {
    const options = [
      { id: 1, duration: null, billingFrequency: 'Monthly', active: true },
      { id: 2, duration: 12, billingFrequency: 'OneTime', active: true },
      { id: 3, duration: 12, billingFrequency: 'Monthly', active: false },
      { id: 4, duration: 24, billingFrequency: 'Monthly', active: true },
    ].map((o) => ServiceTitanDurationBillingWire.parse(o));
    expect(pickDurationBilling(options, 'MONTHLY')?.id).toBe('4');
    expect(pickDurationBilling(options, 'ANNUAL')).toBeUndefined();
  });
});

describe('servicetitan errors', () => {
  it('turns an RFC 7807 body into field errors and a kind, and names the command field', () => {
    const f = fixture('job.create.422');
    const c = classifyServiceTitanError(f.status!, f.body);
    expect(c).toEqual({
      kind: 'invalid_request',
      message: 'The request references records that do not exist or cannot be used.',
      fieldErrors: [{ field: 'campaignId', message: 'The campaignId field is required.' }],
    });
    expect(commandFieldOf('campaignId')).toBe('vendorSettings.campaignId');
    expect(commandFieldOf('appointments[0].technicianIds')).toBe('technicianRefs');
    expect(commandFieldOf('appointments[1].start')).toBe('window[1].start');
    expect(commandFieldOf('somethingNew')).toBe('somethingNew');
    expect(problemFieldErrors(ServiceTitanProblemWire.parse({ errors: { '': ['Nothing to reschedule.'] } }))).toEqual([{ field: 'body', message: 'Nothing to reschedule.' }]);
  });

  it('classifies the token endpoint, 404, 409, 429 and 5xx', () => {
    const t = fixture('token.400');
    expect(classifyServiceTitanError(t.status!, t.body)).toEqual({ kind: 'unauthorized', message: 'token endpoint refused: invalid_client', vendorCode: 'invalid_client' });
    expect(classifyServiceTitanError(404, fixture('job.get.404').body).kind).toBe('not_found');
    expect(classifyServiceTitanError(409, { title: 'Job 1 is canceled', status: 409, errors: { jobStatus: ['Job 1 is canceled'] } }).kind).toBe('conflict');
    expect(classifyServiceTitanError(429, { error: 'rate_limited' }).kind).toBe('rate_limited');
    expect(classifyServiceTitanError(403, { title: 'The access token was not issued for tenant 1.', data: { reason: 'tenant_mismatch' } })).toMatchObject({ kind: 'forbidden', vendorCode: 'tenant_mismatch' });
    expect(classifyServiceTitanError(503, '<html>down</html>')).toEqual({ kind: 'unavailable', message: 'HTTP 503' });
  });
});
