/**
 * Idempotency records: the same mutation sent again with the same idempotency key returns the
 * first result and writes nothing more, across restarts and instances (the records live in the
 * {@link KeyValueStore}); with other input it is refused; concurrent duplicates make one vendor
 * write.
 *
 * Two keys per (tenant, principal, mutation, idempotency key):
 * - the record `idem:v1:<tenant>:<principal>:<mutation>:<sha256 of the key>`: the hash of the
 *   normalised input, the state (`pending`, then `done` with the ids of the result), the attempts
 *   and timestamps; kept `ttlMs` (at least 24 h) after its last change;
 * - the lease `…:lease`: who is running the write now. It is claimed atomically (Redis
 *   `SET NX PX`, the file store's lock), renewed while the write runs, and expires on its own when
 *   the process dies, so another request can take over.
 *
 * A request that finds the lease taken waits (bounded) for the record to become `done`, and
 * returns that; inside one process duplicates wait on the running write directly. A request that
 * takes over a `pending` record knows a write may already have happened (the earlier attempt died
 * or its outcome was lost): it is told to look for it first ({@link Ticket.recovering}), by the
 * external reference derived from the key ({@link derivedReference}).
 */
import { createHash, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { RecordRef } from '../model/index.js';
import type { KeyValueStore } from './kv.js';

/** The stored result of a mutation: the ids of the records it returned, nothing else. */
export type StoredResult = Readonly<Record<string, RecordRef | null>>;

/** An idempotency record as stored. */
export interface IdempotencyRecord {
  version: 1;
  mutation: string;
  /** sha256 of the normalised input (the idempotency key excluded). */
  inputHash: string;
  state: 'pending' | 'done';
  /** `pending`: the instance and request running the write. */
  owner?: string;
  /**
   * `pending`: until when the owner's lease runs (renewed while it writes). Informational: the
   * lease key is what is claimed, and it expires on its own.
   */
  leaseExpiresAt?: string;
  /** Attempts made so far (an attempt that died or lost its outcome leaves the record pending). */
  attempts: number;
  /** When the first attempt began: looks for a write an earlier attempt made start from here. */
  firstAttemptAt: string;
  createdAt: string;
  updatedAt: string;
  /** `done`: when the result was stored. */
  completedAt?: string;
  /** `done`: the ids of the result. */
  result?: StoredResult;
}

/** Who and what a key belongs to. */
export interface IdempotencyScope {
  /** Tenant (`default` until tenants exist). */
  tenant: string;
  /** The caller (`anonymous` until authentication exists). */
  principal: string;
  /** The mutation, e.g. `createWorkOrder`. */
  mutation: string;
  /** The client's idempotency key. */
  key: string;
}

/** What {@link IdempotencyStore.begin} decided. */
export type Begin =
  /** The key was used before with the same input: its result. */
  | { kind: 'replay'; result: StoredResult }
  /** The key was used before with other input. */
  | { kind: 'reused' }
  /** Another request with this key is still running after the wait. */
  | { kind: 'busy' }
  /** This request runs the mutation: finish with the ticket. */
  | { kind: 'run'; ticket: Ticket };

/** The right to run a mutation under a key, until completed or released. */
export interface Ticket {
  /** True when an earlier attempt may have written: look for its record before writing. */
  readonly recovering: boolean;
  /** When the first attempt began (ISO 8601). */
  readonly firstAttemptAt: string;
  /** This attempt's number (1 for the first). */
  readonly attempt: number;
  /** Stores the result: later requests with the key get it. */
  complete(result: StoredResult): Promise<void>;
  /**
   * Gives the key back. `nothing-written`: the mutation was refused before any vendor write (the
   * key is free again, for any input); `unknown`: a write may have happened (the record stays
   * pending, and the next attempt recovers).
   */
  release(outcome: 'nothing-written' | 'unknown'): Promise<void>;
}

/** Options of {@link IdempotencyStore}. */
export interface IdempotencyOptions {
  /** How long records are kept after their last change (ms; the configuration keeps it at least 24 h). */
  ttlMs: number;
  /** How long a lease lasts without renewal (ms). */
  leaseMs: number;
  /** How long a duplicate waits for the first request's result (ms). */
  waitMs: number;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * JSON with object keys sorted and `null`/`undefined` members dropped, so that inputs that mean the
 * same (member order, an explicit null) hash the same.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== null && v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The hash of a normalised input. */
export function inputHashOf(normalised: unknown): string {
  return sha256(canonicalJson(normalised));
}

function scopeDigest(scope: IdempotencyScope): string {
  return sha256(canonicalJson([scope.tenant, scope.principal, scope.mutation, scope.key]));
}

/**
 * The external reference stamped on the vendor record a keyed mutation writes: the same for every
 * attempt with the key, unique per (tenant, principal, mutation, key), at most 29 characters
 * (`fg-` and 26 base32 characters: 130 bits).
 */
export function derivedReference(scope: IdempotencyScope): string {
  const digest = Buffer.from(scopeDigest(scope), 'hex');
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  let bits = 0;
  let acc = 0;
  let out = '';
  for (const byte of digest) {
    acc = (acc << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < 26) {
      out += alphabet[(acc >>> (bits - 5)) & 31];
      bits -= 5;
    }
    acc &= (1 << bits) - 1;
  }
  return `fg-${out}`;
}

/** The record key of a scope (the client's key is hashed: any length, no separator trouble). */
export function recordKeyOf(scope: IdempotencyScope): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9_.-]/g, '_');
  return `idem:v1:${safe(scope.tenant)}:${safe(scope.principal)}:${safe(scope.mutation)}:${sha256(scope.key)}`;
}

/** Idempotency records over a {@link KeyValueStore}. Methods throw when the store fails. */
export class IdempotencyStore {
  /** Writes running in this process, by record key: duplicates here wait on them directly. */
  private readonly running = new Map<string, Promise<void>>();
  private readonly instance = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

  constructor(
    readonly kv: KeyValueStore,
    readonly options: IdempotencyOptions,
  ) {}

  /** Reads a record (tests and tools). */
  record(scope: IdempotencyScope): Promise<IdempotencyRecord | undefined> {
    return this.kv.get<IdempotencyRecord>(recordKeyOf(scope));
  }

  /**
   * Decides what a request with `scope` and an input of `inputHash` does: replay the stored result,
   * refuse (key reused with other input), wait and give up (`busy`), or run the mutation with a
   * {@link Ticket}.
   */
  async begin(scope: IdempotencyScope, inputHash: string): Promise<Begin> {
    const recordKey = recordKeyOf(scope);
    const leaseKey = `${recordKey}:lease`;
    const deadline = Date.now() + this.options.waitMs;
    for (let pause = 20; ; pause = Math.min(pause * 2, 250)) {
      const rec = await this.kv.get<IdempotencyRecord>(recordKey);
      if (rec && rec.inputHash !== inputHash) return { kind: 'reused' };
      if (rec?.state === 'done') return { kind: 'replay', result: rec.result ?? {} };
      const local = this.running.get(recordKey);
      if (local) {
        // A duplicate in this process: wait for the write itself, not for the store.
        if (!(await settlesBefore(local, deadline))) return { kind: 'busy' };
        continue;
      }
      const owner = `${this.instance}:${randomBytes(4).toString('hex')}`;
      if (await this.kv.setIfAbsent(leaseKey, { owner, at: new Date().toISOString() }, this.options.leaseMs)) {
        const ticket = await this.takeOver(scope, recordKey, leaseKey, owner, inputHash);
        if (ticket.kind !== 'run') await this.kv.delete(leaseKey);
        return ticket;
      }
      if (Date.now() + pause > deadline) return { kind: 'busy' };
      await sleep(pause);
    }
  }

  /** With the lease in hand: re-reads the record (it may have changed before the claim) and starts an attempt. */
  private async takeOver(scope: IdempotencyScope, recordKey: string, leaseKey: string, owner: string, inputHash: string): Promise<Begin> {
    const rec = await this.kv.get<IdempotencyRecord>(recordKey);
    if (rec && rec.inputHash !== inputHash) return { kind: 'reused' };
    if (rec?.state === 'done') return { kind: 'replay', result: rec.result ?? {} };
    const now = new Date().toISOString();
    const attempt = (rec?.attempts ?? 0) + 1;
    const pending: IdempotencyRecord = {
      version: 1,
      mutation: scope.mutation,
      inputHash,
      state: 'pending',
      owner,
      leaseExpiresAt: new Date(Date.now() + this.options.leaseMs).toISOString(),
      attempts: attempt,
      firstAttemptAt: rec?.firstAttemptAt ?? now,
      createdAt: rec?.createdAt ?? now,
      updatedAt: now,
    };
    await this.kv.set(recordKey, pending, this.options.ttlMs);

    let settle!: () => void;
    const done = new Promise<void>((r) => (settle = r));
    this.running.set(recordKey, done);
    // Renewed while the write runs, so a slow write is not taken over; a dead process stops renewing.
    let renewing: Promise<unknown> = Promise.resolve();
    const renew = setInterval(() => {
      const leaseExpiresAt = new Date(Date.now() + this.options.leaseMs).toISOString();
      renewing = Promise.all([
        this.kv.set(leaseKey, { owner, at: new Date().toISOString() }, this.options.leaseMs),
        this.kv.set<IdempotencyRecord>(recordKey, { ...pending, leaseExpiresAt, updatedAt: new Date().toISOString() }, this.options.ttlMs),
      ]).catch(() => undefined);
    }, Math.max(50, Math.floor(this.options.leaseMs / 3)));
    renew.unref();
    let finished = false;
    const finish = async (work: () => Promise<void>): Promise<void> => {
      if (finished) throw new Error('this idempotency ticket is already finished');
      finished = true;
      clearInterval(renew);
      // A renewal landing after the lease is deleted would block the key until it expired.
      await renewing;
      try {
        await work();
        await this.kv.delete(leaseKey);
      } finally {
        this.running.delete(recordKey);
        settle();
      }
    };
    const ticket: Ticket = {
      recovering: rec?.state === 'pending',
      firstAttemptAt: pending.firstAttemptAt,
      attempt,
      complete: (result) =>
        finish(async () => {
          const at = new Date().toISOString();
          const { owner: _owner, leaseExpiresAt: _lease, ...rest } = pending;
          await this.kv.set<IdempotencyRecord>(recordKey, { ...rest, state: 'done', result, updatedAt: at, completedAt: at }, this.options.ttlMs);
        }),
      release: (outcome) =>
        finish(async () => {
          // Nothing written by any attempt: the key is free again. Otherwise the record stays
          // pending, so the next attempt looks for what an earlier one may have written.
          if (outcome === 'nothing-written' && !(rec?.state === 'pending')) await this.kv.delete(recordKey);
          else {
            const { owner: _owner, leaseExpiresAt: _lease, ...rest } = pending;
            await this.kv.set<IdempotencyRecord>(recordKey, { ...rest, updatedAt: new Date().toISOString() }, this.options.ttlMs);
          }
        }),
    };
    return { kind: 'run', ticket };
  }
}

/** True when `p` settles before `deadline` (epoch ms). */
async function settlesBefore(p: Promise<unknown>, deadline: number): Promise<boolean> {
  const left = deadline - Date.now();
  if (left <= 0) return false;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((r) => (timer = setTimeout(() => r(false), left)));
  try {
    return await Promise.race([p.then(() => true, () => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
