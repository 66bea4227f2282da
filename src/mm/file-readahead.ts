/**
 * File readahead as Linux 6.1's on-demand readahead (TL:mm/readahead.c:
 * page_cache_sync_ra, page_cache_async_ra, ondemand_readahead,
 * get_init_ra_size, get_next_ra_size, try_context_readahead,
 * do_page_cache_ra, page_cache_ra_unbounded; mm/filemap.c: filemap_read,
 * filemap_get_pages).
 *
 * Each open file keeps a file_ra_state: the last window (start, size) and
 * its async_size, the page marked PG_readahead at start + size - async_size,
 * and prev_pos, the position after the previous read. A read that misses
 * (page_cache_sync_ra, req_size pages) and a read that finds the marked page
 * (page_cache_async_ra, which clears the mark) size the next window:
 *
 *   index 0                            → initial window
 *   index = start + size - async_size
 *        or start + size               → sequential: start += size, size = next(size), async_size = size
 *   the marked page, state lost         → start = first uncached page after index (within max),
 *                                          size = next(start - index + req_size), async_size = size
 *   req_size > max                      → initial window
 *   index - prev_index <= 1             → initial window (a sequential miss)
 *   pages cached just before index      → context: size = min(history (x2 from page 0) + req, max), async 1
 *   else                                → just the request, no state kept (a small random read)
 *   initial: start = index, size = get_init_ra_size(req, max), async_size = size - req (or size)
 *   readit: a window starting at index with size = async_size takes its own
 *           next window at once (size += next, capped at max with async max/2)
 *
 * get_init_ra_size rounds the request up to a power of two and multiplies
 * it by 4 up to max/32, by 2 up to max/4, else takes max; get_next_ra_size
 * is 4x below max/16, 2x up to max/2, else max. do_page_cache_ra reads the
 * pages of [start, start + size) up to the end of the file that are not
 * cached, and marks the page at start + size - async_size (if it reads it).
 * max is the device's read_ahead_kb / 4 (ra_pages; 128 KiB: 32 pages).
 *
 * The 3.x ondemand_readahead differs only where a 1-page read cannot tell:
 * the marked-page case does not add req_size, and an oversize read is not
 * extended to the device's io_pages (tmemsim's reads are one page each).
 *
 * Deviations: tmemsim's file events are reads of one page, so req_size is 1
 * (a read() of many pages is a run of events); one open file per inode, its
 * state dropped when its filesystem is unmounted (the kernel's lives in each
 * struct file); no large folios (page_cache_ra_order falls back to
 * do_page_cache_ra as on ext4 and block devices in 6.1); readahead allocations
 * reclaim like any other (readahead_gfp_mask is __GFP_NORETRY, which gives up
 * sooner); mmap read-around (do_sync_mmap_readahead) is not modelled: file
 * pages are never mapped.
 */

/** Linux's default read_ahead_kb (VM_READAHEAD_PAGES, 128 KiB). */
export const DEFAULT_READ_AHEAD_KB = 128;

/** struct file_ra_state, in pages. */
export interface FileRaState {
  start: number;
  size: number;
  asyncSize: number;
  /** prev_pos >> PAGE_SHIFT: the page after the last one read (-1: none yet). */
  prevIndex: number;
}

export function newFileRaState(): FileRaState {
  return { start: 0, size: 0, asyncSize: 0, prevIndex: -1 };
}

/** A window to read: pages [start, start + nr), the page at start + nr - lookahead to be marked PG_readahead (lookahead 0: none). */
export interface RaWindow {
  start: number;
  nr: number;
  lookahead: number;
}

/** Which kernel's ondemand_readahead. */
export type RaEra = '6.1' | '3.x';

function roundupPow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/** get_init_ra_size. */
export function initRaSize(size: number, max: number): number {
  const n = roundupPow2(size);
  if (n <= max / 32) return n * 4;
  if (n <= max / 4) return n * 2;
  return max;
}

/** get_next_ra_size (6.1; 3.x's min(4 or 2 x cur, max) gives the same). */
export function nextRaSize(cur: number, max: number): number {
  if (cur < max / 16) return 4 * cur;
  if (cur <= max / 2) return 2 * cur;
  return max;
}

/** What ondemand_readahead asks of the page cache. */
export interface RaCache {
  /** Whether page `index` of the file is in the page cache. */
  cached(index: number): boolean;
}

/**
 * ondemand_readahead for a read of `reqSize` pages at `index`; `marked`: the
 * read found the PG_readahead page there (page_cache_async_ra). Returns the
 * window to read (null: none), updating `ra`.
 */
export function ondemandReadahead(ra: FileRaState, cache: RaCache, index: number, reqSize: number, marked: boolean, max: number, era: RaEra = '6.1'): RaWindow | null {
  let initial = false;
  if (index === 0) initial = true;
  else if (index === ra.start + ra.size - ra.asyncSize || index === ra.start + ra.size) {
    ra.start += ra.size;
    ra.size = nextRaSize(ra.size, max);
    ra.asyncSize = ra.size;
  } else if (marked) {
    // page_cache_next_miss(index + 1, max): the first hole after index, within max pages.
    let start = index + 1;
    while (start <= index + max && cache.cached(start)) start++;
    if (start - index > max) return null;
    ra.start = start;
    ra.size = start - index + (era === '6.1' ? reqSize : 0);
    ra.size = nextRaSize(ra.size, max);
    ra.asyncSize = ra.size;
  } else if (reqSize > max) initial = true;
  else if (ra.prevIndex >= 0 && index - ra.prevIndex <= 1 && index - ra.prevIndex >= 0) initial = true;
  else if (!contextReadahead(ra, cache, index, reqSize, max)) {
    // A standalone small random read: as is, the state untouched.
    return { start: index, nr: reqSize, lookahead: 0 };
  }
  if (initial) {
    ra.start = index;
    ra.size = initRaSize(reqSize, max);
    ra.asyncSize = ra.size > reqSize ? ra.size - reqSize : ra.size;
  }
  // readit: a window that would hit its own marker at once takes the next one now.
  if (index === ra.start && ra.size === ra.asyncSize) {
    const add = nextRaSize(ra.size, max);
    if (ra.size + add <= max) {
      ra.asyncSize = add;
      ra.size += add;
    } else {
      ra.size = max;
      ra.asyncSize = max >> 1;
    }
  }
  return { start: ra.start, nr: ra.size, lookahead: ra.asyncSize };
}

/** try_context_readahead: a run of cached pages just before index is the trace of a stream. */
function contextReadahead(ra: FileRaState, cache: RaCache, index: number, reqSize: number, max: number): boolean {
  // count_history_pages: page_cache_prev_miss(index - 1, max).
  let head = index - 1;
  while (head >= 0 && head > index - 1 - max && cache.cached(head)) head--;
  let size = index - 1 - head;
  if (size <= reqSize) return false;
  if (size >= index) size *= 2;
  ra.start = index;
  ra.size = Math.min(size + reqSize, max);
  ra.asyncSize = 1;
  return true;
}
