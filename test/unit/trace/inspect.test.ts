/**
 * `trace inspect` (src/trace/inspect.ts): exact figures on a tiny hand-made
 * trace; the Fenwick-tree stack distances (with renumbering) against a naive
 * move-to-front list; and on the real CloudPhysics sample, the histogram
 * against LRU caches of every power-of-two size simulated independently.
 */

import fc from 'fast-check';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../../src/trace/events.js';
import { inspectTrace, ReuseDistance } from '../../../src/trace/inspect.js';
import { openTrace } from '../../../src/trace/reader.js';
import { HEADER, tempDir, toJsonl } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const TRACES = path.resolve(__dirname, '../../../../shared/traces');
const SAMPLE = path.join(TRACES, 'cloudPhysicsIO.txt');

/** Independently of inspect: the page keys the importer yields for the CloudPhysics sample (every event is a file reference). */
const KEYS: string[] = [];
for (const { event } of openTrace(SAMPLE).eventsSync()) {
  if (event.op !== 'file') throw new Error(`unexpected ${event.op}`);
  KEYS.push(`${event.fs}/${event.inode}/${event.index}`);
}

/** The misses of an LRU cache of `size` pages (a Map in recency order) over `keys`. */
function lruMisses(keys: readonly string[], size: number): number {
  const lru = new Map<string, true>();
  let misses = 0;
  for (const key of keys) {
    if (!lru.delete(key)) {
      misses++;
      if (lru.size === size) lru.delete(lru.keys().next().value!);
    }
    lru.set(key, true);
  }
  return misses;
}

describe('trace inspect on a hand-made trace', () => {
  const events: TraceEvent[] = [
    { op: 'anon', pid: 1, page: 1, write: true, t: 100 }, // cold
    { op: 'anon', pid: 1, page: 2 }, // cold
    { op: 'file', fs: 1, inode: 1, index: 0, t: 50 }, // cold
    { op: 'anon', pid: 1, page: 1 }, // 2: (1,2), file
    { op: 'frontswap_store', type: 0, offset: 5, data: 'zero' }, // cold
    { op: 'frontswap_load', type: 0, offset: 5 }, // 0
    { op: 'anon', pid: 2, page: 1 }, // cold: another process's page 1
    { op: 'file', fs: 1, inode: 1, index: 0 }, // 3: (1,1), slot 5, (2,1)
    { op: 'anon', page: 2, pid: 1, t: 400 }, // 4: file, (1,1), slot 5, (2,1)
    { op: 'cleancache_get', fs: 1, inode: 1, index: 0 }, // 1: (1,2)
    { op: 'cleancache_invalidate_page', fs: 1, inode: 1, index: 0 }, // no reference
    { op: 'swapon', type: 1, slots: 8 },
  ];
  const file = tmp.file('tiny.jsonl', toJsonl(HEADER, events));

  it('counts events by kind, unique pages per name space, the time span and the reuse distances exactly', () => {
    const r = inspectTrace(file);
    expect(r.format).toBe('jsonl');
    expect(r.events).toBe(12);
    expect(r.by_kind).toEqual({ swapon: 1, frontswap_store: 1, frontswap_load: 1, cleancache_get: 1, cleancache_invalidate_page: 1, anon: 5, file: 2 });
    expect(Object.keys(r.by_kind)).toEqual(['swapon', 'frontswap_store', 'frontswap_load', 'cleancache_get', 'cleancache_invalidate_page', 'anon', 'file']);
    expect(r.unique_pages).toEqual({ anon: 3, swap_slots: 1, file: 1, total: 5 });
    expect(r.time).toEqual({ timed_events: 3, start_us: 50, end_us: 400, span_us: 350 });
    expect(r.reuse.references).toBe(10);
    expect(r.reuse.cold).toBe(5);
    expect(r.reuse.buckets).toEqual([
      { lo: 0, hi: 0, count: 1, lru_hit_ratio: 0.1 },
      { lo: 1, hi: 1, count: 1, lru_hit_ratio: 0.2 },
      { lo: 2, hi: 3, count: 2, lru_hit_ratio: 0.4 },
      { lo: 4, hi: 7, count: 1, lru_hit_ratio: 0.5 },
    ]);
  });

  it('reads the binary form of the same trace to the same figures', async () => {
    const { convertTrace } = await import('../../../src/trace/convert.js');
    const bin = path.join(tmp.dir, 'tiny.tmtb');
    await convertTrace(file, bin);
    expect({ ...inspectTrace(bin), trace: '', format: '' }).toEqual({ ...inspectTrace(file), trace: '', format: '' });
  });
});

/** Each reference's distance from a ReuseDistance over `cap` times equals its depth in a naive move-to-front stack (-1: not in it). */
function matchesStack(refs: [number, number][], cap: number): void {
  const rd = new ReuseDistance(cap);
  const stack: string[] = [];
  for (const [space, key] of refs) {
    const name = `${space}:${key}`;
    const at = stack.indexOf(name);
    if (at >= 0) stack.splice(at, 1);
    stack.unshift(name);
    expect(rd.access(space as 0 | 1 | 2, key)).toBe(at);
  }
}

describe('ReuseDistance', () => {
  it('equals a naive move-to-front stack, also across many renumberings of a tiny tree', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 40 })), { maxLength: 400, size: 'max' }), fc.integer({ min: 1, max: 16 }), matchesStack),
      { numRuns: 200 },
    );
  });

  it('equals a naive move-to-front stack over many words of marks and renumberings (distances across word and tree boundaries)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 700 })), { minLength: 500, maxLength: 4000 }),
        fc.integer({ min: 1, max: 3000 }),
        matchesStack,
      ),
      { numRuns: 60 },
    );
  });

  it('queued references (read in batches) give the figures of references accessed one by one', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 500 })), { maxLength: 2000 }), fc.integer({ min: 1, max: 600 }), (refs, cap) => {
        const one = new ReuseDistance(cap);
        const queued = new ReuseDistance(cap);
        for (const [space, key] of refs) {
          one.access(space as 0 | 1 | 2, key);
          queued.queue(space as 0 | 1 | 2, key);
        }
        const sizes = [1, 2, 3, 10, 100, 400];
        // Figures read in an order that starts with the counts (each getter flushes the queue).
        expect([queued.references, queued.cold, queued.log2Counts(), queued.lruHits(sizes), queued.unique(0), queued.unique(1), queued.unique(2)]).toEqual([
          one.references, one.cold, one.log2Counts(), one.lruHits(sizes), one.unique(0), one.unique(1), one.unique(2),
        ]);
      }),
      { numRuns: 100 },
    );
  });
});

describe('trace inspect of an imported trace (read from the page cursor, without event objects)', () => {
  it('gives the figures of its events: kinds, times kept, unique pages, and the exact LRU misses at four sizes', () => {
    const file = path.join(TRACES, 'cloudPhysicsIO.oracleGeneral.bin');
    const opts = { formatOptions: { time: 'keep' } };
    // Independently of inspect: the events the importer yields, and a move-to-front stack over their pages.
    let events = 0;
    let min = Infinity;
    let max = -Infinity;
    const keys: string[] = [];
    for (const { event } of openTrace(file, opts).eventsSync()) {
      events++;
      if (event.op !== 'file') throw new Error(`unexpected ${event.op}`);
      if (event.t !== undefined) {
        min = Math.min(min, event.t);
        max = Math.max(max, event.t);
      }
      keys.push(`${event.fs}/${event.inode}/${event.index}`);
    }
    const r = inspectTrace(file, opts);
    expect(r.events).toBe(events);
    expect(r.by_kind).toEqual({ file: events });
    expect(r.time).toEqual({ timed_events: events, start_us: min, end_us: max, span_us: max - min });
    expect(max).toBeGreaterThan(min);
    expect(r.unique_pages.file).toBe(new Set(keys).size);
    const sizes = [3, 77, 1000, 20_000];
    const mrc = inspectTrace(file, { ...opts, sizes: sizes.map((pages) => ({ pages })) }).mrc!;
    expect(mrc.map((p) => p.misses)).toEqual(sizes.map((size) => lruMisses(keys, size)));
  });
});

describe('trace inspect on the real CloudPhysics sample', () => {
  it('every power-of-two LRU hits exactly the references the histogram puts below its size', () => {
    const r = inspectTrace(SAMPLE);
    const keys = KEYS;
    expect(r.events).toBe(keys.length);
    expect(r.by_kind).toEqual({ file: keys.length });
    expect(r.reuse.references).toBe(keys.length);
    const unique = new Set(keys).size;
    expect(r.unique_pages).toEqual({ anon: 0, swap_slots: 0, file: unique, total: unique });
    expect(r.reuse.cold).toBe(unique);
    expect(r.time.timed_events).toBe(0);
    let cumulative = 0;
    for (let k = 0; k < r.reuse.buckets.length; k++) {
      const size = 2 ** k;
      const hits = keys.length - lruMisses(keys, size);
      cumulative += r.reuse.buckets[k]!.count;
      expect([size, cumulative]).toEqual([size, hits]);
      expect(r.reuse.buckets[k]!.lru_hit_ratio).toBeCloseTo(hits / keys.length, 12);
    }
    // The last bucket reaches every reuse: the rest are cold.
    expect(cumulative + r.reuse.cold).toBe(keys.length);
  });
});

describe('trace inspect --sizes: exact LRU miss ratios at any sizes from one pass', () => {
  const sample = SAMPLE;

  it("equals libCacheSim's own LRU at 128..1024 objects in steps of 128 (its test_simulator_no_size on the same file)", () => {
    // libCacheSim test/test_simulator.c, test_simulator_no_size: the plain-text reader of
    // data/cloudPhysicsIO.txt, LRU with a cache of 1024 objects profiled in steps of 128.
    const libCacheSimMisses = [99411, 96397, 95652, 95370, 95182, 94997, 94891, 94816];
    const sizes = [128, 256, 384, 512, 640, 768, 896, 1024];
    const r = inspectTrace(sample, { sizes: sizes.map((pages) => ({ pages })) });
    expect(r.reuse.references).toBe(113872);
    expect(r.mrc!.map((m) => m.misses)).toEqual(libCacheSimMisses);
    for (const m of r.mrc!) expect(m.hits + m.misses).toBe(113872);
  });

  it('equals an LRU simulated in the test at sizes that are not powers of two, and at shares of the footprint', () => {
    const keys = KEYS;
    const footprint = new Set(keys).size;
    const asked = [{ pages: 1 }, { pages: 1000 }, { pages: 3333 }, { pages: 12345 }, { fraction: 0.1 }, { fraction: 1 }, { pages: 1_000_000 }];
    const r = inspectTrace(sample, { sizes: asked });
    const pages = [1, 1000, 3333, 12345, Math.round(0.1 * footprint), footprint, 1_000_000];
    expect(r.mrc!.map((m) => m.pages)).toEqual(pages);
    expect(r.mrc!.map((m) => m.size)).toEqual(['1', '1000', '3333', '12345', '10%', '100%', '1000000']);
    expect(r.mrc!.map((m) => m.misses)).toEqual(pages.map((size) => lruMisses(keys, size)));
    // At or beyond the footprint only cold misses remain.
    expect(r.mrc![5]!.misses).toBe(footprint);
    expect(r.mrc![6]!.miss_ratio).toBeCloseTo(footprint / keys.length, 12);
  });

  it('a trace without page references gives n/a ratios, not 0', () => {
    const file = tmp.file('empty.jsonl', toJsonl(HEADER, []));
    const r = inspectTrace(file, { sizes: [{ pages: 10 }] });
    expect(r.mrc).toEqual([{ size: '10', pages: 10, hits: 0, misses: 0, miss_ratio: null }]);
  });
});
