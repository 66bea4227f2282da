import { describe, expect, it } from 'vitest';
import { Frontswap, LoadResult } from '../../../src/frontends/frontswap.js';
import { newPage, newPageOut } from '../../../src/content/page.js';
import { RefBackend } from '../../helpers/ref-backend.js';

const page = (tag: number) => ({ ...newPage(), tag });

describe('frontswap', () => {
  it('with no backend, store and load fail and no counter moves', () => {
    const f = new Frontswap();
    f.init(0, 64);
    expect(f.store(0, 1, page(1))).toBe(false);
    expect(f.load(0, 1, newPageOut())).toBe(LoadResult.Miss);
    expect(f.counters).toEqual({ loads: 0, succ_stores: 0, failed_stores: 0, invalidates: 0 });
  });

  it('replays the init of every swap area switched on before the backend registered (need_init)', () => {
    const f = new Frontswap();
    f.init(0, 64);
    f.init(3, 64);
    const b = new RefBackend();
    f.register(b);
    expect(b.calls).toEqual(['init 0', 'init 3']);
    f.init(5, 8);
    expect(b.calls).toEqual(['init 0', 'init 3', 'init 5']);
  });

  it('a load without the bit set does not call the backend', () => {
    const f = new Frontswap();
    f.init(0, 64);
    const b = new RefBackend();
    f.register(b);
    b.swap.set('0:7', 99); // a copy the frontend does not know about
    expect(f.load(0, 7, newPageOut())).toBe(LoadResult.Miss);
    expect(f.counters.loads).toBe(0);
  });

  it('counts a duplicate store once in frontswap_pages, and a failed duplicate clears the bit and invalidates', () => {
    const f = new Frontswap();
    f.init(0, 64);
    let reject = false;
    const b = new RefBackend({ reject: () => reject });
    f.register(b);
    expect(f.store(0, 5, page(1))).toBe(true);
    expect(f.store(0, 5, page(2))).toBe(true);
    expect(f.pages(0)).toBe(1);
    expect(f.counters.succ_stores).toBe(2);
    reject = true;
    expect(f.store(0, 5, page(3))).toBe(false);
    expect(f.counters.failed_stores).toBe(1);
    expect(f.test(0, 5)).toBe(false);
    expect(f.pages(0)).toBe(0);
    expect(b.swap.has('0:5')).toBe(false);
  });

  it('4.7+ (6.1): a duplicate is invalidated before the store, so the backend never sees one; a failed store leaves nothing', () => {
    const f = new Frontswap();
    f.init(0, 64);
    let reject = false;
    const b = new RefBackend({ reject: () => reject, dupFirst: true, keepOld: true });
    f.register(b);
    expect(f.store(0, 5, page(1))).toBe(true);
    // keepOld: a backend that saw the duplicate would keep tag 1; the frontend's invalidate removed it first
    expect(f.store(0, 5, page(2))).toBe(true);
    expect(f.pages(0)).toBe(1);
    expect(f.counters).toEqual({ loads: 0, succ_stores: 2, failed_stores: 0, invalidates: 0 }); // no invalidates count
    const out = newPageOut();
    expect(f.load(0, 5, out)).toBe(LoadResult.Hit);
    expect(out.tag).toBe(2);
    reject = true;
    expect(f.store(0, 5, page(3))).toBe(false);
    expect(f.test(0, 5)).toBe(false);
    expect(f.pages(0)).toBe(0);
    expect(b.swap.has('0:5')).toBe(false);
  });

  it('exclusive gets clear the bit after a successful load; non-exclusive keep it', () => {
    for (const exclusive of [true, false]) {
      const f = new Frontswap();
      f.init(0, 64);
      f.register(new RefBackend({ exclusiveGets: exclusive }));
      f.store(0, 9, page(4));
      const out = newPageOut();
      expect(f.load(0, 9, out)).toBe(exclusive ? LoadResult.HitExclusive : LoadResult.Hit);
      expect(out.tag).toBe(4);
      expect(f.counters.loads).toBe(1);
      expect(f.test(0, 9)).toBe(!exclusive);
      expect(f.counters.invalidates).toBe(0);
    }
  });

  it('writethrough returns -1 on a successful store but keeps the bit', () => {
    const f = new Frontswap();
    f.writethrough = true;
    f.init(0, 64);
    f.register(new RefBackend());
    expect(f.store(0, 1, page(1))).toBe(false);
    expect(f.test(0, 1)).toBe(true);
    expect(f.counters.succ_stores).toBe(1);
  });

  it('invalidate_page counts only when the bit is set; invalidate_area counts nothing', () => {
    const f = new Frontswap();
    f.init(0, 64);
    f.register(new RefBackend());
    f.invalidatePage(0, 1);
    expect(f.counters.invalidates).toBe(0);
    f.store(0, 1, page(1));
    f.store(0, 2, page(2));
    f.invalidatePage(0, 1);
    expect(f.counters.invalidates).toBe(1);
    f.invalidateArea(0);
    expect(f.counters.invalidates).toBe(1);
    expect(f.currPages()).toBe(0);
    expect([...f.setOffsets(0)]).toEqual([]);
  });

  it('lists set offsets in slot order across bitmap words', () => {
    const f = new Frontswap();
    f.init(1, 200);
    f.register(new RefBackend());
    for (const o of [150, 3, 31, 32, 64]) f.store(1, o, page(o));
    expect([...f.setOffsets(1)]).toEqual([3, 31, 32, 64, 150]);
    expect(f.currPages()).toBe(5);
  });
});
