import { describe, expect, it } from 'vitest';
import { CostMeter } from '../../../src/cost/meter.js';
import { costModelOf } from '../../../src/cost/model.js';
import { getProfile } from '../../../src/profiles/registry.js';

describe('the memory manager\'s work per page (profile mm.faultCycles, mm.reclaimCycles)', () => {
  it('a built-in profile gives none: 3,000 cycles a fault, 1,000 a reclaimed page, shares of it as asked', () => {
    const ssd = getProfile('ssd');
    const m = new CostMeter(costModelOf(ssd));
    m.fault();
    m.reclaim();
    m.reclaim(0.75);
    m.reclaim(0.25);
    expect(m.totals.metaCycles).toBe(3000 + 1000 + 750 + 250);
    expect(m.totals.cpuNs).toBeCloseTo((5000 / ssd.cpu.hz.value) * 1e9, 9);
  });

  it('a profile that gives them is charged its own figures', () => {
    const base = getProfile('ssd');
    const p = { ...base, mm: { faultCycles: { value: 18044, source: 't' }, reclaimCycles: { value: 32303, source: 't' } } };
    const m = new CostMeter(costModelOf(p));
    m.fault();
    m.reclaim(0.25);
    expect(m.totals.metaCycles).toBeCloseTo(18044 + 32303 / 4, 9);
  });

  // The charges a profile may give or leave out (absent: nothing): once per call when given.
  const optional = [
    { field: 'shrinkNodeCycles', what: 'a reclaim pass over the node', value: 30_000, charge: (m: CostMeter): void => m.shrinkNode() },
    { field: 'swapinIoCycles', what: "a major fault's read from the swap device", value: 189_600, charge: (m: CostMeter): void => m.swapinIo() },
    { field: 'scanCycles', what: 'a page reclaim looked at', value: 1_270, charge: (m: CostMeter): void => m.scan(1) },
  ] as const;
  for (const c of optional) {
    it(`${c.what} costs the profile's mm.${c.field} once a call, nothing when absent`, () => {
      const base = getProfile('ssd');
      const none = new CostMeter(costModelOf(base));
      c.charge(none);
      expect(none.totals.metaCycles).toBe(0);
      const m = new CostMeter(costModelOf({ ...base, mm: { [c.field]: { value: c.value, source: 't' } } }));
      c.charge(m);
      c.charge(m);
      expect(m.totals.metaCycles).toBe(2 * c.value);
      expect(m.totals.cpuNs).toBeCloseTo(((2 * c.value) / base.cpu.hz.value) * 1e9, 9);
    });
  }
});
