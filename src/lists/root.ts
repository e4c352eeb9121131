/**
 * The root lists (`workOrders`, `customers`, ...) as Relay connections: the arguments checked and
 * turned into one stream per system (`stream.ts`), merged (`merge.ts`), the records handed to the
 * loaders so nested fields do not fetch them again, and a failing system reported at the list's
 * path while the others answer.
 */
import { GraphQLError, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import type { ListQuery, VendorKey } from '../../connectors/types.js';
import { VENDOR_KEYS } from '../../connectors/vendors.js';
import type { RecordOrder, SourceSystem } from '../__generated__/graphql.js';
import type { Context } from '../context.js';
import { decodeNodeId, fromGlobalId, type NodeType } from '../ids.js';
import { readRefusal } from '../auth/policy.js';
import type { EntityKind, ModelByKind, RecordRef } from '../model/index.js';
import { pageSize, type Connection } from '../pagination.js';
import { BadCursorError, fingerprintOf, mergedPage } from './merge.js';
import type { Direction, StreamSpec } from './stream.js';

/** The filter arguments every root list understands (each list declares the ones it takes). */
export interface RootFilter {
  readonly systems?: ReadonlyArray<SourceSystem> | null;
  readonly updated?: { readonly from?: string | null; readonly to?: string | null } | null;
  readonly statuses?: ReadonlyArray<string> | null;
  readonly customer?: string | null;
  readonly technician?: string | null;
}

/** The arguments of a root list field. */
export interface RootListArgs {
  readonly first?: number | null;
  readonly after?: string | null;
  readonly filter?: RootFilter | null;
  readonly orderBy?: RecordOrder | null;
}

/** A root list's page, as the `XConnection` types take it. */
export type RootConnection<T> = Connection<T>;

function badInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

function vendorOf(system: SourceSystem): VendorKey {
  return system.toLowerCase() as VendorKey;
}

function instant(value: string | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw badInput('`updated` must hold DateTime values.');
  return t;
}

/** True when the selection (fragments included) asks for `field`. */
export function selects(info: GraphQLResolveInfo, field: string): boolean {
  const seen = new Set<string>();
  const visit = (set: SelectionSetNode | undefined): boolean =>
    !!set?.selections.some((s) => {
      if (s.kind === 'Field') return s.name.value === field;
      if (s.kind === 'InlineFragment') return visit(s.selectionSet);
      if (seen.has(s.name.value)) return false;
      seen.add(s.name.value);
      return visit(info.fragments[s.name.value]?.selectionSet);
    });
  return info.fieldNodes.some((node) => visit(node.selectionSet));
}

/**
 * The customer a list is filtered by, as its record id in each system: one record for a record id
 * without identity; every member of the unified customer otherwise (a record id or a unified id).
 */
async function customerOf(id: string | null | undefined, ctx: Context): Promise<Map<VendorKey, string> | undefined> {
  if (id === null || id === undefined) return undefined;
  const decoded = decodeNodeId(id, 'Customer', ctx.principal.tenant);
  const entity = 'entity' in decoded ? await ctx.identity.entity(decoded.entity) : ctx.identity.enabled ? await ctx.identity.entityOf('customer', decoded.ref) : undefined;
  if (entity) return new Map(entity.members.map((m) => [m.ref.system, m.ref.id]));
  if ('entity' in decoded) return new Map();
  return new Map([[decoded.ref.system, decoded.ref.id]]);
}

/** The edges whose customer is the first member, in precedence order, of its entity among `systems`. */
async function firstMembersOnly<E extends { node: { ref: RecordRef } }>(edges: readonly E[], ctx: Context, systems: ReadonlySet<VendorKey>): Promise<E[]> {
  const entities = await Promise.all(edges.map((e) => ctx.identity.entityOf('customer', e.node.ref)));
  return edges.filter((e, i) => {
    const entity = entities[i];
    if (!entity) return true;
    const first = ctx.identity.membersOf(entity).find((m) => systems.has(m.ref.system));
    return !first || (first.ref.system === e.node.ref.system && first.ref.id === e.node.ref.id);
  });
}

/** Only one system's records, by a global id of `type` given as a filter. */
function byRecord(id: string | null | undefined, type: NodeType, tenant: string): { vendor: VendorKey; id: string } | undefined {
  if (id === null || id === undefined) return undefined;
  const { ref } = fromGlobalId(id, type, tenant);
  return { vendor: ref.system, id: ref.id };
}

/**
 * One page of the root list of `kind`: validates the arguments (a bad `first`, `after`, id or
 * date is `BAD_USER_INPUT` before any vendor call), reads every configured system that lists the
 * kind, and returns the connection. A system that fails is named in `unavailableSystems` and its
 * error is added at the field's path.
 */
export async function rootList<K extends EntityKind>(kind: K, args: RootListArgs, ctx: Context, info: GraphQLResolveInfo): Promise<RootConnection<ModelByKind[K]>> {
  // Refused once for the whole list, rather than once per system by the guarded connectors.
  const refused = readRefusal(ctx.principal, kind);
  if (refused) throw refused;
  const first = pageSize(args.first);
  const filter = args.filter ?? {};
  const dir: Direction = args.orderBy?.direction ?? 'DESC';
  const since = instant(filter.updated?.from);
  const before = instant(filter.updated?.to);
  const customer = await customerOf(filter.customer, ctx);
  const technician = byRecord(filter.technician, 'Technician', ctx.principal.tenant);
  const statuses = filter.statuses?.length ? new Set(filter.statuses) : undefined;
  const systems = filter.systems?.length ? new Set(filter.systems.map(vendorOf)) : undefined;

  const streams: Array<StreamSpec<K>> = [];
  for (const vendor of VENDOR_KEYS) {
    const connector = ctx.connectors[vendor];
    if (!connector || !connector.capabilities.lists.includes(kind)) continue;
    if (systems && !systems.has(vendor)) continue;
    if (customer && !customer.has(vendor)) continue;
    if (technician && technician.vendor !== vendor) continue;
    const query: Omit<ListQuery, 'cursor' | 'pageSize' | 'updatedSince' | 'updatedBefore'> = {};
    const customerId = customer?.get(vendor);
    if (customerId) query.customerId = customerId;
    if (technician) query.technicianId = technician.id;
    if (statuses) {
      // The vendor words of the statuses asked for, so the vendor filters; UNKNOWN has no word.
      const words = connector.capabilities.statuses?.[kind as keyof typeof connector.capabilities.statuses];
      if (words && !statuses.has('UNKNOWN')) {
        const wanted = Object.entries(words)
          .filter(([, canonical]) => statuses.has(canonical))
          .map(([word]) => word);
        if (wanted.length === 0) continue;
        query.sourceStatuses = wanted;
      }
    }
    streams.push({
      vendor,
      connector,
      kind,
      query,
      since,
      before,
      dir,
      keep: (model) => {
        const m = model as { status?: string; customerRef?: { id: string }; technicianRefs?: Array<{ id: string }> };
        if (statuses && !statuses.has(m.status ?? '')) return false;
        if (customerId && m.customerRef?.id !== customerId) return false;
        if (technician && !(m.technicianRefs ?? []).some((t) => t.id === technician.id)) return false;
        return true;
      },
    });
  }

  const fingerprint = fingerprintOf({ kind, dir, since, before, customer: customer ? [...customer].sort() : undefined, technician, statuses: [...(statuses ?? [])].sort(), systems: [...(systems ?? [])].sort() });
  // One edge per real-world customer (below): its total is not the systems' count, so none is asked.
  const unified = kind === 'customer' && ctx.identity.enabled;
  let page;
  try {
    page = await mergedPage({ kind, streams, first, after: args.after ?? null, dir, fingerprint, count: !unified && selects(info, 'totalCount') });
  } catch (e) {
    if (e instanceof BadCursorError) throw badInput(`\`after\` is not a cursor of this list: ${e.message}.`);
    throw e;
  }
  for (const { node } of page.edges) ctx.loaders.prime(kind, node);
  for (const { error } of page.failures) ctx.sideErrors.push({ error, path: info.path });
  // One edge per real-world customer: a customer record is listed only where it is the first
  // member, in precedence order, among the systems this list reads and that answered (a customer
  // whose first member's system failed is listed through the next one). The cursors stay those
  // of the systems' records, so the next page resumes after the last record read, listed or not.
  const failed = new Set(page.failures.map((f) => f.vendor));
  const edges = unified ? await firstMembersOnly(page.edges, ctx, new Set(streams.map((st) => st.vendor).filter((v) => !failed.has(v)))) : page.edges;
  const nodes = edges.map((e) => e.node);
  return {
    edges,
    nodes,
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: !!args.after,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: page.edges.at(-1)?.cursor ?? null,
    },
    // The systems count records; how many real-world customers they make is not known without a walk.
    totalCount: unified ? null : page.totalCount,
    unavailableSystems: page.failures.map((f) => f.vendor.toUpperCase() as SourceSystem),
  };
}
