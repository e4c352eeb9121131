/**
 * `createWorkOrder`: reads the input (every problem at once), then, under the idempotency key,
 * loads what it refers to, routes the work order to a system (explicit, a routing rule, the
 * customer's own system or the primary one), checks technicians and the SLA when it dispatches at
 * once, and creates it through that system's connector with an external reference stamped on it.
 * A customer, location or unit held by another system is passed on as details (a new customer, an
 * address, a described unit). An attempt that takes over a key whose earlier attempt may have
 * written first looks for the work order by that reference.
 */
import type { CreateWorkOrderCommand } from '../../connectors/types.js';
import { VENDOR_TITLES, type VendorKey } from '../../connectors/vendors.js';
import type { CreateWorkOrderInput } from '../__generated__/graphql.js';
import type { Context } from '../context.js';
import type { Address, CustomerModel, EquipmentModel, LocationModel, Priority, RecordRef, TimeWindow, Warranty, WorkOrderModel } from '../model/index.js';
import { idempotencyKeyOf, InputReader, userError, type UserError } from './input.js';
import { checkSla, checkTechnicians, regionOf, routeWorkOrder, skillOf } from './rules.js';
import { forget, runMutation, type Attempt, type Outcome } from './run.js';
import { userErrorsOf, type FieldMap } from './vendor-errors.js';

/** The payload of `createWorkOrder`. */
export interface CreateWorkOrderResult {
  workOrder: WorkOrderModel | null;
  replayed: boolean;
  userErrors: UserError[];
}

/** Command fields of a work-order create → input paths. */
export const CREATE_WORK_ORDER_FIELDS: FieldMap = {
  customer: ['customer'],
  'customer.ref': ['customer', 'id'],
  'customer.new': ['customer', 'new'],
  location: ['location'],
  'location.ref': ['location', 'id'],
  'location.address': ['location', 'address'],
  equipment: ['equipment'],
  'equipment.ref': ['equipment', 'id'],
  'equipment.model': ['equipment', 'new', 'model'],
  'equipment.serialNumber': ['equipment', 'new', 'serialNumber'],
  'equipment.manufacturer': ['equipment', 'new', 'manufacturer'],
  serviceType: ['serviceType'],
  problemCode: ['problemCode'],
  summary: ['summary'],
  priority: ['priority'],
  sla: ['sla'],
  window: ['requestedWindow'],
  technicianRefs: ['technicians'],
  parts: ['parts'],
  notes: ['notes'],
  externalReference: ['externalReference'],
  vendorSettings: null,
};

interface NewCustomer {
  name: string;
  email?: string;
  phone?: string;
  address: Address;
}

interface NewEquipment {
  model: string;
  serialNumber?: string;
  manufacturer?: string;
  type?: string;
  warranty?: { covered: boolean; program?: string; expiresOn?: string };
}

/** The input, read and normalised. */
interface Parsed {
  target: VendorKey | undefined;
  customer: { ref: RecordRef } | { new: NewCustomer };
  location: { ref: RecordRef } | { address: Address } | undefined;
  equipment: { ref: RecordRef } | { new: NewEquipment } | undefined;
  serviceType: string;
  problemCode: string | undefined;
  summary: string;
  priority: Priority;
  sla: { respondBy?: string; completeBy?: string } | undefined;
  window: TimeWindow | undefined;
  technicians: RecordRef[];
  parts: Array<{ partNumber: string; quantity: string; unitPrice?: string; description?: string }>;
  notes: string | undefined;
  externalReference: string | undefined;
}

function read(input: CreateWorkOrderInput, r: InputReader): Parsed | undefined {
  const target = input.targetSystem ? (input.targetSystem.toLowerCase() as VendorKey) : undefined;

  let customer: Parsed['customer'] | undefined;
  const c = input.customer;
  if (c.id != null && c.new != null) r.fail('INVALID', ['customer'], 'Give either the id of an existing customer or a new customer, not both.');
  else if (c.id != null) {
    const ref = r.id(c.id, ['customer', 'id'], 'Customer');
    if (ref) customer = { ref };
  } else if (c.new != null) {
    const name = r.text(c.new.name, ['customer', 'new', 'name'], "The customer's name", 200);
    const address = r.address(c.new.address, ['customer', 'new', 'address']);
    if (name && address) customer = { new: { name, address, ...(c.new.email ? { email: c.new.email } : {}), ...(c.new.phone ? { phone: c.new.phone } : {}) } };
  } else r.fail('REQUIRED', ['customer'], 'Give the id of an existing customer or the details of a new one.');

  let location: Parsed['location'];
  const l = input.location;
  if (l) {
    if (l.id != null && l.address != null) r.fail('INVALID', ['location'], 'Give either the id of a location or an address, not both.');
    else if (l.id != null) {
      const ref = r.id(l.id, ['location', 'id'], 'Location');
      if (ref) location = { ref };
    } else if (l.address != null) {
      const address = r.address(l.address, ['location', 'address']);
      if (address) location = { address };
    } else r.fail('REQUIRED', ['location'], 'Give the id of a location or an address (or leave the location out).');
  }

  let equipment: Parsed['equipment'];
  const e = input.equipment;
  if (e) {
    if (e.id != null && e.new != null) r.fail('INVALID', ['equipment'], 'Give either the id of a unit or its details, not both.');
    else if (e.id != null) {
      const ref = r.id(e.id, ['equipment', 'id'], 'Equipment');
      if (ref) equipment = { ref };
    } else if (e.new != null) {
      const p = ['equipment', 'new'];
      const model = r.text(e.new.model, [...p, 'model'], 'The model', 100);
      const serialNumber = r.optionalText(e.new.serialNumber, [...p, 'serialNumber'], 'The serial number', 100);
      const manufacturer = r.optionalText(e.new.manufacturer, [...p, 'manufacturer'], 'The manufacturer', 100);
      const type = r.optionalText(e.new.type, [...p, 'type'], 'The type', 100);
      const w = e.new.warranty;
      const expiresOn = w ? r.date(w.expiresOn, [...p, 'warranty', 'expiresOn'], 'The warranty end') : undefined;
      const program = w ? r.optionalText(w.program, [...p, 'warranty', 'program'], 'The program', 200) : undefined;
      if (model) {
        equipment = {
          new: {
            model,
            ...(serialNumber ? { serialNumber } : {}),
            ...(manufacturer ? { manufacturer } : {}),
            ...(type ? { type } : {}),
            ...(w ? { warranty: { covered: w.covered, ...(program ? { program } : {}), ...(expiresOn ? { expiresOn } : {}) } } : {}),
          },
        };
      }
    } else r.fail('REQUIRED', ['equipment'], 'Give the id of a unit or its details (or leave the unit out).');
  }

  const serviceType = r.text(input.serviceType, ['serviceType'], 'The service type', 100);
  const problemCode = r.optionalText(input.problemCode, ['problemCode'], 'The problem code', 100);
  const summary = r.text(input.summary, ['summary'], 'The summary', 2000);
  const respondBy = r.instant(input.sla?.respondBy, ['sla', 'respondBy'], 'respondBy');
  const completeBy = r.instant(input.sla?.completeBy, ['sla', 'completeBy'], 'completeBy');
  if (respondBy && completeBy && Date.parse(completeBy) < Date.parse(respondBy)) r.fail('INVALID', ['sla', 'completeBy'], 'completeBy is before respondBy.');
  const sla = respondBy || completeBy ? { ...(respondBy ? { respondBy } : {}), ...(completeBy ? { completeBy } : {}) } : undefined;
  const window = r.window(input.requestedWindow, ['requestedWindow']);
  const technicians = (input.technicians ?? []).map((id, i) => r.id(id, ['technicians', i], 'Technician')).filter((x): x is RecordRef => x !== undefined);
  if ((input.technicians ?? []).length > 0 && !input.requestedWindow) r.fail('REQUIRED', ['requestedWindow'], 'Sending technicians needs a requested window.');
  const parts = (input.parts ?? []).map((p, i) => {
    const partNumber = r.text(p.partNumber, ['parts', i, 'partNumber'], 'The part number', 100);
    const quantity = r.decimal(p.quantity, ['parts', i, 'quantity'], 'The quantity', 'positive');
    const unitPrice = r.decimal(p.unitPrice, ['parts', i, 'unitPrice'], 'The unit price', 'zero');
    const description = r.optionalText(p.description, ['parts', i, 'description'], 'The description', 500);
    return { partNumber: partNumber ?? '', quantity: quantity ?? '0', ...(unitPrice ? { unitPrice } : {}), ...(description ? { description } : {}) };
  });
  const notes = r.optionalText(input.notes, ['notes'], 'The notes', 4000);
  const externalReference = r.optionalText(input.externalReference, ['externalReference'], 'The external reference', 50);
  if (!r.ok || !customer || !serviceType || !summary) return undefined;
  return { target, customer, location, equipment, serviceType, problemCode, summary, priority: input.priority ?? 'NORMAL', sla, window, technicians, parts, notes, externalReference };
}

/** Runs `createWorkOrder`. Throws system errors (vendor outages) after giving the key back; refusals are user errors. */
export async function createWorkOrder(ctx: Context, input: CreateWorkOrderInput): Promise<CreateWorkOrderResult> {
  const r = new InputReader(ctx.principal.tenant);
  const key = idempotencyKeyOf(input.idempotencyKey, ctx.mutations.idempotencyKeyHeader, r);
  const parsed = read(input, r);
  const refused = (userErrors: UserError[]): CreateWorkOrderResult => ({ workOrder: null, replayed: false, userErrors });
  if (!parsed || !r.ok) return refused(r.errors);
  return runMutation(ctx, {
    mutation: 'createWorkOrder',
    key,
    normalised: parsed,
    refused,
    replay: async (stored) => ({ workOrder: stored.workOrder ? await ctx.loaders.workOrder.load(stored.workOrder) : null, replayed: true, userErrors: [] }),
    execute: (attempt) => execute(ctx, parsed, attempt),
  });
}

const canCreate = (ctx: Context) => (system: VendorKey) => {
  const c = ctx.connectors[system];
  return !!c?.createWorkOrder && c.capabilities.writes.includes('createWorkOrder');
};

async function execute(ctx: Context, p: Parsed, attempt: Attempt): Promise<Outcome<CreateWorkOrderResult>> {
  const errors: UserError[] = [];
  const refuse = (): Outcome<CreateWorkOrderResult> => ({ ok: false, errors, written: 'nothing' });

  // What the input refers to.
  const [customerModel, locationModel, equipmentModel] = await Promise.all([
    'ref' in p.customer ? ctx.loaders.customer.load(p.customer.ref) : Promise.resolve(null),
    p.location && 'ref' in p.location ? ctx.loaders.location.load(p.location.ref) : Promise.resolve(null),
    p.equipment && 'ref' in p.equipment ? ctx.loaders.equipment.load(p.equipment.ref) : Promise.resolve(null),
  ]);
  if ('ref' in p.customer && !customerModel) errors.push(userError('NOT_FOUND', ['customer', 'id'], 'No such customer.'));
  if (p.location && 'ref' in p.location && !locationModel) errors.push(userError('NOT_FOUND', ['location', 'id'], 'No such location.'));
  if (p.equipment && 'ref' in p.equipment && !equipmentModel) errors.push(userError('NOT_FOUND', ['equipment', 'id'], 'No such unit.'));
  if (errors.length) return refuse();

  const routing = ctx.mutations.services.routing;
  const address = locationModel?.address ?? (p.location && 'address' in p.location ? p.location.address : undefined) ?? customerModel?.address ?? ('new' in p.customer ? p.customer.new.address : undefined);
  const warranty: Warranty | undefined = equipmentModel?.warranty ?? (p.equipment && 'new' in p.equipment ? p.equipment.new.warranty : undefined);
  const unitType = equipmentModel?.type ?? (p.equipment && 'new' in p.equipment ? p.equipment.new.type : undefined);
  const skill = skillOf({ equipmentTypes: unitType ? [unitType] : [], serviceType: p.serviceType }, routing);
  const region = regionOf(address, routing);

  // Where it goes.
  let system: VendorKey;
  if (p.target) {
    system = p.target;
    if (!ctx.connectors[system]) return { ok: false, errors: [userError('NOT_SUPPORTED', ['targetSystem'], `${VENDOR_TITLES[system]} is not configured.`)], written: 'nothing' };
    if (!canCreate(ctx)(system)) return { ok: false, errors: [userError('NOT_SUPPORTED', ['targetSystem'], `${VENDOR_TITLES[system]} cannot create work orders.`)], written: 'nothing' };
  } else {
    const route = await routeWorkOrder(
      ctx,
      { warranty, serviceType: p.serviceType, priority: p.priority, region, skill, window: p.window, customerSystem: 'ref' in p.customer ? p.customer.ref.system : undefined },
      canCreate(ctx),
    );
    system = route.system;
    if (!canCreate(ctx)(system)) {
      return { ok: false, errors: [userError('NOT_SUPPORTED', ['targetSystem'], `The routing rules chose ${VENDOR_TITLES[system]} (${route.reason}), which cannot create work orders here: give a target system.`)], written: 'nothing' };
    }
  }
  const connector = ctx.connectors[system]!;

  // The command, in the target system's terms.
  const command = toCommand(system, p, { customerModel, locationModel, equipmentModel }, errors);
  errors.push(...checkSla(p.window, p.sla, ['requestedWindow']));
  if (p.technicians.length > 0 && p.window) {
    const checked = await checkTechnicians(ctx, p.technicians.map((ref, i) => ({ ref, path: ['technicians', i] })), { system, skill, region, window: p.window });
    errors.push(...checked.errors);
  }
  if (errors.length || !command) return refuse();
  const externalReference = p.externalReference ?? attempt.externalReference;
  const settings = { ...(ctx.mutations.services.vendorSettings[system] ?? {}), ...(system === 'sera' && skill ? { trade: skill } : {}) };
  const full: CreateWorkOrderCommand = { ...command, externalReference, ...(Object.keys(settings).length ? { vendorSettings: settings } : {}) };

  // An earlier attempt may have created it: look for it by its reference first.
  let workOrder: WorkOrderModel | null = attempt.recovering ? await findByReference(ctx, system, externalReference, attempt.since, 'ref' in full.customer ? full.customer.ref : undefined) : null;
  if (workOrder && p.window && p.technicians.length && connector.dispatch && !p.technicians.every((t) => workOrder!.technicianRefs.some((r) => r.id === t.id))) {
    // It was created, but the dispatch that goes with it did not happen (a partial write): resume.
    attempt.writing();
    try {
      const r = await connector.dispatch({ workOrderRef: workOrder.ref, technicianRefs: p.technicians, window: p.window });
      workOrder = r.workOrder ?? workOrder;
    } catch (e) {
      const userErrors = userErrorsOf(e, system, { ...CREATE_WORK_ORDER_FIELDS, workOrderRef: null });
      if (!userErrors) throw e;
      return { ok: false, errors: [userError('PARTIAL_WRITE', null, `The work order ${workOrder.number} exists; sending the technicians failed.`), ...userErrors], written: 'unknown' };
    }
  }
  if (!workOrder) {
    attempt.writing();
    try {
      workOrder = await connector.createWorkOrder!(full);
    } catch (e) {
      const userErrors = userErrorsOf(e, system, CREATE_WORK_ORDER_FIELDS);
      if (!userErrors) throw e;
      return { ok: false, errors: userErrors, written: userErrors.some((u) => u.code === 'PARTIAL_WRITE') ? 'unknown' : 'nothing' };
    }
  }
  await forget(ctx, {
    records: [{ kind: 'workOrder', ref: workOrder.ref, model: workOrder }],
    children: [
      ...(workOrder.customerRef ? [{ kind: 'workOrder' as const, parent: 'customer' as const, ref: workOrder.customerRef }] : []),
      ...(workOrder.locationRef ? [{ kind: 'workOrder' as const, parent: 'location' as const, ref: workOrder.locationRef }] : []),
      ...p.technicians.map((ref) => ({ kind: 'workOrder' as const, parent: 'technician' as const, ref })),
      ...p.technicians.map((ref) => ({ kind: 'appointment' as const, parent: 'technician' as const, ref })),
      { kind: 'appointment', parent: 'workOrder', ref: workOrder.ref },
    ],
  });
  return { ok: true, payload: { workOrder, replayed: false, userErrors: [] }, stored: { workOrder: workOrder.ref } };
}

/** The command for `system`: references of that system pass as they are, others as details. */
function toCommand(
  system: VendorKey,
  p: Parsed,
  loaded: { customerModel: CustomerModel | null; locationModel: LocationModel | null; equipmentModel: EquipmentModel | null },
  errors: UserError[],
): Omit<CreateWorkOrderCommand, 'externalReference'> | undefined {
  const { customerModel, locationModel, equipmentModel } = loaded;
  let customer: CreateWorkOrderCommand['customer'];
  if ('new' in p.customer) customer = { new: p.customer.new };
  else if (p.customer.ref.system === system) customer = { ref: p.customer.ref };
  else {
    // Held by another system: created in this one from what that system knows.
    const c = customerModel!;
    const address = c.address ?? locationModel?.address ?? (p.location && 'address' in p.location ? p.location.address : undefined);
    if (!address) {
      errors.push(userError('INVALID', ['customer', 'id'], `The customer is in ${VENDOR_TITLES[c.ref.system]} and has no address to create them in ${VENDOR_TITLES[system]} with: give customer.new.`));
      return undefined;
    }
    customer = { new: { name: c.name, address, ...(c.email ? { email: c.email } : {}), ...(c.phone ? { phone: c.phone } : {}) } };
  }
  let location: CreateWorkOrderCommand['location'];
  if (p.location && 'address' in p.location) location = { address: p.location.address };
  else if (p.location && p.location.ref.system === system) location = { ref: p.location.ref };
  else if (p.location) location = { address: locationModel!.address };
  else if ('ref' in p.customer && p.customer.ref.system !== system && customerModel?.address) location = { address: customerModel.address };
  let equipment: CreateWorkOrderCommand['equipment'];
  if (p.equipment && 'new' in p.equipment) {
    const n = p.equipment.new;
    equipment = {
      model: n.model,
      ...(n.serialNumber ? { serialNumber: n.serialNumber } : {}),
      ...(n.manufacturer ? { manufacturer: n.manufacturer } : {}),
      ...(n.warranty ? { warranty: n.warranty.covered, ...(n.warranty.expiresOn ? { warrantyExpiresOn: n.warranty.expiresOn } : {}) } : {}),
    };
  } else if (p.equipment && p.equipment.ref.system === system) equipment = { ref: p.equipment.ref };
  else if (p.equipment && equipmentModel) {
    const e = equipmentModel;
    equipment = {
      model: e.model ?? e.name ?? e.type ?? 'unknown',
      ...(e.serialNumber ? { serialNumber: e.serialNumber } : {}),
      ...(e.manufacturer ? { manufacturer: e.manufacturer } : {}),
      ...(e.warranty ? { warranty: e.warranty.covered, ...(e.warranty.expiresOn ? { warrantyExpiresOn: e.warranty.expiresOn } : {}) } : {}),
    };
  }
  return {
    customer,
    ...(location ? { location } : {}),
    ...(equipment ? { equipment } : {}),
    serviceType: p.serviceType,
    ...(p.problemCode ? { problemCode: p.problemCode } : {}),
    summary: p.summary,
    priority: p.priority,
    ...(p.sla ? { sla: p.sla } : {}),
    ...(p.window ? { window: p.window } : {}),
    ...(p.technicians.length ? { technicianRefs: p.technicians } : {}),
    ...(p.parts.length
      ? { parts: p.parts.map((x) => ({ partNumber: x.partNumber, quantity: Number(x.quantity), ...(x.unitPrice ? { unitPrice: x.unitPrice } : {}), ...(x.description ? { description: x.description } : {}) })) }
      : {}),
    ...(p.notes ? { notes: p.notes } : {}),
  };
}

/** How far before the first attempt a record it made may be stamped (clock skew between us and the vendor). */
const LOOKUP_SKEW_MS = 10 * 60_000;

/** The work order an earlier attempt created, found by the reference stamped on it; null when there is none. */
async function findByReference(ctx: Context, system: VendorKey, reference: string, since: number, customer: RecordRef | undefined): Promise<WorkOrderModel | null> {
  const connector = ctx.connectors[system]!;
  const query = {
    ...(connector.capabilities.incremental.includes('workOrder') ? { updatedSince: new Date(since - LOOKUP_SKEW_MS).toISOString().replace(/\.\d{3}Z$/, 'Z') } : {}),
    ...(customer ? { customerId: customer.id } : {}),
  };
  for await (const w of connector.iterate('workOrder', query)) if (w.externalReference === reference) return w;
  return null;
}
