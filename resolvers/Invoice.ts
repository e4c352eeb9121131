import type { InvoiceResolvers } from '../src/__generated__/graphql.js';
import { toGlobalId } from '../src/ids.js';

/** Invoice: the fields the canonical model lacks, and its relations. */
export const Invoice: InvoiceResolvers = {
  id: (invoice, _args, context) => toGlobalId('Invoice', invoice.ref, context.principal.tenant),
  source: (invoice) => invoice.ref,
  workOrder: (invoice, _args, { loaders }) => (invoice.workOrderRef ? loaders.workOrder.load(invoice.workOrderRef) : null),
  customer: (invoice, _args, { loaders }) => (invoice.customerRef ? loaders.customer.load(invoice.customerRef) : null),
};
