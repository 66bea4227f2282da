/**
 * lzo, as the kernel's crypto "lzo" (crypto/lzo.c): LZO1X-1,
 * lzo1x_1_compress() into the classic LZO1X bitstream, decompressed with
 * lzo1x_decompress_safe(); read in torvalds/linux crypto/lzo.c and
 * lib/lzo/lzodefs.h. ("lzo-rle", the kernel's run-length variant of the
 * bitstream since 5.1, is a different format and is not offered: see
 * the README.)
 *
 * Bytes come from the `lzo` package 0.4 (node-lzo): a Node addon that
 * node-gyp builds at install time from the miniLZO 2.09 C sources bundled
 * in its tarball (python3, make and g++ needed; nothing is downloaded).
 * Its compress() is lzo1x_1_compress() and its decompress(data, 4096) is
 * lzo1x_decompress_safe() with a 4096-byte output capacity; the package
 * adds no framing, so `size` is the stream length. Deviation: miniLZO's
 * LZO1X-1 hashes into a 2^14-entry dictionary (D_BITS 14) where the
 * kernel's uses 2^13 (D_BITS 13 in lib/lzo/lzodefs.h), so it can find a
 * few matches the kernel misses: a page may come out a few bytes shorter
 * than in the kernel. The bitstream is the same, and either decoder reads
 * the other's output.
 *
 * Why a native addon: npm has no pure JS or WASM LZO1X compressor; lzo-wasm
 * and lzo-decompress only decompress. The package has no types, so it is
 * typed here. It is an optional dependency, loaded (native.ts) only when an
 * lzo compressor is created.
 *
 * Copies: compress() gets a view of the caller's page (no copy in), and its
 * result is copied to an exact-length array (the package returns a slice of
 * a 4419-byte worst-case buffer, which a cache would otherwise keep alive).
 * decompress() returns a fresh 4096-byte buffer that is copied into dst
 * with dst.set(), one 4 KiB memcpy.
 */

import { corruptData, wrongLength, type Compressed, type Compressor, type CompressorFactory } from './compressor.js';
import { InvariantError } from '../errors.js';
import { loadNativeCodec } from './native.js';

/** The part of node-lzo's API used here (index.js; the package ships no types). */
interface NodeLzo {
  /** lzo1x_1_compress() of all of `input`; throws on failure. */
  compress(input: Buffer): Buffer;
  /** lzo1x_decompress_safe() into a new buffer of `length` bytes; throws on corrupt input. */
  decompress(input: Buffer, length: number): Buffer;
  readonly version: string;
}

/** A Buffer over the same memory as `a` (no copy). */
function view(a: Uint8Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.length);
}

class Lzo implements Compressor {
  readonly name = 'lzo';
  private readonly nodeLzo = loadNativeCodec<NodeLzo>('lzo');
  readonly implementation = `lzo (node-lzo) 0.4 addon: miniLZO ${this.nodeLzo.version} LZO1X-1 (kernel: LZO1X-1; dictionary 2^14 vs the kernel's 2^13)`;

  compress(src: Uint8Array): Compressed {
    const out = this.nodeLzo.compress(view(src));
    const data = new Uint8Array(out.length);
    data.set(out);
    return { data, size: data.length };
  }

  decompress(c: Compressed, dst: Uint8Array): void {
    if (c.data.length === 0) throw new InvariantError('lzo: compressed data is empty');
    let out: Buffer;
    try {
      out = this.nodeLzo.decompress(view(c.data), dst.length);
    } catch (e) {
      throw corruptData('lzo', e);
    }
    if (out.length !== dst.length) throw wrongLength('lzo', out.length, dst.length);
    dst.set(out);
  }
}

// duplicates: the decompress above and this entry are alike in shape to lz4.ts's (a binding's call, its errors, the
// registry entry): one file per compressor, each wrapping its own package.
export const lzo: CompressorFactory = {
  name: 'lzo',
  description: 'LZO1X-1 (kernel crypto "lzo"); lzo (node-lzo addon)',
  rates: { compressMBs: 500, decompressMBs: 561, note: 'lzo1x -1' },
  create: () => new Lzo(),
};
