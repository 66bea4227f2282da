/**
 * zswap inside the simulated machine, at the tmem level (swap_writepage,
 * swap_readpage, slot frees as a kernel issues them): the machine's oracle
 * checks every load, including after writebacks to the swap device.
 */

import { testMachine } from '../../helpers/machine.js';
import { describe, expect, it } from 'vitest';
import { zswapFactory, type ZswapBackend, type ZswapEra } from '../../../src/backends/zswap.js';
import { Cls, makeDesc } from '../../../src/content/page.js';
import { Rng } from '../../../src/content/rng.js';
import { Machine } from '../../../src/sim/machine.js';
import type { ParamMap } from '../../../src/trace/events.js';

function machine(params: ParamMap): { m: Machine; z: ZswapBackend } {
  const m = testMachine({ ramPages: 2000, seed: 7, factory: zswapFactory });
  m.swapon(0, 4096);
  m.insmod('zswap', params);
  return { m, z: m.backend as ZswapBackend };
}

const CLASSES = [Cls.Zero, Cls.Fill, Cls.Text, Cls.Code, Cls.Random, Cls.Heap];

describe.each<[ZswapEra, string]>([
  ['4.x', 'zbud'],
  ['4.x', 'zsmalloc'],
  ['6.x', 'zsmalloc'],
  ['6.x', 'z3fold'],
  ['6.8+', 'zsmalloc'],
])('zswap era %s with %s in the machine', (era, zpool) => {
  it('keeps every page coherent through pool limits, writeback and pool switches', () => {
    const { m, z } = machine({ era, zpool, max_pool_percent: 5 }); // 100 pool pages
    const rng = new Rng(42);
    const stored = new Set<number>();
    for (let i = 0; i < 6000; i++) {
      m.advance(i * 1000);
      const off = rng.int(600);
      const r = rng.int(100);
      if (r < 55) {
        const cls = CLASSES[rng.int(CLASSES.length)]!;
        m.swapWrite(0, off, makeDesc(cls, rng.int(50)));
        stored.add(off);
      } else if (r < 90) {
        if (stored.has(off)) m.swapRead(0, off);
      } else if (r < 99) {
        if (stored.has(off)) {
          m.swapFree(0, off);
          stored.delete(off);
        }
      } else z.setParam('compressor', rng.int(2) === 0 ? 'lz4' : 'deflate');
    }
    expect(m.oracle.examples).toEqual([]);
    expect(m.oracle.counts.stale + m.oracle.counts.lost).toBe(0);
    expect(m.oracle.counts.checked_loads).toBeGreaterThan(100);
    expect(z.counters.pool_limit_hit).toBeGreaterThan(0);
    // zsmalloc cannot write back before 6.8 (no evict), everything else does
    if (zpool !== 'zsmalloc' || era === '6.8+') expect(z.counters.written_back_pages).toBeGreaterThan(0);
    else expect(z.counters.written_back_pages).toBe(0);
    expect(z.counters.same_filled_pages).toBeGreaterThan(0);
    expect(m.poolPages).toBe(z.poolPages());
    for (const off of stored) m.swapFree(0, off);
    expect(z.storedPages()).toBe(0);
    expect(m.poolPages).toBe(0);
  });
});
