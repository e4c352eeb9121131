/**
 * Canonical models: the one shape of each concept, whatever vendor holds it. Connectors map wire
 * payloads into these (pure functions in `connectors/<vendor>/mapping.ts`); loaders and resolvers
 * only ever see these. Money is an exact decimal string, timestamps are ISO 8601 UTC
 * (`2026-01-21T09:42:18Z`), dates are `YYYY-MM-DD`, phones are E.164 when they can be read.
 */
import type { VendorKey } from '../../connectors/vendors.js';

export type { VendorKey };

/** Where a record lives: vendor and the vendor's own id (as a string, also for integer ids). */
export interface RecordRef {
  system: VendorKey;
  id: string;
}

/** A reference a vendor holds to a record of another system, by id or by that system's number. */
export interface CrossReference {
  system: VendorKey;
  id?: string;
  number?: string;
  /** Where it was read, e.g. `externalRef`, `externalData.servicepowerWorkOrderId`. */
  via: string;
}

/** An exact amount. */
export interface Money {
  /** Decimal string with two places, e.g. "178.05". */
  amount: string;
  /** ISO 4217 code. */
  currency: string;
}

export interface Address {
  line1: string;
  line2?: string;
  city: string;
  /** State or province code. */
  region: string;
  postalCode: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
}

/** From…to, both ISO 8601 UTC. */
export interface TimeWindow {
  start: string;
  end: string;
}

export const WORK_ORDER_STATUSES = ['NEW', 'SCHEDULED', 'DISPATCHED', 'IN_PROGRESS', 'ON_HOLD', 'COMPLETED', 'CANCELLED', 'UNKNOWN'] as const;
/** Canonical work order status; UNKNOWN when the vendor's word is not one we know (see `sourceStatus`). */
export type WorkOrderStatus = (typeof WORK_ORDER_STATUSES)[number];

export const PRIORITIES = ['LOW', 'NORMAL', 'HIGH', 'URGENT'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const APPOINTMENT_STATUSES = ['SCHEDULED', 'DISPATCHED', 'IN_PROGRESS', 'ON_HOLD', 'COMPLETED', 'CANCELLED', 'UNKNOWN'] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];

export const CLAIM_STATUSES = ['SUBMITTED', 'UNDER_REVIEW', 'APPROVED', 'REJECTED', 'PAID', 'UNKNOWN'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

export const MEMBERSHIP_STATUSES = ['ACTIVE', 'SUSPENDED', 'EXPIRED', 'CANCELLED', 'UNKNOWN'] as const;
export type MembershipStatus = (typeof MEMBERSHIP_STATUSES)[number];

export const INVOICE_STATUSES = ['DRAFT', 'OPEN', 'PAID', 'VOID', 'UNKNOWN'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

export type BillingCadence = 'MONTHLY' | 'QUARTERLY' | 'ANNUAL';

export interface CustomerModel {
  ref: RecordRef;
  name: string;
  kind?: 'RESIDENTIAL' | 'COMMERCIAL';
  /** Trimmed as the vendor holds it. */
  email?: string;
  /** E.164 when readable, else as the vendor holds it. */
  phone?: string;
  /** Billing address. */
  address?: Address;
  /** Explicit references to the same customer in other systems. */
  crossReferences: CrossReference[];
  /** Money the customer owes, when the vendor reports it. */
  balance?: Money;
  tags: string[];
  active: boolean;
  createdAt?: string;
  updatedAt?: string;
}

export interface LocationModel {
  ref: RecordRef;
  customerRef?: RecordRef;
  name?: string;
  address: Address;
  contact?: { name?: string; email?: string; phone?: string };
  active: boolean;
  createdAt?: string;
  updatedAt?: string;
}

export interface Warranty {
  covered: boolean;
  startsOn?: string;
  expiresOn?: string;
  /** Manufacturer program or contract that covers the unit. */
  program?: string;
}

export interface EquipmentModel {
  ref: RecordRef;
  locationRef?: RecordRef;
  customerRef?: RecordRef;
  name?: string;
  type?: string;
  manufacturer?: string;
  model?: string;
  serialNumber?: string;
  installedOn?: string;
  warranty?: Warranty;
  createdAt?: string;
  updatedAt?: string;
}

export interface TechnicianModel {
  ref: RecordRef;
  name: string;
  email?: string;
  phone?: string;
  skills: string[];
  region?: string;
  /** ServicePower: the contractor company the technician works for. */
  providerRef?: RecordRef;
  dailyCapacity?: number;
  active: boolean;
  createdAt?: string;
  updatedAt?: string;
}

export interface PartLine {
  partNumber: string;
  description?: string;
  /** Decimal string. */
  quantity: string;
  unitPrice?: Money;
}

export interface WorkOrderModel {
  ref: RecordRef;
  /** Human number (ServiceTitan job number, Astea "WO-2026-1045"); the id where the vendor has none. */
  number: string;
  status: WorkOrderStatus;
  /** The vendor's own status word. */
  sourceStatus: string;
  priority?: Priority;
  serviceType?: string;
  problemCode?: string;
  summary?: string;
  customerRef?: RecordRef;
  locationRef?: RecordRef;
  equipmentRefs: RecordRef[];
  technicianRefs: RecordRef[];
  /** Planned window of the (next) visit. */
  window?: TimeWindow;
  sla?: { respondBy?: string; completeBy?: string };
  /** Free-text external reference as the vendor holds it. */
  externalReference?: string;
  /** References to the same job in other systems. */
  crossReferences: CrossReference[];
  parts: PartLine[];
  total?: Money;
  /** Data the vendor embedded in the work order payload: primes loaders instead of a fetch. */
  embedded?: {
    customer?: CustomerModel;
    location?: LocationModel;
    equipment?: EquipmentModel[];
    appointments?: AppointmentModel[];
  };
  /** Ids of ALL this work order's visits in its system, when the work order's own record lists them all (ServiceTitan: `appointmentCount` <= 2 with first/last ids); absent when unknown. */
  appointmentIds?: string[];
  createdAt?: string;
  updatedAt?: string;
  completedAt?: string;
}

export interface AppointmentModel {
  ref: RecordRef;
  workOrderRef: RecordRef;
  number?: string;
  status: AppointmentStatus;
  sourceStatus: string;
  window: TimeWindow;
  arrivalWindow?: TimeWindow;
  technicianRefs: RecordRef[];
  instructions?: string;
  createdAt?: string;
  updatedAt?: string;
}

export interface LineItem {
  code?: string;
  description: string;
  /** Decimal string. */
  quantity: string;
  unitPrice: Money;
  total: Money;
}

export interface InvoiceModel {
  ref: RecordRef;
  number?: string;
  workOrderRef?: RecordRef;
  customerRef?: RecordRef;
  locationRef?: RecordRef;
  status: InvoiceStatus;
  sourceStatus?: string;
  issuedOn?: string;
  dueOn?: string;
  lineItems: LineItem[];
  subtotal: Money;
  tax: Money;
  total: Money;
  balance: Money;
  createdAt?: string;
  updatedAt?: string;
}

export interface MembershipModel {
  ref: RecordRef;
  customerRef: RecordRef;
  locationRef?: RecordRef;
  planId?: string;
  planName?: string;
  status: MembershipStatus;
  sourceStatus: string;
  startsOn?: string;
  endsOn?: string;
  billingCadence?: BillingCadence;
  nextBillingDate?: string;
  includedVisits?: number;
  price?: Money;
  createdAt?: string;
  updatedAt?: string;
}

export interface ClaimModel {
  ref: RecordRef;
  workOrderRef: RecordRef;
  /** The claim's reference number. */
  number?: string;
  claimType: string;
  status: ClaimStatus;
  sourceStatus: string;
  /** Labor, parts and travel lines. */
  lineItems: LineItem[];
  taxes: Money;
  total: Money;
  resolution?: { code: string; description?: string };
  createdAt?: string;
  updatedAt?: string;
}

/** The kinds of record a connector reads, and their models. */
export interface ModelByKind {
  customer: CustomerModel;
  location: LocationModel;
  equipment: EquipmentModel;
  technician: TechnicianModel;
  workOrder: WorkOrderModel;
  appointment: AppointmentModel;
  invoice: InvoiceModel;
  membership: MembershipModel;
  claim: ClaimModel;
}

export type EntityKind = keyof ModelByKind;

export const ENTITY_KINDS: readonly EntityKind[] = [
  'customer',
  'location',
  'equipment',
  'technician',
  'workOrder',
  'appointment',
  'invoice',
  'membership',
  'claim',
];
