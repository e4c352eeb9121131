/**
 * Zod schemas of the ServiceTitan wire format as the simulator serves it: response shapes (checked
 * against every response in tests and published in the OpenAPI document) and request bodies.
 * Field names, nesting and types follow the seed document and ST-SPEC; ids are int64 JSON numbers.
 */
import { z } from 'zod';
import { BILLING_FREQUENCIES } from './constants.js';

// ---------------------------------------------------------------- scalars

/** An int64 id as a JSON number. */
export const Id = z.number().int().positive();
const NullableId = Id.nullable();
/** Date/time in UTC, ISO 8601. */
export const DateTime = z.string().describe('Date/time in UTC (ISO 8601).');
const NullableDateTime = DateTime.nullable();
/** Request date/times: RFC 3339 with an offset (`2021-01-01T00:00:00Z`). */
export const InputDateTime = z.iso.datetime({ offset: true }).describe('RFC 3339 date/time, e.g. 2021-01-01T00:00:00Z.');

/** Job statuses (`jobStatus`). */
export const JOB_STATUSES = ['Scheduled', 'Dispatched', 'InProgress', 'Hold', 'Completed', 'Canceled'] as const;
/** Appointment statuses (`Unused` is only a filter value). */
export const APPOINTMENT_STATUSES = ['Scheduled', 'Dispatched', 'Working', 'Hold', 'Done', 'Canceled'] as const;
/** Appointment assignment statuses. */
export const ASSIGNMENT_STATUSES = ['Scheduled', 'Dispatched', 'Working', 'Done'] as const;
/** Job and booking priorities. */
export const PRIORITIES = ['Low', 'Normal', 'High', 'Urgent'] as const;
/** Customer membership statuses. */
export const MEMBERSHIP_STATUSES = ['Active', 'Suspended', 'Expired', 'Canceled', 'Deleted'] as const;
/** Invoice sync statuses and payment statuses. */
export const TRANSACTION_STATUSES = ['Pending', 'Posted', 'Exported'] as const;
/** Booking statuses. */
export const BOOKING_STATUSES = ['New', 'Converted', 'Dismissed', 'Accepted'] as const;
/** Contact types of customers, locations and bookings. */
export const CONTACT_TYPES = ['Phone', 'Email', 'Fax', 'MobilePhone'] as const;
/** Customer types. */
export const CUSTOMER_TYPES = ['Residential', 'Commercial'] as const;

/** One job status. */
export type JobStatus = (typeof JOB_STATUSES)[number];
/** One appointment status. */
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];
/** One assignment status. */
export type AssignmentStatus = (typeof ASSIGNMENT_STATUSES)[number];
/** One priority. */
export type Priority = (typeof PRIORITIES)[number];
/** One membership status. */
export type MembershipStatus = (typeof MEMBERSHIP_STATUSES)[number];
/** One invoice/payment status. */
export type TransactionStatus = (typeof TRANSACTION_STATUSES)[number];
/** One booking status. */
export type BookingStatus = (typeof BOOKING_STATUSES)[number];
/** One contact type. */
export type ContactType = (typeof CONTACT_TYPES)[number];
/** One customer type. */
export type CustomerType = (typeof CUSTOMER_TYPES)[number];

/** Money as a decimal string with two places (`"178.05"`), as invoices and payments carry it. */
export const MoneyString = z.string().regex(/^-?\d+\.\d{2}$/).describe('Exact decimal amount, two places.');

// ---------------------------------------------------------------- shared parts

/** A customer or location address, with coordinates when known. */
export const AddressSchema = z.object({
  street: z.string(),
  unit: z.string().nullable(),
  city: z.string(),
  state: z.string(),
  zip: z.string(),
  country: z.string(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
});
/** An address as served. */
export type Address = z.infer<typeof AddressSchema>;

/** The short address of bookings and invoices (no coordinates). */
export const ShortAddressSchema = AddressSchema.omit({ latitude: true, longitude: true });

/** A custom field value with its type id and name. */
export const CustomFieldSchema = z.object({ typeId: Id, name: z.string(), value: z.string().nullable() });
/** A custom field value. */
export type CustomField = z.infer<typeof CustomFieldSchema>;

/** An `externalData` entry (key/value written by an application). */
export const ExternalDataSchema = z.object({ key: z.string(), value: z.string() });

/** A contact (email address, phone, mobile or fax) of a customer or location. */
export const ContactSchema = z.object({
  id: Id,
  type: z.enum(CONTACT_TYPES),
  value: z.string(),
  memo: z.string().nullable(),
  modifiedOn: DateTime,
  phoneSettings: z.object({ phoneNumber: z.string(), doNotText: z.boolean() }).nullable(),
});

/** A customer contact as the bulk read (`GET customers/contacts`) answers it: with its customer's id. */
export const CustomerContactSchema = ContactSchema.extend({ customerId: Id });

/** A nested `{id, name}` reference. */
export const IdName = z.object({ id: Id, name: z.string() });

// ---------------------------------------------------------------- CRM

/** A customer (`Crm.V2.CustomerResponse`); email and phone live in its contacts. */
export const CustomerSchema = z.object({
  id: Id,
  active: z.boolean(),
  name: z.string(),
  type: z.enum(CUSTOMER_TYPES),
  address: AddressSchema,
  customFields: z.array(CustomFieldSchema),
  balance: z.number().describe('Open balance of the customer\'s invoices.'),
  tagTypeIds: z.array(Id),
  doNotMail: z.boolean(),
  doNotService: z.boolean(),
  createdOn: DateTime,
  createdById: Id,
  modifiedOn: DateTime,
  mergedToId: NullableId,
  externalData: z.array(ExternalDataSchema),
});

/** A service location of a customer. */
export const LocationSchema = z.object({
  id: Id,
  customerId: Id,
  active: z.boolean(),
  name: z.string(),
  address: AddressSchema,
  customFields: z.array(CustomFieldSchema),
  createdOn: DateTime,
  createdById: Id,
  modifiedOn: DateTime,
  mergedToId: NullableId,
  zoneId: NullableId,
  tagTypeIds: z.array(Id),
  externalData: z.array(ExternalDataSchema),
  taxZoneId: NullableId,
});

/** Location as the create call answers it: with its contacts. */
export const LocationWithContactsSchema = LocationSchema.extend({ contacts: z.array(ContactSchema) });

/** Customer as the create call answers it: with its locations and contacts. */
export const CustomerCreatedSchema = CustomerSchema.extend({
  locations: z.array(LocationWithContactsSchema),
  contacts: z.array(ContactSchema),
});

/** A booking (an inbound lead from a booking provider). */
export const BookingSchema = z.object({
  id: Id,
  source: z.string(),
  createdOn: DateTime,
  name: z.string(),
  address: ShortAddressSchema.nullable(),
  customerType: z.enum(CUSTOMER_TYPES),
  start: NullableDateTime,
  summary: z.string(),
  campaignId: NullableId,
  businessUnitId: NullableId,
  isFirstTimeClient: z.boolean(),
  uploadedImages: z.array(z.string()),
  isSendConfirmationEmail: z.boolean(),
  status: z.enum(BOOKING_STATUSES),
  dismissingReasonId: NullableId,
  jobId: NullableId,
  externalId: z.string(),
  priority: z.enum(PRIORITIES).nullable(),
  jobTypeId: NullableId,
  bookingProviderId: Id,
  modifiedOn: DateTime,
});

// ---------------------------------------------------------------- equipment

/** Installed equipment at a location. */
export const InstalledEquipmentSchema = z.object({
  id: Id,
  equipmentId: NullableId,
  locationId: Id,
  customerId: Id,
  invoiceItemId: NullableId,
  name: z.string(),
  type: z.string().nullable(),
  installedOn: NullableDateTime,
  createdOn: DateTime,
  modifiedOn: DateTime,
  serialNumber: z.string().nullable(),
  memo: z.string().nullable(),
  manufacturer: z.string().nullable(),
  model: z.string().nullable(),
  cost: z.number(),
  manufacturerWarrantyStart: NullableDateTime,
  manufacturerWarrantyEnd: NullableDateTime,
  serviceProviderWarrantyStart: NullableDateTime,
  serviceProviderWarrantyEnd: NullableDateTime,
  active: z.boolean(),
  tags: z.array(z.object({ id: Id, ownerId: Id, typeId: Id, typeName: z.string(), memo: z.string().nullable(), color: z.string(), textColor: z.string(), code: z.string().nullable() })),
  customFields: z.array(z.object({ id: Id, typeId: Id, name: z.string(), value: z.string().nullable() })),
  attachments: z.array(z.object({ alias: z.string(), fileName: z.string(), type: z.string(), url: z.string() })),
});

// ---------------------------------------------------------------- JPM

/** A job (`Crm.V2.JobResponse` plus the live key set of ST-GOTCHAS: invoiceId, membershipId, equipmentIds, total, active). */
export const JobSchema = z.object({
  id: Id,
  jobNumber: z.string(),
  projectId: NullableId,
  customerId: Id,
  locationId: Id,
  jobStatus: z.enum(JOB_STATUSES),
  completedOn: NullableDateTime,
  businessUnitId: Id,
  jobTypeId: Id,
  priority: z.enum(PRIORITIES),
  campaignId: Id,
  summary: z.string().nullable(),
  customFields: z.array(CustomFieldSchema),
  appointmentCount: z.number().int(),
  firstAppointmentId: Id,
  lastAppointmentId: Id,
  recallForId: NullableId,
  warrantyId: NullableId,
  jobGeneratedLeadSource: z.object({ jobId: NullableId, employeeId: NullableId }).nullable(),
  noCharge: z.boolean(),
  notificationsEnabled: z.boolean(),
  createdOn: DateTime,
  createdById: Id,
  modifiedOn: DateTime,
  tagTypeIds: z.array(Id),
  leadCallId: NullableId,
  bookingId: NullableId,
  soldById: NullableId,
  externalData: z.array(ExternalDataSchema),
  customerPo: z.string().nullable(),
  invoiceId: NullableId,
  membershipId: NullableId,
  equipmentIds: z.array(Id),
  total: z.number().describe('Job total (decimal number).'),
  active: z.boolean(),
});

/** A job appointment (`Crm.V2.AppointmentResponse` plus customerId, unused, isConfirmed, active). */
export const AppointmentSchema = z.object({
  id: Id,
  jobId: Id,
  appointmentNumber: z.string(),
  start: DateTime,
  end: DateTime,
  arrivalWindowStart: NullableDateTime,
  arrivalWindowEnd: NullableDateTime,
  status: z.enum(APPOINTMENT_STATUSES),
  specialInstructions: z.string().nullable(),
  createdOn: DateTime,
  modifiedOn: DateTime,
  customerId: Id,
  unused: z.boolean(),
  isConfirmed: z.boolean(),
  active: z.boolean(),
});

/** A job cancel or hold reason. */
export const ReasonSchema = z.object({ id: Id, name: z.string(), active: z.boolean() });

/** A job type. */
export const JobTypeSchema = z.object({
  id: Id,
  name: z.string(),
  businessUnitIds: z.array(Id),
  skills: z.array(z.string()),
  priority: z.enum(PRIORITIES),
  duration: z.number().int().describe('Default duration in seconds.'),
  active: z.boolean(),
  modifiedOn: DateTime,
  externalData: z.array(ExternalDataSchema),
});

// ---------------------------------------------------------------- dispatch

/** A technician's assignment to an appointment. */
export const AssignmentSchema = z.object({
  id: Id,
  technicianId: Id,
  technicianName: z.string(),
  assignedById: NullableId,
  assignedOn: DateTime,
  status: z.enum(ASSIGNMENT_STATUSES),
  isPaused: z.boolean(),
  jobId: Id,
  appointmentId: Id,
});

// ---------------------------------------------------------------- settings, marketing, pricebook

/** A technician (settings module). */
export const TechnicianSchema = z.object({
  id: Id,
  userId: Id,
  name: z.string(),
  roleIds: z.array(Id),
  businessUnitId: NullableId,
  mainZoneId: NullableId,
  zoneIds: z.array(Id),
  createdOn: DateTime,
  modifiedOn: DateTime,
  email: z.string().nullable(),
  phoneNumber: z.string().nullable(),
  loginName: z.string(),
  home: z
    .object({
      street: z.string().nullable(),
      unit: z.string().nullable(),
      country: z.string().nullable(),
      city: z.string().nullable(),
      state: z.string().nullable(),
      zip: z.string().nullable(),
      streetAddress: z.string().nullable(),
      latitude: z.number().nullable(),
      longitude: z.number().nullable(),
    })
    .nullable(),
  dailyGoal: z.number(),
  isManagedTech: z.boolean(),
  customFields: z.array(CustomFieldSchema),
  active: z.boolean(),
  aadUserId: z.string().nullable(),
  burdenRate: z.number(),
  team: z.string().nullable(),
  jobFilter: z.string(),
});

/** A business unit. */
export const BusinessUnitSchema = z.object({
  id: Id,
  active: z.boolean(),
  name: z.string(),
  officialName: z.string(),
  email: z.string(),
  currency: z.string(),
  phoneNumber: z.string(),
  invoiceHeader: z.string().nullable(),
  invoiceMessage: z.string().nullable(),
  defaultTaxRate: z.number(),
  address: ShortAddressSchema,
  modifiedOn: DateTime,
  externalData: z.array(ExternalDataSchema),
});

/** A tag type. */
export const TagTypeSchema = z.object({ id: Id, name: z.string(), color: z.string(), code: z.string().nullable(), importance: z.string().nullable(), active: z.boolean(), modifiedOn: DateTime });

/** A marketing campaign. */
export const CampaignSchema = z.object({
  id: Id,
  name: z.string(),
  active: z.boolean(),
  category: z.object({ id: Id, name: z.string(), active: z.boolean() }),
  source: z.string().nullable(),
  otherSource: z.string().nullable(),
  businessUnit: z.string().nullable(),
  medium: z.string().nullable(),
  otherMedium: z.string().nullable(),
  campaignPhoneNumbers: z.array(z.string()),
  createdOn: DateTime,
  modifiedOn: DateTime,
});

/** A pricebook service (the sandbox holds the membership sale tasks). */
export const PricebookServiceSchema = z.object({
  id: Id,
  code: z.string(),
  displayName: z.string(),
  description: z.string(),
  price: z.number(),
  memberPrice: z.number(),
  addOnPrice: z.number(),
  active: z.boolean(),
  modifiedOn: DateTime,
});

// ---------------------------------------------------------------- accounting

/** An invoice line; quantities and money are decimal strings. */
export const InvoiceItemSchema = z.object({
  id: Id,
  description: z.string(),
  quantity: z.string().describe('Decimal quantity as a string.'),
  cost: MoneyString,
  totalCost: MoneyString,
  inventoryLocation: z.string().nullable(),
  price: MoneyString.describe('Unit price.'),
  type: z.enum(['Service', 'Material', 'Equipment', 'PriceModifier', 'Unspecified']),
  skuName: z.string(),
  skuId: Id,
  total: MoneyString,
  inventory: z.boolean(),
  taxable: z.boolean(),
  generalLedgerAccount: z.object({ name: z.string(), number: z.string(), type: z.string(), detailType: z.string() }).nullable(),
  costOfSaleAccount: z.null(),
  assetAccount: z.null(),
  membershipTypeId: NullableId,
  itemGroup: z.object({ rootId: Id, name: z.string() }).nullable(),
  displayName: z.string(),
  soldHours: z.number(),
  modifiedOn: DateTime,
  serviceDate: NullableDateTime,
  order: z.number().int(),
});

/** An invoice (`Accounting.V2.InvoiceResponse`); money as decimal strings. */
export const InvoiceSchema = z.object({
  id: Id,
  syncStatus: z.enum(TRANSACTION_STATUSES),
  summary: z.string().nullable(),
  referenceNumber: z.string(),
  invoiceDate: DateTime,
  dueDate: DateTime,
  subTotal: MoneyString,
  salesTax: MoneyString,
  salesTaxCode: z.object({ id: Id, name: z.string(), taxRate: z.number() }).nullable(),
  total: MoneyString,
  balance: MoneyString,
  customer: IdName,
  customerAddress: ShortAddressSchema,
  location: IdName.nullable(),
  locationAddress: ShortAddressSchema.nullable(),
  businessUnit: IdName,
  termName: z.string(),
  createdBy: z.string(),
  batch: z.object({ id: Id, number: z.string(), name: z.string() }).nullable(),
  modifiedOn: DateTime,
  adjustmentToId: NullableId,
  job: z.object({ id: Id, number: z.string(), type: z.string() }).nullable(),
  projectId: NullableId,
  royalty: z.object({ status: z.string(), date: NullableDateTime, sentOn: NullableDateTime, memo: z.string().nullable() }).nullable(),
  employeeInfo: z.object({ id: Id, name: z.string(), modifiedOn: DateTime }).nullable(),
  commissionEligibilityDate: NullableDateTime,
  membershipId: NullableId,
  items: z.array(InvoiceItemSchema),
  customFields: z.array(z.object({ name: z.string(), value: z.string() })),
});

/** `Accounting.V2.DetailedPaymentResponse`, the list shape. */
export const PaymentListItemSchema = z.object({
  id: Id,
  syncStatus: z.enum(TRANSACTION_STATUSES),
  referenceNumber: z.string(),
  date: DateTime,
  type: z.string(),
  typeId: z.string().describe('Payment type id; ST-SPEC types it as a string here.'),
  total: MoneyString,
  unappliedAmount: MoneyString,
  memo: z.string().nullable(),
  customer: IdName,
  batch: z.object({ id: Id, name: z.string() }).nullable(),
  createdBy: z.string(),
  generalLedgerAccount: z.null(),
  appliedTo: z.array(z.object({ appliedTo: Id, appliedAmount: MoneyString, appliedOn: DateTime, appliedBy: z.string() })),
  customFields: z.array(z.object({ name: z.string(), value: z.string() })),
  authCode: z.string().nullable(),
  checkNumber: z.string().nullable(),
});

/** `Accounting.V2.PaymentResponse`, what the create call answers. */
export const PaymentCreatedSchema = z.object({
  id: Id,
  typeId: Id,
  active: z.boolean(),
  memo: z.string().nullable(),
  paidOn: DateTime,
  authCode: z.string().nullable(),
  checkNumber: z.string().nullable(),
  exportId: z.string().nullable(),
  transactionStatus: z.enum(TRANSACTION_STATUSES),
  status: z.enum(TRANSACTION_STATUSES),
  splits: z.array(z.object({ invoiceId: Id, amount: z.number() })),
});

/** A payment type. */
export const PaymentTypeSchema = z.object({ id: Id, name: z.string(), modifiedOn: DateTime });

// ---------------------------------------------------------------- memberships

/** A customer membership (`Memberships.V2.CustomerMembershipResponse`). */
export const MembershipSchema = z.object({
  id: Id,
  createdOn: DateTime,
  createdById: Id,
  modifiedOn: DateTime,
  followUpOn: NullableDateTime,
  cancellationDate: NullableDateTime,
  from: DateTime,
  nextScheduledBillDate: NullableDateTime,
  to: NullableDateTime,
  billingFrequency: z.enum(BILLING_FREQUENCIES),
  renewalBillingFrequency: z.enum(BILLING_FREQUENCIES).nullable(),
  status: z.enum(MEMBERSHIP_STATUSES),
  followUpStatus: z.string(),
  active: z.boolean(),
  initialDeferredRevenue: z.number(),
  duration: z.number().int().nullable().describe('Months; null for ongoing memberships.'),
  renewalDuration: z.number().int().nullable(),
  businessUnitId: Id,
  customerId: Id,
  membershipTypeId: Id,
  activatedById: NullableId,
  activatedFromId: NullableId,
  billingTemplateId: NullableId,
  cancellationBalanceInvoiceId: NullableId,
  cancellationInvoiceId: NullableId,
  followUpCustomStatusId: NullableId,
  locationId: NullableId,
  paymentMethodId: NullableId,
  paymentTypeId: NullableId,
  recurringLocationId: NullableId,
  renewalMembershipTaskId: NullableId,
  renewedById: NullableId,
  soldById: NullableId,
  customerPo: z.string().nullable(),
  importId: z.string().nullable(),
  memo: z.string().nullable(),
});

/** A membership type. */
export const MembershipTypeSchema = z.object({
  id: Id,
  name: z.string(),
  active: z.boolean(),
  discountMode: z.enum(['Basic', 'Units', 'Categories']),
  locationTarget: z.enum(['AllLocations', 'SingleLocation']),
  revenueRecognitionMode: z.enum(['PointOfSale', 'Deferred']),
  autoCalculateInvoiceTemplates: z.boolean(),
  useMembershipPricingTable: z.boolean(),
  showMembershipSavings: z.boolean(),
  createdOn: DateTime,
  createdById: Id,
  modifiedOn: DateTime,
  importId: z.string().nullable(),
  billingTemplateId: NullableId,
});

/** A duration/billing option of a membership type. */
export const DurationBillingItemSchema = z.object({
  id: Id,
  duration: z.number().int().nullable(),
  billingFrequency: z.enum(BILLING_FREQUENCIES),
  salePrice: z.number(),
  billingPrice: z.number(),
  renewalPrice: z.number(),
  importId: z.string().nullable(),
  active: z.boolean(),
  createdOn: DateTime,
  createdById: Id,
});

/** What `memberships/sale` answers. */
export const MembershipSaleResponseSchema = z.object({ invoiceId: Id, customerMembershipId: Id });

// ---------------------------------------------------------------- envelopes

/** `PaginatedResponse_Of_*`: `totalCount` is null unless `includeTotal=true`. */
export function paginated<T extends z.ZodType>(item: T) {
  return z.object({
    page: z.number().int(),
    pageSize: z.number().int(),
    hasMore: z.boolean(),
    totalCount: z.number().int().nullable(),
    data: z.array(item),
  });
}

/** Export feed chunk (ST-EXPORT). */
export function exportChunk<T extends z.ZodType>(item: T) {
  return z.object({
    hasMore: z.boolean().describe('True when more rows are available now; call again with `from=continueFrom`.'),
    continueFrom: z.string().describe('Continuation token for the next call (store it for the next incremental run).'),
    data: z.array(item),
  });
}

/** OAuth 2.0 token response. */
export const TokenResponseSchema = z.object({
  access_token: z.string().describe('A JWT; send it as `Authorization: Bearer <token>`.'),
  expires_in: z.number().int().describe('Lifetime in seconds (900).'),
  token_type: z.literal('Bearer'),
  scope: z.string(),
});

// ---------------------------------------------------------------- request bodies

const IdIn = z.number().int().positive();

/** An address in a request body. */
export const AddressInput = z.object({
  street: z.string().min(1),
  unit: z.string().nullish(),
  city: z.string().min(1),
  state: z.string().min(1),
  zip: z.string().min(1),
  country: z.string().min(1).nullish(),
  latitude: z.number().min(-90).max(90).nullish(),
  longitude: z.number().min(-180).max(180).nullish(),
});

/** A contact in a request body. */
export const ContactInput = z.object({
  type: z.enum(CONTACT_TYPES),
  value: z.string().min(1),
  memo: z.string().nullish(),
});

const CustomFieldInput = z.object({ typeId: IdIn, value: z.string().nullish() });
const ExternalDataInput = z.object({
  applicationGuid: z.string().regex(/^[0-9a-fA-F]{8}-?([0-9a-fA-F]{4}-?){3}[0-9a-fA-F]{12}$/, 'The value is not a valid GUID.'),
  externalData: z.array(z.object({ key: z.string().min(1), value: z.string() })),
});

const LocationInBody = z.object({
  name: z.string().min(1),
  address: AddressInput,
  contacts: z.array(ContactInput).nullish(),
  customFields: z.array(CustomFieldInput).nullish(),
  tagTypeIds: z.array(IdIn).nullish(),
  externalData: ExternalDataInput.nullish(),
});

/** Body of `POST customers`: the customer with at least one location. */
export const CustomerCreateBody = z.object({
  name: z.string().min(1),
  type: z.enum(CUSTOMER_TYPES).nullish(),
  doNotMail: z.boolean().nullish(),
  doNotService: z.boolean().nullish(),
  locations: z.array(LocationInBody).min(1, 'At least one location is required.'),
  address: AddressInput,
  contacts: z.array(ContactInput).nullish(),
  customFields: z.array(CustomFieldInput).nullish(),
  tagTypeIds: z.array(IdIn).nullish(),
  externalData: ExternalDataInput.nullish(),
});
/** Body of `POST customers`: the customer with at least one location. */
export type CustomerCreateBody = z.infer<typeof CustomerCreateBody>;

/** Body of `POST locations`. */
export const LocationCreateBody = LocationInBody.extend({ customerId: IdIn });
/** Body of `POST locations`. */
export type LocationCreateBody = z.infer<typeof LocationCreateBody>;

/** Body of `POST installed-equipment` (only locationId is required). */
export const EquipmentCreateBody = z.object({
  locationId: IdIn,
  name: z.string().nullish(),
  installedOn: InputDateTime.nullish(),
  serialNumber: z.string().nullish(),
  memo: z.string().nullish(),
  manufacturer: z.string().nullish(),
  model: z.string().nullish(),
  cost: z.number().min(0).nullish(),
  manufacturerWarrantyStart: InputDateTime.nullish(),
  manufacturerWarrantyEnd: InputDateTime.nullish(),
  serviceProviderWarrantyStart: InputDateTime.nullish(),
  serviceProviderWarrantyEnd: InputDateTime.nullish(),
  customFields: z.array(z.object({ typeId: IdIn, value: z.string().nullish() })).nullish(),
  tagTypeIds: z.array(IdIn).nullish(),
});
/** Body of `POST installed-equipment` (only locationId is required). */
export type EquipmentCreateBody = z.infer<typeof EquipmentCreateBody>;

const AppointmentInformation = z.object({
  start: InputDateTime,
  end: InputDateTime,
  arrivalWindowStart: InputDateTime.nullish(),
  arrivalWindowEnd: InputDateTime.nullish(),
  technicianIds: z.array(IdIn).nullish(),
});

const REQUIRED_REF = 'Required; a missing value is refused with 422.';

/** Body of `POST jobs`. */
export const JobCreateBody = z.object({
  // The references are checked by the handler, not here: ServiceTitan answers a missing campaignId
  // (and the other required references) with 422, not with the 400 of a malformed body (ST-GOTCHAS).
  customerId: IdIn.nullish().describe(REQUIRED_REF),
  locationId: IdIn.nullish().describe(REQUIRED_REF),
  businessUnitId: IdIn.nullish().describe(REQUIRED_REF),
  jobTypeId: IdIn.nullish().describe(REQUIRED_REF),
  priority: z.enum(PRIORITIES),
  campaignId: IdIn.nullish().describe(REQUIRED_REF),
  appointments: z.array(AppointmentInformation).min(1, 'At least one appointment is required.'),
  summary: z.string().nullish(),
  customFields: z.array(CustomFieldInput).nullish(),
  tagTypeIds: z.array(IdIn).nullish(),
  externalData: ExternalDataInput.nullish(),
  customerPo: z.string().nullish(),
  projectId: IdIn.nullish(),
  invoiceSignatureIsRequired: z.boolean().nullish(),
  jobGeneratedLeadSource: z.object({ jobId: IdIn.nullish(), employeeId: IdIn.nullish() }).nullish(),
});
/** Body of `POST jobs`. */
export type JobCreateBody = z.infer<typeof JobCreateBody>;

/** Body of job/appointment cancel and hold: a reason id and a memo. */
export const ReasonBody = z.object({ reasonId: IdIn, memo: z.string() });
/** Body of `PUT jobs/{id}/complete`. */
export const CompleteJobBody = z.object({ completedOn: InputDateTime });

/** Body of `POST appointments` (adds an appointment to an existing job). */
export const AppointmentAddBody = z.object({
  jobId: IdIn,
  start: InputDateTime,
  end: InputDateTime,
  arrivalWindowStart: InputDateTime.nullish(),
  arrivalWindowEnd: InputDateTime.nullish(),
  technicianIds: z.array(IdIn).nullish(),
  specialInstructions: z.string().nullish(),
});
/** Body of `POST appointments` (adds an appointment to an existing job). */
export type AppointmentAddBody = z.infer<typeof AppointmentAddBody>;

/** Body of `PATCH appointments/{id}/reschedule`. */
export const RescheduleBody = z.object({
  start: InputDateTime.optional(),
  end: InputDateTime.optional(),
  arrivalWindowStart: InputDateTime.nullish(),
  arrivalWindowEnd: InputDateTime.nullish(),
});

/** Body of assign-technicians and unassign-technicians. */
export const AssignTechniciansBody = z.object({ jobAppointmentId: IdIn, technicianIds: z.array(IdIn).min(1) });

const MoneyIn = z
  .number()
  .positive()
  .refine((n) => Number.isFinite(n) && Math.abs(n * 100 - Math.round(n * 100)) < 1e-6, 'At most two decimal places.');

/** Body of `POST payments`. */
export const PaymentCreateBody = z.object({
  typeId: IdIn,
  memo: z.string().nullish(),
  paidOn: InputDateTime.nullish(),
  authCode: z.string().nullish(),
  checkNumber: z.string().nullish(),
  exportId: z.string().nullish(),
  transactionStatus: z.enum(TRANSACTION_STATUSES).nullish(),
  status: z.enum(TRANSACTION_STATUSES).nullish(),
  splits: z.array(z.object({ invoiceId: IdIn, amount: MoneyIn })).min(1, 'At least one split is required.'),
});
/** Body of `POST payments`. */
export type PaymentCreateBody = z.infer<typeof PaymentCreateBody>;

/** Body of `POST memberships/sale`. */
export const MembershipSaleBody = z.object({
  customerId: IdIn,
  businessUnitId: IdIn,
  saleTaskId: IdIn,
  durationBillingId: IdIn,
  locationId: IdIn.nullish(),
  recurringServiceAction: z.enum(['AllActiveNonOneTime', 'AllNonOneTime', 'None', 'Single']).nullish(),
  recurringLocationId: IdIn.nullish(),
});
/** Body of `POST memberships/sale`. */
export type MembershipSaleBody = z.infer<typeof MembershipSaleBody>;

/** Body of the provider-scoped `POST bookings`. */
export const BookingCreateBody = z.object({
  source: z.string().min(1),
  name: z.string().min(1),
  summary: z.string().min(1),
  isFirstTimeClient: z.boolean(),
  externalId: z.string().min(1),
  address: AddressInput.omit({ latitude: true, longitude: true }).nullish(),
  contacts: z.array(ContactInput).nullish(),
  customerType: z.enum(CUSTOMER_TYPES).nullish(),
  start: InputDateTime.nullish(),
  campaignId: IdIn.nullish(),
  businessUnitId: IdIn.nullish(),
  jobTypeId: IdIn.nullish(),
  priority: z.enum(PRIORITIES).nullish(),
  isSendConfirmationEmail: z.boolean().nullish(),
  uploadedImages: z.array(z.string()).nullish(),
});
/** Body of the provider-scoped `POST bookings`. */
export type BookingCreateBody = z.infer<typeof BookingCreateBody>;
