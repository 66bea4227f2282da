import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { leastSquares, observations, speedOf } from '../../../validation/guest-cpu.mjs';
import { recordings } from '../../../validation/recordings.mjs';
import { loadProfileFile } from '../../../src/profiles/file.js';
import { readReferences } from '../../../src/validate/reference.js';

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

  it('a recording\'s speed is the one factor that scales the fit onto its phases (speedOf)', () => {
    // Phases made with the fit's own times at 0.6 x, exactly: the factor is 0.6 and R² 1; at 0.6 x
    // with one phase's time doubled the factor rises and R² falls below 1.
    const t = [18e-6, 32e-6];
    const fit = { coef: t };
    const mixes = [[1000, 0], [0, 500], [200, 300], [70, 11]];
    const at = (k: number) => mixes.map((x, i) => ({ where: `p${i}`, x, y: k * x.reduce((s, v, j) => s + v * t[j]!, 0) }));
    const exact = speedOf(fit, at(0.6));
    expect(exact.scale).toBeCloseTo(0.6, 12);
    expect(exact.r2).toBeCloseTo(1, 12);
    const noisy = at(0.6);
    noisy[2] = { ...noisy[2]!, y: noisy[2]!.y * 2 };
    const s = speedOf(fit, noisy);
    expect(s.scale).toBeGreaterThan(0.6);
    expect(s.r2).toBeLessThan(1);
  });

  const ROOT = path.resolve(__dirname, '../../..');
  const refFit = leastSquares(observations(path.join(ROOT, 'validation/references')));

  it('the committed guest profile validation/guest-tcg.json is what the fit of validation/references gives', () => {
    const obs = observations(path.join(ROOT, 'validation/references'));
    expect(obs.length).toBeGreaterThan(50);
    const fit = leastSquares(obs);
    const p = loadProfileFile(path.join(ROOT, 'validation/guest-tcg.json')); // schema-checked, over ssd
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

  // Every other recording (validation/recordings: another session, the same guest; and
  // validation/other-kernels: another kernel) is replayed with the references' figures on its own
  // clock: one factor fitted on its phases.
  const refs = loadProfileFile(path.join(ROOT, 'validation/guest-tcg.json'));
  const all = [...recordings(path.join(ROOT, 'validation/recordings')), ...recordings(path.join(ROOT, 'validation/other-kernels'))];
  it('there are recordings of the references\' kernel and of another', () => {
    expect(all.map((r) => path.basename(path.dirname(r.references)))).toEqual(expect.arrayContaining(['recordings', 'other-kernels']));
  });
  for (const r of all) {
    it(`the committed guest profile of recording ${r.name} is the references' at that recording's speed`, () => {
      const obs = observations(r.references);
      // every phase of every run of every case is an observation (each mark has the guest's /proc/stat)
      const phases = readReferences(r.references).reduce((n, ref) => n + ref.runs.reduce((m, run) => m + run.marks.length - 1, 0), 0);
      expect(obs.length).toBe(phases);
      expect(phases).toBeGreaterThan(40);
      const { scale } = speedOf(refFit, obs);
      expect(scale).toBeGreaterThan(0.2);
      expect(scale).toBeLessThan(5);
      const p = loadProfileFile(r.profile);
      expect(p.cpu.hz.value).toBe(Math.round(1e9 / scale));
      expect(p.mm).toEqual(refs.mm);
      expect(p.codecs).toEqual(refs.codecs);
      expect(p.storage).toEqual(refs.storage);
    });
  }
});
