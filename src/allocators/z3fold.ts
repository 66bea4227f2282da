/**
 * z3fold: up to three objects per pool page (first, middle, last), or one
 * object on a HEADLESS page, with an LRU of pages for reclaim.
 *
 * Kernel source and era: TL:mm/z3fold.c as of 4.11–4.13 (era '4.11', the
 * zswap 4.x frontswap era, the default): in-page compaction runs synchronously in z3fold_free and
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
 * Era '6.1' (z3fold.c of 5.x–6.12, as 6.1 has it; zswap's 6.1, 6.6 and 6.8+ use it):
 *   struct z3fold_header grew a work_struct, slots and pool pointers: 88 bytes,
 *   so ZHDR_SIZE_ALIGNED = 128 (2 chunks), NCHUNKS = 62, headless above
 *   4096 - 128 - 64 = 3904 bytes; middle objects start at first + 2.
 *   alloc: the slot is get_free_buddy's: with a middle object, FIRST if first
 *          is free and c <= start_middle - 2, else LAST if free (else the page
 *          is passed over); without one, FIRST, LAST, MIDDLE.
 *   free:  do_compact_page: a page left with one object and no foreign ones
 *          moves it (compact_single_buddy) into the first listed page with room
 *          (that page's foreign_handles++), and is freed; otherwise in-page
 *          compaction as above, and the page is relisted. Freeing a moved object
 *          decrements its page's foreign_handles.
 *   reclaim: the LRU walk skips non-headless pages with foreign handles (none
 *          left → -EAGAIN); a page that keeps objects is relisted without
 *          compaction.
 *   Deviation: 6.1 defers do_compact_page to a per-CPU work item (compact_wq)
 *   when the page is on an unbuddied list; here it runs at the free (one CPU,
 *   and an allocation that finds a page waiting for compaction skips it in the
 *   kernel anyway). Per-CPU unbuddied lists are one list set; stale-page
 *   reuse and page migration are not modelled.
 *
 * Kernel memory (6.1, slabPages): each page with a header has a struct
 * z3fold_buddy_slots from the pool's z3fold_handle kmem cache (48 bytes,
 * SLOTS_ALIGN 64: 64 a page), unreclaimable slab; charged as
 * ceil(pages with a header / 64). Deviation: 6.1 frees a page's slots only
 * once its last handle is freed (HANDLES_ORPHANED), so slots of a page
 * emptied by compact_single_buddy outlive it briefly; here they go with it.
 *
 * Deviations: a headless page evicted by reclaim is freed once (4.11 freed it
 * in both z3fold_free and z3fold_reclaim_page, and did not decrement pages_nr
 * on the second path; later kernels fixed this). Frees during reclaim only
 * clear the slot (the kernel relists the page at once; nothing can allocate
 * in between here). No locking, no MIDDLE_CHUNK_MAPPED (maps are transient).
 */

import { EAGAIN, EINVAL, ENOMEM, ENOSPC, type EvictFn, type PageSource, type Zpool, type ZpoolFactory } from './zpool.js';
import { PAGE_SIZE } from '../content/page.js';

/** Which kernel's z3fold: 4.11–4.13 (the default) or 6.1 (5.x–6.12: a 2-chunk header, get_free_buddy, single-buddy compaction). */
type Z3foldEra = '4.11' | '6.1';

const Z3FOLD_CHUNK_SHIFT = 6;
const Z3FOLD_CHUNK_SIZE = 1 << Z3FOLD_CHUNK_SHIFT;
/** round_up(sizeof(struct z3fold_header), CHUNK_SIZE): one chunk without spinlock debugging. */
const Z3FOLD_ZHDR_SIZE_ALIGNED = Z3FOLD_CHUNK_SIZE;
const Z3FOLD_ZHDR_CHUNKS = Z3FOLD_ZHDR_SIZE_ALIGNED >> Z3FOLD_CHUNK_SHIFT;
const Z3FOLD_TOTAL_CHUNKS = PAGE_SIZE >> Z3FOLD_CHUNK_SHIFT;
/** Usable chunks per page: 63. */
export const Z3FOLD_NCHUNKS = (PAGE_SIZE - Z3FOLD_ZHDR_SIZE_ALIGNED) >> Z3FOLD_CHUNK_SHIFT;
/** SLOTS_ALIGN (6.1): the z3fold_handle cache's alignment, and so its object size (sizeof(struct z3fold_buddy_slots) is 48). */
const Z3FOLD_SLOTS_ALIGN = 64;
/** Objects larger than this take a headless page: 3968. */
export const Z3FOLD_MAX_BUDDY_SIZE = PAGE_SIZE - Z3FOLD_ZHDR_SIZE_ALIGNED - Z3FOLD_CHUNK_SIZE;
/** The largest object (headless): a page. */
export const Z3FOLD_MAX_SIZE = PAGE_SIZE;
/** z3fold_zpool_shrink's retries per z3fold_reclaim_page call. */
const Z3FOLD_RECLAIM_RETRIES = 8;
/** Move the middle object only for a gain of at least this many chunks. */
const Z3FOLD_BIG_CHUNK_GAP = 3;

/**
 * 6.1: sizeof(struct z3fold_header) on x86-64 without lock debugging is 88
 * bytes (buddy list 16, page_lock 4, refcount 4, work_struct 32, slots 8,
 * pool 8, cpu 2, four chunk counts 8, bit fields 2, padded to 8), so
 * ZHDR_SIZE_ALIGNED = round_up(88, CHUNK_SIZE) = 128: two chunks.
 */
export const Z3FOLD_61_ZHDR_SIZE_ALIGNED = 2 * Z3FOLD_CHUNK_SIZE;
const Z3FOLD_61_ZHDR_CHUNKS = Z3FOLD_61_ZHDR_SIZE_ALIGNED >> Z3FOLD_CHUNK_SHIFT;
/** 6.1: NCHUNKS = TOTAL_CHUNKS - ZHDR_CHUNKS = 62. */
export const Z3FOLD_61_NCHUNKS = Z3FOLD_TOTAL_CHUNKS - Z3FOLD_61_ZHDR_CHUNKS;
/** 6.1: objects larger than PAGE_SIZE - ZHDR_SIZE_ALIGNED - CHUNK_SIZE = 3904 take a headless page. */
export const Z3FOLD_61_MAX_BUDDY_SIZE = PAGE_SIZE - Z3FOLD_61_ZHDR_SIZE_ALIGNED - Z3FOLD_CHUNK_SIZE;

/** An era's layout constants. */
interface Z3foldLayout {
  readonly zhdrChunks: number;
  readonly nchunks: number;
  readonly maxBuddySize: number;
}

const Z3FOLD_LAYOUT: Readonly<Record<Z3foldEra, Z3foldLayout>> = {
  '4.11': { zhdrChunks: Z3FOLD_ZHDR_CHUNKS, nchunks: Z3FOLD_NCHUNKS, maxBuddySize: Z3FOLD_MAX_BUDDY_SIZE },
  '6.1': { zhdrChunks: Z3FOLD_61_ZHDR_CHUNKS, nchunks: Z3FOLD_61_NCHUNKS, maxBuddySize: Z3FOLD_61_MAX_BUDDY_SIZE },
};

function z3foldChunks(size: number): number {
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
  /** 6.1 foreign_handles: objects of other pages moved here by single-buddy compaction (whose handles live elsewhere). */
  foreign = 0;
  list = -1;
  prev: Z3Page | null = null;
  next: Z3Page | null = null;

  /** num_free_chunks (not for headless pages). */
  freeChunks(L: Z3foldLayout): number {
    if (this.middle !== 0) {
      const before = this.first !== 0 ? 0 : this.startMiddle - L.zhdrChunks;
      const after = this.last !== 0 ? 0 : Z3FOLD_TOTAL_CHUNKS - (this.startMiddle + this.middle);
      return before > after ? before : after;
    }
    return L.nchunks - this.first - this.last;
  }

  /** buddy_single: at most one of first, middle, last in use. */
  single(): boolean {
    return !((this.first !== 0 && this.middle !== 0) || (this.first !== 0 && this.last !== 0) || (this.middle !== 0 && this.last !== 0));
  }

  empty(): boolean {
    return this.headless ? this.handles[HEADLESS] === 0 : this.first === 0 && this.middle === 0 && this.last === 0;
  }
}

interface Z3Obj {
  page: Z3Page;
  bud: number;
  size: number;
  /** 6.1: the page whose slots hold the handle (it differs once single-buddy compaction moved the object). */
  home: Z3Page;
}

// duplicates: alike to ZbudPool in allocators/zbud.ts (the zpool glue, the reclaim-retries loop,
// totalPages/objects/stats) and in shape to zsmalloc.ts's: kernel-shaped, mm/z3fold.c began as a copy of
// mm/zbud.c and each keeps its own; the counter fields below are alike in shape only to cost/op-charges.ts's.
export class Z3foldPool implements Zpool {
  readonly name = 'z3fold';
  readonly evictable = true;
  readonly era: Z3foldEra;
  private readonly L: Z3foldLayout;
  private readonly heads: (Z3Page | null)[];
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
  private singleMoves = 0;

  constructor(
    private readonly pages: PageSource,
    era: Z3foldEra = '4.11',
  ) {
    this.era = era;
    this.L = Z3FOLD_LAYOUT[era];
    this.heads = new Array<Z3Page | null>(this.L.nchunks).fill(null);
  }

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
    if (p.first === 0 || p.last === 0 || p.middle === 0) this.listAdd(p.freeChunks(this.L), p);
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
    if (size > this.L.maxBuddySize) bud = HEADLESS;
    else {
      chunks = z3foldChunks(size);
      const found = this.findUnbuddied(chunks);
      if (found !== null) {
        page = found.page;
        bud = found.bud;
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
    this.place(page, bud, chunks, handle);
    if (bud !== HEADLESS) this.relist(page);
    this.lruToHead(page);
    this.objs.set(handle, { page, bud, size, home: page });
    this.bytes += size;
    return handle;
  }

  /** Puts an object of `chunks` into slot `bud` of `page`. */
  private place(page: Z3Page, bud: number, chunks: number, handle: number): void {
    page.handles[bud] = handle;
    if (bud === FIRST) page.first = chunks;
    else if (bud === LAST) page.last = chunks;
    else if (bud === MIDDLE) {
      page.middle = chunks;
      page.startMiddle = page.first + this.L.zhdrChunks;
    }
  }

  /**
   * __z3fold_alloc: the head of the first unbuddied list with room for
   * `chunks`, taken off its list, and the slot to use (4.11's rule, or 6.1's
   * get_free_buddy). Null when no listed page fits.
   */
  private findUnbuddied(chunks: number): { page: Z3Page; bud: number } | null {
    for (let i = chunks; i < this.L.nchunks; i++) {
      const z = this.heads[i]!;
      if (z === null) continue;
      let bud: number;
      if (this.era === '4.11') {
        if (z.first === 0) bud = z.middle !== 0 && chunks >= z.startMiddle ? LAST : FIRST;
        else if (z.last === 0) bud = LAST;
        else if (z.middle === 0) bud = MIDDLE;
        else continue; // a full page on an unbuddied list cannot happen
      } else {
        bud = this.freeBuddy(z, chunks);
        if (bud === HEADLESS) continue; // the kernel WARNs and retries
      }
      this.listDel(z);
      return { page: z, bud };
    }
    return null;
  }

  /** get_free_buddy (5.x–6.1). */
  private freeBuddy(z: Z3Page, chunks: number): number {
    if (z.middle !== 0) {
      if (z.first === 0 && chunks <= z.startMiddle - this.L.zhdrChunks) return FIRST;
      if (z.last === 0) return LAST;
      return HEADLESS;
    }
    if (z.first === 0) return FIRST;
    if (z.last === 0) return LAST;
    return MIDDLE;
  }

  free(handle: number): void {
    const o = this.objs.get(handle);
    if (o === undefined) return;
    this.objs.delete(handle);
    this.bytes -= o.size;
    const p = o.page;
    if (o.home !== p) p.foreign--; // free_handle: the handle lived in another page's slots
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
    } else if (this.era === '4.11' || !this.compactSingle(p)) {
      this.compactPage(p);
      this.relist(p);
    }
  }

  /**
   * 6.1 do_compact_page's first step, compact_single_buddy: a page left with one
   * object (and no foreign ones) moves it into another listed page with room,
   * and is freed. False when there is no such page.
   */
  private compactSingle(p: Z3Page): boolean {
    if (p.headless || p.foreign !== 0 || !p.single()) return false;
    const bud = p.first !== 0 ? FIRST : p.middle !== 0 ? MIDDLE : LAST;
    const chunks = bud === FIRST ? p.first : bud === MIDDLE ? p.middle : p.last;
    const found = this.findUnbuddied(chunks);
    if (found === null) return false;
    const h = p.handles[bud]!;
    const o = this.objs.get(h)!;
    const q = found.page;
    this.place(q, found.bud, chunks, h);
    q.foreign++;
    this.relist(q);
    o.page = q;
    o.bud = found.bud;
    p.handles[bud] = 0;
    p.first = p.middle = p.last = 0;
    p.startMiddle = 0;
    this.lru.delete(p);
    this.releasePage(p);
    this.singleMoves++;
    return true;
  }

  private releasePage(p: Z3Page): void {
    if (p.headless) this.headlessPages--;
    this.pagesNr--;
    this.pages.freePage();
  }

  /** z3fold_compact_page: returns whether the middle object moved. */
  private compactPage(p: Z3Page): boolean {
    if (p.headless || p.middle === 0) return false;
    const zc = this.L.zhdrChunks;
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
    if (p.first !== 0 && p.last === 0 && p.startMiddle - (p.first + zc) >= Z3FOLD_BIG_CHUNK_GAP) {
      p.startMiddle = p.first + zc;
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
      let p: Z3Page | undefined;
      if (this.era === '4.11') p = this.lru.values().next().value as Z3Page;
      else {
        // 6.1: from the LRU tail, skipping pages that hold other pages' objects
        for (const x of this.lru) {
          if (x.headless || x.foreign === 0) {
            p = x;
            break;
          }
        }
        if (p === undefined) break;
      }
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
        if (this.era === '4.11') this.compactPage(p); // 6.1 relists it as it is
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

  /**
   * 6.1: the z3fold_handle cache, one struct z3fold_buddy_slots per page with
   * a header (alloc_slots in init_z3fold_page; headless pages have none): 48
   * bytes at SLOTS_ALIGN 64, so 64 a slab page. 4.11 had no slots (a handle
   * was the header's address): none.
   */
  slabPages(): number {
    if (this.era === '4.11') return 0;
    return Math.ceil((this.pagesNr - this.headlessPages) / Math.floor(PAGE_SIZE / Z3FOLD_SLOTS_ALIGN));
  }

  stats(): Record<string, number> {
    return {
      pages: this.pagesNr,
      headless_pages: this.headlessPages,
      objects: this.objs.size,
      object_bytes: this.bytes,
      compactions: this.compactions,
      single_buddy_moves: this.singleMoves,
      reclaim_calls: this.reclaimCalls,
      reclaimed_pages: this.reclaimed,
      evicted_objects: this.evicted,
      evict_failures: this.evictFailures,
      alloc_fail_nomem: this.failNomem,
      alloc_fail_nospc: this.failNospc,
    };
  }
}

/** A z3fold factory following one era's rules (all named 'z3fold'). */
export function z3foldFactoryFor(era: Z3foldEra): ZpoolFactory {
  const L = Z3FOLD_LAYOUT[era];
  return {
    name: 'z3fold',
    description:
      era === '4.11'
        ? `z3fold (mm/z3fold.c, 4.11): up to three objects per page in 64-byte chunks (${L.nchunks} usable), headless pages above ${L.maxBuddySize} bytes, LRU page reclaim; at most 3:1`
        : `z3fold (mm/z3fold.c, 6.1): up to three objects per page in 64-byte chunks (${L.nchunks} usable after a 2-chunk header), headless pages above ${L.maxBuddySize} bytes, single-buddy compaction, LRU page reclaim; at most 3:1`,
    create(pages: PageSource): Zpool {
      return new Z3foldPool(pages, era);
    },
  };
}

export const z3foldFactory: ZpoolFactory = z3foldFactoryFor('4.11');
