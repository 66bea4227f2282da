/**
 * Intrusive doubly-linked LRU lists over integer page ids, in typed arrays.
 * Several lists share one id space (a page is on at most one list). The head
 * is the least recently used end; touch() moves a page to the tail.
 */

import { grown } from '../arrays.js';

const NIL = -1;

export class LruLists {
  private prev: Int32Array;
  private next: Int32Array;
  private list: Int8Array;
  private readonly heads: Int32Array;
  private readonly tails: Int32Array;
  readonly sizes: Int32Array;

  constructor(lists: number, capacity = 1024) {
    this.prev = new Int32Array(capacity).fill(NIL);
    this.next = new Int32Array(capacity).fill(NIL);
    this.list = new Int8Array(capacity).fill(-1);
    this.heads = new Int32Array(lists).fill(NIL);
    this.tails = new Int32Array(lists).fill(NIL);
    this.sizes = new Int32Array(lists);
  }

  /** Make room for ids below `n`. */
  ensure(n: number): void {
    if (n <= this.prev.length) return;
    let cap = this.prev.length;
    while (cap < n) cap *= 2;
    this.prev = grown(this.prev, cap, NIL);
    this.next = grown(this.next, cap, NIL);
    this.list = grown(this.list, cap, -1);
  }

  listOf(id: number): number {
    return this.list[id]!;
  }

  head(l: number): number {
    return this.heads[l]!;
  }

  // duplicates: push and pushHead below are alike: kernel-shaped, list_add_tail and list_add of include/linux/list.h.
  /** Append at the MRU end of list l. */
  push(l: number, id: number): void {
    const t = this.tails[l]!;
    this.prev[id] = t;
    this.next[id] = NIL;
    if (t === NIL) this.heads[l] = id;
    else this.next[t] = id;
    this.tails[l] = id;
    this.list[id] = l;
    this.sizes[l]!++;
  }

  /** Insert at the LRU end (the head) of list l: lruvec_add_folio_tail. */
  pushHead(l: number, id: number): void {
    const h = this.heads[l]!;
    this.prev[id] = NIL;
    this.next[id] = h;
    if (h === NIL) this.tails[l] = id;
    else this.prev[h] = id;
    this.heads[l] = id;
    this.list[id] = l;
    this.sizes[l]!++;
  }

  remove(id: number): void {
    const l = this.list[id]!;
    if (l < 0) return;
    const p = this.prev[id]!;
    const n = this.next[id]!;
    if (p === NIL) this.heads[l] = n;
    else this.next[p] = n;
    if (n === NIL) this.tails[l] = p;
    else this.prev[n] = p;
    this.prev[id] = NIL;
    this.next[id] = NIL;
    this.list[id] = -1;
    this.sizes[l]!--;
  }

  /** Move to the MRU end of its list. */
  touch(id: number): void {
    const l = this.list[id]!;
    if (l < 0 || this.tails[l] === id) return;
    this.remove(id);
    this.push(l, id);
  }
}
