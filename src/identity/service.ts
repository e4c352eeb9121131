/**
 * Cross-vendor identity as the gateway runs it: the link index of each tenant over one key-value
 * store (Redis when configured, so every instance shares it; else the data directory, so manual
 * links survive restarts), and the refresh that keeps it fresh: an incremental sync of the default
 * tenant's vendors every `refreshSeconds` (reading what changed since the last one; the caller starts
 * the first, `refresh()`). With several instances on one store, one of them refreshes in each period (a lease in
 * the store), so the vendors are not read once per instance. Records the index has not met yet are
 * linked on first sight by the graph itself.
 */
import { randomUUID } from 'node:crypto';
import type { FieldServiceConnector } from '../../connectors/types.js';
import type { VendorKey } from '../../connectors/vendors.js';
import type { StoreConfig } from '../config.js';
import { DEFAULT_TENANT } from '../ids.js';
import { createKeyValueStore, type KeyValueStore } from '../store/kv.js';
import { IDENTITY_NAMESPACE, openLinkIndex, type LinkIndex } from './index.js';
import { runSync, type SyncSummary } from './sync.js';

/** The gateway's identity. */
export interface IdentityService {
  /** The link index of `tenant`. */
  indexFor(tenant: string): LinkIndex;
  /**
   * Runs one incremental sync of the default tenant now (or joins the one running); undefined when
   * another instance holds this period's lease, or when it failed (logged).
   */
  refresh(): Promise<SyncSummary | undefined>;
  /** Stops refreshing (a sync in progress stops after its page) and closes the store. */
  close(): Promise<void>;
}

/** Options of {@link openIdentityService}. */
export interface IdentityServiceOptions {
  store: Pick<StoreConfig, 'redisUrl' | 'dataDir'>;
  /** The default tenant's connectors, for the refresh. */
  connectors: () => Partial<Record<VendorKey, FieldServiceConnector>>;
  /** Seconds between refreshes; 0: none. */
  refreshSeconds: number;
  /** Where a refresh reports its summary and failures. */
  log: (message: string, error?: unknown) => void;
}

/** Opens the store and starts the refresh. Throws when Redis is configured and unreachable. */
export async function openIdentityService(options: IdentityServiceOptions): Promise<IdentityService> {
  const store: KeyValueStore = await createKeyValueStore({ namespace: IDENTITY_NAMESPACE, redisUrl: options.store.redisUrl, dataDir: options.store.dataDir });
  const indexes = new Map<string, LinkIndex>();
  const indexFor = (tenant: string): LinkIndex => {
    let index = indexes.get(tenant);
    if (!index) indexes.set(tenant, (index = openLinkIndex({ store, tenant })));
    return index;
  };
  const stop = new AbortController();
  let running: Promise<SyncSummary | undefined> | undefined;
  const instance = randomUUID();
  // Held for most of a period: the instance that takes it refreshes; the others skip this period.
  const leaseMs = Math.max(5_000, Math.round(options.refreshSeconds * 1000 * 0.9));
  const refresh = (): Promise<SyncSummary | undefined> => {
    running ??= store
      .setIfAbsent(`${DEFAULT_TENANT}:refresh-lease`, instance, leaseMs)
      .then((mine) => (mine ? runSync({ connectors: options.connectors(), index: indexFor(DEFAULT_TENANT), signal: stop.signal }) : undefined))
      .then(
        (summary) => {
          if (!summary) return undefined;
          options.log(`identity: ${summary.records} records read in ${summary.lists.length} lists, ${summary.index.entities.customer} customers and ${summary.index.entities.equipment} units known`);
          for (const l of summary.lists) if (l.error) options.log(`identity: ${l.vendor} ${l.type} could not be read`, new Error(l.error));
          return summary;
        },
        (e: unknown) => {
          options.log('identity: refresh failed', e);
          return undefined;
        },
      )
      .finally(() => (running = undefined));
    return running;
  };
  const timer = options.refreshSeconds > 0 ? setInterval(() => void refresh(), options.refreshSeconds * 1000) : undefined;
  timer?.unref();
  return {
    indexFor,
    refresh,
    close: async () => {
      if (timer) clearInterval(timer);
      stop.abort();
      await running;
      await store.close();
    },
  };
}
