/**
 * Relation loaders: the children of kind K of many parents of kind P (`appointment<-workOrder`),
 * keyed by the parent's ref and batched per vendor into one `connector.children` call. How each
 * vendor answers a relation is decided once per call by {@link strategyOf}:
 *
 * - `none`: the system holds no records of the child kind (ServicePower has no invoices): every
 *   parent has an empty list, at no cost;
 * - `embedded`: the parent record carries all its children (a Sera or Field Nation work order and
 *   its visit): read through the parent's by-id loader, so a parent already read costs nothing;
 * - `direct`: the connector declares the relation;
 * - `via`: the connector lacks it but declares two relations that compose (a ServicePower unit's
 *   claims are the claims of its work orders), read through the relation loaders of both legs;
 * - `unsupported`: none of the above; each parent gets a {@link RelationNotSupportedError}.
 */
import DataLoader from 'dataloader';
import type { FieldServiceConnector, ParentKind, VendorKey } from '../../connectors/types.js';
import { RelationNotSupportedError } from '../errors.js';
import type { EntityKind, ModelByKind, RecordRef, WorkOrderModel } from '../model/index.js';
import { asError, groupByVendor, peekLoaded, refKey, settledByVendor, type Connectors, type EntityLoader, type LoaderMode } from './by-id.js';

/** Loads the children of kind K of parents by ref; `[]` when there are none. */
export type RelationLoader<K extends EntityKind> = DataLoader<RecordRef, Array<ModelByKind[K]>, string>;

/** A relation name as connectors declare it, e.g. `appointment<-workOrder`. */
export type Relation = `${EntityKind}<-${ParentKind}`;

/** The children a parent model embeds, per relation (only work orders embed children). */
const EMBEDDED_CHILDREN: Partial<Record<Relation, (parent: WorkOrderModel) => readonly unknown[] | undefined>> = {
  'appointment<-workOrder': (wo) => wo.embedded?.appointments,
};

/**
 * Systems whose parent records always carry all their children of a relation, so that a parent
 * without embedded children has none. This belongs in `ConnectorCapabilities` (see the report of
 * this change); until then it is declared here, from the connectors' READMEs: Sera embeds a work
 * order's one visit (its connector re-reads the work order to answer the relation), and Field
 * Nation's work order is its own single visit (the connector does not declare the relation).
 */
const EMBEDS_ALL: Partial<Record<VendorKey, readonly Relation[]>> = {
  sera: ['appointment<-workOrder'],
  fieldnation: ['appointment<-workOrder'],
};

/**
 * Children whose ids the parent record lists when it knows them all (a ServiceTitan job with one
 * or two visits): read by id through the child's by-id loader, batched, instead of asking the
 * system for the parent's children again.
 */
const LISTED_CHILDREN: Partial<Record<Relation, (parent: WorkOrderModel) => readonly string[] | undefined>> = {
  'appointment<-workOrder': (wo) => wo.appointmentIds,
};

/** Relations answered by composing two others, when a system lacks them. */
interface Via {
  mid: EntityKind & ParentKind;
  /** Keeps a child of the composed list for this parent (default: all). */
  keep?: (child: ModelByKind[EntityKind], parent: RecordRef) => boolean;
}

const VIA: Partial<Record<Relation, Via>> = {
  // Claims hold no unit: a unit's claims are those of the work orders about it.
  'claim<-equipment': { mid: 'workOrder' },
  // A technician's visits are the visits, among those of the technician's work orders, they go to.
  'appointment<-technician': {
    mid: 'workOrder',
    keep: (child, parent) => (child as ModelByKind['appointment']).technicianRefs.some((t) => t.system === parent.system && t.id === parent.id),
  },
};

type Strategy = { type: 'none' } | { type: 'embedded' } | { type: 'direct' } | { type: 'via'; via: Via } | { type: 'unsupported' };

function declares(connector: FieldServiceConnector, vendor: VendorKey, relation: Relation): boolean {
  return connector.capabilities.relations.includes(relation) || (EMBEDS_ALL[vendor]?.includes(relation) ?? false);
}

/** How `connector` answers `kind<-parent`. */
export function strategyOf(connector: FieldServiceConnector | undefined, vendor: VendorKey, kind: EntityKind, parent: ParentKind): Strategy {
  const relation: Relation = `${kind}<-${parent}`;
  if (!connector || !connector.capabilities.entities.includes(kind)) return { type: 'none' };
  if (EMBEDS_ALL[vendor]?.includes(relation) && EMBEDDED_CHILDREN[relation]) return { type: 'embedded' };
  if (connector.capabilities.relations.includes(relation)) return { type: 'direct' };
  const via = VIA[relation];
  if (via && connector.capabilities.entities.includes(via.mid) && declares(connector, vendor, `${via.mid}<-${parent}`) && declares(connector, vendor, `${kind}<-${via.mid}`)) {
    return { type: 'via', via };
  }
  return { type: 'unsupported' };
}

/** What a relation loader needs from the other loaders of the request. */
export interface RelationDeps {
  connectors: Connectors;
  mode: LoaderMode;
  /** The by-id loader of a kind. */
  byId<K extends EntityKind>(kind: K): EntityLoader<K>;
  /** The relation loader of `kind<-parent`. */
  related<K extends EntityKind>(kind: K, parent: ParentKind): RelationLoader<K>;
  /** Takes in a record read here, to fill the by-id loaders. */
  absorb<K extends EntityKind>(kind: K, model: ModelByKind[K]): void;
}

/** Creates the loader of `kind<-parent`. A vendor that fails sets an Error on its own parents only. */
export function createRelationLoader<K extends EntityKind>(kind: K, parent: ParentKind, deps: RelationDeps): RelationLoader<K> {
  const relation: Relation = `${kind}<-${parent}`;
  type Child = ModelByKind[K];

  const batch = async (parents: readonly RecordRef[]): Promise<Array<Child[] | Error>> => {
    deps.mode.onBatch?.(relation, parents.length);
    const results: Array<Child[] | Error> = parents.map(() => []);
    const groups = groupByVendor(parents);
    const done = groups.map(async (group) => {
      const connector = deps.connectors[group.vendor];
      const strategy = strategyOf(connector, group.vendor, kind, parent);
      const refs = group.ids.map((id) => ({ system: group.vendor, id }));
      const set = (i: number, value: Child[] | Error): void => {
        results[group.positions[i]!] = value;
      };
      try {
        switch (strategy.type) {
          case 'none':
            return;
          case 'unsupported': {
            const error = new RelationNotSupportedError(group.vendor, relation);
            refs.forEach((_, i) => set(i, error));
            return;
          }
          case 'embedded': {
            const models = await deps.byId(parent as K & EntityKind).loadMany(refs);
            models.forEach((m, i) => set(i, m instanceof Error ? m : ((m && (EMBEDDED_CHILDREN[relation]?.(m as WorkOrderModel) as Child[] | undefined)) ?? [])));
            return;
          }
          case 'direct': {
            // Parents that list all their children's ids: read those children by id.
            // Only where the connector says its parents list them (`capabilities.listedChildren`)
            // does the relation wait for a parent being read; the others ask for the children at
            // once, beside the parent's own read when the relation was started before it arrived.
            const listed = connector!.capabilities.listedChildren?.includes(relation) ? LISTED_CHILDREN[relation] : undefined;
            const rest: number[] = [];
            if (listed && deps.mode.enabled) {
              // Only parents already in hand: fetching a parent to learn its children's ids would
              // cost as much as asking for the children.
              const parentLoader = deps.byId(parent as K & EntityKind);
              const childLoads: Array<Promise<void>> = [];
              await Promise.all(
                refs.map(async (ref, i) => {
                  const held = peekLoaded(parentLoader, ref);
                  const m = held ? await held.catch(() => undefined) : undefined;
                  const ids = m ? listed(m as WorkOrderModel) : undefined;
                  if (!ids) return void rest.push(i);
                  childLoads.push(
                    deps
                      .byId(kind)
                      .loadMany(ids.map((id) => ({ system: group.vendor, id })))
                      .then((children) => {
                        const error = children.find((c): c is Error => c instanceof Error);
                        set(i, error ?? children.filter((c): c is Child => c !== null && !(c instanceof Error)));
                      }),
                  );
                }),
              );
              await Promise.all(childLoads);
            } else {
              rest.push(...group.ids.map((_, i) => i));
            }
            if (rest.length === 0) return;
            const ids = rest.map((i) => group.ids[i]!);
            const byParent = await connector!.children(kind, parent, ids);
            rest.forEach((i) => set(i, byParent.get(group.ids[i]!) ?? []));
            for (const list of byParent.values()) for (const child of list) deps.absorb(kind, child);
            return;
          }
          case 'via': {
            const { mid, keep } = strategy.via;
            const mids = await deps.related(mid, parent).loadMany(refs);
            const midRefs = mids.flatMap((m) => (m instanceof Error ? [] : m.map((x) => x.ref)));
            const childLists = await deps.related(kind, mid).loadMany(midRefs);
            const byMid = new Map(midRefs.map((r, i) => [refKey(r), childLists[i]!]));
            mids.forEach((m, i) => {
              if (m instanceof Error) return set(i, m);
              const seen = new Set<string>();
              const out: Child[] = [];
              for (const x of m) {
                const list = byMid.get(refKey(x.ref));
                if (list instanceof Error) return set(i, list);
                for (const child of list ?? []) {
                  if (seen.has(refKey(child.ref)) || (keep && !keep(child, refs[i]!))) continue;
                  seen.add(refKey(child.ref));
                  out.push(child);
                }
              }
              set(i, out);
            });
            return;
          }
        }
      } catch (e) {
        const error = asError(e);
        refs.forEach((_, i) => set(i, error));
      }
    });
    return settledByVendor(groups, done, results);
  };
  return new DataLoader(batch, { cacheKeyFn: refKey, batch: deps.mode.enabled, cache: deps.mode.enabled });
}
