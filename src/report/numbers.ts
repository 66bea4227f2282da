/**
 * How the text reports spell numbers: en-US thousands separators, a fixed
 * number of decimals for fractions, and a saving (baseline − backend, the
 * report's sign convention) with its sign.
 */

/** An integer as is (1,234); a fraction with `d` decimals (1,234.57); Infinity and NaN by name. */
export function fmt(x: number, d = 2): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return x.toLocaleString('en-US');
  return x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
}

/** Microjoules as millijoules, 3 decimals. */
export const mj = (uj: number): string => fmt(uj / 1000, 3);

/** Nanoseconds as milliseconds, 3 decimals. */
export const ms = (ns: number): string => fmt(ns / 1e6, 3);

/** A saving (baseline − backend) with its sign: +: the backend uses less; -: more. */
export const signed = (show: (x: number) => string) => (x: number): string => (x > 0 ? `+${show(x)}` : show(x));
