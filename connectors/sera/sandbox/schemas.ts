/**
 * The Sera API's request and response bodies as zod schemas. They are the simulator's contract:
 * bodies are parsed with them, responses are checked against them in tests, and the OpenAPI
 * document is generated from them. Shapes follow Supergood's Sera page; the reads it implies use
 * the same field names (`customerId`, `serviceLocationId`, money as JSON numbers).
 */
import { z } from 'zod';
import { SERA } from '../../sandbox/dataset/vocab.js';
import { isoParam, pagingQuery } from '../../sandbox/supergood.js';
import { JOB_TYPES, SKILLS } from './catalog.js';
import { isTimeZone, minutesOf } from './time.js';

// ---------------------------------------------------------------- building blocks

const isoTimestamp = z.string().describe('ISO 8601 UTC timestamp, e.g. 2026-01-18T09:05:00Z.');
const calendarDate = z.string().describe('Calendar date, YYYY-MM-DD.');
const moneyOut = z.number().describe('Amount in US dollars, two decimals.');

/** A `YYYY-MM-DD` date that exists. */
export const DateInput = z.iso.date();

/** A wall-clock time `HH:MM` (24 h). */
const TimeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Expected a time written HH:MM (24 h).');

/** True when `n` has at most two decimals (cents; hundredths of a unit). */
function twoDecimals(n: number): boolean {
  return Number.isFinite(n) && Math.abs(n * 100 - Math.round(n * 100)) < 1e-6;
}

/** A money amount in a request: a non-negative JSON number with at most two decimals. */
const MoneyInput = z.number().nonnegative().max(1_000_000).refine(twoDecimals, 'At most two decimals.');

/** A local appointment window. The end must follow the start on the same day. */
const TimeWindowInput = z
  .object({
    start: TimeOfDay,
    end: TimeOfDay,
    timezone: z.string().refine(isTimeZone, 'Expected an IANA time zone such as America/New_York.').describe('IANA time zone of the window.'),
  })
  .superRefine((w, ctx) => {
    if (minutesOf(w.end) <= minutesOf(w.start)) ctx.addIssue({ code: 'custom', path: ['end'], message: 'Must be after start.' });
  });

/** A window change needs both halves. */
function windowPair(b: { requestedDate?: string | null | undefined; timeWindow?: unknown }, ctx: z.RefinementCtx): void {
  if (b.timeWindow && !b.requestedDate) ctx.addIssue({ code: 'custom', path: ['requestedDate'], message: 'Required when timeWindow is given.' });
}

// ---------------------------------------------------------------- request bodies

/** `POST /work-orders` body. */
export const CreateWorkOrderBody = z
  .object({
    customerId: z.string().min(1),
    serviceLocationId: z.string().min(1).describe('A service location of the customer.'),
    jobType: z.enum(JOB_TYPES as [string, ...string[]]).describe('`<trade>_<kind>`, e.g. hvac_service.'),
    priority: z.enum(SERA.priority).default('normal'),
    requestedDate: DateInput.nullish().describe('Local date of the visit (required with timeWindow).'),
    timeWindow: TimeWindowInput.nullish().describe('Local arrival window; with a technician, the work order is scheduled.'),
    description: z.string().trim().min(1).max(4000),
    pricebookItems: z
      .array(
        z.object({
          itemId: z.string().min(1),
          quantity: z.number().positive().max(10_000).refine(twoDecimals, 'At most two decimals.'),
          unitPrice: MoneyInput.nullish().describe('Overrides the pricebook price.'),
        }),
      )
      .max(100)
      .default([]),
    assignedTechnicianId: z.string().min(1).nullish(),
    source: z.string().min(1).max(64).nullish().describe('Booking channel, e.g. web_booking, phone.'),
    notes: z.string().max(4000).nullish(),
  })
  .superRefine(windowPair);

/** `PATCH /work-orders/{id}/status` body. */
export const UpdateStatusBody = z
  .object({
    status: z.enum(SERA.workOrderStatus),
    assignedTechnicianId: z.string().min(1).nullish(),
    requestedDate: DateInput.nullish().describe('With timeWindow and status scheduled: (re)books the window.'),
    timeWindow: TimeWindowInput.nullish(),
    startedAt: z.iso.datetime({ offset: true }).nullish().describe('Arrival time (with status in_progress); any offset, stored in UTC.'),
    completedAt: z.iso.datetime({ offset: true }).nullish().describe('Completion time (with status completed); any offset, stored in UTC.'),
    arrivalNotes: z.string().max(4000).nullish(),
    attachments: z
      .array(z.object({ fileName: z.string().min(1).max(255), uploadToken: z.string().min(1).max(200) }))
      .max(20)
      .nullish(),
  })
  .superRefine(windowPair);

/** `POST /customers/{id}/memberships` body. */
export const CreateMembershipBody = z
  .object({
    planId: z.string().min(1),
    startDate: DateInput.nullish().describe('First day of the term (default: today, business time).'),
    billingCadence: z.enum(['monthly', 'quarterly', 'annual']).nullish().describe("Must be the plan's cadence."),
    autopay: z.boolean().default(false),
    paymentMethodToken: z.string().min(1).max(200).nullish().describe('Write-only: never returned; required with autopay.'),
    includedVisits: z.number().int().min(0).max(52).nullish(),
    introPrice: MoneyInput.nullish(),
  })
  .superRefine((b, ctx) => {
    if (b.autopay && !b.paymentMethodToken) {
      ctx.addIssue({ code: 'custom', path: ['paymentMethodToken'], message: 'Required when autopay is true.' });
    }
  });

/** The action body of `complete`. */
export const CompleteActionBody = z.object({ id: z.string().min(1) });

// ---------------------------------------------------------------- queries

const updatedRange = {
  updatedFrom: isoParam.describe('Only records updated at or after this instant.'),
  updatedTo: isoParam.describe('Only records updated before this instant.'),
};

/** A scheduling bound: an instant, or a local business date (midnight, America/New_York). */
const ScheduleBound = z
  .union([z.iso.datetime({ offset: true }), DateInput])
  .optional()
  .describe('ISO 8601 timestamp, or a date (midnight in America/New_York).');

/** `GET /customers` query: the documented filters; updated range is half-open [from, to). */
export const CustomersQuery = z.object({
  status: z.enum(['active', 'inactive']).optional(),
  membershipStatus: z
    .enum(['active', 'lapsed', 'none'])
    .optional()
    .describe("The newest membership's status; none = no membership, or the newest was cancelled."),
  ...updatedRange,
  ...pagingQuery,
});

/** `GET /work-orders` query. Filters combine with AND; ranges are half-open [from, to). */
export const WorkOrdersQuery = z.object({
  customerId: z.string().min(1).optional(),
  status: z.enum(SERA.workOrderStatus).optional(),
  technicianId: z.string().min(1).optional(),
  ...updatedRange,
  scheduledFrom: ScheduleBound.describe('Only work orders whose appointment starts at or after this.'),
  scheduledTo: ScheduleBound.describe('Only work orders whose appointment starts before this.'),
  ...pagingQuery,
});

/** `GET /technicians` query. */
export const TechniciansQuery = z.object({
  skill: z.enum(SKILLS).optional(),
  region: z.string().min(1).optional().describe('Service region code, e.g. ATL-N.'),
  ...pagingQuery,
});

/** `GET /memberships` query. */
export const MembershipsQuery = z.object({
  customerId: z.string().min(1).optional(),
  status: z.enum(SERA.membershipStatus).optional(),
  ...pagingQuery,
});

/** `GET /customers/{id}/memberships` query. */
export const CustomerMembershipsQuery = z.object({
  status: z.enum(SERA.membershipStatus).optional(),
  ...pagingQuery,
});

/** `GET /invoices` query. */
export const InvoicesQuery = z.object({
  customerId: z.string().min(1).optional(),
  workOrderId: z.string().min(1).optional(),
  status: z.enum(SERA.invoiceStatus).optional(),
  ...updatedRange,
  ...pagingQuery,
});

/** `GET /locations` query. */
export const LocationsQuery = z.object({ ...updatedRange, ...pagingQuery });

/** Query of the lists that only page. */
export const PagingQuery = z.object({ ...pagingQuery });

// ---------------------------------------------------------------- responses

/** A postal address as Sera stores it (`line2` only when present). */
export const Address = z.object({
  line1: z.string(),
  line2: z.string().optional(),
  city: z.string(),
  region: z.string().describe('Two-letter state code.'),
  postalCode: z.string(),
  country: z.string(),
});

/** A customer with its summary fields (the documented `GET /customers` item). */
export const Customer = z.object({
  customerId: z.string(),
  name: z.string(),
  primaryContact: z.object({ email: z.string().nullable(), phone: z.string().nullable() }),
  defaultServiceLocation: z.object({ locationId: z.string(), address: Address }).nullable(),
  membership: z
    .object({ status: z.enum(SERA.membershipStatus), planName: z.string(), nextBillingDate: calendarDate.nullable() })
    .nullable()
    .describe('The newest membership; null when the customer never had one.'),
  outstandingBalance: moneyOut.describe('Sum of open invoice balances.'),
  tags: z.array(z.string()),
  createdAt: isoTimestamp,
  updatedAt: isoTimestamp,
});

/** A service location of a customer. */
export const Location = z.object({
  locationId: z.string(),
  customerId: z.string(),
  name: z.string(),
  address: Address,
  contact: z.object({ name: z.string(), email: z.string().nullable(), phone: z.string().nullable() }).nullable(),
  active: z.boolean(),
  createdAt: isoTimestamp,
  updatedAt: isoTimestamp,
});

/** A technician (field user). */
export const Technician = z.object({
  technicianId: z.string(),
  name: z.string(),
  email: z.string(),
  phone: z.string(),
  skills: z.array(z.string()),
  region: z.string(),
  dailyCapacity: z.number().int(),
  active: z.boolean(),
  createdAt: isoTimestamp,
  updatedAt: isoTimestamp,
});

/** The appointment embedded in a work order: local date and window, and the technician. */
export const Appointment = z.object({
  date: calendarDate.describe('Local date of the visit.'),
  windowStart: z.string().describe('Local HH:MM.'),
  windowEnd: z.string().describe('Local HH:MM.'),
  timezone: z.string().describe('IANA time zone of date and window.'),
  technicianId: z.string().nullable(),
});

/** A pricebook line of a work order. */
export const WorkOrderLine = z.object({
  itemId: z.string(),
  name: z.string(),
  quantity: z.number(),
  unitPrice: moneyOut,
  total: moneyOut,
  taxable: z.boolean(),
});

/** A work order with its appointment, pricebook lines and exact totals. */
export const WorkOrder = z.object({
  workOrderId: z.string(),
  status: z.enum(SERA.workOrderStatus),
  customerId: z.string(),
  serviceLocationId: z.string(),
  jobType: z.string(),
  priority: z.string(),
  requestedDate: calendarDate.nullable(),
  description: z.string(),
  appointment: Appointment.nullable(),
  assignedTechnicianId: z.string().nullable(),
  pricebookItems: z.array(WorkOrderLine),
  totals: z.object({ subtotal: moneyOut, tax: moneyOut, total: moneyOut }),
  invoiceId: z.string().nullable(),
  source: z.string().nullable(),
  notes: z.string().nullable(),
  arrivalNotes: z.string().nullable(),
  attachments: z.array(z.object({ fileName: z.string(), uploadToken: z.string() })),
  startedAt: isoTimestamp.nullable(),
  completedAt: isoTimestamp.nullable(),
  createdAt: isoTimestamp,
  updatedAt: isoTimestamp,
});

/** `POST /work-orders` response (the vendor document's example shape). */
export const WorkOrderCreated = z.object({
  workOrderId: z.string(),
  status: z.enum(SERA.workOrderStatus),
  appointment: Appointment.nullable(),
  createdAt: isoTimestamp,
});

/** `PATCH /work-orders/{id}/status` response. */
export const StatusUpdated = z.object({
  workOrderId: z.string(),
  status: z.enum(SERA.workOrderStatus),
  startedAt: isoTimestamp.nullable(),
  completedAt: isoTimestamp.optional().describe('Present when the work order is completed.'),
  updatedAt: isoTimestamp,
});

/** An invoice with its lines, totals and open balance. */
export const Invoice = z.object({
  invoiceId: z.string(),
  number: z.string(),
  workOrderId: z.string(),
  customerId: z.string(),
  serviceLocationId: z.string(),
  status: z.enum(SERA.invoiceStatus),
  issuedOn: calendarDate,
  dueOn: calendarDate,
  lineItems: z.array(z.object({ itemId: z.string(), description: z.string(), quantity: z.number(), unitPrice: moneyOut, total: moneyOut })),
  subtotal: moneyOut,
  tax: moneyOut,
  total: moneyOut,
  balance: moneyOut,
  createdAt: isoTimestamp,
  updatedAt: isoTimestamp,
});

/** A membership (service agreement). The payment method token is never part of it. */
export const Membership = z.object({
  membershipId: z.string(),
  customerId: z.string(),
  serviceLocationId: z.string().nullable(),
  planId: z.string(),
  planName: z.string(),
  status: z.enum(SERA.membershipStatus),
  startDate: calendarDate,
  endDate: calendarDate.nullable(),
  billingCadence: z.enum(['monthly', 'quarterly', 'annual']),
  nextBillingDate: calendarDate.nullable(),
  autopay: z.boolean(),
  paymentMethod: z
    .object({ fingerprint: z.string().describe('Stable per payment method; the token itself is never returned.') })
    .nullable(),
  includedVisits: z.number().int(),
  price: moneyOut,
  introPrice: moneyOut.nullable(),
  createdAt: isoTimestamp,
  updatedAt: isoTimestamp,
});

/** `POST /customers/{id}/memberships` response (the vendor document's example shape). */
export const MembershipCreated = z.object({
  membershipId: z.string(),
  status: z.enum(SERA.membershipStatus),
  planId: z.string(),
  nextBillingDate: calendarDate.nullable(),
  createdAt: isoTimestamp,
});

/** A membership plan customers can enrol in. */
export const MembershipPlan = z.object({
  planId: z.string(),
  name: z.string(),
  billingCadence: z.enum(['monthly', 'quarterly', 'annual']),
  price: moneyOut,
  includedVisits: z.number().int(),
});

/** A pricebook item. */
export const PricebookItem = z.object({
  itemId: z.string(),
  name: z.string(),
  category: z.enum(['service', 'labor', 'material']),
  skill: z.string().nullable(),
  unitPrice: moneyOut,
  taxable: z.boolean(),
});
