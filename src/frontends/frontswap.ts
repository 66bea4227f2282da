/**
 * frontswap: the swap-side tmem frontend (TL:mm/frontswap.c, include/linux/frontswap.h).
 *
 * Era: 3.11 (lazy initialization merged as the `need_init` bitmap), with the
 * Nov 2014 fix (3.19) that invalidates the backend when a duplicate store
 * fails, since without it a failed duplicate leaves the old copy behind.
 *
 *   swapon(type):  map[type] = empty bitmap; ops ? ops.init(type) : need_init |= type
 *   register(ops): for t in need_init: ops.init(t); ops_published = ops
 *   store(t,o,p):  if !ops: return -1 (no counter)
 *                  dup = test(bit)
 *                  [backend.frontswapDupFirst: the 4.7–6.5 frontend (6.1 LTS)] dup: clear bit,
 *                    frontswap_pages--, ops.invalidate_page (no counter); dup = false
 *                  r = ops.store(t,o,p)
 *                  r==0: set bit; succ_stores++; if !dup: frontswap_pages++
 *                  else: failed_stores++; if dup: ops.invalidate_page; clear bit; frontswap_pages--
 *                  writethrough: return -1 even on success (the swap layer also writes the disk)
 *   load(t,o,p):   if !bit or !ops: return -1 (no call, no counter)
 *                  r = ops.load(); r==0: loads++; exclusive gets: clear bit, page dirty
 *   invalidate_page(t,o): if bit: ops.invalidate_page; clear bit; invalidates++
 *   invalidate_area(t):   ops.invalidate_area; frontswap_pages = 0; clear bitmap (no counter)
 *
 * tmemsim extension (the kernel never merged unloading): unregister() drops the
 * ops and marks every active swap type need_init again, so a later register()
 * re-inits the new backend's pools; rmmod strategies empty the bitmaps first.
 */

import type { Backend, FrontswapOps } from '../backends/backend.js';
import type { Page, PageOut } from '../content/page.js';

const MAX_SWAPFILES = 32;

// duplicates: alike in shape only to ramster/node.ts's Zpage and Link (an interface, then a const enum): nothing in
// common.
export interface FrontswapCounters {
  loads: number;
  succ_stores: number;
  failed_stores: number;
  invalidates: number;
}

/**
 * Result of a load: miss, hit, or hit after which the page is dirty and the bit
 * clear. Unbacked is the machine's, never frontswap's: a swap-in that found no
 * copy anywhere (the oracle counted the page lost), so the page now in RAM is
 * the only one there is, dirty like an exclusive hit. Zero is the machine's
 * too: the swap core's zeromap (6.12+) had the slot as all zeros, so the page
 * was zero-filled without a read or a load and comes back clean (the bit stays).
 */
export const enum LoadResult {
  Miss = 0,
  Hit = 1,
  HitExclusive = 2,
  Unbacked = 3,
  Zero = 4,
}

/** Whether a page swapped in with this result comes back dirty (its only copy is in RAM). */
export function comesBackDirty(r: LoadResult): boolean {
  return r === LoadResult.HitExclusive || r === LoadResult.Unbacked;
}

class SwapArea {
  readonly bits: Uint32Array;
  pages = 0;
  constructor(readonly slots: number) {
    this.bits = new Uint32Array(Math.ceil(slots / 32));
  }
  test(off: number): boolean {
    return (this.bits[off >>> 5]! & (1 << (off & 31))) !== 0;
  }
  set(off: number): void {
    this.bits[off >>> 5]! |= 1 << (off & 31);
  }
  clear(off: number): void {
    this.bits[off >>> 5]! &= ~(1 << (off & 31));
  }
}

export class Frontswap {
  /** Whether a backend with these ops was registered at any time (a report's hit ratio is n/a otherwise). */
  everRegistered = false;
  readonly counters: FrontswapCounters = { loads: 0, succ_stores: 0, failed_stores: 0, invalidates: 0 };
  private ops: FrontswapOps | null = null;
  /** The registered backend: exclusive gets are read from it on every load (zswap can switch at runtime). */
  private backend: Backend | null = null;
  private readonly areas: (SwapArea | null)[] = new Array<SwapArea | null>(MAX_SWAPFILES).fill(null);
  private needInit = 0;
  /** frontswap_writethrough(): stores also go to the swap device. */
  writethrough = false;

  /** swapon → __frontswap_init(type, map). */
  init(type: number, slots: number): void {
    this.areas[type] = new SwapArea(slots);
    if (this.ops) this.ops.init(type);
    else this.needInit |= 1 << type;
  }

  /** swapoff, after try_to_unuse: frontswap_invalidate_area then free the map. */
  swapoff(type: number): void {
    this.invalidateArea(type);
    this.areas[type] = null;
    this.needInit &= ~(1 << type);
  }

  // duplicates: alike in shape to Cleancache.register in frontends/cleancache.ts: kernel-shaped, frontswap_register_ops
  // (mm/frontswap.c) replays the recorded inits as cleancache_register_ops (mm/cleancache.c) does.
  /** frontswap_register_ops: replay the recorded inits, then publish. Returns the old ops. */
  register(backend: Backend): FrontswapOps | null {
    const ops = backend.frontswap;
    if (!ops) return this.ops;
    this.everRegistered = true;
    const old = this.ops;
    for (let t = 0; t < MAX_SWAPFILES; t++) {
      if (this.needInit & (1 << t)) {
        this.needInit &= ~(1 << t);
        if (this.areas[t]) ops.init(t);
      }
    }
    this.ops = ops;
    this.backend = backend;
    return old;
  }

  /** tmemsim: the backend is gone; swap areas wait for the next one. Bitmaps must be empty. */
  unregister(): void {
    this.ops = null;
    this.backend = null;
    for (let t = 0; t < MAX_SWAPFILES; t++) if (this.areas[t]) this.needInit |= 1 << t;
  }

  test(type: number, offset: number): boolean {
    const a = this.areas[type];
    return a !== null && a !== undefined && a.test(offset);
  }

  /** frontswap_pages of one type. */
  pages(type: number): number {
    return this.areas[type]?.pages ?? 0;
  }

  /** frontswap_curr_pages(): the sum over active swap areas. */
  currPages(): number {
    let n = 0;
    for (const a of this.areas) if (a) n += a.pages;
    return n;
  }

  /**
   * __frontswap_store. Returns true only when the page need not be written
   * to the swap device (false in writethrough mode even on success).
   */
  store(type: number, offset: number, page: Page): boolean {
    const ops = this.ops;
    const a = this.areas[type];
    if (!ops || !a) return false;
    let dup = a.test(offset);
    if (dup && this.backend!.frontswapDupFirst === true) {
      // 4.7+: "if a dup, we must remove the old page first" (no invalidates count)
      a.clear(offset);
      a.pages--;
      ops.invalidatePage(type, offset);
      dup = false;
    }
    const ok = ops.store(type, offset, page);
    if (ok) {
      a.set(offset);
      this.counters.succ_stores++;
      if (!dup) a.pages++;
    } else {
      this.counters.failed_stores++;
      if (dup) {
        ops.invalidatePage(type, offset);
        a.clear(offset);
        a.pages--;
      }
    }
    if (this.writethrough) return false;
    return ok;
  }

  /** __frontswap_load. */
  load(type: number, offset: number, out: PageOut): LoadResult {
    const ops = this.ops;
    const a = this.areas[type];
    if (!ops || !a || !a.test(offset)) return LoadResult.Miss;
    if (!ops.load(type, offset, out)) return LoadResult.Miss;
    this.counters.loads++;
    if (this.backend!.frontswapExclusiveGets) {
      a.clear(offset);
      a.pages--;
      return LoadResult.HitExclusive;
    }
    return LoadResult.Hit;
  }

  /** __frontswap_invalidate_page: only when the bit is set. */
  invalidatePage(type: number, offset: number): void {
    const a = this.areas[type];
    if (!a || !a.test(offset)) return;
    if (this.ops) this.ops.invalidatePage(type, offset);
    a.clear(offset);
    a.pages--;
    this.counters.invalidates++;
  }

  /** __frontswap_invalidate_area: no counter. */
  invalidateArea(type: number): void {
    const a = this.areas[type];
    if (!a) return;
    if (this.ops) this.ops.invalidateArea(type);
    a.pages = 0;
    a.bits.fill(0);
  }

  /**
   * Clear one slot's bit without calling the backend (its copy has already
   * been moved or dropped by an rmmod strategy).
   */
  forget(type: number, offset: number): void {
    const a = this.areas[type];
    if (!a || !a.test(offset)) return;
    a.clear(offset);
    a.pages--;
  }

  /** Offsets whose bit is set, in slot order (frontswap_shrink and rmmod scan these). */
  *setOffsets(type: number): Generator<number> {
    const a = this.areas[type];
    if (!a) return;
    const bits = a.bits;
    for (let w = 0; w < bits.length; w++) {
      let word = bits[w]!;
      while (word !== 0) {
        const b = 31 - Math.clz32(word & -word);
        word &= word - 1;
        yield w * 32 + b;
      }
    }
  }

  activeTypes(): number[] {
    const r: number[] = [];
    for (let t = 0; t < MAX_SWAPFILES; t++) if (this.areas[t]) r.push(t);
    return r;
  }
}
