// Types of validation/guest-cpu.mjs, for the tests (tsconfig.test.json).
/** One phase: its terms, its system time (s), and (from observations) its case's compressor (null: zswap off) and zswap stores and loads. */
export interface Observation { where: string; x: number[]; y: number; comp?: string | null; zswpout?: number; zswpin?: number }
export function observations(dir?: string): Observation[];
export function leastSquares(obs: readonly Observation[]): { coef: number[]; r2: number; rmsS: number };
export function speedOf(fit: { coef: readonly number[] }, obs: readonly Observation[]): { scale: number; r2: number };
export function fitted(o: Observation): boolean;
export function codecOf(fit: { coef: readonly number[] }, obs: readonly Observation[], comp: string, s: number): { store: number; load: number; phases: number; r2: number };
