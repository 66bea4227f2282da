/**
 * `run --plot DIR`: per profile (and rmmod strategy), stored pages and pool
 * size over simulated time, hit ratios over time, and the energy breakdown
 * against the baseline.
 */

import type { RunResult } from '../sim/simulate.js';
import { energyChart, hitChart, poolChart } from './charts.js';
import { ensureDir, writeSvg } from './render.js';
import { MIN_WINDOW_LOOKUPS } from './windows.js';
import { workloadName } from '../sweep/grid.js';

export async function writeRunPlots(r: RunResult, dir: string): Promise<string[]> {
  ensureDir(dir);
  const files: string[] = [];
  const w = workloadName(r.trace);
  for (const run of r.runs) {
    const tag = run.variant ? `${run.profile}-${run.variant}` : run.profile;
    const name = run.backend.backend ?? 'backend';
    const what = `${w} on ${tag}`;
    if (run.series) {
      files.push(await writeSvg(dir, `pool-${w}-${tag}`, poolChart(`${what}: ${name} pool over time`, [{ label: name, series: run.series.backend }])));
      files.push(await writeSvg(dir, `hit-ratio-${w}-${tag}`, hitChart(`${what}: hit ratios per window of ≥ ${MIN_WINDOW_LOOKUPS} lookups (${name})`, run.series.backend)));
    }
    files.push(await writeSvg(dir, `energy-${w}-${tag}`, energyChart(`${what}: energy, ${name} against no backend`, run.backend.energy, run.baseline?.energy ?? null, name)));
  }
  return files;
}
