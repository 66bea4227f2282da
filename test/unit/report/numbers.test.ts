/**
 * grouped() against the spelling it replaces: Number.prototype.toLocaleString('en-US') with the
 * same fraction digits (ICU), on the values where the two could part (halves at the last place
 * kept, in the shortest decimal and not in the binary value; carries through nines; tiny and huge
 * magnitudes; negative values that round to zero) and on random ones, for every fraction-digit
 * setting the reports use.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fmt, grouped } from '../../../src/report/numbers.js';

const SETTINGS: [max: number, min: number][] = [[0, 0], [1, 0], [3, 0], [1, 1], [2, 2], [3, 3], [6, 0], [6, 6]];
const icu = (x: number, max: number, min: number): string => x.toLocaleString('en-US', { minimumFractionDigits: min, maximumFractionDigits: max });

describe('grouped', () => {
  it('spells the edge cases as toLocaleString does', () => {
    const xs = [
      0, -0, 1, -1, 0.5, -0.5, 1.005, 2.675, 9.995, 99.995, 999.9995, 0.0005, 0.00049, 0.95, 0.995, 9.5, 99.5, -0.001, -0.4,
      999999.9999, 123456789.125, 0.1 + 0.2, 1e-7, 5e-7, 4.9e-7, 1e15, 1e21, 1.5e21, 2 ** 53, 2 ** 60, Number.MAX_SAFE_INTEGER,
      Number.MIN_VALUE, Number.MAX_VALUE, Infinity, -Infinity, NaN,
    ];
    for (const x of xs) for (const [max, min] of SETTINGS) expect(grouped(x, max, min), `${x} ${max} ${min}`).toBe(icu(x, max, min));
    expect(grouped(1.005, 2, 2)).toBe('1.01'); // the shortest decimal's half, as ICU rounds it (toFixed: 1.00)
    expect(grouped(-0.001, 2, 2)).toBe('-0.00');
    expect(grouped(1234567.891, 2, 2)).toBe('1,234,567.89');
  });

  it('spells random values as toLocaleString does', () => {
    const value = fc.oneof(
      fc.double({ noNaN: true }),
      fc.integer({ min: -(2 ** 31), max: 2 ** 31 }).map((k) => k / 1000),
      fc.tuple(fc.integer({ min: -1e6, max: 1e6 }), fc.integer({ min: 0, max: 6 })).map(([k, d]) => (k + 0.5) / 10 ** d),
      fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: -12, max: 24 })).map(([m, e]) => m * 10 ** e),
    );
    fc.assert(
      fc.property(value, fc.constantFrom(...SETTINGS), (x, [max, min]) => grouped(x, max, min) === icu(x, max, min)),
      { numRuns: 20_000 },
    );
  });

  it('fmt: integers as they are, fractions with d decimals', () => {
    expect(fmt(1234)).toBe('1,234');
    expect(fmt(-1234567)).toBe('-1,234,567');
    expect(fmt(1234.5)).toBe('1,234.50');
    expect(fmt(0.0004, 3)).toBe('0.000');
    expect(fmt(1e15)).toBe('1,000,000,000,000,000.00');
    expect(fmt(Infinity)).toBe('Infinity');
  });
});
