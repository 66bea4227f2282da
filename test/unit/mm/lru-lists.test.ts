/**
 * LruLists (src/mm/lru.ts) against a model written here: one array per list,
 * from the LRU end (head) to the MRU end (tail). push appends at the MRU end,
 * pushHead inserts at the LRU end (lruvec_add_folio_tail: a rotated page),
 * remove takes a page off whatever list holds it, touch moves it to its MRU
 * end. After each step every list's size, head, first pages (peekFront) and order agree. The lists
 * are rings with dead entries left by removals (lru.ts): the second property
 * runs sequences long enough to wrap, compact and grow them, with reclaim's
 * pattern among the steps (the head taken off again and again).
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
/** The model's remove and touch of page id on list `at` (-1: on none): what LruLists.remove and touch must do. */
function modelRemove(model: number[][], at: number, id: number): void {
  if (at >= 0) model[at]!.splice(model[at]!.indexOf(id), 1);
}
function modelTouch(model: number[][], at: number, id: number): void {
  if (at < 0) return;
  modelRemove(model, at, id);
  model[at]!.push(id);
}

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
              modelRemove(model, at, op.id);
              break;
            case 'touch':
              lists.touch(op.id);
              modelTouch(model, at, op.id);
              break;
          }
          for (let l = 0; l < 3; l++) {
            expect(lists.sizes[l]).toBe(model[l]!.length);
            // peekFront: the first k pages from the LRU end, the list unchanged.
            const k = (op.id % 5) + 1;
            const out = new Int32Array(k);
            const n = lists.peekFront(l, out, k);
            expect(Array.from(out.subarray(0, n))).toEqual(model[l]!.slice(0, k));
            expect(lists.head(l)).toBe(model[l]!.length > 0 ? model[l]![0] : -1);
          }
          expect(lists.listOf(op.id)).toBe(on(op.id));
        }
        for (let l = 0; l < 3; l++) expect(orderOf(lists, l, model[l]!.length)).toEqual(model[l]);
      }),
      { numRuns: 300 },
    );
  });

  it('agrees with the model over long sequences that wrap, compact and grow the rings', () => {
    type LongOp = { kind: 'push' | 'pushHead' | 'remove' | 'touch' | 'take'; id: number; list: number };
    const longArb: fc.Arbitrary<LongOp> = fc.record({
      kind: fc.constantFrom('push' as const, 'push' as const, 'pushHead' as const, 'remove' as const, 'touch' as const, 'take' as const),
      id: fc.integer({ min: 0, max: 299 }),
      list: fc.integer({ min: 0, max: 1 }),
    });
    fc.assert(
      fc.property(fc.array(longArb, { minLength: 500, maxLength: 3000 }), (ops) => {
        const lists = new LruLists(2, 16);
        lists.ensure(300);
        const model: number[][] = [[], []];
        const where = new Map<number, number>();
        ops.forEach((op, i) => {
          const at = where.get(op.id) ?? -1;
          switch (op.kind) {
            case 'push':
            case 'pushHead':
              if (at >= 0) return;
              if (op.kind === 'push') {
                lists.push(op.list, op.id);
                model[op.list]!.push(op.id);
              } else {
                lists.pushHead(op.list, op.id);
                model[op.list]!.unshift(op.id);
              }
              where.set(op.id, op.list);
              break;
            case 'remove':
              lists.remove(op.id);
              modelRemove(model, at, op.id);
              where.delete(op.id);
              break;
            case 'touch':
              lists.touch(op.id);
              modelTouch(model, at, op.id);
              break;
            case 'take': {
              // reclaim's isolate: the head off, then (half the time) onto the other list's MRU end
              const id = lists.head(op.list);
              expect(id).toBe(model[op.list]!.length > 0 ? model[op.list]![0] : -1);
              if (id < 0) return;
              lists.remove(id);
              model[op.list]!.shift();
              where.delete(id);
              if (op.id % 2 === 0) {
                lists.push(1 - op.list, id);
                model[1 - op.list]!.push(id);
                where.set(id, 1 - op.list);
              }
              break;
            }
          }
          for (let l = 0; l < 2; l++) expect(lists.sizes[l]).toBe(model[l]!.length);
          expect(lists.listOf(op.id)).toBe(where.get(op.id) ?? -1);
          if (i % 97 === 0) for (let l = 0; l < 2; l++) expect(orderOf(lists, l, model[l]!.length)).toEqual(model[l]);
        });
        for (let l = 0; l < 2; l++) expect(orderOf(lists, l, model[l]!.length)).toEqual(model[l]);
      }),
      { numRuns: 60 },
    );
  });
});

