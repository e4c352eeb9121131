/**
 * Who may ask what, over real HTTP: API keys and JWTs become principals, a request without a valid
 * credential is refused with 401 before anything runs, and each role's allowed and refused
 * operations and fields behave the same through `node`, root lists and relationships. Another
 * tenant's ids are refused without a vendor call.
 */
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { getNamedType, isObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VENDOR_KEYS, type VendorKey } from '../../connectors/vendors.js';
import type { Role } from '../../src/auth/principal.js';
import { toGlobalId } from '../../src/ids.js';
import { createSchema } from '../../src/schema.js';
import { testKey } from '../helpers/auth.js';
import { resetStats, sandboxStats, startTestGateway, writesOf, type TestGateway } from '../helpers/gateway.js';
import type { StatsSnapshot } from '../../connectors/sandbox/stats.js';

const ISSUER = 'https://id.example.test/';
const keys = Object.fromEntries((['viewer', 'dispatcher', 'billing', 'admin'] as Role[]).map((r) => [r, testKey(`test-${r}`, [r])])) as Record<Role, ReturnType<typeof testKey>>;
const acme = testKey('acme-admin', ['admin'], 'acme');

let gw: TestGateway;
let signer: CryptoKey;
let stranger: CryptoKey;

beforeAll(async () => {
  const pair = await generateKeyPair('ES256');
  signer = pair.privateKey;
  stranger = (await generateKeyPair('ES256')).privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  gw = await startTestGateway({
    auth: {
      apiKeys: [...Object.values(keys).map((k) => k.entry), acme.entry],
      jwt: { jwks: { keys: [jwk] }, issuer: ISSUER, audience: 'fieldgraph', tenantClaim: 'tenant', rolesClaim: 'roles', algorithms: ['ES256'], clockToleranceSeconds: 5 },
    },
    tenants: ['acme'],
  });
}, 60_000);
afterAll(() => gw?.close());

interface Answer {
  status: number;
  headers: Headers;
  body: { data?: any; errors?: Array<{ message: string; path?: Array<string | number>; extensions?: { code?: string } }> };
}

async function post(query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(gw.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Answer['body'] };
}

/** Upstream calls (sign-ins excluded) in a stats snapshot, per vendor and endpoint. */
function readsOf(s: StatsSnapshot): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of VENDOR_KEYS) {
    for (const [e, stat] of Object.entries(s.vendors[v]?.endpoints ?? {})) {
      if (/sessions|token/.test(e)) continue;
      out[`${v} ${e}`] = stat.count;
    }
  }
  return out;
}

const wo = (vendor: VendorKey, i = 0) => toGlobalId('WorkOrder', { system: vendor, id: gw.sandbox.dataset.vendors[vendor].workOrders[i]!.id });

const JOB = /* GraphQL */ `
  query Job($id: ID!) {
    node(id: $id) {
      id
      ... on WorkOrder {
        number
        total { amount }
        customer { id name balance { amount } }
        invoices { nodes { id total { amount } } }
        appointments { nodes { id } }
      }
    }
  }
`;

async function jwt(claims: Record<string, unknown>, options: { key?: CryptoKey; expires?: string; audience?: string; issuer?: string } = {}): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
    .setSubject('user-17')
    .setIssuer(options.issuer ?? ISSUER)
    .setAudience(options.audience ?? 'fieldgraph')
    .setIssuedAt()
    .setExpirationTime(options.expires ?? '10m')
    .sign(options.key ?? signer);
}

describe('authentication', () => {
  it('refuses requests without a valid credential with 401 and runs nothing', async () => {
    await resetStats(gw.sandbox);
    const cases: Array<[Record<string, string>, string]> = [
      [{}, 'invalid_request'],
      [{ authorization: 'Basic dXNlcjpwYXNz' }, 'invalid_request'],
      [{ authorization: 'Bearer not-a-key' }, 'invalid_token'],
      [{ authorization: `Bearer ${keys.admin.key.slice(0, -2)}xx` }, 'invalid_token'],
      [{ authorization: `Bearer ${await jwt({ tenant: 'default', roles: ['admin'] }, { key: stranger })}` }, 'invalid_token'],
      [{ authorization: `Bearer ${await jwt({ tenant: 'default', roles: ['admin'] }, { expires: '-1m' })}` }, 'invalid_token'],
      [{ authorization: `Bearer ${await jwt({ tenant: 'default', roles: ['admin'] }, { audience: 'someone-else' })}` }, 'invalid_token'],
      [{ authorization: `Bearer ${await jwt({ tenant: 'default', roles: ['superuser'] })}` }, 'invalid_token'],
    ];
    for (const [headers, error] of cases) {
      const r = await post(JOB, { id: wo('sera') }, headers);
      expect(r.status, JSON.stringify(headers)).toBe(401);
      expect(r.headers.get('www-authenticate')).toContain(`error="${error}"`);
      expect(r.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(r.body.data).toBeUndefined();
    }
    // Nothing reached a vendor, not even a sign-in.
    const s = await sandboxStats(gw.sandbox);
    expect(VENDOR_KEYS.flatMap((v) => Object.values(s.vendors[v]?.endpoints ?? {}).map((e) => e.count)).reduce((a, b) => a + b, 0)).toBe(0);
  });

  it('accepts an API key and a JWT verified against the key set', async () => {
    const byKey = await post(JOB, { id: wo('sera') }, keys.admin.header);
    expect(byKey.status).toBe(200);
    expect(byKey.body.data.node.number).toBeTruthy();
    const token = await jwt({ tenant: 'default', roles: ['dispatcher'] });
    const byJwt = await post(JOB, { id: wo('sera') }, { authorization: `Bearer ${token}` });
    expect(byJwt.status).toBe(200);
    expect(byJwt.body.data.node.number).toBe(byKey.body.data.node.number);
  });
});

describe('authorization below the resolvers', () => {
  it('shows a viewer the job but not its money: invoices and Money fields answer FORBIDDEN, with no invoice call', async () => {
    await resetStats(gw.sandbox);
    const r = await post(JOB, { id: wo('servicetitan') }, keys.viewer.header);
    expect(r.status).toBe(200);
    expect(r.body.data.node.number).toBeTruthy();
    expect(r.body.data.node.customer.name).toBeTruthy();
    expect(r.body.data.node.invoices).toBeNull();
    expect(r.body.data.node.total).toBeNull();
    const forbidden = (r.body.errors ?? []).filter((e) => e.extensions?.code === 'FORBIDDEN').map((e) => e.path?.join('.'));
    expect(forbidden).toEqual(expect.arrayContaining(['node.invoices', 'node.total', 'node.customer.balance']));
    expect(Object.keys(readsOf(await sandboxStats(gw.sandbox))).filter((e) => /invoice/.test(e))).toEqual([]);
  });

  it('shows billing the invoices', async () => {
    const r = await post(JOB, { id: wo('servicetitan') }, keys.billing.header);
    expect(r.body.errors ?? []).toEqual([]);
    expect(Array.isArray(r.body.data.node.invoices.nodes)).toBe(true);
  });

  it('applies the same rule to node(id) and to the root lists, without a vendor call', async () => {
    const inv = gw.sandbox.dataset.vendors.sera.invoices[0]!;
    const invoiceId = toGlobalId('Invoice', { system: 'sera', id: inv.id });
    await resetStats(gw.sandbox);
    const byNode = await post(`query($id: ID!) { node(id: $id) { id } }`, { id: invoiceId }, keys.dispatcher.header);
    expect(byNode.body.data.node).toBeNull();
    expect(byNode.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    for (const list of ['invoices', 'claims']) {
      const byList = await post(`{ ${list}(first: 5) { nodes { id } } }`, {}, keys.dispatcher.header);
      expect(byList.body.errors?.map((e) => [e.path?.join('.'), e.extensions?.code])).toEqual([[list, 'FORBIDDEN']]);
    }
    expect(readsOf(await sandboxStats(gw.sandbox))).toEqual({});
    const billing = await post(`query($id: ID!) { node(id: $id) { id ... on Invoice { total { amount } } } }`, { id: invoiceId }, keys.billing.header);
    expect(billing.body.data.node.total.amount).toMatch(/^-?\d+\.\d\d$/);
  });

  it("refuses each mutation to the roles it does not name, writing nothing; allows it to those it names", async () => {
    const sera = gw.sandbox.dataset.vendors.sera;
    const customer = toGlobalId('Customer', { system: 'sera', id: sera.workOrders[0]!.customerId! });
    const create = `mutation($input: CreateWorkOrderInput!) { createWorkOrder(input: $input) { userErrors { code } workOrder { id } } }`;
    const input = { targetSystem: 'SERA', customer: { id: customer }, serviceType: 'maintenance', summary: 'Role test' };
    const enroll = `mutation($input: EnrollMembershipInput!) { enrollMembership(input: $input) { userErrors { code } } }`;
    const claim = `mutation($input: SubmitClaimInput!) { submitClaim(input: $input) { userErrors { code } } }`;
    const dispatch = `mutation($input: DispatchInput!) { dispatch(input: $input) { userErrors { code } } }`;
    const refusals: Array<[Role, string, Record<string, unknown>]> = [
      ['viewer', create, { input }],
      ['billing', create, { input }],
      ['viewer', dispatch, { input: { workOrder: wo('sera'), window: { start: '2027-03-02T14:00:00Z', end: '2027-03-02T16:00:00Z' } } }],
      ['dispatcher', claim, { input: { workOrder: wo('servicepower'), claimType: 'warranty', labor: { minutes: 60, hourlyRate: '85.00' }, resolution: { code: 'X' } } }],
      ['dispatcher', enroll, { input: { customer, plan: 'x', startDate: '2027-01-01', billingCadence: 'ANNUAL' } }],
    ];
    await resetStats(gw.sandbox);
    for (const [role, query, variables] of refusals) {
      const r = await post(query, variables, keys[role].header);
      expect(r.body.errors?.[0]?.extensions?.code, `${role}: ${query.slice(0, 40)}`).toBe('FORBIDDEN');
    }
    expect(readsOf(await sandboxStats(gw.sandbox))).toEqual({});
    const allowed = await post(create, { input }, keys.dispatcher.header);
    expect(allowed.body.errors ?? []).toEqual([]);
    expect(allowed.body.data.createWorkOrder.workOrder.id).toBeTruthy();
    expect(Object.values(writesOf(await sandboxStats(gw.sandbox)).sera).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });

  it('never returns a payment-method token: no output field of the schema can hold one', () => {
    const schema = createSchema();
    const offending: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      for (const field of Object.values(type.getFields())) {
        if (/payment.*(token|method)|token/i.test(field.name) && getNamedType(field.type).name !== 'Boolean') offending.push(`${type.name}.${field.name}`);
      }
    }
    expect(offending).toEqual([]);
  });
});

describe('tenants', () => {
  it("refuses another tenant's ids before any vendor call, and issues each tenant its own ids", async () => {
    await resetStats(gw.sandbox);
    const r = await post(JOB, { id: wo('sera') }, acme.header);
    expect(r.status).toBe(200);
    expect(r.body.data.node).toBeNull();
    expect(r.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const filtered = await post(`query($c: ID!) { workOrders(first: 3, filter: { customer: $c }) { nodes { id } } }`, { c: toGlobalId('Customer', { system: 'sera', id: 'x' }) }, acme.header);
    expect(filtered.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(readsOf(await sandboxStats(gw.sandbox))).toEqual({});
    // Through its own connections, acme reads the same record under an id of its own.
    const theirs = toGlobalId('WorkOrder', { system: 'sera', id: gw.sandbox.dataset.vendors.sera.workOrders[0]!.id }, 'acme');
    const own = await post(`query($id: ID!) { node(id: $id) { id } }`, { id: theirs }, acme.header);
    expect(own.body.data.node.id).toBe(theirs);
    expect(theirs).not.toBe(wo('sera'));
  });
});
