/**
 * Errors through the real schema and Apollo's pipeline, with fake connectors: connector failures
 * become coded errors at the failing path with the system named; anything unexpected is masked
 * and logged; nothing upstream (URL, body, token) reaches the response.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectorError } from '../../connectors/types.js';
import { createContext } from '../../src/context.js';
import { toGlobalId } from '../../src/ids.js';
import type { Connectors } from '../../src/loaders/index.js';
import type { CustomerModel, TechnicianModel, WorkOrderModel } from '../../src/model/index.js';
import { createServer, type FieldGraphServer } from '../../src/server.js';
import { fakeConnector } from '../helpers/fake-connector.js';
import { OPEN_AUTH } from '../helpers/auth.js';

const customer = (system: 'sera' | 'astea', id: string): CustomerModel => ({ ref: { system, id }, name: `C ${id}`, crossReferences: [], tags: [], active: true });
const workOrder = (system: 'sera' | 'astea', id: string, customerId: string): WorkOrderModel => ({
  ref: { system, id },
  number: id,
  status: 'NEW',
  sourceStatus: 'new',
  customerRef: { system, id: customerId },
  equipmentRefs: [],
  technicianRefs: [],
  crossReferences: [],
  parts: [],
});
const technician: TechnicianModel = { ref: { system: 'fieldnation', id: '20007' }, name: 'Pat', skills: [], active: true };

const SECRET = 'https://user:hunter2@api.vendor.example/v2/customers?access_token=tok_123';

let server: FieldGraphServer;
let connectors: () => Connectors;
const logged: string[] = [];

async function run(query: string, variables: Record<string, unknown> = {}) {
  const res = await server.apollo.executeOperation({ query, variables }, { contextValue: createContext({ connections: {}, connectorsFor: connectors }) });
  if (res.body.kind !== 'single') throw new Error('incremental response');
  return res.body.singleResult as { data?: any; errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }> };
}

beforeAll(async () => {
  server = await createServer({ auth: OPEN_AUTH, connections: {}, connectorsFor: () => connectors(), log: (m, e) => logged.push(`${m}: ${String(e)}`) });
});
afterAll(() => server.close());

describe('errors', () => {
  it('null only the failing system fields, with the code and system at that path', async () => {
    // Sera answers work orders, but its customer reads fail (with upstream details in the message).
    const sera = fakeConnector({ vendor: 'sera', records: { workOrder: [workOrder('sera', 'w1', 'c1')], customer: [] } });
    const failingSera = {
      ...sera,
      get: async (kind: Parameters<typeof sera.get>[0], ids: readonly string[]) => {
        if (kind === 'customer') throw new ConnectorError({ kind: 'unavailable', vendor: 'sera', operation: 'customers.get', message: `HTTP 503 from ${SECRET}`, status: 503 });
        return sera.get(kind, ids);
      },
    } as typeof sera;
    const astea = fakeConnector({ vendor: 'astea', records: { workOrder: [workOrder('astea', 'w2', 'c2')], customer: [customer('astea', 'c2')] } });
    connectors = () => ({ sera: failingSera, astea });
    const ids = [toGlobalId('WorkOrder', { system: 'sera', id: 'w1' }), toGlobalId('WorkOrder', { system: 'astea', id: 'w2' })];
    const r = await run('query($ids: [ID!]!) { nodes(ids: $ids) { id ... on WorkOrder { number customer { name } } } }', { ids });
    expect(r.data.nodes[0]).toEqual({ id: ids[0], number: 'w1', customer: null });
    expect(r.data.nodes[1]).toEqual({ id: ids[1], number: 'w2', customer: { name: 'C c2' } });
    expect(r.errors).toEqual([{ message: 'Sera is unavailable; try again later.', path: ['nodes', 0, 'customer'], locations: expect.any(Array), extensions: { code: 'UPSTREAM_UNAVAILABLE', system: 'SERA' } }]);
    expect(JSON.stringify(r)).not.toMatch(/hunter2|tok_123|https?:|503/);
  });

  it('map every connector kind to its public code', async () => {
    const cases = [
      ['timeout', 'UPSTREAM_TIMEOUT'],
      ['rate_limited', 'UPSTREAM_RATE_LIMITED'],
      ['unauthorized', 'UNAUTHENTICATED'],
      ['forbidden', 'FORBIDDEN'],
      ['bad_response', 'UPSTREAM_BAD_RESPONSE'],
    ] as const;
    for (const [kind, code] of cases) {
      connectors = () => ({
        astea: fakeConnector({ vendor: 'astea', records: { customer: [] }, fail: () => new ConnectorError({ kind, vendor: 'astea', operation: 'customers.get', message: SECRET, retryAfterMs: 2500 }) }),
      });
      const r = await run('query($id: ID!) { node(id: $id) { id } }', { id: toGlobalId('Customer', { system: 'astea', id: 'c1' }) });
      expect(r.data.node).toBeNull();
      expect(r.errors?.[0]?.extensions).toEqual({ code, system: 'ASTEA', ...(kind === 'rate_limited' ? { retryAfterSeconds: 3 } : {}) });
      expect(JSON.stringify(r)).not.toMatch(/hunter2|tok_123|https?:/);
    }
  });

  it('mask and log anything unexpected', async () => {
    logged.length = 0;
    connectors = () => ({ astea: fakeConnector({ vendor: 'astea', records: { customer: [] }, fail: () => new TypeError(`Cannot read ${SECRET}`) }) });
    const r = await run('query($id: ID!) { node(id: $id) { id } }', { id: toGlobalId('Customer', { system: 'astea', id: 'c1' }) });
    expect(r.errors).toEqual([{ message: 'Internal server error', path: ['node'], locations: expect.any(Array), extensions: { code: 'INTERNAL_SERVER_ERROR' } }]);
    expect(JSON.stringify(r)).not.toMatch(/hunter2|tok_123|https?:|TypeError/);
    expect(logged.join('\n')).toContain('hunter2');
  });

  it('say NOT_SUPPORTED, with the system, for a relation a system cannot read', async () => {
    connectors = () => ({ fieldnation: fakeConnector({ vendor: 'fieldnation', records: { technician: [technician], appointment: [], workOrder: [] } }) });
    const r = await run('query($id: ID!) { node(id: $id) { ... on Technician { name appointments { totalCount } } } }', { id: toGlobalId('Technician', technician.ref) });
    expect(r.data.node).toEqual({ name: 'Pat', appointments: null });
    expect(r.errors?.[0]).toMatchObject({ path: ['node', 'appointments'], extensions: { code: 'NOT_SUPPORTED', system: 'FIELDNATION' } });
  });

  it('refuse bad ids and arguments with BAD_USER_INPUT, item by item in nodes', async () => {
    connectors = () => ({ astea: fakeConnector({ vendor: 'astea', records: { customer: [customer('astea', 'c1')] } }) });
    const good = toGlobalId('Customer', { system: 'astea', id: 'c1' });
    const unknown = toGlobalId('Customer', { system: 'astea', id: 'nope' });
    const r = await run('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: [good, 'garbage', unknown, good] });
    expect(r.data.nodes).toEqual([{ id: good }, null, null, { id: good }]);
    expect(r.errors).toHaveLength(1);
    expect(r.errors?.[0]).toMatchObject({ path: ['nodes', 1], extensions: { code: 'BAD_USER_INPUT' } });

    const tooMany = await run('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: Array(101).fill(good) });
    expect(tooMany.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');

    const page = await run('query($id: ID!) { node(id: $id) { ... on Customer { locations(first: 500) { totalCount } } } }', { id: good });
    expect(page.errors?.[0]).toMatchObject({ path: ['node', 'locations'], extensions: { code: 'BAD_USER_INPUT' } });

    const invalid = await run('{ node(id: 1) { nope } }');
    expect(invalid.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});
