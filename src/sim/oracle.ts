/**
 * The coherency oracle: it knows the bytes last stored under every key and
 * checks every successful load and get against them.
 *
 * Every store, put or write is stamped with a fresh tag (a version number the
 * backend carries opaquely beside the data) and, when bytes are verified, the
 * 32-bit hash of the page bytes. A load or get that succeeds is checked:
 *   - the tag it returns must be the latest one for the key (bookkeeping:
 *     always on, even in fast mode);
 *   - the hash of the bytes the backend really decompressed must equal the
 *     hash of the bytes stored (skipped in fast mode).
 * A mismatch, or a hit where the kernel's rules say the page must miss
 * (after an invalidate, or after a miss: get-get coherency), is *stale*.
 * A persistent (swap) page whose only copy was in tmem and that cannot be
 * loaded is *lost*. Both are counted with the first few cases described.
 */

import { hashPage } from '../content/hash.js';
import type { PageOut } from '../content/page.js';

/** Where a swap slot's valid copy lives. */
export const enum Loc {
  None = 0,
  Tmem = 1,
  Disk = 2,
  /** Loaded exclusively: the only copy is the (dirty) page in RAM. */
  Ram = 4,
}

export interface OracleCounts {
  checked_loads: number;
  checked_gets: number;
  bytes_verified: number;
  stale: number;
  lost: number;
}

const MAX_EXAMPLES = 5;

class SlotTable {
  readonly tag: Float64Array;
  readonly hash: Uint32Array;
  readonly loc: Uint8Array;
  constructor(slots: number) {
    this.tag = new Float64Array(slots);
    this.hash = new Uint32Array(slots);
    this.loc = new Uint8Array(slots);
  }
}

interface CcRec {
  tag: number;
  hash: number;
}

export class Oracle {
  readonly counts: OracleCounts = { checked_loads: 0, checked_gets: 0, bytes_verified: 0, stale: 0, lost: 0 };
  readonly examples: string[] = [];
  private tagSeq = 0;
  private readonly slots: (SlotTable | null)[] = [];
  /** cleancache: (fs, inode) → index → latest put. */
  private readonly cc = new Map<number, Map<number, CcRec>>();

  constructor(readonly verifyBytes: boolean) {}

  nextTag(): number {
    return ++this.tagSeq;
  }

  /** Hash of page bytes for the record, or 0 in fast mode. */
  hashOf(bytes: Uint8Array): number {
    return this.verifyBytes ? hashPage(bytes) : 0;
  }

  private violation(kind: 'stale' | 'lost', what: string): void {
    this.counts[kind]++;
    if (this.examples.length < MAX_EXAMPLES) this.examples.push(`${kind}: ${what}`);
  }

  get violations(): number {
    return this.counts.stale + this.counts.lost;
  }

  // ---- swap slots ----------------------------------------------------------
  swapon(type: number, slots: number): void {
    this.slots[type] = new SlotTable(slots);
  }
  swapoff(type: number): void {
    this.slots[type] = null;
  }

  /** A page was written to a slot: its copies are now where `loc` says. */
  slotStored(type: number, off: number, tag: number, hash: number, loc: number): void {
    const s = this.slots[type]!;
    s.tag[off] = tag;
    s.hash[off] = hash;
    s.loc[off] = loc;
  }

  slotLoc(type: number, off: number): number {
    return this.slots[type]?.loc[off] ?? Loc.None;
  }

  slotTag(type: number, off: number): number {
    return this.slots[type]?.tag[off] ?? 0;
  }

  /** The slot's copies moved (e.g. exclusive load: only RAM holds it now). */
  slotMoved(type: number, off: number, loc: number): void {
    const s = this.slots[type];
    if (s) s.loc[off] = loc;
  }

  /** The slot was freed: nothing may be loaded from it any more. */
  slotFreed(type: number, off: number): void {
    const s = this.slots[type];
    if (s) s.loc[off] = Loc.None;
  }

  /** Check a successful frontswap load. Returns false on a violation. */
  checkLoad(type: number, off: number, out: PageOut): boolean {
    this.counts.checked_loads++;
    const s = this.slots[type];
    if (!s || (s.loc[off]! & Loc.Tmem) === 0) {
      this.violation('stale', `frontswap load of type ${type} offset ${off} hit, but no copy should be in tmem`);
      return false;
    }
    if (out.tag !== s.tag[off]) {
      this.violation('stale', `frontswap load of type ${type} offset ${off} returned version ${out.tag}, latest is ${s.tag[off]}`);
      return false;
    }
    if (this.verifyBytes && out.filled) {
      this.counts.bytes_verified++;
      if (hashPage(out.bytes) !== s.hash[off]) {
        this.violation('stale', `frontswap load of type ${type} offset ${off} returned other bytes than stored`);
        return false;
      }
    }
    return true;
  }

  /**
   * A frontswap load missed. Returns where the page can still come from
   * (Disk or Ram), or None when the page is lost (its only copy was in tmem).
   */
  loadMissed(type: number, off: number, why: string): number {
    const loc = this.slotLoc(type, off);
    if (loc & Loc.Disk) return Loc.Disk;
    if (loc & Loc.Ram) return Loc.Ram;
    if (loc & Loc.Tmem) {
      this.violation('lost', `swap page type ${type} offset ${off} (version ${this.slotTag(type, off)}) ${why}`);
      this.slots[type]!.loc[off] = Loc.None;
    }
    return Loc.None;
  }

  /** A persistent page known to be in tmem disappeared outside a load (e.g. a node died). */
  lostSlot(type: number, off: number, why: string): void {
    const s = this.slots[type];
    if (!s || (s.loc[off]! & Loc.Tmem) === 0) return;
    s.loc[off] = s.loc[off]! & ~Loc.Tmem;
    if (s.loc[off] === Loc.None) this.violation('lost', `swap page type ${type} offset ${off} ${why}`);
  }

  /** Slots the oracle believes are held by tmem (for the end-of-run audit). */
  tmemSlots(type: number): number {
    const s = this.slots[type];
    if (!s) return 0;
    let n = 0;
    for (let i = 0; i < s.loc.length; i++) if (s.loc[i]! & Loc.Tmem) n++;
    return n;
  }

  // ---- cleancache -----------------------------------------------------------
  private static ccKey(fs: number, inode: number): number {
    return fs * 2 ** 27 + inode;
  }

  ccPut(fs: number, inode: number, index: number, tag: number, hash: number): void {
    const k = Oracle.ccKey(fs, inode);
    let m = this.cc.get(k);
    if (!m) {
      m = new Map();
      this.cc.set(k, m);
    }
    const r = m.get(index);
    if (r) {
      r.tag = tag;
      r.hash = hash;
    } else m.set(index, { tag, hash });
  }

  /** Check a successful get. */
  ccCheckGet(fs: number, inode: number, index: number, out: PageOut): boolean {
    this.counts.checked_gets++;
    const r = this.cc.get(Oracle.ccKey(fs, inode))?.get(index);
    const where = `cleancache get fs ${fs} inode ${inode} index ${index}`;
    if (!r) {
      this.violation('stale', `${where} hit after an invalidate or a miss (must miss until the next put)`);
      return false;
    }
    if (out.tag !== r.tag) {
      this.violation('stale', `${where} returned version ${out.tag}, latest put is ${r.tag}`);
      return false;
    }
    if (this.verifyBytes && out.filled) {
      this.counts.bytes_verified++;
      if (hashPage(out.bytes) !== r.hash) {
        this.violation('stale', `${where} returned other bytes than put`);
        return false;
      }
    }
    return true;
  }

  /** A get missed, or the page was invalidated: later gets must miss until a put. */
  ccDrop(fs: number, inode: number, index: number): void {
    const k = Oracle.ccKey(fs, inode);
    const m = this.cc.get(k);
    if (m && m.delete(index) && m.size === 0) this.cc.delete(k);
  }

  ccDropInode(fs: number, inode: number): void {
    this.cc.delete(Oracle.ccKey(fs, inode));
  }

  ccDropFs(fs: number): void {
    const lo = fs * 2 ** 27;
    const hi = lo + 2 ** 27;
    for (const k of this.cc.keys()) if (k >= lo && k < hi) this.cc.delete(k);
  }

  /** Every cleancache expectation is void (the backend went away). */
  ccDropAll(): void {
    this.cc.clear();
  }
}
