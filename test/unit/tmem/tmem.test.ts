import { describe, expect, it } from 'vitest';
import {
  TMEM_POOL_PERSIST,
  Tmem,
  TmemPool,
  tmemGetFrees,
  tmemOidHash,
  type TmemPamOps,
} from '../../../src/tmem/tmem.js';

interface P {
  id: number;
}

class RecordingOps implements TmemPamOps<P> {
  freed: number[] = [];
  pampdFree(p: P): void {
    this.freed.push(p.id);
  }
}

function setup(flags = 0): { tmem: Tmem<P>; ops: RecordingOps; pool: TmemPool<P> } {
  const ops = new RecordingOps();
  const tmem = new Tmem<P>(ops);
  return { tmem, ops, pool: tmem.newPool(0, flags) };
}

describe('tmem core', () => {
  it('put then get on a persistent pool keeps the page unless get_and_free is 1', () => {
    const { tmem, pool } = setup(TMEM_POOL_PERSIST);
    tmem.put(pool, 7, 3, { id: 1 });
    expect(tmem.get(pool, 7, 3, 0)?.id).toBe(1);
    expect(tmem.get(pool, 7, 3, -1)?.id).toBe(1);
    expect(tmem.get(pool, 7, 3, 1)?.id).toBe(1);
    expect(tmem.get(pool, 7, 3, 1)).toBeNull();
    expect(pool.objCount).toBe(0);
  });

  it('get with get_and_free 0 frees on an ephemeral pool, -1 does not', () => {
    const { tmem, pool } = setup(0);
    expect(tmemGetFrees(pool, 0)).toBe(true);
    expect(tmemGetFrees(pool, -1)).toBe(false);
    tmem.put(pool, 1, 1, { id: 1 });
    expect(tmem.get(pool, 1, 1, -1)?.id).toBe(1);
    expect(tmem.get(pool, 1, 1, 0)?.id).toBe(1);
    expect(tmem.get(pool, 1, 1, 0)).toBeNull();
  });

  it('a duplicate put frees the old pampd before adding the new one, and keeps the object', () => {
    const { tmem, ops, pool } = setup(0);
    tmem.put(pool, 1, 5, { id: 1 });
    tmem.put(pool, 1, 5, { id: 2 });
    expect(ops.freed).toEqual([1]);
    expect(tmem.lookup(pool, 1, 5)?.id).toBe(2);
    expect(tmem.stats.obj_count).toBe(1);
    expect(tmem.stats.obj_count_max).toBe(1);
  });

  it('flush_page and flush_object free pampds and empty objects', () => {
    const { tmem, ops, pool } = setup(0);
    tmem.put(pool, 1, 9, { id: 9 });
    tmem.put(pool, 1, 2, { id: 2 });
    tmem.put(pool, 1, 100, { id: 100 });
    tmem.put(pool, 2, 0, { id: 50 });
    expect(tmem.stats.obj_count).toBe(2);
    expect(tmem.flushPage(pool, 2, 0)).toBe(true);
    expect(tmem.flushPage(pool, 2, 0)).toBe(false);
    expect(tmem.stats.obj_count).toBe(1);
    expect(tmem.flushObject(pool, 1)).toBe(true);
    // tmem_pampd_destroy_all_in_obj walks the tree: ascending index
    expect(ops.freed).toEqual([50, 2, 9, 100]);
    expect(tmem.flushObject(pool, 1)).toBe(false);
    expect(tmem.stats).toEqual({ obj_count: 0, obj_count_max: 2, objnode_count: 0, objnode_count_max: 3 });
  });

  it('counts objnodes like the kernel radix tree (growth, leaves, root collapse)', () => {
    const { tmem, pool } = setup(TMEM_POOL_PERSIST);
    tmem.put(pool, 1, 0, { id: 0 }); // height 0: the pampd is the root
    expect(tmem.stats.objnode_count).toBe(0);
    tmem.put(pool, 1, 1, { id: 1 }); // height 1: one node
    expect(tmem.stats.objnode_count).toBe(1);
    tmem.put(pool, 1, 64, { id: 64 }); // height 2: root + two leaves
    expect(tmem.stats.objnode_count).toBe(3);
    tmem.put(pool, 1, 65, { id: 65 }); // same leaf
    expect(tmem.stats.objnode_count).toBe(3);
    tmem.flushPage(pool, 1, 64);
    expect(tmem.stats.objnode_count).toBe(3);
    tmem.flushPage(pool, 1, 65); // leaf freed; root has one slot, slot 0: collapse to height 1
    expect(tmem.stats.objnode_count).toBe(1);
    tmem.flushPage(pool, 1, 1); // collapse to height 0
    expect(tmem.stats.objnode_count).toBe(0);
    expect(pool.objs.get(1)!.height).toBe(0);
    tmem.put(pool, 1, 4096, { id: 4096 }); // height 3 over the root pampd at index 0
    expect(pool.objs.get(1)!.height).toBe(3);
    // 3 new roots above index 0's chain (levels 1..3, prefix 0) + leaf and level-2 node of 4096
    expect(tmem.stats.objnode_count).toBe(5);
    tmem.flushPage(pool, 1, 0); // the root keeps one slot, but it is not slot 0: no collapse
    expect(tmem.stats.objnode_count).toBe(3);
    expect(tmem.stats.objnode_count_max).toBe(5);
    tmem.flushPage(pool, 1, 4096);
    expect(tmem.stats.objnode_count).toBe(0);
    expect(tmem.stats.obj_count).toBe(0);
  });

  it('a tree grown on an empty object allocates only the path', () => {
    const { tmem, pool } = setup(TMEM_POOL_PERSIST);
    tmem.put(pool, 3, 300000, { id: 1 }); // needs height 4 (h2max[3] = 262143)
    expect(pool.objs.get(3)!.height).toBe(4);
    expect(tmem.stats.objnode_count).toBe(4);
    tmem.flushPage(pool, 3, 300000);
    expect(tmem.stats.objnode_count).toBe(0);
  });

  it('tmem_oid_hash is hash_64(oid, 8) with the shift-and-add golden ratio', () => {
    const ref = (v: bigint): number => {
      const M = (1n << 64n) - 1n;
      let hash = v;
      let n = v;
      n = (n << 18n) & M; hash = (hash - n) & M;
      n = (n << 33n) & M; hash = (hash - n) & M;
      n = (n << 3n) & M; hash = (hash + n) & M;
      n = (n << 3n) & M; hash = (hash - n) & M;
      n = (n << 4n) & M; hash = (hash + n) & M;
      n = (n << 2n) & M; hash = (hash + n) & M;
      return Number(hash >> 56n);
    };
    for (const oid of [0, 1, 2, 255, 256, 0x1234, 2 ** 32 + 5, 2 ** 52 - 1]) expect(tmemOidHash(oid)).toBe(ref(BigInt(oid)));
  });

  it('destroy_pool frees everything in bucket order, then oid order', () => {
    const { tmem, ops, pool } = setup(0);
    const oids = [5, 1, 300, 77, 2];
    for (const oid of oids) tmem.put(pool, oid, 0, { id: oid });
    tmem.destroyPool(pool);
    const expected = [...oids].sort((a, b) => tmemOidHash(a) - tmemOidHash(b) || a - b);
    expect(ops.freed).toEqual(expected);
    expect(pool.destroyed).toBe(true);
    expect(pool.objCount).toBe(0);
    expect(tmem.stats.obj_count).toBe(0);
  });
});
