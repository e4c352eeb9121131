/**
 * The shape of one benchmark run's JSON (`bench/results/<ISO date>-<quick|full>.json`), as zod
 * schemas: the bench validates what it writes, and `test/bench/quick.test.ts` validates what it
 * reads. Times are milliseconds, memory bytes, rates per second. A scenario that was not asked for
 * (`--scenario`) is absent.
 */
import { z } from 'zod';

export const SCENARIOS = ['calls', 'latency', 'throughput', 'cache', 'scale', 'identity'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

const count = z.number().int().min(0);
const ms = z.number().min(0);
const bytes = z.number().int().min(0);
/** A ratio to a bound; null when the bound is 0 or was not measured. */
const ratio = z.number().min(0).nullable();

/** Calls per vendor and endpoint (`GET /path/{param}`), as `/_sandbox/stats` counts them. */
export const CallsByEndpointSchema = z.record(z.string(), z.record(z.string(), count));

export const LatencySummarySchema = z.object({ p50: ms, p90: ms, p99: ms, mean: ms, max: ms });

/** One bounded load run: `concurrency` clients, each sending the next request when its last one answered. */
export const LoadRunSchema = z.object({
  concurrency: z.number().int().positive(),
  /** Requests answered 200 without GraphQL errors / answered otherwise or not at all. */
  ok: count,
  failed: count,
  /** Wall time of the run, from the first request sent to the last answer. */
  durationMs: ms,
  /** `ok` per second of `durationMs`. */
  rps: z.number().min(0),
  /** Latencies of the `ok` requests; zeros when there were none. */
  latencyMs: LatencySummarySchema,
  /** The first failure, for diagnosis. */
  firstError: z.string().nullable(),
  /** The limits the run stopped at (whichever came first). */
  limits: z.object({ maxRequests: z.number().int().positive(), maxMs: ms }),
});
export type LoadRun = z.infer<typeof LoadRunSchema>;

export const MachineSchema = z.object({
  cpuModel: z.string(),
  cpuCount: z.number().int().positive(),
  memoryBytes: bytes,
  node: z.string(),
  os: z.string(),
  gitCommit: z.string().nullable(),
  /** Whether the working tree had uncommitted changes. */
  gitDirty: z.boolean().nullable(),
});

/** One logical read of the job graph and its lower bound. */
export const BoundReadSchema = z.object({
  vendor: z.string(),
  read: z.string(),
  /** The endpoints whose calls count toward this read. */
  endpoints: z.array(z.string()),
  bound: count,
  actual: count,
  /** How the bound follows from the vendor's documented API. */
  rule: z.string(),
});

export const CallsCaseSchema = z.object({
  label: z.string(),
  workOrders: z.number().int().positive(),
  /** GraphQL requests the work orders were spread over (`nodes` takes at most 100 ids). */
  requests: z.number().int().positive(),
  loaders: z.boolean(),
  /** Read calls (sign-in calls left out) per vendor and endpoint. */
  calls: CallsByEndpointSchema,
  total: count,
  bound: count,
  ratio,
  perVendor: z.record(z.string(), z.object({ calls: count, bound: count, ratio })),
  reads: z.array(BoundReadSchema),
  /** Calls to endpoints the bound does not expect at all. */
  unexpected: z.array(z.object({ vendor: z.string(), endpoint: z.string(), count })),
  /** GraphQL errors in the answers (should be 0). */
  graphqlErrors: count,
  /** Wall time of all the case's requests, one after the other. */
  elapsedMs: ms,
});

export const CallsScenarioSchema = z.object({
  vendorLatencyMs: ms,
  vendorJitterMs: ms,
  /** Sign-in calls (tokens, sessions) of the warm-up, reported apart from reads. */
  signInCalls: CallsByEndpointSchema,
  cases: z.array(CallsCaseSchema),
  /** Differences between the records the answer holds and the data set (should be empty). */
  crossCheck: z.array(z.string()),
});

/**
 * CPU time per answered request: of the gateway process, and of the bench process (the sandbox's
 * simulators and the load generator), which share the machine's cores.
 */
export const CpuSchema = z.object({ gatewayMsPerRequest: z.number().min(0).nullable(), benchMsPerRequest: z.number().min(0).nullable() });

export const LatencyRunSchema = z.object({
  label: z.string(),
  vendorLatencyMs: ms,
  vendorJitterMs: ms,
  quotas: z.enum(['lifted', 'default']),
  load: LoadRunSchema,
  cpu: CpuSchema,
  /** p50 / the critical-path bound; null at vendor latency 0. */
  p50ToBound: ratio,
  p99ToBound: ratio,
});

export const LatencyScenarioSchema = z.object({
  workOrders: z.number().int().positive(),
  criticalPath: z.object({
    /** Dependent vendor round trips on the deepest chain the APIs force. */
    levels: z.number().int().positive(),
    chains: z.array(z.string()),
    /** levels x vendor latency (jitter left out: it only adds). */
    boundMs: ms,
  }),
  runs: z.array(LatencyRunSchema),
  /**
   * The vendors' floor (bench/floor.ts): the calls of one job graph at the stated latency, made
   * again by a client that does nothing else, each as soon as the call it waited for has ended,
   * concurrency 1.
   */
  floor: z.object({
    calls: count,
    /** Calls on the longest chain of calls that waited for one another. */
    depth: count,
    load: LoadRunSchema,
    /** The floor's p50 / the critical-path bound. */
    p50ToBound: ratio,
    /** The gateway's p50 at concurrency 1 and the stated latency / the floor's p50: what the gateway adds. */
    p50OfGateway: ratio,
  }),
  /**
   * (p50 at the stated latency - p50 at latency 0) / (latency + half the jitter): how many vendor
   * round trips the answer waits for one after the other. Null when either run is missing.
   */
  effectiveRoundTrips: z.number().nullable(),
});

export const MemoryReadingSchema = z.object({ rss: bytes, heapUsed: bytes, heapTotal: bytes, external: bytes, maxRss: bytes });

export const ThroughputRunSchema = z.object({
  query: z.enum(['small', 'jobGraph']),
  vendorLatencyMs: ms,
  vendorJitterMs: ms,
  warmup: LoadRunSchema,
  sustained: LoadRunSchema,
  /** CPU per request during the sustained run. */
  cpu: CpuSchema,
  /**
   * After a forced GC, idle: after the warm-up and after the sustained run; the peak sampled every
   * second during it. `heapAfterToWarm` (live heap) tells a leak from memory the allocator keeps.
   */
  memory: z.object({ warm: MemoryReadingSchema, after: MemoryReadingSchema, peakRssSampled: bytes, rssAfterToWarm: ratio, heapAfterToWarm: ratio }),
  /** Vendor read calls per answered request during the sustained run. */
  callsPerRequest: z.record(z.string(), z.number().min(0)),
  /** Vendor calls answered other than 2xx during the sustained run, by status (0: no answer). */
  upstreamErrors: z.record(z.string(), count),
  /**
   * The most requests per second the vendors' quotas allow for this query (the tightest vendor:
   * quota / its calls per request); see `quotas` of the scenario.
   */
  quotaBoundRps: z.number().min(0).nullable(),
  quotaBoundBy: z.string().nullable(),
});

export const ThroughputScenarioSchema = z.object({
  concurrency: z.number().int().positive(),
  /** Calls per second per vendor used for `quotaBoundRps`, and where each comes from. */
  quotas: z.record(z.string(), z.object({ perSecond: z.number().positive(), source: z.string() })),
  runs: z.array(ThroughputRunSchema),
  /** Peak RSS of the scenario's gateway processes (`resourceUsage().maxRSS`). */
  processPeakRss: bytes,
});

export const CacheRunSchema = z.object({ ms, calls: count, byVendor: z.record(z.string(), count) });

export const CacheScenarioSchema = z.object({
  /** Whether the gateway has a shared (cross-request) cache to turn on. */
  sharedCacheAvailable: z.boolean(),
  /** Whether the warm runs made fewer calls than the cold ones. */
  warmSavedCalls: z.boolean(),
  note: z.string(),
  vendorLatencyMs: ms,
  vendorJitterMs: ms,
  sets: z.array(z.object({ cold: CacheRunSchema, warm: CacheRunSchema })),
});

export const PageCostSchema = z.object({
  page: z.number().int().positive(),
  /** Read calls per vendor of one request of this page, and their sum. */
  calls: count,
  byVendor: z.record(z.string(), count),
  /** Median over the repeats, and every repeat. */
  ms,
  samplesMs: z.array(ms),
  edges: count,
});

export const ScaleScenarioSchema = z.object({
  workOrders: z.number().int().positive(),
  datasetMs: ms,
  vendorLatencyMs: ms,
  vendorJitterMs: ms,
  pageSize: z.number().int().positive(),
  walks: z.array(
    z.object({
      direction: z.enum(['ASC', 'DESC']),
      first: PageCostSchema,
      last: PageCostSchema,
      /** Calls and time of the last page over the first. */
      callsRatio: ratio,
      timeRatio: ratio,
      /** Calls and wall time of the walk from the first page to the last. */
      walkCalls: count,
      walkMs: ms,
    }),
  ),
});

/** Cross-vendor identity: quality against the ground truth, and the backfill at scale (bench/identity.ts). */
export const IdentityScenarioSchema = z.object({
  backend: z.enum(['redis', 'file']),
  quality: z.array(
    z.object({
      label: z.string(),
      customers: count,
      records: count,
      syncMs: ms,
      precision: ratio,
      recall: ratio,
      truePairs: count,
      correctPairs: count,
      nearMissesMerged: count,
      nearMisses: count,
    }),
  ),
  backfill: z.object({
    workOrders: count,
    records: count,
    /** Records of the four kinds the data set holds: a resume that reads nothing twice reads exactly these. */
    datasetRecords: count,
    stoppedRun: z.object({ pages: count, records: count, ms }),
    resumedRun: z.object({ pages: count, records: count, ms, resumedLists: count }),
    pagesTotal: count,
    recordsPerSecond: z.number().nonnegative(),
  }),
});

export const TableRowSchema = z.object({
  scenario: z.string(),
  measure: z.string(),
  value: z.string(),
  reference: z.string(),
  ratio: z.string(),
});
export type TableRow = z.infer<typeof TableRowSchema>;

export const BenchResultSchema = z.object({
  schemaVersion: z.literal(1),
  mode: z.enum(['quick', 'full']),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  durationMs: ms,
  machine: MachineSchema,
  settings: z.object({
    vendorLatencyMs: ms,
    vendorJitterMs: ms,
    dataset: z.object({ seed: z.number().int(), customers: z.number().int(), workOrders: z.number().int() }),
    /** How the vendors' rate limits were set for the runs (see README, Benchmarks). */
    quotas: z.string(),
    scenarios: z.array(z.enum(SCENARIOS)),
  }),
  scenarios: z.object({
    calls: CallsScenarioSchema.optional(),
    latency: LatencyScenarioSchema.optional(),
    throughput: ThroughputScenarioSchema.optional(),
    cache: CacheScenarioSchema.optional(),
    scale: ScaleScenarioSchema.optional(),
    identity: IdentityScenarioSchema.optional(),
  }),
  table: z.array(TableRowSchema),
  /** Anything that went wrong or could not be measured. */
  notes: z.array(z.string()),
});
export type BenchResult = z.infer<typeof BenchResultSchema>;
