/**
 * A recorded kernel reference (validation/references/<case>.json, written by
 * validation/record.mjs): the kernel and QEMU it ran on, the guest's
 * configuration, the workload, and every counter at every mark of every run.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { UsageError, readJsonFile } from '../errors.js';
import { packagePath } from '../package-files.js';

interface ZswapCaseConfig {
  enabled: boolean;
  compressor?: string;
  zpool?: string;
  max_pool_percent?: number;
  accept_threshold_percent?: number;
}

/** /proc/stat's ticks a second (USER_HZ): the unit of RecordedMark.stat's CPU times. */
export const USER_HZ = 100;

export interface RecordedMark {
  name: string;
  zswap: Record<string, number>;
  vmstat: Record<string, number>;
  /** kB, as /proc/meminfo prints them. */
  meminfo: Record<string, number>;
  /**
   * The guest's CPU time so far (recordings from 2026-12-03 on): /proc/stat's
   * "cpu" line in USER_HZ ticks (user, nice, system, idle, iowait, irq,
   * softirq, steal), ctxt (context switches) and uptime_s (seconds).
   */
  stat?: Record<string, number>;
  /**
   * Each zone's free pages (NR_FREE_PAGES) and its per-CPU page list's count, high mark and
   * batch (one CPU), by zone name (recordings from 2026-12-04 on); its watermark boost and its
   * pageblocks by migratetype (from 2026-12-05).
   */
  zones?: Record<
    string,
    {
      free?: number;
      pcp_count?: number;
      pcp_high?: number;
      pcp_batch?: number;
      boost?: number;
      blocks_unmovable?: number;
      blocks_movable?: number;
      blocks_reclaimable?: number;
    }
  >;
}

interface RecordedRun {
  wall_s?: number;
  mem_total_kb: number;
  mem_free_kb: number;
  marks: RecordedMark[];
}

export interface Reference {
  case: string;
  description: string;
  kernel: { package: string; version: string; uname_r: string; uname_v?: string };
  qemu: string;
  guest: { memory_mib: number; swap_mib: number; data_mib: number; smp: number; accel: string; cmdline: string };
  config: {
    zswap: ZswapCaseConfig;
    params: Record<string, string | number>;
    sysctl: Record<string, string | number>;
    sys: Record<string, string | number>;
    /** /proc/zoneinfo's "Node N, zone NAME" lines and each zone's min, low, high, present, managed lines. */
    zoneinfo?: string[];
  };
  workload: { seed: number; ops: string[] };
  runs: RecordedRun[];
}

/** validation/references of this package (from src/validate or dist/validate alike). */
export function defaultReferenceDir(): string {
  return packagePath('validation/references');
}

/**
 * The recordings that give the zones' boot state (pageblocks and free blocks by migratetype) to
 * recordings made before the harness printed it, one per kernel recorded: for 6.1 2026-12-06b,
 * the first with it, whose 33 runs booted to the same state; for 6.12.95 linux-6.12.95-2026-12-06
 * (docs/validation.md). A case boots from the first of them of its own kernel and zones.
 */
export function defaultBootFrom(): string[] {
  return [packagePath('validation/recordings/2026-12-06b'), packagePath('validation/other-kernels/linux-6.12.95-2026-12-06')];
}

/**
 * The validation guest's CPU as a profile file (validation/guest-tcg.json, written by
 * validation/guest-cpu.mjs from the references): what the replay prices the guest's work with.
 */
export function defaultGuestProfile(): string {
  return packagePath('validation/guest-tcg.json');
}

/** Reads and checks one reference file. */
export function readReference(file: string): Reference {
  const doc = readJsonFile(file) as Partial<Reference> | null;
  const bad = (what: string): never => {
    throw new UsageError(`not a validation reference: ${what}`, { file }, 'a file written by validation/record.mjs (npm run validate:record)');
  };
  if (doc === null || typeof doc !== 'object') return bad('not a JSON object');
  if (typeof doc.case !== 'string') return bad('no "case" name');
  if (!doc.workload || !Array.isArray(doc.workload.ops) || typeof doc.workload.seed !== 'number') return bad('no "workload" with seed and ops');
  if (!doc.config?.zswap || typeof doc.config.zswap.enabled !== 'boolean') return bad('no "config.zswap"');
  if (!Array.isArray(doc.runs) || doc.runs.length === 0) return bad('no "runs"');
  for (const [i, r] of doc.runs.entries()) {
    if (!Array.isArray(r.marks) || !r.marks.some((m) => m.name === 'start')) bad(`run ${i + 1} has no "start" mark`);
    if (typeof r.mem_total_kb !== 'number' || typeof r.mem_free_kb !== 'number') bad(`run ${i + 1} lacks mem_total_kb / mem_free_kb`);
  }
  const names = doc.runs[0]!.marks.map((m) => m.name).join(',');
  for (const [i, r] of doc.runs.entries()) {
    if (r.marks.map((m) => m.name).join(',') !== names) bad(`run ${i + 1} has other marks than run 1 (${names})`);
  }
  return doc as Reference;
}

/** Every reference in `dir` (sorted by case name), or those named in `only`. */
export function readReferences(dir: string, only: string[] = []): Reference[] {
  let files: string[];
  try {
    files = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  } catch (e) {
    throw new UsageError(`cannot read the references directory ${dir}: ${(e as Error).message}`, { field: '--references' });
  }
  const refs = files.map((f) => readReference(path.join(dir, f)));
  if (refs.length === 0) throw new UsageError(`no references in ${dir}`, { field: '--references' }, 'a directory of <case>.json files written by npm run validate:record');
  for (const n of only) {
    if (!refs.some((r) => r.case === n)) throw new UsageError(`unknown case '${n}'`, { field: '--case' }, refs.map((r) => r.case).join(', '));
  }
  return only.length === 0 ? refs : refs.filter((r) => only.includes(r.case));
}
