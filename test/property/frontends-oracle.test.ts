/**
 * Property tests of the frontends' kernel semantics and of the oracle, over
 * random op sequences driven through the Machine (the swap layer and the
 * page-cache glue) with a reference backend. An independent model written
 * here predicts every counter and every verdict.
 */

import { testMachine } from '../helpers/machine.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BackendFactory } from '../../src/backends/backend.js';
import { Machine } from '../../src/sim/machine.js';
import { RefBackend, type RefOptions } from '../helpers/ref-backend.js';

type Op =
  | { k: 'store'; off: number; reject: boolean }
  | { k: 'load'; off: number }
  | { k: 'inval'; off: number }
  | { k: 'put'; fs: number; inode: number; index: number; reject: boolean }
  | { k: 'get'; fs: number; inode: number; index: number }
  | { k: 'ccinval'; fs: number; inode: number; index: number }
  | { k: 'insmod' }
  | { k: 'rmmod' };

const SLOTS = 16;
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ k: fc.constant('store' as const), off: fc.nat(SLOTS - 1), reject: fc.boolean() }) },
  { weight: 5, arbitrary: fc.record({ k: fc.constant('load' as const), off: fc.nat(SLOTS - 1) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('inval' as const), off: fc.nat(SLOTS - 1) }) },
  { weight: 5, arbitrary: fc.record({ k: fc.constant('put' as const), fs: fc.nat(1), inode: fc.nat(2), index: fc.nat(3), reject: fc.boolean() }) },
  { weight: 5, arbitrary: fc.record({ k: fc.constant('get' as const), fs: fc.nat(1), inode: fc.nat(2), index: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('ccinval' as const), fs: fc.nat(1), inode: fc.nat(2), index: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.constant({ k: 'insmod' as const }) },
  { weight: 1, arbitrary: fc.constant({ k: 'rmmod' as const }) },
);

function machineWith(factory: BackendFactory): Machine {
  return testMachine({ factory });
}

/** A factory whose backend's reject decisions come from the op being run. */
function refFactory(o: RefOptions, rejectNext: { v: boolean }): BackendFactory {
  return {
    name: 'ref',
    description: 'reference',
    era: 'test',
    params: [],
    create: () => new RefBackend({ ...o, reject: () => rejectNext.v }),
  };
}

describe('frontends + oracle over random op sequences', () => {
  for (const exclusiveGets of [false, true]) {
    it(`a correct backend never trips the oracle and the counters follow the kernel (exclusive gets ${exclusiveGets})`, () => {
      fc.assert(
        fc.property(fc.array(opArb, { minLength: 10, maxLength: 150, size: 'max' }), fc.boolean(), (ops, loadedAtBoot) => {
          const reject = { v: false };
          const m = machineWith(refFactory({ exclusiveGets }, reject));
          // Independent model.
          let loaded = false;
          const bit = new Set<number>();
          const inTmem = new Set<number>(); // slots whose latest version the backend holds
          const onDisk = new Set<number>();
          const cc = new Set<string>(); // keys the backend holds (private pools: fs 0 and 1 both private)
          const exp = { loads: 0, succ_stores: 0, failed_stores: 0, invalidates: 0, succ_gets: 0, failed_gets: 0, puts: 0 };
          let swapReads = 0;
          if (loadedAtBoot) {
            m.insmod('ref', {});
            loaded = true;
          }
          m.swapon(0, SLOTS);
          m.mount(0);
          m.mount(1);
          for (const op of ops) {
            reject.v = 'reject' in op ? op.reject : false;
            switch (op.k) {
              case 'store': {
                m.swap.get(0)!.claim(op.off);
                m.swapWrite(0, op.off, 16 * (op.off + 1) + 2);
                if (!loaded) {
                  onDisk.add(op.off);
                  inTmem.delete(op.off);
                  swapReads += 0;
                  break;
                }
                if (op.reject) {
                  exp.failed_stores++;
                  bit.delete(op.off);
                  inTmem.delete(op.off);
                  onDisk.add(op.off);
                } else {
                  exp.succ_stores++;
                  bit.add(op.off);
                  inTmem.add(op.off);
                  onDisk.delete(op.off);
                }
                break;
              }
              case 'load': {
                m.swapRead(0, op.off);
                if (loaded && bit.has(op.off)) {
                  exp.loads++;
                  if (exclusiveGets) {
                    bit.delete(op.off);
                    inTmem.delete(op.off);
                  }
                } else if (!inTmem.has(op.off)) swapReads++;
                break;
              }
              case 'inval':
                m.swapFree(0, op.off);
                if (bit.has(op.off)) exp.invalidates++;
                bit.delete(op.off);
                inTmem.delete(op.off);
                onDisk.delete(op.off);
                break;
              case 'put': {
                m.filePut(op.fs, op.inode, op.index, 16 * (op.inode * 8 + op.index + 1) + 2);
                const key = `${op.fs}:${op.inode}:${op.index}`;
                exp.puts++; // counted with or without a backend
                if (loaded && !op.reject) cc.add(key);
                else cc.delete(key);
                break;
              }
              case 'get': {
                const key = `${op.fs}:${op.inode}:${op.index}`;
                m.fileRead(op.fs, op.inode, op.index);
                if (loaded && cc.has(key)) {
                  exp.succ_gets++;
                  cc.delete(key); // private pools are exclusive
                } else exp.failed_gets++;
                break;
              }
              case 'ccinval': {
                m.cleancache.invalidatePage(op.fs, op.inode, op.index);
                m.oracle.ccDrop(op.fs, op.inode, op.index);
                cc.delete(`${op.fs}:${op.inode}:${op.index}`);
                break;
              }
              case 'insmod':
                if (!loaded) {
                  m.insmod('ref', {});
                  loaded = true;
                }
                break;
              case 'rmmod':
                if (loaded) {
                  m.rmmod('flush');
                  loaded = false;
                  // Every frontswap page is repatriated: no owner in RAM here, so to disk.
                  for (const off of bit) {
                    if (!exclusiveGets) exp.invalidates++;
                    exp.loads++;
                    onDisk.add(off);
                  }
                  bit.clear();
                  inTmem.clear();
                  cc.clear();
                }
                break;
            }
            expect(m.frontswap.currPages()).toBe(bit.size);
          }
          const fs = m.frontswap.counters;
          const c = m.cleancache.counters;
          expect({ loads: fs.loads, succ_stores: fs.succ_stores, failed_stores: fs.failed_stores, invalidates: fs.invalidates }).toEqual({
            loads: exp.loads, succ_stores: exp.succ_stores, failed_stores: exp.failed_stores, invalidates: exp.invalidates,
          });
          expect({ succ_gets: c.succ_gets, failed_gets: c.failed_gets }).toEqual({ succ_gets: exp.succ_gets, failed_gets: exp.failed_gets });
          expect(c.puts).toBe(exp.puts);
          expect(m.oracle.counts.stale).toBe(0);
          expect(m.oracle.counts.lost).toBe(0);
          void swapReads;
        }),
        { numRuns: 300 },
      );
    });
  }

  it('catches every stale return of a backend that keeps old versions', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(3), fc.boolean()), { minLength: 5, maxLength: 80, size: 'max' }), (ops) => {
        const m = machineWith(refFactory({ keepOld: true }, { v: false }));
        m.insmod('ref', {});
        m.swapon(0, 4);
        const stored = new Map<number, number>(); // off -> number of stores since the first
        let expectedStale = 0;
        for (const [off, isStore] of ops) {
          if (isStore) {
            m.swap.get(0)!.claim(off);
            m.swapWrite(0, off, 16 * (off + 1 + (stored.get(off) ?? 0) * 7) + 2);
            stored.set(off, (stored.get(off) ?? 0) + 1);
          } else {
            m.swapRead(0, off);
            if ((stored.get(off) ?? 0) > 1) expectedStale++;
          }
        }
        expect(m.oracle.counts.stale).toBe(expectedStale);
        expect(m.oracle.counts.lost).toBe(0);
      }),
      { numRuns: 200 },
    );
  });

  it('reports a persistent page that the backend dropped as lost, and only then', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(3), fc.constantFrom('store', 'load', 'drop')), { minLength: 5, maxLength: 80, size: 'max' }), (ops) => {
        let backend: RefBackend | null = null;
        const factory: BackendFactory = {
          name: 'ref', description: '', era: '', params: [],
          create: () => (backend = new RefBackend()),
        };
        const m = machineWith(factory);
        m.insmod('ref', {});
        m.swapon(0, 4);
        const held = new Set<number>();
        let expectedLost = 0;
        for (const [off, what] of ops) {
          if (what === 'store') {
            m.swap.get(0)!.claim(off);
            m.swapWrite(0, off, 16 * (off + 1) + 2);
            held.add(off);
          } else if (what === 'drop') {
            backend!.swap.delete(`0:${off}`); // a silent loss inside the backend
          } else {
            m.swapRead(0, off);
            if (held.has(off) && !backend!.swap.has(`0:${off}`)) {
              // already counted below when first detected
            }
          }
          if (what === 'load' && held.has(off)) {
            // The model: a held page the backend no longer has is lost at its first load.
          }
        }
        // Recount by replaying the model independently.
        const model = new Map<number, 'tmem' | 'gone' | 'none'>();
        for (const [off, what] of ops) {
          if (what === 'store') model.set(off, 'tmem');
          else if (what === 'drop') {
            if (model.get(off) === 'tmem') model.set(off, 'gone');
          } else if (model.get(off) === 'gone') {
            expectedLost++;
            model.set(off, 'none');
          }
        }
        expect(m.oracle.counts.lost).toBe(expectedLost);
        expect(m.oracle.counts.stale).toBe(0);
      }),
      { numRuns: 200 },
    );
  });
});
