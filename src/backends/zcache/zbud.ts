/**
 * zcache2's zbud ("compression buddies"): at most two compressed pages per
 * pageframe, with whole pageframes kept in LRU order for reclaim.
 * Follows TL:drivers/staging/zcache/zbud.c (Linux 3.9–3.10). This is not
 * the later mm/zbud.c (3.11+, zswap's), whose header lives in the page and
 * whose chunks number 63.
 *
 *   zbud size     = clen + sizeof(tmem_handle) (32 B: the handle is stored
 *                   in front of the data so eviction can find the tmem key)
 *   chunks        = ceil(size / 64); 64 chunks per page (the header lives in
 *                   struct page); max zbud size 63*64 = 4032, so clen <= 4000
 *   buddies       = bud 0 at the start, bud 1 at the end; fits iff c0+c1 <= 64
 *   match_prep    : for i = 64-chunks .. 1: the first page on unbuddied[i]
 *                   (the fullest page that fits, oldest first); it moves to
 *                   the buddied list and to the MRU end of its LRU
 *   create_prep   : a fresh pageframe (the caller allocated or evicted it)
 *                   goes on unbuddied[chunks] and at the MRU end of its LRU
 *   free_and_delist: a lone bud's page leaves all lists and is returned to
 *                   the caller; a buddied page's survivor goes to the tail of
 *                   unbuddied[its chunks]; the LRU position does not change
 *   evict_pageframe_lru (ephemeral only): the first evictable page from the
 *                   LRU head is marked dying, both buds are unaccounted, the
 *                   host flushes both tmem handles (its frees of the dying
 *                   page are ignored), and the pageframe is returned
 *
 * Separate ephemeral and persistent LRU, buddied and unbuddied lists; all
 * lists are intrusive doubly-linked lists on the page objects (O(1)).
 * zbud does no page allocation itself: the caller (zcache) does.
 *
 * Not modelled: page locks and trylock skipping (single-threaded), the
 * zombie lists of zbud_make_zombie_lru (RAMster and the BROKEN writeback
 * only; pers_zombie_count stays 0), the data copy itself (a zbud keeps the
 * compressor's output object instead of copying it into the pageframe).
 */

import type { Compressed } from '../../compressors/compressor.js';
import { PAGE_SIZE } from '../../content/page.js';
import { zeroCounters, type CounterSpec, type CountersOf } from '../counters.js';

const ZBUD_CHUNK_SHIFT = 6;
const ZBUD_CHUNK_SIZE = 1 << ZBUD_CHUNK_SHIFT;
/** NCHUNKS = PAGE_SIZE >> CHUNK_SHIFT: the whole page is usable. */
export const ZBUD_NCHUNKS = PAGE_SIZE >> ZBUD_CHUNK_SHIFT;
const ZBUD_MAX_CHUNK = ZBUD_NCHUNKS - 1;
/** sizeof(struct tmem_handle): oid (24) + index (4) + pool_id (2) + client_id (2). */
export const TMEM_HANDLE_SIZE = 32;
/** zbud_max_size(): MAX_CHUNK << CHUNK_SHIFT = 4032. */
export const ZBUD_MAX_SIZE = ZBUD_MAX_CHUNK << ZBUD_CHUNK_SHIFT;
/** zbud_max_buddy_size(): the largest compressed length zbud takes, 4000. */
export const ZBUD_MAX_BUDDY_SIZE = ZBUD_MAX_SIZE - TMEM_HANDLE_SIZE;

/** zbud_size_to_chunks: `size` includes the tmem handle. */
export function zbudSizeToChunks(size: number): number {
  return (size + ZBUD_CHUNK_SIZE - 1) >> ZBUD_CHUNK_SHIFT;
}

/**
 * One stored compressed page: the zbudref (tmem's pampd) together with what
 * the kernel writes into the pageframe, the tmem_handle and the data. The
 * caller builds it; match_prep / create_prep place it.
 */
export class Zbud {
  /** The pageframe, or null while not placed (zcache also uses unplaced Zbuds for zero-filled pages). */
  page: ZbudPage | null = null;
  budnum = 0;
  /** Bytes held in the pageframe: clen + TMEM_HANDLE_SIZE (0 while not placed). */
  size = 0;
  constructor(
    /** tmem_handle: client_id, pool_id, oid, index. */
    readonly clientId: number,
    readonly poolId: number,
    readonly oid: number,
    readonly index: number,
    /** The compressor's output (shared, immutable), or null (zero-filled). */
    readonly data: Compressed | null,
    /** Compressed length (what zcache's *_zbytes count). */
    readonly clen: number,
    /** The oracle's opaque version stamp of the page. */
    readonly tag: number,
  ) {}
}

/** Which list a page's links are on: none, the buddied list (or the LRU), or unbuddied[n] for n in 1..63. */
const ON_NO_LIST = -1;
const ON_BUDDIED = 0;
const ON_LRU = 0;

/** A list_head of a pageframe: its neighbours' list_heads on one list, which list that is, and its pageframe. */
export class Links {
  prev: Links | null = null;
  next: Links | null = null;
  on = ON_NO_LIST;
  constructor(readonly page: ZbudPage) {}
}

/** A pageframe used by zbud (struct zbudpage overlays struct page). */
export class ZbudPage {
  bud0: Zbud | null = null;
  bud1: Zbud | null = null;
  /** Adds in progress (between *_prep and create_finish): the page may not be evicted. */
  unevictable = 0;
  /** Being evicted: frees and reads of its buds are ignored. */
  dying = false;
  /** Its place on a budlist (struct zbudpage's budlist). */
  readonly bud: Links = new Links(this);
  /** Its place on its side's LRU (struct zbudpage's lru). */
  readonly lru: Links = new Links(this);
  constructor(readonly eph: boolean) {}
  get size0(): number {
    return this.bud0 === null ? 0 : this.bud0.size;
  }
  get size1(): number {
    return this.bud1 === null ? 0 : this.bud1.size;
  }
  get onLru(): boolean {
    return this.lru.on !== ON_NO_LIST;
  }
}

/**
 * An intrusive list of pageframes over one of their two list_heads (list_add_tail, list_del of
 * include/linux/list.h: the kernel runs the same list code on a zbudpage's budlist and lru).
 * head = oldest (the LRU's least recently used), tail = newest.
 */
class PageList {
  head: Links | null = null;
  tail: Links | null = null;
  count = 0;
  /** `nonEmpty`: a bitmap that has bit `id` set while this list holds a page (the unbuddied lists'), or null. */
  constructor(
    readonly id: number,
    private readonly nonEmpty: Uint32Array | null = null,
  ) {}

  addTail(l: Links): void {
    if (this.count === 0 && this.nonEmpty !== null) this.nonEmpty[this.id >>> 5]! |= 1 << (this.id & 31);
    l.on = this.id;
    l.next = null;
    l.prev = this.tail;
    if (this.tail !== null) this.tail.next = l;
    else this.head = l;
    this.tail = l;
    this.count++;
  }

  remove(l: Links): void {
    if (l.prev !== null) l.prev.next = l.next;
    else this.head = l.next;
    if (l.next !== null) l.next.prev = l.prev;
    else this.tail = l.prev;
    l.prev = l.next = null;
    l.on = ON_NO_LIST;
    if (--this.count === 0 && this.nonEmpty !== null) this.nonEmpty[this.id >>> 5]! &= ~(1 << (this.id & 31));
  }
}

class ZbudSide {
  readonly lru = new PageList(ON_LRU);
  readonly buddied = new PageList(ON_BUDDIED);
  readonly unbuddied: PageList[] = [];
  /** Bit i set while unbuddied[i] holds a page. */
  private readonly nonEmpty = new Uint32Array(ZBUD_NCHUNKS / 32);
  constructor() {
    for (let i = 0; i < ZBUD_NCHUNKS; i++) this.unbuddied.push(new PageList(i, this.nonEmpty));
  }
  /** The highest i in 1..max whose unbuddied list holds a page, 0 for none (zbud_match_prep's scan from max down). */
  fullestUnbuddied(max: number): number {
    if (max < 1) return 0;
    for (let w = max >>> 5; w >= 0; w--) {
      // The bits of word w at or below max (all of them below max's word), less bit 0 (unbuddied[0] is never used).
      const top = w === max >>> 5 ? max & 31 : 31;
      let bits = top === 31 ? this.nonEmpty[w]! : this.nonEmpty[w]! & ((2 << top) - 1);
      if (w === 0) bits &= ~1;
      if (bits !== 0) return w * 32 + 31 - Math.clz32(bits);
    }
    return 0;
  }
  budlist(id: number): PageList {
    return id === ON_BUDDIED ? this.buddied : this.unbuddied[id]!;
  }
}

// duplicates: alike in shape to the other backends' counter lists (RAMSTER_COUNTERS in ramster/ramster.ts,
// REMOTE_NODE_COUNTERS in ramster/node.ts, XEN_TMEM_COUNTERS in xen-tmem/xen-tmem.ts, SELFBALLOON_COUNTERS in
// xen-tmem/selfballoon.ts, ZCACHE_COUNTERS in zcache/zcache.ts, ZSWAP_COUNTERS in zswap.ts): kernel-shaped: mirrors
// drivers/staging/zcache/zbud.c's debugfs files; one list per backend, each feeding its stats, report and docs.
/** /sys/kernel/debug/zbud/, in the kernel's creation order. zbytes include the 32-byte handles. */
export const ZBUD_COUNTERS = [
  { name: 'eph_zbytes', kind: 'gauge', doc: 'Bytes held by ephemeral zbuds (compressed data and tmem handle).' },
  { name: 'eph_cumul_zbytes', kind: 'event', doc: 'Bytes ever put in ephemeral zbuds.' },
  { name: 'pers_zbytes', kind: 'gauge', doc: 'Bytes held by persistent zbuds.' },
  { name: 'pers_cumul_zbytes', kind: 'event', doc: 'Bytes ever put in persistent zbuds.' },
  { name: 'eph_cumul_zpages', kind: 'event', doc: 'Ephemeral zbuds ever created.' },
  { name: 'eph_evicted_pageframes', kind: 'event', doc: 'Ephemeral pageframes evicted from the LRU.' },
  { name: 'eph_zpages', kind: 'gauge', doc: 'Ephemeral zbuds now.' },
  { name: 'eph_pageframes', kind: 'gauge', doc: 'Ephemeral pageframes now.' },
  { name: 'eph_buddied_count', kind: 'gauge', doc: 'Ephemeral pageframes holding two zbuds.' },
  { name: 'eph_unbuddied_count', kind: 'gauge', doc: 'Ephemeral pageframes holding one zbud.' },
  { name: 'pers_cumul_zpages', kind: 'event', doc: 'Persistent zbuds ever created.' },
  { name: 'pers_evicted_pageframes', kind: 'event', doc: 'Persistent pageframes evicted (writeback; stays 0: it depended on BROKEN).' },
  { name: 'pers_zpages', kind: 'gauge', doc: 'Persistent zbuds now.' },
  { name: 'pers_pageframes', kind: 'gauge', doc: 'Persistent pageframes now.' },
  { name: 'pers_buddied_count', kind: 'gauge', doc: 'Persistent pageframes holding two zbuds.' },
  { name: 'pers_unbuddied_count', kind: 'gauge', doc: 'Persistent pageframes holding one zbud.' },
  { name: 'pers_zombie_count', kind: 'gauge', doc: "Persistent zombie pageframes (RAMster's remotify; 0 in zcache)." },
] as const satisfies readonly CounterSpec[];

type ZbudStats = CountersOf<typeof ZBUD_COUNTERS>;

/** What zbud asks of its host while evicting (zbud_evict_tmem → tmem_flush_page). */
export interface ZbudEvictHost {
  /**
   * Flush the tmem handle of `z` (a bud of a dying page) from tmem. The
   * host's pampd free reaches freeAndDelist, which ignores the dying page.
   */
  zbudEvictFlush(z: Zbud): void;
}

export class ZcacheZbud {
  readonly stats: ZbudStats = zeroCounters(ZBUD_COUNTERS);
  private readonly eph = new ZbudSide();
  private readonly pers = new ZbudSide();
  /** Out-values of freeAndDelist and evictPageframeLru (zsize: compressed bytes without handles). */
  lastZsize = 0;
  lastZpages = 0;

  constructor(private readonly host: ZbudEvictHost) {}

  /** The LRU pageframes of a side, least recently used first (tests, reports). */
  lruPages(eph: boolean): ZbudPage[] {
    const out: ZbudPage[] = [];
    for (let l = (eph ? this.eph : this.pers).lru.head; l !== null; l = l.next) out.push(l.page);
    return out;
  }

  /** The least recently used pageframe's place on a side's LRU (a walk goes on with `next`), or null. */
  lruFirst(eph: boolean): Links | null {
    return (eph ? this.eph : this.pers).lru.head;
  }

  /** Pages on unbuddied[chunks] of a side, oldest first (tests). */
  unbuddiedPages(eph: boolean, chunks: number): ZbudPage[] {
    const out: ZbudPage[] = [];
    for (let l = (eph ? this.eph : this.pers).unbuddied[chunks]!.head; l !== null; l = l.next) out.push(l.page);
    return out;
  }

  /**
   * zbud_match_prep: place `z` (clen bytes of data) as the second bud of the
   * fullest unbuddied page it fits. Returns false if no page fits.
   */
  matchPrep(z: Zbud, eph: boolean): boolean {
    const side = eph ? this.eph : this.pers;
    const size = z.clen + TMEM_HANDLE_SIZE;
    const nchunks = zbudSizeToChunks(size);
    const i = side.fullestUnbuddied(ZBUD_MAX_CHUNK - nchunks + 1);
    if (i === 0) return false;
    const page = side.unbuddied[i]!.head!.page;
    side.unbuddied[i]!.remove(page.bud);
    side.buddied.addTail(page.bud);
    const s = this.stats;
    if (eph) {
      s.eph_unbuddied_count--;
      s.eph_buddied_count++;
    } else {
      s.pers_unbuddied_count--;
      s.pers_buddied_count++;
    }
    // "promote" the pageframe to most-recently-used
    side.lru.remove(page.lru);
    side.lru.addTail(page.lru);
    this.initZbud(page, z, eph, page.bud0 === null ? 0 : 1, size);
    page.unevictable++;
    return true;
  }

  /**
   * zbud_create_prep: place `z` as bud 0 of a pageframe the caller has just
   * allocated (or reclaimed). Returns false if clen > ZBUD_MAX_BUDDY_SIZE.
   */
  createPrep(z: Zbud, eph: boolean): boolean {
    if (z.clen > ZBUD_MAX_BUDDY_SIZE) return false;
    const side = eph ? this.eph : this.pers;
    const size = z.clen + TMEM_HANDLE_SIZE;
    const nchunks = zbudSizeToChunks(size);
    const page = new ZbudPage(eph);
    const s = this.stats;
    if (eph) s.eph_pageframes++;
    else s.pers_pageframes++;
    side.unbuddied[nchunks]!.addTail(page.bud);
    side.lru.addTail(page.lru);
    if (eph) s.eph_unbuddied_count++;
    else s.pers_unbuddied_count++;
    this.initZbud(page, z, eph, 0, size);
    page.unevictable++;
    return true;
  }

  /** zbud_create_finish: the add is complete, the page may be evicted again. */
  createFinish(z: Zbud): void {
    const page = z.page;
    if (page !== null) page.unevictable--;
  }

  private initZbud(page: ZbudPage, z: Zbud, eph: boolean, budnum: number, size: number): void {
    z.page = page;
    z.budnum = budnum;
    z.size = size;
    if (budnum === 0) page.bud0 = z;
    else page.bud1 = z;
    const s = this.stats;
    if (eph) {
      s.eph_zpages++;
      s.eph_cumul_zpages++;
      s.eph_zbytes += size;
      s.eph_cumul_zbytes += size;
    } else {
      s.pers_zpages++;
      s.pers_cumul_zpages++;
      s.pers_zbytes += size;
      s.pers_cumul_zbytes += size;
    }
  }

  /** zbud_unuse_zbud: the bud's bytes leave the accounting. */
  private unuseZbud(page: ZbudPage, budnum: number, eph: boolean): void {
    let size: number;
    if (budnum === 0) {
      size = page.size0;
      page.bud0 = null;
    } else {
      size = page.size1;
      page.bud1 = null;
    }
    const s = this.stats;
    if (eph) {
      s.eph_zbytes -= size;
      s.eph_zpages--;
    } else {
      s.pers_zbytes -= size;
      s.pers_zpages--;
    }
  }

  /** zbud_unuse_zbudpage: the pageframe leaves zbud. */
  private unusePage(eph: boolean): void {
    if (eph) this.stats.eph_pageframes--;
    else this.stats.pers_pageframes--;
  }

  /**
   * zbud_free_and_delist: free `z`. Returns true when its pageframe became
   * empty and is handed back to the caller. Sets lastZsize (compressed bytes
   * freed, without the handle) and lastZpages; both 0 for a dying page.
   */
  freeAndDelist(z: Zbud, eph: boolean): boolean {
    const page = z.page!;
    if (page.dying) {
      // ignore a dying zbudpage: see evictPageframeLru
      this.lastZsize = 0;
      this.lastZpages = 0;
      return false;
    }
    const side = eph ? this.eph : this.pers;
    const budnum = z.budnum;
    const budSize = budnum === 0 ? page.size0 : page.size1;
    const otherSize = budnum === 0 ? page.size1 : page.size0;
    this.lastZsize = budSize - TMEM_HANDLE_SIZE;
    this.lastZpages = 1;
    this.unuseZbud(page, budnum, eph);
    const s = this.stats;
    if (otherSize === 0) {
      // was unbuddied: unlist, and the pageframe is free
      side.budlist(page.bud.on).remove(page.bud);
      side.lru.remove(page.lru);
      if (eph) s.eph_unbuddied_count--;
      else s.pers_unbuddied_count--;
      this.unusePage(eph);
      return true;
    }
    // was buddied: the remaining buddy goes to the unbuddied list; the LRU is left alone
    side.budlist(page.bud.on).remove(page.bud);
    side.unbuddied[zbudSizeToChunks(otherSize)]!.addTail(page.bud);
    if (eph) {
      s.eph_buddied_count--;
      s.eph_unbuddied_count++;
    } else {
      s.pers_unbuddied_count++;
      s.pers_buddied_count--;
    }
    return false;
  }

  /**
   * zbud_evict_pageframe_lru: reclaim the least recently used evictable
   * ephemeral pageframe, flushing its buds from tmem through the host.
   * Returns false if there is none. On success the pageframe is the
   * caller's (to reuse or to free); lastZsize / lastZpages say what it held.
   */
  evictPageframeLru(): boolean {
    const side = this.eph;
    let l = side.lru.head;
    while (l !== null && l.page.unevictable !== 0) l = l.next;
    this.lastZsize = 0;
    this.lastZpages = 0;
    if (l === null) return false;
    const page = l.page;
    side.budlist(page.bud.on).remove(page.bud);
    side.lru.remove(page.lru);
    page.dying = true;
    const size0 = page.size0;
    const size1 = page.size1;
    let zpages: number;
    if (size0 !== 0 && size1 !== 0) {
      this.lastZsize = size0 + size1 - 2 * TMEM_HANDLE_SIZE;
      zpages = 2;
    } else {
      this.lastZsize = (size0 !== 0 ? size0 : size1) - TMEM_HANDLE_SIZE;
      zpages = 1;
    }
    this.lastZpages = zpages;
    const s = this.stats;
    s.eph_evicted_pageframes++;
    if (zpages === 1) s.eph_unbuddied_count--;
    else s.eph_buddied_count--;
    // zbud_evict_tmem: read out the handles, unuse both buds, then flush them from tmem
    const b0 = page.bud0;
    const b1 = page.bud1;
    if (b0 !== null) this.unuseZbud(page, 0, true);
    if (b1 !== null) this.unuseZbud(page, 1, true);
    const zsize = this.lastZsize;
    if (b0 !== null) this.host.zbudEvictFlush(b0);
    if (b1 !== null) this.host.zbudEvictFlush(b1);
    // the host's frees went through freeAndDelist and clobbered the out-values
    this.lastZsize = zsize;
    this.lastZpages = zpages;
    page.dying = false;
    this.unusePage(true);
    return true;
  }
}
