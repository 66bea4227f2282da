import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { paretoFront } from '../../../src/sweep/pareto.js';
import { breakEvenScale } from '../../../src/analysis/metrics.js';

describe('Pareto frontier', () => {
  it('keeps exactly the points nothing dominates (min x, min y)', () => {
    const pts = [[1, 5], [2, 2], [3, 1], [3, 3], [2, 2], [4, 4], [1, 6]];
    const f = paretoFront(pts.length, { value: (i) => pts[i]![0]!, minimize: true }, { value: (i) => pts[i]![1]!, minimize: true });
    expect(f).toEqual([0, 1, 2, 4]);
  });

  it('maximises where asked and skips points with a missing coordinate', () => {
    const pts: [number, number | null][] = [[1, 10], [2, 20], [3, 15], [0, null]];
    const f = paretoFront(pts.length, { value: (i) => pts[i]![0], minimize: true }, { value: (i) => pts[i]![1], minimize: false });
    expect(f).toEqual([0, 1]);
  });

  it('no frontier point is dominated and every other point is (property)', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 20 })), { minLength: 1, maxLength: 40, size: 'max' }), (pts) => {
      const f = new Set(paretoFront(pts.length, { value: (i) => pts[i]![0], minimize: true }, { value: (i) => pts[i]![1], minimize: true }));
      const dom = (a: [number, number], b: [number, number]): boolean => a[0] <= b[0] && a[1] <= b[1] && (a[0] < b[0] || a[1] < b[1]);
      pts.forEach((p, i) => expect(f.has(i)).toBe(!pts.some((q) => dom(q, p))));
    }));
  });
});

describe('break-even scale', () => {
  it('solves the linear energy model exactly', () => {
    // backend: 300 other + 100 storage; baseline: 100 other + 400 storage.
    // saving(s) = (100 - 300) + s (400 - 100) = 0 at s = 2/3.
    const s = breakEvenScale(100, 400, 400, 500)!;
    expect(s).toBeCloseTo(2 / 3, 12);
  });

  it('is null when the sign never changes at a positive scale', () => {
    expect(breakEvenScale(100, 200, 400, 500)).toBeNull(); // saves at every scale
    expect(breakEvenScale(100, 200, 100, 150)).toBeNull(); // same storage: no crossing
  });
});
