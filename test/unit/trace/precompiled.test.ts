/**
 * The build's precompiled trace validators (scripts/build-validators.mjs → dist/trace/
 * schema-validators.cjs) against the parts src/trace/validate.ts compiles itself: for every part
 * the build writes, over the shipped workloads' headers and events and mutations of them that
 * break each field in turn, the same verdict and the same first error (what validate.ts shapes its
 * message from: keyword, instancePath, params, propertyName). `npm test` builds dist/ first; with
 * no dist/, the comparison is skipped and the first test fails.
 */

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { newAjv } from '../../../src/ajv.js';
import { AJV_OPTIONS, SCHEMA_URL, partDocuments, schemaDigest, type SchemaRoot } from '../../../src/trace/validate.js';

const ROOT = new URL('../../../', import.meta.url);
const BUILT = new URL('dist/trace/schema-validators.cjs', ROOT);
const text = readFileSync(SCHEMA_URL, 'utf8');
const root = JSON.parse(text) as SchemaRoot;

/** The shipped workloads' headers, and their events: the first 5 of each shape (op and keys). */
function corpus(): { headers: unknown[]; events: unknown[] } {
  const headers: unknown[] = [];
  const events: unknown[] = [];
  const shapes = new Map<string, number>();
  const take = (e: unknown): void => {
    const shape = Object.keys(e as object).sort().join() + (e as { op?: string }).op;
    const n = shapes.get(shape) ?? 0;
    if (n < 5) events.push(e);
    shapes.set(shape, n + 1);
  };
  const dir = new URL('workloads/', ROOT);
  for (const f of readdirSync(dir).sort()) {
    const body = readFileSync(new URL(f, dir), 'utf8');
    if (f.endsWith('.jsonl')) {
      const lines = body.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
      headers.push(JSON.parse(lines[0]!));
      for (const l of lines.slice(1)) take(JSON.parse(l));
    } else if (f.endsWith('.json')) {
      const { events: evs, ...header } = JSON.parse(body) as { events: unknown[] };
      headers.push(header);
      evs.forEach(take);
    }
  }
  return { headers, events };
}

const BAD: unknown[] = [-1, 1.5, 2 ** 60, 'x', '', null, true, {}, [], [1]];

/** Each bound the schema sets (minimum, maximum, exclusiveMinimum, lengths), and one either side: what a number field is also set to. */
const EDGES: number[] = (() => {
  const out = new Set<number>();
  JSON.stringify(root, (key, v: unknown) => {
    if (typeof v === 'number' && /^(minimum|maximum|exclusiveMinimum|minLength|maxLength|minItems|maxItems)$/.test(key)) for (const d of [-1, 0, 1]) out.add(v + d);
    return v;
  });
  return [...out].sort((a, b) => a - b);
})();

/** The value, and copies of it with one field (at any depth up to `depth`) deleted, added or replaced by each of BAD. */
function mutations(v: unknown, depth: number): unknown[] {
  const out: unknown[] = [v];
  if (depth === 0 || v === null || typeof v !== 'object') return out;
  if (Array.isArray(v)) {
    if (v.length > 0) for (const m of mutations(v[0], depth - 1).slice(1)) out.push([m, ...v.slice(1)]);
    return out;
  }
  const o = v as Record<string, unknown>;
  out.push({ ...o, zz_unknown: 1 });
  for (const k of Object.keys(o)) {
    const { [k]: _gone, ...rest } = o;
    out.push(rest);
    for (const b of BAD) out.push({ ...o, [k]: b });
    if (typeof o[k] === 'number') for (const b of EDGES) out.push({ ...o, [k]: b });
    for (const m of mutations(o[k], depth - 1).slice(1)) out.push({ ...o, [k]: m });
  }
  return out;
}

/** Every value inside `v` (itself included). */
function values(v: unknown, into: unknown[] = []): unknown[] {
  into.push(v);
  if (v !== null && typeof v === 'object') for (const x of Object.values(v)) values(x, into);
  return into;
}

const firstError = (e: ErrorObject[] | null | undefined) =>
  e?.[0] === undefined ? null : { keyword: e[0].keyword, instancePath: e[0].instancePath, params: e[0].params, propertyName: e[0].propertyName };

describe('the build\'s precompiled trace validators', () => {
  it('npm run build wrote them from this schema', () => {
    expect(existsSync(BUILT), 'dist/trace/schema-validators.cjs: run npm run build').toBe(true);
    const m = createRequire(import.meta.url)(BUILT.pathname) as Record<string, unknown>;
    expect(m['digest']).toBe(schemaDigest(text));
    // Exactly the parts validate.ts may ask for.
    expect(Object.keys(m).filter((k) => k !== 'digest').sort()).toEqual([...partDocuments(root).keys()].sort());
  });

  it.skipIf(!existsSync(BUILT))('give the same verdicts and first errors as the parts compiled at run time', () => {
    const m = createRequire(import.meta.url)(BUILT.pathname) as Record<string, ValidateFunction>;
    const { headers, events } = corpus();
    const headerInputs = headers.flatMap((h) => mutations(h, 3));
    const eventInputs = events.flatMap((e) => mutations(e, 2));
    const inner = [...headers, ...events].flatMap((x) => values(x));
    const ajv = newAjv(AJV_OPTIONS);
    let compared = 0;
    let rejected = 0;
    for (const [ref, doc] of partDocuments(root)) {
      const runtime = ajv.compile(doc);
      const built = m[ref]!;
      const inputs = ref === '#/$defs/header' ? headerInputs : ref.includes('/oneOf/') ? inner : eventInputs;
      for (const x of inputs) {
        const a = runtime(x);
        const b = built(x);
        const ea = firstError(runtime.errors);
        const eb = firstError(built.errors);
        // expect() only on a difference: its message is built from the input, and there are many.
        if (a !== b || JSON.stringify(ea) !== JSON.stringify(eb)) expect({ ref, x, verdict: b, error: eb }).toEqual({ ref, x, verdict: a, error: ea });
        compared++;
        if (!a) rejected++;
      }
    }
    // The comparison is not vacuous: many inputs, most parts rejecting some of them.
    expect(compared).toBeGreaterThan(40_000);
    expect(rejected).toBeGreaterThan(compared / 4);
  });
});
