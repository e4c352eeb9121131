/**
 * The ServicePower connector: {@link FieldServiceConnector} over Supergood's unofficial
 * ServicePower REST API (work orders with embedded customer, location and unit; dispatches;
 * warranty claims; customers, locations, equipment and technicians).
 *
 * The API has no batch look-up by ids and few list filters, so: `get` makes bounded-concurrency
 * single GETs; relations use the one filter the API has where it has one (`workOrderId` on claims,
 * the work order's dispatches, `providerId` on work orders) and otherwise walk the parent-less list
 * once for all parents. Writes stamp our reference on the record (`externalRef` on work orders,
 * `referenceNumber` on claims) and go through `writeOnce`, so a lost response never makes a second
 * record. See README.md beside this file.
 */
import { z } from 'zod';
import type { VendorInfo } from '../sandbox/kit.js';
import { iteratePages, PartialWriteError, writeOnce } from '../core/ops.js';
import { formatInstant } from '../core/normalize.js';
import { DEFAULT_READ_CONCURRENCY, mapWithConcurrency } from '../core/resilience.js';
import { inWindow, listWindow, serverRange, WindowBoundError, type ListWindow } from '../core/window.js';
import {
  allItems,
  childrenOfWalkedList,
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
  type CreateWorkOrderCommand,
  type DispatchCommand,
  type DispatchResult,
  type FieldServiceConnector,
  type ListQuery,
  type Page,
  type ParentKind,
  type SubmitClaimCommand,
  type VendorFieldError,
} from '../types.js';
import type { ClaimModel, EntityKind, ModelByKind, WorkOrderModel } from '../../src/model/index.js';
import { ServicePowerClient, type UpdatedRange } from './client.js';
import {
  toAppointmentModel,
  toClaimBody,
  toClaimModel,
  toCreateWorkOrderBody,
  toCustomerModel,
  toDispatchBody,
  toEquipmentModel,
  toLocationModel,
  toTechnicianModel,
  toWorkOrderModel,
  appointmentStatusOf,
  APPOINTMENT_STATUS,
  CLAIM_STATUS,
  WORK_ORDER_STATUS,
} from './mapping.js';
import { parseVendorTimestamp, type ServicePowerListWire } from './wire.js';

const VENDOR = 'servicepower' as const;

/** Connection to one ServicePower integration (Supergood integration URL and its sign-in; see {@link SESSION_CONNECTION_FIELDS}). */
export const ServicePowerConnectionSchema = z.object(SESSION_CONNECTION_FIELDS);
export type ServicePowerConnection = z.infer<typeof ServicePowerConnectionSchema>;

/** The connection of the sandbox's ServicePower simulator, from its `/_sandbox` info. Throws a `ZodError` when the info is not a session sign-in. */
export function connectionFromSandbox(info: VendorInfo): ServicePowerConnection {
  return ServicePowerConnectionSchema.parse(sandboxSignIn(info));
}

type Kind = 'workOrder' | 'appointment' | 'claim' | 'customer' | 'location' | 'equipment' | 'technician';
type Model = ModelByKind[Kind];
type Filter = 'customerId' | 'locationId' | 'workOrderId' | 'technicianId' | 'sourceStatuses';

const KINDS: readonly Kind[] = ['workOrder', 'appointment', 'claim', 'customer', 'location', 'equipment', 'technician'];

/** ServicePower keeps modification times to the second. */
const TIME_PRECISION_MS = 1000;

/** What ServicePower can do, and what each relation costs (see README). */
export const SERVICEPOWER_CAPABILITIES: ConnectorCapabilities = {
  entities: KINDS,
  lists: KINDS,
  // Every list takes `updatedFrom` (inclusive) server-side.
  incremental: KINDS,
  // ... and `updatedTo` (inclusive), with `total` on every page.
  windows: KINDS,
  timePrecisionMs: TIME_PRECISION_MS,
  statuses: { workOrder: WORK_ORDER_STATUS, appointment: APPOINTMENT_STATUS, claim: CLAIM_STATUS },
  // No batch look-up: one GET per id.
  batchSize: {},
  relations: [
    'appointment<-workOrder',
    'claim<-workOrder',
    'workOrder<-technician',
    'workOrder<-customer',
    'workOrder<-location',
    'workOrder<-equipment',
    'location<-customer',
    'equipment<-location',
    'equipment<-customer',
  ],
  writes: ['createWorkOrder', 'dispatch', 'submitClaim'],
};

/** True when a list asks for a time bound. */
function timed(window: ListWindow): boolean {
  return window.since !== undefined || window.before !== undefined;
}

/** How far before our write a record it made may be stamped (clock skew between us and the vendor). */
const LOOKUP_SKEW_MS = 10 * 60_000;

function invalidCommand(operation: string, fieldErrors: VendorFieldError[]): ConnectorError {
  return new ConnectorError({
    kind: 'invalid_request',
    vendor: VENDOR,
    operation,
    message: `ServicePower cannot take this command: ${fieldErrors.map((f) => `${f.field}: ${f.message}`).join('; ')}`,
    fieldErrors,
  });
}

/** Runs a pure mapping; a payload it cannot read is the vendor's fault (`bad_response`). */
function mapped<W, M>(operation: string, wire: W, fn: (w: W) => M): M {
  try {
    return fn(wire);
  } catch (e) {
    throw new ConnectorError({ kind: 'bad_response', vendor: VENDOR, operation, message: 'servicepower sent a record that cannot be read', cause: e });
  }
}

/** One raw page, mapped: `next` is the page number after it, if any. */
interface RawPage {
  items: Model[];
  total?: number;
  next?: number;
}

function pageOf<W>(operation: string, wire: ServicePowerListWire<W> | null, paging: PageParams, map: (w: W) => Model): RawPage {
  if (!wire) return { items: [], total: 0 };
  const items = wire.items.map((w) => mapped(operation, w, map));
  const total = typeof wire.total === 'number' ? wire.total : undefined;
  const more = hasNextPage(wire, paging.page, paging.pageSize);
  return { items, ...(total !== undefined ? { total } : {}), ...(more ? { next: paging.page + 1 } : {}) };
}

/** Builds the ServicePower connector. */
export function createServicePowerConnector(connection: ServicePowerConnection, options: ConnectorOptions = {}): FieldServiceConnector {
  const conn = ServicePowerConnectionSchema.parse(connection);
  const client = new ServicePowerClient(conn, options);
  const concurrency = Math.max(1, options.concurrency ?? DEFAULT_READ_CONCURRENCY);
  /** The account, for the memory of list sizes. */
  const account = `${VENDOR}:${conn.baseUrl}:${conn.username}`;

  // ---------------------------------------------------------------- reads, per kind

  const getters: Record<Kind, (id: string) => Promise<Model | null>> = {
    workOrder: async (id) => {
      const w = await client.getWorkOrder(id);
      return w && mapped('workOrders.get', w, toWorkOrderModel);
    },
    appointment: async (id) => {
      const w = await client.getDispatch(id);
      return w && mapped('dispatches.get', w, toAppointmentModel);
    },
    claim: async (id) => {
      const w = await client.getClaim(id);
      return w && mapped('claims.get', w, (x) => toClaimModel(x));
    },
    customer: async (id) => {
      const w = await client.getCustomer(id);
      return w && mapped('customers.get', w, toCustomerModel);
    },
    location: async (id) => {
      const w = await client.getLocation(id);
      return w && mapped('locations.get', w, toLocationModel);
    },
    equipment: async (id) => {
      const w = await client.getEquipment(id);
      return w && mapped('equipment.get', w, toEquipmentModel);
    },
    technician: async (id) => {
      const w = await client.getTechnician(id);
      return w && mapped('technicians.get', w, toTechnicianModel);
    },
  };

  /** Filters each kind applies client-side (the rest of ListQuery is server-side or refused). */
  const CLIENT_FILTERS: Record<Kind, readonly Filter[]> = {
    workOrder: ['customerId', 'locationId', 'technicianId', 'sourceStatuses'],
    appointment: ['workOrderId', 'technicianId', 'sourceStatuses'],
    claim: ['workOrderId', 'sourceStatuses'],
    customer: [],
    location: ['customerId'],
    equipment: ['customerId', 'locationId'],
    technician: [],
  };

  /** Checks the filters of a list; answers its time window. Throws `invalid_request`. */
  function checkQuery(kind: Kind, query: ListQuery): ListWindow {
    for (const f of ['customerId', 'locationId', 'workOrderId', 'technicianId', 'sourceStatuses'] as const) {
      const given = f === 'sourceStatuses' ? !!query.sourceStatuses?.length : query[f] !== undefined;
      if (given && !CLIENT_FILTERS[kind].includes(f)) {
        throw new ConnectorError({ kind: 'invalid_request', vendor: VENDOR, operation: `${kind}.list`, message: `ServicePower cannot filter ${kind} by ${f}` });
      }
    }
    try {
      return listWindow(query);
    } catch (e) {
      if (!(e instanceof WindowBoundError)) throw e;
      throw new ConnectorError({ kind: 'invalid_request', vendor: VENDOR, operation: `${kind}.list`, message: e.message, fieldErrors: [{ field: e.field, message: 'expected ISO 8601' }] });
    }
  }

  /**
   * `updatedFrom`/`updatedTo` of a window: both ends inclusive, so the window's exclusive end goes
   * out as the last whole second before it (`from` rounded down to its second); the millisecond
   * edges are trimmed by {@link keeper}. Undefined when the window holds no whole second.
   */
  function updatedRange(window: ListWindow): UpdatedRange | undefined {
    const r = serverRange(window, TIME_PRECISION_MS, 'inclusive');
    if (r.empty) return undefined;
    return { ...(r.from !== undefined ? { updatedFrom: formatInstant(r.from) } : {}), ...(r.to !== undefined ? { updatedTo: formatInstant(r.to) } : {}) };
  }

  /** Work order and claim lists take one `status` server-side; more words, or other kinds, are filtered here. */
  function serverStatus(kind: Kind, query: ListQuery): boolean {
    return (kind === 'workOrder' || kind === 'claim') && query.sourceStatuses?.length === 1;
  }

  /** One raw page of a list, with the server-side part of the query applied (`range`: see {@link updatedRange}). */
  async function fetchPage(kind: Kind, query: ListQuery, paging: PageParams, range: UpdatedRange): Promise<RawPage> {
    const oneStatus = serverStatus(kind, query) ? query.sourceStatuses![0] : undefined;
    switch (kind) {
      case 'workOrder':
        return pageOf('workOrders.list', await client.listWorkOrders(paging, { ...range, status: oneStatus }), paging, toWorkOrderModel);
      case 'appointment':
        // The work order's own dispatch list takes no update range: the window is applied here.
        return query.workOrderId !== undefined
          ? pageOf('dispatches.listByWorkOrder', await client.listWorkOrderDispatches(query.workOrderId, paging), paging, toAppointmentModel)
          : pageOf('dispatches.list', await client.listDispatches(paging, range), paging, toAppointmentModel);
      case 'claim':
        return pageOf('claims.list', await client.listClaims(paging, { workOrderId: query.workOrderId, status: oneStatus, ...range }), paging, (w) => toClaimModel(w));
      case 'customer':
        return pageOf('customers.list', await client.listCustomers(paging, range), paging, toCustomerModel);
      case 'location':
        return pageOf('locations.list', await client.listLocations(paging, range), paging, toLocationModel);
      case 'equipment':
        return pageOf('equipment.list', await client.listEquipment(paging, range), paging, toEquipmentModel);
      case 'technician':
        return pageOf('technicians.list', await client.listTechnicians(paging, range), paging, toTechnicianModel);
    }
  }

  /**
   * The client-side part of a query (filters the API does not take, re-checked on every item), and
   * the exact time window: the server's range is whole seconds, the window may end mid-second.
   */
  function keeper(kind: Kind, query: ListQuery, window: ListWindow): (m: Model) => boolean {
    const statuses = query.sourceStatuses?.length && !serverStatus(kind, query) ? new Set(query.sourceStatuses) : undefined;
    return (m) => {
      const x = m as Partial<WorkOrderModel> & { sourceStatus?: string; workOrderRef?: { id: string }; updatedAt?: string };
      if (query.customerId !== undefined && x.customerRef?.id !== query.customerId) return false;
      if (query.locationId !== undefined && (x as { locationRef?: { id: string } }).locationRef?.id !== query.locationId) return false;
      if (query.workOrderId !== undefined && x.workOrderRef?.id !== query.workOrderId) return false;
      if (query.technicianId !== undefined && !(x.technicianRefs ?? []).some((t) => t.id === query.technicianId)) return false;
      if (statuses && !statuses.has(x.sourceStatus ?? '')) return false;
      return inWindow(window, x.updatedAt);
    };
  }

  function isKind(kind: EntityKind): kind is Kind {
    return (KINDS as readonly string[]).includes(kind);
  }

  function pagingOf(kind: Kind, query: ListQuery): PageParams {
    let page = 1;
    if (query.cursor !== undefined) {
      page = Number(query.cursor);
      if (!/^\d+$/.test(query.cursor) || page < 1) {
        throw new ConnectorError({ kind: 'invalid_request', vendor: VENDOR, operation: `${kind}.list`, message: 'not a ServicePower cursor' });
      }
    }
    return { page, pageSize: clampPageSize(query.pageSize) };
  }

  async function* walk(kind: Kind, query: ListQuery): AsyncGenerator<Model> {
    const window = checkQuery(kind, query);
    const first = pagingOf(kind, query);
    const range = updatedRange(window);
    if (!range) return;
    const keep = keeper(kind, query, window);
    const seen = new Set<string>();
    // Page numbers shift when records change during a walk; never hand out a record twice.
    const pages = iteratePages<{ item: Model; kept: boolean }>(async (cursor) => {
      const paging = { page: cursor ? Number(cursor) : first.page, pageSize: first.pageSize };
      const p = await fetchPage(kind, query, paging, range);
      return { items: p.items.map((item) => ({ item, kept: keep(item) })), ...(p.next ? { nextCursor: String(p.next) } : {}) };
    });
    for await (const { item, kept } of pages) {
      if (!kept || seen.has(item.ref.id)) continue;
      seen.add(item.ref.id);
      yield item;
    }
  }

  async function all(kind: Kind, query: ListQuery): Promise<Model[]> {
    const out: Model[] = [];
    for await (const m of walk(kind, { pageSize: SESSION_MAX_PAGE_SIZE, ...query })) out.push(m);
    return out;
  }

  async function getMany(kind: Kind, ids: readonly string[]): Promise<Array<Model | null>> {
    const unique = [...new Set(ids)];
    const got = await mapWithConcurrency(unique, concurrency, (id) => getters[kind](id));
    const byId = new Map(unique.map((id, i) => [id, got[i] ?? null]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  // ---------------------------------------------------------------- relations

  function group<M extends Model>(parentIds: readonly string[], items: readonly M[], parentsOf: (m: M) => Array<string | undefined>): Map<string, M[]> {
    const out = new Map<string, M[]>(parentIds.map((id) => [id, []]));
    for (const m of items) {
      for (const p of new Set(parentsOf(m))) if (p !== undefined) out.get(p)?.push(m);
    }
    return out;
  }

  async function children(kind: EntityKind, parent: ParentKind, parentIds: readonly string[]): Promise<Map<string, Model[]>> {
    const parents = [...new Set(parentIds)];
    const empty = (): Map<string, Model[]> => new Map(parents.map((id) => [id, []]));
    if (parents.length === 0) return empty();
    const rel = `${kind}<-${parent}`;
    switch (rel) {
      case 'appointment<-workOrder':
        // One call per work order (its dispatch list), or one walk of all dispatches.
        return childrenOfWalkedList({
          key: `${account}:dispatches`,
          walks: client.walks,
          list: 'dispatches',
          parents,
          parentOfItem: (w) => w.workOrderId,
          parentOf: (m: Model) => (m as ModelByKind['appointment']).workOrderRef.id,
          map: (w): Model => mapped('dispatches.list', w, toAppointmentModel),
          perParent: (id) => all('appointment', { workOrderId: id }),
          concurrency,
        });
      case 'claim<-workOrder':
        // `GET /claims?workOrderId=` is single-valued: one call per work order, or one walk of all claims.
        return childrenOfWalkedList({
          key: `${account}:claims`,
          walks: client.walks,
          list: 'claims',
          parents,
          parentOfItem: (w) => w.workOrderId,
          parentOf: (m: Model) => (m as ClaimModel).workOrderRef?.id,
          map: (w): Model => mapped('claims.list', w, (x) => toClaimModel(x)),
          perParent: (id) => all('claim', { workOrderId: id }),
          concurrency,
        });
      case 'workOrder<-technician': {
        // Work orders filter by provider, not technician: read each technician's provider, walk
        // each provider's work orders once, keep the ones assigned to the technicians asked for.
        const techs = (await getMany('technician', parents)) as Array<ModelByKind['technician'] | null>;
        const providers = [...new Set(techs.map((t) => t?.providerRef?.id).filter((p): p is string => !!p))];
        const lists = await mapWithConcurrency(providers, concurrency, async (providerId) =>
          (await allItems((paging) => client.listWorkOrders(paging, { providerId }))).map((w) => mapped('workOrders.list', w, toWorkOrderModel)),
        );
        const unique = new Map(lists.flat().map((w) => [w.ref.id, w]));
        return group(parents, [...unique.values()], (w) => (w as WorkOrderModel).technicianRefs.map((t) => t.id));
      }
      case 'workOrder<-customer':
      case 'workOrder<-location':
      case 'workOrder<-equipment': {
        // No work order filter by customer, location or unit: one walk of the list for all parents.
        const items = (await all('workOrder', {})) as WorkOrderModel[];
        return group(parents, items, (w) => {
          const x = w as WorkOrderModel;
          return parent === 'customer' ? [x.customerRef?.id] : parent === 'location' ? [x.locationRef?.id] : x.equipmentRefs.map((e) => e.id);
        });
      }
      case 'location<-customer': {
        const items = (await all('location', {})) as Array<ModelByKind['location']>;
        return group(parents, items, (l) => [(l as ModelByKind['location']).customerRef?.id]);
      }
      case 'equipment<-location':
      case 'equipment<-customer': {
        const items = (await all('equipment', {})) as Array<ModelByKind['equipment']>;
        return group(parents, items, (e) => {
          const x = e as ModelByKind['equipment'];
          return [parent === 'location' ? x.locationRef?.id : x.customerRef?.id];
        });
      }
      default:
        // Invoices and memberships: ServicePower holds none.
        if (kind === 'invoice' || kind === 'membership') return empty();
        throw new ConnectorError({ kind: 'invalid_request', vendor: VENDOR, operation: `${kind}.children`, message: `ServicePower cannot read the relation ${rel}` });
    }
  }

  // ---------------------------------------------------------------- writes

  /** A work order we created, found by our reference (for a create whose answer was lost). */
  async function findCreatedWorkOrder(externalRef: string, startedAt: number): Promise<string | null> {
    const since = startedAt - LOOKUP_SKEW_MS;
    let found: WorkOrderModel | undefined;
    for await (const m of walk('workOrder', { updatedSince: formatInstant(since), pageSize: SESSION_MAX_PAGE_SIZE })) {
      const w = m as WorkOrderModel;
      if (w.externalReference !== externalRef) continue;
      if (w.createdAt && Date.parse(w.createdAt) < since) continue;
      if (!found || (w.createdAt ?? '') > (found.createdAt ?? '')) found = w;
    }
    return found?.ref.id ?? null;
  }

  async function readWorkOrder(operation: string, id: string): Promise<WorkOrderModel> {
    const w = (await getters.workOrder(id)) as WorkOrderModel | null;
    if (!w) throw new ConnectorError({ kind: 'bad_response', vendor: VENDOR, operation, message: `servicepower does not show work order ${id} it just wrote` });
    return w;
  }

  async function dispatch(cmd: DispatchCommand): Promise<DispatchResult> {
    const operation = 'workOrders.dispatch';
    const check = toDispatchBody(cmd, cmd.providerRef?.id ?? 'pending');
    if (!check.ok) throw invalidCommand(operation, check.fieldErrors);
    let providerId: string;
    if (cmd.providerRef) {
      if (cmd.providerRef.system !== VENDOR) throw invalidCommand(operation, [{ field: 'providerRef', message: `A ${cmd.providerRef.system} record cannot be used in ServicePower.` }]);
      providerId = cmd.providerRef.id;
    } else {
      // The vendor assigns a provider's technician: the provider is the technician's.
      const tech = (await getters.technician(check.body.assignedTechId)) as ModelByKind['technician'] | null;
      if (!tech?.providerRef) throw invalidCommand(operation, [{ field: 'technicianRefs.0', message: `ServicePower has no technician ${check.body.assignedTechId} with a provider.` }]);
      providerId = tech.providerRef.id;
    }
    const built = toDispatchBody(cmd, providerId);
    if (!built.ok) throw invalidCommand(operation, built.fieldErrors);
    const body = built.body;
    const workOrderId = cmd.workOrderRef.id;
    const start = parseVendorTimestamp(body.appointmentWindow.start);
    const end = parseVendorTimestamp(body.appointmentWindow.end);

    const dispatchId = await writeOnce({
      write: async () => (await client.dispatch(workOrderId, body)).dispatchId,
      // A dispatch replaces the work order's open visit, so the open visit of this technician in
      // this window is the one our lost call made (or the state it asked for already holds).
      lookup: async () => {
        const visits = (await all('appointment', { workOrderId })) as Array<ModelByKind['appointment']>;
        const match = visits
          .filter(
            (a) =>
              appointmentStatusOf(a.sourceStatus) !== 'CANCELLED' &&
              a.technicianRefs.some((t) => t.id === body.assignedTechId) &&
              Date.parse(a.window.start) === start &&
              Date.parse(a.window.end) === end,
          )
          .sort((a, b) => (a.createdAt ?? '').localeCompare(b.createdAt ?? '') || a.ref.id.localeCompare(b.ref.id))
          .at(-1);
        return match?.ref.id ?? null;
      },
    });
    const [workOrder, appointment] = await Promise.all([getters.workOrder(workOrderId), getters.appointment(dispatchId)]);
    return { workOrder: workOrder as WorkOrderModel | null, appointment: appointment as ModelByKind['appointment'] | null };
  }

  async function createWorkOrder(cmd: CreateWorkOrderCommand): Promise<WorkOrderModel> {
    const operation = 'workOrders.create';
    const built = toCreateWorkOrderBody(cmd);
    if (!built.ok) throw invalidCommand(operation, built.fieldErrors);
    const techs = cmd.technicianRefs ?? [];
    if (cmd.window && techs.length === 0) {
      throw invalidCommand(operation, [{ field: 'window', message: 'ServicePower sets a window by dispatching a technician: name one in technicianRefs.' }]);
    }
    if (techs.length > 0 && !cmd.window) {
      throw invalidCommand(operation, [{ field: 'technicianRefs', message: 'ServicePower dispatches a technician for a window: give the window.' }]);
    }
    const startedAt = Date.now();
    const id = await writeOnce({
      write: async () => (await client.createWorkOrder(built.body)).workOrderId,
      lookup: () => findCreatedWorkOrder(built.body.externalRef, startedAt),
    });
    if (!cmd.window) return readWorkOrder(operation, id);
    // Intake and dispatch are two calls; the vendor offers no way to undo the intake, so a failed
    // dispatch is reported with the work order that now exists.
    try {
      const r = await dispatch({ workOrderRef: { system: VENDOR, id }, technicianRefs: techs, window: cmd.window });
      return r.workOrder ?? (await readWorkOrder(operation, id));
    } catch (e) {
      if (!(e instanceof ConnectorError)) throw e;
      throw new PartialWriteError({
        cause: e,
        completed: [{ system: VENDOR, id }],
        failedStep: 'dispatch',
        message: `work order ${id} was created, but dispatching it failed: ${e.message}`,
      });
    }
  }

  async function submitClaim(cmd: SubmitClaimCommand): Promise<ClaimModel> {
    const operation = 'claims.submit';
    const built = toClaimBody(cmd);
    if (!built.ok) throw invalidCommand(operation, built.fieldErrors);
    const body = built.body;
    const claimId = await writeOnce({
      write: async () => (await client.submitClaim(body)).claimId,
      // A reference number is claimed once per work order: the work order's claim with it is ours.
      lookup: async () => {
        const claims = (await all('claim', { workOrderId: body.workOrderId })) as ClaimModel[];
        return claims.find((c) => c.number === body.referenceNumber)?.ref.id ?? null;
      },
    });
    const claim = (await getters.claim(claimId)) as ClaimModel | null;
    if (!claim) throw new ConnectorError({ kind: 'bad_response', vendor: VENDOR, operation, message: `servicepower does not show claim ${claimId} it just accepted` });
    return claim;
  }

  // ---------------------------------------------------------------- the connector

  const connector: FieldServiceConnector = {
    vendor: VENDOR,
    capabilities: SERVICEPOWER_CAPABILITIES,

    async get<K extends EntityKind>(kind: K, ids: readonly string[]) {
      if (!isKind(kind)) return ids.map(() => null);
      return (await getMany(kind, ids)) as Array<ModelByKind[K] | null>;
    },

    async list<K extends EntityKind>(kind: K, query: ListQuery = {}): Promise<Page<ModelByKind[K]>> {
      if (!isKind(kind)) return { items: [], total: 0 };
      const window = checkQuery(kind, query);
      const paging = pagingOf(kind, query);
      const range = updatedRange(window);
      // No whole second lies in the window: nothing to ask.
      if (!range) return { items: [], total: 0 };
      const p = await fetchPage(kind, query, paging, range);
      const keep = keeper(kind, query, window);
      return {
        // A page filtered client-side may hold fewer items than asked, even none: follow nextCursor.
        items: p.items.filter(keep) as Array<ModelByKind[K]>,
        ...(p.next ? { nextCursor: String(p.next) } : {}),
        // The vendor's count of the server-side query (client-side filters may keep fewer); none
        // when the list could not apply the time window (a work order's own dispatches).
        ...(p.total !== undefined && !(kind === 'appointment' && query.workOrderId !== undefined && timed(window)) ? { total: p.total } : {}),
      };
    },

    iterate<K extends EntityKind>(kind: K, query: ListQuery = {}): AsyncIterable<ModelByKind[K]> {
      if (!isKind(kind)) return (async function* () {})();
      return walk(kind, query) as AsyncIterable<ModelByKind[K]>;
    },

    async children<K extends EntityKind>(kind: K, parent: ParentKind, parentIds: readonly string[]) {
      return (await children(kind, parent, parentIds)) as Map<string, Array<ModelByKind[K]>>;
    },

    createWorkOrder,
    dispatch,
    submitClaim,

    async ping() {
      await client.listTechnicians({ page: 1, pageSize: 1 });
    },
  };

  return connector;
}
