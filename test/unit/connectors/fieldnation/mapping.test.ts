/**
 * Field Nation mapping: recorded wire payloads (captured from the simulator, plus hand-made ones
 * for the shapes older endpoints send) through the zod wire schemas into canonical models; the
 * status tables, timestamps, money, command bodies and error classification.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FN } from '../../../../connectors/sandbox/dataset/vocab.js';
import { classifyFieldNationError, rateLimitFor } from '../../../../connectors/fieldnation/client.js';
import {
  APPOINTMENT_STATUS,
  appointmentIdOf,
  isProvider,
  matchTypeOfWork,
  parseFieldNationTime,
  payTotal,
  toAppointmentModel,
  toCreateWorkOrderBody,
  toCustomerModel,
  toFieldErrors,
  toFieldNationTime,
  toLocationModel,
  toScheduleBody,
  toTechnicianModel,
  toWorkOrderModel,
  WORK_ORDER_STATUS,
  workOrderIdOfAppointment,
  workOrderStatusOf,
} from '../../../../connectors/fieldnation/mapping.js';
import {
  FieldNationClientWire,
  FieldNationLocationWire,
  FieldNationProblemWire,
  FieldNationTokenWire,
  FieldNationTypeOfWorkListWire,
  FieldNationUserWire,
  FieldNationWorkOrderCreateWire,
  FieldNationWorkOrderListWire,
  FieldNationWorkOrderWire,
} from '../../../../connectors/fieldnation/wire.js';
import type { CreateWorkOrderCommand } from '../../../../connectors/types.js';

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../../fixtures/fieldnation/${name}`, import.meta.url), 'utf8'));
}
const workOrder = (name: string) => FieldNationWorkOrderWire.parse(fixture(name));
const fn = (id: string) => ({ system: 'fieldnation' as const, id });

describe('timestamps', () => {
  it.each([
    [{ utc: '2026-11-21 13:00:00' }, '2026-11-21T13:00:00Z'],
    ['2026-11-21 13:00:00', '2026-11-21T13:00:00Z'],
    ['2026-11-21 13:00', '2026-11-21T13:00:00Z'],
    ['2026-11-21T13:00:00Z', '2026-11-21T13:00:00Z'],
    ['2026-11-21T13:00:00.999Z', '2026-11-21T13:00:00Z'],
    ['2026-11-21T08:00:00-05:00', '2026-11-21T13:00:00Z'],
    ['2026-11-21 18:30:00+0530', '2026-11-21T13:00:00Z'],
    ['2026-11-21 13:00:00 UTC', '2026-11-21T13:00:00Z'],
    ['2026-11-21t13:00:00z', '2026-11-21T13:00:00Z'],
    ['2026-11-21 13:00:00gmt', '2026-11-21T13:00:00Z'],
    [{ utc: ' 2026-11-21 13:00 ' }, '2026-11-21T13:00:00Z'],
    ['2026-11-21', '2026-11-21T00:00:00Z'],
    ['2026-11-21T23:30:00-02:00', '2026-11-22T01:30:00Z'],
  ])('reads %j as %s', (input, iso) => {
    expect(parseFieldNationTime(input)).toBe(iso);
  });

  it.each([[{ utc: null }], [{ utc: '' }], [null], [undefined], ['yesterday'], ['2026-02-30 10:00:00'], ['2026-11-21 24:00:00'], ['21/11/2026 13:00']])(
    'gives nothing for %j',
    (input) => {
      expect(parseFieldNationTime(input)).toBeUndefined();
    },
  );

  it('writes instants in the request format (UTC, a space, no zone)', () => {
    expect(toFieldNationTime('2026-11-21T08:00:00-05:00')).toBe('2026-11-21 13:00:00');
    expect(toFieldNationTime('2026-11-21T13:00:00.500Z')).toBe('2026-11-21 13:00:00');
    expect(() => toFieldNationTime('soon')).toThrow(RangeError);
  });
});

describe('statuses', () => {
  it('maps every status of the vendor vocabulary to a known canonical status', () => {
    for (const s of FN.status) expect(workOrderStatusOf({ name: s.name }), s.name).not.toBe('UNKNOWN');
    for (const s of FN.status) expect(APPOINTMENT_STATUS[s.name as keyof typeof APPOINTMENT_STATUS], s.name).toBeDefined();
  });

  it('follows the lifecycle: released work is scheduled, an assigned provider dispatched, done work completed', () => {
    expect(WORK_ORDER_STATUS).toMatchObject({ Draft: 'NEW', Published: 'SCHEDULED', Routed: 'SCHEDULED', Assigned: 'DISPATCHED', 'Work Done': 'COMPLETED', Approved: 'COMPLETED', Paid: 'COMPLETED', Cancelled: 'CANCELLED' });
  });

  it('reads words in any case and spacing, and UNKNOWN for words it does not know', () => {
    expect(workOrderStatusOf({ name: 'work_done' })).toBe('COMPLETED');
    expect(workOrderStatusOf({ name: 'WORK DONE' })).toBe('COMPLETED');
    expect(workOrderStatusOf({ name: 'Escalated' })).toBe('UNKNOWN');
  });

  it('reads an On Hold sub-status as ON_HOLD, but never on finished work', () => {
    expect(workOrderStatusOf({ name: 'Assigned', display: 'Assigned: On Hold' })).toBe('ON_HOLD');
    expect(workOrderStatusOf({ name: 'Assigned', sub_status: { name: 'On Hold' } })).toBe('ON_HOLD');
    expect(workOrderStatusOf({ name: 'Assigned', display: 'Assigned: Delayed' })).toBe('DISPATCHED');
    expect(workOrderStatusOf({ name: 'Paid', sub_status: 'on_hold' })).toBe('COMPLETED');
  });
});

describe('work orders', () => {
  it('maps a work order serving an Astea work order (recorded)', () => {
    expect(toWorkOrderModel(workOrder('work-order.get.astea-linked.json'))).toEqual({
      ref: fn('100061'),
      number: '100061',
      status: 'COMPLETED',
      sourceStatus: 'Work Done',
      serviceType: 'Repair',
      summary: 'Estimate',
      customerRef: fn('3031'),
      locationRef: fn('4034'),
      equipmentRefs: [],
      technicianRefs: [fn('20013')],
      window: { start: '2026-11-21T13:00:00Z', end: '2026-11-21T17:00:00Z' },
      crossReferences: [{ system: 'astea', number: 'WO-2026-1073', via: 'custom_fields.Client WO Number' }],
      parts: [],
      total: { amount: '144.02', currency: 'USD' },
      embedded: {
        appointments: [
          {
            ref: fn('100061-1'),
            workOrderRef: fn('100061'),
            number: '100061-1',
            status: 'COMPLETED',
            sourceStatus: 'Work Done',
            window: { start: '2026-11-21T13:00:00Z', end: '2026-11-21T17:00:00Z' },
            technicianRefs: [fn('20013')],
            createdAt: '2026-11-12T00:00:00Z',
            updatedAt: '2026-11-16T14:00:00Z',
          },
        ],
      },
      createdAt: '2026-11-12T00:00:00Z',
      updatedAt: '2026-11-16T14:00:00Z',
    });
  });

  it('takes the routed providers as technicians until one is assigned (recorded)', () => {
    const m = toWorkOrderModel(workOrder('work-order.get.routed.json'));
    expect(m).toMatchObject({ status: 'SCHEDULED', sourceStatus: 'Routed', technicianRefs: [fn('20007')], total: { amount: '42.50', currency: 'USD' } });
    expect(m.embedded?.appointments?.[0]).toMatchObject({ status: 'SCHEDULED', technicianRefs: [fn('20007')] });
  });

  it('maps a new draft at a custom address with one exact instant and no pay (recorded)', () => {
    const m = toWorkOrderModel(workOrder('work-order.create.draft-custom-location.json'));
    expect(m).toMatchObject({ status: 'NEW', sourceStatus: 'Draft', serviceType: 'Inspection', externalReference: 'FG-0001', technicianRefs: [], crossReferences: [] });
    expect(m.locationRef).toBeUndefined();
    expect(m.customerRef).toBeUndefined();
    expect(m.total).toBeUndefined();
    expect(m.window).toEqual({ start: '2026-12-02T13:00:00Z', end: '2026-12-02T13:00:00Z' });
  });

  it('reads the older shapes: bare status word, type_of_work, string ids and times, hourly pay as strings, a bare custom-field list', () => {
    expect(toWorkOrderModel(workOrder('work-order.legacy-shapes.json'))).toEqual({
      ref: fn('100777'),
      number: '100777',
      status: 'COMPLETED',
      sourceStatus: 'Work Done',
      serviceType: 'Plumbing',
      summary: 'Replace condenser fan motor',
      customerRef: fn('3012'),
      locationRef: fn('4015'),
      equipmentRefs: [],
      technicianRefs: [fn('20007')],
      window: { start: '2026-03-01T14:30:00Z', end: '2026-03-01T18:30:00Z' },
      externalReference: 'FG-42',
      crossReferences: [],
      parts: [],
      total: { amount: '134.25', currency: 'USD' },
      embedded: {
        appointments: [
          {
            ref: fn('100777-1'),
            workOrderRef: fn('100777'),
            number: '100777-1',
            status: 'COMPLETED',
            sourceStatus: 'Work Done',
            window: { start: '2026-03-01T14:30:00Z', end: '2026-03-01T18:30:00Z' },
            technicianRefs: [fn('20007')],
            createdAt: '2026-02-27T08:00:00Z',
            updatedAt: '2026-02-28T10:15:30Z',
          },
        ],
      },
      createdAt: '2026-02-27T08:00:00Z',
      updatedAt: '2026-02-28T10:15:30Z',
    });
  });

  it('keeps an unknown status word and leaves out what is missing or unreadable', () => {
    expect(toWorkOrderModel(workOrder('work-order.unknown-status.json'))).toEqual({
      ref: fn('100778'),
      number: '100778',
      status: 'UNKNOWN',
      sourceStatus: 'Ghosted',
      summary: 'Site survey',
      equipmentRefs: [],
      technicianRefs: [],
      crossReferences: [],
      parts: [],
    });
    expect(toAppointmentModel(workOrder('work-order.unknown-status.json'))).toBeUndefined();
  });

  it('maps an on-hold assignment: the primary type of work, an exact window, pay rounded half up to cents', () => {
    const m = toWorkOrderModel(workOrder('work-order.on-hold.json'));
    expect(m).toMatchObject({
      status: 'ON_HOLD',
      serviceType: 'Commercial Refrigeration',
      window: { start: '2026-11-25T14:00:00Z', end: '2026-11-25T14:00:00Z' },
      total: { amount: '100.01', currency: 'USD' },
      crossReferences: [{ system: 'astea', number: 'WO-2026-1101', via: 'custom_fields.Client WO Number' }],
    });
    expect(m.embedded?.appointments?.[0]?.status).toBe('ON_HOLD');
  });

  it('reads custom fields by configured names', () => {
    const m = toWorkOrderModel(workOrder('work-order.on-hold.json'), { externalReference: 'Client WO Number', clientWoNumber: 'PO Number' });
    expect(m.externalReference).toBe('WO-2026-1101');
    expect(m.crossReferences).toEqual([]);
  });

  it('gives the one visit a stable id derived from the work order id', () => {
    expect(appointmentIdOf('100061')).toBe('100061-1');
    expect(workOrderIdOfAppointment('100061-1')).toBe('100061');
    expect(workOrderIdOfAppointment('100061')).toBeUndefined();
    expect(workOrderIdOfAppointment('100061-2')).toBeUndefined();
  });

  it('parses a recorded list page', () => {
    const page = FieldNationWorkOrderListWire.parse(fixture('work-order.list.page.json'));
    expect(page.metadata).toMatchObject({ page: 3, pages: 60, per_page: 2 });
    expect(page.results.map((w) => toWorkOrderModel(w).ref.id)).toEqual(['100005', '100006']);
  });

  it('refuses a work order without an id or a status', () => {
    expect(FieldNationWorkOrderWire.safeParse({ title: 'x', status: { name: 'Draft' } }).success).toBe(false);
    expect(FieldNationWorkOrderWire.safeParse({ id: 1, title: 'x' }).success).toBe(false);
  });
});

describe('money', () => {
  it.each([
    [{ type: 'fixed', base: { amount: 144.02, units: 1 } }, '144.02'],
    [{ type: 'fixed', base: { amount: '144.02' } }, '144.02'],
    [{ type: 'fixed', base: { amount: 0.1 + 0.2, units: 1 } }, '0.30'],
    [{ type: 'hourly', base: { amount: 45, units: 2.5 } }, '112.50'],
    [{ type: 'hourly', base: { amount: '33.335', units: '3' } }, '100.01'],
    [{ type: 'fixed', base: { amount: 150 } }, '150.00'],
  ])('pay %j totals %s', (pay, amount) => {
    expect(payTotal(pay)).toEqual({ amount, currency: 'USD' });
  });

  it('gives no total for unreadable or missing pay', () => {
    expect(payTotal(null)).toBeUndefined();
    expect(payTotal({ type: 'fixed', base: { amount: 'n/a' } })).toBeUndefined();
    expect(payTotal({ type: 'fixed', base: { amount: 10, units: -1 } })).toBeUndefined();
  });
});

describe('directory records', () => {
  it('maps a client as a customer (recorded)', () => {
    expect(toCustomerModel(FieldNationClientWire.parse(fixture('client.get.ok.json')))).toEqual({
      ref: fn('3001'),
      name: 'Allen, Joshua',
      kind: 'RESIDENTIAL',
      email: 'joshua.allen@example.org',
      phone: '+16782919999',
      address: { line1: '961 Main St', city: 'KENNESAW', region: 'GA', postalCode: '30152', country: 'US' },
      crossReferences: [],
      tags: [],
      active: true,
      createdAt: '2024-02-06T15:00:00Z',
      updatedAt: '2024-05-01T15:00:00Z',
    });
    const noEmail = toCustomerModel(FieldNationClientWire.parse(fixture('client.get.no-email.json')));
    expect(noEmail.email).toBeUndefined();
    expect(noEmail.phone).toBe('+14703729305');
  });

  it('maps a loose client: trims, keeps an unreadable phone as written, normalises the country', () => {
    expect(toCustomerModel(FieldNationClientWire.parse(fixture('client.get.legacy.json')))).toEqual({
      ref: fn('3099'),
      name: 'Peachtree Dental Group',
      email: 'Office@Peachtree-Dental.example',
      phone: '678.555.0100 ext 12',
      address: { line1: '1 Peachtree Center', city: 'Atlanta', region: 'GA', postalCode: '30303', country: 'US' },
      crossReferences: [],
      tags: [],
      active: true,
      createdAt: '2025-01-01T12:00:00Z',
    });
  });

  it('maps a saved location with its on-site contact and its client (recorded)', () => {
    expect(toLocationModel(FieldNationLocationWire.parse(fixture('location.get.ok.json')))).toEqual({
      ref: fn('4001'),
      customerRef: fn('3001'),
      name: 'Joshua Allen residence',
      address: { line1: '961 Main St', city: 'Kennesaw', region: 'GA', postalCode: '30152', country: 'US' },
      contact: { name: 'Joshua Allen', email: 'joshua.allen@example.org', phone: '+16782919999' },
      active: true,
    });
  });

  it('maps a provider as a technician (recorded) and tells buyer users apart', () => {
    const provider = FieldNationUserWire.parse(fixture('user.get.provider.json'));
    expect(isProvider(provider)).toBe(true);
    expect(toTechnicianModel(provider)).toEqual({
      ref: fn('20001'),
      name: 'Barbara Robinson',
      email: 'barbara.robinson@example.org',
      phone: '+16787342431',
      skills: ['hvac'],
      region: 'ATL-C',
      active: true,
      createdAt: '2022-07-05T15:00:00Z',
      updatedAt: '2022-11-15T15:00:00Z',
    });
    expect(isProvider(FieldNationUserWire.parse(fixture('user.get.buyer.json')))).toBe(false);
  });

  it('maps a loose provider: skill objects, no last name, territory name, inactive', () => {
    const u = FieldNationUserWire.parse(fixture('user.get.legacy.json'));
    expect(isProvider(u)).toBe(true);
    expect(toTechnicianModel(u)).toEqual({ ref: fn('20099'), name: 'Sam', email: 'sam@example.org', phone: '+14045550199', skills: ['electrical', 'hvac'], region: 'Atlanta North', active: false });
  });

  it('parses the token answer and needs its access token', () => {
    expect(FieldNationTokenWire.parse(fixture('token.ok.json'))).toMatchObject({ access_token: 'scrubbed-access-token', expires_in: 3600 });
    expect(FieldNationTokenWire.safeParse({ expires_in: 3600 }).success).toBe(false);
  });
});

describe('commands', () => {
  const typesOfWork = FieldNationTypeOfWorkListWire.parse(fixture('types-of-work.list.json')).results;

  it('resolves a service type to a type of work and service type', () => {
    expect(matchTypeOfWork('HVAC', typesOfWork)).toEqual({ typeOfWorkId: 11 });
    expect(matchTypeOfWork('repair', typesOfWork, '12')).toEqual({ typeOfWorkId: 12, serviceTypeId: 121 });
    expect(matchTypeOfWork('repair', typesOfWork)).toBeUndefined();
    expect(matchTypeOfWork('HVAC', typesOfWork, '999')).toBeUndefined();
    expect(matchTypeOfWork('Landscaping', typesOfWork)).toBeUndefined();
  });

  it('sends a window as both start and end, or one exact instant', () => {
    expect(toScheduleBody({ start: '2026-12-01T14:00:00Z', end: '2026-12-01T18:00:00Z' })).toEqual({
      service_window: { mode: 'between', start: { utc: '2026-12-01 14:00:00' }, end: { utc: '2026-12-01 18:00:00' } },
    });
    expect(toScheduleBody({ start: '2026-12-01T09:00:00-05:00', end: '2026-12-01T14:00:00Z' })).toEqual({ service_window: { mode: 'exact', start: { utc: '2026-12-01 14:00:00' } } });
  });

  it('builds a create body: our reference in the custom field, the rest of the job in the escaped description', () => {
    const command: CreateWorkOrderCommand = {
      externalReference: 'FG-7',
      customer: { ref: fn('3001') },
      location: { ref: fn('4001') },
      serviceType: 'repair',
      problemCode: 'NO_HEAT',
      summary: 'Furnace <no heat>',
      priority: 'URGENT',
      sla: { completeBy: '2026-12-02T00:00:00Z' },
      window: { start: '2026-12-01T14:00:00Z', end: '2026-12-01T18:00:00Z' },
      equipment: { model: 'XR-16', manufacturer: 'Trane', serialNumber: 'SN1' },
      parts: [{ partNumber: 'IGN-1', quantity: 1, description: 'Igniter' }],
    };
    const body = toCreateWorkOrderBody(command, {
      typeOfWork: { typeOfWorkId: 11, serviceTypeId: 111 },
      location: { mode: 'saved', id: 4001 },
      clientId: 3001,
      pay: { type: 'fixed', amount: '150.5' },
      externalReferenceFieldId: 302,
    });
    expect(FieldNationWorkOrderCreateWire.parse(body)).toEqual(body);
    expect(body).toMatchObject({
      title: 'Furnace <no heat>',
      types_of_work: [{ id: 11, isPrimary: true, service_types: [{ id: 111 }] }],
      location: { mode: 'saved', id: 4001 },
      schedule: { service_window: { mode: 'between', start: { utc: '2026-12-01 14:00:00' }, end: { utc: '2026-12-01 18:00:00' } } },
      pay: { type: 'fixed', base: { amount: 150.5, units: 1 } },
      client: { id: 3001 },
      custom_fields: [{ id: 302, value: 'FG-7' }],
    });
    expect(body.description?.html).toBe(
      '<p>Furnace &lt;no heat&gt;</p><p>Problem code: NO_HEAT</p><p>Priority: urgent</p><p>Complete by: 2026-12-02T00:00:00Z</p><p>Equipment: Trane XR-16, serial SN1</p><p>Part: 1 x IGN-1 (Igniter)</p>',
    );
    expect(() => toCreateWorkOrderBody(command, { typeOfWork: { typeOfWorkId: 11 }, location: { mode: 'saved', id: 1 }, pay: { type: 'fixed', amount: '1.005' }, externalReferenceFieldId: 302 })).toThrow();
  });
});

describe('errors', () => {
  it('turns the field errors of a recorded 422 into vendor field errors', () => {
    expect(toFieldErrors(FieldNationProblemWire.parse(fixture('problem.422.json')))).toEqual([
      { field: 'types_of_work.0.id', message: 'Type of work 99 does not exist.' },
      { field: 'location.id', message: 'Saved location 999999 does not exist.' },
    ]);
  });

  it('classifies recorded problem bodies', () => {
    expect(classifyFieldNationError(422, fixture('problem.422.json'), '')).toMatchObject({ kind: 'invalid_request', vendorCode: 'UNPROCESSABLE_ENTITY', fieldErrors: [{ field: 'types_of_work.0.id' }, { field: 'location.id' }] });
    expect(classifyFieldNationError(400, fixture('problem.400-validation.json'), '')).toMatchObject({ kind: 'invalid_request', vendorCode: 'VALIDATION_ERROR' });
    expect(classifyFieldNationError(409, fixture('problem.409.json'), '')).toMatchObject({ kind: 'conflict', vendorCode: 'INVALID_STATE_TRANSITION' });
    expect(classifyFieldNationError(404, fixture('problem.404.json'), '')).toMatchObject({ kind: 'not_found', vendorCode: 'NOT_FOUND' });
    expect(classifyFieldNationError(429, fixture('problem.429.json'), '')).toMatchObject({ kind: 'rate_limited', vendorCode: 'RATE_LIMIT_EXCEEDED', retryAfterMs: 60_000 });
    expect(classifyFieldNationError(400, fixture('problem.400-expired-token.json'), '')).toMatchObject({ kind: 'invalid_request', vendorCode: 'EXPIRED_TOKEN' });
  });

  it('classifies legacy, OAuth and non-JSON bodies', () => {
    expect(classifyFieldNationError(400, fixture('problem.legacy.json'), '')).toEqual({ kind: 'invalid_request', message: 'HTTP 400: Invalid provider id' });
    expect(classifyFieldNationError(401, { error: 'invalid_grant', error_description: 'Bad credentials' }, '')).toMatchObject({ kind: 'unauthorized', vendorCode: 'invalid_grant', message: 'HTTP 401 invalid_grant: Bad credentials' });
    expect(classifyFieldNationError(502, undefined, '<html>Bad Gateway</html>')).toMatchObject({ kind: 'unavailable' });
  });

  it('never copies a token into a message', () => {
    const c = classifyFieldNationError(400, { detail: 'bad request for access_token=abcdef0123456789abcdef' }, '');
    expect(c.message).not.toContain('abcdef0123456789');
  });

  it('stays under the quota it is given', () => {
    for (const q of [60, 600, 1000, 5000]) {
      const { perSecond, burst } = rateLimitFor(q);
      expect(burst + 60 * perSecond).toBeLessThanOrEqual(q);
    }
  });
});
