/** `npm run sandbox`: the five vendor simulators alone. */
import { loadConfig } from '../../src/config.js';
import { closeOnSignal, runSandbox } from './cli.js';

const sandbox = await runSandbox(loadConfig().sandbox);
closeOnSignal(() => sandbox.close());
