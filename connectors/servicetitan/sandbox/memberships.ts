/**
 * Memberships module routes: customer memberships (list with `customerIds` multi-valued, get, and
 * enrolment through `POST memberships/sale`, which creates the membership and its sale invoice),
 * membership types and their duration/billing options.
 */
import { z } from 'zod';
import { csv, isoNow, type RouteDef } from '../../sandbox/kit.js';
import { BILLING_FREQUENCIES, BUSINESS_UNITS, MEMBERSHIP_TYPES, REFERENCE_CREATED_ON, SERVICETITAN_SANDBOX } from './constants.js';
import { errorDocs, notFound, unprocessable } from './errors.js';
import { base, ID, mustGet, ok, pathId, route, TENANT, type SimState } from './http.js';
import { activeParam, byIds, enumParam, Filters, idListParam, intersect, listPage, mergeSorted, paging, pagingOf, stampFilters } from './query.js';
import { membershipTypeRows, renderMembership } from './render.js';
import {
  DurationBillingItemSchema,
  MEMBERSHIP_STATUSES,
  MembershipSaleBody,
  MembershipSaleResponseSchema,
  MembershipSchema,
  MembershipTypeSchema,
  paginated,
} from './schemas.js';
import type { MembershipRec } from './store.js';

const MEM = base('memberships');

function addMonthsIso(iso: string, months: number): string {
  const d = new Date(iso);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  return `${target.toISOString().slice(0, 10)}T00:00:00Z`;
}

const MONTHS_PER_BILL: Record<string, number> = { Monthly: 1, EveryOtherMonth: 2, Quarterly: 3, BiAnnual: 6, Annual: 12 };

/** Membership routes. */
export function membershipRoutes(state: SimState): RouteDef[] {
  const query = z.object({
    ...paging,
    ids: idListParam('Perform lookup by multiple IDs.'),
    customerIds: idListParam('Filters by customer IDs.'),
    status: enumParam(MEMBERSHIP_STATUSES, 'Filters by membership status.'),
    billingFrequency: enumParam(BILLING_FREQUENCIES, 'Filters by membership billing frequency.'),
    active: activeParam(),
    ...stampFilters,
  });

  return [
    route({
      method: 'GET',
      path: `${MEM}/memberships`,
      operationId: 'CustomerMemberships_GetList',
      summary: 'Gets a list of customer memberships',
      tags: ['CustomerMemberships'],
      pathParams: TENANT,
      query,
      responses: { 200: { description: 'A page of memberships.', schema: paginated(MembershipSchema) }, ...errorDocs(400) },
      handler: (req) => {
        const s = state.store(req.auth.tenant);
        const q = req.query;
        const f = new Filters<MembershipRec>().active(q.active, (m) => m.active).stamps(q, (m) => m);
        if (q.status !== undefined) f.add((m) => m.status === q.status);
        if (q.billingFrequency !== undefined) f.add((m) => m.billingFrequency === q.billingFrequency);
        const byCustomers = q.customerIds !== undefined ? mergeSorted(csv(q.customerIds).map((id) => s.memberships.by('customer', Number(id)))) : undefined;
        const { candidates, extra } = intersect([byIds(q.ids, (id) => s.memberships.get(id)), byCustomers], s.memberships.rows);
        extra.forEach((p) => f.add(p));
        return ok(listPage(candidates, f, pagingOf(q), renderMembership));
      },
    }),
    route({
      method: 'GET',
      path: `${MEM}/memberships/{id}`,
      operationId: 'CustomerMemberships_Get',
      summary: 'Gets customer membership specified by ID',
      tags: ['CustomerMemberships'],
      pathParams: { ...TENANT, ...ID },
      responses: { 200: { description: 'The membership.', schema: MembershipSchema }, ...errorDocs(400, 404) },
      handler: (req) => {
        const s = state.store(req.auth.tenant);
        return ok(renderMembership(mustGet(req, s.memberships, 'Customer membership', pathId(req))));
      },
    }),
    route({
      method: 'POST',
      path: `${MEM}/memberships/sale`,
      operationId: 'CustomerMemberships_Create',
      summary: 'Creates membership sale invoice',
      description:
        'Enrols a customer: creates the membership (Active, from today) and its sale invoice. `saleTaskId` is the pricebook service that sells the membership type ' +
        '(`GET /pricebook/v2/tenant/{tenant}/services`), `durationBillingId` one of the type\'s duration/billing options. 422 for unknown or mismatched references.',
      tags: ['CustomerMemberships'],
      pathParams: TENANT,
      body: MembershipSaleBody,
      responses: { 200: { description: 'The sale invoice and the new membership.', schema: MembershipSaleResponseSchema }, ...errorDocs(400, 422) },
      handler: (req) => {
        const s = state.store(req.auth.tenant);
        const b = req.body;
        const errs: Record<string, string[]> = {};
        const customer = s.customers.get(b.customerId);
        if (!customer?.active) errs.customerId = [`Customer with ID ${b.customerId} was not found.`];
        if (!BUSINESS_UNITS.some((u) => u.id === b.businessUnitId)) errs.businessUnitId = [`Business unit with ID ${b.businessUnitId} was not found.`];
        const type = MEMBERSHIP_TYPES.find((t) => t.durationBilling.some((d) => d.id === b.durationBillingId));
        const option = type?.durationBilling.find((d) => d.id === b.durationBillingId);
        if (!type || !option?.active) errs.durationBillingId = [`Duration/billing option with ID ${b.durationBillingId} was not found.`];
        const task = MEMBERSHIP_TYPES.find((t) => t.saleTaskId === b.saleTaskId);
        if (!task) errs.saleTaskId = [`Sale task with ID ${b.saleTaskId} was not found.`];
        else if (type && task.id !== type.id) errs.saleTaskId = [`Sale task ${b.saleTaskId} does not sell membership type ${type.id}.`];
        for (const field of ['locationId', 'recurringLocationId'] as const) {
          const id = b[field];
          if (id == null) continue;
          const loc = s.locations.get(id);
          if (!loc) errs[field] = [`Location with ID ${id} was not found.`];
          else if (loc.customerId !== b.customerId) errs[field] = [`Location ${id} does not belong to customer ${b.customerId}.`];
        }
        if (Object.keys(errs).length || !type || !option || !customer) throw unprocessable(req, errs);

        const now = isoNow(state.now());
        const wall = state.now().getTime();
        const today = `${now.slice(0, 10)}T00:00:00Z`;
        const step = MONTHS_PER_BILL[option.billingFrequency];
        const membership = s.memberships.insert(
          {
            id: s.seq.membership.next(),
            customerId: b.customerId,
            locationId: b.locationId ?? null,
            membershipTypeId: type.id,
            businessUnitId: b.businessUnitId,
            status: 'Active',
            active: true,
            from: today,
            to: option.duration === null ? null : addMonthsIso(today, option.duration),
            duration: option.duration,
            billingFrequency: option.billingFrequency,
            nextScheduledBillDate: step === undefined ? null : addMonthsIso(today, step),
            cancellationDate: null,
            createdById: SERVICETITAN_SANDBOX.apiUserId,
            soldById: null,
            recurringLocationId: b.recurringLocationId ?? b.locationId ?? null,
            memo: null,
            createdOn: now,
            modifiedOn: now,
          },
          wall,
        );
        // The sale invoice bills the sale price, or the first period when the option has none.
        const cents = Math.round((option.salePrice > 0 ? option.salePrice : option.billingPrice) * 100);
        const invoiceId = s.seq.invoice.next();
        s.invoices.insert(
          {
            id: invoiceId,
            referenceNumber: String(invoiceId).slice(-8),
            jobId: null,
            customerId: b.customerId,
            locationId: b.locationId ?? null,
            businessUnitId: b.businessUnitId,
            membershipId: membership.id,
            syncStatus: 'Pending',
            summary: `${type.name} membership sale`,
            invoiceDate: today,
            dueDate: addMonthsIso(today, 1),
            subTotalCents: cents,
            salesTaxCents: 0,
            totalCents: cents,
            balanceCents: cents,
            items: [
              {
                id: s.seq.invoiceItem.next(),
                skuId: type.saleTaskId,
                skuName: type.saleTaskCode,
                description: `${type.name} membership`,
                type: 'Service',
                quantity: '1.00',
                priceCents: cents,
                totalCents: cents,
                membershipTypeId: type.id,
                order: 1,
              },
            ],
            createdOn: now,
            modifiedOn: now,
          },
          wall,
        );
        return ok({ invoiceId, customerMembershipId: membership.id });
      },
    }),
    route({
      method: 'GET',
      path: `${MEM}/membership-types`,
      operationId: 'MembershipTypes_GetList',
      summary: 'Gets a list of membership types',
      tags: ['MembershipTypes'],
      pathParams: TENANT,
      query: z.object({ ...paging, ids: idListParam('Perform lookup by multiple IDs.'), active: activeParam(), ...stampFilters }),
      responses: { 200: { description: 'A page of membership types.', schema: paginated(MembershipTypeSchema) }, ...errorDocs(400) },
      handler: (req) => {
        const q = req.query;
        const f = new Filters<(typeof membershipTypeRows)[number]>().active(q.active, (t) => t.active).stamps(q, (t) => t);
        return ok(listPage(byIds(q.ids, (id) => membershipTypeRows.find((t) => t.id === id)) ?? membershipTypeRows, f, pagingOf(q), (t) => ({ ...t })));
      },
    }),
    route({
      method: 'GET',
      path: `${MEM}/membership-types/{id}`,
      operationId: 'MembershipTypes_Get',
      summary: 'Gets membership type specified by ID',
      tags: ['MembershipTypes'],
      pathParams: { ...TENANT, ...ID },
      responses: { 200: { description: 'The membership type.', schema: MembershipTypeSchema }, ...errorDocs(400, 404) },
      handler: (req) => {
        const id = pathId(req);
        const t = membershipTypeRows.find((x) => x.id === id);
        if (!t) throw notFound(req, 'Membership type', id);
        return ok({ ...t });
      },
    }),
    route({
      method: 'GET',
      path: `${MEM}/membership-types/{id}/duration-billing-items`,
      operationId: 'MembershipTypes_GetDurationBillingList',
      summary: 'Gets duration/billing options for the given membership type',
      tags: ['MembershipTypes'],
      pathParams: { ...TENANT, ...ID },
      query: z.object({ active: activeParam() }),
      responses: { 200: { description: 'The options (a plain array, not paginated).', schema: z.array(DurationBillingItemSchema) }, ...errorDocs(400, 404) },
      handler: (req) => {
        const id = pathId(req);
        const t = MEMBERSHIP_TYPES.find((x) => x.id === id);
        if (!t) throw notFound(req, 'Membership type', id);
        const f = new Filters<(typeof t.durationBilling)[number]>().active(req.query.active, (d) => d.active);
        return ok(
          t.durationBilling
            .filter((d) => f.test(d))
            .map((d) => ({ ...d, importId: null, createdOn: REFERENCE_CREATED_ON, createdById: 6_990_000_002 })),
        );
      },
    }),
  ];
}
