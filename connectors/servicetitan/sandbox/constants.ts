/**
 * Fixed facts of the ServiceTitan simulator: the sandbox credentials (one app key, two tenant
 * credential pairs), the id ranges of records the simulator creates itself, and the small
 * reference lists (business units, job types, campaigns, reasons, membership types, ...) a real
 * tenant configures in its settings and the data set does not carry.
 */
import { MEMBERSHIP_PLANS } from '../../sandbox/dataset/catalog.js';

/** One tenant credential pair, as the tenant admin generates it in the developer portal. */
export interface TenantCredential {
  clientId: string;
  clientSecret: string;
  /** Tenant id (numeric string); the API paths carry it as `/tenant/{tenant}/`. */
  tenant: string;
}

/**
 * The sandbox credentials. The app key identifies the application for every tenant (ST-FAQ: one
 * app key, N tenant credential pairs). Tenant 1 holds the data set; tenant 2 holds no records and
 * exists to test tenant mismatch (403) and tenant isolation.
 */
export const SERVICETITAN_SANDBOX = {
  appKey: 'ak1.sandbox-app-key',
  tenants: [
    { clientId: 'cid.sandbox0001', clientSecret: 'cs1.sandbox-secret', tenant: '1000000001' },
    { clientId: 'cid.sandbox0002', clientSecret: 'cs1.sandbox-secret-2', tenant: '1000000002' },
  ] as const satisfies readonly TenantCredential[],
  /** The tenant that holds the generated data set. */
  dataTenant: '1000000001',
  /** The booking provider the sandbox app is registered as (`/booking-provider/{id}/bookings`). */
  bookingProviderId: 6_800_000_001,
  /**
   * The application guid under which the seeded `externalData` entries (cross-vendor references)
   * are stored; `externalDataApplicationGuid` with this value returns them.
   */
  applicationGuid: '6f1c2a9e-7d4b-4c3e-9a51-3b2f8e0d5c11',
  /** User id recorded as `createdById` / `assignedById` for writes made through the API. */
  apiUserId: 6_990_000_001,
} as const;

/** Access token lifetime (ST-OAUTH: 900 s). */
export const TOKEN_TTL_SECONDS = 900;
/** Token requests allowed per client id per minute before 429 (the token endpoint is throttled separately). */
export const TOKEN_REQUESTS_PER_MINUTE = 20;
/** ST-FAQ: 60 requests per second per application per tenant. */
export const API_REQUESTS_PER_SECOND = 60;
/** Rows per export chunk. Not documented by ServiceTitan; a sandbox choice. */
export const EXPORT_CHUNK = 500;
/** ST-EXPORT: changes reach the export feeds about 15 minutes late unless `includeRecentChanges=true`. */
export const EXPORT_DELAY_MS = 15 * 60 * 1000;

/**
 * First ids of the record kinds the simulator derives or creates beyond the data set (the data set's
 * own kinds continue above their largest id). All above 2^32 like the data set's ids, below 2^53.
 */
export const ID_BASE = {
  contact: 6_010_000_000,
  assignment: 6_020_000_000,
  payment: 6_030_000_000,
  invoiceItem: 6_040_000_000,
  booking: 6_050_000_000,
  customer: 5_000_000_000,
  location: 5_100_000_000,
  equipment: 5_200_000_000,
  technician: 5_300_000_000,
  job: 5_400_000_000,
  appointment: 5_500_000_000,
  invoice: 5_600_000_000,
  membership: 5_700_000_000,
} as const;

/** A trade the business serves: business unit per skill. */
export interface BusinessUnitDef {
  id: number;
  name: string;
  skill: string;
}

/** Business units, one per trade; jobs get the unit of their equipment's trade. */
export const BUSINESS_UNITS: readonly BusinessUnitDef[] = [
  { id: 6_100_000_001, name: 'HVAC Service', skill: 'hvac' },
  { id: 6_100_000_002, name: 'Plumbing Service', skill: 'plumbing' },
  { id: 6_100_000_003, name: 'Appliance Repair', skill: 'appliance' },
  { id: 6_100_000_004, name: 'Commercial Refrigeration', skill: 'refrigeration' },
  { id: 6_100_000_005, name: 'Electrical Service', skill: 'electrical' },
];

/** Job types by the data set's `serviceType`. */
export const JOB_TYPES: ReadonlyArray<{ id: number; name: string; serviceType: string; priority: string; duration: number }> = [
  { id: 6_200_000_001, name: 'Repair', serviceType: 'repair', priority: 'Normal', duration: 7200 },
  { id: 6_200_000_002, name: 'Maintenance', serviceType: 'maintenance', priority: 'Low', duration: 5400 },
  { id: 6_200_000_003, name: 'Installation', serviceType: 'installation', priority: 'Normal', duration: 14400 },
  { id: 6_200_000_004, name: 'Inspection', serviceType: 'inspection', priority: 'Low', duration: 3600 },
];

/** Marketing campaign categories. */
export const CAMPAIGN_CATEGORIES = [
  { id: 6_310_000_001, name: 'Digital', active: true },
  { id: 6_310_000_002, name: 'Word of Mouth', active: true },
] as const;

/** Marketing campaigns (job create requires an active one); one inactive to test `active=Any`. */
export const CAMPAIGNS: ReadonlyArray<{ id: number; name: string; categoryId: number; medium: string; active: boolean }> = [
  { id: 6_300_000_001, name: 'Google Local Services', categoryId: 6_310_000_001, medium: 'Online', active: true },
  { id: 6_300_000_002, name: 'Website Booking', categoryId: 6_310_000_001, medium: 'Online', active: true },
  { id: 6_300_000_003, name: 'Customer Referral', categoryId: 6_310_000_002, medium: 'Referral', active: true },
  { id: 6_300_000_004, name: 'Repeat Customer', categoryId: 6_310_000_002, medium: 'Referral', active: true },
  { id: 6_300_000_005, name: 'Yellow Pages 2019', categoryId: 6_310_000_002, medium: 'Print', active: false },
];

/** Job cancel reasons (one inactive: the list returns inactive ones by default, per ST-SPEC). */
export const CANCEL_REASONS: ReadonlyArray<{ id: number; name: string; active: boolean }> = [
  { id: 6_400_000_001, name: 'Customer canceled', active: true },
  { id: 6_400_000_002, name: 'Scheduled with another company', active: true },
  { id: 6_400_000_003, name: 'Duplicate job', active: true },
  { id: 6_400_000_004, name: 'Price too high', active: false },
];

/** Job and appointment hold reasons. */
export const HOLD_REASONS: ReadonlyArray<{ id: number; name: string; active: boolean }> = [
  { id: 6_500_000_001, name: 'Waiting for parts', active: true },
  { id: 6_500_000_002, name: 'Waiting for customer approval', active: true },
  { id: 6_500_000_003, name: 'Weather', active: true },
];

/** Tag types; customer tags of the data set map to these by name (unknown names are appended). */
export const TAG_TYPES: ReadonlyArray<{ id: number; name: string; color: string }> = [
  { id: 6_600_000_001, name: 'VIP', color: '#D4AF37' },
  { id: 6_600_000_002, name: 'Annual Service', color: '#2E86DE' },
  { id: 6_600_000_003, name: 'HVAC', color: '#10AC84' },
  { id: 6_600_000_004, name: 'Plumbing', color: '#0ABDE3' },
  { id: 6_600_000_005, name: 'Commercial', color: '#576574' },
];

/** Payment types for `POST payments` (`typeId`). */
export const PAYMENT_TYPES: ReadonlyArray<{ id: number; name: string }> = [
  { id: 6_700_000_001, name: 'Credit Card' },
  { id: 6_700_000_002, name: 'Check' },
  { id: 6_700_000_003, name: 'Cash' },
];

/** Custom field types the simulator writes on jobs, equipment and technicians. */
export const CUSTOM_FIELD_TYPES = {
  problemCode: { typeId: 6_900_000_001, name: 'Problem Code' },
  respondBy: { typeId: 6_900_000_002, name: 'Respond By' },
  completeBy: { typeId: 6_900_000_003, name: 'Complete By' },
  manufacturerWarranty: { typeId: 6_900_000_004, name: 'Manufacturer Warranty' },
  warrantyProgram: { typeId: 6_900_000_005, name: 'Warranty Program' },
  skills: { typeId: 6_900_000_006, name: 'Skills' },
  dailyCapacity: { typeId: 6_900_000_007, name: 'Daily Capacity' },
  region: { typeId: 6_900_000_008, name: 'Service Region' },
} as const;

/** Membership billing frequencies (ST `MembershipRecurrenceType`). */
export const BILLING_FREQUENCIES = ['OneTime', 'Monthly', 'EveryOtherMonth', 'Quarterly', 'BiAnnual', 'Annual'] as const;
/** One membership billing frequency. */
export type BillingFrequency = (typeof BILLING_FREQUENCIES)[number];

/** Membership types from the catalog, each with its business unit, sale task and duration/billing options. */
export interface MembershipTypeDef {
  id: number;
  name: string;
  businessUnitId: number;
  /** The pricebook service that sells the membership (`saleTaskId` of `memberships/sale`). */
  saleTaskId: number;
  saleTaskCode: string;
  includedVisits: number;
  durationBilling: Array<{ id: number; duration: number | null; billingFrequency: BillingFrequency; salePrice: number; billingPrice: number; renewalPrice: number; active: boolean }>;
}

const CADENCE: Record<string, BillingFrequency> = { monthly: 'Monthly', quarterly: 'Quarterly', annual: 'Annual' };

/** The catalog's ServiceTitan membership plans as membership types, with sale tasks and duration/billing options. */
export const MEMBERSHIP_TYPES: readonly MembershipTypeDef[] = MEMBERSHIP_PLANS.servicetitan.map((plan, i) => {
  const price = Number(plan.price);
  return {
    id: Number(plan.id),
    name: plan.name,
    businessUnitId: /plumbing/i.test(plan.name) ? 6_100_000_002 : 6_100_000_001,
    saleTaskId: 7_300_000_001 + i,
    saleTaskCode: `MBR-${plan.name.replace(/[^A-Za-z]+/g, '').slice(0, 10).toUpperCase()}`,
    includedVisits: plan.visits,
    durationBilling: [
      // 12 months billed at the plan's cadence: the option the data set's memberships use.
      { id: 7_200_000_001 + i * 10, duration: 12, billingFrequency: CADENCE[plan.cadence] ?? 'Monthly', salePrice: 0, billingPrice: price, renewalPrice: price, active: true },
      // Ongoing (no end date), same cadence.
      { id: 7_200_000_002 + i * 10, duration: null, billingFrequency: CADENCE[plan.cadence] ?? 'Monthly', salePrice: 0, billingPrice: price, renewalPrice: price, active: true },
      // Paid up front for a year.
      { id: 7_200_000_003 + i * 10, duration: 12, billingFrequency: 'OneTime', salePrice: plan.cadence === 'annual' ? price : Math.round(price * (plan.cadence === 'monthly' ? 12 : 4) * 90) / 100, billingPrice: 0, renewalPrice: price, active: true },
    ],
  };
});

/** When the fixed reference data was "configured" in the tenant. */
export const REFERENCE_CREATED_ON = '2019-03-01T12:00:00Z';

/** Name of a custom field type (known types by name, others by number). */
export function customFieldName(typeId: number): string {
  return Object.values(CUSTOM_FIELD_TYPES).find((t) => t.typeId === typeId)?.name ?? `Custom field ${typeId}`;
}
