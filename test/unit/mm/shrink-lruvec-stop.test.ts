/**
 * Where 6.1's shrink_lruvec stops (mm/vmscan.c, with 6.0's "mm: vmscan: fix extreme
 * overreclaim and swap floods"): global direct reclaim at DEF_PRIORITY scans its whole targets
 * whatever it has reclaimed (proportional_reclaim); any other reclaim stops once nr_to_reclaim
 * is met, unless both types still have pages to scan: then the smaller type's lists stop and
 * the other's remaining targets become its original target times the share the smaller had
 * left, less what it already scanned; the next batch's check then stops it.
 */

import { describe, expect, it } from 'vitest';
import { Cls, makeDesc } from '../../../src/content/page.js';
import { nudge } from '../../../src/mm/reclaim/linux-6.1.js';
import { getReclaim } from '../../../src/mm/reclaim/registry.js';
import { testMachine } from '../../helpers/machine.js';

describe("shrink_lruvec's stop", () => {
  it('global direct reclaim at DEF_PRIORITY reclaims its whole target, not SWAP_CLUSTER_MAX', () => {
    // 220,000 pages of RAM, no swap, clean file pages read one by one with no event's end
    // between them (the '6.1' model runs kswapd only after an event): the allocation that
    // finds free memory at the min watermark reclaims directly. Its first pass, at priority 12,
    // targets the inactive file list >> 12 pages and reclaims them all (every page read once
    // is clean and unmapped), where stopping at nr_to_reclaim would give 32.
    const m = testMachine({ ramPages: 220_000, reclaim: getReclaim('6.1'), seed: 1 });
    let index = 0;
    let inactiveFile = 0;
    while (m.stats.allocstall === 0) {
      inactiveFile = m.memory.reclaim.sizes().inactiveFile;
      m.memory.fileAccess(1, 7, index++, false, makeDesc(Cls.Text, index));
    }
    expect(inactiveFile).toBeGreaterThan(200_000);
    expect(m.stats.pgsteal_direct).toBe(inactiveFile >> 12);
    expect(m.stats.pgsteal_direct).toBeGreaterThan(32);
  });

  it("once the target is met with both types left, the smaller stops and the other's targets shrink (hand-computed)", () => {
    // targets: inactive anon 100, active anon 50, inactive file 300, active file 0; two batches
    // of 32 scanned from each list that had pages (anon 64 + 50, file 64).
    const targets = [100, 50, 300, 0];
    const nr = [36, 0, 236, 0];
    expect(nudge(nr, targets)).toBe(true);
    // file 236 > anon 36: anon stops; percentage = 36 * 100 / 151 = 23; inactive file
    // 300 * 77 / 100 = 231, less the 64 scanned = 167.
    expect(nr).toEqual([0, 0, 167, 0]);
    // The next check finds the anon lists done: stop.
    expect(nudge(nr, targets)).toBe(false);
    // The file side the smaller: the file lists stop and the anon targets shrink.
    const nr2 = [40, 20, 10, 5];
    const t2 = [100, 60, 40, 20];
    expect(nudge(nr2, t2)).toBe(true);
    // file 15 <= anon 60: percentage = 15 * 100 / 61 = 24; inactive anon 100 * 76 / 100 = 76
    // less 60 scanned = 16; active anon 60 * 76 / 100 = 45 less 40 scanned = 5.
    expect(nr2).toEqual([16, 5, 0, 0]);
  });
});
