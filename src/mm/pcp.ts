/**
 * The per-CPU page lists of Linux 6.1 (mm/page_alloc.c, struct per_cpu_pages), for one CPU.
 *
 * An order-0 page that is freed goes to its zone's list first (free_unref_page_commit), not to the
 * buddy allocator, and a list's pages are not in the zone's NR_FREE_PAGES: the count every
 * watermark check reads (zone_watermark_fast, pgdat_balanced, the slowpath). A list that reaches
 * its high mark gives nr_pcp_free pages back (free_pcppages_bulk: the freeing page's list first,
 * then the others round robin in pindex order: unmovable, movable, reclaimable); that count
 * doubles with each overflow while nothing is allocated (pcp->free_factor, halved by every
 * allocation). While kswapd reclaims the zone
 * (ZONE_RECLAIM_ACTIVE, from balance_pgdat's set_reclaim_active to its clear_reclaim_active) the
 * high mark is min(batch * 4, high) (nr_pcp_high). An allocation that passed the watermark check
 * takes a page from the list of its migratetype (rmqueue_pcplist); an empty list is first refilled
 * with `batch` pages from the buddy allocator (rmqueue_bulk, no watermark check), which is when
 * NR_FREE_PAGES drops. An allocation that fails after direct reclaim drains every list into the
 * buddy allocator and tries again (__alloc_pages_direct_reclaim → drain_all_pages).
 *
 * Sizes (zone_set_high_and_batch): batch = max(1, zone_batchsize), zone_batchsize =
 * rounddown_pow_of_two(b + b/2) - 1 with b = max(1, min(managed >> 10, 256) / 4); high =
 * max(low watermark / the node's CPUs, batch * 4) (zone_highsize with
 * percpu_pagelist_high_fraction 0). A 256 MiB one-CPU guest: DMA32 high 527, batch 15; DMA 41, 1
 * (read in the guest's /proc/zoneinfo, docs/validation.md).
 *
 * Lists: one per zone and migratetype of MIGRATE_PCPTYPES: movable (user pages, readahead,
 * zsmalloc's zspages), unmovable (page tables, zbud and z3fold pages, zswap's slab, zswap
 * writeback's GFP_KERNEL page) and reclaimable (the swap cache's xarray nodes); a freed page is
 * filed by its pageblock's migratetype (by its allocation's without frames).
 *
 * Order-1 blocks (the swap cache's xarray nodes' slabs) have lists of their own, after the
 * order-0 ones in pindex order (order_to_pindex), refilled max(batch >> 1, 2) blocks at a time.
 *
 * Deviations: one CPU (tmemsim runs its tasks on one); lists of orders 0 and 1 only (6.1 has them
 * per order up to PAGE_ALLOC_COSTLY_ORDER, and for THP; tmemsim allocates nothing larger);
 * the per-CPU vmstat drift of NR_FREE_PAGES (stat_threshold) is not modelled.
 */

import { MOVABLE, RECLAIMABLE, TYPES, UNMOVABLE, type BlockType as MigrateType } from './buddy.js';

/** The lists' orders modelled: 0 and 1 (the swap cache's xarray nodes take order-1 slabs). */
const PCP_ORDERS = 2;
/** The migratetypes in the kernel's pindex order within an order (MIGRATE_UNMOVABLE, MIGRATE_MOVABLE, MIGRATE_RECLAIMABLE). */
const PINDEX: readonly MigrateType[] = [UNMOVABLE, MOVABLE, RECLAIMABLE];
/** Each migratetype's place in PINDEX. */
const PLACE: readonly number[] = Array.from({ length: TYPES }, (_, t) => PINDEX.indexOf(t as MigrateType));
/** order_to_pindex: a list's place in free_pcppages_bulk's round robin. */
function pindexOf(t: MigrateType, order: number): number {
  return order * TYPES + PLACE[t]!;
}
const LISTS = PCP_ORDERS * TYPES;
/** The migratetype and the order of the list at a pindex. */
function listType(pindex: number): MigrateType {
  return PINDEX[pindex % TYPES]!;
}
function listOrder(pindex: number): number {
  return (pindex / TYPES) | 0;
}

/** zone_batchsize, as zone_set_high_and_batch uses it (at least 1). */
export function pcpBatch(managed: number): number {
  let b = Math.floor(Math.min(managed >> 10, (1 << 20) / 4096) / 4);
  if (b < 1) b = 1;
  const x = b + (b >> 1);
  let p = 1;
  while (p * 2 <= x) p *= 2;
  return Math.max(1, p - 1);
}

/** zone_highsize: the zone's low watermark split over the node's CPUs, at least 4 batches. */
export function pcpHigh(lowWmark: number, batch: number, cpus = 1): number {
  return Math.max(Math.floor(lowWmark / cpus), batch << 2);
}

export interface PcpSize {
  readonly high: number;
  readonly batch: number;
}

export class PcpLists {
  /** Pages on each zone's lists (pcp->count: an order-1 block counts 2). */
  readonly count: Int32Array;
  /** Each zone's lists in pindex order (zone * LISTS + pindex): their blocks' first frames (pfns; -1 without frames), last freed last. */
  private readonly list: number[][];
  private readonly freeFactor: Int32Array;
  private high: Int32Array;
  private batch: Int32Array;
  /** ZONE_RECLAIM_ACTIVE on every zone (kswapd's balance_pgdat reclaims all of them here). */
  reclaimActive = false;
  /** Pages on every list. */
  total = 0;

  constructor(sizes: readonly PcpSize[]) {
    const n = sizes.length;
    this.count = new Int32Array(n);
    this.list = Array.from({ length: n * LISTS }, () => []);
    this.freeFactor = new Int32Array(n);
    this.high = new Int32Array(n);
    this.batch = new Int32Array(n);
    this.resize(sizes);
  }

  /** New high marks and batches (the watermarks changed: zone_pcp_update). */
  resize(sizes: readonly PcpSize[]): void {
    for (let z = 0; z < sizes.length; z++) {
      this.high[z] = sizes[z]!.high;
      this.batch[z] = sizes[z]!.batch;
    }
  }

  /**
   * free_unref_page_commit: a block of 2^order pages of zone z (first frame `pfn`) goes on the list
   * of migratetype t (its pageblock's) and order; past the high mark some go to the buddy
   * allocator (free_pcppages_bulk: `release` gets each block's frame, list and order).
   */
  free(z: number, t: MigrateType, pfn: number, release: (pfn: number, t: MigrateType, order: number) => void, order = 0): void {
    const pindex = pindexOf(t, order);
    this.list[z * LISTS + pindex]!.push(pfn);
    this.count[z]! += 1 << order;
    this.total += 1 << order;
    const batch = this.batch[z]!;
    // nr_pcp_high
    const high = this.reclaimActive ? Math.min(batch << 2, this.high[z]!) : this.high[z]!;
    if (this.count[z]! < high) return;
    // nr_pcp_free
    let n: number;
    if (high < batch) n = 1;
    else {
      const maxFree = high - batch;
      n = batch << this.freeFactor[z]!;
      if (n < maxFree) this.freeFactor[z]!++;
      n = Math.min(Math.max(n, batch), maxFree);
    }
    this.bulkFree(z, pindex, n, release);
  }

  /**
   * free_pcppages_bulk: n pages (at most all of them) from the lists, the freeing list first, then
   * the others round robin in pindex order, each list's oldest blocks first until the count is
   * spent (an order-1 block takes 2 of it, and may take it below 0).
   */
  private bulkFree(z: number, pindex: number, n: number, release: (pfn: number, t: MigrateType, order: number) => void): void {
    let count = Math.min(n, this.count[z]!);
    for (let k = 0; count > 0 && k < LISTS; k++) {
      // The list's oldest blocks first (list_last_entry: free_unref_page_commit adds at the head).
      const pi = (pindex + k) % LISTS;
      const l = this.list[z * LISTS + pi]!;
      if (l.length === 0) continue;
      const lt = listType(pi);
      const order = listOrder(pi);
      let take = 0;
      while (count > 0 && take < l.length) {
        release(l[take]!, lt, order);
        take++;
        count -= 1 << order;
        this.count[z]! -= 1 << order;
        this.total -= 1 << order;
      }
      l.splice(0, take);
    }
  }

  /**
   * rmqueue_pcplist for an allocation of zone z, migratetype t and order 0 or 1 that passed its
   * watermark check: the block comes off the list (the one freed last), which an empty list first
   * refills from the buddy allocator (rmqueue_bulk, no watermark check): `batch` blocks for order 0
   * (at most `buddy`, the zone's free pages there), max(batch >> order, 2) for a higher order, as
   * many as `fromBuddy` gives (it takes one block and says its first frame, or -1). Returns the
   * block's first frame; -1 for an order-1 block the buddy allocator cannot give.
   */
  take(z: number, t: MigrateType, buddy: number, fromBuddy: () => number, order = 0): number {
    this.freeFactor[z]! >>= 1;
    const l = this.list[z * LISTS + pindexOf(t, order)]!;
    if (l.length === 0) {
      let batch = this.batch[z]!;
      if (order > 0 && batch > 1) batch = Math.max(batch >> order, 2);
      // An order-0 page the buddy allocator always has while its zone has a free page.
      const most = order === 0 ? Math.min(batch, buddy) : batch;
      for (let k = 0; k < most; k++) {
        const pfn = fromBuddy();
        if (pfn < 0) break;
        l.push(pfn);
      }
      if (l.length === 0) {
        if (order > 0) return -1;
        // The buddy allocator has nothing (an allocation without watermarks in an empty zone): a
        // page of another order-0 list if any, else one from nowhere (the model's overcommit).
        const o = PINDEX.map((ot) => this.list[z * LISTS + pindexOf(ot, 0)]!).find((ol) => ol.length > 0);
        if (o === undefined) return fromBuddy();
        this.count[z]!--;
        this.total--;
        return o.pop()!;
      }
      // rmqueue_bulk adds each block at the tail: the first one taken comes off the head next.
      l.reverse();
      this.count[z]! += l.length << order;
      this.total += l.length << order;
    }
    this.count[z]! -= 1 << order;
    this.total -= 1 << order;
    return l.pop()!;
  }

  /** drain_all_pages: every list to the buddy allocator (`release` gets each block's frame, list and order). */
  drain(release: (pfn: number, t: MigrateType, order: number) => void): void {
    this.list.forEach((l, i) => {
      const pi = i % LISTS;
      for (const b of l) release(b, listType(pi), listOrder(pi));
      l.length = 0;
    });
    this.count.fill(0);
    this.total = 0;
  }
}
