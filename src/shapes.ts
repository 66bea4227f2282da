/**
 * V8 keeps a field that has only held small integers as a small integer (a "Smi", below 2^31),
 * and the first time a larger or fractional number is stored there it changes the object's
 * shape (its map): every function compiled against the old shape is deoptimized at its next
 * use and compiled again. A running total that passes 2^31 (bytes of DRAM traffic, cycles,
 * nanoseconds of simulated time, a trace's time in µs) does that in the middle of a replay,
 * long after the hot path was compiled: in a 2.3M-request replay, five such fields (dramBytes,
 * metaCycles, an op's DRAM mark, the oracleGeneral record's time) set off about 45
 * recompilations after the first 1.3M requests (docs/scale.md, "Shapes that change late").
 *
 * doubleFields stores a fraction in each numeric field of a new object and then its value
 * back: the field is a double from then on, with the same value, and the shape never changes
 * again. Only the first object of a shape pays for it; the objects made after it inherit the
 * double fields. Like errors.ts and arrays.ts it imports nothing.
 */

/**
 * Makes the numeric own fields of `o` double fields (values unchanged); returns `o`. `keys`
 * names the fields (a class's clock and totals, not its small counts and indexes, which are
 * faster as small integers); without it, every numeric field. A named field that is not a
 * number is a programming error (a renamed field), and throws.
 */
export function doubleFields<T extends object>(o: T, keys?: readonly string[]): T {
  const r = o as Record<string, unknown>;
  for (const k of keys ?? Object.keys(r)) {
    const v = r[k];
    if (typeof v !== 'number') {
      if (keys === undefined) continue;
      throw new TypeError(`doubleFields: ${k} is not a numeric field`);
    }
    r[k] = 0.5;
    r[k] = v;
  }
  return o;
}
