/**
 * Export feeds (ST-EXPORT): `GET /{module}/v2/tenant/{t}/export/{resource}` for the high-traffic
 * resources (here customers and jobs). Rows come in change order, active, inactive and deleted
 * alike, without filters; a row changed again moves to the end of the feed. Call with `from`
 * (a continuation token, or a date for the first run) until `hasMore` is false, then keep
 * `continueFrom` for the next incremental run. Changes reach the feed about 15 minutes late unless
 * `includeRecentChanges=true`.
 */
import { z } from 'zod';
import type { RouteDef } from '../../sandbox/kit.js';
import { EXPORT_CHUNK, EXPORT_DELAY_MS } from './constants.js';
import { badRequest, errorDocs } from './errors.js';
import { base, ok, route, TENANT, type SimState, type StRequest } from './http.js';
import { boolParam, parseDateParam } from './query.js';
import { renderCustomer, renderJob } from './render.js';
import { CustomerSchema, exportChunk, JobSchema } from './schemas.js';
import type { TenantStore } from './store.js';
import type { Table } from './table.js';

const TOKEN_PREFIX = 'stx1.';

/** Opaque continuation token for a feed position. */
export function exportToken(seq: number): string {
  return TOKEN_PREFIX + Buffer.from(JSON.stringify({ s: seq })).toString('base64url');
}

function readToken(from: string): number | undefined {
  if (!from.startsWith(TOKEN_PREFIX)) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(from.slice(TOKEN_PREFIX.length), 'base64url').toString('utf8')) as { s?: unknown };
    return typeof parsed.s === 'number' && Number.isSafeInteger(parsed.s) && parsed.s >= 0 ? parsed.s : undefined;
  } catch {
    return undefined;
  }
}

const query = z.object({
  from: z
    .string()
    .optional()
    .describe('Continuation token from the previous call (`continueFrom`), or a date (modifiedOn start) for the first call; absent: from the beginning.'),
  includeRecentChanges: boolParam('Include changes of the last ~15 minutes (may return a row again in a later call).'),
});

/** One export chunk of `table` after the position in `from`. */
function chunk<T extends { id: number; modifiedOn: string }, W>(
  state: SimState,
  req: StRequest<z.infer<typeof query>, undefined>,
  table: Table<T>,
  render: (row: T) => W,
): { hasMore: boolean; continueFrom: string; data: W[] } {
  const from = req.query.from?.trim();
  let after = 0;
  let since: number | undefined;
  if (from !== undefined && from !== '') {
    const seq = readToken(from);
    if (seq !== undefined) after = seq;
    else {
      since = /^\d{4}-\d{2}-\d{2}/.test(from) ? parseDateParam(from) : Number.NaN;
      if (Number.isNaN(since)) throw badRequest(req, { from: ['Expected a continuation token or a date.'] });
    }
  }
  const includeRecent = (req.query.includeRecentChanges ?? '').toLowerCase() === 'true';
  const cutoff = state.now().getTime() - EXPORT_DELAY_MS;
  const data: W[] = [];
  let last = after;
  let hasMore = false;
  for (const e of table.feedAfter(after)) {
    // The feed is in change order: the first change still inside the delay ends what is visible now.
    if (!includeRecent && e.changedAt > cutoff) break;
    if (since !== undefined && Date.parse(e.row.modifiedOn) < since) {
      last = e.seq;
      continue;
    }
    if (data.length === EXPORT_CHUNK) {
      hasMore = true;
      break;
    }
    data.push(render(e.row));
    last = e.seq;
  }
  return { hasMore, continueFrom: exportToken(last), data };
}

/** Export routes. */
export function exportRoutes(state: SimState): RouteDef[] {
  const store = (req: { auth: { tenant: string } }): TenantStore => state.store(req.auth.tenant);
  const description = `Rows in change order, ${EXPORT_CHUNK} per call, including inactive rows; follow continueFrom while hasMore.`;
  return [
    route({
      method: 'GET',
      path: `${base('crm')}/export/customers`,
      operationId: 'Export_Customers',
      summary: 'Provides export feed for customers',
      description,
      tags: ['Export'],
      pathParams: TENANT,
      query,
      responses: { 200: { description: 'A chunk of the customer feed.', schema: exportChunk(CustomerSchema) }, ...errorDocs(400) },
      handler: (req) => {
        const s = store(req);
        return ok(chunk(state, req, s.customers, (c) => renderCustomer(s, c)));
      },
    }),
    route({
      method: 'GET',
      path: `${base('jpm')}/export/jobs`,
      operationId: 'Export_Jobs',
      summary: 'Provides export feed for jobs',
      description,
      tags: ['Export'],
      pathParams: TENANT,
      query,
      responses: { 200: { description: 'A chunk of the job feed.', schema: exportChunk(JobSchema) }, ...errorDocs(400) },
      handler: (req) => {
        const s = store(req);
        return ok(chunk(state, req, s.jobs, (j) => renderJob(s, j)));
      },
    }),
  ];
}
