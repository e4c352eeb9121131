/**
 * The floor's client (bench/floor.ts): reads a plan on stdin (`{origin, requests, maxMs, calls}`,
 * each call `{method, path, headers, after}`), and makes a round of them: the calls with no `after`
 * at once, each other call as soon as call number `after` has ended; `requests` rounds after three
 * unmeasured ones or until `maxMs` have passed. Prints `{timesMs, failed, firstError, durationMs}`
 * on stdout. Every body is read and dropped; a status other than 2xx fails the round.
 */
import http from 'node:http';

interface Plan {
  origin: string;
  requests: number;
  maxMs: number;
  calls: Array<{ method: string; path: string; headers: Record<string, string>; after: number | null }>;
}

const chunks: Buffer[] = [];
for await (const c of process.stdin) chunks.push(c as Buffer);
const plan = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Plan;
const origin = new URL(plan.origin);
const agent = new http.Agent({ keepAlive: true });

const call = (c: Plan['calls'][number]): Promise<number> =>
  new Promise((resolve, reject) => {
    const req = http.request({ host: origin.hostname, port: origin.port, path: c.path, method: c.method, headers: c.headers, agent, timeout: 60_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('call timed out')));
    req.on('error', reject);
    req.end();
  });

const waiting = new Map<number, number[]>();
plan.calls.forEach((c, i) => {
  if (c.after !== null) waiting.set(c.after, [...(waiting.get(c.after) ?? []), i]);
});

/** One round: every call, each after the one it waits for. The first failure, or null. */
const round = async (): Promise<string | null> => {
  let bad: string | null = null;
  const go = async (i: number): Promise<void> => {
    const c = plan.calls[i]!;
    const status = await call(c);
    if (status < 200 || status >= 300) bad ??= `${c.method} ${c.path.split('?')[0]}: HTTP ${status}`;
    await Promise.all((waiting.get(i) ?? []).map(go));
  };
  await Promise.all(plan.calls.flatMap((c, i) => (c.after === null ? [go(i)] : [])));
  return bad;
};

for (let i = 0; i < 3; i++) await round();
const timesMs: number[] = [];
let failed = 0;
let firstError: string | null = null;
const start = performance.now();
for (let i = 0; i < plan.requests && performance.now() - start < plan.maxMs; i++) {
  const t0 = performance.now();
  let bad: string | null;
  try {
    bad = await round();
  } catch (e) {
    bad = e instanceof Error ? e.message : String(e);
  }
  if (bad) {
    failed++;
    firstError ??= bad;
  } else timesMs.push(performance.now() - t0);
}
const durationMs = performance.now() - start;
agent.destroy();
process.stdout.write(JSON.stringify({ timesMs, failed, firstError, durationMs }) + '\n');
