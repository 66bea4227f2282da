/**
 * How the text reports spell numbers: en-US thousands separators, a fixed
 * number of decimals for fractions, and a saving (baseline − backend, the
 * report's sign convention) with its sign.
 */

/**
 * `x` as `x.toLocaleString('en-US', { minimumFractionDigits: min, maximumFractionDigits: max })`
 * writes it, without ICU (its data took about 20 ms of the first call, and a NumberFormat each
 * call with options about 20 µs: docs/scale.md, "Start-up"). As ICU does, it rounds the shortest
 * decimal that reads back as x (what String(x) writes), not x's exact binary value, half away
 * from zero (1.005 to 2 decimals is 1.01, where toFixed gives 1.00), and keeps the sign of a
 * negative number that rounds to zero (-0.001 → "-0.00", -0 → "-0"). Infinities and NaN as
 * toLocaleString writes them. test/unit/report/numbers.test.ts checks it against toLocaleString.
 */
export function grouped(x: number, max: number, min = 0): string {
  if (!Number.isFinite(x)) return x.toLocaleString('en-US');
  const neg = x < 0 || Object.is(x, -0);
  let s = String(neg ? -x : x);
  let exp = 0;
  const e = s.indexOf('e');
  if (e >= 0) {
    exp = Number(s.slice(e + 1));
    s = s.slice(0, e);
  }
  const dot = s.indexOf('.');
  let digits = dot < 0 ? s : s.slice(0, dot) + s.slice(dot + 1);
  // The value is 0.<digits> x 10^point: `point` digits before the decimal point (may be <= 0).
  let point = (dot < 0 ? s.length : dot) + exp;
  let lead = 0;
  while (lead < digits.length && digits[lead] === '0') lead++;
  digits = digits.slice(lead);
  point -= lead;
  if (digits === '') point = 1;
  const keep = point + max;
  if (keep < digits.length) {
    const up = keep >= 0 && digits.charCodeAt(keep) >= 53; // the first digit dropped is 5 or more
    digits = keep > 0 ? digits.slice(0, keep) : '';
    if (up) {
      let i = digits.length - 1;
      while (i >= 0 && digits[i] === '9') i--;
      if (i < 0) {
        // 9...9 (or nothing left) rounds up to a 1 one place higher.
        digits = '1' + '0'.repeat(digits.length);
        point++;
      } else {
        digits = digits.slice(0, i) + String.fromCharCode(digits.charCodeAt(i) + 1) + '0'.repeat(digits.length - i - 1);
      }
    }
  }
  const int = point > 0 ? digits.slice(0, point).padEnd(point, '0') : '0';
  let frac = point >= 0 ? digits.slice(point) : '0'.repeat(-point) + digits;
  frac = frac.slice(0, max);
  let end = frac.length;
  while (end > min && frac[end - 1] === '0') end--;
  frac = frac.slice(0, end).padEnd(min, '0');
  let body = '';
  for (let i = int.length; i > 0; i -= 3) body = (i > 3 ? ',' : '') + int.slice(Math.max(0, i - 3), i) + body;
  return (neg ? '-' : '') + body + (frac === '' ? '' : `.${frac}`);
}

/** An integer as is (1,234); a fraction with `d` decimals (1,234.57); Infinity and NaN by name. */
export function fmt(x: number, d = 2): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return grouped(x, 0);
  return grouped(x, d, d);
}

/** Microjoules as millijoules, 3 decimals. */
export const mj = (uj: number): string => fmt(uj / 1000, 3);

/** Nanoseconds as milliseconds, 3 decimals. */
export const ms = (ns: number): string => fmt(ns / 1e6, 3);

/** A saving (baseline − backend) with its sign: +: the backend uses less; -: more. */
export const signed = (show: (x: number) => string) => (x: number): string => (x > 0 ? `+${show(x)}` : show(x));
