/**
 * Global ids: opaque base64url of `tenant/Type:vendor:vendorId`, one id per record, every
 * malformed id refused with BAD_USER_INPUT and another tenant's with FORBIDDEN.
 */
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { fromGlobalId, NODE_TYPES, sourceSystemOf, toGlobalId, TYPE_OF_KIND } from '../../src/ids.js';

function codeOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e instanceof GraphQLError ? e.extensions.code : e;
  }
  return 'no error';
}

describe('global ids', () => {
  it('round-trip every type, with ids that contain colons, dashes and unicode', () => {
    for (const type of Object.keys(NODE_TYPES) as Array<keyof typeof NODE_TYPES>) {
      for (const id of ['5400000001', 'wo_0093b1', '100001-1', 'a:b:c', 'Zürich 7']) {
        const global = toGlobalId(type, { system: 'sera', id });
        expect(global).toMatch(/^[A-Za-z0-9_-]+$/);
        expect(fromGlobalId(global, undefined, 'default')).toEqual({ type, kind: NODE_TYPES[type], ref: { system: 'sera', id } });
      }
    }
  });

  it('are opaque: the type and system are not visible as text', () => {
    const id = toGlobalId('WorkOrder', { system: 'servicetitan', id: '5400000001' });
    expect(id).not.toContain('WorkOrder');
    expect(id).not.toContain('servicetitan');
  });

  it('refuse malformed ids with BAD_USER_INPUT', () => {
    const enc = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
    const bad = [
      '',
      'not base64!',
      enc('default/WorkOrder'),
      enc('default/WorkOrder:sera'),
      enc('default/WorkOrder:sera:'),
      enc('default/Widget:sera:1'),
      enc('default/WorkOrder:acme:1'),
      enc('default/WorkOrder:SERA:1'),
      enc('default/WorkOrder:sera:a\nb'),
      enc('WorkOrder:sera:wo_1'),
      enc('Default/WorkOrder:sera:wo_1'),
      `${enc('default/WorkOrder:sera:wo_1')}=`,
      Buffer.from('default/WorkOrder:sera:wo_12').toString('base64'),
      'x'.repeat(500),
    ];
    for (const id of bad) expect(codeOf(() => fromGlobalId(id, undefined, 'default')), id).toBe('BAD_USER_INPUT');
  });

  it('accept only the canonical encoding, so one record has exactly one id', () => {
    const id = toGlobalId('Customer', { system: 'astea', id: 'cust_1' });
    expect(codeOf(() => fromGlobalId(`${id}A`, undefined, 'default'))).toBe('BAD_USER_INPUT');
  });

  it('check the expected type when asked', () => {
    const id = toGlobalId('Customer', { system: 'astea', id: 'cust_1' });
    expect(fromGlobalId(id, 'Customer', 'default').ref.id).toBe('cust_1');
    expect(codeOf(() => fromGlobalId(id, 'WorkOrder', 'default'))).toBe('BAD_USER_INPUT');
  });

  it("refuse another tenant's ids with FORBIDDEN, whatever they name", () => {
    const theirs = toGlobalId('WorkOrder', { system: 'sera', id: 'wo_1' }, 'acme');
    expect(theirs).not.toBe(toGlobalId('WorkOrder', { system: 'sera', id: 'wo_1' }));
    expect(fromGlobalId(theirs, 'WorkOrder', 'acme').ref).toEqual({ system: 'sera', id: 'wo_1' });
    expect(codeOf(() => fromGlobalId(theirs, 'WorkOrder', 'default'))).toBe('FORBIDDEN');
    expect(codeOf(() => fromGlobalId(theirs, undefined, 'default'))).toBe('FORBIDDEN');
  });

  it('name types and systems consistently', () => {
    expect(TYPE_OF_KIND.workOrder).toBe('WorkOrder');
    expect(TYPE_OF_KIND.equipment).toBe('Equipment');
    expect(sourceSystemOf('servicetitan')).toBe('SERVICETITAN');
  });
});
