import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHUNK_PAGES, Corpus } from '../../../src/content/corpus.js';
import { PAGE_SIZE } from '../../../src/content/page.js';
import { UsageError } from '../../../src/errors.js';

let dir: string;
let file: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tmemsim-corpus-'));
  file = join(dir, 'pages.bin');
  // 2.5 pages: page i is filled with byte i + 1; the last is half a page.
  const bytes = new Uint8Array(2 * PAGE_SIZE + PAGE_SIZE / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(i / PAGE_SIZE) + 1;
  writeFileSync(file, bytes);
  writeFileSync(join(dir, 'empty.bin'), new Uint8Array(0));
  mkdirSync(join(dir, 'subdir'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Corpus', () => {
  it('counts pages, rounding a partial last page up', () => {
    const c = Corpus.open(file);
    expect(c.pages).toBe(3);
    c.close();
  });

  it('fills pages and zero-pads the last', () => {
    const c = Corpus.open(file);
    const dst = new Uint8Array(PAGE_SIZE).fill(0xee);
    c.fill(1, dst);
    expect(dst.every((x) => x === 2)).toBe(true);
    c.fill(2, dst);
    expect(dst.subarray(0, PAGE_SIZE / 2).every((x) => x === 3)).toBe(true);
    expect(dst.subarray(PAGE_SIZE / 2).every((x) => x === 0)).toBe(true);
    // again, from the page cache
    c.fill(1, dst);
    expect(dst.every((x) => x === 2)).toBe(true);
    c.fill(0, dst);
    expect(dst.every((x) => x === 1)).toBe(true);
    c.close();
  });

  it('rejects an index out of range, naming the range', () => {
    const c = Corpus.open(file);
    const dst = new Uint8Array(PAGE_SIZE);
    for (const bad of [3, -1, 1.5, Number.NaN]) {
      expect(() => c.fill(bad, dst)).toThrow(UsageError);
    }
    expect(() => c.fill(3, dst)).toThrow(/0\.\.2/);
    c.close();
  });

  it('rejects a missing, empty or non-regular file', () => {
    for (const p of [join(dir, 'missing.bin'), join(dir, 'empty.bin'), join(dir, 'subdir')]) {
      let err: unknown;
      try {
        Corpus.open(p);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(UsageError);
      expect((err as UsageError).message).toMatch(/cannot read corpus/);
      expect((err as UsageError).where.file).toBe(p);
    }
  });

  it('keeps serving correct pages past its LRU size', () => {
    const big = join(dir, 'big.bin');
    const n = 200;
    const bytes = new Uint8Array(n * PAGE_SIZE);
    for (let i = 0; i < n; i++) bytes.fill(i & 255, i * PAGE_SIZE, (i + 1) * PAGE_SIZE);
    writeFileSync(big, bytes);
    const c = Corpus.open(big);
    const dst = new Uint8Array(PAGE_SIZE);
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < n; i += 3) {
        c.fill(i, dst);
        expect(dst[0]).toBe(i & 255);
        expect(dst[PAGE_SIZE - 1]).toBe(i & 255);
      }
    }
    c.close();
  });
});

describe('Corpus chunk cache', () => {
  it('serves every page exactly as the file holds it, in any order, with the cache far smaller than the file', () => {
    // 13.5 chunks of pseudo-random bytes: the last chunk is short and its last page partial.
    const len = (13 * CHUNK_PAGES + 5) * PAGE_SIZE + 1000;
    const bytes = new Uint8Array(len);
    let s = 0x2545f491;
    for (let i = 0; i < len; i++) {
      s ^= s << 13; s ^= s >>> 17; s ^= s << 5;
      bytes[i] = s & 255;
    }
    const f = join(dir, 'chunks.bin');
    writeFileSync(f, bytes);
    // The model: page i is bytes [i * 4096, (i + 1) * 4096) of the file, zero past its end.
    const want = (i: number): Uint8Array => {
      const p = new Uint8Array(PAGE_SIZE);
      p.set(bytes.subarray(i * PAGE_SIZE, Math.min(len, (i + 1) * PAGE_SIZE)));
      return p;
    };
    for (const [cacheChunks, grows] of [[1, false], [1, true], [2, false], [5, true], [100, true]] as const) {
      const cacheBytes = cacheChunks * CHUNK_PAGES * PAGE_SIZE;
      const c = grows ? Corpus.open(f, cacheBytes) : Corpus.open(f, cacheBytes, cacheBytes);
      expect(c.pages).toBe(13 * CHUNK_PAGES + 6);
      const dst = new Uint8Array(PAGE_SIZE);
      let r = 7;
      const order: number[] = [];
      for (let i = 0; i < c.pages; i++) order.push(i); // in order
      for (let i = c.pages - 1; i >= 0; i--) order.push(i); // backwards
      for (let k = 0; k < 600; k++) {
        r = (Math.imul(r, 1103515245) + 12345) >>> 0;
        order.push(r % c.pages); // scattered
      }
      for (const i of order) {
        dst.fill(0xee);
        c.fill(i, dst);
        expect(Buffer.compare(dst, want(i)), `page ${i}, cache of ${cacheChunks} chunks`).toBe(0);
        // equals() compares in the cache: true for the page's bytes, false with any byte changed
        expect(c.equals(i, want(i))).toBe(true);
        const other = want(i);
        other[(i * 131) % PAGE_SIZE]! ^= 1;
        expect(c.equals(i, other)).toBe(false);
      }
      c.close();
    }
  });
});

describe('Corpus reads', () => {
  it('reads a chunk per call when walked in order, one page per call when picked out of order', () => {
    const f = join(dir, 'walk.bin');
    const chunks = 4;
    writeFileSync(f, new Uint8Array(chunks * CHUNK_PAGES * PAGE_SIZE + 100)); // and one short page after them
    const dst = new Uint8Array(PAGE_SIZE);
    // In order, twice over with a cache of one chunk: one read per chunk (the short one included) per walk,
    // and one more for page 0 the second time (it does not follow the last page: alone, then 1..15 together).
    let c = Corpus.open(f, CHUNK_PAGES * PAGE_SIZE);
    for (let walk = 0; walk < 2; walk++) for (let i = 0; i < c.pages; i++) c.fill(i, dst);
    expect(c.reads).toBe(2 * (chunks + 1) + 1);
    c.close();
    // Backwards: no page follows the one before it, so every page is its own read.
    c = Corpus.open(f, CHUNK_PAGES * PAGE_SIZE);
    for (let i = c.pages - 1; i >= 0; i--) c.fill(i, dst);
    expect(c.reads).toBe(c.pages);
    // A cached page costs no read; a page of a cached chunk not read yet costs one.
    const before = c.reads;
    c.fill(0, dst);
    expect(c.reads).toBe(before);
    c.close();
    c = Corpus.open(f); // the default cache holds all 5 chunks
    c.fill(CHUNK_PAGES + 3, dst);
    c.fill(CHUNK_PAGES + 3, dst);
    expect(c.reads).toBe(1);
    c.fill(CHUNK_PAGES + 5, dst);
    expect(c.reads).toBe(2);
    c.fill(CHUNK_PAGES + 6, dst); // follows the previous page: the rest of the chunk (6..15) in one read
    for (let i = CHUNK_PAGES + 7; i < 2 * CHUNK_PAGES; i++) c.fill(i, dst);
    expect(c.reads).toBe(3);
    c.close();
  });
});

describe('Corpus cache growth', () => {
  it('grows for pages read a third time and more, up to its bound, never for a page read twice', () => {
    const f = join(dir, 'grow.bin');
    const chunks = 8;
    const bytes = new Uint8Array(chunks * CHUNK_PAGES * PAGE_SIZE);
    for (let i = 0; i < bytes.length; i += PAGE_SIZE) bytes.fill((i / PAGE_SIZE) & 255, i, i + PAGE_SIZE);
    writeFileSync(f, bytes);
    const one = CHUNK_PAGES * PAGE_SIZE;
    const dst = new Uint8Array(PAGE_SIZE);
    const walk = (c: Corpus): number => {
      const before = c.reads;
      for (let i = 0; i < c.pages; i++) {
        c.fill(i, dst);
        expect(dst[0]).toBe(i & 255);
      }
      return c.reads - before;
    };
    // Each page read twice: the cache stays at one chunk, so each walk reads every chunk.
    let c = Corpus.open(f, one);
    expect(walk(c)).toBe(chunks);
    expect(walk(c)).toBe(chunks + 1); // page 0 alone (it does not follow page 127), then 1..15
    // The third walk reads every page a third time: the cache grows a chunk for each chunk's worth, so it
    // ends holding the whole file and the fourth walk reads nothing.
    expect(walk(c)).toBe(chunks + 1);
    expect(walk(c)).toBe(0);
    c.close();
    // Bounded at half the file: the fourth walk still reads (LRU over a walk keeps nothing useful).
    c = Corpus.open(f, one, (chunks / 2) * one);
    for (let k = 0; k < 3; k++) walk(c);
    expect(walk(c)).toBe(chunks + 1);
    c.close();
    // Not allowed to grow: the same as the first.
    c = Corpus.open(f, one, one);
    for (let k = 0; k < 3; k++) walk(c);
    expect(walk(c)).toBe(chunks + 1);
    c.close();
  });
});
