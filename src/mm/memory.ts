/**
 * The RAM model: resident anonymous and page-cache pages, free pages under
 * the kernel's watermarks, and the eviction mechanics: an anonymous page is
 * swapped out (frontswap store, else the swap device), a file page written
 * back if dirty and put to cleancache. Which page to evict, the LRU lists,
 * the watermarks and when kswapd and direct reclaim run belong to a reclaim
 * policy (src/mm/reclaim/: '6.1' by default, 'lru-3x' for the 3.x eras).
 * The backend's pool pages come out of the same RAM.
 *
 *   fault(page):   policy.allocate() (direct reclaim at the min watermark); take a frame
 *   after an event: policy.kswapd()
 *   evict anon:    clean with a swap slot → drop (the swap copy is valid)
 *                  else slot = alloc; swap_writepage(slot): stored by frontswap → drop;
 *                  to the device under the reclaim plug → with policy.asyncWriteback (6.1) the
 *                  page stays resident, unmapped, in the swap cache under writeback until the
 *                  policy's endWriteback (the next round of the pass's batches once the plug
 *                  submitted the write, or the pass's end), else (3.x model) drop
 *   touch of a page in the swap cache and unmapped (read ahead, or kept after its write):
 *                  a minor fault; a write fault frees the slot unless under writeback
 *   evict file:    dirty → writeback; then cleancache_put; drop
 *   anon swap-in:  swap_readpage; exclusive frontswap load → page dirty;
 *                  write fault or vm_swap_full() → free the slot (frontswap_invalidate_page)
 *   anon write to a mapped page with a slot (it was swapped in by a read fault):
 *                  policy.anonExclusive (6.1) → keep the slot and its frontswap copy, page dirty;
 *                  else (3.x reuse_swap_page) → free the slot
 *
 * Deviations: reads of never-touched anonymous pages map the zero page and
 * take no frame; file writes are full-page (no read before write);
 * swap readahead follows the reclaim model's page_cluster (6.1: VMA-based, or
 * swap_cluster_readahead with a rotational device on, both from 6.1's 4 hits at
 * boot (swapin_readahead_hits, GET_SWAP_RA_VAL), mm/swap-readahead.ts; 3.x:
 * none); file readahead (mm/file-readahead.ts)
 * applies to the files whose size the trace gives (config.files): the kernel
 * sizes its windows by i_size, which a trace of page accesses does not hold;
 * a mark's AnonPages (anonMapped) leaves out unmapped swap-cache pages, as
 * the kernel's NR_ANON_MAPPED does.
 *
 * Frames: pages are counted per zone; with a reclaim model that places them
 * (pageAllocator: 6.1-cfs-buddy) on a zone layout, each page also has a frame of
 * the buddy allocator (mm/buddy.ts) taken through the per-CPU lists
 * (mm/pcp.ts) as its migratetype says (user pages, readahead and zsmalloc's
 * pages movable; page tables, zbud's and z3fold's pages and zswap writeback's
 * GFP_KERNEL page unmovable), and a fallback between migratetypes boosts the
 * zone's watermarks (Reclaim.boostWatermark). The slab's pages (MmEnv.slabPages: zswap's
 * entries, the zpools' caches, tmem's objects; and the swap cache's xarray nodes, xaSlabPages,
 * charged by the 6.1 models with or without frames) take unmovable frames too, as SLUB's new_slab
 * takes a GFP_KERNEL page: a slab page the backend's count gained takes its frame at the next
 * page allocation, and one it lost gives its frame back then (syncSlab); meanwhile the change
 * counts in the highest zone. The swap cache's nodes are synced at the swap-out that needs one
 * too (add_to_swap_cache, in reclaim before the page's write), as 6.1 allocates them there.
 */

import { InvariantError, UsageError } from '../errors.js';
import type { LruSizes } from '../backends/backend.js';
import { comesBackDirty } from '../frontends/frontswap.js';
import type { MmEnv } from './env.js';
import { ANON, Evicted, FILE, type LruType, type Reclaim, type ReclaimFactory, type ReclaimHost, type ZoneLayout } from './reclaim/reclaim.js';
import { slotKey, slotOffset, slotType } from './swap.js';
import { KeyMap } from '../keymap.js';
import { PageCache } from './page-cache.js';
import { grown } from '../arrays.js';
import { newSwapClusterRaState, newSwapRaState, swapClusterWindow, swapRaLookup, swapRaWindow, type SwapClusterRaState, type SwapRaState } from './swap-readahead.js';
import { newFileRaState, ondemandReadahead, type FileRaState, type RaCache, type RaEra, type RaWindow } from './file-readahead.js';
import { Buddy, bootFreePages, freePagesOk, MOVABLE, RECLAIMABLE, TYPES, UNMOVABLE, type BlockType } from './buddy.js';
import { PcpLists } from './pcp.js';
import { Kcompactd, type CompactionHost } from './compaction.js';

/**
 * The share of a page's reclaim work (the profile's mm.reclaimCycles, per page reclaimed)
 * that a page written to the swap device costs in the later pass that frees it, once its
 * write completed (isolation, __remove_mapping, the free); the rest (the reference check,
 * add_to_swap, unmapping, pageout's submission) is charged in the pass that writes it.
 * An estimate [I] from the two passes' work in shrink_folio_list (6.1); not measured
 * (docs/validation.md item 2 gives what the validation counters do at other shares).
 */
const WRITTEN_FREE_SHARE = 0.25;

const F_RESIDENT = 1;
const F_DIRTY = 2;
/** Read into the swap cache by readahead and not mapped yet (PG_readahead). */
const F_RA = 4;

/** Float64s a page id's record takes in Memory.rec, and where each field sits in it. */
const R = 4;
const R_KEY = 0;
const R_DESC = 1;
const R_SLOT = 2;
const R_FLAGS = 3;
/** A page-cache page marked PG_readahead by file readahead: a read that finds it starts the next window. */
const F_RA_MARK = 8;
/** Written to the swap device by reclaim and not yet completed (PG_writeback); the page is resident, in the swap cache. */
const F_WB = 16;
/** In the swap cache and unmapped by reclaim (try_to_unmap before pageout): the next touch is a minor fault. */
const F_UNMAPPED = 32;

/**
 * Pages a zone layout may have under the buddy allocator: the frame code holds pfn + 1 below 2^26
 * (256 GiB of 4 KiB pages, in an Int32), less room for the zones' alignment and a recorded boot's
 * kernel pages (Buddy checks the frames themselves).
 */
const MAX_FRAMES = 2 ** 26 - 2 ** 20;
/** A page's frame code (Memory.frame): its zone in the low 3 bits, its migratetype in bits 3-4, its pfn + 1 above (0: no frame). */
function frameCode(z: number, t: BlockType, pfn: number): number {
  return z | (t << 3) | ((pfn + 1) << 5);
}
function frameZone(code: number): number {
  return code & 7;
}
function frameType(code: number): BlockType {
  return ((code >> 3) & 3) as BlockType;
}
function framePfn(code: number): number {
  return (code >> 5) - 1;
}

/** struct radix_tree_node's slab on one CPU: 14 nodes of 576 bytes in an order-1 (two-page) slab. */
const XA_NODES_PER_SLAB = 14;
const XA_SLAB_ORDER = 1;
const XA_SLAB_PAGES = 1 << XA_SLAB_ORDER;

/**
 * A slab cache's pages on frames (with frames only), newest last: each block's frame code and
 * order (the cache's slab order, or 0 for each page of a slab the zone had no such block for),
 * and the pages they hold.
 */
interface SlabFrames {
  readonly type: BlockType;
  readonly order: number;
  readonly codes: number[];
  readonly orders: number[];
  pages: number;
}
function newSlabFrames(type: BlockType, order: number): SlabFrames {
  return { type, order, codes: [], orders: [], pages: 0 };
}

/** The page allocator's state when pages have frames (6.1-cfs-buddy on a zone layout). */
interface Frames {
  readonly buddy: Buddy;
  readonly pcp: PcpLists;
  /** The frames the pool pages of each zone and migratetype (movable or unmovable) hold (zone * TYPES + type), newest last. */
  readonly poolFrames: number[][];
}

function anonKey(pid: number, vpn: number): number {
  return pid * 2 ** 32 + vpn;
}
function fileKey(fs: number, inode: number, index: number): number {
  return (fs * 2 ** 27 + inode) * 2 ** 20 + index;
}
function keyFs(key: number): number {
  return Math.floor(key / 2 ** 47);
}
function keyInode(key: number): number {
  return lowBits(Math.floor(key / 2 ** 20), 2 ** 27);
}
function keyIndex(key: number): number {
  return lowBits(key, 2 ** 20);
}
/**
 * x % m for an integer 0 <= x < 2^53 and a power of two m, exactly (every step is): a key
 * is no int32, and V8 computes % of such doubles with a call to fmod, ten times the cost.
 */
function lowBits(x: number, m: number): number {
  return x - Math.floor(x / m) * m;
}
/** A file's key (its page 0's key divided by 2^20). */
function inodeKey(fs: number, inode: number): number {
  return fs * 2 ** 27 + inode;
}

export class Memory implements ReclaimHost {
  resident = 0;
  readonly reclaim: Reclaim;
  /** Anonymous page key → page id (KeyMap: page keys are not small integers). */
  private readonly anon = new KeyMap();
  /** The page cache: page key → page id, and the shadows evicted pages leave there (ReclaimHost.pageCache). */
  private readonly file = new PageCache();
  /** Swap slot → id of the anonymous page that owns it. */
  private readonly slotOwner = new Map<number, number>();
  /** Contents of file pages that were written back (others have their initial contents). */
  private readonly fsWritten = new KeyMap();
  private cap = 1024;
  /**
   * Per page id, side by side (one 32-byte record, so a page's fields are one cache line): its
   * key, its contents' descriptor, its swap slot (slotKey, -1 for none) and its F_* flags.
   */
  private rec = new Float64Array(this.cap * R);
  private freeIds: number[] = [];
  private nextId = 0;
  /** swapin_nr_pages' globals, for cluster readahead (a rotational swap device on); 4 hits at boot. */
  private readonly clusterRa: SwapClusterRaState = newSwapClusterRaState();
  /** Each process's vma->swap_readahead_info (one VMA per process). */
  private readonly ra = new Map<number, SwapRaState>();
  /** Page-table pages allocated: a PTE page per 512-page (2 MiB) range and a PMD page per 2^18-page (1 GiB) range a process touched. */
  private readonly ptTables = new Set<number>();
  /** Kernel pages charged to RAM by the memory model: page tables (never freed: tmemsim has no munmap or exit). */
  ptPages = 0;
  /** File readahead: the devices' ra_pages (read_ahead_kb / 4; 0: off), each sized file's pages (i_size), its file_ra_state. */
  private raPages = 0;
  /** ra_pages > 0 and some file has a size. */
  private raOn = false;
  private raEra: RaEra = '6.1';
  private readonly fileSize = new Map<number, number>();
  /** Filesystems that are a block device's page cache (setBlockDevice). */
  private readonly blockDevices = new Set<number>();
  private readonly fileRa = new Map<number, FileRaState>();
  /** Pages under writeback whose write is still held in the plug, then those submitted to the device, in write order. */
  private wbHeld: number[] = [];
  private wbSubmitted: number[] = [];
  /**
   * Zones (the layout's, lowest first; one zone without a layout): the pages each holds for
   * the model (the highest zone less the kernel's own pages), and what they hold now: LRU
   * pages, page tables, the backend's pool pages (its slab metadata counts in the highest zone).
   */
  private readonly zoneCap: number[];
  private readonly zoneLru: number[];
  private readonly zonePt: number[];
  private readonly zonePool: number[];
  /**
   * With frames: the slab pages (kernelSlab: the backend's and the swap cache's nodes') that hold
   * a frame, by zone, and their frame codes, newest last: the backend's caches' (unmovable) and
   * the swap cache's nodes' (reclaimable). Slab pages counted and no frame holds yet (a change
   * since the last syncSlab) count in the highest zone.
   */
  private readonly zoneSlab: number[];
  private readonly slabFrames = newSlabFrames(UNMOVABLE, 0);
  private readonly xaSlabFrames = newSlabFrames(RECLAIMABLE, XA_SLAB_ORDER);
  private syncingSlab = false;
  /** Each resident page's frame code (frameCode: its zone, migratetype and frame), by page id. */
  private frame = new Int32Array(this.cap);
  /** The buddy allocator and per-CPU lists of the zones' frames (a zone layout and a reclaim model with pageAllocator), else null. */
  private readonly frames: Frames | null;
  /** The allocation under way (the per-CPU list's refill and the boost read it). */
  private allocZone = 0;
  private allocType: BlockType = MOVABLE;
  private allocOrder = 0;
  private readonly boostZone = (): void => this.reclaim.boostWatermark!(this.allocZone);
  /** A block of the buddy allocator for the allocation under way: its first frame, -1 for none. */
  private readonly fromBuddy = (): number => this.frames!.buddy.alloc(this.allocZone, this.allocType, this.boostZone, this.allocOrder);
  private readonly toBuddy = (pfn: number, t: BlockType, order: number): void => this.frames!.buddy.release(pfn, t, order);

  constructor(
    private readonly m: MmEnv,
    public ramPages: number,
    swappiness: number,
    policy: ReclaimFactory,
    layout?: ZoneLayout,
  ) {
    const managed = layout ? [...layout.managed] : [ramPages];
    this.zoneNames = layout?.names ?? [];
    // A lower zone booted from a recorded state holds its recorded free pages (the kernel's own
    // pages in it are its, not the highest zone's); the highest zone holds the rest.
    layout?.boot?.forEach((b, z) => {
      if (b !== undefined && z < managed.length - 1) managed[z] = Math.min(managed[z]!, bootFreePages(b));
    });
    this.zoneCap = managed;
    this.fitTopZone();
    this.zoneLru = managed.map(() => 0);
    this.zonePt = managed.map(() => 0);
    this.zonePool = managed.map(() => 0);
    this.zoneSlab = managed.map(() => 0);
    this.reclaim = policy.create(this, ramPages, swappiness, layout);
    this.reclaim.ensure(this.cap);
    // The page allocator's frames and lists, for a model that places pages (6.1-cfs-buddy) on a zone layout.
    const placed = layout !== undefined && this.reclaim.pageAllocator === true;
    if (placed && ramPages >= MAX_FRAMES) {
      throw new UsageError(`${ramPages} pages on zones are more frames than the buddy allocator model holds`, { field: 'config.zones' }, `fewer than ${MAX_FRAMES} pages (252 GiB) with zones under 6.1-cfs-buddy, or no zones`);
    }
    this.frames = placed
      ? { buddy: new Buddy(this.zoneCap, layout.boot), pcp: new PcpLists(this.reclaim.pcpSizes!()), poolFrames: managed.flatMap(() => Array.from({ length: TYPES }, (): number[] => [])) }
      : null;
    if (this.frames !== null && this.reclaim.migrated !== undefined) {
      const b = this.frames.buddy;
      this.pfnOwner = new Int32Array(b.zoneEnd(this.zoneCap.length - 1)).fill(-1);
      this.poolAt = new Int32Array(b.zoneEnd(this.zoneCap.length - 1)).fill(-1);
      this.kcompactd = new Kcompactd(this.compactionHost(this.frames));
    }
  }
  /** With frames: the resident page on each frame (its id), -1 for none; kcompactd, which moves them. */
  private pfnOwner: Int32Array | null = null;
  /** With frames: each movable pool page's place in its zone's list of movable pool frames, -1 for none. */
  private poolAt: Int32Array | null = null;
  private kcompactd: Kcompactd | null = null;

  /** The highest zone holds the model's RAM the lower zones do not (the kernel's own pages are outside ramPages). */
  private fitTopZone(): void {
    let lower = 0;
    for (let z = 0; z < this.zoneCap.length - 1; z++) lower += this.zoneCap[z]!;
    this.zoneCap[this.zoneCap.length - 1] = this.ramPages - lower;
  }

  /** The zones' names, lowest first (empty: one unnamed zone). */
  readonly zoneNames: readonly string[];

  /**
   * Each named zone's free pages (NR_FREE_PAGES: the per-CPU lists left out), watermark boost and
   * pages on its per-CPU lists (pcp->count; 0 without frames), for the marks.
   */
  zoneStates(): Record<string, { free: number; boost: number; pcp_count: number }> {
    this.syncSlab();
    const out: Record<string, { free: number; boost: number; pcp_count: number }> = {};
    this.zoneNames.forEach((name, z) => {
      out[name] = { free: this.zoneFree(z), boost: this.reclaim.zoneBoost?.(z) ?? 0, pcp_count: this.frames === null ? 0 : this.frames.pcp.count[z]! };
    });
    return out;
  }

  /** Free pages of zone z. */
  zoneFree(z: number): number {
    const top = z === this.zoneCap.length - 1;
    return (
      this.zoneCap[z]! -
      this.zoneLru[z]! -
      this.zonePt[z]! -
      this.zonePool[z]! -
      this.zoneSlab[z]! -
      (top ? this.kernelSlab - this.slabFramePages : 0) -
      (this.frames === null ? 0 : this.frames.pcp.count[z]!)
    );
  }

  /**
   * With frames, the slab's pages follow the counts the model charges: a new slab page (SLUB's
   * new_slab under GFP_KERNEL, from the zone the watermarks give, the reserves for an allocation
   * in reclaim) takes a frame, an emptied one gives its frame back, newest first. The backend's
   * caches (zswap_entry, zsmalloc's, tmem's: no SLAB_RECLAIM_ACCOUNT) take unmovable pages, the
   * swap cache's nodes (radix_tree_node: SLAB_RECLAIM_ACCOUNT) reclaimable ones. Run before every
   * allocation and at a mark, so a slab page is allocated before the next page allocation after
   * the store that needed it, and freed before it.
   */
  private syncSlab(): void {
    if (this.frames === null || this.syncingSlab) return;
    const slab = this.m.slabPages;
    const xa = this.xaSlabPages;
    if (this.slabFrames.pages === slab && this.xaSlabFrames.pages === xa) return;
    this.syncingSlab = true;
    this.syncSlabKind(this.slabFrames, slab);
    this.syncSlabKind(this.xaSlabFrames, xa);
    this.syncingSlab = false;
  }

  /**
   * One cache's slab pages follow `want` (a multiple of its slab's pages): an emptied slab gives
   * its frames back, newest first; a new one takes a block of the slab's order where the zone has
   * one (SLUB's allocate_slab tries the cache's order first; the swap cache's nodes, xas_alloc's
   * GFP_NOWAIT made in reclaim under PF_MEMALLOC, pass every watermark), through the per-CPU list
   * of that order, which may fall back to another migratetype's block and boost the zone; else as
   * many order-0 pages.
   */
  private syncSlabKind(s: SlabFrames, want: number): void {
    while (s.pages > want) {
      const code = s.codes.pop()!;
      const order = s.orders.pop()!;
      this.zoneSlab[frameZone(code)]! -= 1 << order;
      s.pages -= 1 << order;
      this.give(code, order);
    }
    while (s.pages < want) {
      let z = this.reclaim.allocKernel(true, s.order);
      if (z < 0) z = this.zoneCap.length - 1;
      const pfn = this.takeBlock(z, s.type, s.order);
      if (pfn >= 0 || s.order === 0) {
        s.codes.push(frameCode(z, s.type, pfn));
        s.orders.push(s.order);
      } else
        for (let k = 0; k < 1 << s.order; k++) {
          s.codes.push(frameCode(z, s.type, this.takeBlock(z, s.type, 0)));
          s.orders.push(0);
        }
      this.zoneSlab[z]! += 1 << s.order;
      s.pages += 1 << s.order;
    }
  }

  /**
   * The slab pages of the swap cache's xarray nodes (struct radix_tree_node, 576 bytes; SLUB
   * makes order-1 slabs of 14 for it on one CPU): whole slabs for the nodes the areas' slots in
   * use keep (SwapArea.xaNodes), in a model whose swap cache keeps shadows (Reclaim.swapCacheShadows:
   * the 6.1 models; before 5.9 a node lived only while pages of its range were in the swap cache). In the
   * validation guests /proc/meminfo's SReclaimable grows by this much (docs/validation.md).
   * Their frames are reclaimable (the cache is SLAB_RECLAIM_ACCOUNT: MIGRATE_RECLAIMABLE).
   * Deviations: no partly used slabs kept; where no order-1 block can be had the kernel makes an
   * order-0 slab of 7 nodes, tmemsim takes the order-1 slab's two pages as order-0 ones.
   */
  get xaSlabPages(): number {
    return this.reclaim.swapCacheShadows ? XA_SLAB_PAGES * Math.ceil(this.m.swap.xaNodes() / XA_NODES_PER_SLAB) : 0;
  }
  /** The kernel's slab pages the model charges: the backend's (MmEnv.slabPages) and the swap cache's nodes. */
  private get kernelSlab(): number {
    return this.m.slabPages + this.xaSlabPages;
  }

  /** The buddy allocator of the frames (6.1-cfs-buddy on a zone layout), for tools and tests; else null. */
  get buddy(): Buddy | null {
    return this.frames === null ? null : this.frames.buddy;
  }

  /** The page an allocation of zone z and migratetype t gets: its frame code (with frames, its pfn; a fallback may boost the zone's watermarks). */
  private take(z: number, t: BlockType): number {
    if (this.frames === null) return frameCode(z, t, -1);
    this.syncSlab();
    return frameCode(z, t, this.takeBlock(z, t, 0));
  }
  /**
   * With frames: a block of 2^order pages of zone z and migratetype t off the per-CPU list (refilled
   * from the buddy allocator), put to use: its first frame, or -1 when there is none (an order-1
   * block neither has; an order-0 page only past the model's overcommit).
   */
  private takeBlock(z: number, t: BlockType, order: number): number {
    const f = this.frames!;
    this.allocZone = z;
    this.allocType = t;
    this.allocOrder = order;
    const pfn = f.pcp.take(z, t, f.buddy.nrFree[z]!, this.fromBuddy, order);
    f.buddy.use(pfn, t, order);
    return pfn;
  }
  /** A frame (a block of 2^order) is freed: to the per-CPU list of its pageblock's migratetype. */
  private give(code: number, order = 0): void {
    const f = this.frames;
    if (f === null) return;
    const pfn = framePfn(code);
    f.buddy.unuse(pfn, order);
    f.pcp.free(frameZone(code), pfn < 0 ? frameType(code) : f.buddy.typeOf(pfn), pfn, this.toBuddy, order);
  }

  /** A pool page for the backend (its zone counted), or false when the watermarks refuse it. `movable`: __GFP_MOVABLE (zsmalloc's). */
  allocPoolPage(reserves: boolean, movable = false): boolean {
    const z = this.reclaim.allocKernel(reserves);
    if (z < 0) return false;
    const t = movable ? MOVABLE : UNMOVABLE;
    const code = this.take(z, t);
    if (this.frames !== null) {
      const stack = this.frames.poolFrames[z * TYPES + t]!;
      stack.push(framePfn(code));
      if (t === MOVABLE && this.poolAt !== null) this.poolAt[framePfn(code)] = stack.length - 1;
    }
    this.zonePool[z]!++;
    return true;
  }

  /**
   * Pool pages go back: to the highest zones that hold pool pages first (which pages is not
   * tracked), of the migratetype given if any (else movable ones first); with frames, each gives
   * back the frame a pool page of its zone and type took last.
   */
  freePoolPages(n: number, movable?: boolean): void {
    for (let z = this.zonePool.length - 1; z >= 0 && n > 0; z--) {
      const k = Math.min(n, this.zonePool[z]!);
      this.zonePool[z]! -= k;
      n -= k;
      if (this.frames === null) continue;
      const pool = this.frames.poolFrames;
      for (let i = 0; i < k; i++) {
        let t: BlockType = movable === false ? UNMOVABLE : MOVABLE;
        if (pool[z * TYPES + t]!.length === 0) t = t === MOVABLE ? UNMOVABLE : MOVABLE;
        const pfn = pool[z * TYPES + t]!.pop();
        if (pfn === undefined) continue;
        if (this.poolAt !== null) this.poolAt[pfn] = -1;
        this.give(frameCode(z, t, pfn));
      }
    }
  }

  /** A resident page leaves RAM: its frame goes back to its zone. */
  private unframe(id: number): void {
    this.resident--;
    const code = this.frame[id]!;
    if (this.pfnOwner !== null && framePfn(code) >= 0) this.pfnOwner[framePfn(code)] = -1;
    this.zoneLru[frameZone(code)]!--;
    this.give(code);
  }
  /** A resident page takes frame `code` (with frames, the frame's owner is the page). */
  private setFrame(id: number, code: number): void {
    this.frame[id] = code;
    if (this.pfnOwner !== null && framePfn(code) >= 0) this.pfnOwner[framePfn(code)] = id;
  }

  // ---- compaction (kcompactd: mm/compaction.ts) --------------------------------------------
  /** The model compacts memory (frames and a reclaim model that moves pages): its compaction counters mean something. */
  get compacts(): boolean {
    return this.kcompactd !== null;
  }
  /** wakeup_kcompactd (ReclaimHost). */
  wakeupKcompactd(order: number): void {
    this.kcompactd?.wake(order);
  }
  /** ReclaimHost.zoneWatermarkOk: the buddy allocator's check (without frames, every order's block counts as there). */
  zoneWatermarkOk(z: number, order: number, mark: number): boolean {
    const free = this.zoneFree(z);
    return this.frames === null ? freePagesOk(free, order, mark) : this.frames.buddy.watermarkOk(z, free, order, mark);
  }
  /** kcompactd at the end of an event: its pending wake-up or its timeout's proactive compaction. False when it had nothing due (and did nothing). */
  kcompactdTick(): boolean {
    if (this.kcompactd === null || !this.kcompactd.due()) return false;
    // The slab's frames follow its pages first, as before any other use of the frames.
    this.syncSlab();
    if (this.kcompactd.tick()) this.checkFrames();
    return true;
  }
  /**
   * With frames: every resident page and every pool page holds a frame the buddy allocator has
   * in use, the reverse maps agree, and no frame is held twice; an InvariantError names the
   * first that does not (checked after each kcompactd run that moved pages).
   */
  checkFrames(): void {
    const f = this.frames;
    const owner = this.pfnOwner;
    if (f === null || owner === null) return;
    const fail = (what: string): never => {
      throw new InvariantError(`frames: ${what}`);
    };
    let owned = 0;
    for (let id = 0; id < this.cap; id++) {
      if (!(this.rec[id * R + R_FLAGS]! & F_RESIDENT)) continue;
      const pfn = framePfn(this.frame[id]!);
      if (pfn < 0) continue;
      if (!f.buddy.inUseAt(pfn)) fail(`page ${id}'s frame ${pfn} is not in use`);
      if (owner[pfn] !== id) fail(`frame ${pfn} is page ${id}'s but its owner is ${owner[pfn]}`);
      owned++;
    }
    for (let pfn = 0; pfn < owner.length; pfn++) if (owner[pfn]! >= 0) owned--;
    if (owned !== 0) fail(`${-owned} frames have an owner that is not resident there`);
    f.poolFrames.forEach((stack, k) => {
      stack.forEach((pfn, i) => {
        if (!f.buddy.inUseAt(pfn)) fail(`pool frame ${pfn} is not in use`);
        if (owner[pfn]! >= 0) fail(`pool frame ${pfn} is also page ${owner[pfn]}'s`);
        if (k % TYPES === MOVABLE && this.poolAt![pfn] !== i) fail(`pool frame ${pfn} is at ${i} of its list, its index says ${this.poolAt![pfn]}`);
      });
    });
  }

  private compactionHost(frames: Frames): CompactionHost {
    const owner = this.pfnOwner!;
    const poolAt = this.poolAt!;
    return {
      buddy: frames.buddy,
      zoneCount: this.zoneCap.length,
      stats: this.m.stats,
      movablePage: (pfn) => {
        const id = owner[pfn]!;
        if (id >= 0) {
          // A page under writeback is not isolated (ISOLATE_ASYNC_MIGRATE); nor one a reclaim pass under way holds.
          if (this.rec[id * R + R_FLAGS]! & F_WB) return -1;
          return this.reclaim.onLru!(id) ? 2 * id : -1;
        }
        // A movable pool page (zsmalloc's or z3fold's zspage: __PageMovable).
        return poolAt[pfn]! >= 0 ? 2 * pfn + 1 : -1;
      },
      putbackPage: (handle) => {
        if ((handle & 1) === 0) this.reclaim.migrated!(handle / 2);
      },
      migratePage: (handle, pfn) => {
        if ((handle & 1) === 1) {
          // The pool's page moves (zs_page_migrate / z3fold_page_migrate): its frame in the pool's list.
          const oldPfn = (handle - 1) / 2;
          const z = frames.buddy.zoneOf(oldPfn);
          const i = poolAt[oldPfn]!;
          frames.poolFrames[z * TYPES + MOVABLE]![i] = pfn;
          poolAt[pfn] = i;
          poolAt[oldPfn] = -1;
          frames.buddy.use(pfn, MOVABLE);
          this.give(frameCode(z, MOVABLE, oldPfn));
          return;
        }
        const id = handle / 2;
        const old = this.frame[id]!;
        const z = frameZone(old);
        const t = frameType(old);
        frames.buddy.use(pfn, t);
        this.setFrame(id, frameCode(z, t, pfn));
        owner[framePfn(old)] = -1;
        this.give(old);
        this.reclaim.migrated!(id);
      },
      releaseFree: (pfn) => frames.buddy.release(pfn, frames.buddy.typeOf(pfn)),
      drainPcp: () => this.drainPcp(),
      zoneFree: (z) => this.zoneFree(z),
      zoneWmark: (z) => this.reclaim.zoneWatermarks!(z),
      zoneBoost: (z) => this.reclaim.zoneBoost?.(z) ?? 0,
      kswapdRunning: () => this.reclaim.kswapdRunning!(),
      simNow: () => this.m.simNow(),
      charge: (pages) => {
        for (let i = 0; i < pages; i++) this.m.meter.migrate();
      },
    };
  }

  /**
   * File readahead for the files given: read_ahead_kb of every filesystem's
   * device (0: none) and each file's size in pages. A file grows to the
   * highest page a later event touches.
   */
  setFileReadahead(readAheadKb: number, files: readonly { fs: number; inode: number; pages: number }[]): void {
    this.raPages = Math.floor(readAheadKb / 4);
    this.raEra = this.reclaim.name.startsWith('6.1') ? '6.1' : '3.x';
    for (const f of files) this.fileSize.set(inodeKey(f.fs, f.inode), f.pages);
    this.raOn = this.raPages > 0 && this.fileSize.size > 0;
  }

  get minWmark(): number {
    return this.reclaim.wmark.min;
  }
  get highWmark(): number {
    return this.reclaim.wmark.high;
  }
  get stats(): MmEnv['stats'] {
    return this.m.stats;
  }

  /** Free pages: RAM less resident pages, the backend's pool, the slab (the backend's and the swap cache's nodes), page tables and the per-CPU lists. */
  get free(): number {
    return this.ramPages - this.resident - this.m.poolPages - this.kernelSlab - this.ptPages - (this.frames === null ? 0 : this.frames.pcp.total);
  }

  get anonResident(): number {
    return this.reclaim.resident(ANON);
  }
  get fileResident(): number {
    return this.reclaim.resident(FILE);
  }

  /** The slab pages that hold a frame now (syncSlab; 0 without frames), for tests and tools. */
  get slabFramePages(): number {
    return this.slabFrames.pages + this.xaSlabFrames.pages;
  }

  // ---- ReclaimHost ----------------------------------------------------------------------
  get slabPages(): number {
    return this.kernelSlab;
  }
  plug(on: boolean): void {
    this.m.swapPlug(on);
  }
  kswapdRun(on: boolean): void {
    // balance_pgdat's set_reclaim_active / clear_reclaim_active.
    if (this.frames !== null) this.frames.pcp.reclaimActive = on;
    this.m.kswapdRun(on);
  }
  drainPcp(): void {
    this.frames?.pcp.drain(this.toBuddy);
  }
  preemptPending(): boolean {
    return this.m.preemptPending();
  }
  simNow(): number {
    return this.m.simNow();
  }
  mightSleep(): void {
    this.m.mightSleep();
  }
  endWriteback(): void {
    if (this.wbSubmitted.length === 0) return;
    const done = this.wbSubmitted;
    this.wbSubmitted = [];
    for (const id of done) {
      // end_swap_bio_write → folio_end_writeback
      const fl = this.rec[id * R + R_FLAGS]! & ~F_WB;
      this.rec[id * R + R_FLAGS] = fl;
      this.reclaim.writebackEnd(id, !(fl & F_DIRTY));
    }
  }

  /** The pages whose writes the running task's plug holds, set aside with its plug (Machine.parkPlug). */
  parkWriteback(): number[] {
    const held = this.wbHeld;
    this.wbHeld = [];
    return held;
  }
  /** Pages parkWriteback set aside are held in the running task's plug again. */
  unparkWriteback(pages: number[]): void {
    if (this.wbHeld.length > 0) throw new Error('internal: a task resumed its plug while other writes were held');
    this.wbHeld = pages;
  }

  /** The swap writes held so far went to the device (blk_flush_plug): their pages' completions are due at the next endWriteback. */
  writebackSubmitted(): void {
    if (this.wbHeld.length === 0) return;
    for (const id of this.wbHeld) this.wbSubmitted.push(id);
    this.wbHeld = [];
  }
  canSwap(): boolean {
    return this.m.swap.usedSlots() < this.m.swap.totalPages();
  }
  keyOf(id: number): number {
    return this.rec[id * R + R_KEY]!;
  }
  get pageCache(): PageCache {
    return this.file;
  }
  shrinkSlab(nrToScan: number, lru: LruSizes): void {
    if (this.m.shrinkSlab(nrToScan, lru)) this.m.stats.shrinker_calls++;
  }
  /** ReclaimHost.scanCharged: the meter prices a page reclaim looks at. */
  get scanCharged(): boolean {
    return this.m.meter.chargesScans;
  }
  /** ReclaimHost.scanPage: one page reclaim looked at (the profile's mm.scanCycles). */
  scanPage(): void {
    this.m.meter.scan(1);
  }
  nodePass(): void {
    this.m.meter.shrinkNode();
  }
  vmpressure(scanned: number): void {
    this.m.vmpressure(scanned);
  }
  /**
   * Reads, changing nothing, the lines evicting these pages of `type` (the first `n`) touches first (each page's
   * record and frame, a page-cache page's slot in the page cache's table) in tight loops, so the
   * CPU fetches a batch's lines together rather than one eviction's after another's. Only the
   * replay's speed depends on it.
   */
  warmEvict(ids: ArrayLike<number>, type: LruType, n = ids.length): void {
    const rec = this.rec;
    const frame = this.frame;
    let acc = 0;
    for (let i = 0; i < n; i++) {
      const id = ids[i]!;
      acc += rec[id * R + R_KEY]! + frame[id]!;
    }
    if (type === FILE) for (let i = 0; i < n; i++) acc += this.file.touch(rec[ids[i]! * R + R_KEY]!);
    this.warmSink = acc;
  }
  /** Where warmEvict leaves its reads' sum, so that they are not optimized away. */
  warmSink = 0;

  evict(id: number, type: LruType, shadow: number): Evicted {
    return type === ANON ? this.evictAnon(id) : this.evictFile(id, shadow);
  }

  // ---- page ids -------------------------------------------------------------------
  private newId(key: number, desc: number): number {
    let id = this.freeIds.pop();
    if (id === undefined) {
      id = this.nextId++;
      if (id >= this.cap) this.grow();
    }
    this.rec[id * R + R_KEY] = key;
    this.rec[id * R + R_DESC] = desc;
    this.rec[id * R + R_SLOT] = -1;
    this.rec[id * R + R_FLAGS] = 0;
    return id;
  }

  private grow(): void {
    const cap = this.cap * 2;
    this.rec = grown(this.rec, cap * R);
    this.frame = grown(this.frame, cap);
    this.cap = cap;
    this.reclaim.ensure(cap);
  }

  private releaseId(id: number): void {
    // A released id is no page: its flags go (checkFrames and any walk by id see it as not resident).
    this.rec[id * R + R_FLAGS] = 0;
    this.freeIds.push(id);
  }

  // ---- frames ------------------------------------------------------------------------
  /** Take a frame of migratetype t for a fault (the policy reclaims directly at the min watermark): its code, for the page's id. */
  private takeFrame(t: BlockType = MOVABLE): number {
    return this.frameIn(this.allocFault(), t);
  }
  /** A fault's allocation: the zone its page comes from (the policy may reclaim directly first). */
  private allocFault(): number {
    this.m.meter.fault();
    return this.reclaim.allocate();
  }
  /** The frame of a user page of zone z (movable; a block device's page cache unmovable): its code, for the page's id. */
  private frameIn(z: number, t: BlockType = MOVABLE): number {
    const code = this.take(z, t);
    this.resident++;
    this.zoneLru[z]!++;
    return code;
  }

  /** kswapd: called after each event. */
  balance(): void {
    this.reclaim.kswapd();
  }

  // ---- anonymous memory -------------------------------------------------------------------
  anonAccess(pid: number, vpn: number, write: boolean, newDesc: number): void {
    const key = anonKey(pid, vpn);
    const m = this.m;
    let id = this.anon.get(key);
    if (id < 0) {
      this.pageTables(pid, vpn);
      if (!write) {
        m.stats.zero_page_maps++;
        return;
      }
      m.stats.anon_faults++;
      const code = this.takeFrame();
      id = this.newId(key, newDesc);
      this.setFrame(id, code);
      this.rec[id * R + R_FLAGS] = F_RESIDENT | F_DIRTY;
      this.anon.set(key, id);
      this.reclaim.added(id, ANON, key, false);
      return;
    }
    const fl = this.rec[id * R + R_FLAGS]!;
    if (fl & F_RESIDENT) {
      this.reclaim.accessed(id, ANON);
      if (fl & (F_RA | F_UNMAPPED)) {
        // A minor fault on a page in the swap cache, read ahead or unmapped by reclaim and kept after
        // its write: do_swap_page maps it (lookup_swap_cache counts a readahead hit); a write fault
        // frees the swap cache (should_try_to_free_swap; folio_free_swap refuses while under writeback).
        // PG_readahead is PG_reclaim's bit (include/linux/page-flags.h), so lookup_swap_cache's
        // TestClearPageReadahead also takes the PG_reclaim of a page still under its swap write
        // (here: one reclaim wrote to the device, until its completion is delivered): a
        // readahead hit, and no rotation when that write completes.
        this.rec[id * R + R_FLAGS] = fl & ~(F_RA | F_UNMAPPED);
        const hit = (fl & F_RA) !== 0 || ((fl & F_WB) !== 0 && this.reclaim.testClearReclaim(id));
        if (hit) m.stats.swap_ra_hit++;
        // swap_cache_get_folio: with cluster readahead a hit is one more of the global
        // swapin_readahead_hits; with VMA readahead every page found moves the VMA's address.
        if (m.swap.anyRotational()) {
          if (hit) this.clusterRa.hits++;
        } else swapRaLookup(this.raState(pid), vpn, hit);
        if (fl & F_WB) {
          if (write) {
            this.rec[id * R + R_DESC] = newDesc;
            this.rec[id * R + R_FLAGS]! |= F_DIRTY;
          }
        } else if (!write) this.maybeFreeSwap(id);
        else {
          this.rec[id * R + R_DESC] = newDesc;
          this.rec[id * R + R_FLAGS]! |= F_DIRTY;
          this.freeSlotOf(id);
        }
        return;
      }
      if (write) {
        // A write to a mapped page. 6.1 (PageAnonExclusive, 5.19+): do_wp_page reuses the page and
        // keeps its swap cache, slot and frontswap copy (stale now; the page is dirty, so reclaim
        // stores it again into the same slot, frontswap invalidating the duplicate first).
        // Before 5.19 (reuse_swap_page / try_to_free_swap in do_wp_page) the slot is freed.
        this.rec[id * R + R_DESC] = newDesc;
        if (this.rec[id * R + R_SLOT]! >= 0 && !this.reclaim.anonExclusive) this.freeSlotOf(id);
        this.rec[id * R + R_FLAGS]! |= F_DIRTY;
      }
      return;
    }
    // Swapped out: fault it back in (a major fault).
    m.stats.anon_faults++;
    m.stats.pgmajfault++;
    const z = this.allocFault();
    if (this.rec[id * R + R_FLAGS]! & F_RESIDENT) {
      // __read_swap_cache_async's allocation may sleep, and zswap's shrink worker may meanwhile
      // have read this very page into the swap cache to write it back: swapcache_prepare fails
      // with -EEXIST, the new page goes back, and the retry finds the swap-cache page, which
      // the fault maps (do_swap_page still counts the major fault). The page is the resident one.
      this.anonAccess(pid, vpn, write, newDesc);
      return;
    }
    this.setFrame(id, this.frameIn(z));
    const s = this.rec[id * R + R_SLOT]!;
    const type = slotType(s);
    const off = slotOffset(s);
    const cluster = this.reclaim.pageCluster;
    // The faulting page is resident (and not readahead's to take) while the window is read.
    this.rec[id * R + R_FLAGS] = F_RESIDENT;
    const r = m.swapRead(type, off, cluster > 0 ? () => this.swapReadahead(pid, vpn, type, off, cluster) : undefined);
    let f = F_RESIDENT | (comesBackDirty(r) ? F_DIRTY : 0);
    this.reclaim.added(id, ANON, key, true);
    if (write) {
      this.rec[id * R + R_DESC] = newDesc;
      f |= F_DIRTY;
      this.rec[id * R + R_FLAGS] = f;
      this.freeSlotOf(id);
    } else {
      this.rec[id * R + R_FLAGS] = f;
      this.maybeFreeSwap(id);
    }
  }

  /**
   * __pte_alloc / __pmd_alloc on the first fault in a range (a read that maps
   * the zero page too): GFP_PGTABLE_USER, which may reclaim. One PTE page maps
   * 512 pages, one PMD page 512 PTE pages (x86-64, 4-level).
   */
  private pageTables(pid: number, vpn: number): void {
    const pte = pid * 2 ** 32 + Math.floor(vpn / 512);
    if (this.ptTables.has(pte)) return;
    this.ptTables.add(pte);
    const pmd = -(pid * 2 ** 32 + Math.floor(vpn / 2 ** 18)) - 1;
    if (!this.ptTables.has(pmd)) {
      this.ptTables.add(pmd);
      this.pageTablePage();
    }
    this.pageTablePage();
  }

  /** One page-table page (GFP_PGTABLE_USER: unmovable), never freed here. */
  private pageTablePage(): void {
    const z = this.reclaim.allocate();
    this.take(z, UNMOVABLE);
    this.zonePt[z]!++;
    this.ptPages++;
  }

  /** do_swap_page on a read fault: try_to_free_swap when swap is more than half full. */
  private maybeFreeSwap(id: number): void {
    const s = this.rec[id * R + R_SLOT]!;
    if (s < 0 || !this.m.swap.get(slotType(s))?.full) return;
    this.m.stats.swap_full_events++;
    this.rec[id * R + R_FLAGS]! |= F_DIRTY;
    this.freeSlotOf(id);
  }

  private raState(pid: number): SwapRaState {
    let st = this.ra.get(pid);
    if (st === undefined) this.ra.set(pid, (st = newSwapRaState()));
    return st;
  }

  /**
   * swap_vma_readahead around a major fault at (pid, vpn): every page of the
   * window that is swapped out is read into the swap cache (unmapped,
   * PG_readahead), through frontswap like any swap-in.
   */
  private swapReadahead(pid: number, vpn: number, type: number, off: number, cluster: number): void {
    if (this.m.swap.anyRotational()) {
      this.swapClusterReadahead(type, off, cluster);
      return;
    }
    const w = swapRaWindow(this.raState(pid), vpn, cluster);
    if (w.win === 1) return;
    for (let v = w.start; v < w.end; v++) {
      if (v === vpn) continue;
      const id = this.anon.get(anonKey(pid, v));
      if (id >= 0) this.readAheadPage(id, this.rec[id * R + R_SLOT]!);
    }
  }

  /**
   * __read_swap_cache_async for a page of a readahead window that holds slot `s`: unless it is
   * resident or has no slot, a page is allocated (which may reclaim, or repatriate this very
   * page) and the slot read into the swap cache, unmapped and PG_readahead, through frontswap.
   */
  private readAheadPage(id: number, s: number): void {
    if (s < 0 || this.rec[id * R + R_FLAGS]! & F_RESIDENT) return;
    const z = this.reclaim.allocate();
    if (this.rec[id * R + R_FLAGS]! & F_RESIDENT || this.rec[id * R + R_SLOT]! !== s) return;
    this.frameSwapCached(id, z, MOVABLE);
    this.m.stats.swap_ra++;
    const r = this.m.swapReadahead(slotType(s), slotOffset(s));
    this.rec[id * R + R_FLAGS] = F_RESIDENT | F_RA | (comesBackDirty(r) ? F_DIRTY : 0);
    this.reclaim.added(id, ANON, this.rec[id * R + R_KEY]!, true, false);
  }

  /** A page read or written into the swap cache (readahead, zswap writeback) takes a frame of zone z. */
  private frameSwapCached(id: number, z: number, t: BlockType): void {
    this.setFrame(id, this.take(z, t));
    this.resident++;
    this.zoneLru[z]!++;
  }

  /**
   * swap_cluster_readahead around a major fault at slot (type, off): every
   * slot of the aligned window whose page is swapped out, whoever owns it, is
   * read into the swap cache (unmapped, PG_readahead), through frontswap.
   */
  private swapClusterReadahead(type: number, off: number, cluster: number): void {
    const area = this.m.swap.get(type);
    if (area === null) return;
    const w = swapClusterWindow(this.clusterRa, off, area.slots, cluster);
    if (w === null) return;
    for (let o = w.start; o < w.end; o++) {
      if (o === off) continue;
      const s = slotKey(type, o);
      const id = this.slotOwner.get(s);
      if (id !== undefined) this.readAheadPage(id, s);
    }
  }

  /** The swap offset an anonymous page holds, -1 for none (for tests and tools; one swap type). */
  slotOfAnon(pid: number, vpn: number): number {
    const id = this.anon.get(anonKey(pid, vpn));
    if (id < 0) return -1;
    const s = this.rec[id * R + R_SLOT]!;
    return s < 0 ? -1 : slotOffset(s);
  }

  private freeSlotOf(id: number): void {
    const s = this.rec[id * R + R_SLOT]!;
    if (s < 0) return;
    this.rec[id * R + R_SLOT] = -1;
    this.slotOwner.delete(s);
    this.m.freeSwapSlot(slotType(s), slotOffset(s));
  }

  /**
   * frontswap repatriation: bring the page owning a slot back into RAM if
   * there is room above the high watermark. The slot is freed.
   */
  takeBackSwapped(type: number, off: number): boolean {
    const s = slotKey(type, off);
    const id = this.slotOwner.get(s);
    if (id === undefined) return false;
    if (this.rec[id * R + R_FLAGS]! & F_RESIDENT) {
      // Already in RAM (the swap cache): try_to_unuse maps it and drops the slot; the page is dirty now.
      this.rec[id * R + R_FLAGS] = (this.rec[id * R + R_FLAGS]! & ~(F_RA | F_UNMAPPED)) | F_DIRTY;
      this.freeSlotOf(id);
      return true;
    }
    if (this.free - 1 < this.highWmark) return false;
    // read_swap_cache_async's page, without reclaim (free memory is above the high watermark):
    // from the highest zone with a free page.
    let z = this.zoneCap.length - 1;
    while (z > 0 && this.zoneFree(z) <= 0) z--;
    this.frameSwapCached(id, z, MOVABLE);
    this.rec[id * R + R_FLAGS] = F_RESIDENT | F_DIRTY;
    this.reclaim.added(id, ANON, this.rec[id * R + R_KEY]!, false);
    this.freeSlotOf(id);
    return true;
  }

  /** swapoff's try_to_unuse: every page with a slot in `type` comes back into RAM. */
  unuseArea(type: number): void {
    const ids: number[] = [];
    for (const [s, id] of this.slotOwner) if (slotType(s) === type) ids.push(id);
    for (const id of ids) {
      const fl = this.rec[id * R + R_FLAGS]!;
      if (!(fl & F_RESIDENT)) {
        const s = this.rec[id * R + R_SLOT]!;
        this.m.stats.anon_faults++;
        const z = this.allocFault();
        // Read into the swap cache by zswap's writeback during the allocation (see anonAccess): resident now.
        if (!(this.rec[id * R + R_FLAGS]! & F_RESIDENT)) {
          this.setFrame(id, this.frameIn(z));
          const r = this.m.swapRead(type, slotOffset(s));
          void r;
          this.reclaim.added(id, ANON, this.rec[id * R + R_KEY]!, false);
        }
      }
      this.rec[id * R + R_FLAGS] = F_RESIDENT | F_DIRTY | (this.rec[id * R + R_FLAGS]! & F_WB);
      this.freeSlotOf(id);
    }
  }

  // ---- page cache -------------------------------------------------------------------------
  /**
   * Filesystem fs is a block device's own page cache (config.mounts[].block_device): bdev_alloc
   * sets its mapping's gfp mask to GFP_USER, so its pages (and readahead's) are unmovable.
   */
  setBlockDevice(fs: number): void {
    this.blockDevices.add(fs);
  }
  /** The migratetype of filesystem fs's page-cache pages. */
  private fileType(fs: number): BlockType {
    return this.blockDevices.size > 0 && this.blockDevices.has(fs) ? UNMOVABLE : MOVABLE;
  }

  /**
   * Reads, changing nothing, the page-cache table's slots of the next `n` accesses' pages (of
   * filesystem `fs`) in one loop, so their lines are fetched together (speed only).
   */
  warmFiles(fs: number, inodes: Float64Array, indexes: Float64Array, n: number): void {
    let acc = 0;
    for (let k = 0; k < n; k++) acc += this.file.touch(fileKey(fs, inodes[k]!, indexes[k]!));
    this.warmSink = acc;
  }

  /**
   * A page-cache access (a read, or a write of the page's new content `newDesc`). True for a
   * plain hit: a read of a resident page of a file without readahead state, which changes
   * nothing but the LRU's bits and lists and the hit count (the replay's quiet events,
   * sim/simulate.ts).
   */
  fileAccess(fs: number, inode: number, index: number, write: boolean, newDesc: number): boolean {
    const key = fileKey(fs, inode, index);
    const m = this.m;
    const id = this.file.get(key);
    // Only sized files are read ahead: with none (most traces), no lookup on this hot path.
    const ik = this.raOn ? inodeKey(fs, inode) : 0;
    const size = this.raOn ? this.fileSize.get(ik) : undefined;
    if (size !== undefined && index >= size) this.fileSize.set(ik, index + 1);
    if (id >= 0) {
      m.stats.pgcache_hits++;
      this.reclaim.accessed(id, FILE);
      if (write) {
        this.rec[id * R + R_DESC] = newDesc;
        this.rec[id * R + R_FLAGS]! |= F_DIRTY;
      } else if (size !== undefined) {
        const ra = this.raState61(ik);
        if (this.rec[id * R + R_FLAGS]! & F_RA_MARK) {
          // filemap_get_pages found the PG_readahead page: page_cache_async_ra (it clears the mark).
          this.rec[id * R + R_FLAGS]! &= ~F_RA_MARK;
          const w = ondemandReadahead(ra, this.raCache(fs, inode), index, 1, true, this.raPages, this.raEra);
          if (w !== null) this.readWindow(fs, inode, w, -1);
        }
        ra.prevIndex = index + 1;
      }
      return !write && size === undefined;
    }
    if (!write && size !== undefined) {
      // page_cache_sync_ra: the window (usually from this page on) comes in; the page is then read from it.
      const ra = this.raState61(ik);
      const w = ondemandReadahead(ra, this.raCache(fs, inode), index, 1, false, this.raPages, this.raEra);
      ra.prevIndex = index + 1;
      if (w !== null && this.readWindow(fs, inode, w, index)) return false;
    }
    const code = this.takeFrame(this.fileType(fs));
    let nid: number;
    if (write) {
      m.stats.pgcache_misses++;
      nid = this.newId(key, newDesc);
      this.rec[nid * R + R_FLAGS] = F_RESIDENT | F_DIRTY;
    } else {
      m.fileRead(fs, inode, index);
      nid = this.newId(key, this.fileContent(key));
      this.rec[nid * R + R_FLAGS] = F_RESIDENT;
    }
    this.setFrame(nid, code);
    // The page takes its slot; the policy reads the shadow it held (a refault).
    this.reclaim.added(nid, FILE, key, true, true, this.file.add(key, nid));
    return false;
  }

  private raState61(ik: number): FileRaState {
    let st = this.fileRa.get(ik);
    if (st === undefined) this.fileRa.set(ik, (st = newFileRaState()));
    return st;
  }

  /** page_cache_next_miss / prev_miss's view of one file, reused (no object per readahead decision). */
  private readonly raFile = { fs: 0, inode: 0 };
  private readonly raCacheView: RaCache = { cached: (index: number) => this.file.get(fileKey(this.raFile.fs, this.raFile.inode, index)) >= 0 };
  private raCache(fs: number, inode: number): RaCache {
    this.raFile.fs = fs;
    this.raFile.inode = inode;
    return this.raCacheView;
  }

  /**
   * do_page_cache_ra → page_cache_ra_unbounded: the pages of the window up
   * to the end of the file that are not cached are allocated (each may
   * reclaim), added to the page cache and the inactive file list (not yet
   * accessed), the one at nr - lookahead marked PG_readahead; then read
   * (read_pages: cleancache_get, else the filesystem, adjacent pages in one
   * request). `demand` is the page a read waits for (-1: an async window):
   * it is the read's page-cache miss and is marked accessed. Returns whether
   * the demand page is now cached.
   */
  private readWindow(fs: number, inode: number, w: RaWindow, demand: number): boolean {
    const end = this.fileSize.get(inodeKey(fs, inode))!;
    if (w.start >= end) return false;
    const nr = Math.min(w.nr, end - w.start);
    const mark = w.lookahead > 0 ? w.start + nr - w.lookahead : -1;
    const pages: number[] = [];
    for (let i = w.start; i < w.start + nr; i++) if (this.file.get(fileKey(fs, inode, i)) < 0) pages.push(i);
    // The pages are allocated first (locked, off the LRU: reclaim cannot take them), then added.
    const codes: number[] = [];
    const t = this.fileType(fs);
    for (let k = 0; k < pages.length; k++) codes.push(this.takeFrame(t));
    let demandId = -1;
    for (let k = 0; k < pages.length; k++) {
      const i = pages[k]!;
      const key = fileKey(fs, inode, i);
      const id = this.newId(key, this.fileContent(key));
      this.setFrame(id, codes[k]!);
      this.rec[id * R + R_FLAGS] = F_RESIDENT | (i === mark ? F_RA_MARK : 0);
      this.reclaim.added(id, FILE, key, true, false, this.file.add(key, id));
      if (i === demand) demandId = id;
    }
    if (pages.length > 0) this.m.fileReadPages(fs, inode, pages, demand);
    if (demandId < 0) return false;
    // filemap_read: the page the read waited for is accessed (folio_mark_accessed).
    this.reclaim.accessed(demandId, FILE);
    return true;
  }

  /** Bytes on disk of a file page: its last written-back contents, or its initial contents. */
  fileContent(key: number): number {
    const d = this.fsWritten.get(key);
    if (d >= 0) return d;
    return this.m.content.resolve(undefined, 2 ** 47 + lowBits(key, 2 ** 47));
  }

  /** umount: the filesystem's pages leave the page cache (dirty ones written back first). */
  dropFs(fs: number): void {
    for (const key of this.file.keyList()) {
      if (keyFs(key) !== fs) continue;
      const id = this.file.get(key);
      if (this.rec[id * R + R_FLAGS]! & F_DIRTY) {
        this.m.fileWriteback();
        this.fsWritten.set(key, this.rec[id * R + R_DESC]!);
      }
      this.reclaim.removed(id, FILE, key);
      this.file.remove(key, -1);
      this.unframe(id);
      this.releaseId(id);
    }
    // The files' shadows go with them.
    this.file.truncate((key) => keyFs(key) === fs);
    // The files are closed: their file_ra_state goes with them.
    for (const ik of [...this.fileRa.keys()]) if (Math.floor(ik / 2 ** 27) === fs) this.fileRa.delete(ik);
  }

  // ---- eviction (the reclaim policy chooses the page) ---------------------------------
  /** Swap one anonymous page out. Not ok when no swap slot can be had. */
  private evictAnon(id: number): Evicted {
    const m = this.m;
    const fl = this.rec[id * R + R_FLAGS]!;
    let s = this.rec[id * R + R_SLOT]!;
    let written = false;
    let share = 1;
    if (s >= 0 && !(fl & F_DIRTY)) {
      // A clean swap-cache page: its swap copy is valid, drop it. One a pass of reclaim
      // already unmapped and wrote (its writeback since completed) costs only the free now.
      if (fl & F_UNMAPPED) share = WRITTEN_FREE_SHARE;
    } else {
      if (s < 0) {
        s = m.allocSwapSlot();
        if (s < 0) return Evicted.Refused;
        this.rec[id * R + R_SLOT] = s;
        this.slotOwner.set(s, id);
        // add_to_swap_cache: a slot in a new range of the swap cache's xarray needs a node, and a
        // full slab a new one (xas_alloc's GFP_NOWAIT), here in reclaim, before the page's write.
        this.syncSlab();
      }
      const inFlight = m.swapWrite(slotType(s), slotOffset(s), this.rec[id * R + R_DESC]!);
      if (inFlight && this.reclaim.asyncWriteback) {
        // The bio waits in the plug: the page stays in RAM and in the swap cache, clean, unmapped,
        // under writeback until the policy's host.endWriteback reports the write done.
        this.rec[id * R + R_FLAGS] = F_RESIDENT | F_WB | F_UNMAPPED;
        this.wbHeld.push(id);
        // shrink_folio_list's work on the page (unmap, add_to_swap, pageout) is done now.
        m.meter.reclaim(1 - WRITTEN_FREE_SHARE);
        return Evicted.Writeback;
      }
      written = true;
    }
    m.stats.pgsteal_anon++;
    m.meter.reclaim(share);
    this.rec[id * R + R_FLAGS] = 0;
    this.unframe(id);
    return written ? Evicted.Written : Evicted.Dropped;
  }

  /** `shadow`: the policy's shadow entry for the page's slot (workingset_eviction), or -1 for none. */
  private evictFile(id: number, shadow: number): Evicted {
    const m = this.m;
    const key = this.rec[id * R + R_KEY]!;
    const fs = keyFs(key);
    const inode = keyInode(key);
    const index = keyIndex(key);
    const desc = this.rec[id * R + R_DESC]!;
    const written = (this.rec[id * R + R_FLAGS]! & F_DIRTY) !== 0;
    if (written) {
      m.fileWriteback();
      this.fsWritten.set(key, desc);
    }
    m.filePut(fs, inode, index, desc);
    m.stats.pgsteal_file++;
    m.meter.reclaimFile();
    // __filemap_remove_folio: the slot takes the page's shadow, or goes.
    this.file.remove(key, shadow);
    this.unframe(id);
    this.releaseId(id);
    return written ? Evicted.Written : Evicted.Dropped;
  }

  /** Calls f(type, offset) for every slot of a swap type in `mask` (bit per type) whose owning page is swapped out (not resident); one walk for all types. */
  forEachSwappedOut(mask: number, f: (type: number, off: number) => void): void {
    for (const [s, id] of this.slotOwner) {
      if (this.rec[id * R + R_FLAGS]! & F_RESIDENT) continue;
      const type = slotType(s);
      if (mask & (1 << type)) f(type, slotOffset(s));
    }
  }

  /**
   * frontswap_invalidate_area under swap-cache pages: every resident page of
   * swap area `type` that still owns its slot (read back by a fault or by
   * readahead and not written since) and whose swap copy `lost(offset)` says
   * goes with the area is dirty again, so reclaim writes it out instead of
   * dropping it as a clean page whose copy is valid. One walk of the owners.
   */
  redirtySwapCached(type: number, lost: (off: number) => boolean): void {
    for (const [s, id] of this.slotOwner) {
      const fl = this.rec[id * R + R_FLAGS]!;
      if (slotType(s) === type && (fl & (F_RESIDENT | F_DIRTY)) === F_RESIDENT && lost(slotOffset(s))) this.rec[id * R + R_FLAGS] = fl | F_DIRTY;
    }
  }

  /**
   * zswap_writeback_entry's page for slot (type, off): __read_swap_cache_async allocates it
   * (GFP_KERNEL, which may reclaim directly; `memalloc`, a caller already in reclaim: any free
   * page, no reclaim), and once `stillStored()` says the backend's entry survived that, the page
   * joins the swap cache: unmapped, clean (its copy is about to be on the device), on the
   * inactive anon list (workingset_refault of the slot's shadow, folio_add_lru) and is
   * written (SetPageReclaim, then __swap_writepage from a context without a plug: submitted at
   * once), the write done at once and the page left where the policy's zswapWriteDone says
   * (6.1: not rotated to the tail; reclaim's own writes complete after the pass). 'exists'
   * when the page is resident (ZSWAP_SWAPCACHE_EXIST), 'nomem' when no page could be had, the
   * slot was freed meanwhile (__read_swap_cache_async returns NULL: ZSWAP_SWAPCACHE_FAIL) or
   * the entry went (the page is freed again).
   * A slot no page of this model owns (a swap-level trace's own store) is written without one.
   */
  writebackPage(type: number, off: number, memalloc: boolean, stillStored: () => boolean): 'written' | 'exists' | 'nomem' {
    const s = slotKey(type, off);
    const id = this.slotOwner.get(s);
    // A slot freed into the swap slots cache: __read_swap_cache_async finds its count 0 and gives no page.
    if (id === undefined) return this.m.swapFreePending(type, off) ? 'nomem' : 'written';
    if (this.rec[id * R + R_FLAGS]! & F_RESIDENT) return 'exists';
    const z = memalloc ? this.reclaim.allocKernel(true) : this.reclaim.allocate();
    if (z < 0) return 'nomem';
    // The allocation may have reclaimed, and reclaim may have stored or freed entries.
    if (this.slotOwner.get(s) !== id || !stillStored()) return 'nomem';
    if (this.rec[id * R + R_FLAGS]! & F_RESIDENT) return 'exists';
    // GFP_KERNEL: an unmovable page.
    this.frameSwapCached(id, z, UNMOVABLE);
    // Its write is done before the next step of the model: the policy places the page as the
    // completion leaves it (zswapWriteDone), and it is no longer under writeback.
    this.rec[id * R + R_FLAGS] = F_RESIDENT | F_UNMAPPED;
    this.reclaim.added(id, ANON, this.rec[id * R + R_KEY]!, true, false);
    this.reclaim.zswapWriteDone(id);
    return 'written';
  }

  hasSlotOwner(type: number, off: number): boolean {
    return this.slotOwner.has(slotKey(type, off));
  }

  /** Whether the page owning a swap slot is resident (in the swap cache). */
  slotOwnerResident(type: number, off: number): boolean {
    const id = this.slotOwner.get(slotKey(type, off));
    return id !== undefined && (this.rec[id * R + R_FLAGS]! & F_RESIDENT) !== 0;
  }

  /**
   * Resident anonymous pages that are mapped (NR_ANON_MAPPED: meminfo AnonPages):
   * all but the swap-cache pages no process maps, those read ahead and not yet
   * faulted, and those reclaim unmapped and kept after their write.
   */
  get anonMapped(): number {
    let unmapped = 0;
    for (const id of this.slotOwner.values()) if (this.rec[id * R + R_FLAGS]! & (F_RA | F_UNMAPPED)) unmapped++;
    return this.anonResident - unmapped;
  }

  /** Resident anonymous pages that hold a swap slot: the swap cache (meminfo SwapCached, in pages). */
  get swapCached(): number {
    let n = 0;
    for (const id of this.slotOwner.values()) if (this.rec[id * R + R_FLAGS]! & F_RESIDENT) n++;
    return n;
  }

  /** Anonymous pages the workload has, resident or swapped (committed_AS, roughly). */
  get committedAnon(): number {
    return this.anon.size;
  }

  /** Balloon: the guest's RAM changes; reclaim at once if it shrank below the watermarks. */
  setRamPages(pages: number): void {
    this.ramPages = Math.max(pages, this.highWmark * 2);
    // A balloon takes or gives pages of the highest zone.
    this.fitTopZone();
    this.reclaim.setRam(this.ramPages);
    if (this.frames !== null) this.frames.pcp.resize(this.reclaim.pcpSizes!());
  }

}
