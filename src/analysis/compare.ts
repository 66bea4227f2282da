/**
 * `compare`: a run's figures against a baseline's, metric by metric, each
 * with a tolerance (relative to the baseline value, absolute, or both: the
 * larger allowance wins) and a direction (which way is worse). A change in
 * the worse direction beyond the tolerance is a regression; an entry of the
 * baseline missing from the run is one too. Inputs: sweep results (rows by
 * configuration id), baseline files (written by bless()), or run reports
 * (one entry per profile and rmmod strategy).
 */

import { UsageError } from '../errors.js';
import type { Report } from '../report/model.js';
import type { SweepResult } from '../sweep/sweep.js';
import { checkDocument } from './documents.js';
import { idOf, workloadName } from '../sweep/grid.js';
import { METRIC_BETTER, METRIC_KEYS, metricsOf, roundMetrics, type MetricKey } from './metrics.js';

export interface Tolerance {
  /** Allowed change as a fraction of the baseline value (0.01 = 1 %). */
  rel?: number;
  /** Allowed absolute change. */
  abs?: number;
  /** Which way is better (METRIC_BETTER's). */
  better: 'higher' | 'lower';
}

/** Default allowances: the metrics compare checks when both sides have them. */
const DEFAULT_ALLOWANCES: Partial<Record<MetricKey, Omit<Tolerance, 'better'>>> = {
  compression_ratio: { rel: 0.01 },
  pool_density: { rel: 0.02 },
  frontswap_load_hit: { abs: 0.01 },
  cleancache_get_hit: { abs: 0.01 },
  pagecache_hit: { abs: 0.01 },
  energy_uj: { rel: 0.02 },
  energy_saved_pct: { abs: 1 },
  cpu_ns: { rel: 0.02 },
  swap_in_mean_ns: { rel: 0.05 },
  swap_in_p50_ns: { rel: 0.05 },
  swap_in_p99_ns: { rel: 0.05 },
  pagecache_miss_mean_ns: { rel: 0.05 },
  pagecache_miss_p99_ns: { rel: 0.05 },
  stale: { abs: 0 },
  lost: { abs: 0 },
};

/** Default tolerances: the allowances with each metric's direction (METRIC_BETTER). */
export const DEFAULT_TOLERANCES: Partial<Record<MetricKey, Tolerance>> = Object.fromEntries(
  Object.entries(DEFAULT_ALLOWANCES).map(([k, a]) => [k, { ...a, better: METRIC_BETTER[k as MetricKey] }]),
);

/** The metrics a blessed baseline keeps by default: compression and hit ratios, and the oracle's counts. */
export const BLESS_METRICS: MetricKey[] = ['compression_ratio', 'pool_density', 'frontswap_load_hit', 'cleancache_get_hit', 'pagecache_hit', 'stale', 'lost'];

export type Entries = Map<string, Partial<Record<MetricKey, number | null>>>;

export const BASELINE_FORMAT = 1;

interface BaselineDoc {
  tool: 'tmemsim';
  kind: 'baseline';
  baseline_format: number;
  /** What produced the figures (a sweep's grid), for whoever re-blesses. */
  source: unknown;
  entries: { id: string; metrics: Partial<Record<MetricKey, number | null>> }[];
}

/** `metric=2%` (relative), `metric=0.01` (absolute) or `metric=off`; repeatable, a metric may get both kinds. */
export function parseTolerances(specs: string[]): Partial<Record<MetricKey, Tolerance | null>> {
  const out: Partial<Record<MetricKey, Tolerance | null>> = {};
  for (const spec of specs) {
    const m = /^([a-z0-9_]+)=(.+)$/.exec(spec.trim());
    if (!m) throw new UsageError(`'${spec}' is not metric=tolerance`, { field: '--tol' }, 'metric=2% (relative), metric=0.01 (absolute) or metric=off');
    const key = m[1] as MetricKey;
    if (!(METRIC_KEYS as readonly string[]).includes(key)) throw new UsageError(`unknown metric '${m[1]}'`, { field: '--tol' }, METRIC_KEYS.join(', '));
    const v = m[2]!.trim();
    if (v === 'off') {
      out[key] = null;
      continue;
    }
    const rel = v.endsWith('%');
    const x = Number(rel ? v.slice(0, -1) : v);
    if (!Number.isFinite(x) || x < 0 || v === '' || v === '%') throw new UsageError(`'${v}' is not a tolerance for ${key}`, { field: '--tol' }, 'a number >= 0, with % for a relative one, or off');
    const prev = out[key] ?? { ...(DEFAULT_TOLERANCES[key] ?? { better: METRIC_BETTER[key] }) };
    // A flag replaces the default of its kind and drops the default of the other kind unless both are given.
    const fresh: Tolerance = out[key] ? prev : { better: prev.better };
    if (rel) fresh.rel = x / 100;
    else fresh.abs = x;
    out[key] = fresh;
  }
  return out;
}

/** The entries of a parsed JSON document: a sweep result, a baseline file or a run report, checked against its schema first. */
export function entriesOf(file: string, doc: unknown): Entries {
  const d = doc as Record<string, unknown> | null;
  if (!d || typeof d !== 'object' || Array.isArray(d) || d.tool !== 'tmemsim') throw new UsageError('not a tmemsim result', { file }, 'the JSON of tmemsim sweep, tmemsim run or a baseline written by compare --bless');
  const e: Entries = new Map();
  if (d.kind === 'sweep') {
    checkDocument('sweep', file, d);
    for (const row of (d as unknown as SweepResult).rows) e.set(row.id, row.metrics);
    return e;
  }
  if (d.kind === 'baseline') {
    checkDocument('baseline', file, d);
    for (const en of (d as unknown as BaselineDoc).entries) e.set(en.id, en.metrics);
    return e;
  }
  if (d.kind === undefined && 'report_format' in d) {
    checkDocument('report', file, d);
    const rep = d as unknown as Report;
    for (const run of rep.runs) {
      // The profile's constants travel with the report (a profile file's too).
      const read = typeof run.model?.storage_read_uj === 'number' ? run.model.storage_read_uj : null;
      // The report names each run's id (the sweep's and the baseline's scheme); a report
      // written before it did gets the same id with zpool and the pool limit unset.
      const id = typeof run.id === 'string' ? run.id : idOf({
        workload: workloadName(rep.trace), profile: run.variant ? `${run.profile}@${run.variant}` : run.profile,
        backend: run.backend.backend ?? 'none', compressor: rep.config.compressor ?? null, zpool: null, max_pool_percent: null,
      });
      e.set(id, roundMetrics(metricsOf(run.backend, run.baseline ?? null, null, { readEnergyUJ: read })));
    }
    return e;
  }
  throw new UsageError(`not a sweep result, baseline or run report`, { file, field: '/kind' }, '"sweep", "baseline", or a run report (report_format, no kind)');
}

type Status = 'ok' | 'better' | 'REGRESSION' | 'MISSING' | 'new';

export interface DiffRow {
  id: string;
  metric: MetricKey | '-';
  baseline: number | null;
  run: number | null;
  /** run - baseline. */
  change: number | null;
  /** Relative change, or null when the baseline is 0. */
  change_pct: number | null;
  allowed: number | null;
  status: Status;
}

export interface Comparison {
  rows: DiffRow[];
  /** Baseline entries compared (their ids looked up in the run). */
  entries: number;
  /** Baseline entries left out because the run is a run report that does not hold them. */
  skipped: number;
  compared: number;
  regressions: number;
  improvements: number;
}

/** True for the JSON of `tmemsim run` (a report of its own configurations only), false for a sweep or baseline. */
export function isRunReport(doc: unknown): boolean {
  return !!doc && typeof doc === 'object' && typeof (doc as { report_format?: unknown }).report_format === 'number';
}

interface CompareOptions {
  /**
   * The run is one `tmemsim run` report: compare only the baseline entries
   * it holds (a run covers its own configurations, not the whole baseline),
   * instead of counting every other baseline entry MISSING. If it holds none
   * of them, that is bad input (UsageError): nothing would be compared.
   */
  runReport?: boolean;
}

export function compareEntries(run: Entries, base: Entries, tol: Partial<Record<MetricKey, Tolerance | null>> = {}, opts: CompareOptions = {}): Comparison {
  const tolerances: Partial<Record<MetricKey, Tolerance>> = {};
  for (const k of METRIC_KEYS) {
    const t = k in tol ? tol[k] : DEFAULT_TOLERANCES[k];
    if (t) tolerances[k] = t;
  }
  const rows: DiffRow[] = [];
  let compared = 0;
  const all = [...base.keys()].sort();
  const ids = opts.runReport ? all.filter((id) => run.has(id)) : all;
  if (opts.runReport && ids.length === 0) {
    throw new UsageError(
      `no configuration of the run report is in the baseline (run: ${[...run.keys()].sort().join(', ')})`,
      {},
      `a baseline entry with the same id, workload/profile/backend/compressor/zpool/max_pool_percent, e.g. ${all.slice(0, 2).join(', ')}`,
    );
  }
  for (const id of ids) {
    const b = base.get(id)!;
    const r = run.get(id);
    if (!r) {
      rows.push({ id, metric: '-', baseline: null, run: null, change: null, change_pct: null, allowed: null, status: 'MISSING' });
      continue;
    }
    for (const k of METRIC_KEYS) {
      const t = tolerances[k];
      const bv = b[k];
      const rv = r[k];
      if (!t || typeof bv !== 'number' || typeof rv !== 'number') continue;
      compared++;
      const change = rv - bv;
      const allowed = Math.max(t.abs ?? 0, (t.rel ?? 0) * Math.abs(bv));
      const worse = t.better === 'higher' ? -change : change;
      const status: Status = Math.abs(change) <= allowed + 1e-12 ? 'ok' : worse > 0 ? 'REGRESSION' : 'better';
      rows.push({ id, metric: k, baseline: bv, run: rv, change, change_pct: bv === 0 ? null : (100 * change) / Math.abs(bv), allowed, status });
    }
  }
  for (const id of [...run.keys()].sort()) if (!base.has(id)) rows.push({ id, metric: '-', baseline: null, run: null, change: null, change_pct: null, allowed: null, status: 'new' });
  return {
    rows,
    entries: ids.length,
    skipped: all.length - ids.length,
    compared,
    regressions: rows.filter((r) => r.status === 'REGRESSION' || r.status === 'MISSING').length,
    improvements: rows.filter((r) => r.status === 'better').length,
  };
}

/** A baseline document of a run's entries, keeping the given metrics. */
export function bless(run: Entries, source: unknown, metrics: MetricKey[] = BLESS_METRICS): BaselineDoc {
  const entries = [...run.keys()].sort().map((id) => {
    const m = run.get(id)!;
    const kept: Partial<Record<MetricKey, number | null>> = {};
    for (const k of metrics) if (m[k] !== undefined) kept[k] = m[k];
    return { id, metrics: kept };
  });
  return { tool: 'tmemsim', kind: 'baseline', baseline_format: BASELINE_FORMAT, source, entries };
}
