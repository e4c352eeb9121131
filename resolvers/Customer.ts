import type { CustomerResolvers } from '../src/__generated__/graphql.js';
import { toGlobalId } from '../src/ids.js';
import { connectionOf } from '../src/pagination.js';

/** Customer: the fields the canonical model lacks or names differently, and its relations. */
export const Customer: CustomerResolvers = {
  id: (customer, _args, context) => toGlobalId('Customer', customer.ref, context.principal.tenant),
  source: (customer) => customer.ref,
  billingAddress: (customer) => customer.address ?? null,
  isActive: (customer) => customer.active,
  locations: (customer, args, { loaders }) => connectionOf(args, () => loaders.related('location', 'customer').load(customer.ref)),
  equipment: (customer, args, { loaders }) => connectionOf(args, () => loaders.related('equipment', 'customer').load(customer.ref)),
  workOrders: (customer, args, { loaders }) => connectionOf(args, () => loaders.related('workOrder', 'customer').load(customer.ref)),
  invoices: (customer, args, { loaders }) => connectionOf(args, () => loaders.related('invoice', 'customer').load(customer.ref)),
  memberships: (customer, args, { loaders }) => connectionOf(args, () => loaders.related('membership', 'customer').load(customer.ref)),
};
