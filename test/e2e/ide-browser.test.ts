/**
 * The IDE in a real browser: Debian's Chromium, driven by playwright-core, opens `GET /graphql`
 * from a gateway over the sandbox with every request not to 127.0.0.1 blocked and recorded. The
 * page loads, runs the preloaded job-graph query, and the result pane shows the first work
 * order's number; nothing left the machine; the headers configured in the page's headers editor
 * went with every GraphQL request (the seam for API keys). Saves `test/artifacts/ide.png`.
 * Skipped only when /usr/bin/chromium is missing (CI installs it).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxConnections } from '../../connectors/registry.js';
import type { VendorInfo } from '../../connectors/sandbox/kit.js';
import type { Sandbox } from '../../connectors/sandbox/server.js';
import { VENDOR_KEYS } from '../../connectors/vendors.js';
import { exampleQuery } from '../../src/gateway.js';
import { toGlobalId } from '../../src/ids.js';
import { createLogger } from '../../src/observability/log.js';
import { createServer, type FieldGraphServer } from '../../src/server.js';
import { startTestSandbox } from '../helpers/sandbox.js';
import { testKey } from '../helpers/auth.js';

const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
if (!HAVE_CHROMIUM) console.warn(`[ide-browser] skipped: ${CHROMIUM} is missing (install Debian's chromium; .ci/run does)`);

// The flags Chromium needs headless as root in a container (stack notes); playwright gives every
// launch a fresh temporary profile.
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const SCREENSHOT = fileURLToPath(new URL('../artifacts/ide.png', import.meta.url));

describe.skipIf(!HAVE_CHROMIUM)('the IDE in Chromium', () => {
  let sandbox: Sandbox;
  let server: FieldGraphServer;
  let browser: Browser;
  let origin: string;
  let firstNumber: string;

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    const index = (await (await fetch(`${sandbox.origin}/_sandbox`)).json()) as { vendors: VendorInfo[] };
    const first = VENDOR_KEYS.map((vendor) => ({ vendor, wo: sandbox.dataset.vendors[vendor].workOrders[0]! }));
    firstNumber = first[0]!.wo.number!;
    // A real key: the IDE's headers editor holds it, as `npm start` puts the development key there.
    // Billing reads every field of the job graph, so the answer has no errors above its data.
    const ideKey = testKey('ide-billing', ['billing']);
    server = await createServer({
      auth: { apiKeys: [ideKey.entry] },
      connections: sandboxConnections(index.vendors),
      exampleQuery: exampleQuery(first.map(({ vendor, wo }) => toGlobalId('WorkOrder', { system: vendor, id: wo.id }))),
      ideHeaders: { ...ideKey.header, 'x-fieldgraph-client': 'ide-browser-test' },
      logger: createLogger({ level: 'silent' }),
    });
    origin = await server.listen(0);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await sandbox?.close();
  });

  it('loads offline, runs the preloaded job-graph query and shows the result', async () => {
    expect(firstNumber).toBeTruthy();
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const offMachine: string[] = [];
    const graphqlRequests: Array<{ method: string; headers: Record<string, string> }> = [];
    await page.route('**/*', async (route) => {
      const url = new URL(route.request().url());
      if (url.hostname === '127.0.0.1') return route.continue();
      offMachine.push(url.href);
      return route.abort('blockedbyclient');
    });
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.hostname === '127.0.0.1' && url.pathname === '/graphql' && request.method() === 'POST') {
        graphqlRequests.push({ method: request.method(), headers: request.headers() });
      }
    });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));

    const response = await page.goto(`${origin}/graphql`, { waitUntil: 'load' });
    expect(response?.status()).toBe(200);
    const run = page.locator('.graphiql-execute-button');
    await run.waitFor({ state: 'visible', timeout: 30_000 });
    // The preloaded example is the job graph.
    await page.waitForFunction(() => document.querySelector('.graphiql-query-editor')?.textContent?.includes('JobGraph'), undefined, { timeout: 30_000 });
    await run.click();
    await page.waitForFunction((n) => document.querySelector('.graphiql-response')?.textContent?.includes(`"${n}"`), firstNumber, { timeout: 30_000 });
    // Monaco renders spaces as no-break spaces.
    const result = ((await page.locator('.graphiql-response').textContent()) ?? '').replace(/\s+/g, ' ');
    expect(result).toContain('"data"');
    expect(result).toContain(`"number": "${firstNumber}"`);

    mkdirSync(fileURLToPath(new URL('../artifacts/', import.meta.url)), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: false });
    expect(existsSync(SCREENSHOT)).toBe(true);

    expect(offMachine).toEqual([]);
    expect(pageErrors).toEqual([]);
    // The query ran over POST /graphql with the headers the page's headers editor holds.
    expect(graphqlRequests.length).toBeGreaterThan(0);
    for (const r of graphqlRequests) {
      expect(r.headers['x-fieldgraph-client']).toBe('ide-browser-test');
      expect(r.headers.authorization).toMatch(/^Bearer /);
    }
    await context.close();
  }, 90_000);
});
