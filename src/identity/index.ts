/**
 * The link index of cross-vendor identity, kept in the key-value store (`src/store/kv.ts`) in the
 * namespace {@link IDENTITY_NAMESPACE}: Redis when configured, so every gateway instance sees the
 * same links, otherwise the file store in the data directory (which keeps manual links across
 * restarts).
 *
 * Entries (every key prefixed with the tenant, `default:` unless configured):
 *
 * | Key | Value |
 * |---|---|
 * | `r:<type>:<system>:<id>` | the entity id of a record |
 * | `e:<entity id>` | the entity: type, creation time, aliases, and its members with their link keys, evidence, manual links and unlinks (who, when) |
 * | `a:<entity id>` | for an id merged into another entity: the id of that entity |
 * | `k:<link key>` | the entity ids that hold a link key (normally one) |
 * | `s` | counts: records and entities per type, links per rule |
 * | `sync:<vendor>:<type>` | the backfill's checkpoint of one list (`src/identity/sync.ts`) |
 * | `lock` | the writer lease (one writer at a time across instances) |
 *
 * Entity ids are stable: an id once handed out keeps resolving to its entity. When entities merge,
 * the oldest id survives and the others become its aliases; when a person unlinks records, the
 * part holding most of the entity's members keeps the id. Writes happen under a lease in the store
 * (`SET NX PX` on Redis, the file store's lock otherwise) and are one batch per call, so a page of
 * a backfill costs a few store round trips, not one per record.
 */
import { randomBytes } from 'node:crypto';
import type { VendorKey } from '../../connectors/vendors.js';
import type { RecordRef } from '../model/index.js';
import type { KeyValueStore } from '../store/kv.js';
import {
  clusterMembers,
  hashValue,
  identityRecordOf,
  parseRecordKey,
  IDENTITY_TYPES,
  recordKey,
  sameKeys,
  type ClusterEvidence,
  type ClusterMember,
  type IdentityModelByType,
  type IdentityRecord,
  type IdentityType,
  type LinkKey,
  type RuleName,
  type SupportKey,
  type SupportRuleName,
} from './rules.js';

/** The key-value store namespace of the link index. */
export const IDENTITY_NAMESPACE = 'identity:v1';

/** Prefix of the entity ids of each type. */
export const ENTITY_ID_PREFIX: Readonly<Record<IdentityType, string>> = { customer: 'cus', equipment: 'eqp', technician: 'tec', workOrder: 'wko' };

/** Why a member belongs to its entity: a rule and the key both records share, or a person's link. */
export interface LinkEvidence {
  rule: RuleName | 'manual';
  /** The shared link key (normalised; personal values hashed). Absent for manual links. */
  key?: string;
  /** The record key (`<type>:<system>:<id>`) of the member it matched. */
  with: string;
  /** Manual links: who linked, and when. */
  by?: string;
  at?: string;
}

/** A person's decision about two records: linked or kept apart, by whom and when. */
export interface ManualDecision {
  /** The record key of the other record. */
  with: string;
  by: string;
  at: string;
  reason?: string;
}

/** A member record as stored. */
export interface StoredMember {
  system: VendorKey;
  id: string;
  keys: LinkKey[];
  support: SupportKey[];
  /** How it joined the entity (empty for the first member). */
  evidence: LinkEvidence[];
  /** Supporting evidence shared with other members (e.g. the same normalised address). */
  supportedBy: Array<{ rule: SupportRuleName; with: string }>;
  /** Manual links of this record. */
  linked: ManualDecision[];
  /** Manual unlinks of this record: it never shares an entity with these. */
  apart: ManualDecision[];
  joinedAt: string;
  updatedAt?: string;
}

/** An entity as stored. */
export interface StoredEntity {
  id: string;
  type: IdentityType;
  createdAt: string;
  /** Ids of entities merged into this one, which resolve to it. */
  aliases: string[];
  members: StoredMember[];
}

/** A real-world entity: its stable id and its member records with what matched them. */
export interface IdentityEntity {
  id: string;
  type: IdentityType;
  createdAt: string;
  aliases: string[];
  /** The members as stored, without their link keys, with their refs and record keys (`<type>:<system>:<id>`). */
  members: Array<Omit<StoredMember, 'system' | 'id' | 'keys' | 'support'> & { ref: RecordRef; recordKey: string }>;
}

/** Counts kept beside the index. */
export interface IdentityStats {
  records: Record<IdentityType, number>;
  entities: Record<IdentityType, number>;
  /** Links (evidence entries) per rule, `manual` included. */
  links: Record<string, number>;
}

/** What one call that links records did. */
export interface LinkOutcome {
  /** Records met for the first time. */
  added: number;
  /** Known records whose link keys changed. */
  changed: number;
  /** Entities merged into others. */
  merged: number;
  /** Merges the constraints refused (the same system on both sides, or a manual unlink). */
  blocked: number;
}

/** A manual link or unlink that contradicts an earlier manual decision. */
export class IdentityConflictError extends Error {
  override readonly name = 'IdentityConflictError';
  constructor(
    message: string,
    /** Record keys involved. */
    readonly records: string[],
  ) {
    super(message);
  }
}

/** The lease could not be taken in time (another writer holds it). */
export class IdentityBusyError extends Error {
  override readonly name = 'IdentityBusyError';
}

/** Options of {@link openLinkIndex}. */
export interface LinkIndexOptions {
  /** A store opened in {@link IDENTITY_NAMESPACE} (the caller closes it). */
  store: KeyValueStore;
  /** Tenant whose links these are (default `default`). */
  tenant?: string;
  /** Lifetime of the writer lease in ms (default 30 s); a crashed writer's lease expires on its own. */
  leaseMs?: number;
  /** How long a writer waits for the lease before {@link IdentityBusyError} (default 60 s). */
  waitMs?: number;
  /** The clock (tests). */
  now?: () => Date;
}

/** The link index. Every method reads the store (no local cache), so instances see each other's writes. */
export interface LinkIndex {
  readonly store: KeyValueStore;
  /** The tenant whose links these are (prefix of every key). */
  readonly tenant: string;
  /** Links records: new ones join or found entities, known ones with changed keys are re-linked. */
  link(records: readonly IdentityRecord[]): Promise<LinkOutcome>;
  /** Links canonical models of `type` (keys derived by the rules). */
  linkModels<T extends IdentityType>(type: T, models: ReadonlyArray<IdentityModelByType[T]>): Promise<LinkOutcome>;
  /**
   * Links on first sight: of `models`, only those the index has not met are linked (one store read
   * for the lot, and a write only when some are new). For the graph, when it meets records.
   */
  linkNew<T extends IdentityType>(type: T, models: ReadonlyArray<IdentityModelByType[T]>): Promise<LinkOutcome>;
  /** The entity of each record (order and length kept; undefined for records not in the index). */
  entitiesOf(type: IdentityType, refs: readonly RecordRef[]): Promise<Array<IdentityEntity | undefined>>;
  /** An entity by id, an alias resolving to it; undefined for an unknown id. */
  entity(id: string): Promise<IdentityEntity | undefined>;
  /** Entities by id (order and length kept). */
  entities(ids: readonly string[]): Promise<Array<IdentityEntity | undefined>>;
  /**
   * Links records of one type into one entity, whatever the rules say, recorded with who and when
   * (records not yet in the index join as they are). Throws {@link IdentityConflictError} when a
   * member of one side was manually unlinked from a member of the other (other than these records).
   */
  linkRecords(type: IdentityType, refs: readonly RecordRef[], by: string, reason?: string): Promise<IdentityEntity>;
  /**
   * Keeps records apart, whatever the rules say, recorded with who and when: every pair of `refs`
   * (or, for one record, the record and every other member of its entity). Returns the entities of
   * `refs` afterwards.
   */
  unlinkRecords(type: IdentityType, refs: readonly RecordRef[], by: string, reason?: string): Promise<IdentityEntity[]>;
  /** Counts: records and entities per type, links per rule. */
  stats(): Promise<IdentityStats>;
}

const MAX_ALIAS_HOPS = 16;

function emptyStats(): IdentityStats {
  const zero = () => Object.fromEntries(IDENTITY_TYPES.map((t) => [t, 0])) as Record<IdentityType, number>;
  return { records: zero(), entities: zero(), links: {} };
}

function view(e: StoredEntity): IdentityEntity {
  return {
    id: e.id,
    type: e.type,
    createdAt: e.createdAt,
    aliases: e.aliases.slice(),
    members: e.members.map((m) => ({
      ref: { system: m.system, id: m.id },
      recordKey: recordKey(e.type, m),
      evidence: m.evidence,
      supportedBy: m.supportedBy,
      linked: m.linked,
      apart: m.apart,
      joinedAt: m.joinedAt,
      ...(m.updatedAt ? { updatedAt: m.updatedAt } : {}),
    })),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What a batch changes, beside the records: manual links and unlinks (pairs of record keys). */
interface Decisions {
  links?: Array<{ a: string; b: string; by: string; at: string; reason?: string }>;
  unlinks?: Array<{ a: string; b: string; by: string; at: string; reason?: string }>;
  /** Records a person took out of their entity: the rest of it keeps the id. */
  detached?: string[];
}

/** Opens the link index over `options.store`. */
export function openLinkIndex(options: LinkIndexOptions): LinkIndex {
  const { store } = options;
  const keyv = store.keyv;
  const tenant = options.tenant ?? 'default';
  const leaseMs = options.leaseMs ?? 30_000;
  const waitMs = options.waitMs ?? 60_000;
  const now = options.now ?? (() => new Date());
  const k = {
    record: (rk: string) => `${tenant}:r:${rk}`,
    entity: (id: string) => `${tenant}:e:${id}`,
    alias: (id: string) => `${tenant}:a:${id}`,
    linkKey: (key: string) => `${tenant}:k:${key}`,
    stats: `${tenant}:s`,
    lock: `${tenant}:lock`,
  };
  /** In this process, writers queue; across processes, the lease. */
  let queue: Promise<unknown> = Promise.resolve();

  async function getMany<T>(keys: readonly string[]): Promise<Array<T | undefined>> {
    if (keys.length === 0) return [];
    const values = (await keyv.getMany<T>([...keys])) as Array<T | undefined | null>;
    return values.map((v) => (v === null ? undefined : v));
  }

  async function withLease<T>(fn: () => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      const owner = `${process.pid}:${randomBytes(6).toString('hex')}`;
      const deadline = Date.now() + waitMs;
      for (let wait = 5; ; wait = Math.min(wait * 2, 100)) {
        if (await store.setIfAbsent(k.lock, owner, leaseMs)) break;
        if (Date.now() > deadline) throw new IdentityBusyError(`the identity index lease stayed taken for ${waitMs} ms`);
        await sleep(wait);
      }
      try {
        return await fn();
      } finally {
        if ((await store.get<string>(k.lock)) === owner) await store.delete(k.lock);
      }
    };
    const next = queue.then(run, run);
    queue = next.catch(() => undefined);
    return next;
  }

  /** Loads entities by id, following aliases; the map is keyed by the id asked for. */
  async function loadEntities(ids: readonly string[]): Promise<Map<string, StoredEntity>> {
    const out = new Map<string, StoredEntity>();
    let pending = [...new Set(ids)].map((id) => ({ asked: id, current: id }));
    for (let hop = 0; pending.length > 0 && hop < MAX_ALIAS_HOPS; hop++) {
      const found = await getMany<StoredEntity>(pending.map((p) => k.entity(p.current)));
      const missing = pending.filter((p, i) => {
        const e = found[i];
        if (e) out.set(p.asked, e);
        return !e;
      });
      if (missing.length === 0) break;
      const aliases = await getMany<string>(missing.map((p) => k.alias(p.current)));
      pending = missing.flatMap((p, i) => (aliases[i] ? [{ asked: p.asked, current: aliases[i]! }] : []));
    }
    return out;
  }

  /**
   * Ids of new entities, by the record key of their first member: derived from it (so instances
   * agree), unless that id was handed out before (the record left an entity), then random.
   */
  async function newEntityIds(type: IdentityType, anchors: readonly string[]): Promise<Map<string, string>> {
    const candidates = anchors.map((a) => `${ENTITY_ID_PREFIX[type]}_${hashValue(`${tenant}|${a}`).slice(0, 20)}`);
    const found = await getMany<unknown>(candidates.flatMap((c) => [k.entity(c), k.alias(c)]));
    return new Map(
      anchors.map((a, i) => [
        a,
        found[2 * i] === undefined && found[2 * i + 1] === undefined ? candidates[i]! : `${ENTITY_ID_PREFIX[type]}_${randomBytes(10).toString('hex')}`,
      ]),
    );
  }

  /**
   * The one write path: loads what `records` and `decisions` touch, clusters it, writes the result.
   * Runs under the lease.
   */
  async function apply(type: IdentityType, records: readonly IdentityRecord[], decisions: Decisions = {}): Promise<LinkOutcome & { entityOf: Map<string, string> }> {
    const at = now().toISOString();
    const byKey = new Map<string, IdentityRecord>();
    for (const r of records) byKey.set(recordKey(type, r.ref), r);
    const decisionKeys = [...(decisions.links ?? []), ...(decisions.unlinks ?? [])].flatMap((d) => [d.a, d.b]);
    const recKeys = [...new Set([...byKey.keys(), ...decisionKeys])];

    // 1. Where the records are now, and who holds their keys.
    const current = await getMany<string>(recKeys.map(k.record));
    const linkKeys = [...new Set([...byKey.values()].flatMap((r) => r.keys.map((x) => x.key)))];
    const holders = await getMany<string[]>(linkKeys.map(k.linkKey));
    const entities = await loadEntities([...current.filter((x): x is string => !!x), ...holders.flatMap((h) => h ?? [])]);
    const loaded = new Map<string, StoredEntity>();
    for (const e of entities.values()) if (e.type === type) loaded.set(e.id, e);

    // 2. The members: every member of a loaded entity (updated by the batch), then the new records.
    const memberOf = new Map<string, StoredMember>();
    const entityOfMember = new Map<string, string>();
    const ordered = [...loaded.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    const dirty = new Set<string>();
    let added = 0;
    let changed = 0;
    for (const e of ordered) {
      for (const m of e.members) {
        const rk = recordKey(type, m);
        const copy: StoredMember = { ...m, keys: m.keys.slice(), support: m.support.slice(), linked: m.linked.slice(), apart: m.apart.slice(), evidence: m.evidence.slice() };
        const r = byKey.get(rk);
        if (r) {
          if (!sameKeys(r.keys, m.keys) || !sameKeys(r.support, m.support)) {
            copy.keys = r.keys;
            copy.support = r.support;
            dirty.add(e.id);
            changed++;
          }
          if (r.updatedAt) copy.updatedAt = r.updatedAt;
        }
        memberOf.set(rk, copy);
        entityOfMember.set(rk, e.id);
      }
    }
    const fresh: string[] = [];
    for (const rk of recKeys) {
      if (memberOf.has(rk)) continue;
      const r = byKey.get(rk);
      const ref = r?.ref ?? parseRecordKey(rk)!.ref;
      memberOf.set(rk, {
        system: ref.system,
        id: ref.id,
        keys: r?.keys ?? [],
        support: r?.support ?? [],
        evidence: [],
        supportedBy: [],
        linked: [],
        apart: [],
        joinedAt: at,
        ...(r?.updatedAt ? { updatedAt: r.updatedAt } : {}),
      });
      fresh.push(rk);
      added++;
    }

    // 3. Manual decisions: a link replaces an unlink of the same pair and the other way round.
    for (const d of decisions.links ?? []) {
      const a = memberOf.get(d.a)!;
      const b = memberOf.get(d.b)!;
      a.apart = a.apart.filter((x) => x.with !== d.b);
      b.apart = b.apart.filter((x) => x.with !== d.a);
      const note = { by: d.by, at: d.at, ...(d.reason ? { reason: d.reason } : {}) };
      if (!b.linked.some((x) => x.with === d.a)) b.linked.push({ with: d.a, ...note });
    }
    for (const d of decisions.unlinks ?? []) {
      const a = memberOf.get(d.a)!;
      const b = memberOf.get(d.b)!;
      a.linked = a.linked.filter((x) => x.with !== d.b);
      b.linked = b.linked.filter((x) => x.with !== d.a);
      const note = { by: d.by, at: d.at, ...(d.reason ? { reason: d.reason } : {}) };
      if (!a.apart.some((x) => x.with === d.b)) a.apart.push({ with: d.b, ...note });
      if (!b.apart.some((x) => x.with === d.a)) b.apart.push({ with: d.a, ...note });
      for (const rk of [d.a, d.b]) {
        const e = entityOfMember.get(rk);
        if (e) dirty.add(e);
      }
    }

    // 4. Cluster: existing entities stay together unless dirty; the rules place the rest.
    const members: ClusterMember[] = [];
    for (const [rk, m] of memberOf) {
      members.push({
        key: rk,
        system: m.system,
        keys: m.keys,
        apart: m.apart.map((x) => x.with),
        manual: m.linked.map((x) => ({ with: x.with, by: x.by, at: x.at })),
      });
    }
    const seeds = ordered.filter((e) => !dirty.has(e.id)).map((e) => e.members.map((m) => recordKey(type, m)));
    const { groups, evidence, blocked } = clusterMembers(members, seeds);

    // 5. Ids: each old entity passes its id to one group (the one holding most of its members; on a
    //    tie, its first member); a group heir to several keeps the oldest id, the others become aliases.
    const groupIndex = new Map<string, number>();
    groups.forEach((g, i) => g.forEach((m) => groupIndex.set(m.key, i)));
    const ownersOf: StoredEntity[][] = groups.map(() => []);
    const detached = new Set(decisions.detached ?? []);
    for (const e of ordered) {
      const counts = new Map<number, number>();
      let heir = -1;
      for (const m of e.members) {
        const rk = recordKey(type, m);
        // A record a person detached does not take the id along (unless nothing else is left).
        if (detached.has(rk) && e.members.some((o) => !detached.has(recordKey(type, o)))) continue;
        const gi = groupIndex.get(rk)!;
        const n = (counts.get(gi) ?? 0) + 1;
        counts.set(gi, n);
        if (heir < 0 || n > counts.get(heir)!) heir = gi;
      }
      ownersOf[heir]!.push(e);
    }
    const next = new Map<string, StoredEntity>();
    const absorbed = new Map<string, string>(); // old id -> survivor
    const newIds = await newEntityIds(
      type,
      groups.filter((_, i) => ownersOf[i]!.length === 0).map((g) => g[0]!.key),
    );
    for (const [gi, g] of groups.entries()) {
      const owners = ownersOf[gi]!;
      const survivor = owners[0];
      const id = survivor?.id ?? newIds.get(g[0]!.key)!;
      const aliases = new Set(survivor?.aliases ?? []);
      for (const o of owners.slice(1)) {
        absorbed.set(o.id, id);
        aliases.add(o.id);
        for (const a of o.aliases) aliases.add(a);
      }
      const keysInGroup = new Set(g.map((m) => m.key));
      const stored = g.map((cm): StoredMember => {
        const m = memberOf.get(cm.key)!;
        const was = entityOfMember.get(cm.key);
        const kept = was !== undefined && !dirty.has(was) ? m.evidence.filter((e) => e.rule === 'manual' || keysInGroup.has(e.with)) : [];
        const joined = (evidence.get(cm.key) ?? []).map(toEvidence);
        const all = dedupeEvidence([...kept, ...joined]);
        return { ...m, evidence: all };
      });
      for (const m of stored) {
        m.supportedBy = m.support.flatMap((s) =>
          stored.filter((o) => o !== m && o.support.some((x) => x.key === s.key)).map((o) => ({ rule: s.rule, with: recordKey(type, o) })),
        );
      }
      next.set(id, { id, type, createdAt: survivor?.createdAt ?? at, aliases: [...aliases], members: stored });
    }

    // 6. Write what changed: entities, aliases, records, link-key holders, counts.
    const writes: Array<{ key: string; value: unknown }> = [];
    const deletes: string[] = [];
    const entityOf = new Map<string, string>();
    const statsDelta = emptyStats();
    let merged = 0;
    for (const e of loaded.values()) {
      if (!next.has(e.id)) {
        deletes.push(k.entity(e.id));
        merged++;
        statsDelta.entities[type]--;
        for (const m of e.members) for (const ev of m.evidence) statsDelta.links[ev.rule] = (statsDelta.links[ev.rule] ?? 0) - 1;
      }
    }
    for (const [oldId, survivor] of absorbed) {
      writes.push({ key: k.alias(oldId), value: survivor });
      for (const a of loaded.get(oldId)?.aliases ?? []) writes.push({ key: k.alias(a), value: survivor });
    }
    const neededKeys = new Map<string, Set<string>>(); // link key -> entity ids that must be listed
    for (const [id, e] of next) {
      const before = loaded.get(id);
      if (before && JSON.stringify(before) === JSON.stringify(e)) {
        for (const m of e.members) entityOf.set(recordKey(type, m), id);
        continue;
      }
      if (!before) statsDelta.entities[type]++;
      for (const m of before?.members ?? []) for (const ev of m.evidence) statsDelta.links[ev.rule] = (statsDelta.links[ev.rule] ?? 0) - 1;
      for (const m of e.members) for (const ev of m.evidence) statsDelta.links[ev.rule] = (statsDelta.links[ev.rule] ?? 0) + 1;
      writes.push({ key: k.entity(id), value: e });
      for (const m of e.members) {
        const rk = recordKey(type, m);
        entityOf.set(rk, id);
        if (entityOfMember.get(rk) !== id) writes.push({ key: k.record(rk), value: id });
        for (const lk of m.keys) {
          const s = neededKeys.get(lk.key) ?? new Set<string>();
          s.add(id);
          neededKeys.set(lk.key, s);
        }
      }
    }
    statsDelta.records[type] += fresh.length;
    const holderKeys = [...neededKeys.keys()];
    const known = new Map(linkKeys.map((lk, i) => [lk, holders[i]]));
    const missing = holderKeys.filter((lk) => !known.has(lk));
    const more = await getMany<string[]>(missing.map(k.linkKey));
    missing.forEach((lk, i) => known.set(lk, more[i]));
    for (const lk of holderKeys) {
      const before = known.get(lk) ?? [];
      const after = new Set(before.map((id) => absorbed.get(id) ?? id));
      for (const id of neededKeys.get(lk)!) after.add(id);
      const list = [...after];
      if (list.length !== before.length || list.some((id, i) => before[i] !== id)) writes.push({ key: k.linkKey(lk), value: list });
    }
    if (writes.length > 0 || deletes.length > 0) {
      const stats = (await store.get<IdentityStats>(k.stats)) ?? emptyStats();
      for (const t of IDENTITY_TYPES) {
        stats.records[t] += statsDelta.records[t];
        stats.entities[t] += statsDelta.entities[t];
      }
      for (const [rule, n] of Object.entries(statsDelta.links)) stats.links[rule] = (stats.links[rule] ?? 0) + n;
      writes.push({ key: k.stats, value: stats });
      await keyv.setMany(writes);
      if (deletes.length > 0) await keyv.deleteMany(deletes);
    }
    return { added, changed, merged, blocked, entityOf };
  }

  async function link(records: readonly IdentityRecord[]): Promise<LinkOutcome> {
    const total: LinkOutcome = { added: 0, changed: 0, merged: 0, blocked: 0 };
    for (const type of IDENTITY_TYPES) {
      const mine = records.filter((r) => r.type === type);
      if (mine.length === 0) continue;
      const o = await withLease(() => apply(type, mine));
      total.added += o.added;
      total.changed += o.changed;
      total.merged += o.merged;
      total.blocked += o.blocked;
    }
    return total;
  }

  async function entitiesOf(type: IdentityType, refs: readonly RecordRef[]): Promise<Array<IdentityEntity | undefined>> {
    const ids = await getMany<string>(refs.map((r) => k.record(recordKey(type, r))));
    const found = await loadEntities(ids.filter((x): x is string => !!x));
    return ids.map((id) => {
      const e = id ? found.get(id) : undefined;
      return e ? view(e) : undefined;
    });
  }

  async function entities(ids: readonly string[]): Promise<Array<IdentityEntity | undefined>> {
    const found = await loadEntities(ids);
    return ids.map((id) => {
      const e = found.get(id);
      return e ? view(e) : undefined;
    });
  }

  return {
    store,
    tenant,
    link,
    linkModels: (type, models) => link(models.map((m) => identityRecordOf(type, m))),
    async linkNew(type, models) {
      if (models.length === 0) return { added: 0, changed: 0, merged: 0, blocked: 0 };
      const known = await getMany<string>(models.map((m) => k.record(recordKey(type, m.ref))));
      const unseen = models.filter((_, i) => known[i] === undefined);
      return unseen.length === 0 ? { added: 0, changed: 0, merged: 0, blocked: 0 } : link(unseen.map((m) => identityRecordOf(type, m)));
    },
    entitiesOf,
    entity: async (id) => (await entities([id]))[0],
    entities,
    async linkRecords(type, refs, by, reason) {
      if (refs.length < 2) throw new RangeError('linkRecords takes at least two records');
      const keys = refs.map((r) => recordKey(type, r));
      const at = now().toISOString();
      const result = await withLease(async () => {
        // A member of one side unlinked by a person from a member of the other: refuse.
        const before = await entitiesOf(type, refs);
        const sides = before.map((e, i) => (e ? e.members.map((m) => ({ key: m.recordKey, apart: m.apart.map((x) => x.with) })) : [{ key: keys[i]!, apart: [] as string[] }]));
        const all = new Map(sides.flat().map((m) => [m.key, m.apart]));
        for (const [key, apart] of all) {
          for (const other of apart) {
            if (!all.has(other)) continue;
            const direct = keys.includes(key) && keys.includes(other);
            if (!direct) throw new IdentityConflictError(`${key} was unlinked from ${other} by a person: unlink or link those first`, [key, other]);
          }
        }
        const links = keys.slice(1).map((b) => ({ a: keys[0]!, b, by, at, ...(reason ? { reason } : {}) }));
        return apply(type, [], { links });
      });
      const id = result.entityOf.get(keys[0]!)!;
      return (await entities([id]))[0]!;
    },
    async unlinkRecords(type, refs, by, reason) {
      if (refs.length === 0) throw new RangeError('unlinkRecords takes at least one record');
      const keys = refs.map((r) => recordKey(type, r));
      const at = now().toISOString();
      const result = await withLease(async () => {
        let pairs: Array<[string, string]> = [];
        if (keys.length === 1) {
          const [e] = await entitiesOf(type, refs);
          pairs = (e?.members ?? []).filter((m) => m.recordKey !== keys[0]).map((m) => [keys[0]!, m.recordKey]);
        } else {
          for (let i = 0; i < keys.length; i++) for (let j = i + 1; j < keys.length; j++) pairs.push([keys[i]!, keys[j]!]);
        }
        return apply(type, [], { unlinks: pairs.map(([a, b]) => ({ a, b, by, at, ...(reason ? { reason } : {}) })), ...(keys.length === 1 ? { detached: keys } : {}) });
      });
      const ids = keys.map((rk) => result.entityOf.get(rk));
      const found = await loadEntities(ids.filter((x): x is string => !!x));
      return ids.flatMap((id) => {
        const e = id ? found.get(id) : undefined;
        return e ? [view(e)] : [];
      });
    },
    async stats() {
      return (await store.get<IdentityStats>(k.stats)) ?? emptyStats();
    },
  };
}

function toEvidence(e: ClusterEvidence): LinkEvidence {
  return { rule: e.rule, ...(e.key ? { key: e.key } : {}), with: e.with, ...(e.by ? { by: e.by } : {}), ...(e.at ? { at: e.at } : {}) };
}

function dedupeEvidence(list: LinkEvidence[]): LinkEvidence[] {
  const seen = new Set<string>();
  return list.filter((e) => {
    const id = `${e.rule}|${e.key ?? ''}|${e.with}`;
    return seen.has(id) ? false : (seen.add(id), true);
  });
}

export { identityRecordOf, recordKey, type IdentityRecord, type IdentityType };
