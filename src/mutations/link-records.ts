/**
 * `linkRecords` and `unlinkRecords`: a person's decisions about cross-vendor identity, which
 * override the linking rules, persist in the link index (shared by every instance through Redis)
 * and are recorded with who made them and when. They run under idempotency keys like the other
 * mutations; they write nothing to a vendor.
 */
import type { LinkRecordsInput, UnlinkRecordsInput } from '../__generated__/graphql.js';
import type { Context } from '../context.js';
import { IdentityConflictError } from '../identity/index.js';
import { IDENTITY_OF_NODE_TYPE } from '../identity/graph.js';
import type { IdentityType } from '../identity/rules.js';
import { decodeNodeId, NODE_TYPES, type NodeType } from '../ids.js';
import type { RecordRef } from '../model/index.js';
import type { NodeValue } from '../nodes.js';
import { idempotencyKeyOf, InputReader, userError, type UserError } from './input.js';
import { runMutation } from './run.js';

/** The node types whose records the link index holds. */

/** The payload of `linkRecords`. */
export interface LinkRecordsResult {
  node: NodeValue | null;
  replayed: boolean;
  userErrors: UserError[];
}

/** The payload of `unlinkRecords`. */
export interface UnlinkRecordsResult {
  nodes: NodeValue[];
  replayed: boolean;
  userErrors: UserError[];
}

interface Parsed {
  type: NodeType;
  identity: IdentityType;
  refs: RecordRef[];
  reason: string | undefined;
}

/**
 * Reads the records of the input: global ids of one identity type; with `entities`, ids of unified
 * nodes stand for all their members. Refusals go to `r`.
 */
async function readRecords(ctx: Context, r: InputReader, ids: readonly string[], entities: boolean, min: number): Promise<Omit<Parsed, 'reason'> | undefined> {
  let type: NodeType | undefined;
  const refs = new Map<string, RecordRef>();
  for (const [i, id] of ids.entries()) {
    let decoded;
    try {
      decoded = decodeNodeId(id, undefined, ctx.principal.tenant);
    } catch {
      r.fail('INVALID', ['records', i], 'Not the id of a record of this tenant.');
      continue;
    }
    if (!IDENTITY_OF_NODE_TYPE.has(decoded.type)) {
      r.fail('INVALID', ['records', i], `${decoded.type} records are not linked across systems: give customers, units, technicians or work orders.`);
      continue;
    }
    if (type && decoded.type !== type) {
      r.fail('INVALID', ['records', i], `All records must be of one type (${type}).`);
      continue;
    }
    type = decoded.type;
    if ('entity' in decoded) {
      const entity = entities ? await ctx.identity.entity(decoded.entity) : undefined;
      if (!entities) r.fail('INVALID', ['records', i], 'Give the ids of records (see `sources`), not of a unified node.');
      else if (!entity) r.fail('NOT_FOUND', ['records', i], 'No such unified node.');
      else for (const m of entity.members) refs.set(`${m.ref.system}:${m.ref.id}`, m.ref);
    } else refs.set(`${decoded.ref.system}:${decoded.ref.id}`, decoded.ref);
  }
  if (r.ok && refs.size < min) r.fail('INVALID', ['records'], min > 1 ? 'Give at least two different records.' : 'Give at least one record.');
  if (!r.ok || !type) return undefined;
  return { type, identity: IDENTITY_OF_NODE_TYPE.get(type)!, refs: [...refs.values()].sort((a, b) => `${a.system}:${a.id}`.localeCompare(`${b.system}:${b.id}`)) };
}

async function nodeOf(ctx: Context, type: NodeType, ref: RecordRef): Promise<NodeValue | null> {
  const model = await ctx.loaders[NODE_TYPES[type]].load(ref);
  return model ? ({ ...model, __typename: type } as NodeValue) : null;
}

/**
 * The input of a decision, read: the idempotency key, the reason and the records (see
 * {@link readRecords}); or the user errors that refuse it (also when identity is off).
 */
async function readDecision(
  ctx: Context,
  input: { idempotencyKey?: string | null; records: readonly string[]; reason?: string | null },
  entities: boolean,
  min: number,
): Promise<{ key: string | undefined; parsed: Parsed } | { errors: UserError[] }> {
  if (!ctx.linkIndex) return { errors: [userError('NOT_SUPPORTED', ['records'], 'Cross-vendor identity is not configured on this gateway.')] };
  const r = new InputReader(ctx.principal.tenant);
  const key = idempotencyKeyOf(input.idempotencyKey, ctx.mutations.idempotencyKeyHeader, r);
  const reason = input.reason === null || input.reason === undefined ? undefined : r.text(input.reason, ['reason'], 'The reason', 500);
  const read = await readRecords(ctx, r, input.records, entities, min);
  if (!read || !r.ok) return { errors: r.errors };
  return { key, parsed: { ...read, reason } };
}

/** A decision that contradicts an earlier one is the caller's to resolve: CONFLICT, nothing written. */
function conflictOf(e: unknown): { ok: false; errors: UserError[]; written: 'nothing' } {
  if (e instanceof IdentityConflictError) return { ok: false, errors: [userError('CONFLICT', ['records'], e.message)], written: 'nothing' };
  throw e;
}

/** Runs `linkRecords`. */
export async function linkRecords(ctx: Context, input: LinkRecordsInput): Promise<LinkRecordsResult> {
  const refused = (userErrors: UserError[]): LinkRecordsResult => ({ node: null, replayed: false, userErrors });
  const read = await readDecision(ctx, input, true, 2);
  if ('errors' in read) return refused(read.errors);
  const { key, parsed } = read;
  const index = ctx.linkIndex!;
  return runMutation(ctx, {
    mutation: 'linkRecords',
    key,
    normalised: parsed,
    refused,
    replay: async (stored) => ({ node: stored.node ? await nodeOf(ctx, parsed.type, stored.node) : null, replayed: true, userErrors: [] }),
    execute: async () => {
      try {
        const entity = await index.linkRecords(parsed.identity, parsed.refs, ctx.principal.id, parsed.reason);
        ctx.identity.clear();
        const first = ctx.identity.membersOf(entity)[0]?.ref ?? parsed.refs[0]!;
        return { ok: true, payload: { node: await nodeOf(ctx, parsed.type, first), replayed: false, userErrors: [] }, stored: { node: first } };
      } catch (e) {
        return conflictOf(e);
      }
    },
  });
}

/** Runs `unlinkRecords`. */
export async function unlinkRecords(ctx: Context, input: UnlinkRecordsInput): Promise<UnlinkRecordsResult> {
  const refused = (userErrors: UserError[]): UnlinkRecordsResult => ({ nodes: [], replayed: false, userErrors });
  const read = await readDecision(ctx, input, false, 1);
  if ('errors' in read) return refused(read.errors);
  const { key, parsed } = read;
  const index = ctx.linkIndex!;
  const nodesOf = async (refs: readonly RecordRef[]) => (await Promise.all(refs.map((ref) => nodeOf(ctx, parsed.type, ref)))).filter((n): n is NodeValue => n !== null);
  return runMutation(ctx, {
    mutation: 'unlinkRecords',
    key,
    normalised: parsed,
    refused,
    replay: async () => ({ nodes: await nodesOf(parsed.refs), replayed: true, userErrors: [] }),
    execute: async () => {
      try {
        await index.unlinkRecords(parsed.identity, parsed.refs, ctx.principal.id, parsed.reason);
      } catch (e) {
        return conflictOf(e);
      }
      ctx.identity.clear();
      return { ok: true, payload: { nodes: await nodesOf(parsed.refs), replayed: false, userErrors: [] }, stored: {} };
    },
  });
}
