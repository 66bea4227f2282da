/**
 * Object ids of imported traces. An id is kept exact when it is an integer
 * up to 2^53 - 1; with `hash-ids=true` (or text ids, `obj-id-is-num=false`)
 * every id is hashed into the page-number space instead: deterministic,
 * 47 bits, so distinct ids may (rarely) collide.
 */

import { fmix32 } from '../../../content/rng.js';
import { bigValue, parseUint, TOO_BIG } from './lines.js';

/** Reports an id error at the current request. */
export type Fail = (what: string, accepted?: string) => never;

/** A 47-bit hash of the 64-bit value hi:lo. */
function hash64(hi: number, lo: number): number {
  const a = fmix32(lo ^ fmix32(hi ^ 0x9e3779b9));
  const b = fmix32(hi ^ fmix32(lo ^ 0x7f4a7c15) ^ a);
  return (a & 0x7fff) * 4294967296 + b;
}

/** A 47-bit hash of the bytes b[s..e). */
function hashBytes(b: Uint8Array, s: number, e: number): number {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ (e - s);
  for (let i = s; i < e; i++) {
    const c = b[i]!;
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h2 >>> 15);
  }
  return hash64(fmix32(h2), fmix32(h1));
}

export class IdPolicy {
  /**
   * @param hash    hash every id (hash-ids=true)
   * @param range   hashed ids fall in 0..range-1 (so that id * obj-pages stays a valid page)
   * @param textIds ids are text, always hashed (obj-id-is-num=false)
   */
  constructor(
    readonly hash: boolean,
    readonly range: number,
    readonly textIds: boolean,
  ) {}

  /** An exact integer id (0..2^53-1). */
  num(v: number): number {
    return this.hash ? hash64(Math.floor(v / 4294967296), v >>> 0) % this.range : v;
  }

  /** A 64-bit id given as hi:lo words (at least 2^53 when not hashed). */
  u64(hi: number, lo: number, fail: Fail): number {
    if (this.hash) return hash64(hi, lo) % this.range;
    return fail(`id ${(BigInt(hi) << 32n) | BigInt(lo)} is beyond 2^53-1`, 'ids up to 2^53-1, or hash-ids=true to hash ids into page numbers');
  }

  /** An id written as text in b[s..e). */
  text(b: Buffer, s: number, e: number, fail: Fail): number {
    if (this.textIds) {
      while (s < e && (b[s] === 32 || b[s] === 9)) s++;
      while (e > s && (b[e - 1] === 32 || b[e - 1] === 9)) e--;
      return hashBytes(b, s, e) % this.range;
    }
    const v = parseUint(b, s, e);
    if (v >= 0) return this.num(v);
    if (v === TOO_BIG) {
      const big = bigValue;
      if (big > 0xffffffffffffffffn) return fail(`id ${big} is beyond 64 bits`, 'unsigned integers below 2^64');
      return this.u64(Number(big >> 32n), Number(big & 0xffffffffn), fail);
    }
    const shown = b.toString('utf8', s, Math.min(e, s + 40)).trim();
    return fail(`'${shown}' is not an unsigned integer`, 'decimal object ids, or obj-id-is-num=false to hash text ids');
  }
}
