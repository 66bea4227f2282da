/**
 * File readahead (6.1 mm/readahead.c: ondemand_readahead, get_init_ra_size,
 * get_next_ra_size, try_context_readahead, do_page_cache_ra), against windows
 * computed by hand from the kernel's rules, and through the memory model:
 * device requests per window, the end of the file, the PG_readahead mark,
 * and the state dropped with the filesystem.
 */

import { describe, expect, it } from 'vitest';
import { initRaSize, newFileRaState, nextRaSize, ondemandReadahead, type RaCache } from '../../../src/mm/file-readahead.js';
import { testMachine } from '../../helpers/machine.js';

const MAX = 32; // read_ahead_kb 128
const none: RaCache = { cached: () => false };
const cachedSet = (pages: Iterable<number>): RaCache => {
  const s = new Set(pages);
  return { cached: (i) => s.has(i) };
};
const range = (a: number, b: number): number[] => Array.from({ length: b - a }, (_, i) => a + i);

describe('window sizes', () => {
  it('get_init_ra_size: 1-2 pages → 16 KiB, 3-4 → 32 KiB, 5-8 → 64 KiB, more → 128 KiB (max 32)', () => {
    expect([1, 2, 3, 4, 5, 8, 9, 32, 100].map((n) => initRaSize(n, MAX))).toEqual([4, 4, 8, 8, 16, 16, 32, 32, 32]);
  });
  it('get_next_ra_size: x4 below max/16, x2 up to max/2, then max', () => {
    expect([1, 2, 4, 8, 16, 17, 32].map((n) => nextRaSize(n, MAX))).toEqual([4, 4, 8, 16, 32, 32, 32]);
  });
});

describe('ondemand_readahead', () => {
  it('a read from page 0 on ramps the window up 4, 8, 16, 32 with one window of lookahead', () => {
    const ra = newFileRaState();
    // Miss at 0: initial window of 4, async_size 3: mark on page 1.
    expect(ondemandReadahead(ra, none, 0, 1, false, MAX)).toEqual({ start: 0, nr: 4, lookahead: 3 });
    // The mark at 1 (= start + size - async_size): the next window after this one.
    expect(ondemandReadahead(ra, none, 1, 1, true, MAX)).toEqual({ start: 4, nr: 8, lookahead: 8 });
    expect(ondemandReadahead(ra, none, 4, 1, true, MAX)).toEqual({ start: 12, nr: 16, lookahead: 16 });
    expect(ondemandReadahead(ra, none, 12, 1, true, MAX)).toEqual({ start: 28, nr: 32, lookahead: 32 });
    expect(ondemandReadahead(ra, none, 28, 1, true, MAX)).toEqual({ start: 60, nr: 32, lookahead: 32 });
  });

  it('a small random read is read as it is and leaves the state alone', () => {
    const ra = { start: 60, size: 32, asyncSize: 32, prevIndex: 70 };
    expect(ondemandReadahead(ra, none, 1000, 1, false, MAX)).toEqual({ start: 1000, nr: 1, lookahead: 0 });
    expect(ra).toEqual({ start: 60, size: 32, asyncSize: 32, prevIndex: 70 });
  });

  it('a miss right after the last read is a sequential miss: an initial window there', () => {
    const ra = { start: 0, size: 0, asyncSize: 0, prevIndex: 500 };
    expect(ondemandReadahead(ra, none, 501, 1, false, MAX)).toEqual({ start: 501, nr: 4, lookahead: 3 });
    const again = { start: 0, size: 0, asyncSize: 0, prevIndex: 500 };
    expect(ondemandReadahead(again, none, 500, 1, false, MAX)).toEqual({ start: 500, nr: 4, lookahead: 3 });
    // Two pages on, or backwards: not sequential (and nothing cached before it).
    expect(ondemandReadahead({ ...again, prevIndex: 500 }, none, 502, 1, false, MAX)).toEqual({ start: 502, nr: 1, lookahead: 0 });
    expect(ondemandReadahead({ ...again, prevIndex: 500 }, none, 499, 1, false, MAX)).toEqual({ start: 499, nr: 1, lookahead: 0 });
  });

  it('try_context_readahead: cached pages just before the miss make a window of their count + 1, async 1', () => {
    // 10 pages cached before 200: size min(10 + 1, 32) = 11.
    const ra = newFileRaState();
    expect(ondemandReadahead(ra, cachedSet(range(190, 200)), 200, 1, false, MAX)).toEqual({ start: 200, nr: 11, lookahead: 1 });
    // A history reaching page 0 counts double: pages 0..9 before 10 → min(20 + 1, 32).
    expect(ondemandReadahead(newFileRaState(), cachedSet(range(1, 10).concat(0)), 10, 1, false, MAX)).toEqual({ start: 10, nr: 21, lookahead: 1 });
    // One page of history is not enough (size <= req_size): a random read.
    expect(ondemandReadahead(newFileRaState(), cachedSet([199]), 200, 1, false, MAX)).toEqual({ start: 200, nr: 1, lookahead: 0 });
  });

  it('a marked page without matching state: the next window starts at the first hole after it', () => {
    // Pages 51..59 cached: start 60, size = 60 - 50 + 1 = 11 → next 22 (6.1 adds req_size; 3.x does not: 10 → 20).
    const cache = cachedSet(range(51, 60));
    expect(ondemandReadahead(newFileRaState(), cache, 50, 1, true, MAX)).toEqual({ start: 60, nr: 22, lookahead: 22 });
    expect(ondemandReadahead(newFileRaState(), cache, 50, 1, true, MAX, '3.x')).toEqual({ start: 60, nr: 20, lookahead: 20 });
    // No hole within max pages: nothing.
    expect(ondemandReadahead(newFileRaState(), cachedSet(range(51, 200)), 50, 1, true, MAX)).toBeNull();
  });

  it('readit: a window that would hit its own mark at once takes the next window too', () => {
    // An oversize read at 0: size = max = 32 = async_size → size stays max, async max/2.
    expect(ondemandReadahead(newFileRaState(), none, 0, 40, false, MAX)).toEqual({ start: 0, nr: 32, lookahead: 16 });
    // A 2-page read at 0 with max 8: init 4 (2 <= 8/4), async 2; index == start but size != async: as is.
    expect(ondemandReadahead(newFileRaState(), none, 0, 2, false, 8)).toEqual({ start: 0, nr: 4, lookahead: 2 });
    // A sequential miss of 8 pages with max 8: init = max = 8 = async → merged: 8 + 8 > 8 → size 8, async 4.
    expect(ondemandReadahead({ start: 0, size: 0, asyncSize: 0, prevIndex: 99 }, none, 100, 8, false, 8)).toEqual({ start: 100, nr: 8, lookahead: 4 });
  });
});

describe('file readahead in the memory model', () => {
  /** A machine with one file of `pages` pages at read_ahead_kb 128, and its fs read counters. */
  function setup(pages: number) {
    const m = testMachine({ ramPages: 8192 });
    m.mount(1);
    m.memory.setFileReadahead(128, [{ fs: 1, inode: 7, pages }]);
    const t = m.meter.totals;
    return { m, reads: () => ({ pages: t.fsReads, ops: t.fsReadOps }) };
  }

  it('reads a file front to back in windows of 4, 8, 16, 32, ..., one request each, none past its end', () => {
    const { m, reads } = setup(100);
    for (let i = 0; i < 100; i++) m.memory.fileAccess(1, 7, i, false, 0);
    // [0,4) [4,12) [12,28) [28,60) [60,92) [92,100): 6 requests, 100 pages.
    expect(reads()).toEqual({ pages: 100, ops: 6 });
    expect(m.stats.pgcache_misses).toBe(1);
    expect(m.stats.pgcache_hits).toBe(99);
    expect(m.stats.file_ra).toBe(99);
  });

  it('a file of unknown size, or read_ahead_kb 0, is read page by page', () => {
    const { m, reads } = setup(100);
    for (let i = 0; i < 50; i++) m.memory.fileAccess(1, 8, i, false, 0); // inode 8 has no size
    expect(reads()).toEqual({ pages: 50, ops: 50 });
    const off = testMachine({ ramPages: 8192 });
    off.mount(1);
    off.memory.setFileReadahead(0, [{ fs: 1, inode: 7, pages: 100 }]);
    for (let i = 0; i < 50; i++) off.memory.fileAccess(1, 7, i, false, 0);
    expect(off.meter.totals.fsReadOps).toBe(50);
  });

  it('random reads far apart read one page each; the file grows to a page read past its end', () => {
    const { m, reads } = setup(100);
    for (const i of [90, 10, 50, 30]) m.memory.fileAccess(1, 7, i, false, 0);
    expect(reads()).toEqual({ pages: 4, ops: 4 });
    // Page 150 is past the given size: the file is taken to have grown, and the read after it reads ahead.
    m.memory.fileAccess(1, 7, 150, false, 0);
    m.memory.fileAccess(1, 7, 151, false, 0);
    expect(reads()).toEqual({ pages: 5 + 1, ops: 6 }); // 151 is a sequential miss: [151, 155) clipped to the end (151)
  });

  it('the readahead state goes with an umount: the next read of page 1 is a random read again', () => {
    const { m, reads } = setup(1000);
    m.memory.fileAccess(1, 7, 0, false, 0); // [0,4)
    m.umount(1);
    m.mount(1);
    m.memory.fileAccess(1, 7, 1, false, 0); // prev_pos is gone: a standalone read of page 1
    expect(reads()).toEqual({ pages: 5, ops: 2 });
  });
});
