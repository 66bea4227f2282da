/**
 * The default report: a summary table per profile (backend vs. baseline and
 * the saving), the kernel counters, the lifecycle timeline, and the oracle's
 * verdict. cli-table3 draws; colours are off so output is plain text.
 */

import { uncertaintyLines } from './uncertainty.js';
import type { PassSummary, ReportedLatency } from '../sim/summary.js';
import type { MarkSnapshot } from '../sim/marks.js';
import type { Report, ReportRun } from './model.js';
import { NA_TEXT, SIGN_CONVENTION, savingOf, showNa, type Na } from './na.js';
import { DEFAULT_WIDTH, fitTable, wrapProse, type Align } from './layout.js';
import { fmt, mj, ms, signed } from './numbers.js';

/** How to lay out a text report. */
export interface TextOptions {
  /** Columns to fit (default 100: layout.ts's DEFAULT_WIDTH). */
  width?: number;
}

const pct = (x: number): string => `${fmt(100 * x, 1)} %`;
const us = (ns: number): string => fmt(ns / 1000, 2);
const uj = (x: number): string => fmt(x, 2);

/** One baseline-delta line on a latency distribution: p50/p95/p99 of both passes and the p99 saving. */
function latencyLine(what: string, ops: string, b: ReportedLatency, base: ReportedLatency, savedNs: Na): string {
  const q = (s: ReportedLatency): string => (s.count === 0 ? `${NA_TEXT} (no ${ops})` : `${us(s.p50_ns!)} / ${us(s.p95_ns!)} / ${us(s.p99_ns!)} µs`);
  return `    ${what} p99 saved: ${showNa(savedNs, (x) => `${signed(us)(x)} µs`)}; p50/p95/p99 ${q(b)} against ${q(base)} (${fmt(b.count)} vs ${fmt(base.count)} ${ops})`;
}

interface Line {
  label: string;
  get: (p: PassSummary) => Na;
  show: (x: number) => string;
  /** Show the saving (baseline − backend) in the saving column. */
  saving?: boolean;
  /** The denominator a ratio is of (shown beside it), e.g. the lookups of a hit ratio. */
  of?: (p: PassSummary) => number;
}

const LINES: Line[] = [
  { label: 'simulated time (ms)', get: (p) => p.sim_time_ns, show: ms, saving: true },
  { label: 'CPU time (ms)', get: (p) => p.cost.cpuNs, show: ms, saving: true },
  { label: 'energy total (mJ)', get: (p) => p.energy.total_uj, show: mj, saving: true },
  { label: '  CPU (mJ)', get: (p) => p.energy.cpu_uj, show: mj, saving: true },
  { label: '  storage (mJ)', get: (p) => p.energy.storage_uj, show: mj, saving: true },
  { label: '    active: per operation (mJ)', get: (p) => p.energy.storage_active_uj, show: mj, saving: true },
  { label: '    idle (mJ)', get: (p) => p.energy.storage_idle_uj, show: mj, saving: true },
  { label: '  DRAM (mJ)', get: (p) => p.energy.dram_uj, show: mj, saving: true },
  { label: '  network (mJ)', get: (p) => p.energy.network_uj, show: mj, saving: true },
  { label: 'energy per swap-in (µJ)', get: (p) => p.energy_per_op.swap_in.uj, show: uj, saving: true },
  { label: 'energy per page-cache miss (µJ)', get: (p) => p.energy_per_op.page_cache_miss.uj, show: uj, saving: true },
  { label: 'energy per swap-out (µJ)', get: (p) => p.energy_per_op.swap_out.uj, show: uj, saving: true },
  { label: 'energy per cleancache put (µJ)', get: (p) => p.energy_per_op.cleancache_put.uj, show: uj, saving: true },
  { label: 'swap-in latency p99 (µs)', get: (p) => p.latency.swap_in.p99_ns, show: us, saving: true },
  { label: 'page-cache miss latency p99 (µs)', get: (p) => p.latency.page_cache_miss.p99_ns, show: us, saving: true },
  { label: 'swap device reads', get: (p) => p.io.swap_reads, show: fmt, saving: true },
  { label: 'swap device writes', get: (p) => p.io.swap_writes, show: fmt, saving: true },
  { label: 'filesystem reads', get: (p) => p.io.fs_reads, show: fmt, saving: true },
  { label: 'filesystem writes', get: (p) => p.io.fs_writes, show: fmt, saving: true },
  { label: 'frontswap load hit ratio (of swap-ins)', get: (p) => p.ratios.frontswap_load_hit, show: pct, of: (p) => p.mm.swap_ins },
  { label: 'cleancache get hit ratio (of gets)', get: (p) => p.ratios.cleancache_get_hit, show: pct, of: (p) => p.cleancache.succ_gets + p.cleancache.failed_gets },
  { label: 'page cache hit ratio (of lookups)', get: (p) => p.ratios.pagecache_hit, show: pct, of: (p) => p.mm.pgcache_hits + p.mm.pgcache_misses },
  { label: 'compression ratio', get: (p) => p.ratios.compression_ratio, show: (x) => fmt(x, 2) },
  { label: 'pool pages (end / peak)', get: (p) => p.pool.pool_pages, show: fmt },
  { label: 'stored pages (end)', get: (p) => p.pool.stored_pages, show: fmt },
];

/** A line's figure of one pass, with the denominator of a ratio. */
function cell(l: Line, p: PassSummary): string {
  if (l.label.startsWith('pool pages')) return `${fmt(p.pool.pool_pages)} / ${fmt(p.pool.peak_pool_pages)}`;
  const x = l.get(p);
  const shown = showNa(x, l.show);
  return l.of && x !== null ? `${shown} of ${fmt(l.of(p))}` : shown;
}

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
 * one line each for energy, CPU, device I/O and the two latency
 * distributions, every figure a saving (baseline − backend, + = less).
 */
function deltaLines(run: ReportRun): string[] {
  const d = run.delta!;
  const b = run.backend;
  const base = run.baseline!;
  const name = b.backend ?? 'the backend';
  const cpuRatio = base.cost.cpuNs === 0 ? '' : ` (${name} uses ${fmt(b.cost.cpuNs / base.cost.cpuNs, 2)}× the baseline's)`;
  const n = signed(fmt);
  return [
    `  against no backend (${SIGN_CONVENTION}):`,
    `    energy saved: ${signed(mj)(d.energy_saved_uj)} mJ (${showNa(d.energy_saved_pct, (x) => `${signed((y) => fmt(y, 1))(x)} %`)}): ` +
      `CPU ${signed(mj)(d.energy_cpu_saved_uj)}, storage ${signed(mj)(d.energy_storage_saved_uj)}, DRAM ${signed(mj)(d.energy_dram_saved_uj)}, network ${signed(mj)(d.energy_network_saved_uj)} mJ`,
    `    CPU time saved: ${signed(ms)(d.cpu_saved_ns)} ms${cpuRatio}`,
    `    swap I/Os avoided: ${n(d.swap_io_avoided)} (reads ${n(d.swap_reads_avoided)}, writes ${n(d.swap_writes_avoided)}); filesystem reads avoided: ${n(d.fs_reads_avoided)}`,
    latencyLine('swap-in latency', 'swap-ins', b.latency.swap_in, base.latency.swap_in, d.swap_in_p99_saved_ns),
    latencyLine('page-cache miss latency', 'misses', b.latency.page_cache_miss, base.latency.page_cache_miss, d.page_cache_miss_p99_saved_ns),
  ];
}

function summaryTable(run: ReportRun, width: number): string {
  const head = ['', `${run.backend.backend ?? (run.backend.backend_loaded ? 'backend' : 'no backend')}`];
  if (run.baseline) head.push('baseline (no backend)', 'saving');
  const rows: string[][] = [];
  for (const l of LINES) {
    const row = [l.label, cell(l, run.backend)];
    if (run.baseline) row.push(cell(l, run.baseline), l.saving ? showNa(savingOf(l.get(run.baseline), l.get(run.backend)), signed(l.show)) : '');
    rows.push(row);
  }
  return fitTable({ head, rows, align: ['left', 'right', 'right', 'right'], width });
}

function counterTable(r: Report, width: number): string {
  const head = ['counter', ...r.runs.map((x) => (x.variant ? `${x.profile}/${x.variant}` : x.profile))];
  const rows: string[][] = [];
  const groups: [string, (p: PassSummary) => Record<string, number | null>][] = [
    ['frontswap', (p) => ({ ...p.frontswap })],
    ['cleancache', (p) => ({ ...p.cleancache })],
  ];
  const first = r.runs[0]!.backend;
  for (const dir of Object.keys(first.debugfs)) groups.push([dir, (p) => p.debugfs[dir] ?? {}]);
  groups.push(['mm', (p) => p.mm as unknown as Record<string, number>]);
  for (const [name, get] of groups) {
    for (const k of Object.keys(get(first))) {
      // null: the backend's era has no such counter (n/a); a row of 0s and n/a's says nothing and is left out.
      const vals = r.runs.map((x) => {
        const v = get(x.backend)[k];
        return v === undefined ? 0 : v;
      });
      if (name !== 'frontswap' && name !== 'cleancache' && vals.every((v) => v === 0 || v === null)) continue;
      rows.push([`${name}/${k}`, ...vals.map((v) => (v === null ? NA_TEXT : fmt(v)))]);
    }
  }
  return fitTable({ head, rows, align: ['left', ...r.runs.map((): Align => 'right')], width });
}

/** The counters at each mark of the trace (one column a mark); rows that stay 0 at every mark are left out. */
function marksTable(marks: MarkSnapshot[], width: number): string {
  const out: string[][] = [];
  const rows = new Map<string, (x: MarkSnapshot) => number | undefined>();
  for (const k of marks) {
    for (const [g, c] of Object.entries(k.debugfs)) {
      if (g === 'vmstat') continue; // shown under vmstat
      for (const n of Object.keys(c)) if (!rows.has(`${g}/${n}`)) rows.set(`${g}/${n}`, (x) => x.debugfs[g]?.[n] ?? undefined);
    }
    for (const n of Object.keys(k.vmstat)) if (!rows.has(`vmstat/${n}`)) rows.set(`vmstat/${n}`, (x) => x.vmstat[n]);
    for (const n of Object.keys(k.meminfo)) if (!rows.has(`meminfo/${n} (kB)`)) rows.set(`meminfo/${n} (kB)`, (x) => x.meminfo[n]);
  }
  for (const [label, get] of rows) {
    const vals = marks.map(get);
    if (vals.every((v) => v === undefined || v === 0)) continue;
    out.push([label, ...vals.map((v) => (v === undefined ? NA_TEXT : fmt(v)))]);
  }
  return fitTable({ head: ['counter', ...marks.map((k) => k.name)], rows: out, align: ['left', ...marks.map((): Align => 'right')], width });
}

/** "before / after" of two hit ratios over the stretches around a lifecycle event. */
const beforeAfter = (a: Na, b: Na): string => `${showNa(a, pct)} / ${showNa(b, pct)}`;

function lifecycleTable(run: ReportRun, width: number): string {
  const head = ['event', 't (ms)', 'op', 'backend', 'strategy', 'outcome', 'dropped', 'to RAM', 'to disk', 'took (ms)', 'CPU (ms)', 'mJ', 'drained at (ms)', 'fs hit before / after', 'cc hit before / after'];
  const rows = run.backend.lifecycle.map((l) => [
    `#${l.event}`, ms(l.t_ns), l.op, l.backend, l.strategy, l.outcome, fmt(l.pages_dropped), fmt(l.pages_to_ram), fmt(l.pages_to_disk),
    ms(l.duration_ns), ms(l.cpu_ns), mj(l.energy_uj), l.drained_ns === null ? NA_TEXT : ms(l.drained_ns),
    beforeAfter(l.frontswap_hit_before, l.frontswap_hit_after), beforeAfter(l.cleancache_hit_before, l.cleancache_hit_after),
  ]);
  const align: Align[] = head.map((_, i) => (i >= 6 && i <= 12 ? 'right' : 'left'));
  return fitTable({ head, rows, align, keys: [0], width });
}

function poolTable(run: ReportRun, width: number): string {
  const head = ['pool', 'compressor', 'zpool', 'created (ms)', 'destroyed (ms)', 'pages (end)', 'pages (peak)'];
  const rows = run.backend.pools.map((p) => [String(p.id), p.compressor, p.zpool, ms(p.created_ns), p.destroyed_ns === null ? 'alive' : ms(p.destroyed_ns), fmt(p.stored_pages), fmt(p.stored_pages_peak)]);
  return fitTable({ head, rows, width });
}

export function renderTable(r: Report, o: TextOptions = {}): string {
  const width = o.width ?? DEFAULT_WIDTH;
  const c = r.config;
  const out: string[] = [];
  out.push(`tmemsim: ${r.trace}`);
  if (c.description) out.push(`  ${c.description}`);
  const params = Object.entries(c.params).map(([k, v]) => `${k}=${String(v)}`).join(' ');
  out.push(`  backend ${c.backend ?? 'none'}${c.compressor ? ` (${c.compressor})` : ''}, RAM ${fmt(c.ram_pages)} pages (${fmt((c.ram_pages * 4096) / 2 ** 20, 1)} MiB), seed ${c.seed}, ${c.verify_bytes ? 'bytes verified' : 'fast mode: tags only'}`);
  if (params) out.push(`  params: ${params}`);
  for (const n of r.notes) out.push(`  note: ${n}`);
  for (const run of r.runs) {
    out.push('', `profile ${run.profile}${run.variant ? `, rmmod strategy ${run.variant}` : ''}: ${fmt(run.backend.events)} events`);
    out.push(modelLine(run));
    if (run.baseline) out.push(`  saving column: ${SIGN_CONVENTION}`);
    out.push(summaryTable(run, width));
    if (run.delta) out.push(...deltaLines(run));
    if (run.uncertainty) out.push(...uncertaintyLines(run.uncertainty));
    if (run.backend.lifecycle.length > 0) out.push('', `lifecycle (${run.profile})`, lifecycleTable(run, width));
    if (run.backend.pools.length > 0) out.push('', `pools (${run.profile})`, poolTable(run, width));
    if (run.backend.marks) out.push('', `counters at each mark (${run.profile}, ${run.backend.backend ?? 'no backend'})`, marksTable(run.backend.marks, width));
  }
  out.push('', 'counters', counterTable(r, width));
  out.push('');
  if (r.verdict.ok) out.push('oracle: every load and get verified; 0 stale, 0 lost');
  else {
    out.push(`oracle: FAILED: ${r.verdict.stale} stale, ${r.verdict.lost} lost`);
    for (const run of r.runs) for (const e of run.backend.oracle.examples) out.push(`  [${run.profile}] ${e}`);
  }
  // Prose lines wrap at spaces (tables are already fitted).
  return wrapProse(out.join('\n'), width) + '\n';
}
