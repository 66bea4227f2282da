// Types of validation/guest-cpu.mjs, for the tests (tsconfig.test.json).
export interface Observation { where: string; x: number[]; y: number }
export function observations(dir?: string): Observation[];
export function leastSquares(obs: readonly Observation[]): { coef: number[]; r2: number; rmsS: number };
export function speedOf(fit: { coef: readonly number[] }, obs: readonly Observation[]): { scale: number; r2: number };
