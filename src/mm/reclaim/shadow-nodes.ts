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
 * leaf node); the xarray's inner nodes are not modelled. As the xarray's leaf
 * holds its slots, a node here holds its shadows: the first in its own record
 * (a node of one page, as a trace of scattered pages makes, keeps everything
 * in one record), more in a block of 64 values the node takes when a second
 * shadow arrives. So a fill reads a refaulting page's shadow from the node it
 * looks up anyway, and the shrinker frees a node with its shadows without
 * touching the page cache's table (Memory's page key → page id, which holds
 * resident pages only). Anonymous pages'
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

/**
 * A node's record, 32 bytes (one 32-byte half of a cache line, so one node is one line to
 * touch), seen as bytes, 32-bit words and float64s:
 *   bytes 0-2: present pages, shadows held, the slot of the shadow held in the record (ONE_NONE: none);
 *   words 1-3: its prev and next on the shadow-node list, its block of shadows (NIL: none);
 *   float64s 2-3: its node key, the value of the shadow held in the record.
 * A node holds its shadows in the record (at most one) or, once it has had two at a time, all
 * of them in its block (64 values by slot, -1 for none) until it holds none again.
 */
const BYTES = 32;
const PAGES = 0;
const SHADOWS = 1;
const ONE = 2;
const ONE_NONE = 255;
const WORDS = BYTES / 4;
const PREV = 1;
const NEXT = 2;
const BLOCK = 3;
const F64S = BYTES / 8;
const KEY = 2;
const VALUE = 3;

/** A page key's slot in its node: key % 64 without V8's fmod call for a key beyond int32 (exact below 2^53). */
function slotOf(key: number): number {
  return key - Math.floor(key / NODE_SLOTS) * NODE_SLOTS;
}

export class ShadowNodes {
  /** Shadow entries held. */
  private count = 0;
  /** Node index by node key (floor(page key / 64)). */
  private readonly nodeOf = new KeyMap();
  /** The node records (BYTES a node), as bytes, 32-bit words and float64s of one buffer. */
  private b = new Uint8Array(64 * BYTES);
  private w = new Int32Array(this.b.buffer);
  private f = new Float64Array(this.b.buffer);
  private freeNodes: number[] = [];
  private nextNode = 0;
  /** The nodes' blocks of shadows: 64 values a block, by slot (-1: none). */
  private blocks = new Float64Array(4 * NODE_SLOTS);
  private freeBlocks: number[] = [];
  private nextBlock = 0;
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
    return this.count;
  }

  /**
   * A page entered its node (a page-cache fill without a shadow lookup). Returns the node: it
   * stays while the page is present, so the caller may keep it for pageOut and evicted.
   */
  pageIn(key: number): number {
    const n = this.nodeAt(key);
    this.b[n * BYTES + PAGES]!++;
    this.settle(n);
    return n;
  }

  /** The page at `key` of node `n` left without a shadow (truncation, umount). */
  pageOut(n: number, key: number): void {
    this.b[n * BYTES + PAGES]!--;
    this.dropShadow(n, key);
    this.settle(n);
  }

  /** workingset_eviction: the page at `key` of node `n` left RAM and its slot holds the shadow `value` (>= 0) now. */
  evicted(n: number, key: number, value: number): void {
    const b = this.b;
    const e = n * BYTES;
    b[e + PAGES]!--;
    const slot = slotOf(key);
    let blk = this.w[n * WORDS + BLOCK]!;
    if (blk === NIL && b[e + ONE] === ONE_NONE) {
      b[e + ONE] = slot;
      this.f[n * F64S + VALUE] = value;
    } else {
      if (blk === NIL) {
        // A second shadow: the node takes a block, and the record's shadow moves into it.
        blk = this.newBlock();
        this.w[n * WORDS + BLOCK] = blk;
        this.blocks[blk * NODE_SLOTS + b[e + ONE]!] = this.f[n * F64S + VALUE]!;
        b[e + ONE] = ONE_NONE;
      }
      this.blocks[blk * NODE_SLOTS + slot] = value;
    }
    b[e + SHADOWS]!++;
    this.count++;
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
    this.b[n * BYTES + PAGES]!++;
    this.settle(n);
    this.node = n;
    return v;
  }

  /** The shadow held for `key`, or -1 (a lookup that changes nothing). */
  shadowOf(key: number): number {
    const n = this.nodeOf.get(Math.floor(key / NODE_SLOTS));
    return n < 0 ? -1 : this.valueAt(n, slotOf(key));
  }

  private isListed(n: number): boolean {
    return this.w[n * WORDS + PREV] !== NIL || this.head === n;
  }

  /** The shadow in slot `slot` of node `n`, or -1. */
  private valueAt(n: number, slot: number): number {
    const blk = this.w[n * WORDS + BLOCK]!;
    if (blk !== NIL) return this.blocks[blk * NODE_SLOTS + slot]!;
    return this.b[n * BYTES + ONE] === slot ? this.f[n * F64S + VALUE]! : -1;
  }

  /** Removes the shadow at `key` of node `n`; its value, or -1 when there was none. */
  private dropShadow(n: number, key: number): number {
    const e = n * BYTES;
    if (this.b[e + SHADOWS] === 0) return -1;
    const slot = slotOf(key);
    const v = this.valueAt(n, slot);
    if (v < 0) return -1;
    const blk = this.w[n * WORDS + BLOCK]!;
    if (blk !== NIL) this.blocks[blk * NODE_SLOTS + slot] = -1;
    else this.b[e + ONE] = ONE_NONE;
    this.count--;
    if (--this.b[e + SHADOWS]! === 0 && blk !== NIL) this.freeBlock(n);
    return v;
  }

  /** Drops every shadow of node `n`. */
  private dropShadows(n: number): void {
    const e = n * BYTES;
    this.count -= this.b[e + SHADOWS]!;
    this.b[e + SHADOWS] = 0;
    this.b[e + ONE] = ONE_NONE;
    if (this.w[n * WORDS + BLOCK] !== NIL) this.freeBlock(n);
  }

  private newBlock(): number {
    let blk = this.freeBlocks.pop();
    if (blk === undefined) {
      blk = this.nextBlock++;
      if (blk * NODE_SLOTS >= this.blocks.length) this.blocks = grown(this.blocks, this.blocks.length * 2);
    }
    this.blocks.fill(-1, blk * NODE_SLOTS, (blk + 1) * NODE_SLOTS);
    return blk;
  }

  private freeBlock(n: number): void {
    this.freeBlocks.push(this.w[n * WORDS + BLOCK]!);
    this.w[n * WORDS + BLOCK] = NIL;
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
      if (this.b[n * BYTES + PAGES] === 0) this.release(n);
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
    const e = n * BYTES;
    this.b[e + PAGES] = 0;
    this.b[e + SHADOWS] = 0;
    this.b[e + ONE] = ONE_NONE;
    const w = this.w;
    w[n * WORDS + PREV] = NIL;
    w[n * WORDS + NEXT] = NIL;
    w[n * WORDS + BLOCK] = NIL;
    this.f[n * F64S + KEY] = nk;
    map.set(nk, n);
    return n;
  }

  private newNode(): number {
    const n = this.nextNode++;
    if (n * BYTES >= this.b.length) {
      this.b = grown(this.b, this.b.length * 2);
      this.w = new Int32Array(this.b.buffer);
      this.f = new Float64Array(this.b.buffer);
    }
    return n;
  }

  /** workingset_update_node: on the list iff all its entries are shadows; freed when it holds nothing. */
  private settle(n: number): void {
    const listed = this.isListed(n);
    const empty = this.b[n * BYTES + PAGES] === 0;
    if (empty && this.b[n * BYTES + SHADOWS] !== 0) {
      if (!listed) this.enlist(n);
    } else {
      if (listed) this.unlist(n);
      if (empty) this.release(n);
    }
  }

  private enlist(n: number): void {
    const w = this.w;
    w[n * WORDS + PREV] = this.tail;
    w[n * WORDS + NEXT] = NIL;
    if (this.tail === NIL) this.head = n;
    else w[this.tail * WORDS + NEXT] = n;
    this.tail = n;
    this.listed++;
  }

  private unlist(n: number): void {
    const w = this.w;
    const p = w[n * WORDS + PREV]!;
    const x = w[n * WORDS + NEXT]!;
    if (p === NIL) this.head = x;
    else w[p * WORDS + NEXT] = x;
    if (x === NIL) this.tail = p;
    else w[x * WORDS + PREV] = p;
    w[n * WORDS + PREV] = NIL;
    w[n * WORDS + NEXT] = NIL;
    this.listed--;
  }

  private release(n: number): void {
    this.nodeOf.delete(this.f[n * F64S + KEY]!);
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
