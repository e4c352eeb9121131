/**
 * ServicePower mapping: pure functions from the wire shapes of `wire.ts` to the canonical models,
 * from FieldGraph write commands to vendor request bodies, and the vendor's error codes and field
 * names. No I/O here; the client calls these. Timestamps, dates, text and phone numbers are
 * normalised by `core/normalize.ts`.
 */
import type { CreateWorkOrderCommand, DispatchCommand, SubmitClaimCommand, VendorFieldError } from '../types.js';
import type { ConnectorErrorKind } from '../types.js';
import { optionalText, phoneNumber, requireInstant, toCalendarDate } from '../core/normalize.js';
import type {
  Address,
  AppointmentModel,
  AppointmentStatus,
  ClaimModel,
  ClaimStatus,
  CrossReference,
  CustomerModel,
  EquipmentModel,
  LineItem,
  LocationModel,
  Money,
  Priority,
  RecordRef,
  TechnicianModel,
  WorkOrderModel,
  WorkOrderStatus,
} from '../../src/model/index.js';
import { fromCents, mulDiv, toCents } from '../../src/model/money.js';
import {
  parseVendorTimestamp,
  SERVICEPOWER_INSTANT,
  type ServicePowerClaimRequestWire,
  type ServicePowerClaimWire,
  type ServicePowerCreateWorkOrderWire,
  type ServicePowerCustomerWire,
  type ServicePowerDispatchRequestWire,
  type ServicePowerDispatchWire,
  type ServicePowerEmbeddedCustomerWire,
  type ServicePowerEmbeddedEquipmentWire,
  type ServicePowerEmbeddedLocationWire,
  type ServicePowerEquipmentWire,
  type ServicePowerLocationWire,
  type ServicePowerMoneyWire,
  type ServicePowerTechnicianWire,
  type ServicePowerWorkOrderWire,
} from './wire.js';

const SYSTEM = 'servicepower' as const;

/** ServicePower keeps no currency on its records: amounts are the tenant's currency (US dollars). */
export const SERVICEPOWER_CURRENCY = 'USD';

// ------------------------------------------------------------------------------ vocabularies

/** Work order `status` (seed: `new | scheduled | dispatched | in_progress | completed | cancelled | on_hold`). */
export const WORK_ORDER_STATUS: Readonly<Record<string, WorkOrderStatus>> = {
  new: 'NEW',
  scheduled: 'SCHEDULED',
  dispatched: 'DISPATCHED',
  in_progress: 'IN_PROGRESS',
  on_hold: 'ON_HOLD',
  completed: 'COMPLETED',
  cancelled: 'CANCELLED',
};

/** Dispatch (visit) `status`: `on_site` is the technician working at the site. */
export const APPOINTMENT_STATUS: Readonly<Record<string, AppointmentStatus>> = {
  scheduled: 'SCHEDULED',
  dispatched: 'DISPATCHED',
  on_site: 'IN_PROGRESS',
  completed: 'COMPLETED',
  cancelled: 'CANCELLED',
};

/** Claim `status`. */
export const CLAIM_STATUS: Readonly<Record<string, ClaimStatus>> = {
  submitted: 'SUBMITTED',
  under_review: 'UNDER_REVIEW',
  approved: 'APPROVED',
  rejected: 'REJECTED',
  paid: 'PAID',
};

/** SLA `priority` (seed shows `normal`, `high`); `emergency` is the vendor's top level. */
export const PRIORITY: Readonly<Record<string, Priority>> = {
  low: 'LOW',
  normal: 'NORMAL',
  high: 'HIGH',
  emergency: 'URGENT',
};

/** Canonical priority to the vendor's word, for writes. */
export const PRIORITY_TO_WIRE: Readonly<Record<Priority, string>> = {
  LOW: 'low',
  NORMAL: 'normal',
  HIGH: 'high',
  URGENT: 'emergency',
};

/** Canonical work order status to the vendor's words (for the `status` list filter). */
export const WORK_ORDER_STATUS_TO_WIRE: Readonly<Record<WorkOrderStatus, string | undefined>> = {
  NEW: 'new',
  SCHEDULED: 'scheduled',
  DISPATCHED: 'dispatched',
  IN_PROGRESS: 'in_progress',
  ON_HOLD: 'on_hold',
  COMPLETED: 'completed',
  CANCELLED: 'cancelled',
  UNKNOWN: undefined,
};

function word(value: string | null | undefined): string {
  return (value ?? '').trim().toLowerCase().replace(/[\s-]+/g, '_');
}

/** A vendor status word to the canonical work order status (UNKNOWN for words we do not know). */
export function workOrderStatusOf(value: string | null | undefined): WorkOrderStatus {
  return WORK_ORDER_STATUS[word(value)] ?? 'UNKNOWN';
}

/** A dispatch status word to the canonical appointment status. */
export function appointmentStatusOf(value: string | null | undefined): AppointmentStatus {
  return APPOINTMENT_STATUS[word(value)] ?? 'UNKNOWN';
}

/** A claim status word to the canonical claim status. */
export function claimStatusOf(value: string | null | undefined): ClaimStatus {
  return CLAIM_STATUS[word(value)] ?? 'UNKNOWN';
}

/** An SLA priority word to the canonical priority; undefined for words we do not know. */
export function priorityOf(value: string | null | undefined): Priority | undefined {
  return PRIORITY[word(value)];
}

/**
 * External reference conventions that name a record of another system. A ServicePower warranty
 * job raised from a ServiceTitan job carries `ST-JOB-<job number>` in `externalRef`.
 */
export const EXTERNAL_REF_PATTERNS: ReadonlyArray<{ pattern: RegExp; system: CrossReference['system'] }> = [
  { pattern: /^ST-JOB-(\d+)$/i, system: 'servicetitan' },
];

// ------------------------------------------------------------------------------ scalars

/** A vendor timestamp as ISO 8601 UTC with seconds (`2026-01-21T09:42:18Z`); throws a `RangeError` when unreadable. */
export function toUtc(value: string): string {
  return requireInstant(value, SERVICEPOWER_INSTANT);
}

function optUtc(value: string | null | undefined): string | undefined {
  return value ? toUtc(value) : undefined;
}

/** An amount (number or decimal string) as exact Money, rounded half up to cents. */
export function toMoney(value: ServicePowerMoneyWire, currency = SERVICEPOWER_CURRENCY): Money {
  return { amount: fromCents(toCents(value, true)), currency };
}

function centsOf(value: ServicePowerMoneyWire | null | undefined): number | undefined {
  return value === null || value === undefined ? undefined : toCents(value, true);
}

/** A decimal (number or string) as an exact ratio of integers: "1.25" -> 125/100. */
function ratioOf(value: number | string): { num: number; den: number } {
  const s = typeof value === 'number' ? String(value) : value.trim();
  const m = /^(-)?(\d+)(?:\.(\d+))?$/.exec(s);
  if (!m) throw new Error(`not a decimal: ${s}`);
  const frac = m[3] ?? '';
  const den = 10 ** frac.length;
  const num = Number(m[2]) * den + Number(frac || '0');
  return { num: m[1] ? -num : num, den };
}

/** A decimal string as the vendor wrote it ("2", "12.3"). */
function decimalString(value: number | string): string {
  const { num, den } = ratioOf(value);
  if (den === 1) return String(num);
  const digits = String(den).length - 1;
  const abs = Math.abs(num);
  return `${num < 0 ? '-' : ''}${Math.floor(abs / den)}.${String(abs % den).padStart(digits, '0')}`;
}

/** Minutes as hours with up to four decimals (at least two): 90 -> "1.50", 50 -> "0.8333". */
export function hoursOf(minutes: number): string {
  const tenThousandths = mulDiv(minutes, 10_000, 60);
  const frac = String(tenThousandths % 10_000).padStart(4, '0').replace(/0{1,2}$/, '');
  return `${Math.floor(tenThousandths / 10_000)}.${frac.length < 2 ? frac.padEnd(2, '0') : frac}`;
}

function address(a: {
  line1?: string | null;
  line2?: string | null;
  city?: string | null;
  region?: string | null;
  postalCode?: string | null;
  country?: string | null;
}): Address {
  return {
    line1: a.line1?.trim() ?? '',
    ...(optionalText(a.line2) ? { line2: optionalText(a.line2)! } : {}),
    city: a.city?.trim() ?? '',
    region: a.region?.trim().toUpperCase() ?? '',
    postalCode: a.postalCode?.trim() ?? '',
    country: a.country?.trim().toUpperCase() ?? '',
  };
}

function hasAddress(a: { line1?: string | null; city?: string | null } | null | undefined): boolean {
  return !!a && !!(optionalText(a.line1) || optionalText(a.city));
}

function ref(id: string): RecordRef {
  return { system: SYSTEM, id };
}

// ------------------------------------------------------------------------------ wire -> model

/** References to other systems read from an external reference (see {@link EXTERNAL_REF_PATTERNS}). */
export function crossReferencesOf(externalRef: string | null | undefined): CrossReference[] {
  const v = optionalText(externalRef);
  if (!v) return [];
  for (const { pattern, system } of EXTERNAL_REF_PATTERNS) {
    const m = pattern.exec(v);
    if (m) return [{ system, number: m[1]!, via: 'externalRef' }];
  }
  return [];
}

/**
 * The customer a work order embeds (`{customerId, name, phone, email}`), as a partial customer
 * model for priming loaders: no address, kind or timestamps; `active` is taken as true (a customer
 * with a work order). Undefined without a `customerId`.
 */
export function toEmbeddedCustomerModel(c: ServicePowerEmbeddedCustomerWire | null | undefined): CustomerModel | undefined {
  if (!c?.customerId) return undefined;
  const email = optionalText(c.email);
  const phone = phoneNumber(c.phone);
  return {
    ref: ref(c.customerId),
    name: c.name?.trim() ?? '',
    ...(email ? { email } : {}),
    ...(phone ? { phone } : {}),
    crossReferences: [],
    tags: [],
    active: true,
  };
}

/** The location a work order embeds (flat address fields), as a partial location model. */
export function toEmbeddedLocationModel(
  l: ServicePowerEmbeddedLocationWire | null | undefined,
  customerId: string | null | undefined,
): LocationModel | undefined {
  if (!l?.locationId) return undefined;
  return {
    ref: ref(l.locationId),
    ...(customerId ? { customerRef: ref(customerId) } : {}),
    address: address(l),
    active: true,
  };
}

/**
 * The unit a work order embeds, as a partial equipment model. Its `entitlement` is the warranty
 * entitlement the work order carries for the unit (see README).
 */
export function toEmbeddedEquipmentModel(
  e: ServicePowerEmbeddedEquipmentWire | null | undefined,
  locationId: string | null | undefined,
  customerId: string | null | undefined,
): EquipmentModel | undefined {
  if (!e?.equipmentId) return undefined;
  const serial = optionalText(e.serial);
  const model = optionalText(e.model);
  const ent = e.entitlement;
  return {
    ref: ref(e.equipmentId),
    ...(locationId ? { locationRef: ref(locationId) } : {}),
    ...(customerId ? { customerRef: ref(customerId) } : {}),
    ...(model ? { model } : {}),
    ...(serial ? { serialNumber: serial } : {}),
    ...(ent && typeof ent.warranty === 'boolean'
      ? { warranty: { covered: ent.warranty, ...(toCalendarDate(ent.expiresOn) ? { expiresOn: toCalendarDate(ent.expiresOn)! } : {}) } }
      : {}),
  };
}

/** A work order, with its embedded customer, location and unit in `embedded`. */
export function toWorkOrderModel(w: ServicePowerWorkOrderWire): WorkOrderModel {
  const customerId = optionalText(w.customer?.customerId);
  const locationId = optionalText(w.location?.locationId);
  const equipmentId = optionalText(w.equipment?.equipmentId);
  const priority = priorityOf(w.sla?.priority);
  const respondBy = optUtc(w.sla?.respondBy);
  const completeBy = optUtc(w.sla?.completeBy);
  const customer = toEmbeddedCustomerModel(w.customer);
  const location = toEmbeddedLocationModel(w.location, customerId);
  const equipment = toEmbeddedEquipmentModel(w.equipment, locationId, customerId);
  const embedded = {
    ...(customer ? { customer } : {}),
    ...(location ? { location } : {}),
    ...(equipment ? { equipment: [equipment] } : {}),
  };
  const externalReference = optionalText(w.externalRef);
  const summary = optionalText(w.notes);
  const createdAt = optUtc(w.createdAt);
  const updatedAt = optUtc(w.updatedAt);
  const completedAt = optUtc(w.completedAt);
  return {
    ref: ref(w.workOrderId),
    // ServicePower has no human work order number: the id is what its users see.
    number: w.workOrderId,
    status: workOrderStatusOf(w.status),
    sourceStatus: w.status,
    ...(priority ? { priority } : {}),
    ...(optionalText(w.serviceType) ? { serviceType: optionalText(w.serviceType)! } : {}),
    ...(optionalText(w.problemCode) ? { problemCode: optionalText(w.problemCode)! } : {}),
    ...(summary ? { summary } : {}),
    ...(customerId ? { customerRef: ref(customerId) } : {}),
    ...(locationId ? { locationRef: ref(locationId) } : {}),
    equipmentRefs: equipmentId ? [ref(equipmentId)] : [],
    technicianRefs: optionalText(w.assignedTechId) ? [ref(w.assignedTechId!.trim())] : [],
    ...(w.appointmentWindow ? { window: { start: toUtc(w.appointmentWindow.start), end: toUtc(w.appointmentWindow.end) } } : {}),
    ...(respondBy || completeBy ? { sla: { ...(respondBy ? { respondBy } : {}), ...(completeBy ? { completeBy } : {}) } } : {}),
    ...(externalReference ? { externalReference } : {}),
    crossReferences: crossReferencesOf(externalReference),
    parts: (w.partsRequired ?? []).map((p) => ({ partNumber: p.partNumber, quantity: decimalString(p.quantity) })),
    ...(Object.keys(embedded).length ? { embedded } : {}),
    ...(createdAt ? { createdAt } : {}),
    ...(updatedAt ? { updatedAt } : {}),
    ...(completedAt ? { completedAt } : {}),
  };
}

/** A dispatch as an appointment (one visit of the work order by one technician). */
export function toAppointmentModel(d: ServicePowerDispatchWire): AppointmentModel {
  const instructions = optionalText(d.instructions);
  const createdAt = optUtc(d.createdAt);
  const updatedAt = optUtc(d.updatedAt);
  return {
    ref: ref(d.dispatchId),
    workOrderRef: ref(d.workOrderId),
    status: appointmentStatusOf(d.status),
    sourceStatus: d.status,
    window: { start: toUtc(d.appointmentWindow.start), end: toUtc(d.appointmentWindow.end) },
    technicianRefs: optionalText(d.assignedTechId) ? [ref(d.assignedTechId!.trim())] : [],
    ...(instructions ? { instructions } : {}),
    ...(createdAt ? { createdAt } : {}),
    ...(updatedAt ? { updatedAt } : {}),
  };
}

/**
 * A claim with its lines: labor (hours x hourly rate), each part (quantity x unit cost) and travel
 * (one line of the vendor's travel amount; the miles and minutes are in its description). Amounts
 * are the vendor's; where it leaves one out it is computed exactly (labor, parts, total).
 */
export function toClaimModel(c: ServicePowerClaimWire, currency = SERVICEPOWER_CURRENCY): ClaimModel {
  const m = (cents: number): Money => ({ amount: fromCents(cents), currency });
  const lines: LineItem[] = [];
  if (c.labor) {
    const minutes = Number(c.labor.minutes);
    const rate = toCents(c.labor.rate, true);
    const amount = centsOf(c.labor.amount) ?? centsOf(c.totals?.labor) ?? mulDiv(rate, minutes, 60);
    lines.push({ code: 'LABOR', description: `Labor, ${decimalString(c.labor.minutes)} min`, quantity: hoursOf(minutes), unitPrice: m(rate), total: m(amount) });
  }
  for (const p of c.parts ?? []) {
    const unit = toCents(p.unitCost, true);
    const q = ratioOf(p.quantity);
    const amount = centsOf(p.amount) ?? mulDiv(unit, q.num, q.den);
    lines.push({ code: p.partNumber, description: p.partNumber, quantity: decimalString(p.quantity), unitPrice: m(unit), total: m(amount) });
  }
  const travelCents = c.travel ? (centsOf(c.travel.amount) ?? centsOf(c.totals?.travel)) : undefined;
  if (c.travel && travelCents !== undefined) {
    const minutes = c.travel.timeMinutes !== null && c.travel.timeMinutes !== undefined ? `, ${decimalString(c.travel.timeMinutes)} min` : '';
    lines.push({ code: 'TRAVEL', description: `Travel, ${decimalString(c.travel.miles)} mi${minutes}`, quantity: '1', unitPrice: m(travelCents), total: m(travelCents) });
  }
  const taxes = centsOf(c.taxes) ?? centsOf(c.totals?.taxes) ?? 0;
  const total = centsOf(c.total) ?? centsOf(c.totals?.total) ?? lines.reduce((s, l) => s + toCents(l.total.amount), 0) + taxes;
  const number = optionalText(c.referenceNumber);
  const createdAt = optUtc(c.createdAt);
  const updatedAt = optUtc(c.updatedAt);
  return {
    ref: ref(c.claimId),
    workOrderRef: ref(c.workOrderId),
    ...(number ? { number } : {}),
    claimType: optionalText(c.claimType) ?? 'warranty',
    status: claimStatusOf(c.status),
    sourceStatus: c.status,
    lineItems: lines,
    taxes: m(taxes),
    total: m(total),
    ...(c.resolution ? { resolution: { code: c.resolution.code, ...(optionalText(c.resolution.description) ? { description: optionalText(c.resolution.description)! } : {}) } } : {}),
    ...(createdAt ? { createdAt } : {}),
    ...(updatedAt ? { updatedAt } : {}),
  };
}

/** A customer. */
export function toCustomerModel(c: ServicePowerCustomerWire): CustomerModel {
  const kind = word(c.type) === 'residential' ? 'RESIDENTIAL' : word(c.type) === 'commercial' ? 'COMMERCIAL' : undefined;
  const email = optionalText(c.email);
  const phone = phoneNumber(c.phone);
  const createdAt = optUtc(c.createdAt);
  const updatedAt = optUtc(c.updatedAt);
  return {
    ref: ref(c.customerId),
    name: c.name.trim(),
    ...(kind ? { kind } : {}),
    ...(email ? { email } : {}),
    ...(phone ? { phone } : {}),
    ...(hasAddress(c.address) ? { address: address(c.address!) } : {}),
    crossReferences: [],
    tags: [],
    active: c.active ?? true,
    ...(createdAt ? { createdAt } : {}),
    ...(updatedAt ? { updatedAt } : {}),
  };
}

/** A service location. */
export function toLocationModel(l: ServicePowerLocationWire): LocationModel {
  const contactName = optionalText(l.contact?.name);
  const contactEmail = optionalText(l.contact?.email);
  const contactPhone = phoneNumber(l.contact?.phone);
  const hasContact = contactName || contactEmail || contactPhone;
  const createdAt = optUtc(l.createdAt);
  const updatedAt = optUtc(l.updatedAt);
  return {
    ref: ref(l.locationId),
    ...(optionalText(l.customerId) ? { customerRef: ref(l.customerId!.trim()) } : {}),
    ...(optionalText(l.name) ? { name: optionalText(l.name)! } : {}),
    address: address(l),
    ...(hasContact
      ? { contact: { ...(contactName ? { name: contactName } : {}), ...(contactEmail ? { email: contactEmail } : {}), ...(contactPhone ? { phone: contactPhone } : {}) } }
      : {}),
    active: l.active ?? true,
    ...(createdAt ? { createdAt } : {}),
    ...(updatedAt ? { updatedAt } : {}),
  };
}

/** A unit with its current warranty coverage. */
export function toEquipmentModel(e: ServicePowerEquipmentWire): EquipmentModel {
  const ent = e.entitlement;
  const expiresOn = toCalendarDate(ent?.expiresOn);
  const program = optionalText(ent?.program);
  const createdAt = optUtc(e.createdAt);
  const updatedAt = optUtc(e.updatedAt);
  return {
    ref: ref(e.equipmentId),
    ...(optionalText(e.locationId) ? { locationRef: ref(e.locationId!.trim()) } : {}),
    ...(optionalText(e.customerId) ? { customerRef: ref(e.customerId!.trim()) } : {}),
    ...(optionalText(e.type) ? { type: optionalText(e.type)! } : {}),
    ...(optionalText(e.manufacturer) ? { manufacturer: optionalText(e.manufacturer)! } : {}),
    ...(optionalText(e.model) ? { model: optionalText(e.model)! } : {}),
    ...(optionalText(e.serial) ? { serialNumber: optionalText(e.serial)! } : {}),
    ...(toCalendarDate(e.installedOn) ? { installedOn: toCalendarDate(e.installedOn)! } : {}),
    ...(ent && (typeof ent.warranty === 'boolean' || expiresOn || program)
      ? { warranty: { covered: ent.warranty ?? false, ...(expiresOn ? { expiresOn } : {}), ...(program ? { program } : {}) } }
      : {}),
    ...(createdAt ? { createdAt } : {}),
    ...(updatedAt ? { updatedAt } : {}),
  };
}

/** A technician, with the service provider (contractor company) they work for. */
export function toTechnicianModel(t: ServicePowerTechnicianWire): TechnicianModel {
  const email = optionalText(t.email);
  const phone = phoneNumber(t.phone);
  const createdAt = optUtc(t.createdAt);
  const updatedAt = optUtc(t.updatedAt);
  const capacity = t.capacity?.dailyAppointments;
  return {
    ref: ref(t.technicianId),
    name: t.name.trim(),
    ...(email ? { email } : {}),
    ...(phone ? { phone } : {}),
    skills: [...(t.skills ?? [])],
    ...(optionalText(t.region) ? { region: optionalText(t.region)! } : {}),
    ...(optionalText(t.providerId) ? { providerRef: ref(t.providerId!.trim()) } : {}),
    ...(typeof capacity === 'number' ? { dailyCapacity: capacity } : {}),
    active: t.active ?? true,
    ...(createdAt ? { createdAt } : {}),
    ...(updatedAt ? { updatedAt } : {}),
  };
}

// ------------------------------------------------------------------------------ command -> wire

/** A request body, or the command fields that cannot be sent to ServicePower. */
export type BodyResult<T> = { ok: true; body: T } | { ok: false; fieldErrors: VendorFieldError[] };

function vendorId(r: RecordRef, field: string, errors: VendorFieldError[]): string | undefined {
  if (r.system !== SYSTEM) {
    errors.push({ field, message: `A ${r.system} record cannot be used in ServicePower.` });
    return undefined;
  }
  return r.id;
}

/** A money amount as the JSON number the vendor reads (`"85.00"` -> 85); at most two decimals. */
function moneyNumber(value: string, field: string, errors: VendorFieldError[]): number {
  const v = value.trim();
  if (!/^\d+(\.\d{1,2})?$/.test(v)) {
    errors.push({ field, message: 'Must be a non-negative amount with at most two decimals.' });
    return 0;
  }
  // A decimal string with at most two places reads back exactly through JSON's shortest form.
  return Number(v);
}

function isInstant(value: string): boolean {
  return parseVendorTimestamp(value) !== undefined;
}

/**
 * `POST /work-orders` body of a create command. Our external reference goes into `externalRef`
 * (the look-up key of a retried create). The summary and notes go into `notes`, the vendor's one
 * free-text field. ServicePower needs a problem code and a service location (a new customer's
 * address stands for it), an SLA with both dates to carry a priority other than normal, and whole
 * part quantities. A window is set by dispatching, not at intake.
 */
export function toCreateWorkOrderBody(cmd: CreateWorkOrderCommand): BodyResult<ServicePowerCreateWorkOrderWire> {
  const errors: VendorFieldError[] = [];
  if (!cmd.externalReference.trim()) errors.push({ field: 'externalReference', message: 'Required.' });
  const problemCode = cmd.problemCode?.trim();
  if (!problemCode) errors.push({ field: 'problemCode', message: 'ServicePower needs a problem code.' });
  if (!cmd.serviceType.trim()) errors.push({ field: 'serviceType', message: 'Required.' });

  let customer: ServicePowerCreateWorkOrderWire['customer'] = {};
  let fallbackAddress: Address | undefined;
  if ('ref' in cmd.customer) {
    const id = vendorId(cmd.customer.ref, 'customer.ref', errors);
    if (id) customer = { customerId: id };
  } else {
    const n = cmd.customer.new;
    customer = {
      name: n.name,
      ...(n.phone ? { phone: n.phone } : {}),
      ...(n.email ? { email: n.email } : {}),
    };
    fallbackAddress = n.address;
  }

  let location: ServicePowerCreateWorkOrderWire['location'] = {};
  const addr = cmd.location && 'address' in cmd.location ? cmd.location.address : cmd.location ? undefined : fallbackAddress;
  if (cmd.location && 'ref' in cmd.location) {
    const id = vendorId(cmd.location.ref, 'location.ref', errors);
    if (id) location = { locationId: id };
  } else if (addr) {
    location = {
      line1: addr.line1,
      ...(addr.line2 ? { line2: addr.line2 } : {}),
      city: addr.city,
      region: addr.region,
      postalCode: addr.postalCode,
      country: addr.country,
    };
  } else {
    errors.push({ field: 'location', message: 'ServicePower needs the service location of an existing customer.' });
  }

  let equipment: ServicePowerCreateWorkOrderWire['equipment'];
  if (cmd.equipment && 'ref' in cmd.equipment) {
    const id = vendorId(cmd.equipment.ref, 'equipment.ref', errors);
    if (id) equipment = { equipmentId: id };
  } else if (cmd.equipment) {
    const e = cmd.equipment;
    equipment = {
      model: e.model,
      serial: e.serialNumber ?? null,
      ...(e.manufacturer ? { manufacturer: e.manufacturer } : {}),
      ...(e.warranty !== undefined || e.warrantyExpiresOn
        ? { entitlement: { warranty: e.warranty ?? false, ...(e.warrantyExpiresOn ? { expiresOn: e.warrantyExpiresOn } : {}) } }
        : {}),
    };
  }

  let sla: ServicePowerCreateWorkOrderWire['sla'];
  const respondBy = cmd.sla?.respondBy;
  const completeBy = cmd.sla?.completeBy;
  if (respondBy && completeBy) {
    if (!isInstant(respondBy)) errors.push({ field: 'sla.respondBy', message: 'Not a timestamp.' });
    if (!isInstant(completeBy)) errors.push({ field: 'sla.completeBy', message: 'Not a timestamp.' });
    sla = { respondBy, completeBy, priority: PRIORITY_TO_WIRE[cmd.priority] };
  } else if (respondBy || completeBy) {
    errors.push({ field: respondBy ? 'sla.completeBy' : 'sla.respondBy', message: 'ServicePower takes an SLA with both respondBy and completeBy.' });
  } else if (cmd.priority !== 'NORMAL') {
    errors.push({ field: 'sla', message: 'ServicePower carries a priority only in an SLA with respondBy and completeBy.' });
  }

  const partsRequired = (cmd.parts ?? []).map((p, i) => {
    if (!Number.isInteger(p.quantity) || p.quantity < 1) errors.push({ field: `parts.${i}.quantity`, message: 'ServicePower takes whole quantities of at least 1.' });
    return { partNumber: p.partNumber, quantity: p.quantity };
  });
  const notes = [cmd.summary.trim(), cmd.notes?.trim()].filter((x): x is string => !!x).join('\n\n');

  if (errors.length) return { ok: false, fieldErrors: errors };
  return {
    ok: true,
    body: {
      externalRef: cmd.externalReference,
      serviceType: cmd.serviceType,
      problemCode: problemCode!,
      customer,
      location,
      ...(equipment ? { equipment } : {}),
      ...(sla ? { sla } : {}),
      ...(partsRequired.length ? { partsRequired } : {}),
      ...(notes ? { notes } : {}),
    },
  };
}

/**
 * `POST /work-orders/{id}/dispatch` body. ServicePower assigns one technician of one provider per
 * visit; `providerId` is the technician's provider when the command names none. The vendor's
 * skill check stays on (its default).
 */
export function toDispatchBody(cmd: DispatchCommand, providerId: string): BodyResult<ServicePowerDispatchRequestWire> {
  const errors: VendorFieldError[] = [];
  if (cmd.technicianRefs.length !== 1) errors.push({ field: 'technicianRefs', message: 'ServicePower dispatches exactly one technician per visit.' });
  const techId = cmd.technicianRefs[0] ? vendorId(cmd.technicianRefs[0], 'technicianRefs.0', errors) : undefined;
  vendorId(cmd.workOrderRef, 'workOrderRef', errors);
  if (!isInstant(cmd.window.start)) errors.push({ field: 'window.start', message: 'Not a timestamp.' });
  if (!isInstant(cmd.window.end)) errors.push({ field: 'window.end', message: 'Not a timestamp.' });
  if (cmd.routeDate && !/^\d{4}-\d{2}-\d{2}$/.test(cmd.routeDate)) errors.push({ field: 'routeDate', message: 'Not a date (YYYY-MM-DD).' });
  if (errors.length || !techId) return { ok: false, fieldErrors: errors };
  return {
    ok: true,
    body: {
      assignedProviderId: providerId,
      assignedTechId: techId,
      appointmentWindow: { start: cmd.window.start, end: cmd.window.end },
      ...(cmd.routeDate ? { routeDate: cmd.routeDate } : {}),
      ...(cmd.instructions ? { instructions: cmd.instructions } : {}),
    },
  };
}

/**
 * `POST /claims` body. Money goes out as JSON numbers with at most two decimals, as in the seed's
 * example; `referenceNumber` is the look-up key of a retried submission.
 */
export function toClaimBody(cmd: SubmitClaimCommand): BodyResult<ServicePowerClaimRequestWire> {
  const errors: VendorFieldError[] = [];
  const workOrderId = vendorId(cmd.workOrderRef, 'workOrderRef', errors);
  if (!cmd.referenceNumber.trim()) errors.push({ field: 'referenceNumber', message: 'Required.' });
  if (!Number.isInteger(cmd.labor.minutes) || cmd.labor.minutes < 0) errors.push({ field: 'labor.minutes', message: 'Whole minutes, at least 0.' });
  const rate = moneyNumber(cmd.labor.rate, 'labor.rate', errors);
  const parts = cmd.parts.map((p, i) => {
    if (!Number.isInteger(p.quantity) || p.quantity < 1) errors.push({ field: `parts.${i}.quantity`, message: 'Whole quantities of at least 1.' });
    return { partNumber: p.partNumber, quantity: p.quantity, unitCost: moneyNumber(p.unitCost, `parts.${i}.unitCost`, errors) };
  });
  let travel: ServicePowerClaimRequestWire['travel'];
  if (cmd.travel) {
    if (!/^\d+(\.\d+)?$/.test(cmd.travel.miles.trim())) errors.push({ field: 'travel.miles', message: 'Must be a non-negative decimal.' });
    if (!Number.isInteger(cmd.travel.timeMinutes) || cmd.travel.timeMinutes < 0) errors.push({ field: 'travel.timeMinutes', message: 'Whole minutes, at least 0.' });
    travel = { miles: Number(cmd.travel.miles.trim()), timeMinutes: cmd.travel.timeMinutes };
  }
  const taxes = moneyNumber(cmd.taxes, 'taxes', errors);
  if (errors.length || !workOrderId) return { ok: false, fieldErrors: errors };
  return {
    ok: true,
    body: {
      workOrderId,
      claimType: cmd.claimType,
      referenceNumber: cmd.referenceNumber,
      labor: { minutes: cmd.labor.minutes, rate },
      parts,
      ...(travel ? { travel } : {}),
      taxes,
      attachments: cmd.attachments.map((a) => ({ fileName: a.fileName, uploadToken: a.uploadToken })),
      resolution: { code: cmd.resolution.code, ...(cmd.resolution.description ? { description: cmd.resolution.description } : {}) },
    },
  };
}

// ------------------------------------------------------------------------------ errors

/** The vendor's error codes to connector error kinds (the status decides for codes not listed). */
export const ERROR_CODE_KIND: Readonly<Record<string, ConnectorErrorKind>> = {
  validation_error: 'invalid_request',
  unprocessable: 'invalid_request',
  unauthorized: 'unauthorized',
  invalid_credentials: 'unauthorized',
  invalid_mfa: 'unauthorized',
  token_expired: 'unauthorized',
  forbidden: 'forbidden',
  not_found: 'not_found',
  method_not_allowed: 'invalid_request',
  conflict: 'conflict',
  rate_limited: 'rate_limited',
  server_error: 'unavailable',
  unavailable: 'unavailable',
};

/**
 * Vendor request fields to the command fields they come from, for user errors: a refused
 * `assignedTechId` is the dispatch's `technicianRefs`. Longest prefix wins; unknown fields pass.
 */
export const COMMAND_FIELD: Readonly<Record<string, string>> = {
  externalRef: 'externalReference',
  'customer.customerId': 'customer',
  customer: 'customer',
  'location.locationId': 'location',
  location: 'location',
  'equipment.equipmentId': 'equipment',
  'equipment.serial': 'equipment.serialNumber',
  equipment: 'equipment',
  'sla.priority': 'priority',
  sla: 'sla',
  partsRequired: 'parts',
  notes: 'notes',
  assignedTechId: 'technicianRefs',
  assignedProviderId: 'providerRef',
  appointmentWindow: 'window',
  routeDate: 'routeDate',
  workOrderId: 'workOrderRef',
};

/** The command field a vendor field came from. */
export function commandFieldOf(vendorField: string): string {
  let best: string | undefined;
  for (const key of Object.keys(COMMAND_FIELD)) {
    if ((vendorField === key || vendorField.startsWith(`${key}.`)) && (!best || key.length > best.length)) best = key;
  }
  if (!best) return vendorField;
  return COMMAND_FIELD[best]! + vendorField.slice(best.length);
}
