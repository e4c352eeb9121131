/**
 * The connectors' hooks (`ClientEvents`, called by the HTTP core for every vendor call, retry and
 * circuit change) turned into metrics and log lines. The hooks receive no URL, body or credential:
 * a line names the vendor, the operation (the endpoint template, e.g. `jobs.list`), the method,
 * status, duration and attempt, inside the request's logger when a request caused the call.
 */
import type { ClientEvents } from '../../connectors/core/http-client.js';
import { loggerFor, type Logger } from './log.js';
import type { Metrics } from './metrics.js';

/**
 * One events object for the life of a server (the session vendors' token caches are keyed by it,
 * so a new object per request would sign in again every request). `also` (e.g. a test's hooks) is
 * called after each.
 */
export function upstreamEvents(metrics: Metrics, root: Logger, also?: ClientEvents): ClientEvents {
  return {
    onResponse(e) {
      metrics.upstreamRequests.inc({ vendor: e.vendor, operation: e.operation, method: e.method, status: String(e.status) });
      metrics.upstreamDuration.observe({ vendor: e.vendor, operation: e.operation }, e.durationMs / 1000);
      const fields = { vendor: e.vendor, operation: e.operation, method: e.method, status: e.status, durationMs: e.durationMs, attempt: e.attempt };
      const log = loggerFor(root);
      if (e.status === 0 || e.status >= 500) log.warn(fields, 'upstream call failed');
      else if (e.status === 401 || e.status === 403 || e.status === 429) log.info(fields, 'upstream call refused');
      else log.debug(fields, 'upstream call');
      also?.onResponse?.(e);
    },
    onRetry(e) {
      metrics.upstreamRetries.inc({ vendor: e.vendor, operation: e.operation, reason: e.reason });
      loggerFor(root).info({ vendor: e.vendor, operation: e.operation, attempt: e.attempt, delayMs: e.delayMs, reason: e.reason }, 'upstream retry');
      also?.onRetry?.(e);
    },
    onBreaker(e) {
      metrics.setBreakerState(e.vendor, e.state);
      const log = loggerFor(root);
      if (e.state === 'open') log.warn({ vendor: e.vendor, state: e.state }, 'upstream circuit opened');
      else log.info({ vendor: e.vendor, state: e.state }, 'upstream circuit changed');
      also?.onBreaker?.(e);
    },
  };
}
