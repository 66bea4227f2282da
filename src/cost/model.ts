/** The CostModel a device profile defines: the meter's prices from the profile's constants. */

import { UsageError, acceptedList } from '../errors.js';
import type { CodecProfile, Profile } from '../profiles/profile.js';
import { blockIoCycles, ioOpNs } from './energy.js';
import type { CostModel, Device, IoDir } from './meter.js';

/** The CostModel a profile defines. */
export function costModelOf(p: Profile): CostModel {
  const codec = (name: string): CodecProfile => {
    const c = p.codecs[name];
    if (!c) throw new UsageError(`profile '${p.name}' has no cost figures for compressor '${name}'`, { field: 'compressor' }, acceptedList(Object.keys(p.codecs)));
    return c;
  };
  // The price of the common request, one page, per direction, and the block path's cycles, worked out once.
  const onePageNs = { read: ioOpNs(p.storage, 'read', 1), write: ioOpNs(p.storage, 'write', 1) };
  return {
    cpuHz: p.cpu.hz.value,
    ...(p.mm?.faultCycles ? { faultCycles: p.mm.faultCycles.value } : {}),
    ...(p.mm?.reclaimCycles ? { reclaimCycles: p.mm.reclaimCycles.value } : {}),
    ...(p.mm?.reclaimFileCycles ? { reclaimFileCycles: p.mm.reclaimFileCycles.value } : {}),
    ...(p.mm?.scanCycles ? { scanCycles: p.mm.scanCycles.value } : {}),
    ...(p.mm?.shrinkNodeCycles ? { shrinkNodeCycles: p.mm.shrinkNodeCycles.value } : {}),
    ...(p.mm?.zswapShrinkVisitCycles ? { zswapShrinkVisitCycles: p.mm.zswapShrinkVisitCycles.value } : {}),
    ...(p.mm?.swapinIoCycles ? { swapinIoCycles: p.mm.swapinIoCycles.value } : {}),
    ...(p.mm?.migrateCycles ? { migrateCycles: p.mm.migrateCycles.value } : {}),
    compressCycles(comp, inBytes) {
      const c = codec(comp).compress;
      return c.fixedCycles + c.cyclesPerByte * inBytes;
    },
    decompressCycles(comp, _in, outBytes) {
      const c = codec(comp).decompress;
      return c.fixedCycles + c.cyclesPerByte * outBytes;
    },
    copyCycles(bytes) {
      return p.copy.value * bytes;
    },
    ioLatencyNs(_dev: Device, dir: IoDir, pages: number) {
      return pages === 1 ? onePageNs[dir] : ioOpNs(p.storage, dir, pages);
    },
    ioCyclesPerRequest: blockIoCycles(p),
    ...(p.storage.maxRequestPages ? { maxRequestPages: p.storage.maxRequestPages.value } : {}),
    ...(p.storage.ioScheduler && p.storage.ioScheduler.value !== 'none' ? { asyncQueueRun: true } : {}),
    ...(p.storage.powerStates ? { lowPower: { timeoutNs: p.storage.powerStates.idleTimeoutUs.value * 1000, exitNs: p.storage.powerStates.exitLatencyUs.value * 1000 } } : {}),
    netLatencyNs(bytes) {
      return p.network.latencyUs.value * 1000 + (bytes / (p.network.bandwidthMBps.value * 1e6)) * 1e9;
    },
  };
}
