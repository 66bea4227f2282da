/**
 * The backend interface: what a tmem backend registers with the frontends
 * (struct frontswap_ops and struct cleancache_ops), plus what the simulator
 * needs to report on it. One file (or folder) per backend, registered in
 * registry.ts by name.
 *
 * Return values follow the kernel: `true` where the kernel returns 0,
 * `false` for -1 (or any error).
 */

import type { CounterGroup } from './counters.js';
import type { CompressionService } from '../compressors/service.js';
import type { CostMeter } from '../cost/meter.js';
import type { Page, PageOut } from '../content/page.js';
import type { ParamMap, ParamSpec, ParamValue } from './params.js';
import type { WorkItem } from '../sim/workqueue.js';

/** What BackendEnv.swapWriteback did: the page written, already in the swap cache, or none to be had. */
export type SwapWriteback = 'written' | 'exists' | 'nomem';

/** struct frontswap_ops */
export interface FrontswapOps {
  init(type: number): void;
  store(type: number, offset: number, page: Page): boolean;
  load(type: number, offset: number, out: PageOut): boolean;
  invalidatePage(type: number, offset: number): void;
  invalidateArea(type: number): void;
}

/** struct cleancache_ops. `inode` stands for the 24-byte cleancache_filekey. */
export interface CleancacheOps {
  /** Returns a pool id >= 0, or < 0 on failure. */
  initFs(pageSize: number): number;
  initSharedFs(uuid: string, pageSize: number): number;
  getPage(pool: number, inode: number, index: number, out: PageOut): boolean;
  putPage(pool: number, inode: number, index: number, page: Page): void;
  invalidatePage(pool: number, inode: number, index: number): void;
  invalidateInode(pool: number, inode: number): void;
  invalidateFs(pool: number): void;
}

/** Nanoseconds per second: BackendEnv.now() is in ns, the kernels' intervals in seconds. */
export const NS_PER_S = 1e9;

/** The simulated machine, as a backend sees it. */
export interface BackendEnv {
  readonly meter: CostMeter;
  readonly compression: CompressionService;
  /** Simulated time, ns. */
  now(): number;
  /** Pages of guest RAM. */
  readonly ramPages: number;
  /** Whether the oracle wants real decompression on loads (false in fast mode). */
  readonly verifyBytes: boolean;
  /** The swap core keeps all-zero pages in its zeromap (6.12+): they never reach frontswap. Absent: false. */
  readonly swapZeromap?: boolean;
  /**
   * Take one pageframe from guest RAM for the backend's pool, without
   * reclaim (GFP_ZCACHE / GFP_NOWAIT-like): fails when free memory is at the
   * min watermark. Returns false when no page can be had. `reserves`: the
   * caller allocates in reclaim (PF_MEMALLOC) with gfp flags that do not
   * forbid it (no __GFP_NOMEMALLOC), so __gfp_pfmemalloc_flags gives it
   * ALLOC_NO_WATERMARKS: it may take any free page, below the min watermark
   * too (zswap's zpool_malloc; zcache's ZCACHE_GFP_MASK has __GFP_NOMEMALLOC).
   * `movable`: __GFP_MOVABLE (the migratetype of its frame: mm/buddy.ts).
   */
  allocPage(reserves?: boolean, movable?: boolean): boolean;
  /** Give a pool pageframe back to guest RAM (`movable`: as allocPage was told). */
  freePage(movable?: boolean): void;
  /** Pages the backend holds of guest RAM (kept by allocPage/freePage). */
  readonly poolPages: number;
  /** frontswap_curr_pages(): swap pages frontswap holds, over all swap areas. */
  frontswapCurrPages(): number;
  /**
   * frontswap_shrink(target): a partial swapoff that repatriates frontswap
   * pages (load, then into RAM, or to the swap device when RAM is short)
   * until at most `target` remain, from the first swap area that can give
   * them. Returns the pages moved each way.
   */
  frontswapShrink(target: number): { toRam: number; toDisk: number };
  /**
   * Write a frontswap page to the swap device behind the frontend's back
   * (zswap_writeback_entry). First a page for the slot is allocated in the
   * swap cache (__read_swap_cache_async, GFP_KERNEL: it may reclaim, and
   * reclaim may call the backend's store; with `memalloc` the caller is
   * itself reclaiming (PF_MEMALLOC): no reclaim, any free page). Then, if
   * `stillStored()` (the entry survived the allocation), `fill()` (the
   * caller decompresses into the page and charges that) runs, then the page
   * goes to the device with PG_reclaim set and stays in the swap cache,
   * clean, until reclaim drops it; the oracle learns the disk holds the slot. 'exists': the page is
   * already in the swap cache (-EEXIST), nothing is done and the entry must
   * be kept; 'nomem': no page could be had or the entry went meanwhile
   * (-ENOMEM), nothing is written.
   */
  swapWriteback(type: number, offset: number, memalloc: boolean, stillStored: () => boolean, fill: () => void): SwapWriteback;
  /**
   * The backend dropped an ephemeral (cleancache) page on its own, to make room (tmem_evict,
   * zbud's pageframe eviction): later gets of it must miss. The oracle forgets its record, so
   * its memory follows what the backend holds.
   */
  ephemeralDropped(poolId: number, oid: number, index: number): void;
  /**
   * queue_work: run `work` as a work item on the simulated clock, between
   * later operations (src/sim/workqueue.ts). False when it is already
   * pending (nothing changes).
   */
  queueWork(work: WorkItem): boolean;
  /** work_pending: `work` is queued and has not started (a cancelled item is not). */
  workPending(work: WorkItem): boolean;
  /** Memory figures self-ballooning reads (pages). */
  vm(): VmInfo;
  /** Balloon the guest: set the RAM it may use (pages). */
  setTotalram(pages: number): void;
}

export interface VmInfo {
  /** RAM the guest currently has (after ballooning). */
  totalram: number;
  /** RAM at boot (max_pfn). */
  maxram: number;
  /** Committed anonymous memory: every anonymous page the workload has, resident or swapped. */
  committedAs: number;
  /** totalreserve_pages: the watermark reserve. */
  totalreserve: number;
  free: number;
}

export type { ParamSpec } from './params.js';

export interface Backend {
  readonly name: string;
  readonly frontswap: FrontswapOps | null;
  readonly cleancache: CleancacheOps | null;
  /**
   * Whether frontswap loads are exclusive (frontswap_tmem_exclusive_gets):
   * the frontend clears its bit after a successful load.
   */
  readonly frontswapExclusiveGets: boolean;
  /**
   * Whether cleancache mounts with the same uuid share one pool
   * (init_shared_fs joins the pool of that uuid: Xen's shared ephemeral
   * pools). The oracle then keys such mounts' pages by uuid, so a get through
   * one sharer is checked against a put through another. Absent: every
   * mount has its own pool.
   */
  readonly sharedPools?: boolean;
  /**
   * Whether the kernel this backend runs on has the frontswap of 4.7–6.5,
   * whose __frontswap_store invalidates a duplicate (clears its bit and calls
   * invalidate_page) before storing; otherwise (undefined/false) the 3.11
   * frontend with the 3.19 fix: the backend sees the duplicate store.
   */
  readonly frontswapDupFirst?: boolean;
  /** Current parameter values. */
  params(): ParamMap;
  /** Change a runtime parameter (the `param` event). Throws UsageError if unknown or invalid. */
  setParam(name: string, value: ParamValue): void;
  /** Counters grouped by debugfs directory, kernel names, stable order. */
  stats(): Record<string, Record<string, number>>;
  /**
   * The era whose kernel's counters stats() stands for (its era parameter's value, aliases
   * resolved): a counter its factory's list (BackendFactory.counters) gives to other eras only
   * is reported n/a (counters.ts reportedStats). Absent: every counter is the kernel's.
   */
  readonly counterEra?: string;
  /** A remote node dies (`node_down`) or comes back empty (`node_up`): backends with remote memory only. */
  nodeDown?(node: number, nowNs: number): void;
  nodeUp?(node: number, nowNs: number): void;
  /**
   * A registered shrinker (shrink_slab), called once per reclaim pass with
   * how many pages reclaim wants and the LRU sizes. Returns what is left to free.
   */
  shrink?(nrToScan: number, lru: LruSizes): number;
  /** Simulated time passed: run periodic workers that are due (optional). */
  tick?(nowNs: number): void;
  /** Pages of guest RAM the backend's pool holds. */
  poolPages(): number;
  /**
   * Pages of guest RAM its per-entry metadata takes in slab caches, outside
   * the pool (zswap: the zswap_entry kmem_cache). Charged to RAM by the
   * memory model. Absent: not modelled (0).
   */
  slabPages?(): number;
  /** Bytes of compressed data held (for the compression ratio). */
  storedBytes(): number;
  /** Pages held (persistent + ephemeral). */
  storedPages(): number;
  /** The backend's pools over the run (zswap's (compressor, zpool) pools), for the report. */
  poolHistory?(): PoolRecord[];
}

/** LRU list sizes in pages, as a shrinker reads them from the VM. */
export interface LruSizes {
  activeFile: number;
  inactiveFile: number;
  activeAnon: number;
  inactiveAnon: number;
  /** The reclaim pass's priority (sc->priority, DEF_PRIORITY 12 down to 0); absent: 12. */
  priority?: number;
}

/** One pool's life, as the report lists it. */
export interface PoolRecord {
  id: number;
  compressor: string;
  zpool: string;
  created_ns: number;
  destroyed_ns: number | null;
  stored_pages: number;
  stored_pages_peak: number;
}

export interface BackendFactory {
  readonly name: string;
  readonly description: string;
  /** The kernel source and era this backend follows. */
  readonly era: string;
  /** The reclaim policy of the backend's kernel era (src/mm/reclaim/registry.ts; default '6.1'). */
  readonly reclaim?: string;
  readonly params: readonly ParamSpec[];
  /**
   * What stats() reports, group by group (counters.ts): the list the stats
   * object, the report and docs/counters.md come from. Every registered
   * backend has one (test/unit/backends/counters.test.ts); test doubles may omit it.
   */
  readonly counters?: readonly CounterGroup[];
  /** Name of the parameter that selects the compressor, if any (for --compressor). */
  readonly compressorParam?: string;
  /**
   * Whether the kernel of the era these parameters choose keeps all-zero pages in the swap
   * core's zeromap (6.12+): the default of config.swap_zeromap. Absent: it does not.
   */
  swapZeromap?(params: ParamMap): boolean;
  /**
   * The parameters the kernel of the era these parameters choose has, with the values the run
   * uses (a default chosen by the era spelled out): what reports list (an era may lack some of
   * the backend's parameters). Absent: all of them, as given.
   */
  kernelParams?(params: ParamMap): ParamMap;
  create(env: BackendEnv, params: ParamMap): Backend;
}
