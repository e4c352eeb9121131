/**
 * Readiness: every configured vendor reachable and authenticated. Each connector's `ping()` (a
 * sign-in or a cached token, and one cheap authenticated call) runs in parallel with a timeout;
 * the result is shared by concurrent probes and kept for a few seconds, so a storm of probes makes
 * one round of vendor calls. The report names each system, whether it is ready and, when not, the
 * public error code: never a vendor message or URL.
 */
import { ConnectorError } from '../../connectors/types.js';
import type { VendorKey } from '../../connectors/vendors.js';
import { CODE_OF_KIND, type PublicErrorCode } from '../errors.js';
import { sourceSystemOf } from '../ids.js';
import type { Connectors } from '../loaders/index.js';

/** The readiness of one system. */
export interface SystemReadiness {
  /** The `SourceSystem` value, e.g. `SERVICETITAN`. */
  system: string;
  ready: boolean;
  /** Why not, as a public error code (absent when ready). */
  code?: PublicErrorCode;
}

/** The result of one readiness check. */
export interface ReadinessReport {
  ready: boolean;
  systems: SystemReadiness[];
}

/** Options of {@link createReadiness}. */
export interface ReadinessOptions {
  /** The connectors to ping (built once per check). */
  connectors: () => Connectors;
  /** Per-vendor limit of one ping in ms (default 5 s): a slower vendor is `UPSTREAM_TIMEOUT`. */
  timeoutMs?: number;
  /** How long a result is reused in ms (default 5 s). */
  cacheMs?: number;
  /** Called with each vendor that is not ready and its error (for logs); `undefined` when the connectors could not be built. */
  onFailure?: (vendor: VendorKey | undefined, error: unknown) => void;
  /** Called with every fresh report (for metrics). */
  onReport?: (report: ReadinessReport, vendors: VendorKey[]) => void;
  now?: () => number;
}

/** The readiness check of a server. */
export interface Readiness {
  /** The current report: cached, shared with a check in flight, or fresh. Never throws. */
  check(): Promise<ReadinessReport>;
}

class PingTimeout extends Error {
  override readonly name = 'PingTimeout';
}

function codeOf(error: unknown): PublicErrorCode {
  if (error instanceof PingTimeout) return 'UPSTREAM_TIMEOUT';
  if (error instanceof ConnectorError) return CODE_OF_KIND[error.kind];
  return 'INTERNAL_SERVER_ERROR';
}

async function pingWithin(ping: () => Promise<void>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const call = ping();
  // A ping that outlives its timeout still settles later; nobody waits for it then.
  call.catch(() => {});
  try {
    await Promise.race([call, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new PingTimeout(`ping took over ${timeoutMs} ms`)), timeoutMs)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** Builds the readiness check. */
export function createReadiness(options: ReadinessOptions): Readiness {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const cacheMs = options.cacheMs ?? 5_000;
  const now = options.now ?? Date.now;
  let last: { at: number; report: ReadinessReport } | undefined;
  let inflight: Promise<ReadinessReport> | undefined;

  async function run(): Promise<ReadinessReport> {
    let connectors: Connectors;
    try {
      connectors = options.connectors();
    } catch (e) {
      options.onFailure?.(undefined, e);
      return { ready: false, systems: [] };
    }
    const vendors = (Object.keys(connectors) as VendorKey[]).filter((v) => connectors[v] !== undefined).sort();
    const systems = await Promise.all(
      vendors.map(async (vendor): Promise<SystemReadiness> => {
        try {
          await pingWithin(() => connectors[vendor]!.ping(), timeoutMs);
          return { system: sourceSystemOf(vendor), ready: true };
        } catch (e) {
          options.onFailure?.(vendor, e);
          return { system: sourceSystemOf(vendor), ready: false, code: codeOf(e) };
        }
      }),
    );
    const report = { ready: systems.every((s) => s.ready), systems };
    options.onReport?.(report, vendors);
    return report;
  }

  return {
    check() {
      if (last && now() - last.at < cacheMs) return Promise.resolve(last.report);
      if (!inflight) {
        inflight = run().then((report) => {
          last = { at: now(), report };
          inflight = undefined;
          return report;
        });
      }
      return inflight;
    },
  };
}
