/**
 * The stable `extensions.code`s of requests refused by the limits (`src/limits/`), before anything
 * executes, and the helper that builds such a refusal.
 */
import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';

/** Codes of the limits' refusals, returned as they are by `formatError`. */
export const LIMIT_ERROR_CODES = [
  'QUERY_TOO_DEEP',
  'TOO_MANY_ALIASES',
  'TOO_MANY_TOKENS',
  'TOO_MANY_DIRECTIVES',
  'QUERY_TOO_COSTLY',
  'INTROSPECTION_TOO_COMPLEX',
  'BATCHING_NOT_SUPPORTED',
  'VARIABLES_TOO_LARGE',
  'RATE_LIMITED',
  'PERSISTED_QUERY_REQUIRED',
  'PERSISTED_QUERY_NOT_FOUND',
] as const;

/** One of {@link LIMIT_ERROR_CODES}. */
export type LimitErrorCode = (typeof LIMIT_ERROR_CODES)[number];

/** HTTP status of each refusal: 429 for the budget, 413 for sizes, 400 otherwise. */
export const STATUS_OF_CODE: Record<LimitErrorCode, number> = {
  QUERY_TOO_DEEP: 400,
  TOO_MANY_ALIASES: 400,
  TOO_MANY_TOKENS: 400,
  TOO_MANY_DIRECTIVES: 400,
  QUERY_TOO_COSTLY: 400,
  INTROSPECTION_TOO_COMPLEX: 400,
  BATCHING_NOT_SUPPORTED: 400,
  VARIABLES_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  PERSISTED_QUERY_REQUIRED: 400,
  PERSISTED_QUERY_NOT_FOUND: 400,
};

/** A refusal as thrown from an Apollo plugin hook: the code, its HTTP status, and `Retry-After` when given. */
export function limitError(code: LimitErrorCode, message: string, retryAfterSeconds?: number): GraphQLError {
  const headers = new HeaderMap();
  if (retryAfterSeconds !== undefined) headers.set('retry-after', String(retryAfterSeconds));
  const extensions: Record<string, unknown> = {
    code,
    // Read (and removed from the response) by Apollo Server: the status and headers of the answer.
    http: { status: STATUS_OF_CODE[code], headers },
  };
  if (retryAfterSeconds !== undefined) extensions.retryAfterSeconds = retryAfterSeconds;
  return new GraphQLError(message, { extensions });
}
