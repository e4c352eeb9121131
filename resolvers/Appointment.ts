import type { AppointmentResolvers } from '../src/__generated__/graphql.js';
import { toGlobalId } from '../src/ids.js';

/** Appointment: the fields the canonical model lacks, and its relations. */
export const Appointment: AppointmentResolvers = {
  id: (visit, _args, context) => toGlobalId('Appointment', visit.ref, context.principal.tenant),
  source: (visit) => visit.ref,
  workOrder: (visit, _args, { loaders }) => loaders.workOrder.load(visit.workOrderRef),
  technicians: (visit, _args, { loaders }) => loaders.each('technician', visit.technicianRefs),
};
