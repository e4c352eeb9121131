/**
 * The limits' configuration (environment variables), the in-memory cost budget with an injected
 * clock, and the safelist manifest loader.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { memoryCostBudget } from '../../../src/limits/budget.js';
import { createLimits } from '../../../src/limits/index.js';
import { loadSafelist, sha256 } from '../../../src/limits/safelist.js';

const dir = mkdtempSync(join(tmpdir(), 'fieldgraph-limits-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('limits configuration', () => {
  it('has defaults and reads its environment variables', () => {
    expect(loadConfig({}).limits).toMatchObject({ maxDepth: 10, maxAliases: 15, maxTokens: 2000, maxCost: 100_000, budget: { maximumAvailable: 200_000, restoreRate: 10_000 } });
    const limits = loadConfig({
      FIELDGRAPH_MAX_DEPTH: '7',
      FIELDGRAPH_MAX_ALIASES: '3',
      FIELDGRAPH_MAX_COST: '500',
      FIELDGRAPH_COST_BUDGET: '0',
      FIELDGRAPH_COST_RESTORE_RATE: '2.5',
      FIELDGRAPH_MAX_VARIABLES_BYTES: '1024',
      FIELDGRAPH_SAFELIST: 'manifest.json',
    }).limits;
    expect(limits).toMatchObject({ maxDepth: 7, maxAliases: 3, maxCost: 500, maxVariablesBytes: 1024, budget: { maximumAvailable: 0, restoreRate: 2.5 }, safelist: 'manifest.json' });
    expect(() => loadConfig({ FIELDGRAPH_MAX_DEPTH: '0' })).toThrow(/limits.maxDepth/);
  });

  it('turns the budget off at 0 points', () => {
    expect(createLimits({ budget: { maximumAvailable: 0 } }).budget).toBeUndefined();
    expect(createLimits().budget?.settings).toEqual({ maximumAvailable: 200_000, restoreRate: 10_000 });
  });
});

describe('memoryCostBudget', () => {
  it('takes, refuses with the seconds to wait, refills at its rate and never above its maximum', async () => {
    let now = 0;
    const budget = memoryCostBudget({ maximumAvailable: 100, restoreRate: 10 }, () => now);
    expect(await budget.take('a', 60)).toEqual({ allowed: true, currentlyAvailable: 40 });
    expect(await budget.take('a', 60)).toEqual({ allowed: false, currentlyAvailable: 40, retryAfterSeconds: 2 });
    expect(await budget.take('b', 60)).toEqual({ allowed: true, currentlyAvailable: 40 });
    now += 2000;
    expect(await budget.take('a', 60)).toEqual({ allowed: true, currentlyAvailable: 0 });
    now += 3_600_000;
    expect(await budget.take('a', 0)).toEqual({ allowed: true, currentlyAvailable: 100 });
  });
});

describe('loadSafelist', () => {
  it("reads codegen's manifest, prefixed or bare hashes", () => {
    const doc = 'query A { __typename }';
    const file = join(dir, 'ok.json');
    writeFileSync(file, JSON.stringify({ [`sha256:${sha256(doc)}`]: doc, [sha256('query B { __typename }')]: 'query B { __typename }' }));
    const list = loadSafelist(file);
    expect(list.get(sha256(doc))).toBe(doc);
    expect(list.size).toBe(2);
  });

  it('refuses a missing file, a malformed manifest and a hash that is not its document', () => {
    expect(() => loadSafelist(join(dir, 'missing.json'))).toThrow(/safelist/);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ nothash: 'query { __typename }' }));
    expect(() => loadSafelist(bad)).toThrow(/sha256/);
    writeFileSync(bad, JSON.stringify({ [sha256('query X { __typename }')]: 'query Y { __typename }' }));
    expect(() => loadSafelist(bad)).toThrow(/not the sha256/);
    expect(() => createLimits({ safelist: bad })).toThrow(/not the sha256/);
  });
});
