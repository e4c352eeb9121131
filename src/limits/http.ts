/**
 * The limits that apply to the HTTP request before Apollo Server reads it as GraphQL (after the
 * JSON body parser, whose `limit` bounds the body): batched requests, the size of the variables,
 * the number of tokens of the document, and safelist mode. Refusals are answered here, as GraphQL
 * error responses with a code, and nothing reaches Apollo.
 */
import type { Request, RequestHandler, Response } from 'express';
import { Kind, Lexer, parse, Source, TokenKind } from 'graphql';
import { STATUS_OF_CODE, type LimitErrorCode } from './codes.js';
import { requestedDocumentId, sha256, type Safelist } from './safelist.js';

/** What {@link requestLimits} checks. */
export interface RequestLimitSettings {
  /** Most lexical tokens of a document (graphql-armor's max-tokens default is 1000). */
  maxTokens: number;
  /** Most bytes of the `variables` (as JSON). */
  maxVariablesBytes: number;
  /** When set, only these persisted operations run. */
  safelist?: Safelist | undefined;
  /** Called on each refusal (for a log line; never with the body). */
  onRefusal?: (code: LimitErrorCode) => void;
}

const RESPONSE_TYPES = ['application/json', 'application/graphql-response+json'];

function refuse(req: Request, res: Response, code: LimitErrorCode, message: string): void {
  const type = req.accepts(RESPONSE_TYPES) === 'application/graphql-response+json' ? 'application/graphql-response+json' : 'application/json';
  res
    .status(STATUS_OF_CODE[code])
    .set('content-type', `${type}; charset=utf-8`)
    .send(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}

/** Tokens of `query`, counting up to `max + 1`; undefined when it does not lex (Apollo reports the syntax error). */
function countTokens(query: string, max: number): number | undefined {
  try {
    const lexer = new Lexer(new Source(query));
    let n = 0;
    while (lexer.advance().kind !== TokenKind.EOF) if (++n > max) break;
    return n;
  } catch {
    return undefined;
  }
}

/** Operations defined in `query`; undefined when it does not parse. */
function countOperations(query: string, maxTokens: number): number | undefined {
  try {
    return parse(query, { noLocation: true, maxTokens }).definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION).length;
  } catch {
    return undefined;
  }
}

function jsonParam(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

/** The GraphQL parameters of a POST body or a GET query string. */
interface Params {
  query: unknown;
  operationName: unknown;
  variables: unknown;
  extensions: unknown;
  documentId: unknown;
}

function paramsOf(req: Request): Params | undefined {
  if (req.method === 'GET') {
    const q = req.query as Record<string, unknown>;
    return { query: q.query, operationName: q.operationName, variables: q.variables, extensions: jsonParam(q.extensions), documentId: q.documentId };
  }
  const body: unknown = req.body;
  if (body === null || typeof body !== 'object') return undefined;
  const b = body as Record<string, unknown>;
  return { query: b.query, operationName: b.operationName, variables: b.variables, extensions: b.extensions, documentId: b.documentId };
}

/** Replaces the request's document with a persisted one and removes the id that named it. */
function usePersisted(req: Request, document: string): void {
  const stripExtensions = (extensions: unknown): unknown => {
    if (!extensions || typeof extensions !== 'object') return extensions;
    const { persistedQuery: _named, ...rest } = extensions as Record<string, unknown>;
    return rest;
  };
  if (req.method === 'GET') {
    const url = new URL(req.url, 'http://localhost');
    url.searchParams.set('query', document);
    url.searchParams.delete('documentId');
    const extensions = url.searchParams.get('extensions');
    if (extensions !== null) {
      const rest = stripExtensions(jsonParam(extensions));
      if (rest && Object.keys(rest).length > 0) url.searchParams.set('extensions', JSON.stringify(rest));
      else url.searchParams.delete('extensions');
    }
    req.url = `${url.pathname}${url.search}`;
    return;
  }
  const body = req.body as Record<string, unknown>;
  body.query = document;
  delete body.documentId;
  if (body.extensions !== undefined) body.extensions = stripExtensions(body.extensions);
}

/**
 * Express middleware of the GraphQL route, after the JSON body parser:
 *
 * - a JSON array body (several operations in one request) → 400 `BATCHING_NOT_SUPPORTED`, and so
 *   is a document with several operations and no `operationName`;
 * - `variables` longer than `maxVariablesBytes` → 413 `VARIABLES_TOO_LARGE`;
 * - in safelist mode, a request that names no persisted operation → 400
 *   `PERSISTED_QUERY_REQUIRED`, one the safelist does not hold (or whose `query` is not that
 *   operation) → 400 `PERSISTED_QUERY_NOT_FOUND`; a listed one runs with the listed document;
 * - a document of more than `maxTokens` tokens → 400 `TOO_MANY_TOKENS` (counted with graphql's
 *   lexer before anything parses it).
 *
 * Anything else, including a malformed request, goes on to Apollo Server unchanged.
 */
export function requestLimits(settings: RequestLimitSettings): RequestHandler {
  return (req, res, next) => {
    const stop = (code: LimitErrorCode, message: string) => {
      settings.onRefusal?.(code);
      refuse(req, res, code, message);
    };
    if (req.method === 'POST' && Array.isArray(req.body)) {
      return stop('BATCHING_NOT_SUPPORTED', 'Batched requests are not supported: send one operation per request.');
    }
    const params = paramsOf(req);
    if (!params) return next();
    if (params.variables !== undefined && params.variables !== null) {
      const bytes = typeof params.variables === 'string' ? Buffer.byteLength(params.variables) : Buffer.byteLength(JSON.stringify(params.variables));
      if (bytes > settings.maxVariablesBytes) return stop('VARIABLES_TOO_LARGE', `The variables take ${bytes} bytes; at most ${settings.maxVariablesBytes} are accepted.`);
    }
    let query = params.query;
    if (settings.safelist) {
      const id = requestedDocumentId(params.documentId, params.extensions);
      if (id === undefined) return stop('PERSISTED_QUERY_REQUIRED', 'Only persisted operations run here: send `documentId` or `extensions.persistedQuery.sha256Hash`.');
      const document = settings.safelist.get(id);
      if (document === undefined) return stop('PERSISTED_QUERY_NOT_FOUND', 'No persisted operation has this id.');
      if (typeof query === 'string' && query !== '' && sha256(query) !== id) return stop('PERSISTED_QUERY_NOT_FOUND', 'The query sent is not the persisted operation with this id.');
      usePersisted(req, document);
      query = document;
    }
    if (typeof query !== 'string') return next();
    const tokens = countTokens(query, settings.maxTokens);
    if (tokens !== undefined && tokens > settings.maxTokens) return stop('TOO_MANY_TOKENS', `The document has more than ${settings.maxTokens} tokens.`);
    const hasName = typeof params.operationName === 'string' && params.operationName !== '';
    if (!hasName && (countOperations(query, settings.maxTokens) ?? 0) > 1) {
      return stop('BATCHING_NOT_SUPPORTED', 'The document holds several operations and names none: send one operation per request, or its operationName.');
    }
    next();
  };
}
