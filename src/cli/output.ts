/** Writing a report: to stdout (no --out, or --out -), or atomically to a file (a failed run never truncates an old one). */

import * as fs from 'node:fs';
import { UsageError } from '../sim/errors.js';
import { DEFAULT_WIDTH, outputWidth } from '../report/layout.js';

/** The width text output is fitted to: the terminal's when it goes to a terminal, else 100 columns. */
export function widthFor(out: string | undefined): number {
  return out && out !== '-' ? DEFAULT_WIDTH : outputWidth(process.stdout);
}

export function writeOut(text: string, out: string | undefined): void {
  if (!out || out === '-') {
    process.stdout.write(text);
    return;
  }
  const tmp = `${out}.tmp-${process.pid}`;
  try {
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, out);
  } catch (e) {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      /* nothing to clean */
    }
    throw new UsageError(`cannot write ${out}: ${(e as Error).message}`, { field: '--out' });
  }
}
