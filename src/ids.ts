/**
 * Global ids: opaque base64url strings of `tenant/Type:vendor:vendorId` (e.g.
 * `default/WorkOrder:sera:wo_0093b1`). The tenant is part of the id so that an id issued to one
 * tenant is refused, before any vendor call, when another tenant's principal presents it.
 * Clients never parse them; this module is the only place that encodes or decodes them.
 */
import { GraphQLError } from 'graphql';
import { z } from 'zod';
import { VENDOR_KEYS, type VendorKey } from '../connectors/vendors.js';
import type { SourceSystem } from './__generated__/graphql.js';
import type { EntityKind, RecordRef } from './model/index.js';

/** The GraphQL object types that implement `Node`, and the entity kind each one reads. */
export const NODE_TYPES = {
  Customer: 'customer',
  Location: 'location',
  Equipment: 'equipment',
  WorkOrder: 'workOrder',
  Appointment: 'appointment',
  Technician: 'technician',
  Claim: 'claim',
  Invoice: 'invoice',
  Membership: 'membership',
} as const satisfies Record<string, EntityKind>;

/** A GraphQL type that implements `Node`. */
export type NodeType = keyof typeof NODE_TYPES;

/** The GraphQL type name of each entity kind (the inverse of {@link NODE_TYPES}). */
export const TYPE_OF_KIND = Object.fromEntries(Object.entries(NODE_TYPES).map(([t, k]) => [k, t])) as {
  [K in EntityKind]: { [T in NodeType]: (typeof NODE_TYPES)[T] extends K ? T : never }[NodeType];
};

const NODE_TYPE_NAMES = Object.keys(NODE_TYPES) as [NodeType, ...NodeType[]];

/** What a decoded global id says: the type and where the record lives. */
export interface DecodedId {
  type: NodeType;
  kind: EntityKind;
  ref: RecordRef;
}

/** What a decoded id of a unified node says: the type and the real-world entity (`src/identity/`). */
export interface DecodedEntityId {
  type: NodeType;
  kind: EntityKind;
  entity: string;
}

/** The place of the system in the id of a unified node, which no vendor holds on its own. */
const ENTITY_SYSTEM = 'entity';

// Vendor ids are opaque to us; only control characters would make an id unprintable in logs.
const DecodedSchema = z.tuple([z.enum(NODE_TYPE_NAMES), z.enum([...VENDOR_KEYS, ENTITY_SYSTEM]), z.string().min(1).max(200).regex(/^[^\p{Cc}]+$/u)]);

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** The tenant of single-tenant set-ups, the sandbox and the development key. */
export const DEFAULT_TENANT = 'default';

/** What a tenant name may be: lower-case letters, digits and dashes, 1 to 40 characters. */
export const TENANT_NAME = /^[a-z0-9][a-z0-9-]{0,39}$/;

/** Encodes the global id of a record of `type` held in `tenant`'s vendor accounts. */
export function toGlobalId(type: NodeType, ref: RecordRef, tenant: string = DEFAULT_TENANT): string {
  return Buffer.from(`${tenant}/${type}:${ref.system}:${ref.id}`, 'utf8').toString('base64url');
}

/**
 * Encodes the global id of a unified node (one real-world customer or unit, `src/identity/`) from
 * its entity id. It stays the node's id as further records join the entity.
 */
export function toEntityGlobalId(type: NodeType, entityId: string, tenant: string = DEFAULT_TENANT): string {
  return Buffer.from(`${tenant}/${type}:${ENTITY_SYSTEM}:${entityId}`, 'utf8').toString('base64url');
}

function malformed(id: string, why: string): GraphQLError {
  // The id is echoed back truncated: it is the caller's own input, never upstream data.
  const shown = id.length > 60 ? `${id.slice(0, 60)}…` : id;
  return new GraphQLError(`Malformed global id "${shown}": ${why}.`, { extensions: { code: 'BAD_USER_INPUT' } });
}

/**
 * Decodes a global id presented by a principal of `tenant`. Throws a GraphQLError with code
 * `BAD_USER_INPUT` when `id` is not one we could have issued (not canonical base64url, unknown type
 * or system, empty vendor id), or when `expected` is given and the id is of another type; with code
 * `FORBIDDEN` when the id was issued to another tenant.
 */
export function fromGlobalId(id: string, expected: NodeType | undefined, tenant: string): DecodedId {
  const decoded = decodeNodeId(id, expected, tenant);
  if ('entity' in decoded) throw malformed(id, 'the id of a unified node, where the id of one system\'s record is needed');
  return decoded;
}

/**
 * Decodes a global id of either form: a record's ({@link DecodedId}) or a unified node's
 * ({@link DecodedEntityId}). Refuses what {@link fromGlobalId} refuses.
 */
export function decodeNodeId(id: string, expected: NodeType | undefined, tenant: string): DecodedId | DecodedEntityId {
  if (id.length === 0 || id.length > 400 || !BASE64URL.test(id)) throw malformed(id, 'not an id issued by this API');
  const full = Buffer.from(id, 'base64url').toString('utf8');
  // Only the canonical encoding is accepted, so one record has exactly one id.
  if (Buffer.from(full, 'utf8').toString('base64url') !== id) throw malformed(id, 'not an id issued by this API');
  const slash = full.indexOf('/');
  const owner = slash < 0 ? '' : full.slice(0, slash);
  if (!TENANT_NAME.test(owner)) throw malformed(id, 'not an id issued by this API');
  if (owner !== tenant) throw new GraphQLError('This id belongs to another tenant.', { extensions: { code: 'FORBIDDEN' } });
  const text = full.slice(slash + 1);
  const first = text.indexOf(':');
  const second = first < 0 ? -1 : text.indexOf(':', first + 1);
  if (second < 0) throw malformed(id, 'not an id issued by this API');
  const parsed = DecodedSchema.safeParse([text.slice(0, first), text.slice(first + 1, second), text.slice(second + 1)]);
  if (!parsed.success) throw malformed(id, 'not an id issued by this API');
  const [type, system, vendorId] = parsed.data;
  if (expected !== undefined && type !== expected) throw malformed(id, `expected the id of a ${expected}`);
  if (system === ENTITY_SYSTEM) return { type, kind: NODE_TYPES[type], entity: vendorId };
  return { type, kind: NODE_TYPES[type], ref: { system, id: vendorId } };
}

/** The `SourceSystem` enum value of a vendor key (`sera` -> `SERA`). */
export function sourceSystemOf(vendor: VendorKey): SourceSystem {
  return vendor.toUpperCase() as SourceSystem;
}
