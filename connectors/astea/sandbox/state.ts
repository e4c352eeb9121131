/**
 * The in-memory state of the Astea Alliance simulator: records built from `dataset.vendors.astea`,
 * the indexes every list call uses, and the writes (dispatch assignments, parts and labor
 * consumptions, field status changes, invoicing). Money is kept in integer cents and only turned
 * into JSON numbers when rendered.
 */
import { HttpError, isoNow, type SimContext } from '../../sandbox/kit.js';
import { idMaker, supergoodError } from '../../sandbox/supergood.js';
import { LABOR_RATE, PARTS, TAX_RATE_BP, UNIT_TYPES } from '../../sandbox/dataset/catalog.js';
import { fromCents, mulDiv, toCents } from '../../sandbox/dataset/money.js';
import type { GenAddress, GenInvoice, VendorData } from '../../sandbox/dataset/types.js';
import { addTo, byId, groupLists, idOrdered, plan, SortedList, type Candidate } from './indexes.js';
import {
  WorkOrderStatus,
  type AddressWire,
  type AssetWire,
  type AssignmentBody,
  type AssignmentStatus,
  type AssignmentWire,
  type ConsumptionBody,
  type ConsumptionWire,
  type ContractWire,
  type CustomerWire,
  type InvoiceWire,
  type LaborType,
  type SiteWire,
  type TechnicianWire,
  type WorkOrderDetailWire,
  type WorkOrderWire,
} from './schemas.js';

type Req = { requestId: string };

/** A record that never changes after the state is built, kept in its wire shape. */
export interface Row<W> {
  id: string;
  updatedMs: number;
  wire: W;
}

/** A work order header. */
export interface WorkOrderRec {
  id: string;
  number: string;
  status: WorkOrderStatus;
  priority: WorkOrderWire['priority'];
  customerId: string;
  siteId: string;
  assetId: string | null;
  problemCode: string;
  description: string;
  reportedAt: string;
  slaDueAt: string | null;
  slaDueMs: number | null;
  responseDueAt: string | null;
  window: { start: string; end: string } | null;
  technicianIds: string[];
  serviceType: string;
  serviceRegion: string;
  completedAt: string | null;
  updatedAt: string;
  updatedMs: number;
}

/** A dispatch assignment (one technician, one planned visit). */
export interface AssignmentRec {
  id: string;
  workOrderId: string;
  technicianId: string | null;
  status: AssignmentStatus;
  scheduledStart: string;
  scheduledEnd: string;
  startMs: number;
  endMs: number;
  routeSequence: number | null;
  notifyTechnician: boolean;
  note: string | null;
  createdAt: string;
  updatedAt: string;
  updatedMs: number;
}

interface PartLine {
  partNumber: string;
  description: string;
  qtyHundredths: number;
  uom: string;
  unitPriceCents: number;
  totalCents: number;
  warehouseId: string | null;
  bin: string | null;
  serialNumbers: string[];
  lotNumber: string | null;
}

interface LaborLine {
  technicianId: string;
  laborType: LaborType;
  hoursHundredths: number;
  rateCents: number;
  totalCents: number;
  startAt: string | null;
  endAt: string | null;
  notes: string | null;
}

/** Parts and labor recorded against a work order, billed when the work order completes. */
export interface ConsumptionRec {
  id: string;
  workOrderId: string;
  status: 'pending_billing' | 'billed';
  invoiceId: string | null;
  parts: PartLine[];
  labor: LaborLine[];
  customerSignature: { name: string; signedAt: string; signatureToken: string } | null;
  createdAt: string;
  updatedAt: string;
}

/** An invoice; amounts in cents. */
export interface InvoiceRec {
  id: string;
  number: string;
  workOrderId: string;
  customerId: string;
  siteId: string;
  status: InvoiceWire['status'];
  issuedOn: string;
  dueOn: string;
  lines: Array<{ code: string; description: string; qtyHundredths: number; unitPriceCents: number; totalCents: number }>;
  subtotalCents: number;
  taxCents: number;
  totalCents: number;
  balanceCents: number;
  createdAt: string;
  updatedAt: string;
  updatedMs: number;
}

/** Filters of `GET /work-orders`, timestamps already in epoch milliseconds. */
export interface WorkOrderFilter {
  customerId?: string;
  status?: WorkOrderStatus;
  slaDueFrom?: number;
  slaDueTo?: number;
  updatedFrom?: number;
  updatedTo?: number;
}

/** Filters of `GET /assignments`. */
export interface AssignmentFilter {
  technicianId?: string;
  status?: AssignmentStatus;
  scheduledFrom?: number;
  scheduledTo?: number;
  updatedFrom?: number;
  updatedTo?: number;
}

/** Filters of `GET /invoices`. */
export interface InvoiceFilter {
  customerId?: string;
  workOrderId?: string;
  status?: InvoiceWire['status'];
  updatedFrom?: number;
  updatedTo?: number;
}

/** Filters of `GET /assets`. */
export interface AssetFilter {
  siteId?: string;
  customerId?: string;
  serialNumber?: string;
  updatedFrom?: number;
  updatedTo?: number;
}

const ACTIVE_VISIT: ReadonlySet<AssignmentStatus> = new Set(['scheduled', 'en_route', 'on_site']);
const WO_STATUSES: ReadonlySet<string> = new Set(WorkOrderStatus.options);
const SKILL_BY_UNIT_TYPE = new Map(UNIT_TYPES.map((t) => [t.type, t.skill]));
const PART_BY_NUMBER = new Map(PARTS.map((p) => [p.partNumber, p]));
const LABOR_RATE_CENTS = toCents(LABOR_RATE);
/** Overtime bills at time and a half; travel at the regular rate. */
const RATE_CENTS: Record<LaborType, number> = { regular: LABOR_RATE_CENTS, overtime: mulDiv(LABOR_RATE_CENTS, 3, 2), travel: LABOR_RATE_CENTS };
const LABOR_CODE: Record<LaborType, string> = { regular: 'LABOR', overtime: 'LABOR-OT', travel: 'TRAVEL' };
const DAY_MS = 86_400_000;

const byUpdated = <T extends { id: string; updatedMs: number }>(a: T, b: T): number => a.updatedMs - b.updatedMs || byId(a, b);
const bySla = (a: WorkOrderRec, b: WorkOrderRec): number => (a.slaDueMs ?? 0) - (b.slaDueMs ?? 0) || byId(a, b);
const byStart = (a: AssignmentRec, b: AssignmentRec): number => a.startMs - b.startMs || byId(a, b);

function inRange(ms: number | null, from: number | undefined, to: number | undefined): boolean {
  if (from === undefined && to === undefined) return true;
  if (ms === null) return false;
  return (from === undefined || ms >= from) && (to === undefined || ms <= to);
}

/** Exact decimal string or cents to a JSON number (at the edge only). */
function money(cents: number): number {
  return Number(fromCents(cents));
}

/** Hundredths (of an hour or a unit) to a JSON number. */
function hundredthsToNumber(h: number): number {
  return Number(fromCents(h));
}

function toHundredths(v: number): number {
  return Math.round(v * 100);
}

/** ISO timestamp in the simulator's canonical form (UTC, seconds). */
function canonical(ts: string): string {
  return isoNow(new Date(ts));
}

function addressWire(a: GenAddress): AddressWire {
  return {
    line1: a.line1,
    ...(a.line2 ? { line2: a.line2 } : {}),
    city: a.city,
    region: a.region,
    postalCode: a.postalCode,
    country: a.country,
  };
}

/** An error in the session vendors' shape with an Astea-specific code (the shared helper's codes are generic). */
function asteaError(status: number, code: string, message: string, req: Req, details?: Array<{ field: string; message: string }>): HttpError {
  return new HttpError(status, { error: { code, message, ...(details ? { details } : {}) }, requestId: req.requestId });
}

/** A table of records that do not change: by id, in id order, and in update order. */
class StaticTable<W> {
  readonly byId = new Map<string, Row<W>>();
  readonly all: Row<W>[];
  readonly byUpdated: SortedList<Row<W>>;

  constructor(rows: Row<W>[]) {
    this.all = rows.slice().sort(byId);
    for (const r of this.all) this.byId.set(r.id, r);
    this.byUpdated = new SortedList(byUpdated, rows);
  }

  /** Groups rows by a key into id-ordered lists. */
  group(key: (w: W) => string): Map<string, Row<W>[]> {
    const out = new Map<string, Row<W>[]>();
    for (const r of this.all) {
      const k = key(r.wire);
      let list = out.get(k);
      if (!list) out.set(k, (list = []));
      list.push(r);
    }
    return out;
  }

  /** The candidates of a list call: every row, plus the update-time range when one is asked. */
  candidates(updatedFrom: number | undefined, updatedTo: number | undefined): Array<Candidate<Row<W>>> {
    const out: Array<Candidate<Row<W>>> = [idOrdered(this.all)];
    if (updatedFrom !== undefined || updatedTo !== undefined) out.push(this.byUpdated.range((r) => r.updatedMs, updatedFrom, updatedTo));
    return out;
  }
}

/** Everything the Astea simulator holds. Build a new one to reset. */
export class AsteaState {
  readonly customers: StaticTable<CustomerWire>;
  private readonly customersByStatus: Map<string, Row<CustomerWire>[]>;
  readonly sites: StaticTable<SiteWire>;
  private readonly sitesByCustomer: Map<string, Row<SiteWire>[]>;
  readonly assets: StaticTable<AssetWire>;
  private readonly assetsBySite: Map<string, Row<AssetWire>[]>;
  private readonly assetsByCustomer: Map<string, Row<AssetWire>[]>;
  private readonly assetsBySerial: Map<string, Row<AssetWire>[]>;
  readonly contracts: StaticTable<ContractWire>;
  private readonly contractsByCustomer: Map<string, Row<ContractWire>[]>;
  readonly technicians: StaticTable<TechnicianWire>;

  private readonly workOrders = new Map<string, WorkOrderRec>();
  private readonly woAll: WorkOrderRec[];
  private readonly woByCustomer = new Map<string, WorkOrderRec[]>();
  private readonly woByStatus = new Map<string, SortedList<WorkOrderRec>>();
  private readonly woByUpdated: SortedList<WorkOrderRec>;
  private readonly woBySla: SortedList<WorkOrderRec>;

  private readonly assignments = new Map<string, AssignmentRec>();
  private readonly asnAll: SortedList<AssignmentRec>;
  private readonly asnByWorkOrder: Map<string, SortedList<AssignmentRec>>;
  private readonly asnByTechnician: Map<string, SortedList<AssignmentRec>>;
  private readonly asnByStatus: Map<string, SortedList<AssignmentRec>>;
  private readonly asnByUpdated: SortedList<AssignmentRec>;
  private readonly asnByStart: SortedList<AssignmentRec>;

  private readonly consumptions = new Map<string, ConsumptionRec>();
  private readonly cnsByWorkOrder: Map<string, SortedList<ConsumptionRec>>;

  private readonly invoices = new Map<string, InvoiceRec>();
  private readonly invAll: SortedList<InvoiceRec>;
  private readonly invByCustomer: Map<string, SortedList<InvoiceRec>>;
  private readonly invByWorkOrder: Map<string, SortedList<InvoiceRec>>;
  private readonly invByStatus: Map<string, SortedList<InvoiceRec>>;
  private readonly invByUpdated: SortedList<InvoiceRec>;
  private invoiceCounter = 5000;

  private readonly newId: (prefix: string, digits?: number) => string;

  constructor(
    data: VendorData,
    private readonly ctx: SimContext,
  ) {
    const today = ctx.dataset.options.anchor.slice(0, 10);
    this.newId = idMaker(ctx, 'astea', (id) => this.taken(id));

    this.customers = new StaticTable(
      data.customers.map((c, i) => ({
        id: c.id,
        updatedMs: Date.parse(c.updatedAt),
        wire: {
          customerId: c.id,
          // Astea account numbers are assigned in the order accounts were opened.
          accountNumber: c.number ?? `ACCT-${10001 + i}`,
          name: c.name,
          type: c.type,
          status: c.active ? 'active' : 'inactive',
          contact: { email: c.email ?? null, phone: c.phone ?? null },
          billingAddress: addressWire(c.address),
          tags: c.tags.slice(),
          createdAt: c.createdAt,
          updatedAt: c.updatedAt,
        },
      })),
    );
    this.customersByStatus = this.customers.group((w) => w.status);

    this.sites = new StaticTable(
      data.locations.map((l) => ({
        id: l.id,
        updatedMs: Date.parse(l.updatedAt),
        wire: {
          siteId: l.id,
          customerId: l.customerId,
          name: l.name,
          address: addressWire(l.address),
          geo: l.address.latitude !== undefined && l.address.longitude !== undefined ? { latitude: l.address.latitude, longitude: l.address.longitude } : null,
          contact: l.contact ? { name: l.contact.name, email: l.contact.email ?? null, phone: l.contact.phone ?? null } : null,
          status: l.active ? 'active' : 'inactive',
          createdAt: l.createdAt,
          updatedAt: l.updatedAt,
        },
      })),
    );
    this.sitesByCustomer = this.sites.group((w) => w.customerId);

    // One warranty contract per customer with program-covered units; each covered unit is an entitlement.
    const covered = data.equipment.filter((e) => e.warrantyProgram && e.warrantyStart && e.warrantyEnd);
    const coveredByCustomer = new Map<string, typeof covered>();
    for (const e of covered) {
      const list = coveredByCustomer.get(e.customerId) ?? [];
      list.push(e);
      coveredByCustomer.set(e.customerId, list);
    }
    const contractRng = ctx.rng.fork('astea:contracts');
    const contractIds = new Set<string>();
    const contractOfAsset = new Map<string, { contractId: string; expiresOn: string; active: boolean }>();
    const contractRows: Array<Row<ContractWire>> = [];
    const customerIds = [...coveredByCustomer.keys()].sort();
    customerIds.forEach((customerId, i) => {
      const units = coveredByCustomer.get(customerId)!.slice().sort(byId);
      let contractId: string;
      do contractId = `ctr_${contractRng.hex(6)}`;
      while (contractIds.has(contractId));
      contractIds.add(contractId);
      const startsOn = units.map((u) => u.warrantyStart!).sort()[0]!;
      const endsOn = units.map((u) => u.warrantyEnd!).sort().at(-1)!;
      const entitlements = units.map((u) => ({
        assetId: u.id,
        program: u.warrantyProgram!,
        coverage: 'parts_and_labor' as const,
        startsOn: u.warrantyStart!,
        expiresOn: u.warrantyEnd!,
        active: u.warrantyEnd! >= today,
      }));
      for (const en of entitlements) contractOfAsset.set(en.assetId, { contractId, expiresOn: en.expiresOn, active: en.active });
      const createdAt = units.map((u) => u.createdAt).sort()[0]!;
      const updatedAt = units.map((u) => u.updatedAt).sort().at(-1)!;
      contractRows.push({
        id: contractId,
        updatedMs: Date.parse(updatedAt),
        wire: {
          contractId,
          number: `CTR-2026-${String(i + 1).padStart(4, '0')}`,
          customerId,
          name: [...new Set(units.map((u) => u.warrantyProgram!))].sort().join(' + '),
          type: 'warranty',
          status: endsOn >= today ? 'active' : 'expired',
          startsOn,
          endsOn,
          entitlements,
          createdAt,
          updatedAt,
        },
      });
    });
    this.contracts = new StaticTable(contractRows);
    this.contractsByCustomer = this.contracts.group((w) => w.customerId);

    this.assets = new StaticTable(
      data.equipment.map((e): Row<AssetWire> => {
        const c = contractOfAsset.get(e.id);
        return {
          id: e.id,
          updatedMs: Date.parse(e.updatedAt),
          wire: {
            assetId: e.id,
            siteId: e.locationId,
            customerId: e.customerId,
            name: e.name,
            type: e.type,
            manufacturer: e.manufacturer,
            model: e.model,
            serialNumber: e.serialNumber,
            installedOn: e.installedOn,
            status: e.active ? 'active' : 'inactive',
            warranty: e.warrantyEnd ? { program: e.warrantyProgram ?? null, startsOn: e.warrantyStart ?? e.installedOn, expiresOn: e.warrantyEnd } : null,
            coverage: c ? { covered: c.active, expiresOn: c.expiresOn, contractId: c.contractId } : { covered: false, expiresOn: null, contractId: null },
            createdAt: e.createdAt,
            updatedAt: e.updatedAt,
          },
        };
      }),
    );
    this.assetsBySite = this.assets.group((w) => w.siteId);
    this.assetsByCustomer = this.assets.group((w) => w.customerId);
    // Alliance runs on SQL Server with its default case-insensitive collation: serials match exactly but without case.
    this.assetsBySerial = this.assets.group((w) => w.serialNumber.toUpperCase());

    this.technicians = new StaticTable(
      data.technicians.map((t) => ({
        id: t.id,
        updatedMs: Date.parse(t.updatedAt),
        wire: {
          technicianId: t.id,
          name: t.name,
          email: t.email,
          phone: t.phone,
          skills: t.skills.slice(),
          region: t.region,
          dailyCapacity: t.dailyCapacity,
          status: t.active ? 'active' : 'inactive',
          createdAt: t.createdAt,
          updatedAt: t.updatedAt,
        },
      })),
    );

    for (const w of data.workOrders) {
      if (!WO_STATUSES.has(w.status)) throw new Error(`astea work order ${w.id} has status ${w.status}, not an Astea status`);
      if (!this.sites.byId.has(w.locationId)) throw new Error(`astea work order ${w.id} names unknown site ${w.locationId}`);
      const rec: WorkOrderRec = {
        id: w.id,
        number: w.number,
        status: w.status as WorkOrderStatus,
        priority: w.priority as WorkOrderWire['priority'],
        customerId: w.customerId,
        siteId: w.locationId,
        assetId: w.equipmentIds[0] ?? null,
        problemCode: w.problemCode,
        description: w.summary,
        reportedAt: w.createdAt,
        slaDueAt: w.sla?.completeBy ?? null,
        slaDueMs: w.sla ? Date.parse(w.sla.completeBy) : null,
        responseDueAt: w.sla?.respondBy ?? null,
        window: w.window ? { start: w.window.start, end: w.window.end } : null,
        technicianIds: w.technicianIds.slice(),
        serviceType: w.serviceType,
        serviceRegion: w.region,
        completedAt: w.completedAt ?? null,
        updatedAt: w.updatedAt,
        updatedMs: Date.parse(w.updatedAt),
      };
      this.workOrders.set(rec.id, rec);
    }
    this.woAll = [...this.workOrders.values()].sort(byId);
    for (const w of this.woAll) {
      const list = this.woByCustomer.get(w.customerId) ?? [];
      list.push(w);
      this.woByCustomer.set(w.customerId, list);
    }
    for (const s of WorkOrderStatus.options) this.woByStatus.set(s, new SortedList(byId, this.woAll.filter((w) => w.status === s)));
    this.woByUpdated = new SortedList(byUpdated, this.woAll);
    this.woBySla = new SortedList(bySla, this.woAll.filter((w) => w.slaDueMs !== null));

    for (const a of data.appointments) {
      const rec: AssignmentRec = {
        id: a.id,
        workOrderId: a.workOrderId,
        technicianId: a.technicianIds[0] ?? null,
        status: a.status as AssignmentStatus,
        scheduledStart: a.start,
        scheduledEnd: a.end,
        startMs: Date.parse(a.start),
        endMs: Date.parse(a.end),
        routeSequence: null,
        notifyTechnician: false,
        note: a.instructions ?? null,
        createdAt: a.createdAt,
        updatedAt: a.updatedAt,
        updatedMs: Date.parse(a.updatedAt),
      };
      this.assignments.set(rec.id, rec);
    }
    // Seeded records are indexed in bulk (one sort per list); writes insert one at a time.
    const asn = [...this.assignments.values()];
    this.asnAll = new SortedList(byId, asn);
    this.asnByWorkOrder = groupLists(asn, (a) => a.workOrderId, byId);
    this.asnByTechnician = groupLists(asn, (a) => a.technicianId, byId);
    this.asnByStatus = groupLists(asn, (a) => a.status, byId);
    this.asnByUpdated = new SortedList(byUpdated, asn);
    this.asnByStart = new SortedList(byStart, asn);

    for (const inv of data.invoices) this.seedInvoice(inv);
    const invs = [...this.invoices.values()];
    this.invAll = new SortedList(byId, invs);
    this.invByCustomer = groupLists(invs, (i) => i.customerId, byId);
    this.invByWorkOrder = groupLists(invs, (i) => i.workOrderId, byId);
    this.invByStatus = groupLists(invs, (i) => i.status, byId);
    this.invByUpdated = new SortedList(byUpdated, invs);

    this.seedConsumptions(data);
    this.cnsByWorkOrder = groupLists([...this.consumptions.values()], (c) => c.workOrderId, byId);
  }

  private taken(id: string): boolean {
    return this.assignments.has(id) || this.consumptions.has(id) || this.invoices.has(id) || this.workOrders.has(id) || this.contracts.byId.has(id);
  }

  // ---------------------------------------------------------------- seeding

  private seedInvoice(inv: GenInvoice): void {
    const m = /^INV-\d{4}-(\d+)$/.exec(inv.number);
    if (m) this.invoiceCounter = Math.max(this.invoiceCounter, Number(m[1]));
    this.invoices.set(inv.id, {
      id: inv.id,
      number: inv.number,
      workOrderId: inv.workOrderId,
      customerId: inv.customerId,
      siteId: inv.locationId,
      status: inv.status as InvoiceWire['status'],
      issuedOn: inv.issuedOn,
      dueOn: inv.dueOn,
      lines: inv.items.map((i) => ({
        code: i.code,
        description: i.description,
        qtyHundredths: toCents(i.quantity),
        unitPriceCents: toCents(i.unitPrice),
        totalCents: toCents(i.total),
      })),
      subtotalCents: toCents(inv.subtotal),
      taxCents: toCents(inv.tax),
      totalCents: toCents(inv.total),
      balanceCents: toCents(inv.balance),
      createdAt: inv.createdAt,
      updatedAt: inv.updatedAt,
      updatedMs: Date.parse(inv.updatedAt),
    });
  }

  /**
   * A completed seeded work order was billed from what its technician recorded: one billed
   * consumption whose lines are the invoice's (skipped when no technician is on record).
   */
  private seedConsumptions(data: VendorData): void {
    const rng = this.ctx.rng.fork('astea:seed-consumptions');
    for (const inv of data.invoices) {
      const wo = this.workOrders.get(inv.workOrderId);
      const tech = wo?.technicianIds[0];
      if (!wo || !tech) continue;
      let id: string;
      do id = `cns_${rng.hex(6)}`;
      while (this.taken(id));
      const invRec = this.invoices.get(inv.id)!;
      const parts: PartLine[] = [];
      const labor: LaborLine[] = [];
      for (const line of invRec.lines) {
        if (line.code === 'LABOR') {
          labor.push({
            technicianId: tech,
            laborType: 'regular',
            hoursHundredths: line.qtyHundredths,
            rateCents: line.unitPriceCents,
            totalCents: line.totalCents,
            startAt: null,
            endAt: null,
            notes: null,
          });
        } else {
          parts.push({
            partNumber: line.code,
            description: line.description,
            qtyHundredths: line.qtyHundredths,
            uom: 'EA',
            unitPriceCents: line.unitPriceCents,
            totalCents: line.totalCents,
            warehouseId: null,
            bin: null,
            serialNumbers: [],
            lotNumber: null,
          });
        }
      }
      this.consumptions.set(id, {
        id,
        workOrderId: wo.id,
        status: 'billed',
        invoiceId: inv.id,
        parts,
        labor,
        customerSignature: null,
        createdAt: inv.createdAt,
        updatedAt: inv.createdAt,
      });
    }
  }

  // ---------------------------------------------------------------- indexing

  private indexAssignment(a: AssignmentRec): void {
    this.assignments.set(a.id, a);
    this.asnAll.insert(a);
    addTo(this.asnByWorkOrder, a.workOrderId, a, byId);
    if (a.technicianId) addTo(this.asnByTechnician, a.technicianId, a, byId);
    addTo(this.asnByStatus, a.status, a, byId);
    this.asnByUpdated.insert(a);
    this.asnByStart.insert(a);
  }

  private indexConsumption(c: ConsumptionRec): void {
    this.consumptions.set(c.id, c);
    addTo(this.cnsByWorkOrder, c.workOrderId, c, byId);
  }

  private indexInvoice(i: InvoiceRec): void {
    this.invoices.set(i.id, i);
    this.invAll.insert(i);
    addTo(this.invByCustomer, i.customerId, i, byId);
    addTo(this.invByWorkOrder, i.workOrderId, i, byId);
    addTo(this.invByStatus, i.status, i, byId);
    this.invByUpdated.insert(i);
  }

  /** Changes a work order and keeps its status and update-time indexes right. */
  private updateWorkOrder(wo: WorkOrderRec, change: (wo: WorkOrderRec) => void): void {
    this.woByStatus.get(wo.status)?.remove(wo);
    this.woByUpdated.remove(wo);
    change(wo);
    wo.updatedAt = isoNow(this.ctx.now());
    wo.updatedMs = Date.parse(wo.updatedAt);
    this.woByStatus.get(wo.status)?.insert(wo);
    this.woByUpdated.insert(wo);
  }

  /** Moves an assignment to `status` and keeps its indexes right. */
  private setAssignmentStatus(a: AssignmentRec, status: AssignmentStatus, now: string): void {
    this.asnByStatus.get(a.status)?.remove(a);
    this.asnByUpdated.remove(a);
    a.status = status;
    a.updatedAt = now;
    a.updatedMs = Date.parse(now);
    addTo(this.asnByStatus, a.status, a, byId);
    this.asnByUpdated.insert(a);
  }

  // ---------------------------------------------------------------- reads

  /** A work order by id, or undefined. */
  workOrder(id: string): WorkOrderRec | undefined {
    return this.workOrders.get(id);
  }

  /** Work orders matching `f`, in id order. */
  listWorkOrders(f: WorkOrderFilter): WorkOrderRec[] {
    const candidates: Array<Candidate<WorkOrderRec>> = [idOrdered(this.woAll)];
    if (f.customerId !== undefined) candidates.push(idOrdered(this.woByCustomer.get(f.customerId)));
    if (f.status !== undefined) candidates.push(idOrdered(this.woByStatus.get(f.status)?.all()));
    if (f.updatedFrom !== undefined || f.updatedTo !== undefined) candidates.push(this.woByUpdated.range((w) => w.updatedMs, f.updatedFrom, f.updatedTo));
    if (f.slaDueFrom !== undefined || f.slaDueTo !== undefined) candidates.push(this.woBySla.range((w) => w.slaDueMs ?? 0, f.slaDueFrom, f.slaDueTo));
    return plan(
      candidates,
      (w) =>
        (f.customerId === undefined || w.customerId === f.customerId) &&
        (f.status === undefined || w.status === f.status) &&
        inRange(w.updatedMs, f.updatedFrom, f.updatedTo) &&
        inRange(w.slaDueMs, f.slaDueFrom, f.slaDueTo),
    );
  }

  /** The list shape of a work order. */
  renderWorkOrder(w: WorkOrderRec): WorkOrderWire {
    const site = this.sites.byId.get(w.siteId)!.wire;
    const asset = w.assetId ? this.assets.byId.get(w.assetId)?.wire : undefined;
    return {
      workOrderId: w.id,
      number: w.number,
      status: w.status,
      priority: w.priority,
      customerId: w.customerId,
      site: { siteId: site.siteId, address: site.address },
      asset: asset ? { assetId: asset.assetId, serialNumber: asset.serialNumber, model: asset.model } : null,
      problemCode: w.problemCode,
      description: w.description,
      reportedAt: w.reportedAt,
      slaDueAt: w.slaDueAt,
      appointmentWindow: w.window ? { start: w.window.start, end: w.window.end } : null,
      assignedTechnicianIds: w.technicianIds.slice(),
      updatedAt: w.updatedAt,
    };
  }

  /** The detail shape of a work order. */
  renderWorkOrderDetail(w: WorkOrderRec): WorkOrderDetailWire {
    return {
      ...this.renderWorkOrder(w),
      serviceType: w.serviceType,
      serviceRegion: w.serviceRegion,
      responseDueAt: w.responseDueAt,
      completedAt: w.completedAt,
    };
  }

  /** Customers, optionally by status and update time, in id order. */
  listCustomers(status: string | undefined, updatedFrom?: number, updatedTo?: number): Array<Row<CustomerWire>> {
    const candidates = this.customers.candidates(updatedFrom, updatedTo);
    if (status !== undefined) candidates.push(idOrdered(this.customersByStatus.get(status)));
    return plan(candidates, (r) => (status === undefined || r.wire.status === status) && inRange(r.updatedMs, updatedFrom, updatedTo));
  }

  /** Sites, optionally of one customer and by update time, in id order. */
  listSites(customerId: string | undefined, updatedFrom?: number, updatedTo?: number): Array<Row<SiteWire>> {
    const candidates = this.sites.candidates(updatedFrom, updatedTo);
    if (customerId !== undefined) candidates.push(idOrdered(this.sitesByCustomer.get(customerId)));
    return plan(candidates, (r) => (customerId === undefined || r.wire.customerId === customerId) && inRange(r.updatedMs, updatedFrom, updatedTo));
  }

  /** Assets matching `f`, in id order. */
  listAssets(f: AssetFilter): Array<Row<AssetWire>> {
    const serial = f.serialNumber?.toUpperCase();
    const candidates = this.assets.candidates(f.updatedFrom, f.updatedTo);
    if (f.siteId !== undefined) candidates.push(idOrdered(this.assetsBySite.get(f.siteId)));
    if (f.customerId !== undefined) candidates.push(idOrdered(this.assetsByCustomer.get(f.customerId)));
    if (serial !== undefined) candidates.push(idOrdered(this.assetsBySerial.get(serial)));
    return plan(
      candidates,
      (r) =>
        (f.siteId === undefined || r.wire.siteId === f.siteId) &&
        (f.customerId === undefined || r.wire.customerId === f.customerId) &&
        (serial === undefined || r.wire.serialNumber.toUpperCase() === serial) &&
        inRange(r.updatedMs, f.updatedFrom, f.updatedTo),
    );
  }

  /** Contracts, optionally of one customer, in id order. */
  listContracts(customerId: string | undefined): Array<Row<ContractWire>> {
    return customerId === undefined ? this.contracts.all : (this.contractsByCustomer.get(customerId) ?? []);
  }

  /** Technicians with a skill and/or in a region, in id order (the roster is small: a scan). */
  listTechnicians(skill: string | undefined, region: string | undefined): Array<Row<TechnicianWire>> {
    return this.technicians.all.filter((r) => (skill === undefined || r.wire.skills.includes(skill)) && (region === undefined || r.wire.region === region));
  }

  /** An assignment by id, or undefined. */
  assignment(id: string): AssignmentRec | undefined {
    return this.assignments.get(id);
  }

  /** The assignments of a work order, in id order. */
  assignmentsOf(workOrderId: string): readonly AssignmentRec[] {
    return this.asnByWorkOrder.get(workOrderId)?.all() ?? [];
  }

  /** Assignments matching `f`, in id order. */
  listAssignments(f: AssignmentFilter): AssignmentRec[] {
    const candidates: Array<Candidate<AssignmentRec>> = [idOrdered(this.asnAll.all())];
    if (f.technicianId !== undefined) candidates.push(idOrdered(this.asnByTechnician.get(f.technicianId)?.all()));
    if (f.status !== undefined) candidates.push(idOrdered(this.asnByStatus.get(f.status)?.all()));
    if (f.scheduledFrom !== undefined || f.scheduledTo !== undefined) candidates.push(this.asnByStart.range((a) => a.startMs, f.scheduledFrom, f.scheduledTo));
    if (f.updatedFrom !== undefined || f.updatedTo !== undefined) candidates.push(this.asnByUpdated.range((a) => a.updatedMs, f.updatedFrom, f.updatedTo));
    return plan(
      candidates,
      (a) =>
        (f.technicianId === undefined || a.technicianId === f.technicianId) &&
        (f.status === undefined || a.status === f.status) &&
        inRange(a.startMs, f.scheduledFrom, f.scheduledTo) &&
        inRange(a.updatedMs, f.updatedFrom, f.updatedTo),
    );
  }

  /** The read shape of an assignment. */
  renderAssignment(a: AssignmentRec): AssignmentWire {
    return {
      assignmentId: a.id,
      workOrderId: a.workOrderId,
      status: a.status,
      technicianId: a.technicianId,
      scheduledStart: a.scheduledStart,
      scheduledEnd: a.scheduledEnd,
      routeSequence: a.routeSequence,
      notifyTechnician: a.notifyTechnician,
      note: a.note,
      createdAt: a.createdAt,
      updatedAt: a.updatedAt,
    };
  }

  /** The consumptions of a work order, in id order. */
  consumptionsOf(workOrderId: string): readonly ConsumptionRec[] {
    return this.cnsByWorkOrder.get(workOrderId)?.all() ?? [];
  }

  /** The read shape of a consumption. */
  renderConsumption(c: ConsumptionRec): ConsumptionWire {
    return {
      consumptionId: c.id,
      workOrderId: c.workOrderId,
      status: c.status,
      invoiceId: c.invoiceId,
      parts: c.parts.map((p) => ({
        partNumber: p.partNumber,
        description: p.description,
        quantity: hundredthsToNumber(p.qtyHundredths),
        uom: p.uom,
        unitPrice: money(p.unitPriceCents),
        total: money(p.totalCents),
        warehouseId: p.warehouseId,
        bin: p.bin,
        serialNumbers: p.serialNumbers.slice(),
        lotNumber: p.lotNumber,
      })),
      labor: c.labor.map((l) => ({
        technicianId: l.technicianId,
        laborType: l.laborType,
        hours: hundredthsToNumber(l.hoursHundredths),
        rate: money(l.rateCents),
        total: money(l.totalCents),
        startAt: l.startAt,
        endAt: l.endAt,
        notes: l.notes,
      })),
      customerSignature: c.customerSignature ? { ...c.customerSignature } : null,
      createdAt: c.createdAt,
      updatedAt: c.updatedAt,
    };
  }

  /** An invoice by id, or undefined. */
  invoice(id: string): InvoiceRec | undefined {
    return this.invoices.get(id);
  }

  /** Invoices matching `f`, in id order. */
  listInvoices(f: InvoiceFilter): InvoiceRec[] {
    const candidates: Array<Candidate<InvoiceRec>> = [idOrdered(this.invAll.all())];
    if (f.customerId !== undefined) candidates.push(idOrdered(this.invByCustomer.get(f.customerId)?.all()));
    if (f.workOrderId !== undefined) candidates.push(idOrdered(this.invByWorkOrder.get(f.workOrderId)?.all()));
    if (f.status !== undefined) candidates.push(idOrdered(this.invByStatus.get(f.status)?.all()));
    if (f.updatedFrom !== undefined || f.updatedTo !== undefined) candidates.push(this.invByUpdated.range((i) => i.updatedMs, f.updatedFrom, f.updatedTo));
    return plan(
      candidates,
      (i) =>
        (f.customerId === undefined || i.customerId === f.customerId) &&
        (f.workOrderId === undefined || i.workOrderId === f.workOrderId) &&
        (f.status === undefined || i.status === f.status) &&
        inRange(i.updatedMs, f.updatedFrom, f.updatedTo),
    );
  }

  /** The read shape of an invoice. */
  renderInvoice(i: InvoiceRec): InvoiceWire {
    return {
      invoiceId: i.id,
      number: i.number,
      workOrderId: i.workOrderId,
      customerId: i.customerId,
      siteId: i.siteId,
      status: i.status,
      currency: 'USD',
      issuedOn: i.issuedOn,
      dueOn: i.dueOn,
      lines: i.lines.map((l) => ({
        code: l.code,
        description: l.description,
        quantity: hundredthsToNumber(l.qtyHundredths),
        unitPrice: money(l.unitPriceCents),
        total: money(l.totalCents),
      })),
      subtotal: money(i.subtotalCents),
      tax: money(i.taxCents),
      total: money(i.totalCents),
      balance: money(i.balanceCents),
      createdAt: i.createdAt,
      updatedAt: i.updatedAt,
    };
  }

  // ---------------------------------------------------------------- writes

  private requireWorkOrder(id: string, req: Req): WorkOrderRec {
    const wo = this.workOrders.get(id);
    if (!wo) throw supergoodError(404, 'not_found', `Work order ${id} not found.`, req);
    return wo;
  }

  private requireOpenForWork(wo: WorkOrderRec, what: string, req: Req): void {
    if (wo.status === 'completed' || wo.status === 'cancelled') {
      throw supergoodError(409, 'conflict', `Work order ${wo.id} is ${wo.status}; ${what} is no longer possible.`, req, [
        { field: 'status', message: `Work order is ${wo.status}.` },
      ]);
    }
  }

  /**
   * Assigns a technician to a work order for a planned window. Refuses a closed work order (409
   * `conflict`), an unknown or inactive technician (422 `unprocessable`), a technician without the
   * skill the asset type needs (422 `skill_mismatch`) and a window overlapping another open visit
   * of the same technician (409 `schedule_conflict`). An open work order becomes scheduled; the
   * work order's appointment window becomes this one.
   */
  assign(workOrderId: string, body: AssignmentBody, req: Req): AssignmentRec {
    const wo = this.requireWorkOrder(workOrderId, req);
    this.requireOpenForWork(wo, 'assignment', req);
    const tech = this.technicians.byId.get(body.technicianId);
    if (!tech || tech.wire.status !== 'active') {
      throw supergoodError(422, 'unprocessable', `Technician ${body.technicianId} does not exist or is inactive.`, req, [
        { field: 'technicianId', message: 'Unknown technician.' },
      ]);
    }
    const asset = wo.assetId ? this.assets.byId.get(wo.assetId)?.wire : undefined;
    const skill = asset ? SKILL_BY_UNIT_TYPE.get(asset.type) : undefined;
    if (skill && !tech.wire.skills.includes(skill)) {
      throw asteaError(422, 'skill_mismatch', `Technician ${tech.id} lacks the skill "${skill}" that a ${asset!.type} requires.`, req, [
        { field: 'technicianId', message: `Technician lacks required skill "${skill}".` },
      ]);
    }
    const startMs = Date.parse(body.scheduledStart);
    const endMs = Date.parse(body.scheduledEnd);
    for (const other of this.asnByTechnician.get(tech.id)?.all() ?? []) {
      if (ACTIVE_VISIT.has(other.status) && other.startMs < endMs && startMs < other.endMs) {
        throw asteaError(409, 'schedule_conflict', `Technician ${tech.id} is already assigned from ${other.scheduledStart} to ${other.scheduledEnd} (${other.id}).`, req, [
          { field: 'scheduledStart', message: `Overlaps assignment ${other.id}.` },
        ]);
      }
    }
    const now = isoNow(this.ctx.now());
    const rec: AssignmentRec = {
      id: this.newId('asn'),
      workOrderId: wo.id,
      technicianId: tech.id,
      status: 'scheduled',
      scheduledStart: canonical(body.scheduledStart),
      scheduledEnd: canonical(body.scheduledEnd),
      startMs,
      endMs,
      routeSequence: body.routeSequence ?? null,
      notifyTechnician: body.notifyTechnician ?? false,
      note: body.note ?? null,
      createdAt: now,
      updatedAt: now,
      updatedMs: Date.parse(now),
    };
    this.indexAssignment(rec);
    this.updateWorkOrder(wo, (w) => {
      if (w.status === 'open') w.status = 'scheduled';
      if (!w.technicianIds.includes(tech.id)) w.technicianIds.push(tech.id);
      w.window = { start: rec.scheduledStart, end: rec.scheduledEnd };
    });
    return rec;
  }

  /**
   * Records parts and labor against a work order, pending billing. Refuses a closed work order
   * (409), an unknown technician or part number (422 `unprocessable`). Prices come from the parts
   * catalogue and the labor rate, in exact cents. The work order header does not change: Alliance
   * keeps parts and time on their own tabs.
   */
  consume(workOrderId: string, body: ConsumptionBody, req: Req): ConsumptionRec {
    const wo = this.requireWorkOrder(workOrderId, req);
    this.requireOpenForWork(wo, 'recording parts and labor', req);
    const details: Array<{ field: string; message: string }> = [];
    body.labor.forEach((l, i) => {
      if (!this.technicians.byId.has(l.technicianId)) details.push({ field: `labor.${i}.technicianId`, message: `Unknown technician ${l.technicianId}.` });
    });
    body.parts.forEach((p, i) => {
      if (!PART_BY_NUMBER.has(p.partNumber)) details.push({ field: `parts.${i}.partNumber`, message: `Unknown part number ${p.partNumber}.` });
    });
    if (details.length > 0) throw supergoodError(422, 'unprocessable', 'A referenced record does not exist.', req, details);

    const now = isoNow(this.ctx.now());
    const rec: ConsumptionRec = {
      id: this.newId('cns'),
      workOrderId: wo.id,
      status: 'pending_billing',
      invoiceId: null,
      parts: body.parts.map((p) => {
        const item = PART_BY_NUMBER.get(p.partNumber)!;
        const qty = toHundredths(p.quantity);
        const unit = toCents(item.unitPrice);
        return {
          partNumber: p.partNumber,
          description: p.description ?? item.description,
          qtyHundredths: qty,
          uom: p.uom,
          unitPriceCents: unit,
          totalCents: mulDiv(unit, qty, 100),
          warehouseId: p.warehouseId ?? null,
          bin: p.bin ?? null,
          serialNumbers: p.serialNumbers.slice(),
          lotNumber: p.lotNumber ?? null,
        };
      }),
      labor: body.labor.map((l) => {
        const hours = toHundredths(l.hours);
        const rate = RATE_CENTS[l.laborType];
        return {
          technicianId: l.technicianId,
          laborType: l.laborType,
          hoursHundredths: hours,
          rateCents: rate,
          totalCents: mulDiv(rate, hours, 100),
          startAt: l.startAt ? canonical(l.startAt) : null,
          endAt: l.endAt ? canonical(l.endAt) : null,
          notes: l.notes ?? null,
        };
      }),
      customerSignature: body.customerSignature
        ? { name: body.customerSignature.name, signedAt: canonical(body.customerSignature.signedAt), signatureToken: body.customerSignature.signatureToken }
        : null,
      createdAt: now,
      updatedAt: now,
    };
    this.indexConsumption(rec);
    return rec;
  }

  /**
   * Field status change (sandbox action): `en_route` from scheduled; `on_site` from scheduled or
   * en_route; `completed` from scheduled, en_route or on_site. Open visits follow the work order.
   * Completing bills every pending consumption on one new invoice (none when nothing is pending).
   */
  fieldStatus(workOrderId: string, to: 'en_route' | 'on_site' | 'completed', req: Req): { workOrder: WorkOrderRec; invoice: InvoiceRec | null } {
    const wo = this.requireWorkOrder(workOrderId, req);
    const from: Record<typeof to, readonly WorkOrderStatus[]> = {
      en_route: ['scheduled'],
      on_site: ['scheduled', 'en_route'],
      completed: ['scheduled', 'en_route', 'on_site'],
    };
    if (!from[to].includes(wo.status)) {
      throw supergoodError(409, 'conflict', `Work order ${wo.id} is ${wo.status}; it cannot move to ${to}.`, req, [
        { field: 'status', message: `Allowed from: ${from[to].join(', ')}.` },
      ]);
    }
    const now = isoNow(this.ctx.now());
    for (const a of this.assignmentsOf(wo.id).slice()) {
      if (ACTIVE_VISIT.has(a.status) && a.status !== to) this.setAssignmentStatus(a, to, now);
    }
    let invoice: InvoiceRec | null = null;
    if (to === 'completed') invoice = this.bill(wo, now);
    this.updateWorkOrder(wo, (w) => {
      w.status = to;
      if (to === 'completed') w.completedAt = now;
    });
    return { workOrder: wo, invoice };
  }

  /** Bills the pending consumptions of a work order; parts carry sales tax, labor does not. */
  private bill(wo: WorkOrderRec, now: string): InvoiceRec | null {
    const pending = this.consumptionsOf(wo.id).filter((c) => c.status === 'pending_billing');
    if (pending.length === 0) return null;
    const lines: InvoiceRec['lines'] = [];
    let partsCents = 0;
    for (const c of pending) {
      for (const l of c.labor) {
        lines.push({
          code: LABOR_CODE[l.laborType],
          description: `Labor (${l.laborType}), ${hundredthsToNumber(l.hoursHundredths)} h`,
          qtyHundredths: l.hoursHundredths,
          unitPriceCents: l.rateCents,
          totalCents: l.totalCents,
        });
      }
      for (const p of c.parts) {
        lines.push({ code: p.partNumber, description: p.description, qtyHundredths: p.qtyHundredths, unitPriceCents: p.unitPriceCents, totalCents: p.totalCents });
        partsCents += p.totalCents;
      }
    }
    const subtotal = lines.reduce((s, l) => s + l.totalCents, 0);
    const tax = mulDiv(partsCents, TAX_RATE_BP, 10_000);
    const issued = Date.parse(now);
    const inv: InvoiceRec = {
      id: this.newId('inv'),
      number: `INV-2026-${String(++this.invoiceCounter).padStart(5, '0')}`,
      workOrderId: wo.id,
      customerId: wo.customerId,
      siteId: wo.siteId,
      status: 'open',
      issuedOn: now.slice(0, 10),
      dueOn: new Date(issued + 30 * DAY_MS).toISOString().slice(0, 10),
      lines,
      subtotalCents: subtotal,
      taxCents: tax,
      totalCents: subtotal + tax,
      balanceCents: subtotal + tax,
      createdAt: now,
      updatedAt: now,
      updatedMs: issued,
    };
    this.indexInvoice(inv);
    for (const c of pending) {
      c.status = 'billed';
      c.invoiceId = inv.id;
      c.updatedAt = now;
    }
    return inv;
  }
}
