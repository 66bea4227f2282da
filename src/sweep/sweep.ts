/**
 * `sweep`: run every configuration of a grid (or one shard of it) and
 * assemble the result: one row of metrics per configuration, sorted by
 * configuration, and per workload × profile the Pareto frontiers and the
 * break-even statement. The assembled document depends only on the grid and
 * the rows, so shards merged (merge()) give the same bytes as a whole run.
 */

import { metricsOf, roundMetrics, type Metrics } from '../analysis/metrics.js';
import type { Series } from '../sim/sampler.js';
import { UsageError } from '../errors.js';
import { compareConfigs, configId, expandGrid, shardOf, type Shard, type SweepConfig, type SweepGrid } from './grid.js';
import { paretoFront } from './pareto.js';
import { runTasks, type Progress } from './pool.js';
import type { SweepTask } from './task.js';
import * as os from 'node:os';

/**
 * 2: metrics gain swap_in_mean_ns, pagecache_miss_mean_ns,
 * pagecache_miss_p50_ns, base_swap_in_mean_ns, base_pagecache_miss_mean_ns;
 * the energy-latency frontier ranks by mean latency (it was p99, which is the
 * device read time in nearly every configuration).
 */
export const SWEEP_FORMAT = 2;

export interface SweepRow extends SweepConfig {
  id: string;
  /** On the energy vs mean-latency frontier of its workload and profile (null: no latency to rank by). */
  pareto_energy_latency: boolean | null;
  /** On the CPU vs memory-saved frontier of its workload and profile. */
  pareto_cpu_memory: boolean | null;
  metrics: Metrics;
}

/** Per workload and profile: the frontiers and the break-even statement. */
export interface SweepGroup {
  workload: string;
  profile: string;
  configs: number;
  /** Which latency ranks the energy frontier: swap_in_mean_ns, pagecache_miss_mean_ns, or null. */
  latency_metric: 'swap_in_mean_ns' | 'pagecache_miss_mean_ns' | null;
  frontier_energy_latency: string[];
  frontier_cpu_memory: string[];
  /** The configuration using the least energy. */
  best_energy: string | null;
  /** Configurations that save energy over the baseline. */
  saving: number;
  /** One sentence per configuration kind, see breakEvenText(). */
  break_even: string[];
}

export interface SweepResult {
  tool: 'tmemsim';
  kind: 'sweep';
  sweep_format: number;
  grid: SweepGrid;
  /** The shard this document holds, or null for the whole grid. */
  shard: Shard | null;
  configs_total: number;
  rows: SweepRow[];
  groups: SweepGroup[];
  verdict: { stale: number; lost: number };
}

export interface SweepOptions {
  /** Worker threads (default: os.availableParallelism()). */
  jobs?: number;
  shard?: Shard | null;
  /** Time-series points per pass, kept in `series` for plots (0: none). */
  series?: number;
  progress?: Progress;
}

/** A sweep's document and, outside it, the time series of its passes (for plots). */
export interface SweepOutput {
  result: SweepResult;
  series: Map<string, { backend: Series | null; baseline: Series | null }>;
}

export async function runSweep(grid: SweepGrid, o: SweepOptions = {}): Promise<SweepOutput> {
  const all = expandGrid(grid);
  const mine = shardOf(all, o.shard ?? null);
  const points = o.series ?? 0;
  const withBaseline = grid.baseline ?? true;
  const tasks: SweepTask[] = [];
  const baseIndex = new Map<string, number>();
  if (withBaseline) {
    for (const c of mine) {
      const k = `${c.trace}\0${c.profile_file ?? c.profile}`;
      if (!baseIndex.has(k)) {
        baseIndex.set(k, tasks.length);
        tasks.push({ kind: 'baseline', grid, config: c, series: points });
      }
    }
  }
  const first = tasks.length;
  for (const c of mine) tasks.push({ kind: 'backend', grid, config: c, series: points });
  const results = await runTasks(tasks, o.jobs ?? os.availableParallelism(), o.progress);
  const rows: SweepRow[] = [];
  const series: SweepOutput['series'] = new Map();
  mine.forEach((c, i) => {
    const r = results[first + i]!;
    const bi = baseIndex.get(`${c.trace}\0${c.profile_file ?? c.profile}`);
    const base = bi === undefined ? null : results[bi]!;
    const units = { readEnergyUJ: r.readEnergyUJ };
    const id = configId(c);
    rows.push({ id, ...c, pareto_energy_latency: null, pareto_cpu_memory: null, metrics: roundMetrics(metricsOf(r.summary, base?.summary ?? null, r.metricSeries, units)) });
    series.set(id, { backend: r.series, baseline: base?.series ?? null });
  });
  return { result: assemble(grid, rows, o.shard ?? null, all.length), series };
}

/** The document of a set of rows: sorted, frontiers marked, groups and verdict computed. */
export function assemble(grid: SweepGrid, input: SweepRow[], shard: Shard | null, total: number): SweepResult {
  const rows = [...input].sort(compareConfigs).map((r) => ({ ...r, pareto_energy_latency: null as boolean | null, pareto_cpu_memory: null as boolean | null }));
  const groups: SweepGroup[] = [];
  const byGroup = new Map<string, SweepRow[]>();
  for (const r of rows) {
    const k = `${r.workload}\0${r.profile}`;
    const g = byGroup.get(k);
    if (g) g.push(r);
    else byGroup.set(k, [r]);
  }
  for (const g of byGroup.values()) {
    const all = (k: keyof Metrics): boolean => g.every((r) => r.metrics[k] !== null);
    const latency = all('swap_in_mean_ns') ? 'swap_in_mean_ns' : all('pagecache_miss_mean_ns') ? 'pagecache_miss_mean_ns' : null;
    const fe = latency
      ? paretoFront(g.length, { value: (i) => g[i]!.metrics.energy_uj, minimize: true }, { value: (i) => g[i]!.metrics[latency], minimize: true })
      : [];
    const fc = paretoFront(g.length, { value: (i) => g[i]!.metrics.cpu_ns, minimize: true }, { value: (i) => g[i]!.metrics.mean_memory_saved_pages, minimize: false });
    g.forEach((r, i) => {
      r.pareto_energy_latency = latency ? fe.includes(i) : null;
      r.pareto_cpu_memory = r.metrics.mean_memory_saved_pages === null ? null : fc.includes(i);
    });
    let best: SweepRow | null = null;
    for (const r of g) if (best === null || r.metrics.energy_uj! < best.metrics.energy_uj!) best = r;
    groups.push({
      workload: g[0]!.workload,
      profile: g[0]!.profile,
      configs: g.length,
      latency_metric: latency,
      frontier_energy_latency: fe.map((i) => g[i]!.id),
      frontier_cpu_memory: fc.map((i) => g[i]!.id),
      best_energy: best?.id ?? null,
      saving: g.filter((r) => (r.metrics.energy_saved_uj ?? 0) > 0).length,
      break_even: best ? breakEvenText(best) : [],
    });
  }
  let stale = 0;
  let lost = 0;
  for (const r of rows) {
    stale += r.metrics.stale ?? 0;
    lost += r.metrics.lost ?? 0;
  }
  return { tool: 'tmemsim', kind: 'sweep', sweep_format: SWEEP_FORMAT, grid, shard, configs_total: total, rows, groups, verdict: { stale, lost } };
}

const f2 = (x: number): string => (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toPrecision(3));

/**
 * The break-even of one configuration in words (see docs/sweep.md for the
 * derivation): at which scale of the profile's storage energy, and of its CPU
 * energy, the backend's saving over the baseline changes sign.
 */
export function breakEvenText(r: SweepRow): string[] {
  const m = r.metrics;
  if (m.energy_saved_uj === null || m.base_energy_storage_op_uj === null || m.energy_storage_op_uj === null || m.base_energy_cpu_uj === null || m.energy_cpu_uj === null) {
    return ['no baseline pass: no saving or break-even'];
  }
  const saves = m.energy_saved_uj > 0;
  const out: string[] = [];
  const head = `${r.id} ${saves ? 'saves' : 'costs'} ${f2(Math.abs(m.energy_saved_pct ?? 0))} % energy`;
  const avoided = m.base_energy_storage_op_uj - m.energy_storage_op_uj;
  if (m.breakeven_storage_scale === null) {
    out.push(`${head}; at any storage energy per operation it ${saves ? 'saves' : 'costs'} (storage energy ${avoided >= 0 ? 'avoided' : 'added'}: ${f2(Math.abs(avoided) / 1000)} mJ)`);
  } else {
    // saving(s) = (N0 - Nb) + s * avoided: it grows with s when the backend avoids storage energy.
    const s = m.breakeven_storage_scale;
    const up = avoided > 0 ? !saves : saves; // does crossing happen going up?
    const verb = saves ? 'stops saving' : 'starts saving';
    const dir = up ? 'rises above' : 'falls below';
    const read = m.breakeven_read_uj ?? 0;
    out.push(`${head}; it ${verb} when storage energy per operation ${dir} ${f2(s)}× the profile's (a 4 KiB read at ${f2(read)} µJ; the profile's is ${f2(read / s)} µJ)`);
  }
  if (m.breakeven_cpu_scale !== null) {
    // saving(c) = (O0 - Ob) - c * extra: it falls with c when the backend adds CPU energy.
    const extra = m.energy_cpu_uj - m.base_energy_cpu_uj;
    const up = extra > 0 ? saves : !saves;
    out.push(`it ${saves ? 'stops saving' : 'starts saving'} when CPU energy per cycle ${up ? 'rises above' : 'falls below'} ${f2(m.breakeven_cpu_scale)}× the profile's`);
  }
  return out;
}

/**
 * Merge shard documents into the document of the whole grid. Every shard of
 * one grid must be given exactly once.
 */
export function mergeSweeps(parts: { file: string; doc: unknown }[]): SweepResult {
  if (parts.length === 0) throw new UsageError('nothing to merge', {}, 'the JSON outputs of tmemsim sweep --shard k/n --format json');
  const docs = parts.map(({ file, doc }) => checkSweepDoc(file, doc));
  const grid = JSON.stringify(docs[0]!.grid);
  const n = docs[0]!.shard?.count ?? 1;
  const seen = new Set<number>();
  docs.forEach((d, i) => {
    const file = parts[i]!.file;
    if (JSON.stringify(d.grid) !== grid) throw new UsageError('this shard is of another grid than the first file', { file, field: 'grid' }, 'shards of one sweep');
    const k = d.shard?.index ?? 1;
    if ((d.shard?.count ?? 1) !== n) throw new UsageError(`shard count ${d.shard?.count ?? 1} differs from the first file's ${n}`, { file, field: 'shard' });
    if (seen.has(k)) throw new UsageError(`shard ${k}/${n} is given twice`, { file, field: 'shard' });
    seen.add(k);
  });
  const missing = Array.from({ length: n }, (_, i) => i + 1).filter((k) => !seen.has(k));
  if (missing.length > 0) throw new UsageError(`shards ${missing.map((k) => `${k}/${n}`).join(', ')} are missing`, { field: 'shard' }, `all ${n} shards`);
  const rows = docs.flatMap((d) => d.rows);
  if (rows.length !== docs[0]!.configs_total) throw new UsageError(`the shards hold ${rows.length} configurations, the grid ${docs[0]!.configs_total}`, { field: 'rows' });
  return assemble(docs[0]!.grid, rows, null, docs[0]!.configs_total);
}

/** A parsed JSON document that must be a sweep result. */
export function checkSweepDoc(file: string, doc: unknown): SweepResult {
  const d = doc as Partial<SweepResult> | null;
  if (!d || typeof d !== 'object' || d.tool !== 'tmemsim' || d.kind !== 'sweep') {
    throw new UsageError('not a tmemsim sweep result', { file }, 'the JSON of tmemsim sweep --format json');
  }
  if (d.sweep_format !== SWEEP_FORMAT) throw new UsageError(`sweep format ${String(d.sweep_format)} is not supported`, { file, field: 'sweep_format' }, String(SWEEP_FORMAT));
  if (!Array.isArray(d.rows) || typeof d.configs_total !== 'number' || !d.grid) throw new UsageError('a sweep result needs grid, configs_total and rows', { file });
  return d as SweepResult;
}
