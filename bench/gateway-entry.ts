/**
 * The gateway as the benchmark runs it: one GraphQL server in its own process (so that its memory
 * is its own), over the vendor connections the bench passes in `BENCH_GATEWAY` (JSON:
 * `{connections, loaders, sharedCache}`), on a free port of 127.0.0.1. Prints `{"origin": ...}` on
 * one stdout line once it listens. The shared cache is off unless `sharedCache` (then in memory, as
 * `npm start` has it without `REDIS_URL`). Adds one route for the bench only, `GET /_bench/usage`
 * (`?gc=1` collects garbage first when node runs with `--expose-gc`: twice, each followed by a
 * pause, since V8 hands freed pages back to the system from a background thread), answering
 * `process.memoryUsage()`, the peak RSS and the CPU time of the process. Stops on SIGTERM / SIGINT.
 */
import type { VendorKey } from '../connectors/vendors.js';
import { openCacheBackend } from '../src/cache/open.js';
import { StoreConfigSchema } from '../src/config.js';
import { createServer } from '../src/server.js';
import type { Principal } from '../src/auth/principal.js';

/** The bench's requests carry no credentials: they run as an admin of the default tenant. */
const BENCH_PRINCIPAL: Principal = { id: 'key:bench', tenant: 'default', roles: ['admin'], via: 'api-key' };

interface GatewaySettings {
  connections: Partial<Record<VendorKey, unknown>>;
  /** The loaders' debug switch (`createServer({ loaders })`), default true. */
  loaders?: boolean;
  /** The shared cache, in memory (default off). */
  sharedCache?: boolean;
}

const settings = JSON.parse(process.env.BENCH_GATEWAY ?? '{}') as GatewaySettings;
let unexpected = 0;
// In memory, whatever the environment says.
const cache = settings.sharedCache ? await openCacheBackend({ store: StoreConfigSchema.parse({}) }) : undefined;
const server = await createServer({
  ...(cache ? { sharedCache: { keyv: cache.keyv } } : {}),
  auth: { anonymous: BENCH_PRINCIPAL },
  connections: settings.connections,
  loaders: settings.loaders ?? true,
  introspection: false,
  ide: false,
  // One line per unexpected error on stderr (the bench counts them); never per request otherwise.
  log: (message, error) => {
    unexpected++;
    if (unexpected <= 20) console.error(`[gateway] ${message}: ${error instanceof Error ? error.message : String(error)}`);
  },
});

server.app.get('/_bench/usage', async (req, res) => {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (req.query.gc === '1' && gc) {
    for (let i = 0; i < 2; i++) {
      gc();
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  res.json({
    ...process.memoryUsage(),
    // resourceUsage().maxRSS is in kilobytes: the peak resident set size of the process so far.
    maxRss: process.resourceUsage().maxRSS * 1024,
    cpuMs: (() => {
      const c = process.cpuUsage();
      return (c.user + c.system) / 1000;
    })(),
    unexpectedErrors: unexpected,
    gcAvailable: Boolean(gc),
  });
});

const origin = await server.listen(0, '127.0.0.1');
process.stdout.write(`${JSON.stringify({ origin, pid: process.pid })}\n`);

let closing = false;
const stop = (): void => {
  if (closing) return;
  closing = true;
  const force = setTimeout(() => process.exit(0), 3000);
  force.unref();
  server.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// The bench closing our stdin (or dying) stops us too: no orphan gateway.
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
