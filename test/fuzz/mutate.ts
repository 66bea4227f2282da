/**
 * Structure-aware mutators for the fuzz suite (test/fuzz/fuzz.test.ts): each
 * input format is mutated as what it is — a JSON document by its tree (a field
 * deleted, retyped, set to an edge value, nested deep), JSONL line by line, a
 * .tmtb file by its bytes (f64 fields set to Infinity or NaN, varints made
 * endless, truncation) — plus plain byte and text damage for all of them.
 * Every draw comes from one seeded generator, so a case is reproduced by its
 * seed and number.
 */

import { Mulberry32 } from '../../src/content/rng.js';

/** Draws from mulberry32 (src/content/rng.ts), the suite's only source of randomness. */
export class Rng {
  private readonly m: Mulberry32;
  constructor(seed: number) {
    this.m = new Mulberry32(seed);
  }
  /** A uniform number in [0, 1). */
  next(): number {
    return this.m.next() / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function deep(n: number, inner: Json = 1): Json {
  let v: Json = inner;
  for (let i = 0; i < n; i++) v = [v];
  return v;
}

/** Values a hostile input puts where something else belongs. */
const EDGE: (() => Json)[] = [
  () => null, () => true, () => false, () => 0, () => -1, () => 1.5, () => -0.5,
  () => 1e308, () => -1e308, () => 2 ** 53, () => 2 ** 53 + 2, () => 2 ** 32, () => 4294967295, () => 2 ** 26 + 1, () => 1e-9, () => 1e300,
  () => '', () => 'x', () => 'a\nb\r\u0000\u001b[31m\u2028', () => 'z'.repeat(5000), () => '1e999', () => 'NaN', () => '../../../../etc/passwd',
  () => [], () => {
    return {};
  }, () => deep(3000), () => ({ op: 'anon' }), () => [1, 'two', null], () => ({ value: 1e308, source: 'x' }),
];

function edge(r: Rng): Json {
  return r.pick(EDGE)();
}

/** Every (container, key) pair of a document, bounded. */
function slots(doc: Json, max = 400): { parent: Json[] | { [k: string]: Json }; key: string | number }[] {
  const out: { parent: Json[] | { [k: string]: Json }; key: string | number }[] = [];
  const stack: Json[] = [doc];
  while (stack.length > 0 && out.length < max) {
    const v = stack.pop()!;
    if (Array.isArray(v)) v.forEach((x, i) => (out.push({ parent: v, key: i }), stack.push(x)));
    else if (v !== null && typeof v === 'object') for (const k of Object.keys(v)) out.push({ parent: v, key: k }), stack.push(v[k]!);
  }
  return out;
}

function tweakNumber(r: Rng, n: number): Json {
  return r.pick([n + 1, n - 1, -n, n * 2 ** (1 + r.int(40)), n / 3, n + 0.5, Number.MAX_SAFE_INTEGER, n * 1e300]);
}

/** One structural change to a parsed JSON document (in place; returns the document, which may be replaced whole). */
export function mutateJson(r: Rng, doc: Json): Json {
  const s = slots(doc);
  if (s.length === 0 || r.chance(0.03)) return edge(r);
  const { parent, key } = r.pick(s);
  const get = (): Json => (parent as Record<string | number, Json>)[key]!;
  const set = (v: Json): void => {
    (parent as Record<string | number, Json>)[key] = v;
  };
  const cur = get();
  switch (r.int(8)) {
    case 0: // delete
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key as string];
      break;
    case 1:
    case 2:
      set(edge(r));
      break;
    case 3: // retype
      set(typeof cur === 'number' ? String(cur) : typeof cur === 'string' ? Number(cur) || cur.length : typeof cur === 'boolean' ? Number(cur) : cur === null ? 0 : JSON.stringify(cur));
      break;
    case 4:
      set(typeof cur === 'number' ? tweakNumber(r, cur) : edge(r));
      break;
    case 5: // an unknown key, or a duplicate element
      if (Array.isArray(parent)) parent.splice(key as number, 0, typeof cur === 'object' && cur !== null ? JSON.parse(JSON.stringify(cur)) : cur);
      else parent[r.pick(['extra', '__proto__', 'constructor', 'op', 'value', 'extends'])] = edge(r);
      break;
    case 6: // wrap
      set(r.chance(0.5) ? [cur] : { value: cur });
      break;
    default: {
      // borrow another node's value
      const o = r.pick(s);
      const v = (o.parent as Record<string | number, Json>)[o.key] ?? null;
      set(typeof v === 'object' && v !== null ? JSON.parse(JSON.stringify(v) ?? 'null') : v);
      break;
    }
  }
  return doc;
}

/** Damage to text: truncate, a byte changed, junk inserted, a span doubled. */
export function mutateText(r: Rng, text: string): string {
  if (text.length === 0) return r.pick(['{', '[', '"', '\u0000', '1e999']);
  const at = r.int(text.length);
  switch (r.int(6)) {
    case 0:
      return text.slice(0, at);
    case 1:
      return text.slice(0, at) + String.fromCharCode(r.int(256)) + text.slice(at + 1);
    case 2:
      return text.slice(0, at) + r.pick(['\n', '\u0000', '{', '}', ']', ',', '"', '\\', '1e999', '-', 'null', '[[[[[[[[', '\ufeff']) + text.slice(at);
    case 3: {
      const end = Math.min(text.length, at + 1 + r.int(200));
      return text.slice(0, end) + text.slice(at, end) + text.slice(end);
    }
    case 4:
      return '['.repeat(2000 + r.int(8000)) + text;
    default:
      return text.slice(0, at) + text.slice(at + 1 + r.int(20));
  }
}

/** A JSON document: mostly structural, sometimes textual, a few changes stacked. */
export function mutateJsonText(r: Rng, text: string): string {
  let doc = JSON.parse(text) as Json;
  const n = 1 + r.int(3);
  for (let i = 0; i < n; i++) doc = mutateJson(r, doc);
  let out = JSON.stringify(doc) ?? 'null';
  if (r.chance(0.15)) out = mutateText(r, out);
  return out;
}

/** JSONL: one line mutated as JSON, or lines dropped, doubled, swapped, or garbage. */
export function mutateJsonl(r: Rng, text: string): string {
  const lines = text.split('\n').filter((l) => l !== '');
  const i = r.int(lines.length);
  switch (r.int(6)) {
    case 0:
      lines.splice(i, 1);
      break;
    case 1:
      lines.splice(i, 0, lines[i]!);
      break;
    case 2: {
      const j = r.int(lines.length);
      [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      break;
    }
    case 3:
      lines[i] = mutateText(r, lines[i]!);
      break;
    default:
      lines[i] = mutateJsonText(r, lines[i]!);
  }
  return lines.join('\n') + (r.chance(0.9) ? '\n' : '');
}

/** Binary (.tmtb, corpus): f64 fields set to edge values, endless varints, flips, truncation, junk. */
export function mutateBytes(r: Rng, b: Uint8Array): Uint8Array {
  const out = Buffer.from(b);
  if (out.length === 0) return Buffer.from([r.int(256)]);
  const at = r.int(out.length);
  switch (r.int(7)) {
    case 0:
      return out.subarray(0, at);
    case 1:
      out[at] = r.int(256);
      return out;
    case 2:
      out[at] = out[at]! ^ (1 << r.int(8));
      return out;
    case 3: {
      if (at + 8 > out.length) return out;
      out.writeDoubleLE(r.pick([Infinity, -Infinity, NaN, 1e300, -1, 2 ** 53, 0.5, 4294967295]), at);
      return out;
    }
    case 4: // an endless varint
      out.fill(0xff, at, Math.min(out.length, at + 10));
      return out;
    case 5: {
      const junk = Buffer.alloc(1 + r.int(64));
      for (let i = 0; i < junk.length; i++) junk[i] = r.int(256);
      return Buffer.concat([out.subarray(0, at), junk, out.subarray(at)]);
    }
    default: {
      const end = Math.min(out.length, at + 1 + r.int(64));
      return Buffer.concat([out.subarray(0, end), out.subarray(at, end), out.subarray(end)]);
    }
  }
}
