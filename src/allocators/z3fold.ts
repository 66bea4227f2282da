/**
 * z3fold: up to three objects per pool page (first, middle, last), or one
 * object on a HEADLESS page, with an LRU of pages for reclaim.
 *
 * Kernel source and era: TL:mm/z3fold.c as of 4.11–4.13 (the zswap 4.x
 * frontswap era): in-page compaction runs synchronously in z3fold_free and
 * after reclaim (4.14+ defers it to a workqueue, which changes only when the
 * middle object moves, not how much fits). z3fold was removed in 6.13.
 *
 * Density rule (chunks of 64 B; the header takes chunk 0 unless headless):
 *   NCHUNKS = 63, TOTAL_CHUNKS = 64; c = ceil(size / 64)
 *   size > 4096 → -ENOSPC; size > 4096 - 64 - 64 = 3968 → a HEADLESS page, one object
 *   otherwise at most three objects with Σ chunks <= 63, laid out as
 *   [hdr][first ...][  middle at start_middle ...][... last]; a page's free
 *   space (its unbuddied list) is NCHUNKS - first - last without a middle
 *   object, else the larger gap beside the middle object. objects/pages <= 3.
 *
 *   alloc(size):  headless sizes take a new page. Else for i = c .. 62: the head
 *                 of unbuddied[i]; the slot is FIRST if first is free (LAST if a
 *                 middle object leaves too little room before it), else LAST if
 *                 free, else MIDDLE (start_middle = first + 1). Else a new page
 *                 (FIRST). The page is relisted by free space and moved to the
 *                 LRU head.
 *   free(handle): headless → the page is freed. Else clear the slot; an empty
 *                 page is freed; otherwise compact it (a lone middle object
 *                 becomes first; a middle object moves next to its neighbour if
 *                 that gains >= 3 chunks) and relist it.
 *   shrink(n):    z3fold_zpool_shrink: n times z3fold_reclaim_page(retries = 8).
 *   reclaim_page: up to 8 times: the LRU tail page leaves its lists; evict
 *                 MIDDLE, FIRST, LAST (stop at the first failure); an emptied
 *                 page is freed → 0; else compact, relist, back to the LRU head.
 *                 An empty LRU → -EINVAL; 8 failures → -EAGAIN.
 *
 * Deviations: a headless page evicted by reclaim is freed once (4.11 freed it
 * in both z3fold_free and z3fold_reclaim_page, and did not decrement pages_nr
 * on the second path; later kernels fixed this). Frees during reclaim only
 * clear the slot (the kernel relists the page at once; nothing can allocate
 * in between here). No locking, no MIDDLE_CHUNK_MAPPED (maps are transient).
 */

import { EAGAIN, EINVAL, ENOMEM, ENOSPC, type EvictFn, type PageSource, type Zpool, type ZpoolFactory } from './zpool.js';
import { PAGE_SIZE } from '../content/page.js';

export const Z3FOLD_CHUNK_SHIFT = 6;
export const Z3FOLD_CHUNK_SIZE = 1 << Z3FOLD_CHUNK_SHIFT;
/** round_up(sizeof(struct z3fold_header), CHUNK_SIZE): one chunk without spinlock debugging. */
export const Z3FOLD_ZHDR_SIZE_ALIGNED = Z3FOLD_CHUNK_SIZE;
export const Z3FOLD_ZHDR_CHUNKS = Z3FOLD_ZHDR_SIZE_ALIGNED >> Z3FOLD_CHUNK_SHIFT;
export const Z3FOLD_TOTAL_CHUNKS = PAGE_SIZE >> Z3FOLD_CHUNK_SHIFT;
/** Usable chunks per page: 63. */
export const Z3FOLD_NCHUNKS = (PAGE_SIZE - Z3FOLD_ZHDR_SIZE_ALIGNED) >> Z3FOLD_CHUNK_SHIFT;
/** Objects larger than this take a headless page: 3968. */
export const Z3FOLD_MAX_BUDDY_SIZE = PAGE_SIZE - Z3FOLD_ZHDR_SIZE_ALIGNED - Z3FOLD_CHUNK_SIZE;
/** The largest object (headless): a page. */
export const Z3FOLD_MAX_SIZE = PAGE_SIZE;
/** z3fold_zpool_shrink's retries per z3fold_reclaim_page call. */
export const Z3FOLD_RECLAIM_RETRIES = 8;
/** Move the middle object only for a gain of at least this many chunks. */
export const Z3FOLD_BIG_CHUNK_GAP = 3;

export function z3foldChunks(size: number): number {
  return (size + Z3FOLD_CHUNK_SIZE - 1) >> Z3FOLD_CHUNK_SHIFT;
}

const HEADLESS = 0;
const FIRST = 1;
const MIDDLE = 2;
const LAST = 3;

class Z3Page {
  headless = false;
  first = 0;
  middle = 0;
  last = 0;
  startMiddle = 0;
  /** Handle per slot (index HEADLESS/FIRST/MIDDLE/LAST), 0 if free. */
  readonly handles = [0, 0, 0, 0];
  underReclaim = false;
  list = -1;
  prev: Z3Page | null = null;
  next: Z3Page | null = null;

  /** num_free_chunks (not for headless pages). */
  freeChunks(): number {
    if (this.middle !== 0) {
      const before = this.first !== 0 ? 0 : this.startMiddle - Z3FOLD_ZHDR_CHUNKS;
      const after = this.last !== 0 ? 0 : Z3FOLD_TOTAL_CHUNKS - (this.startMiddle + this.middle);
      return before > after ? before : after;
    }
    return Z3FOLD_NCHUNKS - this.first - this.last;
  }

  empty(): boolean {
    return this.headless ? this.handles[HEADLESS] === 0 : this.first === 0 && this.middle === 0 && this.last === 0;
  }
}

interface Z3Obj {
  page: Z3Page;
  bud: number;
  size: number;
}

export class Z3foldPool implements Zpool {
  readonly name = 'z3fold';
  readonly evictable = true;
  private readonly heads: (Z3Page | null)[] = new Array<Z3Page | null>(Z3FOLD_NCHUNKS).fill(null);
  /** LRU of pages: iteration order is LRU tail (oldest) first. */
  private readonly lru = new Set<Z3Page>();
  private readonly objs = new Map<number, Z3Obj>();
  private nextHandle = 1;
  private pagesNr = 0;
  private headlessPages = 0;
  private bytes = 0;
  private compactions = 0;
  private reclaimCalls = 0;
  private reclaimed = 0;
  private evicted = 0;
  private evictFailures = 0;
  private failNomem = 0;
  private failNospc = 0;

  constructor(private readonly pages: PageSource) {}

  // ---- lists ------------------------------------------------------------------

  private listAdd(idx: number, p: Z3Page): void {
    const h = this.heads[idx]!;
    p.prev = null;
    p.next = h;
    if (h !== null) h.prev = p;
    this.heads[idx] = p;
    p.list = idx;
  }

  private listDel(p: Z3Page): void {
    if (p.list < 0) return;
    if (p.prev !== null) p.prev.next = p.next;
    else this.heads[p.list] = p.next;
    if (p.next !== null) p.next.prev = p.prev;
    p.prev = p.next = null;
    p.list = -1;
  }

  /** Lists a page that has a free slot on unbuddied[free chunks]. */
  private relist(p: Z3Page): void {
    if (p.first === 0 || p.last === 0 || p.middle === 0) this.listAdd(p.freeChunks(), p);
  }

  private lruToHead(p: Z3Page): void {
    this.lru.delete(p);
    this.lru.add(p);
  }

  // ---- zpool ------------------------------------------------------------------

  malloc(size: number): number {
    if (!(size > 0)) return EINVAL;
    if (size > Z3FOLD_MAX_SIZE) {
      this.failNospc++;
      return ENOSPC;
    }
    let page: Z3Page | null = null;
    let bud = FIRST;
    let chunks = 0;
    if (size > Z3FOLD_MAX_BUDDY_SIZE) bud = HEADLESS;
    else {
      chunks = z3foldChunks(size);
      for (let i = chunks; i < Z3FOLD_NCHUNKS && page === null; i++) {
        const z = this.heads[i]!;
        if (z === null) continue;
        this.listDel(z);
        if (z.first === 0) bud = z.middle !== 0 && chunks >= z.startMiddle ? LAST : FIRST;
        else if (z.last === 0) bud = LAST;
        else if (z.middle === 0) bud = MIDDLE;
        else {
          this.relist(z); // a full page on an unbuddied list cannot happen
          continue;
        }
        page = z;
      }
    }
    if (page === null) {
      if (!this.pages.allocPage()) {
        this.failNomem++;
        return ENOMEM;
      }
      this.pagesNr++;
      page = new Z3Page();
      if (bud === HEADLESS) {
        page.headless = true;
        this.headlessPages++;
      } else bud = FIRST;
    }
    const handle = this.nextHandle++;
    page.handles[bud] = handle;
    if (bud === FIRST) page.first = chunks;
    else if (bud === LAST) page.last = chunks;
    else if (bud === MIDDLE) {
      page.middle = chunks;
      page.startMiddle = page.first + Z3FOLD_ZHDR_CHUNKS;
    }
    if (bud !== HEADLESS) this.relist(page);
    this.lruToHead(page);
    this.objs.set(handle, { page, bud, size });
    this.bytes += size;
    return handle;
  }

  free(handle: number): void {
    const o = this.objs.get(handle);
    if (o === undefined) return;
    this.objs.delete(handle);
    this.bytes -= o.size;
    const p = o.page;
    p.handles[o.bud] = 0;
    if (o.bud === FIRST) p.first = 0;
    else if (o.bud === MIDDLE) {
      p.middle = 0;
      p.startMiddle = 0;
    } else if (o.bud === LAST) p.last = 0;
    if (p.underReclaim) return; // z3fold_reclaim_page finishes the page
    this.listDel(p);
    if (p.empty()) {
      this.lru.delete(p);
      this.releasePage(p);
    } else {
      this.compactPage(p);
      this.relist(p);
    }
  }

  private releasePage(p: Z3Page): void {
    if (p.headless) this.headlessPages--;
    this.pagesNr--;
    this.pages.freePage();
  }

  /** z3fold_compact_page: returns whether the middle object moved. */
  private compactPage(p: Z3Page): boolean {
    if (p.headless || p.middle === 0) return false;
    if (p.first === 0 && p.last === 0) {
      // the lone middle object becomes the first one (its handle follows it)
      p.first = p.middle;
      p.middle = 0;
      p.startMiddle = 0;
      const h = p.handles[MIDDLE]!;
      p.handles[FIRST] = h;
      p.handles[MIDDLE] = 0;
      this.objs.get(h)!.bud = FIRST;
      this.compactions++;
      return true;
    }
    if (p.first !== 0 && p.last === 0 && p.startMiddle - (p.first + Z3FOLD_ZHDR_CHUNKS) >= Z3FOLD_BIG_CHUNK_GAP) {
      p.startMiddle = p.first + Z3FOLD_ZHDR_CHUNKS;
      this.compactions++;
      return true;
    }
    if (
      p.last !== 0 &&
      p.first === 0 &&
      Z3FOLD_TOTAL_CHUNKS - (p.last + p.startMiddle + p.middle) >= Z3FOLD_BIG_CHUNK_GAP
    ) {
      p.startMiddle = Z3FOLD_TOTAL_CHUNKS - p.last - p.middle;
      this.compactions++;
      return true;
    }
    return false;
  }

  shrink(pages: number, evict: EvictFn): number {
    let total = 0;
    let ret = EINVAL;
    while (total < pages) {
      ret = this.reclaimPage(Z3FOLD_RECLAIM_RETRIES, evict);
      if (ret < 0) break;
      total++;
    }
    return ret;
  }

  /** z3fold_reclaim_page. */
  private reclaimPage(retries: number, evict: EvictFn): number {
    this.reclaimCalls++;
    if (retries === 0) return EINVAL;
    for (let i = 0; i < retries; i++) {
      if (this.lru.size === 0) return EINVAL;
      const p = this.lru.values().next().value as Z3Page;
      this.lru.delete(p);
      this.listDel(p);
      p.underReclaim = true;
      const order = p.headless
        ? [p.handles[HEADLESS]!]
        : [p.handles[MIDDLE]!, p.handles[FIRST]!, p.handles[LAST]!];
      for (const h of order) {
        if (h === 0) continue;
        const r = evict(h);
        if (r === 0) this.evicted++;
        else {
          this.evictFailures++;
          break;
        }
      }
      p.underReclaim = false;
      if (p.empty()) {
        this.releasePage(p);
        this.reclaimed++;
        return 0;
      }
      if (!p.headless) {
        this.compactPage(p);
        this.relist(p);
      }
      this.lru.add(p); // back at the LRU head
    }
    return EAGAIN;
  }

  totalPages(): number {
    return this.pagesNr;
  }

  objects(): number {
    return this.objs.size;
  }

  objectBytes(): number {
    return this.bytes;
  }

  stats(): Record<string, number> {
    return {
      pages: this.pagesNr,
      headless_pages: this.headlessPages,
      objects: this.objs.size,
      object_bytes: this.bytes,
      compactions: this.compactions,
      reclaim_calls: this.reclaimCalls,
      reclaimed_pages: this.reclaimed,
      evicted_objects: this.evicted,
      evict_failures: this.evictFailures,
      alloc_fail_nomem: this.failNomem,
      alloc_fail_nospc: this.failNospc,
    };
  }
}

export const z3foldFactory: ZpoolFactory = {
  name: 'z3fold',
  description:
    'z3fold (mm/z3fold.c, 4.11): up to three objects per page in 64-byte chunks (63 usable), headless pages above 3968 bytes, LRU page reclaim; at most 3:1',
  create(pages: PageSource): Zpool {
    return new Z3foldPool(pages);
  },
};
