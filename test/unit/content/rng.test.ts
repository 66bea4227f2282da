import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Rng, mixSeed } from '../../../src/content/rng.js';

describe('Rng', () => {
  it('is deterministic per seed', () => {
    const a = new Rng(123);
    const b = new Rng(123);
    const xs = Array.from({ length: 100 }, () => a.nextU32());
    expect(Array.from({ length: 100 }, () => b.nextU32())).toEqual(xs);
    expect(new Rng(124).nextU32()).not.toBe(xs[0]);
  });

  it('reseed restarts the sequence', () => {
    const a = new Rng(7);
    const first = [a.nextU32(), a.nextU32()];
    a.reseed(7);
    expect([a.nextU32(), a.nextU32()]).toEqual(first);
  });

  it('gives values in range', () => {
    const r = new Rng(0);
    for (let i = 0; i < 10_000; i++) {
      const u = r.nextU32();
      expect(u >= 0 && u < 2 ** 32 && Number.isInteger(u)).toBe(true);
      const x = r.next();
      expect(x >= 0 && x < 1).toBe(true);
      const k = r.int(7);
      expect(k >= 0 && k < 7 && Number.isInteger(k)).toBe(true);
      const s = r.bits();
      expect(s === (s | 0)).toBe(true);
    }
  });

  it('is roughly uniform', () => {
    const r = new Rng(99);
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i++) counts[r.int(10)]!++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
  });
});

describe('mixSeed', () => {
  it('is a deterministic 32-bit value', () => {
    fc.assert(fc.property(fc.nat(), fc.nat(), (a, b) => {
      const s = mixSeed(a, b);
      return s === mixSeed(a, b) && Number.isInteger(s) && s >= 0 && s < 2 ** 32;
    }));
  });

  it('uses the high bits of inputs up to 2^53 and is order-sensitive', () => {
    expect(mixSeed(2 ** 40, 1)).not.toBe(mixSeed(0, 1));
    expect(mixSeed(1, 2 ** 52)).not.toBe(mixSeed(1, 0));
    expect(mixSeed(Number.MAX_SAFE_INTEGER, 3)).not.toBe(mixSeed(Number.MAX_SAFE_INTEGER - 1, 3));
    expect(mixSeed(1, 2)).not.toBe(mixSeed(2, 1));
  });

  it('has no collisions on a grid of small inputs', () => {
    const seen = new Set<number>();
    for (let a = 0; a < 100; a++) for (let b = 0; b < 100; b++) seen.add(mixSeed(a, b));
    expect(seen.size).toBe(10_000);
  });
});
