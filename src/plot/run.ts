/**
 * `run --plot DIR`: per profile (and rmmod strategy), stored pages, pool size
 * and zombie pages over simulated time, hit ratios per window over time (both
 * with the pass's insmod/rmmod events marked), and the energy breakdown
 * against the baseline; with the runs' uncertainty (run --uncertainty), the
 * tornado chart of the constants that move the saving.
 */

import type { RunResult } from '../sim/simulate.js';
import { energyChart, hitChart, poolChart, tornadoChart, zombieChart } from './charts.js';
import type { Uncertainty } from '../cost/uncertainty.js';
import { ensureDir, writeSvg } from './render.js';
import { MIN_WINDOW_LOOKUPS } from './windows.js';
import type { TimeEvent } from './style.js';
import type { LifecycleEntry } from '../sim/summary.js';
import { workloadName } from '../sweep/grid.js';

/** A pass's insmod and rmmod events (with the strategy, and any failure), and when a zombie finished draining. */
function lifecycleEvents(entries: readonly LifecycleEntry[]): TimeEvent[] {
  const out: TimeEvent[] = [];
  for (const e of entries) {
    const what = e.op === 'insmod' ? `insmod ${e.backend}` : `rmmod ${e.backend} (${e.strategy})`;
    out.push({ t_s: e.t_ns / 1e9, label: e.outcome === 'ok' ? what : `${what}: ${e.outcome}` });
    if (e.drained_ns !== null) out.push({ t_s: e.drained_ns / 1e9, label: `${e.backend} zombie drained` });
  }
  return out;
}

/** The charts, written into `dir`, which is made first (one level at a time) or refused with one line. */
export async function writeRunPlots(r: RunResult, dir: string, uncertainty: readonly (Uncertainty | undefined)[] = []): Promise<string[]> {
  ensureDir(dir);
  return writeRunPlotsIn(r, dir, uncertainty);
}

/**
 * The charts, written into `dir`, a directory that exists (the CLI makes it before the run, to refuse a bad one early).
 * `uncertainty[i]`, when given, is the uncertainty of `r.runs[i]` (the report's runs, in the same order): its tornado is drawn.
 */
export async function writeRunPlotsIn(r: RunResult, dir: string, uncertainty: readonly (Uncertainty | undefined)[] = []): Promise<string[]> {
  const files: string[] = [];
  const w = workloadName(r.trace);
  for (const [i, run] of r.runs.entries()) {
    const tag = run.variant ? `${run.profile}-${run.variant}` : run.profile;
    const name = run.backend.backend ?? 'backend';
    const what = `${w} on ${tag}`;
    if (run.series) {
      const events = lifecycleEvents(run.backend.lifecycle);
      const zombies: { k: number; e: LifecycleEntry }[] = [];
      files.push(await writeSvg(dir, `pool-${w}-${tag}`, poolChart(`${what}: ${name} pool over time`, [{ label: name, series: run.series.backend }], events)));
      run.backend.lifecycle.forEach((e, k) => {
        if (e.op === 'rmmod' && e.strategy === 'zombie' && e.outcome === 'ok') zombies.push({ k, e });
      });
      for (const { k, e } of zombies) {
        const n = zombies.length > 1 ? `-${k + 1}` : '';
        files.push(await writeSvg(dir, `zombie-${w}-${tag}${n}`, zombieChart(`${what}: zombie drain after rmmod ${e.backend}`, run.series.backend, e, events)));
      }
      files.push(await writeSvg(dir, `hit-ratio-${w}-${tag}`, hitChart(`${what}: hit ratios per window of ≥ ${MIN_WINDOW_LOOKUPS} lookups (${name})`, run.series.backend, events)));
    }
    files.push(await writeSvg(dir, `energy-${w}-${tag}`, energyChart(`${what}: energy, ${name} against no backend`, run.backend.energy, run.baseline?.energy ?? null, name)));
    const u = uncertainty[i];
    if (u && u.tornado.length > 0) files.push(await writeSvg(dir, `tornado-${w}-${tag}`, tornadoChart(`${what}: what moves the energy saving of ${name}`, u)));
  }
  return files;
}
