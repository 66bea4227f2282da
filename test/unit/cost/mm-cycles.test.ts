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

  it('a reclaim pass over the node costs the profile\'s mm.shrinkNodeCycles, nothing when absent', () => {
    const base = getProfile('ssd');
    const none = new CostMeter(costModelOf(base));
    none.shrinkNode();
    expect(none.totals.metaCycles).toBe(0);
    const p = { ...base, mm: { shrinkNodeCycles: { value: 30000, source: 't' } } };
    const m = new CostMeter(costModelOf(p));
    m.shrinkNode();
    m.shrinkNode();
    expect(m.totals.metaCycles).toBe(60000);
    expect(m.totals.cpuNs).toBeCloseTo((60000 / base.cpu.hz.value) * 1e9, 9);
  });
});

describe("a major fault's read from the swap device (profile mm.swapinIoCycles)", () => {
  it('costs nothing when absent, the profile\'s figure once a call when given', () => {
    const base = getProfile('ssd');
    const none = new CostMeter(costModelOf(base));
    none.swapinIo();
    expect(none.totals.metaCycles).toBe(0);
    const p = { ...base, mm: { swapinIoCycles: { value: 189_600, source: 't' } } };
    const m = new CostMeter(costModelOf(p));
    m.swapinIo();
    m.swapinIo();
    expect(m.totals.metaCycles).toBe(2 * 189_600);
    expect(m.totals.cpuNs).toBeCloseTo(((2 * 189_600) / base.cpu.hz.value) * 1e9, 9);
  });
});
