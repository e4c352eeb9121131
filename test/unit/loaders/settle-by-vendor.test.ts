/**
 * A loader batch over several vendors settles each vendor's keys on their own: a fast vendor's
 * records are there while a slow vendor of the same batch is still answering, and one vendor's
 * failure rejects only its own keys.
 */
import { describe, expect, it } from 'vitest';
import { ConnectorError } from '../../../connectors/types.js';
import { createLoaders } from '../../../src/loaders/index.js';
import type { CustomerModel, RecordRef } from '../../../src/model/index.js';
import { fakeConnector } from '../../helpers/fake-connector.js';

const ref = (system: RecordRef['system'], id: string): RecordRef => ({ system, id });
const customer = (system: RecordRef['system'], id: string): CustomerModel => ({ ref: ref(system, id), name: `Customer ${id}`, crossReferences: [], tags: [], active: true });

/** A connector whose reads wait until `release` is called. */
function held(system: RecordRef['system'], ids: string[], fail?: () => Error) {
  const connector = fakeConnector({ vendor: system, records: { customer: ids.map((id) => customer(system, id)) }, ...(fail ? { fail } : {}) });
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const get = connector.get.bind(connector);
  connector.get = async (kind, keys) => {
    await gate;
    return get(kind, keys);
  };
  return { connector, release };
}

describe('loader batches settle vendor by vendor', () => {
  it("answers a fast vendor's keys while a slow vendor of the same batch is still reading", async () => {
    const slow = held('servicetitan', ['1']);
    const fast = fakeConnector({ vendor: 'sera', records: { customer: [customer('sera', 'a')] } });
    const loaders = createLoaders({ servicetitan: slow.connector, sera: fast });
    let slowDone = false;
    const slowLoad = loaders.customer.load(ref('servicetitan', '1')).then((c) => ((slowDone = true), c));
    const fastLoad = loaders.customer.load(ref('sera', 'a'));
    expect((await fastLoad)?.name).toBe('Customer a');
    expect(slowDone).toBe(false);
    slow.release();
    expect((await slowLoad)?.name).toBe('Customer 1');
    // One batch still: each vendor read once.
    expect(fast.calls).toHaveLength(1);
    expect(slow.connector.calls).toHaveLength(1);
  });

  it("rejects only the failing vendor's keys", async () => {
    const failing = held('servicetitan', ['1'], () => new ConnectorError({ kind: 'unavailable', vendor: 'servicetitan', operation: 'customer.get', message: 'down' }));
    const fine = fakeConnector({ vendor: 'sera', records: { customer: [customer('sera', 'a')] } });
    const loaders = createLoaders({ servicetitan: failing.connector, sera: fine });
    failing.release();
    const [st, sera] = await Promise.allSettled([loaders.customer.load(ref('servicetitan', '1')), loaders.customer.load(ref('sera', 'a'))]);
    expect(st).toMatchObject({ status: 'rejected', reason: { kind: 'unavailable' } });
    expect(sera).toMatchObject({ status: 'fulfilled', value: { name: 'Customer a' } });
  });
});
