/**
 * The resolver map: the only file that lists every resolver. Each resolver lives in a file named
 * after its schema coordinate (`Query/node.ts`, `WorkOrder.ts`) and stays thin: decode, call a
 * loader, return a canonical model.
 */
import type { Resolvers } from '../src/__generated__/graphql.js';
import { Appointment } from './Appointment.js';
import { Claim } from './Claim.js';
import { Customer } from './Customer.js';
import { Equipment } from './Equipment.js';
import { ExternalReference } from './ExternalReference.js';
import { Invoice } from './Invoice.js';
import { Location } from './Location.js';
import { Membership } from './Membership.js';
import { Node } from './Node.js';
import { node } from './Query/node.js';
import { nodes } from './Query/nodes.js';
import { workOrders } from './Query/workOrders.js';
import { customers } from './Query/customers.js';
import { technicians } from './Query/technicians.js';
import { appointments } from './Query/appointments.js';
import { invoices } from './Query/invoices.js';
import { claims } from './Query/claims.js';
import { memberships } from './Query/memberships.js';
import { createWorkOrder } from './Mutation/createWorkOrder.js';
import { dispatch } from './Mutation/dispatch.js';
import { enrollMembership } from './Mutation/enrollMembership.js';
import { submitClaim } from './Mutation/submitClaim.js';
import { linkRecords } from './Mutation/linkRecords.js';
import { unlinkRecords } from './Mutation/unlinkRecords.js';
import { scalars } from './scalars.js';
import { Technician } from './Technician.js';
import { WorkOrder } from './WorkOrder.js';

/** Every resolver of the schema. */
export const resolvers: Resolvers = {
  Query: { node, nodes, workOrders, customers, technicians, appointments, invoices, claims, memberships },
  Mutation: { createWorkOrder, dispatch, submitClaim, enrollMembership, linkRecords, unlinkRecords },
  Node,
  ExternalReference,
  Customer,
  Location,
  Equipment,
  WorkOrder,
  Appointment,
  Technician,
  Claim,
  Invoice,
  Membership,
  ...scalars,
};
