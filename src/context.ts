/**
 * The per-request context of resolvers: the request's connectors and its DataLoaders. Built anew
 * for every operation (style guide §18): nothing tied to a request outlives it.
 */
import { createConnectors } from '../connectors/registry.js';
import type { ConnectorOptions, VendorKey } from '../connectors/types.js';
import { createLoaders, type Connectors, type Loaders } from './loaders/index.js';

/** What every resolver receives. */
export interface Context {
  /** The connectors of this request, by vendor (only the configured ones). */
  connectors: Connectors;
  /** The DataLoaders of this request. */
  loaders: Loaders;
}

/** How contexts are built; fixed when the server starts. */
export interface ContextOptions {
  /** Vendor connections (base URLs and credentials) by vendor, as `createConnectors` takes them. */
  connections: Partial<Record<VendorKey, unknown>>;
  /**
   * Builds the connectors of a request instead of `createConnectors(connections)`: for tests with
   * fake connectors.
   */
  connectorsFor?: () => Connectors;
  /** Timeouts, retries and hooks of the connectors. */
  connectorOptions?: ConnectorOptions;
  /**
   * Debug switch: `false` turns the loaders' batching and caching off, to measure what they save.
   * Default true.
   */
  loaders?: boolean;
}

/**
 * Builds the context of one request: connectors for the configured vendors (connection objects
 * are checked by each connector's schema; throws when one is invalid) and fresh loaders.
 */
export function createContext(options: ContextOptions): Context {
  const connectors = options.connectorsFor ? options.connectorsFor() : createConnectors(options.connections, options.connectorOptions);
  return { connectors, loaders: createLoaders(connectors, { enabled: options.loaders ?? true }) };
}
