/**
 * The gateway as `npm start` runs it: in sandbox mode the sandbox first (the five simulators on
 * 127.0.0.1) and the GraphQL server wired to it; in live mode the GraphQL server over the
 * configured vendor connections. Prints where everything is and a query to try.
 */
import { sandboxConnections } from '../connectors/registry.js';
import { runSandbox } from '../connectors/sandbox/cli.js';
import type { Sandbox } from '../connectors/sandbox/server.js';
import { VENDOR_KEYS, type VendorKey } from '../connectors/vendors.js';
import type { Config } from './config.js';
import { generateApiKey, hashApiKey } from './auth/credentials.js';
import { openCacheBackend, type OpenedCache } from './cache/open.js';
import { openIdentityService, type IdentityService } from './identity/service.js';
import { DEFAULT_TENANT, toGlobalId } from './ids.js';
import { createMutationServices } from './mutations/services.js';
import { createLogger, loggerFor, type Logger } from './observability/log.js';
import { createServer, GRAPHQL_PATH, type FieldGraphServer } from './server.js';
import { createLimits, type Limits } from './limits/index.js';

/** A running gateway. */
export interface Gateway {
  /** The sandbox, in sandbox mode. */
  sandbox: Sandbox | undefined;
  server: FieldGraphServer;
  /** The GraphQL endpoint, e.g. `http://127.0.0.1:4000/graphql`. */
  url: string;
  /** Stops the server, then the sandbox. */
  close(): Promise<void>;
}

/** The job graph of one work order, as frontends ask for it: its customer, location, units, visits, invoices and claims. */
export const JOB_GRAPH_FIELDS = `number status priority
      source { system id }
      customer { id name email phone memberships { nodes { id status planName } } }
      location { id address { line1 city region postalCode country } }
      equipment { id model serialNumber warranty { covered expiresOn } }
      appointments { nodes { id status window { start end } technicians { id name } } }
      invoices { nodes { id number total { amount currency } balance { amount currency } } }
      claims { nodes { id status total { amount currency } } }`;

/** The job graph of the work orders whose global ids are in `$ids`. */
export const JOB_GRAPH_QUERY = `query JobGraph($ids: [ID!]!) {
  nodes(ids: $ids) {
    id
    ... on WorkOrder {
      ${JOB_GRAPH_FIELDS}
    }
  }
}
`;

/** A job-graph query over `ids` (work order global ids): what frontends ask for. */
export function exampleQuery(ids: readonly string[]): string {
  return `# A job graph across the source systems. Every object has a global id: try node(id: ...).
query JobGraph {
  nodes(ids: [${ids.map((id) => JSON.stringify(id)).join(', ')}]) {
    id
    ... on WorkOrder {
      ${JOB_GRAPH_FIELDS}
    }
  }
}
`;
}

/** Global ids of the first work order of each vendor of the sandbox's data set. */
function sampleWorkOrderIds(sandbox: Sandbox): string[] {
  return VENDOR_KEYS.flatMap((vendor: VendorKey) => {
    const wo = sandbox.dataset.vendors[vendor].workOrders[0];
    return wo ? [toGlobalId('WorkOrder', { system: vendor, id: wo.id })] : [];
  });
}

/**
 * Starts the gateway described by `config` and prints its URLs and an example query with `log`;
 * `logger` is the process's JSON logger (default: at the configured level, on stdout).
 * Throws when a vendor connection is invalid or a port is taken (after closing what it started).
 */
export async function startGateway(
  config: Config,
  log: (line: string) => void = console.log,
  logger: Logger = createLogger({ level: config.server.logLevel }),
): Promise<Gateway> {
  const sandbox = config.mode === 'sandbox' ? await runSandbox(config.sandbox, log) : undefined;
  let cache: OpenedCache | undefined;
  let server: FieldGraphServer | undefined;
  let identity: IdentityService | undefined;
  let limits: Limits | undefined;
  try {
    const connections = sandbox ? sandboxConnections(Object.values(sandbox.simulators).map((sim) => sim!.info(sandbox.origin))) : config.vendors;
    // Live data is not known in advance: the query then waits for ids a client has seen.
    const ids = sandbox ? sampleWorkOrderIds(sandbox) : [];
    const query = exampleQuery(ids);
    // Idempotency records in Redis or the data directory, routing rules and vendor settings.
    const mutations = createMutationServices({
      store: config.store,
      routing: config.routing,
      vendorSettings: config.vendorSettings,
      log: (message, error) => loggerFor(logger).error({ err: error }, message),
    });
    // Who may call: the configured keys and JWTs, the automation admin key, and in sandbox mode a
    // development key made now and printed below (admin of the default tenant).
    const devKey = sandbox && config.auth.devKey ? generateApiKey() : undefined;
    const apiKeys = [
      ...config.auth.apiKeys,
      ...(config.auth.adminKey ? [{ name: 'admin', hash: hashApiKey(config.auth.adminKey), tenant: DEFAULT_TENANT, roles: ['admin' as const] }] : []),
      ...(devKey ? [{ name: 'dev', hash: hashApiKey(devKey), tenant: DEFAULT_TENANT, roles: ['admin' as const] }] : []),
    ];
    if (apiKeys.length === 0 && !config.auth.jwt) log('No API key or JWT key set is configured: every request will be refused (see README, Configuration).');
    cache = config.cache.enabled ? await openCacheBackend(config) : undefined;
    // Cross-vendor identity: the link index, built and kept fresh by an incremental sync.
    identity = config.identity.enabled
      ? await openIdentityService({
          store: config.store,
          // The server's connectors, so that the sync's calls show in /metrics like any other.
          connectors: () => {
            if (!server) throw new Error('the identity sync ran before the server existed');
            return server.connectors();
          },
          refreshSeconds: config.identity.refreshSeconds,
          log: (message, error) => (error ? loggerFor(logger).warn({ err: error }, message) : loggerFor(logger).info(message)),
        })
      : undefined;
    // Limits before execution; the cost budgets in Redis when there is one, so instances share them.
    limits = createLimits(config.limits, {
      redisUrl: config.store.redisUrl,
      onRefusal: (code) => loggerFor(logger).info({ code }, 'request refused by the limits'),
      onBudgetError: (error) => loggerFor(logger).warn({ err: error }, 'cost budget store failed; request runs under the other limits'),
    });
    server = await createServer({
      auth: { apiKeys, ...(config.auth.jwt ? { jwt: config.auth.jwt } : {}) },
      // The IDE page needs no credential to load: it carries the key only where no one else can load it.
      ...(devKey && isLoopback(config.server.host) ? { ideHeaders: { authorization: `Bearer ${devKey}` } } : {}),
      ...(cache ? { sharedCache: { keyv: cache.keyv, ttlSeconds: config.cache.ttlSeconds } } : {}),
      tenants: config.tenants,
      ...(identity ? { identity: { indexFor: identity.indexFor, systemOrder: config.identity.systemOrder } } : {}),
      webhookSecrets: config.webhooks,
      limits,
      connections,
      introspection: config.server.introspection,
      exampleQuery: query,
      mutations,
      vendorSettings: config.vendorSettings,
      logger,
      drainTimeoutMs: config.server.drainTimeoutMs,
    });
    const origin = await server.listen(config.server.port, config.server.host);
    // Builds the link index at start (incremental when it exists), then every refreshSeconds.
    if (identity && config.identity.refreshSeconds > 0) void identity.refresh();
    const url = `${origin}${GRAPHQL_PATH}`;
    log(`FieldGraph GraphQL on ${url} (open it in a browser for the IDE; vendors: ${Object.keys(connections).join(', ') || 'none'})`);
    if (devKey) log(`Development key (admin of the default tenant, valid until this process stops; ${isLoopback(config.server.host) ? 'the IDE sends it' : 'enter it in the IDE\'s headers: the server listens beyond this machine'}):\n  Authorization: Bearer ${devKey}`);
    log('Example query (also preloaded in the IDE):');
    log(query);
    if (ids.length > 0) {
      const body = JSON.stringify({ query: `{ nodes(ids: ${JSON.stringify(ids)}) { id __typename ... on WorkOrder { number status } } }` });
      const auth = devKey ? ` -H 'authorization: Bearer ${devKey}'` : '';
      log(`Or from a shell:\n  curl -s ${url} -H 'content-type: application/json'${auth} -d '${body}'`);
    }
    const built = server;
    return {
      sandbox,
      server: built,
      url,
      close: async () => {
        await built.close();
        await mutations.close();
        await cache?.close();
        await limits?.close();
        await identity?.close();
        await sandbox?.close();
      },
    };
  } catch (e) {
    await server?.close();
    await cache?.close();
    await limits?.close();
    await identity?.close();
    await sandbox?.close();
    throw e;
  }
}

/** True for a host that only this machine can reach (`127.0.0.0/8`, `::1`, `localhost`). */
function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
