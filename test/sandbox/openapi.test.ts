/**
 * Each simulator's OpenAPI document validates with a real validator and lists exactly the routes
 * served: every documented operation is answered by a route (not the 404 for unknown paths), and
 * every route is documented.
 */
import { validate } from '@readme/openapi-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../connectors/sandbox/server.js';
import { VENDOR_KEYS } from '../../connectors/vendors.js';
import { startTestSandbox, vendorInfo } from '../helpers/sandbox.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox({ checkResponses: false });
});
afterAll(() => sandbox.close());

describe.each(VENDOR_KEYS)('%s OpenAPI document', (vendor) => {
  it('validates as OpenAPI 3.1', async () => {
    const info = await vendorInfo(sandbox, vendor);
    const doc = (await (await fetch(info.openapiUrl)).json()) as { openapi: string; servers: Array<{ url: string }> };
    expect(info.openapiUrl).toBe(`${info.baseUrl}/openapi.json`);
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.servers[0]?.url).toBe(`${sandbox.origin}${sandbox.simulators[vendor]!.basePath}`);
    const result = await validate(structuredClone(doc) as never);
    expect(result.valid ? [] : result.errors, JSON.stringify(result.valid ? [] : result.errors, null, 1).slice(0, 2000)).toEqual([]);
  });

  it('lists exactly the routes served', async () => {
    const sim = sandbox.simulators[vendor]!;
    const info = await vendorInfo(sandbox, vendor);
    const doc = (await (await fetch(info.openapiUrl)).json()) as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    const routes = sim.routes.map((r) => `${r.method} ${r.path}`);
    expect(new Set(documented)).toEqual(new Set(routes));
    expect(documented.length).toBe(routes.length);

    // Call every documented operation (unauthenticated, placeholder path values): the server must
    // match it to a route, which the stats record under the route's own key.
    await fetch(`${sandbox.origin}/_sandbox/reset`, { method: 'POST' });
    for (const key of documented) {
      const [method, path] = key.split(' ') as [string, string];
      const url = `${sandbox.origin}${sim.basePath}${path.replace(/\{\w+\}/g, '1')}`;
      const res = await fetch(url, { method, ...(method === 'GET' || method === 'DELETE' ? {} : { headers: { 'content-type': 'application/json' }, body: '{}' }) });
      await res.arrayBuffer();
    }
    const seen = sandbox.stats.snapshot().vendors[vendor]!.endpoints;
    expect(Object.keys(seen).filter((k) => k.includes('(unrouted)'))).toEqual([]);
    expect(new Set(Object.keys(seen))).toEqual(new Set(routes));
  });
});
