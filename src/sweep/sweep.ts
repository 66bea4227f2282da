/**
 * `sweep`: run every configuration of a grid (or one shard of it) and
 * assemble the result: one row of metrics per configuration, sorted by
 * configuration, and per workload × profile the Pareto frontiers and the
 * break-even statement. The assembled document depends only on the grid and
 * the rows, so shards merged (merge()) give the same bytes as a whole run.
 */

import { metricsOf, roundMetrics, type Metrics } from '../analysis/metrics.js';
import { energyAtPoints, samplePoints, sharedConstants, uncertaintyOf, type Interval } from '../cost/uncertainty.js';
import { round } from '../report/model.js';
import type { Series } from '../sim/sampler.js';
import { UsageError } from '../errors.js';
import { checkDocument } from '../analysis/documents.js';
import { compareConfigs, configId, expandGrid, shardOf, type Shard, type SweepConfig, type SweepGrid } from './grid.js';
import { paretoFront } from './pareto.js';
import { runTasks, type Progress } from './pool.js';
import type { SweepTask, TaskResult } from './task.js';
import * as os from 'node:os';

/**
 * 2: metrics gain swap_in_mean_ns, pagecache_miss_mean_ns,
 * pagecache_miss_p50_ns, base_swap_in_mean_ns, base_pagecache_miss_mean_ns;
 * the energy-latency frontier ranks by mean latency (it was p99, which is the
 * device read time in nearly every configuration).
 * 3: rows gain `uncertainty` (the saving over the profile's ranges and the
 * energy at the group's shared sample of them); groups gain
 * `frontier_uncertain`, `best_energy_robust` and `best_energy_rivals`.
 */
export const SWEEP_FORMAT = 3;

export interface SweepRow extends SweepConfig {
  id: string;
  /** On the energy vs mean-latency frontier of its workload and profile (null: no latency to rank by). */
  pareto_energy_latency: boolean | null;
  /** On the CPU vs memory-saved frontier of its workload and profile. */
  pareto_cpu_memory: boolean | null;
  metrics: Metrics;
  /** The uncertainty of its energy over the profile's ranges (src/cost/uncertainty.ts), or null with no baseline pass. */
  uncertainty: RowUncertainty | null;
}

/** A sweep row's uncertainty: the run report's model, and the energy at the points its group shares. */
interface RowUncertainty {
  /** Energy saved against the baseline, µJ, over every corner of the ranges and seeded points (uncertaintyOf). */
  saving_uj: Interval;
  energy_uj: Interval;
  /** The constants that alone can flip the sign of the saving. */
  sign_flipping: string[];
  sign_uncertain: boolean;
  /**
   * The energy (µJ) at each point of the group's shared sample of the ranges
   * (samplePoints over sharedConstants, seed 1): the same points for every
   * configuration of the workload and profile, so two rows compare point by point.
   */
  energy_samples_uj: number[];
}

/** A configuration whose place on the energy frontier changes somewhere within the ranges. */
interface FrontierUncertain {
  id: string;
  /** On the frontier at the profile's values. */
  on_frontier: boolean;
  /** A member: the configurations that dominate it at some sampled point; not a member: the members that dominate it at the profile's values. */
  within: string[];
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
  /** Configurations whose energy-frontier membership differs at some sampled point of the ranges (empty: robust, or no samples). */
  frontier_uncertain: FrontierUncertain[];
  /** best_energy uses the least energy at every sampled point too (null: no samples). */
  best_energy_robust: boolean | null;
  /** Configurations that use the least energy at some sampled point instead of best_energy. */
  best_energy_rivals: string[];
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

interface SweepOptions {
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
    const metrics = roundMetrics(metricsOf(r.summary, base?.summary ?? null, r.metricSeries, units));
    rows.push({ id, ...c, pareto_energy_latency: null, pareto_cpu_memory: null, metrics, uncertainty: base && r.summary.backend_loaded ? rowUncertainty(r, base) : null });
    series.set(id, { backend: r.series, baseline: base?.series ?? null });
  });
  return { result: assemble(grid, rows, o.shard ?? null, all.length), series };
}

/** The uncertainty of a backend pass against its baseline, rounded as reports round (3 decimals of a µJ). */
function rowUncertainty(r: TaskResult, base: TaskResult): RowUncertainty {
  const u = uncertaintyOf(r.summary, base.summary, r.profile, r.compressor, 1);
  const points = samplePoints(sharedConstants(r.profile), 1);
  const ri = (x: Interval): Interval => ({ point: round(x.point, 3), lo: round(x.lo, 3), hi: round(x.hi, 3) });
  return {
    saving_uj: ri(u.saving_uj),
    energy_uj: ri(u.backend.energy_uj),
    sign_flipping: u.sign_flipping,
    sign_uncertain: u.sign_uncertain,
    energy_samples_uj: energyAtPoints(r.summary, r.profile, points, r.compressor).map((e) => round(e, 3)),
  };
}

/**
 * Where the energy frontier and the least-energy configuration are within
 * the uncertainty: the frontier is found again at each point of the group's
 * shared sample (the latency held at the point run's, as the uncertainty model
 * holds the schedule), and a configuration whose membership changes at some
 * point is named with the configurations it trades places with.
 */
function robustness(g: SweepRow[], latency: 'swap_in_mean_ns' | 'pagecache_miss_mean_ns' | null, fe: number[]): Pick<SweepGroup, 'frontier_uncertain' | 'best_energy_robust' | 'best_energy_rivals'> & { best: number } {
  let best = -1;
  for (let i = 0; i < g.length; i++) if (best < 0 || g[i]!.metrics.energy_uj! < g[best]!.metrics.energy_uj!) best = i;
  const n = g[0]?.uncertainty?.energy_samples_uj.length ?? 0;
  if (n === 0 || g.some((r) => r.uncertainty === null || r.uncertainty.energy_samples_uj.length !== n)) return { frontier_uncertain: [], best_energy_robust: null, best_energy_rivals: [], best };
  const at = (i: number, k: number): number => g[i]!.uncertainty!.energy_samples_uj[k]!;
  const within = g.map(() => new Set<number>());
  const changes = g.map(() => false);
  const rivals = new Set<number>();
  const lat = (i: number): number | null => (latency ? g[i]!.metrics[latency] : null);
  const dominates = (j: number, i: number, k: number): boolean => {
    const xj = at(j, k), xi = at(i, k), yj = lat(j)!, yi = lat(i)!;
    return xj <= xi && yj <= yi && (xj < xi || yj < yi);
  };
  for (let k = 0; k < n; k++) {
    let b = 0;
    for (let i = 1; i < g.length; i++) if (at(i, k) < at(b, k)) b = i;
    if (b !== best && at(b, k) < at(best, k)) rivals.add(b);
    if (!latency) continue;
    const front = new Set(paretoFront(g.length, { value: (i) => at(i, k), minimize: true }, { value: lat, minimize: true }));
    for (let i = 0; i < g.length; i++) {
      if (front.has(i) === fe.includes(i)) continue;
      changes[i] = true;
      if (fe.includes(i)) for (let j = 0; j < g.length; j++) if (j !== i && dominates(j, i, k)) within[i]!.add(j);
    }
  }
  const pointDominators = (i: number): number[] => fe.filter((j) => j !== i && lat(j)! <= lat(i)! && g[j]!.metrics.energy_uj! <= g[i]!.metrics.energy_uj!);
  const frontier_uncertain: FrontierUncertain[] = [];
  g.forEach((r, i) => {
    if (!changes[i]) return;
    const on = fe.includes(i);
    const w = on ? [...within[i]!] : pointDominators(i);
    frontier_uncertain.push({ id: r.id, on_frontier: on, within: w.sort((a, b) => a - b).map((j) => g[j]!.id) });
  });
  return { frontier_uncertain, best_energy_robust: rivals.size === 0, best_energy_rivals: [...rivals].sort((a, b) => a - b).map((j) => g[j]!.id), best };
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
    const rob = robustness(g, latency, fe);
    const best: SweepRow | null = rob.best >= 0 ? g[rob.best]! : null;
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
      frontier_uncertain: rob.frontier_uncertain,
      best_energy_robust: rob.best_energy_robust,
      best_energy_rivals: rob.best_energy_rivals,
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
  const u = r.uncertainty;
  if (u) {
    const mj = (x: number): string => (x / 1000).toFixed(3);
    const s = u.saving_uj;
    const flips = u.sign_flipping.length > 0 ? `; constants that can flip it alone: ${u.sign_flipping.join(', ')}` : u.sign_uncertain ? '; no constant flips it alone, only in combination' : '';
    out.push(`over the profile's ranges the saving is ${mj(s.point)} [${mj(s.lo)} .. ${mj(s.hi)}] mJ: ${u.sign_uncertain ? 'the break-even is within the uncertainty, the sign is NOT settled' : 'the sign holds over the ranges'}${flips}`);
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

/** A parsed JSON document that must be a sweep result (schema/sweep-result.schema.json). */
function checkSweepDoc(file: string, doc: unknown): SweepResult {
  const d = doc as Partial<SweepResult> | null;
  if (!d || typeof d !== 'object' || Array.isArray(d) || d.tool !== 'tmemsim' || d.kind !== 'sweep') {
    throw new UsageError('not a tmemsim sweep result', { file }, 'the JSON of tmemsim sweep --format json');
  }
  checkDocument('sweep', file, d);
  return d as SweepResult;
}
