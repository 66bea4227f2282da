/**
 * The zpool allocators tmemsim knows, by the kernel's zpool type name. Add one
 * by writing a file that exports a ZpoolFactory and listing it here.
 */

import type { ZpoolFactory } from './zpool.js';
import { z3foldFactory } from './z3fold.js';
import { zbudFactory } from './zbud.js';
import { zsmallocFactory } from './zsmalloc.js';
import { UsageError, acceptedList } from '../errors.js';

export const ZPOOLS: ReadonlyMap<string, ZpoolFactory> = new Map<string, ZpoolFactory>(
  [zbudFactory, z3foldFactory, zsmallocFactory].map((f) => [f.name, f]),
);

/** The factory registered under `name`, or a UsageError listing the accepted names. */
export function getZpool(name: string): ZpoolFactory {
  const f = ZPOOLS.get(name);
  if (f === undefined) throw new UsageError(`unknown zpool '${name}'`, {}, acceptedList(ZPOOLS.keys()));
  return f;
}
