/**
 * zstd, as the kernel's crypto "zstd" (crypto/zstd.c): one standard zstd
 * frame per page (magic number, frame header with the content size, no
 * checksum, no dictionary), level ZSTD_DEF_LEVEL (3); read in
 * torvalds/linux crypto/zstd.c. The kernel takes the level-3 parameters
 * for an unknown source size (zstd_get_params(ZSTD_DEF_LEVEL, 0), 4.14 to
 * 6.14) or for 256 KiB (zstd_get_params(ZSTD_DEF_LEVEL, ZSTD_MAX_SIZE),
 * 6.15 on) and compresses with zstd_compress_cctx(); the whole frame is
 * what zswap stores, so `size` is the frame length (no framing to strip).
 *
 * Bytes come from @bokuweb/zstd-wasm 0.0.27: the zstd C library compiled
 * to WebAssembly, shipped in the npm tarball (its frames matched zstd
 * 1.5.7's byte for byte on 200 text pages). Compression is ZSTD_compress()
 * at level 3, called as the package's compressUsingDict() with an empty
 * dictionary (ZSTD_compress_usingDict()) so that one compression context is
 * kept and reused, as the kernel keeps its per-CPU one, instead of made and
 * freed per page: the same bytes (checked on 200 pages), about a quarter
 * less time. Decompression is the package's decompress(): ZSTD_decompress()
 * into a buffer of the frame's declared content size.
 *
 * Deviation: ZSTD_compress() knows the source is 4 KiB and so takes zstd's
 * small-input level-3 parameters (tables sized for <= 16 KiB) instead of
 * the kernel's unknown-size or 256 KiB ones. The frame layout is the same
 * (the 4 KiB content size makes it single-segment either way), but the
 * match finder differs a little, so a page can come out a few bytes apart
 * from the kernel's. The package has no advanced-parameter API to match
 * them.
 *
 * Initialisation: the package's own init() instantiates its wasm
 * asynchronously, which would need a top-level await here, and a module
 * graph with a top-level await cannot be require()d. So the wasm is
 * instantiated synchronously instead, the first time a zstd compressor is
 * created (nothing is loaded at start-up): zstd.wasm (next to the package's
 * Node entry) is compiled with new WebAssembly.Module and handed to the
 * package's Emscripten module through its instantiateWasm hook, after which
 * its runtime initialises synchronously and compress() and decompress() are
 * synchronous. The package's Node entry is CommonJS; it and its module.js
 * (the Emscripten module object, not exported by name) are loaded with
 * createRequire, module.js by its file path beside the entry so that both
 * share one instance.
 *
 * Corrupt input: before decompressing, the frame header is checked here
 * (magic number, a content size of exactly one page), because the package
 * allocates whatever size the header declares. ZSTD_decompress() then
 * rejects anything that does not decode to exactly one frame of 4096 bytes.
 *
 * Copies: the package copies the input into wasm memory and returns a
 * fresh array for both calls (decompression makes and frees its context
 * per page; reusing one measured no faster). decompress() copies the page
 * into dst with dst.set(), one 4 KiB memcpy, because the package cannot
 * write into a caller's buffer.
 */

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { corruptData, wrongLength, type Compressed, type Compressor, type CompressorFactory } from './compressor.js';
import { InvariantError } from '../errors.js';

/** The part of @bokuweb/zstd-wasm's API used here (dist/common/index.node.d.ts). */
interface ZstdWasm {
  createCCtx(): number;
  compressUsingDict(cctx: number, buf: Uint8Array, dict: Uint8Array, level?: number): Uint8Array;
  decompress(buf: Uint8Array): Uint8Array;
}

/** The Emscripten module object of dist/common/zstd.js (hooks and state used here). */
interface EmscriptenModule {
  init(buf?: Uint8Array): unknown;
  instantiateWasm?: (imports: object, receive: (instance: WasmInstance) => unknown) => object;
  calledRun?: boolean;
}

/** The synchronous part of the WebAssembly JS API (the project's lib has no DOM types). */
interface WasmInstance {
  readonly exports: object;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => WasmInstance;
}
const Wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/**
 * The initialised package with one compression context, reused by every
 * call (as the kernel reuses its per-CPU one); calls are synchronous, so
 * never shared by two at once. Never freed: it lives as long as the wasm
 * instance.
 */
let zstdLib: { api: ZstdWasm; cctx: number } | undefined;

function zstdWasm(): { api: ZstdWasm; cctx: number } {
  if (zstdLib !== undefined) return zstdLib;
  const req = createRequire(import.meta.url);
  const entry = req.resolve('@bokuweb/zstd-wasm');
  const api = req(entry) as ZstdWasm;
  const { Module } = req(join(dirname(entry), 'module.js')) as { Module: EmscriptenModule };
  if (!Module.calledRun) {
    const wasm = new Wasm.Module(readFileSync(join(dirname(entry), 'zstd.wasm')));
    Module.instantiateWasm = (imports, receive) => {
      const instance = new Wasm.Instance(wasm, imports);
      receive(instance);
      return instance.exports;
    };
    Module.init();
    if (!Module.calledRun) throw new InvariantError('zstd: the wasm runtime did not initialise synchronously');
  }
  const cctx = api.createCCtx();
  if (cctx === 0) throw new InvariantError('zstd: ZSTD_createCCtx failed');
  zstdLib = { api, cctx };
  return zstdLib;
}

const NO_DICT = new Uint8Array(0);

/** ZSTD_DEF_LEVEL in crypto/zstd.c. */
const LEVEL = 3;
/** ZSTD_MAGICNUMBER, little-endian. */
const MAGIC = 0xfd2fb528;

/**
 * The frame content size declared in a zstd frame header (RFC 8878 3.1.1),
 * or a reason why there is none.
 */
export function zstdFrameContentSize(d: Uint8Array): number | string {
  if (d.length < 6) return `${d.length} bytes, shorter than a frame header`;
  const magic = (d[0]! | (d[1]! << 8) | (d[2]! << 16) | (d[3]! << 24)) >>> 0;
  if (magic !== MAGIC) return `magic number 0x${magic.toString(16)}, expected 0x${MAGIC.toString(16)}`;
  const fhd = d[4]!;
  if (fhd & 0x08) return 'reserved frame header bit set';
  const fcsFlag = fhd >> 6;
  const single = (fhd >> 5) & 1;
  const dictBytes = [0, 1, 2, 4][fhd & 3]!;
  const fcsBytes = [single ? 1 : 0, 2, 4, 8][fcsFlag]!;
  if (fcsBytes === 0) return 'no content size in the frame header';
  const at = 5 + (single ? 0 : 1) + dictBytes;
  if (d.length < at + fcsBytes) return 'frame header truncated';
  switch (fcsBytes) {
    case 1:
      return d[at]!;
    case 2:
      return (d[at]! | (d[at + 1]! << 8)) + 256;
    case 4:
      return (d[at]! | (d[at + 1]! << 8) | (d[at + 2]! << 16) | (d[at + 3]! << 24)) >>> 0;
    default: {
      const lo = (d[at]! | (d[at + 1]! << 8) | (d[at + 2]! << 16) | (d[at + 3]! << 24)) >>> 0;
      const hi = (d[at + 4]! | (d[at + 5]! << 8) | (d[at + 6]! << 16) | (d[at + 7]! << 24)) >>> 0;
      return hi * 2 ** 32 + lo;
    }
  }
}

class Zstd implements Compressor {
  readonly name = 'zstd';
  readonly implementation = '@bokuweb/zstd-wasm 0.0.27 (zstd 1.5 wasm), one frame at level 3 (kernel: level 3, one frame)';
  private readonly lib = zstdWasm();

  compress(src: Uint8Array): Compressed {
    const data = this.lib.api.compressUsingDict(this.lib.cctx, src, NO_DICT, LEVEL);
    return { data, size: data.length };
  }

  decompress(c: Compressed, dst: Uint8Array): void {
    const n = zstdFrameContentSize(c.data);
    if (n !== dst.length) {
      const why = typeof n === 'number' ? `frame content size ${n}, expected ${dst.length}` : n;
      throw corruptData('zstd', why);
    }
    let out: Uint8Array;
    try {
      out = this.lib.api.decompress(c.data);
    } catch (e) {
      throw corruptData('zstd', e);
    }
    if (out.length !== dst.length) throw wrongLength('zstd', out.length, dst.length);
    dst.set(out);
  }
}

/**
 * zstd at level 3, the level the kernel (ZSTD_DEF_LEVEL) and the codec here use.
 * lzbench 2.4's table [R] gives zstd -1 only (411 MB/s compress, 1351 MB/s decompress);
 * level 3 compresses at about 0.6-0.69x and decompresses at about 0.88-0.95x level 1's
 * rate in zstd 1.5.7 lzbench tables published in third-party codec READMEs [I from R,
 * not one citable table]: 0.62 and 0.92 are used.
 */
const ZSTD3_COMP = 411 * 0.62;
const ZSTD3_DECOMP = 1351 * 0.92;

export const zstd: CompressorFactory = {
  name: 'zstd',
  description: 'Zstandard frame, level 3 (kernel crypto "zstd"); @bokuweb/zstd-wasm',
  rates: { compressMBs: ZSTD3_COMP, decompressMBs: ZSTD3_DECOMP, note: 'zstd -3 (the level the codec uses): zstd -1 rates x0.62 compress, x0.92 decompress [I]' },
  create: () => new Zstd(),
};
