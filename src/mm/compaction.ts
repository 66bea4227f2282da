/**
 * Memory compaction by kcompactd, as Linux 6.1 does it for one node (mm/compaction.c), over the
 * buddy allocator's frames (mm/buddy.ts): only with a reclaim model that places pages
 * (6.1-cfs-buddy on zones). Every validation guest compacts (pgmigrate_success up to 3,441 in a
 * phase, none of it direct compaction), and a migrated page goes to the head of its LRU list,
 * which changes what reclaim takes next (docs/validation.md item 5).
 *
 * kcompactd sleeps with a 500 ms timeout (HPAGE_FRAG_CHECK_INTERVAL_MSEC).
 * - Woken (wakeup_kcompactd: kswapd's balance_pgdat ends a boosted run with pageblock_order;
 *   kswapd goes to sleep after a run for a higher order, or an allocation of a higher order finds
 *   the node balanced for it, with that order; and some zone is suitable for the highest order
 *   asked since kcompactd last ran), it runs kcompactd_do_work: every zone whose compaction for the
 *   order is not deferred (compaction_deferred) and is suitable (compaction_suitable: not already
 *   able to allocate the order at the min watermark, free pages above the low watermark +
 *   2 << order, fragmentation index above vm.extfrag_threshold 500) is compacted from where the
 *   last run stopped; a run that ends with the scanners met defers that order (defer_compaction),
 *   one that succeeds raises compact_order_failed. A wake-up while it runs is lost (only the
 *   order is kept), as kcompactd is off its wait queue.
 * - kcompactd's wait is for kcompactd_work_requested (kcompactd_max_order > 0), which
 *   wakeup_kcompactd raises before it looks for a sleeper and at the node's suitability: an order
 *   asked while it ran, or while no zone was suitable, is work it finds when it next looks (at
 *   once after a run, else when its timeout passes) and runs kcompactd_do_work for then, counting
 *   compact_daemon_wake whether or not a zone turns out suitable.
 * - Timed out: proactive compaction (vm.compaction_proactiveness 20). When kswapd is not running
 *   and the node's fragmentation score (each zone's extfrag_for_order(9), weighted by its pages)
 *   is above 90, every zone is compacted whole until its own score is 80 or less (or kswapd
 *   runs); when the node's score did not go down, the next timeout is 64 times as long.
 *
 * compact_zone: the migrate scanner walks pageblocks up from the zone's start (kcompactd: from its
 * cached position) isolating up to 32 pages (COMPACT_CLUSTER_MAX): LRU pages (not one under
 * writeback: MIGRATE_SYNC_LIGHT's ISOLATE_ASYNC_MIGRATE) and the zpools' movable pages
 * (zsmalloc's and z3fold's, __GFP_MOVABLE); free blocks are stepped over. The free scanner walks
 * movable pageblocks down from the zone's end (kcompactd: from its cached position), isolating
 * free blocks whole, up from each pageblock's start, while the zone stays above its min watermark
 * + the block, until it has a frame for every page isolated; no pageblock free whole is taken.
 * Each page then moves to the next free frame, its old frame freed to the per-CPU list, and
 * lru_cache_add puts an LRU page at the head of its list (its active and referenced state kept);
 * a page with no free frame left goes back to its list's head too (putback), and the run ends
 * (-ENOMEM). Skip hints (PB_migrate_skip): a pageblock the migrate scanner went through without
 * isolating a page, or the free scanner went through to its end, is marked, and kcompactd's runs
 * (not proactive ones, which ignore them) pass over marked pageblocks; the marks and the cached
 * positions are cleared when compaction restarts after its longest deferral
 * (compaction_restarting), and the positions when the scanners meet. The run ends when the
 * scanners meet, when a proactive zone's score is low enough, or (kcompactd) at a pageblock
 * boundary once a free block of the order exists; a kcompactd run drains the per-CPU lists when
 * it leaves an order-aligned block behind (lru_add_drain_cpu_zone) and when it ends with the
 * scanners met (drain_all_pages).
 *
 * kcompactd is a task of its own: a run goes a batch at a time (a pageblock's isolation and the
 * migration of what it isolated), at the end of the workload's events, and takes at most half
 * the CPU while it runs (CFS between two runnable tasks): at each event's end it runs batches
 * while its own time since the run began is at most half the time since it began.
 *
 * Counters (/proc/vmstat): pgmigrate_success, compact_migrate_scanned, compact_free_scanned,
 * compact_isolated, compact_daemon_wake, compact_daemon_migrate_scanned,
 * compact_daemon_free_scanned (6.1 counts proactive compaction's scans in the first two only).
 *
 * Deviations: kcompactd's share of the CPU is the rule above, not the scheduler's (docs/model.md);
 * a batch's free frames left over go back to the buddy allocator before the workload runs again
 * (the kernel keeps them for the next batch) and the free scanner resumes at the highest of them;
 * no fast searches (fast_find_migrateblock, fast_isolate_freepages, which 6.1 uses for direct
 * compaction mostly); a page always migrates once isolated (no -EAGAIN retries, no locked or
 * pinned pages; zs_page_isolate's refusals not modelled); the per-CPU list drain is every zone's;
 * a migrated page costs the profile's mm.migrateCycles, absent in every profile: a page copy and
 * mm.reclaimCycles (the validation guest's system time could not determine a figure of its own:
 * validation/guest-cpu.mjs).
 */

import { MAX_ORDER, MOVABLE, PAGEBLOCK_ORDER, PAGEBLOCK_PAGES, type Buddy } from './buddy.js';
import type { ReclaimStats } from './reclaim/reclaim.js';

/** COMPACT_CLUSTER_MAX = SWAP_CLUSTER_MAX: pages isolated for migration at a time. */
const COMPACT_CLUSTER_MAX = 32;
/** HPAGE_FRAG_CHECK_INTERVAL_MSEC: kcompactd's sleep timeout. */
const FRAG_CHECK_INTERVAL_NS = 500e6;
/** COMPACT_MAX_DEFER_SHIFT. */
const COMPACT_MAX_DEFER_SHIFT = 6;
/** vm.compaction_proactiveness (default 20) and fragmentation_score_wmark's two marks from it. */
const PROACTIVENESS = 20;
const SCORE_WMARK_LOW = Math.max(100 - PROACTIVENESS, 5);
const SCORE_WMARK_HIGH = Math.min(SCORE_WMARK_LOW + 10, 100);
/** vm.extfrag_threshold (default). */
const EXTFRAG_THRESHOLD = 500;
/** PAGE_ALLOC_COSTLY_ORDER. */
const COSTLY_ORDER = 3;
/** COMPACTION_HPAGE_ORDER on x86-64 (HPAGE_PMD_ORDER). */
const HPAGE_ORDER = 9;

/** compact_result, the ones this model returns. */
const enum CompactResult {
  Skipped,
  Continue,
  PartialSkipped,
  Complete,
  Success,
  Contended,
}

/** What compaction needs of the memory model (Memory). */
export interface CompactionHost {
  readonly buddy: Buddy;
  readonly zoneCount: number;
  /**
   * The page on frame pfn that compaction may isolate, as a handle (an LRU page not under
   * writeback, or a movable pool page), or -1. Isolation itself changes nothing here: compaction
   * runs between the workload's events, and each page it isolates is migrated or put back before
   * the workload runs again.
   */
  movablePage(pfn: number): number;
  /** Puts an isolated page back (an LRU page at its list's head: putback_lru_page). */
  putbackPage(handle: number): void;
  /** Moves an isolated page to the isolated free frame pfn: its old frame is freed, and an LRU page goes to its list's head. */
  migratePage(handle: number, pfn: number): void;
  /** A free frame compaction isolated and did not use goes back to the buddy allocator. */
  releaseFree(pfn: number): void;
  /** drain_local_pages: the per-CPU lists go back to the buddy allocator. */
  drainPcp(): void;
  /** Zone z's free pages (NR_FREE_PAGES), its watermarks (without the boost), lowmem reserve and watermark boost. */
  zoneFree(z: number): number;
  zoneWmark(z: number): { min: number; low: number; high: number; reserve: number };
  zoneBoost(z: number): number;
  /** kswapd is running (kswapd_is_running). */
  kswapdRunning(): boolean;
  simNow(): number;
  /** The work of `pages` migrated pages, to the CPU (the profile's mm.migrateCycles each). */
  charge(pages: number): void;
  readonly stats: ReclaimStats;
}

interface CompactControl {
  /**
   * The order kcompactd compacts for; -1 for proactive compaction (is_via_compact_memory), whose
   * runs also ignore the skip hints (ignore_skip_hint; they set them all the same) and start with
   * the whole zone.
   */
  order: number;
  wholeZone: boolean;
  migratePfn: number;
  freePfn: number;
  migrate: number[];
  /** Isolated free frames, in the order compaction_alloc hands them out. */
  free: number[];
  freeAt: number;
  migrateScanned: number;
  freeScanned: number;
}

const pageblockStart = (pfn: number): number => pfn - (pfn % PAGEBLOCK_PAGES);
const pageblockEnd = (pfn: number): number => pageblockStart(pfn) + PAGEBLOCK_PAGES;

export class Kcompactd {
  /** pgdat->kcompactd_max_order. */
  private maxOrder = 0;
  /** A wake-up is pending (kcompactd_work_requested). */
  private woken = false;
  /** When the sleep times out (ns; -1: not yet asleep). */
  private timeoutAt = -1;
  private timeoutNs = FRAG_CHECK_INTERVAL_NS;
  /** The run under way (a wake-up's or the timeout's), when it began and the time its batches took. */
  private run: Generator<void, void> | null = null;
  private runStart = 0;
  private runOwn = 0;
  /** pgmigrate_success when the run began. */
  private runMovedFrom = 0;
  /** Per zone: compact_cached_migrate_pfn / _free_pfn (sync), compact_considered, compact_defer_shift, compact_order_failed. */
  private readonly cachedMigrate: number[];
  private readonly cachedFree: number[];
  private readonly considered: number[];
  private readonly deferShift: number[];
  private readonly orderFailed: number[];
  /** The pageblocks' PB_migrate_skip bits (by pfn >> pageblock_order). */
  private readonly skip: Uint8Array;

  constructor(private readonly h: CompactionHost) {
    const n = h.zoneCount;
    this.cachedMigrate = Array.from({ length: n }, (_, z) => h.buddy.zoneStart(z));
    this.cachedFree = Array.from({ length: n }, (_, z) => this.lastBlock(z));
    this.considered = new Array<number>(n).fill(0);
    this.deferShift = new Array<number>(n).fill(0);
    this.orderFailed = new Array<number>(n).fill(0);
    this.skip = new Uint8Array((h.buddy.zoneEnd(n - 1) >> PAGEBLOCK_ORDER) + 1);
  }

  private lastBlock(z: number): number {
    const end = this.h.buddy.zoneEnd(z);
    return end > this.h.buddy.zoneStart(z) ? pageblockStart(end - 1) : end;
  }

  /** wakeup_kcompactd. */
  wake(order: number): void {
    if (order === 0) return;
    if (this.maxOrder < order) this.maxOrder = order;
    // A kcompactd that is running is not on its wait queue: the wake-up is lost (the order stays).
    if (this.run !== null) return;
    if (!this.nodeSuitable()) return;
    this.woken = true;
  }

  /** kcompactd has something to do at the end of this event (tick would run a batch or look at the node). */
  due(): boolean {
    return this.run !== null || this.woken || this.timeoutAt < 0 || this.h.simNow() >= this.timeoutAt;
  }

  /**
   * kcompactd at the end of an event. Asleep, it starts a run when woken (kcompactd_do_work) or
   * when its timeout passed and the node needs proactive compaction. A run goes one batch (a
   * pageblock's isolation and the migration of what it isolated) at a time, each ended by the
   * check compact_finished makes, and shares the CPU with the workload as two runnable tasks do
   * under CFS: it runs batches while its own time since it began is at most half of the time
   * since it began. True when a run ended that moved pages.
   */
  tick(): boolean {
    const h = this.h;
    const now = h.simNow();
    if (this.run === null) {
      if (this.timeoutAt < 0) this.timeoutAt = now + this.timeoutNs;
      // wait_event_freezable_timeout(kcompactd_work_requested): woken, or the timeout passed with
      // an order asked meanwhile (or while it ran) that found no suitable zone then.
      if (this.woken || (now >= this.timeoutAt && this.maxOrder > 0)) {
        this.woken = false;
        this.run = this.doWork();
      } else if (now >= this.timeoutAt) {
        this.timeoutNs = FRAG_CHECK_INTERVAL_NS;
        if (!this.shouldProactive()) {
          this.timeoutAt = now + this.timeoutNs;
          return false;
        }
        this.run = this.proactive();
      } else return false;
      this.runStart = now;
      this.runOwn = 0;
      this.runMovedFrom = h.stats.pgmigrate_success;
    }
    while (2 * this.runOwn <= h.simNow() - this.runStart) {
      const before = h.simNow();
      const r = this.run.next();
      this.runOwn += h.simNow() - before;
      if (r.done === true) {
        this.run = null;
        // Back to sleep: the timeout (the default, or a proactive run's deferral) runs from now,
        // unless an order asked while it ran is still kcompactd_max_order: the wait's condition
        // holds at once, and it runs again.
        this.timeoutAt = h.simNow() + this.timeoutNs;
        if (this.maxOrder > 0) this.woken = true;
        return h.stats.pgmigrate_success > this.runMovedFrom;
      }
    }
    return false;
  }

  /** Proactive compaction (the timeout's work): every zone whole; deferred when the node's score did not go down. */
  private *proactive(): Generator<void, void> {
    const prev = this.nodeScore();
    for (let z = 0; z < this.h.zoneCount; z++) yield* this.compactZone(z, this.control(-1, z));
    if (this.nodeScore() >= prev) this.timeoutNs = FRAG_CHECK_INTERVAL_NS * 2 ** COMPACT_MAX_DEFER_SHIFT;
  }

  /** kcompactd_do_work. */
  private *doWork(): Generator<void, void> {
    const h = this.h;
    const order = this.maxOrder;
    h.stats.compact_daemon_wake++;
    for (let z = 0; z < h.zoneCount; z++) {
      if (h.buddy.zoneEnd(z) <= h.buddy.zoneStart(z)) continue;
      if (this.deferred(z, order)) continue;
      if (this.suitable(z, order) !== CompactResult.Continue) continue;
      const cc = this.control(order, z);
      const status = yield* this.compactZone(z, cc);
      if (status === CompactResult.Success) this.deferReset(z, order);
      else if (status === CompactResult.PartialSkipped || status === CompactResult.Complete) {
        h.drainPcp();
        this.defer(z, order);
      }
      h.stats.compact_daemon_migrate_scanned += cc.migrateScanned;
      h.stats.compact_daemon_free_scanned += cc.freeScanned;
    }
    if (this.maxOrder <= order) this.maxOrder = 0;
    this.timeoutNs = FRAG_CHECK_INTERVAL_NS;
  }

  private control(order: number, z: number): CompactControl {
    return { order, wholeZone: order < 0, migratePfn: this.h.buddy.zoneStart(z), freePfn: this.lastBlock(z), migrate: [], free: [], freeAt: 0, migrateScanned: 0, freeScanned: 0 };
  }

  // ---- suitability and deferral ---------------------------------------------------------
  /** kcompactd_node_suitable: some zone is suitable for kcompactd_max_order. */
  private nodeSuitable(): boolean {
    for (let z = 0; z < this.h.zoneCount; z++) if (this.suitable(z, this.maxOrder) === CompactResult.Continue) return true;
    return false;
  }

  /** zone_watermark_ok for `order` against `mark` (wmark_pages: boost included; alloc_flags 0: no CMA, no high-atomic). */
  private watermarkOk(z: number, order: number, mark: number): boolean {
    return this.h.buddy.watermarkOk(z, this.h.zoneFree(z), order, mark + this.h.zoneWmark(z).reserve);
  }

  /** compaction_suitable(zone, order, 0, highest_zoneidx). */
  private suitable(z: number, order: number): CompactResult {
    if (this.h.buddy.zoneEnd(z) <= this.h.buddy.zoneStart(z)) return CompactResult.Skipped;
    if (order < 0) return CompactResult.Continue;
    const w = this.h.zoneWmark(z);
    const boost = this.h.zoneBoost(z);
    if (this.watermarkOk(z, order, w.min + boost)) return CompactResult.Success;
    const mark = (order > COSTLY_ORDER ? w.low : w.min) + boost + (2 << order);
    if (!this.watermarkOk(z, 0, mark)) return CompactResult.Skipped;
    if (order > COSTLY_ORDER) {
      const f = this.fragIndex(z, order);
      if (f >= 0 && f <= EXTFRAG_THRESHOLD) return CompactResult.Skipped;
    }
    return CompactResult.Continue;
  }

  /** __fragmentation_index: 0 (lack of memory) .. 1000 (fragmentation); -1000 when a block would be found. */
  private fragIndex(z: number, order: number): number {
    const info = this.h.buddy.contigInfo(z, order);
    if (info.blocks === 0) return 0;
    if (info.suitable > 0) return -1000;
    return 1000 - Math.floor((1000 + Math.floor((info.free * 1000) / (1 << order))) / info.blocks);
  }

  private deferred(z: number, order: number): boolean {
    if (order < this.orderFailed[z]!) return false;
    const limit = 2 ** this.deferShift[z]!;
    if (++this.considered[z]! >= limit) {
      this.considered[z] = limit;
      return false;
    }
    return true;
  }
  private defer(z: number, order: number): void {
    this.considered[z] = 0;
    this.deferShift[z] = Math.min(COMPACT_MAX_DEFER_SHIFT, this.deferShift[z]! + 1);
    if (order < this.orderFailed[z]!) this.orderFailed[z] = order;
  }
  private deferReset(z: number, order: number): void {
    if (order >= this.orderFailed[z]!) this.orderFailed[z] = order + 1;
  }

  // ---- fragmentation score (proactive compaction) ---------------------------------------
  /** extfrag_for_order(zone, 9): the percent of free pages not in blocks of 512 or more. */
  private zoneScore(z: number): number {
    const info = this.h.buddy.contigInfo(z, HPAGE_ORDER);
    if (info.free <= 0) return 0;
    return Math.floor(((info.free - info.suitable) * 100) / info.free);
  }
  /** fragmentation_score_node: the zones' scores weighted by their pages. */
  private nodeScore(): number {
    const b = this.h.buddy;
    let present = 0;
    for (let z = 0; z < this.h.zoneCount; z++) present += b.zoneEnd(z) - b.zoneStart(z);
    let score = 0;
    for (let z = 0; z < this.h.zoneCount; z++) score += Math.floor(((b.zoneEnd(z) - b.zoneStart(z)) * this.zoneScore(z)) / (present + 1));
    return score;
  }
  private shouldProactive(): boolean {
    if (this.h.kswapdRunning()) return false;
    return this.nodeScore() > SCORE_WMARK_HIGH;
  }

  // ---- compact_zone -------------------------------------------------------------------------
  private scannersMet(cc: CompactControl): boolean {
    return Math.floor(cc.freePfn / PAGEBLOCK_PAGES) <= Math.floor(cc.migratePfn / PAGEBLOCK_PAGES);
  }

  /** compact_finished (COMPACT_NO_SUITABLE_PAGE reads as CONTINUE). */
  private finished(z: number, cc: CompactControl): CompactResult {
    if (this.scannersMet(cc)) {
      // reset_cached_positions: the next run starts anew.
      this.cachedMigrate[z] = this.h.buddy.zoneStart(z);
      this.cachedFree[z] = this.lastBlock(z);
      return cc.wholeZone ? CompactResult.Complete : CompactResult.PartialSkipped;
    }
    if (cc.order < 0) {
      // Proactive compaction: until kswapd runs or the zone's score is down to the low mark.
      if (this.h.kswapdRunning()) return CompactResult.PartialSkipped;
      return this.zoneScore(z) > SCORE_WMARK_LOW ? CompactResult.Continue : CompactResult.Success;
    }
    if (cc.migratePfn % PAGEBLOCK_PAGES !== 0) return CompactResult.Continue;
    // GFP_KERNEL's migratetype (unmovable) may take any free block of the order: its own list or
    // a fallback's it may steal from.
    return this.h.buddy.hasFreeBlock(z, cc.order) ? CompactResult.Success : CompactResult.Continue;
  }

  private *compactZone(z: number, cc: CompactControl): Generator<void, CompactResult> {
    const h = this.h;
    const b = h.buddy;
    const start = b.zoneStart(z);
    const end = b.zoneEnd(z);
    if (end <= start) return CompactResult.Skipped;
    if (cc.order >= 0) {
      const s = this.suitable(z, cc.order);
      if (s === CompactResult.Success || s === CompactResult.Skipped) return s;
    }
    // compaction_restarting: after the longest deferral, the zone's skip bits are cleared
    // (__reset_isolation_suitable) and its scanners start over.
    if (cc.order >= 0 && cc.order >= this.orderFailed[z]! && this.deferShift[z] === COMPACT_MAX_DEFER_SHIFT && this.considered[z]! >= 2 ** COMPACT_MAX_DEFER_SHIFT) {
      this.skip.fill(0, start >> PAGEBLOCK_ORDER, ((end - 1) >> PAGEBLOCK_ORDER) + 1);
      this.cachedMigrate[z] = start;
      this.cachedFree[z] = this.lastBlock(z);
    }
    if (!cc.wholeZone) {
      cc.migratePfn = this.cachedMigrate[z]!;
      cc.freePfn = this.cachedFree[z]!;
      if (cc.freePfn < start || cc.freePfn >= end) cc.freePfn = this.cachedFree[z] = this.lastBlock(z);
      if (cc.migratePfn < start || cc.migratePfn >= end) cc.migratePfn = this.cachedMigrate[z] = start;
      if (cc.migratePfn === start) cc.wholeZone = true;
    }
    let lastMigrated = 0;
    let ret: CompactResult;
    for (;;) {
      ret = this.finished(z, cc);
      if (ret !== CompactResult.Continue) break;
      this.isolateMigratepages(z, cc);
      if (cc.migrate.length > 0) {
        lastMigrated = Math.max(start, pageblockStart(cc.migratePfn - 1));
        const moved = this.migratePages(z, cc);
        if (moved < 0 && !this.scannersMet(cc)) {
          ret = CompactResult.Contended;
          break;
        }
      }
      // check_drain: a kcompactd run that left an order-aligned block behind drains the per-CPU
      // lists, so the pages freed from it can merge.
      if (cc.order > 0 && lastMigrated > 0) {
        const blockStart = cc.migratePfn - (cc.migratePfn % (1 << cc.order));
        if (lastMigrated < blockStart) {
          h.drainPcp();
          lastMigrated = 0;
        }
      }
      // The batch is done: the workload may run before the next (see tick). The free frames
      // isolated and not used go back first (a deviation: the kernel keeps them for the next
      // batch, off the zone's free pages), and the free scanner goes back to the highest of them.
      const top = this.releaseFree(cc);
      if (top >= 0 && pageblockStart(top) > cc.freePfn) cc.freePfn = pageblockStart(top);
      yield;
    }
    // Free frames left over go back; the cached free scanner restarts at the highest of them (only back).
    const top = this.releaseFree(cc);
    if (top >= 0 && pageblockStart(top) > this.cachedFree[z]!) this.cachedFree[z] = pageblockStart(top);
    h.stats.compact_migrate_scanned += cc.migrateScanned;
    h.stats.compact_free_scanned += cc.freeScanned;
    return ret;
  }

  /** release_freepages: the isolated free frames not used go back to the buddy allocator; the highest of them, or -1. */
  private releaseFree(cc: CompactControl): number {
    let top = -1;
    for (let i = cc.freeAt; i < cc.free.length; i++) {
      const pfn = cc.free[i]!;
      this.h.releaseFree(pfn);
      if (pfn > top) top = pfn;
    }
    cc.free.length = 0;
    cc.freeAt = 0;
    return top;
  }

  /** isolate_migratepages: the next pageblock below the free scanner, scanned up to 32 pages isolated. */
  private isolateMigratepages(z: number, cc: CompactControl): void {
    const h = this.h;
    const b = h.buddy;
    let low = cc.migratePfn;
    let blockEnd = pageblockEnd(low);
    const zoneEnd = b.zoneEnd(z);
    if (blockEnd > zoneEnd) blockEnd = zoneEnd;
    // Pageblocks whose isolation failed lately (their skip bit) are passed over at their start
    // (isolation_suitable), unless the run ignores the hints (proactive compaction).
    while (blockEnd <= cc.freePfn && cc.order >= 0 && (low % PAGEBLOCK_PAGES === 0 || low === b.zoneStart(z)) && this.skip[low >> PAGEBLOCK_ORDER] === 1) {
      low = blockEnd;
      blockEnd = Math.min(blockEnd + PAGEBLOCK_PAGES, zoneEnd);
    }
    cc.migratePfn = low;
    if (blockEnd > cc.freePfn) {
      // No whole pageblock below the free scanner: the scanners meet.
      cc.migratePfn = blockEnd;
      return;
    }
    let scanned = 0;
    let isolated = 0;
    for (; low < blockEnd; low++) {
      scanned++;
      const o = b.freeOrderAt(low);
      if (o >= 0) {
        low += (1 << o) - 1;
        continue;
      }
      const page = h.movablePage(low);
      if (page < 0) continue;
      cc.migrate.push(page);
      isolated++;
      if (cc.migrate.length >= COMPACT_CLUSTER_MAX) {
        low++;
        break;
      }
    }
    if (low > blockEnd) low = blockEnd;
    // A pageblock scanned to its end with nothing isolated is marked to be skipped
    // (set_pageblock_skip), and is where the next run starts (update_cached_migrate); one with
    // pages isolated is scanned again.
    if (low === blockEnd && isolated === 0) {
      this.skip[(blockEnd - 1) >> PAGEBLOCK_ORDER] = 1;
      if (blockEnd > this.cachedMigrate[z]!) this.cachedMigrate[z] = blockEnd;
    }
    cc.migrateScanned += scanned;
    if (isolated > 0) h.stats.compact_isolated += isolated;
    cc.migratePfn = low;
  }

  /** migrate_pages with compaction_alloc: each isolated page to the next free frame. Returns the pages moved, -1 when free frames ran out (-ENOMEM). */
  private migratePages(z: number, cc: CompactControl): number {
    const h = this.h;
    let moved = 0;
    let i = 0;
    for (; i < cc.migrate.length; i++) {
      if (cc.freeAt === cc.free.length) {
        cc.free.length = 0;
        cc.freeAt = 0;
        this.isolateFreepages(z, cc);
        if (cc.free.length === 0) break;
      }
      h.migratePage(cc.migrate[i]!, cc.free[cc.freeAt++]!);
      moved++;
    }
    const failed = i < cc.migrate.length;
    for (; i < cc.migrate.length; i++) h.putbackPage(cc.migrate[i]!);
    cc.migrate.length = 0;
    h.stats.pgmigrate_success += moved;
    if (moved > 0) h.charge(moved);
    return failed ? -1 : moved;
  }

  /** isolate_freepages: free blocks from movable pageblocks, down from the free scanner, until there are as many frames as pages to move. */
  private isolateFreepages(z: number, cc: CompactControl): void {
    const b = this.h.buddy;
    const zoneEnd = b.zoneEnd(z);
    let isolateStart = cc.freePfn;
    let blockStart = pageblockStart(isolateStart);
    let blockEnd = Math.min(blockStart + PAGEBLOCK_PAGES, zoneEnd);
    const low = pageblockEnd(cc.migratePfn);
    const want = cc.migrate.length;
    for (; blockStart >= low; blockEnd = blockStart, blockStart -= PAGEBLOCK_PAGES, isolateStart = blockStart) {
      // suitable_migration_target: not a pageblock free whole, and a movable one; and not one
      // whose skip bit is set (unless the run ignores the hints).
      const head = b.freeOrderAt(blockStart);
      if (head >= PAGEBLOCK_ORDER) continue;
      if (b.typeOf(blockStart) !== MOVABLE) continue;
      if (cc.order >= 0 && this.skip[blockStart >> PAGEBLOCK_ORDER] === 1) continue;
      isolateStart = this.isolateFreepagesBlock(cc, z, isolateStart, blockEnd, want);
      // update_pageblock_skip: a pageblock scanned to its end.
      if (isolateStart === blockEnd) this.skip[blockStart >> PAGEBLOCK_ORDER] = 1;
      if (cc.free.length >= want) {
        if (isolateStart >= blockEnd) isolateStart = blockStart - PAGEBLOCK_PAGES;
        break;
      } else if (isolateStart < blockEnd) break;
    }
    cc.freePfn = isolateStart;
  }

  /** isolate_freepages_block (stride 1, not strict): returns where it stopped. */
  private isolateFreepagesBlock(cc: CompactControl, z: number, from: number, to: number, want: number): number {
    const h = this.h;
    const b = h.buddy;
    const minMark = h.zoneWmark(z).min;
    let pfn = from;
    let scanned = 0;
    let isolated = 0;
    for (; pfn < to; pfn++) {
      scanned++;
      const o = b.freeOrderAt(pfn);
      if (o < 0 || o >= MAX_ORDER) continue;
      // __isolate_free_page: not below the min watermark + the block (the frames isolated and
      // not yet used are off the zone's free pages).
      if (h.zoneFree(z) - (cc.free.length - cc.freeAt) - (1 << o) <= minMark) break;
      b.isolateFree(pfn);
      for (let k = 0; k < 1 << o; k++) cc.free.push(pfn + k);
      scanned += (1 << o) - 1;
      isolated += 1 << o;
      if (cc.free.length >= want) {
        pfn += 1 << o;
        break;
      }
      pfn += (1 << o) - 1;
    }
    if (pfn > to) pfn = to;
    cc.freeScanned += scanned;
    if (isolated > 0) h.stats.compact_isolated += isolated;
    return pfn;
  }
}
