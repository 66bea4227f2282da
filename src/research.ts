/**
 * The research API beyond run/simulate: sweeps, traces as plain events,
 * profiles by name, comparison against baselines, and plots. Everything a
 * command does, as library calls (see docs/api.md).
 *
 *   import { simulate, sweep, readTrace, profiles } from 'tmemsim';
 *   const s = await sweep({ workloads: ['workloads/file-scan.json'], compressors: ['lz4', 'zstd'] });
 */

import * as os from 'node:os';
import { compareEntries, entriesOf, isRunReport, type Comparison, type Tolerance } from './analysis/compare.js';
import type { MetricKey } from './analysis/metrics.js';
import { PROFILES } from './profiles/registry.js';
import type { Profile } from './profiles/profile.js';
import { checkGrid } from './sweep/file.js';
import type { Shard, SweepGrid } from './sweep/grid.js';
import { runSweep, type SweepOutput, type SweepResult } from './sweep/sweep.js';
import { openTrace, type OpenTraceOptions } from './trace/reader.js';
import type { TraceEvent, TraceHeader } from './trace/events.js';

export interface SweepCallOptions {
  /** Worker threads (default: all cores: os.availableParallelism()). */
  jobs?: number;
  /** Run only the k-th of n slices. */
  shard?: Shard | null;
  /** Called after each pass with (done, total). */
  progress?: (done: number, total: number) => void;
}

/** Run a sweep and return its document (what `tmemsim sweep --format json` prints). */
export async function sweep(grid: SweepGrid, o: SweepCallOptions = {}): Promise<SweepResult> {
  return (await sweepWithSeries(grid, { ...o, series: 0 })).result;
}

/** A sweep and, beside its document, every pass's time series (`series` points; for plots). */
export async function sweepWithSeries(grid: SweepGrid, o: SweepCallOptions & { series?: number } = {}): Promise<SweepOutput> {
  const g = checkGrid(JSON.parse(JSON.stringify(grid)) as unknown);
  return runSweep(g, { jobs: o.jobs ?? os.availableParallelism(), shard: o.shard ?? null, series: o.series ?? 200, progress: o.progress });
}

export interface TraceReader {
  path: string;
  header: TraceHeader;
  /** The events, streamed (each call reads the file again). */
  events(): IterableIterator<TraceEvent>;
}

/** Open a trace (any supported format) for reading its header and events. */
export function readTrace(path: string, o: OpenTraceOptions = {}): TraceReader {
  const src = openTrace(path, o);
  return {
    path: src.path,
    header: src.header,
    *events() {
      for (const le of openTrace(path, o).eventsSync()) yield le.event;
    },
  };
}

/** The built-in device profiles by name (aliases: getProfile()). */
export const profiles: Readonly<Record<string, Profile>> = Object.freeze(Object.fromEntries(PROFILES));

/**
 * Compare two parsed result documents (sweep, baseline or run report); tolerances by metric.
 * A run report is compared on the baseline entries it holds (as `tmemsim compare` does).
 */
export function compare(run: unknown, baseline: unknown, tolerances: Partial<Record<MetricKey, Tolerance | null>> = {}): Comparison {
  return compareEntries(entriesOf('run', run), entriesOf('baseline', baseline), tolerances, { runReport: isRunReport(run) });
}
