/**
 * A hash map from page keys (non-negative integers below 2^53: anonKey,
 * fileKey, a page-cache node's key) to numbers other than -1 (which the
 * lookups return for no entry; the page cache keeps lone pages >= 0 and its
 * node records below -1 in one map), in typed arrays: open addressing with
 * linear probing and backward-shift deletion (no tombstones).
 *
 * Why not a Map: a page key above 2^31 is not a small integer, so a
 * Map<number, number> boxes it to hash it on every lookup, and the per-event
 * path (page-cache hit, fill, eviction) does one to three lookups; a Map also
 * holds at most 2^24 entries, fewer than the distinct pages of a large trace.
 * Here a lookup is a multiply-shift hash and a probe of one typed array
 * (key and value side by side), and an entry costs 16 bytes at a load factor
 * of at most 1/2.
 *
 * Users: the memory model's page tables and written-file contents
 * (mm/memory.ts), the page cache's nodes (mm/page-cache.ts), the 6.1
 * reclaim's anonymous shadow entries (mm/reclaim),
 * the oracle's cleancache records (sim/oracle.ts) and trace inspect's
 * last-reference times (trace/inspect.ts). Like
 * arrays.ts it imports nothing, so any folder may use it without a cycle.
 *
 * Iteration (forEach) walks the table in slot order, not insertion order:
 * callers that depend on an order must not use it for that.
 */

/** An empty slot's key (keys are >= 0). */
const EMPTY = -1;
const MIN_CAPACITY = 16;

export class KeyMap {
  /** Entry i: its key at [2i] (EMPTY: none), its value at [2i + 1], so a hit reads one cache line. */
  private slots: Float64Array;
  private mask: number;
  /** Entries held. */
  size = 0;

  constructor(capacity = MIN_CAPACITY) {
    let cap = MIN_CAPACITY;
    while (cap < capacity * 2) cap *= 2;
    this.slots = emptySlots(cap);
    this.mask = cap - 1;
  }

  /** The slot a key hashes to: a 64-bit key folded into 32 bits, mixed (murmur3's finaliser). */
  private home(key: number): number {
    let h = Math.imul(key >>> 0, 0x9e3779b1) ^ Math.imul((key / 4294967296) >>> 0, 0x85ebca6b);
    h ^= h >>> 16;
    h = Math.imul(h, 0x7feb352d);
    h ^= h >>> 15;
    return h & this.mask;
  }

  /**
   * Reads the slot `key` hashes to and returns what it holds (a key, or EMPTY), changing
   * nothing: a batch of these before the batch's lookups lets the CPU fetch their cache
   * lines at once, where lookups one after the other wait for each line in turn.
   */
  touch(key: number): number {
    return this.slots[2 * this.home(key)]!;
  }

  /** The value under `key`, or -1 when there is none. */
  get(key: number): number {
    const s = this.slots;
    const mask = this.mask;
    for (let i = this.home(key); ; i = (i + 1) & mask) {
      const k = s[2 * i]!;
      if (k === key) return s[2 * i + 1]!;
      if (k === EMPTY) return -1;
    }
  }

  /** Sets `key` to `value` (value !== -1). */
  set(key: number, value: number): void {
    this.swap(key, value);
  }

  /** Sets `key` to `value` (value !== -1); returns its old value, or -1 when the key is new. One probe. */
  swap(key: number, value: number): number {
    const i = this.find(key);
    const s = this.slots;
    if (s[2 * i] === key) {
      const old = s[2 * i + 1]!;
      s[2 * i + 1] = value;
      return old;
    }
    this.insertAt(i, key, value);
    return -1;
  }

  /** The value under `key`; when there is none, sets `key` to `value` (!== -1) and returns -1. One probe. */
  getOrSet(key: number, value: number): number {
    const i = this.find(key);
    if (this.slots[2 * i] === key) return this.slots[2 * i + 1]!;
    this.insertAt(i, key, value);
    return -1;
  }

  /** The slot holding `key`, or the empty slot where it would go. */
  private find(key: number): number {
    const s = this.slots;
    const mask = this.mask;
    let i = this.home(key);
    while (s[2 * i] !== key && s[2 * i] !== EMPTY) i = (i + 1) & mask;
    return i;
  }

  /** Enters `key` at empty slot i (find's answer), growing the table past half full. */
  private insertAt(i: number, key: number, value: number): void {
    const s = this.slots;
    s[2 * i] = key;
    s[2 * i + 1] = value;
    if (++this.size * 2 > this.mask + 1) this.rehash((this.mask + 1) * 2);
  }

  /** Replaces every value v by f(v) (!== -1), in place. */
  updateValues(f: (value: number) => number): void {
    const s = this.slots;
    for (let i = 0; i < s.length; i += 2) if (s[i] !== EMPTY) s[i + 1] = f(s[i + 1]!);
  }

  /** Removes `key`; returns its value, or -1 when there was none. */
  delete(key: number): number {
    const s = this.slots;
    const mask = this.mask;
    let i = this.home(key);
    for (; ; i = (i + 1) & mask) {
      const k = s[2 * i]!;
      if (k === key) break;
      if (k === EMPTY) return -1;
    }
    const value = s[2 * i + 1]!;
    // Backward-shift: pull later entries of the probe run into the hole when their home allows it.
    let hole = i;
    for (let j = (i + 1) & mask; ; j = (j + 1) & mask) {
      const k = s[2 * j]!;
      if (k === EMPTY) break;
      const h = this.home(k);
      // k may move to the hole unless its home lies cyclically in (hole, j].
      if (hole <= j ? h <= hole || h > j : h <= hole && h > j) {
        s[2 * hole] = k;
        s[2 * hole + 1] = s[2 * j + 1]!;
        hole = j;
      }
    }
    s[2 * hole] = EMPTY;
    this.size--;
    return value;
  }

  /** Calls f(key, value) for every entry, in table order; f must not change the map. */
  forEach(f: (key: number, value: number) => void): void {
    const s = this.slots;
    for (let i = 0; i < s.length; i += 2) if (s[i] !== EMPTY) f(s[i]!, s[i + 1]!);
  }

  /** Every key, in table order (a copy: the map may change while the caller walks it). */
  keyList(): number[] {
    const out: number[] = [];
    this.forEach((k) => out.push(k));
    return out;
  }

  private rehash(cap: number): void {
    const old = this.slots;
    const s = (this.slots = emptySlots(cap));
    const mask = (this.mask = cap - 1);
    for (let j = 0; j < old.length; j += 2) {
      const k = old[j]!;
      if (k === EMPTY) continue;
      let i = this.home(k);
      while (s[2 * i] !== EMPTY) i = (i + 1) & mask;
      s[2 * i] = k;
      s[2 * i + 1] = old[j + 1]!;
    }
  }
}

function emptySlots(cap: number): Float64Array {
  const s = new Float64Array(2 * cap);
  for (let i = 0; i < s.length; i += 2) s[i] = EMPTY;
  return s;
}
