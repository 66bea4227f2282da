import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createCompressor } from '../../../src/compressors/registry.js';
import { ContentSource } from '../../../src/content/source.js';
import { PAGE_SIZE } from '../../../src/content/page.js';
import { InvariantError } from '../../../src/errors.js';

/**
 * The kernel crypto deflate's bytes (crypto/deflate.c: level 6, raw, window bits 11, memLevel 8),
 * made independently by C zlib through Python (the fixture's `source`), on pages of every content
 * class. tmemsim's deflate must give the same bytes: a page's size decides its zsmalloc class,
 * and with it the pool the validation suite compares with a real kernel's.
 */
interface Row {
  class: string;
  seed: number;
  page_sha256: string;
  length: number;
  sha256: string;
}
const fixture = JSON.parse(readFileSync(new URL('../../fixtures/deflate-kernel-params.json', import.meta.url), 'utf8')) as { pages: Row[] };
const CLS: Record<string, number> = { zero: 0, text: 2, code: 3, random: 4, heap: 5 };
const content = new ContentSource({ seed: 1 });
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

describe('deflate as the kernel makes it', () => {
  const deflate = createCompressor('deflate');

  it.each(fixture.pages.map((r) => [`${r.class} ${r.seed}`, r] as const))('%s: the bytes of zlib with the kernel parameters', (_, r) => {
    const page = new Uint8Array(PAGE_SIZE);
    content.fill(r.seed * 16 + CLS[r.class]!, page);
    expect(sha(page)).toBe(r.page_sha256);
    const c = deflate.compress(page);
    expect(c.size).toBe(r.length);
    expect(sha(c.data.subarray(0, c.size))).toBe(r.sha256);
    const back = new Uint8Array(PAGE_SIZE);
    deflate.decompress(c, back);
    expect(Buffer.compare(back, page)).toBe(0);
  });

  it('refuses a stream that is corrupt or ends early, by name', () => {
    const page = new Uint8Array(PAGE_SIZE);
    content.fill(3 * 16 + CLS.text!, page);
    const c = deflate.compress(page);
    const out = new Uint8Array(PAGE_SIZE);
    expect(() => deflate.decompress({ data: c.data.subarray(0, 3), size: 3 }, out)).toThrow(InvariantError);
    expect(() => deflate.decompress({ data: Uint8Array.from([1, 2, 3, 4, 5, 255, 255]), size: 7 }, out)).toThrow(/deflate/);
    expect(() => deflate.decompress({ data: new Uint8Array(0), size: 0 }, out)).toThrow(InvariantError);
  });

  it('refuses a stream of another length than a page, shorter or longer', () => {
    const half = new Uint8Array(PAGE_SIZE / 2).fill(7);
    expect(() => deflate.decompress(deflate.compress(half), new Uint8Array(PAGE_SIZE))).toThrow(/decompressed 2048 bytes, expected 4096/);
    const two = new Uint8Array(2 * PAGE_SIZE).fill(9);
    expect(() => deflate.decompress(deflate.compress(two), new Uint8Array(PAGE_SIZE))).toThrow(/more than 4096 bytes/);
  });

  it('gives the same bytes for a page after any other (one stream, reset per page)', () => {
    const pages = ['heap', 'zero', 'random', 'text'].map((cls) => {
      const p = new Uint8Array(PAGE_SIZE);
      content.fill(5 * 16 + CLS[cls]!, p);
      return p;
    });
    const fresh = pages.map((p) => createCompressor('deflate').compress(p).data);
    const one = createCompressor('deflate');
    for (let round = 0; round < 2; round++) pages.forEach((p, i) => expect(Buffer.compare(one.compress(p).data, fresh[i]!)).toBe(0));
  });
});
