/**
 * mm.scanCycles: reclaim prices every page it isolated from an inactive list and looked at
 * (pgscan), kept, activated or reclaimed alike; a page it reclaims costs mm.reclaimCycles
 * besides. Checked by counting the charges against the counters the models keep on their own
 * (6.1: pgscan, which shrink_inactive_list adds a batch at a time; lru-3x, which has no inactive
 * list: every page it takes off an LRU end, reclaimed or refused).
 */

import { describe, expect, it } from 'vitest';
import { Cls, makeDesc } from '../../../src/content/page.js';
import { getReclaim } from '../../../src/mm/reclaim/registry.js';
import type { Machine } from '../../../src/sim/machine.js';
import { testMachine } from '../../helpers/machine.js';
import { getProfile } from '../../../src/profiles/registry.js';
import type { Profile } from '../../../src/profiles/profile.js';

/** The ssd profile with a scan cost (no built-in profile has one). */
function withScanCost(cycles: number): Profile {
  const ssd = getProfile('ssd');
  return { ...ssd, mm: { ...ssd.mm, scanCycles: { value: cycles, source: '[I] test' } } };
}

function countScans(m: Machine): () => number {
  let n = 0;
  const mem = m.memory;
  const scanPage = mem.scanPage.bind(mem);
  mem.scanPage = (): void => {
    n++;
    scanPage();
  };
  return () => n;
}

function workload(m: Machine): void {
  m.swapon(0, 20_000, true);
  // Anonymous pages written once, then file pages read, then the first half written again.
  for (let p = 0; p < 6000; p++) {
    m.memory.anonAccess(1, p, true, makeDesc(Cls.Text, p + 1));
    m.afterEvent();
  }
  for (let i = 0; i < 3000; i++) {
    m.memory.fileAccess(1, 7, i, false, makeDesc(Cls.Text, 100_000 + i));
    m.afterEvent();
  }
  for (let p = 0; p < 3000; p++) {
    m.memory.anonAccess(1, p, true, makeDesc(Cls.Text, 50_000 + p));
    m.afterEvent();
  }
}

describe('mm.scanCycles: the pages reclaim looks at', () => {
  for (const model of ['6.1', '6.1-cfs', '6.1-cfs-buddy']) {
    it(`${model}: one charge a page isolated from an inactive list, as many as pgscan`, () => {
      const m = testMachine({ reclaim: getReclaim(model), seed: 2, profile: withScanCost(1_270) });
      const scans = countScans(m);
      workload(m);
      expect(m.stats.pgscan).toBeGreaterThan(m.stats.pgsteal_kswapd + m.stats.pgsteal_direct);
      expect(scans()).toBe(m.stats.pgscan);
    });
  }

  for (const model of ['6.1-cfs-buddy', 'lru-3x']) {
    it(`${model}: without a scan cost in the profile, no charge is made at all (the per-page call is skipped)`, () => {
      const m = testMachine({ reclaim: getReclaim(model), seed: 2 });
      const scans = countScans(m);
      workload(m);
      expect(m.stats.pgsteal_kswapd + m.stats.pgsteal_direct).toBeGreaterThan(0);
      expect(scans()).toBe(0);
    });
  }

  it('lru-3x: one charge a page taken off an LRU end, every eviction attempted', () => {
    const m = testMachine({ reclaim: getReclaim('lru-3x'), seed: 2, profile: withScanCost(1_270) });
    const scans = countScans(m);
    let evictions = 0;
    const mem = m.memory;
    const evict = mem.evict.bind(mem);
    mem.evict = (...a: Parameters<typeof mem.evict>): ReturnType<typeof mem.evict> => {
      evictions++;
      return evict(...a);
    };
    workload(m);
    expect(evictions).toBeGreaterThan(0);
    expect(scans()).toBe(evictions);
  });

  it('prices each look at the profile figure: the CPU the meter counts grows by exactly scanCycles x pgscan', () => {
    const run = (scanCycles: number): { cycles: number; scanned: number } => {
      const m = testMachine({ reclaim: getReclaim('6.1'), seed: 2, ...(scanCycles > 0 ? { profile: withScanCost(scanCycles) } : {}) });
      workload(m);
      return { cycles: m.meter.totals.metaCycles, scanned: m.stats.pgscan };
    };
    const a = run(0);
    const b = run(1_270);
    // The '6.1' model runs kswapd whole after each event: the same pages are scanned either way.
    expect(b.scanned).toBe(a.scanned);
    expect(b.cycles - a.cycles).toBeCloseTo(1_270 * a.scanned, 3);
  });
});
