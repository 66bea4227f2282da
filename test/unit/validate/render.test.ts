import { describe, expect, it } from 'vitest';
import type { Row } from '../../../src/validate/compare.js';
import { renderSensitivityCsv, renderSensitivityJson, renderSensitivityTable, renderValidationCsv as renderCsv, renderValidationTable as renderTable } from '../../../src/report/validation.js';
import { scaledCpu, type SensitivityResult, type ValidationResult } from '../../../src/validate/validate.js';
import { resolveProfile } from '../../../src/profiles/file.js';
import { costModelOf } from '../../../src/cost/model.js';

const row = (over: Partial<Row>): Row => ({
  case: 'c', phase: 'write', counter: 'pswpout', kernel_min: 1000, kernel_max: 1200, tmemsim: 1100,
  tolerance: 60, error: 0, error_pct: 0, status: 'ok', ...over,
});

// One counter tmemsim has no figure for (no mark of that phase in its pass): n/a, never 0.
const missing = row({ counter: 'written_back_pages', tmemsim: null, status: 'OUT' });
const result: ValidationResult = {
  replayed: { reclaim: '6.1-cfs-buddy', zswap_era: '6.1', swap_zeromap: false, guest_profile: 'validation/guest-tcg.json' },
  cases: [{
    case: 'c',
    description: 'a case whose description is long enough that it cannot fit on one line of a narrow terminal, so it wraps',
    kernel: '6.1.0-test (linux-image 6.1.0-1)',
    runs: 2,
    rows: [row({}), missing],
    shown: [
      { case: 'c', phase: 'write', counter: 'pageoutrun', kernel_min: 59, kernel_max: 88, tmemsim: 199 },
      { case: 'c', phase: 'write', counter: 'allocstall', kernel_min: 38, kernel_max: 54, tmemsim: null },
    ],
  }],
  rows: [row({}), missing],
  ok: 1,
  out: 1,
};

describe('validate output', () => {
  it('CSV: a counter tmemsim has no figure for is empty cells (tmemsim, error, error %), not n/a or 0', () => {
    const lines = renderCsv(result).trim().split('\n');
    expect(lines[1]).toBe('c,write,pswpout,1000,1200,1100,0,0,60,ok');
    expect(lines[2]).toBe('c,write,written_back_pages,1000,1200,,,,60,OUT');
    // The shown counters follow, not judged: no error, no tolerance.
    expect(lines[3]).toBe('c,write,pageoutrun,59,88,199,,,,not judged');
    expect(lines[4]).toBe('c,write,allocstall,38,54,,,,,not judged');
    expect(lines).toHaveLength(5);
  });

  it('table: n/a for it, and every line within the width', () => {
    const wide = renderTable(result, 100);
    expect(wide.split('\n')[0]).toBe("replayed with tmemsim's reclaim model 6.1-cfs-buddy, zswap era 6.1 (the cases with zswap), and the");
    // an era whose kernel has the swap core's zeromap says so: it is on in every case
    const z = renderTable({ ...result, replayed: { ...result.replayed, zswap_era: '6.12', swap_zeromap: true } }, 200);
    expect(z.split('\n')[0]).toBe("replayed with tmemsim's reclaim model 6.1-cfs-buddy, zswap era 6.12 (the cases with zswap), the swap core's zeromap (every case), and the guest's CPU of validation/guest-tcg.json");
    expect(wide).toMatch(/│ written_back_pages\s+│\s+1,000–1,200 │\s+n\/a │\s+n\/a │\s+±60 │ OUT/);
    expect(wide).toContain('shown and not judged: reclaim');
    expect(wide).toMatch(/│ write\s+│ pageoutrun\s+│\s+59–88 │\s+199 │/);
    expect(wide).toMatch(/│ write\s+│ allocstall\s+│\s+38–54 │\s+n\/a │/);
    // 60 columns: the prose wraps and the table splits, phase, counter and verdict repeated in each part.
    const narrow = renderTable(result, 60);
    expect(narrow).toMatch(/│ written_back_pages\s+│ OUT │\s+1,000–1,200 │\n/);
    expect(narrow).toMatch(/│ written_back_pages\s+│ OUT │\s+n\/a │\s+n\/a │\n/);
    expect(narrow).toMatch(/│ written_back_pages\s+│ OUT │\s+±60 │\n/);
    expect(narrow).toContain('\n  fit on one line of a narrow terminal, so it wraps\n');
    for (const [t, width] of [[wide, 100], [narrow, 60]] as const) expect(t.split('\n').filter((l) => [...l].length > width)).toEqual([]);
  });
});

describe('validate --cpu-scale output', () => {
  const r: SensitivityResult = {
    counters: 349,
    scales: [{ scale: 0.97, ok: 336, out: 13 }, { scale: 1, ok: 337, out: 12 }, { scale: 1.03, ok: 339, out: 10 }],
    out: [
      { case: 'limit50-zbud', phase: 'write', counter: 'pool_limit_hit', out_at: [0.97, 1, 1.03] },
      { case: 'limit20-zsmalloc', phase: 'write', counter: 'reject_reclaim_fail', out_at: [0.97, 1] },
    ],
  };

  it('gives the within count per scale, then the counters out at every scale apart from those out at some', () => {
    const t = renderSensitivityTable(r, 100);
    expect(t).toMatch(/│ x0\.97\s+│\s+336 │\s+13 │/);
    expect(t).toContain('out of tolerance at every scale (1):\n  limit50-zbud write pool_limit_hit\n');
    expect(t).toContain('  limit20-zsmalloc write reject_reclaim_fail: out at x0.97, x1\n');
    for (const line of t.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });

  it('writes CSV with a row per counter and JSON with the scales', () => {
    expect(renderSensitivityCsv(r).trim().split('\n')).toEqual([
      'case,phase,counter,out_at_scales,out_at_every_scale',
      'limit50-zbud,write,pool_limit_hit,0.97 1 1.03,yes',
      'limit20-zsmalloc,write,reject_reclaim_fail,0.97 1,no',
    ]);
    const j = JSON.parse(renderSensitivityJson(r));
    expect(j.scales[1]).toEqual({ scale: 1, ok: 337, out: 12 });
    expect(j.out_of_tolerance).toHaveLength(2);
  });

  it("a scaled guest CPU takes that many times as long for every operation: its clock divided", () => {
    const p = resolveProfile('ssd');
    const hz = p.cpu.hz.value;
    const q = scaledCpu(p, 1.5);
    expect(q.cpu.hz.value).toBeCloseTo(hz / 1.5, 6);
    const a = costModelOf(p);
    const b = costModelOf(q);
    // The same cycles, at a third fewer of them a second.
    expect(b.compressCycles('lz4', 4096, 2048)).toBe(a.compressCycles('lz4', 4096, 2048));
    expect(b.cpuHz).toBeCloseTo(a.cpuHz / 1.5, 6);
    expect(p.cpu.hz.value).toBe(hz); // the profile given is not changed
  });
});
