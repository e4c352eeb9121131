/**
 * The floor's client (bench/floor.ts): reads a plan on stdin (`{origin, requests, maxMs, levels}`,
 * each level a list of `{method, path, headers}`), makes each level's calls at once and waits for
 * all of them before the next level, `requests` times after three unmeasured rounds or until
 * `maxMs` have passed, and prints `{timesMs, failed, firstError, durationMs}` on stdout. Every
 * body is read and dropped; a status other than 2xx counts the round as failed.
 */
import http from 'node:http';

interface Plan {
  origin: string;
  requests: number;
  maxMs: number;
  levels: Array<Array<{ method: string; path: string; headers: Record<string, string> }>>;
}

const chunks: Buffer[] = [];
for await (const c of process.stdin) chunks.push(c as Buffer);
const plan = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Plan;
const origin = new URL(plan.origin);
const agent = new http.Agent({ keepAlive: true });

const call = (c: Plan['levels'][number][number]): Promise<number> =>
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

const round = async (): Promise<string | null> => {
  let bad: string | null = null;
  for (const level of plan.levels) {
    const statuses = await Promise.all(level.map(call));
    const i = statuses.findIndex((s) => s < 200 || s >= 300);
    if (i >= 0) bad ??= `${level[i]!.method} ${level[i]!.path.split('?')[0]}: HTTP ${statuses[i]}`;
  }
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
