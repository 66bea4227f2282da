/**
 * `tmemsim validate`: every recorded kernel case replayed through tmemsim,
 * compared counter by counter at every phase (docs/validation.md).
 */

import * as path from 'node:path';
import { resolveProfile } from '../profiles/file.js';
import type { Profile } from '../profiles/profile.js';
import { compareCase, compareKernelRun, rowKey, shownCase, type Row, type ShownRow } from './compare.js';
import { UsageError } from '../errors.js';
import { defaultGuestProfile, readReference, readReferences, type Reference } from './reference.js';
import { runOnWorkers, workerScript } from '../threads.js';
import { ERA_61, replay, replaysZeromap, type ReplayOptions } from './replay.js';
import type { ZswapEra } from '../backends/zswap.js';
import { DEFAULT_RECLAIM } from '../mm/reclaim/registry.js';
import { CFS_61 } from '../sim/schedulers.js';
import type { FreshRuns } from './fresh-runs.js';

interface CaseResult {
  case: string;
  description: string;
  kernel: string;
  runs: number;
  rows: Row[];
  /** Counters shown beside the judged ones, not judged (compare.ts SHOWN). */
  shown: ShownRow[];
}

/** What tmemsim replayed the cases with, for the output to say. */
interface ReplayedWith {
  /** The reclaim model (tmemsim's default unless --reclaim). */
  reclaim: string;
  /** The zswap era of the cases with zswap (6.1 unless --zswap-era). */
  zswap_era: ZswapEra;
  /** The swap core keeps zero pages in its zeromap, in every case (with an era whose kernel has one: 6.12). */
  swap_zeromap: boolean;
  /** The guest's CPU: a profile file or name, as given. */
  guest_profile: string;
  /** Where the scheduler's ticks fell, ms into the replay (0 unless a sensitivity run moved them). */
  tick_phase_ms: number;
  /** The fair scheduler of the workload, kswapd and the kworker (cfs-6.1 unless --sched). */
  scheduler: string;
  /** Recordings whose start marks give the zones' boot state to a case whose own lacks it (--boot-from; null: none). */
  boot_from: string | null;
}

export interface ValidationResult {
  replayed: ReplayedWith;
  cases: CaseResult[];
  rows: Row[];
  ok: number;
  out: number;
  /** The kernel's fresh runs judged against the same references (fresh-runs.ts): context beside the verdict, which it does not change. */
  fresh?: FreshRuns;
}

/** How the suite is replayed: a reclaim model and a zswap era other than the defaults (ReplayOptions). */
export type ValidateOptions = Omit<ReplayOptions, 'profileDef'>;

/**
 * Replays every reference of `dir` (or the named cases) and compares. `guestProfile`: the
 * profile file of the guest's CPU the replay prices its work with (a path or a profile name).
 * `cpuScale`: every CPU time of the guest profile times this (scaledCpu). `jobs`: above 1, the
 * cases replay on that many worker threads (runCases); the result does not depend on it.
 */
export async function validate(dir: string, only: string[] = [], guestProfile = defaultGuestProfile(), o: ValidateOptions = {}, cpuScale = 1, jobs = 1): Promise<ValidationResult> {
  const tasks = caseTasks(dir, readReferences(dir, only), guestProfile, o, cpuScale);
  return assemble(await runCases(tasks, jobs), guestProfile, o);
}

/** One case's replay and comparison, as a task a worker thread can run (src/validate/worker.ts): plain data. */
export interface CaseTask {
  /** The reference file (<case>.json). */
  file: string;
  guestProfile: string;
  o: ReplayOptions;
}

/** The suite's cases (`refs`, read from `dir` and their names checked before any replay) as tasks. */
function caseTasks(dir: string, refs: readonly Reference[], guestProfile: string, o: ValidateOptions, cpuScale: number): CaseTask[] {
  const def = cpuScale === 1 ? undefined : scaledCpu(resolveProfile(guestProfile), cpuScale);
  return refs.map((ref) => ({ file: path.join(dir, `${ref.case}.json`), guestProfile, o: { ...o, ...(def ? { profileDef: def } : {}) } }));
}

/** Runs one case's task (in this thread or a worker's). */
export async function runCaseTask(t: CaseTask): Promise<CaseResult> {
  return validateCase(readReference(t.file), t.file, t.guestProfile, t.o);
}

/**
 * The tasks' results in the tasks' order, on `jobs` worker threads. This thread only hands the
 * cases out: a replay here gives the event loop a turn too seldom for the workers' answers to be
 * read in time (the full suite on 2 cores took 12.5-14.3 s with this thread replaying as one of
 * them, 9.5 s without; 15.4-18.0 s on one).
 */
async function runCases(tasks: CaseTask[], jobs: number): Promise<CaseResult[]> {
  if (jobs <= 1 || tasks.length <= 1) {
    const out: CaseResult[] = [];
    for (const t of tasks) out.push(await runCaseTask(t));
    return out;
  }
  return runOnWorkers<CaseTask, CaseResult>(workerScript('validate-worker'), tasks, jobs);
}

/** A suite's result from its cases' results. */
function assemble(cases: CaseResult[], guestProfile: string, o: ValidateOptions): ValidationResult {
  const rows = cases.flatMap((c) => c.rows);
  const out = rows.filter((r) => r.status !== 'ok').length;
  const replayed = { reclaim: o.reclaim ?? DEFAULT_RECLAIM, zswap_era: o.zswapEra ?? ERA_61, swap_zeromap: replaysZeromap(o.zswapEra), guest_profile: guestProfile, tick_phase_ms: (o.tickPhaseNs ?? 0) / 1e6, scheduler: o.scheduler ?? CFS_61.name, boot_from: o.bootFrom === undefined ? null : o.bootFrom.dirs.join(' or ') };
  return { replayed, cases, rows, ok: rows.length - out, out };
}

/**
 * A profile whose CPU takes `scale` times as long for every operation: its clock rate divided
 * by `scale` (every CPU cost is in cycles of that clock). The guest's per-operation costs are
 * fitted to ±10–30 % and its speed varies between runs (a TCG guest on a shared host).
 */
export function scaledCpu(p: Profile, scale: number): Profile {
  return { ...p, name: `${p.name} x${scale}`, cpu: { ...p.cpu, hz: { ...p.cpu.hz, value: p.cpu.hz.value / scale } } };
}

/** What a sensitivity run varies: the guest's CPU speed (scaledCpu) or the scheduler tick's phase. */
export type SensitivityAxis = 'cpu_scale' | 'tick_phase_ms';

/** A counter out of tolerance at one point of the axis or more (sensitivity). */
interface SensitiveCounter {
  case: string;
  phase: string;
  counter: string;
  /** The points (scales, or tick phases in ms) it is out of tolerance at, in the order asked. */
  out_at: number[];
  /** tmemsim's figure at each point, in the order asked (null: it has none for that counter there). */
  tmemsim: (number | null)[];
  kernel_min: number;
  kernel_max: number;
  /** The allowed distance outside the kernel's range. */
  tolerance: number;
  /** Out below the kernel's range at one point and above it at another: a race that jumps over the range. */
  straddles: boolean;
}

export interface SensitivityResult {
  axis: SensitivityAxis;
  /** Counters compared at each point. */
  counters: number;
  points: { value: number; ok: number; out: number }[];
  /** Every counter out at one point or more, those out at every point first. */
  out: SensitiveCounter[];
}

/**
 * The suite replayed once per point of `axis`: the guest's CPU scaled by each value
 * (scaledCpu), or the scheduler's ticks at each phase (ms). Which counters are out of
 * tolerance at every point (deviations of the model) and which only at some (counters that
 * follow a race the costs or the ticks decide: docs/validation.md item 2).
 */
export async function sensitivity(dir: string, only: string[], guestProfile: string, o: ValidateOptions, axis: SensitivityAxis, values: readonly number[], jobs = 1): Promise<SensitivityResult> {
  const outAt = new Map<string, SensitiveCounter>();
  const figures = new Map<string, (number | null)[]>();
  const points: SensitivityResult['points'] = [];
  let counters = 0;
  // Every point's cases in one pool of threads; each point's suite is then put together in order.
  const options = values.map((value): ValidateOptions => (axis === 'cpu_scale' ? o : { ...o, tickPhaseNs: Math.round(value * 1e6) }));
  const refs = readReferences(dir, only);
  const perPoint = values.map((value, i) => caseTasks(dir, refs, guestProfile, options[i]!, axis === 'cpu_scale' ? value : 1));
  const results = await runCases(perPoint.flat(), jobs);
  let at = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    const v = assemble(results.slice(at, (at += perPoint[i]!.length)), guestProfile, options[i]!);
    counters = v.rows.length;
    points.push({ value, ok: v.ok, out: v.out });
    for (const r of v.rows) {
      const k = rowKey(r);
      let f = figures.get(k);
      if (f === undefined) figures.set(k, (f = []));
      f.push(r.tmemsim);
      if (r.status === 'ok') continue;
      let c = outAt.get(k);
      if (c === undefined) outAt.set(k, (c = { case: r.case, phase: r.phase, counter: r.counter, out_at: [], tmemsim: f, kernel_min: r.kernel_min, kernel_max: r.kernel_max, tolerance: r.tolerance, straddles: false }));
      c.out_at.push(value);
    }
  }
  for (const c of outAt.values()) {
    const xs = c.tmemsim.filter((x): x is number => x !== null);
    c.straddles = xs.some((x) => x < c.kernel_min - c.tolerance) && xs.some((x) => x > c.kernel_max + c.tolerance);
  }
  // Out at every point first, then by how many; within that, in the suite's order.
  const out = [...outAt.values()].sort((a, b) => b.out_at.length - a.out_at.length);
  return { axis, counters, points, out };
}

async function validateCase(ref: Reference, file: string, guestProfile: string, o: ReplayOptions): Promise<CaseResult> {
  const res = await replay(ref, file, guestProfile, o);
  const pass = res.runs[0]!.backend;
  const rows = compareCase(ref, pass);
  return { case: ref.case, description: ref.description, kernel: `${ref.kernel.uname_r} (${ref.kernel.package} ${ref.kernel.version})`, runs: ref.runs.length, rows, shown: shownCase(ref, pass) };
}

/** One kernel run of another recording judged against the references (reproducibility). */
interface KernelRunResult {
  case: string;
  /** The run's number in its recording (1-based). */
  run: number;
  ok: number;
  out: number;
  /** The rows out of tolerance (their `tmemsim` column holds the run's figure). */
  rows: Row[];
}

export interface ReproducibilityResult {
  /** The references' directory and the recording's. */
  references: string;
  recording: string;
  runs: KernelRunResult[];
  /** Counters judged over all runs, and those within tolerance. */
  counters: number;
  ok: number;
  /** Each counter out of tolerance in one run or more, with the runs it is out in. */
  out: { case: string; phase: string; counter: string; runs: number[] }[];
}

/**
 * The suite's own reproducibility: every kernel run of another recording (`recording`: a
 * record.mjs --out DIR, e.g. the same cases recorded on another day) judged against the
 * references of `dir` by validate's rules, as if it were tmemsim. A counter a real kernel
 * cannot reproduce within tolerance is decided by the run's timing more than by the model:
 * its references' range is narrower than the kernel's own spread.
 */
export function reproducibility(dir: string, recording: string, only: string[] = []): ReproducibilityResult {
  const refs = readReferences(dir, only);
  const again = new Map(readReferences(recording, only).map((r) => [r.case, r]));
  if (![...again.keys()].some((c) => refs.some((r) => r.case === c))) {
    throw new UsageError(`no case of ${recording} is among the references of ${dir}`, { field: '--kernel-runs' }, 'a directory record.mjs --out wrote, of cases in the references');
  }
  const runs: KernelRunResult[] = [];
  const outRuns = new Map<string, { case: string; phase: string; counter: string; runs: number[] }>();
  let counters = 0;
  let ok = 0;
  for (const ref of refs) {
    const rec = again.get(ref.case);
    if (rec === undefined) continue;
    rec.runs.forEach((run, i) => {
      const rows = compareKernelRun(ref, run);
      const out = rows.filter((r) => r.status !== 'ok');
      counters += rows.length;
      ok += rows.length - out.length;
      runs.push({ case: ref.case, run: i + 1, ok: rows.length - out.length, out: out.length, rows: out });
      for (const r of out) {
        const k = rowKey(r);
        let o = outRuns.get(k);
        if (o === undefined) outRuns.set(k, (o = { case: r.case, phase: r.phase, counter: r.counter, runs: [] }));
        o.runs.push(i + 1);
      }
    });
  }
  return { references: dir, recording, runs, counters, ok, out: [...outRuns.values()] };
}
