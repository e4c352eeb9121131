/**
 * A corpus of invalid inputs over real HTTP: each gets the right `userErrors` (code and field
 * path), and together they write NOTHING at any vendor: after the set-up, the sandbox counts zero
 * POST, PUT, PATCH or DELETE calls (sign-ins aside) while the corpus runs.
 */
import { GraphQLClient } from 'graphql-request';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VendorKey } from '../../connectors/vendors.js';
import { toGlobalId } from '../../src/ids.js';
import { regionOf, skillOf } from '../../src/mutations/rules.js';
import { futureWindow, resetStats, sandboxStats, startTestGateway, TEST_ROUTING, writesOf, type TestGateway } from '../helpers/gateway.js';

const PAYLOAD = 'replayed userErrors { code field message }';
const DOCS = {
  createWorkOrder: `mutation($input: CreateWorkOrderInput!) { createWorkOrder(input: $input) { ${PAYLOAD} workOrder { id } } }`,
  dispatch: `mutation($input: DispatchInput!) { dispatch(input: $input) { ${PAYLOAD} workOrder { id } appointment { id } } }`,
  submitClaim: `mutation($input: SubmitClaimInput!) { submitClaim(input: $input) { ${PAYLOAD} claim { id } } }`,
  enrollMembership: `mutation($input: EnrollMembershipInput!) { enrollMembership(input: $input) { ${PAYLOAD} membership { id } } }`,
} as const;
type Mutation = keyof typeof DOCS;

interface Case {
  name: string;
  mutation: Mutation;
  input: () => Record<string, unknown>;
  /** Expected `[code, field path]` of every user error, in any order. */
  expected: Array<[string, string[] | null]>;
  headers?: Record<string, string>;
}

let gw: TestGateway;
const gid = (type: Parameters<typeof toGlobalId>[0], system: VendorKey, id: string) => toGlobalId(type, { system, id });
/** Set up before the stats are reset. */
const fixture: Record<string, string> = {};

async function mutate(mutation: Mutation, input: Record<string, unknown>, headers?: Record<string, string>): Promise<any> {
  const client = headers ? new GraphQLClient(gw.url, { errorPolicy: 'all', headers }) : gw.client;
  const r = await client.rawRequest<any>(DOCS[mutation], { input });
  expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
  return r.data[mutation];
}

function spTechnicians(locationId: string) {
  const d = gw.sandbox.dataset.vendors.servicepower;
  const l = d.locations.find((x) => x.id === locationId)!;
  return { region: regionOf({ ...l.address, country: 'US' }, TEST_ROUTING), all: d.technicians.filter((t) => t.active && t.providerId) };
}

beforeAll(async () => {
  gw = await startTestGateway();
  const sp = gw.sandbox.dataset.vendors.servicepower;
  // A ServicePower unit whose region has a technician with its skill, one without it, and one
  // with it elsewhere.
  const unit = sp.equipment.find((e) => {
    const { region, all } = spTechnicians(e.locationId);
    const skill = skillOf({ equipmentTypes: [e.type] }, TEST_ROUTING)!;
    return (
      all.some((t) => t.region === region && t.skills.includes(skill)) &&
      all.some((t) => t.region === region && !t.skills.includes(skill)) &&
      all.some((t) => t.region !== region && t.skills.includes(skill))
    );
  })!;
  const skill = skillOf({ equipmentTypes: [unit.type] }, TEST_ROUTING)!;
  const { region, all } = spTechnicians(unit.locationId);
  fixture.qualified = all.find((t) => t.region === region && t.skills.includes(skill))!.id;
  fixture.unskilled = all.find((t) => t.region === region && !t.skills.includes(skill))!.id;
  fixture.elsewhere = all.find((t) => t.region !== region && t.skills.includes(skill))!.id;

  // Set-up writes (before the counts are reset): an open ServicePower work order with an SLA
  // ending 2027-03-31, whose qualified technician is then booked on 2027-03-10 14:00-17:00.
  const created = await mutate('createWorkOrder', {
    targetSystem: 'SERVICEPOWER',
    customer: { id: gid('Customer', 'servicepower', unit.customerId) },
    location: { id: gid('Location', 'servicepower', unit.locationId) },
    equipment: { id: gid('Equipment', 'servicepower', unit.id) },
    serviceType: 'repair',
    problemCode: 'NO_COOL',
    priority: 'HIGH',
    sla: { respondBy: '2027-03-01T00:00:00Z', completeBy: '2027-03-31T00:00:00Z' },
    summary: 'Corpus set-up',
  });
  expect(created.userErrors).toEqual([]);
  fixture.workOrder = created.workOrder.id;
  const booked = await mutate('dispatch', { workOrder: fixture.workOrder, technicians: [gid('Technician', 'servicepower', fixture.qualified)], window: futureWindow(9, 14, 3) });
  expect(booked.userErrors).toEqual([]);
  const other = await mutate('createWorkOrder', {
    targetSystem: 'SERVICEPOWER',
    customer: { id: gid('Customer', 'servicepower', unit.customerId) },
    location: { id: gid('Location', 'servicepower', unit.locationId) },
    equipment: { id: gid('Equipment', 'servicepower', unit.id) },
    serviceType: 'repair',
    problemCode: 'NO_COOL',
    priority: 'HIGH',
    sla: { respondBy: '2027-03-01T00:00:00Z', completeBy: '2027-12-31T00:00:00Z' },
    summary: 'Corpus set-up, second job',
  });
  fixture.second = other.workOrder.id;
  // A key used once, for the reuse case.
  const used = await mutate('createWorkOrder', {
    idempotencyKey: 'corpus-used-key',
    targetSystem: 'SERVICEPOWER',
    customer: { id: gid('Customer', 'servicepower', unit.customerId) },
    location: { id: gid('Location', 'servicepower', unit.locationId) },
    serviceType: 'repair',
    problemCode: 'NO_COOL',
    summary: 'First use of the key',
  });
  expect(used.userErrors).toEqual([]);
  fixture.unit = gid('Equipment', 'servicepower', unit.id);
  fixture.customer = gid('Customer', 'servicepower', unit.customerId);
  fixture.location = gid('Location', 'servicepower', unit.locationId);
  fixture.completed = gid('WorkOrder', 'servicepower', sp.workOrders.find((w) => w.status === 'completed')!.id);
  fixture.stCustomer = gid('Customer', 'servicetitan', gw.sandbox.dataset.vendors.servicetitan.locations[0]!.customerId);
  fixture.seraCustomer = gid('Customer', 'sera', gw.sandbox.dataset.vendors.sera.customers[0]!.id);
  await resetStats(gw.sandbox);
});

afterAll(async () => {
  await gw?.close();
});

const base = () => ({ targetSystem: 'SERVICEPOWER', customer: { id: fixture.customer }, location: { id: fixture.location }, serviceType: 'repair', problemCode: 'NO_COOL', summary: 'Valid summary' });
const claim = () => ({ workOrder: fixture.completed, claimType: 'warranty', labor: { minutes: 60, hourlyRate: '85.00' }, resolution: { code: 'REPAIRED' } });
const enroll = () => ({ customer: fixture.seraCustomer, plan: 'plan_hvac_comfort_monthly', startDate: '2027-01-01', billingCadence: 'MONTHLY' });
const tech = (id: string) => gid('Technician', 'servicepower', id);

const CORPUS: Case[] = [
  { name: 'blank required texts', mutation: 'createWorkOrder', input: () => ({ ...base(), summary: '  ', serviceType: '' }), expected: [['REQUIRED', ['input', 'summary']], ['REQUIRED', ['input', 'serviceType']]] },
  { name: 'a customer given neither by id nor as new', mutation: 'createWorkOrder', input: () => ({ ...base(), customer: {} }), expected: [['REQUIRED', ['input', 'customer']]] },
  { name: 'a new customer without a name', mutation: 'createWorkOrder', input: () => ({ ...base(), customer: { new: { name: ' ', address: { line1: '1 Main St', city: 'Atlanta', region: 'GA', postalCode: '30303' } } } }), expected: [['REQUIRED', ['input', 'customer', 'new', 'name']]] },
  { name: 'ServiceTitan without the window it needs', mutation: 'createWorkOrder', input: () => ({ targetSystem: 'SERVICETITAN', customer: { id: fixture.stCustomer }, serviceType: 'repair', summary: 'No window' }), expected: [['REQUIRED', ['input', 'requestedWindow']]] },
  { name: 'an unknown customer id', mutation: 'createWorkOrder', input: () => ({ ...base(), customer: { id: gid('Customer', 'servicepower', 'cst_nosuch') } }), expected: [['NOT_FOUND', ['input', 'customer', 'id']]] },
  { name: 'a malformed id', mutation: 'createWorkOrder', input: () => ({ ...base(), location: { id: 'not-an-id' } }), expected: [['INVALID', ['input', 'location', 'id']]] },
  { name: 'an id of the wrong type', mutation: 'createWorkOrder', input: () => ({ ...base(), customer: { id: fixture.location } }), expected: [['INVALID', ['input', 'customer', 'id']]] },
  {
    name: 'malformed dates',
    mutation: 'createWorkOrder',
    input: () => ({ ...base(), requestedWindow: { start: 'next tuesday', end: '2027-03-01T10:00:00Z' }, sla: { completeBy: '2027-02-30T10:00:00Z' } }),
    expected: [['INVALID', ['input', 'requestedWindow', 'start']], ['INVALID', ['input', 'sla', 'completeBy']]],
  },
  { name: 'a negative part quantity', mutation: 'createWorkOrder', input: () => ({ ...base(), parts: [{ partNumber: 'CAP-45-5', quantity: '-2', unitPrice: '29.95' }] }), expected: [['INVALID', ['input', 'parts', '0', 'quantity']]] },
  {
    name: 'a technician without the skill, at create',
    mutation: 'createWorkOrder',
    input: () => ({ ...base(), equipment: { id: fixture.unit }, technicians: [tech(fixture.unskilled!)], requestedWindow: futureWindow(20) }),
    expected: [['SKILL_MISMATCH', ['input', 'technicians', '0']]],
  },
  { name: 'the key reused with a different input', mutation: 'createWorkOrder', input: () => ({ ...base(), idempotencyKey: 'corpus-used-key', summary: 'Something else' }), expected: [['IDEMPOTENCY_KEY_REUSED', ['input', 'idempotencyKey']]] },
  { name: 'the header key differing from the input key', mutation: 'createWorkOrder', input: () => ({ ...base(), idempotencyKey: 'key-a' }), headers: { 'Idempotency-Key': 'key-b' }, expected: [['INVALID', ['input', 'idempotencyKey']]] },
  { name: 'a technician without the skill', mutation: 'dispatch', input: () => ({ workOrder: fixture.second, technicians: [tech(fixture.unskilled!)], window: futureWindow(12) }), expected: [['SKILL_MISMATCH', ['input', 'technicians', '0']]] },
  { name: 'a technician of another region', mutation: 'dispatch', input: () => ({ workOrder: fixture.second, technicians: [tech(fixture.elsewhere!)], window: futureWindow(12) }), expected: [['OUT_OF_REGION', ['input', 'technicians', '0']]] },
  { name: 'an overlapping window', mutation: 'dispatch', input: () => ({ workOrder: fixture.second, technicians: [tech(fixture.qualified!)], window: futureWindow(9, 16, 2) }), expected: [['CAPACITY_CONFLICT', ['input', 'technicians', '0']]] },
  { name: 'a window after the SLA deadline', mutation: 'dispatch', input: () => ({ workOrder: fixture.workOrder, technicians: [tech(fixture.qualified!)], window: futureWindow(40) }), expected: [['OUTSIDE_SLA', ['input', 'window']]] },
  { name: 'a window that ends before it starts', mutation: 'dispatch', input: () => ({ workOrder: fixture.second, technicians: [tech(fixture.qualified!)], window: { start: '2027-03-20T15:00:00Z', end: '2027-03-20T14:00:00Z' } }), expected: [['INVALID', ['input', 'window', 'end']]] },
  { name: 'no technician', mutation: 'dispatch', input: () => ({ workOrder: fixture.second, technicians: [], window: futureWindow(12) }), expected: [['REQUIRED', ['input', 'technicians']]] },
  { name: 'an unknown work order', mutation: 'dispatch', input: () => ({ workOrder: gid('WorkOrder', 'servicepower', 'wo_nosuch'), technicians: [tech(fixture.qualified!)], window: futureWindow(12) }), expected: [['NOT_FOUND', ['input', 'workOrder']]] },
  { name: 'a completed work order', mutation: 'dispatch', input: () => ({ workOrder: fixture.completed, technicians: [tech(fixture.qualified!)], window: futureWindow(12) }), expected: [['INVALID_STATE', ['input', 'workOrder']]] },
  { name: 'a claim on an open work order', mutation: 'submitClaim', input: () => ({ ...claim(), workOrder: fixture.second }), expected: [['INVALID_STATE', ['input', 'workOrder']]] },
  {
    name: 'negative amounts on a claim',
    mutation: 'submitClaim',
    input: () => ({ ...claim(), labor: { minutes: -5, hourlyRate: '85.00' }, parts: [{ partNumber: 'CAP-45-5', quantity: '-1', unitCost: '29.95' }], taxes: '-1.00' }),
    expected: [['INVALID', ['input', 'labor', 'minutes']], ['INVALID', ['input', 'parts', '0', 'quantity']], ['INVALID', ['input', 'taxes']]],
  },
  { name: 'a claim on an unknown work order', mutation: 'submitClaim', input: () => ({ ...claim(), workOrder: gid('WorkOrder', 'servicepower', 'wo_nosuch') }), expected: [['NOT_FOUND', ['input', 'workOrder']]] },
  { name: 'a malformed start date', mutation: 'enrollMembership', input: () => ({ ...enroll(), startDate: '2027-13-01' }), expected: [['INVALID', ['input', 'startDate']]] },
  { name: 'autopay without a payment token', mutation: 'enrollMembership', input: () => ({ ...enroll(), autopay: true }), expected: [['REQUIRED', ['input', 'paymentMethodToken']]] },
  { name: 'an unknown customer', mutation: 'enrollMembership', input: () => ({ ...enroll(), customer: gid('Customer', 'sera', 'cus_nosuch') }), expected: [['NOT_FOUND', ['input', 'customer']]] },
];

describe('the invalid corpus', () => {
  const table: string[] = [];

  for (const c of CORPUS) {
    it(`${c.mutation}: ${c.name}`, async () => {
      const r = await mutate(c.mutation, c.input(), c.headers);
      const got = (r.userErrors as Array<{ code: string; field: string[] | null }>).map((e) => [e.code, e.field] as [string, string[] | null]);
      expect(got).toEqual(expect.arrayContaining(c.expected));
      expect(got).toHaveLength(c.expected.length);
      expect(r.replayed).toBe(false);
      table.push(`| ${c.mutation} | ${c.name} | ${got.map(([code, f]) => `${code} ${f ? f.slice(1).join('.') : '(input)'}`).join(', ')} |`);
    });
  }

  it('refuses an input missing a non-null field before anything runs', async () => {
    const failure = await gw.client.rawRequest<any>(`mutation { createWorkOrder(input: { customer: { id: "${fixture.customer}" }, serviceType: "repair" }) { workOrder { id } } }`).then(
      () => undefined,
      (e: { response?: { status: number; errors?: Array<{ extensions?: { code?: string } }> } }) => e.response,
    );
    expect(failure?.status).toBe(400);
    expect(failure?.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('wrote nothing at any vendor', async () => {
    const writes = writesOf(await sandboxStats(gw.sandbox));
    expect(writes).toEqual({ servicetitan: {}, fieldnation: {}, servicepower: {}, sera: {}, astea: {} });
    if (process.env.FIELDGRAPH_PRINT_CORPUS) console.log(['| Mutation | Input | userErrors |', '|---|---|---|', ...table].join('\n'));
  });
});
