/**
 * The kernel's own spread beside tmemsim's verdict: every kernel run of the same experiment
 * recorded on another day (the package's validation/references, validation/recordings and
 * validation/other-kernels, the validated directory left out; or the directories given),
 * judged against the references by validate's rules as if it were tmemsim (compare.ts
 * compareKernelRun). For each counter, how many of those fresh runs fall
 * outside the references' range by more than the tolerance: a counter tmemsim is out on and
 * the kernel itself is out on in most fresh runs is one whose three-run range is narrower than
 * the kernel's run-to-run spread (docs/validation.md, "The kernel against itself").
 *
 * It changes no verdict: validate's exit status and counts are tmemsim's against the references
 * alone; this is the context printed beside them.
 *
 * A recording's case is the same experiment when its kernel (uname -r and package version), guest,
 * workload, zswap configuration and sysctls are the reference's; other cases of a directory (a
 * case the references lack, another kernel, a changed workload) are left out.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { packagePath } from '../package-files.js';
import { compareKernelRun, rowKey } from './compare.js';
import { defaultReferenceDir, readReference, type Reference } from './reference.js';

/** One counter at one phase over the fresh kernel runs. */
interface FreshCounter {
  case: string;
  phase: string;
  counter: string;
  /** Fresh runs that recorded the counter, and those out of tolerance of the references' range. */
  judged: number;
  out: number;
  /** The fresh runs' lowest and highest figure. */
  min: number;
  max: number;
}

export interface FreshRuns {
  /** The recording directories that gave runs (absolute, sorted), and their runs in all. */
  recordings: string[];
  runs: number;
  /** By rowKey (case/phase/counter). */
  counters: Map<string, FreshCounter>;
}

/**
 * The package's recordings of the reference kernels: validation/references and every directory
 * below validation/recordings and validation/other-kernels (each a record.mjs --out DIR). The
 * directory being validated is left out by freshRuns' `exclude`.
 */
export function defaultFreshRunDirs(): string[] {
  const dirs: string[] = [defaultReferenceDir()];
  for (const top of ['validation/recordings', 'validation/other-kernels']) {
    const root = packagePath(top);
    let names: string[] = [];
    try {
      names = fs.readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    } catch {
      continue; // a package without recordings: no context
    }
    for (const n of names.sort()) dirs.push(path.join(root, n));
  }
  return dirs;
}

/** Whether `other` ran the experiment of `ref`: same kernel, guest, workload, zswap settings and sysctls. */
export function sameExperiment(ref: Reference, other: Reference): boolean {
  const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
  return (
    other.case === ref.case &&
    other.kernel.uname_r === ref.kernel.uname_r &&
    other.kernel.version === ref.kernel.version &&
    same(other.guest, ref.guest) &&
    same(other.workload, ref.workload) &&
    same(other.config.zswap, ref.config.zswap) &&
    same(other.config.sysctl, ref.config.sysctl)
  );
}

/**
 * The fresh runs of `refs`' cases in `dirs`, each judged against its reference. `exclude`: the
 * references' own directory (its runs are the range, not fresh ones). A directory without a
 * case's file, or whose file is not the same experiment, gives nothing for that case.
 */
export function freshRuns(refs: readonly Reference[], dirs: readonly string[], exclude: string): FreshRuns {
  const counters = new Map<string, FreshCounter>();
  const used = new Set<string>();
  let runs = 0;
  // The same directory by another name (a link, a relative path) is the same directory.
  const real = (d: string): string => {
    try {
      return fs.realpathSync(d);
    } catch {
      return path.resolve(d);
    }
  };
  const skip = real(exclude);
  for (const dir of dirs.map(real)) {
    if (dir === skip) continue;
    for (const ref of refs) {
      const file = path.join(dir, `${ref.case}.json`);
      if (!fs.existsSync(file)) continue;
      const other = readReference(file);
      if (!sameExperiment(ref, other)) continue;
      used.add(dir);
      for (const run of other.runs) {
        runs++;
        for (const row of compareKernelRun(ref, run)) {
          if (row.tmemsim === null) continue;
          const k = rowKey(row);
          let c = counters.get(k);
          if (c === undefined) counters.set(k, (c = { case: row.case, phase: row.phase, counter: row.counter, judged: 0, out: 0, min: row.tmemsim, max: row.tmemsim }));
          c.judged++;
          if (row.status !== 'ok') c.out++;
          c.min = Math.min(c.min, row.tmemsim);
          c.max = Math.max(c.max, row.tmemsim);
        }
      }
    }
  }
  return { recordings: [...used].sort(), runs, counters };
}
