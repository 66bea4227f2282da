/**
 * 6.1's VMA-based swap readahead window (mm/swap_state.c: __swapin_nr_pages,
 * swap_ra_info), against windows computed by hand from the kernel's rules.
 */

import { describe, expect, it } from 'vitest';
import { swapRaHit, swapRaWindow, swapinNrPages, type SwapRaState } from '../../../src/mm/swap-readahead.js';

describe('swap readahead windows (page_cluster 3)', () => {
  it('grows with adjacent faults and readahead hits, shrinks by at most half, and clips to the PMD', () => {
    const st: SwapRaState = { vpn: 0, win: 0, hits: 0 };
    // A first fault far from page 0 with no hits: one page.
    expect(swapRaWindow(st, 100)).toEqual({ win: 1, start: 100, end: 101 });
    // The next page: hits + 2 = 2 pages, after the fault.
    expect(swapRaWindow(st, 101)).toEqual({ win: 2, start: 101, end: 103 });
    // Page 102 was read ahead and is hit: hits 1 → 3 pages, rounded up to 4.
    swapRaHit(st, 102);
    expect(st).toEqual({ vpn: 102, win: 2, hits: 1 });
    expect(swapRaWindow(st, 103)).toEqual({ win: 4, start: 103, end: 107 });
    // Three hits: 5 pages → 8, the 2^page_cluster ceiling.
    swapRaHit(st, 104);
    swapRaHit(st, 105);
    swapRaHit(st, 106);
    expect(swapRaWindow(st, 107)).toEqual({ win: 8, start: 107, end: 115 });
    // A random fault with no hits: 1 page, but not below half the last window (4), centred: 1 before.
    expect(swapRaWindow(st, 300)).toEqual({ win: 4, start: 299, end: 303 });
    // Another: half of 4 = 2, (2-1)/2 = 0 pages before.
    expect(swapRaWindow(st, 50)).toEqual({ win: 2, start: 50, end: 52 });
    // Then 1.
    expect(swapRaWindow(st, 700)).toEqual({ win: 1, start: 700, end: 701 });
  });

  it('reads backwards before a fault that precedes the last one', () => {
    const st: SwapRaState = { vpn: 200, win: 4, hits: 2 };
    // hits 2 → 4 pages; the fault is the page before the last: [fault-3, fault].
    expect(swapRaWindow(st, 199)).toEqual({ win: 4, start: 196, end: 200 });
  });

  it('stays inside the 512-page PMD of the fault and above page 0', () => {
    expect(swapRaWindow({ vpn: 510, win: 8, hits: 6 }, 511)).toEqual({ win: 8, start: 511, end: 512 });
    expect(swapRaWindow({ vpn: 513, win: 8, hits: 6 }, 512)).toEqual({ win: 8, start: 512, end: 513 });
    expect(swapRaWindow({ vpn: 40, win: 8, hits: 0 }, 0)).toEqual({ win: 4, start: 0, end: 3 });
  });

  it('reads one page with page_cluster 0', () => {
    expect(swapRaWindow({ vpn: 5, win: 0, hits: 9 }, 6, 0)).toEqual({ win: 1, start: 6, end: 7 });
  });

  it('__swapin_nr_pages: hits + 2 rounded up to a power of two of at least 4', () => {
    expect([0, 1, 2, 3, 6, 7, 63].map((h) => swapinNrPages(0, 9, h, 64, 0))).toEqual([1, 4, 4, 8, 8, 16, 64]);
    expect(swapinNrPages(8, 9, 0, 8, 0)).toBe(2);
    expect(swapinNrPages(10, 9, 0, 8, 0)).toBe(2);
  });
});
