/**
 * A sweep's document as a table (one row per configuration, then per
 * workload × profile the frontiers and break-even, and where either is within
 * the uncertainty of the profile's ranges), CSV (one row per
 * configuration, every metric a column) or JSON (the document itself).
 */

import { DEFAULT_WIDTH, fitTable, wrapProse } from '../report/layout.js';
import { NA_TEXT } from '../report/na.js';
import type { TextOptions } from '../report/table.js';
import { stringify } from 'csv-stringify/sync';
import { METRIC_KEYS } from '../analysis/metrics.js';
import type { SweepResult, SweepRow } from './sweep.js';
import { grouped } from '../report/numbers.js';


function num(x: number | null, d = 2): string {
  if (x === null) return NA_TEXT;
  return grouped(x, d, d);
}

const COLUMNS: { head: string; cell: (r: SweepRow) => string }[] = [
  { head: 'backend', cell: (r) => r.backend },
  { head: 'comp', cell: (r) => r.compressor ?? '-' },
  { head: 'zpool', cell: (r) => r.zpool ?? '-' },
  { head: 'pool%', cell: (r) => (r.max_pool_percent === null ? '-' : String(r.max_pool_percent)) },
  { head: 'ratio', cell: (r) => num(r.metrics.compression_ratio) },
  { head: 'swap hit', cell: (r) => num(r.metrics.frontswap_load_hit === null ? null : 100 * r.metrics.frontswap_load_hit, 1) },
  { head: 'cc hit', cell: (r) => num(r.metrics.cleancache_get_hit === null ? null : 100 * r.metrics.cleancache_get_hit, 1) },
  { head: 'energy mJ', cell: (r) => num(r.metrics.energy_uj === null ? null : r.metrics.energy_uj / 1000, 1) },
  { head: 'saved %', cell: (r) => num(r.metrics.energy_saved_pct, 1) },
  { head: 'CPU ms', cell: (r) => num(r.metrics.cpu_ns === null ? null : r.metrics.cpu_ns / 1e6, 2) },
  { head: 'p99 swap-in µs', cell: (r) => num(r.metrics.swap_in_p99_ns === null ? null : r.metrics.swap_in_p99_ns / 1000, 1) },
  { head: 'mem saved pg', cell: (r) => num(r.metrics.mean_memory_saved_pages, 0) },
  { head: 'break-even read µJ', cell: (r) => num(r.metrics.breakeven_read_uj, 1) },
  { head: 'front', cell: (r) => (r.pareto_energy_latency ? 'E' : '') + (r.pareto_cpu_memory ? 'C' : '') },
];

function renderSweepTable(s: SweepResult, o: TextOptions = {}): string {
  const width = o.width ?? DEFAULT_WIDTH;
  const out: string[] = [];
  const shard = s.shard ? ` (shard ${s.shard.index}/${s.shard.count}: ${s.rows.length} of ${s.configs_total} configurations)` : ` (${s.rows.length} configurations)`;
  out.push(`tmemsim sweep${shard}`);
  for (const g of s.groups) {
    const rows = s.rows.filter((r) => r.workload === g.workload && r.profile === g.profile);
    out.push('', `== ${g.workload} on ${g.profile}`);
    out.push(fitTable({ head: COLUMNS.map((c) => c.head), rows: rows.map((r) => COLUMNS.map((c) => c.cell(r))), align: COLUMNS.map((_, i) => (i < 4 ? 'left' : 'right')), keys: [0, 1, 2, 3], width }));
    const lat = g.latency_metric === 'swap_in_mean_ns' ? 'mean swap-in latency' : g.latency_metric === 'pagecache_miss_mean_ns' ? 'mean page-cache-miss latency' : null;
    out.push(lat ? `frontier (E) energy vs ${lat}: ${g.frontier_energy_latency.join(', ') || '-'}` : 'frontier (E) energy vs mean latency: no latency figures in these passes');
    for (const f of g.frontier_uncertain) {
      out.push(f.on_frontier
        ? `frontier (E) membership not robust: ${f.id} is dominated within the profile's ranges${f.within.length > 0 ? ` (within the interval of ${f.within.join(', ')})` : ''}`
        : `frontier (E) membership not robust: ${f.id} joins the frontier within the profile's ranges${f.within.length > 0 ? ` (within the interval of ${f.within.join(', ')})` : ''}`);
    }
    if (g.latency_metric && g.best_energy_robust !== null && g.frontier_uncertain.length === 0) out.push("frontier (E) is the same at every sampled point of the profile's ranges");
    out.push(`frontier (C) CPU vs memory saved: ${g.frontier_cpu_memory.join(', ') || '-'}`);
    const robust = g.best_energy_robust === null ? '' : g.best_energy_robust ? " (least at every sampled point of the profile's ranges too)" : ` (not robust: within the interval of ${g.best_energy_rivals.join(', ')}, which use less at some sampled point)`;
    out.push(`${g.saving} of ${g.configs} configurations save energy over the baseline; least energy: ${g.best_energy ?? '-'}${robust}`);
    for (const line of g.break_even) out.push(`break-even: ${line}`);
  }
  out.push('', `oracle: ${s.verdict.stale} stale, ${s.verdict.lost} lost pages over all configurations`);
  return wrapProse(out.join('\n'), width) + '\n';
}

const CSV_COLUMNS = ['id', 'workload', 'trace', 'profile', 'backend', 'compressor', 'zpool', 'max_pool_percent', ...METRIC_KEYS, 'pareto_energy_latency', 'pareto_cpu_memory'];

function renderSweepCsv(s: SweepResult): string {
  const rows = s.rows.map((r) => [r.id, r.workload, r.trace, r.profile, r.backend, r.compressor ?? '', r.zpool ?? '', r.max_pool_percent ?? '',
    ...METRIC_KEYS.map((k) => r.metrics[k] ?? ''), r.pareto_energy_latency === null ? '' : String(r.pareto_energy_latency), r.pareto_cpu_memory === null ? '' : String(r.pareto_cpu_memory)]);
  return stringify(rows, { header: true, columns: CSV_COLUMNS });
}

function renderSweepJson(s: SweepResult): string {
  return JSON.stringify(s, null, 2) + '\n';
}

export const SWEEP_FORMATS = { table: renderSweepTable, csv: renderSweepCsv, json: renderSweepJson } as const;
export type SweepFormatName = keyof typeof SWEEP_FORMATS;
