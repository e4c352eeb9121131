/**
 * The Field Nation simulator's in-memory state: clients, saved locations, users, projects and
 * work orders built from the data set, with the indexes the list endpoints use, and every write
 * (creates, partial updates and the work-order lifecycle). Failures are thrown as
 * {@link FnProblem}s; the routes give them the request's correlation id.
 */
import type { Dataset, GenAddress, GenWorkOrder } from '../../sandbox/dataset/types.js';
import { UNIT_TYPES } from '../../sandbox/dataset/catalog.js';
import { FnProblem, type FieldError } from './problems.js';
import {
  API_USER,
  CLIENT_WO_NUMBER_FIELD,
  CUSTOM_FIELDS,
  fnTime,
  LOCATION_GROUPS,
  LOCATION_TYPES,
  LOCATION_TYPE_BY_ID,
  parseFnTime,
  SEED_PROJECTS,
  serviceTypeFor,
  STATUS,
  statusIdOfWord,
  statusName,
  TALENT_POOL_GROUPS,
  territoryOfCity,
  territoryOfRegion,
  TYPE_OF_WORK_BY_ID,
  typeOfWorkForSkill,
  type TypeOfWork,
} from './reference.js';
import type { PAY_TYPES, WINDOW_MODES } from './schemas.js';

/** A postal address as the simulator keeps it. */
export interface Address {
  address1: string;
  address2?: string;
  city: string;
  state: string;
  zip: string;
  country: string;
  latitude?: number;
  longitude?: number;
}

/** A client (end customer). */
export interface ClientRec {
  id: number;
  name: string;
  type: 'residential' | 'commercial';
  contactName?: string;
  email?: string;
  phone?: string;
  address?: Address;
  active: boolean;
  createdMs: number;
  updatedMs: number;
}

/** A saved location. */
export interface LocationRec {
  id: number;
  name: string;
  clientId?: number;
  address: Address;
  contact?: { name: string; email?: string; phone?: string };
  typeId: number;
  groupId?: number;
  active: boolean;
  createdMs: number;
  updatedMs: number;
}

/** A user: a provider, or the company's API user. */
export interface UserRec {
  id: number;
  firstName: string;
  lastName: string;
  email: string;
  phone?: string;
  role: 'provider' | 'buyer';
  skills: string[];
  territoryId?: number;
  active: boolean;
  createdMs: number;
  updatedMs: number;
}

/** A project. */
export interface ProjectRec {
  id: number;
  name: string;
  description: string;
  clientId?: number;
  active: boolean;
  createdMs: number;
  updatedMs: number;
}

/** Service-window mode. */
export type WindowMode = (typeof WINDOW_MODES)[number];
/** Pay type. */
export type PayType = (typeof PAY_TYPES)[number];

/** A work order's location: a saved location, or a custom address. */
export type WoLocation = { mode: 'saved'; id: number } | { mode: 'custom'; name?: string; address: Address };

/** A work order. */
export interface WorkOrderRec {
  id: number;
  title: string;
  descriptionHtml: string;
  statusId: number;
  clientId?: number;
  projectId?: number;
  location: WoLocation;
  typesOfWork: Array<{ id: number; isPrimary: boolean; serviceTypeIds: number[] }>;
  window?: { mode: WindowMode; startMs: number; endMs?: number };
  pay?: { type: PayType; amount: number; units: number };
  routes: Array<{ userId: number; atMs: number }>;
  assigneeId?: number;
  customFields: Map<number, string>;
  cancelReason?: string;
  createdMs: number;
  updatedMs: number;
}

/** Sort keys of the work-order list. */
export const WORK_ORDER_SORTS = ['id', 'created', 'last_updated', 'status', 'title', 'schedule'] as const;
/** A work-order list sort key. */
export type WorkOrderSort = (typeof WORK_ORDER_SORTS)[number];

/** A work-order search: every given condition must hold. */
export interface WorkOrderQuery {
  statusIds?: number[];
  projectIds?: number[];
  clientIds?: number[];
  locationIds?: number[];
  /** Half-open `[from, to)` in ms; either end may be absent. */
  created?: { from?: number; to?: number };
  updated?: { from?: number; to?: number };
  sort: WorkOrderSort;
  order: 'asc' | 'desc';
}

/** Input of a new work order, already parsed by the route's schema. */
export interface WorkOrderCreate {
  title: string;
  description?: { html: string };
  types_of_work?: Array<{ id: number; isPrimary?: boolean; service_types?: Array<{ id: number }> }>;
  type_of_work?: { id: number };
  location: LocationInputValue;
  schedule: { service_window: { mode: WindowMode; start: { utc: string }; end?: { utc: string } } };
  pay?: { type: PayType; base: { amount: number; units: number } };
  project?: { id: number };
  client?: { id: number };
  custom_fields?: CustomFieldsValue;
}

/** A partial work-order update, already parsed. */
export interface WorkOrderUpdate {
  title?: string;
  description?: { html: string };
  types_of_work?: Array<{ id: number; isPrimary?: boolean; service_types?: Array<{ id: number }> }>;
  location?: LocationInputValue;
  schedule?: SchedulePatch;
  pay?: PayPatch;
  project?: { id: number } | null;
  client?: { id: number } | null;
  custom_fields?: CustomFieldsValue;
}

/** A parsed location input. */
export type LocationInputValue =
  | { mode: 'saved'; id: number }
  | {
      mode: 'custom';
      name?: string;
      address1: string;
      address2?: string;
      city: string;
      state: string;
      zip: string;
      country: string;
      geo?: { latitude: number; longitude: number };
    };

/** A parsed schedule change. */
export interface SchedulePatch {
  service_window: { mode?: WindowMode; start?: { utc: string }; end?: { utc: string } | null };
}

/** A parsed pay change. */
export interface PayPatch {
  type?: PayType;
  base?: { amount?: number; units?: number };
}

/** Parsed custom field values. */
export type CustomFieldsValue =
  | Array<{ id?: number; name?: string; value: string | null }>
  | { results: Array<{ id?: number; name?: string; value: string | null }> };

/** A parsed new saved location. */
export interface LocationCreate {
  name: string;
  address1: string;
  address2?: string;
  city: string;
  state: string;
  zip: string;
  country: string;
  type?: { id: number };
  contact?: { name: string; email?: string; phone?: string };
  group?: { id: number };
  client?: { id: number };
  geo?: { latitude: number; longitude: number };
  active: boolean;
}

/** A parsed new client. */
export interface ClientCreate {
  name: string;
  type: 'residential' | 'commercial';
  contact?: { name?: string; email?: string; phone?: string };
  address?: { address1: string; address2?: string; city: string; state: string; zip: string; country: string };
  active: boolean;
}

/** A parsed new project. */
export interface ProjectCreate {
  name: string;
  description: string;
  client?: { id: number };
  active: boolean;
}

/** Lifecycle actions and the statuses each may start from. */
const TRANSITIONS = {
  publish: { verb: 'publish', from: [STATUS.Draft] },
  unpublish: { verb: 'unpublish', from: [STATUS.Published, STATUS.Routed] },
  revertToDraft: { verb: 'revert to draft', from: [STATUS.Published, STATUS.Routed, STATUS.Assigned] },
  route: { verb: 'route', from: [STATUS.Published, STATUS.Routed] },
  unroute: { verb: 'un-route', from: [STATUS.Routed] },
  assign: { verb: 'assign', from: [STATUS.Published, STATUS.Routed] },
  unassign: { verb: 'unassign', from: [STATUS.Assigned] },
  workDone: { verb: 'mark work done on', from: [STATUS.Assigned] },
  incomplete: { verb: 'mark incomplete', from: [STATUS.WorkDone] },
  approve: { verb: 'approve', from: [STATUS.WorkDone] },
  markPaid: { verb: 'mark paid', from: [STATUS.Approved] },
  cancel: { verb: 'cancel', from: [STATUS.Draft, STATUS.Published, STATUS.Routed, STATUS.Assigned] },
} as const satisfies Record<string, { verb: string; from: readonly number[] }>;

/** Statuses in which a work order can still be edited at all. */
const EDITABLE = new Set<number>([STATUS.Draft, STATUS.Published, STATUS.Routed, STATUS.Assigned, STATUS.WorkDone]);
/** Statuses in which pay may change directly (afterwards it takes a pay increase the provider accepts). */
const PAY_EDITABLE = new Set<number>([STATUS.Draft, STATUS.Published, STATUS.Routed]);
/** Statuses in which schedule and location may change (not once the work is done). */
const SITE_EDITABLE = new Set<number>([STATUS.Draft, STATUS.Published, STATUS.Routed, STATUS.Assigned]);

function ms(iso: string): number {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new Error(`the data set holds an invalid timestamp ${iso}`);
  return t;
}

function addressOf(a: GenAddress): Address {
  return {
    address1: a.line1,
    ...(a.line2 ? { address2: a.line2 } : {}),
    city: a.city,
    state: a.region,
    zip: a.postalCode,
    country: a.country,
    ...(a.latitude !== undefined && a.longitude !== undefined ? { latitude: a.latitude, longitude: a.longitude } : {}),
  };
}

interface AddressInput {
  address1: string;
  address2?: string;
  city: string;
  state: string;
  zip: string;
  country: string;
  geo?: { latitude: number; longitude: number };
}

function addressOfInput(a: AddressInput): Address {
  return {
    address1: a.address1,
    ...(a.address2 ? { address2: a.address2 } : {}),
    city: a.city,
    state: a.state,
    zip: a.zip,
    country: a.country,
    ...(a.geo ? { latitude: a.geo.latitude, longitude: a.geo.longitude } : {}),
  };
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function splitName(name: string): { firstName: string; lastName: string } {
  const t = name.trim();
  const i = t.indexOf(' ');
  return i < 0 ? { firstName: t, lastName: '' } : { firstName: t.slice(0, i), lastName: t.slice(i + 1).trim() };
}

/** A keyed multi-index: key -> the set of records with that key. */
class MultiIndex<K, V> {
  private readonly map = new Map<K, Set<V>>();

  add(key: K | undefined, value: V): void {
    if (key === undefined) return;
    let set = this.map.get(key);
    if (!set) this.map.set(key, (set = new Set()));
    set.add(value);
  }

  remove(key: K | undefined, value: V): void {
    if (key === undefined) return;
    const set = this.map.get(key);
    if (!set) return;
    set.delete(value);
    if (set.size === 0) this.map.delete(key);
  }

  size(keys: readonly K[]): number {
    return keys.reduce((n, k) => n + (this.map.get(k)?.size ?? 0), 0);
  }

  values(keys: readonly K[]): V[] {
    const out: V[] = [];
    for (const k of keys) for (const v of this.map.get(k) ?? []) out.push(v);
    return out;
  }

  clear(): void {
    this.map.clear();
  }
}

type Cmp<T> = (a: T, b: T) => number;

/** First index at which `probe` holds; `probe` must be false then true along `arr` (a sorted array). */
function lowerBound<T>(arr: readonly T[], probe: (x: T) => boolean): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (probe(arr[mid]!)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function insertSorted<T>(arr: T[], value: T, cmp: Cmp<T>): void {
  arr.splice(
    lowerBound(arr, (x) => cmp(x, value) >= 0),
    0,
    value,
  );
}

function removeSorted<T>(arr: T[], value: T, cmp: Cmp<T>): void {
  let i = lowerBound(arr, (x) => cmp(x, value) >= 0);
  while (i < arr.length && arr[i] !== value && cmp(arr[i]!, value) === 0) i++;
  if (arr[i] === value) arr.splice(i, 1);
}

const byCreated: Cmp<WorkOrderRec> = (a, b) => a.createdMs - b.createdMs || a.id - b.id;
const byUpdated: Cmp<WorkOrderRec> = (a, b) => a.updatedMs - b.updatedMs || a.id - b.id;

const SORTS: Record<WorkOrderSort, Cmp<WorkOrderRec>> = {
  id: (a, b) => a.id - b.id,
  created: byCreated,
  last_updated: byUpdated,
  status: (a, b) => a.statusId - b.statusId || a.id - b.id,
  title: (a, b) => (a.title < b.title ? -1 : a.title > b.title ? 1 : a.id - b.id),
  // Work orders without a schedule sort last.
  schedule: (a, b) => (a.window?.startMs ?? Number.MAX_SAFE_INTEGER) - (b.window?.startMs ?? Number.MAX_SAFE_INTEGER) || a.id - b.id,
};

const UNIT_SKILL = new Map<string, string>(UNIT_TYPES.map((u) => [u.type, u.skill]));

/** How many distinct searches keep their results between calls (page walks reuse them). */
const QUERY_CACHE_SIZE = 32;

/** The simulator's state. Construct once; {@link FieldNationState.load} rebuilds it from the data set. */
export class FieldNationState {
  readonly clients = new Map<number, ClientRec>();
  readonly clientList: ClientRec[] = [];
  readonly locations = new Map<number, LocationRec>();
  readonly locationList: LocationRec[] = [];
  readonly locationsByClient = new Map<number, LocationRec[]>();
  readonly users = new Map<number, UserRec>();
  /** Providers of each talent pool group, by group id, in id order. */
  readonly talentPools = new Map<number, UserRec[]>();
  readonly projects = new Map<number, ProjectRec>();
  readonly projectList: ProjectRec[] = [];
  readonly workOrders = new Map<number, WorkOrderRec>();

  private woAll: WorkOrderRec[] = [];
  private woByCreated: WorkOrderRec[] = [];
  private woByUpdated: WorkOrderRec[] = [];
  private readonly woByStatus = new MultiIndex<number, WorkOrderRec>();
  private readonly woByProject = new MultiIndex<number, WorkOrderRec>();
  private readonly woByClient = new MultiIndex<number, WorkOrderRec>();
  private readonly woByLocation = new MultiIndex<number, WorkOrderRec>();
  private readonly statusCounts = new Map<number, number>();
  private readonly queryCache = new Map<string, { version: number; rows: WorkOrderRec[] }>();
  private version = 0;
  private nextIds = { workOrder: 100_001, client: 3_001, location: 4_001, project: 601 };

  constructor(
    private readonly dataset: Dataset,
    private readonly now: () => Date,
  ) {
    this.load();
  }

  /** Throws away every write and rebuilds the state from the data set. */
  load(): void {
    this.clients.clear();
    this.clientList.length = 0;
    this.locations.clear();
    this.locationList.length = 0;
    this.locationsByClient.clear();
    this.users.clear();
    this.talentPools.clear();
    this.projects.clear();
    this.projectList.length = 0;
    this.workOrders.clear();
    this.woAll = [];
    this.woByStatus.clear();
    this.woByProject.clear();
    this.woByClient.clear();
    this.woByLocation.clear();
    this.statusCounts.clear();
    this.queryCache.clear();
    this.version++;

    const fn = this.dataset.vendors.fieldnation;
    const anchorMs = ms(this.dataset.options.anchor);

    for (const c of [...fn.customers].sort((a, b) => Number(a.id) - Number(b.id))) {
      this.addClient({
        id: Number(c.id),
        name: c.name,
        type: c.type,
        ...(c.email !== undefined ? { email: c.email } : {}),
        ...(c.phone !== undefined ? { phone: c.phone } : {}),
        address: addressOf(c.address),
        active: c.active,
        createdMs: ms(c.createdAt),
        updatedMs: ms(c.updatedAt),
      });
    }
    for (const l of [...fn.locations].sort((a, b) => Number(a.id) - Number(b.id))) {
      const clientId = Number(l.customerId);
      const client = this.clients.get(clientId);
      const territory = territoryOfCity(l.address.city);
      this.addLocation({
        id: Number(l.id),
        name: l.name,
        ...(client ? { clientId } : {}),
        address: addressOf(l.address),
        ...(l.contact ? { contact: { ...l.contact } } : {}),
        typeId: client?.type === 'commercial' ? LOCATION_TYPES.commercial.id : LOCATION_TYPES.residential.id,
        ...(territory ? { groupId: LOCATION_GROUPS.find((g) => g.territory.id === territory.id)?.id } : {}),
        active: l.active,
        createdMs: ms(l.createdAt),
        updatedMs: ms(l.updatedAt),
      });
    }

    this.users.set(API_USER.id, {
      id: API_USER.id,
      firstName: API_USER.first_name,
      lastName: API_USER.last_name,
      email: API_USER.email,
      role: 'buyer',
      skills: [],
      active: true,
      createdMs: anchorMs - 400 * 86_400_000,
      updatedMs: anchorMs - 400 * 86_400_000,
    });
    for (const g of TALENT_POOL_GROUPS) this.talentPools.set(g.id, []);
    for (const t of [...fn.technicians].sort((a, b) => Number(a.id) - Number(b.id))) {
      const territory = territoryOfRegion(t.region);
      const user: UserRec = {
        id: Number(t.id),
        ...splitName(t.name),
        email: t.email,
        phone: t.phone,
        role: 'provider',
        skills: t.skills.slice(),
        ...(territory ? { territoryId: territory.id } : {}),
        active: t.active,
        createdMs: ms(t.createdAt),
        updatedMs: ms(t.updatedAt),
      };
      this.users.set(user.id, user);
      const group = TALENT_POOL_GROUPS.find((g) => g.territory.id === territory?.id);
      if (group) this.talentPools.get(group.id)!.push(user);
    }

    for (const p of [SEED_PROJECTS.residential, SEED_PROJECTS.commercial, SEED_PROJECTS.astea]) {
      this.addProject({ id: p.id, name: p.name, description: p.description, active: true, createdMs: anchorMs - 700 * 86_400_000, updatedMs: anchorMs - 700 * 86_400_000 });
    }

    // The Astea numbers of linked work orders, found in one pass over Astea's list.
    const asteaIds = new Set<string>();
    for (const w of fn.workOrders) for (const l of w.links) if (l.vendor === 'astea') asteaIds.add(l.id);
    const asteaNumbers = new Map<string, string>();
    if (asteaIds.size > 0) {
      for (const a of this.dataset.vendors.astea.workOrders) if (asteaIds.has(a.id)) asteaNumbers.set(a.id, a.number);
    }

    const seeded = fn.workOrders.map((w) => this.fromDataset(w, asteaNumbers)).sort((a, b) => a.id - b.id);
    for (const rec of seeded) this.indexNew(rec, false);
    this.woByCreated = [...seeded].sort(byCreated);
    this.woByUpdated = [...seeded].sort(byUpdated);

    const maxOf = (ids: Iterable<number>, floor: number): number => {
      let m = floor;
      for (const id of ids) if (id >= m) m = id + 1;
      return m;
    };
    this.nextIds = {
      workOrder: maxOf(this.workOrders.keys(), 100_001),
      client: maxOf(this.clients.keys(), 3_001),
      location: maxOf(this.locations.keys(), 4_001),
      project: maxOf(this.projects.keys(), 601),
    };
  }

  private fromDataset(w: GenWorkOrder, asteaNumbers: Map<string, string>): WorkOrderRec {
    const statusId = statusIdOfWord(w.status);
    const techId = w.technicianIds[0] !== undefined ? Number(w.technicianIds[0]) : undefined;
    const unitType = UNIT_TYPES.find((u) => w.summary.startsWith(`${u.type}:`))?.type;
    const skill = (unitType ? UNIT_SKILL.get(unitType) : undefined) ?? (techId !== undefined ? this.users.get(techId)?.skills[0] : undefined) ?? 'general';
    const tow = typeOfWorkForSkill(skill);
    const serviceTypeId = serviceTypeFor(tow, w.serviceType);
    const clientId = Number(w.customerId);
    const client = this.clients.get(clientId);
    const asteaLink = w.links.find((l) => l.vendor === 'astea');
    const asteaNumber = asteaLink ? asteaNumbers.get(asteaLink.id) : undefined;
    const updatedMs = ms(w.updatedAt);
    const assigned = statusId === STATUS.Assigned || statusId === STATUS.WorkDone || statusId === STATUS.Approved || statusId === STATUS.Paid;
    return {
      id: Number(w.id),
      title: w.summary,
      descriptionHtml: `<p>${escapeHtml(w.summary)}</p><p>Problem code: ${escapeHtml(w.problemCode)}. Service type: ${escapeHtml(w.serviceType)}.</p>`,
      statusId,
      ...(client ? { clientId } : {}),
      projectId: asteaLink ? SEED_PROJECTS.astea.id : client?.type === 'commercial' ? SEED_PROJECTS.commercial.id : SEED_PROJECTS.residential.id,
      location: { mode: 'saved', id: Number(w.locationId) },
      typesOfWork: [{ id: tow.id, isPrimary: true, serviceTypeIds: serviceTypeId !== undefined ? [serviceTypeId] : [] }],
      ...(w.window ? { window: { mode: 'between' as const, startMs: ms(w.window.start), endMs: ms(w.window.end) } } : {}),
      pay: { type: 'fixed', amount: Number(w.total), units: 1 },
      routes: statusId === STATUS.Routed && techId !== undefined ? [{ userId: techId, atMs: updatedMs }] : [],
      ...(assigned && techId !== undefined ? { assigneeId: techId } : {}),
      customFields: new Map(asteaNumber ? [[CLIENT_WO_NUMBER_FIELD, asteaNumber]] : []),
      ...(statusId === STATUS.Cancelled ? { cancelReason: 'Cancelled by the buyer.' } : {}),
      createdMs: ms(w.createdAt),
      updatedMs,
    };
  }

  private addClient(c: ClientRec): void {
    this.clients.set(c.id, c);
    this.clientList.push(c);
  }

  private addLocation(l: LocationRec): void {
    this.locations.set(l.id, l);
    this.locationList.push(l);
    if (l.clientId !== undefined) {
      const list = this.locationsByClient.get(l.clientId) ?? [];
      list.push(l);
      this.locationsByClient.set(l.clientId, list);
    }
  }

  private addProject(p: ProjectRec): void {
    this.projects.set(p.id, p);
    this.projectList.push(p);
  }

  // ---------------------------------------------------------------- indexes

  private indexKeys(rec: WorkOrderRec): void {
    this.woByStatus.add(rec.statusId, rec);
    this.woByProject.add(rec.projectId, rec);
    this.woByClient.add(rec.clientId, rec);
    this.woByLocation.add(rec.location.mode === 'saved' ? rec.location.id : undefined, rec);
    this.statusCounts.set(rec.statusId, (this.statusCounts.get(rec.statusId) ?? 0) + 1);
  }

  private unindexKeys(rec: WorkOrderRec): void {
    this.woByStatus.remove(rec.statusId, rec);
    this.woByProject.remove(rec.projectId, rec);
    this.woByClient.remove(rec.clientId, rec);
    this.woByLocation.remove(rec.location.mode === 'saved' ? rec.location.id : undefined, rec);
    this.statusCounts.set(rec.statusId, (this.statusCounts.get(rec.statusId) ?? 1) - 1);
  }

  private indexNew(rec: WorkOrderRec, sorted: boolean): void {
    this.workOrders.set(rec.id, rec);
    this.woAll.push(rec);
    this.indexKeys(rec);
    if (sorted) {
      insertSorted(this.woByCreated, rec, byCreated);
      insertSorted(this.woByUpdated, rec, byUpdated);
    }
    this.version++;
  }

  /** Applies `change` to `rec`, keeping every index right and stamping `last_updated`. */
  private mutate(rec: WorkOrderRec, change: () => void): void {
    this.unindexKeys(rec);
    removeSorted(this.woByUpdated, rec, byUpdated);
    try {
      change();
    } finally {
      rec.updatedMs = this.now().getTime();
      this.indexKeys(rec);
      insertSorted(this.woByUpdated, rec, byUpdated);
      this.version++;
    }
  }

  /** Work orders per status id. */
  countByStatus(statusIds: readonly number[] | null): number {
    if (statusIds === null) return this.workOrders.size;
    return statusIds.reduce((n, s) => n + (this.statusCounts.get(s) ?? 0), 0);
  }

  /**
   * The work orders matching `q`, sorted. Starts from the smallest index that applies (status,
   * project, client, location or a date range), and keeps recent results so that walking the
   * pages of one search sorts once.
   */
  searchWorkOrders(q: WorkOrderQuery): WorkOrderRec[] {
    const key = JSON.stringify(q);
    const hit = this.queryCache.get(key);
    if (hit && hit.version === this.version) return hit.rows;

    type Source = { size: number; rows: () => WorkOrderRec[]; sortedBy?: WorkOrderSort };
    const sources: Source[] = [{ size: this.woAll.length, rows: () => this.woAll, sortedBy: 'id' }];
    if (q.statusIds) sources.push({ size: this.woByStatus.size(q.statusIds), rows: () => this.woByStatus.values(q.statusIds!) });
    if (q.projectIds) sources.push({ size: this.woByProject.size(q.projectIds), rows: () => this.woByProject.values(q.projectIds!) });
    if (q.clientIds) sources.push({ size: this.woByClient.size(q.clientIds), rows: () => this.woByClient.values(q.clientIds!) });
    if (q.locationIds) sources.push({ size: this.woByLocation.size(q.locationIds), rows: () => this.woByLocation.values(q.locationIds!) });
    const range = (arr: WorkOrderRec[], at: (r: WorkOrderRec) => number, r: { from?: number; to?: number }, sortedBy: WorkOrderSort): Source => {
      const lo = r.from === undefined ? 0 : lowerBound(arr, (x) => at(x) >= r.from!);
      const hi = r.to === undefined ? arr.length : lowerBound(arr, (x) => at(x) >= r.to!);
      return { size: Math.max(0, hi - lo), rows: () => arr.slice(lo, Math.max(lo, hi)), sortedBy };
    };
    if (q.created) sources.push(range(this.woByCreated, (x) => x.createdMs, q.created, 'created'));
    if (q.updated) sources.push(range(this.woByUpdated, (x) => x.updatedMs, q.updated, 'last_updated'));
    const source = sources.reduce((best, s) => (s.size < best.size ? s : best));

    const statuses = q.statusIds ? new Set(q.statusIds) : undefined;
    const projects = q.projectIds ? new Set(q.projectIds) : undefined;
    const clients = q.clientIds ? new Set(q.clientIds) : undefined;
    const locations = q.locationIds ? new Set(q.locationIds) : undefined;
    const inRange = (v: number, r?: { from?: number; to?: number }) => !r || ((r.from === undefined || v >= r.from) && (r.to === undefined || v < r.to));
    let rows = source.rows().filter(
      (w) =>
        (!statuses || statuses.has(w.statusId)) &&
        (!projects || (w.projectId !== undefined && projects.has(w.projectId))) &&
        (!clients || (w.clientId !== undefined && clients.has(w.clientId))) &&
        (!locations || (w.location.mode === 'saved' && locations.has(w.location.id))) &&
        inRange(w.createdMs, q.created) &&
        inRange(w.updatedMs, q.updated),
    );
    if (source.sortedBy !== q.sort) rows.sort(SORTS[q.sort]);
    if (q.order === 'desc') rows = rows.reverse();

    if (this.queryCache.size >= QUERY_CACHE_SIZE) this.queryCache.delete(this.queryCache.keys().next().value!);
    this.queryCache.set(key, { version: this.version, rows });
    return rows;
  }

  // ---------------------------------------------------------------- look-ups

  /** The work order `id`; 404 when there is none. */
  workOrder(id: number): WorkOrderRec {
    const rec = this.workOrders.get(id);
    if (!rec) throw new FnProblem(404, 'NOT_FOUND', `Work order ${id} not found.`);
    return rec;
  }

  /** The user `id`, if any. */
  user(id: number): UserRec | undefined {
    return this.users.get(id);
  }

  // ---------------------------------------------------------------- resolving inputs

  private resolveTypesOfWork(
    input: Array<{ id: number; isPrimary?: boolean; service_types?: Array<{ id: number }> }>,
    errors: FieldError[],
  ): WorkOrderRec['typesOfWork'] {
    const primaries = input.filter((t) => t.isPrimary === true).length;
    if (primaries > 1) throw new FnProblem(400, 'VALIDATION_ERROR', 'The request is invalid; see errors for the fields.', [{ field: 'types_of_work', message: 'Only one type of work can be primary.' }]);
    const out: WorkOrderRec['typesOfWork'] = [];
    input.forEach((t, i) => {
      const tow: TypeOfWork | undefined = TYPE_OF_WORK_BY_ID.get(t.id);
      if (!tow) {
        errors.push({ field: `types_of_work.${i}.id`, message: `Type of work ${t.id} does not exist.` });
        return;
      }
      const serviceTypeIds: number[] = [];
      (t.service_types ?? []).forEach((s, j) => {
        if (tow.serviceTypes.some((x) => x.id === s.id)) serviceTypeIds.push(s.id);
        else errors.push({ field: `types_of_work.${i}.service_types.${j}.id`, message: `Service type ${s.id} does not belong to type of work ${tow.id}.` });
      });
      out.push({ id: tow.id, isPrimary: primaries === 0 ? i === 0 : t.isPrimary === true, serviceTypeIds });
    });
    return out;
  }

  private resolveLocation(input: LocationInputValue, errors: FieldError[]): WoLocation | undefined {
    if (input.mode === 'saved') {
      const loc = this.locations.get(input.id);
      if (!loc) {
        errors.push({ field: 'location.id', message: `Saved location ${input.id} does not exist.` });
        return undefined;
      }
      if (!loc.active) {
        errors.push({ field: 'location.id', message: `Saved location ${input.id} is inactive.` });
        return undefined;
      }
      return { mode: 'saved', id: loc.id };
    }
    return {
      mode: 'custom',
      ...(input.name ? { name: input.name } : {}),
      address: addressOfInput(input),
    };
  }

  private resolveCustomFields(input: CustomFieldsValue, errors: FieldError[]): Array<[number, string | null]> {
    const items = Array.isArray(input) ? input : input.results;
    const out: Array<[number, string | null]> = [];
    items.forEach((cf, i) => {
      const def = CUSTOM_FIELDS.find((d) => (cf.id !== undefined ? d.id === cf.id : d.name.toLowerCase() === cf.name!.trim().toLowerCase()));
      if (!def) errors.push({ field: `custom_fields.${i}`, message: `Custom field ${cf.id ?? `"${cf.name}"`} does not exist.` });
      else out.push([def.id, cf.value]);
    });
    return out;
  }

  private resolveRef<T>(map: Map<number, T>, id: number, field: string, what: string, errors: FieldError[]): T | undefined {
    const rec = map.get(id);
    if (!rec) errors.push({ field, message: `${what} ${id} does not exist.` });
    return rec;
  }

  private window(mode: WindowMode, start: string | undefined, end: string | undefined | null, field: string): WorkOrderRec['window'] {
    const errors: FieldError[] = [];
    const startMs = start === undefined ? undefined : parseFnTime(start);
    if (start !== undefined && startMs === undefined) errors.push({ field: `${field}.start.utc`, message: `${start} is not a valid date and time.` });
    const endMs = end === undefined || end === null ? undefined : parseFnTime(end);
    if (end !== undefined && end !== null && endMs === undefined) errors.push({ field: `${field}.end.utc`, message: `${end} is not a valid date and time.` });
    if (start === undefined) errors.push({ field: `${field}.start`, message: 'Required.' });
    if ((mode === 'between' || mode === 'hours') && (end === undefined || end === null)) {
      errors.push({ field: `${field}.end`, message: `Required in ${mode} mode.` });
    }
    if (startMs !== undefined && endMs !== undefined && endMs < startMs) errors.push({ field: `${field}.end`, message: 'The end is before the start.' });
    if (errors.length) throw new FnProblem(400, 'VALIDATION_ERROR', 'The request is invalid; see errors for the fields.', errors);
    return { mode, startMs: startMs!, ...(endMs !== undefined ? { endMs } : {}) };
  }

  /**
   * Merges a schedule change into the current window: what is not given keeps its old value, as
   * on the real API (a new start without an end keeps the old end).
   */
  private mergedWindow(current: WorkOrderRec['window'], patch: SchedulePatch, field: string): WorkOrderRec['window'] {
    const sw = patch.service_window;
    const old = (x?: number) => (x === undefined ? undefined : fnTime(x).utc);
    const end = sw.end === null ? null : (sw.end?.utc ?? old(current?.endMs));
    return this.window(sw.mode ?? current?.mode ?? 'exact', sw.start?.utc ?? old(current?.startMs), end, field);
  }

  private static unprocessable(errors: FieldError[]): void {
    if (errors.length) throw new FnProblem(422, 'UNPROCESSABLE_ENTITY', 'A referenced record does not exist or cannot be used; see errors.', errors);
  }

  private static conflict(rec: WorkOrderRec, verb: string): FnProblem {
    return new FnProblem(409, 'INVALID_STATE_TRANSITION', `Cannot ${verb} work order ${rec.id} in status "${statusName(rec.statusId)}".`);
  }

  private static checkFrom(rec: WorkOrderRec, t: { verb: string; from: readonly number[] }): void {
    if (!t.from.includes(rec.statusId)) throw FieldNationState.conflict(rec, t.verb);
  }

  // ---------------------------------------------------------------- work-order writes

  /** Creates a work order in Draft. 400 on a bad schedule, 422 on unknown references. */
  createWorkOrder(input: WorkOrderCreate): WorkOrderRec {
    const errors: FieldError[] = [];
    const typesOfWork = this.resolveTypesOfWork(input.types_of_work ?? (input.type_of_work ? [{ id: input.type_of_work.id, isPrimary: true }] : []), errors);
    const sw = input.schedule.service_window;
    const window = this.window(sw.mode, sw.start.utc, sw.end?.utc, 'schedule.service_window');
    const location = this.resolveLocation(input.location, errors);
    const project = input.project ? this.resolveRef(this.projects, input.project.id, 'project.id', 'Project', errors) : undefined;
    const client = input.client ? this.resolveRef(this.clients, input.client.id, 'client.id', 'Client', errors) : undefined;
    const customFields = input.custom_fields ? this.resolveCustomFields(input.custom_fields, errors) : [];
    FieldNationState.unprocessable(errors);

    // Without an explicit client, a saved location's client is the work order's client.
    const clientId = client?.id ?? (location?.mode === 'saved' ? this.locations.get(location.id)?.clientId : undefined);
    const now = this.now().getTime();
    const rec: WorkOrderRec = {
      id: this.nextIds.workOrder++,
      title: input.title,
      descriptionHtml: input.description?.html ?? '',
      statusId: STATUS.Draft,
      ...(clientId !== undefined ? { clientId } : {}),
      ...(project ? { projectId: project.id } : {}),
      location: location!,
      typesOfWork,
      window,
      ...(input.pay ? { pay: { type: input.pay.type, amount: input.pay.base.amount, units: input.pay.base.units } } : {}),
      routes: [],
      customFields: new Map(customFields.filter((x): x is [number, string] => x[1] !== null)),
      createdMs: now,
      updatedMs: now,
    };
    this.indexNew(rec, true);
    return rec;
  }

  /** Applies a partial update. 409 when the status forbids it, 400/422 as for create. */
  updateWorkOrder(rec: WorkOrderRec, patch: WorkOrderUpdate): WorkOrderRec {
    if (!EDITABLE.has(rec.statusId)) throw FieldNationState.conflict(rec, 'update');
    if ((patch.schedule || patch.location) && !SITE_EDITABLE.has(rec.statusId)) throw FieldNationState.conflict(rec, 'change the schedule or location of');
    if (patch.pay && !PAY_EDITABLE.has(rec.statusId)) throw FieldNationState.conflict(rec, 'change the pay of');

    const errors: FieldError[] = [];
    const typesOfWork = patch.types_of_work ? this.resolveTypesOfWork(patch.types_of_work, errors) : undefined;
    const window = patch.schedule ? this.mergedWindow(rec.window, patch.schedule, 'schedule.service_window') : undefined;
    const location = patch.location ? this.resolveLocation(patch.location, errors) : undefined;
    const project = patch.project ? this.resolveRef(this.projects, patch.project.id, 'project.id', 'Project', errors) : undefined;
    const client = patch.client ? this.resolveRef(this.clients, patch.client.id, 'client.id', 'Client', errors) : undefined;
    const customFields = patch.custom_fields ? this.resolveCustomFields(patch.custom_fields, errors) : undefined;
    const pay = patch.pay ? this.mergedPay(rec, patch.pay) : undefined;
    FieldNationState.unprocessable(errors);

    this.mutate(rec, () => {
      if (patch.title !== undefined) rec.title = patch.title;
      if (patch.description) rec.descriptionHtml = patch.description.html;
      if (typesOfWork) rec.typesOfWork = typesOfWork;
      if (window) rec.window = window;
      if (location) rec.location = location;
      if (patch.project === null) delete rec.projectId;
      else if (project) rec.projectId = project.id;
      if (patch.client === null) delete rec.clientId;
      else if (client) rec.clientId = client.id;
      if (pay) rec.pay = pay;
      if (customFields) this.applyCustomFields(rec, customFields);
    });
    return rec;
  }

  private mergedPay(rec: WorkOrderRec, patch: PayPatch): NonNullable<WorkOrderRec['pay']> {
    const amount = patch.base?.amount ?? rec.pay?.amount;
    if (amount === undefined) {
      throw new FnProblem(400, 'VALIDATION_ERROR', 'The request is invalid; see errors for the fields.', [{ field: 'pay.base.amount', message: 'Required: the work order has no pay yet.' }]);
    }
    return { type: patch.type ?? rec.pay?.type ?? 'fixed', amount, units: patch.base?.units ?? rec.pay?.units ?? 1 };
  }

  private applyCustomFields(rec: WorkOrderRec, values: Array<[number, string | null]>): void {
    for (const [id, value] of values) {
      if (value === null) rec.customFields.delete(id);
      else rec.customFields.set(id, value);
    }
  }

  /** Replaces the schedule (merging, see {@link SchedulePatch}). */
  updateSchedule(rec: WorkOrderRec, patch: SchedulePatch): WorkOrderRec {
    return this.updateWorkOrder(rec, { schedule: patch });
  }

  /** Sets custom field values. */
  updateCustomFields(rec: WorkOrderRec, input: CustomFieldsValue): WorkOrderRec {
    return this.updateWorkOrder(rec, { custom_fields: input });
  }

  /** Publishes a draft; it needs a schedule and pay. */
  publish(rec: WorkOrderRec): WorkOrderRec {
    FieldNationState.checkFrom(rec, TRANSITIONS.publish);
    const errors: FieldError[] = [];
    if (!rec.window) errors.push({ field: 'schedule', message: 'A schedule is required to publish.' });
    if (!rec.pay || rec.pay.amount <= 0) errors.push({ field: 'pay', message: 'Pay is required to publish.' });
    FieldNationState.unprocessable(errors);
    this.mutate(rec, () => {
      rec.statusId = STATUS.Published;
    });
    return rec;
  }

  /** Unpublishes (Published or Routed back to Draft; routes are withdrawn). */
  unpublish(rec: WorkOrderRec): WorkOrderRec {
    FieldNationState.checkFrom(rec, TRANSITIONS.unpublish);
    this.mutate(rec, () => {
      rec.statusId = STATUS.Draft;
      rec.routes = [];
    });
    return rec;
  }

  /** Reverts to Draft from Published, Routed or Assigned (the provider is removed). */
  revertToDraft(rec: WorkOrderRec): WorkOrderRec {
    FieldNationState.checkFrom(rec, TRANSITIONS.revertToDraft);
    this.mutate(rec, () => {
      rec.statusId = STATUS.Draft;
      rec.routes = [];
      delete rec.assigneeId;
    });
    return rec;
  }

  private provider(id: number, field: string, errors: FieldError[]): UserRec | undefined {
    const u = this.users.get(id);
    if (!u || u.role !== 'provider') errors.push({ field, message: `Provider ${id} does not exist.` });
    else if (!u.active) errors.push({ field, message: `Provider ${id} is inactive.` });
    else return u;
    return undefined;
  }

  /** Routes to providers (Published or Routed becomes Routed). Routing someone twice changes nothing. */
  route(rec: WorkOrderRec, userIds: readonly number[], field: string): WorkOrderRec {
    FieldNationState.checkFrom(rec, TRANSITIONS.route);
    const errors: FieldError[] = [];
    const users = userIds.map((id, i) => this.provider(id, userIds.length > 1 ? `${field}.${i}` : field, errors));
    FieldNationState.unprocessable(errors);
    this.mutate(rec, () => {
      const at = this.now().getTime();
      for (const u of users) if (u && !rec.routes.some((r) => r.userId === u.id)) rec.routes.push({ userId: u.id, atMs: at });
      rec.statusId = STATUS.Routed;
    });
    return rec;
  }

  /** Withdraws the route to `userId` (or every route); with none left the work order is Published again. */
  unroute(rec: WorkOrderRec, userId: number | undefined): WorkOrderRec {
    FieldNationState.checkFrom(rec, TRANSITIONS.unroute);
    if (userId !== undefined && !rec.routes.some((r) => r.userId === userId)) {
      throw new FnProblem(404, 'NOT_FOUND', `Work order ${rec.id} is not routed to user ${userId}.`);
    }
    this.mutate(rec, () => {
      rec.routes = userId === undefined ? [] : rec.routes.filter((r) => r.userId !== userId);
      if (rec.routes.length === 0) rec.statusId = STATUS.Published;
    });
    return rec;
  }

  /** Assigns a provider (from Published or Routed); routes end. */
  assign(rec: WorkOrderRec, userId: number): WorkOrderRec {
    FieldNationState.checkFrom(rec, TRANSITIONS.assign);
    const errors: FieldError[] = [];
    const user = this.provider(userId, 'user.id', errors);
    FieldNationState.unprocessable(errors);
    this.mutate(rec, () => {
      rec.assigneeId = user!.id;
      rec.routes = [];
      rec.statusId = STATUS.Assigned;
    });
    return rec;
  }

  /** Removes the assigned provider (Assigned back to Published). */
  unassign(rec: WorkOrderRec): WorkOrderRec {
    FieldNationState.checkFrom(rec, TRANSITIONS.unassign);
    this.mutate(rec, () => {
      delete rec.assigneeId;
      rec.statusId = STATUS.Published;
    });
    return rec;
  }

  /** The provider marks the work done (sandbox action). */
  workDone(rec: WorkOrderRec): WorkOrderRec {
    FieldNationState.checkFrom(rec, TRANSITIONS.workDone);
    this.mutate(rec, () => {
      rec.statusId = STATUS.WorkDone;
    });
    return rec;
  }

  /** The buyer sends done work back (Work Done to Assigned). */
  incomplete(rec: WorkOrderRec): WorkOrderRec {
    FieldNationState.checkFrom(rec, TRANSITIONS.incomplete);
    this.mutate(rec, () => {
      rec.statusId = STATUS.Assigned;
    });
    return rec;
  }

  /** The buyer approves done work. */
  approve(rec: WorkOrderRec): WorkOrderRec {
    FieldNationState.checkFrom(rec, TRANSITIONS.approve);
    this.mutate(rec, () => {
      rec.statusId = STATUS.Approved;
    });
    return rec;
  }

  /** Field Nation pays the provider (sandbox action). */
  markPaid(rec: WorkOrderRec): WorkOrderRec {
    FieldNationState.checkFrom(rec, TRANSITIONS.markPaid);
    this.mutate(rec, () => {
      rec.statusId = STATUS.Paid;
    });
    return rec;
  }

  /** Cancels (from Draft up to Assigned). */
  cancel(rec: WorkOrderRec, reason: string): WorkOrderRec {
    FieldNationState.checkFrom(rec, TRANSITIONS.cancel);
    this.mutate(rec, () => {
      rec.statusId = STATUS.Cancelled;
      rec.cancelReason = reason;
      rec.routes = [];
    });
    return rec;
  }

  // ---------------------------------------------------------------- directory writes

  /** Creates a saved location. 422 on unknown client, type or group. */
  createLocation(input: LocationCreate): LocationRec {
    const errors: FieldError[] = [];
    const client = input.client ? this.resolveRef(this.clients, input.client.id, 'client.id', 'Client', errors) : undefined;
    if (input.type && !LOCATION_TYPE_BY_ID.has(input.type.id)) errors.push({ field: 'type.id', message: `Location type ${input.type.id} does not exist.` });
    if (input.group && !LOCATION_GROUPS.some((g) => g.id === input.group!.id)) errors.push({ field: 'group.id', message: `Location group ${input.group.id} does not exist.` });
    FieldNationState.unprocessable(errors);
    const territory = territoryOfCity(input.city);
    const groupId = input.group?.id ?? (territory ? LOCATION_GROUPS.find((g) => g.territory.id === territory.id)?.id : undefined);
    const now = this.now().getTime();
    const rec: LocationRec = {
      id: this.nextIds.location++,
      name: input.name,
      ...(client ? { clientId: client.id } : {}),
      address: addressOfInput(input),
      ...(input.contact ? { contact: { ...input.contact } } : {}),
      typeId: input.type?.id ?? (client?.type === 'residential' ? LOCATION_TYPES.residential.id : LOCATION_TYPES.commercial.id),
      ...(groupId !== undefined ? { groupId } : {}),
      active: input.active,
      createdMs: now,
      updatedMs: now,
    };
    this.addLocation(rec);
    return rec;
  }

  /** Creates a client. */
  createClient(input: ClientCreate): ClientRec {
    const now = this.now().getTime();
    const rec: ClientRec = {
      id: this.nextIds.client++,
      name: input.name,
      type: input.type,
      ...(input.contact?.name ? { contactName: input.contact.name } : {}),
      ...(input.contact?.email ? { email: input.contact.email } : {}),
      ...(input.contact?.phone ? { phone: input.contact.phone } : {}),
      ...(input.address ? { address: { ...input.address } } : {}),
      active: input.active,
      createdMs: now,
      updatedMs: now,
    };
    this.addClient(rec);
    return rec;
  }

  /** Creates a project. 422 on an unknown client. */
  createProject(input: ProjectCreate): ProjectRec {
    const errors: FieldError[] = [];
    const client = input.client ? this.resolveRef(this.clients, input.client.id, 'client.id', 'Client', errors) : undefined;
    FieldNationState.unprocessable(errors);
    const now = this.now().getTime();
    const rec: ProjectRec = {
      id: this.nextIds.project++,
      name: input.name,
      description: input.description,
      ...(client ? { clientId: client.id } : {}),
      active: input.active,
      createdMs: now,
      updatedMs: now,
    };
    this.addProject(rec);
    return rec;
  }
}
