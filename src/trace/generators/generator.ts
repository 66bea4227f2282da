/**
 * Trace generators: seeded synthetic workloads written as trace v1 (mm-level
 * `anon` and `file` events after a header). One file per kind, registered in
 * registry.ts; `tmemsim trace generate KIND` and generateTrace() drive them
 * (src/trace/generate.ts).
 *
 * A generator is a pure function of (seed, params, corpus page count): it
 * draws from its own Rng only, never from the clock or Math.random, so a seed
 * gives the same events, byte for byte, on every run and every machine.
 */

import type { TraceConfig, TraceEvent, ContentConfig } from '../events.js';
import { Rng } from '../../content/rng.js';

/** A numeric parameter of a generator (`--param name=value`). */
interface GeneratorParam {
  readonly name: string;
  readonly default: number;
  readonly min: number;
  readonly max: number;
  /** Whether only integers are accepted. */
  readonly integer: boolean;
  readonly doc: string;
}

/** Parameter values by name, every declared parameter present. */
export type GeneratorParams = Readonly<Record<string, number>>;

/** What a generator is given besides its parameters. */
export interface GeneratorContext {
  /** Pages of the corpus anonymous pages sample their bytes from; 0 = no corpus (the content classes). */
  readonly corpusPages: number;
}

export interface TraceGenerator {
  readonly name: string;
  readonly description: string;
  readonly params: readonly GeneratorParam[];
  /** The header's config (without seed: the driver sets it) and content section. */
  header(p: GeneratorParams): { config: TraceConfig; content: ContentConfig };
  /**
   * The events, endless or finite: the driver takes as many as asked for.
   * Event objects may not be reused between yields.
   */
  events(p: GeneratorParams, rng: Rng, ctx: GeneratorContext): Iterator<TraceEvent>;
}

export function param(name: string, def: number, min: number, max: number, doc: string, integer = true): GeneratorParam {
  return { name, default: def, min, max, integer, doc };
}

/**
 * Samples ranks 0..n-1 with P(r) ∝ 1/(r+1)^s (Zipf), by binary search in a
 * cumulative table. s = 0 is uniform.
 */
export class Zipf {
  private readonly cum: Float64Array;

  constructor(readonly n: number, s: number) {
    this.cum = new Float64Array(n);
    let acc = 0;
    for (let r = 0; r < n; r++) {
      acc += 1 / Math.pow(r + 1, s);
      this.cum[r] = acc;
    }
  }

  sample(rng: Rng): number {
    const cum = this.cum;
    const u = rng.next() * cum[this.n - 1]!;
    let lo = 0;
    let hi = this.n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cum[mid]! > u) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

/** Picks a key of `mix` with probability proportional to its weight (keys in declaration order). */
export function pickClass(rng: Rng, mix: Readonly<Record<string, number>>): string {
  let total = 0;
  for (const w of Object.values(mix)) total += w;
  let u = rng.next() * total;
  let last = '';
  for (const [k, w] of Object.entries(mix)) {
    last = k;
    if (u < w) return k;
    u -= w;
  }
  return last;
}

/**
 * The bytes of an anonymous page a generator writes: a content class drawn
 * from `mix`, or, with a corpus, a corpus page drawn uniformly.
 */
export function anonData(rng: Rng, mix: Readonly<Record<string, number>>, ctx: GeneratorContext): string | { corpus: number } {
  if (ctx.corpusPages > 0) return { corpus: rng.int(ctx.corpusPages) };
  return pickClass(rng, mix);
}

/**
 * One touch of an anonymous page: a write (new bytes drawn as anonData
 * draws them) with probability `pWrite`, else a read.
 */
export function anonTouch(rng: Rng, pid: number, page: number, pWrite: number, mix: Readonly<Record<string, number>>, ctx: GeneratorContext): TraceEvent {
  return rng.next() < pWrite ? { op: 'anon', pid, page, write: true, data: anonData(rng, mix, ctx) } : { op: 'anon', pid, page };
}

/**
 * The header config every generator writes: zcache, one swap area of
 * `swapPages` pages (at least 1024), filesystem 1 mounted, and anything
 * kind-specific in `extra`.
 */
export function zcacheConfig(description: string, ramMb: number, profiles: string[], swapPages: number, extra: Partial<TraceConfig> = {}): TraceConfig {
  return {
    description,
    ram_mb: ramMb,
    backend: 'zcache',
    profile: profiles,
    swap: [{ type: 0, slots: Math.max(1024, Math.ceil(swapPages)) }],
    mounts: [{ fs: 1 }],
    ...extra,
  };
}

/** An integer uniformly in [lo, hi]. */
export function between(rng: Rng, lo: number, hi: number): number {
  return lo + rng.int(hi - lo + 1);
}
