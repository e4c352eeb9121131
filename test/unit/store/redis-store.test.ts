/**
 * The Redis-backed store against a real redis-server started by the test on a free 127.0.0.1 port
 * (skipped, with a message, only when /usr/bin/redis-server is missing; CI installs it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyValueStore } from '../../../src/store/kv.js';
import { redisAvailable, REDIS_SERVER, startRedis, type TestRedis } from '../../helpers/redis.js';
import { runStoreSuite } from './store-suite.js';

if (!redisAvailable) console.warn(`[redis-store.test] ${REDIS_SERVER} is missing: the Redis store tests are skipped (apt-get install redis-server).`);

describe.skipIf(!redisAvailable)('the Redis store', () => {
  let redis: TestRedis;
  let n = 0;

  beforeAll(async () => {
    redis = await startRedis();
  });

  afterAll(async () => {
    await redis?.stop();
  });

  // Each test its own namespace: the server is shared.
  runStoreSuite(() => {
    const namespace = `test${++n}`;
    return () => createKeyValueStore({ redisUrl: redis.url, namespace });
  });

  it('claims with SET NX PX: the key carries the TTL in Redis', async () => {
    const store = await createKeyValueStore({ redisUrl: redis.url, namespace: 'ttl' });
    expect(await store.setIfAbsent('lease', { owner: 'a' }, 5_000)).toBe(true);
    const client = (store.keyv.store as { getClient(): Promise<{ pTTL(key: string): Promise<number> }> }).getClient();
    const ttl = await (await client).pTTL('ttl::lease');
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(5_000);
    expect(await store.get('lease')).toEqual({ owner: 'a' });
    await store.close();
  });

  it('fails loudly (does not pretend) when Redis cannot be reached', async () => {
    await expect(createKeyValueStore({ redisUrl: 'redis://127.0.0.1:1', namespace: 'x', connectTimeoutMs: 500 })).rejects.toThrow();
  });
});
