/**
 * The Field Nation connector: {@link FieldServiceConnector} over the Field Nation Client REST API v2
 * (clients, saved locations, providers, work orders and the work order's one visit).
 *
 * Reads: the API has no batch look-up by ids, so `get` makes bounded-concurrency single GETs
 * (404 is null). Lists page with `page`/`per_page` (at most 100); the work-order list is sticky per
 * API user, so every call sends `sticky=false` and an explicit list, sort and order. Providers are
 * enumerated through talent pool groups (the API has no provider search). Relations use the
 * multi-valued `f_client`/`f_location` filters: one call per page for up to 50 parents.
 * Incremental reads of work orders use `f_updated_date`. A work order's schedule is its one visit,
 * embedded as an appointment.
 *
 * Writes: create (in Draft, our external reference in the "External Reference" custom field,
 * through `writeOnce` with a look-up by that field), dispatch (one provider: assign, publishing a
 * draft first; several: route to each) and status updates (publish, revert to draft, unassign,
 * approve, mark incomplete, cancel). Each lifecycle step is checked by re-reading the work order
 * when its answer is lost, and compound steps compensate or say exactly what happened. See
 * README.md beside this file.
 */
import { z } from 'zod';
import type { VendorInfo } from '../sandbox/kit.js';
import { iteratePages, PartialWriteError, writeOnce } from '../core/ops.js';
import { chunk, DEFAULT_READ_CONCURRENCY, mapWithConcurrency } from '../core/resilience.js';
import { inWindow, listWindow, serverRange, WindowBoundError, type ListWindow } from '../core/window.js';
import {
  ConnectorError,
  type ConnectorCapabilities,
  type ConnectorErrorKind,
  type ConnectorOptions,
  type CreateWorkOrderCommand,
  type DispatchCommand,
  type DispatchResult,
  type FieldServiceConnector,
  type ListQuery,
  type Page,
  type ParentKind,
  type UpdateStatusCommand,
  type VendorFieldError,
} from '../types.js';
import type { EntityKind, ModelByKind, RecordRef, TimeWindow, WorkOrderModel } from '../../src/model/index.js';
import { FIELD_NATION_MAX_PAGE_SIZE, FieldNationClient, type PageParams } from './client.js';
import {
  customFieldValue,
  DEFAULT_CUSTOM_FIELDS,
  isProvider,
  matchTypeOfWork,
  normalizeStatusWord,
  toAddress,
  toAppointmentModel,
  toClientCreateBody,
  toCreateWorkOrderBody,
  toCustomerModel,
  toCustomLocation,
  toFieldNationTime,
  toLocationModel,
  toScheduleBody,
  toTechnicianModel,
  toWorkOrderModel,
  windowOf,
  WORK_ORDER_STATUS,
  workOrderIdOfAppointment,
  type CustomFieldNames,
  type ResolvedCreate,
} from './mapping.js';
import type {
  FieldNationCustomFieldDefWire,
  FieldNationListWire,
  FieldNationLocationInputWire,
  FieldNationRefWire,
  FieldNationTypeOfWorkWire,
  FieldNationWorkOrderWire,
} from './wire.js';

const VENDOR = 'fieldnation' as const;

/** Connection to one Field Nation company as one API user. */
export const FieldNationConnectionSchema = z.object({
  /** `https://api.fieldnation.com/api/rest/v2` (sandbox: `https://api-sandbox.fndev.net/api/rest/v2`). */
  baseUrl: z.url(),
  /** `https://api.fieldnation.com/authentication/api/oauth/token` */
  tokenUrl: z.url(),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  /** The Field Nation API user (password grant). */
  username: z.string().min(1),
  password: z.string().min(1),
  /** Body encoding of the token request: JSON (current docs, default) or form fields (legacy docs). */
  tokenRequestEncoding: z.enum(['json', 'form']).optional(),
  /** The API user's quota per minute (unpublished; default 600). The client stays under it. */
  rateLimitPerMinute: z.number().int().positive().optional(),
});
export type FieldNationConnection = z.infer<typeof FieldNationConnectionSchema>;

const SandboxAuth = z.object({
  tokenUrl: z.string(),
  clientId: z.string(),
  clientSecret: z.string(),
  username: z.string(),
  password: z.string(),
});

/** The connection of the sandbox's Field Nation simulator, from its `/_sandbox` info. */
export function connectionFromSandbox(info: VendorInfo): FieldNationConnection {
  const auth = SandboxAuth.parse(info.auth);
  return FieldNationConnectionSchema.parse({
    baseUrl: info.baseUrl,
    tokenUrl: auth.tokenUrl,
    clientId: auth.clientId,
    clientSecret: auth.clientSecret,
    username: auth.username,
    password: auth.password,
  });
}

/** Parents per call of a relation read (the ids go comma-separated into one `f_` filter). */
export const FIELD_NATION_FILTER_IDS = 50;

/** Field Nation keeps modification times to the second (`YYYY-MM-DD HH:MM:SS`). */
const TIME_PRECISION_MS = 1000;

/** What the Field Nation connector reads and writes. */
export const FIELD_NATION_CAPABILITIES: ConnectorCapabilities = {
  entities: ['customer', 'location', 'technician', 'workOrder', 'appointment'],
  lists: ['customer', 'location', 'technician', 'workOrder'],
  incremental: ['workOrder'],
  batchSize: { customer: 1, location: 1, technician: 1, workOrder: 1, appointment: 1 },
  relations: ['location<-customer', 'workOrder<-customer', 'workOrder<-location'],
  writes: ['createWorkOrder', 'dispatch', 'updateStatus'],
  // `f_updated_date=from,to` is the only documented time range: on work orders. Clients, saved
  // locations and providers take no time filter (windows apply client-side there).
  windows: ['workOrder'],
  timePrecisionMs: TIME_PRECISION_MS,
  statuses: { workOrder: WORK_ORDER_STATUS },
};

/**
 * The status names the work-order list's `f_status` takes, by normalized word: the documented
 * lifecycle. {@link WORK_ORDER_STATUS} also knows `Canceled` (the US spelling: sent as
 * `Cancelled`) and `Deleted` (no documented status id: a query naming it is matched client-side).
 */
const F_STATUS_NAMES: ReadonlyMap<string, string> = new Map(
  ['Draft', 'Published', 'Routed', 'Assigned', 'Work Done', 'Approved', 'Paid', 'Cancelled'].map((n) => [normalizeStatusWord(n), n]),
);

/** A status word as the filters compare it: normalized, the US `canceled` as `cancelled`. */
function statusKey(word: string): string {
  const w = normalizeStatusWord(word);
  return w === 'canceled' ? 'cancelled' : w;
}

type FnKind = 'customer' | 'location' | 'technician' | 'workOrder' | 'appointment';

/** The filters each listable kind understands (server-side or client-side). */
const LIST_FILTERS: Record<Exclude<FnKind, 'appointment'>, ReadonlyArray<keyof ListQuery>> = {
  customer: ['updatedSince', 'updatedBefore'],
  location: ['updatedSince', 'updatedBefore', 'customerId'],
  technician: ['updatedSince', 'updatedBefore'],
  workOrder: ['updatedSince', 'updatedBefore', 'customerId', 'locationId', 'technicianId', 'sourceStatuses'],
};

const FILTER_KEYS: ReadonlyArray<keyof ListQuery> = ['updatedSince', 'updatedBefore', 'customerId', 'locationId', 'workOrderId', 'technicianId', 'sourceStatuses'];

function isListKind(kind: EntityKind): kind is Exclude<FnKind, 'appointment'> {
  return kind === 'customer' || kind === 'location' || kind === 'technician' || kind === 'workOrder';
}

function fail(kind: ConnectorErrorKind, operation: string, message: string, extra: { fieldErrors?: VendorFieldError[]; cause?: unknown; status?: number; vendorCode?: string } = {}): ConnectorError {
  return new ConnectorError({ kind, vendor: VENDOR, operation, message, ...extra });
}

/** A Field Nation id of a record ref (integers); throws `invalid_request` for another system or a non-integer id. */
function idOf(r: RecordRef, field: string, operation: string): string {
  if (r.system !== VENDOR || !/^\d+$/.test(r.id)) {
    throw fail('invalid_request', operation, `${field} is not a Field Nation record`, { fieldErrors: [{ field, message: `expected a Field Nation id, got ${r.system}:${r.id}` }] });
  }
  return r.id;
}

/** Opaque cursor of the provider list: the talent pool groups still to walk and the page in the first. */
interface ProviderCursor {
  g: string[];
  p: number;
}

function encodeCursor(c: ProviderCursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decodeProviderCursor(cursor: string): ProviderCursor {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    const c = z.object({ g: z.array(z.string().regex(/^\d+$/)), p: z.number().int().positive() }).parse(v);
    return c;
  } catch (e) {
    throw fail('invalid_request', 'technician.list', 'not a cursor of this list', { cause: e });
  }
}

function pageNumberOf(cursor: string | undefined, operation: string): number {
  if (cursor === undefined) return 1;
  if (!/^[1-9]\d{0,8}$/.test(cursor)) throw fail('invalid_request', operation, 'not a cursor of this list');
  return Number(cursor);
}

/** The next page of a list answer, if any: `pages` when the vendor gives it, else a full page means more. */
function nextPageOf(meta: FieldNationListWire<unknown>['metadata'], got: number, perPage: number): number | undefined {
  const page = meta.page || 1;
  if (meta.pages !== undefined && meta.pages !== null) return page < meta.pages ? page + 1 : undefined;
  return got >= perPage ? page + 1 : undefined;
}

/** Throws `invalid_request` unless the window has readable instants, end not before start. */
function checkWindow(w: TimeWindow, operation: string): void {
  const start = Date.parse(w.start);
  const end = Date.parse(w.end);
  if (Number.isNaN(start) || Number.isNaN(end) || end < start) {
    throw fail('invalid_request', operation, 'window: expected ISO 8601 instants, end not before start', { fieldErrors: [{ field: 'window', message: 'expected ISO 8601 instants, end not before start' }] });
  }
}

function sameWindow(a: TimeWindow | undefined, b: TimeWindow): boolean {
  return a !== undefined && toFieldNationTime(a.start) === toFieldNationTime(b.start) && toFieldNationTime(a.end) === toFieldNationTime(b.end);
}

function statusIs(w: FieldNationWorkOrderWire, ...names: string[]): boolean {
  const s = normalizeStatusWord(w.status.name);
  return names.some((n) => normalizeStatusWord(n) === s);
}

/** Builds the Field Nation connector of one connection. Throws nothing; its methods throw {@link ConnectorError}. */
export function createFieldNationConnector(connection: FieldNationConnection, options: ConnectorOptions = {}): FieldServiceConnector & { readonly client: FieldNationClient } {
  const client = new FieldNationClient(connection, options);
  const concurrency = Math.max(1, options.concurrency ?? DEFAULT_READ_CONCURRENCY);
  const baseSettings = options.settings ?? {};
  const fieldNames = (s: Record<string, string>): CustomFieldNames => ({
    externalReference: s.externalReferenceField ?? DEFAULT_CUSTOM_FIELDS.externalReference,
    clientWoNumber: s.clientWoNumberField ?? DEFAULT_CUSTOM_FIELDS.clientWoNumber,
  });
  const names = fieldNames(baseSettings);
  const toWorkOrder = (w: FieldNationWorkOrderWire): WorkOrderModel => toWorkOrderModel(w, names);

  // Reference lists change rarely: read once per connector, forgotten on failure.
  const memo = <T>(load: () => Promise<T>): (() => Promise<T>) => {
    let p: Promise<T> | undefined;
    return () => {
      if (!p) p = load().catch((e: unknown) => {
        p = undefined;
        throw e;
      });
      return p;
    };
  };
  async function allPages<T>(read: (p: PageParams) => Promise<FieldNationListWire<T>>): Promise<T[]> {
    const out: T[] = [];
    for (let page: number | undefined = 1; page !== undefined; ) {
      const r = await read({ page, perPage: FIELD_NATION_MAX_PAGE_SIZE });
      out.push(...r.results);
      page = r.results.length ? nextPageOf(r.metadata, r.results.length, FIELD_NATION_MAX_PAGE_SIZE) : undefined;
    }
    return out;
  }
  const typesOfWork = memo<FieldNationTypeOfWorkWire[]>(() => allPages((p) => client.listTypesOfWork(p)));
  const customFieldDefs = memo<FieldNationCustomFieldDefWire[]>(() => allPages((p) => client.listCustomFieldDefs(p)));
  const incompleteReasons = memo<FieldNationRefWire[]>(() => allPages((p) => client.listIncompleteReasons(p)));
  const talentPoolGroupIds = async (): Promise<string[]> => (await allPages((p) => client.listTalentPoolGroups(p))).map((g) => g.id);

  // ---------------------------------------------------------------- reads

  async function getOne(kind: FnKind, id: string): Promise<ModelByKind[FnKind] | null> {
    if (kind === 'appointment') {
      const woId = workOrderIdOfAppointment(id);
      if (!woId) return null;
      const w = await client.getWorkOrder(woId);
      return w ? (toAppointmentModel(w) ?? null) : null;
    }
    // Field Nation ids are integers: anything else names no record, without asking.
    if (!/^\d+$/.test(id)) return null;
    switch (kind) {
      case 'customer': {
        const c = await client.getClient(id);
        return c ? toCustomerModel(c) : null;
      }
      case 'location': {
        const l = await client.getLocation(id);
        return l ? toLocationModel(l) : null;
      }
      case 'technician': {
        const u = await client.getUser(id);
        return u && isProvider(u) ? toTechnicianModel(u) : null;
      }
      case 'workOrder': {
        const w = await client.getWorkOrder(id);
        return w ? toWorkOrder(w) : null;
      }
    }
  }

  /** Checks the filters of a list; answers its time window. Throws `invalid_request`. */
  function checkQuery(kind: Exclude<FnKind, 'appointment'>, query: ListQuery): ListWindow {
    const allowed = LIST_FILTERS[kind];
    const refused = FILTER_KEYS.filter((k) => query[k] !== undefined && !allowed.includes(k));
    if (refused.length) {
      throw fail('invalid_request', `${kind}.list`, `Field Nation cannot filter ${kind} records by ${refused.join(', ')}`, {
        fieldErrors: refused.map((f) => ({ field: f, message: `not a filter of ${kind}` })),
      });
    }
    try {
      return listWindow(query);
    } catch (e) {
      if (!(e instanceof WindowBoundError)) throw e;
      throw fail('invalid_request', `${kind}.list`, e.message, { fieldErrors: [{ field: e.field, message: 'expected ISO 8601' }] });
    }
  }

  const perPageOf = (query: ListQuery): number => Math.min(FIELD_NATION_MAX_PAGE_SIZE, Math.max(1, Math.floor(query.pageSize ?? FIELD_NATION_MAX_PAGE_SIZE)));

  /** In the time window; under a plain `updatedSince`, records without a modification time are kept (never lose one). */
  const inTime = (w: ListWindow) => (updatedAt: string | undefined) => inWindow(w, updatedAt, true);

  /**
   * Pages of a numbered list with a client-side filter: pages whose records are all filtered out
   * are skipped (a walk stops at an empty page), so one `list` may read several vendor pages.
   * `total` is the vendor's count of the server-side query (`metadata.total`) when `countable`;
   * client-side filters may keep fewer.
   */
  async function numberedPage<W, M>(
    operation: string,
    query: ListQuery,
    read: (p: PageParams) => Promise<FieldNationListWire<W>>,
    map: (w: W) => M | null,
    keep: (m: M) => boolean,
    countable: boolean,
  ): Promise<Page<M>> {
    const perPage = perPageOf(query);
    let page: number | undefined = pageNumberOf(query.cursor, operation);
    for (;;) {
      const r = await read({ page, perPage });
      const items = r.results.map(map).filter((m): m is M => m !== null && keep(m));
      const next: number | undefined = r.results.length ? nextPageOf(r.metadata, r.results.length, perPage) : undefined;
      if (items.length > 0 || next === undefined) {
        const total = countable && typeof r.metadata.total === 'number' ? r.metadata.total : undefined;
        return { items, ...(next !== undefined ? { nextCursor: String(next) } : {}), ...(total !== undefined ? { total } : {}) };
      }
      page = next;
    }
  }

  /** One page of providers: the users of one talent pool group at a time, empty groups skipped. */
  async function providerPage(query: ListQuery, window: ListWindow): Promise<Page<ModelByKind['technician']>> {
    const perPage = perPageOf(query);
    let c: ProviderCursor = query.cursor ? decodeProviderCursor(query.cursor) : { g: await talentPoolGroupIds(), p: 1 };
    const keep = inTime(window);
    for (;;) {
      const group = c.g[0];
      if (group === undefined) return { items: [] };
      const r = await client.listTalentPoolUsers(group, { page: c.p, perPage });
      const seen = new Set<string>();
      const items = r.results
        .filter((u) => isProvider(u) && !seen.has(u.id) && seen.add(u.id))
        .map(toTechnicianModel)
        .filter((t) => keep(t.updatedAt));
      const nextInGroup = r.results.length ? nextPageOf(r.metadata, r.results.length, perPage) : undefined;
      c = nextInGroup !== undefined ? { g: c.g, p: nextInGroup } : { g: c.g.slice(1), p: 1 };
      const more = c.g.length > 0;
      if (items.length > 0 || !more) return { items, ...(more ? { nextCursor: encodeCursor(c) } : {}) };
    }
  }

  /**
   * The `f_` filters of a work-order list. `f_updated_date` is `from,to` with both ends inclusive
   * to the second (an open end stays empty: `from,` runs on; a bare date without the comma would be
   * one day), so the window's exclusive end is sent as the last second before it. Status words go
   * to `f_status` in the vendor's spelling, unless one has no documented id (then all are matched
   * client-side, see `workOrderKeep`).
   */
  function workOrderFilters(query: ListQuery, range: { from?: number; to?: number }): Record<string, string> {
    const f: Record<string, string> = {};
    if (range.from !== undefined || range.to !== undefined) {
      const end = (ms: number | undefined) => (ms === undefined ? '' : toFieldNationTime(new Date(ms).toISOString()));
      f.f_updated_date = `${end(range.from)},${end(range.to)}`;
    }
    if (query.customerId !== undefined) f.f_client = query.customerId;
    if (query.locationId !== undefined) f.f_location = query.locationId;
    const names = serverStatusNames(query);
    if (names) f.f_status = names.join(',');
    return f;
  }

  /** The `f_status` names of the asked status words, or undefined when one has no documented id (or none is asked). */
  function serverStatusNames(query: ListQuery): string[] | undefined {
    if (!query.sourceStatuses?.length) return undefined;
    const names = query.sourceStatuses.map((w) => F_STATUS_NAMES.get(statusKey(w)));
    return names.every((n): n is string => n !== undefined) ? [...new Set(names)] : undefined;
  }

  async function listKind(kind: Exclude<FnKind, 'appointment'>, query: ListQuery): Promise<Page<ModelByKind[FnKind]>> {
    const window = checkQuery(kind, query);
    const inTimeWindow = inTime(window);
    // Lists without a server-side time filter count everything: no total once one is asked.
    const timeFiltered = window.since !== undefined || window.before !== undefined;
    switch (kind) {
      case 'customer':
        return numberedPage('customer.list', query, (p) => client.listClients(p), toCustomerModel, (m) => inTimeWindow(m.updatedAt), !timeFiltered);
      case 'location': {
        const ids = query.customerId !== undefined ? [query.customerId] : undefined;
        if (ids && !/^\d+$/.test(query.customerId!)) return { items: [], total: 0 };
        return numberedPage('location.list', query, (p) => client.listLocations(p, ids), toLocationModel, (m) => inTimeWindow(m.updatedAt), !timeFiltered);
      }
      case 'technician':
        return providerPage(query, window);
      case 'workOrder': {
        // Field Nation ids are integers: a filter on anything else matches nothing.
        if ([query.customerId, query.locationId, query.technicianId].some((v) => v !== undefined && !/^\d+$/.test(v))) return { items: [], total: 0 };
        const range = serverRange(window, TIME_PRECISION_MS, 'inclusive');
        if (range.empty) return { items: [], total: 0 };
        const filters = workOrderFilters(query, range);
        const tech = query.technicianId;
        const statuses = query.sourceStatuses?.length ? new Set(query.sourceStatuses.map(statusKey)) : undefined;
        return numberedPage(
          'workOrder.list',
          query,
          (p) => client.listWorkOrders(p, filters),
          toWorkOrder,
          // The server's range is whole seconds: the window is trimmed to the millisecond here.
          (m) =>
            (tech === undefined || m.technicianRefs.some((t) => t.id === tech)) &&
            (!statuses || statuses.has(statusKey(m.sourceStatus ?? ''))) &&
            inTimeWindow(m.updatedAt),
          // `metadata.total` counts the server-side query (technician and trims are ours): sizing only.
          true,
        );
      }
    }
  }

  /** Every record of a multi-valued filter over all pages, grouped by parent id. */
  async function byParents<W>(
    parentIds: readonly string[],
    read: (ids: string[], p: PageParams) => Promise<FieldNationListWire<W>>,
    parentOf: (w: W) => string | undefined,
  ): Promise<Map<string, W[]>> {
    const out = new Map<string, W[]>(parentIds.map((id) => [id, []]));
    const ids = [...new Set(parentIds.filter((id) => /^\d+$/.test(id)))];
    await mapWithConcurrency(chunk(ids, FIELD_NATION_FILTER_IDS), concurrency, async (group) => {
      for (let page: number | undefined = 1; page !== undefined; ) {
        const r = await read(group, { page, perPage: FIELD_NATION_MAX_PAGE_SIZE });
        for (const w of r.results) {
          const p = parentOf(w);
          if (p !== undefined) out.get(p)?.push(w);
        }
        page = r.results.length ? nextPageOf(r.metadata, r.results.length, FIELD_NATION_MAX_PAGE_SIZE) : undefined;
      }
    });
    return out;
  }

  async function childrenOf(kind: EntityKind, parent: ParentKind, parentIds: readonly string[]): Promise<Map<string, unknown[]>> {
    const rel = `${kind}<-${parent}`;
    const mapValues = <W, M>(m: Map<string, W[]>, f: (w: W) => M) => new Map([...m].map(([k, v]) => [k, v.map(f)]));
    switch (rel) {
      case 'location<-customer':
        return mapValues(await byParents(parentIds, (ids, p) => client.listLocations(p, ids), (l) => l.client?.id), toLocationModel);
      case 'workOrder<-customer':
        return mapValues(await byParents(parentIds, (ids, p) => client.listWorkOrders(p, { f_client: ids.join(',') }), (w) => w.client?.id), toWorkOrder);
      case 'workOrder<-location':
        return mapValues(
          await byParents(parentIds, (ids, p) => client.listWorkOrders(p, { f_location: ids.join(',') }), (w) => (w.location?.id && (!w.location.mode || w.location.mode === 'saved') ? w.location.id : undefined)),
          toWorkOrder,
        );
      default:
        throw fail('invalid_request', `${kind}.children`, `Field Nation cannot read ${rel}`);
    }
  }

  // ---------------------------------------------------------------- writes

  async function mustGetWorkOrder(id: string, operation: string): Promise<FieldNationWorkOrderWire> {
    const w = await client.getWorkOrder(id);
    if (!w) throw fail('not_found', operation, `work order ${id} not found`, { status: 404 });
    return w;
  }

  /**
   * One lifecycle step (publish, assign, approve...). Not retried blindly: when its answer is lost
   * the work order is read again and the step counts as done if `done` holds.
   */
  function step(id: string, write: () => Promise<FieldNationWorkOrderWire>, done: (w: FieldNationWorkOrderWire) => boolean): Promise<FieldNationWorkOrderWire> {
    return writeOnce({
      write,
      lookup: async () => {
        const w = await client.getWorkOrder(id);
        return w && done(w) ? w : null;
      },
    });
  }

  /**
   * The error of a compound write's failed step. When earlier steps changed something it is a
   * {@link PartialWriteError} naming the records written or changed and, in its message, every step
   * done before (compensations included); otherwise the step's own error.
   */
  function stepError(e: unknown, operation: string, what: string, done: readonly string[], completed: readonly RecordRef[]): ConnectorError {
    const c = e instanceof ConnectorError ? e : fail('unavailable', operation, `${what} failed`, { cause: e });
    if (done.length === 0) return c;
    return new PartialWriteError({ cause: c, completed: [...completed], failedStep: what, message: `${what} failed: ${c.message}; done before: ${done.join(', ')}` });
  }

  const assigneeOf = (w: FieldNationWorkOrderWire): string | undefined => w.assignee?.user?.id ?? undefined;

  /** Assigns `provider`, publishing a draft first and unassigning another provider (re-assigned if the new assignment fails). */
  async function assignProvider(id: string, w: FieldNationWorkOrderWire, provider: string, done: string[], operation: string): Promise<FieldNationWorkOrderWire> {
    if (assigneeOf(w) === provider) return w;
    if (statusIs(w, 'Draft')) {
      w = await step(id, () => client.publish(id), (x) => !statusIs(x, 'Draft'));
      done.push('published');
    }
    const previous = assigneeOf(w);
    if (previous) {
      w = await step(id, () => client.unassign(id), (x) => assigneeOf(x) === undefined);
      done.push(`unassigned provider ${previous}`);
    }
    try {
      w = await step(id, () => client.assign(id, Number(provider)), (x) => assigneeOf(x) === provider);
      done.push(`assigned provider ${provider}`);
      return w;
    } catch (e) {
      if (previous) {
        try {
          await step(id, () => client.assign(id, Number(previous)), (x) => assigneeOf(x) === previous);
          done.push(`re-assigned provider ${previous} (compensation)`);
        } catch {
          done.push(`could NOT re-assign provider ${previous}: the work order is left without a provider`);
        }
      }
      throw stepError(e, operation, `assigning provider ${provider} to work order ${id}`, done, [{ system: VENDOR, id }]);
    }
  }

  async function dispatch(command: DispatchCommand): Promise<DispatchResult> {
    const op = 'workOrder.dispatch';
    const id = idOf(command.workOrderRef, 'workOrderRef', op);
    checkWindow(command.window, op);
    const refs = command.providerRef ? [command.providerRef] : command.technicianRefs;
    const providers = [...new Set(refs.map((r) => idOf(r, command.providerRef ? 'providerRef' : 'technicianRefs', op)))];
    if (providers.length === 0) {
      throw fail('invalid_request', op, 'a dispatch needs a provider', { fieldErrors: [{ field: 'technicianRefs', message: 'at least one provider is required' }] });
    }
    let w = await mustGetWorkOrder(id, op);
    const done: string[] = [];
    let fresh = true;
    try {
      if (!sameWindow(windowOf(w), command.window)) {
        // PUT with both start and end: Field Nation keeps an old end otherwise. Safe to repeat.
        await client.putSchedule(id, toScheduleBody(command.window));
        done.push('schedule updated');
        fresh = false;
      }
    } catch (e) {
      throw stepError(e, op, `updating the schedule of work order ${id}`, done, [{ system: VENDOR, id }]);
    }
    if (providers.length === 1) {
      w = await assignProvider(id, w, providers[0]!, done, op);
      fresh = done.some((d) => d.startsWith('assigned') || d === 'published') || fresh;
    } else {
      // Several providers: route to each (each may accept); an assignee is replaced by the offers.
      try {
        if (statusIs(w, 'Draft')) {
          w = await step(id, () => client.publish(id), (x) => !statusIs(x, 'Draft'));
          done.push('published');
          fresh = true;
        }
        const previous = assigneeOf(w);
        if (previous) {
          w = await step(id, () => client.unassign(id), (x) => assigneeOf(x) === undefined);
          done.push(`unassigned provider ${previous}`);
          fresh = true;
        }
        for (const p of providers) {
          if ((w.routes ?? []).some((r) => r.user.id === p)) continue;
          w = await step(id, () => client.route(id, Number(p)), (x) => (x.routes ?? []).some((r) => r.user.id === p));
          done.push(`routed to provider ${p}`);
          fresh = true;
        }
      } catch (e) {
        throw stepError(e, op, `routing work order ${id}`, done, [{ system: VENDOR, id }]);
      }
    }
    if (!fresh) w = await mustGetWorkOrder(id, op);
    const model = toWorkOrder(w);
    return { workOrder: model, appointment: model.embedded?.appointments?.[0] ?? null };
  }

  /** Finds the work order a lost create made, by our external reference in its custom field. */
  async function findByExternalReference(reference: string, title: string, startedAt: number, fields: CustomFieldNames): Promise<FieldNationWorkOrderWire | null> {
    // Created at about `startedAt` by the vendor's clock: a day either side covers any skew.
    const from = toFieldNationTime(new Date(startedAt - 86_400_000).toISOString());
    for (let page: number | undefined = 1; page !== undefined; ) {
      const r = await client.listWorkOrders({ page, perPage: FIELD_NATION_MAX_PAGE_SIZE }, { f_created_date: `${from},` }, { sort: 'created', order: 'desc' });
      for (const w of r.results) {
        if (w.custom_fields) {
          if (customFieldValue(w.custom_fields, fields.externalReference) === reference) return w;
        } else if (w.title?.trim() === title) {
          // The list left custom fields out (columns/view): read them for the likely candidates only.
          if (customFieldValue(await client.getCustomFields(w.id), fields.externalReference) === reference) return (await client.getWorkOrder(w.id)) ?? w;
        }
      }
      page = r.results.length ? nextPageOf(r.metadata, r.results.length, FIELD_NATION_MAX_PAGE_SIZE) : undefined;
    }
    return null;
  }

  async function createWorkOrder(command: CreateWorkOrderCommand): Promise<WorkOrderModel> {
    const op = 'workOrder.create';
    const settings = { ...baseSettings, ...(command.vendorSettings ?? {}) };
    const fields = fieldNames(settings);
    const invalid = (field: string, message: string) => fail('invalid_request', op, `${field}: ${message}`, { fieldErrors: [{ field, message }] });
    if (!command.window) throw invalid('window', 'a Field Nation work order needs a service window');
    checkWindow(command.window, op);

    const defs = await customFieldDefs();
    const extField = settings.externalReferenceFieldId ?? defs.find((d) => d.name.trim().toLowerCase() === fields.externalReference.toLowerCase())?.id;
    if (!extField) throw invalid('externalReference', `the company has no custom field "${fields.externalReference}" to stamp it in`);
    const tows = await typesOfWork();
    // Without a configured id: the service type's own match, else the type of work configured by name (`settings.typeOfWork`).
    const byName = settings.typeOfWork ? tows.find((t) => t.name.trim().toLowerCase() === settings.typeOfWork!.trim().toLowerCase())?.id : undefined;
    const typeOfWork = matchTypeOfWork(command.serviceType, tows, settings.typeOfWorkId) ?? (settings.typeOfWorkId === undefined && byName !== undefined ? matchTypeOfWork(command.serviceType, tows, byName) : undefined);
    if (!typeOfWork) throw invalid('serviceType', `"${command.serviceType}" names no single Field Nation type of work; configure settings.typeOfWorkId or settings.typeOfWork`);
    const pay = settings.payAmount ? { type: settings.payType === 'hourly' ? ('hourly' as const) : ('fixed' as const), amount: settings.payAmount, ...(settings.payUnits ? { units: settings.payUnits } : {}) } : undefined;

    const done: string[] = [];
    const written: RecordRef[] = [];
    let clientId: string;
    let fallbackAddress = 'new' in command.customer ? command.customer.new.address : undefined;
    if ('ref' in command.customer) {
      clientId = idOf(command.customer.ref, 'customer', op);
    } else {
      // No external reference fits on a client: a lost answer here is reported, not retried.
      const created = await client.createClient(toClientCreateBody(command.customer.new));
      clientId = created.id;
      done.push(`created client ${created.id}`);
      written.push({ system: VENDOR, id: created.id });
    }
    let location: FieldNationLocationInputWire;
    try {
      if (command.location && 'ref' in command.location) location = { mode: 'saved', id: Number(idOf(command.location.ref, 'location', op)) };
      else if (command.location) location = toCustomLocation(command.location.address);
      else {
        if (!fallbackAddress) fallbackAddress = toAddress((await client.getClient(clientId))?.address);
        if (!fallbackAddress) throw invalid('location', 'no location given and the customer has no address');
        location = toCustomLocation(fallbackAddress);
      }
    } catch (e) {
      throw stepError(e, op, 'resolving the location', done, written);
    }
    const resolved: ResolvedCreate = {
      typeOfWork,
      location,
      clientId: Number(clientId),
      ...(settings.projectId && /^\d+$/.test(settings.projectId) ? { projectId: Number(settings.projectId) } : {}),
      ...(pay ? { pay } : {}),
      externalReferenceFieldId: Number(extField),
    };
    let body;
    try {
      body = toCreateWorkOrderBody(command, resolved);
    } catch (e) {
      throw invalid('parts', e instanceof Error ? e.message : String(e));
    }
    const startedAt = Date.now();
    let w: FieldNationWorkOrderWire;
    try {
      w = await writeOnce({
        write: () => client.createWorkOrder(body),
        lookup: () => findByExternalReference(command.externalReference, body.title, startedAt, fields),
      });
    } catch (e) {
      throw stepError(e, op, 'creating the work order', done, written);
    }
    done.push(`created work order ${w.id}`);
    written.push({ system: VENDOR, id: w.id });
    if (command.technicianRefs?.length) {
      try {
        const r = await dispatch({ workOrderRef: { system: VENDOR, id: w.id }, technicianRefs: command.technicianRefs, window: command.window });
        if (r.workOrder) return r.workOrder;
      } catch (e) {
        throw stepError(e, op, `dispatching work order ${w.id}`, done, written);
      }
    }
    return toWorkOrder(w);
  }

  async function reasonId(settings: Record<string, string>): Promise<number> {
    if (settings.incompleteReasonId && /^\d+$/.test(settings.incompleteReasonId)) return Number(settings.incompleteReasonId);
    const reasons = await incompleteReasons();
    const r = reasons.find((x) => x.name?.trim().toLowerCase() === 'other') ?? reasons[0];
    if (!r) throw fail('invalid_request', 'workOrder.updateStatus', 'the company has no incomplete reasons');
    return Number(r.id);
  }

  async function updateStatus(command: UpdateStatusCommand): Promise<WorkOrderModel> {
    const op = 'workOrder.updateStatus';
    const id = idOf(command.workOrderRef, 'workOrderRef', op);
    const settings = baseSettings;
    let w = await mustGetWorkOrder(id, op);
    const refuse = (why: string) => fail('conflict', op, `cannot set work order ${id} (${w.status.name}) to ${command.status}: ${why}`, { vendorCode: 'INVALID_STATE_TRANSITION' });
    const done: string[] = [];
    switch (command.status) {
      case 'CANCELLED':
        if (!statusIs(w, 'Cancelled', 'Canceled', 'Deleted')) {
          const reason = command.note?.trim() || settings.cancelReason || 'Cancelled through FieldGraph';
          w = await step(id, () => client.cancel(id, reason), (x) => statusIs(x, 'Cancelled', 'Canceled', 'Deleted'));
        }
        break;
      case 'COMPLETED':
        if (statusIs(w, 'Work Done')) w = await step(id, () => client.approve(id), (x) => statusIs(x, 'Approved', 'Paid'));
        else if (!statusIs(w, 'Approved', 'Paid')) throw refuse('the provider marks the work done; the buyer can only approve done work');
        break;
      case 'SCHEDULED':
        if (statusIs(w, 'Draft')) w = await step(id, () => client.publish(id), (x) => !statusIs(x, 'Draft'));
        else if (statusIs(w, 'Assigned')) w = await step(id, () => client.unassign(id), (x) => assigneeOf(x) === undefined);
        else if (!statusIs(w, 'Published', 'Routed')) throw refuse('only a draft can be published and only an assigned work order unassigned');
        break;
      case 'NEW':
        if (statusIs(w, 'Published', 'Routed', 'Assigned')) w = await step(id, () => client.revertToDraft(id), (x) => statusIs(x, 'Draft'));
        else if (!statusIs(w, 'Draft')) throw refuse('only published, routed or assigned work orders go back to draft');
        break;
      case 'DISPATCHED': {
        const tech = command.technicianRef ? idOf(command.technicianRef, 'technicianRef', op) : undefined;
        if (statusIs(w, 'Work Done')) {
          const reason = command.note?.trim() || 'Marked incomplete through FieldGraph';
          const rid = await reasonId(settings);
          w = await step(id, () => client.incomplete(id, reason, rid), (x) => statusIs(x, 'Assigned'));
        } else if (statusIs(w, 'Assigned') && (tech === undefined || assigneeOf(w) === tech)) {
          break;
        } else if (statusIs(w, 'Draft', 'Published', 'Routed', 'Assigned')) {
          if (tech === undefined) throw fail('invalid_request', op, 'DISPATCHED needs a provider', { fieldErrors: [{ field: 'technicianRef', message: 'required to assign a provider' }] });
          w = await assignProvider(id, w, tech, done, op);
        } else {
          throw refuse('the work order is past assignment');
        }
        break;
      }
      default:
        throw fail('invalid_request', op, `Field Nation has no status write for ${command.status}`, {
          fieldErrors: [{ field: 'status', message: 'Field Nation clients can set NEW, SCHEDULED, DISPATCHED, COMPLETED or CANCELLED' }],
        });
    }
    return toWorkOrder(w);
  }

  return {
    vendor: VENDOR,
    capabilities: FIELD_NATION_CAPABILITIES,
    client,

    async get<K extends EntityKind>(kind: K, ids: readonly string[]): Promise<Array<ModelByKind[K] | null>> {
      if (!(FIELD_NATION_CAPABILITIES.entities as readonly EntityKind[]).includes(kind)) return ids.map(() => null);
      const unique = [...new Set(ids)];
      const got = await mapWithConcurrency(unique, concurrency, (id) => getOne(kind as FnKind, id));
      const byId = new Map(unique.map((id, i) => [id, got[i] ?? null]));
      return ids.map((id) => (byId.get(id) ?? null) as ModelByKind[K] | null);
    },

    async list<K extends EntityKind>(kind: K, query: ListQuery = {}): Promise<Page<ModelByKind[K]>> {
      if (!isListKind(kind)) throw fail('invalid_request', `${kind}.list`, `Field Nation cannot list ${kind} records`);
      return (await listKind(kind, query)) as Page<ModelByKind[K]>;
    },

    async *iterate<K extends EntityKind>(kind: K, query: ListQuery = {}): AsyncIterable<ModelByKind[K]> {
      // A provider may be in several talent pool groups, and pages can shift under writes: each record once.
      const seen = new Set<string>();
      for await (const item of iteratePages((cursor) => this.list(kind, { ...query, ...(cursor !== undefined ? { cursor } : {}) }), query.cursor)) {
        if (seen.has(item.ref.id)) continue;
        seen.add(item.ref.id);
        yield item;
      }
    },

    async children<K extends EntityKind>(kind: K, parent: ParentKind, parentIds: readonly string[]): Promise<Map<string, Array<ModelByKind[K]>>> {
      return (await childrenOf(kind, parent, parentIds)) as Map<string, Array<ModelByKind[K]>>;
    },

    createWorkOrder,
    dispatch,
    updateStatus,

    async ping(): Promise<void> {
      await client.ping();
    },
  };
}

