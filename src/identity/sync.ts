/**
 * The backfill and incremental refresh of the link index: walks every connector's customers,
 * equipment, technicians and work orders page by page (the connectors' `list`, filtered by
 * modification time with `updatedSince`), links each page, and keeps a checkpoint per vendor and
 * type in the key-value store, beside the index:
 *
 * - during a walk, the vendor cursor of the next page: an interrupted run resumes from there;
 * - after a walk, the instant the next walk reads from (the walk's start, less an overlap for
 *   clock skew between us and the vendor): a later run reads only what changed since.
 *
 * Linking is idempotent, so a page read twice (a crash between linking and saving the checkpoint,
 * or the overlap) changes nothing.
 */
import { ConnectorError, type FieldServiceConnector } from '../../connectors/types.js';
import { VENDOR_KEYS, type VendorKey } from '../../connectors/vendors.js';
import type { IdentityStats, LinkIndex, LinkOutcome } from './index.js';
import { identityRecordOf, IDENTITY_TYPES, type IdentityModelByType, type IdentityType } from './rules.js';

/** Where a walk of one list stands, kept in the store. */
export interface SyncCheckpoint {
  /** The next walk reads records modified at or after this instant (absent: everything). */
  since?: string;
  /** A walk in progress: its start, the `updatedSince` it reads with, the cursor of its next page. */
  walk?: { startedAt: string; since?: string; cursor: string; pages: number; records: number };
  /** When the last walk finished. */
  completedAt?: string;
}

/** One list of one vendor in a run. */
export interface SyncListResult {
  vendor: VendorKey;
  type: IdentityType;
  /** Records read in this run. */
  records: number;
  pages: number;
  /** True when this run continued a walk an earlier run left unfinished. */
  resumed: boolean;
  /** The `updatedSince` of the walk (absent: a full read). */
  since?: string;
  /** True when the walk reached its last page. */
  complete: boolean;
  /** The vendor's failure, when the list could not be read (its checkpoint is kept). */
  error?: string;
}

/** What a run did. */
export interface SyncSummary {
  lists: SyncListResult[];
  records: number;
  pages: number;
  linked: LinkOutcome;
  /** Records, entities and links per rule in the whole index after the run. */
  index: IdentityStats;
  /** True when the run was stopped before every list was complete. */
  interrupted: boolean;
  durationMs: number;
}

/** Hears about a run as it goes (a progress bar, log lines). */
export interface SyncProgress {
  /** The run starts; `lists` is how many lists it walks. */
  start?(lists: number): void;
  /** A page was linked; `total` is the vendor's count of the walk when it reports one. */
  page?(p: { vendor: VendorKey; type: IdentityType; records: number; total?: number; listsDone: number; lists: number; recordsSoFar: number }): void;
  /** A list is done (or failed). */
  listDone?(result: SyncListResult): void;
  /** The run is over. */
  done?(summary: SyncSummary): void;
}

/** Options of {@link runSync}. */
export interface SyncOptions {
  connectors: Partial<Record<VendorKey, FieldServiceConnector>>;
  index: LinkIndex;
  /** Types to walk (default all four: customers, equipment, technicians, work orders). */
  types?: readonly IdentityType[];
  /** Items per page asked of each vendor (capped by the vendor; default 200). */
  pageSize?: number;
  /**
   * Records read before they are linked and the checkpoint saved (default 2000): fewer, larger
   * writes to the store. A stop (`signal`) links and saves what was read first; a crash re-reads
   * at most this many records.
   */
  batchRecords?: number;
  /** Stops the run between pages; the checkpoints keep where it stood. */
  signal?: AbortSignal;
  progress?: SyncProgress;
  /** How far before a walk's start the next walk reads from (default 5 minutes). */
  overlapMs?: number;
  /** Upper bound of pages per list and run, a guard against a vendor cursor that never ends (default 100,000). */
  maxPagesPerList?: number;
  now?: () => Date;
}

/** The store key of the checkpoint of one vendor's list of one type. */
export function checkpointKey(tenant: string, vendor: VendorKey, type: IdentityType): string {
  return `${tenant}:sync:${vendor}:${type}`;
}

/** Reads the checkpoint of one list (undefined before its first walk). */
export async function readCheckpoint(index: LinkIndex, vendor: VendorKey, type: IdentityType): Promise<SyncCheckpoint | undefined> {
  return (await index.store.keyv.get<SyncCheckpoint>(checkpointKey(index.tenant, vendor, type))) ?? undefined;
}

async function saveCheckpoint(index: LinkIndex, vendor: VendorKey, type: IdentityType, c: SyncCheckpoint): Promise<void> {
  await index.store.keyv.set(checkpointKey(index.tenant, vendor, type), c);
}

/** Runs the backfill (first run) or the incremental refresh (later runs) of every list. */
export async function runSync(options: SyncOptions): Promise<SyncSummary> {
  const started = Date.now();
  const now = options.now ?? (() => new Date());
  const overlapMs = options.overlapMs ?? 5 * 60_000;
  const pageSize = options.pageSize ?? 200;
  const batchRecords = Math.max(1, options.batchRecords ?? 2000);
  const maxPages = options.maxPagesPerList ?? 100_000;
  const types = options.types ?? IDENTITY_TYPES;
  const plan: Array<{ vendor: VendorKey; type: IdentityType; connector: FieldServiceConnector }> = [];
  for (const type of types) {
    for (const vendor of VENDOR_KEYS) {
      const connector = options.connectors[vendor];
      if (connector && (connector.capabilities.lists as readonly string[]).includes(type)) plan.push({ vendor, type, connector });
    }
  }
  options.progress?.start?.(plan.length);
  const linked: LinkOutcome = { added: 0, changed: 0, merged: 0, blocked: 0 };
  const lists: SyncListResult[] = [];
  let records = 0;
  let pages = 0;
  let interrupted = false;

  for (const { vendor, type, connector } of plan) {
    if (options.signal?.aborted) {
      interrupted = true;
      break;
    }
    const saved = (await readCheckpoint(options.index, vendor, type)) ?? {};
    const resumed = saved.walk !== undefined;
    const walk = saved.walk ?? { startedAt: now().toISOString(), ...(saved.since ? { since: saved.since } : {}), cursor: '', pages: 0, records: 0 };
    const result: SyncListResult = { vendor, type, records: 0, pages: 0, resumed, ...(walk.since ? { since: walk.since } : {}), complete: false };
    let cursor: string | undefined = walk.cursor || undefined;
    let total: number | undefined;
    let pending: Array<IdentityModelByType[typeof type]> = [];
    /** Links what was read and saves where the walk stands (the cursor of the next page, or done). */
    const flush = async (): Promise<void> => {
      if (pending.length > 0) {
        const outcome = await options.index.link(pending.map((m) => identityRecordOf(type, m)));
        linked.added += outcome.added;
        linked.changed += outcome.changed;
        linked.merged += outcome.merged;
        linked.blocked += outcome.blocked;
        pending = [];
      }
      if (cursor) {
        await saveCheckpoint(options.index, vendor, type, { ...saved, walk: { ...walk, cursor } });
      } else {
        const since = new Date(Date.parse(walk.startedAt) - overlapMs).toISOString();
        await saveCheckpoint(options.index, vendor, type, { since, completedAt: now().toISOString() });
        result.complete = true;
      }
    };
    try {
      for (let n = 0; n < maxPages; n++) {
        if (options.signal?.aborted) {
          interrupted = true;
          break;
        }
        const page = await connector.list(type, { pageSize, ...(walk.since ? { updatedSince: walk.since } : {}), ...(cursor ? { cursor } : {}) });
        if (page.total !== undefined && total === undefined) total = page.total;
        pending.push(...(page.items as Array<IdentityModelByType[typeof type]>));
        result.records += page.items.length;
        result.pages++;
        records += page.items.length;
        pages++;
        walk.pages++;
        walk.records += page.items.length;
        cursor = page.nextCursor;
        if (!cursor || pending.length >= batchRecords || options.signal?.aborted) await flush();
        options.progress?.page?.({
          vendor,
          type,
          records: walk.records,
          ...(total !== undefined ? { total: Math.max(total, walk.records) } : {}),
          listsDone: lists.length,
          lists: plan.length,
          recordsSoFar: records,
        });
        if (!cursor) break;
      }
      if (pending.length > 0) await flush();
    } catch (e) {
      if (!(e instanceof ConnectorError)) throw e;
      result.error = `${e.kind}: ${e.message}`;
      // What was read before the failure is linked; the walk resumes after it.
      if (pending.length > 0) await flush();
    }
    lists.push(result);
    options.progress?.listDone?.(result);
    if (interrupted) break;
  }
  const summary: SyncSummary = {
    lists,
    records,
    pages,
    linked,
    index: await options.index.stats(),
    interrupted: interrupted || lists.some((l) => !l.complete),
    durationMs: Date.now() - started,
  };
  options.progress?.done?.(summary);
  return summary;
}

// ------------------------------------------------------------------------------ progress

const TYPE_LABEL: Record<IdentityType, string> = { customer: 'customers', equipment: 'equipment', technician: 'technicians', workOrder: 'work orders' };

/** The summary as lines of text: records, entities and links per rule. */
export function formatSummary(s: SyncSummary): string[] {
  const out: string[] = [];
  out.push(`${s.interrupted ? 'Sync interrupted' : 'Sync complete'}: ${s.records} records read in ${s.pages} pages, ${(s.durationMs / 1000).toFixed(1)} s; ${s.linked.added} new records, ${s.linked.changed} changed, ${s.linked.merged} merges, ${s.linked.blocked} merges refused`);
  for (const l of s.lists) {
    const how = l.resumed ? 'resumed' : l.since ? `since ${l.since}` : 'full';
    out.push(`  ${l.vendor.padEnd(13)} ${TYPE_LABEL[l.type].padEnd(12)} ${String(l.records).padStart(7)} records ${String(l.pages).padStart(5)} pages  (${how}${l.complete ? '' : ', not finished'}${l.error ? `; failed: ${l.error}` : ''})`);
  }
  out.push('Index:');
  for (const t of IDENTITY_TYPES) out.push(`  ${TYPE_LABEL[t].padEnd(12)} ${String(s.index.records[t]).padStart(7)} records -> ${String(s.index.entities[t]).padStart(7)} entities`);
  out.push('Links per rule:');
  for (const [rule, n] of Object.entries(s.index.links).sort()) if (n > 0) out.push(`  ${rule.padEnd(30)} ${String(n).padStart(7)}`);
  return out;
}

/**
 * A progress reporter on `stream`: on a terminal, a bar redrawn in place (the current list, its
 * records against the vendor's count, lists done, records so far); otherwise a line every
 * `intervalMs` and one per finished list.
 */
export function createProgressReporter(stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number } = process.stderr, intervalMs = 2000): SyncProgress {
  const tty = !!stream.isTTY;
  let last = 0;
  let drawn = false;
  const started = Date.now();
  const clear = () => {
    if (tty && drawn) stream.write('\r\x1b[2K');
    drawn = false;
  };
  return {
    start(lists) {
      stream.write(`Linking records across systems: ${lists} lists\n`);
    },
    page(p) {
      const label = `${p.vendor} ${TYPE_LABEL[p.type]}`;
      if (tty) {
        const width = 24;
        const ratio = p.total ? Math.min(1, p.records / p.total) : 0;
        const filled = Math.round(ratio * width);
        const bar = p.total ? `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]` : `[${'?'.repeat(width)}]`;
        const line = `${bar} ${label} ${p.records}${p.total ? `/${p.total}` : ''} · lists ${p.listsDone}/${p.lists} · ${p.recordsSoFar} records · ${((Date.now() - started) / 1000).toFixed(1)} s`;
        stream.write(`\r\x1b[2K${line.slice(0, (stream.columns ?? 120) - 1)}`);
        drawn = true;
      } else if (Date.now() - last >= intervalMs) {
        last = Date.now();
        stream.write(`sync: ${label} ${p.records}${p.total ? `/${p.total}` : ''}; lists ${p.listsDone}/${p.lists}; ${p.recordsSoFar} records\n`);
      }
    },
    listDone(l) {
      clear();
      stream.write(`sync: ${l.vendor} ${TYPE_LABEL[l.type]}: ${l.records} records${l.complete ? '' : ' (not finished)'}${l.error ? ` (failed: ${l.error})` : ''}\n`);
    },
    done(s) {
      clear();
      for (const line of formatSummary(s)) stream.write(`${line}\n`);
    },
  };
}
