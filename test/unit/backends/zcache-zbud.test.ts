import { describe, expect, it } from 'vitest';
import {
  TMEM_HANDLE_SIZE,
  ZBUD_MAX_BUDDY_SIZE,
  ZBUD_MAX_SIZE,
  ZBUD_NCHUNKS,
  Zbud,
  ZcacheZbud,
  zbudSizeToChunks,
  type ZbudEvictHost,
} from '../../../src/backends/zcache/zbud.js';

/** A host that records evict flushes and frees the buds like zcache would. */
class Host implements ZbudEvictHost {
  flushed: Zbud[] = [];
  zb!: ZcacheZbud;
  zbudEvictFlush(z: Zbud): void {
    this.flushed.push(z);
    // zcache_pampd_free → zbud_free_and_delist on a dying page: ignored
    expect(this.zb.freeAndDelist(z, true)).toBe(false);
    expect(this.zb.lastZpages).toBe(0);
  }
}

let nextOid = 1;
function bud(clen: number): Zbud {
  return new Zbud(0xffff, 0, nextOid++, 0, null, clen, nextOid);
}

function setup(): { zb: ZcacheZbud; host: Host } {
  const host = new Host();
  const zb = new ZcacheZbud(host);
  host.zb = zb;
  return { zb, host };
}

/** Store like zcache: match first, else a new pageframe. Returns whether a new page was used. */
function store(zb: ZcacheZbud, z: Zbud, eph = true): boolean {
  if (zb.matchPrep(z, eph)) {
    zb.createFinish(z);
    return false;
  }
  expect(zb.createPrep(z, eph)).toBe(true);
  zb.createFinish(z);
  return true;
}

describe('zcache2 zbud geometry', () => {
  it('uses 64-byte chunks, 64 per page, each zbud carrying a 32-byte tmem handle', () => {
    expect(ZBUD_NCHUNKS).toBe(64);
    expect(TMEM_HANDLE_SIZE).toBe(32);
    expect(ZBUD_MAX_SIZE).toBe(4032);
    expect(ZBUD_MAX_BUDDY_SIZE).toBe(4000);
    expect(zbudSizeToChunks(64)).toBe(1);
    expect(zbudSizeToChunks(1 + TMEM_HANDLE_SIZE)).toBe(1);
    expect(zbudSizeToChunks(32 + TMEM_HANDLE_SIZE)).toBe(1);
    expect(zbudSizeToChunks(33 + TMEM_HANDLE_SIZE)).toBe(2);
    expect(zbudSizeToChunks(2016 + TMEM_HANDLE_SIZE)).toBe(32); // 2048 bytes with the handle
    expect(zbudSizeToChunks(2017 + TMEM_HANDLE_SIZE)).toBe(33);
    expect(zbudSizeToChunks(4000 + TMEM_HANDLE_SIZE)).toBe(63);
  });

  it('refuses to create a zbud larger than zbud_max_buddy_size', () => {
    const { zb } = setup();
    expect(zb.createPrep(bud(4001), true)).toBe(false);
    expect(zb.createPrep(bud(4000), true)).toBe(true);
  });
});

describe('zcache2 zbud pairing', () => {
  it('pairs two zbuds iff their chunks sum to at most 64', () => {
    const { zb } = setup();
    // 32 + 32 chunks = 64: pairs
    expect(store(zb, bud(2016))).toBe(true);
    expect(store(zb, bud(2016))).toBe(false);
    expect(zb.stats.eph_pageframes).toBe(1);
    expect(zb.stats.eph_buddied_count).toBe(1);
    // 32 + 33 = 65: does not
    expect(store(zb, bud(2016))).toBe(true);
    expect(store(zb, bud(2017))).toBe(true);
    expect(zb.stats.eph_pageframes).toBe(3);
    expect(zb.stats.eph_unbuddied_count).toBe(2);
    expect(zb.stats.eph_zpages).toBe(4);
    expect(zb.stats.eph_zbytes).toBe(3 * (2016 + 32) + 2017 + 32);
    expect(zb.stats.eph_cumul_zbytes).toBe(zb.stats.eph_zbytes);
  });

  it('matches into the fullest page that fits, oldest first on a list', () => {
    const { zb } = setup();
    const a = bud(34 * 64 - 32); // 34 chunks
    const b = bud(40 * 64 - 32); // 40 chunks: 34 + 40 > 64, a page of its own
    const c = bud(40 * 64 - 32); // 40 chunks, newer
    expect(store(zb, a)).toBe(true);
    expect(store(zb, b)).toBe(true);
    expect(store(zb, c)).toBe(true);
    const d = bud(20 * 64 - 32); // fits all three; the fullest are 40 chunks, the oldest of them b
    expect(store(zb, d)).toBe(false);
    expect(d.page).toBe(b.page);
    expect(d.budnum).toBe(1);
    const e = bud(28 * 64 - 32); // 28 chunks: only a's page fits (34 + 28 = 62)
    expect(store(zb, e)).toBe(false);
    expect(e.page).toBe(a.page);
    const f = bud(30 * 64 - 32); // c has 40 used: 40 + 30 > 64 → new page
    expect(store(zb, f)).toBe(true);
  });

  it('against a model written here (a scan of the lists from the fullest that fits down), on random stores and frees', () => {
    // The model: each live unbuddied page's used chunks, per list in insertion order; a bud of n
    // chunks goes to the oldest page of the highest list i <= 64 - n that holds one, else a new page.
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed % n;
    };
    for (let round = 0; round < 20; round++) {
      const { zb } = setup();
      const lists: Zbud[][] = Array.from({ length: ZBUD_NCHUNKS }, () => []);
      const live: Zbud[] = [];
      for (let k = 0; k < 400; k++) {
        if (live.length > 0 && rand(3) === 0) {
          const z = live.splice(rand(live.length), 1)[0]!;
          const page = z.page!;
          const other = page.bud0 === z ? page.bud1 : page.bud0;
          zb.freeAndDelist(z, true);
          // Model: a lone bud's page goes; a buddied page's survivor joins the tail of its list.
          if (other === null) {
            const list = lists[zbudSizeToChunks(z.clen + TMEM_HANDLE_SIZE)]!;
            list.splice(list.indexOf(z), 1);
          } else lists[zbudSizeToChunks(other.clen + TMEM_HANDLE_SIZE)]!.push(other);
          continue;
        }
        // Sizes across the bitmap's word boundary (chunks 31-33) and both ends.
        const chunks = [1, 2, 31, 32, 33, 40, 62, 63][rand(8)]!;
        const z = bud(chunks * 64 - TMEM_HANDLE_SIZE);
        let want: Zbud | null = null;
        for (let i = ZBUD_NCHUNKS - chunks; i > 0 && want === null; i--) if (lists[i]!.length > 0) want = lists[i]!.shift()!;
        const fresh = store(zb, z);
        expect(fresh).toBe(want === null);
        if (want !== null) expect(z.page).toBe(want.page);
        else lists[chunks]!.push(z);
        live.push(z);
        if (k % 25 === 0) for (let i = 1; i < ZBUD_NCHUNKS; i++) expect(zb.unbuddiedPages(true, i)).toEqual(lists[i]!.map((b) => b.page));
      }
      for (let i = 1; i < ZBUD_NCHUNKS; i++) expect(zb.unbuddiedPages(true, i)).toEqual(lists[i]!.map((b) => b.page));
    }
  });

  it('persistent and ephemeral zbuds never share pages or lists', () => {
    const { zb } = setup();
    store(zb, bud(500), true);
    expect(store(zb, bud(500), false)).toBe(true);
    expect(zb.stats.eph_pageframes).toBe(1);
    expect(zb.stats.pers_pageframes).toBe(1);
    expect(zb.stats.pers_unbuddied_count).toBe(1);
  });
});

describe('zcache2 zbud LRU and eviction', () => {
  it('a new page and a match move the page to MRU; a free does not move it', () => {
    const { zb } = setup();
    const a = bud(1000);
    const big1 = bud(3500);
    const big2 = bud(3500);
    store(zb, a); // page A (16 chunks)
    store(zb, big1); // page B (56 chunks): does not fit with A (72)
    store(zb, big2); // page C
    expect(zb.lruPages(true)).toEqual([a.page, big1.page, big2.page]);
    const small = bud(200); // 4 chunks: fullest page that fits is B or C (56), oldest B
    store(zb, small);
    expect(small.page).toBe(big1.page);
    expect(zb.lruPages(true)).toEqual([a.page, big2.page, big1.page]);
    // freeing one bud of the buddied page B leaves B where it is
    expect(zb.freeAndDelist(small, true)).toBe(false);
    expect(zb.lruPages(true)).toEqual([a.page, big2.page, big1.page]);
    expect(zb.lastZsize).toBe(200);
    expect(zb.lastZpages).toBe(1);
    // the survivor goes to the tail of unbuddied[56]
    expect(zb.unbuddiedPages(true, 56)).toEqual([big2.page, big1.page]);
    // freeing a lone bud returns the pageframe
    expect(zb.freeAndDelist(a, true)).toBe(true);
    expect(zb.lruPages(true)).toEqual([big2.page, big1.page]);
    expect(zb.stats.eph_pageframes).toBe(2);
  });

  it('evicts the LRU ephemeral pageframe, flushing both buds through the host', () => {
    const { zb, host } = setup();
    const a = bud(1000);
    const b = bud(1000);
    const c = bud(3900);
    store(zb, a);
    store(zb, b); // buddies with a
    store(zb, c);
    expect(zb.stats.eph_buddied_count).toBe(1);
    // a's page is older than c's (the match promoted it while it was the only page)
    expect(zb.lruPages(true)).toEqual([a.page, c.page]);
    expect(zb.evictPageframeLru()).toBe(true);
    expect(host.flushed).toEqual([a, b]);
    expect(zb.lastZsize).toBe(2000);
    expect(zb.lastZpages).toBe(2);
    expect(zb.evictPageframeLru()).toBe(true);
    expect(host.flushed).toEqual([a, b, c]);
    expect(zb.lastZsize).toBe(3900);
    expect(zb.lastZpages).toBe(1);
    expect(zb.evictPageframeLru()).toBe(false);
    expect(zb.stats).toMatchObject({
      eph_pageframes: 0,
      eph_zpages: 0,
      eph_zbytes: 0,
      eph_evicted_pageframes: 2,
      eph_buddied_count: 0,
      eph_unbuddied_count: 0,
      eph_cumul_zpages: 3,
    });
  });

  it('never evicts persistent pageframes', () => {
    const { zb } = setup();
    store(zb, bud(1000), false);
    expect(zb.evictPageframeLru()).toBe(false);
    expect(zb.stats.pers_pageframes).toBe(1);
  });

  it('skips a page with an add in progress (unevictable)', () => {
    const { zb, host } = setup();
    const a = bud(3000);
    expect(zb.createPrep(a, true)).toBe(true); // not finished
    const b = bud(3000);
    store(zb, b);
    expect(zb.evictPageframeLru()).toBe(true);
    expect(host.flushed).toEqual([b]);
    zb.createFinish(a);
    expect(zb.evictPageframeLru()).toBe(true);
  });
});
