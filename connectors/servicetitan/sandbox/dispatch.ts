/**
 * Dispatch module routes: appointment assignments (list with `appointmentIds` multi-valued and
 * `jobId` single-valued), assign-technicians and unassign-technicians. Changing technicians is two
 * calls (unassign, then assign), as on the real API (ST-GOTCHAS).
 */
import { z } from 'zod';
import { csv, type RouteDef } from '../../sandbox/kit.js';
import { SERVICETITAN_SANDBOX } from './constants.js';
import { conflict, errorDocs, notFound, unprocessable } from './errors.js';
import { base, ok, route, TENANT, touch, type SimState, type StRequest } from './http.js';
import { assign, unknownTechnicians } from './jpm.js';
import { byIds, Filters, idListParam, idParam, intersect, listPage, mergeSorted, paging, pagingOf } from './query.js';
import { renderAppointment, renderAssignment } from './render.js';
import { AppointmentSchema, AssignmentSchema, AssignTechniciansBody, paginated } from './schemas.js';
import type { AssignmentRec } from './store.js';

const DISPATCH = base('dispatch');

/** Assignment routes. */
export function dispatchRoutes(state: SimState): RouteDef[] {
  const query = z.object({
    ...paging,
    ids: idListParam('Perform lookup by multiple IDs.'),
    appointmentIds: idListParam('Return appointment assignments for one or more appointments.'),
    jobId: idParam('Return appointment assignments for a single job.'),
  });

  const change = (req: StRequest<Record<string, string>, z.infer<typeof AssignTechniciansBody>>, mode: 'assign' | 'unassign') => {
    const s = state.store(req.auth.tenant);
    const b = req.body;
    const a = s.appointments.get(b.jobAppointmentId);
    if (!a) throw notFound(req, 'Appointment', b.jobAppointmentId);
    if (a.status === 'Done' || a.status === 'Canceled') throw conflict(req, `Appointment ${a.id} is ${a.status}; its technicians cannot change.`, 'jobAppointmentId');
    if (mode === 'assign') {
      const errs = unknownTechnicians(s, b.technicianIds, 'technicianIds');
      if (Object.keys(errs).length) throw unprocessable(req, errs);
      assign(state, s, a, b.technicianIds, SERVICETITAN_SANDBOX.apiUserId);
    } else {
      // Technicians that are not assigned are ignored, so a retried call is harmless.
      const drop = new Set(b.technicianIds);
      for (const x of [...s.assignments.by('appointment', a.id)]) if (drop.has(x.technicianId)) s.assignments.remove(x.id);
    }
    touch(state, s.appointments, a);
    return ok(renderAppointment(a));
  };

  return [
    route({
      method: 'GET',
      path: `${DISPATCH}/appointment-assignments`,
      operationId: 'AppointmentAssignments_GetList',
      summary: 'Gets a list of appointment assignments',
      tags: ['AppointmentAssignments'],
      pathParams: TENANT,
      query,
      responses: { 200: { description: 'A page of assignments.', schema: paginated(AssignmentSchema) }, ...errorDocs(400) },
      handler: (req) => {
        const s = state.store(req.auth.tenant);
        const q = req.query;
        const byAppointments = q.appointmentIds !== undefined ? mergeSorted(csv(q.appointmentIds).map((id) => s.assignments.by('appointment', Number(id)))) : undefined;
        const { candidates, extra } = intersect(
          [byIds(q.ids, (id) => s.assignments.get(id)), byAppointments, q.jobId !== undefined ? s.assignments.by('job', Number(q.jobId)) : undefined],
          s.assignments.rows,
        );
        const f = new Filters<AssignmentRec>();
        extra.forEach((p) => f.add(p));
        return ok(listPage(candidates, f, pagingOf(q), (a) => renderAssignment(s, a)));
      },
    }),
    route({
      method: 'POST',
      path: `${DISPATCH}/appointment-assignments/assign-technicians`,
      operationId: 'AppointmentAssignments_AssignTechnicians',
      summary: 'Assigns the list of technicians to the appointment',
      description: 'Technicians already assigned stay assigned. 404 unknown appointment, 409 appointment Done or Canceled, 422 unknown or inactive technician.',
      tags: ['AppointmentAssignments'],
      pathParams: TENANT,
      body: AssignTechniciansBody,
      responses: { 200: { description: 'The appointment.', schema: AppointmentSchema }, ...errorDocs(400, 404, 409, 422) },
      handler: (req) => change(req, 'assign'),
    }),
    route({
      method: 'POST',
      path: `${DISPATCH}/appointment-assignments/unassign-technicians`,
      operationId: 'AppointmentAssignments_UnassignTechnicians',
      summary: 'Unassigns the list of technicians from the appointment',
      description: 'Technicians that are not assigned are ignored. 404 unknown appointment, 409 appointment Done or Canceled.',
      tags: ['AppointmentAssignments'],
      pathParams: TENANT,
      body: AssignTechniciansBody,
      responses: { 200: { description: 'The appointment.', schema: AppointmentSchema }, ...errorDocs(400, 404, 409) },
      handler: (req) => change(req, 'unassign'),
    }),
  ];
}
