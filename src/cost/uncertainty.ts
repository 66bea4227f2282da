/**
 * The uncertainty of a run's energy and CPU figures over the plausible ranges
 * of the profile's constants.
 *
 * A run's charges (cycles by kind, device requests and pages, bytes moved)
 * do not depend on the profile's constants; only their pricing does. So each
 * figure is re-priced from the recorded charges under a profile whose
 * constants are moved within their ranges (`reprice`), without re-running the
 * trace. What is held fixed: the simulated time of each pass (the schedule of
 * the point run), so a constant that changes latency moves idle storage
 * energy only through the device's busy time; and when the device entered
 * its low-power state (the time in it and the number of wake-ups are
 * charges), so a power-state idle timeout's range is not repriced.
 *
 * Every figure is a sum of products in which each constant (or its
 * reciprocal, for clock and latency and sequential rate) appears at most
 * once per product, so it is monotone in each constant separately and its
 * extremes over the box of ranges lie at corners (the one exception, a
 * request of several pages, whose energy has E4k/L4k while busy time has L4k,
 * is covered by the interior samples). The interval of each figure is
 * therefore its minimum and maximum over every corner of the ranges of the
 * constants that move it (2^n, n <= MAX_EXACT), plus SAMPLES seeded interior
 * points; with more constants, SAMPLES seeded corners stand in for all of them
 * and the interval says so (exact: false). Deterministic: same inputs, same
 * interval.
 *
 * The tornado moves one constant at a time to each end of its range, the
 * others at their values, and ranks the constants by the swing of the
 * saving; a constant flips the sign when the saving at one end of its range
 * has the other sign than the point estimate.
 */

import { Mulberry32 } from '../content/rng.js';
import type { CodecCost, Profile, Range } from '../profiles/profile.js';
import type { PassSummary } from '../sim/summary.js';
import { blockIoCycles, energyOf, type EnergyBreakdown } from './energy.js';
import type { CostTotals } from './meter.js';

// duplicates: these constants and Constant are alike in shape only to compressors/zstd.ts's constants and ZstdLib:
// nothing in common.
/** Most constants whose every corner is evaluated (2^16 = 65,536 corners). */
const MAX_EXACT = 16;
/** Seeded interior points (and corners, past MAX_EXACT constants). */
const SAMPLES = 512;

/** One constant of a profile that carries a range. */
interface Constant {
  /** Its path in the profile, e.g. 'cpu.activePowerW' or 'codecs.lz4' (a factor on the codec's cycles). */
  path: string;
  value: number;
  range: Range;
  source: string;
}

/** Every constant of `p` with a range (the run's codec as a factor of 1 on its cycles). */
export function constantsOf(p: Profile, compressor: string | null): Constant[] {
  const out: Constant[] = [];
  const walk = (v: unknown, path: string): void => {
    if (!v || typeof v !== 'object' || Array.isArray(v)) return;
    const o = v as Record<string, unknown>;
    if ('value' in o && 'source' in o) {
      // The idle timeout moves when the device sleeps, which the recorded charges fix (the schedule): not repriced.
      if (o['range'] && !path.endsWith('.idleTimeoutUs')) out.push({ path, value: o['value'] as number, range: o['range'] as Range, source: String(o['source']) });
      return;
    }
    // codecs: the run's codec is one factor (below); clusters: the figures of the
    // clusters not doing tmem work, which price nothing in this run.
    for (const [k, x] of Object.entries(o)) if (k !== 'codecs' && k !== 'clusters') walk(x, path ? `${path}.${k}` : k);
  };
  walk(p, '');
  const c = compressor === null ? undefined : p.codecs[compressor];
  if (c?.range) out.push({ path: `codecs.${compressor}`, value: 1, range: c.range, source: c.source });
  return out;
}

type CodecCosts = { compress: CodecCost; decompress: CodecCost };

/** Each constant's path split at its dots, once: withValues runs at every corner of the ranges (2^n per run). */
const PATH_PARTS = new Map<string, string[]>();
function partsOf(path: string): string[] {
  let parts = PATH_PARTS.get(path);
  if (!parts) PATH_PARTS.set(path, (parts = path.split('.')));
  return parts;
}

/**
 * `p` with the constants at `values` (path -> value; a codec path is a factor
 * on its cycles). Only the objects along the changed paths are copied; the
 * rest is shared with `p` (which is not modified).
 */
export function withValues(p: Profile, values: ReadonlyMap<string, number>): Profile {
  const q = { ...p } as Profile & Record<string, unknown>;
  // Objects already copied for this q (so two paths through one object copy it once).
  const copied = new Set<object>([q]);
  const own = <T extends object>(o: T): T => {
    if (copied.has(o)) return o;
    const c = { ...o };
    copied.add(c);
    return c;
  };
  for (const [path, v] of values) {
    const parts = partsOf(path);
    if (parts[0] === 'codecs') {
      const codecs = own(q.codecs as Record<string, CodecCosts>);
      q.codecs = codecs as Profile['codecs'];
      const c = own(codecs[parts[1]!]!);
      codecs[parts[1]!] = c;
      for (const dir of ['compress', 'decompress'] as const) {
        const d = own(c[dir]);
        c[dir] = d;
        d.fixedCycles *= v;
        d.cyclesPerByte *= v;
      }
      continue;
    }
    let o = q as Record<string, unknown>;
    for (const k of parts) {
      const child = own(o[k] as Record<string, unknown>);
      o[k] = child;
      o = child;
    }
    o['value'] = v;
  }
  return q;
}

/** The factor on the run's codec cycles at `values` (1 when the codec is not moved). */
function codecFactor(values: ReadonlyMap<string, number>, compressor: string | null): number {
  return compressor === null ? 1 : values.get(`codecs.${compressor}`) ?? 1;
}

/**
 * A pass's charges priced under `q` (`p` with the constants at `values`,
 * see withValues) instead of the `p` they were charged under: codec cycles
 * scale with the codec's factor (both fixed and per-byte parts, which is how
 * ranges move them), copy cycles with the copy cost, block I/O cycles with
 * the block path's sum; CPU time is the cycles at q's clock; the simulated
 * time stays the pass's.
 */
export function reprice(s: PassSummary, p: Profile, values: ReadonlyMap<string, number>, compressor: string | null): { energy: EnergyBreakdown; cpu_ns: number } {
  return priceUnder(s, p, withValues(p, values), codecFactor(values, compressor));
}

function priceUnder(s: PassSummary, p: Profile, q: Profile, codec: number): { energy: EnergyBreakdown; cpu_ns: number } {
  const t: CostTotals = s.cost;
  const bio = blockIoCycles(p);
  const cycles =
    t.cpuCycles +
    t.compressCycles * (codec - 1) +
    t.decompressCycles * (codec - 1) +
    t.copyCycles * (q.copy.value / p.copy.value - 1) +
    t.ioCycles * (bio === 0 ? 0 : blockIoCycles(q) / bio - 1);
  const cpuNs = (cycles * 1e9) / q.cpu.hz.value;
  return { energy: energyOf({ ...t, cpuNs }, q, s.sim_time_ns), cpu_ns: cpuNs };
}

/** A figure's point estimate and interval. */
export interface Interval {
  point: number;
  lo: number;
  hi: number;
}

export interface TornadoBar {
  constant: string;
  lo: number;
  hi: number;
  /** The saving (µJ) with the constant at the low and the high end of its range, the others at their values. */
  saving_at_lo_uj: number;
  saving_at_hi_uj: number;
  swing_uj: number;
  /** The saving at one end has the other sign than the point estimate. */
  flips_sign: boolean;
  source: string;
}

export interface Uncertainty {
  /** How the interval was found: every corner (exact) or seeded corners (not exact), plus seeded interior points. */
  method: { constants: number; corners: number; exact: boolean; samples: number; seed: number };
  /** Energy saved against the baseline, µJ (negative: the backend costs energy). */
  saving_uj: Interval;
  /** The saving as a percentage of the baseline's energy. */
  saving_pct: Interval;
  backend: FigureIntervals;
  baseline: FigureIntervals;
  /** Constants ranked by how far they move the saving, largest first (those that do not move it are left out). */
  tornado: TornadoBar[];
  /** The constants that alone can flip the sign of the saving. */
  sign_flipping: string[];
  /** The interval spans zero: the sign is not settled by the model's ranges. */
  sign_uncertain: boolean;
}

export interface FigureIntervals {
  energy_uj: Interval;
  cpu_uj: Interval;
  storage_uj: Interval;
  dram_uj: Interval;
  network_uj: Interval;
  cpu_ns: Interval;
}

type Figures = number[]; // saving, saving %, backend 6, baseline 6

function figures(backend: PassSummary, baseline: PassSummary, p: Profile, values: ReadonlyMap<string, number>, comp: string | null): Figures {
  const q = withValues(p, values);
  const codec = codecFactor(values, comp);
  const b = priceUnder(backend, p, q, codec);
  const a = priceUnder(baseline, p, q, codec);
  const saving = a.energy.total_uj - b.energy.total_uj;
  const pct = a.energy.total_uj === 0 ? 0 : (100 * saving) / a.energy.total_uj;
  const six = (x: { energy: EnergyBreakdown; cpu_ns: number }): number[] => [x.energy.total_uj, x.energy.cpu_uj, x.energy.storage_uj, x.energy.dram_uj, x.energy.network_uj, x.cpu_ns];
  return [saving, pct, ...six(b), ...six(a)];
}

/** Uniform [0, 1) draws from the project's mulberry32 (content/rng.ts), so the samples are the same on every host. */
function rng(seed: number): () => number {
  const m = new Mulberry32(seed);
  return () => m.next() / 4294967296;
}

/** The uncertainty of a run (backend pass against its baseline) over the ranges of `p`'s constants. */
export function uncertaintyOf(backend: PassSummary, baseline: PassSummary, p: Profile, compressor: string | null, seed = 1): Uncertainty {
  const all = constantsOf(p, compressor);
  const point = figures(backend, baseline, p, new Map(), compressor);
  const at = (vals: ReadonlyMap<string, number>): Figures => figures(backend, baseline, p, vals, compressor);
  const tornado: TornadoBar[] = [];
  for (const c of all) {
    const atLo = at(new Map([[c.path, c.range.lo]]));
    const atHi = at(new Map([[c.path, c.range.hi]]));
    const lo = atLo[0]!;
    const hi = atHi[0]!;
    // Constants that move no figure are left out of the corners too.
    const moves = [atLo, atHi].some((f) => f.some((x, i) => Math.abs(x - point[i]!) > 1e-9 * (1 + Math.abs(point[i]!))));
    if (!moves) continue;
    const flips = (x: number): boolean => (point[0]! > 0 && x < 0) || (point[0]! < 0 && x > 0) || (point[0] === 0 && x !== 0);
    tornado.push({ constant: c.path, lo: c.range.lo, hi: c.range.hi, saving_at_lo_uj: lo, saving_at_hi_uj: hi, swing_uj: Math.abs(hi - lo), flips_sign: flips(lo) || flips(hi), source: c.range.source });
  }
  tornado.sort((x, y) => y.swing_uj - x.swing_uj || (x.constant < y.constant ? -1 : 1));
  const moving = all.filter((c) => tornado.some((b) => b.constant === c.path));
  const lo = [...point];
  const hi = [...point];
  const take = (f: Figures): void => {
    for (let i = 0; i < f.length; i++) {
      if (f[i]! < lo[i]!) lo[i] = f[i]!;
      if (f[i]! > hi[i]!) hi[i] = f[i]!;
    }
  };
  const n = moving.length;
  const exact = n <= MAX_EXACT;
  const r = rng(seed);
  const corners = exact ? 2 ** n : SAMPLES;
  for (let k = 0; k < corners; k++) {
    const vals = new Map<string, number>();
    moving.forEach((c, i) => vals.set(c.path, (exact ? (k >>> i) & 1 : r() < 0.5 ? 0 : 1) ? c.range.hi : c.range.lo));
    take(at(vals));
  }
  for (let k = 0; k < SAMPLES; k++) {
    const vals = new Map<string, number>();
    for (const c of moving) vals.set(c.path, c.range.lo + r() * (c.range.hi - c.range.lo));
    take(at(vals));
  }
  const iv = (i: number): Interval => ({ point: point[i]!, lo: lo[i]!, hi: hi[i]! });
  const six = (o: number): FigureIntervals => ({ energy_uj: iv(o), cpu_uj: iv(o + 1), storage_uj: iv(o + 2), dram_uj: iv(o + 3), network_uj: iv(o + 4), cpu_ns: iv(o + 5) });
  return {
    method: { constants: n, corners, exact, samples: SAMPLES, seed },
    saving_uj: iv(0),
    saving_pct: iv(1),
    backend: six(2),
    baseline: six(8),
    tornado,
    sign_flipping: tornado.filter((b) => b.flips_sign).map((b) => b.constant),
    sign_uncertain: lo[0]! < 0 && hi[0]! > 0,
  };
}

/** Seeded corners and seeded interior points of a sweep's shared sample (besides each constant's two ends). */
export const SWEEP_SAMPLES = 32;

/**
 * The constants every configuration of a sweep group (one workload on one
 * profile) shares: every ranged constant of `p` and a factor on each codec's
 * cycles (`codecs.NAME`, one per codec with a range, by name), in a fixed order.
 * A configuration's pricing uses its own codec's factor and ignores the others.
 */
export function sharedConstants(p: Profile): Constant[] {
  const out = constantsOf(p, null);
  for (const name of Object.keys(p.codecs).sort()) {
    const c = p.codecs[name]!;
    if (c.range) out.push({ path: `codecs.${name}`, value: 1, range: c.range, source: c.source });
  }
  return out;
}

/**
 * The points of the ranges a sweep group's configurations are all priced at,
 * the same for each (so their energies compare point by point: the constants
 * are one machine's): each constant alone at the low and then the high end of
 * its range (the others at their values), then SWEEP_SAMPLES seeded corners and
 * SWEEP_SAMPLES seeded interior points of the box of ranges. Deterministic in `seed`.
 */
export function samplePoints(constants: readonly Constant[], seed: number): Map<string, number>[] {
  const out: Map<string, number>[] = [];
  for (const c of constants) {
    out.push(new Map([[c.path, c.range.lo]]));
    out.push(new Map([[c.path, c.range.hi]]));
  }
  const r = rng(seed);
  for (let k = 0; k < SWEEP_SAMPLES; k++) out.push(new Map(constants.map((c) => [c.path, r() < 0.5 ? c.range.lo : c.range.hi])));
  for (let k = 0; k < SWEEP_SAMPLES; k++) out.push(new Map(constants.map((c) => [c.path, c.range.lo + r() * (c.range.hi - c.range.lo)])));
  return out;
}

/** A pass's total energy (µJ) at each point of `points` (see samplePoints), priced as reprice() prices it. */
export function energyAtPoints(s: PassSummary, p: Profile, points: readonly ReadonlyMap<string, number>[], compressor: string | null): number[] {
  return points.map((v) => priceUnder(s, p, withValues(p, v), codecFactor(v, compressor)).energy.total_uj);
}
