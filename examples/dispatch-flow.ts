/**
 * A service's dispatch flow against FieldGraph, typed end to end (codegen's client preset, run by
 * `npm run codegen`, types every document below; graphql-request sends them): create a warranty
 * work order, dispatch a technician, have the job completed (in the sandbox: the technician's
 * `start` and `complete`), submit the warranty claim. Copy it.
 *
 * Every write carries an idempotency key: a retry of the same step (a timeout, a redelivered
 * message) returns the first result instead of writing twice. `userErrors` are refusals to show or
 * fix; thrown errors are outages to retry with the same key.
 *
 * Run it against `npm start`: `npm run example`. Settings (environment):
 * - `FIELDGRAPH_URL`: the gateway (default http://127.0.0.1:4000/graphql);
 * - `FIELDGRAPH_API_KEY`: an API key with the dispatcher and billing roles (`npm start` prints a
 *   development key);
 * - `FIELDGRAPH_SANDBOX_URL`: the sandbox, for the completion (default http://127.0.0.1:4010);
 * - `EXAMPLE_CUSTOMER`, `EXAMPLE_LOCATION`, `EXAMPLE_EQUIPMENT`, `EXAMPLE_TECHNICIAN`: global ids
 *   of a ServicePower customer, their location, a unit there under warranty and a technician with
 *   the unit's skill in that region (defaults: records of the sandbox's data set, seed 42).
 */
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { GraphQLClient } from 'graphql-request';
import { graphql } from './gql/index.js';
import type { UserErrorCode } from './gql/graphql.js';

const CreateWorkOrder = graphql(`
  mutation CreateWorkOrder($input: CreateWorkOrderInput!) {
    createWorkOrder(input: $input) {
      replayed
      userErrors { code field message }
      workOrder { id number status source { system id } sla { completeBy } }
    }
  }
`);

const Dispatch = graphql(`
  mutation Dispatch($input: DispatchInput!) {
    dispatch(input: $input) {
      replayed
      userErrors { code field message }
      workOrder { id status }
      appointment { id status window { start end } technicians { id name } }
    }
  }
`);

const SubmitClaim = graphql(`
  mutation SubmitClaim($input: SubmitClaimInput!) {
    submitClaim(input: $input) {
      replayed
      userErrors { code field message }
      claim { id number status total { amount currency } }
      totals { labor { amount } parts { amount } travel { amount } taxes { amount } total { amount currency } }
    }
  }
`);

const WorkOrderAfter = graphql(`
  query WorkOrderAfter($id: ID!) {
    node(id: $id) {
      ... on WorkOrder {
        id
        status
        claims { nodes { id status total { amount } } }
      }
    }
  }
`);

/** A refusal, with the codes a service branches on. */
export class Refused extends Error {
  constructor(
    readonly step: string,
    readonly errors: ReadonlyArray<{ code: UserErrorCode; field?: ReadonlyArray<string> | null; message: string }>,
  ) {
    super(`${step} refused: ${errors.map((e) => `${e.code} ${e.field?.join('.') ?? ''} ${e.message}`).join('; ')}`);
  }
}

/** What the flow produced. */
export interface FlowResult {
  workOrderId: string;
  appointmentId: string;
  claimId: string;
  claimStatus: string;
  total: string;
  finalStatus: string | undefined;
}

/** Settings of {@link runDispatchFlow}. */
export interface FlowSettings {
  url: string;
  /** The API key sent as `Authorization: Bearer`. */
  apiKey: string | undefined;
  sandboxUrl: string;
  customer: string;
  location: string;
  equipment: string;
  technician: string;
  log?: (line: string) => void;
}

/** Runs the flow; throws {@link Refused} when a step is refused. */
export async function runDispatchFlow(s: FlowSettings): Promise<FlowResult> {
  const log = s.log ?? console.log;
  const client = new GraphQLClient(s.url, s.apiKey ? { headers: { authorization: `Bearer ${s.apiKey}` } } : {});
  const run = randomUUID();

  // 1. The work order, in ServicePower (warranty work), with its SLA.
  const created = (
    await client.request(CreateWorkOrder, {
      input: {
        idempotencyKey: `${run}:create`,
        targetSystem: 'SERVICEPOWER',
        customer: { id: s.customer },
        location: { id: s.location },
        equipment: { id: s.equipment },
        serviceType: 'repair',
        problemCode: 'NO_COOL',
        summary: 'Air conditioner blows warm air',
        priority: 'HIGH',
        sla: { respondBy: isoIn(1), completeBy: isoIn(60) },
      },
    })
  ).createWorkOrder;
  if (!created?.workOrder) throw new Refused('createWorkOrder', created?.userErrors ?? []);
  const workOrder = created.workOrder;
  log(`created work order ${workOrder.number} in ${workOrder.source.system} (${workOrder.status})`);

  // 2. A technician for a two-hour window; another day when that one is taken.
  let dispatched;
  for (let day = 2; ; day++) {
    const start = new Date(Date.now() + day * 86_400_000);
    start.setUTCHours(14, 0, 0, 0);
    const window = { start: iso(start), end: iso(new Date(start.getTime() + 2 * 3_600_000)) };
    dispatched = (await client.request(Dispatch, { input: { idempotencyKey: `${run}:dispatch:${day}`, workOrder: workOrder.id, technicians: [s.technician], window, instructions: 'Unit is in the back yard.' } })).dispatch;
    const taken = dispatched?.userErrors.some((e) => e.code === 'CAPACITY_CONFLICT');
    if (!taken || day >= 12) break;
  }
  if (!dispatched?.appointment) throw new Refused('dispatch', dispatched?.userErrors ?? []);
  log(`dispatched ${dispatched.appointment.technicians.map((t) => t?.name).join(', ')} for ${dispatched.appointment.window.start}`);

  // 3. In the field: the technician starts and completes the job (sandbox actions).
  for (const action of ['start', 'complete']) {
    const res = await fetch(`${s.sandboxUrl}/_sandbox/actions/servicepower/${action}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: workOrder.source.id }) });
    if (!res.ok) throw new Error(`sandbox ${action}: ${res.status}`);
  }
  log('the technician completed the job');

  // 4. The warranty claim: totals computed exactly, returned with the claim.
  const claimed = (
    await client.request(SubmitClaim, {
      input: {
        idempotencyKey: `${run}:claim`,
        workOrder: workOrder.id,
        claimType: 'warranty',
        labor: { minutes: 75, hourlyRate: '85.00' },
        parts: [{ partNumber: 'CAP-45-5', quantity: '1', unitCost: '29.95' }],
        travel: { miles: '18.4', minutes: 35 },
        taxes: '2.40',
        resolution: { code: 'REPLACED_PART', description: 'Replaced the run capacitor' },
      },
    })
  ).submitClaim;
  if (!claimed?.claim || !claimed.totals) throw new Refused('submitClaim', claimed?.userErrors ?? []);
  log(`claim ${claimed.claim.number ?? claimed.claim.id}: ${claimed.claim.status}, total ${claimed.totals.total.amount} ${claimed.totals.total.currency}`);

  const after = (await client.request(WorkOrderAfter, { id: workOrder.id })).node;
  const finalStatus = after && 'status' in after ? after.status : undefined;
  log(`work order now ${finalStatus}, claims: ${after && 'claims' in after ? (after.claims?.nodes.length ?? 0) : 0}`);
  return {
    workOrderId: workOrder.id,
    appointmentId: dispatched.appointment.id,
    claimId: claimed.claim.id,
    claimStatus: claimed.claim.status,
    total: claimed.totals.total.amount,
    finalStatus,
  };
}

function iso(d: Date): string {
  return `${d.toISOString().slice(0, 19)}Z`;
}

function isoIn(days: number): string {
  return iso(new Date(Date.now() + days * 86_400_000));
}

/** The settings from the environment, with the sandbox's defaults (data set seed 42). */
export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): FlowSettings {
  return {
    url: env.FIELDGRAPH_URL ?? 'http://127.0.0.1:4000/graphql',
    apiKey: env.FIELDGRAPH_API_KEY,
    sandboxUrl: env.FIELDGRAPH_SANDBOX_URL ?? 'http://127.0.0.1:4010',
    customer: env.EXAMPLE_CUSTOMER ?? 'ZGVmYXVsdC9DdXN0b21lcjpzZXJ2aWNlcG93ZXI6Y3N0X2RjMmRjNA',
    location: env.EXAMPLE_LOCATION ?? 'ZGVmYXVsdC9Mb2NhdGlvbjpzZXJ2aWNlcG93ZXI6bG9jXzdkYTllZA',
    equipment: env.EXAMPLE_EQUIPMENT ?? 'ZGVmYXVsdC9FcXVpcG1lbnQ6c2VydmljZXBvd2VyOmVxXzNkYmYxZQ',
    technician: env.EXAMPLE_TECHNICIAN ?? 'ZGVmYXVsdC9UZWNobmljaWFuOnNlcnZpY2Vwb3dlcjp0ZWNoXzE3MDNjMQ',
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runDispatchFlow(settingsFromEnv()).catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
