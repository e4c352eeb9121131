/**
 * `enrollMembership`: enrolls a customer in a plan in the system where the customer lives (the
 * system that holds the customer record: Sera or ServiceTitan). The payment-method token is
 * write-only: it goes into the command for the connector and nowhere else (not into the normalised
 * input kept for the idempotency hash in clear, not into the stored result, not into a log line).
 * A retry that takes over a key first looks for the membership an earlier attempt made: the
 * customer's membership of the plan starting that day, or created since the first attempt.
 */
import { createHash } from 'node:crypto';
import type { EnrollMembershipCommand } from '../../connectors/types.js';
import { VENDOR_TITLES } from '../../connectors/vendors.js';
import type { EnrollMembershipInput } from '../__generated__/graphql.js';
import type { Context } from '../context.js';
import type { BillingCadence, MembershipModel, RecordRef } from '../model/index.js';
import { idempotencyKeyOf, InputReader, userError, type UserError } from './input.js';
import { forget, runMutation, type Attempt, type Outcome } from './run.js';
import { userErrorsOf, type FieldMap } from './vendor-errors.js';

/** The payload of `enrollMembership`. */
export interface EnrollMembershipResult {
  membership: MembershipModel | null;
  replayed: boolean;
  userErrors: UserError[];
}

/** Command fields of an enrolment → input paths. */
export const ENROLL_MEMBERSHIP_FIELDS: FieldMap = {
  customerRef: ['customer'],
  locationRef: ['location'],
  planId: ['plan'],
  startDate: ['startDate'],
  billingCadence: ['billingCadence'],
  autopay: ['autopay'],
  paymentMethodToken: ['paymentMethodToken'],
  includedVisits: ['includedVisits'],
  externalReference: null,
  vendorSettings: null,
};

interface Parsed {
  customer: RecordRef;
  location: RecordRef | undefined;
  plan: string;
  startDate: string;
  billingCadence: BillingCadence;
  autopay: boolean;
  includedVisits: number | undefined;
}

/** Runs `enrollMembership`. Throws system errors after giving the key back; refusals are user errors. */
export async function enrollMembership(ctx: Context, input: EnrollMembershipInput): Promise<EnrollMembershipResult> {
  const r = new InputReader(ctx.principal.tenant);
  const key = idempotencyKeyOf(input.idempotencyKey, ctx.mutations.idempotencyKeyHeader, r);
  const customer = r.id(input.customer, ['customer'], 'Customer');
  const location = r.id(input.location, ['location'], 'Location');
  const plan = r.text(input.plan, ['plan'], 'The plan', 100);
  const startDate = r.date(input.startDate, ['startDate'], 'The start date');
  if (!input.startDate.trim()) r.fail('REQUIRED', ['startDate'], 'The start date is required.');
  const autopay = input.autopay ?? false;
  const token = input.paymentMethodToken?.trim() || undefined;
  if (autopay && !token) r.fail('REQUIRED', ['paymentMethodToken'], 'Autopay needs a payment-method token.');
  const includedVisits = r.int(input.includedVisits, ['includedVisits'], 'Included visits', 0);
  const refused = (userErrors: UserError[]): EnrollMembershipResult => ({ membership: null, replayed: false, userErrors });
  if (!r.ok || !customer || !plan || !startDate) return refused(r.errors);
  if (location && location.system !== customer.system) {
    return refused([userError('INVALID', ['location'], `The location is in ${VENDOR_TITLES[location.system]}; the customer is in ${VENDOR_TITLES[customer.system]}.`)]);
  }
  const parsed: Parsed = { customer, location, plan, startDate, billingCadence: input.billingCadence, autopay, includedVisits };
  // A different token is a different input, but the token itself is not kept: only its digest
  // goes into the hash of the normalised input.
  const normalised = { ...parsed, paymentMethod: token ? createHash('sha256').update(token).digest('hex') : undefined };
  return runMutation(ctx, {
    mutation: 'enrollMembership',
    key,
    normalised,
    refused,
    replay: async (stored) => ({ membership: stored.membership ? await ctx.loaders.membership.load(stored.membership) : null, replayed: true, userErrors: [] }),
    execute: (attempt) => execute(ctx, parsed, token, attempt),
  });
}

async function execute(ctx: Context, p: Parsed, token: string | undefined, attempt: Attempt): Promise<Outcome<EnrollMembershipResult>> {
  const refuse = (errors: UserError[]): Outcome<EnrollMembershipResult> => ({ ok: false, errors, written: 'nothing' });
  const system = p.customer.system;
  const connector = ctx.connectors[system];
  if (!connector?.enrollMembership || !connector.capabilities.writes.includes('enrollMembership')) {
    return refuse([userError('NOT_SUPPORTED', ['customer'], `The customer lives in ${VENDOR_TITLES[system]}, which keeps no memberships: enroll customers of Sera or ServiceTitan.`)]);
  }
  const [customer, location] = await Promise.all([ctx.loaders.customer.load(p.customer), p.location ? ctx.loaders.location.load(p.location) : Promise.resolve(null)]);
  const errors: UserError[] = [];
  if (!customer) errors.push(userError('NOT_FOUND', ['customer'], 'No such customer.'));
  if (p.location && !location) errors.push(userError('NOT_FOUND', ['location'], 'No such location.'));
  if (customer && !customer.active) errors.push(userError('INVALID_STATE', ['customer'], 'The customer is inactive.'));
  if (errors.length) return refuse(errors);

  const settings = ctx.mutations.services.vendorSettings[system];
  const command: EnrollMembershipCommand = {
    externalReference: attempt.externalReference,
    customerRef: p.customer,
    ...(p.location ? { locationRef: p.location } : {}),
    planId: p.plan,
    startDate: p.startDate,
    billingCadence: p.billingCadence,
    autopay: p.autopay,
    ...(token ? { paymentMethodToken: token } : {}),
    ...(p.includedVisits !== undefined ? { includedVisits: p.includedVisits } : {}),
    ...(settings && Object.keys(settings).length ? { vendorSettings: settings } : {}),
  };

  let membership: MembershipModel | null = attempt.recovering ? await findMembership(ctx, p, attempt.since) : null;
  if (!membership) {
    attempt.writing();
    try {
      membership = await connector.enrollMembership(command);
    } catch (e) {
      const userErrors = userErrorsOf(e, system, ENROLL_MEMBERSHIP_FIELDS, ['customer']);
      if (!userErrors) throw e;
      return { ok: false, errors: userErrors, written: userErrors.some((u) => u.code === 'PARTIAL_WRITE') ? 'unknown' : 'nothing' };
    }
  }
  await forget(ctx, {
    records: [{ kind: 'membership', ref: membership.ref, model: membership }],
    children: [{ kind: 'membership', parent: 'customer', ref: p.customer }],
  });
  return { ok: true, payload: { membership, replayed: false, userErrors: [] }, stored: { membership: membership.ref } };
}

/** The customer's membership of the plan that an earlier attempt made: starting that day, or created since it began. */
async function findMembership(ctx: Context, p: Parsed, since: number): Promise<MembershipModel | null> {
  ctx.loaders.related('membership', 'customer').clear(p.customer);
  const all = await ctx.loaders.related('membership', 'customer').load(p.customer);
  const skewed = since - 10 * 60_000;
  return (
    all.find(
      (m) =>
        m.planId === p.plan &&
        m.status !== 'CANCELLED' &&
        (m.startsOn === p.startDate || (m.createdAt !== undefined && Date.parse(m.createdAt) >= skewed)),
    ) ?? null
  );
}
