/**
 * A sweep worker thread (internal): takes tasks from the main thread one at a
 * time and answers each with its result or its error (src/threads.ts).
 */

import { serveTasks } from '../threads.js';
import { runTask, type SweepTask } from './task.js';

serveTasks((task: SweepTask) => runTask(task));
