import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ZBUD_MAX_SIZE, ZBUD_NCHUNKS, ZbudPool, zbudChunks, zbudFactory } from '../../../src/allocators/zbud.js';
import { EAGAIN, EEXIST, EINVAL, ENOMEM, ENOSPC, type PageSource } from '../../../src/allocators/zpool.js';

/** A PageSource with a budget that counts what it hands out. */
class Budget implements PageSource {
  held = 0;
  peak = 0;
  constructor(public left = Infinity) {}
  allocPage(): boolean {
    if (this.left <= 0) return false;
    this.left--;
    this.held++;
    if (this.held > this.peak) this.peak = this.held;
    return true;
  }
  freePage(): void {
    this.left++;
    this.held--;
  }
}

/** Bytes that take exactly `c` chunks. */
const ch = (c: number): number => c * 64;

describe('zbud (mm/zbud.c) density', () => {
  it('has 63 usable chunks of 64 bytes and a 3968-byte maximum', () => {
    expect(ZBUD_NCHUNKS).toBe(63);
    expect(ZBUD_MAX_SIZE).toBe(3968);
    expect(zbudChunks(1)).toBe(1);
    expect(zbudChunks(64)).toBe(1);
    expect(zbudChunks(65)).toBe(2);
    expect(zbudChunks(3968)).toBe(62);
  });

  it('rejects size 0 with EINVAL and sizes above 3968 with ENOSPC', () => {
    const src = new Budget();
    const z = new ZbudPool(src);
    expect(z.malloc(0)).toBe(EINVAL);
    expect(z.malloc(3969)).toBe(ENOSPC);
    expect(z.malloc(4096)).toBe(ENOSPC);
    expect(z.malloc(3968)).toBeGreaterThan(0);
    expect(z.totalPages()).toBe(1);
    expect(src.held).toBe(1);
  });

  it('pairs two objects iff their chunks sum to at most 63', () => {
    const z = new ZbudPool(new Budget());
    z.malloc(ch(31));
    z.malloc(ch(32)); // 31 + 32 = 63: same page
    expect(z.totalPages()).toBe(1);
    z.malloc(ch(32));
    z.malloc(ch(32)); // 32 + 32 = 64: a page each
    expect(z.totalPages()).toBe(3);
    z.malloc(ch(31)); // fits beside one of the lone 32-chunk objects
    expect(z.totalPages()).toBe(3);
    expect(z.objects()).toBe(5);
  });

  it('takes the unbuddied page with the smallest adequate free space', () => {
    const z = new ZbudPool(new Budget());
    z.malloc(ch(60)); // page A: 3 free
    z.malloc(ch(30)); // page B: 33 free
    z.malloc(ch(2)); // best fit: A (3), not B (33)
    z.malloc(ch(33)); // still fits B exactly
    expect(z.totalPages()).toBe(2);
    expect(z.objects()).toBe(4);
  });

  it('gives an emptied page back to the PageSource and fails with ENOMEM past the budget', () => {
    const src = new Budget(2);
    const z = new ZbudPool(src);
    const a = z.malloc(ch(40));
    const b = z.malloc(ch(40));
    expect(z.malloc(ch(40))).toBe(ENOMEM);
    expect(z.malloc(ch(23))).toBeGreaterThan(0); // beside b (the most recently listed page)
    z.free(a); // a's page is empty: back to the source
    expect(src.held).toBe(1);
    z.free(b); // the 23-chunk object keeps b's page
    expect(src.held).toBe(1);
    expect(z.totalPages()).toBe(1);
    expect(z.malloc(ch(41))).toBeGreaterThan(0); // 41 + 23 > 63: a new page
    expect(src.held).toBe(2);
  });
});

describe('zbud reclaim (zbud_reclaim_page, 4.x)', () => {
  it('evicts the LRU-tail page and frees it; unbuddied lists are LIFO', () => {
    const src = new Budget();
    const z = new ZbudPool(src);
    const a1 = z.malloc(ch(40)); // page 1, 23 free
    const b1 = z.malloc(ch(40)); // page 2, 23 free (listed after page 1: head of unbuddied[23])
    const a2 = z.malloc(ch(20)); // the head of unbuddied[23]: page 2, which becomes MRU
    const order: number[] = [];
    const evict = (h: number): number => {
      order.push(h);
      z.free(h);
      return 0;
    };
    expect(z.shrink(1, evict)).toBe(0);
    expect(order).toEqual([a1]);
    expect(z.totalPages()).toBe(1);
    expect(src.held).toBe(1);
    expect(z.shrink(1, evict)).toBe(0);
    expect(order).toEqual([a1, b1, a2]);
    expect(src.held).toBe(0);
  });

  it('moves a page to the MRU end on each allocation into it', () => {
    const z = new ZbudPool(new Budget());
    const a = z.malloc(ch(50)); // page A, free 13
    const b = z.malloc(ch(20)); // page B, free 43 (A too small)
    const c = z.malloc(ch(13)); // best fit: A (13) → A becomes MRU
    const evicted: number[] = [];
    z.shrink(1, (h) => {
      evicted.push(h);
      z.free(h);
      return 0;
    });
    expect(evicted).toEqual([b]); // B is now the LRU tail
    z.shrink(1, (h) => {
      evicted.push(h);
      z.free(h);
      return 0;
    });
    expect(evicted).toEqual([b, a, c]); // FIRST then LAST
    expect(z.totalPages()).toBe(0);
  });

  it('keeps a page whose buddy cannot be evicted and returns EAGAIN after 8 tries', () => {
    const src = new Budget();
    const z = new ZbudPool(src);
    const a = z.malloc(ch(30));
    const b = z.malloc(ch(30));
    let calls = 0;
    const ret = z.shrink(1, (h) => {
      calls++;
      if (h === a) {
        z.free(h);
        return 0;
      }
      return EEXIST;
    });
    expect(ret).toBe(EAGAIN);
    // try 1: a evicted, b refused; tries 2..8: b refused again (the same page: it is the whole LRU)
    expect(calls).toBe(9);
    expect(z.objects()).toBe(1);
    expect(z.totalPages()).toBe(1);
    expect(src.held).toBe(1);
    // the page is listed again: a new object can pair with b
    expect(z.malloc(ch(33))).toBeGreaterThan(0);
    expect(z.totalPages()).toBe(1);
    void b;
  });

  it('returns EINVAL on an empty pool', () => {
    const z = new ZbudPool(new Budget());
    expect(z.shrink(1, () => 0)).toBe(EINVAL);
    expect(z.evictable).toBe(true);
  });

  it('is registered as a factory', () => {
    const z = zbudFactory.create(new Budget());
    expect(z.name).toBe('zbud');
  });
});

describe('zbud properties', () => {
  it('never beats 2:1, never exceeds the PageSource budget, and frees everything', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('alloc' as const), size: fc.integer({ min: 1, max: 4200 }) }),
      fc.record({ kind: fc.constant('free' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('shrink' as const), refuse: fc.boolean() }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.array(op, { maxLength: 300, size: 'max' }), (budget, ops) => {
        const src = new Budget(budget);
        const z = new ZbudPool(src);
        const live: number[] = [];
        for (const o of ops) {
          if (o.kind === 'alloc') {
            const h = z.malloc(o.size);
            if (h > 0) live.push(h);
            else if (o.size > 3968) expect(h).toBe(ENOSPC);
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
          expect(z.objects()).toBeLessThanOrEqual(2 * z.totalPages());
          expect(z.totalPages()).toBe(src.held);
          expect(src.held).toBeLessThanOrEqual(budget);
          if (live.length > 0) expect(z.totalPages()).toBeGreaterThanOrEqual(Math.ceil(live.length / 2));
        }
        for (const h of live) z.free(h);
        expect(z.totalPages()).toBe(0);
        expect(src.held).toBe(0);
      }),
      { numRuns: 200 },
    );
  });
});
