/** A calibration as a profile file (schema/profile.schema.json) that extends the base profile. */

import * as os from 'node:os';
import { profileFromDocument, PROFILE_FORMAT } from '../profiles/file.js';
import type { Profile } from '../profiles/profile.js';
import type { CodecFit } from './measure.js';
import { SIZES } from './measure.js';

const METHOD =
  `OLS of per-size median call time on input size (${SIZES.join(', ')} B prefixes of each page; each call timed over >= 0.2 ms of repetitions after a warm-up), ` +
  'intercept forced to 0 when negative; ns converted to cycles at the base profile clock; compress fitted on input bytes, decompress on output bytes';

interface CalibrationInput {
  fits: CodecFit[];
  base: Profile;
  /** The corpus file, or a description of the generated pages. */
  corpus: string;
  pages: number;
  /** ISO date of the measurement. */
  date: string;
  name?: string;
}

/** cycles = ns x Hz / 1e9, rounded to 0.001. */
function cycles(ns: number, hz: number): number {
  return Math.round(((ns * hz) / 1e9) * 1000) / 1000;
}

function hostCpu(): string {
  const c = os.cpus();
  return c.length > 0 ? `${c[0]!.model.trim()} (${c.length} logical CPUs)` : 'unknown';
}

export function calibrationDocument(c: CalibrationInput): Record<string, unknown> {
  const hz = c.base.cpu.hz.value;
  const cpu = hostCpu();
  const codecs: Record<string, unknown> = {};
  const fits: Record<string, unknown> = {};
  for (const f of c.fits) {
    codecs[f.compressor] = {
      compress: { fixedCycles: cycles(f.compress.fixed, hz), cyclesPerByte: cycles(f.compress.perByte, hz) },
      decompress: { fixedCycles: cycles(f.decompress.fixed, hz), cyclesPerByte: cycles(f.decompress.perByte, hz) },
      source: `[R] measured by tmemsim calibrate on ${cpu}, node ${process.version}, ${c.date}: tmemsim's ${f.compressor} on ${c.pages} pages of ${c.corpus}; ` +
        `R² ${f.compress.r2.toFixed(4)} (compress) / ${f.decompress.r2.toFixed(4)} (decompress); cycles at ${hz / 1e6} MHz (${c.base.name})`,
    };
    const r = (x: number): number => Math.round(x * 1e6) / 1e6;
    fits[f.compressor] = {
      compress_r2: r(f.compress.r2),
      decompress_r2: r(f.decompress.r2),
      compress_ns_per_page: r(f.compressNs[f.compressNs.length - 1]!),
      decompress_ns_per_page: r(f.decompressNs[f.decompressNs.length - 1]!),
      compress_through_origin: f.compress.throughOrigin,
      decompress_through_origin: f.decompress.throughOrigin,
    };
  }
  return {
    format: PROFILE_FORMAT,
    version: 1,
    name: c.name ?? `${c.base.name}-calibrated`,
    extends: c.base.name,
    description: `${c.base.name} with codec cycles measured on this host (${cpu})`,
    codecs,
    calibration: { method: METHOD, date: c.date, host_cpu: cpu, node: process.version, base: c.base.name, corpus: c.corpus, pages: c.pages, fits },
  };
}

/** The document, checked against the schema and loadable (throws UsageError if not). */
export function checkedCalibration(c: CalibrationInput): Record<string, unknown> {
  const doc = calibrationDocument(c);
  profileFromDocument(JSON.parse(JSON.stringify(doc)), '(calibration)');
  return doc;
}
