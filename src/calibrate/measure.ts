/**
 * tmemsim calibrate: time this host's codecs (the registered compressors, the
 * very code the simulator compresses real bytes with) on a page corpus, and
 * fit fixed + per-byte cycles per compressor and direction.
 *
 * Method: inputs are the first S bytes of each of N pages, for S in SIZES
 * (512 B to a page). For every (size, page) the call is timed over enough
 * repetitions to cover MIN_BATCH_NS (after a warm-up pass), giving the mean
 * time of one call; the time of a size is the median over its pages (robust
 * to a GC pause or an interrupt). Least squares of those medians on S gives
 * fixed ns + ns per byte (fit.ts), converted to cycles at the base profile's
 * clock: cycles = ns x Hz / 1e9. Compression is fitted on input bytes and
 * decompression on output bytes, as the profiles price them.
 *
 * The clock is injectable so tests can check the method without timing anything.
 */

import { createCompressor } from '../compressors/registry.js';
import type { Compressed } from '../compressors/compressor.js';
import { fitLine, type LineFit } from './fit.js';

export const SIZES = [512, 1024, 2048, 3072, 4096] as const;
const MIN_BATCH_NS = 200_000;

export interface CodecFit {
  compressor: string;
  compress: LineFit;
  decompress: LineFit;
  /** Medians per size, ns (for the record). */
  compressNs: number[];
  decompressNs: number[];
}

interface MeasureOptions {
  /** The input pages (each 4096 bytes). */
  pages: readonly Uint8Array[];
  compressors: readonly string[];
  sizes?: readonly number[];
  /** A monotonic clock in ns (default: process.hrtime.bigint). */
  now?: () => number;
  minBatchNs?: number;
}

function defaultNow(): number {
  return Number(process.hrtime.bigint());
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Mean time of one call of f, over enough calls to fill minNs. */
function timeCall(f: () => void, now: () => number, minNs: number): number {
  f(); // warm-up (JIT, wasm memory growth)
  let reps = 1;
  for (;;) {
    const t0 = now();
    for (let i = 0; i < reps; i++) f();
    const dt = now() - t0;
    if (dt >= minNs || reps >= 1 << 16) return dt / reps;
    reps = dt <= 0 ? reps * 16 : Math.min(1 << 16, Math.ceil((reps * minNs * 1.2) / dt));
  }
}

export function measureCodecs(o: MeasureOptions): CodecFit[] {
  const now = o.now ?? defaultNow;
  const sizes = o.sizes ?? SIZES;
  const minNs = o.minBatchNs ?? MIN_BATCH_NS;
  const out: CodecFit[] = [];
  for (const name of o.compressors) {
    const c = createCompressor(name);
    const compressNs: number[] = [];
    const decompressNs: number[] = [];
    for (const size of sizes) {
      const ct: number[] = [];
      const dt: number[] = [];
      const dst = new Uint8Array(size);
      for (const page of o.pages) {
        const src = page.subarray(0, size);
        let z: Compressed = c.compress(src);
        ct.push(timeCall(() => (z = c.compress(src)), now, minNs));
        c.decompress(z, dst);
        for (let i = 0; i < size; i++) if (dst[i] !== src[i]) throw new Error(`${name}: round trip of a ${size}-byte input differs at byte ${i}`);
        const zz = z;
        dt.push(timeCall(() => c.decompress(zz, dst), now, minNs));
      }
      compressNs.push(median(ct));
      decompressNs.push(median(dt));
    }
    out.push({
      compressor: name,
      compress: fitLine(sizes, compressNs),
      decompress: fitLine(sizes, decompressNs),
      compressNs,
      decompressNs,
    });
  }
  return out;
}
