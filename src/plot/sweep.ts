/**
 * `sweep --plot DIR`: per workload and profile, the two Pareto frontiers
 * (energy vs p99 latency, CPU vs memory saved) and the pool of every
 * configuration over simulated time.
 */

import type { Series } from '../sim/sampler.js';
import type { SweepResult } from '../sweep/sweep.js';
import { frontierChart, poolChart, type FrontPoint } from './charts.js';
import { ensureDir, writeSvg } from './render.js';

export async function writeSweepPlots(s: SweepResult, series: Map<string, { backend: Series | null; baseline: Series | null }>, dir: string): Promise<string[]> {
  ensureDir(dir);
  const files: string[] = [];
  for (const g of s.groups) {
    const rows = s.rows.filter((r) => r.workload === g.workload && r.profile === g.profile);
    const label = (id: string): string => id.split('/').slice(2).join('/');
    const lat = g.latency_metric;
    if (lat) {
      const pts: FrontPoint[] = rows.map((r) => ({ id: label(r.id), x: r.metrics.energy_uj! / 1000, y: r.metrics[lat]! / 1000, front: r.pareto_energy_latency === true }));
      files.push(await writeSvg(dir, `frontier-energy-latency-${g.workload}-${g.profile}`, frontierChart(`${g.workload} on ${g.profile}: energy vs latency`, 'Pareto frontier (red): no configuration uses less energy with a lower p99',
        'energy (mJ)', lat === 'swap_in_p99_ns' ? 'p99 swap-in latency (µs)' : 'p99 page-cache-miss latency (µs)', pts)));
    }
    const cm = rows.filter((r) => r.metrics.mean_memory_saved_pages !== null && r.metrics.cpu_ns !== null);
    if (cm.length > 0) {
      const pts: FrontPoint[] = cm.map((r) => ({ id: label(r.id), x: r.metrics.cpu_ns! / 1e6, y: r.metrics.mean_memory_saved_pages!, front: r.pareto_cpu_memory === true }));
      files.push(await writeSvg(dir, `frontier-cpu-memory-${g.workload}-${g.profile}`, frontierChart(`${g.workload} on ${g.profile}: CPU vs memory saved`, 'Pareto frontier (red): no configuration saves more memory for less CPU',
        'CPU time (ms)', 'mean memory saved (pages: stored - pool)', pts)));
    }
    const passes = rows.flatMap((r) => {
      const x = series.get(r.id)?.backend;
      return x ? [{ label: label(r.id), series: x }] : [];
    });
    if (passes.length > 0) files.push(await writeSvg(dir, `pool-${g.workload}-${g.profile}`, poolChart(`${g.workload} on ${g.profile}: backend pool over time`, passes)));
  }
  return files;
}
