/**
 * The compression service with a result cache: a page whose descriptor was
 * compressed before with the same compressor is not compressed again; the
 * cached Compressed object (immutable, shared by every holder) is returned.
 * Pages with desc -1 (bytes not named by a descriptor) are always compressed.
 *
 * The cache is bounded (maxEntries over all compressors, least recently used
 * evicted first), so memory follows the working set, not the trace length.
 * Descriptors name bytes only within one run (one run seed and corpus): use
 * one service per ContentSource.
 */

import type { Compressed, Compressor } from './compressor.js';
import type { CompressionService } from './service.js';
import { createCompressor } from './registry.js';
import type { Page } from '../content/page.js';
import { LruMap } from '../lru.js';

interface CompressionCacheStats {
  /** Cacheable compressions served from the cache. */
  hits: number;
  /** Cacheable compressions that ran the compressor. */
  misses: number;
  /** Compressions of pages without a descriptor (never cached). */
  uncached: number;
  /** Entries evicted to keep the bound. */
  evictions: number;
  /** Entries held now. */
  entries: number;
}

export class CachingCompressionService implements CompressionService {
  private readonly maxEntries: number;
  private readonly compressors = new Map<string, Compressor>();
  /** One LRU cache (desc -> result) per compressor name. */
  private readonly caches = new Map<string, LruMap<number, Compressed>>();
  /** The compressor of the last call and its cache (backends use one compressor at a time). */
  private lastComp: Compressor | null = null;
  private lastCache: LruMap<number, Compressed> | null = null;
  private entries = 0;
  private hits = 0;
  private misses = 0;
  private uncached = 0;
  private evictions = 0;

  constructor(opts: { maxEntries?: number } = {}) {
    this.maxEntries = Math.max(0, Math.floor(opts.maxEntries ?? 4096));
  }

  get(name: string): Compressor {
    let c = this.compressors.get(name);
    if (c === undefined) {
      c = createCompressor(name);
      this.compressors.set(name, c);
    }
    return c;
  }

  compress(comp: Compressor, page: Page): Compressed {
    const desc = page.desc;
    if (desc < 0 || this.maxEntries === 0) {
      this.uncached++;
      return comp.compress(page.bytes);
    }
    const cache = this.cacheOf(comp);
    const hit = cache.get(desc);
    if (hit !== undefined) {
      this.hits++;
      return hit;
    }
    this.misses++;
    const c = Object.freeze(comp.compress(page.bytes));
    if (this.entries >= this.maxEntries && cache.size > 0) {
      // Full, and this compressor's cache has an oldest entry: the new
      // result takes its place (no entry made and dropped per miss).
      cache.replaceOldest(desc, c);
      this.evictions++;
      return c;
    }
    if (this.entries >= this.maxEntries) this.evict(cache);
    cache.add(desc, c);
    this.entries++;
    return c;
  }

  decompress(comp: Compressor, c: Compressed, dst: Uint8Array): void {
    comp.decompress(c, dst);
  }

  stats(): CompressionCacheStats {
    return { hits: this.hits, misses: this.misses, uncached: this.uncached, evictions: this.evictions, entries: this.entries };
  }

  /** Drops every cached result (counters are kept). */
  clear(): void {
    this.caches.clear();
    this.lastComp = null;
    this.lastCache = null;
    this.entries = 0;
  }

  private cacheOf(comp: Compressor): LruMap<number, Compressed> {
    if (comp === this.lastComp) return this.lastCache!;
    let cache = this.caches.get(comp.name);
    if (cache === undefined) {
      cache = new LruMap();
      this.caches.set(comp.name, cache);
    }
    this.lastComp = comp;
    this.lastCache = cache;
    return cache;
  }

  /** Evicts the least recently used entry of `preferred`, or of the largest other cache. */
  private evict(preferred: LruMap<number, Compressed>): void {
    let victim = preferred;
    if (victim.size === 0) {
      for (const m of this.caches.values()) if (m.size > victim.size) victim = m;
    }
    if (victim.evictOldest() === undefined) return;
    this.entries--;
    this.evictions++;
  }
}
