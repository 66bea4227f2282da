/** `--format json`: every counter, stable key order (the report model's). */

import type { Report } from './model.js';

export function renderJson(r: Report): string {
  return JSON.stringify(r, null, 2) + '\n';
}
