/**
 * The directory routes of the Field Nation simulator: users (providers), talent pool groups (the
 * way to enumerate providers, since the API has no provider search), saved locations, clients,
 * projects, types of work, custom fields and incomplete reasons.
 */
import { z } from 'zod';
import { csv, type RouteDef } from '../../sandbox/kit.js';
import { FnProblem, problemResponses, type FieldError } from './problems.js';
import { CUSTOM_FIELDS, INCOMPLETE_REASONS, TALENT_POOL_GROUPS, TYPE_OF_WORK_BY_ID, TYPES_OF_WORK } from './reference.js';
import {
  renderClient,
  renderLocation,
  renderPage,
  renderProject,
  renderTalentPoolGroup,
  renderTypeOfWork,
  renderUser,
  talentPoolGroup,
} from './render.js';
import {
  ClientCreateInput,
  ClientSchema,
  CustomFieldDefSchema,
  envelope,
  LocationCreateInput,
  ProjectCreateInput,
  ProjectSchema,
  RefSchema,
  SavedLocationSchema,
  TalentPoolGroupSchema,
  TypeOfWorkSchema,
  UserSchema,
} from './schemas.js';
import type { FieldNationState } from './state.js';
import { fnRoute, idParam, V2 } from './routes-work-orders.js';

const PageQuery = z.object({
  page: z.coerce.number().int().min(1).default(1).describe('1-based page.'),
  per_page: z.coerce.number().int().min(1).max(100).default(25).describe('Results per page (default 25); more than 100 is a 400.'),
});

const idPath = (name: string, what: string) => ({ [name]: { description: `${what} id.`, type: 'integer' as const } });

const page = (q: { page: number; per_page: number }) => ({ page: q.page, per_page: q.per_page, sort: 'id', order: 'asc' as const, list: null });

/** Everything in one page (small reference lists). */
const whole = (n: number) => ({ page: 1, per_page: Math.max(1, n), sort: 'id', order: 'asc' as const, list: null });

/** The directory routes over `state`. */
export function directoryRoutes(state: FieldNationState): RouteDef[] {
  return [
    fnRoute({
      method: 'GET',
      path: `${V2}/users/{user_id}`,
      operationId: 'getUser',
      summary: 'Get a user: a provider (name, contact, skills, types of work, service territory) or the API user.',
      tags: ['Users'],
      pathParams: idPath('user_id', 'User'),
      responses: { 200: { description: 'The user.', schema: UserSchema }, ...problemResponses(401, 404, 429) },
      handler: (req) => {
        const id = idParam(req, 'user_id', 'User');
        const u = state.user(id);
        if (!u) throw new FnProblem(404, 'NOT_FOUND', `User ${id} not found.`);
        return { status: 200, body: renderUser(u) };
      },
    }),
    fnRoute({
      method: 'GET',
      path: `${V2}/talent-pools`,
      operationId: 'listTalentPoolGroups',
      summary: 'List talent pool groups. Each provider of the company is in exactly one (one group per service territory).',
      description: 'The API has no provider search: enumerate providers by walking every group\'s users.',
      tags: ['Talent pools'],
      query: PageQuery,
      responses: { 200: { description: 'One page of groups.', schema: envelope(TalentPoolGroupSchema) }, ...problemResponses(400, 401, 429) },
      handler: (req) => ({ status: 200, body: renderPage(TALENT_POOL_GROUPS, page(req.query), (g) => renderTalentPoolGroup(state, g)) }),
    }),
    fnRoute({
      method: 'GET',
      path: `${V2}/talent-pools/{talent_pool_id}`,
      operationId: 'getTalentPoolGroup',
      summary: 'Get a talent pool group.',
      tags: ['Talent pools'],
      pathParams: idPath('talent_pool_id', 'Talent pool group'),
      responses: { 200: { description: 'The group.', schema: TalentPoolGroupSchema }, ...problemResponses(401, 404, 429) },
      handler: (req) => {
        const id = idParam(req, 'talent_pool_id', 'Talent pool group');
        const g = talentPoolGroup(id);
        if (!g) throw new FnProblem(404, 'NOT_FOUND', `Talent pool group ${id} not found.`);
        return { status: 200, body: renderTalentPoolGroup(state, g) };
      },
    }),
    fnRoute({
      method: 'GET',
      path: `${V2}/talent-pools/{talent_pool_id}/users`,
      operationId: 'listTalentPoolGroupUsers',
      summary: 'List the providers of a talent pool group (full user objects, by id).',
      tags: ['Talent pools'],
      pathParams: idPath('talent_pool_id', 'Talent pool group'),
      query: PageQuery,
      responses: { 200: { description: 'One page of providers.', schema: envelope(UserSchema) }, ...problemResponses(400, 401, 404, 429) },
      handler: (req) => {
        const id = idParam(req, 'talent_pool_id', 'Talent pool group');
        const users = state.talentPools.get(id);
        if (!users) throw new FnProblem(404, 'NOT_FOUND', `Talent pool group ${id} not found.`);
        return { status: 200, body: renderPage(users, page(req.query), renderUser) };
      },
    }),
    fnRoute({
      method: 'GET',
      path: `${V2}/locations`,
      operationId: 'listLocations',
      summary: 'List saved locations (by id); f_client narrows to clients\' locations.',
      tags: ['Locations'],
      query: PageQuery.extend({ f_client: z.string().optional().describe('Client ids, comma-separated.') }),
      responses: { 200: { description: 'One page of saved locations.', schema: envelope(SavedLocationSchema) }, ...problemResponses(400, 401, 429) },
      handler: (req) => {
        let rows = state.locationList;
        if (req.query.f_client !== undefined) {
          const errors: FieldError[] = [];
          const ids = new Set<number>();
          for (const t of csv(req.query.f_client)) {
            if (/^[1-9]\d*$/.test(t)) ids.add(Number(t));
            else errors.push({ field: 'f_client', message: `"${t}" is not an id.` });
          }
          if (errors.length) throw new FnProblem(400, 'VALIDATION_ERROR', 'The request is invalid; see errors for the fields.', errors);
          rows = [...ids].flatMap((id) => state.locationsByClient.get(id) ?? []).sort((a, b) => a.id - b.id);
        }
        return { status: 200, body: renderPage(rows, page(req.query), (l) => renderLocation(state, l)) };
      },
    }),
    fnRoute({
      method: 'POST',
      path: `${V2}/locations`,
      operationId: 'createLocation',
      summary: 'Add a saved location (name, address1, city, state, zip, country required).',
      tags: ['Locations'],
      body: LocationCreateInput,
      responses: { 201: { description: 'The new location.', schema: SavedLocationSchema }, ...problemResponses(400, 401, 422, 429) },
      handler: (req) => ({ status: 201, body: renderLocation(state, state.createLocation(req.body)) }),
    }),
    fnRoute({
      method: 'GET',
      path: `${V2}/locations/{location_id}`,
      operationId: 'getLocation',
      summary: 'Get a saved location.',
      tags: ['Locations'],
      pathParams: idPath('location_id', 'Location'),
      responses: { 200: { description: 'The location.', schema: SavedLocationSchema }, ...problemResponses(401, 404, 429) },
      handler: (req) => {
        const id = idParam(req, 'location_id', 'Location');
        const l = state.locations.get(id);
        if (!l) throw new FnProblem(404, 'NOT_FOUND', `Location ${id} not found.`);
        return { status: 200, body: renderLocation(state, l) };
      },
    }),
    fnRoute({
      method: 'GET',
      path: `${V2}/clients`,
      operationId: 'listClients',
      summary: 'List clients (the company\'s end customers), by id.',
      tags: ['Clients'],
      query: PageQuery,
      responses: { 200: { description: 'One page of clients.', schema: envelope(ClientSchema) }, ...problemResponses(400, 401, 429) },
      handler: (req) => ({ status: 200, body: renderPage(state.clientList, page(req.query), renderClient) }),
    }),
    fnRoute({
      method: 'POST',
      path: `${V2}/clients`,
      operationId: 'createClient',
      summary: 'Create a client: name (required), type, contact {name, email, phone}, address {address1, address2, city, state, zip, country}.',
      tags: ['Clients'],
      body: ClientCreateInput,
      responses: { 201: { description: 'The new client.', schema: ClientSchema }, ...problemResponses(400, 401, 429) },
      handler: (req) => ({ status: 201, body: renderClient(state.createClient(req.body)) }),
    }),
    fnRoute({
      method: 'GET',
      path: `${V2}/clients/{client_id}`,
      operationId: 'getClient',
      summary: 'Get a client.',
      tags: ['Clients'],
      pathParams: idPath('client_id', 'Client'),
      responses: { 200: { description: 'The client.', schema: ClientSchema }, ...problemResponses(401, 404, 429) },
      handler: (req) => {
        const id = idParam(req, 'client_id', 'Client');
        const c = state.clients.get(id);
        if (!c) throw new FnProblem(404, 'NOT_FOUND', `Client ${id} not found.`);
        return { status: 200, body: renderClient(c) };
      },
    }),
    fnRoute({
      method: 'GET',
      path: `${V2}/projects`,
      operationId: 'listProjects',
      summary: 'List projects, by id.',
      tags: ['Projects'],
      query: PageQuery,
      responses: { 200: { description: 'One page of projects.', schema: envelope(ProjectSchema) }, ...problemResponses(400, 401, 429) },
      handler: (req) => ({ status: 200, body: renderPage(state.projectList, page(req.query), (p) => renderProject(state, p)) }),
    }),
    fnRoute({
      method: 'POST',
      path: `${V2}/projects`,
      operationId: 'createProject',
      summary: 'Create a project: name (required), description, client {id}.',
      tags: ['Projects'],
      body: ProjectCreateInput,
      responses: { 201: { description: 'The new project.', schema: ProjectSchema }, ...problemResponses(400, 401, 422, 429) },
      handler: (req) => ({ status: 201, body: renderProject(state, state.createProject(req.body)) }),
    }),
    fnRoute({
      method: 'GET',
      path: `${V2}/projects/{project_id}`,
      operationId: 'getProject',
      summary: 'Get a project.',
      tags: ['Projects'],
      pathParams: idPath('project_id', 'Project'),
      responses: { 200: { description: 'The project.', schema: ProjectSchema }, ...problemResponses(401, 404, 429) },
      handler: (req) => {
        const id = idParam(req, 'project_id', 'Project');
        const p = state.projects.get(id);
        if (!p) throw new FnProblem(404, 'NOT_FOUND', `Project ${id} not found.`);
        return { status: 200, body: renderProject(state, p) };
      },
    }),
    fnRoute({
      method: 'GET',
      path: `${V2}/types-of-work`,
      operationId: 'listTypesOfWork',
      summary: 'Types of work with their service types (a work order needs at least one type of work).',
      tags: ['Reference'],
      responses: { 200: { description: 'Every type of work.', schema: envelope(TypeOfWorkSchema) }, ...problemResponses(401, 429) },
      handler: () => ({ status: 200, body: renderPage(TYPES_OF_WORK, whole(TYPES_OF_WORK.length), renderTypeOfWork) }),
    }),
    fnRoute({
      method: 'GET',
      path: `${V2}/types-of-work/{type_of_work_id}/service-types`,
      operationId: 'listServiceTypes',
      summary: 'The service types of one type of work.',
      tags: ['Reference'],
      pathParams: idPath('type_of_work_id', 'Type of work'),
      responses: { 200: { description: 'The service types.', schema: envelope(RefSchema) }, ...problemResponses(401, 404, 429) },
      handler: (req) => {
        const id = idParam(req, 'type_of_work_id', 'Type of work');
        const t = TYPE_OF_WORK_BY_ID.get(id);
        if (!t) throw new FnProblem(404, 'NOT_FOUND', `Type of work ${id} not found.`);
        return { status: 200, body: renderPage(t.serviceTypes, whole(t.serviceTypes.length), (s) => ({ id: s.id, name: s.name })) };
      },
    }),
    fnRoute({
      method: 'GET',
      path: `${V2}/custom-fields`,
      operationId: 'listCustomFields',
      summary: 'The custom fields configured for work orders ("Client WO Number" carries a linked Astea work order number).',
      tags: ['Reference'],
      responses: { 200: { description: 'Every custom field.', schema: envelope(CustomFieldDefSchema) }, ...problemResponses(401, 429) },
      handler: () => ({ status: 200, body: renderPage(CUSTOM_FIELDS, whole(CUSTOM_FIELDS.length), (d) => ({ ...d })) }),
    }),
    fnRoute({
      method: 'GET',
      path: `${V2}/incomplete-reasons`,
      operationId: 'listIncompleteReasons',
      summary: 'Reasons for marking done work incomplete (reason_id of DELETE /workorders/{id}/complete).',
      tags: ['Reference'],
      responses: { 200: { description: 'Every reason.', schema: envelope(RefSchema) }, ...problemResponses(401, 429) },
      handler: () => ({ status: 200, body: renderPage(INCOMPLETE_REASONS, whole(INCOMPLETE_REASONS.length), (r) => ({ ...r })) }),
    }),
  ];
}
