/**
 * Sandbox-only actions (`POST /_sandbox/actions/servicetitan/<name>`): things that happen in the
 * field or in the ServiceTitan UI and have no API call, so tests and demos can make them happen.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { isoNow } from '../../sandbox/kit.js';
import { SERVICETITAN_SANDBOX } from './constants.js';
import { fieldErrors, badRequest, notFound } from './errors.js';
import { touch, type SimState } from './http.js';
import { completeJob, dispatchJob, startJob } from './jpm.js';
import { renderAppointment, renderCustomer, renderEquipment, renderJob, renderLocation, renderMembership, renderTechnician } from './render.js';
import type { TenantStore } from './store.js';

const Tenant = z.string().regex(/^\d+$/).default(SERVICETITAN_SANDBOX.dataTenant);
const JobAction = z.object({ id: z.number().int().positive(), tenant: Tenant });
const SOFT_DELETABLE = ['customers', 'locations', 'installed-equipment', 'jobs', 'appointments', 'technicians', 'memberships'] as const;
const SoftDelete = z.object({
  resource: z.enum(SOFT_DELETABLE),
  id: z.number().int().positive(),
  /** false (default) deactivates; true reactivates. */
  active: z.boolean().default(false),
  tenant: Tenant,
});

function parse<S extends z.ZodType>(schema: S, body: unknown, req: { requestId: string }): z.output<S> {
  const r = schema.safeParse(body ?? {});
  if (!r.success) throw badRequest(req, fieldErrors(r.error.issues.map((i) => ({ field: i.path.map(String).join('.') || 'body', message: i.message }))));
  return r.data;
}

/** The ServiceTitan simulator's sandbox actions. */
export function serviceTitanActions(state: SimState): Record<string, (body: unknown) => unknown> {
  const jobOf = (body: unknown) => {
    const req = { requestId: randomUUID() };
    const b = parse(JobAction, body, req);
    const s = state.store(b.tenant);
    const job = s.jobs.get(b.id);
    if (!job) throw notFound(req, 'Job', b.id);
    return { req, s, job };
  };

  return {
    /** A technician finishes the job in the field: appointments Done, job Completed now. */
    'complete-job': (body) => {
      const { req, s, job } = jobOf(body);
      completeJob(state, s, req, job, isoNow(state.now()));
      return renderJob(s, job);
    },
    /** The dispatcher sends the technician: first scheduled appointment Dispatched, job Dispatched. */
    'dispatch-job': (body) => {
      const { req, s, job } = jobOf(body);
      dispatchJob(state, s, req, job);
      return renderJob(s, job);
    },
    /** The technician arrives and starts: first open appointment Working, job InProgress. */
    'start-job': (body) => {
      const { req, s, job } = jobOf(body);
      startJob(state, s, req, job);
      return renderJob(s, job);
    },
    /** Someone deactivates (or, with `active: true`, reactivates) a record in the UI. */
    'soft-delete': (body) => {
      const req = { requestId: randomUUID() };
      const b = parse(SoftDelete, body, req);
      const s = state.store(b.tenant);
      return softDelete(state, s, req, b.resource, b.id, b.active);
    },
  };
}

function softDelete(state: SimState, s: TenantStore, req: { requestId: string }, resource: (typeof SOFT_DELETABLE)[number], id: number, active: boolean): unknown {
  const flip = <T extends { id: number; active: boolean; modifiedOn: string }>(table: { get(id: number): T | undefined }, what: string): T => {
    const row = table.get(id);
    if (!row) throw notFound(req, what, id);
    row.active = active;
    return row;
  };
  switch (resource) {
    case 'customers': {
      const c = flip(s.customers, 'Customer');
      touch(state, s.customers, c);
      return renderCustomer(s, c);
    }
    case 'locations': {
      const l = flip(s.locations, 'Location');
      touch(state, s.locations, l);
      return renderLocation(l);
    }
    case 'installed-equipment': {
      const e = flip(s.equipment, 'Installed equipment');
      touch(state, s.equipment, e);
      return renderEquipment(s, e);
    }
    case 'jobs': {
      const j = flip(s.jobs, 'Job');
      touch(state, s.jobs, j);
      return renderJob(s, j);
    }
    case 'appointments': {
      const a = flip(s.appointments, 'Appointment');
      touch(state, s.appointments, a);
      return renderAppointment(a);
    }
    case 'technicians': {
      const t = flip(s.technicians, 'Technician');
      touch(state, s.technicians, t);
      return renderTechnician(t);
    }
    case 'memberships': {
      const m = flip(s.memberships, 'Customer membership');
      touch(state, s.memberships, m);
      return renderMembership(m);
    }
  }
}
