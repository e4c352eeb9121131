/**
 * Pure mapping between Field Nation's wire format and FieldGraph's canonical models: status
 * tables, timestamp normalisation (`{utc: "YYYY-MM-DD HH:MM:SS"}` to ISO 8601 UTC), exact money,
 * the work order's one visit as an appointment, the "Client WO Number" custom field as an Astea
 * cross-reference, command to request body, and the vendor's validation errors as field errors.
 * Nothing here does I/O.
 */
import type {
  Address,
  AppointmentModel,
  AppointmentStatus,
  CrossReference,
  CustomerModel,
  LocationModel,
  Money,
  RecordRef,
  TechnicianModel,
  TimeWindow,
  WorkOrderModel,
  WorkOrderStatus,
} from '../../src/model/index.js';
import { fromCents, toCents } from '../../src/model/money.js';
import { phoneNumber, toInstant, type InstantSyntax } from '../core/normalize.js';
import type { CreateWorkOrderCommand, VendorFieldError } from '../types.js';
import type {
  FieldNationAddressWire,
  FieldNationClientCreateWire,
  FieldNationClientWire,
  FieldNationContactWire,
  FieldNationCustomFieldsWire,
  FieldNationLocationInputWire,
  FieldNationLocationWire,
  FieldNationPayWire,
  FieldNationProblemWire,
  FieldNationScheduleBodyWire,
  FieldNationStatusWire,
  FieldNationTimeWire,
  FieldNationTypeOfWorkWire,
  FieldNationUserWire,
  FieldNationWorkOrderCreateWire,
  FieldNationWorkOrderWire,
} from './wire.js';

const VENDOR = 'fieldnation' as const;

function ref(id: string): RecordRef {
  return { system: VENDOR, id };
}

// ---------------------------------------------------------------- timestamps

/**
 * How Field Nation writes instants: a `T` (either case) instead of the space, no seconds,
 * fractional seconds (dropped), a date alone (midnight), and a `Z`/`UTC`/`GMT`/`±HH:MM` zone
 * (converted). A time without a zone is UTC (the field says so).
 */
export const FIELD_NATION_INSTANT: InstantSyntax = { dateOnly: true, zoneWords: true, lowercaseT: true };

/**
 * ISO 8601 UTC (`YYYY-MM-DDTHH:MM:SSZ`) of a Field Nation timestamp: the documented
 * `{utc: "YYYY-MM-DD HH:MM:SS"}` object or a bare string, read as {@link FIELD_NATION_INSTANT}
 * allows. Undefined when absent or unreadable, or when the date does not exist (2026-02-30).
 */
export function parseFieldNationTime(value: FieldNationTimeWire | undefined): string | undefined {
  return toInstant(typeof value === 'string' ? value : value?.utc, FIELD_NATION_INSTANT);
}

/** Field Nation's request format of an instant (`YYYY-MM-DD HH:MM:SS`, UTC) from ISO 8601. */
export function toFieldNationTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`not a timestamp: ${iso}`);
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

// ---------------------------------------------------------------- statuses

/** Status words compared without case, spaces, underscores or hyphens (`Work Done`, `work_done`). */
export function normalizeStatusWord(word: string): string {
  return word.toLowerCase().replace(/[\s_-]+/g, '');
}

/**
 * Field Nation work-order status names to the canonical status. A published or routed work order
 * has a schedule but no provider yet (SCHEDULED); an assigned one has its provider (DISPATCHED);
 * the provider's "Work Done" and the buyer's "Approved" and "Paid" are all COMPLETED.
 */
export const WORK_ORDER_STATUS = {
  Draft: 'NEW',
  Published: 'SCHEDULED',
  Routed: 'SCHEDULED',
  Assigned: 'DISPATCHED',
  'Work Done': 'COMPLETED',
  Approved: 'COMPLETED',
  Paid: 'COMPLETED',
  Cancelled: 'CANCELLED',
  Canceled: 'CANCELLED',
  Deleted: 'CANCELLED',
} as const satisfies Record<string, WorkOrderStatus>;

/** The same statuses for the work order's one visit. */
export const APPOINTMENT_STATUS = {
  Draft: 'SCHEDULED',
  Published: 'SCHEDULED',
  Routed: 'SCHEDULED',
  Assigned: 'DISPATCHED',
  'Work Done': 'COMPLETED',
  Approved: 'COMPLETED',
  Paid: 'COMPLETED',
  Cancelled: 'CANCELLED',
  Canceled: 'CANCELLED',
  Deleted: 'CANCELLED',
} as const satisfies Record<string, AppointmentStatus>;

function lookup<T extends string>(table: Record<string, T>, word: string): T | undefined {
  const key = normalizeStatusWord(word);
  for (const [k, v] of Object.entries(table)) if (normalizeStatusWord(k) === key) return v;
  return undefined;
}

function subStatusOf(status: FieldNationStatusWire): string {
  const sub = status.sub_status;
  const word = typeof sub === 'string' ? sub : (sub?.name ?? '');
  return `${word} ${status.display ?? ''}`;
}

/** True when the sub-status or display says the work order is on hold ("Assigned: On Hold"). */
function onHold(status: FieldNationStatusWire): boolean {
  return /on[\s_-]?hold/i.test(subStatusOf(status));
}

/** Canonical status of a status object; UNKNOWN for a name not in {@link WORK_ORDER_STATUS}. */
export function workOrderStatusOf(status: FieldNationStatusWire): WorkOrderStatus {
  const s = lookup<WorkOrderStatus>(WORK_ORDER_STATUS, status.name) ?? 'UNKNOWN';
  return onHold(status) && s !== 'COMPLETED' && s !== 'CANCELLED' ? 'ON_HOLD' : s;
}

/** Canonical status of the work order's visit; UNKNOWN for an unknown name. */
export function appointmentStatusOf(status: FieldNationStatusWire): AppointmentStatus {
  const s = lookup<AppointmentStatus>(APPOINTMENT_STATUS, status.name) ?? 'UNKNOWN';
  return onHold(status) && s !== 'COMPLETED' && s !== 'CANCELLED' ? 'ON_HOLD' : s;
}

// ---------------------------------------------------------------- money, addresses, contacts

/** A decimal string of a wire amount (numbers through their shortest decimal form). */
function decimalOf(v: string | number): string {
  if (typeof v === 'number') {
    const s = String(v);
    return /e/i.test(s) ? v.toFixed(10).replace(/\.?0+$/, '') : s;
  }
  return v.trim();
}

/** An exact decimal as an integer and a scale (`"33.335"` is 33335 and 3); undefined when not a plain decimal. */
function scaled(s: string, signed: boolean): { int: bigint; scale: number } | undefined {
  const m = (signed ? /^(-)?(\d+)(?:\.(\d+))?$/ : /^()(\d+)(?:\.(\d+))?$/).exec(s);
  if (!m) return undefined;
  const frac = m[3] ?? '';
  const int = BigInt(`${m[2]}${frac}`);
  return { int: m[1] ? -int : int, scale: frac.length };
}

/**
 * The work order's pay as money: `base.amount` per unit times `base.units` (1 for fixed pay,
 * hours for hourly pay), multiplied exactly and rounded once, half up, to cents. Undefined
 * without pay or when the amount or units are unreadable.
 */
export function payTotal(pay: FieldNationPayWire | null | undefined, currency = 'USD'): Money | undefined {
  const amountRaw = pay?.base?.amount;
  if (amountRaw === undefined || amountRaw === null) return undefined;
  const unitsRaw = pay?.base?.units;
  const amount = scaled(decimalOf(amountRaw), true);
  const units = scaled(unitsRaw === undefined || unitsRaw === null ? '1' : decimalOf(unitsRaw), false);
  if (!amount || !units) return undefined;
  const product = amount.int * units.int;
  const scale = amount.scale + units.scale;
  let cents: bigint;
  if (scale <= 2) cents = product * 10n ** BigInt(2 - scale);
  else {
    const div = 10n ** BigInt(scale - 2);
    const abs = product < 0n ? -product : product;
    const q = abs / div;
    const rounded = (abs % div) * 2n >= div ? q + 1n : q;
    cents = product < 0n ? -rounded : rounded;
  }
  return { amount: fromCents(Number(cents)), currency };
}

const COUNTRY_ALIASES: Record<string, string> = { USA: 'US', 'UNITED STATES': 'US', 'UNITED STATES OF AMERICA': 'US', CAN: 'CA', CANADA: 'CA' };

/** ISO 3166-1 alpha-2 of a country as written ("US", "usa", "United States"). */
export function countryCode(value: string | null | undefined): string {
  const c = (value ?? '').trim().toUpperCase();
  return COUNTRY_ALIASES[c] ?? c;
}

/** The canonical address of a Field Nation address; undefined when it has no street and no city. */
export function toAddress(a: FieldNationAddressWire | null | undefined): Address | undefined {
  if (!a || (!a.address1?.trim() && !a.city?.trim())) return undefined;
  return {
    line1: a.address1?.trim() ?? '',
    ...(a.address2?.trim() ? { line2: a.address2.trim() } : {}),
    city: a.city?.trim() ?? '',
    region: a.state?.trim() ?? '',
    postalCode: a.zip?.trim() ?? '',
    country: countryCode(a.country),
  };
}

function contactOf(c: FieldNationContactWire | null | undefined): LocationModel['contact'] {
  if (!c) return undefined;
  const out: NonNullable<LocationModel['contact']> = {};
  if (c.name?.trim()) out.name = c.name.trim();
  if (c.email?.trim()) out.email = c.email.trim();
  const phone = phoneNumber(c.phone);
  if (phone) out.phone = phone;
  return Object.keys(out).length ? out : undefined;
}

// ---------------------------------------------------------------- directory records

/** A client (one of the company's end customers) as a customer. */
export function toCustomerModel(c: FieldNationClientWire): CustomerModel {
  const kind = c.type?.toLowerCase() === 'residential' ? 'RESIDENTIAL' : c.type?.toLowerCase() === 'commercial' ? 'COMMERCIAL' : undefined;
  const address = toAddress(c.address);
  const email = c.contact?.email?.trim();
  const phone = phoneNumber(c.contact?.phone);
  const createdAt = parseFieldNationTime(c.created);
  const updatedAt = parseFieldNationTime(c.last_updated);
  return {
    ref: ref(c.id),
    name: c.name.trim(),
    ...(kind ? { kind } : {}),
    ...(email ? { email } : {}),
    ...(phone ? { phone } : {}),
    ...(address ? { address } : {}),
    crossReferences: [],
    tags: [],
    active: c.active ?? true,
    ...(createdAt ? { createdAt } : {}),
    ...(updatedAt ? { updatedAt } : {}),
  };
}

/** A saved location; its contact is the on-site contact, its client the customer. */
export function toLocationModel(l: FieldNationLocationWire): LocationModel {
  const contact = contactOf(l.contact);
  const name = l.name?.trim() || l.display_name?.trim();
  const createdAt = parseFieldNationTime(l.created);
  const updatedAt = parseFieldNationTime(l.last_updated);
  return {
    ref: ref(l.id),
    ...(l.client ? { customerRef: ref(l.client.id) } : {}),
    ...(name ? { name } : {}),
    address: toAddress(l) ?? { line1: '', city: '', region: '', postalCode: '', country: countryCode(l.country) },
    ...(contact ? { contact } : {}),
    active: l.active ?? true,
    ...(createdAt ? { createdAt } : {}),
    ...(updatedAt ? { updatedAt } : {}),
  };
}

/** True when the user is a provider (or says nothing about its role); buyer users are not technicians. */
export function isProvider(u: FieldNationUserWire): boolean {
  return !u.role || u.role.toLowerCase() === 'provider';
}

/** A provider as a technician: skills are the skill codes (else the types of work), region the service territory code. */
export function toTechnicianModel(u: FieldNationUserWire): TechnicianModel {
  const name = [u.first_name?.trim(), u.last_name?.trim()].filter(Boolean).join(' ') || `Provider ${u.id}`;
  const email = u.email?.trim();
  const phone = phoneNumber(u.phone);
  const skills = u.skills?.length ? u.skills.map((s) => s.trim()).filter(Boolean) : (u.types_of_work ?? []).map((t) => t.name?.trim() ?? '').filter(Boolean);
  const region = u.service_territory?.code?.trim() || u.service_territory?.name?.trim();
  const createdAt = parseFieldNationTime(u.created);
  const updatedAt = parseFieldNationTime(u.last_updated);
  return {
    ref: ref(u.id),
    name,
    ...(email ? { email } : {}),
    ...(phone ? { phone } : {}),
    skills,
    ...(region ? { region } : {}),
    active: u.status ? u.status.toLowerCase() === 'active' : true,
    ...(createdAt ? { createdAt } : {}),
    ...(updatedAt ? { updatedAt } : {}),
  };
}

// ---------------------------------------------------------------- work orders

/** Names of the custom fields the connector reads and writes. */
export interface CustomFieldNames {
  /** Carries our external reference (stamped on create, looked up after a lost response). */
  externalReference: string;
  /** Carries the number of the Astea Alliance work order this work order serves. */
  clientWoNumber: string;
}

/** The company's custom field names (configurable through settings). */
export const DEFAULT_CUSTOM_FIELDS: CustomFieldNames = { externalReference: 'External Reference', clientWoNumber: 'Client WO Number' };

/** The value of the custom field `name` (case-insensitive), trimmed; undefined when unset or blank. */
export function customFieldValue(fields: FieldNationCustomFieldsWire | null | undefined, name: string): string | undefined {
  const want = name.trim().toLowerCase();
  const f = fields?.results.find((x) => x.name?.trim().toLowerCase() === want);
  const v = f?.value;
  if (v === undefined || v === null) return undefined;
  const s = String(v).trim();
  return s || undefined;
}

/** The stable id of a work order's one visit: `<work order id>-1`. */
export function appointmentIdOf(workOrderId: string): string {
  return `${workOrderId}-1`;
}

/** The work order id of an appointment id from {@link appointmentIdOf}; undefined for anything else. */
export function workOrderIdOfAppointment(appointmentId: string): string | undefined {
  return /^(\d+)-1$/.exec(appointmentId)?.[1];
}

/**
 * The planned window of the service window: `between` and `hours` give start to end; `exact` (one
 * instant, no end) gives an empty window at the start. Undefined without a readable start.
 */
export function windowOf(w: FieldNationWorkOrderWire): TimeWindow | undefined {
  const sw = w.schedule?.service_window;
  const start = parseFieldNationTime(sw?.start);
  if (!start) return undefined;
  const end = sw?.mode?.toLowerCase() === 'exact' ? undefined : parseFieldNationTime(sw?.end);
  return { start, end: end && end >= start ? end : start };
}

/** The providers on a work order: the assignee once assigned, else the providers it is routed to. */
export function technicianRefsOf(w: FieldNationWorkOrderWire): RecordRef[] {
  const assignee = w.assignee?.user?.id;
  if (assignee) return [ref(assignee)];
  return [...new Set((w.routes ?? []).map((r) => r.user.id))].map(ref);
}

function primaryTypeOfWork(w: FieldNationWorkOrderWire) {
  const tows = w.types_of_work ?? [];
  return tows.find((t) => t.isPrimary) ?? tows[0] ?? (w.type_of_work ? { ...w.type_of_work, service_types: null } : undefined);
}

/** The saved location id of a work order (custom addresses have none). */
function savedLocationId(w: FieldNationWorkOrderWire): string | undefined {
  const l = w.location;
  if (!l?.id) return undefined;
  return !l.mode || l.mode.toLowerCase() === 'saved' ? l.id : undefined;
}

/** The work order's one visit (its schedule) as an appointment; undefined when it has no schedule. */
export function toAppointmentModel(w: FieldNationWorkOrderWire): AppointmentModel | undefined {
  const window = windowOf(w);
  if (!window) return undefined;
  const id = appointmentIdOf(w.id);
  const createdAt = parseFieldNationTime(w.created);
  const updatedAt = parseFieldNationTime(w.last_updated) ?? parseFieldNationTime(w.updated);
  return {
    ref: ref(id),
    workOrderRef: ref(w.id),
    number: id,
    status: appointmentStatusOf(w.status),
    sourceStatus: w.status.name,
    window,
    technicianRefs: technicianRefsOf(w),
    ...(createdAt ? { createdAt } : {}),
    ...(updatedAt ? { updatedAt } : {}),
  };
}

/**
 * A work order. The number is the id (Field Nation has no other); the summary its title; the
 * service type the primary type of work's service type (else the type of work); the total its pay;
 * the customer its client; the location its saved location; the technicians its assignee (else
 * the routed providers). The "External Reference" custom field is the external reference and the
 * "Client WO Number" one an Astea cross-reference. The schedule is embedded as the one appointment.
 */
export function toWorkOrderModel(w: FieldNationWorkOrderWire, fields: CustomFieldNames = DEFAULT_CUSTOM_FIELDS): WorkOrderModel {
  const tow = primaryTypeOfWork(w);
  const serviceType = tow?.service_types?.[0]?.name?.trim() || tow?.name?.trim() || undefined;
  const locationId = savedLocationId(w);
  const window = windowOf(w);
  const externalReference = customFieldValue(w.custom_fields, fields.externalReference);
  const asteaNumber = customFieldValue(w.custom_fields, fields.clientWoNumber);
  const crossReferences: CrossReference[] = asteaNumber ? [{ system: 'astea', number: asteaNumber, via: `custom_fields.${fields.clientWoNumber}` }] : [];
  const total = payTotal(w.pay);
  const appointment = toAppointmentModel(w);
  const createdAt = parseFieldNationTime(w.created);
  const updatedAt = parseFieldNationTime(w.last_updated) ?? parseFieldNationTime(w.updated);
  const summary = w.title?.trim();
  return {
    ref: ref(w.id),
    number: w.id,
    status: workOrderStatusOf(w.status),
    sourceStatus: w.status.name,
    ...(serviceType ? { serviceType } : {}),
    ...(summary ? { summary } : {}),
    ...(w.client ? { customerRef: ref(w.client.id) } : {}),
    ...(locationId ? { locationRef: ref(locationId) } : {}),
    equipmentRefs: [],
    technicianRefs: technicianRefsOf(w),
    ...(window ? { window } : {}),
    ...(externalReference ? { externalReference } : {}),
    crossReferences,
    parts: [],
    ...(total ? { total } : {}),
    ...(appointment ? { embedded: { appointments: [appointment] } } : {}),
    ...(createdAt ? { createdAt } : {}),
    ...(updatedAt ? { updatedAt } : {}),
  };
}

// ---------------------------------------------------------------- commands to request bodies

/** Escapes text for the HTML description. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** `{utc}` of an ISO instant. */
function fnTime(iso: string): { utc: string } {
  return { utc: toFieldNationTime(iso) };
}

/**
 * The service window of a time window: `exact` when start and end are the same instant, else
 * `between` with both start and end (Field Nation keeps an old end when only a start is sent).
 */
export function toScheduleBody(window: TimeWindow): FieldNationScheduleBodyWire {
  const start = fnTime(window.start);
  const end = fnTime(window.end);
  return { service_window: start.utc === end.utc ? { mode: 'exact', start } : { mode: 'between', start, end } };
}

/** The type of work (and service type) a command's service type names. */
export interface TypeOfWorkChoice {
  typeOfWorkId: number;
  serviceTypeId?: number;
}

/**
 * Resolves a service type against the company's types of work: `typeOfWorkId` when configured,
 * else the type of work of that name; within it, the service type of that name (optional). Also
 * accepts a service type name that exists under exactly one type of work. Undefined when the
 * service type names nothing, or several types of work without a configured one.
 */
export function matchTypeOfWork(serviceType: string, typesOfWork: readonly FieldNationTypeOfWorkWire[], typeOfWorkId?: string): TypeOfWorkChoice | undefined {
  const want = serviceType.trim().toLowerCase();
  const serviceTypeIn = (t: FieldNationTypeOfWorkWire) => t.service_types?.find((s) => s.name?.trim().toLowerCase() === want);
  const choose = (t: FieldNationTypeOfWorkWire): TypeOfWorkChoice => {
    const st = serviceTypeIn(t);
    return { typeOfWorkId: Number(t.id), ...(st ? { serviceTypeId: Number(st.id) } : {}) };
  };
  if (typeOfWorkId !== undefined) {
    const t = typesOfWork.find((x) => x.id === typeOfWorkId);
    return t ? choose(t) : undefined;
  }
  const byName = typesOfWork.find((t) => t.name.trim().toLowerCase() === want);
  if (byName) return choose(byName);
  const withServiceType = typesOfWork.filter((t) => serviceTypeIn(t));
  return withServiceType.length === 1 ? choose(withServiceType[0]!) : undefined;
}

/** A custom-address location of a work order. */
export function toCustomLocation(a: Address, name?: string): FieldNationLocationInputWire {
  return {
    mode: 'custom',
    ...(name ? { name } : {}),
    address1: a.line1,
    ...(a.line2 ? { address2: a.line2 } : {}),
    city: a.city,
    state: a.region,
    zip: a.postalCode,
    country: a.country,
  };
}

/** Body of POST /clients for a new customer of a create command. */
export function toClientCreateBody(c: { name: string; email?: string; phone?: string; address: Address }): FieldNationClientCreateWire {
  const contact = { name: c.name, ...(c.email ? { email: c.email } : {}), ...(c.phone ? { phone: c.phone } : {}) };
  return {
    name: c.name,
    contact,
    address: {
      address1: c.address.line1,
      ...(c.address.line2 ? { address2: c.address.line2 } : {}),
      city: c.address.city,
      state: c.address.region,
      zip: c.address.postalCode,
      country: c.address.country,
    },
  };
}

/** What a create command needs resolved against the vendor before it becomes a body. */
export interface ResolvedCreate {
  typeOfWork: TypeOfWorkChoice;
  location: FieldNationLocationInputWire;
  clientId?: number;
  projectId?: number;
  /** Pay of the provider (a decimal string; Field Nation needs pay to publish). */
  pay?: { type: 'fixed' | 'hourly'; amount: string; units?: string };
  /** Id of the custom field that carries our external reference. */
  externalReferenceFieldId: number;
}

/**
 * Body of POST /workorders. Field Nation has no priority, problem code, SLA, equipment or parts
 * fields on a work order: they go into the description, so the provider sees them.
 */
export function toCreateWorkOrderBody(command: CreateWorkOrderCommand, r: ResolvedCreate): FieldNationWorkOrderCreateWire {
  if (!command.window) throw new RangeError('a Field Nation work order needs a service window');
  const lines: string[] = [command.summary];
  if (command.problemCode) lines.push(`Problem code: ${command.problemCode}`);
  lines.push(`Priority: ${command.priority.toLowerCase()}`);
  if (command.sla?.respondBy) lines.push(`Respond by: ${command.sla.respondBy}`);
  if (command.sla?.completeBy) lines.push(`Complete by: ${command.sla.completeBy}`);
  const eq = command.equipment;
  if (eq && 'model' in eq) {
    lines.push(`Equipment: ${[eq.manufacturer, eq.model].filter(Boolean).join(' ')}${eq.serialNumber ? `, serial ${eq.serialNumber}` : ''}${eq.warranty ? ' (under warranty)' : ''}`);
  }
  for (const p of command.parts ?? []) lines.push(`Part: ${p.quantity} x ${p.partNumber}${p.description ? ` (${p.description})` : ''}`);
  if (command.notes) lines.push(command.notes);
  const pay = r.pay ? toPayBody(r.pay) : undefined;
  return {
    title: command.summary.trim().slice(0, 255),
    description: { html: lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('') },
    types_of_work: [
      {
        id: r.typeOfWork.typeOfWorkId,
        isPrimary: true,
        ...(r.typeOfWork.serviceTypeId !== undefined ? { service_types: [{ id: r.typeOfWork.serviceTypeId }] } : {}),
      },
    ],
    location: r.location,
    schedule: toScheduleBody(command.window),
    ...(pay ? { pay } : {}),
    ...(r.projectId !== undefined ? { project: { id: r.projectId } } : {}),
    ...(r.clientId !== undefined ? { client: { id: r.clientId } } : {}),
    custom_fields: [{ id: r.externalReferenceFieldId, value: command.externalReference }],
  };
}

/** Pay in the wire's number form, checked to be an exact decimal of at most two places. */
function toPayBody(p: NonNullable<ResolvedCreate['pay']>): NonNullable<FieldNationWorkOrderCreateWire['pay']> {
  const cents = toCents(p.amount);
  return { type: p.type, base: { amount: Number(fromCents(cents)), units: p.units ? Number(p.units) : 1 } };
}

// ---------------------------------------------------------------- errors

/**
 * The vendor's field errors of an error body, as the vendor named the fields
 * (`types_of_work.0.id`, `location.id`, `schedule.service_window.end`, `user.id`...).
 */
export function toFieldErrors(problem: FieldNationProblemWire): VendorFieldError[] {
  return (problem.errors ?? [])
    .filter((e) => e.message)
    .map((e) => ({ field: e.field?.trim() || 'body', message: e.message!.slice(0, 300) }));
}
