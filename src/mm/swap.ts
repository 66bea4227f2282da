/**
 * Swap areas (TL:mm/swapfile.c, much simplified): slot allocation and usage.
 *
 * Slot 0 holds the swap header (the kernel's lowest_bit and cluster_next
 * start at 1): it is never allocated, so an area of N slots has N - 1 pages
 * of swap. (A tmem-level trace may still name slot 0: its slots are its own.)
 *
 * Deviation: 6.1 allocates a rotational device's slots sequentially from
 * cluster_next in runs of 256 (scan_swap_map_slots) and an SSD's by per-CPU
 * clusters, both through the per-CPU swap slots cache (batches of 64, frees
 * returned 64 at a time); tmemsim takes the next free slot after a cursor
 * (next fit), in the first area with free slots in swapon order (areas
 * swapped on later get lower priority, as with the kernel's default
 * decreasing priorities).
 */

export class SwapArea {
  private readonly used: Uint8Array;
  inUse = 0;
  private cursor = 1;
  /** The device is rotational (no QUEUE_FLAG_NONROT): swapon counts it in nr_rotate_swap. */
  constructor(readonly type: number, readonly slots: number, readonly rotational = false) {
    this.used = new Uint8Array(slots);
  }
  isUsed(off: number): boolean {
    return this.used[off] === 1;
  }
  /** A free slot (never slot 0, the header), or -1. */
  alloc(): number {
    const u = this.used;
    let i = this.cursor;
    for (let n = 1; n < this.slots; n++) {
      if (u[i] === 0) {
        u[i] = 1;
        this.inUse++;
        this.cursor = i + 1 === this.slots ? 1 : i + 1;
        return i;
      }
      i = i + 1 === this.slots ? 1 : i + 1;
    }
    return -1;
  }
  /** Mark a slot in use (tmem-level traces name their slots). */
  claim(off: number): void {
    if (this.used[off] === 0) {
      this.used[off] = 1;
      this.inUse++;
    }
  }
  free(off: number): void {
    if (this.used[off] === 1) {
      this.used[off] = 0;
      this.inUse--;
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

  on(type: number, slots: number, rotational = false): SwapArea {
    const a = new SwapArea(type, slots, rotational);
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
