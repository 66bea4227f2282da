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
 * leaf node); the xarray's inner nodes are not modelled. As in the kernel a
 * shadow sits in the slot its page had: given the page cache's slot table
 * (Memory's page key → page id), a shadow is the entry -2 - value under its
 * page's key (ids are >= 0, -1 is no entry). The host leaves an evicted
 * page's entry for evicted() to overwrite, and writes a refaulting page's id
 * over the shadow after refault() has read it: one probe of one table each
 * where a page and its shadow had a table each. Without a table given (unit
 * tests) the shadows keep a table of their own. Anonymous pages'
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
 * A node's record: eight 32-bit words (one 32-byte half of a cache line, so one node is one
 * line to touch): present pages, the two words of its shadow bitmap (bit i: slot i holds a
 * shadow; none set: no shadows), its prev and next on the shadow-node list, one unused, and
 * its node key as a float64 in words 6-7.
 */
const WORDS = 8;
const PAGES = 0;
const BITS_LO = 1;
const BITS_HI = 2;
const PREV = 3;
const NEXT = 4;
/** The node key's index in the float64 view (word 6). */
const KEY64 = 3;

/** A page key's slot in its node: key % 64 without V8's fmod call for a key beyond int32 (exact below 2^53). */
function slotOf(key: number): number {
  return key - Math.floor(key / NODE_SLOTS) * NODE_SLOTS;
}

/** A shadow value's entry in the slot table, and back (an involution: -2 - x). */
function entry(value: number): number {
  return -2 - value;
}

export class ShadowNodes {
  /** The slot table: shadow entries (entry(value)) by page key, beside the host's pages when shared. */
  private readonly shadows: KeyMap;
  /** The table is the host's page cache: the host writes and removes its pages' entries. */
  private readonly shared: boolean;
  /** Shadow entries held. */
  private count = 0;
  /** Node index by node key (floor(page key / 64)). */
  private readonly nodeOf = new KeyMap();
  /** The node records (WORDS int32s a node) and the same bytes as float64s (WORDS / 2 a node), for the key. */
  private w = new Int32Array(64 * WORDS);
  private f = new Float64Array(this.w.buffer);
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

  /** `pageCache`: the page cache's slot table (page key → page id >= 0), where the shadows then sit. */
  constructor(pageCache?: KeyMap) {
    this.shadows = pageCache ?? new KeyMap();
    this.shared = pageCache !== undefined;
  }

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
    this.w[n * WORDS + PAGES]!++;
    this.settle(n);
    return n;
  }

  /** The page at `key` of node `n` left without a shadow (truncation, umount). */
  pageOut(n: number, key: number): void {
    this.w[n * WORDS + PAGES]!--;
    this.dropShadow(n, key);
    this.settle(n);
  }

  /**
   * workingset_eviction: the page at `key` of node `n` left RAM and its slot holds `value` now
   * (__filemap_remove_folio with a shadow: over the page's own entry in a shared table).
   */
  evicted(n: number, key: number, value: number): void {
    const w = this.w;
    const e = n * WORDS;
    w[e + PAGES]!--;
    const slot = slotOf(key);
    if (slot < 32) w[e + BITS_LO]! |= 1 << slot;
    else w[e + BITS_HI]! |= 1 << (slot - 32);
    this.shadows.set(key, entry(value));
    this.count++;
    this.settle(n);
  }

  /** The node refault() counted its page into. */
  node = NIL;

  /**
   * The shadow of a page coming back (it is dropped: the page takes the slot, and in a shared
   * table the host writes the page's id over it next), or -1. Counts the page in; its node is
   * left in `node`.
   */
  refault(key: number): number {
    const n = this.nodeAt(key);
    const v = this.dropShadow(n, key);
    this.w[n * WORDS + PAGES]!++;
    this.settle(n);
    this.node = n;
    return v;
  }

  private isListed(n: number): boolean {
    return this.w[n * WORDS + PREV] !== NIL || this.head === n;
  }

  private hasShadows(n: number): boolean {
    return (this.w[n * WORDS + BITS_LO]! | this.w[n * WORDS + BITS_HI]!) !== 0;
  }

  /**
   * Removes the shadow at `key` of node `n`; its value, or -1 when there was none. In a shared
   * table the entry stays for the host to overwrite (a refault) or delete (a truncated page).
   */
  private dropShadow(n: number, key: number): number {
    const slot = slotOf(key);
    const at = n * WORDS + (slot < 32 ? BITS_LO : BITS_HI);
    const bit = 1 << (slot & 31);
    const bits = this.w[at]!;
    if (!(bits & bit)) return -1;
    this.w[at] = bits & ~bit;
    this.count--;
    return entry(this.shared ? this.shadows.get(key) : this.shadows.delete(key));
  }

  /** Drops every shadow of node `n`. */
  private dropShadows(n: number): void {
    const base = this.f[n * (WORDS / 2) + KEY64]! * NODE_SLOTS;
    const e = n * WORDS;
    for (let h = 0; h < 2; h++) {
      let bits = this.w[e + BITS_LO + h]!;
      while (bits !== 0) {
        const low = bits & -bits;
        this.shadows.delete(base + h * 32 + (31 - Math.clz32(low)));
        this.count--;
        bits ^= low;
      }
    }
    this.w[e + BITS_LO] = 0;
    this.w[e + BITS_HI] = 0;
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
      if (this.w[n * WORDS + PAGES] === 0) this.release(n);
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
    const w = this.w;
    const e = n * WORDS;
    w[e + PAGES] = 0;
    w[e + BITS_LO] = 0;
    w[e + BITS_HI] = 0;
    w[e + PREV] = NIL;
    w[e + NEXT] = NIL;
    this.f[n * (WORDS / 2) + KEY64] = nk;
    map.set(nk, n);
    return n;
  }

  private newNode(): number {
    const n = this.nextNode++;
    if (n * WORDS >= this.w.length) {
      this.w = grown(this.w, this.w.length * 2);
      this.f = new Float64Array(this.w.buffer);
    }
    return n;
  }

  /** workingset_update_node: on the list iff all its entries are shadows; freed when it holds nothing. */
  private settle(n: number): void {
    const listed = this.isListed(n);
    const empty = this.w[n * WORDS + PAGES] === 0;
    if (empty && this.hasShadows(n)) {
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
    this.nodeOf.delete(this.f[n * (WORDS / 2) + KEY64]!);
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

