/**
 * The four mutations end to end over real HTTP (sandbox + gateway on 127.0.0.1 port 0,
 * graphql-request), against every system that supports each: the payload, the same record in a
 * following query (a new request, new loaders), and the record at the vendor read back through a
 * connector of its own. Also routing (warranty to ServicePower, a customer's own system, overflow
 * to Field Nation), replays and the payment token that never comes back.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnectors } from '../../connectors/registry.js';
import type { FieldServiceConnector } from '../../connectors/types.js';
import type { VendorKey } from '../../connectors/vendors.js';
import { RoutingConfigSchema } from '../../src/config.js';
import { DEFAULT_TENANT, fromGlobalId, toGlobalId } from '../../src/ids.js';
import { regionOf, skillOf } from '../../src/mutations/rules.js';
import { futureWindow, resetStats, sandboxAction, sandboxStats, startTestGateway, TEST_ROUTING, writesOf, type TestGateway } from '../helpers/gateway.js';

const WO = /* GraphQL */ `
  fragment WO on WorkOrder {
    id number status summary externalReference serviceType problemCode
    source { system id }
    window { start end }
    technicians { id }
    customer { id name }
    location { id address { postalCode } }
  }
`;
const CREATE = /* GraphQL */ `
  mutation Create($input: CreateWorkOrderInput!) {
    createWorkOrder(input: $input) { replayed userErrors { code field message } workOrder { ...WO } }
  }
  ${WO}
`;
const DISPATCH = /* GraphQL */ `
  mutation Dispatch($input: DispatchInput!) {
    dispatch(input: $input) {
      replayed
      userErrors { code field message }
      workOrder { id status technicians { id } }
      appointment { id status window { start end } technicians { id } }
    }
  }
`;
const CLAIM = /* GraphQL */ `
  mutation Claim($input: SubmitClaimInput!) {
    submitClaim(input: $input) {
      replayed
      userErrors { code field message }
      totals { labor { amount } parts { amount } travel { amount } taxes { amount } total { amount currency } }
      claim { id status number claimType total { amount currency } taxes { amount } lineItems { description quantity total { amount } } workOrder { id } }
    }
  }
`;
const ENROLL = /* GraphQL */ `
  mutation Enroll($input: EnrollMembershipInput!) {
    enrollMembership(input: $input) {
      replayed
      userErrors { code field message }
      membership { id status planName startsOn billingCadence customer { id } }
    }
  }
`;
const NODE = /* GraphQL */ `
  query Node($id: ID!) {
    node(id: $id) {
      id
      ... on WorkOrder { ...WO appointments { nodes { id window { start end } technicians { id } } } claims { nodes { id number status total { amount } } } }
      ... on Customer { memberships { nodes { id status startsOn } } }
    }
  }
  ${WO}
`;

let gw: TestGateway;
let vendorSide: Partial<Record<VendorKey, FieldServiceConnector>>;
let day = 0;
/** A fresh future window for each use, so visits of different tests never meet. */
const nextWindow = (hours = 2) => futureWindow(++day, 14, hours);

async function run(query: string, variables: Record<string, unknown>): Promise<any> {
  const r = await gw.client.rawRequest<any>(query, variables);
  expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
  return r.data;
}

const gid = (type: Parameters<typeof toGlobalId>[0], system: VendorKey, id: string) => toGlobalId(type, { system, id });
const vendorId = (globalId: string) => fromGlobalId(globalId, undefined, DEFAULT_TENANT).ref.id;

/** Technicians of `vendor` the checks accept at `locationId` for a unit of `unitType` (or work of `serviceType`). */
function techniciansFor(vendor: VendorKey, locationId: string, unitType?: string, serviceType?: string): string[] {
  const d = gw.sandbox.dataset.vendors[vendor];
  const location = d.locations.find((l) => l.id === locationId)!;
  const region = regionOf({ ...location.address, country: 'US' }, TEST_ROUTING);
  const skill = skillOf({ equipmentTypes: unitType ? [unitType] : [], serviceType }, TEST_ROUTING);
  return d.technicians
    .filter((t) => t.active && (!region || t.region === region) && (!skill || t.skills.includes(skill)) && (vendor !== 'servicepower' || t.providerId))
    .map((t) => t.id);
}

/** An active location of `vendor` (its customer too) with at least `techs` technicians the checks accept. */
function placeWith(vendor: VendorKey, techs = 1, unitType?: string, serviceType?: string): { customerId: string; locationId: string; technicians: string[] } {
  const d = gw.sandbox.dataset.vendors[vendor];
  for (const l of d.locations) {
    if (!l.active || !d.customers.find((c) => c.id === l.customerId)?.active) continue;
    const t = techniciansFor(vendor, l.id, unitType, serviceType);
    if (t.length >= techs) return { customerId: l.customerId, locationId: l.id, technicians: t };
  }
  throw new Error(`no ${vendor} location with ${techs} technicians`);
}

beforeAll(async () => {
  gw = await startTestGateway();
  vendorSide = createConnectors(gw.connections, { settings: {} });
});

afterAll(async () => {
  await gw?.close();
});

describe('createWorkOrder', () => {
  const inputs: Record<'servicetitan' | 'fieldnation' | 'servicepower' | 'sera', () => Record<string, unknown>> = {
    servicetitan: () => {
      const p = placeWith('servicetitan');
      return { customer: { id: gid('Customer', 'servicetitan', p.customerId) }, location: { id: gid('Location', 'servicetitan', p.locationId) }, requestedWindow: nextWindow() };
    },
    fieldnation: () => {
      const p = placeWith('fieldnation');
      return { customer: { id: gid('Customer', 'fieldnation', p.customerId) }, location: { id: gid('Location', 'fieldnation', p.locationId) }, requestedWindow: nextWindow() };
    },
    servicepower: () => {
      const eq = gw.sandbox.dataset.vendors.servicepower.equipment[0]!;
      return {
        customer: { id: gid('Customer', 'servicepower', eq.customerId) },
        location: { id: gid('Location', 'servicepower', eq.locationId) },
        equipment: { id: gid('Equipment', 'servicepower', eq.id) },
      };
    },
    sera: () => {
      const p = placeWith('sera');
      return { customer: { id: gid('Customer', 'sera', p.customerId) }, location: { id: gid('Location', 'sera', p.locationId) }, requestedWindow: nextWindow() };
    },
  };

  for (const vendor of Object.keys(inputs) as Array<keyof typeof inputs>) {
    it(`creates a work order in ${vendor}: one write, visible in a following query and at the vendor`, async () => {
      await resetStats(gw.sandbox);
      const input = {
        idempotencyKey: `create-${vendor}-${Date.now()}`,
        targetSystem: vendor.toUpperCase(),
        serviceType: 'repair',
        problemCode: 'NO_COOL',
        summary: `Unit does not cool (${vendor})`,
        ...inputs[vendor](),
      };
      if (vendor === 'sera') delete (input as Record<string, unknown>).problemCode; // Sera keeps no problem code: it refuses one.
      const r = (await run(CREATE, { input })).createWorkOrder;
      expect(r.userErrors).toEqual([]);
      expect(r.replayed).toBe(false);
      const wo = r.workOrder;
      expect(wo.source.system).toBe(vendor.toUpperCase());
      expect(wo.externalReference).toMatch(/^fg-[a-z2-7]{26}$/);
      const creates = Object.entries(writesOf(await sandboxStats(gw.sandbox))[vendor]).filter(([e]) => /^POST .*(jobs|workorders|work-orders)$/.test(e));
      expect(creates.map(([, n]) => n)).toEqual([1]);

      // A following query (a new request) sees it.
      const seen = (await run(NODE, { id: wo.id })).node;
      expect(seen).toMatchObject({ id: wo.id, summary: input.summary, externalReference: wo.externalReference, source: wo.source });
      // So does the vendor.
      const [atVendor] = await vendorSide[vendor]!.get('workOrder', [vendorId(wo.id)]);
      expect(atVendor?.externalReference).toBe(wo.externalReference);

      // The same key and input again: the first result, no second write.
      await resetStats(gw.sandbox);
      const again = (await run(CREATE, { input })).createWorkOrder;
      expect(again).toMatchObject({ replayed: true, userErrors: [], workOrder: { id: wo.id } });
      expect(Object.values(writesOf(await sandboxStats(gw.sandbox))[vendor])).toEqual([]);
    });
  }

  it('reports a create whose dispatch failed part-way exactly, and resumes it on a retry with the same key', async () => {
    const d = gw.sandbox.dataset.vendors.servicepower;
    const unit = d.equipment.find((e) => techniciansFor('servicepower', e.locationId, e.type).length > 0)!;
    const input = {
      idempotencyKey: `partial-${Date.now()}`,
      targetSystem: 'SERVICEPOWER',
      customer: { id: gid('Customer', 'servicepower', unit.customerId) },
      location: { id: gid('Location', 'servicepower', unit.locationId) },
      equipment: { id: gid('Equipment', 'servicepower', unit.id) },
      serviceType: 'repair',
      problemCode: 'NO_COOL',
      summary: 'Intake, then dispatch',
      technicians: [gid('Technician', 'servicepower', techniciansFor('servicepower', unit.locationId, unit.type)[0]!)],
      requestedWindow: nextWindow(),
    };
    gw.sandbox.setFaults({ servicepower: { down: true, only: '^POST /work-orders/\\{workOrderId\\}/dispatch$' } });
    let first;
    try {
      first = (await run(CREATE, { input })).createWorkOrder;
    } finally {
      gw.sandbox.setFaults({ servicepower: { down: false, only: null } });
    }
    expect(first.workOrder).toBeNull();
    expect(first.userErrors.map((e: any) => e.code)).toEqual(['PARTIAL_WRITE']);
    expect(first.userErrors[0].message).toMatch(/ServicePower record wo_\w+/);
    await resetStats(gw.sandbox);
    const again = (await run(CREATE, { input })).createWorkOrder;
    expect(again.userErrors).toEqual([]);
    expect(again.workOrder.technicians.map((t: any) => t.id)).toEqual(input.technicians);
    // Resumed: the work order the first attempt made, dispatched now; no second intake.
    expect(writesOf(await sandboxStats(gw.sandbox)).servicepower).toEqual({ 'POST /work-orders/{workOrderId}/dispatch': 1 });
    expect(first.userErrors[0].message).toContain(vendorId(again.workOrder.id));
  });

  it('refuses a system that creates no work orders (Astea Alliance) and writes nothing', async () => {
    await resetStats(gw.sandbox);
    const site = gw.sandbox.dataset.vendors.astea.locations[0]!;
    const r = (await run(CREATE, { input: { targetSystem: 'ASTEA', customer: { id: gid('Customer', 'astea', site.customerId) }, serviceType: 'repair', summary: 'x' } })).createWorkOrder;
    expect(r.userErrors.map((e: any) => [e.code, e.field])).toEqual([['NOT_SUPPORTED', ['input', 'targetSystem']]]);
    expect(Object.values(writesOf(await sandboxStats(gw.sandbox))).flatMap(Object.values)).toEqual([]);
  });

  it('routes a unit under a manufacturer warranty program to ServicePower, carrying the ServiceTitan customer over', async () => {
    const d = gw.sandbox.dataset.vendors.servicetitan;
    const unit = d.equipment.find((e) => e.warrantyProgram && e.warrantyEnd && e.warrantyEnd > '2027-12-31' && d.locations.find((l) => l.id === e.locationId)?.active)!;
    const customer = d.customers.find((c) => c.id === unit.customerId)!;
    const r = (
      await run(CREATE, {
        input: {
          idempotencyKey: `route-warranty-${Date.now()}`,
          customer: { id: gid('Customer', 'servicetitan', unit.customerId) },
          location: { id: gid('Location', 'servicetitan', unit.locationId) },
          equipment: { id: gid('Equipment', 'servicetitan', unit.id) },
          serviceType: 'repair',
          problemCode: 'NO_COOL',
          summary: 'Warranty repair',
        },
      })
    ).createWorkOrder;
    expect(r.userErrors).toEqual([]);
    expect(r.workOrder.source.system).toBe('SERVICEPOWER');
    const [atVendor] = await vendorSide.servicepower!.get('workOrder', [vendorId(r.workOrder.id)]);
    expect(atVendor?.embedded?.customer?.name).toBe(customer.name);
    expect(atVendor?.embedded?.equipment?.[0]?.serialNumber?.replace(/[^A-Z0-9]/gi, '')).toBe(unit.serialNumber.replace(/[^A-Z0-9]/gi, ''));
  });

  it("routes other work to the customer's own system when it takes work orders, else to the primary system", async () => {
    const sera = placeWith('sera');
    const own = (await run(CREATE, { input: { customer: { id: gid('Customer', 'sera', sera.customerId) }, serviceType: 'maintenance', summary: 'Tune-up', requestedWindow: nextWindow() } })).createWorkOrder;
    expect(own.userErrors).toEqual([]);
    expect(own.workOrder.source.system).toBe('SERA');
    const fresh = (
      await run(CREATE, {
        input: {
          customer: { new: { name: 'Avery Quinn', email: 'avery.quinn@example.com', phone: '+14045550123', address: { line1: '12 Peachtree St NE', city: 'Atlanta', region: 'GA', postalCode: '30303' } } },
          serviceType: 'repair',
          summary: 'No heat',
          requestedWindow: nextWindow(),
        },
      })
    ).createWorkOrder;
    expect(fresh.userErrors).toEqual([]);
    expect(fresh.workOrder.source.system).toBe('SERVICETITAN');
    expect(fresh.workOrder.customer.name).toBe('Avery Quinn');
  });

  it('overflows to Field Nation when the primary system has no technician free in the region', async () => {
    // A region of our own that no ServiceTitan technician serves.
    const routing = RoutingConfigSchema.parse({ regions: { ...TEST_ROUTING.regions, 'ATL-X': ['30399'] }, preferCustomerSystem: false });
    const other = await startTestGateway({ sandbox: gw.sandbox, routing });
    try {
      const r = await other.client.rawRequest<any>(CREATE, {
        input: {
          customer: { new: { name: 'Riley Stone', address: { line1: '1 Far Rd', city: 'Atlanta', region: 'GA', postalCode: '30399' } } },
          serviceType: 'repair',
          summary: 'No heat, far away',
          requestedWindow: nextWindow(),
        },
      });
      expect(r.errors).toBeUndefined();
      expect(r.data.createWorkOrder.userErrors).toEqual([]);
      expect(r.data.createWorkOrder.workOrder.source.system).toBe('FIELDNATION');
    } finally {
      await other.close();
    }
  });
});

describe('dispatch', () => {
  async function created(vendor: 'servicetitan' | 'servicepower' | 'sera' | 'fieldnation', techs: number, unitType?: string, sendFirst = false) {
    const d = gw.sandbox.dataset.vendors[vendor];
    let place: { customerId: string; locationId: string; technicians: string[] };
    let equipment: Record<string, unknown> = {};
    if (vendor === 'servicepower') {
      // ServicePower work orders are about a unit: one at a place with enough technicians for it.
      const unit = d.equipment.find((e) => techniciansFor(vendor, e.locationId, e.type).length >= techs)!;
      place = { customerId: unit.customerId, locationId: unit.locationId, technicians: techniciansFor(vendor, unit.locationId, unit.type) };
      // ServicePower gives a work order without an SLA one of a week: ours reaches the test's windows.
      equipment = { equipment: { id: gid('Equipment', vendor, unit.id) }, problemCode: 'NO_COOL', priority: 'HIGH', sla: { respondBy: '2027-02-01T00:00:00Z', completeBy: '2027-12-31T00:00:00Z' } };
    } else place = placeWith(vendor, techs, unitType, vendor === 'sera' ? 'hvac_service' : undefined); // Sera's job type names the trade
    const r = (
      await run(CREATE, {
        input: {
          targetSystem: vendor.toUpperCase(),
          customer: { id: gid('Customer', vendor, place.customerId) },
          location: { id: gid('Location', vendor, place.locationId) },
          serviceType: 'repair',
          summary: `To dispatch (${vendor})`,
          ...(vendor === 'servicepower' ? {} : { requestedWindow: nextWindow() }),
          ...(sendFirst ? { technicians: [gid('Technician', vendor, place.technicians[0]!)] } : {}),
          ...equipment,
        },
      })
    ).createWorkOrder;
    expect(r.userErrors).toEqual([]);
    return { workOrder: r.workOrder, technicians: place.technicians };
  }

  async function dispatchAndCheck(vendor: VendorKey, workOrderId: string, technicianIds: string[]) {
    await resetStats(gw.sandbox);
    const window = nextWindow(3);
    const input = {
      idempotencyKey: `dispatch-${vendor}-${Date.now()}`,
      workOrder: workOrderId,
      technicians: technicianIds.map((t) => gid('Technician', vendor, t)),
      window,
      instructions: 'Call on arrival.',
    };
    const r = (await run(DISPATCH, { input })).dispatch;
    expect(r.userErrors).toEqual([]);
    expect(r.workOrder.id).toBe(workOrderId);
    // ServiceTitan keeps technicians on the visits, not on the job.
    const holder = vendor === 'servicetitan' ? r.appointment : r.workOrder;
    expect(holder.technicians.map((t: any) => t.id)).toEqual(expect.arrayContaining(input.technicians));
    const writes = writesOf(await sandboxStats(gw.sandbox))[vendor];
    expect(Object.values(writes).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    // A following query sees the technicians (and the visit where the system lists visits).
    const seen = (await run(NODE, { id: workOrderId })).node;
    if (vendor !== 'servicetitan') expect(seen.technicians.map((t: any) => t.id)).toEqual(expect.arrayContaining(input.technicians));
    if (vendor !== 'fieldnation') {
      const visit = seen.appointments.nodes.find((a: any) => Date.parse(a.window.start) === Date.parse(window.start));
      expect(visit, JSON.stringify(seen.appointments)).toBeDefined();
      expect(visit.technicians.map((t: any) => t.id)).toEqual(expect.arrayContaining(input.technicians));
    }
    // So does the vendor.
    const [atVendor] = vendor === 'servicetitan' ? await vendorSide[vendor]!.get('appointment', [vendorId(r.appointment.id)]) : await vendorSide[vendor]!.get('workOrder', [vendorId(workOrderId)]);
    expect(atVendor?.technicianRefs.map((t) => t.id)).toEqual(expect.arrayContaining(technicianIds));
    // Sent again with the same key: the first result, nothing written.
    await resetStats(gw.sandbox);
    expect((await run(DISPATCH, { input })).dispatch).toMatchObject({ replayed: true, userErrors: [] });
    expect(Object.values(writesOf(await sandboxStats(gw.sandbox))[vendor])).toEqual([]);
    return { r, writes };
  }

  it('ServiceTitan: reschedules the waiting visit and swaps the technician (assign, then unassign)', async () => {
    const { workOrder, technicians } = await created('servicetitan', 2, undefined, true);
    const { r, writes } = await dispatchAndCheck('servicetitan', workOrder.id, [technicians[1]!]);
    expect(r.appointment.technicians.map((t: any) => vendorId(t.id))).toEqual([technicians[1]]);
    expect(Object.keys(writes).sort()).toEqual([
      'PATCH /jpm/v2/tenant/{tenant}/appointments/{id}/reschedule',
      'POST /dispatch/v2/tenant/{tenant}/appointment-assignments/assign-technicians',
      'POST /dispatch/v2/tenant/{tenant}/appointment-assignments/unassign-technicians',
    ]);
  });

  it('serves nothing stale later in the same request: a second dispatch in one operation reads the visit anew', async () => {
    const { workOrder, technicians } = await created('servicetitan', 1, undefined, true);
    const [w1, w2] = [nextWindow(), nextWindow()];
    const tech = gid('Technician', 'servicetitan', technicians[0]!);
    const r = await run(
      `mutation Twice($a: DispatchInput!, $b: DispatchInput!) {
        first: dispatch(input: $a) { userErrors { code } workOrder { appointments { nodes { window { start } } } } }
        second: dispatch(input: $b) { userErrors { code } workOrder { appointments { nodes { window { start } } } } }
      }`,
      { a: { workOrder: workOrder.id, technicians: [tech], window: w1 }, b: { workOrder: workOrder.id, technicians: [tech], window: w2 } },
    );
    expect(r.first.userErrors).toEqual([]);
    expect(r.second.userErrors).toEqual([]);
    expect(r.first.workOrder.appointments.nodes.map((a: any) => a.window.start)).toContain(w1.start);
    const after = r.second.workOrder.appointments.nodes.map((a: any) => a.window.start);
    expect(after).toContain(w2.start);
    expect(after).not.toContain(w1.start);
  });

  it('ServicePower: dispatches a technician of a provider', async () => {
    const { workOrder, technicians } = await created('servicepower', 1);
    const { r } = await dispatchAndCheck('servicepower', workOrder.id, [technicians[0]!]);
    expect(r.appointment.status).toBe('SCHEDULED');
  });

  it('Sera: schedules the work order with its technician', async () => {
    const { workOrder, technicians } = await created('sera', 1);
    await dispatchAndCheck('sera', workOrder.id, [technicians[0]!]);
  });

  it('Field Nation: assigns a provider', async () => {
    const { workOrder, technicians } = await created('fieldnation', 1);
    await dispatchAndCheck('fieldnation', workOrder.id, [technicians[0]!]);
  });

  it('Astea Alliance: assigns a technician to an open work order', async () => {
    const d = gw.sandbox.dataset.vendors.astea;
    const wo = d.workOrders.find((w) => w.status === 'open' && w.equipmentIds.length > 0 && techniciansFor('astea', w.locationId, d.equipment.find((e) => e.id === w.equipmentIds[0])?.type).length > 0)!;
    const tech = techniciansFor('astea', wo.locationId, d.equipment.find((e) => e.id === wo.equipmentIds[0])?.type)[0]!;
    const { r } = await dispatchAndCheck('astea', gid('WorkOrder', 'astea', wo.id), [tech]);
    expect(r.appointment.technicians.map((t: any) => vendorId(t.id))).toEqual([tech]);
  });
});

describe('submitClaim', () => {
  it('claims a completed ServicePower work order with exact totals, visible in a following query and at the vendor', async () => {
    const d = gw.sandbox.dataset.vendors.servicepower;
    const unit = d.equipment.find((e) => techniciansFor('servicepower', e.locationId, e.type).length > 0)!;
    const tech = techniciansFor('servicepower', unit.locationId, unit.type)[0]!;
    const wo = (
      await run(CREATE, {
        input: {
          targetSystem: 'SERVICEPOWER',
          customer: { id: gid('Customer', 'servicepower', unit.customerId) },
          location: { id: gid('Location', 'servicepower', unit.locationId) },
          equipment: { id: gid('Equipment', 'servicepower', unit.id) },
          serviceType: 'repair',
          problemCode: 'NO_COOL',
          summary: 'Compressor fault',
          technicians: [gid('Technician', 'servicepower', tech)],
          requestedWindow: nextWindow(),
        },
      })
    ).createWorkOrder.workOrder;
    await sandboxAction(gw.sandbox, 'servicepower', 'start', { id: vendorId(wo.id) });
    await sandboxAction(gw.sandbox, 'servicepower', 'complete', { id: vendorId(wo.id) });
    await resetStats(gw.sandbox);
    const input = {
      idempotencyKey: `claim-${Date.now()}`,
      workOrder: wo.id,
      claimType: 'warranty',
      labor: { minutes: 95, hourlyRate: '85.00' },
      parts: [
        { partNumber: 'CAP-45-5', quantity: '2', unitCost: '29.95' },
        { partNumber: 'R410A-LB', quantity: '3', unitCost: '48.00' },
      ],
      travel: { miles: '12.3', minutes: 30 },
      taxes: '7.25',
      attachments: [{ fileName: 'nameplate.jpg', uploadToken: 'upl_7f3a9c' }],
      resolution: { code: 'REPLACED_PART', description: 'Replaced the run capacitor, recharged' },
    };
    const r = (await run(CLAIM, { input })).submitClaim;
    expect(r.userErrors).toEqual([]);
    // 95 / 60 × 85.00 = 134.583… → 134.58; parts 59.90 + 144.00; travel 12.3 × 0.065 = 0.7995 → 0.80.
    expect(r.totals).toEqual({
      labor: { amount: '134.58' },
      parts: { amount: '203.90' },
      travel: { amount: '0.80' },
      taxes: { amount: '7.25' },
      total: { amount: '346.53', currency: 'USD' },
    });
    expect(r.claim).toMatchObject({ status: 'SUBMITTED', claimType: 'warranty', total: { amount: '346.53', currency: 'USD' }, workOrder: { id: wo.id } });
    expect(Object.values(writesOf(await sandboxStats(gw.sandbox)).servicepower)).toEqual([1]);
    const seen = (await run(NODE, { id: wo.id })).node;
    expect(seen.claims.nodes).toEqual([expect.objectContaining({ id: r.claim.id, status: 'SUBMITTED', total: { amount: '346.53' } })]);
    const [atVendor] = await vendorSide.servicepower!.get('claim', [vendorId(r.claim.id)]);
    expect(atVendor?.total.amount).toBe('346.53');
    expect(atVendor?.number).toBe(r.claim.number);
    // Replayed with the same key: the same claim and totals.
    expect((await run(CLAIM, { input })).submitClaim).toMatchObject({ replayed: true, claim: { id: r.claim.id }, totals: r.totals });
  });

  it('refuses a claim on a work order of a system that takes none', async () => {
    const wo = gw.sandbox.dataset.vendors.servicetitan.workOrders.find((w) => w.status === 'Completed')!;
    const r = (await run(CLAIM, { input: { workOrder: gid('WorkOrder', 'servicetitan', wo.id), claimType: 'warranty', labor: { minutes: 60, hourlyRate: '85.00' }, resolution: { code: 'X' } } })).submitClaim;
    expect(r.userErrors.map((e: any) => [e.code, e.field])).toEqual([['NOT_SUPPORTED', ['input', 'workOrder']]]);
  });
});

describe('enrollMembership', () => {
  const TOKEN = 'pm_tok_secret_4f9a1c77';

  it('enrolls a Sera customer; the payment token is never returned or stored', async () => {
    const d = gw.sandbox.dataset.vendors.sera;
    const customer = d.customers.find((c) => c.active && !d.memberships.some((m) => m.customerId === c.id))!;
    const input = {
      idempotencyKey: `enroll-sera-${Date.now()}`,
      customer: gid('Customer', 'sera', customer.id),
      plan: 'plan_hvac_comfort_monthly',
      startDate: '2027-01-15',
      billingCadence: 'MONTHLY',
      autopay: true,
      paymentMethodToken: TOKEN,
      includedVisits: 2,
    };
    const raw = await gw.client.rawRequest<any>(ENROLL, { input });
    expect(JSON.stringify(raw)).not.toContain(TOKEN);
    const r = raw.data.enrollMembership;
    expect(r.userErrors).toEqual([]);
    expect(r.membership).toMatchObject({ status: 'ACTIVE', startsOn: '2027-01-15', billingCadence: 'MONTHLY', customer: { id: input.customer } });
    const seen = (await run(NODE, { id: input.customer })).node;
    expect(seen.memberships.nodes.map((m: any) => m.id)).toContain(r.membership.id);
    const [atVendor] = await vendorSide.sera!.get('membership', [vendorId(r.membership.id)]);
    expect(atVendor?.planId).toBe('plan_hvac_comfort_monthly');
    // The idempotency record holds ids and a hash, never the token.
    expect(readFileSync(join(gw.dataDir, 'store.json'), 'utf8')).not.toContain(TOKEN);
    expect((await run(ENROLL, { input })).enrollMembership).toMatchObject({ replayed: true, membership: { id: r.membership.id } });
  });

  it('enrolls a ServiceTitan customer', async () => {
    const d = gw.sandbox.dataset.vendors.servicetitan;
    const customer = d.customers.filter((c) => c.active && !d.memberships.some((m) => m.customerId === c.id))[3]!;
    const input = { idempotencyKey: `enroll-st-${Date.now()}`, customer: gid('Customer', 'servicetitan', customer.id), plan: '7100000001', startDate: '2027-02-01', billingCadence: 'MONTHLY' };
    const r = (await run(ENROLL, { input })).enrollMembership;
    expect(r.userErrors).toEqual([]);
    expect(r.membership).toMatchObject({ status: 'ACTIVE', customer: { id: input.customer } });
    const seen = (await run(NODE, { id: input.customer })).node;
    expect(seen.memberships.nodes.map((m: any) => m.id)).toContain(r.membership.id);
    const [atVendor] = await vendorSide.servicetitan!.get('membership', [vendorId(r.membership.id)]);
    expect(atVendor?.planId).toBe('7100000001');
  });

  it('refuses a customer of a system that keeps no memberships', async () => {
    const customer = gw.sandbox.dataset.vendors.fieldnation.customers[0]!;
    const r = (await run(ENROLL, { input: { customer: gid('Customer', 'fieldnation', customer.id), plan: 'x', startDate: '2027-01-01', billingCadence: 'ANNUAL' } })).enrollMembership;
    expect(r.userErrors.map((e: any) => e.code)).toEqual(['NOT_SUPPORTED']);
  });
});

