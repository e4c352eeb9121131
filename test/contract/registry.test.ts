/**
 * The registry builds every connector from a running sandbox's own description, and each one
 * signs in: the wiring `npm start` uses in sandbox mode.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONNECTORS, createConnectors, sandboxConnections } from '../../connectors/registry.js';
import type { VendorInfo } from '../../connectors/sandbox/kit.js';
import type { Sandbox } from '../../connectors/sandbox/server.js';
import { VENDOR_KEYS } from '../../connectors/vendors.js';
import { startTestSandbox } from '../helpers/sandbox.js';
import { resetSharedClientState } from '../../connectors/core/http-client.js';

let sandbox: Sandbox;
let infos: VendorInfo[];
beforeAll(async () => {
  sandbox = await startTestSandbox();
  infos = ((await (await fetch(`${sandbox.origin}/_sandbox`)).json()) as { vendors: VendorInfo[] }).vendors;
});
afterAll(() => sandbox.close());

describe('connector registry', () => {
  it('builds all five connectors from the sandbox and each one signs in', async () => {
    const connectors = createConnectors(sandboxConnections(infos));
    expect(Object.keys(connectors).sort()).toEqual([...VENDOR_KEYS].sort());
    for (const vendor of VENDOR_KEYS) {
      await expect(connectors[vendor]!.ping(), vendor).resolves.toBeUndefined();
      expect(connectors[vendor]!.vendor).toBe(vendor);
    }
  });

  it('refuses a connection that breaks its schema, and a connector with wrong credentials fails to sign in', async () => {
    expect(() => createConnectors({ sera: { baseUrl: 'not a url' } })).toThrow();
    resetSharedClientState();
    for (const vendor of VENDOR_KEYS) {
      const info = infos.find((i) => i.key === vendor)!;
      const wrong = { ...info, auth: { ...info.auth, clientSecret: 'wrong-secret' } };
      const connector = CONNECTORS[vendor].create(CONNECTORS[vendor].fromSandbox(wrong));
      await expect(connector.ping(), vendor).rejects.toMatchObject({ vendor });
    }
  });
});
