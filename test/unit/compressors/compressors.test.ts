import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { COMPRESSORS, compressorNames, createCompressor } from '../../../src/compressors/registry.js';
import { CONTENT_CLASSES } from '../../../src/content/classes/registry.js';
import { PAGE_SIZE } from '../../../src/content/page.js';
import { mixSeed } from '../../../src/content/rng.js';
import { InvariantError, UsageError } from '../../../src/errors.js';
import { corruptData, wrongLength } from '../../../src/compressors/compressor.js';
import * as lz4wasm from 'lz4-wasm-nodejs';

/** Byte equality (vitest's deep toEqual walks typed arrays element by element: slow on pages). */
function same(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.compare(a, b) === 0;
}

const NAMES = ['lz4', 'deflate'];

function page(cls: string, seed: number): Uint8Array {
  const p = new Uint8Array(PAGE_SIZE);
  CONTENT_CLASSES[cls]!.fill(seed, p);
  return p;
}

describe('compressor registry', () => {
  it('lists every compressor under its kernel name, lz4 and deflate first', () => {
    expect(compressorNames()).toEqual([...NAMES, 'lz4hc', 'zstd', 'lzo']);
    for (const [name, f] of COMPRESSORS) {
      expect(f.name).toBe(name);
      const c = f.create();
      expect(c.name).toBe(name);
      expect(c.implementation.length).toBeGreaterThan(5);
    }
  });

  it('rejects an unknown name, listing the known ones', () => {
    let err: unknown;
    try {
      createCompressor('842');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).message).toBe("unknown compressor '842' (accepted: lz4, deflate, lz4hc, zstd, lzo)");
  });
});

describe.each(NAMES)('%s', (name) => {
  const comp = createCompressor(name);

  it.each(Object.keys(CONTENT_CLASSES))('round-trips %s pages', (cls) => {
    for (let i = 0; i < 20; i++) {
      const src = page(cls, mixSeed(9, i));
      const copy = src.slice();
      const c = comp.compress(src);
      expect(same(src, copy)).toBe(true); // input untouched
      expect(c.data.buffer).not.toBe(src.buffer);
      expect(c.size).toBeGreaterThan(0);
      expect(c.size).toBeLessThanOrEqual(c.data.length);
      const dst = new Uint8Array(PAGE_SIZE).fill(0xcd);
      comp.decompress(c, dst);
      expect(same(dst, src)).toBe(true);
    }
  });

  it('round-trips arbitrary pages', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 0, maxLength: 64 }), fc.nat(PAGE_SIZE - 64), fc.nat(255), (chunk, at, fill) => {
      const src = new Uint8Array(PAGE_SIZE).fill(fill);
      src.set(chunk, at);
      const dst = new Uint8Array(PAGE_SIZE);
      comp.decompress(comp.compress(src), dst);
      return Buffer.compare(dst, src) === 0;
    }), { numRuns: 50 });
  });

  it('compresses the zero page to a few bytes and random pages not at all', () => {
    expect(comp.compress(new Uint8Array(PAGE_SIZE)).size).toBeLessThan(40);
    expect(comp.compress(page('random', 3)).size).toBeGreaterThanOrEqual(PAGE_SIZE);
  });

  it('rejects corrupt data', () => {
    const c = comp.compress(page('text', 1));
    const dst = new Uint8Array(PAGE_SIZE);
    // Each says which codec and what went wrong, as an InvariantError (tmemsim made the data: a bug, not bad input).
    const said = new RegExp(`^${name}: (compressed data is (corrupt \\(.+\\)|empty)|decompressed \\d+ bytes, expected ${PAGE_SIZE})$`);
    for (const data of [c.data.subarray(0, 10), new Uint8Array(0)]) {
      let thrown: unknown;
      try {
        comp.decompress({ data, size: data.length }, dst);
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(InvariantError);
      expect((thrown as Error).message).toMatch(said);
    }
  });

  it('decompresses into an unaligned view', () => {
    const src = page('heap', 4);
    const buf = new Uint8Array(PAGE_SIZE + 5);
    const dst = buf.subarray(5);
    comp.decompress(comp.compress(src), dst);
    expect(same(dst, src)).toBe(true);
    expect(buf.subarray(0, 5).every((x) => x === 0)).toBe(true);
  });
});

describe('decompression errors', () => {
  it('name the codec and the cause', () => {
    expect(corruptData('lzo', new Error('input overrun')).message).toBe('lzo: compressed data is corrupt (input overrun)');
    expect(corruptData('lz4', 'size prefix 9, expected 4096').message).toBe('lz4: compressed data is corrupt (size prefix 9, expected 4096)');
    expect(wrongLength('zstd', 4000, 4096).message).toBe('zstd: decompressed 4000 bytes, expected 4096');
    expect(wrongLength('zstd', 4000, 4096)).toBeInstanceOf(InvariantError);
  });
});

describe('lz4 size', () => {
  it('excludes the 4-byte size prefix of the package', () => {
    const c = createCompressor('lz4').compress(page('text', 5));
    expect(c.size).toBe(c.data.length - 4);
    expect(c.data[0]! | (c.data[1]! << 8)).toBe(PAGE_SIZE);
  });

  it('rejects a corrupt size prefix without decompressing', () => {
    const lz4 = createCompressor('lz4');
    const c = lz4.compress(page('text', 5));
    const bad = c.data.slice();
    bad[2] = 0x7f; // claims ~8 MB
    expect(() => lz4.decompress({ data: bad, size: c.size }, new Uint8Array(PAGE_SIZE))).toThrow(/size prefix/);
  });
});

describe('lz4 through the wasm exports', () => {
  // The model: the package's own glue (compress / decompress), which tmemsim bypasses for speed.
  const lz4 = createCompressor('lz4');
  const wasmMemory = (): number => (lz4wasm as unknown as { __wasm: { memory: { buffer: ArrayBuffer } } }).__wasm.memory.buffer.byteLength;

  function agrees(src: Uint8Array): boolean {
    const c = lz4.compress(src);
    const want = lz4wasm.compress(src);
    if (!same(c.data, want)) return false;
    const dst = new Uint8Array(src.length).fill(0xa5);
    lz4.decompress(c, dst);
    return same(dst, lz4wasm.decompress(want)) && same(dst, src);
  }

  it("gives the package's bytes for every content class and arbitrary pages", () => {
    for (const cls of Object.keys(CONTENT_CLASSES)) for (let i = 0; i < 10; i++) expect(agrees(page(cls, mixSeed(21, i)))).toBe(true);
    fc.assert(fc.property(fc.uint8Array({ minLength: 0, maxLength: 256 }), fc.nat(PAGE_SIZE - 256), fc.nat(3), (chunk, at, fill) => {
      const src = new Uint8Array(PAGE_SIZE).fill(fill);
      src.set(chunk, at);
      return agrees(src);
    }), { numRuns: 100 });
  });

  it('still does after the wasm memory has grown under it', () => {
    expect(agrees(page('text', 1))).toBe(true); // views of the memory made
    const before = wasmMemory();
    // The package's own call with an input larger than the whole memory makes it grow.
    const big = new Uint8Array(before + 2 ** 20);
    for (let i = 0; i < big.length; i += 4096) big.set(page('heap', i), i);
    expect(lz4wasm.decompress(lz4wasm.compress(big)).length).toBe(big.length);
    expect(wasmMemory()).toBeGreaterThan(before);
    for (const cls of ['text', 'code', 'random', 'zero']) expect(agrees(page(cls, 7))).toBe(true);
  });
});

describe('deflate', () => {
  it('beats lz4 on compressible classes', () => {
    const lz4 = createCompressor('lz4');
    const deflate = createCompressor('deflate');
    for (const cls of ['text', 'code', 'heap']) {
      let l = 0;
      let d = 0;
      for (let i = 0; i < 30; i++) {
        const p = page(cls, mixSeed(11, i));
        l += lz4.compress(p).size;
        d += deflate.compress(p).size;
      }
      expect(d).toBeLessThan(l);
    }
  });
});
