import type { CustomerResolvers } from '../src/__generated__/graphql.js';
import { orElse, unifiedId, unifiedRelation, unifiedScalar, unifiedSource, unifiedSources } from '../src/unified.js';

/**
 * Customer: one node per real-world customer, whichever system's record it came in as. Scalars
 * come from its member records by precedence; relationships hold every member's records.
 */
export const Customer: CustomerResolvers = {
  id: (customer, _args, ctx) => unifiedId(ctx, 'customer', customer),
  source: (customer, _args, ctx) => unifiedSource(ctx, 'customer', customer),
  sources: (customer, _args, ctx) => unifiedSources(ctx, 'customer', customer),
  name: (customer, _args, ctx) => orElse(unifiedScalar(ctx, 'customer', customer, 'name'), customer.name),
  kind: (customer, _args, ctx) => unifiedScalar(ctx, 'customer', customer, 'kind'),
  email: (customer, _args, ctx) => unifiedScalar(ctx, 'customer', customer, 'email'),
  phone: (customer, _args, ctx) => unifiedScalar(ctx, 'customer', customer, 'phone'),
  billingAddress: (customer, _args, ctx) => unifiedScalar(ctx, 'customer', customer, 'address'),
  balance: (customer, _args, ctx) => unifiedScalar(ctx, 'customer', customer, 'balance'),
  tags: (customer, _args, ctx) => orElse(unifiedScalar(ctx, 'customer', customer, 'tags'), []),
  isActive: (customer, _args, ctx) => orElse(unifiedScalar(ctx, 'customer', customer, 'active'), customer.active),
  createdAt: (customer, _args, ctx) => unifiedScalar(ctx, 'customer', customer, 'createdAt'),
  updatedAt: (customer, _args, ctx) => unifiedScalar(ctx, 'customer', customer, 'updatedAt'),
  locations: (customer, args, ctx, info) => unifiedRelation(ctx, 'customer', customer, 'location', args, info),
  equipment: (customer, args, ctx, info) => unifiedRelation(ctx, 'customer', customer, 'equipment', args, info),
  workOrders: (customer, args, ctx, info) => unifiedRelation(ctx, 'customer', customer, 'workOrder', args, info),
  invoices: (customer, args, ctx, info) => unifiedRelation(ctx, 'customer', customer, 'invoice', args, info),
  memberships: (customer, args, ctx, info) => unifiedRelation(ctx, 'customer', customer, 'membership', args, info),
};
