/**
 * Vendor key -> connector factory, connection schema and sandbox wiring. The only place that
 * lists the five connectors.
 */
import type { z } from 'zod';
import type { VendorInfo } from './sandbox/kit.js';
import type { ConnectorOptions, FieldServiceConnector, WebhookSpec } from './types.js';
import { FIELD_NATION_WEBHOOK } from './fieldnation/webhook.js';
import type { VendorKey } from './vendors.js';
import { AsteaConnectionSchema, connectionFromSandbox as asteaFromSandbox, createAsteaConnector } from './astea/index.js';
import { FieldNationConnectionSchema, connectionFromSandbox as fieldNationFromSandbox, createFieldNationConnector } from './fieldnation/index.js';
import { SeraConnectionSchema, connectionFromSandbox as seraFromSandbox, createSeraConnector } from './sera/index.js';
import { ServicePowerConnectionSchema, connectionFromSandbox as servicePowerFromSandbox, createServicePowerConnector } from './servicepower/index.js';
import { ServiceTitanConnectionSchema, connectionFromSandbox as serviceTitanFromSandbox, createServiceTitanConnector } from './servicetitan/index.js';

/** How to build one vendor's connector. */
export interface ConnectorEntry<C> {
  /** Schema of the vendor connection (base URLs and credentials). */
  schema: z.ZodType<C>;
  /** The connection of the sandbox's simulator of this vendor. */
  fromSandbox(info: VendorInfo): C;
  create(connection: C, options?: ConnectorOptions): FieldServiceConnector;
  /** The vendor's webhook deliveries, when it sends any the gateway can use. */
  webhook?: WebhookSpec;
}

export const CONNECTORS: { [K in VendorKey]: ConnectorEntry<any> } = {
  servicetitan: { schema: ServiceTitanConnectionSchema, fromSandbox: serviceTitanFromSandbox, create: createServiceTitanConnector },
  fieldnation: { schema: FieldNationConnectionSchema, fromSandbox: fieldNationFromSandbox, create: createFieldNationConnector, webhook: FIELD_NATION_WEBHOOK },
  servicepower: { schema: ServicePowerConnectionSchema, fromSandbox: servicePowerFromSandbox, create: createServicePowerConnector },
  sera: { schema: SeraConnectionSchema, fromSandbox: seraFromSandbox, create: createSeraConnector },
  astea: { schema: AsteaConnectionSchema, fromSandbox: asteaFromSandbox, create: createAsteaConnector },
};

/** Builds every configured connector. */
export function createConnectors(
  connections: Partial<Record<VendorKey, unknown>>,
  options: ConnectorOptions = {},
): Partial<Record<VendorKey, FieldServiceConnector>> {
  const out: Partial<Record<VendorKey, FieldServiceConnector>> = {};
  for (const [vendor, connection] of Object.entries(connections) as Array<[VendorKey, unknown]>) {
    if (connection === undefined) continue;
    const entry = CONNECTORS[vendor];
    out[vendor] = entry.create(entry.schema.parse(connection), options);
  }
  return out;
}

/** The connections of every simulator of a running sandbox (`GET /_sandbox`'s `vendors`). */
export function sandboxConnections(vendors: readonly VendorInfo[]): Partial<Record<VendorKey, unknown>> {
  return Object.fromEntries(vendors.map((info) => [info.key, CONNECTORS[info.key].fromSandbox(info)]));
}
