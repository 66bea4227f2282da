/**
 * Replaying an imported trace through tmemsim's page cache, checked against
 * models written here, independently of the simulator:
 *
 * - libCacheSim's published LRU miss counts (byte-sized caches of whole
 *   objects) are reproduced by a plain byte LRU over the oracleGeneral
 *   reader's (id, size) requests: the reader reads what libCacheSim reads.
 * - Those numbers are not page-cache numbers (libCacheSim caches variable
 *   sized objects, tmemsim 4 KiB pages), so the replay is checked against
 *   what tmemsim's RAM model is: an LRU page cache reclaimed in batches by
 *   the kernel's watermarks (below `low` free pages after an event, evict
 *   the least recently used pages until `high` are free): the lru-3x
 *   reclaim. The 6.1 reclaim is checked in test/unit/mm/reclaim-6.1.test.ts.
 */

import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../../src/api.js';
import { simulateTrace } from '../../../src/sim/simulate.js';
import { openImported } from './helpers.js';

const TRACES = path.resolve(__dirname, '../../../../shared/traces');
const ORACLE = path.join(TRACES, 'cloudPhysicsIO.oracleGeneral.bin');

const ids: number[] = [];
const sizes: number[] = [];
for (const r of openImported(ORACLE, 'oracleGeneral').requests()) {
  ids.push(r.id);
  sizes.push(r.size);
}

/** Misses of an LRU cache of `capacity` bytes over whole objects (libCacheSim's LRU: a hit does not resize). */
function byteLruMisses(capacity: number): number {
  const cache = new Map<number, number>();
  let used = 0;
  let misses = 0;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    const s = cache.get(id);
    if (s !== undefined) {
      cache.delete(id);
      cache.set(id, s);
      continue;
    }
    misses++;
    const size = sizes[i]!;
    if (size > capacity) continue;
    while (used + size > capacity) {
      const [k, v] = cache.entries().next().value as [number, number];
      cache.delete(k);
      used -= v;
    }
    cache.set(id, size);
    used += size;
  }
  return misses;
}

/** Misses of an LRU of exactly `pages` pages. */
function pageLruMisses(pages: number): number {
  const cache = new Set<number>();
  let misses = 0;
  for (const p of ids) {
    if (cache.delete(p)) {
      cache.add(p);
      continue;
    }
    misses++;
    cache.add(p);
    if (cache.size > pages) cache.delete(cache.values().next().value as number);
  }
  return misses;
}

/** The kernel's watermarks for `ram` pages (init_per_zone_wmark_min: min_free_kbytes = clamp(sqrt(16 * kbytes), 128, 65536)). */
function watermarks(ram: number): { min: number; low: number; high: number } {
  const minKb = Math.min(65536, Math.max(128, Math.floor(Math.sqrt(ram * 4 * 16))));
  const min = Math.ceil(minKb / 4);
  return { min, low: Math.ceil((min * 5) / 4), high: Math.ceil((min * 3) / 2) };
}

/** An LRU page cache in `ram` pages reclaimed by watermarks after each access. */
function watermarkLruMisses(ram: number): number {
  const { low, high } = watermarks(ram);
  const cache = new Set<number>();
  let misses = 0;
  for (const p of ids) {
    if (cache.delete(p)) cache.add(p);
    else {
      misses++;
      cache.add(p);
    }
    if (ram - cache.size < low) {
      const it = cache.values();
      while (ram - cache.size < high) cache.delete(it.next().value as number);
    }
  }
  return misses;
}

describe('replay of the oracleGeneral sample (the lru-3x reclaim)', () => {
  it("reproduces libCacheSim's LRU miss counts at 128..1024 MiB with a byte LRU over the reader's requests", () => {
    const MiB = 1 << 20;
    const got = [1, 2, 3, 4, 5, 6, 7, 8].map((k) => byteLruMisses(k * 128 * MiB));
    expect(got).toEqual([93374, 89783, 83572, 81722, 72494, 72104, 71972, 71704]);
  });

  it('tmemsim with no backend misses exactly as a watermark-reclaimed LRU, between LRUs of ram-low and ram-high pages', async () => {
    const ram = 8192;
    const { low, high } = watermarks(ram);
    expect({ low, high }).toEqual({ low: 227, high: 272 });
    const report = await run({ trace: ORACLE, inputFormat: 'oracleGeneral', backend: null, profiles: ['ssd'], baseline: false, ramPages: ram, reclaim: 'lru-3x' });
    const mm = report.runs[0]!.backend.mm;
    const expected = watermarkLruMisses(ram);
    expect(mm.pgcache_misses).toBe(expected);
    expect(mm.pgcache_hits).toBe(ids.length - expected);
    expect(report.runs[0]!.backend.events).toBe(113_872);
    expect(pageLruMisses(ram - low)).toBeLessThanOrEqual(expected);
    expect(expected).toBeLessThanOrEqual(pageLruMisses(ram - high));
    // Every miss reads the disk after a failed cleancache get (no backend: every get fails).
    expect(report.runs[0]!.backend.cleancache.failed_gets).toBe(expected);
  });

  it('with RAM to spare only the 48,974 first touches miss', async () => {
    const src = () => openImported(ORACLE, 'oracleGeneral', { 'ram-mb': 512 });
    const r = await simulateTrace(src, { backend: null, profiles: ['ssd'], baseline: false, reclaim: 'lru-3x' });
    expect(r.config.ramPages).toBe(131072);
    expect(r.runs[0]!.backend.mm.pgcache_misses).toBe(48_974);
    expect(watermarkLruMisses(131072)).toBe(48_974);
  });
});
