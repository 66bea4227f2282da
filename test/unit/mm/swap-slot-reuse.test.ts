/**
 * The swap slot of a page swapped in by a read fault, then written.
 *
 * 6.1 (mm/memory.c: do_swap_page maps a read fault's page read-only with
 * RMAP_EXCLUSIVE; the later write is do_wp_page, which reuses an
 * PageAnonExclusive page and leaves the swap cache alone): the page keeps its
 * slot and the slot's zswap entry until the page is swapped out again, when
 * swap_writepage stores it into the same slot and 6.1's frontswap invalidates
 * the old entry first (duplicate_entry stays 0). A write *fault* on a page
 * that is not mapped (swapped out, or read ahead into the swap cache) frees
 * the swap cache (should_try_to_free_swap) and with it the entry.
 * 3.x (do_wp_page → reuse_swap_page): the write frees the slot at once.
 *
 * The counts are computed by hand from those rules for a small machine.
 */

import { describe, expect, it } from 'vitest';
import { zswapFactory, type ZswapBackend } from '../../../src/backends/zswap.js';
import { Cls, makeDesc } from '../../../src/content/page.js';
import { getReclaim } from '../../../src/mm/reclaim/registry.js';
import type { Machine } from '../../../src/sim/machine.js';
import { testMachine } from '../../helpers/machine.js';

const PID = 1;

function machine(reclaim: string): { m: Machine; z: ZswapBackend } {
  const m = testMachine({ ramPages: 2048, seed: 3, factory: zswapFactory, reclaim: getReclaim(reclaim) });
  m.swapon(0, 8192);
  m.insmod('zswap', { era: '6.1', zpool: 'zsmalloc', compressor: 'lz4', max_pool_percent: 50 });
  return { m, z: m.backend as ZswapBackend };
}

let gen = 1;
/** Text pages (compressible, never same-filled): every one stored in zswap. */
function write(m: Machine, first: number, end: number): void {
  for (let p = first; p < end; p++) {
    m.memory.anonAccess(PID, p, true, makeDesc(Cls.Text, gen++));
    m.memory.balance();
  }
}
function read(m: Machine, first: number, end: number): void {
  for (let p = first; p < end; p++) {
    m.memory.anonAccess(PID, p, false, 0);
    m.memory.balance();
  }
}
/** Pages first..end-1 of the process that are resident and hold a swap slot (the swap cache). */
function inSwapCache(m: Machine, first: number, end: number): number {
  let k = 0;
  for (let p = first; p < end; p++) if (slotOf(m, p) >= 0 && m.memory.slotOwnerResident(0, slotOf(m, p))) k++;
  return k;
}

describe('a write to a page swapped in by a read fault', () => {
  it('6.1 keeps the slot and its zswap entry; the next swap-out replaces the entry in place', () => {
    const { m, z } = machine('6.1');
    // 4,000 pages through a 2,048-page machine: the first ones are swapped out to zswap.
    write(m, 0, 4000);
    expect(m.memory.slotOwnerResident(0, 0)).toBe(false);
    const storedAfterWrite = z.counters.stored_pages;
    expect(storedAfterWrite).toBeGreaterThan(1500);
    // Read pages 0..99 back: read faults (and readahead hits) keep the swap cache; zswap 6.1 loads are not exclusive.
    read(m, 0, 100);
    expect(inSwapCache(m, 0, 100)).toBe(100);
    expect(z.counters.stored_pages).toBe(storedAfterWrite);
    // Write them: mapped pages, do_wp_page reuse: every slot and entry stays.
    const outs = m.stats.swap_outs;
    write(m, 0, 100);
    expect(m.stats.swap_outs).toBe(outs);
    expect(z.counters.stored_pages).toBe(storedAfterWrite);
    for (let p = 0; p < 100; p++) expect(m.frontswap.test(0, slotOf(m, p))).toBe(true);
    // Push them out again: dirty swap-cache pages, stored into the slot they hold.
    write(m, 4000, 7000);
    for (let p = 0; p < 100; p++) expect(m.memory.slotOwnerResident(0, slotOf(m, p))).toBe(false);
    expect(z.counters.duplicate_entry).toBe(0);
    // Every page of 0..99 comes back with its second generation (the oracle checks each load's tag).
    read(m, 0, 100);
    expect(m.oracle.counts.stale + m.oracle.counts.lost).toBe(0);
    expect(m.oracle.examples).toEqual([]);
  });

  it('a write fault on a swapped-out page frees its slot and entry (should_try_to_free_swap)', () => {
    const { m, z } = machine('6.1');
    write(m, 0, 4000);
    for (let p = 0; p < 50; p++) {
      expect(m.memory.slotOwnerResident(0, slotOf(m, p))).toBe(false);
      expect(m.frontswap.test(0, slotOf(m, p))).toBe(true);
    }
    const stored = z.counters.stored_pages;
    const slots = Array.from({ length: 50 }, (_, p) => slotOf(m, p));
    // Write faults on pages 0..49: each is loaded (by its fault or by readahead, then a write
    // fault on the swap-cache page) and its slot freed; pages read ahead past 49 keep theirs.
    write(m, 0, 50);
    for (let p = 0; p < 50; p++) expect(slotOf(m, p)).toBe(-1);
    expect(m.memory.slotOwnerResident(0, slotOf(m, 50))).toBe(true);
    // The 50 freed slots wait in the swap slots cache (it gives back 64 at a time): their
    // entries stay stored until it does.
    for (const off of slots) expect(m.swapFreePending(0, off)).toBe(true);
    expect(z.counters.stored_pages).toBe(stored);
    m.drainSlotsRet();
    expect(z.counters.stored_pages).toBe(stored - 50);
    for (const off of slots) expect(m.frontswap.test(0, off)).toBe(false);
  });

  it('the 3.x reclaim frees the slot at the write (reuse_swap_page)', () => {
    const { m, z } = machine('lru-3x');
    write(m, 0, 4000);
    const stored = z.counters.stored_pages;
    read(m, 0, 100); // lru-3x: no readahead, 100 read faults, 100 loads
    expect(z.counters.stored_pages).toBe(stored);
    write(m, 0, 100);
    expect(z.counters.stored_pages).toBe(stored - 100);
    for (let p = 0; p < 100; p++) expect(slotOf(m, p)).toBe(-1);
  });
});

/** The swap offset page p of the process holds (-1: none). */
function slotOf(m: Machine, p: number): number {
  return m.memory.slotOfAnon(PID, p);
}
