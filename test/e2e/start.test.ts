/**
 * `npm start` on a fresh checkout: the entry point starts the sandbox on 127.0.0.1, prints where
 * it is, serves every vendor, and stops cleanly on SIGTERM.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';

describe('npm start', () => {
  it('serves the five-vendor sandbox and prints its URLs', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { ...process.env, SANDBOX_PORT: '0' },
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
          if (m && out.includes('/_sandbox')) {
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
