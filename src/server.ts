/**
 * The HTTP server: Apollo Server 5 on express 5. GraphQL at `/graphql` (POST, and GET for
 * queries); browsers that open `/graphql` (Accept: text/html) get the IDE, a self-contained
 * GraphiQL page that loads nothing from another origin, and `/` redirects there. Apollo's own
 * landing page, which loads from CDNs, is disabled. {@link createServer} does not listen, so tests
 * and the gateway choose where.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import express, { type Express, type Request, type Response } from 'express';
import { createConnectors } from '../connectors/registry.js';
import { createContext, type Context, type ContextOptions } from './context.js';
import { createFormatError, type ErrorLogger } from './errors.js';
import { createSchema } from './schema.js';

/** Where GraphQL and the IDE are served. */
export const GRAPHQL_PATH = '/graphql';

/** Options of {@link createServer}. */
export interface ServerOptions extends ContextOptions {
  /** Answer introspection queries (default true: analysts explore the schema in the IDE). */
  introspection?: boolean;
  /** Serve the IDE to browsers at `/graphql` (default true). */
  ide?: boolean;
  /** The query the IDE opens with. */
  exampleQuery?: string;
  /** Where unexpected errors are logged (default: one line on stderr). */
  log?: ErrorLogger;
}

/** A server that is built but not yet listening. */
export interface FieldGraphServer {
  app: Express;
  httpServer: http.Server;
  apollo: ApolloServer<Context>;
  /** Listens on `host` (default 127.0.0.1) and `port` (0: a free one); resolves the origin, e.g. `http://127.0.0.1:4000`. */
  listen(port: number, host?: string): Promise<string>;
  /** Stops Apollo and the HTTP server (in-flight requests finish first). */
  close(): Promise<void>;
}

const defaultLog: ErrorLogger = (message, error) => {
  const e = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  console.error(`[fieldgraph] ${message}: ${e}`);
};

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

/** The IDE page for `exampleQuery`. */
export function renderIde(exampleQuery?: string): Promise<IdePage> {
  const key = exampleQuery ?? '';
  let page = idePages.get(key);
  if (!page) {
    page = (async () => {
      const html = Buffer.from(
        renderGraphiQL({ endpoint: GRAPHQL_PATH, title: 'FieldGraph', ...(exampleQuery ? { defaultQuery: exampleQuery } : {}) }),
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

async function sendIde(req: Request, res: Response, exampleQuery: string | undefined): Promise<void> {
  const page = await renderIde(exampleQuery);
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

/**
 * Builds the server: checks every vendor connection (throws when one is invalid), builds the
 * schema, starts Apollo and mounts it on a new express app. Each request gets its own connectors
 * and loaders (see {@link createContext}).
 */
export async function createServer(options: ServerOptions): Promise<FieldGraphServer> {
  // Fail at start-up, not on the first request, when a connection is invalid.
  if (!options.connectorsFor) createConnectors(options.connections, options.connectorOptions);
  const log = options.log ?? defaultLog;
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  const apollo = new ApolloServer<Context>({
    schema: createSchema(),
    introspection: options.introspection ?? true,
    formatError: createFormatError(log),
    includeStacktraceInErrorResponses: false,
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginDrainHttpServer({ httpServer })],
  });
  await apollo.start();

  if (options.ide ?? true) {
    app.get('/', (_req, res) => res.redirect(302, GRAPHQL_PATH));
    app.get(GRAPHQL_PATH, (req, res, next) => {
      if (!wantsHtml(req)) return next();
      sendIde(req, res, options.exampleQuery).catch(next);
    });
  }
  app.use(
    GRAPHQL_PATH,
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, {
      context: async () => createContext(options),
    }),
  );

  return {
    app,
    httpServer,
    apollo,
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
      await apollo.stop();
      if (httpServer.listening) await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}
