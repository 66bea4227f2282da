/** Writing a report: to stdout, or atomically to a file (a failed run never truncates an old one). */

import * as fs from 'node:fs';
import { UsageError } from '../sim/errors.js';

export function writeOut(text: string, out: string | undefined): void {
  if (!out) {
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
