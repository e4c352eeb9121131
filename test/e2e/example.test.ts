/**
 * The example a service copies (`examples/dispatch-flow.ts`) runs as `npm run example` would,
 * as a process of its own, against a gateway and sandbox on 127.0.0.1 port 0, with its default
 * records (the sandbox data set, seed 42): create, dispatch, complete, claim.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { testKey } from '../helpers/auth.js';

let gw: TestGateway;
// The flow creates, dispatches and claims: a service key with both roles.
const key = testKey('example', ['dispatcher', 'billing']);

beforeAll(async () => {
  gw = await startTestGateway({ auth: { apiKeys: [key.entry] } });
});

afterAll(async () => {
  await gw?.close();
});

it('creates, dispatches, completes and claims, typed end to end', { timeout: 60_000 }, async () => {
  const script = fileURLToPath(new URL('../../examples/dispatch-flow.ts', import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, FIELDGRAPH_URL: gw.url, FIELDGRAPH_API_KEY: key.key, FIELDGRAPH_SANDBOX_URL: gw.sandbox.origin },
    timeout: 50_000,
  });
  const lines = stdout.trim().split('\n');
  expect(lines[0]).toMatch(/^created work order \S+ in SERVICEPOWER \(NEW\)$/);
  expect(lines[1]).toMatch(/^dispatched .+ for 20\d\d-\d\d-\d\dT14:00:00Z$/);
  expect(lines[2]).toBe('the technician completed the job');
  // 75 / 60 × 85.00 = 106.25; 29.95; 18.4 mi × 0.065 = 1.196 → 1.20; taxes 2.40.
  expect(lines[3]).toMatch(/^claim \S+: SUBMITTED, total 139\.80 USD$/);
  expect(lines[4]).toBe('work order now COMPLETED, claims: 1');
});
