/**
 * Independent tasks on worker threads, `jobs` at a time: the sweep's
 * configurations (src/sweep/pool.ts), a run's passes (src/sim/simulate.ts) and
 * validate's cases (src/validate/validate.ts).
 * Each result is stored at its task's index, so what a caller gets does not
 * depend on which worker ran what or in which order tasks finished.
 *
 * The protocol, main thread → worker: { id, task }; worker → main thread:
 * { id, result }, { id, error }, { id, tick } (a task's progress, handed to
 * the caller's onTick) or { notice } (errors.ts notice(): given to the main
 * thread's sink, each distinct text once, as one thread would give it).
 * A worker's UsageError and InvariantError come back as themselves.
 */

import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, parentPort } from 'node:worker_threads';
import { InvariantError, UsageError, notice, setNoticeSink, type Where } from './errors.js';
import { packageUrl } from './package-files.js';

/** An error as it crosses a thread: enough to rebuild a UsageError or InvariantError. */
interface TaskError {
  name: string;
  message: string;
  what?: string;
  where?: Record<string, unknown>;
  accepted?: string;
  stack?: string;
}

/**
 * A worker thread's script as the build bundles it (scripts/bundle-cli.mjs): 'pass-worker'
 * (src/sim/pass-worker.ts), 'sweep-worker' (src/sweep/worker.ts) or 'validate-worker'
 * (src/validate/worker.ts) in dist/bin/, also when the
 * caller runs from the TypeScript sources (tests) or from the unbundled library.
 */
export function workerScript(name: 'pass-worker' | 'sweep-worker' | 'validate-worker'): URL {
  const built = packageUrl(`dist/bin/${name}.js`);
  if (fs.existsSync(fileURLToPath(built))) return built;
  throw new Error(`the worker ${name} is not built (npm run build)`);
}

function toTaskError(e: unknown): TaskError {
  const err = e as Error;
  const te: TaskError = { name: err.name ?? 'Error', message: err.message ?? String(e), stack: err.stack };
  if (e instanceof UsageError) Object.assign(te, { what: e.what, where: { ...e.where }, accepted: e.accepted });
  return te;
}

function rebuild(e: TaskError): Error {
  if (e.name === 'UsageError') return new UsageError(e.what ?? e.message, (e.where ?? {}) as Where, e.accepted);
  if (e.name === 'InvariantError') return new InvariantError(e.message);
  const err = new Error(e.message);
  err.stack = e.stack;
  return err;
}

interface PoolOptions<T, R> {
  /** The order tasks are handed out in (default: their own); results keep the tasks' order. */
  order?: number[];
  /** After each task's result: done so far, and the total. */
  onDone?: (done: number, total: number) => void;
  /** A task's progress message (what its worker's tick() sent). */
  onTick?: (id: number, tick: unknown) => void;
  /**
   * Runs a task in this thread: then this thread is one of the `jobs` (jobs - 1 workers
   * start), taking tasks as a worker does. It must give the event loop turns (the workers'
   * messages are read then). Its tick goes to onTick as a worker's does.
   */
  local?: (task: T, tick: (data: unknown) => void) => Promise<R>;
}

/** Runs `tasks` on min(jobs, tasks) workers of `script` (one of them this thread, with `local`); the results in the tasks' order. */
export async function runOnWorkers<T, R>(script: URL, tasks: T[], jobs: number, o: PoolOptions<T, R> = {}): Promise<R[]> {
  const results = new Array<R>(tasks.length);
  const order = o.order ?? tasks.map((_, i) => i);
  const n = Math.min(jobs, tasks.length) - (o.local ? 1 : 0);
  const noticed = new Set<string>();
  let next = 0;
  let done = 0;
  const workers: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let failed = false;
      const fail = (e: Error): void => {
        if (!failed) {
          failed = true;
          reject(e);
        }
      };
      const feed = (w: Worker): void => {
        if (failed || next >= tasks.length) return;
        const id = order[next++]!;
        w.postMessage({ id, task: tasks[id] });
      };
      const finished = (id: number, result: R): void => {
        results[id] = result;
        done++;
        o.onDone?.(done, tasks.length);
        if (done === tasks.length) resolve();
      };
      if (tasks.length === 0) resolve();
      const local = o.local;
      if (local !== undefined) {
        // This thread as one more worker: the next task whenever it is free.
        void (async (): Promise<void> => {
          while (!failed && next < tasks.length) {
            const id = order[next++]!;
            let result: R;
            try {
              result = await local(tasks[id]!, (data) => o.onTick?.(id, data));
            } catch (e) {
              fail(e as Error);
              return;
            }
            finished(id, result);
          }
        })();
      }
      for (let k = 0; k < n; k++) {
        const w = new Worker(script);
        workers.push(w);
        w.on('message', (m: { id?: number; result?: R; error?: TaskError; tick?: unknown; notice?: string }) => {
          if (m.notice !== undefined) {
            if (!noticed.has(m.notice)) {
              noticed.add(m.notice);
              notice(m.notice);
            }
            return;
          }
          if (m.error) return fail(rebuild(m.error));
          if (m.tick !== undefined) return o.onTick?.(m.id!, m.tick);
          finished(m.id!, m.result!);
          if (done < tasks.length) feed(w);
        });
        w.on('error', fail);
        w.on('exit', (code) => {
          if (code !== 0 && done < tasks.length) fail(new Error(`a worker thread exited with code ${code}`));
        });
        feed(w);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}

/**
 * The worker's side: answers each task with `run`'s result or its error. `tick` sends the
 * task's progress to the main thread. Notices go to the main thread, which gives them to its sink.
 */
export function serveTasks<T, R>(run: (task: T, tick: (data: unknown) => void) => Promise<R>): void {
  const port = parentPort;
  if (!port) throw new Error('a worker script started outside a worker thread');
  setNoticeSink((text) => port.postMessage({ notice: text }));
  port.on('message', (msg: { id: number; task: T }) => {
    const tick = (data: unknown): void => port.postMessage({ id: msg.id, tick: data });
    run(msg.task, tick).then(
      (result) => port.postMessage({ id: msg.id, result }),
      (e: unknown) => port.postMessage({ id: msg.id, error: toTaskError(e) }),
    );
  });
}
