/**
 * The lower bound of the job graph's upstream calls that the vendors' documented APIs allow, per
 * vendor and read, for one GraphQL request over a set of work orders:
 *
 * - where the vendor has a batch look-up (ServiceTitan `ids=` and its multi-valued parent filters
 *   `customerIds=`, `appointmentIds=`), one call per batch of up to its cap (50) of distinct ids;
 * - where it has none, one GET per distinct record;
 * - the children of parents that a list filters by one parent at a time (`GET /invoices?jobId=`):
 *   the fewer of one call per distinct parent and the pages of one walk of the whole list at the
 *   vendor's largest page size (ServiceTitan 500, the session vendors 100), from the list's size
 *   in the data set. On the sandbox's tenant the walk is the fewer; on a tenant with thousands of
 *   records the per-parent calls are;
 * - none for what a vendor embeds in the work order (ServicePower's customer, location and unit;
 *   Astea's site and asset; Sera's and Field Nation's one visit).
 *
 * Records named by id are counted one GET each (or one batch). Walking a whole list to find them
 * would take fewer calls on a tenant this small too, but a GET by id returns exactly its record
 * whatever the tenant, while a per-parent read costs a call even for a parent with no children:
 * only the latter is weighed against a walk.
 *
 * The records come from the data set (work orders, their customers, locations, units and visits);
 * the technicians of the visits from the answer (each vendor decides whom a visit names: assignee,
 * routed providers, dispatch), which test/e2e/graph.test.ts checks against the data set. The
 * answer's other records are cross-checked against the data set here.
 */
import type { Dataset } from '../connectors/sandbox/dataset/types.js';
import { VENDOR_KEYS, type VendorKey } from '../connectors/vendors.js';
import type { Calls } from './harness.js';
import type { Pick } from './queries.js';

/** One read of the job graph and its bound. */
export interface ReadBound {
  vendor: VendorKey;
  read: string;
  endpoints: string[];
  bound: number;
  rule: string;
}

/** ServiceTitan's `ids=` cap (and that of its multi-valued filters). */
export const ST_CAP = 50;
const ST = (path: string): string => `GET /${path.replace('{t}', '{tenant}')}`;
const batches = (n: number, cap = ST_CAP): number => Math.ceil(n / cap);

/** Largest page sizes of a walk: ServiceTitan's lists, the session vendors' lists. */
export const WALK_PAGE = { servicetitan: 500, session: 100 } as const;

/** The fewer of one call per parent and the pages of a walk of `listSize` records; the rule says which and why. */
function perParentOrWalk(parents: number, listSize: number, pageSize: number, filter: string, list: string): { bound: number; rule: string } {
  const pages = Math.max(1, Math.ceil(listSize / pageSize));
  const walk = pages <= parents;
  return {
    bound: parents === 0 ? 0 : Math.min(parents, pages),
    rule: `${filter} is single-valued: the fewer of one call per parent (${parents}) and one walk of all ${listSize} ${list} (${pages} page${pages === 1 ? '' : 's'} of ${pageSize}): ${walk ? 'the walk' : 'per parent'}`,
  };
}

/** Answer nodes of the job graph (only the fields the bound reads). */
interface AnswerNode {
  source?: { system: string };
  customer?: { id: string } | null;
  location?: { id: string } | null;
  equipment?: Array<{ id: string } | null> | null;
  appointments?: { nodes: Array<{ id: string; technicians: Array<{ id: string } | null> }> } | null;
}

/**
 * The reads and bounds of one job-graph request over `picks`; `answer` is its `nodes`, in the
 * order of `picks`. `crossCheck` gets a line for every count where the answer and the data set
 * disagree.
 */
export function jobGraphBound(dataset: Dataset, picks: readonly Pick[], answer: ReadonlyArray<AnswerNode | null>, crossCheck: string[]): ReadBound[] {
  const reads: ReadBound[] = [];
  for (const vendor of VENDOR_KEYS) {
    const d = dataset.vendors[vendor];
    const byId = new Map(d.workOrders.map((w) => [w.id, w]));
    const mine = picks.flatMap((p, i) => (p.vendor === vendor ? [{ wo: byId.get(p.id)!, node: answer[i] ?? null }] : []));
    if (mine.length === 0) continue;
    const n = mine.length;
    const distinct = (xs: Array<string | undefined | null>): number => new Set(xs.filter((x): x is string => Boolean(x))).size;
    const customers = distinct(mine.map((m) => m.wo.customerId));
    const locations = distinct(mine.map((m) => m.wo.locationId));
    const equipment = distinct(mine.flatMap((m) => m.wo.equipmentIds));
    const appts = new Map<string, number>();
    for (const a of d.appointments) appts.set(a.workOrderId, (appts.get(a.workOrderId) ?? 0) + 1);
    const embedsVisit = vendor === 'sera' || vendor === 'fieldnation';
    const visitsOf = (woId: string, window: unknown): number => (embedsVisit ? (window ? 1 : 0) : (appts.get(woId) ?? 0));
    const visits = mine.reduce((s, m) => s + visitsOf(m.wo.id, m.wo.window), 0);
    const technicians = distinct(mine.flatMap((m) => m.node?.appointments?.nodes.flatMap((a) => a.technicians.map((t) => t?.id)) ?? []));

    // Cross-check the records the answer holds against the data set.
    const answered = mine.map((m) => m.node).filter((x): x is AnswerNode => x !== null);
    const check = (what: string, expected: number, got: number): void => {
      if (expected !== got) crossCheck.push(`${vendor}: ${what}: the data set has ${expected}, the answer ${got}`);
    };
    check('work orders', n, answered.length);
    check('distinct customers', customers, distinct(answered.map((a) => a.customer?.id)));
    check('distinct locations', locations, distinct(answered.map((a) => a.location?.id)));
    check('distinct units', equipment, distinct(answered.flatMap((a) => (a.equipment ?? []).map((e) => e?.id))));
    check('visits', visits, answered.reduce((s, a) => s + (a.appointments?.nodes.length ?? 0), 0));

    const add = (read: string, endpoints: string[], bound: number, rule: string): void => {
      reads.push({ vendor, read, endpoints, bound, rule });
    };
    const addChildren = (read: string, endpoints: string[], b: { bound: number; rule: string }): void => add(read, endpoints, b.bound, b.rule);
    switch (vendor) {
      case 'servicetitan': {
        // A job lists its visits' ids when it has at most two (first and last); more need `jobId=`.
        const many = mine.filter((m) => (appts.get(m.wo.id) ?? 0) > 2).length;
        const listed = mine.reduce((s, m) => s + ((appts.get(m.wo.id) ?? 0) <= 2 ? (appts.get(m.wo.id) ?? 0) : 0), 0);
        add('work orders', [ST('jpm/v2/tenant/{t}/jobs')], batches(n), 'ids= up to 50 a call');
        add('customers', [ST('crm/v2/tenant/{t}/customers')], batches(customers), 'ids= up to 50 a call');
        add('customer contacts (email, phone)', [ST('crm/v2/tenant/{t}/customers/contacts')], batches(customers), 'customerIds= up to 50 a call');
        add('locations', [ST('crm/v2/tenant/{t}/locations')], batches(locations), 'ids= up to 50 a call');
        add('installed equipment', [ST('equipmentsystems/v2/tenant/{t}/installed-equipment')], batches(equipment), 'ids= up to 50 a call');
        add('memberships of the customers', [ST('memberships/v2/tenant/{t}/memberships')], batches(customers), 'customerIds= up to 50 a call');
        const manyVisits = perParentOrWalk(many, d.appointments.length, WALK_PAGE.servicetitan, 'jobId=', 'appointments');
        add('visits', [ST('jpm/v2/tenant/{t}/appointments')], batches(listed) + manyVisits.bound, `ids= up to 50 a call for visits the job lists (at most two); for jobs with more, ${manyVisits.rule}`);
        add('visit technicians (assignments)', [ST('dispatch/v2/tenant/{t}/appointment-assignments')], batches(visits), 'appointmentIds= up to 50 a call');
        add('technicians', [ST('settings/v2/tenant/{t}/technicians')], batches(technicians), 'ids= up to 50 a call');
        addChildren('invoices of the jobs', [ST('accounting/v2/tenant/{t}/invoices')], perParentOrWalk(n, d.invoices.length, WALK_PAGE.servicetitan, 'jobId=', 'invoices'));
        break;
      }
      case 'fieldnation': {
        const p = (s: string): string => `GET /api/rest/v2/${s}`;
        add('work orders (with their one visit)', [p('workorders/{workorder_id}')], n, 'no batch look-up: one GET per work order');
        add('clients', [p('clients/{client_id}')], customers, 'one GET per distinct client');
        add('locations', [p('locations/{location_id}')], locations, 'one GET per distinct location');
        add('providers (visit technicians)', [p('users/{user_id}')], technicians, 'one GET per distinct provider');
        break;
      }
      case 'servicepower': {
        add('work orders (with customer, location, unit)', ['GET /work-orders/{workOrderId}'], n, 'no batch look-up: one GET per work order; customer, location and unit embedded');
        addChildren('dispatches (visits)', ['GET /work-orders/{workOrderId}/dispatches', 'GET /dispatches'], perParentOrWalk(n, d.appointments.length, WALK_PAGE.session, 'a work order\'s dispatch list', 'dispatches'));
        addChildren('claims', ['GET /claims'], perParentOrWalk(n, d.claims.length, WALK_PAGE.session, 'workOrderId=', 'claims'));
        add('technicians', ['GET /technicians/{technicianId}'], technicians, 'one GET per distinct technician');
        add('customers, locations, units', ['GET /customers/{customerId}', 'GET /locations/{locationId}', 'GET /equipment/{equipmentId}'], 0, 'embedded in the work order: no call');
        break;
      }
      case 'sera': {
        add('work orders (with their one visit)', ['GET /work-orders/{workOrderId}'], n, 'no batch look-up: one GET per work order; the visit is embedded');
        add('customers', ['GET /customers/{customerId}'], customers, 'one GET per distinct customer');
        add('locations', ['GET /locations/{locationId}'], locations, 'one GET per distinct location');
        add('technicians', ['GET /technicians/{technicianId}'], technicians, 'one GET per distinct technician');
        addChildren('memberships of the customers', ['GET /memberships'], perParentOrWalk(customers, d.memberships.length, WALK_PAGE.session, 'customerId=', 'memberships'));
        addChildren('invoices', ['GET /invoices'], perParentOrWalk(n, d.invoices.length, WALK_PAGE.session, 'workOrderId=', 'invoices'));
        break;
      }
      case 'astea': {
        add('work orders (with site and asset)', ['GET /work-orders/{workOrderId}'], n, 'no batch look-up: one GET per work order; site and asset embedded');
        add('customers', ['GET /customers/{customerId}'], customers, 'one GET per distinct customer');
        add('technicians', ['GET /technicians/{technicianId}'], technicians, 'one GET per distinct technician');
        addChildren('assignments (visits)', ['GET /work-orders/{workOrderId}/assignments', 'GET /assignments'], perParentOrWalk(n, d.appointments.length, WALK_PAGE.session, 'a work order\'s assignment list', 'assignments'));
        addChildren('invoices', ['GET /invoices'], perParentOrWalk(n, d.invoices.length, WALK_PAGE.session, 'workOrderId=', 'invoices'));
        add('sites, assets', ['GET /sites/{siteId}', 'GET /assets/{assetId}'], 0, 'embedded in the work order: no call');
        break;
      }
    }
  }
  return reads;
}

/** Adds the bounds of several requests read by read. */
export function sumBounds(all: ReadonlyArray<readonly ReadBound[]>): ReadBound[] {
  const out = new Map<string, ReadBound>();
  for (const reads of all) {
    for (const r of reads) {
      const key = `${r.vendor}\u0000${r.read}`;
      const prev = out.get(key);
      out.set(key, prev ? { ...prev, bound: prev.bound + r.bound } : { ...r, endpoints: [...r.endpoints] });
    }
  }
  return [...out.values()];
}

/** Each read with the calls of its endpoints, and the calls of endpoints no read expects. */
export function compare(reads: readonly ReadBound[], calls: Calls): { reads: Array<ReadBound & { actual: number }>; unexpected: Array<{ vendor: string; endpoint: string; count: number }> } {
  const claimed = new Set<string>();
  const withActual = reads.map((r) => {
    let actual = 0;
    for (const e of r.endpoints) {
      claimed.add(`${r.vendor} ${e}`);
      actual += calls[r.vendor]?.[e] ?? 0;
    }
    return { ...r, actual };
  });
  const unexpected: Array<{ vendor: string; endpoint: string; count: number }> = [];
  for (const [vendor, byEndpoint] of Object.entries(calls)) {
    for (const [endpoint, count] of Object.entries(byEndpoint)) if (!claimed.has(`${vendor} ${endpoint}`)) unexpected.push({ vendor, endpoint, count });
  }
  return { reads: withActual, unexpected };
}
