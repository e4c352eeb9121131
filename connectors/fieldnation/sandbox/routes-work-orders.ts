/**
 * The work-order routes of the Field Nation simulator: list (with `list`, `sticky`, `f_` filters,
 * sort and order), create, read, partial update, cancel, the lifecycle actions, and the schedule,
 * status and custom-field sub-resources.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { csv, type RouteDef, type SimRequest } from '../../sandbox/kit.js';
import { FnProblem, problemResponses, type FieldError } from './problems.js';
import { CUSTOM_FIELDS, INCOMPLETE_REASONS, parseFnTime, resolveStatus, WORK_ORDER_LISTS } from './reference.js';
import { renderCustomFields, renderPage, renderSchedule, renderStatus, renderWorkOrder } from './render.js';
import {
  AssigneeInput,
  CustomFieldsInput,
  CustomFieldsSchema,
  CustomFieldValueInput,
  CustomFieldValueSchema,
  envelope,
  MassRouteInput,
  MassRouteResponseSchema,
  RouteInput,
  ScheduleSchema,
  SchedulePatchInput,
  StatusSchema,
  WorkOrderCreateInput,
  WorkOrderListSchema,
  WorkOrderSchema,
  WorkOrderUpdateInput,
} from './schemas.js';
import { WORK_ORDER_SORTS, type FieldNationState, type WorkOrderQuery, type WorkOrderRec, type WorkOrderSort } from './state.js';

/** What `authenticate` hands the handlers. */
export interface Principal {
  userId: number;
  /** Calls left in the current rate-limit window (for X-RateLimit-Remaining). */
  rateRemaining: number;
}

/** The list state a user's `sticky` calls save: list, sort, order and `f_` filters. */
export interface ListState {
  list: string;
  sort: string;
  order: 'asc' | 'desc';
  filters: Record<string, string>;
}

/** Base path of the REST API below the vendor prefix. */
export const V2 = '/api/rest/v2';

/** Defines a route whose handler sees the Field Nation principal. */
export function fnRoute<Q = Record<string, unknown>, B = unknown>(def: RouteDef<Q, B, Principal>): RouteDef {
  return def as RouteDef;
}

/** The integer path parameter `name`; a non-integer names nothing, so it is a 404 like an unknown id. */
export function idParam(req: SimRequest, name: string, what: string): number {
  const raw = req.params[name] ?? '';
  if (!/^[1-9]\d*$/.test(raw)) throw new FnProblem(404, 'NOT_FOUND', `${what} ${raw} not found.`);
  return Number(raw);
}

const invalid = (errors: FieldError[]) => new FnProblem(400, 'VALIDATION_ERROR', 'The request is invalid; see errors for the fields.', errors);

const WO_ID = { workorder_id: { description: 'Work order id.', type: 'integer' as const } };
const ASYNC = z.enum(['true', 'false']).optional().describe('Accepted for compatibility; the sandbox always completes the action before answering.');

/** The `f_` filters the list understands; other `f_` parameters are ignored, as unknown parameters are. */
const FILTERS = ['f_status', 'f_state', 'f_project', 'f_client', 'f_location', 'f_created_date', 'f_updated_date'] as const;

const ListQuery = z.object({
  page: z.coerce.number().int().min(1).default(1).describe('1-based page.'),
  per_page: z.coerce.number().int().min(1).max(100).default(25).describe('Results per page (default 25); more than 100 is a 400.'),
  list: z
    .string()
    .optional()
    .describe(`Saved list: ${WORK_ORDER_LISTS.map((l) => l.id).join(', ')}. Default workorders_all (or the sticky one).`),
  sticky: z
    .enum(['true', 'false', '1', '0'])
    .optional()
    .describe(
      'Default true: the list, sort, order and f_ filters of this call are saved for the API user and reused by later calls that omit them (an empty f_ value clears one). Pass sticky=false to use only this call\'s parameters and leave the saved state alone.',
    ),
  columns: z.string().optional().describe('Echoed in metadata; the sandbox always returns every section.'),
  view: z.string().optional().describe('Echoed in metadata.'),
  sort: z.string().optional().describe(`Sort key: ${WORK_ORDER_SORTS.join(', ')} (default id).`),
  order: z.enum(['asc', 'desc']).optional().describe('Default asc.'),
  f_status: z.string().optional().describe('Status names or ids, comma-separated (e.g. "Assigned,Work Done" or "4,5").'),
  f_state: z.string().optional().describe('Same as f_status (status names or ids).'),
  f_project: z.string().optional().describe('Project ids, comma-separated.'),
  f_client: z.string().optional().describe('Client ids, comma-separated.'),
  f_location: z.string().optional().describe('Saved location ids, comma-separated.'),
  f_created_date: z.string().optional().describe('"from,to": dates (YYYY-MM-DD, to inclusive) or "YYYY-MM-DD HH:MM:SS" UTC; either end may be empty.'),
  f_updated_date: z.string().optional().describe('As f_created_date, on last_updated.'),
});

function parseIds(value: string, field: string, errors: FieldError[]): number[] {
  const out: number[] = [];
  for (const t of csv(value)) {
    if (/^[1-9]\d*$/.test(t)) out.push(Number(t));
    else errors.push({ field, message: `"${t}" is not an id.` });
  }
  return out;
}

function parseBound(s: string, end: 'from' | 'to'): number | undefined {
  const t = s.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) {
    const day = parseFnTime(`${t} 00:00:00`);
    return day === undefined ? undefined : end === 'from' ? day : day + 86_400_000;
  }
  const at = parseFnTime(t) ?? (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(t) ? Date.parse(t) : undefined);
  if (at === undefined || Number.isNaN(at)) return undefined;
  // Timestamps have whole seconds: an inclusive `to` instant covers its second.
  return end === 'from' ? at : Math.floor(at / 1000) * 1000 + 1000;
}

function parseRange(value: string, field: string, errors: FieldError[]): { from?: number; to?: number } | undefined {
  const parts = value.split(',');
  if (parts.length > 2) {
    errors.push({ field, message: 'Expected "from,to".' });
    return undefined;
  }
  const [a = '', b = a] = parts;
  const from = a.trim() ? parseBound(a, 'from') : undefined;
  const to = b.trim() ? parseBound(b, 'to') : undefined;
  if ((a.trim() && from === undefined) || (b.trim() && to === undefined)) {
    errors.push({ field, message: `"${value}" is not a date range (YYYY-MM-DD or "YYYY-MM-DD HH:MM:SS", comma-separated).` });
    return undefined;
  }
  return { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) };
}

function intersect(a: number[] | undefined, b: number[]): number[] {
  return a === undefined ? b : a.filter((x) => b.includes(x));
}

/** The work-order search of a list state; 400 on anything it cannot read. */
function queryOf(s: ListState): WorkOrderQuery {
  const errors: FieldError[] = [];
  const list = WORK_ORDER_LISTS.find((l) => l.id === s.list);
  if (!list) errors.push({ field: 'list', message: `Unknown list "${s.list}".` });
  if (!(WORK_ORDER_SORTS as readonly string[]).includes(s.sort)) errors.push({ field: 'sort', message: `Unknown sort "${s.sort}"; use one of ${WORK_ORDER_SORTS.join(', ')}.` });
  let statusIds = list?.statuses ? [...list.statuses] : undefined;
  for (const f of ['f_status', 'f_state'] as const) {
    const v = s.filters[f];
    if (v === undefined) continue;
    const ids: number[] = [];
    for (const t of csv(v)) {
      const id = resolveStatus(t);
      if (id === undefined) errors.push({ field: f, message: `Unknown status "${t}".` });
      else ids.push(id);
    }
    statusIds = intersect(statusIds, ids);
  }
  const q: WorkOrderQuery = { sort: s.sort as WorkOrderSort, order: s.order };
  if (statusIds) q.statusIds = statusIds;
  if (s.filters.f_project !== undefined) q.projectIds = parseIds(s.filters.f_project, 'f_project', errors);
  if (s.filters.f_client !== undefined) q.clientIds = parseIds(s.filters.f_client, 'f_client', errors);
  if (s.filters.f_location !== undefined) q.locationIds = parseIds(s.filters.f_location, 'f_location', errors);
  if (s.filters.f_created_date !== undefined) {
    const r = parseRange(s.filters.f_created_date, 'f_created_date', errors);
    if (r) q.created = r;
  }
  if (s.filters.f_updated_date !== undefined) {
    const r = parseRange(s.filters.f_updated_date, 'f_updated_date', errors);
    if (r) q.updated = r;
  }
  if (errors.length) throw invalid(errors);
  return q;
}

/** The simulator's state and the per-user sticky list state the work-order routes use. */
export interface WorkOrderRouteDeps {
  state: FieldNationState;
  sticky: Map<number, ListState>;
}

/** The work-order routes. */
export function workOrderRoutes({ state, sticky }: WorkOrderRouteDeps): RouteDef[] {
  const wo = (req: SimRequest) => state.workOrder(idParam(req, 'workorder_id', 'Work order'));
  const ok = (rec: WorkOrderRec) => ({ status: 200, body: renderWorkOrder(state, rec) });
  const action = (
    method: 'POST' | 'DELETE',
    suffix: string,
    operationId: string,
    summary: string,
    run: (rec: WorkOrderRec, req: SimRequest) => WorkOrderRec,
    description?: string,
  ): RouteDef =>
    fnRoute({
      method,
      path: `${V2}/workorders/{workorder_id}/${suffix}`,
      operationId,
      summary,
      ...(description ? { description } : {}),
      tags: ['Work order lifecycle'],
      pathParams: WO_ID,
      query: z.object({ async: ASYNC }),
      responses: { 200: { description: 'The work order after the action.', schema: WorkOrderSchema }, ...problemResponses(400, 401, 404, 409, 422, 429) },
      handler: (req) => ok(run(wo(req), req)),
    });

  return [
    fnRoute({
      method: 'GET',
      path: `${V2}/workorders`,
      operationId: 'listWorkOrders',
      summary: 'List work orders (page/per_page, list, sticky, f_ filters, sort/order).',
      description:
        'Pages are 1-based; loop while metadata.page < metadata.pages. List state is sticky per API user unless sticky=false (see the parameter). Unknown f_ filters are ignored.',
      tags: ['Work orders'],
      query: ListQuery,
      responses: { 200: { description: 'One page of work orders.', schema: envelope(WorkOrderSchema) }, ...problemResponses(400, 401, 429) },
      handler: (req) => {
        const p = req.query;
        const useSticky = !(p.sticky === 'false' || p.sticky === '0');
        const saved = useSticky ? sticky.get(req.auth.userId) : undefined;
        const filters: Record<string, string> = { ...(saved?.filters ?? {}) };
        for (const f of FILTERS) {
          const v = req.rawQuery.get(f);
          if (v === null) continue;
          if (v.trim() === '') delete filters[f];
          else filters[f] = v;
        }
        const s: ListState = {
          list: p.list ?? saved?.list ?? 'workorders_all',
          sort: p.sort ?? saved?.sort ?? 'id',
          order: p.order ?? saved?.order ?? 'asc',
          filters,
        };
        const rows = state.searchWorkOrders(queryOf(s));
        if (useSticky) sticky.set(req.auth.userId, s);
        return {
          status: 200,
          body: renderPage(rows, { page: p.page, per_page: p.per_page, columns: p.columns, view: p.view, sort: s.sort, order: s.order, list: s.list }, (r) =>
            renderWorkOrder(state, r),
          ),
        };
      },
    }),
    fnRoute({
      method: 'GET',
      path: `${V2}/workorders/lists`,
      operationId: 'listWorkOrderLists',
      summary: 'Saved work-order lists with their current counts.',
      tags: ['Work orders'],
      query: z.object({ list: z.string().optional(), sticky: z.enum(['true', 'false', '1', '0']).optional() }),
      responses: { 200: { description: 'The lists.', schema: envelope(WorkOrderListSchema) }, ...problemResponses(400, 401, 429) },
      handler: (req) => {
        const useSticky = !(req.query.sticky === 'false' || req.query.sticky === '0');
        const saved = useSticky ? sticky.get(req.auth.userId) : undefined;
        const selected = req.query.list ?? saved?.list ?? 'workorders_all';
        if (!WORK_ORDER_LISTS.some((l) => l.id === selected)) throw invalid([{ field: 'list', message: `Unknown list "${selected}".` }]);
        if (useSticky && req.query.list) sticky.set(req.auth.userId, { list: selected, sort: saved?.sort ?? 'id', order: saved?.order ?? 'asc', filters: saved?.filters ?? {} });
        const lists = WORK_ORDER_LISTS.map((l) => ({ id: l.id, label: l.label, count: state.countByStatus(l.statuses), selected: l.id === selected }));
        return { status: 200, body: renderPage(lists, { page: 1, per_page: lists.length, sort: 'id', order: 'asc', list: selected }, (x) => x) };
      },
    }),
    fnRoute({
      method: 'POST',
      path: `${V2}/workorders`,
      operationId: 'createWorkOrder',
      summary: 'Create a work order (in Draft).',
      description:
        'Requires title, types_of_work [{id, isPrimary}] (ids from GET /types-of-work), location ({mode: "saved", id} or {mode: "custom", address1, city, state, zip, country}) and schedule.service_window ({mode, start: {utc}, end?: {utc}}; between and hours need an end). Unknown references are a 422.',
      tags: ['Work orders'],
      body: WorkOrderCreateInput,
      responses: { 201: { description: 'The new work order.', schema: WorkOrderSchema }, ...problemResponses(400, 401, 422, 429) },
      handler: (req) => ({ status: 201, body: renderWorkOrder(state, state.createWorkOrder(req.body)) }),
    }),
    fnRoute({
      method: 'GET',
      path: `${V2}/workorders/{workorder_id}`,
      operationId: 'getWorkOrder',
      summary: 'Get a work order.',
      tags: ['Work orders'],
      pathParams: WO_ID,
      query: z.object({ columns: z.string().optional().describe('Accepted; the sandbox returns every section.') }),
      responses: { 200: { description: 'The work order.', schema: WorkOrderSchema }, ...problemResponses(401, 404, 429) },
      handler: (req) => ok(wo(req)),
    }),
    fnRoute({
      method: 'PUT',
      path: `${V2}/workorders/{workorder_id}`,
      operationId: 'updateWorkOrder',
      summary: 'Update a work order: only the given fields change.',
      description:
        'Schedule changes merge (pass both start and end to replace a window). Pay changes only before assignment; schedule and location until the work is done; nothing once Approved, Paid or Cancelled (409).',
      tags: ['Work orders'],
      pathParams: WO_ID,
      body: WorkOrderUpdateInput,
      responses: { 200: { description: 'The updated work order.', schema: WorkOrderSchema }, ...problemResponses(400, 401, 404, 409, 422, 429) },
      handler: (req) => ok(state.updateWorkOrder(wo(req), req.body)),
    }),
    fnRoute({
      method: 'DELETE',
      path: `${V2}/workorders/{workorder_id}`,
      operationId: 'deleteWorkOrder',
      summary: 'Cancel a work order; cancel_reason is required.',
      tags: ['Work orders'],
      pathParams: WO_ID,
      query: z.object({ cancel_reason: z.string().trim().min(1).describe('Why the work order is cancelled (required).') }),
      responses: { 200: { description: 'The cancelled work order.', schema: WorkOrderSchema }, ...problemResponses(400, 401, 404, 409, 429) },
      handler: (req) => ok(state.cancel(wo(req), req.query.cancel_reason)),
    }),
    action('POST', 'publish', 'publishWorkOrder', 'Publish a draft (needs a schedule and pay).', (rec) => state.publish(rec)),
    action('DELETE', 'publish', 'unpublishWorkOrder', 'Unpublish: Published or Routed back to Draft.', (rec) => state.unpublish(rec)),
    action('POST', 'draft', 'revertWorkOrderToDraft', 'Revert to Draft from Published, Routed or Assigned.', (rec) => state.revertToDraft(rec)),
    fnRoute({
      method: 'POST',
      path: `${V2}/workorders/{workorder_id}/route`,
      operationId: 'routeWorkOrder',
      summary: 'Route a published work order to a provider: {technician: {id}} (or {user: {id}}).',
      tags: ['Work order lifecycle'],
      pathParams: WO_ID,
      query: z.object({ async: ASYNC, acting_user_id: z.string().optional().describe('Accepted and ignored.') }),
      body: RouteInput,
      responses: { 200: { description: 'The routed work order.', schema: WorkOrderSchema }, ...problemResponses(400, 401, 404, 409, 422, 429) },
      handler: (req) => {
        const ref = req.body.technician ?? req.body.user!;
        return ok(state.route(wo(req), [ref.id], req.body.technician ? 'technician.id' : 'user.id'));
      },
    }),
    fnRoute({
      method: 'DELETE',
      path: `${V2}/workorders/{workorder_id}/route`,
      operationId: 'unrouteWorkOrder',
      summary: 'Withdraw the route to user_id (or every route); with none left the work order is Published.',
      tags: ['Work order lifecycle'],
      pathParams: WO_ID,
      query: z.object({ async: ASYNC, user_id: z.coerce.number().int().positive().optional().describe('Provider to un-route; all when absent.') }),
      responses: { 200: { description: 'The work order.', schema: WorkOrderSchema }, ...problemResponses(400, 401, 404, 409, 429) },
      handler: (req) => ok(state.unroute(wo(req), req.query.user_id)),
    }),
    fnRoute({
      method: 'DELETE',
      path: `${V2}/workorders/{workorder_id}/route/{user_id}`,
      operationId: 'unrouteWorkOrderUser',
      summary: 'Withdraw the route to one provider.',
      tags: ['Work order lifecycle'],
      pathParams: { ...WO_ID, user_id: { description: 'Provider id.', type: 'integer' } },
      query: z.object({ async: ASYNC }),
      responses: { 200: { description: 'The work order.', schema: WorkOrderSchema }, ...problemResponses(401, 404, 409, 429) },
      handler: (req) => ok(state.unroute(wo(req), idParam(req, 'user_id', 'User'))),
    }),
    fnRoute({
      method: 'POST',
      path: `${V2}/workorders/{workorder_id}/mass-route`,
      operationId: 'massRouteWorkOrder',
      summary: 'Route to several providers: {ids: [...]} or {talent_pool_id}. Answers a job id (the sandbox routes before answering).',
      tags: ['Work order lifecycle'],
      pathParams: WO_ID,
      body: MassRouteInput,
      responses: { 202: { description: 'The routing job.', schema: MassRouteResponseSchema }, ...problemResponses(400, 401, 404, 409, 422, 429) },
      handler: (req) => {
        let ids = req.body.ids;
        if (!ids) {
          const pool = state.talentPools.get(req.body.talent_pool_id!);
          if (!pool) throw new FnProblem(422, 'UNPROCESSABLE_ENTITY', 'A referenced record does not exist or cannot be used; see errors.', [{ field: 'talent_pool_id', message: `Talent pool group ${req.body.talent_pool_id} does not exist.` }]);
          ids = pool.filter((u) => u.active).map((u) => u.id);
        }
        const rec = state.route(wo(req), ids, 'ids');
        return { status: 202, body: { job_id: randomUUID(), routed: rec.routes.map((r) => r.userId) } };
      },
    }),
    fnRoute({
      method: 'POST',
      path: `${V2}/workorders/{workorder_id}/assignee`,
      operationId: 'assignWorkOrder',
      summary: 'Assign a provider: {user: {id}} (from Published or Routed).',
      tags: ['Work order lifecycle'],
      pathParams: WO_ID,
      query: z.object({ clientPayTermsAccepted: z.enum(['true', 'false']).optional().describe('Records acceptance of the pay terms.') }),
      body: AssigneeInput,
      responses: { 200: { description: 'The assigned work order.', schema: WorkOrderSchema }, ...problemResponses(400, 401, 404, 409, 422, 429) },
      handler: (req) => ok(state.assign(wo(req), req.body.user.id)),
    }),
    action('DELETE', 'assignee', 'unassignWorkOrder', 'Unassign the provider: Assigned back to Published.', (rec) => state.unassign(rec)),
    action('POST', 'approve', 'approveWorkOrder', 'Approve done work (Work Done to Approved).', (rec) => state.approve(rec)),
    fnRoute({
      method: 'DELETE',
      path: `${V2}/workorders/{workorder_id}/complete`,
      operationId: 'incompleteWorkOrder',
      summary: 'Mark done work incomplete (Work Done back to Assigned); reason and reason_id are required.',
      tags: ['Work order lifecycle'],
      pathParams: WO_ID,
      query: z.object({
        reason: z.string().trim().min(1).describe('Explanation for the provider (required).'),
        reason_id: z.coerce.number().int().positive().describe('An id from GET /incomplete-reasons (required).'),
      }),
      responses: { 200: { description: 'The work order.', schema: WorkOrderSchema }, ...problemResponses(400, 401, 404, 409, 422, 429) },
      handler: (req) => {
        const rec = wo(req);
        if (!INCOMPLETE_REASONS.some((r) => r.id === req.query.reason_id)) {
          throw new FnProblem(422, 'UNPROCESSABLE_ENTITY', 'A referenced record does not exist or cannot be used; see errors.', [{ field: 'reason_id', message: `Incomplete reason ${req.query.reason_id} does not exist.` }]);
        }
        return ok(state.incomplete(rec));
      },
    }),
    fnRoute({
      method: 'GET',
      path: `${V2}/workorders/{workorder_id}/schedule`,
      operationId: 'getWorkOrderSchedule',
      summary: 'Get the service window.',
      tags: ['Work orders'],
      pathParams: WO_ID,
      responses: { 200: { description: 'The schedule.', schema: ScheduleSchema }, ...problemResponses(401, 404, 429) },
      handler: (req) => ({ status: 200, body: renderSchedule(wo(req)) }),
    }),
    fnRoute({
      method: 'PUT',
      path: `${V2}/workorders/{workorder_id}/schedule`,
      operationId: 'updateWorkOrderSchedule',
      summary: 'Update the service window. Fields not given keep their old values: pass both start and end.',
      tags: ['Work orders'],
      pathParams: WO_ID,
      body: SchedulePatchInput,
      responses: { 200: { description: 'The new schedule.', schema: ScheduleSchema }, ...problemResponses(400, 401, 404, 409, 429) },
      handler: (req) => ({ status: 200, body: renderSchedule(state.updateSchedule(wo(req), req.body)) }),
    }),
    fnRoute({
      method: 'GET',
      path: `${V2}/workorders/{workorder_id}/status`,
      operationId: 'getWorkOrderStatus',
      summary: 'Get the status object.',
      tags: ['Work orders'],
      pathParams: WO_ID,
      responses: { 200: { description: 'The status.', schema: StatusSchema }, ...problemResponses(401, 404, 429) },
      handler: (req) => ({ status: 200, body: renderStatus(wo(req)) }),
    }),
    fnRoute({
      method: 'GET',
      path: `${V2}/workorders/{workorder_id}/custom_fields`,
      operationId: 'listWorkOrderCustomFields',
      summary: 'Every configured custom field with this work order\'s value (null when unset).',
      tags: ['Work orders'],
      pathParams: WO_ID,
      responses: { 200: { description: 'The custom fields.', schema: CustomFieldsSchema }, ...problemResponses(401, 404, 429) },
      handler: (req) => ({ status: 200, body: renderCustomFields(wo(req)) }),
    }),
    fnRoute({
      method: 'PUT',
      path: `${V2}/workorders/{workorder_id}/custom_fields`,
      operationId: 'updateWorkOrderCustomFields',
      summary: 'Set custom field values: [{id or name, value}] or {results: [...]}; value null clears.',
      tags: ['Work orders'],
      pathParams: WO_ID,
      body: CustomFieldsInput,
      responses: { 200: { description: 'The custom fields.', schema: CustomFieldsSchema }, ...problemResponses(400, 401, 404, 409, 422, 429) },
      handler: (req) => ({ status: 200, body: renderCustomFields(state.updateCustomFields(wo(req), req.body)) }),
    }),
    fnRoute({
      method: 'GET',
      path: `${V2}/workorders/{workorder_id}/custom_fields/{custom_field_id}`,
      operationId: 'getWorkOrderCustomField',
      summary: 'One custom field of a work order.',
      tags: ['Work orders'],
      pathParams: { ...WO_ID, custom_field_id: { description: 'Custom field id.', type: 'integer' } },
      responses: { 200: { description: 'The custom field.', schema: CustomFieldValueSchema }, ...problemResponses(401, 404, 429) },
      handler: (req) => {
        const rec = wo(req);
        const id = idParam(req, 'custom_field_id', 'Custom field');
        const field = renderCustomFields(rec).results.find((f) => f.id === id);
        if (!field) throw new FnProblem(404, 'NOT_FOUND', `Custom field ${id} not found.`);
        return { status: 200, body: field };
      },
    }),
    fnRoute({
      method: 'PUT',
      path: `${V2}/workorders/{workorder_id}/custom_fields/{custom_field_id}`,
      operationId: 'updateWorkOrderCustomField',
      summary: 'Set one custom field: {value} (null clears).',
      tags: ['Work orders'],
      pathParams: { ...WO_ID, custom_field_id: { description: 'Custom field id.', type: 'integer' } },
      body: CustomFieldValueInput,
      responses: { 200: { description: 'The custom field.', schema: CustomFieldValueSchema }, ...problemResponses(400, 401, 404, 409, 429) },
      handler: (req) => {
        const rec = wo(req);
        const id = idParam(req, 'custom_field_id', 'Custom field');
        if (!CUSTOM_FIELDS.some((d) => d.id === id)) throw new FnProblem(404, 'NOT_FOUND', `Custom field ${id} not found.`);
        const updated = state.updateCustomFields(rec, [{ id, value: req.body.value }]);
        return { status: 200, body: renderCustomFields(updated).results.find((f) => f.id === id)! };
      },
    }),
  ];
}
