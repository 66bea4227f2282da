/** tmemsim calibrate: the fitter recovers known lines; the profile it writes validates and loads. */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitLine } from '../../../src/calibrate/fit.js';
import { measureCodecs, SIZES } from '../../../src/calibrate/measure.js';
import { calibrationDocument, checkedCalibration } from '../../../src/calibrate/profile.js';
import { calibrationPages } from '../../../src/calibrate/pages.js';
import { profileFromDocument } from '../../../src/profiles/file.js';
import { getProfile } from '../../../src/profiles/registry.js';
import { costModelOf } from '../../../src/cost/model.js';

describe('fitLine', () => {
  it('recovers an exact line with R² = 1', () => {
    const xs = [512, 1024, 2048, 3072, 4096];
    const f = fitLine(xs, xs.map((x) => 1500 + 0.75 * x));
    expect(f.fixed).toBeCloseTo(1500, 9);
    expect(f.perByte).toBeCloseTo(0.75, 12);
    expect(f.r2).toBeCloseTo(1, 12);
    expect(f.throughOrigin).toBe(false);
  });

  it('recovers known coefficients from synthetic timings with bounded noise (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 100, max: 1e6, noNaN: true }),
        fc.double({ min: 0.01, max: 500, noNaN: true }),
        fc.array(fc.double({ min: -0.01, max: 0.01, noNaN: true }), { minLength: 5, maxLength: 5, size: 'max' }),
        (fixed, perByte, noise) => {
          const xs = [...SIZES];
          // Each time off by at most 1 % of the smallest time: the fit must land within a few % of the truth.
          const scale = fixed + perByte * xs[0]!;
          const ys = xs.map((x, i) => fixed + perByte * x + noise[i]! * scale);
          const f = fitLine(xs, ys);
          const err = 0.02 * scale;
          expect(Math.abs(f.fixed + perByte * 0 - fixed)).toBeLessThanOrEqual(err * 3 + 1e-9);
          expect(Math.abs(f.perByte - perByte) * 4096).toBeLessThanOrEqual(err * 3 + 1e-9);
          expect(f.r2).toBeLessThanOrEqual(1 + 1e-12);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never returns a negative fixed cost: refits through the origin', () => {
    const xs = [1000, 2000, 3000, 4000];
    const f = fitLine(xs, [0, 1100, 2100, 3000]); // OLS intercept about -950
    expect(f.fixed).toBe(0);
    expect(f.throughOrigin).toBe(true);
    expect(f.perByte).toBeCloseTo((2000 * 1100 + 3000 * 2100 + 4000 * 3000) / (1000 ** 2 + 2000 ** 2 + 3000 ** 2 + 4000 ** 2), 12);
  });

  it('rejects fits it cannot make', () => {
    expect(() => fitLine([1], [1])).toThrow(RangeError);
    expect(() => fitLine([4, 4], [1, 2])).toThrow(RangeError);
  });
});

describe('measureCodecs with a synthetic clock', () => {
  it('times every size and fits the medians (a clock that says 1 ms per call gives 1 ms fixed, 0 per byte)', () => {
    let t = 0;
    const now = (): number => (t += 1_000_000) - 1_000_000; // every reading 1 ms after the last
    const { pages } = calibrationPages(3, null, 1);
    const [fit] = measureCodecs({ pages, compressors: ['lz4'], now, minBatchNs: 1 });
    expect(fit!.compressNs).toEqual(SIZES.map(() => 1_000_000));
    expect(fit!.compress.fixed).toBeCloseTo(1_000_000, 6);
    expect(fit!.compress.perByte).toBeCloseTo(0, 12);
    expect(fit!.decompress.r2).toBe(1);
  });
});

describe('the calibration profile', () => {
  const base = getProfile('ssd-laptop');
  const line = (fixed: number, perByte: number) => ({ fixed, perByte, r2: 0.99, throughOrigin: false, points: 5 });
  const fits = [{ compressor: 'lz4', compress: line(2000, 2), decompress: line(500, 0.25), compressNs: [1, 2, 3, 4, 10192], decompressNs: [1, 2, 3, 4, 1524] }];
  const input = { fits, base, corpus: 'generated', pages: 3, date: '2026-01-01T00:00:00.000Z' };

  it('converts ns to cycles at the base clock and validates against the schema', () => {
    const doc = checkedCalibration(input) as { codecs: Record<string, { compress: { fixedCycles: number; cyclesPerByte: number }; decompress: { fixedCycles: number } }>; calibration: Record<string, unknown> };
    expect(doc.codecs['lz4']!.compress).toEqual({ fixedCycles: 6000, cyclesPerByte: 6 }); // 3 GHz
    expect(doc.codecs['lz4']!.decompress.fixedCycles).toBe(1500);
    expect(doc.calibration['date']).toBe('2026-01-01T00:00:00.000Z');
    expect(String(doc.calibration['method'])).toContain('OLS');
    expect(doc.calibration['node']).toBe(process.version);
  });

  it('loads as a profile: the fitted codec replaces the base one, the others stay', () => {
    const p = profileFromDocument(JSON.parse(JSON.stringify(calibrationDocument(input))), 'cal.json');
    expect(p.name).toBe('ssd-calibrated');
    const m = costModelOf(p);
    expect(m.compressCycles('lz4', 4096, 2000)).toBeCloseTo(6000 + 6 * 4096, 9);
    expect(m.decompressCycles('lz4', 2000, 4096)).toBeCloseTo(1500 + 0.75 * 4096, 9);
    expect(p.codecs['zstd']).toEqual(base.codecs['zstd']);
  });
});
