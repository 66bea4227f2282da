import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Corpus } from '../../../src/content/corpus.js';
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
