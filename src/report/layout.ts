/**
 * Fitting text output to a width: every table and line tmemsim prints fits
 * the terminal's columns, or DEFAULT_WIDTH (100) when the output is not a
 * terminal (a file, a pipe), so a report is the same bytes wherever it goes.
 *
 * A table too wide for the width first wraps the columns that hold prose
 * (`wrap`), then splits: the key columns (`keys`, e.g. the row's name) are
 * repeated in each part and the other columns are packed into as few parts
 * as fit. A long line wraps at spaces with a hanging indent.
 */

import Table from 'cli-table3';

/** The width of output that is not a terminal. */
export const DEFAULT_WIDTH = 100;
/** Narrower terminals are treated as this wide (a table cannot usefully be narrower). */
const MIN_WIDTH = 60;

/** The width to fit: the terminal's columns, or DEFAULT_WIDTH when `stream` is not a terminal. */
export function outputWidth(stream: { isTTY?: boolean; columns?: number }): number {
  if (stream.isTTY === true && typeof stream.columns === 'number' && stream.columns > 0) return Math.max(MIN_WIDTH, stream.columns);
  return DEFAULT_WIDTH;
}

/** The cli-table3 style of every table tmemsim prints: no colours, compact rows. */
export const TABLE_STYLE = { head: [] as string[], border: [] as string[], compact: true };

export type Align = 'left' | 'right';

interface TableSpec {
  head: string[];
  rows: string[][];
  /** Per column; default left. */
  align?: Align[];
  /** Columns repeated in every part when the table is split (default: the first). */
  keys?: number[];
  /** Columns of prose that may wrap onto several lines before the table is split. */
  wrap?: number[];
  /** Default: DEFAULT_WIDTH. */
  width?: number;
}

/** Display width of a cell (the longest of its lines). */
function textWidth(s: string): number {
  let w = 0;
  for (const line of s.split('\n')) w = Math.max(w, [...line].length);
  return w;
}

/** The width of a box table with these content widths: 1 space of padding each side, n + 1 borders. */
function boxWidth(widths: number[]): number {
  return widths.reduce((a, w) => a + w + 3, 1);
}

function naturalWidths(spec: TableSpec, cols: number[]): number[] {
  return cols.map((c) => Math.max(textWidth(spec.head[c] ?? ''), ...spec.rows.map((r) => textWidth(r[c] ?? ''))));
}

/** Word-wrap `text` to `width` columns (a word longer than that is cut). */
function wrapWords(text: string, width: number): string[] {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (let word of para.split(' ')) {
      while ([...word].length > width) {
        if (line) {
          out.push(line);
          line = '';
        }
        out.push([...word].slice(0, width).join(''));
        word = [...word].slice(width).join('');
      }
      if (!line) line = word;
      else if ([...line].length + 1 + [...word].length <= width) line += ` ${word}`;
      else {
        out.push(line);
        line = word;
      }
    }
    out.push(line);
  }
  return out;
}

/**
 * `line` wrapped to `width` at spaces; continuation lines indented by
 * `hang` spaces more than the line's own indentation.
 */
export function wrapLine(line: string, width: number = DEFAULT_WIDTH, hang = 2): string {
  if ([...line].length <= width) return line;
  const indent = /^ */.exec(line)![0].length;
  const first = wrapWords(line.slice(indent), width - indent);
  const head = first[0]!;
  const rest = first.slice(1).join(' ');
  const pad = ' '.repeat(indent + hang);
  const more = rest ? wrapWords(rest, width - indent - hang).map((l) => pad + l) : [];
  return [' '.repeat(indent) + head, ...more].join('\n');
}

/**
 * Every line of `text` that is not part of a table box (fitTable already
 * fitted those) wrapped to `width` (wrapLine) with a hanging indent.
 */
export function wrapProse(text: string, width: number = DEFAULT_WIDTH, hang = 4): string {
  return text.split('\n').map((l) => (/^[┌│├└]/.test(l) ? l : wrapLine(l, width, hang))).join('\n');
}

function render(spec: TableSpec, cols: number[], widths: number[], wrapped: boolean): string {
  const t = new Table({
    head: cols.map((c) => spec.head[c] ?? ''),
    style: TABLE_STYLE,
    colAligns: cols.map((c) => spec.align?.[c] ?? 'left'),
    // Cells are wrapped here (wrapWords) to their widths: cli-table3 only sizes the columns.
    ...(wrapped ? { colWidths: widths.map((w) => w + 2) } : {}),
  });
  for (const r of spec.rows) {
    t.push(cols.map((c, i) => (wrapped ? wrapWords(r[c] ?? '', widths[i]!).join('\n') : r[c] ?? '')));
  }
  return t.toString();
}

/** Content widths for `cols` within `width`, shrinking the wrap columns (null: they cannot shrink enough). */
function shrink(spec: TableSpec, cols: number[], width: number): number[] | null {
  const w = naturalWidths(spec, cols);
  if (boxWidth(w) <= width) return w;
  const wrap = cols.map((c, i) => ((spec.wrap ?? []).includes(c) ? i : -1)).filter((i) => i >= 0);
  if (wrap.length === 0) return null;
  const fixed = boxWidth(cols.map((_, i) => (wrap.includes(i) ? 0 : w[i]!)));
  const min = 12;
  if (width - fixed < min * wrap.length) return null;
  // Narrow the widest prose column a column at a time until the table fits.
  const out = [...w];
  let over = boxWidth(out) - width;
  while (over > 0) {
    let widest = wrap[0]!;
    for (const i of wrap) if (out[i]! > out[widest]!) widest = i;
    if (out[widest]! <= min) return null;
    out[widest]!--;
    over--;
  }
  return out;
}

/** The table fitted to the width: as is, with prose wrapped, or split into parts that repeat the key columns. */
export function fitTable(spec: TableSpec): string {
  const width = spec.width ?? DEFAULT_WIDTH;
  const all = spec.head.map((_, i) => i);
  const whole = shrink(spec, all, width);
  if (whole) return render(spec, all, whole, boxWidth(whole) < boxWidth(naturalWidths(spec, all)));
  const keys = (spec.keys ?? [0]).filter((k) => k < all.length);
  const others = all.filter((c) => !keys.includes(c));
  const parts: number[][] = [];
  let cur: number[] = [];
  for (const c of others) {
    const trial = [...keys, ...cur, c];
    if (cur.length > 0 && !shrink(spec, trial, width)) {
      parts.push(cur);
      cur = [c];
    } else cur.push(c);
  }
  if (cur.length > 0) parts.push(cur);
  return parts
    .map((p) => {
      const cols = [...keys, ...p];
      const natural = naturalWidths(spec, cols);
      const fitted = shrink(spec, cols, width) ?? forceFit(natural, width);
      return render(spec, cols, fitted, boxWidth(fitted) < boxWidth(natural));
    })
    .join('\n');
}

/** Last resort (one column wider than the width): cut the widest columns down, wrapping their text. */
function forceFit(w: number[], width: number): number[] {
  const out = [...w];
  while (boxWidth(out) > width) {
    let widest = 0;
    for (let i = 1; i < out.length; i++) if (out[i]! > out[widest]!) widest = i;
    if (out[widest]! <= 4) break;
    out[widest]!--;
  }
  return out;
}
