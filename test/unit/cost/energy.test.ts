/** The energy model, worked by hand against a profile's constants. */

import { describe, expect, it } from 'vitest';
import { activeEnergyOf, blockIoCycles, energyOf, ioOpCost, storageBusyNs } from '../../../src/cost/energy.js';
import { CostMeter, zeroTotals } from '../../../src/cost/meter.js';
import { costModelOf } from '../../../src/profiles/profile.js';
import { getProfile } from '../../../src/profiles/registry.js';

describe('energy model', () => {
  const mobile = getProfile('mobile-ufs');
  const t = { ...zeroTotals(), cpuNs: 2_000_000, swapReads: 10, fsReads: 5, swapWrites: 4, fsWrites: 1, swapReadOps: 10, fsReadOps: 5, swapWriteOps: 4, fsWriteOps: 1, dramBytes: 1_000_000, netBytes: 2_000 };

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
    const a = energyOf({ ...zeroTotals(), swapReads: 100, swapReadOps: 100 }, hdd, sim);
    const b = energyOf({ ...zeroTotals(), swapReads: 0 }, hdd, sim);
    // 100 reads x 12.5 ms: 85 mJ each active, replaced by 1.25 s idle at 4.5 W = 5.625 J.
    expect(a.storage_uj - b.storage_uj).toBeCloseTo(100 * 85000 - 1.25 * 4.5 * 1e6, 6);
  });
});

describe('device requests of several pages and the block I/O path', () => {
  const mobile = getProfile('mobile-ufs');

  it('prices a request of n pages as the 4 KiB operation plus n - 1 pages at the sequential rate, at the same power', () => {
    // UFS write: 70 µs / 84 µJ for 4 KiB (1.2 W); 250 MB/s sequential = 250 bytes per µs.
    const extraUs = (31 * 4096) / 250; // 507.904 µs for the other 31 pages of a 32-page write
    const c = ioOpCost(mobile.storage, 'write', 32);
    expect(c.ns).toBeCloseTo((70 + extraUs) * 1000, 6);
    expect(c.uj).toBeCloseTo(84 + 1.2 * extraUs, 6);
    expect(ioOpCost(mobile.storage, 'read', 1)).toEqual({ ns: 100_000, uj: 60 });
  });

  it('a batched write costs the meter one request: fewer cycles, less time and energy than 32 single writes', () => {
    const model = costModelOf(mobile);
    const batched = new CostMeter(model);
    batched.io('swap', 'write', 32);
    const single = new CostMeter(model);
    for (let i = 0; i < 32; i++) single.io('swap', 'write');
    // Block path: 5000 + 6000 + 4000 + 5000 = 20000 cycles per request at 2 GHz = 10 µs.
    expect(blockIoCycles(mobile)).toBe(20_000);
    expect(batched.totals.ioCycles).toBe(20_000);
    expect(single.totals.ioCycles).toBe(32 * 20_000);
    expect(batched.totals.cpuNs).toBeCloseTo(10_000, 9);
    expect(batched.totals).toMatchObject({ swapWrites: 32, swapWriteOps: 1 });
    expect(single.totals).toMatchObject({ swapWrites: 32, swapWriteOps: 32 });
    const extraUs = (31 * 4096) / 250;
    expect(batched.totals.ioNs).toBeCloseTo((70 + extraUs) * 1000, 6);
    expect(batched.takePendingNs()).toBeCloseTo((70 + extraUs) * 1000 + 10_000, 6);
    expect(storageBusyNs(batched.totals, mobile)).toBeCloseTo((70 + extraUs) * 1000, 6);
    expect(activeEnergyOf(batched.totals, mobile).storage_uj).toBeCloseTo(84 + 1.2 * extraUs, 6);
    expect(activeEnergyOf(single.totals, mobile).storage_uj).toBeCloseTo(32 * 84, 6);
  });

  it('refuses a request of no pages', () => {
    expect(() => new CostMeter(costModelOf(mobile)).io('fs', 'read', 0)).toThrow(/pages must be an integer >= 1/);
  });
});
