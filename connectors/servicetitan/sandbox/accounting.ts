/**
 * Accounting module routes: invoices (list only: this API version has no single GET, use `ids=`),
 * payments (list, create) and payment types. Invoice and payment money is served as decimal
 * strings ("178.05"), as the accounting payloads carry it; payment create takes numbers.
 */
import { z } from 'zod';
import { csv, isoNow, type RouteDef } from '../../sandbox/kit.js';
import { PAYMENT_TYPES } from './constants.js';
import { errorDocs, unprocessable } from './errors.js';
import { base, ok, route, TENANT, touch, type SimState } from './http.js';
import { byIds, dateParam, enumListParam, Filters, idListParam, idParam, intersect, listPage, paging, pagingOf, parseDateParam, stampFilters } from './query.js';
import { paymentTypeRows, renderInvoice, renderPaymentCreated, renderPaymentListItem } from './render.js';
import { InvoiceSchema, paginated, PaymentCreateBody, PaymentCreatedSchema, PaymentListItemSchema, PaymentTypeSchema, TRANSACTION_STATUSES } from './schemas.js';
import type { InvoiceRec, PaymentRec } from './store.js';

const ACC = base('accounting');

/** Invoice, payment and payment type routes. */
export function accountingRoutes(state: SimState): RouteDef[] {
  const invoiceQuery = z.object({
    ...paging,
    ids: idListParam('Perform lookup by multiple IDs.'),
    jobId: idParam('Filters by job ID.'),
    customerId: idParam('Filters by customer ID.'),
    statuses: enumListParam(TRANSACTION_STATUSES, 'Filters by sync status.'),
    number: z.string().optional().describe('Filters by invoice number.'),
    invoicedOnOrAfter: dateParam('Return invoices dated on or after.'),
    invoicedOnBefore: dateParam('Return invoices dated before.'),
    ...stampFilters,
  });
  const paymentQuery = z.object({
    ...paging,
    ids: idListParam('Perform lookup by multiple IDs.'),
    customerId: idParam('Filters by customer ID.'),
    statuses: enumListParam(TRANSACTION_STATUSES, 'Filters by status.'),
    paidOnAfter: dateParam('Return payments paid on or after.'),
    paidOnBefore: dateParam('Return payments paid before.'),
    ...stampFilters,
  });

  return [
    route({
      method: 'GET',
      path: `${ACC}/invoices`,
      operationId: 'Invoices_GetList',
      summary: 'Gets a list of invoices',
      description: 'There is no GET invoices/{id}: look invoices up with `ids=` (at most 50).',
      tags: ['Invoices'],
      pathParams: TENANT,
      query: invoiceQuery,
      responses: { 200: { description: 'A page of invoices.', schema: paginated(InvoiceSchema) }, ...errorDocs(400) },
      handler: (req) => {
        const s = state.store(req.auth.tenant);
        const q = req.query;
        const f = new Filters<InvoiceRec>().stamps(q, (i) => i);
        if (q.statuses !== undefined) {
          const set = new Set(csv(q.statuses));
          f.add((i) => set.has(i.syncStatus));
        }
        if (q.number !== undefined) f.add((i) => i.referenceNumber === q.number);
        if (q.invoicedOnOrAfter !== undefined) {
          const t = parseDateParam(q.invoicedOnOrAfter);
          f.add((i) => Date.parse(i.invoiceDate) >= t);
        }
        if (q.invoicedOnBefore !== undefined) {
          const t = parseDateParam(q.invoicedOnBefore);
          f.add((i) => Date.parse(i.invoiceDate) < t);
        }
        const { candidates, extra } = intersect(
          [
            byIds(q.ids, (id) => s.invoices.get(id)),
            q.jobId !== undefined ? s.invoices.by('job', Number(q.jobId)) : undefined,
            q.customerId !== undefined ? s.invoices.by('customer', Number(q.customerId)) : undefined,
          ],
          s.invoices.rows,
        );
        extra.forEach((p) => f.add(p));
        return ok(listPage(candidates, f, pagingOf(q), (i) => renderInvoice(s, i)));
      },
    }),
    route({
      method: 'GET',
      path: `${ACC}/payments`,
      operationId: 'Payments_GetList',
      summary: 'Gets a paginated list of payments',
      tags: ['Payments'],
      pathParams: TENANT,
      query: paymentQuery,
      responses: { 200: { description: 'A page of payments.', schema: paginated(PaymentListItemSchema) }, ...errorDocs(400) },
      handler: (req) => {
        const s = state.store(req.auth.tenant);
        const q = req.query;
        const f = new Filters<PaymentRec>().stamps(q, (p) => p);
        if (q.statuses !== undefined) {
          const set = new Set(csv(q.statuses));
          f.add((p) => set.has(p.status));
        }
        if (q.paidOnAfter !== undefined) {
          const t = parseDateParam(q.paidOnAfter);
          f.add((p) => Date.parse(p.paidOn) >= t);
        }
        if (q.paidOnBefore !== undefined) {
          const t = parseDateParam(q.paidOnBefore);
          f.add((p) => Date.parse(p.paidOn) < t);
        }
        const { candidates, extra } = intersect(
          [byIds(q.ids, (id) => s.payments.get(id)), q.customerId !== undefined ? s.payments.by('customer', Number(q.customerId)) : undefined],
          s.payments.rows,
        );
        extra.forEach((p) => f.add(p));
        return ok(listPage(candidates, f, pagingOf(q), (p) => renderPaymentListItem(s, p)));
      },
    }),
    route({
      method: 'POST',
      path: `${ACC}/payments`,
      operationId: 'Payments_Create',
      summary: 'Creates new payment',
      description:
        'Each split applies an amount to an invoice and lowers its balance. 422: unknown payment type or invoice, splits over several customers, or an amount above the invoice balance.',
      tags: ['Payments'],
      pathParams: TENANT,
      body: PaymentCreateBody,
      responses: { 200: { description: 'The new payment.', schema: PaymentCreatedSchema }, ...errorDocs(400, 422) },
      handler: (req) => {
        const s = state.store(req.auth.tenant);
        const b = req.body;
        const errs: Record<string, string[]> = {};
        if (!PAYMENT_TYPES.some((t) => t.id === b.typeId)) errs.typeId = [`Payment type with ID ${b.typeId} was not found.`];
        const due = new Map<number, number>();
        const customers = new Set<number>();
        b.splits.forEach((x, i) => {
          const inv = s.invoices.get(x.invoiceId);
          if (!inv) {
            errs[`splits[${i}].invoiceId`] = [`Invoice with ID ${x.invoiceId} was not found.`];
            return;
          }
          customers.add(inv.customerId);
          const cents = Math.round(x.amount * 100);
          const after = (due.get(inv.id) ?? inv.balanceCents) - cents;
          if (after < 0) errs[`splits[${i}].amount`] = [`The amount exceeds the balance of invoice ${inv.id}.`];
          due.set(inv.id, after);
        });
        if (customers.size > 1) errs.splits = ['All splits must apply to invoices of the same customer.'];
        if (Object.keys(errs).length) throw unprocessable(req, errs);
        const now = isoNow(state.now());
        const id = s.seq.payment.next();
        const status = b.status ?? b.transactionStatus ?? 'Pending';
        const payment = s.payments.insert(
          {
            id,
            referenceNumber: String(id).slice(-6),
            typeId: b.typeId,
            customerId: [...customers][0]!,
            status,
            paidOn: b.paidOn ?? now,
            memo: b.memo ?? null,
            authCode: b.authCode ?? null,
            checkNumber: b.checkNumber ?? null,
            exportId: b.exportId ?? null,
            createdBy: 'API',
            active: true,
            splits: b.splits.map((x) => ({ invoiceId: x.invoiceId, cents: Math.round(x.amount * 100) })),
            createdOn: now,
            modifiedOn: now,
          },
          state.now().getTime(),
        );
        for (const [invoiceId, balance] of due) {
          const inv = s.invoices.get(invoiceId)!;
          inv.balanceCents = balance;
          touch(state, s.invoices, inv);
        }
        return ok(renderPaymentCreated(payment));
      },
    }),
    route({
      method: 'GET',
      path: `${ACC}/payment-types`,
      operationId: 'PaymentTypes_GetList',
      summary: 'Gets a list of payment types',
      tags: ['PaymentTypes'],
      pathParams: TENANT,
      query: z.object({ ...paging, ids: idListParam('Perform lookup by multiple IDs.') }),
      responses: { 200: { description: 'A page of payment types.', schema: paginated(PaymentTypeSchema) }, ...errorDocs(400) },
      handler: (req) => ok(listPage(byIds(req.query.ids, (id) => paymentTypeRows.find((r) => r.id === id)) ?? paymentTypeRows, new Filters(), pagingOf(req.query), (r) => ({ ...r }))),
    }),
  ];
}
