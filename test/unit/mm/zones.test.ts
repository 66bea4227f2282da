/**
 * Memory zones in the 6.1 model (mm/page_alloc.c of 6.1: __setup_per_zone_wmarks,
 * setup_per_zone_lowmem_reserve, zone_watermark_ok, get_page_from_freelist's zonelist walk,
 * pgdat_balanced):
 * - each zone's watermarks against /proc/zoneinfo of a real 6.1 guest (the validation
 *   references), and a three-zone layout computed here by hand;
 * - a property: with no backend and room in swap, every zone's free pages stay at or above
 *   its min watermark plus its lowmem reserve after every fault (a user page is taken from a
 *   zone only while its free pages exceed that), and the zones' free pages add up to free
 *   memory;
 * - the order pages are taken in: DMA32 down to its low watermark, then DMA down to its low
 *   watermark plus reserve, then kswapd.
 */

import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultMinFreeKbytes, zoneWatermarks61 } from '../../../src/mm/reclaim/linux-6.1.js';
import { getReclaim } from '../../../src/mm/reclaim/registry.js';
import { zonesOf } from '../../../src/validate/replay.js';
import { Cls, makeDesc } from '../../../src/content/page.js';
import { testMachine } from '../../helpers/machine.js';

const ref = JSON.parse(readFileSync(new URL('../../../validation/references/swapin-rand.json', import.meta.url), 'utf8')) as {
  config: { sysctl: Record<string, number>; zoneinfo: string[] };
};

interface KernelZone {
  name: string;
  min: number;
  low: number;
  high: number;
  managed: number;
}

/** "min 33" etc. of each zone with managed pages, as the guest's /proc/zoneinfo printed them. */
function kernelWatermarks(lines: string[]): KernelZone[] {
  const out: KernelZone[] = [];
  let name: string | null = null;
  let cur: Record<string, number> = {};
  const flush = (): void => {
    if (name !== null && cur['managed']! > 0) out.push({ name, min: cur['min']!, low: cur['low']!, high: cur['high']!, managed: cur['managed']! });
  };
  for (const l of lines) {
    const h = /zone\s+(\S+)/.exec(l);
    if (h) {
      flush();
      name = h[1]!;
      cur = {};
      continue;
    }
    const [k, v] = l.trim().split(/\s+/);
    cur[k!] = Number(v);
  }
  flush();
  return out;
}

describe('zone watermarks', () => {
  it("are the real 6.1 guest's, zone by zone, from its managed pages and min_free_kbytes", () => {
    const k = kernelWatermarks(ref.config.zoneinfo);
    expect(k.map((z) => z.name)).toEqual(['DMA', 'DMA32']);
    const w = zoneWatermarks61(k.map((z) => z.managed), ref.config.sysctl['min_free_kbytes']!);
    expect(w.map(({ min, low, high }) => ({ min, low, high }))).toEqual(k.map(({ min, low, high }) => ({ min, low, high })));
    // lowmem_reserve of DMA against the higher zones' allocations: DMA32's managed pages / 256.
    expect(w.map((z) => z.reserve)).toEqual([Math.floor(48845 / 256), 0]);
    expect(zonesOf(ref.config.zoneinfo)).toEqual([{ name: 'DMA', pages: 3840 }, { name: 'DMA32', pages: 48845 }]);
  });

  it('three zones, computed by hand', () => {
    // 16 MiB DMA, 3 GiB DMA32, 12 GiB Normal (managed pages), min_free_kbytes 11584 (2896 pages).
    const managed = [3840, 786432, 3145728];
    const w = zoneWatermarks61(managed, 11584);
    const lowmem = 3840 + 786432 + 3145728; // 3936000
    const mins = [Math.floor((2896 * 3840) / lowmem), Math.floor((2896 * 786432) / lowmem), Math.floor((2896 * 3145728) / lowmem)];
    expect(mins).toEqual([2, 578, 2314]);
    // tmp = max(min / 4, managed * 10 / 10000): 3 (the scale factor), 786 and 3145.
    expect(w.map(({ min, low, high }) => [min, low, high])).toEqual([
      [2, 5, 8],
      [578, 1364, 2150],
      [2314, 5459, 8604],
    ]);
    // DMA: (DMA32 + Normal) / 256; DMA32: Normal / 256; Normal: none above it.
    expect(w.map((z) => z.reserve)).toEqual([Math.floor((786432 + 3145728) / 256), Math.floor(3145728 / 256), 0]);
  });

  it('min_free_kbytes: int_sqrt(16 * lowmem kB), within 128..262144', () => {
    expect(defaultMinFreeKbytes(52685)).toBe(1836); // int_sqrt(3371840)
    expect(defaultMinFreeKbytes(100)).toBe(128);
    expect(defaultMinFreeKbytes(2 ** 32)).toBe(262144);
  });
});

describe('allocation across zones', () => {
  const layout = { managed: [3840, 48845], minFreeKbytes: 1824 };
  // The guest's /proc/zoneinfo (validation/references) and DMA's lowmem reserve, 48845 / 256.
  const dma = { min: 33, low: 41, high: 49, reserve: 190 };
  const dma32 = { min: 422, low: 527, high: 632 };

  it('keeps every zone at or above min + its lowmem reserve, and the zones add up to free memory', () => {
    fc.assert(
      fc.property(fc.integer({ min: 52000, max: 70000 }), fc.array(fc.tuple(fc.nat(70000), fc.boolean()), { minLength: 5000, maxLength: 20000 }), fc.nat(4000), (fill, ops, kernelPages) => {
        const m = testMachine({ ramPages: 52685, kernelPages, zones: layout, verifyBytes: false });
        m.swapon(0, 80000);
        const mem = m.memory;
        const lowest = [Infinity, Infinity];
        const step = (page: number, write: boolean): void => {
          mem.anonAccess(1, page, write, makeDesc(Cls.Text, page + 1));
          for (let z = 0; z < 2; z++) lowest[z] = Math.min(lowest[z]!, mem.zoneFree(z));
          expect(mem.zoneFree(0) + mem.zoneFree(1)).toBe(mem.free);
          mem.balance();
          expect(mem.zoneFree(0) + mem.zoneFree(1)).toBe(mem.free);
        };
        // More pages written than RAM holds (both zones fill, reclaim runs), then random touches.
        for (let p = 0; p < fill; p++) step(p, true);
        for (const [page, write] of ops) step(page, write);
        expect(lowest[0]).toBeLessThan(3840 - 1000);
        expect(m.stats.pgsteal_anon).toBeGreaterThan(0);
        expect(lowest[0]).toBeGreaterThanOrEqual(dma.min + dma.reserve);
        expect(lowest[1]).toBeGreaterThanOrEqual(dma32.min);
      }),
      { numRuns: 3, seed: 7, endOnFailure: true },
    );
  });

  // These two count free pages a page at a time: `6.1-cfs`, whose pages have no frames. The
  // default's per-CPU lists take and give them in batches, outside the zones' free counts
  // (test/unit/mm/buddy.test.ts checks those against the guest's).
  it('takes DMA32 pages first, then DMA ones down to its low watermark plus reserve, then reclaims', () => {
    const m = testMachine({ ramPages: 52685, zones: layout, verifyBytes: false, reclaim: getReclaim('6.1-cfs') });
    m.swapon(0, 80000);
    const mem = m.memory;
    // DMA32 down to its low watermark (a page is taken while free > low), DMA untouched.
    let p = 0;
    while (mem.zoneFree(1) > dma32.low) mem.anonAccess(1, p, true, makeDesc(Cls.Text, ++p));
    expect(mem.zoneFree(0)).toBe(3840);
    // Then DMA, down to its low watermark plus its reserve; no reclaim yet.
    while (mem.zoneFree(0) > dma.low + dma.reserve) mem.anonAccess(1, p, true, makeDesc(Cls.Text, ++p));
    expect(mem.zoneFree(1)).toBe(dma32.low);
    expect(m.stats.pageoutrun).toBe(0);
    expect(m.stats.pgsteal_anon).toBe(0);
    // Now no zone passes the low watermark: the next fault wakes kswapd. Its first run finds every
    // page young (folio_check_references keeps them for another trip), so the faults that follow
    // reclaim; kswapd ends a run once some zone is above high + its reserve.
    let balancedRuns = 0;
    for (let k = 0; k < 4000; k++) {
      mem.anonAccess(1, p, true, makeDesc(Cls.Text, ++p));
      const runs = m.stats.pageoutrun;
      mem.balance();
      if (m.stats.pageoutrun > runs && (mem.zoneFree(0) > dma.high + dma.reserve || mem.zoneFree(1) > dma32.high)) balancedRuns++;
    }
    expect(m.stats.pageoutrun).toBeGreaterThan(1);
    expect(m.stats.pgsteal_anon).toBeGreaterThan(0);
    expect(balancedRuns).toBeGreaterThan(0);
  });

  it("gives a pool page allowed the reserves (zswap's, under PF_MEMALLOC) a zone above its min watermark before any free page", () => {
    // __alloc_pages_slowpath: the low watermark, then (kswapd woken) the min one, and only then
    // ALLOC_NO_WATERMARKS, the highest zone with a free page first.
    const m = testMachine({ ramPages: 52685, zones: layout, verifyBytes: false, reclaim: getReclaim('6.1-cfs') });
    m.swapon(0, 80000);
    const mem = m.memory;
    let p = 0;
    while (mem.zoneFree(1) > dma32.low || mem.zoneFree(0) > dma.low + dma.reserve) mem.anonAccess(1, p, true, makeDesc(Cls.Text, ++p));
    expect([mem.zoneFree(0), mem.zoneFree(1)]).toEqual([dma.low + dma.reserve, dma32.low]);
    const took = (): number[] => {
      const before = [mem.zoneFree(0), mem.zoneFree(1)];
      expect(mem.allocPoolPage(true)).toBe(true);
      return [before[0]! - mem.zoneFree(0), before[1]! - mem.zoneFree(1)];
    };
    // DMA32 down to its min watermark,
    for (let k = 0; k < dma32.low - dma32.min; k++) expect(took()).toEqual([0, 1]);
    // then DMA down to its min plus reserve,
    for (let k = 0; k < dma.low - dma.min; k++) expect(took()).toEqual([1, 0]);
    // then no watermark: DMA32 again.
    expect(took()).toEqual([0, 1]);
    // Without the reserves, nothing is left above a min watermark.
    expect(mem.allocPoolPage(false)).toBe(false);
  });
});
