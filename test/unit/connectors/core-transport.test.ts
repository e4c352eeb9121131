/**
 * node's HTTP transport of the vendor clients, against a real server on 127.0.0.1: the response
 * read whole as UTF-8, bodies sent with their length, kept-alive connections, the time limit of a
 * whole exchange, and a connection that fails or closes mid-body.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeTransport, TransportTimeout } from '../../../connectors/core/transport.js';

let server: http.Server;
let base: string;
const sockets = new Set<unknown>();

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      const url = new URL(req.url!, 'http://x');
      if (url.pathname === '/echo') {
        res.writeHead(201, { 'content-type': 'application/json', 'retry-after': '7' });
        res.end(JSON.stringify({ method: req.method, length: req.headers['content-length'] ?? null, body, accept: req.headers.accept }));
      } else if (url.pathname === '/split') {
        // "é" (two bytes) split across two chunks.
        res.writeHead(200);
        const bytes = Buffer.from('{"name":"Zoé"}', 'utf8');
        res.write(bytes.subarray(0, 11));
        setTimeout(() => res.end(bytes.subarray(11)), 10);
      } else if (url.pathname === '/slow-body') {
        res.writeHead(200);
        res.write('{"a":');
        setTimeout(() => res.end('1}'), 500);
      } else if (url.pathname === '/cut') {
        res.writeHead(200, { 'content-length': '100' });
        res.write('{"a":');
        setTimeout(() => res.destroy(), 10);
      } else {
        res.writeHead(404).end();
      }
    });
  });
  server.on('connection', (s) => sockets.add(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('nodeTransport', () => {
  it('sends method, headers and a body with its length, and reads status, headers and text', async () => {
    const r = await nodeTransport(new URL(`${base}/echo?x=1`), { method: 'POST', headers: { accept: 'application/json', 'content-type': 'application/json' }, body: '{"k":"vé"}', timeoutMs: 2000 });
    expect(r.status).toBe(201);
    expect(r.header('Retry-After')).toBe('7');
    expect(r.header('x-absent')).toBeNull();
    expect(JSON.parse(r.text)).toEqual({ method: 'POST', length: String(Buffer.byteLength('{"k":"vé"}')), body: '{"k":"vé"}', accept: 'application/json' });
  });

  it('decodes a multi-byte character split between chunks', async () => {
    const r = await nodeTransport(new URL(`${base}/split`), { method: 'GET', headers: {}, timeoutMs: 2000 });
    expect(JSON.parse(r.text)).toEqual({ name: 'Zoé' });
  });

  it('keeps connections alive between calls', async () => {
    const before = sockets.size;
    for (let i = 0; i < 5; i++) await nodeTransport(new URL(`${base}/echo`), { method: 'GET', headers: {}, timeoutMs: 2000 });
    expect(sockets.size - before).toBeLessThanOrEqual(1);
  });

  it('rejects with TransportTimeout when the whole exchange (here the body) takes longer than its time', async () => {
    await expect(nodeTransport(new URL(`${base}/slow-body`), { method: 'GET', headers: {}, timeoutMs: 100 })).rejects.toBeInstanceOf(TransportTimeout);
  });

  it('rejects, not as a timeout, when the connection is refused or closes mid-body', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const refused = await nodeTransport(new URL(`http://127.0.0.1:${port}/`), { method: 'GET', headers: {}, timeoutMs: 2000 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Error);
    expect(refused).not.toBeInstanceOf(TransportTimeout);
    const cut = await nodeTransport(new URL(`${base}/cut`), { method: 'GET', headers: {}, timeoutMs: 2000 }).catch((e: unknown) => e);
    expect(cut).toBeInstanceOf(Error);
    expect(cut).not.toBeInstanceOf(TransportTimeout);
  });

  it('refuses a protocol other than http and https', async () => {
    await expect(nodeTransport(new URL('ftp://127.0.0.1/'), { method: 'GET', headers: {}, timeoutMs: 100 })).rejects.toThrow(/unsupported protocol/);
  });
});
