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
  replayed: { reclaim: '6.1-cfs-buddy', zswap_era: '6.1', swap_zeromap: false, guest_profile: 'validation/guest-tcg.json', tick_phase_ms: 0, scheduler: 'cfs-6.1', boot_from: null },
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
    expect(wide.split('\n')[0]).toBe("replayed with tmemsim's reclaim model 6.1-cfs-buddy, zswap era 6.1 (the cases with zswap), the");
    // an era whose kernel has the swap core's zeromap says so: it is on in every case
    const z = renderTable({ ...result, replayed: { ...result.replayed, zswap_era: '6.12', swap_zeromap: true } }, 200);
    expect(z.split('\n')[0]).toMatch(/^replayed with tmemsim's reclaim model 6\.1-cfs-buddy, zswap era 6\.12 \(the cases with zswap\), the swap core's zeromap \(every case\), the guest's CPU of validation\/guest-tcg\.json, each case's zones at$/);
    // where the zones' boot state came from: each case's own start mark, else --boot-from's recordings
    expect(renderTable(result, 400).split('\n')[0]).toContain("each case's zones at boot from its own start mark (else every page free and movable)");
    expect(renderTable({ ...result, replayed: { ...result.replayed, boot_from: 'validation/recordings/2026-12-06b' } }, 400).split('\n')[0]).toContain("each case's zones at boot from its own start mark, else from validation/recordings/2026-12-06b, and the scheduler");
    // the tick phase it replayed at, and that a kernel's is chance
    expect(renderTable({ ...result, replayed: { ...result.replayed, tick_phase_ms: 1.5 } }, 400).split('\n')[0]).toMatch(/, and the scheduler cfs-6\.1 with its ticks at phase 1\.5 ms \(where a kernel's fall is chance: --tick-phase replays at others\)$/);
    // the fair scheduler it replayed with (--sched)
    expect(renderTable({ ...result, replayed: { ...result.replayed, scheduler: 'eevdf-6.12' } }, 400).split('\n')[0]).toContain(', and the scheduler eevdf-6.12 with its ticks at phase 0 ms');
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

describe('validate --cpu-scale and --tick-phase output', () => {
  const r: SensitivityResult = {
    axis: 'cpu_scale',
    counters: 349,
    points: [{ value: 0.97, ok: 336, out: 13 }, { value: 1, ok: 337, out: 12 }, { value: 1.03, ok: 339, out: 10 }],
    out: [
      { case: 'limit50-zbud', phase: 'write', counter: 'pool_limit_hit', out_at: [0.97, 1, 1.03], tmemsim: [2, 3, 2], kernel_min: 361, kernel_max: 544, tolerance: 27.2, straddles: false },
      { case: 'limit20-zsmalloc', phase: 'write', counter: 'reject_reclaim_fail', out_at: [0.97, 1], tmemsim: [36000, 35500, 33000], kernel_min: 28535, kernel_max: 33187, tolerance: 1659.4, straddles: false },
      { case: 'rw-zsmalloc-zstd', phase: 'write', counter: 'reject_reclaim_fail', out_at: [0.97, 1, 1.03], tmemsim: [2372, 2987, 3088], kernel_min: 2764, kernel_max: 2819, tolerance: 141, straddles: true },
    ],
  };
  const ticks: SensitivityResult = {
    axis: 'tick_phase_ms',
    counters: 349,
    points: [{ value: 0, ok: 345, out: 4 }, { value: 2, ok: 348, out: 1 }],
    out: [
      { case: 'rw-zsmalloc-zstd', phase: 'rewrite', counter: 'bytes_per_stored_page', out_at: [0, 2], tmemsim: [1743.24, 1743.47], kernel_min: 1774.4, kernel_max: 1806.9, tolerance: 18.1, straddles: false },
      { case: 'limit50-zbud', phase: 'write', counter: 'pool_limit_hit', out_at: [0], tmemsim: [2, 343], kernel_min: 361, kernel_max: 544, tolerance: 27.2, straddles: false },
    ],
  };

  it('gives the within count per scale, then the counters out at every scale apart from those out at some, with the figure at each', () => {
    const t = renderSensitivityTable(r, 100);
    expect(t).toMatch(/│ x0\.97\s+│\s+336 │\s+13 │/);
    // Sentences may wrap at any space (\s+ between words).
    const words = (text: string): RegExp => new RegExp(text.split(' ').map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\s+'));
    expect(t).toMatch(words("out of tolerance at every point, on one side of the kernel's range (1): the model's deviations; tmemsim at each of the scales above, * out:\n  limit50-zbud write pool_limit_hit, kernel 361–544 ±27.2: 2*, 3*, 2*\n"));
    expect(t).toMatch(words("out at every point but below the kernel's range at some and above it at others (1): a race the costs decide carries them across the range\n  rw-zsmalloc-zstd write reject_reclaim_fail, kernel 2,764–2,819 ±141: 2,372*, 2,987*, 3,088*\n"));
    expect(t).toContain('out at some scales only (1): they follow a race the costs decide');
    expect(t).toMatch(/\n  limit20-zsmalloc write reject_reclaim_fail, kernel 28,535–33,187 ±1,659\.4: 36,000\*, 35,500\*,\s+33,000\n/);
    for (const line of t.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });

  it('names the tick phases in ms and says what decides a counter out at some only', () => {
    const t = renderSensitivityTable(ticks, 100);
    expect(t).toMatch(/│ tick phase │ within │ out │/);
    expect(t).toMatch(/│ 2 ms\s+│\s+348 │\s+1 │/);
    expect(t).toContain('  rw-zsmalloc-zstd rewrite bytes_per_stored_page, kernel 1,774.4–1,806.9 ±18.1: 1,743.2*, 1,743.5*\n');
    expect(t).toMatch(/out at some tick phases only \(1\): they follow where the ticks fall/);
    expect(t).not.toContain('below the kernel\'s range at some');
    expect(t).toContain('  limit50-zbud write pool_limit_hit, kernel 361–544 ±27.2: 2*, 343\n');
    for (const line of t.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });

  it('writes CSV with a row per counter and JSON with the points under their axis\'s name', () => {
    expect(renderSensitivityCsv(r).trim().split('\n')).toEqual([
      'case,phase,counter,out_at_scales,out_at_every_point,straddles,kernel_min,kernel_max,tolerance,tmemsim_at_each_of_scales',
      'limit50-zbud,write,pool_limit_hit,0.97 1 1.03,yes,no,361,544,27.2,2 3 2',
      'limit20-zsmalloc,write,reject_reclaim_fail,0.97 1,no,no,28535,33187,1659.4,36000 35500 33000',
      'rw-zsmalloc-zstd,write,reject_reclaim_fail,0.97 1 1.03,yes,yes,2764,2819,141,2372 2987 3088',
    ]);
    const j = JSON.parse(renderSensitivityJson(r));
    expect(j.axis).toBe('cpu_scale');
    expect(j.scales[1]).toEqual({ scale: 1, ok: 337, out: 12 });
    expect(j.out_of_tolerance).toHaveLength(3);
    const k = JSON.parse(renderSensitivityJson(ticks));
    expect(k.axis).toBe('tick_phase_ms');
    expect(k.scales).toBeUndefined();
    expect(k.tick_phases_ms).toEqual([{ tick_phase_ms: 0, ok: 345, out: 4 }, { tick_phase_ms: 2, ok: 348, out: 1 }]);
    expect(renderSensitivityCsv(ticks).split('\n')[0]).toBe('case,phase,counter,out_at_tick_phases_ms,out_at_every_point,straddles,kernel_min,kernel_max,tolerance,tmemsim_at_each_of_tick_phases_ms');
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
