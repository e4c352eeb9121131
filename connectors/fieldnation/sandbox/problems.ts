/**
 * Field Nation's error shape: RFC 9457 problem details (`application/problem+json`) with the
 * vendor's extension members `code`, `retryable`, `correlationId`, `errors[]` and, on 429, an
 * `agent` retry hint.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { HttpError, type ResponseDoc, type VendorErrors } from '../../sandbox/kit.js';

/** Content type of every error body. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Error codes the simulator uses. */
export type ProblemCode =
  | 'VALIDATION_ERROR'
  | 'EXPIRED_TOKEN'
  | 'UNSUPPORTED_GRANT_TYPE'
  | 'UNAUTHORIZED'
  | 'INVALID_CLIENT'
  | 'INVALID_CREDENTIALS'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'INVALID_STATE_TRANSITION'
  | 'UNPROCESSABLE_ENTITY'
  | 'RATE_LIMIT_EXCEEDED'
  | 'INTERNAL_ERROR'
  | 'SERVICE_UNAVAILABLE';

/** A field-level error inside a problem. */
export interface FieldError {
  field: string;
  message: string;
}

/** The problem body schema, for the OpenAPI document. */
export const ProblemSchema = z.object({
  type: z.string().describe('URI of the error code documentation.'),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.string().describe('Stable error code, e.g. RATE_LIMIT_EXCEEDED.'),
  retryable: z.boolean(),
  correlationId: z.string(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })),
  agent: z
    .object({ action: z.literal('RETRY'), backoffMs: z.number().int(), maxAttempts: z.number().int() })
    .optional()
    .describe('Retry hint for automated clients (429 only).'),
});

/** A problem body. */
export type Problem = z.infer<typeof ProblemSchema>;

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/**
 * A failure raised inside the simulator's state code, before the request id is at hand. Route
 * handlers turn it into an {@link HttpError} with {@link toHttpError}.
 */
export class FnProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: ProblemCode,
    readonly detail: string,
    readonly errors: FieldError[] = [],
  ) {
    super(detail);
  }
}

/** Builds the problem body of `status`/`code` for the call `correlationId`. */
export function problemBody(status: number, code: ProblemCode, detail: string, correlationId: string, errors: FieldError[] = []): Problem {
  return {
    type: `https://developer.fieldnation.com/error-codes/${code.toLowerCase().replace(/_/g, '-')}/`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    code,
    retryable: status === 429 || status >= 500,
    correlationId,
    errors,
  };
}

/** An {@link HttpError} carrying a problem body. */
export function problem(
  status: number,
  code: ProblemCode,
  detail: string,
  req: { requestId: string },
  errors: FieldError[] = [],
  headers: Record<string, string> = {},
): HttpError {
  return new HttpError(status, problemBody(status, code, detail, req.requestId, errors), headers, PROBLEM_CONTENT_TYPE);
}

/** The {@link HttpError} of an {@link FnProblem}; `requestId` defaults to a fresh one (sandbox actions). */
export function toHttpError(p: FnProblem, requestId: string = randomUUID()): HttpError {
  return problem(p.status, p.code, p.detail, { requestId }, p.errors);
}

/** Backoff the 429 retry hint suggests, as the vendor documents it. */
const RETRY_BACKOFF_MS = 60_000;

/** Field Nation's error shapes for the sandbox server. */
export const fieldNationErrors: VendorErrors = {
  validation: (issues, req) => problem(400, 'VALIDATION_ERROR', 'The request is invalid; see errors for the fields.', req, issues),
  notFound: (message, req) => problem(404, 'NOT_FOUND', message, req),
  methodNotAllowed: (req) => problem(405, 'METHOD_NOT_ALLOWED', 'This method is not allowed on this resource.', req),
  rateLimited: (retryAfter, req) =>
    new HttpError(
      429,
      {
        ...problemBody(429, 'RATE_LIMIT_EXCEEDED', `Rate limit exceeded; retry after ${retryAfter} seconds.`, req.requestId),
        agent: { action: 'RETRY', backoffMs: Math.max(RETRY_BACKOFF_MS, retryAfter * 1000), maxAttempts: 3 },
      },
      { 'retry-after': String(retryAfter), 'x-ratelimit-remaining': '0' },
      PROBLEM_CONTENT_TYPE,
    ),
  server: (status, req) =>
    problem(
      status,
      status === 503 ? 'SERVICE_UNAVAILABLE' : 'INTERNAL_ERROR',
      status === 503 ? 'The service is temporarily unavailable.' : 'An unexpected error occurred.',
      req,
    ),
};

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid request (field errors in `errors`), or `Expired token` (code EXPIRED_TOKEN): request a new token.',
  401: 'Missing, unknown or expired access token (`Invalid or expired access token`), or wrong credentials.',
  404: 'Not found.',
  409: 'The work order is not in a status that allows this action.',
  422: 'A referenced record (type of work, location, client, project, user, custom field) does not exist or cannot be used.',
  429: 'Rate limit exceeded; honour Retry-After (seconds). X-RateLimit-Remaining is 0.',
};

/** Documented problem responses for `statuses`, for route tables. */
export function problemResponses(...statuses: number[]): Record<number, ResponseDoc> {
  return Object.fromEntries(
    statuses.map((s) => [s, { description: DESCRIPTIONS[s] ?? TITLES[s] ?? 'Error.', schema: ProblemSchema, contentType: PROBLEM_CONTENT_TYPE }]),
  );
}
