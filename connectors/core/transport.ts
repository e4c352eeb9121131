/**
 * How {@link VendorHttpClient} puts a call on the wire. By default node's own HTTP client over
 * keep-alive agents shared by the whole process ({@link nodeTransport}); a `fetch` given in the
 * options (tests inject fakes) is wrapped by {@link fetchTransport}.
 *
 * Why not the global `fetch`: a vendor call is a small JSON exchange, and undici's `fetch` builds
 * a Request, a Response, Headers, an AbortSignal and web streams for each one. Profiled under the
 * job graph query (about 165 vendor calls a request then), that machinery was 15% of the gateway's
 * own CPU time before the garbage it left, and the process's RSS grew under sustained load; node's
 * client with pooled sockets does the same exchange for a fraction of it (README, Benchmarks).
 */
import http from 'node:http';
import https from 'node:https';

/** One call as the transport sends it. */
export interface TransportRequest {
  method: string;
  headers: Record<string, string>;
  body?: string;
  /** The whole exchange (connect, send, read the body) must end within this time. */
  timeoutMs: number;
}

/** A complete response: status, headers and the body read whole as UTF-8 text. */
export interface TransportResponse {
  status: number;
  /** A response header (case-insensitive name), or null when absent. */
  header(name: string): string | null;
  text: string;
}

/**
 * Sends one call and reads the whole response. Rejects with {@link TransportTimeout} when the
 * exchange did not end within `timeoutMs`, with another error when the connection failed.
 */
export type Transport = (url: URL, request: TransportRequest) => Promise<TransportResponse>;

/** The call did not end within its time. */
export class TransportTimeout extends Error {
  constructor(timeoutMs: number) {
    super(`no complete answer within ${timeoutMs} ms`);
    this.name = 'TransportTimeout';
  }
}

// One pool per protocol for the whole process: connections to a vendor stay open between calls and
// between GraphQL requests (the clients themselves are built per request). LIFO reuse keeps the
// pool small, the most recently used sockets being the ones least likely to have been closed.
const agents = {
  http: new http.Agent({ keepAlive: true, scheduling: 'lifo' }),
  https: new https.Agent({ keepAlive: true, scheduling: 'lifo' }),
};

/** node's HTTP client (`http:` and `https:` URLs) over the process's keep-alive agents. */
export const nodeTransport: Transport = (url, request) =>
  new Promise<TransportResponse>((resolve, reject) => {
    const secure = url.protocol === 'https:';
    if (!secure && url.protocol !== 'http:') {
      reject(new Error(`unsupported protocol ${url.protocol}`));
      return;
    }
    let settled = false;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const headers = request.body !== undefined ? { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) } : request.headers;
    const req = (secure ? https : http).request(url, { method: request.method, headers, agent: secure ? agents.https : agents.http }, (res) => {
      res.setEncoding('utf8');
      let text = '';
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () =>
        settle(() =>
          resolve({
            status: res.statusCode ?? 0,
            header: (name) => {
              const v = res.headers[name.toLowerCase()];
              return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
            },
            text,
          }),
        ),
      );
      res.on('error', (e) => settle(() => reject(e)));
      res.on('close', () => {
        if (!res.complete) settle(() => reject(new Error('the connection closed before the response ended')));
      });
    });
    const timer = setTimeout(() => {
      settle(() => reject(new TransportTimeout(request.timeoutMs)));
      req.destroy();
    }, request.timeoutMs);
    req.on('error', (e) => settle(() => reject(e)));
    req.end(request.body);
  });

/** A transport over a `fetch` implementation (a fake in tests, or the global one). */
export function fetchTransport(fetchImpl: typeof fetch): Transport {
  return async (url, request) => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), request.timeoutMs);
    try {
      const res = await fetchImpl(url, { method: request.method, headers: request.headers, ...(request.body !== undefined ? { body: request.body } : {}), signal: controller.signal });
      const text = await res.text();
      return { status: res.status, header: (name) => res.headers.get(name), text };
    } catch (e) {
      if (controller.signal.aborted) throw new TransportTimeout(request.timeoutMs);
      throw e;
    } finally {
      clearTimeout(timer);
    }
  };
}
