/**
 * Latency distributions with bounded memory and a stated error.
 *
 * LatencyHistogram is log-linear in the style of HdrHistogram, built on the
 * bits of the IEEE-754 double itself: a value's bucket is its exponent and
 * the top SUB_BITS (10) bits of its mantissa, so every power-of-two range
 * [2^e, 2^(e+1)) is split into 1024 equal sub-buckets. A bucket is at most
 * 2^-10 of its lower bound wide; a quantile is reported as the midpoint of the
 * bucket holding it, clamped to the smallest and largest value the bucket
 * has seen (so a bucket of one distinct value — the common case, as every
 * device read costs the same — gives it exactly, and the first and last
 * ranks are the exact minimum and maximum), so its
 * relative error is at most 2^-11 (0.05 %) for zero and every normal double
 * (subnormals, below 2.2e-308 ns, are not latencies). Memory is one counter per
 * non-empty bucket (a count and the bucket's extremes): at most 1024 per octave, about 25,000 for everything from
 * 1 ns to an hour. Bucketing is exact bit arithmetic, so results do not
 * depend on the host. Count and max are exact; the mean is the running sum / count.
 *
 * Quantiles use the nearest-rank definition: the p-quantile of n values is
 * the ceil(p n)-th smallest (the smallest, for p = 0).
 */

import { doubleFields } from '../shapes.js';

const SUB_BITS = 10;
/** The bound on a reported quantile's relative error. */
export const MAX_RELATIVE_ERROR = 2 ** -(SUB_BITS + 1);

const buf = new DataView(new ArrayBuffer(8));
/** High 32 bits of a double: sign, 11 exponent bits, 20 mantissa bits. We keep exponent + top SUB_BITS. */
const SHIFT = 20 - SUB_BITS;

/** Exact zero (nothing charged: a swap-in served from RAM) has a bucket of its own, below every other. */
const ZERO = -1;

function bucketOf(v: number): number {
  buf.setFloat64(0, v);
  return buf.getUint32(0) >>> SHIFT;
}

/** The smallest double in bucket `b`. */
function lowerOf(b: number): number {
  buf.setUint32(0, b << SHIFT);
  buf.setUint32(4, 0);
  return buf.getFloat64(0);
}

export interface LatencyStats {
  count: number;
  mean_ns: number;
  p50_ns: number;
  p95_ns: number;
  p99_ns: number;
  max_ns: number;
}

interface Bucket {
  n: number;
  lo: number;
  hi: number;
}

export class LatencyHistogram {
  private readonly counts = new Map<number, Bucket>();
  count = 0;
  sum = 0;
  min = Infinity;
  max = 0;

  constructor() {
    // The sum passes 2^31 ns (src/shapes.ts).
    doubleFields(this, ['sum', 'max']);
  }

  /** Record one latency (ns, finite, >= 0). */
  record(ns: number): void {
    if (!(ns >= 0) || ns === Infinity) throw new RangeError(`latency must be a finite number >= 0, got ${ns}`);
    const b = ns === 0 ? ZERO : bucketOf(ns); // -0 too (its sign bit is set)
    const e = this.counts.get(b);
    if (e === undefined) this.counts.set(b, { n: 1, lo: ns, hi: ns });
    else {
      e.n++;
      if (ns < e.lo) e.lo = ns;
      else if (ns > e.hi) e.hi = ns;
    }
    this.count++;
    this.sum += ns;
    if (ns < this.min) this.min = ns;
    if (ns > this.max) this.max = ns;
  }

  /** Buckets in use (the memory bound in practice). */
  get buckets(): number {
    return this.counts.size;
  }

  /** Several quantiles (each in [0, 1]) in one sorted walk; 0 for an empty histogram. */
  quantiles(ps: readonly number[]): number[] {
    if (this.count === 0) return ps.map(() => 0);
    const keys = [...this.counts.keys()].sort((a, b) => a - b);
    const ranks = ps.map((p) => {
      if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile must be in [0, 1], got ${p}`);
      return Math.max(1, Math.ceil(p * this.count));
    });
    const out = ps.map(() => 0);
    const order = ranks.map((_, i) => i).sort((a, b) => ranks[a]! - ranks[b]!);
    let seen = 0;
    let k = 0;
    for (const i of order) {
      // The first and last ranks are known exactly.
      if (ranks[i] === 1) {
        out[i] = this.min;
        continue;
      }
      if (ranks[i] === this.count) {
        out[i] = this.max;
        continue;
      }
      while (seen + this.counts.get(keys[k]!)!.n < ranks[i]!) seen += this.counts.get(keys[k++]!)!.n;
      out[i] = this.representative(keys[k]!);
    }
    return out;
  }

  quantile(p: number): number {
    return this.quantiles([p])[0]!;
  }

  /** The midpoint of a bucket, clamped to the values it has seen. */
  private representative(b: number): number {
    if (b === ZERO) return 0;
    const e = this.counts.get(b)!;
    const lo = lowerOf(b);
    const mid = lo + (lowerOf(b + 1) - lo) / 2;
    return mid < e.lo ? e.lo : mid > e.hi ? e.hi : mid;
  }

  /** Fold another histogram into this one. */
  merge(o: LatencyHistogram): void {
    for (const [b, c] of o.counts) {
      const e = this.counts.get(b);
      if (e === undefined) this.counts.set(b, { ...c });
      else {
        e.n += c.n;
        if (c.lo < e.lo) e.lo = c.lo;
        if (c.hi > e.hi) e.hi = c.hi;
      }
    }
    this.count += o.count;
    this.sum += o.sum;
    if (o.min < this.min) this.min = o.min;
    if (o.max > this.max) this.max = o.max;
  }

  stats(): LatencyStats {
    const [p50, p95, p99] = this.quantiles([0.5, 0.95, 0.99]);
    return { count: this.count, mean_ns: this.count === 0 ? 0 : this.sum / this.count, p50_ns: p50!, p95_ns: p95!, p99_ns: p99!, max_ns: this.max };
  }
}
