/**
 * A sweep's grid: workloads × backends × compressors × allocators (zpool) ×
 * pool limits (max_pool_percent) × profiles, expanded into configurations.
 * A dimension a backend has no parameter for collapses to null for that
 * backend (xen-tmem takes no compressor; only zswap has a zpool), so no
 * configuration is run twice. Every configuration is validated here, before
 * anything runs, with the same rules as `tmemsim run`.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { getBackendFactory } from '../backends/registry.js';
import { resolveConfig, type RunOverrides } from '../sim/config.js';
import { UsageError } from '../errors.js';
import { readTraceHeader } from '../trace/reader.js';
import { isProfilePath } from '../profiles/file.js';
import type { ParamMap } from '../backends/params.js';
import { TRACE_FORMATS } from '../trace/formats/registry.js';

/** A directory of workloads is read for tmemsim's own trace formats (json, jsonl, tmtb). */
const OWN_EXTENSIONS: readonly string[] = ['json', 'jsonl', 'tmtb'].flatMap((n) => TRACE_FORMATS.get(n)?.extensions ?? []);

/** What a sweep varies and holds fixed (a sweep file, or the flags). */
export interface SweepGrid {
  /** Trace files (a directory stands for its tmemsim traces: *.json, *.jsonl, *.ndjson, *.tmtb). */
  workloads: string[];
  /** Backends; absent: each workload's own. */
  backends?: string[];
  /** Compressors; absent: each backend's default (or the trace's). */
  compressors?: string[];
  /** zswap allocators (the zpool parameter); absent: the era's default. */
  zpools?: string[];
  /** Pool limits, percent of RAM (max_pool_percent); absent: the backend's default. */
  max_pool_percent?: number[];
  /** Device profiles; absent: ssd and mobile. */
  profiles?: string[];
  /** Further backend parameters, the same for every configuration. */
  params?: ParamMap;
  seed?: number;
  ram_mb?: number;
  /** Skip the byte comparison of loads. */
  fast?: boolean;
  /** Also run each workload without a backend, for the savings and break-even (default true). */
  baseline?: boolean;
}

/** One point of the grid. */
export interface SweepConfig {
  /** The workload's name (its file name without the extension). */
  workload: string;
  /** The trace file as given. */
  trace: string;
  backend: string;
  compressor: string | null;
  zpool: string | null;
  max_pool_percent: number | null;
  /** The profile's name. */
  profile: string;
  /** The profile file it was loaded from, or null for a built-in profile. */
  profile_file: string | null;
}

const DEFAULT_SWEEP_PROFILES = ['ssd', 'mobile'];

/**
 * The parts of a configuration id: `workload/profile/backend/compressor/zpool/max_pool_percent`,
 * '-' for a part that is not set. The one scheme of sweep rows, baselines and
 * run reports, which `tmemsim compare` matches by.
 */
interface IdParts {
  workload: string;
  /** The profile's name (a run report's rmmod-strategy runs: `profile@strategy`). */
  profile: string;
  backend: string;
  /** The backend's compressor, null for a backend that takes none. */
  compressor: string | null;
  /** Set only when chosen for the run (a sweep's zpools, a run's -p zpool=), else null. */
  zpool: string | null;
  /** Set only when chosen for the run (a sweep's limits, a run's -p max_pool_percent=), else null. */
  max_pool_percent: number | null;
}

export function idOf(c: IdParts): string {
  return [c.workload, c.profile, c.backend, c.compressor ?? '-', c.zpool ?? '-', c.max_pool_percent === null ? '-' : String(c.max_pool_percent).padStart(3, '0')].join('/');
}

/** A stable, human-readable id of a configuration; configurations sort by it. */
export function configId(c: SweepConfig): string {
  return idOf(c);
}

export function compareConfigs(a: SweepConfig, b: SweepConfig): number {
  const x = configId(a);
  const y = configId(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The trace files a grid names, directories expanded to their tmemsim traces in name order. */
function workloadFiles(grid: SweepGrid): string[] {
  const out: string[] = [];
  for (const w of grid.workloads) {
    let st: fs.Stats;
    try {
      st = fs.statSync(w);
    } catch {
      throw new UsageError(`no such workload file or directory '${w}'`, { field: 'workloads' }, `trace files or directories of tmemsim traces (${OWN_EXTENSIONS.map((e) => `*${e}`).join(', ')})`);
    }
    if (st.isDirectory()) {
      const files = fs.readdirSync(w).filter((f) => OWN_EXTENSIONS.some((e) => f.endsWith(e))).sort();
      if (files.length === 0) throw new UsageError(`directory '${w}' holds no tmemsim traces`, { field: 'workloads' }, OWN_EXTENSIONS.map((e) => `*${e}`).join(', '));
      for (const f of files) out.push(path.join(w, f));
    } else out.push(w);
  }
  const names = new Map<string, string>();
  for (const f of out) {
    const n = workloadName(f);
    const prev = names.get(n);
    if (prev !== undefined && prev !== f) throw new UsageError(`workloads '${prev}' and '${f}' have the same name '${n}'`, { field: 'workloads' }, 'workloads with distinct file names');
    names.set(n, f);
  }
  return [...names.values()];
}

export function workloadName(file: string): string {
  const base = path.basename(file);
  const ext = ALL_EXTENSIONS.find((e) => base.endsWith(e));
  return ext === undefined ? base : base.slice(0, -ext.length);
}

/** Every registered trace file extension, longest first (".csv.gz" before ".gz"-less ones). */
const ALL_EXTENSIONS: readonly string[] = [...TRACE_FORMATS.values()].flatMap((f) => f.extensions).sort((a, b) => b.length - a.length);

/** The run options of one configuration (backend pass; the baseline pass uses the same without a backend). */
export function overridesOf(grid: SweepGrid, c: SweepConfig): RunOverrides {
  const params: ParamMap = { ...(grid.params ?? {}) };
  if (c.zpool !== null) params.zpool = c.zpool;
  if (c.max_pool_percent !== null) params.max_pool_percent = c.max_pool_percent;
  return {
    backend: grid.backends ? c.backend : undefined,
    compressor: grid.compressors && c.compressor !== null ? c.compressor : undefined,
    params,
    profiles: [c.profile_file ?? c.profile],
    seed: grid.seed,
    ramPages: grid.ram_mb === undefined ? undefined : grid.ram_mb * 256,
    fast: grid.fast,
  };
}

/** Every configuration of the grid, validated, sorted by id. */
export function expandGrid(grid: SweepGrid): SweepConfig[] {
  const files = workloadFiles(grid);
  const profiles = grid.profiles ?? DEFAULT_SWEEP_PROFILES;
  const seen = new Map<string, SweepConfig>();
  for (const trace of files) {
    const header = readTraceHeader(trace);
    const own = header.config.backend ?? null;
    const backends = grid.backends ?? (own === null ? [] : [own]);
    if (backends.length === 0) throw new UsageError(`workload '${trace}' loads no backend at boot`, { field: 'backends' }, 'give the backends to sweep (--backends)');
    for (const backend of backends) {
      const f = getBackendFactory(backend, { field: 'backends' });
      const names = new Set(f.params.map((p) => p.name));
      const comps = f.compressorParam && grid.compressors ? grid.compressors : [null];
      const zpools = names.has('zpool') && grid.zpools ? grid.zpools : [null];
      const limits = names.has('max_pool_percent') && grid.max_pool_percent ? grid.max_pool_percent : [null];
      for (const profile of profiles) for (const compressor of comps) for (const zpool of zpools) for (const mpp of limits) {
        const c: SweepConfig = { workload: workloadName(trace), trace, backend, compressor, zpool, max_pool_percent: mpp, profile, profile_file: isProfilePath(profile) ? profile : null };
        // Validate now, as `run` would: unknown names and bad values fail before anything runs.
        const cfg = resolveConfig(header, trace, overridesOf(grid, c));
        if (c.compressor === null && f.compressorParam && cfg.params[f.compressorParam] !== undefined) c.compressor = String(cfg.params[f.compressorParam]);
        c.profile = cfg.profiles[0]!.name;
        seen.set(configId(c), c);
      }
    }
  }
  return [...seen.values()].sort(compareConfigs);
}

/** `k/n`: the k-th (1-based) of n slices. */
export interface Shard {
  index: number;
  count: number;
}

export function parseShard(s: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(s.trim());
  const k = m ? Number(m[1]) : NaN;
  const n = m ? Number(m[2]) : NaN;
  if (!m || n < 1 || k < 1 || k > n) throw new UsageError(`'${s}' is not a shard`, { field: '--shard' }, 'k/n with 1 <= k <= n, e.g. 2/8');
  return { index: k, count: n };
}

/** The configurations of one shard: every n-th, starting at the k-th, of the sorted list (deterministic, balanced). */
export function shardOf<T>(all: T[], s: Shard | null): T[] {
  return s === null ? all : all.filter((_, i) => i % s.count === s.index - 1);
}
