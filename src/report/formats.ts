/** Report renderers by name. */

import { renderCsv } from './csv.js';
import { renderJson } from './json.js';
import type { Report } from './model.js';
import { renderTable, type TextOptions } from './table.js';

export const FORMATS = {
  table: renderTable,
  json: renderJson,
  csv: renderCsv,
} as const satisfies Record<string, (r: Report, o?: TextOptions) => string>;

export type FormatName = keyof typeof FORMATS;
