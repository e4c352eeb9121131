/**
 * `npm run sync`: builds or refreshes the cross-vendor link index. In sandbox mode (the default,
 * like `npm start`) it starts the sandbox's simulators on a free port of 127.0.0.1 and reads them;
 * in live mode it reads the configured vendors. The index lives in the key-value store (Redis with
 * `REDIS_URL`, else the data directory). The first run reads everything; later runs read what
 * changed since the last one; a run stopped with Ctrl-C (or killed) resumes where it stood.
 * Progress goes to stderr (a bar on a terminal), the summary too; exit code 0 when every list was
 * read to its end, 1 when a vendor failed, 130 when interrupted.
 */
import { createConnectors, sandboxConnections } from '../connectors/registry.js';
import { runSandbox } from '../connectors/sandbox/cli.js';
import type { VendorKey } from '../connectors/vendors.js';
import { loadConfig } from '../src/config.js';
import { IDENTITY_NAMESPACE, openLinkIndex } from '../src/identity/index.js';
import { createProgressReporter, runSync } from '../src/identity/sync.js';
import { createKeyValueStore } from '../src/store/kv.js';

const config = loadConfig();
const log = (line: string) => process.stderr.write(`${line}\n`);
const sandbox = config.mode === 'sandbox' ? await runSandbox({ ...config.sandbox, port: 0 }, log) : undefined;
const connections = sandbox ? sandboxConnections(Object.values(sandbox.simulators).map((s) => s!.info(sandbox.origin))) : config.vendors;
const connectors: ReturnType<typeof createConnectors> = {};
for (const [vendor, connection] of Object.entries(connections) as Array<[VendorKey, unknown]>) {
  Object.assign(connectors, createConnectors({ [vendor]: connection }, { settings: config.vendorSettings[vendor] ?? {} }));
}
const store = await createKeyValueStore({ namespace: IDENTITY_NAMESPACE, redisUrl: config.store.redisUrl, dataDir: config.store.dataDir });
log(`Link index in ${store.backend === 'redis' ? 'Redis' : `${config.store.dataDir}/store.json`}`);
const stop = new AbortController();
const onSignal = () => {
  if (stop.signal.aborted) process.exit(130);
  log('\nStopping after the current page (Ctrl-C again to quit at once); the next run resumes from here.');
  stop.abort();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
let code = 0;
try {
  const summary = await runSync({ connectors, index: openLinkIndex({ store }), signal: stop.signal, progress: createProgressReporter(process.stderr) });
  code = stop.signal.aborted ? 130 : summary.lists.some((l) => l.error) ? 1 : 0;
} finally {
  await store.close();
  await sandbox?.close();
}
process.exit(code);
