import { describe, expect, it } from 'vitest';
import { ZcacheBackend, zcacheFactory, frontswapOid } from '../../../src/backends/zcache/zcache.js';
import { UsageError } from '../../../src/errors.js';
import { PAGE_SIZE, makeDesc, Cls } from '../../../src/content/page.js';
import type { ParamMap } from '../../../src/trace/events.js';
import { EnvDouble, DEFAULT_CLEN, out, pageOf, zeroPage, type EnvDoubleOptions } from '../../helpers/env-double.js';

function make(params: ParamMap = {}, envOpts: EnvDoubleOptions = {}, keepOld = false) {
  const env = new EnvDouble(envOpts);
  const z = new ZcacheBackend(env, params, { keepOldCopyOnFailedPut: keepOld });
  return { env, z, fs: z.frontswap!, cc: z.cleancache! };
}

function zc(z: ZcacheBackend): Record<string, number> {
  return z.stats()['zcache']!;
}
function zbud(z: ZcacheBackend): Record<string, number> {
  return z.stats()['zbud']!;
}

describe('zcache: round trips', () => {
  it('cleancache put/get returns the tag and the bytes, and the get is exclusive', () => {
    const { env, z, cc } = make();
    const pool = cc.initFs(PAGE_SIZE);
    expect(pool).toBe(0);
    const p = pageOf(1500, 42);
    cc.putPage(pool, 7, 3, p);
    const o = out();
    expect(cc.getPage(pool, 7, 3, o)).toBe(true);
    expect(o.tag).toBe(42);
    expect(o.filled).toBe(true);
    expect(o.bytes).toEqual(p.bytes);
    // exclusive: the second get misses, and the pageframe went back to RAM
    expect(cc.getPage(pool, 7, 3, out())).toBe(false);
    expect(zc(z)['eph_zpages']).toBe(0);
    expect(zc(z)['eph_pageframes']).toBe(0);
    expect(env.allocs).toBe(1);
    expect(env.frees).toBe(1);
    expect(env.meter.totals.compressOps).toBe(1);
    expect(env.meter.totals.decompressOps).toBe(1);
  });

  it('in fast mode a hit returns the tag unfilled but still charges the decompression', () => {
    const { env, fs } = make({}, { verifyBytes: false });
    fs.init(0);
    fs.store(0, 5, pageOf(900, 9));
    const o = out();
    expect(fs.load(0, 5, o)).toBe(true);
    expect(o.tag).toBe(9);
    expect(o.filled).toBe(false);
    expect(env.fake('lz4').decompressCalls).toBe(0);
    expect(env.meter.totals.decompressOps).toBe(1);
    expect(env.meter.totals.decompressInBytes).toBe(900);
  });

  it('frontswap loads are exclusive by default and non-destructive without exclusive gets', () => {
    const a = make();
    expect(a.z.frontswapExclusiveGets).toBe(true);
    a.fs.init(0);
    expect(a.fs.store(0, 1000, pageOf(800, 1))).toBe(true);
    expect(a.fs.load(0, 1000, out())).toBe(true);
    expect(a.fs.load(0, 1000, out())).toBe(false);

    const b = make({ frontswap_has_exclusive_gets: 'n' });
    expect(b.z.frontswapExclusiveGets).toBe(false);
    b.fs.init(0);
    b.fs.store(0, 1000, pageOf(800, 1));
    for (let i = 0; i < 3; i++) {
      const o = out();
      expect(b.fs.load(0, 1000, o)).toBe(true);
      expect(o.tag).toBe(1);
    }
    expect(zc(b.z)['pers_zpages']).toBe(1);

    const c = make({ disable_frontswap: true });
    expect(c.z.frontswap).toBeNull();
    expect(c.z.frontswapExclusiveGets).toBe(false);
    expect(make({ disable_cleancache: '1' }).z.cleancache).toBeNull();
  });

  it('swizzles frontswap offsets: oid = type<<8 | off&0xFF, index = off>>8', () => {
    const { z, fs } = make();
    fs.init(2);
    fs.store(2, 0x1234, pageOf(500, 1));
    const pool = z.poolById(z.frontswapPoolId)!;
    expect(pool.persistent).toBe(true);
    expect(z.tmem.lookup(pool, frontswapOid(2, 0x1234), 0x12)?.tag).toBe(1);
    expect(frontswapOid(2, 0x1234)).toBe(0x234);
  });

  it('drops indexes and offsets that do not fit 32 bits', () => {
    const { z, fs, cc } = make();
    fs.init(0);
    const pool = cc.initFs(PAGE_SIZE);
    expect(fs.store(0, 2 ** 32, pageOf(500, 1))).toBe(false);
    cc.putPage(pool, 1, 2 ** 32, pageOf(500, 2));
    expect(cc.getPage(pool, 1, 2 ** 32, out())).toBe(false);
    expect(z.storedPages()).toBe(0);
  });
});

describe('zcache: duplicate puts', () => {
  it('a duplicate put frees the old copy (tmem_put) and the new one is returned', () => {
    const { z, cc } = make();
    const pool = cc.initFs(PAGE_SIZE);
    cc.putPage(pool, 1, 1, pageOf(3000, 1));
    cc.putPage(pool, 1, 1, pageOf(3000, 2));
    expect(zc(z)['eph_zpages']).toBe(1);
    // the new zbud was created before the old one was freed: two pageframes, then one
    expect(zc(z)['eph_pageframes']).toBe(1);
    expect(zc(z)['eph_pageframes_max']).toBe(2);
    const o = out();
    expect(cc.getPage(pool, 1, 1, o)).toBe(true);
    expect(o.tag).toBe(2);
  });

  it('a failed duplicate put leaves nothing behind', () => {
    const { env, z, cc } = make();
    const pool = cc.initFs(PAGE_SIZE);
    cc.putPage(pool, 1, 1, pageOf(1000, 1));
    cc.putPage(pool, 1, 1, pageOf(4001, 2)); // compress_poor
    expect(zc(z)['compress_poor']).toBe(1);
    expect(zc(z)['failed_eph_puts']).toBe(1);
    expect(cc.getPage(pool, 1, 1, out())).toBe(false);
    expect(z.storedPages()).toBe(0);
    expect(z.poolPages()).toBe(0);
    expect(env.poolPages).toBe(0);
    expect(zc(z)['obj_count']).toBe(0);
  });

  it("keepOldCopyOnFailedPut keeps the kernel's stale copy", () => {
    const { z, cc } = make({}, {}, true);
    const pool = cc.initFs(PAGE_SIZE);
    cc.putPage(pool, 1, 1, pageOf(1000, 1));
    cc.putPage(pool, 1, 1, pageOf(4001, 2));
    const o = out();
    expect(cc.getPage(pool, 1, 1, o)).toBe(true);
    expect(o.tag).toBe(1);
    expect(zc(z)['failed_eph_puts']).toBe(1);
  });
});

describe('zcache: reject rules', () => {
  it('ephemeral: clen 4000 is stored, 4001 is compress_poor', () => {
    const { z, cc } = make();
    const pool = cc.initFs(PAGE_SIZE);
    cc.putPage(pool, 1, 0, pageOf(4000, 1));
    cc.putPage(pool, 1, 1, pageOf(4001, 2));
    expect(zc(z)['compress_poor']).toBe(1);
    expect(zc(z)['eph_zpages']).toBe(1);
    expect(zc(z)['eph_zbytes']).toBe(4000);
    expect(zbud(z)['eph_zbytes']).toBe(4032);
    expect(cc.getPage(pool, 1, 0, out())).toBe(true);
    expect(cc.getPage(pool, 1, 1, out())).toBe(false);
  });

  it('persistent: clen 3584 is stored, 3585 is compress_poor', () => {
    const { z, fs } = make();
    fs.init(0);
    expect(fs.store(0, 1, pageOf(3584, 1))).toBe(true);
    expect(fs.store(0, 2, pageOf(3585, 2))).toBe(false);
    expect(zc(z)['compress_poor']).toBe(1);
    expect(zc(z)['failed_pers_puts']).toBe(1);
    expect(zc(z)['mean_compress_poor']).toBe(0);
  });

  it('persistent: above 2560 bytes a page is refused while the mean is above 2560', () => {
    const { z, fs } = make();
    fs.init(0);
    // the first page passes: no pers zpages yet
    expect(fs.store(0, 1, pageOf(3000, 1))).toBe(true);
    // mean 3000 > 2560: 2561 is refused, 2560 accepted
    expect(fs.store(0, 2, pageOf(2561, 2))).toBe(false);
    expect(zc(z)['mean_compress_poor']).toBe(1);
    expect(fs.store(0, 3, pageOf(2560, 3))).toBe(true);
    // mean (3000 + 2560) / 2 = 2780 > 2560: still refused
    expect(fs.store(0, 4, pageOf(3000, 4))).toBe(false);
    expect(zc(z)['mean_compress_poor']).toBe(2);
    // bring the mean down: (3000 + 2560 + 100 + 100) / 4 = 1440
    fs.store(0, 5, pageOf(100, 5));
    fs.store(0, 6, pageOf(100, 6));
    expect(fs.store(0, 7, pageOf(3000, 7))).toBe(true);
    expect(zc(z)['failed_pers_puts']).toBe(2);
  });

  it('the mean rule is exact at mean == 2560 (not refused) and 2561 (refused)', () => {
    const a = make();
    a.fs.init(0);
    a.fs.store(0, 1, pageOf(2560, 1));
    a.fs.store(0, 2, pageOf(2560, 2));
    expect(a.fs.store(0, 3, pageOf(3584, 3))).toBe(true);
    const b = make();
    b.fs.init(0);
    b.fs.store(0, 1, pageOf(2561, 1));
    expect(b.fs.store(0, 3, pageOf(2600, 3))).toBe(false);
    expect(zc(b.z)['mean_compress_poor']).toBe(1);
  });
});

describe('zcache: zbud density', () => {
  it('pairs two zpages per pageframe when their chunks (with the 32-byte handle) fit 64', () => {
    const { z, cc } = make();
    const pool = cc.initFs(PAGE_SIZE);
    cc.putPage(pool, 1, 0, pageOf(2016, 1)); // 32 chunks
    cc.putPage(pool, 1, 1, pageOf(2016, 2)); // 32 chunks: buddies
    expect(zc(z)['eph_pageframes']).toBe(1);
    cc.putPage(pool, 1, 2, pageOf(2016, 3));
    cc.putPage(pool, 1, 3, pageOf(2017, 4)); // 33 chunks: 65, no
    expect(zc(z)['eph_pageframes']).toBe(3);
    expect(zbud(z)['eph_buddied_count']).toBe(1);
    expect(zbud(z)['eph_unbuddied_count']).toBe(2);
    expect(z.storedPages()).toBe(4);
    expect(z.poolPages()).toBe(3);
  });
});

describe('zcache: ouroboros', () => {
  it('an ephemeral put with no free page eats the LRU ephemeral pageframe (eph_ate_tail)', () => {
    const { env, z, cc } = make({}, { freePages: 1 });
    const pool = cc.initFs(PAGE_SIZE);
    cc.putPage(pool, 1, 0, pageOf(3000, 1));
    cc.putPage(pool, 1, 1, pageOf(3000, 2)); // cannot buddy, cannot allocate
    const s = zc(z);
    expect(s['failed_get_free_pages']).toBe(1);
    expect(s['eph_ate_tail']).toBe(1);
    expect(s['evicted_eph_pageframes']).toBe(1);
    expect(s['evicted_eph_zpages']).toBe(1);
    expect(s['eph_pageframes']).toBe(1);
    expect(s['eph_zpages']).toBe(1);
    expect(zbud(z)['eph_evicted_pageframes']).toBe(1);
    expect(cc.getPage(pool, 1, 0, out())).toBe(false);
    const o = out();
    expect(cc.getPage(pool, 1, 1, o)).toBe(true);
    expect(o.tag).toBe(2);
    // the evicted pageframe was reused: one page ever taken from RAM
    expect(env.allocs).toBe(1);
  });

  it('eviction flushes both buddies and counts evicted_eph_zpages per zpage (3.10) or per pageframe (3.9)', () => {
    for (const [era, zpages] of [['3.10', 2], ['3.9', 1]] as const) {
      const { z, cc } = make({ kernel_era: era }, { freePages: 1 });
      const pool = cc.initFs(PAGE_SIZE);
      cc.putPage(pool, 1, 0, pageOf(1000, 1));
      cc.putPage(pool, 1, 1, pageOf(1000, 2)); // buddies
      cc.putPage(pool, 1, 2, pageOf(3900, 3)); // evicts the pair
      expect(zc(z)['evicted_eph_zpages']).toBe(zpages);
      expect(zc(z)['eph_zpages']).toBe(1);
      expect(zc(z)['eph_zbytes']).toBe(3900);
      expect(zc(z)['obj_count']).toBe(1);
      expect(cc.getPage(pool, 1, 0, out())).toBe(false);
      expect(cc.getPage(pool, 1, 1, out())).toBe(false);
    }
  });

  it('eph_ate_tail_failed when nothing can be evicted', () => {
    const { z, cc } = make({}, { freePages: 0 });
    const pool = cc.initFs(PAGE_SIZE);
    cc.putPage(pool, 1, 0, pageOf(3000, 1));
    expect(zc(z)['eph_ate_tail_failed']).toBe(1);
    expect(zc(z)['failed_eph_puts']).toBe(1);
    expect(zc(z)['failed_get_free_pages']).toBe(1);
  });

  it('a persistent put eats an ephemeral pageframe (pers_ate_eph); persistent pages are never evicted', () => {
    const { env, z, fs, cc } = make({}, { freePages: 1 });
    fs.init(0);
    const pool = cc.initFs(PAGE_SIZE);
    cc.putPage(pool, 1, 0, pageOf(3000, 1));
    expect(fs.store(0, 1, pageOf(3000, 2))).toBe(true);
    let s = zc(z);
    expect(s['pers_ate_eph']).toBe(1);
    expect(s['eph_pageframes']).toBe(0);
    expect(s['pers_pageframes']).toBe(1);
    // nothing ephemeral left to eat: both kinds of put fail, the swap page stays
    expect(fs.store(0, 2, pageOf(2000, 3))).toBe(false); // 32 + 48 chunks: no buddy
    cc.putPage(pool, 1, 1, pageOf(3000, 4));
    s = zc(z);
    expect(s['pers_ate_eph_failed']).toBe(1);
    expect(s['eph_ate_tail_failed']).toBe(1);
    expect(s['failed_pers_puts']).toBe(1);
    expect(s['failed_eph_puts']).toBe(1);
    expect(z.shrink(100)).toBe(0);
    const o = out();
    expect(fs.load(0, 1, o)).toBe(true);
    expect(o.tag).toBe(2);
    expect(env.allocs).toBe(1);
  });

  it('max_pool_percent caps the pageframes and can change at runtime', () => {
    const { env, z, cc } = make({ max_pool_percent: '2' }, { ramPages: 100 });
    expect(z.maxPoolPageframes).toBe(2);
    const pool = cc.initFs(PAGE_SIZE);
    for (let i = 0; i < 5; i++) cc.putPage(pool, 1, i, pageOf(3000, i + 1));
    expect(z.poolPages()).toBe(2);
    expect(env.poolPages).toBe(2);
    expect(zc(z)['eph_ate_tail']).toBe(3);
    z.setParam('max_pool_percent', 4);
    expect(z.params()['max_pool_percent']).toBe(4);
    for (let i = 5; i < 10; i++) cc.putPage(pool, 1, i, pageOf(3000, i + 1));
    expect(z.poolPages()).toBe(4);
    z.setParam('max_pool_percent', '0');
    cc.putPage(pool, 1, 10, pageOf(3000, 11));
    expect(z.poolPages()).toBe(5);
  });
});

describe('zcache: flushes and pools', () => {
  it('invalidate_area flushes the 256 oids of its type and only those', () => {
    const { z, fs } = make();
    fs.init(0);
    fs.init(1);
    for (let off = 0; off < 600; off++) {
      fs.store(0, off, pageOf(500, off + 1));
      fs.store(1, off, pageOf(500, 10000 + off));
    }
    expect(zc(z)['obj_count']).toBe(512);
    fs.invalidateArea(0);
    const s = zc(z);
    expect(s['flobj_total']).toBe(256);
    expect(s['flobj_found']).toBe(256);
    expect(s['obj_count']).toBe(256);
    expect(s['pers_zpages']).toBe(600);
    for (let off = 0; off < 600; off++) {
      expect(fs.load(0, off, out())).toBe(false);
      const o = out();
      expect(fs.load(1, off, o)).toBe(true);
      expect(o.tag).toBe(10000 + off);
    }
    expect(z.storedPages()).toBe(0);
    expect(z.poolPages()).toBe(0);
  });

  it('counts flush_total / flush_found and flobj_total / flobj_found', () => {
    const { z, cc } = make();
    const pool = cc.initFs(PAGE_SIZE);
    cc.putPage(pool, 1, 0, pageOf(500, 1));
    cc.invalidatePage(pool, 1, 0);
    cc.invalidatePage(pool, 1, 0);
    cc.invalidatePage(9, 1, 0); // no such pool: still counted in flush_total
    cc.putPage(pool, 2, 0, pageOf(500, 2));
    cc.invalidateInode(pool, 2);
    cc.invalidateInode(pool, 2);
    const s = zc(z);
    expect([s['flush_total'], s['flush_found'], s['flobj_total'], s['flobj_found']]).toEqual([3, 1, 2, 1]);
  });

  it('destroy_pool frees everything and a reused pool id returns nothing old', () => {
    const { env, z, cc } = make();
    const a = cc.initFs(PAGE_SIZE);
    const b = cc.initFs(PAGE_SIZE);
    expect([a, b]).toEqual([0, 1]);
    for (let i = 0; i < 10; i++) {
      cc.putPage(a, 1, i, pageOf(1000, i + 1));
      cc.putPage(b, 1, i, pageOf(1000, 100 + i));
    }
    cc.invalidateFs(a);
    cc.invalidateFs(-1); // ignored
    expect(zc(z)['eph_zpages']).toBe(10);
    const again = cc.initFs(PAGE_SIZE);
    expect(again).toBe(a);
    for (let i = 0; i < 10; i++) expect(cc.getPage(again, 1, i, out())).toBe(false);
    cc.invalidateFs(b);
    cc.invalidateFs(again);
    expect(z.storedPages()).toBe(0);
    expect(z.poolPages()).toBe(0);
    expect(env.allocs).toBe(env.frees);
    expect(zc(z)['obj_count']).toBe(0);
    expect(zc(z)['objnode_count']).toBe(0);
  });

  it('has 16 pool ids shared by the frontswap pool and cleancache; shared fs map to private pools', () => {
    const { z, fs, cc } = make();
    fs.init(0);
    fs.init(1); // the same single pool
    expect(z.frontswapPoolId).toBe(0);
    const ids: number[] = [];
    for (let i = 0; i < 15; i++) ids.push(i % 2 ? cc.initSharedFs('uuid', PAGE_SIZE) : cc.initFs(PAGE_SIZE));
    expect(ids).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    expect(cc.initFs(PAGE_SIZE)).toBe(-1);
    expect(z.poolById(2)!.ephemeral).toBe(true);
    expect(cc.initFs(8192)).toBe(-1);
  });
});

describe('zcache: zero-filled pages (3.10)', () => {
  it('stores a zero page without compression or pageframe and gives back zeros', () => {
    const { env, z, fs, cc } = make();
    fs.init(0);
    const pool = cc.initFs(PAGE_SIZE);
    expect(fs.store(0, 1, zeroPage(5))).toBe(true);
    cc.putPage(pool, 1, 1, { bytes: new Uint8Array(PAGE_SIZE).fill(9), desc: makeDesc(Cls.Zero, 3), tag: 6 });
    let s = zc(z);
    expect(s['zero_filled_pages']).toBe(2);
    expect(s['pers_zpages']).toBe(1);
    expect(s['eph_zpages']).toBe(1);
    expect(z.poolPages()).toBe(0);
    expect(env.meter.totals.compressOps).toBe(0);
    const o = out();
    o.bytes.fill(7);
    expect(fs.load(0, 1, o)).toBe(true);
    expect(o.tag).toBe(5);
    expect(o.filled).toBe(true);
    expect(o.bytes.every((b) => b === 0)).toBe(true);
    expect(cc.getPage(pool, 1, 1, out())).toBe(true);
    s = zc(z);
    expect(s['zero_filled_pages']).toBe(0);
    expect(z.storedPages()).toBe(0);
  });

  it('3.9 compresses zero pages like any other', () => {
    const { z, fs } = make({ kernel_era: '3.9' });
    fs.init(0);
    fs.store(0, 1, zeroPage(5));
    expect(zc(z)['zero_filled_pages']).toBe(0);
    expect(zc(z)['pers_zbytes']).toBe(DEFAULT_CLEN);
    expect(z.poolPages()).toBe(1);
  });
});

describe('zcache: shrinker', () => {
  it('evicts ephemeral pageframes back to RAM and never persistent ones', () => {
    const { env, z, fs, cc } = make();
    fs.init(0);
    const pool = cc.initFs(PAGE_SIZE);
    for (let i = 0; i < 6; i++) cc.putPage(pool, 1, i, pageOf(3000, i + 1));
    fs.store(0, 0, pageOf(3000, 99));
    expect(z.shrink(2)).toBe(4);
    expect(zc(z)['eph_pageframes']).toBe(4);
    expect(env.frees).toBe(2);
    // the two LRU pages went first
    expect(cc.getPage(pool, 1, 0, out())).toBe(false);
    expect(cc.getPage(pool, 1, 2, out())).toBe(true);
    // the kernel's 3.10 target: eph_pageframes - (active + inactive file)
    const lru = { activeFile: 1, inactiveFile: 1, activeAnon: 5, inactiveAnon: 6 };
    z.shrink(1, lru);
    expect(zc(z)['eph_pageframes']).toBe(2);
    expect(zc(z)['last_active_anon_pageframes']).toBe(5);
    expect(zc(z)['pers_pageframes']).toBe(1);
    expect(fs.load(0, 0, out())).toBe(true);
  });
});

describe('zcache: parameters and stats', () => {
  it('has the 3.10 module parameters, lz4 by default, and zcache_comp_name as the compressor parameter', () => {
    expect(zcacheFactory.compressorParam).toBe('zcache_comp_name');
    expect(zcacheFactory.params.map((p) => p.name)).toEqual([
      'disable_cleancache',
      'disable_frontswap',
      'frontswap_has_exclusive_gets',
      'disable_frontswap_ignore_nonactive',
      'disable_cleancache_ignore_nonactive',
      'zcache_comp_name',
      'ramster_enabled',
      'disable_frontswap_selfshrink',
      'max_pool_percent',
      'zcache_freeze',
      'kernel_era',
    ]);
    const { z } = make();
    expect(z.params()['zcache_comp_name']).toBe('lz4');
    expect(z.comp.name).toBe('lz4');
    expect(make({ zcache_comp_name: 'deflate' }).z.comp.name).toBe('deflate');
  });

  it('rejects unknown compressors, ramster_enabled=true, and unknown or load-time parameters', () => {
    expect(() => make({ zcache_comp_name: 'nope' })).toThrow(UsageError);
    expect(() => make({ ramster_enabled: true })).toThrow(/RAMster is a separate/);
    expect(() => make({ bogus: 1 })).toThrow(/unknown parameter 'bogus' for backend zcache/);
    const { z } = make();
    expect(() => z.setParam('zcache_comp_name', 'lzo')).toThrow(/load-time parameter/);
    expect(() => z.setParam('disable_frontswap', true)).toThrow(UsageError);
    expect(() => z.setParam('nope', 1)).toThrow(/unknown parameter/);
    expect(() => z.setParam('max_pool_percent', 101)).toThrow(/0\.\.100/);
  });

  it('reports every zcache and zbud debugfs counter in the kernel order', () => {
    const { z } = make();
    const s = z.stats();
    expect(Object.keys(s)).toEqual(['zcache', 'zbud']);
    expect(Object.keys(s['zcache']!)).toEqual([
      'obj_count', 'obj_count_max', 'objnode_count', 'objnode_count_max',
      'flush_total', 'flush_found', 'flobj_total', 'flobj_found',
      'failed_eph_puts', 'failed_pers_puts', 'failed_get_free_pages', 'failed_alloc',
      'put_to_flush', 'compress_poor', 'mean_compress_poor',
      'eph_ate_tail', 'eph_ate_tail_failed', 'pers_ate_eph', 'pers_ate_eph_failed',
      'evicted_eph_zpages', 'evicted_eph_pageframes',
      'eph_pageframes', 'eph_pageframes_max', 'pers_pageframes', 'pers_pageframes_max',
      'eph_zpages', 'eph_zpages_max', 'pers_zpages', 'pers_zpages_max',
      'last_active_file_pageframes', 'last_inactive_file_pageframes',
      'last_active_anon_pageframes', 'last_inactive_anon_pageframes',
      'eph_nonactive_puts_ignored', 'pers_nonactive_puts_ignored', 'zero_filled_pages',
      'eph_zbytes', 'eph_zbytes_max', 'pers_zbytes', 'pers_zbytes_max',
    ]);
    expect(Object.keys(s['zbud']!)).toEqual([
      'eph_zbytes', 'eph_cumul_zbytes', 'pers_zbytes', 'pers_cumul_zbytes',
      'eph_cumul_zpages', 'eph_evicted_pageframes', 'eph_zpages', 'eph_pageframes',
      'eph_buddied_count', 'eph_unbuddied_count',
      'pers_cumul_zpages', 'pers_evicted_pageframes', 'pers_zpages', 'pers_pageframes',
      'pers_buddied_count', 'pers_unbuddied_count', 'pers_zombie_count',
    ]);
    for (const group of Object.values(s)) for (const v of Object.values(group)) expect(typeof v).toBe('number');
  });

  it('a frozen zcache turns puts into flushes (put_to_flush)', () => {
    const { z, cc } = make();
    const pool = cc.initFs(PAGE_SIZE);
    cc.putPage(pool, 1, 0, pageOf(500, 1));
    z.frozen = true;
    cc.putPage(pool, 1, 0, pageOf(500, 2));
    expect(zc(z)['put_to_flush']).toBe(1);
    expect(cc.getPage(pool, 1, 0, out())).toBe(false);
  });

  it('charges tmem bookkeeping to the meter', () => {
    const { env, cc } = make();
    const pool = cc.initFs(PAGE_SIZE);
    const before = env.meter.totals.metaCycles;
    cc.putPage(pool, 1, 0, pageOf(500, 1));
    expect(env.meter.totals.metaCycles).toBeGreaterThan(before);
  });
});

describe('zcache_freeze (tmemsim runtime parameter)', () => {
  it('while frozen every put flushes the old copy, fails and counts put_to_flush', async () => {
    const { testMachine } = await import('../../helpers/machine.js');
    const m = testMachine();
    m.insmod('zcache', {});
    m.swapon(0, 8);
    m.mount(1);
    m.swapWrite(0, 1, 16 * 3 + 2);
    m.filePut(1, 1, 1, 16 * 4 + 2);
    m.backend!.setParam('zcache_freeze', true);
    m.swapWrite(0, 1, 16 * 5 + 2); // a duplicate: the old copy is flushed, the store fails, the disk gets it
    m.filePut(1, 1, 1, 16 * 6 + 2);
    m.backend!.setParam('zcache_freeze', false);
    expect(m.backend!.stats().zcache!.put_to_flush).toBe(2);
    expect(m.frontswap.counters.failed_stores).toBe(1);
    expect(m.fileRead(1, 1, 1)).toBe(false); // the old page was flushed: a miss, never the stale copy
    m.swapRead(0, 1); // from disk
    expect(m.oracle.counts).toMatchObject({ stale: 0, lost: 0 });
    expect(m.meter.totals.swapReads).toBe(1);
  });
});
