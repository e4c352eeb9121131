/**
 * `npm run bench`: starts the sandbox in this process (vendor latency 25 ms + up to 5 ms jitter
 * unless a scenario says otherwise) and the gateway as a child process, runs the scenarios, prints
 * a table and writes `<out>/<ISO date>-<quick|full>.json`. Every loop is bounded in requests and
 * time; all traffic stays on 127.0.0.1.
 *
 *   npm run bench                                  the full run (about 10 minutes)
 *   npm run bench -- --quick                       each scenario briefly (a smoke check)
 *   npm run bench -- --scenario calls --scenario scale
 *   npm run bench -- --out /tmp/bench
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateDataset } from '../connectors/sandbox/dataset/generate.js';
import { datasetOptions } from '../connectors/sandbox/server.js';
import { BenchContext } from './context.js';
import { killGateways, REPO_ROOT } from './harness.js';
import { machine, renderTable, tableOf } from './report.js';
import { cacheScenario, callsScenario, latencyScenario, scaleScenario, throughputScenario } from './scenarios.js';
import { identityScenario } from './identity.js';
import { BenchResultSchema, SCENARIOS, type BenchResult, type ScenarioName } from './schema.js';

/** The stated vendor latency of the runs. */
export const VENDOR_LATENCY_MS = 25;
export const VENDOR_JITTER_MS = 5;

const USAGE = `usage: npm run bench -- [--quick] [--scenario <${SCENARIOS.join('|')}>]... [--out <dir>]`;

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      options: {
        quick: { type: 'boolean', default: false },
        scenario: { type: 'string', multiple: true },
        out: { type: 'string', default: path.join(REPO_ROOT, 'bench', 'results') },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }).values;
  } catch (e) {
    console.error(`${e instanceof Error ? e.message : String(e)}\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const unknown = (args.scenario ?? []).filter((s) => !(SCENARIOS as readonly string[]).includes(s));
  if (unknown.length) {
    console.error(`unknown scenario ${unknown.join(', ')}\n${USAGE}`);
    return 2;
  }
  const chosen = SCENARIOS.filter((s) => !args.scenario?.length || args.scenario.includes(s));
  const mode = args.quick ? 'quick' : 'full';
  const started = new Date();
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  const ctx = new BenchContext(args.quick, VENDOR_LATENCY_MS, VENDOR_JITTER_MS, log);
  log(`FieldGraph bench (${mode}): ${chosen.join(', ')}; vendor latency ${VENDOR_LATENCY_MS} ms + up to ${VENDOR_JITTER_MS} ms jitter`);

  const scenarios: BenchResult['scenarios'] = {};
  // The cache scenario first: it wants a gateway that has seen nothing yet.
  const order: ScenarioName[] = ['cache', 'calls', 'latency', 'throughput', 'scale', 'identity'];
  const runners = {
    calls: callsScenario,
    latency: latencyScenario,
    throughput: throughputScenario,
    cache: cacheScenario,
    scale: scaleScenario,
    identity: (c: BenchContext) => identityScenario({ quick: c.quick, log: (line) => c.log(line) }),
  };
  let failed = false;
  try {
    for (const name of order.filter((n) => chosen.includes(n))) {
      const t = performance.now();
      log(`[${name}]`);
      try {
        (scenarios as Record<string, unknown>)[name] = await runners[name](ctx);
      } catch (e) {
        failed = true;
        ctx.notes.push(`${name}: failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        log(`  failed: ${e instanceof Error ? e.message : String(e)}`);
      }
      log(`  (${((performance.now() - t) / 1000).toFixed(1)} s)`);
    }
  } finally {
    await ctx.close();
    killGateways();
  }

  const finished = new Date();
  const d = datasetOptions();
  const partial: Omit<BenchResult, 'table'> = {
    schemaVersion: 1,
    mode,
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    durationMs: finished.getTime() - started.getTime(),
    machine: machine(),
    settings: {
      vendorLatencyMs: VENDOR_LATENCY_MS,
      vendorJitterMs: VENDOR_JITTER_MS,
      dataset: { seed: d.seed, customers: d.customers, workOrders: Object.values(generateDataset(d).vendors).reduce((n, v) => n + v.workOrders.length, 0) },
      quotas:
        'Vendor rate limits lifted (the sandbox leaves out ServiceTitan 60/s and Field Nation 600/min, the connectors client-side limits are raised) so that the gateway is measured; ' +
        'the latency scenario also runs with the default quotas (full mode), and the throughput scenario computes what the vendors quotas allow.',
      scenarios: chosen,
    },
    scenarios,
    notes: ctx.notes,
  };
  const result: BenchResult = { ...partial, table: tableOf(partial) };
  const checked = BenchResultSchema.safeParse(result);
  if (!checked.success) {
    failed = true;
    result.notes.push(`the result does not match its schema: ${checked.error.message}`);
  }

  console.log(`\nFieldGraph bench, ${mode}, ${started.toISOString()} on ${result.machine.cpuCount} x ${result.machine.cpuModel}, ${(result.machine.memoryBytes / 2 ** 30).toFixed(1)} GiB, Node ${result.machine.node}, ${result.machine.os}, commit ${result.machine.gitCommit?.slice(0, 12) ?? 'unknown'}${result.machine.gitDirty ? ' (dirty)' : ''}\n`);
  console.log(renderTable(result.table));
  if (result.notes.length) console.log(`\nNotes:\n${result.notes.map((n) => `- ${n.split('\n')[0]}`).join('\n')}`);

  mkdirSync(args.out, { recursive: true });
  const file = path.join(args.out, `${started.toISOString().replace(/:/g, '-').replace(/\.\d{3}Z$/, 'Z')}-${mode}.json`);
  const tmp = file.replace(/\.json$/, '.tmp.json');
  writeFileSync(tmp, `${JSON.stringify(result, null, 2)}\n`);
  renameSync(tmp, file);
  console.log(`\nwrote ${path.relative(process.cwd(), file) || file}`);
  return failed ? 1 : 0;
}

process.on('SIGINT', () => {
  killGateways();
  process.exit(130);
});
process.on('exit', killGateways);

const code = await main();
// Sockets of the load runs may linger in keep-alive; nothing is left to do.
process.exit(code);
