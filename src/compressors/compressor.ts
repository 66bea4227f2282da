/**
 * The compressor interface: real bytes in, real bytes out, under the Linux
 * crypto API names. One file per compressor, registered in registry.ts.
 */

import { InvariantError } from '../errors.js';

export interface Compressor {
  /** Kernel crypto name, e.g. 'lz4', 'deflate'. */
  readonly name: string;
  /** Where the bytes come from (package and settings), for the report and README. */
  readonly implementation: string;
  /**
   * Compress one page (or, for tmemsim calibrate, up to one page). Returns the codec's output; `size` is the length the
   * kernel's codec would report (no container framing such as a size prefix).
   * The returned object must not share memory with `src`.
   */
  compress(src: Uint8Array): Compressed;
  /**
   * Decompress into `dst`, whose length is the original size (one page in the
   * simulator; tmemsim calibrate also uses shorter inputs). Throws on corrupt input.
   */
  decompress(c: Compressed, dst: Uint8Array): void;
}

export interface Compressed {
  /** The codec's output as produced (may include framing the codec needs). */
  readonly data: Uint8Array;
  /** Modelled compressed length in bytes (what an allocator must hold). */
  readonly size: number;
}

/**
 * A codec's speed on the reference x86 host: lzbench 2.4 on silesia, EPYC
 * 9555P at 3.2 GHz [R] (peers-and-numbers.md §B). Every built-in profile's
 * cycle costs for the codec derive from these (profiles/codecs-x86.ts
 * converts them to cycles per byte; the ARM profiles scale those).
 */
interface ReferenceRates {
  /** Compression, MB/s. */
  readonly compressMBs: number;
  /** Decompression, MB/s. */
  readonly decompressMBs: number;
  /** Which lzbench row (codec version and level) and any inference, appended to the profiles' source text. */
  readonly note: string;
}

export interface CompressorFactory {
  readonly name: string;
  readonly description: string;
  /** Its cost figures: the profiles' codec cycles come from these. */
  readonly rates: ReferenceRates;
  create(): Compressor;
}

/**
 * How a compressor says its compressed data would not decompress: `cause` is
 * the codec library's error, or a reason ('size prefix 9, expected 4096').
 */
export function corruptData(codec: string, cause: unknown): InvariantError {
  return new InvariantError(`${codec}: compressed data is corrupt (${cause instanceof Error ? cause.message : String(cause)})`);
}

/** How a compressor says a decompression gave back other than the page's length. */
export function wrongLength(codec: string, got: number, want: number): InvariantError {
  return new InvariantError(`${codec}: decompressed ${got} bytes, expected ${want}`);
}
