/**
 * The pure parts of the writes: exact claim totals, input reading (dates, decimals, keys), the
 * business rules (skill, region, SLA), the translation of vendor refusals into user errors, and
 * the configuration's routing and vendor settings (whose defaults describe the sandbox business).
 */
import { describe, expect, it } from 'vitest';
import { PartialWriteError } from '../../../connectors/core/ops.js';
import { CITIES, UNIT_TYPES } from '../../../connectors/sandbox/dataset/catalog.js';
import { ConnectorError } from '../../../connectors/types.js';
import { loadConfig, RoutingConfigSchema } from '../../../src/config.js';
import { CREATE_WORK_ORDER_FIELDS } from '../../../src/mutations/create-work-order.js';
import { DISPATCH_FIELDS } from '../../../src/mutations/dispatch.js';
import { centsToDecimal, productCents } from '../../../src/mutations/decimal.js';
import { idempotencyKeyOf, InputReader, parseDate, parseInstant } from '../../../src/mutations/input.js';
import { checkSla, regionOf, skillOf } from '../../../src/mutations/rules.js';
import { claimTotals } from '../../../src/mutations/submit-claim.js';
import { inputPathOf, userErrorsOf } from '../../../src/mutations/vendor-errors.js';

const routing = RoutingConfigSchema.parse({});

describe('claim totals', () => {
  it('computes each line exactly and rounds it half up once', () => {
    const t = claimTotals(
      { labor: { minutes: 95, rate: '85.00' }, parts: [{ partNumber: 'A', quantity: '2', unitCost: '29.95' }, { partNumber: 'B', quantity: '1.5', unitCost: '0.333' }], travel: { miles: '12.3', minutes: 30 }, taxes: '7.25' },
      '0.065',
    );
    // 95/60 × 85 = 134.5833 → 134.58; 59.90 + 0.4995 → 0.50; 12.3 × 0.065 = 0.7995 → 0.80.
    expect(t).toEqual({
      labor: { amount: '134.58', currency: 'USD' },
      parts: { amount: '60.40', currency: 'USD' },
      travel: { amount: '0.80', currency: 'USD' },
      taxes: { amount: '7.25', currency: 'USD' },
      total: { amount: '203.03', currency: 'USD' },
    });
  });

  it('never goes through floats', () => {
    expect(centsToDecimal(productCents('0.1', '3'))).toBe('0.30');
    expect(centsToDecimal(productCents('1.005', '1'))).toBe('1.01');
    expect(centsToDecimal(productCents('90', '85.00', 1n, 60n))).toBe('127.50');
    expect(centsToDecimal(productCents('12345678901234.56', '3'))).toBe('37037036703703.68');
  });
});

describe('reading inputs', () => {
  it('takes RFC 3339 instants with a zone (normalised to UTC) and real calendar dates only', () => {
    expect(parseInstant('2027-03-02T08:00:00-05:00')).toBe('2027-03-02T13:00:00Z');
    expect(parseInstant('2027-03-02T13:00:00.250Z')).toBe('2027-03-02T13:00:00Z');
    for (const bad of ['2027-03-02 13:00', '2027-02-30T10:00:00Z', '2027-03-02T24:00:00Z', 'next tuesday', '2027-03-02T13:00:00']) expect(parseInstant(bad)).toBeUndefined();
    expect(parseDate('2028-02-29')).toBe('2028-02-29');
    expect(parseDate('2027-02-29')).toBeUndefined();
  });

  it('collects every problem at its input path', () => {
    const r = new InputReader('default');
    r.window({ start: '2027-03-02T15:00:00Z', end: '2027-03-02T14:00:00Z' }, ['window']);
    r.decimal('-1', ['parts', 0, 'quantity'], 'The quantity', 'positive');
    r.decimal('0', ['parts', 1, 'quantity'], 'The quantity', 'positive');
    r.decimal('0', ['taxes'], 'The taxes', 'zero');
    r.text('  ', ['summary'], 'The summary');
    r.id('bm9wZQ', ['customer', 'id'], 'Customer');
    expect(r.errors.map((e) => [e.code, e.field])).toEqual([
      ['INVALID', ['input', 'window', 'end']],
      ['INVALID', ['input', 'parts', '0', 'quantity']],
      ['INVALID', ['input', 'parts', '1', 'quantity']],
      ['REQUIRED', ['input', 'summary']],
      ['INVALID', ['input', 'customer', 'id']],
    ]);
  });

  it('takes the idempotency key from the input or the header, and refuses two different ones', () => {
    const r = new InputReader('default');
    expect(idempotencyKeyOf('k1', undefined, r)).toBe('k1');
    expect(idempotencyKeyOf(undefined, 'k2', r)).toBe('k2');
    expect(idempotencyKeyOf('k3', 'k3', r)).toBe('k3');
    expect(r.ok).toBe(true);
    expect(idempotencyKeyOf('k1', 'k2', r)).toBeUndefined();
    expect(idempotencyKeyOf('with space', undefined, r)).toBeUndefined();
    expect(idempotencyKeyOf('x'.repeat(256), undefined, r)).toBeUndefined();
    expect(r.errors.map((e) => e.code)).toEqual(['INVALID', 'INVALID', 'INVALID']);
  });
});

describe('business rules', () => {
  it("derives the skill from the unit's type, else from a skill named in the service type", () => {
    expect(skillOf({ equipmentTypes: ['Water Heater'] }, routing)).toBe('plumbing');
    expect(skillOf({ equipmentTypes: [], serviceType: 'hvac_service' }, routing)).toBe('hvac');
    expect(skillOf({ equipmentTypes: [], serviceType: 'repair' }, routing)).toBeUndefined();
  });

  it('finds the region of an address by its ZIP code', () => {
    const address = { line1: '1 Main St', city: 'Roswell', region: 'GA', postalCode: '30075-1234', country: 'US' };
    expect(regionOf(address, routing)).toBe('ATL-N');
    expect(regionOf({ ...address, postalCode: '10001' }, routing)).toBeUndefined();
  });

  it('refuses a window after an SLA deadline still ahead; an overdue job is no longer held to it', () => {
    const now = Date.parse('2027-03-01T00:00:00Z');
    const window = { start: '2027-03-10T14:00:00Z', end: '2027-03-10T16:00:00Z' };
    expect(checkSla(window, { completeBy: '2027-03-10T16:00:00Z' }, ['window'], now)).toEqual([]);
    expect(checkSla(window, { completeBy: '2027-03-05T00:00:00Z' }, ['window'], now).map((e) => e.code)).toEqual(['OUTSIDE_SLA']);
    expect(checkSla(window, { completeBy: '2027-02-20T00:00:00Z' }, ['window'], now)).toEqual([]);
  });

  it('has defaults that describe the sandbox business (its regions and the skills its units need)', () => {
    for (const [city, region, zips] of CITIES) for (const zip of zips) expect(regionOf({ line1: '', city, region: 'GA', postalCode: zip, country: 'US' }, routing), `${city} ${zip}`).toBe(region);
    for (const u of UNIT_TYPES) expect(routing.skillByEquipmentType[u.type]).toBe(u.skill);
  });
});

describe('vendor refusals as user errors', () => {
  const refusal = (init: Partial<ConstructorParameters<typeof ConnectorError>[0]>) =>
    new ConnectorError({ kind: 'invalid_request', vendor: 'servicepower', operation: 'op', message: 'refused', ...init });

  it("names the input field through the vendor's and the command's field names", () => {
    const e = refusal({ status: 400, fieldErrors: [{ field: 'appointmentWindow.start', message: 'Not a timestamp.' }, { field: 'assignedTechId', message: 'Required.' }] });
    expect(userErrorsOf(e, 'servicepower', DISPATCH_FIELDS)?.map((u) => [u.code, u.field])).toEqual([
      ['INVALID', ['input', 'window', 'start']],
      ['REQUIRED', ['input', 'technicians']],
    ]);
    expect(inputPathOf('vendorSettings.campaignId', CREATE_WORK_ORDER_FIELDS)).toBeNull();
    expect(inputPathOf('customer.new.name', CREATE_WORK_ORDER_FIELDS)).toEqual(['customer', 'new', 'name']);
  });

  it('reads skill, overlap, missing-record and state refusals', () => {
    expect(userErrorsOf(refusal({ status: 422, vendorCode: 'unprocessable', fieldErrors: [{ field: 'assignedTechId', message: 'Technician t lacks the skill "hvac".' }] }), 'servicepower', DISPATCH_FIELDS)?.[0]?.code).toBe('SKILL_MISMATCH');
    expect(userErrorsOf(refusal({ kind: 'conflict', status: 409, message: 'Overlaps dispatch d of technician t.' }), 'servicepower', DISPATCH_FIELDS)?.[0]?.code).toBe('CAPACITY_CONFLICT');
    expect(userErrorsOf(refusal({ status: 422, vendorCode: 'unprocessable', fieldErrors: [{ field: 'workOrderId', message: 'No such work order.' }] }), 'servicepower', DISPATCH_FIELDS)?.[0]).toMatchObject({ code: 'NOT_FOUND', field: ['input', 'workOrder'] });
    expect(userErrorsOf(refusal({ kind: 'conflict', status: 409 }), 'sera', DISPATCH_FIELDS, ['workOrder'])?.[0]).toMatchObject({ code: 'CONFLICT', field: ['input', 'workOrder'] });
  });

  it('leaves outages to the system errors, and reports a partial write exactly', () => {
    expect(userErrorsOf(refusal({ kind: 'unavailable', status: 503 }), 'sera', DISPATCH_FIELDS)).toBeUndefined();
    const partial = new PartialWriteError({
      cause: refusal({ kind: 'unavailable', status: 503 }),
      completed: [{ system: 'servicetitan', id: '5000000400' }],
      failedStep: 'jobs.create',
      message: 'ServiceTitan created 5000000400 (customer) but not the job',
    });
    const errs = userErrorsOf(partial, 'servicetitan', CREATE_WORK_ORDER_FIELDS);
    expect(errs?.map((e) => e.code)).toEqual(['PARTIAL_WRITE']);
    expect(errs?.[0]?.message).toContain('5000000400');
  });
});

describe('configuration of the writes', () => {
  it('has routing, store and, in sandbox mode, the sandbox vendor settings', () => {
    const c = loadConfig({});
    expect(c.routing.primary).toBe('servicetitan');
    expect(c.routing.rules.map((r) => [r.name, r.system])).toEqual([
      ['manufacturer-warranty', 'servicepower'],
      ['overflow', 'fieldnation'],
    ]);
    expect(c.store).toEqual({ dataDir: '.fieldgraph', idempotencyTtlHours: 24, leaseSeconds: 60, waitSeconds: 30 });
    expect(c.vendorSettings.fieldnation).toMatchObject({ typeOfWork: 'HVAC', payAmount: '150.00' });
  });

  it('reads REDIS_URL, the data directory, the TTL (at least 24 hours), routing and vendor settings from the environment', () => {
    const c = loadConfig({
      REDIS_URL: 'redis://127.0.0.1:6390',
      FIELDGRAPH_DATA_DIR: '/var/lib/fieldgraph',
      FIELDGRAPH_IDEMPOTENCY_TTL_HOURS: '48',
      FIELDGRAPH_ROUTING: JSON.stringify({ primary: 'sera', rules: [{ name: 'commercial', system: 'astea', when: { regions: ['ATL-C'] } }] }),
      FIELDGRAPH_VENDOR_SETTINGS: JSON.stringify({ fieldnation: { payAmount: '200.00' } }),
    });
    expect(c.store).toMatchObject({ redisUrl: 'redis://127.0.0.1:6390', dataDir: '/var/lib/fieldgraph', idempotencyTtlHours: 48 });
    expect(c.routing.primary).toBe('sera');
    expect(c.vendorSettings.fieldnation).toEqual({ typeOfWork: 'HVAC', payAmount: '200.00', payType: 'fixed' });
    expect(() => loadConfig({ FIELDGRAPH_IDEMPOTENCY_TTL_HOURS: '1' })).toThrow(/store\.idempotencyTtlHours/);
    expect(() => loadConfig({ FIELDGRAPH_ROUTING: JSON.stringify({ rules: [{ name: 'x', system: 'sera', when: { regions: ['MARS'] } }] }) })).toThrow(/unknown region MARS/);
    expect(() => loadConfig({ REDIS_URL: 'http://x' })).toThrow(/store\.redisUrl/);
  });
});
