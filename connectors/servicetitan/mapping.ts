/**
 * Pure mappings between ServiceTitan wire payloads and the canonical models: the vendor's status,
 * priority and cadence words as tables (UNKNOWN for words we do not know), timestamps to ISO 8601
 * UTC, money to exact decimal strings, `externalData` entries to cross references, and commands to
 * request bodies. Nothing here does I/O; every function is deterministic in its arguments.
 */
import type {
  Address,
  AppointmentModel,
  AppointmentStatus,
  BillingCadence,
  CrossReference,
  CustomerModel,
  EquipmentModel,
  InvoiceModel,
  InvoiceStatus,
  LineItem,
  LocationModel,
  MembershipModel,
  MembershipStatus,
  Priority,
  RecordRef,
  TechnicianModel,
  TimeWindow,
  Warranty,
  WorkOrderModel,
  WorkOrderStatus,
} from '../../src/model/index.js';
import { money, toCents } from '../../src/model/money.js';
import { phoneNumber, requireInstant, toCalendarDate, type InstantSyntax } from '../core/normalize.js';
import type { CreateWorkOrderCommand, EnrollMembershipCommand, VendorFieldError } from '../types.js';
import { VENDOR_KEYS, type VendorKey } from '../vendors.js';
import type {
  ServiceTitanAddressInWire,
  ServiceTitanAddressWire,
  ServiceTitanAppointmentAddWire,
  ServiceTitanAppointmentWire,
  ServiceTitanContactInWire,
  ServiceTitanContactWire,
  ServiceTitanCustomerCreateWire,
  ServiceTitanCustomerWire,
  ServiceTitanCustomFieldWire,
  ServiceTitanDurationBillingWire,
  ServiceTitanExternalDatumWire,
  ServiceTitanInstalledEquipmentWire,
  ServiceTitanInvoiceItemWire,
  ServiceTitanInvoiceWire,
  ServiceTitanJobCreateWire,
  ServiceTitanJobWire,
  ServiceTitanLocationCreateWire,
  ServiceTitanLocationWire,
  ServiceTitanMembershipSaleWire,
  ServiceTitanMembershipWire,
  ServiceTitanProblemWire,
  ServiceTitanRescheduleWire,
  ServiceTitanTechnicianWire,
} from './wire.js';

const ST = 'servicetitan' as const;

/** A ServiceTitan record reference. */
export function stRef(id: string): RecordRef {
  return { system: ST, id };
}

// ------------------------------------------------------------------------------ vocabularies

/** Job status (`jobStatus`) to the canonical work order status. */
export const WORK_ORDER_STATUS: Readonly<Record<string, WorkOrderStatus>> = {
  Scheduled: 'SCHEDULED',
  Dispatched: 'DISPATCHED',
  InProgress: 'IN_PROGRESS',
  Hold: 'ON_HOLD',
  Completed: 'COMPLETED',
  Canceled: 'CANCELLED',
};

/** Appointment status to the canonical appointment status (`Working` is on site, `Done` finished). */
export const APPOINTMENT_STATUS: Readonly<Record<string, AppointmentStatus>> = {
  Scheduled: 'SCHEDULED',
  Dispatched: 'DISPATCHED',
  Working: 'IN_PROGRESS',
  Hold: 'ON_HOLD',
  Done: 'COMPLETED',
  Canceled: 'CANCELLED',
};

/** Job priority to the canonical priority (an unknown word leaves the priority unset). */
export const PRIORITY: Readonly<Record<string, Priority>> = { Low: 'LOW', Normal: 'NORMAL', High: 'HIGH', Urgent: 'URGENT' };

/** Canonical priority to the job priority of a create body. */
export const PRIORITY_TO_VENDOR: Readonly<Record<Priority, 'Low' | 'Normal' | 'High' | 'Urgent'>> = { LOW: 'Low', NORMAL: 'Normal', HIGH: 'High', URGENT: 'Urgent' };

/** Membership status to the canonical status; `Deleted` (removed in the office) reads as cancelled. */
export const MEMBERSHIP_STATUS: Readonly<Record<string, MembershipStatus>> = {
  Active: 'ACTIVE',
  Suspended: 'SUSPENDED',
  Expired: 'EXPIRED',
  Canceled: 'CANCELLED',
  Deleted: 'CANCELLED',
};

/** Membership billing frequency to the canonical cadence (OneTime, EveryOtherMonth and BiAnnual have none). */
export const BILLING_CADENCE: Readonly<Record<string, BillingCadence>> = { Monthly: 'MONTHLY', Quarterly: 'QUARTERLY', Annual: 'ANNUAL' };

/** Canonical cadence to the membership billing frequency. */
export const CADENCE_TO_VENDOR: Readonly<Record<BillingCadence, string>> = { MONTHLY: 'Monthly', QUARTERLY: 'Quarterly', ANNUAL: 'Annual' };

/** Canonical work order statuses a status write can reach, and the job call that does it. */
export const STATUS_WRITE: Readonly<Partial<Record<WorkOrderStatus, 'cancel' | 'hold' | 'complete' | 'reinstate'>>> = {
  CANCELLED: 'cancel',
  ON_HOLD: 'hold',
  COMPLETED: 'complete',
  SCHEDULED: 'reinstate',
};

/**
 * Custom field names (tenant configuration: matched case- and space-insensitively) the mapping
 * reads canonical fields from. Tenants name their custom fields freely; these are the names the
 * FieldGraph tenants use.
 */
export const CUSTOM_FIELD_NAMES = {
  problemCode: ['Problem Code'],
  respondBy: ['Respond By'],
  completeBy: ['Complete By'],
  warrantyProgram: ['Warranty Program'],
  skills: ['Skills'],
  dailyCapacity: ['Daily Capacity'],
  region: ['Service Region', 'Region'],
} as const;

/** The `externalData` key under which FieldGraph stamps its external reference on jobs, customers and locations. */
export const EXTERNAL_REFERENCE_KEY = 'fieldgraphReference';

function word(table: Readonly<Record<string, string>>, value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  if (table[value] !== undefined) return table[value];
  const lower = value.replace(/[\s_-]/g, '').toLowerCase();
  const key = Object.keys(table).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : table[key];
}

// ------------------------------------------------------------------------------ scalars

/**
 * How ServiceTitan writes date/times: `Z` or an offset, fractions of any length (.NET writes 7
 * digits; dropped), no seconds, a date alone (midnight), a lower-case `t`, and no zone at all
 * (read as UTC, as ServiceTitan documents every date/time).
 */
export const SERVICETITAN_INSTANT: InstantSyntax = { dateOnly: true, lowercaseT: true };

/**
 * A vendor date/time as ISO 8601 UTC with seconds (`2026-01-21T09:42:18Z`), read as
 * {@link SERVICETITAN_INSTANT} allows. Throws a `RangeError` on anything else.
 */
export function toUtc(value: string): string {
  return requireInstant(value, SERVICETITAN_INSTANT);
}

/** `toUtc` for optional values (null, undefined and blank give undefined). */
export function optUtc(value: string | null | undefined): string | undefined {
  return value && value.trim() ? toUtc(value) : undefined;
}

/**
 * The calendar date (`YYYY-MM-DD`) of a date or date/time as the vendor wrote it. ServiceTitan
 * sends dates as midnight date/times (`2018-08-08T00:00:00Z`); the written date is the date meant,
 * whatever the zone. Throws a `RangeError` when the value is not a date/time `toUtc` reads.
 */
export function optDate(value: string | null | undefined): string | undefined {
  if (!value || !value.trim()) return undefined;
  toUtc(value);
  return toCalendarDate(value);
}

/** A decimal quantity as a string ("2.50", 1 -> "1"). */
export function decimalString(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') return '0';
  const s = typeof value === 'number' ? String(value) : value.trim();
  if (!/^-?\d+(\.\d+)?$/.test(s)) throw new Error(`not a decimal: ${s}`);
  return s;
}

const COUNTRY: Readonly<Record<string, string>> = { USA: 'US', 'UNITED STATES': 'US', 'UNITED STATES OF AMERICA': 'US', CAN: 'CA', CANADA: 'CA', MEX: 'MX', MEXICO: 'MX' };

/** ISO 3166-1 alpha-2 of a country as ServiceTitan writes it (`USA` by default); US when blank. */
export function countryCode(value: string | null | undefined): string {
  const v = (value ?? '').trim().toUpperCase();
  if (!v) return 'US';
  return COUNTRY[v] ?? v;
}

/** A ServiceTitan address as a canonical address. */
export function toAddress(a: ServiceTitanAddressWire): Address {
  return {
    line1: (a.street ?? '').trim(),
    ...(a.unit && a.unit.trim() ? { line2: a.unit.trim() } : {}),
    city: (a.city ?? '').trim(),
    region: (a.state ?? '').trim(),
    postalCode: (a.zip ?? '').trim(),
    country: countryCode(a.country),
  };
}

/** A canonical address in a request body (country as ServiceTitan writes it for the US). */
export function toAddressIn(a: Address): ServiceTitanAddressInWire {
  return {
    street: a.line1,
    ...(a.line2 ? { unit: a.line2 } : {}),
    city: a.city,
    state: a.region,
    zip: a.postalCode,
    country: a.country.toUpperCase() === 'US' ? 'USA' : a.country,
  };
}

function customField(fields: readonly ServiceTitanCustomFieldWire[], names: readonly string[]): string | undefined {
  const wanted = new Set(names.map((n) => n.replace(/\s+/g, '').toLowerCase()));
  const f = fields.find((x) => x.name && wanted.has(x.name.replace(/\s+/g, '').toLowerCase()));
  const v = f?.value?.trim();
  return v ? v : undefined;
}

const XREF_KEY = new RegExp(`^(${VENDOR_KEYS.join('|')})(WorkOrder|Job|Customer|Location|Equipment)(Id|Number)$`, 'i');

/**
 * Cross references in `externalData`: entries named `<vendor><Record>Id` or `<vendor><Record>Number`
 * (e.g. `servicepowerWorkOrderId`, `seraCustomerId`) name the same record in another system.
 */
export function crossReferencesOf(entries: readonly ServiceTitanExternalDatumWire[]): CrossReference[] {
  const out: CrossReference[] = [];
  for (const e of entries) {
    const m = XREF_KEY.exec(e.key);
    const value = e.value.trim();
    if (!m || !value) continue;
    const system = m[1]!.toLowerCase() as VendorKey;
    out.push({ system, ...(m[3]!.toLowerCase() === 'id' ? { id: value } : { number: value }), via: `externalData.${e.key}` });
  }
  return out;
}

/** Our external reference stamped on a record, if any. */
export function externalReferenceOf(entries: readonly ServiceTitanExternalDatumWire[]): string | undefined {
  const v = entries.find((e) => e.key === EXTERNAL_REFERENCE_KEY)?.value.trim();
  return v ? v : undefined;
}

function timestamps(w: { createdOn?: string | null | undefined; modifiedOn?: string | null | undefined }): { createdAt?: string; updatedAt?: string } {
  const createdAt = optUtc(w.createdOn);
  const updatedAt = optUtc(w.modifiedOn);
  return { ...(createdAt ? { createdAt } : {}), ...(updatedAt ? { updatedAt } : {}) };
}

// ------------------------------------------------------------------------------ reads

/**
 * A customer. Email and phone are not on the customer payload: they come from its contacts
 * (`customers/{id}/contacts`), passed as `contacts` when they were read. The first Email contact is
 * the email, the first Phone or MobilePhone contact the phone (E.164 when readable).
 */
export function toCustomerModel(w: ServiceTitanCustomerWire, contacts?: readonly ServiceTitanContactWire[]): CustomerModel {
  const email = contacts?.find((c) => c.type.toLowerCase() === 'email' && c.value?.trim())?.value?.trim();
  const phone = phoneNumber(contacts?.find((c) => /^(phone|mobilephone)$/i.test(c.type) && c.value?.trim())?.value);
  const kind = w.type ? word({ Residential: 'RESIDENTIAL', Commercial: 'COMMERCIAL' }, w.type) : undefined;
  const address = w.address && (w.address.street || w.address.city) ? toAddress(w.address) : undefined;
  return {
    ref: stRef(w.id),
    name: w.name.trim(),
    ...(kind ? { kind: kind as 'RESIDENTIAL' | 'COMMERCIAL' } : {}),
    ...(email ? { email } : {}),
    ...(phone ? { phone } : {}),
    ...(address ? { address } : {}),
    crossReferences: crossReferencesOf(w.externalData),
    ...(w.balance !== null && w.balance !== undefined ? { balance: money(w.balance) } : {}),
    // Tags are tag type ids; their names need the tenant's tag-types list (not read here).
    tags: [],
    active: w.active ?? true,
    ...timestamps(w),
  };
}

/** A location (its contacts are a sub-resource, not read). */
export function toLocationModel(w: ServiceTitanLocationWire): LocationModel {
  return {
    ref: stRef(w.id),
    ...(w.customerId ? { customerRef: stRef(w.customerId) } : {}),
    ...(w.name?.trim() ? { name: w.name.trim() } : {}),
    address: toAddress(w.address),
    active: w.active ?? true,
    ...timestamps(w),
  };
}

/**
 * Installed equipment. The warranty is the manufacturer's, or the service provider's when the unit
 * has no manufacturer dates; `covered` says whether `today` (`YYYY-MM-DD`) falls within it.
 */
export function toEquipmentModel(w: ServiceTitanInstalledEquipmentWire, today: string): EquipmentModel {
  const useMaker = Boolean(w.manufacturerWarrantyStart || w.manufacturerWarrantyEnd);
  const startsOn = optDate(useMaker ? w.manufacturerWarrantyStart : w.serviceProviderWarrantyStart);
  const expiresOn = optDate(useMaker ? w.manufacturerWarrantyEnd : w.serviceProviderWarrantyEnd);
  const program = customField(w.customFields, CUSTOM_FIELD_NAMES.warrantyProgram);
  let warranty: Warranty | undefined;
  if (startsOn || expiresOn || program) {
    const covered = (startsOn === undefined || startsOn <= today) && expiresOn !== undefined && today <= expiresOn;
    warranty = { covered, ...(startsOn ? { startsOn } : {}), ...(expiresOn ? { expiresOn } : {}), ...(program ? { program } : {}) };
  }
  const installedOn = optDate(w.installedOn);
  return {
    ref: stRef(w.id),
    ...(w.locationId ? { locationRef: stRef(w.locationId) } : {}),
    ...(w.customerId ? { customerRef: stRef(w.customerId) } : {}),
    ...(w.name?.trim() ? { name: w.name.trim() } : {}),
    ...(w.type?.trim() ? { type: w.type.trim() } : {}),
    ...(w.manufacturer?.trim() ? { manufacturer: w.manufacturer.trim() } : {}),
    ...(w.model?.trim() ? { model: w.model.trim() } : {}),
    ...(w.serialNumber?.trim() ? { serialNumber: w.serialNumber.trim() } : {}),
    ...(installedOn ? { installedOn } : {}),
    ...(warranty ? { warranty } : {}),
    ...timestamps(w),
  };
}

/** A technician; skills, region and daily capacity come from the tenant's custom fields (region falls back to the team). */
export function toTechnicianModel(w: ServiceTitanTechnicianWire): TechnicianModel {
  const skills = customField(w.customFields, CUSTOM_FIELD_NAMES.skills);
  const region = customField(w.customFields, CUSTOM_FIELD_NAMES.region) ?? (w.team?.trim() || undefined);
  const capacity = customField(w.customFields, CUSTOM_FIELD_NAMES.dailyCapacity);
  const phone = phoneNumber(w.phoneNumber);
  return {
    ref: stRef(w.id),
    name: w.name.trim(),
    ...(w.email?.trim() ? { email: w.email.trim() } : {}),
    ...(phone ? { phone } : {}),
    skills: skills ? skills.split(/[,;]/).map((s) => s.trim()).filter(Boolean) : [],
    ...(region ? { region } : {}),
    ...(capacity && /^\d+$/.test(capacity) ? { dailyCapacity: Number(capacity) } : {}),
    active: w.active ?? true,
    ...timestamps(w),
  };
}

/**
 * Ids of ALL a job's appointments when the job's own record names them all: none
 * (`appointmentCount` 0), or one or two, which are its first and last appointment. Undefined when
 * the job has more (or the payload lacks the count or an id): those need a read by `jobId`.
 */
export function appointmentIdsOf(w: Pick<ServiceTitanJobWire, 'appointmentCount' | 'firstAppointmentId' | 'lastAppointmentId'>): string[] | undefined {
  const n = w.appointmentCount;
  if (n === 0) return [];
  if (n === 1 && w.firstAppointmentId) return [w.firstAppointmentId];
  if (n === 2 && w.firstAppointmentId && w.lastAppointmentId && w.firstAppointmentId !== w.lastAppointmentId) return [w.firstAppointmentId, w.lastAppointmentId];
  return undefined;
}

/**
 * A job. Jobs carry no technicians (they are on appointment assignments), no planned window (it is
 * on the appointments), no parts (they are invoice items) and a job type id, not a name: those
 * canonical fields stay empty here. Problem code and SLA come from the tenant's custom fields.
 * `appointmentIds` lists the job's visits when the job names them all ({@link appointmentIdsOf}).
 */
export function toWorkOrderModel(w: ServiceTitanJobWire): WorkOrderModel {
  const sourceStatus = w.jobStatus;
  const priority = w.priority ? (word(PRIORITY, w.priority) as Priority | undefined) : undefined;
  const problemCode = customField(w.customFields, CUSTOM_FIELD_NAMES.problemCode);
  const respondBy = slaStamp(customField(w.customFields, CUSTOM_FIELD_NAMES.respondBy));
  const completeBy = slaStamp(customField(w.customFields, CUSTOM_FIELD_NAMES.completeBy));
  const externalReference = externalReferenceOf(w.externalData);
  const completedAt = optUtc(w.completedOn);
  const appointmentIds = appointmentIdsOf(w);
  return {
    ref: stRef(w.id),
    number: w.jobNumber?.trim() || w.id,
    status: (word(WORK_ORDER_STATUS, sourceStatus) as WorkOrderStatus | undefined) ?? 'UNKNOWN',
    sourceStatus,
    ...(priority ? { priority } : {}),
    ...(problemCode ? { problemCode } : {}),
    ...(w.summary?.trim() ? { summary: w.summary.trim() } : {}),
    ...(w.customerId ? { customerRef: stRef(w.customerId) } : {}),
    ...(w.locationId ? { locationRef: stRef(w.locationId) } : {}),
    equipmentRefs: w.equipmentIds.map(stRef),
    technicianRefs: [],
    ...(respondBy || completeBy ? { sla: { ...(respondBy ? { respondBy } : {}), ...(completeBy ? { completeBy } : {}) } } : {}),
    ...(externalReference ? { externalReference } : {}),
    crossReferences: crossReferencesOf(w.externalData),
    parts: [],
    ...(w.total !== null && w.total !== undefined ? { total: money(w.total) } : {}),
    ...(appointmentIds ? { appointmentIds } : {}),
    ...timestamps(w),
    ...(completedAt ? { completedAt } : {}),
  };
}

function slaStamp(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    return toUtc(value);
  } catch {
    // A custom field is free text: a value that is not a date/time is no SLA.
    return undefined;
  }
}

/** An appointment with the technicians assigned to it (from `appointment-assignments`). */
export function toAppointmentModel(w: ServiceTitanAppointmentWire, technicianIds: readonly string[]): AppointmentModel {
  const sourceStatus = w.status;
  const arrivalStart = optUtc(w.arrivalWindowStart);
  const arrivalEnd = optUtc(w.arrivalWindowEnd);
  return {
    ref: stRef(w.id),
    workOrderRef: stRef(w.jobId),
    ...(w.appointmentNumber?.trim() ? { number: w.appointmentNumber.trim() } : {}),
    status: (word(APPOINTMENT_STATUS, sourceStatus) as AppointmentStatus | undefined) ?? 'UNKNOWN',
    sourceStatus,
    window: { start: toUtc(w.start), end: toUtc(w.end) },
    ...(arrivalStart && arrivalEnd ? { arrivalWindow: { start: arrivalStart, end: arrivalEnd } } : {}),
    technicianRefs: [...new Set(technicianIds)].map(stRef),
    ...(w.specialInstructions?.trim() ? { instructions: w.specialInstructions.trim() } : {}),
    ...timestamps(w),
  };
}

function lineItem(i: ServiceTitanInvoiceItemWire): LineItem {
  const description = (i.description ?? i.displayName ?? i.skuName ?? '').trim();
  return {
    ...(i.skuName?.trim() ? { code: i.skuName.trim() } : {}),
    description,
    quantity: decimalString(i.quantity),
    unitPrice: money(i.price ?? 0),
    total: money(i.total ?? 0),
  };
}

/**
 * The canonical status of an invoice. ServiceTitan's only invoice status word is `syncStatus`
 * (Pending, Posted, Exported: the accounting export state, kept as `sourceStatus`); whether it is
 * paid is its balance: nothing owed is PAID, anything owed OPEN.
 */
export function invoiceStatusOf(balance: string | number): InvoiceStatus {
  return toCents(balance, true) <= 0 ? 'PAID' : 'OPEN';
}

/** An invoice (customer, location and job are nested `{id, ...}` references). */
export function toInvoiceModel(w: ServiceTitanInvoiceWire): InvoiceModel {
  const issuedOn = optDate(w.invoiceDate);
  const dueOn = optDate(w.dueDate);
  return {
    ref: stRef(w.id),
    ...(w.referenceNumber?.trim() ? { number: w.referenceNumber.trim() } : {}),
    ...(w.job ? { workOrderRef: stRef(w.job.id) } : {}),
    ...(w.customer ? { customerRef: stRef(w.customer.id) } : {}),
    ...(w.location ? { locationRef: stRef(w.location.id) } : {}),
    status: invoiceStatusOf(w.balance),
    ...(w.syncStatus ? { sourceStatus: w.syncStatus } : {}),
    ...(issuedOn ? { issuedOn } : {}),
    ...(dueOn ? { dueOn } : {}),
    lineItems: w.items.map(lineItem),
    subtotal: money(w.subTotal),
    tax: money(w.salesTax),
    total: money(w.total),
    balance: money(w.balance),
    ...timestamps(w),
  };
}

/** A customer membership (the plan is the membership type; its name needs the types list, not read here). */
export function toMembershipModel(w: ServiceTitanMembershipWire): MembershipModel {
  const sourceStatus = w.status;
  const startsOn = optDate(w.from);
  const endsOn = optDate(w.to);
  const nextBillingDate = optDate(w.nextScheduledBillDate);
  const cadence = w.billingFrequency ? (word(BILLING_CADENCE, w.billingFrequency) as BillingCadence | undefined) : undefined;
  return {
    ref: stRef(w.id),
    customerRef: stRef(w.customerId),
    ...(w.locationId ? { locationRef: stRef(w.locationId) } : {}),
    ...(w.membershipTypeId ? { planId: w.membershipTypeId } : {}),
    status: (word(MEMBERSHIP_STATUS, sourceStatus) as MembershipStatus | undefined) ?? 'UNKNOWN',
    sourceStatus,
    ...(startsOn ? { startsOn } : {}),
    ...(endsOn ? { endsOn } : {}),
    ...(cadence ? { billingCadence: cadence } : {}),
    ...(nextBillingDate ? { nextBillingDate } : {}),
    ...timestamps(w),
  };
}

// ------------------------------------------------------------------------------ writes

/** A request body, or the command fields that cannot become one. */
export type BodyResult<T> = { ok: true; body: T } | { ok: false; fieldErrors: VendorFieldError[] };

/** A ServiceTitan id from one of our references (an int64 of this vendor), or a field error. */
export function vendorIdOf(ref: RecordRef | undefined, field: string, errors: VendorFieldError[]): number | undefined {
  if (!ref) return undefined;
  if (ref.system !== ST) {
    errors.push({ field, message: `a ${ref.system} record cannot be used in ServiceTitan` });
    return undefined;
  }
  if (!/^\d{1,16}$/.test(ref.id) || !Number.isSafeInteger(Number(ref.id)) || Number(ref.id) <= 0) {
    errors.push({ field, message: `not a ServiceTitan id: ${ref.id}` });
    return undefined;
  }
  return Number(ref.id);
}

function windowOut(w: TimeWindow, field: string, errors: VendorFieldError[]): { start: string; end: string } | undefined {
  let start: string;
  let end: string;
  try {
    start = toUtc(w.start);
    end = toUtc(w.end);
  } catch {
    errors.push({ field, message: 'start and end must be ISO 8601 date/times' });
    return undefined;
  }
  if (end < start) {
    errors.push({ field: `${field}.end`, message: 'end must not be before start' });
    return undefined;
  }
  return { start, end };
}

/** `externalData` with our external reference under the application's guid. */
export function externalDataIn(applicationGuid: string, externalReference: string) {
  return { applicationGuid, externalData: [{ key: EXTERNAL_REFERENCE_KEY, value: externalReference }] };
}

/** What a job create needs besides the command: resolved references and tenant configuration. */
export interface JobCreateRefs {
  customerId: number;
  locationId: number;
  businessUnitId: number;
  jobTypeId: number;
  campaignId: number;
  applicationGuid: string;
  /** Custom field type ids of the tenant, when configured, for problem code and SLA. */
  customFieldTypeIds?: { problemCode?: number; respondBy?: number; completeBy?: number };
}

/**
 * The body of `POST jobs` for a create command: one appointment (ServiceTitan has no job without
 * one) in the command's window with its technicians, notes appended to the summary (jobs take no
 * notes on create), problem code and SLA as custom fields where the tenant's field types are
 * configured, and our external reference in `externalData`.
 */
export function toJobCreateBody(cmd: CreateWorkOrderCommand, refs: JobCreateRefs): BodyResult<ServiceTitanJobCreateWire> {
  const errors: VendorFieldError[] = [];
  if (!cmd.window) errors.push({ field: 'window', message: 'ServiceTitan books every job with a first appointment: a window is required' });
  const win = cmd.window ? windowOut(cmd.window, 'window', errors) : undefined;
  const technicianIds = (cmd.technicianRefs ?? []).map((r, i) => vendorIdOf(r, `technicianRefs.${i}`, errors)).filter((x): x is number => x !== undefined);
  if (!cmd.externalReference.trim()) errors.push({ field: 'externalReference', message: 'required' });
  if (errors.length || !win) return { ok: false, fieldErrors: errors };
  const summary = [cmd.summary.trim(), cmd.notes?.trim()].filter(Boolean).join('\n\n');
  const fields = refs.customFieldTypeIds ?? {};
  const customFields: Array<{ typeId: number; value: string }> = [];
  if (fields.problemCode && cmd.problemCode) customFields.push({ typeId: fields.problemCode, value: cmd.problemCode });
  if (fields.respondBy && cmd.sla?.respondBy) customFields.push({ typeId: fields.respondBy, value: cmd.sla.respondBy });
  if (fields.completeBy && cmd.sla?.completeBy) customFields.push({ typeId: fields.completeBy, value: cmd.sla.completeBy });
  return {
    ok: true,
    body: {
      customerId: refs.customerId,
      locationId: refs.locationId,
      businessUnitId: refs.businessUnitId,
      jobTypeId: refs.jobTypeId,
      priority: PRIORITY_TO_VENDOR[cmd.priority],
      campaignId: refs.campaignId,
      appointments: [{ start: win.start, end: win.end, ...(technicianIds.length ? { technicianIds } : {}) }],
      ...(summary ? { summary } : {}),
      ...(customFields.length ? { customFields } : {}),
      externalData: externalDataIn(refs.applicationGuid, cmd.externalReference),
    },
  };
}

/** The body of `POST customers` for a new customer: one location (the command's, else the billing address) and the contacts. */
export function toCustomerCreateBody(
  customer: { name: string; email?: string; phone?: string; address: Address },
  locationAddress: Address | undefined,
  externalReference: string,
  applicationGuid: string,
): ServiceTitanCustomerCreateWire {
  const contacts: ServiceTitanContactInWire[] = [];
  if (customer.email?.trim()) contacts.push({ type: 'Email', value: customer.email.trim() });
  if (customer.phone?.trim()) contacts.push({ type: 'Phone', value: customer.phone.trim() });
  return {
    name: customer.name.trim(),
    address: toAddressIn(customer.address),
    ...(contacts.length ? { contacts } : {}),
    locations: [{ name: customer.name.trim(), address: toAddressIn(locationAddress ?? customer.address), externalData: externalDataIn(applicationGuid, externalReference) }],
    externalData: externalDataIn(applicationGuid, externalReference),
  };
}

/** The body of `POST locations` for a new service address of an existing customer. */
export function toLocationCreateBody(customerId: number, name: string, address: Address, externalReference: string, applicationGuid: string): ServiceTitanLocationCreateWire {
  return { customerId, name, address: toAddressIn(address), externalData: externalDataIn(applicationGuid, externalReference) };
}

/** The body of `POST appointments` (a new visit of an existing job, technicians assigned in the same call). */
export function toAppointmentAddBody(jobId: number, window: TimeWindow, technicianIds: readonly number[], instructions: string | undefined): BodyResult<ServiceTitanAppointmentAddWire> {
  const errors: VendorFieldError[] = [];
  const win = windowOut(window, 'window', errors);
  if (!win) return { ok: false, fieldErrors: errors };
  return {
    ok: true,
    body: { jobId, start: win.start, end: win.end, ...(technicianIds.length ? { technicianIds: [...technicianIds] } : {}), ...(instructions?.trim() ? { specialInstructions: instructions.trim() } : {}) },
  };
}

/**
 * The body of `PATCH appointments/{id}/reschedule`. The arrival window promised for the old time is
 * cleared (left alone, it would keep pointing at the old day).
 */
export function toRescheduleBody(window: TimeWindow): BodyResult<ServiceTitanRescheduleWire> {
  const errors: VendorFieldError[] = [];
  const win = windowOut(window, 'window', errors);
  return win ? { ok: true, body: { start: win.start, end: win.end, arrivalWindowStart: null, arrivalWindowEnd: null } } : { ok: false, fieldErrors: errors };
}

/** What a membership sale needs besides the command. */
export interface MembershipSaleRefs {
  customerId: number;
  locationId?: number;
  businessUnitId: number;
  saleTaskId: number;
  durationBillingId: number;
}

/** The body of `POST memberships/sale`; recurring services follow the membership's location. */
export function toMembershipSaleBody(refs: MembershipSaleRefs): ServiceTitanMembershipSaleWire {
  return {
    customerId: refs.customerId,
    businessUnitId: refs.businessUnitId,
    saleTaskId: refs.saleTaskId,
    durationBillingId: refs.durationBillingId,
    ...(refs.locationId ? { locationId: refs.locationId, recurringLocationId: refs.locationId } : {}),
  };
}

/**
 * The duration/billing option of a membership type for a cadence: an active option billed at that
 * cadence, a fixed term (12 months first) before an open-ended one.
 */
export function pickDurationBilling(options: readonly ServiceTitanDurationBillingWire[], cadence: EnrollMembershipCommand['billingCadence']): ServiceTitanDurationBillingWire | undefined {
  const wanted = CADENCE_TO_VENDOR[cadence].toLowerCase();
  const matching = options.filter((o) => o.active !== false && o.billingFrequency.toLowerCase() === wanted);
  return matching.find((o) => o.duration === 12) ?? matching.find((o) => o.duration !== null && o.duration !== undefined) ?? matching[0];
}

// ------------------------------------------------------------------------------ errors

/**
 * The field messages of an RFC 7807 body as field errors, with ServiceTitan's field names
 * (`appointments[0].technicianIds`, `campaignId`; `''` for the request as a whole is `body`).
 */
export function problemFieldErrors(p: ServiceTitanProblemWire): VendorFieldError[] {
  const out: VendorFieldError[] = [];
  for (const [field, msgs] of Object.entries(p.errors ?? {})) {
    for (const m of Array.isArray(msgs) ? msgs : [msgs]) out.push({ field: field || 'body', message: m.replace(/\s+/g, ' ').slice(0, 300) });
  }
  return out;
}

/**
 * ServiceTitan request fields to the command fields they come from, for user errors: a refused
 * `campaignId` is configuration (`vendorSettings.campaignId`), a refused appointment technician the
 * command's `technicianRefs`. Longest prefix wins; unknown fields pass unchanged.
 */
export const COMMAND_FIELD: Readonly<Record<string, string>> = {
  customerId: 'customer',
  locationId: 'location',
  businessUnitId: 'vendorSettings.businessUnitId',
  jobTypeId: 'serviceType',
  campaignId: 'vendorSettings.campaignId',
  priority: 'priority',
  summary: 'summary',
  'appointments[0].start': 'window.start',
  'appointments[0].end': 'window.end',
  'appointments[0].technicianIds': 'technicianRefs',
  appointments: 'window',
  technicianIds: 'technicianRefs',
  jobAppointmentId: 'workOrderRef',
  jobId: 'workOrderRef',
  start: 'window.start',
  end: 'window.end',
  saleTaskId: 'vendorSettings.saleTaskId',
  durationBillingId: 'billingCadence',
  reasonId: 'vendorSettings.reasonId',
  completedOn: 'at',
  name: 'customer.new.name',
  address: 'customer.new.address',
  contacts: 'customer.new',
};

/** The command field a ServiceTitan request field came from. */
export function commandFieldOf(vendorField: string): string {
  let best: string | undefined;
  for (const key of Object.keys(COMMAND_FIELD)) {
    if ((vendorField === key || vendorField.startsWith(`${key}.`) || vendorField.startsWith(`${key}[`)) && (!best || key.length > best.length)) best = key;
  }
  return best === undefined ? vendorField : COMMAND_FIELD[best]! + vendorField.slice(best.length);
}

/** True when a window equals another to the second (both normalised to UTC). */
export function sameWindow(a: TimeWindow, b: TimeWindow): boolean {
  try {
    return toUtc(a.start) === toUtc(b.start) && toUtc(a.end) === toUtc(b.end);
  } catch {
    return false;
  }
}
