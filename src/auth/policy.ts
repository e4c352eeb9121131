/**
 * Authorization, below the resolvers and the same on every path to the data:
 *
 * - **Objects**: financial records (invoices and warranty claims) are read only by principals with
 *   the `billing` role. The guard wraps the request's connectors, so `node`, root lists,
 *   relationships and loaders all meet it, and a refused read makes no vendor call.
 * - **Fields**: every `Money` field (a customer's balance, a membership's price, a job's total) is
 *   financial too; {@link applyPolicy} wraps those fields of the executable schema.
 * - **Mutations**: each names the roles that may run it ({@link MUTATION_ROLES}); a mutation not in
 *   the table is admin-only.
 * - **Tenants**: a principal's requests use only its tenant's vendor connections, and global ids
 *   carry their tenant (`src/ids.ts`), so another tenant's id is refused before any call.
 * - Payment-method tokens are write-only: no type of the schema has a field that returns one
 *   (a test walks the schema to keep it so).
 */
import { mapSchema, MapperKind } from '@graphql-tools/utils';
import { defaultFieldResolver, getNamedType, GraphQLError, type GraphQLSchema } from 'graphql';
import { decorateConnectors, type Connectors } from '../loaders/by-id.js';
import type { EntityKind } from '../model/index.js';
import { hasRole, type Principal, type Role } from './principal.js';

/** Entity kinds only `billing` (and admin) may read. */
export const FINANCIAL_KINDS: readonly EntityKind[] = ['invoice', 'claim'];

/** Named types whose fields are financial wherever they appear. */
const FINANCIAL_TYPES: readonly string[] = ['Money'];

/** Who may run each mutation (admin may run all). */
export const MUTATION_ROLES: Readonly<Record<string, readonly Role[]>> = {
  createWorkOrder: ['dispatcher'],
  dispatch: ['dispatcher'],
  submitClaim: ['billing'],
  enrollMembership: ['billing'],
  linkRecords: ['admin'],
  unlinkRecords: ['admin'],
};

/** The error of a refused read or mutation. */
export class ForbiddenError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: 'FORBIDDEN' } });
  }
}

/** Whether `principal` may read records of `kind`. */
function mayRead(principal: Principal, kind: EntityKind): boolean {
  return !FINANCIAL_KINDS.includes(kind) || hasRole(principal, 'billing');
}

/** Whether `principal` may run `mutation`. */
function mayRun(principal: Principal, mutation: string): boolean {
  const roles = MUTATION_ROLES[mutation] ?? ['admin'];
  return roles.some((role) => hasRole(principal, role));
}

/** The error of a read of `kind` that `principal` may not make; undefined when it may. */
export function readRefusal(principal: Principal, kind: EntityKind): ForbiddenError | undefined {
  return mayRead(principal, kind) ? undefined : new ForbiddenError(`Reading ${kind} records needs the billing role.`);
}

function refuseRead(principal: Principal, kind: EntityKind): never {
  throw readRefusal(principal, kind)!;
}

/** The connectors of a request, as `principal` may use them: reads of kinds it may not see throw {@link ForbiddenError} without a call. */
export function guardConnectors(connectors: Connectors, principal: Principal): Connectors {
  return decorateConnectors(connectors, (_vendor, connector) => ({
    get: (kind, ids) => (mayRead(principal, kind) ? connector.get(kind, ids) : refuseRead(principal, kind)),
    list: (kind, query) => (mayRead(principal, kind) ? connector.list(kind, query) : refuseRead(principal, kind)),
    iterate: (kind, query) => (mayRead(principal, kind) ? connector.iterate(kind, query) : refuseRead(principal, kind)),
    children: (kind, parent, parentIds) => (mayRead(principal, kind) ? connector.children(kind, parent, parentIds) : refuseRead(principal, kind)),
  }));
}

/** What the schema policy reads from the context. */
interface PolicyContext {
  principal: Principal;
}

/**
 * The schema with field-level policy: `Money` fields answer FORBIDDEN to principals without the
 * billing role, and mutations check {@link MUTATION_ROLES} before their resolver runs.
 */
export function applyPolicy(schema: GraphQLSchema): GraphQLSchema {
  const mutationType = schema.getMutationType()?.name;
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (field, fieldName, typeName) => {
      const resolve = field.resolve ?? defaultFieldResolver;
      if (typeName === mutationType) {
        return {
          ...field,
          resolve: (source, args, context: PolicyContext, info) => {
            if (!mayRun(context.principal, fieldName)) {
              const roles = MUTATION_ROLES[fieldName] ?? ['admin'];
              throw new ForbiddenError(`${fieldName} needs one of the roles ${roles.join(', ')}.`);
            }
            return resolve(source, args, context, info);
          },
        };
      }
      if (FINANCIAL_TYPES.includes(getNamedType(field.type).name)) {
        return {
          ...field,
          resolve: (source, args, context: PolicyContext, info) => {
            if (!hasRole(context.principal, 'billing')) throw new ForbiddenError(`${typeName}.${fieldName} is financial: it needs the billing role.`);
            return resolve(source, args, context, info);
          },
        };
      }
      return field;
    },
  });
}
