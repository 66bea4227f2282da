/**
 * Seeded pseudo-random numbers for page contents.
 *
 * sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, 128-bit state,
 * period >= 2^32) seeded through splitmix32, so that any 32-bit seed, even 0,
 * gives a well-mixed state. Not cryptographic; chosen because it is a handful
 * of 32-bit adds, xors and shifts per output, with good statistical quality
 * for its size.
 */

const TWO_32 = 4294967296;
const INV_2_32 = 1 / TWO_32;

// duplicates: alike in shape to mix32 below: two finalisers with their own shifts and multipliers, see there.
/** MurmurHash3's 32-bit finaliser fmix32 (as unsigned); also splitmix32's output step. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

// duplicates: alike in shape to fmix32 above: another finaliser (other shifts and multipliers), kept for the streams it
// seeds.
/** A 32-bit finaliser with good avalanche (Wellons' "lowbias32"); not fmix32. */
function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/**
 * Combines two non-negative integers (each up to 2^53) into one 32-bit seed.
 * Deterministic, order-sensitive (mixSeed(a, b) != mixSeed(b, a) in general),
 * and every bit of both inputs reaches every bit of the output.
 */
export function mixSeed(a: number, b: number): number {
  const aLo = a >>> 0;
  const aHi = Math.floor(a / TWO_32) >>> 0;
  const bLo = b >>> 0;
  const bHi = Math.floor(b / TWO_32) >>> 0;
  let h = mix32(aLo ^ 0x9e3779b9);
  h = mix32((h ^ aHi) + 0x85ebca6b);
  h = mix32((h ^ bLo) + 0xc2b2ae35);
  h = mix32((h ^ bHi) + 0x27d4eb2f);
  return h;
}

export class Rng {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;

  constructor(seed: number) {
    this.reseed(seed);
  }

  /** Restarts the sequence from `seed` (any number; only its low 32 bits count). */
  reseed(seed: number): void {
    // splitmix32 expands the seed into the four state words.
    let s = seed >>> 0;
    const next = (): number => {
      s = (s + 0x9e3779b9) | 0;
      return fmix32(s) | 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = 1; // the counter word; sfc32's reference seeding starts it at 1
    for (let i = 0; i < 12; i++) this.bits();
  }

  /**
   * 32 random bits as a signed int32. The cheapest draw: V8 keeps it an
   * integer, where an unsigned value above 2^31 becomes a double (and `%` on
   * a double is a slow runtime call). Use with masks and `>>>` shifts.
   */
  bits(): number {
    const a = this.a, b = this.b, c = this.c, d = this.d;
    const t = (((a + b) | 0) + d) | 0;
    this.d = (d + 1) | 0;
    this.a = b ^ (b >>> 9);
    this.b = (c + (c << 3)) | 0;
    this.c = (((c << 21) | (c >>> 11)) + t) | 0;
    return t;
  }

  /** A uniform unsigned 32-bit integer. */
  nextU32(): number {
    return this.bits() >>> 0;
  }

  /** A uniform number in [0, 1). */
  next(): number {
    return (this.bits() >>> 0) * INV_2_32;
  }

  /** A uniform integer in [0, n) for 1 <= n <= 2^32 (multiply, not modulo). */
  int(n: number): number {
    return Math.floor((this.bits() >>> 0) * INV_2_32 * n);
  }
}

/**
 * mulberry32 (Tommy Ettinger's 32-bit generator), as validation/workload.c
 * draws it: the vmix page bytes and rread's page order; also the fuzz
 * suite's generator. next() is an unsigned 32-bit integer.
 */
export class Mulberry32 {
  private s = 0;
  constructor(seed: number) {
    this.reset(seed);
  }
  /** Restarts the sequence from `seed` (its low 32 bits). */
  reset(seed: number): void {
    this.s = seed | 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) | 0;
    let z = this.s;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return (z ^ (z >>> 14)) >>> 0;
  }
}
