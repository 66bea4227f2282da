/**
 * A run's configuration: the trace header's config, overridden by the
 * caller's options (the command line), validated against the registries.
 */

import { resolveParams } from '../backends/params.js';
import { getBackendFactory } from '../backends/registry.js';
import type { BackendFactory } from '../backends/backend.js';
import { checkCompressor, compressorNames } from '../compressors/registry.js';
import { PAGE_SIZE } from '../content/page.js';
import { getProfile } from '../profiles/registry.js';
import { isProfilePath, loadProfileFile } from '../profiles/file.js';
import type { Profile } from '../profiles/profile.js';
import { Buddy, bootFreePages } from '../mm/buddy.js';
import { LIMITS, type ContentConfig, type FileSizeConfig, type MountConfig, type SwapAreaConfig, type TraceEvent, type ZoneConfig, type TraceHeader, type TraceTime } from '../trace/events.js';
import type { ParamMap } from '../backends/params.js';
import { DEFAULT_ZOMBIE_RATE, getRmmodStrategy } from './lifecycle.js';
import { UsageError } from '../errors.js';
import { DEFAULT_RECLAIM, getReclaim } from '../mm/reclaim/registry.js';
import { TICK_NS } from './sched.js';
import { CFS_61, getScheduler, type SchedulerFactory } from './schedulers.js';
import { DEFAULT_READ_AHEAD_KB } from '../mm/file-readahead.js';
import type { ReclaimFactory, ZoneLayout } from '../mm/reclaim/reclaim.js';

export interface RunOverrides {
  backend?: string | null;
  compressor?: string;
  params?: ParamMap;
  /** Profile names; several give one run each. */
  profiles?: string[];
  /** Profiles as objects (a library caller's own, e.g. one derived from a built-in), instead of names. */
  profileDefs?: Profile[];
  seed?: number;
  ramPages?: number;
  /** Skip the byte comparison (tags are still checked). */
  fast?: boolean;
  /** Also run the trace without a backend (default true). */
  baseline?: boolean;
  /** rmmod strategies to compare: one run each, overriding every rmmod's strategy. */
  rmmodStrategies?: string[];
  /** Zombie drain rate, pages per simulated second (rmmod events without a rate). */
  zombieRate?: number;
  /** Events injected into the trace (--at). */
  at?: Injection[];
  /** Reclaim policy (src/mm/reclaim/registry.ts), overriding the trace and the backend's era. */
  reclaim?: string;
  /**
   * Where the scheduler's ticks fall: the first this many ns into the scheduler clock, then one
   * every 4 ms (HZ 250), 0 <= x < 4,000,000; default 0. Only the scheduling of kswapd and the
   * kworkers against the workload depends on it (src/sim/sched.ts): a real kernel's phase is
   * chance, and `validate --tick-phase` shows what each phase changes.
   */
  tickPhaseNs?: number;
  /**
   * The fair scheduler that shares the CPU between the workload, kswapd and the kworker, by the
   * kernel whose kernel/sched/fair.c it models: 'cfs-6.1' (the default) or 'eevdf-6.12'
   * (src/sim/eevdf.ts). Only with a reclaim model whose kswapd is a task (6.1-cfs, 6.1-cfs-buddy).
   */
  scheduler?: string;
  /** Sample each pass over time with at most about this many points (0 or absent: no series). */
  series?: number;
}

/** An event injected at a point of the trace: an event index, a fraction of the events, or a simulated time. */
export interface Injection {
  at: { kind: 'index' | 'percent' | 'time'; value: number };
  event: TraceEvent;
  /** The command-line text, for messages. */
  spec: string;
}

export interface RunConfig {
  description: string;
  /** totalram, in pages. */
  ramPages: number;
  /** Pages of it the kernel keeps (config.kernel_pages; 0: none). */
  kernelPages: number;
  seed: number;
  backend: string | null;
  factory: BackendFactory | null;
  params: ParamMap;
  compressor: string | null;
  profiles: Profile[];
  swap: SwapAreaConfig[];
  mounts: MountConfig[];
  /** File readahead: read_ahead_kb (config.read_ahead_kb, default 128) and the files of known size. */
  readAheadKb: number;
  /** What the events' t measures (config.time, default 'wall'). */
  time: TraceTime;
  files: FileSizeConfig[];
  /** Memory zones and vm.min_free_kbytes (config.zones, config.min_free_kbytes); undefined: one zone, the default. */
  zones: ZoneLayout | undefined;
  swappiness: number;
  /** The reclaim policy: --reclaim, else config.reclaim, else the backend era's, else 6.1. */
  reclaim: ReclaimFactory;
  /** The swap core keeps all-zero pages in a zeromap (6.12+): config.swap_zeromap, else the backend era's, else false. */
  swapZeromap: boolean;
  /** The scheduler tick's phase, ns (RunOverrides.tickPhaseNs; 0 by default). */
  tickPhaseNs: number;
  /** The fair scheduler (RunOverrides.scheduler; cfs-6.1 by default). */
  scheduler: SchedulerFactory;
  writethrough: boolean;
  content: ContentConfig;
  verifyBytes: boolean;
  baseline: boolean;
  /** --backend given on the command line: also replaces the backend of insmod events. */
  backendOverride: string | null;
  /** Parameters from the command line (-p, --compressor): applied to insmod events too. */
  paramOverrides: ParamMap;
  /** Variants: null = the trace's own rmmod strategies. */
  variants: (string | null)[];
  zombieRate: number;
  injections: Injection[];
  /** Time-series points per pass (0: none). */
  seriesPoints: number;
  /** --backend none: one pass per profile without any backend (insmod events ignored), no baseline pass. */
  noBackend: boolean;
  /** Sentences for the report about how the run was set up (a default it chose). */
  notes: string[];
}

const DEFAULT_PROFILES = ['ssd', 'mobile'];
const DEFAULT_RAM_PAGES = 65536; // 256 MiB

/**
 * The compressor a run's passes are priced with: the one chosen (--compressor,
 * config.compressor), else the default of the backend's compressor parameter,
 * else null. The run report and the sweep both price the uncertainty with it.
 */
export function runCompressor(c: Pick<RunConfig, 'compressor' | 'factory' | 'params'>): string | null {
  return c.compressor ?? (c.factory?.compressorParam ? String(c.params[c.factory.compressorParam]) : null);
}

export function resolveConfig(header: TraceHeader, file: string, o: RunOverrides = {}, sourceNotes: readonly string[] = []): RunConfig {
  const c = header.config;
  if (c.page_size !== undefined && c.page_size !== PAGE_SIZE) {
    throw new UsageError(`page size ${c.page_size} is not supported`, { file, field: 'config.page_size' }, String(PAGE_SIZE));
  }
  const ramPages = o.ramPages ?? c.ram_pages ?? (c.ram_mb !== undefined ? Math.floor((c.ram_mb * 1024 * 1024) / PAGE_SIZE) : DEFAULT_RAM_PAGES);
  if (ramPages < 1) throw new UsageError(`ram_mb ${c.ram_mb} is less than one ${PAGE_SIZE}-byte page`, { file, field: 'config.ram_mb' }, `at least ${PAGE_SIZE / 1024 / 1024} (one page)`);
  const backend = o.backend !== undefined ? o.backend : c.backend ?? null;
  const fromCli = o.backend !== undefined;
  const factory = backend === null ? null : withField(() => getBackendFactory(backend, {}, fromCli ? ['none'] : []), fromCli ? '--backend' : 'config.backend', file);
  const compressor = o.compressor ?? c.compressor ?? null;
  if (compressor !== null && !compressorNames().includes(compressor)) {
    throw new UsageError(`unknown compressor '${compressor}'`, { file: o.compressor ? undefined : file, field: o.compressor ? '--compressor' : 'config.compressor' }, compressorNames().join(', '));
  }
  let params: ParamMap = {};
  if (factory) {
    const merged: ParamMap = { ...(c.params ?? {}), ...(o.params ?? {}) };
    if (compressor !== null && factory.compressorParam) merged[factory.compressorParam] = compressor;
    try {
      params = resolveParams(factory.name, factory.params, merged);
    } catch (e) {
      // A bad key or value from the command line (-p, --compressor) is the flag's fault, not the trace's.
      const key = e instanceof UsageError ? e.where.field : undefined;
      if (e instanceof UsageError && key !== undefined && o.params && key in o.params) throw new UsageError(e.what, { field: `-p ${key}` }, e.accepted);
      if (e instanceof UsageError && key !== undefined && o.compressor && key === factory.compressorParam) throw new UsageError(e.what, { field: '--compressor' }, e.accepted);
      throw e instanceof UsageError ? new UsageError(e.what, { ...e.where, file }, e.accepted) : e;
    }
    // A codec whose optional native package is missing: one line now, before any pass runs.
    const codec = factory.compressorParam ? params[factory.compressorParam] : undefined;
    if (typeof codec === 'string') {
      const fromParam = compressor === null && o.params?.[factory.compressorParam!] !== undefined;
      const where = compressor !== null
        ? { file: o.compressor ? undefined : file, field: o.compressor ? '--compressor' : 'config.compressor' }
        : fromParam ? { field: `--param ${factory.compressorParam}` } : { file, field: `config.params.${factory.compressorParam}` };
      checkCompressor(codec, where);
    }
  }
  const noBackend = o.backend === null;
  if (noBackend && o.rmmodStrategies) throw new UsageError('--rmmod-strategy compares ways of unloading a backend, and --backend none loads none', { field: '--rmmod-strategy' }, 'a backend (--backend NAME), or no --rmmod-strategy');
  // A source's notes are about the header's defaults; a backend from the command line replaces them.
  const notes = fromCli ? [] : [...sourceNotes];
  let slots = 0;
  const seen = new Set<number>();
  for (const a of c.swap ?? []) {
    if (seen.has(a.type)) throw new UsageError(`swap type ${a.type} is listed twice`, { file, field: 'config.swap' });
    seen.add(a.type);
    slots += a.slots;
    if (slots > LIMITS.maxSlots) throw new UsageError(`the swap areas hold ${slots} slots`, { file, field: 'config.swap' }, `at most ${LIMITS.maxSlots} slots over all swap areas`);
  }
  const profNames = o.profiles ?? (c.profile === undefined ? DEFAULT_PROFILES : Array.isArray(c.profile) ? c.profile : [c.profile]);
  // A profile file names itself and the bad field in its errors; a name is checked against the registry.
  const profiles = o.profileDefs ?? profNames.map((n) => (isProfilePath(n) ? loadProfileFile(n) : withField(() => getProfile(n), o.profiles ? '--profile' : 'config.profile', file)));
  const kernelPages = c.kernel_pages ?? 0;
  if (kernelPages >= ramPages) {
    throw new UsageError(`kernel_pages ${kernelPages} leaves no RAM for the workload (RAM is ${ramPages} pages)`, { file, field: 'config.kernel_pages' }, `0..${ramPages - 1}`);
  }
  const reclaim =
    o.reclaim !== undefined
      ? withField(() => getReclaim(o.reclaim!), '--reclaim', file)
      : withField(() => getReclaim(c.reclaim ?? factory?.reclaim ?? DEFAULT_RECLAIM), 'config.reclaim', file);
  return {
    description: c.description ?? '',
    ramPages,
    kernelPages,
    seed: o.seed ?? c.seed ?? 1,
    backend,
    factory,
    params,
    compressor,
    profiles,
    swap: c.swap ?? [],
    mounts: c.mounts ?? [],
    readAheadKb: c.read_ahead_kb ?? DEFAULT_READ_AHEAD_KB,
    time: c.time ?? 'wall',
    files: fileSizes(c.files ?? [], file),
    zones: zoneLayout(c.zones, c.min_free_kbytes, ramPages, file),
    swappiness: c.swappiness ?? 60,
    reclaim,
    swapZeromap: c.swap_zeromap ?? factory?.swapZeromap?.(params) ?? false,
    tickPhaseNs: tickPhase(o.tickPhaseNs),
    scheduler: schedulerOf(o.scheduler, reclaim),
    writethrough: c.frontswap_writethrough ?? false,
    content: header.content ?? {},
    verifyBytes: !o.fast,
    baseline: noBackend ? false : o.baseline ?? true,
    backendOverride: o.backend ?? null,
    paramOverrides: { ...(o.params ?? {}), ...(compressor !== null && o.compressor && factory?.compressorParam ? { [factory.compressorParam]: compressor } : {}) },
    variants: o.rmmodStrategies ? o.rmmodStrategies.map((n) => getRmmodStrategy(n, '--rmmod-strategy').name) : [null],
    zombieRate: o.zombieRate ?? DEFAULT_ZOMBIE_RATE,
    injections: o.at ?? [],
    seriesPoints: o.series ?? 0,
    noBackend,
    notes,
  };
}

/**
 * RunOverrides.scheduler (sim/schedulers.ts). It schedules kswapd as a task: with a reclaim model
 * that runs kswapd whole after each event (6.1, lru-3x) another scheduler than the default would
 * be a name the run does not use, so it is refused.
 */
export function schedulerOf(name: string | undefined, reclaim: ReclaimFactory): SchedulerFactory {
  if (name === undefined) return CFS_61;
  const s = getScheduler(name);
  if (s !== CFS_61 && reclaim.kswapdTask !== true) throw new UsageError(`scheduler ${s.name} schedules kswapd as a task, and reclaim ${reclaim.name} runs kswapd whole after each event`, { field: '--sched' }, 'a reclaim model with kswapd as a task: 6.1-cfs, 6.1-cfs-buddy');
  return s;
}

/** RunOverrides.tickPhaseNs: a time within one tick (4 ms), ns. */
function tickPhase(ns: number | undefined): number {
  if (ns === undefined) return 0;
  if (!(Number.isFinite(ns) && ns >= 0 && ns < TICK_NS)) throw new UsageError(`tick phase ${ns} ns is not within a tick`, { field: '--tick-phase' }, `0 <= phase < ${TICK_NS / 1e6} ms (one tick at HZ 250)`);
  return ns;
}

/**
 * config.zones and config.min_free_kbytes. The zones go lowest first, each name once and in
 * the kernel's order; RAM set apart from the header (--ram-mb, a sweep) resizes the highest
 * zone, which must keep a page.
 */
function zoneLayout(zones: ZoneConfig[] | undefined, minFreeKbytes: number | undefined, ramPages: number, file: string): ZoneLayout | undefined {
  if (zones === undefined) return minFreeKbytes === undefined ? undefined : { managed: [ramPages], minFreeKbytes };
  const order = ['DMA', 'DMA32', 'Normal'];
  for (let i = 1; i < zones.length; i++) {
    if (order.indexOf(zones[i]!.name) <= order.indexOf(zones[i - 1]!.name)) {
      throw new UsageError(`zone ${zones[i]!.name} follows ${zones[i - 1]!.name}`, { file, field: `config.zones[${i}]` }, 'zones lowest first, each once: DMA, DMA32, Normal');
    }
  }
  const managed = zones.map((z) => z.pages);
  const lower = managed.slice(0, -1).reduce((a, b) => a + b, 0);
  if (ramPages - lower < 1) {
    throw new UsageError(`the zones below ${zones[zones.length - 1]!.name} hold ${lower} pages, the RAM ${ramPages}`, { file, field: 'config.zones' }, `zones below the highest holding fewer than ${ramPages} pages`);
  }
  managed[managed.length - 1] = ramPages - lower;
  const names = zones.map((z) => z.name);
  zones.forEach((z, i) => {
    if (z.boot === undefined) return;
    // The free blocks must fit their pageblocks: the buddy allocator places them as it boots.
    try {
      new Buddy([bootFreePages(z.boot)], [z.boot]);
    } catch (e) {
      throw new UsageError(`zone ${z.name}'s boot state: ${(e as Error).message}`, { file, field: `config.zones[${i}].boot` }, "each migratetype's free blocks (orders 0-10) within its pageblocks, as /proc/pagetypeinfo shows them");
    }
  });
  const boot = zones.some((z) => z.boot !== undefined) ? { boot: zones.map((z) => z.boot) } : {};
  return minFreeKbytes === undefined ? { managed, names, ...boot } : { managed, names, minFreeKbytes, ...boot };
}

/** config.files, each file once. */
function fileSizes(files: FileSizeConfig[], file: string): FileSizeConfig[] {
  const seen = new Set<number>();
  files.forEach((f, i) => {
    const k = f.fs * 2 ** 27 + f.inode;
    if (seen.has(k)) throw new UsageError(`file fs ${f.fs} inode ${f.inode} is listed twice`, { file, field: `config.files[${i}]` }, 'each (fs, inode) once');
    seen.add(k);
  });
  return files;
}

/** Re-throw a UsageError from a registry with the field and file it came from. */
function withField<T>(f: () => T, field: string | undefined, file: string): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof UsageError) {
      const cli = field?.startsWith('--') ?? false;
      throw new UsageError(e.what, { ...e.where, file: cli ? undefined : file, field: field ?? e.where.field }, e.accepted);
    }
    throw e;
  }
}
