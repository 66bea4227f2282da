/**
 * Swap readahead as Linux 6.1's VMA-based readahead (TL:mm/swap_state.c:
 * swap_vma_readahead, swap_ra_info, __swapin_nr_pages, lookup_swap_cache).
 *
 * Each VMA keeps the address of its last swap fault, the last window and the
 * readahead hits since (pages read ahead that a later fault found in the swap
 * cache). A fault sizes the next window:
 *
 *   pages = hits + 2
 *   no hits: 1 page unless the fault is next to the last one (then 2)
 *   else round pages up to a power of two, at least 4
 *   at most 2^page_cluster (8), at least half the previous window
 *
 * and places it after the fault when the fault follows the last one, before
 * it when it precedes it, else around it ((win-1)/2 pages before), clipped to
 * the PMD (512 pages) around the fault and the VMA. Each page of the window
 * whose PTE holds a swap entry is read into the swap cache, unmapped, marked
 * PG_readahead (all but the faulting page).
 *
 * 6.1 takes that path only while no rotational swap device is on
 * (swap_use_vma_readahead: enable_vma_readahead && !nr_rotate_swap). With
 * one on (an HDD, or a virtio disk, which 6.1 does not mark non-rotational)
 * every swap-in uses swap_cluster_readahead instead: swapin_nr_pages sizes
 * the window by the same rule from one global state (the last fault's slot
 * offset, kept only when there were no hits; readahead hits counted by every
 * swap-cache lookup; the last window), and the window is the
 * 2^n-aligned block of slots around the faulting slot, clipped to the area.
 * Every slot in it whose page is swapped out is read, whoever owns it.
 *
 * A cluster window never takes slot 0, which holds the swap header
 * (`if (!start_offset) start_offset++`).
 *
 * Both start with 4 hits (newSwapClusterRaState, newSwapRaState), as 6.1's
 * `swapin_readahead_hits = ATOMIC_INIT(4)` and GET_SWAP_RA_VAL's `?: 4` for a
 * VMA with no readahead state yet (mm/swap_state.c:59-62 in Debian's
 * 6.1.170): the first swap-in reads a full 2^page_cluster window (hits + 2 = 6,
 * rounded up to 8), and the next faults, with no hits, at least half the last
 * window (4, then 2) before readahead stops.
 *
 * Every fault that finds its page in the swap cache moves the VMA's address to
 * it (swap_cache_get_folio stores SWAP_RA_VAL(addr, win, hits) for any page it
 * finds), and counts a hit only for a page still marked PG_readahead.
 *
 * Deviations: tmemsim has no VMAs; each process is one VMA from page 0 up
 * (so the window is clipped to page 0 and the PMD only).
 */

export const PAGE_CLUSTER = 3;
/** SWAP_RA_HITS_MAX: the hits field is PAGE_SHIFT/2 = 6 bits. */
const SWAP_RA_HITS_MAX = 63;
const PMD_PAGES = 512;
/**
 * The readahead hits before any swap-in: swapin_readahead_hits = ATOMIC_INIT(4), and
 * GET_SWAP_RA_VAL's 4 for a VMA whose swap_readahead_info is still 0 ("Initial readahead
 * hits is 4 to start up with a small window").
 */
const SWAP_RA_INITIAL_HITS = 4;

/** swapin_nr_pages' globals (cluster readahead): prev_offset, swapin_readahead_hits, last_readahead_pages. */
export interface SwapClusterRaState {
  prevOffset: number;
  hits: number;
  lastPages: number;
}

/** The globals at boot: prev_offset and last_readahead_pages 0 (static), the hits 4. */
export function newSwapClusterRaState(): SwapClusterRaState {
  return { prevOffset: 0, hits: SWAP_RA_INITIAL_HITS, lastPages: 0 };
}

/**
 * swap_cluster_readahead's window for a fault at slot `offset` of an area of
 * `slots` slots: [start, end), null when it is the faulting page alone.
 * Updates the global state as swapin_nr_pages does.
 */
export function swapClusterWindow(st: SwapClusterRaState, offset: number, slots: number, pageCluster = PAGE_CLUSTER): { start: number; end: number } | null {
  const maxPages = 2 ** pageCluster;
  if (maxPages <= 1) return null;
  const hits = st.hits;
  st.hits = 0;
  const pages = swapinNrPages(st.prevOffset, offset, hits, maxPages, st.lastPages);
  if (hits === 0) st.prevOffset = offset;
  st.lastPages = pages;
  if (pages <= 1) return null;
  const aligned = offset - (offset % pages);
  // Slot 0 holds the swap header: a window from 0 starts at 1.
  const start = aligned === 0 ? 1 : aligned;
  return { start, end: Math.min(aligned + pages, slots) };
}

/** vma->swap_readahead_info: last fault's page, window and hits. */
export interface SwapRaState {
  vpn: number;
  win: number;
  hits: number;
}

/** A VMA's state before its first swap fault: GET_SWAP_RA_VAL reads 0 as 4 (address 0, window 0, 4 hits). */
export function newSwapRaState(): SwapRaState {
  return { vpn: 0, win: 0, hits: SWAP_RA_INITIAL_HITS };
}

/** __swapin_nr_pages. */
export function swapinNrPages(prevOffset: number, offset: number, hits: number, maxPages: number, prevWin: number): number {
  let pages = hits + 2;
  if (pages === 2) {
    if (offset !== prevOffset + 1 && offset !== prevOffset - 1) pages = 1;
  } else {
    let roundup = 4;
    while (roundup < pages) roundup <<= 1;
    pages = roundup;
  }
  if (pages > maxPages) pages = maxPages;
  const lastRa = Math.floor(prevWin / 2);
  if (pages < lastRa) pages = lastRa;
  return pages;
}

/**
 * swap_ra_info: the window [start, end) for a fault at `vpn`, updating the
 * VMA's state (the fault's page, the new window, hits reset).
 */
export function swapRaWindow(st: SwapRaState, vpn: number, pageCluster = PAGE_CLUSTER): { win: number; start: number; end: number } {
  const maxWin = 1 << Math.min(pageCluster, 5);
  if (maxWin === 1) return { win: 1, start: vpn, end: vpn + 1 };
  const pfn = st.vpn;
  const win = swapinNrPages(pfn, vpn, st.hits, maxWin, st.win);
  st.vpn = vpn;
  st.win = win;
  st.hits = 0;
  if (win === 1) return { win, start: vpn, end: vpn + 1 };
  let lpfn: number;
  let rpfn: number;
  if (vpn === pfn + 1) {
    lpfn = vpn;
    rpfn = vpn + win;
  } else if (pfn === vpn + 1) {
    lpfn = vpn - win + 1;
    rpfn = vpn + 1;
  } else {
    const left = Math.floor((win - 1) / 2);
    lpfn = vpn - left;
    rpfn = vpn + win - left;
  }
  const pmd = vpn - (vpn % PMD_PAGES);
  return { win, start: Math.max(lpfn, 0, pmd), end: Math.min(rpfn, pmd + PMD_PAGES) };
}

/**
 * swap_cache_get_folio (6.1's lookup_swap_cache) found the page of a fault at `vpn` in the swap
 * cache: the VMA's address moves to the fault whether or not the page was read ahead, and a page
 * read ahead (PG_readahead, cleared) is one more hit.
 */
export function swapRaLookup(st: SwapRaState, vpn: number, readahead: boolean): void {
  st.vpn = vpn;
  if (readahead) st.hits = Math.min(st.hits + 1, SWAP_RA_HITS_MAX);
}
