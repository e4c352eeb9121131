import type { MembershipResolvers } from '../src/__generated__/graphql.js';
import { toGlobalId } from '../src/ids.js';

/** Membership: the fields the canonical model lacks or names differently, and its relations. */
export const Membership: MembershipResolvers = {
  id: (membership, _args, context) => toGlobalId('Membership', membership.ref, context.principal.tenant),
  source: (membership) => membership.ref,
  nextBillingOn: (membership) => membership.nextBillingDate ?? null,
  customer: (membership, _args, { loaders }) => loaders.customer.load(membership.customerRef),
  location: (membership, _args, { loaders }) => (membership.locationRef ? loaders.location.load(membership.locationRef) : null),
};
