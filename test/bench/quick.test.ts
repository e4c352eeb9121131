/**
 * Smoke test of the benchmark: `npm run bench -- --quick` (as a child process, into a temporary
 * directory) runs every scenario to the end, prints the table and writes one JSON file of the
 * documented shape. The figures themselves are not checked: they depend on the machine.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { BenchResultSchema, SCENARIOS } from '../../bench/schema.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const out = mkdtempSync(path.join(tmpdir(), 'fieldgraph-bench-'));

afterAll(() => rmSync(out, { recursive: true, force: true }));

function runQuick(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench/run.ts'), '--quick', '--out', out], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const timer = setTimeout(() => {
      child.kill('SIGINT');
      reject(new Error(`bench --quick did not finish in 150 s:\n${stderr.slice(-2000)}`));
    }, 150_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('npm run bench -- --quick', () => {
  it('runs every scenario and writes valid JSON', { timeout: 160_000 }, async () => {
    const { code, stdout, stderr } = await runQuick();
    expect(code, `${stdout.slice(-3000)}\n${stderr.slice(-3000)}`).toBe(0);
    const files = readdirSync(out);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z-quick\.json$/);

    const parsed = BenchResultSchema.safeParse(JSON.parse(readFileSync(path.join(out, files[0]!), 'utf8')));
    expect(parsed.success, parsed.success ? '' : parsed.error.message).toBe(true);
    const result = parsed.data!;
    expect(result.mode).toBe('quick');
    expect(result.settings.scenarios).toEqual([...SCENARIOS]);
    for (const name of SCENARIOS) expect(result.scenarios[name], name).toBeDefined();
    expect(result.table.length).toBeGreaterThan(0);
    expect(result.machine.cpuCount).toBeGreaterThan(0);
    // The table is printed too.
    expect(stdout).toContain('Scenario');
    expect(stdout).toContain('Bound / reference');
  });
});
