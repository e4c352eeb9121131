/**
 * Zod schemas of every Astea Alliance payload the connector sends or receives (Supergood's
 * unofficial REST API over the Alliance portal). Tolerant where the API is loose: unknown keys pass,
 * fields the connector does not rely on are optional and nullable, status and priority words are
 * plain strings (unknown words map to UNKNOWN, they do not fail the parse). Strict on what the
 * connector relies on: ids, list envelopes, timestamps that parse, money that is a decimal.
 */
import { z } from 'zod';
import { instantString } from '../core/normalize.js';
import { SessionErrorWire, sessionListWire, type SessionListWire } from '../core/session-vendor.js';

// ---------------------------------------------------------------- scalars

/** An instant the connector relies on: ISO 8601, any offset or none (UTC, what Alliance sends), seconds optional (see `parseInstant`). */
const Instant = instantString();

/** An instant the connector can do without; still must parse when present. */
const OptionalInstant = Instant.nullish();

/** A calendar date (`YYYY-MM-DD`), or a date-time whose date is taken. */
const DateOnly = z.string().regex(/^\d{4}-\d{2}-\d{2}/, 'not a YYYY-MM-DD date');

/** Money as Alliance sends it: a JSON number with two decimals, or a decimal string. */
const Amount = z.union([z.number().finite(), z.string().regex(/^\s*-?\d+(\.\d+)?\s*$/, 'not a decimal amount')]);

/** A quantity or a number of hours: a JSON number or a decimal string. */
const Quantity = Amount;

/** A free-text field that may be missing or null. */
const Text = z.string().nullish();

// ---------------------------------------------------------------- envelopes

/** Every list: `{items, page, pageSize, total}`, 1-based pages of at most 100 (the session vendors' shared envelope). */
export type AsteaListWire<T> = SessionListWire<T>;

/** The error body of every failure: `{error: {code, message, details[]}, requestId}` (the session vendors' shared one). */
export const AsteaErrorWire = SessionErrorWire;
/** A parsed {@link AsteaErrorWire}. */
export type AsteaErrorWire = SessionErrorWire;

// ---------------------------------------------------------------- shared shapes

/** A postal address. */
export const AsteaAddressWire = z.object({
  line1: z.string(),
  line2: Text,
  city: z.string(),
  region: z.string(),
  postalCode: z.string(),
  country: z.string().nullish(),
});
export type AsteaAddressWire = z.infer<typeof AsteaAddressWire>;

const Window = z.object({ start: Instant, end: Instant });

// ---------------------------------------------------------------- work orders

/** A work order as `GET /work-orders` lists it (seed document): site and asset embedded. */
export const AsteaWorkOrderWire = z.object({
  workOrderId: z.string().min(1),
  number: z.string().nullish(),
  status: z.string(),
  priority: z.string().nullish(),
  customerId: z.string().min(1),
  site: z.object({ siteId: z.string().min(1), address: AsteaAddressWire.nullish() }).nullish(),
  asset: z.object({ assetId: z.string().min(1), serialNumber: Text, model: Text }).nullish(),
  problemCode: Text,
  description: Text,
  reportedAt: OptionalInstant,
  slaDueAt: OptionalInstant,
  appointmentWindow: Window.nullish(),
  assignedTechnicianIds: z.array(z.string()).nullish(),
  updatedAt: OptionalInstant,
});
export type AsteaWorkOrderWire = z.infer<typeof AsteaWorkOrderWire>;

/** A work order as `GET /work-orders/{workOrderId}` returns it: the list shape plus header details. */
export const AsteaWorkOrderDetailWire = AsteaWorkOrderWire.extend({
  serviceType: Text,
  serviceRegion: Text,
  responseDueAt: OptionalInstant,
  completedAt: OptionalInstant,
});
export type AsteaWorkOrderDetailWire = z.infer<typeof AsteaWorkOrderDetailWire>;

// ---------------------------------------------------------------- dispatch

/** Body of `POST /work-orders/{workOrderId}/assignments` (seed document). */
export const AsteaAssignmentBodyWire = z.object({
  technicianId: z.string().min(1),
  scheduledStart: Instant,
  scheduledEnd: Instant,
  routeSequence: z.number().int().min(1).optional(),
  notifyTechnician: z.boolean().optional(),
  note: z.string().optional(),
});
export type AsteaAssignmentBodyWire = z.infer<typeof AsteaAssignmentBodyWire>;

/** What `POST /work-orders/{workOrderId}/assignments` answers (seed document). */
export const AsteaAssignmentCreatedWire = z.object({
  assignmentId: z.string().min(1),
  workOrderId: z.string().min(1),
  status: z.string(),
  technicianId: z.string().nullish(),
  scheduledStart: Instant,
  scheduledEnd: Instant,
  createdAt: OptionalInstant,
});
export type AsteaAssignmentCreatedWire = z.infer<typeof AsteaAssignmentCreatedWire>;

/** A dispatch assignment (one technician, one planned visit) as the reads return it. */
export const AsteaAssignmentWire = AsteaAssignmentCreatedWire.extend({
  routeSequence: z.number().int().nullish(),
  notifyTechnician: z.boolean().nullish(),
  note: Text,
  updatedAt: OptionalInstant,
});
export type AsteaAssignmentWire = z.infer<typeof AsteaAssignmentWire>;

// ---------------------------------------------------------------- parts and labor

/** One part line of `POST /work-orders/{workOrderId}/consumptions` (seed document). */
export const AsteaPartBodyWire = z.object({
  partNumber: z.string().min(1),
  description: z.string().optional(),
  quantity: z.number().positive(),
  uom: z.string().min(1),
  warehouseId: z.string().nullable().optional(),
  bin: z.string().nullable().optional(),
  serialNumbers: z.array(z.string()),
  lotNumber: z.string().nullable().optional(),
});

/** One labor line of `POST /work-orders/{workOrderId}/consumptions` (seed document). */
export const AsteaLaborBodyWire = z.object({
  technicianId: z.string().min(1),
  laborType: z.string().min(1),
  hours: z.number().positive(),
  startAt: Instant.optional(),
  endAt: Instant.optional(),
  notes: z.string().optional(),
});

/** Body of `POST /work-orders/{workOrderId}/consumptions` (seed document). */
export const AsteaConsumptionBodyWire = z.object({
  parts: z.array(AsteaPartBodyWire),
  labor: z.array(AsteaLaborBodyWire),
});
export type AsteaConsumptionBodyWire = z.infer<typeof AsteaConsumptionBodyWire>;

/** What `POST /work-orders/{workOrderId}/consumptions` answers (seed document). */
export const AsteaConsumptionCreatedWire = z.object({
  workOrderId: z.string().min(1),
  consumptionId: z.string().min(1),
  partsRecorded: z.number().int().nonnegative(),
  laborEntriesRecorded: z.number().int().nonnegative(),
  status: z.string().nullish(),
  createdAt: OptionalInstant,
});
export type AsteaConsumptionCreatedWire = z.infer<typeof AsteaConsumptionCreatedWire>;

/** A recorded consumption as `GET /work-orders/{workOrderId}/consumptions` lists it. */
export const AsteaConsumptionWire = z.object({
  consumptionId: z.string().min(1),
  workOrderId: z.string().min(1),
  status: z.string().nullish(),
  invoiceId: Text,
  parts: z.array(
    z.object({
      partNumber: z.string(),
      description: Text,
      quantity: Quantity,
      uom: Text,
      unitPrice: Amount.nullish(),
      total: Amount.nullish(),
    }),
  ),
  labor: z.array(
    z.object({
      technicianId: z.string().nullish(),
      laborType: Text,
      hours: Quantity,
      rate: Amount.nullish(),
      total: Amount.nullish(),
      startAt: OptionalInstant,
      endAt: OptionalInstant,
      notes: Text,
    }),
  ),
  createdAt: OptionalInstant,
  updatedAt: OptionalInstant,
});
export type AsteaConsumptionWire = z.infer<typeof AsteaConsumptionWire>;

// ---------------------------------------------------------------- customers, sites, assets

/** A customer account. */
export const AsteaCustomerWire = z.object({
  customerId: z.string().min(1),
  accountNumber: Text,
  name: z.string(),
  type: Text,
  status: Text,
  contact: z.object({ email: Text, phone: Text }).nullish(),
  billingAddress: AsteaAddressWire.nullish(),
  tags: z.array(z.string()).nullish(),
  createdAt: OptionalInstant,
  updatedAt: OptionalInstant,
});
export type AsteaCustomerWire = z.infer<typeof AsteaCustomerWire>;

/** A service site of a customer. */
export const AsteaSiteWire = z.object({
  siteId: z.string().min(1),
  customerId: z.string().nullish(),
  name: Text,
  address: AsteaAddressWire,
  contact: z.object({ name: Text, email: Text, phone: Text }).nullish(),
  status: Text,
  createdAt: OptionalInstant,
  updatedAt: OptionalInstant,
});
export type AsteaSiteWire = z.infer<typeof AsteaSiteWire>;

/** An installed-base asset with its manufacturer warranty and contract coverage. */
export const AsteaAssetWire = z.object({
  assetId: z.string().min(1),
  siteId: z.string().nullish(),
  customerId: z.string().nullish(),
  name: Text,
  type: Text,
  manufacturer: Text,
  model: Text,
  serialNumber: Text,
  installedOn: DateOnly.nullish(),
  status: Text,
  warranty: z.object({ program: Text, startsOn: DateOnly.nullish(), expiresOn: DateOnly.nullish() }).nullish(),
  coverage: z.object({ covered: z.boolean().nullish(), expiresOn: DateOnly.nullish(), contractId: Text }).nullish(),
  createdAt: OptionalInstant,
  updatedAt: OptionalInstant,
});
export type AsteaAssetWire = z.infer<typeof AsteaAssetWire>;

// ---------------------------------------------------------------- technicians

/** A field technician. */
export const AsteaTechnicianWire = z.object({
  technicianId: z.string().min(1),
  name: z.string(),
  email: Text,
  phone: Text,
  skills: z.array(z.string()).nullish(),
  region: Text,
  dailyCapacity: z.number().int().nullish(),
  status: Text,
  createdAt: OptionalInstant,
  updatedAt: OptionalInstant,
});
export type AsteaTechnicianWire = z.infer<typeof AsteaTechnicianWire>;

// ---------------------------------------------------------------- billing

/** An invoice with its lines; money as numbers (or decimal strings). */
export const AsteaInvoiceWire = z.object({
  invoiceId: z.string().min(1),
  number: Text,
  workOrderId: z.string().nullish(),
  customerId: z.string().nullish(),
  siteId: z.string().nullish(),
  status: z.string(),
  currency: Text,
  issuedOn: DateOnly.nullish(),
  dueOn: DateOnly.nullish(),
  lines: z
    .array(z.object({ code: Text, description: Text, quantity: Quantity, unitPrice: Amount, total: Amount }))
    .nullish(),
  subtotal: Amount,
  tax: Amount.nullish(),
  total: Amount,
  balance: Amount.nullish(),
  createdAt: OptionalInstant,
  updatedAt: OptionalInstant,
});
export type AsteaInvoiceWire = z.infer<typeof AsteaInvoiceWire>;

// ---------------------------------------------------------------- list envelopes

export const AsteaWorkOrderListWire = sessionListWire(AsteaWorkOrderWire);
export const AsteaAssignmentListWire = sessionListWire(AsteaAssignmentWire);
export const AsteaConsumptionListWire = sessionListWire(AsteaConsumptionWire);
export const AsteaCustomerListWire = sessionListWire(AsteaCustomerWire);
export const AsteaSiteListWire = sessionListWire(AsteaSiteWire);
export const AsteaAssetListWire = sessionListWire(AsteaAssetWire);
export const AsteaTechnicianListWire = sessionListWire(AsteaTechnicianWire);
export const AsteaInvoiceListWire = sessionListWire(AsteaInvoiceWire);
