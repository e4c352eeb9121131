/**
 * Renders stored records in ServiceTitan's wire format, computing what the API derives: job
 * appointment counts and invoice ids, customer balances, assignment status and technician names,
 * invoice money as decimal strings, and `externalData` filtered by application guid.
 */
import type { z } from 'zod';
import { fromCents } from '../../sandbox/dataset/money.js';
import {
  BUSINESS_UNITS,
  CAMPAIGN_CATEGORIES,
  CAMPAIGNS,
  JOB_TYPES,
  MEMBERSHIP_TYPES,
  PAYMENT_TYPES,
  REFERENCE_CREATED_ON,
} from './constants.js';
import type {
  AppointmentSchema,
  AssignmentSchema,
  AssignmentStatus,
  BookingSchema,
  ContactSchema,
  CustomerContactSchema,
  CustomerSchema,
  InstalledEquipmentSchema,
  InvoiceSchema,
  JobSchema,
  LocationSchema,
  MembershipSchema,
  PaymentCreatedSchema,
  PaymentListItemSchema,
  TechnicianSchema,
} from './schemas.js';
import type {
  AppointmentRec,
  AssignmentRec,
  BookingRec,
  ContactRec,
  CustomerRec,
  EquipmentRec,
  ExternalDatum,
  InvoiceRec,
  JobRec,
  LocationRec,
  MembershipRec,
  PaymentRec,
  TechnicianRec,
  TenantStore,
} from './store.js';

/**
 * `externalData` as the API returns it. With `externalDataApplicationGuid` only that application's
 * entries are returned; without it the sandbox returns all entries (the real API's behaviour without
 * a guid is not documented precisely).
 */
export function externalDataOf(list: readonly ExternalDatum[], guid: string | undefined): Array<{ key: string; value: string }> {
  const g = guid?.toLowerCase().replace(/[{}]/g, '');
  return list.filter((e) => g === undefined || e.applicationGuid.toLowerCase() === g).map((e) => ({ key: e.key, value: e.value }));
}

/** A customer or location contact; phone types carry `phoneSettings` with the digits. */
export function renderContact(c: ContactRec): z.infer<typeof ContactSchema> {
  const phone = c.type === 'Phone' || c.type === 'MobilePhone';
  return {
    id: c.id,
    type: c.type,
    value: c.value,
    memo: c.memo,
    modifiedOn: c.modifiedOn,
    phoneSettings: phone ? { phoneNumber: c.value.replace(/\D/g, '').replace(/^1(?=\d{10}$)/, ''), doNotText: false } : null,
  };
}

/** A customer's contact with the customer's id (`GET customers/contacts`). */
export function renderCustomerContact(c: ContactRec): z.infer<typeof CustomerContactSchema> {
  return { ...renderContact(c), customerId: c.ownerId };
}

/** A customer; `balance` is the open balance of its invoices. */
export function renderCustomer(s: TenantStore, c: CustomerRec, guid?: string): z.infer<typeof CustomerSchema> {
  const balance = s.invoices.by('customer', c.id).reduce((sum, i) => sum + i.balanceCents, 0);
  return {
    id: c.id,
    active: c.active,
    name: c.name,
    type: c.type,
    address: { ...c.address },
    customFields: c.customFields.map((f) => ({ ...f })),
    balance: balance / 100,
    tagTypeIds: [...c.tagTypeIds],
    doNotMail: c.doNotMail,
    doNotService: c.doNotService,
    createdOn: c.createdOn,
    createdById: c.createdById,
    modifiedOn: c.modifiedOn,
    mergedToId: c.mergedToId,
    externalData: externalDataOf(c.externalData, guid),
  };
}

/** A location (without contacts; the create call adds them). */
export function renderLocation(l: LocationRec, guid?: string): z.infer<typeof LocationSchema> {
  return {
    id: l.id,
    customerId: l.customerId,
    active: l.active,
    name: l.name,
    address: { ...l.address },
    customFields: l.customFields.map((f) => ({ ...f })),
    createdOn: l.createdOn,
    createdById: l.createdById,
    modifiedOn: l.modifiedOn,
    mergedToId: l.mergedToId,
    zoneId: l.zoneId,
    tagTypeIds: [...l.tagTypeIds],
    externalData: externalDataOf(l.externalData, guid),
    taxZoneId: l.taxZoneId,
  };
}

/** An installed equipment record, tags resolved to their tag types. */
export function renderEquipment(s: TenantStore, e: EquipmentRec): z.infer<typeof InstalledEquipmentSchema> {
  const tags = e.tagTypeIds
    .map((typeId) => s.tagTypes.find((t) => t.id === typeId))
    .filter((t) => t !== undefined)
    .map((t, i) => ({ id: e.id * 10 + i, ownerId: e.id, typeId: t.id, typeName: t.name, memo: null, color: t.color, textColor: '#FFFFFF', code: null }));
  return {
    id: e.id,
    equipmentId: null,
    locationId: e.locationId,
    customerId: e.customerId,
    invoiceItemId: null,
    name: e.name,
    type: e.type,
    installedOn: e.installedOn,
    createdOn: e.createdOn,
    modifiedOn: e.modifiedOn,
    serialNumber: e.serialNumber,
    memo: e.memo,
    manufacturer: e.manufacturer,
    model: e.model,
    cost: e.cost,
    manufacturerWarrantyStart: e.manufacturerWarrantyStart,
    manufacturerWarrantyEnd: e.manufacturerWarrantyEnd,
    serviceProviderWarrantyStart: e.serviceProviderWarrantyStart,
    serviceProviderWarrantyEnd: e.serviceProviderWarrantyEnd,
    active: e.active,
    tags,
    customFields: e.customFields.map((f) => ({ ...f })),
    attachments: [],
  };
}

/** A technician. */
export function renderTechnician(t: TechnicianRec): z.infer<typeof TechnicianSchema> {
  return {
    id: t.id,
    userId: t.userId,
    name: t.name,
    roleIds: [6_980_000_001],
    businessUnitId: t.businessUnitId,
    mainZoneId: null,
    zoneIds: [],
    createdOn: t.createdOn,
    modifiedOn: t.modifiedOn,
    email: t.email,
    phoneNumber: t.phoneNumber,
    loginName: t.loginName,
    home: null,
    dailyGoal: 0,
    isManagedTech: false,
    customFields: t.customFields.map((f) => ({ ...f })),
    active: t.active,
    aadUserId: null,
    burdenRate: 0,
    team: t.team,
    jobFilter: 'AllJobs',
  };
}

/** A job with its derived appointment count, first/last appointment and invoice id. */
export function renderJob(s: TenantStore, j: JobRec, guid?: string): z.infer<typeof JobSchema> {
  const appts = s.appointmentsOf(j.id);
  const invoice = s.invoices.by('job', j.id)[0];
  return {
    id: j.id,
    jobNumber: j.jobNumber,
    projectId: j.projectId,
    customerId: j.customerId,
    locationId: j.locationId,
    jobStatus: j.jobStatus,
    completedOn: j.completedOn,
    businessUnitId: j.businessUnitId,
    jobTypeId: j.jobTypeId,
    priority: j.priority,
    campaignId: j.campaignId,
    summary: j.summary,
    customFields: j.customFields.map((f) => ({ ...f })),
    appointmentCount: appts.length,
    firstAppointmentId: appts[0]?.id ?? 0,
    lastAppointmentId: appts[appts.length - 1]?.id ?? 0,
    recallForId: null,
    warrantyId: null,
    jobGeneratedLeadSource: j.jobGeneratedLeadSource ? { ...j.jobGeneratedLeadSource } : null,
    noCharge: false,
    notificationsEnabled: true,
    createdOn: j.createdOn,
    createdById: j.createdById,
    modifiedOn: j.modifiedOn,
    tagTypeIds: [...j.tagTypeIds],
    leadCallId: null,
    bookingId: j.bookingId,
    soldById: null,
    externalData: externalDataOf(j.externalData, guid),
    customerPo: j.customerPo,
    invoiceId: invoice?.id ?? null,
    membershipId: j.membershipId,
    equipmentIds: [...j.equipmentIds],
    total: j.total,
    active: j.active,
  };
}

/** An appointment. */
export function renderAppointment(a: AppointmentRec): z.infer<typeof AppointmentSchema> {
  return {
    id: a.id,
    jobId: a.jobId,
    appointmentNumber: a.appointmentNumber,
    start: a.start,
    end: a.end,
    arrivalWindowStart: a.arrivalWindowStart,
    arrivalWindowEnd: a.arrivalWindowEnd,
    status: a.status,
    specialInstructions: a.specialInstructions,
    createdOn: a.createdOn,
    modifiedOn: a.modifiedOn,
    customerId: a.customerId,
    unused: a.unused,
    isConfirmed: a.isConfirmed,
    active: a.active,
  };
}

/**
 * An assignment's status follows its appointment's (the assignment enum has no Hold or Canceled:
 * a held appointment reads as Working and paused; a canceled one keeps the technician as Scheduled).
 */
export function assignmentStatusOf(status: AppointmentRec['status'] | undefined): { status: AssignmentStatus; isPaused: boolean } {
  switch (status) {
    case 'Dispatched':
      return { status: 'Dispatched', isPaused: false };
    case 'Working':
      return { status: 'Working', isPaused: false };
    case 'Hold':
      return { status: 'Working', isPaused: true };
    case 'Done':
      return { status: 'Done', isPaused: false };
    default:
      return { status: 'Scheduled', isPaused: false };
  }
}

/** An appointment assignment, status and technician name derived. */
export function renderAssignment(s: TenantStore, a: AssignmentRec): z.infer<typeof AssignmentSchema> {
  const { status, isPaused } = assignmentStatusOf(s.appointments.get(a.appointmentId)?.status);
  return {
    id: a.id,
    technicianId: a.technicianId,
    technicianName: s.technicians.get(a.technicianId)?.name ?? '',
    assignedById: a.assignedById,
    assignedOn: a.assignedOn,
    status,
    isPaused,
    jobId: a.jobId,
    appointmentId: a.appointmentId,
  };
}

function shortAddress(a: { street: string; unit: string | null; city: string; state: string; zip: string; country: string }) {
  return { street: a.street, unit: a.unit, city: a.city, state: a.state, zip: a.zip, country: a.country };
}

/** An invoice with nested customer/location/job/business unit and money as decimal strings. */
export function renderInvoice(s: TenantStore, i: InvoiceRec): z.infer<typeof InvoiceSchema> {
  const customer = s.customers.get(i.customerId);
  const location = i.locationId !== null ? s.locations.get(i.locationId) : undefined;
  const job = i.jobId !== null ? s.jobs.get(i.jobId) : undefined;
  const bu = BUSINESS_UNITS.find((b) => b.id === i.businessUnitId) ?? BUSINESS_UNITS[0]!;
  return {
    id: i.id,
    syncStatus: i.syncStatus,
    summary: i.summary,
    referenceNumber: i.referenceNumber,
    invoiceDate: i.invoiceDate,
    dueDate: i.dueDate,
    subTotal: fromCents(i.subTotalCents),
    salesTax: fromCents(i.salesTaxCents),
    salesTaxCode: i.salesTaxCents > 0 ? { id: 6_950_000_001, name: 'Georgia metro', taxRate: 8 } : null,
    total: fromCents(i.totalCents),
    balance: fromCents(i.balanceCents),
    customer: { id: i.customerId, name: customer?.name ?? '' },
    customerAddress: customer ? shortAddress(customer.address) : { street: '', unit: null, city: '', state: '', zip: '', country: '' },
    location: location ? { id: location.id, name: location.name } : null,
    locationAddress: location ? shortAddress(location.address) : null,
    businessUnit: { id: bu.id, name: bu.name },
    termName: 'Net 30',
    createdBy: 'Office',
    batch: null,
    modifiedOn: i.modifiedOn,
    adjustmentToId: null,
    job: job ? { id: job.id, number: job.jobNumber, type: JOB_TYPES.find((t) => t.id === job.jobTypeId)?.name ?? '' } : null,
    projectId: null,
    royalty: null,
    employeeInfo: null,
    commissionEligibilityDate: null,
    membershipId: i.membershipId,
    items: i.items.map((it) => ({
      id: it.id,
      description: it.description,
      quantity: it.quantity,
      cost: '0.00',
      totalCost: '0.00',
      inventoryLocation: null,
      price: fromCents(it.priceCents),
      type: it.type,
      skuName: it.skuName,
      skuId: it.skuId,
      total: fromCents(it.totalCents),
      inventory: it.type === 'Material',
      taxable: it.type === 'Material',
      generalLedgerAccount: null,
      costOfSaleAccount: null,
      assetAccount: null,
      membershipTypeId: it.membershipTypeId,
      itemGroup: null,
      displayName: it.description,
      soldHours: 0,
      modifiedOn: i.modifiedOn,
      serviceDate: i.invoiceDate,
      order: it.order,
    })),
    customFields: [],
  };
}

/** A payment as the list returns it (`DetailedPaymentResponse`). */
export function renderPaymentListItem(s: TenantStore, p: PaymentRec): z.infer<typeof PaymentListItemSchema> {
  const total = p.splits.reduce((sum, x) => sum + x.cents, 0);
  return {
    id: p.id,
    syncStatus: p.status,
    referenceNumber: p.referenceNumber,
    date: p.paidOn,
    type: PAYMENT_TYPES.find((t) => t.id === p.typeId)?.name ?? '',
    typeId: String(p.typeId),
    total: fromCents(total),
    unappliedAmount: '0.00',
    memo: p.memo,
    customer: { id: p.customerId, name: s.customers.get(p.customerId)?.name ?? '' },
    batch: null,
    createdBy: p.createdBy,
    generalLedgerAccount: null,
    appliedTo: p.splits.map((x) => ({ appliedTo: x.invoiceId, appliedAmount: fromCents(x.cents), appliedOn: p.paidOn, appliedBy: p.createdBy })),
    customFields: [],
    authCode: p.authCode,
    checkNumber: p.checkNumber,
  };
}

/** A payment as the create call returns it (`PaymentResponse`). */
export function renderPaymentCreated(p: PaymentRec): z.infer<typeof PaymentCreatedSchema> {
  return {
    id: p.id,
    typeId: p.typeId,
    active: p.active,
    memo: p.memo,
    paidOn: p.paidOn,
    authCode: p.authCode,
    checkNumber: p.checkNumber,
    exportId: p.exportId,
    transactionStatus: p.status,
    status: p.status,
    splits: p.splits.map((x) => ({ invoiceId: x.invoiceId, amount: x.cents / 100 })),
  };
}

/** A customer membership. */
export function renderMembership(m: MembershipRec): z.infer<typeof MembershipSchema> {
  return {
    id: m.id,
    createdOn: m.createdOn,
    createdById: m.createdById,
    modifiedOn: m.modifiedOn,
    followUpOn: null,
    cancellationDate: m.cancellationDate,
    from: m.from,
    nextScheduledBillDate: m.nextScheduledBillDate,
    to: m.to,
    billingFrequency: m.billingFrequency,
    renewalBillingFrequency: m.billingFrequency,
    status: m.status,
    followUpStatus: 'NotAttempted',
    active: m.active,
    initialDeferredRevenue: 0,
    duration: m.duration,
    renewalDuration: m.duration,
    businessUnitId: m.businessUnitId,
    customerId: m.customerId,
    membershipTypeId: m.membershipTypeId,
    activatedById: null,
    activatedFromId: null,
    billingTemplateId: null,
    cancellationBalanceInvoiceId: null,
    cancellationInvoiceId: null,
    followUpCustomStatusId: null,
    locationId: m.locationId,
    paymentMethodId: null,
    paymentTypeId: null,
    recurringLocationId: m.recurringLocationId,
    renewalMembershipTaskId: null,
    renewedById: null,
    soldById: m.soldById,
    customerPo: null,
    importId: null,
    memo: m.memo,
  };
}

/** A booking. */
export function renderBooking(b: BookingRec): z.infer<typeof BookingSchema> {
  return {
    id: b.id,
    source: b.source,
    createdOn: b.createdOn,
    name: b.name,
    address: b.address ? { ...b.address } : null,
    customerType: b.customerType,
    start: b.start,
    summary: b.summary,
    campaignId: b.campaignId,
    businessUnitId: b.businessUnitId,
    isFirstTimeClient: b.isFirstTimeClient,
    uploadedImages: [...b.uploadedImages],
    isSendConfirmationEmail: b.isSendConfirmationEmail,
    status: b.status,
    dismissingReasonId: null,
    jobId: b.jobId,
    externalId: b.externalId,
    priority: b.priority,
    jobTypeId: b.jobTypeId,
    bookingProviderId: b.bookingProviderId,
    modifiedOn: b.modifiedOn,
  };
}

// ---------------------------------------------------------------- reference data

/** Business units in wire format. */
export const businessUnitRows = BUSINESS_UNITS.map((b) => ({
  id: b.id,
  active: true,
  name: b.name,
  officialName: `Atlanta Comfort & Appliance - ${b.name}`,
  email: `${b.skill}@atlcomfort.example.com`,
  currency: 'USD',
  phoneNumber: '4045550100',
  invoiceHeader: null,
  invoiceMessage: 'Thank you for your business.',
  defaultTaxRate: 8,
  address: { street: '1200 Peachtree St NE', unit: null, city: 'Atlanta', state: 'GA', zip: '30309', country: 'USA' },
  modifiedOn: REFERENCE_CREATED_ON,
  externalData: [],
}));

/** Job types in wire format. */
export const jobTypeRows = JOB_TYPES.map((t) => ({
  id: t.id,
  name: t.name,
  businessUnitIds: BUSINESS_UNITS.map((b) => b.id),
  skills: [],
  priority: t.priority as 'Low' | 'Normal',
  duration: t.duration,
  active: true,
  modifiedOn: REFERENCE_CREATED_ON,
  externalData: [],
}));

/** Campaigns in wire format. */
export const campaignRows = CAMPAIGNS.map((c) => {
  const cat = CAMPAIGN_CATEGORIES.find((x) => x.id === c.categoryId)!;
  return {
    id: c.id,
    name: c.name,
    active: c.active,
    category: { id: cat.id, name: cat.name, active: cat.active },
    source: null,
    otherSource: null,
    businessUnit: null,
    medium: c.medium,
    otherMedium: null,
    campaignPhoneNumbers: [],
    createdOn: REFERENCE_CREATED_ON,
    modifiedOn: REFERENCE_CREATED_ON,
  };
});

/** Membership types in wire format. */
export const membershipTypeRows = MEMBERSHIP_TYPES.map((t) => ({
  id: t.id,
  name: t.name,
  active: true,
  discountMode: 'Basic',
  locationTarget: 'AllLocations',
  revenueRecognitionMode: 'PointOfSale',
  autoCalculateInvoiceTemplates: true,
  useMembershipPricingTable: false,
  showMembershipSavings: true,
  createdOn: REFERENCE_CREATED_ON,
  createdById: 6_990_000_002,
  modifiedOn: REFERENCE_CREATED_ON,
  importId: null,
  billingTemplateId: null,
}));

/** The pricebook services that sell memberships (`saleTaskId`), in wire format. */
export const pricebookServiceRows = MEMBERSHIP_TYPES.map((t) => {
  const first = t.durationBilling[0]!;
  return {
    id: t.saleTaskId,
    code: t.saleTaskCode,
    displayName: `${t.name} membership`,
    description: `Sells a ${t.name} membership (${t.includedVisits} visit(s) a year).`,
    price: first.salePrice,
    memberPrice: first.salePrice,
    addOnPrice: 0,
    active: true,
    modifiedOn: REFERENCE_CREATED_ON,
  };
});

/** Payment types in wire format. */
export const paymentTypeRows = PAYMENT_TYPES.map((p) => ({ id: p.id, name: p.name, modifiedOn: REFERENCE_CREATED_ON }));
