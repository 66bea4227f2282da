/** `tmemsim calibrate`'s table: per compressor the fitted cycles as written in the profile file, and each fit's R². */

import Table from 'cli-table3';
import type { CodecFit } from '../calibrate/measure.js';
import { TABLE_STYLE } from './layout.js';

type Cycles = { fixedCycles: number; cyclesPerByte: number };

/** `doc` is the calibrated profile document (its codecs hold the cycles as written). */
export function renderCalibration(fits: readonly CodecFit[], doc: { codecs?: unknown }): string {
  const codecs = doc.codecs as Record<string, { compress: Cycles; decompress: Cycles }>;
  const t = new Table({ head: ['compressor', 'compress cycles', 'R²', 'decompress cycles', 'R²'], style: TABLE_STYLE });
  for (const x of fits) {
    const c = codecs[x.compressor]!;
    t.push([x.compressor, `${c.compress.fixedCycles.toFixed(0)} + ${c.compress.cyclesPerByte.toFixed(3)}/B`, x.compress.r2.toFixed(4),
      `${c.decompress.fixedCycles.toFixed(0)} + ${c.decompress.cyclesPerByte.toFixed(3)}/B`, x.decompress.r2.toFixed(4)]);
  }
  return t.toString();
}
