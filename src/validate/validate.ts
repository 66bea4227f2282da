/**
 * `tmemsim validate`: every recorded kernel case replayed through tmemsim,
 * compared counter by counter at every phase (docs/validation.md).
 */

import * as path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import Table from 'cli-table3';
import { TABLE_STYLE } from '../report/table.js';
import { compareCase, type Row } from './compare.js';
import { readReferences, type Reference } from './reference.js';
import { replay } from './replay.js';

export interface CaseResult {
  case: string;
  description: string;
  kernel: string;
  runs: number;
  rows: Row[];
}

export interface ValidationResult {
  cases: CaseResult[];
  rows: Row[];
  ok: number;
  out: number;
}

/** Replays every reference of `dir` (or the named cases) and compares. */
export async function validate(dir: string, only: string[] = []): Promise<ValidationResult> {
  const refs = readReferences(dir, only);
  const cases: CaseResult[] = [];
  for (const ref of refs) {
    cases.push(await validateCase(ref, path.join(dir, `${ref.case}.json`)));
  }
  const rows = cases.flatMap((c) => c.rows);
  const out = rows.filter((r) => r.status !== 'ok').length;
  return { cases, rows, ok: rows.length - out, out };
}

export async function validateCase(ref: Reference, file: string): Promise<CaseResult> {
  const res = await replay(ref, file);
  const rows = compareCase(ref, res.runs[0]!.backend);
  return { case: ref.case, description: ref.description, kernel: `${ref.kernel.uname_r} (${ref.kernel.package} ${ref.kernel.version})`, runs: ref.runs.length, rows };
}

function num(x: number): string {
  if (Number.isInteger(x)) return x.toLocaleString('en-US');
  return x.toLocaleString('en-US', { maximumFractionDigits: 1 });
}

function errText(r: Row): string {
  if (r.tmemsim === null) return 'n/a';
  if (r.error === 0) return '0';
  const sign = r.error > 0 ? '+' : '-';
  return r.error_pct === null ? `${sign}${num(Math.abs(r.error))}` : `${sign}${num(Math.abs(r.error_pct))} %`;
}

export function renderTable(v: ValidationResult): string {
  const out: string[] = [];
  for (const c of v.cases) {
    const bad = c.rows.filter((r) => r.status !== 'ok').length;
    out.push(`${c.case}: ${c.description}`, `  kernel ${c.kernel}, ${c.runs} runs; ${c.rows.length - bad} ok, ${bad} out of tolerance`);
    const t = new Table({ head: ['phase', 'counter', 'kernel (min–max)', 'tmemsim', 'error', 'allowed', ''], style: TABLE_STYLE, colAligns: ['left', 'left', 'right', 'right', 'right', 'right', 'left'] });
    for (const r of c.rows) {
      const k = r.kernel_min === r.kernel_max ? num(r.kernel_min) : `${num(r.kernel_min)}–${num(r.kernel_max)}`;
      t.push([r.phase, r.counter, k, r.tmemsim === null ? 'n/a' : num(r.tmemsim), errText(r), `±${num(r.tolerance)}`, r.status]);
    }
    out.push(t.toString(), '');
  }
  out.push(`validate: ${v.cases.length} cases, ${v.rows.length} counters compared: ${v.ok} within tolerance, ${v.out} out of tolerance`);
  return out.join('\n') + '\n';
}

export function renderCsv(v: ValidationResult): string {
  const head = ['case', 'phase', 'counter', 'kernel_min', 'kernel_max', 'tmemsim', 'error', 'error_pct', 'tolerance', 'status'];
  return stringify([head, ...v.rows.map((r) => [r.case, r.phase, r.counter, r.kernel_min, r.kernel_max, r.tmemsim ?? 'n/a', r.error, r.error_pct ?? '', r.tolerance, r.status])]);
}

export function renderJson(v: ValidationResult): string {
  return JSON.stringify({ tool: 'tmemsim', validation: 1, cases: v.cases, within: v.ok, out_of_tolerance: v.out }, null, 2) + '\n';
}
