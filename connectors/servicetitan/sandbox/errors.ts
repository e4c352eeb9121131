/**
 * ServiceTitan's error shapes. The API answers every error with an RFC 7807 body
 * (`ApiErrorResponse` in ST-SPEC): `{type, title, status, traceId, errors: {field: [msg]}, data}`.
 * The token endpoint is an OAuth 2.0 server and answers `{error, error_description?}` instead.
 */
import { z } from 'zod';
import { HttpError, type ResponseDoc, type VendorErrors } from '../../sandbox/kit.js';

/** `ApiErrorResponse` of ST-SPEC. */
export const ProblemSchema = z.object({
  type: z.string().describe('A URI reference that identifies the problem type.'),
  title: z.string().describe('A short, human-readable summary of the problem.'),
  status: z.number().int().describe('The HTTP status code.'),
  traceId: z.string().describe('Internal trace id for diagnostics.'),
  errors: z.record(z.string(), z.array(z.string())).describe('Messages by field (`""` for the request as a whole).'),
  data: z.record(z.string(), z.unknown()).describe('Additional data for programmatic use.'),
});
/** An RFC 7807 error body of the API. */
export type Problem = z.infer<typeof ProblemSchema>;

/** OAuth 2.0 error body of the token endpoint (RFC 6749 §5.2). */
export const OAuthErrorSchema = z.object({
  error: z.string().describe('invalid_request, invalid_client, unsupported_grant_type or rate_limited.'),
  error_description: z.string().optional(),
});

// RFC 7231 / 6585 section anchors, as ASP.NET Core writes them into `type`.
const TYPES: Record<number, string> = {
  400: 'https://tools.ietf.org/html/rfc7231#section-6.5.1',
  401: 'https://tools.ietf.org/html/rfc7235#section-3.1',
  403: 'https://tools.ietf.org/html/rfc7231#section-6.5.3',
  404: 'https://tools.ietf.org/html/rfc7231#section-6.5.4',
  405: 'https://tools.ietf.org/html/rfc7231#section-6.5.5',
  409: 'https://tools.ietf.org/html/rfc7231#section-6.5.8',
  422: 'https://tools.ietf.org/html/rfc4918#section-11.2',
  429: 'https://tools.ietf.org/html/rfc6585#section-4',
  500: 'https://tools.ietf.org/html/rfc7231#section-6.6.1',
  503: 'https://tools.ietf.org/html/rfc7231#section-6.6.4',
};

/** W3C trace-context style id (`00-<32 hex>-<16 hex>-00`), as ASP.NET Core reports it. */
export function traceIdOf(requestId: string): string {
  const hex = requestId.replace(/-/g, '').padEnd(32, '0').slice(0, 32);
  return `00-${hex}-${hex.slice(8, 24)}-00`;
}

/** ASP.NET-style field path: `appointments.0.start` becomes `appointments[0].start`. */
function fieldPath(field: string): string {
  return field.replace(/\.(\d+)(?=\.|$)/g, '[$1]');
}

/** Builds an RFC 7807 error of the API. */
export function problem(
  status: number,
  title: string,
  req: { requestId: string },
  errors: Record<string, string[]> = {},
  headers: Record<string, string> = {},
  data: Record<string, unknown> = {},
): HttpError {
  const body: Problem = { type: TYPES[status] ?? 'about:blank', title, status, traceId: traceIdOf(req.requestId), errors, data };
  return new HttpError(status, body, headers, 'application/problem+json');
}

/** 400 with field messages. */
export function badRequest(req: { requestId: string }, errors: Record<string, string[]>): HttpError {
  return problem(400, 'One or more validation errors occurred.', req, errors);
}

/** 422: a referenced record is missing or cannot be used. */
export function unprocessable(req: { requestId: string }, errors: Record<string, string[]>): HttpError {
  return problem(422, 'The request references records that do not exist or cannot be used.', req, errors);
}

/** 404 for a record addressed by the path. */
export function notFound(req: { requestId: string }, what: string, id: number | string): HttpError {
  return problem(404, `${what} with ID ${id} was not found.`, req);
}

/** 409: the record's state does not allow the operation. */
export function conflict(req: { requestId: string }, title: string, field = ''): HttpError {
  return problem(409, title, req, { [field]: [title] });
}

/** Groups field messages the way ASP.NET's model state does. */
export function fieldErrors(issues: Array<{ field: string; message: string }>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const i of issues) (out[fieldPath(i.field)] ??= []).push(i.message);
  return out;
}

/** The simulator's {@link VendorErrors}: everything in the RFC 7807 shape. */
export const serviceTitanErrors: VendorErrors = {
  validation: (issues, req) => badRequest(req, fieldErrors(issues)),
  notFound: (message, req) => problem(404, message, req),
  methodNotAllowed: (req) => problem(405, 'Method Not Allowed', req),
  rateLimited: (retryAfter, req) =>
    problem(429, 'Too many requests. The limit is 60 requests per second per application and tenant.', req, {}, { 'retry-after': String(retryAfter) }),
  server: (status, req) => problem(status, status === 503 ? 'Service Unavailable' : 'An unexpected error occurred.', req),
};

const ERROR_TEXT: Record<number, string> = {
  400: 'The request cannot be processed, check validation errors or request format.',
  401: 'Missing, invalid or expired access token, or missing or wrong ST-App-Key.',
  403: 'The token was issued for another tenant, or the app is not entitled.',
  404: 'The requested entity was not found.',
  409: 'The entity is in a state that does not allow the operation.',
  422: 'A referenced entity does not exist or cannot be used.',
  429: 'Rate limited (60 requests/s per app and tenant); see Retry-After.',
  500: 'Unexpected server error.',
  503: 'Service unavailable.',
};

/** Documented error responses of an API route (401, 403, 429, 500 and 503 are always added). */
export function errorDocs(...statuses: number[]): Record<number, ResponseDoc> {
  const all = [...new Set([...statuses, 401, 403, 429, 500, 503])].sort((a, b) => a - b);
  return Object.fromEntries(all.map((s) => [s, { description: ERROR_TEXT[s] ?? 'Error.', schema: ProblemSchema, contentType: 'application/problem+json' }]));
}
