import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readmeWithMappings } from '../../scripts/mapping-tables.js';

describe('README', () => {
  it('shows the status and priority mappings the connectors really use (npm run docs:mappings)', () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(readmeWithMappings(readme)).toBe(readme);
  });
});
