/** Parsing helpers for command-line values: each bad value is a UsageError naming the flag. */

import { UsageError } from '../sim/errors.js';
import type { ParamMap } from '../trace/events.js';

export function parseIntFlag(flag: string, v: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^-?\d+$/.test(v.trim())) throw new UsageError(`'${v}' is not an integer`, { field: flag }, `${min}..${max}`);
  const n = Number(v);
  if (n < min || n > max) throw new UsageError(`${n} is out of range`, { field: flag }, `${min}..${max}`);
  return n;
}

/** `-p key=value`, repeatable. */
export function collectParam(v: string, prev: ParamMap = {}): ParamMap {
  const eq = v.indexOf('=');
  if (eq <= 0) throw new UsageError(`'${v}' is not key=value`, { field: '-p' }, 'key=value, e.g. -p max_pool_percent=20');
  return { ...prev, [v.slice(0, eq)]: v.slice(eq + 1) };
}

export function splitList(v: string): string[] {
  return v.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}
