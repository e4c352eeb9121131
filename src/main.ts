/**
 * `npm start`: the embedded default. Starts the sandbox (faithful simulators of the five vendor
 * APIs over real HTTP, with a seeded data set) on 127.0.0.1 and prints where everything is.
 */
import { closeOnSignal, runSandbox } from '../connectors/sandbox/cli.js';
import { loadConfig } from './config.js';

const config = loadConfig();
const sandbox = await runSandbox(config.sandbox);
closeOnSignal(() => sandbox.close());
