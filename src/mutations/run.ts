/**
 * The frame every mutation runs in: the idempotency key decides whether to replay a stored result,
 * refuse (key reused with other input, or still in use), or run; a run that ends stores its result
 * ids or gives the key back; after a write the request's loaders forget what changed.
 */
import { randomBytes } from 'node:crypto';
import { GraphQLError } from 'graphql';
import type { ParentKind } from '../../connectors/types.js';
import type { Context } from '../context.js';
import type { EntityKind, ModelByKind, RecordRef } from '../model/index.js';
import { derivedReference, inputHashOf, type IdempotencyScope, type StoredResult, type Ticket } from '../store/idempotency.js';
import { userError, type UserError } from './input.js';

/** One attempt at a mutation. */
export interface Attempt {
  /** True when an earlier attempt with the same key may have written: look for its record before writing. */
  readonly recovering: boolean;
  /** When the first attempt with the key began (epoch ms; now without a key). */
  readonly since: number;
  /** The reference to stamp on what is written: derived from the key (random without one). */
  readonly externalReference: string;
  /** To call right before the first vendor write: from then on a failure may have written something. */
  writing(): void;
}

/** How an attempt ended (thrown errors aside). */
export type Outcome<P> =
  /** Done: the payload, and the ids to store for replays. */
  | { ok: true; payload: P; stored: StoredResult }
  /**
   * Refused with user errors. `written`: whether anything was written (`unknown` after a partial
   * write: the key stays pending and the next attempt resumes).
   */
  | { ok: false; errors: UserError[]; written: 'nothing' | 'unknown'; payload?: P };

/** What a mutation gives {@link runMutation}. */
export interface MutationSpec<P> {
  /** The mutation's name, part of the key's scope. */
  mutation: string;
  /** The idempotency key, if any. */
  key: string | undefined;
  /** The normalised input; its hash is compared on replays. */
  normalised: unknown;
  /** The payload of an earlier identical request, from its stored ids. */
  replay(result: StoredResult): Promise<P>;
  /** Runs the mutation. */
  execute(attempt: Attempt): Promise<Outcome<P>>;
  /** The payload of a refusal. */
  refused(errors: UserError[]): P;
}

function storeUnavailable(e: unknown, ctx: Context): never {
  ctx.mutations.services.log('idempotency store failed', e);
  throw new GraphQLError('The idempotency store is unavailable; try again later.', { extensions: { code: 'SERVICE_UNAVAILABLE' } });
}

function randomReference(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  return `fg-${[...randomBytes(26)].map((b) => alphabet[b & 31]).join('')}`;
}

/** The scope of a key in this request. */
export function scopeOf(ctx: Context, mutation: string, key: string): IdempotencyScope {
  return { tenant: ctx.principal.tenant, principal: ctx.principal.id, mutation, key };
}

/**
 * Runs a mutation under its idempotency key (or without one). Throws what `execute` throws after
 * giving the key back (pending when a write had begun), and `SERVICE_UNAVAILABLE` when the
 * idempotency store fails.
 */
export async function runMutation<P>(ctx: Context, spec: MutationSpec<P>): Promise<P> {
  if (spec.key === undefined) {
    const outcome = await spec.execute({ recovering: false, since: Date.now(), externalReference: randomReference(), writing: () => undefined });
    return outcome.ok ? outcome.payload : (outcome.payload ?? spec.refused(outcome.errors));
  }
  const scope = scopeOf(ctx, spec.mutation, spec.key);
  const store = await ctx.mutations.services.idempotency().catch((e: unknown) => storeUnavailable(e, ctx));
  const begun = await store.begin(scope, inputHashOf(spec.normalised)).catch((e: unknown) => storeUnavailable(e, ctx));
  switch (begun.kind) {
    case 'replay':
      return spec.replay(begun.result);
    case 'reused':
      return spec.refused([userError('IDEMPOTENCY_KEY_REUSED', ['idempotencyKey'], 'This idempotency key was already used with a different input; use a new key for a new request.')]);
    case 'busy':
      return spec.refused([userError('IDEMPOTENCY_KEY_IN_USE', ['idempotencyKey'], 'A request with this idempotency key is still being carried out; retry later with the same key to get its result.')]);
  }
  const ticket: Ticket = begun.ticket;
  let wrote = false;
  const attempt: Attempt = {
    recovering: ticket.recovering,
    since: Date.parse(ticket.firstAttemptAt),
    externalReference: derivedReference(scope),
    writing: () => {
      wrote = true;
    },
  };
  let outcome: Outcome<P>;
  try {
    outcome = await spec.execute(attempt);
  } catch (e) {
    await ticket.release(wrote ? 'unknown' : 'nothing-written').catch((err: unknown) => ctx.mutations.services.log('idempotency key not given back', err));
    throw e;
  }
  if (outcome.ok) {
    await ticket.complete(outcome.stored).catch((e: unknown) => storeUnavailable(e, ctx));
    return outcome.payload;
  }
  await ticket.release(outcome.written === 'unknown' ? 'unknown' : 'nothing-written').catch((e: unknown) => storeUnavailable(e, ctx));
  return outcome.payload ?? spec.refused(outcome.errors);
}

/** What a write changed, for the loaders to forget. */
export interface Changes {
  /** Records written or changed (their by-id keys), with the fresh model when there is one. */
  records?: Array<{ kind: EntityKind; ref: RecordRef; model?: ModelByKind[EntityKind] | null }>;
  /** Children lists that changed: the `kind` children of `parent`. */
  children?: Array<{ kind: EntityKind; parent: ParentKind; ref: RecordRef }>;
}

/**
 * Makes the shared cache and the request's loaders forget what a write changed (style guide §29),
 * then takes in the fresh models: later fields of this request, and later requests (on any
 * instance), read what is there now.
 */
export async function forget(ctx: Context, changes: Changes): Promise<void> {
  // The shared cache first, so that no instance serves the old record once the payload is out.
  await ctx.cache?.invalidate(ctx.principal.tenant, changes);
  for (const c of changes.children ?? []) ctx.loaders.related(c.kind, c.parent).clear(c.ref);
  for (const r of changes.records ?? []) ctx.loaders[r.kind].clear(r.ref);
  for (const r of changes.records ?? []) if (r.model) ctx.loaders.prime(r.kind, r.model);
}
