/**
 * Intrusive doubly-linked LRU lists over integer page ids, in typed arrays.
 * Several lists share one id space (a page is on at most one list). The head
 * is the least recently used end; touch() moves a page to the tail.
 *
 * A page's links and list sit side by side (links[4 * id ..]: prev, next,
 * list), so moving a page reads one cache line of it, not three.
 */

import { grown } from '../arrays.js';

const NIL = -1;
/** Int32s a page takes in `links`: prev, next, list, and one unused to keep an entry within a cache line. */
const STRIDE = 4;
const PREV = 0;
const NEXT = 1;
const LIST = 2;

export class LruLists {
  /** Per page: [prev, next, list (-1: on none), unused]; NIL everywhere for a page on no list. */
  private links: Int32Array;
  private readonly heads: Int32Array;
  private readonly tails: Int32Array;
  readonly sizes: Int32Array;

  constructor(lists: number, capacity = 1024) {
    this.links = new Int32Array(capacity * STRIDE).fill(NIL);
    this.heads = new Int32Array(lists).fill(NIL);
    this.tails = new Int32Array(lists).fill(NIL);
    this.sizes = new Int32Array(lists);
  }

  /** Make room for ids below `n`. */
  ensure(n: number): void {
    let cap = this.links.length / STRIDE;
    if (n <= cap) return;
    while (cap < n) cap *= 2;
    this.links = grown(this.links, cap * STRIDE, NIL);
  }

  listOf(id: number): number {
    return this.links[id * STRIDE + LIST]!;
  }

  head(l: number): number {
    return this.heads[l]!;
  }

  // duplicates: push and pushHead below are alike: kernel-shaped, list_add_tail and list_add of include/linux/list.h.
  /** Append at the MRU end of list l. */
  push(l: number, id: number): void {
    const k = this.links;
    const t = this.tails[l]!;
    const e = id * STRIDE;
    k[e + PREV] = t;
    k[e + NEXT] = NIL;
    k[e + LIST] = l;
    if (t === NIL) this.heads[l] = id;
    else k[t * STRIDE + NEXT] = id;
    this.tails[l] = id;
    this.sizes[l]!++;
  }

  /** Insert at the LRU end (the head) of list l: lruvec_add_folio_tail. */
  pushHead(l: number, id: number): void {
    const k = this.links;
    const h = this.heads[l]!;
    const e = id * STRIDE;
    k[e + PREV] = NIL;
    k[e + NEXT] = h;
    k[e + LIST] = l;
    if (h === NIL) this.tails[l] = id;
    else k[h * STRIDE + PREV] = id;
    this.heads[l] = id;
    this.sizes[l]!++;
  }

  remove(id: number): void {
    const k = this.links;
    const e = id * STRIDE;
    const l = k[e + LIST]!;
    if (l < 0) return;
    const p = k[e + PREV]!;
    const n = k[e + NEXT]!;
    if (p === NIL) this.heads[l] = n;
    else k[p * STRIDE + NEXT] = n;
    if (n === NIL) this.tails[l] = p;
    else k[n * STRIDE + PREV] = p;
    k[e + PREV] = NIL;
    k[e + NEXT] = NIL;
    k[e + LIST] = NIL;
    this.sizes[l]!--;
  }

  /** Move to the MRU end of its list. */
  touch(id: number): void {
    const l = this.links[id * STRIDE + LIST]!;
    if (l < 0 || this.tails[l] === id) return;
    this.remove(id);
    this.push(l, id);
  }
}
