/**
 * Energy from a run's charges, the simulated time and a profile:
 *
 *   CPU       = busy time x active power of the profile's cluster (the core doing the work)
 *   storage   = active: per direction, ops x E4k + (pages - ops) x E4k/L4k x 4096 B / seq rate
 *               (a request of n pages costs the 4 KiB operation's energy E4k plus the other
 *               n - 1 pages at the sequential rate and the same device power E4k/L4k; see dirCost)
 *             + idle:   idle power x (simulated time - device busy time); with the device's
 *               power states (NVMe APST, UFS auto-hibern8) the idle time is split on the
 *               simulated clock into active idle, the low-power state and its exits (idleEnergyOf)
 *               busy time = per direction, ops x L4k + (pages - ops) x 4096 B / seq rate: one device
 *               serves swap and files at queue depth 1, so operations never overlap, and
 *               the device is idle whenever it is not serving one (capped at 0)
 *   DRAM      = bytes moved x energy per byte
 *   network   = bytes sent x energy per byte (RAMster)
 *
 * All deterministic: the charges are counts and the constants are the profile's.
 * The CPU's idle power is not charged: only the work the simulated kernel does.
 */

import { PAGE_SIZE } from '../content/page.js';
import type { Profile, StorageProfile } from '../profiles/profile.js';
import type { CostTotals, IoDir } from './meter.js';

/** Transfer time of the pages after the first of a request of `pages`, µs. */
function extraPagesUs(s: StorageProfile, dir: IoDir, pages: number): number {
  const mbps = dir === 'read' ? s.seqReadMBps.value : s.seqWriteMBps.value;
  return ((pages - 1) * PAGE_SIZE) / mbps; // MB/s = bytes per µs
}

/** Service time (ns) of one request of `pages` pages: L4k + (pages - 1) x 4096 B / seq rate (dirCost's time for one request). */
export function ioOpNs(s: StorageProfile, dir: IoDir, pages: number): number {
  const latUs = dir === 'read' ? s.readLatencyUs.value : s.writeLatencyUs.value;
  return (latUs + extraPagesUs(s, dir, pages)) * 1000;
}

/** CPU cycles of one block request (submission + driver + interrupt + completion). */
export function blockIoCycles(p: Profile): number {
  const b = p.blockIo;
  return b.submitCycles.value + b.driverCycles.value + b.irqCycles.value + b.completeCycles.value;
}

/** Device busy time (ns) and active energy (µJ) of `ops` requests carrying `pages` pages in one direction. */
function dirCost(s: StorageProfile, dir: IoDir, ops: number, pages: number): { ns: number; uj: number } {
  if (ops === 0) return { ns: 0, uj: 0 };
  const latUs = dir === 'read' ? s.readLatencyUs.value : s.writeLatencyUs.value;
  const e4k = dir === 'read' ? s.readEnergyUJ.value : s.writeEnergyUJ.value;
  const pageUs = extraPagesUs(s, dir, 2); // one page at the sequential rate
  const extra = pages - ops; // pages beyond each request's first
  return { ns: ops * (latUs * 1000) + extra * (pageUs * 1000), uj: ops * e4k + extra * ((e4k / latUs) * pageUs) };
}

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
export type EnergyCharges = Pick<
  CostTotals,
  'cpuNs' | 'swapReads' | 'swapWrites' | 'fsReads' | 'fsWrites' | 'swapReadOps' | 'swapWriteOps' | 'fsReadOps' | 'fsWriteOps' | 'dramBytes' | 'netBytes'
>;

function storageActive(t: EnergyCharges, s: StorageProfile): { ns: number; uj: number } {
  const r = dirCost(s, 'read', t.swapReadOps + t.fsReadOps, t.swapReads + t.fsReads);
  const w = dirCost(s, 'write', t.swapWriteOps + t.fsWriteOps, t.swapWrites + t.fsWrites);
  return { ns: r.ns + w.ns, uj: r.uj + w.uj };
}

type ActiveEnergy = { cpu_uj: number; storage_uj: number; dram_uj: number; network_uj: number; total_uj: number };

/** activeEnergyOf, given the device's active time and energy (storageActive). */
function activeWith(t: EnergyCharges, p: Profile, storage: number): ActiveEnergy {
  const cpu = (t.cpuNs / 1e9) * p.cpu.activePowerW.value * 1e6;
  const dram = (t.dramBytes * p.dramEnergyNJPerByte.value) / 1000;
  const network = (t.netBytes * p.network.energyNJPerByte.value) / 1000;
  return { cpu_uj: cpu, storage_uj: storage, dram_uj: dram, network_uj: network, total_uj: cpu + storage + dram + network };
}

/** Energy of charges without the device's idle power (what one operation costs), µJ. */
export function activeEnergyOf(t: EnergyCharges, p: Profile): ActiveEnergy {
  return activeWith(t, p, storageActive(t, p.storage).uj);
}

/** Time the storage device spent serving operations, ns. */
export function storageBusyNs(t: EnergyCharges, p: Profile): number {
  return storageActive(t, p.storage).ns;
}

/** The charges of the device's power states (CostTotals: devLowNs, devLowExits, devLastEndNs). */
type PowerStateCharges = Partial<Pick<CostTotals, 'devLowNs' | 'devLowExits' | 'devLastEndNs'>>;

/**
 * Idle energy of the storage device over `idleNs` (the simulated time it served nothing), µJ.
 * Without power states: idle power x idle time. With them (NVMe APST, UFS auto-hibern8):
 *   low    = time in the low-power state: the meter's devLowNs over the gaps between requests,
 *            plus max(0, gap after the last request - timeout)
 *   exits  = devLowExits x exit latency          (the device waking for a request, at active power)
 *   idle   = (idleNs - exits - low) x active-idle power + low x idle power + exits x active power
 */
export function idleEnergyOf(t: PowerStateCharges, s: StorageProfile, idleNs: number, simTimeNs: number): number {
  const ps = s.powerStates;
  if (!ps) return (idleNs / 1e9) * s.idlePowerW.value * 1e6;
  const tail = Math.max(0, simTimeNs - (t.devLastEndNs ?? 0) - ps.idleTimeoutUs.value * 1000);
  const lowNs = (t.devLowNs ?? 0) + tail;
  const exitNs = (t.devLowExits ?? 0) * ps.exitLatencyUs.value * 1000;
  const awakeNs = Math.max(0, idleNs - exitNs - lowNs);
  return (awakeNs * ps.activeIdlePowerW.value + lowNs * s.idlePowerW.value + exitNs * s.activePowerW.value) / 1000;
}

export function energyOf(t: EnergyCharges & PowerStateCharges, p: Profile, simTimeNs: number): EnergyBreakdown {
  const busy = storageActive(t, p.storage);
  const a = activeWith(t, p, busy.uj);
  const idleNs = Math.max(0, simTimeNs - busy.ns);
  const idle = idleEnergyOf(t, p.storage, idleNs, simTimeNs);
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
