import type { WorkOrderResolvers } from '../src/__generated__/graphql.js';
import { toGlobalId } from '../src/ids.js';
import { connectionOf } from '../src/pagination.js';
import { prefetchRelations, selectedRelations } from '../src/prefetch.js';

/** WorkOrder: the fields the canonical model lacks, and its relations. */
export const WorkOrder: WorkOrderResolvers = {
  id: (workOrder, _args, context) => toGlobalId('WorkOrder', workOrder.ref, context.principal.tenant),
  source: (workOrder) => workOrder.ref,
  linkedWorkOrders: async (workOrder, _args, { identity, loaders }) => {
    const entity = await identity.entityOf('workOrder', workOrder.ref);
    const others = (entity?.members ?? []).map((m) => m.ref).filter((r) => r.system !== workOrder.ref.system || r.id !== workOrder.ref.id);
    return loaders.each('workOrder', others);
  },
  customer: (workOrder, _args, { loaders }, info) => {
    if (!workOrder.customerRef) return null;
    const customer = loaders.customer.load(workOrder.customerRef);
    // The customer's relationships go out beside the customer's own read.
    prefetchRelations(loaders, selectedRelations(info, 'Customer'), workOrder.customerRef);
    return customer;
  },
  location: (workOrder, _args, { loaders }) => (workOrder.locationRef ? loaders.location.load(workOrder.locationRef) : null),
  equipment: (workOrder, _args, { loaders }) => loaders.each('equipment', workOrder.equipmentRefs),
  technicians: (workOrder, _args, { loaders }) => loaders.each('technician', workOrder.technicianRefs),
  appointments: (workOrder, args, { loaders }) => connectionOf(args, () => loaders.related('appointment', 'workOrder').load(workOrder.ref)),
  invoices: (workOrder, args, { loaders }) => connectionOf(args, () => loaders.related('invoice', 'workOrder').load(workOrder.ref)),
  claims: (workOrder, args, { loaders }) => connectionOf(args, () => loaders.related('claim', 'workOrder').load(workOrder.ref)),
};
