/**
 * Xen tmem: the guest's shim (TL:drivers/xen/tmem.c) over a model of the
 * hypervisor's transcendent memory (xen-project/xen xen/common/tmem.c and
 * xen/include/xen/tmem_xen.h, Xen 4.2–4.3 era, compression and dedup off as
 * by default), with self-ballooning and frontswap self-shrinking
 * (TL:drivers/xen/xen-selfballoon.c, see selfballoon.ts).
 *
 * Kernel era: the Linux 3.8–3.10 shim (module parameters cleancache,
 * frontswap, selfballooning, selfshrinking; xen_selfballoon_init(bool, bool)).
 *
 *   guest shim (Linux):                         every hypercall: 1 → 0 (success), else → -1
 *     frontswap init(type)     first call: pool = NEW_POOL(PERSIST, private uuid {0,0})
 *     store/load(type, off)    off ≥ 2^32 or pool < 0 → -1;
 *                              oid = (type << 4) | (off & 15), index = off >> 4   (SWIZ_BITS 4)
 *                              PUT_PAGE / GET_PAGE; exclusive gets never enabled
 *     invalidate_page          FLUSH_PAGE;  invalidate_area: FLUSH_OBJECT of oids (type<<4)|15 .. |0
 *     cleancache init_fs       NEW_POOL(0, private uuid); init_shared_fs(uuid): NEW_POOL(SHARED, uuid)
 *     put/get/invalidate_page  pool < 0 or index ≥ 2^32 → nothing (get: -1); oid = the inode
 *     invalidate_inode         FLUSH_OBJECT;  invalidate_fs: DESTROY_POOL
 *     init: frontswap off → selfballooning = selfshrinking = false; xen_selfballoon_init
 *   hypervisor (Xen), per hypercall total_tmem_ops++, rc < 0 → errored_tmem_ops++:
 *     NEW_POOL      pagesize ≠ 4 KiB → -EPERM; d = first free of the guest's 16 pool ids;
 *                   shared: a global shared pool (16) with the same uuid is joined
 *                   (pools[d] = it, shared_count++), else a new one is registered
 *     PUT_PAGE      tmem_ensure_avail_pages: evict LRU ephemeral pages while memory is short;
 *                   puts++; a dup: replace the data in place (dup_puts_replaced++, good_puts++)
 *                   or, when no page can be had, flush the old (dup_puts_flushed++, -ENOSPC);
 *                   else alloc a page (persistent: fails if the domain is fully allocated),
 *                   copy, add (ephemeral: LRU tail); good_puts++, or no_mem_puts++ and -ENOMEM
 *     GET_PAGE      pool empty → -EEMPTY; gets++; private ephemeral: delete (exclusive);
 *                   shared ephemeral: keep, move to the LRU tail; persistent: keep;
 *                   copy to the guest; found_gets++
 *     FLUSH_PAGE    flushs++ (+ flushs_found);  FLUSH_OBJECT: flush_objs++ (+ flush_objs_found)
 *     DESTROY_POOL  pools[id] = NULL; shared: drop this guest's objects and one sharer, the
 *                   pool lives on while sharers remain; else destroy every object, free the pool
 *     eviction      tmem_evict: the LRU head of the ephemeral list; persistent pages never
 *
 * The pools, objects and pages are the tmem core of src/tmem/tmem.ts (Xen's
 * tmem.c has the same pool/object/radix-tree structure); this file keeps the
 * page descriptors (pgp: tag and, when verifying, a copy of the bytes) and the
 * ephemeral LRU list.
 *
 * Deviations from the kernel and the hypervisor:
 * - Memory: Xen's tmem pages are the hypervisor's, not guest RAM (poolPages()
 *   is 0, env.allocPage is never called). Host memory is tmemsim's
 *   `hypervisor_budget_mb`: at most that many MB of tmem pages for this guest
 *   (0 = no limit). Xen keeps 1 MB of host memory free before every put
 *   (tmem_ensure_avail_pages evicts ephemeral pages, global LRU); tmemsim
 *   evicts the LRU ephemeral page only when a new page would exceed the
 *   budget, and only for non-duplicate puts. With
 *   `persistent_evicts_ephemeral` off (tmemsim's simpler policy), a full
 *   budget fails persistent puts instead of evicting ephemeral pages for them.
 * - The domain's own limit on persistent pages (tmh_alloc_page_thispool fails
 *   when tot_pages >= max_pages: persistent tmem pages are charged to the
 *   guest's reservation, so frontswap only has room once the guest ballooned
 *   down) is applied only with tmemsim's `maxmem_bounds_persistent`, as
 *   vm().totalram + persistent pages < vm().maxram.
 * - One guest, one client: eviction never looks at other domains, client
 *   weights, caps or quotas; the 16 global shared pool slots are this guest's.
 * - Counters are Xen's names (tm_pool's puts, good_puts, no_mem_puts,
 *   dup_puts_*, gets, found_gets, flushs(_found), flush_objs(_found); client's
 *   eph_count(_max), succ_pers_puts, succ_eph_gets, succ_pers_gets; the
 *   globals total_tmem_ops, errored_tmem_ops, evicted_pgs, evict_attempts,
 *   alloc_page_failed, tot_good_eph_puts), the per-pool ones summed over all
 *   pools the guest ever had. obj_count/objnode_count (+ _max) come from the
 *   tmem core (Linux zcache's radix tree shape, not Xen's). tmemsim's own:
 *   pers_count(_max), pools, shared_pools, budget_pages.
 * - DESTROY_POOL of a shared pool that other mounts of this guest still use:
 *   Xen drops every object last touched by this guest (all of them, with one
 *   guest) and keeps the pool; tmemsim does the same. Xen's
 *   shared_pool_reassign then clears the creator's pool id even when another
 *   id was destroyed (a bug with two mounts of one guest); tmemsim keeps the
 *   other mount's id working.
 * - No compression, dedup or trailing-zero elimination (Xen's defaults);
 *   no freeze/thaw, save/restore, live migration or TMEM_CONTROL.
 * - Cost: each hypercall is charged as HYPERCALL_CYCLES + TMEM_OP_CYCLES of
 *   metadata work, each page copy (put, get hit) as a 4 KiB memcpy, each
 *   eviction as TMEM_EVICT_CYCLES; no real hypercall latency beyond these
 *   estimates, and DESTROY_POOL is charged as one operation however many
 *   pages it frees.
 * - An oid is oid[0] only (the inode number for cleancache; the kernel's
 *   filekey may be an exportfs file handle).
 * - Self-ballooning changes the guest's RAM size only (env.setTotalram); the
 *   balloon driver's page movement is not modelled (see selfballoon.ts).
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
import { PAGE_SIZE, type Page, type PageOut } from '../../content/page.js';
import type { ParamMap, ParamValue } from '../params.js';
import { TMEM_OP_CYCLES, TMEM_POOL_PERSIST, TMEM_POOL_SHARED, Tmem, TmemPool, type TmemObj, type TmemPamOps } from '../../tmem/tmem.js';
import {
  SELFBALLOON_COUNTERS,
  SELFBALLOON_SYSFS_PARAMS,
  XenSelfballoon,
  selfballoonTunables,
  type SelfballoonOptions,
  type TimelinePoint,
} from './selfballoon.js';

// duplicates: alike in shape to the constants at the top of ramster/ramster.ts and zcache/zcache.ts: each names its own
// kernel's constants, with their own values and sources.
const XEN_TMEM_NAME = 'xen-tmem';

/** MAX_POOLS_PER_DOMAIN and MAX_GLOBAL_SHARED_POOLS (xen/common/tmem.c). */
const MAX_POOLS_PER_DOMAIN = 16;
const MAX_GLOBAL_SHARED_POOLS = 16;
/**
 * Frontswap oid swizzling of the Linux shim: 4 low offset bits go into the
 * oid (SWIZ_BITS in drivers/xen/tmem.c, Linux 3.x). zcache2 raised its own
 * copy to 8 (drivers/staging/zcache/zcache-main.c: ZCACHE_SWIZ_BITS); the two
 * shims never shared the constant.
 */
const XEN_TMEM_SWIZ_BITS = 4;
const XEN_TMEM_SWIZ_MASK = (1 << XEN_TMEM_SWIZ_BITS) - 1;

/** Hypervisor return codes tmemsim uses (Xen's errno values, negated). */
const EPERM = -1;
const ENOMEM = -12;
const ENODEV = -19;
const ENOSPC = -28;
/** -EEMPTY, Xen's own errno for a get on an empty pool. */
const EEMPTY = -2000;

const U32_LIMIT = 2 ** 32;
const PAGES_PER_MB = 256;

// Cost estimates (not measurements). A PV hypercall on x86-64 is a ring
// transition into Xen and back plus argument copying: several hundred cycles;
// Xen's tmem then takes locks and walks a hash bucket's rbtree and an object's
// radix tree, as zcache's tmem does (tmem.ts TMEM_OP_CYCLES, shared).
/** Cycles charged for entering and leaving the hypervisor, per hypercall. */
export const HYPERCALL_CYCLES = 700;
/** Extra cycles per evicted ephemeral page (list surgery, a flush from its object). */
const TMEM_EVICT_CYCLES = 300;

// duplicates: alike in shape to the other backends' parameter lists (ZSWAP_PARAMS in zswap.ts, RAMSTER_PARAMS in
// ramster/ramster.ts, ZCACHE_PARAMS in zcache/zcache.ts): kernel-shaped, this one lists drivers/xen/tmem.c's module
// parameters, then tmemsim's own for the hypervisor side; one list per backend, each feeding its params, docs and
// checks.
export const XEN_TMEM_PARAMS: readonly ParamSpec[] = [
  { name: 'cleancache', type: 'bool', default: true, runtime: false, doc: 'Register the cleancache ops (module parameter; older boot form: nocleancache).' },
  { name: 'frontswap', type: 'bool', default: true, runtime: false, doc: 'Register the frontswap ops (module parameter; older boot form: nofrontswap). Off also forces selfballooning and selfshrinking off.' },
  {
    name: 'selfballooning',
    type: 'bool',
    default: true,
    runtime: true,
    doc: 'Self-ballooning: the module parameter at load (forced off without frontswap), the sysfs switch of the same name at runtime (turning it on schedules the worker).',
  },
  {
    name: 'selfshrinking',
    type: 'bool',
    default: true,
    runtime: false,
    doc: 'Frontswap self-shrinking at load (module parameter; forced off without frontswap). At runtime use frontswap_selfshrinking.',
  },
  ...SELFBALLOON_SYSFS_PARAMS,
  {
    name: 'hypervisor_budget_mb',
    type: 'int',
    default: 64,
    min: 0,
    max: 2 ** 31 - 1,
    runtime: true,
    doc: "tmemsim's: MB of hypervisor memory this guest's tmem pages may take (0 = no limit). When full, ephemeral pages are evicted (LRU); lowering it evicts on the next puts.",
  },
  {
    name: 'persistent_evicts_ephemeral',
    type: 'bool',
    default: true,
    runtime: true,
    doc: "tmemsim's: a persistent put on a full budget first evicts LRU ephemeral pages, as Xen's tmem_ensure_avail_pages does before every put (false: it fails, and the swap layer writes the disk).",
  },
  {
    name: 'maxmem_bounds_persistent',
    type: 'bool',
    default: false,
    runtime: true,
    doc: "tmemsim's: apply Xen's domain limit to persistent pages (a put fails unless totalram + persistent pages < boot RAM), so frontswap has room only after ballooning down.",
  },
];

// duplicates: alike in shape to the other backends' counter lists (RAMSTER_COUNTERS in ramster/ramster.ts,
// REMOTE_NODE_COUNTERS in ramster/node.ts, SELFBALLOON_COUNTERS in xen-tmem/selfballoon.ts, ZBUD_COUNTERS in
// zcache/zbud.ts, ZCACHE_COUNTERS in zcache/zcache.ts, ZSWAP_COUNTERS in zswap.ts): kernel-shaped: mirrors the
// statistics xen/common/tmem.c keeps (tmemsim's own marked as such); one list per backend, each feeding its stats,
// report and docs.
/** Xen's tmem statistics for this guest (see the header for where each comes from). */
const XEN_TMEM_COUNTERS = [
  { name: 'total_tmem_ops', kind: 'event', doc: 'Hypercalls (do_tmem_op entries).' },
  { name: 'errored_tmem_ops', kind: 'event', doc: 'Hypercalls that returned an error.' },
  { name: 'puts', kind: 'event', doc: 'PUT_PAGE calls (pool counters summed over every pool).' },
  { name: 'good_puts', kind: 'event', doc: 'PUT_PAGE calls that stored the page.' },
  { name: 'no_mem_puts', kind: 'event', doc: 'PUT_PAGE calls that failed for want of memory.' },
  { name: 'dup_puts_flushed', kind: 'event', doc: 'Duplicate puts whose old copy was flushed (the new put failed).' },
  { name: 'dup_puts_replaced', kind: 'event', doc: 'Duplicate puts that replaced the old copy.' },
  { name: 'gets', kind: 'event', doc: 'GET_PAGE calls.' },
  { name: 'found_gets', kind: 'event', doc: 'GET_PAGE calls that found the page.' },
  { name: 'flushs', kind: 'event', doc: 'FLUSH_PAGE calls.' },
  { name: 'flushs_found', kind: 'event', doc: 'FLUSH_PAGE calls that found the page.' },
  { name: 'flush_objs', kind: 'event', doc: 'FLUSH_OBJECT calls.' },
  { name: 'flush_objs_found', kind: 'event', doc: 'FLUSH_OBJECT calls that found the object.' },
  { name: 'succ_pers_puts', kind: 'event', doc: "Persistent puts stored (the client's)." },
  { name: 'succ_eph_gets', kind: 'event', doc: 'Ephemeral gets that found the page.' },
  { name: 'succ_pers_gets', kind: 'event', doc: 'Persistent gets that found the page.' },
  { name: 'tot_good_eph_puts', kind: 'event', doc: 'Ephemeral puts stored.' },
  { name: 'evict_attempts', kind: 'event', doc: 'Attempts to evict an ephemeral page for room.' },
  { name: 'evicted_pgs', kind: 'event', doc: 'Ephemeral pages evicted.' },
  { name: 'alloc_page_failed', kind: 'event', doc: 'Hypervisor page allocations that failed.' },
  { name: 'eph_count', kind: 'gauge', doc: 'Ephemeral pages held.' },
  { name: 'eph_count_max', kind: 'gauge', doc: 'Most ephemeral pages at once.' },
  { name: 'pers_count', kind: 'gauge', doc: "tmemsim's: persistent pages held." },
  { name: 'pers_count_max', kind: 'gauge', doc: "tmemsim's: most persistent pages at once." },
] as const satisfies readonly CounterSpec[];

type XenTmemCounters = CountersOf<typeof XEN_TMEM_COUNTERS>;

/** What xen-tmem's stats() reports, group by group. */
const XEN_TMEM_COUNTER_GROUPS: readonly CounterGroup[] = [
  {
    group: 'xen-tmem',
    counters: [
      ...XEN_TMEM_COUNTERS,
      ...TMEM_CORE_COUNTERS,
      { name: 'pools', kind: 'gauge', doc: "tmemsim's: private pools this guest has now." },
      { name: 'shared_pools', kind: 'gauge', doc: "tmemsim's: shared pools this guest has now." },
      { name: 'budget_pages', kind: 'gauge', doc: "tmemsim's: the hypervisor's page budget for this guest (0: unlimited)." },
    ],
  },
  { group: 'selfballoon', counters: SELFBALLOON_COUNTERS },
];

/**
 * A tmem page descriptor (Xen's pgp): the oracle's tag, the page's bytes when
 * verifying, and its place on the ephemeral LRU list.
 */
class XenPgp {
  prev: XenPgp | null = null;
  next: XenPgp | null = null;
  /** Its tmem object while it is in tmem (what putAbsent returned): an eviction flushes it there without the oid's lookup. */
  obj: TmemObj<XenPgp> | null = null;
  constructor(
    public pool: TmemPool<XenPgp>,
    public oid: number,
    public index: number,
    public tag: number,
    public data: Uint8Array | null,
  ) {}
}

/** Freed descriptors kept for reuse: a page cache churns through millions of them. */
const SPARE_PGPS = 1024;

/** A global shared pool slot: the pool, its uuid and how many pool ids of the guest use it. */
interface SharedPool {
  uuid: string;
  pool: TmemPool<XenPgp>;
  sharers: number;
}

/** _oswiz(type, ind): the frontswap oid of a swap offset. */
export function xenFrontswapOid(type: number, offset: number): number {
  return (type << XEN_TMEM_SWIZ_BITS) | (offset & XEN_TMEM_SWIZ_MASK);
}

/** iswiz(ind): the frontswap index of a swap offset (< 2^32). */
export function xenFrontswapIndex(offset: number): number {
  return offset >>> XEN_TMEM_SWIZ_BITS;
}

/** (u32)index == index for a page index. */
function isU32(n: number): boolean {
  return n >= 0 && n < U32_LIMIT && Number.isInteger(n);
}

export class XenTmemBackend implements Backend, TmemPamOps<XenPgp>, FrontswapMethods, CleancacheMethods {
  readonly name = XEN_TMEM_NAME;
  readonly frontswap: FrontswapOps | null;
  readonly cleancache: CleancacheOps | null;
  /** Xen's shim never calls frontswap_tmem_exclusive_gets(true): persistent gets keep the page. */
  readonly frontswapExclusiveGets = false;
  /** NEW_POOL(SHARED, uuid) joins the global shared pool of that uuid: mounts with one uuid share a pool. */
  readonly sharedPools = true;

  readonly counters: XenTmemCounters = zeroCounters(XEN_TMEM_COUNTERS);
  readonly tmem: Tmem<XenPgp>;
  readonly selfballoon: XenSelfballoon;

  private readonly values: ParamMap;
  /** client->pools[]: the guest's pool ids. */
  private readonly pools: (TmemPool<XenPgp> | null)[] = new Array<TmemPool<XenPgp> | null>(MAX_POOLS_PER_DOMAIN).fill(null);
  /** global_shared_pools[]. */
  private readonly shared: (SharedPool | null)[] = new Array<SharedPool | null>(MAX_GLOBAL_SHARED_POOLS).fill(null);
  /** tmem_frontswap_poolid. */
  private fsPoolId = -1;
  /** The ephemeral LRU list (head = least recently used). */
  private lruHead: XenPgp | null = null;
  private lruTail: XenPgp | null = null;
  /** Freed page descriptors for newPgp. */
  private readonly spare: XenPgp[] = [];
  /** Pages this guest holds in the hypervisor (both kinds). */
  private pages = 0;
  private budgetPages = 0;
  private persEvictsEph = true;
  private maxmemBoundsPers = false;

  constructor(
    private readonly env: BackendEnv,
    params?: ParamMap,
    options: SelfballoonOptions = {},
  ) {
    const v = resolveParams(XEN_TMEM_NAME, XEN_TMEM_PARAMS, params);
    const fsOn = v['frontswap'] === true;
    const ccOn = v['cleancache'] === true;
    // xen_tmem_init: no point driving pages to swap if they go nowhere in tmem
    const selfballooning = fsOn && v['selfballooning'] === true;
    const selfshrinking = fsOn && v['selfshrinking'] === true && v['frontswap_selfshrinking'] === true;
    v['selfballooning'] = selfballooning;
    v['selfshrinking'] = fsOn && v['selfshrinking'] === true;
    v['frontswap_selfshrinking'] = selfshrinking;
    this.values = v;
    this.frontswap = fsOn ? frontswapOps(this) : null;
    this.cleancache = ccOn ? cleancacheOps(this) : null;
    this.tmem = new Tmem<XenPgp>(this);
    this.applyBudget(v['hypervisor_budget_mb'] as number);
    this.persEvictsEph = v['persistent_evicts_ephemeral'] === true;
    this.maxmemBoundsPers = v['maxmem_bounds_persistent'] === true;
    this.selfballoon = new XenSelfballoon(
      env,
      {
        selfballooning,
        frontswapSelfshrinking: selfshrinking,
        frontswapEnabled: fsOn,
        ...selfballoonTunables(v),
      },
      options,
    );
  }

  // ---- Backend ----------------------------------------------------------------

  params(): ParamMap {
    return { ...this.values };
  }

  setParam(name: string, value: ParamValue): void {
    const v = checkRuntimeParam(XEN_TMEM_NAME, XEN_TMEM_PARAMS, name, value);
    if (this.selfballoon.setParam(name, v)) {
      this.values[name] = v;
      return;
    }
    this.values[name] = v;
    if (name === 'hypervisor_budget_mb') this.applyBudget(v as number);
    else if (name === 'persistent_evicts_ephemeral') this.persEvictsEph = v === true;
    else if (name === 'maxmem_bounds_persistent') this.maxmemBoundsPers = v === true;
  }

  private applyBudget(mb: number): void {
    this.budgetPages = mb > 0 ? mb * PAGES_PER_MB : Infinity;
  }

  /** The page budget (Infinity when unlimited). */
  get budget(): number {
    return this.budgetPages;
  }

  tick(nowNs: number): void {
    this.selfballoon.tick(nowNs);
  }

  /** The self-balloon worker's runs: (time, guest RAM, frontswap pages), oldest first. */
  timeline(): TimelinePoint[] {
    return this.selfballoon.timeline();
  }

  stats(): Record<string, Record<string, number>> {
    let pools = 0;
    for (const p of this.pools) if (p !== null) pools++;
    let sharedPools = 0;
    for (const s of this.shared) if (s !== null) sharedPools++;
    return {
      'xen-tmem': {
        ...this.counters,
        // TmemStats holds TMEM_CORE_COUNTERS, in their order
        ...this.tmem.stats,
        pools,
        shared_pools: sharedPools,
        budget_pages: this.budgetPages === Infinity ? 0 : this.budgetPages,
      },
      selfballoon: this.selfballoon.stats(),
    };
  }

  /** Xen's tmem pages are the hypervisor's: no guest RAM. */
  poolPages(): number {
    return 0;
  }

  storedBytes(): number {
    return this.pages * PAGE_SIZE;
  }

  storedPages(): number {
    return this.pages;
  }

  /** The pool behind a pool id of this guest, or null. */
  poolById(poolId: number): TmemPool<XenPgp> | null {
    if (!Number.isInteger(poolId) || poolId < 0 || poolId >= MAX_POOLS_PER_DOMAIN) return null;
    return this.pools[poolId] ?? null;
  }

  // ---- hypercalls ----------------------------------------------------------------

  /** do_tmem_op's entry: count and charge one hypercall. */
  private enter(): void {
    this.counters.total_tmem_ops++;
    this.env.meter.meta(HYPERCALL_CYCLES + TMEM_OP_CYCLES);
  }

  /** do_tmem_op's exit: count an error. */
  private leave(rc: number): number {
    if (rc < 0) this.counters.errored_tmem_ops++;
    return rc;
  }

  /** TMEM_NEW_POOL: a pool id >= 0, or a negative error. */
  newPool(flags: number, uuid: string, pageSize: number): number {
    this.enter();
    if (pageSize !== PAGE_SIZE) return this.leave(EPERM); // unsupported pagesize
    let d = 0;
    while (d < MAX_POOLS_PER_DOMAIN && this.pools[d] !== null) d++;
    if (d >= MAX_POOLS_PER_DOMAIN) return this.leave(EPERM); // no more pool slots
    if ((flags & TMEM_POOL_SHARED) !== 0) {
      let firstUnused = -1;
      for (let s = 0; s < MAX_GLOBAL_SHARED_POOLS; s++) {
        const sp = this.shared[s] ?? null;
        if (sp === null) {
          if (firstUnused < 0) firstUnused = s;
        } else if (sp.uuid === uuid) {
          // matches a shared pool: join it
          this.pools[d] = sp.pool;
          sp.sharers++;
          return this.leave(d);
        }
      }
      if (firstUnused < 0) return this.leave(EPERM); // no global shared pool slots
      const pool = this.tmem.newPool(d, flags & (TMEM_POOL_PERSIST | TMEM_POOL_SHARED));
      this.shared[firstUnused] = { uuid, pool, sharers: 1 };
      this.pools[d] = pool;
      return this.leave(d);
    }
    this.pools[d] = this.tmem.newPool(d, flags & TMEM_POOL_PERSIST);
    return this.leave(d);
  }

  /** TMEM_DESTROY_POOL: 1 if the id named a pool, else 0. */
  destroyPool(poolId: number): number {
    this.enter();
    const pool = this.poolById(poolId);
    if (pool === null) return this.leave(0);
    this.pools[poolId] = null;
    if (pool.shared) {
      const slot = this.shared.findIndex((s) => s !== null && s.pool === pool);
      const sp = slot >= 0 ? this.shared[slot]! : null;
      if (sp !== null) {
        // shared_pool_quit: this guest's objects go (all of them: one guest), then one sharer
        if (--sp.sharers > 0) {
          for (const oid of [...pool.objs.keys()]) this.tmem.flushObject(pool, oid);
          return this.leave(1);
        }
        this.shared[slot] = null;
      }
    }
    this.tmem.destroyPool(pool);
    return this.leave(1);
  }

  /** TMEM_PUT_PAGE: 1 on success, else a negative error. */
  putPage(poolId: number, oid: number, index: number, page: Page): number {
    this.enter();
    const pool = this.poolById(poolId);
    if (pool === null) return this.leave(ENODEV);
    const c = this.counters;
    c.puts++;
    const persistent = pool.persistent;
    let obj = pool.objs.get(oid);
    const old = obj === undefined ? undefined : obj.pampds.get(index);
    if (old !== undefined) {
      // do_tmem_dup_put: free the old data, take a page for the new (the freed one)
      if (persistent && this.maxmemBoundsPers && this.domainFullyAllocated(this.counters.pers_count - 1)) {
        this.tmem.flushPage(pool, oid, index);
        c.dup_puts_flushed++;
        return this.leave(ENOSPC);
      }
      this.copyIn(old, page);
      c.dup_puts_replaced++;
      c.good_puts++;
      if (persistent) c.succ_pers_puts++;
      return this.leave(1);
    }
    // tmem_ensure_avail_pages (tmemsim: only when the budget is exhausted)
    if (this.pages >= this.budgetPages && (!persistent || this.persEvictsEph)) {
      while (this.pages >= this.budgetPages && this.evictOne()) {
        /* evict until a page is free */
      }
      obj = pool.objs.get(oid); // an eviction may have freed the object
    }
    // tmem_page_alloc
    if (this.pages >= this.budgetPages || (persistent && this.maxmemBoundsPers && this.domainFullyAllocated(c.pers_count))) {
      c.alloc_page_failed++;
      c.no_mem_puts++;
      return this.leave(ENOMEM);
    }
    const pgp = this.newPgp(pool, oid, index);
    this.copyIn(pgp, page);
    pgp.obj = this.tmem.putAbsent(pool, obj, oid, index, pgp);
    this.pages++;
    if (persistent) {
      if (++c.pers_count > c.pers_count_max) c.pers_count_max = c.pers_count;
      c.succ_pers_puts++;
    } else {
      this.lruAppend(pgp);
      if (++c.eph_count > c.eph_count_max) c.eph_count_max = c.eph_count;
      c.tot_good_eph_puts++;
    }
    c.good_puts++;
    return this.leave(1);
  }

  /** TMEM_GET_PAGE: 1 if found (out filled), 0 on a miss, else a negative error. */
  getPage(poolId: number, oid: number, index: number, out: PageOut): number {
    this.enter();
    const pool = this.poolById(poolId);
    if (pool === null) return this.leave(ENODEV);
    if (pool.objCount === 0) return this.leave(EEMPTY);
    const c = this.counters;
    c.gets++;
    const exclusive = pool.ephemeral && !pool.shared;
    // tmem core: get_and_free 0 frees an ephemeral page, -1 never frees
    const pgp = this.tmem.get(pool, oid, index, exclusive ? 0 : -1);
    if (pgp === null) return this.leave(0);
    const env = this.env;
    env.meter.copy(PAGE_SIZE);
    if (env.verifyBytes && pgp.data !== null) {
      out.bytes.set(pgp.data);
      out.filled = true;
    } else out.filled = false;
    out.tag = pgp.tag;
    if (pool.ephemeral) {
      if (exclusive) this.pampdFree(pgp, pool);
      else {
        // a shared page stays and becomes the most recently used
        this.lruRemove(pgp);
        this.lruAppend(pgp);
      }
      c.succ_eph_gets++;
    } else c.succ_pers_gets++;
    c.found_gets++;
    return this.leave(1);
  }

  /** TMEM_FLUSH_PAGE: 1 (Xen returns 1 whether or not the page was there). */
  flushPage(poolId: number, oid: number, index: number): number {
    this.enter();
    const pool = this.poolById(poolId);
    if (pool === null) return this.leave(ENODEV);
    const c = this.counters;
    c.flushs++;
    if (this.tmem.flushPage(pool, oid, index)) c.flushs_found++;
    return this.leave(1);
  }

  /** TMEM_FLUSH_OBJECT: 1. */
  flushObject(poolId: number, oid: number): number {
    this.enter();
    const pool = this.poolById(poolId);
    if (pool === null) return this.leave(ENODEV);
    const c = this.counters;
    c.flush_objs++;
    if (this.tmem.flushObject(pool, oid)) c.flush_objs_found++;
    return this.leave(1);
  }

  // ---- pages ------------------------------------------------------------------------

  /** Copy a page's data into a descriptor (tmh_copy_from_client): bytes only when verifying. */
  private copyIn(pgp: XenPgp, page: Page): void {
    const env = this.env;
    env.meter.copy(PAGE_SIZE);
    if (env.verifyBytes) {
      if (pgp.data === null) pgp.data = new Uint8Array(PAGE_SIZE);
      pgp.data.set(page.bytes.subarray(0, PAGE_SIZE));
    }
    pgp.tag = page.tag;
  }

  /** domain_fully_allocated with `persPages` persistent pages charged to the guest. */
  private domainFullyAllocated(persPages: number): boolean {
    const vm = this.env.vm();
    return vm.totalram + persPages >= vm.maxram;
  }

  /** The tmem core freed a page (flush, flush_object, destroy_pool, eviction), or an exclusive get took it. */
  pampdFree(pgp: XenPgp, pool: TmemPool<XenPgp>): void {
    const c = this.counters;
    if (pool.ephemeral) {
      this.lruRemove(pgp);
      c.eph_count--;
    } else c.pers_count--;
    pgp.obj = null;
    this.pages--;
    // a spare keeps its data buffer for the next copyIn
    if (this.spare.length < SPARE_PGPS) this.spare.push(pgp);
    else pgp.data = null;
  }

  private newPgp(pool: TmemPool<XenPgp>, oid: number, index: number): XenPgp {
    const pgp = this.spare.pop();
    if (pgp === undefined) return new XenPgp(pool, oid, index, 0, null);
    pgp.pool = pool;
    pgp.oid = oid;
    pgp.index = index;
    return pgp;
  }

  /** tmem_evict: drop the least recently used ephemeral page. */
  private evictOne(): boolean {
    const c = this.counters;
    c.evict_attempts++;
    const pgp = this.lruHead;
    if (pgp === null) return false;
    this.env.meter.meta(TMEM_EVICT_CYCLES);
    this.env.ephemeralDropped(pgp.pool.id, pgp.oid, pgp.index);
    this.tmem.flushPageIn(pgp.pool, pgp.obj!, pgp.index);
    c.evicted_pgs++;
    return true;
  }

  private lruAppend(pgp: XenPgp): void {
    pgp.next = null;
    pgp.prev = this.lruTail;
    if (this.lruTail !== null) this.lruTail.next = pgp;
    else this.lruHead = pgp;
    this.lruTail = pgp;
  }

  private lruRemove(pgp: XenPgp): void {
    if (pgp.prev !== null) pgp.prev.next = pgp.next;
    else if (this.lruHead === pgp) this.lruHead = pgp.next;
    if (pgp.next !== null) pgp.next.prev = pgp.prev;
    else if (this.lruTail === pgp) this.lruTail = pgp.prev;
    pgp.prev = null;
    pgp.next = null;
  }

  // ---- frontswap shim (tmem_frontswap_*) ----------------------------------------

  /** The frontswap pool id (-1 before the first init). */
  get frontswapPoolId(): number {
    return this.fsPoolId;
  }

  /** tmem_frontswap_init: one persistent private pool for every swap type. */
  frontswapInit(_type: number): void {
    if (this.fsPoolId < 0) this.fsPoolId = this.newPool(TMEM_POOL_PERSIST, '', PAGE_SIZE);
  }

  frontswapStore(type: number, offset: number, page: Page): boolean {
    const pool = this.fsPoolId;
    if (pool < 0 || !isU32(offset)) return false;
    return this.putPage(pool, xenFrontswapOid(type, offset), xenFrontswapIndex(offset), page) === 1;
  }

  frontswapLoad(type: number, offset: number, out: PageOut): boolean {
    const pool = this.fsPoolId;
    if (pool < 0 || !isU32(offset)) return false;
    return this.getPage(pool, xenFrontswapOid(type, offset), xenFrontswapIndex(offset), out) === 1;
  }

  frontswapInvalidatePage(type: number, offset: number): void {
    const pool = this.fsPoolId;
    if (pool < 0 || !isU32(offset)) return;
    this.flushPage(pool, xenFrontswapOid(type, offset), xenFrontswapIndex(offset));
  }

  /** tmem_frontswap_flush_area: FLUSH_OBJECT on the 16 oids of the type, highest first. */
  frontswapInvalidateArea(type: number): void {
    const pool = this.fsPoolId;
    if (pool < 0) return;
    for (let ind = XEN_TMEM_SWIZ_MASK; ind >= 0; ind--) this.flushObject(pool, xenFrontswapOid(type, ind));
  }

  // ---- cleancache shim (tmem_cleancache_*) --------------------------------------

  cleancacheInitFs(pageSize: number): number {
    return this.newPool(0, '', pageSize);
  }

  cleancacheInitSharedFs(uuid: string, pageSize: number): number {
    return this.newPool(TMEM_POOL_SHARED, uuid, pageSize);
  }

  cleancacheGetPage(pool: number, inode: number, index: number, out: PageOut): boolean {
    if (pool < 0 || !isU32(index)) return false;
    return this.getPage(pool, inode, index, out) === 1;
  }

  cleancachePutPage(pool: number, inode: number, index: number, page: Page): void {
    if (pool < 0 || !isU32(index)) return;
    this.putPage(pool, inode, index, page);
  }

  cleancacheInvalidatePage(pool: number, inode: number, index: number): void {
    if (pool < 0 || !isU32(index)) return;
    this.flushPage(pool, inode, index);
  }

  cleancacheInvalidateInode(pool: number, inode: number): void {
    if (pool < 0) return;
    this.flushObject(pool, inode);
  }

  cleancacheInvalidateFs(pool: number): void {
    if (pool < 0) return;
    this.destroyPool(pool);
  }
}

export const xenTmemFactory: BackendFactory = {
  name: XEN_TMEM_NAME,
  description:
    'Xen tmem: frontswap and cleancache pages copied into hypervisor memory (not guest RAM), ephemeral pages evicted LRU, with self-ballooning and frontswap self-shrinking',
  reclaim: 'lru-3x',
  era: 'drivers/xen/tmem.c and xen-selfballoon.c, Linux 3.8-3.10; hypervisor xen/common/tmem.c, Xen 4.2-4.3',
  params: XEN_TMEM_PARAMS,
  counters: XEN_TMEM_COUNTER_GROUPS,
  create(env: BackendEnv, params: ParamMap): Backend {
    return new XenTmemBackend(env, params);
  },
};
