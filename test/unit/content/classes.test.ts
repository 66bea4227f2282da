import { describe, expect, it } from 'vitest';
import { compress } from 'lz4-wasm-nodejs';
import { deflateSync } from 'fflate';
import { CONTENT_CLASSES } from '../../../src/content/classes/registry.js';
import { CLASS_NAMES, PAGE_SIZE } from '../../../src/content/page.js';
import { mixSeed } from '../../../src/content/rng.js';

/** Byte equality (vitest's deep toEqual walks typed arrays element by element: slow on pages). */
function same(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.compare(a, b) === 0;
}

const GENERATED = ['text', 'code', 'random', 'heap'];

function page(name: string, seed: number): Uint8Array {
  const p = new Uint8Array(PAGE_SIZE);
  CONTENT_CLASSES[name]!.fill(seed, p);
  return p;
}

function lz4Size(p: Uint8Array): number {
  return compress(p).length - 4;
}

/** Mean lz4 and deflate ratio over n pages. */
function ratios(name: string, n: number): { lz4: number; deflate: number } {
  let l = 0;
  let d = 0;
  for (let i = 1; i <= n; i++) {
    const p = page(name, mixSeed(42, i));
    l += PAGE_SIZE / lz4Size(p);
    d += PAGE_SIZE / deflateSync(p, { level: 6 }).length;
  }
  return { lz4: l / n, deflate: d / n };
}

describe('content classes', () => {
  it('registers every class of page.ts with its code', () => {
    expect(Object.keys(CONTENT_CLASSES).sort()).toEqual(Object.keys(CLASS_NAMES).sort());
    for (const [name, c] of Object.entries(CONTENT_CLASSES)) {
      expect(c.name).toBe(name);
      expect(c.code).toBe(CLASS_NAMES[name]);
      expect(c.description.length).toBeGreaterThan(5);
    }
  });

  it.each(GENERATED)('%s is deterministic per seed and differs between seeds', (name) => {
    for (const seed of [0, 1, 2, 0xffffffff, 123456789]) {
      expect(same(page(name, seed), page(name, seed))).toBe(true);
    }
    expect(same(page(name, 1), page(name, 2))).toBe(false);
  });

  it.each(GENERATED)('%s writes every byte (no stale bytes from dst or earlier pages)', (name) => {
    const a = new Uint8Array(PAGE_SIZE).fill(0xaa);
    const b = new Uint8Array(PAGE_SIZE).fill(0x55);
    CONTENT_CLASSES[name]!.fill(77, a);
    page(name, 78); // another page in between
    CONTENT_CLASSES[name]!.fill(77, b);
    expect(same(a, b)).toBe(true);
  });

  it.each(GENERATED)('%s fills unaligned and odd-sized buffers with the same bytes', (name) => {
    const ref = page(name, 5);
    const buf = new Uint8Array(PAGE_SIZE + 3);
    const view = buf.subarray(3);
    CONTENT_CLASSES[name]!.fill(5, view);
    expect(same(view, ref)).toBe(true);
    const big = new Uint8Array(40 * PAGE_SIZE);
    CONTENT_CLASSES[name]!.fill(5, big);
    const big2 = new Uint8Array(40 * PAGE_SIZE);
    CONTENT_CLASSES[name]!.fill(5, big2);
    expect(same(big2, big)).toBe(true);
    // no long run of untouched zeros at the end (generation covered the buffer)
    expect(big.subarray(-PAGE_SIZE).some((x) => x !== 0)).toBe(true);
    expect(same(page(name, 5), ref)).toBe(true); // the scratch buffer grew; normal pages unchanged
    const small = new Uint8Array(100);
    CONTENT_CLASSES[name]!.fill(5, small);
    const small2 = new Uint8Array(100).fill(9);
    CONTENT_CLASSES[name]!.fill(5, small2);
    expect(same(small2, small)).toBe(true);
  });

  it('zero and fill pages are uniform', () => {
    expect(page('zero', 99).every((x) => x === 0)).toBe(true);
    expect(page('fill', 0x1ab).every((x) => x === 0xab)).toBe(true);
    expect(lz4Size(page('zero', 0))).toBeLessThan(64);
  });

  it('random pages are incompressible', () => {
    for (let i = 0; i < 50; i++) expect(lz4Size(page('random', mixSeed(1, i)))).toBeGreaterThanOrEqual(PAGE_SIZE);
  });

  it('text compresses like text (lz4 1.8-3.2, deflate better)', () => {
    const r = ratios('text', 300);
    expect(r.lz4).toBeGreaterThan(1.8);
    expect(r.lz4).toBeLessThan(3.2);
    expect(r.deflate).toBeGreaterThan(r.lz4 * 1.2);
  });

  it('code compresses like x86-64 .text (lz4 1.5-2.2)', () => {
    const r = ratios('code', 300);
    expect(r.lz4).toBeGreaterThan(1.5);
    expect(r.lz4).toBeLessThan(2.2);
    expect(r.deflate).toBeGreaterThan(r.lz4 * 1.15);
  });

  it('heap compresses like anonymous memory (lz4 2.3-4.2)', () => {
    const r = ratios('heap', 300);
    expect(r.lz4).toBeGreaterThan(2.3);
    expect(r.lz4).toBeLessThan(4.2);
    expect(r.deflate).toBeGreaterThan(r.lz4 * 1.2);
  });

  it('text is printable ASCII with newlines', () => {
    for (let i = 0; i < 20; i++) {
      const p = page('text', mixSeed(3, i));
      expect(p.every((x) => x === 10 || (x >= 32 && x < 127))).toBe(true);
      expect(p.includes(10)).toBe(true);
    }
  });

  it('heap pages hold user-space pointers (0x0000_55xx / 0x0000_7fxx high words)', () => {
    let pointers = 0;
    for (let i = 0; i < 20; i++) {
      const dv = new DataView(page('heap', mixSeed(4, i)).buffer);
      for (let o = 0; o < PAGE_SIZE; o += 8) {
        const hi = dv.getUint32(o + 4, true);
        if (hi >>> 8 === 0x55 || hi >>> 8 === 0x7f) pointers++;
      }
    }
    expect(pointers).toBeGreaterThan(20 * 20);
  });
});
