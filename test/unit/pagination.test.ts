/**
 * Connections over in-memory lists: first/after, opaque cursors, argument checks before loading.
 */
import { GraphQLError } from 'graphql';
import { describe, expect, it, vi } from 'vitest';
import { connectionFromArray, connectionOf, offsetCursor, type Connection } from '../../src/pagination.js';

const items = Array.from({ length: 7 }, (_, i) => `item${i}`);

describe('connections', () => {
  it('walk a list page by page, each item once', () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: Connection<string> = connectionFromArray(items, { first: 3, after });
      seen.push(...page.nodes);
      expect(page.edges.map((e) => e.node)).toEqual(page.nodes);
      expect(page.totalCount).toBe(7);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(items);
  });

  it('answer an empty page with null cursors', () => {
    const page = connectionFromArray([], { first: 10 });
    expect(page.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null });
    expect(connectionFromArray(items, { first: 0 }).nodes).toEqual([]);
  });

  it('refuse first out of range and foreign cursors with BAD_USER_INPUT', () => {
    for (const args of [{ first: -1 }, { first: 101 }, { after: 'bm9wZQ' }, { after: 'offset:1' }, { after: Buffer.from('offset:01').toString('base64url') }]) {
      try {
        connectionFromArray(items, args);
        throw new Error('accepted');
      } catch (e) {
        expect((e as GraphQLError).extensions?.code, JSON.stringify(args)).toBe('BAD_USER_INPUT');
      }
    }
    expect(connectionFromArray(items, { after: offsetCursor(2), first: 2 }).nodes).toEqual(['item3', 'item4']);
  });

  it('check arguments before loading anything', async () => {
    const load = vi.fn(async () => items);
    await expect(connectionOf({ first: 1000 }, load)).rejects.toBeInstanceOf(GraphQLError);
    expect(load).not.toHaveBeenCalled();
    expect((await connectionOf({ first: 2 }, load)).nodes).toEqual(['item0', 'item1']);
  });
});
