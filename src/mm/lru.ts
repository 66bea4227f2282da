/**
 * LRU lists over integer page ids, in typed arrays. Several lists share one
 * id space (a page is on at most one list). The head is the least recently
 * used end; touch() moves a page to the tail.
 *
 * Each list is a ring of page ids in list order, head first (a deque: push
 * appends at the tail, pushHead inserts before the head), and each page knows
 * its list and the ring slot of its entry. remove() only marks the page off
 * its list: its entry stays in the ring, dead (the slot's page is on another
 * list, or on this one at another slot), and is skipped when the head reaches
 * it, or dropped when a full ring is compacted (the live entries copied in
 * order; the ring doubles when more than half of it is live, so a ring holds
 * at most about twice its list and a compaction is paid by as many pushes).
 *
 * Why not a doubly linked list (as the kernel's, and this file before): moving
 * a page off a list wrote its two neighbours' links, and taking pages from the
 * head (reclaim's isolate) followed a link per page; with a page's links in a
 * table of all pages, each was a cache miss at random, one after the other.
 * Here a removal writes the page's own two small fields, and the head is read
 * in ring order.
 */

import { grown } from '../arrays.js';
import { InvariantError } from '../errors.js';

const NIL = -1;
/** A ring's first size (a power of two). */
const MIN_RING = 16;

export class LruLists {
  /** Per page: its list (NIL: on none). */
  private listAt: Int8Array;
  /** Per page: the slot of its entry in its list's ring (meaningful while it is on a list). */
  private slotAt: Int32Array;
  /** Per list: its ring (a power of two long), the head's slot and the entries in use from it (live and dead). */
  private readonly rings: Int32Array[];
  private readonly fronts: Int32Array;
  private readonly counts: Int32Array;
  /** Per list: the pages on it. */
  readonly sizes: Int32Array;

  constructor(lists: number, capacity = 1024) {
    if (lists > 127) throw new Error('LruLists: at most 127 lists');
    this.listAt = new Int8Array(capacity).fill(NIL);
    this.slotAt = new Int32Array(capacity);
    this.rings = Array.from({ length: lists }, () => new Int32Array(MIN_RING));
    this.fronts = new Int32Array(lists);
    this.counts = new Int32Array(lists);
    this.sizes = new Int32Array(lists);
  }

  /** Make room for ids below `n`. */
  ensure(n: number): void {
    let cap = this.listAt.length;
    if (n <= cap) return;
    while (cap < n) cap *= 2;
    this.listAt = grown(this.listAt, cap, NIL);
    this.slotAt = grown(this.slotAt, cap);
  }

  listOf(id: number): number {
    return this.listAt[id]!;
  }

  /** The page at the LRU end of list l, or NIL when it is empty (dead entries before it are dropped). */
  head(l: number): number {
    if (this.sizes[l] === 0) {
      this.fronts[l] = 0;
      this.counts[l] = 0;
      return NIL;
    }
    const r = this.rings[l]!;
    const mask = r.length - 1;
    let f = this.fronts[l]!;
    let c = this.counts[l]!;
    for (;;) {
      const id = r[f]!;
      if (this.listAt[id] === l && this.slotAt[id] === f) break;
      f = (f + 1) & mask;
      c--;
    }
    this.fronts[l] = f;
    this.counts[l] = c;
    return r[f]!;
  }

  /** Writes up to `max` pages from the LRU end of list l into `out` (changing nothing); returns how many. */
  peekFront(l: number, out: Int32Array, max: number): number {
    const r = this.rings[l]!;
    const mask = r.length - 1;
    const f = this.fronts[l]!;
    const c = this.counts[l]!;
    let k = 0;
    for (let i = 0; i < c && k < max; i++) {
      const s = (f + i) & mask;
      const id = r[s]!;
      if (this.listAt[id] === l && this.slotAt[id] === s) out[k++] = id;
    }
    return k;
  }

  // duplicates: push and pushHead below are alike: kernel-shaped, list_add_tail and list_add of include/linux/list.h.
  /** Append at the MRU end of list l. */
  push(l: number, id: number): void {
    if (this.listAt[id] !== NIL) onTwoLists(id);
    let r = this.rings[l]!;
    if (this.counts[l] === r.length) r = this.makeRoom(l);
    const s = (this.fronts[l]! + this.counts[l]!) & (r.length - 1);
    r[s] = id;
    this.listAt[id] = l;
    this.slotAt[id] = s;
    this.counts[l]!++;
    this.sizes[l]!++;
  }

  /** Insert at the LRU end (the head) of list l: lruvec_add_folio_tail. */
  pushHead(l: number, id: number): void {
    if (this.listAt[id] !== NIL) onTwoLists(id);
    let r = this.rings[l]!;
    if (this.counts[l] === r.length) r = this.makeRoom(l);
    const s = (this.fronts[l]! - 1) & (r.length - 1);
    r[s] = id;
    this.listAt[id] = l;
    this.slotAt[id] = s;
    this.fronts[l] = s;
    this.counts[l]!++;
    this.sizes[l]!++;
  }

  remove(id: number): void {
    const l = this.listAt[id]!;
    if (l < 0) return;
    this.listAt[id] = NIL;
    if (--this.sizes[l]! === 0) {
      // Nothing live is left: every entry is dead.
      this.fronts[l] = 0;
      this.counts[l] = 0;
      return;
    }
    // The MRU end's entry (a touch's, or a page taken back): drop it and the dead entries before it.
    const r = this.rings[l]!;
    const mask = r.length - 1;
    const f = this.fronts[l]!;
    let c = this.counts[l]!;
    if (this.slotAt[id] !== ((f + c - 1) & mask)) return;
    for (;;) {
      c--;
      const last = (f + c - 1) & mask;
      const x = r[last]!;
      if (this.listAt[x] === l && this.slotAt[x] === last) break;
    }
    this.counts[l] = c;
  }

  /** Move to the MRU end of its list. */
  touch(id: number): void {
    const l = this.listAt[id]!;
    if (l < 0) return;
    const r = this.rings[l]!;
    if (this.slotAt[id] === ((this.fronts[l]! + this.counts[l]! - 1) & (r.length - 1))) return;
    this.remove(id);
    this.push(l, id);
  }

  /**
   * List l's ring is full: its live entries, in order, into a new ring from slot 0, twice as long
   * when more than half of the old one was live. Returns the new ring.
   */
  private makeRoom(l: number): Int32Array {
    const r = this.rings[l]!;
    const mask = r.length - 1;
    const live = this.sizes[l]!;
    const n = new Int32Array(live * 2 > r.length ? r.length * 2 : r.length);
    // Live entries are found by the slots they had, so no page's slot changes before all are copied.
    let j = 0;
    for (let c = this.counts[l]!, f = this.fronts[l]!; c > 0; c--, f = (f + 1) & mask) {
      const id = r[f]!;
      if (this.listAt[id] === l && this.slotAt[id] === f) n[j++] = id;
    }
    for (let k = 0; k < j; k++) this.slotAt[n[k]!] = k;
    this.rings[l] = n;
    this.fronts[l] = 0;
    this.counts[l] = j;
    return n;
  }
}

/** A page added to a list while it is on one: the model's accounting broke (never silent: the list would walk forever). */
function onTwoLists(id: number): never {
  throw new InvariantError(`LRU: page ${id} added to a list while it is on one`);
}
