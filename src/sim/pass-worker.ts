/**
 * A run's worker thread (internal): takes passes from the main thread one at a
 * time (simulate.ts, PassThreads) and answers each with its summary or its
 * error (src/threads.ts).
 */

import { serveTasks } from '../threads.js';
import { runPassTask } from './simulate.js';

serveTasks(runPassTask);
