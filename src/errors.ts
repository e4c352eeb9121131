/**
 * Errors as clients see them. Three channels (style guide §23): business refusals go into
 * `userErrors` (mutations, later); expected system failures are GraphQLErrors with a stable
 * `extensions.code` (and `extensions.system` when one source system is to blame); everything else
 * is masked as `INTERNAL_SERVER_ERROR`. Upstream URLs, bodies, tokens, vendor messages and zod
 * issues are logged, never returned.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { pathToArray } from 'graphql/jsutils/Path.js';
import type { Context } from './context.js';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ConnectorError, type ConnectorErrorKind } from '../connectors/types.js';
import { VENDOR_TITLES, type VendorKey } from '../connectors/vendors.js';
import { sourceSystemOf } from './ids.js';
import { LIMIT_ERROR_CODES } from './limits/codes.js';

/** The stable codes of errors FieldGraph returns on purpose. */
export const PUBLIC_ERROR_CODES = [
  'BAD_USER_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'NOT_SUPPORTED',
  'UPSTREAM_UNAVAILABLE',
  'UPSTREAM_TIMEOUT',
  'UPSTREAM_RATE_LIMITED',
  'UPSTREAM_BAD_RESPONSE',
  'SERVICE_UNAVAILABLE',
  'INTERNAL_SERVER_ERROR',
] as const;

/** One of {@link PUBLIC_ERROR_CODES}. */
export type PublicErrorCode = (typeof PUBLIC_ERROR_CODES)[number];

/** The public code of each connector failure kind. */
export const CODE_OF_KIND: Record<ConnectorErrorKind, PublicErrorCode> = {
  unauthorized: 'UNAUTHENTICATED',
  forbidden: 'FORBIDDEN',
  not_found: 'NOT_FOUND',
  rate_limited: 'UPSTREAM_RATE_LIMITED',
  timeout: 'UPSTREAM_TIMEOUT',
  unavailable: 'UPSTREAM_UNAVAILABLE',
  bad_response: 'UPSTREAM_BAD_RESPONSE',
  invalid_request: 'BAD_USER_INPUT',
  conflict: 'CONFLICT',
};

const MESSAGES: Record<ConnectorErrorKind, (system: string) => string> = {
  unauthorized: (s) => `${s} refused FieldGraph's credentials.`,
  forbidden: (s) => `${s} does not allow this read.`,
  not_found: (s) => `${s} has no such record.`,
  rate_limited: (s) => `${s} is limiting requests; try again later.`,
  timeout: (s) => `${s} did not answer in time.`,
  unavailable: (s) => `${s} is unavailable; try again later.`,
  bad_response: (s) => `${s} sent a response FieldGraph could not read.`,
  invalid_request: (s) => `${s} refused the request as invalid.`,
  conflict: (s) => `${s} refused the request: it conflicts with the record's current state.`,
};

/**
 * A relation a source system cannot read (no endpoint or filter for it, and no bounded way
 * around). Thrown by the loaders; public code `NOT_SUPPORTED`.
 */
export class RelationNotSupportedError extends Error {
  override readonly name = 'RelationNotSupportedError';

  constructor(
    readonly vendor: VendorKey,
    /** e.g. `appointment<-technician`. */
    readonly relation: string,
  ) {
    super(`${VENDOR_TITLES[vendor]} cannot list ${relation}`);
  }
}

/** Codes of Apollo Server's own request errors, safe to return as they are. */
const APOLLO_REQUEST_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

// The limits' refusals (src/limits/codes.ts) are deliberate too.
const SAFE_CODES = new Set<string>([...PUBLIC_ERROR_CODES.filter((c) => c !== 'INTERNAL_SERVER_ERROR'), ...APOLLO_REQUEST_CODES, ...LIMIT_ERROR_CODES]);

/** Extension keys a deliberate error may carry to the client. */
const SAFE_EXTENSIONS = ['code', 'system', 'retryAfterSeconds'] as const;

/**
 * The public form of an expected failure: a {@link ConnectorError} or a
 * {@link RelationNotSupportedError} becomes a GraphQLError with a fixed message, `code` and
 * `system`; undefined for anything else. Nothing of the vendor's message or body is kept.
 */
export function toPublicError(error: unknown): GraphQLError | undefined {
  if (error instanceof ConnectorError) {
    const extensions: Record<string, unknown> = { code: CODE_OF_KIND[error.kind], system: sourceSystemOf(error.vendor) };
    if (error.kind === 'rate_limited' && error.retryAfterMs !== undefined) extensions.retryAfterSeconds = Math.ceil(error.retryAfterMs / 1000);
    return new GraphQLError(MESSAGES[error.kind](VENDOR_TITLES[error.vendor]), { extensions });
  }
  if (error instanceof RelationNotSupportedError) {
    return new GraphQLError(`${VENDOR_TITLES[error.vendor]} cannot list this relation (${error.relation}).`, {
      extensions: { code: 'NOT_SUPPORTED', system: sourceSystemOf(error.vendor) },
    });
  }
  return undefined;
}

/** Where unexpected errors are reported (never to the client). */
export type ErrorLogger = (message: string, error: unknown) => void;

function pickExtensions(extensions: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of SAFE_EXTENSIONS) if (extensions?.[key] !== undefined) out[key] = extensions[key];
  return out;
}

function located(formatted: GraphQLFormattedError): Pick<GraphQLFormattedError, 'locations' | 'path'> {
  return { ...(formatted.locations ? { locations: formatted.locations } : {}), ...(formatted.path ? { path: formatted.path } : {}) };
}

/**
 * Apollo Server's `formatError`: maps connector failures to their public codes, passes deliberate
 * GraphQLErrors (a code of {@link PUBLIC_ERROR_CODES} or one of Apollo's request errors) through
 * with only their safe extensions, and masks everything else as `INTERNAL_SERVER_ERROR` after
 * logging it with `log`.
 */
export function createFormatError(log: ErrorLogger): (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError {
  return (formatted, error) => {
    const original = unwrapResolverError(error);
    const mapped = toPublicError(original);
    if (mapped) {
      if (original instanceof ConnectorError && original.kind === 'bad_response') log('upstream response not readable', original);
      return { message: mapped.message, ...located(formatted), extensions: pickExtensions(mapped.extensions) };
    }
    const code = original instanceof GraphQLError ? original.extensions.code : undefined;
    if (typeof code === 'string' && SAFE_CODES.has(code)) {
      return { message: formatted.message, ...located(formatted), extensions: pickExtensions({ ...formatted.extensions, code }) };
    }
    log('unexpected error', original);
    return { message: 'Internal server error', ...located(formatted), extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}

/**
 * The Apollo plugin that adds a request's side errors (failures reported beside data that still
 * answers, see `Context.sideErrors`) to the response's `errors`, formatted like every other error.
 */
export function sideErrorsPlugin(log: ErrorLogger): ApolloServerPlugin<Context> {
  const format = createFormatError(log);
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          if (response.body.kind !== 'single' || contextValue.sideErrors.length === 0) return;
          const added = contextValue.sideErrors.map(({ error, path }) => format({ message: 'side error', path: pathToArray(path) }, error));
          const result = response.body.singleResult;
          result.errors = [...(result.errors ?? []), ...added];
        },
      };
    },
  };
}
