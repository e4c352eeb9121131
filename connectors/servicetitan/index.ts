/**
 * The ServiceTitan connector: {@link FieldServiceConnector} over the public REST API v2 (jobs,
 * appointments and their technician assignments, customers, locations, installed equipment,
 * technicians, invoices, memberships).
 *
 * Reads batch by `ids=` (50 a call, split above) and by the multi-valued filters the API has
 * (`appointmentIds` on assignments, `locationIds` on installed equipment, `customerIds` on
 * memberships); single-valued filters cost one call per parent, at bounded concurrency.
 * Appointments of jobs use the job's first/last appointment ids to batch by `ids=` when a job has at
 * most two. Customers' email and phone come from the bulk contact read (`customers/contacts`,
 * `customerIds=`, one call per 50 customers). Every list takes the half-open modification window
 * `[modifiedOnOrAfter, modifiedBefore)` and counts it on its first page (`includeTotal`). Writes
 * stamp our reference in `externalData` (jobs, customers, locations) and go through `writeOnce`;
 * dispatch undoes its earlier steps when a later one fails. See README.md beside this file for the
 * decisions and what each relation costs.
 */
import { z } from 'zod';
import type { VendorInfo } from '../sandbox/kit.js';
import { PartialWriteError, writeOnce } from '../core/ops.js';
import { formatInstant, optionalText } from '../core/normalize.js';
import { childrenByCheaperRead } from '../core/cheaper-read.js';
import { chunk, DEFAULT_READ_CONCURRENCY, mapWithConcurrency } from '../core/resilience.js';
import {
  ConnectorError,
  type ConnectorCapabilities,
  type ConnectorErrorKind,
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
import type { Address, EntityKind, MembershipModel, ModelByKind, RecordRef, WorkOrderModel } from '../../src/model/index.js';
import { SERVICETITAN_MAX_IDS, SERVICETITAN_MAX_PAGE_SIZE, ServiceTitanClient, type ListEndpoint, type ListItem, type ListParams } from './client.js';
import {
  APPOINTMENT_STATUS,
  appointmentIdsOf,
  externalReferenceOf,
  pickDurationBilling,
  sameWindow,
  stRef,
  STATUS_WRITE,
  toAppointmentAddBody,
  toAppointmentModel,
  toCustomerCreateBody,
  toCustomerModel,
  toEquipmentModel,
  toInvoiceModel,
  toJobCreateBody,
  toLocationCreateBody,
  toLocationModel,
  toMembershipModel,
  toMembershipSaleBody,
  toRescheduleBody,
  toTechnicianModel,
  toUtc,
  toWorkOrderModel,
  vendorIdOf,
  WORK_ORDER_STATUS,
  EXTERNAL_REFERENCE_KEY,
  MEMBERSHIP_STATUS,
} from './mapping.js';
import type {
  ServiceTitanAppointmentWire,
  ServiceTitanContactWire,
  ServiceTitanCustomerWire,
  ServiceTitanJobWire,
  ServiceTitanLocationWire,
  ServiceTitanRescheduleWire,
} from './wire.js';

const VENDOR = 'servicetitan' as const;
const GUID = /^\{?[0-9a-fA-F]{8}-?([0-9a-fA-F]{4}-?){3}[0-9a-fA-F]{12}\}?$/;

/** Connection to one ServiceTitan tenant. */
export const ServiceTitanConnectionSchema = z.object({
  /** OAuth token endpoint: `https://auth.servicetitan.io/connect/token` (integration: `auth-integration.`). */
  tokenUrl: z.url(),
  /** API host: `https://api.servicetitan.io` (integration: `api-integration.`). */
  apiBaseUrl: z.url(),
  /** Tenant credential pair generated in the developer portal (`cid.…`, `cs1.…`). */
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  /** The application key (`ak1.…`), sent as `ST-App-Key` on every call. */
  appKey: z.string().min(1),
  /** Tenant id (numeric), a segment of every path. */
  tenant: z.string().regex(/^\d+$/),
  /**
   * The application's guid: `externalData` is written and read under it. Writes that stamp our
   * reference (createWorkOrder) need it; `options.settings.applicationGuid` works too.
   */
  applicationGuid: z.string().regex(GUID).optional(),
  /** Client-side rate limit (default 45 a second plus a burst of 10: under the documented 60/s). */
  rateLimit: z.object({ perSecond: z.number().positive(), burst: z.number().int().positive() }).optional(),
  /**
   * When to read customers' contacts (their email and phone), with the bulk contact read
   * (`customers/contacts?customerIds=`, one more call per 50 customers): `always` (default: reads,
   * lists and relations), `get` (in `get('customer')` only), `never` (no email or phone).
   */
  customerContacts: z.enum(['never', 'get', 'always']).optional(),
  /** Fill appointments' technicians from `appointment-assignments` (one more call per 50 appointments; default true). */
  appointmentTechnicians: z.boolean().optional(),
});
export type ServiceTitanConnection = z.infer<typeof ServiceTitanConnectionSchema>;

const SandboxAuth = z.object({
  tokenUrl: z.string(),
  apiBaseUrl: z.string(),
  clientId: z.string(),
  clientSecret: z.string(),
  appKey: z.string(),
  tenant: z.string(),
  applicationGuid: z.string().optional(),
});

/** The connection of the sandbox's ServiceTitan simulator, from its `/_sandbox` info. */
export function connectionFromSandbox(info: VendorInfo): ServiceTitanConnection {
  const a = SandboxAuth.parse(info.auth);
  return ServiceTitanConnectionSchema.parse({
    tokenUrl: a.tokenUrl,
    apiBaseUrl: a.apiBaseUrl,
    clientId: a.clientId,
    clientSecret: a.clientSecret,
    appKey: a.appKey,
    tenant: a.tenant,
    ...(a.applicationGuid ? { applicationGuid: a.applicationGuid } : {}),
  });
}

type Kind = 'customer' | 'location' | 'equipment' | 'technician' | 'workOrder' | 'appointment' | 'invoice' | 'membership';
type Model = ModelByKind[Kind];

const KINDS: readonly Kind[] = ['customer', 'location', 'equipment', 'technician', 'workOrder', 'invoice', 'membership', 'appointment'];

const ENDPOINT: Readonly<Record<Kind, ListEndpoint>> = {
  customer: 'customers',
  location: 'locations',
  equipment: 'equipment',
  technician: 'technicians',
  workOrder: 'jobs',
  appointment: 'appointments',
  invoice: 'invoices',
  membership: 'memberships',
};

/** Lists that take `active=True|Any|False` (invoices do not). */
const HAS_ACTIVE: ReadonlySet<Kind> = new Set(['customer', 'location', 'equipment', 'technician', 'workOrder', 'appointment', 'membership']);
/**
 * Kinds whose model says whether the record is active: their lists include inactive records. The
 * others leave soft-deleted records out, client-side: lists always ask for `active=Any`, so a record
 * deactivated during a walk cannot shift the pages after it (page-number paging drifts when rows
 * leave the filtered set, vendor-facts §7.4).
 */
const LIST_INACTIVE: ReadonlySet<Kind> = new Set(['customer', 'location', 'technician']);

/** What ServiceTitan can do (see README for the cost of each relation). */
export const SERVICETITAN_CAPABILITIES: ConnectorCapabilities = {
  entities: KINDS,
  lists: KINDS,
  // Every list takes modifiedOnOrAfter.
  incremental: KINDS,
  // ... and modifiedBefore, and counts with includeTotal=true.
  windows: KINDS,
  // Models keep whole seconds (the API's fractions are dropped): window bounds are whole seconds.
  timePrecisionMs: 1000,
  // Invoices have no status word to map (their status is the balance; `syncStatus` is the export state).
  statuses: { workOrder: WORK_ORDER_STATUS, appointment: APPOINTMENT_STATUS, membership: MEMBERSHIP_STATUS },
  batchSize: Object.fromEntries(KINDS.map((k) => [k, SERVICETITAN_MAX_IDS])),
  // A job names its first and last visit (`appointmentIds` when it has at most two).
  listedChildren: ['appointment<-workOrder'],
  relations: [
    'membership<-customer',
    'equipment<-location',
    'equipment<-customer',
    'location<-customer',
    'workOrder<-customer',
    'workOrder<-location',
    'workOrder<-technician',
    'invoice<-workOrder',
    'invoice<-customer',
    'appointment<-technician',
    'appointment<-workOrder',
  ],
  writes: ['createWorkOrder', 'dispatch', 'enrollMembership', 'updateStatus'],
};

/** How far before our write a record it made may be stamped by the vendor's clock. */
const LOOKUP_SKEW_MS = 10 * 60_000;
/** Reference lists (job types, business units, campaigns, reasons...) are read once an hour. */
const REFERENCE_TTL_MS = 60 * 60_000;
const OPEN_APPOINTMENT = new Set(['scheduled', 'dispatched']);
/**
 * The bulk contact read requires a modified-on bound (400 without one): this one lets every
 * contact through.
 */
const ALL_MODIFIED = '1970-01-01T00:00:00Z';

/**
 * A window bound as the API takes it: UTC, whole seconds, rounded UP. Models keep the vendor's
 * modification time truncated to the second, so for a whole-second bound B,
 * `floor(modifiedOn) >= B` iff `modifiedOn >= B` and `floor(modifiedOn) < B` iff `modifiedOn < B`:
 * the API's `modifiedOnOrAfter` (inclusive) and `modifiedBefore` (exclusive) then select exactly
 * the models whose `updatedAt` is in the window, even when the API keeps fractions of a second.
 */
function windowBound(value: string): string {
  const whole = toUtc(value);
  const fraction = /T\d{2}:\d{2}:\d{2}[.,](\d+)/i.exec(value)?.[1];
  return fraction && /[1-9]/.test(fraction) ? formatInstant(Date.parse(whole) + 1000) : whole;
}

// Reference lists are tenant configuration, the same for every user of the tenant: one copy per
// tenant for the process, so they are read once rather than per request.
const referenceData = new Map<string, { at: number; value: Promise<unknown> }>();

/** Test hook: forget the cached reference lists of every tenant. */
export function resetServiceTitanReferenceData(): void {
  referenceData.clear();
}

function norm(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function connectorError(kind: ConnectorErrorKind, operation: string, message: string, fieldErrors: VendorFieldError[] = []): ConnectorError {
  return new ConnectorError({ kind, vendor: VENDOR, operation, message, fieldErrors });
}

function invalid(operation: string, fieldErrors: VendorFieldError[]): ConnectorError {
  return connectorError('invalid_request', operation, `ServiceTitan cannot take this command: ${fieldErrors.map((f) => `${f.field}: ${f.message}`).join('; ')}`, fieldErrors);
}

/** Runs a pure mapping; a payload it cannot read is the vendor's fault (`bad_response`). */
function mapped<W, M>(operation: string, wire: W, fn: (w: W) => M): M {
  try {
    return fn(wire);
  } catch (e) {
    throw new ConnectorError({ kind: 'bad_response', vendor: VENDOR, operation, message: 'servicetitan sent a record that cannot be read', cause: e });
  }
}

function isId(id: string): boolean {
  return /^\d{1,16}$/.test(id) && Number.isSafeInteger(Number(id)) && Number(id) > 0;
}

/** Builds the ServiceTitan connector. */
export function createServiceTitanConnector(connection: ServiceTitanConnection, options: ConnectorOptions = {}): FieldServiceConnector {
  const conn = ServiceTitanConnectionSchema.parse(connection);
  const applicationGuid = conn.applicationGuid ?? (options.settings?.applicationGuid && GUID.test(options.settings.applicationGuid) ? options.settings.applicationGuid : undefined);
  const client = new ServiceTitanClient({ ...conn, applicationGuid }, options);
  const concurrency = Math.max(1, options.concurrency ?? DEFAULT_READ_CONCURRENCY);
  const contactsMode = conn.customerContacts ?? 'always';
  const withTechnicians = conn.appointmentTechnicians ?? true;
  const account = `${conn.apiBaseUrl.replace(/\/$/, '')}|${conn.tenant}`;

  function reference<T>(name: string, load: () => Promise<T>): Promise<T> {
    const key = `${account}|${name}`;
    const hit = referenceData.get(key);
    if (hit && Date.now() - hit.at < REFERENCE_TTL_MS) return hit.value as Promise<T>;
    const value = load();
    referenceData.set(key, { at: Date.now(), value });
    value.catch(() => {
      if (referenceData.get(key)?.value === value) referenceData.delete(key);
    });
    return value;
  }

  function setting(name: string, commandSettings?: Record<string, string>): string | undefined {
    const v = commandSettings?.[name] ?? options.settings?.[name];
    return optionalText(v);
  }

  function settingId(operation: string, name: string, commandSettings?: Record<string, string>): number | undefined {
    const v = setting(name, commandSettings);
    if (v === undefined) return undefined;
    if (!isId(v)) throw invalid(operation, [{ field: `vendorSettings.${name}`, message: `not a ServiceTitan id: ${v}` }]);
    return Number(v);
  }

  // ---------------------------------------------------------------- wire -> models

  /** Technician ids per appointment, from `appointment-assignments?appointmentIds=` (50 a call). */
  async function technicianIdsOf(appointmentIds: readonly string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    const unique = [...new Set(appointmentIds)];
    for (const id of unique) out.set(id, []);
    await mapWithConcurrency(chunk(unique, SERVICETITAN_MAX_IDS), concurrency, async (ids) => {
      for (const a of await client.listAll('assignments', { appointmentIds: ids })) out.get(a.appointmentId)?.push(a.technicianId);
    });
    return out;
  }

  /**
   * Contacts per customer, from the bulk read `customers/contacts?customerIds=` (50 customers a
   * call, every page): one call per 50 customers instead of one per customer.
   */
  async function contactsOf(customerIds: readonly string[]): Promise<Map<string, ServiceTitanContactWire[]>> {
    const out = new Map<string, ServiceTitanContactWire[]>();
    const unique = [...new Set(customerIds)];
    for (const id of unique) out.set(id, []);
    await mapWithConcurrency(chunk(unique, SERVICETITAN_MAX_IDS), concurrency, async (ids) => {
      for (const k of await client.listAll('customerContacts', { customerIds: ids, modifiedOnOrAfter: ALL_MODIFIED })) out.get(k.customerId)?.push(k);
    });
    // Contacts in id order (creation order): the first email and phone are the customer's.
    for (const list of out.values()) list.sort((a, b) => Number(a.id ?? 0) - Number(b.id ?? 0));
    return out;
  }

  /** Whether a batch of `kind` read for `purpose` also reads its companion list (customer contacts, appointment assignments). */
  function completes(kind: Kind, purpose: 'get' | 'list'): boolean {
    if (kind === 'customer') return contactsMode === 'always' || (contactsMode === 'get' && purpose === 'get');
    return kind === 'appointment' && withTechnicians;
  }

  /**
   * Models of a batch. `companion` is the companion read (see {@link completes}) when the caller
   * started it already, by the batch's ids; otherwise it is read here, by the ids of the rows.
   */
  async function toModels(
    kind: Kind,
    items: ReadonlyArray<ListItem<ListEndpoint>>,
    purpose: 'get' | 'list',
    companion?: Map<string, ServiceTitanContactWire[]> | Map<string, string[]>,
  ): Promise<Model[]> {
    const op = `${ENDPOINT[kind]}.${purpose}`;
    switch (kind) {
      case 'customer': {
        const rows = items as ServiceTitanCustomerWire[];
        if (rows.length && completes(kind, purpose)) {
          const contacts = (companion as Map<string, ServiceTitanContactWire[]> | undefined) ?? (await contactsOf(rows.map((w) => w.id)));
          return rows.map((w) => mapped(op, w, (x) => toCustomerModel(x, contacts.get(x.id) ?? [])));
        }
        return rows.map((w) => mapped(op, w, (x) => toCustomerModel(x)));
      }
      case 'location':
        return (items as ServiceTitanLocationWire[]).map((w) => mapped(op, w, toLocationModel));
      case 'equipment': {
        const today = new Date().toISOString().slice(0, 10);
        return (items as Array<ListItem<'equipment'>>).map((w) => mapped(op, w, (x) => toEquipmentModel(x, today)));
      }
      case 'technician':
        return (items as Array<ListItem<'technicians'>>).map((w) => mapped(op, w, toTechnicianModel));
      case 'workOrder':
        return (items as ServiceTitanJobWire[]).map((w) => mapped(op, w, toWorkOrderModel));
      case 'appointment': {
        const rows = items as ServiceTitanAppointmentWire[];
        const techs = completes(kind, purpose) && rows.length ? ((companion as Map<string, string[]> | undefined) ?? (await technicianIdsOf(rows.map((a) => a.id)))) : new Map<string, string[]>();
        return rows.map((w) => mapped(op, w, (x) => toAppointmentModel(x, techs.get(x.id) ?? [])));
      }
      case 'invoice':
        return (items as Array<ListItem<'invoices'>>).map((w) => mapped(op, w, toInvoiceModel));
      case 'membership':
        return (items as Array<ListItem<'memberships'>>).map((w) => mapped(op, w, toMembershipModel));
    }
  }

  function kindOf(k: EntityKind, operation: string): Kind {
    if (!(KINDS as readonly string[]).includes(k)) throw connectorError('invalid_request', operation, `ServiceTitan holds no ${k} records`);
    return k as Kind;
  }

  // ---------------------------------------------------------------- reads

  async function get(kindIn: EntityKind, ids: readonly string[]): Promise<Array<Model | null>> {
    const kind = kindOf(kindIn, `${kindIn}.get`);
    const wanted = [...new Set(ids.filter(isId))];
    const found = new Map<string, Model>();
    // `ids=` takes at most 50; ids that are not ServiceTitan ids cannot exist and cost no call.
    // Each batch is completed on its own (appointment assignments, customer contacts): one more
    // call per batch, whatever the batches' sizes. The ids are known, so the companion read goes
    // out beside the batch's read rather than after it: one round trip, not two.
    await mapWithConcurrency(chunk(wanted, SERVICETITAN_MAX_IDS), concurrency, async (part) => {
      const companion = !completes(kind, 'get') ? undefined : kind === 'customer' ? contactsOf(part) : technicianIdsOf(part);
      const [rows, extra] = await Promise.all([client.listAll(ENDPOINT[kind], { ids: part, ...(HAS_ACTIVE.has(kind) ? { active: 'Any' } : {}) }, SERVICETITAN_MAX_IDS), companion]);
      for (const m of await toModels(kind, rows, 'get', extra)) found.set(m.ref.id, m);
    });
    return ids.map((id) => found.get(id) ?? null);
  }

  /** Server-side parameters of a list query, and what is left to filter client-side. */
  function listParams(kind: Kind, query: ListQuery): { params: ListParams; keep: (m: Model) => boolean } {
    const op = `${ENDPOINT[kind]}.list`;
    const params: ListParams = {};
    if (HAS_ACTIVE.has(kind)) params.active = 'Any';
    const bound = (value: string, name: string): string => {
      try {
        return windowBound(value);
      } catch {
        throw connectorError('invalid_request', op, `${name} is not a date/time`);
      }
    };
    // The half-open window [updatedSince, updatedBefore): modifiedOnOrAfter is inclusive,
    // modifiedBefore exclusive.
    const since = query.updatedSince !== undefined ? bound(query.updatedSince, 'updatedSince') : undefined;
    const before = query.updatedBefore !== undefined ? bound(query.updatedBefore, 'updatedBefore') : undefined;
    if (since !== undefined) params.modifiedOnOrAfter = since;
    if (before !== undefined) params.modifiedBefore = before;
    const refuse = (filter: string): never => {
      throw connectorError('invalid_request', op, `ServiceTitan cannot filter ${kind} by ${filter}`);
    };
    const idOf = (v: string, filter: string): string => (isId(v) ? v : refuse(`${filter} ${v} (not a ServiceTitan id)`));
    const statuses = query.sourceStatuses;
    let statusSet: Set<string> | undefined;
    const allowed: Record<Kind, ReadonlyArray<keyof ListQuery>> = {
      customer: [],
      location: ['customerId'],
      equipment: ['locationId'],
      technician: [],
      workOrder: ['customerId', 'locationId', 'technicianId', 'sourceStatuses'],
      appointment: ['workOrderId', 'technicianId', 'sourceStatuses'],
      invoice: ['workOrderId', 'customerId', 'sourceStatuses'],
      membership: ['customerId', 'sourceStatuses'],
    };
    for (const f of ['customerId', 'locationId', 'workOrderId', 'technicianId', 'sourceStatuses'] as const) {
      if (query[f] !== undefined && !allowed[kind].includes(f)) refuse(f);
    }
    if (query.customerId !== undefined) {
      const id = idOf(query.customerId, 'customerId');
      if (kind === 'membership') params.customerIds = id;
      else params.customerId = id;
    }
    if (query.locationId !== undefined) {
      const id = idOf(query.locationId, 'locationId');
      if (kind === 'equipment') params.locationIds = id;
      else params.locationId = id;
    }
    if (query.workOrderId !== undefined) params.jobId = idOf(query.workOrderId, 'workOrderId');
    if (query.technicianId !== undefined) params.technicianId = idOf(query.technicianId, 'technicianId');
    if (statuses !== undefined) {
      statusSet = new Set(statuses);
      if (kind === 'invoice') params.statuses = [...statusSet];
      else if (statusSet.size === 1) params[kind === 'workOrder' ? 'jobStatus' : 'status'] = [...statusSet][0]!;
    }
    // Multi-valued status sets are filtered here; membership `status` is re-checked too, as the
    // API's membership status filter is known to let other statuses through (ST-GOTCHAS). The
    // window is re-checked on `updatedAt` (a no-op when the API applies its bounds as documented).
    const sinceMs = since !== undefined ? Date.parse(since) : undefined;
    const beforeMs = before !== undefined ? Date.parse(before) : undefined;
    const keep = (m: Model): boolean => {
      if (statusSet) {
        const s = (m as { sourceStatus?: string }).sourceStatus;
        if (s === undefined || !statusSet.has(s)) return false;
      }
      if ((sinceMs !== undefined || beforeMs !== undefined) && m.updatedAt) {
        const t = Date.parse(m.updatedAt);
        if ((sinceMs !== undefined && t < sinceMs) || (beforeMs !== undefined && t >= beforeMs)) return false;
      }
      return true;
    };
    return { params, keep };
  }

  async function list(kindIn: EntityKind, query: ListQuery = {}): Promise<Page<Model>> {
    const kind = kindOf(kindIn, `${kindIn}.list`);
    const op = `${ENDPOINT[kind]}.list`;
    if (query.cursor !== undefined && !/^[1-9]\d{0,8}$/.test(query.cursor)) throw connectorError('invalid_request', op, 'not a cursor of this list');
    const page = query.cursor ? Number(query.cursor) : 1;
    const pageSize = Math.min(Math.max(1, Math.floor(query.pageSize ?? 100)), SERVICETITAN_MAX_PAGE_SIZE);
    const { params, keep } = listParams(kind, query);
    // The total is asked for with the first page only (it costs the vendor a count). It is the
    // vendor's count of the server-side query: it includes the soft-deleted rows and other
    // statuses this page leaves out client-side (an upper bound of what the walk returns then).
    const p = await client.list(ENDPOINT[kind], { ...params, page, pageSize, ...(page === 1 ? { includeTotal: true } : {}) });
    const rows = LIST_INACTIVE.has(kind) ? p.data : p.data.filter((w) => (w as { active?: boolean | null }).active !== false);
    const items = (await toModels(kind, rows, 'list')).filter(keep);
    return {
      items,
      ...(p.hasMore && p.data.length > 0 ? { nextCursor: String(page + 1) } : {}),
      ...(page === 1 && typeof p.totalCount === 'number' ? { total: p.totalCount } : {}),
    };
  }

  /**
   * Every page after page. Not the core's `iteratePages`: that stops at a page without items, and a
   * page here can be emptied by a client-side filter while the vendor still has more (`nextCursor`
   * is only set when the vendor's page had rows and `hasMore`).
   */
  async function* iterate(kind: EntityKind, query: ListQuery = {}): AsyncGenerator<Model> {
    let cursor = query.cursor;
    for (;;) {
      const page = await list(kind, { ...query, cursor });
      yield* page.items;
      if (!page.nextCursor) return;
      cursor = page.nextCursor;
    }
  }

  // ---------------------------------------------------------------- relations

  /** Every item of one list call per parent (single-valued filter), at bounded concurrency. */
  async function perParent<E extends ListEndpoint>(endpoint: E, parents: readonly string[], params: (id: string) => ListParams): Promise<Map<string, Array<ListItem<E>>>> {
    const out = new Map<string, Array<ListItem<E>>>();
    await mapWithConcurrency(parents, concurrency, async (id) => {
      out.set(id, await client.listAll(endpoint, params(id)));
    });
    return out;
  }

  /** Every item of a multi-valued filter (`customerIds`, `locationIds`), 50 parents a call. */
  async function perChunk<E extends ListEndpoint>(endpoint: E, parents: readonly string[], param: string, extra: ListParams = {}): Promise<Array<ListItem<E>>> {
    const out: Array<ListItem<E>> = [];
    await mapWithConcurrency(chunk(parents, SERVICETITAN_MAX_IDS), concurrency, async (ids) => {
      out.push(...(await client.listAll(endpoint, { ...extra, [param]: ids })));
    });
    return out;
  }

  /**
   * Appointments of jobs: the jobs by `ids=` (50 a call) give each job's appointment count and
   * first/last appointment ids; jobs with at most two appointments have them all there, read by
   * `ids=` (50 a call). `jobId` is single-valued, so a job with more costs one call of its own.
   */
  async function appointmentsOfJobs(jobIds: readonly string[]): Promise<ServiceTitanAppointmentWire[]> {
    const jobs = (await perChunk('jobs', jobIds, 'ids', { active: 'Any' })) as ServiceTitanJobWire[];
    const direct = new Set<string>();
    const perJob: string[] = [];
    for (const j of jobs) {
      const known = appointmentIdsOf(j);
      if (known) for (const id of known) direct.add(id);
      else perJob.push(j.id);
    }
    const byIds = (await perChunk('appointments', [...direct], 'ids')) as ServiceTitanAppointmentWire[];
    // `jobId=` is single-valued: one call per job with more visits, or one walk of all visits.
    const byJob = await childrenByCheaperRead<ListItem<'appointments'>, ListItem<'appointments'>>({
      key: `servicetitan|${account}|appointments`,
      parents: perJob,
      pageSize: SERVICETITAN_MAX_PAGE_SIZE,
      page: async (page) => {
        const p = await client.listUnchecked('appointments', { page, pageSize: SERVICETITAN_MAX_PAGE_SIZE, ...(page === 1 ? { includeTotal: true } : {}) });
        return { items: p.data, total: p.totalCount };
      },
      check: (item) => client.checkItem('appointments', item),
      map: (w) => w,
      parentsOf: (w) => [w.jobId],
      parentsOfItem: (w) => [w.jobId],
      idOf: (w) => w.id,
      fanoutCost: (n) => n,
      fanout: (ids) => perParent('appointments', ids, (id) => ({ jobId: id })),
      concurrency,
    });
    return [...byIds, ...[...byJob.values()].flat()];
  }

  async function children(kindIn: EntityKind, parent: ParentKind, parentIds: readonly string[]): Promise<Map<string, Model[]>> {
    const rel = `${kindIn}<-${parent}`;
    const op = `${rel}.children`;
    if (!(SERVICETITAN_CAPABILITIES.relations as readonly string[]).includes(rel)) throw connectorError('invalid_request', op, `ServiceTitan cannot read ${rel}`);
    const kind = kindIn as Kind;
    const out = new Map<string, Model[]>(parentIds.map((id) => [id, []]));
    const parents = [...new Set(parentIds.filter(isId))];
    if (parents.length === 0) return out;
    const put = (parentId: string | undefined | null, m: Model): void => {
      if (parentId) out.get(parentId)?.push(m);
    };
    const group = async (rows: Map<string, Array<ListItem<ListEndpoint>>>): Promise<void> => {
      const all = [...rows.values()].flat();
      const models = await toModels(kind, all, 'list');
      const byId = new Map(models.map((m) => [m.ref.id, m]));
      for (const [pid, items] of rows) for (const w of items) put(pid, byId.get((w as { id: string }).id)!);
    };
    switch (rel) {
      case 'membership<-customer': {
        const models = (await toModels(kind, await perChunk('memberships', parents, 'customerIds'), 'list')) as MembershipModel[];
        for (const m of models) put(m.customerRef.id, m);
        break;
      }
      case 'equipment<-location': {
        const models = (await toModels(kind, await perChunk('equipment', parents, 'locationIds'), 'list')) as Array<ModelByKind['equipment']>;
        for (const m of models) put(m.locationRef?.id, m);
        break;
      }
      case 'equipment<-customer': {
        // Installed equipment has no customer filter: the customers' locations (one call each,
        // `customerId` is single-valued), then their equipment by `locationIds` (50 a call).
        const locations = await perParent('locations', parents, (id) => ({ customerId: id, active: 'Any' }));
        const customerOf = new Map<string, string>();
        for (const [cid, locs] of locations) for (const l of locs) customerOf.set(l.id, cid);
        const models = (await toModels(kind, await perChunk('equipment', [...customerOf.keys()], 'locationIds'), 'list')) as Array<ModelByKind['equipment']>;
        for (const m of models) put(m.locationRef ? customerOf.get(m.locationRef.id) : undefined, m);
        break;
      }
      case 'location<-customer':
        await group(await perParent('locations', parents, (id) => ({ customerId: id, active: 'Any' })));
        break;
      case 'workOrder<-customer':
        await group(await perParent('jobs', parents, (id) => ({ customerId: id })));
        break;
      case 'workOrder<-location':
        await group(await perParent('jobs', parents, (id) => ({ locationId: id })));
        break;
      case 'workOrder<-technician':
        await group(await perParent('jobs', parents, (id) => ({ technicianId: id })));
        break;
      case 'invoice<-workOrder': {
        // `jobId=` is single-valued: one call per job, or one walk of all invoices (500 a page).
        const got = await childrenByCheaperRead<ListItem<'invoices'>, ReturnType<typeof toInvoiceModel>>({
          key: `servicetitan|${account}|invoices`,
          parents,
          pageSize: SERVICETITAN_MAX_PAGE_SIZE,
          page: async (page) => {
            const p = await client.listUnchecked('invoices', { page, pageSize: SERVICETITAN_MAX_PAGE_SIZE, ...(page === 1 ? { includeTotal: true } : {}) });
            return { items: p.data, total: p.totalCount };
          },
          check: (item) => client.checkItem('invoices', item),
          map: (w) => mapped('invoices.list', w, toInvoiceModel),
          parentsOf: (m) => [m.workOrderRef?.id],
          parentsOfItem: (w) => [w.job?.id],
          idOf: (m) => m.ref.id,
          fanoutCost: (n) => n,
          fanout: async (ids) => {
            const rows = await perParent('invoices', ids, (id) => ({ jobId: id }));
            return new Map([...rows].map(([id, items]) => [id, items.map((w) => mapped('invoices.list', w, toInvoiceModel))]));
          },
          concurrency,
        });
        for (const [id, list] of got) for (const m of list) put(id, m);
        break;
      }
      case 'invoice<-customer':
        await group(await perParent('invoices', parents, (id) => ({ customerId: id })));
        break;
      case 'appointment<-technician':
        await group(await perParent('appointments', parents, (id) => ({ technicianId: id })));
        break;
      case 'appointment<-workOrder': {
        const models = (await toModels(kind, await appointmentsOfJobs(parents), 'list')) as Array<ModelByKind['appointment']>;
        for (const m of models) put(m.workOrderRef.id, m);
        break;
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- write helpers

  function requireGuid(operation: string): string {
    if (!applicationGuid) {
      throw connectorError(
        'invalid_request',
        operation,
        'ServiceTitan writes stamp our reference in externalData, which needs the application guid: configure applicationGuid',
        [{ field: 'vendorSettings.applicationGuid', message: 'required' }],
      );
    }
    return applicationGuid;
  }

  async function findCustomerByReference(reference: string): Promise<ServiceTitanCustomerWire | null> {
    // The customers list filters by externalData key and values (a value may not hold a comma);
    // the match is checked here too, so a filter the API ignored cannot return a stranger.
    if (reference.includes(',')) return null;
    const p = await client.list('customers', { externalDataKey: EXTERNAL_REFERENCE_KEY, externalDataValues: reference, active: 'Any', page: 1, pageSize: 50 });
    return p.data.find((c) => externalReferenceOf(c.externalData) === reference) ?? null;
  }

  async function findLocationByReference(customerId: number, reference: string): Promise<ServiceTitanLocationWire | null> {
    const locations = await client.listAll('locations', { customerId, active: 'Any' });
    return locations.find((l) => externalReferenceOf(l.externalData) === reference) ?? null;
  }

  /** A job we created, by the reference in its externalData: the customer's jobs created since the write began (jobs have no externalData filter). */
  async function findJobByReference(customerId: number, reference: string, since: number): Promise<ServiceTitanJobWire | null> {
    const jobs = await client.listAll('jobs', { customerId, createdOnOrAfter: formatInstant(since - LOOKUP_SKEW_MS), active: 'Any' });
    return jobs.find((j) => externalReferenceOf(j.externalData) === reference) ?? null;
  }

  async function resolveJobRefs(cmd: CreateWorkOrderCommand): Promise<{ businessUnitId: number; jobTypeId: number; campaignId: number }> {
    const op = 'jobs.create';
    const vs = cmd.vendorSettings;
    let jobTypeId = settingId(op, 'jobTypeId', vs);
    let allowedUnits: readonly string[] = [];
    if (jobTypeId === undefined) {
      const types = await reference('jobTypes', () => client.listAll('jobTypes', { active: 'True' }));
      const t = types.find((x) => x.active !== false && norm(x.name) === norm(cmd.serviceType));
      if (!t) throw invalid(op, [{ field: 'serviceType', message: `no active ServiceTitan job type is named "${cmd.serviceType}"` }]);
      jobTypeId = Number(t.id);
      allowedUnits = t.businessUnitIds;
    }
    let businessUnitId = settingId(op, 'businessUnitId', vs);
    if (businessUnitId === undefined) {
      const units = (await reference('businessUnits', () => client.listAll('businessUnits', { active: 'True' }))).filter((u) => u.active !== false);
      const u = units.find((x) => allowedUnits.includes(x.id)) ?? units[0];
      if (!u) throw invalid(op, [{ field: 'vendorSettings.businessUnitId', message: 'the tenant has no active business unit' }]);
      businessUnitId = Number(u.id);
    }
    let campaignId = settingId(op, 'campaignId', vs);
    if (campaignId === undefined) {
      const campaigns = (await reference('campaigns', () => client.listAll('campaigns', { active: 'True' }))).filter((c) => c.active !== false);
      const name = setting('campaignName', vs);
      const c = name ? campaigns.find((x) => norm(x.name) === norm(name)) : campaigns[0];
      if (!c) throw invalid(op, [{ field: 'vendorSettings.campaignId', message: name ? `no active campaign is named "${name}"` : 'the tenant has no active campaign' }]);
      campaignId = Number(c.id);
    }
    return { businessUnitId, jobTypeId, campaignId };
  }

  function customFieldTypeIds(cmd: CreateWorkOrderCommand): { problemCode?: number; respondBy?: number; completeBy?: number } {
    const op = 'jobs.create';
    const out: { problemCode?: number; respondBy?: number; completeBy?: number } = {};
    for (const k of ['problemCode', 'respondBy', 'completeBy'] as const) {
      const id = settingId(op, `${k}FieldTypeId`, cmd.vendorSettings);
      if (id !== undefined) out[k] = id;
    }
    return out;
  }

  // ---------------------------------------------------------------- writes

  async function createWorkOrder(cmd: CreateWorkOrderCommand): Promise<WorkOrderModel> {
    const op = 'jobs.create';
    const guid = requireGuid(op);
    const errors: VendorFieldError[] = [];
    const customerRefId = 'ref' in cmd.customer ? vendorIdOf(cmd.customer.ref, 'customer.ref', errors) : undefined;
    const locationRefId = cmd.location && 'ref' in cmd.location ? vendorIdOf(cmd.location.ref, 'location.ref', errors) : undefined;
    if (!cmd.externalReference.trim()) errors.push({ field: 'externalReference', message: 'required' });
    if (errors.length) throw invalid(op, errors);
    const reference = cmd.externalReference.trim();
    // References and the body are checked before anything is written.
    const refs = await resolveJobRefs(cmd);
    const fields = customFieldTypeIds(cmd);
    const dry = toJobCreateBody(cmd, { customerId: 1, locationId: 1, ...refs, applicationGuid: guid, customFieldTypeIds: fields });
    if (!dry.ok) throw invalid(op, dry.fieldErrors);

    const completed: RecordRef[] = [];
    let customerId: number;
    let locationId: number | undefined = locationRefId;
    if (customerRefId !== undefined) {
      customerId = customerRefId;
    } else {
      const fresh = (cmd.customer as { new: { name: string; email?: string; phone?: string; address: Address } }).new;
      const locationAddress = cmd.location && 'address' in cmd.location ? cmd.location.address : undefined;
      // Looked up first: a command retried after a failure further on reuses the customer it made.
      let customer: { id: string; locations?: Array<{ id: string }> } | null = await findCustomerByReference(reference);
      if (!customer) {
        customer = await writeOnce<{ id: string; locations?: Array<{ id: string }> }>({
          write: () => client.createCustomer(toCustomerCreateBody(fresh, locationAddress, reference, guid)),
          // Found by its reference, the customer's stamped location is looked up below.
          lookup: () => findCustomerByReference(reference),
        });
        completed.push(stRef(customer.id));
      }
      customerId = Number(customer.id);
      if (locationId === undefined) {
        const created = customer.locations?.[0];
        if (created) {
          locationId = Number(created.id);
          completed.push(stRef(created.id));
        } else {
          const loc = await findLocationByReference(customerId, reference);
          if (loc) locationId = Number(loc.id);
        }
      }
    }
    if (locationId === undefined && cmd.location && 'address' in cmd.location) {
      const address = cmd.location.address;
      const found = await findLocationByReference(customerId, reference);
      if (found) locationId = Number(found.id);
      else {
        const loc = await writeOnce({
          write: () => client.createLocation(toLocationCreateBody(customerId, address.line1, address, reference, guid)),
          lookup: () => findLocationByReference(customerId, reference),
        });
        locationId = Number(loc.id);
        completed.push(stRef(loc.id));
      }
    }
    if (locationId === undefined) {
      // No location given: the customer's first active service location.
      const first = (await client.list('locations', { customerId, page: 1, pageSize: 1 })).data[0];
      if (!first) throw invalid(op, [{ field: 'location', message: `customer ${customerId} has no active location` }]);
      locationId = Number(first.id);
    }

    const built = toJobCreateBody(cmd, { customerId, locationId, ...refs, applicationGuid: guid, customFieldTypeIds: fields });
    if (!built.ok) throw invalid(op, built.fieldErrors);
    const since = Date.now();
    try {
      const job = await writeOnce({ write: () => client.createJob(built.body), lookup: () => findJobByReference(customerId, reference, since) });
      return mapped(op, job, toWorkOrderModel);
    } catch (e) {
      if (completed.length && e instanceof ConnectorError) {
        throw new PartialWriteError({
          cause: e,
          completed,
          failedStep: op,
          message: `ServiceTitan created ${completed.map((r) => r.id).join(', ')} (customer/location, stamped ${reference}) but not the job: ${e.message}. Retrying the command reuses them.`,
        });
      }
      throw e;
    }
  }

  async function dispatch(cmd: DispatchCommand): Promise<DispatchResult> {
    const op = 'dispatch';
    const errors: VendorFieldError[] = [];
    const jobId = vendorIdOf(cmd.workOrderRef, 'workOrderRef', errors);
    const techIds = cmd.technicianRefs.map((r, i) => vendorIdOf(r, `technicianRefs.${i}`, errors)).filter((x): x is number => x !== undefined);
    const resched = toRescheduleBody(cmd.window);
    if (!resched.ok) errors.push(...resched.fieldErrors);
    if (cmd.providerRef) errors.push({ field: 'providerRef', message: 'ServiceTitan dispatches its own technicians, not providers' });
    if (errors.length || jobId === undefined || !resched.ok) throw invalid(op, errors);
    const job = await client.getJob(jobId);
    if (!job) throw connectorError('not_found', 'jobs.get', `ServiceTitan has no job ${jobId}`);
    const appointments = await client.listAll('appointments', { jobId });
    const open = appointments.filter((a) => OPEN_APPOINTMENT.has(a.status.toLowerCase())).sort((a, b) => Date.parse(a.start) - Date.parse(b.start) || Number(a.id) - Number(b.id));
    let appointmentId: string;
    const target = open[0];
    if (target) {
      await redispatch(target, resched.body, techIds);
      appointmentId = target.id;
    } else {
      // No visit waiting to happen: a new appointment, its technicians assigned in the same call.
      const add = toAppointmentAddBody(jobId, cmd.window, techIds, cmd.instructions);
      if (!add.ok) throw invalid(op, add.fieldErrors);
      const existing = new Set(appointments.map((a) => a.id));
      const created = await writeOnce({
        write: () => client.addAppointment(add.body),
        // Appointments carry no external reference: the new one is the appointment of this job,
        // not there before, in exactly this window.
        lookup: async () => (await client.listAll('appointments', { jobId })).find((a) => !existing.has(a.id) && sameWindow({ start: a.start, end: a.end }, cmd.window)) ?? null,
      });
      appointmentId = created.id;
    }
    const [appointment] = (await get('appointment', [appointmentId])) as Array<ModelByKind['appointment'] | null>;
    const [workOrder] = (await get('workOrder', [String(jobId)])) as Array<WorkOrderModel | null>;
    return { workOrder: workOrder ?? null, appointment: appointment ?? null };
  }

  /**
   * Moves an open appointment to the window and makes its technicians exactly `techIds` (when
   * given): reschedule, assign the missing, unassign the others (two calls for a swap, ST-GOTCHAS).
   * When a step fails the earlier ones are undone in reverse order (and the failed one too when its
   * outcome is unknown: each undo is harmless if the step did not happen); what could not be undone
   * is reported in a {@link PartialWriteError}.
   */
  async function redispatch(appt: ServiceTitanAppointmentWire, window: ServiceTitanRescheduleWire, techIds: readonly number[]): Promise<void> {
    const appointmentId = Number(appt.id);
    const done: Array<{ what: string; undo: () => Promise<unknown> }> = [];
    const step = async (name: string, what: string, action: () => Promise<unknown>, undo: () => Promise<unknown>): Promise<void> => {
      try {
        await action();
        done.push({ what, undo });
      } catch (e) {
        if (!(e instanceof ConnectorError)) throw e;
        const ambiguous = e.kind === 'timeout' || e.kind === 'unavailable' || e.kind === 'bad_response';
        const toUndo = [...(ambiguous ? [{ what: `${what} (outcome unknown)`, undo }] : []), ...[...done].reverse()];
        const left: string[] = [];
        for (const d of toUndo) {
          try {
            await d.undo();
          } catch {
            left.push(d.what);
          }
        }
        if (left.length === 0) throw e;
        throw new PartialWriteError({
          cause: e,
          completed: [stRef(appt.id)],
          failedStep: name,
          message: `ServiceTitan dispatch of appointment ${appt.id} failed at ${name} (${e.message}); these steps stay done and could not be undone: ${left.join('; ')}`,
        });
      }
    };
    const previous: ServiceTitanRescheduleWire = {
      start: toUtc(appt.start),
      end: toUtc(appt.end),
      arrivalWindowStart: appt.arrivalWindowStart ? toUtc(appt.arrivalWindowStart) : null,
      arrivalWindowEnd: appt.arrivalWindowEnd ? toUtc(appt.arrivalWindowEnd) : null,
    };
    if (!sameWindow(previous, window)) {
      await step(
        'appointments.reschedule',
        `appointment ${appt.id} rescheduled to ${window.start}..${window.end}`,
        () => client.reschedule(appt.id, window),
        () => client.reschedule(appt.id, previous),
      );
    }
    if (techIds.length === 0) return;
    const current = new Set((await client.listAll('assignments', { appointmentIds: [appt.id] })).map((a) => Number(a.technicianId)));
    const add = [...new Set(techIds)].filter((t) => !current.has(t));
    const remove = [...current].filter((t) => !techIds.includes(t));
    if (add.length) {
      await step(
        'appointment-assignments.assign-technicians',
        `technicians ${add.join(', ')} assigned to appointment ${appt.id}`,
        () => client.changeAssignments('assign', { jobAppointmentId: appointmentId, technicianIds: add }),
        () => client.changeAssignments('unassign', { jobAppointmentId: appointmentId, technicianIds: add }),
      );
    }
    if (remove.length) {
      await step(
        'appointment-assignments.unassign-technicians',
        `technicians ${remove.join(', ')} unassigned from appointment ${appt.id}`,
        () => client.changeAssignments('unassign', { jobAppointmentId: appointmentId, technicianIds: remove }),
        () => client.changeAssignments('assign', { jobAppointmentId: appointmentId, technicianIds: remove }),
      );
    }
  }

  async function reason(kind: 'cancelReasons' | 'holdReasons', settingName: string, commandSettings?: Record<string, string>): Promise<number> {
    const op = kind === 'cancelReasons' ? 'jobs.cancel' : 'jobs.hold';
    const configured = settingId(op, settingName, commandSettings);
    if (configured !== undefined) return configured;
    const reasons = (await reference(kind, () => client.listAll(kind, { active: 'True' }))).filter((r) => r.active !== false);
    if (!reasons[0]) throw invalid(op, [{ field: `vendorSettings.${settingName}`, message: 'the tenant has no active reason to give' }]);
    return Number(reasons[0].id);
  }

  async function updateStatus(cmd: UpdateStatusCommand): Promise<WorkOrderModel> {
    const op = 'updateStatus';
    const errors: VendorFieldError[] = [];
    const jobId = vendorIdOf(cmd.workOrderRef, 'workOrderRef', errors);
    const action = STATUS_WRITE[cmd.status];
    if (!action) errors.push({ field: 'status', message: `ServiceTitan has no status write to ${cmd.status} (dispatching and starting happen in the field)` });
    let completedOn: string | undefined;
    if (action === 'complete') {
      try {
        completedOn = toUtc(cmd.at ?? new Date().toISOString());
      } catch {
        errors.push({ field: 'at', message: 'not a date/time' });
      }
    }
    if (errors.length || jobId === undefined || !action) throw invalid(op, errors);
    const id = String(jobId);
    const reached = async (): Promise<ServiceTitanJobWire | null> => {
      const j = await client.getJob(id);
      return j && WORK_ORDER_STATUS[j.jobStatus] === cmd.status ? j : null;
    };
    const memo = cmd.note?.trim() || `Set to ${cmd.status} through FieldGraph`;
    let write: () => Promise<unknown>;
    switch (action) {
      case 'cancel': {
        const reasonId = await reason('cancelReasons', 'cancelReasonId');
        write = () => client.jobTransition(id, 'cancel', { reasonId, memo });
        break;
      }
      case 'hold': {
        const reasonId = await reason('holdReasons', 'holdReasonId');
        write = () => client.jobTransition(id, 'hold', { reasonId, memo });
        break;
      }
      case 'complete':
        write = () => client.jobTransition(id, 'complete', { completedOn: completedOn! });
        break;
      case 'reinstate': {
        const job = await client.getJob(id);
        if (!job) throw connectorError('not_found', 'jobs.get', `ServiceTitan has no job ${id}`);
        const status = WORK_ORDER_STATUS[job.jobStatus];
        if (status === 'SCHEDULED') return mapped('jobs.get', job, toWorkOrderModel);
        if (status === 'CANCELLED') write = () => client.jobTransition(id, 'remove-cancellation');
        else if (status === 'ON_HOLD') {
          // A held job resumes when its held appointments do.
          write = async () => {
            const held = (await client.listAll('appointments', { jobId: id })).filter((a) => APPOINTMENT_STATUS[a.status] === 'ON_HOLD');
            for (const a of held) await client.removeAppointmentHold(a.id);
          };
        } else {
          throw connectorError('conflict', op, `a ${job.jobStatus} ServiceTitan job cannot go back to Scheduled`);
        }
        break;
      }
    }
    // Status writes are not idempotent (a repeated cancel is a 409): an unknown outcome is settled
    // by reading the job back before trying again.
    await writeOnce({ write, lookup: reached });
    const job = await client.getJob(id);
    if (!job) throw connectorError('not_found', 'jobs.get', `ServiceTitan has no job ${id}`);
    return mapped('jobs.get', job, toWorkOrderModel);
  }

  async function enrollMembership(cmd: EnrollMembershipCommand): Promise<MembershipModel> {
    const op = 'memberships.sale';
    const errors: VendorFieldError[] = [];
    const customerId = vendorIdOf(cmd.customerRef, 'customerRef', errors);
    const locationId = vendorIdOf(cmd.locationRef, 'locationRef', errors);
    if (!isId(cmd.planId)) errors.push({ field: 'planId', message: `not a ServiceTitan membership type id: ${cmd.planId}` });
    if (errors.length || customerId === undefined) throw invalid(op, errors);
    const vs = cmd.vendorSettings;

    let durationBillingId = settingId(op, 'durationBillingId', vs);
    if (durationBillingId === undefined) {
      const options_ = await reference(`durationBilling:${cmd.planId}`, () => client.durationBillingItems(cmd.planId));
      if (!options_) throw invalid(op, [{ field: 'planId', message: `ServiceTitan has no membership type ${cmd.planId}` }]);
      const pick = pickDurationBilling(options_, cmd.billingCadence);
      if (!pick) throw invalid(op, [{ field: 'billingCadence', message: `membership type ${cmd.planId} is not billed ${cmd.billingCadence.toLowerCase()}` }]);
      durationBillingId = Number(pick.id);
    }
    let saleTaskId = settingId(op, 'saleTaskId', vs) ?? settingId(op, `saleTaskId.${cmd.planId}`);
    if (saleTaskId === undefined) {
      // The pricebook service that sells a membership type is tenant configuration; without it
      // configured, the active service named after the type ("<type name> membership") is taken.
      const [types, services] = await Promise.all([
        reference('membershipTypes', () => client.listAll('membershipTypes', { active: 'Any' })),
        reference('pricebookServices', () => client.listAll('pricebookServices', { active: 'True' })),
      ]);
      const type = types.find((t) => t.id === cmd.planId);
      if (!type) throw invalid(op, [{ field: 'planId', message: `ServiceTitan has no membership type ${cmd.planId}` }]);
      const named = services.filter((s) => s.active !== false && s.displayName && norm(s.displayName).startsWith(norm(type.name)));
      if (named.length !== 1) {
        throw invalid(op, [{ field: 'vendorSettings.saleTaskId', message: `configure the pricebook service that sells "${type.name}" (${named.length} candidates)` }]);
      }
      saleTaskId = Number(named[0]!.id);
    }
    let businessUnitId = settingId(op, 'membershipBusinessUnitId', vs) ?? settingId(op, 'businessUnitId', vs);
    if (businessUnitId === undefined) {
      const unit = (await reference('businessUnits', () => client.listAll('businessUnits', { active: 'True' }))).find((u) => u.active !== false);
      if (!unit) throw invalid(op, [{ field: 'vendorSettings.businessUnitId', message: 'the tenant has no active business unit' }]);
      businessUnitId = Number(unit.id);
    }
    const body = toMembershipSaleBody({ customerId, ...(locationId !== undefined ? { locationId } : {}), businessUnitId, saleTaskId, durationBillingId });

    // A sale takes no external reference: the membership it made is the customer's membership of
    // this type that was not there before the write.
    const before = new Set((await client.listAll('memberships', { customerIds: [customerId], active: 'Any' })).map((m) => m.id));
    const sold = await writeOnce({
      write: async () => (await client.sellMembership(body)).customerMembershipId,
      lookup: async () =>
        (await client.listAll('memberships', { customerIds: [customerId], active: 'Any' })).find((m) => !before.has(m.id) && m.membershipTypeId === cmd.planId)?.id ?? null,
    });
    const m = await client.getMembership(sold);
    if (!m) throw connectorError('bad_response', 'memberships.get', `ServiceTitan sold membership ${sold} but cannot find it`);
    return mapped('memberships.get', m, toMembershipModel);
  }

  // Appointments carry no technicians: each batch also reads their assignments. Customers carry no
  // email or phone: each batch also reads their contacts.
  const callsPerBatch: Partial<Record<EntityKind, number>> = {
    ...(withTechnicians ? { appointment: 2 } : {}),
    ...(contactsMode !== 'never' ? { customer: 2 } : {}),
  };
  return {
    vendor: VENDOR,
    capabilities: Object.keys(callsPerBatch).length ? { ...SERVICETITAN_CAPABILITIES, callsPerBatch } : SERVICETITAN_CAPABILITIES,
    get: get as FieldServiceConnector['get'],
    list: list as FieldServiceConnector['list'],
    iterate: iterate as FieldServiceConnector['iterate'],
    children: children as FieldServiceConnector['children'],
    createWorkOrder,
    dispatch,
    enrollMembership,
    updateStatus,
    ping: () => client.ping(),
  };
}
