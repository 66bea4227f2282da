/**
 * The swap slots cache's allocation side (6.1 mm/swap_slots.c, one CPU) and the batch scan it
 * refills from (mm/swapfile.c scan_swap_map_slots, a rotational device).
 *
 * folio_alloc_swap hands out the next of the slots the cache took ahead, and refills it with
 * get_swap_pages(64) when none is left: up to 64 slots, no more than the swap pages free. While
 * the cache is off it takes one slot at a time. check_cache_active, at every allocation, turns the
 * cache on when more than 5 x 64 pages of swap are free and off when fewer than 2 x 64 are,
 * draining both sides (the slots taken ahead go back unused). free_swap_slot keeps freed slots in
 * the cache only while it is on. The expectations below are worked out in the test from those
 * rules.
 */

import { describe, expect, it } from 'vitest';
import { getReclaim } from '../../../src/mm/reclaim/registry.js';
import { SwapArea, slotOffset } from '../../../src/mm/swap.js';
import type { Machine } from '../../../src/sim/machine.js';
import { testMachine } from '../../helpers/machine.js';

const BATCH = 64;
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** A machine with a rotational swap area of `slots` slots (the validation guests' virtio disk). */
function machine(slots: number, reclaim = '6.1'): Machine {
  const m = testMachine({ ramPages: 2048, seed: 3, reclaim: getReclaim(reclaim) });
  m.swapon(0, slots, true);
  return m;
}

describe('scan_swap_map_slots for a batch (rotational device)', () => {
  it('after a search for a free run of 256 the batch is short: the search spent 255 of its 256-slot budget', () => {
    const a = new SwapArea(0, 1000, true);
    const out: number[] = [];
    // The search from lowest_bit (1) looks at slots 1..255 before it finds the run 1..256: the
    // budget (latency_ration) has 1 left, so slot 2 is the last the batch takes.
    expect(a.allocBatch(BATCH, out)).toBe(2);
    expect(out.slice(0, 2)).toEqual([1, 2]);
    // No search now: 64 slots in a row, and cluster_next after them.
    expect(a.allocBatch(BATCH, out)).toBe(BATCH);
    expect(out).toEqual(range(3, 66));
    expect(a.alloc()).toBe(67);
    expect(a.inUse).toBe(67);
  });

  it('passes used slots by the quick scan and goes on taking free ones', () => {
    const a = new SwapArea(0, 1000, true);
    for (let i = 0; i < 100; i++) a.alloc();
    a.claim(105);
    a.claim(106);
    a.claim(120);
    const out: number[] = [];
    // 101..104, then 105 and 106 are used: the quick scan finds 107; 120 is passed the same way.
    const want = [...range(101, 104), ...range(107, 119), ...range(121, 167)];
    expect(want.length).toBe(BATCH);
    expect(a.allocBatch(BATCH, out)).toBe(BATCH);
    expect(out).toEqual(want);
    expect(a.alloc()).toBe(168);
  });

  it('gives no more than the free slots, then none', () => {
    const a = new SwapArea(0, 40, true);
    const out: number[] = [];
    // 39 free slots, fewer than a run of 256: no search, and the batch ends at highest_bit.
    expect(a.allocBatch(BATCH, out)).toBe(39);
    expect(out.slice(0, 39)).toEqual(range(1, 39));
    expect(a.allocBatch(BATCH, out)).toBe(0);
  });
});

describe('folio_alloc_swap with the swap slots cache (6.1)', () => {
  it('takes slots ahead, hands them out in order, and puts only those handed out in the xarray', () => {
    const m = machine(8192);
    const area = m.swap.get(0)!;
    // The first refill follows a search for a free run: 2 slots (see above); the next takes 64.
    expect(slotOffset(m.allocSwapSlot())).toBe(1);
    expect(area.inUse).toBe(2);
    // One slot handed out: one leaf node and its parent, as for a single slot in use.
    const one = new SwapArea(0, 8192, true);
    one.alloc();
    expect(area.xaNodes).toBe(one.xaNodes);
    expect(slotOffset(m.allocSwapSlot())).toBe(2);
    expect(area.inUse).toBe(2);
    expect(slotOffset(m.allocSwapSlot())).toBe(3);
    expect(area.inUse).toBe(2 + BATCH);
    for (let k = 4; k <= 2 + BATCH; k++) expect(slotOffset(m.allocSwapSlot())).toBe(k);
    expect(area.inUse).toBe(2 + BATCH);
  });

  it('turns on above 320 free pages and off below 128, draining the slots taken ahead', () => {
    const slots = 400;
    const pages = slots - 1;
    const m = machine(slots);
    const area = m.swap.get(0)!;
    // Worked out from the rules (399 pages): call 1 turns the cache on and takes [1, 2]; calls 3,
    // 67, 131 and 195 take 64 each (3..258); call 259, with 141 free, takes 259..322; call 260
    // finds 77 free, fewer than 128: the cache goes off, 260..322 go back, and from then on one
    // slot a call, from cluster_next (323) to the end, then from lowest_bit (260).
    const inUseAfter = (call: number): number => {
      if (call <= 2) return 2;
      if (call <= 258) return 2 + BATCH * Math.ceil((call - 2) / BATCH);
      if (call === 259) return 322;
      return call;
    };
    const offsets = [...range(1, 259), ...range(323, 399), ...range(260, 322)];
    for (let call = 1; call <= pages; call++) {
      expect(slotOffset(m.allocSwapSlot())).toBe(offsets[call - 1]);
      expect(area.inUse).toBe(inUseAfter(call));
    }
    expect(m.allocSwapSlot()).toBe(-1);
    // Off, a freed slot is free at once.
    m.freeSwapSlot(0, 10);
    expect(area.isUsed(10)).toBe(false);
    // Free enough for more than 320 free pages: the next allocation turns the cache on and
    // refills. The run of 256 begun at call 259 still has 52 left (255, less 63 slots of that
    // batch and 140 single calls), so no search: the batch starts at cluster_next (323, free
    // again) and takes 323..340, where highest_bit ends the quick scan: 18 slots.
    for (let off = 11; off <= 340; off++) m.freeSwapSlot(0, off);
    expect(area.inUse).toBe(pages - 331);
    expect(slotOffset(m.allocSwapSlot())).toBe(323);
    expect(area.inUse).toBe(pages - 331 + 18);
    // On, a freed slot waits in slots_ret.
    m.freeSwapSlot(0, 395);
    expect(area.isUsed(395)).toBe(true);
  });

  it('never turns on with 320 pages of swap or fewer: every slot taken and freed one at a time', () => {
    const m = machine(321);
    const area = m.swap.get(0)!;
    for (let k = 1; k <= 50; k++) {
      expect(slotOffset(m.allocSwapSlot())).toBe(k);
      expect(area.inUse).toBe(k);
    }
    m.freeSwapSlot(0, 7);
    expect(area.isUsed(7)).toBe(false);
  });

  it('3.x has no cache: one slot at a time', () => {
    const m = machine(8192, 'lru-3x');
    m.allocSwapSlot();
    expect(m.swap.get(0)!.inUse).toBe(1);
  });

  it('swapoff gives back the slots taken ahead, and the next refill comes from the area still on', () => {
    const m = machine(8192);
    m.swapon(1, 8192, true);
    m.allocSwapSlot();
    m.allocSwapSlot();
    m.allocSwapSlot();
    expect(m.swap.get(0)!.inUse).toBe(2 + BATCH);
    m.swapoff(0);
    expect(slotOffset(m.allocSwapSlot())).toBe(1);
    expect(m.swap.get(1)!.inUse).toBe(2);
  });
});
