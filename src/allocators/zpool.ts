/**
 * The zpool interface (TL:mm/zpool.c): what zswap asks of an allocator.
 * One file per allocator, registered in registry.ts. Pool pages come from
 * the host's page allocator (guest RAM), through `PageSource`.
 */

export interface PageSource {
  /** One pageframe, or false when none can be had. */
  allocPage(): boolean;
  freePage(): void;
}

/** zpool_ops->evict: write the object behind `handle` back; 0 on success, negative errno otherwise. */
export type EvictFn = (handle: number) => number;

export const ENOSPC = -28;
export const ENOMEM = -12;
export const EINVAL = -22;
export const EEXIST = -17;
export const EAGAIN = -11;

export interface Zpool {
  readonly name: string;
  /**
   * zpool_malloc: a handle > 0 for an object of `size` bytes, or a negative
   * errno: ENOSPC when the size can never fit (zbud, z3fold; zsmalloc says
   * EINVAL for an object over a page), ENOMEM when no page can be had.
   */
  malloc(size: number): number;
  free(handle: number): void;
  /**
   * zpool_shrink: reclaim `pages` pages from the LRU tail by evicting their
   * objects through `evict` (4.x zbud/z3fold). Returns 0 or a negative errno
   * (zsmalloc: EINVAL, it cannot evict).
   */
  shrink(pages: number, evict: EvictFn): number;
  /** Whether shrink can work (zpool_evictable). */
  readonly evictable: boolean;
  /** Pages the pool holds (zpool_get_total_size / PAGE_SIZE). */
  totalPages(): number;
  /** Objects held. */
  objects(): number;
  /** zs_shrinker_count (zsmalloc only): pages compaction could free. */
  compactable?(): number;
  /** zs_compact (zsmalloc only): compact every class; returns the pages freed. */
  compact?(): number;
  /** Bytes compaction has copied so far (for the cost meter). */
  readonly migratedBytes?: number;
  /**
   * Pages of the allocator's own kmem caches, charged to RAM as slab
   * (zsmalloc: its zs_handle and zspage caches); absent when it has none.
   */
  slabPages?(): number;
  /** Allocator counters under their debugfs names, if any. */
  stats(): Record<string, number>;
}

export interface ZpoolFactory {
  readonly name: string;
  readonly description: string;
  /** zpool_malloc_support_movable: its pages are allocated __GFP_MOVABLE (zsmalloc). */
  readonly movable?: boolean;
  create(pages: PageSource): Zpool;
}
