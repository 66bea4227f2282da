import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CachingCompressionService } from '../../../src/compressors/cache.js';
import type { Compressed, Compressor } from '../../../src/compressors/compressor.js';
import { ContentSource } from '../../../src/content/source.js';
import { PAGE_SIZE, type Page } from '../../../src/content/page.js';
import { UsageError } from '../../../src/errors.js';

/** Byte equality (vitest's deep toEqual walks typed arrays element by element: slow on pages). */
function same(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.compare(a, b) === 0;
}

const content = new ContentSource({ seed: 1 });

function pageOf(desc: number): Page {
  const bytes = new Uint8Array(PAGE_SIZE);
  content.fill(desc, bytes);
  return { bytes, desc, tag: 0 };
}

/** Counts calls to a real compressor. */
function counting(inner: Compressor): Compressor & { calls: number } {
  const c = {
    name: inner.name,
    implementation: inner.implementation,
    calls: 0,
    compress(src: Uint8Array): Compressed {
      c.calls++;
      return inner.compress(src);
    },
    decompress: (x: Compressed, dst: Uint8Array) => inner.decompress(x, dst),
  };
  return c;
}

describe('CachingCompressionService', () => {
  it('creates compressors lazily, once per name', () => {
    const svc = new CachingCompressionService({});
    const a = svc.get('lz4');
    expect(svc.get('lz4')).toBe(a);
    expect(svc.get('deflate').name).toBe('deflate');
    expect(() => svc.get('nope')).toThrow(UsageError);
  });

  it('returns the same object on a hit', () => {
    const svc = new CachingCompressionService({});
    const lz4 = counting(svc.get('lz4'));
    const p = pageOf(content.resolve('text', 1));
    const a = svc.compress(lz4, p);
    const b = svc.compress(lz4, { ...p, bytes: p.bytes.slice() });
    expect(b).toBe(a);
    expect(lz4.calls).toBe(1);
    expect(svc.stats()).toMatchObject({ hits: 1, misses: 1, uncached: 0, entries: 1 });
    const dst = new Uint8Array(PAGE_SIZE);
    svc.decompress(lz4, b, dst);
    expect(same(dst, p.bytes)).toBe(true);
  });

  it('never caches desc -1', () => {
    const svc = new CachingCompressionService({});
    const lz4 = counting(svc.get('lz4'));
    const p = { ...pageOf(content.resolve('heap', 2)), desc: -1 };
    const a = svc.compress(lz4, p);
    const b = svc.compress(lz4, p);
    expect(b).not.toBe(a);
    expect(lz4.calls).toBe(2);
    expect(svc.stats()).toMatchObject({ hits: 0, misses: 0, uncached: 2, entries: 0 });
  });

  it('keys by compressor and desc', () => {
    const svc = new CachingCompressionService({});
    const p = pageOf(content.resolve('heap', 3));
    const l = svc.compress(svc.get('lz4'), p);
    const d = svc.compress(svc.get('deflate'), p);
    expect(d).not.toBe(l);
    expect(svc.compress(svc.get('deflate'), p)).toBe(d);
    expect(svc.compress(svc.get('lz4'), p)).toBe(l);
    const q = pageOf(content.resolve('heap', 4));
    expect(svc.compress(svc.get('lz4'), q)).not.toBe(l);
  });

  it('is bounded and evicts the least recently used entry', () => {
    const svc = new CachingCompressionService({ maxEntries: 3 });
    const lz4 = counting(svc.get('lz4'));
    const pages = [1, 2, 3, 4].map((i) => pageOf(content.resolve('code', i)));
    const r0 = svc.compress(lz4, pages[0]!);
    svc.compress(lz4, pages[1]!);
    svc.compress(lz4, pages[2]!);
    expect(svc.compress(lz4, pages[0]!)).toBe(r0); // 0 is now most recent; 1 is the oldest
    svc.compress(lz4, pages[3]!); // evicts 1
    expect(svc.stats()).toMatchObject({ entries: 3, evictions: 1 });
    expect(svc.compress(lz4, pages[0]!)).toBe(r0);
    const calls = lz4.calls;
    svc.compress(lz4, pages[1]!); // a miss again
    expect(lz4.calls).toBe(calls + 1);
    expect(svc.stats().entries).toBe(3);
  });

  it('bounds the total over all compressors', () => {
    const svc = new CachingCompressionService({ maxEntries: 2 });
    const p = [5, 6, 7].map((i) => pageOf(content.resolve('text', i)));
    svc.compress(svc.get('lz4'), p[0]!);
    svc.compress(svc.get('lz4'), p[1]!);
    svc.compress(svc.get('deflate'), p[2]!); // deflate's map is empty: evicts from lz4's
    expect(svc.stats()).toMatchObject({ entries: 2, evictions: 1 });
  });

  it('maxEntries 0 disables caching', () => {
    const svc = new CachingCompressionService({ maxEntries: 0 });
    const p = pageOf(content.resolve('text', 8));
    expect(svc.compress(svc.get('lz4'), p)).not.toBe(svc.compress(svc.get('lz4'), p));
    expect(svc.stats()).toMatchObject({ uncached: 2, entries: 0 });
  });

  it('hits, misses and evicts as an LRU model per compressor, bounded in all', () => {
    // The model: per compressor name its cached descs, least recently used
    // first; the names in the order first used. A miss on a full cache drops
    // the oldest entry of the same compressor, or, when it has none, the
    // oldest of the largest other one (the first such in that order).
    const names = ['lz4', 'deflate'];
    const descs = [1, 2, 3, 4, 5, 6].map((i) => content.resolve('text', i));
    const pages = descs.map(pageOf);
    const op = fc.record({ comp: fc.nat(1), page: fc.nat(descs.length - 1) });
    fc.assert(fc.property(fc.integer({ min: 1, max: 4 }), fc.array(op, { maxLength: 60 }), (max, ops) => {
      const svc = new CachingCompressionService({ maxEntries: max });
      const comps = names.map((n) => counting(svc.get(n)));
      const model = new Map<string, number[]>();
      const results = new Map<string, unknown>();
      let hits = 0, misses = 0, evictions = 0;
      for (const o of ops) {
        const name = names[o.comp]!;
        const desc = descs[o.page]!;
        const calls = comps[o.comp]!.calls;
        const got = svc.compress(comps[o.comp]!, pages[o.page]!);
        let list = model.get(name);
        if (list === undefined) model.set(name, (list = []));
        const i = list.indexOf(desc);
        if (i >= 0) {
          hits++;
          list.push(...list.splice(i, 1));
          expect(comps[o.comp]!.calls).toBe(calls);
          expect(got).toBe(results.get(`${name}:${desc}`)); // the object its miss returned
        } else {
          results.set(`${name}:${desc}`, got);
          misses++;
          expect(comps[o.comp]!.calls).toBe(calls + 1);
          let total = 0;
          for (const l of model.values()) total += l.length;
          if (total >= max) {
            let victim = list;
            if (victim.length === 0) for (const l of model.values()) if (l.length > victim.length) victim = l;
            victim.shift();
            evictions++;
          }
          list.push(desc);
        }
        let entries = 0;
        for (const l of model.values()) entries += l.length;
        expect(svc.stats()).toEqual({ hits, misses, uncached: 0, evictions, entries });
      }
    }), { numRuns: 200 });
  });
});
