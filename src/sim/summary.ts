/**
 * A pass's results as plain data with a stable key order: counters under
 * their kernel names, derived ratios, costs, energy and the oracle's verdict.
 */

import { activeEnergyOf, energyOf, storageBusyNs, type EnergyBreakdown } from '../cost/energy.js';
import type { OpCharges } from '../cost/op-charges.js';
import type { LatencyStats } from '../cost/latency.js';
import type { PoolRecord } from '../backends/backend.js';
import type { CostTotals } from '../cost/meter.js';
import type { CleancacheCounters } from '../frontends/cleancache.js';
import type { FrontswapCounters } from '../frontends/frontswap.js';
import type { Profile } from '../profiles/profile.js';
import type { LifecycleRecord, LifecycleSnapshot, Machine, MachineStats } from './machine.js';
import type { OracleCounts } from './oracle.js';
import type { MarkSnapshot } from './marks.js';

/** A lifecycle event as reported: what it moved, what it cost, hit ratios in the stretch before and after it. */
export interface LifecycleEntry extends Omit<LifecycleRecord, 'snapshot'> {
  energy_uj: number;
  frontswap_hit_before: number;
  frontswap_hit_after: number;
  cleancache_hit_before: number;
  cleancache_hit_after: number;
}

export interface PassSummary {
  backend: string | null;
  events: number;
  sim_time_ns: number;
  frontswap: FrontswapCounters & { frontswap_curr_pages: number };
  cleancache: CleancacheCounters;
  debugfs: Record<string, Record<string, number>>;
  mm: MachineStats & { resident_anon: number; resident_file: number; free_pages: number; swap_slots_used: number };
  pool: { pool_pages: number; peak_pool_pages: number; stored_pages: number; stored_bytes: number };
  io: { swap_reads: number; swap_writes: number; fs_reads: number; fs_writes: number };
  ratios: {
    frontswap_load_hit: number;
    cleancache_get_hit: number;
    pagecache_hit: number;
    compression_ratio: number;
    pool_density: number;
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
  latency: { swap_in: LatencyStats; page_cache_miss: LatencyStats };
  oracle: OracleCounts & { examples: string[] };
  lifecycle: LifecycleEntry[];
  /** The backend's pools over the run (zswap), if it keeps them. */
  pools: PoolRecord[];
  /** Counter snapshots at the trace's mark events (present only when the trace has marks). */
  marks?: MarkSnapshot[];
}

export interface OpEnergy {
  count: number;
  /** Mean energy per operation, µJ, and its CPU / storage / DRAM / network parts. */
  uj: number;
  cpu_uj: number;
  storage_uj: number;
  dram_uj: number;
  network_uj: number;
}

function opEnergy(o: OpCharges, p: Profile): OpEnergy {
  const e = activeEnergyOf(o, p);
  const n = o.count;
  const per = (x: number): number => (n === 0 ? 0 : x / n);
  return { count: n, uj: per(e.total_uj), cpu_uj: per(e.cpu_uj), storage_uj: per(e.storage_uj), dram_uj: per(e.dram_uj), network_uj: per(e.network_uj) };
}

function ratio(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}

export function summarize(m: Machine, o: { events: number; profile: Profile; withBackend: boolean }): PassSummary {
  const b = m.backend;
  const t = m.meter.totals;
  const s = m.stats;
  const storedPages = b ? b.storedPages() : 0;
  const storedBytes = b ? b.storedBytes() : 0;
  const poolPages = b ? b.poolPages() : 0;
  const energy = energyOf(t, o.profile, m.clock);
  return {
    backend: o.withBackend ? (b?.name ?? null) : null,
    events: o.events,
    sim_time_ns: m.clock,
    frontswap: { ...m.frontswap.counters, frontswap_curr_pages: m.frontswap.currPages() },
    cleancache: { ...m.cleancache.counters },
    debugfs: b ? b.stats() : {},
    mm: {
      ...s,
      resident_anon: m.memory.anonResident,
      resident_file: m.memory.fileResident,
      free_pages: m.memory.free,
      swap_slots_used: m.swap.usedSlots(),
    },
    pool: { pool_pages: poolPages, peak_pool_pages: m.peakPoolPages, stored_pages: storedPages, stored_bytes: storedBytes },
    io: { swap_reads: t.swapReads, swap_writes: t.swapWrites, fs_reads: t.fsReads, fs_writes: t.fsWrites },
    ratios: {
      frontswap_load_hit: ratio(s.swap_ins_frontswap, s.swap_ins),
      cleancache_get_hit: ratio(m.cleancache.counters.succ_gets, m.cleancache.counters.succ_gets + m.cleancache.counters.failed_gets),
      pagecache_hit: ratio(s.pgcache_hits, s.pgcache_hits + s.pgcache_misses),
      compression_ratio: ratio(t.compressInBytes, t.compressOutBytes),
      pool_density: ratio(storedPages, poolPages),
    },
    cost: { ...t },
    energy,
    energy_per_op: {
      swap_in: opEnergy(m.ops.swapIn, o.profile),
      page_cache_miss: opEnergy(m.ops.pageCacheMiss, o.profile),
      swap_out: opEnergy(m.ops.swapOut, o.profile),
      cleancache_put: opEnergy(m.ops.cleancachePut, o.profile),
    },
    storage_busy_ns: storageBusyNs(t, o.profile),
    latency: { swap_in: m.latency.swapIn.stats(), page_cache_miss: m.latency.pageCacheMiss.stats() },
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
      frontswap_hit_before: ratio(snapshot.swap_ins_tmem - before.swap_ins_tmem, snapshot.swap_ins - before.swap_ins),
      frontswap_hit_after: ratio(after.swap_ins_tmem - snapshot.swap_ins_tmem, after.swap_ins - snapshot.swap_ins),
      cleancache_hit_before: ratio(snapshot.cc_hits - before.cc_hits, snapshot.cc_gets - before.cc_gets),
      cleancache_hit_after: ratio(after.cc_hits - snapshot.cc_hits, after.cc_gets - snapshot.cc_gets),
    };
  });
}
