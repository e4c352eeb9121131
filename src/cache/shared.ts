/**
 * The shared cache: vendor records and children lists kept across requests (and, with Redis,
 * across gateway instances), so a warm job graph costs fewer vendor calls. It sits between the
 * request's loaders and its connectors, as a connector wrapper ({@link cacheConnectors}); nothing
 * above can tell a cached record from a fresh one.
 *
 * - Keys are namespaced per tenant and {@link MODEL_VERSION}: `<tenant>:<version>:<kind>:<system>:<id>`
 *   for records, `<tenant>:<version>:<kind><-<parent>:<system>:<id>` for children lists, which hold
 *   the ids of the children (the children are records of the cache).
 * - Only vendor records are cached, which are the same for every principal of a tenant;
 *   authorization sits above the cache (the policy guard wraps the cached connectors).
 * - Each kind has its own TTL ({@link DEFAULT_TTL_SECONDS}); 0 leaves a kind uncached.
 * - A failing cache is a miss: reads go to the vendor, writes are dropped, and the failure is
 *   counted and logged, never raised.
 * - Writes through the gateway invalidate what they change (`invalidate`, from the mutations), and
 *   so do vendor webhooks (`src/webhooks.ts`).
 */
import type { Keyv } from 'keyv';
import type { ParentKind } from '../../connectors/types.js';
import { decorateConnectors, type Connectors } from '../loaders/by-id.js';
import type { EntityKind, ModelByKind, RecordRef } from '../model/index.js';

/**
 * The version of the canonical model (`src/model/`) in cache keys. Bump it when a model's shape
 * changes, so instances of the new version never read records cached by the old one.
 */
export const MODEL_VERSION = 'm1';

/** Seconds each kind is kept by default: reference data longer, live operational data briefly. */
export const DEFAULT_TTL_SECONDS: Readonly<Record<EntityKind, number>> = {
  technician: 600,
  customer: 300,
  location: 600,
  equipment: 600,
  membership: 300,
  workOrder: 30,
  appointment: 30,
  invoice: 120,
  claim: 120,
};

/** What the cache reports (the server's metrics and logger). */
export interface CacheEvents {
  /** Every record or list looked up: hit or miss. */
  lookup?(kind: string, hit: boolean): void;
  /** A failure of the backend, treated as a miss. */
  failure?(operation: 'get' | 'set' | 'delete', error: unknown): void;
}

/** Options of {@link SharedCache}. */
export interface SharedCacheOptions {
  /** Seconds per kind over {@link DEFAULT_TTL_SECONDS}. */
  ttlSeconds?: Partial<Record<EntityKind, number>>;
  events?: CacheEvents;
}

/** The shared cache over a Keyv (in memory or Redis). */
export class SharedCache {
  private readonly ttl: Record<EntityKind, number>;

  constructor(
    private readonly keyv: Keyv,
    private readonly options: SharedCacheOptions = {},
  ) {
    this.ttl = { ...DEFAULT_TTL_SECONDS, ...(options.ttlSeconds ?? {}) } as Record<EntityKind, number>;
  }

  /** Whether records of `kind` are cached at all. */
  caches(kind: EntityKind): boolean {
    return this.ttl[kind] > 0;
  }

  /** The key of a record. */
  recordKey(tenant: string, kind: EntityKind, ref: RecordRef): string {
    return `${tenant}:${MODEL_VERSION}:${kind}:${ref.system}:${ref.id}`;
  }

  /** The key of the `kind` children of a parent. */
  childrenKey(tenant: string, kind: EntityKind, parent: ParentKind, ref: RecordRef): string {
    return `${tenant}:${MODEL_VERSION}:${kind}<-${parent}:${ref.system}:${ref.id}`;
  }

  /** Values of `keys`, undefined for misses (every key a miss when the backend fails). */
  async getMany<T>(kind: string, keys: readonly string[]): Promise<Array<T | undefined>> {
    if (keys.length === 0) return [];
    let values: Array<T | undefined>;
    try {
      values = (await this.keyv.getMany<T>([...keys])) as Array<T | undefined>;
    } catch (e) {
      this.options.events?.failure?.('get', e);
      values = keys.map(() => undefined);
    }
    for (const v of values) this.options.events?.lookup?.(kind, v !== undefined && v !== null);
    return values.map((v) => (v === null ? undefined : v));
  }

  /** Stores `entries` for the TTL of `kind`; failures are dropped. */
  async setMany(kind: EntityKind, entries: ReadonlyArray<{ key: string; value: unknown }>): Promise<void> {
    if (entries.length === 0 || !this.caches(kind)) return;
    const ttl = this.ttl[kind] * 1000;
    try {
      await this.keyv.setMany(entries.map((e) => ({ key: e.key, value: e.value, ttl })));
    } catch (e) {
      this.options.events?.failure?.('set', e);
    }
  }

  /** Removes `keys`; failures are reported (a stale entry then lives until its TTL). */
  async deleteMany(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    try {
      await this.keyv.deleteMany([...keys]);
    } catch (e) {
      this.options.events?.failure?.('delete', e);
    }
  }

  /** Forgets what a write changed, in `tenant`. */
  async invalidate(tenant: string, changes: CacheChanges): Promise<void> {
    await this.deleteMany([
      ...(changes.records ?? []).map((r) => this.recordKey(tenant, r.kind, r.ref)),
      ...(changes.children ?? []).map((c) => this.childrenKey(tenant, c.kind, c.parent, c.ref)),
    ]);
  }
}

/** What a write changed: records, and children lists. */
export interface CacheChanges {
  records?: ReadonlyArray<{ kind: EntityKind; ref: RecordRef }>;
  children?: ReadonlyArray<{ kind: EntityKind; parent: ParentKind; ref: RecordRef }>;
}

/**
 * `connectors` reading through `cache` for `tenant`: `get` answers cached ids from the cache and
 * asks the vendor only for the rest; `children` likewise per parent. Records that do not exist are
 * not cached (a record created later must be found). Lists and writes pass through.
 */
export function cacheConnectors(connectors: Connectors, cache: SharedCache, tenant: string): Connectors {
  return decorateConnectors(connectors, (vendor, connector) => {
    const get = async <K extends EntityKind>(kind: K, ids: readonly string[]): Promise<Array<ModelByKind[K] | null>> => {
      if (!cache.caches(kind)) return connector.get(kind, ids);
      const keys = ids.map((id) => cache.recordKey(tenant, kind, { system: vendor, id }));
      const cached = await cache.getMany<ModelByKind[K]>(kind, keys);
      const missing = ids.filter((_, i) => cached[i] === undefined);
      if (missing.length === 0) return cached as Array<ModelByKind[K]>;
      const fresh = await connector.get(kind, missing);
      const byId = new Map(missing.map((id, i) => [id, fresh[i] ?? null]));
      await cache.setMany(
        kind,
        missing.flatMap((id, i) => (fresh[i] ? [{ key: cache.recordKey(tenant, kind, { system: vendor, id }), value: fresh[i] }] : [])),
      );
      return ids.map((id, i) => cached[i] ?? byId.get(id) ?? null);
    };
    const children = async <K extends EntityKind>(kind: K, parent: ParentKind, parentIds: readonly string[]): Promise<Map<string, Array<ModelByKind[K]>>> => {
      if (!cache.caches(kind)) return connector.children(kind, parent, parentIds);
      // A list is cached as the ids of its children; the children themselves are records of the
      // cache, so a record dropped by a write or a webhook is read afresh in every list holding it.
      const keys = parentIds.map((id) => cache.childrenKey(tenant, kind, parent, { system: vendor, id }));
      const cached = await cache.getMany<string[]>(`${kind}<-${parent}`, keys);
      const missing = parentIds.filter((_, i) => cached[i] === undefined);
      const fresh = missing.length > 0 ? await connector.children(kind, parent, missing) : new Map<string, Array<ModelByKind[K]>>();
      const records = new Map<string, ModelByKind[K]>();
      for (const list of fresh.values()) for (const child of list) records.set(child.ref.id, child);
      await Promise.all([
        cache.setMany(kind, [...records.values()].map((child) => ({ key: cache.recordKey(tenant, kind, child.ref), value: child }))),
        cache.setMany(
          kind,
          missing.map((id) => ({ key: cache.childrenKey(tenant, kind, parent, { system: vendor, id }), value: (fresh.get(id) ?? []).map((c) => c.ref.id) })),
        ),
      ]);
      const wanted = [...new Set(cached.flatMap((ids) => ids ?? []))].filter((id) => !records.has(id));
      if (wanted.length > 0) {
        const got = await get(kind, wanted);
        wanted.forEach((id, i) => got[i] && records.set(id, got[i]!));
      }
      const result = new Map<string, Array<ModelByKind[K]>>();
      parentIds.forEach((id, i) => {
        const ids = cached[i] ?? (fresh.get(id) ?? []).map((c) => c.ref.id);
        result.set(id, ids.flatMap((childId) => (records.has(childId) ? [records.get(childId)!] : [])));
      });
      return result;
    };
    return { get, children };
  });
}

/** A Map that keeps at most `max` entries, dropping the least recently used: the in-memory backend. */
export class BoundedMap<V> extends Map<string, V> {
  constructor(private readonly max: number) {
    super();
  }

  override get(key: string): V | undefined {
    const value = super.get(key);
    if (value !== undefined) {
      super.delete(key);
      super.set(key, value);
    }
    return value;
  }

  override set(key: string, value: V): this {
    if (super.has(key)) super.delete(key);
    super.set(key, value);
    while (this.size > this.max) {
      const oldest = this.keys().next();
      if (oldest.done) break;
      super.delete(oldest.value);
    }
    return this;
  }
}
