/** The five vendor simulators, by vendor key. */
import type { VendorKey } from '../vendors.js';
import type { SimulatorFactory } from './kit.js';
import { createServiceTitanSimulator } from '../servicetitan/sandbox.js';
import { createFieldNationSimulator } from '../fieldnation/sandbox.js';
import { createServicePowerSimulator } from '../servicepower/sandbox.js';
import { createSeraSimulator } from '../sera/sandbox.js';
import { createAsteaSimulator } from '../astea/sandbox.js';

export const SIMULATORS: Record<VendorKey, SimulatorFactory> = {
  servicetitan: createServiceTitanSimulator,
  fieldnation: createFieldNationSimulator,
  servicepower: createServicePowerSimulator,
  sera: createSeraSimulator,
  astea: createAsteaSimulator,
};
