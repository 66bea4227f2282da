/**
 * The tmem core: pools of objects of pages, keyed by (pool, oid, index),
 * each page a "pampd" (page-accessible-memory page descriptor) owned by the
 * backend. Follows TL:drivers/staging/zcache/tmem.c and tmem.h (Linux
 * 3.9–3.10, shared by zcache2 and RAMster).
 *
 *   put(pool,oid,i,pampd):  obj = find(oid) ?? obj_alloc
 *                           if obj has i: delete it from the tree, pamops.free(old)
 *                           (a duplicate is flushed, never overwritten in place;
 *                           an object emptied this way is reused, not freed)
 *                           add pampd at i
 *   get(pool,oid,i,gaf):    free = gaf==1 || (gaf==0 && ephemeral)
 *                           free ? delete i (free the obj if now empty) : look i up
 *                           (the caller then does get_data[_and_free])
 *   flush_page(pool,oid,i): delete i, pamops.free, free the obj if empty
 *   flush_object(pool,oid): free every pampd (ascending index), free the obj
 *   destroy_pool(pool):     flush_object on every obj, bucket 0..255, each
 *                           bucket's rbtree in oid order
 *
 * What is modelled and how:
 * - The 256 hash buckets of rbtrees are one Map per pool (oid → obj); only
 *   destroy_pool's iteration order depends on them, and it sorts by
 *   (hash_long(oid, 8), oid) to reproduce it.
 * - The per-object radix tree of 64-way objnodes is a Map index → pampd for
 *   lookups, plus an exact shadow of the tree's shape (height and the
 *   slots_in_use of every objnode) so obj_count and objnode_count, with their
 *   _max, move exactly as in the kernel (tree growth, stump-free deletion,
 *   and root collapse only when the node a delete stops at is the root).
 *   While an object holds a few sparse pages, the nodes a put or delete
 *   allocates or frees are derived from its indexes instead (treeAddDerived,
 *   treeDeleteDerived), and the objnodes are made again when it grows.
 * - An oid is one number: the 192-bit tmem_oid with oid[1] = oid[2] = 0
 *   (zcache's frontswap oids and cleancache inode numbers fit in oid[0]).
 * - No locking: hash bucket locks, pool refcounts and RAMster's
 *   repatriation are not modelled.
 */

export const TMEM_POOL_PERSIST = 1;
export const TMEM_POOL_SHARED = 2;
const TMEM_HASH_BUCKET_BITS = 8;
const OBJNODE_TREE_MAP_SHIFT = 6;

/**
 * Cycles charged for one tmem core operation (put, get, flush_page,
 * flush_object, pool create/destroy). An estimate, not a measurement: a hash
 * bucket lock, an rbtree and a radix-tree walk (a few hundred cycles). Shared
 * by every backend whose tmem core is this algorithm: zcache2 and RAMster
 * (drivers/staging/zcache/tmem.c) and Xen's tmem (xen/common/tmem.c keeps the
 * same hash-of-rbtrees of radix trees).
 */
export const TMEM_OP_CYCLES = 400;

/** How far past the end of a level's array of objnodes a new prefix may land before the level becomes a Map. */
const LEVEL_GAP = 64;
/** Objnodes an object keeps in its small array (TmemObj.small) before it moves them to levels. */
const SMALL_NODES = 16;
/** Pampds a sparse object keeps in its array of pairs (PampdMap) before they move to a Map. */
const SMALL_PAMPDS = 8;

/** tmem_objnode_tree_h2max[]: the largest index a tree of each height holds (64-bit longs). */
const H2MAX: readonly number[] = (() => {
  const a: number[] = [0];
  for (let ht = 1; ht <= 12; ht++) a.push(ht * OBJNODE_TREE_MAP_SHIFT >= 64 ? Infinity : 2 ** (ht * OBJNODE_TREE_MAP_SHIFT) - 1);
  return a;
})();
/** 64^level, for the prefix of an index at an objnode level. */
const LEVEL_DIV: readonly number[] = Array.from({ length: 13 }, (_, l) => 2 ** (l * OBJNODE_TREE_MAP_SHIFT));

/** The prefix of `index` at an objnode level: index / 64^level, rounded down. */
function prefix(index: number, level: number): number {
  const shift = level * OBJNODE_TREE_MAP_SHIFT;
  // a shift where it gives the same (an index and shift within 31 bits)
  return index <= 0x7fffffff && index >= 0 && shift < 31 ? index >> shift : Math.floor(index / LEVEL_DIV[level]!);
}

/** A page (PAGE_SIZE; tmem imports nothing of the content layer). */
const SLAB_PAGE = 4096;
/**
 * struct tmem_obj objects a slab page holds: sizeof is 88 bytes on x86-64
 * (drivers/staging/zcache/tmem.h, sentinels off: oid 24, pool 8, rb_tree_node 24,
 * objnode_tree_root 8, objnode_tree_height 4 padded to 8, objnode_count 8, pampd_count 8), 96
 * in a kernel built with CONFIG_RAMSTER (`void *extra`).
 */
export const TMEM_OBJS_PER_SLAB = Math.floor(SLAB_PAGE / 88);
export const TMEM_OBJS_PER_SLAB_RAMSTER = Math.floor(SLAB_PAGE / 96);
/** struct tmem_objnode objects a slab page holds: obj 8, slots[64] 512, slots_in_use 4, padded to 528. */
const TMEM_OBJNODES_PER_SLAB = Math.floor(SLAB_PAGE / 528);

/**
 * Pages of the host's obj and objnode slab caches (zcache_obj_cache and zcache_objnode_cache,
 * kmem_cache_create with sizeof each struct) for the objects and objnodes allocated now, whole
 * pages of packed objects (46 objs, 42 with CONFIG_RAMSTER; 7 objnodes), partly used slabs and
 * per-CPU preloads not kept.
 */
export function tmemSlabPages(s: Readonly<TmemStats>, objsPerSlab: number): number {
  return Math.ceil(s.obj_count / objsPerSlab) + Math.ceil(s.objnode_count / TMEM_OBJNODES_PER_SLAB);
}

/**
 * The lowest objnode level (at least 1) whose node on the path to index a is also on the path
 * to index b: the first level where their prefixes agree, i.e. where 64^level > (a xor b).
 */
function sharedLevel(a: number, b: number): number {
  if (a <= 0x7fffffff && b <= 0x7fffffff) {
    const bits = 32 - Math.clz32(a ^ b);
    return bits <= OBJNODE_TREE_MAP_SHIFT ? 1 : ((bits + OBJNODE_TREE_MAP_SHIFT - 1) / OBJNODE_TREE_MAP_SHIFT) | 0;
  }
  let level = 1;
  while (prefix(a, level) !== prefix(b, level)) level++;
  return level;
}

/** Callbacks the backend registers (struct tmem_pamops, the part tmem itself calls). */
export interface TmemPamOps<P> {
  /** A pampd left tmem (duplicate put, flush, flush_object, destroy_pool): free it. */
  pampdFree(pampd: P, pool: TmemPool<P>, oid: number, index: number): void;
}

/**
 * The host's obj/objnode counters (zcache_obj_alloc & co.), debugfs names.
 * zcache and xen-tmem spread them into stats() as they stand: the keys and
 * their order are backends/counters.ts TMEM_CORE_COUNTERS.
 */
interface TmemStats {
  obj_count: number;
  obj_count_max: number;
  objnode_count: number;
  objnode_count_max: number;
}

/**
 * Pads a dense array of [pampd, insertion number] pairs with empty pairs up to index `index`. By
 * pushes, never by a store past the end: a store far past an array's end turns its elements into
 * a dictionary (V8), and every later lookup into a hash probe.
 */
function padDense(s: unknown[], index: number): void {
  for (let i = s.length; i <= 2 * index + 1; i++) s.push(undefined);
}

/**
 * An object's pampds by index: a Map<number, P> in behaviour (get, set,
 * delete, size; iteration in insertion order, where a set of a present
 * index keeps its place). An object's pages are mostly a dense run of
 * indexes (a swap type's offsets, a file read from its start), so while
 * they are, the pampds sit in one array indexed by page index: get, set and
 * delete each touch one array slot pair where a Map would hash, probe and,
 * on delete and insert, churn its table. Each pampd is stored beside the
 * number of its insertion, so iteration (rare: flush_object, destroy_pool)
 * orders by that rather than keeping a list in order. An object whose
 * indexes are sparse (a few pages at large indexes: an imported trace's
 * objects scattered over a file) moves to [index, pampd] pairs in insertion
 * order while it holds at most SMALL_PAMPDS (the first in the object's own
 * fields k0/v0, the others in a short array), then to a Map, in insertion
 * order: an array with a few far-apart elements is a
 * dictionary in V8, slower and larger than a Map, and a Map for each of a
 * trace's short-lived objects of a page or two was most of what a xen-tmem
 * replay of one allocated after the objnodes.
 *
 * Keys are page indexes (non-negative integers); pampds are never
 * undefined. An iteration visits the entries present when it starts that
 * are still present when reached.
 */
class PampdMap<P> {
  /** [pampd, insertion number] of index i at 2i, 2i + 1 (dense form), or null. */
  private slots: unknown[] | null = [];
  /**
   * The small sparse form's first (oldest) pair: its index (-1 when none, and in the other
   * forms) and pampd. Held in the object itself: most sparse objects hold one page, and a lookup
   * of one then reads no array (an array is two more objects to reach: its header and its store).
   */
  private k0 = -1;
  private v0: unknown = undefined;
  private count = 0;
  /** The small sparse form's later pairs: [index, pampd] in insertion order in pairs[0 .. 2 * (count - 1)); null in the other forms. */
  private pairs: unknown[] | null = null;
  /** The sparse form, in insertion order, or null. */
  private map: Map<number, P> | null = null;
  /** An empty array of pairs kept by clear() for the next toSparse, or null. */
  private freePairs: unknown[] | null = null;
  /** An empty dense array kept by toSparse for the next clear(), or null. */
  private freeSlots: unknown[] | null = null;
  private inserted = 0;

  get size(): number {
    return this.count;
  }

  get(index: number): P | undefined {
    const s = this.slots;
    if (s !== null) return s[2 * index] as P | undefined;
    if (this.k0 === index) return this.v0 as P;
    const p = this.pairs;
    if (p === null) return this.map!.get(index);
    const i = this.pairAt(p, index);
    return i < 0 ? undefined : (p[i + 1] as P);
  }

  /** Where `index`'s pair starts in p, the later pairs (not k0), or -1. */
  private pairAt(p: unknown[], index: number): number {
    const end = 2 * this.count - 2;
    for (let i = 0; i < end; i += 2) if (p[i] === index) return i;
    return -1;
  }

  has(index: number): boolean {
    return this.get(index) !== undefined;
  }

  /**
   * Whether the present indexes are cheap to walk (the small sparse form, or none at all), so
   * that the objnode tree's shape can be derived from them (Tmem.treeAdd, Tmem.treeDelete).
   */
  indexesAtHand(): boolean {
    return this.pairs !== null || this.count === 0;
  }

  /**
   * While indexesAtHand(): the lowest objnode level, 1 to `height`, whose node on the path to
   * `index` also lies on the path to a present index other than `index`; height + 1 when there
   * is none. Every present index is at most H2MAX[height].
   */
  nearestLevel(index: number, height: number): number {
    const p = this.pairs;
    if (p === null || this.count === 0) return height + 1; // empty
    let best = this.k0 === index ? height : sharedLevel(index, this.k0);
    const end = 2 * this.count - 2;
    for (let i = 0; i < end && best > 1; i += 2) {
      const other = p[i] as number;
      if (other === index) continue;
      const l = sharedLevel(index, other);
      if (l < best) best = l;
    }
    return best;
  }

  /** While indexesAtHand(): the largest present index (-1 when none). */
  maxIndex(): number {
    const p = this.pairs;
    if (p === null) return -1;
    let max = this.k0;
    const end = 2 * this.count - 2;
    for (let i = 0; i < end; i += 2) if ((p[i] as number) > max) max = p[i] as number;
    return max;
  }

  set(index: number, pampd: P): this {
    let s = this.slots;
    // Dense while the array stays within a few times the pages held.
    if (s !== null && 2 * index >= s.length && !this.withinDense(index)) {
      this.toSparse();
      s = null;
    }
    if (s === null) {
      if (this.k0 === index) {
        this.v0 = pampd;
        return this;
      }
      const p = this.pairs;
      if (p !== null) {
        if (this.count === 0) {
          this.k0 = index;
          this.v0 = pampd;
          this.count = 1;
          return this;
        }
        const i = this.pairAt(p, index);
        if (i >= 0) {
          p[i + 1] = pampd;
          return this;
        }
        if (this.count < SMALL_PAMPDS) {
          const e = 2 * this.count - 2;
          p[e] = index;
          p[e + 1] = pampd;
          this.count++;
          return this;
        }
        this.toMap();
      }
      const m = this.map!;
      const added = !m.has(index);
      if (added) this.count++;
      m.set(index, pampd);
      // A Map that has filled in (an object whose first pages came far apart) goes back to the
      // dense form once its indexes are within its bound: looked at when the count doubles.
      if (added && this.count >= 16 && (this.count & (this.count - 1)) === 0) this.toDense();
      return this;
    }
    padDense(s, index);
    if (s[2 * index] === undefined) {
      s[2 * index + 1] = ++this.inserted;
      this.count++;
    }
    s[2 * index] = pampd;
    return this;
  }

  delete(index: number): boolean {
    const s = this.slots;
    const p = this.pairs;
    if (p !== null) {
      // The later pairs move up a place (insertion order kept); the freed last pair lets its pampd go.
      let i: number;
      if (this.k0 === index) {
        if (this.count === 1) {
          this.k0 = -1;
          this.v0 = undefined;
          this.count = 0;
          return true;
        }
        this.k0 = p[0] as number;
        this.v0 = p[1];
        i = 0;
      } else {
        i = this.pairAt(p, index);
        if (i < 0) return false;
      }
      const end = 2 * this.count - 2;
      for (let j = i; j < end - 2; j++) p[j] = p[j + 2];
      p[end - 2] = undefined;
      p[end - 1] = undefined;
    } else if (s === null) {
      if (!this.map!.delete(index)) return false;
    } else {
      if (s[2 * index] === undefined) return false;
      s[2 * index] = undefined;
    }
    this.count--;
    return true;
  }

  /** The dense form's present indexes, in insertion order. */
  private denseKeys(): number[] {
    const s = this.slots!;
    const present: number[] = [];
    for (let i = 0; i < s.length; i += 2) if (s[i] !== undefined) present.push(i >>> 1);
    present.sort((a, b) => (s[2 * a + 1] as number) - (s[2 * b + 1] as number));
    return present;
  }

  /**
   * Empty again (size 0 already), in the dense form: a small dense array is kept, and an
   * array of pairs is kept for the next toSparse.
   */
  clear(): void {
    this.count = 0;
    this.inserted = 0;
    this.map = null;
    this.k0 = -1;
    this.v0 = undefined;
    if (this.pairs !== null) {
      // Its entries are all undefined (delete clears the pair it frees); its length stays, so does its store.
      this.freePairs = this.pairs;
      this.pairs = null;
    }
    if (this.slots === null || this.slots.length > 128) this.slots = this.freeSlots ?? [];
    this.freeSlots = null;
  }

  /** Dense to sparse: pairs while the pampds are few, else a Map. */
  private toSparse(): void {
    const s = this.slots!;
    if (this.count === 0) {
      // A new object's first page at a large index (an imported trace's, all the time): nothing to move, and
      // the empty dense array (no pampd in it, only stale insertion numbers) is kept for the next clear().
      this.slots = null;
      if (s.length <= 128) this.freeSlots = s;
      this.pairs = this.freePairs ?? [];
      this.freePairs = null;
      return;
    }
    const keys = this.denseKeys();
    this.slots = null;
    if (keys.length < SMALL_PAMPDS) {
      const p: unknown[] = this.freePairs ?? [];
      this.freePairs = null;
      if (keys.length > 0) {
        this.k0 = keys[0]!;
        this.v0 = s[2 * keys[0]!];
      }
      for (let k = 1; k < keys.length; k++) {
        p[2 * k - 2] = keys[k];
        p[2 * k - 1] = s[2 * keys[k]!];
      }
      this.pairs = p;
      return;
    }
    const m = new Map<number, P>();
    for (const index of keys) m.set(index, s[2 * index] as P);
    this.map = m;
  }

  /** Whether the dense form may reach `index`: within a few times the pages held. */
  private withinDense(index: number): boolean {
    return index <= 16 * this.count + 64;
  }

  /** A Map to the dense form (in the same order) when its largest index is within the dense bound. */
  private toDense(): void {
    const m = this.map!;
    let max = -1;
    for (const k of m.keys()) if (k > max) max = k;
    if (!this.withinDense(max)) return;
    const s: unknown[] = this.freeSlots ?? [];
    this.freeSlots = null;
    s.length = 0;
    padDense(s, max);
    for (const [k, v] of m) {
      s[2 * k] = v;
      s[2 * k + 1] = ++this.inserted;
    }
    this.slots = s;
    this.map = null;
  }

  /** Pairs to a Map (in the same order): the sparse pampds outgrew SMALL_PAMPDS. */
  private toMap(): void {
    const p = this.pairs!;
    const m = new Map<number, P>();
    m.set(this.k0, this.v0 as P);
    for (let i = 0; i < 2 * this.count - 2; i += 2) m.set(p[i] as number, p[i + 1] as P);
    this.map = m;
    this.k0 = -1;
    this.v0 = undefined;
    // Its pairs are dropped with it (a Map holds them now); the next toSparse makes an array.
    this.pairs = null;
  }

  *keys(): Generator<number, undefined> {
    const p = this.pairs;
    if (p !== null) {
      const present: number[] = this.count > 0 ? [this.k0] : [];
      for (let i = 0; i < 2 * this.count - 2; i += 2) present.push(p[i] as number);
      for (const index of present) if (this.has(index)) yield index;
      return;
    }
    if (this.slots === null) {
      for (const index of [...this.map!.keys()]) if (this.has(index)) yield index;
      return;
    }
    for (const index of this.denseKeys()) if (this.has(index)) yield index;
  }

  *values(): Generator<P, undefined> {
    for (const k of this.keys()) yield this.get(k)!;
  }

  *entries(): Generator<[number, P], undefined> {
    for (const k of this.keys()) yield [k, this.get(k)!];
  }

  [Symbol.iterator](): Generator<[number, P], undefined> {
    return this.entries();
  }
}

/**
 * An object: its pampds by index (the leaves of the kernel's radix tree) are the PampdMap it
 * extends, so a lookup reads the object's own fields where a PampdMap of its own was one more
 * object to reach (a cache miss on each of a replay's millions of random object lookups).
 */
export class TmemObj<P> extends PampdMap<P> {
  /** The pampds by index: the object itself. */
  get pampds(): PampdMap<P> {
    return this;
  }
  /** objnode_tree_height. */
  height = 0;
  /**
   * The objnodes of the tree while there are at most SMALL_NODES of them:
   * [node key, slots_in_use] pairs in small[0 .. 2 * nodeCount), the node key
   * being prefix * 16 + level (see `levels`), in no order. Null once the tree
   * outgrew it (then `levels`). An imported trace's objects hold a few pages
   * each and are emptied and made again all the time: one array, reused, where
   * each level was an array or a Map made for each object.
   */
  small: number[] | null = [];
  /**
   * The objnodes of a larger tree, by level (1 = the nodes holding pampds, up
   * to `height` = the root): slots_in_use by the node's prefix, index /
   * 64^level (0 or missing: no node). An array while the prefixes are dense,
   * a Map once one lands far past the array's end (see PampdMap).
   */
  levels: (number[] | Map<number, number>)[] | null = null;
  /** Objnodes in the tree. */
  nodeCount = 0;
  /**
   * True when `small`/`levels` no longer hold the tree's objnodes: while the pampds' indexes are
   * at hand (PampdMap.indexesAtHand) the shape is derived from them and only nodeCount and
   * height are kept; the nodes are made again from the indexes when the object leaves that form.
   */
  shapeStale = false;
  /** Its insertion number in its pool's ObjMap (the order the pool's objects iterate in). */
  seq = 0;
  constructor(public oid: number) {
    super();
  }

  /** An emptied and freed object made ready to be another: its arrays are kept (see Tmem.newObj). */
  recycle(): void {
    this.clear();
    this.height = 0;
    this.nodeCount = 0;
    this.shapeStale = false;
    if (this.small === null) this.small = [];
    this.levels = null;
  }
}

/** Freed objects a Tmem keeps for reuse (an imported trace's objects come and go by the million). */
const SPARE_OBJS = 1024;

/** Oids below this are kept in ObjMap's array, larger ones in its Map. */
const SMALL_OID = 1 << 16;
/** The length of a new pool's array of objects (it doubles as oids come, up to SMALL_OID). */
const FIRST_OIDS = 64;

/** Whether an oid is kept in ObjMap's array (a 32-bit integer below SMALL_OID). */
function smallOid(oid: number): boolean {
  return oid >>> 0 === oid && oid < SMALL_OID;
}

/**
 * ObjMap's array of objects by oid, `n` slots long, every slot undefined. Made in one way for
 * every length, so that every pool's array has one elements kind (holey, any value): the loads
 * and stores of ObjMap's get, set and delete then see one array map, and index it within bounds.
 */
function objSlots<P>(n: number): (TmemObj<P> | undefined)[] {
  return new Array<TmemObj<P> | undefined>(n).fill(undefined);
}

function bySeq(a: TmemObj<unknown>, b: TmemObj<unknown>): number {
  return a.seq - b.seq;
}

/**
 * A pool's objects by oid, a Map in behaviour (get, set, delete, size, and
 * iteration in insertion order, where a set of a present oid keeps its place).
 * Small oids, the common ones (swizzled swap oids, most inode numbers), sit in
 * an array: a get is a load, and a set or delete a store, where a Map hashes
 * and, for an imported trace's objects made and freed by the million, churns
 * its table (a Map set was 6 % of a xen-tmem replay's samples). Larger oids
 * are in a Map. Each object carries the number of its insertion, so an
 * iteration (rare: flush_object of every object of a shared pool,
 * destroy_pool) sorts by it instead of a list being kept in order.
 *
 * The array is read only within its length, and grows by copying into a new
 * one from objSlots (a store past the end would grow it in place, and the
 * loads past the end made each of them a generic access: V8 gave the
 * array's element load in a xen-tmem replay up as megamorphic, about 200
 * instructions a request in IC builtins).
 */
class ObjMap<P> {
  private small = objSlots<P>(FIRST_OIDS);
  private readonly large = new Map<number, TmemObj<P>>();
  private count = 0;
  private inserted = 0;

  get size(): number {
    return this.count;
  }

  get(oid: number): TmemObj<P> | undefined {
    if (!smallOid(oid)) return this.large.get(oid);
    const s = this.small;
    return oid < s.length ? s[oid] : undefined;
  }

  set(oid: number, obj: TmemObj<P>): this {
    const old = this.get(oid);
    // A present oid keeps its place; a new one goes last.
    if (old === undefined) {
      obj.seq = ++this.inserted;
      this.count++;
    } else obj.seq = old.seq;
    if (!smallOid(oid)) this.large.set(oid, obj);
    else {
      if (oid >= this.small.length) this.growSmall(oid);
      this.small[oid] = obj;
    }
    return this;
  }

  delete(oid: number): boolean {
    if (!smallOid(oid)) {
      if (!this.large.delete(oid)) return false;
    } else {
      const s = this.small;
      if (oid >= s.length || s[oid] === undefined) return false;
      s[oid] = undefined;
    }
    this.count--;
    return true;
  }

  /** The array made long enough for `oid` (< SMALL_OID): at least twice as long, its objects copied. */
  private growSmall(oid: number): void {
    const s = this.small;
    let n = 2 * s.length;
    while (n <= oid) n *= 2;
    const t = objSlots<P>(Math.min(n, SMALL_OID));
    for (let i = 0; i < s.length; i++) t[i] = s[i];
    this.small = t;
  }

  /** The objects in insertion order (a copy: the map may change while the caller walks it). */
  private ordered(): TmemObj<P>[] {
    const out: TmemObj<P>[] = [];
    const s = this.small;
    for (let i = 0; i < s.length; i++) if (s[i] !== undefined) out.push(s[i]!);
    for (const obj of this.large.values()) out.push(obj);
    return out.sort(bySeq);
  }

  /** Like a Map's iterators: an object deleted before the walk reaches it is skipped. */
  *values(): Generator<TmemObj<P>, undefined> {
    for (const obj of this.ordered()) if (this.get(obj.oid) === obj) yield obj;
  }

  *keys(): Generator<number, undefined> {
    for (const obj of this.values()) yield obj.oid;
  }

  *entries(): Generator<[number, TmemObj<P>], undefined> {
    for (const obj of this.values()) yield [obj.oid, obj];
  }

  [Symbol.iterator](): Generator<[number, TmemObj<P>], undefined> {
    return this.entries();
  }
}

export class TmemPool<P> {
  readonly objs = new ObjMap<P>();
  /** Set by destroyPool: a destroyed pool holds nothing and accepts nothing. */
  destroyed = false;
  constructor(
    readonly id: number,
    readonly flags: number,
  ) {}
  get persistent(): boolean {
    return (this.flags & TMEM_POOL_PERSIST) !== 0;
  }
  get ephemeral(): boolean {
    return (this.flags & TMEM_POOL_PERSIST) === 0;
  }
  get shared(): boolean {
    return (this.flags & TMEM_POOL_SHARED) !== 0;
  }
  /** atomic_read(&pool->obj_count). */
  get objCount(): number {
    return this.objs.size;
  }
}

/** Whether tmem_get with this get_and_free removes the page. */
export function tmemGetFrees(pool: TmemPool<unknown>, getAndFree: number): boolean {
  return getAndFree === 1 || (getAndFree === 0 && pool.ephemeral);
}

const GOLDEN_RATIO_PRIME_64 = 0x9e37fffffffc0001n;
const U64 = (1n << 64n) - 1n;

/** tmem_oid_hash: hash_long(oid[0]^oid[1]^oid[2], 8) with 64-bit longs (hash_64, Linux 3.10). */
export function tmemOidHash(oid: number): number {
  const h = (BigInt.asUintN(64, BigInt(oid)) * GOLDEN_RATIO_PRIME_64) & U64;
  return Number(h >> BigInt(64 - TMEM_HASH_BUCKET_BITS));
}

function byBucketThenOid(a: TmemObj<unknown>, b: TmemObj<unknown>): number {
  const ha = tmemOidHash(a.oid);
  const hb = tmemOidHash(b.oid);
  return ha !== hb ? ha - hb : a.oid - b.oid;
}

function ascending(a: number, b: number): number {
  return a - b;
}

/** One tmem instance: the pools of one backend, its pamops and its host counters. */
export class Tmem<P> {
  readonly stats: TmemStats = { obj_count: 0, obj_count_max: 0, objnode_count: 0, objnode_count_max: 0 };
  /** Freed objects for newObj. */
  private readonly spareObjs: TmemObj<P>[] = [];

  constructor(private readonly pamops: TmemPamOps<P>) {}

  /** tmem_new_pool: the id is the host's (zcache: the first free slot of the client). */
  newPool(id: number, flags: number): TmemPool<P> {
    return new TmemPool<P>(id, flags);
  }

  /** The pampd stored at (oid, index), without side effects. */
  lookup(pool: TmemPool<P>, oid: number, index: number): P | undefined {
    return pool.objs.get(oid)?.pampds.get(index);
  }

  /**
   * tmem_put of a page the caller has just found absent: `obj` is what
   * pool.objs.get(oid) returns now (undefined when the object does not
   * exist). Spares put()'s lookups on a host's hot path.
   */
  putAbsent(pool: TmemPool<P>, obj: TmemObj<P> | undefined, oid: number, index: number, pampd: P): TmemObj<P> {
    if (obj === undefined) {
      obj = this.newObj(oid);
      pool.objs.set(oid, obj);
      this.objAlloced();
    }
    this.treeAdd(obj, index);
    obj.pampds.set(index, pampd);
    return obj;
  }

  /** tmem_put: always succeeds (metadata allocation never fails in tmemsim). */
  put(pool: TmemPool<P>, oid: number, index: number, pampd: P): void {
    const obj = pool.objs.get(oid);
    const old = obj?.pampds.get(index);
    if (old !== undefined) {
      // a dup put: flush the old one (an emptied obj is kept for the new pampd)
      obj!.pampds.delete(index);
      this.treeDelete(obj!, index);
      this.pamops.pampdFree(old, pool, oid, index);
    }
    this.putAbsent(pool, obj, oid, index, pampd);
  }

  /**
   * tmem_get up to the pamops call: returns the pampd, or null on a miss.
   * When tmemGetFrees(pool, getAndFree), the pampd has been removed from
   * tmem (and an emptied object freed) and the caller must free it
   * (get_data_and_free); otherwise it stays (get_data).
   */
  get(pool: TmemPool<P>, oid: number, index: number, getAndFree: number): P | null {
    const obj = pool.objs.get(oid);
    if (obj === undefined) return null;
    const p = obj.pampds.get(index);
    if (p === undefined) return null;
    if (tmemGetFrees(pool, getAndFree)) {
      obj.pampds.delete(index);
      this.treeDelete(obj, index);
      if (obj.pampds.size === 0) this.objFree(pool, obj);
    }
    return p;
  }

  /** tmem_flush_page: true (ret 0) if a page was found and freed. */
  flushPage(pool: TmemPool<P>, oid: number, index: number): boolean {
    const obj = pool.objs.get(oid);
    if (obj === undefined) return false;
    return this.flushPageIn(pool, obj, index);
  }

  /**
   * tmem_flush_page in an object the caller holds (the one putAbsent returned for a page still
   * in it: an object is not freed while it holds a page): flushPage without the oid's lookup.
   */
  flushPageIn(pool: TmemPool<P>, obj: TmemObj<P>, index: number): boolean {
    const p = obj.pampds.get(index);
    if (p === undefined) return false;
    obj.pampds.delete(index);
    this.treeDelete(obj, index);
    this.pamops.pampdFree(p, pool, obj.oid, index);
    if (obj.pampds.size === 0) this.objFree(pool, obj);
    return true;
  }

  /** tmem_flush_object: true (ret 0) if the object existed. */
  flushObject(pool: TmemPool<P>, oid: number): boolean {
    const obj = pool.objs.get(oid);
    if (obj === undefined) return false;
    this.destroyAllInObj(pool, obj);
    this.objFree(pool, obj);
    return true;
  }

  /** tmem_destroy_pool (tmem_pool_flush with destroy): frees everything, marks the pool dead. */
  destroyPool(pool: TmemPool<P>): void {
    const objs = [...pool.objs.values()].sort(byBucketThenOid);
    for (const obj of objs) {
      this.destroyAllInObj(pool, obj);
      this.objFree(pool, obj);
    }
    pool.destroyed = true;
  }

  // ---- objects --------------------------------------------------------------

  private objAlloced(): void {
    const s = this.stats;
    if (++s.obj_count > s.obj_count_max) s.obj_count_max = s.obj_count;
  }

  /** tmem_obj_free + hostops.obj_free. */
  private objFree(pool: TmemPool<P>, obj: TmemObj<P>): void {
    if (obj.nodeCount > 0) this.dropNodes(obj); // a "stump" (never left by tmemsim's ops)
    pool.objs.delete(obj.oid);
    this.stats.obj_count--;
    // A host holds no object across a call that may free it (xen-tmem looks its object up again after evicting).
    if (this.spareObjs.length < SPARE_OBJS) {
      obj.recycle();
      this.spareObjs.push(obj);
    }
  }

  /** An empty object for `oid`: a freed one reused, else a new one. */
  private newObj(oid: number): TmemObj<P> {
    const obj = this.spareObjs.pop();
    if (obj === undefined) return new TmemObj<P>(oid);
    obj.oid = oid;
    return obj;
  }

  /** tmem_pampd_destroy_all_in_obj: free every pampd in ascending index order, and every objnode. */
  private destroyAllInObj(pool: TmemPool<P>, obj: TmemObj<P>): void {
    const indexes = [...obj.pampds.keys()];
    if (indexes.length > 1) indexes.sort(ascending);
    for (const index of indexes) {
      const p = obj.pampds.get(index)!;
      obj.pampds.delete(index);
      this.pamops.pampdFree(p, pool, obj.oid, index);
    }
    this.dropNodes(obj);
  }

  private dropNodes(obj: TmemObj<P>): void {
    this.stats.objnode_count -= obj.nodeCount;
    obj.nodeCount = 0;
    // The small array is kept (its pairs past nodeCount are dead): nothing is allocated for the next tree.
    if (obj.small === null) obj.small = [];
    obj.levels = null;
    obj.height = 0;
    obj.shapeStale = false;
  }

  // ---- the objnode tree's shape (tmem_pampd_add_to_obj / _delete_from_obj) ----

  /** The slots in use of the node at `level` on the path to `index` (0: no node). */
  private static slots(obj: TmemObj<unknown>, index: number, level: number): number {
    const sm = obj.small;
    if (sm !== null) {
      const key = prefix(index, level) * 16 + level;
      const end = 2 * obj.nodeCount;
      for (let i = 0; i < end; i += 2) if (sm[i] === key) return sm[i + 1]!;
      return 0;
    }
    const nodes = obj.levels![level];
    if (nodes === undefined) return 0;
    const k = prefix(index, level);
    return (Array.isArray(nodes) ? nodes[k] : nodes.get(k)) ?? 0;
  }

  /**
   * Sets the slots in use of the node at `level` on the path to `index` (0: the node goes).
   * nodeAlloc and nodeFree call it before they count the node in or out.
   */
  private static setSlots(obj: TmemObj<unknown>, index: number, level: number, slots: number): void {
    const sm = obj.small;
    if (sm !== null) {
      const key = prefix(index, level) * 16 + level;
      const end = 2 * obj.nodeCount;
      let i = 0;
      while (i < end && sm[i] !== key) i += 2;
      if (i < end) {
        if (slots > 0) sm[i + 1] = slots;
        else {
          // The last pair takes the freed node's place.
          sm[i] = sm[end - 2]!;
          sm[i + 1] = sm[end - 1]!;
        }
        return;
      }
      if (end < 2 * SMALL_NODES) {
        sm[end] = key;
        sm[end + 1] = slots;
        return;
      }
      Tmem.toLevels(obj);
    }
    Tmem.setLevel(obj, prefix(index, level), level, slots);
  }

  /** The small array's nodes move to levels (the tree grew past SMALL_NODES objnodes). */
  private static toLevels(obj: TmemObj<unknown>): void {
    const sm = obj.small!;
    obj.small = null;
    obj.levels = [];
    for (let i = 0; i < 2 * obj.nodeCount; i += 2) {
      const key = sm[i]!;
      const level = key - Math.floor(key / 16) * 16;
      Tmem.setLevel(obj, (key - level) / 16, level, sm[i + 1]!);
    }
  }

  private static setLevel(obj: TmemObj<unknown>, k: number, level: number, slots: number): void {
    const levels = obj.levels!;
    let nodes = levels[level] ?? (levels[level] = []);
    // A prefix more than LEVEL_GAP past the array's end makes the level a Map: an array is for prefixes
    // that come in order (a swap type's offsets, a file read from its start). A wider gap made a holey
    // array of up to a thousand slots for each sparse object, and an imported trace's objects are sparse
    // and short-lived (most of the allocation, and of the GC, of a xen-tmem replay of one).
    if (Array.isArray(nodes) && k >= nodes.length + LEVEL_GAP) {
      const m = new Map<number, number>();
      nodes.forEach((v, i) => m.set(i, v));
      nodes = levels[level] = m;
    }
    if (Array.isArray(nodes)) nodes[k] = slots;
    else if (slots === 0) nodes.delete(k);
    else nodes.set(k, slots);
  }

  private nodeAlloc(obj: TmemObj<P>, index: number, level: number): void {
    Tmem.setSlots(obj, index, level, 1);
    this.nodesAlloced(obj, 1);
  }

  private nodeFree(obj: TmemObj<P>, index: number, level: number): void {
    Tmem.setSlots(obj, index, level, 0);
    this.nodesFreed(obj, 1);
  }

  /**
   * The objnodes of obj's tree made again from its indexes (and `extra`, an index just removed
   * from obj.pampds that the tree still holds, or -1): at each level, one node for each prefix
   * of a present index, its slots in use the distinct prefixes one level down under it.
   */
  private static rebuildShape(obj: TmemObj<unknown>, extra: number): void {
    const indexes = [...obj.pampds.keys()];
    if (extra >= 0) indexes.push(extra);
    const nodes = obj.nodeCount;
    obj.small = [];
    obj.levels = null;
    obj.nodeCount = 0;
    obj.shapeStale = false;
    let below = new Set(indexes); // the prefixes at level - 1
    for (let level = 1; level <= obj.height; level++) {
      const slots = new Map<number, number>();
      for (const child of below) {
        const k = Math.floor(child / LEVEL_DIV[1]!);
        slots.set(k, (slots.get(k) ?? 0) + 1);
      }
      for (const [k, n] of slots) {
        Tmem.setSlots(obj, k * LEVEL_DIV[level]!, level, n);
        obj.nodeCount++;
      }
      below = new Set(slots.keys());
    }
    if (obj.nodeCount !== nodes) throw new Error(`tmem: objnode shadow of oid ${obj.oid} made again with ${obj.nodeCount} nodes, not ${nodes}`);
  }

  /** Counts `n` objnodes allocated in obj's tree. */
  private nodesAlloced(obj: TmemObj<P>, n: number): void {
    obj.nodeCount += n;
    const s = this.stats;
    if ((s.objnode_count += n) > s.objnode_count_max) s.objnode_count_max = s.objnode_count;
  }

  /** Counts `n` objnodes freed from obj's tree. */
  private nodesFreed(obj: TmemObj<P>, n: number): void {
    obj.nodeCount -= n;
    this.stats.objnode_count -= n;
  }

  /**
   * treeAdd while obj's indexes are at hand: no node is looked up. The nodes a put allocates are
   * the new roots of a grown tree and, on the new index's path, every node below the lowest one
   * that already holds a present index (all of them in an empty tree).
   */
  private treeAddDerived(obj: TmemObj<P>, index: number): void {
    const empty = obj.pampds.size === 0;
    let added = 0;
    if (index > H2MAX[obj.height]!) {
      let h = obj.height + 1;
      while (index > H2MAX[h]!) h++;
      if (!empty) added = h - obj.height; // new roots, each holding the old root in slot 0
      obj.height = h;
    }
    const height = obj.height;
    if (height > 0) added += obj.pampds.nearestLevel(index, height) - 1;
    if (added > 0) this.nodesAlloced(obj, added);
    obj.shapeStale = true;
  }

  /**
   * treeDelete while obj's indexes are at hand: the nodes freed are those on the removed index's
   * path below the lowest one still holding a present index (all of them when none is left);
   * when that one is the root, the root collapses while it has one slot in use and it is slot 0,
   * i.e. while every index left is below 64^(height - 1).
   */
  private treeDeleteDerived(obj: TmemObj<P>, index: number): void {
    let height = obj.height;
    if (height === 0) return;
    let freed: number;
    if (obj.pampds.size === 0) {
      freed = height;
      height = 0;
    } else {
      const level = obj.pampds.nearestLevel(index, height);
      freed = level - 1;
      if (level === height) {
        const max = obj.pampds.maxIndex();
        while (height > 0 && max <= H2MAX[height - 1]!) {
          freed++;
          height--;
        }
      }
    }
    obj.height = height;
    this.nodesFreed(obj, freed);
    obj.shapeStale = true;
  }

  /** Called before the pampd is added to obj.pampds. */
  private treeAdd(obj: TmemObj<P>, index: number): void {
    if (obj.pampds.indexesAtHand()) {
      this.treeAddDerived(obj, index);
      return;
    }
    if (obj.shapeStale) Tmem.rebuildShape(obj, -1);
    if (index > H2MAX[obj.height]!) {
      let h = obj.height + 1;
      while (index > H2MAX[h]!) h++;
      if (obj.pampds.size === 0) {
        obj.height = h; // empty tree: just grow the height
      } else {
        do {
          // a new root whose slot 0 holds the old root
          obj.height++;
          this.nodeAlloc(obj, 0, obj.height);
        } while (h > obj.height);
      }
    }
    const height = obj.height;
    if (height === 0) return; // the pampd (index 0) is the root itself
    // From the leaf up: every missing node on the path is new with one slot
    // in use (the node or pampd below it); the lowest existing one gains a slot.
    let level = 1;
    let slots = Tmem.slots(obj, index, 1);
    while (slots === 0) {
      this.nodeAlloc(obj, index, level);
      if (++level > height) return;
      slots = Tmem.slots(obj, index, level);
    }
    Tmem.setSlots(obj, index, level, slots + 1);
  }

  /** Called after the pampd has been removed from obj.pampds. */
  private treeDelete(obj: TmemObj<P>, index: number): void {
    if (obj.pampds.indexesAtHand()) {
      this.treeDeleteDerived(obj, index);
      return;
    }
    if (obj.shapeStale) Tmem.rebuildShape(obj, index);
    const height = obj.height;
    if (height === 0) return; // the root pampd goes: root = NULL
    for (let level = 1; level <= height; level++) {
      const slots = Tmem.slots(obj, index, level) - 1;
      if (slots > 0) {
        Tmem.setSlots(obj, index, level, slots);
        if (level === height) this.collapseRoot(obj);
        return;
      }
      this.nodeFree(obj, index, level);
    }
    obj.height = 0;
  }

  /** Shrink the tree while the root has one used slot and it is slot 0. */
  private collapseRoot(obj: TmemObj<P>): void {
    while (obj.height > 0) {
      const h = obj.height;
      if (Tmem.slots(obj, 0, h) !== 1) return;
      const slot0Used = h === 1 ? obj.pampds.has(0) : Tmem.slots(obj, 0, h - 1) > 0;
      if (!slot0Used) return;
      this.nodeFree(obj, 0, h);
      obj.height--;
    }
  }
}
