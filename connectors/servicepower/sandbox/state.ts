/**
 * The ServicePower simulator's state: records built from `dataset.vendors.servicepower`, their
 * indexes, the vendor's business rules for writes (work order intake, dispatch, claims) and the
 * rendering of records in the wire shapes of `schemas.ts`. Everything lives in memory; writes last
 * until {@link ServicePowerState} is rebuilt (sandbox reset).
 */
import type { z } from 'zod';
import { COMPANY_WORDS, CITIES, UNIT_TYPES } from '../../sandbox/dataset/catalog.js';
import { TRAVEL_CENTS_PER_TENTH_MILE } from '../../sandbox/dataset/generate.js';
import { fromCents, mulDiv, toCents } from '../../sandbox/dataset/money.js';
import type { GenAddress, VendorData } from '../../sandbox/dataset/types.js';
import { isoNow, type SimContext } from '../../sandbox/kit.js';
import { idMaker, supergoodError } from '../../sandbox/supergood.js';
import type {
  ClaimWire,
  CreateClaimInput,
  CreateWorkOrderInput,
  CustomerWire,
  DispatchInput,
  DispatchWire,
  EquipmentWire,
  LocationWire,
  ProviderWire,
  TechnicianWire,
  WorkOrderWire,
} from './schemas.js';
import { SortedIds, Table } from './table.js';

type WorkOrderStatus = z.infer<typeof WorkOrderWire>['status'];
type DispatchStatus = z.infer<typeof DispatchWire>['status'];
type ClaimStatus = z.infer<typeof ClaimWire>['status'];
type Priority = z.infer<typeof WorkOrderWire>['sla']['priority'];

/** Something with a request id, for error bodies. */
export interface ReqIds {
  requestId: string;
}

interface Address {
  line1: string;
  line2: string | null;
  city: string;
  region: string;
  postalCode: string;
  country: string;
  latitude: number | null;
  longitude: number | null;
}

/** A customer record. */
export interface SpCustomer {
  id: string;
  name: string;
  type: 'residential' | 'commercial';
  phone: string | null;
  email: string | null;
  address: Address;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

/** A service location. */
export interface SpLocation {
  id: string;
  customerId: string;
  name: string;
  address: Address;
  serviceRegion: string | null;
  contact: { name: string; phone: string | null; email: string | null } | null;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

/** A unit at a location. */
export interface SpEquipment {
  id: string;
  locationId: string;
  customerId: string;
  type: string | null;
  manufacturer: string | null;
  model: string;
  serial: string | null;
  installedOn: string | null;
  program: string | null;
  expiresOn: string | null;
  /** Covered by warranty today (decided when the record is built). */
  underWarranty: boolean;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

/** A technician. */
export interface SpTechnician {
  id: string;
  providerId: string;
  name: string;
  email: string;
  phone: string;
  skills: string[];
  region: string;
  dailyCapacity: number;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

/** A work order. */
export interface SpWorkOrder {
  id: string;
  externalRef: string | null;
  serviceType: string;
  problemCode: string;
  status: WorkOrderStatus;
  priority: Priority;
  respondBy: string;
  completeBy: string;
  window: { start: string; end: string } | null;
  customerId: string;
  locationId: string;
  equipmentId: string | null;
  /** Warranty entitlement decided at intake. */
  warranty: boolean;
  /** Skill a technician needs for the unit (null when the unit type is unknown). */
  skill: string | null;
  /** Service region code of the location (`ATL-N`), null outside the service area. */
  serviceRegion: string | null;
  providerId: string | null;
  techId: string | null;
  parts: Array<{ partNumber: string; quantity: number }>;
  notes: string | null;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
}

/** A dispatch: one visit of a work order by a technician. */
export interface SpDispatch {
  id: string;
  workOrderId: string;
  status: DispatchStatus;
  providerId: string | null;
  techId: string | null;
  start: string;
  end: string;
  routeDate: string;
  onSiteEta: string;
  instructions: string | null;
  skillMatch: boolean;
  requiresParts: boolean;
  createdAt: string;
  updatedAt: string;
}

/** A claim; money in integer cents, distance in thousandths of a mile. */
export interface SpClaim {
  id: string;
  workOrderId: string;
  claimType: 'warranty' | 'service' | 'goodwill';
  referenceNumber: string | null;
  status: ClaimStatus;
  laborMinutes: number;
  laborRateCents: number;
  parts: Array<{ partNumber: string; quantity: number; unitCostCents: number }>;
  travel: { milliMiles: number; timeMinutes: number } | null;
  taxesCents: number;
  attachments: Array<{ fileName: string; uploadToken: string }>;
  resolution: { code: string; description: string };
  createdAt: string;
  updatedAt: string;
}

/** A service provider, derived from its technicians. */
export interface SpProvider {
  id: string;
  name: string;
  regions: string[];
  skills: string[];
  technicianIds: string[];
  dailyCapacity: number;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

const MINUTE = 60_000;

/**
 * Travel pay in cents: 6.5 cents a mile, on the distance to a thousandth of a mile, rounded half
 * up to the cent (12.3 mi -> 79.95 -> 0.80, which reproduces the seed's claim total of 178.05).
 * Travel time is recorded but not paid. The rate is the data-set generator's, so seeded claim
 * totals follow the same rule.
 */
export function travelCentsOf(milliMiles: number): number {
  return mulDiv(milliMiles, TRAVEL_CENTS_PER_TENTH_MILE.numerator, TRAVEL_CENTS_PER_TENTH_MILE.denominator * 100);
}

/**
 * The amounts of a claim in cents: labor is minutes / 60 x hourly rate (half up to the cent),
 * parts are quantity x unit cost, travel per {@link travelCentsOf}, taxes as submitted.
 */
export function claimAmounts(c: Pick<SpClaim, 'laborMinutes' | 'laborRateCents' | 'parts' | 'travel' | 'taxesCents'>) {
  const labor = mulDiv(c.laborRateCents, c.laborMinutes, 60);
  const parts = c.parts.map((p) => p.unitCostCents * p.quantity);
  const partsTotal = parts.reduce((s, p) => s + p, 0);
  const travel = c.travel ? travelCentsOf(c.travel.milliMiles) : 0;
  return { labor, parts, partsTotal, travel, taxes: c.taxesCents, total: labor + partsTotal + travel + c.taxesCents };
}

/** Cents as the JSON number the vendor answers (2 decimals). */
function money(cents: number): number {
  return Number(fromCents(cents));
}

/** The estimated arrival: 90 minutes into the window, or its middle when the window is shorter. */
function etaOf(start: string, end: string): string {
  const s = Date.parse(start);
  const e = Date.parse(end);
  return isoNow(new Date(s + Math.min(90 * MINUTE, Math.floor((e - s) / 2))));
}

/** ISO timestamps in the vendor's seconds-precision UTC form. */
function normIso(value: string): string {
  return isoNow(new Date(value));
}

const SERVICE_REGION_OF_CITY = new Map(CITIES.map(([city, region]) => [city.toLowerCase(), region]));

/** The service region of an address: by city, within the business's state only. */
function serviceRegionOf(a: { city: string; region: string }): string | null {
  if (a.region.toUpperCase() !== 'GA') return null;
  return SERVICE_REGION_OF_CITY.get(a.city.trim().toLowerCase()) ?? null;
}

/** Unit type and maker of a catalogue model (`ACME-DW-900` -> Dishwasher, ACME Appliances). */
function catalogModel(model: string): { type: string; manufacturer: string } | undefined {
  const m = model.trim().toLowerCase();
  for (const u of UNIT_TYPES) {
    for (const maker of u.makers) {
      if (maker.models.some((x) => x.toLowerCase() === m)) return { type: u.type, manufacturer: maker.manufacturer };
    }
  }
  return undefined;
}

/** The skill a unit type needs; failing that, the first unit type whose problems list the code. */
function skillFor(type: string | null, problemCode: string): string | null {
  if (type) {
    const u = UNIT_TYPES.find((x) => x.type.toLowerCase() === type.toLowerCase());
    if (u) return u.skill;
  }
  return UNIT_TYPES.find((x) => x.problems.includes(problemCode))?.skill ?? null;
}

function address(a: GenAddress): Address {
  return {
    line1: a.line1,
    line2: a.line2 ?? null,
    city: a.city,
    region: a.region,
    postalCode: a.postalCode,
    country: a.country,
    latitude: a.latitude ?? null,
    longitude: a.longitude ?? null,
  };
}

/** UTC calendar days (YYYY-MM-DD) a window touches. */
function daysOf(start: string, end: string): string[] {
  const out: string[] = [];
  const last = Date.parse(end) - 1;
  for (let d = Date.UTC(...ymd(start)); d <= last; d += 86_400_000) out.push(new Date(d).toISOString().slice(0, 10));
  return out.length ? out : [start.slice(0, 10)];
}

function ymd(isoString: string): [number, number, number] {
  const d = new Date(isoString);
  return [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()];
}

/** Work order statuses a dispatch is refused in. */
const CLOSED: ReadonlySet<WorkOrderStatus> = new Set(['completed', 'cancelled']);
/** Dispatch statuses that hold a technician's time. */
const BUSY: ReadonlySet<DispatchStatus> = new Set(['scheduled', 'dispatched', 'on_site', 'completed']);

/** The simulator's records, indexes and rules. Build a new one to reset. */
export class ServicePowerState {
  readonly customers: Table<SpCustomer>;
  readonly locations: Table<SpLocation>;
  readonly equipment: Table<SpEquipment>;
  readonly technicians: Table<SpTechnician>;
  readonly workOrders: Table<SpWorkOrder>;
  readonly dispatches: Table<SpDispatch>;
  readonly claims: Table<SpClaim>;
  readonly providers: Table<SpProvider>;
  /** Dispatch ids by `techId|YYYY-MM-DD` for every UTC day the window touches. */
  private readonly techDays = new Map<string, Set<string>>();
  /** Dispatch ids by `techId|routeDate`, for daily capacity. */
  private readonly techRoutes = new Map<string, Set<string>>();
  /** Dispatch ids of each work order. */
  private readonly dispatchesOf = new Map<string, SortedIds>();
  /** `workOrderId|referenceNumber` of every claim, against duplicate submissions. */
  private readonly claimedRefs = new Set<string>();
  private readonly newId: (prefix: string, digits?: number) => string;

  constructor(
    private readonly ctx: SimContext,
    data: VendorData,
  ) {
    const today = ctx.dataset.options.anchor.slice(0, 10);

    this.customers = new Table<SpCustomer>(
      { id: (c) => c.id, times: { updated: (c) => c.updatedAt } },
      data.customers.map((c) => ({
        id: c.id,
        name: c.name,
        type: c.type,
        phone: c.phone ?? null,
        email: c.email ?? null,
        address: address(c.address),
        active: c.active,
        createdAt: c.createdAt,
        updatedAt: c.updatedAt,
      })),
    );
    this.locations = new Table<SpLocation>(
      { id: (l) => l.id, times: { updated: (l) => l.updatedAt } },
      data.locations.map((l) => ({
        id: l.id,
        customerId: l.customerId,
        name: l.name,
        address: address(l.address),
        serviceRegion: serviceRegionOf(l.address),
        contact: l.contact ? { name: l.contact.name, phone: l.contact.phone ?? null, email: l.contact.email ?? null } : null,
        active: l.active,
        createdAt: l.createdAt,
        updatedAt: l.updatedAt,
      })),
    );
    this.equipment = new Table<SpEquipment>(
      { id: (e) => e.id, times: { updated: (e) => e.updatedAt } },
      data.equipment.map((e) => ({
        id: e.id,
        locationId: e.locationId,
        customerId: e.customerId,
        type: e.type,
        manufacturer: e.manufacturer,
        model: e.model,
        serial: e.serialNumber,
        installedOn: e.installedOn,
        program: e.warrantyProgram ?? null,
        expiresOn: e.warrantyEnd ?? null,
        // Covered when a manufacturer program backs the unit and its warranty runs past the data set's "today".
        underWarranty: e.warrantyProgram !== undefined && e.warrantyEnd !== undefined && e.warrantyEnd >= today,
        active: e.active,
        createdAt: e.createdAt,
        updatedAt: e.updatedAt,
      })),
    );
    this.technicians = new Table<SpTechnician>(
      {
        id: (t) => t.id,
        keys: { providerId: (t) => [t.providerId], region: (t) => [t.region], skill: (t) => t.skills },
        times: { updated: (t) => t.updatedAt },
      },
      data.technicians
        .filter((t) => t.providerId !== undefined)
        .map((t) => ({
          id: t.id,
          providerId: t.providerId!,
          name: t.name,
          email: t.email,
          phone: t.phone,
          skills: t.skills.slice(),
          region: t.region,
          dailyCapacity: t.dailyCapacity,
          active: t.active,
          createdAt: t.createdAt,
          updatedAt: t.updatedAt,
        })),
    );
    this.providers = new Table<SpProvider>({ id: (p) => p.id }, this.buildProviders());

    const equipmentById = this.equipment;
    this.workOrders = new Table<SpWorkOrder>(
      {
        id: (w) => w.id,
        keys: {
          status: (w) => [w.status],
          providerId: (w) => [w.providerId],
          // Either the service region or the location's state code matches `region`.
          region: (w) => [w.serviceRegion, this.locations.get(w.locationId)?.address.region],
        },
        times: { scheduled: (w) => w.window?.start, updated: (w) => w.updatedAt },
      },
      data.workOrders.map((w) => {
        const equipmentId = w.equipmentIds[0] ?? null;
        const unit = equipmentId ? equipmentById.get(equipmentId) : undefined;
        return {
          id: w.id,
          externalRef: w.externalRef ?? null,
          serviceType: w.serviceType,
          problemCode: w.problemCode,
          status: w.status as WorkOrderStatus,
          priority: w.priority as Priority,
          respondBy: w.sla?.respondBy ?? w.createdAt,
          completeBy: w.sla?.completeBy ?? w.createdAt,
          window: w.window ? { start: w.window.start, end: w.window.end } : null,
          customerId: w.customerId,
          locationId: w.locationId,
          equipmentId,
          warranty: w.warranty,
          skill: skillFor(unit?.type ?? null, w.problemCode),
          serviceRegion: w.region,
          providerId: w.providerId ?? null,
          techId: w.technicianIds[0] ?? null,
          parts: w.parts.map((p) => ({ partNumber: p.partNumber, quantity: p.quantity })),
          notes: w.summary || null,
          createdAt: w.createdAt,
          updatedAt: w.updatedAt,
          completedAt: w.completedAt ?? null,
        };
      }),
    );

    const woById = this.workOrders;
    this.dispatches = new Table<SpDispatch>(
      { id: (d) => d.id, times: { updated: (d) => d.updatedAt } },
      data.appointments.map((a) => {
        const wo = woById.get(a.workOrderId);
        return {
          id: a.id,
          workOrderId: a.workOrderId,
          status: a.status as DispatchStatus,
          providerId: wo?.providerId ?? null,
          techId: a.technicianIds[0] ?? null,
          start: a.start,
          end: a.end,
          routeDate: a.start.slice(0, 10),
          onSiteEta: etaOf(a.start, a.end),
          instructions: a.instructions ?? null,
          skillMatch: true,
          requiresParts: (wo?.parts.length ?? 0) > 0,
          createdAt: a.createdAt,
          updatedAt: a.updatedAt,
        };
      }),
    );
    for (const d of this.dispatches.all()) this.indexDispatch(d);

    this.claims = new Table<SpClaim>(
      {
        id: (c) => c.id,
        keys: { workOrderId: (c) => [c.workOrderId], status: (c) => [c.status] },
        times: { updated: (c) => c.updatedAt },
      },
      data.claims.map((c) => ({
        id: c.id,
        workOrderId: c.workOrderId,
        claimType: c.claimType,
        referenceNumber: c.referenceNumber,
        status: c.status as ClaimStatus,
        laborMinutes: c.labor.minutes,
        laborRateCents: toCents(c.labor.rate),
        parts: c.parts.map((p) => ({ partNumber: p.partNumber, quantity: p.quantity, unitCostCents: toCents(p.unitCost) })),
        travel: { milliMiles: Math.round(Number(c.travel.miles) * 1000), timeMinutes: c.travel.timeMinutes },
        taxesCents: toCents(c.taxes),
        attachments: [],
        resolution: { ...c.resolution },
        createdAt: c.createdAt,
        updatedAt: c.updatedAt,
      })),
    );
    for (const c of data.claims) this.claimedRefs.add(`${c.workOrderId}|${c.referenceNumber}`);

    this.newId = idMaker(ctx, 'servicepower', (id) =>
      [this.workOrders, this.dispatches, this.claims, this.customers, this.locations, this.equipment].some((t) => t.has(id)),
    );
  }

  private buildProviders(): SpProvider[] {
    const byProvider = new Map<string, SpTechnician[]>();
    for (const t of this.technicians.all()) {
      const list = byProvider.get(t.providerId) ?? [];
      list.push(t);
      byProvider.set(t.providerId, list);
    }
    const kinds = ['Appliance Service', 'Home Services', 'Service Partners', 'Repair Co'] as const;
    return [...byProvider].map(([id, techs]) => {
      const r = this.ctx.rng.fork(`provider:${id}`);
      return {
        id,
        name: `${r.pick(COMPANY_WORDS)} ${r.pick(kinds)}`,
        regions: [...new Set(techs.map((t) => t.region))].sort(),
        skills: [...new Set(techs.flatMap((t) => t.skills))].sort(),
        technicianIds: techs.map((t) => t.id),
        dailyCapacity: techs.reduce((s, t) => s + (t.active ? t.dailyCapacity : 0), 0),
        active: techs.some((t) => t.active),
        createdAt: techs.map((t) => t.createdAt).sort()[0]!,
        updatedAt: techs.map((t) => t.updatedAt).sort().at(-1)!,
      };
    });
  }

  private indexDispatch(d: SpDispatch): void {
    let ids = this.dispatchesOf.get(d.workOrderId);
    if (!ids) this.dispatchesOf.set(d.workOrderId, (ids = new SortedIds()));
    ids.insert(d.id);
    if (!d.techId) return;
    for (const day of daysOf(d.start, d.end)) {
      const key = `${d.techId}|${day}`;
      let set = this.techDays.get(key);
      if (!set) this.techDays.set(key, (set = new Set()));
      set.add(d.id);
    }
    const rk = `${d.techId}|${d.routeDate}`;
    let route = this.techRoutes.get(rk);
    if (!route) this.techRoutes.set(rk, (route = new Set()));
    route.add(d.id);
  }

  /** Dispatch ids of a work order, ascending. */
  dispatchIdsOf(workOrderId: string): readonly string[] {
    return this.dispatchesOf.get(workOrderId)?.ids ?? [];
  }

  private now(): string {
    return isoNow(this.ctx.now());
  }

  // ------------------------------------------------------------------ writes

  /** `POST /work-orders`: registers the customer, location and unit when they carry no id. */
  createWorkOrder(body: CreateWorkOrderInput, req: ReqIds): SpWorkOrder {
    const unprocessable = (field: string, message: string) =>
      supergoodError(422, 'unprocessable', 'A referenced record does not exist or cannot be used.', req, [{ field, message }]);

    const existingCustomer = body.customer.customerId ? this.customers.get(body.customer.customerId) : undefined;
    if (body.customer.customerId && !existingCustomer) throw unprocessable('customer.customerId', `Customer ${body.customer.customerId} does not exist.`);
    const existingLocation = body.location.locationId ? this.locations.get(body.location.locationId) : undefined;
    if (body.location.locationId) {
      if (!existingLocation) throw unprocessable('location.locationId', `Location ${body.location.locationId} does not exist.`);
      if (existingLocation.customerId !== existingCustomer?.id) {
        throw unprocessable('location.locationId', `Location ${existingLocation.id} does not belong to the work order's customer.`);
      }
    }
    const eqIn = body.equipment ?? undefined;
    const existingUnit = eqIn?.equipmentId ? this.equipment.get(eqIn.equipmentId) : undefined;
    if (eqIn?.equipmentId) {
      if (!existingUnit) throw unprocessable('equipment.equipmentId', `Equipment ${eqIn.equipmentId} does not exist.`);
      if (existingUnit.locationId !== existingLocation?.id) {
        throw unprocessable('equipment.equipmentId', `Equipment ${existingUnit.id} is not installed at the work order's location.`);
      }
    }

    const now = this.now();
    const l = body.location;
    const newAddress: Address | undefined = existingLocation
      ? undefined
      : {
          line1: l.line1!,
          line2: l.line2 ?? null,
          city: l.city!,
          region: l.region!,
          postalCode: l.postalCode!,
          country: l.country!.toUpperCase(),
          latitude: null,
          longitude: null,
        };

    let customer = existingCustomer;
    if (!customer) {
      customer = {
        id: this.newId('cst'),
        name: body.customer.name!,
        type: 'residential',
        phone: body.customer.phone ?? null,
        email: body.customer.email ?? null,
        address: newAddress!,
        active: true,
        createdAt: now,
        updatedAt: now,
      };
      this.customers.put(customer);
    }
    let location = existingLocation;
    if (!location) {
      location = {
        id: this.newId('loc'),
        customerId: customer.id,
        name: newAddress!.line1,
        address: newAddress!,
        serviceRegion: serviceRegionOf(newAddress!),
        contact: null,
        active: true,
        createdAt: now,
        updatedAt: now,
      };
      this.locations.put(location);
    }
    let unit = existingUnit;
    if (eqIn && !unit) {
      const known = catalogModel(eqIn.model!);
      const expiresOn = eqIn.entitlement?.expiresOn ?? null;
      unit = {
        id: this.newId('eq'),
        locationId: location.id,
        customerId: customer.id,
        type: eqIn.type ?? known?.type ?? null,
        manufacturer: eqIn.manufacturer ?? known?.manufacturer ?? null,
        model: eqIn.model!,
        serial: eqIn.serial ?? null,
        installedOn: null,
        program: null,
        expiresOn,
        underWarranty: (eqIn.entitlement?.warranty ?? false) && (expiresOn === null || expiresOn >= now.slice(0, 10)),
        active: true,
        createdAt: now,
        updatedAt: now,
      };
      this.equipment.put(unit);
    }

    const created = Date.parse(now);
    const wo: SpWorkOrder = {
      id: this.newId('wo'),
      externalRef: body.externalRef ?? null,
      serviceType: body.serviceType,
      problemCode: body.problemCode,
      status: 'new',
      priority: body.sla?.priority ?? 'normal',
      // Without an SLA in the request the tenant's default applies: respond in 24 h, complete in 7 days.
      respondBy: body.sla ? normIso(body.sla.respondBy) : isoNow(new Date(created + 24 * 60 * MINUTE)),
      completeBy: body.sla ? normIso(body.sla.completeBy) : isoNow(new Date(created + 7 * 24 * 60 * MINUTE)),
      window: null,
      customerId: customer.id,
      locationId: location.id,
      equipmentId: unit?.id ?? null,
      warranty: eqIn?.entitlement?.warranty ?? unit?.underWarranty ?? false,
      skill: skillFor(unit?.type ?? null, body.problemCode),
      serviceRegion: location.serviceRegion,
      providerId: null,
      techId: null,
      parts: body.partsRequired.map((p) => ({ partNumber: p.partNumber, quantity: p.quantity })),
      notes: body.notes ?? null,
      createdAt: now,
      updatedAt: now,
      completedAt: null,
    };
    this.workOrders.put(wo);
    return wo;
  }

  /**
   * `POST /work-orders/{id}/dispatch`: assigns a provider's technician for a window. Refuses a
   * closed work order (409), an unknown provider or technician, a technician of another provider
   * or without the skill for the unit when `skillMatch` (422), and a technician who is already
   * booked in an overlapping window or is at daily capacity on the route date (409). Earlier open
   * visits of the work order are replaced (cancelled; one on site counts as completed).
   */
  dispatch(workOrderId: string, body: DispatchInput, req: ReqIds): SpDispatch {
    const wo = this.workOrders.get(workOrderId);
    if (!wo) throw supergoodError(404, 'not_found', `Work order ${workOrderId} not found.`, req);
    if (CLOSED.has(wo.status)) {
      throw supergoodError(409, 'conflict', `Work order ${wo.id} is ${wo.status} and cannot be dispatched.`, req, [
        { field: 'status', message: `Work order is ${wo.status}.` },
      ]);
    }
    const unprocessable = (field: string, message: string) =>
      supergoodError(422, 'unprocessable', message, req, [{ field, message }]);
    if (!this.providers.has(body.assignedProviderId)) {
      throw unprocessable('assignedProviderId', `Service provider ${body.assignedProviderId} does not exist.`);
    }
    const tech = this.technicians.get(body.assignedTechId);
    if (!tech) throw unprocessable('assignedTechId', `Technician ${body.assignedTechId} does not exist.`);
    if (tech.providerId !== body.assignedProviderId) {
      throw unprocessable('assignedTechId', `Technician ${tech.id} does not work for provider ${body.assignedProviderId}.`);
    }
    if (!tech.active) throw unprocessable('assignedTechId', `Technician ${tech.id} is inactive.`);
    if (body.skillMatch && wo.skill && !tech.skills.includes(wo.skill)) {
      throw unprocessable('assignedTechId', `Technician ${tech.id} lacks the skill "${wo.skill}" this unit needs.`);
    }

    const start = normIso(body.appointmentWindow.start);
    const end = normIso(body.appointmentWindow.end);
    const s = Date.parse(start);
    const e = Date.parse(end);
    for (const day of daysOf(start, end)) {
      for (const id of this.techDays.get(`${tech.id}|${day}`) ?? []) {
        const other = this.dispatches.get(id)!;
        // The work order's own earlier visit is being replaced, so it does not block.
        if (other.workOrderId === wo.id || !BUSY.has(other.status)) continue;
        if (Date.parse(other.start) < e && s < Date.parse(other.end)) {
          throw supergoodError(409, 'conflict', `Technician ${tech.id} is already dispatched (${other.id}) from ${other.start} to ${other.end}.`, req, [
            { field: 'appointmentWindow', message: `Overlaps dispatch ${other.id} of technician ${tech.id}.` },
          ]);
        }
      }
    }
    const routeDate = body.routeDate ?? start.slice(0, 10);
    const booked = [...(this.techRoutes.get(`${tech.id}|${routeDate}`) ?? [])]
      .map((id) => this.dispatches.get(id)!)
      .filter((d) => d.workOrderId !== wo.id && BUSY.has(d.status)).length;
    if (booked >= tech.dailyCapacity) {
      throw supergoodError(409, 'conflict', `Technician ${tech.id} is at capacity (${tech.dailyCapacity} a day) on ${routeDate}.`, req, [
        { field: 'routeDate', message: `Technician ${tech.id} has no capacity left on ${routeDate}.` },
      ]);
    }

    const now = this.now();
    for (const id of this.dispatchIdsOf(wo.id)) {
      const prev = this.dispatches.get(id)!;
      if (prev.status === 'scheduled' || prev.status === 'dispatched' || prev.status === 'on_site') {
        prev.status = prev.status === 'on_site' ? 'completed' : 'cancelled';
        prev.updatedAt = now;
        this.dispatches.put(prev);
      }
    }
    const d: SpDispatch = {
      id: this.newId('disp'),
      workOrderId: wo.id,
      status: 'scheduled',
      providerId: body.assignedProviderId,
      techId: tech.id,
      start,
      end,
      routeDate,
      onSiteEta: etaOf(start, end),
      instructions: body.instructions ?? null,
      skillMatch: body.skillMatch,
      requiresParts: body.requiresParts,
      createdAt: now,
      updatedAt: now,
    };
    this.dispatches.put(d);
    this.indexDispatch(d);
    wo.status = 'scheduled';
    wo.providerId = body.assignedProviderId;
    wo.techId = tech.id;
    wo.window = { start, end };
    wo.updatedAt = now;
    this.workOrders.put(wo);
    return d;
  }

  /** Sandbox action: the technician arrives (scheduled or dispatched -> in_progress). */
  start(workOrderId: string, req: ReqIds): SpWorkOrder {
    const wo = this.workOrders.get(workOrderId);
    if (!wo) throw supergoodError(404, 'not_found', `Work order ${workOrderId} not found.`, req);
    if ((wo.status !== 'scheduled' && wo.status !== 'dispatched') || !wo.techId) {
      throw supergoodError(409, 'conflict', `Work order ${wo.id} is ${wo.status}; only a dispatched work order can start.`, req);
    }
    const now = this.now();
    this.moveOpenVisit(wo.id, ['scheduled', 'dispatched'], 'on_site', now);
    wo.status = 'in_progress';
    wo.updatedAt = now;
    this.workOrders.put(wo);
    return wo;
  }

  /** Sandbox action: the technician finishes the job (in_progress -> completed). */
  complete(workOrderId: string, req: ReqIds): SpWorkOrder {
    const wo = this.workOrders.get(workOrderId);
    if (!wo) throw supergoodError(404, 'not_found', `Work order ${workOrderId} not found.`, req);
    if (wo.status !== 'in_progress') {
      throw supergoodError(409, 'conflict', `Work order ${wo.id} is ${wo.status}; only a work order in progress can complete.`, req);
    }
    const now = this.now();
    this.moveOpenVisit(wo.id, ['on_site'], 'completed', now);
    wo.status = 'completed';
    wo.completedAt = now;
    wo.updatedAt = now;
    this.workOrders.put(wo);
    return wo;
  }

  private moveOpenVisit(workOrderId: string, from: DispatchStatus[], to: DispatchStatus, now: string): void {
    for (const id of this.dispatchIdsOf(workOrderId)) {
      const d = this.dispatches.get(id)!;
      if (from.includes(d.status)) {
        d.status = to;
        d.updatedAt = now;
        this.dispatches.put(d);
      }
    }
  }

  /**
   * `POST /claims`: only for a completed work order (409 otherwise; 422 when it does not exist);
   * a reference number can be claimed once per work order (409: a resubmission, not a new claim).
   * The total is computed in cents.
   */
  submitClaim(body: CreateClaimInput, req: ReqIds): SpClaim {
    const wo = this.workOrders.get(body.workOrderId);
    if (!wo) {
      throw supergoodError(422, 'unprocessable', `Work order ${body.workOrderId} does not exist.`, req, [
        { field: 'workOrderId', message: 'Unknown work order.' },
      ]);
    }
    if (wo.status !== 'completed') {
      throw supergoodError(409, 'conflict', `Work order ${wo.id} is ${wo.status}; claims are accepted for completed work orders only.`, req, [
        { field: 'workOrderId', message: `Work order is ${wo.status}.` },
      ]);
    }
    const ref = body.referenceNumber ?? null;
    if (ref !== null && this.claimedRefs.has(`${wo.id}|${ref}`)) {
      throw supergoodError(409, 'conflict', `Work order ${wo.id} already has a claim with reference number ${ref}.`, req, [
        { field: 'referenceNumber', message: 'Already used.' },
      ]);
    }
    const now = this.now();
    const claim: SpClaim = {
      id: this.newId('clm'),
      workOrderId: wo.id,
      claimType: body.claimType,
      referenceNumber: ref,
      status: 'submitted',
      laborMinutes: body.labor.minutes,
      laborRateCents: toCents(body.labor.rate),
      parts: body.parts.map((p) => ({ partNumber: p.partNumber, quantity: p.quantity, unitCostCents: toCents(p.unitCost) })),
      travel: body.travel ? { milliMiles: Math.round(body.travel.miles * 1000), timeMinutes: body.travel.timeMinutes } : null,
      taxesCents: toCents(body.taxes),
      attachments: body.attachments.map((a) => ({ fileName: a.fileName, uploadToken: a.uploadToken })),
      resolution: { code: body.resolution.code, description: body.resolution.description },
      createdAt: now,
      updatedAt: now,
    };
    this.claims.put(claim);
    if (ref !== null) this.claimedRefs.add(`${wo.id}|${ref}`);
    return claim;
  }

  // ------------------------------------------------------------------ rendering

  /** A work order in the wire shape, with its customer, location and unit embedded. */
  workOrderWire(w: SpWorkOrder): z.infer<typeof WorkOrderWire> {
    const c = this.customers.get(w.customerId)!;
    const l = this.locations.get(w.locationId)!;
    const e = w.equipmentId ? this.equipment.get(w.equipmentId) : undefined;
    return {
      workOrderId: w.id,
      externalRef: w.externalRef,
      serviceType: w.serviceType,
      problemCode: w.problemCode,
      status: w.status,
      sla: { respondBy: w.respondBy, completeBy: w.completeBy, priority: w.priority },
      appointmentWindow: w.window ? { start: w.window.start, end: w.window.end } : null,
      customer: { customerId: c.id, name: c.name, phone: c.phone, email: c.email },
      location: {
        locationId: l.id,
        line1: l.address.line1,
        line2: l.address.line2,
        city: l.address.city,
        region: l.address.region,
        postalCode: l.address.postalCode,
        country: l.address.country,
      },
      equipment: e
        ? { equipmentId: e.id, model: e.model, serial: e.serial, entitlement: { warranty: w.warranty, expiresOn: e.expiresOn } }
        : null,
      serviceRegion: w.serviceRegion,
      assignedProviderId: w.providerId,
      assignedTechId: w.techId,
      partsRequired: w.parts.map((p) => ({ partNumber: p.partNumber, quantity: p.quantity })),
      notes: w.notes,
      createdAt: w.createdAt,
      updatedAt: w.updatedAt,
      completedAt: w.completedAt,
    };
  }

  /** A dispatch in the wire shape. */
  dispatchWire(d: SpDispatch): z.infer<typeof DispatchWire> {
    return {
      dispatchId: d.id,
      workOrderId: d.workOrderId,
      status: d.status,
      assignedProviderId: d.providerId,
      assignedTechId: d.techId,
      appointmentWindow: { start: d.start, end: d.end },
      routeDate: d.routeDate,
      onSiteEta: d.onSiteEta,
      instructions: d.instructions,
      skillMatch: d.skillMatch,
      requiresParts: d.requiresParts,
      createdAt: d.createdAt,
      updatedAt: d.updatedAt,
    };
  }

  /** A claim with its line items, amounts and totals (numbers with two decimals). */
  claimWire(c: SpClaim): z.infer<typeof ClaimWire> {
    const a = claimAmounts(c);
    return {
      claimId: c.id,
      workOrderId: c.workOrderId,
      claimType: c.claimType,
      referenceNumber: c.referenceNumber,
      status: c.status,
      labor: { minutes: c.laborMinutes, rate: money(c.laborRateCents), amount: money(a.labor) },
      parts: c.parts.map((p, i) => ({ partNumber: p.partNumber, quantity: p.quantity, unitCost: money(p.unitCostCents), amount: money(a.parts[i]!) })),
      travel: c.travel ? { miles: c.travel.milliMiles / 1000, timeMinutes: c.travel.timeMinutes, amount: money(a.travel) } : null,
      taxes: money(c.taxesCents),
      attachments: c.attachments.map((x) => ({ ...x })),
      resolution: { ...c.resolution },
      totals: { labor: money(a.labor), parts: money(a.partsTotal), travel: money(a.travel), taxes: money(a.taxes), total: money(a.total) },
      total: money(a.total),
      createdAt: c.createdAt,
      updatedAt: c.updatedAt,
    };
  }

  /** The claim total as the JSON number `POST /claims` answers. */
  claimTotal(c: SpClaim): number {
    return money(claimAmounts(c).total);
  }

  /** A customer in the wire shape. */
  customerWire(c: SpCustomer): z.infer<typeof CustomerWire> {
    const { latitude: _lat, longitude: _lng, ...addr } = c.address;
    return { customerId: c.id, name: c.name, type: c.type, phone: c.phone, email: c.email, address: addr, active: c.active, createdAt: c.createdAt, updatedAt: c.updatedAt };
  }

  /** A location in the wire shape (address fields flat, as embedded in work orders). */
  locationWire(l: SpLocation): z.infer<typeof LocationWire> {
    return {
      locationId: l.id,
      customerId: l.customerId,
      name: l.name,
      ...l.address,
      serviceRegion: l.serviceRegion,
      contact: l.contact ? { ...l.contact } : null,
      active: l.active,
      createdAt: l.createdAt,
      updatedAt: l.updatedAt,
    };
  }

  /** A unit with its current warranty coverage. */
  equipmentWire(e: SpEquipment): z.infer<typeof EquipmentWire> {
    return {
      equipmentId: e.id,
      locationId: e.locationId,
      customerId: e.customerId,
      type: e.type,
      manufacturer: e.manufacturer,
      model: e.model,
      serial: e.serial,
      installedOn: e.installedOn,
      entitlement: { warranty: e.underWarranty, program: e.program, expiresOn: e.expiresOn },
      active: e.active,
      createdAt: e.createdAt,
      updatedAt: e.updatedAt,
    };
  }

  /** A technician in the wire shape. */
  technicianWire(t: SpTechnician): z.infer<typeof TechnicianWire> {
    return {
      technicianId: t.id,
      providerId: t.providerId,
      name: t.name,
      email: t.email,
      phone: t.phone,
      skills: t.skills.slice(),
      region: t.region,
      capacity: { dailyAppointments: t.dailyCapacity },
      active: t.active,
      createdAt: t.createdAt,
      updatedAt: t.updatedAt,
    };
  }

  /** A provider, summarised from its technicians. */
  providerWire(p: SpProvider): z.infer<typeof ProviderWire> {
    return {
      providerId: p.id,
      name: p.name,
      regions: p.regions.slice(),
      skills: p.skills.slice(),
      technicianCount: p.technicianIds.length,
      capacity: { dailyAppointments: p.dailyCapacity },
      active: p.active,
      createdAt: p.createdAt,
      updatedAt: p.updatedAt,
    };
  }
}
