/**
 * Starts the sandbox from the configuration and prints where everything is. Used by
 * `npm run sandbox` and by `npm start`.
 */
import type { SandboxConfig } from '../../src/config.js';
import { datasetOptions, startSandbox, type Sandbox } from './server.js';

/** Starts the sandbox described by `config` and prints its URLs and credentials. */
export async function runSandbox(config: SandboxConfig, log: (line: string) => void = console.log): Promise<Sandbox> {
  const started = Date.now();
  const sandbox = await startSandbox({
    port: config.port,
    host: config.host,
    data: datasetOptions({ seed: config.seed, customers: config.customers, ...(config.workOrders ? { workOrders: config.workOrders } : {}) }),
    faults: config.faults,
    ...(config.totpSecret ? { totpSecret: config.totpSecret } : {}),
  });
  const counts = Object.entries(sandbox.dataset.vendors)
    .map(([k, v]) => `${k} ${v.customers.length} customers / ${v.workOrders.length} work orders`)
    .join(', ');
  log(`FieldGraph sandbox on ${sandbox.origin} (seed ${sandbox.dataset.options.seed}; ${counts}; ready in ${Date.now() - started} ms)`);
  for (const sim of Object.values(sandbox.simulators)) {
    const info = sim!.info(sandbox.origin);
    log(`  ${info.title.padEnd(15)} ${info.baseUrl}   (OpenAPI: ${info.openapiUrl})`);
  }
  log(`  Index, credentials and MFA secret: ${sandbox.origin}/_sandbox`);
  log(`  Stats: ${sandbox.origin}/_sandbox/stats   Faults: PUT ${sandbox.origin}/_sandbox/faults   Reset: POST ${sandbox.origin}/_sandbox/reset`);
  return sandbox;
}

/** Closes `close` on SIGINT/SIGTERM, once. */
export function closeOnSignal(close: () => Promise<void>): void {
  let closing = false;
  const stop = (): void => {
    if (closing) return;
    closing = true;
    close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
