/**
 * Events parsed by a flat-parse template are validated by checking their
 * numbers only (validate.ts): the verdict, and the message of an invalid
 * event, must be the full validator's.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { builtBy, NOT_FLAT, parseFlat, templateSlots, Templates } from '../../../src/trace/formats/flat-parse.js';
import { validateEvent } from '../../../src/trace/validate.js';

describe('templated events', () => {
  it('are valid exactly when the full validator says so', () => {
    const kinds = [
      (n: string[]) => `{"op":"cleancache_put","fs":${n[0]},"inode":${n[1]},"index":${n[2]},"data":{"fill":${n[3]}}}`,
      (n: string[]) => `{"op":"cleancache_get","fs":${n[0]},"inode":${n[1]},"index":${n[2]}}`,
      (n: string[]) => `{"op":"frontswap_store","type":${n[0]},"offset":${n[1]},"data":{"class":"heap","seed":${n[2]}}}`,
      (n: string[]) => `{"t":${n[3]},"op":"anon","pid":${n[0]},"page":${n[1]},"write":true,"data":{"corpus":${n[2]}}}`,
      (n: string[]) => `{"op":"insmod","backend":"zero","params":{"fill":${n[0]},"seed":${n[1]}}}`,
      (n: string[]) => `{"op":"rmmod","rate":${n[0]}}`,
      (n: string[]) => `{"op":"node_down","node":${n[0]},"node":${n[1]}}`,
    ];
    const num = fc.oneof(
      fc.integer({ min: 0, max: 70 }),
      fc.integer({ min: -3, max: 2 ** 33 }),
      fc.constantFrom(0, 1, 7, 8, 31, 32, 63, 64, 255, 256, 2 ** 20 - 1, 2 ** 20, 2 ** 27 - 1, 2 ** 27, 2 ** 32 - 1, 2 ** 32, 2 ** 48 - 1),
      fc.double({ min: -1, max: 300, noNaN: true }),
    ).map((x) => JSON.stringify(Object.is(x, -0) ? 0 : x));
    const loc = { file: 'x.jsonl', line: 1, index: 0 };
    const verdict = (o: unknown): string => {
      try {
        // as the readers call it: with the template that built o, if one did, and its numbers
        validateEvent(o, loc, builtBy(o), templateSlots());
        return 'valid';
      } catch (e) {
        return String(e);
      }
    };
    const templates = new Templates();
    let templated = 0;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: kinds.length - 1 }), fc.array(num, { minLength: 4, maxLength: 4 }), (k, nums) => {
        const text = kinds[k]!(nums);
        const b = Buffer.from(`${text}\n\0`);
        const o = parseFlat(b, 0, b.length - 1, templates);
        if (o === NOT_FLAT) return;
        if (builtBy(o) !== null) templated++;
        expect(verdict(o)).toBe(verdict(JSON.parse(text)));
      }),
      { numRuns: 20000 },
    );
    // the number-only checks were what ran, not the full validator
    expect(templated).toBeGreaterThan(3_000); // about 6,000 of the 20,000 lines here
  });


  it('compile only JSON over the known words, never text a trace could turn into code', () => {
    const templates = new Templates();
    const lines = [
      '{"op":"cleancache_get","fs":1,"inode":2,"index":3}',
      '{"op" : "anon", "page":7,"write":false,\t"data":{"class":"heap","seed":12}}',
      '{"op":"cleancache_get","fs":1,"inode":2,"index":3,"x":"); process.exit(9); ("}',
      '{"op":"cleancache_get","fs":1,"inode":2,"__proto__":{"index":3}}',
      '{"op":"cleancache_get","fs":1,"inode":2,"index":"a\\u0022"}',
    ];
    for (const line of lines) {
      const b = Buffer.from(`${line}\n\0`);
      const o = parseFlat(b, 0, b.length - 1, templates);
      if (o !== NOT_FLAT) expect(o).toEqual(JSON.parse(line));
    }
    // the first two spellings were learnt; the others never reached a compiler
    expect([...templates.bySource.keys()]).toEqual([
      '{"op":"cleancache_get","fs":v[0],"inode":v[1],"index":v[2]}',
      '{"op" : "anon", "page":v[0],"write":false,\t"data":{"class":"heap","seed":v[1]}}',
    ]);
  });
});
