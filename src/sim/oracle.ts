/**
 * The coherency oracle: it knows the bytes last stored under every key and
 * checks every successful load and get against them.
 *
 * Every store, put or write is stamped with a fresh tag (a version number the
 * backend carries opaquely beside the data) and recorded with its content
 * descriptor and, when bytes are verified and the class is one whose bytes
 * are costly to make (text, code, random, heap), the 32-bit hash of the page
 * bytes. A load or get that succeeds is checked:
 *   - the tag it returns must be the latest one for the key (bookkeeping:
 *     always on, even in fast mode);
 *   - the bytes the backend really decompressed must equal the bytes stored
 *     (skipped in fast mode): compared byte for byte with the descriptor's
 *     bytes made again when that is a memset or a copy (zero, fill, corpus,
 *     inline), else by hash.
 * A mismatch, or a hit where the kernel's rules say the page must miss
 * (after an invalidate, or after a miss: get-get coherency), is *stale*.
 * A persistent (swap) page whose only copy was in tmem and that cannot be
 * loaded is *lost*. Both are counted with the first few cases described.
 */

import { hashPage } from '../content/hash.js';
import type { Page, PageOut } from '../content/page.js';
import type { ContentSource } from '../content/source.js';
import { grown } from '../arrays.js';
import { KeyMap } from '../keymap.js';

// duplicates: alike in shape only to content/page.ts's Cls (a const enum): nothing in common.
/** Where a swap slot's valid copy lives. */
export const enum Loc {
  None = 0,
  Tmem = 1,
  Disk = 2,
  /** Loaded exclusively: the only copy is the (dirty) page in RAM. */
  Ram = 4,
  /** The page was counted lost (so the completeness check never counts it twice). */
  Lost = 8,
}

export interface OracleCounts {
  checked_loads: number;
  checked_gets: number;
  bytes_verified: number;
  stale: number;
  lost: number;
}

const MAX_EXAMPLES = 5;

/** Slots per SlotTable chunk: a chunk is allocated on the first write into it. */
const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;

class SlotChunk {
  readonly tag = new Float64Array(CHUNK);
  readonly desc = new Float64Array(CHUNK);
  readonly hash = new Uint32Array(CHUNK);
  readonly loc = new Uint8Array(CHUNK);
}

/**
 * One swap area's records, in chunks of 2^16 slots made on first write: a
 * large declared area costs memory only for the slots a run touches.
 */
class SlotTable {
  readonly chunks: (SlotChunk | undefined)[];
  constructor(readonly slots: number) {
    this.chunks = new Array<SlotChunk | undefined>(Math.ceil(slots / CHUNK));
  }
  /** The chunk of `off` (made if needed). */
  at(off: number): SlotChunk {
    const i = off >>> CHUNK_BITS;
    return (this.chunks[i] ??= new SlotChunk());
  }
  loc(off: number): number {
    return this.chunks[off >>> CHUNK_BITS]?.loc[off & (CHUNK - 1)] ?? Loc.None;
  }
  tag(off: number): number {
    return this.chunks[off >>> CHUNK_BITS]?.tag[off & (CHUNK - 1)] ?? 0;
  }
  setLoc(off: number, loc: number): void {
    const c = this.chunks[off >>> CHUNK_BITS];
    if (c !== undefined) c.loc[off & (CHUNK - 1)] = loc;
    else if (loc !== Loc.None) this.at(off).loc[off & (CHUNK - 1)] = loc;
  }
}

/** Where the oracle gets the bytes it checks against: the run's content source. */
type OracleContent = Pick<ContentSource, 'cheapBytes' | 'sameBytes' | 'hashOfPage'>;

export class Oracle {
  readonly counts: OracleCounts = { checked_loads: 0, checked_gets: 0, bytes_verified: 0, stale: 0, lost: 0 };
  readonly examples: string[] = [];
  private tagSeq = 0;
  private readonly slots: (SlotTable | null)[] = [];
  /** cleancache: the latest put of each (inode, index), by the fs's oracle key (Machine.ccKey). */
  private ccFs: (CcRecords | undefined)[] = [];

  constructor(
    readonly verifyBytes: boolean,
    private readonly content: OracleContent,
  ) {}

  nextTag(): number {
    return ++this.tagSeq;
  }

  /**
   * What a record keeps of a stamped page's bytes besides its desc: their
   * hash when they are verified and costly to make again (0 otherwise).
   */
  hashOf(page: Page): number {
    const c = this.content;
    if (!this.verifyBytes || c.cheapBytes(page.desc)) return 0;
    return c.hashOfPage(page);
  }

  /** Whether `bytes` are the bytes recorded as (desc, hash). */
  private sameBytes(desc: number, hash: number, bytes: Uint8Array): boolean {
    const c = this.content;
    return c.cheapBytes(desc) ? c.sameBytes(desc, bytes) : hashPage(bytes) === hash;
  }

  private violation(kind: 'stale' | 'lost', what: string): void {
    this.counts[kind]++;
    if (this.examples.length < MAX_EXAMPLES) this.examples.push(`${kind}: ${what}`);
  }

  // ---- swap slots ----------------------------------------------------------
  swapon(type: number, slots: number): void {
    this.slots[type] = new SlotTable(slots);
  }
  swapoff(type: number): void {
    this.slots[type] = null;
  }

  /** A page was written to a slot: its copies are now where `loc` says. */
  slotStored(type: number, off: number, tag: number, desc: number, hash: number, loc: number): void {
    const c = this.slots[type]!.at(off);
    const i = off & (CHUNK - 1);
    c.tag[i] = tag;
    c.desc[i] = desc;
    c.hash[i] = hash;
    c.loc[i] = loc;
  }

  slotLoc(type: number, off: number): number {
    return this.slots[type]?.loc(off) ?? Loc.None;
  }

  slotTag(type: number, off: number): number {
    return this.slots[type]?.tag(off) ?? 0;
  }

  /** The slot's copies moved (e.g. exclusive load: only RAM holds it now). */
  slotMoved(type: number, off: number, loc: number): void {
    this.slots[type]?.setLoc(off, loc);
  }

  /** The slot was freed: nothing may be loaded from it any more. */
  slotFreed(type: number, off: number): void {
    this.slots[type]?.setLoc(off, Loc.None);
  }

  /** A load's first check (counted): the records of the slot's chunk when the slot has a copy at `loc`, else null. */
  private chunkHolding(type: number, off: number, loc: Loc): SlotChunk | null {
    this.counts.checked_loads++;
    const s = this.slots[type]?.chunks[off >>> CHUNK_BITS];
    return s !== undefined && (s.loc[off & (CHUNK - 1)]! & loc) !== 0 ? s : null;
  }

  /** Check a successful frontswap load. Returns false on a violation. */
  checkLoad(type: number, off: number, out: PageOut): boolean {
    const s = this.chunkHolding(type, off, Loc.Tmem);
    const i = off & (CHUNK - 1);
    if (s === null) {
      this.violation('stale', `frontswap load of type ${type} offset ${off} hit, but no copy should be in tmem`);
      return false;
    }
    if (out.tag !== s.tag[i]) {
      this.violation('stale', `frontswap load of type ${type} offset ${off} returned version ${out.tag}, latest is ${s.tag[i]}`);
      return false;
    }
    if (this.verifyBytes && out.filled) {
      this.counts.bytes_verified++;
      if (!this.sameBytes(s.desc[i]!, s.hash[i]!, out.bytes)) {
        this.violation('stale', `frontswap load of type ${type} offset ${off} returned other bytes than stored`);
        return false;
      }
    }
    return true;
  }

  /**
   * A swap-in the swap core served from its zeromap (6.12+): the slot's latest page must have
   * been all zeros, as the page now is (its bytes are checked when verifying). Returns false on
   * a violation.
   */
  checkZeroRead(type: number, off: number, zeros: Uint8Array): boolean {
    const s = this.chunkHolding(type, off, Loc.Disk);
    const i = off & (CHUNK - 1);
    if (s === null) {
      this.violation('stale', `swap page type ${type} offset ${off} was read from the zeromap, but the slot holds no page`);
      return false;
    }
    if (this.verifyBytes) {
      this.counts.bytes_verified++;
      if (!this.sameBytes(s.desc[i]!, s.hash[i]!, zeros)) {
        this.violation('stale', `swap page type ${type} offset ${off} was read from the zeromap as zeros, but its latest version (${s.tag[i]}) is not all zeros`);
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
      this.slots[type]!.setLoc(off, Loc.Lost);
    }
    return Loc.None;
  }

  /** frontswap_invalidate_area: no slot of the area has a copy in tmem any more (disk copies stay). */
  areaInvalidated(type: number): void {
    const s = this.slots[type];
    if (!s) return;
    for (const c of s.chunks) {
      if (c === undefined) continue;
      const loc = c.loc;
      for (let i = 0; i < loc.length; i++) if (loc[i]! & Loc.Tmem) loc[i] = loc[i]! & ~Loc.Tmem;
    }
  }

  /**
   * The completeness check found a swapped-out page of the memory model with
   * no copy anywhere (not in frontswap, not on the swap device): lost, once.
   */
  lostOwned(type: number, off: number, why: string): void {
    const s = this.slots[type];
    if (!s || s.loc(off) & Loc.Lost) return;
    this.violation('lost', `swap page type ${type} offset ${off} (version ${s.tag(off)}) ${why}`);
    s.setLoc(off, Loc.Lost);
  }

  // ---- cleancache -----------------------------------------------------------
  ccPut(fs: number, inode: number, index: number, tag: number, desc: number, hash: number): void {
    (this.ccFs[fs] ??= new CcRecords(this.verifyBytes)).put(inode, index, tag, desc, hash);
  }

  /** Check a successful get. */
  ccCheckGet(fs: number, inode: number, index: number, out: PageOut): boolean {
    this.counts.checked_gets++;
    const recs = this.ccFs[fs];
    const slot = recs === undefined ? -1 : recs.slot(inode, index);
    if (slot < 0) {
      this.violation('stale', `${ccWhere(fs, inode, index)} hit after an invalidate or a miss (must miss until the next put)`);
      return false;
    }
    const tag = recs!.tag(slot);
    if (out.tag !== tag) {
      this.violation('stale', `${ccWhere(fs, inode, index)} returned version ${out.tag}, latest put is ${tag}`);
      return false;
    }
    if (this.verifyBytes && out.filled) {
      this.counts.bytes_verified++;
      if (!this.sameBytes(recs!.desc(slot), recs!.hash(slot), out.bytes)) {
        this.violation('stale', `${ccWhere(fs, inode, index)} returned other bytes than put`);
        return false;
      }
    }
    return true;
  }

  /** A get missed, or the page was invalidated: later gets must miss until a put. */
  ccDrop(fs: number, inode: number, index: number): void {
    this.ccFs[fs]?.drop(inode, index);
  }

  ccDropInode(fs: number, inode: number): void {
    this.ccFs[fs]?.dropInode(inode);
  }

  ccDropFs(fs: number): void {
    this.ccFs[fs] = undefined;
  }

  /** Cleancache records held: pages whose latest put a backend took (what the oracle's memory grows with). */
  ccRecords(): number {
    let n = 0;
    for (const recs of this.ccFs) if (recs !== undefined) n += recs.count;
    return n;
  }

  /** Every cleancache expectation is void (the backend went away). */
  ccDropAll(): void {
    this.ccFs = [];
  }
}

const NIL = -1;

/**
 * One filesystem's cleancache records (the key the oracle checks a pool's
 * pages under: a filesystem, or a shared pool's uuid): the latest put's tag
 * (tags start at 1), desc and hash of each (inode, index) with one, in
 * typed arrays with no object per record or per inode. A record is a slot:
 * found by its page key (inode * 2^20 + index, exact: inode < 2^27, index
 * < 2^20) in a KeyMap, and on its inode's list (prev, next; the head by
 * inode in another KeyMap) so that an inode's records drop without a walk of
 * the others. The lists are made on the first dropInode (from every record,
 * one walk) and kept from then on: a trace that never invalidates an inode
 * (an imported one) pays no probe of the heads' KeyMap on each put and drop.
 * desc and hash are kept only when bytes are verified. A freed slot is reused
 * (free list through `next`).
 */
class CcRecords {
  private readonly slotOf = new KeyMap();
  private readonly heads = new KeyMap();
  private cap = 64;
  /** Per slot: its page key, the latest put's tag and desc, its hash. */
  private key = new Float64Array(this.cap);
  private tags = new Float64Array(this.cap);
  private descs: Float64Array | null;
  private hashes: Uint32Array | null;
  /** Per slot: the previous and next slot of its inode's list (NIL: none); a free slot's next is the next free one. */
  private prev = new Int32Array(this.cap);
  private next = new Int32Array(this.cap);
  private freeHead = NIL;
  private used = 0;
  /** Whether the inodes' lists (prev, next, heads) are kept: from the first dropInode on. */
  private lists = false;

  constructor(private readonly keepBytes: boolean) {
    this.descs = keepBytes ? new Float64Array(this.cap) : null;
    this.hashes = keepBytes ? new Uint32Array(this.cap) : null;
  }

  /** Records held. */
  get count(): number {
    return this.slotOf.size;
  }

  /** The slot of (inode, index)'s record, or -1. */
  slot(inode: number, index: number): number {
    return this.slotOf.get(inode * 2 ** 20 + index);
  }

  tag(slot: number): number {
    return this.tags[slot]!;
  }
  desc(slot: number): number {
    return this.descs![slot]!;
  }
  hash(slot: number): number {
    return this.hashes![slot]!;
  }

  put(inode: number, index: number, tag: number, desc: number, hash: number): void {
    const k = inode * 2 ** 20 + index;
    // One probe: the slot alloc() will give is entered if the key has none.
    let s = this.slotOf.getOrSet(k, this.nextSlot());
    if (s < 0) {
      s = this.alloc();
      this.key[s] = k;
      if (this.lists) this.link(inode, s);
    }
    this.tags[s] = tag;
    if (this.keepBytes) {
      this.descs![s] = desc;
      this.hashes![s] = hash;
    }
  }

  /** Drops the record of (inode, index); false if there was none. */
  drop(inode: number, index: number): boolean {
    const s = this.slotOf.delete(inode * 2 ** 20 + index);
    if (s < 0) return false;
    if (this.lists) {
      const p = this.prev[s]!;
      const n = this.next[s]!;
      if (n >= 0) this.prev[n] = p;
      if (p >= 0) this.next[p] = n;
      else if (n >= 0) this.heads.set(inode, n);
      else this.heads.delete(inode);
    }
    this.release(s);
    return true;
  }

  /** Slot s, a new record of `inode`, at the head of the inode's list. */
  private link(inode: number, s: number): void {
    const h = this.heads.swap(inode, s);
    this.prev[s] = NIL;
    this.next[s] = h;
    if (h >= 0) this.prev[h] = s;
  }

  /** Drops every record of `inode`. */
  dropInode(inode: number): void {
    if (!this.lists) {
      // The first: every record goes on its inode's list, and the lists are kept from now on.
      this.lists = true;
      this.slotOf.forEach((k, s) => this.link(Math.floor(k / 2 ** 20), s));
    }
    let s = this.heads.delete(inode);
    while (s >= 0) {
      const n = this.next[s]!;
      this.slotOf.delete(this.key[s]!);
      this.release(s);
      s = n;
    }
  }

  /** The slot the next alloc() returns: the free list's head, else the next unused one. */
  private nextSlot(): number {
    return this.freeHead >= 0 ? this.freeHead : this.used;
  }

  private alloc(): number {
    const f = this.freeHead;
    if (f >= 0) {
      this.freeHead = this.next[f]!;
      return f;
    }
    const s = this.used++;
    if (s === this.cap) {
      const cap = (this.cap *= 2);
      this.key = grown(this.key, cap);
      this.tags = grown(this.tags, cap);
      this.prev = grown(this.prev, cap);
      this.next = grown(this.next, cap);
      if (this.keepBytes) {
        this.descs = grown(this.descs!, cap);
        this.hashes = grown(this.hashes!, cap);
      }
    }
    return s;
  }

  private release(s: number): void {
    this.next[s] = this.freeHead;
    this.freeHead = s;
  }
}

function ccWhere(fs: number, inode: number, index: number): string {
  return `cleancache get fs ${fs} inode ${inode} index ${index}`;
}

