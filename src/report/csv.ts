/**
 * `--format csv`: one row per (profile, pass, section, metric), long form,
 * so a spreadsheet or a CI script can pivot it. A figure that does not
 * apply (JSON null, src/report/na.ts) is an empty value. Lifecycle records
 * and the oracle's examples are left to the JSON report.
 */

import { stringify } from 'csv-stringify/sync';
import type { Report } from './model.js';

type Row = [string, string, string, string, number | string];

function flatten(rows: Row[], profile: string, pass: string, path: string[], v: unknown): void {
  if (v === undefined) return;
  if (v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') {
    const section = path.length > 1 ? path.slice(0, -1).join('.') : 'summary';
    rows.push([profile, pass, section, path[path.length - 1]!, v === null ? '' : typeof v === 'boolean' ? String(v) : v]);
    return;
  }
  if (Array.isArray(v)) return;
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) flatten(rows, profile, pass, [...path, k], x);
}

export function renderCsv(r: Report): string {
  const rows: Row[] = [];
  for (const run of r.runs) {
    for (const pass of ['model', 'backend', 'baseline', 'delta'] as const) {
      const v = run[pass];
      if (v) flatten(rows, run.variant ? `${run.profile}/${run.variant}` : run.profile, pass, [], v);
    }
  }
  return stringify(rows, { header: true, columns: ['profile', 'pass', 'section', 'metric', 'value'] });
}
