/**
 * The per-request context of resolvers: the request's connectors and its DataLoaders. Built anew
 * for every operation (style guide §18): nothing tied to a request outlives it.
 */
import type { Path } from 'graphql/jsutils/Path.js';
import { createConnectors } from '../connectors/registry.js';
import type { ConnectorOptions, VendorKey } from '../connectors/types.js';
import { createLoaders, type Connectors, type Loaders } from './loaders/index.js';
import type { VendorSettings } from './config.js';
import { createMutationServices, type MutationServices } from './mutations/services.js';

/** What every resolver receives. */
export interface Context {
  /** The connectors of this request, by vendor (only the configured ones). */
  connectors: Connectors;
  /** The DataLoaders of this request. */
  loaders: Loaders;
  /**
   * Failures to report beside data that still answers (a root list whose other systems answered),
   * each at the path of the field it concerns; added to the response's `errors` when it is sent.
   */
  sideErrors: Array<{ error: unknown; path: Path }>;
  /** What mutations need: the shared services, and this request's caller and `Idempotency-Key` header. */
  mutations: RequestMutations;
}

/** The mutation side of a request's context. */
export interface RequestMutations {
  /** Idempotency store, routing and vendor settings, shared by every request. */
  services: MutationServices;
  /** Who is calling, for the scope of idempotency keys (`anonymous` until authentication exists). */
  principal: string;
  /** The request's `Idempotency-Key` HTTP header, if any. */
  idempotencyKeyHeader: string | undefined;
}

/** What the HTTP request tells the context. */
export interface RequestInfo {
  /** The `Idempotency-Key` header. */
  idempotencyKey?: string | undefined;
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
  /** Called with the loader's name and the keys of every DataLoader batch (the server's metrics). */
  onLoaderBatch?: (loader: string, size: number) => void;
  /** The mutations' shared services (default: the configuration's defaults, store opened on first use). */
  mutations?: MutationServices;
  /** Per-system connector settings (`options.settings` of each connector), over `connectorOptions.settings`. */
  vendorSettings?: VendorSettings;
}

let defaultServices: MutationServices | undefined;

/** The connectors of a request, each with its system's settings. */
function connectorsOf(options: ContextOptions): Connectors {
  if (options.connectorsFor) return options.connectorsFor();
  if (!options.vendorSettings) return createConnectors(options.connections, options.connectorOptions);
  const out: Connectors = {};
  for (const [vendor, connection] of Object.entries(options.connections) as Array<[VendorKey, unknown]>) {
    const settings = { ...(options.connectorOptions?.settings ?? {}), ...(options.vendorSettings[vendor] ?? {}) };
    Object.assign(out, createConnectors({ [vendor]: connection }, { ...options.connectorOptions, settings }));
  }
  return out;
}

/**
 * Builds the context of one request: connectors for the configured vendors (connection objects
 * are checked by each connector's schema; throws when one is invalid), fresh loaders, and what
 * mutations need (the request's `Idempotency-Key` header from `request`).
 */
export function createContext(options: ContextOptions, request: RequestInfo = {}): Context {
  const connectors = connectorsOf(options);
  const services = options.mutations ?? (defaultServices ??= createMutationServices());
  return {
    connectors,
    loaders: createLoaders(connectors, { enabled: options.loaders ?? true, ...(options.onLoaderBatch ? { onBatch: options.onLoaderBatch } : {}) }),
    sideErrors: [],
    mutations: { services, principal: 'anonymous', idempotencyKeyHeader: request.idempotencyKey },
  };
}
