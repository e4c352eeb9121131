/**
 * `npm start`: the embedded default. Starts the sandbox (faithful simulators of the five vendor
 * APIs over real HTTP, with a seeded data set) and the GraphQL gateway wired to it, both on
 * 127.0.0.1, prints where everything is, and on SIGINT/SIGTERM stops accepting connections,
 * finishes the requests in flight (within `FIELDGRAPH_DRAIN_TIMEOUT_MS`), closes the sandbox and
 * exits 0 (`src/shutdown.ts`). With `FIELDGRAPH_MODE=live` only the gateway starts, over the
 * configured vendors.
 */
import { loadConfig } from './config.js';
import { startGateway } from './gateway.js';
import { shutdownOnSignal } from './shutdown.js';

const config = loadConfig();
const gateway = await startGateway(config);
shutdownOnSignal(() => gateway.close(), { logger: gateway.server.logger, drainTimeoutMs: config.server.drainTimeoutMs });
