/**
 * A sweep group's frontier and least-energy configuration within the
 * uncertainty, on rows built by hand: the energies at the shared sample points
 * are given, and which configuration trades places with which is worked out here.
 */

import { describe, expect, it } from 'vitest';
import { assemble, breakEvenText, type SweepRow } from '../../../src/sweep/sweep.js';
import { METRIC_KEYS, type Metrics } from '../../../src/analysis/metrics.js';
import type { SweepGrid } from '../../../src/sweep/grid.js';

const grid = { workloads: ['w.json'] } as unknown as SweepGrid;

function row(backend: string, energy: number, latency: number, samples: number[] | null, saving: [number, number, number] = [1, -1, 2]): SweepRow {
  const metrics = Object.fromEntries(METRIC_KEYS.map((k) => [k, null])) as unknown as Metrics;
  Object.assign(metrics, { energy_uj: energy, swap_in_mean_ns: latency, cpu_ns: 1, mean_memory_saved_pages: 1, energy_saved_uj: saving[0] });
  return {
    id: `w/p/${backend}/-/-/-`, workload: 'w', trace: 'w.json', profile: 'p', backend, compressor: null, zpool: null, max_pool_percent: null, profile_file: null,
    pareto_energy_latency: null, pareto_cpu_memory: null, metrics,
    uncertainty: samples === null ? null : {
      saving_uj: { point: saving[0], lo: saving[1], hi: saving[2] }, energy_uj: { point: energy, lo: Math.min(energy, ...samples), hi: Math.max(energy, ...samples) },
      sign_flipping: saving[1] < 0 && saving[2] > 0 ? ['storage.writeEnergyUJ'] : [], sign_uncertain: saving[1] < 0 && saving[2] > 0, energy_samples_uj: samples,
    },
  };
}

describe('sweep frontier and least energy within the uncertainty', () => {
  // a: 100 µJ at 10 ns; b: 120 µJ at 5 ns; c: 130 µJ at 10 ns (dominated by a and by b at the point).
  // At sample 1, c (90) beats a (110): a is dominated, c joins; at sample 0 nothing moves.
  const rows = [row('a', 100, 10, [100, 110]), row('b', 120, 5, [120, 125]), row('c', 130, 10, [130, 90])];

  it('names the member that drops off with who beats it, and the one that joins with who dominates it at the point', () => {
    const g = assemble(grid, rows, null, 3).groups[0]!;
    expect(g.frontier_energy_latency).toEqual(['w/p/a/-/-/-', 'w/p/b/-/-/-']);
    expect(g.frontier_uncertain).toEqual([
      { id: 'w/p/a/-/-/-', on_frontier: true, within: ['w/p/c/-/-/-'] },
      { id: 'w/p/c/-/-/-', on_frontier: false, within: ['w/p/a/-/-/-', 'w/p/b/-/-/-'] },
    ]);
    expect(g.best_energy).toBe('w/p/a/-/-/-');
    expect(g.best_energy_robust).toBe(false);
    expect(g.best_energy_rivals).toEqual(['w/p/c/-/-/-']);
  });

  it('says nothing moves when every sample keeps the order', () => {
    const g = assemble(grid, [row('a', 100, 10, [100, 50]), row('b', 120, 5, [120, 60]), row('c', 130, 10, [130, 70])], null, 3).groups[0]!;
    expect(g.frontier_uncertain).toEqual([]);
    expect(g.best_energy_robust).toBe(true);
    expect(g.best_energy_rivals).toEqual([]);
  });

  it('makes no robustness claim without samples (no baseline pass)', () => {
    const g = assemble(grid, [row('a', 100, 10, null), row('b', 120, 5, null)], null, 2).groups[0]!;
    expect(g.frontier_uncertain).toEqual([]);
    expect(g.best_energy_robust).toBeNull();
  });

  it('the break-even says when the saving\'s interval spans zero, naming the sign-flippers', () => {
    const r = row('a', 100, 10, [100], [14_000, -327_000, 395_000]);
    Object.assign(r.metrics, { energy_saved_pct: 3, base_energy_storage_op_uj: 10, energy_storage_op_uj: 5, base_energy_cpu_uj: 1, energy_cpu_uj: 2 });
    expect(breakEvenText(r).at(-1)).toBe("over the profile's ranges the saving is 14.000 [-327.000 .. 395.000] mJ: the break-even is within the uncertainty, the sign is NOT settled; constants that can flip it alone: storage.writeEnergyUJ");
    const settled = row('a', 100, 10, [100], [14_000, 2_000, 30_000]);
    Object.assign(settled.metrics, { energy_saved_pct: 3, base_energy_storage_op_uj: 10, energy_storage_op_uj: 5, base_energy_cpu_uj: 1, energy_cpu_uj: 2 });
    expect(breakEvenText(settled).at(-1)).toBe("over the profile's ranges the saving is 14.000 [2.000 .. 30.000] mJ: the sign holds over the ranges");
  });
});
