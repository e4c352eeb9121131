/**
 * Injected faults per vendor: latency, 5xx, timeouts, malformed bodies, dropped responses, rate
 * limits and token expiry. Set at start (configuration) or at run time (`PUT /_sandbox/faults`).
 */
import { z } from 'zod';
import { VENDOR_KEYS, type VendorKey } from '../vendors.js';

/** The faults of one vendor. Rates are probabilities per call, in [0, 1]. */
export const VendorFaultsSchema = z.object({
  /** Every call's time to answer, in milliseconds, the simulator's own work included (done as the call arrives). */
  latencyMs: z.number().min(0).max(60_000).default(0),
  /** Uniform random extra latency in [0, jitterMs]. */
  jitterMs: z.number().min(0).max(60_000).default(0),
  /** Share of calls answered with a 5xx in the vendor's error shape. */
  errorRate: z.number().min(0).max(1).default(0),
  /** Status of injected server errors. */
  errorStatus: z.number().int().min(500).max(599).default(503),
  /** Share of calls that never answer (held until the client gives up, at most `timeoutHoldMs`). */
  timeoutRate: z.number().min(0).max(1).default(0),
  timeoutHoldMs: z.number().int().min(0).max(300_000).default(30_000),
  /** Share of successful calls whose body is replaced by a malformed one (status stays 200). */
  malformedRate: z.number().min(0).max(1).default(0),
  /** Share of calls that are carried out but whose response is lost (connection reset). */
  dropRate: z.number().min(0).max(1).default(0),
  /** The vendor is down: every call gets a 503. */
  down: z.boolean().default(false),
  /** An extra rate limit: at most `limit` calls per `windowMs`, then 429 with Retry-After. */
  rateLimit: z
    .object({ limit: z.number().int().positive(), windowMs: z.number().int().positive() })
    .nullable()
    .default(null),
  /** Lifetime of newly issued tokens, overriding the vendor's (e.g. 2 s to test refresh). */
  tokenTtlSeconds: z.number().int().positive().nullable().default(null),
  /** Applies the faults only to endpoints whose key (`GET /path/{param}`) matches this regex. */
  only: z.string().nullable().default(null),
});

export type VendorFaults = z.infer<typeof VendorFaultsSchema>;

/** Partial faults per vendor, plus `expireTokens: true` to expire every token issued so far. */
export const FaultsPatchSchema = z.partialRecord(
  z.enum(VENDOR_KEYS),
  VendorFaultsSchema.partial().extend({ expireTokens: z.boolean().optional() }),
);
export type FaultsPatch = z.infer<typeof FaultsPatchSchema>;

/** No faults at all. */
export function noFaults(): VendorFaults {
  return VendorFaultsSchema.parse({});
}

/** The faults of all vendors, all off. */
export function allClear(): Record<VendorKey, VendorFaults> {
  return Object.fromEntries(VENDOR_KEYS.map((k) => [k, noFaults()])) as Record<VendorKey, VendorFaults>;
}

/** A fixed-window counter per key, for built-in and injected rate limits. */
export class WindowLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  /** Counts a call; returns the seconds to wait when it is over the limit, else 0. */
  hit(key: string, limit: number, windowMs: number, now = Date.now()): number {
    let w = this.windows.get(key);
    if (!w || now - w.start >= windowMs) {
      w = { start: now, count: 0 };
      this.windows.set(key, w);
      if (this.windows.size > 10_000) this.windows.delete(this.windows.keys().next().value!);
    }
    w.count++;
    if (w.count <= limit) return 0;
    return Math.max(1, Math.ceil((w.start + windowMs - now) / 1000));
  }

  clear(): void {
    this.windows.clear();
  }
}
