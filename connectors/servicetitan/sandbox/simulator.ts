/**
 * The ServiceTitan simulator: assembles auth, the route modules, the per-tenant stores and the
 * sandbox actions into a {@link VendorSimulator} served under `/servicetitan`.
 */
import { randomUUID } from 'node:crypto';
import type { SimContext, SimulatorFactory, VendorSimulator } from '../../sandbox/kit.js';
import { accountingRoutes } from './accounting.js';
import { serviceTitanActions } from './actions.js';
import { createAuth } from './auth.js';
import { API_REQUESTS_PER_SECOND, SERVICETITAN_SANDBOX } from './constants.js';
import { crmRoutes } from './crm.js';
import { dispatchRoutes } from './dispatch.js';
import { problem, serviceTitanErrors } from './errors.js';
import { exportRoutes } from './export.js';
import type { SimState } from './http.js';
import { jpmRoutes } from './jpm.js';
import { membershipRoutes } from './memberships.js';
import { settingsRoutes } from './settings.js';
import { buildTenantStore, newSequences, tagTypesFor, type TenantStore } from './store.js';

const EMPTY = { customers: [], locations: [], equipment: [], technicians: [], workOrders: [], appointments: [], invoices: [], memberships: [], claims: [] };

/**
 * Creates the ServiceTitan simulator over `ctx.dataset.vendors.servicetitan` (tenant 1000000001;
 * tenant 1000000002 starts empty). State lives in memory until `reset()`.
 */
export const createServiceTitanSimulator: SimulatorFactory = (ctx: SimContext): VendorSimulator => {
  const auth = createAuth(ctx);
  let stores = new Map<string, TenantStore>();

  const build = (): void => {
    const seq = newSequences();
    const data = ctx.dataset.vendors.servicetitan;
    const tagTypes = tagTypesFor(data);
    stores = new Map(
      SERVICETITAN_SANDBOX.tenants.map((t) => [t.tenant, buildTenantStore(t.tenant, t.tenant === SERVICETITAN_SANDBOX.dataTenant ? data : EMPTY, seq, tagTypes)]),
    );
  };
  build();

  const state: SimState = {
    store: (tenant) => {
      const s = stores.get(tenant);
      if (!s) throw problem(404, `Tenant ${tenant} was not found.`, { requestId: randomUUID() });
      return s;
    },
    now: () => ctx.now(),
  };

  return {
    key: 'servicetitan',
    title: 'ServiceTitan',
    description:
      'Simulator of the ServiceTitan public REST API v2: OAuth 2.0 client credentials (900 s tokens) plus the ST-App-Key header, ' +
      'paths /{module}/v2/tenant/{tenant}/…, {page, pageSize, hasMore, totalCount, data} lists (ids= at most 50, pageSize at most 500), ' +
      'RFC 7807 errors, 60 requests/s per app and tenant, export feeds with continueFrom tokens.',
    basePath: '/servicetitan',
    routes: [
      auth.tokenRoute,
      ...crmRoutes(state),
      ...jpmRoutes(state),
      ...dispatchRoutes(state),
      ...settingsRoutes(state),
      ...accountingRoutes(state),
      ...membershipRoutes(state),
      ...exportRoutes(state),
    ],
    errors: serviceTitanErrors,
    authenticate: auth.authenticate,
    builtInRateLimit: {
      limit: API_REQUESTS_PER_SECOND,
      windowMs: 1000,
      // ST-FAQ: the limit is per application (app key) and tenant.
      key: (req) => (req.params.tenant !== undefined ? `${String(req.headers['st-app-key'] ?? '')}|${req.params.tenant}` : undefined),
    },
    tokens: [auth.tokens],
    info: (origin) => ({
      key: 'servicetitan',
      title: 'ServiceTitan',
      baseUrl: `${origin}/servicetitan`,
      openapiUrl: `${origin}/servicetitan/openapi.json`,
      auth: {
        type: 'client_credentials',
        tokenUrl: `${origin}/servicetitan/connect/token`,
        apiBaseUrl: `${origin}/servicetitan`,
        clientId: SERVICETITAN_SANDBOX.tenants[0].clientId,
        clientSecret: SERVICETITAN_SANDBOX.tenants[0].clientSecret,
        appKey: SERVICETITAN_SANDBOX.appKey,
        tenant: SERVICETITAN_SANDBOX.tenants[0].tenant,
        // The app's guid scopes the externalData it writes and reads back.
        applicationGuid: SERVICETITAN_SANDBOX.applicationGuid,
      },
    }),
    security: {
      schemes: {
        bearerToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Access token from POST /connect/token (client_credentials).' },
        appKey: { type: 'apiKey', in: 'header', name: 'ST-App-Key', description: 'The application key; required on every API call.' },
      },
      default: [{ bearerToken: [], appKey: [] }],
    },
    actions: serviceTitanActions(state),
    reset: () => {
      build();
      auth.throttle.clear();
    },
  };
};
