/** Writing a report: to stdout (no --out, or --out -), or to a file through src/report/output-file.ts (a failed run never truncates an old one). */

import { writeOutputFile } from '../report/output-file.js';
import { DEFAULT_WIDTH, outputWidth } from '../report/layout.js';

/** The width text output is fitted to: the terminal's when it goes to a terminal, else 100 columns. */
export function widthFor(out: string | undefined): number {
  return out && out !== '-' ? DEFAULT_WIDTH : outputWidth(process.stdout);
}

export function writeOut(text: string, out: string | undefined, field = '--out'): void {
  if (!out || out === '-') {
    process.stdout.write(text);
    return;
  }
  writeOutputFile(out, text, field);
}
