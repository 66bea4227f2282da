import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { KeyMap } from '../../src/keymap.js';

// Keys the memory model uses: small ones, page keys above 2^32 (anonKey, fileKey) and keys that
// share their low or high 32 bits (colliding halves of the hash).
const key = fc.oneof(
  fc.integer({ min: 0, max: 64 }),
  fc.integer({ min: 0, max: 2 ** 20 }).map((x) => 2 ** 47 + x),
  fc.integer({ min: 0, max: 1000 }).map((x) => x * 2 ** 32 + 7),
  fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
);
// Values: any but -1 (the page cache keeps page ids >= 0 and shadow entries below -1 in one map).
const value = fc.oneof(fc.integer({ min: 0, max: 2 ** 40 }), fc.integer({ min: -(2 ** 40), max: -2 }));
const op = fc.oneof(
  fc.tuple(fc.constant('set' as const), key, value),
  fc.tuple(fc.constant('delete' as const), key, fc.constant(0)),
  fc.tuple(fc.constant('get' as const), key, fc.constant(0)),
  fc.tuple(fc.constant('swap' as const), key, value),
  fc.tuple(fc.constant('getOrSet' as const), key, value),
);

describe('KeyMap against a Map', () => {
  it('updateValues rewrites every value in place and keeps the keys', () => {
    const km = new KeyMap();
    for (let i = 0; i < 100; i++) km.set(i * 2 ** 33 + 1, i);
    km.updateValues((v) => 3 * v + 1);
    for (let i = 0; i < 100; i++) expect(km.get(i * 2 ** 33 + 1)).toBe(3 * i + 1);
    expect(km.size).toBe(100);
  });

  it('get, set, delete, swap, getOrSet, size and the entries agree after any sequence of operations', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 600 }), (ops) => {
        const km = new KeyMap();
        const model = new Map<number, number>();
        for (const [kind, k, v] of ops) {
          if (kind === 'set') {
            km.set(k, v);
            model.set(k, v);
          } else if (kind === 'delete') {
            expect(km.delete(k)).toBe(model.get(k) ?? -1);
            model.delete(k);
          } else if (kind === 'swap') {
            expect(km.swap(k, v)).toBe(model.get(k) ?? -1);
            model.set(k, v);
          } else if (kind === 'getOrSet') {
            expect(km.getOrSet(k, v)).toBe(model.get(k) ?? -1);
            if (!model.has(k)) model.set(k, v);
          } else expect(km.get(k)).toBe(model.get(k) ?? -1);
          expect(km.size).toBe(model.size);
        }
        for (const [k, v] of model) expect(km.get(k)).toBe(v);
        const seen = new Map<number, number>();
        km.forEach((k, v) => seen.set(k, v));
        expect(seen).toEqual(model);
      }),
      { numRuns: 300 },
    );
  });

  it('deleting from long probe runs keeps every other key reachable', () => {
    // Keys that differ only above bit 32 and in a multiple of 2^32: many share a probe run.
    const km = new KeyMap();
    const keys = Array.from({ length: 5000 }, (_, i) => i * 2 ** 32 + (i % 3));
    keys.forEach((k, i) => km.set(k, i));
    for (let i = 0; i < keys.length; i += 2) expect(km.delete(keys[i]!)).toBe(i);
    for (let i = 0; i < keys.length; i++) expect(km.get(keys[i]!)).toBe(i % 2 ? i : -1);
    expect(km.size).toBe(2500);
  });
});
