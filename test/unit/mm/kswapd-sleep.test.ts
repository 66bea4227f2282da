/**
 * kswapd's sleep after a run that left the node balanced (6.1 mm/vmscan.c kswapd_try_to_sleep):
 * first a short sleep, schedule_timeout(HZ/10) = 100 ms. A wake-up during it sends kswapd back
 * to balance_pgdat and counts KSWAPD_LOW_WMARK_HIT_QUICKLY. If none comes, kswapd checks the
 * node again at its end: below the high watermark (not necessarily below low, so no allocation
 * woke it) it runs again unwoken and counts KSWAPD_HIGH_WMARK_HIT_QUICKLY; balanced, it sleeps
 * until woken, and a wake-up then counts neither.
 *
 * The machine: 4,096 pages, no swap, clean file pages only (each read allocates one page);
 * its watermarks min 128, low 160, high 192 (min_free_kbytes 512). The '6.1' model runs kswapd
 * whole after each event, so each step below is one event and the counts are exact.
 */

import { describe, expect, it } from 'vitest';
import { Cls, makeDesc } from '../../../src/content/page.js';
import { getReclaim } from '../../../src/mm/reclaim/registry.js';
import type { Machine } from '../../../src/sim/machine.js';
import { testMachine } from '../../helpers/machine.js';

const LOW = 160;
const HIGH = 192;
const SHORT_SLEEP_NS = 100_000_000;

function machine(): { m: Machine; read: (atNs?: number) => void } {
  const m = testMachine({ reclaim: getReclaim('6.1'), seed: 1 });
  let index = 0;
  const read = (atNs?: number): void => {
    // The event's time first (the clock moves before it), then the read and the event's end.
    if (atNs !== undefined) m.advance(atNs);
    m.memory.fileAccess(1, 7, index, false, makeDesc(Cls.Text, 100_000 + index++));
    m.afterEvent();
    m.advance(0);
  };
  return { m, read };
}

/** Reads one page an event until kswapd has run `runs` times in all. */
function readUntilRuns(m: Machine, read: () => void, runs: number): void {
  for (let k = 0; k < 10_000 && m.stats.pageoutrun < runs; k++) read();
  expect(m.stats.pageoutrun).toBe(runs);
}

describe("kswapd's short sleep (kswapd_try_to_sleep, HZ/10)", () => {
  it('a wake-up within 100 ms of the balanced run counts a low-watermark hit; one after the short sleep counts none', () => {
    const { m, read } = machine();
    readUntilRuns(m, read, 1);
    expect(m.memory.free).toBeGreaterThan(HIGH);
    // Right away: the reads take the node below low within the short sleep.
    readUntilRuns(m, read, 2);
    expect(m.stats.kswapd_low_wmark_hit_quickly).toBe(1);
    expect(m.stats.kswapd_high_wmark_hit_quickly).toBe(0);
    // The short sleep runs out on a balanced node (free above high): kswapd sleeps until woken.
    read(m.clock + 2 * SHORT_SLEEP_NS);
    expect(m.memory.free).toBeGreaterThan(HIGH);
    expect(m.stats.pageoutrun).toBe(2);
    // The next wake-up (below low) runs it, and counts no hit.
    readUntilRuns(m, read, 3);
    expect(m.stats.kswapd_low_wmark_hit_quickly).toBe(1);
    expect(m.stats.kswapd_high_wmark_hit_quickly).toBe(0);
  });

  it('at the end of the short sleep a node below high but above low sends kswapd back to reclaim, unwoken: a high-watermark hit', () => {
    const { m, read } = machine();
    readUntilRuns(m, read, 1);
    // Down to between low and high (no allocation goes below low, so none wakes kswapd).
    for (let k = 0; k < 10_000 && m.memory.free >= HIGH; k++) read();
    expect(m.memory.free).toBeGreaterThan(LOW);
    expect(m.memory.free).toBeLessThan(HIGH);
    expect(m.stats.pageoutrun).toBe(1);
    // Within the short sleep nothing happens; the first event after it sees the node unbalanced.
    read(m.clock + SHORT_SLEEP_NS / 2);
    expect(m.stats.pageoutrun).toBe(1);
    read(m.clock + SHORT_SLEEP_NS);
    expect(m.stats.pageoutrun).toBe(2);
    expect(m.stats.kswapd_high_wmark_hit_quickly).toBe(1);
    expect(m.stats.kswapd_low_wmark_hit_quickly).toBe(0);
    expect(m.memory.free).toBeGreaterThan(HIGH);
  });

  it('a node left between low and high after the short sleep ended balanced wakes no kswapd', () => {
    const { m, read } = machine();
    readUntilRuns(m, read, 1);
    // The short sleep ends on a balanced node: kswapd sleeps until woken.
    read(m.clock + 2 * SHORT_SLEEP_NS);
    for (let k = 0; k < 10_000 && m.memory.free >= HIGH; k++) read();
    expect(m.memory.free).toBeGreaterThan(LOW);
    read(m.clock + 2 * SHORT_SLEEP_NS);
    expect(m.stats.pageoutrun).toBe(1);
    expect(m.stats.kswapd_high_wmark_hit_quickly).toBe(0);
  });
});
