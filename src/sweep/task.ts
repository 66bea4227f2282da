/**
 * One unit of a sweep's work, runnable in any thread: a backend pass of a
 * configuration, or the baseline pass (no backend) of a workload on a
 * profile, which every backend configuration of that workload and profile
 * shares. Inputs and outputs are plain data (they cross worker boundaries).
 */

import { resolveConfig, runCompressor } from '../sim/config.js';
import { runPass, type PassSummary } from '../sim/simulate.js';
import { Sampler, type Series } from '../sim/sampler.js';
import type { Machine } from '../sim/machine.js';
import type { Profile } from '../profiles/profile.js';
import { openTrace } from '../trace/reader.js';
import { overridesOf, type SweepConfig, type SweepGrid } from './grid.js';

export interface SweepTask {
  kind: 'backend' | 'baseline';
  grid: SweepGrid;
  config: SweepConfig;
  /** Time-series points to sample (0: none). */
  series: number;
}

export interface TaskResult {
  summary: PassSummary;
  /** The series for plots (task.series points), or null. */
  series: Series | null;
  /** A series of a fixed number of points, whatever the plots ask for, for the metrics (mean memory saved). */
  metricSeries: Series;
  /** The profile's energy of a 4 KiB read, µJ (break-even figures are stated in it). */
  readEnergyUJ: number;
  /** The profile the pass was priced with (plain data), for the uncertainty of its figures (src/cost/uncertainty.ts). */
  profile: Profile;
  /** The compressor the pass's backend used (its default when the configuration names none), or null. */
  compressor: string | null;
}

/** Points of the series the metrics are computed from: fixed, so a sweep's figures do not depend on --plot. */
const METRIC_SERIES_POINTS = 64;

export async function runTask(t: SweepTask): Promise<TaskResult> {
  const trace = t.config.trace;
  const open = () => openTrace(trace);
  const first = open();
  const cfg = resolveConfig(first.header, trace, { ...overridesOf(t.grid, t.config), series: t.series });
  const plot = t.series > 0 ? new Sampler(t.series, true) : null;
  const metric = new Sampler(METRIC_SERIES_POINTS);
  const sampler = {
    tick(m: Machine, events: number): void {
      metric.tick(m, events);
      plot?.tick(m, events);
    },
    finish(m: Machine, events: number): Series {
      plot?.finish(m, events);
      return metric.finish(m, events);
    },
  };
  const summary = await runPass(first, cfg, { profile: cfg.profiles[0]!, withBackend: t.kind === 'backend', variant: null, total: 0, sampler });
  const compressor = runCompressor(cfg);
  return { summary, series: plot ? plot.series : null, metricSeries: metric.series, readEnergyUJ: cfg.profiles[0]!.storage.readEnergyUJ.value, profile: cfg.profiles[0]!, compressor };
}
