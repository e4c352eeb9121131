/**
 * The DataLoaders of one request (style guide §18-19): a by-id loader per entity kind and a
 * relation loader per `child<-parent` pair, all batching per vendor into the connectors. Every
 * record that comes in (by id, as a child, or from a list page through {@link Loaders.prime})
 * fills the by-id loader of its kind, and a work order's embedded customer, location, units and
 * visits fill theirs, so nothing already in hand is fetched again. Identical keys are fetched
 * once. Nothing outlives the request.
 */
import DataLoader from 'dataloader';
import type { ParentKind } from '../../connectors/types.js';
import { ENTITY_KINDS, type EntityKind, type ModelByKind, type RecordRef } from '../model/index.js';
import { refKey as keyOf } from './by-id.js';
import { createEntityLoader, type Connectors, type EntityLoader, type LoaderMode } from './by-id.js';
import { createRelationLoader, type RelationLoader } from './relations.js';

export { refKey, type Connectors, type EntityLoader } from './by-id.js';
export { strategyOf, type Relation, type RelationLoader } from './relations.js';

/** The loaders of one request. */
export type Loaders = { readonly [K in EntityKind]: EntityLoader<K> } & {
  /** The loader of the children of kind `kind` of parents of kind `parent` (created on first use). */
  related<K extends EntityKind>(kind: K, parent: ParentKind): RelationLoader<K>;
  /**
   * Takes in a record read outside the loaders (a list page): fills its by-id loader and, for a
   * work order, the loaders of what it embeds. A key already loaded keeps its value.
   */
  prime<K extends EntityKind>(kind: K, model: ModelByKind[K]): void;
  /**
   * Loads each ref on its own promise, for list fields whose items are nullable: one failed item
   * nulls only that item. A promise resolves null for a record that does not exist; it is typed
   * as the model because the generated resolver types only take promises of the model as list
   * items (GraphQL accepts null there, the items being nullable).
   */
  each<K extends EntityKind>(kind: K, refs: readonly RecordRef[]): Array<Promise<ModelByKind[K]>>;
  /**
   * Starts reading the `kind` children of the `parent` record `ref` without waiting for them: the
   * later `related(kind, parent).load(ref)` gets the same promise, and reports its error. Does
   * nothing when the loaders are off (every load is its own call there).
   */
  prefetch(kind: EntityKind, parent: ParentKind, ref: RecordRef): void;
};

/** Options of {@link createLoaders}. */
export interface LoaderOptions {
  /**
   * Debug switch: `false` turns batching and caching off (every load is its own connector call,
   * nothing is primed), to measure what the loaders save. Default true.
   */
  enabled?: boolean;
  /** Called with the loader's name and the size of every batch (metrics). */
  onBatch?: (loader: string, size: number) => void;
  /**
   * The error for reads of `kind` the caller may not make (authorization), or undefined: such
   * loaders answer that error for every key, whatever system holds the records, with no call.
   */
  refuse?: (kind: EntityKind) => Error | undefined;
}

/** A loader that answers `error` for every key. */
function refusing<V>(error: Error): DataLoader<RecordRef, V, string> {
  return new DataLoader<RecordRef, V, string>(async (keys) => keys.map(() => error), { cacheKeyFn: keyOf });
}

/** Creates the loaders of one request over `connectors`. */
export function createLoaders(connectors: Connectors, options: LoaderOptions = {}): Loaders {
  const mode: LoaderMode = { enabled: options.enabled ?? true, ...(options.onBatch ? { onBatch: options.onBatch } : {}) };
  const byId = {} as { [K in EntityKind]: EntityLoader<K> };
  const relations = new Map<string, RelationLoader<EntityKind>>();
  // What the caller may not read, asked once per kind rather than per field and record.
  const refusals = new Map<EntityKind, Error | undefined>(ENTITY_KINDS.map((k) => [k, options.refuse?.(k)]));

  function related<K extends EntityKind>(kind: K, parent: ParentKind): RelationLoader<K> {
    const key = `${kind}<-${parent}`;
    let loader = relations.get(key) as RelationLoader<K> | undefined;
    const refused = refusals.get(kind);
    if (!loader && refused) {
      loader = refusing<Array<ModelByKind[K]>>(refused);
      relations.set(key, loader as unknown as RelationLoader<EntityKind>);
    }
    if (!loader) {
      loader = createRelationLoader(kind, parent, { connectors, mode, byId: (k) => byId[k], related, absorb: prime });
      relations.set(key, loader as unknown as RelationLoader<EntityKind>);
    }
    return loader;
  }

  function prime<K extends EntityKind>(kind: K, model: ModelByKind[K]): void {
    if (!mode.enabled || refusals.get(kind)) return;
    (byId[kind] as EntityLoader<K>).prime(model.ref, model);
    if (kind !== 'workOrder') return;
    const embedded = (model as ModelByKind['workOrder']).embedded;
    if (!embedded) return;
    if (embedded.customer) prime('customer', embedded.customer);
    if (embedded.location) prime('location', embedded.location);
    for (const unit of embedded.equipment ?? []) prime('equipment', unit);
    if (embedded.appointments) {
      for (const visit of embedded.appointments) prime('appointment', visit);
      related('appointment', 'workOrder').prime(model.ref, embedded.appointments);
    }
  }

  for (const kind of ENTITY_KINDS) {
    const refused = refusals.get(kind);
    (byId as Record<EntityKind, unknown>)[kind] = refused ? refusing(refused) : createEntityLoader(kind, connectors, mode, prime);
  }

  const each = <K extends EntityKind>(kind: K, refs: readonly RecordRef[]): Array<Promise<ModelByKind[K]>> =>
    refs.map((ref) => (byId[kind] as EntityLoader<K>).load(ref) as Promise<ModelByKind[K]>);

  const prefetch = (kind: EntityKind, parent: ParentKind, ref: RecordRef): void => {
    if (mode.enabled) related(kind, parent).load(ref).catch(() => undefined);
  };

  return Object.assign(byId, { related, prime, each, prefetch });
}
