/** `tmemsim validate`'s output: a table per case (fitted to the width), CSV, or JSON. */

import { stringify } from 'csv-stringify/sync';
import * as path from 'node:path';
import { rowKey, type Row } from '../validate/compare.js';
import type { ReproducibilityResult, SensitivityAxis, SensitivityResult, ValidationResult } from '../validate/validate.js';
import { DEFAULT_WIDTH, fitTable, wrapLine } from './layout.js';
import { NA_TEXT, showNa } from './na.js';
import { grouped } from './numbers.js';

function num(x: number): string {
  return grouped(x, Number.isInteger(x) ? 0 : 1);
}

function errText(r: Row): string {
  if (r.tmemsim === null) return NA_TEXT;
  if (r.error === 0) return '0';
  const sign = r.error > 0 ? '+' : '-';
  return r.error_pct === null ? `${sign}${num(Math.abs(r.error))}` : `${sign}${num(Math.abs(r.error_pct))} %`;
}

/** The line that says what tmemsim replayed the cases with. */
function replayedLine(v: ValidationResult): string {
  const r = v.replayed;
  const zeromap = r.swap_zeromap ? ", the swap core's zeromap (every case)" : '';
  const boot = r.boot_from === null ? "each case's zones at boot from its own start mark (else every page free and movable)" : `each case's zones at boot from its own start mark, else from ${r.boot_from}`;
  return `replayed with tmemsim's reclaim model ${r.reclaim}, zswap era ${r.zswap_era} (the cases with zswap)${zeromap}, the guest's CPU of ${r.guest_profile}, ${boot}, and the scheduler ${r.scheduler} with its ticks at phase ${r.tick_phase_ms} ms (where a kernel's fall is chance: --tick-phase replays at others)`;
}

/** The table: what the replay used, then per case its description and kernel, then one row per phase and counter; fitted to `width` columns (layout.ts). */
export function renderValidationTable(v: ValidationResult, width: number = DEFAULT_WIDTH): string {
  const out: string[] = [wrapLine(replayedLine(v), width), ''];
  for (const c of v.cases) {
    const bad = c.rows.filter((r) => r.status !== 'ok').length;
    out.push(
      wrapLine(`${c.case}: ${c.description}`, width),
      wrapLine(`  kernel ${c.kernel}, ${c.runs} runs; ${c.rows.length - bad} ok, ${bad} out of tolerance`, width),
    );
    const rows = c.rows.map((r) => {
      const k = r.kernel_min === r.kernel_max ? num(r.kernel_min) : `${num(r.kernel_min)}–${num(r.kernel_max)}`;
      return [r.phase, r.counter, k, showNa(r.tmemsim, num), errText(r), `±${num(r.tolerance)}`, r.status];
    });
    out.push(fitTable({
      head: ['phase', 'counter', 'kernel (min–max)', 'tmemsim', 'error', 'allowed', ''],
      rows,
      align: ['left', 'left', 'right', 'right', 'right', 'right', 'left'],
      // Too wide (pool sizes in bytes at 100 columns): every part repeats phase, counter and the verdict.
      keys: [0, 1, 6],
      width,
    }), '');
    if (c.shown.length > 0) {
      out.push(wrapLine("  shown and not judged: reclaim, which follows how kswapd shares the CPU with the workload (docs/validation.md item 2), and the kernel's CPU time, ms (the guest's system time; tmemsim's modelled work):", width));
      out.push(fitTable({
        head: ['phase', 'counter', 'kernel (min–max)', 'tmemsim'],
        rows: c.shown.map((r) => [r.phase, r.counter, r.kernel_min === r.kernel_max ? num(r.kernel_min) : `${num(r.kernel_min)}–${num(r.kernel_max)}`, showNa(r.tmemsim, num)]),
        align: ['left', 'left', 'right', 'right'],
        keys: [0, 1],
        width,
      }), '');
    }
  }
  out.push(wrapLine(`validate: ${v.cases.length} cases, ${v.rows.length} counters compared: ${v.ok} within tolerance, ${v.out} out of tolerance`, width));
  out.push(...freshLines(v, width));
  return out.join('\n') + '\n';
}

/**
 * After the verdict, each counter out of tolerance beside the kernel's own fresh runs judged
 * against the same references (validate/fresh-runs.ts): how many of them are out too, their
 * spread, and whether tmemsim's figure lies inside the spread of every kernel run (the
 * references' and the fresh ones) or beyond all of them. Nothing when no counter is out, or no
 * fresh runs were read (--fresh-runs none).
 */
function freshLines(v: ValidationResult, width: number): string[] {
  const f = v.fresh;
  const bad = v.rows.filter((r) => r.status !== 'ok');
  if (f === undefined || bad.length === 0) return [];
  if (f.runs === 0) return ['', wrapLine(`the ${bad.length} out of tolerance beside the kernel's fresh runs: none of the recordings read ran these cases' experiments (same kernel, guest, workload and settings)`, width)];
  const names = f.recordings.map((d) => path.basename(d)).join(', ');
  const out = ['', wrapLine(`the ${bad.length} out of tolerance beside the kernel's fresh runs: ${num(f.runs)} runs of the same experiments recorded on other days (${names}), each judged against the references by the same rules as tmemsim; a counter most fresh runs fail is one whose references' range is narrower than the kernel's own spread (the verdict above is tmemsim's alone)`, width)];
  for (const r of bad) {
    const c = f.counters.get(rowKey(r));
    const kernel = r.kernel_min === r.kernel_max ? num(r.kernel_min) : `${num(r.kernel_min)}–${num(r.kernel_max)}`;
    let fresh = 'no fresh run recorded it';
    if (c !== undefined && c.judged > 0 && r.tmemsim !== null) {
      // Where tmemsim's figure lies among every kernel run, the references' and the fresh ones.
      const lo = Math.min(r.kernel_min, c.min);
      const hi = Math.max(r.kernel_max, c.max);
      const where = r.tmemsim < lo ? 'below every kernel run' : r.tmemsim > hi ? 'above every kernel run' : 'within the kernel runs\' spread';
      fresh = `the fresh runs ${c.min === c.max ? num(c.min) : `${num(c.min)}–${num(c.max)}`}, out in ${c.out} of ${c.judged}; tmemsim ${where}`;
    }
    out.push(wrapLine(`  ${r.case} ${r.phase} ${r.counter}: references ${kernel} ±${num(r.tolerance)}, tmemsim ${showNa(r.tmemsim, num)} (${errText(r)}); ${fresh}`, width));
  }
  return out;
}

/**
 * CSV: a figure that does not apply (no tmemsim value, so no error either) is an empty cell
 * (src/report/na.ts). The shown counters follow the judged ones, status `not judged`, with no
 * error or tolerance. With fresh kernel runs read (validate/fresh-runs.ts; not with
 * --fresh-runs none), each judged row ends with their count, how many are out of tolerance and
 * their lowest and highest figure (empty cells where no fresh run recorded the counter).
 */
export function renderValidationCsv(v: ValidationResult): string {
  const f = v.fresh;
  const head = ['case', 'phase', 'counter', 'kernel_min', 'kernel_max', 'tmemsim', 'error', 'error_pct', 'tolerance', 'status', ...(f ? ['fresh_runs', 'fresh_out', 'fresh_min', 'fresh_max'] : [])];
  const freshCells = (r: Row): (number | string)[] => {
    if (f === undefined) return [];
    const c = f.counters.get(rowKey(r));
    return c === undefined ? [0, '', '', ''] : [c.judged, c.out, c.min, c.max];
  };
  const shown = v.cases.flatMap((c) => c.shown).map((r) => [r.case, r.phase, r.counter, r.kernel_min, r.kernel_max, r.tmemsim ?? '', '', '', '', 'not judged', ...(f ? ['', '', '', ''] : [])]);
  return stringify([head, ...v.rows.map((r) => {
    const na = r.tmemsim === null;
    return [r.case, r.phase, r.counter, r.kernel_min, r.kernel_max, r.tmemsim ?? '', na ? '' : r.error, na ? '' : r.error_pct ?? '', r.tolerance, r.status, ...freshCells(r)];
  }), ...shown]);
}

export function renderValidationJson(v: ValidationResult): string {
  const fresh = v.fresh === undefined ? {} : { fresh_kernel_runs: { recordings: v.fresh.recordings, runs: v.fresh.runs, counters: [...v.fresh.counters.values()] } };
  return JSON.stringify({ tool: 'tmemsim', validation: 1, replayed: v.replayed, cases: v.cases, within: v.ok, out_of_tolerance: v.out, ...fresh }, null, 2) + '\n';
}

/** A point of a sensitivity axis as given: a scale (x1.03) or a tick phase (1.5 ms). */
function pointText(axis: SensitivityAxis, x: number): string {
  return axis === 'cpu_scale' ? `x${x}` : `${x} ms`;
}

const AXIS_TEXT: Record<SensitivityAxis, { what: string; head: string; points: string; key: string; why: string }> = {
  cpu_scale: { what: 'with every CPU time of the guest profile scaled', head: 'cpu scale', points: 'scales', key: 'scales', why: 'a race the costs decide' },
  tick_phase_ms: { what: "with the scheduler's 4 ms ticks at each phase (the first tick this far into the run; a real kernel's is chance)", head: 'tick phase', points: 'tick phases', key: 'tick_phases_ms', why: 'where the ticks fall, which no kernel run fixes' },
};

/** A figure of the sensitivity lists, marked * where out of tolerance. */
function figureText(x: number | null, out: boolean): string {
  return `${x === null ? NA_TEXT : num(x)}${out ? '*' : ''}`;
}

/**
 * `validate --cpu-scale` / `--tick-phase`: the within count at each point, then every counter
 * out of tolerance at some point with tmemsim's figure at each: those out at every point on one
 * side of the kernel's range (the model's deviations), those out at every point but on both
 * sides (a race that jumps over the range), and those out at only some (a race the costs or the
 * ticks decide).
 */
export function renderSensitivityTable(r: SensitivityResult, width: number = DEFAULT_WIDTH): string {
  const t = AXIS_TEXT[r.axis];
  const out: string[] = [];
  out.push(wrapLine(`sensitivity: the suite replayed ${t.what} (${r.counters} counters at each)`, width));
  out.push(fitTable({
    head: [t.head, 'within', 'out'],
    rows: r.points.map((s) => [pointText(r.axis, s.value), num(s.ok), num(s.out)]),
    align: ['left', 'right', 'right'],
    keys: [0],
    width,
  }), '');
  const n = r.points.length;
  const line = (c: SensitivityResult['out'][number]): string => {
    const figures = c.tmemsim.map((x, i) => figureText(x, c.out_at.includes(r.points[i]!.value))).join(', ');
    return `  ${c.case} ${c.phase} ${c.counter}, kernel ${num(c.kernel_min)}–${num(c.kernel_max)} ±${num(c.tolerance)}: ${figures}`;
  };
  const always = r.out.filter((c) => c.out_at.length === n && !c.straddles);
  const across = r.out.filter((c) => c.out_at.length === n && c.straddles);
  const some = r.out.filter((c) => c.out_at.length < n);
  out.push(wrapLine(`out of tolerance at every point, on one side of the kernel's range (${always.length}): the model's deviations; tmemsim at each of the ${t.points} above, * out:`, width));
  for (const c of always) out.push(wrapLine(line(c), width));
  if (across.length > 0) {
    out.push(wrapLine(`out at every point but below the kernel's range at some and above it at others (${across.length}): ${t.why} carries them across the range`, width));
    for (const c of across) out.push(wrapLine(line(c), width));
  }
  out.push(wrapLine(`out at some ${t.points} only (${some.length}): they follow ${t.why}, not the model's mechanism alone`, width));
  for (const c of some) out.push(wrapLine(line(c), width));
  return out.join('\n') + '\n';
}

export function renderSensitivityJson(r: SensitivityResult): string {
  // Format 1 named the points `scales` ({scale, ok, out}); a cpu-scale run keeps that.
  const points = r.axis === 'cpu_scale' ? { scales: r.points.map((p) => ({ scale: p.value, ok: p.ok, out: p.out })) } : { tick_phases_ms: r.points.map((p) => ({ tick_phase_ms: p.value, ok: p.ok, out: p.out })) };
  return JSON.stringify({ tool: 'tmemsim', sensitivity: 1, axis: r.axis, counters: r.counters, ...points, out_of_tolerance: r.out }, null, 2) + '\n';
}

/** CSV: one row per counter out at some point, its points and tmemsim's figures separated by spaces. */
export function renderSensitivityCsv(r: SensitivityResult): string {
  const n = r.points.length;
  const col = AXIS_TEXT[r.axis].key;
  return stringify([['case', 'phase', 'counter', `out_at_${col}`, 'out_at_every_point', 'straddles', 'kernel_min', 'kernel_max', 'tolerance', `tmemsim_at_each_of_${col}`],
    ...r.out.map((c) => [c.case, c.phase, c.counter, c.out_at.join(' '), c.out_at.length === n ? 'yes' : 'no', c.straddles ? 'yes' : 'no', c.kernel_min, c.kernel_max, c.tolerance, c.tmemsim.map((x) => (x === null ? NA_TEXT : String(x))).join(' ')])]);
}

/** A kernel run's figure as the error column shows it: % of the range's nearer end, or a count. */
function errorText(e: { error: number; error_pct: number | null }): string {
  return e.error_pct === null ? `${e.error > 0 ? '+' : ''}${num(e.error)}` : `${e.error_pct > 0 ? '+' : ''}${e.error_pct.toFixed(1)} %`;
}

export function renderReproducibilityTable(r: ReproducibilityResult, width: number = DEFAULT_WIDTH): string {
  const out: string[] = [];
  out.push(wrapLine(`reproducibility: the kernel runs of ${r.recording} judged against the references of ${r.references} by validate's rules, as if each were tmemsim: ${num(r.ok)} of ${num(r.counters)} counters within tolerance`, width));
  out.push(fitTable({
    head: ['case', 'run', 'within', 'out'],
    rows: r.runs.map((x) => [x.case, String(x.run), num(x.ok), num(x.out)]),
    align: ['left', 'right', 'right', 'right'],
    keys: [0, 1],
    width,
  }), '');
  out.push(wrapLine(`out of tolerance in one run or more (${r.out.length}): a real kernel running the case again falls outside the references' range, so the range is narrower than the kernel's own spread`, width));
  const rows = r.runs.flatMap((x) => x.rows.map((row) => ({ run: x.run, row })));
  for (const o of r.out) {
    const figures = rows.filter((x) => x.row.case === o.case && x.row.phase === o.phase && x.row.counter === o.counter)
      .map((x) => `run ${x.run}: ${num(x.row.tmemsim ?? 0)} (${errorText(x.row)})`);
    const first = rows.find((x) => x.row.case === o.case && x.row.phase === o.phase && x.row.counter === o.counter)!.row;
    out.push(wrapLine(`  ${o.case} ${o.phase} ${o.counter}, references ${num(first.kernel_min)}–${num(first.kernel_max)}: ${figures.join(', ')}`, width));
  }
  return out.join('\n') + '\n';
}

export function renderReproducibilityJson(r: ReproducibilityResult): string {
  return JSON.stringify({ tool: 'tmemsim', reproducibility: 1, references: r.references, recording: r.recording, counters: r.counters, ok: r.ok, runs: r.runs, out_of_tolerance: r.out }, null, 2) + '\n';
}

/** CSV: one row per counter out of tolerance in a run. */
export function renderReproducibilityCsv(r: ReproducibilityResult): string {
  return stringify([['case', 'run', 'phase', 'counter', 'kernel_min', 'kernel_max', 'run_figure', 'error', 'error_pct'],
    ...r.runs.flatMap((x) => x.rows.map((row) => [x.case, x.run, row.phase, row.counter, row.kernel_min, row.kernel_max, row.tmemsim, row.error, row.error_pct]))]);
}
