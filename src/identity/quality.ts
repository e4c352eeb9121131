/**
 * How well the link index matches the sandbox generator's ground truth: pairwise precision (no
 * wrong merge) and recall (links found) per type, and the near-misses (same name, or same serial
 * of another maker) that were wrongly merged. For the identity tests and the benchmark.
 */
import type { Dataset, GenRef } from '../../connectors/sandbox/dataset/types.js';
import { VENDOR_KEYS } from '../../connectors/vendors.js';
import type { LinkIndex } from './index.js';
import { IDENTITY_TYPES, type IdentityType } from './rules.js';

/** Pair counts and the ratios of one type. */
export interface TypeQuality {
  /** Records of the data set of this type. */
  records: number;
  /** Records the index does not hold (each counts as an entity of its own). */
  unindexed: number;
  /** Pairs of records the truth says are the same entity. */
  truePairs: number;
  /** Pairs of records the index put in one entity. */
  predictedPairs: number;
  /** Pairs in both. */
  correctPairs: number;
  /** correct / predicted (1 when nothing was linked). */
  precision: number;
  /** correct / true (1 when the truth has no pair). */
  recall: number;
  /** Near-miss pairs (different entities that look alike) the index merged. */
  nearMissesMerged: number;
  nearMisses: number;
}

/** Quality per type, and over all types (pairs summed). */
export interface IdentityQuality {
  byType: Record<IdentityType, TypeQuality>;
  overall: { precision: number; recall: number; truePairs: number; predictedPairs: number; correctPairs: number };
}

const pairs = (n: number) => (n * (n - 1)) / 2;
const DATASET_LIST = { customer: 'customers', equipment: 'equipment', technician: 'technicians', workOrder: 'workOrders' } as const;

/** Measures `index` against `dataset.truth` (the records of `dataset`, the entities of the index). */
export async function measureQuality(index: LinkIndex, dataset: Dataset): Promise<IdentityQuality> {
  const byType = {} as Record<IdentityType, TypeQuality>;
  for (const type of IDENTITY_TYPES) {
    const refs: GenRef[] = VENDOR_KEYS.flatMap((vendor) => dataset.vendors[vendor][DATASET_LIST[type]].map((r) => ({ vendor, id: r.id })));
    const key = (r: GenRef) => `${r.vendor}:${r.id}`;
    // Truth: a cluster id per record (records outside every cluster are their own).
    const truthOf = new Map<string, string>();
    const truthPairs: Array<[GenRef, GenRef]> = [];
    if (type === 'workOrder') {
      for (const [a, b] of dataset.truth.workOrderLinks) truthPairs.push([a, b]);
    } else {
      const clusters = type === 'customer' ? dataset.truth.customers : type === 'equipment' ? dataset.truth.equipment : dataset.truth.technicians;
      for (const c of clusters) for (const m of c.members) truthOf.set(key(m), c.key);
    }
    // Work order truth is a list of linked pairs: its clusters are their connected components.
    if (type === 'workOrder') {
      const parent = new Map<string, string>();
      const find = (x: string): string => {
        let r = x;
        for (let i = 0; i < 64 && parent.has(r) && parent.get(r) !== r; i++) r = parent.get(r)!;
        return r;
      };
      for (const [a, b] of truthPairs) {
        const ra = find(key(a));
        const rb = find(key(b));
        parent.set(ra, ra);
        parent.set(rb, ra);
      }
      for (const [a, b] of truthPairs) {
        truthOf.set(key(a), find(key(a)));
        truthOf.set(key(b), find(key(b)));
      }
    }
    const entities = await index.entitiesOf(
      type,
      refs.map((r) => ({ system: r.vendor, id: r.id })),
    );
    const predicted = new Map<string, string>();
    let unindexed = 0;
    refs.forEach((r, i) => {
      const e = entities[i];
      if (!e) unindexed++;
      predicted.set(key(r), e?.id ?? `unindexed:${key(r)}`);
    });
    const count = (f: (k: string) => string) => {
      const m = new Map<string, number>();
      for (const r of refs) {
        const g = f(key(r));
        m.set(g, (m.get(g) ?? 0) + 1);
      }
      let s = 0;
      for (const n of m.values()) s += pairs(n);
      return s;
    };
    const truthGroup = (k: string) => truthOf.get(k) ?? `alone:${k}`;
    const truePairs = count(truthGroup);
    const predictedPairs = count((k) => predicted.get(k)!);
    const correctPairs = count((k) => `${truthGroup(k)}|${predicted.get(k)}`);
    const nearMissList = type === 'customer' ? dataset.truth.customerNearMisses : type === 'equipment' ? dataset.truth.equipmentNearMisses : [];
    const nearMissesMerged = nearMissList.filter(([a, b]) => predicted.get(key(a)) === predicted.get(key(b))).length;
    byType[type] = {
      records: refs.length,
      unindexed,
      truePairs,
      predictedPairs,
      correctPairs,
      precision: predictedPairs === 0 ? 1 : correctPairs / predictedPairs,
      recall: truePairs === 0 ? 1 : correctPairs / truePairs,
      nearMissesMerged,
      nearMisses: nearMissList.length,
    };
  }
  const sum = (f: (q: TypeQuality) => number) => IDENTITY_TYPES.reduce((s, t) => s + f(byType[t]), 0);
  const truePairs = sum((q) => q.truePairs);
  const predictedPairs = sum((q) => q.predictedPairs);
  const correctPairs = sum((q) => q.correctPairs);
  return {
    byType,
    overall: {
      precision: predictedPairs === 0 ? 1 : correctPairs / predictedPairs,
      recall: truePairs === 0 ? 1 : correctPairs / truePairs,
      truePairs,
      predictedPairs,
      correctPairs,
    },
  };
}

/** The quality as a small table, one line per type and one overall. */
export function formatQuality(q: IdentityQuality): string[] {
  const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
  const lines = ['type          records  pairs(true/found/correct)  precision  recall   near-misses merged'];
  for (const t of IDENTITY_TYPES) {
    const x = q.byType[t];
    lines.push(
      `${t.padEnd(12)} ${String(x.records).padStart(8)}  ${`${x.truePairs}/${x.predictedPairs}/${x.correctPairs}`.padStart(24)}  ${pct(x.precision).padStart(9)}  ${pct(x.recall).padStart(7)}   ${x.nearMissesMerged}/${x.nearMisses}`,
    );
  }
  lines.push(`${'overall'.padEnd(12)} ${''.padStart(8)}  ${`${q.overall.truePairs}/${q.overall.predictedPairs}/${q.overall.correctPairs}`.padStart(24)}  ${pct(q.overall.precision).padStart(9)}  ${pct(q.overall.recall).padStart(7)}`);
  return lines;
}
