/**
 * The file-backed store (the embedded default): the shared store behaviour, plus what only a file
 * has: claims from several processes at once, a lock left by a dead process, and the file itself.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { createKeyValueStore } from '../../../src/store/kv.js';
import { runStoreSuite } from './store-suite.js';

const dirs: string[] = [];
function freshDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'fieldgraph-file-store-'));
  dirs.push(d);
  return d;
}

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('the file store', () => {
  runStoreSuite(() => {
    const dir = freshDir();
    return () => createKeyValueStore({ dataDir: dir, namespace: 'test' });
  });

  it('writes one JSON file, atomically replaced, and keeps namespaces apart', async () => {
    const dir = freshDir();
    const a = await createKeyValueStore({ dataDir: dir, namespace: 'a' });
    const b = await createKeyValueStore({ dataDir: dir, namespace: 'b' });
    await a.set('k', 1, 60_000);
    await b.set('k', 2, 60_000);
    expect([await a.get('k'), await b.get('k')]).toEqual([1, 2]);
    const file = JSON.parse(readFileSync(join(dir, 'store.json'), 'utf8'));
    expect(Object.keys(file.entries).sort()).toEqual(['a::k', 'b::k']);
    expect(existsSync(join(dir, 'store.json.lock'))).toBe(false);
    await a.close();
    await b.close();
  });

  it('breaks a lock left by a process that died', async () => {
    const dir = freshDir();
    const lock = join(dir, 'store.json.lock');
    writeFileSync(lock, '99999 dead\n');
    const old = new Date(Date.now() - 60_000);
    utimesSync(lock, old, old);
    const s = await createKeyValueStore({ dataDir: dir, namespace: 'test' });
    await s.set('after', true, 60_000);
    expect(await s.get('after')).toBe(true);
    await s.close();
  });

  it('lets exactly one claim win when four processes claim at once', async () => {
    const dir = freshDir();
    const child = fileURLToPath(new URL('../../helpers/claim-child.ts', import.meta.url));
    const startAt = Date.now() + 1500;
    const runs = await Promise.all(
      Array.from({ length: 4 }, () => promisify(execFile)(process.execPath, ['--import', 'tsx', child, dir, String(startAt)], { timeout: 30_000 })),
    );
    const wins = runs.flatMap((r) => JSON.parse(r.stdout) as boolean[]).filter(Boolean);
    expect(wins).toHaveLength(1);
  });
});
