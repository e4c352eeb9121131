/**
 * The vendors' floor under the job graph: the calls the gateway made for one request, made again
 * by a client that does nothing else, each as soon as the call it waited for has ended, from a
 * process of its own (bench/floor-entry.ts: node's HTTP client over keep-alive, each body read and
 * dropped). It is what the sandbox takes to answer those calls in that order (vendor latency and
 * jitter, the five simulators' own work on this machine, the wire) with no time between them, so
 * `p50 / floor` is what the gateway adds.
 *
 * The calls are recorded on the sandbox's side (node's `http.server` diagnostics channels; the
 * sandbox runs in the bench's process, the gateway does not). A call waited for the call of the
 * same vendor that ended last before it started, if any: a relationship is read from the system
 * that holds its parent, so a chain of dependent calls stays within one vendor, and the gateway
 * starts a call once what it needs has arrived.
 */
import dc from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from './harness.js';
import { summarize } from './load.js';
import type { LoadRun } from './schema.js';

const FLOOR_ENTRY = fileURLToPath(new URL('./floor-entry.ts', import.meta.url));

/** One vendor call as the sandbox saw it. */
export interface RecordedCall {
  method: string;
  /** Path and query, as sent. */
  path: string;
  headers: Record<string, string>;
  /** Start and end, ms on this process's clock. */
  startMs: number;
  endMs: number;
}

/** The vendor calls `run` causes on this process's HTTP servers (the sandbox's). */
export async function recordCalls(run: () => Promise<void>): Promise<RecordedCall[]> {
  const started = new WeakMap<ServerResponse, { req: IncomingMessage; at: number }>();
  const calls: RecordedCall[] = [];
  const onStart = (m: unknown): void => {
    const { request, response } = m as { request: IncomingMessage; response: ServerResponse };
    started.set(response, { req: request, at: performance.now() });
  };
  const onFinish = (m: unknown): void => {
    const { response } = m as { response: ServerResponse };
    const s = started.get(response);
    if (!s) return;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(s.req.headers)) if (typeof v === 'string' && !['host', 'connection', 'content-length'].includes(k)) headers[k] = v;
    calls.push({ method: s.req.method ?? 'GET', path: s.req.url ?? '/', headers, startMs: s.at, endMs: performance.now() });
  };
  dc.subscribe('http.server.request.start', onStart);
  dc.subscribe('http.server.response.finish', onFinish);
  try {
    await run();
  } finally {
    dc.unsubscribe('http.server.request.start', onStart);
    dc.unsubscribe('http.server.response.finish', onFinish);
  }
  return calls.sort((a, b) => a.startMs - b.startMs);
}

/** A recorded call and the index of the call it waits for (null: it starts with the round). */
export interface ChainedCall extends RecordedCall {
  after: number | null;
}

/** The vendor of a sandbox path (`/<vendor>/...`). */
const vendorOf = (path: string): string => path.split('/')[1] ?? '';

/** Each call with the call it waited for (see the module's comment), in start order. */
export function chainsOf(calls: readonly RecordedCall[]): ChainedCall[] {
  const sorted = [...calls].sort((a, b) => a.startMs - b.startMs);
  return sorted.map((c) => {
    let after: number | null = null;
    sorted.forEach((d, i) => {
      if (d !== c && vendorOf(d.path) === vendorOf(c.path) && d.endMs <= c.startMs && (after === null || d.endMs > sorted[after]!.endMs)) after = i;
    });
    return { ...c, after };
  });
}

/** Calls on the longest chain of {@link chainsOf}. */
export function depthOf(chained: readonly ChainedCall[]): number {
  const depth: number[] = [];
  chained.forEach((c, i) => (depth[i] = c.after === null ? 1 : depth[c.after]! + 1));
  return Math.max(0, ...depth);
}

/**
 * Makes the `chained` calls against `origin` `requests` times (after three unmeasured rounds), one
 * round at a time, from a process of its own; stops early after `maxMs`. Latency per round.
 */
export async function replayFloor(origin: string, chained: readonly ChainedCall[], requests: number, maxMs: number): Promise<LoadRun> {
  const plan = { origin, requests, maxMs, calls: chained.map(({ method, path, headers, after }) => ({ method, path, headers, after })) };
  const child = spawn(process.execPath, ['--import', 'tsx', FLOOR_ENTRY], { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (err = (err + s).slice(-4096)));
  child.stdin.end(JSON.stringify(plan));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`the floor's client exited with ${code}: ${err}`);
  const r = JSON.parse(out) as { timesMs: number[]; failed: number; firstError: string | null; durationMs: number };
  return {
    concurrency: 1,
    ok: r.timesMs.length,
    failed: r.failed,
    durationMs: Math.round(r.durationMs),
    rps: r.durationMs > 0 ? Math.round((r.timesMs.length / (r.durationMs / 1000)) * 100) / 100 : 0,
    latencyMs: summarize(r.timesMs),
    firstError: r.firstError,
    limits: { maxRequests: requests, maxMs },
  };
}
