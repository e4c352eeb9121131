/**
 * The HTTP server: Apollo Server 5 on express 5. GraphQL at `/graphql` (POST, and GET for
 * queries); browsers that open `/graphql` (Accept: text/html) get the IDE, a self-contained
 * GraphiQL page that loads nothing from another origin, and `/` redirects there. Apollo's own
 * landing page, which loads from CDNs, is disabled. Operations routes: `/healthz`, `/readyz` and
 * `/metrics`; every request gets a request id and one JSON log line (`src/observability/`).
 * {@link createServer} does not listen, so tests and the gateway choose where.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import express, { type Express, type Request, type Response } from 'express';
import { createConnectors } from '../connectors/registry.js';
import type { VendorKey } from '../connectors/vendors.js';
import { connectorsOf, createContext, type Context, type ContextOptions } from './context.js';
import { DEFAULT_TENANT } from './ids.js';
import type { Connectors } from './loaders/index.js';
import { createFormatError, sideErrorsPlugin, type ErrorLogger } from './errors.js';
import { createMutationServices } from './mutations/services.js';
import { createSchema } from './schema.js';
import { graphqlHttpErrors, legacyJsonStatusPlugin, negotiateResponseType } from './graphql-over-http.js';
import { createReadiness } from './observability/health.js';
import { mountOperationsRoutes, observeRequests } from './observability/http.js';
import { loggerFor, scrubText, silentLogger, type Logger } from './observability/log.js';
import { instrumentResolvers, Metrics, operationsPlugin } from './observability/metrics.js';
import { upstreamEvents } from './observability/upstream.js';
import { createLimits, type Limits } from './limits/index.js';
import { authenticate, principalOf, type AuthOptions } from './auth/http.js';
import { Authenticator } from './auth/credentials.js';
import { applyPolicy } from './auth/policy.js';
import { SharedCache } from './cache/shared.js';
import { mountWebhooks, type WebhookSecrets } from './webhooks.js';
import type { EntityKind } from './model/index.js';
import type { Keyv } from 'keyv';

/** Where GraphQL and the IDE are served. */
export const GRAPHQL_PATH = '/graphql';

/** Options of {@link createServer}. */
export interface ServerOptions extends Omit<ContextOptions, 'cache'> {
  /** Answer introspection queries (default true: analysts explore the schema in the IDE). */
  introspection?: boolean;
  /** Serve the IDE to browsers at `/graphql` (default true). */
  ide?: boolean;
  /** The query the IDE opens with. */
  exampleQuery?: string;
  /** Where unexpected errors are logged (default: `logger` at error level, with the request's id). */
  log?: ErrorLogger;
  /** The process's logger (default: silent; the gateway passes the one at the configured level). */
  logger?: Logger;
  /** How long shutdown waits for requests in flight before closing their connections, in ms (default 10 s). */
  drainTimeoutMs?: number;
  /** `GET /readyz`: the per-vendor ping timeout and how long a result is reused, in ms (default 5 s each). */
  readiness?: { timeoutMs?: number; cacheMs?: number };
  /** Headers the IDE page starts with in its headers editor (e.g. the development key; default none). */
  ideHeaders?: Record<string, string>;
  /** The shared cache's backend and TTLs (absent: no shared cache; `cache` may also give a built one). */
  sharedCache?: { keyv: Keyv; ttlSeconds?: Partial<Record<EntityKind, number>> };
  /** Secrets of vendor webhook subscriptions, by tenant and vendor (`POST /webhooks/<tenant>/<vendor>`; default none). */
  webhookSecrets?: WebhookSecrets;
  /** Who may call (see `src/auth/`). Required: a server without credentials to check is a decision to state. */
  auth: AuthOptions;
  /**
   * Limits before execution, closed by their creator. The gateway passes `createLimits(config.limits)`;
   * default: the configuration's default limits without the per-principal budget (tests and benchmarks
   * that send many requests as one principal).
   */
  limits?: Limits;
}

/** A server that is built but not yet listening. */
export interface FieldGraphServer {
  app: Express;
  httpServer: http.Server;
  apollo: ApolloServer<Context>;
  /** This server's metrics (`GET /metrics`), e.g. for the shared cache's `cacheLookup`. */
  metrics: Metrics;
  /** This server's root logger. */
  logger: Logger;
  /**
   * The default tenant's connectors as requests get them (settings, timeouts, and the hooks that
   * count their calls in `/metrics`), for work the gateway does on its own, such as the identity sync.
   */
  connectors(): Connectors;
  /** Listens on `host` (default 127.0.0.1) and `port` (0: a free one); resolves the origin, e.g. `http://127.0.0.1:4000`. */
  listen(port: number, host?: string): Promise<string>;
  /** Stops Apollo and the HTTP server (in-flight requests finish first). */
  close(): Promise<void>;
}

/** Unexpected errors through pino, on the request's logger when there is one. */
function errorLogTo(logger: Logger): ErrorLogger {
  return (message, error) => loggerFor(logger).error({ err: error }, message);
}

/** Apollo's own messages through pino (scrubbed: they may quote an error). */
function apolloLogger(logger: Logger) {
  const at = (level: 'debug' | 'info' | 'warn' | 'error') => (message?: unknown) => loggerFor(logger)[level](scrubText(String(message)));
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

const OPERATIONS_ROUTES: Record<string, string> = { '/metrics': 'metrics', '/healthz': 'healthz', '/readyz': 'readyz' };

// Same-origin only: the page's scripts and styles are inline, Monaco's workers are blob URLs,
// and the only connection it makes is to this server's /graphql.
const IDE_CSP = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The IDE page (about 9 MB, 2.4 MB gzipped), rendered and compressed once per process and query. */
interface IdePage {
  html: Buffer;
  gzipped: Buffer;
  etag: string;
}

const idePages = new Map<string, Promise<IdePage>>();

/** The IDE page for `exampleQuery`, its headers editor holding `headers`. */
export function renderIde(exampleQuery?: string, headers?: Record<string, string>): Promise<IdePage> {
  const key = JSON.stringify([exampleQuery ?? '', headers ?? {}]);
  let page = idePages.get(key);
  if (!page) {
    page = (async () => {
      const html = Buffer.from(
        renderGraphiQL({
          endpoint: GRAPHQL_PATH,
          title: 'FieldGraph',
          ...(exampleQuery ? { defaultQuery: exampleQuery } : {}),
          ...(headers ? { headers: JSON.stringify(headers, null, 2) } : {}),
        }),
        'utf8',
      );
      const gzipped = await promisify(gzip)(html);
      return { html, gzipped, etag: `"${createHash('sha256').update(html).digest('base64url').slice(0, 27)}"` };
    })();
    idePages.set(key, page);
  }
  return page;
}

function wantsHtml(req: Request): boolean {
  return req.accepts(['application/graphql-response+json', 'application/json', 'text/html']) === 'text/html';
}

async function sendIde(req: Request, res: Response, exampleQuery: string | undefined, headers: Record<string, string> | undefined): Promise<void> {
  const page = await renderIde(exampleQuery, headers);
  res.set({
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-cache',
    etag: page.etag,
    vary: 'Accept, Accept-Encoding',
    'content-security-policy': IDE_CSP,
    'x-content-type-options': 'nosniff',
  });
  if (req.fresh) {
    res.status(304).end();
    return;
  }
  if (req.acceptsEncodings(['gzip', 'identity']) === 'gzip') {
    res.set('content-encoding', 'gzip').send(page.gzipped);
  } else {
    res.send(page.html);
  }
}

/** `Cache-Control: no-store` on every GraphQL answer, errors included. */
const noStorePlugin: ApolloServerPlugin<Context> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        response.http.headers.set('cache-control', 'no-store');
      },
    };
  },
};

/**
 * Builds the server: checks every vendor connection (throws when one is invalid), builds the
 * schema, starts Apollo and mounts it on a new express app. Each request gets its own connectors
 * and loaders (see {@link createContext}).
 */
export async function createServer(options: ServerOptions): Promise<FieldGraphServer> {
  const logger = options.logger ?? silentLogger();
  const log = options.log ?? errorLogTo(logger);
  const metrics = new Metrics();
  // One events object for the life of the server: the session vendors' token caches are keyed by it.
  const connectorOptions = { ...options.connectorOptions, events: upstreamEvents(metrics, logger, options.connectorOptions?.events) };
  // Fail at start-up, not on the first request, when a connection is invalid. (With the server's
  // events: the clients built first create the shared circuit breakers, which report to them.)
  if (!options.connectorsFor) createConnectors(options.connections, connectorOptions);
  // Circuits start closed; the connectors' hooks report every change.
  for (const vendor of Object.keys(options.connections) as VendorKey[]) metrics.setBreakerState(vendor, 'closed');
  const ide = options.ide ?? true;
  const authenticator = new Authenticator(options.auth.apiKeys ?? [], options.auth.jwt);
  const limits = options.limits ?? createLimits({ budget: { maximumAvailable: 0 } });
  let draining = false;
  const app = express();
  app.disable('x-powered-by');
  app.use(
    observeRequests({
      logger,
      metrics,
      route: (req) => (req.path === GRAPHQL_PATH ? (ide && req.method === 'GET' && wantsHtml(req) ? 'ide' : 'graphql') : (OPERATIONS_ROUTES[req.path] ?? 'other')),
    }),
  );
  const httpServer = http.createServer(app);
  const apollo = new ApolloServer<Context>({
    schema: instrumentResolvers(applyPolicy(createSchema()), metrics),
    introspection: options.introspection ?? true,
    formatError: createFormatError(log),
    includeStacktraceInErrorResponses: false,
    logger: apolloLogger(logger),
    // Shutdown is the caller's (src/main.ts): Apollo must not re-raise the signal itself.
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      // Answers carry one caller's data: no cache may keep them. Said here rather than through
      // Apollo's cache-control plugin, which hooks every field's resolution to gather hints that
      // no type gives (4% of the job graph's CPU time when profiled).
      ApolloServerPluginCacheControlDisabled(),
      noStorePlugin,
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: options.drainTimeoutMs ?? 10_000 }),
      sideErrorsPlugin(log),
      legacyJsonStatusPlugin(),
      operationsPlugin(metrics, logger),
      ...limits.plugins,
    ],
  });
  await apollo.start();
  // The mutations' services: the caller's, or the configuration's defaults (closed with the server).
  const services = options.mutations ?? createMutationServices({ vendorSettings: options.vendorSettings ?? {}, log });
  const cache = options.sharedCache
    ? new SharedCache(options.sharedCache.keyv, {
        ...(options.sharedCache.ttlSeconds ? { ttlSeconds: options.sharedCache.ttlSeconds } : {}),
        events: {
          lookup: (kind, hit) => metrics.cacheLookup(kind, hit),
          failure: (operation, error) => loggerFor(logger).warn({ err: error, operation }, 'shared cache failed; treated as a miss'),
        },
      })
    : undefined;
  const contextOptions: ContextOptions = {
    ...options,
    ...(cache ? { cache } : {}),
    connectorOptions,
    onLoaderBatch: (loader, size) => metrics.loaderBatchSize.observe({ loader }, size),
    mutations: services,
  };
  const readiness = createReadiness({
    connectors: () => (options.connectorsFor ? options.connectorsFor() : createConnectors(options.connections, connectorOptions)),
    ...options.readiness,
    onFailure: (vendor, error) => loggerFor(logger).warn({ vendor, err: error }, 'vendor not ready'),
    onReport: (report, vendors) => vendors.forEach((vendor, i) => metrics.vendorReady.set({ vendor }, report.systems[i]?.ready ? 1 : 0)),
  });
  mountOperationsRoutes(app, { metrics, readiness, draining: () => draining });
  mountWebhooks(app, { secrets: options.webhookSecrets ?? {}, cache, logger });

  if (ide) {
    app.get('/', (_req, res) => res.redirect(302, GRAPHQL_PATH));
    app.get(GRAPHQL_PATH, (req, res, next) => {
      if (!wantsHtml(req)) return next();
      sendIde(req, res, options.exampleQuery, options.ideHeaders).catch(next);
    });
  }
  app.use(
    GRAPHQL_PATH,
    negotiateResponseType(),
    authenticate(authenticator, options.auth.anonymous),
    express.json({ limit: limits.maxBodyBytes }),
    limits.http,
    expressMiddleware(apollo, {
      context: async ({ req, res }) => createContext(contextOptions, { idempotencyKey: req.get('idempotency-key'), principal: principalOf(res) }),
    }),
    graphqlHttpErrors(logger),
  );
  // Failures of the other routes, also as JSON and through the logger.
  app.use(graphqlHttpErrors(logger));

  return {
    app,
    httpServer,
    apollo,
    metrics,
    logger,
    connectors: () => connectorsOf(contextOptions, DEFAULT_TENANT),
    listen: (port, host = '127.0.0.1') =>
      new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          httpServer.off('error', reject);
          const address = httpServer.address() as AddressInfo;
          resolve(`http://${host.includes(':') ? `[${address.address}]` : address.address}:${address.port}`);
        });
      }),
    close: async () => {
      draining = true;
      await apollo.stop();
      if (httpServer.listening) await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      if (!options.mutations) await services.close();
    },
  };
}
