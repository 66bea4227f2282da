/**
 * Runs a sweep's tasks on worker threads, `jobs` at a time. Each result is
 * stored at its task's index, so the output does not depend on which worker
 * ran what or in which order tasks finished. jobs = 1 runs in this thread.
 */

import * as fs from 'node:fs';
import { runOnWorkers, workerScript } from '../threads.js';
import { runTask, type SweepTask, type TaskResult } from './task.js';
import { X86_CODECS } from '../profiles/codecs-x86.js';
import type { CodecProfile } from '../profiles/profile.js';
import { PAGE_SIZE } from '../content/page.js';

/** Called after each task completes (done so far, total), e.g. for a progress line. */
export type Progress = (done: number, total: number) => void;

/**
 * The order tasks are handed out in: the costliest first (longest processing
 * time first keeps the workers' finishing times close). The cost is an
 * estimate: the trace's size, and for a backend pass also its compressor's
 * cycles per page relative to lz4's, from the x86 codec figures (lzbench):
 * deflate and lz4hc passes take several times an lz4 pass, and handed out
 * last they would leave one worker running alone at the end. Results do not
 * depend on the order.
 */
function dispatchOrder(tasks: SweepTask[]): number[] {
  const size = new Map<string, number>();
  const cost = tasks.map((t) => {
    let b = size.get(t.config.trace);
    if (b === undefined) {
      try {
        b = fs.statSync(t.config.trace).size;
      } catch {
        b = 0;
      }
      size.set(t.config.trace, b);
    }
    return b * (t.kind === 'backend' ? 1 + codecWeight(t.config.compressor) : 1);
  });
  return tasks.map((_, i) => i).sort((a, b) => cost[b]! - cost[a]! || a - b);
}

/** A compressor's cycles to compress and decompress a page, relative to lz4's (1 for none or unknown). */
function codecWeight(name: string | null): number {
  const cycles = (c: CodecProfile | undefined): number =>
    c === undefined ? 0 : c.compress.fixedCycles + c.decompress.fixedCycles + (c.compress.cyclesPerByte + c.decompress.cyclesPerByte) * PAGE_SIZE;
  const ref = cycles(X86_CODECS['lz4']);
  const own = name === null ? 0 : cycles(X86_CODECS[name]);
  return own > 0 && ref > 0 ? own / ref : 1;
}

export async function runTasks(tasks: SweepTask[], jobs: number, progress?: Progress): Promise<TaskResult[]> {
  const results = new Array<TaskResult>(tasks.length);
  if (jobs <= 1 || tasks.length <= 1) {
    for (let i = 0; i < tasks.length; i++) {
      results[i] = await runTask(tasks[i]!);
      progress?.(i + 1, tasks.length);
    }
    return results;
  }
  return runOnWorkers<SweepTask, TaskResult>(workerScript('sweep-worker'), tasks, jobs, { order: dispatchOrder(tasks), onDone: progress });
}
