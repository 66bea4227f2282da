/**
 * kswapd's order (6.1 mm/vmscan.c kswapd, kswapd_try_to_sleep, balance_pgdat, kswapd_shrink_node;
 * mm/page_alloc.c wakeup_kswapd) and the two kswapd counters it touches.
 *
 * - An allocation of order > 0 that fails the low watermark everywhere (the swap cache's xarray
 *   nodes: order-1 slabs, xas_alloc's GFP_NOWAIT) records its order in pgdat->kswapd_order, even
 *   while kswapd runs; a sleeping kswapd on a node balanced for that order (and not boosted) is
 *   not woken, and kcompactd is woken for the order instead.
 * - kswapd reads kswapd_order (and clears it) before balance_pgdat, whose sc.order falls to 0
 *   once it has reclaimed compact_gap(order) = 2 << order pages; it returns that order. When it
 *   is below the order the run was for, kswapd tries to sleep for the run's order; else it reads
 *   kswapd_order afresh. Going to sleep (prepare_kswapd_sleep for the reclaimed order) it calls
 *   wakeup_kcompactd with the requested order; a node it cannot sleep on sends it back to
 *   balance_pgdat with KSWAPD_HIGH_WMARK_HIT_QUICKLY counted; a wake-up in the short sleep puts
 *   the reclaimed order back into kswapd_order.
 *
 * The test keeps its own model of that loop, fed with what it observes (each allocation's
 * watermark check computed here from the zones' free pages, watermarks and buddy free lists; each
 * balance_pgdat's start and end; each wakeup_kcompactd), and checks every order kswapd used.
 */

import { describe, expect, it } from 'vitest';
import { Cls, makeDesc } from '../../../src/content/page.js';
import { getReclaim } from '../../../src/mm/reclaim/registry.js';
import type { Reclaim } from '../../../src/mm/reclaim/reclaim.js';
import { testMachine } from '../../helpers/machine.js';

type Entry =
  | { k: 'alloc'; order: number; failedLow: boolean; running: boolean }
  | { k: 'run'; order: number; lowHits: number; highHits: number }
  | { k: 'runEnd'; order: number; reclaimed: number }
  | { k: 'kcompactd'; order: number };

describe("kswapd's order (kswapd_order, sc.order, the sleep's wakeup_kcompactd)", () => {
  it('runs and sleeps for the order the allocations asked for, as 6.1 kswapd() does, on a swapping workload with the guest zones', () => {
    const m = testMachine({ ramPages: 16_384, seed: 3, zones: { managed: [3840, 12_544], minFreeKbytes: 1024 }, reclaim: getReclaim('6.1-cfs-buddy') });
    m.swapon(0, 60_000, true);
    m.insmod('zswap', { era: '6.1', zpool: 'zsmalloc', compressor: 'lz4', max_pool_percent: 20 });
    const mem = m.memory as unknown as {
      reclaim: Reclaim & Record<string, unknown>;
      zoneFree(z: number): number;
      wakeupKcompactd(order: number): void;
      buddy: { hasFreeBlock(z: number, order: number): boolean };
    };
    const r = mem.reclaim;
    const log: Entry[] = [];
    let running = false;
    const lowOk = (z: number, order: number): boolean => {
      const w = r.zoneWatermarks!(z);
      return mem.zoneFree(z) - ((1 << order) - 1) > w.low + w.reserve + r.zoneBoost!(z) && (order === 0 || mem.buddy.hasFreeBlock(z, order));
    };
    const allocKernel = r.allocKernel.bind(r);
    r.allocKernel = (reserves: boolean, order = 0): number => {
      if (order > 0) log.push({ k: 'alloc', order, failedLow: !lowOk(0, order) && !lowOk(1, order), running });
      return allocKernel(reserves, order);
    };
    const balance = (r['balancePgdatSteps'] as (o: number) => Generator<unknown, number>).bind(r);
    r['balancePgdatSteps'] = function* (order: number): Generator<unknown, number> {
      running = true;
      const stolen = m.stats.pgsteal_kswapd;
      log.push({ k: 'run', order, lowHits: m.stats.kswapd_low_wmark_hit_quickly, highHits: m.stats.kswapd_high_wmark_hit_quickly });
      const out = yield* balance(order);
      log.push({ k: 'runEnd', order: out, reclaimed: m.stats.pgsteal_kswapd - stolen });
      running = false;
      return out;
    };
    const wake = mem.wakeupKcompactd.bind(mem);
    mem.wakeupKcompactd = (order: number): void => {
      log.push({ k: 'kcompactd', order });
      wake(order);
    };

    let gen = 1;
    for (let p = 0; p < 40_000; p++) {
      m.memory.anonAccess(1, p, true, makeDesc(Cls.Text, gen++));
      m.afterEvent();
    }
    for (let p = 0; p < 20_000; p++) {
      m.memory.anonAccess(1, (p * 7919) % 40_000, false, 0);
      m.afterEvent();
    }

    // The model: kswapd_order, the run under way's order, and the last sleep's reclaim order.
    let kswapdOrder = 0;
    let runFor = -1;
    let sleepReclaim = 0;
    let lowHits = 0;
    let highHits = 0;
    let asleep = true;
    let sleepsForOrder1 = 0;
    let order1Runs = 0;
    let directWakes = 0;
    for (let i = 0; i < log.length; i++) {
      const e = log[i]!;
      if (e.k === 'alloc') {
        if (!e.failedLow) continue;
        kswapdOrder = Math.max(kswapdOrder, e.order);
        // A sleeping kswapd on a node balanced for the order: kcompactd is woken at once.
        const next = log[i + 1];
        if (next?.k === 'kcompactd' && next.order === e.order) {
          expect(e.running).toBe(false);
          directWakes++;
          i++;
        }
      } else if (e.k === 'run') {
        if (asleep) {
          // Woken: a wake-up within the short sleep puts the reclaimed order back.
          // (The short sleep's end on an unbalanced node counts a high-watermark hit instead.)
          if (e.lowHits > lowHits) kswapdOrder = Math.max(kswapdOrder, sleepReclaim);
          lowHits = e.lowHits;
          highHits = e.highHits;
          asleep = false;
        } else expect(runFor).toBe(-2); // a restart follows only a node kswapd could not sleep on
        expect(e.order).toBe(kswapdOrder);
        if (e.order > 0) order1Runs++;
        runFor = e.order;
        kswapdOrder = 0;
      } else if (e.k === 'runEnd') {
        // sc.order falls to 0 once the run reclaimed compact_gap(order) = 2 << order pages.
        expect(e.order).toBe(runFor > 0 && e.reclaimed >= 2 << runFor ? 0 : runFor);
        let alloc = runFor;
        let reclaim = e.order;
        if (reclaim >= alloc) alloc = reclaim = kswapdOrder;
        // Boosted runs call wakeup_kcompactd(pageblock_order) before their end: skip back over none here.
        const next = log[i + 1];
        if (next?.k === 'kcompactd') {
          // It sleeps: wakeup_kcompactd for the order it was woken for.
          expect(next.order).toBe(alloc);
          if (alloc > 0) sleepsForOrder1++;
          sleepReclaim = reclaim;
          asleep = true;
          runFor = -1;
          i++;
        } else {
          // It could not sleep: a high-watermark hit, and balance_pgdat again at once.
          expect(next?.k).toBe('run');
          if (next?.k === 'run') expect(next.highHits).toBe(highHits + 1);
          highHits++;
          runFor = -2;
        }
      } else if (e.k === 'kcompactd') {
        // Only a boosted run's end (pageblock_order, inside balance_pgdat) is left.
        expect(e.order).toBe(9);
      }
    }
    // Not vacuous: order-1 requests failed the low watermark, kswapd ran for order 1 and went to
    // sleep waking kcompactd for it.
    expect(log.filter((e) => e.k === 'alloc' && e.failedLow).length).toBeGreaterThan(0);
    expect(order1Runs).toBeGreaterThan(0);
    expect(sleepsForOrder1).toBeGreaterThan(order1Runs);
  });
});
