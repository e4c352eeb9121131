/**
 * What FieldGraph adds to Apollo Server to conform to the GraphQL-over-HTTP specification
 * (checked by `graphql-http`'s server audit, `test/e2e/operations.test.ts`):
 *
 * - a client that prefers `application/json` (or sends no Accept) gets status 200 for a
 *   well-formed request whose document fails to parse or validate, or whose variables cannot be
 *   coerced (the spec's SHOULD for the legacy media type; Apollo answers 400, which stays for
 *   `application/graphql-response+json`, where the spec asks for it);
 * - a request body that is not JSON, too large or in an unknown encoding is answered with a
 *   GraphQL-shaped JSON error (400, 413, 415) instead of express's HTML page, and logged without
 *   its body.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { currentScope, loggerFor, type Logger } from './observability/log.js';

/** The media types of GraphQL responses, in Apollo's order of preference on a tie. */
const RESPONSE_TYPES = ['application/json', 'application/graphql-response+json'];

/** Codes of errors of a well-formed request that the legacy JSON media type answers with 200. */
const REQUEST_ERROR_CODES = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'OPERATION_RESOLUTION_FAILURE']);

/**
 * Express middleware of the GraphQL route: notes in the request scope whether the response will
 * be `application/json` (the negotiation Apollo makes, with the same library: the first of
 * json and graphql-response+json the Accept header prefers, json on a tie or without Accept).
 */
export function negotiateResponseType(): RequestHandler {
  return (req, _res, next) => {
    const scope = currentScope();
    if (scope) scope.legacyJson = !req.get('accept') || req.accepts(RESPONSE_TYPES) === 'application/json';
    next();
  };
}

/**
 * The Apollo plugin that answers request errors (parse, validation, variable coercion, unknown
 * operation name) with 200 instead of 400 when the response is `application/json`. A response
 * that has `data`, other errors, or another status is left alone.
 */
export function legacyJsonStatusPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.http.status !== 400 || response.body.kind !== 'single' || !currentScope()?.legacyJson) return;
          const result = response.body.singleResult;
          if (result.data !== undefined && result.data !== null) return;
          const errors = result.errors ?? [];
          if (errors.length > 0 && errors.every((e) => REQUEST_ERROR_CODES.has(String(e.extensions?.code)))) response.http.status = 200;
        },
      };
    },
  };
}

/**
 * Express error handler of the GraphQL route: body-parser's refusals (malformed JSON, too large,
 * unsupported charset or encoding) become a 4xx GraphQL error response with code `BAD_REQUEST`;
 * anything else a 500 `INTERNAL_SERVER_ERROR`, logged. Never echoes or logs the body.
 */
export function graphqlHttpErrors(root: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) return next(err);
    const e = (err ?? {}) as { status?: unknown; type?: unknown };
    const status = typeof e.status === 'number' && e.status >= 400 && e.status < 500 ? e.status : 500;
    const log = loggerFor(root);
    let message: string;
    if (status === 500) {
      log.error({ err }, 'unexpected error before GraphQL execution');
      message = 'Internal server error';
    } else {
      log.info({ errorType: typeof e.type === 'string' ? e.type : undefined, status }, 'request refused');
      message =
        e.type === 'entity.parse.failed'
          ? 'The request body is not valid JSON.'
          : e.type === 'entity.too.large'
            ? 'The request body is too large.'
            : e.type === 'charset.unsupported' || e.type === 'encoding.unsupported'
              ? 'The request body uses an unsupported charset or encoding.'
              : 'The request could not be read.';
    }
    const type = req.accepts(RESPONSE_TYPES) === 'application/graphql-response+json' ? 'application/graphql-response+json' : 'application/json';
    res
      .status(status)
      .set('content-type', `${type}; charset=utf-8`)
      .send(JSON.stringify({ errors: [{ message, extensions: { code: status === 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST' } }] }));
  };
}
