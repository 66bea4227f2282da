import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EINVAL, ENOMEM, type PageSource } from '../../../src/allocators/zpool.js';
import {
  ZS_SIZE_CLASSES,
  ZsmallocPool,
  zsClassFor,
  zsClassIndex,
  zsPagesPerZspage,
  zsSizeClasses,
  zsmallocFactory,
  zsmallocFactoryFor,
} from '../../../src/allocators/zsmalloc.js';

class Budget implements PageSource {
  held = 0;
  constructor(public left = Infinity) {}
  allocPage(): boolean {
    if (this.left <= 0) return false;
    this.left--;
    this.held++;
    return true;
  }
  freePage(): void {
    this.left++;
    this.held--;
  }
}

/*
 * The size-class arithmetic, by hand (4.x rules: s = size + 8, index =
 * ceil((s - 32) / 16), class size 32 + 16·index, k <= 4 maximising the integer
 * percentage used, adjacent classes with equal (k, objs) merged upward):
 *
 * size 100:  s = 108, index ceil(76/16) = 5, class 112.
 *            k=1: 4096 % 112 = 64  → 4032/4096  = 98 %
 *            k=2: 8192 % 112 = 16  → 8176/8192  = 99 %   ← best
 *            k=3: 12288 % 112 = 80 → 99 % (not better)   k=4: 16384 % 112 = 32 → 99 %
 *            objs = 8192 / 112 = 73; class 128 above is (1, 32): not merged.
 * size 500:  s = 508, index ceil(476/16) = 30, class 512: k=1 uses 100 %, objs 8.
 *            class 528 above is (4, 31): not merged.
 * size 1000: s = 1008, index 61, class 1008: k=1..4 all 98 % → k=1, objs 4;
 *            class 1024 is (1, 4) too: merged into 1024. (1040 is (4, 15).)
 * size 2000: s = 2008, index ceil(1976/16) = 124, class 2016: (1, 2) at 98 %;
 *            2032 and 2048 are (1, 2): merged into 2048. (2064 is (4, 7).)
 * size 3000: s = 3008, index 186, class 3008: k=1 73 %, k=2 73 %, k=3 4 objs
 *            12032/12288 = 97 %, k=4 5 objs 15040/16384 = 91 % → (3, 4); 3024..3072
 *            are (3, 4) as well: merged into 3072. (3088 is (4, 5).)
 * size 4000: s = 4008, index ceil(3976/16) = 249, class 4016: one object per page
 *            whatever k (98 %) → (1, 1), merged up to 4096: the huge class.
 */
const TABLE = [
  { size: 100, count: 200, classSize: 112, k: 2, objs: 73, pages: Math.ceil(200 / 73) * 2 }, // 3 zspages: 6
  { size: 500, count: 20, classSize: 512, k: 1, objs: 8, pages: Math.ceil(20 / 8) * 1 }, // 3
  { size: 1000, count: 9, classSize: 1024, k: 1, objs: 4, pages: Math.ceil(9 / 4) * 1 }, // 3
  { size: 2000, count: 5, classSize: 2048, k: 1, objs: 2, pages: Math.ceil(5 / 2) * 1 }, // 3
  { size: 3000, count: 9, classSize: 3072, k: 3, objs: 4, pages: Math.ceil(9 / 4) * 3 }, // 9
  { size: 4000, count: 2, classSize: 4096, k: 1, objs: 1, pages: 2 }, // 2
] as const;

describe('zsmalloc size classes (4.x rules)', () => {
  it('has 255 classes of 16 bytes from 32 to 4096', () => {
    expect(ZS_SIZE_CLASSES).toBe(255);
    expect(zsClassIndex(1)).toBe(0);
    expect(zsClassIndex(32)).toBe(0);
    expect(zsClassIndex(33)).toBe(1);
    expect(zsClassIndex(4096)).toBe(254);
    expect(zsClassIndex(4104)).toBe(254);
  });

  it.each(TABLE)('size $size → class $classSize, $k page(s) per zspage, $objs objects', (row) => {
    const c = zsClassFor(row.size)!;
    expect(c.size).toBe(row.classSize);
    expect(c.pagesPerZspage).toBe(row.k);
    expect(c.objsPerZspage).toBe(row.objs);
    expect(c.huge).toBe(row.k === 1 && row.objs === 1);
  });

  it('uses as many pages as the class arithmetic says (table)', () => {
    const src = new Budget();
    const z = new ZsmallocPool(src);
    // interleave the sizes so that no class is filled in one go
    const left: number[] = TABLE.map((r) => r.count);
    let more = true;
    while (more) {
      more = false;
      TABLE.forEach((r, i) => {
        if (left[i]! > 0) {
          expect(z.malloc(r.size)).toBeGreaterThan(0);
          left[i]!--;
          more = true;
        }
      });
    }
    const expected = TABLE.reduce((n, r) => n + r.pages, 0);
    expect(expected).toBe(6 + 3 + 3 + 3 + 9 + 2);
    expect(z.totalPages()).toBe(expected);
    expect(src.held).toBe(expected);
    expect(z.objects()).toBe(TABLE.reduce((n, r) => n + r.count, 0));
    expect(z.stats()['huge_objects']).toBe(2);
  });

  it('merges classes upward and has a k<=4 chain everywhere', () => {
    const t = zsSizeClasses('4.x');
    expect(t.length).toBe(255);
    for (let i = 0; i < t.length; i++) {
      const c = t[i]!;
      expect(c.index).toBeGreaterThanOrEqual(i);
      expect(c.size).toBe(32 + 16 * c.index);
      expect(c.pagesPerZspage).toBeLessThanOrEqual(4);
      expect(c.objsPerZspage).toBe(Math.floor((c.pagesPerZspage * 4096) / c.size));
    }
    expect(t[61]).toBe(t[62]); // 1008 merged into 1024
    expect(zsPagesPerZspage(3264)).toBe(4); // 5 objects in 4 pages: not huge
  });

  it('follows the 6.3 chain rules when asked (k <= 8, least waste)', () => {
    expect(zsClassFor(100, '6.3')).toMatchObject({ size: 112, pagesPerZspage: 7, objsPerZspage: 256 });
    expect(zsClassFor(500, '6.3')).toMatchObject({ size: 512, pagesPerZspage: 1, objsPerZspage: 8 });
    expect(zsClassFor(3000, '6.3')).toMatchObject({ size: 3072, pagesPerZspage: 3, objsPerZspage: 4 });
    const src = new Budget();
    const z = zsmallocFactoryFor('6.3').create(src);
    for (let i = 0; i < 257; i++) z.malloc(100);
    expect(z.totalPages()).toBe(14); // 2 zspages of 7 pages
  });
});

describe('zsmalloc allocation', () => {
  it('rejects 0 and more than 4096 bytes with EINVAL and cannot shrink', () => {
    const z = new ZsmallocPool(new Budget());
    expect(z.malloc(0)).toBe(EINVAL);
    expect(z.malloc(4097)).toBe(EINVAL);
    expect(z.malloc(4096)).toBeGreaterThan(0);
    expect(z.shrink(1, () => 0)).toBe(EINVAL);
    expect(z.evictable).toBe(false);
    expect(zsmallocFactory.create(new Budget()).name).toBe('zsmalloc');
  });

  it('takes a whole zspage or nothing from the PageSource', () => {
    const src = new Budget(2);
    const z = new ZsmallocPool(src);
    expect(z.malloc(3000)).toBe(ENOMEM); // needs 3 pages
    expect(src.held).toBe(0);
    expect(z.malloc(100)).toBeGreaterThan(0); // 2 pages
    expect(src.held).toBe(2);
  });

  it('leaves partly used zspages after frees, and compact() packs them', () => {
    const src = new Budget();
    const z = new ZsmallocPool(src);
    const hs: number[] = [];
    for (let i = 0; i < 8 * 4; i++) hs.push(z.malloc(500)); // 4 full zspages of 8
    expect(z.totalPages()).toBe(4);
    // free 5 of every 8: each zspage keeps 3 objects
    hs.forEach((h, i) => {
      if (i % 8 < 5) z.free(h);
    });
    expect(z.objects()).toBe(12);
    expect(z.totalPages()).toBe(4); // no compaction on free
    expect(z.stats()['freeable']).toBe(2); // (32 - 12) / 8 = 2 zspages
    expect(z.compact()).toBe(2);
    expect(z.totalPages()).toBe(2); // ceil(12 / 8)
    expect(z.stats()['pages_compacted']).toBe(2);
    // handles survive the moves
    hs.forEach((h, i) => {
      if (i % 8 >= 5) z.free(h);
    });
    expect(z.totalPages()).toBe(0);
    expect(src.held).toBe(0);
  });

  it('fills the fullest partial zspage first', () => {
    const z = new ZsmallocPool(new Budget());
    const hs: number[] = [];
    for (let i = 0; i < 16; i++) hs.push(z.malloc(500)); // 2 zspages
    z.free(hs[0]!); // zspage A: 7 (almost full)
    for (let i = 8; i < 14; i++) z.free(hs[i]!); // zspage B: 2 (almost empty)
    z.malloc(500); // goes to A
    z.malloc(500); // A is full: B
    expect(z.totalPages()).toBe(2);
    expect(z.stats()['obj_used']).toBe(11);
  });
});

describe('zsmalloc properties', () => {
  it('pages stay between the packed bound and the budget, and compact() reaches the bound', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('alloc' as const), size: fc.integer({ min: 1, max: 4200 }) }),
      fc.record({ kind: fc.constant('free' as const), pick: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.array(op, { maxLength: 300, size: 'max' }), (budget, ops) => {
        const src = new Budget(budget);
        const z = new ZsmallocPool(src);
        const live = new Map<number, number>();
        for (const o of ops) {
          if (o.kind === 'alloc') {
            const h = z.malloc(o.size);
            if (h > 0) live.set(h, o.size);
            else expect(h).toBe(o.size > 4096 ? EINVAL : ENOMEM);
          } else if (live.size > 0) {
            const keys = [...live.keys()];
            const h = keys[o.pick % keys.length]!;
            z.free(h);
            live.delete(h);
          }
          expect(z.totalPages()).toBe(src.held);
          expect(src.held).toBeLessThanOrEqual(budget);
          expect(z.objects()).toBe(live.size);
        }
        // the packed bound: Σ_class ceil(n / objs) · k
        const perClass = new Map<number, number>();
        for (const size of live.values()) {
          const c = zsClassFor(size)!;
          perClass.set(c.index, (perClass.get(c.index) ?? 0) + 1);
        }
        let bound = 0;
        for (const [idx, n] of perClass) {
          const c = zsSizeClasses()[idx]!;
          bound += Math.ceil(n / c.objsPerZspage) * c.pagesPerZspage;
        }
        expect(z.totalPages()).toBeGreaterThanOrEqual(bound);
        z.compact();
        expect(z.totalPages()).toBe(bound);
        for (const h of live.keys()) z.free(h);
        expect(src.held).toBe(0);
      }),
      { numRuns: 200 },
    );
  });
});
