/**
 * The state of the ServiceTitan simulator: one {@link TenantStore} per tenant, built from the data
 * set (tenant 1) or empty (tenant 2), plus the fixed reference data every tenant shares. Records
 * are held close to their wire shape; fields the API derives (appointment counts, balances,
 * assignment status, technician names) are computed when rendered (see `render.ts`).
 */
import { UNIT_TYPES } from '../../sandbox/dataset/catalog.js';
import { toCents } from '../../sandbox/dataset/money.js';
import type { GenAddress, VendorData } from '../../sandbox/dataset/types.js';
import {
  BUSINESS_UNITS,
  CAMPAIGNS,
  CUSTOM_FIELD_TYPES,
  ID_BASE,
  JOB_TYPES,
  MEMBERSHIP_TYPES,
  PAYMENT_TYPES,
  SERVICETITAN_SANDBOX,
  TAG_TYPES,
  type BillingFrequency,
} from './constants.js';
import type {
  Address,
  AppointmentStatus,
  BookingStatus,
  ContactType,
  CustomerType,
  CustomField,
  JobStatus,
  MembershipStatus,
  Priority,
  TransactionStatus,
} from './schemas.js';
import { IdSequence, Table } from './table.js';

/** An `externalData` entry with the application guid it was written under. */
export interface ExternalDatum {
  applicationGuid: string;
  key: string;
  value: string;
}

interface Row {
  id: number;
  createdOn: string;
  modifiedOn: string;
}

/** A stored customer. */
export interface CustomerRec extends Row {
  active: boolean;
  name: string;
  type: CustomerType;
  address: Address;
  customFields: CustomField[];
  tagTypeIds: number[];
  doNotMail: boolean;
  doNotService: boolean;
  createdById: number;
  mergedToId: number | null;
  externalData: ExternalDatum[];
}

/** A contact of a customer or of a location (`ownerId` is the customer's or the location's id). */
export interface ContactRec extends Row {
  ownerId: number;
  type: ContactType;
  value: string;
  memo: string | null;
}

/** A stored location. */
export interface LocationRec extends Row {
  customerId: number;
  active: boolean;
  name: string;
  address: Address;
  customFields: CustomField[];
  createdById: number;
  mergedToId: number | null;
  zoneId: number | null;
  tagTypeIds: number[];
  externalData: ExternalDatum[];
  taxZoneId: number | null;
}

/** A stored installed equipment record. */
export interface EquipmentRec extends Row {
  locationId: number;
  customerId: number;
  active: boolean;
  name: string;
  type: string | null;
  installedOn: string | null;
  serialNumber: string | null;
  memo: string | null;
  manufacturer: string | null;
  model: string | null;
  cost: number;
  manufacturerWarrantyStart: string | null;
  manufacturerWarrantyEnd: string | null;
  serviceProviderWarrantyStart: string | null;
  serviceProviderWarrantyEnd: string | null;
  tagTypeIds: number[];
  customFields: Array<{ id: number; typeId: number; name: string; value: string | null }>;
}

/** A stored technician. */
export interface TechnicianRec extends Row {
  userId: number;
  name: string;
  active: boolean;
  businessUnitId: number | null;
  email: string | null;
  phoneNumber: string | null;
  loginName: string;
  team: string | null;
  customFields: CustomField[];
}

/** A stored job (derived fields are computed when rendered). */
export interface JobRec extends Row {
  jobNumber: string;
  customerId: number;
  locationId: number;
  jobStatus: JobStatus;
  completedOn: string | null;
  businessUnitId: number;
  jobTypeId: number;
  priority: Priority;
  campaignId: number;
  summary: string | null;
  customFields: CustomField[];
  createdById: number;
  tagTypeIds: number[];
  bookingId: number | null;
  projectId: number | null;
  customerPo: string | null;
  jobGeneratedLeadSource: { jobId: number | null; employeeId: number | null } | null;
  externalData: ExternalDatum[];
  equipmentIds: number[];
  total: number;
  membershipId: number | null;
  active: boolean;
  /** Why the job was canceled or put on hold (kept for remove-cancellation and diagnostics). */
  reason: { kind: 'cancel' | 'hold'; reasonId: number; memo: string } | null;
}

/** A stored appointment. */
export interface AppointmentRec extends Row {
  jobId: number;
  customerId: number;
  appointmentNumber: string;
  start: string;
  end: string;
  arrivalWindowStart: string | null;
  arrivalWindowEnd: string | null;
  status: AppointmentStatus;
  specialInstructions: string | null;
  unused: boolean;
  isConfirmed: boolean;
  active: boolean;
}

/** A stored assignment (status and technician name are derived). */
export interface AssignmentRec {
  id: number;
  technicianId: number;
  jobId: number;
  appointmentId: number;
  assignedById: number | null;
  assignedOn: string;
}

/** A stored invoice line, money in cents. */
export interface InvoiceItemRec {
  id: number;
  skuId: number;
  skuName: string;
  description: string;
  type: 'Service' | 'Material';
  quantity: string;
  priceCents: number;
  totalCents: number;
  membershipTypeId: number | null;
  order: number;
}

/** A stored invoice, money in cents. */
export interface InvoiceRec extends Row {
  referenceNumber: string;
  jobId: number | null;
  customerId: number;
  locationId: number | null;
  businessUnitId: number;
  membershipId: number | null;
  syncStatus: TransactionStatus;
  summary: string | null;
  invoiceDate: string;
  dueDate: string;
  subTotalCents: number;
  salesTaxCents: number;
  totalCents: number;
  balanceCents: number;
  items: InvoiceItemRec[];
}

/** A stored payment, split amounts in cents. */
export interface PaymentRec extends Row {
  referenceNumber: string;
  typeId: number;
  customerId: number;
  status: TransactionStatus;
  paidOn: string;
  memo: string | null;
  authCode: string | null;
  checkNumber: string | null;
  exportId: string | null;
  createdBy: string;
  active: boolean;
  splits: Array<{ invoiceId: number; cents: number }>;
}

/** A stored customer membership. */
export interface MembershipRec extends Row {
  customerId: number;
  locationId: number | null;
  membershipTypeId: number;
  businessUnitId: number;
  status: MembershipStatus;
  active: boolean;
  from: string;
  to: string | null;
  duration: number | null;
  billingFrequency: BillingFrequency;
  nextScheduledBillDate: string | null;
  cancellationDate: string | null;
  createdById: number;
  soldById: number | null;
  recurringLocationId: number | null;
  memo: string | null;
}

/** A stored booking. */
export interface BookingRec extends Row {
  bookingProviderId: number;
  source: string;
  name: string;
  address: Omit<Address, 'latitude' | 'longitude'> | null;
  contacts: Array<{ type: ContactType; value: string; memo: string | null }>;
  customerType: CustomerType;
  start: string | null;
  summary: string;
  campaignId: number | null;
  businessUnitId: number | null;
  jobTypeId: number | null;
  priority: Priority | null;
  isFirstTimeClient: boolean;
  isSendConfirmationEmail: boolean;
  uploadedImages: string[];
  status: BookingStatus;
  externalId: string;
  jobId: number | null;
}

/** Id sequences per record kind, shared by all tenants. */
export interface Sequences {
  customer: IdSequence;
  contact: IdSequence;
  location: IdSequence;
  equipment: IdSequence;
  equipmentField: IdSequence;
  technician: IdSequence;
  job: IdSequence;
  jobNumber: IdSequence;
  appointment: IdSequence;
  assignment: IdSequence;
  invoice: IdSequence;
  invoiceItem: IdSequence;
  payment: IdSequence;
  membership: IdSequence;
  booking: IdSequence;
}

/** Fresh sequences (each starts at its kind's base; tables move them past the data set's ids). */
export function newSequences(): Sequences {
  return {
    customer: new IdSequence(ID_BASE.customer),
    contact: new IdSequence(ID_BASE.contact),
    location: new IdSequence(ID_BASE.location),
    equipment: new IdSequence(ID_BASE.equipment),
    equipmentField: new IdSequence(6_060_000_000),
    technician: new IdSequence(ID_BASE.technician),
    job: new IdSequence(ID_BASE.job),
    jobNumber: new IdSequence(10_000),
    appointment: new IdSequence(ID_BASE.appointment),
    assignment: new IdSequence(ID_BASE.assignment),
    invoice: new IdSequence(ID_BASE.invoice),
    invoiceItem: new IdSequence(ID_BASE.invoiceItem),
    payment: new IdSequence(ID_BASE.payment),
    membership: new IdSequence(ID_BASE.membership),
    booking: new IdSequence(ID_BASE.booking),
  };
}

/** Tag types: the fixed list plus any tag name of the data set it lacks. */
export function tagTypesFor(data: VendorData): Array<{ id: number; name: string; color: string }> {
  const out = TAG_TYPES.map((t) => ({ ...t }));
  const known = new Set(out.map((t) => t.name.toLowerCase()));
  const extra = [...new Set(data.customers.flatMap((c) => c.tags))].filter((t) => !known.has(t.toLowerCase())).sort();
  extra.forEach((name, i) => out.push({ id: 6_600_000_101 + i, name, color: '#8395A7' }));
  return out;
}

/** Everything one tenant holds. */
export class TenantStore {
  readonly customers: Table<CustomerRec>;
  readonly contacts: Table<ContactRec>;
  readonly locations: Table<LocationRec>;
  readonly equipment: Table<EquipmentRec>;
  readonly technicians: Table<TechnicianRec>;
  readonly jobs: Table<JobRec>;
  readonly appointments: Table<AppointmentRec>;
  readonly assignments: Table<AssignmentRec>;
  readonly invoices: Table<InvoiceRec>;
  readonly payments: Table<PaymentRec>;
  readonly memberships: Table<MembershipRec>;
  readonly bookings: Table<BookingRec>;

  constructor(
    readonly tenant: string,
    readonly seq: Sequences,
    readonly tagTypes: ReadonlyArray<{ id: number; name: string; color: string }>,
  ) {
    this.customers = new Table<CustomerRec>(seq.customer);
    this.contacts = new Table<ContactRec>(seq.contact).index('owner', (c) => c.ownerId);
    this.locations = new Table<LocationRec>(seq.location).index('customer', (l) => l.customerId);
    this.equipment = new Table<EquipmentRec>(seq.equipment).index('location', (e) => e.locationId);
    this.technicians = new Table<TechnicianRec>(seq.technician);
    this.jobs = new Table<JobRec>(seq.job).index('customer', (j) => j.customerId).index('location', (j) => j.locationId);
    this.appointments = new Table<AppointmentRec>(seq.appointment).index('job', (a) => a.jobId);
    this.assignments = new Table<AssignmentRec>(seq.assignment)
      .index('appointment', (a) => a.appointmentId)
      .index('technician', (a) => a.technicianId)
      .index('job', (a) => a.jobId);
    this.invoices = new Table<InvoiceRec>(seq.invoice).index('job', (i) => i.jobId).index('customer', (i) => i.customerId);
    this.payments = new Table<PaymentRec>(seq.payment).index('customer', (p) => p.customerId);
    this.memberships = new Table<MembershipRec>(seq.membership).index('customer', (m) => m.customerId);
    this.bookings = new Table<BookingRec>(seq.booking).index('externalId', (b) => b.externalId).index('provider', (b) => b.bookingProviderId);
  }

  /** Appointments of a job, by start then id (the first is the job's first appointment). */
  appointmentsOf(jobId: number): AppointmentRec[] {
    return [...this.appointments.by('job', jobId)].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.id - b.id));
  }

  /** Technician ids assigned to an appointment. */
  technicianIdsOf(appointmentId: number): number[] {
    return this.assignments.by('appointment', appointmentId).map((a) => a.technicianId);
  }
}

// ---------------------------------------------------------------- building from the data set

/** Seeded records were created by an office user of the tenant, not through the API. */
export const OFFICE_USER_ID = 6_990_000_002;

/** `2024-05-01` -> `2024-05-01T00:00:00Z`; date-times pass unchanged. */
export function dateTime(value: string | undefined | null): string | null {
  if (!value) return null;
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value;
}

function address(a: GenAddress): Address {
  return {
    street: a.line1,
    unit: a.line2 ?? null,
    city: a.city,
    state: a.region,
    zip: a.postalCode,
    country: a.country,
    latitude: a.latitude ?? null,
    longitude: a.longitude ?? null,
  };
}

/** The business unit of a trade (skill), HVAC when unknown. */
export function businessUnitForSkill(skill: string | undefined): number {
  return (BUSINESS_UNITS.find((b) => b.skill === skill) ?? BUSINESS_UNITS[0]!).id;
}

function skillOf(unitType: string | undefined, problemCode: string): string | undefined {
  const byType = UNIT_TYPES.find((u) => u.type === unitType);
  if (byType) return byType.skill;
  return UNIT_TYPES.find((u) => u.problems.includes(problemCode))?.skill;
}

const byModified = <T extends Row>(row: T): number => Date.parse(row.modifiedOn);

/** Builds tenant `tenant` from `data` (the data set's ServiceTitan records, or an empty set). */
export function buildTenantStore(tenant: string, data: VendorData, seq: Sequences, tagTypes: ReadonlyArray<{ id: number; name: string; color: string }>): TenantStore {
  const s = new TenantStore(tenant, seq, tagTypes);
  const guid = SERVICETITAN_SANDBOX.applicationGuid;
  const tagId = new Map(tagTypes.map((t) => [t.name.toLowerCase(), t.id]));
  const activeCampaigns = CAMPAIGNS.filter((c) => c.active);

  for (const c of data.customers) {
    const id = Number(c.id);
    s.customers.insert({
      id,
      active: c.active,
      name: c.name,
      type: c.type === 'commercial' ? 'Commercial' : 'Residential',
      address: address(c.address),
      customFields: [],
      tagTypeIds: c.tags.map((t) => tagId.get(t.toLowerCase())).filter((t): t is number => t !== undefined),
      doNotMail: false,
      doNotService: false,
      createdOn: c.createdAt,
      createdById: OFFICE_USER_ID,
      modifiedOn: c.updatedAt,
      mergedToId: null,
      // Cross-system references travel as externalData (ST-SPEC §externalData), e.g. `seraCustomerId`.
      externalData: c.externalRefs.map((r) => ({ applicationGuid: guid, key: `${r.vendor}CustomerId`, value: r.id })),
    });
  }
  // Contacts are a sub-resource in ServiceTitan: the customer payload has no email or phone.
  for (const c of [...data.customers].sort((a, b) => Number(a.id) - Number(b.id))) {
    const ownerId = Number(c.id);
    if (c.email !== undefined) {
      s.contacts.insert({ id: seq.contact.next(), ownerId, type: 'Email', value: c.email, memo: null, createdOn: c.createdAt, modifiedOn: c.updatedAt });
    }
    if (c.phone !== undefined) {
      s.contacts.insert({
        id: seq.contact.next(),
        ownerId,
        type: c.type === 'commercial' ? 'Phone' : 'MobilePhone',
        value: c.phone,
        memo: null,
        createdOn: c.createdAt,
        modifiedOn: c.updatedAt,
      });
    }
  }

  for (const l of data.locations) {
    s.locations.insert({
      id: Number(l.id),
      customerId: Number(l.customerId),
      active: l.active,
      name: l.name,
      address: address(l.address),
      customFields: [],
      createdOn: l.createdAt,
      createdById: OFFICE_USER_ID,
      modifiedOn: l.updatedAt,
      mergedToId: null,
      zoneId: null,
      tagTypeIds: [],
      externalData: [],
      taxZoneId: null,
    });
  }
  for (const l of [...data.locations].sort((a, b) => Number(a.id) - Number(b.id))) {
    if (!l.contact) continue;
    const ownerId = Number(l.id);
    const memo = l.contact.name;
    if (l.contact.phone) s.contacts.insert({ id: seq.contact.next(), ownerId, type: 'Phone', value: l.contact.phone, memo, createdOn: l.createdAt, modifiedOn: l.updatedAt });
    if (l.contact.email) s.contacts.insert({ id: seq.contact.next(), ownerId, type: 'Email', value: l.contact.email, memo, createdOn: l.createdAt, modifiedOn: l.updatedAt });
  }

  const unitTypeOf = new Map<string, string>();
  for (const e of [...data.equipment].sort((a, b) => Number(a.id) - Number(b.id))) {
    unitTypeOf.set(e.id, e.type);
    const wf = CUSTOM_FIELD_TYPES.warrantyProgram;
    s.equipment.insert({
      id: Number(e.id),
      locationId: Number(e.locationId),
      customerId: Number(e.customerId),
      active: e.active,
      name: e.name,
      type: e.type,
      installedOn: dateTime(e.installedOn),
      serialNumber: e.serialNumber,
      memo: null,
      manufacturer: e.manufacturer,
      model: e.model,
      cost: 0,
      manufacturerWarrantyStart: dateTime(e.warrantyStart),
      manufacturerWarrantyEnd: dateTime(e.warrantyEnd),
      serviceProviderWarrantyStart: null,
      serviceProviderWarrantyEnd: null,
      tagTypeIds: [],
      customFields: e.warrantyProgram ? [{ id: seq.equipmentField.next(), typeId: wf.typeId, name: wf.name, value: e.warrantyProgram }] : [],
      createdOn: e.createdAt,
      modifiedOn: e.updatedAt,
    });
  }

  for (const t of data.technicians) {
    const id = Number(t.id);
    const cf = CUSTOM_FIELD_TYPES;
    s.technicians.insert({
      id,
      // Technicians log in as users; user ids are a separate sequence in ServiceTitan.
      userId: 8_100_000_000 + (id % 100_000_000),
      name: t.name,
      active: t.active,
      businessUnitId: businessUnitForSkill(t.skills[0]),
      email: t.email,
      phoneNumber: t.phone,
      loginName: t.email.split('@')[0]!.trim().toLowerCase(),
      team: t.region,
      customFields: [
        { typeId: cf.skills.typeId, name: cf.skills.name, value: t.skills.join(', ') },
        { typeId: cf.dailyCapacity.typeId, name: cf.dailyCapacity.name, value: String(t.dailyCapacity) },
        { typeId: cf.region.typeId, name: cf.region.name, value: t.region },
      ],
      createdOn: t.createdAt,
      modifiedOn: t.updatedAt,
    });
  }

  const jobTypeFor = new Map(JOB_TYPES.map((j) => [j.serviceType, j.id]));
  for (const w of data.workOrders) {
    const id = Number(w.id);
    const cf = CUSTOM_FIELD_TYPES;
    const customFields: CustomField[] = [{ typeId: cf.problemCode.typeId, name: cf.problemCode.name, value: w.problemCode }];
    if (w.sla) {
      customFields.push({ typeId: cf.respondBy.typeId, name: cf.respondBy.name, value: w.sla.respondBy });
      customFields.push({ typeId: cf.completeBy.typeId, name: cf.completeBy.name, value: w.sla.completeBy });
    }
    if (w.warranty) customFields.push({ typeId: cf.manufacturerWarranty.typeId, name: cf.manufacturerWarranty.name, value: 'Yes' });
    const numeric = Number(w.number);
    if (Number.isSafeInteger(numeric)) seq.jobNumber.see(numeric);
    s.jobs.insert({
      id,
      jobNumber: w.number,
      customerId: Number(w.customerId),
      locationId: Number(w.locationId),
      jobStatus: w.status as JobStatus,
      completedOn: w.completedAt ?? null,
      businessUnitId: businessUnitForSkill(skillOf(unitTypeOf.get(w.equipmentIds[0] ?? ''), w.problemCode)),
      jobTypeId: jobTypeFor.get(w.serviceType) ?? JOB_TYPES[0]!.id,
      priority: w.priority as Priority,
      campaignId: activeCampaigns[id % activeCampaigns.length]!.id,
      summary: w.summary,
      customFields,
      createdById: OFFICE_USER_ID,
      tagTypeIds: [],
      bookingId: null,
      projectId: null,
      customerPo: null,
      jobGeneratedLeadSource: null,
      // Other systems' records of the same job, e.g. `servicepowerWorkOrderId`.
      externalData: w.links.map((r) => ({ applicationGuid: guid, key: `${r.vendor}WorkOrderId`, value: r.id })),
      equipmentIds: w.equipmentIds.map(Number),
      total: toCents(w.total) / 100,
      membershipId: null,
      active: true,
      reason: null,
      createdOn: w.createdAt,
      modifiedOn: w.updatedAt,
    });
  }

  for (const a of data.appointments) {
    const job = s.jobs.get(Number(a.workOrderId));
    if (!job) continue;
    s.appointments.insert({
      id: Number(a.id),
      jobId: job.id,
      customerId: job.customerId,
      appointmentNumber: a.number,
      start: a.start,
      end: a.end,
      arrivalWindowStart: a.arrivalWindowStart,
      arrivalWindowEnd: a.arrivalWindowEnd,
      status: a.status as AppointmentStatus,
      specialInstructions: a.instructions ?? null,
      unused: false,
      isConfirmed: a.status !== 'Scheduled',
      active: true,
      createdOn: a.createdAt,
      modifiedOn: a.updatedAt,
    });
  }
  // ServiceTitan cannot hold a job without an appointment (job create requires one), so a job the
  // data set left unscheduled gets a placeholder visit the day after it was booked, without technician.
  for (const job of s.jobs.rows) {
    if (s.appointments.by('job', job.id).length > 0) continue;
    const start = Math.ceil((Date.parse(job.createdOn) + 24 * 3600_000) / 3600_000) * 3600_000;
    s.appointments.insert({
      id: seq.appointment.next(),
      jobId: job.id,
      customerId: job.customerId,
      appointmentNumber: `${job.jobNumber}-1`,
      start: new Date(start).toISOString().replace('.000Z', 'Z'),
      end: new Date(start + 4 * 3600_000).toISOString().replace('.000Z', 'Z'),
      arrivalWindowStart: null,
      arrivalWindowEnd: null,
      status: job.jobStatus === 'Canceled' ? 'Canceled' : 'Scheduled',
      specialInstructions: null,
      unused: false,
      isConfirmed: false,
      active: true,
      createdOn: job.createdOn,
      modifiedOn: job.modifiedOn,
    });
  }
  const techIdsOf = new Map(data.appointments.map((a) => [Number(a.id), a.technicianIds]));
  for (const appt of s.appointments.rows) {
    for (const t of techIdsOf.get(appt.id) ?? []) {
      s.assignments.insert({
        id: seq.assignment.next(),
        technicianId: Number(t),
        jobId: appt.jobId,
        appointmentId: appt.id,
        assignedById: OFFICE_USER_ID,
        assignedOn: appt.createdOn,
      });
    }
  }

  const partNumbers = new Set(data.workOrders.flatMap((w) => w.parts.map((p) => p.partNumber)));
  for (const inv of [...data.invoices].sort((a, b) => Number(a.id) - Number(b.id))) {
    const job = s.jobs.get(Number(inv.workOrderId));
    s.invoices.insert({
      id: Number(inv.id),
      referenceNumber: inv.number,
      jobId: job ? job.id : null,
      customerId: Number(inv.customerId),
      locationId: Number(inv.locationId),
      businessUnitId: job?.businessUnitId ?? BUSINESS_UNITS[0]!.id,
      membershipId: null,
      syncStatus: inv.status as TransactionStatus,
      summary: job?.summary ?? null,
      invoiceDate: dateTime(inv.issuedOn)!,
      dueDate: dateTime(inv.dueOn)!,
      subTotalCents: toCents(inv.subtotal),
      salesTaxCents: toCents(inv.tax),
      totalCents: toCents(inv.total),
      balanceCents: toCents(inv.balance),
      items: inv.items.map((it, i) => ({
        id: seq.invoiceItem.next(),
        // Pricebook SKUs are not part of the sandbox; a stable id per code stands in for them.
        skuId: skuIdOf(it.code),
        skuName: it.code,
        description: it.description,
        type: partNumbers.has(it.code) ? 'Material' : 'Service',
        quantity: it.quantity,
        priceCents: toCents(it.unitPrice),
        totalCents: toCents(it.total),
        membershipTypeId: null,
        order: i + 1,
      })),
      createdOn: inv.createdAt,
      modifiedOn: inv.updatedAt,
    });
  }
  // The data set records what is still owed; the payments that settled the rest are implied.
  for (const inv of s.invoices.rows) {
    const paid = inv.totalCents - inv.balanceCents;
    if (paid <= 0) continue;
    const id = seq.payment.next();
    s.payments.insert({
      id,
      referenceNumber: String(id).slice(-6),
      typeId: PAYMENT_TYPES[inv.id % PAYMENT_TYPES.length]!.id,
      customerId: inv.customerId,
      status: inv.syncStatus === 'Exported' ? 'Exported' : 'Posted',
      paidOn: inv.modifiedOn,
      memo: null,
      authCode: null,
      checkNumber: null,
      exportId: null,
      createdBy: 'Office',
      active: true,
      splits: [{ invoiceId: inv.id, cents: paid }],
      createdOn: inv.modifiedOn,
      modifiedOn: inv.modifiedOn,
    });
  }

  const cadence: Record<string, BillingFrequency> = { monthly: 'Monthly', quarterly: 'Quarterly', annual: 'Annual' };
  for (const m of data.memberships) {
    const type = MEMBERSHIP_TYPES.find((t) => t.id === Number(m.planId));
    s.memberships.insert({
      id: Number(m.id),
      customerId: Number(m.customerId),
      locationId: m.locationId ? Number(m.locationId) : null,
      membershipTypeId: Number(m.planId),
      businessUnitId: type?.businessUnitId ?? BUSINESS_UNITS[0]!.id,
      status: m.status as MembershipStatus,
      active: true,
      from: dateTime(m.from)!,
      to: dateTime(m.to),
      duration: 12,
      billingFrequency: cadence[m.billingCadence] ?? 'Monthly',
      nextScheduledBillDate: dateTime(m.nextBillingDate),
      cancellationDate: m.status === 'Canceled' ? m.updatedAt : null,
      createdById: OFFICE_USER_ID,
      soldById: null,
      recurringLocationId: m.locationId ? Number(m.locationId) : null,
      memo: null,
      createdOn: m.createdAt,
      modifiedOn: m.updatedAt,
    });
  }

  // Export feeds start with every seeded row in modification order.
  s.customers.seedFeed(byModified);
  s.jobs.seedFeed(byModified);
  return s;
}

/** A stable pricebook-like id for an item code (LABOR, part numbers). */
export function skuIdOf(code: string): number {
  let h = 2166136261;
  for (let i = 0; i < code.length; i++) h = Math.imul(h ^ code.charCodeAt(i), 16777619);
  return 7_400_000_000 + ((h >>> 0) % 1_000_000);
}
