/**
 * The linking rules and the clustering, on hand-made canonical records: explicit references,
 * normalised email and phone, address as support only, serial with maker or model, near-misses
 * kept apart, the same system never twice in one entity, manual links and unlinks, stable groups.
 */
import { describe, expect, it } from 'vitest';
import type { CustomerModel, EquipmentModel, WorkOrderModel } from '../../src/model/index.js';
import {
  clusterMembers,
  customerKeys,
  equipmentKeys,
  identityRecordOf,
  normalizeAddress,
  parseRecordKey,
  recordKey,
  workOrderKeys,
  type ClusterMember,
  type IdentityRecord,
} from '../../src/identity/rules.js';

function customer(system: CustomerModel['ref']['system'], id: string, init: Partial<CustomerModel> = {}): CustomerModel {
  return { ref: { system, id }, name: 'Jane Doe', crossReferences: [], tags: [], active: true, ...init };
}

function unit(system: EquipmentModel['ref']['system'], id: string, init: Partial<EquipmentModel> = {}): EquipmentModel {
  return { ref: { system, id }, ...init };
}

function job(system: WorkOrderModel['ref']['system'], id: string, init: Partial<WorkOrderModel> = {}): WorkOrderModel {
  return { ref: { system, id }, number: id, status: 'NEW', sourceStatus: 'new', equipmentRefs: [], technicianRefs: [], crossReferences: [], parts: [], ...init };
}

function asMember(r: IdentityRecord): ClusterMember {
  return { key: recordKey(r.type, r.ref), system: r.ref.system, keys: r.keys, apart: [], manual: [] };
}

function groupsOf(records: IdentityRecord[], extra: (m: ClusterMember[]) => ClusterMember[] = (m) => m): string[][] {
  return clusterMembers(extra(records.map(asMember))).groups.map((g) => g.map((m) => m.key));
}

describe('customer rules', () => {
  it('link the same email however it is typed, and the same phone in any format', () => {
    const a = customerKeys(customer('servicetitan', '1', { email: ' Jane.Doe@Example.com ' }));
    const b = customerKeys(customer('sera', 'c1', { email: 'jane.doe@example.com' }));
    expect(a.keys.find((k) => k.rule === 'customer.email')!.key).toBe(b.keys.find((k) => k.rule === 'customer.email')!.key);
    const p = customerKeys(customer('astea', 'x', { phone: '(404) 555-0199' }));
    const q = customerKeys(customer('fieldnation', '9', { phone: '+1-404-555-0199' }));
    expect(p.keys.find((k) => k.rule === 'customer.phone')!.key).toBe(q.keys.find((k) => k.rule === 'customer.phone')!.key);
  });

  it('keep no personal value in a key', () => {
    const { keys, support } = customerKeys(
      customer('servicetitan', '1', { email: 'jane@example.com', phone: '4045550199', address: { line1: '12 Oak Dr', city: 'Decatur', region: 'GA', postalCode: '30030', country: 'US' } }),
    );
    const text = JSON.stringify([keys, support]);
    expect(text).not.toContain('jane');
    expect(text).not.toContain('4045550199');
    expect(text).not.toContain('Oak');
  });

  it('link on an explicit reference (ServiceTitan externalData naming a Sera customer)', () => {
    const st = identityRecordOf('customer', customer('servicetitan', '5000000001', { crossReferences: [{ system: 'sera', id: 'cus_1', via: 'externalData.seraCustomerId' }] }));
    const sera = identityRecordOf('customer', customer('sera', 'cus_1', { email: 'other@example.com' }));
    expect(groupsOf([st, sera])).toEqual([['customer:servicetitan:5000000001', 'customer:sera:cus_1']]);
    const evidence = clusterMembers([st, sera].map(asMember)).evidence.get('customer:sera:cus_1');
    expect(evidence?.[0]?.rule).toBe('customer.explicit-reference');
  });

  it('keep near-misses apart: same name, different email and phone, same address', () => {
    const address = { line1: '12 Oak Drive', city: 'Decatur', region: 'GA', postalCode: '30030-1234', country: 'US' };
    const a = identityRecordOf('customer', customer('servicetitan', '1', { email: 'jdoe@example.com', phone: '4045550101', address }));
    const b = identityRecordOf('customer', customer('sera', 'c2', { name: 'DOE, JANE', email: 'jdoe2@example.com', phone: '4045550102', address }));
    expect(groupsOf([a, b])).toHaveLength(2);
  });

  it('use the address as supporting evidence only: the same normalised address, suffix and ZIP+4 aside', () => {
    expect(normalizeAddress({ line1: '12 OAK DRIVE', city: 'x', region: 'GA', postalCode: '30030-1234', country: 'US' })).toBe(
      normalizeAddress({ line1: '12 Oak Dr', city: 'x', region: 'GA', postalCode: '30030', country: 'US' }),
    );
    const rules = new Set([...customerKeys(customer('servicetitan', '1', { address: { line1: '1 Main St', city: 'x', region: 'GA', postalCode: '30030', country: 'US' } })).keys].map((k) => k.rule));
    expect(rules.has('customer.email')).toBe(false);
    expect([...rules]).toEqual(['customer.explicit-reference']);
  });

  it('never put two records of one system in one entity by a rule (a shared family email)', () => {
    const a = identityRecordOf('customer', customer('servicetitan', '1', { email: 'family@example.com' }));
    const b = identityRecordOf('customer', customer('servicetitan', '2', { email: 'family@example.com' }));
    const c = identityRecordOf('customer', customer('sera', 'c', { email: 'family@example.com' }));
    const { groups, blocked } = clusterMembers([a, b, c].map(asMember));
    expect(groups.map((g) => g.map((m) => m.key))).toEqual([['customer:servicetitan:1', 'customer:sera:c'], ['customer:servicetitan:2']]);
    expect(blocked).toBeGreaterThan(0);
  });
});

describe('equipment rules', () => {
  it('link a serial written differently with the same maker (any case) or the same model', () => {
    const a = identityRecordOf('equipment', unit('servicetitan', '1', { serialNumber: 'CA-1234567-X', manufacturer: 'Carrier', model: '24ACC636' }));
    const b = identityRecordOf('equipment', unit('astea', 'asset_1', { serialNumber: 'ca 1234567 x', manufacturer: 'CARRIER', model: 'other' }));
    const c = identityRecordOf('equipment', unit('servicepower', 'eq_1', { serialNumber: 'CA1234567X', model: '24ACC636' }));
    expect(groupsOf([a, b, c])).toHaveLength(1);
  });

  it('keep the same serial of another maker and model apart', () => {
    const a = identityRecordOf('equipment', unit('servicetitan', '1', { serialNumber: 'CA1234567X', manufacturer: 'Carrier', model: '24ACC636' }));
    const b = identityRecordOf('equipment', unit('astea', 'asset_1', { serialNumber: 'CA1234567X', manufacturer: 'Trane', model: 'XR14' }));
    expect(groupsOf([a, b])).toHaveLength(2);
    expect(equipmentKeys(unit('sera', 'x', { manufacturer: 'Carrier' })).keys).toEqual([]);
  });
});

describe('work order rules', () => {
  it('link a ServicePower job to the ServiceTitan job its externalRef names by number, and Field Nation to an Astea number', () => {
    const st = identityRecordOf('workOrder', job('servicetitan', '5400000009', { number: '10234' }));
    const sp = identityRecordOf('workOrder', job('servicepower', 'wo_1', { crossReferences: [{ system: 'servicetitan', number: '10234', via: 'externalRef' }] }));
    const astea = identityRecordOf('workOrder', job('astea', 'wo_a', { number: 'WO-2026-1001' }));
    const fn = identityRecordOf('workOrder', job('fieldnation', '100001', { crossReferences: [{ system: 'astea', number: 'WO-2026-1001', via: 'custom_fields.Client WO Number' }] }));
    const other = identityRecordOf('workOrder', job('servicetitan', '5400000010', { number: '10235' }));
    expect(groupsOf([st, sp, astea, fn, other])).toEqual([
      ['workOrder:servicetitan:5400000009', 'workOrder:servicepower:wo_1'],
      ['workOrder:astea:wo_a', 'workOrder:fieldnation:100001'],
      ['workOrder:servicetitan:5400000010'],
    ]);
    expect(workOrderKeys(job('sera', 'wo_s')).keys.every((k) => k.rule === 'workOrder.explicit-reference')).toBe(true);
  });
});

describe('clustering', () => {
  const a = identityRecordOf('customer', customer('servicetitan', '1', { email: 'a@example.com' }));
  const b = identityRecordOf('customer', customer('sera', '2', { email: 'a@example.com', phone: '4045550111' }));
  const c = identityRecordOf('customer', customer('astea', '3', { phone: '404.555.0111' }));

  it('links transitively, in rule order, with evidence for each link', () => {
    const { groups, evidence } = clusterMembers([a, b, c].map(asMember));
    expect(groups).toHaveLength(1);
    expect(evidence.get('customer:sera:2')?.[0]).toMatchObject({ rule: 'customer.email', with: 'customer:servicetitan:1' });
    expect(evidence.get('customer:astea:3')?.[0]).toMatchObject({ rule: 'customer.phone', with: 'customer:sera:2' });
  });

  it('honours a manual unlink over the rules, and a manual link over them', () => {
    const apart = groupsOf([a, b, c], (m) => m.map((x) => (x.key === 'customer:astea:3' ? { ...x, apart: ['customer:sera:2'] } : x)));
    expect(apart).toEqual([['customer:servicetitan:1', 'customer:sera:2'], ['customer:astea:3']]);
    const d = identityRecordOf('customer', customer('fieldnation', '4', { email: 'someone@example.com' }));
    const linked = groupsOf([a, d], (m) => m.map((x) => (x.key === 'customer:fieldnation:4' ? { ...x, manual: [{ with: 'customer:servicetitan:1', by: 'ops', at: '2026-01-01T00:00:00Z' }] } : x)));
    expect(linked).toHaveLength(1);
  });

  it('keeps existing groups together whatever a new record matches first', () => {
    // st:1 and sera:2 were linked by phone; a new ServiceTitan record shares sera:2's email (an earlier rule).
    const st1 = identityRecordOf('customer', customer('servicetitan', '1', { phone: '4045550123' }));
    const sera2 = identityRecordOf('customer', customer('sera', '2', { phone: '4045550123', email: 'x@example.com' }));
    const st3 = identityRecordOf('customer', customer('servicetitan', '3', { email: 'x@example.com' }));
    const seeded = clusterMembers([st1, sera2, st3].map(asMember), [['customer:servicetitan:1', 'customer:sera:2']]).groups.map((g) => g.map((m) => m.key));
    expect(seeded).toEqual([['customer:servicetitan:1', 'customer:sera:2'], ['customer:servicetitan:3']]);
  });

  it('round-trips record keys', () => {
    expect(parseRecordKey(recordKey('workOrder', { system: 'astea', id: 'WO:1' }))).toEqual({ type: 'workOrder', ref: { system: 'astea', id: 'WO:1' } });
    expect(parseRecordKey('nothing')).toBeUndefined();
  });
});
