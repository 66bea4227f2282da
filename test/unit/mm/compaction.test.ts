/**
 * kcompactd (mm/compaction.ts) over a real buddy allocator and a host written here, against
 * runs worked out by hand from 6.1's mm/compaction.c: proactive compaction's batches (the
 * migrate scanner's 32 pages from the zone's start, the free scanner's free blocks from the
 * last pageblock up, each page to the next free frame in that order), its end when the zone's
 * fragmentation score falls to 80, the counters, and a wake-up refused by compaction_suitable;
 * and through the memory model, that pages move and every frame stays held once (checkFrames,
 * which is shown to catch a broken reverse map).
 */

import { describe, expect, it } from 'vitest';
import { Buddy, MOVABLE, PAGEBLOCK_PAGES } from '../../../src/mm/buddy.js';
import { Kcompactd, type CompactionHost } from '../../../src/mm/compaction.js';
import type { ReclaimStats } from '../../../src/mm/reclaim/reclaim.js';
import { getReclaim } from '../../../src/mm/reclaim/registry.js';
import { zswapFactory } from '../../../src/backends/zswap.js';
import { Cls, makeDesc } from '../../../src/content/page.js';
import { testMachine } from '../../helpers/machine.js';
import { snapshotMark } from '../../../src/sim/marks.js';

const ZONE = 4 * PAGEBLOCK_PAGES;

/**
 * One zone of four pageblocks. Pageblock 0: 64 pages at frames 0..63, the rest free; pageblocks 1
 * and 2: frames in use that nothing can move; pageblock 3: frame 1536 in use (unmovable), the
 * rest free. The buddy merges the free frames: 64/o6 128/o7 256/o8 in block 0; 1537/o0 1538/o1
 * 1540/o2 1544/o3 1552/o4 1568/o5 1600/o6 1664/o7 1792/o8 in block 3.
 */
function setup() {
  const buddy = new Buddy([ZONE]);
  // Every frame out of the lists, then the layout's free ones back (they merge) and the rest in use.
  buddy.isolateFree(0);
  buddy.isolateFree(1024);
  const pageAt = new Map<number, number>();
  for (let pfn = 0; pfn < ZONE; pfn++) {
    const free = (pfn >= 64 && pfn < 512) || (pfn > 1536 && pfn < ZONE);
    if (free) buddy.release(pfn, MOVABLE);
    else buddy.use(pfn, MOVABLE);
  }
  for (let pfn = 0; pfn < 64; pfn++) pageAt.set(pfn, 1000 + pfn);
  let now = 0;
  const moves: [number, number][] = [];
  const stats = { pgmigrate_success: 0, compact_migrate_scanned: 0, compact_free_scanned: 0, compact_isolated: 0, compact_daemon_wake: 0, compact_daemon_migrate_scanned: 0, compact_daemon_free_scanned: 0 } as unknown as ReclaimStats;
  const host: CompactionHost = {
    buddy,
    zoneCount: 1,
    stats,
    movablePage: (pfn) => pageAt.get(pfn) ?? -1,
    putbackPage: () => {},
    migratePage: (handle, pfn) => {
      const from = [...pageAt].find(([, h]) => h === handle)![0];
      pageAt.delete(from);
      pageAt.set(pfn, handle);
      buddy.use(pfn, MOVABLE);
      buddy.unuse(from);
      buddy.release(from, MOVABLE);
      moves.push([handle, pfn]);
    },
    releaseFree: (pfn) => buddy.release(pfn, MOVABLE),
    drainPcp: () => {},
    zoneFree: () => buddy.nrFree[0]!,
    zoneWmark: () => ({ min: 10, low: 12, high: 14, reserve: 0 }),
    zoneBoost: () => 0,
    kswapdRunning: () => false,
    simNow: () => now,
    charge: () => {
      now += 1000;
    },
  };
  return { buddy, host, stats, moves, pageAt, advance: (ns: number) => (now += ns) };
}

describe('kcompactd (6.1 mm/compaction.c)', () => {
  it('proactive compaction after the 500 ms timeout: two batches move 64 pages, then the score is 46', () => {
    const { buddy, host, stats, moves, advance } = setup();
    const k = new Kcompactd(host);
    k.tick(); // goes to sleep: the timeout runs from now
    advance(499e6);
    expect(k.due()).toBe(false);
    advance(1e6);
    expect(k.due()).toBe(true);
    // Score 100 (959 free pages, none in a block of 512): above 90, the run starts. Each tick runs
    // batches while kcompactd's time is at most half the time since it began: one now.
    k.tick();
    // Batch 1: pages 0..31 to the free blocks of pageblock 3 from its start: 1537, 1538-1539,
    // 1540-1543, 1544-1551, 1552-1567, and 1568 (the first of the 32 at 1568).
    const want1 = [1537, ...Array.from({ length: 30 }, (_, i) => 1538 + i), 1568];
    expect(moves.map(([, pfn]) => pfn)).toEqual(want1);
    expect(moves.map(([h]) => h)).toEqual(Array.from({ length: 32 }, (_, i) => 1000 + i));
    // Batch 2, once the workload has had its share: pages 32..63 to 1600..1631 (the 31 frames
    // left from batch 1 went back and merged below 1600; the scanner goes on from 1600).
    advance(1e9);
    k.tick();
    expect(moves.slice(32).map(([, pfn]) => pfn)).toEqual(Array.from({ length: 32 }, (_, i) => 1600 + i));
    // Pageblock 0 is free whole now: 447 of 959 free pages are not in a block of 512, score 46,
    // at most 80: done, and the node's score went down, so no deferral.
    expect(buddy.freeOrderAt(0)).toBe(9);
    expect(stats.pgmigrate_success).toBe(64);
    expect(stats.compact_migrate_scanned).toBe(64);
    // Free scanner: frame 1536 and the six blocks of batch 1 (64 frames), the block at 1600 (64).
    expect(stats.compact_free_scanned).toBe(128);
    // Isolated: 32 + 63 free, 32 + 64 free.
    expect(stats.compact_isolated).toBe(191);
    expect(stats.compact_daemon_wake).toBe(0);
    expect(k.due()).toBe(false);
    advance(500e6);
    expect(k.due()).toBe(true);
  });

  it('a wake-up for pageblock_order is refused when no zone has low + 1024 pages free (compaction_suitable)', () => {
    const { host, stats, moves, advance } = setup();
    const k = new Kcompactd(host);
    k.tick();
    k.wake(9);
    expect(k.due()).toBe(false);
    advance(100e6);
    k.tick();
    expect(stats.compact_daemon_wake).toBe(0);
    expect(moves).toEqual([]);
  });

  it('the refused order is still kcompactd_max_order: at the timeout kcompactd_do_work runs (counted), not proactive compaction', () => {
    // 6.1 wakeup_kcompactd raises kcompactd_max_order before it checks the node's suitability, and
    // kcompactd waits for kcompactd_work_requested (max_order > 0): when its 500 ms timeout
    // passes the condition holds, so it runs kcompactd_do_work (KCOMPACTD_WAKE) and `continue`s
    // past the proactive work. do_work finds no suitable zone here (959 free, below low + 1024):
    // nothing moves, the order is cleared, and the next timeout is proactive again.
    const { stats, moves, advance, host } = setup();
    const k = new Kcompactd(host);
    k.tick();
    k.wake(9);
    advance(500e6);
    expect(k.due()).toBe(true);
    k.tick();
    expect(stats.compact_daemon_wake).toBe(1);
    expect(moves).toEqual([]); // no proactive run in its place (its score here is 100: it would move pages)
    advance(500e6);
    k.tick();
    expect(stats.compact_daemon_wake).toBe(1);
    expect(moves.length).toBe(32); // the proactive run's first batch
  });

  it('an order asked while kcompactd runs is work it finds as soon as the run ends', () => {
    // The proactive run of the first test is under way (kcompactd off its wait queue): a
    // wake-up is lost but its order stays, and the wait's condition holds when the run ends.
    const { stats, advance, host } = setup();
    const k = new Kcompactd(host);
    k.tick();
    advance(500e6);
    k.tick(); // batch 1
    k.wake(9);
    advance(1e9);
    k.tick(); // batch 2, and the run ends
    expect(stats.compact_daemon_wake).toBe(0);
    expect(k.due()).toBe(true);
    k.tick();
    expect(stats.compact_daemon_wake).toBe(1);
  });

  it('no proactive run while kswapd runs, and none on a node whose score is 90 or less', () => {
    const s = setup();
    let kswapd = true;
    const k = new Kcompactd({ ...s.host, kswapdRunning: () => kswapd });
    k.tick();
    s.advance(600e6);
    k.tick();
    expect(s.moves).toEqual([]);
    kswapd = false;
    // Free pageblock 2 whole: 512 of 1,471 free pages in a block of 512: score 65.
    for (let pfn = 1024; pfn < 1536; pfn++) {
      s.buddy.unuse(pfn);
      s.buddy.release(pfn, MOVABLE);
    }
    s.advance(600e6);
    k.tick();
    expect(s.moves).toEqual([]);
  });
});

describe('kcompactd in the memory model (6.1-cfs-buddy on the validation guest zones)', () => {
  it('migrates LRU pages while an anonymous workload swaps through zswap, and every frame stays held once', () => {
    const m = testMachine({ ramPages: 52685, seed: 9, zones: { managed: [3840, 48845], minFreeKbytes: 1824 }, reclaim: getReclaim('6.1-cfs-buddy'), factory: zswapFactory });
    m.swapon(0, 200_000, true);
    m.insmod('zswap', { era: '6.1', zpool: 'zsmalloc', compressor: 'lz4', max_pool_percent: 20 });
    let gen = 1;
    for (let p = 0; p < 70_000; p++) {
      m.memory.anonAccess(1, p, true, makeDesc(Cls.Text, gen++));
      m.afterEvent();
    }
    for (let p = 0; p < 35_000; p++) {
      m.memory.anonAccess(1, p, false, 0);
      m.afterEvent();
    }
    // Proactive compaction ran (the node's free memory is in small blocks) and moved pages.
    expect(m.stats.compact_migrate_scanned).toBeGreaterThan(0);
    expect(m.stats.pgmigrate_success).toBeGreaterThan(0);
    expect(() => m.memory.checkFrames()).not.toThrow();
    // The check is not vacuous: a page's frame given to nobody is found.
    const owner = (m.memory as unknown as { pfnOwner: Int32Array }).pfnOwner;
    const pfn = owner.findIndex((id) => id >= 0);
    owner[pfn] = -1;
    expect(() => m.memory.checkFrames()).toThrow(/frame/);
  });

  it('reports compaction counters only where the model compacts: absent, not 0, without zones', () => {
    const zoned = testMachine({ ramPages: 52685, zones: { managed: [3840, 48845], minFreeKbytes: 1824 }, reclaim: getReclaim('6.1-cfs-buddy') });
    const plain = testMachine({ ramPages: 52685, reclaim: getReclaim('6.1-cfs-buddy') });
    expect(zoned.memory.compacts).toBe(true);
    expect(plain.memory.compacts).toBe(false);
    expect(snapshotMark(zoned, 'm').vmstat['pgmigrate_success']).toBe(0);
    expect('pgmigrate_success' in snapshotMark(plain, 'm').vmstat).toBe(false);
  });
});
