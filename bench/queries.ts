/**
 * The queries the bench sends and the work orders it picks from the data set.
 */
import type { Dataset } from '../connectors/sandbox/dataset/types.js';
import { VENDOR_KEYS, type VendorKey } from '../connectors/vendors.js';
import { JOB_GRAPH_QUERY } from '../src/gateway.js';
import { toGlobalId } from '../src/ids.js';

/** The job graph: what the README's example query and the tests ask for. */
export const JOB_GRAPH = JOB_GRAPH_QUERY;

/** Reads the work orders only: signs in to every vendor before a measurement. */
export const IDS_ONLY = /* GraphQL */ `query Ids($ids: [ID!]!) { nodes(ids: $ids) { id } }`;

/** The small query: one work order and a few scalars. */
export const SMALL = /* GraphQL */ `query Small($id: ID!) { node(id: $id) { id ... on WorkOrder { number status priority updatedAt } } }`;

/** One page of the merged work-order list. */
export const PAGE = /* GraphQL */ `
  query Page($first: Int, $after: String, $orderBy: RecordOrder) {
    workOrders(first: $first, after: $after, orderBy: $orderBy) {
      pageInfo { hasNextPage endCursor }
      edges { node { id number status updatedAt source { system id } } }
    }
  }
`;

/** A work order of the data set. */
export interface Pick {
  vendor: VendorKey;
  id: string;
}

/**
 * A vendor's work orders, those with the most relationships first (invoice, claim, membership of
 * the customer, equipment, technicians), then by id: the e2e test's choice, so the job graph has
 * something to fetch on every branch.
 */
export function rankedWorkOrders(dataset: Dataset, vendor: VendorKey): Pick[] {
  const d = dataset.vendors[vendor];
  const invoiced = new Set(d.invoices.map((i) => i.workOrderId));
  const claimed = new Set(d.claims.map((c) => c.workOrderId));
  const members = new Set(d.memberships.map((m) => m.customerId));
  const score = (wo: (typeof d.workOrders)[number]): number =>
    Number(invoiced.has(wo.id)) + Number(claimed.has(wo.id)) + Number(members.has(wo.customerId)) + Number(wo.equipmentIds.length > 0) + Number(wo.technicianIds.length > 0);
  return [...d.workOrders].sort((a, b) => score(b) - score(a) || a.id.localeCompare(b.id)).map((wo) => ({ vendor, id: wo.id }));
}

/**
 * `requests` sets of `perVendor` work orders of each vendor, disjoint, taken in rank order after
 * skipping `skip` per vendor. Throws when a vendor has too few.
 */
export function pickSets(dataset: Dataset, requests: number, perVendor: number, skip = 0): Pick[][] {
  const ranked = Object.fromEntries(VENDOR_KEYS.map((v) => [v, rankedWorkOrders(dataset, v)])) as Record<VendorKey, Pick[]>;
  return Array.from({ length: requests }, (_, r) =>
    VENDOR_KEYS.flatMap((vendor) => {
      const from = skip + r * perVendor;
      const slice = ranked[vendor].slice(from, from + perVendor);
      if (slice.length < perVendor) throw new Error(`${vendor} has only ${ranked[vendor].length} work orders; ${from + perVendor} needed`);
      return slice;
    }),
  );
}

/** Global ids of picks. */
export function globalIds(picks: readonly Pick[]): string[] {
  return picks.map((p) => toGlobalId('WorkOrder', { system: p.vendor, id: p.id }));
}

/** A JSON request body. */
export function body(query: string, variables: Record<string, unknown>): string {
  return JSON.stringify({ query, variables });
}
