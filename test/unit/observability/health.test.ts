/**
 * The readiness check with stub connectors and a fake clock: parallel pings, codes per vendor,
 * the timeout, sharing with a check in flight, and the cache.
 */
import { describe, expect, it } from 'vitest';
import { ConnectorError, type FieldServiceConnector, type VendorKey } from '../../../connectors/types.js';
import { createReadiness } from '../../../src/observability/health.js';

function stub(ping: () => Promise<void>): FieldServiceConnector {
  return { ping } as unknown as FieldServiceConnector;
}

describe('createReadiness', () => {
  it('reports every vendor, with the public code of each failure and nothing of its message', async () => {
    const failures: Array<VendorKey | undefined> = [];
    const readiness = createReadiness({
      connectors: () => ({
        servicetitan: stub(async () => {}),
        sera: stub(async () => {
          throw new ConnectorError({ kind: 'unauthorized', vendor: 'sera', operation: 'sessions.create', message: 'bad password for https://x?p=1' });
        }),
        astea: stub(() => new Promise(() => {})),
        fieldnation: stub(async () => {
          throw new TypeError('bug');
        }),
      }),
      timeoutMs: 20,
      onFailure: (vendor) => failures.push(vendor),
    });
    const report = await readiness.check();
    expect(report).toEqual({
      ready: false,
      systems: [
        { system: 'ASTEA', ready: false, code: 'UPSTREAM_TIMEOUT' },
        { system: 'FIELDNATION', ready: false, code: 'INTERNAL_SERVER_ERROR' },
        { system: 'SERA', ready: false, code: 'UNAUTHENTICATED' },
        { system: 'SERVICETITAN', ready: true },
      ],
    });
    expect(failures.sort()).toEqual(['astea', 'fieldnation', 'sera']);
  });

  it('shares a check in flight and reuses a result until it is cacheMs old', async () => {
    let pings = 0;
    let now = 1_000;
    const readiness = createReadiness({ connectors: () => ({ servicetitan: stub(async () => void pings++) }), cacheMs: 5_000, now: () => now });
    const reports = await Promise.all(Array.from({ length: 10 }, () => readiness.check()));
    expect(pings).toBe(1);
    expect(new Set(reports).size).toBe(1);
    now += 4_999;
    await readiness.check();
    expect(pings).toBe(1);
    now += 1;
    expect(await readiness.check()).toEqual({ ready: true, systems: [{ system: 'SERVICETITAN', ready: true }] });
    expect(pings).toBe(2);
  });

  it('is not ready when the connectors cannot be built', async () => {
    const readiness = createReadiness({
      connectors: () => {
        throw new Error('invalid connection');
      },
    });
    expect(await readiness.check()).toEqual({ ready: false, systems: [] });
  });
});
