/**
 * The Astea Alliance connector: {@link FieldServiceConnector} over Supergood's unofficial Astea
 * Alliance REST API (work orders with their site and asset embedded, dispatch assignments, parts
 * and labor consumptions, customers and sites, installed base, technicians, invoices).
 *
 * Alliance has no batch look-up by ids and mostly single-valued list filters, so `get` makes
 * bounded-concurrency single GETs, and `children` takes the cheaper of two ways, decided from the
 * list's `total`: one filtered call per parent, or one walk of the whole child list grouped by
 * parent (`childrenByCheaperRead`: the list's size is remembered for a few minutes; when it is not
 * known, the walk's first page is read to learn it). There is no work-order
 * create; the writes are dispatch (one assignment per technician) and parts and labor
 * consumption, both with look-before-write, so a lost response never makes a second record. See
 * README.md beside this file.
 */
import { z } from 'zod';
import type { VendorInfo } from '../sandbox/kit.js';
import { iteratePages, PartialWriteError, writeOnce } from '../core/ops.js';
import { formatInstant } from '../core/normalize.js';
import { childrenByCheaperRead } from '../core/cheaper-read.js';
import { DEFAULT_READ_CONCURRENCY, mapWithConcurrency } from '../core/resilience.js';
import { inWindow, listWindow, serverRange, WindowBoundError, type ListWindow } from '../core/window.js';
import {
  allItems,
  clampPageSize,
  hasNextPage,
  sandboxSignIn,
  SESSION_CONNECTION_FIELDS,
  SESSION_MAX_PAGE_SIZE,
  type PageParams,
} from '../core/session-vendor.js';
import {
  ConnectorError,
  type ConnectorCapabilities,
  type ConnectorOptions,
  type DispatchCommand,
  type DispatchResult,
  type FieldServiceConnector,
  type ListQuery,
  type Page,
  type ParentKind,
  type RecordConsumptionCommand,
  type VendorFieldError,
} from '../types.js';
import type { EntityKind, ModelByKind, RecordRef, WorkOrderModel } from '../../src/model/index.js';
import { AsteaClient, type AsteaClientHooks, type UpdatedRange } from './client.js';
import {
  APPOINTMENT_STATUS,
  asteaRef,
  consumptionFingerprint,
  isSameAssignment,
  toAppointmentModel,
  toAssignmentBody,
  toConsumptionBody,
  toCustomerModel,
  toEquipmentModel,
  toInvoiceModel,
  toLocationModel,
  toTechnicianModel,
  toWorkOrderModel,
  INVOICE_STATUS,
  WORK_ORDER_STATUS,
} from './mapping.js';
import type {
  AsteaAssignmentBodyWire,
  AsteaAssignmentCreatedWire,
  AsteaAssignmentWire,
  AsteaConsumptionCreatedWire,
  AsteaConsumptionWire,
  AsteaListWire,
} from './wire.js';

const VENDOR = 'astea' as const;

/** Connection to one Astea Alliance integration (Supergood integration URL and its sign-in; see {@link SESSION_CONNECTION_FIELDS}). */
export const AsteaConnectionSchema = z.object({
  ...SESSION_CONNECTION_FIELDS,
  /** The Alliance tenant the user signs in to (sessions must name it). */
  tenant: z.string().min(1),
});
export type AsteaConnection = z.infer<typeof AsteaConnectionSchema>;

/**
 * The connection of the sandbox's Astea simulator, from its `/_sandbox` info. The simulator
 * enforces no rate limit of its own (faults inject one), so the client-side limit is raised to
 * keep test walks fast; production connections keep the conservative default (20 a second plus a
 * burst of 20). Throws a `ZodError` when the info is not a session sign-in with a tenant.
 */
export function connectionFromSandbox(info: VendorInfo): AsteaConnection {
  return AsteaConnectionSchema.parse({ ...sandboxSignIn(info), rateLimit: { perSecond: 500, burst: 100 } });
}

const KINDS = ['customer', 'location', 'equipment', 'technician', 'workOrder', 'appointment', 'invoice'] as const satisfies readonly EntityKind[];
type AsteaKind = (typeof KINDS)[number];
type AnyModel = ModelByKind[AsteaKind];

/** Alliance keeps modification times to the second. */
const TIME_PRECISION_MS = 1000;

/** What the Astea connector reads and writes. */
export const ASTEA_CAPABILITIES: ConnectorCapabilities = {
  entities: KINDS,
  lists: KINDS,
  // `updatedFrom` on every list but technicians (filtered client-side there).
  incremental: ['customer', 'location', 'equipment', 'workOrder', 'appointment', 'invoice'],
  // ... and `updatedTo` (inclusive), with `total` on the first page (summed over status variants).
  windows: ['customer', 'location', 'equipment', 'workOrder', 'appointment', 'invoice'],
  timePrecisionMs: TIME_PRECISION_MS,
  statuses: { workOrder: WORK_ORDER_STATUS, appointment: APPOINTMENT_STATUS, invoice: INVOICE_STATUS },
  // No batch look-up: one GET per id.
  batchSize: Object.fromEntries(KINDS.map((k) => [k, 1])),
  relations: [
    'appointment<-workOrder',
    'appointment<-technician',
    'invoice<-workOrder',
    'invoice<-customer',
    'location<-customer',
    'equipment<-location',
    'equipment<-customer',
    'workOrder<-customer',
    'workOrder<-location',
    'workOrder<-equipment',
    'workOrder<-technician',
  ],
  writes: ['dispatch', 'recordConsumption'],
};

/** Builds the Astea Alliance connector. `hooks` are for tests (a session clock). */
export function createAsteaConnector(connection: AsteaConnection, options: ConnectorOptions = {}, hooks: AsteaClientHooks = {}): FieldServiceConnector {
  return new AsteaConnector(AsteaConnectionSchema.parse(connection), options, hooks);
}

// ---------------------------------------------------------------- list plumbing

/** One server-side query of a list: a page of wire records (null when its parent does not exist). */
type Fetch<W> = (page: PageParams) => Promise<AsteaListWire<W> | null>;

/** How a list is read: server-side variants walked one after the other, and the mapping. */
interface ListPlan {
  variants: Array<Fetch<unknown>>;
  map: (w: any) => AnyModel;
  /** False when the list cannot apply the query's time window server-side: its `total` says nothing of the window. */
  counts: boolean;
}

/** Position in a list: server-side variant, 1-based page, page size. The opaque cursor is `v.p.s`. */
interface Position {
  variant: number;
  page: number;
  pageSize: number;
}

function encodeCursor(p: Position): string {
  return `${p.variant}.${p.page}.${p.pageSize}`;
}

function invalid(operation: string, message: string, fieldErrors: VendorFieldError[] = []): ConnectorError {
  return new ConnectorError({ kind: 'invalid_request', vendor: VENDOR, operation, message: `astea ${operation}: ${message}`, fieldErrors });
}

function decodeCursor(cursor: string, variants: number, operation: string): Position {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(cursor);
  const p = m ? { variant: Number(m[1]), page: Number(m[2]), pageSize: Number(m[3]) } : undefined;
  if (!p || p.variant >= variants || p.page < 1 || p.pageSize < 1 || p.pageSize > SESSION_MAX_PAGE_SIZE) {
    throw invalid(operation, 'the cursor is not one this connector gave out');
  }
  return p;
}

/** A word as the status filters compare it. */
function statusWord(s: string): string {
  return s.trim().toLowerCase();
}

const PARENT_FILTERS = ['customerId', 'locationId', 'workOrderId', 'technicianId'] as const;
type ParentFilter = (typeof PARENT_FILTERS)[number];

/** Which parent filters and status words each kind's model can be checked against. */
const FILTERABLE: Record<AsteaKind, { parents: readonly ParentFilter[]; statuses: boolean }> = {
  customer: { parents: [], statuses: true },
  location: { parents: ['customerId'], statuses: false },
  equipment: { parents: ['customerId', 'locationId'], statuses: false },
  technician: { parents: [], statuses: false },
  workOrder: { parents: ['customerId', 'locationId', 'technicianId'], statuses: true },
  appointment: { parents: ['workOrderId', 'technicianId'], statuses: true },
  invoice: { parents: ['customerId', 'locationId', 'workOrderId'], statuses: true },
};

/** The client-side check of every filter of `q` on a model, the exact time window included. */
function predicate(kind: AsteaKind, q: ListQuery, window: ListWindow): (m: AnyModel) => boolean {
  const statuses = q.sourceStatuses?.length ? new Set(q.sourceStatuses.map(statusWord)) : undefined;
  return (m) => {
    const x = m as Partial<ModelByKind['workOrder'] & ModelByKind['appointment'] & ModelByKind['invoice'] & ModelByKind['customer']>;
    if (q.customerId !== undefined && x.customerRef?.id !== q.customerId) return false;
    if (q.locationId !== undefined && x.locationRef?.id !== q.locationId) return false;
    if (q.workOrderId !== undefined && x.workOrderRef?.id !== q.workOrderId) return false;
    if (q.technicianId !== undefined && !(x.technicianRefs ?? []).some((r) => r.id === q.technicianId)) return false;
    if (statuses) {
      const word = kind === 'customer' ? (x.active ? 'active' : 'inactive') : statusWord(x.sourceStatus ?? '');
      if (!statuses.has(word)) return false;
    }
    // The server's range is whole seconds; the window may start or end within one.
    return inWindow(window, m.updatedAt);
  };
}

/** Keeps the first of each id. */
function uniqueById<M extends { ref: RecordRef }>(items: Iterable<M>): M[] {
  const seen = new Set<string>();
  const out: M[] = [];
  for (const m of items) {
    if (seen.has(m.ref.id)) continue;
    seen.add(m.ref.id);
    out.push(m);
  }
  return out;
}

/** How a relation is read: per parent, and (when the child list can be grouped by parent) by a walk. */
interface Relation {
  /** The children of each parent with the fewest calls the vendor allows for fan-out. */
  fanout(parentIds: string[], probe: AsteaListWire<unknown> | undefined): Promise<Map<string, AnyModel[]>>;
  /** Calls a fan-out over `n` parents costs at least. */
  fanoutCost(n: number): number;
  /**
   * The whole child list and the parents of each child, when the relation can be read by a walk.
   * With `check`, `fetch` reads pages whose items are unchecked: the walk checks, and maps, only
   * the items whose parents (`parentsOfItem`, read on the unchecked item) were asked for.
   */
  scan?: {
    fetch: Fetch<unknown>;
    map: (w: any) => AnyModel;
    parentsOf: (m: any) => Array<string | undefined>;
    check?: (item: unknown) => unknown;
    parentsOfItem?: (w: any) => Array<string | null | undefined>;
    /** The list walked, when several relations walk it: they share its remembered size. */
    list?: string;
  };
}

// ---------------------------------------------------------------- the connector

class AsteaConnector implements FieldServiceConnector {
  readonly vendor = VENDOR;
  readonly capabilities = ASTEA_CAPABILITIES;
  private readonly client: AsteaClient;
  private readonly concurrency: number;
  private readonly notifyTechnician: boolean;
  /** The account, for the memory of list sizes. */
  private readonly account: string;

  constructor(connection: AsteaConnection, options: ConnectorOptions, hooks: AsteaClientHooks) {
    this.client = new AsteaClient(connection, options, hooks);
    this.account = `${VENDOR}:${connection.baseUrl}:${connection.username}`;
    this.concurrency = Math.max(1, options.concurrency ?? DEFAULT_READ_CONCURRENCY);
    // Alliance notifies the technician of a new assignment when asked; a dispatch asks unless configured off.
    this.notifyTechnician = options.settings?.notifyTechnician !== 'false';
  }

  private kindOf(kind: EntityKind, operation: string): AsteaKind {
    if (!(KINDS as readonly string[]).includes(kind)) throw invalid(operation, `Astea Alliance holds no ${kind} records`);
    return kind as AsteaKind;
  }

  // ------------------------------------------------------------ get

  private readonly single: Record<AsteaKind, (id: string) => Promise<AnyModel | null>> = {
    customer: async (id) => ((w) => (w ? toCustomerModel(w) : null))(await this.client.getCustomer(id)),
    location: async (id) => ((w) => (w ? toLocationModel(w) : null))(await this.client.getSite(id)),
    equipment: async (id) => ((w) => (w ? toEquipmentModel(w) : null))(await this.client.getAsset(id)),
    technician: async (id) => ((w) => (w ? toTechnicianModel(w) : null))(await this.client.getTechnician(id)),
    workOrder: async (id) => ((w) => (w ? toWorkOrderModel(w) : null))(await this.client.getWorkOrder(id)),
    appointment: async (id) => ((w) => (w ? toAppointmentModel(w) : null))(await this.client.getAssignment(id)),
    invoice: async (id) => ((w) => (w ? toInvoiceModel(w) : null))(await this.client.getInvoice(id)),
  };

  async get<K extends EntityKind>(kind: K, ids: readonly string[]): Promise<Array<ModelByKind[K] | null>> {
    const k = this.kindOf(kind, `${kind}.get`);
    const unique = [...new Set(ids.filter((id) => id.length > 0))];
    const found = await mapWithConcurrency(unique, this.concurrency, (id) => this.single[k](id));
    const byId = new Map(unique.map((id, i) => [id, found[i] ?? null]));
    return ids.map((id) => (byId.get(id) ?? null) as ModelByKind[K] | null);
  }

  // ------------------------------------------------------------ list

  /** The server-side queries of a list (`updated`: the window as Alliance's range) and whether their totals count it. */
  private plan(kind: AsteaKind, q: ListQuery, updated: UpdatedRange): ListPlan {
    const operation = `${kind}.list`;
    const allowed = FILTERABLE[kind];
    for (const f of PARENT_FILTERS) {
      if (q[f] !== undefined && !allowed.parents.includes(f)) throw invalid(operation, `Astea Alliance cannot filter ${kind} records by ${f}`);
    }
    if (q.sourceStatuses?.length && !allowed.statuses) throw invalid(operation, `Astea Alliance ${kind} records have no status to filter by`);
    const statuses = q.sourceStatuses?.length ? [...new Set(q.sourceStatuses.map(statusWord))] : [undefined];
    const timed = q.updatedSince !== undefined || q.updatedBefore !== undefined;
    const c = this.client;
    // Site, technician (of work orders) and several statuses are filtered here or walked as
    // variants; the totals still count the server-side queries, which is what sizing needs.
    switch (kind) {
      case 'customer':
        return { variants: statuses.map((status) => (p: PageParams) => c.listCustomers({ status, ...updated }, p)), map: toCustomerModel, counts: true };
      case 'location':
        return { variants: [(p) => c.listSites({ customerId: q.customerId, ...updated }, p)], map: toLocationModel, counts: true };
      case 'equipment':
        return { variants: [(p) => c.listAssets({ customerId: q.customerId, siteId: q.locationId, ...updated }, p)], map: toEquipmentModel, counts: true };
      case 'technician':
        // No update range on `GET /technicians`: a window is applied here.
        return { variants: [(p) => c.listTechnicians({}, p)], map: toTechnicianModel, counts: !timed };
      case 'workOrder':
        return {
          variants: statuses.map((status) => (p: PageParams) => c.listWorkOrders({ customerId: q.customerId, status, ...updated }, p)),
          map: toWorkOrderModel,
          counts: true,
        };
      case 'appointment':
        if (q.workOrderId !== undefined) {
          // A work order's own assignment list takes no filter: everything is applied here.
          const woId = q.workOrderId;
          return { variants: [(p) => c.listWorkOrderAssignments(woId, p)], map: toAppointmentModel, counts: !timed };
        }
        return {
          variants: statuses.map((status) => (p: PageParams) => c.listAssignments({ technicianId: q.technicianId, status, ...updated }, p)),
          map: toAppointmentModel,
          counts: true,
        };
      case 'invoice':
        return {
          variants: statuses.map((status) => (p: PageParams) => c.listInvoices({ customerId: q.customerId, workOrderId: q.workOrderId, status, ...updated }, p)),
          map: toInvoiceModel,
          counts: true,
        };
    }
  }

  async list<K extends EntityKind>(kind: K, query: ListQuery = {}): Promise<Page<ModelByKind[K]>> {
    const k = this.kindOf(kind, `${kind}.list`);
    const operation = `${kind}.list`;
    let window: ListWindow;
    try {
      window = listWindow(query);
    } catch (e) {
      if (!(e instanceof WindowBoundError)) throw e;
      throw invalid(operation, e.message, [{ field: e.field, message: 'Not an ISO 8601 date-time.' }]);
    }
    // Both ends inclusive, whole seconds: the window's exclusive end goes out as the second before it.
    const range = serverRange(window, TIME_PRECISION_MS, 'inclusive');
    if (range.empty) return { items: [], total: 0 };
    const updated: UpdatedRange = {
      ...(range.from !== undefined ? { updatedFrom: formatInstant(range.from) } : {}),
      ...(range.to !== undefined ? { updatedTo: formatInstant(range.to) } : {}),
    };
    const plan = this.plan(k, query, updated);
    const keep = predicate(k, query, window);
    const first = !query.cursor;
    let pos: Position = query.cursor
      ? decodeCursor(query.cursor, plan.variants.length, operation)
      : { variant: 0, page: 1, pageSize: clampPageSize(query.pageSize) };
    // The first page counts every status variant: the others with a page of one each, alongside.
    const others = first && plan.counts && plan.variants.length > 1 ? Promise.all(plan.variants.slice(1).map((v) => v({ page: 1, pageSize: 1 }))) : undefined;
    // Awaited below; a failure of the page itself must not leave this rejection unhandled.
    others?.catch(() => undefined);
    let counted: number | undefined;
    // A page the client-side filters empty is skipped, so a page is never empty unless the list ends.
    for (;;) {
      const params = { page: pos.page, pageSize: pos.pageSize };
      const wire = await plan.variants[pos.variant]!(params);
      if (first && pos.variant === 0 && pos.page === 1) counted = wire?.total ?? undefined;
      const items = (wire?.items ?? []).map(plan.map).filter(keep);
      let next: Position | undefined;
      if (wire && hasNextPage(wire, params.page, params.pageSize)) next = { ...pos, page: pos.page + 1 };
      else if (pos.variant + 1 < plan.variants.length) next = { variant: pos.variant + 1, page: 1, pageSize: pos.pageSize };
      if (items.length > 0 || !next) {
        let total: number | undefined;
        if (plan.counts && plan.variants.length === 1) total = wire?.total ?? undefined;
        else if (others && counted !== undefined) {
          const rest = await others;
          total = rest.every((r) => typeof r?.total === 'number') ? rest.reduce((sum, r) => sum + r!.total!, counted) : undefined;
        }
        return {
          items: items as Array<ModelByKind[K]>,
          ...(next ? { nextCursor: encodeCursor(next) } : {}),
          ...(total !== undefined ? { total } : {}),
        };
      }
      pos = next;
    }
  }

  iterate<K extends EntityKind>(kind: K, query: ListQuery = {}): AsyncIterable<ModelByKind[K]> {
    const self = this;
    return {
      async *[Symbol.asyncIterator]() {
        // Page numbers shift when records are added during a walk: a record pushed onto the next
        // page would come twice. Each id is yielded once.
        const seen = new Set<string>();
        for await (const item of iteratePages((cursor) => self.list(kind, { ...query, cursor }), query.cursor)) {
          if (seen.has(item.ref.id)) continue;
          seen.add(item.ref.id);
          yield item;
        }
      },
    };
  }

  // ------------------------------------------------------------ children

  /** Children of each parent from one filtered query per parent (bounded concurrency). */
  private perParent(fetchOf: (id: string) => Fetch<unknown>, map: (w: any) => AnyModel): Relation['fanout'] {
    return async (ids) => {
      const lists = await mapWithConcurrency(ids, this.concurrency, async (id) => (await allItems(fetchOf(id))) ?? []);
      return new Map(ids.map((id, i) => [id, lists[i]!.map(map)]));
    };
  }

  /** Work orders whose embedded site or asset (`key`) is one of `ids`: the parents' customers' work orders, one call per customer. */
  private viaCustomer(
    parentOf: (id: string) => Promise<{ customerId?: string | null } | null>,
    key: (w: WorkOrderModel) => string[],
  ): Relation['fanout'] {
    return async (ids) => {
      const parents = await mapWithConcurrency(ids, this.concurrency, parentOf);
      const customers = [...new Set(parents.map((p) => p?.customerId).filter((c): c is string => !!c))];
      const lists = await mapWithConcurrency(customers, this.concurrency, (customerId) => allItems((p) => this.client.listWorkOrders({ customerId }, p)));
      const wanted = new Set(ids);
      const out = new Map<string, AnyModel[]>(ids.map((id) => [id, []]));
      for (const w of lists.flat().map(toWorkOrderModel)) for (const id of key(w)) if (wanted.has(id)) out.get(id)!.push(w);
      return out;
    };
  }

  /** The work orders of technicians: their assignments give the work orders, read by id or by a walk. */
  private readonly workOrdersOfTechnicians: Relation['fanout'] = async (ids, probe) => {
    const assignments = await mapWithConcurrency(ids, this.concurrency, (technicianId) => allItems((p) => this.client.listAssignments({ technicianId }, p)));
    const woIds = [...new Set(assignments.flat().map((a) => a.workOrderId))];
    const workOrders = await this.workOrdersById(woIds, probe as AsteaListWire<unknown> | undefined);
    const wanted = new Set(ids);
    const out = new Map<string, AnyModel[]>(ids.map((id) => [id, []]));
    // The work order's own technician list decides, as a walk of the work orders would.
    for (const w of workOrders) for (const t of w.technicianRefs) if (wanted.has(t.id)) out.get(t.id)!.push(w);
    return out;
  };

  /**
   * Work orders by id: single GETs, or one walk of `GET /work-orders` when that takes fewer calls
   * (the walk's first page, `probe`, is read first when not given and counts either way).
   */
  private async workOrdersById(ids: string[], probe?: AsteaListWire<unknown>): Promise<WorkOrderModel[]> {
    if (ids.length === 0) return [];
    const found = new Map<string, WorkOrderModel>();
    let first = probe;
    if (!first && ids.length > 1) first = (await this.client.listWorkOrders({}, { page: 1, pageSize: SESSION_MAX_PAGE_SIZE }))!;
    const wanted = new Set(ids);
    const take = (items: unknown[]): void => {
      for (const w of (items as Parameters<typeof toWorkOrderModel>[0][]).map(toWorkOrderModel)) if (wanted.has(w.ref.id)) found.set(w.ref.id, w);
    };
    if (first) take(first.items);
    const missing = ids.filter((id) => !found.has(id));
    const pages = first?.total != null ? Math.ceil(first.total / SESSION_MAX_PAGE_SIZE) : undefined;
    if (first && pages !== undefined && missing.length > 0 && pages - 1 < missing.length) {
      for (const items of await this.walkRest((p) => this.client.listWorkOrders({}, p), first)) take(items);
    } else if (missing.length > 0) {
      const singles = await mapWithConcurrency(missing, this.concurrency, (id) => this.client.getWorkOrder(id));
      for (const w of singles) if (w) found.set(w.workOrderId, toWorkOrderModel(w));
    }
    return ids.map((id) => found.get(id)).filter((w): w is WorkOrderModel => w !== undefined);
  }

  /** The pages after `first` of a walk: the known ones in parallel, then on while the last one was full. */
  private async walkRest<W>(fetch: Fetch<W>, first: AsteaListWire<W>): Promise<W[][]> {
    if (!hasNextPage(first, 1, SESSION_MAX_PAGE_SIZE)) return [];
    const known = first.total != null ? Math.ceil(first.total / SESSION_MAX_PAGE_SIZE) : 2;
    const pageNumbers = Array.from({ length: Math.max(0, known - 1) }, (_, i) => i + 2);
    const lists = await mapWithConcurrency(pageNumbers, this.concurrency, (page) => fetch({ page, pageSize: SESSION_MAX_PAGE_SIZE }));
    const out = lists.map((l) => l?.items ?? []);
    // Records added during the walk may have grown the list past the pages counted at first.
    let last = lists.at(-1);
    for (let page = known + 1; last && last.items.length >= SESSION_MAX_PAGE_SIZE; page++) {
      last = await fetch({ page, pageSize: SESSION_MAX_PAGE_SIZE });
      if (last) out.push(last.items);
    }
    return out;
  }

  /** A scan over a list the client walks with its items unchecked (`AsteaClient.walks`). */
  private walk<L extends 'assignments' | 'invoices'>(list: L, parentsOfItem: (w: { workOrderId?: unknown; technicianId?: unknown; customerId?: unknown }) => unknown[]) {
    return {
      list,
      fetch: (p: PageParams) => this.client.walks.page(list, p),
      check: (item: unknown) => this.client.walks.check(list, item),
      parentsOfItem: (w: object) => parentsOfItem(w).map((v) => (typeof v === 'string' ? v : undefined)),
    };
  }

  private readonly relations: Record<string, Relation> = {
    'appointment<-workOrder': {
      fanout: this.perParent((id) => (p) => this.client.listWorkOrderAssignments(id, p), toAppointmentModel),
      fanoutCost: (n) => n,
      scan: { ...this.walk('assignments', (a) => [a.workOrderId]), map: toAppointmentModel, parentsOf: (a) => [a.workOrderRef.id] },
    },
    'appointment<-technician': {
      fanout: this.perParent((id) => (p) => this.client.listAssignments({ technicianId: id }, p), toAppointmentModel),
      fanoutCost: (n) => n,
      scan: { ...this.walk('assignments', (a) => [a.technicianId]), map: toAppointmentModel, parentsOf: (a) => a.technicianRefs.map((r: RecordRef) => r.id) },
    },
    'invoice<-workOrder': {
      fanout: this.perParent((id) => (p) => this.client.listInvoices({ workOrderId: id }, p), toInvoiceModel),
      fanoutCost: (n) => n,
      scan: { ...this.walk('invoices', (i) => [i.workOrderId]), map: toInvoiceModel, parentsOf: (i) => [i.workOrderRef?.id] },
    },
    'invoice<-customer': {
      fanout: this.perParent((id) => (p) => this.client.listInvoices({ customerId: id }, p), toInvoiceModel),
      fanoutCost: (n) => n,
      scan: { ...this.walk('invoices', (i) => [i.customerId]), map: toInvoiceModel, parentsOf: (i) => [i.customerRef?.id] },
    },
    'location<-customer': {
      fanout: this.perParent((id) => (p) => this.client.listCustomerSites(id, p), toLocationModel),
      fanoutCost: (n) => n,
      scan: { fetch: (p) => this.client.listSites({}, p), map: toLocationModel, parentsOf: (l) => [l.customerRef?.id] },
    },
    'equipment<-location': {
      fanout: this.perParent((id) => (p) => this.client.listAssets({ siteId: id }, p), toEquipmentModel),
      fanoutCost: (n) => n,
      scan: { fetch: (p) => this.client.listAssets({}, p), map: toEquipmentModel, parentsOf: (e) => [e.locationRef?.id] },
    },
    'equipment<-customer': {
      fanout: this.perParent((id) => (p) => this.client.listAssets({ customerId: id }, p), toEquipmentModel),
      fanoutCost: (n) => n,
      scan: { fetch: (p) => this.client.listAssets({}, p), map: toEquipmentModel, parentsOf: (e) => [e.customerRef?.id] },
    },
    'workOrder<-customer': {
      fanout: this.perParent((id) => (p) => this.client.listWorkOrders({ customerId: id }, p), toWorkOrderModel),
      fanoutCost: (n) => n,
      scan: { fetch: (p) => this.client.listWorkOrders({}, p), map: toWorkOrderModel, parentsOf: (w) => [w.customerRef?.id] },
    },
    'workOrder<-location': {
      // No site filter on work orders: a site's customer's work orders, kept when booked for the site.
      fanout: this.viaCustomer((id) => this.client.getSite(id), (w) => (w.locationRef ? [w.locationRef.id] : [])),
      fanoutCost: (n) => n + 1,
      scan: { fetch: (p) => this.client.listWorkOrders({}, p), map: toWorkOrderModel, parentsOf: (w) => [w.locationRef?.id] },
    },
    'workOrder<-equipment': {
      // No asset filter on work orders: an asset's customer's work orders, kept when about the asset.
      fanout: this.viaCustomer((id) => this.client.getAsset(id), (w) => w.equipmentRefs.map((r) => r.id)),
      fanoutCost: (n) => n + 1,
      scan: { fetch: (p) => this.client.listWorkOrders({}, p), map: toWorkOrderModel, parentsOf: (w) => w.equipmentRefs.map((r: RecordRef) => r.id) },
    },
    'workOrder<-technician': {
      fanout: this.workOrdersOfTechnicians,
      fanoutCost: (n) => n + 1,
      scan: { fetch: (p) => this.client.listWorkOrders({}, p), map: toWorkOrderModel, parentsOf: (w) => w.technicianRefs.map((r: RecordRef) => r.id) },
    },
  };

  async children<K extends EntityKind>(kind: K, parent: ParentKind, parentIds: readonly string[]): Promise<Map<string, Array<ModelByKind[K]>>> {
    const name = `${kind}<-${parent}`;
    const rel = this.relations[name];
    if (!rel) throw invalid(`${kind}.children`, `Astea Alliance cannot read ${kind} records of a ${parent}`);
    const ids = [...new Set(parentIds.filter((id) => id.length > 0))];
    const out = new Map<string, AnyModel[]>(parentIds.map((id) => [id, []]));
    if (ids.length === 0) return out as Map<string, Array<ModelByKind[K]>>;

    if (rel.scan && ids.length > 1) {
      // The cheaper of one filtered call per parent and one walk of the whole child list.
      const scan = rel.scan;
      const got = await childrenByCheaperRead<unknown, AnyModel>({
        key: `${this.account}:${scan.list ?? name}`,
        parents: ids,
        pageSize: SESSION_MAX_PAGE_SIZE,
        page: (page) => scan.fetch({ page, pageSize: SESSION_MAX_PAGE_SIZE }),
        ...(scan.check ? { check: scan.check } : {}),
        ...(scan.parentsOfItem ? { parentsOfItem: scan.parentsOfItem } : {}),
        map: scan.map,
        parentsOf: scan.parentsOf,
        idOf: (m) => m.ref.id,
        fanoutCost: rel.fanoutCost,
        // A fanout may use the walk's first page too (the work orders of technicians do).
        fanout: async (parents, first) => {
          const lists = await rel.fanout([...parents], (first ?? undefined) as AsteaListWire<unknown> | undefined);
          return new Map([...lists].map(([id, list]) => [id, uniqueById(list)]));
        },
        concurrency: this.concurrency,
      });
      for (const id of ids) out.set(id, got.get(id) ?? []);
      return out as Map<string, Array<ModelByKind[K]>>;
    }
    const got = await rel.fanout(ids, undefined);
    for (const id of ids) out.set(id, uniqueById(got.get(id) ?? []));
    return out as Map<string, Array<ModelByKind[K]>>;
  }

  // ------------------------------------------------------------ writes

  private workOrderId(ref: RecordRef, operation: string): string {
    if (ref.system !== VENDOR || !ref.id) throw invalid(operation, 'the work order is not an Astea Alliance record', [{ field: 'workOrderId', message: 'Not an Astea Alliance work order.' }]);
    return ref.id;
  }

  /** Every assignment of a work order (null when the work order does not exist). */
  private assignmentsOf(workOrderId: string): Promise<AsteaAssignmentWire[] | null> {
    return allItems((p) => this.client.listWorkOrderAssignments(workOrderId, p));
  }

  /**
   * Creates one assignment, at most once: after a lost response (or a 409 that may be our own
   * earlier attempt in the way) the work order's assignments are searched for this technician and
   * window, which Alliance allows only once (overlapping visits of a technician are refused).
   */
  private assignOnce(workOrderId: string, body: AsteaAssignmentBodyWire): Promise<AsteaAssignmentCreatedWire> {
    const lookup = async (): Promise<AsteaAssignmentWire | null> => (await this.assignmentsOf(workOrderId))?.find((a) => isSameAssignment(a, body)) ?? null;
    return writeOnce<AsteaAssignmentCreatedWire>({
      write: async () => {
        try {
          return await this.client.createAssignment(workOrderId, body);
        } catch (e) {
          // Dispatching the same technician for the same window again is the visit already made.
          if (e instanceof ConnectorError && e.kind === 'conflict' && e.vendorCode === 'schedule_conflict') {
            const mine = await lookup();
            if (mine) return mine;
          }
          throw e;
        }
      },
      lookup,
    });
  }

  /**
   * Assigns each technician for the window (one Alliance assignment per technician; an open work
   * order becomes scheduled). Every body is checked before the first call. Alliance has no
   * unassign, so when a later technician fails the earlier assignments stay, and a
   * {@link PartialWriteError} lists them. Returns the work order read back (null if that read
   * fails: the dispatch itself went through) and the first technician's visit.
   */
  async dispatch(command: DispatchCommand): Promise<DispatchResult> {
    const operation = 'dispatch';
    const workOrderId = this.workOrderId(command.workOrderRef, operation);
    if (command.providerRef) throw invalid(operation, 'Astea Alliance dispatches technicians, not providers', [{ field: 'providerId', message: 'Not supported.' }]);
    if (command.technicianRefs.length === 0) throw invalid(operation, 'no technician to assign', [{ field: 'technicianId', message: 'Required.' }]);
    const seen = new Set<string>();
    const bodies: AsteaAssignmentBodyWire[] = [];
    const errors: VendorFieldError[] = [];
    for (let i = 0; i < command.technicianRefs.length; i++) {
      const r = toAssignmentBody(command, i, this.notifyTechnician);
      if (r.errors) errors.push(...r.errors);
      else if (!seen.has(r.body.technicianId)) {
        seen.add(r.body.technicianId);
        bodies.push(r.body);
      }
    }
    if (errors.length > 0) throw invalid(operation, 'the dispatch is invalid', errors);

    const created: AsteaAssignmentCreatedWire[] = [];
    for (const body of bodies) {
      try {
        created.push(await this.assignOnce(workOrderId, body));
      } catch (e) {
        if (created.length === 0 || !(e instanceof ConnectorError)) throw e;
        const done = created.map((a) => a.assignmentId);
        throw new PartialWriteError({
          cause: e,
          completed: done.map(asteaRef),
          failedStep: `assign ${body.technicianId}`,
          message: `astea dispatch of ${workOrderId}: assigned ${done.join(', ')}, then assigning ${body.technicianId} failed (${e.message}); Alliance has no unassign, the assignments made stay`,
        });
      }
    }

    // Read back what the dispatch changed: the work order's header and its assignments (full shape).
    const [wo, assignments] = await Promise.all([
      this.client.getWorkOrder(workOrderId).catch(() => null),
      this.assignmentsOf(workOrderId).catch(() => null),
    ]);
    const first = created[0]!;
    const full = assignments?.find((a) => a.assignmentId === first.assignmentId);
    return { workOrder: wo ? toWorkOrderModel(wo) : null, appointment: toAppointmentModel(full ?? first) };
  }

  /**
   * Records parts and labor against a work order (pending billing until it completes). Alliance
   * has no place for our reference on a consumption, so the work order's consumptions are read
   * first, and after a lost response the new one is recognised by its content among those that
   * appeared since: a retry never records the same parts twice.
   */
  async recordConsumption(command: RecordConsumptionCommand): Promise<{ workOrderRef: RecordRef; recordedParts: number; recordedLabor: number }> {
    const operation = 'recordConsumption';
    const workOrderId = this.workOrderId(command.workOrderRef, operation);
    const r = toConsumptionBody(command);
    if (r.errors) throw invalid(operation, 'the consumption is invalid', r.errors);
    const body = r.body;

    const consumptions = (): Promise<AsteaConsumptionWire[] | null> => allItems((p) => this.client.listConsumptions(workOrderId, p));
    const before = await consumptions();
    if (!before) {
      throw new ConnectorError({ kind: 'not_found', vendor: VENDOR, operation, status: 404, message: `astea ${operation}: work order ${workOrderId} not found`, fieldErrors: [{ field: 'workOrderId', message: 'Not found.' }] });
    }
    const known = new Set(before.map((c) => c.consumptionId));
    const fingerprint = consumptionFingerprint(body);
    const created = await writeOnce<AsteaConsumptionCreatedWire>({
      write: () => this.client.createConsumption(workOrderId, body),
      lookup: async () => {
        const c = (await consumptions())?.find((x) => !known.has(x.consumptionId) && consumptionFingerprint(x) === fingerprint);
        return c ? { workOrderId: c.workOrderId, consumptionId: c.consumptionId, partsRecorded: c.parts.length, laborEntriesRecorded: c.labor.length, status: c.status, createdAt: c.createdAt } : null;
      },
    });
    return { workOrderRef: asteaRef(created.workOrderId), recordedParts: created.partsRecorded, recordedLabor: created.laborEntriesRecorded };
  }

  // ------------------------------------------------------------ health

  async ping(): Promise<void> {
    await this.client.ping();
  }
}
