/**
 * ServiceTitan wire formats (public REST API v2): zod schemas of every payload the connector sends
 * or receives, with their inferred types. Tolerant where the API is loose (optional fields, nulls,
 * extra keys are dropped, ids as numbers or numeric strings, money as numbers or decimal strings),
 * strict on what the connector relies on (ids, the list envelope, timestamps being strings).
 *
 * Sources: the ServiceTitan component reference (seed document) and vendor-facts §1 (ST-SPEC key
 * sets, RFC 7807 error bodies, OAuth token response).
 */
import { z } from 'zod';

// ---------------------------------------------------------------- scalars

/**
 * An int64 id. JSON carries numbers (ST-SPEC); numeric strings are accepted too. Read as a decimal
 * string: ids above 2^53 would already have lost precision in `JSON.parse` (ServiceTitan's ids are
 * far below it).
 */
export const ServiceTitanIdWire = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)]).transform((v) => String(v));

/** An optional id: null, absent and 0 (ServiceTitan's "none" for first/last appointment ids) all read as undefined. */
export const ServiceTitanOptionalIdWire = ServiceTitanIdWire.nullish().transform((v) => (v === null || v === undefined || v === '0' ? undefined : v));

/** Money as the API sends it: decimal numbers on most payloads, decimal strings on accounting ones (vendor-facts §1.8). */
export const ServiceTitanMoneyWire = z.union([z.number(), z.string()]);

/** A date/time string (ISO 8601, UTC by documentation, with or without zone and fraction); normalised in mapping. */
export const ServiceTitanDateTimeWire = z.string();

/**
 * An enum word. The API sends strings; the component reference renders enum types as `{}`, so an
 * object with a `name` or `value` is read as that word (and any other object as '').
 */
export const ServiceTitanEnumWire = z.union([
  z.string(),
  z.looseObject({}).transform((o) => (typeof o.name === 'string' ? o.name : typeof o.value === 'string' ? o.value : '')),
]);

/** An `externalData` entry written by an application (scoped by its application guid). */
export const ServiceTitanExternalDatumWire = z.object({ key: z.string(), value: z.string().nullish().transform((v) => v ?? '') });
export type ServiceTitanExternalDatumWire = z.infer<typeof ServiceTitanExternalDatumWire>;

/** A custom field value. */
export const ServiceTitanCustomFieldWire = z.object({
  typeId: ServiceTitanIdWire.nullish(),
  name: z.string().nullish(),
  value: z.string().nullish(),
});
export type ServiceTitanCustomFieldWire = z.infer<typeof ServiceTitanCustomFieldWire>;

/** An address of a customer, location or invoice. */
export const ServiceTitanAddressWire = z.object({
  street: z.string().nullish(),
  unit: z.string().nullish(),
  city: z.string().nullish(),
  state: z.string().nullish(),
  zip: z.string().nullish(),
  country: z.string().nullish(),
});
export type ServiceTitanAddressWire = z.infer<typeof ServiceTitanAddressWire>;

const list = <T extends z.ZodType>(item: T) => z.array(item).nullish().transform((v) => v ?? []);

// ---------------------------------------------------------------- envelopes

/** `PaginatedResponse_Of_*`: `{page, pageSize, hasMore, totalCount, data}`; totalCount only with includeTotal=true. */
export function serviceTitanPageWire<T extends z.ZodType>(item: T) {
  const cached = pageWires.get(item);
  if (cached) return cached as ReturnType<typeof makePageWire<T>>;
  const wire = makePageWire(item);
  pageWires.set(item, wire);
  return wire;
}

// One envelope schema per item schema: the client asks for it on every call, and zod prepares a
// schema on its first parse (a walk of the whole schema), which a new schema per call repeats.
const pageWires = new WeakMap<z.ZodType, z.ZodType>();

function makePageWire<T extends z.ZodType>(item: T) {
  return z.object({
    page: z.number().int().nullish(),
    pageSize: z.number().int().nullish(),
    hasMore: z.boolean(),
    totalCount: z.number().int().nullish(),
    data: z.array(item),
  });
}
/** One page of a list. */
export interface ServiceTitanPageWire<T> {
  page?: number | null | undefined;
  pageSize?: number | null | undefined;
  hasMore: boolean;
  totalCount?: number | null | undefined;
  data: T[];
}

/** RFC 7807 error body of the API (`ApiErrorResponse`): `{type, title, status, traceId, errors: {field: [msg]}, data}`. */
export const ServiceTitanProblemWire = z.object({
  type: z.string().nullish(),
  title: z.string().nullish(),
  status: z.number().nullish(),
  traceId: z.string().nullish(),
  errors: z.record(z.string(), z.union([z.array(z.string()), z.string()])).nullish(),
  data: z.record(z.string(), z.unknown()).nullish(),
});
export type ServiceTitanProblemWire = z.infer<typeof ServiceTitanProblemWire>;

/** OAuth 2.0 error body of the token endpoint (RFC 6749 §5.2). */
export const ServiceTitanOAuthErrorWire = z.object({ error: z.string(), error_description: z.string().nullish() });
export type ServiceTitanOAuthErrorWire = z.infer<typeof ServiceTitanOAuthErrorWire>;

/** Body of `POST /connect/token` (form-encoded). */
export const ServiceTitanTokenRequestWire = z.object({
  grant_type: z.literal('client_credentials'),
  client_id: z.string().min(1),
  client_secret: z.string().min(1),
});
export type ServiceTitanTokenRequestWire = z.infer<typeof ServiceTitanTokenRequestWire>;

/** Token response: a JWT valid `expires_in` seconds (900), no refresh token. */
export const ServiceTitanTokenWire = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().positive(),
  token_type: z.string().nullish(),
});
export type ServiceTitanTokenWire = z.infer<typeof ServiceTitanTokenWire>;

// ---------------------------------------------------------------- CRM

/** A customer (`Crm.V2.CustomerResponse`); email and phone live in its contacts. */
export const ServiceTitanCustomerWire = z.object({
  id: ServiceTitanIdWire,
  active: z.boolean().nullish(),
  name: z.string(),
  type: ServiceTitanEnumWire.nullish(),
  address: ServiceTitanAddressWire.nullish(),
  balance: ServiceTitanMoneyWire.nullish(),
  tagTypeIds: list(ServiceTitanIdWire),
  mergedToId: ServiceTitanOptionalIdWire,
  createdOn: ServiceTitanDateTimeWire.nullish(),
  modifiedOn: ServiceTitanDateTimeWire.nullish(),
  externalData: list(ServiceTitanExternalDatumWire),
});
export type ServiceTitanCustomerWire = z.infer<typeof ServiceTitanCustomerWire>;

/** A contact of a customer or location (`customers/{id}/contacts`). */
export const ServiceTitanContactWire = z.object({
  id: ServiceTitanIdWire.nullish(),
  type: ServiceTitanEnumWire,
  value: z.string().nullish(),
  memo: z.string().nullish(),
});
export type ServiceTitanContactWire = z.infer<typeof ServiceTitanContactWire>;

/**
 * A customer contact of the bulk read `customers/contacts` (ST-SPEC
 * `CustomerContactWithModifiedOnAndCustomerIdResponse`): a contact with its customer's id.
 */
export const ServiceTitanCustomerContactWire = ServiceTitanContactWire.extend({
  customerId: ServiceTitanIdWire,
  modifiedOn: ServiceTitanDateTimeWire.nullish(),
});
export type ServiceTitanCustomerContactWire = z.infer<typeof ServiceTitanCustomerContactWire>;

/** A service location. */
export const ServiceTitanLocationWire = z.object({
  id: ServiceTitanIdWire,
  customerId: ServiceTitanIdWire.nullish(),
  active: z.boolean().nullish(),
  name: z.string().nullish(),
  address: ServiceTitanAddressWire,
  createdOn: ServiceTitanDateTimeWire.nullish(),
  modifiedOn: ServiceTitanDateTimeWire.nullish(),
  externalData: list(ServiceTitanExternalDatumWire),
});
export type ServiceTitanLocationWire = z.infer<typeof ServiceTitanLocationWire>;

/** What `POST customers` answers: the customer with its new locations and contacts. */
export const ServiceTitanCreatedCustomerWire = ServiceTitanCustomerWire.extend({
  locations: list(ServiceTitanLocationWire),
  contacts: list(ServiceTitanContactWire),
});
export type ServiceTitanCreatedCustomerWire = z.infer<typeof ServiceTitanCreatedCustomerWire>;

// ---------------------------------------------------------------- equipment, technicians

/** Installed equipment at a location. */
export const ServiceTitanInstalledEquipmentWire = z.object({
  id: ServiceTitanIdWire,
  locationId: ServiceTitanIdWire.nullish(),
  customerId: ServiceTitanIdWire.nullish(),
  name: z.string().nullish(),
  type: z.string().nullish(),
  installedOn: ServiceTitanDateTimeWire.nullish(),
  serialNumber: z.string().nullish(),
  manufacturer: z.string().nullish(),
  model: z.string().nullish(),
  manufacturerWarrantyStart: ServiceTitanDateTimeWire.nullish(),
  manufacturerWarrantyEnd: ServiceTitanDateTimeWire.nullish(),
  serviceProviderWarrantyStart: ServiceTitanDateTimeWire.nullish(),
  serviceProviderWarrantyEnd: ServiceTitanDateTimeWire.nullish(),
  customFields: list(ServiceTitanCustomFieldWire),
  active: z.boolean().nullish(),
  createdOn: ServiceTitanDateTimeWire.nullish(),
  modifiedOn: ServiceTitanDateTimeWire.nullish(),
});
export type ServiceTitanInstalledEquipmentWire = z.infer<typeof ServiceTitanInstalledEquipmentWire>;

/** A technician (settings module, read-only in v2). */
export const ServiceTitanTechnicianWire = z.object({
  id: ServiceTitanIdWire,
  name: z.string(),
  email: z.string().nullish(),
  phoneNumber: z.string().nullish(),
  team: z.string().nullish(),
  customFields: list(ServiceTitanCustomFieldWire),
  active: z.boolean().nullish(),
  createdOn: ServiceTitanDateTimeWire.nullish(),
  modifiedOn: ServiceTitanDateTimeWire.nullish(),
});
export type ServiceTitanTechnicianWire = z.infer<typeof ServiceTitanTechnicianWire>;

// ---------------------------------------------------------------- JPM, dispatch

/** A job. `firstAppointmentId`, `lastAppointmentId` and `appointmentCount` let appointments be read by `ids=`. */
export const ServiceTitanJobWire = z.object({
  id: ServiceTitanIdWire,
  jobNumber: z.string().nullish(),
  customerId: ServiceTitanIdWire.nullish(),
  locationId: ServiceTitanIdWire.nullish(),
  jobStatus: ServiceTitanEnumWire,
  completedOn: ServiceTitanDateTimeWire.nullish(),
  businessUnitId: ServiceTitanOptionalIdWire,
  jobTypeId: ServiceTitanOptionalIdWire,
  priority: ServiceTitanEnumWire.nullish(),
  campaignId: ServiceTitanOptionalIdWire,
  summary: z.string().nullish(),
  customFields: list(ServiceTitanCustomFieldWire),
  appointmentCount: z.number().int().nullish(),
  firstAppointmentId: ServiceTitanOptionalIdWire,
  lastAppointmentId: ServiceTitanOptionalIdWire,
  invoiceId: ServiceTitanOptionalIdWire,
  equipmentIds: list(ServiceTitanIdWire),
  total: ServiceTitanMoneyWire.nullish(),
  active: z.boolean().nullish(),
  externalData: list(ServiceTitanExternalDatumWire),
  createdOn: ServiceTitanDateTimeWire.nullish(),
  modifiedOn: ServiceTitanDateTimeWire.nullish(),
});
export type ServiceTitanJobWire = z.infer<typeof ServiceTitanJobWire>;

/** A job appointment (a visit). Technicians are not on it: they are appointment assignments. */
export const ServiceTitanAppointmentWire = z.object({
  id: ServiceTitanIdWire,
  jobId: ServiceTitanIdWire,
  appointmentNumber: z.string().nullish(),
  start: ServiceTitanDateTimeWire,
  end: ServiceTitanDateTimeWire,
  arrivalWindowStart: ServiceTitanDateTimeWire.nullish(),
  arrivalWindowEnd: ServiceTitanDateTimeWire.nullish(),
  status: ServiceTitanEnumWire,
  specialInstructions: z.string().nullish(),
  customerId: ServiceTitanIdWire.nullish(),
  active: z.boolean().nullish(),
  createdOn: ServiceTitanDateTimeWire.nullish(),
  modifiedOn: ServiceTitanDateTimeWire.nullish(),
});
export type ServiceTitanAppointmentWire = z.infer<typeof ServiceTitanAppointmentWire>;

/** A technician's assignment to an appointment (dispatch module). */
export const ServiceTitanAssignmentWire = z.object({
  id: ServiceTitanIdWire,
  technicianId: ServiceTitanIdWire,
  technicianName: z.string().nullish(),
  status: ServiceTitanEnumWire.nullish(),
  jobId: ServiceTitanIdWire.nullish(),
  appointmentId: ServiceTitanIdWire,
});
export type ServiceTitanAssignmentWire = z.infer<typeof ServiceTitanAssignmentWire>;

// ---------------------------------------------------------------- accounting, memberships

/** A nested `{id, name}` reference of an invoice. */
export const ServiceTitanRefWire = z.object({ id: ServiceTitanIdWire, name: z.string().nullish() });

/** An invoice line. */
export const ServiceTitanInvoiceItemWire = z.object({
  id: ServiceTitanIdWire.nullish(),
  skuName: z.string().nullish(),
  description: z.string().nullish(),
  displayName: z.string().nullish(),
  quantity: z.union([z.string(), z.number()]).nullish(),
  price: ServiceTitanMoneyWire.nullish(),
  total: ServiceTitanMoneyWire.nullish(),
});
export type ServiceTitanInvoiceItemWire = z.infer<typeof ServiceTitanInvoiceItemWire>;

/** An invoice (`Accounting.V2.InvoiceResponse`): nested customer/location/job refs, money as strings or numbers. */
export const ServiceTitanInvoiceWire = z.object({
  id: ServiceTitanIdWire,
  referenceNumber: z.string().nullish(),
  invoiceDate: ServiceTitanDateTimeWire.nullish(),
  dueDate: ServiceTitanDateTimeWire.nullish(),
  subTotal: ServiceTitanMoneyWire,
  salesTax: ServiceTitanMoneyWire,
  total: ServiceTitanMoneyWire,
  balance: ServiceTitanMoneyWire,
  syncStatus: ServiceTitanEnumWire.nullish(),
  customer: ServiceTitanRefWire.nullish(),
  location: ServiceTitanRefWire.nullish(),
  job: z.object({ id: ServiceTitanIdWire, number: z.string().nullish(), type: z.string().nullish() }).nullish(),
  items: list(ServiceTitanInvoiceItemWire),
  createdOn: ServiceTitanDateTimeWire.nullish(),
  modifiedOn: ServiceTitanDateTimeWire.nullish(),
});
export type ServiceTitanInvoiceWire = z.infer<typeof ServiceTitanInvoiceWire>;

/** A customer membership (`Memberships.V2.CustomerMembershipResponse`). */
export const ServiceTitanMembershipWire = z.object({
  id: ServiceTitanIdWire,
  customerId: ServiceTitanIdWire,
  locationId: ServiceTitanOptionalIdWire,
  membershipTypeId: ServiceTitanOptionalIdWire,
  status: ServiceTitanEnumWire,
  active: z.boolean().nullish(),
  from: ServiceTitanDateTimeWire.nullish(),
  to: ServiceTitanDateTimeWire.nullish(),
  billingFrequency: ServiceTitanEnumWire.nullish(),
  nextScheduledBillDate: ServiceTitanDateTimeWire.nullish(),
  createdOn: ServiceTitanDateTimeWire.nullish(),
  modifiedOn: ServiceTitanDateTimeWire.nullish(),
});
export type ServiceTitanMembershipWire = z.infer<typeof ServiceTitanMembershipWire>;

/** What `POST memberships/sale` answers. */
export const ServiceTitanMembershipSaleResultWire = z.object({ invoiceId: ServiceTitanIdWire.nullish(), customerMembershipId: ServiceTitanIdWire });
export type ServiceTitanMembershipSaleResultWire = z.infer<typeof ServiceTitanMembershipSaleResultWire>;

// ---------------------------------------------------------------- reference lists

/** A job type (`jpm job-types`): its name is our `serviceType`, its business units are where it may be booked. */
export const ServiceTitanJobTypeWire = z.object({ id: ServiceTitanIdWire, name: z.string(), businessUnitIds: list(ServiceTitanIdWire), active: z.boolean().nullish() });
export type ServiceTitanJobTypeWire = z.infer<typeof ServiceTitanJobTypeWire>;

/** A business unit (`settings business-units`). */
export const ServiceTitanBusinessUnitWire = z.object({ id: ServiceTitanIdWire, name: z.string(), active: z.boolean().nullish() });
export type ServiceTitanBusinessUnitWire = z.infer<typeof ServiceTitanBusinessUnitWire>;

/** A marketing campaign (`marketing campaigns`); job create requires an active one. */
export const ServiceTitanCampaignWire = z.object({ id: ServiceTitanIdWire, name: z.string(), active: z.boolean().nullish() });
export type ServiceTitanCampaignWire = z.infer<typeof ServiceTitanCampaignWire>;

/** A job cancel or hold reason. */
export const ServiceTitanReasonWire = z.object({ id: ServiceTitanIdWire, name: z.string(), active: z.boolean().nullish() });
export type ServiceTitanReasonWire = z.infer<typeof ServiceTitanReasonWire>;

/** A membership type (a plan). */
export const ServiceTitanMembershipTypeWire = z.object({ id: ServiceTitanIdWire, name: z.string(), active: z.boolean().nullish() });
export type ServiceTitanMembershipTypeWire = z.infer<typeof ServiceTitanMembershipTypeWire>;

/** A duration/billing option of a membership type (`membership-types/{id}/duration-billing-items`, a plain array). */
export const ServiceTitanDurationBillingWire = z.object({
  id: ServiceTitanIdWire,
  duration: z.number().int().nullish(),
  billingFrequency: ServiceTitanEnumWire,
  active: z.boolean().nullish(),
});
export type ServiceTitanDurationBillingWire = z.infer<typeof ServiceTitanDurationBillingWire>;

/** A pricebook service (`pricebook services`): membership types are sold by one (`saleTaskId`). */
export const ServiceTitanPricebookServiceWire = z.object({
  id: ServiceTitanIdWire,
  code: z.string().nullish(),
  displayName: z.string().nullish(),
  active: z.boolean().nullish(),
});
export type ServiceTitanPricebookServiceWire = z.infer<typeof ServiceTitanPricebookServiceWire>;

// ---------------------------------------------------------------- request bodies

const IdOut = z.number().int().positive();
const DateTimeOut = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);

/** `externalData` of a write: key/value entries under our application's guid. */
export const ServiceTitanExternalDataInWire = z.object({
  applicationGuid: z.string(),
  externalData: z.array(z.object({ key: z.string().min(1), value: z.string() })),
});

/** An address in a request body. */
export const ServiceTitanAddressInWire = z.object({
  street: z.string().min(1),
  unit: z.string().optional(),
  city: z.string().min(1),
  state: z.string().min(1),
  zip: z.string().min(1),
  country: z.string().min(1),
});
export type ServiceTitanAddressInWire = z.infer<typeof ServiceTitanAddressInWire>;

/** A contact in a request body. */
export const ServiceTitanContactInWire = z.object({ type: z.enum(['Email', 'Phone', 'MobilePhone', 'Fax']), value: z.string().min(1), memo: z.string().optional() });
export type ServiceTitanContactInWire = z.infer<typeof ServiceTitanContactInWire>;

/** Body of `POST crm customers`: the customer with at least one location. */
export const ServiceTitanCustomerCreateWire = z.object({
  name: z.string().min(1),
  type: z.enum(['Residential', 'Commercial']).optional(),
  address: ServiceTitanAddressInWire,
  contacts: z.array(ServiceTitanContactInWire).optional(),
  locations: z.array(z.object({ name: z.string().min(1), address: ServiceTitanAddressInWire, externalData: ServiceTitanExternalDataInWire.optional() })).min(1),
  externalData: ServiceTitanExternalDataInWire.optional(),
});
export type ServiceTitanCustomerCreateWire = z.infer<typeof ServiceTitanCustomerCreateWire>;

/** Body of `POST crm locations`. */
export const ServiceTitanLocationCreateWire = z.object({
  customerId: IdOut,
  name: z.string().min(1),
  address: ServiceTitanAddressInWire,
  externalData: ServiceTitanExternalDataInWire.optional(),
});
export type ServiceTitanLocationCreateWire = z.infer<typeof ServiceTitanLocationCreateWire>;

/** One appointment of a job create body. */
export const ServiceTitanAppointmentInfoWire = z.object({
  start: DateTimeOut,
  end: DateTimeOut,
  arrivalWindowStart: DateTimeOut.optional(),
  arrivalWindowEnd: DateTimeOut.optional(),
  technicianIds: z.array(IdOut).optional(),
});

/** Body of `POST jpm jobs` (customerId, locationId, businessUnitId, jobTypeId, priority, campaignId and an appointment are required). */
export const ServiceTitanJobCreateWire = z.object({
  customerId: IdOut,
  locationId: IdOut,
  businessUnitId: IdOut,
  jobTypeId: IdOut,
  priority: z.enum(['Low', 'Normal', 'High', 'Urgent']),
  campaignId: IdOut,
  appointments: z.array(ServiceTitanAppointmentInfoWire).min(1),
  summary: z.string().optional(),
  customFields: z.array(z.object({ typeId: IdOut, value: z.string() })).optional(),
  externalData: ServiceTitanExternalDataInWire.optional(),
});
export type ServiceTitanJobCreateWire = z.infer<typeof ServiceTitanJobCreateWire>;

/** Body of `POST jpm appointments`: adds an appointment to an existing job. */
export const ServiceTitanAppointmentAddWire = z.object({
  jobId: IdOut,
  start: DateTimeOut,
  end: DateTimeOut,
  arrivalWindowStart: DateTimeOut.optional(),
  arrivalWindowEnd: DateTimeOut.optional(),
  technicianIds: z.array(IdOut).optional(),
  specialInstructions: z.string().optional(),
});
export type ServiceTitanAppointmentAddWire = z.infer<typeof ServiceTitanAppointmentAddWire>;

/** Body of `PATCH jpm appointments/{id}/reschedule`. */
export const ServiceTitanRescheduleWire = z.object({
  start: DateTimeOut,
  end: DateTimeOut,
  arrivalWindowStart: DateTimeOut.nullish(),
  arrivalWindowEnd: DateTimeOut.nullish(),
});
export type ServiceTitanRescheduleWire = z.infer<typeof ServiceTitanRescheduleWire>;

/** Body of `POST dispatch appointment-assignments/assign-technicians` and `/unassign-technicians`. */
export const ServiceTitanAssignTechniciansWire = z.object({ jobAppointmentId: IdOut, technicianIds: z.array(IdOut).min(1) });
export type ServiceTitanAssignTechniciansWire = z.infer<typeof ServiceTitanAssignTechniciansWire>;

/** Body of `PUT jpm jobs/{id}/cancel` and `/hold`. */
export const ServiceTitanReasonInWire = z.object({ reasonId: IdOut, memo: z.string() });
export type ServiceTitanReasonInWire = z.infer<typeof ServiceTitanReasonInWire>;

/** Body of `PUT jpm jobs/{id}/complete`. */
export const ServiceTitanCompleteJobWire = z.object({ completedOn: DateTimeOut });
export type ServiceTitanCompleteJobWire = z.infer<typeof ServiceTitanCompleteJobWire>;

/** Body of `POST memberships memberships/sale`. */
export const ServiceTitanMembershipSaleWire = z.object({
  customerId: IdOut,
  businessUnitId: IdOut,
  saleTaskId: IdOut,
  durationBillingId: IdOut,
  locationId: IdOut.optional(),
  recurringLocationId: IdOut.optional(),
});
export type ServiceTitanMembershipSaleWire = z.infer<typeof ServiceTitanMembershipSaleWire>;

/** Success bodies the connector ignores (cancel, hold, complete answer 200 with no body). */
export const ServiceTitanEmptyWire = z.unknown();
