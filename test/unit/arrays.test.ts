/** grown() (src/arrays.ts): the old elements first, the new ones `fill`, the same kind of array. */

import { describe, expect, it } from 'vitest';
import { grown } from '../../src/arrays.js';

describe('grown', () => {
  it('copies, keeps the kind, and fills the new elements', () => {
    const a = Int32Array.of(5, -6, 7);
    const b = grown(a, 6, -1);
    expect(b).toBeInstanceOf(Int32Array);
    expect([...b]).toEqual([5, -6, 7, -1, -1, -1]);
    expect([...a]).toEqual([5, -6, 7]); // the old array is left as it was
    const f = grown(Float64Array.of(0.5, 2 ** 40), 4);
    expect(f).toBeInstanceOf(Float64Array);
    expect([...f]).toEqual([0.5, 2 ** 40, 0, 0]);
    const i8 = grown(Int8Array.of(-1), 3, -1);
    expect([...i8]).toEqual([-1, -1, -1]);
  });
});
