/**
 * Random sequences of frontswap and cleancache operations on Xen tmem under a
 * small hypervisor budget, checked against a reference model:
 * - a persistent (frontswap) page loads, with its latest tag and bytes, until
 *   invalidated: it is never evicted, and a failed store leaves nothing;
 * - an ephemeral (cleancache) get returns a miss or the latest put, never an
 *   older one; after a miss, gets miss until the next put; a private pool's
 *   hit takes the page, a shared pool's does not;
 * - the budget is never exceeded and the page counts add up;
 * - ephemeral pages are evicted least recently used first: the model keeps
 *   the held pages in order (a put appends, a shared pool's hit moves to the
 *   end, an exclusive hit or a flush removes), and every page the backend
 *   reports dropped is the model's oldest.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { XenTmemBackend } from '../../../src/backends/xen-tmem/xen-tmem.js';
import { PAGE_SIZE } from '../../../src/content/page.js';
import { XenEnv, out, xpage } from '../../helpers/env-double.js';

type Op =
  | { k: 'fsStore'; type: number; off: number }
  | { k: 'fsLoad'; type: number; off: number }
  | { k: 'fsInval'; type: number; off: number }
  | { k: 'fsInvalArea'; type: number }
  | { k: 'ccPut'; mount: number; inode: number; index: number }
  | { k: 'ccGet'; mount: number; inode: number; index: number }
  | { k: 'ccInval'; mount: number; inode: number; index: number }
  | { k: 'ccInvalInode'; mount: number; inode: number };

const type = fc.integer({ min: 0, max: 1 });
// offsets that share oids (same low 4 bits) and indexes (same off >> 4), plus a wide range
const off = fc.oneof(fc.constantFrom(0, 1, 15, 16, 17, 32, 2 ** 31 + 1, 2 ** 32 - 1), fc.noBias(fc.integer({ min: 0, max: 399 })));
// mounts 0 (private) and 1, 2 (two mounts of one shared uuid)
const mount = fc.integer({ min: 0, max: 2 });
const inode = fc.integer({ min: 0, max: 2 });
const index = fc.noBias(fc.integer({ min: 0, max: 120 }));

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 60, arbitrary: fc.record({ k: fc.constant('fsStore' as const), type, off }) },
  { weight: 40, arbitrary: fc.record({ k: fc.constant('fsLoad' as const), type, off }) },
  { weight: 10, arbitrary: fc.record({ k: fc.constant('fsInval' as const), type, off }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('fsInvalArea' as const), type }) },
  { weight: 80, arbitrary: fc.record({ k: fc.constant('ccPut' as const), mount, inode, index }) },
  { weight: 50, arbitrary: fc.record({ k: fc.constant('ccGet' as const), mount, inode, index }) },
  { weight: 10, arbitrary: fc.record({ k: fc.constant('ccInval' as const), mount, inode, index }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('ccInvalInode' as const), mount, inode }) },
);

/** Whether `bytes` are the bytes of the page stamped `tag` (xpage). */
function sameBytes(bytes: Uint8Array, tag: number): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).equals(Buffer.from(xpage(tag).bytes.buffer));
}

/** What the runs exercised, summed (to check the generator reaches the interesting paths). */
const seen = { evicted: 0, noMem: 0, sharedHits: 0, dups: 0 };

function run(ops: Op[], verify: boolean, persEvictsEph: boolean, prefill: number): void {
  const env = new XenEnv({ verifyBytes: verify });
  const x = new XenTmemBackend(env, {
    hypervisor_budget_mb: 1,
    persistent_evicts_ephemeral: persEvictsEph,
    selfballooning: false,
    selfshrinking: false,
  });
  const fs = x.frontswap!;
  const cc = x.cleancache!;
  fs.init(0);
  fs.init(1);
  const pools = [cc.initFs(PAGE_SIZE), cc.initSharedFs('shared-uuid', PAGE_SIZE), cc.initSharedFs('shared-uuid', PAGE_SIZE)];
  expect(x.poolById(pools[1]!)).toBe(x.poolById(pools[2]!));
  // the model: latest tag per key (cleancache: what a hit may return)
  const fsModel = new Map<string, number>();
  const ccModel = new Map<string, number>();
  const ccObj = (m: number, ino: number) => `${m === 0 ? 'p' : 's'}:${ino}:`;
  const ccKey = (m: number, ino: number, i: number) => `${ccObj(m, ino)}${i}`;
  let tag = 1;
  // the ephemeral LRU model: the keys the backend holds, least recently used first
  const lru: string[] = [];
  const keyOfPool = (poolId: number, oid: number, index: number) => `${poolId === pools[0] ? 'p' : 's'}:${oid}:${index}`;
  let droppedSeen = 0;
  const takeDropped = (): number => {
    const n = env.dropped.length - droppedSeen;
    for (; droppedSeen < env.dropped.length; droppedSeen++) {
      const d = env.dropped[droppedSeen]!;
      expect(keyOfPool(d.poolId, d.oid, d.index)).toBe(lru[0]);
      lru.shift();
    }
    return n;
  };
  const ephCount = (): number => x.stats()['xen-tmem']!['eph_count']!;
  const drop = (key: string) => {
    const i = lru.indexOf(key);
    if (i >= 0) lru.splice(i, 1);
  };
  // pressure: persistent pages (never evicted) take part of the 256-page budget first
  for (let i = 0; i < prefill; i++) {
    const t = tag++;
    expect(fs.store(1, 100000 + i, xpage(t))).toBe(true);
    fsModel.set(`1:${100000 + i}`, t);
  }

  for (const op of ops) {
    const ephBefore = ephCount();
    switch (op.k) {
      case 'fsStore': {
        const t = tag++;
        const key = `${op.type}:${op.off}`;
        if (fs.store(op.type, op.off, xpage(t))) fsModel.set(key, t);
        else fsModel.delete(key);
        break;
      }
      case 'fsLoad': {
        const o = out();
        const want = fsModel.get(`${op.type}:${op.off}`);
        const hit = fs.load(op.type, op.off, o);
        expect(hit).toBe(want !== undefined);
        if (want !== undefined) {
          expect(o.tag).toBe(want);
          expect(o.filled).toBe(verify);
          if (verify) expect(sameBytes(o.bytes, want)).toBe(true);
        }
        break;
      }
      case 'fsInval':
        fs.invalidatePage(op.type, op.off);
        fsModel.delete(`${op.type}:${op.off}`);
        break;
      case 'fsInvalArea':
        fs.invalidateArea(op.type);
        for (const k of [...fsModel.keys()]) if (k.startsWith(`${op.type}:`)) fsModel.delete(k);
        break;
      case 'ccPut': {
        const t = tag++;
        const key = ccKey(op.mount, op.inode, op.index);
        const held = lru.includes(key);
        cc.putPage(pools[op.mount]!, op.inode, op.index, xpage(t));
        ccModel.set(key, t);
        const evicted = takeDropped();
        // a new page joins at the most recently used end; a duplicate put keeps its place
        if (!held && ephCount() === ephBefore - evicted + 1) lru.push(key);
        break;
      }
      case 'ccGet': {
        const key = ccKey(op.mount, op.inode, op.index);
        const o = out();
        const hit = cc.getPage(pools[op.mount]!, op.inode, op.index, o);
        const want = ccModel.get(key);
        if (hit) {
          expect(want).toBeDefined();
          expect(o.tag).toBe(want);
          if (verify) expect(sameBytes(o.bytes, want!)).toBe(true);
          if (op.mount === 0) ccModel.delete(key); // private: exclusive get
          drop(key);
          if (op.mount !== 0) lru.push(key); // shared: the most recently used now
        } else {
          ccModel.delete(key); // get-get coherency: misses until the next put
          expect(lru.includes(key)).toBe(false);
        }
        break;
      }
      case 'ccInval':
        cc.invalidatePage(pools[op.mount]!, op.inode, op.index);
        ccModel.delete(ccKey(op.mount, op.inode, op.index));
        drop(ccKey(op.mount, op.inode, op.index));
        break;
      case 'ccInvalInode':
        cc.invalidateInode(pools[op.mount]!, op.inode);
        for (const k of [...ccModel.keys()]) if (k.startsWith(ccObj(op.mount, op.inode))) ccModel.delete(k);
        for (const k of [...lru]) if (k.startsWith(ccObj(op.mount, op.inode))) drop(k);
        break;
    }
    takeDropped(); // a frontswap store may evict ephemeral pages too
    expect(lru.length).toBe(ephCount());
    const s = x.stats()['xen-tmem']!;
    expect(x.storedPages()).toBeLessThanOrEqual(256);
    expect(s['pers_count']).toBe(fsModel.size); // persistent pages are exactly the model's
    expect(s['eph_count']! + s['pers_count']!).toBe(x.storedPages());
    expect(s['eph_count']).toBeLessThanOrEqual(ccModel.size);
  }
  // every persistent page still loads at the end
  for (const [key, want] of fsModel) {
    const [t, o] = key.split(':').map(Number) as [number, number];
    const dst = out();
    expect(fs.load(t, o, dst)).toBe(true);
    expect(dst.tag).toBe(want);
  }
  expect(env.allocCalls).toBe(0);
  const s = x.stats()['xen-tmem']!;
  seen.evicted += s['evicted_pgs']!;
  seen.noMem += s['no_mem_puts']!;
  seen.sharedHits += s['succ_eph_gets']!;
  seen.dups += s['dup_puts_replaced']!;
}

describe('xen-tmem: model-checked operation sequences', () => {
  it('persistent pages always load until invalidated; ephemeral gets return only the latest put', () => {
    fc.assert(
      fc.property(
        fc.array(opArb, { minLength: 100, maxLength: 600 }),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 0, max: 250 }),
        (ops, verify, evicts, prefill) => {
          run(ops, verify, evicts, prefill);
        },
      ),
      { numRuns: 80, seed: 20240611 },
    );
    expect(seen.evicted).toBeGreaterThan(0);
    expect(seen.noMem).toBeGreaterThan(0);
    expect(seen.sharedHits).toBeGreaterThan(0);
    expect(seen.dups).toBeGreaterThan(0);
  });
});
