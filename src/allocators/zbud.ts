/**
 * zbud: zswap's "compression buddies" allocator, at most two objects per
 * pool page, with an LRU of pages for reclaim.
 *
 * Kernel source and era: TL:mm/zbud.c of 3.11–6.4 (the LRU and
 * zbud_reclaim_page lived in zbud until 6.5 moved the LRU into zswap; zbud
 * was removed in 6.15). This is zswap's zbud, not zcache2's (see
 * backends/zcache/zbud.ts): the header lives in the page, so only 63 chunks are usable.
 *
 * Density rule:
 *   chunk = 64 B; chunk 0 holds the header; NCHUNKS = 63 usable chunks
 *   c = ceil(size / 64); size > 4096 - 64 - 64 = 3968 → -ENOSPC; size 0 → -EINVAL
 *   FIRST buddy left-justified after the header, LAST right-justified at the end;
 *   two objects share a page iff c1 + c2 <= 63, so objects/pages <= 2
 *
 *   alloc(size):  for i = c .. 62: the head of unbuddied[i] (i = free chunks of a
 *                 page with one buddy: the smallest adequate free space, most
 *                 recently listed first); else a new page (PageSource; -ENOMEM).
 *                 The page goes on unbuddied[free] or the buddied list (at the
 *                 head), and to the head (MRU end) of the LRU.
 *   free(handle): clear the buddy; under reclaim nothing else; an empty page
 *                 leaves the LRU and goes back to the PageSource; otherwise it
 *                 is listed on unbuddied[free]. The LRU position is unchanged.
 *   shrink(n):    zbud_zpool_shrink: n times zbud_reclaim_page(retries = 8),
 *                 stopping at the first error, which it returns.
 *   reclaim_page: if the LRU is empty → -EINVAL. Up to 8 times: take the LRU
 *                 tail page off its lists, mark it under reclaim, evict FIRST
 *                 then LAST through the evict callback (which frees the handle on
 *                 success), stopping at the first failure. A page with both
 *                 buddies gone is freed → 0. Otherwise it is listed again and put
 *                 at the LRU head, and the next tail page is tried. → -EAGAIN.
 *
 * Not modelled: locking; the data itself (zswap keeps its own copy of the
 * compressed bytes, so zbud only does the space accounting).
 */

import { EAGAIN, EINVAL, ENOMEM, ENOSPC, type EvictFn, type PageSource, type Zpool, type ZpoolFactory } from './zpool.js';
import { PAGE_SIZE } from '../content/page.js';

const ZBUD_CHUNK_SHIFT = 6;
const ZBUD_CHUNK_SIZE = 1 << ZBUD_CHUNK_SHIFT;
/** The header occupies one chunk. */
const ZBUD_ZHDR_SIZE_ALIGNED = ZBUD_CHUNK_SIZE;
/** Usable chunks per page: (4096 - 64) / 64 = 63. */
export const ZBUD_NCHUNKS = (PAGE_SIZE - ZBUD_ZHDR_SIZE_ALIGNED) >> ZBUD_CHUNK_SHIFT;
/** The largest object: PAGE_SIZE - ZHDR_SIZE_ALIGNED - CHUNK_SIZE = 3968. */
export const ZBUD_MAX_SIZE = PAGE_SIZE - ZBUD_ZHDR_SIZE_ALIGNED - ZBUD_CHUNK_SIZE;
/** zbud_zpool_shrink's retries per zbud_reclaim_page call. */
const ZBUD_RECLAIM_RETRIES = 8;

/** size_to_chunks. */
export function zbudChunks(size: number): number {
  return (size + ZBUD_CHUNK_SIZE - 1) >> ZBUD_CHUNK_SHIFT;
}

const FIRST = 0;
const LAST = 1;
/** List index of the buddied list (free-chunk lists are 0..NCHUNKS-1). */
const BUDDIED = ZBUD_NCHUNKS;

class ZbudPage {
  /** Chunks of the FIRST / LAST buddy, 0 if free. */
  first = 0;
  last = 0;
  firstHandle = 0;
  lastHandle = 0;
  underReclaim = false;
  /** Intrusive links of the unbuddied/buddied list the page is on (list = -1: none). */
  list = -1;
  prev: ZbudPage | null = null;
  next: ZbudPage | null = null;

  freeChunks(): number {
    return ZBUD_NCHUNKS - this.first - this.last;
  }
}

interface ZbudObj {
  page: ZbudPage;
  bud: number;
  size: number;
}

interface ZbudStats {
  /** pages_nr: pages the pool holds. */
  pages: number;
  objects: number;
  buddied_pages: number;
  unbuddied_pages: number;
  /** Bytes of the objects held (what was asked of malloc). */
  object_bytes: number;
  reclaim_calls: number;
  reclaimed_pages: number;
  /** Evict callbacks that succeeded / failed. */
  evicted_objects: number;
  evict_failures: number;
  alloc_fail_nomem: number;
  alloc_fail_nospc: number;
}

// duplicates: alike to Z3foldPool in allocators/z3fold.ts (the zpool glue, the reclaim-retries loop,
// totalPages/objects/stats) and in shape to zsmalloc.ts's: kernel-shaped, mm/z3fold.c began as a copy of
// mm/zbud.c and each keeps its own.
export class ZbudPool implements Zpool {
  readonly name = 'zbud';
  readonly evictable = true;
  private readonly heads: (ZbudPage | null)[] = new Array<ZbudPage | null>(ZBUD_NCHUNKS + 1).fill(null);
  /** LRU of pages: iteration order is LRU tail (oldest) first, MRU last. */
  private readonly lru = new Set<ZbudPage>();
  private readonly objs = new Map<number, ZbudObj>();
  private nextHandle = 1;
  private pagesNr = 0;
  private buddied = 0;
  private bytes = 0;
  private reclaimCalls = 0;
  private reclaimed = 0;
  private evicted = 0;
  private evictFailures = 0;
  private failNomem = 0;
  private failNospc = 0;

  constructor(private readonly pages: PageSource) {}

  // ---- lists ------------------------------------------------------------------

  private listAdd(idx: number, p: ZbudPage): void {
    const h = this.heads[idx]!;
    p.prev = null;
    p.next = h;
    if (h !== null) h.prev = p;
    this.heads[idx] = p;
    p.list = idx;
    if (idx === BUDDIED) this.buddied++;
  }

  private listDel(p: ZbudPage): void {
    if (p.list < 0) return;
    if (p.prev !== null) p.prev.next = p.next;
    else this.heads[p.list] = p.next;
    if (p.next !== null) p.next.prev = p.prev;
    if (p.list === BUDDIED) this.buddied--;
    p.prev = p.next = null;
    p.list = -1;
  }

  /** Lists the page by its state: unbuddied[free] with one buddy, buddied with two. */
  private relist(p: ZbudPage): void {
    if (p.first === 0 || p.last === 0) this.listAdd(p.freeChunks(), p);
    else this.listAdd(BUDDIED, p);
  }

  private lruToHead(p: ZbudPage): void {
    this.lru.delete(p);
    this.lru.add(p);
  }

  // ---- zpool ------------------------------------------------------------------

  malloc(size: number): number {
    if (!(size > 0)) return EINVAL;
    if (size > ZBUD_MAX_SIZE) {
      this.failNospc++;
      return ENOSPC;
    }
    const chunks = zbudChunks(size);
    let page: ZbudPage | null = null;
    let bud = FIRST;
    for (let i = chunks; i < ZBUD_NCHUNKS; i++) {
      const h = this.heads[i]!;
      if (h !== null) {
        page = h;
        this.listDel(h);
        bud = h.first === 0 ? FIRST : LAST;
        break;
      }
    }
    if (page === null) {
      if (!this.pages.allocPage()) {
        this.failNomem++;
        return ENOMEM;
      }
      this.pagesNr++;
      page = new ZbudPage();
      bud = FIRST;
    }
    const handle = this.nextHandle++;
    if (bud === FIRST) {
      page.first = chunks;
      page.firstHandle = handle;
    } else {
      page.last = chunks;
      page.lastHandle = handle;
    }
    this.relist(page);
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
    if (o.bud === FIRST) {
      p.first = 0;
      p.firstHandle = 0;
    } else {
      p.last = 0;
      p.lastHandle = 0;
    }
    if (p.underReclaim) return; // zbud_reclaim_page frees or relists it
    this.listDel(p);
    if (p.first === 0 && p.last === 0) {
      this.lru.delete(p);
      this.releasePage();
    } else this.relist(p);
  }

  private releasePage(): void {
    this.pagesNr--;
    this.pages.freePage();
  }

  shrink(pages: number, evict: EvictFn): number {
    let total = 0;
    let ret = EINVAL;
    while (total < pages) {
      ret = this.reclaimPage(ZBUD_RECLAIM_RETRIES, evict);
      if (ret < 0) break;
      total++;
    }
    return ret;
  }

  /** zbud_reclaim_page. */
  private reclaimPage(retries: number, evict: EvictFn): number {
    this.reclaimCalls++;
    if (this.lru.size === 0 || retries === 0) return EINVAL;
    for (let i = 0; i < retries; i++) {
      const p = this.lru.values().next().value as ZbudPage;
      this.lru.delete(p);
      this.listDel(p);
      p.underReclaim = true;
      const first = p.firstHandle;
      const last = p.lastHandle;
      let ok = true;
      if (first !== 0) ok = this.evictOne(first, evict) === 0;
      if (ok && last !== 0) this.evictOne(last, evict);
      p.underReclaim = false;
      if (p.first === 0 && p.last === 0) {
        this.releasePage();
        this.reclaimed++;
        return 0;
      }
      this.relist(p);
      this.lru.add(p); // back at the LRU head
    }
    return EAGAIN;
  }

  private evictOne(handle: number, evict: EvictFn): number {
    const r = evict(handle);
    if (r === 0) this.evicted++;
    else this.evictFailures++;
    return r;
  }

  totalPages(): number {
    return this.pagesNr;
  }

  objects(): number {
    return this.objs.size;
  }

  stats(): Record<string, number> {
    const s: ZbudStats = {
      pages: this.pagesNr,
      objects: this.objs.size,
      buddied_pages: this.buddied,
      unbuddied_pages: this.pagesNr - this.buddied,
      object_bytes: this.bytes,
      reclaim_calls: this.reclaimCalls,
      reclaimed_pages: this.reclaimed,
      evicted_objects: this.evicted,
      evict_failures: this.evictFailures,
      alloc_fail_nomem: this.failNomem,
      alloc_fail_nospc: this.failNospc,
    };
    return { ...s };
  }
}

export const zbudFactory: ZpoolFactory = {
  name: 'zbud',
  description: 'zbud (mm/zbud.c): two objects per page in 64-byte chunks (63 usable), LRU page reclaim; at most 2:1',
  create(pages: PageSource): Zpool {
    return new ZbudPool(pages);
  },
};
