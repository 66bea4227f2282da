/**
 * Kernel memory charged to RAM, against counts computed by hand:
 * - page tables (x86-64, 4 KiB pages): one PTE page per 512-page range a
 *   process touches, one PMD page per 2^18-page (1 GiB) range, allocated at
 *   the first fault in the range, a read mapping the zero page included;
 * - the zswap_entry slab: one object per stored page (same-filled ones too),
 *   sizeof(struct zswap_entry) 64 bytes in 6.1 (64 a page), 56 in 4.x (73 a page);
 * - zsmalloc's own caches (6.1 create_cache): zs_handle, 8 bytes, one per
 *   object (512 a page), and zspage, sizeof(struct zspage) 56 bytes on x86-64
 *   (73 a page), one per zspage;
 * - z3fold 6.1: one 48-byte struct z3fold_buddy_slots at 64-byte alignment per
 *   page with a header (64 a page), none for headless pages;
 * - zcache2's zcache_obj and zcache_objnode caches (and RAMster's, which are
 *   zcache's): struct tmem_obj on x86-64 is oid 24 + pool 8 + rb_node 24 +
 *   objnode_tree_root 8 + objnode_tree_height 4, padded to 8, + objnode_count 8
 *   + pampd_count 8 = 88 bytes (46 a page), 96 with CONFIG_RAMSTER's extra
 *   pointer (42 a page); struct tmem_objnode is obj 8 + 64 slots of 8 +
 *   slots_in_use 4, padded to 8 = 528 bytes (7 a page).
 * Free memory is RAM less resident pages, pool pages, slab and page tables.
 */

import { describe, expect, it } from 'vitest';
import { zswapFactory, type ZswapBackend } from '../../../src/backends/zswap.js';
import { ZsmallocPool } from '../../../src/allocators/zsmalloc.js';
import { Z3foldPool } from '../../../src/allocators/z3fold.js';
import { Cls, makeDesc } from '../../../src/content/page.js';
import { testMachine } from '../../helpers/machine.js';
import { zcacheFactory } from '../../../src/backends/zcache/zcache.js';
import { ramsterFactory } from '../../../src/backends/ramster/ramster.js';
import type { Backend } from '../../../src/backends/backend.js';

describe('page tables', () => {
  it('one PTE page per 512-page range touched and one PMD page per GiB, per process', () => {
    const m = testMachine({ ramPages: 8192 });
    const mem = m.memory;
    expect(mem.ptPages).toBe(0);
    for (let p = 0; p < 1024; p++) mem.anonAccess(1, p, true, makeDesc(Cls.Text, p + 1));
    expect(mem.ptPages).toBe(2 + 1); // ranges 0 and 1, one PMD
    mem.anonAccess(1, 1024, false, 0); // a read of a never-touched page maps the zero page: its PTE page still comes
    expect(mem.ptPages).toBe(4);
    expect(mem.resident).toBe(1024);
    mem.anonAccess(1, 2 ** 18 + 7, true, makeDesc(Cls.Text, 9)); // another GiB: a PTE and a PMD page
    expect(mem.ptPages).toBe(6);
    mem.anonAccess(2, 0, true, makeDesc(Cls.Text, 10)); // another process
    expect(mem.ptPages).toBe(8);
    mem.anonAccess(1, 511, true, makeDesc(Cls.Text, 11)); // a touched range: nothing new
    expect(mem.ptPages).toBe(8);
    expect(mem.free).toBe(8192 - 1026 - 8);
  });
});

describe('the zswap_entry slab', () => {
  it.each([
    ['6.1', 64],
    ['4.x', 73],
  ])('era %s packs %i entries a slab page, counted against free memory', (era, perPage) => {
    const m = testMachine({ ramPages: 8192, factory: zswapFactory });
    m.swapon(0, 4096);
    m.insmod('zswap', { era, zpool: 'zbud', compressor: 'lz4', max_pool_percent: 50 });
    const z = m.backend as ZswapBackend;
    // Same-filled pages: entries with no pool page, so free memory moves by the slab alone.
    for (let off = 0; off < perPage; off++) m.swapWrite(0, off, makeDesc(Cls.Zero, 0));
    expect(z.counters.stored_pages).toBe(perPage);
    expect(z.slabPages()).toBe(1);
    expect(m.memory.free).toBe(8192 - 1);
    m.swapWrite(0, perPage, makeDesc(Cls.Zero, 0));
    expect(z.slabPages()).toBe(2);
    expect(m.memory.free).toBe(8192 - 2);
    // Invalidating entries gives the slab pages back.
    for (let off = 0; off <= perPage; off++) m.swapFree(0, off);
    expect(z.slabPages()).toBe(0);
    expect(m.memory.free).toBe(8192);
  });
});

describe("zsmalloc's zs_handle and zspage caches", () => {
  it('one 8-byte handle per object and one 56-byte struct zspage per zspage, in whole slab pages', () => {
    let held = 0;
    const z = new ZsmallocPool({ allocPage: () => (held++, true), freePage: () => void held-- });
    expect(z.slabPages()).toBe(0);
    // 2000-byte objects: class 2048, one page per zspage, two objects each (see zsmalloc.test.ts).
    const hs: number[] = [];
    for (let i = 0; i < 146; i++) hs.push(z.malloc(2000));
    // 146 handles: 1 handle slab page; 73 zspages: 1 zspage slab page.
    expect(z.totalPages()).toBe(73);
    expect(z.slabPages()).toBe(1 + 1);
    hs.push(z.malloc(2000), z.malloc(2000)); // the 74th zspage: a second zspage slab page
    expect(z.slabPages()).toBe(1 + 2);
    for (let i = 0; i < 512 - 148; i++) hs.push(z.malloc(2000)); // 512 handles, 256 zspages: 1 + ceil(256 / 73)
    expect(z.slabPages()).toBe(1 + 4);
    hs.push(z.malloc(2000)); // the 513th handle: a second handle page (257 zspages: still 4)
    expect(z.slabPages()).toBe(2 + 4);
    for (const h of hs) z.free(h);
    expect(z.slabPages()).toBe(0);
    expect(held).toBe(0);
  });

  it('zswap on zsmalloc charges them beside its entries, against free memory', () => {
    const m = testMachine({ ramPages: 8192, factory: zswapFactory });
    m.swapon(0, 4096);
    m.insmod('zswap', { era: '6.1', zpool: 'zsmalloc', compressor: 'lz4', max_pool_percent: 50 });
    const z = m.backend as ZswapBackend;
    for (let off = 0; off < 100; off++) m.swapWrite(0, off, makeDesc(Cls.Text, off + 1));
    const zs = z.stats()['zsmalloc']!;
    const objs = zs['obj_used']!;
    const zspages = zs['zspages']!;
    expect(objs).toBeGreaterThan(0);
    const expected = Math.ceil(z.counters.stored_pages / 64) + Math.ceil(objs / 512) + Math.ceil(zspages / 73);
    expect(z.slabPages()).toBe(expected);
    expect(m.memory.free).toBe(8192 - m.memory.resident - z.poolPages() - expected - m.memory.ptPages);
  });
});

describe("tmem's objs and objnodes in slab (zcache, RAMster)", () => {
  // 256 objs: 6 pages of 46 (88 bytes) for zcache, 7 of 42 (96 bytes) for RAMster; 44 objnodes: 7 pages of 7.
  it.each([
    ['zcache', zcacheFactory, 6 + 7],
    ['ramster', ramsterFactory, 7 + 7],
  ] as const)('%s: objs and 528-byte objnodes, whole pages of them (%i), counted against free memory', (name, factory, expected) => {
    const m = testMachine({ ramPages: 8192, factory });
    m.swapon(0, 4096);
    m.insmod(name, {});
    const b = m.backend as Backend & { slabPages(): number };
    expect(b.slabPages()).toBe(0);
    // zcache's frontswap oid is the slot offset's low 8 bits, the index the rest: offsets 0-255
    // make 256 objects, each holding index 0 at its root (height 0, no objnode); offsets 256-299
    // add index 1 to objects 0-43, which then need one objnode each (height 1).
    for (let off = 0; off < 300; off++) m.swapWrite(0, off, makeDesc(Cls.Text, off + 1));
    const tm = b.stats()['zcache']!;
    expect(tm['obj_count']).toBe(256);
    expect(tm['objnode_count']).toBe(44);
    expect(b.slabPages()).toBe(expected);
    expect(m.slabPages).toBe(expected);
    expect(m.memory.free).toBe(8192 - m.memory.resident - b.poolPages() - expected - m.memory.ptPages);
    // Flushing the area frees every object and objnode, and their slab.
    m.swapoff(0);
    expect(b.slabPages()).toBe(0);
  });
});

describe("z3fold's z3fold_handle cache (6.1)", () => {
  it('one 64-byte buddy-slots object per page with a header, none for headless pages, none in 4.11', () => {
    let held = 0;
    const src = { allocPage: () => (held++, true), freePage: () => void held-- };
    const z = new Z3foldPool(src, '6.1');
    const hs: number[] = [];
    // 2000-byte objects: 32 chunks each, one per page after the 2-chunk header (62 usable): one page each.
    for (let i = 0; i < 64; i++) hs.push(z.malloc(2000));
    expect(z.totalPages()).toBe(64);
    expect(z.slabPages()).toBe(1);
    hs.push(z.malloc(2000));
    expect(z.slabPages()).toBe(2);
    // 4000 bytes > 3904: a headless page, which has no slots.
    hs.push(z.malloc(4000));
    expect(z.totalPages()).toBe(66);
    expect(z.slabPages()).toBe(2);
    for (const h of hs) z.free(h);
    expect(z.slabPages()).toBe(0);
    expect(held).toBe(0);
    const old = new Z3foldPool(src, '4.11');
    old.malloc(2000);
    expect(old.slabPages()).toBe(0);
  });
});

describe('pool pages from the min reserve (PF_MEMALLOC)', () => {
  it('a plain pool allocation stops at the min watermark; one in reclaim (reserves) may take every free page', () => {
    const m = testMachine({ ramPages: 8192 });
    const mem = m.memory;
    const min = mem.minWmark;
    expect(min).toBeGreaterThan(0);
    while (m.allocPage()) {
      /* down to the min watermark */
    }
    expect(mem.free).toBe(min);
    for (let i = 0; i < min; i++) expect(m.allocPage(true)).toBe(true);
    expect(mem.free).toBe(0);
    expect(m.allocPage(true)).toBe(false);
  });

  it('zswap stores into its zpool below the min watermark (zpool_malloc in reclaim: ALLOC_NO_WATERMARKS)', () => {
    const m = testMachine({ ramPages: 8192, factory: zswapFactory });
    m.swapon(0, 4096);
    m.insmod('zswap', { era: '6.1', zpool: 'zsmalloc', compressor: 'lz4', max_pool_percent: 50 });
    const z = m.backend as ZswapBackend;
    while (m.allocPage()) {
      /* free memory down to the min watermark */
    }
    const free = m.memory.free;
    m.swapWrite(0, 0, makeDesc(Cls.Text, 1));
    expect(z.counters.stored_pages).toBe(1);
    expect(z.counters.reject_alloc_fail).toBe(0);
    expect(z.poolPages()).toBeGreaterThan(0);
    expect(m.memory.free).toBeLessThan(free);
  });
});
