/**
 * Relay connections over lists already in memory (a work order's appointments, a customer's
 * invoices): `first`/`after` with opaque offset cursors. The merged root lists, whose cursors
 * resume every vendor's stream, are built elsewhere.
 */
import { GraphQLError } from 'graphql';
import type { SourceSystem } from './__generated__/graphql.js';

/** Largest page a client may ask for. */
export const MAX_PAGE_SIZE = 100;

/** Page size when `first` is not given. */
export const DEFAULT_PAGE_SIZE = 50;

/** The paging arguments of a connection field. */
export interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
}

/** A Relay connection of `T` (the shape of every `XConnection` type). */
export interface Connection<T> {
  edges: Array<{ cursor: string; node: T }>;
  nodes: T[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number | null;
  /** Systems left out of the page (root lists only; a record's own lists null the field instead). */
  unavailableSystems: SourceSystem[];
}

const PREFIX = 'offset:';

function badInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

/** The opaque cursor of the item at `offset`. */
export function offsetCursor(offset: number): string {
  return Buffer.from(`${PREFIX}${offset}`, 'utf8').toString('base64url');
}

/** The offset a cursor of {@link offsetCursor} encodes; throws `BAD_USER_INPUT` for anything else. */
export function cursorOffset(cursor: string): number {
  const text = /^[A-Za-z0-9_-]{1,40}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const m = /^offset:(0|[1-9]\d{0,8})$/.exec(text);
  if (!m || offsetCursor(Number(m[1])) !== cursor) throw badInput('`after` is not a cursor of this connection.');
  return Number(m[1]);
}

/** Checks `first` (0 to {@link MAX_PAGE_SIZE}); throws `BAD_USER_INPUT` otherwise. */
export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) throw badInput(`\`first\` must be between 0 and ${MAX_PAGE_SIZE}.`);
  return first;
}

/**
 * The page of `items` that `args` asks for. `totalCount` is the length of `items`. Throws
 * `BAD_USER_INPUT` for a `first` out of range or a cursor this function did not issue.
 */
export function connectionFromArray<T>(items: readonly T[], args: ConnectionArgs): Connection<T> {
  const size = pageSize(args.first);
  const start = args.after === null || args.after === undefined ? 0 : cursorOffset(args.after) + 1;
  const page = items.slice(start, start + size);
  const edges = page.map((node, i) => ({ cursor: offsetCursor(start + i), node }));
  return {
    edges,
    nodes: page,
    pageInfo: {
      hasNextPage: start + size < items.length,
      hasPreviousPage: start > 0 && items.length > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount: items.length,
    unavailableSystems: [],
  };
}

/**
 * A connection over the list `load` returns. The arguments are checked before anything is loaded,
 * so a bad `first` or `after` costs no upstream call.
 */
export async function connectionOf<T>(args: ConnectionArgs, load: () => Promise<readonly T[]>): Promise<Connection<T>> {
  pageSize(args.first);
  if (args.after !== null && args.after !== undefined) cursorOffset(args.after);
  return connectionFromArray(await load(), args);
}
