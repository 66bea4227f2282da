/**
 * The compressors tmemsim knows, by kernel crypto name. Add one by writing a
 * file that exports a CompressorFactory and listing it here.
 */

import type { Compressor, CompressorFactory } from './compressor.js';
import { deflate } from './deflate.js';
import { lz4 } from './lz4.js';
import { lz4hc } from './lz4hc.js';
import { lzo } from './lzo.js';
import { zstd } from './zstd.js';
import { UsageError, acceptedList } from '../sim/errors.js';

export const COMPRESSORS: ReadonlyMap<string, CompressorFactory> = new Map(
  [lz4, deflate, lz4hc, zstd, lzo].map((f) => [f.name, f]),
);

export function compressorNames(): string[] {
  return [...COMPRESSORS.keys()];
}

/** A new compressor instance; throws UsageError for an unknown name. */
export function createCompressor(name: string): Compressor {
  const f = COMPRESSORS.get(name);
  if (f === undefined) throw new UsageError(`unknown compressor '${name}'`, {}, acceptedList(COMPRESSORS.keys()));
  return f.create();
}
