/**
 * The compression service backends call: it compresses a page with a named
 * compressor and caches the result by content descriptor, so that pages whose
 * bytes repeat are compressed once (the cost meter still charges every
 * modelled compression). Decompression is always real.
 */

import type { Compressed, Compressor } from './compressor.js';
import type { Page } from '../content/page.js';

export interface CompressionService {
  /** The compressor registered under `name` (throws UsageError if unknown). */
  get(name: string): Compressor;
  /** Compress `page` with `comp`; cached by (comp, page.desc) when desc >= 0. */
  compress(comp: Compressor, page: Page): Compressed;
  /** Decompress `c` into `dst`. */
  decompress(comp: Compressor, c: Compressed, dst: Uint8Array): void;
}
