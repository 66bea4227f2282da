/** doubleFields (src/shapes.ts): values kept, named fields checked, and the shape V8 gives the object. */

import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { doubleFields } from '../../src/shapes.js';

describe('doubleFields', () => {
  it('keeps every value, numeric or not', () => {
    const o = { a: 0, b: -1, c: 2 ** 40, d: 0.25, s: 'x', n: null, f: false };
    expect(doubleFields(o)).toBe(o);
    expect(o).toEqual({ a: 0, b: -1, c: 2 ** 40, d: 0.25, s: 'x', n: null, f: false });
    expect(Object.is(o.a, 0)).toBe(true); // +0, not -0: a report prints it as 0
  });

  it('touches only the named fields, and throws on a name that is not a numeric field', () => {
    const o = { clock: 5, count: 3, name: 'n' };
    doubleFields(o, ['clock']);
    expect(o).toEqual({ clock: 5, count: 3, name: 'n' });
    expect(() => doubleFields(o, ['name'])).toThrow(/name is not a numeric field/);
    expect(() => doubleFields(o, ['renamed'])).toThrow(/renamed is not a numeric field/);
  });

  it('makes a small-integer field a double field, so that a value past 2^31 later keeps the shape', () => {
    // V8's own view (natives syntax, in a child node): `ref`, made before the store, keeps the shape
    // the object had; a store of 2^31 into a small-integer field leaves it behind, but not after doubleFields.
    const script = `
      const make = () => ({ total: 0, n: 1 });
      const plain = make(), ref = make();
      if (!%HaveSameMap(plain, ref)) throw new Error('two objects of one literal differ before any store');
      plain.total = 2 ** 31;
      const changed = !%HaveSameMap(plain, ref);
      const make2 = () => ({ total: 0, n: 1 });
      const { doubleFields } = await import(${JSON.stringify(new URL('../../dist/shapes.js', import.meta.url).href)});
      const d = doubleFields(make2()), ref2 = make2();
      const before = %HaveSameMap(d, ref2);
      d.total = 2 ** 31;
      console.log(JSON.stringify({ changed, before, after: %HaveSameMap(d, ref2) }));`;
    const r = spawnSync(process.execPath, ['--allow-natives-syntax', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ changed: true, before: true, after: true });
  });
});
