/**
 * What the memory model needs from the rest of the machine (MmEnv), so that
 * mm/ does not import the machine: the swap layer's and page cache's I/O
 * paths (which call the frontends and the oracle), the pool pages backends
 * hold, the registered shrinkers, the counters and the CPU meter.
 * src/sim/machine.ts implements it.
 */

import type { LruSizes } from '../backends/backend.js';
import type { ContentSource } from '../content/source.js';
import type { LoadResult } from '../frontends/frontswap.js';
import type { ReclaimStats } from './reclaim/reclaim.js';
import type { SwapDevices } from './swap.js';

/** The counters the memory model moves (vmstat-like names). */
export interface MmStats extends ReclaimStats {
  pgcache_hits: number;
  pgcache_misses: number;
  pgsteal_anon: number;
  pgsteal_file: number;
  anon_faults: number;
  zero_page_maps: number;
  swap_full_events: number;
  /** Pages read by swap readahead, and those a later fault found (vmstat swap_ra, swap_ra_hit). */
  swap_ra: number;
  swap_ra_hit: number;
  /** Faults that read a swapped-out page (vmstat pgmajfault: file pages are never mapped here). */
  pgmajfault: number;
  /** Page-cache pages read by file readahead beyond the page a read asked for. */
  file_ra: number;
}

export interface MmEnv {
  /** The cost meter: fault() and reclaim() charge the memory manager's work on a page (the profile's mm); migrate() a page compaction moves. */
  readonly meter: { meta(cycles: number): void; fault(): void; reclaim(share?: number): void; reclaimFile(): void; readonly chargesScans: boolean; scan(pages: number): void; shrinkNode(): void; migrate(): void };
  readonly stats: MmStats;
  readonly content: ContentSource;
  readonly swap: SwapDevices;
  /** Guest RAM pages the tmem backend's pool holds. */
  readonly poolPages: number;
  /** Guest RAM pages the backends' per-entry metadata takes in slab caches (zswap_entry). */
  readonly slabPages: number;
  /**
   * swap_readpage of a slot (frontswap load, else the device) for a fault;
   * `readahead` runs inside the same operation (its loads are the fault's).
   */
  swapRead(type: number, off: number, readahead?: () => void): LoadResult;
  /** swap_readpage of a page read ahead (counted as a swap-in; its cost goes to the fault that reads it). */
  swapReadahead(type: number, off: number): LoadResult;
  /**
   * swap_writepage of `desc` into a slot (frontswap store, else the device).
   * True when the page went to the device under a held plug: its write is in
   * flight until the plug is flushed (the host is told: Memory.writebackSubmitted).
   */
  swapWrite(type: number, off: number, desc: number): boolean;
  /** blk_start_plug (true) / blk_finish_plug (false) for swap writes: writes to adjacent slots merge. */
  swapPlug(on: boolean): void;
  /** A slot for a page reclaim swaps out (folio_alloc_swap: from the swap slots cache where the policy has one), or -1 when swap is full. */
  allocSwapSlot(): number;
  /** The slot's count dropped to zero (free_swap_slot: frontswap invalidate, slot freed; with the swap slots cache, when its batch goes). */
  freeSwapSlot(type: number, off: number): void;
  /** The slot's count dropped to zero and it waits in the swap slots cache to be freed (its frontswap copy still stored). */
  swapFreePending(type: number, off: number): boolean;
  /** A page-cache miss that reads: cleancache_get, else the filesystem. True on a cleancache hit. */
  fileRead(fs: number, inode: number, index: number): boolean;
  /**
   * read_pages of a readahead window: each page cleancache_get, else the
   * filesystem, adjacent pages in one request. `demand`: the page a read
   * waits for (its page-cache miss; -1 for an asynchronous window).
   */
  fileReadPages(fs: number, inode: number, indexes: readonly number[], demand: number): void;
  /** A clean page leaves the page cache: cleancache_put. */
  filePut(fs: number, inode: number, index: number, desc: number): void;
  /** Writeback of one dirty file page. */
  fileWriteback(): void;
  /** shrink_slab: the registered shrinkers, if any (false when there are none). */
  shrinkSlab(nrToScan: number, lru: LruSizes): boolean;
  /** kswapd wakes (balance_pgdat begins: true) and goes back to sleep (false). */
  kswapdRun(on: boolean): void;
  /** A task switch is due at the running task's next preemption point (false: none, or no scheduler of tasks). */
  preemptPending(): boolean;
  /** A preemption point of the running task: an allocation that may sleep, or a cond_resched in its reclaim (ReclaimHost.mightSleep). */
  mightSleep(): void;
  /** vmpressure (mm/vmpressure.c, tree): a reclaim pass scanned `scanned` pages (Tasks.vmpressure). */
  vmpressure(scanned: number): void;
  /** The simulated clock now, ns, the work charged in this event so far included (timers: kswapd's short sleep). */
  simNow(): number;
}
