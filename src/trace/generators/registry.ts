/**
 * The trace generators by name (`tmemsim trace generate KIND`). Add one by
 * writing a file that exports a TraceGenerator and listing it here.
 */

import { ANDROID_APP_SWITCH } from './android-app-switch.js';
import { DATABASE } from './database.js';
import { KERNEL_BUILD } from './kernel-build.js';
import type { TraceGenerator } from './generator.js';

export const GENERATORS: ReadonlyMap<string, TraceGenerator> = new Map(
  [ANDROID_APP_SWITCH, KERNEL_BUILD, DATABASE].map((g) => [g.name, g]),
);
