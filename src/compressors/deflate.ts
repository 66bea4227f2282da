/**
 * deflate, as the kernel's crypto "deflate" (crypto/deflate.c): raw deflate
 * (RFC 1951, no zlib or gzip header), compression level
 * Z_DEFAULT_COMPRESSION (6), window bits 11 (a 2 KiB window), memLevel
 * MAX_MEM_LEVEL (9), Z_DEFAULT_STRATEGY; read in torvalds/linux
 * crypto/deflate.c of the 5.x era (DEFLATE_DEF_LEVEL, DEFLATE_DEF_WINBITS,
 * DEFLATE_DEF_MEMLEVEL, zlib_deflateInit2 with -DEFLATE_DEF_WINBITS).
 *
 * Bytes come from fflate 0.8 deflateSync(level 6) / inflateSync. Deviations:
 *  - window: fflate always searches a 32 KiB window and has no window-bits
 *    option, so on a 4 KiB page it may use matches 2-4 KiB back that the
 *    kernel's 2 KiB window cannot: sizes can come out a little smaller than
 *    the kernel's (and a 2 KiB-window inflater could reject such a stream;
 *    we only ever inflate with fflate).
 *  - match finder: fflate's hash table size (13 bits for 4 KiB inputs) and
 *    chain settings differ from zlib's memLevel 9 (16 bits); this changes
 *    speed more than size.
 * node:zlib (which takes windowBits 11 and memLevel 9) was not used: the
 * zlib Node bundles is Chromium's fork, which can choose SIMD code paths by
 * CPU, while pure-JS fflate gives the same bytes on every machine, which
 * the byte-identical reports need.
 *
 * Cost: fflate allocates its tables (~170 KB) on every call; on the 2-core
 * EPYC VM this was written on a page takes ~250 us to compress and ~40 us to
 * decompress (lz4: ~16 us and ~7 us). Caching by descriptor
 * (CachingCompressionService) keeps repeated pages from paying it twice.
 * Decompression writes straight into dst (inflateSync's `out` option).
 */

import { deflateSync, inflateSync } from 'fflate';
import { corruptData, wrongLength, type Compressed, type Compressor, type CompressorFactory } from './compressor.js';
import { InvariantError } from '../errors.js';

class Deflate implements Compressor {
  readonly name = 'deflate';
  readonly implementation = 'fflate 0.8 raw deflate, level 6 (kernel: level 6, 2 KiB window; fflate: 32 KiB window)';

  compress(src: Uint8Array): Compressed {
    const data = deflateSync(src, { level: 6 });
    return { data, size: data.length };
  }

  decompress(c: Compressed, dst: Uint8Array): void {
    // fflate returns `out` untouched for empty input instead of failing.
    if (c.data.length === 0) throw new InvariantError('deflate: compressed data is empty');
    let out: Uint8Array;
    try {
      out = inflateSync(c.data, { out: dst });
    } catch (e) {
      throw corruptData('deflate', e);
    }
    // inflateSync returns a view of dst of the decompressed length (it
    // silently truncates at dst's end, so a longer stream shows as a full page).
    if (out.length !== dst.length) throw wrongLength('deflate', out.length, dst.length);
    if (out.buffer !== dst.buffer || out.byteOffset !== dst.byteOffset) dst.set(out);
  }
}

export const deflate: CompressorFactory = {
  name: 'deflate',
  description: 'raw deflate, level 6 (kernel crypto "deflate"); fflate',
  rates: { compressMBs: 26.8, decompressMBs: 314, note: 'zlib -6 (the kernel crypto deflate default level)' },
  create: () => new Deflate(),
};
