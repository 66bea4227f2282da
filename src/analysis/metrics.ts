/**
 * One configuration's figures as a flat record of named numbers: what a
 * sweep tabulates, what compare checks against a baseline, what the Pareto
 * frontier and the break-even points are computed from. Every key is always
 * present, in this order; a figure that does not apply (no baseline pass, no
 * latency model) is null.
 */

import { deltaOf, round } from '../report/model.js';
import type { PassSummary } from '../sim/summary.js';
import type { Series } from '../sim/sampler.js';

export const METRIC_KEYS = [
  'compression_ratio',
  'pool_density',
  'frontswap_load_hit',
  'cleancache_get_hit',
  'pagecache_hit',
  'stored_pages',
  'peak_pool_pages',
  'mean_memory_saved_pages',
  'cpu_ns',
  'energy_uj',
  'energy_cpu_uj',
  'energy_storage_uj',
  'energy_storage_op_uj',
  'energy_dram_uj',
  'energy_network_uj',
  'swap_io',
  'fs_reads',
  'sim_time_ns',
  'swap_in_mean_ns',
  'swap_in_p50_ns',
  'swap_in_p99_ns',
  'pagecache_miss_mean_ns',
  'pagecache_miss_p50_ns',
  'pagecache_miss_p99_ns',
  'base_energy_uj',
  'base_energy_cpu_uj',
  'base_energy_storage_uj',
  'base_energy_storage_op_uj',
  'base_cpu_ns',
  'base_swap_io',
  'base_swap_in_mean_ns',
  'base_swap_in_p99_ns',
  'base_pagecache_miss_mean_ns',
  'energy_saved_uj',
  'energy_saved_pct',
  'cpu_saved_ns',
  'swap_io_avoided',
  'breakeven_storage_scale',
  'breakeven_read_uj',
  'breakeven_cpu_scale',
  'stale',
  'lost',
] as const;

export type MetricKey = (typeof METRIC_KEYS)[number];
export type Metrics = Record<MetricKey, number | null>;

/**
 * Which way each metric is better, for compare. Pages stored and memory
 * saved: more is better (more of the workload's memory offloaded); pool
 * pageframes: fewer. A break-even on storage energy is the per-operation
 * energy below which the backend stops saving (it saves by avoiding device
 * operations): lower is better. One on CPU energy is the scale above which
 * it stops saving (it costs CPU): higher is better. The base_* figures are
 * the no-backend pass, read like the backend's.
 */
export const METRIC_BETTER: Record<MetricKey, 'higher' | 'lower'> = {
  compression_ratio: 'higher',
  pool_density: 'higher',
  frontswap_load_hit: 'higher',
  cleancache_get_hit: 'higher',
  pagecache_hit: 'higher',
  stored_pages: 'higher',
  peak_pool_pages: 'lower',
  mean_memory_saved_pages: 'higher',
  cpu_ns: 'lower',
  energy_uj: 'lower',
  energy_cpu_uj: 'lower',
  energy_storage_uj: 'lower',
  energy_storage_op_uj: 'lower',
  energy_dram_uj: 'lower',
  energy_network_uj: 'lower',
  swap_io: 'lower',
  fs_reads: 'lower',
  sim_time_ns: 'lower',
  swap_in_mean_ns: 'lower',
  swap_in_p50_ns: 'lower',
  swap_in_p99_ns: 'lower',
  pagecache_miss_mean_ns: 'lower',
  pagecache_miss_p50_ns: 'lower',
  pagecache_miss_p99_ns: 'lower',
  base_energy_uj: 'lower',
  base_energy_cpu_uj: 'lower',
  base_energy_storage_uj: 'lower',
  base_energy_storage_op_uj: 'lower',
  base_cpu_ns: 'lower',
  base_swap_io: 'lower',
  base_swap_in_mean_ns: 'lower',
  base_swap_in_p99_ns: 'lower',
  base_pagecache_miss_mean_ns: 'lower',
  energy_saved_uj: 'higher',
  energy_saved_pct: 'higher',
  cpu_saved_ns: 'higher',
  swap_io_avoided: 'higher',
  breakeven_storage_scale: 'lower',
  breakeven_read_uj: 'lower',
  breakeven_cpu_scale: 'higher',
  stale: 'lower',
  lost: 'lower',
};

/** What a profile says that the break-even figures are stated in. */
interface BreakEvenUnits {
  /** The profile's energy of one 4 KiB storage read, µJ (null: unknown, no breakeven_read_uj). */
  readEnergyUJ: number | null;
}

/** The mean or a quantile of a pass's latency distribution, or null when the pass had no such operation. */
function latencyOf(p: PassSummary | null, which: 'swap_in' | 'page_cache_miss', q: 'mean_ns' | 'p50_ns' | 'p99_ns'): number | null {
  const l = p?.latency[which];
  return l === undefined || l.count === 0 ? null : l[q] ?? null;
}

/**
 * The break-even scale of one energy component: energy is linear in each
 * component's constants, E(s) = N + s·C (N the other components, C this one
 * at the profile's constants), so the saving of the backend over the
 * baseline, (N0 − Nb) + s·(C0 − Cb), is zero at s* = (Nb − N0) / (C0 − Cb).
 * Returns s* when it is a positive scale at which the sign of the saving
 * changes, else null (the backend saves, or costs, at every scale ≥ 0).
 */
export function breakEvenScale(componentBackend: number, totalBackend: number, componentBase: number, totalBase: number): number | null {
  const dc = componentBase - componentBackend;
  const dn = totalBackend - componentBackend - (totalBase - componentBase);
  if (dc === 0) return null;
  const s = dn / dc;
  return s > 0 && Number.isFinite(s) ? s : null;
}

// duplicates: its run and baseline latency lines are alike in shape: one line per metric key.
export function metricsOf(b: PassSummary, base: PassSummary | null, series: Series | null, units: BreakEvenUnits): Metrics {
  const e = b.energy;
  const be = base?.energy ?? null;
  // The per-operation part of storage energy (read and write energies); the device's idle power is held fixed.
  const perOp = (x: PassSummary['energy']): number => x.storage_active_uj;
  const d = base ? deltaOf(b, base) : null;
  const storageScale = base && be ? breakEvenScale(perOp(e), e.total_uj, perOp(be), be.total_uj) : null;
  const cpuScale = base && be ? breakEvenScale(e.cpu_uj, e.total_uj, be.cpu_uj, be.total_uj) : null;
  const swapIo = b.io.swap_reads + b.io.swap_writes;
  const baseSwapIo = base ? base.io.swap_reads + base.io.swap_writes : null;
  let memSaved: number | null = null;
  if (series && series.stored_pages.length > 0) {
    let sum = 0;
    for (let i = 0; i < series.stored_pages.length; i++) sum += series.stored_pages[i]! - series.pool_pages[i]!;
    memSaved = sum / series.stored_pages.length;
  }
  return {
    compression_ratio: b.ratios.compression_ratio,
    pool_density: b.ratios.pool_density,
    frontswap_load_hit: b.ratios.frontswap_load_hit,
    cleancache_get_hit: b.ratios.cleancache_get_hit,
    pagecache_hit: b.ratios.pagecache_hit,
    stored_pages: b.pool.stored_pages,
    peak_pool_pages: b.pool.peak_pool_pages,
    mean_memory_saved_pages: memSaved,
    cpu_ns: b.cost.cpuNs,
    energy_uj: e.total_uj,
    energy_cpu_uj: e.cpu_uj,
    energy_storage_uj: e.storage_uj,
    energy_storage_op_uj: perOp(e),
    energy_dram_uj: e.dram_uj,
    energy_network_uj: e.network_uj,
    swap_io: swapIo,
    fs_reads: b.io.fs_reads,
    sim_time_ns: b.sim_time_ns,
    swap_in_mean_ns: latencyOf(b, 'swap_in', 'mean_ns'),
    swap_in_p50_ns: latencyOf(b, 'swap_in', 'p50_ns'),
    swap_in_p99_ns: latencyOf(b, 'swap_in', 'p99_ns'),
    pagecache_miss_mean_ns: latencyOf(b, 'page_cache_miss', 'mean_ns'),
    pagecache_miss_p50_ns: latencyOf(b, 'page_cache_miss', 'p50_ns'),
    pagecache_miss_p99_ns: latencyOf(b, 'page_cache_miss', 'p99_ns'),
    base_energy_uj: be ? be.total_uj : null,
    base_energy_cpu_uj: be ? be.cpu_uj : null,
    base_energy_storage_uj: be ? be.storage_uj : null,
    base_energy_storage_op_uj: be ? perOp(be) : null,
    base_cpu_ns: base ? base.cost.cpuNs : null,
    base_swap_io: baseSwapIo,
    base_swap_in_mean_ns: latencyOf(base, 'swap_in', 'mean_ns'),
    base_swap_in_p99_ns: latencyOf(base, 'swap_in', 'p99_ns'),
    base_pagecache_miss_mean_ns: latencyOf(base, 'page_cache_miss', 'mean_ns'),
    energy_saved_uj: d ? d.energy_saved_uj : null,
    energy_saved_pct: d ? d.energy_saved_pct : null,
    cpu_saved_ns: d ? d.cpu_saved_ns : null,
    swap_io_avoided: d ? d.swap_io_avoided : null,
    breakeven_storage_scale: storageScale,
    breakeven_read_uj: storageScale !== null && units.readEnergyUJ !== null ? storageScale * units.readEnergyUJ : null,
    breakeven_cpu_scale: cpuScale,
    stale: b.oracle.stale + (base?.oracle.stale ?? 0),
    lost: b.oracle.lost + (base?.oracle.lost ?? 0),
  };
}

/** Round every number of a metrics record as reports do (6 decimals, no -0). */
export function roundMetrics(m: Metrics): Metrics {
  const o = {} as Metrics;
  for (const k of METRIC_KEYS) {
    const v = m[k];
    o[k] = v === null ? null : Number.isInteger(v) ? v : round(v, 6);
  }
  return o;
}
