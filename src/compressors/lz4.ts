/**
 * lz4, as the kernel's crypto "lz4" (lib/lz4, LZ4_compress_default: the
 * fast block compressor, acceleration 1).
 *
 * Bytes come from lz4-wasm-nodejs 0.9 (Rust lz4_flex compiled to wasm): its
 * compress() returns an lz4 block prefixed with the uncompressed size as a
 * 4-byte little-endian integer. The prefix is the package's framing, not part
 * of the kernel's block format, so the modelled size is the output length
 * minus 4. lz4_flex is a different encoder from the reference C lz4, so a
 * page may come out a few bytes longer or shorter than in the kernel; the
 * block format, and so the ratio, is the same.
 *
 * Copies: the package copies the input into wasm memory and returns a fresh
 * array (so the result never shares memory with the caller's page). Its
 * decompress() also returns a fresh array; we copy it into dst with
 * dst.set(), one 4 KiB memcpy, because the package cannot write into a
 * caller's buffer.
 */

import { compress as lz4Compress, decompress as lz4Decompress } from 'lz4-wasm-nodejs';
import type { Compressed, Compressor, CompressorFactory } from './compressor.js';
import { PAGE_SIZE } from '../content/page.js';
import { InvariantError } from '../sim/errors.js';

/** Length of the package's size prefix. */
const PREFIX = 4;

class Lz4 implements Compressor {
  readonly name = 'lz4';
  readonly implementation = 'lz4-wasm-nodejs 0.9 (lz4_flex block format; size prefix not counted)';

  compress(src: Uint8Array): Compressed {
    const data = lz4Compress(src);
    return { data, size: data.length - PREFIX };
  }

  decompress(c: Compressed, dst: Uint8Array): void {
    const d = c.data;
    // Check the prefix first: a corrupt one would make the package allocate that much.
    const n = d.length >= PREFIX ? (d[0]! | (d[1]! << 8) | (d[2]! << 16) | (d[3]! << 24)) >>> 0 : -1;
    if (n !== PAGE_SIZE) throw new InvariantError(`lz4: compressed data is corrupt (size prefix ${n}, expected ${PAGE_SIZE})`);
    let out: Uint8Array;
    try {
      out = lz4Decompress(d);
    } catch (e) {
      throw new InvariantError(`lz4: compressed data is corrupt (${e instanceof Error ? e.message : String(e)})`);
    }
    if (out.length !== PAGE_SIZE) throw new InvariantError(`lz4: decompressed ${out.length} bytes, expected ${PAGE_SIZE}`);
    dst.set(out);
  }
}

export const lz4: CompressorFactory = {
  name: 'lz4',
  description: 'LZ4 fast block compression (kernel crypto "lz4"); lz4-wasm-nodejs',
  create: () => new Lz4(),
};
