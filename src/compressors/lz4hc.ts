/**
 * lz4hc, as the kernel's crypto "lz4hc" (crypto/lz4hc.c): LZ4_compress_HC()
 * at LZ4HC_DEFAULT_CLEVEL (9) into a plain lz4 block, decompressed with
 * LZ4_decompress_safe(); read in torvalds/linux crypto/lz4hc.c of the
 * 4.11+ era (lib/lz4 there is the 2017 port of lz4 1.7.x).
 *
 * Bytes come from the `lz4` package 0.6 (node-lz4): a Node addon that
 * node-gyp builds at install time from the lz4 1.9.2 C sources bundled in
 * its tarball (python3, make and g++ needed; nothing is downloaded). Its
 * encodeBlockHC() calls LZ4_compress_HC() with level 9 (the binding
 * ignores any level argument and always uses 9, which is the kernel's) and
 * returns the raw block length; decodeBlock() calls LZ4_decompress_safe()
 * with the output buffer's length as the capacity. So the format, the
 * level and the encoder are the kernel's; only the lz4 version differs
 * (1.9.2 against the kernel's 1.7.x; both search 256 hash-chain candidates
 * at level 9), which can move a page by a few bytes.
 * No framing: `size` is the block length.
 *
 * Why a native addon: no pure JS or WASM package on npm offers HC. lz4js
 * lists HC as "todo"; lz4-wasm-nodejs (lz4_flex) has no HC mode; node-lz4's
 * own JS fallback maps encodeBlockHC to the fast compressor; lz4-asm has HC
 * only through the lz4 frame API (frame header, block headers, end mark and
 * favorDecSpeed on by default) and is a minified one-off build. The package
 * has no types, so it is typed here. It is an optional dependency, loaded
 * (native.ts) only when an lz4hc compressor is created.
 *
 * Copies: compression writes into a scratch buffer kept by the instance and
 * returns an exact-length copy (so the result never shares memory with the
 * caller's page or with the next result). Decompression writes straight
 * into dst (no intermediate copy).
 */

import { corruptData, wrongLength, type Compressed, type Compressor, type CompressorFactory } from './compressor.js';
import { PAGE_SIZE } from '../content/page.js';
import { InvariantError } from '../errors.js';
import { loadNativeCodec } from './native.js';

/** The part of node-lz4's API used here (lib/lz4.js; the package ships no types). */
interface NodeLz4 {
  /** LZ4_compressBound(size). */
  encodeBound(size: number): number;
  /** LZ4_compress_HC(level 9) of all of `input` into `output`; returns the block length, 0 if it did not fit. */
  encodeBlockHC(input: Buffer, output: Buffer): number;
  /** LZ4_decompress_safe() of all of `input` into `output`; returns the decompressed length, < 0 if corrupt. */
  decodeBlock(input: Buffer, output: Buffer): number;
}

/** A Buffer over the same memory as `a` (no copy). */
function view(a: Uint8Array, length = a.length): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, length);
}

class Lz4hc implements Compressor {
  readonly name = 'lz4hc';
  readonly implementation = 'lz4 (node-lz4) 0.6 addon: lz4 1.9.2 LZ4_compress_HC level 9, raw block (kernel: level 9)';
  private readonly nodeLz4 = loadNativeCodec<NodeLz4>('lz4hc');
  private readonly scratch = Buffer.alloc(this.nodeLz4.encodeBound(PAGE_SIZE));

  compress(src: Uint8Array): Compressed {
    const n = this.nodeLz4.encodeBlockHC(view(src), this.scratch);
    if (!(n > 0)) throw new InvariantError(`lz4hc: compression failed (returned ${n})`);
    const data = new Uint8Array(n);
    data.set(this.scratch.subarray(0, n));
    return { data, size: n };
  }

  decompress(c: Compressed, dst: Uint8Array): void {
    if (c.data.length === 0) throw new InvariantError('lz4hc: compressed data is empty');
    const n = this.nodeLz4.decodeBlock(view(c.data), view(dst));
    if (n < 0) throw corruptData('lz4hc', `error at input byte ${-n - 1}`);
    if (n !== dst.length) throw wrongLength('lz4hc', n, dst.length);
  }
}

export const lz4hc: CompressorFactory = {
  name: 'lz4hc',
  description: 'LZ4 high-compression block, level 9 (kernel crypto "lz4hc"); lz4 (node-lz4 addon)',
  rates: { compressMBs: 31.9, decompressMBs: 3703, note: 'lz4hc -9' },
  create: () => new Lz4hc(),
};
