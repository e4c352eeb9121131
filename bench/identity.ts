/**
 * Cross-vendor identity in the benchmark: the link index's precision and recall against the
 * generator's ground truth at the default size and at ten times it, and the backfill of the
 * 100,000-work-order data set: its rate, and a run stopped a third of the way that the next run
 * resumes (counting the pages each run read, so the resume is seen to skip what was done).
 * The index lives in a real redis-server the scenario starts when one is installed (as several
 * instances would share it), else in a file store in a temporary directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnectors } from '../connectors/registry.js';
import { generateDataset } from '../connectors/sandbox/dataset/generate.js';
import type { Dataset } from '../connectors/sandbox/dataset/types.js';
import { datasetOptions } from '../connectors/sandbox/server.js';
import { IDENTITY_NAMESPACE, openLinkIndex, type LinkIndex } from '../src/identity/index.js';
import { measureQuality } from '../src/identity/quality.js';
import { runSync } from '../src/identity/sync.js';
import { createKeyValueStore, type KeyValueStore } from '../src/store/kv.js';
import { redisAvailable, startRedis, type TestRedis } from '../test/helpers/redis.js';
import { connectionsOf, startBenchSandbox } from './harness.js';
import type { IdentityScenarioSchema } from './schema.js';
import type { z } from 'zod';

/** The identity scenario's result (its shape: bench/schema.ts). */
export type IdentityScenario = z.infer<typeof IdentityScenarioSchema>;
/** Quality at one size. */
export type IdentityQualityRun = IdentityScenario['quality'][number];

interface Store {
  index: LinkIndex;
  close(): Promise<void>;
}

async function openStore(redis: TestRedis | undefined, dir: string, name: string): Promise<Store> {
  let store: KeyValueStore;
  if (redis) {
    // A fresh namespace per run: each run starts from an empty index.
    store = await createKeyValueStore({ namespace: `${IDENTITY_NAMESPACE}:bench:${name}`, redisUrl: redis.url });
  } else {
    store = await createKeyValueStore({ namespace: IDENTITY_NAMESPACE, dataDir: join(dir, name) });
  }
  return { index: openLinkIndex({ store }), close: () => store.close() };
}

async function connectorsFor(dataset: Dataset) {
  const sandbox = await startBenchSandbox({ dataset });
  return { sandbox, connectors: createConnectors(await connectionsOf(sandbox, 'lifted')) };
}

/** Runs the scenario; `quick` measures the default size only and backfills 10,000 work orders. */
export async function identityScenario(options: { quick: boolean; log: (line: string) => void }): Promise<IdentityScenario> {
  const redis = redisAvailable ? await startRedis() : undefined;
  const dir = mkdtempSync(join(tmpdir(), 'fieldgraph-bench-identity-'));
  try {
    const quality: IdentityQualityRun[] = [];
    const sizes = options.quick ? [{ label: 'default', customers: 320 }] : [{ label: 'default', customers: 320 }, { label: '10x', customers: 3200 }];
    for (const size of sizes) {
      options.log(`  identity: linking the ${size.label} data set (${size.customers.toLocaleString('en-US')} customers)`);
      const dataset = generateDataset(datasetOptions({ customers: size.customers }));
      const { sandbox, connectors } = await connectorsFor(dataset);
      const store = await openStore(redis, dir, `quality-${size.label}`);
      try {
        const t = performance.now();
        const summary = await runSync({ connectors, index: store.index });
        const syncMs = Math.round(performance.now() - t);
        const q = await measureQuality(store.index, dataset);
        quality.push({
          label: size.label,
          customers: size.customers,
          records: summary.records,
          syncMs,
          precision: q.overall.precision,
          recall: q.overall.recall,
          truePairs: q.overall.truePairs,
          correctPairs: q.overall.correctPairs,
          nearMissesMerged: q.byType.customer.nearMissesMerged + q.byType.equipment.nearMissesMerged,
          nearMisses: q.byType.customer.nearMisses + q.byType.equipment.nearMisses,
        });
      } finally {
        await store.close();
        await sandbox.close();
      }
    }

    const workOrders = options.quick ? 10_000 : 100_000;
    options.log(`  identity: backfilling ${workOrders.toLocaleString('en-US')} work orders (${redis ? 'Redis' : 'file store'}), stopped a third of the way, then resumed`);
    const dataset = generateDataset(datasetOptions({ workOrders }));
    const { sandbox, connectors } = await connectorsFor(dataset);
    const store = await openStore(redis, dir, 'backfill');
    try {
      const stop = new AbortController();
      let pages = 0;
      let lastLine = 0;
      const stopAt = Math.max(3, Math.round(estimatePages(dataset) / 3));
      const showProgress = (records: number, done: number, lists: number, what: string) => {
        if (performance.now() - lastLine < 2000) return;
        lastLine = performance.now();
        options.log(`    ${records.toLocaleString('en-US')} records this run, list ${done + 1}/${lists} (${what})`);
      };
      const t1 = performance.now();
      const first = await runSync({
        connectors,
        index: store.index,
        signal: stop.signal,
        progress: {
          page: (p) => {
            pages++;
            if (pages >= stopAt) stop.abort();
            showProgress(p.recordsSoFar, p.listsDone, p.lists, `${p.vendor} ${p.type}`);
          },
        },
      });
      const stoppedMs = performance.now() - t1;
      const t2 = performance.now();
      const second = await runSync({ connectors, index: store.index, progress: { page: (p) => showProgress(p.recordsSoFar, p.listsDone, p.lists, `${p.vendor} ${p.type}`) } });
      const resumedMs = performance.now() - t2;
      const records = first.records + second.records;
      return {
        backend: redis ? 'redis' : 'file',
        quality,
        backfill: {
          workOrders,
          records,
          datasetRecords: recordsOf(dataset),
          stoppedRun: { pages: first.pages, records: first.records, ms: Math.round(stoppedMs) },
          resumedRun: { pages: second.pages, records: second.records, ms: Math.round(resumedMs), resumedLists: second.lists.filter((l) => l.resumed).length },
          pagesTotal: first.pages + second.pages,
          recordsPerSecond: Math.round(records / ((stoppedMs + resumedMs) / 1000)),
        },
      };
    } finally {
      await store.close();
      await sandbox.close();
    }
  } finally {
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Records of the four kinds the data set holds. */
function recordsOf(dataset: Dataset): number {
  let records = 0;
  for (const v of Object.values(dataset.vendors)) records += v.customers.length + v.equipment.length + v.technicians.length + v.workOrders.length;
  return records;
}

/** About how many pages of 200 a full walk of the four kinds reads (to stop a run a third of the way). */
function estimatePages(dataset: Dataset): number {
  return Math.ceil(recordsOf(dataset) / 200);
}
