/**
 * Job Planning and Management routes: jobs (list, get, create, cancel, hold, complete,
 * remove-cancellation), appointments (list, get, add, reschedule, hold, delete) and the job
 * reference lists (job types, cancel and hold reasons). The job state machine lives here too,
 * shared with the sandbox actions that stand for work in the field.
 */
import { z } from 'zod';
import { isoNow, type RouteDef } from '../../sandbox/kit.js';
import { BUSINESS_UNITS, CAMPAIGNS, CANCEL_REASONS, HOLD_REASONS, JOB_TYPES, SERVICETITAN_SANDBOX } from './constants.js';
import { customFieldsOf, externalDataIn, unknownTags } from './crm.js';
import { badRequest, conflict, errorDocs, notFound, unprocessable } from './errors.js';
import { base, guidOf, ID, mustGet, ok, OK_EMPTY, pathId, route, TENANT, touch, type SimState } from './http.js';
import {
  activeParam,
  byIds,
  dateParam,
  enumParam,
  externalDataGuidParam,
  Filters,
  idListParam,
  idParam,
  intersect,
  listPage,
  paging,
  pagingOf,
  parseDateParam,
  sortOf,
  sortParam,
  stampFilters,
} from './query.js';
import { jobTypeRows, renderAppointment, renderJob } from './render.js';
import {
  APPOINTMENT_STATUSES,
  AppointmentAddBody,
  AppointmentSchema,
  CompleteJobBody,
  JOB_STATUSES,
  JobCreateBody,
  JobSchema,
  JobTypeSchema,
  paginated,
  ReasonBody,
  ReasonSchema,
  RescheduleBody,
  type AppointmentStatus,
} from './schemas.js';
import type { AppointmentRec, JobRec, TenantStore } from './store.js';

const JPM = base('jpm');

type Req = { requestId: string };

const OPEN_APPOINTMENT: readonly AppointmentStatus[] = ['Scheduled', 'Dispatched', 'Working'];

/** Sets an appointment's status and stamps it. */
function setAppointmentStatus(state: SimState, s: TenantStore, a: AppointmentRec, status: AppointmentStatus): void {
  if (a.status === status) return;
  a.status = status;
  if (status !== 'Scheduled') a.isConfirmed = true;
  touch(state, s.appointments, a);
}

function refuseClosed(req: Req, job: JobRec, action: string): void {
  if (job.jobStatus === 'Completed') throw conflict(req, `Job ${job.id} is already completed and cannot be ${action}.`, 'jobStatus');
  if (job.jobStatus === 'Canceled') throw conflict(req, `Job ${job.id} is canceled and cannot be ${action}.`, 'jobStatus');
}

/** PUT jobs/{id}/cancel: open appointments are canceled too. */
export function cancelJob(state: SimState, s: TenantStore, req: Req, job: JobRec, reasonId: number, memo: string): void {
  refuseClosed(req, job, 'canceled');
  for (const a of s.appointments.by('job', job.id)) if (a.status !== 'Done') setAppointmentStatus(state, s, a, 'Canceled');
  job.jobStatus = 'Canceled';
  job.reason = { kind: 'cancel', reasonId, memo };
  touch(state, s.jobs, job);
}

/** PUT jobs/{id}/hold: open appointments go on hold. */
export function holdJob(state: SimState, s: TenantStore, req: Req, job: JobRec, reasonId: number, memo: string): void {
  refuseClosed(req, job, 'put on hold');
  if (job.jobStatus === 'Hold') throw conflict(req, `Job ${job.id} is already on hold.`, 'jobStatus');
  for (const a of s.appointments.by('job', job.id)) if (OPEN_APPOINTMENT.includes(a.status)) setAppointmentStatus(state, s, a, 'Hold');
  job.jobStatus = 'Hold';
  job.reason = { kind: 'hold', reasonId, memo };
  touch(state, s.jobs, job);
}

/**
 * PUT jobs/{id}/complete (and the field action): every appointment that is not canceled is Done.
 * ST-SPEC: 409 when the job is already completed or canceled or has no assigned technicians.
 */
export function completeJob(state: SimState, s: TenantStore, req: Req, job: JobRec, completedOn: string): void {
  refuseClosed(req, job, 'completed');
  if (s.assignments.by('job', job.id).length === 0) throw conflict(req, `Job ${job.id} has no assigned technicians.`, 'technicianIds');
  for (const a of s.appointments.by('job', job.id)) if (a.status !== 'Canceled') setAppointmentStatus(state, s, a, 'Done');
  job.jobStatus = 'Completed';
  job.completedOn = completedOn;
  job.reason = null;
  touch(state, s.jobs, job);
}

/** PUT jobs/{id}/remove-cancellation: the job and its canceled appointments are Scheduled again. */
export function removeCancellation(state: SimState, s: TenantStore, req: Req, job: JobRec): void {
  if (job.jobStatus !== 'Canceled') throw conflict(req, `Job ${job.id} is not canceled.`, 'jobStatus');
  for (const a of s.appointments.by('job', job.id)) if (a.status === 'Canceled') setAppointmentStatus(state, s, a, 'Scheduled');
  job.jobStatus = 'Scheduled';
  job.reason = null;
  touch(state, s.jobs, job);
}

/** Field action: the technician is on the way (first open appointment Dispatched, job Dispatched). */
export function dispatchJob(state: SimState, s: TenantStore, req: Req, job: JobRec): void {
  if (job.jobStatus !== 'Scheduled') throw conflict(req, `Job ${job.id} is ${job.jobStatus}; only a Scheduled job can be dispatched.`, 'jobStatus');
  const appt = s.appointmentsOf(job.id).find((a) => a.status === 'Scheduled');
  if (!appt || s.assignments.by('appointment', appt.id).length === 0) throw conflict(req, `Job ${job.id} has no scheduled appointment with a technician.`, 'technicianIds');
  setAppointmentStatus(state, s, appt, 'Dispatched');
  job.jobStatus = 'Dispatched';
  touch(state, s.jobs, job);
}

/** Field action: the technician starts working (first open appointment Working, job InProgress). */
export function startJob(state: SimState, s: TenantStore, req: Req, job: JobRec): void {
  if (job.jobStatus !== 'Scheduled' && job.jobStatus !== 'Dispatched') throw conflict(req, `Job ${job.id} is ${job.jobStatus}; it cannot be started.`, 'jobStatus');
  const appt = s.appointmentsOf(job.id).find((a) => (a.status === 'Scheduled' || a.status === 'Dispatched') && s.assignments.by('appointment', a.id).length > 0);
  if (!appt) throw conflict(req, `Job ${job.id} has no open appointment with a technician.`, 'technicianIds');
  setAppointmentStatus(state, s, appt, 'Working');
  job.jobStatus = 'InProgress';
  touch(state, s.jobs, job);
}

/** Technician ids that are unknown or inactive, as 422 field errors. */
export function unknownTechnicians(s: TenantStore, ids: readonly number[], field: string): Record<string, string[]> {
  const bad = ids.filter((id) => !s.technicians.get(id)?.active);
  return bad.length ? { [field]: [`Technicians not found or inactive: ${bad.join(', ')}.`] } : {};
}

/** Assigns technicians to an appointment (already assigned ones are left alone). */
export function assign(state: SimState, s: TenantStore, a: AppointmentRec, technicianIds: readonly number[], assignedById: number | null): void {
  const have = new Set(s.technicianIdsOf(a.id));
  const now = isoNow(state.now());
  for (const t of new Set(technicianIds)) {
    if (have.has(t)) continue;
    s.assignments.insert({ id: s.seq.assignment.next(), technicianId: t, jobId: a.jobId, appointmentId: a.id, assignedById, assignedOn: now });
  }
}

function windowIssues(w: { start: string; end: string; arrivalWindowStart?: string | null | undefined; arrivalWindowEnd?: string | null | undefined }, path: string): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  if (Date.parse(w.end) < Date.parse(w.start)) errors[`${path}end`] = ['End must not be before start.'];
  if (w.arrivalWindowStart && w.arrivalWindowEnd && Date.parse(w.arrivalWindowEnd) < Date.parse(w.arrivalWindowStart)) {
    errors[`${path}arrivalWindowEnd`] = ['Arrival window end must not be before its start.'];
  }
  return errors;
}

function newAppointment(state: SimState, s: TenantStore, job: JobRec, w: { start: string; end: string; arrivalWindowStart?: string | null | undefined; arrivalWindowEnd?: string | null | undefined; specialInstructions?: string | null | undefined }): AppointmentRec {
  const now = isoNow(state.now());
  const n = s.appointments.by('job', job.id).length + 1;
  return s.appointments.insert(
    {
      id: s.seq.appointment.next(),
      jobId: job.id,
      customerId: job.customerId,
      appointmentNumber: `${job.jobNumber}-${n}`,
      start: w.start,
      end: w.end,
      arrivalWindowStart: w.arrivalWindowStart ?? null,
      arrivalWindowEnd: w.arrivalWindowEnd ?? null,
      status: 'Scheduled',
      specialInstructions: w.specialInstructions ?? null,
      unused: false,
      isConfirmed: false,
      active: true,
      createdOn: now,
      modifiedOn: now,
    },
    state.now().getTime(),
  );
}

/** Job, appointment and job reference routes. */
export function jpmRoutes(state: SimState): RouteDef[] {
  const jobQuery = z.object({
    ...paging,
    ids: idListParam('Perform lookup by multiple IDs.'),
    number: z.string().optional().describe('Filters by job number.'),
    customerId: idParam("Filters by job's customer ID."),
    locationId: idParam("Filters by job's location ID."),
    jobStatus: enumParam(JOB_STATUSES, 'Filters by job status.'),
    appointmentStatus: enumParam([...APPOINTMENT_STATUSES, 'Unused'], 'Return a job if it has any appointment with the specified status.'),
    technicianId: idParam('Return jobs if technician is assigned to any appointment.'),
    jobTypeId: idParam('Filters by job type ID.'),
    campaignId: idParam("Filters by job's campaign ID."),
    businessUnitId: idParam("Filters by job's business unit ID."),
    invoiceId: idParam("Filters by job's invoice ID."),
    bookingId: idParam('Filters by booking ID that resulted in this job.'),
    projectId: idParam('Filters by project ID.'),
    firstAppointmentStartsOnOrAfter: dateParam('Return jobs whose first appointment starts on or after date/time (in UTC).'),
    firstAppointmentStartsBefore: dateParam('Return jobs whose first appointment starts before date/time (in UTC).'),
    appointmentStartsOnOrAfter: dateParam('Return jobs if any appointment starts on or after date/time (in UTC).'),
    appointmentStartsBefore: dateParam('Return jobs if any appointment starts before date/time (in UTC).'),
    completedOnOrAfter: dateParam('Return jobs that are completed on or after a certain date/time (in UTC).'),
    completedBefore: dateParam('Return jobs that are completed before a certain date/time (in UTC).'),
    ...stampFilters,
    sort: sortParam(),
    active: activeParam(),
    ...externalDataGuidParam,
  });

  const appointmentQuery = z.object({
    ...paging,
    ids: idListParam('Perform lookup by multiple IDs.'),
    jobId: idParam('Return all appointments for this job (single-valued).'),
    number: z.string().optional().describe('Return all appointments with this appointment number.'),
    status: enumParam([...APPOINTMENT_STATUSES, 'Unused'], 'Return items with specified status.'),
    startsOnOrAfter: dateParam('Return appointments that start on or after the specified date/time (in UTC).'),
    startsBefore: dateParam('Return appointments that start before the specified date/time (in UTC).'),
    technicianId: idParam('Return appointments this technician is assigned to.'),
    ...stampFilters,
    sort: sortParam(),
    active: activeParam(),
  });

  const reasonQuery = (defaultDescription: string) => z.object({ ...paging, active: activeParam(defaultDescription) });

  const job = (req: { auth: { tenant: string }; params: Record<string, string>; requestId: string }) => {
    const s = state.store(req.auth.tenant);
    return { s, job: mustGet(req, s.jobs, 'Job', pathId(req)) };
  };

  return [
    route({
      method: 'GET',
      path: `${JPM}/jobs`,
      operationId: 'Jobs_GetList',
      summary: 'Gets a list of jobs',
      tags: ['Jobs'],
      pathParams: TENANT,
      query: jobQuery,
      responses: { 200: { description: 'A page of jobs.', schema: paginated(JobSchema) }, ...errorDocs(400) },
      handler: (req) => {
        const s = state.store(req.auth.tenant);
        const q = req.query;
        const f = new Filters<JobRec>().active(q.active, (j) => j.active).stamps(q, (j) => j);
        const eq = <K extends keyof JobRec>(key: K, v: string | undefined) => {
          if (v !== undefined) f.add((j) => j[key] === Number(v));
        };
        eq('jobTypeId', q.jobTypeId);
        eq('campaignId', q.campaignId);
        eq('businessUnitId', q.businessUnitId);
        eq('bookingId', q.bookingId);
        eq('projectId', q.projectId);
        if (q.number !== undefined) f.add((j) => j.jobNumber === q.number);
        if (q.jobStatus !== undefined) f.add((j) => j.jobStatus === q.jobStatus);
        if (q.appointmentStatus !== undefined) {
          const st = q.appointmentStatus;
          f.add((j) => s.appointments.by('job', j.id).some((a) => (st === 'Unused' ? a.unused : a.status === st)));
        }
        const range = (after: string | undefined, before: string | undefined, get: (j: JobRec) => Array<string | null>) => {
          if (after === undefined && before === undefined) return;
          const lo = after !== undefined ? parseDateParam(after) : -Infinity;
          const hi = before !== undefined ? parseDateParam(before) : Infinity;
          f.add((j) => get(j).some((v) => v !== null && Date.parse(v) >= lo && Date.parse(v) < hi));
        };
        range(q.completedOnOrAfter, q.completedBefore, (j) => [j.completedOn]);
        range(q.firstAppointmentStartsOnOrAfter, q.firstAppointmentStartsBefore, (j) => [s.appointmentsOf(j.id)[0]?.start ?? null]);
        range(q.appointmentStartsOnOrAfter, q.appointmentStartsBefore, (j) => s.appointments.by('job', j.id).map((a) => a.start));
        const byTech =
          q.technicianId !== undefined
            ? [...new Set(s.assignments.by('technician', Number(q.technicianId)).map((a) => a.jobId))]
                .sort((a, b) => a - b)
                .map((id) => s.jobs.get(id))
                .filter((j): j is JobRec => j !== undefined)
            : undefined;
        const byInvoice =
          q.invoiceId !== undefined
            ? (() => {
                const inv = s.invoices.get(Number(q.invoiceId));
                const j = inv?.jobId != null ? s.jobs.get(inv.jobId) : undefined;
                return j ? [j] : [];
              })()
            : undefined;
        const { candidates, extra } = intersect(
          [
            byIds(q.ids, (id) => s.jobs.get(id)),
            q.customerId !== undefined ? s.jobs.by('customer', Number(q.customerId)) : undefined,
            q.locationId !== undefined ? s.jobs.by('location', Number(q.locationId)) : undefined,
            byTech,
            byInvoice,
          ],
          s.jobs.rows,
        );
        extra.forEach((p) => f.add(p));
        return ok(listPage(candidates, f, { ...pagingOf(q), sort: sortOf(q.sort, (j) => j) }, (j) => renderJob(s, j, guidOf(q))));
      },
    }),
    route({
      method: 'GET',
      path: `${JPM}/jobs/{id}`,
      operationId: 'Jobs_Get',
      summary: 'Gets a job by ID',
      tags: ['Jobs'],
      pathParams: { ...TENANT, ...ID },
      query: z.object({ ...externalDataGuidParam }),
      responses: { 200: { description: 'The job.', schema: JobSchema }, ...errorDocs(400, 404) },
      handler: (req) => {
        const { s, job: j } = job(req);
        return ok(renderJob(s, j, guidOf(req.query)));
      },
    }),
    route({
      method: 'POST',
      path: `${JPM}/jobs`,
      operationId: 'Jobs_Create',
      summary: 'Creates a job',
      description:
        'Requires customerId, locationId (of that customer), businessUnitId, jobTypeId, priority, campaignId and at least one appointment. ' +
        'A missing or unknown reference (campaignId included) is refused with 422; a malformed body with 400.',
      tags: ['Jobs'],
      pathParams: TENANT,
      body: JobCreateBody,
      responses: { 200: { description: 'The new job (Scheduled).', schema: JobSchema }, ...errorDocs(400, 422) },
      handler: (req) => {
        const s = state.store(req.auth.tenant);
        const b = req.body;
        const windowErrs = Object.assign({}, ...b.appointments.map((a, i) => windowIssues(a, `appointments[${i}].`)));
        if (Object.keys(windowErrs).length) throw badRequest(req, windowErrs);
        const errs: Record<string, string[]> = {};
        const need = (field: string, value: number | null | undefined, exists: (id: number) => boolean, what: string) => {
          if (value == null) errs[field] = [`The ${field} field is required.`];
          else if (!exists(value)) errs[field] = [`${what} with ID ${value} was not found.`];
        };
        need('customerId', b.customerId, (id) => s.customers.get(id)?.active === true, 'Customer');
        need('locationId', b.locationId, (id) => s.locations.get(id)?.active === true, 'Location');
        need('businessUnitId', b.businessUnitId, (id) => BUSINESS_UNITS.some((u) => u.id === id), 'Business unit');
        need('jobTypeId', b.jobTypeId, (id) => JOB_TYPES.some((t) => t.id === id), 'Job type');
        need('campaignId', b.campaignId, (id) => CAMPAIGNS.some((c) => c.id === id && c.active), 'Campaign');
        if (!errs.locationId && !errs.customerId && b.locationId != null && s.locations.get(b.locationId)?.customerId !== b.customerId) {
          errs.locationId = [`Location ${b.locationId} does not belong to customer ${b.customerId}.`];
        }
        b.appointments.forEach((a, i) => Object.assign(errs, unknownTechnicians(s, a.technicianIds ?? [], `appointments[${i}].technicianIds`)));
        Object.assign(errs, unknownTags(s, b.tagTypeIds, 'tagTypeIds'));
        if (Object.keys(errs).length) throw unprocessable(req, errs);
        const now = isoNow(state.now());
        const created = s.jobs.insert(
          {
            id: s.seq.job.next(),
            jobNumber: String(s.seq.jobNumber.next()),
            customerId: b.customerId!,
            locationId: b.locationId!,
            jobStatus: 'Scheduled',
            completedOn: null,
            businessUnitId: b.businessUnitId!,
            jobTypeId: b.jobTypeId!,
            priority: b.priority,
            campaignId: b.campaignId!,
            summary: b.summary ?? null,
            customFields: customFieldsOf(b.customFields),
            createdById: SERVICETITAN_SANDBOX.apiUserId,
            tagTypeIds: [...new Set(b.tagTypeIds ?? [])],
            bookingId: null,
            projectId: b.projectId ?? null,
            customerPo: b.customerPo ?? null,
            jobGeneratedLeadSource: b.jobGeneratedLeadSource ? { jobId: b.jobGeneratedLeadSource.jobId ?? null, employeeId: b.jobGeneratedLeadSource.employeeId ?? null } : null,
            externalData: externalDataIn(b.externalData),
            equipmentIds: [],
            total: 0,
            membershipId: null,
            active: true,
            reason: null,
            createdOn: now,
            modifiedOn: now,
          },
          state.now().getTime(),
        );
        for (const a of b.appointments) {
          const appt = newAppointment(state, s, created, a);
          assign(state, s, appt, a.technicianIds ?? [], SERVICETITAN_SANDBOX.apiUserId);
        }
        return ok(renderJob(s, created));
      },
    }),
    route({
      method: 'PUT',
      path: `${JPM}/jobs/{id}/cancel`,
      operationId: 'Jobs_Cancel',
      summary: 'Cancels a job',
      description: 'Open appointments are canceled with the job. 409 when the job is completed or already canceled.',
      tags: ['Jobs'],
      pathParams: { ...TENANT, ...ID },
      body: ReasonBody,
      responses: { 200: { description: 'Canceled (no body).' }, ...errorDocs(400, 404, 409, 422) },
      handler: (req) => {
        const { s, job: j } = job(req);
        if (!CANCEL_REASONS.some((r) => r.id === req.body.reasonId && r.active)) throw unprocessable(req, { reasonId: [`Job cancel reason with ID ${req.body.reasonId} was not found.`] });
        cancelJob(state, s, req, j, req.body.reasonId, req.body.memo);
        return OK_EMPTY;
      },
    }),
    route({
      method: 'PUT',
      path: `${JPM}/jobs/{id}/hold`,
      operationId: 'Jobs_Hold',
      summary: 'Puts a job on hold',
      description: 'Open appointments go on hold; remove the hold of an appointment (`DELETE appointments/{id}/hold`) to resume. 409 when the job is completed, canceled or already on hold.',
      tags: ['Jobs'],
      pathParams: { ...TENANT, ...ID },
      body: ReasonBody,
      responses: { 200: { description: 'On hold (no body).' }, ...errorDocs(400, 404, 409, 422) },
      handler: (req) => {
        const { s, job: j } = job(req);
        if (!HOLD_REASONS.some((r) => r.id === req.body.reasonId && r.active)) throw unprocessable(req, { reasonId: [`Job hold reason with ID ${req.body.reasonId} was not found.`] });
        holdJob(state, s, req, j, req.body.reasonId, req.body.memo);
        return OK_EMPTY;
      },
    }),
    route({
      method: 'PUT',
      path: `${JPM}/jobs/{id}/complete`,
      operationId: 'Jobs_Complete',
      summary: 'Completes a job',
      description: 'Appointments that are not canceled become Done. 409: job already completed or canceled, or has no assigned technicians.',
      tags: ['Jobs'],
      pathParams: { ...TENANT, ...ID },
      body: CompleteJobBody,
      responses: { 200: { description: 'Completed (no body).' }, ...errorDocs(400, 404, 409) },
      handler: (req) => {
        const { s, job: j } = job(req);
        completeJob(state, s, req, j, req.body.completedOn);
        return OK_EMPTY;
      },
    }),
    route({
      method: 'PUT',
      path: `${JPM}/jobs/{id}/remove-cancellation`,
      operationId: 'Jobs_RemoveCancellation',
      summary: 'Removes cancellation from a job',
      description: 'The job and its canceled appointments are Scheduled again. 409 when the job is not canceled.',
      tags: ['Jobs'],
      pathParams: { ...TENANT, ...ID },
      responses: { 200: { description: 'Reinstated (no body).' }, ...errorDocs(400, 404, 409) },
      handler: (req) => {
        const { s, job: j } = job(req);
        removeCancellation(state, s, req, j);
        return OK_EMPTY;
      },
    }),
    route({
      method: 'GET',
      path: `${JPM}/job-types`,
      operationId: 'JobTypes_GetList',
      summary: 'Gets a list of job types',
      tags: ['JobTypes'],
      pathParams: TENANT,
      query: z.object({ ...paging, ids: idListParam('Perform lookup by multiple IDs.'), name: z.string().optional().describe('Filters by job type name.'), active: activeParam(), ...stampFilters }),
      responses: { 200: { description: 'A page of job types.', schema: paginated(JobTypeSchema) }, ...errorDocs(400) },
      handler: (req) => {
        const q = req.query;
        const rows = jobTypeRows.map((r) => ({ ...r, createdOn: r.modifiedOn }));
        const f = new Filters<(typeof rows)[number]>().active(q.active, (r) => r.active).stamps(q, (r) => r);
        if (q.name !== undefined) f.add((r) => r.name.toLowerCase() === q.name!.toLowerCase());
        return ok(listPage(byIds(q.ids, (id) => rows.find((r) => r.id === id)) ?? rows, f, pagingOf(q), ({ createdOn: _c, ...r }) => r));
      },
    }),
    route({
      method: 'GET',
      path: `${JPM}/job-cancel-reasons`,
      operationId: 'JobCancelReasons_GetList',
      summary: 'Gets a list of job cancel reasons',
      tags: ['JobCancelReasons'],
      pathParams: TENANT,
      // ST-SPEC: this list returns active and inactive reasons unless told otherwise.
      query: reasonQuery('active and inactive items are returned by default'),
      responses: { 200: { description: 'A page of cancel reasons.', schema: paginated(ReasonSchema) }, ...errorDocs(400) },
      handler: (req) => ok(listPage(CANCEL_REASONS, new Filters<(typeof CANCEL_REASONS)[number]>().active(req.query.active, (r) => r.active, 'Any'), pagingOf(req.query), (r) => ({ ...r }))),
    }),
    route({
      method: 'GET',
      path: `${JPM}/job-hold-reasons`,
      operationId: 'JobHoldReasons_Get',
      summary: 'Gets a list of job hold reasons',
      tags: ['JobHoldReasons'],
      pathParams: TENANT,
      query: reasonQuery('only active items are returned by default'),
      responses: { 200: { description: 'A page of hold reasons.', schema: paginated(ReasonSchema) }, ...errorDocs(400) },
      handler: (req) => ok(listPage(HOLD_REASONS, new Filters<(typeof HOLD_REASONS)[number]>().active(req.query.active, (r) => r.active), pagingOf(req.query), (r) => ({ ...r }))),
    }),
    route({
      method: 'GET',
      path: `${JPM}/appointments`,
      operationId: 'Appointments_GetList',
      summary: 'Gets a list of appointments',
      tags: ['Appointments'],
      pathParams: TENANT,
      query: appointmentQuery,
      responses: { 200: { description: 'A page of appointments.', schema: paginated(AppointmentSchema) }, ...errorDocs(400) },
      handler: (req) => {
        const s = state.store(req.auth.tenant);
        const q = req.query;
        const f = new Filters<AppointmentRec>().active(q.active, (a) => a.active).stamps(q, (a) => a);
        if (q.number !== undefined) f.add((a) => a.appointmentNumber === q.number);
        if (q.status !== undefined) f.add((a) => (q.status === 'Unused' ? a.unused : a.status === q.status));
        if (q.startsOnOrAfter !== undefined) {
          const t = parseDateParam(q.startsOnOrAfter);
          f.add((a) => Date.parse(a.start) >= t);
        }
        if (q.startsBefore !== undefined) {
          const t = parseDateParam(q.startsBefore);
          f.add((a) => Date.parse(a.start) < t);
        }
        const byTech =
          q.technicianId !== undefined
            ? [...new Set(s.assignments.by('technician', Number(q.technicianId)).map((a) => a.appointmentId))]
                .sort((a, b) => a - b)
                .map((id) => s.appointments.get(id))
                .filter((a): a is AppointmentRec => a !== undefined)
            : undefined;
        const { candidates, extra } = intersect(
          [byIds(q.ids, (id) => s.appointments.get(id)), q.jobId !== undefined ? s.appointments.by('job', Number(q.jobId)) : undefined, byTech],
          s.appointments.rows,
        );
        extra.forEach((p) => f.add(p));
        return ok(listPage(candidates, f, { ...pagingOf(q), sort: sortOf(q.sort, (a) => a) }, renderAppointment));
      },
    }),
    route({
      method: 'GET',
      path: `${JPM}/appointments/{id}`,
      operationId: 'Appointments_Get',
      summary: 'Gets appointment specified by ID',
      tags: ['Appointments'],
      pathParams: { ...TENANT, ...ID },
      responses: { 200: { description: 'The appointment.', schema: AppointmentSchema }, ...errorDocs(400, 404) },
      handler: (req) => {
        const s = state.store(req.auth.tenant);
        return ok(renderAppointment(mustGet(req, s.appointments, 'Appointment', pathId(req))));
      },
    }),
    route({
      method: 'POST',
      path: `${JPM}/appointments`,
      operationId: 'Appointments_Add',
      summary: 'Adds a new appointment to an existing job',
      description: '404 when the job does not exist, 409 when it is completed or canceled, 422 for unknown technicians.',
      tags: ['Appointments'],
      pathParams: TENANT,
      body: AppointmentAddBody,
      responses: { 200: { description: 'The new appointment (Scheduled).', schema: AppointmentSchema }, ...errorDocs(400, 404, 409, 422) },
      handler: (req) => {
        const s = state.store(req.auth.tenant);
        const b = req.body;
        const werrs = windowIssues(b, '');
        if (Object.keys(werrs).length) throw badRequest(req, werrs);
        const j = s.jobs.get(b.jobId);
        if (!j) throw notFound(req, 'Job', b.jobId);
        refuseClosed(req, j, 'given new appointments');
        const terrs = unknownTechnicians(s, b.technicianIds ?? [], 'technicianIds');
        if (Object.keys(terrs).length) throw unprocessable(req, terrs);
        const appt = newAppointment(state, s, j, b);
        if (j.jobStatus === 'Hold') setAppointmentStatus(state, s, appt, 'Hold');
        assign(state, s, appt, b.technicianIds ?? [], SERVICETITAN_SANDBOX.apiUserId);
        touch(state, s.jobs, j);
        return ok(renderAppointment(appt));
      },
    }),
    route({
      method: 'PATCH',
      path: `${JPM}/appointments/{id}/reschedule`,
      operationId: 'Appointments_Reschedule',
      summary: 'Reschedule job appointment',
      description: '409 when the appointment is Done or Canceled.',
      tags: ['Appointments'],
      pathParams: { ...TENANT, ...ID },
      body: RescheduleBody,
      responses: { 200: { description: 'The rescheduled appointment.', schema: AppointmentSchema }, ...errorDocs(400, 404, 409) },
      handler: (req) => {
        const s = state.store(req.auth.tenant);
        const a = mustGet(req, s.appointments, 'Appointment', pathId(req));
        const b = req.body;
        if (b.start === undefined && b.end === undefined && b.arrivalWindowStart === undefined && b.arrivalWindowEnd === undefined) {
          throw badRequest(req, { '': ['Nothing to reschedule: give start, end or an arrival window.'] });
        }
        const next = {
          start: b.start ?? a.start,
          end: b.end ?? a.end,
          arrivalWindowStart: b.arrivalWindowStart === undefined ? a.arrivalWindowStart : b.arrivalWindowStart,
          arrivalWindowEnd: b.arrivalWindowEnd === undefined ? a.arrivalWindowEnd : b.arrivalWindowEnd,
        };
        const werrs = windowIssues(next, '');
        if (Object.keys(werrs).length) throw badRequest(req, werrs);
        if (a.status === 'Done' || a.status === 'Canceled') throw conflict(req, `Appointment ${a.id} is ${a.status} and cannot be rescheduled.`, 'status');
        Object.assign(a, next);
        touch(state, s.appointments, a);
        return ok(renderAppointment(a));
      },
    }),
    route({
      method: 'PUT',
      path: `${JPM}/appointments/{id}/hold`,
      operationId: 'Appointments_Hold',
      summary: 'Puts the appointment on hold',
      description: 'When every open appointment of the job is on hold, the job is on hold. 409 unless the appointment is Scheduled, Dispatched or Working.',
      tags: ['Appointments'],
      pathParams: { ...TENANT, ...ID },
      body: ReasonBody,
      responses: { 200: { description: 'On hold (no body).' }, ...errorDocs(400, 404, 409, 422) },
      handler: (req) => {
        const s = state.store(req.auth.tenant);
        const a = mustGet(req, s.appointments, 'Appointment', pathId(req));
        if (!HOLD_REASONS.some((r) => r.id === req.body.reasonId && r.active)) throw unprocessable(req, { reasonId: [`Hold reason with ID ${req.body.reasonId} was not found.`] });
        if (!OPEN_APPOINTMENT.includes(a.status)) throw conflict(req, `Appointment ${a.id} is ${a.status} and cannot be put on hold.`, 'status');
        setAppointmentStatus(state, s, a, 'Hold');
        const j = s.jobs.get(a.jobId);
        if (j && j.jobStatus !== 'Hold' && !s.appointments.by('job', j.id).some((x) => OPEN_APPOINTMENT.includes(x.status))) {
          j.jobStatus = 'Hold';
          j.reason = { kind: 'hold', reasonId: req.body.reasonId, memo: req.body.memo };
          touch(state, s.jobs, j);
        }
        return OK_EMPTY;
      },
    }),
    route({
      method: 'DELETE',
      path: `${JPM}/appointments/{id}/hold`,
      operationId: 'Appointments_RemoveHold',
      summary: 'Removes hold from the appointment',
      description: 'The appointment is Scheduled again, and so is its job if the job was on hold. 409 when the appointment is not on hold.',
      tags: ['Appointments'],
      pathParams: { ...TENANT, ...ID },
      responses: { 200: { description: 'Hold removed (no body).' }, ...errorDocs(400, 404, 409) },
      handler: (req) => {
        const s = state.store(req.auth.tenant);
        const a = mustGet(req, s.appointments, 'Appointment', pathId(req));
        if (a.status !== 'Hold') throw conflict(req, `Appointment ${a.id} is not on hold.`, 'status');
        setAppointmentStatus(state, s, a, 'Scheduled');
        const j = s.jobs.get(a.jobId);
        if (j && j.jobStatus === 'Hold') {
          j.jobStatus = 'Scheduled';
          j.reason = null;
          touch(state, s.jobs, j);
        }
        return OK_EMPTY;
      },
    }),
    route({
      method: 'DELETE',
      path: `${JPM}/appointments/{id}`,
      operationId: 'Appointments_Delete',
      summary: 'Deletes appointment with specified id',
      description: "409 when the appointment is in a state that doesn't allow deletion: only a Scheduled appointment of an open job that has another appointment can be deleted.",
      tags: ['Appointments'],
      pathParams: { ...TENANT, ...ID },
      responses: { 200: { description: 'Deleted (no body).' }, ...errorDocs(400, 404, 409) },
      handler: (req) => {
        const s = state.store(req.auth.tenant);
        const a = mustGet(req, s.appointments, 'Appointment', pathId(req));
        const j = s.jobs.get(a.jobId);
        if (a.status !== 'Scheduled') throw conflict(req, `Appointment ${a.id} is ${a.status}; only Scheduled appointments can be deleted.`, 'status');
        if (j && (j.jobStatus === 'Completed' || j.jobStatus === 'Canceled')) throw conflict(req, `Job ${j.id} is ${j.jobStatus}; its appointments cannot be deleted.`, 'jobStatus');
        if (s.appointments.by('job', a.jobId).length <= 1) throw conflict(req, `Appointment ${a.id} is the only appointment of job ${a.jobId}.`, 'jobId');
        for (const x of [...s.assignments.by('appointment', a.id)]) s.assignments.remove(x.id);
        s.appointments.remove(a.id);
        if (j) touch(state, s.jobs, j);
        return OK_EMPTY;
      },
    }),
  ];
}
