/**
 * Swap slot allocation, against sequences worked out by hand from 6.1's
 * mm/swapfile.c (scan_swap_map_slots without cluster_info, swap_range_alloc,
 * swap_range_free): slot 0 is the header; a rotational device hands out
 * slots in order from cluster_next, and every SWAPFILE_CLUSTER (256)
 * allocations it looks for the first wholly free run of 256 slots from
 * lowest_bit and moves there, or to the first free slot from lowest_bit
 * when there is none. An SSD's
 * slots are taken next fit (a deviation: 6.1 uses per-CPU clusters).
 */

import { describe, expect, it } from 'vitest';
import { SwapArea } from '../../../src/mm/swap.js';

function take(a: SwapArea, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(a.alloc());
  return out;
}
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('swap slots, rotational device (scan_swap_map_slots)', () => {
  it('never hands out slot 0 and fills 1..N-1, then has none', () => {
    const a = new SwapArea(0, 300, true);
    expect(take(a, 299)).toEqual(range(1, 299));
    expect(a.alloc()).toBe(-1);
    a.free(150);
    expect(a.alloc()).toBe(150);
  });

  it('moves to the first wholly free run of 256 when its run of 256 allocations is used up', () => {
    const a = new SwapArea(0, 1024, true);
    // Allocations 1, 257 and 513 look for a free run (cluster_nr was 0): each finds the next slot.
    expect(take(a, 600)).toEqual(range(1, 600));
    // 10..300 freed: a free run of 291 slots from 10.
    for (let s = 10; s <= 300; s++) a.free(s);
    // The run begun at allocation 513 has 168 of its 256 left: 601..768.
    expect(take(a, 168)).toEqual(range(601, 768));
    // Then the search from lowest_bit (10) finds 10..265 free: allocation goes back there.
    expect(take(a, 3)).toEqual([10, 11, 12]);
  });

  it('goes back to the first free slot from lowest_bit when no run of 256 is free', () => {
    const a = new SwapArea(0, 1024, true);
    take(a, 600);
    // Every other slot of 10..300 freed: no free run of 256 (769..1023 is 255 slots).
    for (let s = 10; s <= 300; s += 2) a.free(s);
    take(a, 168);
    // The search fails and the scan starts at lowest_bit (10); each next slot is taken, so the scan moves on.
    expect(take(a, 3)).toEqual([10, 12, 14]);
  });

  it('scans to the next free slot, wrapping to lowest_bit, when cluster_next is taken', () => {
    const a = new SwapArea(0, 64, true);
    // Fewer than 256 slots free: runs are not searched; slots go in order, then wrap to the freed one.
    expect(take(a, 63)).toEqual(range(1, 63));
    a.free(5);
    expect(a.alloc()).toBe(5);
  });
});

describe('swap slots, SSD (next fit)', () => {
  it('takes the next free slot after the last one, wrapping past slot 0', () => {
    const a = new SwapArea(0, 1024, false);
    take(a, 600);
    for (let s = 10; s <= 300; s++) a.free(s);
    expect(take(a, 3)).toEqual([601, 602, 603]);
    take(a, 1023 - 603);
    expect(a.alloc()).toBe(10);
  });
});
