/**
 * The gateway for tests of writes: a sandbox (or a given one) and the GraphQL server on 127.0.0.1
 * port 0 with the sandbox's vendor settings, default routing and a key-value store of its own (a
 * fresh data directory, or Redis), queried over real HTTP with graphql-request. Also: counting the
 * vendor writes the sandbox saw, and picking technicians the dispatch checks accept.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GraphQLClient } from 'graphql-request';
import { sandboxConnections } from '../../connectors/registry.js';
import type { GenTechnician, GenWorkOrder } from '../../connectors/sandbox/dataset/types.js';
import type { VendorInfo } from '../../connectors/sandbox/kit.js';
import type { Sandbox } from '../../connectors/sandbox/server.js';
import type { StatsSnapshot } from '../../connectors/sandbox/stats.js';
import type { ConnectorOptions } from '../../connectors/types.js';
import { VENDOR_KEYS, type VendorKey } from '../../connectors/vendors.js';
import { RoutingConfigSchema, SANDBOX_VENDOR_SETTINGS, type RoutingConfig, type VendorSettings } from '../../src/config.js';
import { regionOf, skillOf } from '../../src/mutations/rules.js';
import { createMutationServices, type MutationServices } from '../../src/mutations/services.js';
import { createServer, type FieldGraphServer, type ServerOptions } from '../../src/server.js';
import { startTestSandbox } from './sandbox.js';
import { OPEN_AUTH } from './auth.js';
import type { AuthOptions } from '../../src/auth/http.js';

/** A running gateway over a sandbox. */
export interface TestGateway {
  sandbox: Sandbox;
  server: FieldGraphServer;
  services: MutationServices;
  /** `http://127.0.0.1:<port>/graphql` */
  url: string;
  /** graphql-request client; errors come back in `errors` (`errorPolicy: 'all'`). */
  client: GraphQLClient;
  connections: Partial<Record<VendorKey, unknown>>;
  dataDir: string;
  /** Stops the server (and the sandbox when it started it); removes a data directory it made. */
  close(): Promise<void>;
}

/** Options of {@link startTestGateway}. */
export interface TestGatewayOptions {
  /** Who may call (default: requests without credentials act as an admin of the default tenant). */
  auth?: AuthOptions;
  /** Further tenants, each with its own connections to the same sandbox. */
  tenants?: string[];
  /** A shared cache backend (default none). */
  sharedCache?: ServerOptions['sharedCache'];
  /** Secrets of vendor webhooks (default none). */
  webhookSecrets?: ServerOptions['webhookSecrets'];
  /** Cross-vendor identity (default none: every record is its own node). */
  identity?: ServerOptions['identity'];
  /** A running sandbox to use (default: a new one, closed with the gateway). */
  sandbox?: Sandbox;
  /** The store's data directory (default: a new temporary one, removed on close). */
  dataDir?: string;
  /** Redis instead of the file store. */
  redisUrl?: string;
  /** Changes to the sandbox connections (e.g. a higher client-side rate limit). */
  patchConnections?: (connections: Partial<Record<VendorKey, unknown>>) => Partial<Record<VendorKey, unknown>>;
  connectorOptions?: ConnectorOptions;
  routing?: RoutingConfig;
  /** Seconds a duplicate waits for the first request. */
  waitSeconds?: number;
  leaseSeconds?: number;
}

/** The sandbox's vendor settings, as the configuration gives them in sandbox mode. */
export const TEST_VENDOR_SETTINGS: VendorSettings = SANDBOX_VENDOR_SETTINGS;

/** The default routing (the sandbox business). */
export const TEST_ROUTING: RoutingConfig = RoutingConfigSchema.parse({});

/** Starts a gateway; see {@link TestGatewayOptions}. */
export async function startTestGateway(options: TestGatewayOptions = {}): Promise<TestGateway> {
  const sandbox = options.sandbox ?? (await startTestSandbox());
  const index = (await (await fetch(`${sandbox.origin}/_sandbox`)).json()) as { vendors: VendorInfo[] };
  let connections = sandboxConnections(index.vendors);
  if (options.patchConnections) connections = options.patchConnections(connections);
  const ownDir = options.dataDir === undefined && options.redisUrl === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'fieldgraph-store-'));
  const services = createMutationServices({
    store: {
      dataDir,
      ...(options.redisUrl ? { redisUrl: options.redisUrl } : {}),
      ...(options.waitSeconds !== undefined ? { waitSeconds: options.waitSeconds } : {}),
      ...(options.leaseSeconds !== undefined ? { leaseSeconds: options.leaseSeconds } : {}),
    },
    routing: options.routing ?? TEST_ROUTING,
    vendorSettings: TEST_VENDOR_SETTINGS,
    log: () => {},
  });
  const server = await createServer({
    auth: options.auth ?? OPEN_AUTH,
    connections,
    ...(options.tenants ? { tenants: Object.fromEntries(options.tenants.map((t) => [t, connections])) } : {}),
    ...(options.sharedCache ? { sharedCache: options.sharedCache } : {}),
    ...(options.webhookSecrets ? { webhookSecrets: options.webhookSecrets } : {}),
    ...(options.identity ? { identity: options.identity } : {}),
    mutations: services,
    vendorSettings: TEST_VENDOR_SETTINGS,
    ...(options.connectorOptions ? { connectorOptions: options.connectorOptions } : {}),
    log: () => {},
  });
  const origin = await server.listen(0);
  const url = `${origin}/graphql`;
  return {
    sandbox,
    server,
    services,
    url,
    client: new GraphQLClient(url, { errorPolicy: 'all' }),
    connections,
    dataDir,
    close: async () => {
      await server.close();
      await services.close();
      if (!options.sandbox) await sandbox.close();
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Sign-in endpoints: POSTs that write nothing. */
const AUTH = /\/(sessions|sessions\/refresh|connect\/token|oauth\/token|authentication\/api\/oauth\/token)$/;

/** Writes (POST, PUT, PATCH, DELETE other than sign-ins) per vendor and endpoint in a stats snapshot. */
export function writesOf(snapshot: StatsSnapshot): Record<VendorKey, Record<string, number>> {
  return Object.fromEntries(
    VENDOR_KEYS.map((v) => [
      v,
      Object.fromEntries(
        Object.entries(snapshot.vendors[v]?.endpoints ?? {}).filter(([e]) => /^(POST|PUT|PATCH|DELETE) /.test(e) && !AUTH.test(e)).map(([e, s]) => [e, s.count]),
      ),
    ]),
  ) as Record<VendorKey, Record<string, number>>;
}

/** The sandbox's request stats. */
export async function sandboxStats(sandbox: Sandbox): Promise<StatsSnapshot> {
  return (await (await fetch(`${sandbox.origin}/_sandbox/stats`)).json()) as StatsSnapshot;
}

/** Resets the sandbox's request counts (not its data). */
export async function resetStats(sandbox: Sandbox): Promise<void> {
  await fetch(`${sandbox.origin}/_sandbox/reset`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
}

/** A sandbox action (`servicepower/complete`, …). */
export async function sandboxAction(sandbox: Sandbox, vendor: VendorKey, action: string, body: unknown): Promise<unknown> {
  const res = await fetch(`${sandbox.origin}/_sandbox/actions/${vendor}/${action}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`sandbox action ${vendor}/${action}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** A window of `hours` starting at `hour`:00 UTC, `days` after 2027-03-01 (beyond the data set: nobody is booked). */
export function futureWindow(days: number, hour = 14, hours = 2): { start: string; end: string } {
  const start = new Date(Date.UTC(2027, 2, 1 + days, hour));
  const iso = (d: Date) => `${d.toISOString().slice(0, 19)}Z`;
  return { start: iso(start), end: iso(new Date(start.getTime() + hours * 3_600_000)) };
}

/** The data set's technicians of `vendor` that the dispatch checks accept for `wo` (skill and region; all are free in future windows). */
export function qualifiedTechnicians(sandbox: Sandbox, vendor: VendorKey, wo: GenWorkOrder): GenTechnician[] {
  const d = sandbox.dataset.vendors[vendor];
  const location = d.locations.find((l) => l.id === wo.locationId);
  const units = wo.equipmentIds.map((id) => d.equipment.find((e) => e.id === id)).filter((e) => e !== undefined);
  const skill = skillOf({ equipmentTypes: units.map((u) => u.type), serviceType: wo.serviceType }, TEST_ROUTING);
  const region = regionOf(location ? { ...location.address, country: 'US' } : undefined, TEST_ROUTING);
  return d.technicians.filter((t) => t.active && (!skill || t.skills.includes(skill)) && (!region || t.region === region));
}
