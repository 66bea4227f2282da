/**
 * A sweep worker thread (internal): takes tasks from the main thread one at a
 * time and answers each with its result or its error.
 */

import { parentPort } from 'node:worker_threads';
import { UsageError, setNoticeSink } from '../errors.js';
import { runTask, type SweepTask, type TaskError } from './task.js';

const port = parentPort;
if (!port) throw new Error('sweep worker started outside a worker thread');
// Notices go to the main thread, which gives them to its own sink.
setNoticeSink((notice) => port.postMessage({ notice }));

port.on('message', (msg: { id: number; task: SweepTask }) => {
  runTask(msg.task).then(
    (result) => port.postMessage({ id: msg.id, result }),
    (e: unknown) => {
      const err = e as Error;
      const te: TaskError = { name: err.name ?? 'Error', message: err.message ?? String(e), stack: err.stack };
      if (e instanceof UsageError) Object.assign(te, { what: e.what, where: { ...e.where }, accepted: e.accepted });
      port.postMessage({ id: msg.id, error: te });
    },
  );
});
