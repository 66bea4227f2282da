/** The reclaim policies, one file per kernel era. */

import { UsageError } from '../../errors.js';
import { linux61, linux61Cfs, linux61CfsBuddy } from './linux-6.1.js';
import { lru3x } from './lru-3x.js';
import type { ReclaimFactory } from './reclaim.js';

const RECLAIMS: readonly ReclaimFactory[] = [linux61, linux61Cfs, linux61CfsBuddy, lru3x];

export const DEFAULT_RECLAIM = '6.1-cfs-buddy';

export function reclaimNames(): string[] {
  return RECLAIMS.map((r) => r.name);
}

export function getReclaim(name: string, field = 'reclaim'): ReclaimFactory {
  const r = RECLAIMS.find((x) => x.name === name);
  if (!r) throw new UsageError(`unknown reclaim '${name}'`, { field }, reclaimNames().join(', '));
  return r;
}
