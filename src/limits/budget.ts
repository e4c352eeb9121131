/**
 * The per-principal cost budget: a token bucket per principal, as Shopify's and GitHub's GraphQL
 * APIs keep one. It holds at most `maximumAvailable` points and refills `restoreRate` points a
 * second; a request takes its requested cost from it, or is refused when the bucket holds less.
 *
 * The key-value store (`src/store/kv.ts`) offers no atomic read-modify-write, so the bucket is its
 * own interface with two implementations: in this process's memory (one instance), and in Redis
 * through the store's client with one Lua script per take (atomic, so every instance sharing the
 * Redis shares each principal's budget; time is Redis's clock, so instances' clocks do not matter).
 */
import KeyvRedis from '@keyv/redis';
import { createKeyValueStore, type KeyValueStore } from '../store/kv.js';

/** The bucket's size and refill rate. */
export interface BudgetSettings {
  /** Points a full bucket holds. */
  maximumAvailable: number;
  /** Points added back per second. */
  restoreRate: number;
}

/** What one take did. */
export interface BudgetTake {
  /** True when the cost was taken. */
  allowed: boolean;
  /** Points left after the take (or, when refused, what the bucket holds now). */
  currentlyAvailable: number;
  /** When refused: seconds until the bucket holds the cost. */
  retryAfterSeconds?: number;
}

/** A token bucket per principal. */
export interface CostBudget {
  readonly settings: BudgetSettings;
  /** Takes `cost` points from `principal`'s bucket when it holds that many. Throws when the store fails. */
  take(principal: string, cost: number): Promise<BudgetTake>;
  /** Closes the store connection, if any. */
  close(): Promise<void>;
}

function retryAfter(cost: number, available: number, settings: BudgetSettings): number {
  return Math.max(1, Math.ceil((cost - available) / settings.restoreRate));
}

/** Buckets in this process's memory (one gateway instance). `now` is injectable for tests. */
export function memoryCostBudget(settings: BudgetSettings, now: () => number = Date.now): CostBudget {
  const buckets = new Map<string, { available: number; at: number }>();
  return {
    settings,
    async take(principal, cost) {
      const t = now();
      const bucket = buckets.get(principal) ?? { available: settings.maximumAvailable, at: t };
      bucket.available = Math.min(settings.maximumAvailable, bucket.available + (Math.max(0, t - bucket.at) * settings.restoreRate) / 1000);
      bucket.at = t;
      buckets.set(principal, bucket);
      if (cost > bucket.available) return { allowed: false, currentlyAvailable: bucket.available, retryAfterSeconds: retryAfter(cost, bucket.available, settings) };
      bucket.available -= cost;
      // A full bucket is the default: forget it, so idle principals cost no memory.
      if (bucket.available >= settings.maximumAvailable) buckets.delete(principal);
      return { allowed: true, currentlyAvailable: bucket.available };
    },
    close: async () => undefined,
  };
}

// KEYS[1]: the bucket; ARGV: maximum, restore rate per second, cost, ttl ms. Returns {allowed, available}.
const TAKE_SCRIPT = `
local max = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local ttl = tonumber(ARGV[4])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local v = redis.call('HMGET', KEYS[1], 'available', 'at')
local available = tonumber(v[1])
local at = tonumber(v[2])
if available == nil or at == nil then
  available = max
  at = now
end
available = math.min(max, available + math.max(0, now - at) * rate / 1000)
local allowed = 0
if cost <= available then
  available = available - cost
  allowed = 1
end
redis.call('HSET', KEYS[1], 'available', tostring(available), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], ttl)
return {allowed, tostring(available)}
`;

/**
 * Buckets in Redis, shared by every instance using it: opens the key-value store on `redisUrl`
 * (namespace `fieldgraph`) at the first take. A bucket's key expires once it would be full again.
 */
export function redisCostBudget(settings: BudgetSettings, redisUrl: string): CostBudget {
  let opening: Promise<KeyValueStore> | undefined;
  const open = () => {
    opening ??= createKeyValueStore({ redisUrl, namespace: 'fieldgraph' }).catch((e: unknown) => {
      opening = undefined;
      throw e;
    });
    return opening;
  };
  const ttlMs = Math.ceil((settings.maximumAvailable / settings.restoreRate) * 1000) + 1000;
  return {
    settings,
    async take(principal, cost) {
      const store = await open();
      const adapter = store.keyv.store as KeyvRedis<unknown>;
      const client = await adapter.getClient();
      const key = adapter.createKeyPrefix(`budget:v1:${principal}`, adapter.namespace);
      const [allowed, available] = (await client.eval(TAKE_SCRIPT, {
        keys: [key],
        arguments: [String(settings.maximumAvailable), String(settings.restoreRate), String(cost), String(ttlMs)],
      })) as [number, string];
      const currentlyAvailable = Number(available);
      return allowed === 1 ? { allowed: true, currentlyAvailable } : { allowed: false, currentlyAvailable, retryAfterSeconds: retryAfter(cost, currentlyAvailable, settings) };
    },
    async close() {
      const store = await opening?.catch(() => undefined);
      opening = undefined;
      await store?.close();
    },
  };
}
