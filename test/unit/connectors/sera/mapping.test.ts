/**
 * Sera mapping: recorded wire payloads (test/fixtures/sera, captured from the simulator; the
 * `*.edge.json` ones derived from them by hand with the odd forms a real API sends) through the
 * wire schemas to the expected canonical models; commands to request bodies; Sera's errors to
 * connector errors and the command's field names; local windows to and from UTC.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SERA } from '../../../../connectors/sandbox/dataset/vocab.js';
import { classifySeraError, hasNextPage } from '../../../../connectors/sera/client.js';
import {
  APPOINTMENT_STATUS,
  INVOICE_STATUS,
  MEMBERSHIP_STATUS,
  PRIORITY,
  PRIORITY_TO_SERA,
  WORK_ORDER_STATUS,
  WORK_ORDER_STATUS_TO_SERA,
  parseTimestamp,
  referenceFromSource,
  toCommandFieldErrors,
  toCreateMembershipBody,
  toCreateWorkOrderBody,
  toCustomerModel,
  toInvoiceModel,
  toJobType,
  toLocationModel,
  toMembershipModel,
  toSeraWindow,
  toStatusBody,
  toTechnicianModel,
  toUtcTimestamp,
  toWorkOrderModel,
  utcToZoned,
  zonedToUtc,
} from '../../../../connectors/sera/mapping.js';
import {
  seraListWire,
  SeraCreateMembershipRequestWire,
  SeraCreateWorkOrderRequestWire,
  SeraCustomerWire,
  SeraErrorWire,
  SeraInvoiceWire,
  SeraLocationWire,
  SeraMembershipCreatedWire,
  SeraMembershipWire,
  SeraStatusUpdatedWire,
  SeraTechnicianWire,
  SeraWorkOrderCreatedWire,
  SeraWorkOrderWire,
} from '../../../../connectors/sera/wire.js';
import type { CreateWorkOrderCommand } from '../../../../connectors/types.js';
import { WORK_ORDER_STATUSES, type Money, type RecordRef } from '../../../../src/model/index.js';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../../fixtures/sera/${name}`, import.meta.url), 'utf8'));
const sera = (id: string): RecordRef => ({ system: 'sera', id });
const usd = (amount: string): Money => ({ amount, currency: 'USD' });

describe('vendor vocabularies', () => {
  it('maps every Sera word to a canonical value, and unknown words to UNKNOWN', () => {
    for (const s of SERA.workOrderStatus) {
      expect(WORK_ORDER_STATUS[s], s).toBeDefined();
      expect(APPOINTMENT_STATUS[s], s).toBeDefined();
    }
    for (const s of SERA.membershipStatus) expect(MEMBERSHIP_STATUS[s], s).toBeDefined();
    for (const s of SERA.invoiceStatus) expect(INVOICE_STATUS[s], s).toBeDefined();
    for (const p of SERA.priority) expect(PRIORITY[p], p).toBeDefined();
    // Round trips for the writes.
    for (const s of WORK_ORDER_STATUSES.filter((x) => x !== 'UNKNOWN')) expect(WORK_ORDER_STATUS[WORK_ORDER_STATUS_TO_SERA[s]!]).toBe(s);
    for (const [canonical, word] of Object.entries(PRIORITY_TO_SERA)) expect(PRIORITY[word]).toBe(canonical);
  });
});

describe('wire -> model', () => {
  it('maps a scheduled work order with its embedded appointment in UTC', () => {
    const w = SeraWorkOrderWire.parse(fixture('work-order.get.scheduled.json'));
    const window = { start: '2026-11-19T13:00:00Z', end: '2026-11-19T17:00:00Z' };
    expect(toWorkOrderModel(w)).toEqual({
      ref: sera('wo_b44527'),
      number: 'wo_b44527',
      status: 'SCHEDULED',
      sourceStatus: 'scheduled',
      priority: 'LOW',
      serviceType: 'hvac_service',
      summary: 'General service',
      customerRef: sera('cus_697412'),
      locationRef: sera('loc_acd7bb'),
      equipmentRefs: [],
      technicianRefs: [sera('tech_885874')],
      window,
      crossReferences: [],
      parts: [
        { partNumber: 'pb_labor_hour', description: 'Labor, per hour', quantity: '3.00', unitPrice: usd('85.00') },
        { partNumber: 'pb_cap_45_5', description: 'Dual run capacitor 45/5 uF', quantity: '1.00', unitPrice: usd('29.95') },
        { partNumber: 'pb_filter_xl', description: 'XL air filter', quantity: '2.00', unitPrice: usd('24.99') },
      ],
      total: usd('341.32'),
      embedded: {
        appointments: [
          {
            ref: sera('wo_b44527'),
            workOrderRef: sera('wo_b44527'),
            status: 'SCHEDULED',
            sourceStatus: 'scheduled',
            window,
            technicianRefs: [sera('tech_885874')],
            instructions: 'Dog in the yard.',
            // The work order's modification time; Sera sends no creation time of the appointment.
            updatedAt: '2026-11-16T15:00:00Z',
          },
        ],
      },
      createdAt: '2026-11-14T20:00:00Z',
      updatedAt: '2026-11-16T15:00:00Z',
    });
  });

  it('reads our external reference back from `source`, and a window booked in another zone', () => {
    const w = SeraWorkOrderWire.parse(fixture('work-order.get.created.json'));
    const m = toWorkOrderModel(w);
    expect(m.externalReference).toBe('fg-7f3a');
    // 08:00-12:00 Chicago (CST, UTC-6) on 2027-02-01.
    expect(m.window).toEqual({ start: '2027-02-01T14:00:00Z', end: '2027-02-01T18:00:00Z' });
    expect(m.total).toEqual(usd('268.00'));
    expect(referenceFromSource('web_booking')).toBeUndefined();
    expect(referenceFromSource('fieldgraph:')).toBeUndefined();
  });

  it('maps a work order without an appointment: no window, no embedded appointment', () => {
    const m = toWorkOrderModel(SeraWorkOrderWire.parse(fixture('work-order.get.new.json')));
    expect(m).toMatchObject({ status: 'NEW', priority: 'HIGH', technicianRefs: [], total: usd('109.62') });
    expect(m.window).toBeUndefined();
    expect(m.embedded).toBeUndefined();
    expect('window' in m).toBe(false);
  });

  it('tolerates unknown words, offsets, missing seconds, string money and missing fields (across a DST change)', () => {
    const w = SeraWorkOrderWire.parse(fixture('work-order.get.edge.json'));
    // 01:00 CST (UTC-6) to 04:00 CDT (UTC-5) on the spring-forward night: two hours, not three.
    const window = { start: '2026-03-08T07:00:00Z', end: '2026-03-08T09:00:00Z' };
    expect(toWorkOrderModel(w)).toEqual({
      ref: sera('wo_edge01'),
      number: 'wo_edge01',
      status: 'UNKNOWN',
      sourceStatus: 'awaiting_parts',
      serviceType: 'hvac_service',
      summary: 'No heat; furnace short cycling.',
      customerRef: sera('cus_3fe97e'),
      locationRef: sera('loc_02d68a'),
      equipmentRefs: [],
      technicianRefs: [],
      window,
      crossReferences: [],
      parts: [{ partNumber: 'pb_labor_hour', quantity: '1.25', unitPrice: usd('85.00') }],
      total: usd('106.25'),
      embedded: {
        appointments: [{ ref: sera('wo_edge01'), workOrderRef: sera('wo_edge01'), status: 'UNKNOWN', sourceStatus: 'awaiting_parts', window, technicianRefs: [], updatedAt: '2026-03-08T12:00:00Z' }],
      },
      createdAt: '2026-03-01T13:00:00Z',
      updatedAt: '2026-03-08T12:00:00Z',
    });
  });

  it('maps customers: E.164 phones, the default location as address, balance, membership-less', () => {
    expect(toCustomerModel(SeraCustomerWire.parse(fixture('customer.get.ok.json')))).toEqual({
      ref: sera('cus_1060d3'),
      name: 'SANDRA FLORES',
      phone: '+14707756950',
      address: { line1: '6083 Buford Hwy NE', city: 'Marietta', region: 'GA', postalCode: '30060', country: 'US' },
      crossReferences: [],
      balance: usd('0.00'),
      tags: [],
      active: true,
      createdAt: '2024-07-27T15:00:00Z',
      updatedAt: '2024-08-30T15:00:00Z',
    });
    expect(toCustomerModel(SeraCustomerWire.parse(fixture('customer.get.no-membership.json')))).toMatchObject({
      email: 'rlarsen@example.org',
      phone: '+14042277846',
    });
    // Listed under `status=inactive`: the filter says what the item does not.
    expect(toCustomerModel(SeraCustomerWire.parse(fixture('customer.get.no-membership.json')), false).active).toBe(false);
  });

  it('maps an odd customer: a status field, string money, zone-less and offset timestamps, an unreadable phone kept as is', () => {
    expect(toCustomerModel(SeraCustomerWire.parse(fixture('customer.get.edge.json')), true)).toEqual({
      ref: sera('cus_21a9f0'),
      name: 'Jordan Lee',
      email: 'Jordan.Lee@Example.com',
      phone: '+1-555-0142',
      crossReferences: [],
      balance: usd('89.00'),
      tags: [],
      active: false,
      createdAt: '2025-08-03T14:11:22Z',
      updatedAt: '2026-01-18T08:05:00Z',
    });
  });

  it('maps locations and technicians (emails trimmed, phones in E.164)', () => {
    expect(toLocationModel(SeraLocationWire.parse(fixture('location.get.ok.json')))).toEqual({
      ref: sera('loc_02d68a'),
      customerRef: sera('cus_3fe97e'),
      name: 'Ronald Larsen residence',
      address: { line1: '4602 Pine St', city: 'Smyrna', region: 'GA', postalCode: '30082', country: 'US' },
      active: true,
      createdAt: '2023-07-24T15:00:00Z',
      updatedAt: '2023-11-23T15:00:00Z',
    });
    expect(toTechnicianModel(SeraTechnicianWire.parse(fixture('technician.get.ok.json')))).toEqual({
      ref: sera('tech_c18221'),
      name: 'Sofia Garcia',
      email: 'Sofia.Garcia@Atlcomfort.example.com',
      phone: '+17709959358',
      skills: ['plumbing'],
      region: 'ATL-E',
      dailyCapacity: 4,
      active: true,
      createdAt: '2024-04-12T15:00:00Z',
      updatedAt: '2024-08-04T15:00:00Z',
    });
    const page = seraListWire(SeraTechnicianWire).parse(fixture('technicians.list.page.json'));
    expect(page.items.map(toTechnicianModel).map((t) => [t.email, t.phone])).toEqual([
      ['alex.rodriguez@atlcomfort.example.com', '+14703118323'],
      ['Melissa.Shaw@Atlcomfort.example.com', '+17706436885'],
      ['linda.allen@atlcomfort.example.com', '+16784335549'],
    ]);
    expect(hasNextPage(page, 2, 3)).toBe(true);
    expect(hasNextPage({ ...page, page: 4 }, 4, 3)).toBe(false);
  });

  it('maps invoices exactly, and prices a line without a total', () => {
    expect(toInvoiceModel(SeraInvoiceWire.parse(fixture('invoice.get.ok.json')))).toEqual({
      ref: sera('inv_40cb0f'),
      number: 'S-20006',
      workOrderRef: sera('wo_4dbf66'),
      customerRef: sera('cus_4317eb'),
      locationRef: sera('loc_6e18f0'),
      status: 'OPEN',
      sourceStatus: 'open',
      issuedOn: '2026-04-20',
      dueOn: '2026-05-20',
      lineItems: [{ code: 'pb_labor_hour', description: 'Labor, 2.5 h', quantity: '2.50', unitPrice: usd('85.00'), total: usd('212.50') }],
      subtotal: usd('212.50'),
      tax: usd('0.00'),
      total: usd('212.50'),
      balance: usd('106.25'),
      createdAt: '2026-04-20T19:00:00Z',
      updatedAt: '2026-04-20T19:00:00Z',
    });
    expect(toInvoiceModel(SeraInvoiceWire.parse(fixture('invoice.get.edge.json')))).toEqual({
      ref: sera('inv_edge01'),
      workOrderRef: sera('wo_edge01'),
      customerRef: sera('cus_21a9f0'),
      status: 'UNKNOWN',
      sourceStatus: 'partially_paid',
      issuedOn: '2026-05-11',
      lineItems: [
        { code: 'pb_labor_hour', description: 'Labor', quantity: '1.50', unitPrice: usd('85.00'), total: usd('127.50') },
        { code: 'pb_filter_xl', description: 'pb_filter_xl', quantity: '2.00', unitPrice: usd('24.99'), total: usd('49.98') },
      ],
      subtotal: usd('177.48'),
      tax: usd('0.00'),
      total: usd('177.48'),
      // No balance given and not settled: the total is owed.
      balance: usd('177.48'),
    });
  });

  it('maps memberships without any trace of the payment method', () => {
    expect(toMembershipModel(SeraMembershipWire.parse(fixture('membership.get.ok.json')))).toEqual({
      ref: sera('mbr_f212ca'),
      customerRef: sera('cus_1060d3'),
      locationRef: sera('loc_c6e453'),
      planId: 'plan_whole_home',
      planName: 'Whole Home Plan',
      status: 'ACTIVE',
      sourceStatus: 'active',
      startsOn: '2025-06-30',
      endsOn: '2026-06-30',
      billingCadence: 'MONTHLY',
      nextBillingDate: '2026-11-28',
      includedVisits: 3,
      price: usd('34.00'),
      createdAt: '2025-06-30T15:00:00Z',
      updatedAt: '2025-08-30T15:00:00Z',
    });
    const enrolled = toMembershipModel(SeraMembershipWire.parse(fixture('membership.get.enrolled.json')));
    expect(enrolled).toMatchObject({ status: 'ACTIVE', nextBillingDate: '2026-03-15', includedVisits: 2 });
    expect(JSON.stringify(enrolled)).not.toMatch(/fp_|pm_tok/);
    expect(toMembershipModel(SeraMembershipWire.parse(fixture('membership.get.edge.json')))).toEqual({
      ref: sera('mbr_edge01'),
      customerRef: sera('cus_21a9f0'),
      planName: 'Whole Home Plan',
      status: 'UNKNOWN',
      sourceStatus: 'paused',
      startsOn: '2026-02-15',
      price: usd('34.00'),
      createdAt: '2026-02-15T15:00:00Z',
    });
  });

  it('parses the write answers of the seed document', () => {
    expect(SeraWorkOrderCreatedWire.parse(fixture('work-order.create.201.json')).appointment?.timezone).toBe('America/Chicago');
    expect(SeraStatusUpdatedWire.parse(fixture('work-order.status.200.json')).startedAt).toBe('2027-02-01T15:07:00Z');
    expect(SeraMembershipCreatedWire.parse(fixture('membership.create.201.json')).nextBillingDate).toBe('2026-03-15');
  });

  it('refuses a payload missing what the connector relies on', () => {
    expect(SeraWorkOrderWire.safeParse({ status: 'new' }).success).toBe(false);
    expect(seraListWire(SeraTechnicianWire).safeParse({ unexpected: true, html: '<html>' }).success).toBe(false);
    const bad = { ...(fixture('work-order.get.scheduled.json') as object), appointment: { date: 'soon', windowStart: '8am', windowEnd: 'noon' } };
    expect(SeraWorkOrderWire.safeParse(bad).success).toBe(false);
  });
});

describe('times', () => {
  it('normalises timestamps to UTC with seconds', () => {
    expect(toUtcTimestamp('2026-02-01T09:07:00-06:00')).toBe('2026-02-01T15:07:00Z');
    expect(toUtcTimestamp('2026-02-01T09:07-0600')).toBe('2026-02-01T15:07:00Z');
    expect(toUtcTimestamp('2026-02-01T20:37:00+05:30')).toBe('2026-02-01T15:07:00Z');
    expect(toUtcTimestamp('2026-02-01T15:07:00.999Z')).toBe('2026-02-01T15:07:00Z');
    expect(toUtcTimestamp('2026-02-01 15:07:00')).toBe('2026-02-01T15:07:00Z');
    expect(toUtcTimestamp('2026-02-30T00:00:00Z')).toBeUndefined();
    expect(toUtcTimestamp('yesterday')).toBeUndefined();
    expect(parseTimestamp('2026-02-01')).toBe(Date.UTC(2026, 1, 1));
  });

  it('converts local windows exactly through DST changes', () => {
    // Fall back in New York: 01:30 happens twice; the first (EDT) is meant.
    expect(new Date(zonedToUtc('2026-11-01', '01:30', 'America/New_York')).toISOString()).toBe('2026-11-01T05:30:00.000Z');
    // Spring forward: 02:30 does not exist and reads as 03:30 EDT.
    expect(new Date(zonedToUtc('2026-03-08', '02:30', 'America/New_York')).toISOString()).toBe('2026-03-08T07:30:00.000Z');
    expect(utcToZoned(Date.parse('2026-07-04T16:00:00Z'), 'America/New_York')).toEqual({ date: '2026-07-04', time: '12:00', seconds: 0 });
  });

  it('writes a UTC window as a local date and times, refusing what Sera cannot book', () => {
    expect(toSeraWindow({ start: '2026-02-01T14:00:00Z', end: '2026-02-01T18:00:00Z' }, 'America/Chicago')).toEqual({
      requestedDate: '2026-02-01',
      timeWindow: { start: '08:00', end: '12:00', timezone: 'America/Chicago' },
    });
    expect(toSeraWindow({ start: '2026-02-02T03:00:00Z', end: '2026-02-02T07:00:00Z' }, 'America/New_York')).toHaveProperty('error');
    expect(toSeraWindow({ start: '2026-02-01T14:00:30Z', end: '2026-02-01T18:00:00Z' }, 'America/Chicago')).toHaveProperty('error');
    expect(toSeraWindow({ start: '2026-02-01T18:00:00Z', end: '2026-02-01T14:00:00Z' }, 'America/Chicago')).toHaveProperty('error');
  });
});

describe('command -> wire', () => {
  const seedCommand: CreateWorkOrderCommand = {
    externalReference: 'fg-7f3a',
    customer: { ref: sera('cus_21a9f0') },
    location: { ref: sera('loc_9a0e3b') },
    serviceType: 'hvac_service',
    summary: 'No heat; furnace short cycling.',
    priority: 'NORMAL',
    window: { start: '2026-02-01T14:00:00Z', end: '2026-02-01T18:00:00Z' },
    technicianRefs: [sera('tech_57aa12')],
    parts: [
      { partNumber: 'pb_thermostat_diag', quantity: 1, unitPrice: '79.00' },
      { partNumber: 'pb_furnace_tuneup', quantity: 1, unitPrice: '189.00' },
    ],
    notes: 'Gate code 1234. Pets on site.',
  };

  it("builds the seed document's create body, our reference stamped in `source`", () => {
    const r = toCreateWorkOrderBody(seedCommand, { customerId: 'cus_21a9f0', serviceLocationId: 'loc_9a0e3b', timeZone: 'America/Chicago' });
    expect(r).toEqual({
      body: {
        customerId: 'cus_21a9f0',
        serviceLocationId: 'loc_9a0e3b',
        jobType: 'hvac_service',
        priority: 'normal',
        requestedDate: '2026-02-01',
        timeWindow: { start: '08:00', end: '12:00', timezone: 'America/Chicago' },
        description: 'No heat; furnace short cycling.',
        pricebookItems: [
          { itemId: 'pb_thermostat_diag', quantity: 1, unitPrice: 79 },
          { itemId: 'pb_furnace_tuneup', quantity: 1, unitPrice: 189 },
        ],
        assignedTechnicianId: 'tech_57aa12',
        source: 'fieldgraph:fg-7f3a',
        notes: 'Gate code 1234. Pets on site.',
      },
    });
    expect(SeraCreateWorkOrderRequestWire.safeParse((r as { body: unknown }).body).success).toBe(true);
  });

  it('refuses fields Sera has no place for, naming them', () => {
    const r = toCreateWorkOrderBody(
      {
        ...seedCommand,
        externalReference: 'x'.repeat(60),
        serviceType: 'repair',
        problemCode: 'NO_HEAT',
        sla: { respondBy: '2026-02-01T12:00:00Z' },
        parts: [{ partNumber: 'pb_x', quantity: 1.234 }],
      },
      { customerId: 'c', serviceLocationId: 'l', timeZone: 'America/New_York' },
    );
    expect('fieldErrors' in r && r.fieldErrors.map((f) => f.field)).toEqual(['serviceType', 'problemCode', 'sla', 'externalReference', 'parts.0.quantity']);
    expect(toJobType('repair', 'hvac')).toBe('hvac_service');
    expect(toJobType('Plumbing_Installation', undefined)).toBe('plumbing_installation');
    expect(toJobType('repair', undefined)).toBeUndefined();
  });

  it('builds status bodies with UTC times where Sera records them', () => {
    expect(toStatusBody({ workOrderRef: sera('wo_1'), status: 'IN_PROGRESS', technicianRef: sera('tech_57aa12'), at: '2026-02-01T09:07:00-06:00', note: 'Diagnosing.' })).toEqual({
      body: { status: 'in_progress', assignedTechnicianId: 'tech_57aa12', startedAt: '2026-02-01T15:07:00Z', arrivalNotes: 'Diagnosing.' },
    });
    expect(toStatusBody({ workOrderRef: sera('wo_1'), status: 'COMPLETED', at: '2026-02-01T17:00:00Z' })).toEqual({ body: { status: 'completed', completedAt: '2026-02-01T17:00:00Z' } });
    expect(toStatusBody({ workOrderRef: sera('wo_1'), status: 'ON_HOLD', at: '2026-02-01T17:00:00Z' })).toHaveProperty('fieldErrors');
    expect(toStatusBody({ workOrderRef: sera('wo_1'), status: 'UNKNOWN' })).toHaveProperty('fieldErrors');
  });

  it("builds the seed document's membership body; the token goes into the body only", () => {
    const r = toCreateMembershipBody({
      externalReference: 'fg-m1',
      customerRef: sera('cus_21a9f0'),
      planId: 'plan_hvac_comfort_monthly',
      startDate: '2026-02-15',
      billingCadence: 'MONTHLY',
      autopay: true,
      paymentMethodToken: 'pm_tok_8f9ca1',
      includedVisits: 2,
    });
    expect(r).toEqual({
      body: { planId: 'plan_hvac_comfort_monthly', startDate: '2026-02-15', billingCadence: 'monthly', autopay: true, paymentMethodToken: 'pm_tok_8f9ca1', includedVisits: 2 },
    });
    expect(SeraCreateMembershipRequestWire.safeParse((r as { body: unknown }).body).success).toBe(true);
    const refused = toCreateMembershipBody({
      externalReference: 'fg-m2',
      customerRef: sera('cus_21a9f0'),
      locationRef: sera('loc_9a0e3b'),
      planId: 'p',
      startDate: '2026-02-15',
      billingCadence: 'MONTHLY',
      autopay: true,
    });
    expect('fieldErrors' in refused && refused.fieldErrors.map((f) => f.field)).toEqual(['locationRef', 'paymentMethodToken']);
  });
});

describe('errors', () => {
  it("classifies Sera's recorded error bodies, without copying the body", () => {
    const unprocessable = classifySeraError(422, fixture('work-order.create.422.json'));
    expect(unprocessable).toMatchObject({ kind: 'invalid_request', vendorCode: 'unprocessable', fieldErrors: [{ field: 'pricebookItems.0.itemId', message: 'Unknown pricebook item.' }] });
    expect(unprocessable.message).toMatch(/^Unknown pricebook item pb_nope\. \(request [0-9a-f-]+\)$/);
    expect(classifySeraError(409, fixture('work-order.status.409.json'))).toMatchObject({ kind: 'conflict', vendorCode: 'conflict' });
    expect(classifySeraError(400, fixture('work-order.create.400.json'))).toMatchObject({ kind: 'invalid_request', vendorCode: 'validation_error' });
    expect(classifySeraError(401, { error: { code: 'token_expired', message: 'The session has expired.' }, requestId: 'r' }).kind).toBe('unauthorized');
    expect(classifySeraError(503, { error: { code: 'unprocessable', message: 'x' }, requestId: 'r' }).kind).toBe('unavailable');
    expect(classifySeraError(429, '<html>busy</html>')).toEqual({ kind: 'rate_limited', message: 'HTTP 429' });
    expect(SeraErrorWire.safeParse(fixture('membership.create.422.json')).success).toBe(true);
  });

  it("names Sera's field errors by the command's fields", () => {
    const details = SeraErrorWire.parse(fixture('work-order.create.400.json')).error.details!;
    expect(toCommandFieldErrors('createWorkOrder', details)).toEqual([
      { field: 'window', message: 'timeWindow.end: Must be after start.' },
      { field: 'window', message: 'requestedDate: Required when timeWindow is given.' },
    ]);
    expect(toCommandFieldErrors('createWorkOrder', [{ field: 'pricebookItems.0.itemId', message: 'Unknown pricebook item.' }])).toEqual([
      { field: 'parts.0.partNumber', message: 'pricebookItems.0.itemId: Unknown pricebook item.' },
    ]);
    expect(toCommandFieldErrors('updateStatus', [{ field: 'startedAt', message: 'Only with status in_progress.' }])).toEqual([
      { field: 'at', message: 'startedAt: Only with status in_progress.' },
    ]);
    expect(toCommandFieldErrors('enrollMembership', [{ field: 'planId', message: 'Unknown plan.' }, { field: 'body', message: 'Not JSON.' }])).toEqual([
      { field: 'planId', message: 'Unknown plan.' },
      { field: 'body', message: 'Not JSON.' },
    ]);
  });
});
