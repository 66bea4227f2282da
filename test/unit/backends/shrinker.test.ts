import { describe, expect, it } from 'vitest';
import { DEF_PRIORITY } from '../../../src/mm/reclaim/reclaim.js';
import { SHRINK_STOP, Shrinker } from '../../../src/backends/shrinker.js';

/** A shrinker whose count is fixed and whose scans record nr_to_scan. */
function fixed(count: number, ret: (n: number) => number = (n) => n): { s: Shrinker; scans: number[] } {
  const scans: number[] = [];
  const s = new Shrinker({ count: () => count, scan: (n) => (scans.push(n), ret(n)) });
  return { s, scans };
}

describe('do_shrink_slab arithmetic (mm/vmscan.c, 6.1)', () => {
  it('at DEF_PRIORITY a small cache is not scanned: delta = (1000 >> 12) * 4 / 2 = 0', () => {
    const { s, scans } = fixed(1000);
    expect(s.run()).toBe(0);
    expect(s.run(DEF_PRIORITY)).toBe(0);
    expect(scans).toEqual([]);
    expect(s.nrDeferred).toBe(0);
  });

  it('priority 3: delta = 125 * 4 / 2 = 250, one batch of 128, 122 deferred; the next call scans (122 >> 3) + 250 = 265 in two batches', () => {
    const { s, scans } = fixed(1000);
    expect(s.run(3)).toBe(128);
    expect(scans).toEqual([128]);
    expect(s.nrDeferred).toBe(250 - 128);
    expect(s.run(3)).toBe(256);
    expect(scans).toEqual([128, 128, 128]);
    expect(s.nrDeferred).toBe(122 + 250 - 256);
  });

  it('a cache smaller than a batch is scanned whole once total_scan reaches it (priority 0: delta = 5 * 4 / 2 = 10 >= 5)', () => {
    const { s, scans } = fixed(5);
    expect(s.run(0)).toBe(10);
    expect(scans).toEqual([10]);
    expect(s.nrDeferred).toBe(0);
  });

  it('SHRINK_STOP ends the call and the whole delta is deferred (capped at 2 * freeable)', () => {
    const { s, scans } = fixed(1000, () => SHRINK_STOP);
    expect(s.run(3)).toBe(0);
    expect(scans).toEqual([128]);
    expect(s.nrDeferred).toBe(250);
    const big = fixed(100, () => SHRINK_STOP);
    big.s.nrDeferred = 10_000;
    big.s.run(0);
    expect(big.s.nrDeferred).toBe(200);
  });

  it('nothing to count: no call at all', () => {
    const { s, scans } = fixed(0);
    expect(s.run(0)).toBe(0);
    expect(s.calls).toBe(0);
    expect(scans).toEqual([]);
  });
});
