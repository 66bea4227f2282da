import { describe, expect, it } from 'vitest';
import { ZswapBackend, ZSWAP_PARAMS, zswapFactory, type ZswapEra } from '../../../src/backends/zswap.js';
import { resolveParams } from '../../../src/backends/params.js';
import { CachingCompressionService } from '../../../src/compressors/cache.js';
import { PAGE_SIZE, type Page } from '../../../src/content/page.js';
import { UsageError } from '../../../src/errors.js';
import type { ParamMap } from '../../../src/trace/events.js';
import { ZswapEnv, filledPage, out, pageOf, patternPage, trivialCostModel, zeroPage, type FakeCompressor } from '../../helpers/env-double.js';

function make(params: ParamMap = {}, env = new ZswapEnv()): { z: ZswapBackend; env: ZswapEnv } {
  const z = new ZswapBackend(env, params);
  z.init(0);
  return { z, env };
}

/**
 * ramPages 1000 (full above 200 pool pages) and 201 stores of `clen`-byte
 * pages at offsets 0..200 of type 0, each taken: the pool is full, and the
 * next store is rejected.
 */
function fullPool(era: ZswapEra, zpool: string | null, clen: number): { z: ZswapBackend; env: ZswapEnv } {
  const { z, env } = make(zpool === null ? { era } : { era, zpool }, new ZswapEnv({ ramPages: 1000 }));
  for (let i = 0; i < 201; i++) expect(z.store(0, i, pageOf(clen, i))).toBe(true);
  expect(z.poolPages()).toBe(201);
  return { z, env };
}

function fake(env: ZswapEnv, name: string): FakeCompressor {
  return env.compression.get(name) as FakeCompressor;
}

const ERAS: readonly ZswapEra[] = ['4.x', '6.1', '6.6', '6.8+', '6.12'];
/** The eras with a same-filled path and a duplicate_entry count (6.12 has neither: tested apart). */
const SAME_FILLED_ERAS = ERAS.filter((e) => e !== '6.12');

const DEBUGFS_ORDER = [
  'pool_limit_hit',
  'reject_reclaim_fail',
  'reject_alloc_fail',
  'reject_kmemcache_fail',
  'reject_compress_fail',
  'reject_compress_poor',
  'written_back_pages',
  'duplicate_entry',
  'pool_total_size',
  'stored_pages',
  'same_filled_pages',
  'stored_incompressible_pages',
  'decompress_fail',
];

function rejects(z: ZswapBackend): number {
  const c = z.counters;
  return c.reject_reclaim_fail + c.reject_alloc_fail + c.reject_kmemcache_fail + c.reject_compress_fail + c.reject_compress_poor;
}

describe('zswap: parameters and factory', () => {
  it('resolves defaults per era and lists debugfs counters in kernel order', () => {
    const { z } = make();
    expect(z.era).toBe('4.x');
    expect(z.params()).toMatchObject({ enabled: true, compressor: 'lz4', zpool: 'zbud', max_pool_percent: 20, accept_threshold_percent: 90 });
    expect(z.cleancache).toBeNull();
    expect(Object.keys(z.stats()['zswap']!)).toEqual(DEBUGFS_ORDER);
    expect(make({ era: '6.1' }).z.params()['zpool']).toBe('zsmalloc');
    expect(make({ era: '6.6' }).z.params()['zpool']).toBe('zsmalloc');
    // the deprecated name 6.x means 6.1
    const alias = make({ era: '6.x' }).z;
    expect(alias.era).toBe('6.1');
    expect(alias.params()['era']).toBe('6.1');
    expect(make({ era: '6.8+' }).z.params()['zpool']).toBe('zsmalloc');
    expect(zswapFactory.compressorParam).toBe('compressor');
    const b = zswapFactory.create(new ZswapEnv(), resolveParams('zswap', ZSWAP_PARAMS, { zpool: 'z3fold' }));
    expect(b.params()['zpool']).toBe('z3fold');
    expect(b.frontswap).not.toBeNull();
  });

  it('marks the right parameters runtime and rejects bad values with a UsageError', () => {
    const runtime = ZSWAP_PARAMS.filter((p) => p.runtime).map((p) => p.name);
    expect(runtime).toEqual([
      'enabled',
      'compressor',
      'zpool',
      'max_pool_percent',
      'accept_threshold_percent',
      'same_filled_pages_enabled',
      'non_same_filled_pages_enabled',
      'exclusive_loads',
    ]);
    const { z } = make();
    expect(() => z.setParam('era', '6.x')).toThrow(UsageError);
    expect(() => z.setParam('compressor', 'nope')).toThrow(UsageError);
    expect(() => z.setParam('zpool', 'nope')).toThrow(/zbud, z3fold, zsmalloc/);
    expect(() => z.setParam('max_pool_percent', 101)).toThrow(UsageError);
    expect(() => new ZswapBackend(new ZswapEnv(), { compressor: 'nope' })).toThrow(UsageError);
    expect(() => new ZswapBackend(new ZswapEnv(), { zpool: 'nope' })).toThrow(UsageError);
    expect(() => new ZswapBackend(new ZswapEnv(), { era: '5.x' })).toThrow(UsageError);
  });

  it("an era's kernel without a parameter: reports leave it out, and only its default is accepted", () => {
    const shown = (era: string) => Object.keys(zswapFactory.kernelParams!(resolveParams('zswap', ZSWAP_PARAMS, { era })));
    const all = ZSWAP_PARAMS.map((p) => p.name);
    const without = (...names: string[]) => all.filter((n) => !names.includes(n));
    expect(shown('4.x')).toEqual(without('accept_threshold_percent', 'non_same_filled_pages_enabled', 'exclusive_loads'));
    expect(shown('6.1')).toEqual(without('exclusive_loads'));
    expect(shown('6.6')).toEqual(all);
    expect(shown('6.8+')).toEqual(without('exclusive_loads'));
    expect(shown('6.12')).toEqual(without('exclusive_loads', 'same_filled_pages_enabled', 'non_same_filled_pages_enabled'));
    // Its default goes through (a trace written for another era); another value is bad input.
    expect(make({ era: '6.12', same_filled_pages_enabled: true }).z.era).toBe('6.12');
    expect(() => make({ era: '6.12', same_filled_pages_enabled: false })).toThrow("parameter 'same_filled_pages_enabled' of backend zswap does not exist in era 6.12 (its eras: 4.x, 6.1, 6.6, 6.8+)");
    expect(() => make({ era: '6.12' }).z.setParam('non_same_filled_pages_enabled', false)).toThrow(UsageError);
    expect(() => make({ era: '4.x', accept_threshold_percent: 50 })).toThrow("parameter 'accept_threshold_percent' of backend zswap does not exist in era 4.x (its eras: 6.1, 6.6, 6.8+, 6.12)");
    // The era's default zpool is shown by name.
    expect(zswapFactory.kernelParams!(resolveParams('zswap', ZSWAP_PARAMS, { era: '6.12' }))['zpool']).toBe('zsmalloc');
    expect(zswapFactory.kernelParams!(resolveParams('zswap', ZSWAP_PARAMS, { era: '4.x' }))['zpool']).toBe('zbud');
    const z61 = make({ era: '6.1' }).z;
    z61.setParam('accept_threshold_percent', 50);
    expect(z61.params()['accept_threshold_percent']).toBe(50);
  });
});

describe('zswap: store and load', () => {
  it.each(ERAS)('round-trips bytes and tags (era %s)', (era) => {
    const { z, env } = make({ era });
    const p = pageOf(1000, 7);
    expect(z.store(0, 5, p)).toBe(true);
    expect(z.counters.stored_pages).toBe(1);
    expect(z.storedPages()).toBe(1);
    expect(z.storedBytes()).toBe(1000);
    expect(z.poolPages()).toBeGreaterThan(0);
    expect(env.poolPages).toBe(z.poolPages());
    const o = out();
    expect(z.load(0, 5, o)).toBe(true);
    expect(o.tag).toBe(7);
    expect(o.filled).toBe(true);
    expect(o.bytes).toEqual(p.bytes);
    expect(z.load(0, 6, out())).toBe(false);
    expect(z.load(1, 5, out())).toBe(false);
    expect(env.meter.totals.compressOps).toBe(1);
    expect(env.meter.totals.decompressOps).toBe(1);
  });

  it('returns only the tag without verifyBytes', () => {
    const { z, env } = make({}, new ZswapEnv({ verifyBytes: false }));
    z.store(0, 1, pageOf(900, 3));
    const o = out();
    expect(z.load(0, 1, o)).toBe(true);
    expect(o.tag).toBe(3);
    expect(o.filled).toBe(false);
    expect(fake(env, 'lz4').decompressCalls).toBe(0);
    expect(env.meter.totals.decompressOps).toBe(1); // still charged
  });

  it('4.x, 6.1 and 6.6 loads are non-exclusive by default; 6.6 exclusive_loads and 6.8+ free the entry', () => {
    for (const era of ['4.x', '6.1', '6.6'] as const) {
      const { z } = make({ era });
      expect(z.frontswapExclusiveGets).toBe(false);
      z.store(0, 1, pageOf(800, 1));
      expect(z.load(0, 1, out())).toBe(true);
      expect(z.load(0, 1, out())).toBe(true);
      expect(z.counters.stored_pages).toBe(1);
    }
    const x = make({ era: '6.6', exclusive_loads: true }).z;
    expect(x.frontswapExclusiveGets).toBe(true);
    x.store(0, 1, pageOf(800, 1));
    expect(x.load(0, 1, out())).toBe(true);
    expect(x.load(0, 1, out())).toBe(false);
    expect(x.counters.stored_pages).toBe(0);
    expect(x.poolPages()).toBe(0);
    // runtime change is seen by the getter
    x.setParam('exclusive_loads', false);
    expect(x.frontswapExclusiveGets).toBe(false);
    const n = make({ era: '6.8+' }).z;
    expect(n.frontswapExclusiveGets).toBe(true);
    n.store(0, 1, pageOf(800, 1));
    expect(n.load(0, 1, out())).toBe(true);
    expect(n.load(0, 1, out())).toBe(false);
  });

  it('refuses exclusive_loads outside era 6.6', () => {
    expect(() => new ZswapBackend(new ZswapEnv(), { exclusive_loads: true })).toThrow(UsageError);
    expect(() => new ZswapBackend(new ZswapEnv(), { era: '6.1', exclusive_loads: true })).toThrow(/needs era 6.6/);
    expect(() => make().z.setParam('exclusive_loads', true)).toThrow(UsageError);
    expect(() => make({ era: '6.8+' }).z.setParam('exclusive_loads', false)).toThrow(UsageError);
    make({ era: '6.8+' }).z.setParam('exclusive_loads', true);
  });

  it.each(SAME_FILLED_ERAS)('replaces a duplicate and counts duplicate_entry (era %s)', (era) => {
    const { z } = make({ era });
    z.store(0, 9, pageOf(700, 1));
    expect(z.store(0, 9, pageOf(1500, 2))).toBe(true);
    expect(z.counters.duplicate_entry).toBe(1);
    expect(z.counters.stored_pages).toBe(1);
    expect(z.storedBytes()).toBe(1500);
    const o = out();
    z.load(0, 9, o);
    expect(o.tag).toBe(2);
  });

  it('invalidates pages and areas, giving pool pages back', () => {
    const { z, env } = make();
    for (let i = 0; i < 10; i++) z.store(0, i, pageOf(2000, i));
    z.invalidatePage(0, 3);
    z.invalidatePage(0, 3);
    expect(z.counters.stored_pages).toBe(9);
    expect(z.load(0, 3, out())).toBe(false);
    z.invalidateArea(0);
    expect(z.counters.stored_pages).toBe(0);
    expect(z.poolPages()).toBe(0);
    expect(env.poolPages).toBe(0);
    expect(z.store(0, 1, pageOf(100, 1))).toBe(false); // no tree until init
    z.init(0);
    expect(z.store(0, 1, pageOf(100, 1))).toBe(true);
  });
});

describe('zswap: same-filled pages', () => {
  it.each(SAME_FILLED_ERAS)('stores them as a value with no pool memory and fills them back (era %s)', (era) => {
    const { z, env } = make({ era });
    expect(z.store(0, 1, zeroPage(11))).toBe(true);
    const pat = patternPage([1, 2, 3, 4, 5, 6, 7, 0xff], 12);
    expect(z.store(0, 2, pat)).toBe(true);
    expect(z.store(0, 3, filledPage(0xaa, 13))).toBe(true);
    expect(z.counters.same_filled_pages).toBe(3);
    expect(z.counters.stored_pages).toBe(3);
    expect(z.poolPages()).toBe(0);
    expect(env.meter.totals.compressOps).toBe(0);
    const o = out();
    o.bytes.fill(0x55);
    expect(z.load(0, 2, o)).toBe(true);
    expect(o.bytes).toEqual(pat.bytes);
    expect(o.tag).toBe(12);
    z.invalidatePage(0, 2);
    expect(z.counters.same_filled_pages).toBe(2);
    expect(z.counters.stored_pages).toBe(2);
  });

  it('compresses them when same_filled_pages_enabled is off; non_same_filled_pages_enabled=false stores only them', () => {
    const { z } = make({ same_filled_pages_enabled: false });
    expect(z.store(0, 1, zeroPage(1))).toBe(true); // the fake codec: 1000 bytes
    expect(z.counters.same_filled_pages).toBe(0);
    expect(z.poolPages()).toBe(1);
    // non_same_filled_pages_enabled came in 5.18: era 4.x has only its default.
    const n = make({ era: '6.1', non_same_filled_pages_enabled: false }).z;
    expect(n.store(0, 1, pageOf(1000, 1))).toBe(false);
    expect(rejects(n)).toBe(0);
    expect(n.store(0, 2, zeroPage(2))).toBe(true);
  });

  it('a page differing in its last word only is not same-filled', () => {
    const { z } = make();
    const p = zeroPage(1);
    p.bytes[PAGE_SIZE - 1] = 1;
    p.bytes[0] = 0x10; // the fake codec reads 16 bytes
    expect(z.store(0, 1, p)).toBe(true);
    expect(z.counters.same_filled_pages).toBe(0);
    const q = zeroPage(2);
    q.bytes[2048] = 1;
    q.bytes[0] = 0x10;
    expect(z.store(0, 2, q)).toBe(true);
    expect(z.counters.same_filled_pages).toBe(0);
  });
});

describe('zswap: compressed sizes and zpool errors', () => {
  it('4.x adds the 8-byte zswap_header: zbud takes 3960 bytes of data, not 3961', () => {
    const { z } = make();
    expect(z.store(0, 1, pageOf(3960, 1))).toBe(true);
    expect(z.store(0, 2, pageOf(3961, 2))).toBe(false);
    expect(z.counters.reject_compress_poor).toBe(1);
  });

  it('6.1 puts the 8-byte zswap_header on evictable zpools only (zpool_evictable): zbud takes 3960 bytes of data, zsmalloc 4096', () => {
    for (const zpool of ['zbud', 'z3fold']) {
      const { z } = make({ era: '6.1', zpool });
      expect(z.store(0, 1, pageOf(zpool === 'zbud' ? 3960 : 4088, 1))).toBe(true);
      expect(z.store(0, 2, pageOf(zpool === 'zbud' ? 3961 : 4089, 2))).toBe(false);
      expect(z.counters.reject_compress_poor).toBe(1);
    }
    const { z } = make({ era: '6.1', zpool: 'zsmalloc' });
    expect(z.store(0, 1, pageOf(4096, 1))).toBe(true); // no header: the huge class
    expect(z.counters.reject_alloc_fail).toBe(0);
  });

  it('6.6 stores dlen only (zswap_header gone in 6.5): zbud takes 3968 bytes, not 3969', () => {
    const { z } = make({ era: '6.6', zpool: 'zbud' });
    expect(z.store(0, 1, pageOf(3968, 1))).toBe(true);
    expect(z.store(0, 2, pageOf(3969, 2))).toBe(false);
    expect(z.counters.reject_compress_poor).toBe(1);
  });

  it('a codec overflow (> PAGE_SIZE) is an uncounted reject in 4.x and 6.1, reject_compress_fail in 6.6 and 6.12', () => {
    for (const era of ['4.x', '6.1', '6.6', '6.12'] as const) {
      const counted = era === '6.6' || era === '6.12' ? 1 : 0;
      const { z } = make({ era, zpool: 'zsmalloc' });
      expect(z.store(0, 1, pageOf(4097, 1))).toBe(false);
      expect(rejects(z)).toBe(counted);
      expect(z.counters.reject_compress_fail).toBe(counted);
      expect(z.counters.stored_pages).toBe(0);
    }
    // 6.12: an output of exactly a page is stored compressed, not raw (no raw storage before 2025)
    const { z } = make({ era: '6.12' });
    expect(z.store(0, 2, pageOf(4096, 2))).toBe(true);
    expect(z.counters.stored_incompressible_pages).toBe(0);
  });

  it('6.12 has no same-filled path: a zero page or a page of one repeated word is compressed into the pool', () => {
    const { z } = make({ era: '6.12' });
    expect(z.store(0, 1, zeroPage(1))).toBe(true);
    expect(z.store(0, 2, patternPage([1, 2, 3, 4, 5, 6, 7, 0xff], 2))).toBe(true); // the fake codec: 513 bytes
    expect(z.counters.same_filled_pages).toBe(0);
    expect(z.counters.stored_pages).toBe(2);
    expect(z.storedBytes()).toBeGreaterThan(0);
    expect(z.poolPages()).toBeGreaterThan(0);
    const o = out();
    expect(z.load(0, 2, o)).toBe(true);
    expect(z.counters.stored_pages).toBe(1); // exclusive, as 6.8+
  });

  it('6.12 frees a replaced entry without counting duplicate_entry (the file went in 6.10)', () => {
    for (const era of ['6.8+', '6.12'] as const) {
      const { z } = make({ era });
      z.store(0, 1, pageOf(1000, 1));
      z.store(0, 1, pageOf(1000, 2));
      expect(z.counters.stored_pages).toBe(1);
      expect(z.counters.duplicate_entry).toBe(era === '6.8+' ? 1 : 0);
    }
  });

  it('4.x zsmalloc: data + header over 4096 bytes is reject_alloc_fail', () => {
    const { z } = make({ zpool: 'zsmalloc' });
    expect(z.store(0, 1, pageOf(4088, 1))).toBe(true); // 4096 with the header: the huge class
    expect(z.store(0, 2, pageOf(4089, 2))).toBe(false);
    expect(z.counters.reject_alloc_fail).toBe(1);
  });

  it('6.8+ stores incompressible pages raw', () => {
    const { z, env } = make({ era: '6.8+' });
    const p = pageOf(4200, 5);
    expect(z.store(0, 1, p)).toBe(true);
    expect(z.store(0, 2, pageOf(4096, 6))).toBe(true);
    expect(z.counters.stored_incompressible_pages).toBe(2);
    expect(z.storedBytes()).toBe(2 * PAGE_SIZE);
    expect(z.poolPages()).toBe(2);
    const o = out();
    expect(z.load(0, 1, o)).toBe(true);
    expect(o.bytes).toEqual(p.bytes);
    expect(env.meter.totals.decompressOps).toBe(0); // a copy, not a decompression
    expect(z.counters.stored_incompressible_pages).toBe(1); // exclusive load freed it
  });

  it('counts reject_alloc_fail when no page can be had', () => {
    const { z } = make({}, new ZswapEnv({ freePages: 0 }));
    expect(z.store(0, 1, pageOf(1000, 1))).toBe(false);
    expect(z.counters.reject_alloc_fail).toBe(1);
    expect(z.store(0, 2, zeroPage(2))).toBe(true); // same-filled needs no page
  });
});

describe('zswap 4.x: pool limit with synchronous shrink', () => {
  it('zbud: writes back the LRU-tail page and then stores', () => {
    const env = new ZswapEnv({ ramPages: 100 }); // max 20 pages
    const { z } = make({}, env);
    // 2000 + 8 bytes = 32 chunks: one object per zbud page
    for (let i = 0; i < 21; i++) expect(z.store(0, i, pageOf(2000, i))).toBe(true);
    expect(z.poolPages()).toBe(21); // the 21st store saw 20 pages: not full (20 < 20 is false)
    expect(z.counters.pool_limit_hit).toBe(0);
    expect(z.store(0, 21, pageOf(2000, 21))).toBe(true);
    expect(z.counters.pool_limit_hit).toBe(1);
    expect(z.counters.written_back_pages).toBe(1);
    expect(env.writebacks).toEqual([{ type: 0, offset: 0 }]);
    expect(z.poolPages()).toBe(21);
    expect(z.load(0, 0, out())).toBe(false); // now on the swap device
    expect(z.load(0, 1, out())).toBe(true);
    expect(z.stats()['vmstat']!['zswpwb']).toBe(1);
    expect(env.meter.totals.decompressOps).toBe(2); // the writeback's and the load's
  });

  it('zbud: a refused writeback (page in the swap cache) is reject_reclaim_fail and keeps the entry', () => {
    const env = new ZswapEnv({ ramPages: 100 });
    const { z } = make({}, env);
    for (let i = 0; i < 21; i++) z.store(0, i, pageOf(2000, i));
    env.refuseAllWriteback = true;
    expect(z.store(0, 21, pageOf(2000, 21))).toBe(false);
    expect(z.counters.reject_reclaim_fail).toBe(1);
    expect(env.refusedWritebacks).toBe(8); // zbud_reclaim_page's 8 retries
    expect(z.counters.written_back_pages).toBe(0);
    for (let i = 0; i < 21; i++) expect(z.load(0, i, out())).toBe(true);
  });

  it('zsmalloc: every store is rejected while the pool is full, same-filled ones too', () => {
    const env = new ZswapEnv({ ramPages: 100 });
    const { z } = make({ zpool: 'zsmalloc' }, env);
    // 4000 + 8 bytes: the huge class, one page each
    for (let i = 0; i < 21; i++) expect(z.store(0, i, pageOf(4000, i))).toBe(true);
    for (let i = 21; i < 30; i++) expect(z.store(0, i, pageOf(100, i))).toBe(false);
    expect(z.store(0, 40, zeroPage(40))).toBe(false);
    expect(z.counters.pool_limit_hit).toBe(10);
    expect(z.counters.reject_reclaim_fail).toBe(10);
    expect(env.writebacks).toEqual([]);
    z.invalidatePage(0, 0); // 20 pages: not full any more
    expect(z.store(0, 21, pageOf(4000, 21))).toBe(true);
  });
});

describe('zswap 6.1: reject, and one zpool page per shrink work item', () => {
  // ramPages 1000, max_pool_percent 20: full when 200 < pool pages; can_accept when
  // floor(floor(1000 * 90 / 100) * 20 / 100) = 180 > pool pages (zswap_can_accept of 6.1)
  it('zsmalloc: queues the worker only when full; above the accept threshold it rejects without queueing', () => {
    const { z, env } = fullPool('6.1', null, 4000);
    expect(z.store(0, 500, pageOf(4000, 500))).toBe(false);
    expect(z.counters.pool_limit_hit).toBe(1);
    expect(z.poolReachedFull).toBe(true);
    expect(env.workqueue.size).toBe(1);
    expect(z.store(0, 501, zeroPage(501))).toBe(false);
    expect(z.counters.pool_limit_hit).toBe(2);
    expect(env.workqueue.size).toBe(1); // queue_work on a pending item does nothing
    expect(env.runWork()).toBe(1); // zpool_shrink: zsmalloc is not evictable in 6.1 → -EINVAL
    expect(z.counters.reject_reclaim_fail).toBe(1);
    for (let i = 0; i < 11; i++) z.invalidatePage(0, i); // 190 pages: not full, cannot accept
    expect(z.store(0, 502, pageOf(4000, 502))).toBe(false);
    expect(z.counters.pool_limit_hit).toBe(2);
    expect(env.workqueue.size).toBe(0); // 6.1: goto reject, no queue_work
    expect(env.runWork()).toBe(0);
    expect(z.counters.reject_reclaim_fail).toBe(1);
    for (let i = 11; i < 22; i++) z.invalidatePage(0, i); // 179 < 180
    expect(z.store(0, 503, pageOf(4000, 503))).toBe(true);
    expect(z.poolReachedFull).toBe(false);
  });

  it('zbud: one work item writes back one zbud page (zpool_shrink(pool, 1)); zswap_pool_total_size still counts it, so a second store hits the limit too; then stores stay rejected above the threshold', () => {
    // 2000 + 8 header = 2008 bytes = 32 chunks: one object per zbud page (32 + 32 > 63)
    const { z, env } = fullPool('6.1', 'zbud', 2000);
    const seen = (): number => z.stats()['zswap']!['pool_total_size']! / 4096;
    expect(z.store(0, 500, pageOf(2000, 500))).toBe(false);
    expect(z.counters.written_back_pages).toBe(0); // asynchronous
    expect(env.runWork()).toBe(1);
    expect(z.poolPages()).toBe(200);
    expect(z.counters.written_back_pages).toBe(1);
    expect(env.writebacks.map((w) => w.offset)).toEqual([0]);
    // zswap_free_entry refreshed the total while zbud_reclaim_page still held the page (under_reclaim)
    expect(seen()).toBe(201);
    expect(z.store(0, 500, pageOf(2000, 500))).toBe(false);
    expect(z.counters.pool_limit_hit).toBe(2);
    expect(env.runWork()).toBe(1);
    expect(z.poolPages()).toBe(199);
    expect(seen()).toBe(200);
    // 200 seen: not full (200 < 200 is false) but 180 > 200 is false: rejected, nothing queued
    expect(z.store(0, 500, pageOf(2000, 500))).toBe(false);
    expect(env.runWork()).toBe(0);
    expect(z.counters.pool_limit_hit).toBe(2);
    expect(z.counters.written_back_pages).toBe(2);
    expect(env.writebacks.map((w) => w.offset)).toEqual([0, 1]);
  });


  it('a work item that fails counts reject_reclaim_fail once (zbud/z3fold retry 8 LRU pages inside it)', () => {
    const { z, env } = fullPool('6.1', 'z3fold', 4000); // 4008 > 3904: headless pages
    env.refuseAllWriteback = true;
    z.store(0, 500, pageOf(4000, 500));
    env.runWork();
    expect(z.counters.reject_reclaim_fail).toBe(1);
    expect(env.refusedWritebacks).toBe(8);
    expect(z.poolPages()).toBe(201);
  });

  it('the pool a work item is queued on stays alive until the item ran', () => {
    const { z, env } = fullPool('6.1', 'zbud', 2000);
    z.store(0, 500, pageOf(2000, 500)); // queues on pool 0
    z.setParam('zpool', 'z3fold');
    for (let i = 0; i < 201; i++) z.invalidatePage(0, i);
    expect(z.pools()[0]!.destroyed_ns).toBeNull();
    env.runWork(); // the LRU is empty: -EINVAL
    expect(z.counters.reject_reclaim_fail).toBe(1);
    expect(z.pools()[0]!.destroyed_ns).not.toBeNull();
  });
});

describe("zswap 6.6 (6.5–6.7): shrink until can accept, through zswap's LRU", () => {
  it("zsmalloc can write back (the LRU is zswap's): the worker writes back until it can accept", () => {
    const { z, env } = fullPool('6.6', null, 4000);
    expect(z.store(0, 500, pageOf(4000, 500))).toBe(false);
    expect(env.runWork()).toBe(1);
    expect(z.poolPages()).toBe(179); // until 180 > pool pages
    expect(z.counters.written_back_pages).toBe(22);
    expect(env.writebacks.map((w) => w.offset)).toEqual([...Array(22).keys()]);
    expect(z.store(0, 600, pageOf(4000, 600))).toBe(true); // 179 < 180: accepted, reached_full cleared
  });

  it('queues the worker when a store is refused above the accept threshold (6.1 did not)', () => {
    const { z, env } = fullPool('6.6', null, 4000);
    z.store(0, 500, pageOf(4000, 500));
    env.refuseAllWriteback = true;
    env.runWork(); // 16 failures: nothing written back
    expect(z.poolPages()).toBe(201);
    for (let i = 0; i < 11; i++) z.invalidatePage(0, i); // 190: not full, cannot accept
    env.refuseAllWriteback = false;
    expect(z.store(0, 501, pageOf(4000, 501))).toBe(false);
    expect(env.workqueue.size).toBe(1);
    env.runWork();
    expect(z.poolPages()).toBe(179);
    expect(z.counters.pool_limit_hit).toBe(1);
  });

  it('a load moves the entry to the LRU head', () => {
    const { z, env } = fullPool('6.6', null, 4000);
    z.load(0, 0, out());
    z.store(0, 500, pageOf(4000, 500));
    env.runWork();
    expect(env.writebacks.map((w) => w.offset)).toEqual([...Array(22).keys()].map((i) => i + 1));
  });

  it('gives up after 16 failures, rotating each refused entry to the head', () => {
    const { z, env } = fullPool('6.6', 'z3fold', 4000);
    env.refuseAllWriteback = true;
    z.store(0, 500, pageOf(4000, 500));
    env.runWork();
    expect(z.counters.reject_reclaim_fail).toBe(16);
    expect(env.refusedWritebacks).toBe(16);
    expect(z.poolPages()).toBe(201);
    // Entries 0..15 were refused and rotated to the head: the LRU tail is now entry 16.
    env.refuseAllWriteback = false;
    expect(z.store(0, 501, pageOf(4000, 501))).toBe(false);
    env.runWork();
    expect(env.writebacks[0]!.offset).toBe(16);
  });
});

describe('zswap: zsmalloc compaction through its shrinker (zs_shrinker_scan)', () => {
  // pageOf(2000): 2000 + 8 (ZS_HANDLE_SIZE) bytes → the merged 2048-byte class, one page per zspage, 2 objects
  function fragmented(era: ZswapEra): { z: ZswapBackend; env: ZswapEnv } {
    const { z, env } = make({ era, zpool: 'zsmalloc' });
    for (let i = 0; i < 20; i++) z.store(0, i, pageOf(2000, i));
    for (let i = 0; i < 20; i += 2) z.invalidatePage(0, i); // 10 zspages with one object each
    return { z, env };
  }
  const lru = { activeFile: 0, inactiveFile: 0, activeAnon: 0, inactiveAnon: 0 };

  it.each(['4.x', '6.1'] as const)('runs only when the priority makes total_scan reach freeable (era %s)', (era) => {
    const { z, env } = fragmented(era);
    expect(z.poolPages()).toBe(10);
    expect(z.shrink).toBeDefined();
    // zs_shrinker_count = (20 - 10) / 2 * 1 = 5 pages; at priority 12, delta = (5 >> 12) * 2 = 0
    expect(z.shrink!(32, lru)).toBe(32);
    expect(z.poolPages()).toBe(10);
    // priority 0: delta = 10 >= 5: one scan, zs_compact frees 5 zspages
    expect(z.shrink!(32, { ...lru, priority: 0 })).toBe(27);
    expect(z.poolPages()).toBe(5);
    expect(env.poolPages).toBe(5);
    expect(z.stats()['zsmalloc']!['pages_compacted']).toBe(5);
    expect(z.stats()['zs_shrinker']).toEqual({ calls: 2, scans: 1, pages_freed: 5 }); // two counted calls, one scan
    expect(env.meter.totals.copyBytes).toBeGreaterThanOrEqual(5 * 2048); // migrate_zspage's copies
    for (let i = 1; i < 20; i += 2) {
      const o = out();
      expect(z.load(0, i, o)).toBe(true);
      expect(o.tag).toBe(i);
    }
  });

  it('is registered only while a zsmalloc pool lives', () => {
    const { z } = make({ era: '6.1', zpool: 'zbud' });
    expect(z.shrink).toBeUndefined();
    z.setParam('zpool', 'zsmalloc');
    expect(z.shrink).toBeDefined();
    z.setParam('zpool', 'zbud'); // the empty zsmalloc pool is destroyed
    expect(z.shrink).toBeUndefined();
  });
});

describe('zswap 6.8+', () => {
  it('full at max, gives every entry its second chance, then writes back LRU entries down to the threshold, then accepts', () => {
    const env = new ZswapEnv({ ramPages: 1000 }); // max 200, thr 180
    const { z } = make({ era: '6.8+' }, env);
    for (let i = 0; i < 200; i++) expect(z.store(0, i, pageOf(4000, i))).toBe(true);
    // Each store marks its entry referenced; a worker run clears at most 16 marks (each one of
    // its 16 failures, none a reject_reclaim_fail), rotating those entries behind the others. So
    // the 200 marks take ceil(200 / 16) = 13 runs, each queued by a rejected store (a limit hit);
    // the 13th clears the last 8 and then writes back the oldest entries, 0-19, down to 180.
    let runs = 0;
    while (env.writebacks.length === 0) {
      expect(z.store(0, 500, pageOf(4000, 500))).toBe(false);
      env.runWork();
      runs++;
      expect(runs).toBeLessThanOrEqual(13);
    }
    expect(runs).toBe(13);
    expect(z.counters.pool_limit_hit).toBe(13);
    expect(z.counters.reject_reclaim_fail).toBe(0);
    expect(z.poolPages()).toBe(180);
    expect(env.writebacks.map((w) => w.offset)).toEqual([...Array(20).keys()]);
    expect(z.store(0, 500, pageOf(4000, 500))).toBe(true);
  });

  it("charges each of the worker's visits to an LRU entry the profile's mm.zswapShrinkVisitCycles (rotations and writebacks alike; 0 when absent)", () => {
    for (const visit of [0, 5000]) {
      for (const era of ['6.8+', '6.12'] as const) {
        const env = new ZswapEnv({ ramPages: 1000, costModel: { ...trivialCostModel, zswapShrinkVisitCycles: visit } });
        const { z } = make({ era }, env);
        for (let i = 0; i < 200; i++) z.store(0, i, pageOf(4000, i));
        z.store(0, 500, pageOf(4000, 500)); // full: queued
        const before = env.meter.totals.cpuNs;
        env.runWork(); // 16 rotations, no writeback (every entry still marked)
        expect(env.writebacks.length).toBe(0);
        // the run's own charges beyond the visits are none here: a rotation costs only its visit
        expect(env.meter.totals.cpuNs - before).toBe(16 * visit);
      }
    }
  });

  it('queues the shrink work on a store it rejects while full, not on one it refuses while disabled', () => {
    const env = new ZswapEnv({ ramPages: 1000 }); // max 200
    const { z } = make({ era: '6.8+' }, env);
    for (let i = 0; i < 200; i++) expect(z.store(0, i, pageOf(4000, i))).toBe(true);
    expect(z.store(0, 500, pageOf(4000, 500))).toBe(false); // the limit: reached_full, reject → queue_work
    expect(env.runWork()).toBe(1); // it clears 16 marks and writes nothing back: still full
    z.setParam('enabled', false);
    expect(z.store(0, 501, pageOf(4000, 501))).toBe(false); // zswap_store: !zswap_enabled → check_old
    expect(env.runWork()).toBe(0);
    z.setParam('enabled', true);
    expect(z.store(0, 502, pageOf(4000, 502))).toBe(false);
    expect(z.counters.pool_limit_hit).toBe(2);
    expect(env.runWork()).toBe(1);
  });

  it('erases a stale entry when a store fails or zswap is disabled', () => {
    const env = new ZswapEnv({ freePages: 1 });
    const { z } = make({ era: '6.8+' }, env);
    expect(z.store(0, 1, pageOf(4000, 1))).toBe(true);
    expect(z.store(0, 1, pageOf(4000, 2))).toBe(false); // no page for the new copy
    expect(z.has(0, 1)).toBe(false);
    expect(z.store(0, 2, zeroPage(3))).toBe(true);
    z.setParam('enabled', false);
    expect(z.store(0, 2, zeroPage(4))).toBe(false);
    expect(z.has(0, 2)).toBe(false);
    // 4.x keeps it (the frontend invalidates a failed duplicate)
    const old = make().z;
    old.store(0, 2, zeroPage(1));
    old.setParam('enabled', false);
    expect(old.store(0, 2, zeroPage(2))).toBe(false);
    expect(old.has(0, 2)).toBe(true);
  });
});

describe('zswap: runtime enable and pool switches', () => {
  it('enabled=false stops stores only', () => {
    const { z } = make();
    z.store(0, 1, pageOf(1000, 1));
    z.setParam('enabled', false);
    const before = { ...z.counters };
    expect(z.store(0, 2, pageOf(1000, 2))).toBe(false);
    expect(z.counters).toEqual(before);
    expect(z.load(0, 1, out())).toBe(true);
    z.invalidatePage(0, 1);
    expect(z.counters.stored_pages).toBe(0);
    z.setParam('enabled', 'y');
    expect(z.store(0, 2, pageOf(1000, 2))).toBe(true);
  });

  it('a compressor switch makes a new pool; the old one serves loads until empty, and is reused while alive', () => {
    const env = new ZswapEnv();
    const { z } = make({}, env);
    for (let i = 0; i < 3; i++) z.store(0, i, pageOf(1000, i));
    env.clock = 100;
    z.setParam('compressor', 'deflate');
    expect(z.currentPool()).toEqual({ compressor: 'deflate', zpool: 'zbud' });
    expect(z.store(0, 10, pageOf(1000, 10))).toBe(true);
    expect(fake(env, 'deflate').compressCalls).toBe(1);
    const o = out();
    expect(z.load(0, 1, o)).toBe(true);
    expect(o.tag).toBe(1);
    expect(fake(env, 'lz4').decompressCalls).toBe(1);
    let pools = z.pools();
    expect(pools.map((p) => [p.id, p.compressor, p.zpool, p.created_ns, p.destroyed_ns, p.stored_pages])).toEqual([
      [0, 'lz4', 'zbud', 0, null, 3],
      [1, 'deflate', 'zbud', 100, null, 1],
    ]);
    // back to lz4: the live pool 0 is reused
    z.setParam('compressor', 'lz4');
    expect(z.pools().length).toBe(2);
    z.store(0, 11, pageOf(1000, 11));
    expect(z.pools()[0]!.stored_pages).toBe(4);
    // to deflate again, then drain pool 0
    z.setParam('compressor', 'deflate');
    expect(z.pools().length).toBe(2);
    env.clock = 250;
    for (const off of [0, 1, 2, 11]) z.invalidatePage(0, off);
    pools = z.pools();
    expect(pools[0]).toMatchObject({ id: 0, destroyed_ns: 250, stored_pages: 0, stored_pages_peak: 4 });
    expect(pools[1]).toMatchObject({ id: 1, destroyed_ns: null, stored_pages: 1 });
    expect(z.poolPages()).toBe(1);
    // lz4 again: pool 0 is gone, a new pool is made
    z.setParam('compressor', 'lz4');
    expect(z.pools().map((p) => p.id)).toEqual([0, 1, 2]);
    expect(z.load(0, 10, out())).toBe(true); // still in pool 1
  });

  it('a zpool switch keeps the old allocator until its pages are freed', () => {
    const env = new ZswapEnv();
    const { z } = make({}, env);
    z.store(0, 1, pageOf(1000, 1));
    z.setParam('zpool', 'zsmalloc');
    z.store(0, 2, pageOf(1000, 2));
    expect(z.pools().map((p) => p.zpool)).toEqual(['zbud', 'zsmalloc']);
    const st = z.stats();
    expect(st['zbud']!['objects']).toBe(1);
    expect(st['zsmalloc']!['obj_used']).toBe(1);
    expect(z.poolPages()).toBe(1 + 1);
    z.invalidatePage(0, 1);
    expect(z.pools()[0]!.destroyed_ns).not.toBeNull();
    expect(z.poolPages()).toBe(1);
    expect(env.poolPages).toBe(1);
    z.setParam('zpool', ''); // the era's default: zbud again, a new pool
    expect(z.currentPool().zpool).toBe('zbud');
    expect(z.params()['zpool']).toBe('zbud');
  });

  it('switching to the current values changes nothing', () => {
    const { z } = make();
    z.setParam('compressor', 'lz4');
    z.setParam('zpool', 'zbud');
    expect(z.pools().length).toBe(1);
  });
});

describe('zswap with the real compressors', () => {
  it('round-trips real bytes and rejects or stores raw what lz4 cannot shrink', () => {
    const svc = new CachingCompressionService();
    const text = new Uint8Array(PAGE_SIZE);
    const words = 'the quick brown fox jumps over the lazy dog; zswap compresses swap pages. ';
    for (let i = 0; i < PAGE_SIZE; i++) text[i] = words.charCodeAt(i % words.length);
    const rnd = new Uint8Array(PAGE_SIZE);
    let x = 12345;
    for (let i = 0; i < PAGE_SIZE; i++) {
      x = (x * 1103515245 + 12345) >>> 0;
      rnd[i] = x >>> 24;
    }
    const rndSize = svc.get('lz4').compress(rnd).size;
    for (const era of ERAS) {
      for (const compressor of ['lz4', 'deflate']) {
        const env = new ZswapEnv({ compression: svc });
        const { z } = make({ era, compressor }, env);
        const page: Page = { bytes: text, desc: -1, tag: 1 };
        expect(z.store(0, 1, page)).toBe(true);
        expect(z.storedBytes()).toBeLessThan(PAGE_SIZE / 4);
        const o = out();
        expect(z.load(0, 1, o)).toBe(true);
        expect(o.bytes).toEqual(text);
      }
      const env = new ZswapEnv({ compression: svc });
      const { z } = make({ era }, env);
      const ok = z.store(0, 2, { bytes: rnd, desc: -1, tag: 2 });
      if (era === '6.8+') {
        expect(ok).toBe(true);
        expect(z.counters.stored_incompressible_pages).toBe(rndSize >= PAGE_SIZE ? 1 : 0);
        const o = out();
        z.load(0, 2, o);
        expect(o.bytes).toEqual(rnd);
      } else if (rndSize > PAGE_SIZE) {
        expect(ok).toBe(false);
        expect(rejects(z)).toBe(era === '6.6' || era === '6.12' ? 1 : 0); // 6.6 and 6.12 count reject_compress_fail
      } else expect(ok).toBe(era !== '4.x'); // zsmalloc takes a page-sized object; 4.x zbud does not
    }
  });
});
