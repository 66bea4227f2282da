/**
 * tmemsim against the kernel, counter by counter at every mark (phase).
 *
 * Kernel figures are taken relative to the start mark (the guest's counters
 * since boot minus those before the workload), except the gauges, which are
 * read as they are. The kernel's range is min..max over the recorded runs;
 * tmemsim is within tolerance when it lies in
 *   [min - tol, max + tol],  tol = max(rel x max(|min|, |max|), ABS_SLACK)
 * with rel = 1 % for bytes per stored page and 5 % for every other counter
 * judged, and ABS_SLACK = 10 (pages or events: counts under 100 would
 * otherwise be judged to the page; 10 is 5 % of 200). Byte counts (pool_total_size) get
 * no absolute slack beyond one page.
 *
 * SHOWN lists counters printed beside the judged ones and not judged: who
 * reclaimed (kswapd or the faulting task) and how often kswapd ran, which follow
 * how kswapd shares the CPU with the workload, a race the per-operation costs
 * decide (docs/validation.md, "What is out of tolerance", item 2); which anonymous
 * pages reclaim took from the inactive list, the refaults and rotations, and the mapped,
 * swap-cached and free pages at each mark, which say which pages stayed resident; the
 * kernel memory that grew since the start (slab, unreclaimable and reclaimable, and page
 * tables), against what the model charges to RAM; and the
 * kernel's CPU time in the phase, /proc/stat's system time against the CPU
 * tmemsim charged for its modelled work: the check of the guest profile that
 * prices it (validation/guest-cpu.mjs), which the replay no longer folds into
 * the workload's own time (docs/validation.md, "The workload's own time").
 */

import { PAGE_SIZE } from '../content/page.js';
import type { PassSummary } from '../sim/summary.js';
import type { MarkSnapshot } from '../sim/marks.js';
import { USER_HZ, type RecordedMark, type Reference } from './reference.js';

const REL_TOLERANCE = 0.05;
const BYTES_PER_PAGE_TOLERANCE = 0.01;
export const ABS_SLACK = 10;
/** /proc/meminfo's kB in a page. */
const KB_PER_PAGE = PAGE_SIZE / 1024;

/** Where a counter is read in the kernel's mark and in tmemsim's snapshot. */
interface CounterDef {
  name: string;
  /** zswap counters are judged only when the case enables zswap (tmemsim has none to show otherwise). */
  zswap: boolean;
  gauge: boolean;
  rel: number;
  slack: number;
  kernel: (m: RecordedMark) => number | undefined;
  sim: (s: MarkSnapshot) => number | undefined;
}

const dz = (k: string) => (m: RecordedMark): number | undefined => m.zswap[k];
const sz = (k: string) => (s: MarkSnapshot): number | undefined => s.debugfs['zswap']?.[k] ?? undefined;
const vk = (k: string) => (m: RecordedMark): number | undefined => m.vmstat[k];
const vs = (k: string) => (s: MarkSnapshot): number | undefined => s.vmstat[k];

/** Pool bytes per compressed stored page. A kernel without same_filled_pages (6.12+: no such path) stores none. */
function bytesPerPage(pool: number | undefined, stored: number | undefined, same: number | undefined): number | undefined {
  if (pool === undefined || stored === undefined) return undefined;
  const n = stored - (same ?? 0);
  return n > 0 ? pool / n : undefined;
}

/** The judged counters, in the order the table prints them. */
export const COUNTERS: readonly CounterDef[] = [
  {
    name: 'bytes_per_stored_page', zswap: true, gauge: true, rel: BYTES_PER_PAGE_TOLERANCE, slack: 0,
    kernel: (m) => bytesPerPage(m.zswap['pool_total_size'], m.zswap['stored_pages'], m.zswap['same_filled_pages']),
    sim: (s) => bytesPerPage(sz('pool_total_size')(s), sz('stored_pages')(s), sz('same_filled_pages')(s)),
  },
  { name: 'stored_pages', zswap: true, gauge: true, rel: REL_TOLERANCE, slack: ABS_SLACK, kernel: dz('stored_pages'), sim: sz('stored_pages') },
  { name: 'same_filled_pages', zswap: true, gauge: true, rel: REL_TOLERANCE, slack: ABS_SLACK, kernel: dz('same_filled_pages'), sim: sz('same_filled_pages') },
  { name: 'pool_total_size', zswap: true, gauge: true, rel: REL_TOLERANCE, slack: 4096, kernel: dz('pool_total_size'), sim: sz('pool_total_size') },
  { name: 'pool_limit_hit', zswap: true, gauge: false, rel: REL_TOLERANCE, slack: ABS_SLACK, kernel: dz('pool_limit_hit'), sim: sz('pool_limit_hit') },
  { name: 'reject_reclaim_fail', zswap: true, gauge: false, rel: REL_TOLERANCE, slack: ABS_SLACK, kernel: dz('reject_reclaim_fail'), sim: sz('reject_reclaim_fail') },
  { name: 'written_back_pages', zswap: true, gauge: false, rel: REL_TOLERANCE, slack: ABS_SLACK, kernel: dz('written_back_pages'), sim: sz('written_back_pages') },
  // 6.6+ (a 6.1 kernel has no such file: not judged there).
  { name: 'reject_compress_fail', zswap: true, gauge: false, rel: REL_TOLERANCE, slack: ABS_SLACK, kernel: dz('reject_compress_fail'), sim: sz('reject_compress_fail') },
  { name: 'zswpin', zswap: true, gauge: false, rel: REL_TOLERANCE, slack: ABS_SLACK, kernel: vk('zswpin'), sim: vs('zswpin') },
  { name: 'zswpout', zswap: true, gauge: false, rel: REL_TOLERANCE, slack: ABS_SLACK, kernel: vk('zswpout'), sim: vs('zswpout') },
  { name: 'pswpin', zswap: false, gauge: false, rel: REL_TOLERANCE, slack: ABS_SLACK, kernel: vk('pswpin'), sim: vs('pswpin') },
  { name: 'pswpout', zswap: false, gauge: false, rel: REL_TOLERANCE, slack: ABS_SLACK, kernel: vk('pswpout'), sim: vs('pswpout') },
  // The swap core's zeromap (6.12+; a 6.1 kernel has neither counter: not judged there).
  { name: 'swpout_zero', zswap: false, gauge: false, rel: REL_TOLERANCE, slack: ABS_SLACK, kernel: vk('swpout_zero'), sim: vs('swpout_zero') },
  { name: 'swpin_zero', zswap: false, gauge: false, rel: REL_TOLERANCE, slack: ABS_SLACK, kernel: vk('swpin_zero'), sim: vs('swpin_zero') },
  // Swap readahead: pages read ahead, those a fault then found, and the faults that read (the windows' count).
  { name: 'swap_ra', zswap: false, gauge: false, rel: REL_TOLERANCE, slack: ABS_SLACK, kernel: vk('swap_ra'), sim: vs('swap_ra') },
  { name: 'swap_ra_hit', zswap: false, gauge: false, rel: REL_TOLERANCE, slack: ABS_SLACK, kernel: vk('swap_ra_hit'), sim: vs('swap_ra_hit') },
  { name: 'pgmajfault', zswap: false, gauge: false, rel: REL_TOLERANCE, slack: ABS_SLACK, kernel: vk('pgmajfault'), sim: vs('pgmajfault') },
  // kB read from block devices (swap and the file): the page-cache cases' measure of misses.
  { name: 'pgpgin', zswap: false, gauge: false, rel: REL_TOLERANCE, slack: 4 * ABS_SLACK, kernel: vk('pgpgin'), sim: vs('pgpgin') },
];

/** The kernel's direct reclaims, all zones together (vmstat counts them per zone: allocstall_dma32, ...). */
function allocstall(m: RecordedMark): number | undefined {
  let n: number | undefined;
  for (const [k, v] of Object.entries(m.vmstat)) if (k.startsWith('allocstall_')) n = (n ?? 0) + v;
  return n;
}

/** Shown, not judged (see the header). */
const SHOWN: readonly CounterDef[] = [
  { name: 'pageoutrun', zswap: false, gauge: false, rel: 0, slack: 0, kernel: vk('pageoutrun'), sim: vs('pageoutrun') },
  // How kswapd's runs began: woken in the short sleep after a balanced run, or unwoken at its end.
  { name: 'kswapd_low_wmark_hit_quickly', zswap: false, gauge: false, rel: 0, slack: 0, kernel: vk('kswapd_low_wmark_hit_quickly'), sim: vs('kswapd_low_wmark_hit_quickly') },
  { name: 'kswapd_high_wmark_hit_quickly', zswap: false, gauge: false, rel: 0, slack: 0, kernel: vk('kswapd_high_wmark_hit_quickly'), sim: vs('kswapd_high_wmark_hit_quickly') },
  { name: 'pgsteal_kswapd', zswap: false, gauge: false, rel: 0, slack: 0, kernel: vk('pgsteal_kswapd'), sim: vs('pgsteal_kswapd') },
  { name: 'pgsteal_direct', zswap: false, gauge: false, rel: 0, slack: 0, kernel: vk('pgsteal_direct'), sim: vs('pgsteal_direct') },
  { name: 'allocstall', zswap: false, gauge: false, rel: 0, slack: 0, kernel: allocstall, sim: vs('allocstall') },
  // Memory compaction (kcompactd's proactive and woken runs; the guests have no direct
  // compaction): pages migrated, kcompactd's wake-ups, pages its migrate scanner looked at.
  { name: 'pgmigrate_success', zswap: false, gauge: false, rel: 0, slack: 0, kernel: vk('pgmigrate_success'), sim: vs('pgmigrate_success') },
  { name: 'compact_daemon_wake', zswap: false, gauge: false, rel: 0, slack: 0, kernel: vk('compact_daemon_wake'), sim: vs('compact_daemon_wake') },
  { name: 'compact_migrate_scanned', zswap: false, gauge: false, rel: 0, slack: 0, kernel: vk('compact_migrate_scanned'), sim: vs('compact_migrate_scanned') },
  // Which pages reclaim met and what it did with them: anon pages taken from the inactive list,
  // refaults of evicted pages, rotations at the end of a write; and what is resident at the mark
  // (mapped anonymous pages, those in the swap cache, and free pages: NR_FREE_PAGES, the per-CPU
  // lists left out on both sides; what reclaim left free at the mark decides how many pages it
  // took, e.g. zstd's write-phase limit hits, docs/validation.md item 2).
  { name: 'pgscan_anon', zswap: false, gauge: false, rel: 0, slack: 0, kernel: vk('pgscan_anon'), sim: vs('pgscan_anon') },
  { name: 'workingset_refault_anon', zswap: false, gauge: false, rel: 0, slack: 0, kernel: vk('workingset_refault_anon'), sim: vs('workingset_refault_anon') },
  { name: 'pgrotated', zswap: false, gauge: false, rel: 0, slack: 0, kernel: vk('pgrotated'), sim: vs('pgrotated') },
  { name: 'nr_anon_pages', zswap: false, gauge: true, rel: 0, slack: 0, kernel: vk('nr_anon_pages'), sim: vs('nr_anon_pages') },
  { name: 'nr_swapcached', zswap: false, gauge: true, rel: 0, slack: 0, kernel: vk('nr_swapcached'), sim: vs('nr_swapcached') },
  { name: 'nr_free_pages', zswap: false, gauge: true, rel: 0, slack: 0, kernel: vk('nr_free_pages'), sim: vs('nr_free_pages') },
  // Each zone's free pages, watermark boost and per-CPU list count at the mark (/proc/zoneinfo:
  // recordings from 2026-12-05 on): whether kswapd was reclaiming a boost when the phase ended,
  // and what the per-CPU lists held.
  ...(['DMA', 'DMA32'] as const).flatMap((z): CounterDef[] => [
    { name: `${z}_free`, zswap: false, gauge: true, rel: 0, slack: 0, kernel: (m) => m.zones?.[z]?.free, sim: (s) => s.zones?.[z]?.free },
    { name: `${z}_boost`, zswap: false, gauge: true, rel: 0, slack: 0, kernel: (m) => m.zones?.[z]?.boost, sim: (s) => s.zones?.[z]?.boost },
    { name: `${z}_pcp_count`, zswap: false, gauge: true, rel: 0, slack: 0, kernel: (m) => m.zones?.[z]?.pcp_count, sim: (s) => s.zones?.[z]?.pcp_count },
  ]),
  // Kernel memory's growth since the start mark, pages (/proc/meminfo SUnreclaim, SReclaimable,
  // PageTables): the guest's slab and page tables against the backends' slab, the swap cache's
  // xarray nodes and the page tables tmemsim charges (docs/model.md, "Kernel memory charged to RAM").
  ...(
    [
      ['slab_unreclaimable', 'SUnreclaim'],
      ['slab_reclaimable', 'SReclaimable'],
      ['page_tables', 'PageTables'],
    ] as const
  ).map(([name, k]): CounterDef => ({
    name, zswap: false, gauge: false, rel: 0, slack: 0,
    kernel: (m) => (m.meminfo[k] === undefined ? undefined : m.meminfo[k] / KB_PER_PAGE),
    sim: (s) => (s.meminfo[k] === undefined ? undefined : s.meminfo[k] / KB_PER_PAGE),
  })),
  {
    name: 'system_cpu_ms', zswap: false, gauge: false, rel: 0, slack: 0,
    kernel: (m) => (m.stat?.['system'] === undefined ? undefined : (m.stat['system'] * 1000) / USER_HZ),
    sim: (s) => Math.round(s.cpu_ns / 1e6),
  },
];

type Status = 'ok' | 'OUT';

/** A counter shown and not judged: the kernel's range over the runs, and tmemsim's figure. */
export interface ShownRow {
  case: string;
  phase: string;
  counter: string;
  kernel_min: number;
  kernel_max: number;
  tmemsim: number | null;
}

/** A judged counter: a shown one with its tolerance, error and verdict. */
export interface Row extends ShownRow {
  /** The allowed distance outside the kernel's range. */
  tolerance: number;
  /** tmemsim minus the nearest end of the kernel's range (0 inside it). */
  error: number;
  /** error relative to that end, % (null when the end is 0). */
  error_pct: number | null;
  status: Status;
}

export function rowKey(r: Pick<Row, 'case' | 'phase' | 'counter'>): string {
  return `${r.case}/${r.phase}/${r.counter}`;
}

/** One run's figure of a counter at a phase (relative to its start mark unless a gauge), or undefined. */
function kernelValue(run: Reference['runs'][number], phase: string, c: CounterDef): number | undefined {
  const m = run.marks.find((x) => x.name === phase);
  const start = run.marks.find((x) => x.name === 'start');
  if (m === undefined || start === undefined) return undefined;
  const v = c.kernel(m);
  if (v === undefined) return undefined;
  return c.gauge ? v : v - (c.kernel(start) ?? 0);
}

/** The kernel's min and max of a counter at a phase over the runs (relative to the start mark unless a gauge), or null. */
function kernelRange(ref: Reference, phase: string, c: CounterDef): [number, number] | null {
  const ks: number[] = [];
  for (const run of ref.runs) {
    const v = kernelValue(run, phase, c);
    if (v !== undefined) ks.push(v);
  }
  return ks.length === 0 ? null : [Math.min(...ks), Math.max(...ks)];
}

/**
 * Each counter of `counters` at each phase after `start`: the kernel's range, and the figure
 * `judged` gives for that phase (tmemsim's at its mark of that name; null without one). zswap
 * counters only where the case enables zswap; a counter the kernel did not record is left out.
 */
function* measured(ref: Reference, counters: readonly CounterDef[], judged: (phase: string, c: CounterDef) => number | null): Generator<ShownRow & { def: CounterDef }> {
  for (const phase of ref.runs[0]!.marks.map((m) => m.name)) {
    if (phase === 'start') continue;
    for (const c of counters) {
      if (c.zswap && !ref.config.zswap.enabled) continue;
      const range = kernelRange(ref, phase, c);
      if (range === null) continue;
      yield { case: ref.case, phase, counter: c.name, kernel_min: range[0], kernel_max: range[1], tmemsim: judged(phase, c), def: c };
    }
  }
}

/** tmemsim's figure of a counter at its mark named `phase`, or null. */
function simFigure(pass: Pick<PassSummary, 'marks'>): (phase: string, c: CounterDef) => number | null {
  const sims = pass.marks ?? [];
  return (phase, c) => {
    const sim = sims.find((s) => s.name === phase);
    return sim ? c.sim(sim) ?? null : null;
  };
}

/** The SHOWN counters of one case, at every phase the kernel recorded them. */
export function shownCase(ref: Reference, pass: Pick<PassSummary, 'marks'>): ShownRow[] {
  return [...measured(ref, SHOWN, simFigure(pass))].map(({ def: _, ...row }) => row);
}

/** Compares one case's tmemsim pass with its kernel runs. */
export function compareCase(ref: Reference, pass: Pick<PassSummary, 'marks'>): Row[] {
  return judge(ref, simFigure(pass));
}

/**
 * Judges one kernel run (another recording of the case: record.mjs --out DIR) against the
 * case's references by the same rules as tmemsim: what the suite's ranges allow a kernel that
 * ran the same workload again. The rows' `tmemsim` column holds that run's figure.
 */
export function compareKernelRun(ref: Reference, run: Reference['runs'][number]): Row[] {
  return judge(ref, (phase, c) => kernelValue(run, phase, c) ?? null);
}

function judge(ref: Reference, judged: (phase: string, c: CounterDef) => number | null): Row[] {
  const rows: Row[] = [];
  for (const { def: c, ...m } of measured(ref, COUNTERS, judged)) {
    const lo = m.kernel_min;
    const hi = m.kernel_max;
    const t = m.tmemsim;
    const tol = Math.max(c.rel * Math.max(Math.abs(lo), Math.abs(hi)), c.slack);
    let error = 0;
    let end = lo;
    if (t !== null && t < lo) error = t - lo;
    else if (t !== null && t > hi) {
      error = t - hi;
      end = hi;
    }
    const ok = t !== null && Math.abs(error) <= tol;
    rows.push({ ...m, tolerance: tol, error, error_pct: end === 0 ? null : (100 * error) / Math.abs(end), status: ok ? 'ok' : 'OUT' });
  }
  return rows;
}
