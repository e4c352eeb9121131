/**
 * ServicePower wire format (Supergood's unofficial ServicePower REST API, seed
 * `servicepower-api.txt`): zod schemas of every payload the connector sends or receives.
 *
 * Tolerant where the API is loose (optional fields, nulls, money as numbers or strings, extra keys
 * pass and are dropped), strict on what the connector relies on: ids, status words, list envelopes
 * and timestamps that can be read. A response that fails these schemas is a `bad_response`.
 */
import { z } from 'zod';
import { instantString, parseInstant, type InstantSyntax } from '../core/normalize.js';
import { SessionErrorWire, sessionListWire, type SessionListWire } from '../core/session-vendor.js';

/**
 * How ServicePower writes timestamps: ISO 8601 with `Z` or an offset, with or without seconds or
 * fractions, `T` or a space between date and time; no zone means UTC. A time is required, and
 * fractions are kept to the millisecond.
 */
export const SERVICEPOWER_INSTANT: InstantSyntax = { milliseconds: true };

/** Epoch milliseconds of a ServicePower timestamp ({@link SERVICEPOWER_INSTANT}); undefined when unreadable. */
export function parseVendorTimestamp(value: string): number | undefined {
  return parseInstant(value, SERVICEPOWER_INSTANT);
}

/** A timestamp the connector can read (see {@link parseVendorTimestamp}). */
export const ServicePowerTimestampWire = instantString(SERVICEPOWER_INSTANT, 'unreadable timestamp');

/** A calendar date (`YYYY-MM-DD`, or a timestamp whose date part is used). */
export const ServicePowerDateWire = z.string().regex(/^\d{4}-\d{2}-\d{2}/, 'not a date');

/** Money: the vendor answers JSON numbers with two decimals (`178.05`); decimal strings are read too. */
export const ServicePowerMoneyWire = z.union([z.number().finite(), z.string().regex(/^-?\d+(\.\d+)?$/)]);
export type ServicePowerMoneyWire = z.infer<typeof ServicePowerMoneyWire>;

/** A quantity: an integer on the wire, read as number or string. */
const Quantity = z.union([z.number().finite(), z.string().regex(/^-?\d+(\.\d+)?$/)]);

/** `{start, end}` of a visit. */
export const ServicePowerWindowWire = z.object({ start: ServicePowerTimestampWire, end: ServicePowerTimestampWire });
export type ServicePowerWindowWire = z.infer<typeof ServicePowerWindowWire>;

/** The `{items, page, pageSize, total}` list envelope (the session vendors' shared one). */
export const servicePowerListWire = sessionListWire;
/** A parsed {@link servicePowerListWire}. */
export type ServicePowerListWire<T> = SessionListWire<T>;

// ---------------------------------------------------------------------------------- sessions

/** Answer of `POST /sessions` and `POST /sessions/refresh` (the shared session core reads it too). */
export const ServicePowerSessionWire = z.object({
  authToken: z.string().min(1),
  expiresIn: z.number().int().positive(),
  user: z.object({ id: z.string(), name: z.string().nullish(), entitlements: z.array(z.string()).nullish() }).nullish(),
});
export type ServicePowerSessionWire = z.infer<typeof ServicePowerSessionWire>;

/** The error body: `{error: {code, message, details: [{field, message}]}, requestId}` (the session vendors' shared one). */
export const ServicePowerErrorWire = SessionErrorWire;
/** A parsed {@link ServicePowerErrorWire}. */
export type ServicePowerErrorWire = SessionErrorWire;

// ---------------------------------------------------------------------------------- work orders

/** The customer embedded in a work order (the seed's example has no id; the API adds `customerId`). */
export const ServicePowerEmbeddedCustomerWire = z.object({
  customerId: z.string().nullish(),
  name: z.string().nullish(),
  phone: z.string().nullish(),
  email: z.string().nullish(),
});
export type ServicePowerEmbeddedCustomerWire = z.infer<typeof ServicePowerEmbeddedCustomerWire>;

/** Address fields, flat as the vendor writes them. */
const AddressFields = {
  line1: z.string().nullish(),
  line2: z.string().nullish(),
  city: z.string().nullish(),
  region: z.string().nullish(),
  postalCode: z.string().nullish(),
  country: z.string().nullish(),
};

/** The location embedded in a work order. */
export const ServicePowerEmbeddedLocationWire = z.object({ locationId: z.string().nullish(), ...AddressFields });
export type ServicePowerEmbeddedLocationWire = z.infer<typeof ServicePowerEmbeddedLocationWire>;

/** The unit embedded in a work order, with the job's warranty entitlement. */
export const ServicePowerEmbeddedEquipmentWire = z.object({
  equipmentId: z.string().nullish(),
  model: z.string().nullish(),
  serial: z.string().nullish(),
  entitlement: z.object({ warranty: z.boolean().nullish(), expiresOn: ServicePowerDateWire.nullish() }).nullish(),
});
export type ServicePowerEmbeddedEquipmentWire = z.infer<typeof ServicePowerEmbeddedEquipmentWire>;

/** A work order as `GET /work-orders` and `GET /work-orders/{id}` return it. */
export const ServicePowerWorkOrderWire = z.object({
  workOrderId: z.string().min(1),
  externalRef: z.string().nullish(),
  serviceType: z.string().nullish(),
  problemCode: z.string().nullish(),
  status: z.string(),
  sla: z
    .object({ respondBy: ServicePowerTimestampWire.nullish(), completeBy: ServicePowerTimestampWire.nullish(), priority: z.string().nullish() })
    .nullish(),
  appointmentWindow: ServicePowerWindowWire.nullish(),
  customer: ServicePowerEmbeddedCustomerWire.nullish(),
  location: ServicePowerEmbeddedLocationWire.nullish(),
  equipment: ServicePowerEmbeddedEquipmentWire.nullish(),
  serviceRegion: z.string().nullish(),
  assignedProviderId: z.string().nullish(),
  assignedTechId: z.string().nullish(),
  partsRequired: z.array(z.object({ partNumber: z.string(), quantity: Quantity })).nullish(),
  notes: z.string().nullish(),
  createdAt: ServicePowerTimestampWire.nullish(),
  updatedAt: ServicePowerTimestampWire.nullish(),
  completedAt: ServicePowerTimestampWire.nullish(),
});
export type ServicePowerWorkOrderWire = z.infer<typeof ServicePowerWorkOrderWire>;

/** Body of `POST /work-orders` (the seed's example request). */
export const ServicePowerCreateWorkOrderWire = z.object({
  externalRef: z.string().min(1),
  serviceType: z.string().min(1),
  problemCode: z.string().min(1),
  customer: z.object({
    customerId: z.string().optional(),
    name: z.string().optional(),
    phone: z.string().optional(),
    email: z.string().optional(),
  }),
  location: z.object({
    locationId: z.string().optional(),
    line1: z.string().optional(),
    line2: z.string().optional(),
    city: z.string().optional(),
    region: z.string().optional(),
    postalCode: z.string().optional(),
    country: z.string().optional(),
  }),
  equipment: z
    .object({
      equipmentId: z.string().optional(),
      model: z.string().optional(),
      serial: z.string().nullable().optional(),
      manufacturer: z.string().optional(),
      entitlement: z.object({ warranty: z.boolean(), expiresOn: z.string().optional() }).optional(),
    })
    .optional(),
  sla: z.object({ respondBy: z.string(), completeBy: z.string(), priority: z.string() }).optional(),
  partsRequired: z.array(z.object({ partNumber: z.string(), quantity: z.number().int() })).optional(),
  notes: z.string().optional(),
});
export type ServicePowerCreateWorkOrderWire = z.infer<typeof ServicePowerCreateWorkOrderWire>;

/** Answer of `POST /work-orders`: `{workOrderId, status: "new", createdAt}`. */
export const ServicePowerCreatedWorkOrderWire = z.object({
  workOrderId: z.string().min(1),
  status: z.string().nullish(),
  createdAt: ServicePowerTimestampWire.nullish(),
});
export type ServicePowerCreatedWorkOrderWire = z.infer<typeof ServicePowerCreatedWorkOrderWire>;

// ---------------------------------------------------------------------------------- dispatch

/** Body of `POST /work-orders/{workOrderId}/dispatch`. */
export const ServicePowerDispatchRequestWire = z.object({
  assignedProviderId: z.string().min(1),
  assignedTechId: z.string().min(1),
  appointmentWindow: z.object({ start: z.string(), end: z.string() }),
  routeDate: z.string().optional(),
  instructions: z.string().optional(),
  skillMatch: z.boolean().optional(),
  requiresParts: z.boolean().optional(),
});
export type ServicePowerDispatchRequestWire = z.infer<typeof ServicePowerDispatchRequestWire>;

/** Answer of the dispatch: `{dispatchId, workOrderId, status, onSiteEta, createdAt}`. */
export const ServicePowerDispatchedWire = z.object({
  dispatchId: z.string().min(1),
  workOrderId: z.string().nullish(),
  status: z.string().nullish(),
  onSiteEta: ServicePowerTimestampWire.nullish(),
  createdAt: ServicePowerTimestampWire.nullish(),
});
export type ServicePowerDispatchedWire = z.infer<typeof ServicePowerDispatchedWire>;

/** A dispatch (one visit of a work order) as `GET /dispatches/{id}` and the dispatch lists return it. */
export const ServicePowerDispatchWire = z.object({
  dispatchId: z.string().min(1),
  workOrderId: z.string().min(1),
  status: z.string(),
  assignedProviderId: z.string().nullish(),
  assignedTechId: z.string().nullish(),
  appointmentWindow: ServicePowerWindowWire,
  routeDate: ServicePowerDateWire.nullish(),
  onSiteEta: ServicePowerTimestampWire.nullish(),
  instructions: z.string().nullish(),
  skillMatch: z.boolean().nullish(),
  requiresParts: z.boolean().nullish(),
  createdAt: ServicePowerTimestampWire.nullish(),
  updatedAt: ServicePowerTimestampWire.nullish(),
});
export type ServicePowerDispatchWire = z.infer<typeof ServicePowerDispatchWire>;

// ---------------------------------------------------------------------------------- claims

/** Body of `POST /claims` (money as JSON numbers, as in the seed's example). */
export const ServicePowerClaimRequestWire = z.object({
  workOrderId: z.string().min(1),
  claimType: z.string().min(1),
  referenceNumber: z.string().min(1),
  labor: z.object({ minutes: z.number().int(), rate: z.number() }),
  parts: z.array(z.object({ partNumber: z.string(), quantity: z.number().int(), unitCost: z.number() })),
  travel: z.object({ miles: z.number(), timeMinutes: z.number().int() }).optional(),
  taxes: z.number(),
  attachments: z.array(z.object({ fileName: z.string(), uploadToken: z.string() })),
  resolution: z.object({ code: z.string(), description: z.string().optional() }),
});
export type ServicePowerClaimRequestWire = z.infer<typeof ServicePowerClaimRequestWire>;

/** Answer of `POST /claims`: `{claimId, status, workOrderId, total, createdAt}`. */
export const ServicePowerSubmittedClaimWire = z.object({
  claimId: z.string().min(1),
  status: z.string().nullish(),
  workOrderId: z.string().nullish(),
  total: ServicePowerMoneyWire.nullish(),
  createdAt: ServicePowerTimestampWire.nullish(),
});
export type ServicePowerSubmittedClaimWire = z.infer<typeof ServicePowerSubmittedClaimWire>;

/** A claim with its line items and totals (`GET /claims`, `GET /claims/{id}`). */
export const ServicePowerClaimWire = z.object({
  claimId: z.string().min(1),
  workOrderId: z.string().min(1),
  claimType: z.string().nullish(),
  referenceNumber: z.string().nullish(),
  status: z.string(),
  labor: z.object({ minutes: Quantity, rate: ServicePowerMoneyWire, amount: ServicePowerMoneyWire.nullish() }).nullish(),
  parts: z
    .array(z.object({ partNumber: z.string(), quantity: Quantity, unitCost: ServicePowerMoneyWire, amount: ServicePowerMoneyWire.nullish() }))
    .nullish(),
  travel: z.object({ miles: Quantity, timeMinutes: Quantity.nullish(), amount: ServicePowerMoneyWire.nullish() }).nullish(),
  taxes: ServicePowerMoneyWire.nullish(),
  attachments: z.array(z.object({ fileName: z.string(), uploadToken: z.string().nullish() })).nullish(),
  resolution: z.object({ code: z.string(), description: z.string().nullish() }).nullish(),
  totals: z
    .object({
      labor: ServicePowerMoneyWire.nullish(),
      parts: ServicePowerMoneyWire.nullish(),
      travel: ServicePowerMoneyWire.nullish(),
      taxes: ServicePowerMoneyWire.nullish(),
      total: ServicePowerMoneyWire.nullish(),
    })
    .nullish(),
  total: ServicePowerMoneyWire.nullish(),
  createdAt: ServicePowerTimestampWire.nullish(),
  updatedAt: ServicePowerTimestampWire.nullish(),
});
export type ServicePowerClaimWire = z.infer<typeof ServicePowerClaimWire>;

// ---------------------------------------------------------------------------------- reference data

/** A customer (`GET /customers`, `GET /customers/{id}`). */
export const ServicePowerCustomerWire = z.object({
  customerId: z.string().min(1),
  name: z.string(),
  type: z.string().nullish(),
  phone: z.string().nullish(),
  email: z.string().nullish(),
  address: z.object(AddressFields).nullish(),
  active: z.boolean().nullish(),
  createdAt: ServicePowerTimestampWire.nullish(),
  updatedAt: ServicePowerTimestampWire.nullish(),
});
export type ServicePowerCustomerWire = z.infer<typeof ServicePowerCustomerWire>;

/** A service location, address fields flat (`GET /locations`, `GET /locations/{id}`). */
export const ServicePowerLocationWire = z.object({
  locationId: z.string().min(1),
  customerId: z.string().nullish(),
  name: z.string().nullish(),
  ...AddressFields,
  latitude: z.number().nullish(),
  longitude: z.number().nullish(),
  serviceRegion: z.string().nullish(),
  contact: z.object({ name: z.string().nullish(), phone: z.string().nullish(), email: z.string().nullish() }).nullish(),
  active: z.boolean().nullish(),
  createdAt: ServicePowerTimestampWire.nullish(),
  updatedAt: ServicePowerTimestampWire.nullish(),
});
export type ServicePowerLocationWire = z.infer<typeof ServicePowerLocationWire>;

/** A unit with its current warranty coverage (`GET /equipment`, `GET /equipment/{id}`). */
export const ServicePowerEquipmentWire = z.object({
  equipmentId: z.string().min(1),
  locationId: z.string().nullish(),
  customerId: z.string().nullish(),
  type: z.string().nullish(),
  manufacturer: z.string().nullish(),
  model: z.string().nullish(),
  serial: z.string().nullish(),
  installedOn: ServicePowerDateWire.nullish(),
  entitlement: z
    .object({ warranty: z.boolean().nullish(), program: z.string().nullish(), expiresOn: ServicePowerDateWire.nullish() })
    .nullish(),
  active: z.boolean().nullish(),
  createdAt: ServicePowerTimestampWire.nullish(),
  updatedAt: ServicePowerTimestampWire.nullish(),
});
export type ServicePowerEquipmentWire = z.infer<typeof ServicePowerEquipmentWire>;

/** A technician of a service provider (`GET /technicians`, `GET /technicians/{id}`). */
export const ServicePowerTechnicianWire = z.object({
  technicianId: z.string().min(1),
  providerId: z.string().nullish(),
  name: z.string(),
  email: z.string().nullish(),
  phone: z.string().nullish(),
  skills: z.array(z.string()).nullish(),
  region: z.string().nullish(),
  capacity: z.object({ dailyAppointments: z.number().int().nullish() }).nullish(),
  active: z.boolean().nullish(),
  createdAt: ServicePowerTimestampWire.nullish(),
  updatedAt: ServicePowerTimestampWire.nullish(),
});
export type ServicePowerTechnicianWire = z.infer<typeof ServicePowerTechnicianWire>;
