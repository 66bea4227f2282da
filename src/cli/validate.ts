/**
 * `tmemsim validate`: replays every recorded kernel case (validation/references)
 * and prints `counter | kernel (min–max over runs) | tmemsim | error` per case
 * and phase, then the reclaim counters and the kernel's CPU time shown and not judged (compare.ts SHOWN);
 * exit 1 when a counter is out of tolerance. With --known FILE (CI)
 * exit 1 only on an out-of-tolerance counter FILE does not list, or a listed
 * one that passes now; --update-known rewrites FILE. With --cpu-scale S,S,...
 * the suite is replayed once per scale of the guest's CPU (with --tick-phase
 * MS,MS,... once per phase of the scheduler's ticks) and the output says
 * which counters are out at every point and which at some only. With
 * --kernel-runs DIR, another recording's kernel runs are judged against the
 * references instead of tmemsim (the suite's reproducibility). A plain replay
 * ends with each counter out of tolerance beside the package's fresh kernel
 * runs of the same experiments (--fresh-runs; validate/fresh-runs.ts). See
 * docs/validation.md.
 */

import type { Command } from 'commander';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { UsageError, quote } from '../errors.js';
import { knownText, ratchet, readKnown } from '../validate/known.js';
import { defaultBootFrom, defaultGuestProfile, defaultReferenceDir, readReferences } from '../validate/reference.js';
import { defaultFreshRunDirs, freshRuns } from '../validate/fresh-runs.js';
import { renderReproducibilityCsv, renderReproducibilityJson, renderReproducibilityTable, renderSensitivityCsv, renderSensitivityJson, renderSensitivityTable, renderValidationCsv, renderValidationJson, renderValidationTable } from '../report/validation.js';
import { reproducibility, sensitivity, validate, type ValidateOptions } from '../validate/validate.js';
import { ZSWAP_ERAS, type ZswapEra } from '../backends/zswap.js';
import { DEFAULT_RECLAIM, getReclaim, reclaimNames } from '../mm/reclaim/registry.js';
import { widthFor, writeOut } from './output.js';
import { CFS_61, schedulerNames } from '../sim/schedulers.js';
import { schedulerOf } from '../sim/config.js';
import { parseIntFlag, parseTickPhase, TICK_PHASE_ACCEPTED } from './options.js';

const RENDER = { table: renderValidationTable, json: renderValidationJson, csv: renderValidationCsv } as const;
const RENDER_SENSITIVITY = { table: renderSensitivityTable, json: renderSensitivityJson, csv: renderSensitivityCsv } as const;
const RENDER_REPRODUCIBILITY = { table: renderReproducibilityTable, json: renderReproducibilityJson, csv: renderReproducibilityCsv } as const;

/** --cpu-scale's list: numbers in (0, 10], at least one, none twice. */
function cpuScales(text: string): number[] {
  const accepted = 'comma-separated numbers above 0 and at most 10, each once (e.g. 0.97,1,1.03)';
  const parts = text.split(',').map((x) => x.trim());
  const scales = parts.map(Number);
  scales.forEach((x, i) => {
    if (parts[i] === '' || !Number.isFinite(x) || x <= 0 || x > 10) throw new UsageError(`--cpu-scale ${quote(parts[i]!)} is not a scale`, { field: '--cpu-scale' }, accepted);
  });
  if (new Set(scales).size !== scales.length) throw new UsageError(`--cpu-scale ${quote(text)} lists a scale twice`, { field: '--cpu-scale' }, accepted);
  return scales;
}
/** --tick-phase's list: ms in [0, 4), at least one, none twice. */
function tickPhases(text: string): number[] {
  const ns = text.split(',').map((x) => parseTickPhase('--tick-phase', x));
  if (new Set(ns).size !== ns.length) throw new UsageError(`--tick-phase ${quote(text)} lists a phase twice`, { field: '--tick-phase' }, TICK_PHASE_ACCEPTED);
  return ns.map((x) => x / 1e6);
}
const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

/** --fresh-runs: the package's recordings by default; 'none' alone for none; else directories that exist. */
function freshRunDirs(given: string[] | undefined): string[] {
  if (given === undefined) return defaultFreshRunDirs();
  if (given.includes('none')) {
    if (given.length > 1) throw new UsageError("--fresh-runs none goes alone: it leaves every recording out", { field: '--fresh-runs' }, "'none', or directories of recorded runs");
    return [];
  }
  return given.map((d) => {
    const abs = path.resolve(d);
    if (!fs.statSync(abs, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`--fresh-runs ${quote(d)} is not a directory`, { field: '--fresh-runs' }, "'none', or directories of recorded runs (validation/record.mjs --out DIR)");
    return abs;
  });
}

export function registerValidate(program: Command, setExit: (code: number) => void): void {
  program
    .command('validate')
    .description('replay the recorded Linux kernel cases (validation/references) and compare every counter at every phase; exit 1 out of tolerance')
    .option('--references <dir>', 'directory of recorded <case>.json references', defaultReferenceDir())
    .option('--guest-profile <file>', "the guest's CPU as a profile file (written by validation/guest-cpu.mjs) or a profile name", defaultGuestProfile())
    .option('--case <name>', 'only this case (repeatable)', collect)
    .option('--boot-from <dir>', "where a reference's start mark lacks the zones' free blocks by migratetype, take them from the same case recorded in DIR, same kernel and zones ('none': every page free and movable; default: the package's recording with the boot state of the reference's kernel, validation/recordings/2026-12-06b for 6.1, validation/other-kernels/linux-6.12.95-2026-12-06 for 6.12.95)")
    .option('--reclaim <name>', `the reclaim model to replay with: ${reclaimNames().join(', ')} (default: ${DEFAULT_RECLAIM}, tmemsim's default)`)
    .option('--zswap-era <era>', `the zswap era to replay with: ${ZSWAP_ERAS.join(', ')} (default: 6.1, the references' kernel; another for a recording of another kernel, e.g. validation/other-kernels)`)
    .option('--sched <name>', `the fair scheduler to replay with: ${schedulerNames().join(', ')} (default: ${CFS_61.name}, the references' kernel's; eevdf-6.12 for a 6.12 recording)`)
    .option('-f, --format <fmt>', `output format: ${Object.keys(RENDER).join(', ')}`, 'table')
    .option('-o, --out <file>', 'write the output to a file instead of stdout')
    .option('--known <file>', 'ratchet: exit 1 only on out-of-tolerance counters this file does not list, or listed ones that now pass')
    .option('--update-known', 'rewrite the --known file with today\'s out-of-tolerance counters (exit 0)')
    .option('--kernel-runs <dir>', 'judge the kernel runs recorded in DIR (validation/record.mjs --out DIR, e.g. the same cases on another day) against the references by the same rules, as if each were tmemsim: what the references\' ranges allow the kernel itself (exit 0)')
    .option('--cpu-scale <list>', 'replay the suite once per scale of the guest\'s CPU (every CPU time x S, e.g. 0.97,0.99,1,1.01,1.03) and list the counters out at every scale apart from those out at some (exit 0)')
    .option('-j, --jobs <n>', 'worker threads that replay the cases (1: this thread alone); the output is the same for any n (default: all cores)')
    .option('--fresh-runs <dir>', "after the verdict, judge the kernel runs of the same experiments recorded on other days (record.mjs --out DIR) against the same references, beside each counter out of tolerance (repeatable; 'none': leave them out; default: every recording of the package but the one validated: validation/references, validation/recordings/*, validation/other-kernels/*; the verdict and exit status are tmemsim's alone)", collect)
    .option('--tick-phase <list>', 'replay the suite once per phase of the scheduler\'s 4 ms ticks (ms into the run, e.g. 0,1,2,3; a real kernel\'s is chance) and list the counters out at every phase apart from those out at some, with tmemsim\'s figure at each (exit 0)')
    .action(async (f: { references: string; guestProfile: string; bootFrom?: string; case?: string[]; reclaim?: string; zswapEra?: string; sched?: string; format: string; out?: string; known?: string; updateKnown?: boolean; cpuScale?: string; tickPhase?: string; kernelRuns?: string; jobs?: string; freshRuns?: string[] }) => {
      if (!(f.format in RENDER)) throw new UsageError(`unknown output format ${quote(f.format)}`, { field: '--format' }, Object.keys(RENDER).join(', '));
      if (f.freshRuns !== undefined && (f.kernelRuns !== undefined || f.cpuScale !== undefined || f.tickPhase !== undefined)) {
        throw new UsageError('--fresh-runs goes with a plain replay of the suite: give no --kernel-runs, --cpu-scale or --tick-phase', { field: '--fresh-runs' });
      }
      // Checked before any replay (a bad directory is one line at once); read only by a plain replay.
      const freshDirs = f.kernelRuns === undefined && f.cpuScale === undefined && f.tickPhase === undefined ? freshRunDirs(f.freshRuns) : [];
      if (f.kernelRuns !== undefined) {
        if (f.known || f.updateKnown || f.cpuScale !== undefined || f.tickPhase !== undefined || f.zswapEra !== undefined || f.sched !== undefined) throw new UsageError('--kernel-runs replays nothing: give no --known, --update-known, --cpu-scale, --tick-phase, --zswap-era or --sched', { field: '--kernel-runs' });
        const r = reproducibility(path.resolve(f.references), path.resolve(f.kernelRuns), f.case ?? []);
        writeOut(RENDER_REPRODUCIBILITY[f.format as keyof typeof RENDER_REPRODUCIBILITY](r, widthFor(f.out)), f.out);
        return;
      }
      if (f.zswapEra !== undefined && !(ZSWAP_ERAS as readonly string[]).includes(f.zswapEra)) throw new UsageError(`unknown zswap era ${quote(f.zswapEra)}`, { field: '--zswap-era' }, ZSWAP_ERAS.join(', '));
      if (f.sched !== undefined) schedulerOf(f.sched, getReclaim(f.reclaim ?? DEFAULT_RECLAIM, '--reclaim'));
      const bootFrom = f.bootFrom === undefined ? { dirs: defaultBootFrom(), given: false } : { dirs: [path.resolve(f.bootFrom)], given: true };
      const o: ValidateOptions = { ...(f.bootFrom !== 'none' ? { bootFrom } : {}), ...(f.reclaim !== undefined ? { reclaim: f.reclaim } : {}), ...(f.zswapEra !== undefined ? { zswapEra: f.zswapEra as ZswapEra } : {}), ...(f.sched !== undefined ? { scheduler: f.sched } : {}) };
      const jobs = f.jobs === undefined ? os.availableParallelism() : parseIntFlag('--jobs', f.jobs, 1, 1024);
      if (f.cpuScale !== undefined || f.tickPhase !== undefined) {
        if (f.cpuScale !== undefined && f.tickPhase !== undefined) throw new UsageError('give --cpu-scale or --tick-phase, not both: a sensitivity run varies one thing', { field: '--tick-phase' });
        const flag = f.cpuScale !== undefined ? '--cpu-scale' : '--tick-phase';
        if (f.known || f.updateKnown) throw new UsageError(`${flag} does not ratchet: give no --known or --update-known`, { field: flag });
        const points = f.cpuScale !== undefined ? cpuScales(f.cpuScale) : tickPhases(f.tickPhase!);
        if (f.reclaim !== undefined) getReclaim(f.reclaim, '--reclaim');
        const r = await sensitivity(path.resolve(f.references), f.case ?? [], f.guestProfile, o, f.cpuScale !== undefined ? 'cpu_scale' : 'tick_phase_ms', points, jobs);
        writeOut(RENDER_SENSITIVITY[f.format as keyof typeof RENDER_SENSITIVITY](r, widthFor(f.out)), f.out);
        return;
      }
      if (f.updateKnown && !f.known) throw new UsageError('--update-known needs --known FILE', { field: '--update-known' });
      if (f.updateKnown && f.case) throw new UsageError('--update-known rewrites the whole list: give no --case', { field: '--update-known' });
      const known = f.known ? readKnown(f.known) : null;
      if (f.reclaim !== undefined) getReclaim(f.reclaim, '--reclaim');
      const v = await validate(path.resolve(f.references), f.case ?? [], f.guestProfile, o, 1, jobs);
      if (freshDirs.length > 0) v.fresh = freshRuns(readReferences(path.resolve(f.references), f.case ?? []), freshDirs, path.resolve(f.references));
      writeOut(RENDER[f.format as keyof typeof RENDER](v, widthFor(f.out)), f.out);
      if (f.updateKnown) {
        writeOut(knownText(v.rows), f.known, '--known');
        process.stderr.write(`tmemsim: ${f.known}: ${v.out} known deviations written\n`);
        return;
      }
      if (known === null) {
        if (v.out > 0) setExit(1);
        return;
      }
      const r = ratchet(v.rows, known);
      for (const k of r.fresh) process.stderr.write(`tmemsim: out of tolerance and not in ${f.known}: ${k}\n`);
      for (const k of r.fixed) process.stderr.write(`tmemsim: listed in ${f.known} but within tolerance now (run with --update-known): ${k}\n`);
      if (r.fresh.length > 0 || r.fixed.length > 0) setExit(1);
      else process.stderr.write(`tmemsim: ratchet ok: ${v.out} out of tolerance, all listed in ${f.known}\n`);
    });
}
