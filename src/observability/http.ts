/**
 * The HTTP side of observability: the middleware every request goes through first (request id,
 * request scope, duration metric, one log line), and the operations routes `GET /healthz`,
 * `GET /readyz` and `GET /metrics`.
 */
import { performance } from 'node:perf_hooks';
import type { Express, Request, RequestHandler } from 'express';
import type { Readiness } from './health.js';
import { requestIdFrom, runInScope, type Logger, type RequestScope } from './log.js';
import type { Metrics } from './metrics.js';

/** Routes whose requests are logged at debug only (probes and scrapes, many a minute). */
const QUIET_ROUTES = new Set(['healthz', 'readyz', 'metrics']);

/** Options of {@link observeRequests}. */
export interface ObserveOptions {
  logger: Logger;
  metrics: Metrics;
  /** The bounded route label of a request (`graphql`, `ide`, `metrics`, …). */
  route: (req: Request) => string;
}

/**
 * The first middleware: takes the well-formed incoming `x-request-id` or makes one and echoes it
 * in the response, runs the rest of the request in its scope (its child logger with `reqId`),
 * counts it in flight, and when the response is finished (or the client went away) observes
 * `fieldgraph_http_request_duration_seconds` and logs one line: method, path (never the query
 * string, which may carry a GET request's variables), status, duration, operation type and name.
 */
export function observeRequests(options: ObserveOptions): RequestHandler {
  const { logger, metrics } = options;
  return (req, res, next) => {
    const id = requestIdFrom(req.headers['x-request-id']);
    res.setHeader('x-request-id', id);
    const route = options.route(req);
    // Read now: mounted routers rewrite the path while the request is served.
    const path = req.path.slice(0, 200);
    const scope: RequestScope = { id, log: logger.child({ reqId: id }), route };
    const started = performance.now();
    metrics.httpInFlight.inc({ route });
    let ended = false;
    const end = (aborted: boolean): void => {
      if (ended) return;
      ended = true;
      metrics.httpInFlight.dec({ route });
      const seconds = (performance.now() - started) / 1000;
      const status = aborted ? 499 : res.statusCode;
      metrics.httpDuration.observe({ route, operation_type: scope.operationType ?? 'none', status: String(status) }, seconds);
      const fields = {
        method: req.method,
        path,
        status,
        durationMs: Math.round(seconds * 1000),
        ...(scope.operationType ? { operationType: scope.operationType } : {}),
        ...(scope.operationName ? { operationName: scope.operationName } : {}),
      };
      const message = aborted ? 'request aborted' : 'request completed';
      if (status >= 500) scope.log.warn(fields, message);
      else if (QUIET_ROUTES.has(route)) scope.log.debug(fields, message);
      else scope.log.info(fields, message);
    };
    res.once('finish', () => end(false));
    res.once('close', () => end(!res.writableFinished));
    runInScope(scope, next);
  };
}

/** Options of {@link mountOperationsRoutes}. */
export interface OperationsRoutesOptions {
  metrics: Metrics;
  readiness: Readiness;
  /** True once the server is shutting down: `/readyz` then answers 503 without asking the vendors. */
  draining: () => boolean;
}

/**
 * Mounts `GET /healthz` (the process answers: 200 `{status: "ok"}`), `GET /readyz` (200
 * `{status: "ready", systems}` when every configured vendor is reachable and authenticated, else
 * 503 `{status: "not_ready" | "draining", systems}`, each system `{system, ready, code?}`) and
 * `GET /metrics` (Prometheus text format).
 */
export function mountOperationsRoutes(app: Express, options: OperationsRoutesOptions): void {
  app.get('/healthz', (_req, res) => {
    res.set('cache-control', 'no-store').json({ status: 'ok' });
  });
  app.get('/readyz', (_req, res, next) => {
    res.set('cache-control', 'no-store');
    if (options.draining()) {
      res.status(503).json({ status: 'draining', systems: [] });
      return;
    }
    options.readiness.check().then((report) => {
      res.status(report.ready ? 200 : 503).json({ status: report.ready ? 'ready' : 'not_ready', systems: report.systems });
    }, next);
  });
  app.get('/metrics', (_req, res, next) => {
    options.metrics.text().then((text) => {
      res.set({ 'content-type': options.metrics.registry.contentType, 'cache-control': 'no-store' }).send(text);
    }, next);
  });
}
