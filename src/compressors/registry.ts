/**
 * The compressors tmemsim knows, by kernel crypto name. Add one by writing a
 * file that exports a CompressorFactory and listing it here.
 */

import type { Compressor, CompressorFactory } from './compressor.js';
import { deflate } from './deflate.js';
import { lz4 } from './lz4.js';
import { UsageError, acceptedList } from '../sim/errors.js';

export const COMPRESSORS: ReadonlyMap<string, CompressorFactory> = new Map(
  [lz4, deflate].map((f) => [f.name, f]),
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
