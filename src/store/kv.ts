/**
 * The one key-value store factory for everything that must survive restarts and be shared by
 * gateway instances: idempotency records now, the cross-vendor link index and the shared cache
 * later. Keyv over Redis (`@keyv/redis`) when a Redis URL is configured; otherwise Keyv over
 * {@link FileStore}, one JSON file in the data directory. Both add the one operation Keyv lacks, an
 * atomic "set if absent" (Redis `SET NX PX`; the file store's lock), which the idempotency records
 * build their claims on.
 */
import { resolve } from 'node:path';
import KeyvRedis from '@keyv/redis';
import { Keyv } from 'keyv';
import { FileStore } from './file-store.js';

/** A namespaced key-value store with TTLs. Every method throws when the backend fails. */
export interface KeyValueStore {
  /** `redis` or `file`. */
  readonly backend: 'redis' | 'file';
  /** The Keyv instance, for callers that want Keyv itself (e.g. a cache adapter). */
  readonly keyv: Keyv;
  /** The value of `key`; undefined when absent or expired. */
  get<T>(key: string): Promise<T | undefined>;
  /** Sets `key` for `ttlMs` milliseconds. */
  set<T>(key: string, value: T, ttlMs: number): Promise<void>;
  /** Sets `key` for `ttlMs` only when it holds nothing; atomic across processes. True when this call set it. */
  setIfAbsent<T>(key: string, value: T, ttlMs: number): Promise<boolean>;
  /** Removes `key`; true when it was there. */
  delete(key: string): Promise<boolean>;
  /** Closes the connection (Redis) or waits for pending writes (file). */
  close(): Promise<void>;
}

/** Options of {@link createKeyValueStore}. */
export interface KeyValueStoreOptions {
  /** Redis URL; when absent, the file-backed store. */
  redisUrl?: string | undefined;
  /** Directory of the file-backed store (relative to the working directory); default `.fieldgraph`. */
  dataDir?: string;
  /** Namespace of the keys (e.g. `fieldgraph`); each namespace is its own key space. */
  namespace: string;
  /** Redis connection timeout in ms (default 5000). */
  connectTimeoutMs?: number;
}

/**
 * Creates the store. With Redis it connects first and throws when Redis cannot be reached; the
 * file-backed store creates its directory on the first write.
 */
export async function createKeyValueStore(options: KeyValueStoreOptions): Promise<KeyValueStore> {
  return options.redisUrl ? createRedisStore(options.redisUrl, options) : createFileStore(options);
}

/** Keyv's own record of a value: the value and its expiry, serialised as Keyv does. */
async function envelope(keyv: Keyv, value: unknown, ttlMs: number): Promise<string> {
  const data = await keyv.serializeData({ value, expires: Date.now() + ttlMs });
  return typeof data === 'string' ? data : JSON.stringify(data);
}

function common(keyv: Keyv): Pick<KeyValueStore, 'get' | 'set' | 'delete'> {
  return {
    get: async <T>(key: string) => (await keyv.get<T>(key)) ?? undefined,
    set: async <T>(key: string, value: T, ttlMs: number) => {
      await keyv.set(key, value, ttlMs);
    },
    delete: (key) => keyv.delete(key),
  };
}

async function createRedisStore(url: string, options: KeyValueStoreOptions): Promise<KeyValueStore> {
  const adapter = new KeyvRedis(url, {
    namespace: options.namespace,
    throwOnConnectError: true,
    throwOnErrors: true,
    connectionTimeout: options.connectTimeoutMs ?? 5000,
  });
  // As `@keyv/redis`'s createKeyv does: the adapter prefixes keys with the namespace.
  const keyv = new Keyv({ store: adapter, namespace: options.namespace, useKeyPrefix: false, throwOnErrors: true });
  keyv.on('error', () => {
    // Errors are thrown to the caller (throwOnErrors); this listener keeps them from being unhandled events.
  });
  try {
    await adapter.getClient();
  } catch (e) {
    // Stop the client's reconnect attempts: the caller may try again later with a new store.
    await adapter.disconnect(true).catch(() => undefined);
    throw e;
  }
  return {
    backend: 'redis',
    keyv,
    ...common(keyv),
    async setIfAbsent(key, value, ttlMs) {
      const client = await adapter.getClient();
      const r = await client.set(adapter.createKeyPrefix(key, adapter.namespace), await envelope(keyv, value, ttlMs), { NX: true, PX: Math.max(1, Math.ceil(ttlMs)) });
      return r === 'OK';
    },
    close: () => adapter.disconnect(),
  };
}

function createFileStore(options: KeyValueStoreOptions): KeyValueStore {
  const store = new FileStore({ file: resolve(options.dataDir ?? '.fieldgraph', 'store.json') });
  const keyv = new Keyv({ store, namespace: options.namespace, useKeyPrefix: false, throwOnErrors: true });
  keyv.on('error', () => {
    // Thrown to the caller (throwOnErrors).
  });
  return {
    backend: 'file',
    keyv,
    ...common(keyv),
    async setIfAbsent(key, value, ttlMs) {
      return store.setIfAbsent(key, await envelope(keyv, value, ttlMs), ttlMs);
    },
    close: () => store.disconnect(),
  };
}
