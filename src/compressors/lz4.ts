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
 * Copies: both directions call the package's wasm exports (its `__wasm`, the
 * wasm-bindgen 0.2 ABI its glue uses) as its glue does, minus the glue's
 * per-call overhead. Compression copies the input into wasm memory and the
 * output out of it into one fresh array (so the result never shares memory
 * with the caller's page): the glue's two copies, but without its
 * intermediate view of the output and its four reads of the memory's
 * `buffer` (a call into the engine each). Its decompress() would return a
 * fresh array, to be copied again into dst; here the output is copied from
 * wasm memory straight into dst: one copy and no allocation per page.
 * Views of the wasm memory are made again only when it has grown (its old
 * buffer is then detached, and a view of it has length 0). Without those
 * exports, or when the data is corrupt (for the package's own error), it
 * goes through the package's compress() and decompress().
 */

import * as lz4wasm from 'lz4-wasm-nodejs';
import { corruptData, wrongLength, type Compressed, type Compressor, type CompressorFactory } from './compressor.js';

const { compress: lz4Compress, decompress: lz4Decompress } = lz4wasm;

/** Length of the package's size prefix. */
const PREFIX = 4;

/** The package's wasm exports (what its generated glue calls). */
interface Lz4Exports {
  /** A WebAssembly.Memory. */
  memory: { readonly buffer: ArrayBuffer };
  compress(retptr: number, ptr: number, len: number): void;
  decompress(retptr: number, ptr: number, len: number): void;
  __wbindgen_add_to_stack_pointer(delta: number): number;
  __wbindgen_malloc(size: number): number;
  __wbindgen_free(ptr: number, size: number): void;
}

const wasm = ((): Lz4Exports | null => {
  const w = (lz4wasm as unknown as { __wasm?: Partial<Lz4Exports> }).__wasm;
  return w !== undefined && w.memory?.buffer instanceof ArrayBuffer && typeof w.compress === 'function' &&
    typeof w.decompress === 'function' && typeof w.__wbindgen_add_to_stack_pointer === 'function' &&
    typeof w.__wbindgen_malloc === 'function' && typeof w.__wbindgen_free === 'function'
    ? (w as Lz4Exports)
    : null;
})();

/** Views of the wasm memory (empty until first used; detached, so empty again, when the memory grows). */
let memU8 = new Uint8Array(0);
let memI32 = new Int32Array(0);

/**
 * Makes the views of the wasm memory again if it has grown since they were
 * made: growing detaches the old buffer, and a view of a detached buffer has
 * length 0. Cheaper than reading `memory.buffer` (a call into the engine)
 * on every call.
 */
function memory(w: Lz4Exports): void {
  if (memU8.length === 0) {
    const b = w.memory.buffer;
    memU8 = new Uint8Array(b);
    memI32 = new Int32Array(b);
  }
}

/**
 * The package's compress(src), as its glue makes the call (the input is
 * copied into memory it mallocs, which the callee frees; the output is a
 * vector the caller frees), its output copied once into a fresh array.
 */
// duplicates: alike in shape to decompressInto below (the glue's calling convention: stack area, malloc, copy in,
// call, read the vector, free): written out twice on purpose, the codec's per-page path, without a closure per call.
function compressWasm(w: Lz4Exports, src: Uint8Array): Uint8Array {
  const ret = w.__wbindgen_add_to_stack_pointer(-16);
  try {
    const ptr = w.__wbindgen_malloc(src.length);
    memory(w);
    memU8.set(src, ptr);
    w.compress(ret, ptr, src.length);
    memory(w);
    const out = memI32[ret >> 2]!;
    const len = memI32[(ret >> 2) + 1]!;
    const data = memU8.slice(out, out + len);
    w.__wbindgen_free(out, len);
    return data;
  } finally {
    w.__wbindgen_add_to_stack_pointer(16);
  }
}

/**
 * The package's decompress(d) written into dst, as its glue makes the call
 * (the input is copied into memory it mallocs, which the callee frees; the
 * output is a vector the caller frees). Returns false when the package
 * reports an error (nothing is written).
 */
// duplicates: alike in shape to compressWasm above, on purpose (see there).
function decompressInto(w: Lz4Exports, d: Uint8Array, dst: Uint8Array): boolean {
  const ret = w.__wbindgen_add_to_stack_pointer(-16);
  try {
    const ptr = w.__wbindgen_malloc(d.length);
    memory(w);
    memU8.set(d, ptr);
    w.decompress(ret, ptr, d.length);
    memory(w);
    const r = ret >> 2;
    const out = memI32[r]!;
    const len = memI32[r + 1]!;
    if (memI32[r + 3]! !== 0) return false;
    try {
      if (len !== dst.length) throw wrongLength('lz4', len, dst.length);
      dst.set(memU8.subarray(out, out + len));
    } finally {
      w.__wbindgen_free(out, len);
    }
    return true;
  } finally {
    w.__wbindgen_add_to_stack_pointer(16);
  }
}

class Lz4 implements Compressor {
  readonly name = 'lz4';
  readonly implementation = 'lz4-wasm-nodejs 0.9 (lz4_flex block format; size prefix not counted)';

  compress(src: Uint8Array): Compressed {
    const data = wasm !== null ? compressWasm(wasm, src) : lz4Compress(src);
    return { data, size: data.length - PREFIX };
  }

  decompress(c: Compressed, dst: Uint8Array): void {
    const d = c.data;
    // Check the prefix first: a corrupt one would make the package allocate that much.
    const n = d.length >= PREFIX ? (d[0]! | (d[1]! << 8) | (d[2]! << 16) | (d[3]! << 24)) >>> 0 : -1;
    if (n !== dst.length) throw corruptData('lz4', `size prefix ${n}, expected ${dst.length}`);
    if (wasm !== null && decompressInto(wasm, d, dst)) return;
    let out: Uint8Array;
    try {
      out = lz4Decompress(d);
    } catch (e) {
      throw corruptData('lz4', e);
    }
    if (out.length !== dst.length) throw wrongLength('lz4', out.length, dst.length);
    dst.set(out);
  }
}

// duplicates: the decompress above and this entry are alike in shape to lzo.ts's (a binding's call, its errors, the
// registry entry): one file per compressor, each wrapping its own package.
export const lz4: CompressorFactory = {
  name: 'lz4',
  description: 'LZ4 fast block compression (kernel crypto "lz4"); lz4-wasm-nodejs',
  rates: { compressMBs: 550, decompressMBs: 3832, note: 'lz4 1.10' },
  create: () => new Lz4(),
};
