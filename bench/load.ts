/**
 * A closed-loop load generator on node's own HTTP client: `concurrency` clients over keep-alive
 * connections, each sending its next GraphQL request when the last one is answered, until
 * `maxRequests` have been sent or `maxMs` have passed, whichever comes first. Latency is measured
 * per request in the bench process (high-resolution clock), from sending to the last byte.
 */
import http from 'node:http';
import type { LoadRun } from './schema.js';

export interface LoadOptions {
  /** The GraphQL endpoint, `http://127.0.0.1:<port>/graphql`. */
  url: string;
  /** Request bodies (JSON), used in turn. */
  bodies: readonly string[];
  concurrency: number;
  maxRequests: number;
  maxMs: number;
  /** Per-request timeout (default 120 s). */
  requestTimeoutMs?: number;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

/** p50, p90, p99, mean and max of `values` (ms). */
export function summarize(values: readonly number[]): LoadRun['latencyMs'] {
  const sorted = [...values].sort((a, b) => a - b);
  const mean = sorted.length ? sorted.reduce((s, v) => s + v, 0) / sorted.length : 0;
  const r = (v: number) => Math.round(v * 100) / 100;
  return { p50: r(percentile(sorted, 50)), p90: r(percentile(sorted, 90)), p99: r(percentile(sorted, 99)), mean: r(mean), max: r(sorted.at(-1) ?? 0) };
}

/** An answer that is HTTP 200 without GraphQL errors. */
function answered(status: number, text: string): boolean {
  return status === 200 && text.startsWith('{"data"') && !text.includes('"errors":[');
}

/** Runs the load; never throws for failed requests (they are counted). */
export async function runLoad(options: LoadOptions): Promise<LoadRun> {
  const url = new URL(options.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  const latencies: number[] = [];
  let sent = 0;
  let ok = 0;
  let failed = 0;
  let firstError: string | null = null;
  const start = performance.now();
  const deadline = start + options.maxMs;

  const post = (body: string): Promise<{ status: number; text: string }> =>
    new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', accept: 'application/json', 'content-length': Buffer.byteLength(body) },
          timeout: options.requestTimeoutMs ?? 120_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error('request timed out')));
      req.on('error', reject);
      req.end(body);
    });

  const client = async (): Promise<void> => {
    while (sent < options.maxRequests && performance.now() < deadline) {
      const body = options.bodies[sent % options.bodies.length]!;
      sent++;
      const t0 = performance.now();
      try {
        const r = await post(body);
        const elapsed = performance.now() - t0;
        if (answered(r.status, r.text)) {
          ok++;
          latencies.push(elapsed);
        } else {
          failed++;
          firstError ??= `HTTP ${r.status}: ${r.text.slice(0, 400)}`;
        }
      } catch (e) {
        failed++;
        firstError ??= e instanceof Error ? e.message : String(e);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, client));
  const durationMs = performance.now() - start;
  agent.destroy();
  return {
    concurrency: options.concurrency,
    ok,
    failed,
    durationMs: Math.round(durationMs),
    rps: Math.round((ok / (durationMs / 1000)) * 100) / 100,
    latencyMs: summarize(latencies),
    firstError,
    limits: { maxRequests: options.maxRequests, maxMs: options.maxMs },
  };
}
