/**
 * Logs: pino JSON lines, one logger for the process and a child per HTTP request carrying its
 * request id. What is logged is chosen field by field (method, path without query string, status,
 * duration, vendor, operation name, error kind); request and response bodies, GraphQL documents
 * and variables, headers, upstream URLs and anything a vendor returned are never handed to the
 * logger. Redaction by key (`REDACT_PATHS`) is the second line of defence, and error messages,
 * the one free text that reaches the logs, lose URL query strings, URL credentials and bearer
 * tokens ({@link scrubText}).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/** Log levels, quietest last (`LOG_LEVEL`). */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** One of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number];

// Keys that hold secrets or personal data, wherever they appear at the top level or one level
// down. Nothing in FieldGraph logs such keys; these paths catch a mistake.
const SENSITIVE_KEYS = [
  'authorization',
  'cookie',
  'password',
  'secret',
  'clientSecret',
  'client_secret',
  'totpSecret',
  'token',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'apiKey',
  'appKey',
  'variables',
  'query',
  'body',
  'email',
  'phone',
  'address',
  'addresses',
  'firstName',
  'lastName',
  'customerName',
  'paymentToken',
  'paymentMethod',
  'cardNumber',
];

/** pino `redact` paths: the sensitive keys at the top level and one level down, and request/response headers. */
export const REDACT_PATHS: readonly string[] = [
  ...SENSITIVE_KEYS,
  ...SENSITIVE_KEYS.map((k) => `*.${k}`),
  '*.name',
  'req.headers',
  'res.headers',
  'headers',
  '*.headers',
];

/**
 * Removes secrets from free text (error messages and stacks): query strings and credentials of
 * URLs, and `Bearer`/`Basic` credentials. Pure.
 */
export function scrubText(text: string): string {
  return text
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@'"]*@)?([^\s?#'"]*)(\?[^\s#'"]*)?/gi, (_m, scheme: string, userinfo: string | undefined, rest: string, query: string | undefined) =>
      `${scheme}${userinfo ? '[redacted]@' : ''}${rest}${query ? '?[redacted]' : ''}`,
    )
    .replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 [redacted]');
}

// Properties of errors worth logging: the connector error's classification and Node's codes. A
// ConnectorError's `fieldErrors` (vendor validation messages, which may quote input) and any
// `body` (body-parser keeps the raw request body on its errors) are left out on purpose.
const ERROR_FIELDS = ['kind', 'vendor', 'operation', 'status', 'statusCode', 'code', 'vendorCode', 'retryAfterMs', 'type'] as const;

/**
 * The log form of an error: type, scrubbed message and stack, the classification fields of
 * {@link ERROR_FIELDS} and the cause chain (three levels). Never the error's other properties.
 */
export function serializeError(error: unknown, depth = 0): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error, message: scrubText(String(error)) };
  const out: Record<string, unknown> = { type: error.name, message: scrubText(error.message) };
  const fields = error as unknown as Record<string, unknown>;
  for (const key of ERROR_FIELDS) {
    const value = fields[key];
    if (typeof value === 'string' || typeof value === 'number') out[key === 'type' ? 'errorType' : key] = value;
  }
  if (error.stack) out.stack = scrubText(error.stack);
  if (error.cause !== undefined && depth < 3) out.cause = serializeError(error.cause, depth + 1);
  return out;
}

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Default `info`. */
  level?: LogLevel;
  /** Where lines go (default stdout); tests pass a stream that collects them. */
  destination?: DestinationStream;
}

/**
 * A root logger: JSON lines with an ISO time, the level as a word, the redaction of
 * {@link REDACT_PATHS} and the error serializer under `err`.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const settings = {
    level: options.level ?? 'info',
    base: { service: 'fieldgraph' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    redact: { paths: [...REDACT_PATHS], censor: '[redacted]' },
    serializers: { err: (e: unknown) => serializeError(e) },
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}

let silent: Logger | undefined;

/**
 * The logger of servers built without one (tests, benchmarks): silent. The process's logger, at
 * the configured level, is made once by the gateway (`src/gateway.ts`).
 */
export function silentLogger(): Logger {
  return (silent ??= createLogger({ level: 'silent' }));
}

/** What one HTTP request carries through its async work. */
export interface RequestScope {
  /** The request id (the well-formed incoming `x-request-id`, or a new UUID). */
  id: string;
  /** The request's child logger (`reqId` on every line). */
  log: Logger;
  /** What the request is for, a bounded label: `graphql`, `ide`, `metrics`, `healthz`, `readyz`, `other`. */
  route: string;
  /** The GraphQL operation type, once Apollo resolved it. */
  operationType?: string;
  /** The GraphQL operation name, once Apollo resolved it (client-chosen; logged, never a metric label). */
  operationName?: string;
  /**
   * The client prefers `application/json` to `application/graphql-response+json` (or sent no
   * Accept): request errors are then answered with 200 (GraphQL over HTTP, legacy JSON).
   */
  legacyJson?: boolean;
}

const scopes = new AsyncLocalStorage<RequestScope>();

/** Runs `fn` inside `scope`: everything it starts, synchronously or not, sees the scope. */
export function runInScope<T>(scope: RequestScope, fn: () => T): T {
  return scopes.run(scope, fn);
}

/** The scope of the HTTP request being served, if any. */
export function currentScope(): RequestScope | undefined {
  return scopes.getStore();
}

/** The current request's logger, or `root` outside a request. */
export function loggerFor(root: Logger): Logger {
  return scopes.getStore()?.log ?? root;
}

const REQUEST_ID = /^[A-Za-z0-9+/=._:-]{1,128}$/;

/** The request id to use: `incoming` when it is well formed (1-128 of `A-Za-z0-9+/=._:-`), else a new UUID. */
export function requestIdFrom(incoming: string | string[] | undefined): string {
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}
