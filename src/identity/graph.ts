/**
 * What the graph needs from cross-vendor identity, to make one node per real-world customer and
 * unit: the entity of any member record's global id (linking the record on first sight when the
 * index has not met it), the members of an entity with their global ids and what matched them, and
 * the order in which members supply scalar fields (a configurable system order, then the most
 * recently updated). Batch-friendly: every method takes many ids and costs one or two store reads
 * for the lot (plus one write when records are met for the first time), so it fits a DataLoader.
 */
import { VENDOR_KEYS, type VendorKey } from '../../connectors/vendors.js';
import { fromGlobalId, toGlobalId, type NodeType } from '../ids.js';
import type { RecordRef } from '../model/index.js';
import { ENTITY_ID_PREFIX, type IdentityEntity, type LinkEvidence, type LinkIndex, type ManualDecision } from './index.js';
import type { IdentityModelByType, IdentityType, SupportRuleName } from './rules.js';

/** The GraphQL type of the records of each identity type. */
export const NODE_TYPE_OF_IDENTITY: Readonly<Record<IdentityType, NodeType>> = { customer: 'Customer', equipment: 'Equipment', technician: 'Technician', workOrder: 'WorkOrder' };

/** The identity type of a node type that the index links (the inverse of {@link NODE_TYPE_OF_IDENTITY}). */
export const IDENTITY_OF_NODE_TYPE = new Map<string, IdentityType>(Object.entries(NODE_TYPE_OF_IDENTITY).map(([t, n]) => [n, t as IdentityType]));

/** A member of an entity as the graph shows it (`sources`). */
export interface EntityMember {
  /** The record's own global id (it resolves to the entity too). */
  globalId: string;
  ref: RecordRef;
  /** How it joined: the rules (with the hashed keys) or a person's link, and the member it matched. */
  evidence: LinkEvidence[];
  /** Supporting evidence (e.g. the same normalised address as another member). */
  supportedBy: Array<{ rule: SupportRuleName; with: string }>;
  /** A person's decisions about this record. */
  linked: ManualDecision[];
  apart: ManualDecision[];
  updatedAt?: string;
}

/** Reads records of one type by ref (order and length kept; null for unknown): e.g. the request's loaders. */
export type RecordReader = <T extends IdentityType>(type: T, refs: readonly RecordRef[]) => Promise<Array<IdentityModelByType[T] | null>>;

/** Options of {@link createIdentityResolver}. */
export interface IdentityResolverOptions {
  index: LinkIndex;
  /** Tenant of the global ids (default: the index's). */
  tenant?: string;
  /** Reads records the index has not met, so they are linked on first sight (e.g. the request's loaders). */
  read: RecordReader;
  /** System order of scalar precedence (default: ServiceTitan, Sera, Astea, ServicePower, Field Nation). */
  systemOrder?: readonly VendorKey[];
}

/** Entity lookups for the graph. */
export interface IdentityResolver {
  /**
   * The entity of each id: a member record's global id (Customer, Equipment, Technician or
   * WorkOrder) or an entity id (`cus_…`, also one merged into another, which resolves to the
   * survivor). A record the index has not met is read and linked first. Order and length kept;
   * undefined for an entity id the index does not know or a record the vendor does not have. Throws the `BAD_USER_INPUT` GraphQLError of a malformed id.
   */
  resolveEntities(ids: readonly string[]): Promise<Array<IdentityEntity | undefined>>;
  /** {@link IdentityResolver.resolveEntities} for one id. */
  resolveEntity(id: string): Promise<IdentityEntity | undefined>;
  /** The entity of each record (order kept), linking the ones the index has not met. */
  entitiesOfRecords(type: IdentityType, refs: readonly RecordRef[]): Promise<Array<IdentityEntity | undefined>>;
  /** The members of an entity in precedence order, each with its global id and evidence. */
  membersOf(entity: IdentityEntity): EntityMember[];
}

/** The default precedence of systems for scalar fields. */
export const DEFAULT_SYSTEM_ORDER: readonly VendorKey[] = ['servicetitan', 'sera', 'astea', 'servicepower', 'fieldnation'];

/**
 * Members in precedence order: by `systemOrder` (systems not in it last, in the usual order), then
 * the most recently updated first, then by id.
 */
export function byPrecedence<M extends { ref: RecordRef; updatedAt?: string }>(members: readonly M[], systemOrder: readonly VendorKey[] = DEFAULT_SYSTEM_ORDER): M[] {
  const rank = (s: VendorKey) => {
    const i = systemOrder.indexOf(s);
    return i >= 0 ? i : systemOrder.length + VENDOR_KEYS.indexOf(s);
  };
  return members
    .slice()
    .sort((a, b) => rank(a.ref.system) - rank(b.ref.system) || (b.updatedAt ?? '').localeCompare(a.updatedAt ?? '') || a.ref.id.localeCompare(b.ref.id));
}

/**
 * A scalar field of a unified node: the value of the first record, in precedence order, that has
 * one (not undefined, null, blank or an empty list).
 */
export function pickScalar<M extends { ref: RecordRef; updatedAt?: string }, K extends keyof M>(records: readonly M[], field: K, systemOrder?: readonly VendorKey[]): M[K] | undefined {
  for (const r of byPrecedence(records, systemOrder)) {
    const v = r[field];
    if (v !== undefined && v !== null && !(typeof v === 'string' && v.trim() === '') && !(Array.isArray(v) && v.length === 0)) return v;
  }
  return undefined;
}

function isEntityId(id: string): boolean {
  return Object.values(ENTITY_ID_PREFIX).some((p) => id.startsWith(`${p}_`)) && /^[a-z]{3}_[0-9a-f]{20}$/.test(id);
}

/** Creates the resolver over a link index. */
export function createIdentityResolver(options: IdentityResolverOptions): IdentityResolver {
  const { index } = options;
  const tenant = options.tenant ?? index.tenant;
  const systemOrder = options.systemOrder ?? DEFAULT_SYSTEM_ORDER;

  async function entitiesOfRecords(type: IdentityType, refs: readonly RecordRef[]): Promise<Array<IdentityEntity | undefined>> {
    const found = await index.entitiesOf(type, refs);
    const missing = refs.filter((_, i) => found[i] === undefined);
    if (missing.length === 0) return found;
    const models = (await options.read(type, missing)).filter((m): m is IdentityModelByType[typeof type] => m !== null);
    if (models.length > 0) await index.linkNew(type, models);
    const again = await index.entitiesOf(type, missing);
    const byKey = new Map(missing.map((r, i) => [`${r.system}:${r.id}`, again[i]]));
    return refs.map((r, i) => found[i] ?? byKey.get(`${r.system}:${r.id}`));
  }

  async function resolveEntities(ids: readonly string[]): Promise<Array<IdentityEntity | undefined>> {
    const out: Array<IdentityEntity | undefined> = new Array(ids.length).fill(undefined);
    const entityIds: Array<{ i: number; id: string }> = [];
    const records = new Map<IdentityType, Array<{ i: number; ref: RecordRef }>>();
    ids.forEach((id, i) => {
      if (isEntityId(id)) return void entityIds.push({ i, id });
      const decoded = fromGlobalId(id, undefined, tenant);
      const type = IDENTITY_OF_NODE_TYPE.get(decoded.type);
      if (!type) return;
      const list = records.get(type) ?? [];
      list.push({ i, ref: decoded.ref });
      records.set(type, list);
    });
    const [byId] = await Promise.all([
      entityIds.length > 0 ? index.entities(entityIds.map((e) => e.id)) : Promise.resolve([]),
      ...[...records].map(async ([type, list]) => {
        const found = await entitiesOfRecords(type, list.map((l) => l.ref));
        list.forEach((l, j) => (out[l.i] = found[j]));
      }),
    ]);
    entityIds.forEach((e, j) => (out[e.i] = byId[j]));
    return out;
  }

  return {
    resolveEntities,
    resolveEntity: async (id) => (await resolveEntities([id]))[0],
    entitiesOfRecords,
    membersOf(entity) {
      return byPrecedence(entity.members, systemOrder).map((m) => ({
        globalId: toGlobalId(NODE_TYPE_OF_IDENTITY[entity.type], m.ref, tenant),
        ref: m.ref,
        evidence: m.evidence,
        supportedBy: m.supportedBy,
        linked: m.linked,
        apart: m.apart,
        ...(m.updatedAt ? { updatedAt: m.updatedAt } : {}),
      }));
    },
  };
}
