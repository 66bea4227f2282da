/** calibrate's verdict on its fits: repeated until stable, poor fits (low R², large spread) refused. */

import { describe, expect, it } from 'vitest';
import type { CodecFit } from '../../../src/calibrate/measure.js';
import { MAX_ROUNDS, fitQuality, pageNs, stable } from '../../../src/calibrate/verdict.js';

const fit = (perByte: number, r2 = 0.99): CodecFit => {
  const line = { fixed: 1000, perByte, r2, throughOrigin: false, points: 5 };
  return { compressor: 'lz4', compress: line, decompress: { ...line, perByte: perByte / 4 }, compressNs: [], decompressNs: [] };
};

describe('calibrate verdict', () => {
  it('a page time is fixed + 4096 x per byte', () => {
    expect(pageNs({ fixed: 1000, perByte: 2 })).toBe(1000 + 8192);
  });

  it('needs three rounds, and stops when their page times agree within 10 %', () => {
    expect(stable([[fit(2)], [fit(2)]])).toBe(false);
    expect(stable([[fit(2)], [fit(2.02)], [fit(1.99)]])).toBe(true);
    // 1000 + 4096 x 2 = 9192 ns against 1000 + 4096 x 3 = 13288 ns: 45 % apart, not stable.
    expect(stable([[fit(2)], [fit(3)], [fit(2)]])).toBe(false);
    expect(stable(Array.from({ length: MAX_ROUNDS }, (_, i) => [fit(i % 2 === 0 ? 2 : 3)]))).toBe(true);
  });

  it('judges R² and spread: R² 0 or a 45 % spread is poor, a tight fit is not', () => {
    const good = fitQuality([[fit(2)], [fit(2.02)], [fit(1.99)]]);
    expect(good.map((q) => q.poor)).toEqual([false, false]);
    // compress: (13288 - 9192) / 9192 = 44.6 %.
    const spread = fitQuality([[fit(2)], [fit(3)], [fit(2)]]);
    expect(spread[0]!.spread).toBeCloseTo((13288 - 9192) / 9192, 9);
    expect(spread[0]!.poor).toBe(true);
    const lowR2 = fitQuality([[fit(2)], [fit(2)], [fit(2, 0)]]);
    expect(lowR2[0]).toMatchObject({ r2: 0, spread: 0, poor: true });
  });
});
