import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hashPage } from '../../../src/content/hash.js';

const enc = new TextEncoder();

describe('hashPage', () => {
  it('is xxHash32 (seed 0): published test vectors', () => {
    expect(hashPage(new Uint8Array(0))).toBe(0x02cc5d05);
    expect(hashPage(enc.encode('a'))).toBe(0x550d7456);
    expect(hashPage(enc.encode('abc'))).toBe(0x32d153ff);
    expect(hashPage(enc.encode('Nobody inspects the spammish repetition'))).toBe(0xe2293b2f);
  });

  it('returns an unsigned 32-bit integer', () => {
    const p = new Uint8Array(4096).map((_, i) => (i * 31) & 255);
    const h = hashPage(p);
    expect(Number.isInteger(h) && h >= 0 && h < 2 ** 32).toBe(true);
  });

  it('differs for pages differing in one byte (every position)', () => {
    const p = new Uint8Array(4096).map((_, i) => (i * 7) & 255);
    const base = hashPage(p);
    for (let i = 0; i < 4096; i++) {
      p[i] ^= 1 << (i & 7);
      expect(hashPage(p)).not.toBe(base);
      p[i] ^= 1 << (i & 7);
    }
    expect(hashPage(p)).toBe(base);
  });

  it('gives the same hash for unaligned views of the same bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 0, maxLength: 300 }), fc.integer({ min: 1, max: 3 }), (bytes, off) => {
      const buf = new Uint8Array(bytes.length + 8);
      buf.set(bytes, off);
      return hashPage(buf.subarray(off, off + bytes.length)) === hashPage(Uint8Array.from(bytes));
    }));
  });

  it('distinguishes pages of all zeros from a one-word shift', () => {
    const a = new Uint8Array(4096);
    const b = new Uint8Array(4096);
    b[4095] = 1;
    expect(hashPage(a)).not.toBe(hashPage(b));
  });
});
