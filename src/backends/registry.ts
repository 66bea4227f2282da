/**
 * The backend registry: backend name → factory. One entry per backend file;
 * add new backends here.
 */

import type { BackendFactory } from './backend.js';
import { ramsterFactory } from './ramster/ramster.js';
import { xenTmemFactory } from './xen-tmem/xen-tmem.js';
import { zcacheFactory } from './zcache/zcache.js';
import { zswapFactory } from './zswap.js';
import { UsageError, acceptedList, type Where } from '../errors.js';

export const BACKENDS: ReadonlyMap<string, BackendFactory> = new Map<string, BackendFactory>([
  [zcacheFactory.name, zcacheFactory],
  [zswapFactory.name, zswapFactory],
  [xenTmemFactory.name, xenTmemFactory],
  [ramsterFactory.name, ramsterFactory],
]);

/** Names of the registered backends, in registration order. */
export function backendNames(): string[] {
  return [...BACKENDS.keys()];
}

/**
 * The factory registered under `name`, or a UsageError at `where` listing the accepted names
 * (`alsoAccepted` first: a caller's own names, such as the CLI's 'none').
 */
export function getBackendFactory(name: string, where: Where = {}, alsoAccepted: readonly string[] = []): BackendFactory {
  const f = BACKENDS.get(name);
  if (f === undefined) throw new UsageError(`unknown backend '${name}'`, where, acceptedList([...alsoAccepted, ...BACKENDS.keys()]));
  return f;
}
