/**
 * The linking rules of cross-vendor identity: which records of the five systems are the same
 * real-world customer, unit, technician or job. Pure functions; the link index
 * (`src/identity/index.ts`) stores what they compute.
 *
 * Each rule turns a canonical record into **link keys**: two records that produce the same key are
 * the same entity, unless a constraint keeps them apart. Rules are explicit and ordered (the first
 * rule that links two records is the evidence recorded for the link):
 *
 * | Type | Rules, in order |
 * |---|---|
 * | customer | explicit reference (ServiceTitan `externalData`, any cross-reference a connector maps), normalised email, phone in E.164; normalised address is supporting evidence only |
 * | equipment | normalised serial number with the manufacturer, normalised serial number with the model |
 * | technician | normalised email |
 * | workOrder | explicit reference (ServicePower `externalRef` naming a ServiceTitan job, Field Nation's Astea work order number, ServiceTitan `externalData`) |
 *
 * Names never link: two customers with the same name and a different email and phone stay apart.
 * Link keys carry no personal data: emails, phones, serials and addresses are hashed (sha256) after
 * normalisation; vendor ids and numbers are kept as they are (they are not personal).
 */
import { createHash } from 'node:crypto';
import type { VendorKey } from '../../connectors/vendors.js';
import type { Address, CrossReference, CustomerModel, EquipmentModel, RecordRef, TechnicianModel, WorkOrderModel } from '../model/index.js';
import { normalizeEmail, normalizePhone, normalizeSerial } from './normalize.js';

/** The record types identity links across systems. */
export const IDENTITY_TYPES = ['customer', 'equipment', 'technician', 'workOrder'] as const;
/** One of {@link IDENTITY_TYPES}. */
export type IdentityType = (typeof IDENTITY_TYPES)[number];

/** The canonical model of each identity type. */
export interface IdentityModelByType {
  customer: CustomerModel;
  equipment: EquipmentModel;
  technician: TechnicianModel;
  workOrder: WorkOrderModel;
}

/** The names of the rules, in the order they apply within their type. */
export const RULE_NAMES = [
  'customer.explicit-reference',
  'customer.email',
  'customer.phone',
  'equipment.serial+manufacturer',
  'equipment.serial+model',
  'technician.email',
  'workOrder.explicit-reference',
] as const;
/** A linking rule. `manual` is a link made by a person (see the link index). */
export type RuleName = (typeof RULE_NAMES)[number];

/** Supporting evidence: recorded beside a link, never a link by itself. */
export const SUPPORT_RULES = ['customer.address'] as const;
export type SupportRuleName = (typeof SUPPORT_RULES)[number];

/** One key a rule derives from a record. Records with an equal `key` link under `rule`. */
export interface LinkKey {
  rule: RuleName;
  /** `<rule>:<value>`, the value normalised and hashed where it is personal data. */
  key: string;
}

/** A supporting key (e.g. the hashed normalised address). */
export interface SupportKey {
  rule: SupportRuleName;
  key: string;
}

/** A record as identity sees it: where it lives, and the keys the rules derive from it. */
export interface IdentityRecord {
  type: IdentityType;
  ref: RecordRef;
  /** Link keys, in rule order. */
  keys: LinkKey[];
  support: SupportKey[];
  /** The record's modification time, when the vendor reports it. */
  updatedAt?: string;
}

/** Rule order within a type: lower applies first. */
export const RULE_ORDER: Readonly<Record<RuleName, number>> = Object.fromEntries(RULE_NAMES.map((r, i) => [r, i])) as Record<RuleName, number>;

/** The stable string of a record: `<type>:<system>:<id>`. */
export function recordKey(type: IdentityType, ref: RecordRef): string {
  return `${type}:${ref.system}:${ref.id}`;
}

/** The inverse of {@link recordKey}; undefined when `key` is not one. */
export function parseRecordKey(key: string): { type: IdentityType; ref: RecordRef } | undefined {
  const first = key.indexOf(':');
  const second = key.indexOf(':', first + 1);
  if (first < 0 || second < 0) return undefined;
  const type = key.slice(0, first) as IdentityType;
  if (!IDENTITY_TYPES.includes(type)) return undefined;
  return { type, ref: { system: key.slice(first + 1, second) as VendorKey, id: key.slice(second + 1) } };
}

/** sha256 of a normalised personal value, hex, 32 characters (128 bits: no accidental collisions). */
export function hashValue(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex').slice(0, 32);
}

const STREET_WORDS: Readonly<Record<string, string>> = {
  street: 'st',
  avenue: 'ave',
  road: 'rd',
  drive: 'dr',
  lane: 'ln',
  court: 'ct',
  boulevard: 'blvd',
  parkway: 'pkwy',
  highway: 'hwy',
  terrace: 'ter',
  place: 'pl',
  circle: 'cir',
  trail: 'trl',
  square: 'sq',
  north: 'n',
  south: 's',
  east: 'e',
  west: 'w',
  northeast: 'ne',
  northwest: 'nw',
  southeast: 'se',
  southwest: 'sw',
  apartment: 'apt',
  suite: 'ste',
};

/**
 * An address for comparison: street line (lower case, suffixes and directions abbreviated, unit
 * markers dropped), line 2 the same way, and the five-digit ZIP code (ZIP+4 cut). Undefined
 * without a street line and a postal code.
 */
export function normalizeAddress(a: Address | undefined): string | undefined {
  if (!a?.line1?.trim() || !a.postalCode?.trim()) return undefined;
  const words = (s: string | undefined) =>
    (s ?? '')
      .toLowerCase()
      .replace(/[#.,]/g, ' ')
      .split(/\s+/)
      .filter(Boolean)
      .map((w) => STREET_WORDS[w] ?? w)
      .filter((w) => w !== 'apt' && w !== 'ste' && w !== 'unit')
      .join(' ');
  const zip = a.postalCode.trim().slice(0, 5);
  return `${words(a.line1)}|${words(a.line2)}|${zip}`;
}

/** A manufacturer or model name for comparison: letters and digits, lower case. */
export function normalizeMake(value: string | undefined): string | undefined {
  const v = value?.toLowerCase().replace(/[^a-z0-9]/g, '');
  return v ? v : undefined;
}

/** Keys of explicit references: the record's own id and number, and every cross-reference it holds. */
function referenceKeys(rule: RuleName, type: IdentityType, self: RecordRef, number: string | undefined, refs: readonly CrossReference[]): LinkKey[] {
  const out: LinkKey[] = [{ rule, key: `${rule}:${type}:${self.system}:id:${self.id}` }];
  if (number?.trim()) out.push({ rule, key: `${rule}:${type}:${self.system}:number:${number.trim()}` });
  for (const r of refs) {
    if (r.system === self.system) continue;
    if (r.id?.trim()) out.push({ rule, key: `${rule}:${type}:${r.system}:id:${r.id.trim()}` });
    if (r.number?.trim()) out.push({ rule, key: `${rule}:${type}:${r.system}:number:${r.number.trim()}` });
  }
  return out;
}

function dedupe<T extends { key: string }>(keys: T[]): T[] {
  const seen = new Set<string>();
  return keys.filter((k) => (seen.has(k.key) ? false : (seen.add(k.key), true)));
}

/** Link keys of a customer, in rule order. */
export function customerKeys(c: CustomerModel): { keys: LinkKey[]; support: SupportKey[] } {
  const keys = referenceKeys('customer.explicit-reference', 'customer', c.ref, undefined, c.crossReferences);
  const email = normalizeEmail(c.email);
  if (email) keys.push({ rule: 'customer.email', key: `customer.email:${hashValue(email)}` });
  const phone = normalizePhone(c.phone);
  if (phone) keys.push({ rule: 'customer.phone', key: `customer.phone:${hashValue(phone)}` });
  const address = normalizeAddress(c.address);
  return { keys: dedupe(keys), support: address ? [{ rule: 'customer.address', key: `customer.address:${hashValue(address)}` }] : [] };
}

/** Link keys of a unit: the serial number with the manufacturer, and with the model. */
export function equipmentKeys(e: EquipmentModel): { keys: LinkKey[]; support: SupportKey[] } {
  const serial = normalizeSerial(e.serialNumber);
  const keys: LinkKey[] = [];
  if (serial) {
    const make = normalizeMake(e.manufacturer);
    if (make) keys.push({ rule: 'equipment.serial+manufacturer', key: `equipment.serial+manufacturer:${hashValue(`${serial}|${make}`)}` });
    const model = normalizeMake(e.model);
    if (model) keys.push({ rule: 'equipment.serial+model', key: `equipment.serial+model:${hashValue(`${serial}|${model}`)}` });
  }
  return { keys, support: [] };
}

/** Link keys of a technician: the email. */
export function technicianKeys(t: TechnicianModel): { keys: LinkKey[]; support: SupportKey[] } {
  const email = normalizeEmail(t.email);
  return { keys: email ? [{ rule: 'technician.email', key: `technician.email:${hashValue(email)}` }] : [], support: [] };
}

/** Link keys of a work order: its own id and number, and the jobs of other systems it names. */
export function workOrderKeys(w: WorkOrderModel): { keys: LinkKey[]; support: SupportKey[] } {
  return { keys: dedupe(referenceKeys('workOrder.explicit-reference', 'workOrder', w.ref, w.number, w.crossReferences)), support: [] };
}

/** The identity record of a canonical model of `type`. */
export function identityRecordOf<T extends IdentityType>(type: T, model: IdentityModelByType[T]): IdentityRecord {
  const derived =
    type === 'customer'
      ? customerKeys(model as CustomerModel)
      : type === 'equipment'
        ? equipmentKeys(model as EquipmentModel)
        : type === 'technician'
          ? technicianKeys(model as TechnicianModel)
          : workOrderKeys(model as WorkOrderModel);
  return { type, ref: { system: model.ref.system, id: model.ref.id }, ...derived, ...(model.updatedAt ? { updatedAt: model.updatedAt } : {}) };
}

/** True when two key lists hold the same keys (in any order). */
export function sameKeys(a: readonly { key: string }[], b: readonly { key: string }[]): boolean {
  if (a.length !== b.length) return false;
  const s = new Set(a.map((k) => k.key));
  return b.every((k) => s.has(k.key));
}

// ------------------------------------------------------------------------------ clustering

/** A member as the clustering sees it. */
export interface ClusterMember {
  key: string;
  system: VendorKey;
  keys: readonly LinkKey[];
  /** Record keys this member must never share an entity with (manual unlinks). */
  apart: readonly string[];
  /** Record keys a person linked this member with (manual links), and who and when. */
  manual: ReadonlyArray<{ with: string; by: string; at: string }>;
}

/** Why a member is in its component: the rule, the key and the member it matched. */
export interface ClusterEvidence {
  rule: RuleName | 'manual';
  key?: string;
  with: string;
  by?: string;
  at?: string;
}

/**
 * Whether two groups of members may be merged by a rule: no manual unlink between them, and no
 * system holding a record in both (a system does not hold the same customer, unit, technician or
 * job twice, so two of its records in one entity means a shared email or a reused serial: a wrong
 * merge). A manual link merges regardless of systems.
 */
export function mayMerge(a: readonly ClusterMember[], b: readonly ClusterMember[], manual: boolean): boolean {
  const keysB = new Set(b.map((m) => m.key));
  for (const m of a) for (const k of m.apart) if (keysB.has(k)) return false;
  const keysA = new Set(a.map((m) => m.key));
  for (const m of b) for (const k of m.apart) if (keysA.has(k)) return false;
  if (manual) return true;
  const systems = new Set(a.map((m) => m.system));
  return !b.some((m) => systems.has(m.system));
}

/**
 * Groups members into entities: manual links first, then each rule in order, merging two groups
 * when they share a key and {@link mayMerge} allows it. `seeds` are groups that already exist (by
 * member key): they are united first, unconditionally, so a new record never splits them. Returns
 * the groups (members in input order), the evidence of every member whose key joined two groups,
 * and how many merges the constraints blocked. Deterministic for a given input order.
 */
export function clusterMembers(
  members: readonly ClusterMember[],
  seeds: ReadonlyArray<readonly string[]> = [],
): { groups: ClusterMember[][]; evidence: Map<string, ClusterEvidence[]>; blocked: number } {
  const index = new Map(members.map((m, i) => [m.key, i]));
  const parent = members.map((_, i) => i);
  const groupOf = new Map<number, ClusterMember[]>(members.map((m, i) => [i, [m]]));
  const evidence = new Map<string, ClusterEvidence[]>();
  let blocked = 0;
  const find = (i: number): number => {
    let r = i;
    for (let guard = 0; parent[r] !== r && guard < members.length; guard++) r = parent[r]!;
    return r;
  };
  const join = (ri: number, rj: number): void => {
    const [keep, drop] = ri < rj ? [ri, rj] : [rj, ri];
    parent[drop] = keep;
    groupOf.set(keep, [...groupOf.get(keep)!, ...groupOf.get(drop)!]);
    groupOf.delete(drop);
  };
  const union = (i: number, j: number, manual: boolean, ev: ClusterEvidence, who: string): boolean => {
    const ri = find(i);
    const rj = find(j);
    if (ri === rj) return false;
    const gi = groupOf.get(ri)!;
    const gj = groupOf.get(rj)!;
    if (!mayMerge(gi, gj, manual)) {
      blocked++;
      return false;
    }
    join(ri, rj);
    const list = evidence.get(who) ?? [];
    list.push(ev);
    evidence.set(who, list);
    return true;
  };
  // Groups that already exist stay together whatever the rule order would do now.
  for (const seed of seeds) {
    const at = seed.map((k) => index.get(k)).filter((i): i is number => i !== undefined);
    for (const j of at.slice(1)) {
      const ra = find(at[0]!);
      const rb = find(j);
      if (ra !== rb) join(ra, rb);
    }
  }
  for (const [i, m] of members.entries()) {
    for (const link of m.manual) {
      const j = index.get(link.with);
      if (j !== undefined) union(j, i, true, { rule: 'manual', with: link.with, by: link.by, at: link.at }, m.key);
    }
  }
  const byKey = new Map<string, number[]>();
  const ordered = members
    .flatMap((m, i) => m.keys.map((k) => ({ i, k })))
    .sort((x, y) => RULE_ORDER[x.k.rule] - RULE_ORDER[y.k.rule] || x.i - y.i);
  for (const { i, k } of ordered) {
    const holders = byKey.get(k.key) ?? [];
    for (const j of holders) union(j, i, false, { rule: k.rule, key: k.key, with: members[j]!.key }, members[i]!.key);
    holders.push(i);
    byKey.set(k.key, holders);
  }
  const groups = [...groupOf.values()].map((g) => g.slice().sort((a, b) => index.get(a.key)! - index.get(b.key)!));
  groups.sort((a, b) => index.get(a[0]!.key)! - index.get(b[0]!.key)!);
  return { groups, evidence, blocked };
}
