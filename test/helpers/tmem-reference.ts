// The tmem core as it was before its data structures were made faster (src/tmem/tmem.ts at
// 992e480): Maps for pampds and objnodes. Kept as the reference the optimised core is checked
// against (test/unit/tmem/tmem-reference.test.ts).

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
 * - An oid is one number: the 192-bit tmem_oid with oid[1] = oid[2] = 0
 *   (zcache's frontswap oids and cleancache inode numbers fit in oid[0]).
 * - No locking: hash bucket locks, pool refcounts and RAMster's
 *   repatriation are not modelled.
 */

export const TMEM_POOL_PERSIST = 1;
export const TMEM_POOL_SHARED = 2;
export const TMEM_HASH_BUCKET_BITS = 8;
export const OBJNODE_TREE_MAP_SHIFT = 6;

/** tmem_objnode_tree_h2max[]: the largest index a tree of each height holds (64-bit longs). */
const H2MAX: readonly number[] = (() => {
  const a: number[] = [0];
  for (let ht = 1; ht <= 12; ht++) a.push(ht * OBJNODE_TREE_MAP_SHIFT >= 64 ? Infinity : 2 ** (ht * OBJNODE_TREE_MAP_SHIFT) - 1);
  return a;
})();
/** 64^level, for the prefix of an index at an objnode level. */
const LEVEL_DIV: readonly number[] = Array.from({ length: 13 }, (_, l) => 2 ** (l * OBJNODE_TREE_MAP_SHIFT));

/**
 * Objnode identity: the node at `level` (1 = holds pampds, `height` = root)
 * on the path to `index` covers the indexes sharing index / 64^level. Levels
 * counted from the leaves do not change when the tree grows or collapses.
 */
function nodeKey(index: number, level: number): number {
  return Math.floor(index / LEVEL_DIV[level]!) * 16 + level;
}

/** Callbacks the backend registers (struct tmem_pamops, the part tmem itself calls). */
export interface TmemPamOps<P> {
  /** A pampd left tmem (duplicate put, flush, flush_object, destroy_pool): free it. */
  pampdFree(pampd: P, pool: TmemPool<P>, oid: number, index: number): void;
}

/** The host's obj/objnode counters (zcache_obj_alloc & co.), debugfs names. */
export interface TmemStats {
  obj_count: number;
  obj_count_max: number;
  objnode_count: number;
  objnode_count_max: number;
}

export class TmemObj<P> {
  /** The pampds by index (the leaves of the kernel's radix tree). */
  readonly pampds = new Map<number, P>();
  /** objnode_tree_height. */
  height = 0;
  /** The objnodes of the tree: nodeKey → slots_in_use. */
  readonly nodes = new Map<number, number>();
  constructor(readonly oid: number) {}
}

export class TmemPool<P> {
  readonly objs = new Map<number, TmemObj<P>>();
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

  constructor(private readonly pamops: TmemPamOps<P>) {}

  /** tmem_new_pool: the id is the host's (zcache: the first free slot of the client). */
  newPool(id: number, flags: number): TmemPool<P> {
    return new TmemPool<P>(id, flags);
  }

  /** The pampd stored at (oid, index), without side effects. */
  lookup(pool: TmemPool<P>, oid: number, index: number): P | undefined {
    return pool.objs.get(oid)?.pampds.get(index);
  }

  /** tmem_put: always succeeds (metadata allocation never fails in tmemsim). */
  put(pool: TmemPool<P>, oid: number, index: number, pampd: P): void {
    let obj = pool.objs.get(oid);
    if (obj !== undefined) {
      const old = obj.pampds.get(index);
      if (old !== undefined) {
        // a dup put: flush the old one (an emptied obj is kept for the new pampd)
        obj.pampds.delete(index);
        this.treeDelete(obj, index);
        this.pamops.pampdFree(old, pool, oid, index);
      }
    } else {
      obj = new TmemObj<P>(oid);
      pool.objs.set(oid, obj);
      this.objAlloced();
    }
    this.treeAdd(obj, index);
    obj.pampds.set(index, pampd);
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
    const p = obj.pampds.get(index);
    if (p === undefined) return false;
    obj.pampds.delete(index);
    this.treeDelete(obj, index);
    this.pamops.pampdFree(p, pool, oid, index);
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
    if (obj.nodes.size > 0) this.dropNodes(obj); // a "stump" (never left by tmemsim's ops)
    pool.objs.delete(obj.oid);
    this.stats.obj_count--;
  }

  /** tmem_pampd_destroy_all_in_obj: free every pampd in ascending index order, and every objnode. */
  private destroyAllInObj(pool: TmemPool<P>, obj: TmemObj<P>): void {
    const n = obj.pampds.size;
    if (n === 1) {
      for (const [index, p] of obj.pampds) {
        obj.pampds.clear();
        this.pamops.pampdFree(p, pool, obj.oid, index);
      }
    } else if (n > 1) {
      const indexes = [...obj.pampds.keys()].sort(ascending);
      for (const index of indexes) {
        const p = obj.pampds.get(index)!;
        obj.pampds.delete(index);
        this.pamops.pampdFree(p, pool, obj.oid, index);
      }
    }
    this.dropNodes(obj);
  }

  private dropNodes(obj: TmemObj<P>): void {
    this.stats.objnode_count -= obj.nodes.size;
    obj.nodes.clear();
    obj.height = 0;
  }

  // ---- the objnode tree's shape (tmem_pampd_add_to_obj / _delete_from_obj) ----

  private nodeAlloc(obj: TmemObj<P>, key: number, slotsInUse: number): void {
    obj.nodes.set(key, slotsInUse);
    const s = this.stats;
    if (++s.objnode_count > s.objnode_count_max) s.objnode_count_max = s.objnode_count;
  }

  private nodeFree(obj: TmemObj<P>, key: number): void {
    obj.nodes.delete(key);
    this.stats.objnode_count--;
  }

  /** Called before the pampd is added to obj.pampds. */
  private treeAdd(obj: TmemObj<P>, index: number): void {
    if (index > H2MAX[obj.height]!) {
      let h = obj.height + 1;
      while (index > H2MAX[h]!) h++;
      if (obj.pampds.size === 0) {
        obj.height = h; // empty tree: just grow the height
      } else {
        do {
          // a new root whose slot 0 holds the old root
          obj.height++;
          this.nodeAlloc(obj, nodeKey(0, obj.height), 1);
        } while (h > obj.height);
      }
    }
    const height = obj.height;
    if (height === 0) return; // the pampd (index 0) is the root itself
    const nodes = obj.nodes;
    for (let level = height; level >= 1; level--) {
      const k = nodeKey(index, level);
      if (!nodes.has(k)) {
        this.nodeAlloc(obj, k, 0);
        if (level < height) {
          const pk = nodeKey(index, level + 1);
          nodes.set(pk, nodes.get(pk)! + 1);
        }
      }
    }
    const leaf = nodeKey(index, 1);
    nodes.set(leaf, nodes.get(leaf)! + 1);
  }

  /** Called after the pampd has been removed from obj.pampds. */
  private treeDelete(obj: TmemObj<P>, index: number): void {
    const height = obj.height;
    if (height === 0) return; // the root pampd goes: root = NULL
    const nodes = obj.nodes;
    for (let level = 1; level <= height; level++) {
      const k = nodeKey(index, level);
      const slots = nodes.get(k)! - 1;
      if (slots > 0) {
        nodes.set(k, slots);
        if (level === height) this.collapseRoot(obj);
        return;
      }
      this.nodeFree(obj, k);
    }
    obj.height = 0;
  }

  /** Shrink the tree while the root has one used slot and it is slot 0. */
  private collapseRoot(obj: TmemObj<P>): void {
    const nodes = obj.nodes;
    while (obj.height > 0) {
      const rootKey = nodeKey(0, obj.height);
      if (nodes.get(rootKey) !== 1) return;
      const slot0Used = obj.height === 1 ? obj.pampds.has(0) : nodes.has(nodeKey(0, obj.height - 1));
      if (!slot0Used) return;
      this.nodeFree(obj, rootKey);
      obj.height--;
    }
  }
}
