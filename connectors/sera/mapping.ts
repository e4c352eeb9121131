/**
 * Pure mapping between Sera's wire format and FieldGraph's canonical models: the vendor's
 * status, priority and cadence words as exported tables, local appointment windows to and from
 * UTC (through `Intl`, DST exact, no library), wire payloads to models, write commands to request
 * bodies, and the vendor's field errors to the command's field names. Nothing here does I/O.
 */
import type {
  Address,
  AppointmentModel,
  AppointmentStatus,
  BillingCadence,
  CustomerModel,
  InvoiceModel,
  InvoiceStatus,
  LineItem,
  LocationModel,
  MembershipModel,
  MembershipStatus,
  Money,
  PartLine,
  Priority,
  RecordRef,
  TechnicianModel,
  TimeWindow,
  WorkOrderModel,
  WorkOrderStatus,
} from '../../src/model/index.js';
import { fromCents, money, mulDiv, toCents } from '../../src/model/money.js';
import {
  formatInstant,
  isTimeZone,
  optionalText,
  parseInstant,
  phoneNumber,
  toCalendarDate,
  toInstant,
  utcToZoned,
  zonedToUtc,
  type InstantSyntax,
} from '../core/normalize.js';
import type { CreateWorkOrderCommand, EnrollMembershipCommand, UpdateStatusCommand, VendorFieldError } from '../types.js';
import type {
  SeraAddressWire,
  SeraCreateMembershipRequestWire,
  SeraCreateWorkOrderRequestWire,
  SeraCustomerWire,
  SeraInvoiceWire,
  SeraLocationWire,
  SeraMembershipWire,
  SeraMoneyWire,
  SeraStatusUpdateRequestWire,
  SeraTechnicianWire,
  SeraTimeWindowWire,
  SeraWorkOrderWire,
} from './wire.js';

/** The vendor key of every record this mapping produces. */
export const VENDOR = 'sera' as const;

/** The business's time zone when a payload or the connection names none (an Atlanta company). */
export const DEFAULT_TIMEZONE = 'America/New_York';

// ---------------------------------------------------------------- vendor vocabularies

/** Sera work order status -> canonical. Anything else maps to UNKNOWN (see `sourceStatus`). */
export const WORK_ORDER_STATUS: Readonly<Record<string, WorkOrderStatus>> = {
  new: 'NEW',
  scheduled: 'SCHEDULED',
  dispatched: 'DISPATCHED',
  in_progress: 'IN_PROGRESS',
  on_hold: 'ON_HOLD',
  completed: 'COMPLETED',
  cancelled: 'CANCELLED',
  canceled: 'CANCELLED',
};

/** Canonical work order status -> the Sera word a status write sends (UNKNOWN has none). */
export const WORK_ORDER_STATUS_TO_SERA: Readonly<Partial<Record<WorkOrderStatus, string>>> = {
  NEW: 'new',
  SCHEDULED: 'scheduled',
  DISPATCHED: 'dispatched',
  IN_PROGRESS: 'in_progress',
  ON_HOLD: 'on_hold',
  COMPLETED: 'completed',
  CANCELLED: 'cancelled',
};

/**
 * Status of the embedded appointment, from its work order's status (Sera keeps no status of its
 * own on the appointment). A `new` work order with a window is a planned visit: SCHEDULED.
 */
export const APPOINTMENT_STATUS: Readonly<Record<string, AppointmentStatus>> = {
  new: 'SCHEDULED',
  scheduled: 'SCHEDULED',
  dispatched: 'DISPATCHED',
  in_progress: 'IN_PROGRESS',
  on_hold: 'ON_HOLD',
  completed: 'COMPLETED',
  cancelled: 'CANCELLED',
  canceled: 'CANCELLED',
};

/** Sera priority -> canonical; an unknown word leaves the priority unset. */
export const PRIORITY: Readonly<Record<string, Priority>> = {
  low: 'LOW',
  normal: 'NORMAL',
  high: 'HIGH',
  emergency: 'URGENT',
};

/** Canonical priority -> Sera. */
export const PRIORITY_TO_SERA: Readonly<Record<Priority, 'low' | 'normal' | 'high' | 'emergency'>> = {
  LOW: 'low',
  NORMAL: 'normal',
  HIGH: 'high',
  URGENT: 'emergency',
};

/** Sera invoice status -> canonical. */
export const INVOICE_STATUS: Readonly<Record<string, InvoiceStatus>> = {
  draft: 'DRAFT',
  open: 'OPEN',
  paid: 'PAID',
  void: 'VOID',
};

/**
 * Sera membership status -> canonical. `lapsed` is a term that ended without renewal (Sera renews
 * a lapsed membership in place), hence EXPIRED.
 */
export const MEMBERSHIP_STATUS: Readonly<Record<string, MembershipStatus>> = {
  active: 'ACTIVE',
  lapsed: 'EXPIRED',
  cancelled: 'CANCELLED',
  canceled: 'CANCELLED',
};

/** Sera billing cadence -> canonical. */
export const BILLING_CADENCE: Readonly<Record<string, BillingCadence>> = {
  monthly: 'MONTHLY',
  quarterly: 'QUARTERLY',
  annual: 'ANNUAL',
};

/** Canonical billing cadence -> Sera. */
export const BILLING_CADENCE_TO_SERA: Readonly<Record<BillingCadence, 'monthly' | 'quarterly' | 'annual'>> = {
  MONTHLY: 'monthly',
  QUARTERLY: 'quarterly',
  ANNUAL: 'annual',
};

/** Kinds of job Sera combines with a trade into a job type (`hvac_service`); `repair` is Sera's `service`. */
export const JOB_KIND: Readonly<Record<string, string>> = {
  repair: 'service',
  service: 'service',
  maintenance: 'maintenance',
  inspection: 'inspection',
  installation: 'installation',
  install: 'installation',
};

// ---------------------------------------------------------------- external reference

/**
 * Prefix of the external reference FieldGraph stamps in a work order's `source`. Sera documents no
 * external-reference field; `source` is the booking channel (`web_booking`), set once at creation
 * by whoever books the job and returned verbatim on every read, so `fieldgraph:<ref>` names both
 * the channel and our record. (`notes` is the technician-facing free text and stays the caller's.)
 */
export const SOURCE_PREFIX = 'fieldgraph:';

/** Longest `source` Sera accepts. */
export const SOURCE_MAX_LENGTH = 64;

/** The `source` value that carries `externalReference`. */
export function sourceStamp(externalReference: string): string {
  return `${SOURCE_PREFIX}${externalReference}`;
}

/** Our external reference read back from a work order's `source`, if FieldGraph created it. */
export function referenceFromSource(source: string | null | undefined): string | undefined {
  return source?.startsWith(SOURCE_PREFIX) && source.length > SOURCE_PREFIX.length ? source.slice(SOURCE_PREFIX.length) : undefined;
}

// ---------------------------------------------------------------- scalars

/** A ref of a Sera record. */
export function seraRef(id: string): RecordRef {
  return { system: VENDOR, id };
}

function optionalRef(id: string | null | undefined): RecordRef | undefined {
  return id ? seraRef(id) : undefined;
}

/** Money from a Sera amount (number or decimal string), exact to the cent. */
export function toMoney(value: SeraMoneyWire): Money {
  return money(value);
}

function optionalMoney(value: SeraMoneyWire | null | undefined): Money | undefined {
  return value === null || value === undefined ? undefined : money(value);
}

/** A quantity as a decimal string with two places (`1.5` -> `"1.50"`), exact. */
export function toQuantity(value: SeraMoneyWire): string {
  return fromCents(toCents(value, true));
}

/**
 * How Sera writes timestamps: ISO 8601 with `Z` or an offset, with or without seconds, fractions
 * dropped, a space for `T`, no zone read as UTC (Sera writes UTC), and a date alone read as
 * midnight UTC.
 */
export const SERA_INSTANT: InstantSyntax = { dateOnly: true };

/** Epoch milliseconds of a Sera timestamp ({@link SERA_INSTANT}); undefined when absent or unreadable. */
export function parseTimestamp(value: string | null | undefined): number | undefined {
  return parseInstant(value, SERA_INSTANT);
}

/** A Sera timestamp normalised to UTC `YYYY-MM-DDTHH:MM:SSZ`; undefined when absent or unreadable. */
export function toUtcTimestamp(value: string | null | undefined): string | undefined {
  return toInstant(value, SERA_INSTANT);
}

// ---------------------------------------------------------------- time zones

/** Sera's local appointment times go through the shared wall-clock conversions (DST exact); re-exported for callers of this module. */
export { isTimeZone, utcToZoned, zonedToUtc } from '../core/normalize.js';

function zoneOr(timeZone: string | null | undefined, fallback: string): string {
  return timeZone && isTimeZone(timeZone) ? timeZone : fallback;
}

/**
 * The UTC window of Sera's local appointment (`date`, `windowStart`, `windowEnd`, `timezone`). A
 * window whose end is not after its start ends on the next local day.
 */
export function appointmentWindow(a: NonNullable<SeraWorkOrderWire['appointment']>, defaultTimeZone = DEFAULT_TIMEZONE): TimeWindow {
  const tz = zoneOr(a.timezone, defaultTimeZone);
  const date = a.date.slice(0, 10);
  const start = zonedToUtc(date, a.windowStart, tz);
  let end = zonedToUtc(date, a.windowEnd, tz);
  if (end <= start) {
    const next = new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    end = zonedToUtc(next, a.windowEnd, tz);
  }
  return { start: formatInstant(start), end: formatInstant(end) };
}

/** Why a canonical window cannot be written as a Sera window, or the Sera window. */
export function toSeraWindow(
  window: TimeWindow,
  timeZone: string,
): { requestedDate: string; timeWindow: SeraTimeWindowWire } | { error: string } {
  const start = parseTimestamp(window.start);
  const end = parseTimestamp(window.end);
  if (start === undefined || end === undefined) return { error: 'Start and end must be ISO 8601 timestamps.' };
  if (end <= start) return { error: 'The end must be after the start.' };
  const s = utcToZoned(start, timeZone);
  const e = utcToZoned(end, timeZone);
  if (s.seconds !== 0 || e.seconds !== 0) return { error: 'Sera books windows in whole minutes.' };
  // Sera books a window as a local date plus a start and end time on that date.
  if (s.date !== e.date) return { error: `Sera windows lie within one local day (${timeZone}).` };
  return { requestedDate: s.date, timeWindow: { start: s.time, end: e.time, timezone: timeZone } };
}

// ---------------------------------------------------------------- wire -> model

function address(a: SeraAddressWire): Address {
  return {
    line1: a.line1,
    ...(a.line2 ? { line2: a.line2 } : {}),
    city: a.city,
    region: a.region,
    postalCode: a.postalCode,
    country: a.country || 'US',
  };
}

/** Sets the optional keys of `o` whose values are defined (models never carry `undefined` keys). */
function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as Array<keyof T>) if (o[k] === undefined) delete o[k];
  return o;
}

/**
 * A customer. Sera gives no billing address: the default service location's address is the
 * customer's address of record. `active` comes from the payload when it says, else from
 * `knownActive` (the `status` filter the customer was listed with), else true.
 */
export function toCustomerModel(w: SeraCustomerWire, knownActive?: boolean): CustomerModel {
  const active = w.active ?? (w.status ? w.status.toLowerCase() === 'active' : undefined) ?? knownActive ?? true;
  const addr = w.defaultServiceLocation?.address;
  return compact<CustomerModel>({
    ref: seraRef(w.customerId),
    name: w.name.trim(),
    email: optionalText(w.primaryContact?.email),
    phone: phoneNumber(w.primaryContact?.phone),
    address: addr ? address(addr) : undefined,
    crossReferences: [],
    balance: optionalMoney(w.outstandingBalance),
    tags: w.tags ?? [],
    active,
    createdAt: toUtcTimestamp(w.createdAt),
    updatedAt: toUtcTimestamp(w.updatedAt),
  });
}

/** A service location. */
export function toLocationModel(w: SeraLocationWire): LocationModel {
  const contact = w.contact
    ? compact({ name: w.contact.name?.trim() || undefined, email: optionalText(w.contact.email), phone: phoneNumber(w.contact.phone) })
    : undefined;
  return compact<LocationModel>({
    ref: seraRef(w.locationId),
    customerRef: optionalRef(w.customerId),
    name: w.name?.trim() || undefined,
    address: address(w.address),
    contact: contact && Object.keys(contact).length > 0 ? contact : undefined,
    active: w.active ?? true,
    createdAt: toUtcTimestamp(w.createdAt),
    updatedAt: toUtcTimestamp(w.updatedAt),
  });
}

/** A technician. */
export function toTechnicianModel(w: SeraTechnicianWire): TechnicianModel {
  return compact<TechnicianModel>({
    ref: seraRef(w.technicianId),
    name: w.name.trim(),
    email: optionalText(w.email),
    phone: phoneNumber(w.phone),
    skills: w.skills ?? [],
    region: w.region ?? undefined,
    dailyCapacity: w.dailyCapacity ?? undefined,
    active: w.active ?? true,
    createdAt: toUtcTimestamp(w.createdAt),
    updatedAt: toUtcTimestamp(w.updatedAt),
  });
}

/**
 * The appointment Sera embeds in a work order, or null when it has none. Sera holds at most one
 * appointment per work order and gives it no id: its ref is the work order's id (stable across
 * reschedules; global ids carry the type, so it never collides with the work order's). Its status
 * is the work order's; its instructions are the work order's `notes`.
 */
export function toAppointmentModel(w: SeraWorkOrderWire, defaultTimeZone = DEFAULT_TIMEZONE): AppointmentModel | null {
  const a = w.appointment;
  if (!a) return null;
  const technicianId = a.technicianId ?? undefined;
  return compact<AppointmentModel>({
    ref: seraRef(w.workOrderId),
    workOrderRef: seraRef(w.workOrderId),
    status: APPOINTMENT_STATUS[w.status] ?? 'UNKNOWN',
    sourceStatus: w.status,
    window: appointmentWindow(a, defaultTimeZone),
    technicianRefs: technicianId ? [seraRef(technicianId)] : [],
    instructions: w.notes?.trim() || undefined,
    // The appointment is part of its work order's record (status, window, technician, notes): it
    // changes when the work order does, so the work order's modification time is its own. Sera
    // sends no creation time of the appointment (it may be booked after the work order is
    // created), so `createdAt` stays unset.
    updatedAt: toUtcTimestamp(w.updatedAt),
  });
}

function partLine(l: NonNullable<SeraWorkOrderWire['pricebookItems']>[number]): PartLine {
  return compact<PartLine>({
    partNumber: l.itemId,
    description: l.name ?? undefined,
    quantity: toQuantity(l.quantity),
    unitPrice: optionalMoney(l.unitPrice),
  });
}

/** A work order, with its appointment in `embedded.appointments`. */
export function toWorkOrderModel(w: SeraWorkOrderWire, defaultTimeZone = DEFAULT_TIMEZONE): WorkOrderModel {
  const appointment = toAppointmentModel(w, defaultTimeZone);
  const technicianId = w.assignedTechnicianId ?? w.appointment?.technicianId ?? undefined;
  return compact<WorkOrderModel>({
    ref: seraRef(w.workOrderId),
    // Sera shows no separate job number: the id is what the office sees.
    number: w.workOrderId,
    status: WORK_ORDER_STATUS[w.status] ?? 'UNKNOWN',
    sourceStatus: w.status,
    priority: w.priority ? PRIORITY[w.priority.toLowerCase()] : undefined,
    serviceType: w.jobType ?? undefined,
    summary: w.description?.trim() || undefined,
    customerRef: optionalRef(w.customerId),
    locationRef: optionalRef(w.serviceLocationId),
    equipmentRefs: [],
    technicianRefs: technicianId ? [seraRef(technicianId)] : [],
    window: appointment?.window,
    externalReference: referenceFromSource(w.source),
    crossReferences: [],
    parts: (w.pricebookItems ?? []).map(partLine),
    total: optionalMoney(w.totals?.total),
    embedded: appointment ? { appointments: [appointment] } : undefined,
    createdAt: toUtcTimestamp(w.createdAt),
    updatedAt: toUtcTimestamp(w.updatedAt),
    completedAt: toUtcTimestamp(w.completedAt),
  });
}

/** An invoice. A line without a total is priced quantity x unit price, exactly. */
export function toInvoiceModel(w: SeraInvoiceWire): InvoiceModel {
  const lineItems = (w.lineItems ?? []).map((l): LineItem => {
    const unitPrice = money(l.unitPrice);
    const total =
      l.total === null || l.total === undefined
        ? { amount: fromCents(mulDiv(toCents(unitPrice.amount), toCents(l.quantity, true), 100)), currency: 'USD' }
        : money(l.total);
    return compact<LineItem>({
      code: l.itemId ?? undefined,
      description: l.description ?? l.itemId ?? '',
      quantity: toQuantity(l.quantity),
      unitPrice,
      total,
    });
  });
  const total = money(w.total);
  return compact<InvoiceModel>({
    ref: seraRef(w.invoiceId),
    number: w.number ?? undefined,
    workOrderRef: optionalRef(w.workOrderId),
    customerRef: optionalRef(w.customerId),
    locationRef: optionalRef(w.serviceLocationId),
    status: INVOICE_STATUS[w.status.toLowerCase()] ?? 'UNKNOWN',
    sourceStatus: w.status,
    issuedOn: toCalendarDate(w.issuedOn),
    dueOn: toCalendarDate(w.dueOn),
    lineItems,
    subtotal: money(w.subtotal),
    tax: money(w.tax ?? 0),
    total,
    // An invoice without a balance owes its total unless Sera says it is settled.
    balance: w.balance === null || w.balance === undefined ? (w.status === 'paid' || w.status === 'void' ? money(0) : total) : money(w.balance),
    createdAt: toUtcTimestamp(w.createdAt),
    updatedAt: toUtcTimestamp(w.updatedAt),
  });
}

/** A membership. The payment method (Sera returns at most a fingerprint) is never part of the model. */
export function toMembershipModel(w: SeraMembershipWire): MembershipModel {
  return compact<MembershipModel>({
    ref: seraRef(w.membershipId),
    customerRef: seraRef(w.customerId),
    locationRef: optionalRef(w.serviceLocationId),
    planId: w.planId ?? undefined,
    planName: w.planName ?? undefined,
    status: MEMBERSHIP_STATUS[w.status.toLowerCase()] ?? 'UNKNOWN',
    sourceStatus: w.status,
    startsOn: toCalendarDate(w.startDate),
    endsOn: toCalendarDate(w.endDate),
    billingCadence: w.billingCadence ? BILLING_CADENCE[w.billingCadence.toLowerCase()] : undefined,
    nextBillingDate: toCalendarDate(w.nextBillingDate),
    includedVisits: w.includedVisits ?? undefined,
    price: optionalMoney(w.price),
    createdAt: toUtcTimestamp(w.createdAt),
    updatedAt: toUtcTimestamp(w.updatedAt),
  });
}

// ---------------------------------------------------------------- command -> wire

/** A body, or the command's fields that cannot be written to Sera. */
export type BodyResult<T> = { body: T } | { fieldErrors: VendorFieldError[] };

/** Exact JSON number of a decimal amount with at most two places, or undefined when it has more. */
function amountNumber(value: string | number): number | undefined {
  try {
    return Number(fromCents(toCents(value)));
  } catch {
    return undefined;
  }
}

/**
 * Sera's job type (`<trade>_<kind>`, e.g. `hvac_service`) of a command's service type: a job type
 * as it stands, or a kind (`repair`, `maintenance`, ...) with the trade from `trade`.
 */
export function toJobType(serviceType: string, trade: string | undefined): string | undefined {
  const s = serviceType.trim().toLowerCase();
  if (/^[a-z]+_[a-z]+$/.test(s)) return s;
  const kind = JOB_KIND[s];
  return kind && trade ? `${trade.trim().toLowerCase()}_${kind}` : undefined;
}

/** What `toCreateWorkOrderBody` needs besides the command. */
export interface CreateWorkOrderContext {
  customerId: string;
  serviceLocationId: string;
  /** Zone the window is booked in. */
  timeZone: string;
  /** Trade that turns a bare kind (`repair`) into a job type (`hvac_service`). */
  trade?: string | undefined;
}

/**
 * The `POST /work-orders` body of a command, with our external reference stamped in `source`.
 * Fields Sera has no place for (equipment, problem code, SLA, a second technician) are refused,
 * never dropped silently.
 */
export function toCreateWorkOrderBody(c: CreateWorkOrderCommand, ctx: CreateWorkOrderContext): BodyResult<SeraCreateWorkOrderRequestWire> {
  const errors: VendorFieldError[] = [];
  const jobType = c.vendorSettings?.jobType ?? toJobType(c.serviceType, c.vendorSettings?.trade ?? ctx.trade);
  if (!jobType) errors.push({ field: 'serviceType', message: 'Sera needs a job type such as hvac_service (or a kind such as repair with a configured trade).' });
  if (!c.summary.trim()) errors.push({ field: 'summary', message: 'Required.' });
  if (c.equipment) errors.push({ field: 'equipment', message: 'Sera keeps no equipment records.' });
  if (c.problemCode) errors.push({ field: 'problemCode', message: 'Sera has no problem code on work orders.' });
  if (c.sla) errors.push({ field: 'sla', message: 'Sera has no SLA on work orders.' });
  if ((c.technicianRefs?.length ?? 0) > 1) errors.push({ field: 'technicianRefs', message: 'Sera assigns one technician per work order.' });
  const stamp = sourceStamp(c.externalReference);
  if (!c.externalReference.trim()) errors.push({ field: 'externalReference', message: 'Required.' });
  else if (stamp.length > SOURCE_MAX_LENGTH) {
    errors.push({ field: 'externalReference', message: `At most ${SOURCE_MAX_LENGTH - SOURCE_PREFIX.length} characters for Sera.` });
  }
  let window: { requestedDate: string; timeWindow: SeraTimeWindowWire } | undefined;
  if (c.window) {
    const w = toSeraWindow(c.window, ctx.timeZone);
    if ('error' in w) errors.push({ field: 'window', message: w.error });
    else window = w;
  }
  const pricebookItems: SeraCreateWorkOrderRequestWire['pricebookItems'] = [];
  (c.parts ?? []).forEach((p, i) => {
    const quantity = amountNumber(p.quantity);
    if (quantity === undefined || quantity <= 0) errors.push({ field: `parts.${i}.quantity`, message: 'A positive quantity with at most two decimals.' });
    const unitPrice = p.unitPrice === undefined ? undefined : amountNumber(p.unitPrice);
    if (p.unitPrice !== undefined && (unitPrice === undefined || unitPrice < 0)) {
      errors.push({ field: `parts.${i}.unitPrice`, message: 'A non-negative amount with at most two decimals.' });
    }
    pricebookItems.push({ itemId: p.partNumber, quantity: quantity ?? 0, ...(unitPrice !== undefined ? { unitPrice } : {}) });
  });
  if (errors.length > 0) return { fieldErrors: errors };
  const technicianId = c.technicianRefs?.[0]?.id;
  return {
    body: {
      customerId: ctx.customerId,
      serviceLocationId: ctx.serviceLocationId,
      jobType: jobType!,
      priority: PRIORITY_TO_SERA[c.priority],
      ...(window ?? {}),
      description: c.summary.trim(),
      pricebookItems,
      ...(technicianId ? { assignedTechnicianId: technicianId } : {}),
      source: stamp,
      ...(c.notes ? { notes: c.notes } : {}),
    },
  };
}

/**
 * The `PATCH /work-orders/{id}/status` body of a status update. `at` is the arrival time of
 * IN_PROGRESS (`startedAt`) or the completion time of COMPLETED (`completedAt`); the note is
 * Sera's `arrivalNotes`, the only free text of a status write.
 */
export function toStatusBody(c: UpdateStatusCommand): BodyResult<SeraStatusUpdateRequestWire> {
  const status = WORK_ORDER_STATUS_TO_SERA[c.status];
  const errors: VendorFieldError[] = [];
  if (!status) errors.push({ field: 'status', message: `Sera has no status for ${c.status}.` });
  let at: string | undefined;
  if (c.at !== undefined) {
    const ms = parseTimestamp(c.at);
    if (ms === undefined) errors.push({ field: 'at', message: 'An ISO 8601 timestamp.' });
    else if (c.status !== 'IN_PROGRESS' && c.status !== 'COMPLETED') errors.push({ field: 'at', message: 'Sera records a time only when work starts or completes.' });
    else at = formatInstant(ms);
  }
  if (errors.length > 0) return { fieldErrors: errors };
  return {
    body: {
      status: status!,
      ...(c.technicianRef ? { assignedTechnicianId: c.technicianRef.id } : {}),
      ...(at && c.status === 'IN_PROGRESS' ? { startedAt: at } : {}),
      ...(at && c.status === 'COMPLETED' ? { completedAt: at } : {}),
      ...(c.note ? { arrivalNotes: c.note } : {}),
    },
  };
}

/**
 * The `POST /customers/{id}/memberships` body. The payment method token is copied into the body
 * and nowhere else. Sera's body has no location (it enrols at the customer's default service
 * location), so a `locationRef` is refused rather than dropped. It has no place for an external
 * reference either: look-before-write uses the natural key (customer, plan, start date) instead,
 * since Sera renews a customer's membership of a plan in place rather than adding a second one.
 */
export function toCreateMembershipBody(c: EnrollMembershipCommand): BodyResult<SeraCreateMembershipRequestWire> {
  const errors: VendorFieldError[] = [];
  if (c.locationRef) errors.push({ field: 'locationRef', message: "Sera enrols at the customer's default service location; no other location can be given." });
  if (c.startDate !== undefined && !toCalendarDate(c.startDate)) errors.push({ field: 'startDate', message: 'A date, YYYY-MM-DD.' });
  if (c.autopay && !c.paymentMethodToken) errors.push({ field: 'paymentMethodToken', message: 'Required when autopay is true.' });
  if (c.includedVisits !== undefined && (!Number.isInteger(c.includedVisits) || c.includedVisits < 0)) {
    errors.push({ field: 'includedVisits', message: 'A whole number of visits.' });
  }
  if (errors.length > 0) return { fieldErrors: errors };
  return {
    body: {
      planId: c.planId,
      ...(c.startDate ? { startDate: c.startDate.slice(0, 10) } : {}),
      billingCadence: BILLING_CADENCE_TO_SERA[c.billingCadence],
      autopay: c.autopay,
      ...(c.paymentMethodToken ? { paymentMethodToken: c.paymentMethodToken } : {}),
      ...(c.includedVisits !== undefined ? { includedVisits: c.includedVisits } : {}),
    },
  };
}

// ---------------------------------------------------------------- vendor field errors

/** Sera body field -> the field of the command that fed it, per write. */
export const FIELD_OF_COMMAND: Readonly<Record<'createWorkOrder' | 'updateStatus' | 'dispatch' | 'enrollMembership', Readonly<Record<string, string>>>> = {
  createWorkOrder: {
    customerId: 'customer',
    serviceLocationId: 'location',
    jobType: 'serviceType',
    priority: 'priority',
    requestedDate: 'window',
    timeWindow: 'window',
    description: 'summary',
    pricebookItems: 'parts',
    assignedTechnicianId: 'technicianRefs',
    source: 'externalReference',
    notes: 'notes',
  },
  updateStatus: {
    status: 'status',
    assignedTechnicianId: 'technicianRef',
    startedAt: 'at',
    completedAt: 'at',
    arrivalNotes: 'note',
  },
  dispatch: {
    status: 'workOrderRef',
    assignedTechnicianId: 'technicianRefs',
    requestedDate: 'window',
    timeWindow: 'window',
    arrivalNotes: 'instructions',
  },
  enrollMembership: {
    planId: 'planId',
    startDate: 'startDate',
    billingCadence: 'billingCadence',
    autopay: 'autopay',
    paymentMethodToken: 'paymentMethodToken',
    includedVisits: 'includedVisits',
  },
};

/**
 * Sera's field errors (`pricebookItems.1.itemId`, `timeWindow.end`, ...) named by the command's
 * fields (`parts.1.partNumber`, `window`, ...). The message keeps Sera's words, prefixed with
 * Sera's field name when it differs from ours.
 */
export function toCommandFieldErrors(write: keyof typeof FIELD_OF_COMMAND, details: readonly VendorFieldError[]): VendorFieldError[] {
  const table = FIELD_OF_COMMAND[write];
  return details.map((d) => {
    const [head = '', ...rest] = d.field.split('.');
    let field = table[head];
    if (field === 'parts' && rest.length > 0) {
      const [index, sub] = rest;
      field = `parts.${index}${sub === 'itemId' ? '.partNumber' : sub ? `.${sub}` : ''}`;
    }
    if (!field) return { field: d.field, message: d.message };
    return { field, message: field === d.field ? d.message : `${d.field}: ${d.message}` };
  });
}
