/**
 * config.time: what a trace's event times measure. 'wall' (the default): the time since the
 * trace began, so kernel work charged between two events fills the gap between them; 'cpu':
 * the workload's own CPU time so far, so the kernel work charged is added to it and never
 * shortens it (the validation replay's clock: the guest's user time per event).
 */

import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../../src/api.js';
import { getProfile } from '../../../src/profiles/registry.js';
import { tempDir, toJsonl } from '../../helpers/files.js';

const dir = tempDir();
afterAll(() => dir.cleanup());

/** Ten anonymous write faults, 100 µs of the trace's time apart, each fault costing `faultUs` of CPU. */
async function replay(time: 'wall' | 'cpu' | undefined, faultUs: number): Promise<{ simNs: number; cpuNs: number; ioNs: number }> {
  const ssd = getProfile('ssd');
  const hz = ssd.cpu.hz.value;
  const profile = { ...ssd, mm: { faultCycles: { value: (faultUs * hz) / 1e6, source: 'test' } } };
  const header = { format: 'tmemsim-trace', version: 1, config: { ram_pages: 4096, ...(time ? { time } : {}) } };
  const events = Array.from({ length: 10 }, (_, i) => ({ op: 'anon', t: 100 * (i + 1), page: i, write: true }));
  const file = dir.file(`t-${time}-${faultUs}.jsonl`, toJsonl(header, events));
  const r = await run({ trace: file, backend: null, baseline: false, fast: true, profileDefs: [profile] });
  const b = r.runs[0]!.backend;
  return { simNs: b.sim_time_ns, cpuNs: b.cost.cpuNs, ioNs: b.cost.ioNs };
}

describe('config.time', () => {
  it("'cpu': the simulated time is the workload's CPU time plus every charge, however the charges compare with the gaps", async () => {
    for (const faultUs of [5, 250]) {
      const r = await replay('cpu', faultUs);
      expect(r.ioNs).toBe(0);
      expect(r.cpuNs).toBeGreaterThanOrEqual(10 * faultUs * 1000);
      expect(r.simNs).toBeCloseTo(1_000_000 + r.cpuNs, 3);
    }
  });

  it("'wall' (and absent): charges fill the gaps; an event runs at its time or when the work before it is done", async () => {
    const absent = await replay(undefined, 5);
    const wall = await replay('wall', 5);
    expect(wall).toEqual(absent);
    // Cheap faults fit in the 100 µs gaps: the run ends at the last event's time plus its own work.
    expect(wall.simNs).toBeGreaterThan(1_000_000);
    expect(wall.simNs).toBeLessThan(1_000_000 + wall.cpuNs);
    // Faults dearer than the gaps: after the first event's 100 µs the clock runs ahead of the
    // trace's times, and no more time is the workload's.
    const slow = await replay('wall', 250);
    expect(slow.simNs).toBeCloseTo(100_000 + slow.cpuNs, 3);
  });
});
