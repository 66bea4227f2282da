import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../../src/trace/events.js';
import { flatEnd, NOT_FLAT, parseFlat, Templates } from '../../../src/trace/formats/flat-parse.js';
import { openTrace } from '../../../src/trace/reader.js';
import { collectAsync, collectSync, HEADER, tempDir, toJsonDoc, toJsonl, traceEvent as event } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('round trip through both writers and both readers', () => {
  it('random valid event arrays read back identically', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(event, { maxLength: 40, size: 'max' }), async (generated) => {
        run++;
        // plain objects, as any JSON reader would give them back
        const events = JSON.parse(JSON.stringify(generated)) as TraceEvent[];
        const doc = openTrace(tmp.file(`p${run}.json`, toJsonDoc(HEADER, events)));
        const lines = openTrace(tmp.file(`p${run}.jsonl`, toJsonl(HEADER, events)));
        const a = collectSync(doc);
        expect(a.map((e) => e.event)).toStrictEqual(events);
        expect(a.map((e) => e.line)).toEqual(events.map((_, i) => i + 2));
        expect(collectSync(lines)).toStrictEqual(a);
        expect(await collectAsync(doc)).toStrictEqual(a);
        const pretty = openTrace(tmp.file(`p${run}.pretty.json`, JSON.stringify({ ...HEADER, events }, null, 1)));
        expect(collectSync(pretty).map((e) => e.event)).toStrictEqual(events);
      }),
      { numRuns: 150 },
    );
  });
});

describe('the flat fast path agrees with JSON.parse', () => {
  let accepted = 0;
  /** parseFlat on the UTF-8 of s (with the 0 sentinel after it) must agree with JSON.parse or decline. */
  const check = (s: string, templates?: Templates): void => {
    const text = Buffer.from(s, 'utf8');
    const b = Buffer.concat([text, Buffer.from([0])]);
    const r = parseFlat(b, 0, text.length, templates);
    if (r === NOT_FLAT) return;
    accepted++;
    let expected: unknown;
    let valid = true;
    try {
      expected = JSON.parse(b.toString('utf8', 0, flatEnd));
    } catch {
      valid = false;
    }
    if (!valid || !isDeepStrictEqual(r, expected) || JSON.stringify(Object.keys(r)) !== JSON.stringify(Object.keys(expected as object))) {
      expect({ input: s, got: r }).toEqual({ input: s, got: valid ? expected : 'a JSON.parse error' });
    }
  };

  it('on random JSON objects, spaced at random', () => {
    const ws = fc.constantFrom('', ' ', '\n', '\t', '\r\n', '  ');
    const flatValue = fc.oneof(
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.boolean(),
      fc.constant(null),
      fc.string({ unit: 'binary', maxLength: 8 }),
      fc.constantFrom('frontswap_store', 'anon', 'op', 'fill', 'inode', 'index'),
    );
    const key = fc.oneof(fc.constantFrom('op', 't', 'type', 'offset', 'inode', 'index', 'data', '__proto__', 'constructor', '0'), fc.string({ maxLength: 6 }));
    const obj = fc.array(fc.tuple(ws, key, ws, ws, fc.oneof(flatValue, fc.jsonValue({ maxDepth: 1 })), ws), { maxLength: 6 }).map(
      (members) =>
        `{${members.map(([a, k, b, c, v, d]) => `${a}${JSON.stringify(k)}${b}:${c}${JSON.stringify(v)}${d}`).join(',')}}`,
    );
    accepted = 0;
    const templates = new Templates();
    fc.assert(fc.property(obj, (s) => check(s, templates)), { numRuns: 3000 });
    expect(accepted).toBeGreaterThan(300);
  });

  it('on number spellings', () => {
    const digits = fc.string({ unit: fc.constantFrom('0', '1', '5', '9'), minLength: 1, maxLength: 18 });
    const num = fc
      .tuple(fc.constantFrom('', '-', '+'), digits, fc.option(digits), fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '-', '+'), digits)))
      .map(([sign, a, b, e]) => `${sign}${a}${b === null ? '' : `.${b}`}${e === null ? '' : e.join('')}`);
    accepted = 0;
    fc.assert(fc.property(num, (n) => check(`{"t":${n}}`)), { numRuns: 3000 });
    expect(accepted).toBeGreaterThan(100);
    for (const n of ['0', '-0', '00', '01', '1.', '.5', '-', '1e5', '0.1', '0.30000000000000004', '123456789012345', '1234567890123456', '9007199254740993']) {
      check(`{"t":${n}}`);
    }
  });

  it('templates: a line spelled like an earlier one but for its numbers parses as JSON.parse does', () => {
    // A template is learnt from the first spelling (word strings only) and used for the next,
    // whose number slots may hold anything: numbers, or text the fast path must decline.
    const words = fc.constantFrom('op', 'fs', 'inode', 'index', 'data', 'fill', 'seed', 'class', 't', 'type', 'offset', 'write');
    const num = fc.oneof(
      fc.integer({ min: -1e6, max: 1e12 }).map(String),
      fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 }).map((x) => JSON.stringify(x)),
      fc.constantFrom('0', '-0', '01', '1.', '.5', '-', '1e5', '1E-2', '0.30000000000000004', '1234567890123456', '9007199254740993', '"x"', 'true', '[1]', 'null'),
    );
    const ws = fc.constantFrom('', ' ', '\t');
    const member = fc.tuple(words, ws, fc.oneof(fc.constant('N'), fc.constantFrom('"cleancache_put"', '"heap"', 'true', 'false')));
    const shape = fc.array(member, { minLength: 1, maxLength: 6 }).chain((members) => {
      const slots = members.filter(([, , v]) => v === 'N').length;
      const nested = fc.boolean();
      return fc.tuple(fc.constant(members), nested, fc.array(num, { minLength: slots + 1, maxLength: slots + 1 }), fc.array(num, { minLength: slots + 1, maxLength: slots + 1 }));
    });
    const spell = (members: [string, string, string][], nested: boolean, nums: string[]): string => {
      let k = 0;
      const inner = members.map(([key, w, v]) => `"${key}":${w}${v === 'N' ? nums[k++] : v}`);
      if (nested) inner.push(`"data":{"fill":${nums[k++]}}`);
      return `{${inner.join(',')}}`;
    };
    accepted = 0;
    fc.assert(
      fc.property(shape, ([members, nested, a, b]) => {
        const templates = new Templates();
        // the first spelling only with plain integers, so that it is learnt
        check(spell(members, nested, a.map((_, i) => String(i * 7))), templates);
        check(spell(members, nested, a), templates);
        check(spell(members, nested, b), templates);
      }),
      { numRuns: 3000 },
    );
    expect(accepted).toBeGreaterThan(3000);
  });

  it('never accepts text that JSON.parse rejects', () => {
    const alphabet = fc.constantFrom('{', '}', '"', ':', ',', ' ', 'op', 'a', '1', '-', '.', 'e', 'true', 'fals', 'null', '\\', '\n', '[', ']', '\u0001');
    const junk = fc.array(alphabet, { maxLength: 24 }).map((parts) => `{${parts.join('')}`);
    accepted = 0;
    const templates = new Templates();
    fc.assert(fc.property(junk, (s) => check(s, templates)), { numRuns: 20000 });
    expect(accepted).toBeGreaterThan(100);
  });
});
