/**
 * The ServicePower simulator: Supergood's unofficial ServicePower REST API (seed
 * `servicepower-api.txt`) over the sandbox data set. Sessions with Basic integration credentials,
 * username, password and a TOTP code; work orders with the documented filters; intake, dispatch
 * and warranty claims with the vendor's rules; and the reads a graph needs in the same style
 * (single GETs, plain `{items, page, pageSize, total}` lists ordered by id). There is no batch
 * look-up (`ids=`): the document lists none, so clients make single GETs.
 */
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { RouteDef, SimContext, SimRequest, SimulatorFactory, VendorSimulator } from '../sandbox/kit.js';
import { errorResponses, listEnvelope, listPage, sessionAuth, supergoodError, SESSION_SECURITY, sessionVendorInfo, supergoodErrors } from '../sandbox/supergood.js';
import {
  ActionBody,
  ClaimQuery,
  ClaimWire,
  CreateClaimBody,
  CreateClaimResponse,
  CreateWorkOrderBody,
  CreateWorkOrderResponse,
  CustomerWire,
  DispatchBody,
  DispatchResponse,
  DispatchWire,
  EquipmentWire,
  LocationWire,
  PagingQuery,
  ProviderWire,
  TechnicianQuery,
  TechnicianWire,
  UpdatedQuery,
  WorkOrderQuery,
  WorkOrderWire,
} from './sandbox/schemas.js';
import { ServicePowerState, type ReqIds, type SpWorkOrder } from './sandbox/state.js';
import type { Table } from './sandbox/table.js';

/** Sandbox credentials of the ServicePower integration (not secret). */
export const SERVICEPOWER_SANDBOX = {
  integrationId: 'int_servicepower_sandbox',
  clientId: 'sp-sandbox-client',
  clientSecret: 'sp-sandbox-secret',
  username: 'dispatcher@fieldgraph.test',
  password: 'sandbox-password',
  user: { id: 'u_fsm728', name: 'Dispatcher', entitlements: ['work_orders', 'scheduling', 'claims'] },
} as const;

const BASE_PATH = `/servicepower/integrations/${SERVICEPOWER_SANDBOX.integrationId}`;

/** Inclusive epoch-ms range from optional ISO bounds. */
function range(from: string | undefined, to: string | undefined): { from?: number; to?: number } | undefined {
  if (!from && !to) return undefined;
  return { ...(from ? { from: Date.parse(from) } : {}), ...(to ? { to: Date.parse(to) } : {}) };
}

/** One page of the ids as wire items. */
function pageOfIds<T, W>(table: Table<T>, ids: readonly string[], page: number, pageSize: number, render: (row: T) => W) {
  const p = listPage(ids, page, pageSize);
  return { ...p, items: p.items.map((id) => render(table.get(id)!)) };
}

/** Builds the ServicePower simulator over `ctx.dataset.vendors.servicepower`. */
export const createServicePowerSimulator: SimulatorFactory = (ctx: SimContext): VendorSimulator => {
  const creds = { ...SERVICEPOWER_SANDBOX, user: { ...SERVICEPOWER_SANDBOX.user, entitlements: [...SERVICEPOWER_SANDBOX.user.entitlements] } };
  const auth = sessionAuth('servicepower', creds, ctx);
  let state = new ServicePowerState(ctx, ctx.dataset.vendors.servicepower);

  const notFound = (what: string, id: string, req: { requestId: string }) => supergoodError(404, 'not_found', `${what} ${id} not found.`, req);

  /** A `GET /<things>/{id}` route. */
  function getOne<T>(
    path: string,
    param: string,
    operationId: string,
    what: string,
    tag: string,
    schema: z.ZodType,
    table: () => Table<T>,
    render: (row: T) => unknown,
  ): RouteDef {
    return {
      method: 'GET',
      path,
      operationId,
      summary: `Get one ${what.toLowerCase()} by id.`,
      tags: [tag],
      pathParams: { [param]: { description: `${what} id.` } },
      responses: { 200: { description: `The ${what.toLowerCase()}.`, schema }, ...errorResponses(401, 404, 429) },
      handler: (req) => {
        const row = table().get(req.params[param]!);
        if (!row) throw notFound(what, req.params[param]!, req);
        return { status: 200, body: render(row) };
      },
    };
  }

  /** A plain list route: paging and `updatedFrom`/`updatedTo`, ordered by id. */
  function listAll<T>(path: string, operationId: string, what: string, tag: string, schema: z.ZodType, table: () => Table<T>, render: (row: T) => unknown): RouteDef {
    return {
      method: 'GET',
      path,
      operationId,
      summary: `List ${what}, ordered by id.`,
      tags: [tag],
      query: UpdatedQuery,
      responses: { 200: { description: `A page of ${what}.`, schema: listEnvelope(schema) }, ...errorResponses(400, 401, 429) },
      handler: (req: SimRequest<z.infer<typeof UpdatedQuery>>) => {
        const q = req.query;
        const ids = table().query({ range: { updated: range(q.updatedFrom, q.updatedTo) } });
        return { status: 200, body: pageOfIds(table(), ids, q.page, q.pageSize, render) };
      },
    };
  }

  const routes: RouteDef[] = [
    ...auth.routes,
    {
      method: 'GET',
      path: '/work-orders',
      operationId: 'listWorkOrders',
      summary: 'List work orders with filters and summary details, ordered by id.',
      description:
        'Filters combine with AND. `scheduledFrom`/`scheduledTo` apply to the appointment window start and `updatedFrom`/`updatedTo` to `updatedAt`; all bounds are inclusive. There is no look-up by a list of ids.',
      tags: ['Work Orders'],
      query: WorkOrderQuery,
      responses: { 200: { description: 'A page of work orders.', schema: listEnvelope(WorkOrderWire) }, ...errorResponses(400, 401, 429) },
      handler: (req: SimRequest<z.infer<typeof WorkOrderQuery>>) => {
        const q = req.query;
        const ids = state.workOrders.query({
          eq: { status: q.status, providerId: q.providerId, region: q.region },
          range: { scheduled: range(q.scheduledFrom, q.scheduledTo), updated: range(q.updatedFrom, q.updatedTo) },
        });
        return { status: 200, body: pageOfIds(state.workOrders, ids, q.page, q.pageSize, (w) => state.workOrderWire(w)) };
      },
    },
    {
      method: 'POST',
      path: '/work-orders',
      operationId: 'createWorkOrder',
      summary: 'Create a new work order with customer, location, equipment and SLA details.',
      description:
        'Embedded customer, location and equipment without ids are registered as new records; with `customerId`, `locationId` or `equipmentId` the existing records are used (422 when they do not exist or do not belong together).',
      tags: ['Work Orders'],
      body: CreateWorkOrderBody,
      responses: { 201: { description: 'The work order was created.', schema: CreateWorkOrderResponse }, ...errorResponses(400, 401, 409, 422, 429) },
      handler: (req: SimRequest<unknown, z.infer<typeof CreateWorkOrderBody>>) => {
          const wo = state.createWorkOrder(req.body, req);
          return { status: 201, body: { workOrderId: wo.id, status: 'new', createdAt: wo.createdAt } };
      },
    },
    getOne('/work-orders/{workOrderId}', 'workOrderId', 'getWorkOrder', 'Work order', 'Work Orders', WorkOrderWire, () => state.workOrders, (w) => state.workOrderWire(w)),
    {
      method: 'POST',
      path: '/work-orders/{workOrderId}/dispatch',
      operationId: 'dispatchWorkOrder',
      summary: 'Assign a technician/provider and set an appointment window, respecting skills and capacity.',
      description:
        '409 `conflict` when the work order is completed or cancelled, when the technician already has an overlapping dispatch, or when the technician is at daily capacity on the route date. 422 `unprocessable` when the provider or technician does not exist, the technician works for another provider, or (with `skillMatch`, the default) lacks the skill for the unit. Earlier open visits of the work order are replaced.',
      tags: ['Dispatch'],
      pathParams: { workOrderId: { description: 'Work order id.' } },
      body: DispatchBody,
      responses: { 201: { description: 'The visit was scheduled.', schema: DispatchResponse }, ...errorResponses(400, 401, 404, 409, 422, 429) },
      handler: (req: SimRequest<unknown, z.infer<typeof DispatchBody>>) => {
          const d = state.dispatch(req.params.workOrderId!, req.body, req);
          return { status: 201, body: { dispatchId: d.id, workOrderId: d.workOrderId, status: 'scheduled', onSiteEta: d.onSiteEta, createdAt: d.createdAt } };
      },
    },
    {
      method: 'GET',
      path: '/work-orders/{workOrderId}/dispatches',
      operationId: 'listWorkOrderDispatches',
      summary: 'List the dispatches (visits) of a work order, ordered by id.',
      tags: ['Dispatch'],
      pathParams: { workOrderId: { description: 'Work order id.' } },
      query: PagingQuery,
      responses: { 200: { description: 'A page of dispatches.', schema: listEnvelope(DispatchWire) }, ...errorResponses(400, 401, 404, 429) },
      handler: (req: SimRequest<z.infer<typeof PagingQuery>>) => {
        const id = req.params.workOrderId!;
        if (!state.workOrders.has(id)) throw notFound('Work order', id, req);
        return { status: 200, body: pageOfIds(state.dispatches, state.dispatchIdsOf(id), req.query.page, req.query.pageSize, (d) => state.dispatchWire(d)) };
      },
    },
    listAll('/dispatches', 'listDispatches', 'dispatches', 'Dispatch', DispatchWire, () => state.dispatches, (d) => state.dispatchWire(d)),
    getOne('/dispatches/{dispatchId}', 'dispatchId', 'getDispatch', 'Dispatch', 'Dispatch', DispatchWire, () => state.dispatches, (d) => state.dispatchWire(d)),
    {
      method: 'GET',
      path: '/claims',
      operationId: 'listClaims',
      summary: 'List claims with their line items and totals, ordered by id.',
      tags: ['Claims'],
      query: ClaimQuery,
      responses: { 200: { description: 'A page of claims.', schema: listEnvelope(ClaimWire) }, ...errorResponses(400, 401, 429) },
      handler: (req: SimRequest<z.infer<typeof ClaimQuery>>) => {
        const q = req.query;
        const ids = state.claims.query({ eq: { workOrderId: q.workOrderId, status: q.status }, range: { updated: range(q.updatedFrom, q.updatedTo) } });
        return { status: 200, body: pageOfIds(state.claims, ids, q.page, q.pageSize, (c) => state.claimWire(c)) };
      },
    },
    {
      method: 'POST',
      path: '/claims',
      operationId: 'submitClaim',
      summary: 'Submit a warranty/service claim with parts and labor line items, linked to a completed work order.',
      description:
        'total = labor minutes / 60 x rate (rounded half up to the cent) + sum(parts quantity x unitCost) + travel + taxes, computed in cents. Travel is paid at 6.5 cents a mile, rounded half up to the cent (12.3 miles -> 0.80); travel time is recorded, not paid. 409 when the work order is not completed or the reference number was already claimed; 422 when the work order does not exist.',
      tags: ['Claims'],
      body: CreateClaimBody,
      responses: { 201: { description: 'The claim was submitted.', schema: CreateClaimResponse }, ...errorResponses(400, 401, 409, 422, 429) },
      handler: (req: SimRequest<unknown, z.infer<typeof CreateClaimBody>>) => {
          const c = state.submitClaim(req.body, req);
          return { status: 201, body: { claimId: c.id, status: 'submitted', workOrderId: c.workOrderId, total: state.claimTotal(c), createdAt: c.createdAt } };
      },
    },
    getOne('/claims/{claimId}', 'claimId', 'getClaim', 'Claim', 'Claims', ClaimWire, () => state.claims, (c) => state.claimWire(c)),
    listAll('/customers', 'listCustomers', 'customers', 'Customers', CustomerWire, () => state.customers, (c) => state.customerWire(c)),
    getOne('/customers/{customerId}', 'customerId', 'getCustomer', 'Customer', 'Customers', CustomerWire, () => state.customers, (c) => state.customerWire(c)),
    listAll('/locations', 'listLocations', 'locations', 'Customers', LocationWire, () => state.locations, (l) => state.locationWire(l)),
    getOne('/locations/{locationId}', 'locationId', 'getLocation', 'Location', 'Customers', LocationWire, () => state.locations, (l) => state.locationWire(l)),
    listAll('/equipment', 'listEquipment', 'equipment', 'Equipment', EquipmentWire, () => state.equipment, (e) => state.equipmentWire(e)),
    getOne('/equipment/{equipmentId}', 'equipmentId', 'getEquipment', 'Equipment', 'Equipment', EquipmentWire, () => state.equipment, (e) => state.equipmentWire(e)),
    {
      method: 'GET',
      path: '/technicians',
      operationId: 'listTechnicians',
      summary: 'List technicians with skills, region, provider and capacity, ordered by id.',
      tags: ['Providers'],
      query: TechnicianQuery,
      responses: { 200: { description: 'A page of technicians.', schema: listEnvelope(TechnicianWire) }, ...errorResponses(400, 401, 429) },
      handler: (req: SimRequest<z.infer<typeof TechnicianQuery>>) => {
        const q = req.query;
        const ids = state.technicians.query({
          eq: { providerId: q.providerId, region: q.region, skill: q.skill },
          range: { updated: range(q.updatedFrom, q.updatedTo) },
        });
        return { status: 200, body: pageOfIds(state.technicians, ids, q.page, q.pageSize, (t) => state.technicianWire(t)) };
      },
    },
    getOne('/technicians/{technicianId}', 'technicianId', 'getTechnician', 'Technician', 'Providers', TechnicianWire, () => state.technicians, (t) => state.technicianWire(t)),
    {
      method: 'GET',
      path: '/providers',
      operationId: 'listProviders',
      summary: 'List service providers (the companies technicians work for), ordered by id.',
      tags: ['Providers'],
      query: PagingQuery,
      responses: { 200: { description: 'A page of providers.', schema: listEnvelope(ProviderWire) }, ...errorResponses(400, 401, 429) },
      handler: (req: SimRequest<z.infer<typeof PagingQuery>>) => ({
        status: 200,
        body: pageOfIds(state.providers, state.providers.query(), req.query.page, req.query.pageSize, (p) => state.providerWire(p)),
      }),
    },
    getOne('/providers/{providerId}', 'providerId', 'getProvider', 'Provider', 'Providers', ProviderWire, () => state.providers, (p) => state.providerWire(p)),
  ];

  /** A sandbox action on one work order (`{id}`), answering the work order as `GET` would. */
  const action = (run: (id: string, req: ReqIds) => SpWorkOrder) => (body: unknown) => {
    const req = { requestId: randomUUID() };
    const parsed = ActionBody.safeParse(body);
    if (!parsed.success) {
      throw supergoodErrors.validation(parsed.error.issues.map((i) => ({ field: i.path.map(String).join('.') || 'body', message: i.message })), req);
    }
    return state.workOrderWire(run(parsed.data.id, req));
  };

  return {
    key: 'servicepower',
    title: 'ServicePower',
    description:
      'Supergood’s unofficial ServicePower REST API: work orders, dispatch, technicians and providers, and warranty claims. Sign in with POST /sessions (Basic integration credentials, username, password and a TOTP code); send the session token as a bearer token. Lists answer {items, page, pageSize, total} ordered by id; there is no batch look-up by ids.',
    basePath: BASE_PATH,
    routes,
    errors: supergoodErrors,
    authenticate: auth.authenticate,
    tokens: [auth.tokens],
    info: sessionVendorInfo('servicepower', 'ServicePower', BASE_PATH, creds, ctx),
    security: SESSION_SECURITY,
    actions: {
      /** The technician arrives: `{id}` of a scheduled or dispatched work order -> in_progress. */
      start: action((id, req) => state.start(id, req)),
      /** The technician finishes: `{id}` of a work order in progress -> completed. */
      complete: action((id, req) => state.complete(id, req)),
    },
    reset: () => {
      state = new ServicePowerState(ctx, ctx.dataset.vendors.servicepower);
    },
  };
};
