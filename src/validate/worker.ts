/**
 * A validate worker thread (internal): replays the cases the main thread hands it, one at a
 * time, and answers each with its rows or its error (src/threads.ts).
 */

import { serveTasks } from '../threads.js';
import { runCaseTask, type CaseTask } from './validate.js';

serveTasks((task: CaseTask) => runCaseTask(task));
