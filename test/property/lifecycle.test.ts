/**
 * insmod → rmmod → insmod under random load, for every rmmod strategy and
 * every backend, through the real Machine and its oracle (real compression,
 * bytes verified). Whatever the sequence: zero stale, zero lost, and the
 * frontend's counters agree with the state it keeps.
 */

import { testMachine } from '../helpers/machine.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newPageOut } from '../../src/content/page.js';
import { Machine } from '../../src/sim/machine.js';

type Op =
  | { k: 'store'; off: number; cls: number }
  | { k: 'load'; off: number }
  | { k: 'free'; off: number }
  | { k: 'put'; fs: number; inode: number; index: number; cls: number }
  | { k: 'get'; fs: number; inode: number; index: number }
  | { k: 'anon'; page: number; write: boolean }
  | { k: 'burst'; start: number; n: number }
  | { k: 'scan'; start: number; n: number }
  | { k: 'insmod'; backend: string }
  | { k: 'rmmod'; strategy: string }
  | { k: 'param'; value: number }
  | { k: 'time'; ms: number };

const SLOTS = 48;
const CLASSES = [0, 1, 2, 3, 4, 5]; // zero, fill, text, code, random, heap

function ops(strategies: string[]): fc.Arbitrary<Op> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.record({ k: fc.constant('store' as const), off: fc.nat(SLOTS - 1), cls: fc.constantFrom(...CLASSES) }) },
    { weight: 6, arbitrary: fc.record({ k: fc.constant('load' as const), off: fc.nat(SLOTS - 1) }) },
    { weight: 2, arbitrary: fc.record({ k: fc.constant('free' as const), off: fc.nat(SLOTS - 1) }) },
    { weight: 5, arbitrary: fc.record({ k: fc.constant('put' as const), fs: fc.nat(1), inode: fc.nat(3), index: fc.nat(7), cls: fc.constantFrom(...CLASSES) }) },
    { weight: 5, arbitrary: fc.record({ k: fc.constant('get' as const), fs: fc.nat(1), inode: fc.nat(3), index: fc.nat(7) }) },
    { weight: 4, arbitrary: fc.record({ k: fc.constant('anon' as const), page: fc.nat(300), write: fc.boolean() }) },
    { weight: 2, arbitrary: fc.record({ k: fc.constant('burst' as const), start: fc.nat(200), n: fc.integer({ min: 50, max: 300 }) }) },
    { weight: 2, arbitrary: fc.record({ k: fc.constant('scan' as const), start: fc.nat(200), n: fc.integer({ min: 20, max: 200 }) }) },
    { weight: 1, arbitrary: fc.record({ k: fc.constant('insmod' as const), backend: fc.constantFrom('zcache', 'zswap', 'xen-tmem') }) },
    { weight: 1, arbitrary: fc.record({ k: fc.constant('rmmod' as const), strategy: fc.constantFrom(...strategies) }) },
    { weight: 1, arbitrary: fc.record({ k: fc.constant('param' as const), value: fc.nat(5) }) },
    { weight: 1, arbitrary: fc.record({ k: fc.constant('time' as const), ms: fc.integer({ min: 1, max: 200 }) }) },
  );
}

/** ramPages against an anon range of 300 pages: from heavy pressure to room to spare. */
function machine(writethrough: boolean, ramPages = 320): Machine {
  return testMachine({ ramPages, seed: 3, writethrough });
}

/** A runtime parameter each backend takes, to mix param events in. */
function paramFor(backend: string, v: number): [string, string | number] | null {
  if (backend === 'zswap') {
    if (v >= 4) return ['enabled', v === 5 ? 'true' : 'false']; // disable stops stores only (seed 004)
    return v % 2 === 0 ? ['compressor', v === 0 ? 'deflate' : 'lz4'] : ['zpool', v === 1 ? 'zsmalloc' : 'zbud'];
  }
  if (backend === 'zcache') return ['max_pool_percent', [0, 5, 20, 50, 10, 30][v]!];
  if (backend === 'xen-tmem') return ['hypervisor_budget_mb', [1, 2, 8, 64, 4, 16][v]!];
  return null;
}

/** What the runs exercised, summed over all of them (the test asserts it is not nothing). */
const seen = { repatriatedToRam: 0, repatriatedToDisk: 0, zombieLoads: 0, zombiesDrained: 0, refused: 0, reloads: 0, checkedLoads: 0, readaheadHits: 0 };

function replay(m: Machine, seq: Op[], boot: string | null): void {
  if (boot) m.insmod(boot, {});
  m.swapon(1, 512); // first, so the mm model's swap-outs go here
  m.swapon(0, SLOTS); // the tmem-level ops' own area
  m.mount(0);
  m.mount(1, 'shared-uuid');
  let t = 0;
  let seed = 1;
  for (const op of seq) {
    switch (op.k) {
      case 'store':
        m.swap.get(0)!.claim(op.off);
        m.swapWrite(0, op.off, (seed++) * 16 + op.cls);
        break;
      case 'load':
        if (m.swap.get(0)!.isUsed(op.off)) m.swapRead(0, op.off);
        break;
      case 'free':
        if (m.swap.get(0)!.isUsed(op.off)) m.swapFree(0, op.off);
        break;
      case 'put':
        m.filePut(op.fs, op.inode, op.index, (seed++) * 16 + op.cls);
        break;
      case 'get':
        m.fileRead(op.fs, op.inode, op.index);
        break;
      case 'anon':
        m.memory.anonAccess(1, op.page, op.write, op.write ? (seed++) * 16 + 5 : 0);
        break;
      case 'burst':
        // A process writes a run of pages: the memory model swaps others out.
        for (let p = op.start; p < op.start + op.n; p++) {
          m.memory.anonAccess(2, p, true, (seed++) * 16 + 5);
          m.memory.balance();
        }
        break;
      case 'scan':
        // The process reads its pages back in order: swap readahead brings in windows of them.
        for (let p = op.start; p < op.start + op.n; p++) {
          m.memory.anonAccess(2, p, false, 0);
          m.memory.balance();
        }
        break;
      case 'insmod':
        if (m.backend) m.lifecycleError('insmod', op.backend, 'EEXIST');
        else m.insmod(op.backend, {});
        break;
      case 'rmmod':
        if (m.backend) m.rmmod(op.strategy, 5000);
        break;
      case 'param': {
        const p = m.backend ? paramFor(m.backend.name, op.value) : null;
        if (p) m.backend!.setParam(p[0], p[1]);
        break;
      }
      case 'time':
        t += op.ms * 1e6;
        break;
    }
    m.memory.balance();
    m.advance(t);
  }
  // Drain every zombie, then load every slot still in use: nothing may be stale or lost.
  m.advance(t + 3600e9);
  for (let off = 0; off < SLOTS; off++) if (m.swap.get(0)!.isUsed(off)) m.swapRead(0, off);
  for (const r of m.lifecycle) {
    seen.repatriatedToRam += r.pages_to_ram;
    seen.repatriatedToDisk += r.pages_to_disk;
    if (r.drained_ns !== null) seen.zombiesDrained++;
    if (r.outcome === 'refused') seen.refused++;
  }
  seen.reloads += m.lifecycle.filter((r) => r.op === 'insmod' && r.outcome === 'ok').length;
  seen.zombieLoads += m.stats.zombie_loads;
  seen.readaheadHits += m.stats.swap_ra_hit;
  seen.checkedLoads += m.oracle.counts.checked_loads;
}

function checkConsistent(m: Machine): void {
  expect(m.oracle.examples).toEqual([]);
  expect(m.oracle.counts.stale).toBe(0);
  expect(m.oracle.counts.lost).toBe(0);
  // frontswap_pages per type is the popcount of its bitmap.
  for (const type of m.frontswap.activeTypes()) expect(m.frontswap.pages(type)).toBe([...m.frontswap.setOffsets(type)].length);
  expect(m.zombies.length).toBe(0);
}

describe('module lifecycle under random load', () => {
  it('flush, zombie and refuse: zero stale, zero lost, consistent frontswap state', () => {
    fc.assert(
      fc.property(fc.array(ops(['flush', 'zombie', 'refuse']), { minLength: 20, maxLength: 150, size: 'max' }), fc.constantFrom(null, 'zcache', 'zswap', 'xen-tmem'), fc.constantFrom(256, 320, 400, 640), (seq, boot, ram) => {
        const m = machine(false, ram);
        replay(m, seq, boot);
        checkConsistent(m);
      }),
      { numRuns: 500 },
    );
    // The runs did exercise what this test is about.
    expect(seen.repatriatedToRam).toBeGreaterThan(0);
    expect(seen.repatriatedToDisk).toBeGreaterThan(0);
    expect(seen.zombieLoads).toBeGreaterThan(0);
    expect(seen.zombiesDrained).toBeGreaterThan(0);
    expect(seen.refused).toBeGreaterThan(0);
    expect(seen.reloads).toBeGreaterThan(100);
    expect(seen.checkedLoads).toBeGreaterThan(1000);
    expect(seen.readaheadHits).toBeGreaterThan(0);
  });

  it('writethrough: unloading drops memory only, zero stale, zero lost', () => {
    fc.assert(
      fc.property(fc.array(ops(['writethrough']), { minLength: 20, maxLength: 150, size: 'max' }), fc.constantFrom(null, 'zcache', 'zswap', 'xen-tmem'), (seq, boot) => {
        const m = machine(true);
        replay(m, seq, boot);
        checkConsistent(m);
      }),
      { numRuns: 200 },
    );
  });

  for (const strategy of ['flush', 'zombie', 'refuse']) {
    it(`a reload that reuses pool id 0 never returns the old bytes (rmmod ${strategy})`, () => {
      const m = machine(false);
      m.mount(5);
      m.swapon(0, 8);
      m.insmod('zcache', {});
      const poolBefore = m.cleancache.realPoolid(m.cleancache.poolidOf(5)!);
      m.filePut(5, 1, 0, 16 * 7 + 2);
      m.swapWrite(0, 3, 16 * 8 + 2);
      m.swapFree(0, 3); // so refuse may pass once cleancache is flushed below
      m.rmmod(strategy, 1e9);
      if (strategy === 'refuse') {
        // zcache still holds the cleancache page: rmmod is refused and the old instance stays.
        expect(m.lifecycle.at(-1)!.outcome).toBe('refused');
        m.cleancache.invalidatePage(5, 1, 0);
        m.oracle.ccDrop(5, 1, 0);
        m.rmmod(strategy, 1e9);
      }
      expect(m.lifecycle.at(-1)!.outcome).toBe('ok');
      m.advance(10e9);
      m.insmod('zcache', {});
      expect(m.cleancache.realPoolid(m.cleancache.poolidOf(5)!)).toBe(poolBefore);
      const out = newPageOut();
      expect(m.cleancache.get(5, 1, 0, out)).toBe(false);
      m.filePut(5, 1, 0, 16 * 9 + 2);
      expect(m.fileRead(5, 1, 0)).toBe(true);
      expect(m.oracle.counts).toMatchObject({ stale: 0, lost: 0 });
    });
  }
});
