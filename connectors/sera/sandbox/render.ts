/**
 * Renders the Sera simulator's rows in the vendor's wire format (the shapes in `schemas.ts`).
 * Money leaves as JSON numbers with two decimals, converted from exact cents only here.
 */
import type { z } from 'zod';
import type { GenAddress, GenLocation, GenTechnician } from '../../sandbox/dataset/types.js';
import { PLANS, PRICEBOOK, type MembershipPlan as PlanRow, type PricebookItem as PricebookRow } from './catalog.js';
import type * as S from './schemas.js';
import { money, totalsOf, lineCents, type CustomerRow, type InvoiceRow, type MembershipRow, type SeraState, type WorkOrderRow } from './state.js';
import { utcToLocal } from './time.js';

function address(a: GenAddress): z.infer<typeof S.Address> {
  return {
    line1: a.line1,
    ...(a.line2 ? { line2: a.line2 } : {}),
    city: a.city,
    region: a.region,
    postalCode: a.postalCode,
    country: a.country,
  };
}

/** A customer with its default location, newest membership and outstanding balance. */
export function renderCustomer(state: SeraState, c: CustomerRow): z.infer<typeof S.Customer> {
  const loc = state.defaultLocationOf(c.id);
  const m = state.newestMembership(c.id);
  return {
    customerId: c.id,
    name: c.name,
    primaryContact: { email: c.email ?? null, phone: c.phone ?? null },
    defaultServiceLocation: loc ? { locationId: loc.id, address: address(loc.address) } : null,
    membership: m ? { status: m.status, planName: m.planName, nextBillingDate: m.nextBillingDate } : null,
    outstandingBalance: money(state.outstandingCents(c.id)),
    tags: c.tags,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

/** A service location. */
export function renderLocation(l: GenLocation): z.infer<typeof S.Location> {
  return {
    locationId: l.id,
    customerId: l.customerId,
    name: l.name,
    address: address(l.address),
    contact: l.contact ? { name: l.contact.name, email: l.contact.email ?? null, phone: l.contact.phone ?? null } : null,
    active: l.active,
    createdAt: l.createdAt,
    updatedAt: l.updatedAt,
  };
}

/** A technician. */
export function renderTechnician(t: GenTechnician): z.infer<typeof S.Technician> {
  return {
    technicianId: t.id,
    name: t.name,
    email: t.email,
    phone: t.phone,
    skills: t.skills,
    region: t.region,
    dailyCapacity: t.dailyCapacity,
    active: t.active,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
  };
}

/** The embedded appointment: local date and window in the zone it was booked in. */
export function renderAppointment(w: WorkOrderRow): z.infer<typeof S.Appointment> | null {
  if (!w.window) return null;
  const start = utcToLocal(w.window.startMs, w.window.timezone);
  const end = utcToLocal(w.window.endMs, w.window.timezone);
  return { date: start.date, windowStart: start.time, windowEnd: end.time, timezone: w.window.timezone, technicianId: w.technicianId };
}

/** A work order with its appointment, pricebook lines and exact totals. */
export function renderWorkOrder(w: WorkOrderRow): z.infer<typeof S.WorkOrder> {
  const totals = totalsOf(w.lines);
  return {
    workOrderId: w.id,
    status: w.status,
    customerId: w.customerId,
    serviceLocationId: w.locationId,
    jobType: w.jobType,
    priority: w.priority,
    requestedDate: w.requestedDate,
    description: w.description,
    appointment: renderAppointment(w),
    assignedTechnicianId: w.technicianId,
    pricebookItems: w.lines.map((l) => ({
      itemId: l.itemId,
      name: l.name,
      quantity: l.quantityHundredths / 100,
      unitPrice: money(l.unitPriceCents),
      total: money(lineCents(l)),
      taxable: l.taxable,
    })),
    totals: { subtotal: money(totals.subtotal), tax: money(totals.tax), total: money(totals.total) },
    invoiceId: w.invoiceId,
    source: w.source,
    notes: w.notes,
    arrivalNotes: w.arrivalNotes,
    attachments: w.attachments,
    startedAt: w.startedAt,
    completedAt: w.completedAt,
    createdAt: w.createdAt,
    updatedAt: w.updatedAt,
  };
}

/** An invoice with its lines, totals and balance. */
export function renderInvoice(i: InvoiceRow): z.infer<typeof S.Invoice> {
  return {
    invoiceId: i.id,
    number: i.number,
    workOrderId: i.workOrderId,
    customerId: i.customerId,
    serviceLocationId: i.locationId,
    status: i.status,
    issuedOn: i.issuedOn,
    dueOn: i.dueOn,
    lineItems: i.lines.map((l) => ({
      itemId: l.itemId,
      description: l.description,
      quantity: l.quantityHundredths / 100,
      unitPrice: money(l.unitPriceCents),
      total: money(l.totalCents),
    })),
    subtotal: money(i.subtotalCents),
    tax: money(i.taxCents),
    total: money(i.totalCents),
    balance: money(i.balanceCents),
    createdAt: i.createdAt,
    updatedAt: i.updatedAt,
  };
}

/** A membership; the payment method appears only as its fingerprint. */
export function renderMembership(m: MembershipRow): z.infer<typeof S.Membership> {
  return {
    membershipId: m.id,
    customerId: m.customerId,
    serviceLocationId: m.locationId,
    planId: m.planId,
    planName: m.planName,
    status: m.status,
    startDate: m.startDate,
    endDate: m.endDate,
    billingCadence: m.billingCadence,
    nextBillingDate: m.nextBillingDate,
    autopay: m.autopay,
    paymentMethod: m.paymentFingerprint ? { fingerprint: m.paymentFingerprint } : null,
    includedVisits: m.includedVisits,
    price: money(m.priceCents),
    introPrice: m.introPriceCents === null ? null : money(m.introPriceCents),
    createdAt: m.createdAt,
    updatedAt: m.updatedAt,
  };
}

/** A membership plan. */
export function renderPlan(p: PlanRow): z.infer<typeof S.MembershipPlan> {
  return { planId: p.planId, name: p.name, billingCadence: p.billingCadence, price: money(p.priceCents), includedVisits: p.includedVisits };
}

/** A pricebook item. */
export function renderPricebookItem(i: PricebookRow): z.infer<typeof S.PricebookItem> {
  return { itemId: i.itemId, name: i.name, category: i.category, skill: i.skill, unitPrice: money(i.unitPriceCents), taxable: i.taxable };
}

/** The membership plans, rendered once (they never change). */
export const RENDERED_PLANS = PLANS.map(renderPlan);
/** The pricebook, rendered once (it never changes). */
export const RENDERED_PRICEBOOK = PRICEBOOK.map(renderPricebookItem);
