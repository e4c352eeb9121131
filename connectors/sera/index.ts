/**
 * The Sera connector (Supergood's unofficial Sera API): customers, service locations,
 * technicians, work orders with their embedded appointment, invoices and memberships, as
 * canonical models; work order creation, dispatch and status writes and membership enrolment,
 * each written at most once. See README.md beside this file for the mapping tables and decisions.
 */
import { z } from 'zod';
import { iteratePages, PartialWriteError, writeOnce } from '../core/ops.js';
import { formatInstant } from '../core/normalize.js';
import { DEFAULT_READ_CONCURRENCY, mapWithConcurrency } from '../core/resilience.js';
import { inWindow, listWindow, serverRange, WindowBoundError, type ListWindow } from '../core/window.js';
import { allItems, childrenOfWalkedList, clampPageSize, sandboxSignIn, SESSION_CONNECTION_FIELDS, type PageParams } from '../core/session-vendor.js';
import type { VendorInfo } from '../sandbox/kit.js';
import {
  ConnectorError,
  type ConnectorCapabilities,
  type ConnectorOptions,
  type CreateWorkOrderCommand,
  type DispatchCommand,
  type DispatchResult,
  type EnrollMembershipCommand,
  type FieldServiceConnector,
  type ListQuery,
  type Page,
  type ParentKind,
  type UpdateStatusCommand,
  type VendorFieldError,
} from '../types.js';
import type { AppointmentModel, EntityKind, MembershipModel, ModelByKind, TimeWindow, WorkOrderModel } from '../../src/model/index.js';
import { hasNextPage, SeraClient, type UpdatedRange } from './client.js';
import {
  appointmentWindow,
  DEFAULT_TIMEZONE,
  isTimeZone,
  parseTimestamp,
  sourceStamp,
  toAppointmentModel,
  toCommandFieldErrors,
  toCreateMembershipBody,
  toCreateWorkOrderBody,
  toCustomerModel,
  toInvoiceModel,
  toLocationModel,
  toMembershipModel,
  toSeraWindow,
  toStatusBody,
  toTechnicianModel,
  toWorkOrderModel,
  APPOINTMENT_STATUS,
  FIELD_OF_COMMAND,
  INVOICE_STATUS,
  MEMBERSHIP_STATUS,
  VENDOR,
  WORK_ORDER_STATUS,
} from './mapping.js';
import type { SeraAppointmentWire, SeraListWire, SeraMembershipWire, SeraStatusUpdateRequestWire, SeraWorkOrderWire } from './wire.js';

/** A Sera connection: where the integration is and how its user signs in. */
export const SeraConnectionSchema = z.object({
  /** `https://api.supergood.ai/integrations/<integration_id>`. */
  baseUrl: SESSION_CONNECTION_FIELDS.baseUrl,
  auth: z.object({
    /** Supergood integration client id and secret (HTTP Basic on `POST /sessions`). */
    clientId: SESSION_CONNECTION_FIELDS.clientId,
    clientSecret: SESSION_CONNECTION_FIELDS.clientSecret,
    /** The Sera user the integration acts as. */
    username: SESSION_CONNECTION_FIELDS.username,
    password: SESSION_CONNECTION_FIELDS.password,
    /** The user's TOTP secret (base32): the connector computes the MFA code at each sign-in. */
    mfa: z.object({ secret: z.string().regex(/^[A-Z2-7]+=*$/i, 'A base32 TOTP secret.') }),
  }),
  /** The business's time zone: where appointment windows are booked when a command gives UTC times. */
  timezone: z.string().refine(isTimeZone, 'An IANA time zone such as America/New_York.').default(DEFAULT_TIMEZONE),
  /** Client-side rate limit (default 10 calls/s plus a burst of 10). */
  rateLimit: SESSION_CONNECTION_FIELDS.rateLimit,
});

/** A parsed Sera connection. */
export type SeraConnection = z.infer<typeof SeraConnectionSchema>;

/** The connection of the sandbox's Sera simulator (`GET /_sandbox`). Throws a `ZodError` when the info is not a session sign-in. */
export function connectionFromSandbox(info: VendorInfo): SeraConnection {
  const s = sandboxSignIn(info);
  return SeraConnectionSchema.parse({
    baseUrl: s.baseUrl,
    auth: { clientId: s.clientId, clientSecret: s.clientSecret, username: s.username, password: s.password, mfa: { secret: s.totpSecret } },
  });
}

type Kind = 'customer' | 'location' | 'technician' | 'workOrder' | 'appointment' | 'invoice' | 'membership';
const KINDS: readonly Kind[] = ['customer', 'location', 'technician', 'workOrder', 'appointment', 'invoice', 'membership'];

/** Sera keeps modification times to the second. */
const TIME_PRECISION_MS = 1000;

/** What Sera can do; README.md gives the cost of each relation. */
export const SERA_CAPABILITIES: ConnectorCapabilities = {
  entities: KINDS,
  lists: KINDS,
  // `updatedFrom` (inclusive) on these lists; memberships and technicians filter client-side.
  incremental: ['customer', 'location', 'workOrder', 'invoice'],
  // ... with `updatedTo` (exclusive). Appointments are read from the work-order list (each work
  // order embeds its one appointment, modified with it).
  windows: ['customer', 'location', 'workOrder', 'appointment', 'invoice'],
  timePrecisionMs: TIME_PRECISION_MS,
  statuses: { workOrder: WORK_ORDER_STATUS, appointment: APPOINTMENT_STATUS, invoice: INVOICE_STATUS, membership: MEMBERSHIP_STATUS },
  // Sera has no batch look-up (`ids=`): one GET per id, `concurrency` at a time.
  batchSize: {},
  relations: [
    'appointment<-workOrder',
    'appointment<-technician',
    'workOrder<-customer',
    'workOrder<-location',
    'workOrder<-technician',
    'invoice<-workOrder',
    'invoice<-customer',
    'membership<-customer',
    'location<-customer',
  ],
  writes: ['createWorkOrder', 'dispatch', 'updateStatus', 'enrollMembership'],
};

/** How far back a look-before-write searches by modification time (covers clock skew generously). */
const LOOKUP_WINDOW_MS = 24 * 3600_000;

function isKind(kind: EntityKind): kind is Kind {
  return (KINDS as readonly string[]).includes(kind);
}

/** A refusal of a command the connector can tell without calling Sera. */
function refused(operation: string, fieldErrors: VendorFieldError[]): ConnectorError {
  return new ConnectorError({
    kind: 'invalid_request',
    vendor: VENDOR,
    operation,
    message: `Sera cannot take this command: ${fieldErrors.map((f) => `${f.field}: ${f.message}`).join('; ')}`,
    fieldErrors,
  });
}

/**
 * `e` with Sera's field names replaced by the command's: only for a plain ConnectorError that Sera
 * answered (it has a status); refusals made here already name the command's fields.
 */
function withCommandFields(write: keyof typeof FIELD_OF_COMMAND, e: unknown): unknown {
  if (!(e instanceof ConnectorError) || e.constructor !== ConnectorError || e.status === undefined || e.fieldErrors.length === 0) return e;
  return new ConnectorError({
    kind: e.kind,
    vendor: e.vendor,
    operation: e.operation,
    message: e.message,
    ...(e.status !== undefined ? { status: e.status } : {}),
    ...(e.retryAfterMs !== undefined ? { retryAfterMs: e.retryAfterMs } : {}),
    fieldErrors: toCommandFieldErrors(write, e.fieldErrors),
    ...(e.vendorCode !== undefined ? { vendorCode: e.vendorCode } : {}),
    ...(e.cause !== undefined ? { cause: e.cause } : {}),
  });
}

/**
 * `e` with every trace of `secret` removed: message and field errors scrubbed, a cause that
 * mentions it dropped. Any other error that mentions it becomes a generic ConnectorError.
 */
function withoutSecret(e: unknown, secret: string | undefined, operation: string): unknown {
  if (!secret) return e;
  const mentionedBy = (x: unknown) => {
    const o = x as { message?: unknown; stack?: unknown } | null | undefined;
    return [String(x), String(o?.message ?? ''), String(o?.stack ?? '')].some((s) => s.includes(secret));
  };
  if (!(e instanceof ConnectorError)) {
    return mentionedBy(e) ? new ConnectorError({ kind: 'bad_response', vendor: VENDOR, operation, message: 'Sera membership enrolment failed unexpectedly.' }) : e;
  }
  const scrub = (s: string) => s.split(secret).join('[redacted]');
  const cause = e.cause;
  const causeMentions = cause !== undefined && mentionedBy(cause);
  const mentions = e.message.includes(secret) || e.fieldErrors.some((f) => f.field.includes(secret) || f.message.includes(secret));
  if (!mentions && !causeMentions) return e;
  return new ConnectorError({
    kind: e.kind,
    vendor: e.vendor,
    operation: e.operation,
    message: scrub(e.message),
    ...(e.status !== undefined ? { status: e.status } : {}),
    ...(e.retryAfterMs !== undefined ? { retryAfterMs: e.retryAfterMs } : {}),
    fieldErrors: e.fieldErrors.map((f) => ({ field: scrub(f.field), message: scrub(f.message) })),
    ...(e.vendorCode !== undefined ? { vendorCode: e.vendorCode } : {}),
    ...(cause !== undefined && !causeMentions ? { cause } : {}),
  });
}

/** True when Sera's appointment covers the same instants as `window`. */
function sameWindow(a: SeraAppointmentWire | null | undefined, window: TimeWindow, defaultTimeZone: string): boolean {
  if (!a) return false;
  const w = appointmentWindow(a, defaultTimeZone);
  return parseTimestamp(w.start) === parseTimestamp(window.start) && parseTimestamp(w.end) === parseTimestamp(window.end);
}

/** Parses a list cursor: a 1-based page number, optionally after a phase (`inactive:3`). */
function parseCursor(cursor: string | undefined, phases?: readonly string[]): { phase: number; page: number } {
  if (cursor === undefined || cursor === '') return { phase: 0, page: 1 };
  const m = /^(?:([a-z]+):)?([1-9]\d{0,8})$/.exec(cursor);
  const phase = m?.[1] === undefined ? 0 : (phases ?? []).indexOf(m[1]);
  if (!m || phase < 0 || (m[1] !== undefined && !phases)) {
    throw new ConnectorError({ kind: 'invalid_request', vendor: VENDOR, operation: 'list', message: 'Not a Sera list cursor.' });
  }
  return { phase, page: Number(m[2]) };
}

/** A status word as Sera writes it: lower case, `canceled` as `cancelled`. */
function statusWord(word: string): string {
  const w = word.trim().toLowerCase();
  return w === 'canceled' ? 'cancelled' : w;
}

/** One fetched page: its items (already filtered) and where the next one starts. */
interface RawPage<T> {
  items: T[];
  next?: string | undefined;
  total?: number | undefined;
}

/** The Sera implementation of {@link FieldServiceConnector}. */
class SeraConnector implements FieldServiceConnector {
  readonly vendor = VENDOR;
  readonly capabilities = SERA_CAPABILITIES;
  private readonly client: SeraClient;
  private readonly concurrency: number;
  private readonly timeZone: string;
  private readonly trade: string | undefined;
  /** The account, for the memory of list sizes. */
  private readonly account: string;

  constructor(connection: SeraConnection, options: ConnectorOptions) {
    this.account = `${VENDOR}:${connection.baseUrl}:${connection.auth.username}`;
    this.client = new SeraClient(
      {
        baseUrl: connection.baseUrl,
        clientId: connection.auth.clientId,
        clientSecret: connection.auth.clientSecret,
        username: connection.auth.username,
        password: connection.auth.password,
        totpSecret: connection.auth.mfa.secret,
        rateLimit: connection.rateLimit,
      },
      options,
    );
    this.concurrency = options.concurrency !== undefined && options.concurrency >= 1 ? Math.floor(options.concurrency) : DEFAULT_READ_CONCURRENCY;
    this.timeZone = connection.timezone;
    this.trade = options.settings?.trade;
  }

  // ------------------------------------------------------------ reads

  async get<K extends EntityKind>(kind: K, ids: readonly string[]): Promise<Array<ModelByKind[K] | null>> {
    if (!isKind(kind)) return ids.map(() => null);
    const unique = [...new Set(ids)];
    const found = await mapWithConcurrency(unique, this.concurrency, (id) => this.getOne(kind, id));
    const byId = new Map(unique.map((id, i) => [id, found[i] ?? null]));
    return ids.map((id) => (byId.get(id) ?? null) as ModelByKind[K] | null);
  }

  private async getOne(kind: Kind, id: string): Promise<ModelByKind[Kind] | null> {
    if (!id) return null;
    switch (kind) {
      case 'customer': {
        const w = await this.client.getCustomer(id);
        return w && toCustomerModel(w);
      }
      case 'location': {
        const w = await this.client.getLocation(id);
        return w && toLocationModel(w);
      }
      case 'technician': {
        const w = await this.client.getTechnician(id);
        return w && toTechnicianModel(w);
      }
      case 'workOrder': {
        const w = await this.client.getWorkOrder(id);
        return w && toWorkOrderModel(w, this.timeZone);
      }
      case 'appointment': {
        // An appointment is addressed by its work order's id: reading it is reading the work order.
        const w = await this.client.getWorkOrder(id);
        return w && toAppointmentModel(w, this.timeZone);
      }
      case 'invoice': {
        const w = await this.client.getInvoice(id);
        return w && toInvoiceModel(w);
      }
      case 'membership': {
        const w = await this.client.getMembership(id);
        return w && toMembershipModel(w);
      }
    }
  }

  async list<K extends EntityKind>(kind: K, query: ListQuery = {}): Promise<Page<ModelByKind[K]>> {
    if (!isKind(kind)) return { items: [] };
    const pageSize = clampPageSize(query.pageSize);
    const window = this.windowOf(kind, query);
    const range = serverRange(window, TIME_PRECISION_MS, 'exclusive');
    // No whole second lies in the window: nothing to ask.
    if (range.empty) return { items: [], total: 0 };
    const updated: UpdatedRange = {
      ...(range.from !== undefined ? { updatedFrom: formatInstant(range.from) } : {}),
      ...(range.to !== undefined ? { updatedTo: formatInstant(range.to) } : {}),
    };
    // Never hand back an empty page with a next cursor (page walkers stop at an empty page): a
    // page emptied by client-side filters is followed by the next one.
    let cursor = query.cursor;
    // The count of the page asked for (customers count both phases on their first page only).
    let total: number | undefined;
    for (let first = true; ; first = false) {
      const page = await this.fetchPage(kind, query, cursor, pageSize, window, updated);
      if (first) total = page.total;
      if (page.items.length > 0 || !page.next) {
        return {
          items: page.items as Array<ModelByKind[K]>,
          ...(page.next ? { nextCursor: page.next } : {}),
          ...(total !== undefined ? { total } : {}),
        };
      }
      cursor = page.next;
    }
  }

  async *iterate<K extends EntityKind>(kind: K, query: ListQuery = {}): AsyncIterable<ModelByKind[K]> {
    // Sera pages by number over id order: a record created mid-walk shifts later pages, so a record
    // can come twice. Each is yielded once.
    const seen = new Set<string>();
    for await (const item of iteratePages((cursor) => this.list(kind, { ...query, ...(cursor !== undefined ? { cursor } : {}) }), query.cursor)) {
      if (seen.has(item.ref.id)) continue;
      seen.add(item.ref.id);
      yield item;
    }
  }

  /** The time window of a list query. Throws `invalid_request` when a bound is not an ISO 8601 instant. */
  private windowOf(kind: Kind, q: ListQuery): ListWindow {
    try {
      return listWindow(q);
    } catch (e) {
      if (!(e instanceof WindowBoundError)) throw e;
      throw new ConnectorError({ kind: 'invalid_request', vendor: VENDOR, operation: `${kind}.list`, message: `${e.field} must be an ISO 8601 timestamp.`, fieldErrors: [{ field: e.field, message: 'expected ISO 8601' }] });
    }
  }

  /**
   * One Sera page of `kind` under `query`: server-side filters where Sera has them, client-side
   * otherwise. `updated` is the window as Sera's `updatedFrom`/`updatedTo` (whole seconds, `to`
   * exclusive); every item is checked against the exact `window` too, since its ends may fall
   * within a second. `total` is Sera's count of the server-side query, on the first page.
   */
  private async fetchPage(kind: Kind, q: ListQuery, cursor: string | undefined, pageSize: number, window: ListWindow, updated: UpdatedRange): Promise<RawPage<ModelByKind[Kind]>> {
    const timed = window.since !== undefined || window.before !== undefined;
    const newerThan = (updatedAt: string | undefined) => inWindow(window, updatedAt);
    // Status words in Sera's spelling: the US `canceled` of the mapping tables is Sera's `cancelled`.
    const statuses = q.sourceStatuses && q.sourceStatuses.length > 0 ? new Set(q.sourceStatuses.map(statusWord)) : undefined;
    const oneStatus = statuses?.size === 1 ? [...statuses][0] : undefined;
    const statusOk = (s: string) => !statuses || statuses.has(statusWord(s));
    /** A numbered list; `countable`: Sera's `total` counts the server-side query (none when the list cannot apply a time window asked for). */
    const numbered = async <W, M extends { ref: { id: string }; updatedAt?: string }>(
      fetch: (paging: PageParams) => Promise<SeraListWire<W> | null>,
      map: (w: W) => M | null,
      keep: (m: M, w: W) => boolean,
      countable: boolean,
    ): Promise<RawPage<M>> => {
      const { page } = parseCursor(cursor);
      const r = await fetch({ page, pageSize });
      if (!r) return { items: [] };
      const items: M[] = [];
      for (const w of r.items) {
        const m = map(w);
        if (m && keep(m, w) && newerThan(m.updatedAt)) items.push(m);
      }
      return { items, next: hasNextPage(r, page, pageSize) ? String(page + 1) : undefined, total: countable && typeof r.total === 'number' ? r.total : undefined };
    };

    switch (kind) {
      case 'customer': {
        // Sera's customer item says nothing about being active, but its list filters on it: walk
        // the active customers, then the inactive ones, and each customer knows which it is. The
        // first page counts both phases (one more call, a page of one, for the inactive count).
        const phases = ['active', 'inactive'] as const;
        const { phase, page } = parseCursor(cursor, phases);
        const status = phases[phase]!;
        const first = cursor === undefined || cursor === '';
        const [r, inactive] = await Promise.all([
          this.client.listCustomers({ page, pageSize }, { status, ...updated }),
          first ? this.client.listCustomers({ page: 1, pageSize: 1 }, { status: 'inactive', ...updated }) : undefined,
        ]);
        const next = hasNextPage(r, page, pageSize) ? `${status}:${page + 1}` : phase === 0 ? `${phases[1]}:1` : undefined;
        const total = typeof r.total === 'number' && typeof inactive?.total === 'number' ? r.total + inactive.total : undefined;
        const items = r.items.map((w) => toCustomerModel(w, status === 'active')).filter((m) => newerThan(m.updatedAt));
        return { items, next, total };
      }
      case 'location':
        if (q.customerId) {
          // A customer's own location list takes no update range: the window is applied here.
          return numbered((p) => this.client.listCustomerLocations(q.customerId!, p), toLocationModel, () => true, !timed);
        }
        return numbered((p) => this.client.listLocations(p, updated), toLocationModel, () => true, true);
      case 'technician':
        // No update range on technicians: the window is applied here.
        return numbered((p) => this.client.listTechnicians(p), toTechnicianModel, () => true, !timed);
      case 'workOrder':
      case 'appointment': {
        if (q.workOrderId) {
          if (parseCursor(cursor).page > 1) return { items: [] };
          const w = await this.client.getWorkOrder(q.workOrderId);
          const m = w && (kind === 'workOrder' ? toWorkOrderModel(w, this.timeZone) : toAppointmentModel(w, this.timeZone));
          const keep =
            w && m && (!q.customerId || w.customerId === q.customerId) && (!q.locationId || w.serviceLocationId === q.locationId) && statusOk(w.status) && newerThan(m.updatedAt);
          return { items: keep ? [m] : [] };
        }
        // Sera counts the work orders of the server-side query: location, several statuses, the
        // technician of an appointment and work orders without an appointment are filtered here.
        return numbered<SeraWorkOrderWire, ModelByKind['workOrder'] | ModelByKind['appointment']>(
          (p) => this.client.listWorkOrders(p, { customerId: q.customerId, technicianId: q.technicianId, status: oneStatus, ...updated }),
          (w) => (kind === 'workOrder' ? toWorkOrderModel(w, this.timeZone) : toAppointmentModel(w, this.timeZone)),
          (m, w) =>
            (!q.locationId || w.serviceLocationId === q.locationId) &&
            statusOk(w.status) &&
            (kind !== 'appointment' || !q.technicianId || (m as AppointmentModel).technicianRefs.some((t) => t.id === q.technicianId)),
          true,
        );
      }
      case 'invoice':
        return numbered(
          (p) => this.client.listInvoices(p, { customerId: q.customerId, workOrderId: q.workOrderId, status: oneStatus, ...updated }),
          toInvoiceModel,
          (m) => (!q.locationId || m.locationRef?.id === q.locationId) && statusOk(m.sourceStatus ?? ''),
          true,
        );
      case 'membership':
        // No update range on memberships: a window is applied here.
        return numbered(
          (p) => this.client.listMemberships(p, { customerId: q.customerId, status: oneStatus }),
          toMembershipModel,
          (m) => (!q.locationId || m.locationRef?.id === q.locationId) && statusOk(m.sourceStatus),
          !timed,
        );
    }
  }

  async children<K extends EntityKind>(kind: K, parent: ParentKind, parentIds: readonly string[]): Promise<Map<string, Array<ModelByKind[K]>>> {
    const unique = [...new Set(parentIds)];
    const out = new Map<string, Array<ModelByKind[K]>>(unique.map((id) => [id, []]));
    const put = (id: string, items: ReadonlyArray<ModelByKind[Kind]>) => out.set(id, items as Array<ModelByKind[K]>);
    const perParent = async (fn: (id: string) => Promise<ReadonlyArray<ModelByKind[Kind]>>) => {
      const results = await mapWithConcurrency(unique, this.concurrency, fn);
      unique.forEach((id, i) => put(id, results[i]!));
    };
    const workOrdersWhere = (filters: { customerId?: string; technicianId?: string }) =>
      allItems((p) => this.client.listWorkOrders(p, filters));

    switch (`${kind}<-${parent}`) {
      case 'appointment<-workOrder': {
        // Sera embeds the appointment in its work order: the work orders themselves, nothing more.
        const workOrders = await this.get('workOrder', unique);
        unique.forEach((id, i) => put(id, workOrders[i]?.embedded?.appointments ?? []));
        break;
      }
      case 'appointment<-technician':
        await perParent(async (tech) =>
          (await workOrdersWhere({ technicianId: tech }))
            .map((w) => toAppointmentModel(w, this.timeZone))
            .filter((a): a is AppointmentModel => a !== null && a.technicianRefs.some((t) => t.id === tech)),
        );
        break;
      case 'workOrder<-customer':
        await perParent(async (id) => (await workOrdersWhere({ customerId: id })).map((w) => toWorkOrderModel(w, this.timeZone)));
        break;
      case 'workOrder<-technician':
        await perParent(async (id) => (await workOrdersWhere({ technicianId: id })).map((w) => toWorkOrderModel(w, this.timeZone)));
        break;
      case 'workOrder<-location': {
        // No location filter on work orders: find each location's customer, list each customer's
        // work orders once, and keep those at the asked locations.
        const locations = await this.get('location', unique);
        const customers = [...new Set(locations.flatMap((l) => (l?.customerRef ? [l.customerRef.id] : [])))];
        const lists = await mapWithConcurrency(customers, this.concurrency, (id) => workOrdersWhere({ customerId: id }));
        const wanted = new Set(unique);
        for (const w of lists.flat()) {
          if (w.serviceLocationId && wanted.has(w.serviceLocationId)) out.get(w.serviceLocationId)!.push(toWorkOrderModel(w, this.timeZone) as ModelByKind[K]);
        }
        break;
      }
      case 'invoice<-workOrder':
        // `workOrderId=` is single-valued: one call per work order, or one walk of all invoices.
        for (const [id, list] of await childrenOfWalkedList({
          key: `${this.account}:invoices`,
          walks: this.client.walks,
          list: 'invoices',
          parents: unique,
          parentOfItem: (w) => w.workOrderId,
          parentOf: (i) => i.workOrderRef?.id,
          map: toInvoiceModel,
          perParent: async (id) => (await allItems((p) => this.client.listInvoices(p, { workOrderId: id }))).map(toInvoiceModel),
          concurrency: this.concurrency,
        }))
          put(id, list);
        break;
      case 'invoice<-customer':
        await perParent(async (id) => (await allItems((p) => this.client.listInvoices(p, { customerId: id }))).map(toInvoiceModel));
        break;
      case 'membership<-customer':
        // `customerId=` is single-valued: one call per customer, or one walk of all memberships.
        for (const [id, list] of await childrenOfWalkedList({
          key: `${this.account}:memberships`,
          walks: this.client.walks,
          list: 'memberships',
          parents: unique,
          parentOfItem: (w) => w.customerId,
          parentOf: (m) => m.customerRef?.id,
          map: toMembershipModel,
          perParent: async (id) => (await allItems((p) => this.client.listMemberships(p, { customerId: id }))).map(toMembershipModel),
          concurrency: this.concurrency,
        }))
          put(id, list);
        break;
      case 'location<-customer':
        await perParent(async (id) => ((await allItems((p) => this.client.listCustomerLocations(id, p))) ?? []).map(toLocationModel));
        break;
      default:
        // Sera holds no equipment and no claims: every parent has none.
        break;
    }
    return out;
  }

  // ------------------------------------------------------------ writes

  /**
   * `POST /work-orders`, stamped with `source: fieldgraph:<externalReference>`. A lost answer is
   * resolved by looking the stamp up among the customer's recently modified work orders before
   * writing again. One more GET returns the full work order.
   */
  async createWorkOrder(c: CreateWorkOrderCommand): Promise<WorkOrderModel> {
    const op = 'workOrders.create';
    if (!('ref' in c.customer)) {
      throw refused(op, [{ field: 'customer', message: "Sera's API creates no customers: give the ref of an existing Sera customer." }]);
    }
    const customerId = c.customer.ref.id;
    try {
      const serviceLocationId = await this.locationFor(op, customerId, c.location);
      const built = toCreateWorkOrderBody(c, { customerId, serviceLocationId, timeZone: this.timeZone, trade: this.trade });
      if ('fieldErrors' in built) throw refused(op, built.fieldErrors);
      const stamp = sourceStamp(c.externalReference);
      const since = formatInstant(Date.now() - LOOKUP_WINDOW_MS);
      const written = await writeOnce<{ id: string; wire?: SeraWorkOrderWire }>({
        write: async () => ({ id: (await this.client.createWorkOrder(built.body)).workOrderId }),
        lookup: async () => {
          const recent = await allItems((p) => this.client.listWorkOrders(p, { customerId, updatedFrom: since }));
          const w = recent.find((x) => x.source === stamp);
          return w ? { id: w.workOrderId, wire: w } : null;
        },
      });
      return toWorkOrderModel(written.wire ?? (await this.readBack(op, written.id)), this.timeZone);
    } catch (e) {
      throw withCommandFields('createWorkOrder', e);
    }
  }

  /** The service location of a new work order: the given one, the customer's at that address, or the default. */
  private async locationFor(op: string, customerId: string, location: CreateWorkOrderCommand['location']): Promise<string> {
    if (location && 'ref' in location) return location.ref.id;
    if (location && 'address' in location) {
      const norm = (s: string | undefined) => (s ?? '').toLowerCase().replace(/[^a-z0-9]/g, '');
      const all = (await allItems((p) => this.client.listCustomerLocations(customerId, p))) ?? [];
      const match = all.find((l) => norm(l.address.line1) === norm(location.address.line1) && norm(l.address.postalCode).slice(0, 5) === norm(location.address.postalCode).slice(0, 5));
      if (!match) throw refused(op, [{ field: 'location', message: "Sera's API creates no service locations: no location of this customer has that address." }]);
      return match.locationId;
    }
    const customer = await this.client.getCustomer(customerId);
    if (!customer) throw refused(op, [{ field: 'customer', message: 'No such Sera customer.' }]);
    if (!customer.defaultServiceLocation) throw refused(op, [{ field: 'location', message: 'The customer has no default service location: give one.' }]);
    return customer.defaultServiceLocation.locationId;
  }

  /** The work order a write just made or changed; its absence is an upstream fault. */
  private async readBack(op: string, id: string): Promise<SeraWorkOrderWire> {
    const w = await this.client.getWorkOrder(id);
    if (!w) throw new ConnectorError({ kind: 'bad_response', vendor: VENDOR, operation: op, message: `Sera wrote work order ${id} but does not return it.` });
    return w;
  }

  /**
   * One status write, at most once: when the answer is lost, the work order is read and the write
   * counts as done if it shows the status (and technician) asked for.
   */
  private async patchStatus(id: string, body: SeraStatusUpdateRequestWire, operation: string, done?: (w: SeraWorkOrderWire) => boolean): Promise<void> {
    await writeOnce({
      write: async () => {
        await this.client.updateWorkOrderStatus(id, body, operation);
        return true;
      },
      lookup: async () => {
        const w = await this.client.getWorkOrder(id);
        if (!w) return null;
        const ok = done ? done(w) : w.status === body.status && (!body.assignedTechnicianId || w.assignedTechnicianId === body.assignedTechnicianId);
        return ok ? true : null;
      },
    });
  }

  /** `PATCH /work-orders/{id}/status`, then the work order as it now is. */
  async updateStatus(c: UpdateStatusCommand): Promise<WorkOrderModel> {
    const op = 'workOrders.status';
    const built = toStatusBody(c);
    if ('fieldErrors' in built) throw refused(op, built.fieldErrors);
    try {
      await this.patchStatus(c.workOrderRef.id, built.body, op);
      return toWorkOrderModel(await this.readBack(op, c.workOrderRef.id), this.timeZone);
    } catch (e) {
      throw withCommandFields('updateStatus', e);
    }
  }

  /**
   * Books a technician and a window: `PATCH status` to `scheduled` with the window and technician
   * (from new, scheduled or on hold). Sera changes a window only with status `scheduled` and a
   * dispatched job cannot go back to scheduled, so re-dispatching a dispatched job to a new
   * window is two writes, on hold then scheduled; if the second fails the first is undone (back
   * to dispatched), and if that fails too a {@link PartialWriteError} says where the job was left.
   * Re-dispatching a dispatched or started job in its own window only changes the technician.
   */
  async dispatch(c: DispatchCommand): Promise<DispatchResult> {
    const op = 'workOrders.dispatch';
    const errors: VendorFieldError[] = [];
    if (c.technicianRefs.length !== 1) errors.push({ field: 'technicianRefs', message: 'Sera assigns exactly one technician per work order.' });
    if (c.providerRef) errors.push({ field: 'providerRef', message: 'Sera has no service providers.' });
    const w = toSeraWindow(c.window, this.timeZone);
    if ('error' in w) errors.push({ field: 'window', message: w.error });
    else if (c.routeDate && c.routeDate.slice(0, 10) !== w.requestedDate) errors.push({ field: 'routeDate', message: `Sera books the window's own date (${w.requestedDate}).` });
    if (errors.length > 0 || 'error' in w) throw refused(op, errors);
    const id = c.workOrderRef.id;
    const technicianId = c.technicianRefs[0]!.id;
    // Sera's status write has one free text, arrivalNotes: the dispatch instructions go there.
    const notes = c.instructions ? { arrivalNotes: c.instructions } : {};
    const booked = (x: SeraWorkOrderWire) => x.status === 'scheduled' && x.assignedTechnicianId === technicianId && sameWindow(x.appointment, c.window, this.timeZone);
    const book: SeraStatusUpdateRequestWire = { status: 'scheduled', assignedTechnicianId: technicianId, requestedDate: w.requestedDate, timeWindow: w.timeWindow, ...notes };
    try {
      try {
        await this.patchStatus(id, book, op, booked);
      } catch (e) {
        if (!(e instanceof ConnectorError) || e.kind !== 'conflict') throw e;
        // 409: a technician clash, or a job past `scheduled`. Only the latter has another way.
        const current = await this.client.getWorkOrder(id);
        if (!current || (current.status !== 'dispatched' && current.status !== 'in_progress')) throw e;
        if (sameWindow(current.appointment, c.window, this.timeZone)) {
          await this.patchStatus(id, { status: current.status, assignedTechnicianId: technicianId, ...notes }, op);
        } else if (current.status === 'dispatched') {
          await this.rebookDispatched(op, id, book, booked);
        } else {
          throw e;
        }
      }
      const model = toWorkOrderModel(await this.readBack(op, id), this.timeZone);
      return { workOrder: model, appointment: model.embedded?.appointments?.[0] ?? null };
    } catch (e) {
      throw withCommandFields('dispatch', e);
    }
  }

  /** Dispatched job, new window: on hold, then scheduled; compensates the first step if the second fails. */
  private async rebookDispatched(op: string, id: string, book: SeraStatusUpdateRequestWire, booked: (w: SeraWorkOrderWire) => boolean): Promise<void> {
    await this.patchStatus(id, { status: 'on_hold' }, op);
    try {
      await this.patchStatus(id, book, op, booked);
    } catch (e) {
      if (!(e instanceof ConnectorError)) throw e;
      try {
        await this.patchStatus(id, { status: 'dispatched' }, op);
      } catch (undo) {
        throw new PartialWriteError({
          cause: e,
          completed: [{ system: VENDOR, id }],
          failedStep: 'book the new window',
          message:
            `Sera work order ${id} was put on hold to move it to a new window; booking the window failed (${e.message}) ` +
            `and putting it back to dispatched failed too (${undo instanceof Error ? undo.message : 'unknown error'}): it is on hold.`,
        });
      }
      throw new ConnectorError({
        kind: e.kind,
        vendor: VENDOR,
        operation: op,
        message: `${e.message} (work order ${id} is dispatched in its old window, as before)`,
        ...(e.status !== undefined ? { status: e.status } : {}),
        ...(e.retryAfterMs !== undefined ? { retryAfterMs: e.retryAfterMs } : {}),
        fieldErrors: e.fieldErrors,
        ...(e.vendorCode !== undefined ? { vendorCode: e.vendorCode } : {}),
        cause: e,
      });
    }
  }

  /**
   * `POST /customers/{id}/memberships`. Sera has no place for our external reference on a
   * membership, but it renews a customer's membership of a plan in place instead of adding a
   * second one, so the natural key (customer, plan, start date) finds a write whose answer was
   * lost. The payment method token goes into the request body only: never into a log, an error
   * or the model.
   */
  async enrollMembership(c: EnrollMembershipCommand): Promise<MembershipModel> {
    const op = 'memberships.create';
    const token = c.paymentMethodToken;
    try {
      const built = toCreateMembershipBody(c);
      if ('fieldErrors' in built) throw refused(op, built.fieldErrors);
      const customerId = c.customerRef.id;
      const startDate = built.body.startDate;
      const since = Date.now() - LOOKUP_WINDOW_MS;
      const written = await writeOnce<{ id: string; wire?: SeraMembershipWire }>({
        write: async () => ({ id: (await this.client.createMembership(customerId, built.body)).membershipId }),
        lookup: async () => {
          const all = await allItems((p) => this.client.listMemberships(p, { customerId }));
          const m = all.find(
            (x) =>
              x.planId === c.planId &&
              x.status === 'active' &&
              (startDate ? x.startDate === startDate : (parseTimestamp(x.updatedAt) ?? 0) >= since),
          );
          return m ? { id: m.membershipId, wire: m } : null;
        },
      });
      const wire = written.wire ?? (await this.client.getMembership(written.id));
      if (!wire) throw new ConnectorError({ kind: 'bad_response', vendor: VENDOR, operation: op, message: `Sera wrote membership ${written.id} but does not return it.` });
      return toMembershipModel(wire);
    } catch (e) {
      throw withoutSecret(withCommandFields('enrollMembership', e), token, op);
    }
  }

  async ping(): Promise<void> {
    await this.client.ping();
  }
}

/** A Sera connector over `connection`. */
export function createSeraConnector(connection: SeraConnection, options: ConnectorOptions = {}): FieldServiceConnector {
  return new SeraConnector(connection, options);
}

