/**
 * The default report: a summary table per profile (backend vs. baseline and
 * the saving), the kernel counters, the lifecycle timeline, and the oracle's
 * verdict. cli-table3 draws; colours are off so output is plain text.
 */

import { uncertaintyLines } from './uncertainty.js';
import Table from 'cli-table3';
import type { LatencyStats } from '../cost/latency.js';
import type { PassSummary } from '../sim/summary.js';
import type { MarkSnapshot } from '../sim/marks.js';
import type { Report, ReportRun } from './model.js';

/** The cli-table3 style of every table tmemsim prints: no colours, compact rows. */
export const TABLE_STYLE = { head: [] as string[], border: [] as string[], compact: true };

function fmt(x: number, d = 2): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return x.toLocaleString('en-US');
  return x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
}
const pct = (x: number): string => `${fmt(100 * x, 1)} %`;
const ms = (ns: number): string => fmt(ns / 1e6, 3);
const mj = (uj: number): string => fmt(uj / 1000, 3);
const us = (ns: number): string => fmt(ns / 1000, 2);
const uj = (x: number): string => fmt(x, 2);

/** One baseline-delta line on a latency distribution: p50/p95/p99 of both passes and the p99 saving. */
function latencyLine(what: string, b: LatencyStats, base: LatencyStats, savedNs: number): string {
  const q = (s: LatencyStats): string => `${us(s.p50_ns)} / ${us(s.p95_ns)} / ${us(s.p99_ns)}`;
  const verb = savedNs >= 0 ? 'saves' : 'costs';
  return `    ${what} latency: p99 ${verb} ${us(Math.abs(savedNs))} µs; p50/p95/p99 ${q(b)} µs against ${q(base)} µs (${fmt(b.count)} vs ${fmt(base.count)} operations)`;
}

interface Line {
  label: string;
  get: (p: PassSummary) => number;
  show: (x: number) => string;
  /** How to show the saving (baseline - backend); omitted = no delta column. */
  saving?: (base: number, b: number) => string;
}

const minus = (show: (x: number) => string) => (base: number, b: number) => show(base - b);

const LINES: Line[] = [
  { label: 'simulated time (ms)', get: (p) => p.sim_time_ns, show: ms, saving: minus(ms) },
  { label: 'CPU time (ms)', get: (p) => p.cost.cpuNs, show: ms, saving: minus(ms) },
  { label: 'energy total (mJ)', get: (p) => p.energy.total_uj, show: mj, saving: minus(mj) },
  { label: '  CPU (mJ)', get: (p) => p.energy.cpu_uj, show: mj, saving: minus(mj) },
  { label: '  storage (mJ)', get: (p) => p.energy.storage_uj, show: mj, saving: minus(mj) },
  { label: '    active: per operation (mJ)', get: (p) => p.energy.storage_active_uj, show: mj, saving: minus(mj) },
  { label: '    idle (mJ)', get: (p) => p.energy.storage_idle_uj, show: mj, saving: minus(mj) },
  { label: '  DRAM (mJ)', get: (p) => p.energy.dram_uj, show: mj, saving: minus(mj) },
  { label: '  network (mJ)', get: (p) => p.energy.network_uj, show: mj, saving: minus(mj) },
  { label: 'energy per swap-in (µJ)', get: (p) => p.energy_per_op.swap_in.uj, show: uj, saving: minus(uj) },
  { label: 'energy per page-cache miss (µJ)', get: (p) => p.energy_per_op.page_cache_miss.uj, show: uj, saving: minus(uj) },
  { label: 'energy per swap-out (µJ)', get: (p) => p.energy_per_op.swap_out.uj, show: uj, saving: minus(uj) },
  { label: 'energy per cleancache put (µJ)', get: (p) => p.energy_per_op.cleancache_put.uj, show: uj, saving: minus(uj) },
  { label: 'swap-in latency p99 (µs)', get: (p) => p.latency.swap_in.p99_ns, show: us, saving: minus(us) },
  { label: 'page-cache miss latency p99 (µs)', get: (p) => p.latency.page_cache_miss.p99_ns, show: us, saving: minus(us) },
  { label: 'swap device reads', get: (p) => p.io.swap_reads, show: fmt, saving: minus(fmt) },
  { label: 'swap device writes', get: (p) => p.io.swap_writes, show: fmt, saving: minus(fmt) },
  { label: 'filesystem reads', get: (p) => p.io.fs_reads, show: fmt, saving: minus(fmt) },
  { label: 'filesystem writes', get: (p) => p.io.fs_writes, show: fmt, saving: minus(fmt) },
  { label: 'frontswap load hit ratio', get: (p) => p.ratios.frontswap_load_hit, show: pct },
  { label: 'cleancache get hit ratio', get: (p) => p.ratios.cleancache_get_hit, show: pct },
  { label: 'page cache hit ratio', get: (p) => p.ratios.pagecache_hit, show: pct },
  { label: 'compression ratio', get: (p) => p.ratios.compression_ratio, show: (x) => fmt(x, 2) },
  { label: 'pool pages (end / peak)', get: (p) => p.pool.pool_pages, show: fmt },
  { label: 'stored pages (end)', get: (p) => p.pool.stored_pages, show: fmt },
];

/** The profile constants behind the run's figures, in two lines. */
function modelLine(run: ReportRun): string {
  const m = run.model;
  const codec = m.codec
    ? `; ${m.codec.compressor} cycles: compress ${fmt(m.codec.compress_fixed_cycles, 0)} + ${fmt(m.codec.compress_cycles_per_byte, 2)}/B, decompress ${fmt(m.codec.decompress_fixed_cycles, 0)} + ${fmt(m.codec.decompress_cycles_per_byte, 2)}/B`
    : '';
  return `  CPU: ${m.cpu_cluster} at ${fmt(m.cpu_mhz, 0)} MHz, ${m.cpu_active_power_w} W active${codec}\n` +
    `  storage: ${m.storage}, read ${m.storage_read_us} µs / ${m.storage_read_uj} µJ, write ${m.storage_write_us} µs / ${m.storage_write_uj} µJ, ${m.storage_active_power_w} W active, ${m.storage_idle_power_w} W idle`;
}

/**
 * The baseline-delta block: the backend against the same trace without one,
 * one line each for energy, CPU, device I/O and the two latency distributions.
 */
function deltaLines(run: ReportRun): string[] {
  const d = run.delta!;
  const b = run.backend;
  const base = run.baseline!;
  const name = b.backend ?? 'no backend';
  const sc = (x: number): string => (x >= 0 ? 'saves' : 'costs');
  // Each component as the change from the baseline (+ the backend uses more).
  const part = (label: string, saved: number): string => `${label} ${saved > 0 ? '-' : saved < 0 ? '+' : ''}${mj(Math.abs(saved))}`;
  const e = b.energy;
  const be = base.energy;
  const cpuRatio = base.cost.cpuNs === 0 ? '' : ` (${fmt(b.cost.cpuNs / base.cost.cpuNs, 2)}× the baseline's)`;
  const swapIo = d.swap_io_avoided;
  return [
    `  against no backend, ${name}:`,
    `    energy: ${sc(d.energy_saved_uj)} ${mj(Math.abs(d.energy_saved_uj))} mJ (${fmt(Math.abs(d.energy_saved_pct), 1)} %): ` +
      `${[part('CPU', be.cpu_uj - e.cpu_uj), part('storage', be.storage_uj - e.storage_uj), part('DRAM', be.dram_uj - e.dram_uj), part('network', be.network_uj - e.network_uj)].join(', ')} mJ`,
    `    CPU: ${d.cpu_extra_ns >= 0 ? 'costs' : 'saves'} ${ms(Math.abs(d.cpu_extra_ns))} ms of CPU time${cpuRatio}`,
    `    device I/O: ${swapIo >= 0 ? 'avoids' : 'adds'} ${fmt(Math.abs(swapIo))} swap I/Os (${fmt(base.io.swap_reads - b.io.swap_reads)} reads, ${fmt(base.io.swap_writes - b.io.swap_writes)} writes) and ${d.fs_reads_avoided >= 0 ? 'avoids' : 'adds'} ${fmt(Math.abs(d.fs_reads_avoided))} filesystem reads`,
    latencyLine('swap-in', b.latency.swap_in, base.latency.swap_in, d.swap_in_p99_saved_ns),
    latencyLine('page-cache miss', b.latency.page_cache_miss, base.latency.page_cache_miss, d.page_cache_miss_p99_saved_ns),
  ];
}

function summaryTable(run: ReportRun): string {
  const head = ['', `${run.backend.backend ?? 'no backend'}`];
  if (run.baseline) head.push('baseline (no backend)', 'saving');
  const t = new Table({ head, style: TABLE_STYLE, colAligns: ['left', 'right', 'right', 'right'] });
  for (const l of LINES) {
    const b = l.get(run.backend);
    let shown = l.show(b);
    if (l.label.startsWith('pool pages')) shown = `${fmt(run.backend.pool.pool_pages)} / ${fmt(run.backend.pool.peak_pool_pages)}`;
    const row = [l.label, shown];
    if (run.baseline) {
      const base = l.get(run.baseline);
      row.push(l.label.startsWith('pool pages') ? '-' : l.show(base), l.saving ? l.saving(base, b) : '');
    }
    t.push(row);
  }
  return t.toString();
}

function counterTable(r: Report): string {
  const head = ['counter', ...r.runs.map((x) => (x.variant ? `${x.profile}/${x.variant}` : x.profile))];
  const t = new Table({ head, style: TABLE_STYLE, colAligns: ['left', ...r.runs.map(() => 'right' as const)] });
  const groups: [string, (p: PassSummary) => Record<string, number>][] = [
    ['frontswap', (p) => ({ ...p.frontswap })],
    ['cleancache', (p) => ({ ...p.cleancache })],
  ];
  const first = r.runs[0]!.backend;
  for (const dir of Object.keys(first.debugfs)) groups.push([dir, (p) => p.debugfs[dir] ?? {}]);
  groups.push(['mm', (p) => p.mm as unknown as Record<string, number>]);
  for (const [name, get] of groups) {
    for (const k of Object.keys(get(first))) {
      const vals = r.runs.map((x) => get(x.backend)[k] ?? 0);
      if (name !== 'frontswap' && name !== 'cleancache' && vals.every((v) => v === 0)) continue;
      t.push([`${name}/${k}`, ...vals.map((v) => fmt(v))]);
    }
  }
  return t.toString();
}

/** The counters at each mark of the trace (one column a mark); rows that stay 0 at every mark are left out. */
function marksTable(marks: MarkSnapshot[]): string {
  const t = new Table({ head: ['counter', ...marks.map((k) => k.name)], style: TABLE_STYLE, colAligns: ['left', ...marks.map(() => 'right' as const)] });
  const rows = new Map<string, (x: MarkSnapshot) => number | undefined>();
  for (const k of marks) {
    for (const [g, c] of Object.entries(k.debugfs)) {
      if (g === 'vmstat') continue; // shown under vmstat
      for (const n of Object.keys(c)) if (!rows.has(`${g}/${n}`)) rows.set(`${g}/${n}`, (x) => x.debugfs[g]?.[n]);
    }
    for (const n of Object.keys(k.vmstat)) if (!rows.has(`vmstat/${n}`)) rows.set(`vmstat/${n}`, (x) => x.vmstat[n]);
    for (const n of Object.keys(k.meminfo)) if (!rows.has(`meminfo/${n} (kB)`)) rows.set(`meminfo/${n} (kB)`, (x) => x.meminfo[n]);
  }
  for (const [label, get] of rows) {
    const vals = marks.map(get);
    if (vals.every((v) => v === undefined || v === 0)) continue;
    t.push([label, ...vals.map((v) => (v === undefined ? 'n/a' : fmt(v)))]);
  }
  return t.toString();
}

function lifecycleTable(run: ReportRun): string {
  const t = new Table({
    head: ['event', 't (ms)', 'op', 'backend', 'strategy', 'outcome', 'dropped', 'to RAM', 'to disk', 'took (ms)', 'CPU (ms)', 'mJ', 'drained at (ms)', 'fs hit before/after', 'cc hit before/after'],
    style: TABLE_STYLE,
  });
  for (const l of run.backend.lifecycle) {
    t.push([
      `#${l.event}`, ms(l.t_ns), l.op, l.backend, l.strategy, l.outcome, fmt(l.pages_dropped), fmt(l.pages_to_ram), fmt(l.pages_to_disk),
      ms(l.duration_ns), ms(l.cpu_ns), mj(l.energy_uj), l.drained_ns === null ? '-' : ms(l.drained_ns),
      `${pct(l.frontswap_hit_before)} / ${pct(l.frontswap_hit_after)}`, `${pct(l.cleancache_hit_before)} / ${pct(l.cleancache_hit_after)}`,
    ]);
  }
  return t.toString();
}

function poolTable(run: ReportRun): string {
  const t = new Table({ head: ['pool', 'compressor', 'zpool', 'created (ms)', 'destroyed (ms)', 'pages (end)', 'pages (peak)'], style: TABLE_STYLE });
  for (const p of run.backend.pools) {
    t.push([String(p.id), p.compressor, p.zpool, ms(p.created_ns), p.destroyed_ns === null ? 'alive' : ms(p.destroyed_ns), fmt(p.stored_pages), fmt(p.stored_pages_peak)]);
  }
  return t.toString();
}

export function renderTable(r: Report): string {
  const c = r.config;
  const out: string[] = [];
  out.push(`tmemsim: ${r.trace}`);
  if (c.description) out.push(`  ${c.description}`);
  const params = Object.entries(c.params).map(([k, v]) => `${k}=${String(v)}`).join(' ');
  out.push(`  backend ${c.backend ?? 'none'}${c.compressor ? ` (${c.compressor})` : ''}, RAM ${fmt(c.ram_pages)} pages (${fmt((c.ram_pages * 4096) / 2 ** 20, 1)} MiB), seed ${c.seed}, ${c.verify_bytes ? 'bytes verified' : 'fast mode: tags only'}`);
  if (params) out.push(`  params: ${params}`);
  for (const run of r.runs) {
    out.push('', `profile ${run.profile}${run.variant ? `, rmmod strategy ${run.variant}` : ''}: ${fmt(run.backend.events)} events`);
    out.push(modelLine(run));
    out.push(summaryTable(run));
    if (run.delta) out.push(...deltaLines(run));
    if (run.uncertainty) out.push(...uncertaintyLines(run.uncertainty));
    if (run.backend.lifecycle.length > 0) out.push('', `lifecycle (${run.profile})`, lifecycleTable(run));
    if (run.backend.pools.length > 0) out.push('', `pools (${run.profile})`, poolTable(run));
    if (run.backend.marks) out.push('', `counters at each mark (${run.profile}, ${run.backend.backend ?? 'no backend'})`, marksTable(run.backend.marks));
  }
  out.push('', 'counters', counterTable(r));
  out.push('');
  if (r.verdict.ok) out.push('oracle: every load and get verified; 0 stale, 0 lost');
  else {
    out.push(`oracle: FAILED: ${r.verdict.stale} stale, ${r.verdict.lost} lost`);
    for (const run of r.runs) for (const e of run.backend.oracle.examples) out.push(`  [${run.profile}] ${e}`);
  }
  return out.join('\n') + '\n';
}
