/**
 * Cross-vendor identity as one request sees it: the real-world entity of a record (one batched
 * link-index read per type, records the index has not met linked on first sight from the records
 * the request already holds), and the unified view of a customer or unit: its global id (the
 * entity's), its member records in precedence order, and the scalar each field takes from them.
 * Without a link index every record is its own entity, as before identity existed.
 */
import DataLoader from 'dataloader';
import type { VendorKey } from '../../connectors/vendors.js';
import { createIdentityResolver, pickScalar, type EntityMember, type IdentityResolver } from '../identity/graph.js';
import type { IdentityEntity, LinkIndex } from '../identity/index.js';
import type { IdentityModelByType, IdentityType } from '../identity/rules.js';
import { TYPE_OF_KIND, toEntityGlobalId, toGlobalId } from '../ids.js';
import type { ModelByKind, RecordRef } from '../model/index.js';
import type { Loaders } from './index.js';

/** The kinds that are one node per real-world entity. */
export type UnifiedKind = 'customer' | 'equipment';

/** A unified node: what its resolvers read. */
export interface Unified<M> {
  /** The node's global id: the entity's, or the record's when there is no link index. */
  id: string;
  /** The entity, when there is a link index. */
  entity: IdentityEntity | undefined;
  /** Its member records as sources, in precedence order. */
  members: EntityMember[];
  /**
   * The member records that could be read, in precedence order. Read on first call only: the id,
   * `sources` and relationships need the members' refs, not their records.
   */
  records(): Promise<M[]>;
}

/** What the request needs to know about identity. */
export interface RequestIdentity {
  /** Whether records are linked into entities (a link index is configured). */
  readonly enabled: boolean;
  /** The entity of a record (batched per type); undefined without an index or for an unknown record. */
  entityOf(type: IdentityType, ref: RecordRef): Promise<IdentityEntity | undefined>;
  /** An entity by its id (or an alias); undefined when unknown or without an index. */
  entity(id: string): Promise<IdentityEntity | undefined>;
  /** The unified view of a customer or unit, whichever member record it came in as. */
  unify<K extends UnifiedKind>(kind: K, model: ModelByKind[K]): Promise<Unified<ModelByKind[K]>>;
  /** Members of an entity in precedence order. */
  membersOf(entity: IdentityEntity): EntityMember[];
  /** A scalar of a unified node from its member records, by the configured precedence. */
  scalar<M extends { ref: RecordRef; updatedAt?: string }, F extends keyof M>(records: readonly M[], field: F): M[F] | undefined;
  /** Forgets what this request learnt of entities (after a link or unlink). */
  clear(): void;
}

/** Options of {@link createRequestIdentity}. */
export interface RequestIdentityOptions {
  /** The tenant's link index (absent: no identity). */
  index: LinkIndex | undefined;
  tenant: string;
  loaders: Loaders;
  /** System order of scalar precedence. */
  systemOrder?: readonly VendorKey[];
}

const keyOf = (type: IdentityType, ref: RecordRef) => `${type}|${ref.system}|${ref.id}`;

/** Creates the identity of one request. */
export function createRequestIdentity(options: RequestIdentityOptions): RequestIdentity {
  const { index, tenant, loaders } = options;
  const read = async <T extends IdentityType>(type: T, refs: readonly RecordRef[]): Promise<Array<IdentityModelByType[T] | null>> => {
    const got = await loaders[type].loadMany(refs);
    return got.map((m) => (m instanceof Error || !m ? null : (m as IdentityModelByType[T])));
  };
  const resolver: IdentityResolver | undefined = index
    ? createIdentityResolver({ index, tenant, read, ...(options.systemOrder ? { systemOrder: options.systemOrder } : {}) })
    : undefined;

  const byRecord = new DataLoader<{ type: IdentityType; ref: RecordRef }, IdentityEntity | undefined, string>(
    async (keys) => {
      const out: Array<IdentityEntity | undefined> = keys.map(() => undefined);
      const byType = new Map<IdentityType, number[]>();
      keys.forEach((k, i) => byType.set(k.type, [...(byType.get(k.type) ?? []), i]));
      await Promise.all(
        [...byType].map(async ([type, positions]) => {
          const found = await resolver!.entitiesOfRecords(type, positions.map((p) => keys[p]!.ref));
          positions.forEach((p, j) => (out[p] = found[j]));
        }),
      );
      return out;
    },
    { cacheKeyFn: (k) => keyOf(k.type, k.ref) },
  );
  const byId = new DataLoader<string, IdentityEntity | undefined>(async (ids) => (index ? index.entities(ids) : ids.map(() => undefined)));
  const unified = new Map<string, Promise<Unified<unknown>>>();

  const self = (kind: UnifiedKind, model: ModelByKind[UnifiedKind]): EntityMember => ({
    globalId: toGlobalId(TYPE_OF_KIND[kind], model.ref, tenant),
    ref: model.ref,
    evidence: [],
    supportedBy: [],
    linked: [],
    apart: [],
    ...(model.updatedAt ? { updatedAt: model.updatedAt } : {}),
  });

  async function build<K extends UnifiedKind>(kind: K, model: ModelByKind[K]): Promise<Unified<ModelByKind[K]>> {
    const entity = resolver ? await byRecord.load({ type: kind, ref: model.ref }) : undefined;
    if (!entity || !resolver) return { id: toGlobalId(TYPE_OF_KIND[kind], model.ref, tenant), entity: undefined, members: [self(kind, model)], records: () => Promise.resolve([model]) };
    const members = resolver.membersOf(entity);
    let records: Promise<Array<ModelByKind[K]>> | undefined;
    const read = async (): Promise<Array<ModelByKind[K]>> => {
      const loaded = await loaders[kind].loadMany(members.map((m) => m.ref));
      // The record the node came in as may be fresher than a loader's copy (a write's payload).
      const same = (i: number) => members[i]!.ref.id === model.ref.id && members[i]!.ref.system === model.ref.system;
      return loaded.map((r, i) => (same(i) ? model : r)).filter((r): r is ModelByKind[K] => !!r && !(r instanceof Error));
    };
    return { id: toEntityGlobalId(TYPE_OF_KIND[kind], entity.id, tenant), entity, members, records: () => (records ??= read()) };
  }

  return {
    enabled: !!resolver,
    entityOf: (type, ref) => (resolver ? byRecord.load({ type, ref }) : Promise.resolve(undefined)),
    entity: (id) => byId.load(id),
    membersOf: (entity) => resolver?.membersOf(entity) ?? [],
    scalar: (records, field) => pickScalar(records, field, options.systemOrder),
    clear: () => {
      byRecord.clearAll();
      byId.clearAll();
      unified.clear();
    },
    unify<K extends UnifiedKind>(kind: K, model: ModelByKind[K]): Promise<Unified<ModelByKind[K]>> {
      const key = keyOf(kind, model.ref);
      let u = unified.get(key) as Promise<Unified<ModelByKind[K]>> | undefined;
      if (!u) {
        u = build(kind, model);
        unified.set(key, u as Promise<Unified<unknown>>);
      }
      return u;
    },
  };
}
