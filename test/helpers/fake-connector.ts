/**
 * A FieldServiceConnector over in-memory records, recording every call: for loader and resolver
 * tests that count what reaches a vendor without HTTP.
 */
import type { ConnectorCapabilities, FieldServiceConnector, ParentKind, VendorKey } from '../../connectors/types.js';
import type { EntityKind, ModelByKind } from '../../src/model/index.js';

/** One recorded call. */
export interface FakeCall {
  method: 'get' | 'children';
  kind: EntityKind;
  parent?: ParentKind;
  ids: string[];
}

/** Options of {@link fakeConnector}. */
export interface FakeOptions {
  vendor: VendorKey;
  capabilities?: Partial<ConnectorCapabilities>;
  /** Records by kind. */
  records?: { [K in EntityKind]?: Array<ModelByKind[K]> };
  /** Children by relation (`appointment<-workOrder`) and parent id. */
  children?: Record<string, Record<string, string[]>>;
  /** Makes every call throw this. */
  fail?: () => Error;
}

/** A fake connector and its call log. */
export function fakeConnector(options: FakeOptions): FieldServiceConnector & { calls: FakeCall[] } {
  const calls: FakeCall[] = [];
  const find = <K extends EntityKind>(kind: K, id: string): ModelByKind[K] | null =>
    ((options.records?.[kind] ?? []) as Array<ModelByKind[K]>).find((r) => r.ref.id === id) ?? null;
  const capabilities: ConnectorCapabilities = {
    entities: Object.keys(options.records ?? {}) as EntityKind[],
    lists: [],
    incremental: [],
    batchSize: {},
    relations: [],
    writes: [],
    windows: [],
    timePrecisionMs: 1,
    statuses: {},
    ...options.capabilities,
  } as ConnectorCapabilities;
  return {
    vendor: options.vendor,
    capabilities,
    calls,
    async get(kind, ids) {
      calls.push({ method: 'get', kind, ids: [...ids] });
      if (options.fail) throw options.fail();
      return ids.map((id) => find(kind, id));
    },
    async children(kind, parent, parentIds) {
      calls.push({ method: 'children', kind, parent, ids: [...parentIds] });
      if (options.fail) throw options.fail();
      const table = options.children?.[`${kind}<-${parent}`] ?? {};
      return new Map(parentIds.map((id) => [id, (table[id] ?? []).map((c) => find(kind, c)!)]));
    },
    list() {
      throw new Error('not faked');
    },
    iterate() {
      throw new Error('not faked');
    },
    async ping() {},
  };
}
