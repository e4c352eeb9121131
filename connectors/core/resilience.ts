/**
 * Resilience parts shared by every connector: a token-bucket rate limiter, a retry budget, capped
 * exponential backoff with full jitter, a circuit breaker, and bounded-concurrency mapping.
 */

/** Sleeps `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

/**
 * Token bucket: at most `burst` calls at once, refilled at `perSecond`. Over any second at most
 * `perSecond + burst` calls pass, so `perSecond + burst` at or under the vendor limit keeps us under
 * it. Waiters are served in order.
 */
export class RateLimiter {
  private tokens: number;
  private last = Date.now();
  private queue: Array<() => void> = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly perSecond: number,
    readonly burst: number,
  ) {
    this.tokens = burst;
  }

  private refill(): void {
    const now = Date.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
  }

  /** Resolves when a call may go. */
  acquire(): Promise<void> {
    this.refill();
    if (this.queue.length === 0 && this.tokens >= 1) {
      this.tokens -= 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.queue.push(resolve);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.timer) return;
    this.refill();
    const wait = this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.perSecond) * 1000);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.refill();
      while (this.queue.length > 0 && this.tokens >= 1) {
        this.tokens -= 1;
        this.queue.shift()!();
      }
      if (this.queue.length > 0) this.schedule();
    }, wait);
    this.timer.unref?.();
  }
}

/**
 * Retry budget: every call earns `ratio` of a retry, up to `max` saved; every retry spends one.
 * Under a vendor outage retries stop once the budget is spent instead of multiplying the load.
 */
export class RetryBudget {
  private balance: number;

  constructor(
    private readonly ratio = 0.2,
    private readonly max = 20,
    initial = 10,
  ) {
    this.balance = initial;
  }

  /** Records a first attempt. */
  earn(): void {
    this.balance = Math.min(this.max, this.balance + this.ratio);
  }

  /** Takes one retry from the budget; false when none is left. */
  spend(): boolean {
    if (this.balance < 1) return false;
    this.balance -= 1;
    return true;
  }
}

/** Retry policy of a client. */
export interface RetryPolicy {
  /** Attempts per call, first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 4_000 };

/**
 * Delay before retry number `retry` (1-based): full jitter over a capped exponential, but never
 * less than the vendor's Retry-After.
 */
export function backoffDelay(policy: RetryPolicy, retry: number, retryAfterMs?: number, random: () => number = Math.random): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  const jittered = Math.floor(random() * cap);
  return retryAfterMs !== undefined ? Math.max(retryAfterMs, jittered) : jittered;
}

/** Parses a Retry-After header (seconds or an HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export type BreakerState = 'closed' | 'open' | 'half_open';

/** Options of {@link CircuitBreaker}. */
export interface BreakerOptions {
  /** Consecutive failures that open the circuit. */
  failureThreshold: number;
  /** How long it stays open before one probe is let through. */
  openMs: number;
}

export const DEFAULT_BREAKER: BreakerOptions = { failureThreshold: 5, openMs: 5_000 };

/**
 * Circuit breaker per vendor: after `failureThreshold` consecutive failures it opens and calls fail
 * fast without reaching the vendor; after `openMs` one probe call goes through (half open): success
 * closes it, failure opens it again.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private probing = false;
  state: BreakerState = 'closed';

  constructor(
    readonly options: BreakerOptions = DEFAULT_BREAKER,
    private readonly onChange?: (state: BreakerState) => void,
  ) {}

  /** True when a call may go to the vendor now (a half-open circuit lets one probe through). */
  allow(now = Date.now()): boolean {
    if (this.state === 'closed') return true;
    if (this.state === 'open' && now - this.openedAt >= this.options.openMs) this.set('half_open');
    if (this.state === 'half_open' && !this.probing) {
      this.probing = true;
      return true;
    }
    return false;
  }

  success(): void {
    this.failures = 0;
    this.probing = false;
    if (this.state !== 'closed') this.set('closed');
  }

  failure(now = Date.now()): void {
    this.failures++;
    this.probing = false;
    if (this.state === 'half_open' || this.failures >= this.options.failureThreshold) {
      this.openedAt = now;
      if (this.state !== 'open') this.set('open');
    }
  }

  private set(state: BreakerState): void {
    this.state = state;
    this.onChange?.(state);
  }
}

/**
 * Default number of single reads a connector keeps in flight per batch where the vendor has no
 * batch look-up (`ConnectorOptions.concurrency`). A request's batch of one vendor's records (a page
 * of 50 across five systems holds about ten of each) then goes out in one round trip instead of
 * two; the client-side rate limit, not this cap, keeps the calls within the vendor's quota.
 */
export const DEFAULT_READ_CONCURRENCY = 16;

/** Maps `items` with at most `limit` calls in flight, keeping order. */
export async function mapWithConcurrency<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!, i);
    }
  });
  await Promise.all(workers);
  return results;
}

/** Splits `items` into chunks of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
