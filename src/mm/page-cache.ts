/**
 * The page cache's slots: the mappings' xarrays (page key → page id of each
 * resident page-cache page), with the shadow entries evicted pages leave in
 * their slots and the shadow-node shrinker (Linux 6.1 mm/filemap.c
 * __filemap_add_folio / __filemap_remove_folio, mm/workingset.c:
 * workingset_update_node, count_shadow_nodes, scan_shadow_nodes /
 * shadow_lru_isolate; mm/vmscan.c do_shrink_slab).
 *
 * In the kernel an evicted page's shadow entry stays in the slot the page
 * had in its mapping's xarray. An xarray leaf node holds 64 slots; a node
 * whose entries are all shadows (node->count == node->nr_values) sits on
 * the shadow_nodes list_lru, oldest first. The shrinker counts those nodes
 * beyond max_nodes = (LRU pages + slab pages) >> (XA_CHUNK_SHIFT - 3), i.e.
 * one node per 8 pages, and frees the oldest whole nodes, dropping their
 * shadows: a later refault of those pages finds no shadow and is not
 * activated. This is what bounds the shadows a long stream of distinct pages
 * leaves behind.
 *
 * Here a node is 64 consecutive page keys (floor(fileKey / 64): 64
 * consecutive indexes of one file, as the kernel's leaf node); the xarray's
 * inner nodes are not modelled. One table maps a node key to its node, so a
 * lookup, a fill, an eviction and the shrinker's free each probe one table
 * once. A node holding one resident page and nothing else (what a trace of
 * scattered pages makes of nearly every node) is that table entry alone: the
 * page's id and slot, no record. Any other node has a record (its counts and
 * its entries: one in the record, more in a block of 64 by slot, as the
 * xarray's leaf holds its slots); the shadow-node list holds records by
 * number, in an LruLists ring. An entry is a
 * page id (>= 0) or a shadow (a value v >= 0 the reclaim policy gives, held as
 * -2 - v; -1: an empty slot). Anonymous pages' shadows (in the swap cache) are
 * not here: a 6.1 guest's workingset_nodes stays 0 while it refaults 100,000
 * anonymous pages from their shadows (validation/references,
 * limit20-zsmalloc), i.e. swap-cache nodes do not reach the shadow-node list;
 * the policy keeps them and they go when their swap slots are freed.
 */

import { KeyMap } from '../keymap.js';
import { grown } from '../arrays.js';
import { LruLists } from './lru.js';

/** XA_CHUNK_SHIFT: 64 slots a node. */
const NODE_SHIFT = 6;
const NODE_SLOTS = 1 << NODE_SHIFT;
/** SHRINK_BATCH: the shadow shrinker sets no batch of its own. */
const SHRINK_BATCH = 128;
const NIL = -1;
/** An empty slot's entry. */
const EMPTY = -1;
/** The shadow-node list's number in its LruLists. */
const SHADOW_NODES = 0;

/**
 * A node record, 32 bytes (one 32-byte half of a cache line, so one node is one line to
 * touch), seen as bytes, 32-bit words and float64s:
 *   bytes 0-2: present pages, shadows held, the slot of the entry held in the record (ONE_NONE: none);
 *   word 3: its block of entries (NIL: none);
 *   float64s 2-3: its node key, the entry held in the record.
 * A node holds its entries in the record (at most one) or, once it has had two at a time, all
 * of them in its block (64 entries by slot) until it holds one or none again.
 */
const BYTES = 32;
const PAGES = 0;
const SHADOWS = 1;
const ONE = 2;
const ONE_NONE = 255;
const WORDS = BYTES / 4;
const BLOCK = 3;
const F64S = BYTES / 8;
const KEY = 2;
const ENTRY = 3;

/** x % 64 without V8's fmod call for an x beyond int32 (exact below 2^53). */
function slotOf(x: number): number {
  return x - Math.floor(x / NODE_SLOTS) * NODE_SLOTS;
}

/** A shadow value's entry, and back (an involution: -2 - x). */
function shadowEntry(value: number): number {
  return -2 - value;
}

export class PageCache {
  /**
   * Node key → the node: a lone page's id * 64 + its slot (>= 0), or -2 - its record
   * (every other node).
   */
  private readonly nodes = new KeyMap();
  /** Resident pages. */
  size = 0;
  /** Shadow entries held. */
  shadows = 0;
  /** The node records (BYTES a record), as bytes, 32-bit words and float64s of one buffer. */
  private b = new Uint8Array(64 * BYTES);
  private w = new Int32Array(this.b.buffer);
  private f = new Float64Array(this.b.buffer);
  private freeRecords: number[] = [];
  private nextRecord = 0;
  /** The records' blocks: 64 entries a block, by slot. */
  private blocks = new Float64Array(4 * NODE_SLOTS);
  private freeBlocks: number[] = [];
  private nextBlock = 0;
  /** The shadow-node list (shadow_nodes): records of nodes whose entries are all shadows, oldest at the LRU end. */
  private readonly list = new LruLists(1, 64);
  /** Nodes on the list (list_lru_shrink_count). */
  get listed(): number {
    return this.list.sizes[SHADOW_NODES]!;
  }
  /** shrinker->nr_deferred: scan work carried to the next call. */
  private deferred = 0;
  /** Nodes freed by the shrinker (WORKINGSET_NODERECLAIM). */
  reclaimed = 0;
  /** The shrinker's batch of records (reused). */
  private readonly batchRecords = new Int32Array(SHRINK_BATCH);
  /** Where the read-ahead of table slots leaves its reads' sum, so that they are not optimized away. */
  warmSink = 0;

  /**
   * Reads the table slot `key`'s node hashes to, changing nothing: a batch of these before the
   * batch's operations lets the CPU fetch their cache lines at once (KeyMap.touch).
   */
  touch(key: number): number {
    return this.nodes.touch(Math.floor(key / NODE_SLOTS));
  }

  /** The id of the page at `key`, or -1 when none is resident. */
  get(key: number): number {
    const nk = Math.floor(key / NODE_SLOTS);
    const v = this.nodes.get(nk);
    if (v === -1) return -1;
    const slot = key - nk * NODE_SLOTS;
    if (v >= 0) {
      const id = Math.floor(v / NODE_SLOTS);
      return v - id * NODE_SLOTS === slot ? id : -1;
    }
    const e = this.entryAt(-2 - v, slot);
    return e >= 0 ? e : -1;
  }

  /**
   * __filemap_add_folio: page `id` takes the slot of `key` (no page there). Returns the shadow
   * the slot held (it is dropped: the caller's policy reads it for workingset_refault), or -1.
   */
  add(key: number, id: number): number {
    const nk = Math.floor(key / NODE_SLOTS);
    const slot = slotOf(key);
    this.size++;
    const v = this.nodes.getOrSet(nk, id * NODE_SLOTS + slot);
    if (v === -1) return -1; // a new node of one page
    let r: number;
    if (v >= 0) {
      // A lone page's node takes a record for its second page.
      r = this.newRecord(nk);
      this.setEntry(r, slotOf(v), Math.floor(v / NODE_SLOTS));
      this.b[r * BYTES + PAGES] = 1;
      this.nodes.set(nk, -2 - r);
    } else r = -2 - v;
    const e = this.entryAt(r, slot);
    let shadow = -1;
    if (e < EMPTY) {
      shadow = shadowEntry(e);
      this.b[r * BYTES + SHADOWS]!--;
      this.shadows--;
    }
    this.setEntry(r, slot, id);
    this.b[r * BYTES + PAGES]!++;
    this.settle(r);
    return shadow;
  }

  /**
   * __filemap_remove_folio: the page at `key` leaves its slot, to its shadow `shadow` (>= 0,
   * workingset_eviction's) or, with shadow -1, empty (truncation; a policy without shadows).
   */
  remove(key: number, shadow: number): void {
    const nk = Math.floor(key / NODE_SLOTS);
    const slot = slotOf(key);
    this.size--;
    const v = this.nodes.get(nk);
    let r: number;
    if (v >= 0) {
      // The node's one page.
      if (shadow < 0) {
        this.nodes.delete(nk);
        return;
      }
      r = this.newRecord(nk);
      this.nodes.set(nk, -2 - r);
    } else {
      r = -2 - v;
      this.b[r * BYTES + PAGES]!--;
    }
    this.setEntry(r, slot, shadow < 0 ? EMPTY : shadowEntry(shadow));
    if (shadow >= 0) {
      this.b[r * BYTES + SHADOWS]!++;
      this.shadows++;
    }
    this.settle(r);
  }

  /** The shadow held for `key`, or -1 (a lookup that changes nothing). */
  shadowOf(key: number): number {
    const v = this.nodes.get(Math.floor(key / NODE_SLOTS));
    if (v >= -1) return -1;
    const e = this.entryAt(-2 - v, slotOf(key));
    return e < -1 ? shadowEntry(e) : -1;
  }

  /** Every resident page's key (a copy: the caller may remove pages while it walks it). */
  keyList(): number[] {
    const out: number[] = [];
    this.nodes.forEach((nk, v) => {
      if (v >= 0) {
        out.push(nk * NODE_SLOTS + slotOf(v));
        return;
      }
      const r = -2 - v;
      const blk = this.w[r * WORDS + BLOCK]!;
      if (blk === NIL) {
        if (this.b[r * BYTES + ONE] !== ONE_NONE && this.f[r * F64S + ENTRY]! >= 0) out.push(nk * NODE_SLOTS + this.b[r * BYTES + ONE]!);
        return;
      }
      for (let s = 0; s < NODE_SLOTS; s++) if (this.blocks[blk * NODE_SLOTS + s]! >= 0) out.push(nk * NODE_SLOTS + s);
    });
    return out;
  }

  /**
   * Truncation of whole files (umount, the last close of a block device), after their pages
   * were removed: every node whose first page key `gone` names loses its shadows.
   */
  truncate(gone: (pageKey: number) => boolean): void {
    for (const nk of this.nodes.keyList()) {
      if (!gone(nk * NODE_SLOTS)) continue;
      const v = this.nodes.get(nk);
      if (v >= 0) continue; // a lone page: no shadows
      const r = -2 - v;
      if (this.b[r * BYTES + SHADOWS] === 0) continue;
      for (let s = 0; s < NODE_SLOTS; s++) if (this.entryAt(r, s) < -1) this.setEntry(r, s, EMPTY);
      this.shadows -= this.b[r * BYTES + SHADOWS]!;
      this.b[r * BYTES + SHADOWS] = 0;
      this.settle(r);
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
      // The batch's nodes from the list's oldest end, their records and then their table slots
      // read ahead (speed only), then freed in order.
      const rs = this.batchRecords;
      const k = this.list.peekFront(SHADOW_NODES, rs, batch);
      let acc = 0;
      for (let i = 0; i < k; i++) acc += this.f[rs[i]! * F64S + KEY]!;
      for (let i = 0; i < k; i++) acc += this.nodes.touch(this.f[rs[i]! * F64S + KEY]!);
      this.warmSink = acc;
      for (let i = 0; i < k; i++) this.freeNode(rs[i]!);
      // The freed nodes' entries leave the ring's front.
      this.list.head(SHADOW_NODES);
      total -= batch;
      scanned += batch;
    }
    this.deferred = Math.min(Math.max(nr + delta - scanned, 0), 2 * freeable);
  }

  // ---- records -------------------------------------------------------------------------
  /** The entry in slot `slot` of record `r`. */
  private entryAt(r: number, slot: number): number {
    const blk = this.w[r * WORDS + BLOCK]!;
    if (blk !== NIL) return this.blocks[blk * NODE_SLOTS + slot]!;
    return this.b[r * BYTES + ONE] === slot ? this.f[r * F64S + ENTRY]! : EMPTY;
  }

  /** Sets slot `slot` of record `r` to entry `e` (EMPTY: clears it). */
  private setEntry(r: number, slot: number, e: number): void {
    const b = this.b;
    let blk = this.w[r * WORDS + BLOCK]!;
    if (blk === NIL) {
      const one = b[r * BYTES + ONE]!;
      if (one === ONE_NONE || one === slot) {
        b[r * BYTES + ONE] = e === EMPTY ? ONE_NONE : slot;
        this.f[r * F64S + ENTRY] = e;
        return;
      }
      if (e === EMPTY) return;
      // A second entry: the record takes a block, and its entry moves into it.
      blk = this.newBlock();
      this.w[r * WORDS + BLOCK] = blk;
      this.blocks[blk * NODE_SLOTS + one] = this.f[r * F64S + ENTRY]!;
      b[r * BYTES + ONE] = ONE_NONE;
    }
    this.blocks[blk * NODE_SLOTS + slot] = e;
  }

  private newRecord(nk: number): number {
    let r = this.freeRecords.pop();
    if (r === undefined) {
      r = this.nextRecord++;
      if (r * BYTES >= this.b.length) {
        this.b = grown(this.b, this.b.length * 2);
        this.w = new Int32Array(this.b.buffer);
        this.f = new Float64Array(this.b.buffer);
      }
      this.list.ensure(r + 1);
    }
    const e = r * BYTES;
    this.b[e + PAGES] = 0;
    this.b[e + SHADOWS] = 0;
    this.b[e + ONE] = ONE_NONE;
    this.w[r * WORDS + BLOCK] = NIL;
    this.f[r * F64S + KEY] = nk;
    return r;
  }

  private newBlock(): number {
    let blk = this.freeBlocks.pop();
    if (blk === undefined) {
      blk = this.nextBlock++;
      if (blk * NODE_SLOTS >= this.blocks.length) this.blocks = grown(this.blocks, this.blocks.length * 2);
    }
    this.blocks.fill(EMPTY, blk * NODE_SLOTS, (blk + 1) * NODE_SLOTS);
    return blk;
  }

  /** The record goes (its node is gone from the table, or a lone page's entry again). */
  private freeRecord(r: number): void {
    const blk = this.w[r * WORDS + BLOCK]!;
    if (blk !== NIL) this.freeBlocks.push(blk);
    this.freeRecords.push(r);
  }

  /**
   * workingset_update_node: on the list iff all its entries are shadows; gone when it holds
   * nothing; a lone page's entry again when it holds one page and no shadows.
   */
  private settle(r: number): void {
    const pages = this.b[r * BYTES + PAGES]!;
    const shadows = this.b[r * BYTES + SHADOWS]!;
    const listed = this.list.listOf(r) === SHADOW_NODES;
    if (pages === 0 && shadows !== 0) {
      if (!listed) this.enlist(r);
      return;
    }
    if (listed) this.unlist(r);
    if (shadows !== 0 || pages > 1) return;
    const nk = this.f[r * F64S + KEY]!;
    if (pages === 0) this.nodes.delete(nk);
    else {
      let slot = this.b[r * BYTES + ONE]!;
      if (slot === ONE_NONE) for (slot = 0; this.entryAt(r, slot) === EMPTY; slot++);
      this.nodes.set(nk, this.entryAt(r, slot) * NODE_SLOTS + slot);
    }
    this.freeRecord(r);
  }

  private enlist(r: number): void {
    this.list.push(SHADOW_NODES, r);
  }

  private unlist(r: number): void {
    this.list.remove(r);
  }

  /** shadow_lru_isolate: a listed node (shadows only) is freed with its shadows. */
  private freeNode(r: number): void {
    this.unlist(r);
    this.shadows -= this.b[r * BYTES + SHADOWS]!;
    this.nodes.delete(this.f[r * F64S + KEY]!);
    this.freeRecord(r);
    this.reclaimed++;
  }
}
