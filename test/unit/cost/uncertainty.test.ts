/** Uncertainty of a run's figures over the profile's ranges, worked by hand on constructed charges. */

import { describe, expect, it } from 'vitest';
import { energyOf } from '../../../src/cost/energy.js';
import { zeroTotals, type CostTotals } from '../../../src/cost/meter.js';
import { constantsOf, energyAtPoints, reprice, samplePoints, sharedConstants, SWEEP_SAMPLES, uncertaintyOf, withValues } from '../../../src/cost/uncertainty.js';
import * as lib from '../../../src/index.js';
import type { Profile } from '../../../src/profiles/profile.js';
import { getProfile } from '../../../src/profiles/registry.js';
import type { PassSummary } from '../../../src/sim/summary.js';

const pass = (cost: Partial<CostTotals>, simNs = 1e9): PassSummary => ({ cost: { ...zeroTotals(), ...cost }, sim_time_ns: simNs }) as unknown as PassSummary;

/** A small profile: 1 GHz, 1 W, reads 100 µs / 50 µJ, idle 0 W, no DRAM energy; only the CPU power and the codec have ranges. */
function tiny(powerRange: [number, number]): Profile {
  const base = getProfile('mobile-ufs');
  const q = JSON.parse(JSON.stringify(base)) as Profile;
  const strip = (o: unknown): void => {
    if (o && typeof o === 'object') {
      delete (o as Record<string, unknown>)['range'];
      for (const v of Object.values(o)) strip(v);
    }
  };
  strip(q);
  q.cpu.hz.value = 1e9;
  q.cpu.activePowerW = { value: 1, source: 'test', range: { lo: powerRange[0], hi: powerRange[1], source: 'test' } };
  q.storage.readLatencyUs.value = 100;
  q.storage.readEnergyUJ.value = 50;
  q.storage.idlePowerW.value = 0;
  delete q.storage.powerStates; // idle at 0 W whenever idle
  q.dramEnergyNJPerByte.value = 0;
  q.codecs = { lz4: { compress: { fixedCycles: 0, cyclesPerByte: 10 }, decompress: { fixedCycles: 0, cyclesPerByte: 1 }, source: 'test', range: { lo: 0.5, hi: 2, source: 'test' } } };
  return q;
}

describe('uncertainty', () => {
  it('re-pricing under the same profile gives the pass energy', () => {
    const p = getProfile('mobile-ufs');
    const t = { ...zeroTotals(), cpuCycles: 4e6, compressCycles: 3e6, metaCycles: 1e6, cpuNs: 2e6, swapReads: 7, swapReadOps: 7, dramBytes: 1e5 };
    const r = reprice(pass(t), p, new Map(), 'lz4');
    expect(r.cpu_ns).toBeCloseTo(2e6, 6);
    expect(r.energy.total_uj).toBeCloseTo(energyOf(t, p, 1e9).total_uj, 6);
  });

  it('moves codec cycles, clock and power as a hand computation does', () => {
    const p = tiny([0.5, 1.5]);
    // Backend: 1e6 codec cycles (1 ms at 1 GHz) + 1e6 other cycles; baseline: 100 reads (50 µJ each) and nothing else.
    const backend = pass({ cpuCycles: 2e6, compressCycles: 1e6, metaCycles: 1e6, cpuNs: 2e6 });
    const baseline = pass({ swapReads: 100, swapReadOps: 100 });
    const vals = new Map([['codecs.lz4', 2], ['cpu.activePowerW', 1.5]]);
    const q = withValues(p, vals);
    expect(q.codecs['lz4']!.compress.cyclesPerByte).toBe(20);
    expect(q.cpu.activePowerW.value).toBe(1.5);
    // The profile moved from is left as it was.
    expect(p.codecs['lz4']!.compress.cyclesPerByte).toBe(10);
    expect(p.cpu.activePowerW.value).toBe(1);
    // 3e6 cycles at 1 GHz = 3 ms x 1.5 W = 4500 µJ.
    expect(reprice(backend, p, vals, 'lz4').energy.cpu_uj).toBeCloseTo(4500, 6);
    const u = uncertaintyOf(backend, baseline, p, 'lz4');
    // Point: baseline 100 x 50 = 5000 µJ (no CPU charged in these constructed charges); backend 2 ms x 1 W = 2000 µJ.
    expect(u.saving_uj.point).toBeCloseTo(5000 - 2000, 6);
    const codec = u.tornado.find((b) => b.constant === 'codecs.lz4')!;
    expect(codec.saving_at_lo_uj).toBeCloseTo(5000 - 1500, 6); // 0.5e6 + 1e6 cycles
    expect(codec.saving_at_hi_uj).toBeCloseTo(5000 - 3000, 6);
    // Exact bounds over the corners (power 0.5 or 1.5 W, codec factor 0.5 or 2):
    // saving = 5000 - P x (k x 1 ms + 1 ms) in µJ (1 W for 1 ms = 1000 µJ).
    const s = (P: number, k: number): number => 5000 - P * 1000 * (k + 1);
    const corners = [s(0.5, 0.5), s(0.5, 2), s(1.5, 0.5), s(1.5, 2)];
    expect(u.saving_uj.lo).toBeCloseTo(Math.min(...corners), 6);
    expect(u.saving_uj.hi).toBeCloseTo(Math.max(...corners), 6);
    expect(u.method.exact).toBe(true);
  });

  it('finds the exact extremes of the saving and of the storage energy over a dense grid of four constants, worked in the test', () => {
    // Only CPU power, read energy, read latency and idle power move; the rest is fixed (tiny strips every other range).
    const p = tiny([0.5, 2]);
    delete (p.codecs['lz4'] as { range?: unknown }).range;
    p.storage.readEnergyUJ = { value: 50, source: 'test', range: { lo: 20, hi: 150, source: 'test' } };
    p.storage.readLatencyUs = { value: 100, source: 'test', range: { lo: 60, hi: 250, source: 'test' } };
    p.storage.idlePowerW = { value: 0.005, source: 'test', range: { lo: 0.001, hi: 0.02, source: 'test' } };
    const simNs = 2e9;
    // Backend: 30 ms of CPU at 1 GHz and 40 one-page reads; baseline: 1 ms of CPU and 900 one-page reads.
    const backend = pass({ cpuCycles: 3e7, metaCycles: 3e7, cpuNs: 3e7, swapReads: 40, swapReadOps: 40 }, simNs);
    const baseline = pass({ cpuCycles: 1e6, metaCycles: 1e6, cpuNs: 1e6, swapReads: 900, swapReadOps: 900 }, simNs);
    // The model, by hand: CPU ms x W + reads x E4k + idle W x (sim - reads x L4k), in µJ.
    const energy = (cpuNs: number, reads: number, P: number, E: number, L: number, I: number): { total: number; storage: number } => {
      const storage = reads * E + ((simNs - reads * L * 1000) / 1e9) * I * 1e6;
      return { total: (cpuNs / 1e9) * P * 1e6 + storage, storage };
    };
    const grid = (lo: number, hi: number): number[] => Array.from({ length: 9 }, (_, k) => lo + ((hi - lo) * k) / 8);
    const savings: number[] = [];
    const storage: number[] = [];
    for (const P of grid(0.5, 2))
      for (const E of grid(20, 150))
        for (const L of grid(60, 250))
          for (const I of grid(0.001, 0.02)) {
            const b = energy(3e7, 40, P, E, L, I);
            savings.push(energy(1e6, 900, P, E, L, I).total - b.total);
            storage.push(b.storage);
          }
    const u = uncertaintyOf(backend, baseline, p, 'lz4');
    expect(u.method.constants).toBe(4);
    expect(u.method.exact).toBe(true);
    const near = (x: number, y: number): void => expect(Math.abs(x - y)).toBeLessThan(1e-9 * (1 + Math.abs(y)));
    near(u.saving_uj.point, energy(1e6, 900, 1, 50, 100, 0.005).total - energy(3e7, 40, 1, 50, 100, 0.005).total);
    near(u.saving_uj.lo, Math.min(...savings));
    near(u.saving_uj.hi, Math.max(...savings));
    near(u.backend.storage_uj.lo, Math.min(...storage));
    near(u.backend.storage_uj.hi, Math.max(...storage));
  });

  it('is deterministic and ranks the moving constants of a built-in profile', () => {
    const p = getProfile('mobile-ufs');
    const backend = pass({ cpuCycles: 5e8, compressCycles: 3e8, decompressCycles: 1e8, copyCycles: 1e7, ioCycles: 2e6, metaCycles: 8.8e7, cpuNs: 2.5e8, swapReads: 100, swapReadOps: 100, swapWrites: 200, swapWriteOps: 10, dramBytes: 1e7 }, 2e10);
    const baseline = pass({ cpuCycles: 4e7, ioCycles: 4e7, cpuNs: 2e7, swapReads: 2000, swapReadOps: 2000, swapWrites: 2000, swapWriteOps: 2000, dramBytes: 1e7 }, 2e10);
    const u = uncertaintyOf(backend, baseline, p, 'lz4', 7);
    expect(u.tornado.length).toBeGreaterThan(5);
    for (let i = 1; i < u.tornado.length; i++) expect(u.tornado[i]!.swing_uj).toBeLessThanOrEqual(u.tornado[i - 1]!.swing_uj);
    expect(uncertaintyOf(backend, baseline, p, 'lz4', 7)).toEqual(u);
  });

  it('names a constant whose range spans the break-even as sign-flipping, and not one whose range does not', () => {
    // The backend's CPU is 10e6 cycles = 10 ms: saving = 5000 - P x 10000 µJ, break-even at P = 0.5 W.
    const backend = pass({ cpuCycles: 10e6, compressCycles: 1e6, metaCycles: 9e6, cpuNs: 10e6 });
    const baseline = pass({ swapReads: 100, swapReadOps: 100 });
    const spans = uncertaintyOf(backend, baseline, tiny([0.3, 1.5]), 'lz4');
    expect(spans.saving_uj.point).toBeCloseTo(5000 - 10000, 6);
    expect(spans.tornado.find((b) => b.constant === 'cpu.activePowerW')!.saving_at_lo_uj).toBeCloseTo(5000 - 3000, 6);
    expect(spans.sign_flipping).toContain('cpu.activePowerW');
    expect(spans.sign_uncertain).toBe(true);
    const narrow = uncertaintyOf(backend, baseline, tiny([0.9, 1.1]), 'lz4');
    expect(narrow.sign_flipping).not.toContain('cpu.activePowerW');
  });

  it('is the library\'s uncertaintyOf (docs/model.md offers it)', () => {
    expect(lib.uncertaintyOf).toBe(uncertaintyOf);
  });

  it('lists every ranged constant of a built-in profile', () => {
    const paths = constantsOf(getProfile('mobile-ufs'), 'lz4').map((c) => c.path);
    for (const k of ['cpu.activePowerW', 'codecs.lz4', 'storage.readEnergyUJ', 'storage.seqWriteMBps', 'blockIo.irqCycles', 'dramEnergyNJPerByte']) expect(paths).toContain(k);
    // The other clusters' figures price nothing in a run on the tmem cluster.
    expect(paths.filter((x) => x.startsWith('clusters.'))).toEqual([]);
    for (const c of constantsOf(getProfile('mobile-ufs'), 'lz4')) {
      expect(c.range.lo).toBeLessThanOrEqual(c.value);
      expect(c.range.hi).toBeGreaterThanOrEqual(c.value);
    }
  });

  it("a sweep's shared sample: every codec's factor, each constant's two ends first, the same points for every seed-1 caller, priced as reprice prices", () => {
    const p = getProfile('mobile-ufs');
    const cs = sharedConstants(p);
    for (const name of Object.keys(p.codecs)) expect(cs.some((c) => c.path === `codecs.${name}`)).toBe(true);
    const pts = samplePoints(cs, 1);
    expect(pts).toHaveLength(2 * cs.length + 2 * SWEEP_SAMPLES);
    expect([...pts[0]!]).toEqual([[cs[0]!.path, cs[0]!.range.lo]]);
    expect([...pts[1]!]).toEqual([[cs[0]!.path, cs[0]!.range.hi]]);
    expect(samplePoints(cs, 1)).toEqual(pts);
    for (const m of pts) for (const c of cs) if (m.has(c.path)) expect(m.get(c.path)!).toBeGreaterThanOrEqual(c.range.lo), expect(m.get(c.path)!).toBeLessThanOrEqual(c.range.hi);
    const s = pass({ cpuCycles: 3e6, compressCycles: 2e6, cpuNs: 1.5e6, swapReads: 10, swapReadOps: 10, dramBytes: 4e4 });
    const e = energyAtPoints(s, p, pts, 'lz4');
    pts.forEach((m, k) => expect(e[k]).toBeCloseTo(reprice(s, p, m, 'lz4').energy.total_uj, 6));
    // a zstd factor does not move an lz4 pass
    const z = cs.findIndex((c) => c.path === 'codecs.zstd');
    expect(e[2 * z]).toBeCloseTo(reprice(s, p, new Map(), 'lz4').energy.total_uj, 6);
  });
});
