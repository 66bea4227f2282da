/**
 * Golden CPU and energy: every shipped workload under every built-in profile,
 * with the exact CPU time, cycles by kind and energy by component of the
 * backend pass and the baseline pass, and the energy per operation. A change
 * to a profile constant or to what the model charges shows here; bless a
 * deliberate one with `UPDATE_GOLDEN=1 npx vitest run test/golden` and say
 * why in the commit. Byte verification is off (--fast): it changes no charge,
 * only whether loads are compared byte for byte.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/api.js';
import type { PassSummary } from '../../src/sim/summary.js';
import { PROFILES, getProfile } from '../../src/profiles/registry.js';

const ROOT = path.resolve(__dirname, '../..');
const EXPECTED = path.join(__dirname, 'expected', 'energy');
const WORKLOADS = fs.readdirSync(path.join(ROOT, 'workloads')).filter((f) => f.endsWith('.json') || f.endsWith('.jsonl')).sort();
const PROFILE_NAMES = [...PROFILES.keys()];

function figures(p: PassSummary) {
  const c = p.cost;
  return {
    sim_time_ns: p.sim_time_ns,
    cpu_ns: c.cpuNs,
    cycles: { total: c.cpuCycles, compress: c.compressCycles, decompress: c.decompressCycles, copy: c.copyCycles, meta: c.metaCycles },
    storage_busy_ns: p.storage_busy_ns,
    energy: p.energy,
    energy_per_op_uj: {
      swap_in: p.energy_per_op.swap_in.uj,
      page_cache_miss: p.energy_per_op.page_cache_miss.uj,
      swap_out: p.energy_per_op.swap_out.uj,
      cleancache_put: p.energy_per_op.cleancache_put.uj,
    },
  };
}

async function runAll(workload: string) {
  const prev = process.cwd();
  process.chdir(ROOT);
  try {
    return await run({ trace: `workloads/${workload}`, profiles: PROFILE_NAMES, fast: true });
  } finally {
    process.chdir(prev);
  }
}

describe('golden CPU and energy of the shipped workloads under every profile', () => {
  for (const w of WORKLOADS) {
    it(w, async () => {
      const r = await runAll(w);
      const got = r.runs.map((x) => ({ profile: x.profile, variant: x.variant, backend: figures(x.backend), baseline: x.baseline ? figures(x.baseline) : null }));
      expect(got.map((x) => x.profile)).toEqual(expect.arrayContaining(PROFILE_NAMES));
      const file = path.join(EXPECTED, w);
      if (process.env.UPDATE_GOLDEN) {
        fs.mkdirSync(EXPECTED, { recursive: true });
        fs.writeFileSync(file, JSON.stringify(got, null, 1) + '\n');
      }
      expect(got).toEqual(JSON.parse(fs.readFileSync(file, 'utf8')));
    }, 60_000);
  }

  it('xen-selfshrink on ssd-laptop, checked by hand against the profile constants', async () => {
    // The golden figures must follow from the charges and the ssd constants:
    //   CPU ns      = cycles / 3.0 GHz                          (cpu.hz)
    //   copy cycles = bytes copied x 3200/24075 cycles per byte (lzbench memcpy)
    //   CPU µJ      = CPU s x 7.5 W x 1e6                       (cpu.activePowerW)
    //   storage     = reads x 280 µJ + writes x 100 µJ          (readEnergyUJ, writeEnergyUJ)
    //   busy ns     = reads x 80 µs + writes x 25 µs            (read/writeLatencyUs)
    //   idle µJ     = awake x 1.0 W + asleep x 0.005 W + exits x 8 ms x 3.5 W   (NVMe APST: activeIdlePowerW,
    //                 idlePowerW, exitLatencyUs at activePowerW), asleep = the meter's devLowNs + the last gap
    //                 past the 100 ms timeout, awake = sim ns - busy ns - exits - asleep
    //   DRAM µJ     = bytes moved x 0.055 nJ / 1000             (dramEnergyNJPerByte)
    // Xen tmem copies pages (no compression), so compress/decompress cycles are 0.
    const golden = JSON.parse(fs.readFileSync(path.join(EXPECTED, 'xen-selfshrink.json'), 'utf8')) as { profile: string; backend: ReturnType<typeof figures> }[];
    const g = golden.find((x) => x.profile === 'ssd')!.backend;
    const r = await run({ trace: path.join(ROOT, 'workloads/xen-selfshrink.json'), profiles: ['ssd-laptop'], fast: true });
    const b = r.runs[0]!.backend;
    const p = getProfile('ssd-laptop');
    expect(p.cpu.hz.value).toBe(3.0e9);
    expect(p.storage.idlePowerW.value).toBe(0.005);
    expect(p.storage.powerStates!.idleTimeoutUs.value).toBe(100_000);
    expect(p.storage.powerStates!.exitLatencyUs.value).toBe(8000);
    expect(p.storage.powerStates!.activeIdlePowerW.value).toBe(1.0);
    const reads = b.io.swap_reads + b.io.fs_reads;
    const writes = b.io.swap_writes + b.io.fs_writes;
    expect(g.cycles.compress).toBe(0);
    expect(g.cycles.decompress).toBe(0);
    expect(g.cycles.copy).toBeCloseTo((b.cost.copyBytes * 3200) / 24075, 3);
    expect(g.cpu_ns).toBeCloseTo((g.cycles.total / 3.0e9) * 1e9, 3);
    expect(g.energy.cpu_uj).toBeCloseTo((g.cpu_ns / 1e9) * 7.5 * 1e6, 3);
    expect(g.energy.storage_active_uj).toBeCloseTo(reads * 280 + writes * 100, 3);
    expect(g.storage_busy_ns).toBeCloseTo((reads * 80 + writes * 25) * 1000, 3);
    const asleep = b.cost.devLowNs + Math.max(0, g.sim_time_ns - b.cost.devLastEndNs - 100e6);
    const exits = b.cost.devLowExits * 8000 * 1000;
    const awake = g.sim_time_ns - g.storage_busy_ns - exits - asleep;
    expect(awake).toBeGreaterThan(0);
    expect(g.energy.storage_idle_uj).toBeCloseTo((awake * 1.0 + asleep * 0.005 + exits * 3.5) / 1000, 3);
    expect(g.energy.dram_uj).toBeCloseTo((b.cost.dramBytes * 0.055) / 1000, 3);
    expect(g.energy.network_uj).toBe(0);
    expect(g.energy.total_uj).toBeCloseTo(g.energy.cpu_uj + g.energy.storage_uj + g.energy.dram_uj, 3);
  });
});
