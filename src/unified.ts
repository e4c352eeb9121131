/**
 * What the resolvers of unified nodes (Customer, Equipment) share: the node's sources, its
 * scalars by precedence, and relationships that hold the related records of every member, with a
 * failing system reported beside the ones that answered.
 */
import type { GraphQLResolveInfo } from 'graphql';
import type { ParentKind } from '../connectors/types.js';
import type { SourceSystem } from './__generated__/graphql.js';
import type { Context } from './context.js';
import { decodeNodeId, sourceSystemOf, toGlobalId, TYPE_OF_KIND } from './ids.js';
import type { UnifiedKind } from './loaders/identity.js';
import type { EntityKind, ModelByKind } from './model/index.js';
import { connectionOf, type Connection, type ConnectionArgs } from './pagination.js';
import { parseRecordKey } from './identity/rules.js';

/** A `RecordSource` as the schema shows it. */
export interface RecordSourceValue {
  system: SourceSystem;
  id: string;
  record: string;
  matchedBy: Array<{ rule: string; key: string | null; with: string | null; by: string | null; at: string | null }>;
  joinedAt: string | null;
}

/** The unified node's global id. Without identity, the record's own (at once, no promise). */
export function unifiedId<K extends UnifiedKind>(ctx: Context, kind: K, model: ModelByKind[K]): string | Promise<string> {
  if (!ctx.identity.enabled) return toGlobalId(TYPE_OF_KIND[kind], model.ref, ctx.principal.tenant);
  return ctx.identity.unify(kind, model).then((u) => u.id);
}

/**
 * A scalar of the unified node: the first member record, in precedence order, that has one.
 * Without identity, the record's own (at once: most nodes of a large answer take this path, and a
 * promise per field would cost the execution dearly).
 */
export function unifiedScalar<K extends UnifiedKind, F extends keyof ModelByKind[K]>(ctx: Context, kind: K, model: ModelByKind[K], field: F): ModelByKind[K][F] | null | Promise<ModelByKind[K][F] | null> {
  if (!ctx.identity.enabled) return model[field] ?? null;
  return ctx.identity
    .unify(kind, model)
    .then((u) => u.records())
    .then((records) => ctx.identity.scalar(records, field) ?? null);
}

/** The node's `source`: the first member in precedence order. */
export function unifiedSource<K extends UnifiedKind>(ctx: Context, kind: K, model: ModelByKind[K]): ModelByKind[K]['ref'] | Promise<ModelByKind[K]['ref']> {
  if (!ctx.identity.enabled) return model.ref;
  return ctx.identity.unify(kind, model).then((u) => u.members[0]?.ref ?? model.ref);
}

/** `value`, or `fallback` when it is null, whether `value` is a promise or not. */
export function orElse<T>(value: T | null | undefined | Promise<T | null | undefined>, fallback: T): T | Promise<T> {
  return value instanceof Promise ? value.then((v) => v ?? fallback) : (value ?? fallback);
}

/** The node's `sources`. */
export async function unifiedSources<K extends UnifiedKind>(ctx: Context, kind: K, model: ModelByKind[K]): Promise<RecordSourceValue[]> {
  const u = await ctx.identity.unify(kind, model);
  const tenant = ctx.principal.tenant;
  const joined = new Map((u.entity?.members ?? []).map((m) => [`${m.ref.system}:${m.ref.id}`, m.joinedAt]));
  return u.members.map((m) => ({
    system: sourceSystemOf(m.ref.system),
    id: m.ref.id,
    record: m.globalId,
    matchedBy: m.evidence.map((e) => {
      const other = parseRecordKey(e.with);
      return {
        rule: e.rule,
        key: e.key ?? null,
        with: other ? toGlobalId(TYPE_OF_KIND[other.type], other.ref, tenant) : null,
        by: e.by ?? null,
        at: e.at ?? null,
      };
    }),
    joinedAt: joined.get(`${m.ref.system}:${m.ref.id}`) ?? null,
  }));
}

/**
 * A relationship of a unified node: the `kind` children of every member record, in precedence
 * order of the members. A member whose system fails is left out, with its error at this field's
 * path and its system in `unavailableSystems`; the others still answer.
 */
export async function unifiedRelation<K extends UnifiedKind, C extends EntityKind>(
  ctx: Context,
  kind: K & ParentKind,
  model: ModelByKind[K],
  child: C,
  args: ConnectionArgs,
  info: GraphQLResolveInfo,
): Promise<Connection<ModelByKind[C]>> {
  if (!ctx.identity.enabled) return connectionOf(args, () => ctx.loaders.related(child, kind).load(model.ref));
  const u = await ctx.identity.unify(kind, model);
  if (u.members.length <= 1) return connectionOf(args, () => ctx.loaders.related(child, kind).load(model.ref));
  const refs = u.members.map((m) => m.ref);
  const unavailable: SourceSystem[] = [];
  const connection = await connectionOf(args, async () => {
    const lists = await Promise.allSettled(refs.map((ref) => ctx.loaders.related(child, kind).load(ref)));
    const failed = lists.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed.length === lists.length) throw failed[0]!.reason;
    const items: Array<ModelByKind[C]> = [];
    lists.forEach((r, i) => {
      if (r.status === 'fulfilled') items.push(...r.value);
      else {
        ctx.sideErrors.push({ error: r.reason, path: info.path });
        unavailable.push(sourceSystemOf(refs[i]!.system));
      }
    });
    return items;
  });
  return { ...connection, unavailableSystems: unavailable };
}

/**
 * `input` with every id of a unified node replaced by the id of one of its member records, for
 * mutations, which write to one system's record: the member in `input.targetSystem` when there is
 * one, else the first in precedence order. Other values are kept as they are (bad ids are left to
 * the mutation's own checks).
 */
export async function withRecordIds<T>(ctx: Context, input: T): Promise<T> {
  const target = (input as { targetSystem?: string | null }).targetSystem?.toLowerCase();
  const walk = async (value: unknown): Promise<unknown> => {
    if (typeof value === 'string') {
      let decoded;
      try {
        decoded = decodeNodeId(value, undefined, ctx.principal.tenant);
      } catch {
        return value;
      }
      if (!('entity' in decoded)) return value;
      const entity = await ctx.identity.entity(decoded.entity);
      if (!entity) return value;
      const members = ctx.identity.membersOf(entity);
      const member = members.find((m) => m.ref.system === target) ?? members[0];
      return member ? member.globalId : value;
    }
    if (Array.isArray(value)) return Promise.all(value.map(walk));
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = await walk(v);
      return out;
    }
    return value;
  };
  return (await walk(input)) as T;
}
