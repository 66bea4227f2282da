/**
 * The report: a RunResult turned into plain data with a stable key order
 * and rounded numbers, so the same inputs and seed give byte-identical JSON.
 * Host-measured times never enter it.
 */

import { uncertaintyOf, type Uncertainty } from '../cost/uncertainty.js';
import type { RunResult } from '../sim/simulate.js';
import { runCompressor } from '../sim/config.js';
import type { PassSummary } from '../sim/summary.js';
import type { ParamMap } from '../backends/params.js';
import { profileInfo, type ProfileInfo } from '../profiles/info.js';
import { idOf, workloadName } from '../sweep/grid.js';
import { SIGN_CONVENTION, savingOf, savingPctOf, type Na } from './na.js';
import { CFS_61 } from '../sim/schedulers.js';

/** 2: n/a figures are null (src/report/na.ts), savings are baseline − backend throughout (cpu_saved_ns), notes. */
export const REPORT_FORMAT = 2;

/**
 * The backend against the baseline pass. Every field is baseline − backend
 * (src/report/na.ts): positive, the backend uses less; null, n/a.
 */
export interface Delta {
  energy_saved_uj: number;
  /** Of the baseline's energy; null when that is 0. */
  energy_saved_pct: Na;
  energy_cpu_saved_uj: number;
  energy_storage_saved_uj: number;
  energy_dram_saved_uj: number;
  energy_network_saved_uj: number;
  cpu_saved_ns: number;
  swap_io_avoided: number;
  swap_reads_avoided: number;
  swap_writes_avoided: number;
  fs_reads_avoided: number;
  fs_writes_avoided: number;
  sim_time_saved_ns: number;
  /** Null when either pass had no swap-in (no p99). */
  swap_in_p99_saved_ns: Na;
  page_cache_miss_p99_saved_ns: Na;
}

export interface ReportRun {
  /**
   * The configuration's id in the scheme of sweep rows and baselines
   * (`workload/profile/backend/compressor/zpool/max_pool_percent`), by which
   * `tmemsim compare` matches this run against a baseline.
   */
  id: string;
  profile: string;
  /** The rmmod strategy compared in this run (null: the trace's own). */
  variant: string | null;
  /** The profile constants behind the figures: CPU cluster and frequency, codec cycles, device figures. */
  model: ProfileInfo;
  backend: PassSummary;
  baseline: PassSummary | null;
  delta: Delta | null;
  /** With uncertainty asked for: every energy and CPU figure and the saving as an interval over the profile's ranges. */
  uncertainty?: Uncertainty;
}

export interface Report {
  tool: 'tmemsim';
  report_format: number;
  trace: string;
  config: {
    description: string;
    backend: string | null;
    compressor: string | null;
    params: ParamMap;
    ram_pages: number;
    /** Present when the trace gives config.kernel_pages. */
    kernel_pages?: number;
    seed: number;
    swappiness: number;
    /** The page reclaim model (src/mm/reclaim/). */
    reclaim: string;
    /** Present when the scheduler's ticks were given a phase other than 0 (--tick-phase), ms. */
    tick_phase_ms?: number;
    /** Present when the fair scheduler is not the default cfs-6.1 (--sched). */
    scheduler?: string;
    /** Present when the swap core keeps a zeromap (config.swap_zeromap: 6.12+). */
    swap_zeromap?: true;
    frontswap_writethrough: boolean;
    verify_bytes: boolean;
  };
  /** How to read the deltas: SIGN_CONVENTION. */
  sign_convention: string;
  /** Things the reader should know about how the run was set up (e.g. a default backend chosen for an imported trace). */
  notes: string[];
  runs: ReportRun[];
  /** The baseline passes are shared by the variants of a profile; their violations count once. */
  verdict: { stale: number; lost: number; ok: boolean };
}

/** Round to `d` decimals without binary noise (-0 becomes 0). */
export function round(x: number, d = 6): number {
  const f = 10 ** d;
  const r = Math.round(x * f) / f;
  return r === 0 ? 0 : r;
}

function roundDeep<T>(v: T): T {
  if (typeof v === 'number') return (Number.isInteger(v) ? v : round(v)) as T;
  if (Array.isArray(v)) return v.map(roundDeep) as T;
  if (v && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[k] = roundDeep(x);
    return o as T;
  }
  return v;
}

export function deltaOf(b: PassSummary, base: PassSummary): Delta {
  const e = b.energy;
  const be = base.energy;
  return {
    energy_saved_uj: be.total_uj - e.total_uj,
    energy_saved_pct: savingPctOf(be.total_uj, e.total_uj),
    energy_cpu_saved_uj: be.cpu_uj - e.cpu_uj,
    energy_storage_saved_uj: be.storage_uj - e.storage_uj,
    energy_dram_saved_uj: be.dram_uj - e.dram_uj,
    energy_network_saved_uj: be.network_uj - e.network_uj,
    cpu_saved_ns: base.cost.cpuNs - b.cost.cpuNs,
    swap_io_avoided: base.io.swap_reads + base.io.swap_writes - (b.io.swap_reads + b.io.swap_writes),
    swap_reads_avoided: base.io.swap_reads - b.io.swap_reads,
    swap_writes_avoided: base.io.swap_writes - b.io.swap_writes,
    fs_reads_avoided: base.io.fs_reads - b.io.fs_reads,
    fs_writes_avoided: base.io.fs_writes - b.io.fs_writes,
    sim_time_saved_ns: base.sim_time_ns - b.sim_time_ns,
    swap_in_p99_saved_ns: savingOf(base.latency.swap_in.p99_ns, b.latency.swap_in.p99_ns),
    page_cache_miss_p99_saved_ns: savingOf(base.latency.page_cache_miss.p99_ns, b.latency.page_cache_miss.p99_ns),
  };
}

interface ReportOptions {
  /** Add each run's uncertainty (src/cost/uncertainty.ts); seed for its samples. */
  uncertainty?: boolean;
  uncertaintySeed?: number;
}

export function buildReport(r: RunResult, o: ReportOptions = {}): Report {
  const c = r.config;
  let stale = 0;
  let lost = 0;
  const seenBaselines = new Set<object>();
  for (const run of r.runs) {
    if (run.baseline && !seenBaselines.has(run.baseline)) {
      seenBaselines.add(run.baseline);
      stale += run.baseline.oracle.stale;
      lost += run.baseline.oracle.lost;
    }
  }
  const compressor = runCompressor(c);
  // As a sweep names its rows: the compressor of a backend that takes one; zpool
  // and the pool limit only when chosen for this run (-p), as a sweep's grid chooses them.
  const takes = new Set(c.factory?.params.map((p) => p.name) ?? []);
  const chosen = c.paramOverrides;
  const idParts = {
    workload: workloadName(r.trace),
    backend: c.backend ?? 'none',
    compressor: c.factory?.compressorParam ? compressor : null,
    zpool: takes.has('zpool') && chosen['zpool'] !== undefined ? String(c.params['zpool']) : null,
    max_pool_percent: takes.has('max_pool_percent') && chosen['max_pool_percent'] !== undefined ? Number(c.params['max_pool_percent']) : null,
  };
  const notes = [...c.notes];
  // A backend pass in which no backend was ever loaded is the baseline pass again: no comparison.
  const unloaded = r.runs.filter((run) => run.baseline && !run.backend.backend_loaded).map((run) => run.profile);
  if (unloaded.length > 0) {
    notes.push(`no backend was loaded in the ${[...new Set(unloaded)].join(', ')} run (the trace names none and loads none): it is shown alone, without a baseline; choose one with --backend NAME`);
  }
  const runs = r.runs.map((run) => {
    stale += run.backend.oracle.stale;
    lost += run.backend.oracle.lost;
    const baseline = run.backend.backend_loaded ? run.baseline : null;
    return {
      id: idOf({ ...idParts, profile: run.variant ? `${run.profile}@${run.variant}` : run.profile }),
      profile: run.profile,
      variant: run.variant,
      model: profileInfo(run.profileDef, compressor),
      backend: run.backend,
      baseline,
      delta: baseline ? deltaOf(run.backend, baseline) : null,
      ...(o.uncertainty && baseline ? { uncertainty: uncertaintyOf(run.backend, baseline, run.profileDef, compressor, o.uncertaintySeed ?? c.seed) } : {}),
    };
  });
  return roundDeep({
    tool: 'tmemsim',
    report_format: REPORT_FORMAT,
    trace: r.trace,
    config: {
      description: c.description,
      backend: c.backend,
      compressor,
      params: c.factory?.kernelParams?.(c.params) ?? c.params,
      ram_pages: c.ramPages,
      ...(c.kernelPages > 0 ? { kernel_pages: c.kernelPages } : {}),
      seed: c.seed,
      swappiness: c.swappiness,
      reclaim: c.reclaim.name,
      ...(c.tickPhaseNs > 0 ? { tick_phase_ms: c.tickPhaseNs / 1e6 } : {}),
      ...(c.scheduler !== CFS_61 ? { scheduler: c.scheduler.name } : {}),
      ...(c.swapZeromap ? { swap_zeromap: true as const } : {}),
      frontswap_writethrough: c.writethrough,
      verify_bytes: c.verifyBytes,
    },
    sign_convention: SIGN_CONVENTION,
    notes,
    runs,
    verdict: { stale, lost, ok: stale === 0 && lost === 0 },
  } satisfies Report);
}
