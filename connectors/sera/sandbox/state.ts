/**
 * The Sera simulator's state: tables built from the data set (and rebuilt on reset), and the
 * writes the vendor allows, validated as the vendor validates them. Rows are immutable: every
 * write puts a new row, so the tables can move it between index entries.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { SERA } from '../../sandbox/dataset/vocab.js';
import { fromCents, mulDiv, toCents } from '../../sandbox/dataset/money.js';
import { TAX_RATE_BP } from '../../sandbox/dataset/catalog.js';
import type { GenCustomer, GenLocation, GenTechnician, VendorData } from '../../sandbox/dataset/types.js';
import { supergoodError } from '../../sandbox/supergood.js';
import {
  CADENCE_MONTHS,
  itemIdOfCode,
  jobTypeOf,
  LABOR_ITEM_ID,
  partItemId,
  PLANS_BY_ID,
  PRICEBOOK_BY_ID,
} from './catalog.js';
import { IndexedTable } from './table.js';
import { addDays, addMonths, BUSINESS_TIMEZONE, businessDate, isoUtc, localToUtc } from './time.js';

/** A Sera work order status. */
export type WorkOrderStatus = (typeof SERA.workOrderStatus)[number];
/** A Sera membership status. */
export type MembershipStatus = (typeof SERA.membershipStatus)[number];
/** A Sera invoice status. */
export type InvoiceStatus = (typeof SERA.invoiceStatus)[number];

/** A priced line of a work order or an invoice; quantity in hundredths, money in cents. */
export interface LineRow {
  itemId: string;
  name: string;
  quantityHundredths: number;
  unitPriceCents: number;
  taxable: boolean;
}

/** A booked appointment window: UTC instants and the zone it was booked in. */
export interface WindowRow {
  startMs: number;
  endMs: number;
  timezone: string;
}

/** A work order as the simulator holds it. */
export interface WorkOrderRow {
  id: string;
  customerId: string;
  locationId: string;
  jobType: string;
  priority: string;
  status: WorkOrderStatus;
  requestedDate: string | null;
  description: string;
  window: WindowRow | null;
  technicianId: string | null;
  lines: LineRow[];
  source: string | null;
  notes: string | null;
  arrivalNotes: string | null;
  attachments: Array<{ fileName: string; uploadToken: string }>;
  startedAt: string | null;
  completedAt: string | null;
  invoiceId: string | null;
  createdAt: string;
  updatedAt: string;
}

/** An invoice line with its exact total. */
export interface InvoiceLineRow {
  itemId: string;
  description: string;
  quantityHundredths: number;
  unitPriceCents: number;
  totalCents: number;
}

/** An invoice as the simulator holds it. */
export interface InvoiceRow {
  id: string;
  number: string;
  workOrderId: string;
  customerId: string;
  locationId: string;
  status: InvoiceStatus;
  issuedOn: string;
  dueOn: string;
  lines: InvoiceLineRow[];
  subtotalCents: number;
  taxCents: number;
  totalCents: number;
  balanceCents: number;
  createdAt: string;
  updatedAt: string;
}

/** A membership as the simulator holds it. The payment method token is never kept. */
export interface MembershipRow {
  id: string;
  customerId: string;
  locationId: string | null;
  planId: string;
  planName: string;
  status: MembershipStatus;
  startDate: string;
  endDate: string | null;
  billingCadence: 'monthly' | 'quarterly' | 'annual';
  nextBillingDate: string | null;
  autopay: boolean;
  /** Keyed hash of the payment method token: tells methods apart, cannot be turned back. */
  paymentFingerprint: string | null;
  includedVisits: number;
  priceCents: number;
  introPriceCents: number | null;
  createdAt: string;
  updatedAt: string;
}

/** A customer, with the membership state its list filter uses. */
export interface CustomerRow extends GenCustomer {
  /** `membershipStatus` filter key: the newest membership's status, `none` when cancelled or absent. */
  membershipKey: 'active' | 'lapsed' | 'none';
}

/** A request id for error bodies. */
type Req = { requestId: string };

/** Work order statuses a status may move to. Self-loops update assignment and notes only. */
export const TRANSITIONS: Record<WorkOrderStatus, readonly WorkOrderStatus[]> = {
  new: ['scheduled', 'cancelled'],
  scheduled: ['scheduled', 'dispatched', 'in_progress', 'on_hold', 'cancelled'],
  dispatched: ['dispatched', 'in_progress', 'on_hold', 'cancelled'],
  in_progress: ['in_progress', 'completed', 'on_hold', 'cancelled'],
  on_hold: ['on_hold', 'scheduled', 'dispatched', 'in_progress', 'cancelled'],
  completed: [],
  cancelled: [],
};

/** Statuses whose appointment holds the technician's time (double booking is refused). */
const HOLDS_TECHNICIAN = new Set<WorkOrderStatus>(['scheduled', 'dispatched', 'in_progress', 'on_hold']);

/** A requested appointment window, as the write bodies carry it. */
export interface WindowInput {
  requestedDate: string;
  timeWindow: { start: string; end: string; timezone: string };
}

/** The body of `POST /work-orders`, after validation. */
export interface CreateWorkOrderInput {
  customerId: string;
  serviceLocationId: string;
  jobType: string;
  priority: string;
  requestedDate?: string | null | undefined;
  timeWindow?: { start: string; end: string; timezone: string } | null | undefined;
  description: string;
  pricebookItems: Array<{ itemId: string; quantity: number; unitPrice?: number | null | undefined }>;
  assignedTechnicianId?: string | null | undefined;
  source?: string | null | undefined;
  notes?: string | null | undefined;
}

/** The body of `PATCH /work-orders/{id}/status`, after validation. */
export interface StatusInput {
  status: WorkOrderStatus;
  assignedTechnicianId?: string | null | undefined;
  requestedDate?: string | null | undefined;
  timeWindow?: { start: string; end: string; timezone: string } | null | undefined;
  startedAt?: string | null | undefined;
  completedAt?: string | null | undefined;
  arrivalNotes?: string | null | undefined;
  attachments?: Array<{ fileName: string; uploadToken: string }> | null | undefined;
}

/** The body of `POST /customers/{id}/memberships`, after validation. */
export interface MembershipInput {
  planId: string;
  startDate?: string | null | undefined;
  billingCadence?: 'monthly' | 'quarterly' | 'annual' | null | undefined;
  autopay: boolean;
  paymentMethodToken?: string | null | undefined;
  includedVisits?: number | null | undefined;
  introPrice?: number | null | undefined;
}

/** Money of a line: unit price times quantity (hundredths), rounded half up to the cent. */
export function lineCents(line: { quantityHundredths: number; unitPriceCents: number }): number {
  return mulDiv(line.unitPriceCents, line.quantityHundredths, 100);
}

/** Subtotal, tax (on taxable lines, at the business's rate) and total, in cents. */
export function totalsOf(lines: readonly LineRow[]): { subtotal: number; tax: number; total: number } {
  let subtotal = 0;
  let taxable = 0;
  for (const l of lines) {
    const c = lineCents(l);
    subtotal += c;
    if (l.taxable) taxable += c;
  }
  const tax = mulDiv(taxable, TAX_RATE_BP, 10_000);
  return { subtotal, tax, total: subtotal + tax };
}

function line(itemId: string, quantityHundredths: number, unitPriceCents?: number): LineRow {
  const item = PRICEBOOK_BY_ID.get(itemId);
  return {
    itemId,
    name: item?.name ?? itemId,
    quantityHundredths,
    unitPriceCents: unitPriceCents ?? item?.unitPriceCents ?? 0,
    taxable: item?.taxable ?? false,
  };
}

/** Quantity (a decimal string or number with at most two places) in hundredths. */
function hundredths(q: string | number): number {
  return toCents(q);
}

/** The Sera simulator's tables and writes. */
export class SeraState {
  readonly customers = new IndexedTable<CustomerRow>((c) => c.id, {
    keys: { status: (c) => (c.active ? 'active' : 'inactive'), membership: (c) => c.membershipKey },
    ranges: { updated: (c) => Date.parse(c.updatedAt) },
  });
  readonly locations = new IndexedTable<GenLocation>((l) => l.id, {
    keys: { customer: (l) => l.customerId },
    ranges: { updated: (l) => Date.parse(l.updatedAt) },
  });
  readonly technicians = new IndexedTable<GenTechnician>((t) => t.id, {
    keys: { skill: (t) => t.skills, region: (t) => t.region },
  });
  readonly workOrders = new IndexedTable<WorkOrderRow>((w) => w.id, {
    keys: { customer: (w) => w.customerId, status: (w) => w.status, technician: (w) => w.technicianId ?? undefined },
    ranges: { updated: (w) => Date.parse(w.updatedAt), scheduled: (w) => w.window?.startMs },
  });
  readonly invoices = new IndexedTable<InvoiceRow>((i) => i.id, {
    keys: { customer: (i) => i.customerId, workOrder: (i) => i.workOrderId, status: (i) => i.status },
    ranges: { updated: (i) => Date.parse(i.updatedAt) },
  });
  readonly memberships = new IndexedTable<MembershipRow>((m) => m.id, {
    keys: { customer: (m) => m.customerId, status: (m) => m.status },
  });
  /** The first location of each customer in the data set: its default service location. */
  private readonly defaultLocation = new Map<string, string>();
  private nextInvoiceNumber = 20001;
  private readonly fingerprintKey = randomBytes(32);

  constructor(
    private readonly data: VendorData,
    private readonly newId: (prefix: string) => string,
    private readonly now: () => Date,
  ) {
    this.load();
  }

  /** True when any table holds `id` (new ids must not collide). */
  has(id: string): boolean {
    return (
      this.customers.has(id) ||
      this.locations.has(id) ||
      this.technicians.has(id) ||
      this.workOrders.has(id) ||
      this.invoices.has(id) ||
      this.memberships.has(id)
    );
  }

  /** Throws away every write and loads the data set again. */
  reload(): void {
    for (const t of [this.customers, this.locations, this.technicians, this.workOrders, this.invoices, this.memberships]) t.clear();
    this.defaultLocation.clear();
    this.load();
  }

  private load(): void {
    const d = this.data;
    for (const l of d.locations) if (!this.defaultLocation.has(l.customerId)) this.defaultLocation.set(l.customerId, l.id);
    this.locations.load(d.locations);
    this.technicians.load(d.technicians);
    this.memberships.load(
      d.memberships.map((m) => ({
        id: m.id,
        customerId: m.customerId,
        locationId: m.locationId ?? null,
        planId: m.planId,
        planName: m.planName,
        status: m.status as MembershipStatus,
        startDate: m.from,
        endDate: m.to ?? null,
        billingCadence: m.billingCadence,
        nextBillingDate: m.nextBillingDate ?? null,
        autopay: false,
        paymentFingerprint: null,
        includedVisits: m.includedVisits,
        priceCents: toCents(m.price),
        introPriceCents: null,
        createdAt: m.createdAt,
        updatedAt: m.updatedAt,
      })),
    );
    this.invoices.load(
      d.invoices.map((i) => ({
        id: i.id,
        number: i.number,
        workOrderId: i.workOrderId,
        customerId: i.customerId,
        locationId: i.locationId,
        status: i.status as InvoiceStatus,
        issuedOn: i.issuedOn,
        dueOn: i.dueOn,
        lines: i.items.map((it) => ({
          itemId: itemIdOfCode(it.code),
          description: it.description,
          quantityHundredths: hundredths(it.quantity),
          unitPriceCents: toCents(it.unitPrice),
          totalCents: toCents(it.total),
        })),
        subtotalCents: toCents(i.subtotal),
        taxCents: toCents(i.tax),
        totalCents: toCents(i.total),
        balanceCents: toCents(i.balance),
        createdAt: i.createdAt,
        updatedAt: i.updatedAt,
      })),
    );
    let maxNumber = 20000;
    for (const i of d.invoices) {
      const n = /^S-(\d+)$/.exec(i.number);
      if (n) maxNumber = Math.max(maxNumber, Number(n[1]));
    }
    this.nextInvoiceNumber = maxNumber + 1;

    const invoiceOf = new Map(d.invoices.map((i) => [i.workOrderId, i]));
    const appointmentOf = new Map(d.appointments.map((a) => [a.workOrderId, a]));
    const techSkill = new Map(d.technicians.map((t) => [t.id, t.skills[0]]));
    this.workOrders.load(
      d.workOrders.map((w) => {
        const invoice = invoiceOf.get(w.id);
        const appt = appointmentOf.get(w.id);
        let lines: LineRow[];
        if (invoice) {
          lines = invoice.items.map((it) => line(itemIdOfCode(it.code), hundredths(it.quantity), toCents(it.unitPrice)));
        } else {
          // No invoice yet: the parts, plus the labour the job's total leaves after parts and tax.
          const parts = w.parts.map((p) => line(partItemId(p.partNumber), p.quantity * 100, toCents(p.unitPrice)));
          const partTotals = totalsOf(parts);
          const laborCents = toCents(w.total) - partTotals.total;
          const rate = PRICEBOOK_BY_ID.get(LABOR_ITEM_ID)!.unitPriceCents;
          const labor =
            laborCents <= 0 ? [] : (laborCents * 100) % rate === 0 ? [line(LABOR_ITEM_ID, (laborCents * 100) / rate)] : [line(LABOR_ITEM_ID, 100, laborCents)];
          lines = [...labor, ...parts];
        }
        const technicianId = w.technicianIds[0] ?? appt?.technicianIds[0] ?? null;
        const window = w.window
          ? { startMs: Date.parse(w.window.start), endMs: Date.parse(w.window.end), timezone: BUSINESS_TIMEZONE }
          : null;
        return {
          id: w.id,
          customerId: w.customerId,
          locationId: w.locationId,
          jobType: jobTypeOf(w.summary, w.serviceType, technicianId ? techSkill.get(technicianId) : undefined),
          priority: w.priority,
          status: w.status as WorkOrderStatus,
          requestedDate: window ? businessDate(window.startMs) : null,
          description: w.summary,
          window,
          technicianId,
          lines,
          source: null,
          notes: appt?.instructions ?? null,
          arrivalNotes: null,
          attachments: [],
          // The data set keeps no arrival time: a started job started when its window opened.
          startedAt:
            w.window && (w.status === 'in_progress' || w.status === 'completed')
              ? w.completedAt && w.completedAt < w.window.start
                ? w.completedAt
                : w.window.start
              : null,
          completedAt: w.completedAt ?? null,
          invoiceId: invoice?.id ?? null,
          createdAt: w.createdAt,
          updatedAt: w.updatedAt,
        };
      }),
    );
    this.customers.load(d.customers.map((c) => ({ ...c, membershipKey: this.membershipKeyOf(c.id) })));
  }

  /** The default service location of a customer (its first location), if any. */
  defaultLocationOf(customerId: string): GenLocation | undefined {
    const id = this.defaultLocation.get(customerId) ?? this.locations.idsBy('customer', customerId)[0];
    return id ? this.locations.get(id) : undefined;
  }

  /** The customer's newest membership (latest start, then latest created). */
  newestMembership(customerId: string): MembershipRow | undefined {
    let best: MembershipRow | undefined;
    for (const id of this.memberships.idsBy('customer', customerId)) {
      const m = this.memberships.get(id)!;
      if (!best || m.startDate > best.startDate || (m.startDate === best.startDate && m.createdAt >= best.createdAt)) best = m;
    }
    return best;
  }

  /** Sum of the balances of the customer's invoices (void ones owe nothing), in cents. */
  outstandingCents(customerId: string): number {
    let sum = 0;
    for (const id of this.invoices.idsBy('customer', customerId)) {
      const i = this.invoices.get(id)!;
      if (i.status !== 'void') sum += i.balanceCents;
    }
    return sum;
  }

  private membershipKeyOf(customerId: string): CustomerRow['membershipKey'] {
    const m = this.newestMembership(customerId);
    return m?.status === 'active' ? 'active' : m?.status === 'lapsed' ? 'lapsed' : 'none';
  }

  /** Re-files a customer whose derived fields (membership, balance) changed, and bumps updatedAt. */
  private touchCustomer(customerId: string, at: string): void {
    const c = this.customers.get(customerId);
    if (c) this.customers.put({ ...c, membershipKey: this.membershipKeyOf(customerId), updatedAt: at });
  }

  private windowOf(input: WindowInput): WindowRow {
    const { requestedDate, timeWindow } = input;
    return {
      startMs: localToUtc(requestedDate, timeWindow.start, timeWindow.timezone),
      endMs: localToUtc(requestedDate, timeWindow.end, timeWindow.timezone),
      timezone: timeWindow.timezone,
    };
  }

  /** Checks that a technician exists, works, and is free in `window` (422 / 409 otherwise). */
  private checkTechnician(technicianId: string, window: WindowRow | null, exceptWorkOrder: string | null, req: Req): void {
    const tech = this.technicians.get(technicianId);
    if (!tech) {
      throw supergoodError(422, 'unprocessable', `Technician ${technicianId} does not exist.`, req, [
        { field: 'assignedTechnicianId', message: 'Unknown technician.' },
      ]);
    }
    if (!tech.active) {
      throw supergoodError(422, 'unprocessable', `Technician ${technicianId} is inactive and cannot be assigned.`, req, [
        { field: 'assignedTechnicianId', message: 'Inactive technician.' },
      ]);
    }
    if (!window) return;
    for (const id of this.workOrders.idsBy('technician', technicianId)) {
      if (id === exceptWorkOrder) continue;
      const other = this.workOrders.get(id)!;
      if (!HOLDS_TECHNICIAN.has(other.status) || !other.window) continue;
      if (other.window.startMs < window.endMs && window.startMs < other.window.endMs) {
        throw supergoodError(409, 'conflict', `Technician ${technicianId} already has work order ${id} in that window.`, req, [
          { field: 'assignedTechnicianId', message: 'Technician is not available in the requested window.' },
        ]);
      }
    }
  }

  /** `POST /work-orders`. */
  createWorkOrder(b: CreateWorkOrderInput, req: Req): WorkOrderRow {
    const customer = this.customers.get(b.customerId);
    if (!customer) {
      throw supergoodError(422, 'unprocessable', `Customer ${b.customerId} does not exist.`, req, [{ field: 'customerId', message: 'Unknown customer.' }]);
    }
    const location = this.locations.get(b.serviceLocationId);
    if (!location || location.customerId !== b.customerId) {
      throw supergoodError(
        422,
        'unprocessable',
        location ? `Location ${b.serviceLocationId} is not a service location of customer ${b.customerId}.` : `Location ${b.serviceLocationId} does not exist.`,
        req,
        [{ field: 'serviceLocationId', message: location ? 'Not a location of this customer.' : 'Unknown location.' }],
      );
    }
    const unknownItems = b.pricebookItems
      .map((p, i) => ({ p, i }))
      .filter(({ p }) => !PRICEBOOK_BY_ID.has(p.itemId));
    if (unknownItems.length > 0) {
      throw supergoodError(
        422,
        'unprocessable',
        `Unknown pricebook item ${unknownItems.map(({ p }) => p.itemId).join(', ')}.`,
        req,
        unknownItems.map(({ i }) => ({ field: `pricebookItems.${i}.itemId`, message: 'Unknown pricebook item.' })),
      );
    }
    const window = b.timeWindow && b.requestedDate ? this.windowOf({ requestedDate: b.requestedDate, timeWindow: b.timeWindow }) : null;
    const technicianId = b.assignedTechnicianId ?? null;
    if (technicianId) this.checkTechnician(technicianId, window, null, req);
    const at = isoUtc(this.now().getTime());
    const row: WorkOrderRow = {
      id: this.newId('wo'),
      customerId: b.customerId,
      locationId: b.serviceLocationId,
      jobType: b.jobType,
      priority: b.priority,
      // Booked (a window and a technician) is scheduled; anything less waits on the board as new.
      status: window && technicianId ? 'scheduled' : 'new',
      requestedDate: b.requestedDate ?? null,
      description: b.description,
      window,
      technicianId,
      lines: b.pricebookItems.map((p) =>
        line(p.itemId, hundredths(p.quantity), p.unitPrice === undefined || p.unitPrice === null ? undefined : toCents(p.unitPrice)),
      ),
      source: b.source ?? null,
      notes: b.notes ?? null,
      arrivalNotes: null,
      attachments: [],
      startedAt: null,
      completedAt: null,
      invoiceId: null,
      createdAt: at,
      updatedAt: at,
    };
    this.workOrders.put(row);
    return row;
  }

  /** `PATCH /work-orders/{id}/status`. */
  updateStatus(id: string, b: StatusInput, req: Req): WorkOrderRow {
    const wo = this.workOrders.get(id);
    if (!wo) throw supergoodError(404, 'not_found', `Work order ${id} not found.`, req);
    const to = b.status;
    if (!TRANSITIONS[wo.status].includes(to)) {
      throw supergoodError(409, 'conflict', `A ${wo.status} work order cannot move to ${to}.`, req, [
        { field: 'status', message: `Allowed from ${wo.status}: ${TRANSITIONS[wo.status].join(', ') || 'none (final state)'}.` },
      ]);
    }
    const details: Array<{ field: string; message: string }> = [];
    if ((b.timeWindow || b.requestedDate) && to !== 'scheduled') {
      details.push({ field: b.timeWindow ? 'timeWindow' : 'requestedDate', message: 'The window can only be changed with status scheduled.' });
    }
    if (b.startedAt && to !== 'in_progress') details.push({ field: 'startedAt', message: 'Only with status in_progress.' });
    if (b.completedAt && to !== 'completed') details.push({ field: 'completedAt', message: 'Only with status completed.' });
    if (b.timeWindow && !b.requestedDate) details.push({ field: 'requestedDate', message: 'Required when timeWindow is given.' });
    if (b.requestedDate && !b.timeWindow) details.push({ field: 'timeWindow', message: 'Required when requestedDate is given.' });
    const window = b.timeWindow && b.requestedDate ? this.windowOf({ requestedDate: b.requestedDate, timeWindow: b.timeWindow }) : wo.window;
    const technicianId = b.assignedTechnicianId ?? wo.technicianId;
    if (to === 'scheduled' && !window) {
      details.push({ field: 'timeWindow', message: 'A work order needs an appointment window to be scheduled.' });
    }
    if (to !== 'cancelled' && to !== 'on_hold' && !technicianId) {
      details.push({ field: 'assignedTechnicianId', message: `A technician is required for status ${to}.` });
    }
    if (details.length > 0) throw supergoodError(400, 'validation_error', 'The request is invalid.', req, details);
    if (to !== 'cancelled' && technicianId && (technicianId !== wo.technicianId || window !== wo.window)) {
      this.checkTechnician(technicianId, window, wo.id, req);
    }

    const nowMs = this.now().getTime();
    const at = isoUtc(nowMs);
    let startedAt = wo.startedAt;
    if (to === 'in_progress' && (b.startedAt || !startedAt)) startedAt = isoUtc(b.startedAt ? Date.parse(b.startedAt) : nowMs);
    let completedAt = wo.completedAt;
    if (to === 'completed') {
      const doneMs = b.completedAt ? Date.parse(b.completedAt) : nowMs;
      if (startedAt && doneMs < Date.parse(startedAt)) {
        throw supergoodError(400, 'validation_error', 'The request is invalid.', req, [{ field: 'completedAt', message: 'Must not be before startedAt.' }]);
      }
      completedAt = isoUtc(doneMs);
    }
    let row: WorkOrderRow = {
      ...wo,
      status: to,
      window,
      requestedDate: b.requestedDate ?? wo.requestedDate,
      technicianId,
      startedAt,
      completedAt,
      arrivalNotes: b.arrivalNotes ?? wo.arrivalNotes,
      attachments: b.attachments ? [...wo.attachments, ...b.attachments.map((a) => ({ fileName: a.fileName, uploadToken: a.uploadToken }))] : wo.attachments,
      updatedAt: at,
    };
    if (to === 'completed') row = { ...row, invoiceId: this.invoiceFor(row, at).id };
    this.workOrders.put(row);
    return row;
  }

  /**
   * Sandbox action: the technician finishes the job in the field. Moves a scheduled, dispatched
   * or in-progress work order to completed (starting it first when needed) and invoices it.
   */
  completeInField(id: string, req: Req): { workOrder: WorkOrderRow; invoice: InvoiceRow } {
    const wo = this.workOrders.get(id);
    if (!wo) throw supergoodError(404, 'not_found', `Work order ${id} not found.`, req);
    if (wo.status !== 'scheduled' && wo.status !== 'dispatched' && wo.status !== 'in_progress') {
      throw supergoodError(409, 'conflict', `A ${wo.status} work order cannot be completed in the field.`, req, [
        { field: 'status', message: 'Only scheduled, dispatched or in_progress work orders can be completed.' },
      ]);
    }
    const at = isoUtc(this.now().getTime());
    const started: WorkOrderRow = { ...wo, status: 'in_progress', startedAt: wo.startedAt ?? at };
    const invoice = this.invoiceFor(started, at);
    const row: WorkOrderRow = { ...started, status: 'completed', completedAt: at, invoiceId: invoice.id, updatedAt: at };
    this.workOrders.put(row);
    return { workOrder: row, invoice: this.invoices.get(invoice.id)! };
  }

  /** Creates the invoice of a completing work order from its pricebook lines. */
  private invoiceFor(wo: WorkOrderRow, at: string): InvoiceRow {
    const totals = totalsOf(wo.lines);
    const issuedOn = businessDate(Date.parse(wo.completedAt ?? at));
    const invoice: InvoiceRow = {
      id: this.newId('inv'),
      number: `S-${this.nextInvoiceNumber++}`,
      workOrderId: wo.id,
      customerId: wo.customerId,
      locationId: wo.locationId,
      status: totals.total === 0 ? 'paid' : 'open',
      issuedOn,
      dueOn: addDays(issuedOn, 30),
      lines: wo.lines.map((l) => ({
        itemId: l.itemId,
        description: l.name,
        quantityHundredths: l.quantityHundredths,
        unitPriceCents: l.unitPriceCents,
        totalCents: lineCents(l),
      })),
      subtotalCents: totals.subtotal,
      taxCents: totals.tax,
      totalCents: totals.total,
      balanceCents: totals.total,
      createdAt: at,
      updatedAt: at,
    };
    this.invoices.put(invoice);
    this.touchCustomer(wo.customerId, at);
    return invoice;
  }

  /**
   * `POST /customers/{id}/memberships`: enrols the customer, or renews the customer's active or
   * lapsed membership of the same plan in place. `created` tells which.
   */
  enroll(customerId: string, b: MembershipInput, req: Req): { membership: MembershipRow; created: boolean } {
    if (!this.customers.has(customerId)) throw supergoodError(404, 'not_found', `Customer ${customerId} not found.`, req);
    const plan = PLANS_BY_ID.get(b.planId);
    if (!plan) {
      throw supergoodError(422, 'unprocessable', `Membership plan ${b.planId} does not exist.`, req, [{ field: 'planId', message: 'Unknown plan.' }]);
    }
    if (b.billingCadence && b.billingCadence !== plan.billingCadence) {
      throw supergoodError(400, 'validation_error', 'The request is invalid.', req, [
        { field: 'billingCadence', message: `Plan ${plan.planId} bills ${plan.billingCadence}.` },
      ]);
    }
    const nowMs = this.now().getTime();
    const at = isoUtc(nowMs);
    const startDate = b.startDate ?? businessDate(nowMs);
    const fingerprint = b.paymentMethodToken
      ? `fp_${createHmac('sha256', this.fingerprintKey).update(b.paymentMethodToken).digest('hex').slice(0, 24)}`
      : null;
    const terms = {
      status: 'active' as const,
      startDate,
      endDate: addMonths(startDate, 12),
      billingCadence: plan.billingCadence,
      nextBillingDate: addMonths(startDate, CADENCE_MONTHS[plan.billingCadence]),
      autopay: b.autopay,
      paymentFingerprint: fingerprint,
      includedVisits: b.includedVisits ?? plan.includedVisits,
      priceCents: plan.priceCents,
      introPriceCents: b.introPrice === undefined || b.introPrice === null ? null : toCents(b.introPrice),
      updatedAt: at,
    };
    const renewable = this.memberships
      .idsBy('customer', customerId)
      .map((id) => this.memberships.get(id)!)
      .find((m) => m.planId === plan.planId && (m.status === 'active' || m.status === 'lapsed'));
    const membership: MembershipRow = renewable
      ? { ...renewable, ...terms }
      : {
          id: this.newId('mbr'),
          customerId,
          locationId: this.defaultLocationOf(customerId)?.id ?? null,
          planId: plan.planId,
          planName: plan.name,
          createdAt: at,
          ...terms,
        };
    this.memberships.put(membership);
    this.touchCustomer(customerId, at);
    return { membership, created: !renewable };
  }
}

/** Money in cents as the JSON number Sera sends (89.00 is `89`). */
export function money(cents: number): number {
  return Number(fromCents(cents));
}
