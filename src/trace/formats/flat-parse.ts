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

import { DATA_CLASSES, DATA_KEYS, EVENT_OPS, FIELD_NAMES } from '../events.js';
import type { NumberShape } from '../validate.js';

export const NOT_FLAT: unique symbol = Symbol('not a flat object');

/** After a successful parseFlat: index just past the closing '}'. */
export let flatEnd = 0;
/** After a successful parseFlat: newlines inside the object. */
export let flatNewlines = 0;

/** The trace's vocabulary, from the op table (events.ts): keys, op names, data spec keys and class names. */
const WORDS: readonly string[] = [...new Set(['op', 't', ...FIELD_NAMES, ...DATA_KEYS, ...DATA_CLASSES, ...EVENT_OPS])];
/** Each word's bytes, to compare with the input. */
const WORD_BYTES: readonly Uint8Array[] = WORDS.map((w) => Buffer.from(w, 'latin1'));

/** Longer than every known word. */
const MAX_WORD = Math.max(32, ...WORDS.map((w) => w.length + 1));

/**
 * An open-addressed table of the known words' ids (-1 = empty), hashed by
 * length, first and last byte; any number of words may share a length and a
 * first letter (name, node, note).
 */
const SLOTS = 1024;
const TABLE = new Int16Array(SLOTS).fill(-1);
if (WORDS.length * 4 > SLOTS) throw new Error('flat-parse: too many known words for the table');

function slotOf(len: number, first: number, last: number): number {
  return (Math.imul(len * 128 + first, 0x9e3779b1) ^ Math.imul(last, 0x85ebca6b)) >>> 22;
}

WORDS.forEach((w, id) => {
  let h = slotOf(w.length, w.charCodeAt(0), w.charCodeAt(w.length - 1));
  while (TABLE[h] !== -1) h = (h + 1) & (SLOTS - 1);
  TABLE[h] = id;
});

/** The id of the known word spelled by b[i..j) (ASCII), or -1. */
function word(b: Uint8Array, i: number, j: number): number {
  const len = j - i;
  const c = b[i] as number;
  if (len <= 0 || len >= MAX_WORD || c >= 128) return -1;
  let h = slotOf(len, c, b[j - 1] as number);
  for (;;) {
    const id = TABLE[h] as number;
    if (id < 0) return -1;
    const w = WORD_BYTES[id] as Uint8Array;
    if (w.length === len && w[0] === c && same(b, i, w, len)) return id;
    h = (h + 1) & (SLOTS - 1);
  }
}

function same(b: Uint8Array, i: number, w: Uint8Array, len: number): boolean {
  for (let m = 1; m < len; m++) if (b[i + m] !== w[m]) return false;
  return true;
}

/** Powers of ten that are exact doubles (Clinger's fast path: m / 10^k is correctly rounded). */
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

/** After parseNumber: index just past the number. */
let numEnd = 0;

/**
 * The number whose text starts at b[i] ('-' or a digit), or NaN when it is
 * not one this fast path takes (exponent, more than 15 digits, '1.').
 */
function parseNumber(b: Uint8Array, i: number): number {
  let c = b[i] as number;
  const neg = c === 45;
  if (neg) c = b[++i] as number;
  if (!(c >= 48 && c <= 57)) return NaN;
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
    if (scale === 0) return NaN;
    digits += scale;
  }
  if (c === 101 || c === 69 || digits > 15) return NaN;
  numEnd = i;
  const x = scale === 0 ? m : m / (POW10[scale] as number);
  return neg ? -x : x;
}

/**
 * Parses the flat object starting at b[i] (which must be '{'); its '}' must
 * come before `end`. Returns the object (and sets flatEnd, flatNewlines) or
 * NOT_FLAT. With `templates` (a reader's), objects spelled like an earlier one but for
 * their numbers are read by a template (see below).
 */
export function parseFlat(b: Buffer, i: number, end: number, templates?: Templates): Record<string, unknown> | typeof NOT_FLAT {
  if (templates === undefined) return parseMembers(b, i, end, false);
  const t = matchTemplates(templates, b, i, end);
  if (t !== null) return t;
  const o = parseMembers(b, i, end, false);
  if (o !== NOT_FLAT && flatNewlines === 0 && templates.bySource.size < MAX_TEMPLATES) learn(templates, b, i, flatEnd);
  return o;
}

/** parseFlat without templates (`nested`: the one level of objects inside, which may not nest further). */
function parseMembers(b: Buffer, i: number, end: number, nested: boolean): Record<string, unknown> | typeof NOT_FLAT {
  if (b[i] !== 123) return NOT_FLAT;
  // Members are set one by one: JSON.parse's object, duplicate keys included
  // (first position, last value). Lines spelled alike take a template instead.
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
    // duplicates: the key scan here and the string value scan below are alike: written out in the fast parser's loop,
    // each with its own end.
    const k0 = i + 1;
    let hi = 0;
    c = b[k0] as number;
    i = k0;
    while (c !== 34) {
      if (c < 32 || c === 92) return NOT_FLAT;
      hi |= c;
      c = b[++i] as number;
    }
    const id = hi < 128 ? word(b, k0, i) : -1;
    let key: string;
    if (id >= 0) key = WORDS[id] as string;
    else {
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
      const w = hi < 128 ? word(b, v0, i) : -1;
      v = w >= 0 ? WORDS[w] : b.toString('utf8', v0, i);
      i++;
    } else if ((c >= 48 && c <= 57) || c === 45) {
      const x = parseNumber(b, i);
      if (x !== x) return NOT_FLAT; // NaN: not a plain number
      v = x;
      i = numEnd;
    } else if (c === 116) {
      if (b[i + 1] !== 114 || b[i + 2] !== 117 || b[i + 3] !== 101) return NOT_FLAT;
      v = true;
      i += 4;
    } else if (c === 102) {
      if (b[i + 1] !== 97 || b[i + 2] !== 108 || b[i + 3] !== 115 || b[i + 4] !== 101) return NOT_FLAT;
      v = false;
      i += 5;
    } else if (c === 123 && !nested) {
      v = parseMembers(b, i, end, true);
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

// ---- templates ------------------------------------------------------------------
//
// A trace's lines are machine-written: most events of a kind are spelled
// byte for byte alike but for their numbers, e.g.
//
//   {"op":"cleancache_get","fs":1,"inode":78,"index":330}
//
// A line the member-by-member parse took, on one line, with only known
// words for strings, becomes a template: its bytes cut at the numbers into
// literal segments, and a builder compiled from the line itself with each
// number replaced by a slot (JSON text without '__proto__' is a JavaScript
// object literal that evaluates to what JSON.parse returns):
//
//   (v) => ({"op":"cleancache_get","fs":v[0],"inode":v[1],"index":v[2]})
//
// A later line matches when its bytes are the same segments with a number
// (read by the same parseNumber) between each two: parseMembers would then
// have made the same object, so the template makes it by comparing the
// segments four bytes at a time and parsing only the numbers.

/** A literal segment: its bytes as little-endian 32-bit words, then the 0-3 bytes left. */
class Segment {
  readonly words: Int32Array;
  readonly tail: Uint8Array;
  readonly length: number;
  constructor(bytes: Uint8Array) {
    const n = bytes.length >>> 2;
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    this.words = new Int32Array(n);
    for (let j = 0; j < n; j++) this.words[j] = dv.getInt32(j * 4, true);
    this.tail = Uint8Array.from(bytes.subarray(n * 4)); // a copy (Buffer.slice would be a view)
    this.length = bytes.length;
  }
}

/** A template is a family of events alike but for their numbers: validate.ts checks its objects by their numbers. */
class Template implements NumberShape {
  /**
   * The validator's checks of this template's objects (validate.ts): what
   * the numbers must satisfy for an object to be valid like the first one
   * (null: always validate in full; undefined: not known yet).
   */
  checks: unknown = undefined;
  readonly slotCount: number;
  constructor(
    /** Literal segments; number k sits between segs[k] and segs[k + 1]. */
    readonly segs: readonly Segment[],
    readonly build: (v: readonly number[]) => Record<string, unknown>,
  ) {
    this.slotCount = segs.length - 1;
  }
}

/** The object a template built last, its template and its numbers (builtBy). */
let lastBuilt: object | null = null;
let lastTemplate: Template | null = null;

/**
 * The template `obj` was built by, when it is the last object parseFlat
 * returned and a template built it; its numbers are then templateSlots().
 */
export function builtBy(obj: unknown): Template | null {
  return obj === lastBuilt ? lastTemplate : null;
}

/** The numbers of the object a template built last, by slot. */
export function templateSlots(): readonly number[] {
  return slotVals;
}

/** A reader's templates are learnt from its first distinct spellings (never more: compiling one costs). */
const MAX_TEMPLATES = 64;
/** How many of the most recently used templates a line is tried against. */
const TRIES = 6;

/** The templates one reader learns (parseFlat learns and uses them when given a set). */
export class Templates {
  /** By the builder's source, which names the spelling. */
  readonly bySource = new Map<string, Template>();
  /** Roughly most recently used first. */
  readonly recent: Template[] = [];
}

const slotVals: number[] = [];
let dvOf: Uint8Array | null = null;
let dv: DataView = new DataView(new ArrayBuffer(0));

function matchTemplates(ts: Templates, b: Buffer, i: number, end: number): Record<string, unknown> | null {
  const recent = ts.recent;
  const n = recent.length < TRIES ? recent.length : TRIES;
  if (n === 0) return null;
  if (dvOf !== b) {
    dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    dvOf = b;
  }
  for (let r = 0; r < n; r++) {
    const t = recent[r] as Template;
    const o = match(t, b, i, end);
    if (o !== null) {
      if (r > 0) {
        // move it up one place: kinds of line that alternate settle in front
        recent[r] = recent[r - 1] as Template;
        recent[r - 1] = t;
      }
      return o;
    }
  }
  return null;
}

function match(t: Template, b: Buffer, i: number, end: number): Record<string, unknown> | null {
  const segs = t.segs;
  const last = segs.length - 1;
  const d = dv;
  let p = i;
  for (let k = 0; ; k++) {
    const s = segs[k] as Segment;
    if (p + s.length > end) return null;
    const w = s.words;
    const nw = w.length;
    for (let j = 0; j < nw; j++) {
      if (d.getInt32(p, true) !== w[j]) return null;
      p += 4;
    }
    const tail = s.tail;
    for (let j = 0; j < tail.length; j++) {
      if (b[p] !== tail[j]) return null;
      p++;
    }
    if (k === last) break;
    const c = b[p] as number;
    if (!((c >= 48 && c <= 57) || c === 45)) return null;
    const x = parseNumber(b, p);
    if (x !== x) return null;
    slotVals[k] = x;
    p = numEnd;
  }
  flatEnd = p;
  flatNewlines = 0;
  const o = t.build(slotVals);
  lastBuilt = o;
  lastTemplate = t;
  return o;
}

/** What a template's builder source may consist of (see learn): nothing here can be code. */
const SAFE_SOURCE = /^(?:[{}:,\t\r ]|"[a-z_0-9]+"|v\[\d+\]|true|false)*$/;

/** Makes (or brings forward) the template of the object b[i..end), which parseMembers took. */
function learn(ts: Templates, b: Buffer, i: number, end: number): void {
  const cuts: number[] = [i];
  let p = i;
  while (p < end) {
    const c = b[p] as number;
    if (c === 34) {
      let q = p + 1;
      while (b[q] !== 34) q++;
      if (word(b, p + 1, q) < 0) return; // a string that is not a known word: no template
      p = q + 1;
    } else if (c === 45 || (c >= 48 && c <= 57)) {
      cuts.push(p);
      parseNumber(b, p);
      p = numEnd;
      cuts.push(p);
    } else p++;
  }
  cuts.push(end);
  let src = '';
  for (let k = 0; k < cuts.length; k += 2) {
    if (k > 0) src += `v[${k / 2 - 1}]`;
    src += b.toString('latin1', cuts[k], cuts[k + 1]);
  }
  // parseMembers accepted the line, so src is JSON whose strings are all
  // known words; checked again here, since it is about to be compiled: only
  // punctuation, whitespace, known words, slots and true/false may appear.
  if (!SAFE_SOURCE.test(src)) return;
  let t = ts.bySource.get(src);
  if (t === undefined) {
    const segs: Segment[] = [];
    for (let k = 0; k < cuts.length; k += 2) segs.push(new Segment(b.subarray(cuts[k], cuts[k + 1])));
    t = new Template(segs, new Function('v', `return ${src};`) as Template['build']);
    ts.bySource.set(src, t);
  } else {
    const r = ts.recent.indexOf(t);
    if (r >= 0) ts.recent.splice(r, 1);
  }
  ts.recent.unshift(t);
}
