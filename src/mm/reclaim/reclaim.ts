/**
 * Page reclaim as a pluggable policy (one file per kernel era, in the
 * registry of src/mm/reclaim/registry.ts). The memory model (Memory) owns
 * the pages, their swap slots and the page cache; a Reclaim owns the LRU
 * lists, the per-page reclaim bits, the watermarks and the decision of what
 * to evict, and asks the host to evict one page at a time.
 */

import type { LruSizes } from '../../backends/backend.js';
import type { PageCache } from '../page-cache.js';
import type { PcpSize } from '../pcp.js';
import type { ZoneBoot } from '../buddy.js';

export const ANON = 0;
export const FILE = 1;
/** 0 = anonymous, 1 = page cache (the kernel's `file` index). */
export type LruType = typeof ANON | typeof FILE;

export interface Watermarks {
  min: number;
  low: number;
  high: number;
}

/**
 * The memory zones of the node (x86-64: DMA, DMA32, Normal), lowest first: each one's managed
 * pages, the kernel's own pages included (they are taken from the highest zone), and
 * vm.min_free_kbytes (absent: the kernel's default for the managed pages).
 */
export interface ZoneLayout {
  readonly managed: readonly number[];
  /** The zones' names, lowest first (config.zones), for the marks; absent with one unnamed zone. */
  readonly names?: readonly string[];
  readonly minFreeKbytes?: number;
  /** Each zone's pageblocks and free blocks at boot (config.zones[].boot), for the buddy allocator; absent: all free and movable. */
  readonly boot?: readonly (ZoneBoot | undefined)[];
}

/** The reclaim counters (vmstat names). */
/** Memory compaction's counters (ReclaimStats): reported only by a model that compacts (Memory.compacts), absent elsewhere. */
export const COMPACTION_STATS = ['pgmigrate_success', 'compact_migrate_scanned', 'compact_free_scanned', 'compact_isolated', 'compact_daemon_wake', 'compact_daemon_migrate_scanned', 'compact_daemon_free_scanned'] as const;
export type CompactionStat = (typeof COMPACTION_STATS)[number];

/** `stats` without memory compaction's counters unless `compacts` (a model without compaction has none: absent, not 0). */
export function withoutCompaction<T extends Record<CompactionStat, number>>(stats: T, compacts: boolean): Omit<T, CompactionStat> & Partial<Pick<T, CompactionStat>> {
  if (compacts) return stats;
  const out: Record<string, unknown> = { ...stats };
  for (const k of COMPACTION_STATS) delete out[k];
  return out as Omit<T, CompactionStat> & Partial<Pick<T, CompactionStat>>;
}

export interface ReclaimStats {
  pgactivate: number;
  pgdeactivate: number;
  /** Pages shrink_inactive_list took from an inactive list: both types, and each (PGSCAN_ANON, PGSCAN_FILE). */
  pgscan: number;
  pgscan_anon: number;
  pgscan_file: number;
  workingset_refault_anon: number;
  workingset_refault_file: number;
  workingset_activate_anon: number;
  workingset_activate_file: number;
  workingset_restore: number;
  /** Shadow nodes freed by the shadow-node shrinker (WORKINGSET_NODERECLAIM). */
  workingset_nodereclaim: number;
  /** Pages moved to the inactive tail when their writeback ended (PGROTATED: folio_rotate_reclaimable). */
  pgrotated: number;
  /** Direct reclaims (ALLOCSTALL, all zones together): an allocation that reclaimed itself. */
  allocstall: number;
  /** kswapd runs (PAGEOUTRUN: once per balance_pgdat). */
  pageoutrun: number;
  /**
   * KSWAPD_LOW_WMARK_HIT_QUICKLY and KSWAPD_HIGH_WMARK_HIT_QUICKLY (6.1 kswapd_try_to_sleep):
   * kswapd, in the short sleep (HZ/10) after a run that left the node balanced, was woken (low),
   * or found the node unbalanced at its end and ran again unwoken (high).
   */
  kswapd_low_wmark_hit_quickly: number;
  kswapd_high_wmark_hit_quickly: number;
  /** Pages reclaimed by kswapd and by direct reclaim (PGSTEAL_KSWAPD, PGSTEAL_DIRECT; anon and file together). */
  pgsteal_kswapd: number;
  pgsteal_direct: number;
  /** Memory compaction (mm/compaction.ts): pages migrated, scanned and isolated, kcompactd's wake-ups and its own scans. */
  pgmigrate_success: number;
  compact_migrate_scanned: number;
  compact_free_scanned: number;
  compact_isolated: number;
  compact_daemon_wake: number;
  compact_daemon_migrate_scanned: number;
  compact_daemon_free_scanned: number;
  ram_overcommit: number;
  shrinker_calls: number;
}

/** What a Reclaim asks of the memory model. */
export interface ReclaimHost {
  /** Free pages (RAM minus resident pages minus pool pages). */
  readonly free: number;
  /** Free pages of zone z (the layout's order, lowest first). */
  zoneFree(z: number): number;
  /** Slab pages charged to RAM (count_shadow_nodes adds them to the LRU pages). */
  readonly slabPages: number;
  readonly stats: ReclaimStats;
  /** A free swap slot exists (can_reclaim_anon_pages). */
  canSwap(): boolean;
  /**
   * Evict one page the policy has taken off its lists: swap out an anonymous
   * page, write back (if dirty) and drop a file page. False (the page stays
   * resident and the policy puts it back) when no swap slot can be had.
   * The result says whether the page was refused, dropped, or written (pageout).
   * `shadow`: what a file page leaves in its page-cache slot (workingset_eviction's entry,
   * computed before the page goes, as __remove_mapping does), or -1 for nothing.
   */
  evict(id: number, type: LruType, shadow: number): Evicted;
  /** Reads ahead, changing nothing, what evicting these pages touches first (speed only). */
  warmEvict(ids: ArrayLike<number>, type: LruType, n?: number): void;
  /** The page's identity across evictions (for shadow entries). */
  keyOf(id: number): number;
  /** The page cache's slots, with the shadow entries of evicted page-cache pages and their shrinker. */
  readonly pageCache: PageCache;
  /**
   * blk_start_plug (true) and blk_finish_plug (false) around shrink_lruvec: swap writes to
   * adjacent slots issued in between merge into one device request.
   */
  plug(on: boolean): void;
  /**
   * Interrupts are delivered: every swap write submitted to the device so far
   * (its plug flushed) completes, end_swap_bio_write → folio_end_writeback,
   * and the policy's writebackEnd runs for each page, in submission order.
   */
  endWriteback(): void;
  /** shrink_slab: the registered shrinkers, once per reclaim pass. */
  shrinkSlab(nrToScan: number, lru: LruSizes): void;
  /** A reclaim pass over the node (shrink_node) ends: its own work beyond the pages it reclaimed is charged. */
  nodePass(): void;
  /**
   * Reclaim looks at one page it isolated from an inactive list (the profile's mm.scanCycles).
   * Called only when scanCharged: with no scan cost the call would charge nothing, once a page.
   */
  scanPage(): void;
  /** scanPage charges something (the profile's mm.scanCycles is above 0); read once a batch. */
  readonly scanCharged: boolean;
  /**
   * vmpressure (mm/vmpressure.c, the tree mode global reclaim uses): reclaim scanned `scanned`
   * more pages (vmpressure_prio: VMPRESSURE_WIN at once).
   */
  vmpressure(scanned: number): void;
  /** kswapd wakes (its reclaim begins: true) and goes back to sleep (false): the CPU it holds meanwhile. */
  kswapdRun(on: boolean): void;
  /** drain_all_pages: the per-CPU page lists go back to the buddy allocator (an allocation failed after direct reclaim). */
  drainPcp(): void;
  /**
   * wakeup_kcompactd (balance_pgdat's end after a boosted run: pageblock_order; kswapd's sleep: the
   * order it was woken for; an allocation of a higher order on a balanced node); nothing without frames.
   */
  wakeupKcompactd(order: number): void;
  /**
   * zone_watermark_ok for an order above 0 against `mark` (watermark, boost and lowmem reserve):
   * with frames, the buddy allocator's (Buddy.watermarkOk); without, its free pages alone.
   */
  zoneWatermarkOk(z: number, order: number, mark: number): boolean;
  /** kswapd as a task: the scheduler would switch at its next preemption point (it stops there only then). */
  preemptPending(): boolean;
  /** The simulated clock, ns (MmEnv.simNow: kswapd's short sleep ends HZ/10 after it began). */
  simNow(): number;
  /**
   * A preemption point of the running task: an allocation that may sleep begins (might_sleep in
   * __alloc_pages), or the workload reaches a cond_resched inside its direct reclaim
   * (shrink_folio_list between pages, shrink_lruvec between batches, do_try_to_free_pages between
   * passes). With CONFIG_PREEMPT_VOLUNTARY both are the same point (might_sleep is
   * might_resched, a cond_resched): a kswapd that an allocation woke becomes runnable, and where
   * a switch is due (it preempts, or a tick came) the other tasks run until the scheduler picks
   * the workload again.
   */
  mightSleep(): void;
}

export interface Reclaim {
  readonly name: string;
  readonly wmark: Watermarks;
  /**
   * The model places pages on frames (with a zone layout): the buddy allocator's pageblocks and
   * migratetypes (mm/buddy.ts) and the per-CPU page lists (mm/pcp.ts), with pcpSizes and
   * boostWatermark. Absent or false: pages are only counted per zone.
   */
  readonly pageAllocator?: boolean;
  /** boost_watermark: an allocation of zone z fell back to a pageblock of another migratetype (mm/buddy.ts). */
  boostWatermark?(z: number): void;
  /** Zone z's watermark boost now, pages (zone->watermark_boost; 0 in a model without boosting). */
  zoneBoost?(z: number): number;
  /** Zone z's watermarks (without its boost) and its lowmem reserve against the highest zone's allocations. */
  zoneWatermarks?(z: number): { min: number; low: number; high: number; reserve: number };
  /** kswapd is running (kswapd_is_running: woken and not yet back asleep). */
  kswapdRunning?(): boolean;
  /** The page is on an LRU list (not isolated by a reclaim pass under way). */
  onLru?(id: number): boolean;
  /** A page migrated (or put back after isolation): lru_cache_add puts it at the head of its list, its state kept. */
  migrated?(id: number): void;
  /** Each zone's per-CPU page list: its high mark and batch (mm/pcp.ts). */
  pcpSizes?(): PcpSize[];
  /** vm.page-cluster for swap readahead (0: none). */
  readonly pageCluster: number;
  /**
   * PageAnonExclusive (5.19+): a write to a mapped anonymous page that is in
   * the swap cache reuses it in do_wp_page and keeps its swap slot (and the
   * slot's frontswap copy) until the page is swapped out again or the slot
   * is freed. False: the slot is freed at the write (reuse_swap_page, 3.x).
   */
  readonly anonExclusive: boolean;
  /**
   * Reclaim leaves an anonymous page's shadow entry in the swap cache (__remove_mapping with
   * workingset_eviction's shadow, 5.9+), so a slot in use keeps its node of the swap cache's
   * xarray until the slot is freed: the host charges those nodes to RAM (Memory.xaSlabPages).
   * False: the swap cache holds pages only (3.x), whose nodes are not charged.
   */
  readonly swapCacheShadows: boolean;
  /**
   * The swap core takes and frees slots through the per-CPU swap slots cache (4.11+,
   * mm/swap_slots.c): folio_alloc_swap hands out slots taken ahead 64 at a time
   * (MmEnv.allocSwapSlot), and free_swap_slot keeps a freed slot in slots_ret and frees the 64 it
   * holds (frontswap invalidate, the slot back to the allocator) when one more comes
   * (MmEnv.freeSwapSlot); both while the cache is on (more than 320 pages of swap free).
   * False: each slot is taken and freed on its own (3.x).
   */
  readonly swapSlotsCache: boolean;
  /**
   * Swap writes to the device complete asynchronously (6.1): a page written
   * by reclaim stays resident under writeback (host.evict returns
   * Evicted.Writeback) until host.endWriteback delivers its completion.
   * False: the host frees it at the write (writeback completes synchronously).
   */
  readonly asyncWriteback: boolean;
  /**
   * folio_end_writeback of a page the policy kept under writeback: clean and
   * on its LRU list, it moves to the inactive tail (folio_rotate_reclaimable);
   * dirtied again, or still isolated by a scan, it only loses PG_reclaim.
   */
  writebackEnd(id: number, clean: boolean): void;
  /**
   * TestClearPageReadahead on a page under writeback that a fault found in the swap cache:
   * PG_readahead is PG_reclaim's bit, so true (a readahead hit) when the page had PG_reclaim,
   * which is then cleared. False for a policy that keeps no such flag.
   */
  testClearReclaim(id: number): boolean;
  /**
   * A page the host put in the swap cache and wrote outside reclaim's pageout (zswap's
   * writeback of an entry: SetPageReclaim, then __swap_writepage with no plug), its write
   * done by the time this returns: where the write's completion leaves the page on the LRU.
   */
  zswapWriteDone(id: number): void;
  /** Make room for page ids below n. */
  ensure(n: number): void;
  /**
   * A page enters RAM: a fresh anonymous fault, a swap-in, a page-cache fill.
   * `key` identifies it across evictions (for shadow entries) and `refault`
   * says whether a shadow may apply (a swap-in or a page-cache miss).
   * `mapped` false: the page was read ahead (swap or file readahead) and is
   * not used yet (no young PTE, not marked accessed). `fileShadow`: for a
   * page-cache page, the shadow its slot held (PageCache.add's), or -1.
   */
  added(id: number, type: LruType, key: number, refault: boolean, mapped?: boolean, fileShadow?: number): void;
  /** A resident page is used again (a mapped anon touch, or a read()/write() of a cached file page). */
  accessed(id: number, type: LruType): void;
  /** A page leaves RAM other than by reclaim (umount, swapoff of a resident page's area does not apply). */
  removed(id: number, type: LruType, key: number): void;
  sizes(): LruSizes;
  resident(type: LruType): number;
  /**
   * Before a fault takes a frame: the zone it comes from (the layout's index), after direct
   * reclaim when no zone is above its min watermark.
   */
  allocate(): number;
  /**
   * A page for the kernel (a backend's pool page, a slab of 2^order pages): its zone, or -1 when
   * no zone may give one (`reserves`: the reclaim path's PF_MEMALLOC, which may take any free page).
   */
  allocKernel(reserves: boolean, order?: number): number;
  /** kswapd: after an event, reclaim if woken (its whole run at once). */
  kswapd(): void;
  /**
   * kswapd as a task of its own ('6.1-cfs'), which the host's scheduler runs beside the
   * workload when kswapdTask is true: kswapdWake starts a run when an allocation woke it
   * (true), kswapdStep runs it to its next preemption point where host.preemptPending says a
   * switch is due (false when the run ended and kswapd sleeps). Otherwise only kswapd() runs it.
   */
  readonly kswapdTask?: boolean;
  kswapdWake?(): boolean;
  /**
   * The last kswapdWake returned false without changing anything (a hopeless node, or kswapd
   * asleep, not woken, and the free pages above the low watermark), so that another call would
   * return the same while the free pages, the watermarks and kswapd's state stay as they are.
   */
  readonly wakeIdle?: boolean;
  kswapdStep?(): boolean;
  /** kswapd's run stopped between the pages of a shrink batch (pages isolated off the lists). */
  kswapdMidBatch?(): boolean;
  /**
   * The kworker's GFP_KERNEL allocation as a task (with kswapdTask): directBegin takes the
   * allocation's slow path up to its direct reclaim and, when it would reclaim, starts that
   * reclaim (true); directStep runs it to its next preemption point where host.preemptPending
   * says a switch is due (false when it is done). After directEnd the next allocate() goes on
   * from after that reclaim; allocDone forgets it when the work did not allocate after all.
   */
  directBegin?(): boolean;
  directStep?(): boolean;
  directEnd?(): void;
  /** The kworker's reclaim stopped between the pages of a shrink batch. */
  directMidBatch?(): boolean;
  /**
   * After the kworker's direct reclaim (directStep done): its allocation still finds no zone above
   * the min watermark (after __alloc_pages_direct_reclaim's drain of the per-CPU lists, when the
   * reclaim made progress), so should_reclaim_retry retries it, a workqueue worker after sleeping
   * a jiffy.
   */
  directRetry?(): boolean;
  allocDone?(): void;
  /** The RAM size changed (balloon). */
  setRam(pages: number): void;
}

export interface ReclaimFactory {
  readonly name: string;
  /** Its Reclaim runs kswapd as a task (Reclaim.kswapdTask), which a fair scheduler puts on the CPU (sim/schedulers.ts). */
  readonly kswapdTask?: boolean;
  /** `layout` absent: one zone of ramPages. */
  create(host: ReclaimHost, ramPages: number, swappiness: number, layout?: ZoneLayout): Reclaim;
}

/** DEF_PRIORITY: a reclaim pass starts by scanning size >> 12 of each list; the shrinkers get the same priority. */
export const DEF_PRIORITY = 12;
/**
 * MAX_RECLAIM_RETRIES (mm/internal.h): kswapd runs that reclaim nothing before a node is hopeless,
 * should_reclaim_retry's loops without progress, zswap's shrink worker's failures (6.5+).
 */
export const MAX_RECLAIM_RETRIES = 16;
/** vmpressure_win (mm/vmpressure.c): SWAP_CLUSTER_MAX * 16 pages scanned between vmpressure's works. */
export const VMPRESSURE_WIN = 512;
/** vmpressure_level_critical_prio: ilog2(100 / 10); a direct reclaim at this priority or deeper reports critical pressure. */
export const VMPRESSURE_CRITICAL_PRIO = 3;

// duplicates: alike in shape only to content/page.ts's Cls (a const enum): nothing in common.
/** What evicting one page did: a number, not an object, on reclaim's per-page path. */
export const enum Evicted {
  /** Stays resident: no swap slot could be had. */
  Refused = 0,
  /** Freed without a write (a clean page). */
  Dropped = 1,
  /** Freed after a write (pageout: swap-out or file writeback). */
  Written = 2,
  /**
   * Written to the swap device and still resident, under writeback, in the
   * swap cache (pageout returned PAGE_SUCCESS with the folio under writeback:
   * `goto keep`); host.endWriteback later reports the write's completion.
   */
  Writeback = 3,
}
