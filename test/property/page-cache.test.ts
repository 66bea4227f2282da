/**
 * The page cache's slots (a lone page's node as its table entry alone, any other node with a
 * record holding one entry or a block of 64): after any sequence of fills, evictions, truncated
 * pages, shrinker passes and truncations, it holds exactly the pages and shadows a model written
 * here keeps (a Map of pages, a Map of shadows, the shadow-node list as an array, oldest first,
 * and the shrinker's count/scan arithmetic of mm/workingset.c and do_shrink_slab), and a refault
 * reads the model's shadow.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PageCache } from '../../src/mm/page-cache.js';

/** A few page keys in each of a few nodes (64 keys a node), some beyond 2^32 (fileKey's range). */
const NODES = [0, 1, 5, 2 ** 30 + 3];
const SLOTS = [0, 1, 31, 32, 63];
const KEYS = NODES.flatMap((n) => SLOTS.map((s) => n * 64 + s));
const nodeKey = (key: number): number => Math.floor(key / 64);

type Op =
  | { kind: 'fill'; key: number }
  | { kind: 'evict'; key: number }
  | { kind: 'pageOut'; key: number }
  | { kind: 'shrink'; lru: number }
  | { kind: 'truncate'; below: number };

const anyKey = fc.constantFrom(...KEYS);
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: anyKey.map((key) => ({ kind: 'fill' as const, key })) },
  { weight: 5, arbitrary: anyKey.map((key) => ({ kind: 'evict' as const, key })) },
  { weight: 1, arbitrary: anyKey.map((key) => ({ kind: 'pageOut' as const, key })) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 40 }).map((lru) => ({ kind: 'shrink' as const, lru })) },
  { weight: 1, arbitrary: fc.constantFrom(...NODES).map((n) => ({ kind: 'truncate' as const, below: n + 1 })) },
);

class Model {
  readonly pages = new Map<number, number>();
  readonly shadows = new Map<number, number>();
  /** Listed nodes (all entries shadows), oldest first. */
  readonly list: number[] = [];
  deferred = 0;
  reclaimed = 0;

  private nodePages(nk: number): number {
    let n = 0;
    for (const k of this.pages.keys()) if (nodeKey(k) === nk) n++;
    return n;
  }
  private nodeShadows(nk: number): number[] {
    return [...this.shadows.keys()].filter((k) => nodeKey(k) === nk);
  }
  settle(nk: number): void {
    const listed = this.list.indexOf(nk);
    const want = this.nodePages(nk) === 0 && this.nodeShadows(nk).length > 0;
    if (want && listed < 0) this.list.push(nk);
    if (!want && listed >= 0) this.list.splice(listed, 1);
  }
  /** do_shrink_slab with count_shadow_nodes' count: the excess over one node per 8 pages. */
  shrink(lru: number): void {
    const freeable = Math.max(0, this.list.length - Math.floor(lru / 8));
    if (freeable === 0) return;
    // This call's half of the excess plus the work the last one deferred, at most twice the excess.
    const wanted = this.deferred + Math.floor(freeable / 2);
    let left = Math.min(wanted, 2 * freeable);
    let done = 0;
    // Whole batches of 128, or one batch of everything left once that reaches the excess.
    for (; left >= 128 || left >= freeable; left -= Math.min(128, left)) {
      this.freeOldest(Math.min(128, left));
      done += Math.min(128, left);
    }
    this.deferred = Math.min(Math.max(wanted - done, 0), 2 * freeable);
  }
  /** shadow_lru_isolate on the n oldest listed nodes (fewer when the list is shorter). */
  private freeOldest(n: number): void {
    for (const nk of this.list.splice(0, n)) {
      for (const k of this.nodeShadows(nk)) this.shadows.delete(k);
      this.reclaimed++;
    }
  }
}

describe('PageCache', () => {
  it('holds the model pages and shadows, no more, after any sequence', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 50, maxLength: 300 }), (ops) => {
        const sn = new PageCache();
        const model = new Model();
        let nextId = 0;
        let age = 0;
        const pageOut = (key: number): void => {
          // A page leaves without a shadow.
          sn.remove(key, -1);
          model.pages.delete(key);
          model.settle(nodeKey(key));
        };
        for (const o of ops) {
          if (o.kind === 'fill') {
            if (model.pages.has(o.key)) continue;
            // The policy reads the shadow as the page takes the slot.
            const id = nextId++;
            expect(sn.add(o.key, id)).toBe(model.shadows.get(o.key) ?? -1);
            model.shadows.delete(o.key);
            model.pages.set(o.key, id);
            model.settle(nodeKey(o.key));
          } else if (o.kind === 'evict') {
            if (!model.pages.has(o.key)) continue;
            // The shadow takes the page's slot in its node.
            const v = 2 * age++ + (age % 3 === 0 ? 1 : 0);
            sn.remove(o.key, v);
            model.pages.delete(o.key);
            model.shadows.set(o.key, v);
            model.settle(nodeKey(o.key));
          } else if (o.kind === 'pageOut') {
            if (model.pages.has(o.key)) pageOut(o.key);
          } else if (o.kind === 'shrink') {
            sn.shrink(o.lru);
            model.shrink(o.lru);
          } else {
            // umount: the files' pages go first, then their shadows (Memory.dropFs).
            const gone = (key: number): boolean => nodeKey(key) < o.below;
            for (const key of [...model.pages.keys()]) if (gone(key)) pageOut(key);
            sn.truncate(gone);
            for (const key of [...model.shadows.keys()]) if (gone(key)) model.shadows.delete(key);
            for (const nk of [...model.list]) if (nk < o.below) model.settle(nk);
          }
          for (const key of KEYS) {
            expect(sn.get(key)).toBe(model.pages.get(key) ?? -1);
            expect(sn.shadowOf(key)).toBe(model.shadows.get(key) ?? -1);
          }
          expect(sn.keyList().sort((a, b) => a - b)).toEqual([...model.pages.keys()].sort((a, b) => a - b));
          expect(sn.size).toBe(model.pages.size);
          expect(sn.shadows).toBe(model.shadows.size);
          expect(sn.listed).toBe(model.list.length);
          expect(sn.reclaimed).toBe(model.reclaimed);
        }
      }),
      { numRuns: 300 },
    );
  });
});
