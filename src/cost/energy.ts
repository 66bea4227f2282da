/**
 * Energy and time from a run's charges and a profile:
 *   CPU     = busy time x active power of the cluster
 *   storage = reads x read energy + writes x write energy
 *   DRAM    = bytes moved x energy per byte
 *   network = bytes x energy per byte
 * All deterministic: the charges are counts and the constants are the profile's.
 */

import type { Profile } from '../profiles/profile.js';
import type { CostTotals } from './meter.js';

export interface EnergyBreakdown {
  cpu_uj: number;
  storage_uj: number;
  dram_uj: number;
  network_uj: number;
  total_uj: number;
}

export function energyOf(t: CostTotals, p: Profile): EnergyBreakdown {
  const cpu = (t.cpuNs / 1e9) * p.cpu.activePowerW.value * 1e6;
  const reads = t.swapReads + t.fsReads;
  const writes = t.swapWrites + t.fsWrites;
  const storage = reads * p.storage.readEnergyUJ.value + writes * p.storage.writeEnergyUJ.value;
  const dram = (t.dramBytes * p.dramEnergyNJPerByte.value) / 1000;
  const network = (t.netBytes * p.network.energyNJPerByte.value) / 1000;
  return { cpu_uj: cpu, storage_uj: storage, dram_uj: dram, network_uj: network, total_uj: cpu + storage + dram + network };
}
