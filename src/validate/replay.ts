/**
 * Replays a recorded case in tmemsim: the guest's workload ops (validation/
 * workload.c) become trace events touching the same pages with the same
 * bytes (the vmix content class), in the same order, with a `mark` event
 * where the guest printed its counters. The machine is the guest as the
 * kernel saw it: totalram = MemTotal, kernel_pages = MemTotal - MemFree at
 * the start mark, the swap partition's size, swappiness from the guest.
 *
 *   anon:N              nothing (mmap does not touch pages)
 *   write:A:B:G         anon write of page p (A <= p < B) with vmix key pageKey(seed, G, p)
 *   read:A:B            anon read of pages A..B-1 in order
 *   rread:A:B:N:S       N anon reads of page A + next() % (B - A), mulberry32(S)
 *   fread:DEV:N         file reads of pages 0..N-1 of one file (fs 1, inode 1),
 *                       then the close: umount + mount of fs 1 (closeDevice)
 *   hot:A:B:DEV:N:K     file reads of pages 0..N-1, 64 at a time; after every K
 *                       such chunks, anon reads of pages A..B-1 in order; the close
 *   mark:NAME           a mark event
 *   lock                nothing: the workload's own pages (not the region) are
 *                       mlocked in the guest; they are part of kernel_pages
 *
 * The block device the guest reads (/dev/vdb) is replayed as one file of
 * filesystem 1: in the kernel it is the device inode's page cache.
 */

import fs from 'node:fs';
import path from 'node:path';
import { zswapFactory, type ZswapEra } from '../backends/zswap.js';
import { pageKey } from '../content/classes/vmix.js';
import { Mulberry32 } from '../content/rng.js';
import { PAGE_SIZE } from '../content/page.js';
import { pcpBatch, pcpHigh } from '../mm/pcp.js';
import { simulateTrace, type RunResult } from '../sim/simulate.js';
import type { Profile } from '../profiles/profile.js';
import { UsageError } from '../errors.js';
import type { LocatedEvent, TraceEvent, TraceHeader, ZoneBoot, ZoneConfig } from '../trace/events.js';
import type { SyncTraceSource } from '../trace/reader.js';
import { readReference, USER_HZ, type Reference } from './reference.js';

const PID = 1;
const FS = 1;
const INODE = 1;
const CHUNK = 64;

/** The zswap era tmemsim replays a 6.1 kernel with: '6.1' (mm/zswap.c of the 6.1.y LTS). */
export const ERA_61: ZswapEra = '6.1';

/**
 * The trace header of a case: the guest's memory, swap, and zswap configuration; `profile`, the
 * guest's CPU (a profile file or name); `swapZeromap`, the guest kernel's swap core keeps zero
 * pages in its zeromap (6.12+), in every case, zswap or not; `bootRef`, the recording whose start
 * mark gives the zones' pageblocks and free blocks at boot (bootSource).
 */
export function headerOf(ref: Reference, profile = 'ssd', swapZeromap = false, bootRef: Reference = ref): TraceHeader {
  const run = ref.runs[0]!;
  const ramPages = Math.floor((run.mem_total_kb * 1024) / PAGE_SIZE);
  const freePages = Math.floor((run.mem_free_kb * 1024) / PAGE_SIZE) + pcpBeyondModel(ref);
  const z = ref.config.zswap;
  const swappiness = Number(ref.config.sysctl['swappiness'] ?? 60);
  // "/dev/vda partition 1048572 0 -2": the swap area's size in kB.
  const swapKb = Number(String(ref.config.sys['swaps'] ?? '').split(/\s+/)[2]);
  const slots = Number.isFinite(swapKb) && swapKb > 0 ? Math.floor(swapKb / 4) : (ref.guest.swap_mib * 256) - 1;
  const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined);
  const raKb = num(ref.config.sys['ra_kb']);
  const minFreeKb = num(ref.config.sysctl['min_free_kbytes']);
  const zones = zonesOf(ref.config.zoneinfo ?? []).map((zc) => {
    const boot = bootOf(bootRef, zc.name);
    return boot === undefined ? zc : { ...zc, boot };
  });
  const dataPages = num(ref.config.sys['data_pages']);
  return {
    format: 'tmemsim-trace',
    version: 1,
    config: {
      description: `${ref.case}: ${ref.description} (replay of ${ref.kernel.uname_r})`,
      ram_pages: ramPages,
      kernel_pages: ramPages - freePages,
      seed: ref.workload.seed,
      backend: z.enabled ? 'zswap' : null,
      ...(z.enabled
        ? {
          params: {
            era: ERA_61,
            compressor: z.compressor ?? 'lzo',
            zpool: z.zpool ?? 'zbud',
            max_pool_percent: z.max_pool_percent ?? 20,
            accept_threshold_percent: z.accept_threshold_percent ?? 90,
          },
        }
        : {}),
      // The guest's CPU (validation/guest-tcg.json): its time per operation, on the clock the
      // scheduler reads (sim/sched.ts); the devices are ssd's. The device's latency sets how long the
      // workload sleeps on a swap-in's read while kswapd runs: the traced guest's own (reads 124 µs,
      // writes 571 µs, medians) give the same counters out of tolerance, the races' values a few
      // percent apart (docs/validation.md, "How tmemsim replays a case").
      profile,
      // virtio-blk: 6.1 does not set QUEUE_FLAG_NONROT on its queue (nor 6.12 BLK_FEAT_ROTATIONAL
      // off), so the swap disk counts as rotational (nr_rotate_swap) and the guest reads swap ahead
      // by slot clusters. Recordings since 2026-12-05 hold the disk's queue/rotational
      // (swap_rotational: 1 on both kernels); older ones are taken as rotational.
      swap: [{ type: 0, slots, rotational: ref.config.sys['swap_rotational'] !== 0 }],
      ...(swapZeromap ? { swap_zeromap: true } : {}),
      // The guest reads /dev/vdb: the block device's page cache (GFP_USER pages, unmovable).
      mounts: [{ fs: FS, block_device: true }],
      swappiness,
      // The data disk's read_ahead_kb and size: file readahead of the device's page cache.
      ...(raKb !== undefined ? { read_ahead_kb: raKb } : {}),
      ...(dataPages !== undefined ? { files: [{ fs: FS, inode: INODE, pages: dataPages }] } : {}),
      // The guest's zones (DMA and DMA32: 16 MiB and the rest, from /proc/zoneinfo) and its
      // vm.min_free_kbytes: per-zone watermarks and DMA's lowmem reserve, as the kernel set them.
      ...(zones.length > 0 && zones.reduce((a, z) => a + z.pages, 0) === ramPages ? { zones } : {}),
      ...(minFreeKb !== undefined && minFreeKb >= 128 ? { min_free_kbytes: minFreeKb } : {}),
      // The events' times are the workload's user time (timePerEvent).
      time: 'cpu',
    },
  };
}

/** The zones with managed pages, lowest first, from the recorded /proc/zoneinfo lines ("Node 0, zone DMA32", "managed 48845"). */
export function zonesOf(lines: readonly string[]): ZoneConfig[] {
  const zones: ZoneConfig[] = [];
  for (const [name, z] of zoneinfoOf(lines)) if ((name === 'DMA' || name === 'DMA32' || name === 'Normal') && z.managed > 0) zones.push({ name, pages: z.managed });
  return zones;
}

/**
 * Zone `name`'s pageblocks and free blocks by migratetype at the first run's start mark (the
 * harness's pagetypeinfo lines, recordings from 2026-12-06b on), undefined without them.
 */
function bootOf(ref: Reference, name: string): ZoneBoot | undefined {
  const z = ref.runs[0]!.marks.find((m) => m.name === 'start')?.zones?.[name] as Record<string, number | undefined> | undefined;
  if (z === undefined || z['blocks_movable'] === undefined || z['free_movable_o0'] === undefined) return undefined;
  const free = (t: string): number[] => Array.from({ length: 11 }, (_, o) => z[`free_${t}_o${o}`] ?? 0);
  return {
    blocks: { unmovable: z['blocks_unmovable'] ?? 0, movable: z['blocks_movable'], reclaimable: z['blocks_reclaimable'] ?? 0 },
    free: { unmovable: free('unmovable'), movable: free('movable'), reclaimable: free('reclaimable') },
  };
}

/** Each zone's low watermark and managed pages, in the lines' order, from the recorded /proc/zoneinfo lines. */
function zoneinfoOf(lines: readonly string[]): Map<string, { low: number; managed: number }> {
  const out = new Map<string, { low: number; managed: number }>();
  let cur: { low: number; managed: number } | null = null;
  for (const line of lines) {
    const head = /^Node \d+, zone\s+(\S+)/.exec(line);
    if (head) {
      cur = { low: 0, managed: 0 };
      out.set(head[1]!, cur);
      continue;
    }
    const m = /^(low|managed) (\d+)$/.exec(line.trim());
    if (m && cur !== null) cur[m[1] as 'low' | 'managed'] = Number(m[2]);
  }
  return out;
}

/**
 * The free pages the guest's per-CPU lists held at the start mark beyond what tmemsim's own lists
 * (6.1's sizes, mm/pcp.ts: high = the zone's low watermark on one CPU) hold: free memory the
 * replay gives the workload. MemFree (NR_FREE_PAGES) leaves every page on the lists out, so
 * MemTotal - MemFree counts them with the kernel's own pages. Up to a list's 6.1 high they stay
 * there: tmemsim's lists take as many pages out of its free memory as a 6.1 guest's do (6.1's
 * guests held 230-250 at the start, under their high of 527: nothing to add). 6.7+ tunes
 * pcp->high up while nothing presses (6.12.95's guests: high 1,918-3,317, 1,459-2,284 pages at
 * the start) and decays it back to its minimum under reclaim (537 at the later marks, the lists
 * nearly empty): the pages above 6.1's high go back to the buddy allocator and are the
 * workload's. Recordings before 2026-12-04 have no per-CPU counts: nothing is added.
 *
 * Measured (2026-12-06, docs/validation.md): the 6.12.95 recording gives 264 of 352 within
 * tolerance counting none of the listed pages, 284 counting all, 293 counting those beyond
 * 6.1's high (288-299 over four tick phases, against 269-289 counting all). Counting all put the
 * stored pages after every rewrite phase of the 6.1 recording of 2026-12-06 5-8 % above the
 * kernel's (200 of its 225 counters within; 211 with this rule) and cost the recording of
 * 2026-12-05b 3 counters.
 */
function pcpBeyondModel(ref: Reference): number {
  const start = ref.runs[0]!.marks.find((m) => m.name === 'start')?.zones;
  if (start === undefined) return 0;
  const info = zoneinfoOf(ref.config.zoneinfo ?? []);
  let pages = 0;
  for (const [name, z] of Object.entries(start)) {
    const w = info.get(name);
    if (z.pcp_count === undefined || w === undefined) continue;
    pages += Math.max(0, z.pcp_count - pcpHigh(w.low, pcpBatch(w.managed)));
  }
  return pages;
}

/**
 * The workload closes the device after an `fread` or `hot` op. The last close
 * of a block device drops its page cache in 6.1 (blkdev_put → blkdev_put_whole
 * → blkdev_flush_mapping → kill_bdev → truncate_inode_pages): the guest's
 * Buffers fall back to 0 at the next mark and a second read of the device
 * misses on every page. Replayed as an umount and mount of the device's
 * filesystem (its pages leave the page cache; no shadow entries stay).
 */
function* closeDevice(): Generator<TraceEvent> {
  yield { op: 'umount', fs: FS };
  yield { op: 'mount', fs: FS };
}

/** The events of a case's workload, in the guest's order. */
export function* eventsOf(ref: Reference): Generator<TraceEvent> {
  const seed = ref.workload.seed;
  let npages = 0;
  for (const op of ref.workload.ops) {
    const f = op.split(':');
    const n = (i: number): number => {
      const v = Number(f[i]);
      if (!Number.isInteger(v) || v < 0) throw new UsageError(`workload op '${op}': field ${i} is not a non-negative integer`, { field: 'workload.ops' });
      return v;
    };
    switch (f[0]) {
      case 'anon':
        npages = n(1);
        break;
      case 'lock':
        break;
      case 'write': {
        const g = n(3);
        const first = n(1);
        const end = Math.min(n(2), npages);
        for (let p = first; p < end; p++) yield { op: 'anon', pid: PID, page: p, write: true, data: { class: 'vmix', seed: pageKey(seed, g, p) } };
        break;
      }
      case 'read': {
        const first = n(1);
        const end = Math.min(n(2), npages);
        for (let p = first; p < end; p++) yield { op: 'anon', pid: PID, page: p };
        break;
      }
      case 'rread': {
        const a = n(1);
        const span = n(2) - a;
        const r = new Mulberry32(n(4));
        for (let k = n(3); k > 0; k--) yield { op: 'anon', pid: PID, page: a + (r.next() % span) };
        break;
      }
      case 'fread': {
        const calls = Math.floor(n(2) / CHUNK);
        for (let i = 0; i < calls * CHUNK; i++) yield { op: 'file', fs: FS, inode: INODE, index: i };
        yield* closeDevice();
        break;
      }
      case 'hot': {
        const a = n(1);
        const b = n(2);
        const calls = Math.floor(n(4) / CHUNK);
        const k = n(5);
        const end = Math.min(b, npages);
        for (let c = 0; c < calls; c++) {
          for (let i = c * CHUNK; i < (c + 1) * CHUNK; i++) yield { op: 'file', fs: FS, inode: INODE, index: i };
          if ((c + 1) % k === 0) for (let p = a; p < end; p++) yield { op: 'anon', pid: PID, page: p };
        }
        yield* closeDevice();
        break;
      }
      case 'mark':
        yield { op: 'mark', name: f.slice(1).join(':') };
        break;
      default:
        throw new UsageError(`unknown workload op '${op}'`, { field: 'workload.ops' }, 'anon, write, read, rread, fread, hot, mark, lock');
    }
  }
}

/**
 * The workload's own CPU time per event of each phase, µs: the guest's user time in the phase
 * (/proc/stat's user ticks between its marks, the mean of the runs; the workload is the only
 * task that runs in user space) spread evenly over the phase's events (phase i ends at the
 * workload's i-th mark: its user work, writing and checking its pages' bytes, is the same for
 * every page). The replay stamps its events with the sum (`t`, config.time 'cpu'): tmemsim adds
 * the kernel work it models (faults, reclaim, zswap, the I/O waits), and the scheduler
 * (sim/sched.ts) shares the CPU between that time and kswapd's and the kworker's. Not the
 * phase's uptime: that spreads the kernel work tmemsim models, and the time the host took the
 * guest's CPU away (ticks lost: 58-100 % of a phase's uptime is in /proc/stat's ticks), evenly over
 * the phase, and where tmemsim's work runs ahead of that even spread the workload's time
 * between its faults drops to nothing (docs/validation.md, "The workload's own time"). Zero
 * for a phase without recorded stat.
 */
function timePerEvent(ref: Reference): number[] {
  const events: number[] = [0];
  for (const e of eventsOf(ref)) {
    if (e.op === 'mark') events.push(0);
    else events[events.length - 1]!++;
  }
  const out: number[] = [];
  for (let i = 0; i < events.length; i++) {
    let sum = 0;
    let n = 0;
    for (const run of ref.runs) {
      const a = i === 0 ? undefined : run.marks[i - 1]?.stat;
      const b = run.marks[i]?.stat;
      if (b?.user === undefined || (i > 0 && a?.user === undefined)) continue;
      sum += (b.user - (a?.user ?? b.user)) / USER_HZ;
      n++;
    }
    out.push(n > 0 && events[i]! > 0 ? ((sum / n) * 1e6) / events[i]! : 0);
  }
  return out;
}

/**
 * The recording whose start mark gives a case's zones at boot: the case's own when its start mark
 * has the pagetypeinfo lines (recordings from 2026-12-06b on), else the same case in the first
 * directory of `from.dirs` (ReplayOptions.bootFrom) recorded on the case's kernel with its zones,
 * or that recording's first case by name when it has not recorded this one (the boot is before the
 * workload: 2026-12-06b's 33 runs of 11 cases booted to one state). A directory the user named
 * must be such a recording (a usage error otherwise); the default's of another kernel or zones
 * are skipped. The case's own when none is (its replay then starts every page free and movable).
 */
function bootSource(ref: Reference, from: BootFrom | undefined): Reference {
  if (from === undefined || zonesOf(ref.config.zoneinfo ?? []).some((zc) => bootOf(ref, zc.name) !== undefined)) return ref;
  const zones = (r: Reference): string => JSON.stringify(zonesOf(r.config.zoneinfo ?? []));
  for (const bootFrom of from.dirs) {
    let file = path.join(bootFrom, `${ref.case}.json`);
    if (!fs.existsSync(file)) {
      let names: string[] = [];
      try {
        names = fs.readdirSync(bootFrom).filter((f) => f.endsWith('.json')).sort();
      } catch {
        // reported below
      }
      if (names.length === 0) throw new UsageError(`--boot-from ${bootFrom} is not a directory of recordings`, { field: '--boot-from' }, 'a directory of recordings (validation/record.mjs --out DIR) of the same kernel, or none');
      file = path.join(bootFrom, names[0]!);
    }
    const other = readReference(file);
    if (other.kernel.uname_r === ref.kernel.uname_r && zones(other) === zones(ref)) return other;
    if (from.given) {
      const why = other.kernel.uname_r !== ref.kernel.uname_r ? `a recording of ${other.kernel.uname_r}, the case's of ${ref.kernel.uname_r}` : "a recording of other zones than the case's";
      throw new UsageError(`--boot-from ${file} is ${why}`, { field: '--boot-from' }, 'a recording of the same kernel with the same zones (the managed pages of /proc/zoneinfo), or none');
    }
  }
  return ref;
}

/** A trace source over a case's events (streamed: nothing is held in memory). */
function traceOf(ref: Reference, file: string, profile: string, swapZeromap: boolean, bootFrom: BootFrom | undefined): SyncTraceSource {
  const header = headerOf(ref, profile, swapZeromap, bootSource(ref, bootFrom));
  const perEvent = timePerEvent(ref);
  const eventsSync = function* (): Generator<LocatedEvent> {
    // One location, updated per event (its readers read it, never keep it).
    const loc = { file, line: 0, index: 0 };
    let phase = 0;
    let t = 0;
    for (const event of eventsOf(ref)) {
      loc.line = loc.index + 1;
      if (event.op === 'mark') phase++;
      else {
        t += perEvent[phase] ?? 0;
        if (t > 0) event.t = t;
      }
      yield { event, loc };
      loc.index++;
    }
  };
  return {
    path: file,
    header,
    eventsSync,
    events: async function* () {
      yield* eventsSync();
    },
  } as SyncTraceSource;
}

/** Whether a replay with this zswap era keeps zero pages in the swap core's zeromap: its kernel's does (6.12), in every case. */
export function replaysZeromap(era: ZswapEra | undefined): boolean {
  return era !== undefined && zswapFactory.swapZeromap!({ era });
}

/** How a case is replayed beside its guest's CPU profile. */
export interface ReplayOptions {
  /** A reclaim model other than tmemsim's default (src/mm/reclaim/registry.ts). */
  reclaim?: string;
  /** The profile's constants when they are not the named profile's own (a scaled guest CPU: validate.ts sensitivity). */
  profileDef?: Profile;
  /**
   * The zswap era to replay with instead of '6.1' (a recording of another kernel:
   * validation/other-kernels). An era whose kernel has the swap core's zeromap (6.12) turns it on
   * in every case, those without zswap too: it is the kernel's, not zswap's.
   */
  zswapEra?: ZswapEra;
  /** The scheduler tick's phase, ns (RunOverrides.tickPhaseNs; validate --tick-phase). */
  tickPhaseNs?: number;
  /** The fair scheduler (RunOverrides.scheduler; validate --sched). */
  scheduler?: string;
  /** Recordings that give the zones' boot state to a case whose own start mark lacks it (bootSource; validate --boot-from). */
  bootFrom?: BootFrom;
}

/** Directories of recordings for bootSource: the one the user named (given), or the default's, one per kernel (defaultBootFrom). */
interface BootFrom {
  readonly dirs: readonly string[];
  readonly given: boolean;
}

/**
 * Runs the case through tmemsim: one pass with the case's backend priced by `profile` (the
 * guest's CPU), no baseline, tags checked (not bytes).
 */
export async function replay(ref: Reference, file: string, profile: string, o: ReplayOptions = {}): Promise<RunResult> {
  const era = o.zswapEra !== undefined && ref.config.zswap.enabled ? { params: { era: o.zswapEra } } : {};
  return simulateTrace(() => traceOf(ref, file, profile, replaysZeromap(o.zswapEra), o.bootFrom), { baseline: false, fast: true, ...(o.reclaim !== undefined ? { reclaim: o.reclaim } : {}), ...(o.profileDef ? { profileDefs: [o.profileDef] } : {}), ...(o.tickPhaseNs !== undefined ? { tickPhaseNs: o.tickPhaseNs } : {}), ...(o.scheduler !== undefined ? { scheduler: o.scheduler } : {}), ...era });
}
