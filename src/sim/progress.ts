/**
 * Progress of a run, for a progress display (the CLI's bar on stderr,
 * src/cli/progress.ts). Host time never enters a report: this only watches.
 */

export interface RunProgress {
  /** The run starts: the trace file and the number of passes over it (profiles x variants, plus baselines). */
  begin(trace: string, passes: number): void;
  /** Pass `pass` (1-based) starts; `label` says which (e.g. "ssd baseline"). */
  pass(pass: number, label: string): void;
  /** Events done in this pass and bytes of the trace file read (-1: unknown); called every few thousand events. */
  tick(events: number, bytesRead: number): void;
  /**
   * The passes left run side by side on `jobs` threads: no pass() calls follow, and each
   * tick gives the events the threaded passes have done so far and the bytes every pass has
   * read (a finished pass, also one run before in this thread, counts the whole file), out of
   * passes x the file's size.
   */
  threads?(jobs: number): void;
  /** The run ended (also on failure). */
  end(): void;
}

/** Events between two ticks. */
export const PROGRESS_EVERY = 1 << 14;
