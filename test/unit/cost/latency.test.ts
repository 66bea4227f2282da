/** The latency histogram against an exact sorted-array reference. */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LatencyHistogram, MAX_RELATIVE_ERROR } from '../../../src/cost/latency.js';

/** Nearest rank: the ceil(p n)-th smallest value (the smallest for p = 0). */
function reference(sorted: number[], p: number): number {
  return sorted[Math.max(1, Math.ceil(p * sorted.length)) - 1]!;
}

function withinError(got: number, want: number): boolean {
  if (want === 0) return got === 0;
  return Math.abs(got - want) / want <= MAX_RELATIVE_ERROR * (1 + 1e-12);
}

const PS = [0, 0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999, 1];

describe('LatencyHistogram', () => {
  it('is empty-safe', () => {
    const h = new LatencyHistogram();
    expect(h.stats()).toEqual({ count: 0, mean_ns: 0, p50_ns: 0, p95_ns: 0, p99_ns: 0, max_ns: 0 });
  });

  it('gives exact results for one repeated value and for the extremes', () => {
    const h = new LatencyHistogram();
    for (let i = 0; i < 10; i++) h.record(1606.82);
    expect(h.stats()).toEqual({ count: 10, mean_ns: 1606.82, p50_ns: 1606.82, p95_ns: 1606.82, p99_ns: 1606.82, max_ns: 1606.82 });
    h.record(80_000);
    expect(h.quantile(1)).toBe(80_000);
    expect(h.quantile(0)).toBe(1606.82);
  });

  it('reports the nearest-rank quantile: p99 of 1..100 is 99, p50 is 50', () => {
    const h = new LatencyHistogram();
    for (let i = 1; i <= 100; i++) h.record(i * 1000);
    const [p50, p99] = h.quantiles([0.5, 0.99]);
    expect(withinError(p50!, 50_000)).toBe(true);
    expect(withinError(p99!, 99_000)).toBe(true);
    expect(p99).not.toBe(100_000);
  });

  it('is exact for a bucket of one distinct value, so near-equal distributions compare the right way round', () => {
    // 12.5 ms disk reads, some after a 133 ns lookup: both land in one bucket of 2^-10 relative width.
    const withLookup = new LatencyHistogram();
    const plain = new LatencyHistogram();
    for (let i = 0; i < 1000; i++) {
      withLookup.record(12_500_133.333);
      plain.record(12_500_000);
    }
    withLookup.record(1600);
    expect(withLookup.quantile(0.99)).toBe(12_500_133.333);
    expect(plain.quantile(0.99)).toBe(12_500_000);
    expect(withLookup.quantile(0.5) - plain.quantile(0.5)).toBeCloseTo(133.333, 6);
  });

  it('rejects negative, infinite and NaN latencies', () => {
    const h = new LatencyHistogram();
    expect(() => h.record(-1)).toThrow(RangeError);
    expect(() => h.record(Infinity)).toThrow(RangeError);
    expect(() => h.record(NaN)).toThrow(RangeError);
  });

  it('keeps one bucket per 1/1024 of an octave at most', () => {
    const h = new LatencyHistogram();
    for (let i = 0; i < 100_000; i++) h.record(1000 + i * 0.5); // 1000 .. 51000 ns: under 6 octaves
    expect(h.buckets).toBeLessThanOrEqual(6 * 1024);
    expect(h.count).toBe(100_000);
  });

  it('matches a sorted-array reference within the stated relative error (property)', () => {
    const latency = fc.oneof(
      fc.double({ min: 1e-300, max: 1e10, noNaN: true }), // normal doubles (the error bound's domain)
      fc.integer({ min: 0, max: 200_000 }),
      fc.constantFrom(0, 1606.82, 80_000, 80_133.333333),
    );
    fc.assert(
      fc.property(fc.array(latency, { minLength: 1, maxLength: 400, size: 'max' }), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 5, size: 'max' }), (xs, extra) => {
        const h = new LatencyHistogram();
        for (const x of xs) h.record(x);
        const sorted = [...xs].sort((a, b) => a - b);
        const ps = [...PS, ...extra];
        const got = h.quantiles(ps);
        ps.forEach((p, i) => {
          const want = reference(sorted, p);
          if (!withinError(got[i]!, want)) throw new Error(`p=${p}: got ${got[i]} want ${want}`);
        });
        const s = h.stats();
        expect(s.count).toBe(xs.length);
        expect(s.max_ns).toBe(sorted[sorted.length - 1]);
        expect(s.mean_ns).toBeCloseTo(xs.reduce((a, b) => a + b, 0) / xs.length, 3);
      }),
      { numRuns: 300 },
    );
  });

  it('merging two histograms equals recording everything in one', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1e9, noNaN: true }), { maxLength: 300, size: 'max' }), fc.array(fc.double({ min: 0, max: 1e9, noNaN: true }), { maxLength: 300, size: 'max' }), (a, b) => {
        const ha = new LatencyHistogram();
        const hb = new LatencyHistogram();
        const all = new LatencyHistogram();
        for (const x of a) (ha.record(x), all.record(x));
        for (const x of b) (hb.record(x), all.record(x));
        ha.merge(hb);
        expect(ha.quantiles(PS)).toEqual(all.quantiles(PS));
        expect(ha.count).toBe(all.count);
        expect(ha.max).toBe(all.max);
      }),
    );
  });
});
