/**
 * Phase marks: a `mark` event snapshots every counter into the pass summary,
 * under the kernel's names, so one run gives the figures of every phase as a
 * real kernel shows them at that point (validation/ reads the same three files
 * in a guest: /sys/kernel/debug/<backend>/*, /proc/vmstat, /proc/meminfo).
 *
 * What each name means here (tmemsim's equivalent of the kernel's counter):
 *   debugfs   the backend's own stats() groups, as in the end-of-run report
 *   vmstat    pswpin / pswpout (pages read from / written to a swap device),
 *             pgpgin / pgpgout (kB read from / written to any device: swap and
 *             filesystems), pgsteal_anon / pgsteal_file (pages reclaimed),
 *             pgrotated (pages moved to the inactive tail at the end of their writeback),
 *             swap_ra / swap_ra_hit (pages swap readahead read, and those a
 *             fault then found), pgmajfault (faults that read a swapped-out
 *             page; file pages are never mapped, so no file major faults),
 *             nr_anon_pages (mapped anonymous pages: swap-cache pages no process
 *             maps are left out, as NR_ANON_MAPPED leaves them) / nr_file_pages /
 *             nr_free_pages / nr_swapcached (resident now; the last, pages in the
 *             swap cache, SwapCached in pages), pgscan_anon / pgscan_file (pages
 *             reclaim took from an inactive list), workingset_refault_anon /
 *             workingset_refault_file, pageoutrun, kswapd_low_wmark_hit_quickly /
 *             kswapd_high_wmark_hit_quickly, allocstall, pgsteal_kswapd /
 *             pgsteal_direct, compaction's pgmigrate_success /
 *             compact_migrate_scanned / compact_free_scanned / compact_isolated /
 *             compact_daemon_wake / compact_daemon_migrate_scanned /
 *             compact_daemon_free_scanned (only where the model compacts:
 *             6.1-cfs-buddy on zones), and
 *             the backend's vmstat events when it counts them (zswap: zswpin,
 *             zswpout, zswpwb); absent, not 0, when it does not; swpout_zero /
 *             swpin_zero (pages the swap core's zeromap kept / zero-filled) with
 *             config.swap_zeromap only, as only 6.12+ kernels count them
 *   meminfo   kB: MemTotal (totalram), MemFree, AnonPages, SwapTotal, SwapFree,
 *             SwapCached (resident anonymous pages that hold a swap slot),
 *             Zswap (pool size) and Zswapped (stored pages x 4 kB) with a zswap
 *             backend only
 *   zones     with named zones (config.zones) only: each zone's free pages
 *             (its share of nr_free_pages), watermark boost and pages on its
 *             per-CPU list (pcp_count), by name
 */

import { PAGE_SIZE } from '../content/page.js';
import type { VmInfo } from '../backends/backend.js';
import type { ReportedStats } from '../backends/counters.js';
import type { CostTotals } from '../cost/meter.js';
import { COMPACTION_STATS, type CompactionStat } from '../mm/reclaim/reclaim.js';

export interface MarkSnapshot {
  name: string;
  /** Index of the mark event in the trace. */
  event: number;
  sim_time_ns: number;
  /** CPU time of the work tmemsim modelled so far (the cost meter's; the workload's own time between events not included), ns. */
  cpu_ns: number;
  /** The backend's counters, n/a (null) where its era has no such counter (counters.ts reportedStats). */
  debugfs: ReportedStats;
  vmstat: Record<string, number>;
  meminfo: Record<string, number>;
  /** Each zone's free pages, watermark boost and per-CPU list count, by name, when the trace names its zones (config.zones), as the guests' marks record them. */
  zones?: Record<string, { free: number; boost: number; pcp_count: number }>;
}

const KB = PAGE_SIZE / 1024;

/** What a mark reads of the machine (Machine is one). */
interface MarkSource {
  /** The backend's counters as reported (Machine.backendStats; null: no backend). */
  backendStats(): ReportedStats | null;
  readonly meter: { readonly totals: CostTotals };
  readonly stats: {
    readonly pswpin: number;
    readonly pswpout: number;
    readonly pgsteal_anon: number;
    readonly pgsteal_file: number;
    readonly pgrotated: number;
    readonly swap_ra: number;
    readonly swap_ra_hit: number;
    readonly pgmajfault: number;
    readonly pageoutrun: number;
    readonly kswapd_low_wmark_hit_quickly: number;
    readonly kswapd_high_wmark_hit_quickly: number;
    readonly allocstall: number;
    readonly pgsteal_kswapd: number;
    readonly pgsteal_direct: number;
    readonly pgscan_anon: number;
    readonly pgscan_file: number;
    readonly workingset_refault_anon: number;
    readonly workingset_refault_file: number;
  } & Readonly<Record<CompactionStat, number>>;
  readonly memory: {
    readonly compacts: boolean;
    readonly anonMapped: number;
    readonly fileResident: number;
    readonly free: number;
    readonly swapCached: number;
    readonly ptPages: number;
    readonly xaSlabPages: number;
    readonly zoneNames: readonly string[];
    zoneStates(): Record<string, { free: number; boost: number; pcp_count: number }>;
  };
  readonly swapZeromap: boolean;
  readonly zeromapStats: { readonly swpout_zero: number; readonly swpin_zero: number };
  readonly swap: { totalPages(): number; usedSlots(): number };
  /** The backends' slab pages (MmEnv.slabPages). */
  readonly slabPages: number;
  vm(): VmInfo;
  readonly eventIndex: number;
  readonly clock: number;
}

export function snapshotMark(m: MarkSource, name: string): MarkSnapshot {
  const debugfs: ReportedStats = m.backendStats() ?? {};
  const t = m.meter.totals;
  const s = m.stats;
  const vmstat: Record<string, number> = {
    pswpin: s.pswpin,
    pswpout: s.pswpout,
    pgpgin: (t.swapReads + t.fsReads) * KB,
    pgpgout: (t.swapWrites + t.fsWrites) * KB,
    pgsteal_anon: s.pgsteal_anon,
    pgsteal_file: s.pgsteal_file,
    pgrotated: s.pgrotated,
    swap_ra: s.swap_ra,
    swap_ra_hit: s.swap_ra_hit,
    pgmajfault: s.pgmajfault,
    pageoutrun: s.pageoutrun,
    kswapd_low_wmark_hit_quickly: s.kswapd_low_wmark_hit_quickly,
    kswapd_high_wmark_hit_quickly: s.kswapd_high_wmark_hit_quickly,
    allocstall: s.allocstall,
    pgsteal_kswapd: s.pgsteal_kswapd,
    pgsteal_direct: s.pgsteal_direct,
    // Memory compaction's counters, where the model compacts (absent, not 0, elsewhere).
    ...(m.memory.compacts ? Object.fromEntries(COMPACTION_STATS.map((k) => [k, s[k]])) : {}),
    pgscan_anon: s.pgscan_anon,
    pgscan_file: s.pgscan_file,
    workingset_refault_anon: s.workingset_refault_anon,
    workingset_refault_file: s.workingset_refault_file,
    nr_anon_pages: m.memory.anonMapped,
    nr_file_pages: m.memory.fileResident,
    nr_free_pages: m.memory.free,
    nr_swapcached: m.memory.swapCached,
    ...(m.swapZeromap ? m.zeromapStats : {}),
  };
  // The backend's vmstat lines (zswap's zswpin, zswpout, zswpwb), those its era has.
  for (const [k, v] of Object.entries(debugfs['vmstat'] ?? {})) if (v !== null) vmstat[k] = v;
  const vm = m.vm();
  const meminfo: Record<string, number> = {
    MemTotal: vm.totalram * KB,
    MemFree: vm.free * KB,
    AnonPages: m.memory.anonMapped * KB,
    SwapTotal: m.swap.totalPages() * KB,
    SwapFree: (m.swap.totalPages() - m.swap.usedSlots()) * KB,
    SwapCached: m.memory.swapCached * KB,
    // Kernel memory the model charges: the backends' slab (their caches are created without
    // SLAB_RECLAIM_ACCOUNT), the swap cache's xarray nodes, page tables.
    SUnreclaim: m.slabPages * KB,
    SReclaimable: m.memory.xaSlabPages * KB,
    PageTables: m.memory.ptPages * KB,
  };
  const z = debugfs['zswap'];
  if (z) {
    meminfo['Zswap'] = (z['pool_total_size'] ?? 0) / 1024;
    meminfo['Zswapped'] = (z['stored_pages'] ?? 0) * KB;
  }
  const snap: MarkSnapshot = { name, event: m.eventIndex, sim_time_ns: m.clock, cpu_ns: t.cpuNs, debugfs, vmstat, meminfo };
  if (m.memory.zoneNames.length > 0) snap.zones = m.memory.zoneStates();
  return snap;
}
