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
import { guardConnectors, readRefusal } from './auth/policy.js';
import type { Principal } from './auth/principal.js';
import { cacheConnectors, type SharedCache } from './cache/shared.js';
import { DEFAULT_TENANT } from './ids.js';
import type { LinkIndex } from './identity/index.js';
import { createRequestIdentity, type RequestIdentity } from './loaders/identity.js';

/** What every resolver receives. */
export interface Context {
  /** Who is asking: every path to the data reads its tenant and roles from here. */
  principal: Principal;
  /** The shared cache the connectors read through, when it is on (the mutations invalidate it). */
  cache: SharedCache | undefined;
  /** Cross-vendor identity: the entity of a record, the unified view of customers and units. */
  identity: RequestIdentity;
  /** The tenant's link index, for the link mutations (absent: identity is off). */
  linkIndex: LinkIndex | undefined;
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
  /** The request's `Idempotency-Key` HTTP header, if any. */
  idempotencyKeyHeader: string | undefined;
}

/** What the HTTP request tells the context. */
export interface RequestInfo {
  /** The `Idempotency-Key` header. */
  idempotencyKey?: string | undefined;
  /** The authenticated caller (default: {@link SYSTEM_PRINCIPAL}, for code that runs outside a request). */
  principal?: Principal;
}

/** The principal of work the gateway does for itself (not a request): admin of the default tenant. */
const SYSTEM_PRINCIPAL: Principal = { id: 'system', tenant: DEFAULT_TENANT, roles: ['admin'], via: 'api-key' };

/** How contexts are built; fixed when the server starts. */
export interface ContextOptions {
  /** Vendor connections (base URLs and credentials) of the default tenant, by vendor, as `createConnectors` takes them. */
  connections: Partial<Record<VendorKey, unknown>>;
  /** The vendor connections of further tenants, by tenant name. A principal's requests use only its own tenant's. */
  tenants?: Record<string, Partial<Record<VendorKey, unknown>>>;
  /** The shared cache of vendor records (absent: none). */
  cache?: SharedCache;
  /** Cross-vendor identity: the link index of each tenant and the systems' precedence (absent: every record is its own node). */
  identity?: IdentityOptions;
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

/** Cross-vendor identity for the contexts of a server. */
export interface IdentityOptions {
  /** The link index of `tenant` (undefined: that tenant has none). */
  indexFor(tenant: string): LinkIndex | undefined;
  /** System order of scalar precedence on unified nodes (default: ServiceTitan, Sera, Astea, ServicePower, Field Nation). */
  systemOrder?: readonly VendorKey[];
}

let defaultServices: MutationServices | undefined;

/** The connectors of `tenant`, each with its system's settings (a request's, or the gateway's own work). */
export function connectorsOf(options: ContextOptions, tenant: string): Connectors {
  if (options.connectorsFor) return options.connectorsFor();
  const connections = tenant === DEFAULT_TENANT ? options.connections : (options.tenants?.[tenant] ?? {});
  if (!options.vendorSettings) return createConnectors(connections, options.connectorOptions);
  const out: Connectors = {};
  for (const [vendor, connection] of Object.entries(connections) as Array<[VendorKey, unknown]>) {
    const settings = { ...(options.connectorOptions?.settings ?? {}), ...(options.vendorSettings[vendor] ?? {}) };
    Object.assign(out, createConnectors({ [vendor]: connection }, { ...options.connectorOptions, settings }));
  }
  return out;
}

/**
 * Builds the context of one request for `request.principal`: connectors for its tenant's vendors
 * (connection objects are checked by each connector's schema; throws when one is invalid), read
 * through the shared cache and guarded by the principal's roles, fresh loaders, and what mutations
 * need (the request's `Idempotency-Key` header from `request`).
 */
export function createContext(options: ContextOptions, request: RequestInfo = {}): Context {
  const principal = request.principal ?? SYSTEM_PRINCIPAL;
  const own = connectorsOf(options, principal.tenant);
  // Authorization outside the cache: a refused read neither calls the vendor nor reads the cache.
  const connectors = guardConnectors(options.cache ? cacheConnectors(own, options.cache, principal.tenant) : own, principal);
  const services = options.mutations ?? (defaultServices ??= createMutationServices());
  const loaders = createLoaders(connectors, {
    enabled: options.loaders ?? true,
    ...(options.onLoaderBatch ? { onBatch: options.onLoaderBatch } : {}),
    refuse: (kind) => readRefusal(principal, kind),
  });
  const linkIndex = options.identity?.indexFor(principal.tenant);
  return {
    principal,
    cache: options.cache,
    identity: createRequestIdentity({
      index: linkIndex,
      tenant: principal.tenant,
      loaders,
      ...(options.identity?.systemOrder ? { systemOrder: options.identity.systemOrder } : {}),
    }),
    linkIndex,
    connectors,
    loaders,
    sideErrors: [],
    mutations: { services, idempotencyKeyHeader: request.idempotencyKey },
  };
}
