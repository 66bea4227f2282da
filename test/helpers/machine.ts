/**
 * A simulated Machine for tests: real content, real compressors, the ssd
 * profile's costs, bytes verified. Options override any of them.
 */

import type { BackendFactory } from '../../src/backends/backend.js';
import { getBackendFactory } from '../../src/backends/registry.js';
import { CachingCompressionService } from '../../src/compressors/cache.js';
import { ContentSource } from '../../src/content/source.js';
import { costModelOf } from '../../src/cost/model.js';
import { getProfile } from '../../src/profiles/registry.js';
import { Machine } from '../../src/sim/machine.js';
import { DEFAULT_RECLAIM, getReclaim } from '../../src/mm/reclaim/registry.js';
import type { ReclaimFactory, ZoneLayout } from '../../src/mm/reclaim/reclaim.js';

export interface TestMachineOptions {
  ramPages?: number;
  /** Pages the kernel keeps (config.kernel_pages). */
  kernelPages?: number;
  seed?: number;
  writethrough?: boolean;
  verifyBytes?: boolean;
  /** A fixed backend factory (a test double); default: the registry. */
  factory?: BackendFactory;
  /** The reclaim policy (default: DEFAULT_RECLAIM). */
  reclaim?: ReclaimFactory;
  /** Memory zones and min_free_kbytes (default: one zone). */
  zones?: ZoneLayout;
  /** The swap core's zeromap (6.12+; default off). */
  swapZeromap?: boolean;
  /** The profile whose costs the meter charges (default: ssd), e.g. the validation guest's. */
  profile?: Parameters<typeof costModelOf>[0];
}

export function testMachine(o: TestMachineOptions = {}): Machine {
  const factory = o.factory;
  return new Machine({
    ramPages: o.ramPages ?? 4096,
    ...(o.kernelPages !== undefined ? { kernelPages: o.kernelPages } : {}),
    swappiness: 60,
    reclaim: o.reclaim ?? getReclaim(DEFAULT_RECLAIM),
    ...(o.zones ? { zones: o.zones } : {}),
    verifyBytes: o.verifyBytes ?? true,
    writethrough: o.writethrough ?? false,
    content: new ContentSource({ seed: o.seed ?? 1 }),
    compression: new CachingCompressionService({}),
    costModel: costModelOf(o.profile ?? getProfile('ssd')),
    backendFactory: factory ? () => factory : getBackendFactory,
    ...(o.swapZeromap !== undefined ? { swapZeromap: o.swapZeromap } : {}),
  });
}
