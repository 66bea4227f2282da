/**
 * The buddy allocator of the 6.1-cfs-buddy model (src/mm/buddy.ts, mm/page_alloc.c of 6.1) and
 * the per-CPU lists' sizes (src/mm/pcp.ts):
 * - a property against an independent record of the frames handed out: no frame twice, every
 *   frame within its zone, the free count exact, and once everything is freed the free blocks
 *   are the boot's again (every buddy merged back);
 * - fallbacks between migratetypes computed by hand: a whole block changes type without a
 *   boost; a movable allocation takes one buddy of an unmovable block and boosts; an unmovable
 *   one moves a movable block's free pages and takes the block when they are half of it;
 * - the free lists' order, by hand: a freed block to the tail when buddy_merge_likely, else to
 *   the head; a stolen pageblock's free blocks to the tail of the new lists, in frame order;
 * - the per-CPU lists' high marks and batches of the 6.1 guest the validation cases ran on;
 * - through the memory model with zswap on zbud: the zones' free pages add up, fallbacks boost
 *   the watermarks, and the oracle finds nothing stale or lost;
 * - the slab's pages on unmovable frames: counted by hand (64 zswap entries a page), allocated
 *   at the next allocation or mark and given back as the entries go;
 * - order-1 blocks (the swap cache's xarray nodes' slabs) against an independent record of the
 *   frames: aligned pairs, each frame once, and a block refused exactly when no aligned pair of
 *   the zone is free; the per-CPU order-1 lists' refill and their place in the bulk free's round
 *   robin, by hand; through the memory model, the nodes' slabs on reclaimable order-1 blocks.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Buddy, type ZoneBoot } from '../../../src/mm/buddy.js';
import { PcpLists, pcpBatch, pcpHigh } from '../../../src/mm/pcp.js';
import { getReclaim } from '../../../src/mm/reclaim/registry.js';
import { getBackendFactory } from '../../../src/backends/registry.js';
import { Cls, makeDesc } from '../../../src/content/page.js';
import { testMachine } from '../../helpers/machine.js';
import { UsageError } from '../../../src/errors.js';

const MOV = 0;
const UNMOV = 1;

/** An allocation as the memory model makes it: the frame, then put to use (its movability known to steals). */
function take(b: Buddy, z: number, t: 0 | 1 | 2, boost: () => void = () => {}): number {
  const pfn = b.alloc(z, t, boost);
  b.use(pfn, t);
  return pfn;
}
/** A frame freed as the memory model frees it: out of use, to its pageblock's list. */
function give(b: Buddy, pfn: number): void {
  b.unuse(pfn);
  b.release(pfn, b.typeOf(pfn));
}

describe('buddy allocator', () => {
  it('hands out each frame once, counts its free pages, and merges every buddy back', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.boolean(), fc.nat()), { minLength: 1, maxLength: 3000, size: 'max' }), (ops) => {
        const sizes = [1500, 2600];
        const b = new Buddy(sizes);
        const boot = sizes.map((_, z) => b.freeBlocks(z));
        const held: [number, number, number][] = []; // [pfn, zone, type]
        const out = new Set<number>();
        for (const [alloc, zone1, k] of ops) {
          const z = zone1 ? 1 : 0;
          if (alloc || held.length === 0) {
            const t = k % 2 === 0 ? MOV : UNMOV;
            const pfn = take(b, z, t);
            if (out.size - held.filter((h) => h[1] !== z).length >= sizes[z]!) {
              expect(pfn).toBe(-1);
              continue;
            }
            expect(pfn).toBeGreaterThanOrEqual(0);
            expect(out.has(pfn)).toBe(false);
            expect(b.zoneOf(pfn)).toBe(z);
            out.add(pfn);
            held.push([pfn, z, t]);
          } else {
            const [pfn] = held.splice(k % held.length, 1)[0]!;
            out.delete(pfn);
            give(b, pfn);
          }
          for (let zz = 0; zz < 2; zz++) expect(b.nrFree[zz]).toBe(sizes[zz]! - held.filter((h) => h[1] === zz).length);
        }
        for (const [pfn] of held) give(b, pfn);
        expect(sizes.map((_, z) => b.freeBlocks(z))).toEqual(boot);
      }),
      { numRuns: 40, seed: 3 },
    );
  });

  it('gives a whole free block to the other migratetype without a boost', () => {
    // 2048 frames: two order-10 blocks, four pageblocks, all movable at boot.
    const b = new Buddy([2048]);
    let boosts = 0;
    const pfn = take(b, 0, UNMOV, () => boosts++);
    // The largest movable buddy (order 10) changes type whole: its two pageblocks are unmovable.
    expect(boosts).toBe(0);
    expect(b.blocksOf(0, UNMOV)).toBe(2);
    expect(b.typeOf(pfn)).toBe(UNMOV);
    expect(b.typeOf(pfn ^ 1024)).toBe(MOV);
  });

  it('lets a movable allocation take one buddy of an unmovable block, and boosts', () => {
    const b = new Buddy([2048]);
    let boosts = 0;
    const boost = (): void => void boosts++;
    const unmov: number[] = [];
    for (let i = 0; i < 1024; i++) unmov.push(take(b, 0, UNMOV, boost)); // one order-10 block, all of it
    const mov: number[] = [];
    for (let i = 0; i < 1024; i++) mov.push(take(b, 0, MOV, boost)); // the other, all of it
    expect(boosts).toBe(0);
    expect(new Set([...unmov, ...mov]).size).toBe(2048);
    // One unmovable page goes back to its block's list: the only free page of the zone.
    const f = unmov[5]!;
    give(b, f);
    expect(b.typeOf(f)).toBe(UNMOV);
    // A movable allocation finds no movable page, may not steal at order 0: that buddy moves to
    // the movable list alone (single_page), the zone's watermark is boosted, the block stays.
    expect(take(b, 0, MOV, boost)).toBe(f);
    expect(boosts).toBe(1);
    expect(b.blocksOf(0, UNMOV)).toBe(2);
    expect(b.nrFree[0]).toBe(0);
  });

  it('lets an unmovable allocation take a movable block whose free pages are half of it, and boosts', () => {
    // 1024 frames: two pageblocks, [0, 512) and [512, 1024).
    const b = new Buddy([1024]);
    let boosts = 0;
    const boost = (): void => void boosts++;
    for (let i = 0; i < 1024; i++) take(b, 0, MOV, boost);
    // 300 pages of the second pageblock come back: buddies of at most order 7 (128 aligned pages).
    for (let p = 600; p < 900; p++) give(b, p);
    expect(b.freeBlocks(0).slice(7)).toEqual([2, 0, 0, 0]);
    const pfn = take(b, 0, UNMOV, boost);
    // The largest movable buddy is of order 7 < pageblock_order: a boost; the unmovable
    // allocation may steal, so all 300 free pages move, and 300 free + 0 alike (the other 212
    // are movable) >= 256: the pageblock is unmovable now. The page comes from them.
    expect(boosts).toBe(1);
    expect(b.typeOf(600)).toBe(UNMOV);
    expect(b.typeOf(100)).toBe(MOV);
    expect(pfn).toBeGreaterThanOrEqual(600);
    expect(pfn).toBeLessThan(900);
    expect(b.nrFree[0]).toBe(299);
  });

  it('puts a freed block whose merge one order up is likely at the tail of its list (buddy_merge_likely), others at the head', () => {
    const b = new Buddy([1024]);
    for (let i = 0; i < 1024; i++) take(b, 0, MOV);
    // 4-7 come back and merge into an order-2 block (its buddy 0-3 is in use).
    for (const p of [4, 5, 6, 7]) give(b, p);
    // 200-201: an order-1 block whose order-2 neighbour 204-207 is in use: to the head.
    give(b, 200);
    give(b, 201);
    // 2-3: an order-1 block whose buddy 0-1 is in use but whose order-2 neighbour 4-7 is free: a
    // merge is likely once 0-1 come back, so it goes to the tail, behind 200.
    give(b, 2);
    give(b, 3);
    // 100 alone: its order-1 neighbour 102-103 is in use, to the head of the order-0 list.
    give(b, 100);
    // Allocations take the smallest order, at its head: 100, then 200 split (200, then 201), then 2.
    expect([take(b, 0, MOV), take(b, 0, MOV), take(b, 0, MOV), take(b, 0, MOV)]).toEqual([100, 200, 201, 2]);
  });

  it('moves a stolen pageblock\'s free blocks to the tail of the new lists, in frame order (move_to_free_list)', () => {
    const b = new Buddy([1024]);
    for (let i = 0; i < 1024; i++) take(b, 0, MOV);
    for (const p of [600, 700, 800]) give(b, p);
    // An unmovable allocation falls back to the movable order-0 list and may steal: the three free
    // pages of pageblock 512-1023 move, each to the tail, so the unmovable list is 600, 700, 800
    // and the allocation takes its head. (3 free pages: the block stays movable.)
    expect(take(b, 0, UNMOV)).toBe(600);
    expect(b.typeOf(600)).toBe(MOV);
    expect([take(b, 0, UNMOV), take(b, 0, UNMOV)]).toEqual([700, 800]);
  });

  it('leaves the block movable when its free pages are under half of it', () => {
    const b = new Buddy([1024]);
    let boosts = 0;
    for (let i = 0; i < 1024; i++) take(b, 0, MOV);
    for (let p = 640; p < 768; p++) give(b, p); // 128 free, 384 movable: under 256 free or alike
    take(b, 0, UNMOV, () => void boosts++);
    expect(boosts).toBe(1);
    expect(b.typeOf(640)).toBe(MOV);
    expect(b.blocksOf(0, UNMOV)).toBe(0);
  });
});

describe('buddy allocator, order-1 blocks', () => {
  it('hands out aligned pairs, each frame once, refuses a pair exactly when no aligned pair is free, and merges back', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(3), fc.boolean(), fc.nat()), { minLength: 1, maxLength: 3000, size: 'max' }), (ops) => {
        const sizes = [1024, 1500];
        const b = new Buddy(sizes);
        const boot = sizes.map((_, z) => b.freeBlocks(z));
        const base = [0, 1024]; // zone 1 starts at the next MAX_ORDER-aligned frame
        const held: [number, number, number][] = []; // [pfn, zone, order]
        const out = new Set<number>();
        const pairFree = (z: number): boolean => {
          for (let p = base[z]!; p + 1 < base[z]! + sizes[z]!; p += 2) if (!out.has(p) && !out.has(p + 1)) return true;
          return false;
        };
        for (const [op, zone1, k] of ops) {
          const z = zone1 ? 1 : 0;
          if (op > 0 || held.length === 0) {
            const order = op === 1 ? 0 : 1;
            const t = (k % 3) as 0 | 1 | 2;
            const free = sizes[z]! - held.filter((h) => h[1] === z).reduce((a, h) => a + (1 << h[2]), 0);
            const could = order === 0 ? free > 0 : pairFree(z);
            const pfn = b.alloc(z, t, () => {}, order);
            if (!could) {
              expect(pfn).toBe(-1);
              continue;
            }
            expect(pfn).toBeGreaterThanOrEqual(0);
            b.use(pfn, t, order);
            expect(pfn % (1 << order)).toBe(0);
            for (let f = pfn; f < pfn + (1 << order); f++) {
              expect(out.has(f)).toBe(false);
              expect(b.zoneOf(f)).toBe(z);
              out.add(f);
            }
            held.push([pfn, z, order]);
          } else {
            const [pfn, , order] = held.splice(k % held.length, 1)[0]!;
            for (let f = pfn; f < pfn + (1 << order); f++) out.delete(f);
            b.unuse(pfn, order);
            b.release(pfn, b.typeOf(pfn), order);
          }
          for (let zz = 0; zz < 2; zz++) expect(b.nrFree[zz]).toBe(sizes[zz]! - held.filter((h) => h[1] === zz).reduce((a, h) => a + (1 << h[2]), 0));
        }
        for (const [pfn, , order] of held) {
          b.unuse(pfn, order);
          b.release(pfn, b.typeOf(pfn), order);
        }
        expect(sizes.map((_, z) => b.freeBlocks(z))).toEqual(boot);
      }),
      { numRuns: 40, seed: 5 },
    );
  });

  it('takes a reclaimable pair by fallback: a whole free pageblock changes type without a boost; a smaller block boosts and steals its pageblock', () => {
    // One movable pageblock, all free (order 9): an order-1 reclaimable allocation falls back at
    // order 9 (>= pageblock order: the block changes type whole, no boost) and expands.
    const a = new Buddy([512]);
    let boosts = 0;
    const boost = (): void => void boosts++;
    expect(a.alloc(0, REC as 2, boost, 1)).toBe(0);
    expect(boosts).toBe(0);
    expect(a.typeOf(0)).toBe(REC);
    expect(a.freeBlocksOf(0, REC as 2)).toEqual([0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0]);
    // The same pageblock with one movable page taken (pfn 0): its free blocks are one of each
    // order 0-8. The fallback takes the largest (order 8 < pageblock order): a boost; a
    // reclaimable allocation may steal, so every free block of the pageblock moves to the
    // reclaimable lists, and with 511 of 512 pages free the pageblock turns reclaimable. The
    // pair then comes from the smallest reclaimable block of order 1 or more: pfns 2-3.
    const b = new Buddy([512]);
    const mv = b.alloc(0, MOV, () => {});
    b.use(mv, MOV);
    expect(mv).toBe(0);
    expect(b.freeBlocksOf(0, MOV)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0]);
    expect(b.alloc(0, REC as 2, boost, 1)).toBe(2);
    expect(boosts).toBe(1);
    expect(b.typeOf(0)).toBe(REC);
    expect(b.freeBlocksOf(0, MOV)).toEqual(new Array(11).fill(0));
    expect(b.freeBlocksOf(0, REC as 2)).toEqual([1, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0]);
  });
});

describe('per-CPU order-1 lists', () => {
  it('refill max(batch >> 1, 2) pairs, count 2 pages a pair, and come after the order-0 lists in the round robin', () => {
    const p = new PcpLists([{ high: 8, batch: 2 }]);
    const given: number[] = [];
    let next = 100;
    const fromBuddy = (): number => {
      const pfn = next;
      next += 2;
      given.push(pfn);
      return pfn;
    };
    // An empty order-1 list takes max(2 >> 1, 2) = 2 pairs; the first taken is the first given.
    expect(p.take(0, REC as 2, 1000, fromBuddy, 1)).toBe(100);
    expect(given).toEqual([100, 102]);
    expect(p.count[0]).toBe(2);
    // None left in the buddy allocator for a pair: -1, nothing taken.
    const p2 = new PcpLists([{ high: 8, batch: 2 }]);
    expect(p2.take(0, REC as 2, 1000, () => -1, 1)).toBe(-1);
    expect(p2.count[0]).toBe(0);
    // The bulk free: pairs count 2; the freeing list first, then pindex order wrapping from the
    // order-1 lists (pindex 3-5) to order 0's unmovable (0).
    const back: [number, number, number][] = [];
    const release = (pfn: number, t: number, order: number): void => void back.push([pfn, t, order]);
    p.free(0, UNMOV, 7, release); // count 3
    p.free(0, MOV, 8, release); // 4
    p.free(0, REC as 2, 200, release, 1); // 6 (the order-1 reclaimable list: 102, then 200)
    expect(back).toEqual([]);
    p.free(0, REC as 2, 202, release, 1); // 8 = high: nr_pcp_free 2 << 0 = 2 pages, from this list
    expect(back).toEqual([[102, REC, 1]]);
    back.length = 0;
    p.free(0, MOV, 9, release); // 7
    p.free(0, MOV, 10, release); // 8 = high: 4 pages (the factor doubled): movable 8, 9, 10, then reclaimable order 1's 200
    expect(back).toEqual([[8, MOV, 0], [9, MOV, 0], [10, MOV, 0], [200, REC, 1]]);
    expect(p.count[0]).toBe(3); // 7 (unmovable) and the pair 202
    back.length = 0;
    p.drain(release);
    expect(back).toEqual([[7, UNMOV, 0], [202, REC, 1]]);
  });
});

describe('the swap cache\'s nodes on order-1 blocks', () => {
  it('takes their slabs as reclaimable order-1 blocks, and gives them back as the slots go', () => {
    const m = zonedZswap('zsmalloc');
    const mem = m.memory;
    const buddy = mem.buddy!;
    // Every reclaimable frame in use is a node slab's (the slabs follow xaSlabPages at the next
    // allocation or mark), in pairs: the used reclaimable frames are whole order-1 blocks.
    const check = (): void => {
      mem.zoneStates();
      expect(buddy.usedFrames(REC as 2)).toBe(mem.xaSlabPages);
      expect(buddy.nrFree[0]).toBe(mem.zoneFree(0));
      expect(buddy.nrFree[1]).toBe(mem.zoneFree(1));
    };
    let most = 0;
    for (let p = 0; p < 70000; p++) {
      mem.anonAccess(1, p, true, makeDesc(Cls.Text, p + 1));
      m.afterEvent();
      if (p % 4999 === 0) check();
      most = Math.max(most, mem.xaSlabPages);
    }
    check();
    expect(most).toBeGreaterThan(0);
    // Counted here, frame by frame: reclaimable frames in use, all of them in aligned pairs.
    let used = 0;
    let pairs = 0;
    for (let pfn = 0; pfn < 60000; pfn += 2) {
      const a = buddy.usedAt(pfn) === 1 + REC;
      const b = buddy.usedAt(pfn + 1) === 1 + REC;
      used += Number(a) + Number(b);
      if (a && b) pairs++;
    }
    expect(used).toBe(mem.xaSlabPages);
    expect(pairs).toBe(mem.xaSlabPages / 2);
    // swapoff brings every page back and frees every slot: no node, no slab.
    m.swapoff(0);
    check();
    expect(mem.xaSlabPages).toBe(0);
  });
});

/** The validation guest's zones on 6.1-cfs-buddy, no swap, 20,000 anonymous pages: a balanced node kswapd can reclaim nothing from. */
function balancedAnonMachine(): ReturnType<typeof testMachine> {
  const m = testMachine({ ramPages: 52685, zones: { managed: [3840, 48845], minFreeKbytes: 1824 }, reclaim: getReclaim('6.1-cfs-buddy') });
  for (let p = 0; p < 20000; p++) {
    m.memory.anonAccess(1, p, true, makeDesc(Cls.Text, p + 1));
    m.afterEvent();
  }
  return m;
}

describe('boosted reclaim', () => {
  it('stops after a boosted pass that reclaimed nothing (balance_pgdat: nr_boost_reclaim && !nr_reclaimed), and takes the boost off', () => {
    // No swap and no page cache: kswapd can reclaim nothing. The node is balanced; a boost wakes
    // kswapd, whose boosted reclaim (no swap, no writeback) makes one pass and stops. (Without
    // the stop it would lower its priority through all twelve.)
    const m = balancedAnonMachine();
    const mem = m.memory;
    const passes = { n: 0 };
    const nodePass = mem.nodePass.bind(mem);
    mem.nodePass = (): void => {
      passes.n++;
      nodePass();
    };
    const before = m.stats.pageoutrun;
    mem.reclaim.boostWatermark!(1);
    expect(mem.reclaim.zoneBoost!(1)).toBeGreaterThan(0);
    mem.reclaim.kswapd();
    expect(m.stats.pageoutrun).toBe(before + 1);
    expect(passes.n).toBe(1);
    expect(mem.reclaim.zoneBoost!(1)).toBe(0);
  });

  it('loses a wake-up that comes while kswapd runs: a node balanced at the end sleeps, its new boost kept for the next wake (wakeup_kswapd, kswapd_try_to_sleep)', () => {
    // The same balanced machine. A boost wakes kswapd; during its run's one pass an allocation
    // falls back and boosts again (steal_suitable_fallback → boost_watermark; rmqueue's
    // wakeup_kswapd finds kswapd off its wait queue). The run takes off only the boost it began
    // with (zone_boosts[]); the node is balanced above the boost that is left, so kswapd sleeps
    // and the event's end starts no run. A later boost wakes it, and that run takes both off.
    const m = balancedAnonMachine();
    const mem = m.memory;
    const PAGEBLOCK = 512;
    // DMA32's high watermark 632: boost_watermark's most is 150 % of it (watermark_boost_factor 15000).
    const maxBoost = Math.floor((632 * 15000) / 10000);
    let boostInRun = true;
    const nodePass = mem.nodePass.bind(mem);
    mem.nodePass = (): void => {
      if (boostInRun) mem.reclaim.boostWatermark!(1);
      boostInRun = false;
      nodePass();
    };
    const before = m.stats.pageoutrun;
    mem.reclaim.boostWatermark!(1);
    mem.reclaim.kswapd();
    expect(m.stats.pageoutrun).toBe(before + 1);
    expect(mem.reclaim.zoneBoost!(1)).toBe(maxBoost - PAGEBLOCK);
    // The event's end (kswapd_try_to_sleep found the node balanced): no run.
    m.afterEvent();
    mem.reclaim.kswapd();
    expect(m.stats.pageoutrun).toBe(before + 1);
    expect(mem.reclaim.zoneBoost!(1)).toBe(maxBoost - PAGEBLOCK);
    // A new fallback's boost wakes the sleeping kswapd; its run takes every boost off.
    mem.reclaim.boostWatermark!(1);
    mem.reclaim.kswapd();
    expect(m.stats.pageoutrun).toBe(before + 2);
    expect(mem.reclaim.zoneBoost!(1)).toBe(0);
  });
});

describe('per-CPU list sizes', () => {
  it("are the 6.1 guest's (/proc/zoneinfo pagesets: DMA32 high 527 batch 15, DMA 41 and 1)", () => {
    // zone_batchsize from the managed pages, zone_highsize from the low watermark (one CPU).
    expect(pcpBatch(48845)).toBe(15);
    expect(pcpHigh(527, 15)).toBe(527);
    expect(pcpBatch(3840)).toBe(1);
    expect(pcpHigh(41, 1)).toBe(41);
  });
});

/** The validation guest's zones (256 MiB: DMA and DMA32) on 6.1-cfs-buddy, a swap area and 6.1's zswap on `zpool`. */
function zonedZswap(zpool: string): ReturnType<typeof testMachine> {
  const m = testMachine({
    ramPages: 52685,
    zones: { managed: [3840, 48845], minFreeKbytes: 1824 },
    reclaim: getReclaim('6.1-cfs-buddy'),
    factory: getBackendFactory('zswap'),
  });
  m.swapon(0, 200000);
  m.insmod('zswap', { era: '6.1', zpool, compressor: 'lz4', max_pool_percent: 50 });
  return m;
}

describe('6.1-cfs-buddy through the memory model', () => {
  it("gives a lower zone booted from a recorded state its recorded free pages, and the highest zone the rest", () => {
    // DMA of the 6.1 guest: 3,840 managed, 3,808 free at the start (the kernel's own 32 are DMA's).
    const dma: ZoneBoot = {
      blocks: { unmovable: 1, movable: 7, reclaimable: 0 },
      free: { unmovable: [0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0], movable: [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 3], reclaimable: new Array(11).fill(0) },
    };
    const m = testMachine({ ramPages: 44472, zones: { managed: [3840, 48845], minFreeKbytes: 1824, boot: [dma, GUEST_DMA32] }, reclaim: getReclaim('6.1-cfs-buddy') });
    const mem = m.memory;
    expect(mem.zoneFree(0)).toBe(3808);
    expect(mem.zoneFree(1)).toBe(44472 - 3808);
    expect(mem.buddy!.nrFree).toEqual([3808, 44472 - 3808]);
    expect(mem.buddy!.freeBlocksOf(0, UNMOV)).toEqual(dma.free.unmovable);
    expect(mem.buddy!.freeBlocksOf(1, REC)).toEqual(GUEST_DMA32.free.reclaimable);
  });

  it("puts a block device's page cache on unmovable frames (GFP_USER), a filesystem's on movable ones", () => {
    const m = testMachine({ ramPages: 52685, zones: { managed: [3840, 48845], minFreeKbytes: 1824 }, reclaim: getReclaim('6.1-cfs-buddy') });
    const mem = m.memory;
    mem.setBlockDevice(1);
    const used = (t: 0 | 1): number => mem.buddy!.usedFrames(t);
    const [mov0, unmov0] = [used(MOV), used(UNMOV)];
    for (let i = 0; i < 300; i++) {
      mem.fileAccess(1, 7, i, false, 0);
      m.afterEvent();
    }
    // 300 pages read from the device: 300 unmovable frames more (the per-CPU lists' refills leave
    // no frame marked in use), and none movable.
    expect(used(UNMOV) - unmov0).toBe(300);
    expect(used(MOV) - mov0).toBe(0);
    for (let i = 0; i < 200; i++) {
      mem.fileAccess(2, 7, i, false, 0);
      m.afterEvent();
    }
    expect(used(MOV) - mov0).toBe(200);
    expect(used(UNMOV) - unmov0).toBe(300);
  });

  it('refuses, in one line, more pages on zones than its frame codes hold', () => {
    const big = (): unknown =>
      testMachine({ ramPages: 2 ** 26, zones: { managed: [3840, 2 ** 26 - 3840] }, reclaim: getReclaim('6.1-cfs-buddy'), factory: getBackendFactory('zswap') });
    expect(big).toThrow(UsageError);
    expect(big).toThrow(/more frames than the buddy allocator model holds/);
  });

  it("keeps the buddy allocator's free frames equal to the zones' free pages while zbud's pages steal pageblocks", () => {
    const m = zonedZswap('zbud');
    const mem = m.memory;
    // Two accountings: the zones' page counts (what the watermarks read) and the frames the buddy
    // allocator holds free. The slab's pages take unmovable frames at the next allocation (or a
    // mark); until then the highest zone counts the change.
    const check = (): void => {
      expect(mem.zoneFree(0) + mem.zoneFree(1)).toBe(mem.free);
      const pending = mem.slabPages - mem.slabFramePages;
      expect(mem.buddy!.nrFree[0]).toBe(mem.zoneFree(0));
      expect(mem.buddy!.nrFree[1]).toBe(mem.zoneFree(1) + pending);
      mem.zoneStates();
      expect(mem.slabFramePages).toBe(mem.slabPages);
      expect(mem.buddy!.nrFree[0]).toBe(mem.zoneFree(0));
      expect(mem.buddy!.nrFree[1]).toBe(mem.zoneFree(1));
    };
    for (let p = 0; p < 90000; p++) {
      mem.anonAccess(1, p, true, makeDesc(p % 3 === 0 ? Cls.Zero : Cls.Text, p + 1));
      m.afterEvent();
      if (p % 997 === 0) check();
    }
    for (let p = 0; p < 90000; p += 7) {
      mem.anonAccess(1, p, false, 0);
      m.afterEvent();
      if (p % 997 === 0) check();
    }
    expect(m.stats.pageoutrun).toBeGreaterThan(0);
    expect(mem.buddy!.fallbacks).toBeGreaterThan(0);
    expect(mem.buddy!.blocksOf(1, UNMOV)).toBeGreaterThan(0);
  });

  it("puts the slab's pages on unmovable frames and gives them back as the entries go", () => {
    const m = zonedZswap('zsmalloc');
    const mem = m.memory;
    const buddy = mem.buddy!;
    // Same-filled pages: zswap entries with no pool page, so the slab is the only kernel memory
    // (6.1: 64 entries of 64 bytes a slab page; no page tables, no pool pages).
    for (let off = 0; off < 64 * 5 + 1; off++) m.swapWrite(0, off, makeDesc(Cls.Zero, 0));
    expect(mem.slabPages).toBe(6);
    // Not allocated yet: the change counts in the highest zone until the next allocation or mark.
    expect(buddy.usedFrames(UNMOV)).toBe(0);
    expect(mem.zoneFree(1)).toBe(48845 - 6);
    mem.zoneStates();
    expect(mem.slabFramePages).toBe(6);
    expect(buddy.usedFrames(UNMOV)).toBe(6);
    expect(buddy.usedFrames(MOV)).toBe(0);
    // The first took a whole free block of MAX_ORDER - 1 (1,024 pages, two pageblocks) for the
    // unmovable lists (change_pageblock_range, no boost); the rest came from it.
    expect(buddy.blocksOf(1, UNMOV)).toBe(2);
    expect(buddy.fallbacks).toBe(1);
    expect(buddy.nrFree[0]).toBe(mem.zoneFree(0));
    expect(buddy.nrFree[1]).toBe(mem.zoneFree(1));
    // An anonymous fault (a movable page, and a page-table page) takes the slab's frames first.
    for (let off = 0; off < 64 * 5 + 1; off++) m.swapFree(0, off);
    expect(mem.slabPages).toBe(0);
    mem.anonAccess(1, 0, true, makeDesc(Cls.Text, 1));
    expect(mem.slabFramePages).toBe(0);
    expect(buddy.usedFrames(UNMOV)).toBe(2); // the page tables: a PTE page and a PMD page
    expect(mem.ptPages).toBe(2);
    expect(buddy.usedFrames(MOV)).toBe(1);
    expect(buddy.nrFree[0]).toBe(mem.zoneFree(0));
    expect(buddy.nrFree[1]).toBe(mem.zoneFree(1));
  });
});

/** DMA32 of the 6.1 validation guest at its start mark (recording 2026-12-06b, limit50-zbud run 1: /proc/pagetypeinfo). */
const GUEST_DMA32: ZoneBoot = {
  blocks: { unmovable: 12, movable: 102, reclaimable: 6 },
  free: {
    unmovable: [0, 1, 1, 0, 0, 1, 1, 0, 1, 0, 0],
    movable: [1, 1, 0, 4, 7, 7, 8, 8, 7, 2, 34],
    reclaimable: [1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0],
  },
};
const REC = 2;
const pagesOf = (blocks: readonly number[]): number => blocks.reduce((a, n, o) => a + n * 2 ** o, 0);

describe('buddy allocator booted from a guest state', () => {
  it("has the guest's free blocks on each migratetype's lists and its pageblocks", () => {
    const free = pagesOf(GUEST_DMA32.free.unmovable) + pagesOf(GUEST_DMA32.free.movable) + pagesOf(GUEST_DMA32.free.reclaimable);
    expect(free).toBe(40664); // the guest's DMA32 free pages
    const b = new Buddy([free], [GUEST_DMA32]);
    expect(b.nrFree[0]).toBe(free);
    expect(b.freeBlocksOf(0, UNMOV)).toEqual(GUEST_DMA32.free.unmovable);
    expect(b.freeBlocksOf(0, MOV)).toEqual(GUEST_DMA32.free.movable);
    expect(b.freeBlocksOf(0, REC)).toEqual(GUEST_DMA32.free.reclaimable);
    expect([b.blocksOf(0, UNMOV), b.blocksOf(0, MOV), b.blocksOf(0, REC)]).toEqual([12, 102, 6]);
    // The kernel's own frames are in use for good: 120 pageblocks less the free pages.
    expect(b.usedFrames(MOV) + b.usedFrames(UNMOV) + b.usedFrames(REC)).toBe(120 * 512 - free);
  });

  it('gives the model its own count of free pages: kernel frames freed, or pages taken', () => {
    const more = new Buddy([40700], [GUEST_DMA32]);
    expect(more.nrFree[0]).toBe(40700);
    const fewer = new Buddy([40600], [GUEST_DMA32]);
    expect(fewer.nrFree[0]).toBe(40600);
    // 64 pages taken from the smallest movable blocks: orders 0 and 1 (3 pages), the four of order
    // 3 (32), one of order 4 (16) and 13 of another, which leaves its last 3 as orders 1 and 0.
    expect(fewer.freeBlocksOf(0, MOV).slice(0, 6)).toEqual([1, 1, 0, 0, 5, 7]);
    // A zone larger than the recording's: movable pageblocks after the recorded ones, free.
    const larger = new Buddy([120 * 512 + 700], [GUEST_DMA32]);
    expect(larger.nrFree[0]).toBe(120 * 512 + 700);
    expect(larger.blocksOf(0, MOV)).toBe(104);
    // Free blocks that cannot be in their pageblocks.
    const tooMany: ZoneBoot = { ...GUEST_DMA32, free: { ...GUEST_DMA32.free, reclaimable: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4] } };
    expect(() => new Buddy([40000], [tooMany])).toThrow(/reclaimable free blocks .* do not fit the zone's 6 reclaimable pageblocks/);
  });

  it('hands out each frame once and merges every buddy back to the boot state, all three migratetypes', () => {
    let stole = 0;
    fc.assert(
      // Two allocations to a free, on average: the unmovable and reclaimable allocations outgrow
      // their lists' few hundred free pages in most runs, so steals are exercised too.
      fc.property(fc.array(fc.tuple(fc.nat({ max: 2 }), fc.nat()), { minLength: 1, maxLength: 6000, size: 'max' }), (ops) => {
        const b = new Buddy([40664], [GUEST_DMA32]);
        const boot = b.freeBlocks(0);
        const bootLists = [MOV, UNMOV, REC].map((t) => b.freeBlocksOf(0, t as 0 | 1 | 2));
        const held: number[] = [];
        const out = new Set<number>();
        for (const [dir, k] of ops) {
          if (dir !== 0 || held.length === 0) {
            const pfn = take(b, 0, (k % 3) as 0 | 1 | 2);
            expect(out.has(pfn)).toBe(false);
            out.add(pfn);
            held.push(pfn);
          } else {
            const pfn = held.splice(k % held.length, 1)[0]!;
            out.delete(pfn);
            give(b, pfn);
          }
          expect(b.nrFree[0]).toBe(40664 - held.length);
        }
        for (const pfn of held) give(b, pfn);
        // Every page back: the same frames free, merged into the same blocks as at boot (the boot
        // placed no free buddies side by side, so its blocks were whole; steals may have moved
        // blocks between the migratetypes' lists, not split them).
        expect(b.freeBlocks(0)).toEqual(boot);
        expect(pagesOf(boot)).toBe(40664);
        // Without a steal, every block is back on its own migratetype's list too.
        if (b.fallbacks === 0) expect([MOV, UNMOV, REC].map((t) => b.freeBlocksOf(0, t as 0 | 1 | 2))).toEqual(bootLists);
        else stole++;
      }),
      { numRuns: 25, seed: 7 },
    );
    expect(stole).toBeGreaterThan(5); // 11 of the 25 runs at seed 7
  });

  it("falls back in 6.1's fallbacks[] order: unmovable to reclaimable before movable, at the largest order", () => {
    // Zone of 2048 frames: pageblocks 0 unmovable, 1 reclaimable, 2-3 movable; free: an
    // order-3 reclaimable block and the movable order-10 block. No unmovable page is free.
    const boot: ZoneBoot = {
      blocks: { unmovable: 1, movable: 2, reclaimable: 1 },
      free: { unmovable: new Array(11).fill(0), movable: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], reclaimable: [0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0] },
    };
    let boosts = 0;
    const b = new Buddy([1032], [boot]);
    // The largest order first: order 10, where only movable has a block (a whole pageblock range: no boost).
    const pfn = take(b, 0, UNMOV, () => boosts++);
    expect(boosts).toBe(0);
    expect(b.typeOf(pfn)).toBe(UNMOV);
    expect(b.blocksOf(0, UNMOV)).toBe(3);
    // A reclaimable allocation: its own order-3 block.
    const b2 = new Buddy([1032], [boot]);
    expect(b2.typeOf(take(b2, 0, REC))).toBe(REC);
    expect(b2.fallbacks).toBe(0);
    // Without the movable block: an unmovable allocation takes from the reclaimable one (order 3
    // < pageblock order: a boost; it may steal, 8 free pages and no alike ones: the block stays).
    const small: ZoneBoot = { ...boot, free: { ...boot.free, movable: new Array(11).fill(0) } };
    const b3 = new Buddy([8], [small]);
    const p3 = take(b3, 0, UNMOV, () => boosts++);
    expect(boosts).toBe(1);
    expect(b3.typeOf(p3)).toBe(REC);
    expect(b3.freeBlocksOf(0, UNMOV)).toEqual([1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
  });
});

describe('per-CPU lists', () => {
  it("give pages back to the buddy allocator from the freeing page's list first, then round robin in pindex order", () => {
    const p = new PcpLists([{ high: 6, batch: 2 }]);
    const back: [number, number][] = [];
    const release = (pfn: number, t: number): void => void back.push([pfn, t]);
    // Two pages on each list (pfns 10+t), then a movable page reaches the high mark.
    for (const t of [REC, UNMOV]) for (let i = 0; i < 2; i++) p.free(0, t as 0 | 1 | 2, 10 * (t + 1) + i, release);
    p.free(0, MOV, 1, release);
    expect(back).toEqual([]);
    p.free(0, MOV, 2, release);
    // high 6 reached: nr_pcp_free = batch << free_factor (2), capped at high - batch (4): 2 pages,
    // the movable list's oldest. The next overflow frees 4: the movable list's two, then the next
    // list in pindex order after movable's (reclaimable, pindex 2; unmovable, pindex 0, would come
    // after it), each oldest first.
    expect(back).toEqual([[1, MOV], [2, MOV]]);
    back.length = 0;
    p.free(0, MOV, 3, release);
    p.free(0, MOV, 4, release);
    expect(back).toEqual([[3, MOV], [4, MOV], [30, REC], [31, REC]]);
  });
});
