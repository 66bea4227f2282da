/**
 * A pass's results as plain data with a stable key order: counters under
 * their kernel names, derived ratios, costs, energy and the oracle's verdict.
 */

import { energyOf, type EnergyBreakdown } from '../cost/energy.js';
import type { PoolRecord } from '../backends/backend.js';
import type { CostTotals } from '../cost/meter.js';
import type { CleancacheCounters } from '../frontends/cleancache.js';
import type { FrontswapCounters } from '../frontends/frontswap.js';
import type { Profile } from '../profiles/profile.js';
import type { LifecycleRecord, Machine, MachineStats } from './machine.js';
import type { OracleCounts } from './oracle.js';

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
  oracle: OracleCounts & { examples: string[] };
  lifecycle: LifecycleRecord[];
  /** The backend's pools over the run (zswap), if it keeps them. */
  pools: PoolRecord[];
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
    energy: energyOf(t, o.profile),
    oracle: { ...m.oracle.counts, examples: [...m.oracle.examples] },
    lifecycle: m.lifecycle.map((r) => ({ ...r })),
    pools: b?.poolHistory?.() ?? [],
  };
}
