/**
 * The logger's defences: redaction by key, the error serializer (classification kept, bodies and
 * vendor field errors dropped, URLs and bearer tokens scrubbed from free text), request ids, and
 * the request scope that gives every line of a request its id.
 */
import { describe, expect, it } from 'vitest';
import { ConnectorError } from '../../../connectors/types.js';
import { createLogger, loggerFor, requestIdFrom, runInScope, scrubText, serializeError } from '../../../src/observability/log.js';

function capture(level: 'debug' | 'info' = 'debug') {
  const lines: string[] = [];
  const logger = createLogger({ level, destination: { write: (l: string) => void lines.push(l) } });
  return { logger, lines, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, any>) };
}

describe('scrubText', () => {
  it('drops URL query strings and credentials, and bearer and basic credentials', () => {
    expect(scrubText('GET https://user:hunter2@api.vendor.example/v2/customers?access_token=tok_123&page=2 failed')).toBe(
      'GET https://[redacted]@api.vendor.example/v2/customers?[redacted] failed',
    );
    expect(scrubText('redis://:pw@127.0.0.1:6379/0 refused')).toBe('redis://[redacted]@127.0.0.1:6379/0 refused');
    expect(scrubText('sent Authorization: Bearer eyJhbGciOi.x.y and Basic dXNlcjpwYXNz')).toBe('sent Authorization: Bearer [redacted] and Basic [redacted]');
    expect(scrubText('connect ECONNREFUSED 127.0.0.1:4010')).toBe('connect ECONNREFUSED 127.0.0.1:4010');
  });
});

describe('serializeError', () => {
  it('keeps the classification and the cause chain, never field errors or bodies', () => {
    const cause = Object.assign(new Error('fetch https://x.example/a?key=SECRET1 failed'), { code: 'ECONNRESET' });
    const e = new ConnectorError({
      kind: 'invalid_request',
      vendor: 'sera',
      operation: 'customers.create',
      message: 'sera customers.create: HTTP 422',
      status: 422,
      fieldErrors: [{ field: 'email', message: 'jane.doe@example.com is taken' }],
      cause,
    });
    const s = serializeError(e);
    expect(s).toMatchObject({ type: 'ConnectorError', message: 'sera customers.create: HTTP 422', kind: 'invalid_request', vendor: 'sera', operation: 'customers.create', status: 422 });
    expect(s.cause).toMatchObject({ type: 'Error', message: 'fetch https://x.example/a?[redacted] failed', code: 'ECONNRESET' });
    const text = JSON.stringify(s);
    expect(text).not.toContain('jane.doe');
    expect(text).not.toContain('SECRET1');
    const parseError = Object.assign(new SyntaxError('Unexpected token'), { body: '{"password":"p4ss', type: 'entity.parse.failed', status: 400 });
    const p = serializeError(parseError);
    expect(p).toMatchObject({ type: 'SyntaxError', errorType: 'entity.parse.failed', status: 400 });
    expect(JSON.stringify(p)).not.toContain('p4ss');
    expect(serializeError('plain')).toEqual({ type: 'string', message: 'plain' });
  });
});

describe('createLogger', () => {
  it('writes JSON lines with an ISO time and a level word, and redacts sensitive keys one level deep', () => {
    const { logger, parsed } = capture();
    logger.info(
      { variables: { email: 'a@b.example' }, headers: { authorization: 'Bearer t' }, customer: { name: 'Jane Doe', email: 'jane@x.example', phone: '+14045550100' }, password: 'pw', vendor: 'sera' },
      'hello',
    );
    logger.error({ err: new Error('boom at https://h.example/p?token=abc') }, 'failed');
    const [info, error] = parsed();
    expect(info).toMatchObject({ level: 'info', service: 'fieldgraph', msg: 'hello', vendor: 'sera', variables: '[redacted]', headers: '[redacted]', password: '[redacted]' });
    expect(info!.customer).toEqual({ name: '[redacted]', email: '[redacted]', phone: '[redacted]' });
    expect(new Date(info!.time).toISOString()).toBe(info!.time);
    expect(error!.err.message).toBe('boom at https://h.example/p?[redacted]');
  });

  it('is silent at level silent', () => {
    const lines: string[] = [];
    createLogger({ level: 'silent', destination: { write: (l: string) => void lines.push(l) } }).error('nothing');
    expect(lines).toEqual([]);
  });
});

describe('request ids and scope', () => {
  it('accept a well-formed incoming id and replace anything else', () => {
    expect(requestIdFrom('abc-123_x.y:z')).toBe('abc-123_x.y:z');
    for (const bad of [undefined, '', 'has space', 'x'.repeat(129), '<script>', ['a', 'b']]) {
      expect(requestIdFrom(bad as string | undefined)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });

  it('give every line logged inside a request, across awaits, the request logger', async () => {
    const { logger, parsed } = capture();
    const child = logger.child({ reqId: 'r-1' });
    await runInScope({ id: 'r-1', log: child, route: 'graphql' }, async () => {
      await new Promise((r) => setTimeout(r, 1));
      loggerFor(logger).info('inside');
    });
    loggerFor(logger).info('outside');
    expect(parsed().map((l) => [l.msg, l.reqId])).toEqual([
      ['inside', 'r-1'],
      ['outside', undefined],
    ]);
  });
});
