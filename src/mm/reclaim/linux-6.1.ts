/**
 * Page reclaim as in Linux 6.1 (TL:mm/vmscan.c, mm/swap.c, mm/workingset.c,
 * mm/page_alloc.c; the classic two-list LRU, CONFIG_LRU_GEN off as in the
 * 6.1 defconfig):
 *
 * - Four lists: inactive/active anon and file. New anonymous pages, swapped-in
 *   pages and page-cache fills go on the inactive list of their type (unless a
 *   refault activates them).
 * - Referenced bits: a touch of a mapped anonymous page sets its PTE young
 *   bit; a read()/write() of a cached file page is folio_mark_accessed: the
 *   first sets PG_referenced, the second activates an inactive page.
 * - shrink_folio_list / folio_check_references: a page with a young PTE is
 *   activated if it was already referenced, else marked referenced and kept;
 *   other pages are reclaimed (anon: a swap slot and swap_writepage; file:
 *   writeback if dirty, then cleancache_put and drop).
 * - shrink_active_list deactivates from the tail of an active list (clearing
 *   young bits, setting PG_workingset) when the inactive list is low
 *   (inactive_is_low: inactive * int_sqrt(10 * GB) < active) or its type
 *   refaulted since the last reclaim (may_deactivate).
 * - get_scan_count: SCAN_FILE without free swap or in cache_trim_mode,
 *   SCAN_ANON when file is tiny, SCAN_EQUAL at priority 0, else the fraction
 *   swappiness * (total+1)/(anon_cost+1) : (200-swappiness) * (total+1)/(file_cost+1)
 *   of each list's size >> priority; the costs are the pages written by
 *   reclaim (nr_pageout) and refaults of pages that were in the workingset
 *   (lru_note_cost), halved when they exceed a quarter of the LRU.
 * - shrink_lruvec scans the four lists SWAP_CLUSTER_MAX (32) pages at a time
 *   until the targets are scanned or nr_to_reclaim pages are reclaimed, then
 *   ages the anon active list if the inactive one is low.
 * - workingset: an evicted page leaves a shadow entry (the node's
 *   nonresident_age at eviction and PG_workingset); a refault with distance
 *   age_now - age_then <= the workingset size (active file, plus inactive file
 *   for anon, plus the anon lists while swap has room) is activated;
 *   nonresident_age moves on every eviction and activation. The page cache's
 *   shadows sit in 64-index xarray nodes; after each shrink_node the shadow-node
 *   shrinker frees the oldest nodes holding only shadows beyond one node per 8
 *   LRU and slab pages (mm/page-cache.ts, workingset_nodereclaim). Anonymous
 *   shadows (the swap cache's) are not on that list in a 6.1 guest (its
 *   workingset_nodes stays 0 through 100,000 anonymous refaults) and go with
 *   their swap slot.
 * - Zones and watermarks (mm/page_alloc.c): the node's zones (config.zones:
 *   DMA, DMA32, Normal, lowest first; one zone without it), each with its
 *   managed pages. __setup_per_zone_wmarks: min_free_kbytes (config, else
 *   calculate_min_free_kbytes: clamp(int_sqrt(16 * lowmem_kbytes), 128,
 *   262144)) shared in proportion to managed pages: min; low = min +
 *   max(min/4, managed * watermark_scale_factor(10) / 10000); high = min + 2 *
 *   that. setup_per_zone_lowmem_reserve: a zone keeps the managed pages of the
 *   zones above it / sysctl_lowmem_reserve_ratio (256 for DMA and DMA32) from
 *   allocations that could use a higher zone. zone_watermark_ok: a zone passes
 *   a mark when its free pages exceed the mark plus that reserve.
 * - Page allocation (get_page_from_freelist over the zonelist, the highest
 *   zone first): the first zone above its low watermark; else kswapd is woken
 *   (wake_all_kswapds, unless a zone is balanced) and the first zone above
 *   its min watermark; else direct reclaim, and min again. A pool page
 *   (zswap's __GFP_NORETRY | __GFP_KSWAPD_RECLAIM) takes low, wakes kswapd,
 *   then min, with no direct reclaim; under PF_MEMALLOC (the reclaim path's
 *   own stores) then any free page, the highest zone first. kswapd is balanced (pgdat_balanced) when any
 *   zone is above its high watermark; it reclaims nr_to_reclaim = the sum over
 *   the zones of max(high, SWAP_CLUSTER_MAX) per shrink_node. With the x86-64
 *   layout a user page comes from DMA only while DMA32 is at its low watermark,
 *   and DMA keeps its lowmem reserve (48845 / 256 = 190 pages in a 256 MiB
 *   guest) free: memory the workload never gets.
 * - Watermark boosting (6.1-cfs-buddy only, mm/page_alloc.c boost_watermark,
 *   mm/vmscan.c balance_pgdat): a fallback between migratetypes that takes less
 *   than a pageblock raises the zone's min, low and high by a pageblock, up to
 *   watermark_boost_factor (150 %) of high, and wakes kswapd even on a balanced
 *   node, unless kswapd is running: a wake-up (this one or an allocation's) that
 *   comes during a run is lost when kswapd sleeps, boosts raised meanwhile
 *   included (wakeup_kswapd finds kswapd off its wait queue; kswapd_try_to_sleep);
 *   kswapd reclaims the boost without swapping while the node is balanced,
 *   starts over as normal reclaim when it is not, stops after a boosted pass
 *   that reclaimed nothing, and takes the boosts it started with off the zones
 *   when it ends. The per-CPU lists' sizes come from
 *   pcpSizes (zone_highsize, zone_batchsize for one CPU); an allocation that
 *   fails after a direct reclaim that made progress drains them and tries again.
 * - Swap writeback (mm/page_io.c swap_writepage, mm/vmscan.c pageout,
 *   mm/filemap.c folio_end_writeback, mm/swap.c folio_rotate_reclaimable):
 *   a page stored by frontswap (zswap) completes at once and is freed in the
 *   same pass; a page written to the swap device is submitted under the
 *   pass's block plug and pageout returns with it under writeback and
 *   PG_reclaim: `goto keep`, back to the inactive head, resident in the swap
 *   cache, unmapped (SwapCached). Its write completes once the plug has
 *   submitted it (a flush at 32 requests or a 128 KiB request, or
 *   blk_finish_plug at the pass's end), before the pass's next round of
 *   batches or the next pass: folio_end_writeback moves it to the inactive
 *   tail (PGROTATED; folio_rotate_reclaimable's batch, which the next
 *   shrink_inactive_list's lru_add_drain empties) and the next scan frees it
 *   as a clean swap-cache page (pgsteal counted then, its shadow entry left
 *   then), in the same pass when the pass goes on. A
 *   page met by a scan while still under writeback is activated with
 *   PG_reclaim (shrink_folio_list's case 2 for global reclaim).
 *   When the write completes: end_swap_bio_write runs in interrupt context
 *   once the device has served the request. tmemsim delivers the
 *   completions at the start of each round of shrink_lruvec's batches and
 *   at the pass's end: a write submitted so far (its plug flushed; a
 *   reclaimer switched out in its pass keeps its writes in its plug until it
 *   runs again, src/sim/tasks.ts) completes after the batch that wrote it
 *   has put every page back on its lists, so every page written rotates.
 *   Deviation: the device's time is not modelled; a round of batches (up to
 *   32 pages a list, each with its reclaim and scan cost, about 1 ms in the
 *   validation guest) is taken as longer than a write's service (a median of 571 µs
 *   there, docs/validation.md item 2). The kernel rotates 93-99 % of
 *   them (pgrotated / pswpout at the references' write marks); the others,
 *   most likely, completed while a scan (or compaction) held the page off
 *   its list, which the references cannot confirm.
 *   A page zswap writes back (zswap_writeback_entry: a new swap-cache page,
 *   PG_reclaim, written at once outside any plug) is the other way round:
 *   its write completes while folio_add_lru still holds it in the per-CPU
 *   lru_add batch, off the LRU, so it is not rotated and stays at the
 *   inactive head until reclaim comes round to it (zswapWriteDone). The
 *   6.12.95 guests rotated at most ~8 % of such pages; tmemsim none.
 * - Direct reclaim when a fault finds free memory at the min watermark
 *   (do_try_to_free_pages, nr_to_reclaim = 32, priority 12 down to 0); kswapd
 *   is woken below the low watermark and runs after the event (balance_pgdat:
 *   shrink_node with nr_to_reclaim = max(high, 32) until free memory reaches
 *   the high watermark, the priority raised when it scanned too little or
 *   reclaimed nothing). The '6.1-cfs' variant (the default) runs
 *   balance_pgdat as a task instead (kswapdWake, kswapdStep), preemptible
 *   between pages and between batches where the host's scheduler would switch
 *   (host.preemptPending), interleaved with the workload's events (sim/sched.ts Cfs):
 *   it may take the CPU at the end of an event and at each allocation in one
 *   (host.mightSleep: might_sleep in __alloc_pages, a preemption point under
 *   CONFIG_PREEMPT_VOLUNTARY), where a kswapd woken by an allocation before
 *   is made runnable. A kworker's GFP_KERNEL allocation (zswap's writeback)
 *   may reclaim as a task too (directBegin, directStep): do_try_to_free_pages
 *   preemptible between its pages, batches and passes, counted as direct
 *   reclaim; the allocation then goes on from after it (directEnd). The
 *   workload's own direct reclaim stops at the same cond_resched points
 *   (host.mightSleep, since 2026-12-06): where a switch is due, kswapd and the
 *   kworker run until the scheduler picks the workload again, its batch
 *   isolated meanwhile, so the two reclaimers' swap slots interleave as in a
 *   6.1 guest (docs/validation.md, the deflate case's readahead).
 * - kswapd's sleep (mm/vmscan.c kswapd, kswapd_try_to_sleep, prepare_kswapd_sleep,
 *   balance_pgdat, wakeup_kswapd): after balance_pgdat kswapd sleeps only on a
 *   balanced node or a hopeless one; on any other it runs balance_pgdat again at
 *   once, from the same wake-up. A run that did not find the node balanced and
 *   reclaimed nothing (a boosted one stopped for lack of progress included) counts
 *   a kswapd failure; at MAX_RECLAIM_RETRIES (16) the node is hopeless: no
 *   allocation or boost wakes kswapd until a shrink_node pass, kswapd's or a direct
 *   reclaimer's, reclaims a page (kswapd_failures = 0). Deviation: a pass's
 *   progress is its LRU pages (the kernel adds the slab pages its shrinkers freed).
 *   Its sleep begins with a short one, schedule_timeout(HZ/10) = 100 ms: a wake-up
 *   during it counts KSWAPD_LOW_WMARK_HIT_QUICKLY; at its end, on a node below the
 *   high watermark (no allocation need have gone below low) kswapd runs again
 *   unwoken (KSWAPD_HIGH_WMARK_HIT_QUICKLY), else it sleeps until woken. A run that
 *   leaves the node unbalanced (and not hopeless) has no short sleep at all: kswapd
 *   counts KSWAPD_HIGH_WMARK_HIT_QUICKLY and runs balance_pgdat again. Deviation:
 *   the short sleep's end is seen at the first preemption point or event's end
 *   after it, on the simulated clock (MmEnv.simNow), with the node as it is then.
 * - kswapd's order (kswapd_order, wakeup_kswapd, kswapd, kswapd_shrink_node): an
 *   allocation of a higher order that fails the low watermark (with frames: the swap
 *   cache's order-1 slabs; __zone_watermark_ok at an order wants its pages less one
 *   above the mark and a free block of the order on some list) records its order even
 *   while kswapd runs, and on a node balanced for it wakes kcompactd instead of a
 *   sleeping kswapd. balance_pgdat balances for that order until it has reclaimed
 *   compact_gap(order) = 2 << order pages, then for order 0, and returns the order it
 *   stopped at; kswapd tries to sleep for that order and, going to sleep, wakes
 *   kcompactd for the order it was woken for (wakeup_kcompactd ignores order 0).
 * - shrink_lruvec's stop (6.1, with 6.0's "fix extreme overreclaim and swap
 *   floods"): global direct reclaim at DEF_PRIORITY scans its whole targets
 *   (proportional_reclaim); any other stops once nr_to_reclaim is met, unless
 *   both types still have pages to scan: then the smaller type stops, the
 *   other's targets shrink in proportion, and one more batch runs (nudge).
 * - vmpressure (mm/vmpressure.c): each shrink_node pass reports the pages it
 *   scanned, and a direct reclaim at priority 3 or deeper reports critical
 *   pressure (vmpressure_prio: a whole window at once); the host's scheduler
 *   keeps the window and its work (sim/sched.ts Cfs.vmpressure).
 *
 * Deviations: the workload's allocation that finds no page at the min
 * watermark after its direct reclaim takes one anyway, below min, where
 * should_reclaim_retry would reclaim again (tried on 2026-12-05, the suite lost
 * 2 of 343: docs/validation.md); the kworker's retries after a jiffy's sleep
 * (directRetry, sim/tasks.ts: traced in 6.1 guests, 2026-12-08);
 * zones only as config.zones gives them (one zone by default);
 * the kernel's own pages (config.kernel_pages) and its slab all sit in the
 * highest zone; a pool page that goes back returns to the highest zone that
 * holds pool pages (pool pages are counted per zone, not tracked one by one);
 * no per-CPU page lists (pcp) and no watermark boosting; file pages are
 * never mapped (no VM_EXEC protection, no PTE references for file pages);
 * a swap write completes between
 * reclaim passes, never while its page is isolated (the kernel's 1-7 % of
 * written pages that are not rotated, which stay in the swap cache at the
 * inactive head until the list comes round, are not modelled); writeback of
 * dirty file pages completes synchronously, and reclaim writes dirty file
 * pages itself (the kernel leaves them to the flusher); the shadow shrinker
 * counts only the backend's slab with the LRU pages (the kernel's own slab is
 * not modelled) and leaf nodes only; no watermark boosting.
 */

import { grown } from '../../arrays.js';
import { KeyMap } from '../../keymap.js';
import type { LruSizes } from '../../backends/backend.js';
import { LruLists } from '../lru.js';
import { PAGE_CLUSTER } from '../swap-readahead.js';
import { PAGEBLOCK_ORDER, PAGEBLOCK_PAGES } from '../buddy.js';
import { pcpBatch, pcpHigh, type PcpSize } from '../pcp.js';
import { ANON, DEF_PRIORITY, Evicted, MAX_RECLAIM_RETRIES, FILE, VMPRESSURE_CRITICAL_PRIO, VMPRESSURE_WIN, type LruType, type Reclaim, type ReclaimFactory, type ReclaimHost, type Watermarks, type ZoneLayout } from './reclaim.js';

const IA = 0;
const AA = 1;
const IF = 2;
const AF = 3;
const inactiveOf = (t: LruType): number => (t === ANON ? IA : IF);
const activeOf = (t: LruType): number => (t === ANON ? AA : AF);
const typeOf = (l: number): LruType => (l < 2 ? ANON : FILE);

const PG_REFERENCED = 1;
const PTE_YOUNG = 2;
const PG_WORKINGSET = 4;
/** Marked for immediate reclaim when its writeback ends (pageout's folio_set_reclaim). */
const PG_RECLAIM = 8;
const PG_WRITEBACK = 16;

const SWAP_CLUSTER_MAX = 32;
/** kswapd_try_to_sleep's short sleep, HZ/10: 100 ms (25 jiffies at Debian's CONFIG_HZ=250). */
const KSWAPD_SHORT_SLEEP_NS = 100_000_000;

/** vm.min_free_kbytes as calculate_min_free_kbytes sets it: int_sqrt(16 * lowmem kB), clamped to 128..262144. */
export function defaultMinFreeKbytes(managedPages: number): number {
  return Math.min(262144, Math.max(128, intSqrt(managedPages * 4 * 16)));
}

/** vm.watermark_boost_factor's default: a zone's boost may reach 150 % of its high watermark. */
const WATERMARK_BOOST_FACTOR = 15000;

/** sysctl_lowmem_reserve_ratio: DMA, DMA32, then Normal (the highest zone's reserve against zones above is moot). */
const LOWMEM_RESERVE_RATIO = [256, 256, 32];

/**
 * One zone's watermarks (__setup_per_zone_wmarks) and its lowmem_reserve against the
 * allocations of the highest zone (setup_per_zone_lowmem_reserve: the managed pages of the
 * zones above it over its sysctl_lowmem_reserve_ratio; 0 for the highest zone).
 */
interface ZoneWatermarks extends Watermarks {
  reserve: number;
}

/** Every zone's watermarks from min_free_kbytes and the zones' managed pages (lowest zone first). */
export function zoneWatermarks61(managed: readonly number[], minFreeKbytes: number): ZoneWatermarks[] {
  const pagesMin = Math.floor(minFreeKbytes / 4);
  const lowmem = managed.reduce((a, b) => a + b, 0);
  return managed.map((pages, z) => {
    const min = lowmem > 0 ? Math.floor((pagesMin * pages) / lowmem) : 0;
    const tmp = Math.max(Math.floor(min / 4), Math.floor((pages * 10) / 10000));
    let above = 0;
    for (let u = z + 1; u < managed.length; u++) above += managed[u]!;
    const ratio = LOWMEM_RESERVE_RATIO[Math.min(z, LOWMEM_RESERVE_RATIO.length - 1)]!;
    const reserve = pages > 0 && z < managed.length - 1 ? Math.floor(above / ratio) : 0;
    return { min, low: min + tmp, high: min + 2 * tmp, reserve };
  });
}

function intSqrt(n: number): number {
  let r = Math.floor(Math.sqrt(n));
  while (r * r > n) r--;
  while ((r + 1) * (r + 1) <= n) r++;
  return r;
}

class Linux61 implements Reclaim {
  readonly name = '6.1';
  /** vm.page-cluster's default: swap readahead windows of up to 8 pages (VMA-based). */
  readonly pageCluster = PAGE_CLUSTER;
  /** do_wp_page reuses an exclusive anonymous page without freeing its swap cache (mm/memory.c, 5.19+). */
  readonly anonExclusive = true;
  /** __remove_mapping stores workingset_eviction's shadow in the swap cache (5.9+). */
  readonly swapCacheShadows = true;
  readonly swapSlotsCache = true;
  /** swap_writepage submits a bio and returns with the folio under writeback (mm/page_io.c). */
  readonly asyncWriteback = true;
  wmark: Watermarks;
  private readonly lru = new LruLists(4);
  private bits = new Uint8Array(1024);
  /** lruvec->anon_cost, file_cost. */
  private cost = [0, 0];
  /** lruvec->nonresident_age. */
  private age = 0;
  /** Refaults per type (WORKINGSET_ACTIVATE_BASE counts), and their snapshot at the end of the last reclaim (lruvec->refaults). */
  private refaults = [0, 0];
  private refaultsSnap = [0, 0];
  // Shadow entries (nonresident_age at eviction * 2 + PG_workingset) by page key: the swap cache's
  // here; the page cache's in its slots (host.pageCache, with their nodes and the shadow-node shrinker).
  private readonly anonShadows = new KeyMap();
  private kswapdWoken = false;
  /**
   * pgdat->kswapd_failures: balance_pgdat runs in a row that reclaimed nothing; at
   * MAX_RECLAIM_RETRIES the node is hopeless (wakeup_kswapd wakes no kswapd, which sleeps)
   * until a shrink_node pass, kswapd's or a direct reclaimer's, reclaims a page.
   */
  private kswapdFailures = 0;
  /**
   * kswapd is in kswapd_try_to_sleep's short sleep until this time (ns; -1: it runs, or sleeps
   * until woken), and when a wake-up came (the first since it slept; -1: none).
   */
  private shortSleepUntil = -1;
  private wokenAt = -1;
  /**
   * pgdat->kswapd_order: the highest order an allocation that woke kswapd (or found it running)
   * asked for since kswapd last read it; and the order its last balance_pgdat stopped reclaiming
   * at (kswapd_try_to_sleep's reclaim_order), which a wake-up in the short sleep puts back.
   */
  private kswapdOrder = 0;
  private sleepReclaimOrder = 0;
  /** kswapd's balance_pgdat while it runs as a task (kswapdWake .. kswapdStep's false). */
  private readonly kswapdRun = new ReclaimRun();
  /** The kworker's direct reclaim run in steps (directBegin .. directStep's false). */
  private readonly directRun = new ReclaimRun();
  /** What the kworker's reclaim in steps reclaimed, once it is done (directEnd hands it to the allocation). */
  private directResult = 0;
  /** What the kworker's reclaim in steps reclaimed, for the allocation it was for (-1: none came before it). */
  private directProgress = -1;
  /** Each zone's watermarks and lowmem reserve, lowest zone first; the last is the highest zone. */
  private zones: ZoneWatermarks[];
  /**
   * Each zone's watermark_boost (added to its min, low and high: min_wmark_pages & co.) and the
   * most it may reach (boost_watermark: watermark_boost_factor 15000 of the high watermark, at
   * least a pageblock; 0 for a zone under four pageblocks, which is never boosted).
   */
  private boost: number[] = [];
  private maxBoost: number[] = [];
  private readonly managed: number[];
  private readonly minFreeKbytes: number | undefined;
  /** The kernel's own pages (managed, but not the model's ramPages): they sit in the highest zone. */
  private readonly kernelShare: number;

  constructor(
    private readonly host: ReclaimHost,
    ramPages: number,
    private readonly swappiness: number,
    layout?: ZoneLayout,
    /** kswapd runs as a task beside the workload (the '6.1-cfs' model): see kswapdWake. */
    readonly kswapdTask = false,
    /** Pages go on frames of the buddy allocator, with watermark boosting and per-CPU lists (the '6.1-cfs-buddy' model). */
    readonly pageAllocator = false,
  ) {
    this.managed = layout ? [...layout.managed] : [ramPages];
    this.minFreeKbytes = layout?.minFreeKbytes;
    this.kernelShare = this.managed.reduce((a, b) => a + b, 0) - ramPages;
    this.zones = [];
    this.wmark = { min: 0, low: 0, high: 0 };
    this.setWatermarks();
  }

  /** The zones' watermarks for the current managed pages; wmark is their sum (the node's). */
  private setWatermarks(): void {
    const total = this.managed.reduce((a, b) => a + b, 0);
    this.zones = zoneWatermarks61(this.managed, this.minFreeKbytes ?? defaultMinFreeKbytes(total));
    this.maxBoost = this.zones.map((w, z) =>
      PAGEBLOCK_PAGES * 4 > this.managed[z]! ? 0 : Math.max(PAGEBLOCK_PAGES, Math.floor((w.high * WATERMARK_BOOST_FACTOR) / 10000)),
    );
    this.boost = this.zones.map((_, z) => Math.min(this.boost[z] ?? 0, this.maxBoost[z]!));
    const sum = (k: 'min' | 'low' | 'high'): number => this.zones.reduce((a, z) => a + z[k], 0);
    this.wmark = { min: sum('min'), low: sum('low'), high: sum('high') };
  }

  /**
   * get_page_from_freelist over the zonelist (the highest zone first) at a watermark: the
   * first zone whose free pages exceed the mark plus its lowmem reserve (zone_watermark_ok; for
   * a higher order the order's pages less one count as unusable, and a free block of at least
   * that order must be on some migratetype's list), or -1.
   */
  private zoneAbove(mark: 'min' | 'low' | 'high', order = 0): number {
    for (let z = this.zones.length - 1; z >= 0; z--) {
      const w = this.zones[z]!;
      // Named loads, not w[mark]: a load keyed by a string variable is a megamorphic keyed load
      // (a generic lookup, about a hundred instructions), and kswapd's check runs once an event.
      const level = mark === 'low' ? w.low : mark === 'min' ? w.min : w.high;
      const floor = level + w.reserve + this.boost[z]!;
      // Order 0 here (the check every event makes); a higher order through the buddy allocator's.
      if (order === 0 ? this.host.zoneFree(z) > floor : this.host.zoneWatermarkOk(z, order, floor)) return z;
    }
    return -1;
  }

  /** Zone z's watermark boost now (zone->watermark_boost), for the marks. */
  zoneBoost(z: number): number {
    return this.boost[z] ?? 0;
  }
  zoneWatermarks(z: number): { min: number; low: number; high: number; reserve: number } {
    return this.zones[z]!;
  }
  kswapdRunning(): boolean {
    return this.kswapdRun.running;
  }
  onLru(id: number): boolean {
    return this.lru.listOf(id) >= 0;
  }
  /** lru_cache_add of a migrated (or put back) page: the head of the list it was on, its bits kept. */
  migrated(id: number): void {
    if (this.lru.listOf(id) >= 0) this.lru.touch(id);
  }

  /**
   * boost_watermark, from steal_suitable_fallback (an allocation of zone z fell back to a pageblock
   * of another migratetype without taking it whole): the zone's boost grows by a pageblock up to
   * its most, and ZONE_BOOSTED_WATERMARK makes the allocation wake kswapd (rmqueue →
   * wakeup_kswapd, which a balanced node does not stop while it is boosted).
   */
  boostWatermark(z: number): void {
    if (this.maxBoost[z] === 0) return;
    this.boost[z] = Math.min(this.boost[z]! + PAGEBLOCK_PAGES, this.maxBoost[z]!);
    // rmqueue's wakeup_kswapd for ZONE_BOOSTED_WATERMARK.
    this.wake();
  }

  /** zone_set_high_and_batch for every zone (one CPU). */
  pcpSizes(): PcpSize[] {
    return this.zones.map((w, z) => {
      const batch = pcpBatch(this.managed[z]!);
      return { high: pcpHigh(w.low, batch), batch };
    });
  }

  /**
   * wakeup_kswapd's wake_up_interruptible: none for a hopeless node ("leave it to direct
   * reclaim"); one that comes while kswapd runs is lost when it sleeps (balanceSteps' end).
   */
  private wake(): void {
    if (this.hopeless()) return;
    if (!this.kswapdWoken && !this.kswapdRun.running) this.wokenAt = this.host.simNow();
    this.kswapdWoken = true;
  }

  /** kswapd_failures >= MAX_RECLAIM_RETRIES: "hopeless node, leave it to direct reclaim". */
  private hopeless(): boolean {
    return this.kswapdFailures >= MAX_RECLAIM_RETRIES;
  }

  private boosted(): boolean {
    for (const b of this.boost) if (b > 0) return true;
    return false;
  }

  /** pgdat_balanced: some zone is above its high watermark (plus its lowmem reserve) for `order`. */
  private balanced(order = 0): boolean {
    return this.zoneAbove('high', order) >= 0;
  }

  ensure(n: number): void {
    this.lru.ensure(n);
    if (n > this.bits.length) {
      let cap = this.bits.length;
      while (cap < n) cap *= 2;
      this.bits = grown(this.bits, cap);
    }
  }

  added(id: number, type: LruType, key: number, refault: boolean, mapped = true, fileShadow = -1): void {
    // A faulted-in anonymous page is mapped with its PTE young; one read ahead is not mapped.
    let b = type === ANON && mapped ? PTE_YOUNG : 0;
    let active = false;
    // The page took its slot back: a shadow there (on a refault) was read and dropped.
    let sh = fileShadow;
    if (type === ANON && refault) sh = this.anonShadows.delete(key);
    if (sh >= 0) {
      active = this.refault(type, sh);
      if (active && sh & 1) b |= PG_WORKINGSET;
    }
    this.bits[id] = b;
    this.lru.push(active ? activeOf(type) : inactiveOf(type), id);
    // A page-cache fill is read (or written) at once: folio_mark_accessed; one read ahead waits unreferenced.
    if (type === FILE && mapped) this.markAccessed(id);
  }

  /** workingset_refault: is the page's refault distance within the workingset? */
  private refault(type: LruType, shadow: number): boolean {
    const st = this.host.stats;
    if (type === ANON) st.workingset_refault_anon++;
    else st.workingset_refault_file++;
    const distance = this.age - Math.floor(shadow / 2);
    const s = this.lru.sizes;
    let ws = s[AF]!;
    if (type === ANON) ws += s[IF]!;
    if (this.host.canSwap()) {
      ws += s[AA]!;
      if (type === FILE) ws += s[IA]!;
    }
    if (distance > ws) return false;
    this.age++;
    this.refaults[type]!++;
    if (type === ANON) st.workingset_activate_anon++;
    else st.workingset_activate_file++;
    if (shadow & 1) {
      // The page was in the workingset before eviction: lru_note_cost_folio.
      this.noteCost(type, 1);
      st.workingset_restore++;
    }
    return true;
  }

  accessed(id: number, type: LruType): void {
    if (type === ANON) this.bits[id]! |= PTE_YOUNG;
    else this.markAccessed(id);
  }

  /**
   * folio_end_writeback: PG_reclaim set → folio_clear_reclaim and
   * folio_rotate_reclaimable, which moves a clean page that is on its LRU list
   * to the inactive tail (lru_move_tail_fn, clearing PG_active) and counts
   * PGROTATED; a dirty page, or one still isolated by a scan, only loses the flag.
   */
  writebackEnd(id: number, clean: boolean): void {
    const b = this.bits[id]!;
    this.bits[id] = b & ~(PG_WRITEBACK | PG_RECLAIM);
    if (!(b & PG_RECLAIM) || !clean) return;
    const l = this.lru.listOf(id);
    if (l < 0) return;
    this.lru.remove(id);
    this.lru.pushHead(inactiveOf(typeOf(l)), id);
    this.host.stats.pgrotated++;
  }

  testClearReclaim(id: number): boolean {
    const b = this.bits[id]!;
    if (!(b & PG_RECLAIM)) return false;
    this.bits[id] = b & ~PG_RECLAIM;
    return true;
  }

  /**
   * zswap_writeback_entry's page: __read_swap_cache_async added it with folio_add_lru, which
   * holds it in the per-CPU lru_add batch (PAGEVEC_SIZE: 15 in 6.1, 31 in 6.12), off the LRU
   * until the batch fills or is drained; SetPageReclaim, then the write. The write completes
   * before the batch drains: folio_end_writeback clears PG_reclaim, and
   * folio_rotate_reclaimable, finding the folio off the LRU, leaves it where the drain puts
   * it, the inactive list's head (added() put it there). So nothing changes here. Measured:
   * the 6.12.95 guests rotated 0–8 % of the pages zswap wrote back (their pgrotated less
   * reclaim's own device writes, docs/zswap.md); tmemsim rotates none (a deviation: the batch
   * and the write's time are not modelled).
   */
  zswapWriteDone(_id: number): void {}

  /** folio_mark_accessed. */
  private markAccessed(id: number): void {
    const b = this.bits[id]!;
    if (!(b & PG_REFERENCED)) {
      this.bits[id] = b | PG_REFERENCED;
      return;
    }
    // A referenced active page stays as it is.
    if (this.lru.listOf(id) !== IF) return;
    this.lru.remove(id);
    this.lru.push(AF, id);
    this.host.stats.pgactivate++;
    this.age++; // workingset_activation
    this.bits[id] = b & ~PG_REFERENCED;
  }

  removed(id: number, type: LruType, key: number): void {
    this.lru.remove(id);
    // A page-cache page's slot is the host's to empty.
    if (type === ANON) this.anonShadows.delete(key);
  }

  sizes(): LruSizes {
    const s = this.lru.sizes;
    return { activeFile: s[AF]!, inactiveFile: s[IF]!, activeAnon: s[AA]!, inactiveAnon: s[IA]! };
  }
  resident(type: LruType): number {
    return type === ANON ? this.lru.sizes[IA]! + this.lru.sizes[AA]! : this.lru.sizes[IF]! + this.lru.sizes[AF]!;
  }

  allocate(): number {
    // __alloc_pages: might_alloc (a preemption point: a kswapd woken by the allocation before may
    // run now), then the fast path at the low watermark.
    this.host.mightSleep();
    let z = this.lowThenMin();
    if (z >= 0) return z;
    // Then direct reclaim, and the min watermark again: the kworker's reclaim in steps
    // (directBegin) if it came just before this allocation, else a reclaim now.
    let progress = this.directProgress;
    this.directProgress = -1;
    if (progress < 0) {
      this.host.stats.allocstall++;
      progress = this.tryToFreePages();
    }
    z = this.zoneAfterReclaim(progress);
    if (z >= 0) return z;
    // Nothing above min even so (the kernel would retry or go OOM): the zone with the most free pages.
    if (this.host.free <= 0) this.host.stats.ram_overcommit++;
    return this.mostFree();
  }

  allocKernel(reserves: boolean, order = 0): number {
    // A pool page (zswap's __GFP_NORETRY | __GFP_KSWAPD_RECLAIM, no direct reclaim) or a slab
    // (the swap cache's nodes: xas_alloc's GFP_NOWAIT, an order-1 slab): the fast path at the low
    // watermark, then kswapd is woken for the order, then the min watermark, and then with
    // PF_MEMALLOC (the reclaim path's own stores) ALLOC_NO_WATERMARKS: any free page, no
    // lowmem reserve.
    // __alloc_pages_slowpath tries the min watermark (gfp_to_alloc_flags' ALLOC_WMARK_MIN) before
    // the reserves (__gfp_pfmemalloc_flags' ALLOC_NO_WATERMARKS): a zone above its min gives the page.
    let z = this.lowThenMin(order);
    if (z >= 0 || !reserves) return z;
    for (z = this.zones.length - 1; z >= 0; z--) if (this.host.zoneFree(z) > 0) return z;
    return -1;
  }

  /**
   * get_page_from_freelist at the low watermark (the fast path), then __alloc_pages_slowpath's
   * first steps: kswapd woken for the order (wake_all_kswapds) and the min watermark. The zone
   * that gives the page, or -1.
   */
  private lowThenMin(order = 0): number {
    const z = this.zoneAbove('low', order);
    if (z >= 0) return z;
    this.wakeupKswapd(order);
    return this.zoneAbove('min', order);
  }

  /**
   * wakeup_kswapd: the order is recorded (kswapd_order) even while kswapd runs, which then reads it
   * when it next tries to sleep; a sleeping kswapd is not woken on a hopeless node, nor on one
   * balanced for the order and not boosted, where a higher-order request wakes kcompactd instead
   * (the callers' gfp has no __GFP_DIRECT_RECLAIM: zswap's pool pages, the swap cache's nodes;
   * wakeup_kcompactd ignores order 0).
   */
  private wakeupKswapd(order: number): void {
    if (this.kswapdOrder < order) this.kswapdOrder = order;
    if (!this.kswapdRun.running && (this.hopeless() || (this.balanced(order) && !this.boosted()))) {
      if (order > 0) this.host.wakeupKcompactd(order);
      return;
    }
    this.wake();
  }

  private mostFree(): number {
    let best = this.zones.length - 1;
    for (let z = best - 1; z >= 0; z--) if (this.host.zoneFree(z) > this.host.zoneFree(best)) best = z;
    return best;
  }

  kswapd(): void {
    if (this.kswapdWake()) while (this.kswapdStep());
  }

  /** Reclaim.wakeIdle: the last kswapdWake found nothing to do and changed nothing. */
  wakeIdle = false;

  kswapdWake(): boolean {
    // Woken by an allocation that failed the low watermark everywhere (faults and pool pages
    // here); memory taken without an allocation (slab) wakes it the same way. A kswapd that is
    // running is not started again (wakeup_kswapd finds it off its wait queue).
    this.wakeIdle = false;
    if (this.kswapdRun.running) return false;
    const until = this.shortSleepUntil;
    if (until >= 0 && !this.kswapdWoken && this.host.simNow() >= until) {
      // The short sleep ran out unwoken (seen at the first preemption point or event's end
      // after it): prepare_kswapd_sleep again. A node that is neither balanced nor hopeless
      // sends kswapd back to balance_pgdat (KSWAPD_HIGH_WMARK_HIT_QUICKLY); else it sleeps
      // until woken.
      this.shortSleepUntil = -1;
      if (this.balanced(this.sleepReclaimOrder) || this.hopeless()) return false;
      this.host.stats.kswapd_high_wmark_hit_quickly++;
      this.kswapdRun.start(this.balanceSteps());
      return true;
    }
    if (this.hopeless() || (!this.kswapdWoken && this.zoneAbove('low') >= 0)) {
      // Nothing read here but the free pages, the watermarks and kswapd's own state.
      this.wakeIdle = true;
      return false;
    }
    const wokenAt = this.kswapdWoken ? this.wokenAt : this.host.simNow();
    this.kswapdWoken = false;
    this.wokenAt = -1;
    if (this.balanced(this.kswapdOrder) && !this.boosted()) return false;
    if (until >= 0 && wokenAt < until) {
      // Woken in its short sleep: schedule_timeout returned early (KSWAPD_LOW_WMARK_HIT_QUICKLY),
      // and kswapd_order keeps at least the order the last run stopped reclaiming at.
      this.host.stats.kswapd_low_wmark_hit_quickly++;
      if (this.kswapdOrder < this.sleepReclaimOrder) this.kswapdOrder = this.sleepReclaimOrder;
    }
    this.shortSleepUntil = -1;
    this.kswapdRun.start(this.balanceSteps());
    return true;
  }

  kswapdStep(): boolean {
    // A wake-up that came during the run finds kswapd off its wait queue (wakeup_kswapd), and
    // is gone when kswapd sleeps (balanceSteps' end: kswapd_try_to_sleep).
    return this.kswapdRun.step();
  }

  setRam(pages: number): void {
    // A balloon takes or gives pages of the highest zone.
    const lower = this.managed.slice(0, -1).reduce((a, b) => a + b, 0);
    this.managed[this.managed.length - 1] = Math.max(0, pages + this.kernelShare - lower);
    this.setWatermarks();
    if (this.zoneAbove('low') < 0) this.balancePgdat();
  }

  /**
   * do_try_to_free_pages as the allocating workload runs it: the kswapd its allocation woke may
   * take the CPU at the start, and at each cond_resched where a switch is due (between the
   * pages of a batch, between batches and passes) the other tasks run (host.mightSleep: with
   * CONFIG_PREEMPT_VOLUNTARY might_sleep and cond_resched are one preemption point) until the
   * scheduler picks the workload again. Without a task scheduler nothing switches: it runs whole.
   */
  private tryToFreePages(): number {
    this.host.mightSleep();
    const g = this.tryToFreePagesSteps();
    for (;;) {
      const r = g.next();
      if (r.done) return r.value;
      this.host.mightSleep();
    }
  }

  /**
   * do_try_to_free_pages: SWAP_CLUSTER_MAX pages, priority 12 down to 0, in steps: the reclaimer
   * (the workload or a kworker) is a task the host's scheduler may switch away from at its
   * cond_resched points (between the pages of a batch, between batches and between passes) when
   * host.preemptPending says so; without a task scheduler it never says so.
   */
  private *tryToFreePagesSteps(): Generator<Step, number> {
    let reclaimed = 0;
    for (let prio = DEF_PRIORITY; prio >= 0; prio--) {
      // vmpressure_prio: a direct reclaim this deep reports critical pressure at once.
      if (prio <= VMPRESSURE_CRITICAL_PRIO) this.host.vmpressure(VMPRESSURE_WIN);
      if (prio < DEF_PRIORITY && this.host.preemptPending()) yield Step.Batch;
      reclaimed += (yield* this.shrinkNode(prio, SWAP_CLUSTER_MAX - reclaimed, false, true, true)).reclaimed;
      if (reclaimed >= SWAP_CLUSTER_MAX) break;
    }
    this.snapshotRefaults();
    return reclaimed;
  }

  directBegin(): boolean {
    // __alloc_pages_slowpath as allocate() takes it, up to its direct reclaim: the low watermark,
    // kswapd woken, the min watermark; a page at either means no reclaim.
    this.directProgress = -1;
    if (this.lowThenMin() >= 0) return false;
    this.host.stats.allocstall++;
    this.directRun.start(this.directSteps());
    return true;
  }
  private *directSteps(): Generator<Step, void> {
    this.directResult = yield* this.tryToFreePagesSteps();
  }
  directEnd(): void {
    this.directProgress = this.directResult;
  }
  directStep(): boolean {
    return this.directRun.step();
  }
  directMidBatch(): boolean {
    return this.directRun.midBatch;
  }
  allocDone(): void {
    this.directProgress = -1;
  }
  directRetry(): boolean {
    return this.zoneAfterReclaim(this.directResult) < 0;
  }

  /**
   * __alloc_pages_direct_reclaim after a reclaim that freed `progress` pages: the min watermark,
   * and failing after progress, the per-CPU lists drained and the min watermark once more; -1:
   * no zone gives a page.
   */
  private zoneAfterReclaim(progress: number): number {
    const z = this.zoneAbove('min');
    if (z >= 0 || progress <= 0) return z;
    this.host.drainPcp();
    return this.zoneAbove('min');
  }

  kswapdMidBatch(): boolean {
    return this.kswapdRun.midBatch;
  }

  /** balance_pgdat at once (a balloon's shrink of RAM runs it, counted as kswapd's). */
  private balancePgdat(): void {
    drain(this.balanceSteps());
  }

  /**
   * kswapd's loop from a wake-up to its sleep: balance_pgdat, then kswapd_try_to_sleep, whose
   * prepare_kswapd_sleep lets it sleep on a balanced node or a hopeless one; on any other it
   * does not sleep and balance_pgdat runs again at once. The wake-ups that came meanwhile found
   * kswapd off its wait queue (wakeup_kswapd) and are gone, boosts raised during the runs
   * included: only a later one starts the next run.
   */
  private *balanceSteps(): Generator<Step, void> {
    let allocOrder = this.takeKswapdOrder();
    for (;;) {
      let reclaimOrder = yield* this.balancePgdatSteps(allocOrder);
      // A run that fell back to order 0 tries to sleep for the order it was woken for
      // (goto kswapd_try_sleep); else the loop's head reads kswapd_order afresh, as both orders.
      if (reclaimOrder >= allocOrder) allocOrder = reclaimOrder = this.kswapdOrder;
      // kswapd_try_to_sleep: prepare_kswapd_sleep for the order it reclaimed at.
      if (this.hopeless() || this.balanced(reclaimOrder)) {
        this.sleepReclaimOrder = reclaimOrder;
        // "We have freed the memory, now we should compact it to make allocation of the
        // requested order possible" (order 0: nothing).
        this.host.wakeupKcompactd(allocOrder);
        break;
      }
      // Not balanced: no sleep at all (neither prepare_kswapd_sleep says yes, nothing woke it).
      this.host.stats.kswapd_high_wmark_hit_quickly++;
      allocOrder = this.takeKswapdOrder();
    }
    this.kswapdWoken = false;
    this.wokenAt = -1;
    // prepare_kswapd_sleep said yes: the short sleep (schedule_timeout(HZ/10)) begins.
    this.shortSleepUntil = this.host.simNow() + KSWAPD_SHORT_SLEEP_NS;
  }

  /** kswapd(): the order the wake-ups asked for, read and cleared before balance_pgdat. */
  private takeKswapdOrder(): number {
    const order = this.kswapdOrder;
    this.kswapdOrder = 0;
    return order;
  }

  /**
   * balance_pgdat: reclaim until free memory reaches the high watermark. As a task, a step
   * ends at kswapd's cond_resched (between the pages of a batch in shrink_folio_list, between
   * batches in shrink_lruvec) where the host's scheduler would switch: the workload may run and
   * allocate there. A run that did not find the node balanced and reclaimed nothing counts a
   * kswapd failure (a boosted run that stopped for lack of progress included).
   */
  private *balancePgdatSteps(order: number): Generator<Step, number> {
    const h = this.host;
    h.kswapdRun(true);
    h.stats.pageoutrun++; // PAGEOUTRUN, once per balance_pgdat
    // The boosts at the start: reclaimed for (without swap or writeback) while the node is
    // balanced, and taken off the zones at the end.
    const boosts = this.boosted() ? [...this.boost] : null;
    let nrBoost = boosts === null ? 0 : boosts.reduce((a, b) => a + b, 0);
    let prio = DEF_PRIORITY;
    let total = 0;
    // sc.order: the order the run balances for, until it has reclaimed compact_gap(order).
    let scOrder = order;
    // `goto out`: the node was found balanced, which counts no failure.
    let out = false;
    while (prio >= 1) {
      const balanced = this.balanced(scOrder);
      if (!balanced && nrBoost > 0) {
        // An imbalanced node: boosting is ignored, normal reclaim starts over.
        nrBoost = 0;
        prio = DEF_PRIORITY;
      }
      if (nrBoost === 0 && balanced) {
        out = true;
        break;
      }
      // kswapd_shrink_node: max(high_wmark_pages, SWAP_CLUSTER_MAX) of every zone, boosts included.
      let nrToReclaim = 0;
      for (let z = 0; z < this.zones.length; z++) nrToReclaim += Math.max(this.zones[z]!.high + this.boost[z]!, SWAP_CLUSTER_MAX);
      const r = yield* this.shrinkNode(prio, nrToReclaim, true, nrBoost === 0);
      total += r.reclaimed;
      // kswapd_shrink_node: "If twice the allocation size has been reclaimed then recheck
      // watermarks only at order-0 to prevent excessive reclaim."
      if (scOrder > 0 && total >= 2 << scOrder) scOrder = 0;
      let raise = r.scanned < nrToReclaim;
      // Boosted reclaim keeps its priority from DEF_PRIORITY - 2 on (no reclaim writeback).
      if (nrBoost > 0 && prio === DEF_PRIORITY - 2) raise = false;
      if (nrBoost > 0) {
        nrBoost -= Math.min(nrBoost, r.reclaimed);
        if (nrBoost === 0 && balanced) break;
        // A boosted pass that reclaimed nothing ends the run (it may not swap or write back).
        if (nrBoost > 0 && r.reclaimed === 0) break;
      }
      if (raise || r.reclaimed === 0) prio--;
    }
    if (!out && total === 0) this.kswapdFailures++;
    if (boosts !== null) {
      for (let z = 0; z < boosts.length; z++) this.boost[z] = this.boost[z]! - Math.min(this.boost[z]!, boosts[z]!);
      // "As there is now likely space, wakeup kcompact to defragment pageblocks."
      h.wakeupKcompactd(PAGEBLOCK_ORDER);
    }
    this.snapshotRefaults();
    h.kswapdRun(false);
    // The order kswapd stopped reclaiming at, which prepare_kswapd_sleep takes.
    return scOrder;
  }

  private snapshotRefaults(): void {
    this.refaultsSnap[0] = this.refaults[0]!;
    this.refaultsSnap[1] = this.refaults[1]!;
  }

  private inactiveIsLow(type: LruType): boolean {
    const inactive = this.lru.sizes[inactiveOf(type)]!;
    const active = this.lru.sizes[activeOf(type)]!;
    const gb = (inactive + active) >> 18;
    const ratio = gb ? intSqrt(10 * gb) : 1;
    return inactive * ratio < active;
  }

  /**
   * shrink_node → prepare_scan_count, get_scan_count, shrink_lruvec. `kswapd` (current_is_kswapd):
   * its pages reclaimed count as PGSTEAL_KSWAPD (else PGSTEAL_DIRECT), and a step may end
   * after a batch that leaves work to do, when host.preemptPending says a switch is due (the
   * plug's held writes stay held while another task runs: the host sets them aside).
   */
  private *shrinkNode(prio: number, nrToReclaim: number, kswapd: boolean, maySwap = true, preempt = kswapd): Generator<Step, { scanned: number; reclaimed: number }> {
    const s = this.lru.sizes;
    const h = this.host;
    // prepare_scan_count
    const deactAnon = this.refaults[ANON] !== this.refaultsSnap[ANON] || this.inactiveIsLow(ANON);
    const deactFile = this.refaults[FILE] !== this.refaultsSnap[FILE] || this.inactiveIsLow(FILE);
    const cacheTrim = (s[IF]! >> prio) !== 0 && !deactFile;
    const fileIsTiny = s[IF]! + s[AF]! + h.free <= this.wmark.high && !deactAnon && (s[IA]! >> prio) !== 0;
    // get_scan_count
    const nr = [0, 0, 0, 0];
    // sc->may_swap (false in kswapd's boosted reclaim): get_scan_count's SCAN_FILE.
    const canSwap = maySwap && h.canSwap();
    let mode: 'file' | 'anon' | 'equal' | 'fract';
    if (!canSwap) mode = 'file';
    else if (prio === 0 && this.swappiness) mode = 'equal';
    else if (fileIsTiny) mode = 'anon';
    else if (cacheTrim) mode = 'file';
    else mode = 'fract';
    let ap = 0;
    let fp = 0;
    if (mode === 'fract') {
      let total = this.cost[ANON]! + this.cost[FILE]!;
      const anonCost = total + this.cost[ANON]!;
      const fileCost = total + this.cost[FILE]!;
      total = anonCost + fileCost;
      ap = Math.floor((this.swappiness * (total + 1)) / (anonCost + 1));
      fp = Math.floor(((200 - this.swappiness) * (total + 1)) / (fileCost + 1));
    }
    for (let l = 0; l < 4; l++) {
      const file = typeOf(l) === FILE;
      let scan = s[l]! >> prio;
      if (mode === 'fract') scan = ap + fp === 0 ? 0 : Math.floor((scan * (file ? fp : ap)) / (ap + fp));
      else if (mode === 'file' && !file) scan = 0;
      else if (mode === 'anon' && file) scan = 0;
      nr[l] = scan;
    }
    // shrink_lruvec, its swap writes plugged (blk_start_plug .. blk_finish_plug). Global direct
    // reclaim at DEF_PRIORITY scans its whole targets whatever it reclaims (proportional_reclaim);
    // any other stops once nr_to_reclaim is met, after one more batch of the type it scanned more
    // of when both types still had pages to scan (see nudge).
    const targets = nr.slice();
    const proportional = !kswapd && prio === DEF_PRIORITY;
    let reclaimed = 0;
    let scanned = 0;
    h.plug(true);
    while (nr[IA]! || nr[AF]! || nr[IF]!) {
      // The writes the plug submitted during the last round have completed: their pages rotate
      // to the inactive tail, where this round's batches find them (see the header).
      h.endWriteback();
      for (let l = 0; l < 4; l++) {
        if (!nr[l]) continue;
        const n = Math.min(nr[l]!, SWAP_CLUSTER_MAX);
        nr[l]! -= n;
        const t = typeOf(l);
        if (l === AA || l === AF) {
          if (t === ANON ? deactAnon : deactFile) this.shrinkActive(n, t);
        } else {
          const r = yield* this.shrinkInactive(n, t, kswapd, preempt);
          reclaimed += r.reclaimed;
          scanned += r.scanned;
        }
      }
      if (reclaimed >= nrToReclaim && !proportional && !nudge(nr, targets)) break;
      if (preempt && (nr[IA]! || nr[AF]! || nr[IF]!) && h.preemptPending()) yield Step.Batch;
    }
    h.plug(false);
    // blk_finish_plug submitted the last writes; they complete before the next pass (see the header).
    h.endWriteback();
    if (canSwap && this.inactiveIsLow(ANON)) this.shrinkActive(SWAP_CLUSTER_MAX, ANON);
    // shrink_node_memcgs: shrink_slab after the lruvec, at this pass's priority (sc->priority).
    h.shrinkSlab(nrToReclaim, { ...this.sizes(), priority: prio });
    // The shadow-node shrinker (count_shadow_nodes: one node per 8 LRU and slab pages).
    const before = h.pageCache.reclaimed;
    h.pageCache.shrink(s[0]! + s[1]! + s[2]! + s[3]! + h.slabPages);
    h.stats.workingset_nodereclaim += h.pageCache.reclaimed - before;
    // What the pass costs beyond its pages: shrink_slab's walk of every shrinker, the memcg
    // statistics' flush, vmpressure, the lruvec's setup (measured in the 6.1 guest with kprobes
    // on shrink_node: docs/validation.md item 2).
    h.nodePass();
    h.vmpressure(scanned);
    // A pass that reclaimed revives a dormant kswapd (shrink_node: kswapd_failures = 0).
    if (reclaimed > 0) this.kswapdFailures = 0;
    return { scanned, reclaimed };
  }

  /** isolate_lru_folios: up to n pages taken off the tail of list l (the least recently used first). */
  private isolate(l: number, n: number): number[] {
    const taken: number[] = [];
    for (let i = 0; i < n && this.lru.sizes[l]! > 0; i++) {
      const id = this.lru.head(l);
      this.lru.remove(id);
      taken.push(id);
    }
    return taken;
  }

  /** shrink_active_list: deactivate up to n pages from the tail of the active list. */
  private shrinkActive(n: number, type: LruType): void {
    const src = activeOf(type);
    const dst = inactiveOf(type);
    const taken = this.isolate(src, n);
    for (const id of taken) {
      // folio_referenced clears the young bit; no VM_EXEC file pages, so every page is deactivated.
      this.bits[id] = (this.bits[id]! & ~PTE_YOUNG) | PG_WORKINGSET;
      this.lru.push(dst, id);
    }
    this.host.stats.pgdeactivate += taken.length;
  }

  /**
   * shrink_inactive_list → shrink_folio_list on up to n pages from the tail. kswapd as a task
   * may be preempted between its pages (shrink_folio_list's cond_resched), its batch isolated.
   */
  private *shrinkInactive(n: number, type: LruType, kswapd: boolean, preempt: boolean): Generator<Step, { scanned: number; reclaimed: number }> {
    const l = inactiveOf(type);
    const taken = this.isolate(l, n);
    const h = this.host;
    h.warmEvict(taken, type);
    const chargeScans = h.scanCharged;
    h.stats.pgscan += taken.length;
    if (type === ANON) h.stats.pgscan_anon += taken.length;
    else h.stats.pgscan_file += taken.length;
    let reclaimed = 0;
    let pageout = 0;
    const keep: number[] = [];
    const activate: number[] = [];
    for (let i = 0; i < taken.length; i++) {
      if (preempt && i > 0 && h.preemptPending()) yield Step.Page;
      // Every page looked at costs the profile's mm.scanCycles (the guest's: shrink_folio_list's
      // work on a page it keeps, folio_check_references' reverse-map walk); a reclaimed one more.
      // Charged page by page, as kswapd may be preempted between pages; without a scan cost, no call.
      if (chargeScans) h.scanPage();
      const id = taken[i]!;
      const b = this.bits[id]!;
      if (b & PG_WRITEBACK) {
        // Still under writeback (case 2 of shrink_folio_list, global reclaim): PG_reclaim, activate_locked.
        this.bits[id] = b | PG_RECLAIM;
        activate.push(id);
        continue;
      }
      // folio_check_references
      const young = (b & PTE_YOUNG) !== 0;
      const referenced = (b & PG_REFERENCED) !== 0;
      if (young) {
        this.bits[id] = (b & ~PTE_YOUNG) | PG_REFERENCED;
        if (referenced) activate.push(id);
        else keep.push(id);
        continue;
      }
      // FOLIOREF_RECLAIM (or RECLAIM_CLEAN for a referenced file page). __remove_mapping takes the
      // shadow entry (workingset_eviction) before a page-cache page leaves its slot to it.
      const shadow = this.age * 2 + (b & PG_WORKINGSET ? 1 : 0);
      const r = h.evict(id, type, type === FILE ? shadow : -1);
      if (r === Evicted.Refused) {
        // add_to_swap failed: activate_locked.
        activate.push(id);
        continue;
      }
      if (r === Evicted.Writeback) {
        // pageout: PAGE_SUCCESS with the folio under writeback (PG_reclaim set first): goto keep.
        // folio_check_references cleared PG_referenced; PG_workingset stays for the eviction to come.
        pageout++;
        this.bits[id] = (b & PG_WORKINGSET) | PG_RECLAIM | PG_WRITEBACK;
        keep.push(id);
        continue;
      }
      if (r === Evicted.Written) pageout++;
      reclaimed++;
      // PGSTEAL_KSWAPD or PGSTEAL_DIRECT, by who reclaims (the kernel adds a batch's at its end;
      // here with each page, as pgsteal_anon and pgsteal_file are, so they agree at every step).
      if (kswapd) h.stats.pgsteal_kswapd++;
      else h.stats.pgsteal_direct++;
      this.workingsetEviction(id, type, shadow);
    }
    // move_folios_to_lru: kept pages to the inactive head, activated ones to the active head.
    for (const id of keep) this.lru.push(l, id);
    for (const id of activate) {
      this.bits[id]! &= ~PG_REFERENCED;
      this.lru.push(activeOf(type), id);
      this.age++;
    }
    h.stats.pgactivate += activate.length;
    if (pageout > 0) this.noteCost(type, pageout);
    return { scanned: taken.length, reclaimed };
  }

  /** workingset_eviction, once the page is gone: an anonymous page's shadow entry (a file page's went into its slot). */
  private workingsetEviction(id: number, type: LruType, shadow: number): void {
    if (type === ANON) this.anonShadows.set(this.host.keyOf(id), shadow);
    this.age++;
    this.bits[id] = 0;
  }

  /** lru_note_cost. */
  private noteCost(type: LruType, pages: number): void {
    this.cost[type]! += pages;
    const s = this.lru.sizes;
    const lrusize = s[0]! + s[1]! + s[2]! + s[3]!;
    if (this.cost[0]! + this.cost[1]! > lrusize / 4) {
      this.cost[0] = Math.floor(this.cost[0]! / 2);
      this.cost[1] = Math.floor(this.cost[1]! / 2);
    }
  }
}

/**
 * shrink_lruvec once nr_to_reclaim is met: with both types left to scan, the smaller one's lists
 * stop, and the other's remaining targets shrink to the share of its own original target that the
 * smaller had left unscanned (true: scan on); with either type done, stop (false).
 */
export function nudge(nr: number[], targets: readonly number[]): boolean {
  const nrFile = nr[IF]! + nr[AF]!;
  const nrAnon = nr[IA]! + nr[AA]!;
  if (!nrFile || !nrAnon) return false;
  let small: number;
  let big: number;
  let percentage: number;
  if (nrFile > nrAnon) {
    percentage = Math.floor((nrAnon * 100) / (targets[IA]! + targets[AA]! + 1));
    small = IA;
    big = IF;
  } else {
    percentage = Math.floor((nrFile * 100) / (targets[IF]! + targets[AF]! + 1));
    small = IF;
    big = IA;
  }
  // inactiveOf and activeOf's pairs: IA/AA and IF/AF.
  nr[small] = 0;
  nr[small + 1] = 0;
  for (const l of [big, big + 1]) {
    const done = targets[l]! - nr[l]!;
    nr[l] = Math.floor((targets[l]! * (100 - percentage)) / 100);
    nr[l] = nr[l]! - Math.min(nr[l]!, done);
  }
  return true;
}

/** Where a reclaim generator's step ends: between shrink batches, or between the pages of one (kswapd as a task). */
enum Step {
  Batch,
  Page,
}

/** A reclaim run as a task (kswapd's balance_pgdat, the kworker's direct reclaim): its steps, one preemption point at a time. */
class ReclaimRun {
  private g: Generator<Step, void> | null = null;
  /** Stopped between the pages of a shrink batch (its pages isolated off the lists). */
  midBatch = false;
  get running(): boolean {
    return this.g !== null;
  }
  start(g: Generator<Step, void>): void {
    this.g = g;
    this.midBatch = false;
  }
  /** Runs to the next preemption point where a switch is due (true), or to the run's end (false). */
  step(): boolean {
    if (this.g === null) return false;
    const r = this.g.next();
    this.midBatch = r.value === Step.Page;
    if (!r.done) return true;
    this.g = null;
    return false;
  }
}

/** Runs a reclaim generator to its end (no preemption point: direct reclaim, a balloon's shrink). */
function drain<T>(g: Generator<Step, T>): T {
  let r = g.next();
  while (!r.done) r = g.next();
  return r.value;
}

export const linux61: ReclaimFactory = {
  name: '6.1',
  create: (host, ramPages, swappiness, layout) => new Linux61(host, ramPages, swappiness, layout),
};

/**
 * The same 6.1 reclaim with kswapd as a task that shares the one CPU with the workload and
 * the kworker under CFS (sim/sched.ts Cfs): its balance_pgdat runs a page at a time (between
 * the pages of a batch and between batches it may be preempted) while the workload goes on
 * allocating, instead of whole after an event. The default from 2026-12-04 to 2026-12-05:
 * docs/validation.md item 2 gives what it does to the validation counters.
 */
export const linux61Cfs: ReclaimFactory = {
  name: '6.1-cfs',
  kswapdTask: true,
  create: (host, ramPages, swappiness, layout) => new Linux61(host, ramPages, swappiness, layout, true),
};

/**
 * The default (registry.ts): `6.1-cfs` with its pages placed on frames by the buddy allocator
 * (with a zone layout, config.zones; without one it is `6.1-cfs`): pageblocks and their
 * migratetypes, the fallbacks between them and the watermark boost they raise (mm/buddy.ts),
 * and the per-CPU page lists (mm/pcp.ts). On the validation suite it gives 342 of 349
 * counters within tolerance against `6.1-cfs`'s 333, with the workload's direct reclaim and
 * kswapd's runs nearest the kernel's (docs/validation.md, "The workload's own time").
 */
export const linux61CfsBuddy: ReclaimFactory = {
  name: '6.1-cfs-buddy',
  kswapdTask: true,
  create: (host, ramPages, swappiness, layout) => new Linux61(host, ramPages, swappiness, layout, true, true),
};
