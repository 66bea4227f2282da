/**
 * deflate, as the kernel's crypto "deflate" (crypto/deflate.c, the same in 6.1): raw deflate
 * (RFC 1951, no zlib or gzip header) made by zlib_deflateInit2 with level Z_DEFAULT_COMPRESSION
 * (6), window bits -DEFLATE_DEF_WINBITS (-11: raw, a 2 KiB window), memLevel
 * DEFLATE_DEF_MEMLEVEL = MAX_MEM_LEVEL, which the kernel's include/linux/zconf.h sets to 8 (not
 * zlib's 9), and Z_DEFAULT_STRATEGY; one Z_FINISH call per page after zlib_deflateReset.
 *
 * Bytes come from pako 2.1.0, a pure JavaScript port of zlib 1.2.x, with those four
 * parameters: byte-identical to zlib 1.2.13's output (Python's zlib.compressobj(6, DEFLATED,
 * -11, 8)) on 349 pages of a binary and a text file. pako 3 is a rewrite whose output is 2-3 %
 * larger at every window size, so the version is pinned. The kernel's lib/zlib_deflate is the
 * older zlib 1.1.x code (docs/validation.md, rw-zsmalloc-deflate, says how its pool compares).
 * Until 2026-12-06 tmemsim used fflate's deflateSync(level 6) (a 32 KiB window, its own match
 * finder).
 *
 * node:zlib (which takes the same parameters) is not used: the zlib Node bundles is Chromium's
 * fork, which can choose SIMD code paths by CPU, where pure-JS pako gives the same bytes on
 * every machine, which byte-identical reports need.
 *
 * Decompression is zlib_inflate of the raw stream (window bits -11); pako returns a new array,
 * copied into dst. A stream that does not decode to exactly one page is corrupt data.
 */

import { createRequire } from 'node:module';
import type * as Pako from 'pako';
import { corruptData, wrongLength, type Compressed, type Compressor, type CompressorFactory } from './compressor.js';
import { InvariantError } from '../errors.js';

/** crypto/deflate.c's zlib_deflateInit2 arguments (include/linux/zconf.h: MAX_MEM_LEVEL 8). */
const KERNEL_DEFLATE = { level: 6, windowBits: 11, memLevel: 8, strategy: 0 } as const;

/** pako, loaded when the first deflate compressor is made (a run that never deflates never reads it). */
let pako: typeof Pako | null = null;

class Deflate implements Compressor {
  readonly name = 'deflate';
  private readonly deflateRaw: typeof Pako.deflateRaw;
  private readonly inflateRaw: typeof Pako.inflateRaw;

  constructor() {
    pako ??= createRequire(import.meta.url)('pako') as typeof Pako;
    this.deflateRaw = pako.deflateRaw;
    this.inflateRaw = pako.inflateRaw;
  }
  readonly implementation = 'pako 2.1.0 raw deflate, level 6, window bits 11, memLevel 8 (the kernel crypto deflate\'s)';

  compress(src: Uint8Array): Compressed {
    const data = this.deflateRaw(src, KERNEL_DEFLATE);
    return { data, size: data.length };
  }

  decompress(c: Compressed, dst: Uint8Array): void {
    if (c.data.length === 0) throw new InvariantError('deflate: compressed data is empty');
    let out: Uint8Array | undefined;
    try {
      out = this.inflateRaw(c.data, { windowBits: KERNEL_DEFLATE.windowBits });
    } catch (e) {
      // pako 2 throws zlib's message as a string.
      throw corruptData('deflate', e);
    }
    // pako 2 returns nothing for a stream that ends before its last block.
    if (out === undefined) throw corruptData('deflate', 'the stream ends early');
    if (out.length !== dst.length) throw wrongLength('deflate', out.length, dst.length);
    dst.set(out);
  }
}

export const deflate: CompressorFactory = {
  name: 'deflate',
  description: 'raw deflate, level 6, 2 KiB window (kernel crypto "deflate"); pako',
  rates: { compressMBs: 26.8, decompressMBs: 314, note: 'zlib -6 (the kernel crypto deflate default level)' },
  create: () => new Deflate(),
};
