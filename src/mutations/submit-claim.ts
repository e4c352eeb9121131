/**
 * `submitClaim`: a warranty claim for a completed work order, to the system that holds the work
 * order (ServicePower). The totals are computed here, exactly: labor minutes / 60 × the hourly
 * rate, each part's quantity × unit cost, travel miles × the system's rate per mile
 * (`vendorSettings.<system>.travelRatePerMile`), each rounded half up to the cent, plus taxes. A
 * retry that takes over a key first looks for the claim an earlier attempt submitted, by its
 * reference number.
 */
import type { SubmitClaimCommand } from '../../connectors/types.js';
import { VENDOR_TITLES, type VendorKey } from '../../connectors/vendors.js';
import type { SubmitClaimInput } from '../__generated__/graphql.js';
import type { Context } from '../context.js';
import type { ClaimModel, Money, RecordRef } from '../model/index.js';
import { centsToDecimal, productCents, toCentsExact } from './decimal.js';
import { idempotencyKeyOf, InputReader, userError, type UserError } from './input.js';
import { forget, runMutation, type Attempt, type Outcome } from './run.js';
import { userErrorsOf, type FieldMap } from './vendor-errors.js';

/** The amounts of a claim, computed from its input. */
export interface ClaimTotals {
  labor: Money;
  parts: Money;
  travel: Money;
  taxes: Money;
  total: Money;
}

/** The payload of `submitClaim`. */
export interface SubmitClaimResult {
  claim: ClaimModel | null;
  totals: ClaimTotals | null;
  replayed: boolean;
  userErrors: UserError[];
}

/** Command fields of a claim → input paths. */
export const SUBMIT_CLAIM_FIELDS: FieldMap = {
  workOrderRef: ['workOrder'],
  claimType: ['claimType'],
  referenceNumber: ['referenceNumber'],
  labor: ['labor'],
  'labor.rate': ['labor', 'hourlyRate'],
  parts: ['parts'],
  travel: ['travel'],
  'travel.timeMinutes': ['travel', 'minutes'],
  taxes: ['taxes'],
  attachments: ['attachments'],
  resolution: ['resolution'],
  vendorSettings: null,
};

interface Parsed {
  workOrder: RecordRef;
  claimType: string;
  referenceNumber: string | undefined;
  labor: { minutes: number; rate: string };
  parts: Array<{ partNumber: string; quantity: string; unitCost: string }>;
  travel: { miles: string; minutes: number } | undefined;
  taxes: string;
  attachments: Array<{ fileName: string; uploadToken: string }>;
  resolution: { code: string; description?: string };
}

/**
 * The totals of a claim: labor = minutes × rate / 60, each part quantity × unit cost, travel =
 * miles × rate per mile, each rounded half up to the cent once; total = their sum + taxes.
 */
export function claimTotals(p: Pick<Parsed, 'labor' | 'parts' | 'travel' | 'taxes'>, travelRatePerMile: string, currency = 'USD'): ClaimTotals {
  const labor = productCents(String(p.labor.minutes), p.labor.rate, 1n, 60n);
  const parts = p.parts.reduce((sum, x) => sum + productCents(x.quantity, x.unitCost), 0n);
  const travel = p.travel ? productCents(p.travel.miles, travelRatePerMile) : 0n;
  const taxes = toCentsExact(p.taxes);
  const m = (cents: bigint): Money => ({ amount: centsToDecimal(cents), currency });
  return { labor: m(labor), parts: m(parts), travel: m(travel), taxes: m(taxes), total: m(labor + parts + travel + taxes) };
}

const RATE = /^\d+(\.\d+)?$/;

function travelRateOf(ctx: Context, system: VendorKey): string {
  const rate = ctx.mutations.services.vendorSettings[system]?.travelRatePerMile;
  return rate && RATE.test(rate) ? rate : '0';
}

/** Runs `submitClaim`. Throws system errors after giving the key back; refusals are user errors. */
export async function submitClaim(ctx: Context, input: SubmitClaimInput): Promise<SubmitClaimResult> {
  const r = new InputReader(ctx.principal.tenant);
  const key = idempotencyKeyOf(input.idempotencyKey, ctx.mutations.idempotencyKeyHeader, r);
  const workOrder = r.id(input.workOrder, ['workOrder'], 'WorkOrder');
  const claimType = r.text(input.claimType, ['claimType'], 'The claim type', 50);
  const referenceNumber = r.optionalText(input.referenceNumber, ['referenceNumber'], 'The reference number', 50);
  const minutes = r.int(input.labor.minutes, ['labor', 'minutes'], 'Labor minutes', 0);
  const rate = r.decimal(input.labor.hourlyRate, ['labor', 'hourlyRate'], 'The hourly rate', 'zero');
  const parts = (input.parts ?? []).map((x, i) => ({
    partNumber: r.text(x.partNumber, ['parts', i, 'partNumber'], 'The part number', 100) ?? '',
    quantity: r.decimal(x.quantity, ['parts', i, 'quantity'], 'The quantity', 'positive') ?? '0',
    unitCost: r.decimal(x.unitCost, ['parts', i, 'unitCost'], 'The unit cost', 'zero') ?? '0',
  }));
  const miles = input.travel ? r.decimal(input.travel.miles, ['travel', 'miles'], 'The miles', 'zero') : undefined;
  const travelMinutes = input.travel ? r.int(input.travel.minutes, ['travel', 'minutes'], 'Travel minutes', 0) : undefined;
  const taxes = r.decimal(input.taxes ?? '0', ['taxes'], 'The taxes', 'zero');
  const attachments = (input.attachments ?? []).map((a, i) => ({
    fileName: r.text(a.fileName, ['attachments', i, 'fileName'], 'The file name', 255) ?? '',
    uploadToken: r.text(a.uploadToken, ['attachments', i, 'uploadToken'], 'The upload token', 500) ?? '',
  }));
  const code = r.text(input.resolution.code, ['resolution', 'code'], 'The resolution code', 100);
  const description = r.optionalText(input.resolution.description, ['resolution', 'description'], 'The resolution', 2000);
  const refused = (userErrors: UserError[]): SubmitClaimResult => ({ claim: null, totals: null, replayed: false, userErrors });
  if (!r.ok || !workOrder || !claimType || minutes === undefined || !rate || !taxes || !code) return refused(r.errors);
  const parsed: Parsed = {
    workOrder,
    claimType,
    referenceNumber,
    labor: { minutes, rate },
    parts,
    travel: input.travel && miles !== undefined && travelMinutes !== undefined ? { miles, minutes: travelMinutes } : undefined,
    taxes,
    attachments,
    resolution: { code, ...(description ? { description } : {}) },
  };
  return runMutation(ctx, {
    mutation: 'submitClaim',
    key,
    normalised: parsed,
    refused,
    replay: async (stored) => ({
      claim: stored.claim ? await ctx.loaders.claim.load(stored.claim) : null,
      totals: claimTotals(parsed, travelRateOf(ctx, workOrder.system)),
      replayed: true,
      userErrors: [],
    }),
    execute: (attempt) => execute(ctx, parsed, attempt),
  });
}

async function execute(ctx: Context, p: Parsed, attempt: Attempt): Promise<Outcome<SubmitClaimResult>> {
  const refuse = (errors: UserError[]): Outcome<SubmitClaimResult> => ({ ok: false, errors, written: 'nothing' });
  const wo = await ctx.loaders.workOrder.load(p.workOrder);
  if (!wo) return refuse([userError('NOT_FOUND', ['workOrder'], 'No such work order.')]);
  const system = wo.ref.system;
  const connector = ctx.connectors[system];
  if (!connector?.submitClaim || !connector.capabilities.writes.includes('submitClaim')) {
    return refuse([userError('NOT_SUPPORTED', ['workOrder'], `${VENDOR_TITLES[system]} takes no warranty claims.`)]);
  }
  if (wo.status !== 'COMPLETED') {
    return refuse([userError('INVALID_STATE', ['workOrder'], `A claim needs a completed work order; this one is ${wo.status.toLowerCase().replace('_', ' ')}.`)]);
  }
  const totals = claimTotals(p, travelRateOf(ctx, system));
  const referenceNumber = p.referenceNumber ?? attempt.externalReference.toUpperCase();
  const command: SubmitClaimCommand = {
    workOrderRef: wo.ref,
    claimType: p.claimType,
    referenceNumber,
    labor: { minutes: p.labor.minutes, rate: p.labor.rate },
    parts: p.parts.map((x) => ({ partNumber: x.partNumber, quantity: Number(x.quantity), unitCost: x.unitCost })),
    ...(p.travel ? { travel: { miles: p.travel.miles, timeMinutes: p.travel.minutes } } : {}),
    taxes: p.taxes,
    attachments: p.attachments,
    resolution: p.resolution,
  };

  // An earlier attempt may have submitted it: a reference number is claimed once per work order.
  let claim: ClaimModel | null = null;
  if (attempt.recovering) {
    ctx.loaders.related('claim', 'workOrder').clear(wo.ref);
    claim = (await ctx.loaders.related('claim', 'workOrder').load(wo.ref)).find((c) => c.number === referenceNumber) ?? null;
  }
  if (!claim) {
    attempt.writing();
    try {
      claim = await connector.submitClaim(command);
    } catch (e) {
      const userErrors = userErrorsOf(e, system, SUBMIT_CLAIM_FIELDS, ['workOrder']);
      if (!userErrors) throw e;
      return { ok: false, errors: userErrors, written: userErrors.some((u) => u.code === 'PARTIAL_WRITE') ? 'unknown' : 'nothing' };
    }
  }
  if (claim.total.amount !== totals.total.amount) {
    ctx.mutations.services.log(`${VENDOR_TITLES[system]} totals claim ${claim.ref.id} at ${claim.total.amount}; the input's lines total ${totals.total.amount}`);
  }
  await forget(ctx, {
    records: [{ kind: 'claim', ref: claim.ref, model: claim }],
    children: [
      { kind: 'claim', parent: 'workOrder', ref: wo.ref },
      ...wo.equipmentRefs.map((ref) => ({ kind: 'claim' as const, parent: 'equipment' as const, ref })),
    ],
  });
  return { ok: true, payload: { claim, totals, replayed: false, userErrors: [] }, stored: { claim: claim.ref } };
}
