/**
 * Shadow entries and the nodes that hold them, with the shadow-node shrinker
 * (Linux 6.1 mm/workingset.c: workingset_update_node, count_shadow_nodes,
 * scan_shadow_nodes / shadow_lru_isolate; mm/vmscan.c do_shrink_slab).
 *
 * In the kernel an evicted page's shadow entry stays in the slot the page
 * had in its mapping's xarray (the page cache, or the swap cache for
 * anonymous pages). An xarray node holds 64 slots; a node whose entries are
 * all shadows (node->count == node->nr_values) sits on the shadow_nodes
 * list_lru, oldest first. The shrinker counts those nodes beyond
 * max_nodes = (LRU pages + slab pages) >> (XA_CHUNK_SHIFT - 3), i.e. one
 * node per 8 pages, and frees the oldest whole nodes, dropping their shadows:
 * a later refault of those pages finds no shadow and is not activated. This
 * is what bounds the shadows a long stream of distinct pages leaves behind.
 *
 * This holds the page cache's shadows: a node is 64 consecutive page keys
 * (floor(fileKey / 64): 64 consecutive indexes of one file, as the kernel's
 * leaf node); the xarray's inner nodes are not modelled. Anonymous pages'
 * shadows (in the swap cache) are not here: a 6.1 guest's workingset_nodes
 * stays 0 while it refaults 100,000 anonymous pages from their shadows
 * (validation/references, limit20-zsmalloc), i.e. swap-cache nodes do not
 * reach the shadow-node list; they go when their swap slots are freed.
 */

import { KeyMap } from '../../keymap.js';
import { grown } from '../../arrays.js';

/** XA_CHUNK_SHIFT: 64 slots a node. */
const NODE_SHIFT = 6;
const NODE_SLOTS = 1 << NODE_SHIFT;
/** SHRINK_BATCH: the shadow shrinker sets no batch of its own. */
const SHRINK_BATCH = 128;
const NIL = -1;

export class ShadowNodes {
  /** Shadow values by page key. */
  private readonly shadows = new KeyMap();
  /** Node index by node key (floor(page key / 64)). */
  private readonly nodeOf = new KeyMap();
  // Per node: present pages, which of its 64 slots hold shadows (two 32-bit words; none set: no
  // shadows), its key, its links on the shadow-node list.
  private pages = new Int32Array(64);
  private bitsLo = new Uint32Array(64);
  private bitsHi = new Uint32Array(64);
  private nodeKey = new Float64Array(64);
  private prev = new Int32Array(64);
  private next = new Int32Array(64);
  private freeNodes: number[] = [];
  private nextNode = 0;
  /** The shadow-node list (shadow_nodes): nodes whose entries are all shadows, oldest at the head. */
  private head = NIL;
  private tail = NIL;
  /** Nodes on the list (list_lru_shrink_count). */
  listed = 0;
  /** shrinker->nr_deferred: scan work carried to the next call. */
  private deferred = 0;
  /** Nodes freed by the shrinker (WORKINGSET_NODERECLAIM). */
  reclaimed = 0;

  /** Shadow entries held. */
  get size(): number {
    return this.shadows.size;
  }

  /**
   * A page entered its node (a page-cache fill without a shadow lookup). Returns the node: it
   * stays while the page is present, so the caller may keep it for pageOut and evicted.
   */
  pageIn(key: number): number {
    const n = this.nodeAt(key);
    this.pages[n]!++;
    this.settle(n);
    return n;
  }

  /** The page at `key` of node `n` left without a shadow (truncation, umount). */
  pageOut(n: number, key: number): void {
    this.pages[n]!--;
    this.dropShadow(n, key);
    this.settle(n);
  }

  /** workingset_eviction: the page at `key` of node `n` left RAM and its slot holds `value` now. */
  evicted(n: number, key: number, value: number): void {
    this.pages[n]!--;
    const slot = key % NODE_SLOTS;
    if (slot < 32) this.bitsLo[n]! |= 1 << slot;
    else this.bitsHi[n]! |= 1 << (slot - 32);
    this.shadows.set(key, value);
    this.settle(n);
  }

  /** The node refault() counted its page into. */
  node = NIL;

  /**
   * The shadow of a page coming back (it is dropped: the page takes the slot), or -1. Counts
   * the page in; its node is left in `node`.
   */
  refault(key: number): number {
    const n = this.nodeAt(key);
    const v = this.dropShadow(n, key);
    this.pages[n]!++;
    this.settle(n);
    this.node = n;
    return v;
  }

  private isListed(n: number): boolean {
    return this.prev[n] !== NIL || this.head === n;
  }

  private hasShadows(n: number): boolean {
    return (this.bitsLo[n]! | this.bitsHi[n]!) !== 0;
  }

  /** Removes the shadow at `key` of node `n`; its value, or -1 when there was none. */
  private dropShadow(n: number, key: number): number {
    const slot = key % NODE_SLOTS;
    const bit = slot < 32 ? this.bitsLo[n]! & (1 << slot) : this.bitsHi[n]! & (1 << (slot - 32));
    if (!bit) return -1;
    if (slot < 32) this.bitsLo[n]! &= ~(1 << slot);
    else this.bitsHi[n]! &= ~(1 << (slot - 32));
    return this.shadows.delete(key);
  }

  /** Drops every shadow of node `n`. */
  private dropShadows(n: number): void {
    const base = this.nodeKey[n]! * NODE_SLOTS;
    for (let w = 0; w < 2; w++) {
      let bits = w === 0 ? this.bitsLo[n]! : this.bitsHi[n]!;
      while (bits !== 0) {
        const low = bits & -bits;
        this.shadows.delete(base + w * 32 + (31 - Math.clz32(low)));
        bits ^= low;
      }
    }
    this.bitsLo[n] = 0;
    this.bitsHi[n] = 0;
  }

  /**
   * Truncation of whole files (umount, the last close of a block device):
   * every node whose first page key `gone` names loses its shadows and its pages' counts.
   */
  truncate(gone: (pageKey: number) => boolean): void {
    for (const nk of this.nodeOf.keyList()) {
      if (!gone(nk * NODE_SLOTS)) continue;
      const n = this.nodeOf.get(nk);
      if (this.isListed(n)) this.unlist(n);
      this.dropShadows(n);
      if (this.pages[n] === 0) this.release(n);
    }
  }

  /**
   * The shrinker's pass in shrink_slab (do_shrink_slab with seeks = 0):
   * `freeable` nodes beyond max_nodes, half of them (plus the deferred work)
   * scanned in batches of 128 from the oldest, each scanned node freed with
   * its shadows. `lruAndSlabPages` is what count_shadow_nodes sums.
   */
  shrink(lruAndSlabPages: number): void {
    const maxNodes = Math.floor(lruAndSlabPages / 2 ** (NODE_SHIFT - 3));
    const freeable = this.listed > maxNodes ? this.listed - maxNodes : 0;
    if (freeable === 0) return;
    const nr = this.deferred;
    this.deferred = 0;
    const delta = Math.floor(freeable / 2);
    let total = Math.min(nr + delta, 2 * freeable);
    let scanned = 0;
    while (total >= SHRINK_BATCH || total >= freeable) {
      const batch = Math.min(SHRINK_BATCH, total);
      for (let i = 0; i < batch && this.head !== NIL; i++) this.freeNode(this.head);
      total -= batch;
      scanned += batch;
    }
    this.deferred = Math.min(Math.max(nr + delta - scanned, 0), 2 * freeable);
  }

  private nodeAt(key: number): number {
    const nk = Math.floor(key / NODE_SLOTS);
    const map = this.nodeOf;
    let n = map.get(nk);
    if (n >= 0) return n;
    n = this.freeNodes.pop() ?? this.newNode();
    this.pages[n] = 0;
    this.bitsLo[n] = 0;
    this.bitsHi[n] = 0;
    this.nodeKey[n] = nk;
    this.prev[n] = this.next[n] = NIL;
    map.set(nk, n);
    return n;
  }

  private newNode(): number {
    const n = this.nextNode++;
    if (n >= this.pages.length) {
      const cap = this.pages.length * 2;
      this.pages = grown(this.pages, cap);
      this.bitsLo = grown(this.bitsLo, cap);
      this.bitsHi = grown(this.bitsHi, cap);
      this.nodeKey = grown(this.nodeKey, cap);
      this.prev = grown(this.prev, cap);
      this.next = grown(this.next, cap);
    }
    return n;
  }

  /** workingset_update_node: on the list iff all its entries are shadows; freed when it holds nothing. */
  private settle(n: number): void {
    const listed = this.isListed(n);
    if (this.pages[n] === 0 && this.hasShadows(n)) {
      if (!listed) this.enlist(n);
    } else {
      if (listed) this.unlist(n);
      if (this.pages[n] === 0) this.release(n);
    }
  }

  private enlist(n: number): void {
    this.prev[n] = this.tail;
    this.next[n] = NIL;
    if (this.tail === NIL) this.head = n;
    else this.next[this.tail] = n;
    this.tail = n;
    this.listed++;
  }

  private unlist(n: number): void {
    const p = this.prev[n]!;
    const x = this.next[n]!;
    if (p === NIL) this.head = x;
    else this.next[p] = x;
    if (x === NIL) this.tail = p;
    else this.prev[x] = p;
    this.prev[n] = this.next[n] = NIL;
    this.listed--;
  }

  private release(n: number): void {
    this.nodeOf.delete(this.nodeKey[n]!);
    this.freeNodes.push(n);
  }

  /** shadow_lru_isolate: the node's shadows are dropped and the node freed. */
  private freeNode(n: number): void {
    this.unlist(n);
    this.dropShadows(n);
    this.release(n);
    this.reclaimed++;
  }
}

