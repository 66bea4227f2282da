/**
 * Typed-array helpers shared by the structures that keep their records in
 * typed arrays and double them as they fill (mm/memory.ts, mm/lru.ts,
 * mm/page-cache.ts, sim/oracle.ts, trace/inspect.ts). Like errors.ts it
 * imports nothing, so any folder may use it without a cycle.
 */

type NumberArray = Int8Array | Uint8Array | Int32Array | Uint32Array | Float64Array;

/** A new array of the same kind as `a` with `cap` (>= a.length) elements: `a`'s first, the rest `fill` (default 0). */
export function grown<T extends NumberArray>(a: T, cap: number, fill = 0): T {
  const b = new (a.constructor as new (n: number) => T)(cap);
  b.set(a);
  if (fill !== 0) b.fill(fill, a.length);
  return b;
}
