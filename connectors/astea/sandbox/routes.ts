/**
 * The Astea Alliance simulator's routes below `/astea/integrations/{integrationId}`: the endpoints of
 * Supergood's Astea page (work order list, dispatch assignments, parts and labor consumptions) and
 * the reads the graph needs in the same style. Lists answer `{items, page, pageSize, total}` in id
 * order; there are no batch look-ups (`ids=`), as the seed documents none.
 */
import type { z } from 'zod';
import type { RouteDef } from '../../sandbox/kit.js';
import { errorResponses, listEnvelope, listPage, supergoodError } from '../../sandbox/supergood.js';
import {
  AssetSchema,
  AssetsQuery,
  AssignmentBody,
  AssignmentCreatedSchema,
  AssignmentSchema,
  AssignmentsQuery,
  ConsumptionBody,
  ConsumptionCreatedSchema,
  ConsumptionSchema,
  ContractSchema,
  ContractsQuery,
  CustomerSchema,
  CustomersQuery,
  InvoiceSchema,
  InvoicesQuery,
  PagingQuery,
  SiteSchema,
  SitesQuery,
  TechnicianSchema,
  TechniciansQuery,
  WorkOrderDetailSchema,
  WorkOrderSchema,
  WorkOrdersQuery,
} from './schemas.js';
import type { AsteaState } from './state.js';

/** Infers a route's query and body types from its schemas. */
function route<Q, B = unknown>(def: RouteDef<Q, B>): RouteDef {
  return def as RouteDef;
}

/** An ISO query parameter as epoch milliseconds. */
function ms(value: string | undefined): number | undefined {
  return value === undefined ? undefined : Date.parse(value);
}

function notFound(kind: string, id: string, req: { requestId: string }): never {
  throw supergoodError(404, 'not_found', `${kind} ${id} not found.`, req);
}

const ok = (body: unknown) => ({ status: 200, body });

const LIST_ERRORS = errorResponses(400, 401, 429, 503);
const GET_ERRORS = errorResponses(401, 404, 429, 503);
const SUB_LIST_ERRORS = errorResponses(400, 401, 404, 429, 503);

const id = (description: string) => ({ description });

/** Builds the route table over the current state (`state()` changes on reset). */
export function asteaRoutes(state: () => AsteaState): RouteDef[] {
  const page = <T, W>(all: readonly T[], q: { page: number; pageSize: number }, render: (x: T) => W) => {
    const p = listPage(all, q.page, q.pageSize);
    return ok({ ...p, items: p.items.map(render) });
  };
  const row = <W>(r: { wire: W }): W => r.wire;

  return [
    // ------------------------------------------------------------ work orders
    route<z.infer<typeof WorkOrdersQuery>>({
      method: 'GET',
      path: '/work-orders',
      operationId: 'listWorkOrders',
      summary: 'List work orders with filters and summary details.',
      description: 'Ordered by workOrderId ascending. Status, SLA due time, update time and customer filters combine with AND.',
      tags: ['Work Orders'],
      query: WorkOrdersQuery,
      responses: { 200: { description: 'A page of work orders.', schema: listEnvelope(WorkOrderSchema) }, ...LIST_ERRORS },
      handler: (req) => {
        const q = req.query;
        const s = state();
        const all = s.listWorkOrders({
          customerId: q.customerId,
          status: q.status,
          slaDueFrom: ms(q.slaDueFrom),
          slaDueTo: ms(q.slaDueTo),
          updatedFrom: ms(q.updatedFrom),
          updatedTo: ms(q.updatedTo),
        });
        return page(all, q, (w) => s.renderWorkOrder(w));
      },
    }),
    route({
      method: 'GET',
      path: '/work-orders/{workOrderId}',
      operationId: 'getWorkOrder',
      summary: 'Get one work order with its header details.',
      tags: ['Work Orders'],
      pathParams: { workOrderId: id('Work order id (wo_...).') },
      responses: { 200: { description: 'The work order.', schema: WorkOrderDetailSchema }, ...GET_ERRORS },
      handler: (req) => {
        const wo = state().workOrder(req.params.workOrderId!) ?? notFound('Work order', req.params.workOrderId!, req);
        return ok(state().renderWorkOrderDetail(wo));
      },
    }),

    // ------------------------------------------------------------ dispatch
    route<unknown, AssignmentBody>({
      method: 'POST',
      path: '/work-orders/{workOrderId}/assignments',
      operationId: 'createAssignment',
      summary: 'Assign a technician and set a planned appointment window.',
      description:
        'An open work order becomes scheduled. 409 `conflict` on a completed or cancelled work order; 422 `unprocessable` for an unknown technician; ' +
        '422 `skill_mismatch` when the technician lacks the skill the asset type needs; 409 `schedule_conflict` when the window overlaps another open visit of the technician.',
      tags: ['Dispatch'],
      pathParams: { workOrderId: id('Work order id (wo_...).') },
      body: AssignmentBody,
      responses: {
        201: { description: 'The assignment.', schema: AssignmentCreatedSchema },
        ...errorResponses(400, 401, 404, 409, 422, 429, 503),
      },
      handler: (req) => {
        const a = state().assign(req.params.workOrderId!, req.body, req);
        return {
          status: 201,
          body: {
            assignmentId: a.id,
            workOrderId: a.workOrderId,
            status: 'scheduled',
            technicianId: a.technicianId,
            scheduledStart: a.scheduledStart,
            scheduledEnd: a.scheduledEnd,
            createdAt: a.createdAt,
          },
        };
      },
    }),
    route<z.infer<typeof PagingQuery>>({
      method: 'GET',
      path: '/work-orders/{workOrderId}/assignments',
      operationId: 'listWorkOrderAssignments',
      summary: 'List the dispatch assignments of a work order.',
      tags: ['Dispatch'],
      pathParams: { workOrderId: id('Work order id (wo_...).') },
      query: PagingQuery,
      responses: { 200: { description: 'A page of assignments.', schema: listEnvelope(AssignmentSchema) }, ...SUB_LIST_ERRORS },
      handler: (req) => {
        const s = state();
        const wo = s.workOrder(req.params.workOrderId!) ?? notFound('Work order', req.params.workOrderId!, req);
        return page(s.assignmentsOf(wo.id), req.query, (a) => s.renderAssignment(a));
      },
    }),
    route<z.infer<typeof AssignmentsQuery>>({
      method: 'GET',
      path: '/assignments',
      operationId: 'listAssignments',
      summary: 'List dispatch assignments (technician schedules).',
      description: 'Ordered by assignmentId ascending. `scheduledFrom`/`scheduledTo` bound the visit start.',
      tags: ['Dispatch'],
      query: AssignmentsQuery,
      responses: { 200: { description: 'A page of assignments.', schema: listEnvelope(AssignmentSchema) }, ...LIST_ERRORS },
      handler: (req) => {
        const q = req.query;
        const s = state();
        const all = s.listAssignments({
          technicianId: q.technicianId,
          status: q.status,
          scheduledFrom: ms(q.scheduledFrom),
          scheduledTo: ms(q.scheduledTo),
          updatedFrom: ms(q.updatedFrom),
          updatedTo: ms(q.updatedTo),
        });
        return page(all, q, (a) => s.renderAssignment(a));
      },
    }),
    route({
      method: 'GET',
      path: '/assignments/{assignmentId}',
      operationId: 'getAssignment',
      summary: 'Get one dispatch assignment.',
      tags: ['Dispatch'],
      pathParams: { assignmentId: id('Assignment id (asn_...).') },
      responses: { 200: { description: 'The assignment.', schema: AssignmentSchema }, ...GET_ERRORS },
      handler: (req) => {
        const a = state().assignment(req.params.assignmentId!) ?? notFound('Assignment', req.params.assignmentId!, req);
        return ok(state().renderAssignment(a));
      },
    }),

    // ------------------------------------------------------------ parts and labor
    route<unknown, ConsumptionBody>({
      method: 'POST',
      path: '/work-orders/{workOrderId}/consumptions',
      operationId: 'createConsumption',
      summary: 'Record parts used and labor time entries for a work order.',
      description:
        'Quantities and hours must be positive with at most two decimals (400). Unknown technicians or part numbers are 422 `unprocessable`; ' +
        'a completed or cancelled work order is 409 `conflict`. The consumption is billed when the work order completes.',
      tags: ['Parts & Labor'],
      pathParams: { workOrderId: id('Work order id (wo_...).') },
      body: ConsumptionBody,
      responses: {
        201: { description: 'The recorded consumption.', schema: ConsumptionCreatedSchema },
        ...errorResponses(400, 401, 404, 409, 422, 429, 503),
      },
      handler: (req) => {
        const c = state().consume(req.params.workOrderId!, req.body, req);
        return {
          status: 201,
          body: {
            workOrderId: c.workOrderId,
            consumptionId: c.id,
            partsRecorded: c.parts.length,
            laborEntriesRecorded: c.labor.length,
            status: 'pending_billing',
            createdAt: c.createdAt,
          },
        };
      },
    }),
    route<z.infer<typeof PagingQuery>>({
      method: 'GET',
      path: '/work-orders/{workOrderId}/consumptions',
      operationId: 'listWorkOrderConsumptions',
      summary: 'List the parts and labor recorded for a work order.',
      tags: ['Parts & Labor'],
      pathParams: { workOrderId: id('Work order id (wo_...).') },
      query: PagingQuery,
      responses: { 200: { description: 'A page of consumptions.', schema: listEnvelope(ConsumptionSchema) }, ...SUB_LIST_ERRORS },
      handler: (req) => {
        const s = state();
        const wo = s.workOrder(req.params.workOrderId!) ?? notFound('Work order', req.params.workOrderId!, req);
        return page(s.consumptionsOf(wo.id), req.query, (c) => s.renderConsumption(c));
      },
    }),

    // ------------------------------------------------------------ customers and sites
    route<z.infer<typeof CustomersQuery>>({
      method: 'GET',
      path: '/customers',
      operationId: 'listCustomers',
      summary: 'List customer accounts.',
      tags: ['Customers'],
      query: CustomersQuery,
      responses: { 200: { description: 'A page of customers.', schema: listEnvelope(CustomerSchema) }, ...LIST_ERRORS },
      handler: (req) => page(state().listCustomers(req.query.status, ms(req.query.updatedFrom), ms(req.query.updatedTo)), req.query, row),
    }),
    route({
      method: 'GET',
      path: '/customers/{customerId}',
      operationId: 'getCustomer',
      summary: 'Get one customer account.',
      tags: ['Customers'],
      pathParams: { customerId: id('Customer id (cust_...).') },
      responses: { 200: { description: 'The customer.', schema: CustomerSchema }, ...GET_ERRORS },
      handler: (req) => ok((state().customers.byId.get(req.params.customerId!) ?? notFound('Customer', req.params.customerId!, req)).wire),
    }),
    route<z.infer<typeof PagingQuery>>({
      method: 'GET',
      path: '/customers/{customerId}/sites',
      operationId: 'listCustomerSites',
      summary: 'List the service sites of a customer.',
      tags: ['Customers'],
      pathParams: { customerId: id('Customer id (cust_...).') },
      query: PagingQuery,
      responses: { 200: { description: 'A page of sites.', schema: listEnvelope(SiteSchema) }, ...SUB_LIST_ERRORS },
      handler: (req) => {
        const s = state();
        const c = s.customers.byId.get(req.params.customerId!) ?? notFound('Customer', req.params.customerId!, req);
        return page(s.listSites(c.id), req.query, row);
      },
    }),
    route<z.infer<typeof SitesQuery>>({
      method: 'GET',
      path: '/sites',
      operationId: 'listSites',
      summary: 'List service sites.',
      tags: ['Customers'],
      query: SitesQuery,
      responses: { 200: { description: 'A page of sites.', schema: listEnvelope(SiteSchema) }, ...LIST_ERRORS },
      handler: (req) => page(state().listSites(req.query.customerId, ms(req.query.updatedFrom), ms(req.query.updatedTo)), req.query, row),
    }),
    route({
      method: 'GET',
      path: '/sites/{siteId}',
      operationId: 'getSite',
      summary: 'Get one service site.',
      tags: ['Customers'],
      pathParams: { siteId: id('Site id (site_...).') },
      responses: { 200: { description: 'The site.', schema: SiteSchema }, ...GET_ERRORS },
      handler: (req) => ok((state().sites.byId.get(req.params.siteId!) ?? notFound('Site', req.params.siteId!, req)).wire),
    }),

    // ------------------------------------------------------------ installed base and contracts
    route<z.infer<typeof AssetsQuery>>({
      method: 'GET',
      path: '/assets',
      operationId: 'listAssets',
      summary: 'List installed-base assets.',
      description: '`serialNumber` matches the whole serial number, without regard to case (no partial or punctuation-insensitive match).',
      tags: ['Installed Base'],
      query: AssetsQuery,
      responses: { 200: { description: 'A page of assets.', schema: listEnvelope(AssetSchema) }, ...LIST_ERRORS },
      handler: (req) => {
        const q = req.query;
        const all = state().listAssets({
          siteId: q.siteId,
          customerId: q.customerId,
          serialNumber: q.serialNumber,
          updatedFrom: ms(q.updatedFrom),
          updatedTo: ms(q.updatedTo),
        });
        return page(all, q, row);
      },
    }),
    route({
      method: 'GET',
      path: '/assets/{assetId}',
      operationId: 'getAsset',
      summary: 'Get one asset with its warranty and contract coverage.',
      tags: ['Installed Base'],
      pathParams: { assetId: id('Asset id (asset_...).') },
      responses: { 200: { description: 'The asset.', schema: AssetSchema }, ...GET_ERRORS },
      handler: (req) => ok((state().assets.byId.get(req.params.assetId!) ?? notFound('Asset', req.params.assetId!, req)).wire),
    }),
    route<z.infer<typeof ContractsQuery>>({
      method: 'GET',
      path: '/contracts',
      operationId: 'listContracts',
      summary: 'List service contracts and their entitlements.',
      tags: ['Contracts'],
      query: ContractsQuery,
      responses: { 200: { description: 'A page of contracts.', schema: listEnvelope(ContractSchema) }, ...LIST_ERRORS },
      handler: (req) => page(state().listContracts(req.query.customerId), req.query, row),
    }),
    route({
      method: 'GET',
      path: '/contracts/{contractId}',
      operationId: 'getContract',
      summary: 'Get one service contract with its entitlements.',
      tags: ['Contracts'],
      pathParams: { contractId: id('Contract id (ctr_...).') },
      responses: { 200: { description: 'The contract.', schema: ContractSchema }, ...GET_ERRORS },
      handler: (req) => ok((state().contracts.byId.get(req.params.contractId!) ?? notFound('Contract', req.params.contractId!, req)).wire),
    }),

    // ------------------------------------------------------------ technicians
    route<z.infer<typeof TechniciansQuery>>({
      method: 'GET',
      path: '/technicians',
      operationId: 'listTechnicians',
      summary: 'List technicians.',
      tags: ['Technicians'],
      query: TechniciansQuery,
      responses: { 200: { description: 'A page of technicians.', schema: listEnvelope(TechnicianSchema) }, ...LIST_ERRORS },
      handler: (req) => page(state().listTechnicians(req.query.skill, req.query.region), req.query, row),
    }),
    route({
      method: 'GET',
      path: '/technicians/{technicianId}',
      operationId: 'getTechnician',
      summary: 'Get one technician.',
      tags: ['Technicians'],
      pathParams: { technicianId: id('Technician id (tech_...).') },
      responses: { 200: { description: 'The technician.', schema: TechnicianSchema }, ...GET_ERRORS },
      handler: (req) => ok((state().technicians.byId.get(req.params.technicianId!) ?? notFound('Technician', req.params.technicianId!, req)).wire),
    }),

    // ------------------------------------------------------------ billing
    route<z.infer<typeof InvoicesQuery>>({
      method: 'GET',
      path: '/invoices',
      operationId: 'listInvoices',
      summary: 'List invoices.',
      tags: ['Billing'],
      query: InvoicesQuery,
      responses: { 200: { description: 'A page of invoices.', schema: listEnvelope(InvoiceSchema) }, ...LIST_ERRORS },
      handler: (req) => {
        const q = req.query;
        const s = state();
        const all = s.listInvoices({
          customerId: q.customerId,
          workOrderId: q.workOrderId,
          status: q.status,
          updatedFrom: ms(q.updatedFrom),
          updatedTo: ms(q.updatedTo),
        });
        return page(all, q, (i) => s.renderInvoice(i));
      },
    }),
    route({
      method: 'GET',
      path: '/invoices/{invoiceId}',
      operationId: 'getInvoice',
      summary: 'Get one invoice with its lines.',
      tags: ['Billing'],
      pathParams: { invoiceId: id('Invoice id (inv_...).') },
      responses: { 200: { description: 'The invoice.', schema: InvoiceSchema }, ...GET_ERRORS },
      handler: (req) => {
        const inv = state().invoice(req.params.invoiceId!) ?? notFound('Invoice', req.params.invoiceId!, req);
        return ok(state().renderInvoice(inv));
      },
    }),
  ];
}
