/**
 * `sweep --plot DIR`: per workload and profile, the two Pareto frontiers
 * (energy vs mean latency, CPU vs memory saved; every point numbered with a key, the
 * baseline marked) and the pool of every
 * configuration over simulated time.
 */

import type { Series } from '../sim/sampler.js';
import type { SweepResult } from '../sweep/sweep.js';
import { frontierChart, poolChart, type FrontPoint } from './charts.js';
import { ensureDir, writeSvg } from './render.js';

/** The charts, written into `dir`, which is made first (one level at a time) or refused with one line. */
export async function writeSweepPlots(s: SweepResult, series: Map<string, { backend: Series | null; baseline: Series | null }>, dir: string): Promise<string[]> {
  ensureDir(dir);
  return writeSweepPlotsIn(s, series, dir);
}

/** The charts, written into `dir`, a directory that exists (the CLI makes it before the run, to refuse a bad one early). */
export async function writeSweepPlotsIn(s: SweepResult, series: Map<string, { backend: Series | null; baseline: Series | null }>, dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const g of s.groups) {
    const rows = s.rows.filter((r) => r.workload === g.workload && r.profile === g.profile);
    const label = (id: string): string => id.split('/').slice(2).join('/');
    const lat = g.latency_metric;
    const base0 = rows[0]?.metrics;
    if (lat) {
      const pts: FrontPoint[] = rows.map((r) => ({ id: label(r.id), x: r.metrics.energy_uj! / 1000, y: r.metrics[lat]! / 1000, front: r.pareto_energy_latency === true }));
      const baseLat = base0 ? (lat === 'swap_in_mean_ns' ? base0.base_swap_in_mean_ns : base0.base_pagecache_miss_mean_ns) : null;
      const baseline = base0 && base0.base_energy_uj !== null && baseLat !== null ? { x: base0.base_energy_uj / 1000, y: baseLat / 1000 } : null;
      const what = lat === 'swap_in_mean_ns' ? 'mean swap-in latency' : 'mean page-cache-miss latency';
      files.push(await writeSvg(dir, `frontier-energy-latency-${g.workload}-${g.profile}`, frontierChart(`${g.workload} on ${g.profile}: energy vs ${what}`,
        [`Pareto frontier (dashed): no configuration uses less energy with a lower ${what}`, baseline ? 'cross: the same trace with no backend' : 'no baseline pass in this sweep'],
        'energy (mJ)', `${what} (µs)`, pts, baseline)));
    }
    const cm = rows.filter((r) => r.metrics.mean_memory_saved_pages !== null && r.metrics.cpu_ns !== null);
    if (cm.length > 0) {
      const pts: FrontPoint[] = cm.map((r) => ({ id: label(r.id), x: r.metrics.cpu_ns! / 1e6, y: r.metrics.mean_memory_saved_pages!, front: r.pareto_cpu_memory === true }));
      // with no backend nothing is stored: it saves no memory
      const baseline = base0 && base0.base_cpu_ns !== null ? { x: base0.base_cpu_ns / 1e6, y: 0 } : null;
      files.push(await writeSvg(dir, `frontier-cpu-memory-${g.workload}-${g.profile}`, frontierChart(`${g.workload} on ${g.profile}: CPU vs memory saved`,
        ['Pareto frontier (dashed): no configuration saves more memory for less CPU', baseline ? 'cross: the same trace with no backend (saves no memory)' : 'no baseline pass in this sweep'],
        'CPU time (ms)', 'mean memory saved (pages: stored - pool)', pts, baseline)));
    }
    const passes = rows.flatMap((r) => {
      const x = series.get(r.id)?.backend;
      return x ? [{ label: label(r.id), series: x }] : [];
    });
    if (passes.length > 0) files.push(await writeSvg(dir, `pool-${g.workload}-${g.profile}`, poolChart(`${g.workload} on ${g.profile}: backend pool over time`, passes)));
  }
  return files;
}
