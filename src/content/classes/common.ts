/**
 * What a content class is, and the byte-writing helpers its generator may
 * share with the others (a scratch buffer, digits, hex, a Zipf word list).
 *
 * Generators write into a scratch buffer longer than the page (tokens may run
 * past the end without bound checks; a page starts at a random offset into
 * the generated stream, as a page boundary falls anywhere in a file) and copy
 * dst.length bytes out. Random draws use Rng.bits() (an int32) with masks and
 * shifts, never `%` on a possibly-unsigned value, which V8 runs as a slow
 * floating-point modulo.
 */

export interface ContentClass {
  readonly name: string;
  /** The class code (Cls) in the low 4 bits of a descriptor. */
  readonly code: number;
  readonly description: string;
  /**
   * Whether the class's bytes are a function of the descriptor's seed alone
   * (zero, fill, vmix). Otherwise the content source seeds fill() with
   * mixSeed(run seed, seed), so another run seed gives other bytes.
   */
  readonly runSeedIndependent: boolean;
  /** Writes dst.length bytes determined by seed32 (an unsigned 32-bit integer). */
  fill(seed32: number, dst: Uint8Array): void;
}

const SLACK = 1024;
let scratch = new Uint8Array(8192 + SLACK);
/** A DataView of scratch, for unaligned 32-bit stores. */
let view = new DataView(scratch.buffer);

/** The scratch buffer, at least n + SLACK bytes (one buffer, shared by every generator). */
export function scratchFor(n: number): Uint8Array {
  if (scratch.length < n + SLACK) {
    scratch = new Uint8Array(n + SLACK);
    view = new DataView(scratch.buffer);
  }
  return scratch;
}

/** A uniform integer in [0, n) from the top 16 bits of r (n <= 32768). */
export function below(r: number, n: number): number {
  return ((r >>> 16) * n) >>> 16;
}

function ascii(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0x7f;
  return out;
}

/** Writes v (0..10^w-1, below 2^31) in exactly w digits, zero-padded. */
export function putFixed(b: Uint8Array, p: number, v: number, w: number): number {
  for (let i = w - 1; i >= 0; i--, v = (v / 10) | 0) b[p + i] = 48 + (v - ((v / 10) | 0) * 10);
  return p + w;
}

const HEX = ascii('0123456789abcdef');
export function putHex(b: Uint8Array, p: number, v: number, w: number): number {
  for (let i = w - 1; i >= 0; i--, v >>>= 4) b[p + i] = HEX[v & 15]!;
  return p + w;
}

export function putBytes(b: Uint8Array, p: number, s: Uint8Array): number {
  for (let i = 0; i < s.length; i++) b[p + i] = s[i]!;
  return p + s.length;
}

export function put32(b: Uint8Array, p: number, v: number): void {
  b[p] = v;
  b[p + 1] = v >>> 8;
  b[p + 2] = v >>> 16;
  b[p + 3] = v >>> 24;
}

/**
 * A list of byte strings with a Zipf-like sampler (rank r weighs 1/(r+2)^e).
 * Words are stored in fixed-size slots of 32-bit chunks so that put() writes
 * them with two unaligned 32-bit stores instead of a byte loop whose varying
 * trip count the CPU mispredicts (that loop made text generation 2.5x slower).
 * The bytes put() writes past the word are overwritten by the next write.
 */
export class Lexicon {
  readonly len: Uint8Array;
  readonly size: number;
  /** 32-bit chunks of each word, `stride` per word, little-endian, space-padded. */
  private readonly chunks: Int32Array;
  private readonly stride: number;
  /** 4096 slots mapping a 12-bit random value to a word index. */
  private readonly table = new Uint16Array(4096);

  constructor(words: string | readonly string[], exponent = 1) {
    const list = typeof words === 'string' ? words.trim().split(/\s+/) : [...words];
    this.size = list.length;
    this.len = new Uint8Array(list.length);
    const maxLen = Math.max(8, ...list.map((w) => w.length));
    this.stride = Math.ceil(maxLen / 4);
    const bytes = new Uint8Array(this.stride * 4 * list.length).fill(32);
    const weights = list.map((_, i) => 1 / Math.pow(i + 2, exponent));
    const total = weights.reduce((x, w) => x + w, 0);
    let acc = 0;
    let slot = 0;
    for (let i = 0; i < list.length; i++) {
      const w = list[i]!;
      this.len[i] = w.length;
      for (let k = 0; k < w.length; k++) bytes[i * this.stride * 4 + k] = w.charCodeAt(k) & 0x7f;
      acc += weights[i]! / total;
      const end = i === list.length - 1 ? 4096 : Math.round(acc * 4096);
      for (; slot < end; slot++) this.table[slot] = i;
    }
    const dv = new DataView(bytes.buffer);
    this.chunks = new Int32Array(bytes.length / 4);
    for (let i = 0; i < this.chunks.length; i++) this.chunks[i] = dv.getInt32(i * 4, true);
  }

  /** A Zipf-distributed word index from the top 12 bits of r. */
  pick(r: number): number {
    return this.table[r >>> 20]!;
  }

  /** Writes word i at p; returns p + its length. */
  put(dv: DataView, p: number, i: number): number {
    const o = i * this.stride;
    const c = this.chunks;
    dv.setInt32(p, c[o]!, true);
    dv.setInt32(p + 4, c[o + 1]!, true);
    const n = this.len[i]!;
    for (let k = 2; k * 4 < n; k++) dv.setInt32(p + k * 4, c[o + k]!, true);
    return p + n;
  }
}

/** A DataView of the buffer scratchFor() last returned. */
export function scratchView(): DataView {
  return view;
}
