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

  it('refuses invalid settings with every problem named', () => {
    expect(() => loadConfig({ SANDBOX_PORT: 'abc', SANDBOX_FAULTS: '{"sera":{"errorRate":2}}' })).toThrow(/sandbox\.port[\s\S]*sandbox\.faults\.sera\.errorRate/);
    expect(() => loadConfig({ SANDBOX_FAULTS: '{' })).toThrow(/SANDBOX_FAULTS is not valid JSON/);
  });
});
