/**
 * Operations every connector composes: walking pages, and writing once when responses get lost.
 */
import { ConnectorError, type Page } from '../types.js';
import type { RecordRef } from '../../src/model/index.js';
import { sleep } from './resilience.js';

/** Every item of every page, following `nextCursor` from `start`. */
export async function* iteratePages<T>(fetchPage: (cursor: string | undefined) => Promise<Page<T>>, start?: string): AsyncGenerator<T> {
  let cursor = start;
  for (;;) {
    const page = await fetchPage(cursor);
    yield* page.items;
    // A page filtered on our side may be empty with more to come: only the cursor says the end.
    if (!page.nextCursor || page.nextCursor === cursor) return;
    cursor = page.nextCursor;
  }
}

/** True when a failed write may or may not have been carried out by the vendor. */
export function isAmbiguousWriteFailure(e: unknown): boolean {
  return e instanceof ConnectorError && (e.kind === 'timeout' || e.kind === 'unavailable' || e.kind === 'bad_response');
}

/** Options of {@link writeOnce}. */
export interface WriteOnceOptions<T> {
  /** The vendor write (not retried blindly). */
  write: () => Promise<T>;
  /** Finds the record the write would have made, by the external reference stamped on it. */
  lookup: () => Promise<T | null>;
  /** Writes at most this many times (default 3). */
  attempts?: number;
  /** Wait before looking up, doubled each time (default 200 ms). */
  delayMs?: number;
}

/**
 * Writes, and when the outcome is unknown (timeout, dropped connection, 5xx, unreadable answer)
 * looks the record up by its external reference before writing again, so a lost response never
 * makes a second record. Throws the last error when every attempt fails.
 */
export async function writeOnce<T>(options: WriteOnceOptions<T>): Promise<T> {
  const attempts = options.attempts ?? 3;
  let delay = options.delayMs ?? 200;
  for (let attempt = 1; ; attempt++) {
    try {
      return await options.write();
    } catch (e) {
      if (!isAmbiguousWriteFailure(e)) throw e;
      await sleep(delay);
      delay *= 2;
      const found = await options.lookup();
      if (found) return found;
      if (attempt >= attempts) throw e;
    }
  }
}

/**
 * A compound write (several vendor calls for one command) that stopped part-way and could not be
 * undone: `completed` lists the records the vendor did write, `failedStep` names the step that
 * failed. Kind, status, vendor code and field errors are those of the failed step's error (the
 * `cause`), so callers handle it like that error and can still report exactly what happened.
 */
export class PartialWriteError extends ConnectorError {
  readonly completed: RecordRef[];
  readonly failedStep: string;

  constructor(init: { cause: ConnectorError; completed: RecordRef[]; failedStep: string; message: string }) {
    super({
      kind: init.cause.kind,
      vendor: init.cause.vendor,
      operation: init.cause.operation,
      message: init.message,
      ...(init.cause.status !== undefined ? { status: init.cause.status } : {}),
      ...(init.cause.retryAfterMs !== undefined ? { retryAfterMs: init.cause.retryAfterMs } : {}),
      fieldErrors: init.cause.fieldErrors,
      ...(init.cause.vendorCode !== undefined ? { vendorCode: init.cause.vendorCode } : {}),
      cause: init.cause,
    });
    this.completed = init.completed;
    this.failedStep = init.failedStep;
  }
}
