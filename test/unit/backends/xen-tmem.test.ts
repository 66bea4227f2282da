import { describe, expect, it } from 'vitest';
import {
  HYPERCALL_CYCLES,
  XEN_TMEM_PARAMS,
  XenTmemBackend,
  xenFrontswapIndex,
  xenFrontswapOid,
  xenTmemFactory,
} from '../../../src/backends/xen-tmem/xen-tmem.js';
import { resolveParams } from '../../../src/backends/params.js';
import { TMEM_OP_CYCLES } from '../../../src/tmem/tmem.js';
import { PAGE_SIZE } from '../../../src/content/page.js';
import { UsageError } from '../../../src/errors.js';
import type { ParamMap } from '../../../src/trace/events.js';
import { XenEnv, out, xpage, type XenEnvOptions } from '../../helpers/env-double.js';

function make(params: ParamMap = {}, envOpts: XenEnvOptions = {}) {
  const env = new XenEnv(envOpts);
  const x = new XenTmemBackend(env, params);
  return { env, x, fs: x.frontswap!, cc: x.cleancache! };
}

function xs(x: XenTmemBackend): Record<string, number> {
  return x.stats()['xen-tmem']!;
}

describe('xen-tmem: round trips and return mapping', () => {
  it('cleancache put/get returns the tag and the bytes; a private pool get is exclusive', () => {
    const { env, x, cc } = make();
    const pool = cc.initFs(PAGE_SIZE);
    expect(pool).toBe(0);
    const p = xpage(42);
    cc.putPage(pool, 7, 3, p);
    const o = out();
    expect(cc.getPage(pool, 7, 3, o)).toBe(true);
    expect(o.tag).toBe(42);
    expect(o.filled).toBe(true);
    expect(o.bytes).toEqual(p.bytes);
    // private ephemeral pool: the get took the page
    expect(cc.getPage(pool, 7, 3, out())).toBe(false);
    expect(x.storedPages()).toBe(0);
    const s = xs(x);
    expect(s['puts']).toBe(1);
    expect(s['good_puts']).toBe(1);
    expect(s['found_gets']).toBe(1);
    expect(s['succ_eph_gets']).toBe(1);
    // the second get found the pool empty: -EEMPTY, not counted in gets, counted as an error
    expect(s['gets']).toBe(1);
    expect(s['errored_tmem_ops']).toBe(1);
    expect(env.allocCalls).toBe(0);
    expect(x.poolPages()).toBe(0);
  });

  it('a put keeps its own copy: changing the caller\'s buffer afterwards changes nothing', () => {
    const { cc } = make();
    const pool = cc.initFs(PAGE_SIZE);
    const p = xpage(5);
    const want = p.bytes.slice();
    cc.putPage(pool, 1, 1, p);
    p.bytes.fill(0xee);
    const o = out();
    expect(cc.getPage(pool, 1, 1, o)).toBe(true);
    expect(o.bytes).toEqual(want);
  });

  it('in fast mode a hit returns the tag unfilled and no bytes are kept', () => {
    const { x, fs, env } = make({}, { verifyBytes: false });
    fs.init(0);
    expect(fs.store(0, 5, xpage(9))).toBe(true);
    const pgp = x.tmem.lookup(x.poolById(x.frontswapPoolId)!, xenFrontswapOid(0, 5), xenFrontswapIndex(5))!;
    expect(pgp.data).toBeNull();
    const o = out();
    expect(fs.load(0, 5, o)).toBe(true);
    expect(o.tag).toBe(9);
    expect(o.filled).toBe(false);
    // still charged as two 4 KiB copies (put and get)
    expect(env.meter.totals.copyBytes).toBe(2 * PAGE_SIZE);
  });

  it('charges a hypercall per operation and a page copy per put and per hit', () => {
    const { env, cc } = make();
    const pool = cc.initFs(PAGE_SIZE); // 1 hypercall
    cc.putPage(pool, 1, 0, xpage(1)); // 1 hypercall + copy
    cc.getPage(pool, 1, 1, out()); // miss: 1 hypercall
    cc.getPage(pool, 1, 0, out()); // hit: 1 hypercall + copy
    const t = env.meter.totals;
    expect(t.metaCycles).toBe(4 * (HYPERCALL_CYCLES + TMEM_OP_CYCLES));
    expect(t.copyBytes).toBe(2 * PAGE_SIZE);
    expect(t.compressOps).toBe(0);
  });

  it('rejects a page size other than 4 KiB and runs out of pool ids at 16', () => {
    const { cc, x } = make();
    expect(cc.initFs(8192)).toBe(-1);
    for (let i = 0; i < 16; i++) expect(cc.initFs(PAGE_SIZE)).toBe(i);
    expect(cc.initFs(PAGE_SIZE)).toBe(-1);
    expect(xs(x)['pools']).toBe(16);
    // invalidate_fs frees the id for the next mount
    cc.invalidateFs(3);
    expect(cc.initFs(PAGE_SIZE)).toBe(3);
  });

  it('a negative pool or an index beyond 32 bits is a no-op: no hypercall, get misses', () => {
    const { cc, fs, x } = make();
    const pool = cc.initFs(PAGE_SIZE);
    fs.init(0);
    const before = xs(x)['total_tmem_ops'];
    cc.putPage(-1, 1, 1, xpage(1));
    cc.putPage(pool, 1, 2 ** 32, xpage(2));
    expect(cc.getPage(-1, 1, 1, out())).toBe(false);
    expect(cc.getPage(pool, 1, 2 ** 32, out())).toBe(false);
    cc.invalidatePage(pool, 1, 2 ** 32);
    cc.invalidateFs(-2);
    expect(fs.store(0, 2 ** 32, xpage(3))).toBe(false);
    expect(fs.load(0, 2 ** 32 + 1, out())).toBe(false);
    fs.invalidatePage(0, 2 ** 33);
    expect(xs(x)['total_tmem_ops']).toBe(before);
    expect(x.storedPages()).toBe(0);
  });

  it('a duplicate put replaces the data in place', () => {
    const { x, cc } = make();
    const pool = cc.initFs(PAGE_SIZE);
    cc.putPage(pool, 1, 1, xpage(1));
    cc.putPage(pool, 1, 1, xpage(2));
    expect(x.storedPages()).toBe(1);
    const o = out();
    expect(cc.getPage(pool, 1, 1, o)).toBe(true);
    expect(o.tag).toBe(2);
    expect(o.bytes).toEqual(xpage(2).bytes);
    const s = xs(x);
    expect(s['dup_puts_replaced']).toBe(1);
    expect(s['good_puts']).toBe(2);
    expect(s['puts']).toBe(2);
  });

  it('invalidate_inode flushes the object, invalidate_fs destroys the pool', () => {
    const { x, cc } = make();
    const pool = cc.initFs(PAGE_SIZE);
    for (let i = 0; i < 4; i++) cc.putPage(pool, 10, i, xpage(i + 1));
    cc.putPage(pool, 11, 0, xpage(9));
    cc.invalidatePage(pool, 10, 0);
    cc.invalidatePage(pool, 10, 0);
    expect(x.storedPages()).toBe(4);
    cc.invalidateInode(pool, 10);
    expect(x.storedPages()).toBe(1);
    expect(cc.getPage(pool, 10, 2, out())).toBe(false);
    let s = xs(x);
    expect(s['flushs']).toBe(2);
    expect(s['flushs_found']).toBe(1);
    expect(s['flush_objs']).toBe(1);
    expect(s['flush_objs_found']).toBe(1);
    cc.invalidateFs(pool);
    expect(x.storedPages()).toBe(0);
    expect(x.poolById(pool)).toBeNull();
    s = xs(x);
    expect(s['eph_count']).toBe(0);
    expect(s['obj_count']).toBe(0);
    // a get on the destroyed id: -ENODEV from the hypervisor, -1 to Linux
    expect(cc.getPage(pool, 11, 0, out())).toBe(false);
  });
});

describe('xen-tmem: shared pools', () => {
  it('two mounts with the same uuid share one pool; its gets are non-destructive', () => {
    const { x, cc } = make();
    const a = cc.initSharedFs('uuid-1', PAGE_SIZE);
    const b = cc.initSharedFs('uuid-1', PAGE_SIZE);
    const c = cc.initSharedFs('uuid-2', PAGE_SIZE);
    expect(a).toBe(0);
    expect(b).toBe(1);
    expect(c).toBe(2);
    expect(x.poolById(a)).toBe(x.poolById(b));
    expect(x.poolById(c)).not.toBe(x.poolById(a));
    expect(xs(x)['shared_pools']).toBe(2);

    cc.putPage(a, 5, 0, xpage(100));
    for (let i = 0; i < 3; i++) {
      const o = out();
      expect(cc.getPage(b, 5, 0, o)).toBe(true);
      expect(o.tag).toBe(100);
      expect(cc.getPage(a, 5, 0, out())).toBe(true);
    }
    expect(cc.getPage(c, 5, 0, out())).toBe(false);
    expect(x.storedPages()).toBe(1);
    // a put through the other mount overwrites the same page
    cc.putPage(b, 5, 0, xpage(101));
    const o = out();
    expect(cc.getPage(a, 5, 0, o)).toBe(true);
    expect(o.tag).toBe(101);
  });

  it('destroying one sharer drops the guest\'s pages but keeps the pool for the other', () => {
    const { x, cc } = make();
    const a = cc.initSharedFs('u', PAGE_SIZE);
    const b = cc.initSharedFs('u', PAGE_SIZE);
    cc.putPage(a, 1, 1, xpage(1));
    cc.invalidateFs(a);
    expect(x.poolById(a)).toBeNull();
    expect(x.poolById(b)).not.toBeNull();
    expect(x.storedPages()).toBe(0);
    expect(cc.getPage(b, 1, 1, out())).toBe(false);
    cc.putPage(b, 1, 1, xpage(2));
    expect(cc.getPage(b, 1, 1, out())).toBe(true);
    // a third mount joins the surviving pool
    const c = cc.initSharedFs('u', PAGE_SIZE);
    expect(c).toBe(a); // the first free id
    expect(x.poolById(c)).toBe(x.poolById(b));
    cc.invalidateFs(b);
    cc.invalidateFs(c);
    expect(xs(x)['shared_pools']).toBe(0);
    expect(xs(x)['pools']).toBe(0);
    // a new mount of the uuid gets a fresh, empty pool
    const d = cc.initSharedFs('u', PAGE_SIZE);
    expect(cc.getPage(d, 1, 1, out())).toBe(false);
  });

  it('a shared get makes the page most recently used', () => {
    const { x, cc } = make({ hypervisor_budget_mb: 1 });
    const a = cc.initSharedFs('u', PAGE_SIZE);
    for (let i = 0; i < 256; i++) cc.putPage(a, 1, i, xpage(i + 1));
    expect(cc.getPage(a, 1, 0, out())).toBe(true); // index 0 → MRU
    cc.putPage(a, 2, 0, xpage(1000)); // evicts the LRU: index 1
    expect(cc.getPage(a, 1, 0, out())).toBe(true);
    expect(cc.getPage(a, 1, 1, out())).toBe(false);
    expect(xs(x)['evicted_pgs']).toBe(1);
  });
});

describe('xen-tmem: frontswap', () => {
  it('one persistent pool; loads are non-destructive; exclusive gets are off', () => {
    const { x, fs } = make();
    expect(x.frontswapExclusiveGets).toBe(false);
    fs.init(0);
    fs.init(1);
    expect(x.frontswapPoolId).toBe(0);
    expect(xs(x)['pools']).toBe(1);
    expect(fs.store(0, 1000, xpage(1))).toBe(true);
    expect(fs.store(1, 1000, xpage(2))).toBe(true);
    for (let i = 0; i < 3; i++) {
      const o = out();
      expect(fs.load(0, 1000, o)).toBe(true);
      expect(o.tag).toBe(1);
      expect(o.bytes).toEqual(xpage(1).bytes);
    }
    const o = out();
    expect(fs.load(1, 1000, o)).toBe(true);
    expect(o.tag).toBe(2);
    const s = xs(x);
    expect(s['pers_count']).toBe(2);
    expect(s['succ_pers_gets']).toBe(4);
    expect(s['succ_pers_puts']).toBe(2);
    fs.invalidatePage(0, 1000);
    expect(fs.load(0, 1000, out())).toBe(false);
    expect(fs.load(1, 1000, out())).toBe(true);
  });

  it('before init the store fails without a hypercall', () => {
    const { x, fs } = make();
    expect(fs.store(0, 1, xpage(1))).toBe(false);
    expect(fs.load(0, 1, out())).toBe(false);
    expect(xs(x)['total_tmem_ops']).toBe(0);
  });

  it('SWIZ_BITS=4: oid = (type<<4)|(off&15), index = off>>4', () => {
    expect(xenFrontswapOid(0, 0)).toBe(0);
    expect(xenFrontswapOid(1, 0x123)).toBe(16 + 3);
    expect(xenFrontswapIndex(0x123)).toBe(0x12);
    expect(xenFrontswapOid(2, 2 ** 32 - 1)).toBe(32 + 15);
    expect(xenFrontswapIndex(2 ** 32 - 1)).toBe(2 ** 28 - 1);
  });

  it('invalidate_area flushes exactly the 16 objects of its type', () => {
    const { x, fs } = make();
    fs.init(0);
    const offs = [0, 1, 15, 16, 17, 31, 32, 1000, 4095, 65536 + 7, 2 ** 31 + 5, 2 ** 32 - 1];
    let tag = 1;
    for (const type of [0, 1, 2]) for (const off of offs) expect(fs.store(type, off, xpage(tag++))).toBe(true);
    expect(x.storedPages()).toBe(3 * offs.length);
    const before = xs(x)['flush_objs'];
    fs.invalidateArea(1);
    expect(xs(x)['flush_objs'] - before).toBe(16);
    for (const off of offs) {
      expect(fs.load(0, off, out())).toBe(true);
      expect(fs.load(1, off, out())).toBe(false);
      expect(fs.load(2, off, out())).toBe(true);
    }
    expect(x.storedPages()).toBe(2 * offs.length);
    expect(xs(x)['pers_count']).toBe(2 * offs.length);
  });
});

describe('xen-tmem: hypervisor budget', () => {
  it('a full budget evicts the LRU ephemeral page for an ephemeral put', () => {
    const { x, cc } = make({ hypervisor_budget_mb: 1 });
    expect(x.budget).toBe(256);
    const pool = cc.initFs(PAGE_SIZE);
    for (let i = 0; i < 256; i++) cc.putPage(pool, 1, i, xpage(i + 1));
    expect(x.storedPages()).toBe(256);
    cc.putPage(pool, 1, 256, xpage(999));
    expect(x.storedPages()).toBe(256);
    expect(cc.getPage(pool, 1, 0, out())).toBe(false); // the LRU page went
    const o = out();
    expect(cc.getPage(pool, 1, 256, o)).toBe(true);
    expect(o.tag).toBe(999);
    expect(cc.getPage(pool, 1, 1, out())).toBe(true);
    const s = xs(x);
    expect(s['evicted_pgs']).toBe(1);
    expect(s['evict_attempts']).toBe(1);
    expect(s['no_mem_puts']).toBe(0);
  });

  it('persistent pages are never evicted: a persistent put on a budget full of them fails', () => {
    const { x, fs, cc } = make({ hypervisor_budget_mb: 1 });
    fs.init(0);
    for (let off = 0; off < 256; off++) expect(fs.store(0, off, xpage(off + 1))).toBe(true);
    expect(fs.store(0, 256, xpage(999))).toBe(false);
    // an ephemeral put fails too: there is nothing ephemeral to evict
    const pool = cc.initFs(PAGE_SIZE);
    cc.putPage(pool, 1, 1, xpage(5));
    expect(cc.getPage(pool, 1, 1, out())).toBe(false);
    for (let off = 0; off < 256; off++) {
      const o = out();
      expect(fs.load(0, off, o)).toBe(true);
      expect(o.tag).toBe(off + 1);
    }
    const s = xs(x);
    expect(s['no_mem_puts']).toBe(2);
    expect(s['alloc_page_failed']).toBe(2);
    expect(s['evicted_pgs']).toBe(0);
    expect(s['errored_tmem_ops']).toBeGreaterThanOrEqual(2);
    // a duplicate store still succeeds (it reuses its own page)
    expect(fs.store(0, 7, xpage(70))).toBe(true);
    const o = out();
    expect(fs.load(0, 7, o)).toBe(true);
    expect(o.tag).toBe(70);
  });

  it('a persistent put evicts ephemeral pages (tmem_ensure_avail_pages) unless told not to', () => {
    for (const evicts of [true, false]) {
      const { x, fs, cc } = make({ hypervisor_budget_mb: 1, persistent_evicts_ephemeral: evicts });
      const pool = cc.initFs(PAGE_SIZE);
      fs.init(0);
      for (let i = 0; i < 256; i++) cc.putPage(pool, 1, i, xpage(i + 1));
      expect(fs.store(0, 0, xpage(1000))).toBe(evicts);
      expect(x.storedPages()).toBe(256);
      expect(xs(x)['evicted_pgs']).toBe(evicts ? 1 : 0);
      expect(cc.getPage(pool, 1, 0, out())).toBe(!evicts);
    }
  });

  it('lowering the budget at runtime evicts on the next put; 0 means no limit', () => {
    const { x, cc } = make({ hypervisor_budget_mb: 2 });
    const pool = cc.initFs(PAGE_SIZE);
    for (let i = 0; i < 400; i++) cc.putPage(pool, 1, i, xpage(i + 1));
    expect(x.storedPages()).toBe(400);
    x.setParam('hypervisor_budget_mb', 1);
    cc.putPage(pool, 2, 0, xpage(5000));
    expect(x.storedPages()).toBe(256);
    expect(xs(x)['evicted_pgs']).toBe(145);
    x.setParam('hypervisor_budget_mb', 0);
    for (let i = 0; i < 1000; i++) cc.putPage(pool, 3, i, xpage(i + 1));
    expect(x.storedPages()).toBe(1256);
    expect(xs(x)['budget_pages']).toBe(0);
  });

  it('maxmem_bounds_persistent: frontswap has room only once the guest ballooned down', () => {
    const { x, fs, env } = make({ maxmem_bounds_persistent: true }, { maxram: 1000, totalram: 1000 });
    fs.init(0);
    expect(fs.store(0, 1, xpage(1))).toBe(false);
    env.totalram = 998;
    expect(fs.store(0, 1, xpage(1))).toBe(true);
    expect(fs.store(0, 2, xpage(2))).toBe(true);
    expect(fs.store(0, 3, xpage(3))).toBe(false);
    // a dup fits in the page it frees
    expect(fs.store(0, 2, xpage(22))).toBe(true);
    // the guest ballooned up: the dup has no page, the old copy is flushed (-ENOSPC)
    env.totalram = 999;
    expect(fs.store(0, 2, xpage(23))).toBe(false);
    expect(fs.load(0, 2, out())).toBe(false);
    expect(xs(x)['dup_puts_flushed']).toBe(1);
    expect(fs.load(0, 1, out())).toBe(true);
  });
});

describe('xen-tmem: parameters', () => {
  it('defaults follow the kernel; frontswap off forces selfballooning and selfshrinking off', () => {
    const { x } = make();
    const p = x.params();
    expect(p['cleancache']).toBe(true);
    expect(p['frontswap']).toBe(true);
    expect(p['selfballooning']).toBe(true);
    expect(p['selfshrinking']).toBe(true);
    expect(p['selfballoon_interval']).toBe(5);
    expect(p['selfballoon_downhysteresis']).toBe(8);
    expect(p['selfballoon_uphysteresis']).toBe(1);
    expect(p['selfballoon_min_usable_mb']).toBe(0);
    expect(p['frontswap_inertia']).toBe(3);
    expect(p['frontswap_hysteresis']).toBe(20);
    expect(p['hypervisor_budget_mb']).toBe(64);
    expect(x.selfballoon.scheduled).toBe(true);

    const off = make({ frontswap: 'n' });
    expect(off.x.frontswap).toBeNull();
    expect(off.x.cleancache).not.toBeNull();
    expect(off.x.params()['selfballooning']).toBe(false);
    expect(off.x.params()['selfshrinking']).toBe(false);
    expect(off.x.params()['frontswap_selfshrinking']).toBe(false);
    expect(off.x.selfballoon.scheduled).toBe(false);
    expect(make({ cleancache: false }).x.cleancache).toBeNull();
  });

  it('rejects unknown names, zero knobs and load-time changes', () => {
    expect(() => make({ selfballoon_interval: 0 })).toThrow(UsageError);
    expect(() => make({ frontswap_hysteresis: '0' })).toThrow(UsageError);
    expect(() => make({ nosuch: 1 })).toThrow(UsageError);
    const { x } = make();
    expect(() => x.setParam('selfballoon_interval', 0)).toThrow(UsageError);
    expect(() => x.setParam('selfballoon_downhysteresis', 0)).toThrow(UsageError);
    expect(() => x.setParam('selfballoon_uphysteresis', '0')).toThrow(UsageError);
    expect(() => x.setParam('frontswap_inertia', 0)).toThrow(UsageError);
    expect(() => x.setParam('selfballoon_min_usable_mb', 0)).toThrow(UsageError);
    expect(() => x.setParam('nosuch', 1)).toThrow(UsageError);
    expect(() => x.setParam('cleancache', false)).toThrow(UsageError);
    expect(() => x.setParam('selfshrinking', false)).toThrow(UsageError);
    expect(() => x.setParam('selfballooning', 'maybe')).toThrow(UsageError);
    x.setParam('selfballoon_interval', '7');
    x.setParam('selfballoon_min_usable_mb', 100);
    expect(x.params()['selfballoon_interval']).toBe(7);
    expect(x.selfballoon.tunables.interval).toBe(7);
    expect(x.selfballoon.tunables.minUsableMb).toBe(100);
    x.setParam('frontswap_inertia', 5);
    expect(x.stats()['selfballoon']!['frontswap_inertia_counter']).toBe(5);
  });

  it('the factory resolves and creates; stats keep one stable key order', () => {
    const env = new XenEnv();
    expect(xenTmemFactory.name).toBe('xen-tmem');
    const b = xenTmemFactory.create(env, resolveParams('xen-tmem', XEN_TMEM_PARAMS, { hypervisor_budget_mb: '8' }));
    expect(b.params()['hypervisor_budget_mb']).toBe(8);
    const k1 = Object.keys(b.stats()['xen-tmem']!);
    const k2 = Object.keys(b.stats()['selfballoon']!);
    b.cleancache!.putPage(b.cleancache!.initFs(PAGE_SIZE), 1, 1, xpage(1));
    expect(Object.keys(b.stats()['xen-tmem']!)).toEqual(k1);
    expect(Object.keys(b.stats()['selfballoon']!)).toEqual(k2);
    expect(Object.keys(b.stats())).toEqual(['xen-tmem', 'selfballoon']);
    expect(k1.slice(0, 4)).toEqual(['total_tmem_ops', 'errored_tmem_ops', 'puts', 'good_puts']);
    expect(b.storedPages()).toBe(1);
    expect(b.storedBytes()).toBe(PAGE_SIZE);
    expect(b.poolPages()).toBe(0);
    for (const v of Object.values(b.stats()['xen-tmem']!)) expect(typeof v).toBe('number');
  });
});

describe('xen-tmem: evictions are reported to the host', () => {
  it('an ephemeral page evicted for room is reported dropped (its key), LRU first; a persistent one is never', () => {
    const { env, cc, fs } = make({ hypervisor_budget_mb: 1 }); // 256 pages
    const pool = cc.initFs(PAGE_SIZE);
    fs.init(0);
    for (let i = 0; i < 10; i++) fs.store(0, i, xpage(1000 + i)); // persistent: counted in the budget, never evicted
    for (let i = 0; i < 300; i++) cc.putPage(pool, 5, i, xpage(1 + i));
    // 10 persistent + 300 ephemeral puts into 256 pages: the 54 oldest ephemeral pages went, in order.
    expect(env.dropped.length).toBe(54);
    expect(env.dropped.map((d) => d.index)).toEqual(Array.from({ length: 54 }, (_, i) => i));
    expect(env.dropped.every((d) => d.poolId === pool && d.oid === 5)).toBe(true);
    const o = out();
    expect(cc.getPage(pool, 5, 53, o)).toBe(false); // dropped: a get misses
    expect(cc.getPage(pool, 5, 54, o)).toBe(true);
  });
});
