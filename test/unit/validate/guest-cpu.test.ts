import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { codecOf, fitted, leastSquares, observations, speedOf } from '../../../validation/guest-cpu.mjs';
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

  it("a compressor the references lack: its stores' and loads' time from its own phases, the rest priced by the fit at the recording's speed (codecOf)", () => {
    // The nine terms of observations(): fault, reclaim, reclaim_file, store lz4, lzo, zstd, load, file read, disk fault.
    const coef = [18e-6, 29e-6, 10e-6, 43e-6, 87e-6, 225e-6, 112e-6, 16e-6, 190e-6];
    const fit = { coef };
    const s = 0.7;
    const store = 874e-6;
    const load = 133e-6;
    // Phases of a deflate case at 0.7 x the references' time: its own stores and loads, and faults and
    // reclaims the fit prices; the fit's shared load term (x[6]) is not deflate's.
    const mixes = [[30000, 25000, 0, 34000, 0], [36000, 60000, 0, 0, 30000], [18000, 10000, 0, 0, 12000]];
    const obs = mixes.map(([fault, reclaim, , out, inn], i) => {
      const x = [fault!, reclaim!, 0, 0, 0, 0, inn!, 0, 0];
      const y = s * (fault! * coef[0]! + reclaim! * coef[1]! + out! * store + inn! * load);
      return { where: `deflate/p${i}`, x, y, comp: 'deflate', zswpout: out!, zswpin: inn! };
    });
    const f = codecOf(fit, obs, 'deflate', s);
    expect(f.store).toBeCloseTo(store * 1e9, 6);
    expect(f.load).toBeCloseTo(load * 1e9, 6);
    expect(f.phases).toBe(3);
    expect(f.r2).toBeCloseTo(1, 9);
    // Those phases are not the fit's to price: the speed leaves them out.
    expect(obs.some(fitted)).toBe(false);
    expect(fitted({ where: 'lz4/write', x: [], y: 0, comp: 'lz4' })).toBe(true);
    expect(fitted({ where: 'swapin/write', x: [], y: 0, comp: null })).toBe(true);
    expect(() => codecOf(fit, obs, 'lz4hc', s)).toThrow(/no phase of lz4hc/);
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
      // The speed from the phases the references' fit prices whole; a compressor they lack has its own figures.
      const { scale } = speedOf(refFit, obs.filter(fitted));
      expect(scale).toBeGreaterThan(0.2);
      expect(scale).toBeLessThan(5);
      const p = loadProfileFile(r.profile);
      expect(p.cpu.hz.value).toBe(Math.round(1e9 / scale));
      expect(p.mm).toEqual(refs.mm);
      const extra = [...new Set(obs.filter((o) => !fitted(o)).map((o) => o.comp!))];
      // (the references' profile extends ssd, whose codecs it inherits: deflate and lz4hc among them, not the guest's)
      expect(Object.keys(p.codecs).sort()).toEqual([...new Set([...Object.keys(refs.codecs), ...extra])].sort());
      for (const [c, codec] of Object.entries(p.codecs)) {
        if (!extra.includes(c)) {
          expect(codec, c).toEqual(refs.codecs[c]);
          continue;
        }
        const f = codecOf(refFit, obs, c, scale);
        expect(codec.compress.fixedCycles, c).toBe(Math.round(f.store));
        expect(codec.decompress.fixedCycles, c).toBe(Math.round(f.load));
      }
      expect(p.storage).toEqual(refs.storage);
    });
  }
});
