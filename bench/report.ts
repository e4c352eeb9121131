/**
 * The machine a run happened on, the table of a run's figures (ratios where a ratio says more),
 * and its text rendering.
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { REPO_ROOT } from './harness.js';
import type { BenchResult, TableRow } from './schema.js';

/** CPU, memory, Node, OS and git commit of this machine and tree. */
export function machine(): BenchResult['machine'] {
  const git = (...args: string[]): string | null => {
    try {
      return execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return null;
    }
  };
  const status = git('status', '--porcelain');
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() || 'unknown',
    cpuCount: Math.max(1, cpus.length),
    memoryBytes: os.totalmem(),
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    gitCommit: git('rev-parse', 'HEAD'),
    gitDirty: status === null ? null : status.length > 0,
  };
}

const MB = (b: number): string => `${(b / 1024 / 1024).toFixed(0)} MB`;
const fmtMs = (v: number): string => (v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(v < 10 ? 1 : 0)} ms`);
const fmtRatio = (r: number | null | undefined): string => (r === null || r === undefined ? '-' : r.toFixed(2));
const fmtPct = (r: number | null): string => (r === null ? "-" : `${(r * 100).toFixed(2)}%`);
const cpu = (v: number | null): string => (v === null ? '-' : `${v.toFixed(1)} ms`);
const VENDOR_SHORT: Record<string, string> = { servicetitan: 'ST', fieldnation: 'FN', servicepower: 'SP', sera: 'Sera', astea: 'Astea' };

/** The rows of the table of a run. */
export function tableOf(result: Omit<BenchResult, 'table'>): TableRow[] {
  const rows: TableRow[] = [];
  const row = (scenario: string, measure: string, value: string, reference = '', ratio = ''): void => {
    rows.push({ scenario, measure, value, reference, ratio });
  };
  const s = result.scenarios;

  if (s.calls) {
    for (const c of s.calls.cases) {
      row('1 calls', `job graph, ${c.label}${c.requests > 1 ? ` (${c.requests} requests of ${c.workOrders / c.requests})` : ''}`, `${c.total} calls`, `bound ${c.bound}`, fmtRatio(c.ratio));
      if (c.loaders) {
        const perVendor = Object.entries(c.perVendor)
          .map(([v, x]) => `${VENDOR_SHORT[v] ?? v} ${x.calls}/${x.bound}`)
          .join(', ');
        row('1 calls', `  per vendor (calls/bound)`, perVendor);
        const off = c.reads.filter((r) => r.actual !== r.bound).map((r) => `${VENDOR_SHORT[r.vendor] ?? r.vendor} ${r.read} ${r.actual}/${r.bound}`);
        const unexpected = c.unexpected.map((u) => `${VENDOR_SHORT[u.vendor] ?? u.vendor} ${u.endpoint} ${u.count}/0`);
        if (off.length || unexpected.length) row('1 calls', '  reads off the bound', [...off, ...unexpected].join('; '));
      }
    }
    const signIn = Object.values(s.calls.signInCalls).reduce((n, e) => n + Object.values(e).reduce((a, b) => a + b, 0), 0);
    row('1 calls', 'sign-in calls (once per process, apart)', `${signIn}`);
    if (s.calls.crossCheck.length) row('1 calls', 'answer vs data set', s.calls.crossCheck.join('; '));
  }

  if (s.latency) {
    const l = s.latency;
    const bound = `critical path ${l.criticalPath.boundMs} ms (${l.criticalPath.levels} x ${l.criticalPath.boundMs / l.criticalPath.levels})`;
    for (const r of l.runs) {
      const ref = r.vendorLatencyMs > 0 ? bound : '';
      row('2 latency', `job graph (${l.workOrders} WOs) p50, ${r.label}`, fmtMs(r.load.latencyMs.p50), ref, fmtRatio(r.p50ToBound));
      row('2 latency', `  p99 (${r.load.ok} requests, ${r.load.failed} failed)`, fmtMs(r.load.latencyMs.p99), ref, fmtRatio(r.p99ToBound));
      row('2 latency', '  CPU per request: gateway (sandbox + load generator)', `${cpu(r.cpu.gatewayMsPerRequest)} (${cpu(r.cpu.benchMsPerRequest)})`);
    }
    const f = l.floor;
    row('2 latency', `the floor: the same ${f.calls} calls from a bare client, chains up to ${f.depth} deep, p50 (p99)`, `${fmtMs(f.load.latencyMs.p50)} (${fmtMs(f.load.latencyMs.p99)})`, bound, fmtRatio(f.p50ToBound));
    row('2 latency', 'job graph p50 at c=1 / the floor: what the gateway adds', fmtRatio(f.p50OfGateway), 'the floor', fmtRatio(f.p50OfGateway));
    if (l.effectiveRoundTrips !== null) {
      row('2 latency', 'round trips the vendor latency adds at c=1: (p50 - p50 at 0) / (latency + jitter/2)', `${l.effectiveRoundTrips}`, `${l.criticalPath.levels} levels`, fmtRatio(l.effectiveRoundTrips / l.criticalPath.levels));
    }
  }

  if (s.throughput) {
    for (const r of s.throughput.runs) {
      const name = `${r.query === 'small' ? 'small query' : 'job graph'}, vendor latency ${r.vendorLatencyMs} ms, c=${r.sustained.concurrency}`;
      row(
        '3 throughput',
        `${name}: requests/s (p50 ${fmtMs(r.sustained.latencyMs.p50)}, ${r.sustained.failed} failed)`,
        `${r.sustained.rps}/s`,
        r.quotaBoundRps !== null ? `vendor quotas allow ${r.quotaBoundRps}/s (${VENDOR_SHORT[r.quotaBoundBy ?? ''] ?? r.quotaBoundBy})` : '',
      );
      row('3 throughput', '  CPU per request: gateway (sandbox + load generator)', `${cpu(r.cpu.gatewayMsPerRequest)} (${cpu(r.cpu.benchMsPerRequest)})`);
      row('3 throughput', `  RSS after warm-up -> after ${(r.sustained.durationMs / 1000).toFixed(0)} s (peak ${MB(r.memory.peakRssSampled)})`, `${MB(r.memory.warm.rss)} -> ${MB(r.memory.after.rss)}`, 'RSS after / warm', fmtRatio(r.memory.rssAfterToWarm));
      row('3 throughput', '  live heap after GC, warm -> after', `${MB(r.memory.warm.heapUsed)} -> ${MB(r.memory.after.heapUsed)}`, 'heap after / warm', fmtRatio(r.memory.heapAfterToWarm));
      const errors = Object.entries(r.upstreamErrors);
      if (errors.length) row('3 throughput', '  vendor calls not answered 2xx', errors.map(([k, n]) => `${n} x ${k === '0' ? 'no answer' : k}`).join(', '));
    }
    row('3 throughput', 'peak RSS of a gateway process', MB(s.throughput.processPeakRss));
  }

  if (s.cache) {
    for (const [i, set] of s.cache.sets.entries()) {
      row('4 cache', `job graph set ${i + 1}: calls cold -> warm`, `${set.cold.calls} -> ${set.warm.calls}`, 'warm / cold', fmtRatio(set.cold.calls ? set.warm.calls / set.cold.calls : null));
      row('4 cache', `  time cold -> warm`, `${fmtMs(set.cold.ms)} -> ${fmtMs(set.warm.ms)}`, 'warm / cold', fmtRatio(set.cold.ms ? set.warm.ms / set.cold.ms : null));
    }
    row('4 cache', 'shared cache', s.cache.sharedCacheAvailable ? 'on' : 'not available yet');
  }

  if (s.scale) {
    const sc = s.scale;
    for (const w of sc.walks) {
      row('5 scale', `${sc.workOrders.toLocaleString('en-US')} WOs, ${w.direction}: calls page 1 -> page ${w.last.page}`, `${w.first.calls} -> ${w.last.calls}`, `page ${w.last.page} / page 1`, fmtRatio(w.callsRatio));
      row('5 scale', `  time page 1 -> page ${w.last.page} (latency ${sc.vendorLatencyMs} ms)`, `${fmtMs(w.first.ms)} -> ${fmtMs(w.last.ms)}`, `page ${w.last.page} / page 1`, fmtRatio(w.timeRatio));
    }
  }

  if (s.identity) {
    const id = s.identity;
    for (const q of id.quality) {
      row('6 identity', `${q.label} (${q.records.toLocaleString('en-US')} records): precision, recall`, `${fmtPct(q.precision)}, ${fmtPct(q.recall)}`, `${q.correctPairs}/${q.truePairs} true pairs found; near-misses merged ${q.nearMissesMerged}/${q.nearMisses}`);
    }
    const b = id.backfill;
    row('6 identity', `backfill of ${b.workOrders.toLocaleString('en-US')} WOs (${b.records.toLocaleString('en-US')} records, ${id.backend})`, `${b.recordsPerSecond}/s`, 'records read and linked per second');
    row('6 identity', '  stopped after, then resumed for', `${b.stoppedRun.pages} + ${b.resumedRun.pages} pages`, `${b.records.toLocaleString('en-US')} records read of ${b.datasetRecords.toLocaleString('en-US')} held`, fmtRatio(b.datasetRecords ? b.records / b.datasetRecords : null));
  }
  return rows;
}

/** The table as text, columns padded. */
export function renderTable(rows: readonly TableRow[]): string {
  const head: TableRow = { scenario: 'Scenario', measure: 'Measure', value: 'Value', reference: 'Bound / reference', ratio: 'Ratio' };
  const all = [head, ...rows];
  const keys = ['scenario', 'measure', 'value', 'reference', 'ratio'] as const;
  const width = Object.fromEntries(keys.map((k) => [k, Math.max(...all.map((r) => r[k].length))])) as Record<(typeof keys)[number], number>;
  const line = (r: TableRow) => keys.map((k) => r[k].padEnd(width[k])).join(' | ').trimEnd();
  const rule = keys.map((k) => '-'.repeat(width[k])).join('-+-');
  return [line(head), rule, ...rows.map(line)].join('\n');
}
