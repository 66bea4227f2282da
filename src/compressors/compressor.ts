/**
 * The compressor interface: real bytes in, real bytes out, under the Linux
 * crypto API names. One file per compressor, registered in registry.ts.
 */

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

export interface CompressorFactory {
  readonly name: string;
  readonly description: string;
  create(): Compressor;
}
