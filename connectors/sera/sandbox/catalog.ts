/**
 * Sera's reference lists as the simulator serves them: the pricebook, the membership plans and the
 * job types. The pricebook holds the business's flat-rate services, its hourly labour and every
 * part of the shared parts catalogue, so the data set's work orders (labour plus parts) price
 * exactly as their invoices do.
 */
import { LABOR_RATE, MEMBERSHIP_PLANS, PARTS, UNIT_TYPES } from '../../sandbox/dataset/catalog.js';
import { toCents } from '../../sandbox/dataset/money.js';

/** A pricebook item. Money in integer cents. */
export interface PricebookItem {
  itemId: string;
  name: string;
  /** `service` (flat rate), `labor` (per hour) or `material` (a part). */
  category: 'service' | 'labor' | 'material';
  /** Skill the item belongs to, when it is trade-specific. */
  skill: string | null;
  unitPriceCents: number;
  /** Georgia taxes parts, not labour or services. */
  taxable: boolean;
  /** The part number of a material (the data set's invoices use it as the line code). */
  partNumber: string | null;
}

/** The pricebook id of hourly labour (the data set's `LABOR` invoice lines). */
export const LABOR_ITEM_ID = 'pb_labor_hour';

/** The pricebook id of a catalogue part: `ICE-VALVE-01` is `pb_ice_valve_01`. */
export function partItemId(partNumber: string): string {
  return `pb_${partNumber.toLowerCase().replace(/[^a-z0-9]+/g, '_')}`;
}

const SERVICES: ReadonlyArray<Omit<PricebookItem, 'taxable' | 'partNumber' | 'category'>> = [
  // The two items of the vendor document's example request, at the document's prices.
  { itemId: 'pb_thermostat_diag', name: 'Thermostat diagnostic', skill: 'hvac', unitPriceCents: 7900 },
  { itemId: 'pb_furnace_tuneup', name: 'Furnace tune-up', skill: 'hvac', unitPriceCents: 18900 },
  { itemId: 'pb_ac_tuneup', name: 'Air conditioner tune-up', skill: 'hvac', unitPriceCents: 16900 },
  { itemId: 'pb_service_call', name: 'Service call / trip charge', skill: null, unitPriceCents: 8900 },
  { itemId: 'pb_drain_clearing', name: 'Drain clearing', skill: 'plumbing', unitPriceCents: 22500 },
  { itemId: 'pb_water_heater_flush', name: 'Water heater flush', skill: 'plumbing', unitPriceCents: 12900 },
  { itemId: 'pb_appliance_diag', name: 'Appliance diagnostic', skill: 'appliance', unitPriceCents: 9500 },
  { itemId: 'pb_panel_inspection', name: 'Electrical panel inspection', skill: 'electrical', unitPriceCents: 14900 },
];

/** The whole pricebook, ordered by item id. */
export const PRICEBOOK: readonly PricebookItem[] = [
  ...SERVICES.map((s) => ({ ...s, category: 'service' as const, taxable: false, partNumber: null })),
  { itemId: LABOR_ITEM_ID, name: 'Labor, per hour', category: 'labor' as const, skill: null, unitPriceCents: toCents(LABOR_RATE), taxable: false, partNumber: null },
  ...PARTS.map((p) => ({
    itemId: partItemId(p.partNumber),
    name: p.description,
    category: 'material' as const,
    skill: p.skill,
    unitPriceCents: toCents(p.unitPrice),
    taxable: true,
    partNumber: p.partNumber,
  })),
].sort((a, b) => (a.itemId < b.itemId ? -1 : 1));

/** Pricebook items by id. */
export const PRICEBOOK_BY_ID: ReadonlyMap<string, PricebookItem> = new Map(PRICEBOOK.map((i) => [i.itemId, i]));

/** Pricebook item id of an invoice line code of the data set (`LABOR` or a part number). */
export function itemIdOfCode(code: string): string {
  return code === 'LABOR' ? LABOR_ITEM_ID : partItemId(code);
}

/** A membership plan. */
export interface MembershipPlan {
  planId: string;
  name: string;
  billingCadence: 'monthly' | 'quarterly' | 'annual';
  priceCents: number;
  includedVisits: number;
}

/** Sera's membership plans (from the shared catalogue), ordered by id. */
export const PLANS: readonly MembershipPlan[] = MEMBERSHIP_PLANS.sera
  .map((p) => ({ planId: p.id, name: p.name, billingCadence: p.cadence, priceCents: toCents(p.price), includedVisits: p.visits }))
  .sort((a, b) => (a.planId < b.planId ? -1 : 1));

/** Membership plans by id. */
export const PLANS_BY_ID: ReadonlyMap<string, MembershipPlan> = new Map(PLANS.map((p) => [p.planId, p]));

/** Months in one billing period of a cadence. */
export const CADENCE_MONTHS = { monthly: 1, quarterly: 3, annual: 12 } as const;

/** Technician skills (trades) Sera knows. */
export const SKILLS = ['hvac', 'plumbing', 'electrical', 'appliance', 'refrigeration'] as const;

/**
 * Kinds of job per trade. A Sera job type is `<skill>_<kind>`: `hvac_service` is a repair call,
 * the vendor document's example.
 */
const JOB_KINDS = ['service', 'maintenance', 'inspection', 'installation'] as const;

/** Every job type the tenant is configured with. */
export const JOB_TYPES: readonly string[] = SKILLS.flatMap((s) => JOB_KINDS.map((k) => `${s}_${k}`));

/** The job type of a data-set work order: its unit's trade (or `fallbackSkill`) and its service type. */
export function jobTypeOf(summary: string, serviceType: string, fallbackSkill: string | undefined): string {
  const unitType = summary.includes(':') ? summary.slice(0, summary.indexOf(':')) : undefined;
  const skill = UNIT_TYPES.find((u) => u.type === unitType)?.skill ?? fallbackSkill ?? 'hvac';
  const kind = serviceType === 'repair' ? 'service' : serviceType;
  const jobType = `${skill}_${kind}`;
  return JOB_TYPES.includes(jobType) ? jobType : `${skill}_service`;
}
