/**
 * Asynchronous swap writeback in the 6.1 reclaim (mm/vmscan.c shrink_folio_list
 * and pageout, mm/page_io.c swap_writepage, mm/swap.c folio_rotate_reclaimable):
 * a page reclaim writes to the swap device stays resident in the swap cache,
 * under writeback, back on the inactive list (`goto keep`); its write
 * completes once the reclaim pass that wrote it is over, which moves it to
 * the inactive tail (PGROTATED), and a later scan frees it as a clean
 * swap-cache page. A zswap store completes at once and the page is freed in
 * the same pass. A touch of a page kept in the swap cache is a minor fault:
 * no read, the slot kept on a read (swap less than half full), freed on a
 * write fault (should_try_to_free_swap). The 3.x model frees a written page
 * at once. The expected relations follow from those rules for a workload that
 * writes every page once.
 */

import { describe, expect, it } from 'vitest';
import { zswapFactory } from '../../../src/backends/zswap.js';
import { Cls, makeDesc } from '../../../src/content/page.js';
import { getReclaim } from '../../../src/mm/reclaim/registry.js';
import type { Machine } from '../../../src/sim/machine.js';
import { testMachine } from '../../helpers/machine.js';

const PID = 1;
let gen = 1;

function write(m: Machine, p: number): void {
  m.memory.anonAccess(PID, p, true, makeDesc(Cls.Text, gen++));
  m.memory.balance();
}
function read(m: Machine, p: number): void {
  m.memory.anonAccess(PID, p, false, 0);
  m.memory.balance();
}
/** Where page p is: 'ram' (resident, no slot), 'cache' (resident with a slot), 'out' (swapped out). */
function where(m: Machine, p: number): 'ram' | 'cache' | 'out' {
  const s = m.memory.slotOfAnon(PID, p);
  if (s < 0) return 'ram';
  return m.memory.slotOwnerResident(0, s) ? 'cache' : 'out';
}
function count(m: Machine, n: number, w: 'ram' | 'cache' | 'out'): number {
  let k = 0;
  for (let p = 0; p < n; p++) if (where(m, p) === w) k++;
  return k;
}

/** 4,000 pages written once through 2,048 of RAM: the machine, the first page swapped out, and its slot. */
function afterWrites(): { m: Machine; q: number; slot: number } {
  const m = testMachine({ ramPages: 2048, seed: 9 });
  m.swapon(0, 16384);
  for (let p = 0; p < 4000; p++) write(m, p);
  let q = 0;
  while (where(m, q) !== 'out') q++;
  return { m, q, slot: m.memory.slotOfAnon(PID, q) };
}

describe('swap writeback, 6.1', () => {
  it('keeps a page written to the device in the swap cache until a scan after its rotation frees it', () => {
    const m = testMachine({ ramPages: 2048, seed: 5 });
    m.swapon(0, 16384);
    const N = 5000;
    let maxCached = 0;
    for (let p = 0; p < N; p++) {
      write(m, p);
      const cached = count(m, p + 1, 'cache');
      const out = count(m, p + 1, 'out');
      // Every page written once: each write is either still in the swap cache or freed.
      expect(m.stats.pswpout).toBe(cached + out);
      expect(m.stats.pgsteal_anon).toBe(out);
      expect(m.memory.swapCached).toBe(cached);
      // Every pass delivers its writes' completions before it ends: all were back on the list, all rotated.
      expect(m.stats.pgrotated).toBe(m.stats.pswpout);
      // Resident pages are those in RAM plus the swap cache; the kept ones are not mapped (AnonPages).
      expect(m.memory.anonResident).toBe(count(m, p + 1, 'ram') + cached);
      expect(m.memory.anonMapped).toBe(count(m, p + 1, 'ram'));
      if (cached > maxCached) maxCached = cached;
    }
    expect(m.stats.pswpout).toBeGreaterThan(2500);
    expect(maxCached).toBeGreaterThan(0);
    // A kept page touched by a read: a minor fault, no device read, the slot stays (swap < half full).
    let kept = -1;
    for (let p = 0; p < N && kept < 0; p++) if (where(m, p) === 'cache') kept = p;
    expect(kept).toBeGreaterThanOrEqual(0);
    const slot = m.memory.slotOfAnon(PID, kept);
    const ins = m.stats.swap_ins;
    const mapped = m.memory.anonMapped;
    m.memory.anonAccess(PID, kept, false, 0);
    expect(m.memory.anonMapped).toBe(mapped + 1);
    expect(m.stats.swap_ins).toBe(ins);
    expect(m.stats.pswpin).toBe(0);
    expect(m.memory.slotOfAnon(PID, kept)).toBe(slot);
    expect(where(m, kept)).toBe('cache');
    // Every page reads back with its contents (the oracle checks each device read).
    for (let p = 0; p < N; p++) read(m, p);
    expect(m.oracle.counts.stale + m.oracle.counts.lost).toBe(0);
    expect(m.oracle.examples).toEqual([]);
  });

  it('a write fault on a kept page frees its slot; the page is written again when reclaimed', () => {
    const m = testMachine({ ramPages: 2048, seed: 6 });
    m.swapon(0, 16384);
    for (let p = 0; p < 4000; p++) write(m, p);
    let kept = -1;
    for (let p = 0; p < 4000 && kept < 0; p++) if (where(m, p) === 'cache') kept = p;
    expect(kept).toBeGreaterThanOrEqual(0);
    const used = m.swap.usedSlots();
    const slot = m.memory.slotOfAnon(PID, kept);
    m.memory.anonAccess(PID, kept, true, makeDesc(Cls.Text, gen++));
    expect(m.memory.slotOfAnon(PID, kept)).toBe(-1);
    // free_swap_slot: the slot waits in the swap slots cache, still taken, until its batch goes.
    expect(m.swapFreePending(0, slot)).toBe(true);
    expect(m.swap.usedSlots()).toBe(used);
    m.drainSlotsRet();
    expect(m.swapFreePending(0, slot)).toBe(false);
    expect(m.swap.usedSlots()).toBe(used - 1);
    expect(m.stats.pswpin).toBe(0);
    // Push it out again: dirty, it needs a new slot and a write.
    for (let p = 4000; p < 9000; p++) write(m, p);
    expect(where(m, kept)).toBe('out');
    read(m, kept);
    expect(m.oracle.counts.stale + m.oracle.counts.lost).toBe(0);
  });

  it('a zswap store completes at once: the page is freed in the pass that stored it', () => {
    const m = testMachine({ ramPages: 2048, seed: 7, factory: zswapFactory });
    m.swapon(0, 16384);
    m.insmod('zswap', { era: '6.1', zpool: 'zsmalloc', compressor: 'lz4', max_pool_percent: 50 });
    // Until the pool fills (and stores fail over to the device), no page stays in the swap cache.
    let p = 0;
    for (; m.stats.pswpout === 0; p++) {
      expect(m.memory.swapCached).toBe(0);
      write(m, p);
    }
    expect(m.stats.swap_outs - m.stats.pswpout).toBeGreaterThan(800);
    // The first page the device took stays resident until its pass ends and a later scan frees it.
    expect(m.memory.swapCached).toBeGreaterThan(0);
    expect(m.stats.pgrotated).toBe(m.stats.pswpout);
  });

  it("a backend's writeback (zswap_writeback_entry) reads the page into the swap cache first: a fault on it is minor", () => {
    const { m, q, slot } = afterWrites();
    const out = m.stats.pswpout;
    const resident = m.memory.anonResident;
    const mapped = m.memory.anonMapped;
    // The entry went while the page was being allocated: nothing written, the page not kept.
    expect(m.swapWriteback(0, slot, false, () => false, () => {})).toBe('nomem');
    expect(where(m, q)).toBe('out');
    expect(m.stats.pswpout).toBe(out);
    expect(m.swapWriteback(0, slot, false, () => true, () => {})).toBe('written');
    expect(m.stats.pswpout).toBe(out + 1);
    expect(where(m, q)).toBe('cache');
    expect(m.memory.anonResident).toBe(resident + 1);
    expect(m.memory.anonMapped).toBe(mapped);
    // In the swap cache already: -EEXIST, nothing written.
    expect(m.swapWriteback(0, slot, false, () => true, () => {})).toBe('exists');
    expect(m.stats.pswpout).toBe(out + 1);
    const ins = m.stats.swap_ins;
    const maj = m.stats.pgmajfault;
    const hits = m.stats.swap_ra_hit;
    const rotated = m.stats.pgrotated;
    read(m, q);
    expect(m.stats.swap_ins).toBe(ins);
    expect(m.stats.pgmajfault).toBe(maj);
    expect(m.memory.slotOfAnon(PID, q)).toBe(slot);
    // Its write completed while the page waited in the per-CPU lru_add batch: PG_reclaim (PG_readahead's
    // bit) is gone, so lookup_swap_cache counts no readahead hit, and folio_rotate_reclaimable found
    // the page off the LRU: not rotated.
    expect(m.stats.swap_ra_hit).toBe(hits);
    expect(m.stats.pgrotated).toBe(rotated);
    for (let p = 0; p < 4000; p++) read(m, p);
    expect(m.oracle.counts.stale + m.oracle.counts.lost).toBe(0);
  });

  it('a fault whose allocation lets zswap write that same page back maps the swap-cache page (swapcache_prepare: -EEXIST)', () => {
    const { m, q, slot } = afterWrites();
    // The fault's allocation sleeps, and the shrink worker writes page q's entry back meanwhile.
    const reclaim = (m.memory as unknown as { reclaim: { allocate(): number } }).reclaim;
    const allocate = reclaim.allocate.bind(reclaim);
    let during = true;
    reclaim.allocate = () => {
      const z = allocate();
      if (during) {
        during = false;
        expect(m.swapWriteback(0, slot, false, () => true, () => {})).toBe('written');
      }
      return z;
    };
    const resident = m.memory.anonResident;
    const mapped = m.memory.anonMapped;
    const ins = m.stats.swap_ins;
    const maj = m.stats.pgmajfault;
    read(m, q);
    reclaim.allocate = allocate;
    expect(during).toBe(false);
    // One page for q (the one the writeback read), mapped; no second read; the major fault counted once.
    expect(m.memory.anonResident).toBe(resident + 1);
    expect(m.memory.anonMapped).toBe(mapped + 1);
    expect(m.stats.swap_ins).toBe(ins);
    expect(m.stats.pgmajfault).toBe(maj + 1);
    expect(m.memory.slotOfAnon(PID, q)).toBe(slot);
    for (let p = 0; p < 4000; p++) read(m, p);
    expect(m.oracle.counts.stale + m.oracle.counts.lost).toBe(0);
  });

  it('the 3.x model frees a page at its write (writeback completes synchronously)', () => {
    const m = testMachine({ ramPages: 2048, seed: 8, reclaim: getReclaim('lru-3x') });
    m.swapon(0, 16384);
    for (let p = 0; p < 4000; p++) {
      write(m, p);
      expect(m.memory.swapCached).toBe(0);
    }
    expect(m.stats.pswpout).toBeGreaterThan(1500);
    expect(m.stats.pgsteal_anon).toBe(m.stats.pswpout);
    expect(m.stats.pgrotated).toBe(0);
  });
});
