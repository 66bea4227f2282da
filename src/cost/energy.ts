/**
 * Energy from a run's charges, the simulated time and a profile:
 *
 *   CPU       = busy time x active power of the profile's cluster (the core doing the work)
 *   storage   = active: reads x read energy + writes x write energy (each op's energy is the
 *               device's active power over its service time, see the profile)
 *             + idle:   idle power x (simulated time - device busy time)
 *               busy time = reads x read latency + writes x write latency: one device
 *               serves swap and files at queue depth 1, so operations never overlap, and
 *               the device is idle whenever it is not serving one (capped at 0)
 *   DRAM      = bytes moved x energy per byte
 *   network   = bytes sent x energy per byte (RAMster)
 *
 * All deterministic: the charges are counts and the constants are the profile's.
 * The CPU's idle power is not charged: only the work the simulated kernel does.
 */

import type { Profile } from '../profiles/profile.js';
import type { CostTotals } from './meter.js';

export interface EnergyBreakdown {
  cpu_uj: number;
  /** storage_active_uj + storage_idle_uj. */
  storage_uj: number;
  storage_active_uj: number;
  storage_idle_uj: number;
  dram_uj: number;
  network_uj: number;
  total_uj: number;
}

/** The charges energy depends on (a CostTotals, or the part of one an operation caused). */
export type EnergyCharges = Pick<CostTotals, 'cpuNs' | 'swapReads' | 'swapWrites' | 'fsReads' | 'fsWrites' | 'dramBytes' | 'netBytes'>;

/** Energy of charges without the device's idle power (what one operation costs), µJ. */
export function activeEnergyOf(t: EnergyCharges, p: Profile): { cpu_uj: number; storage_uj: number; dram_uj: number; network_uj: number; total_uj: number } {
  const cpu = (t.cpuNs / 1e9) * p.cpu.activePowerW.value * 1e6;
  const storage = (t.swapReads + t.fsReads) * p.storage.readEnergyUJ.value + (t.swapWrites + t.fsWrites) * p.storage.writeEnergyUJ.value;
  const dram = (t.dramBytes * p.dramEnergyNJPerByte.value) / 1000;
  const network = (t.netBytes * p.network.energyNJPerByte.value) / 1000;
  return { cpu_uj: cpu, storage_uj: storage, dram_uj: dram, network_uj: network, total_uj: cpu + storage + dram + network };
}

/** Time the storage device spent serving operations, ns. */
export function storageBusyNs(t: EnergyCharges, p: Profile): number {
  return ((t.swapReads + t.fsReads) * p.storage.readLatencyUs.value + (t.swapWrites + t.fsWrites) * p.storage.writeLatencyUs.value) * 1000;
}

export function energyOf(t: EnergyCharges, p: Profile, simTimeNs: number): EnergyBreakdown {
  const a = activeEnergyOf(t, p);
  const idleNs = Math.max(0, simTimeNs - storageBusyNs(t, p));
  const idle = (idleNs / 1e9) * p.storage.idlePowerW.value * 1e6;
  return {
    cpu_uj: a.cpu_uj,
    storage_uj: a.storage_uj + idle,
    storage_active_uj: a.storage_uj,
    storage_idle_uj: idle,
    dram_uj: a.dram_uj,
    network_uj: a.network_uj,
    total_uj: a.total_uj + idle,
  };
}
