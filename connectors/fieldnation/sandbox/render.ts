/**
 * Renders the simulator's records in Field Nation's wire format (the shapes in `schemas.ts`).
 * Pure functions of the state: nothing here changes a record.
 */
import type { z } from 'zod';
import {
  COMPANY,
  CUSTOM_FIELDS,
  fnTime,
  LOCATION_GROUPS,
  LOCATION_TYPE_BY_ID,
  LOCATION_TYPES,
  STATUS,
  statusName,
  TALENT_POOL_GROUPS,
  TERRITORIES,
  TYPE_OF_WORK_BY_ID,
  typeOfWorkForSkill,
  type TalentPoolGroup,
  type TypeOfWork,
} from './reference.js';
import type {
  ClientSchema,
  CustomFieldsSchema,
  MetadataSchema,
  PaySchema,
  ProjectSchema,
  SavedLocationSchema,
  ScheduleSchema,
  StatusSchema,
  TalentPoolGroupSchema,
  TypeOfWorkSchema,
  UserSchema,
  WorkOrderLocationSchema,
  WorkOrderSchema,
} from './schemas.js';
import type { Address, ClientRec, FieldNationState, LocationRec, ProjectRec, UserRec, WorkOrderRec } from './state.js';

type Wire<T extends z.ZodType> = z.output<T>;

/** The status object of a work order. */
export function renderStatus(rec: WorkOrderRec): Wire<typeof StatusSchema> {
  const name = statusName(rec.statusId);
  return {
    id: rec.statusId,
    name,
    display: name,
    is_routed: rec.statusId === STATUS.Routed,
    code: name.toLowerCase().replace(/\s+/g, '_'),
    delay: 0,
    ncns: false,
    sub_status: null,
    confirmed: rec.assigneeId !== undefined,
  };
}

/** The schedule of a work order. */
export function renderSchedule(rec: WorkOrderRec): Wire<typeof ScheduleSchema> {
  const w = rec.window;
  return {
    service_window: w ? { mode: w.mode, start: fnTime(w.startMs), ...(w.endMs !== undefined ? { end: fnTime(w.endMs) } : {}) } : null,
  };
}

/** The pay of a work order, or null before pay is set. */
export function renderPay(rec: WorkOrderRec): Wire<typeof PaySchema> | null {
  return rec.pay ? { type: rec.pay.type, base: { amount: rec.pay.amount, units: rec.pay.units } } : null;
}

/** Every configured custom field with this work order's value (null when unset). */
export function renderCustomFields(rec: WorkOrderRec): Wire<typeof CustomFieldsSchema> {
  return { results: CUSTOM_FIELDS.map((d) => ({ id: d.id, name: d.name, type: d.type, value: rec.customFields.get(d.id) ?? null })) };
}

function oneLine(a: Address): string {
  return `${a.address1}, ${a.city}, ${a.state} ${a.zip}`;
}

function geo(a: Address): { latitude: number; longitude: number } | null {
  return a.latitude !== undefined && a.longitude !== undefined ? { latitude: a.latitude, longitude: a.longitude } : null;
}

/** Where a work order happens. */
export function renderWorkOrderLocation(state: FieldNationState, rec: WorkOrderRec): Wire<typeof WorkOrderLocationSchema> {
  const saved = rec.location.mode === 'saved' ? state.locations.get(rec.location.id) : undefined;
  const address = saved ? saved.address : rec.location.mode === 'custom' ? rec.location.address : undefined;
  const name = saved ? saved.name : rec.location.mode === 'custom' ? (rec.location.name ?? null) : null;
  const a: Address = address ?? { address1: '', city: '', state: '', zip: '', country: '' };
  return {
    mode: rec.location.mode,
    id: rec.location.mode === 'saved' ? rec.location.id : null,
    name,
    display_name: name ?? oneLine(a),
    address1: a.address1,
    address2: a.address2 ?? null,
    city: a.city,
    state: a.state,
    zip: a.zip,
    country: a.country,
    geo: geo(a),
  };
}

function userRef(state: FieldNationState, id: number): { id: number; first_name: string; last_name: string } {
  const u = state.user(id);
  return { id, first_name: u?.firstName ?? '', last_name: u?.lastName ?? '' };
}

function nameRef<T extends { id: number; name: string }>(rec: T | undefined): { id: number; name: string } | null {
  return rec ? { id: rec.id, name: rec.name } : null;
}

function towRef(t: TypeOfWork, isPrimary: boolean, serviceTypeIds: readonly number[]) {
  return {
    id: t.id,
    name: t.name,
    isPrimary,
    service_types: t.serviceTypes.filter((s) => serviceTypeIds.includes(s.id)).map((s) => ({ id: s.id, name: s.name })),
  };
}

/** A work order. */
export function renderWorkOrder(state: FieldNationState, rec: WorkOrderRec): Wire<typeof WorkOrderSchema> {
  return {
    id: rec.id,
    title: rec.title,
    description: { html: rec.descriptionHtml },
    status: renderStatus(rec),
    company: { id: COMPANY.id, name: COMPANY.name },
    client: rec.clientId !== undefined ? nameRef(state.clients.get(rec.clientId)) : null,
    project: rec.projectId !== undefined ? nameRef(state.projects.get(rec.projectId)) : null,
    types_of_work: rec.typesOfWork.flatMap((t) => {
      const tow = TYPE_OF_WORK_BY_ID.get(t.id);
      return tow ? [towRef(tow, t.isPrimary, t.serviceTypeIds)] : [];
    }),
    location: renderWorkOrderLocation(state, rec),
    schedule: renderSchedule(rec),
    pay: renderPay(rec),
    assignee: rec.assigneeId !== undefined ? { user: userRef(state, rec.assigneeId) } : null,
    routes: rec.routes.map((r) => ({ user: userRef(state, r.userId), created: fnTime(r.atMs) })),
    custom_fields: renderCustomFields(rec),
    cancel_reason: rec.cancelReason ?? null,
    created: fnTime(rec.createdMs),
    last_updated: fnTime(rec.updatedMs),
  };
}

/** A saved location. */
export function renderLocation(state: FieldNationState, l: LocationRec): Wire<typeof SavedLocationSchema> {
  const group = LOCATION_GROUPS.find((g) => g.id === l.groupId);
  return {
    id: l.id,
    name: l.name,
    display_name: `${l.name} (${oneLine(l.address)})`,
    address1: l.address.address1,
    address2: l.address.address2 ?? null,
    city: l.address.city,
    state: l.address.state,
    zip: l.address.zip,
    country: l.address.country,
    type: LOCATION_TYPE_BY_ID.get(l.typeId) ?? LOCATION_TYPES.commercial,
    contact: l.contact ? { name: l.contact.name, email: l.contact.email ?? null, phone: l.contact.phone ?? null } : null,
    group: group ? { id: group.id, name: group.name } : null,
    active: l.active,
    client: l.clientId !== undefined ? nameRef(state.clients.get(l.clientId)) : null,
    geo: geo(l.address),
  };
}

/** A client. */
export function renderClient(c: ClientRec): Wire<typeof ClientSchema> {
  return {
    id: c.id,
    name: c.name,
    type: c.type,
    contact: { name: c.contactName ?? c.name, email: c.email ?? null, phone: c.phone ?? null },
    address: c.address
      ? {
          address1: c.address.address1,
          address2: c.address.address2 ?? null,
          city: c.address.city,
          state: c.address.state,
          zip: c.address.zip,
          country: c.address.country,
        }
      : null,
    active: c.active,
    created: fnTime(c.createdMs),
    last_updated: fnTime(c.updatedMs),
  };
}

/** A project. */
export function renderProject(state: FieldNationState, p: ProjectRec): Wire<typeof ProjectSchema> {
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    active: p.active,
    client: p.clientId !== undefined ? nameRef(state.clients.get(p.clientId)) : null,
    created: fnTime(p.createdMs),
    last_updated: fnTime(p.updatedMs),
  };
}

/** A user (provider or the API user). */
export function renderUser(u: UserRec): Wire<typeof UserSchema> {
  const territory = TERRITORIES.find((t) => t.id === u.territoryId);
  return {
    id: u.id,
    first_name: u.firstName,
    last_name: u.lastName,
    email: u.email,
    phone: u.phone ?? null,
    role: u.role,
    skills: u.skills.slice(),
    types_of_work: [...new Set(u.skills.map((s) => typeOfWorkForSkill(s)))].map((t) => ({ id: t.id, name: t.name })),
    service_territory: territory ? { id: territory.id, name: territory.name, code: territory.code } : null,
    status: u.active ? 'active' : 'inactive',
    created: fnTime(u.createdMs),
    last_updated: fnTime(u.updatedMs),
  };
}

/** A type of work with its service types. */
export function renderTypeOfWork(t: TypeOfWork): Wire<typeof TypeOfWorkSchema> {
  return { id: t.id, name: t.name, service_types: t.serviceTypes.map((s) => ({ id: s.id, name: s.name })) };
}

/** A talent pool group. */
export function renderTalentPoolGroup(state: FieldNationState, g: TalentPoolGroup): Wire<typeof TalentPoolGroupSchema> {
  return {
    id: g.id,
    name: g.name,
    description: g.description,
    provider_count: state.talentPools.get(g.id)?.length ?? 0,
    service_territory: { id: g.territory.id, name: g.territory.name, code: g.territory.code },
  };
}

/** The talent pool group `id`, if any. */
export function talentPoolGroup(id: number): TalentPoolGroup | undefined {
  return TALENT_POOL_GROUPS.find((g) => g.id === id);
}

/** Paging parameters and echoes of a list call. */
export interface PageRequest {
  page: number;
  per_page: number;
  columns?: string | undefined;
  view?: string | undefined;
  sort: string;
  order: 'asc' | 'desc';
  list: string | null;
}

/** One page of `all` in the `{metadata, results}` envelope. */
export function renderPage<T, W>(all: readonly T[], p: PageRequest, render: (x: T) => W): { metadata: Wire<typeof MetadataSchema>; results: W[] } {
  const start = (p.page - 1) * p.per_page;
  return {
    metadata: {
      total: all.length,
      page: p.page,
      pages: Math.ceil(all.length / p.per_page),
      per_page: p.per_page,
      columns: p.columns ?? null,
      view: p.view ?? null,
      sort: p.sort,
      order: p.order,
      list: p.list,
    },
    results: all.slice(start, start + p.per_page).map(render),
  };
}
