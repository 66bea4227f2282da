/**
 * LruLists (src/mm/lru.ts) against a model written here: one array per list,
 * from the LRU end (head) to the MRU end (tail). push appends at the MRU end,
 * pushHead inserts at the LRU end (lruvec_add_folio_tail: a rotated page),
 * remove takes a page off whatever list holds it, touch moves it to its MRU
 * end. After each step every list's size, head and order agree.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LruLists } from '../../../src/mm/lru.js';

type Op = { kind: 'push' | 'pushHead' | 'remove' | 'touch'; id: number; list: number };

const opArb: fc.Arbitrary<Op> = fc.record({
  kind: fc.constantFrom('push' as const, 'pushHead' as const, 'remove' as const, 'touch' as const),
  id: fc.integer({ min: 0, max: 40 }),
  list: fc.integer({ min: 0, max: 2 }),
});

/** The ids of list l from head to tail: drained through head() and remove(), then put back in the same order. */
function orderOf(lists: LruLists, l: number, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const id = lists.head(l);
    out.push(id);
    lists.remove(id);
  }
  for (const id of out) lists.push(l, id);
  return out;
}

describe('LruLists', () => {
  it('pushHead puts a page at the LRU end, push at the MRU end', () => {
    const lists = new LruLists(2, 4);
    lists.push(0, 1);
    lists.push(0, 2);
    lists.pushHead(0, 3);
    expect(lists.head(0)).toBe(3);
    expect(orderOf(lists, 0, 3)).toEqual([3, 1, 2]);
    lists.ensure(8);
    lists.pushHead(1, 7);
    expect(lists.head(1)).toBe(7);
    expect(lists.listOf(7)).toBe(1);
    expect(lists.sizes[1]).toBe(1);
  });

  it('agrees with an array model after any sequence of operations', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 200 }), (ops) => {
        const lists = new LruLists(3, 8);
        lists.ensure(41);
        const model: number[][] = [[], [], []];
        const on = (id: number): number => model.findIndex((a) => a.includes(id));
        for (const op of ops) {
          const at = on(op.id);
          switch (op.kind) {
            case 'push':
              if (at >= 0) continue; // a page is on at most one list
              lists.push(op.list, op.id);
              model[op.list]!.push(op.id);
              break;
            case 'pushHead':
              if (at >= 0) continue;
              lists.pushHead(op.list, op.id);
              model[op.list]!.unshift(op.id);
              break;
            case 'remove':
              lists.remove(op.id);
              if (at >= 0) model[at]!.splice(model[at]!.indexOf(op.id), 1);
              break;
            case 'touch':
              lists.touch(op.id);
              if (at >= 0) {
                model[at]!.splice(model[at]!.indexOf(op.id), 1);
                model[at]!.push(op.id);
              }
              break;
          }
          for (let l = 0; l < 3; l++) {
            expect(lists.sizes[l]).toBe(model[l]!.length);
            expect(lists.head(l)).toBe(model[l]!.length > 0 ? model[l]![0] : -1);
          }
          expect(lists.listOf(op.id)).toBe(on(op.id));
        }
        for (let l = 0; l < 3; l++) expect(orderOf(lists, l, model[l]!.length)).toEqual(model[l]);
      }),
      { numRuns: 300 },
    );
  });
});
