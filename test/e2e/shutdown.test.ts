/**
 * Graceful shutdown of the real `npm start` (`src/main.ts` as a child process, NODE_ENV unset as
 * in production): a slow GraphQL request (sandbox latency on one vendor) is in flight when SIGTERM
 * arrives; the gateway stops accepting connections, the request still completes with 200 and its
 * data, then the sandbox closes and the process exits 0.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TENANT, fromGlobalId } from '../../src/ids.js';

/** A GET on a new TCP connection (no keep-alive pool): resolves the status, or `refused`. */
function freshGet(url: string): Promise<number | 'refused'> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0));
    });
    req.once('error', () => resolve('refused'));
  });
}

describe('npm start shutdown', () => {
  it('finishes the request in flight on SIGTERM, refuses new connections, and exits 0', async () => {
    const adminKey = `fgk_${'shutdown-test-admin-key'.padEnd(32, 'x')}`;
    const env: NodeJS.ProcessEnv = { ...process.env, SANDBOX_PORT: '0', PORT: '0', LOG_LEVEL: 'info', FIELDGRAPH_DRAIN_TIMEOUT_MS: '20000', FIELDGRAPH_ADMIN_KEY: adminKey };
    delete env.NODE_ENV;
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no start line in: ${out}`)), 30_000);
        const check = (): void => {
          if (out.includes('Or from a shell')) {
            clearTimeout(timer);
            resolve();
          }
        };
        child.stdout.on('data', check);
        child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
      });
      const sandboxOrigin = /FieldGraph sandbox on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)![1]!;
      const graphql = /FieldGraph GraphQL on (http:\/\/127\.0\.0\.1:\d+\/graphql)/.exec(out)![1]!;
      const origin = graphql.replace(/\/graphql$/, '');
      const ids = JSON.parse(/nodes\(ids: (\[[^\]]*\])/.exec(out)![1]!) as string[];
      const asteaId = ids.find((id) => fromGlobalId(id, undefined, DEFAULT_TENANT).ref.system === 'astea')!;
      expect(asteaId).toBeDefined();

      // Astea answers slowly from now on: the request below is in flight for seconds.
      const faults = await fetch(`${sandboxOrigin}/_sandbox/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ astea: { latencyMs: 2500 } }) });
      expect(faults.status).toBe(200);
      let settled = false;
      const slow = fetch(graphql, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${adminKey}` },
        body: JSON.stringify({ query: 'query($id: ID!) { node(id: $id) { id ... on WorkOrder { number status } } }', variables: { id: asteaId } }),
      }).finally(() => (settled = true));

      // Wait until the gateway counts it in flight.
      let inFlight = false;
      for (let i = 0; i < 200 && !inFlight; i++) {
        const metrics = await (await fetch(`${origin}/metrics`)).text();
        inFlight = /^fieldgraph_http_requests_in_flight\{route="graphql"\} 1$/m.test(metrics);
        if (!inFlight) await new Promise((r) => setTimeout(r, 10));
      }
      expect(inFlight).toBe(true);
      expect(settled).toBe(false);

      child.kill('SIGTERM');
      // New connections are refused while the slow request is still being served.
      let refused = false;
      for (let i = 0; i < 200 && !refused && !settled; i++) {
        refused = (await freshGet(`${origin}/healthz`)) === 'refused';
        if (!refused) await new Promise((r) => setTimeout(r, 10));
      }
      expect(refused).toBe(true);

      const res = await slow;
      expect(res.status).toBe(200);
      const body = (await res.json()) as { data?: { node: { id: string; number: string } | null }; errors?: unknown[] };
      expect(body.errors).toBeUndefined();
      expect(body.data?.node?.id).toBe(asteaId);

      const [code, signal] = await exited;
      expect({ code, signal }).toEqual({ code: 0, signal: null });
      expect(out).toContain('shutting down');
      expect(out).toContain('"msg":"shut down"');
    } finally {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    }
  }, 90_000);
});
