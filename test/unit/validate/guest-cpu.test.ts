import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { leastSquares, observations } from '../../../validation/guest-cpu.mjs';
import { loadProfileFile } from '../../../src/profiles/file.js';

describe('the validation guest\'s CPU, fitted from its references (validation/guest-cpu.mjs)', () => {
  it('least squares recovers per-operation times from phases made with them', () => {
    // Three kinds of operation at 18, 32 and 35 µs; phases of different mixes, exact.
    const t = [18e-6, 32e-6, 35e-6];
    const mixes = [[1000, 0, 0], [0, 500, 0], [200, 300, 400], [7, 11, 13], [1000, 1000, 0]];
    const obs = mixes.map((x, i) => ({ where: `p${i}`, x, y: x.reduce((s, v, j) => s + v * t[j]!, 0) }));
    const fit = leastSquares(obs);
    fit.coef.forEach((c, i) => expect(c).toBeCloseTo(t[i]!, 12));
    expect(fit.r2).toBeCloseTo(1, 12);
  });

  // The references' guest, and another recording's (validation/recordings: another day, its own CPU).
  for (const [refs, profile] of [['validation/references', 'validation/guest-tcg.json'], ['validation/recordings/2026-12-05', 'validation/recordings/2026-12-05.guest-tcg.json']] as const) {
    it(`the committed guest profile ${profile} is what the fit of ${refs} gives`, () => {
      const obs = observations(path.resolve(__dirname, '../../..', refs));
      expect(obs.length).toBeGreaterThan(50);
      const fit = leastSquares(obs);
      const p = loadProfileFile(path.resolve(__dirname, '../../..', profile)); // schema-checked, over ssd
      // terms: fault, reclaim (anonymous), reclaim (page cache), store lz4, lzo, zstd, load, file
      // read, disk fault (seconds per operation); the profile in ns (the file read is not in it)
      expect(p.mm?.faultCycles?.value).toBe(Math.round(fit.coef[0]! * 1e9));
      expect(p.mm?.reclaimCycles?.value).toBe(Math.round(fit.coef[1]! * 1e9));
      expect(p.mm?.reclaimFileCycles?.value).toBe(Math.round(fit.coef[2]! * 1e9));
      expect(p.codecs.lz4!.compress.fixedCycles).toBe(Math.round(fit.coef[3]! * 1e9));
      expect(p.codecs.zstd!.compress.fixedCycles).toBe(Math.round(fit.coef[5]! * 1e9));
      expect(p.codecs.lzo!.decompress.fixedCycles).toBe(Math.round(fit.coef[6]! * 1e9));
      expect(p.mm?.swapinIoCycles?.value).toBe(Math.round(fit.coef[8]! * 1e9));
      expect(p.cpu.hz.value).toBe(1e9);
      expect(p.storage.name).toBe('NVMe SSD'); // the devices are ssd's
    });
  }
});
