/**
 * zcache2: compressed in-RAM tmem for frontswap and cleancache, on the tmem
 * core and zcache's own zbud allocator.
 *
 * Kernel source followed: TL:drivers/staging/zcache/zcache-main.c, zbud.c,
 * tmem.c, tmem.h, debug.c/debug.h, Linux 3.10 (zcache2 as merged in 3.9,
 * with 3.10's module parameters and zero-filled page handler). The
 * `kernel_era` parameter selects the 3.9 behaviour instead.
 *
 *   frontswap:  init(type)      first call: pool = new_pool(PERSIST)  (one pool for all types)
 *               store(t,off,p)  oid = (t<<8)|(off&0xFF), index = off>>8; put(pool,oid,index,p)
 *               load(t,off)     get(pool,oid,index, exclusive_gets ? 1 : -1)
 *               invalidate_page flush_page; invalidate_area: flush_object of oids (t<<8)|255 .. (t<<8)|0
 *   cleancache: init_fs / init_shared_fs  new_pool(0): a private ephemeral pool (first free of 16 ids)
 *               put / get(…,0) / invalidate_page / invalidate_inode (flush_object) / invalidate_fs (destroy)
 *               an index >= 2^32 is dropped
 *
 *   put(pool,oid,index,page):
 *     frozen: put_to_flush++, tmem_flush_page, fail
 *     pampd = create(page); on failure failed_{eph,pers}_puts++ and fail
 *     tmem_put(pool,oid,index,pampd)        (frees a duplicate's old pampd), create_finish
 *   create(page):                            (zcache_pampd_{eph,pers}_create)
 *     [3.10] zero-filled page: no data, no pageframe; zero_filled_pages++, zpages++
 *     clen = compress(page)
 *     eph:  clen > 4000 → compress_poor, fail
 *     pers: clen > 3584 → compress_poor, fail
 *           clen > 2560 and pers_zbytes / pers_zpages > 2560 → mean_compress_poor, fail
 *     zbud_match_prep (buddy into the fullest unbuddied page that fits)
 *     else a new pageframe: alloc_page (and, tmemsim's, within max_pool_percent)
 *     else failed_get_free_pages++, evict the LRU ephemeral pageframe (both buds flushed
 *          from tmem) and reuse it: eph_ate_tail / pers_ate_eph, or *_failed and fail
 *     {eph,pers}_{pageframes,zpages,zbytes} += …
 *   get(pool,oid,index,gaf): tmem_get; free = gaf==1 || (gaf==0 && ephemeral);
 *     decompress into the page; if free: zbud_free_and_delist (an emptied pageframe is freed)
 *   flush_page / flush_object: flush_total++ / flobj_total++ and *_found++ on success
 *   shrink (cleancache's shrinker): evict LRU ephemeral pageframes; persistent pages are
 *     never evicted (the writeback of CONFIG_ZCACHE_WRITEBACK depended on BROKEN)
 *
 * Deviations from the kernel:
 * - max_pool_percent is tmemsim's: the kernel had no pool limit and relied on
 *   alloc_page(ZCACHE_GFP_MASK) failing under memory pressure; here a new
 *   pageframe needs env.allocPage() (the simulated RAM's free pages) and, when
 *   max_pool_percent > 0, pageframes < floor(ramPages * pct / 100). Lowering it
 *   at runtime frees nothing: new pageframes fail (ouroboros) until below.
 * - zcache_comp_name defaults to 'lz4', not the kernel's 'lzo', because tmemsim
 *   must be able to run the default; it is checked at load with
 *   env.compression.get (the module's crypto_has_comp) and cannot change later.
 * - PageWasActive() is always true (the WasActive mm patch was never merged), so
 *   the non-active filters always pass: the disable_*_ignore_nonactive
 *   parameters change nothing and *_nonactive_puts_ignored stay 0.
 * - A put that fails on a key that already holds a page also flushes the old
 *   page (so "a failed duplicate leaves nothing"). The kernel does not: zcache
 *   creates the new pampd before tmem_put, so when creation fails the old page
 *   stays, stale for cleancache (put-put-get incoherence) and leaked for
 *   frontswap until invalidated. `new ZcacheBackend(env, params,
 *   { keepOldCopyOnFailedPut: true })` keeps the kernel's behaviour.
 * - Pool flags decide ephemeral vs persistent; the kernel used the shim's
 *   argument (the same thing unless a cleancache call names the frontswap pool).
 * - No locking, IRQ, per-cpu or preemption model; zcache_freeze is never set in
 *   3.10 either; tmemsim's runtime parameter `zcache_freeze` sets it, so the put_to_flush
 *   path can be studied).
 * - tmem's objs and objnodes are charged to simulated RAM as slab (slabPages:
 *   whole pages of packed objects of the structs' x86-64 sizes, tmem.ts
 *   tmemSlabPages); pools, the per-cpu preloads (up to 12 objnodes and an obj
 *   a CPU) and buffers are not, and no allocation of them fails (failed_alloc
 *   stays 0).
 * - An oid is oid[0] only; a cleancache key is the inode number (the kernel's
 *   filekey may be an exportfs file handle).
 * - Zero-filled detection trusts a page's content descriptor when its class is
 *   'zero' and otherwise scans the bytes, as page_is_zero_filled does.
 * - The shrinker is not registered with a VM: the mm model calls shrink(nr,
 *   lru). Given the LRU sizes it follows the kernel's formula; without them it
 *   evicts min(nr, eph_pageframes) pageframes.
 * - Stats keep one stable key set in the kernel's debugfs order (debug.c attrs,
 *   then the four u64 zbytes files); failed_get_free_pages uses the 3.9 file
 *   name (3.10's debug.c spells it failed_getfreepages); zero_filled_pages is
 *   listed in both eras (n/a, null, in 3.9's reports: counterEra).
 * - A destroy of a pool id outside 0..15 is ignored, and init_fs with a page
 *   size other than 4096 returns -1 (the kernel would index out of bounds or BUG).
 * - Cost charges: compression and decompression per page through the meter;
 *   tmem and zbud bookkeeping as fixed cycle estimates (below); a zero-filled
 *   get as a page memset (meter.copy).
 */

import type {
  Backend,
  BackendEnv,
  BackendFactory,
  CleancacheOps,
  FrontswapOps,
  ParamSpec,
} from '../backend.js';
import { checkRuntimeParam, resolveParams } from '../params.js';
import { TMEM_CORE_COUNTERS, zeroCounters, type CounterGroup, type CounterSpec, type CountersOf } from '../counters.js';
import { cleancacheOps, frontswapOps, type CleancacheMethods, type FrontswapMethods } from '../ops.js';
import type { Compressed, Compressor } from '../../compressors/compressor.js';
import { Cls, PAGE_SIZE, descClass, type Page, type PageOut } from '../../content/page.js';
import { UsageError } from '../../errors.js';
import type { ParamMap, ParamValue } from '../params.js';
import { TMEM_OBJS_PER_SLAB, TMEM_OBJS_PER_SLAB_RAMSTER, TMEM_OP_CYCLES, TMEM_POOL_PERSIST, Tmem, TmemPool, tmemGetFrees, tmemSlabPages, type TmemPamOps } from '../../tmem/tmem.js';
import {
  ZBUD_COUNTERS,
  ZBUD_MAX_BUDDY_SIZE,
  Zbud,
  ZcacheZbud,
  type ZbudEvictHost,
} from './zbud.js';

// duplicates: alike in shape to the constants at the top of ramster/ramster.ts and xen-tmem/xen-tmem.ts: each names its
// own kernel's constants, with their own values and sources.
const ZCACHE_NAME = 'zcache';

const MAX_POOLS_PER_CLIENT = 16;
const LOCAL_CLIENT = 0xffff;
/**
 * Frontswap oid swizzling of zcache2: 8 low offset bits go into the oid
 * (SWIZ_BITS in drivers/staging/zcache/zcache-main.c, Linux 3.8–3.10; the Xen
 * shim's drivers/xen/tmem.c uses 4: see XEN_TMEM_SWIZ_BITS). RAMster, which
 * is zcache-main.c, shares this one.
 */
export const ZCACHE_SWIZ_BITS = 8;
export const ZCACHE_SWIZ_MASK = (1 << ZCACHE_SWIZ_BITS) - 1;
/** zbud_max_zsize: persistent pages compressing worse than 7/8 of a page are rejected. */
const ZBUD_MAX_ZSIZE = (PAGE_SIZE / 8) * 7;
/** zbud_max_mean_zsize: 5/8 of a page, the mean-compression threshold. */
const ZBUD_MAX_MEAN_ZSIZE = (PAGE_SIZE / 8) * 5;
const U32_LIMIT = 2 ** 32;

// Bookkeeping costs. These are estimates, not measurements: a tmem op is
// tmem.ts TMEM_OP_CYCLES (the zbud list moves included); evicting a pageframe
// adds two tmem flushes; the zero-page check reads the page byte by byte as
// page_is_zero_filled does.
/** Extra cycles charged per evicted ephemeral pageframe (list surgery and two tmem flushes). */
const ZBUD_EVICT_CYCLES = 800;
/** Cycles per byte read by the zero-filled check (3.10). */
const ZERO_SCAN_CYCLES_PER_BYTE = 1;

type ZcacheEra = '3.9' | '3.10';

// duplicates: alike in shape to the other backends' parameter lists (ZSWAP_PARAMS in zswap.ts, RAMSTER_PARAMS in
// ramster/ramster.ts, XEN_TMEM_PARAMS in xen-tmem/xen-tmem.ts): kernel-shaped, this one lists
// drivers/staging/zcache/zcache-main.c's boot and module switches, then tmemsim's; one list per backend, each feeding
// its params, docs and checks.
export const ZCACHE_PARAMS: readonly ParamSpec[] = [
  { name: 'disable_cleancache', type: 'bool', default: false, runtime: false, doc: 'Do not register the cleancache ops (boot: nocleancache).' },
  { name: 'disable_frontswap', type: 'bool', default: false, runtime: false, doc: 'Do not register the frontswap ops (boot: nofrontswap).' },
  {
    name: 'frontswap_has_exclusive_gets',
    type: 'bool',
    default: true,
    runtime: false,
    doc: 'Frontswap loads free the stored copy (get_and_free=1) and the frontend clears its bit (boot: nofrontswapexclusivegets).',
  },
  {
    name: 'disable_frontswap_ignore_nonactive',
    type: 'bool',
    default: false,
    runtime: false,
    doc: 'Store pages that were never active too. No effect: PageWasActive() is always true without the mm patch.',
  },
  {
    name: 'disable_cleancache_ignore_nonactive',
    type: 'bool',
    default: false,
    runtime: false,
    doc: 'Put pages that were never active too (boot only in the kernel). No effect: PageWasActive() is always true.',
  },
  {
    name: 'zcache_comp_name',
    type: 'string',
    default: 'lz4',
    runtime: false,
    doc: "Compressor (crypto API name). The kernel's default is lzo; tmemsim's is lz4. Load time only.",
  },
  {
    name: 'ramster_enabled',
    type: 'bool',
    default: false,
    runtime: false,
    doc: 'RAMster mode. Only false: RAMster is a separate tmemsim backend.',
  },
  {
    name: 'disable_frontswap_selfshrink',
    type: 'bool',
    default: false,
    runtime: false,
    doc: 'RAMster only (frontswap selfshrinking); no effect in zcache.',
  },
  {
    name: 'max_pool_percent',
    type: 'int',
    default: 0,
    min: 0,
    max: 100,
    runtime: true,
    doc: "tmemsim's: cap pool pageframes at this percentage of RAM (0 = only free memory limits). Changeable at runtime.",
  },
  {
    name: 'zcache_freeze',
    type: 'bool',
    default: false,
    runtime: true,
    doc: "tmemsim's handle on zcache_freeze (the kernel had no knob for it): while set, every put flushes the old copy and fails (put_to_flush).",
  },
  {
    name: 'kernel_era',
    type: 'string',
    default: '3.10',
    choices: ['3.10', '3.9'],
    runtime: false,
    doc: "tmemsim's: 3.10 has the zero-filled page handler, counts evicted_eph_zpages per zpage and its shrinker targets eph_pageframes - file LRU; 3.9 has none of these.",
  },
];

// duplicates: alike in shape to the other backends' counter lists (RAMSTER_COUNTERS in ramster/ramster.ts,
// REMOTE_NODE_COUNTERS in ramster/node.ts, XEN_TMEM_COUNTERS in xen-tmem/xen-tmem.ts, SELFBALLOON_COUNTERS in
// xen-tmem/selfballoon.ts, ZBUD_COUNTERS in zcache/zbud.ts, ZSWAP_COUNTERS in zswap.ts): kernel-shaped: mirrors
// drivers/staging/zcache/debug.c (3.10; zcache-main.c in 3.9); one list per backend, each feeding its stats, report and
// docs.
/** /sys/kernel/debug/zcache/ without the tmem core's counters (obj_count & co.), kernel order. */
const ZCACHE_COUNTERS = [
  { name: 'flush_total', kind: 'event', doc: 'flush_page calls.' },
  { name: 'flush_found', kind: 'event', doc: 'flush_page calls that found a page.' },
  { name: 'flobj_total', kind: 'event', doc: 'flush_object calls.' },
  { name: 'flobj_found', kind: 'event', doc: 'flush_object calls that found the object.' },
  { name: 'failed_eph_puts', kind: 'event', doc: 'Ephemeral (cleancache) puts that failed.' },
  { name: 'failed_pers_puts', kind: 'event', doc: 'Persistent (frontswap) puts that failed.' },
  { name: 'failed_get_free_pages', kind: 'event', doc: "No new pageframe for a put (3.9's name; 3.10's debug.c spells it failed_getfreepages)." },
  { name: 'failed_alloc', kind: 'event', doc: 'tmem metadata preload failed (never here: objs and objnodes are charged to RAM as slab, but their allocation does not fail).' },
  { name: 'put_to_flush', kind: 'event', doc: 'Puts turned into flushes while zcache_freeze is set.' },
  { name: 'compress_poor', kind: 'event', doc: 'Puts rejected: compressed size over zbud_max_buddy_size (ephemeral) or zbud_max_zsize (persistent).' },
  { name: 'mean_compress_poor', kind: 'event', doc: 'Persistent puts rejected by the mean compressed size rule.' },
  { name: 'eph_ate_tail', kind: 'event', doc: 'Ephemeral puts that evicted the LRU ephemeral pageframe for room.' },
  { name: 'eph_ate_tail_failed', kind: 'event', doc: 'Ephemeral puts that found no pageframe to evict.' },
  { name: 'pers_ate_eph', kind: 'event', doc: 'Persistent puts that evicted the LRU ephemeral pageframe for room.' },
  { name: 'pers_ate_eph_failed', kind: 'event', doc: 'Persistent puts that found no ephemeral pageframe to evict.' },
  { name: 'evicted_eph_zpages', kind: 'event', doc: 'Ephemeral zpages evicted (3.9 counts one per evicted pageframe).' },
  { name: 'evicted_eph_pageframes', kind: 'event', doc: 'Ephemeral pageframes evicted.' },
  { name: 'eph_pageframes', kind: 'gauge', doc: 'Pageframes holding ephemeral zpages.' },
  { name: 'eph_pageframes_max', kind: 'gauge', doc: 'Most ephemeral pageframes at once.' },
  { name: 'pers_pageframes', kind: 'gauge', doc: 'Pageframes holding persistent zpages.' },
  { name: 'pers_pageframes_max', kind: 'gauge', doc: 'Most persistent pageframes at once.' },
  { name: 'eph_zpages', kind: 'gauge', doc: 'Ephemeral zpages stored.' },
  { name: 'eph_zpages_max', kind: 'gauge', doc: 'Most ephemeral zpages at once.' },
  { name: 'pers_zpages', kind: 'gauge', doc: 'Persistent zpages stored.' },
  { name: 'pers_zpages_max', kind: 'gauge', doc: 'Most persistent zpages at once.' },
  { name: 'last_active_file_pageframes', kind: 'gauge', doc: "Active file LRU pages at the shrinker's last call." },
  { name: 'last_inactive_file_pageframes', kind: 'gauge', doc: "Inactive file LRU pages at the shrinker's last call." },
  { name: 'last_active_anon_pageframes', kind: 'gauge', doc: "Active anon LRU pages at the shrinker's last call." },
  { name: 'last_inactive_anon_pageframes', kind: 'gauge', doc: "Inactive anon LRU pages at the shrinker's last call." },
  { name: 'eph_nonactive_puts_ignored', kind: 'event', doc: 'Cleancache puts of never-active pages ignored (stays 0: PageWasActive is always true).' },
  { name: 'pers_nonactive_puts_ignored', kind: 'event', doc: 'Frontswap stores of never-active pages refused (stays 0: PageWasActive is always true).' },
  { name: 'zero_filled_pages', kind: 'gauge', eras: ['3.10'], doc: 'Zero-filled pages stored without a zbud.' },
  { name: 'eph_zbytes', kind: 'gauge', doc: 'Compressed bytes of the ephemeral zpages.' },
  { name: 'eph_zbytes_max', kind: 'gauge', doc: 'Most ephemeral compressed bytes at once.' },
  { name: 'pers_zbytes', kind: 'gauge', doc: 'Compressed bytes of the persistent zpages.' },
  { name: 'pers_zbytes_max', kind: 'gauge', doc: 'Most persistent compressed bytes at once.' },
] as const satisfies readonly CounterSpec[];

type ZcacheCounters = CountersOf<typeof ZCACHE_COUNTERS>;

/** What zcache's stats() reports, group by group. */
export const ZCACHE_COUNTER_GROUPS: readonly CounterGroup[] = [
  { group: 'zcache', counters: [...TMEM_CORE_COUNTERS, ...ZCACHE_COUNTERS] },
  { group: 'zbud', counters: ZBUD_COUNTERS },
];

/** The page-cache LRU sizes the kernel's shrinker reads (global_page_state). */
interface ZcacheShrinkLru {
  activeFile: number;
  inactiveFile: number;
  activeAnon: number;
  inactiveAnon: number;
}

interface ZcacheOptions {
  /**
   * Keep the kernel's behaviour on a failed put: an older page under the same
   * key stays in tmem (stale for cleancache). Default false: it is flushed.
   */
  keepOldCopyOnFailedPut?: boolean;
  /**
   * RAMster's remote pampds (backends/ramster/ramster.ts): with these pamops a pampd
   * in tmem may stand for a page held by another node. Absent for zcache.
   */
  remote?: ZcacheRemotePamOps;
}

/**
 * A remote pampd as zcache sees it: not a zbud, only something its remote
 * pamops recognise (RAMster's RemotePampd, ramster/pampd.ts; the kernel packs
 * it into the pampd pointer). The tmem handle and the oracle's version stamp
 * are all zcache may read of it.
 */
export interface RemotePampdRef {
  readonly remote: true;
  readonly poolId: number;
  readonly oid: number;
  readonly index: number;
  readonly tag: number;
}

/** What zcache's tmem holds: a local pampd (a zbud, or a zero-filled one without a pageframe), or a remote one. */
export type ZcachePampd = Zbud | RemotePampdRef;

/**
 * The pamops RAMster adds to zcache (ramster_register_pamops and the remote
 * branch of zcache_pampd_free), as tmemsim hooks: zcache asks is_remote on a
 * get (tmem_get's CONFIG_RAMSTER branch) and on every pampd free. A tmemsim
 * addition for backends/ramster/ramster.ts; without it zcache is unchanged.
 */
export interface ZcacheRemotePamOps {
  /** pamops.is_remote. */
  isRemote(p: ZcachePampd): p is RemotePampdRef;
  /**
   * tmem_get found a remote pampd (tmem_repatriate): fetch the page into
   * `out`. The pampd is still in tmem; the callee does any tmem surgery.
   * Returns true on success (ret 0).
   */
  repatriate(p: RemotePampdRef, pool: TmemPool<ZcachePampd>, oid: number, index: number, out: PageOut, getAndFree: number): boolean;
  /** zcache_pampd_free of a remote pampd: ramster_pampd_free. */
  free(p: RemotePampdRef, pool: TmemPool<ZcachePampd>): void;
}

/** Compressed data in hand: what a raw put stores (RAMster's foreign pages). */
interface RawZpage {
  readonly data: Compressed;
  readonly clen: number;
  /** The oracle's version stamp. */
  readonly tag: number;
}

/** Without the WasActive mm patch, zcache's stub always says yes. */
function pageWasActive(_page: Page): boolean {
  return true;
}

/** _oswiz(type, ind): the frontswap oid of a swap offset. */
export function frontswapOid(type: number, offset: number): number {
  return (type << ZCACHE_SWIZ_BITS) | (offset & ZCACHE_SWIZ_MASK);
}

/** iswiz(ind): the frontswap index of a swap offset (< 2^32). */
function frontswapIndex(offset: number): number {
  return offset >>> ZCACHE_SWIZ_BITS;
}

export class ZcacheBackend implements Backend, TmemPamOps<ZcachePampd>, ZbudEvictHost, FrontswapMethods, CleancacheMethods {
  readonly name = ZCACHE_NAME;
  readonly frontswap: FrontswapOps | null;
  readonly cleancache: CleancacheOps | null;
  readonly frontswapExclusiveGets: boolean;
  readonly era: ZcacheEra;
  get counterEra(): string {
    return this.era;
  }
  /** zcache_freeze: puts become flushes. Never set by the kernel in 3.10. */
  frozen = false;

  readonly counters: ZcacheCounters = zeroCounters(ZCACHE_COUNTERS);
  readonly tmem: Tmem<ZcachePampd>;
  readonly zbud: ZcacheZbud;
  readonly comp: Compressor;

  private readonly values: ParamMap;
  private readonly hasExclusiveGets: boolean;
  private readonly zeroFilledHandler: boolean;
  private readonly keepOldCopyOnFailedPut: boolean;
  /** RAMster's pamops, or null (plain zcache). */
  private readonly remote: ZcacheRemotePamOps | null;
  private readonly ignoreNonactiveCleancache: boolean;
  private readonly ignoreNonactiveFrontswap: boolean;
  private maxPoolPages = 0;
  /** The local client's pools (zcache_host.tmem_pools). */
  private readonly pools: (TmemPool<ZcachePampd> | null)[] = new Array<TmemPool<ZcachePampd> | null>(MAX_POOLS_PER_CLIENT).fill(null);
  /** zcache_frontswap_poolid. */
  private fsPoolId = -1;

  constructor(
    private readonly env: BackendEnv,
    params?: ParamMap,
    options: ZcacheOptions = {},
  ) {
    const v = resolveParams(ZCACHE_NAME, ZCACHE_PARAMS, params);
    if (v['ramster_enabled'] === true) {
      throw new UsageError(
        `parameter 'ramster_enabled' of backend ${ZCACHE_NAME} must be false: RAMster is a separate tmemsim backend`,
        { field: 'ramster_enabled' },
        'false',
      );
    }
    this.values = v;
    this.comp = env.compression.get(v['zcache_comp_name'] as string);
    this.era = v['kernel_era'] as ZcacheEra;
    this.zeroFilledHandler = this.era === '3.10';
    this.keepOldCopyOnFailedPut = options.keepOldCopyOnFailedPut === true;
    this.remote = options.remote ?? null;
    this.ignoreNonactiveCleancache = v['disable_cleancache_ignore_nonactive'] !== true;
    this.ignoreNonactiveFrontswap = v['disable_frontswap_ignore_nonactive'] !== true;
    this.hasExclusiveGets = v['frontswap_has_exclusive_gets'] === true;
    const fsOn = v['disable_frontswap'] !== true;
    this.frontswap = fsOn ? frontswapOps(this) : null;
    // no cleancacheInitSharedFs: shared pools are unsupported and map to private
    this.cleancache = v['disable_cleancache'] !== true ? cleancacheOps(this) : null;
    // zcache_init calls frontswap_tmem_exclusive_gets(true) only when it registers frontswap
    this.frontswapExclusiveGets = fsOn && this.hasExclusiveGets;
    this.tmem = new Tmem<ZcachePampd>(this);
    this.zbud = new ZcacheZbud(this);
    this.setMaxPoolPercent(v['max_pool_percent'] as number);
  }

  // ---- Backend ----------------------------------------------------------------

  params(): ParamMap {
    return { ...this.values };
  }

  setParam(name: string, value: ParamValue): void {
    const v = checkRuntimeParam(ZCACHE_NAME, ZCACHE_PARAMS, name, value);
    this.values[name] = v;
    if (name === 'max_pool_percent') this.setMaxPoolPercent(v as number);
    if (name === 'zcache_freeze') this.frozen = v as boolean;
  }

  private setMaxPoolPercent(pct: number): void {
    this.maxPoolPages = pct > 0 ? Math.floor((this.env.ramPages * pct) / 100) : 0;
  }

  /** The pageframe cap from max_pool_percent (0 = none). */
  get maxPoolPageframes(): number {
    return this.maxPoolPages;
  }

  stats(): Record<string, Record<string, number>> {
    return {
      // TmemStats holds TMEM_CORE_COUNTERS, in their order
      zcache: {
        ...this.tmem.stats,
        ...this.counters,
      },
      zbud: { ...this.zbud.stats },
    };
  }

  poolPages(): number {
    return this.counters.eph_pageframes + this.counters.pers_pageframes;
  }

  /**
   * The tmem objects and objnodes in zcache_obj_cache and zcache_objnode_cache (guest slab,
   * outside the pool): sizeof(struct tmem_obj) has RAMster's `extra` when RAMster runs on it.
   */
  slabPages(): number {
    return tmemSlabPages(this.tmem.stats, this.remote === null ? TMEM_OBJS_PER_SLAB : TMEM_OBJS_PER_SLAB_RAMSTER);
  }

  storedBytes(): number {
    return this.counters.eph_zbytes + this.counters.pers_zbytes;
  }

  storedPages(): number {
    return this.counters.eph_zpages + this.counters.pers_zpages;
  }

  // ---- pools (zcache_new_pool, zcache_client_destroy_pool) -------------------

  /** zcache_get_pool_by_id for the local client: ids outside 0..15 name no pool. */
  poolById(poolId: number): TmemPool<ZcachePampd> | null {
    if (poolId < 0 || poolId >= MAX_POOLS_PER_CLIENT) return null;
    return this.pools[poolId] ?? null;
  }

  /** zcache_local_new_pool: the first free id of the 16, or -1. */
  newPool(flags: number): number {
    this.env.meter.meta(TMEM_OP_CYCLES);
    for (let id = 0; id < MAX_POOLS_PER_CLIENT; id++) {
      if (this.pools[id] === null) {
        this.pools[id] = this.tmem.newPool(id, flags);
        return id;
      }
    }
    return -1;
  }

  /** zcache_client_destroy_pool: frees every page of the pool and its id. */
  destroyPool(poolId: number): boolean {
    const pool = this.poolById(poolId);
    if (pool === null) return false;
    this.env.meter.meta(TMEM_OP_CYCLES);
    this.pools[poolId] = null;
    this.tmem.destroyPool(pool);
    return true;
  }

  // ---- the tmem operations (zcache_put_page & co.) ----------------------------

  /** zcache_put_page: true iff stored (ret 0). */
  putPage(poolId: number, oid: number, index: number, page: Page): boolean {
    return this.put(poolId, oid, index, page, false);
  }

  /**
   * zcache_put_page with raw=true (RAMster's remote put handler on the node
   * that receives a foreign page): store already-compressed data without
   * compressing it again. True iff stored. A tmemsim addition for ramster/ramster.ts.
   */
  putRaw(poolId: number, oid: number, index: number, zpage: RawZpage): boolean {
    return this.put(poolId, oid, index, zpage, true);
  }

  /** zcache_put_page: `src` is a page (raw false) or compressed data (raw true). */
  private put(poolId: number, oid: number, index: number, src: Page | RawZpage, raw: boolean): boolean {
    const pool = this.poolById(poolId);
    if (pool === null) return false;
    this.env.meter.meta(TMEM_OP_CYCLES);
    const c = this.counters;
    if (this.frozen) {
      c.put_to_flush++;
      if (pool.objCount > 0) this.tmem.flushPage(pool, oid, index);
      return false;
    }
    const z = this.pampdCreate(pool, oid, index, src, raw, true);
    if (z === null) {
      if (pool.ephemeral) c.failed_eph_puts++;
      else c.failed_pers_puts++;
      if (!this.keepOldCopyOnFailedPut && pool.objCount > 0) this.tmem.flushPage(pool, oid, index);
      return false;
    }
    this.tmem.put(pool, oid, index, z);
    // zcache_pampd_create_finish (a zero-filled pampd has no zbud)
    if (z.page !== null) this.zbud.createFinish(z);
    return true;
  }

  /** zcache_get_page: true iff found; `out` gets the tag and, when verifying, the bytes. */
  getPage(poolId: number, oid: number, index: number, out: PageOut, getAndFree: number): boolean {
    const pool = this.poolById(poolId);
    if (pool === null) return false;
    this.env.meter.meta(TMEM_OP_CYCLES);
    if (pool.objCount === 0) return false;
    const remote = this.remote;
    if (remote !== null) {
      // tmem_get, CONFIG_RAMSTER: a remote pampd is fetched by tmem_repatriate
      const p = this.tmem.lookup(pool, oid, index);
      if (p !== undefined && remote.isRemote(p)) return remote.repatriate(p, pool, oid, index, out, getAndFree);
    }
    const got = this.tmem.get(pool, oid, index, getAndFree);
    if (got === null) return false;
    const z = got as Zbud; // a remote pampd was repatriated above; zcache alone has none
    const env = this.env;
    if (z.data === null) {
      // handle_zero_filled_page: memset the page
      env.meter.copy(PAGE_SIZE);
      if (env.verifyBytes) {
        out.bytes.fill(0);
        out.filled = true;
      } else out.filled = false;
    } else {
      env.meter.decompress(this.comp.name, z.clen, PAGE_SIZE);
      if (env.verifyBytes) {
        env.compression.decompress(this.comp, z.data, out.bytes);
        out.filled = true;
      } else out.filled = false;
    }
    out.tag = z.tag;
    // get_data_and_free: the accounting is zcache_pampd_free's
    if (tmemGetFrees(pool, getAndFree)) this.pampdFree(z, pool);
    return true;
  }

  // duplicates: flushPage and flushObject below are alike in shape: kernel-shaped, zcache_flush_page and
  // zcache_flush_object in zcache-main.c open the same way.
  /** zcache_flush_page: true iff a page was flushed. */
  flushPage(poolId: number, oid: number, index: number): boolean {
    const c = this.counters;
    c.flush_total++;
    const pool = this.poolById(poolId);
    let found = false;
    if (pool !== null) {
      this.env.meter.meta(TMEM_OP_CYCLES);
      if (pool.objCount > 0) found = this.tmem.flushPage(pool, oid, index);
    }
    if (found) c.flush_found++;
    return found;
  }

  /** zcache_flush_object: true iff the object existed. */
  flushObject(poolId: number, oid: number): boolean {
    const c = this.counters;
    c.flobj_total++;
    const pool = this.poolById(poolId);
    let found = false;
    if (pool !== null) {
      this.env.meter.meta(TMEM_OP_CYCLES);
      if (pool.objCount > 0) found = this.tmem.flushObject(pool, oid);
    }
    if (found) c.flobj_found++;
    return found;
  }

  // ---- pampd creation ---------------------------------------------------------

  /** page_is_zero_filled, charged as a byte scan up to the first non-zero byte. */
  private isZeroFilled(page: Page): boolean {
    if (page.desc >= 0 && descClass(page.desc) === Cls.Zero) {
      this.env.meter.meta(PAGE_SIZE * ZERO_SCAN_CYCLES_PER_BYTE);
      return true;
    }
    const b = page.bytes;
    const n = PAGE_SIZE;
    let i = 0;
    while (i < n && b[i] === 0) i++;
    this.env.meter.meta((i < n ? i + 1 : n) * ZERO_SCAN_CYCLES_PER_BYTE);
    return i === n;
  }

  /** A new pageframe from the simulated RAM, within max_pool_percent (zcache_alloc_page). */
  private allocPageframe(): boolean {
    const c = this.counters;
    if (this.maxPoolPages > 0 && c.eph_pageframes + c.pers_pageframes >= this.maxPoolPages) return false;
    return this.env.allocPage();
  }

  /**
   * zcache_pampd_create with zcache_pampd_eph_create / _pers_create: make the
   * pampd for `src`, a page (raw false: the zero-filled check (3.10), then
   * compression) or compressed data (raw true: RAMster's foreign pages and
   * repatriation; the zero-filled check does not apply to raw data). Applies
   * the reject rules (buddy size; for persistent pools also zbud_max_zsize
   * and the mean rule, skipped with `rejectRules` false: the kernel's
   * data == NULL repatriate preload), then places the data in zbud: a
   * buddy match, a new pageframe, or the LRU ephemeral pageframe evicted
   * (eph_ate_tail / pers_ate_eph). The zbud stays unevictable until
   * zbud.createFinish. Null on failure. The per-cpu tmem metadata preload
   * (failed_alloc) cannot fail here.
   */
  pampdCreate(
    pool: TmemPool<ZcachePampd>,
    oid: number,
    index: number,
    src: Page | RawZpage,
    raw: boolean,
    rejectRules: boolean,
  ): Zbud | null {
    const c = this.counters;
    const eph = pool.ephemeral;
    let data: Compressed;
    let clen: number;
    if (raw) {
      data = (src as RawZpage).data;
      clen = (src as RawZpage).clen;
    } else {
      const page = src as Page;
      if (this.zeroFilledHandler && this.isZeroFilled(page)) {
        c.zero_filled_pages++;
        this.incZpages(eph, 0);
        return new Zbud(LOCAL_CLIENT, pool.id, oid, index, null, 0, page.tag);
      }
      const env = this.env;
      data = env.compression.compress(this.comp, page);
      clen = data.size;
      env.meter.compress(this.comp.name, PAGE_SIZE, clen);
    }
    // reject if compression is too poor (zbud_max_zsize < zbud_max_buddy_size)
    if (clen > ZBUD_MAX_BUDDY_SIZE || (!eph && rejectRules && clen > ZBUD_MAX_ZSIZE)) {
      c.compress_poor++;
      return null;
    }
    // reject if mean compression is too poor
    if (!eph && rejectRules && clen > ZBUD_MAX_MEAN_ZSIZE && c.pers_zpages > 0) {
      const total = c.pers_zbytes < 0 ? 0 : c.pers_zbytes;
      if (Math.floor(total / c.pers_zpages) > ZBUD_MAX_MEAN_ZSIZE) {
        c.mean_compress_poor++;
        return null;
      }
    }
    const z = new Zbud(LOCAL_CLIENT, pool.id, oid, index, data, clen, src.tag);
    if (!this.zbud.matchPrep(z, eph)) {
      // no match: find (or free up) a whole pageframe
      if (!this.allocPageframe()) {
        c.failed_get_free_pages++;
        // ephemeral eats its LRU tail; persistent eats ephemeral
        if (!this.evictEphPageframe()) {
          if (eph) c.eph_ate_tail_failed++;
          else c.pers_ate_eph_failed++;
          return null;
        }
        if (eph) c.eph_ate_tail++;
        else c.pers_ate_eph++;
      }
      this.zbud.createPrep(z, eph);
      if (eph) {
        if (++c.eph_pageframes > c.eph_pageframes_max) c.eph_pageframes_max = c.eph_pageframes;
      } else if (++c.pers_pageframes > c.pers_pageframes_max) c.pers_pageframes_max = c.pers_pageframes;
    }
    this.incZpages(eph, clen);
    return z;
  }

  /** inc_zcache_{eph,pers}_zpages and _zbytes, with their _max. */
  private incZpages(eph: boolean, clen: number): void {
    const c = this.counters;
    if (eph) {
      c.eph_zbytes += clen;
      if (c.eph_zbytes > c.eph_zbytes_max) c.eph_zbytes_max = c.eph_zbytes;
      if (++c.eph_zpages > c.eph_zpages_max) c.eph_zpages_max = c.eph_zpages;
    } else {
      if (++c.pers_zpages > c.pers_zpages_max) c.pers_zpages_max = c.pers_zpages;
      c.pers_zbytes += clen;
      if (c.pers_zbytes > c.pers_zbytes_max) c.pers_zbytes_max = c.pers_zbytes;
    }
  }

  // ---- pampd free and eviction ------------------------------------------------

  /** zcache_pampd_free (tmem's pamops.free), also the accounting of get_data_and_free. */
  pampdFree(p: ZcachePampd, pool: TmemPool<ZcachePampd>): void {
    if (this.remote !== null && this.remote.isRemote(p)) {
      this.remote.free(p, pool);
      return;
    }
    const z = p as Zbud; // not remote: a local pampd
    const c = this.counters;
    let freed = false;
    let zsize: number;
    let zpages: number;
    if (z.page === null) {
      c.zero_filled_pages--;
      zsize = 0;
      zpages = 1;
    } else {
      freed = this.zbud.freeAndDelist(z, pool.ephemeral);
      zsize = this.zbud.lastZsize;
      zpages = this.zbud.lastZpages;
    }
    if (pool.ephemeral) {
      if (freed) c.eph_pageframes--;
      c.eph_zpages -= zpages;
      c.eph_zbytes -= zsize;
    } else {
      if (freed) c.pers_pageframes--;
      c.pers_zpages -= zpages;
      c.pers_zbytes -= zsize;
    }
    if (freed) this.env.freePage();
  }

  /** zbud_evict_tmem's upcall: flush a bud of a dying pageframe from tmem. */
  zbudEvictFlush(z: Zbud): void {
    const pool = this.poolById(z.poolId);
    if (pool === null) return;
    if (pool.ephemeral) this.env.ephemeralDropped(z.poolId, z.oid, z.index);
    this.tmem.flushPage(pool, z.oid, z.index);
  }

  /**
   * zcache_evict_eph_pageframe: reclaim the LRU ephemeral pageframe. On
   * success the pageframe is the caller's (reused, or given back to RAM).
   */
  private evictEphPageframe(): boolean {
    const zb = this.zbud;
    if (!zb.evictPageframeLru()) return false;
    this.env.meter.meta(ZBUD_EVICT_CYCLES);
    const c = this.counters;
    const zpages = zb.lastZpages;
    c.eph_zbytes -= zb.lastZsize;
    c.eph_zpages -= zpages;
    c.evicted_eph_zpages += this.era === '3.10' ? zpages : 1;
    c.eph_pageframes--;
    c.evicted_eph_pageframes++;
    return true;
  }

  /**
   * The cleancache shrinker (shrink_zcache_memory). With the LRU sizes it
   * follows the kernel: 3.10 evicts eph_pageframes - (active + inactive file)
   * pageframes when positive, 3.9 eph_pageframes - active + inactive; nr only
   * gates the call. Without them (tmemsim) it evicts min(nr, eph_pageframes).
   * Evicted pageframes go back to RAM. Returns what the kernel's shrinker
   * returns (the remaining excess), or eph_pageframes without LRU sizes.
   */
  shrink(nrToScan: number, lru?: ZcacheShrinkLru): number {
    const c = this.counters;
    if (nrToScan > 0) {
      let nrEvict: number;
      if (lru === undefined) nrEvict = Math.min(nrToScan, c.eph_pageframes);
      else {
        c.last_active_file_pageframes = lru.activeFile;
        c.last_inactive_file_pageframes = lru.inactiveFile;
        if (this.era === '3.10') {
          const inuse = lru.activeFile + lru.inactiveFile;
          nrEvict = c.eph_pageframes > inuse ? c.eph_pageframes - inuse : 0;
        } else nrEvict = c.eph_pageframes - lru.activeFile + lru.inactiveFile;
      }
      while (nrEvict-- > 0) {
        if (!this.evictEphPageframe()) break;
        this.env.freePage();
      }
      if (lru !== undefined) {
        c.last_active_anon_pageframes = lru.activeAnon;
        c.last_inactive_anon_pageframes = lru.inactiveAnon;
        // persistent writeback (CONFIG_ZCACHE_WRITEBACK) depended on BROKEN: nothing
      }
    }
    if (lru === undefined) return c.eph_pageframes;
    c.last_active_file_pageframes = lru.activeFile;
    c.last_inactive_file_pageframes = lru.inactiveFile;
    const ret = c.eph_pageframes - lru.activeFile + lru.inactiveFile;
    return ret < 0 ? 0 : ret;
  }

  // ---- frontswap shim ---------------------------------------------------------

  /** zcache_frontswap_init: one persistent pool for every swap type. */
  frontswapInit(_type: number): void {
    if (this.fsPoolId < 0) this.fsPoolId = this.newPool(TMEM_POOL_PERSIST);
  }

  /** The frontswap pool id (-1 before the first init). */
  get frontswapPoolId(): number {
    return this.fsPoolId;
  }

  frontswapStore(type: number, offset: number, page: Page): boolean {
    if (this.ignoreNonactiveFrontswap && !pageWasActive(page)) {
      this.counters.pers_nonactive_puts_ignored++;
      return false; // -ERANGE
    }
    if (offset >= U32_LIMIT) return false;
    return this.putPage(this.fsPoolId, frontswapOid(type, offset), frontswapIndex(offset), page);
  }

  frontswapLoad(type: number, offset: number, out: PageOut): boolean {
    if (offset >= U32_LIMIT) return false;
    const gaf = this.hasExclusiveGets ? 1 : -1;
    return this.getPage(this.fsPoolId, frontswapOid(type, offset), frontswapIndex(offset), out, gaf);
  }

  frontswapInvalidatePage(type: number, offset: number): void {
    if (offset >= U32_LIMIT) return;
    this.flushPage(this.fsPoolId, frontswapOid(type, offset), frontswapIndex(offset));
  }

  /** zcache_frontswap_flush_area: flush_object on the 256 oids of the type, highest first. */
  frontswapInvalidateArea(type: number): void {
    for (let ind = ZCACHE_SWIZ_MASK; ind >= 0; ind--) this.flushObject(this.fsPoolId, frontswapOid(type, ind));
  }

  // ---- cleancache shim --------------------------------------------------------

  cleancacheInitFs(pageSize: number): number {
    if (pageSize !== PAGE_SIZE) return -1;
    return this.newPool(0);
  }

  cleancacheGetPage(pool: number, inode: number, index: number, out: PageOut): boolean {
    if (index >= U32_LIMIT) return false;
    return this.getPage(pool, inode, index, out, 0);
  }

  cleancachePutPage(pool: number, inode: number, index: number, page: Page): void {
    if (this.ignoreNonactiveCleancache && !pageWasActive(page)) {
      this.counters.eph_nonactive_puts_ignored++;
      return;
    }
    if (index < U32_LIMIT) this.putPage(pool, inode, index, page);
  }

  cleancacheInvalidatePage(pool: number, inode: number, index: number): void {
    if (index < U32_LIMIT) this.flushPage(pool, inode, index);
  }

  cleancacheInvalidateInode(pool: number, inode: number): void {
    this.flushObject(pool, inode);
  }

  cleancacheInvalidateFs(pool: number): void {
    if (pool >= 0) this.destroyPool(pool);
  }
}

export const zcacheFactory: BackendFactory = {
  name: ZCACHE_NAME,
  description:
    'zcache2: compressed frontswap and cleancache pages in RAM, two per pageframe (zbud), LRU ephemeral pageframes reclaimed to make room (ouroboros)',
  reclaim: 'lru-3x',
  era: 'drivers/staging/zcache (zcache-main.c, zbud.c, tmem.c), Linux 3.10',
  params: ZCACHE_PARAMS,
  counters: ZCACHE_COUNTER_GROUPS,
  compressorParam: 'zcache_comp_name',
  create(env: BackendEnv, params: ParamMap): Backend {
    return new ZcacheBackend(env, params);
  },
};
