/**
 * What the mutations share across requests: the idempotency store (opened on first use, so a
 * gateway that only reads never touches the data directory or Redis), the routing rules and the
 * vendor settings. Built once per server from the configuration.
 */
import { RoutingConfigSchema, StoreConfigSchema, type RoutingConfig, type StoreConfig, type VendorSettings } from '../config.js';
import { IdempotencyStore } from '../store/idempotency.js';
import { createKeyValueStore } from '../store/kv.js';

/** The mutations' shared services. */
export interface MutationServices {
  /** The idempotency records (the store is opened on the first call; throws when it cannot be). */
  idempotency(): Promise<IdempotencyStore>;
  /** Routing of `createWorkOrder` and what the dispatch checks know. */
  routing: RoutingConfig;
  /** Vendor references and business settings per system. */
  vendorSettings: VendorSettings;
  /** Where unexpected conditions are logged (never a secret, never an input). */
  log(message: string, error?: unknown): void;
  /** Closes the store if it was opened. */
  close(): Promise<void>;
}

/** Settings of {@link createMutationServices}; every part has the configuration's defaults. */
export interface MutationSettings {
  store?: Partial<StoreConfig>;
  routing?: RoutingConfig;
  vendorSettings?: VendorSettings;
  log?: (message: string, error?: unknown) => void;
}

/** Builds the services; nothing is opened until the first mutation with an idempotency key. */
export function createMutationServices(settings: MutationSettings = {}): MutationServices {
  const store = StoreConfigSchema.parse(settings.store ?? {});
  let opening: Promise<IdempotencyStore> | undefined;
  return {
    idempotency() {
      if (!opening) {
        opening = createKeyValueStore({ redisUrl: store.redisUrl, dataDir: store.dataDir, namespace: 'fieldgraph' }).then(
          (kv) => new IdempotencyStore(kv, { ttlMs: store.idempotencyTtlHours * 3_600_000, leaseMs: store.leaseSeconds * 1000, waitMs: store.waitSeconds * 1000 }),
        );
        // A store that could not be opened is tried again by the next mutation.
        opening.catch(() => (opening = undefined));
      }
      return opening;
    },
    routing: settings.routing ?? RoutingConfigSchema.parse({}),
    vendorSettings: settings.vendorSettings ?? {},
    log: settings.log ?? ((message, error) => console.error(`[fieldgraph] ${message}${error instanceof Error ? `: ${error.name}: ${error.message}` : ''}`)),
    async close() {
      const s = await opening?.catch(() => undefined);
      await s?.kv.close();
    },
  };
}
