/**
 * The business rules the writes check, from the routing configuration: the skill a piece of work
 * needs, the service region of an address, whether a technician may be sent (skill, region, free
 * in the window, day not fully booked), the SLA, and where `createWorkOrder` routes a work order.
 * Reads go through the request's loaders and connectors; nothing here writes.
 */
import type { FieldServiceConnector } from '../../connectors/types.js';
import { VENDOR_TITLES, type VendorKey } from '../../connectors/vendors.js';
import type { RoutingConfig } from '../config.js';
import type { Context } from '../context.js';
import type { Address, AppointmentModel, Priority, RecordRef, TechnicianModel, TimeWindow, Warranty } from '../model/index.js';
import { userError, type InputPath, type UserError } from './input.js';

const norm = (s: string) => s.trim().toLowerCase();

/** The service region (e.g. `ATL-N`) of an address, from its five-digit ZIP code; undefined when no region covers it. */
export function regionOf(address: Address | undefined, routing: RoutingConfig): string | undefined {
  const zip = address?.postalCode.trim().slice(0, 5);
  if (!zip) return undefined;
  for (const [region, zips] of Object.entries(routing.regions)) if (zips.includes(zip)) return region;
  return undefined;
}

/**
 * The skill a piece of work needs: from its unit's type (`skillByEquipmentType`), else a skill
 * named in its service type (`hvac_service`); undefined when neither says (no skill is checked).
 */
export function skillOf(work: { equipmentTypes: readonly string[]; serviceType?: string | undefined }, routing: RoutingConfig): string | undefined {
  const byType = new Map(Object.entries(routing.skillByEquipmentType).map(([t, s]) => [norm(t), s]));
  for (const t of work.equipmentTypes) {
    const s = byType.get(norm(t));
    if (s) return s;
  }
  const skills = new Set(Object.values(routing.skillByEquipmentType).map(norm));
  const words = norm(work.serviceType ?? '').split(/[^a-z]+/);
  return words.find((w) => skills.has(w));
}

/** True when two windows overlap (touching ends do not). */
function overlaps(a: TimeWindow, b: TimeWindow): boolean {
  return Date.parse(a.start) < Date.parse(b.end) && Date.parse(b.start) < Date.parse(a.end);
}

/** Visits that hold their window: every one but a cancelled one (vendors count a finished visit's window as taken too). */
const HOLDS_WINDOW = (status: string) => status !== 'CANCELLED';

/** The business's calendar day of an instant (the sandbox business is in Atlanta). */
function dayOf(instant: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(instant));
}

/**
 * A technician's visits, or undefined when the system cannot list them (Field Nation providers
 * keep their own calendars): the relation where the connector has it, else the visit list filtered
 * by technician.
 */
async function visitsOf(ctx: Context, connector: FieldServiceConnector, tech: RecordRef): Promise<AppointmentModel[] | undefined> {
  if (connector.capabilities.relations.includes('appointment<-technician')) return ctx.loaders.related('appointment', 'technician').load(tech);
  if (!connector.capabilities.lists.includes('appointment')) return undefined;
  const out: AppointmentModel[] = [];
  for await (const a of connector.iterate('appointment', { technicianId: tech.id })) out.push(a);
  return out;
}

/** What a technician is checked against. */
export interface Assignment {
  /** The system the technicians must belong to. */
  system: VendorKey;
  /** The skill needed, if known. */
  skill: string | undefined;
  /** The region of the service location, if known. */
  region: string | undefined;
  /** The window. */
  window: TimeWindow;
  /** The work order being (re)dispatched: its own visits are no conflict. */
  workOrder?: RecordRef;
}

/** The business's time zone for "a day" of capacity. */
export const BUSINESS_TIME_ZONE = 'America/New_York';

/**
 * Checks the technicians of a dispatch: each exists in the system and is active, has the skill,
 * serves the region, has no visit (other than a cancelled one, or the work order's own)
 * overlapping the window, and has room left that day (`dailyCapacity`). Returns the user errors at each technician's path.
 */
export async function checkTechnicians(ctx: Context, refs: ReadonlyArray<{ ref: RecordRef; path: InputPath }>, a: Assignment): Promise<{ errors: UserError[]; technicians: TechnicianModel[] }> {
  const errors: UserError[] = [];
  const technicians: TechnicianModel[] = [];
  const connector = ctx.connectors[a.system];
  const models = await Promise.all(refs.map((r) => (r.ref.system === a.system ? ctx.loaders.technician.load(r.ref) : Promise.resolve(null))));
  await Promise.all(
    refs.map(async ({ ref, path }, i) => {
      if (ref.system !== a.system) {
        errors.push(userError('INVALID', path, `The technician is in ${VENDOR_TITLES[ref.system]}; the work order is in ${VENDOR_TITLES[a.system]}.`));
        return;
      }
      const t = models[i];
      if (!t) {
        errors.push(userError('NOT_FOUND', path, 'No such technician.'));
        return;
      }
      technicians.push(t);
      if (!t.active) errors.push(userError('NOT_ALLOWED', path, `${t.name} is not an active technician.`));
      if (a.skill && !t.skills.map(norm).includes(norm(a.skill))) {
        errors.push(userError('SKILL_MISMATCH', path, `${t.name} lacks the skill "${a.skill}" this work needs (has: ${t.skills.join(', ') || 'none'}).`));
      }
      if (a.region && t.region && norm(t.region) !== norm(a.region)) {
        errors.push(userError('OUT_OF_REGION', path, `${t.name} serves ${t.region}; the service location is in ${a.region}.`));
      }
      if (!connector) return;
      const visits = await visitsOf(ctx, connector, ref);
      if (!visits) return;
      const open = visits.filter((v) => HOLDS_WINDOW(v.status) && !(a.workOrder && v.workOrderRef.system === a.workOrder.system && v.workOrderRef.id === a.workOrder.id));
      const clash = open.find((v) => overlaps(v.window, a.window));
      if (clash) {
        errors.push(userError('CAPACITY_CONFLICT', path, `${t.name} has another visit from ${clash.window.start} to ${clash.window.end}.`));
        return;
      }
      const day = dayOf(a.window.start, BUSINESS_TIME_ZONE);
      const booked = open.filter((v) => dayOf(v.window.start, BUSINESS_TIME_ZONE) === day).length;
      if (t.dailyCapacity !== undefined && booked >= t.dailyCapacity) {
        errors.push(userError('CAPACITY_CONFLICT', path, `${t.name} is fully booked on ${day} (${booked} of ${t.dailyCapacity} visits).`));
      }
    }),
  );
  return { errors, technicians };
}

/**
 * OUTSIDE_SLA when the window ends after the SLA's completion deadline. A deadline already past
 * (a job overdue before it is dispatched) no longer constrains the window: no window could meet
 * it, and the job still has to be done.
 */
export function checkSla(window: TimeWindow | undefined, sla: { completeBy?: string | undefined } | undefined, path: InputPath, now = Date.now()): UserError[] {
  if (!window || !sla?.completeBy) return [];
  const deadline = Date.parse(sla.completeBy);
  if (Date.parse(window.end) <= deadline || deadline <= now) return [];
  return [userError('OUTSIDE_SLA', path, `The window ends at ${window.end}, after the SLA's deadline ${sla.completeBy}.`)];
}

/** What routing looks at. */
export interface RoutingFacts {
  warranty: Warranty | undefined;
  serviceType: string;
  priority: Priority;
  region: string | undefined;
  skill: string | undefined;
  window: TimeWindow | undefined;
  /** The system of an existing customer given by id. */
  customerSystem: VendorKey | undefined;
}

/** Where a work order goes, and why. */
export interface Route {
  system: VendorKey;
  /** The rule that decided, `customer` (the customer's own system), `primary`, or `explicit`. */
  reason: string;
}

/**
 * True when `system` has an active technician with the skill, in the region, free for the window:
 * the overflow test. A system that cannot say (no technician list) counts as free.
 */
async function hasFreeTechnician(ctx: Context, system: VendorKey, facts: RoutingFacts, window: TimeWindow): Promise<boolean> {
  const connector = ctx.connectors[system];
  if (!connector || !connector.capabilities.lists.includes('technician')) return true;
  const candidates: TechnicianModel[] = [];
  for await (const t of connector.iterate('technician', {})) {
    if (!t.active) continue;
    if (facts.skill && !t.skills.map(norm).includes(norm(facts.skill))) continue;
    if (facts.region && t.region && norm(t.region) !== norm(facts.region)) continue;
    candidates.push(t);
  }
  for (const t of candidates) {
    const { errors } = await checkTechnicians(ctx, [{ ref: t.ref, path: [] }], { system, skill: facts.skill, region: facts.region, window });
    if (errors.length === 0) return true;
  }
  return false;
}

/**
 * The system a work order goes to: the first routing rule that matches; else the existing
 * customer's own system when it takes work orders and `preferCustomerSystem` holds; else the
 * primary system.
 */
export async function routeWorkOrder(ctx: Context, facts: RoutingFacts, canCreate: (system: VendorKey) => boolean): Promise<Route> {
  const routing = ctx.mutations.services.routing;
  for (const rule of routing.rules) {
    const w = rule.when;
    if (w.warranty) {
      const covered = facts.warranty?.covered === true && !!facts.warranty.program;
      if (!covered) continue;
      if (w.warranty.programs && !w.warranty.programs.map(norm).includes(norm(facts.warranty!.program!))) continue;
    }
    if (w.serviceTypes && !w.serviceTypes.map(norm).includes(norm(facts.serviceType))) continue;
    if (w.priorities && !w.priorities.includes(facts.priority)) continue;
    if (w.regions && !(facts.region && w.regions.includes(facts.region))) continue;
    if (w.overflow) {
      if (!facts.window) continue;
      const primary = facts.customerSystem && routing.preferCustomerSystem && canCreate(facts.customerSystem) ? facts.customerSystem : routing.primary;
      if (primary === rule.system || (await hasFreeTechnician(ctx, primary, facts, facts.window))) continue;
    }
    return { system: rule.system, reason: rule.name };
  }
  if (facts.customerSystem && routing.preferCustomerSystem && canCreate(facts.customerSystem)) return { system: facts.customerSystem, reason: 'customer' };
  return { system: routing.primary, reason: 'primary' };
}
