/**
 * The buddy allocator of Linux 6.1 (mm/page_alloc.c), over the page frames of a zone layout:
 * free lists per order and migratetype, pageblocks (512 pages) with a migratetype each, and the
 * fallbacks between migratetypes that boost a zone's watermarks.
 *
 * - __rmqueue_smallest: the smallest order with a free block of the allocation's migratetype;
 *   expand() puts the halves it splits off back on that migratetype's lists.
 * - __free_one_page: a freed block merges with its buddy while the buddy is free at the same order
 *   (up to MAX_ORDER - 1 = 10), and goes on the list of the migratetype it is freed as (its
 *   pageblock's, or the per-CPU list's it came from).
 * - __rmqueue_fallback: with nothing of its own migratetype, an allocation looks from the largest
 *   order down for a free block on a fallback list, the first of fallbacks[] with one at that
 *   order (unmovable → reclaimable, movable; movable → reclaimable, unmovable; reclaimable →
 *   unmovable, movable: find_suitable_fallback); a movable allocation that may not steal takes
 *   the smallest instead (find_smallest).
 * - steal_suitable_fallback: a block of pageblock order or more changes type whole; otherwise the
 *   zone's watermark is boosted (boost_watermark, the caller's `boost`) and, when the allocation
 *   may steal (can_steal_fallback: unmovable or reclaimable, or order >= pageblock_order / 2),
 *   every free block of that pageblock moves to its lists (move_freepages_block) and the
 *   pageblock changes type if its free pages and the pages alike (non-movable ones, for an
 *   unmovable or reclaimable allocation in a movable block) are half of it; else only the block
 *   found moves (move_to_free_list).
 *
 * Deviations: the three per-CPU migratetypes only (no CMA, highatomic or isolation); a zone's
 * frames start at a pfn aligned to MAX_ORDER blocks; without a boot state (ZoneBoot) they are the
 * model's pages of that zone, all free and movable (the kernel's own pages have no frames), and
 * with one its pageblocks lie by type and its free blocks first fit (seed), where the kernel's
 * need not. Free lists keep 6.1's order: a block split off (expand) goes to the head of its list,
 * one moved between migratetypes (move_to_free_list) to the tail, and a freed one to the tail
 * when buddy_merge_likely says so, else to the head; allocations take the head.
 */

export const PAGEBLOCK_ORDER = 9;
export const PAGEBLOCK_PAGES = 1 << PAGEBLOCK_ORDER;
export const MAX_ORDER = 11;
/** The migratetypes modelled (MIGRATE_MOVABLE, MIGRATE_UNMOVABLE, MIGRATE_RECLAIMABLE; the kernel numbers them 1, 0, 2). */
export const MOVABLE = 0;
export const UNMOVABLE = 1;
export const RECLAIMABLE = 2;
export type BlockType = typeof MOVABLE | typeof UNMOVABLE | typeof RECLAIMABLE;
/** Migratetypes with lists (MIGRATE_PCPTYPES). */
export const TYPES = 3;
const TYPE_NAMES = ['movable', 'unmovable', 'reclaimable'];
/** fallbacks[]: the lists an allocation of each migratetype falls back to, in order. */
const FALLBACKS: readonly (readonly BlockType[])[] = [
  [RECLAIMABLE, UNMOVABLE],
  [RECLAIMABLE, MOVABLE],
  [UNMOVABLE, MOVABLE],
];
const NONE = -1;

/** A zone's pageblocks and free blocks at boot, as /proc/pagetypeinfo shows them. */
export interface ZoneBoot {
  /** Pageblocks of each migratetype ("Number of blocks type"). */
  readonly blocks: { readonly unmovable: number; readonly movable: number; readonly reclaimable: number };
  /** Free blocks per order, 0..10, on each migratetype's lists ("Free pages count per migrate type at order"). */
  readonly free: { readonly unmovable: readonly number[]; readonly movable: readonly number[]; readonly reclaimable: readonly number[] };
}

/** The free pages of a boot state: every migratetype's free blocks. */
export function bootFreePages(boot: ZoneBoot): number {
  return [boot.free.unmovable, boot.free.movable, boot.free.reclaimable].reduce((a, row) => a + row.reduce((s, n, o) => s + n * 2 ** o, 0), 0);
}

/** __zone_watermark_ok's count of free pages alone: `free` less the order's pages but one is above `mark`. */
export function freePagesOk(free: number, order: number, mark: number): boolean {
  return free - ((1 << order) - 1) > mark;
}

export class Buddy {
  /** Zone z's frames are base[z] .. base[z] + size[z] - 1. */
  private readonly base: number[];
  private readonly size: number[];
  /** Per frame: the order of the free block it heads, or -1. */
  private readonly freeOrder: Int8Array;
  /** Per frame: the migratetype list a free block it heads is on. */
  private readonly freeList: Uint8Array;
  /** Per frame: 0 free or on a per-CPU list, else 1 + the migratetype of the allocation using it (1: movable). */
  private readonly inUse: Uint8Array;
  /** Doubly linked free lists through the frames: next/prev pfn, -1 at the ends. */
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  /** List heads: ((zone * MAX_ORDER) + order) * TYPES + migratetype → pfn or -1. */
  private readonly head: Int32Array;
  /** List tails, by the same key. */
  private readonly tail: Int32Array;
  /** Pageblock migratetypes, by pfn >> PAGEBLOCK_ORDER. */
  private readonly blockType: Uint8Array;
  /** Free pages of each zone in the buddy allocator. */
  readonly nrFree: number[];
  /** Fallbacks between migratetypes so far (the mm_page_alloc_extfrag tracepoint's events). */
  fallbacks = 0;

  /**
   * pages[z]: zone z's free pages at boot. boot[z], when given: the zone's pageblocks and free
   * blocks as the guest's /proc/pagetypeinfo showed them at the start (seed), else every frame
   * free and movable in the largest aligned blocks.
   */
  constructor(pages: readonly number[], boot: readonly (ZoneBoot | undefined)[] = []) {
    const align = 1 << (MAX_ORDER - 1);
    this.base = [];
    this.size = [];
    let end = 0;
    pages.forEach((p, z) => {
      const b = Math.ceil(end / align) * align;
      const boots = boot[z];
      // A booted zone: its recorded pageblocks, and movable ones after them for pages beyond them.
      const recorded = boots === undefined ? 0 : PAGEBLOCK_PAGES * (boots.blocks.unmovable + boots.blocks.reclaimable + boots.blocks.movable);
      const span = boots === undefined ? Math.max(0, p) : recorded + Math.ceil(Math.max(0, p - recorded) / PAGEBLOCK_PAGES) * PAGEBLOCK_PAGES;
      this.base.push(b);
      this.size.push(span);
      end = b + span;
    });
    const n = Math.max(1, end);
    // Memory's frame codes hold pfn + 1 below 2^26.
    if (n >= 2 ** 26) throw new Error(`buddy: ${n} frames, more than a frame code holds`);
    this.freeOrder = new Int8Array(n).fill(NONE);
    this.freeList = new Uint8Array(n);
    this.inUse = new Uint8Array(n);
    this.next = new Int32Array(n).fill(NONE);
    this.prev = new Int32Array(n).fill(NONE);
    this.head = new Int32Array(pages.length * MAX_ORDER * TYPES).fill(NONE);
    this.tail = new Int32Array(pages.length * MAX_ORDER * TYPES).fill(NONE);
    this.blockType = new Uint8Array(Math.ceil(n / PAGEBLOCK_PAGES));
    this.nrFree = pages.map(() => 0);
    for (let z = 0; z < pages.length; z++) {
      const boots = boot[z];
      if (boots !== undefined) {
        this.seed(z, boots, Math.max(0, pages[z]!));
        continue;
      }
      // Boot: every frame free, in the largest aligned blocks that fit.
      let pfn = this.base[z]!;
      const stop = pfn + this.size[z]!;
      while (pfn < stop) {
        let o = MAX_ORDER - 1;
        while (o > 0 && (pfn % (1 << o) !== 0 || pfn + (1 << o) > stop)) o--;
        this.add(z, pfn, o, MOVABLE);
        this.nrFree[z]! += 1 << o;
        pfn += 1 << o;
      }
    }
  }

  /**
   * Zone z's frames as the guest booted them: its unmovable pageblocks first, then the
   * reclaimable ones, then the movable ones (and movable ones past them, for a zone larger than
   * the recording's). Each region's free blocks are placed largest first, each at the lowest
   * naturally aligned range left, never beside a free buddy of its own order (the kernel would
   * have merged them); every frame left is the kernel's own, in use for good (by an allocation of
   * its pageblock's migratetype). The free pages are then made `free` (the model's zone
   * capacity): the kernel's frames nearest the zone's end freed, or movable pages taken, one
   * page at a time, as the kernel would.
   */
  private seed(z: number, boot: ZoneBoot, free: number): void {
    const recorded = boot.blocks.unmovable + boot.blocks.reclaimable + boot.blocks.movable;
    const none: readonly number[] = [];
    const regions: [number, BlockType, readonly number[]][] = [
      [boot.blocks.unmovable, UNMOVABLE, boot.free.unmovable],
      [boot.blocks.reclaimable, RECLAIMABLE, boot.free.reclaimable],
      [boot.blocks.movable, MOVABLE, boot.free.movable],
      [this.size[z]! / PAGEBLOCK_PAGES - recorded, MOVABLE, none],
    ];
    let start = this.base[z]!;
    for (const [blocks, t, counts] of regions) {
      const stop = start + blocks * PAGEBLOCK_PAGES;
      for (let b = start >> PAGEBLOCK_ORDER; b < stop >> PAGEBLOCK_ORDER; b++) this.blockType[b] = t;
      this.inUse.fill(1 + t, start, stop);
      for (let o = MAX_ORDER - 1; o >= 0; o--) {
        const size = 1 << o;
        let cur = Math.ceil(start / size) * size;
        for (let k = 0; k < (counts[o] ?? 0); k++) {
          // First fit: the lowest aligned range with no free frame, whose buddy is not free at o.
          while (cur + size <= stop && (this.inUse.subarray(cur, cur + size).includes(0) || (o < MAX_ORDER - 1 && this.freeOrder[cur ^ size] === o))) cur += size;
          if (cur + size > stop) throw new Error(`the ${TYPE_NAMES[t]} free blocks (orders 0-10: ${counts.join(', ')}) do not fit the zone's ${blocks} ${TYPE_NAMES[t]} pageblocks`);
          this.add(z, cur, o, t);
          this.inUse.fill(0, cur, cur + size);
          this.nrFree[z]! += size;
          cur += size;
        }
      }
      start = stop;
    }
    // The model's free pages: the kernel's frames from the zone's end given back, or pages taken.
    for (let p = this.base[z]! + this.size[z]! - 1; this.nrFree[z]! < free && p >= this.base[z]!; p--) {
      if (this.inUse[p] === 0) continue;
      this.inUse[p] = 0;
      this.release(p, this.typeOf(p));
    }
    // (The span holds `free`: the constructor sized it so.)
    while (this.nrFree[z]! > free) this.use(this.alloc(z, MOVABLE, () => {}), MOVABLE);
  }

  private key(z: number, o: number, t: number): number {
    return (z * MAX_ORDER + o) * TYPES + t;
  }
  /**
   * A free block of 2^o frames at pfn onto migratetype t's list of its order: at the head
   * (add_to_free_list: the next allocation's), or with `tail` at the tail (add_to_free_list_tail:
   * taken after every block before it).
   */
  private add(z: number, pfn: number, o: number, t: number, tail = false): void {
    const k = this.key(z, o, t);
    // One insertion for both ends: at the tail it is the head's, with the links and ends swapped.
    const out = tail ? this.prev : this.next;
    const back = tail ? this.next : this.prev;
    const near = tail ? this.tail : this.head;
    const far = tail ? this.head : this.tail;
    const first = near[k]!;
    out[pfn] = first;
    back[pfn] = NONE;
    if (first !== NONE) back[first] = pfn;
    else far[k] = pfn;
    near[k] = pfn;
    this.freeOrder[pfn] = o;
    this.freeList[pfn] = t;
  }
  /** move_to_free_list: a free block to the tail of migratetype t's list of its order. */
  private moveTail(z: number, pfn: number, o: number, t: number): void {
    this.del(z, pfn);
    this.add(z, pfn, o, t, true);
  }
  private del(z: number, pfn: number): void {
    const o = this.freeOrder[pfn]!;
    const k = this.key(z, o, this.freeList[pfn]!);
    const p = this.prev[pfn]!;
    const nx = this.next[pfn]!;
    if (p !== NONE) this.next[p] = nx;
    else this.head[k] = nx;
    if (nx !== NONE) this.prev[nx] = p;
    else this.tail[k] = p;
    this.freeOrder[pfn] = NONE;
  }

  zoneOf(pfn: number): number {
    let z = this.base.length - 1;
    while (z > 0 && pfn < this.base[z]!) z--;
    return z;
  }
  typeOf(pfn: number): BlockType {
    return this.blockType[pfn >> PAGEBLOCK_ORDER]! as BlockType;
  }

  /**
   * A block of 2^order pages of zone z for migratetype t (__rmqueue): its first frame, -1 when no
   * list of the zone has a free block of that order or more.
   */
  alloc(z: number, t: BlockType, boost: () => void, order = 0): number {
    let pfn = this.smallest(z, t, order);
    if (pfn === NONE && this.fallback(z, t, boost, order)) pfn = this.smallest(z, t, order);
    if (pfn === NONE) return NONE;
    this.nrFree[z]! -= 1 << order;
    return pfn;
  }

  /** __rmqueue_smallest, with expand(). */
  private smallest(z: number, t: number, order: number): number {
    for (let o = order; o < MAX_ORDER; o++) {
      const pfn = this.head[this.key(z, o, t)]!;
      if (pfn === NONE) continue;
      this.del(z, pfn);
      // expand: the upper halves go back, each a list lower.
      for (let h = o; h > order; h--) this.add(z, pfn + (1 << (h - 1)), h - 1, t);
      return pfn;
    }
    return NONE;
  }

  /** __rmqueue_fallback: false when no other migratetype has a free block of `order` or more. */
  private fallback(z: number, t: BlockType, boost: () => void, order: number): boolean {
    let found = NONE;
    let from: number = NONE;
    for (let o = MAX_ORDER - 1; o >= order; o--) {
      from = this.suitable(z, o, t);
      if (from === NONE) continue;
      if (!canStealFallback(o, t) && t === MOVABLE && o > order) {
        // find_smallest
        for (let s = order; s < MAX_ORDER; s++) {
          from = this.suitable(z, s, t);
          if (from !== NONE) {
            found = s;
            break;
          }
        }
      } else found = o;
      break;
    }
    if (found === NONE) return false;
    const pfn = this.head[this.key(z, found, from)]!;
    this.fallbacks++;
    this.steal(z, pfn, found, t, canStealFallback(found, t), boost);
    return true;
  }

  /** find_suitable_fallback (not only_stealable): the first of t's fallbacks with a free block of order o, or -1. */
  private suitable(z: number, o: number, t: BlockType): number {
    for (const f of FALLBACKS[t]!) if (this.head[this.key(z, o, f)] !== NONE) return f;
    return NONE;
  }

  /** steal_suitable_fallback. */
  private steal(z: number, pfn: number, order: number, t: BlockType, wholeBlock: boolean, boost: () => void): void {
    const old = this.typeOf(pfn);
    if (order >= PAGEBLOCK_ORDER) {
      // change_pageblock_range, then the block moves to the new lists.
      for (let b = pfn >> PAGEBLOCK_ORDER; b < (pfn + (1 << order)) >> PAGEBLOCK_ORDER; b++) this.blockType[b] = t;
      this.moveTail(z, pfn, order, t);
      return;
    }
    boost();
    if (wholeBlock) {
      // move_freepages_block: every free block of the pageblock to t's lists; counting its movable pages.
      const start = (pfn >> PAGEBLOCK_ORDER) << PAGEBLOCK_ORDER;
      const lo = Math.max(start, this.base[z]!);
      const hi = Math.min(start + PAGEBLOCK_PAGES, this.base[z]! + this.size[z]!);
      let free = 0;
      let movable = 0;
      for (let p = lo; p < hi; ) {
        const fo = this.freeOrder[p]!;
        if (fo !== NONE) {
          this.moveTail(z, p, fo, t);
          free += 1 << fo;
          p += 1 << fo;
          continue;
        }
        if (this.inUse[p] === 1) movable++;
        p++;
      }
      const alike = t === MOVABLE ? movable : old === MOVABLE ? PAGEBLOCK_PAGES - (free + movable) : 0;
      if (free + alike >= PAGEBLOCK_PAGES / 2) this.blockType[pfn >> PAGEBLOCK_ORDER] = t;
      return;
    }
    this.moveTail(z, pfn, order, t);
  }

  /**
   * __free_one_page: the block of 2^order frames at pfn goes back as migratetype t, merging with
   * its free buddies; then at the tail of its list when a merge one order up is likely (its buddy
   * is in use, and that pair's buddy is free one order up: buddy_merge_likely), so that the
   * buddy's return may find it still free, else at the head.
   */
  release(pfn: number, t: BlockType, order = 0): void {
    if (pfn === NONE) return;
    const z = this.zoneOf(pfn);
    this.nrFree[z]! += 1 << order;
    const lo = this.base[z]!;
    const hi = lo + this.size[z]!;
    let o = order;
    while (o < MAX_ORDER - 1) {
      const buddy = pfn ^ (1 << o);
      if (buddy < lo || buddy >= hi || this.freeOrder[buddy] !== o) break;
      this.del(z, buddy);
      pfn = Math.min(pfn, buddy);
      o++;
    }
    this.add(z, pfn, o, t, this.mergeLikely(pfn, o, lo, hi));
  }

  /**
   * buddy_merge_likely for the free block of 2^o frames at pfn (its buddy in use; the zone's
   * frames lo .. hi - 1): below MAX_ORDER - 2, whether the block of order o + 1 holding both is
   * itself beside a free block of order o + 1.
   */
  private mergeLikely(pfn: number, o: number, lo: number, hi: number): boolean {
    if (o >= MAX_ORDER - 2) return false;
    const higher = pfn & ~(1 << o);
    const other = higher ^ (1 << (o + 1));
    return other >= lo && other < hi && this.freeOrder[other] === o + 1;
  }

  /** The block of 2^order frames at pfn is in use by an allocation of migratetype t. */
  use(pfn: number, t: BlockType, order = 0): void {
    if (pfn === NONE) return;
    if (order === 0) this.inUse[pfn] = 1 + t;
    else this.inUse.fill(1 + t, pfn, pfn + (1 << order));
  }
  unuse(pfn: number, order = 0): void {
    if (pfn === NONE) return;
    if (order === 0) this.inUse[pfn] = 0;
    else this.inUse.fill(0, pfn, pfn + (1 << order));
  }

  // ---- for compaction (mm/compaction.ts) -----------------------------------------------
  /** Zone z's first frame and the frame after its last. */
  zoneStart(z: number): number {
    return this.base[z]!;
  }
  zoneEnd(z: number): number {
    return this.base[z]! + this.size[z]!;
  }
  /** The order of the free block frame pfn heads on the buddy's lists, or -1 (in use, on a per-CPU list, inside a block, isolated). */
  freeOrderAt(pfn: number): number {
    return this.freeOrder[pfn]!;
  }
  /** Frame pfn is in use by an allocation (not free, not on a per-CPU list, not isolated by compaction). */
  inUseAt(pfn: number): boolean {
    return this.inUse[pfn] !== 0;
  }
  /**
   * __isolate_free_page: the free block frame pfn heads leaves the buddy's lists whole (compaction
   * then takes its pages one by one): its order. Its frames are neither free nor in use until
   * use() or release().
   */
  isolateFree(pfn: number): number {
    const z = this.zoneOf(pfn);
    const o = this.freeOrder[pfn]!;
    this.del(z, pfn);
    this.nrFree[z]! -= 1 << o;
    return o;
  }
  /**
   * fill_contig_page_info for `order`: zone z's free pages on the buddy's lists, and those in
   * blocks of `order` or more.
   */
  contigInfo(z: number, order: number): { free: number; suitable: number; blocks: number } {
    let suitable = 0;
    let blocks = 0;
    for (let o = 0; o < MAX_ORDER; o++) {
      let n = 0;
      for (let t = 0; t < TYPES; t++) for (let p = this.head[this.key(z, o, t)]!; p !== NONE; p = this.next[p]!) n++;
      blocks += n;
      if (o >= order) suitable += n << o;
    }
    return { free: this.nrFree[z]!, suitable, blocks };
  }
  /**
   * __zone_watermark_ok for zone z with `free` pages (NR_FREE_PAGES) against `mark` (the
   * watermark with its boost and lowmem reserve): the order's pages less one count as unusable,
   * and an order above 0 needs a free block of that order or more on some migratetype's list.
   */
  watermarkOk(z: number, free: number, order: number, mark: number): boolean {
    return freePagesOk(free, order, mark) && (order === 0 || this.hasFreeBlock(z, order));
  }
  /** A free block of `order` or more on any list of zone z (compaction's "a suitable page is free" for kcompactd's GFP_KERNEL). */
  hasFreeBlock(z: number, order: number): boolean {
    for (let o = order; o < MAX_ORDER; o++) for (let t = 0; t < TYPES; t++) if (this.head[this.key(z, o, t)] !== NONE) return true;
    return false;
  }

  /** Zone z's free blocks per order (/proc/buddyinfo's row), every migratetype. */
  freeBlocks(z: number): number[] {
    const out = new Array<number>(MAX_ORDER).fill(0);
    for (let t = 0; t < TYPES; t++) this.freeBlocksOf(z, t as BlockType).forEach((n, o) => (out[o]! += n));
    return out;
  }

  /** Zone z's free blocks per order on migratetype t's lists (a row of /proc/pagetypeinfo). */
  freeBlocksOf(z: number, t: BlockType): number[] {
    const out: number[] = [];
    for (let o = 0; o < MAX_ORDER; o++) {
      let n = 0;
      for (let p = this.head[this.key(z, o, t)]!; p !== NONE; p = this.next[p]!) n++;
      out.push(n);
    }
    return out;
  }

  /** Frame pfn: 0 when free (or past the last frame), else 1 + the migratetype of the allocation using it (for tests and tools). */
  usedAt(pfn: number): number {
    return this.inUse[pfn] ?? 0;
  }

  /** Frames in use by allocations of migratetype t, every zone (for tests and tools). */
  usedFrames(t: BlockType): number {
    const mark = 1 + t;
    let n = 0;
    for (let p = 0; p < this.inUse.length; p++) if (this.inUse[p] === mark) n++;
    return n;
  }

  /** Pageblocks of zone z of migratetype t (pagetypeinfo's "Number of blocks type"). */
  blocksOf(z: number, t: BlockType): number {
    let n = 0;
    const first = this.base[z]! >> PAGEBLOCK_ORDER;
    const last = (this.base[z]! + this.size[z]! - 1) >> PAGEBLOCK_ORDER;
    for (let b = first; b <= last && this.size[z]! > 0; b++) if (this.blockType[b] === t) n++;
    return n;
  }
}

/**
 * can_steal_fallback: a block of at least half a pageblock (9 / 2 = 4 in C; a whole pageblock is
 * more), or an unmovable or reclaimable allocation.
 */
function canStealFallback(order: number, t: BlockType): boolean {
  return order >= PAGEBLOCK_ORDER >> 1 || t !== MOVABLE;
}
