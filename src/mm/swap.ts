/**
 * Swap areas (TL:mm/swapfile.c, much simplified): slot allocation and usage.
 *
 * Slot 0 holds the swap header (the kernel's lowest_bit and cluster_next
 * start at 1): it is never allocated, so an area of N slots has N - 1 pages
 * of swap. (A tmem-level trace may still name slot 0: its slots are its own.)
 *
 * A rotational device's slots are allocated as scan_swap_map_slots does
 * without cluster_info (6.1, and 3.x's scan_swap_map before it): one after
 * another from cluster_next while the current run of SWAPFILE_CLUSTER (256)
 * lasts; when it runs out, from the start of the first wholly free run of 256
 * slots from lowest_bit, or, with none, from lowest_bit itself; a used slot
 * sends the scan to the next free one up to highest_bit, then from
 * lowest_bit. lowest_bit and highest_bit move as swap_range_alloc and
 * swap_range_free move them.
 *
 * The per-CPU swap slots cache (6.1, Reclaim.swapSlotsCache) is the machine's
 * (Machine.allocSwapSlot, Machine.freeSwapSlot): it takes up to 64 slots ahead
 * (SwapDevices.allocBatch: get_swap_pages → scan_swap_map_slots for a batch,
 * taken but not in the swap cache's xarray until handed out), and a slot whose
 * count dropped to zero stays taken here until its batch of 64 is given back.
 *
 * Deviations: an SSD's slots (6.1: per-CPU clusters, a random trunk when one
 * fills) are taken next fit after a cursor, a batch as that many in a row; the
 * scan's reuse of a slot only the swap cache holds when swap is more than half
 * full is not modelled. Areas are tried in swapon order (areas swapped on later
 * get lower priority, as with the kernel's default decreasing priorities).
 *
 * The swap cache's xarray nodes (6.1: one xarray per 64 MiB of an area,
 * SWAP_ADDRESS_SPACE_PAGES = 2^14 slots, struct radix_tree_node of 64 slots):
 * a slot in use holds the swap cache's page or, once reclaim has taken the
 * page, its shadow entry (__remove_mapping → __delete_from_swap_cache with
 * workingset_eviction's shadow), until swap_range_free clears it
 * (clear_shadow_from_swap_cache); a node is freed when its last entry goes.
 * So the nodes are counted from the slots in use: a leaf per 64-slot range
 * with a slot in use, a node per 4,096-slot range above them, and a root for
 * each address space with a slot in use at index 4,096 or more (xarray height
 * 3; below that the 4,096-slot node is the root). The slots cache's slots taken
 * ahead are in use and not in the xarray until handed out. Deviations: the
 * shadow-node shrinker's pruning of nodes that hold only shadows is not
 * modelled; an xarray whose one entry sits at index 0 has no node in the
 * kernel and one here.
 *
 * The zeromap (6.12+, si->zeromap, when the machine has one): a bit per slot,
 * set when swap_writepage found the page all zeros (no write, no frontswap),
 * cleared when a page that is not is written to the slot and when the slot is
 * freed (swap_range_free).
 */

/** SWAPFILE_CLUSTER: the run of slots a rotational device allocates in order. */
const SWAPFILE_CLUSTER = 256;
/** LATENCY_LIMIT: the slots scan_swap_map_slots looks at before it takes a break. */
const LATENCY_LIMIT = 256;
/** XA_CHUNK_SHIFT: 64 slots a node. */
const XA_SHIFT = 6;
/** SWAP_ADDRESS_SPACE_SHIFT: each 2^14 slots of an area are one address space (one xarray). */
const SPACE_SHIFT = 14;

export class SwapArea {
  private readonly used: Uint8Array;
  inUse = 0;
  private cursor = 1;
  /** si->lowest_bit, si->highest_bit (0 when full), si->cluster_next, si->cluster_nr (rotational devices). */
  private lowest = 1;
  private highest: number;
  private clusterNext = 1;
  private clusterNr = 0;
  /** si->zeromap, or null when the swap core has none (before 6.12). */
  private readonly zeromap: Uint8Array | null;
  /** Slots in use per 64-slot range (a leaf node each); leaves in use per 4,096-slot range, and per address space at index 4,096 or more (its root). */
  private readonly leafUse: Uint16Array;
  private readonly midUse: Uint16Array;
  private readonly highUse: Uint16Array;
  /** The swap cache's xarray nodes these slots keep (see the header). */
  xaNodes = 0;
  /** The device is rotational (no QUEUE_FLAG_NONROT): swapon counts it in nr_rotate_swap. `zeromap`: the area keeps one (6.12+). */
  constructor(readonly type: number, readonly slots: number, readonly rotational = false, zeromap = false) {
    this.used = new Uint8Array(slots);
    this.highest = slots - 1;
    this.zeromap = zeromap ? new Uint8Array(slots) : null;
    this.leafUse = new Uint16Array((slots >> XA_SHIFT) + 1);
    this.midUse = new Uint16Array((slots >> (2 * XA_SHIFT)) + 1);
    this.highUse = new Uint16Array((slots >> SPACE_SHIFT) + 1);
  }
  /** A slot comes into use (+1) or goes (-1): the nodes of its range, its 4,096 and its address space. */
  private xaCount(off: number, d: 1 | -1): void {
    const leaf = off >> XA_SHIFT;
    const before = this.leafUse[leaf]!;
    this.leafUse[leaf] = before + d;
    if (before + d !== 0 && before !== 0) return;
    // The leaf node comes or goes, and with it maybe its parent and the space's root.
    const mid = off >> (2 * XA_SHIFT);
    const m = this.midUse[mid]!;
    this.midUse[mid] = m + d;
    let n = d;
    if (m === 0 || m + d === 0) n += d;
    if ((off & ((1 << SPACE_SHIFT) - 1)) >> (2 * XA_SHIFT) !== 0) {
      const sp = off >> SPACE_SHIFT;
      const h = this.highUse[sp]!;
      this.highUse[sp] = h + d;
      if (h === 0 || h + d === 0) n += d;
    }
    this.xaNodes += n;
  }
  isUsed(off: number): boolean {
    return this.used[off] === 1;
  }
  /** The slot's page was all zeros when written (its zeromap bit). */
  isZero(off: number): boolean {
    return this.zeromap !== null && this.zeromap[off] === 1;
  }
  /** swap_zeromap_folio_set / _clear for one slot (an area without a zeromap ignores it). */
  setZero(off: number, zero: boolean): void {
    if (this.zeromap !== null) this.zeromap[off] = zero ? 1 : 0;
  }
  /** A free slot (never slot 0, the header), or -1: scan_swap_map_slots for one slot. */
  alloc(): number {
    if (this.rotational) return this.scanSwapMapSlots(1, null) === 1 ? this.lastTaken : -1;
    return this.nextFit(true);
  }

  /**
   * Up to `nr` free slots into `out` from its index 0 (get_swap_pages' call of scan_swap_map_slots
   * for the swap slots cache): taken, not yet in the swap cache's xarray (handOut puts each there
   * when the cache hands it out). Returns how many.
   */
  allocBatch(nr: number, out: number[]): number {
    if (this.rotational) return this.scanSwapMapSlots(nr, out);
    let n = 0;
    while (n < nr) {
      const off = this.nextFit(false);
      if (off < 0) break;
      out[n++] = off;
    }
    return n;
  }

  /** A slot of allocBatch is handed out for a page: it enters the swap cache's xarray. */
  handOut(off: number): void {
    this.xaCount(off, 1);
  }

  /** The slot scanSwapMapSlots took last (the one slot of alloc). */
  private lastTaken = -1;

  /**
   * scan_swap_map_slots (6.1, without cluster_info: a rotational device) for `nr` slots, into
   * `out` (null: one slot, put in the xarray at once). From cluster_next while the current run of
   * SWAPFILE_CLUSTER lasts; when it runs out, from the first wholly free run of 256 from
   * lowest_bit (else from lowest_bit); a used first slot sends the scan to the next free one up to
   * highest_bit, then from lowest_bit. After a slot is taken, more come while the batch wants
   * them: the next slot if the run lasts and it is free, else the first free one a quick scan up
   * to highest_bit (or to the scan base) finds within the LATENCY_LIMIT budget, unless the first
   * scan already looked at more than that (scanned_many). cluster_next ends after the last slot.
   */
  private scanSwapMapSlots(nr: number, out: number[] | null): number {
    // get_swap_pages passes over a full area (highest_bit 0) without a scan.
    if (this.highest === 0) return 0;
    const u = this.used;
    let latency = LATENCY_LIMIT;
    let scannedMany = false;
    let n = 0;
    let offset = this.clusterNext;
    let scanBase = offset;
    if (this.clusterNr-- === 0) {
      if (this.slots - 1 - this.inUse < SWAPFILE_CLUSTER) {
        this.clusterNr = SWAPFILE_CLUSTER - 1;
      } else {
        // Locate the first empty (unaligned) cluster from lowest_bit.
        scanBase = offset = this.lowest;
        let last = offset + SWAPFILE_CLUSTER - 1;
        let found = false;
        for (; last <= this.highest; offset++) {
          if (u[offset]) last = offset + SWAPFILE_CLUSTER;
          else if (offset === last) {
            offset -= SWAPFILE_CLUSTER - 1;
            this.clusterNext = offset;
            found = true;
            break;
          }
          if (--latency < 0) latency = LATENCY_LIMIT;
        }
        if (!found) offset = scanBase;
        this.clusterNr = SWAPFILE_CLUSTER - 1;
      }
    }
    for (;;) {
      // checks:
      if (this.highest === 0) return n; // no_page
      if (offset > this.highest) scanBase = offset = this.lowest;
      if (u[offset]) {
        if (n > 0) break; // done
        // scan: the next free slot up to highest_bit, then from lowest_bit up to the scan base;
        // every used slot passed costs one of the budget (past it: scanned_many).
        const scan = (from: number, to: number): number => {
          for (let o = from; o < to; o++) {
            if (!u[o]) return o;
            if (--latency < 0) {
              latency = LATENCY_LIMIT;
              scannedMany = true;
            }
          }
          return -1;
        };
        let next = scan(offset + 1, this.highest + 1);
        if (next < 0) next = scan(this.lowest, scanBase);
        if (next < 0) return n; // no_page
        offset = next;
        continue;
      }
      this.take(offset, out === null);
      if (out === null) this.lastTaken = offset;
      else out[n] = offset;
      n++;
      if (n === nr || offset >= this.highest) break;
      // Time to take a break? With a slot taken, the batch ends.
      if (--latency < 0) break;
      // More slots in the run?
      if (this.clusterNr !== 0 && !u[++offset]) {
        this.clusterNr--;
        continue;
      }
      // A quick scan for the next free slot, unless the first scan looked at too many.
      if (!scannedMany) {
        const limit = offset < scanBase ? scanBase : this.highest;
        let found = false;
        for (; offset <= limit && --latency > 0; offset++) {
          if (!u[offset]) {
            found = true;
            break;
          }
        }
        if (found) continue;
      }
      break;
    }
    // done: set_cluster_next.
    this.clusterNext = offset + 1;
    return n;
  }

  /** swap_range_alloc of one slot; `xa`: it enters the swap cache's xarray now (not one the slots cache takes ahead). */
  private take(off: number, xa = true): void {
    this.used[off] = 1;
    this.inUse++;
    if (xa) this.xaCount(off, 1);
    if (off === this.lowest) this.lowest++;
    if (off === this.highest) this.highest--;
    if (this.inUse >= this.slots - 1) {
      this.lowest = this.slots;
      this.highest = 0;
    }
  }

  /** A non-rotational device: the next free slot after a cursor. */
  private nextFit(xa: boolean): number {
    const u = this.used;
    let i = this.cursor;
    for (let n = 1; n < this.slots; n++) {
      if (u[i] === 0) {
        this.take(i, xa);
        this.cursor = i + 1 === this.slots ? 1 : i + 1;
        return i;
      }
      i = i + 1 === this.slots ? 1 : i + 1;
    }
    return -1;
  }
  /** Mark a slot in use (tmem-level traces name their slots). */
  claim(off: number): void {
    if (this.used[off] === 0) this.take(off);
  }
  /** The slot's count is zero: swap_range_free. `xa`: the slot was in the xarray (not one the slots cache took ahead and never handed out). */
  free(off: number, xa = true): void {
    if (this.zeromap !== null) this.zeromap[off] = 0;
    if (this.used[off] === 1) {
      this.used[off] = 0;
      this.inUse--;
      if (xa) this.xaCount(off, -1);
      if (off < this.lowest) this.lowest = off;
      if (off > this.highest) this.highest = off;
    }
  }
  /** vm_swap_full(): more than half the area's pages (its slots but the header) in use. */
  get full(): boolean {
    return this.inUse * 2 > this.slots - 1;
  }
}

export class SwapDevices {
  private readonly areas: (SwapArea | null)[] = [];
  private order: number[] = [];

  on(type: number, slots: number, rotational = false, zeromap = false): SwapArea {
    const a = new SwapArea(type, slots, rotational, zeromap);
    this.areas[type] = a;
    this.order.push(type);
    return a;
  }
  off(type: number): void {
    this.areas[type] = null;
    this.order = this.order.filter((t) => t !== type);
  }
  get(type: number): SwapArea | null {
    return this.areas[type] ?? null;
  }
  /** Allocate a slot in priority order, excluding `skip` (an area being swapped off). Returns type*2^32+off or -1. */
  alloc(skip = -1): number {
    for (const t of this.order) {
      if (t === skip) continue;
      const off = this.areas[t]!.alloc();
      if (off >= 0) return slotKey(t, off);
    }
    return -1;
  }
  /**
   * get_swap_pages for the swap slots cache (refill_swap_slots_cache): up to `n` slots, no more
   * than the pages of swap free, from the first area in priority order that gives any; their keys
   * into `out` from index 0. Each is taken, and enters the swap cache's xarray at handOut.
   */
  allocBatch(n: number, out: number[]): number {
    const goal = Math.min(n, this.totalPages() - this.usedSlots());
    if (goal <= 0) return 0;
    const offs = this.batchOffsets;
    for (const t of this.order) {
      const k = this.areas[t]!.allocBatch(goal, offs);
      if (k === 0) continue;
      for (let i = 0; i < k; i++) out[i] = slotKey(t, offs[i]!);
      return k;
    }
    return 0;
  }
  private readonly batchOffsets: number[] = [];
  /** A slot of allocBatch is handed out for a page (SwapArea.handOut). */
  handOut(slot: number): void {
    this.areas[slotType(slot)]?.handOut(slotOffset(slot));
  }
  /** nr_rotate_swap > 0: a rotational swap device is on, and 6.1 uses cluster readahead for every swap-in. */
  anyRotational(): boolean {
    for (const t of this.order) if (this.areas[t]!.rotational) return true;
    return false;
  }
  types(): readonly number[] {
    return this.order;
  }
  /** Slots over all areas, headers included. */
  totalSlots(): number {
    let n = 0;
    for (const t of this.order) n += this.areas[t]!.slots;
    return n;
  }
  /** Pages of swap over all areas (total_swap_pages, SwapTotal): each area's slots but its header. */
  totalPages(): number {
    return this.totalSlots() - this.order.length;
  }
  /** The swap cache's xarray nodes over all areas (SwapArea.xaNodes). */
  xaNodes(): number {
    // Indexed (every event's kswapd wake check reads it: Machine.slabPages).
    let n = 0;
    const order = this.order;
    for (let i = 0; i < order.length; i++) n += this.areas[order[i]!]!.xaNodes;
    return n;
  }
  usedSlots(): number {
    let n = 0;
    for (const t of this.order) n += this.areas[t]!.inUse;
    return n;
  }
}

/** A swap slot as one number: type * 2^32 + offset (the encoding slotType and slotOffset take apart). */
export function slotKey(type: number, off: number): number {
  return type * 2 ** 32 + off;
}
export function slotType(slot: number): number {
  return Math.floor(slot / 2 ** 32);
}
export function slotOffset(slot: number): number {
  return slot % 2 ** 32;
}
