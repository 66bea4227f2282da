import { describe, expect, it } from 'vitest';
import * as path from 'node:path';
import { compareEntries, entriesOf, parseTolerances, type Entries } from '../../../src/analysis/compare.js';
import { run } from '../../../src/api.js';
import { UsageError } from '../../../src/errors.js';

const base: Entries = new Map([
  ['a', { compression_ratio: 2.0, frontswap_load_hit: 0.9, energy_uj: 1000, lost: 0 }],
  ['b', { compression_ratio: 3.0, frontswap_load_hit: 0.5, energy_uj: 0, lost: 0 }],
]);

describe('compare', () => {
  it('passes changes within the default tolerances and flags the worse direction beyond them', () => {
    const run: Entries = new Map([
      ['a', { compression_ratio: 1.99, frontswap_load_hit: 0.895, energy_uj: 1010, lost: 0 }],
      ['b', { compression_ratio: 3.5, frontswap_load_hit: 0.5, energy_uj: 0, lost: 0 }],
    ]);
    const c = compareEntries(run, base);
    expect(c.regressions).toBe(0);
    expect(c.improvements).toBe(1); // b's ratio went up by 17 %
    const worse: Entries = new Map([
      ['a', { compression_ratio: 1.97, frontswap_load_hit: 0.88, energy_uj: 1030, lost: 1 }],
      ['b', { compression_ratio: 3.0, frontswap_load_hit: 0.5, energy_uj: 0, lost: 0 }],
    ]);
    const w = compareEntries(worse, base);
    expect(w.rows.filter((r) => r.status === 'REGRESSION').map((r) => r.metric).sort()).toEqual(['compression_ratio', 'energy_uj', 'frontswap_load_hit', 'lost']);
  });

  it('counts a baseline entry missing from the run as a regression and a new one as not', () => {
    const c = compareEntries(new Map([['a', base.get('a')!], ['c', {}]]), base);
    expect(c.regressions).toBe(1);
    expect(c.rows.find((r) => r.id === 'b')!.status).toBe('MISSING');
    expect(c.rows.find((r) => r.id === 'c')!.status).toBe('new');
  });

  it('takes --tol overrides: relative, absolute, both, off', () => {
    const t = parseTolerances(['compression_ratio=5%', 'energy_uj=off', 'frontswap_load_hit=0.02', 'frontswap_load_hit=10%']);
    expect(t.compression_ratio).toEqual({ better: 'higher', rel: 0.05 });
    expect(t.energy_uj).toBeNull();
    expect(t.frontswap_load_hit).toEqual({ better: 'higher', abs: 0.02, rel: 0.1 });
    const run: Entries = new Map([['a', { compression_ratio: 1.92, frontswap_load_hit: 0.82, energy_uj: 5000, lost: 0 }], ['b', base.get('b')!]]);
    expect(compareEntries(run, base, t).regressions).toBe(0);
    expect(() => parseTolerances(['nope=1'])).toThrow(UsageError);
    expect(() => parseTolerances(['lost=-1'])).toThrow(UsageError);
    expect(() => parseTolerances(['lost'])).toThrow(UsageError);
  });

  it('judges a --tol metric without a default by its own direction: more memory saved or swap I/O avoided is better', () => {
    const t = parseTolerances(['mean_memory_saved_pages=5%', 'swap_io_avoided=5%', 'peak_pool_pages=5%', 'breakeven_cpu_scale=5%', 'breakeven_read_uj=5%']);
    const was: Entries = new Map([['a', { mean_memory_saved_pages: 100, swap_io_avoided: 10, peak_pool_pages: 100, breakeven_cpu_scale: 2, breakeven_read_uj: 100 }]]);
    const better: Entries = new Map([['a', { mean_memory_saved_pages: 200, swap_io_avoided: 50, peak_pool_pages: 50, breakeven_cpu_scale: 4, breakeven_read_uj: 50 }]]);
    const worse: Entries = new Map([['a', { mean_memory_saved_pages: 50, swap_io_avoided: 2, peak_pool_pages: 200, breakeven_cpu_scale: 1, breakeven_read_uj: 200 }]]);
    expect(compareEntries(better, was, t).regressions).toBe(0);
    expect(compareEntries(better, was, t).improvements).toBe(5);
    expect(compareEntries(worse, was, t).regressions).toBe(5);
  });

  it("reads a run report's break-even read energy off the report's own profile, a profile file's too", async () => {
    const root = path.resolve(__dirname, '../../..');
    const report = await run({ trace: path.join(root, 'workloads/file-scan.json'), profiles: [path.join(root, 'profiles/example-rpi4.json')], fast: true });
    const m = entriesOf('r.json', report).get('file-scan/rpi4/zcache/lz4/-/-')!;
    expect(m.breakeven_storage_scale).toBeGreaterThan(0);
    // example-rpi4.json: a 4 KiB read costs 200 µJ (a profile the registry does not know)
    expect(m.breakeven_read_uj).toBeCloseTo(m.breakeven_storage_scale! * 200, 3); // both rounded to 6 decimals
  });
});
