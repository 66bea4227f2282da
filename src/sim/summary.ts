/**
 * A pass's results as plain data with a stable key order: counters under
 * their kernel names, derived ratios, costs, energy and the oracle's verdict.
 */

import { activeEnergyOf, energyOf, storageBusyNs, type EnergyBreakdown } from '../cost/energy.js';
import type { OpCharges } from '../cost/op-charges.js';
import type { LatencyStats } from '../cost/latency.js';
import type { PoolRecord } from '../backends/backend.js';
import type { ReportedStats } from '../backends/counters.js';
import type { CostTotals } from '../cost/meter.js';
import type { CleancacheCounters } from '../frontends/cleancache.js';
import type { FrontswapCounters } from '../frontends/frontswap.js';
import type { Profile } from '../profiles/profile.js';
import type { LifecycleRecord, LifecycleSnapshot } from './lifecycle.js';
import type { Machine, MachineStats } from './machine.js';
import type { OracleCounts } from './oracle.js';
import type { MarkSnapshot } from './marks.js';
import { meanOrNa, ratioOrNa, tmemRatioOrNa, type Na } from '../report/na.js';
import { withoutCompaction, type CompactionStat } from '../mm/reclaim/reclaim.js';

/**
 * A lifecycle event as reported: what it moved, what it cost, hit ratios in
 * the stretch before and after it (null: no lookups in that stretch).
 */
export interface LifecycleEntry extends Omit<LifecycleRecord, 'snapshot'> {
  energy_uj: number;
  frontswap_hit_before: Na;
  frontswap_hit_after: Na;
  cleancache_hit_before: Na;
  cleancache_hit_after: Na;
}

/** A latency distribution as reported: the quantiles are null when there was no such operation (count 0). */
export interface ReportedLatency {
  count: number;
  mean_ns: Na;
  p50_ns: Na;
  p95_ns: Na;
  p99_ns: Na;
  max_ns: Na;
}

export interface PassSummary {
  /** The backend loaded at the end of the pass (null: none). */
  backend: string | null;
  /** Whether a backend was loaded at any time of the pass (at boot or by an insmod event). */
  backend_loaded: boolean;
  events: number;
  sim_time_ns: number;
  frontswap: FrontswapCounters & { frontswap_curr_pages: number };
  cleancache: CleancacheCounters;
  /** The backend's counters by debugfs directory, n/a (null) where its era has no such counter. */
  debugfs: ReportedStats;
  /** The memory model's counters; memory compaction's only where the model compacts (6.1-cfs-buddy on zones). */
  mm: Omit<MachineStats, CompactionStat> & Partial<Pick<MachineStats, CompactionStat>> & { resident_anon: number; resident_file: number; free_pages: number; swap_slots_used: number };
  pool: { pool_pages: number; peak_pool_pages: number; stored_pages: number; stored_bytes: number };
  io: { swap_reads: number; swap_writes: number; fs_reads: number; fs_writes: number };
  /**
   * Ratios (src/report/na.ts: null when the denominator is 0, and the tmem
   * hit ratios in a pass that never had a backend). frontswap_load_hit:
   * swap-ins served by frontswap / swap-ins (mm.swap_ins_frontswap /
   * mm.swap_ins); cleancache_get_hit: cleancache succ_gets / (succ_gets +
   * failed_gets); pagecache_hit: mm.pgcache_hits / (pgcache_hits +
   * pgcache_misses); compression_ratio: bytes in / bytes out of the
   * compressor; pool_density: stored pages / pool pages.
   */
  ratios: {
    frontswap_load_hit: Na;
    cleancache_get_hit: Na;
    pagecache_hit: Na;
    compression_ratio: Na;
    pool_density: Na;
  };
  cost: CostTotals;
  energy: EnergyBreakdown;
  /**
   * Energy per operation (µJ, without idle power): the mean over the pass of
   * what each swap-in, page-cache miss, swap-out and cleancache put charged.
   * swap_out and cleancache_put are the energy per page stored (compressing
   * and storing it, or writing it to the device when the backend refuses it).
   */
  energy_per_op: {
    swap_in: OpEnergy;
    page_cache_miss: OpEnergy;
    swap_out: OpEnergy;
    cleancache_put: OpEnergy;
  };
  /** Time the storage device was serving operations, ns (the rest of sim_time_ns it idles). */
  storage_busy_ns: number;
  /** Modelled latency distributions (src/cost/latency.ts: nearest-rank quantiles within 0.05 %). */
  latency: { swap_in: ReportedLatency; page_cache_miss: ReportedLatency };
  oracle: OracleCounts & { examples: string[] };
  lifecycle: LifecycleEntry[];
  /** The backend's pools over the run (zswap), if it keeps them. */
  pools: PoolRecord[];
  /** Counter snapshots at the trace's mark events (present only when the trace has marks). */
  marks?: MarkSnapshot[];
}

interface OpEnergy {
  count: number;
  /** Mean energy per operation, µJ, and its CPU / storage / DRAM / network parts (null: no such operation). */
  uj: Na;
  cpu_uj: Na;
  storage_uj: Na;
  dram_uj: Na;
  network_uj: Na;
}

/** `applies` false: a tmem operation in a pass without a backend (the kernel's hook returns at once): every mean is n/a. */
function opEnergy(o: OpCharges, p: Profile, applies = true): OpEnergy {
  const e = activeEnergyOf(o, p);
  const n = o.count;
  const per = (x: number): Na => (applies ? meanOrNa(x, n) : null);
  return { count: n, uj: per(e.total_uj), cpu_uj: per(e.cpu_uj), storage_uj: per(e.storage_uj), dram_uj: per(e.dram_uj), network_uj: per(e.network_uj) };
}

function latencyOf(s: LatencyStats): ReportedLatency {
  if (s.count === 0) return { count: 0, mean_ns: null, p50_ns: null, p95_ns: null, p99_ns: null, max_ns: null };
  return { ...s };
}

export function summarize(m: Machine, o: { events: number; profile: Profile; withBackend: boolean }): PassSummary {
  const b = m.backend;
  const t = m.meter.totals;
  const s = m.stats;
  const storedPages = b ? b.storedPages() : 0;
  const storedBytes = b ? b.storedBytes() : 0;
  const poolPages = b ? b.poolPages() : 0;
  const energy = energyOf(t, o.profile, m.clock);
  // A backend was loaded at some time of the pass (at boot or by an insmod), read off the frontends'
  // own registration flags: the lifecycle log starts after boot, so it cannot say.
  const tmem = o.withBackend && (m.frontswap.everRegistered || m.cleancache.everRegistered);
  const cc = m.cleancache.counters;
  return {
    backend: o.withBackend ? (b?.name ?? null) : null,
    backend_loaded: tmem,
    events: o.events,
    sim_time_ns: m.clock,
    frontswap: { ...m.frontswap.counters, frontswap_curr_pages: m.frontswap.currPages() },
    cleancache: { ...m.cleancache.counters },
    debugfs: m.backendStats() ?? {},
    mm: {
      ...withoutCompaction(s, m.memory.compacts),
      ...(m.swapZeromap ? m.zeromapStats : {}),
      resident_anon: m.memory.anonResident,
      resident_file: m.memory.fileResident,
      free_pages: m.memory.free,
      swap_slots_used: m.swap.usedSlots(),
    },
    pool: { pool_pages: poolPages, peak_pool_pages: m.peakPoolPages, stored_pages: storedPages, stored_bytes: storedBytes },
    io: { swap_reads: t.swapReads, swap_writes: t.swapWrites, fs_reads: t.fsReads, fs_writes: t.fsWrites },
    ratios: {
      frontswap_load_hit: tmemRatioOrNa(o.withBackend && m.frontswap.everRegistered, s.swap_ins_frontswap, s.swap_ins),
      cleancache_get_hit: tmemRatioOrNa(o.withBackend && m.cleancache.everRegistered, cc.succ_gets, cc.succ_gets + cc.failed_gets),
      pagecache_hit: ratioOrNa(s.pgcache_hits, s.pgcache_hits + s.pgcache_misses),
      compression_ratio: ratioOrNa(t.compressInBytes, t.compressOutBytes),
      pool_density: ratioOrNa(storedPages, poolPages),
    },
    cost: { ...t },
    energy,
    energy_per_op: {
      swap_in: opEnergy(m.ops.swapIn, o.profile),
      page_cache_miss: opEnergy(m.ops.pageCacheMiss, o.profile),
      swap_out: opEnergy(m.ops.swapOut, o.profile),
      cleancache_put: opEnergy(m.ops.cleancachePut, o.profile, o.withBackend && m.cleancache.everRegistered),
    },
    storage_busy_ns: storageBusyNs(t, o.profile),
    latency: { swap_in: latencyOf(m.latency.swapIn.stats()), page_cache_miss: latencyOf(m.latency.pageCacheMiss.stats()) },
    oracle: { ...m.oracle.counts, examples: [...m.oracle.examples] },
    lifecycle: lifecycleEntries(m, o.profile),
    pools: b?.poolHistory?.() ?? [],
    ...(m.marks.length > 0 ? { marks: [...m.marks] } : {}),
  };
}

function snapshotNow(m: Machine): LifecycleSnapshot {
  const cc = m.cleancache.counters;
  return { swap_ins: m.stats.swap_ins, swap_ins_tmem: m.stats.swap_ins_frontswap, cc_gets: cc.succ_gets + cc.failed_gets, cc_hits: cc.succ_gets, fs_loads: m.frontswap.counters.loads };
}

function lifecycleEntries(m: Machine, p: Profile): LifecycleEntry[] {
  const zero: LifecycleSnapshot = { swap_ins: 0, swap_ins_tmem: 0, cc_gets: 0, cc_hits: 0, fs_loads: 0 };
  const end = snapshotNow(m);
  const recs = m.lifecycle;
  return recs.map((r, i) => {
    const before = i > 0 ? recs[i - 1]!.snapshot : zero;
    const after = i + 1 < recs.length ? recs[i + 1]!.snapshot : end;
    const { snapshot, ...rest } = r;
    const energy = (r.cpu_ns / 1e9) * p.cpu.activePowerW.value * 1e6 + r.swap_writes * p.storage.writeEnergyUJ.value + r.swap_reads * p.storage.readEnergyUJ.value;
    return {
      ...rest,
      energy_uj: energy,
      frontswap_hit_before: ratioOrNa(snapshot.swap_ins_tmem - before.swap_ins_tmem, snapshot.swap_ins - before.swap_ins),
      frontswap_hit_after: ratioOrNa(after.swap_ins_tmem - snapshot.swap_ins_tmem, after.swap_ins - snapshot.swap_ins),
      cleancache_hit_before: ratioOrNa(snapshot.cc_hits - before.cc_hits, snapshot.cc_gets - before.cc_gets),
      cleancache_hit_after: ratioOrNa(after.cc_hits - snapshot.cc_hits, after.cc_gets - snapshot.cc_gets),
    };
  });
}
