/**
 * Whether calibration measurements can be trusted: the measurement is repeated
 * in rounds until each codec's time per 4 KiB page is stable (the last
 * STABLE_ROUNDS rounds within MAX_SPREAD of their median) or MAX_ROUNDS are
 * done; a fit is poor when its R² is below MIN_R2 or its spread over the
 * rounds exceeds MAX_SPREAD, and then calibrate writes no profile (unless
 * forced).
 */

import { PAGE_SIZE } from '../content/page.js';
import type { CodecFit } from './measure.js';

export const MIN_R2 = 0.9;
export const MAX_SPREAD = 0.1;
const STABLE_ROUNDS = 3;
export const MAX_ROUNDS = 6;

/** One fit's time for a 4 KiB page, ns. */
export function pageNs(f: { fixed: number; perByte: number }): number {
  return f.fixed + f.perByte * PAGE_SIZE;
}

interface FitQuality {
  compressor: string;
  direction: 'compress' | 'decompress';
  r2: number;
  /** (max - min) / median of the page time over the rounds judged. */
  spread: number;
  poor: boolean;
}

function spreadOf(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const med = s[Math.floor((s.length - 1) / 2)]!;
  return med === 0 ? 0 : (s[s.length - 1]! - s[0]!) / med;
}

/** The quality of the last round's fits, judged over the last STABLE_ROUNDS rounds (all of them when fewer). */
export function fitQuality(rounds: readonly (readonly CodecFit[])[]): FitQuality[] {
  const last = rounds.slice(-STABLE_ROUNDS);
  const out: FitQuality[] = [];
  for (const f of rounds[rounds.length - 1] ?? []) {
    for (const direction of ['compress', 'decompress'] as const) {
      const times = last.map((r) => pageNs(r.find((x) => x.compressor === f.compressor)![direction]));
      const spread = spreadOf(times);
      const r2 = f[direction].r2;
      out.push({ compressor: f.compressor, direction, r2, spread, poor: !(r2 >= MIN_R2) || spread > MAX_SPREAD });
    }
  }
  return out;
}

/** Enough rounds: at least STABLE_ROUNDS and every fit's spread within MAX_SPREAD, or MAX_ROUNDS. */
export function stable(rounds: readonly (readonly CodecFit[])[]): boolean {
  if (rounds.length >= MAX_ROUNDS) return true;
  if (rounds.length < STABLE_ROUNDS) return false;
  return fitQuality(rounds).every((q) => q.spread <= MAX_SPREAD);
}
