/**
 * The Sera simulator: Supergood's unofficial Sera REST API (sessions with MFA, customers, work
 * orders, work order status, memberships) plus the reads that API implies (locations,
 * technicians, invoices, membership plans, pricebook), served over the sandbox's HTTP server.
 *
 * Vendor behaviour reproduced, limitations included:
 * - sessions: Basic integration credentials + username, password and a TOTP code; 1 h tokens;
 * - lists: `{items, page, pageSize, total}`, 1-based pages of at most 100, ordered by id; there is
 *   no batch look-up (`ids=`): connectors fetch single records with bounded concurrency;
 * - appointments are local dates and `HH:MM` windows in a named IANA zone (the business is in
 *   America/New_York), timestamps are UTC, money is JSON numbers with two decimals;
 * - work orders follow a lifecycle state machine (illegal moves are 409), technicians cannot be
 *   double-booked (409), references must exist (422), and completing a job invoices its
 *   pricebook items;
 * - membership payment method tokens are write-only: only a keyed fingerprint is kept.
 */
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { RouteDef, SimContext, SimulatorFactory, VendorSimulator } from '../sandbox/kit.js';
import {
  errorResponses,
  idMaker,
  listEnvelope,
  listPage,
  sessionAuth,
  supergoodError,
  supergoodErrors,
  SESSION_SECURITY,
  sessionVendorInfo,
  type SessionCredentials,
  type SessionPrincipal,
} from '../sandbox/supergood.js';
import { RENDERED_PLANS, RENDERED_PRICEBOOK, renderAppointment, renderCustomer, renderInvoice, renderLocation, renderMembership, renderTechnician, renderWorkOrder } from './sandbox/render.js';
import * as S from './sandbox/schemas.js';
import { SeraState } from './sandbox/state.js';
import { businessDayStart, isCalendarDate } from './sandbox/time.js';

/** The sandbox integration id: the last segment of Sera's base URL. */
export const SERA_INTEGRATION_ID = 'int_sera_sandbox';

/** Sandbox credentials of the Sera integration (not secret: they only open the sandbox). */
export const SERA_SANDBOX_CREDENTIALS: SessionCredentials = {
  integrationId: SERA_INTEGRATION_ID,
  clientId: 'sera-sandbox-client',
  clientSecret: 'sera-sandbox-secret',
  username: 'dispatcher@fieldgraph.test',
  password: 'sandbox-password',
  user: { id: 'u_8d2c41', name: 'Dispatcher', entitlements: ['customers', 'work_orders', 'memberships', 'invoices'] },
};

const BASE_PATH = `/sera/integrations/${SERA_INTEGRATION_ID}`;

/** Declares a route with its query and body types inferred from its schemas. */
function route<Q, B>(def: RouteDef<Q, B, SessionPrincipal>): RouteDef {
  return def as RouteDef;
}

/** Epoch ms of an ISO 8601 instant, or undefined. */
function instant(value: string | undefined): number | undefined {
  return value === undefined ? undefined : Date.parse(value);
}

/** A scheduling bound: an instant, or a business date meaning its local midnight. */
function scheduleBound(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  return isCalendarDate(value) ? businessDayStart(value) : Date.parse(value);
}

/** Creates the Sera simulator over `ctx.dataset.vendors.sera`. */
export const createSeraSimulator: SimulatorFactory = (ctx: SimContext): VendorSimulator => {
  const creds = SERA_SANDBOX_CREDENTIALS;
  const auth = sessionAuth('sera', creds, ctx);
  let state: SeraState;
  let newId = idMaker(ctx, 'sera', (id) => state.has(id));
  state = new SeraState(ctx.dataset.vendors.sera, (prefix) => newId(prefix), () => ctx.now());

  const notFound = (what: string, id: string, req: { requestId: string }) => supergoodError(404, 'not_found', `${what} ${id} not found.`, req);
  /** One page of `ids` (in list order), with only that page's rows looked up and rendered. */
  const page = <T, W>(ids: readonly string[], table: { get(id: string): T | undefined }, q: { page: number; pageSize: number }, render: (row: T) => W) => {
    const p = listPage(ids, q.page, q.pageSize);
    return { status: 200, body: { ...p, items: p.items.map((id) => render(table.get(id)!)) } };
  };
  /** One page of a fixed reference list. */
  const pageOfList = <W>(items: readonly W[], q: { page: number; pageSize: number }) => ({ status: 200, body: listPage(items, q.page, q.pageSize) });
  const ok = (body: unknown) => ({ status: 200, body });
  const list = (item: z.ZodType, description: string) => ({ 200: { description, schema: listEnvelope(item) } });
  const one = (item: z.ZodType, description: string) => ({ 200: { description, schema: item } });
  const idParam = (name: string, description: string) => ({ [name]: { description } });

  const routes: RouteDef[] = [
    ...auth.routes,

    // ------------------------------------------------------------ customers and locations
    route({
      method: 'GET',
      path: '/customers',
      operationId: 'listCustomers',
      summary: 'List customers with filters and summary details.',
      tags: ['Customers'],
      query: S.CustomersQuery,
      responses: { ...list(S.Customer, 'A page of customers, by id.'), ...errorResponses(400, 401, 429) },
      handler: (req) => {
        const q = req.query;
        const ids = state.customers.query({
          eq: { status: q.status, membership: q.membershipStatus },
          range: { updated: { from: instant(q.updatedFrom), to: instant(q.updatedTo) } },
        });
        return page(ids, state.customers, q, (c) => renderCustomer(state, c));
      },
    }),
    route({
      method: 'GET',
      path: '/customers/{customerId}',
      operationId: 'getCustomer',
      summary: 'Get one customer.',
      tags: ['Customers'],
      pathParams: idParam('customerId', 'Customer id, e.g. cus_21a9f0.'),
      responses: { ...one(S.Customer, 'The customer.'), ...errorResponses(401, 404, 429) },
      handler: (req) => {
        const c = state.customers.get(req.params.customerId!);
        if (!c) throw notFound('Customer', req.params.customerId!, req);
        return ok(renderCustomer(state, c));
      },
    }),
    route({
      method: 'GET',
      path: '/customers/{customerId}/locations',
      operationId: 'listCustomerLocations',
      summary: "List a customer's service locations (the first is the default service location).",
      tags: ['Locations'],
      pathParams: idParam('customerId', 'Customer id.'),
      query: S.PagingQuery,
      responses: { ...list(S.Location, 'A page of locations, by id.'), ...errorResponses(400, 401, 404, 429) },
      handler: (req) => {
        const customerId = req.params.customerId!;
        if (!state.customers.has(customerId)) throw notFound('Customer', customerId, req);
        return page(state.locations.query({ eq: { customer: customerId } }), state.locations, req.query, renderLocation);
      },
    }),
    route({
      method: 'GET',
      path: '/locations',
      operationId: 'listLocations',
      summary: 'List service locations.',
      tags: ['Locations'],
      query: S.LocationsQuery,
      responses: { ...list(S.Location, 'A page of locations, by id.'), ...errorResponses(400, 401, 429) },
      handler: (req) => {
        const q = req.query;
        const ids = state.locations.query({ range: { updated: { from: instant(q.updatedFrom), to: instant(q.updatedTo) } } });
        return page(ids, state.locations, q, renderLocation);
      },
    }),
    route({
      method: 'GET',
      path: '/locations/{locationId}',
      operationId: 'getLocation',
      summary: 'Get one service location.',
      tags: ['Locations'],
      pathParams: idParam('locationId', 'Location id, e.g. loc_9a0e3b.'),
      responses: { ...one(S.Location, 'The location.'), ...errorResponses(401, 404, 429) },
      handler: (req) => {
        const l = state.locations.get(req.params.locationId!);
        if (!l) throw notFound('Location', req.params.locationId!, req);
        return ok(renderLocation(l));
      },
    }),

    // ------------------------------------------------------------ technicians
    route({
      method: 'GET',
      path: '/technicians',
      operationId: 'listTechnicians',
      summary: 'List technicians.',
      tags: ['Technicians'],
      query: S.TechniciansQuery,
      responses: { ...list(S.Technician, 'A page of technicians, by id.'), ...errorResponses(400, 401, 429) },
      handler: (req) =>
        page(state.technicians.query({ eq: { skill: req.query.skill, region: req.query.region } }), state.technicians, req.query, renderTechnician),
    }),
    route({
      method: 'GET',
      path: '/technicians/{technicianId}',
      operationId: 'getTechnician',
      summary: 'Get one technician.',
      tags: ['Technicians'],
      pathParams: idParam('technicianId', 'Technician id, e.g. tech_57aa12.'),
      responses: { ...one(S.Technician, 'The technician.'), ...errorResponses(401, 404, 429) },
      handler: (req) => {
        const t = state.technicians.get(req.params.technicianId!);
        if (!t) throw notFound('Technician', req.params.technicianId!, req);
        return ok(renderTechnician(t));
      },
    }),

    // ------------------------------------------------------------ work orders
    route({
      method: 'GET',
      path: '/work-orders',
      operationId: 'listWorkOrders',
      summary: 'List work orders with their appointment, pricebook items and totals.',
      tags: ['Work Orders'],
      query: S.WorkOrdersQuery,
      responses: { ...list(S.WorkOrder, 'A page of work orders, by id.'), ...errorResponses(400, 401, 429) },
      handler: (req) => {
        const q = req.query;
        const ids = state.workOrders.query({
          eq: { customer: q.customerId, status: q.status, technician: q.technicianId },
          range: {
            updated: { from: instant(q.updatedFrom), to: instant(q.updatedTo) },
            scheduled: { from: scheduleBound(q.scheduledFrom), to: scheduleBound(q.scheduledTo) },
          },
        });
        return page(ids, state.workOrders, q, renderWorkOrder);
      },
    }),
    route({
      method: 'POST',
      path: '/work-orders',
      operationId: 'createWorkOrder',
      summary: 'Create a new work order with scheduling and pricebook details.',
      description:
        'With requestedDate, timeWindow and assignedTechnicianId the work order is scheduled; otherwise it is new. ' +
        'Unknown customer, location (or a location of another customer), pricebook item or technician: 422. ' +
        'A technician already booked in an overlapping window: 409.',
      tags: ['Work Orders'],
      body: S.CreateWorkOrderBody,
      responses: {
        201: { description: 'The work order was created.', schema: S.WorkOrderCreated },
        ...errorResponses(400, 401, 409, 422, 429),
      },
      handler: (req) => {
        const w = state.createWorkOrder(req.body, req);
        return { status: 201, body: { workOrderId: w.id, status: w.status, appointment: renderAppointment(w), createdAt: w.createdAt } };
      },
    }),
    route({
      method: 'GET',
      path: '/work-orders/{workOrderId}',
      operationId: 'getWorkOrder',
      summary: 'Get one work order with its appointment, pricebook items and totals.',
      tags: ['Work Orders'],
      pathParams: idParam('workOrderId', 'Work order id, e.g. wo_6f8c9d.'),
      responses: { ...one(S.WorkOrder, 'The work order.'), ...errorResponses(401, 404, 429) },
      handler: (req) => {
        const w = state.workOrders.get(req.params.workOrderId!);
        if (!w) throw notFound('Work order', req.params.workOrderId!, req);
        return ok(renderWorkOrder(w));
      },
    }),
    route({
      method: 'PATCH',
      path: '/work-orders/{workOrderId}/status',
      operationId: 'updateWorkOrderStatus',
      summary: "Update a work order's lifecycle status and technician assignment timestamps.",
      description:
        'Lifecycle: new -> scheduled -> dispatched -> in_progress -> completed (scheduled may go straight to in_progress); ' +
        'on_hold from scheduled, dispatched or in_progress and back; cancelled from anything but completed. ' +
        'Repeating the current status updates assignment, notes and attachments. Completed and cancelled are final. ' +
        'Illegal moves: 409. Completing invoices the pricebook items. startedAt/completedAt take any offset and are stored in UTC.',
      tags: ['Work Orders'],
      pathParams: idParam('workOrderId', 'Work order id.'),
      body: S.UpdateStatusBody,
      responses: {
        200: { description: 'The new status.', schema: S.StatusUpdated },
        ...errorResponses(400, 401, 404, 409, 422, 429),
      },
      handler: (req) => {
        const w = state.updateStatus(req.params.workOrderId!, req.body, req);
        return ok({
          workOrderId: w.id,
          status: w.status,
          startedAt: w.startedAt,
          ...(w.status === 'completed' && w.completedAt ? { completedAt: w.completedAt } : {}),
          updatedAt: w.updatedAt,
        });
      },
    }),

    // ------------------------------------------------------------ memberships
    route({
      method: 'POST',
      path: '/customers/{customerId}/memberships',
      operationId: 'createMembership',
      summary: 'Create or renew a customer membership with billing configuration.',
      description:
        'Renews in place (200) when the customer has an active or lapsed membership of the plan; otherwise creates one (201). ' +
        'nextBillingDate is startDate plus one billing period. Unknown plan: 422. autopay needs paymentMethodToken, ' +
        'which is write-only (only a fingerprint is kept).',
      tags: ['Memberships'],
      pathParams: idParam('customerId', 'Customer id.'),
      body: S.CreateMembershipBody,
      responses: {
        200: { description: 'The membership was renewed.', schema: S.MembershipCreated },
        201: { description: 'The membership was created.', schema: S.MembershipCreated },
        ...errorResponses(400, 401, 404, 422, 429),
      },
      handler: (req) => {
        const { membership: m, created } = state.enroll(req.params.customerId!, req.body, req);
        return {
          status: created ? 201 : 200,
          body: { membershipId: m.id, status: m.status, planId: m.planId, nextBillingDate: m.nextBillingDate, createdAt: m.createdAt },
        };
      },
    }),
    route({
      method: 'GET',
      path: '/customers/{customerId}/memberships',
      operationId: 'listCustomerMemberships',
      summary: "List a customer's memberships.",
      tags: ['Memberships'],
      pathParams: idParam('customerId', 'Customer id.'),
      query: S.CustomerMembershipsQuery,
      responses: { ...list(S.Membership, 'A page of memberships, by id.'), ...errorResponses(400, 401, 404, 429) },
      handler: (req) => {
        const customerId = req.params.customerId!;
        if (!state.customers.has(customerId)) throw notFound('Customer', customerId, req);
        return page(state.memberships.query({ eq: { customer: customerId, status: req.query.status } }), state.memberships, req.query, renderMembership);
      },
    }),
    route({
      method: 'GET',
      path: '/memberships',
      operationId: 'listMemberships',
      summary: 'List memberships.',
      tags: ['Memberships'],
      query: S.MembershipsQuery,
      responses: { ...list(S.Membership, 'A page of memberships, by id.'), ...errorResponses(400, 401, 429) },
      handler: (req) =>
        page(state.memberships.query({ eq: { customer: req.query.customerId, status: req.query.status } }), state.memberships, req.query, renderMembership),
    }),
    route({
      method: 'GET',
      path: '/memberships/{membershipId}',
      operationId: 'getMembership',
      summary: 'Get one membership.',
      tags: ['Memberships'],
      pathParams: idParam('membershipId', 'Membership id, e.g. mbr_78b29e.'),
      responses: { ...one(S.Membership, 'The membership.'), ...errorResponses(401, 404, 429) },
      handler: (req) => {
        const m = state.memberships.get(req.params.membershipId!);
        if (!m) throw notFound('Membership', req.params.membershipId!, req);
        return ok(renderMembership(m));
      },
    }),
    route({
      method: 'GET',
      path: '/membership-plans',
      operationId: 'listMembershipPlans',
      summary: 'List the membership plans customers can enrol in.',
      tags: ['Memberships'],
      query: S.PagingQuery,
      responses: { ...list(S.MembershipPlan, 'A page of plans, by id.'), ...errorResponses(400, 401, 429) },
      handler: (req) => pageOfList(RENDERED_PLANS, req.query),
    }),

    // ------------------------------------------------------------ invoices and pricebook
    route({
      method: 'GET',
      path: '/invoices',
      operationId: 'listInvoices',
      summary: 'List invoices with line items, totals and balance.',
      tags: ['Invoices'],
      query: S.InvoicesQuery,
      responses: { ...list(S.Invoice, 'A page of invoices, by id.'), ...errorResponses(400, 401, 429) },
      handler: (req) => {
        const q = req.query;
        const ids = state.invoices.query({
          eq: { customer: q.customerId, workOrder: q.workOrderId, status: q.status },
          range: { updated: { from: instant(q.updatedFrom), to: instant(q.updatedTo) } },
        });
        return page(ids, state.invoices, q, renderInvoice);
      },
    }),
    route({
      method: 'GET',
      path: '/invoices/{invoiceId}',
      operationId: 'getInvoice',
      summary: 'Get one invoice.',
      tags: ['Invoices'],
      pathParams: idParam('invoiceId', 'Invoice id.'),
      responses: { ...one(S.Invoice, 'The invoice.'), ...errorResponses(401, 404, 429) },
      handler: (req) => {
        const i = state.invoices.get(req.params.invoiceId!);
        if (!i) throw notFound('Invoice', req.params.invoiceId!, req);
        return ok(renderInvoice(i));
      },
    }),
    route({
      method: 'GET',
      path: '/pricebook-items',
      operationId: 'listPricebookItems',
      summary: 'List pricebook items (services, labour, materials).',
      tags: ['Pricebook'],
      query: S.PagingQuery,
      responses: { ...list(S.PricebookItem, 'A page of pricebook items, by id.'), ...errorResponses(400, 401, 429) },
      handler: (req) => pageOfList(RENDERED_PRICEBOOK, req.query),
    }),
  ];

  return {
    key: 'sera',
    title: 'Sera',
    description:
      "Sera field service management (home services: HVAC, plumbing, electrical) through Supergood's unofficial REST API: " +
      'session sign-in with MFA, customers and service locations, work orders with local appointment windows, ' +
      'memberships, pricebook and invoices. Lists are {items, page, pageSize, total}; errors are {error: {code, message, details}, requestId}.',
    basePath: BASE_PATH,
    routes,
    errors: supergoodErrors,
    authenticate: auth.authenticate,
    tokens: [auth.tokens],
    security: SESSION_SECURITY,
    info: sessionVendorInfo('sera', 'Sera', BASE_PATH, creds, ctx),
    actions: {
      /** A technician completes the job in the field: `{id}`; invoices its pricebook items. */
      complete: (body) => {
        const req = { requestId: randomUUID() };
        const parsed = S.CompleteActionBody.safeParse(body);
        if (!parsed.success) {
          throw supergoodError(400, 'validation_error', 'The request is invalid.', req, [{ field: 'id', message: 'Required: the work order id.' }]);
        }
        const { workOrder, invoice } = state.completeInField(parsed.data.id, req);
        return { workOrder: renderWorkOrder(workOrder), invoice: renderInvoice(invoice) };
      },
    },
    reset() {
      newId = idMaker(ctx, 'sera', (id) => state.has(id));
      state.reload();
    },
  };
};
