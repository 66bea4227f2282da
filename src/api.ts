/**
 * The research API: what the CLI does, as library calls.
 *
 *   const report = await run({ trace: 'workloads/mixed.json', profiles: ['ssd'] });
 */

import * as os from 'node:os';
import { openTrace, type FormatOptions } from './trace/reader.js';
import { simulateTrace, type Collaborators, type RunResult } from './sim/simulate.js';
import type { RunOverrides } from './sim/config.js';
import { buildReport, type Report } from './report/model.js';
import type { RunProgress } from './sim/progress.js';

export interface RunOptions extends RunOverrides {
  /** Path of the trace file. */
  trace: string;
  /** Trace format name, when the extension does not say it. */
  inputFormat?: string;
  /** Options of an imported format (csv columns, page size, ...): see docs/importers.md. */
  formatOptions?: FormatOptions;
  /** Told how the run goes (the CLI's progress bar); never affects the report. */
  progress?: RunProgress;
  /**
   * Replace what each pass is built from: `compression` (the codec service),
   * `content` (the page-content source, whose seeded generators are the run's
   * randomness), `now` (the wall clock, which only paces event-loop turns).
   */
  collaborators?: Collaborators;
  /** Report every energy and CPU figure and the saving as an interval over the profile's ranges, with the tornado of constants. */
  uncertainty?: boolean;
  /**
   * Worker threads for the run's passes (profiles x variants, and the baselines), each pass on
   * its own thread: the same result as in one thread, sooner on several cores. A number: that
   * many threads from the start (1: this thread); 'auto' (the CLI's default): the passes start in this
   * thread, and once one has run half a second the rest start on the other cores beside it (a
   * worker's start costs a few hundred ms: a short run stays in this thread). Default 1; ignored with collaborators, whose
   * objects cannot cross threads.
   */
  jobs?: number | 'auto';
}

/** Replay a trace and return the raw results (per profile, backend and baseline passes). */
export async function simulate(o: RunOptions): Promise<RunResult> {
  const { trace, inputFormat, formatOptions, progress, collaborators, uncertainty: _u, jobs, ...overrides } = o;
  const where = { path: trace, inputFormat, formatOptions };
  const threads = jobs === 'auto' ? { jobs: os.availableParallelism(), trace: where, auto: true } : jobs !== undefined && jobs > 1 ? { jobs, trace: where, auto: false } : undefined;
  return simulateTrace(() => openTrace(trace, { format: inputFormat, formatOptions }), overrides, progress, collaborators, threads);
}

/** Replay a trace and build the report (what `tmemsim run --format json` prints). */
export async function run(o: RunOptions): Promise<Report> {
  return buildReport(await simulate(o), { uncertainty: o.uncertainty });
}
