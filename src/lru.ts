/**
 * A least-recently-used map: key -> value, the entries on a doubly linked
 * list from least (oldest) to most recently used, so a hit moves its entry
 * with a few pointer writes instead of re-inserting it in the Map. The
 * caller keeps the bound: it evicts (evictOldest), hands the oldest
 * entry's value to another key (reuseOldest) or replaces the oldest entry
 * by a new one (replaceOldest) when it is full.
 *
 * Used by compressors/cache.ts (compressed results by page descriptor) and
 * content/corpus.ts (chunk buffers by chunk index). Like errors.ts it
 * imports nothing, so any folder may use it without a cycle.
 */

/** One entry on the list. */
class LruNode<K, V> {
  prev: LruNode<K, V> | null = null;
  next: LruNode<K, V> | null = null;
  constructor(
    public key: K,
    public value: V,
  ) {}
}

export class LruMap<K, V> {
  private readonly map = new Map<K, LruNode<K, V>>();
  /** Least recently used. */
  private head: LruNode<K, V> | null = null;
  /** Most recently used. */
  private tail: LruNode<K, V> | null = null;

  get size(): number {
    return this.map.size;
  }

  /** The value of `key`, now the most recently used; undefined when absent. */
  get(key: K): V | undefined {
    const e = this.map.get(key);
    if (e === undefined) return undefined;
    if (e !== this.tail) {
      this.unlink(e);
      this.append(e);
    }
    return e.value;
  }

  /** Adds `key` (which must be absent) as the most recently used. */
  add(key: K, value: V): void {
    const e = new LruNode(key, value);
    this.map.set(key, e);
    this.append(e);
  }

  /** Drops the least recently used entry and returns its value; undefined when empty. */
  evictOldest(): V | undefined {
    const e = this.head;
    if (e === null) return undefined;
    this.unlink(e);
    this.map.delete(e.key);
    return e.value;
  }

  /**
   * The least recently used entry now stands for `key` (which must be
   * absent), as the most recently used: its value is returned for the caller
   * to reuse. Undefined when empty.
   */
  reuseOldest(key: K): V | undefined {
    const e = this.head;
    if (e === null) return undefined;
    this.rekeyOldest(e, key);
    return e.value;
  }

  /**
   * The least recently used entry is replaced by `key` (which must be
   * absent) -> `value`, as the most recently used, without a new entry made:
   * evictOldest() then add() in one. Returns the evicted value; undefined
   * (and nothing added) when empty.
   */
  replaceOldest(key: K, value: V): V | undefined {
    const e = this.head;
    if (e === null) return undefined;
    const old = e.value;
    this.rekeyOldest(e, key);
    e.value = value;
    return old;
  }

  /** The oldest entry e now stands for `key`, as the most recently used. */
  private rekeyOldest(e: LruNode<K, V>, key: K): void {
    this.map.delete(e.key);
    e.key = key;
    this.map.set(key, e);
    if (e !== this.tail) {
      this.unlink(e);
      this.append(e);
    }
  }

  /** Drops every entry. */
  clear(): void {
    this.map.clear();
    this.head = this.tail = null;
  }

  private unlink(e: LruNode<K, V>): void {
    if (e.prev !== null) e.prev.next = e.next;
    else this.head = e.next;
    if (e.next !== null) e.next.prev = e.prev;
    else this.tail = e.prev;
    e.prev = e.next = null;
  }

  private append(e: LruNode<K, V>): void {
    e.prev = this.tail;
    if (this.tail !== null) this.tail.next = e;
    else this.head = e;
    this.tail = e;
  }
}
