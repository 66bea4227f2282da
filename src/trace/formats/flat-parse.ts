/**
 * A fast path for the common event shape: a flat JSON object whose values
 * are plain numbers, strings without escapes, true/false, or one level of
 * such objects (data, params), e.g.
 *
 *   {"op":"frontswap_load","type":0,"offset":38336}
 *   {"op":"anon","page":7,"data":{"class":"heap","seed":12}}
 *
 * It reads the UTF-8 bytes directly and returns what JSON.parse would
 * return for them. Keys, op names and class names come from a table of
 * constant strings, so they need no decoding and no new string. Anything
 * else returns NOT_FLAT: deeper nesting, arrays, escapes, control
 * characters, exponents, null, __proto__, or a malformed object. The caller then falls back to
 * JSON.parse, which also words the error. Whitespace is allowed, and
 * newlines are counted.
 *
 * The byte after the caller's window must be a 0 sentinel (ChunkReader
 * keeps one), so no scan runs past the bytes read.
 *
 * Internal to src/trace/formats.
 */

import { EVENT_OPS } from '../events.js';

export const NOT_FLAT: unique symbol = Symbol('not a flat object');

/** After a successful parseFlat: index just past the closing '}'. */
export let flatEnd = 0;
/** After a successful parseFlat: newlines inside the object. */
export let flatNewlines = 0;

const WORDS: readonly string[] = [
  'op', 't', 'type', 'offset', 'slots', 'fs', 'inode', 'index', 'pid', 'page', 'write', 'data', 'uuid',
  'backend', 'params', 'strategy', 'name', 'value', 'class', 'seed', 'fill', 'corpus', 'b64',
  'zero', 'text', 'code', 'random', 'heap',
  ...EVENT_OPS,
];

const MAX_WORD = 32;

/** Two slots per (length, first byte): the known words spelled that way ('' = none). */
const TABLE: string[] = new Array<string>(MAX_WORD * 128 * 2).fill('');
for (const w of WORDS) {
  let h = (w.length * 128 + w.charCodeAt(0)) * 2;
  if (TABLE[h] !== '') h++;
  if (TABLE[h] !== '') throw new Error(`flat-parse: more than two words like '${w}'`);
  TABLE[h] = w;
}

/** The known word spelled by b[i..j) (ASCII), or undefined. */
function word(b: Uint8Array, i: number, j: number): string | undefined {
  const len = j - i;
  if (len <= 0 || len >= MAX_WORD) return undefined;
  const h = (len * 128 + (b[i] as number)) * 2;
  let w = TABLE[h] as string;
  if (w === '') return undefined;
  if (same(b, i, w, len)) return w;
  w = TABLE[h + 1] as string;
  if (w !== '' && same(b, i, w, len)) return w;
  return undefined;
}

function same(b: Uint8Array, i: number, w: string, len: number): boolean {
  for (let m = 1; m < len; m++) if (b[i + m] !== w.charCodeAt(m)) return false;
  return true;
}

/** Powers of ten that are exact doubles (Clinger's fast path: m / 10^k is correctly rounded). */
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * Parses the flat object starting at b[i] (which must be '{'); its '}' must
 * come before `end`. Returns the object (and sets flatEnd, flatNewlines) or
 * NOT_FLAT. `nested` is for the one level of objects inside.
 */
export function parseFlat(b: Buffer, i: number, end: number, nested = false): Record<string, unknown> | typeof NOT_FLAT {
  if (b[i] !== 123) return NOT_FLAT;
  const o: Record<string, unknown> = {};
  let nl = 0;
  let first = true;
  let c = b[++i] as number;
  for (;;) {
    // whitespace before a key or '}'
    while (c === 32 || c === 10 || c === 13 || c === 9) {
      if (c === 10) nl++;
      c = b[++i] as number;
    }
    if (c === 125 && first && i < end) break; // {} (a ',' before '}' is not JSON)
    first = false;
    if (c !== 34) return NOT_FLAT;
    // key
    const k0 = i + 1;
    let hi = 0;
    c = b[k0] as number;
    i = k0;
    while (c !== 34) {
      if (c < 32 || c === 92) return NOT_FLAT;
      hi |= c;
      c = b[++i] as number;
    }
    let key = hi < 128 ? word(b, k0, i) : undefined;
    if (key === undefined) {
      key = b.toString('utf8', k0, i);
      if (key === '__proto__') return NOT_FLAT;
    }
    c = b[++i] as number;
    while (c === 32 || c === 10 || c === 13 || c === 9) {
      if (c === 10) nl++;
      c = b[++i] as number;
    }
    if (c !== 58) return NOT_FLAT;
    c = b[++i] as number;
    while (c === 32 || c === 10 || c === 13 || c === 9) {
      if (c === 10) nl++;
      c = b[++i] as number;
    }
    // value
    let v: unknown;
    if (c === 34) {
      const v0 = i + 1;
      hi = 0;
      c = b[v0] as number;
      i = v0;
      while (c !== 34) {
        if (c < 32 || c === 92) return NOT_FLAT;
        hi |= c;
        c = b[++i] as number;
      }
      v = (hi < 128 ? word(b, v0, i) : undefined) ?? b.toString('utf8', v0, i);
      i++;
    } else if ((c >= 48 && c <= 57) || c === 45) {
      const neg = c === 45;
      if (neg) c = b[++i] as number;
      if (!(c >= 48 && c <= 57)) return NOT_FLAT;
      const start = i;
      let m = 0;
      if (c === 48) {
        c = b[++i] as number;
      } else {
        do {
          m = m * 10 + (c - 48);
          c = b[++i] as number;
        } while (c >= 48 && c <= 57);
      }
      let digits = i - start;
      let scale = 0;
      if (c === 46) {
        c = b[++i] as number;
        const f = i;
        while (c >= 48 && c <= 57) {
          m = m * 10 + (c - 48);
          c = b[++i] as number;
        }
        scale = i - f;
        if (scale === 0) return NOT_FLAT;
        digits += scale;
      }
      if (c === 101 || c === 69 || digits > 15) return NOT_FLAT;
      const x = scale === 0 ? m : m / (POW10[scale] as number);
      v = neg ? -x : x;
    } else if (c === 116) {
      if (b[i + 1] !== 114 || b[i + 2] !== 117 || b[i + 3] !== 101) return NOT_FLAT;
      v = true;
      i += 4;
    } else if (c === 102) {
      if (b[i + 1] !== 97 || b[i + 2] !== 108 || b[i + 3] !== 115 || b[i + 4] !== 101) return NOT_FLAT;
      v = false;
      i += 5;
    } else if (c === 123 && !nested) {
      v = parseFlat(b, i, end, true);
      if (v === NOT_FLAT) return NOT_FLAT;
      i = flatEnd;
      nl += flatNewlines;
    } else {
      return NOT_FLAT;
    }
    o[key] = v;
    c = b[i] as number;
    while (c === 32 || c === 10 || c === 13 || c === 9) {
      if (c === 10) nl++;
      c = b[++i] as number;
    }
    if (c === 44) {
      c = b[++i] as number;
      continue;
    }
    if (c === 125 && i < end) break;
    return NOT_FLAT;
  }
  flatEnd = i + 1;
  flatNewlines = nl;
  return o;
}
