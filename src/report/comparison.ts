/** `tmemsim compare`'s text: the rows beyond tolerance (or all of them) and a summary line. */

import type { Comparison } from '../analysis/compare.js';
import { DEFAULT_WIDTH, fitTable, wrapLine } from './layout.js';
import { grouped } from './numbers.js';

function num(x: number | null): string {
  if (x === null) return '-';
  if (Number.isInteger(x)) return grouped(x, 0);
  return Math.abs(x) >= 1000 ? grouped(x, 1) : x.toPrecision(6).replace(/\.?0+$/, '');
}

/** The comparison as text fitted to `width`: the rows (those beyond tolerance, or --all), then the summary line. */
export function renderComparison(c: Comparison, all: boolean, width = DEFAULT_WIDTH): string {
  const shown = c.rows.filter((r) => all || r.status !== 'ok');
  const rows = shown.map((r) => {
    const pct = r.change_pct === null ? '' : ` (${r.change_pct >= 0 ? '+' : ''}${r.change_pct.toFixed(2)} %)`;
    return [r.id, r.metric, num(r.baseline), num(r.run), r.change === null ? '-' : `${r.change >= 0 ? '+' : ''}${num(r.change)}${pct}`, r.allowed === null ? '-' : `±${num(r.allowed)}`, r.status];
  });
  const table = shown.length > 0
    ? fitTable({ head: ['configuration', 'metric', 'baseline', 'run', 'change', 'allowed', 'status'], rows, align: ['left', 'left', 'right', 'right', 'right', 'right', 'left'], keys: [0, 1], width }) + '\n'
    : '';
  const skipped = c.skipped > 0 ? ` (${c.skipped} more not in this run report, not compared)` : '';
  return `${table}${wrapLine(`compare: ${c.entries} baseline entries${skipped}, ${c.compared} metrics compared: ${c.regressions} regressions, ${c.improvements} better beyond tolerance, ${c.compared - c.improvements - c.rows.filter((r) => r.status === 'REGRESSION').length} within tolerance`, width)}\n`;
}
