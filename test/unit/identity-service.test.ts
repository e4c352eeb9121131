/**
 * The gateway's identity refresh with several instances on one store: in each period one instance
 * takes the lease and syncs; the others skip, so vendors are not read once per instance.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openIdentityService } from '../../src/identity/service.js';

const dir = mkdtempSync(join(tmpdir(), 'fieldgraph-identity-service-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('identity refresh', () => {
  it('runs on one instance per period', async () => {
    const logged: string[] = [];
    const open = () =>
      openIdentityService({ store: { dataDir: dir }, connectors: () => ({}), refreshSeconds: 600, log: (m) => logged.push(m) });
    const [a, b] = await Promise.all([open(), open()]);
    try {
      const results = await Promise.all([a.refresh(), b.refresh()]);
      expect(results.filter((r) => r !== undefined)).toHaveLength(1);
      // Within the period, neither runs again.
      expect(await a.refresh()).toBeUndefined();
      expect(await b.refresh()).toBeUndefined();
      expect(logged.filter((l) => l.startsWith('identity: 0 records'))).toHaveLength(1);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
