/**
 * zswap: a compressed cache for swap pages in RAM, a frontswap backend
 * (swap only: cleancache = null). Pages are compressed into a zpool allocator
 * (zbud, z3fold, zsmalloc) whose pages come out of the simulated RAM.
 *
 * Kernel source followed: TL:mm/zswap.c in five eras, chosen by `era`:
 *   '4.x'  ≈4.5–4.15 as a frontswap backend (zswap_frontswap_store & co.: the
 *          8-byte zswap_header on every object), with 4.16's same-filled page
 *          handling included (so zero pages cost no pool memory in this era
 *          too; "zswap: same-filled pages handling" is in the mm tree's
 *          since-4.15 branch, merged for 4.16; 4.16 also keeps the header only
 *          on evictable zpools, so with zbud the header matches 4.16's).
 *          Default; default zpool zbud.
 *   '6.1'  the 6.1.y LTS (mm/zswap.c and mm/frontswap.c of v6.1): reject while
 *          full with the accept_threshold_percent hysteresis (5.6), one zpool
 *          page written back per shrink work item, the 8-byte zswap_header on
 *          evictable zpools (zbud, z3fold), zsmalloc not evictable, loads never
 *          exclusive, frontswap invalidating a duplicate before the store.
 *          Default zpool zsmalloc. '6.x' is a deprecated alias of '6.1'.
 *   '6.6'  6.5–6.7 (mm/zswap.c after "shrink until can accept", the zswap LRU
 *          series and "mm: kill frontswap"): writeback through zswap's own
 *          entry LRU for every zpool (zsmalloc too), the worker loops until
 *          can_accept and is also queued while above the threshold, no
 *          zswap_header, a duplicate is invalidated first (duplicate_entry++),
 *          exclusive_loads (6.5) optional. Default zpool zsmalloc (6.3 rules).
 *   '6.8+' always-exclusive loads, incompressible pages stored raw, a store
 *          failure erases a stale entry, writeback through zswap's own entry
 *          LRU (CachyOS/linux mm/zswap.c @8855497e). Default zpool zsmalloc (6.3+
 *          rules: chains of up to 8 pages). The name overstates it: raw storage
 *          is a 2025 commit (dca4437a5861), and Debian's 6.12.95, recorded
 *          (validation/other-kernels/linux-6.12.95), rejects those pages
 *          (reject_compress_fail), keeps zero pages out of zswap, and writes
 *          back a quarter of what this era does (docs/zswap.md).
 *   '6.12' mm/zswap.c of 6.12 (read from a 6.12.19 tree; judged against Debian's
 *          6.12.95, validation/other-kernels/linux-6.12.95): 6.8+'s limit, worker,
 *          second chance, exclusive loads, live pool size and stale-entry erase,
 *          but no same-filled path (the swap core's zeromap keeps zero pages
 *          from zswap: the machine's swap_zeromap, on by default with this era;
 *          any other page of one repeated word is compressed), a codec overflow
 *          of the one-page output rejected and counted (reject_compress_fail),
 *          no raw storage, no duplicate_entry, and a 56-byte zswap_entry. The
 *          same_filled_pages_enabled and non_same_filled_pages_enabled
 *          parameters do not exist in 6.12: reports leave them out, and only
 *          their defaults are accepted (ParamSpec.eras).
 *
 *   init(type):          tree[type] = {} (zswap_frontswap_init)
 *   store(type,off,page):
 *     !enabled or no tree: fail, uncounted                     [6.8+: erase stale entry]
 *     [6.6]  dup = tree[off]: duplicate_entry++, free it first
 *            ([6.1]: frontswap already invalidated it, so there is none)
 *     [4.x]  cur = pool pages; if totalram*max_pool_percent/100 < cur:
 *              pool_limit_hit++; zpool_shrink(oldest pool, 1) synchronously
 *              (zbud/z3fold: write back the LRU-tail page's objects; zsmalloc: -EINVAL);
 *              failure → reject_reclaim_fail++, fail
 *     [6.1]  full (max < cur): pool_limit_hit++, reached_full = 1,
 *              queue_work(shrink_wq, oldest pool's shrink_work), fail
 *            reached_full: can_accept (totalram*accept/100*max/100 > cur) ? reached_full = 0 : fail
 *     [6.6]  the same, but a reached_full store that cannot be accepted queues the work too
 *     [6.8+, 6.12] cur >= max: pool_limit_hit++, reached_full = 1; reached_full and
 *            cur <= max*accept/100: reached_full = 0; reached_full: queue shrink, fail
 *     [4.x–6.8+] same_filled_pages_enabled and all 8-byte words equal: entry(length 0, value);
 *            same_filled_pages++ (no pool memory), goto insert
 *     [4.x–6.8+] !non_same_filled_pages_enabled: fail, uncounted
 *     dlen = compress(current pool's compressor, page)
 *     dlen > PAGE_SIZE (the codec overflows the one-page output the kernel allows):
 *            [4.x, 6.1] fail, uncounted (observed on 6.1); [6.6, 6.12] reject_compress_fail++
 *            (observed on 6.12.95, lz4, lzo and zstd alike); [6.8+] store raw
 *     [6.8+] dlen >= PAGE_SIZE: store raw: dlen = PAGE_SIZE, stored_incompressible_pages++
 *     handle = zpool_malloc(hlen + dlen): hlen = 8 (struct zswap_header) in 4.x,
 *            in 6.1 when zpool_evictable (zbud, z3fold; not zsmalloc), 0 in 6.6, 6.8+ and 6.12
 *            -ENOSPC → reject_compress_poor; other errors → reject_alloc_fail; fail
 *     insert: [4.x, 6.1, 6.8+, 6.12] a dup in the tree is freed now, duplicate_entry++ (6.12: uncounted)
 *            [6.6, 6.8+, 6.12] the entry goes to the head of zswap's LRU
 *     stored_pages++, zswpout++, zswap_update_total_size
 *   zswap_pool_total_size [4.x, 6.1, 6.6]: set to the pools' pages after a store and in
 *            zswap_free_entry, and read by the limit checks and debugfs: after a zbud or
 *            z3fold writeback it still counts the page reclaim freed (the entry's free
 *            updates it while the page is under_reclaim), so the next store hits the limit
 *            again and another work item runs. [6.8+] the pools' pages, live (6.11's
 *            zswap_total_pages; 6.8–6.10 kept the cached total).
 *   load(type,off):  entry = tree[off] or fail; same-filled: fill the page;
 *            else decompress; zswpin++. Exclusive ([6.6] exclusive_loads, [6.8+]
 *            always): the entry is freed (the frontend clears its bit and the
 *            page is dirty). Non-exclusive: the entry stays ([6.6] and moves to
 *            the LRU head).
 *   invalidate_page: free tree[off] if present.  invalidate_area: free the tree.
 *   writeback(entry) (zpool evict callback [4.x, 6.1]; LRU tail [6.6, 6.8+]):
 *            env.swapWriteback: a page for the slot in the swap cache (GFP_KERNEL from the
 *            worker, so it may reclaim; 4.x's synchronous shrink is in reclaim, PF_MEMALLOC);
 *            'exists' → -EEXIST, the entry is kept; the entry gone meanwhile or no page →
 *            -ENOMEM; else the page is written with PG_reclaim set and stays in the swap
 *            cache, clean, until reclaim drops it (a fault on it is minor; its write ends
 *            before it reaches the LRU, so it is not rotated: src/mm/reclaim/linux-6.1.ts
 *            zswapWriteDone); the entry is
 *            decompressed into it (charged; real when verifying), written_back_pages++,
 *            zswpwb++, the entry is freed (the frontend's bit stays set: a later
 *            load misses here and reads the swap device).
 *   shrink_worker [6.1] (a work item on the pool it was queued on):
 *            zpool_shrink(pool, 1) (zbud/z3fold: zbud_reclaim_page /
 *            z3fold_reclaim_page with 8 retries over LRU-tail pages); an error
 *            (zsmalloc always: -EINVAL) → reject_reclaim_fail++. Nothing else.
 *   shrink_worker [6.6]: repeat zswap_reclaim_entry (the pool's LRU tail; empty
 *            → -EINVAL; a refused writeback rotates the entry to the head →
 *            -EAGAIN); each error → reject_reclaim_fail++, stop on a non-EAGAIN
 *            error or after 16; until can_accept.
 *   shrink_worker [6.8+, 6.12]: repeat until cur <= max*accept/100: the LRU-tail
 *            entry, if the store's referenced mark is still on it (6.9's second
 *            chance), loses the mark and rotates to the head, a failure not
 *            counted; else it is written back (a failure → reject_reclaim_fail++
 *            and the entry rotates to the head); stop after 16 failures of
 *            either kind.
 *   pools: a pool is (compressor, zpool). Changing either parameter makes a new
 *            current pool for new stores, or reuses a live pool that matches;
 *            older pools serve loads and invalidates and are destroyed when empty
 *            and no shrink work is queued on them.
 *
 * Deviations and choices:
 * - The shrink worker is a work item on the simulated clock (BackendEnv.queueWork,
 *   src/sim/workqueue.ts): it runs between operations once WORK_LATENCY_NS has
 *   passed since it was queued, so stores issued meanwhile are rejected as they
 *   would be while the kernel's work item is pending. queue_work on a pending
 *   item does nothing; 6.1 then leaked the pool reference zswap_pool_last_get
 *   took (fixed later), which only delays destroying an old pool: not modelled.
 * - '6.1' zsmalloc cannot write back (zpool_evictable is false in 6.1; 6.2–6.4
 *   gave it an LRU of its own), so with zsmalloc every store, same-filled ones
 *   too, is rejected until invalidations bring the pool below the accept
 *   threshold, as observed on a 6.1 kernel. With zbud/z3fold one work item
 *   writes back one zpool page, queued only by a store that finds the pool
 *   full: above the threshold and below the limit nothing is written back
 *   (the stall "mm: zswap: shrink until can accept" fixed in 6.5).
 * - '6.6': the LRU is one list over all pools (6.5–6.7 kept one per pool and
 *   the worker reclaimed the oldest pool's; the same with one pool). The
 *   memcg parts (obj_cgroup_may_zswap, per-memcg counters) are not modelled.
 * - '6.8+': the memcg limits (memory.zswap.max, zswap.writeback) and the
 *   memcg-aware shrinker (shrinker_enabled) are not modelled; the worker
 *   writes back one global LRU. The 6.8–6.11 same-filled path is kept (6.12+
 *   has the swap core's zeromap keep zero pages from zswap altogether: era
 *   '6.12'). Raw storage (stored_incompressible_pages) is the current kernel's.
 * - '6.12': the zswap tree's xarray nodes (6.10) are not charged to RAM (the
 *   entries are); the memcg round-robin of 6.12's worker (one root memcg in
 *   the guests: a NULL turn between entries, no failure) is not walked; the
 *   shrinker (shrinker_enabled, off in Debian's 6.12) is not modelled.
 * - duplicate_entry is counted in every era but 6.12 (the kernel dropped it in 6.10);
 *   in 6.1 it stays 0 through the machine because frontswap invalidates first. A counter
 *   the era's kernel lacks (its list's eras) is reported n/a (null), not 0 (counterEra).
 *   reject_compress_fail moves only in 6.6 and 6.12 (tmemsim's codecs fail only
 *   by overflowing the page). decompress_fail never moves.
 *   reject_kmemcache_fail never moves (the entry slab is charged to RAM, but its
 *   allocation never fails).
 * - A codec output > PAGE_SIZE counts as a compression failure for every
 *   codec (the kernel passes a one-page output length; lzo ignored it in 4.x
 *   and went on to -ENOSPC in zbud).
 * - Defaults: compressor 'lz4' (the kernel's default is lzo, lzo-rle from 5.x;
 *   tmemsim has no lzo); zpool '' means the era's default (the kernel's
 *   ZSWAP_PARAM_UNSET is also ""): zbud for 4.x, zsmalloc for 6.1, 6.6, 6.8+
 *   (6.1's Kconfig default is zbud; the 6.1 kernel observed in the reference ran zsmalloc).
 * - exclusive_loads exists in '6.6' only: '4.x' and '6.1' loads are never
 *   exclusive, '6.8+' always (the parameter is then ignored; changing it at
 *   runtime to the other value is an error). frontswapExclusiveGets follows the
 *   current value: the frontend must read it per load to see runtime changes.
 * - accept_threshold_percent (5.6) and non_same_filled_pages_enabled (5.18;
 *   removed with same_filled_pages_enabled in 6.11) do not exist in '4.x',
 *   nor exclusive_loads outside '6.6' (6.5 to 6.7): reports leave them out,
 *   and a value other than the default is bad input (ParamSpec.eras).
 * - zsmalloc pools register zs_shrinker (4.1+, every era): Backend.shrink
 *   exists while a live pool is a zsmalloc one and runs do_shrink_slab
 *   (backends/shrinker.ts) with the reclaim pass's priority, which the 6.1
 *   reclaim passes from each shrink_node (the 3.x reclaim passes none:
 *   DEF_PRIORITY); a scan is zs_compact. The copies are charged
 *   as memcpy.
 * - z3fold in 6.1, 6.6 and 6.8+ follows z3fold.c of 6.1 (a 2-chunk header,
 *   get_free_buddy, single-buddy compaction; see allocators/z3fold.ts).
 * - The pool limit reads env.vm().totalram (the ballooned RAM) at every store.
 *   The pool can pass the limit by one allocation: zbud/z3fold 1 page,
 *   zsmalloc one zspage (up to 4, or 8 with 6.3 rules): the check comes
 *   before the allocation, as in the kernel.
 * - Each entry is charged to simulated RAM as one object of the zswap_entry
 *   slab (slabPages: sizeof(struct zswap_entry) of the era, floor(4096 /
 *   size) a page, no partial slabs kept), and so are zsmalloc's zs_handle
 *   and zspage caches and 6.1 z3fold's z3fold_handle cache (allocators/; the
 *   rbtree nodes are inside the entries, as in the kernel). With frames
 *   (6.1-cfs-buddy on a zone layout) each slab page takes an unmovable frame
 *   at the next page allocation (mm/memory.ts, syncSlab), not inside the
 *   store. No per-CPU streams, locking, THP, memcg
 *   or NUMA.
 * - Costs: the shrink worker's visit to an LRU entry (6.6, 6.8+, 6.12) as the profile's
 *   mm.zswapShrinkVisitCycles (0 unless the profile measures it: the validation guests');
 *   compression and decompression through the meter; the copy of the
 *   compressed bytes into the zpool object and a same-filled page's fill as
 *   memcpy; tree and zpool bookkeeping as fixed cycle estimates (below); the
 *   same-filled scan at a cycle per 8-byte word read.
 *
 * What era '6.1' still does differently from a 6.1 kernel (the counters
 * `tmemsim validate` finds out of tolerance are in validation/known-deviations.json;
 * the reasons, with the numbers, in docs/validation.md):
 * - When the shrink work runs. Its kworker gets the CPU as CFS gives it on
 *   one CPU (sim/sched.ts): a queue_work within about 1 ms of kswapd's wake
 *   does not preempt kswapd, and the item waits for kswapd's sleep or a tick;
 *   stores meanwhile find it pending and count pool_limit_hit without a run.
 *   With the default reclaim model (6.1-cfs) kswapd is itself a task that the
 *   workload preempts and allocates beside; the scheduler sees only the
 *   preemption points between events, kswapd's pages and work items, and
 *   inside a work item its cond_resched points (6.6, 6.8+, 6.12: after each
 *   writeback) and the pages of its GFP_KERNEL allocation's direct reclaim,
 *   which runs as the kworker's while the pool stays full (sim/tasks.ts); a
 *   writeback's page, decompressed, goes to the device without a plug, which on
 *   a device with an I/O scheduler (the profile's storage.ioScheduler: the
 *   validation guests' mq-deadline) wakes kblockd's nice -20 kworker, and the
 *   switch after it picks the leftmost task (sched.ts kblockd). An allocation
 *   of the kworker that still finds no zone above min after its reclaim sleeps
 *   a jiffy before it retries (6.1's should_reclaim_retry for a workqueue
 *   worker; sim/tasks.ts), the others storing into the full pool meanwhile:
 *   6.1's `limit50-zbud` pool_limit_hit 579 at tick phase 0 against 361-544,
 *   and 2-116 at the other phases (docs/validation.md, "limit50-zbud's window,
 *   traced again").
 *   reject_reclaim_fail on zsmalloc is within tolerance for lz4 and at
 *   max_pool_percent 20, and under the kernel's for lzo and zstd
 *   (docs/validation.md item 2). The share of limit hits after which the
 *   worker runs follows the CPU's speed (the profile's costs), as the
 *   guests' does.
 * - zpool pages are taken as in reclaim under PF_MEMALLOC (__gfp_pfmemalloc_flags
 *   → ALLOC_NO_WATERMARKS: below the min watermark, down to the last free
 *   page), every era: zswap's stores come from swap_writepage in reclaim. A
 *   store from a context without PF_MEMALLOC (none here) would stop at min.
 * - The zswap_entry, zs_handle, zspage and z3fold_handle slabs are charged as
 *   whole pages of packed objects; SLUB's partly used and per-CPU slabs are
 *   not (the guests' SUnreclaim grew 411-417 pages in rw-zsmalloc-lz4's write
 *   phase, tmemsim charges 406; 393-397 with z3fold, tmemsim 216 + 165).
 * - 6.1's leaked pool reference on a pending queue_work, per-CPU compression
 *   streams and their locking, memcg charging (obj_cgroup_may_zswap) and THP
 *   pages (rejected by 6.1) are not modelled.
 * The other counters out of tolerance come from outside zswap: pool_limit_hit
 * of the write phase follows the swap-outs the memory model makes (in-flight
 * writeback and kswapd's overshoot not modelled), the rewrite phase's kept
 * entries follow its write faults, and the 20-34 zswpin of each write phase
 * are the guest's own pages (shell, initramfs tmpfs) that the replay lacks.
 */

import type { Backend, BackendEnv, BackendFactory, FrontswapOps, LruSizes, ParamSpec, PoolRecord } from './backend.js';
import { DEF_PRIORITY, MAX_RECLAIM_RETRIES } from '../mm/reclaim/reclaim.js';
import { SHRINK_STOP, Shrinker } from './shrinker.js';
import { checkEraParam, checkRuntimeParam, paramSpec, paramsOfEra, resolveParams } from './params.js';
import { zeroCounters, type CounterGroup, type CounterSpec, type CountersOf } from './counters.js';
import { getZpool } from '../allocators/registry.js';
import { EAGAIN, EEXIST, EINVAL, ENOMEM, ENOSPC, type EvictFn, type PageSource, type Zpool, type ZpoolFactory } from '../allocators/zpool.js';
import { zsmallocFactoryFor } from '../allocators/zsmalloc.js';
import { z3foldFactoryFor } from '../allocators/z3fold.js';
import { runSteps, WorkStep, type WorkItem } from '../sim/workqueue.js';
import type { Compressed, Compressor } from '../compressors/compressor.js';
import { PAGE_SIZE, type Page, type PageOut } from '../content/page.js';
import { InvariantError, UsageError, notice } from '../errors.js';
import type { ParamMap, ParamValue } from './params.js';

const ZSWAP_NAME = 'zswap';

export type ZswapEra = '4.x' | '6.1' | '6.6' | '6.8+' | '6.12';
export const ZSWAP_ERAS: readonly ZswapEra[] = ['4.x', '6.1', '6.6', '6.8+', '6.12'];
/** Deprecated era names and the era each means. */
export const ZSWAP_ERA_ALIASES: Readonly<Record<string, ZswapEra>> = { '6.x': '6.1' };

// duplicates: these constants are alike in shape only to trace/formats/tmtb.ts's flag bits and compressors/zstd.ts's
// constants (runs of const NAME = n): nothing in common.
/** sizeof(struct zswap_header): the swap entry kept in front of the data (4.x; 6.1 on evictable zpools). */
const ZSWAP_HEADER_SIZE = 8;

// Bookkeeping costs: estimates, not measurements. A tree operation is a
// spinlock and an rbtree walk (a few hundred cycles); a zpool malloc or free is
// list surgery in the allocator.
/** Cycles charged per tree operation (store, load, invalidate lookups). */
const ZSWAP_TREE_CYCLES = 300;
/** Cycles charged per zpool malloc or free. */
const ZSWAP_ZPOOL_CYCLES = 200;
/** Cycles per 8-byte word read by the same-filled check. */
const SAME_FILLED_CYCLES_PER_WORD = 1;

/** What differs between the eras. */
interface EraRules {
  /** When zswap puts struct zswap_header in front of each zpool object. */
  readonly header: 'always' | 'evictable' | 'none';
  /** Free a duplicate before storing (6.5+); otherwise it is replaced at insert. */
  readonly dupFirst: boolean;
  /** A failed or disabled store erases the stale entry at that offset. */
  readonly eraseStaleOnFailure: boolean;
  /**
   * The pool-limit check: 4.x shrinks synchronously; 6.1 queues the worker when
   * full and rejects without queueing while above the accept threshold; 6.5–6.7
   * queue it in both cases; 6.8+ compares against the accept threshold.
   */
  readonly limit: 'sync-shrink' | 'reject-6.1' | 'hysteresis-6.5' | 'hysteresis-6.8';
  /** What one shrink work item does: one zpool_shrink (6.1), LRU writeback until can_accept (6.5–6.7), 6.8+'s loop. */
  readonly worker: 'none' | 'zpool-once' | 'lru-until-accept' | 'lru-6.8';
  /** A codec overflow counts reject_compress_fail (6.6–6.7). */
  readonly countCompressFail: boolean;
  readonly exclusiveLoads: 'never' | 'param' | 'always';
  /** Codec overflow / size >= PAGE_SIZE: rejected, or stored uncompressed. */
  readonly incompressible: 'reject' | 'raw';
  /**
   * zswap keeps a page of one repeated 8-byte word as that word (4.16–6.11). 6.12 removed the
   * path: the swap core's zeromap keeps zero pages out of zswap, and any other page is compressed.
   */
  readonly sameFilled: boolean;
  /** A store that replaces an entry counts duplicate_entry (the file went in 6.10; tmemsim's 6.8+ keeps it). */
  readonly countsDuplicate: boolean;
  /** The era's kernel keeps zero pages in the swap core's zeromap (6.12), so they never reach zswap: config.swap_zeromap's default. */
  readonly swapZeromap: boolean;
  /** Writeback through zswap's own entry LRU (any zpool) instead of zpool_shrink; a load then rotates its entry to the head. */
  readonly entryLru: boolean;
  readonly defaultZpool: string;
  /**
   * sizeof(struct zswap_entry), one object of the zswap_entry kmem_cache per
   * stored page (same-filled ones too): 4.x rbnode, offset, refcount, length,
   * pool, handle = 56; 6.1 adds objcg (5.19) = 64; 6.6 adds the lru list_head = 80
   * (6.8 keeps that layout).
   */
  readonly entryBytes: number;
  /** Allocator factories that differ from the registry's in this era. */
  readonly zpoolOverrides: Readonly<Record<string, ZpoolFactory>>;
  /**
   * The limit checks and debugfs pool_total_size read zswap_pool_total_size, which
   * zswap_update_total_size refreshes only after a store and in zswap_free_entry
   * (3.11–6.10); false: the pools' live size (6.11's zswap_total_pages).
   */
  readonly cachedTotalSize: boolean;
}

const ERA_RULES: Readonly<Record<ZswapEra, EraRules>> = {
  '4.x': {
    header: 'always',
    dupFirst: false,
    eraseStaleOnFailure: false,
    limit: 'sync-shrink',
    worker: 'none',
    countCompressFail: false,
    exclusiveLoads: 'never',
    incompressible: 'reject',
    sameFilled: true,
    countsDuplicate: true,
    swapZeromap: false,
    entryLru: false,
    defaultZpool: 'zbud',
    entryBytes: 56,
    zpoolOverrides: {},
    cachedTotalSize: true,
  },
  '6.1': {
    header: 'evictable',
    dupFirst: false,
    eraseStaleOnFailure: false,
    limit: 'reject-6.1',
    worker: 'zpool-once',
    countCompressFail: false,
    exclusiveLoads: 'never',
    incompressible: 'reject',
    sameFilled: true,
    countsDuplicate: true,
    swapZeromap: false,
    entryLru: false,
    defaultZpool: 'zsmalloc',
    entryBytes: 64,
    zpoolOverrides: { z3fold: z3foldFactoryFor('6.1') },
    cachedTotalSize: true,
  },
  '6.6': {
    header: 'none',
    dupFirst: true,
    eraseStaleOnFailure: false,
    limit: 'hysteresis-6.5',
    worker: 'lru-until-accept',
    countCompressFail: true,
    exclusiveLoads: 'param',
    incompressible: 'reject',
    sameFilled: true,
    countsDuplicate: true,
    swapZeromap: false,
    entryLru: true,
    defaultZpool: 'zsmalloc',
    entryBytes: 80,
    zpoolOverrides: { zsmalloc: zsmallocFactoryFor('6.3'), z3fold: z3foldFactoryFor('6.1') },
    cachedTotalSize: true,
  },
  '6.8+': {
    header: 'none',
    dupFirst: false,
    eraseStaleOnFailure: true,
    limit: 'hysteresis-6.8',
    worker: 'lru-6.8',
    countCompressFail: false,
    exclusiveLoads: 'always',
    incompressible: 'raw',
    sameFilled: true,
    countsDuplicate: true,
    swapZeromap: false,
    entryLru: true,
    defaultZpool: 'zsmalloc',
    entryBytes: 80,
    zpoolOverrides: { zsmalloc: zsmallocFactoryFor('6.3'), z3fold: z3foldFactoryFor('6.1') },
    cachedTotalSize: false,
  },
  '6.12': {
    header: 'none',
    dupFirst: false,
    eraseStaleOnFailure: true,
    limit: 'hysteresis-6.8',
    worker: 'lru-6.8',
    countCompressFail: true,
    exclusiveLoads: 'always',
    incompressible: 'reject',
    sameFilled: false,
    countsDuplicate: false,
    swapZeromap: true,
    entryLru: true,
    defaultZpool: 'zsmalloc',
    // swpentry 8, length 4, referenced 1 (+3), pool 8, handle 8, objcg 8, lru 16: the rbnode went
    // with the xarray tree (6.10), the same-filled value with the path (6.12)
    entryBytes: 56,
    zpoolOverrides: { zsmalloc: zsmallocFactoryFor('6.3'), z3fold: z3foldFactoryFor('6.1') },
    cachedTotalSize: false,
  },
};

// duplicates: alike in shape to the other backends' parameter lists (RAMSTER_PARAMS in ramster/ramster.ts,
// XEN_TMEM_PARAMS in xen-tmem/xen-tmem.ts, ZCACHE_PARAMS in zcache/zcache.ts): kernel-shaped, this one lists
// mm/zswap.c's module parameters (/sys/module/zswap/parameters/), then tmemsim's era; one list per backend, each
// feeding its params, docs and checks.
export const ZSWAP_PARAMS: readonly ParamSpec[] = [
  { name: 'enabled', type: 'bool', default: true, runtime: true, doc: 'Accept new stores. false stops stores only: stored pages stay loadable.' },
  {
    name: 'compressor',
    type: 'string',
    default: 'lz4',
    runtime: true,
    doc: "Compressor (crypto API name) of the current pool. The kernel's default is lzo (lzo-rle from 5.x); tmemsim's is lz4. A change makes a new current pool (or reuses a live one).",
  },
  {
    name: 'zpool',
    type: 'string',
    default: '',
    runtime: true,
    doc: "Allocator of the current pool: zbud, z3fold or zsmalloc; '' is the era's default (zbud for 4.x, zsmalloc for 6.1, 6.6, 6.8+ and 6.12). A change makes a new current pool (or reuses a live one).",
  },
  {
    name: 'max_pool_percent',
    type: 'int',
    default: 20,
    min: 0,
    max: 100,
    runtime: true,
    doc: 'The pool may hold at most this percentage of RAM (totalram pages).',
  },
  {
    name: 'accept_threshold_percent',
    type: 'int',
    default: 90,
    min: 0,
    max: 100,
    runtime: true,
    doc: 'After the pool was full, stores are rejected until it is below this percentage of the limit (came in 5.6).',
    eras: ['6.1', '6.6', '6.8+', '6.12'],
  },
  { name: 'same_filled_pages_enabled', type: 'bool', default: true, runtime: true, doc: 'Store pages whose 8-byte words are all equal as just the value, with no pool memory (the parameter until 6.10, the path until 6.11).', eras: ['4.x', '6.1', '6.6', '6.8+'] },
  { name: 'non_same_filled_pages_enabled', type: 'bool', default: true, runtime: true, doc: 'Store pages that are not same-filled (compressed). false: only same-filled pages are stored (5.18–6.10).', eras: ['6.1', '6.6', '6.8+'] },
  {
    name: 'exclusive_loads',
    type: 'bool',
    default: false,
    runtime: true,
    doc: 'A load frees the stored copy (6.5–6.7: era 6.6 only; 4.x and 6.1 loads are never exclusive, 6.8+ loads always are).',
    eras: ['6.6'],
  },
  {
    name: 'era',
    type: 'string',
    default: '4.x',
    choices: [...ZSWAP_ERAS, ...Object.keys(ZSWAP_ERA_ALIASES)],
    runtime: false,
    doc: "tmemsim's: which kernel's zswap: 4.x (frontswap backend, sync shrink), 6.1 (the 6.1.y LTS: reject + one-page shrink work item, zswap_header on zbud/z3fold), 6.6 (6.5–6.7: zswap's own LRU, shrink until the accept threshold, exclusive_loads), 6.8+ (a recent mm/zswap.c: exclusive loads, raw incompressible pages; not 6.12's rules, measured: docs/zswap.md), 6.12 (6.12: zero pages kept by the swap core's zeromap, incompressible pages rejected and counted; on 6.1's reclaim model). '6.x' is a deprecated name for 6.1.",
  },
];

// duplicates: alike in shape to the other backends' counter lists (RAMSTER_COUNTERS in ramster/ramster.ts,
// REMOTE_NODE_COUNTERS in ramster/node.ts, XEN_TMEM_COUNTERS in xen-tmem/xen-tmem.ts, SELFBALLOON_COUNTERS in
// xen-tmem/selfballoon.ts, ZBUD_COUNTERS in zcache/zbud.ts, ZCACHE_COUNTERS in zcache/zcache.ts): kernel-shaped:
// mirrors mm/zswap.c's debugfs files; one list per backend, each feeding its stats, report and docs.
/** /sys/kernel/debug/zswap/, in the kernel's order. */
const ZSWAP_COUNTERS = [
  { name: 'pool_limit_hit', kind: 'event', doc: 'Stores that found the pool at its limit (max_pool_percent).' },
  { name: 'reject_reclaim_fail', kind: 'event', doc: 'Writeback attempts that failed to make room (per era: docs/zswap.md).' },
  { name: 'reject_alloc_fail', kind: 'event', doc: 'Stores rejected because the zpool could not allocate.' },
  { name: 'reject_kmemcache_fail', kind: 'event', doc: 'Stores rejected for want of an entry (never here: entries are not charged).' },
  { name: 'reject_compress_fail', kind: 'event', eras: ['6.6', '6.8+', '6.12'], doc: 'Stores rejected because compression failed (the codec overflowed the one page of output: 6.6 and 6.12; 6.8+ stores such a page raw).' },
  { name: 'reject_compress_poor', kind: 'event', doc: 'Stores rejected because the compressed page did not fit the zpool (-ENOSPC).' },
  { name: 'written_back_pages', kind: 'event', doc: 'Pages written back to the swap device.' },
  { name: 'duplicate_entry', kind: 'event', eras: ['4.x', '6.1', '6.6', '6.8+'], doc: 'Stores that found an entry at their offset (the kernel dropped the file in 6.10; 6.8+ keeps it).' },
  { name: 'pool_total_size', kind: 'gauge', doc: "Bytes: zswap_pool_total_size, the pools' pages as of the last store or entry free (4.x–6.6; a zbud/z3fold page reclaim frees comes off at the next one); 6.8+ the pools' pages now." },
  { name: 'stored_pages', kind: 'gauge', doc: 'Pages stored.' },
  { name: 'same_filled_pages', kind: 'gauge', eras: ['4.x', '6.1', '6.6', '6.8+'], doc: 'Stored pages kept as one repeated word, without zpool memory (gone in 6.12 with the path; 6.8+ keeps it).' },
  { name: 'stored_incompressible_pages', kind: 'gauge', eras: ['6.8+'], doc: "Pages stored uncompressed (the current kernel's raw storage)." },
  { name: 'decompress_fail', kind: 'event', doc: 'Loads whose decompression failed (never moves here; the file came after 6.12: no 6.1 or 6.12 kernel has it).' },
] as const satisfies readonly CounterSpec[];

type ZswapCounters = CountersOf<typeof ZSWAP_COUNTERS>;

/** vmstat events zswap counts. */
const ZSWAP_VMSTAT_COUNTERS = [
  { name: 'zswpout', kind: 'event', doc: 'Pages stored in zswap (vmstat).' },
  { name: 'zswpin', kind: 'event', doc: 'Pages loaded from zswap (vmstat).' },
  { name: 'zswpwb', kind: 'event', doc: 'Pages written back from zswap (vmstat).' },
] as const satisfies readonly CounterSpec[];

type ZswapVmstat = CountersOf<typeof ZSWAP_VMSTAT_COUNTERS>;

/** What zswap's stats() reports, group by group (and one group per zpool type used: that allocator's own stats). */
const ZSWAP_COUNTER_GROUPS: readonly CounterGroup[] = [
  { group: 'zswap', counters: ZSWAP_COUNTERS },
  { group: 'vmstat', counters: ZSWAP_VMSTAT_COUNTERS },
  {
    group: 'zs_shrinker',
    when: 'a zsmalloc pool was used',
    counters: [
      { name: 'calls', kind: 'event', doc: "tmemsim's: zs_shrinker calls from reclaim (do_shrink_slab), over every pool." },
      { name: 'scans', kind: 'event', doc: "tmemsim's: scan_objects calls (each a zs_compact)." },
      { name: 'pages_freed', kind: 'event', doc: 'Pages zs_compact freed.' },
    ],
  },
];

/** One pool of the history (plain data). */
interface ZswapPoolInfo {
  id: number;
  compressor: string;
  zpool: string;
  created_ns: number;
  destroyed_ns: number | null;
  stored_pages_peak: number;
  stored_pages: number;
}

/** The deprecated-alias notice, given once per thread. */
let aliasNoted = false;
/** The notice that era 6.12 runs without the swap core's zeromap, given once per thread. */
let zeromapNoted = false;

/** The era a name means: itself, or the era an alias stands for. */
function canonicalEra(name: string): ZswapEra {
  return ZSWAP_ERA_ALIASES[name] ?? (name as ZswapEra);
}

/** The era a name means (an alias is mapped, with a notice, errors.ts, the first time). */
export function zswapEraOf(name: string): ZswapEra {
  const to = canonicalEra(name);
  if (to === name) return to;
  if (!aliasNoted) {
    aliasNoted = true;
    notice(`zswap era '${name}' is deprecated and means '${to}' (mm/zswap.c of 6.1.y); use era=${to}, or era=6.6 for 6.5–6.7`);
  }
  return to;
}

/** struct zswap_entry. */
class ZswapEntry {
  constructor(
    readonly type: number,
    readonly offset: number,
    /** null for a same-filled page (it pins no pool). */
    readonly pool: ZswapPool | null,
    readonly handle: number,
    /** Compressed bytes (PAGE_SIZE when raw, 0 when same-filled). */
    readonly length: number,
    /** The codec's output (also kept for raw pages, to restore the bytes). */
    readonly data: Compressed | null,
    readonly raw: boolean,
    /** Same-filled value: the first 8 bytes, little-endian, as two 32-bit halves. */
    readonly fillLo: number,
    readonly fillHi: number,
    readonly tag: number,
  ) {}
  /** [6.8+, 6.12] The second chance's mark (6.9's "referenced"): set by the store, cleared by the shrink worker's first visit. */
  referenced = true;
}

/** struct zswap_pool: a compressor and a zpool. */
class ZswapPool {
  destroyedNs: number | null = null;
  storedPages = 0;
  storedPagesPeak = 0;
  /** References held by a running shrink (zswap_pool_get): the pool is not destroyed meanwhile. */
  busy = 0;
  /** pool->shrink_work. */
  readonly work: WorkItem;
  /** zsmalloc's zs_shrinker (registered by zs_create_pool), or null. */
  shrinker: Shrinker | null = null;
  /** migratedBytes already charged to the meter. */
  chargedMigrated = 0;
  /** zpool handle → entry (what the 4.x zswap_header in the object tells writeback). */
  readonly byHandle = new Map<number, ZswapEntry>();
  readonly evict: EvictFn;
  constructor(
    readonly id: number,
    readonly comp: Compressor,
    readonly zpoolName: string,
    readonly zpool: Zpool,
    readonly createdNs: number,
    evict: (pool: ZswapPool, handle: number) => number,
    worker: (pool: ZswapPool) => Generator<WorkStep, void>,
  ) {
    this.evict = (handle) => evict(this, handle);
    this.work = { name: `zswap-shrink pool ${id}`, run: () => runSteps(worker(this)), steps: () => worker(this) };
  }
}

export class ZswapBackend implements Backend, FrontswapOps {
  readonly name = ZSWAP_NAME;
  readonly frontswap: FrontswapOps;
  readonly cleancache = null;
  readonly era: ZswapEra;
  readonly counters: ZswapCounters = zeroCounters(ZSWAP_COUNTERS);
  get counterEra(): string {
    return this.era;
  }
  readonly vmstat: ZswapVmstat = zeroCounters(ZSWAP_VMSTAT_COUNTERS);

  private readonly rules: EraRules;
  private readonly values: ParamMap;
  private readonly trees = new Map<number, Map<number, ZswapEntry>>();
  /** Live pools, current first (the kernel's zswap_pools list). */
  private readonly live: ZswapPool[] = [];
  /** Every pool ever made, in creation order. */
  private readonly history: ZswapPool[] = [];
  private nextPoolId = 0;
  private reachedFull = false;
  /** zswap_pool_total_size in pages, as zswap_update_total_size last set it. */
  private totalSizePages = 0;
  /** 6.8+: zswap's entry LRU (iteration order: oldest first). */
  private readonly lru = new Set<ZswapEntry>();
  /** 6.8+: the one shrink work item (zswap_shrink_work). */
  private readonly work68: WorkItem = { name: 'zswap-shrink', run: () => runSteps(this.shrinkWorkerLru()), steps: () => this.shrinkWorkerLru() };
  private bytesStored = 0;
  private readonly scratch = new Uint8Array(PAGE_SIZE);
  private scanBuf: ArrayBufferLike | null = null;
  private scanOff = -1;
  private scanView: Uint32Array | null = null;

  constructor(
    private readonly env: BackendEnv,
    params?: ParamMap,
  ) {
    const v = resolveParams(ZSWAP_NAME, ZSWAP_PARAMS, params);
    this.era = zswapEraOf(v['era'] as string);
    v['era'] = this.era;
    this.rules = ERA_RULES[this.era];
    if (this.rules.exclusiveLoads === 'never' && v['exclusive_loads'] === true) {
      throw new UsageError(
        `parameter 'exclusive_loads' of backend ${ZSWAP_NAME} needs era 6.6 (it came in 6.5; zswap loads are never exclusive in era ${this.era})`,
        { field: 'exclusive_loads' },
        'false',
      );
    }
    if (this.rules.exclusiveLoads === 'always') v['exclusive_loads'] = true;
    for (const spec of ZSWAP_PARAMS) this.checkEra(spec, v[spec.name]!);
    if (this.rules.swapZeromap && env.swapZeromap !== true && !zeromapNoted) {
      zeromapNoted = true;
      notice(`zswap era '${this.era}' runs on a swap core without the zeromap (config.swap_zeromap false): zero pages reach zswap and are compressed, as its kernel never does`);
    }
    this.values = v;
    // its own methods are frontswap_ops as they stand (zswap_frontswap_store & co.)
    this.frontswap = this;
    const zname = this.zpoolName(v['zpool'] as string);
    const comp = env.compression.get(v['compressor'] as string);
    this.values['zpool'] = zname;
    this.live.push(this.createPool(comp, zname));
  }

  // ---- parameters -------------------------------------------------------------

  /** The effective zpool name ('' → the era's default), validated. */
  private zpoolName(name: string): string {
    const n = name === '' ? this.rules.defaultZpool : name;
    this.zpoolFactory(n);
    return n;
  }

  private zpoolFactory(name: string): ZpoolFactory {
    return this.rules.zpoolOverrides[name] ?? getZpool(name);
  }

  params(): ParamMap {
    return { ...this.values };
  }

  setParam(name: string, value: ParamValue): void {
    const v = checkRuntimeParam(ZSWAP_NAME, ZSWAP_PARAMS, name, value);
    this.checkEra(paramSpec(ZSWAP_NAME, ZSWAP_PARAMS, name), v);
    switch (name) {
      case 'compressor': {
        const comp = this.env.compression.get(v as string);
        if (comp.name !== this.current.comp.name) this.switchPool(comp, this.current.zpoolName);
        this.values[name] = comp.name;
        return;
      }
      case 'zpool': {
        const z = this.zpoolName(v as string);
        if (z !== this.current.zpoolName) this.switchPool(this.current.comp, z);
        this.values[name] = z;
        return;
      }
      case 'exclusive_loads': {
        const r = this.rules.exclusiveLoads;
        if (r !== 'param' && v !== (r === 'always')) {
          throw new UsageError(
            `parameter 'exclusive_loads' of backend ${ZSWAP_NAME} is fixed to ${String(r === 'always')} in era ${this.era}`,
            { field: name },
            String(r === 'always'),
          );
        }
        this.values[name] = v;
        return;
      }
      default:
        this.values[name] = v;
    }
  }

  /**
   * A parameter this era's kernel lacks keeps its default (ParamSpec.eras, checkEraParam), at
   * load and at a `param` event alike; exclusive_loads has its own rules instead (refused as true
   * before 6.6, fixed to true from 6.8 on: the constructor and setParam).
   */
  private checkEra(spec: ParamSpec, value: ParamValue): void {
    if (spec.name !== 'exclusive_loads') checkEraParam(ZSWAP_NAME, spec, value, this.era);
  }

  private get enabled(): boolean {
    return this.values['enabled'] === true;
  }

  /** 6.1's frontswap invalidates a duplicate before the store, so zswap's duplicate_entry stays 0. */
  get frontswapDupFirst(): boolean {
    return this.era === '6.1';
  }

  /** Whether loads free the stored copy now (frontswap_tmem_exclusive_gets). */
  get frontswapExclusiveGets(): boolean {
    const r = this.rules.exclusiveLoads;
    return r === 'always' || (r === 'param' && this.values['exclusive_loads'] === true);
  }

  // ---- pools ------------------------------------------------------------------

  private get current(): ZswapPool {
    return this.live[0]!;
  }

  private createPool(comp: Compressor, zpoolName: string): ZswapPool {
    const factory = this.zpoolFactory(zpoolName);
    // zpool_malloc runs in reclaim (swap_writepage under PF_MEMALLOC) with __GFP_NORETRY |
    // __GFP_NOWARN | __GFP_KSWAPD_RECLAIM: ALLOC_NO_WATERMARKS, the min reserve included; with
    // __GFP_MOVABLE too where the allocator can migrate its pages (zpool_malloc_support_movable).
    const movable = factory.movable === true;
    const env = this.env;
    const pages: PageSource = { allocPage: () => env.allocPage(true, movable), freePage: () => env.freePage(movable) };
    const zpool = factory.create(pages);
    const p = new ZswapPool(
      this.nextPoolId++, comp, zpoolName, zpool, this.env.now(),
      (pool, h) => this.writebackHandle(pool, h),
      (pool) => this.shrinkWorker(pool),
    );
    if (zpool.compact !== undefined && zpool.compactable !== undefined) {
      const compact = zpool.compact.bind(zpool);
      const count = zpool.compactable.bind(zpool);
      // zs_shrinker_scan: zs_compact, SHRINK_STOP when it freed nothing
      p.shrinker = new Shrinker({ count, scan: () => compact() || SHRINK_STOP });
    }
    this.history.push(p);
    this.updateShrinker();
    return p;
  }

  /**
   * Backend.shrink exists while a shrinker is registered: while a live pool is
   * a zsmalloc one (zs_register_shrinker at zs_create_pool, unregistered at
   * zs_destroy_pool), so reclaim only calls into zswap when the kernel would.
   */
  shrink?: (nrToScan: number, lru: LruSizes) => number;
  private readonly shrinkFn = (nrToScan: number, lru: LruSizes): number => this.shrinkSlab(nrToScan, lru);
  private updateShrinker(): void {
    const on = this.history.some((p) => p.destroyedNs === null && p.shrinker !== null);
    this.shrink = on ? this.shrinkFn : undefined;
  }

  /**
   * The registered shrinkers (zsmalloc pools' zs_shrinker, in registration
   * order) run by shrink_slab with the reclaim pass's priority. Returns what
   * of `nrToScan` is left after the pages they freed.
   */
  private shrinkSlab(nrToScan: number, lru: LruSizes): number {
    let freed = 0;
    for (const p of this.history) {
      if (p.destroyedNs !== null || p.shrinker === null) continue;
      const n = p.shrinker.run(lru.priority ?? DEF_PRIORITY);
      freed += n;
      const moved = p.zpool.migratedBytes ?? 0;
      if (moved > p.chargedMigrated) {
        this.env.meter.copy(moved - p.chargedMigrated);
        p.chargedMigrated = moved;
      }
    }
    return Math.max(0, nrToScan - freed);
  }

  /** __zswap_param_set: a matching live pool becomes current, or a new one. */
  private switchPool(comp: Compressor, zpoolName: string): void {
    const old = this.current;
    let idx = -1;
    for (let i = 1; i < this.live.length; i++) {
      const p = this.live[i]!;
      if (p.comp.name === comp.name && p.zpoolName === zpoolName) {
        idx = i;
        break;
      }
    }
    let pool: ZswapPool;
    if (idx >= 0) pool = this.live.splice(idx, 1)[0]!;
    else pool = this.createPool(comp, zpoolName);
    this.live.unshift(pool);
    this.env.meter.meta(ZSWAP_TREE_CYCLES);
    this.poolPut(old);
  }

  /** Destroys a pool that is not current, holds no entries and has no queued work. */
  private poolPut(pool: ZswapPool): void {
    if (pool === this.current || pool.storedPages > 0 || this.env.workPending(pool.work) || pool.busy > 0) return;
    if (pool.destroyedNs !== null) return;
    const i = this.live.indexOf(pool);
    if (i >= 0) this.live.splice(i, 1);
    if (pool.zpool.totalPages() !== 0 || pool.zpool.objects() !== 0) {
      throw new InvariantError(`zswap pool ${pool.id} destroyed with ${pool.zpool.totalPages()} pages still allocated`);
    }
    pool.destroyedNs = this.env.now();
    this.updateShrinker();
  }

  /** The oldest live pool (zswap_pool_last_get). */
  private get last(): ZswapPool {
    return this.live[this.live.length - 1]!;
  }

  /** The pool history (plain data). */
  /** Backend.poolHistory: every pool's lifetime and pages, for the report. */
  poolHistory(): PoolRecord[] {
    return this.pools().map((p) => ({
      id: p.id, compressor: p.compressor, zpool: p.zpool, created_ns: p.created_ns, destroyed_ns: p.destroyed_ns,
      stored_pages: p.stored_pages, stored_pages_peak: p.stored_pages_peak,
    }));
  }

  pools(): ZswapPoolInfo[] {
    return this.history.map((p) => ({
      id: p.id,
      compressor: p.comp.name,
      zpool: p.zpoolName,
      created_ns: p.createdNs,
      destroyed_ns: p.destroyedNs,
      stored_pages_peak: p.storedPagesPeak,
      stored_pages: p.storedPages,
    }));
  }

  // ---- limits -----------------------------------------------------------------

  /**
   * Kernel memory: the zswap_entry slab (SLUB packs floor(PAGE_SIZE / size)
   * objects a page; one entry per stored page) and each live pool's zpool
   * caches (zsmalloc's zs_handle and zspage, 6.1 z3fold's z3fold_handle).
   */
  slabPages(): number {
    let n = Math.ceil(this.counters.stored_pages / Math.floor(PAGE_SIZE / this.rules.entryBytes));
    for (const p of this.live) n += p.zpool.slabPages?.() ?? 0;
    return n;
  }

  /** Pool pages over all live pools (DIV_ROUND_UP(zswap_pool_total_size, PAGE_SIZE)). */
  poolPages(): number {
    let n = 0;
    for (const p of this.live) n += p.zpool.totalPages();
    return n;
  }

  /** totalram_pages() * max_pool_percent / 100. */
  maxPoolPages(): number {
    return Math.floor((this.env.vm().totalram * (this.values['max_pool_percent'] as number)) / 100);
  }

  /**
   * DIV_ROUND_UP(zswap_pool_total_size, PAGE_SIZE): the pool pages as zswap_update_total_size
   * last saw them (every zpool's size is whole pages). Stale between updates: after a zbud or
   * z3fold writeback it still counts the page reclaim freed (zswap_free_entry updates while
   * the page is under_reclaim; the allocator frees it after evict returns), and after a
   * zsmalloc compaction the pages it released.
   */
  private seenPoolPages(): number {
    return this.rules.cachedTotalSize ? this.totalSizePages : this.poolPages();
  }

  /** zswap_update_total_size (an era that reads the pools live keeps no total). */
  private updateTotalSize(): void {
    if (this.rules.cachedTotalSize) this.totalSizePages = this.poolPages();
  }

  /** zswap_is_full (4.x–6.7). */
  private isFull(): boolean {
    return this.maxPoolPages() < this.seenPoolPages();
  }

  /** zswap_can_accept (5.6–6.7). */
  private canAccept(): boolean {
    // totalram * accept / 100 * max_pool_percent / 100, truncated at each step as in C
    const accept = this.values['accept_threshold_percent'] as number;
    const pct = this.values['max_pool_percent'] as number;
    const thr = Math.floor((Math.floor((this.env.vm().totalram * accept) / 100) * pct) / 100);
    return thr > this.seenPoolPages();
  }

  /** zswap_accept_thr_pages (6.8+). */
  private acceptThrPages(): number {
    return Math.floor((this.maxPoolPages() * (this.values['accept_threshold_percent'] as number)) / 100);
  }

  /** The era's pool-limit check before a store: true when the store may go on. */
  private checkLimit(): boolean {
    const c = this.counters;
    switch (this.rules.limit) {
      case 'sync-shrink':
        if (this.isFull()) {
          c.pool_limit_hit++;
          if (this.shrinkSync() !== 0) {
            c.reject_reclaim_fail++;
            return false;
          }
        }
        return true;
      case 'reject-6.1':
      case 'hysteresis-6.5':
        if (this.isFull()) {
          c.pool_limit_hit++;
          this.reachedFull = true;
          this.queueShrink();
          return false;
        }
        if (this.reachedFull) {
          if (!this.canAccept()) {
            // 6.1 rejects without queueing; 6.5 ("shrink until can accept") queues the worker too
            if (this.rules.limit === 'hysteresis-6.5') this.queueShrink();
            return false;
          }
          this.reachedFull = false;
        }
        return true;
      case 'hysteresis-6.8': {
        const cur = this.poolPages();
        if (cur >= this.maxPoolPages()) {
          c.pool_limit_hit++;
          this.reachedFull = true;
        } else if (this.reachedFull && cur <= this.acceptThrPages()) this.reachedFull = false;
        return !this.reachedFull;
      }
    }
  }

  /** zswap_shrink (4.x): one page from the oldest pool, synchronously. */
  private shrinkSync(): number {
    const pool = this.last;
    pool.busy++;
    const ret = pool.zpool.shrink(1, pool.evict);
    pool.busy--;
    this.poolPut(pool);
    return ret;
  }

  /** queue_work(shrink_wq, &pool->shrink_work) on the oldest pool (6.8+: the one zswap_shrink_work). */
  private queueShrink(): void {
    if (this.rules.worker === 'lru-6.8') {
      this.env.queueWork(this.work68);
      return;
    }
    const p = this.last;
    this.env.queueWork(p.work);
  }

  /**
   * shrink_worker of one pool: 6.1 one zpool_shrink(pool, 1); 6.5–6.7 LRU writeback until
   * can_accept, with a cond_resched after each entry. Each writeback begins with a swap-cache
   * page allocated GFP_KERNEL (WorkStep.Alloc: a kworker that is a task reclaims for it in
   * steps, preemptible, while the pool is still full).
   */
  private *shrinkWorker(pool: ZswapPool): Generator<WorkStep, void> {
    pool.busy++;
    const c = this.counters;
    if (this.rules.worker === 'zpool-once') {
      // zbud/z3fold_reclaim_page's first writeback allocates; zsmalloc's shrink fails at once.
      if (pool.zpool.evictable && pool.zpool.totalPages() > 0) yield WorkStep.Alloc;
      if (pool.zpool.shrink(1, pool.evict) !== 0) c.reject_reclaim_fail++;
    } else {
      let failures = 0;
      let first = true;
      do {
        if (!first) yield WorkStep.Resched;
        first = false;
        if (this.lru.size > 0) yield WorkStep.Alloc;
        const ret = this.reclaimEntry(pool);
        if (ret !== 0) {
          c.reject_reclaim_fail++;
          if (ret !== EAGAIN) break;
          if (++failures === MAX_RECLAIM_RETRIES) break;
        }
      } while (!this.canAccept());
    }
    pool.busy--;
    this.poolPut(pool);
  }

  /**
   * zswap_reclaim_entry (6.5–6.7): write back the pool's LRU-tail entry. An
   * empty LRU → -EINVAL; a failed writeback puts the entry at the LRU head → -EAGAIN.
   */
  private reclaimEntry(pool: ZswapPool): number {
    let e: ZswapEntry | undefined;
    for (const x of this.lru) {
      if (x.pool === pool) {
        e = x;
        break;
      }
    }
    if (e === undefined) return EINVAL;
    this.env.meter.zswapShrinkVisit();
    if (this.writebackEntry(e) !== 0) {
      this.lru.delete(e);
      this.lru.add(e);
      return EAGAIN;
    }
    return 0;
  }

  /**
   * shrink_worker (6.8+): write back LRU-tail entries down to the accept threshold, a
   * cond_resched after each (WorkStep.Resched) and a GFP_KERNEL page allocated before each
   * writeback (WorkStep.Alloc; shrinkWorker's doc).
   */
  private *shrinkWorkerLru(): Generator<WorkStep, void> {
    const thr = this.acceptThrPages();
    let failures = 0;
    let first = true;
    do {
      if (!first) yield WorkStep.Resched;
      first = false;
      let it = this.lru.values().next();
      if (it.done === true) break;
      if (!it.value.referenced) {
        yield WorkStep.Alloc;
        // The tail may have changed while the kworker reclaimed.
        it = this.lru.values().next();
        if (it.done === true) break;
      }
      this.env.meter.zswapShrinkVisit();
      const e = it.value;
      if (e.referenced) {
        // shrink_memcg_cb's second chance: the mark is cleared and the entry rotated; shrink_memcg
        // returns -EAGAIN, one of the worker's failures, with no reject_reclaim_fail.
        e.referenced = false;
        this.lru.delete(e);
        this.lru.add(e);
        if (++failures === MAX_RECLAIM_RETRIES) break;
        continue;
      }
      if (this.writebackEntry(e) !== 0) {
        this.counters.reject_reclaim_fail++;
        this.lru.delete(e);
        this.lru.add(e);
        if (++failures === MAX_RECLAIM_RETRIES) break;
      }
    } while (this.poolPages() > thr);
  }

  // ---- writeback --------------------------------------------------------------

  /** The zpool evict callback (zswap_writeback_entry by handle). */
  private writebackHandle(pool: ZswapPool, handle: number): number {
    const e = pool.byHandle.get(handle);
    if (e === undefined) throw new InvariantError(`zswap pool ${pool.id}: evict of unknown handle ${handle}`);
    return this.writebackEntry(e);
  }

  /**
   * zswap_writeback_entry: a swap-cache page for the slot (which may reclaim: 4.x shrinks in
   * the store, under reclaim's PF_MEMALLOC; the worker allocates as GFP_KERNEL), then the
   * entry, if still in the tree, decompressed into it, written and freed. 0, -EEXIST when the
   * page is in the swap cache, -ENOMEM when no page could be had or the entry went meanwhile.
   */
  private writebackEntry(e: ZswapEntry): number {
    const env = this.env;
    const tree = this.trees.get(e.type);
    const pool = e.pool!;
    const fill = (): void => {
      if (e.raw) env.meter.copy(PAGE_SIZE);
      else env.meter.decompress(pool.comp.name, e.length, PAGE_SIZE);
      if (env.verifyBytes) env.compression.decompress(pool.comp, e.data!, this.scratch);
    };
    const r = env.swapWriteback(e.type, e.offset, this.rules.limit === 'sync-shrink', () => tree?.get(e.offset) === e, fill);
    if (r === 'exists') return EEXIST;
    if (r === 'nomem') return ENOMEM;
    this.counters.written_back_pages++;
    this.vmstat.zswpwb++;
    if (tree !== undefined && tree.get(e.offset) === e) tree.delete(e.offset);
    this.freeEntry(e);
    return 0;
  }

  // ---- entries ----------------------------------------------------------------

  /** zswap_free_entry. */
  private freeEntry(e: ZswapEntry): void {
    const c = this.counters;
    const pool = e.pool;
    if (pool === null) c.same_filled_pages--;
    else {
      this.env.meter.meta(ZSWAP_ZPOOL_CYCLES);
      pool.byHandle.delete(e.handle);
      pool.zpool.free(e.handle);
      pool.storedPages--;
      this.bytesStored -= e.length;
      if (e.raw) c.stored_incompressible_pages--;
      if (this.rules.entryLru) this.lru.delete(e);
      this.poolPut(pool);
    }
    c.stored_pages--;
    this.updateTotalSize();
  }

  /** zswap_invalidate_entry: out of the tree, then freed. */
  private invalidateEntry(tree: Map<number, ZswapEntry>, e: ZswapEntry): void {
    tree.delete(e.offset);
    this.freeEntry(e);
  }

  /** The kernel's same-filled check: every 8-byte word equals the first (first compared with last first). */
  private sameFilled(b: Uint8Array): boolean {
    let words: number;
    let same = true;
    if ((b.byteOffset & 3) === 0 && b.length >= PAGE_SIZE) {
      if (b.buffer !== this.scanBuf || b.byteOffset !== this.scanOff) {
        this.scanBuf = b.buffer;
        this.scanOff = b.byteOffset;
        this.scanView = new Uint32Array(b.buffer, b.byteOffset, PAGE_SIZE >> 2);
      }
      const w = this.scanView!;
      const lo = w[0]!;
      const hi = w[1]!;
      const lastLo = (PAGE_SIZE >> 2) - 2;
      words = 2;
      if (w[lastLo] !== lo || w[lastLo + 1] !== hi) same = false;
      else {
        for (let i = 2; i < lastLo; i += 2) {
          words++;
          if (w[i] !== lo || w[i + 1] !== hi) {
            same = false;
            break;
          }
        }
      }
    } else {
      words = 1;
      for (let i = 8; i < PAGE_SIZE; i++) {
        if ((i & 7) === 0) words++;
        if (b[i] !== b[i & 7]) {
          same = false;
          break;
        }
      }
    }
    this.env.meter.meta(words * SAME_FILLED_CYCLES_PER_WORD);
    return same;
  }

  // ---- frontswap ops ------------------------------------------------------------

  /** zswap_frontswap_init. */
  init(type: number): void {
    if (!this.trees.has(type)) this.trees.set(type, new Map());
  }

  /** zswap_frontswap_store: true iff stored. */
  store(type: number, offset: number, page: Page): boolean {
    const env = this.env;
    const c = this.counters;
    const rules = this.rules;
    env.meter.meta(ZSWAP_TREE_CYCLES);
    const tree = this.trees.get(type);
    if (tree === undefined) return false;
    if (!this.enabled) return this.reject(tree, offset, false);
    if (rules.dupFirst) {
      const dup = tree.get(offset);
      if (dup !== undefined) {
        c.duplicate_entry++;
        this.invalidateEntry(tree, dup);
      }
    }
    if (!this.checkLimit()) return this.reject(tree, offset);

    let entry: ZswapEntry;
    if (rules.sameFilled && this.values['same_filled_pages_enabled'] === true && this.sameFilled(page.bytes)) {
      const b = page.bytes;
      const lo = (b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) >>> 0;
      const hi = (b[4]! | (b[5]! << 8) | (b[6]! << 16) | (b[7]! << 24)) >>> 0;
      entry = new ZswapEntry(type, offset, null, 0, 0, null, false, lo, hi, page.tag);
      c.same_filled_pages++;
    } else {
      if (rules.sameFilled && this.values['non_same_filled_pages_enabled'] !== true) return this.reject(tree, offset);
      const pool = this.current;
      const data = env.compression.compress(pool.comp, page);
      let length = data.size;
      env.meter.compress(pool.comp.name, PAGE_SIZE, length);
      let raw = false;
      if (rules.incompressible === 'raw') {
        if (length >= PAGE_SIZE) {
          raw = true;
          length = PAGE_SIZE;
        }
      } else if (length > PAGE_SIZE) {
        // codec overflow: uncounted in 4.x and 6.1, reject_compress_fail in 6.6
        if (rules.countCompressFail) c.reject_compress_fail++;
        return this.reject(tree, offset);
      }
      env.meter.meta(ZSWAP_ZPOOL_CYCLES);
      const hlen = rules.header === 'always' || (rules.header === 'evictable' && pool.zpool.evictable) ? ZSWAP_HEADER_SIZE : 0;
      const handle = pool.zpool.malloc(length + hlen);
      if (handle < 0) {
        if (handle === ENOSPC) c.reject_compress_poor++;
        else c.reject_alloc_fail++;
        return this.reject(tree, offset);
      }
      env.meter.copy(length);
      entry = new ZswapEntry(type, offset, pool, handle, length, data, raw, 0, 0, page.tag);
      pool.byHandle.set(handle, entry);
      if (++pool.storedPages > pool.storedPagesPeak) pool.storedPagesPeak = pool.storedPages;
      this.bytesStored += length;
      if (raw) c.stored_incompressible_pages++;
    }
    // insert
    const dup = tree.get(offset);
    if (dup !== undefined) {
      if (rules.countsDuplicate) c.duplicate_entry++;
      this.invalidateEntry(tree, dup);
    }
    tree.set(offset, entry);
    if (rules.entryLru && entry.pool !== null) this.lru.add(entry);
    c.stored_pages++;
    this.updateTotalSize();
    this.vmstat.zswpout++;
    return true;
  }

  /**
   * [6.8+, 6.12] A store that fails: the label `reject` queues the shrink work while the pool is full,
   * then `check_old` erases a stale entry. A store while zswap is disabled jumps to `check_old`
   * (`queue` false: nothing queued).
   */
  private reject(tree: Map<number, ZswapEntry>, offset: number, queue = true): false {
    if (this.rules.eraseStaleOnFailure) {
      const old = tree.get(offset);
      if (old !== undefined) this.invalidateEntry(tree, old);
      if (queue && this.reachedFull) this.queueShrink();
    }
    return false;
  }

  /** zswap_frontswap_load: true iff found; `out` gets the tag and, when verifying, the bytes. */
  load(type: number, offset: number, out: PageOut): boolean {
    const env = this.env;
    env.meter.meta(ZSWAP_TREE_CYCLES);
    const tree = this.trees.get(type);
    if (tree === undefined) return false;
    const e = tree.get(offset);
    if (e === undefined) return false;
    const pool = e.pool;
    if (pool === null) {
      env.meter.copy(PAGE_SIZE);
      if (env.verifyBytes) {
        const o = out.bytes;
        const lo = e.fillLo;
        const hi = e.fillHi;
        o[0] = lo & 0xff;
        o[1] = (lo >>> 8) & 0xff;
        o[2] = (lo >>> 16) & 0xff;
        o[3] = lo >>> 24;
        o[4] = hi & 0xff;
        o[5] = (hi >>> 8) & 0xff;
        o[6] = (hi >>> 16) & 0xff;
        o[7] = hi >>> 24;
        for (let n = 8; n < PAGE_SIZE; n *= 2) o.copyWithin(n, 0, n);
      }
    } else {
      if (e.raw) env.meter.copy(PAGE_SIZE);
      else env.meter.decompress(pool.comp.name, e.length, PAGE_SIZE);
      if (env.verifyBytes) env.compression.decompress(pool.comp, e.data!, out.bytes);
    }
    out.filled = env.verifyBytes;
    out.tag = e.tag;
    this.vmstat.zswpin++;
    if (this.frontswapExclusiveGets) this.invalidateEntry(tree, e);
    else if (this.rules.entryLru && pool !== null) {
      // 6.5+: a load moves the entry to the LRU head
      this.lru.delete(e);
      this.lru.add(e);
    }
    return true;
  }

  /** zswap_frontswap_invalidate_page. */
  invalidatePage(type: number, offset: number): void {
    this.env.meter.meta(ZSWAP_TREE_CYCLES);
    const tree = this.trees.get(type);
    if (tree === undefined) return;
    const e = tree.get(offset);
    if (e !== undefined) this.invalidateEntry(tree, e);
  }

  /** zswap_frontswap_invalidate_area: frees every entry and the tree. */
  invalidateArea(type: number): void {
    const tree = this.trees.get(type);
    if (tree === undefined) return;
    this.env.meter.meta(ZSWAP_TREE_CYCLES);
    for (const e of tree.values()) this.freeEntry(e);
    tree.clear();
    this.trees.delete(type);
  }

  // ---- reporting --------------------------------------------------------------

  stats(): Record<string, Record<string, number>> {
    const out: Record<string, Record<string, number>> = {
      zswap: { ...this.counters, pool_total_size: this.seenPoolPages() * PAGE_SIZE },
      vmstat: { ...this.vmstat },
    };
    let sc = 0;
    let ss = 0;
    let sf = 0;
    let any = false;
    for (const p of this.history) {
      if (p.shrinker === null) continue;
      any = true;
      sc += p.shrinker.calls;
      ss += p.shrinker.scans;
      sf += p.shrinker.freed;
    }
    if (any) out['zs_shrinker'] = { calls: sc, scans: ss, pages_freed: sf };
    // one group per allocator type ever used: the sum over its pools (destroyed ones are empty)
    for (const p of this.history) {
      const s = p.zpool.stats();
      const g = out[p.zpoolName] ?? (out[p.zpoolName] = {});
      for (const k of Object.keys(s)) g[k] = (g[k] ?? 0) + s[k]!;
    }
    return out;
  }

  storedBytes(): number {
    return this.bytesStored;
  }

  storedPages(): number {
    return this.counters.stored_pages;
  }

  /** Whether an entry is held for (type, offset). */
  has(type: number, offset: number): boolean {
    return this.trees.get(type)?.has(offset) ?? false;
  }

  /** The current pool's compressor and zpool names. */
  currentPool(): { compressor: string; zpool: string } {
    return { compressor: this.current.comp.name, zpool: this.current.zpoolName };
  }

  /** Whether the pool reached its limit and stores wait for the accept threshold (6.1, 6.6, 6.8+). */
  get poolReachedFull(): boolean {
    return this.reachedFull;
  }
}

export const zswapFactory: BackendFactory = {
  name: ZSWAP_NAME,
  description:
    'zswap: compressed swap cache in RAM (frontswap backend) over a zpool allocator (zbud, z3fold, zsmalloc), with a pool limit and writeback to the swap device',
  era: 'mm/zswap.c: 4.x frontswap backend (~4.5–4.15 plus 4.16 same-filled pages; default), era=6.1 for the 6.1.y LTS, era=6.6 for 6.5–6.7, era=6.8+ for a recent mm/zswap.c, not that of 6.8–6.12, era=6.12 for 6.12 with the swap core\'s zeromap (docs/zswap.md; 6.x: deprecated alias of 6.1)',
  params: ZSWAP_PARAMS,
  counters: ZSWAP_COUNTER_GROUPS,
  compressorParam: 'compressor',
  swapZeromap(params: ParamMap): boolean {
    return ERA_RULES[canonicalEra(String(params['era'] ?? '4.x'))]?.swapZeromap === true;
  },
  kernelParams(params: ParamMap): ParamMap {
    const era = canonicalEra(String(params['era'] ?? '4.x'));
    const rules = ERA_RULES[era];
    const shown = rules === undefined ? { ...params } : paramsOfEra(ZSWAP_PARAMS, params, era);
    // zpool '' is the era's default: the one the run uses is shown.
    if (shown['zpool'] === '' && rules !== undefined) shown['zpool'] = rules.defaultZpool;
    return shown;
  },
  create(env: BackendEnv, params: ParamMap): Backend {
    return new ZswapBackend(env, params);
  },
};
