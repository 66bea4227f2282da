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
 * Deviations: an SSD's slots (6.1: per-CPU clusters, a random trunk when one
 * fills) are taken next fit after a cursor; 6.1's per-CPU swap slots cache
 * (slots taken 64 at a time and freed 64 at a time) is not modelled, nor the
 * scan's reuse of a slot only the swap cache holds when swap is more than
 * half full. Areas are tried in swapon order (areas swapped on later get
 * lower priority, as with the kernel's default decreasing priorities).
 *
 * The zeromap (6.12+, si->zeromap, when the machine has one): a bit per slot,
 * set when swap_writepage found the page all zeros (no write, no frontswap),
 * cleared when a page that is not is written to the slot and when the slot is
 * freed (swap_range_free).
 */

/** SWAPFILE_CLUSTER: the run of slots a rotational device allocates in order. */
const SWAPFILE_CLUSTER = 256;

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
  /** The device is rotational (no QUEUE_FLAG_NONROT): swapon counts it in nr_rotate_swap. `zeromap`: the area keeps one (6.12+). */
  constructor(readonly type: number, readonly slots: number, readonly rotational = false, zeromap = false) {
    this.used = new Uint8Array(slots);
    this.highest = slots - 1;
    this.zeromap = zeromap ? new Uint8Array(slots) : null;
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
  /** A free slot (never slot 0, the header), or -1. */
  alloc(): number {
    return this.rotational ? this.scanSwapMap() : this.nextFit();
  }

  /** scan_swap_map_slots for one slot, without cluster_info (a rotational device). */
  private scanSwapMap(): number {
    if (this.highest === 0) return -1; // full (swap_range_alloc sets it)
    const u = this.used;
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
        }
        if (!found) offset = scanBase;
        this.clusterNr = SWAPFILE_CLUSTER - 1;
      }
    }
    // checks:
    if (offset > this.highest) scanBase = offset = this.lowest;
    if (u[offset]) {
      // scan: the next free slot up to highest_bit, then from lowest_bit up to the scan base.
      let next = -1;
      for (let i = offset + 1; i <= this.highest; i++) {
        if (!u[i]) {
          next = i;
          break;
        }
      }
      if (next < 0) {
        for (let i = this.lowest; i < scanBase; i++) {
          if (!u[i]) {
            next = i;
            break;
          }
        }
      }
      if (next < 0) return -1;
      offset = next;
    }
    this.take(offset);
    // done: set_cluster_next.
    this.clusterNext = offset + 1;
    return offset;
  }

  /** swap_range_alloc of one slot. */
  private take(off: number): void {
    this.used[off] = 1;
    this.inUse++;
    if (off === this.lowest) this.lowest++;
    if (off === this.highest) this.highest--;
    if (this.inUse >= this.slots - 1) {
      this.lowest = this.slots;
      this.highest = 0;
    }
  }

  /** A non-rotational device: the next free slot after a cursor. */
  private nextFit(): number {
    const u = this.used;
    let i = this.cursor;
    for (let n = 1; n < this.slots; n++) {
      if (u[i] === 0) {
        this.take(i);
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
  /** The slot's count is zero: swap_range_free. */
  free(off: number): void {
    if (this.zeromap !== null) this.zeromap[off] = 0;
    if (this.used[off] === 1) {
      this.used[off] = 0;
      this.inUse--;
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
