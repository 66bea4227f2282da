/**
 * The tmem core's arrays (PampdMap, objnode levels) against the Map-based
 * core it replaced (test/helpers/tmem-reference.ts): random operation
 * sequences must give the same results, the same pamops.free calls in the
 * same order, the same counters, tree heights and pampds in the same
 * insertion order.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TMEM_POOL_PERSIST, Tmem, type TmemPamOps, type TmemPool } from '../../../src/tmem/tmem.js';
import * as ref from '../../helpers/tmem-reference.js';

interface P {
  id: number;
}

type Op =
  | { k: 'put'; oid: number; index: number }
  | { k: 'putAbsent'; oid: number; index: number }
  | { k: 'get'; oid: number; index: number; gaf: number }
  | { k: 'flushPage'; oid: number; index: number }
  | { k: 'flushObject'; oid: number }
  | { k: 'destroy' };

// Indexes from every tree height: 0, one node (< 64), two levels (< 4096), three, and beyond (past 2^31 too);
// each run draws its operations' indexes from a few of them, so that they meet.
const anyIndex = fc
  .tuple(
    fc.oneof(
      fc.constantFrom(0, 1, 63, 64, 65, 4095, 4096, 262143, 262144, 2 ** 31 - 1, 2 ** 31, 2 ** 36 + 64),
      fc.integer({ min: 0, max: 70 }),
      fc.integer({ min: 0, max: 5000 }),
      fc.integer({ min: 0, max: 2 ** 20 }),
    ),
    fc.integer({ min: 0, max: 2 }),
  )
  .map(([base, near]) => base + near); // neighbours share objnodes
// Small oids (ObjMap's array) and large ones (its Map), interleaved in insertion order.
const oid = fc.constantFrom(0, 1, 2, 65536, 2 ** 40);
const pick = fc.nat();
const rawOp = fc.oneof(
  { weight: 6, arbitrary: fc.record({ k: fc.constant('put' as const), oid, index: pick }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('putAbsent' as const), oid, index: pick }) },
  { weight: 4, arbitrary: fc.record({ k: fc.constant('get' as const), oid, index: pick, gaf: fc.constantFrom(-1, 0, 1) }) },
  { weight: 4, arbitrary: fc.record({ k: fc.constant('flushPage' as const), oid, index: pick }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('flushObject' as const), oid }) },
  { weight: 1, arbitrary: fc.constant({ k: 'destroy' as const }) },
);
// Mostly puts, few flushes of whole objects: trees of many pages.
const growingOp = fc.oneof(
  { weight: 12, arbitrary: fc.record({ k: fc.constant('put' as const), oid, index: pick }) },
  { weight: 4, arbitrary: fc.record({ k: fc.constant('putAbsent' as const), oid, index: pick }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('get' as const), oid, index: pick, gaf: fc.constantFrom(-1, 0, 1) }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('flushPage' as const), oid, index: pick }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('flushObject' as const), oid }) },
);
/** Sequences of `raw` operations whose indexes are drawn from minIndexes..maxIndexes distinct ones. */
const opsOver = (raw: fc.Arbitrary<Record<string, unknown>>, minIndexes: number, maxIndexes: number, minOps = 0): fc.Arbitrary<Op[]> =>
  fc
    .tuple(fc.uniqueArray(anyIndex, { minLength: minIndexes, maxLength: maxIndexes }), fc.array(raw, { minLength: minOps, maxLength: 300 }))
    .map(([indexes, seq]) => seq.map((o) => ('index' in o ? { ...o, index: indexes[(o.index as number) % indexes.length]! } : o) as Op));
// A few indexes; and many in growing trees, which outgrow an object's small array of objnodes (16) and move to levels.
const ops = opsOver(rawOp, 1, 12);
const manyOps = opsOver(growingOp, 24, 80, 150);

class Ops implements TmemPamOps<P> {
  freed: string[] = [];
  pampdFree(p: P, _pool: unknown, o: number, i: number): void {
    this.freed.push(`${p.id}@${o}/${i}`);
  }
}

describe('tmem core against the Map-based reference', () => {
  for (const [flags, many] of [[0, false], [TMEM_POOL_PERSIST, false], [0, true], [TMEM_POOL_PERSIST, true]] as const) {
    it(`agrees on random operations (${flags ? 'persistent' : 'ephemeral'} pool${many ? ', many indexes' : ''})`, () => {
      fc.assert(
        fc.property(many ? manyOps : ops, (seq) => {
          const a = new Ops();
          const b = new Ops();
          const mine = new Tmem<P>(a);
          const theirs = new ref.Tmem<P>(b);
          let pool: TmemPool<P> = mine.newPool(0, flags);
          let refPool: ref.TmemPool<P> = theirs.newPool(0, flags);
          let id = 0;
          for (const o of seq) {
            switch (o.k) {
              case 'put':
                mine.put(pool, o.oid, o.index, { id });
                theirs.put(refPool, o.oid, o.index, { id: id++ });
                break;
              case 'putAbsent':
                // as a host calls it: only after finding the index empty
                if (mine.lookup(pool, o.oid, o.index) === undefined) {
                  mine.putAbsent(pool, pool.objs.get(o.oid), o.oid, o.index, { id });
                  theirs.put(refPool, o.oid, o.index, { id: id++ });
                }
                break;
              case 'get':
                expect(mine.get(pool, o.oid, o.index, o.gaf)).toEqual(theirs.get(refPool, o.oid, o.index, o.gaf));
                break;
              case 'flushPage':
                expect(mine.flushPage(pool, o.oid, o.index)).toBe(theirs.flushPage(refPool, o.oid, o.index));
                break;
              case 'flushObject':
                expect(mine.flushObject(pool, o.oid)).toBe(theirs.flushObject(refPool, o.oid));
                break;
              case 'destroy':
                mine.destroyPool(pool);
                theirs.destroyPool(refPool);
                pool = mine.newPool(0, flags);
                refPool = theirs.newPool(0, flags);
                break;
            }
            expect(mine.stats).toEqual(theirs.stats);
            expect(a.freed).toEqual(b.freed);
            expect([...pool.objs.keys()]).toEqual([...refPool.objs.keys()]);
            for (const [k, obj] of pool.objs) {
              const r = refPool.objs.get(k)!;
              expect(obj.height).toBe(r.height);
              expect([...obj.pampds]).toEqual([...r.pampds]);
              expect(obj.pampds.size).toBe(r.pampds.size);
            }
          }
        }),
        { numRuns: many ? 60 : 500 },
      );
    });
  }

  it('keeps a Map order: a set of a present index keeps its place, a delete and set moves it last', () => {
    const t = new Tmem<P>(new Ops());
    const pool = t.newPool(0, TMEM_POOL_PERSIST);
    t.put(pool, 1, 5, { id: 1 });
    t.put(pool, 1, 2, { id: 2 });
    t.put(pool, 1, 9, { id: 3 });
    const m = pool.objs.get(1)!.pampds;
    m.set(2, { id: 4 }); // in place, as a Map's set
    expect([...m.keys()]).toEqual([5, 2, 9]);
    t.put(pool, 1, 5, { id: 5 }); // a duplicate put: flushed, then added again
    expect([...m.keys()]).toEqual([2, 9, 5]);
    expect([...m.values()].map((p) => p.id)).toEqual([4, 3, 5]);
    // deleting the entry being visited keeps the iteration going
    const seen: number[] = [];
    for (const [k] of m) {
      seen.push(k);
      m.delete(k);
    }
    expect(seen).toEqual([2, 9, 5]);
    expect(m.size).toBe(0);
  });

  it('goes back to the dense form when a sparse object fills in (its first page far out), in the same order', () => {
    const t = new Tmem<P>(new Ops());
    const pool = t.newPool(0, TMEM_POOL_PERSIST);
    // The first page at 1,000 (sparse: pairs, then a Map past 8); then 0, 1, 2, ... The Map is
    // looked at as its count doubles: at 64 pages 1,000 is within 16 x 64 + 64, and it turns dense.
    const order = [1000, ...Array.from({ length: 70 }, (_, i) => i)];
    order.forEach((index, id) => t.put(pool, 1, index, { id }));
    const m = pool.objs.get(1)!.pampds;
    const form = m as unknown as { slots: unknown[] | null; map: Map<number, P> | null };
    expect(form.map).toBeNull();
    expect(form.slots).not.toBeNull();
    expect([...m.keys()]).toEqual(order);
    expect(m.get(1000)?.id).toBe(0);
    expect(m.get(69)?.id).toBe(70);
    expect(m.get(70)).toBeUndefined();
    expect(m.size).toBe(71);
    // A set in place keeps its place; a delete and set moves the index last, as a Map's.
    m.set(1000, { id: 99 });
    expect(m.delete(5)).toBe(true);
    m.set(5, { id: 100 });
    expect([...m.keys()]).toEqual([...order.filter((i) => i !== 5), 5]);
  });

  it('keeps a Map order in the small sparse form too (its first pair in the object, the rest in an array)', () => {
    const t = new Tmem<P>(new Ops());
    const pool = t.newPool(0, TMEM_POOL_PERSIST);
    const far = [500_000, 300_000, 900_000, 700_000];
    far.forEach((index, id) => t.put(pool, 1, index, { id }));
    const m = pool.objs.get(1)!.pampds;
    for (const [index, id] of [[500_000, 10], [300_000, 11], [700_000, 12]] as const) m.set(index, { id }); // in place
    expect([...m.keys()]).toEqual(far);
    expect([...m.values()].map((p) => p.id)).toEqual([10, 11, 2, 12]);
    expect(m.delete(300_000)).toBe(true); // a pair in the array: the later ones move up
    expect(m.delete(123)).toBe(false);
    expect([...m.keys()]).toEqual([500_000, 900_000, 700_000]);
    expect(m.delete(500_000)).toBe(true); // the first: the array's first takes its place
    expect([...m.entries()].map(([k, p]) => [k, p.id])).toEqual([[900_000, 2], [700_000, 12]]);
    expect(m.get(700_000)?.id).toBe(12);
    expect(m.get(500_000)).toBeUndefined();
  });
});
