/**
 * Prometheus metrics of one server: a prom-client registry of its own (not the global one, so a
 * test process can run several servers), the default process metrics, and FieldGraph's own
 * instruments, all with bounded label sets (route, operation type, status, schema coordinate,
 * vendor, connector operation name, loader name, cache name; never an id, a URL or a client's
 * operation name). Served at `GET /metrics` by `src/server.ts`.
 */
import { performance } from 'node:perf_hooks';
import type { ApolloServerPlugin } from '@apollo/server';
import { isObjectType, type GraphQLSchema } from 'graphql';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { BreakerState } from '../../connectors/core/resilience.js';
import type { VendorKey } from '../../connectors/vendors.js';
import { currentScope, loggerFor, type Logger } from './log.js';

const SECONDS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const BREAKER_STATES: readonly BreakerState[] = ['closed', 'open', 'half_open'];

/** The metrics of one server. */
export class Metrics {
  /** The registry `GET /metrics` serves. */
  readonly registry = new Registry();

  /** `fieldgraph_http_request_duration_seconds{route, operation_type, status}`: every HTTP request. */
  readonly httpDuration = new Histogram({
    name: 'fieldgraph_http_request_duration_seconds',
    help: 'HTTP request duration in seconds, by route (graphql, ide, metrics, healthz, readyz, other), GraphQL operation type (query, mutation, subscription; none when the request carried no valid operation) and status code.',
    labelNames: ['route', 'operation_type', 'status'] as const,
    buckets: SECONDS,
    registers: [this.registry],
  });

  /** `fieldgraph_http_requests_in_flight{route}`. */
  readonly httpInFlight = new Gauge({
    name: 'fieldgraph_http_requests_in_flight',
    help: 'HTTP requests being served, by route.',
    labelNames: ['route'] as const,
    registers: [this.registry],
  });

  /** `fieldgraph_graphql_resolver_duration_seconds{parent_type, field}`: resolvers that returned a promise (I/O). */
  readonly resolverDuration = new Histogram({
    name: 'fieldgraph_graphql_resolver_duration_seconds',
    help: 'Duration of GraphQL field resolvers that do I/O (return a promise, or a list of promises), in seconds, by parent type and field.',
    labelNames: ['parent_type', 'field'] as const,
    buckets: SECONDS,
    registers: [this.registry],
  });

  /** `fieldgraph_graphql_errors_total{code}`: errors in responses, by `extensions.code`. */
  readonly graphqlErrors = new Counter({
    name: 'fieldgraph_graphql_errors_total',
    help: 'Errors returned in GraphQL responses, by extensions.code.',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });

  /** `fieldgraph_upstream_requests_total{vendor, operation, method, status}`: every vendor call attempt (status 0: no response). */
  readonly upstreamRequests = new Counter({
    name: 'fieldgraph_upstream_requests_total',
    help: 'Calls to vendor APIs (each attempt), by vendor, operation (the endpoint template, e.g. jobs.list), HTTP method and status (0: no response: timeout or connection failure).',
    labelNames: ['vendor', 'operation', 'method', 'status'] as const,
    registers: [this.registry],
  });

  /** `fieldgraph_upstream_request_duration_seconds{vendor, operation}`. */
  readonly upstreamDuration = new Histogram({
    name: 'fieldgraph_upstream_request_duration_seconds',
    help: 'Duration of vendor API calls (each attempt) in seconds, by vendor and operation.',
    labelNames: ['vendor', 'operation'] as const,
    buckets: SECONDS,
    registers: [this.registry],
  });

  /** `fieldgraph_upstream_retries_total{vendor, operation, reason}`. */
  readonly upstreamRetries = new Counter({
    name: 'fieldgraph_upstream_retries_total',
    help: 'Retries of vendor API calls, by vendor, operation and the failure kind that caused them.',
    labelNames: ['vendor', 'operation', 'reason'] as const,
    registers: [this.registry],
  });

  /** `fieldgraph_upstream_breaker_state{vendor, state}`: 1 for the vendor's current circuit state, 0 for the others. */
  readonly breakerState = new Gauge({
    name: 'fieldgraph_upstream_breaker_state',
    help: 'Circuit breaker state per vendor: 1 for the current state (closed, open, half_open), 0 for the others.',
    labelNames: ['vendor', 'state'] as const,
    registers: [this.registry],
  });

  /** `fieldgraph_upstream_ready{vendor}`: the last readiness check, 1 ready, 0 not. */
  readonly vendorReady = new Gauge({
    name: 'fieldgraph_upstream_ready',
    help: 'Result of the last readiness check per vendor (1: reachable and authenticated).',
    labelNames: ['vendor'] as const,
    registers: [this.registry],
  });

  /** `fieldgraph_loader_batch_size{loader}`: keys per DataLoader batch. */
  readonly loaderBatchSize = new Histogram({
    name: 'fieldgraph_loader_batch_size',
    help: 'Keys per DataLoader batch, by loader (entity kind, or child<-parent for relations).',
    labelNames: ['loader'] as const,
    buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500],
    registers: [this.registry],
  });

  /** `fieldgraph_cache_hits_total{cache}`. */
  readonly cacheHits = new Counter({
    name: 'fieldgraph_cache_hits_total',
    help: 'Shared cache hits, by cache.',
    labelNames: ['cache'] as const,
    registers: [this.registry],
  });

  /** `fieldgraph_cache_misses_total{cache}` (a cache failure counts as a miss). */
  readonly cacheMisses = new Counter({
    name: 'fieldgraph_cache_misses_total',
    help: 'Shared cache misses (including cache failures), by cache.',
    labelNames: ['cache'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** Records the circuit state of `vendor`. */
  setBreakerState(vendor: VendorKey, state: BreakerState): void {
    for (const s of BREAKER_STATES) this.breakerState.set({ vendor, state: s }, s === state ? 1 : 0);
  }

  /** Counts a shared-cache lookup of `cache` (e.g. `customer`) that found its entry, or not. */
  cacheLookup(cache: string, hit: boolean): void {
    (hit ? this.cacheHits : this.cacheMisses).inc({ cache });
  }

  /** The Prometheus text exposition of every metric. */
  text(): Promise<string> {
    return this.registry.metrics();
  }
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/**
 * Wraps every field resolver of `schema` (in place; call it on a schema of its own) so that a
 * resolver returning a promise, or a list holding promises, has its duration observed in
 * `metrics.resolverDuration` when they settle. Synchronous resolvers and fields without a resolver
 * (property reads) are left alone and cost nothing.
 */
export function instrumentResolvers(schema: GraphQLSchema, metrics: Metrics): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const resolve = field.resolve;
      if (!resolve) continue;
      const timer = metrics.resolverDuration.labels({ parent_type: type.name, field: field.name });
      field.resolve = (source, args, context, info) => {
        const started = performance.now();
        const result: unknown = resolve(source, args, context, info);
        const done = (): void => timer.observe((performance.now() - started) / 1000);
        if (isPromiseLike(result)) {
          result.then(done, done);
        } else if (Array.isArray(result) && result.some(isPromiseLike)) {
          void Promise.allSettled(result).then(done);
        }
        return result;
      };
    }
  }
  return schema;
}

/**
 * The Apollo plugin of metrics and operation logs: records the operation's type and name in the
 * request scope (for the HTTP metric and the request log), logs the operation at debug (name, type
 * and the document's hash, never the document or its variables) and counts the response's errors
 * by code. Install it after the plugins that add errors.
 */
export function operationsPlugin(metrics: Metrics, root: Logger): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, operationName, queryHash }) {
          const operationType = operation?.operation;
          const scope = currentScope();
          if (scope) {
            if (operationType) scope.operationType = operationType;
            if (operationName) scope.operationName = operationName.slice(0, 100);
          }
          loggerFor(root).debug({ operationType, operationName: operationName?.slice(0, 100), documentHash: queryHash.slice(0, 16) }, 'graphql operation');
        },
        async willSendResponse({ response }) {
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors : response.body.initialResult.errors;
          for (const e of errors ?? []) {
            const code = e.extensions?.code;
            metrics.graphqlErrors.inc({ code: typeof code === 'string' && /^[A-Z_]{1,40}$/.test(code) ? code : 'OTHER' });
          }
        },
      };
    },
  };
}
