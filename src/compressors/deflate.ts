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
 * Decompression is zlib_inflate of the raw stream (window bits -11), straight into the page. A
 * stream that does not decode to exactly one page is an internal error (corrupt data, or another
 * length). Each compressor keeps one stream each way, reset per page as the kernel's are, so a
 * page costs about what fflate's deflateSync did (pako's one-call deflateRaw allocates zlib's
 * window and hash tables every call: twice the time).
 */

import { createRequire } from 'node:module';
import { corruptData, wrongLength, type Compressed, type Compressor, type CompressorFactory } from './compressor.js';
import { InvariantError } from '../errors.js';

// duplicates: these constants and ZlibConstants are alike in shape only to compressors/zstd.ts's and
// cost/uncertainty.ts's (constants, then an interface): nothing in common.
/** crypto/deflate.c's zlib_deflateInit2 arguments (include/linux/zconf.h: MAX_MEM_LEVEL 8); raw: window bits negative. */
const LEVEL = 6;
const WINDOW_BITS = 11;
const MEM_LEVEL = 8;

/** zlib's constants (zlib.h), as pako's lib/zlib/constants.js gives them. */
interface ZlibConstants {
  Z_DEFLATED: number;
  Z_DEFAULT_STRATEGY: number;
  Z_FINISH: number;
  Z_OK: number;
  Z_STREAM_END: number;
}

/** zlib's z_stream as pako's lib/zlib/zstream.js has it: the fields this file sets and reads. */
interface ZStream {
  input: Uint8Array | null;
  next_in: number;
  avail_in: number;
  output: Uint8Array | null;
  next_out: number;
  avail_out: number;
  msg: string;
}
/** pako 2's zlib ports (lib/zlib/deflate.js, inflate.js): the calls crypto/deflate.c makes. */
interface ZlibPort {
  ZStream: new () => ZStream;
  deflateInit2(strm: ZStream, level: number, method: number, windowBits: number, memLevel: number, strategy: number): number;
  deflateReset(strm: ZStream): number;
  deflate(strm: ZStream, flush: number): number;
  inflateInit2(strm: ZStream, windowBits: number): number;
  inflateReset(strm: ZStream): number;
  inflate(strm: ZStream, flush: number): number;
  constants: ZlibConstants;
}

/** pako's zlib, loaded when the first deflate compressor is made (a run that never deflates never reads it). */
let zlib: ZlibPort | null = null;
function loadZlib(): ZlibPort {
  if (zlib === null) {
    const req = createRequire(import.meta.url);
    zlib = {
      ZStream: req('pako/lib/zlib/zstream.js') as ZlibPort['ZStream'],
      constants: req('pako/lib/zlib/constants.js') as ZlibConstants,
      ...(req('pako/lib/zlib/deflate.js') as object),
      ...(req('pako/lib/zlib/inflate.js') as object),
    } as ZlibPort;
  }
  return zlib;
}

/**
 * One compression stream and one decompression stream, made once and reset for every page as
 * crypto/deflate.c does (zlib_deflateReset, zlib_inflateReset): a reset stream gives the same
 * bytes as a new one (the fixture test checks them), without allocating zlib's window and hash
 * tables for every page.
 */
class Deflate implements Compressor {
  readonly name = 'deflate';
  readonly implementation = 'pako 2.1.0 zlib, raw deflate, level 6, window bits 11, memLevel 8 (the kernel crypto deflate\'s)';
  private readonly z = loadZlib();
  private readonly comp: ZStream;
  private readonly decomp: ZStream;
  /** The output of a page: zlib's deflateBound of a page with room to spare. */
  private out = new Uint8Array(2 * 4096);

  constructor() {
    const z = this.z;
    const { Z_DEFLATED, Z_DEFAULT_STRATEGY, Z_OK } = z.constants;
    this.comp = new z.ZStream();
    this.decomp = new z.ZStream();
    if (z.deflateInit2(this.comp, LEVEL, Z_DEFLATED, -WINDOW_BITS, MEM_LEVEL, Z_DEFAULT_STRATEGY) !== Z_OK) throw new InvariantError('deflate: zlib_deflateInit2 refused the kernel parameters');
    if (z.inflateInit2(this.decomp, -WINDOW_BITS) !== Z_OK) throw new InvariantError('deflate: zlib_inflateInit2 refused the kernel parameters');
  }

  compress(src: Uint8Array): Compressed {
    const z = this.z;
    const s = this.comp;
    // deflateBound (zlib 1.2.x) for this input, raw.
    const bound = src.length + (src.length >> 12) + (src.length >> 14) + (src.length >> 25) + 13;
    if (this.out.length < bound) this.out = new Uint8Array(bound);
    z.deflateReset(s);
    s.input = src;
    s.next_in = 0;
    s.avail_in = src.length;
    s.output = this.out;
    s.next_out = 0;
    s.avail_out = this.out.length;
    const st = z.deflate(s, z.constants.Z_FINISH);
    s.input = null;
    s.output = null;
    if (st !== z.constants.Z_STREAM_END) throw new InvariantError(`deflate: zlib_deflate returned ${st}, not Z_STREAM_END (${s.msg})`);
    const data = this.out.slice(0, s.next_out);
    return { data, size: data.length };
  }

  decompress(c: Compressed, dst: Uint8Array): void {
    if (c.data.length === 0) throw new InvariantError('deflate: compressed data is empty');
    const z = this.z;
    const s = this.decomp;
    z.inflateReset(s);
    s.input = c.data;
    s.next_in = 0;
    s.avail_in = c.data.length;
    s.output = dst;
    s.next_out = 0;
    s.avail_out = dst.length;
    const { Z_FINISH, Z_OK, Z_STREAM_END } = z.constants;
    const st = z.inflate(s, Z_FINISH);
    const got = s.next_out;
    const more = s.avail_out === 0 && st !== Z_STREAM_END;
    s.input = null;
    s.output = null;
    if (st === Z_STREAM_END) {
      if (got !== dst.length) throw wrongLength('deflate', got, dst.length);
      return;
    }
    if (more) throw new InvariantError(`deflate: decompressed more than ${dst.length} bytes, expected ${dst.length}`);
    throw corruptData('deflate', s.msg || (st === Z_OK ? 'the stream ends early' : `zlib_inflate returned ${st}`));
  }
}

export const deflate: CompressorFactory = {
  name: 'deflate',
  description: 'raw deflate, level 6, 2 KiB window (kernel crypto "deflate"); pako',
  rates: { compressMBs: 26.8, decompressMBs: 314, note: 'zlib -6 (the kernel crypto deflate default level)' },
  create: () => new Deflate(),
};
