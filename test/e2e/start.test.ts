/**
 * `npm start` on a fresh checkout: the entry point starts the sandbox and the GraphQL gateway
 * wired to it on 127.0.0.1, prints where they are and an example query that works, serves every
 * vendor and the IDE, and stops cleanly on SIGTERM.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dataDir = mkdtempSync(join(tmpdir(), 'fieldgraph-start-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('npm start', () => {
  it('serves the five-vendor sandbox and the gateway, and prints their URLs and an example query', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      // A data directory of its own: a fresh link index, built at start.
      env: { ...process.env, SANDBOX_PORT: '0', PORT: '0', FIELDGRAPH_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    try {
      const origin = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no start line in: ${out}`)), 30_000);
        const check = (): void => {
          const m = /FieldGraph sandbox on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (m && out.includes('/_sandbox') && out.includes('Or from a shell')) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        };
        child.stdout.on('data', check);
        child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
      });
      for (const prefix of ['/servicetitan', '/fieldnation', '/servicepower/integrations/int_servicepower_sandbox', '/sera/integrations/int_sera_sandbox', '/astea/integrations/int_astea_sandbox']) {
        expect(out).toContain(`${origin}${prefix}`);
        const res = await fetch(`${origin}${prefix}/openapi.json`);
        expect(res.status).toBe(200);
      }
      const index = (await (await fetch(`${origin}/_sandbox`)).json()) as { vendors: unknown[] };
      expect(index.vendors).toHaveLength(5);

      // The gateway: its URL, and the example query it prints answers from all five systems.
      const graphql = /FieldGraph GraphQL on (http:\/\/127\.0\.0\.1:\d+\/graphql)/.exec(out)?.[1];
      expect(graphql).toBeDefined();
      // The identity sync starts with the gateway, through the server's own connectors: before any
      // GraphQL request, its list calls already show in /metrics.
      let listed = false;
      for (let i = 0; i < 100 && !listed; i++) {
        const metrics = await (await fetch(graphql!.replace(/\/graphql$/, '/metrics'))).text();
        listed = /^fieldgraph_upstream_requests_total\{[^}]*operation="[^"]*list[^"]*"[^}]*\} [1-9]/m.test(metrics);
        if (!listed) await new Promise((r) => setTimeout(r, 100));
      }
      expect(listed).toBe(true);
      const query = /Example query[^\n]*\n([\s\S]*?)\nOr from a shell/.exec(out)?.[1];
      expect(query).toContain('query JobGraph');
      // Without a credential: 401. With the development key it printed: the answer.
      const refused = await fetch(graphql!, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
      expect(refused.status).toBe(401);
      const devKey = /Authorization: Bearer (\S+)/.exec(out)?.[1];
      expect(devKey).toBeDefined();
      const res = await fetch(graphql!, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${devKey}` }, body: JSON.stringify({ query }) });
      const body = (await res.json()) as { data?: { nodes: Array<{ source: { system: string } } | null> }; errors?: unknown[] };
      expect(body.errors).toBeUndefined();
      expect(body.data?.nodes.map((n) => n?.source.system).sort()).toEqual(['ASTEA', 'FIELDNATION', 'SERA', 'SERVICEPOWER', 'SERVICETITAN']);
      const ide = await fetch(graphql!, { headers: { accept: 'text/html' } });
      expect(ide.status).toBe(200);
      const page = await ide.text();
      expect(page).toContain('query JobGraph');
      // The IDE's headers editor holds the development key.
      expect(page).toContain(devKey!);
    } finally {
      if (child.exitCode === null) {
        const exited = once(child, 'exit') as Promise<[number | null]>;
        child.kill('SIGTERM');
        const [code] = await exited;
        expect(code).toBe(0);
      }
    }
  }, 60_000);
});
