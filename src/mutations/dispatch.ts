/**
 * `dispatch`: sends technicians to a work order for a window, in the system that holds it. Before
 * writing: the work order exists and is still open; each technician is of that system, active,
 * has the skill the work needs, serves the location's region and is free (no overlapping visit,
 * room left that day); the window ends within the SLA. The vendor-specific steps (ServicePower
 * dispatch, Astea assignments, ServiceTitan appointment + assign/unassign, Sera status, Field
 * Nation assignee or route) are the connector's; one that stops half-way is undone there or
 * reported exactly (`PARTIAL_WRITE`). A retry that takes over a key first looks for the visit an
 * earlier attempt made.
 */
import type { DispatchResult } from '../../connectors/types.js';
import { VENDOR_TITLES } from '../../connectors/vendors.js';
import type { DispatchInput } from '../__generated__/graphql.js';
import type { Context } from '../context.js';
import type { AppointmentModel, RecordRef, TimeWindow, WorkOrderModel } from '../model/index.js';
import { idempotencyKeyOf, InputReader, userError, type UserError } from './input.js';
import { checkSla, checkTechnicians, regionOf, skillOf } from './rules.js';
import { forget, runMutation, type Attempt, type Outcome } from './run.js';
import { userErrorsOf, type FieldMap } from './vendor-errors.js';

/** The payload of `dispatch`. */
export interface DispatchMutationResult {
  workOrder: WorkOrderModel | null;
  appointment: AppointmentModel | null;
  replayed: boolean;
  userErrors: UserError[];
}

/** Command fields of a dispatch → input paths. */
export const DISPATCH_FIELDS: FieldMap = {
  workOrderRef: ['workOrder'],
  technicianRefs: ['technicians'],
  providerRef: ['technicians'],
  window: ['window'],
  routeDate: ['routeDate'],
  instructions: ['instructions'],
  vendorSettings: null,
};

interface Parsed {
  workOrder: RecordRef;
  technicians: RecordRef[];
  window: TimeWindow;
  routeDate: string | undefined;
  instructions: string | undefined;
}

const CLOSED = new Set(['COMPLETED', 'CANCELLED']);

/** Runs `dispatch`. Throws system errors after giving the key back; refusals are user errors. */
export async function dispatch(ctx: Context, input: DispatchInput): Promise<DispatchMutationResult> {
  const r = new InputReader(ctx.principal.tenant);
  const key = idempotencyKeyOf(input.idempotencyKey, ctx.mutations.idempotencyKeyHeader, r);
  const workOrder = r.id(input.workOrder, ['workOrder'], 'WorkOrder');
  const technicians = (input.technicians ?? []).map((id, i) => r.id(id, ['technicians', i], 'Technician')).filter((x): x is RecordRef => x !== undefined);
  if ((input.technicians ?? []).length === 0) r.fail('REQUIRED', ['technicians'], 'Name the technicians to send.');
  const window = r.window(input.window, ['window']);
  const routeDate = r.date(input.routeDate, ['routeDate'], 'The route date');
  const instructions = r.optionalText(input.instructions, ['instructions'], 'The instructions', 2000);
  const refused = (userErrors: UserError[]): DispatchMutationResult => ({ workOrder: null, appointment: null, replayed: false, userErrors });
  if (!r.ok || !workOrder || !window) return refused(r.errors);
  const parsed: Parsed = { workOrder, technicians, window, routeDate, instructions };
  return runMutation(ctx, {
    mutation: 'dispatch',
    key,
    normalised: parsed,
    refused,
    replay: async (stored) => {
      const [wo, appt] = await Promise.all([
        stored.workOrder ? ctx.loaders.workOrder.load(stored.workOrder) : null,
        stored.appointment ? ctx.loaders.appointment.load(stored.appointment) : null,
      ]);
      return { workOrder: wo, appointment: appt, replayed: true, userErrors: [] };
    },
    execute: (attempt) => execute(ctx, parsed, attempt),
  });
}

async function execute(ctx: Context, p: Parsed, attempt: Attempt): Promise<Outcome<DispatchMutationResult>> {
  const refuse = (errors: UserError[]): Outcome<DispatchMutationResult> => ({ ok: false, errors, written: 'nothing' });
  const wo = await ctx.loaders.workOrder.load(p.workOrder);
  if (!wo) return refuse([userError('NOT_FOUND', ['workOrder'], 'No such work order.')]);
  const system = wo.ref.system;
  const connector = ctx.connectors[system];
  if (!connector?.dispatch || !connector.capabilities.writes.includes('dispatch')) {
    return refuse([userError('NOT_SUPPORTED', ['workOrder'], `${VENDOR_TITLES[system]} cannot dispatch work orders.`)]);
  }
  if (CLOSED.has(wo.status)) return refuse([userError('INVALID_STATE', ['workOrder'], `The work order is ${wo.status.toLowerCase()}: it can no longer be dispatched.`)]);

  // What the work needs, and where it is.
  const routing = ctx.mutations.services.routing;
  const unit = async (ref: RecordRef) => {
    const u = await ctx.loaders.equipment.load(ref).catch(() => null);
    if (!u || u.type) return u;
    // A copy embedded in the work order may lack the unit's type: read the unit itself.
    ctx.loaders.equipment.clear(ref);
    return ctx.loaders.equipment.load(ref).catch(() => null);
  };
  const [units, location] = await Promise.all([
    Promise.all(wo.equipmentRefs.map(unit)),
    wo.locationRef ? ctx.loaders.location.load(wo.locationRef).catch(() => null) : Promise.resolve(null),
  ]);
  const skill = skillOf({ equipmentTypes: units.flatMap((u) => (u?.type ? [u.type] : [])), serviceType: wo.serviceType }, routing);
  const region = regionOf(location?.address, routing);
  const checked = await checkTechnicians(
    ctx,
    p.technicians.map((ref, i) => ({ ref, path: ['technicians', i] })),
    { system, skill, region, window: p.window, workOrder: wo.ref },
  );
  const errors = [...checked.errors, ...checkSla(p.window, wo.sla, ['window'])];
  if (errors.length) return refuse(errors);

  // An earlier attempt may have made the visit already.
  let result: DispatchResult | null = attempt.recovering ? await findVisit(ctx, wo, p) : null;
  if (!result) {
    attempt.writing();
    try {
      result = await connector.dispatch({
        workOrderRef: wo.ref,
        technicianRefs: p.technicians,
        window: p.window,
        ...(p.routeDate ? { routeDate: p.routeDate } : {}),
        ...(p.instructions ? { instructions: p.instructions } : {}),
      });
    } catch (e) {
      const userErrors = userErrorsOf(e, system, DISPATCH_FIELDS, ['workOrder']);
      if (!userErrors) throw e;
      const partial = userErrors.some((u) => u.code === 'PARTIAL_WRITE');
      if (!partial) return { ok: false, errors: userErrors, written: 'nothing' };
      // Part of it happened: forget what may have changed and show the work order as it is now.
      await forgetDispatch(ctx, wo, p, null);
      const now = await ctx.loaders.workOrder.load(wo.ref).catch(() => null);
      return { ok: false, errors: userErrors, written: 'unknown', payload: { workOrder: now, appointment: null, replayed: false, userErrors } };
    }
  }
  await forgetDispatch(ctx, wo, p, result);
  const workOrder = result.workOrder ?? (await ctx.loaders.workOrder.load(wo.ref));
  return {
    ok: true,
    payload: { workOrder, appointment: result.appointment, replayed: false, userErrors: [] },
    stored: { workOrder: wo.ref, appointment: result.appointment?.ref ?? null },
  };
}

/** The loaders forget the work order, its visits and the schedules of the technicians before and after. */
async function forgetDispatch(ctx: Context, wo: WorkOrderModel, p: Parsed, result: DispatchResult | null): Promise<void> {
  const technicians = [...wo.technicianRefs, ...p.technicians];
  await forget(ctx, {
    records: [
      { kind: 'workOrder', ref: wo.ref, model: result?.workOrder ?? null },
      ...(result?.appointment ? [{ kind: 'appointment' as const, ref: result.appointment.ref, model: result.appointment }] : []),
    ],
    children: [
      { kind: 'appointment', parent: 'workOrder', ref: wo.ref },
      ...technicians.flatMap((ref) => [
        { kind: 'appointment' as const, parent: 'technician' as const, ref },
        { kind: 'workOrder' as const, parent: 'technician' as const, ref },
      ]),
    ],
  });
}

/** The open visit of the work order with exactly these technicians in exactly this window, made by an earlier attempt. */
async function findVisit(ctx: Context, wo: WorkOrderModel, p: Parsed): Promise<DispatchResult | null> {
  ctx.loaders.related('appointment', 'workOrder').clear(wo.ref);
  const visits = await ctx.loaders.related('appointment', 'workOrder').load(wo.ref);
  const want = new Set(p.technicians.map((t) => t.id));
  const same = (a: AppointmentModel) =>
    Date.parse(a.window.start) === Date.parse(p.window.start) &&
    Date.parse(a.window.end) === Date.parse(p.window.end) &&
    a.status !== 'CANCELLED' &&
    a.technicianRefs.length === want.size &&
    a.technicianRefs.every((t) => want.has(t.id));
  const visit = visits.find(same);
  if (!visit) return null;
  ctx.loaders.workOrder.clear(wo.ref);
  return { workOrder: await ctx.loaders.workOrder.load(wo.ref), appointment: visit };
}
