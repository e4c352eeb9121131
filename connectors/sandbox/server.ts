/**
 * The sandbox: one HTTP server on 127.0.0.1 that serves the five vendor simulators under their
 * prefixes, with injected faults, request statistics and the admin routes under `/_sandbox`.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { base32Encode } from '../../src/util/totp.js';
import { VENDOR_KEYS, type VendorKey } from '../vendors.js';
import { generateDataset } from './dataset/generate.js';
import type { Dataset, DatasetOptions } from './dataset/types.js';
import {
  allClear,
  FaultsPatchSchema,
  VendorFaultsSchema,
  WindowLimiter,
  type FaultsPatch,
  type VendorFaults,
} from './faults.js';
import { HttpError, type HttpMethod, type RouteDef, type SimContext, type SimRequest, type SimulatorFactory, type VendorSimulator } from './kit.js';
import { buildOpenApi } from './openapi.js';
import { Rng } from './rng.js';
import { Stats } from './stats.js';

/** Options of {@link startSandbox}. */
export interface SandboxOptions {
  /** Port on 127.0.0.1; 0 picks a free one. */
  port?: number;
  host?: string;
  /** Data-set options (seed, sizes); ignored when `dataset` is given. */
  data?: Partial<DatasetOptions>;
  /** A data set generated beforehand (tests share one between sandboxes). */
  dataset?: Dataset;
  /** Faults at start. */
  faults?: FaultsPatch;
  /** Check every response body against its documented schema (tests); a mismatch is a 500. */
  checkResponses?: boolean;
  /** TOTP secret (base32) of the session vendors' MFA; random when absent. */
  totpSecret?: string;
  /** The simulators to serve (default: all five). */
  simulators?: Partial<Record<VendorKey, SimulatorFactory>>;
}

/** A running sandbox. */
export interface Sandbox {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  port: number;
  dataset: Dataset;
  totpSecret: string;
  simulators: Partial<Record<VendorKey, VendorSimulator>>;
  stats: Stats;
  setFaults(patch: FaultsPatch): void;
  close(): Promise<void>;
}

interface CompiledRoute {
  route: RouteDef;
  regex: RegExp;
  names: string[];
  key: string;
}

function compile(route: RouteDef): CompiledRoute {
  const names: string[] = [];
  const pattern = route.path
    .split('/')
    .map((seg) => {
      const m = /^\{(\w+)\}$/.exec(seg);
      if (m) {
        names.push(m[1]!);
        return '([^/]+)';
      }
      return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { route, regex: new RegExp(`^${pattern}/?$`), names, key: `${route.method} ${route.path}` };
}

const DEFAULT_ANCHOR = '2026-11-16T15:00:00Z';

/** Data-set options from partial ones, with the defaults (seed 42, 320 customers). */
export function datasetOptions(partial: Partial<DatasetOptions> = {}): DatasetOptions {
  return { seed: 42, customers: 320, anchor: DEFAULT_ANCHOR, ...partial };
}

async function readBody(req: http.IncomingMessage, limit = 5 * 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The text of a response body: JSON unless `contentType` is not JSON and the body is text. */
function serialize(body: unknown, contentType = 'application/json'): string {
  return body === undefined ? '' : typeof body === 'string' && !contentType.includes('json') ? body : JSON.stringify(body);
}

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}, contentType = 'application/json'): void {
  sendText(res, status, serialize(body, contentType), headers, contentType);
}

/** Writes a response whose body is already text ({@link serialize}). */
function sendText(res: http.ServerResponse, status: number, payload: string, headers: Record<string, string> = {}, contentType = 'application/json'): void {
  if (res.destroyed || res.headersSent) return;
  res.writeHead(status, {
    ...(payload ? { 'content-type': `${contentType}; charset=utf-8` } : {}),
    'content-length': Buffer.byteLength(payload).toString(),
    ...headers,
  });
  res.end(payload);
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve();
}

function issuesOf(error: z.ZodError, where: string): Array<{ field: string; message: string }> {
  return error.issues.map((i) => ({
    field: i.path.length ? i.path.map(String).join('.') : where,
    message: i.message,
  }));
}

/** Starts the sandbox. Resolves once it listens. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const dataset = options.dataset ?? generateDataset(datasetOptions(options.data));
  const totpSecret = options.totpSecret ?? base32Encode(randomBytes(20));
  const faults: Record<VendorKey, VendorFaults> = allClear();
  const faultRng = new Rng(dataset.options.seed ^ 0x5eed);
  const stats = new Stats();
  const limiter = new WindowLimiter();
  const factories = options.simulators ?? (await import('./simulators.js')).SIMULATORS;

  const simulators: Partial<Record<VendorKey, VendorSimulator>> = {};
  const compiled = new Map<VendorKey, CompiledRoute[]>();
  for (const key of VENDOR_KEYS) {
    const factory = factories[key];
    if (!factory) continue;
    const ctx: SimContext = {
      dataset,
      rng: new Rng(dataset.options.seed).fork(`sim:${key}`),
      tokenTtl: (def) => faults[key].tokenTtlSeconds ?? def,
      totpSecret,
      now: () => new Date(),
    };
    const sim = factory(ctx);
    simulators[key] = sim;
    compiled.set(key, sim.routes.map(compile));
  }

  /** The compiled `only` regex of each vendor's faults (compiled once, when the faults are set). */
  const onlyPatterns = new Map<VendorKey, RegExp>();
  const setFaults = (patch: FaultsPatch): void => {
    const parsed = FaultsPatchSchema.parse(patch);
    for (const [key, p] of Object.entries(parsed) as Array<[VendorKey, NonNullable<FaultsPatch[VendorKey]>]>) {
      const { expireTokens, ...rest } = p;
      const next = VendorFaultsSchema.parse({ ...faults[key], ...rest });
      // An invalid regex is refused here (a 400 from PUT /_sandbox/faults), not on every call.
      if (next.only) onlyPatterns.set(key, new RegExp(next.only));
      faults[key] = next;
      if (expireTokens) for (const store of simulators[key]?.tokens ?? []) store.expireAll();
    }
  };
  if (options.faults) setFaults(options.faults);

  let origin = '';
  /**
   * Where each vendor's OpenAPI document is served besides `<basePath>/openapi.json`: below its base
   * URL (`/api/rest/v2/openapi.json` for Field Nation). Filled once the server listens.
   */
  const openapiPaths = new Map<VendorKey, string>();

  async function handleVendor(sim: VendorSimulator, req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const key = sim.key;
    const sub = url.pathname.slice(sim.basePath.length) || '/';
    const method = (req.method ?? 'GET').toUpperCase() as HttpMethod;
    const requestId = randomUUID();
    const ids = { requestId };

    // The document is served at `<basePath>/openapi.json` and at `<base URL>/openapi.json` (they
    // differ where the API lives below the prefix, as Field Nation's /api/rest/v2).
    if (method === 'GET' && (sub === '/openapi.json' || sub === openapiPaths.get(sim.key))) {
      send(res, 200, buildOpenApi(sim, origin + sim.basePath));
      return;
    }

    const routes = compiled.get(key)!;
    let match: { c: CompiledRoute; m: RegExpExecArray } | undefined;
    let pathMatched = false;
    for (const c of routes) {
      const m = c.regex.exec(sub);
      if (!m) continue;
      pathMatched = true;
      if (c.route.method === method) {
        match = { c, m };
        break;
      }
    }
    const endpoint = match ? match.c.key : `${method} (unrouted)`;
    const f = faults[key];
    const faultsApply = !f.only || onlyPatterns.get(key)!.test(endpoint);
    let status = 0;
    res.on('finish', () => stats.record(key, endpoint, status || res.statusCode));
    res.on('close', () => {
      if (!res.writableFinished) stats.record(key, endpoint, 0);
    });

    const reply = (s: number, body: unknown, headers: Record<string, string> = {}, contentType = 'application/json'): void => {
      status = s;
      send(res, s, body, headers, contentType);
    };
    const replyError = (e: HttpError): void => reply(e.status, e.body, e.headers, e.contentType);

    // The vendor's latency is the time it takes to answer, its own work included: the simulator
    // does the work at once and answers when the latency has passed. Five vendors share this one
    // process; were the work added to the latency, every call would also wait for the other
    // vendors' work queued before it, which separate vendors' servers do not.
    const due = faultsApply ? performance.now() + f.latencyMs + (f.jitterMs ? faultRng.next() * f.jitterMs : 0) : 0;
    const whenDue = (): Promise<void> => sleep(due - performance.now());
    try {
      if (faultsApply) {
        if (f.down || f.rateLimit || f.timeoutRate || f.errorRate) await whenDue();
        if (f.down) throw sim.errors.server(503, ids);
        if (f.rateLimit) {
          const wait = limiter.hit(`fault:${key}`, f.rateLimit.limit, f.rateLimit.windowMs);
          if (wait) throw sim.errors.rateLimited(wait, ids);
        }
        if (f.timeoutRate && faultRng.next() < f.timeoutRate) {
          await new Promise<void>((resolve) => {
            const t = setTimeout(resolve, f.timeoutHoldMs);
            req.once('close', () => {
              clearTimeout(t);
              resolve();
            });
          });
          status = 0;
          res.destroy();
          return;
        }
        if (f.errorRate && faultRng.next() < f.errorRate) throw sim.errors.server(f.errorStatus, ids);
      }

      if (!match) {
        throw pathMatched ? sim.errors.methodNotAllowed(ids) : sim.errors.notFound(`No route for ${method} ${sub}`, ids);
      }
      const { c, m } = match;
      const route = c.route;
      const params: Record<string, string> = {};
      c.names.forEach((n, i) => {
        params[n] = decodeURIComponent(m[i + 1]!);
      });

      const raw = method === 'GET' || method === 'DELETE' ? '' : await readBody(req);
      let body: unknown = undefined;
      if (route.body) {
        let parsed: unknown;
        const isForm = (req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded');
        const encoding = route.bodyEncoding ?? 'json';
        if (encoding === 'form' && raw && !isForm) {
          throw sim.errors.validation([{ field: 'body', message: 'Expected application/x-www-form-urlencoded.' }], ids);
        }
        if (encoding === 'form' || (encoding === 'json-or-form' && isForm)) {
          parsed = Object.fromEntries(new URLSearchParams(raw));
        } else {
          try {
            parsed = raw ? JSON.parse(raw) : undefined;
          } catch {
            throw sim.errors.validation([{ field: 'body', message: 'The request body is not valid JSON.' }], ids);
          }
        }
        const r = route.body.safeParse(parsed);
        if (!r.success) throw sim.errors.validation(issuesOf(r.error, 'body'), ids);
        body = r.data;
      }

      const sreq: SimRequest = {
        method,
        path: sub,
        params,
        query: Object.fromEntries(url.searchParams),
        rawQuery: url.searchParams,
        body,
        headers: req.headers,
        auth: undefined,
        requestId,
      };

      if (route.auth !== false) sreq.auth = sim.authenticate(sreq);
      if (sim.builtInRateLimit) {
        const rk = sim.builtInRateLimit.key(sreq);
        if (rk !== undefined) {
          const wait = limiter.hit(`builtin:${key}:${rk}`, sim.builtInRateLimit.limit, sim.builtInRateLimit.windowMs);
          if (wait) throw sim.errors.rateLimited(wait, ids);
        }
      }
      if (route.query) {
        const r = route.query.safeParse(sreq.query);
        if (!r.success) throw sim.errors.validation(issuesOf(r.error, 'query'), ids);
        sreq.query = r.data as Record<string, unknown>;
      }

      const out = await route.handler(sreq);

      if (options.checkResponses) {
        const doc = route.responses[out.status];
        if (!doc) throw new Error(`${c.key} answered ${out.status}, which its OpenAPI document does not list`);
        if (doc.schema) {
          const r = doc.schema.safeParse(out.body);
          if (!r.success) throw new Error(`${c.key} answered a body that does not match its schema: ${r.error.message}`);
        }
      }

      // Turning the body into text is the vendor's work too: done before the latency has passed.
      const payload = serialize(out.body, out.contentType);
      await whenDue();
      if (faultsApply && f.dropRate && faultRng.next() < f.dropRate) {
        status = 0;
        res.destroy();
        return;
      }
      if (faultsApply && f.malformedRate && out.status < 300 && faultRng.next() < f.malformedRate) {
        const text = out.body === undefined ? '{}' : payload;
        const broken = faultRng.next() < 0.5 ? text.slice(0, Math.max(1, Math.floor(text.length / 2))) : JSON.stringify({ unexpected: true, html: '<html><body>Service temporarily unavailable</body></html>' });
        status = out.status;
        res.writeHead(out.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(broken).toString() });
        res.end(broken);
        return;
      }
      status = out.status;
      sendText(res, out.status, payload, out.headers, out.contentType);
    } catch (e) {
      await whenDue();
      if (e instanceof HttpError) {
        replyError(e);
      } else {
        console.error(`[sandbox] ${key} ${method} ${sub}:`, e);
        replyError(sim.errors.server(500, ids));
      }
    }
  }

  async function handleAdmin(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const method = req.method ?? 'GET';
    const p = url.pathname.replace(/\/$/, '');
    const json = async (): Promise<unknown> => {
      const raw = await readBody(req);
      return raw ? JSON.parse(raw) : {};
    };
    try {
      if (p === '/_sandbox' && method === 'GET') {
        send(res, 200, {
          name: 'FieldGraph sandbox',
          origin,
          seed: dataset.options.seed,
          sizes: Object.fromEntries(
            Object.entries(dataset.vendors).map(([k, v]) => [k, Object.fromEntries(Object.entries(v).map(([c, list]) => [c, (list as unknown[]).length]))]),
          ),
          mfa: { type: 'totp', algorithm: 'SHA1', digits: 6, period: 30, secret: totpSecret },
          vendors: Object.values(simulators).map((s) => s!.info(origin)),
          admin: {
            stats: `${origin}/_sandbox/stats`,
            reset: `${origin}/_sandbox/reset`,
            faults: `${origin}/_sandbox/faults`,
            actions: Object.fromEntries(Object.values(simulators).map((s) => [s!.key, Object.keys(s!.actions ?? {}).map((a) => `${origin}/_sandbox/actions/${s!.key}/${a}`)])),
          },
        });
        return;
      }
      if (p === '/_sandbox/stats' && method === 'GET') {
        send(res, 200, stats.snapshot());
        return;
      }
      if (p === '/_sandbox/reset' && method === 'POST') {
        const body = z
          .object({ data: z.boolean().default(false), faults: z.boolean().default(false) })
          .parse(await json());
        stats.reset();
        limiter.clear();
        if (body.faults) Object.assign(faults, allClear());
        if (body.data) for (const s of Object.values(simulators)) s!.reset();
        send(res, 200, { reset: { stats: true, data: body.data, faults: body.faults } });
        return;
      }
      if (p === '/_sandbox/faults' && method === 'GET') {
        send(res, 200, faults);
        return;
      }
      if (p === '/_sandbox/faults' && method === 'PUT') {
        const r = FaultsPatchSchema.safeParse(await json());
        if (!r.success) {
          send(res, 400, { error: 'invalid faults', issues: r.error.issues });
          return;
        }
        setFaults(r.data);
        send(res, 200, faults);
        return;
      }
      const action = /^\/_sandbox\/actions\/(\w+)\/([\w-]+)$/.exec(p);
      if (action && method === 'POST') {
        const sim = simulators[action[1] as VendorKey];
        const fn = sim?.actions?.[action[2]!];
        if (!fn) {
          send(res, 404, { error: 'unknown action' });
          return;
        }
        try {
          send(res, 200, await fn(await json()));
        } catch (e) {
          if (e instanceof HttpError) send(res, e.status, e.body, e.headers, e.contentType);
          else throw e;
        }
        return;
      }
      send(res, 404, { error: 'not found' });
    } catch (e) {
      send(res, 400, { error: e instanceof Error ? e.message : String(e) });
    }
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    if (url.pathname === '/_sandbox' || url.pathname.startsWith('/_sandbox/')) {
      void handleAdmin(req, res, url);
      return;
    }
    for (const sim of Object.values(simulators)) {
      if (url.pathname === sim!.basePath || url.pathname.startsWith(`${sim!.basePath}/`)) {
        void handleVendor(sim!, req, res, url);
        return;
      }
    }
    if (url.pathname === '/') {
      res.writeHead(302, { location: '/_sandbox' }).end();
      return;
    }
    send(res, 404, { error: 'not found', hint: 'GET /_sandbox lists the vendors' });
  });
  server.keepAliveTimeout = 30_000;

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://${host}:${port}`;
  for (const sim of Object.values(simulators)) {
    const sub = new URL(sim!.info(origin).baseUrl).pathname.slice(sim!.basePath.length).replace(/\/$/, '');
    openapiPaths.set(sim!.key, `${sub}/openapi.json`);
  }

  return {
    origin,
    port,
    dataset,
    totpSecret,
    simulators,
    stats,
    setFaults,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
