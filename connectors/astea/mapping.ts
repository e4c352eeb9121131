/**
 * Astea Alliance wire payloads to canonical models, commands to wire bodies, and the vendor's
 * validation errors to user errors. Pure functions: no I/O, no clock.
 */
import type { ConnectorError, DispatchCommand, RecordConsumptionCommand, VendorFieldError } from '../types.js';
import { money, toCents } from '../../src/model/money.js';
import { formatInstant, optionalText, parseInstant, phoneNumber, toCalendarDate, toInstant } from '../core/normalize.js';
import type {
  Address,
  AppointmentModel,
  AppointmentStatus,
  CustomerModel,
  EquipmentModel,
  InvoiceModel,
  InvoiceStatus,
  LineItem,
  LocationModel,
  Priority,
  RecordRef,
  TechnicianModel,
  Warranty,
  WorkOrderModel,
  WorkOrderStatus,
} from '../../src/model/index.js';
import type {
  AsteaAddressWire,
  AsteaAssetWire,
  AsteaAssignmentBodyWire,
  AsteaAssignmentCreatedWire,
  AsteaAssignmentWire,
  AsteaConsumptionBodyWire,
  AsteaConsumptionWire,
  AsteaCustomerWire,
  AsteaInvoiceWire,
  AsteaSiteWire,
  AsteaTechnicianWire,
  AsteaWorkOrderDetailWire,
  AsteaWorkOrderWire,
} from './wire.js';

const SYSTEM = 'astea' as const;

/** A reference to an Astea record. */
export function asteaRef(id: string): RecordRef {
  return { system: SYSTEM, id };
}

// ---------------------------------------------------------------- vocabulary

/** Alliance work order status words (seed document) to canonical statuses. */
export const WORK_ORDER_STATUS: Readonly<Record<string, WorkOrderStatus>> = {
  open: 'NEW',
  scheduled: 'SCHEDULED',
  en_route: 'DISPATCHED',
  on_site: 'IN_PROGRESS',
  completed: 'COMPLETED',
  cancelled: 'CANCELLED',
};

/** Alliance dispatch assignment status words to canonical appointment statuses. */
export const APPOINTMENT_STATUS: Readonly<Record<string, AppointmentStatus>> = {
  scheduled: 'SCHEDULED',
  en_route: 'DISPATCHED',
  on_site: 'IN_PROGRESS',
  completed: 'COMPLETED',
  cancelled: 'CANCELLED',
};

/** Alliance priority words to canonical priorities (there is no UNKNOWN priority: unknown words give none). */
export const PRIORITY: Readonly<Record<string, Priority>> = {
  low: 'LOW',
  medium: 'NORMAL',
  high: 'HIGH',
  critical: 'URGENT',
};

/** Alliance invoice status words to canonical invoice statuses. */
export const INVOICE_STATUS: Readonly<Record<string, InvoiceStatus>> = {
  open: 'OPEN',
  paid: 'PAID',
  void: 'VOID',
};

/** A vendor word in its table's form: lower case, `en route` / `en-route` as `en_route`, US `canceled` as `cancelled`. */
function word(value: string | null | undefined): string {
  const w = (value ?? '').trim().toLowerCase().replace(/[\s-]+/g, '_');
  return w === 'canceled' ? 'cancelled' : w;
}

function lookup<T extends string>(table: Readonly<Record<string, T>>, value: string | null | undefined): T | undefined {
  const w = word(value);
  return Object.hasOwn(table, w) ? table[w] : undefined;
}

/** Canonical work order status of an Alliance word; UNKNOWN for words not in {@link WORK_ORDER_STATUS}. */
export function toWorkOrderStatus(value: string | null | undefined): WorkOrderStatus {
  return lookup(WORK_ORDER_STATUS, value) ?? 'UNKNOWN';
}

/** Canonical appointment status of an Alliance assignment word; UNKNOWN when not in {@link APPOINTMENT_STATUS}. */
export function toAppointmentStatus(value: string | null | undefined): AppointmentStatus {
  return lookup(APPOINTMENT_STATUS, value) ?? 'UNKNOWN';
}

/** Canonical priority of an Alliance word; undefined when unknown. */
export function toPriority(value: string | null | undefined): Priority | undefined {
  return lookup(PRIORITY, value);
}

/** Canonical invoice status of an Alliance word; UNKNOWN when not in {@link INVOICE_STATUS}. */
export function toInvoiceStatus(value: string | null | undefined): InvoiceStatus {
  return lookup(INVOICE_STATUS, value) ?? 'UNKNOWN';
}

// ---------------------------------------------------------------- scalars

/** An Alliance timestamp in canonical form (`2026-01-21T13:45:00Z`); undefined when absent or unreadable. */
export { toInstant as toTimestamp };

/**
 * A quantity as an exact decimal string: numbers through their shortest decimal form (never
 * arithmetic), strings trimmed. `2` gives "2", `1.5` gives "1.5", `"3.50"` stays "3.50".
 */
export function toDecimal(value: number | string): string {
  if (typeof value === 'string') return value.trim();
  const s = String(value);
  if (!/e/i.test(s)) return s;
  // Exponent notation only for very large or very small numbers: expand without arithmetic.
  return value.toFixed(20).replace(/\.?0+$/, '');
}

/** An amount as canonical money (two places, half up). */
function toMoney(value: number | string, currency: string) {
  return money(value, currency);
}

function toAddress(a: AsteaAddressWire): Address {
  return {
    line1: a.line1,
    ...(optionalText(a.line2) ? { line2: optionalText(a.line2)! } : {}),
    city: a.city,
    region: a.region,
    postalCode: a.postalCode,
    country: optionalText(a.country) ?? 'US',
  };
}

function active(status: string | null | undefined): boolean {
  // Records without a status word are taken as active: Alliance only marks the inactive ones.
  return status == null || word(status) === 'active';
}

/** Puts `key: value` in the object only when value is defined (the models use optional fields, not undefined values). */
function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

// ---------------------------------------------------------------- reads

/**
 * A work order, from the list item or the detail. The site and the asset Alliance embeds become
 * `embedded.location` and `embedded.equipment` (partial models: the site's id and address, the
 * asset's id, serial number and model), so loaders can prime themselves. Only the detail carries
 * `serviceType`, `responseDueAt` and `completedAt`.
 */
export function toWorkOrderModel(w: AsteaWorkOrderWire | AsteaWorkOrderDetailWire): WorkOrderModel {
  const d = w as Partial<AsteaWorkOrderDetailWire>;
  const customerRef = asteaRef(w.customerId);
  const site = w.site ?? undefined;
  const asset = w.asset ?? undefined;
  const start = toInstant(w.appointmentWindow?.start);
  const end = toInstant(w.appointmentWindow?.end);
  const respondBy = toInstant(d.responseDueAt);
  const completeBy = toInstant(w.slaDueAt);

  const location: LocationModel | undefined =
    site?.address != null
      ? {
          ref: asteaRef(site.siteId),
          customerRef,
          address: toAddress(site.address),
          // A site work is booked for is a live site; the work order does not say more.
          active: true,
        }
      : undefined;
  const equipment: EquipmentModel | undefined = asset
    ? {
        ref: asteaRef(asset.assetId),
        ...opt('locationRef', site ? asteaRef(site.siteId) : undefined),
        customerRef,
        ...opt('model', optionalText(asset.model)),
        ...opt('serialNumber', optionalText(asset.serialNumber)),
      }
    : undefined;

  return {
    ref: asteaRef(w.workOrderId),
    number: optionalText(w.number) ?? w.workOrderId,
    status: toWorkOrderStatus(w.status),
    sourceStatus: w.status,
    ...opt('priority', toPriority(w.priority)),
    ...opt('serviceType', optionalText(d.serviceType)),
    ...opt('problemCode', optionalText(w.problemCode)),
    ...opt('summary', optionalText(w.description)),
    customerRef,
    ...opt('locationRef', site ? asteaRef(site.siteId) : undefined),
    equipmentRefs: asset ? [asteaRef(asset.assetId)] : [],
    technicianRefs: [...new Set(w.assignedTechnicianIds ?? [])].map(asteaRef),
    ...opt('window', start && end ? { start, end } : undefined),
    ...opt('sla', respondBy || completeBy ? { ...opt('respondBy', respondBy), ...opt('completeBy', completeBy) } : undefined),
    crossReferences: [],
    // Parts live on the consumptions tab (`GET /work-orders/{id}/consumptions`), not in the header.
    parts: [],
    ...opt(
      'embedded',
      location || equipment ? { ...opt('location', location), ...opt('equipment', equipment ? [equipment] : undefined) } : undefined,
    ),
    ...opt('createdAt', toInstant(w.reportedAt)),
    ...opt('updatedAt', toInstant(w.updatedAt)),
    ...opt('completedAt', toInstant(d.completedAt)),
  };
}

/** A dispatch assignment (one technician, one planned visit) as an appointment; also the create response. */
export function toAppointmentModel(a: AsteaAssignmentWire | AsteaAssignmentCreatedWire): AppointmentModel {
  const full = a as Partial<AsteaAssignmentWire>;
  return {
    ref: asteaRef(a.assignmentId),
    workOrderRef: asteaRef(a.workOrderId),
    status: toAppointmentStatus(a.status),
    sourceStatus: a.status,
    window: { start: toInstant(a.scheduledStart)!, end: toInstant(a.scheduledEnd)! },
    technicianRefs: a.technicianId ? [asteaRef(a.technicianId)] : [],
    ...opt('instructions', optionalText(full.note)),
    ...opt('createdAt', toInstant(a.createdAt)),
    ...opt('updatedAt', toInstant(full.updatedAt)),
  };
}

/** A customer account; `accountNumber` has no canonical field and is left out. */
export function toCustomerModel(c: AsteaCustomerWire): CustomerModel {
  const kind = word(c.type);
  return {
    ref: asteaRef(c.customerId),
    name: c.name.trim(),
    ...opt('kind', kind === 'residential' ? ('RESIDENTIAL' as const) : kind === 'commercial' ? ('COMMERCIAL' as const) : undefined),
    ...opt('email', optionalText(c.contact?.email)),
    ...opt('phone', phoneNumber(c.contact?.phone)),
    ...opt('address', c.billingAddress ? toAddress(c.billingAddress) : undefined),
    crossReferences: [],
    tags: c.tags ?? [],
    active: active(c.status),
    ...opt('createdAt', toInstant(c.createdAt)),
    ...opt('updatedAt', toInstant(c.updatedAt)),
  };
}

/** A service site. */
export function toLocationModel(s: AsteaSiteWire): LocationModel {
  const contact = s.contact
    ? { ...opt('name', optionalText(s.contact.name)), ...opt('email', optionalText(s.contact.email)), ...opt('phone', phoneNumber(s.contact.phone)) }
    : undefined;
  return {
    ref: asteaRef(s.siteId),
    ...opt('customerRef', s.customerId ? asteaRef(s.customerId) : undefined),
    ...opt('name', optionalText(s.name)),
    address: toAddress(s.address),
    ...opt('contact', contact && Object.keys(contact).length > 0 ? contact : undefined),
    active: active(s.status),
    ...opt('createdAt', toInstant(s.createdAt)),
    ...opt('updatedAt', toInstant(s.updatedAt)),
  };
}

/**
 * The warranty of an asset. `covered` is Alliance's own contract coverage flag (it says whether a
 * contract entitlement runs today); dates and program come from the manufacturer warranty, or from
 * the coverage when the unit has no manufacturer warranty on record.
 */
export function toWarranty(a: AsteaAssetWire): Warranty | undefined {
  const w = a.warranty ?? undefined;
  const c = a.coverage ?? undefined;
  if (!w && !c) return undefined;
  if (!w && !c?.covered && !c?.expiresOn) return { covered: false };
  return {
    covered: c?.covered === true,
    ...opt('startsOn', toCalendarDate(w?.startsOn)),
    ...opt('expiresOn', toCalendarDate(w?.expiresOn) ?? toCalendarDate(c?.expiresOn)),
    ...opt('program', optionalText(w?.program)),
  };
}

/** An installed-base asset. */
export function toEquipmentModel(a: AsteaAssetWire): EquipmentModel {
  return {
    ref: asteaRef(a.assetId),
    ...opt('locationRef', a.siteId ? asteaRef(a.siteId) : undefined),
    ...opt('customerRef', a.customerId ? asteaRef(a.customerId) : undefined),
    ...opt('name', optionalText(a.name)),
    ...opt('type', optionalText(a.type)),
    ...opt('manufacturer', optionalText(a.manufacturer)),
    ...opt('model', optionalText(a.model)),
    ...opt('serialNumber', optionalText(a.serialNumber)),
    ...opt('installedOn', toCalendarDate(a.installedOn)),
    ...opt('warranty', toWarranty(a)),
    ...opt('createdAt', toInstant(a.createdAt)),
    ...opt('updatedAt', toInstant(a.updatedAt)),
  };
}

/** A field technician. */
export function toTechnicianModel(t: AsteaTechnicianWire): TechnicianModel {
  return {
    ref: asteaRef(t.technicianId),
    name: t.name.trim(),
    ...opt('email', optionalText(t.email)),
    ...opt('phone', phoneNumber(t.phone)),
    skills: t.skills ?? [],
    ...opt('region', optionalText(t.region)),
    ...opt('dailyCapacity', t.dailyCapacity ?? undefined),
    active: active(t.status),
    ...opt('createdAt', toInstant(t.createdAt)),
    ...opt('updatedAt', toInstant(t.updatedAt)),
  };
}

/**
 * An invoice; amounts exact (numbers read through their decimal form, half up to cents). A missing
 * tax is zero; a missing balance is zero on a paid or void invoice and the total otherwise.
 */
export function toInvoiceModel(i: AsteaInvoiceWire): InvoiceModel {
  const currency = optionalText(i.currency)?.toUpperCase() ?? 'USD';
  const status = toInvoiceStatus(i.status);
  const lineItems: LineItem[] = (i.lines ?? []).map((l) => ({
    ...opt('code', optionalText(l.code)),
    description: optionalText(l.description) ?? optionalText(l.code) ?? '',
    quantity: toDecimal(l.quantity),
    unitPrice: toMoney(l.unitPrice, currency),
    total: toMoney(l.total, currency),
  }));
  return {
    ref: asteaRef(i.invoiceId),
    ...opt('number', optionalText(i.number)),
    ...opt('workOrderRef', i.workOrderId ? asteaRef(i.workOrderId) : undefined),
    ...opt('customerRef', i.customerId ? asteaRef(i.customerId) : undefined),
    ...opt('locationRef', i.siteId ? asteaRef(i.siteId) : undefined),
    status,
    sourceStatus: i.status,
    ...opt('issuedOn', toCalendarDate(i.issuedOn)),
    ...opt('dueOn', toCalendarDate(i.dueOn)),
    lineItems,
    subtotal: toMoney(i.subtotal, currency),
    tax: toMoney(i.tax ?? 0, currency),
    total: toMoney(i.total, currency),
    balance: toMoney(i.balance ?? (status === 'PAID' || status === 'VOID' ? 0 : i.total), currency),
    ...opt('createdAt', toInstant(i.createdAt)),
    ...opt('updatedAt', toInstant(i.updatedAt)),
  };
}

// ---------------------------------------------------------------- writes

/** A body, or the fields that keep it from being sent (named as the vendor names them). */
export type BodyOrErrors<T> = { body: T; errors?: undefined } | { body?: undefined; errors: VendorFieldError[] };

/** The Astea id of a ref, or undefined when it names another system. */
function idOf(ref: RecordRef | undefined): string | undefined {
  return ref && ref.system === SYSTEM && ref.id ? ref.id : undefined;
}

/** The body of `POST /work-orders/{id}/assignments` for one technician of a dispatch. */
export function toAssignmentBody(command: DispatchCommand, technicianIndex: number, notifyTechnician: boolean): BodyOrErrors<AsteaAssignmentBodyWire> {
  const errors: VendorFieldError[] = [];
  const technicianId = idOf(command.technicianRefs[technicianIndex]);
  if (!technicianId) errors.push({ field: 'technicianId', message: 'Not an Astea Alliance technician.' });
  const startMs = parseInstant(command.window.start);
  const endMs = parseInstant(command.window.end);
  if (startMs === undefined) errors.push({ field: 'scheduledStart', message: 'Not an ISO 8601 date-time.' });
  if (endMs === undefined) errors.push({ field: 'scheduledEnd', message: 'Not an ISO 8601 date-time.' });
  if (startMs !== undefined && endMs !== undefined && endMs <= startMs) errors.push({ field: 'scheduledEnd', message: 'Must be after scheduledStart.' });
  if (errors.length > 0) return { errors };
  return {
    body: {
      technicianId: technicianId!,
      scheduledStart: formatInstant(startMs!),
      scheduledEnd: formatInstant(endMs!),
      notifyTechnician,
      ...opt('note', optionalText(command.instructions)),
    },
  };
}

const DECIMAL_2 = /^\d+(\.\d{1,2})?$/;

/** A positive decimal string with at most two places as a JSON number (Alliance bills in hundredths). */
function hundredths(value: string): number | undefined {
  const s = value.trim();
  if (!DECIMAL_2.test(s)) return undefined;
  const n = Number(s);
  return n > 0 ? n : undefined;
}

/** The body of `POST /work-orders/{id}/consumptions`: quantities and hours as exact two-place numbers. */
export function toConsumptionBody(command: RecordConsumptionCommand): BodyOrErrors<AsteaConsumptionBodyWire> {
  const errors: VendorFieldError[] = [];
  if (command.parts.length + command.labor.length === 0) errors.push({ field: 'parts', message: 'Record at least one part or labor entry.' });
  const parts = command.parts.map((p, i) => {
    const quantity = hundredths(p.quantity);
    if (quantity === undefined) errors.push({ field: `parts.${i}.quantity`, message: 'Must be a positive number with at most two decimal places.' });
    if (!p.partNumber.trim()) errors.push({ field: `parts.${i}.partNumber`, message: 'Required.' });
    return {
      partNumber: p.partNumber.trim(),
      ...opt('description', optionalText(p.description)),
      quantity: quantity ?? 0,
      uom: optionalText(p.uom) ?? 'EA',
      serialNumbers: [] as string[],
    };
  });
  const labor = command.labor.map((l, i) => {
    const technicianId = idOf(l.technicianRef);
    const hours = hundredths(l.hours);
    const startMs = parseInstant(l.startAt);
    const endMs = parseInstant(l.endAt);
    if (!technicianId) errors.push({ field: `labor.${i}.technicianId`, message: 'Not an Astea Alliance technician.' });
    if (hours === undefined) errors.push({ field: `labor.${i}.hours`, message: 'Must be a positive number with at most two decimal places.' });
    if (startMs === undefined) errors.push({ field: `labor.${i}.startAt`, message: 'Not an ISO 8601 date-time.' });
    if (endMs === undefined) errors.push({ field: `labor.${i}.endAt`, message: 'Not an ISO 8601 date-time.' });
    if (startMs !== undefined && endMs !== undefined && endMs <= startMs) errors.push({ field: `labor.${i}.endAt`, message: 'Must be after startAt.' });
    return {
      technicianId: technicianId ?? '',
      laborType: word(l.laborType) || 'regular',
      hours: hours ?? 0,
      ...opt('startAt', startMs === undefined ? undefined : formatInstant(startMs)),
      ...opt('endAt', endMs === undefined ? undefined : formatInstant(endMs)),
      ...opt('notes', optionalText(l.notes)),
    };
  });
  return errors.length > 0 ? { errors } : { body: { parts, labor } };
}

/**
 * What identifies a consumption's content, for finding one whose create response was lost:
 * its part lines (number, quantity in hundredths, unit) and labor lines (technician, type, hours in
 * hundredths, start, end), order-free.
 */
export function consumptionFingerprint(c: AsteaConsumptionBodyWire | AsteaConsumptionWire): string {
  const hundredthsOf = (v: number | string): string => String(toCents(typeof v === 'number' ? v : v.trim(), true));
  const parts = c.parts.map((p) => `P|${p.partNumber}|${hundredthsOf(p.quantity)}|${(p.uom ?? 'EA').toUpperCase()}`);
  const labor = c.labor.map(
    (l) => `L|${l.technicianId ?? ''}|${word(l.laborType) || 'regular'}|${hundredthsOf(l.hours)}|${parseInstant(l.startAt) ?? ''}|${parseInstant(l.endAt) ?? ''}`,
  );
  return [...parts, ...labor].sort().join('\n');
}

/** True when the assignment is the visit `body` asked for (same technician and window) and still live. */
export function isSameAssignment(a: AsteaAssignmentWire, body: AsteaAssignmentBodyWire): boolean {
  return (
    a.technicianId === body.technicianId &&
    parseInstant(a.scheduledStart) === parseInstant(body.scheduledStart) &&
    parseInstant(a.scheduledEnd) === parseInstant(body.scheduledEnd) &&
    toAppointmentStatus(a.status) !== 'CANCELLED'
  );
}

// ---------------------------------------------------------------- user errors

/** Codes of the graph's `UserErrorCode` enum that Alliance refusals translate to. */
export type UserErrorCode = 'INVALID' | 'REQUIRED' | 'NOT_FOUND' | 'CONFLICT' | 'NOT_ALLOWED' | 'SLOT_UNAVAILABLE';

/** A refusal as the graph reports it: `field` is the path in the mutation input (null: the whole input). */
export interface UserErrorLike {
  code: UserErrorCode;
  field: string[] | null;
  message: string;
}

/** The input path of a vendor field of a dispatch (`technicianIndex`: the technician whose assignment failed). */
function dispatchField(field: string, technicianIndex: number | undefined): string[] | null {
  switch (field) {
    case 'technicianId':
      return technicianIndex === undefined ? ['technicianRefs'] : ['technicianRefs', String(technicianIndex)];
    case 'scheduledStart':
      return ['window', 'start'];
    case 'scheduledEnd':
      return ['window', 'end'];
    case 'note':
      return ['instructions'];
    case 'status':
    case 'workOrderId':
      return ['workOrderRef'];
    default:
      return null;
  }
}

/** The input path of a vendor field of a consumption (`labor.0.technicianId` is `labor.0.technicianRef`). */
function consumptionField(field: string): string[] | null {
  if (field === 'status' || field === 'workOrderId') return ['workOrderRef'];
  const m = /^(parts|labor)(?:\.(\d+)(?:\.(\w+))?)?$/.exec(field);
  if (!m) return null;
  const [, list, index, leaf] = m;
  const path = [list!];
  if (index !== undefined) path.push(index);
  if (leaf !== undefined) path.push(leaf === 'technicianId' ? 'technicianRef' : leaf);
  return path;
}

function codeOf(error: ConnectorError, message: string): UserErrorCode | undefined {
  const vendorCode = error.vendorCode ?? '';
  if (vendorCode === 'schedule_conflict') return 'SLOT_UNAVAILABLE';
  if (vendorCode === 'skill_mismatch') return 'NOT_ALLOWED';
  switch (error.kind) {
    case 'not_found':
      return 'NOT_FOUND';
    case 'conflict':
      return 'CONFLICT';
    case 'forbidden':
      return 'NOT_ALLOWED';
    case 'invalid_request':
      // 422 `unprocessable`: a referenced record does not exist (or cannot be used).
      if (error.status === 422 || vendorCode === 'unprocessable') return 'NOT_FOUND';
      return /required|expected .*received undefined/i.test(message) ? 'REQUIRED' : 'INVALID';
    default:
      return undefined;
  }
}

/**
 * Translates an Alliance refusal of a write into user errors: vendor field names become input
 * paths of the command, vendor codes become `UserErrorCode`s. Empty for failures that are not the
 * caller's to fix (outages, timeouts, auth): those stay system errors.
 */
export function toUserErrors(error: ConnectorError, command: 'dispatch' | 'recordConsumption', context: { technicianIndex?: number } = {}): UserErrorLike[] {
  const top = codeOf(error, error.message);
  if (!top) return [];
  const field = (f: string): string[] | null => (command === 'dispatch' ? dispatchField(f, context.technicianIndex) : consumptionField(f));
  if (error.fieldErrors.length === 0) {
    return [{ code: top, field: error.kind === 'not_found' ? ['workOrderRef'] : null, message: error.message }];
  }
  return error.fieldErrors.map((fe) => ({ code: codeOf(error, fe.message) ?? top, field: field(fe.field), message: fe.message }));
}
