/**
 * One conformance suite for every connector, run unchanged against each vendor's simulator over
 * real HTTP: every read (with upstream calls counted from the sandbox stats), a full pagination
 * walk, relations, incremental reads, every write, and behaviour under injected faults.
 *
 * A vendor's test file calls {@link runConformance} with a {@link ConformanceFixture}.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Dataset, VendorData } from '../../connectors/sandbox/dataset/types.js';
import type { Sandbox } from '../../connectors/sandbox/server.js';
import { resetSharedClientState } from '../../connectors/core/http-client.js';
import { ConnectorError, type FieldServiceConnector, type ParentKind, type WriteKind } from '../../connectors/types.js';
import type { VendorKey } from '../../connectors/vendors.js';
import type { EntityKind, RecordRef } from '../../src/model/index.js';
import { startTestSandbox } from '../helpers/sandbox.js';

/** Options the suite passes when it builds a connector. */
export interface ConnectOptions {
  /** Circuit breaker opening after this many failures and probing after `openMs`. */
  breaker?: { failureThreshold: number; openMs: number };
  timeoutMs?: number;
}

/** A write the suite performs, and how to check it landed exactly once. */
export interface WriteCase {
  /** Performs the write with the connector; returns the ref of the record written. */
  run(connector: FieldServiceConnector, dataset: Dataset): Promise<RecordRef>;
  /** Kind of the written record, to read it back and to count the records at the vendor. */
  kind: EntityKind;
  /** Regex (for the `only` fault) of the vendor endpoint that performs the write. */
  endpoint: string;
  /** False when a dropped response cannot be recovered (no external reference to look up). */
  recoversDroppedResponse?: boolean;
}

export interface ConformanceFixture {
  vendor: VendorKey;
  connect(sandbox: Sandbox, options?: ConnectOptions): FieldServiceConnector;
  /** Regex of the sign-in endpoints, which call counts leave out. */
  authEndpoints: RegExp;
  writes: Partial<Record<WriteKind, WriteCase>>;
  /**
   * The id the connector gives a data-set record whose own id the vendor never serves, per kind
   * (Sera embeds one appointment in each work order and serves no appointment id: its connector
   * addresses an appointment by its work order's id). Default: the record's `id`.
   */
  recordId?: Partial<Record<EntityKind, (record: any) => string>>;
}

const COLLECTION: Record<EntityKind, keyof VendorData> = {
  customer: 'customers',
  location: 'locations',
  equipment: 'equipment',
  technician: 'technicians',
  workOrder: 'workOrders',
  appointment: 'appointments',
  invoice: 'invoices',
  membership: 'memberships',
  claim: 'claims',
};

/** The data set's answer to a relation: child ids (as `childId` names them) per parent id. */
function expectedChildren(data: VendorData, kind: EntityKind, parent: ParentKind, childId: (record: { id: string }) => string = (r) => r.id): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const add = (p: string, c: string | { id: string }): void => {
    let s = out.get(p);
    if (!s) out.set(p, (s = new Set()));
    s.add(typeof c === 'string' ? c : childId(c));
  };
  const rel = `${kind}<-${parent}`;
  switch (rel) {
    case 'appointment<-workOrder':
      for (const a of data.appointments) add(a.workOrderId, a);
      break;
    case 'appointment<-technician':
      for (const a of data.appointments) for (const t of a.technicianIds) add(t, a);
      break;
    case 'invoice<-workOrder':
      for (const i of data.invoices) add(i.workOrderId, i.id);
      break;
    case 'invoice<-customer':
      for (const i of data.invoices) add(i.customerId, i.id);
      break;
    case 'claim<-workOrder':
      for (const c of data.claims) add(c.workOrderId, c.id);
      break;
    case 'membership<-customer':
      for (const m of data.memberships) add(m.customerId, m.id);
      break;
    case 'location<-customer':
      for (const l of data.locations) add(l.customerId, l.id);
      break;
    case 'equipment<-location':
      for (const e of data.equipment) add(e.locationId, e.id);
      break;
    case 'equipment<-customer':
      for (const e of data.equipment) add(e.customerId, e.id);
      break;
    case 'workOrder<-customer':
      for (const w of data.workOrders) add(w.customerId, w.id);
      break;
    case 'workOrder<-location':
      for (const w of data.workOrders) add(w.locationId, w.id);
      break;
    case 'workOrder<-equipment':
      for (const w of data.workOrders) for (const e of w.equipmentIds) add(e, w.id);
      break;
    case 'workOrder<-technician':
      for (const w of data.workOrders) for (const t of w.technicianIds) add(t, w.id);
      break;
    case 'claim<-equipment': {
      const woEquipment = new Map(data.workOrders.map((w) => [w.id, w.equipmentIds]));
      for (const c of data.claims) for (const e of woEquipment.get(c.workOrderId) ?? []) add(e, c.id);
      break;
    }
    default:
      throw new Error(`the conformance suite does not know the relation ${rel}`);
  }
  return out;
}

function parentCollection(parent: ParentKind): keyof VendorData {
  return COLLECTION[parent];
}

/** Runs the conformance suite for one connector. */
export function runConformance(fixture: ConformanceFixture): void {
  const { vendor } = fixture;
  /** The id the connector gives a data-set record of `kind`. */
  const idOf = (kind: EntityKind, record: { id: string }): string => fixture.recordId?.[kind]?.(record) ?? record.id;
  let sandbox: Sandbox;
  let connector: FieldServiceConnector;
  let data: VendorData;

  /** Calls to the vendor's API since the last reset, sign-in endpoints left out. */
  const apiCalls = (): number => {
    const v = sandbox.stats.snapshot().vendors[vendor];
    if (!v) return 0;
    return Object.entries(v.endpoints)
      .filter(([k]) => !fixture.authEndpoints.test(k))
      .reduce((s, [, e]) => s + e.count, 0);
  };
  const statusCount = (status: number): number => {
    const v = sandbox.stats.snapshot().vendors[vendor];
    return v ? Object.values(v.endpoints).reduce((s, e) => s + (e.statuses[String(status)] ?? 0), 0) : 0;
  };
  const faults = (patch: Record<string, unknown>): void => sandbox.setFaults({ [vendor]: patch });
  const walk = async <K extends EntityKind>(kind: K, c = connector, pageSize?: number) => {
    const out = [];
    for await (const item of c.iterate(kind, pageSize ? { pageSize } : {})) out.push(item);
    return out;
  };

  describe(`${vendor} connector conformance`, () => {
    beforeAll(async () => {
      sandbox = await startTestSandbox();
      data = sandbox.dataset.vendors[vendor];
    });
    afterAll(() => sandbox.close());
    beforeEach(async () => {
      resetSharedClientState();
      sandbox.setFaults({ [vendor]: { down: false, errorRate: 0, timeoutRate: 0, malformedRate: 0, dropRate: 0, rateLimit: null, tokenTtlSeconds: null, latencyMs: 0, jitterMs: 0, only: null } });
      sandbox.stats.reset();
      // Every test starts from the data set: writes of earlier tests must not change the counts.
      sandbox.simulators[vendor]?.reset();
      connector = fixture.connect(sandbox);
    });

    it('declares what it holds, lists and writes', () => {
      expect(connector.vendor).toBe(vendor);
      expect(connector.capabilities.entities.length).toBeGreaterThan(3);
      for (const k of connector.capabilities.lists) expect(connector.capabilities.entities).toContain(k);
      for (const w of connector.capabilities.writes) expect(fixture.writes[w], `write case for ${w}`).toBeDefined();
    });

    it('walks every list to the end, returning each record exactly once', async () => {
      for (const kind of connector.capabilities.lists) {
        const expected = data[COLLECTION[kind]] as Array<{ id: string }>;
        const items = await walk(kind, connector, 37);
        const ids = items.map((i) => i.ref.id);
        expect(new Set(ids).size, `${kind}: no duplicates`).toBe(ids.length);
        expect(new Set(ids), `${kind}: every record`).toEqual(new Set(expected.map((e) => idOf(kind, e))));
        for (const i of items) expect(i.ref.system).toBe(vendor);
      }
    });

    it('reads records by id in order, with null for unknown ids, in as few calls as the vendor allows', async () => {
      for (const kind of connector.capabilities.entities) {
        const all = data[COLLECTION[kind]] as Array<{ id: string }>;
        if (all.length === 0) continue;
        const ids = all.slice(0, 60).map((x) => idOf(kind, x));
        const unknown = vendor === 'servicetitan' || vendor === 'fieldnation' ? '999999999' : `${ids[0]!.split('_')[0]}_ffffff9`;
        const asked = [...ids.slice(0, 30), unknown, ...ids.slice(30)];
        sandbox.stats.reset();
        const got = await connector.get(kind, asked);
        expect(got.length).toBe(asked.length);
        got.forEach((m, i) => {
          if (asked[i] === unknown) expect(m, `${kind} unknown id`).toBeNull();
          else expect(m?.ref.id, `${kind} #${i}`).toBe(asked[i]);
        });
        const batch = connector.capabilities.batchSize[kind] ?? 1;
        const perBatch = connector.capabilities.callsPerBatch?.[kind] ?? 1;
        expect(apiCalls(), `${kind} calls`).toBe(Math.ceil(asked.length / batch) * perBatch);
      }
    });

    it('reads children of many parents at once', async () => {
      for (const rel of connector.capabilities.relations) {
        const [kind, parent] = rel.split('<-') as [EntityKind, ParentKind];
        const expected = expectedChildren(data, kind, parent, (r) => idOf(kind, r));
        const parents = (data[parentCollection(parent)] as Array<{ id: string }>).slice(0, 40).map((p) => p.id);
        const got = await connector.children(kind, parent, parents);
        for (const p of parents) {
          const ids = new Set((got.get(p) ?? []).map((c) => c.ref.id));
          expect(ids, `${rel} of ${p}`).toEqual(expected.get(p) ?? new Set());
        }
      }
    });

    it('reads incrementally by modification time', async () => {
      for (const kind of connector.capabilities.incremental) {
        const all = data[COLLECTION[kind]] as Array<{ id: string; updatedAt: string }>;
        const sorted = all.map((x) => x.updatedAt).sort();
        const since = sorted[Math.floor(sorted.length * 0.8)]!;
        const got = [];
        for await (const x of connector.iterate(kind, { updatedSince: since })) got.push(x.ref.id);
        expect(new Set(got), kind).toEqual(new Set(all.filter((x) => Date.parse(x.updatedAt) >= Date.parse(since)).map((x) => idOf(kind, x))));
      }
    });

    // ---------------------------------------------------------------- time windows (begin)
    // Every kind in `capabilities.windows` lists exactly the records modified in the half-open
    // window [updatedSince, updatedBefore), across pages, and counts at least that many on page 1.
    it('lists a time window [updatedSince, updatedBefore) exactly, page by page, with a total on page 1', async () => {
      expect(connector.capabilities.timePrecisionMs).toBeGreaterThan(0);
      for (const kind of connector.capabilities.windows) {
        expect(connector.capabilities.lists, `${kind} is listed`).toContain(kind);
        const all = await walk(kind);
        const timed = all.map((m) => ({ id: m.ref.id, t: Date.parse(m.updatedAt ?? '') }));
        expect(timed.filter((x) => Number.isNaN(x.t)), `${kind}: every record has updatedAt`).toEqual([]);
        const times = [...new Set(timed.map((x) => x.t))].sort((a, b) => a - b);
        expect(times.length, `${kind}: enough distinct modification times`).toBeGreaterThan(3);
        const lo = Math.floor(times.length * 0.25);
        const from = times[lo]!;
        const to = times[Math.max(lo + 1, Math.floor(times.length * 0.6))]!;
        const iso = (ms: number): string => new Date(ms).toISOString();

        /** Every page of the window with a small page size: ids in order read, page 1's total. */
        const readWindow = async (since: number, before: number) => {
          const ids: string[] = [];
          let total: number | undefined;
          let cursor: string | undefined;
          for (let page = 0; ; page++) {
            expect(page, `${kind}: the window ends`).toBeLessThan(500);
            const p = await connector.list(kind, { updatedSince: iso(since), updatedBefore: iso(before), pageSize: 7, ...(cursor !== undefined ? { cursor } : {}) });
            if (page === 0) total = p.total;
            ids.push(...p.items.map((m) => m.ref.id));
            if (!p.nextCursor) return { ids, total };
            cursor = p.nextCursor;
          }
        };
        const expectedIn = (since: number, before: number): Set<string> => new Set(timed.filter((x) => x.t >= since && x.t < before).map((x) => x.id));

        const w = await readWindow(from, to);
        const expected = expectedIn(from, to);
        expect(new Set(w.ids).size, `${kind}: no record twice`).toBe(w.ids.length);
        expect(new Set(w.ids), `${kind}: exactly the window's records`).toEqual(expected);
        expect(w.total, `${kind}: page 1 counts the window`).toBeGreaterThanOrEqual(expected.size);
        // The bounds sit on record timestamps: `updatedSince` includes, `updatedBefore` excludes.
        for (const x of timed) {
          if (x.t === from) expect(w.ids, `${kind}: ${x.id} at updatedSince`).toContain(x.id);
          if (x.t === to) expect(w.ids, `${kind}: ${x.id} at updatedBefore`).not.toContain(x.id);
        }
        // One millisecond later on both ends: the records at `from` drop out, those at `to` come in.
        const shifted = await readWindow(from + 1, to + 1);
        expect(new Set(shifted.ids), `${kind}: window shifted by 1 ms`).toEqual(expectedIn(from + 1, to + 1));
        // The narrowest window the vendor's precision allows, starting on a record's timestamp.
        const narrow = await readWindow(to, to + connector.capabilities.timePrecisionMs);
        expect(new Set(narrow.ids), `${kind}: window of one precision step`).toEqual(expectedIn(to, to + connector.capabilities.timePrecisionMs));
        expect(narrow.ids.length, `${kind}: the record at updatedSince`).toBeGreaterThan(0);
      }
    });
    // ---------------------------------------------------------------- time windows (end)

    it('performs every documented write, exactly once', async () => {
      for (const [name, wc] of Object.entries(fixture.writes)) {
        const ref = await wc.run(connector, sandbox.dataset);
        expect(ref.system, name).toBe(vendor);
        const [back] = await connector.get(wc.kind, [ref.id]);
        expect(back?.ref.id, `${name} is visible at the vendor`).toBe(ref.id);
      }
    });

    it('absorbs a token expiring during a pagination walk without a failed call', async () => {
      const kind = connector.capabilities.lists.includes('workOrder') ? 'workOrder' : connector.capabilities.lists[0]!;
      faults({ tokenTtlSeconds: 2, latencyMs: 100 });
      connector = fixture.connect(sandbox);
      // About 30 pages at 100 ms each: the 2-second tokens expire during the walk.
      const count = (data[COLLECTION[kind]] as unknown[]).length;
      const items = await walk(kind, connector, Math.max(1, Math.ceil(count / 30)));
      expect(items.length).toBe((data[COLLECTION[kind]] as unknown[]).length);
      expect(statusCount(401) + statusCount(400), 'no refused call').toBe(0);
    }, 60_000);

    it('re-authenticates when every token is revoked mid-walk', async () => {
      const kind = connector.capabilities.lists.includes('workOrder') ? 'workOrder' : connector.capabilities.lists[0]!;
      const it1 = connector.iterate(kind, { pageSize: 20 })[Symbol.asyncIterator]();
      const first = await it1.next();
      expect(first.done).toBe(false);
      faults({ expireTokens: true });
      let n = 1;
      for (let r = await it1.next(); !r.done; r = await it1.next()) n++;
      expect(n).toBe((data[COLLECTION[kind]] as unknown[]).length);
    });

    it('absorbs a 429 burst, honouring Retry-After', async () => {
      faults({ rateLimit: { limit: 4, windowMs: 1_000 } });
      const items = await walk('technician', connector, 2);
      expect(items.length).toBe(data.technicians.length);
      expect(statusCount(429)).toBeGreaterThan(0);
      // Honouring Retry-After means waiting out the window instead of hammering it: few refusals.
      expect(statusCount(429)).toBeLessThan(items.length);
    }, 60_000);

    it('returns complete reads under 20% injected 5xx', async () => {
      faults({ errorRate: 0.2 });
      const kind = connector.capabilities.lists.includes('workOrder') ? 'workOrder' : connector.capabilities.lists[0]!;
      const items = await walk(kind, connector, 25);
      expect(new Set(items.map((i) => i.ref.id)).size).toBe((data[COLLECTION[kind]] as unknown[]).length);
      expect(statusCount(503)).toBeGreaterThan(0);
    }, 60_000);

    it('trips the breaker while the vendor is down, fails fast without calling it, and closes on recovery', async () => {
      // Open long enough that a machine short of CPU cannot let it half-open before the second call.
      connector = fixture.connect(sandbox, { breaker: { failureThreshold: 3, openMs: 1500 } });
      faults({ down: true });
      const firstId = data.technicians[0]!.id;
      await expect(connector.get('technician', [firstId])).rejects.toMatchObject({ kind: 'unavailable' });
      const before = sandbox.stats.snapshot().total;
      const err = await connector.get('technician', [firstId]).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConnectorError);
      expect((err as ConnectorError).kind).toBe('unavailable');
      expect(sandbox.stats.snapshot().total, 'no call while open').toBe(before);
      faults({ down: false });
      await new Promise((r) => setTimeout(r, 1600));
      const [tech] = await connector.get('technician', [firstId]);
      expect(tech?.ref.id).toBe(firstId);
    });

    it('turns a malformed payload into a bad-response error', async () => {
      faults({ malformedRate: 1, only: '^GET ' });
      const err = await connector.get('technician', [data.technicians[0]!.id]).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConnectorError);
      expect((err as ConnectorError).kind).toBe('bad_response');
    });

    it('finds a write whose response was dropped instead of writing it twice', async () => {
      for (const [name, wc] of Object.entries(fixture.writes)) {
        if (wc.recoversDroppedResponse === false || !connector.capabilities.lists.includes(wc.kind)) continue;
        const before = (await walk(wc.kind)).length;
        faults({ dropRate: 1, only: wc.endpoint });
        const ref = await wc.run(connector, sandbox.dataset);
        faults({ dropRate: 0, only: null });
        const after = await walk(wc.kind);
        expect(after.length, `${name}: one record more`).toBe(before + 1);
        expect(after.some((x) => x.ref.id === ref.id)).toBe(true);
      }
    }, 60_000);
  });
}
