/**
 * Random sequences of cleancache and frontswap operations on a few keys,
 * checked against a reference model (key → latest tag) and against the
 * allocator's and the pool's invariants.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ZcacheBackend } from '../../../src/backends/zcache/zcache.js';
import { PAGE_SIZE } from '../../../src/content/page.js';
import { TMEM_HANDLE_SIZE } from '../../../src/backends/zcache/zbud.js';
import { EnvDouble, out, pageOf, zeroPage } from '../../helpers/env-double.js';

/** Compressed sizes: 0 = a zero page; the rest straddle every threshold. */
const CLENS = [0, 40, 100, 1000, 2016, 2017, 2500, 2560, 2561, 3000, 3584, 3585, 4000, 4001, 5000];

type Op =
  | { k: 'ccPut'; inode: number; index: number; clen: number }
  | { k: 'ccGet'; inode: number; index: number }
  | { k: 'ccInval'; inode: number; index: number }
  | { k: 'ccInvalInode'; inode: number }
  | { k: 'ccRemount' }
  | { k: 'fsStore'; type: number; off: number; clen: number }
  | { k: 'fsLoad'; type: number; off: number }
  | { k: 'fsInval'; type: number; off: number }
  | { k: 'fsInvalArea'; type: number }
  | { k: 'shrink'; n: number };

const inode = fc.integer({ min: 0, max: 2 });
const index = fc.integer({ min: 0, max: 3 });
const type = fc.integer({ min: 0, max: 1 });
// offsets sharing oids (same low byte) and indexes across oids
const off = fc.constantFrom(0, 1, 2, 256, 257, 512, 70000, 2 ** 31 + 1);
const clen = fc.constantFrom(...CLENS);

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ k: fc.constant('ccPut' as const), inode, index, clen }) },
  { weight: 4, arbitrary: fc.record({ k: fc.constant('ccGet' as const), inode, index }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('ccInval' as const), inode, index }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('ccInvalInode' as const), inode }) },
  { weight: 1, arbitrary: fc.constant({ k: 'ccRemount' as const }) },
  { weight: 5, arbitrary: fc.record({ k: fc.constant('fsStore' as const), type, off, clen }) },
  { weight: 4, arbitrary: fc.record({ k: fc.constant('fsLoad' as const), type, off }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('fsInval' as const), type, off }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('fsInvalArea' as const), type }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('shrink' as const), n: fc.integer({ min: 1, max: 3 }) }) },
);

function pageFor(c: number, tag: number) {
  return c === 0 ? zeroPage(tag) : pageOf(c, tag);
}

function run(ops: Op[], budget: number, exclusive: boolean, era: '3.9' | '3.10', maxPct: number, verify: boolean): void {
  const env = new EnvDouble({ freePages: budget, ramPages: 200, verifyBytes: verify });
  const z = new ZcacheBackend(env, { frontswap_has_exclusive_gets: exclusive, kernel_era: era, max_pool_percent: maxPct });
  const fs = z.frontswap!;
  const cc = z.cleancache!;
  fs.init(0);
  fs.init(1);
  let pool = cc.initFs(PAGE_SIZE);
  const ccModel = new Map<number, number>(); // inode*16+index → latest tag since the last flush or miss
  const fsModel = new Map<number, number>(); // type*2^32+off → tag of a successful store (the frontswap bit)
  const cap = maxPct > 0 ? Math.floor((200 * maxPct) / 100) : Infinity;
  let tag = 0;
  for (const op of ops) {
    switch (op.k) {
      case 'ccPut': {
        const t = ++tag;
        cc.putPage(pool, op.inode, op.index, pageFor(op.clen, t));
        ccModel.set(op.inode * 16 + op.index, t);
        break;
      }
      case 'ccGet': {
        const key = op.inode * 16 + op.index;
        const o = out();
        if (cc.getPage(pool, op.inode, op.index, o)) {
          expect(ccModel.has(key)).toBe(true);
          expect(o.tag).toBe(ccModel.get(key));
          if (verify) expect(o.filled).toBe(true);
        }
        ccModel.delete(key); // exclusive hit, or a miss: later gets miss until a put
        break;
      }
      case 'ccInval':
        cc.invalidatePage(pool, op.inode, op.index);
        ccModel.delete(op.inode * 16 + op.index);
        break;
      case 'ccInvalInode':
        cc.invalidateInode(pool, op.inode);
        for (let i = 0; i < 16; i++) ccModel.delete(op.inode * 16 + i);
        break;
      case 'ccRemount':
        cc.invalidateFs(pool);
        ccModel.clear();
        pool = cc.initFs(PAGE_SIZE);
        expect(pool).toBeGreaterThanOrEqual(0);
        break;
      case 'fsStore': {
        const key = op.type * 2 ** 32 + op.off;
        const t = ++tag;
        const ok = fs.store(op.type, op.off, pageFor(op.clen, t));
        if (ok) fsModel.set(key, t);
        else if (fsModel.delete(key)) fs.invalidatePage(op.type, op.off); // the frontend's failed-dup path
        break;
      }
      case 'fsLoad': {
        const key = op.type * 2 ** 32 + op.off;
        const o = out();
        const hit = fs.load(op.type, op.off, o);
        // persistent: a stored page must be found; nothing else may be
        expect(hit).toBe(fsModel.has(key));
        if (hit) {
          expect(o.tag).toBe(fsModel.get(key));
          if (exclusive) fsModel.delete(key);
        }
        break;
      }
      case 'fsInval':
        fs.invalidatePage(op.type, op.off);
        fsModel.delete(op.type * 2 ** 32 + op.off);
        break;
      case 'fsInvalArea':
        fs.invalidateArea(op.type);
        for (const k of [...fsModel.keys()]) if (Math.floor(k / 2 ** 32) === op.type) fsModel.delete(k);
        break;
      case 'shrink':
        z.shrink(op.n);
        break;
    }
    // invariants
    const s = z.stats();
    const zc = s['zcache']!;
    const zb = s['zbud']!;
    for (const g of [zc, zb]) for (const [name, v] of Object.entries(g)) if (v < 0) throw new Error(`${name} < 0`);
    expect(env.poolPages).toBe(z.poolPages());
    expect(env.poolPages).toBeLessThanOrEqual(Math.min(budget, cap));
    expect(zc['eph_pageframes']).toBe(zb['eph_pageframes']);
    expect(zc['pers_pageframes']).toBe(zb['pers_pageframes']);
    expect(zb['eph_zpages']! + zb['pers_zpages']!).toBeLessThanOrEqual(2 * (zb['eph_pageframes']! + zb['pers_pageframes']!));
    expect(zc['eph_zpages']! + zc['pers_zpages']! - zc['zero_filled_pages']!).toBe(zb['eph_zpages']! + zb['pers_zpages']!);
    expect(zc['eph_zbytes']).toBe(zb['eph_zbytes']! - TMEM_HANDLE_SIZE * zb['eph_zpages']!);
    expect(zc['pers_zbytes']).toBe(zb['pers_zbytes']! - TMEM_HANDLE_SIZE * zb['pers_zpages']!);
    expect(zb['eph_buddied_count']! + zb['eph_unbuddied_count']!).toBe(zb['eph_pageframes']);
    expect(zb['pers_buddied_count']! + zb['pers_unbuddied_count']!).toBe(zb['pers_pageframes']);
    // persistent pages are never evicted: everything the model holds is still stored
    expect(zc['pers_zpages']!).toBeGreaterThanOrEqual(fsModel.size);
  }
  // tear down: every pageframe goes back
  for (let t = 0; t < 2; t++) fs.invalidateArea(t);
  cc.invalidateFs(pool);
  expect(z.poolPages()).toBe(0);
  expect(z.storedPages()).toBe(0);
  expect(env.poolPages).toBe(0);
  expect(z.stats()['zcache']!['obj_count']).toBe(0);
  expect(z.stats()['zcache']!['objnode_count']).toBe(0);
}

describe('zcache against a reference model', () => {
  it('never returns stale data, never loses a swap page, keeps the pool within its budget', () => {
    fc.assert(
      fc.property(
        fc.array(opArb, { maxLength: 120, size: 'max' }),
        fc.integer({ min: 0, max: 8 }),
        fc.boolean(),
        fc.constantFrom('3.9' as const, '3.10' as const),
        fc.constantFrom(0, 0, 2, 3),
        fc.boolean(),
        (ops, budget, exclusive, era, maxPct, verify) => run(ops, budget, exclusive, era, maxPct, verify),
      ),
      { numRuns: 400 },
    );
  });
});
