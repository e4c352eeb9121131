/**
 * Five scenarios of the benchmark: upstream calls, latency, throughput and memory, the shared
 * cache, scale (the sixth, identity, is in `identity.ts`). Each is bounded in requests and in time;
 * the quick mode (`--quick`) runs each briefly, as a smoke check.
 */
import type { Sandbox } from '../connectors/sandbox/server.js';
import { generateDataset } from '../connectors/sandbox/dataset/generate.js';
import { datasetOptions } from '../connectors/sandbox/server.js';
import { VENDOR_KEYS, type VendorKey } from '../connectors/vendors.js';
import { compare, jobGraphBound, sumBounds } from './bound.js';
import type { BenchContext } from './context.js';
import {
  connectionsOf,
  median,
  perVendor,
  QUOTAS,
  ratioOf,
  resetStats,
  round,
  setVendorLatency,
  splitCalls,
  startBenchSandbox,
  startGatewayProcess,
  stats,
  totalOf,
  withCpu,
  type Calls,
  type GatewayProcess,
  type MemoryReading,
  type Usage,
} from './harness.js';
import { runLoad } from './load.js';
import { chainsOf, depthOf, recordCalls, replayFloor } from './floor.js';
import { body, globalIds, JOB_GRAPH, PAGE, pickSets, SMALL, type Pick } from './queries.js';
import type { Dataset } from '../connectors/sandbox/dataset/types.js';
import type { z } from 'zod';
import type {
  CacheScenarioSchema,
  CallsScenarioSchema,
  LatencyScenarioSchema,
  LoadRun,
  ScaleScenarioSchema,
  ThroughputScenarioSchema,
} from './schema.js';

type CallsScenario = z.infer<typeof CallsScenarioSchema>;
type LatencyScenario = z.infer<typeof LatencyScenarioSchema>;
type ThroughputScenario = z.infer<typeof ThroughputScenarioSchema>;
type CacheScenario = z.infer<typeof CacheScenarioSchema>;
type ScaleScenario = z.infer<typeof ScaleScenarioSchema>;

/** The pause before a memory reading at rest (ms). */
const REST_MS = 3_000;

/** The memory part of a usage reading. */
function memoryOf(u: Usage): MemoryReading {
  return { rss: u.rss, heapUsed: u.heapUsed, heapTotal: u.heapTotal, external: u.external, maxRss: u.maxRss };
}

// ------------------------------------------------------------------------------------------ 1

/**
 * Upstream calls of the job graph over 50 work orders (one `nodes` request, 10 per system) and
 * over 500 (10 requests of 50: `nodes` takes at most 100 ids), with the loaders on and off, beside
 * the bound of bench/bound.ts.
 */
export async function callsScenario(ctx: BenchContext): Promise<CallsScenario> {
  const sandbox = await ctx.sandbox();
  setVendorLatency(sandbox, ctx.latencyMs, ctx.jitterMs);
  const dataset = sandbox.dataset;
  const set50 = pickSets(dataset, 1, 10);
  const set500 = pickSets(dataset, 10, 10);
  const crossCheck: string[] = [];
  const results: CallsScenario['cases'] = [];
  let signInCalls: Calls = {};

  for (const loaders of [true, false]) {
    const gateway = await ctx.gateway({ loaders });
    if (loaders) signInCalls = ctx.signInCalls(gateway);

    const cases = [['50 work orders', set50] as const, ['500 work orders', set500] as const];
    // --quick: the 500 without loaders (about 3,700 calls) is left out.
    for (const [label, sets] of ctx.quick && !loaders ? cases.slice(0, 1) : cases) {
      ctx.log(`  job graph over ${label}, loaders ${loaders ? 'on' : 'off'}`);
      await resetStats(sandbox);
      const started = performance.now();
      const answers: unknown[][] = [];
      let graphqlErrors = 0;
      for (const picks of sets) {
        const r = await gateway.graphql(JOB_GRAPH, { ids: globalIds(picks) });
        graphqlErrors += r.errors?.length ?? 0;
        if (r.errors?.length) ctx.notes.push(`calls, ${label}, loaders ${loaders}: ${JSON.stringify(r.errors[0]).slice(0, 300)}`);
        answers.push((r.data?.nodes as unknown[] | undefined) ?? []);
      }
      const elapsedMs = performance.now() - started;
      const { reads, signIn: again } = splitCalls(await stats(sandbox));
      if (totalOf(again) > 0) ctx.notes.push(`calls, ${label}, loaders ${loaders}: ${totalOf(again)} sign-in calls during the measurement (left out of the count)`);
      const bounds = sumBounds(sets.map((picks, i) => jobGraphBound(dataset, picks, answers[i] as never[], loaders ? crossCheck : [])));
      const cmp = compare(bounds, reads);
      const total = totalOf(reads);
      const bound = bounds.reduce((s, r) => s + r.bound, 0);
      const calls = perVendor(reads);
      const boundBy = (v: string) => bounds.filter((r) => r.vendor === v).reduce((s, r) => s + r.bound, 0);
      results.push({
        label: `${label}, loaders ${loaders ? 'on' : 'off'}`,
        workOrders: sets.length * sets[0]!.length,
        requests: sets.length,
        loaders,
        calls: reads,
        total,
        bound,
        ratio: ratioOf(total, bound),
        perVendor: Object.fromEntries(VENDOR_KEYS.map((v) => [v, { calls: calls[v] ?? 0, bound: boundBy(v), ratio: ratioOf(calls[v] ?? 0, boundBy(v)) }])),
        reads: cmp.reads,
        unexpected: cmp.unexpected,
        graphqlErrors,
        elapsedMs: Math.round(elapsedMs),
      });
    }
  }
  return { vendorLatencyMs: ctx.latencyMs, vendorJitterMs: ctx.jitterMs, signInCalls, cases: results, crossCheck: [...new Set(crossCheck)] };
}

// ------------------------------------------------------------------------------------------ 2

/**
 * The deepest chain of dependent vendor calls the job graph over `picks` forces, whatever the
 * gateway does: an id is only known once the record that holds it has been read, and the root
 * `nodes` level is a vendor call (the work orders by id). A walk of a whole list needs no id, so
 * it can go out at any level.
 */
export function criticalPath(dataset: Dataset, picks: readonly Pick[]): { levels: number; chains: string[] } {
  const visits = new Map<string, number>();
  for (const a of dataset.vendors.servicetitan.appointments) visits.set(a.workOrderId, (visits.get(a.workOrderId) ?? 0) + 1);
  const has = (v: VendorKey) => picks.some((p) => p.vendor === v);
  // A job lists its visits' ids when it has at most two (first and last); more need `jobId=` first.
  const stMany = picks.some((p) => p.vendor === 'servicetitan' && (visits.get(p.id) ?? 0) > 2);
  const chains: Array<[number, string]> = [];
  if (has('servicetitan')) {
    chains.push(
      stMany
        ? [4, 'ServiceTitan: job -> its visits (jobId=, a job with more than two) -> their assignments -> technicians']
        : [3, 'ServiceTitan: job -> assignments of the visits it lists (appointmentIds=) -> technicians; customers, contacts, memberships (customerIds=) and invoices beside them'],
    );
  }
  if (has('servicepower')) chains.push([2, 'ServicePower: work order, and a walk of all dispatches (no id needed) -> technicians']);
  if (has('astea')) chains.push([2, 'Astea: work order, and a walk of all assignments (no id needed) -> technicians, customers']);
  if (has('sera')) chains.push([2, 'Sera: work order -> customer, location, technicians (ids in the work order); memberships and invoices by walks']);
  if (has('fieldnation')) chains.push([2, 'Field Nation: work order -> client, location, providers (ids in the work order)']);
  const levels = Math.max(1, ...chains.map(([n]) => n));
  return { levels, chains: chains.map(([n, c]) => `${c}: ${n}`) };
}

/**
 * Latency of the job graph over 50 work orders at concurrency 1 and 50, vendor quotas lifted,
 * beside the critical path; at vendor latency 0 too (the gateway's own time), and at concurrency 1
 * with the default quotas (full mode).
 */
export async function latencyScenario(ctx: BenchContext): Promise<LatencyScenario> {
  const sandbox = await ctx.sandbox();
  const picks = pickSets(sandbox.dataset, 1, 10)[0]!;
  const bodies = [body(JOB_GRAPH, { ids: globalIds(picks) })];
  const path = criticalPath(sandbox.dataset, picks);
  const boundMs = path.levels * ctx.latencyMs;
  const gateway = await ctx.gateway();
  const level = (concurrency: number) =>
    ctx.quick
      ? { maxRequests: concurrency === 1 ? 20 : 100, maxMs: 1_500 }
      : { maxRequests: concurrency === 1 ? 300 : 3_000, maxMs: 30_000 };

  // Warm the gateway up (JIT, connections) at latency 0.
  setVendorLatency(sandbox, 0, 0);
  await runLoad({ url: gateway.url, bodies, concurrency: 1, maxRequests: ctx.quick ? 5 : 30, maxMs: 10_000 });

  const runs: LatencyScenario['runs'] = [];
  const measure = async (label: string, g: GatewayProcess, latencyMs: number, jitterMs: number, concurrency: number, quotas: 'lifted' | 'default', limits: { maxRequests: number; maxMs: number }): Promise<LoadRun> => {
    ctx.log(`  ${label}`);
    setVendorLatency(sandbox, latencyMs, jitterMs);
    if (!ctx.quick && concurrency > 1) await runLoad({ url: g.url, bodies, concurrency, maxRequests: concurrency, maxMs: 10_000 });
    const { result: load, cpu } = await withCpu(g, () => runLoad({ url: g.url, bodies, concurrency, ...limits }), (r) => r.ok + r.failed);
    if (load.failed) ctx.notes.push(`latency, ${label}: ${load.failed} failed requests (${load.firstError})`);
    const toBound = latencyMs > 0 && boundMs > 0;
    runs.push({
      label,
      vendorLatencyMs: latencyMs,
      vendorJitterMs: jitterMs,
      quotas,
      load,
      cpu,
      p50ToBound: toBound ? ratioOf(load.latencyMs.p50, boundMs) : null,
      p99ToBound: toBound ? ratioOf(load.latencyMs.p99, boundMs) : null,
    });
    return load;
  };

  const zero = await measure('concurrency 1, vendor latency 0', gateway, 0, 0, 1, 'lifted', level(1));
  const one = await measure(`concurrency 1, vendor latency ${ctx.latencyMs} + ${ctx.jitterMs} ms`, gateway, ctx.latencyMs, ctx.jitterMs, 1, 'lifted', level(1));
  // The floor: the calls of one job graph, made again by a client that does nothing else.
  ctx.log('  the floor: the same calls from a bare client');
  setVendorLatency(sandbox, ctx.latencyMs, ctx.jitterMs);
  const recorded = await recordCalls(async () => {
    const r = await gateway.graphql(JOB_GRAPH, { ids: globalIds(picks) });
    if (r.errors?.length) throw new Error(`the job graph failed: ${JSON.stringify(r.errors).slice(0, 300)}`);
  });
  const chained = chainsOf(recorded);
  const floorLoad = await replayFloor(sandbox.origin, chained, level(1).maxRequests, level(1).maxMs);
  if (floorLoad.failed) ctx.notes.push(`latency, the floor: ${floorLoad.failed} failed rounds (${floorLoad.firstError})`);
  const floor = {
    calls: chained.length,
    depth: depthOf(chained),
    load: floorLoad,
    p50ToBound: ratioOf(floorLoad.latencyMs.p50, boundMs),
    p50OfGateway: one.ok && floorLoad.ok ? ratioOf(one.latencyMs.p50, floorLoad.latencyMs.p50) : null,
  };
  // --quick: 5 clients, not 50 (fifty job graphs in flight take seconds to drain).
  const high = ctx.quick ? 5 : 50;
  await measure(`concurrency ${high}, vendor latency ${ctx.latencyMs} + ${ctx.jitterMs} ms`, gateway, ctx.latencyMs, ctx.jitterMs, high, 'lifted', level(high));
  if (ctx.quick) {
    ctx.notes.push('latency: the run with the default vendor quotas is left out of --quick');
  } else {
    const quota = await ctx.gateway({ quotas: 'default' });
    await measure(`concurrency 1, vendor latency ${ctx.latencyMs} + ${ctx.jitterMs} ms, default quotas`, quota, ctx.latencyMs, ctx.jitterMs, 1, 'default', { maxRequests: 10, maxMs: 60_000 });
  }
  const perTrip = ctx.latencyMs + ctx.jitterMs / 2;
  return {
    workOrders: picks.length,
    criticalPath: { ...path, boundMs },
    runs,
    floor,
    effectiveRoundTrips: zero.ok && one.ok && perTrip > 0 ? round((one.latencyMs.p50 - zero.latencyMs.p50) / perTrip, 1) : null,
  };
}

// ------------------------------------------------------------------------------------------ 3

/**
 * Requests per second and memory of one gateway process for the small query and the job graph,
 * at vendor latency 0 and at the stated latency, concurrency 50, quotas lifted. Each query gets a
 * gateway process of its own (full mode; --quick reuses the main one, with 5 clients): a warm-up
 * at the same concurrency until every client has had three answers (the working set of the load
 * is then in place), memory at rest (a pause, then a forced GC), the sustained run (RSS sampled
 * every second), memory at rest again.
 */
export async function throughputScenario(ctx: BenchContext): Promise<ThroughputScenario> {
  const sandbox = await ctx.sandbox();
  const picks = pickSets(sandbox.dataset, 1, 10)[0]!;
  const concurrency = ctx.quick ? 5 : 50;
  const queries = {
    small: { bodies: globalIds(picks).map((id) => body(SMALL, { id })), warmRequests: ctx.quick ? 50 : 2_000 },
    jobGraph: { bodies: [body(JOB_GRAPH, { ids: globalIds(picks) })], warmRequests: 3 * concurrency },
  } as const;
  const warmMaxMs = ctx.quick ? 1_000 : 120_000;
  const sustainedMs = ctx.quick ? 1_000 : 60_000;
  const runs: ThroughputScenario['runs'] = [];
  let processPeakRss = 0;

  for (const query of ['small', 'jobGraph'] as const) {
    const own = !ctx.quick;
    if (own) ctx.log(`  starting a gateway process for the ${query === 'small' ? 'small query' : 'job graph'}`);
    const gateway = own ? await startGatewayProcess({ connections: await connectionsOf(sandbox, 'lifted') }) : await ctx.gateway();
    try {
      for (const [latencyMs, jitterMs] of [
        [0, 0],
        [ctx.latencyMs, ctx.jitterMs],
      ] as const) {
        ctx.log(`  ${query}, vendor latency ${latencyMs} ms, concurrency ${concurrency}: warm-up (${queries[query].warmRequests} requests), sustained ${sustainedMs / 1000} s`);
        setVendorLatency(sandbox, latencyMs, jitterMs);
        const { bodies, warmRequests } = queries[query];
        const warmup = await runLoad({ url: gateway.url, bodies, concurrency, maxRequests: warmRequests, maxMs: warmMaxMs });
        // Both readings at rest: a pause without requests (idle connections close, V8 finishes its
        // background work), then garbage collected.
        await new Promise((r) => setTimeout(r, REST_MS));
        const warm = memoryOf(await gateway.usage(true));
        await resetStats(sandbox);
        let peak = warm.rss;
        let sampling = true;
        const sampler = (async () => {
          while (sampling) {
            await new Promise((r) => setTimeout(r, 1000));
            if (!sampling) break;
            try {
              peak = Math.max(peak, (await gateway.usage(false)).rss);
            } catch {
              // a missed sample is not a failure
            }
          }
        })();
        const { result: sustained, cpu } = await withCpu(gateway, () => runLoad({ url: gateway.url, bodies, concurrency, maxRequests: 10_000_000, maxMs: sustainedMs }), (r) => r.ok + r.failed);
        sampling = false;
        await sampler;
        await new Promise((r) => setTimeout(r, REST_MS));
        const after = memoryOf(await gateway.usage(true));
        peak = Math.max(peak, after.rss);
        const snapshot = await stats(sandbox);
        const reads = splitCalls(snapshot).reads;
        const answered = sustained.ok + sustained.failed;
        const per = Object.fromEntries(Object.entries(perVendor(reads)).map(([v, n]) => [v, answered ? round(n / answered, 3) : 0]));
        const upstreamErrors: Record<string, number> = {};
        for (const v of Object.values(snapshot.vendors)) {
          for (const e of Object.values(v?.endpoints ?? {})) for (const [status, n] of Object.entries(e.statuses)) if (!/^2/.test(status)) upstreamErrors[status] = (upstreamErrors[status] ?? 0) + n;
        }
        let quotaBoundRps: number | null = null;
        let quotaBoundBy: string | null = null;
        for (const [v, n] of Object.entries(per)) {
          if (n <= 0) continue;
          const rps = QUOTAS[v as VendorKey].perSecond / n;
          if (quotaBoundRps === null || rps < quotaBoundRps) {
            quotaBoundRps = round(rps, 2);
            quotaBoundBy = v;
          }
        }
        for (const run of [warmup, sustained]) if (run.failed) ctx.notes.push(`throughput, ${query} at ${latencyMs} ms: ${run.failed} failed requests (${run.firstError?.slice(0, 300)})`);
        runs.push({
          query,
          vendorLatencyMs: latencyMs,
          vendorJitterMs: jitterMs,
          warmup,
          sustained,
          cpu,
          memory: { warm, after, peakRssSampled: peak, rssAfterToWarm: ratioOf(after.rss, warm.rss, 3), heapAfterToWarm: ratioOf(after.heapUsed, warm.heapUsed, 3) },
          callsPerRequest: per,
          upstreamErrors,
          quotaBoundRps,
          quotaBoundBy,
        });
      }
      processPeakRss = Math.max(processPeakRss, (await gateway.usage(false)).maxRss);
    } finally {
      if (own) await gateway.close();
    }
  }
  return {
    concurrency,
    quotas: Object.fromEntries(VENDOR_KEYS.map((v) => [v, QUOTAS[v]])),
    runs,
    processPeakRss,
  };
}

// ------------------------------------------------------------------------------------------ 4

/**
 * The job graph twice on a gateway with the shared cache on (in memory, default TTLs), cold then
 * warm: upstream calls as the sandbox counted them, and time. Cold is work orders this gateway has
 * never read (the process itself is warmed up on others first); warm is the same request again
 * right after, well within the shortest TTL (30 s).
 */
export async function cacheScenario(ctx: BenchContext): Promise<CacheScenario> {
  const sandbox = await ctx.sandbox();
  setVendorLatency(sandbox, ctx.latencyMs, ctx.jitterMs);
  const gateway = await ctx.gateway({ sharedCache: true });
  // Sign in and warm the process up (JIT, sockets) with work orders outside the measured sets,
  // so that "cold" means never seen before, not a cold process.
  const other = pickSets(sandbox.dataset, 1, 10, 60)[0]!;
  for (let i = 0; i < (ctx.quick ? 2 : 5); i++) await gateway.graphql(JOB_GRAPH, { ids: globalIds(other) });
  const sets = pickSets(sandbox.dataset, ctx.quick ? 1 : 3, 10, 30);
  const out: CacheScenario['sets'] = [];
  const once = async (ids: string[]) => {
    await resetStats(sandbox);
    const t0 = performance.now();
    const r = await gateway.graphql(JOB_GRAPH, { ids });
    const ms = performance.now() - t0;
    if (r.errors?.length) ctx.notes.push(`cache: ${JSON.stringify(r.errors[0]).slice(0, 300)}`);
    const reads = splitCalls(await stats(sandbox)).reads;
    return { ms: Math.round(ms), calls: totalOf(reads), byVendor: perVendor(reads) };
  };
  for (const picks of sets) {
    ctx.log(`  cold and warm job graph over ${picks.length} work orders`);
    const ids = globalIds(picks);
    const cold = await once(ids);
    const warm = await once(ids);
    out.push({ cold, warm });
  }
  const saved = out.some((s) => s.warm.calls < s.cold.calls);
  return {
    sharedCacheAvailable: true,
    warmSavedCalls: saved,
    note: saved
      ? 'Shared cache on (in memory, default TTLs): the warm run reads from it what the cold run fetched; the calls left are what it does not hold.'
      : 'Shared cache on (in memory, default TTLs), yet the warm run made as many upstream calls as the cold one.',
    vendorLatencyMs: ctx.latencyMs,
    vendorJitterMs: ctx.jitterMs,
    sets: out,
  };
}

// ------------------------------------------------------------------------------------------ 5

/**
 * The work-order list over a large data set: the first and the fiftieth page of 50, in both
 * orders, cost the same calls and about the same time (each measured again on its own cursor).
 */
export async function scaleScenario(ctx: BenchContext): Promise<ScaleScenario> {
  const workOrders = ctx.quick ? 10_000 : 100_000;
  // --quick walks to page 10 only.
  const pages = ctx.quick ? 10 : 50;
  const pageSize = 50;
  const repeats = ctx.quick ? 1 : 5;
  // The stated latency in full; none in --quick, which only checks that the walk works.
  const [latencyMs, jitterMs] = ctx.quick ? [0, 0] : [ctx.latencyMs, ctx.jitterMs];
  ctx.log(`  generating a data set of ${workOrders.toLocaleString('en-US')} work orders`);
  const t0 = performance.now();
  const dataset = generateDataset(datasetOptions({ workOrders }));
  const datasetMs = Math.round(performance.now() - t0);
  const sandbox: Sandbox = await startBenchSandbox({ dataset });
  let gateway: GatewayProcess | undefined;
  try {
    setVendorLatency(sandbox, latencyMs, jitterMs);
    gateway = await startGatewayProcess({ connections: await connectionsOf(sandbox, 'lifted') });
    const g = gateway;
    await g.graphql(PAGE, { first: 1 });

    const page = async (direction: 'ASC' | 'DESC', after: string | null) => {
      await resetStats(sandbox);
      const t = performance.now();
      const r = await g.graphql(PAGE, { first: pageSize, after, orderBy: { field: 'UPDATED_AT', direction } });
      const ms = performance.now() - t;
      if (r.errors?.length) throw new Error(`page: ${JSON.stringify(r.errors[0]).slice(0, 500)}`);
      const reads = splitCalls(await stats(sandbox)).reads;
      const c = r.data.workOrders as { pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: unknown[] };
      return { ms, reads, next: c.pageInfo.hasNextPage ? c.pageInfo.endCursor : null, edges: c.edges.length };
    };
    const walks: ScaleScenario['walks'] = [];
    for (const direction of ['ASC', 'DESC'] as const) {
      ctx.log(`  ${direction}: walking to page ${pages} of ${pageSize}`);
      let after: string | null = null;
      let lastAfter: string | null = null;
      let walkCalls = 0;
      const started = performance.now();
      for (let p = 1; p <= pages; p++) {
        const r = await page(direction, after);
        walkCalls += totalOf(r.reads);
        if (p === pages) lastAfter = after;
        if (!r.next) throw new Error(`${direction}: the list ended at page ${p}`);
        after = r.next;
      }
      const walkMs = Math.round(performance.now() - started);
      // Each page again on its own cursor: the first page of a walk, and the fiftieth.
      const cost = async (n: number, cursor: string | null) => {
        const samples: number[] = [];
        let reads: Calls = {};
        let edges = 0;
        for (let i = 0; i < repeats; i++) {
          const r = await page(direction, cursor);
          samples.push(round(r.ms, 1));
          if (i === 0) {
            reads = r.reads;
            edges = r.edges;
          }
        }
        return { page: n, calls: totalOf(reads), byVendor: perVendor(reads), ms: round(median(samples), 1), samplesMs: samples, edges };
      };
      const first = await cost(1, null);
      const last = await cost(pages, lastAfter);
      walks.push({ direction, first, last, callsRatio: ratioOf(last.calls, first.calls), timeRatio: ratioOf(last.ms, first.ms), walkCalls, walkMs });
    }
    return {
      workOrders,
      datasetMs,
      vendorLatencyMs: latencyMs,
      vendorJitterMs: jitterMs,
      pageSize,
      walks,
    };
  } finally {
    await gateway?.close();
    await sandbox.close();
  }
}
