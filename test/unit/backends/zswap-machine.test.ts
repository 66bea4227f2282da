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
  ['6.1', 'zsmalloc'],
  ['6.1', 'z3fold'],
  ['6.1', 'zbud'],
  ['6.6', 'zsmalloc'],
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
    // zsmalloc cannot write back before 6.5 (no evict; 6.5+ writes back through zswap's LRU), everything else does
    if (zpool !== 'zsmalloc' || era === '6.8+' || era === '6.6') expect(z.counters.written_back_pages).toBeGreaterThan(0);
    else expect(z.counters.written_back_pages).toBe(0);
    expect(z.counters.same_filled_pages).toBeGreaterThan(0);
    expect(m.poolPages).toBe(z.poolPages());
    for (const off of stored) m.swapFree(0, off);
    expect(z.storedPages()).toBe(0);
    expect(m.poolPages).toBe(0);
  });
});

describe('zswap 6.1 shrink work on the simulated clock', () => {
  it('a work item queued by one store runs before a later store once its latency has passed, within one event', () => {
    const { m, z } = machine({ era: '6.1', zpool: 'zbud', max_pool_percent: 5 }); // 2000 * 5 / 100 = 100 pool pages
    const desc = (i: number): number => makeDesc(Cls.Text, i);
    let off = 0;
    while (z.counters.pool_limit_hit === 0 && off < 3000) m.swapWrite(0, off, desc(off++));
    expect(z.counters.pool_limit_hit).toBe(1);
    expect(m.tasks.workqueue.size).toBe(1);
    expect(z.counters.written_back_pages).toBe(0);
    // stores in the same event before the latency passed: the worker has not run
    const wb0 = z.counters.written_back_pages;
    const t0 = m.clock + m.meter.peekPendingNs();
    while (m.clock + m.meter.peekPendingNs() < t0 + m.tasks.workqueue.latencyNs && off < 4000) {
      m.swapWrite(0, off, desc(off++));
      if (m.clock + m.meter.peekPendingNs() < t0 + m.tasks.workqueue.latencyNs) expect(z.counters.written_back_pages).toBe(wb0);
    }
    m.swapWrite(0, off, desc(off++)); // the worker ran before this store
    expect(m.tasks.workqueue.size).toBe(0);
    expect(z.counters.written_back_pages).toBeGreaterThan(0);
    expect(z.counters.written_back_pages).toBeLessThanOrEqual(2); // one zbud page: at most two objects (measured: 1)
    expect(m.oracle.counts.stale).toBe(0);
  });
});
