/**
 * The by-id loader of one entity kind: keys are record refs (cache key `vendor:id`), the batch
 * function groups them by vendor and reads each vendor's ids with `connector.get`, in chunks of
 * the vendor's batch size where it has a batch look-up, in one call otherwise (the connector then
 * makes its single reads at bounded concurrency).
 */
import DataLoader from 'dataloader';
import type { FieldServiceConnector, VendorKey } from '../../connectors/types.js';
import type { EntityKind, ModelByKind, RecordRef } from '../model/index.js';

/** Loads records of one kind by ref; `null` when the record does not exist or its system does not hold the kind. */
export type EntityLoader<K extends EntityKind> = DataLoader<RecordRef, ModelByKind[K] | null, string>;

/** The connectors of a request, by vendor. */
export type Connectors = Partial<Record<VendorKey, FieldServiceConnector>>;

/**
 * `connectors` with some methods of each replaced by what `overrides` gives; every other member
 * passes through to the connector. For the layers between the loaders and the connectors (the
 * authorization guard, the shared cache).
 */
export function decorateConnectors(connectors: Connectors, overrides: (vendor: VendorKey, connector: FieldServiceConnector) => Partial<FieldServiceConnector>): Connectors {
  const out: Connectors = {};
  for (const [vendor, connector] of Object.entries(connectors) as Array<[VendorKey, FieldServiceConnector]>) {
    out[vendor] = Object.assign(Object.create(connector) as FieldServiceConnector, overrides(vendor, connector));
  }
  return out;
}

/** The cache key of a ref: `vendor:id`. */
export function refKey(ref: RecordRef): string {
  return `${ref.system}:${ref.id}`;
}

/** Whether loaders batch and cache (the debug switch turns both off for comparisons). */
export interface LoaderMode {
  enabled: boolean;
  /** Called with the loader's name (`workOrder`, `appointment<-workOrder`) and the keys of every batch (metrics). */
  onBatch?: (loader: string, size: number) => void;
}

/** Keys of one vendor in a batch, with their positions in the batch. */
export interface VendorGroup {
  vendor: VendorKey;
  ids: string[];
  positions: number[];
}

/** Groups refs by vendor, keeping each ref's position. */
export function groupByVendor(refs: readonly RecordRef[]): VendorGroup[] {
  const groups = new Map<VendorKey, VendorGroup>();
  refs.forEach((ref, i) => {
    let g = groups.get(ref.system);
    if (!g) groups.set(ref.system, (g = { vendor: ref.system, ids: [], positions: [] }));
    g.ids.push(ref.id);
    g.positions.push(i);
  });
  return [...groups.values()];
}

/** `e` as an Error (the DataLoader contract wants Error instances per failed key). */
export function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}

/**
 * The values of a batch whose keys settle vendor by vendor. `done[i]` is the work of
 * `groups[i]`, which fills `results`; each key gets a promise of its own slot, settled when its
 * own vendor's work is done (an Error slot rejects it). DataLoader resolves each key with the
 * value the batch returns for it, and a promise returned as that value is adopted: so a vendor
 * that answers fast lets its records' fields go on (and their own reads go out) without waiting
 * for the slowest vendor of the batch. Typed as the plain values DataLoader declares.
 */
export function settledByVendor<V>(groups: readonly VendorGroup[], done: ReadonlyArray<Promise<void>>, results: ReadonlyArray<V | Error>): Array<V | Error> {
  const out = new Array<Promise<V>>(results.length);
  groups.forEach((group, g) => {
    for (const p of group.positions) {
      out[p] = done[g]!.then(() => {
        const r = results[p]!;
        if (r instanceof Error) throw r;
        return r;
      });
    }
  });
  return out as unknown as Array<V | Error>;
}

function split(group: VendorGroup, size: number): VendorGroup[] {
  if (size <= 1 || group.ids.length <= size) return [group];
  const parts: VendorGroup[] = [];
  for (let i = 0; i < group.ids.length; i += size) {
    parts.push({ vendor: group.vendor, ids: group.ids.slice(i, i + size), positions: group.positions.slice(i, i + size) });
  }
  return parts;
}

/**
 * Creates the by-id loader of `kind`. `absorb` is called with every record read, so that data it
 * embeds primes the other loaders. A vendor that fails sets an Error on its own keys only.
 */
export function createEntityLoader<K extends EntityKind>(
  kind: K,
  connectors: Connectors,
  mode: LoaderMode,
  absorb: (kind: K, model: ModelByKind[K]) => void,
): EntityLoader<K> {
  const batch = async (refs: readonly RecordRef[]): Promise<Array<ModelByKind[K] | null | Error>> => {
    mode.onBatch?.(kind, refs.length);
    const results: Array<ModelByKind[K] | null | Error> = refs.map(() => null);
    const groups = groupByVendor(refs);
    const done = groups.map(async (group) => {
      const connector = connectors[group.vendor];
      // An unconfigured system, or one that holds no such records: nothing exists there.
      if (!connector || !connector.capabilities.entities.includes(kind)) return;
      const size = connector.capabilities.batchSize[kind] ?? 1;
      await Promise.all(
        split(group, size).map(async (part) => {
          try {
            const models = await connector.get(kind, part.ids);
            part.positions.forEach((p, i) => (results[p] = models[i] ?? null));
          } catch (e) {
            const error = asError(e);
            for (const p of part.positions) results[p] = error;
          }
        }),
      );
      for (const p of group.positions) {
        const r = results[p];
        if (r !== null && r !== undefined && !(r instanceof Error)) absorb(kind, r);
      }
    });
    return settledByVendor(groups, done, results);
  };
  const cacheMap = new Map<string, Promise<ModelByKind[K] | null>>();
  const loader: EntityLoader<K> = new DataLoader(batch, { cacheKeyFn: refKey, batch: mode.enabled, cache: mode.enabled, cacheMap });
  CACHES.set(loader as unknown as EntityLoader<EntityKind>, cacheMap as unknown as Map<string, Promise<unknown>>);
  return loader;
}

const CACHES = new WeakMap<EntityLoader<EntityKind>, Map<string, Promise<unknown>>>();

/**
 * The record a by-id loader already holds or is fetching for `ref` (loaded or primed earlier in the
 * request), without asking for it; undefined when it would take a vendor call.
 */
export function peekLoaded<K extends EntityKind>(loader: EntityLoader<K>, ref: RecordRef): Promise<ModelByKind[K] | null> | undefined {
  return CACHES.get(loader as unknown as EntityLoader<EntityKind>)?.get(refKey(ref)) as Promise<ModelByKind[K] | null> | undefined;
}
