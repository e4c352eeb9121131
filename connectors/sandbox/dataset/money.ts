/** Exact money for the generator and the simulators: the model's own helpers. */
export { fromCents, mulDiv, toCents } from '../../../src/model/money.js';
