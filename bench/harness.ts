/**
 * What every scenario uses: the sandbox in this process (vendor latency set per scenario), the
 * gateway as a child process (bench/gateway-entry.ts) over the sandbox's connections, single
 * GraphQL requests, and the upstream calls counted by `/_sandbox/stats`. Everything listens on
 * 127.0.0.1.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sandboxConnections } from '../connectors/registry.js';
import type { VendorInfo } from '../connectors/sandbox/kit.js';
import { startSandbox, type Sandbox } from '../connectors/sandbox/server.js';
import { SIMULATORS } from '../connectors/sandbox/simulators.js';
import type { StatsSnapshot } from '../connectors/sandbox/stats.js';
import type { Dataset, DatasetOptions } from '../connectors/sandbox/dataset/types.js';
import { VENDOR_KEYS, type VendorKey } from '../connectors/vendors.js';
import type { SimulatorFactory } from '../connectors/sandbox/kit.js';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const GATEWAY_ENTRY = fileURLToPath(new URL('./gateway-entry.ts', import.meta.url));

/** Sign-in endpoints (tokens, sessions), reported apart from reads. */
export const SIGN_IN = /sessions|token|oauth|authentication/i;

export type Calls = Record<string, Record<string, number>>;

/**
 * Starts a sandbox on a free port. The two limits the simulators enforce themselves (ServiceTitan
 * 60/s per app and tenant, Field Nation 600/min per API user) are left out: the bench measures
 * the gateway, and accounts for the vendors' quotas separately (see {@link QUOTAS}).
 */
export async function startBenchSandbox(options: { data?: Partial<DatasetOptions>; dataset?: Dataset } = {}): Promise<Sandbox> {
  const simulators = Object.fromEntries(
    VENDOR_KEYS.map((key) => {
      const factory: SimulatorFactory = (ctx) => {
        const sim = SIMULATORS[key](ctx);
        delete sim.builtInRateLimit;
        return sim;
      };
      return [key, factory];
    }),
  ) as Record<VendorKey, SimulatorFactory>;
  return startSandbox({ port: 0, host: '127.0.0.1', simulators, ...(options.dataset ? { dataset: options.dataset } : { data: options.data ?? {} }) });
}

/** Sets every vendor's latency and jitter (ms). */
export function setVendorLatency(sandbox: Sandbox, latencyMs: number, jitterMs: number): void {
  sandbox.setFaults(Object.fromEntries(VENDOR_KEYS.map((v) => [v, { latencyMs, jitterMs }])));
}

/**
 * Vendor calls per second the vendors allow, for the quota-bound throughput: ServiceTitan's
 * documented limit; Field Nation's per-minute quota as the sandbox enforces it (the vendor does
 * not publish it); the session vendors publish none, so their connectors' default client-side
 * limits stand in.
 */
export const QUOTAS: Record<VendorKey, { perSecond: number; source: string }> = {
  servicetitan: { perSecond: 60, source: 'documented: 60 requests/s per app and tenant' },
  fieldnation: { perSecond: 10, source: 'unpublished; the sandbox enforces 600/min per API user' },
  servicepower: { perSecond: 10, source: 'unpublished; connector default 10/s' },
  sera: { perSecond: 10, source: 'unpublished; connector default 10/s' },
  astea: { perSecond: 20, source: 'unpublished; connector default 20/s' },
};

/**
 * The gateway's vendor connections to `sandbox`. `lifted`: the connectors' client-side rate
 * limits raised out of the way (what the gateway itself can do); `default`: as `npm start` has
 * them (ServiceTitan 45/s + 10, Field Nation 576/min, ServicePower and Sera 10/s, Astea 500/s in
 * the sandbox).
 */
export async function connectionsOf(sandbox: Sandbox, quotas: 'lifted' | 'default'): Promise<Partial<Record<VendorKey, unknown>>> {
  const index = (await (await fetch(`${sandbox.origin}/_sandbox`)).json()) as { vendors: VendorInfo[] };
  const connections = sandboxConnections(index.vendors) as Partial<Record<VendorKey, Record<string, unknown>>>;
  if (quotas === 'lifted') {
    const unlimited = { perSecond: 1_000_000, burst: 1_000_000 };
    for (const vendor of VENDOR_KEYS) {
      const c = connections[vendor];
      if (!c) continue;
      if (vendor === 'fieldnation') c.rateLimitPerMinute = 60_000_000;
      else c.rateLimit = unlimited;
    }
  }
  return connections;
}

export interface MemoryReading {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  maxRss: number;
}

/** Memory and CPU time (ms, user + system, since the process started) of a gateway process. */
export interface Usage extends MemoryReading {
  cpuMs: number;
}

export interface GqlResponse {
  data?: any;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
}

/** A gateway running in its own process. */
export interface GatewayProcess {
  origin: string;
  /** `<origin>/graphql` */
  url: string;
  pid: number;
  /** Memory and CPU time of the gateway process; `gc` collects garbage first. */
  usage(gc?: boolean): Promise<Usage>;
  /** One GraphQL request (times out after 120 s). */
  graphql(query: string, variables?: Record<string, unknown>): Promise<GqlResponse>;
  /** What the process wrote on stderr (the last 4 kB). */
  stderr(): string;
  close(): Promise<void>;
}

const running = new Set<ChildProcess>();

/** Kills the gateways still running (on exit or interruption). */
export function killGateways(): void {
  for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
  running.clear();
}

/** Starts a gateway process over `connections` and waits until it listens (60 s at most). */
export async function startGatewayProcess(options: {
  connections: Partial<Record<VendorKey, unknown>>;
  loaders?: boolean;
  /** The shared cache, in memory (default off). */
  sharedCache?: boolean;
  /** Options of the gateway's node, e.g. `['--cpu-prof', '--cpu-prof-dir=/tmp/prof']` to profile it. */
  nodeArgs?: string[];
}): Promise<GatewayProcess> {
  // The young generation `npm start` gives the gateway (package.json): fewer scavenges under load.
  const child = spawn(process.execPath, ['--expose-gc', '--max-semi-space-size=64', ...(options.nodeArgs ?? []), '--import', 'tsx', GATEWAY_ENTRY], {
    cwd: REPO_ROOT,
    env: { ...process.env, BENCH_GATEWAY: JSON.stringify({ connections: options.connections, loaders: options.loaders ?? true, sharedCache: options.sharedCache ?? false }) },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  running.add(child);
  let err = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (s: string) => {
    err = (err + s).slice(-4096);
  });
  const ready = await new Promise<{ origin: string; pid: number }>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the gateway did not start in 60 s:\n${err}`)), 60_000);
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (s: string) => {
      out += s;
      const line = out.split('\n').find((l) => l.startsWith('{"origin"'));
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line) as { origin: string; pid: number });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the gateway exited with ${code} before listening:\n${err}`));
    });
  });
  const url = `${ready.origin}/graphql`;
  return {
    origin: ready.origin,
    url,
    pid: ready.pid,
    usage: async (gc = false) => {
      const r = (await (await fetch(`${ready.origin}/_bench/usage${gc ? '?gc=1' : ''}`)).json()) as Usage;
      return { rss: r.rss, heapUsed: r.heapUsed, heapTotal: r.heapTotal, external: r.external, maxRss: r.maxRss, cpuMs: r.cpuMs };
    },
    graphql: async (query, variables = {}) => {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(120_000),
      });
      return (await res.json()) as GqlResponse;
    },
    stderr: () => err,
    close: async () => {
      if (child.exitCode !== null) return void running.delete(child);
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
      running.delete(child);
    },
  };
}

/** CPU time (ms, user + system) of this process: the sandbox and the load generator. */
export function ownCpuMs(): number {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
}

/**
 * Runs `fn` and measures the CPU time it took in the gateway process and in this one, per
 * request answered (`requests` of the result).
 */
export async function withCpu<T>(gateway: GatewayProcess, fn: () => Promise<T>, requests: (r: T) => number): Promise<{ result: T; cpu: { gatewayMsPerRequest: number | null; benchMsPerRequest: number | null } }> {
  const g0 = (await gateway.usage()).cpuMs;
  const b0 = ownCpuMs();
  const result = await fn();
  const b1 = ownCpuMs();
  const g1 = (await gateway.usage()).cpuMs;
  const n = requests(result);
  return { result, cpu: { gatewayMsPerRequest: n ? round((g1 - g0) / n, 1) : null, benchMsPerRequest: n ? round((b1 - b0) / n, 1) : null } };
}

/** The sandbox's request counts. */
export async function stats(sandbox: Sandbox): Promise<StatsSnapshot> {
  return (await (await fetch(`${sandbox.origin}/_sandbox/stats`)).json()) as StatsSnapshot;
}

/** Resets the sandbox's request counts (not its data nor its faults). */
export async function resetStats(sandbox: Sandbox): Promise<void> {
  await fetch(`${sandbox.origin}/_sandbox/reset`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
}

/** Calls per vendor and endpoint, split into reads and sign-ins. */
export function splitCalls(snapshot: StatsSnapshot): { reads: Calls; signIn: Calls } {
  const reads: Calls = {};
  const signIn: Calls = {};
  for (const vendor of VENDOR_KEYS) {
    for (const [endpoint, e] of Object.entries(snapshot.vendors[vendor]?.endpoints ?? {})) {
      const into = SIGN_IN.test(endpoint) ? signIn : reads;
      (into[vendor] ??= {})[endpoint] = e.count;
    }
  }
  return { reads, signIn };
}

/** Sum of calls per vendor. */
export function perVendor(calls: Calls): Record<string, number> {
  return Object.fromEntries(Object.entries(calls).map(([v, byEndpoint]) => [v, Object.values(byEndpoint).reduce((s, n) => s + n, 0)]));
}

/** Sum of all calls. */
export function totalOf(calls: Calls): number {
  return Object.values(perVendor(calls)).reduce((s, n) => s + n, 0);
}

/** Median of numbers (0 when empty). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Rounds to `digits` decimals. */
export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** `a / b` rounded, or null when `b` is 0. */
export function ratioOf(a: number, b: number, digits = 2): number | null {
  return b > 0 ? round(a / b, digits) : null;
}
