/**
 * Hit-ratio windows for the hit-ratio chart. A sampled series holds
 * cumulative counters at sample times; the lookups between two consecutive
 * samples make one stretch. Windows are built from consecutive stretches:
 *
 * - a stretch with no lookups is a gap: it ends the current run of windows,
 *   and nothing is drawn across it (no line joins the two sides);
 * - within a run, stretches are merged into a window until it holds at least
 *   `minLookups` lookups, so no point stands for one or two lookups;
 * - the lookups left at the end of a run (fewer than `minLookups`) join the
 *   run's last window; a run with fewer than `minLookups` lookups in all is not
 *   drawn, and its lookups are counted in `undrawn`.
 *
 * The ratio of a window is exact (hits / lookups over it), whatever the
 * sampler dropped inside it, since the counters are cumulative.
 */

export interface HitWindow {
  /** Sample times bounding the window, ns. */
  t0_ns: number;
  t1_ns: number;
  hits: number;
  lookups: number;
}

interface HitWindows {
  /** Runs of adjacent windows; a gap (a stretch with no lookups) lies between two runs. */
  runs: HitWindow[][];
  /** Lookups in runs too short for one window (not drawn). */
  undrawn: number;
}

/** The smallest number of lookups a plotted hit-ratio window holds. */
export const MIN_WINDOW_LOOKUPS = 50;

/**
 * Windows of cumulative `hits` / `lookups` sampled at `t_ns`. The first
 * stretch runs from time 0 (counters 0) to the first sample.
 */
export function hitWindows(t_ns: readonly number[], hits: readonly number[], lookups: readonly number[], minLookups = MIN_WINDOW_LOOKUPS): HitWindows {
  if (!(minLookups >= 1)) throw new RangeError('a window needs at least 1 lookup');
  const runs: HitWindow[][] = [];
  let undrawn = 0;
  let run: HitWindow[] = [];
  let open: HitWindow | null = null;
  const closeRun = (): void => {
    if (open) {
      const last = run[run.length - 1];
      if (last) {
        last.t1_ns = open.t1_ns;
        last.hits += open.hits;
        last.lookups += open.lookups;
      } else undrawn += open.lookups;
      open = null;
    }
    if (run.length > 0) runs.push(run);
    run = [];
  };
  for (let i = 0; i < t_ns.length; i++) {
    const t0 = i > 0 ? t_ns[i - 1]! : 0;
    const dl = lookups[i]! - (i > 0 ? lookups[i - 1]! : 0);
    const dh = hits[i]! - (i > 0 ? hits[i - 1]! : 0);
    if (dl === 0) {
      closeRun();
      continue;
    }
    if (!open) open = { t0_ns: t0, t1_ns: t_ns[i]!, hits: 0, lookups: 0 };
    open.t1_ns = t_ns[i]!;
    open.hits += dh;
    open.lookups += dl;
    if (open.lookups >= minLookups) {
      run.push(open);
      open = null;
    }
  }
  closeRun();
  return { runs, undrawn };
}
