/**
 * Opens the shared cache's backend as the configuration says: Redis when `REDIS_URL` is set (all
 * instances share it), otherwise an in-process store bounded to {@link MEMORY_ENTRIES} entries.
 */
import { Keyv } from 'keyv';
import type { Config } from '../config.js';
import { createKeyValueStore } from '../store/kv.js';
import { BoundedMap } from './shared.js';

/** Most entries the in-memory backend keeps (least recently used go first). */
const MEMORY_ENTRIES = 50_000;

/** The Keyv namespace of the shared cache. */
const CACHE_NAMESPACE = 'fieldgraph-cache';

/** An open backend. */
export interface OpenedCache {
  keyv: Keyv;
  backend: 'redis' | 'memory';
  close(): Promise<void>;
}

/** Opens the backend; throws when Redis is configured and cannot be reached at start. */
export async function openCacheBackend(config: Pick<Config, 'store'>): Promise<OpenedCache> {
  if (config.store.redisUrl) {
    const store = await createKeyValueStore({ redisUrl: config.store.redisUrl, namespace: CACHE_NAMESPACE });
    return { keyv: store.keyv, backend: 'redis', close: () => store.close() };
  }
  const keyv = new Keyv({ store: new BoundedMap<unknown>(MEMORY_ENTRIES), namespace: CACHE_NAMESPACE, throwOnErrors: true });
  keyv.on('error', () => {
    // Thrown to the caller (throwOnErrors), where a failure is a miss.
  });
  return { keyv, backend: 'memory', close: async () => keyv.disconnect() };
}
