/**
 * Sera's wire format (Supergood's unofficial Sera REST API) as zod schemas: every payload the
 * connector sends or receives. Tolerant where the API is loose (optional and null fields, extra
 * keys pass, money as a JSON number or a decimal string), strict on what the connector relies on
 * (ids, the list envelope, the appointment's local date and window).
 *
 * Source: the Sera seed document (customers, work orders, work order status, memberships,
 * sessions) and the reads it implies (locations, technicians, invoices), which use the same field
 * names (`customerId`, `serviceLocationId`, money as JSON numbers).
 */
import { z } from 'zod';
import { SessionErrorWire, sessionListWire, type SessionListWire } from '../core/session-vendor.js';

/** A non-empty id (`cus_21a9f0`, `wo_6f8c9d`, ...). */
const Id = z.string().min(1);

/** An amount: Sera sends JSON numbers (`89.00` arrives as `89`); a decimal string is accepted too. */
export const SeraMoneyWire = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/)]);
export type SeraMoneyWire = z.infer<typeof SeraMoneyWire>;

/** A quantity: a JSON number with at most two decimals (a decimal string is accepted too). */
export const SeraQuantityWire = SeraMoneyWire;

/** A timestamp as Sera writes it (ISO 8601; mapping normalises offsets and missing seconds to UTC `Z`). */
const Timestamp = z.string().min(1);

/** `YYYY-MM-DD` (a timestamp is tolerated; mapping keeps its date part). */
const CalendarDate = z.string().regex(/^\d{4}-\d{2}-\d{2}/);

/** A local wall-clock time `HH:MM` (`H:MM` and `HH:MM:SS` tolerated). */
const WallTime = z.string().regex(/^\d{1,2}:\d{2}(:\d{2})?$/);

/**
 * The error body of every failed call: the session vendors' `{error: {code, message, details},
 * requestId}`, where Sera's details always carry both `field` and `message`. (The client
 * classifies failures with the tolerant shared schema; this one states what Sera documents.)
 */
export const SeraErrorWire = SessionErrorWire.extend({
  error: SessionErrorWire.shape.error.extend({ details: z.array(z.object({ field: z.string(), message: z.string() })).nullish() }),
});
/** A parsed {@link SeraErrorWire}. */
export type SeraErrorWire = z.infer<typeof SeraErrorWire>;

/** The list envelope `{items, page, pageSize, total}` around an item schema; pages are 1-based (the session vendors' shared one). */
export const seraListWire = sessionListWire;
/** A parsed {@link seraListWire}. */
export type SeraListWire<T> = SessionListWire<T>;

/** A postal address. */
export const SeraAddressWire = z.object({
  line1: z.string(),
  line2: z.string().nullish(),
  city: z.string(),
  region: z.string(),
  postalCode: z.string(),
  country: z.string().nullish(),
});
export type SeraAddressWire = z.infer<typeof SeraAddressWire>;

/**
 * A customer (the documented `GET /customers` item). Sera's item carries no active flag although
 * the list filters by `status=active|inactive`: `status`/`active` are read when present, otherwise
 * the connector learns it from the filter it listed with.
 */
export const SeraCustomerWire = z.object({
  customerId: Id,
  name: z.string(),
  primaryContact: z.object({ email: z.string().nullish(), phone: z.string().nullish() }).nullish(),
  defaultServiceLocation: z.object({ locationId: Id, address: SeraAddressWire.nullish() }).nullish(),
  membership: z.object({ status: z.string(), planName: z.string().nullish(), nextBillingDate: CalendarDate.nullish() }).nullish(),
  outstandingBalance: SeraMoneyWire.nullish(),
  tags: z.array(z.string()).nullish(),
  status: z.string().nullish(),
  active: z.boolean().nullish(),
  createdAt: Timestamp.nullish(),
  updatedAt: Timestamp.nullish(),
});
export type SeraCustomerWire = z.infer<typeof SeraCustomerWire>;

/** A service location of a customer. */
export const SeraLocationWire = z.object({
  locationId: Id,
  customerId: Id.nullish(),
  name: z.string().nullish(),
  address: SeraAddressWire,
  contact: z.object({ name: z.string().nullish(), email: z.string().nullish(), phone: z.string().nullish() }).nullish(),
  active: z.boolean().nullish(),
  createdAt: Timestamp.nullish(),
  updatedAt: Timestamp.nullish(),
});
export type SeraLocationWire = z.infer<typeof SeraLocationWire>;

/** A technician (field user). */
export const SeraTechnicianWire = z.object({
  technicianId: Id,
  name: z.string(),
  email: z.string().nullish(),
  phone: z.string().nullish(),
  skills: z.array(z.string()).nullish(),
  region: z.string().nullish(),
  dailyCapacity: z.number().int().nullish(),
  active: z.boolean().nullish(),
  createdAt: Timestamp.nullish(),
  updatedAt: Timestamp.nullish(),
});
export type SeraTechnicianWire = z.infer<typeof SeraTechnicianWire>;

/**
 * The appointment Sera embeds in a work order: a LOCAL date and window in a named IANA zone, as
 * the seed's create response shows (`{date, windowStart, windowEnd, timezone, technicianId}`).
 */
export const SeraAppointmentWire = z.object({
  date: CalendarDate,
  windowStart: WallTime,
  windowEnd: WallTime,
  timezone: z.string().min(1).nullish(),
  technicianId: z.string().nullish(),
});
export type SeraAppointmentWire = z.infer<typeof SeraAppointmentWire>;

/** A pricebook line of a work order. */
export const SeraWorkOrderLineWire = z.object({
  itemId: Id,
  name: z.string().nullish(),
  quantity: SeraQuantityWire,
  unitPrice: SeraMoneyWire.nullish(),
  total: SeraMoneyWire.nullish(),
  taxable: z.boolean().nullish(),
});
export type SeraWorkOrderLineWire = z.infer<typeof SeraWorkOrderLineWire>;

/** A work order with its embedded appointment, pricebook lines and totals. */
export const SeraWorkOrderWire = z.object({
  workOrderId: Id,
  status: z.string(),
  customerId: Id.nullish(),
  serviceLocationId: Id.nullish(),
  jobType: z.string().nullish(),
  priority: z.string().nullish(),
  requestedDate: CalendarDate.nullish(),
  description: z.string().nullish(),
  appointment: SeraAppointmentWire.nullish(),
  assignedTechnicianId: z.string().nullish(),
  pricebookItems: z.array(SeraWorkOrderLineWire).nullish(),
  totals: z.object({ subtotal: SeraMoneyWire.nullish(), tax: SeraMoneyWire.nullish(), total: SeraMoneyWire.nullish() }).nullish(),
  invoiceId: z.string().nullish(),
  source: z.string().nullish(),
  notes: z.string().nullish(),
  arrivalNotes: z.string().nullish(),
  startedAt: Timestamp.nullish(),
  completedAt: Timestamp.nullish(),
  createdAt: Timestamp.nullish(),
  updatedAt: Timestamp.nullish(),
});
export type SeraWorkOrderWire = z.infer<typeof SeraWorkOrderWire>;

/** An invoice with its lines, totals and open balance. */
export const SeraInvoiceWire = z.object({
  invoiceId: Id,
  number: z.string().nullish(),
  workOrderId: z.string().nullish(),
  customerId: z.string().nullish(),
  serviceLocationId: z.string().nullish(),
  status: z.string(),
  issuedOn: CalendarDate.nullish(),
  dueOn: CalendarDate.nullish(),
  lineItems: z
    .array(
      z.object({
        itemId: z.string().nullish(),
        description: z.string().nullish(),
        quantity: SeraQuantityWire,
        unitPrice: SeraMoneyWire,
        total: SeraMoneyWire.nullish(),
      }),
    )
    .nullish(),
  subtotal: SeraMoneyWire,
  tax: SeraMoneyWire.nullish(),
  total: SeraMoneyWire,
  balance: SeraMoneyWire.nullish(),
  createdAt: Timestamp.nullish(),
  updatedAt: Timestamp.nullish(),
});
export type SeraInvoiceWire = z.infer<typeof SeraInvoiceWire>;

/**
 * A membership (service agreement). Sera never returns the payment method token; the
 * `paymentMethod` fingerprint it may return is not read.
 */
export const SeraMembershipWire = z.object({
  membershipId: Id,
  customerId: Id,
  serviceLocationId: z.string().nullish(),
  planId: z.string().nullish(),
  planName: z.string().nullish(),
  status: z.string(),
  startDate: CalendarDate.nullish(),
  endDate: CalendarDate.nullish(),
  billingCadence: z.string().nullish(),
  nextBillingDate: CalendarDate.nullish(),
  autopay: z.boolean().nullish(),
  includedVisits: z.number().int().nullish(),
  price: SeraMoneyWire.nullish(),
  introPrice: SeraMoneyWire.nullish(),
  createdAt: Timestamp.nullish(),
  updatedAt: Timestamp.nullish(),
});
export type SeraMembershipWire = z.infer<typeof SeraMembershipWire>;

// ---------------------------------------------------------------- writes

/** A local appointment window, as the write bodies carry it. */
export const SeraTimeWindowWire = z.object({
  start: z.string().regex(/^\d{2}:\d{2}$/),
  end: z.string().regex(/^\d{2}:\d{2}$/),
  timezone: z.string().min(1),
});
export type SeraTimeWindowWire = z.infer<typeof SeraTimeWindowWire>;

/** `POST /work-orders` body (the seed document's fields). */
export const SeraCreateWorkOrderRequestWire = z.object({
  customerId: Id,
  serviceLocationId: Id,
  jobType: z.string().min(1),
  priority: z.enum(['low', 'normal', 'high', 'emergency']),
  requestedDate: z.string().optional(),
  timeWindow: SeraTimeWindowWire.optional(),
  description: z.string().min(1),
  pricebookItems: z.array(z.object({ itemId: Id, quantity: z.number(), unitPrice: z.number().optional() })),
  assignedTechnicianId: z.string().optional(),
  /** Booking channel; the connector stamps `fieldgraph:<externalReference>` here. */
  source: z.string().max(64).optional(),
  notes: z.string().optional(),
});
export type SeraCreateWorkOrderRequestWire = z.infer<typeof SeraCreateWorkOrderRequestWire>;

/** `POST /work-orders` answer (the seed document's example shape). */
export const SeraWorkOrderCreatedWire = z.object({
  workOrderId: Id,
  status: z.string(),
  appointment: SeraAppointmentWire.nullish(),
  createdAt: Timestamp.nullish(),
});
export type SeraWorkOrderCreatedWire = z.infer<typeof SeraWorkOrderCreatedWire>;

/** `PATCH /work-orders/{id}/status` body (the seed's fields, plus a window to (re)book with `scheduled`). */
export const SeraStatusUpdateRequestWire = z.object({
  status: z.string().min(1),
  assignedTechnicianId: z.string().optional(),
  requestedDate: z.string().optional(),
  timeWindow: SeraTimeWindowWire.optional(),
  startedAt: z.string().optional(),
  completedAt: z.string().optional(),
  arrivalNotes: z.string().optional(),
});
export type SeraStatusUpdateRequestWire = z.infer<typeof SeraStatusUpdateRequestWire>;

/** `PATCH /work-orders/{id}/status` answer. */
export const SeraStatusUpdatedWire = z.object({
  workOrderId: Id,
  status: z.string(),
  startedAt: Timestamp.nullish(),
  completedAt: Timestamp.nullish(),
  updatedAt: Timestamp.nullish(),
});
export type SeraStatusUpdatedWire = z.infer<typeof SeraStatusUpdatedWire>;

/**
 * `POST /customers/{id}/memberships` body. `paymentMethodToken` is WRITE-ONLY: it goes to Sera in
 * this body and nowhere else (never logged, never in an error, never in a model).
 */
export const SeraCreateMembershipRequestWire = z.object({
  planId: z.string().min(1),
  startDate: z.string().optional(),
  billingCadence: z.enum(['monthly', 'quarterly', 'annual']).optional(),
  autopay: z.boolean(),
  paymentMethodToken: z.string().min(1).optional(),
  includedVisits: z.number().int().optional(),
});
export type SeraCreateMembershipRequestWire = z.infer<typeof SeraCreateMembershipRequestWire>;

/** `POST /customers/{id}/memberships` answer (the seed's example shape; 201 created, 200 renewed). */
export const SeraMembershipCreatedWire = z.object({
  membershipId: Id,
  status: z.string(),
  planId: z.string().nullish(),
  nextBillingDate: CalendarDate.nullish(),
  createdAt: Timestamp.nullish(),
});
export type SeraMembershipCreatedWire = z.infer<typeof SeraMembershipCreatedWire>;
