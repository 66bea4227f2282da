import { describe, expect, it } from 'vitest';
import { simulate } from '../../../src/api.js';
import { windowRatio } from '../../../src/sim/sampler.js';

describe('time-series sampler', () => {
  it('keeps a bounded, evenly spaced, deterministic series ending at the last event', async () => {
    const a = await simulate({ trace: 'workloads/mobile-app-switch.json', profiles: ['ssd'], series: 20 });
    const b = await simulate({ trace: 'workloads/mobile-app-switch.json', profiles: ['ssd'], series: 20 });
    const s = a.runs[0]!.series!.backend;
    expect(JSON.stringify(a.runs[0]!.series)).toBe(JSON.stringify(b.runs[0]!.series));
    expect(s.event.length).toBeGreaterThanOrEqual(20);
    expect(s.event.length).toBeLessThanOrEqual(41);
    expect(s.event[s.event.length - 1]).toBe(a.runs[0]!.backend.events);
    const gaps = new Set(s.event.slice(1, -1).map((e, i) => e - s.event[i]!));
    expect(gaps.size).toBe(1);
    // time never goes back; the series ends where the summary does
    for (let i = 1; i < s.t_ns.length; i++) expect(s.t_ns[i]!).toBeGreaterThanOrEqual(s.t_ns[i - 1]!);
    expect(s.t_ns[s.t_ns.length - 1]).toBe(a.runs[0]!.backend.sim_time_ns);
    expect(s.stored_pages[s.stored_pages.length - 1]).toBe(a.runs[0]!.backend.pool.stored_pages);
    expect(s.swap_ins_tmem[s.swap_ins_tmem.length - 1]).toBe(a.runs[0]!.backend.mm.swap_ins_frontswap);
    expect(Math.max(...s.stored_pages)).toBeGreaterThan(0);
    // the baseline pass has no backend pages
    expect(Math.max(...a.runs[0]!.series!.baseline!.stored_pages)).toBe(0);
  });

  it('gives exact hit ratios per stretch from the cumulative counters', () => {
    expect(windowRatio([1, 1, 5], [2, 2, 10])).toEqual([0.5, 0, 0.5]);
  });
});
