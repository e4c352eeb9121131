/**
 * The ServiceTitan simulator of the sandbox (see `sandbox/simulator.ts`), and its fixed sandbox
 * credentials and ids for tests and connector configuration.
 */
export { createServiceTitanSimulator } from './sandbox/simulator.js';
/** The sandbox credentials and fixed ids (booking provider, application guid, API user). */
export { SERVICETITAN_SANDBOX } from './sandbox/constants.js';
