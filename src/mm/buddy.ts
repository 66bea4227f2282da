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
 *   order down for a free block on a fallback list (unmovable → movable, movable → unmovable;
 *   find_suitable_fallback); a movable allocation that may not steal takes the smallest instead
 *   (find_smallest). steal_suitable_fallback: a block of pageblock order or more changes type
 *   whole; otherwise the zone's watermark is boosted (boost_watermark, the caller's `boost`) and,
 *   when the allocation may steal (can_steal_fallback: unmovable, or order >= pageblock_order / 2),
 *   every free block of that pageblock moves to its lists (move_freepages_block) and the pageblock
 *   changes type if its free pages and the pages alike (non-movable ones, for an unmovable
 *   allocation in a movable block) are half of it; else only the block found moves
 *   (move_to_free_list).
 *
 * Deviations: two migratetypes (no MIGRATE_RECLAIMABLE, CMA, highatomic or isolation); a zone's
 * frames are the model's pages of that zone, from a pfn aligned to MAX_ORDER blocks (the kernel's
 * own pages, outside the model, have no frames), all free and movable at boot; a freed block is
 * added at the head of its list (6.1 adds at the tail when a merge with the next order's buddy is
 * likely: buddy_merge_likely).
 */

const PAGEBLOCK_ORDER = 9;
export const PAGEBLOCK_PAGES = 1 << PAGEBLOCK_ORDER;
const MAX_ORDER = 11;
/** The migratetypes modelled (MIGRATE_MOVABLE and MIGRATE_UNMOVABLE; the kernel numbers them 1 and 0). */
export const MOVABLE = 0;
export const UNMOVABLE = 1;
export type BlockType = typeof MOVABLE | typeof UNMOVABLE;
const NONE = -1;

export class Buddy {
  /** Zone z's frames are base[z] .. base[z] + size[z] - 1. */
  private readonly base: number[];
  private readonly size: number[];
  /** Per frame: the order of the free block it heads, or -1. */
  private readonly freeOrder: Int8Array;
  /** Per frame: the migratetype list a free block it heads is on. */
  private readonly freeList: Uint8Array;
  /** Per frame: 0 free or on a per-CPU list, 1 in use by a movable allocation, 2 by an unmovable one. */
  private readonly inUse: Uint8Array;
  /** Doubly linked free lists through the frames: next/prev pfn, -1 at the ends. */
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  /** List heads: ((zone * MAX_ORDER) + order) * 2 + migratetype → pfn or -1. */
  private readonly head: Int32Array;
  /** Pageblock migratetypes, by pfn >> PAGEBLOCK_ORDER. */
  private readonly blockType: Uint8Array;
  /** Free pages of each zone in the buddy allocator. */
  readonly nrFree: number[];
  /** Fallbacks between migratetypes so far (the mm_page_alloc_extfrag tracepoint's events). */
  fallbacks = 0;

  constructor(pages: readonly number[]) {
    const align = 1 << (MAX_ORDER - 1);
    this.base = [];
    this.size = [];
    let end = 0;
    for (const p of pages) {
      const b = Math.ceil(end / align) * align;
      this.base.push(b);
      this.size.push(Math.max(0, p));
      end = b + Math.max(0, p);
    }
    const n = Math.max(1, end);
    this.freeOrder = new Int8Array(n).fill(NONE);
    this.freeList = new Uint8Array(n);
    this.inUse = new Uint8Array(n);
    this.next = new Int32Array(n).fill(NONE);
    this.prev = new Int32Array(n).fill(NONE);
    this.head = new Int32Array(pages.length * MAX_ORDER * 2).fill(NONE);
    this.blockType = new Uint8Array(Math.ceil(n / PAGEBLOCK_PAGES));
    this.nrFree = pages.map(() => 0);
    // Boot: every frame free, in the largest aligned blocks that fit.
    for (let z = 0; z < pages.length; z++) {
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

  private key(z: number, o: number, t: number): number {
    return (z * MAX_ORDER + o) * 2 + t;
  }
  private add(z: number, pfn: number, o: number, t: number): void {
    const k = this.key(z, o, t);
    const h = this.head[k]!;
    this.next[pfn] = h;
    this.prev[pfn] = NONE;
    if (h !== NONE) this.prev[h] = pfn;
    this.head[k] = pfn;
    this.freeOrder[pfn] = o;
    this.freeList[pfn] = t;
  }
  private del(z: number, pfn: number): void {
    const o = this.freeOrder[pfn]!;
    const k = this.key(z, o, this.freeList[pfn]!);
    const p = this.prev[pfn]!;
    const nx = this.next[pfn]!;
    if (p !== NONE) this.next[p] = nx;
    else this.head[k] = nx;
    if (nx !== NONE) this.prev[nx] = p;
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

  /** An order-0 page of zone z for migratetype t (__rmqueue), -1 when the zone has none. */
  alloc(z: number, t: BlockType, boost: () => void): number {
    let pfn = this.smallest(z, t);
    if (pfn === NONE && this.fallback(z, t, boost)) pfn = this.smallest(z, t);
    if (pfn === NONE) return NONE;
    this.nrFree[z]!--;
    return pfn;
  }

  /** __rmqueue_smallest for order 0, with expand(). */
  private smallest(z: number, t: number): number {
    for (let o = 0; o < MAX_ORDER; o++) {
      const pfn = this.head[this.key(z, o, t)]!;
      if (pfn === NONE) continue;
      this.del(z, pfn);
      // expand: the upper halves go back, each a list lower.
      for (let h = o; h > 0; h--) this.add(z, pfn + (1 << (h - 1)), h - 1, t);
      return pfn;
    }
    return NONE;
  }

  /** __rmqueue_fallback for order 0: false when no other migratetype has a free block. */
  private fallback(z: number, t: BlockType, boost: () => void): boolean {
    const o2 = 1 - t;
    let order = NONE;
    for (let o = MAX_ORDER - 1; o >= 0; o--) {
      if (this.head[this.key(z, o, o2)] === NONE) continue;
      if (!canStealFallback(o, t) && t === MOVABLE && o > 0) {
        // find_smallest
        for (let s = 0; s < MAX_ORDER; s++) {
          if (this.head[this.key(z, s, o2)] !== NONE) {
            order = s;
            break;
          }
        }
      } else order = o;
      break;
    }
    if (order === NONE) return false;
    const pfn = this.head[this.key(z, order, o2)]!;
    this.fallbacks++;
    this.steal(z, pfn, order, t, canStealFallback(order, t), boost);
    return true;
  }

  /** steal_suitable_fallback. */
  private steal(z: number, pfn: number, order: number, t: BlockType, wholeBlock: boolean, boost: () => void): void {
    const old = this.typeOf(pfn);
    if (order >= PAGEBLOCK_ORDER) {
      // change_pageblock_range, then the block moves to the new lists.
      for (let b = pfn >> PAGEBLOCK_ORDER; b < (pfn + (1 << order)) >> PAGEBLOCK_ORDER; b++) this.blockType[b] = t;
      this.del(z, pfn);
      this.add(z, pfn, order, t);
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
          this.del(z, p);
          this.add(z, p, fo, t);
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
    this.del(z, pfn);
    this.add(z, pfn, order, t);
  }

  /** __free_one_page: frame pfn goes back as migratetype t, merging with its free buddies. */
  release(pfn: number, t: BlockType): void {
    if (pfn === NONE) return;
    const z = this.zoneOf(pfn);
    this.nrFree[z]!++;
    const lo = this.base[z]!;
    const hi = lo + this.size[z]!;
    let o = 0;
    while (o < MAX_ORDER - 1) {
      const buddy = pfn ^ (1 << o);
      if (buddy < lo || buddy >= hi || this.freeOrder[buddy] !== o) break;
      this.del(z, buddy);
      pfn = Math.min(pfn, buddy);
      o++;
    }
    this.add(z, pfn, o, t);
  }

  use(pfn: number, t: BlockType): void {
    if (pfn !== NONE) this.inUse[pfn] = t === MOVABLE ? 1 : 2;
  }
  unuse(pfn: number): void {
    if (pfn !== NONE) this.inUse[pfn] = 0;
  }

  /** Zone z's free blocks per order (/proc/buddyinfo's row), both migratetypes. */
  freeBlocks(z: number): number[] {
    const out: number[] = [];
    for (let o = 0; o < MAX_ORDER; o++) {
      let n = 0;
      for (let t = 0; t < 2; t++) for (let p = this.head[this.key(z, o, t)]!; p !== NONE; p = this.next[p]!) n++;
      out.push(n);
    }
    return out;
  }

  /** Frames in use by allocations of migratetype t, every zone (for tests and tools). */
  usedFrames(t: BlockType): number {
    const mark = t === MOVABLE ? 1 : 2;
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
 * more), or an unmovable allocation.
 */
function canStealFallback(order: number, t: BlockType): boolean {
  return order >= PAGEBLOCK_ORDER >> 1 || t === UNMOVABLE;
}
