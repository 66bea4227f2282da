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
import { NATIVE_CODEC_PACKAGES, nativeCodecProblem } from './native.js';
import { UsageError, acceptedList, type Where } from '../errors.js';

export const COMPRESSORS: ReadonlyMap<string, CompressorFactory> = new Map(
  [lz4, deflate, lz4hc, zstd, lzo].map((f) => [f.name, f]),
);

export function compressorNames(): string[] {
  return [...COMPRESSORS.keys()];
}

/**
 * Whether a registered compressor can be created in this install: false for
 * an unknown name, and for lz4hc and lzo when their optional native package
 * is missing or did not build (see native.ts). Loads that package to find out.
 */
export function compressorAvailable(name: string): boolean {
  return COMPRESSORS.has(name) && nativeCodecProblem(name) === null;
}

/** The npm package a compressor needs beyond the required dependencies, if any. */
export function compressorOptionalPackage(name: string): string | undefined {
  return NATIVE_CODEC_PACKAGES[name];
}

/**
 * Throws the UsageError of an unknown compressor (with `where`) or of one
 * whose optional package does not load here (how to install it).
 */
export function checkCompressor(name: string, where: Where = {}): void {
  if (!COMPRESSORS.has(name)) throw new UsageError(`unknown compressor '${name}'`, where, acceptedList(COMPRESSORS.keys()));
  const problem = nativeCodecProblem(name, where);
  if (problem !== null) throw problem;
}

/** A new compressor instance; throws UsageError for an unknown name. */
export function createCompressor(name: string): Compressor {
  const f = COMPRESSORS.get(name);
  if (f === undefined) throw new UsageError(`unknown compressor '${name}'`, {}, acceptedList(COMPRESSORS.keys()));
  return f.create();
}
