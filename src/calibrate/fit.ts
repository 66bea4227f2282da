/**
 * The fit behind tmemsim calibrate: ordinary least squares of time on input
 * size, t = fixed + perByte x bytes, with R². When noise drives the
 * intercept below zero (a fixed cost cannot be negative) the line is refitted
 * through the origin, t = perByte x bytes, and the fit says so.
 */

export interface LineFit {
  fixed: number;
  perByte: number;
  /** Coefficient of determination of the line over the points (1 = exact; 0 when y has no spread). */
  r2: number;
  /** true when the intercept was forced to 0. */
  throughOrigin: boolean;
  points: number;
}

export function fitLine(xs: readonly number[], ys: readonly number[]): LineFit {
  const n = xs.length;
  if (n !== ys.length) throw new RangeError(`fitLine: ${n} sizes but ${ys.length} times`);
  if (n < 2) throw new RangeError('fitLine: needs at least two points');
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    sx += xs[i]!;
    sy += ys[i]!;
  }
  const mx = sx / n;
  const my = sy / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (sxx === 0) throw new RangeError('fitLine: needs at least two different sizes');
  let perByte = sxy / sxx;
  let fixed = my - perByte * mx;
  let throughOrigin = false;
  if (fixed < 0) {
    let xx = 0;
    let xy = 0;
    for (let i = 0; i < n; i++) {
      xx += xs[i]! * xs[i]!;
      xy += xs[i]! * ys[i]!;
    }
    perByte = xy / xx;
    fixed = 0;
    throughOrigin = true;
  }
  if (perByte < 0) {
    // Time that falls with size: only noise; the mean is the best constant.
    perByte = 0;
    fixed = my;
    throughOrigin = false;
  }
  let ssRes = 0;
  for (let i = 0; i < n; i++) {
    const e = ys[i]! - (fixed + perByte * xs[i]!);
    ssRes += e * e;
  }
  const r2 = syy === 0 ? (ssRes === 0 ? 1 : 0) : 1 - ssRes / syy;
  return { fixed, perByte, r2, throughOrigin, points: n };
}
