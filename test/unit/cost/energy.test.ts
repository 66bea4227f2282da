/** The energy model, worked by hand against a profile's constants. */

import { describe, expect, it } from 'vitest';
import { activeEnergyOf, blockIoCycles, energyOf, idleEnergyOf, storageBusyNs } from '../../../src/cost/energy.js';
import { CostMeter, zeroTotals } from '../../../src/cost/meter.js';
import { costModelOf } from '../../../src/cost/model.js';
import type { Profile } from '../../../src/profiles/profile.js';
import { getProfile } from '../../../src/profiles/registry.js';

/** `name` without its device power states: idle power whenever idle. */
function withoutPowerStates(name: string): Profile {
  const p = getProfile(name);
  const { powerStates: _ps, ...storage } = p.storage;
  return { ...p, storage };
}

describe('energy model', () => {
  const mobile = withoutPowerStates('mobile-ufs');
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
    // UFS write: 70 µs / 84 µJ for 4 KiB (1.2 W); 250 MB/s sequential = 250 bytes per µs: the other 31 pages take 507.904 µs.
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

describe('device power states on the simulated clock (NVMe APST, UFS auto-hibern8)', () => {
  // mobile: UFS auto-hibern8 after 10 ms idle, exit 500 µs; active idle 0.05 W, hibern8 0.005 W, active 0.6 W; read 100 µs.
  const mobile = getProfile('mobile-ufs');
  const ps = mobile.storage.powerStates!;

  it('the profiles carry each power-state constant with a source and a range around its value', () => {
    for (const name of ['ssd-laptop', 'mobile-ufs']) {
      const s = getProfile(name).storage.powerStates!;
      for (const c of [s.idleTimeoutUs, s.exitLatencyUs, s.activeIdlePowerW]) {
        expect(c.source.length).toBeGreaterThan(10);
        expect(c.range!.lo).toBeLessThanOrEqual(c.value);
        expect(c.range!.hi).toBeGreaterThanOrEqual(c.value);
      }
    }
    expect(getProfile('ssd-laptop').storage.powerStates!.idleTimeoutUs.value).toBe(100_000); // Linux 6.1 apst_primary_timeout_ms
    expect(getProfile('ssd-laptop').storage.powerStates!.exitLatencyUs.value).toBe(8000); // PM981 PS4 Ex_Lat
  });

  it('the meter charges the exit latency to the first request after an idle gap longer than the timeout, and counts the time asleep', () => {
    const m = new CostMeter(costModelOf(mobile));
    let clock = 0;
    m.setClock(() => clock);
    // Each request first costs the block path's 20,000 cycles at 2 GHz (10 µs of CPU), then goes to the device.
    // t = 0: issued at 10 µs, idle 10 µs: no exit. Served 10 .. 110 µs.
    m.io('swap', 'read');
    expect(m.takePendingNs()).toBeCloseTo(110_000, 6);
    // t = 5 ms: issued at 5.01 ms, idle 4.9 ms < 10 ms: no exit. Served 5.01 .. 5.11 ms.
    clock = 5e6;
    m.io('swap', 'read');
    expect(m.takePendingNs()).toBeCloseTo(110_000, 6);
    expect(m.totals.devLowExits).toBe(0);
    // t = 40 ms: issued at 40.01 ms, idle 34.9 ms: 24.9 ms asleep, one exit (500 µs) before the 100 µs read.
    clock = 40e6;
    m.io('swap', 'read');
    expect(m.takePendingNs()).toBeCloseTo(610_000, 6);
    expect(m.totals.devLowExits).toBe(1);
    expect(m.totals.devLowNs).toBeCloseTo(34.9e6 - 10e6, 3);
    expect(m.totals.devLastEndNs).toBeCloseTo(40.61e6, 3);
    // Two more issued at 40.01 and 40.12 ms (the clock still at 40 ms, the 610 µs taken): the device is
    // still serving until 40.61 ms, so they queue behind it (queue depth 1), no gap, no exit: 40.61 + 2 x 100 µs.
    m.io('fs', 'read');
    m.io('fs', 'read');
    expect(m.totals.devLowExits).toBe(1);
    expect(m.totals.devLastEndNs).toBeCloseTo(40.61e6 + 2 * 100_000, 3);
  });

  it('splits the idle time into active idle, the low-power state (the last gap too) and the exits, by hand', () => {
    // The meter's totals above, over a pass of 100 ms: busy 5 x 100 µs, one exit of 500 µs.
    const t = { ...zeroTotals(), swapReads: 3, swapReadOps: 3, fsReads: 2, fsReadOps: 2, devLowNs: 24.9e6, devLowExits: 1, devLastEndNs: 40.8e6 };
    const simNs = 100e6;
    const busyNs = 5 * 100_000;
    const tail = simNs - 40.8e6 - 10e6; // 49.2 ms asleep after the last request
    const low = 24.9e6 + tail; // 74.1 ms
    const exit = 500_000;
    const awake = simNs - busyNs - exit - low; // 24.9 ms
    const hand = (awake * 0.05 + low * 0.005 + exit * 0.6) / 1000; // µJ: 1245 + 370.5 + 300
    expect(hand).toBeCloseTo(1915.5, 6);
    expect(idleEnergyOf(t, mobile.storage, simNs - busyNs, simNs)).toBeCloseTo(hand, 6);
    const e = energyOf(t, mobile, simNs);
    expect(e.storage_idle_uj).toBeCloseTo(hand, 6);
    expect(e.storage_active_uj).toBeCloseTo(5 * 60, 6);
    // Without power states the same idle time is all at the idle power.
    expect(energyOf(t, withoutPowerStates('mobile-ufs'), simNs).storage_idle_uj).toBeCloseTo(((simNs - busyNs) * 0.005) / 1000, 6);
    expect(ps.name).toBe('UFS auto-hibern8');
  });

  it('a whole run: the first fs read after an idle gap is slower by the exit latency, and the report shows it', async () => {
    const { simulate } = await import('../../../src/index.js');
    const r = await simulate({ trace: 'workloads/mobile-app-switch.json', profiles: ['mobile-ufs'], fast: true });
    const b = r.runs[0]!.backend;
    expect(b.cost.devLowExits).toBeGreaterThan(0);
    // the largest page-cache-miss latency includes one exit: a read (100 µs) + 500 µs, plus the CPU work around it
    expect(b.latency.page_cache_miss.max_ns).toBeGreaterThanOrEqual(600_000);
  }, 120_000);
});
