/**
 * The Field Nation client with a fake fetch: the password-grant token request, the token in the
 * `access_token` query parameter, the sticky-list parameters, path encoding, re-authentication on
 * the legacy `400 Expired token` and on 401, and errors that carry neither token nor URL.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { resetSharedClientState } from '../../../../connectors/core/http-client.js';
import { FieldNationClient, type FieldNationClientConfig } from '../../../../connectors/fieldnation/client.js';
import { ConnectorError } from '../../../../connectors/types.js';

const CONFIG: FieldNationClientConfig = {
  baseUrl: 'https://fn.example/api/rest/v2',
  tokenUrl: 'https://fn.example/authentication/api/oauth/token',
  clientId: 'cid',
  clientSecret: 'csecret',
  username: 'api@example.org',
  password: 'pw',
};

interface Seen {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: string | undefined;
}

const WORK_ORDER = { id: 5, title: 'T', status: { id: 1, name: 'Draft' } };
const PAGE = { metadata: { total: 1, page: 1, pages: 1, per_page: 100 }, results: [WORK_ORDER] };

/** A fake vendor: tokens `tok-1`, `tok-2`... and `answer` for API calls. */
function fakeVendor(answer: (req: Seen, token: string | null) => { status: number; body: unknown }) {
  const seen: Seen[] = [];
  let tokens = 0;
  const fetchImpl = (async (input: URL | string, init: RequestInit = {}) => {
    const url = new URL(String(input));
    const req: Seen = { method: init.method ?? 'GET', url, headers: { ...(init.headers as Record<string, string>) }, body: init.body as string | undefined };
    seen.push(req);
    const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    if (url.pathname.endsWith('/oauth/token')) return json(200, { access_token: `tok-${++tokens}`, expires_in: 3600, token_type: 'Bearer' });
    const r = answer(req, url.searchParams.get('access_token'));
    return json(r.status, r.body);
  }) as typeof fetch;
  return { seen, fetchImpl, api: () => seen.filter((s) => !s.url.pathname.endsWith('/oauth/token')), tokenCalls: () => seen.filter((s) => s.url.pathname.endsWith('/oauth/token')) };
}

beforeEach(() => resetSharedClientState());

describe('FieldNationClient', () => {
  it('signs in with the password grant (JSON) and sends the token as access_token, never as a header', async () => {
    const v = fakeVendor(() => ({ status: 200, body: WORK_ORDER }));
    const c = new FieldNationClient(CONFIG, { fetch: v.fetchImpl });
    await c.getWorkOrder('5');
    const [token] = v.tokenCalls();
    expect(token!.method).toBe('POST');
    expect(token!.url.href).toBe(CONFIG.tokenUrl);
    expect(token!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(token!.body!)).toEqual({ grant_type: 'password', client_id: 'cid', client_secret: 'csecret', username: 'api@example.org', password: 'pw' });
    const [call] = v.api();
    expect(call!.url.pathname).toBe('/api/rest/v2/workorders/5');
    expect(call!.url.searchParams.get('access_token')).toBe('tok-1');
    expect(call!.headers.authorization).toBeUndefined();
  });

  it('sends form fields when the legacy encoding is configured', async () => {
    const v = fakeVendor(() => ({ status: 200, body: WORK_ORDER }));
    const c = new FieldNationClient({ ...CONFIG, tokenRequestEncoding: 'form' }, { fetch: v.fetchImpl });
    await c.getWorkOrder('5');
    const [token] = v.tokenCalls();
    expect(token!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(token!.body!))).toMatchObject({ grant_type: 'password', username: 'api@example.org' });
  });

  it('lists work orders with sticky=false, an explicit list, sort and order, and a capped page size', async () => {
    const v = fakeVendor(() => ({ status: 200, body: PAGE }));
    const c = new FieldNationClient(CONFIG, { fetch: v.fetchImpl });
    await c.listWorkOrders({ page: 2, perPage: 500 }, { f_client: '1,2' });
    const q = Object.fromEntries(v.api()[0]!.url.searchParams);
    expect(q).toMatchObject({ sticky: 'false', list: 'workorders_all', sort: 'id', order: 'asc', page: '2', per_page: '100', f_client: '1,2' });
  });

  it('encodes every path segment', async () => {
    const v = fakeVendor(() => ({ status: 404, body: { status: 404, code: 'NOT_FOUND', detail: 'nope' } }));
    const c = new FieldNationClient(CONFIG, { fetch: v.fetchImpl });
    expect(await c.getWorkOrder('12/../3')).toBeNull();
    expect(v.api()[0]!.url.pathname).toBe('/api/rest/v2/workorders/12%2F..%2F3');
  });

  it.each([
    ['the legacy 400 Expired token', 400, { status: 400, code: 'EXPIRED_TOKEN', detail: 'Expired token' }],
    ['a 401', 401, { status: 401, code: 'UNAUTHORIZED', detail: 'Invalid or expired access token' }],
  ])('signs in again once on %s', async (_name, status, body) => {
    const v = fakeVendor((_req, token) => (token === 'tok-1' ? { status, body } : { status: 200, body: WORK_ORDER }));
    const c = new FieldNationClient(CONFIG, { fetch: v.fetchImpl });
    expect((await c.getWorkOrder('5'))?.id).toBe('5');
    expect(v.tokenCalls().length).toBe(2);
    expect(v.api().map((s) => s.url.searchParams.get('access_token'))).toEqual(['tok-1', 'tok-2']);
  });

  it('does not loop when the new token is refused too, and keeps tokens and URLs out of the error', async () => {
    const v = fakeVendor(() => ({ status: 401, body: { status: 401, code: 'UNAUTHORIZED', detail: 'Invalid or expired access token' } }));
    const c = new FieldNationClient(CONFIG, { fetch: v.fetchImpl });
    const err = await c.getWorkOrder('5').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectorError);
    expect(err).toMatchObject({ kind: 'unauthorized', vendor: 'fieldnation', operation: 'workorders.get', status: 401 });
    expect(v.tokenCalls().length).toBe(2);
    const text = `${(err as Error).message} ${JSON.stringify(err)}`;
    expect(text).not.toMatch(/tok-\d|access_token=|fn\.example|csecret|"pw"/);
  });

  it('does not retry a refused write, and classifies its field errors', async () => {
    const v = fakeVendor(() => ({
      status: 422,
      body: { status: 422, code: 'UNPROCESSABLE_ENTITY', detail: 'A referenced record does not exist', errors: [{ field: 'location.id', message: 'Saved location 9 does not exist.' }] },
    }));
    const c = new FieldNationClient(CONFIG, { fetch: v.fetchImpl });
    const err = await c.assign('5', 9).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'invalid_request', status: 422, vendorCode: 'UNPROCESSABLE_ENTITY', fieldErrors: [{ field: 'location.id', message: 'Saved location 9 does not exist.' }] });
    expect(v.api().length).toBe(1);
    expect(JSON.parse(v.api()[0]!.body!)).toEqual({ user: { id: 9 } });
  });
});
