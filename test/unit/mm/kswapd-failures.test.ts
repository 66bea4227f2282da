/**
 * kswapd on a node it cannot balance (6.1 mm/vmscan.c): balance_pgdat counts a failure when
 * it reclaimed nothing (pgdat->kswapd_failures++); kswapd_try_to_sleep's prepare_kswapd_sleep
 * lets kswapd sleep only on a balanced node or a hopeless one (MAX_RECLAIM_RETRIES = 16
 * failures), so on any other balance_pgdat runs again at once, from the same wake-up;
 * wakeup_kswapd leaves a hopeless node to direct reclaim; a shrink_node pass that reclaims a
 * page, direct reclaim's included, sets the failures back to 0 and a later allocation's
 * wake-up starts kswapd again.
 *
 * The expected counts come from those rules, worked out here: a run is seen from the host
 * (Memory.kswapdRun, balance_pgdat's set_reclaim_active and clear_reclaim_active) with what
 * it reclaimed (pgsteal_kswapd before and after).
 */

import { describe, expect, it } from 'vitest';
import { Cls, makeDesc } from '../../../src/content/page.js';
import { getReclaim } from '../../../src/mm/reclaim/registry.js';
import type { Machine } from '../../../src/sim/machine.js';
import { testMachine } from '../../helpers/machine.js';

const MAX_RECLAIM_RETRIES = 16;

/** A machine without swap (4,096 pages) whose every balance_pgdat run is recorded with what it reclaimed. */
function noSwap(model: string): { m: Machine; runs: number[] } {
  const m = testMachine({ reclaim: getReclaim(model), seed: 1 });
  const runs: number[] = [];
  const mem = m.memory;
  const hostRun = mem.kswapdRun.bind(mem);
  let start = 0;
  mem.kswapdRun = (on: boolean): void => {
    if (on) start = m.stats.pgsteal_kswapd;
    else runs.push(m.stats.pgsteal_kswapd - start);
    hostRun(on);
  };
  return { m, runs };
}

function anonWrite(m: Machine, page: number): void {
  m.memory.anonAccess(1, page, true, makeDesc(Cls.Text, page + 1));
  m.afterEvent();
  m.advance(0);
}

function fileRead(m: Machine, index: number): void {
  m.memory.fileAccess(1, 7, index, false, makeDesc(Cls.Text, index + 100_000));
  m.afterEvent();
  m.advance(0);
}

describe('kswapd on a node it cannot balance (kswapd_failures)', () => {
  for (const model of ['6.1', '6.1-cfs']) {
    it(`${model}: with nothing reclaimable, kswapd runs ${MAX_RECLAIM_RETRIES} times and then sleeps while the node stays below its low watermark`, () => {
      const { m, runs } = noSwap(model);
      for (let p = 0; p < 6000; p++) anonWrite(m, p);
      // Memory ran out (the allocations went below min), and kswapd gave up after 16 empty runs.
      expect(m.stats.ram_overcommit).toBeGreaterThan(0);
      expect(runs).toEqual(new Array(MAX_RECLAIM_RETRIES).fill(0));
      expect(m.stats.pageoutrun).toBe(MAX_RECLAIM_RETRIES);
      // kswapd_try_to_sleep after each of the first 15: neither prepare_kswapd_sleep said yes
      // (unbalanced, not yet hopeless), so no short sleep: KSWAPD_HIGH_WMARK_HIT_QUICKLY.
      expect(m.stats.kswapd_high_wmark_hit_quickly).toBe(MAX_RECLAIM_RETRIES - 1);
      expect(m.stats.kswapd_low_wmark_hit_quickly).toBe(0);
      // Every later allocation stalled in direct reclaim, which found nothing either.
      expect(m.stats.allocstall).toBeGreaterThan(0);
      expect(m.stats.pgsteal_direct).toBe(0);
    });
  }

  it('6.1: a run that reclaimed but left the node unbalanced is followed at once by the next, from the one wake-up, until 16 reclaim nothing', () => {
    const { m, runs } = noSwap('6.1');
    // 20 file pages, then anonymous pages until kswapd first runs (after the event whose
    // allocation went below the low watermark: the 6.1 model runs it whole there).
    for (let i = 0; i < 20; i++) fileRead(m, i);
    let p = 0;
    while (runs.length === 0) anonWrite(m, p++);
    // All of it within that one event's end: the runs that reclaimed file pages (the node
    // still below high: 20 pages do not lift it from low to high here, 160 → 192 less what
    // the event took), then 16 that reclaimed nothing.
    const reclaiming = runs.filter((r) => r > 0).length;
    expect(reclaiming).toBeGreaterThan(0);
    expect(runs.slice(0, reclaiming).every((r) => r > 0)).toBe(true);
    expect(runs.slice(reclaiming)).toEqual(new Array(MAX_RECLAIM_RETRIES).fill(0));
    // 19 of the 20: the last on its list is never scanned (1 >> priority is 0 down to
    // balance_pgdat's lowest priority, 1), and the node stays below its high watermark (192).
    expect(m.stats.pgsteal_kswapd).toBe(19);
    expect(m.memory.free).toBeLessThan(192);
    expect(m.stats.pageoutrun).toBe(reclaiming + MAX_RECLAIM_RETRIES);
    // Every run but the last (which made the node hopeless) ended on an unbalanced node.
    expect(m.stats.kswapd_high_wmark_hit_quickly).toBe(reclaiming + MAX_RECLAIM_RETRIES - 1);
    // Hopeless: allocations below low wake no kswapd. At min the workload's direct reclaim,
    // down to priority 0, takes the last file page: that revives kswapd, which the next
    // allocation wakes for 16 more runs with nothing left to reclaim; then none.
    const n = runs.length;
    for (let k = 0; k < 200; k++) anonWrite(m, p++);
    expect(m.stats.pgsteal_direct).toBe(1);
    expect(runs.slice(n)).toEqual(new Array(MAX_RECLAIM_RETRIES).fill(0));
    expect(m.stats.kswapd_high_wmark_hit_quickly).toBe(reclaiming + 2 * (MAX_RECLAIM_RETRIES - 1));
    for (let k = 0; k < 200; k++) anonWrite(m, p++);
    expect(runs.length).toBe(n + MAX_RECLAIM_RETRIES);
  });

  it("6.1: direct reclaim that reclaims a page revives a hopeless node's kswapd: the next allocation below low wakes it", () => {
    const { m, runs } = noSwap('6.1');
    let p = 0;
    while (runs.length < MAX_RECLAIM_RETRIES) anonWrite(m, p++);
    for (let k = 0; k < 300; k++) anonWrite(m, p++);
    expect(runs.length).toBe(MAX_RECLAIM_RETRIES);
    // Below min now: file pages come in, and the allocations after them reclaim those
    // directly (the only pages that can go). That progress revives kswapd, and the next
    // allocation below low wakes it.
    const direct = m.stats.pgsteal_direct;
    for (let i = 0; i < 64; i++) fileRead(m, i);
    for (let k = 0; k < 64 && runs.length === MAX_RECLAIM_RETRIES; k++) anonWrite(m, p++);
    expect(m.stats.pgsteal_direct).toBeGreaterThan(direct);
    expect(runs.length).toBeGreaterThan(MAX_RECLAIM_RETRIES);
  });
});
