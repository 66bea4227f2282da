/** The energy model, worked by hand against a profile's constants. */

import { describe, expect, it } from 'vitest';
import { activeEnergyOf, energyOf, storageBusyNs } from '../../../src/cost/energy.js';
import { zeroTotals } from '../../../src/cost/meter.js';
import { getProfile } from '../../../src/profiles/registry.js';

describe('energy model', () => {
  const mobile = getProfile('mobile-ufs');
  const t = { ...zeroTotals(), cpuNs: 2_000_000, swapReads: 10, fsReads: 5, swapWrites: 4, fsWrites: 1, dramBytes: 1_000_000, netBytes: 2_000 };

  it('prices CPU, storage operations, idle storage, DRAM and network separately', () => {
    // mobile: CPU 1.28 W; UFS read 100 µs / 60 µJ, write 70 µs / 84 µJ, idle 5 mW; DRAM 0.055 nJ/B; Wi-Fi 100 nJ/B.
    const cpu = 0.002 * 1.28 * 1e6; // 2 ms busy x 1.28 W = 2560 µJ
    const active = 15 * 60 + 5 * 84; // 1320 µJ
    const busyNs = (15 * 100 + 5 * 70) * 1000; // 1.85 ms
    expect(storageBusyNs(t, mobile)).toBe(busyNs);
    const simNs = 1e9; // one second
    const idle = ((simNs - busyNs) / 1e9) * 0.005 * 1e6; // 4990.75 µJ
    const dram = (1_000_000 * 0.055) / 1000; // 55 µJ
    const net = (2_000 * 100) / 1000; // 200 µJ
    const e = energyOf(t, mobile, simNs);
    expect(e.cpu_uj).toBeCloseTo(cpu, 9);
    expect(e.storage_active_uj).toBeCloseTo(active, 9);
    expect(e.storage_idle_uj).toBeCloseTo(idle, 9);
    expect(e.storage_uj).toBeCloseTo(active + idle, 9);
    expect(e.dram_uj).toBeCloseTo(dram, 9);
    expect(e.network_uj).toBeCloseTo(net, 9);
    expect(e.total_uj).toBeCloseTo(cpu + active + idle + dram + net, 9);
    expect(activeEnergyOf(t, mobile).total_uj).toBeCloseTo(cpu + active + dram + net, 9);
  });

  it('never charges negative idle time when the device was busy the whole run', () => {
    const e = energyOf(t, mobile, 1000);
    expect(e.storage_idle_uj).toBe(0);
  });

  it('a device that avoids I/O trades active energy for idle energy at the idle power', () => {
    const hdd = getProfile('hdd-desktop');
    const sim = 10e9;
    const a = energyOf({ ...zeroTotals(), swapReads: 100 }, hdd, sim);
    const b = energyOf({ ...zeroTotals(), swapReads: 0 }, hdd, sim);
    // 100 reads x 12.5 ms: 85 mJ each active, replaced by 1.25 s idle at 4.5 W = 5.625 J.
    expect(a.storage_uj - b.storage_uj).toBeCloseTo(100 * 85000 - 1.25 * 4.5 * 1e6, 6);
  });
});
