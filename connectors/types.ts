/**
 * The one interface every vendor connector implements, its errors and its commands. Nothing here
 * knows GraphQL: loaders and services above call these methods with vendor ids and get canonical
 * models back.
 */
import type {
  AppointmentModel,
  BillingCadence,
  ClaimModel,
  EntityKind,
  InvoiceModel,
  MembershipModel,
  ModelByKind,
  Priority,
  RecordRef,
  TimeWindow,
  WorkOrderModel,
  WorkOrderStatus,
  Address,
} from '../src/model/index.js';
import type { VendorKey } from './vendors.js';

export type { VendorKey };

/** The closed set of connector failures. */
export const CONNECTOR_ERROR_KINDS = [
  'unauthorized',
  'forbidden',
  'not_found',
  'rate_limited',
  'timeout',
  'unavailable',
  'bad_response',
  'invalid_request',
  'conflict',
] as const;
export type ConnectorErrorKind = (typeof CONNECTOR_ERROR_KINDS)[number];

/** A field the vendor refused, as the vendor named it and said why. */
export interface VendorFieldError {
  field: string;
  message: string;
}

/**
 * A failed vendor call. Carries the vendor, the operation (e.g. `jobs.list`) and the HTTP status,
 * never a URL with credentials, a token or a response body.
 */
export class ConnectorError extends Error {
  override readonly name = 'ConnectorError';
  readonly kind: ConnectorErrorKind;
  readonly vendor: VendorKey;
  readonly operation: string;
  readonly status: number | undefined;
  /** For `rate_limited`: how long the vendor asked us to wait. */
  readonly retryAfterMs: number | undefined;
  /** For `invalid_request`: the vendor's field errors. */
  readonly fieldErrors: VendorFieldError[];
  /** The vendor's error code when it sends one (e.g. `unprocessable`, `RATE_LIMIT_EXCEEDED`). */
  readonly vendorCode: string | undefined;

  constructor(init: {
    kind: ConnectorErrorKind;
    vendor: VendorKey;
    operation: string;
    message: string;
    status?: number;
    retryAfterMs?: number;
    fieldErrors?: VendorFieldError[];
    vendorCode?: string;
    cause?: unknown;
  }) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = init.kind;
    this.vendor = init.vendor;
    this.operation = init.operation;
    this.status = init.status;
    this.retryAfterMs = init.retryAfterMs;
    this.fieldErrors = init.fieldErrors ?? [];
    this.vendorCode = init.vendorCode;
  }
}

/** Options every connector factory takes besides the vendor connection. */
export interface ConnectorOptions {
  /** Per-call timeout in ms (default 10 s). */
  timeoutMs?: number;
  retry?: { maxAttempts?: number; baseDelayMs?: number; maxDelayMs?: number };
  breaker?: { failureThreshold?: number; openMs?: number };
  /** Metrics and log hooks (no bodies, no credentials). */
  events?: import('./core/http-client.js').ClientEvents;
  /** Vendor references resolved from configuration (e.g. ServiceTitan campaignId). */
  settings?: Record<string, string>;
  /** Concurrency of single-record reads where the vendor has no batch look-up (default 16, `DEFAULT_READ_CONCURRENCY`). */
  concurrency?: number;
  fetch?: typeof fetch;
}

/** One page of a list and how to get the next. */
export interface Page<T> {
  items: T[];
  /** Opaque vendor cursor of the next page; undefined at the end. */
  nextCursor?: string;
  /**
   * The vendor's count of the records matching the server-side part of the query, when it reports
   * one (at least on the first page of a list of a `windows` kind). Filters the connector applies
   * client-side may keep fewer: use it to size reads, not as the number of items a walk returns.
   */
  total?: number;
}

/** Options of a list read. Filters a vendor cannot apply server-side are applied client-side. */
export interface ListQuery {
  /** From a previous page's `nextCursor`. */
  cursor?: string;
  /** Items per page, capped at the vendor's maximum. */
  pageSize?: number;
  /** Only records modified at or after this instant (incremental reads). */
  updatedSince?: string;
  /** Only records modified strictly before this instant: with `updatedSince`, the window `[updatedSince, updatedBefore)`. */
  updatedBefore?: string;
  /** Only records with these parents (a customer's work orders, a work order's appointments…). */
  customerId?: string;
  locationId?: string;
  workOrderId?: string;
  technicianId?: string;
  /** Vendor status words to keep. */
  sourceStatuses?: string[];
}

/** The parent kinds a relation can hang from. */
export type ParentKind = 'customer' | 'location' | 'equipment' | 'workOrder' | 'technician';

/** What a connector can do; the graph asks before it calls. */
export interface ConnectorCapabilities {
  /** Entity kinds this vendor holds and `get` reads by id. */
  entities: readonly EntityKind[];
  /** Entity kinds `list` and `iterate` can walk. */
  lists: readonly EntityKind[];
  /** Kinds whose lists take `updatedSince` server-side (incremental reads). */
  incremental: readonly EntityKind[];
  /** Ids per batched look-up call, per kind (1: single GETs only). */
  batchSize: Partial<Record<EntityKind, number>>;
  /**
   * Vendor calls each batch of `get` costs, per kind, when the record is spread over several
   * endpoints (ServiceTitan appointments: the appointments, then their technician assignments).
   * Default 1.
   */
  callsPerBatch?: Partial<Record<EntityKind, number>>;
  /** `child <- parent` relations the connector can read, e.g. `appointment<-workOrder`. */
  relations: readonly `${EntityKind}<-${ParentKind}`[];
  /**
   * Relations whose parent models list all their children's ids when they know them
   * (`WorkOrderModel.appointmentIds`: a ServiceTitan job names its first and last visit): the graph
   * reads those children by id once the parent is in hand, instead of asking for the children.
   */
  listedChildren?: readonly `${EntityKind}<-${ParentKind}`[];
  /** Writes this vendor supports. */
  writes: readonly WriteKind[];
  /** Kinds whose lists apply `updatedSince` and `updatedBefore` server-side and report `total` on their first page. */
  windows: readonly EntityKind[];
  /** Precision of the vendor's modification times in ms (1000 when it keeps whole seconds); windows are never narrower. */
  timePrecisionMs: number;
  /** Vendor status word -> canonical status, per kind: the connector's mapping tables, so the graph can turn a canonical status filter into `sourceStatuses`. */
  statuses: Partial<Record<'workOrder' | 'appointment' | 'claim' | 'invoice' | 'membership', Readonly<Record<string, string>>>>;
}

export type WriteKind = 'createWorkOrder' | 'dispatch' | 'submitClaim' | 'enrollMembership' | 'updateStatus' | 'recordConsumption';

/** Create a work order. `externalReference` is stamped on the vendor record (look-before-write). */
export interface CreateWorkOrderCommand {
  externalReference: string;
  customer: { ref: RecordRef } | { new: { name: string; email?: string; phone?: string; address: Address } };
  location?: { ref: RecordRef } | { address: Address };
  equipment?: { ref: RecordRef } | { model: string; serialNumber?: string; manufacturer?: string; warranty?: boolean; warrantyExpiresOn?: string };
  serviceType: string;
  problemCode?: string;
  summary: string;
  priority: Priority;
  sla?: { respondBy?: string; completeBy?: string };
  window?: TimeWindow;
  technicianRefs?: RecordRef[];
  parts?: Array<{ partNumber: string; quantity: number; unitPrice?: string; description?: string }>;
  notes?: string;
  /** Vendor references resolved from configuration (ServiceTitan campaignId, businessUnitId, jobTypeId; Field Nation type of work). */
  vendorSettings?: Record<string, string>;
}

/** Assign technicians (or a provider) to a work order for a window. */
export interface DispatchCommand {
  workOrderRef: RecordRef;
  technicianRefs: RecordRef[];
  providerRef?: RecordRef;
  window: TimeWindow;
  routeDate?: string;
  instructions?: string;
}

/** The result of a dispatch: the visit created or changed. */
export interface DispatchResult {
  workOrder: WorkOrderModel | null;
  appointment: AppointmentModel | null;
}

/** Submit a warranty claim for a completed work order. */
export interface SubmitClaimCommand {
  workOrderRef: RecordRef;
  claimType: string;
  referenceNumber: string;
  labor: { minutes: number; rate: string };
  parts: Array<{ partNumber: string; quantity: number; unitCost: string }>;
  travel?: { miles: string; timeMinutes: number };
  taxes: string;
  attachments: Array<{ fileName: string; uploadToken: string }>;
  resolution: { code: string; description?: string };
}

/** Enroll a customer in a membership plan. The payment token is write-only. */
export interface EnrollMembershipCommand {
  externalReference: string;
  customerRef: RecordRef;
  locationRef?: RecordRef;
  planId: string;
  startDate: string;
  billingCadence: BillingCadence;
  autopay: boolean;
  paymentMethodToken?: string;
  includedVisits?: number;
  vendorSettings?: Record<string, string>;
}

/** Move a work order along its lifecycle where the vendor documents a status write. */
export interface UpdateStatusCommand {
  workOrderRef: RecordRef;
  status: WorkOrderStatus;
  technicianRef?: RecordRef;
  note?: string;
  at?: string;
}

/** Record parts and labor used on a work order. */
export interface RecordConsumptionCommand {
  workOrderRef: RecordRef;
  parts: Array<{ partNumber: string; description?: string; quantity: string; uom?: string }>;
  labor: Array<{ technicianRef: RecordRef; laborType: string; hours: string; startAt: string; endAt: string; notes?: string }>;
}

/**
 * One vendor API. Reads return canonical models; `get` keeps the order and length of `ids` with
 * null where the vendor has no such record. All methods throw {@link ConnectorError}.
 */
/**
 * A vendor's webhook deliveries: how to check one is genuine, tell retries apart, and which records
 * it says changed (the gateway then drops them from the shared cache).
 */
export interface WebhookSpec {
  /** Whether the delivery's signature matches the raw body under the shared `secret`. */
  verify(headers: Readonly<Record<string, string | undefined>>, rawBody: Buffer, secret: string): boolean;
  /** The delivery's id, the same for every retry of it (undefined when the vendor sends none). */
  deliveryId(headers: Readonly<Record<string, string | undefined>>): string | undefined;
  /** The records the delivery says changed. Throws (a zod error) when the body is not a delivery. */
  changed(body: unknown): Array<{ kind: EntityKind; id: string }>;
}

export interface FieldServiceConnector {
  readonly vendor: VendorKey;
  readonly capabilities: ConnectorCapabilities;

  /** Records by id, batched up to the vendor's batch size, bounded-concurrency single reads otherwise. */
  get<K extends EntityKind>(kind: K, ids: readonly string[]): Promise<Array<ModelByKind[K] | null>>;

  /** One page of a list. */
  list<K extends EntityKind>(kind: K, query?: ListQuery): Promise<Page<ModelByKind[K]>>;

  /** Every record of a list, page after page. */
  iterate<K extends EntityKind>(kind: K, query?: ListQuery): AsyncIterable<ModelByKind[K]>;

  /**
   * Children of many parents at once (`appointment` of `workOrder` ids), with as few calls as the
   * vendor allows. The map has an entry (maybe empty) for every parent id.
   */
  children<K extends EntityKind>(kind: K, parent: ParentKind, parentIds: readonly string[]): Promise<Map<string, Array<ModelByKind[K]>>>;

  createWorkOrder?(command: CreateWorkOrderCommand): Promise<WorkOrderModel>;
  dispatch?(command: DispatchCommand): Promise<DispatchResult>;
  submitClaim?(command: SubmitClaimCommand): Promise<ClaimModel>;
  enrollMembership?(command: EnrollMembershipCommand): Promise<MembershipModel>;
  updateStatus?(command: UpdateStatusCommand): Promise<WorkOrderModel>;
  recordConsumption?(command: RecordConsumptionCommand): Promise<{ workOrderRef: RecordRef; recordedParts: number; recordedLabor: number }>;

  /** Signs in (or checks the token) so `/readyz` can tell a reachable, authenticated vendor. */
  ping(): Promise<void>;
}

export type { InvoiceModel, MembershipModel };
