/**
 * The Astea Alliance simulator: Supergood's unofficial Astea Alliance REST API as its page documents
 * it (session sign-in with tenant and TOTP, work order list, dispatch assignments, parts and labor
 * consumptions), plus the reads the graph needs in the same style, over the sandbox data set.
 */
import { randomUUID } from 'node:crypto';
import { type SimulatorFactory, type VendorSimulator } from '../sandbox/kit.js';
import { SESSION_SECURITY, sessionVendorInfo, sessionAuth, supergoodErrors, type SessionCredentials } from '../sandbox/supergood.js';
import { asteaRoutes } from './sandbox/routes.js';
import { ActionBody } from './sandbox/schemas.js';
import { AsteaState } from './sandbox/state.js';

/** The integration id in the sandbox base URL (`/astea/integrations/int_astea_sandbox`). */
export const ASTEA_INTEGRATION_ID = 'int_astea_sandbox';

/** Sandbox credentials of the Astea integration (not secret: `/_sandbox` lists them). */
export const ASTEA_SANDBOX_CREDENTIALS: SessionCredentials = {
  integrationId: ASTEA_INTEGRATION_ID,
  clientId: 'astea-sandbox-client',
  clientSecret: 'astea-sandbox-secret',
  username: 'dispatcher@fieldgraph.test',
  password: 'sandbox-password',
  tenant: 'global-services',
  user: { id: 'u_72c19f', name: 'Service Dispatcher', entitlements: ['customers', 'workOrders', 'dispatch', 'inventory'] },
};

/**
 * Creates the Astea Alliance simulator over `ctx.dataset.vendors.astea`. Writes live in memory
 * until `reset()`. Sandbox actions (`en-route`, `on-site`, `complete`, body `{id}` = work order
 * id) stand for the technician's status changes in the field; `complete` bills the pending
 * consumptions on a new invoice. Each answers `{workOrder, assignments, invoice}` or the vendor's
 * error body (404, 409).
 */
export const createAsteaSimulator: SimulatorFactory = (ctx) => {
  const creds = ASTEA_SANDBOX_CREDENTIALS;
  const basePath = `/astea/integrations/${creds.integrationId}`;
  const auth = sessionAuth('astea', creds, ctx);
  let state = new AsteaState(ctx.dataset.vendors.astea, ctx);

  const action = (to: 'en_route' | 'on_site' | 'completed') => (body: unknown) => {
    const req = { requestId: randomUUID() };
    const parsed = ActionBody.safeParse(body);
    if (!parsed.success) {
      throw supergoodErrors.validation(
        parsed.error.issues.map((i) => ({ field: i.path.length ? i.path.map(String).join('.') : 'body', message: i.message })),
        req,
      );
    }
    const { workOrder, invoice } = state.fieldStatus(parsed.data.id, to, req);
    return {
      workOrder: state.renderWorkOrderDetail(workOrder),
      assignments: state.assignmentsOf(workOrder.id).map((a) => state.renderAssignment(a)),
      invoice: invoice ? state.renderInvoice(invoice) : null,
    };
  };

  const sim: VendorSimulator = {
    key: 'astea',
    title: 'Astea Alliance',
    description:
      'Simulator of the Astea Alliance API that Supergood operates (unofficial REST over the Alliance portal): sessions with tenant and TOTP MFA, ' +
      'work orders, dispatch assignments, parts and labor consumptions, customers and sites, installed base, contracts, technicians and invoices. ' +
      'Lists are `{items, page, pageSize, total}` ordered by id; errors are `{error: {code, message, details}, requestId}`.',
    basePath,
    routes: [...auth.routes, ...asteaRoutes(() => state)],
    errors: supergoodErrors,
    authenticate: auth.authenticate,
    tokens: [auth.tokens],
    security: SESSION_SECURITY,
    info: sessionVendorInfo('astea', 'Astea Alliance', basePath, creds, ctx),
    actions: {
      'en-route': action('en_route'),
      'on-site': action('on_site'),
      complete: action('completed'),
    },
    reset: () => {
      state = new AsteaState(ctx.dataset.vendors.astea, ctx);
    },
  };
  return sim;
};
