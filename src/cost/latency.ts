/**
 * Latency distributions with bounded memory and a stated error.
 *
 * LatencyHistogram is log-linear in the style of HdrHistogram, built on the
 * bits of the IEEE-754 double itself: a value's bucket is its exponent and
 * the top SUB_BITS (10) bits of its mantissa, so every power-of-two range
 * [2^e, 2^(e+1)) is split into 1024 equal sub-buckets. A bucket is at most
 * 2^-10 of its lower bound wide; a quantile is reported as the midpoint of the
 * bucket holding it, clamped to the exact minimum and maximum seen (and the
 * first and last ranks are the exact minimum and maximum), so its
 * relative error is at most 2^-11 (0.05 %) for zero and every normal double
 * (subnormals, below 2.2e-308 ns, are not latencies). Memory is one counter per
 * non-empty bucket: at most 1024 per octave, about 25,000 for everything from
 * 1 ns to an hour. Bucketing is exact bit arithmetic, so results do not
 * depend on the host. Count and max are exact; the mean is the running sum / count.
 *
 * Quantiles use the nearest-rank definition: the p-quantile of n values is
 * the ceil(p n)-th smallest (the smallest, for p = 0).
 */

export const SUB_BITS = 10;
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

export class LatencyHistogram {
  private readonly counts = new Map<number, number>();
  count = 0;
  sum = 0;
  min = Infinity;
  max = 0;

  /** Record one latency (ns, finite, >= 0). */
  record(ns: number): void {
    if (!(ns >= 0) || ns === Infinity) throw new RangeError(`latency must be a finite number >= 0, got ${ns}`);
    const b = ns === 0 ? ZERO : bucketOf(ns); // -0 too (its sign bit is set)
    this.counts.set(b, (this.counts.get(b) ?? 0) + 1);
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
      while (seen + this.counts.get(keys[k]!)! < ranks[i]!) seen += this.counts.get(keys[k++]!)!;
      out[i] = this.representative(keys[k]!);
    }
    return out;
  }

  quantile(p: number): number {
    return this.quantiles([p])[0]!;
  }

  /** The midpoint of a bucket, clamped to what was seen. */
  private representative(b: number): number {
    if (b === ZERO) return 0;
    const lo = lowerOf(b);
    const hi = lowerOf(b + 1);
    const mid = lo + (hi - lo) / 2;
    return mid < this.min ? this.min : mid > this.max ? this.max : mid;
  }

  /** Fold another histogram into this one. */
  merge(o: LatencyHistogram): void {
    for (const [b, c] of o.counts) this.counts.set(b, (this.counts.get(b) ?? 0) + c);
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
