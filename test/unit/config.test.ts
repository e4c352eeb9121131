import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';

describe('configuration', () => {
  it('has sandbox defaults', () => {
    const c = loadConfig({});
    expect(c.sandbox).toMatchObject({ port: 4010, host: '127.0.0.1', seed: 42, customers: 320, faults: {} });
  });

  it('reads the environment, faults included', () => {
    const c = loadConfig({ SANDBOX_PORT: '0', SANDBOX_SEED: '7', SANDBOX_FAULTS: '{"sera":{"latencyMs":25,"jitterMs":10}}' });
    expect(c.sandbox.port).toBe(0);
    expect(c.sandbox.seed).toBe(7);
    expect(c.sandbox.faults.sera).toMatchObject({ latencyMs: 25, jitterMs: 10 });
  });

  it('has gateway defaults and reads PORT, FIELDGRAPH_HOST, FIELDGRAPH_INTROSPECTION, LOG_LEVEL and FIELDGRAPH_DRAIN_TIMEOUT_MS', () => {
    expect(loadConfig({}).server).toEqual({ port: 4000, host: '127.0.0.1', introspection: true, logLevel: 'info', drainTimeoutMs: 10_000 });
    expect(loadConfig({ PORT: '0', FIELDGRAPH_HOST: '::1', FIELDGRAPH_INTROSPECTION: 'false', LOG_LEVEL: 'debug', FIELDGRAPH_DRAIN_TIMEOUT_MS: '2500' }).server).toEqual({
      port: 0,
      host: '::1',
      introspection: false,
      logLevel: 'debug',
      drainTimeoutMs: 2500,
    });
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/server\.logLevel/);
    expect(() => loadConfig({ PORT: 'http' })).toThrow(/server\.port/);
  });

  it('refuses invalid settings with every problem named', () => {
    expect(() => loadConfig({ SANDBOX_PORT: 'abc', SANDBOX_FAULTS: '{"sera":{"errorRate":2}}' })).toThrow(/sandbox\.port[\s\S]*sandbox\.faults\.sera\.errorRate/);
    expect(() => loadConfig({ SANDBOX_FAULTS: '{' })).toThrow(/SANDBOX_FAULTS is not valid JSON/);
  });

  it('checks each vendor connection with its connector schema, and live mode needs one', () => {
    const st = {
      tokenUrl: 'https://auth.example.test/connect/token',
      apiBaseUrl: 'https://api.example.test',
      clientId: 'cid.x',
      clientSecret: 'cs1.x',
      appKey: 'ak1.x',
      tenant: '1000000001',
    };
    const c = loadConfig({ FIELDGRAPH_MODE: 'live', FIELDGRAPH_VENDORS: JSON.stringify({ servicetitan: st }) });
    expect(c.mode).toBe('live');
    expect(c.vendors.servicetitan).toMatchObject({ tenant: '1000000001' });
    expect(() => loadConfig({ FIELDGRAPH_VENDORS: JSON.stringify({ servicetitan: { ...st, tenant: 'acme' } }) })).toThrow(/vendors\.servicetitan\.tenant/);
    expect(() => loadConfig({ FIELDGRAPH_VENDORS: JSON.stringify({ nosuchvendor: {} }) })).toThrow(/vendors/);
    expect(() => loadConfig({ FIELDGRAPH_MODE: 'live' })).toThrow(/live mode needs at least one vendor/);
  });
});
