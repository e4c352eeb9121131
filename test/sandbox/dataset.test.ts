import { describe, expect, it } from 'vitest';
import { generateDataset } from '../../connectors/sandbox/dataset/generate.js';
import type { Dataset, GenCustomer, GenEquipment, GenRef } from '../../connectors/sandbox/dataset/types.js';
import { datasetOptions } from '../../connectors/sandbox/server.js';
import { VENDOR_KEYS } from '../../connectors/vendors.js';
import { normalizeEmail, normalizeName, normalizePhone, normalizeSerial } from '../../src/identity/normalize.js';

const base = generateDataset(datasetOptions());

function customerOf(d: Dataset, ref: GenRef): GenCustomer {
  const c = d.vendors[ref.vendor].customers.find((x) => x.id === ref.id);
  if (!c) throw new Error(`no customer ${ref.vendor}:${ref.id}`);
  return c;
}

function equipmentOf(d: Dataset, ref: GenRef): GenEquipment {
  const e = d.vendors[ref.vendor].equipment.find((x) => x.id === ref.id);
  if (!e) throw new Error(`no equipment ${ref.vendor}:${ref.id}`);
  return e;
}

describe('sandbox data set', () => {
  it('is identical for the same seed and differs for another', () => {
    const again = generateDataset(datasetOptions());
    expect(JSON.stringify(again)).toBe(JSON.stringify(base));
    const other = generateDataset(datasetOptions({ seed: 7 }));
    expect(JSON.stringify(other.vendors)).not.toBe(JSON.stringify(base.vendors));
  });

  it('holds at least 300 customers spread over all five vendors', () => {
    const total = VENDOR_KEYS.reduce((s, v) => s + base.vendors[v].customers.length, 0);
    expect(total).toBeGreaterThanOrEqual(300);
    for (const v of VENDOR_KEYS) {
      expect(base.vendors[v].customers.length, v).toBeGreaterThan(20);
      expect(base.vendors[v].workOrders.length, v).toBeGreaterThan(50);
      expect(base.vendors[v].technicians.length, v).toBeGreaterThan(5);
    }
    expect(base.vendors.servicepower.claims.length).toBeGreaterThan(20);
    expect(base.vendors.servicetitan.memberships.length + base.vendors.sera.memberships.length).toBeGreaterThan(20);
  });

  it('has unique ids per vendor collection, int64 ids above 2^32 for ServiceTitan, integers for Field Nation', () => {
    for (const v of VENDOR_KEYS) {
      for (const [name, list] of Object.entries(base.vendors[v])) {
        const ids = (list as Array<{ id: string }>).map((x) => x.id);
        expect(new Set(ids).size, `${v}.${name}`).toBe(ids.length);
      }
    }
    for (const j of base.vendors.servicetitan.workOrders) expect(Number(j.id)).toBeGreaterThan(2 ** 32);
    for (const w of base.vendors.fieldnation.workOrders) expect(w.id).toMatch(/^\d+$/);
    for (const w of base.vendors.servicepower.workOrders) expect(w.id).toMatch(/^wo_[0-9a-f]{6,}$/);
    for (const w of base.vendors.astea.workOrders) expect(w.number).toMatch(/^WO-2026-\d{4}$/);
  });

  it('keeps every reference inside its vendor valid', () => {
    for (const v of VENDOR_KEYS) {
      const d = base.vendors[v];
      const customers = new Set(d.customers.map((c) => c.id));
      const locations = new Set(d.locations.map((l) => l.id));
      const equipment = new Set(d.equipment.map((e) => e.id));
      const techs = new Set(d.technicians.map((t) => t.id));
      const wos = new Set(d.workOrders.map((w) => w.id));
      for (const l of d.locations) expect(customers.has(l.customerId), `${v} location ${l.id}`).toBe(true);
      for (const e of d.equipment) expect(locations.has(e.locationId) && customers.has(e.customerId), `${v} equipment ${e.id}`).toBe(true);
      for (const w of d.workOrders) {
        expect(customers.has(w.customerId) && locations.has(w.locationId), `${v} wo ${w.id}`).toBe(true);
        for (const e of w.equipmentIds) expect(equipment.has(e)).toBe(true);
        for (const t of w.technicianIds) expect(techs.has(t)).toBe(true);
      }
      for (const a of d.appointments) expect(wos.has(a.workOrderId)).toBe(true);
      for (const i of d.invoices) expect(wos.has(i.workOrderId) && customers.has(i.customerId)).toBe(true);
      for (const c of d.claims) expect(wos.has(c.workOrderId)).toBe(true);
      for (const m of d.memberships) expect(customers.has(m.customerId)).toBe(true);
    }
  });

  it('writes the same customer differently across systems, yet always linkably', () => {
    const multi = base.truth.customers.filter((c) => c.members.length > 1);
    expect(multi.length).toBeGreaterThan(60);
    let differentlyWritten = 0;
    for (const cluster of multi) {
      const recs = cluster.members.map((m) => customerOf(base, m));
      const raw = new Set(recs.map((r) => `${r.name}|${r.email ?? ''}|${r.phone ?? ''}`));
      if (raw.size > 1) differentlyWritten++;
      // Every record carries an identifier (email or phone) shared, once normalised, by all of them.
      const emails = recs.map((r) => normalizeEmail(r.email));
      const phones = recs.map((r) => normalizePhone(r.phone));
      const sharedEmail = emails.every((e) => e !== undefined && e === emails[0]);
      const sharedPhone = phones.every((p) => p !== undefined && p === phones[0]);
      expect(sharedEmail || sharedPhone, cluster.key).toBe(true);
    }
    expect(differentlyWritten / multi.length).toBeGreaterThan(0.6);
  });

  it('has near-miss customers: same name, different email and phone', () => {
    expect(base.truth.customerNearMisses.length).toBeGreaterThanOrEqual(5);
    for (const [a, b] of base.truth.customerNearMisses) {
      const ca = customerOf(base, a);
      const cb = customerOf(base, b);
      expect(normalizeName(ca.name)).toBe(normalizeName(cb.name));
      if (ca.email && cb.email) expect(normalizeEmail(ca.email)).not.toBe(normalizeEmail(cb.email));
      if (ca.phone && cb.phone) expect(normalizePhone(ca.phone)).not.toBe(normalizePhone(cb.phone));
    }
  });

  it('has the same units in several systems by serial number, and same-serial units of other makers', () => {
    const multi = base.truth.equipment.filter((c) => c.members.length > 1);
    expect(multi.length).toBeGreaterThan(50);
    let differentlyWritten = 0;
    for (const cluster of multi) {
      const recs = cluster.members.map((m) => equipmentOf(base, m));
      expect(new Set(recs.map((r) => normalizeSerial(r.serialNumber))).size).toBe(1);
      expect(new Set(recs.map((r) => r.model)).size).toBe(1);
      if (new Set(recs.map((r) => r.serialNumber)).size > 1) differentlyWritten++;
    }
    expect(differentlyWritten).toBeGreaterThan(10);
    expect(base.truth.equipmentNearMisses.length).toBeGreaterThanOrEqual(2);
    for (const [a, b] of base.truth.equipmentNearMisses) {
      const ea = equipmentOf(base, a);
      const eb = equipmentOf(base, b);
      expect(normalizeSerial(ea.serialNumber)).toBe(normalizeSerial(eb.serialNumber));
      expect(ea.model).not.toBe(eb.model);
    }
  });

  it('has work orders that reference each other across systems', () => {
    const kinds = new Set(base.truth.workOrderLinks.map(([a, b]) => `${a.vendor}->${b.vendor}`));
    expect(kinds).toEqual(new Set(['servicetitan->servicepower', 'astea->fieldnation']));
    const stJobs = new Map(base.vendors.servicetitan.workOrders.map((j) => [j.id, j]));
    for (const [a, b] of base.truth.workOrderLinks.filter(([x]) => x.vendor === 'servicetitan')) {
      const sp = base.vendors.servicepower.workOrders.find((w) => w.id === b.id)!;
      expect(sp.externalRef).toBe(`ST-JOB-${stJobs.get(a.id)!.number}`);
    }
    expect(base.truth.workOrderLinks.filter(([a]) => a.vendor === 'astea').length).toBeGreaterThan(5);
    expect(base.truth.workOrderLinks.filter(([a]) => a.vendor === 'servicetitan').length).toBeGreaterThan(10);
  });

  it('reaches 100,000 work orders with the size knob', () => {
    const big = generateDataset(datasetOptions({ customers: 3000, workOrders: 100_000 }));
    expect(VENDOR_KEYS.reduce((s, v) => s + big.vendors[v].workOrders.length, 0)).toBe(100_000);
  }, 60_000);
});
