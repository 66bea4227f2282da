// Types of validation/sched-trace.mjs, for the tests (tsconfig.test.json).
export interface TraceEvent { comm: string; pid: number; flags: string; ts: number; event: string; body: string }
export interface Wait {
  delayMs: number;
  misses: number;
  stores: number;
  queuer: string;
  queuerRunMs: number | null;
  sinceKswapdWakeMs: number | null;
  end: 'at once' | 'preempted' | 'slept or blocked' | 'kworker running';
  endPrev: string | null;
  wakeup: string;
}
/** One kswapd run (wake to sleep), up to its first zswap store attempt. */
export interface KswapdRun {
  cpuS: number;
  scanned: number;
  reclaimed: number;
  firstStoreCpuMs: number | null;
  firstStoreRejected: boolean | null;
  /** Its shrink_node calls before that store (traced with --kprobes shrink_node), CPU µs. */
  passesUs: number[];
}
export interface Phase {
  name: string;
  t0: number;
  t1: number;
  kswapdWakes: number;
  stores: number;
  storesRejected: number;
  queueWorkOn: number | null;
  queued: number;
  executed: number;
  waits: Wait[];
  open: number;
  kswapdRuns: KswapdRun[];
}
export function parseLine(line: string): TraceEvent | null;
export function analyse(text: string): { phases: Phase[] };
export function consoleCounters(text: string): Map<string, Record<string, number>> & { dropped?: number; overrun?: number };
export function quantiles(xs: number[]): { min: number; q1: number; median: number; q3: number; max: number } | null;
export function histogram(xs: number[], top?: number): number[];
export function format(result: { phases: Phase[] }, counters?: Map<string, Record<string, number>> | null): string;
