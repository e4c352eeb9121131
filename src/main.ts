/**
 * `npm start`: the embedded default. Starts the sandbox (faithful simulators of the five vendor
 * APIs over real HTTP, with a seeded data set) and the GraphQL gateway wired to it, both on
 * 127.0.0.1, prints where everything is, and stops cleanly on SIGINT/SIGTERM. With
 * `FIELDGRAPH_MODE=live` only the gateway starts, over the configured vendors.
 */
import { closeOnSignal } from '../connectors/sandbox/cli.js';
import { loadConfig } from './config.js';
import { startGateway } from './gateway.js';

const config = loadConfig();
const gateway = await startGateway(config);
closeOnSignal(() => gateway.close());
