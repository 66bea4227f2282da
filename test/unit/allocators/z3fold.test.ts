import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Z3FOLD_MAX_BUDDY_SIZE,
  Z3FOLD_MAX_SIZE,
  Z3FOLD_NCHUNKS,
  Z3foldPool,
  Z3FOLD_61_MAX_BUDDY_SIZE,
  Z3FOLD_61_NCHUNKS,
  Z3FOLD_61_ZHDR_SIZE_ALIGNED,
  z3foldFactory,
  z3foldFactoryFor,
} from '../../../src/allocators/z3fold.js';
import { EAGAIN, EEXIST, EINVAL, ENOMEM, ENOSPC, type PageSource } from '../../../src/allocators/zpool.js';

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

const ch = (c: number): number => c * 64;

describe('z3fold density', () => {
  it('has 63 usable chunks, headless pages above 3968 bytes and ENOSPC above 4096', () => {
    expect(Z3FOLD_NCHUNKS).toBe(63);
    expect(Z3FOLD_MAX_BUDDY_SIZE).toBe(3968);
    expect(Z3FOLD_MAX_SIZE).toBe(4096);
    const src = new Budget();
    const z = new Z3foldPool(src);
    expect(z.malloc(0)).toBe(EINVAL);
    expect(z.malloc(4097)).toBe(ENOSPC);
    expect(z.malloc(3969)).toBeGreaterThan(0);
    expect(z.malloc(4096)).toBeGreaterThan(0);
    expect(z.totalPages()).toBe(2);
    expect(z.stats()['headless_pages']).toBe(2);
    // a headless page takes nothing else
    expect(z.malloc(64)).toBeGreaterThan(0);
    expect(z.totalPages()).toBe(3);
    expect(src.held).toBe(3);
  });

  it('puts three objects in a page when their chunks sum to at most 63', () => {
    const z = new Z3foldPool(new Budget());
    z.malloc(ch(21));
    z.malloc(ch(21));
    z.malloc(ch(21));
    expect(z.totalPages()).toBe(1);
    z.malloc(ch(1)); // first, middle and last are taken
    expect(z.totalPages()).toBe(2);
  });

  it('needs a second page when the sum would be 64', () => {
    const z = new Z3foldPool(new Budget());
    z.malloc(ch(30));
    z.malloc(ch(30));
    z.malloc(ch(4)); // 30 + 30 + 4 = 64
    expect(z.totalPages()).toBe(2);
    z.malloc(ch(3)); // 30 + 30 + 3 = 63 fits the first page's middle
    expect(z.totalPages()).toBe(2);
  });

  it('moves a lone middle object to the front on free (in-page compaction)', () => {
    const z = new Z3foldPool(new Budget());
    const f = z.malloc(ch(10)); // first
    const l = z.malloc(ch(10)); // last
    const m = z.malloc(ch(10)); // middle at chunk 11
    expect(z.totalPages()).toBe(1);
    z.free(f);
    z.free(l);
    // without compaction the largest gap would be 64 - 21 = 43 chunks
    expect(z.malloc(ch(53))).toBeGreaterThan(0);
    expect(z.totalPages()).toBe(1);
    z.free(m); // the handle followed the object to the first slot
    expect(z.objects()).toBe(1);
    expect(z.totalPages()).toBe(1);
  });

  it('fails with ENOMEM past the PageSource budget', () => {
    const z = new Z3foldPool(new Budget(1));
    expect(z.malloc(ch(40))).toBeGreaterThan(0);
    expect(z.malloc(ch(40))).toBe(ENOMEM);
    expect(z.malloc(ch(23))).toBeGreaterThan(0);
  });
});

describe('z3fold reclaim (z3fold_reclaim_page)', () => {
  it('evicts middle, first, last of the LRU-tail page', () => {
    const src = new Budget();
    const z = new Z3foldPool(src);
    const f = z.malloc(ch(10));
    const l = z.malloc(ch(10));
    const m = z.malloc(ch(10));
    const h2 = z.malloc(ch(50)); // a second page, now MRU
    const order: number[] = [];
    expect(
      z.shrink(1, (h) => {
        order.push(h);
        z.free(h);
        return 0;
      }),
    ).toBe(0);
    expect(order).toEqual([m, f, l]);
    expect(z.totalPages()).toBe(1);
    expect(src.held).toBe(1);
    void h2;
  });

  it('frees a headless page once its object is evicted', () => {
    const src = new Budget();
    const z = new Z3foldPool(src);
    const h = z.malloc(4000);
    expect(z.shrink(1, (x) => (z.free(x), 0))).toBe(0);
    expect(src.held).toBe(0);
    expect(z.objects()).toBe(0);
    void h;
  });

  it('returns EAGAIN and keeps the page when an object cannot be evicted', () => {
    const src = new Budget();
    const z = new Z3foldPool(src);
    z.malloc(ch(10));
    z.malloc(ch(10));
    expect(z.shrink(1, () => EEXIST)).toBe(EAGAIN);
    expect(z.objects()).toBe(2);
    expect(src.held).toBe(1);
    expect(new Z3foldPool(new Budget()).shrink(1, () => 0)).toBe(EINVAL);
    expect(z3foldFactory.create(new Budget()).name).toBe('z3fold');
  });
});

describe('z3fold 6.1 (mm/z3fold.c of 6.1)', () => {
  it('has a two-chunk header: 62 usable chunks, headless pages above 3904 bytes', () => {
    // sizeof(struct z3fold_header) = 88 on x86-64, round_up(88, 64) = 128
    expect(Z3FOLD_61_ZHDR_SIZE_ALIGNED).toBe(128);
    expect(Z3FOLD_61_NCHUNKS).toBe(62);
    expect(Z3FOLD_61_MAX_BUDDY_SIZE).toBe(4096 - 128 - 64);
    const z = new Z3foldPool(new Budget(), '6.1');
    z.malloc(3904);
    expect(z.stats()['headless_pages']).toBe(0);
    z.malloc(3905);
    expect(z.stats()['headless_pages']).toBe(1);
    expect(z3foldFactoryFor('6.1').create(new Budget()).name).toBe('z3fold');
  });

  it('fits three objects when their chunks sum to 62, not 63 (first, last, then middle at first + 2)', () => {
    const src = new Budget();
    const z = new Z3foldPool(src, '6.1');
    z.malloc(ch(20));
    z.malloc(ch(20));
    z.malloc(ch(22));
    expect(z.totalPages()).toBe(1);
    const y = new Z3foldPool(new Budget(), '6.1');
    y.malloc(ch(20));
    y.malloc(ch(20));
    y.malloc(ch(23));
    expect(y.totalPages()).toBe(2);
  });

  it('compaction moves the middle object next to LAST, and get_free_buddy then fills the space before it as FIRST', () => {
    const z = new Z3foldPool(new Budget(), '6.1');
    const f = z.malloc(ch(10)); // FIRST 10
    z.malloc(ch(10)); // LAST 10
    z.malloc(ch(10)); // MIDDLE at first + 2 = 12
    z.free(f); // 64 - (10 + 12 + 10) = 32 >= 3: the middle object moves to 64 - 10 - 10 = 44
    expect(z.stats()['compactions']).toBe(1);
    // free before it: 44 - 2 = 42 chunks; 42 <= start_middle - ZHDR_CHUNKS → FIRST
    z.malloc(ch(42));
    expect(z.totalPages()).toBe(1);
    z.malloc(ch(1));
    expect(z.totalPages()).toBe(2); // the page is full
  });

  it('a middle object with first and no last: LAST takes the space after it', () => {
    const z = new Z3foldPool(new Budget(), '6.1');
    z.malloc(ch(10)); // FIRST 10
    const l = z.malloc(ch(10)); // LAST 10
    z.malloc(ch(10)); // MIDDLE at 12
    z.free(l); // 12 - (10 + 2) = 0 < 3: nothing moves; free after the middle object: 64 - 22 = 42
    expect(z.stats()['compactions']).toBe(0);
    z.malloc(ch(42));
    expect(z.totalPages()).toBe(1);
  });

  it('a page left with one object moves it into another listed page with room, and is freed (compact_single_buddy)', () => {
    const src = new Budget();
    const z = new Z3foldPool(src, '6.1');
    const a = z.malloc(ch(30)); // page A: FIRST 30
    const b = z.malloc(ch(30)); // page A: LAST 30, 2 chunks free
    const c = z.malloc(ch(10)); // page B: FIRST 10
    expect(z.totalPages()).toBe(2);
    z.free(b); // A holds only a: it moves into B (LAST), A is freed
    expect(z.totalPages()).toBe(1);
    expect(src.held).toBe(1);
    expect(z.stats()['single_buddy_moves']).toBe(1);
    // reclaim skips a page holding another page's object (foreign_handles)
    let evicted = 0;
    expect(z.shrink(1, (h) => (evicted++, z.free(h), 0))).toBe(EAGAIN);
    expect(evicted).toBe(0);
    z.free(a); // the foreign object leaves: B is ordinary again
    expect(z.shrink(1, (h) => (evicted++, z.free(h), 0))).toBe(0);
    expect(evicted).toBe(1);
    expect(src.held).toBe(0);
    void c;
  });

  it('4.11 keeps the page instead (no single-buddy compaction)', () => {
    const src = new Budget();
    const z = new Z3foldPool(src);
    z.malloc(ch(30));
    const b = z.malloc(ch(30));
    z.malloc(ch(10));
    z.free(b);
    expect(z.totalPages()).toBe(2);
  });
});

describe('z3fold properties', () => {
  it.each(['4.11', '6.1'] as const)('never beats 3:1, never exceeds the budget, and frees everything (%s)', (era) => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('alloc' as const), size: fc.integer({ min: 1, max: 4200 }) }),
      fc.record({ kind: fc.constant('small' as const), size: fc.integer({ min: 1, max: 1400 }) }),
      fc.record({ kind: fc.constant('free' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('shrink' as const), refuse: fc.boolean() }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.array(op, { maxLength: 300, size: 'max' }), (budget, ops) => {
        const src = new Budget(budget);
        const z = new Z3foldPool(src, era);
        const live: number[] = [];
        for (const o of ops) {
          if (o.kind === 'alloc' || o.kind === 'small') {
            const h = z.malloc(o.size);
            if (h > 0) live.push(h);
            else if (o.size > 4096) expect(h).toBe(ENOSPC);
            else expect(h).toBe(ENOMEM);
          } else if (o.kind === 'free') {
            if (live.length === 0) continue;
            const i = o.pick % live.length;
            z.free(live[i]!);
            live.splice(i, 1);
          } else {
            z.shrink(1, (h) => {
              if (o.refuse && h % 3 === 0) return EEXIST;
              z.free(h);
              live.splice(live.indexOf(h), 1);
              return 0;
            });
          }
          expect(z.objects()).toBe(live.length);
          expect(z.objects()).toBeLessThanOrEqual(3 * z.totalPages());
          expect(z.totalPages()).toBe(src.held);
          expect(src.held).toBeLessThanOrEqual(budget);
        }
        for (const h of live) z.free(h);
        expect(z.totalPages()).toBe(0);
        expect(src.held).toBe(0);
      }),
      { numRuns: 200 },
    );
  });
});
