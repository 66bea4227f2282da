/** The constants of a profile a report names beside its figures (plain data, stable keys). */

import type { Profile } from './profile.js';

interface CodecInfo {
  compressor: string;
  compress_fixed_cycles: number;
  compress_cycles_per_byte: number;
  decompress_fixed_cycles: number;
  decompress_cycles_per_byte: number;
}

export interface ProfileInfo {
  name: string;
  cpu_cluster: string;
  cpu_mhz: number;
  cpu_active_power_w: number;
  /** The cost figures of the run's compressor on this profile (null: no compressor or not priced). */
  codec: CodecInfo | null;
  storage: string;
  storage_read_us: number;
  storage_write_us: number;
  storage_read_uj: number;
  storage_write_uj: number;
  storage_active_power_w: number;
  storage_idle_power_w: number;
  dram_nj_per_byte: number;
  network_nj_per_byte: number;
}

function codecInfo(p: Profile, compressor: string): CodecInfo | null {
  const c = p.codecs[compressor];
  if (!c) return null;
  return {
    compressor,
    compress_fixed_cycles: c.compress.fixedCycles,
    compress_cycles_per_byte: c.compress.cyclesPerByte,
    decompress_fixed_cycles: c.decompress.fixedCycles,
    decompress_cycles_per_byte: c.decompress.cyclesPerByte,
  };
}

export function profileInfo(p: Profile, compressor: string | null): ProfileInfo {
  const s = p.storage;
  return {
    name: p.name,
    cpu_cluster: p.cpu.cluster,
    cpu_mhz: p.cpu.hz.value / 1e6,
    cpu_active_power_w: p.cpu.activePowerW.value,
    codec: compressor === null ? null : codecInfo(p, compressor),
    storage: s.name,
    storage_read_us: s.readLatencyUs.value,
    storage_write_us: s.writeLatencyUs.value,
    storage_read_uj: s.readEnergyUJ.value,
    storage_write_uj: s.writeEnergyUJ.value,
    storage_active_power_w: s.activePowerW.value,
    storage_idle_power_w: s.idlePowerW.value,
    dram_nj_per_byte: p.dramEnergyNJPerByte.value,
    network_nj_per_byte: p.network.energyNJPerByte.value,
  };
}
