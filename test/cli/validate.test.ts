import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tmemsim } from '../helpers/cli.js';
import { tempDir } from '../helpers/files.js';

// Two fixture cases whose verdicts do not depend on the model: 1,000 pages in a
// 3,000-page workload RAM never swap, so `fits` (kernel: nothing swapped) is within
// tolerance and `outlier` (kernel made to claim ~5,000 swap-ins) is out of it.
const REFS = path.resolve(__dirname, '../fixtures/validation');

const tmp = tempDir('validate-');
afterAll(() => tmp.cleanup());

describe('tmemsim validate', () => {
  it('prints counter | kernel range | tmemsim | error per case and phase, exit 1 out of tolerance', async () => {
    const r = await tmemsim('validate', '--references', REFS);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/phase\s+│ counter\s+│\s+kernel \(min–max\) │\s+tmemsim │\s+error/);
    expect(r.out).toMatch(/│ reread\s+│ pswpin\s+│\s+5,000–5,100 │\s+0 │\s+-100 % │\s+±255 │ OUT/);
    expect(r.out).toMatch(/fits: .*\n.*2 runs; \d+ ok, 0 out of tolerance/);
    expect(r.out).toMatch(/validate: 2 cases, \d+ counters compared: \d+ within tolerance, 2 out of tolerance/);
  });

  it('exits 0 when every counter of the cases asked for is within tolerance', async () => {
    const r = await tmemsim('validate', '--references', REFS, '--case', 'fits');
    expect(r.code).toBe(0);
    expect(r.out).not.toContain('outlier');
  });

  it('--jobs: the cases replayed on worker threads give the same output, byte for byte, for the suite and a sensitivity run', async () => {
    for (const extra of [[], ['--tick-phase', '0,2']]) {
      const one = await tmemsim('validate', '--references', REFS, '--format', 'json', '--jobs', '1', ...extra);
      const two = await tmemsim('validate', '--references', REFS, '--format', 'json', '--jobs', '2', ...extra);
      expect([one.code, two.code], extra.join(' ')).toEqual(extra.length === 0 ? [1, 1] : [0, 0]);
      expect(two.out, extra.join(' ')).toBe(one.out);
      expect(JSON.parse(two.out).tool).toBe('tmemsim');
    }
    const bad = await tmemsim('validate', '--references', REFS, '--jobs', '0');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^tmemsim: field '--jobs': 0 is out of range/);
  });

  it('--update-known that cannot write the --known file blames --known, not --out', async () => {
    const dangling = tmp.path('known-link.json');
    fs.symlinkSync(tmp.path('no-such-dir', 'known.json'), dangling);
    const r = await tmemsim('validate', '--references', REFS, '--known', dangling, '--update-known');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^tmemsim: field '--known': cannot write .*a symbolic link to nothing/);
  });

  it('--cpu-scale replays once per scale and lists the counters out at every scale apart from those out at some', async () => {
    const r = await tmemsim('validate', '--references', REFS, '--cpu-scale', '0.9,1,1.1');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/│ x0\.9\s+│\s+\d+ │\s+2 │/);
    expect(r.out).toMatch(/│ x1\.1\s+│\s+\d+ │\s+2 │/);
    expect(r.out).toMatch(/out of tolerance at every point, on one side of the kernel's range \(2\): the model's deviations;\s+tmemsim\s+at\s+each\s+of\s+the\s+scales\s+above, \* out:\n  outlier reread pswpin, kernel 5,000–5,100 ±255: 0\*, 0\*, 0\*\n  outlier reread pgpgin, kernel 20,000–20,400 ±1,020: 0\*, 0\*, 0\*\n/);
    expect(r.out).toContain('out at some scales only (0)');
    const json = JSON.parse((await tmemsim('validate', '--references', REFS, '--cpu-scale', '1,2', '--format', 'json')).out);
    expect(json.scales.map((s: { scale: number }) => s.scale)).toEqual([1, 2]);
    expect(json.out_of_tolerance).toEqual([
      { case: 'outlier', phase: 'reread', counter: 'pswpin', out_at: [1, 2], tmemsim: [0, 0], kernel_min: 5000, kernel_max: 5100, tolerance: 255, straddles: false },
      { case: 'outlier', phase: 'reread', counter: 'pgpgin', out_at: [1, 2], tmemsim: [0, 0], kernel_min: 20000, kernel_max: 20400, tolerance: 1020, straddles: false },
    ]);
  });

  it('--tick-phase replays once per phase of the scheduler\'s ticks, with the same lists', async () => {
    const r = await tmemsim('validate', '--references', REFS, '--tick-phase', '0,1.5,3.75', '--format', 'json');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json.axis).toBe('tick_phase_ms');
    expect(json.tick_phases_ms.map((s: { tick_phase_ms: number; out: number }) => [s.tick_phase_ms, s.out])).toEqual([[0, 2], [1.5, 2], [3.75, 2]]);
    expect(json.out_of_tolerance.map((c: { counter: string; out_at: number[] }) => [c.counter, c.out_at])).toEqual([['pswpin', [0, 1.5, 3.75]], ['pgpgin', [0, 1.5, 3.75]]]);
    const t = await tmemsim('validate', '--references', REFS, '--tick-phase', '0,2');
    expect(t.out).toMatch(/│ 2 ms\s+│\s+\d+ │\s+2 │/);
  });

  it('--tick-phase refuses what is not a phase within one tick, a phase twice, and --cpu-scale beside it, in one line, exit 2', async () => {
    for (const bad of ['4', '-1', 'x', '1,,2', '1,1.0', '1e0']) {
      const r = await tmemsim('validate', '--references', REFS, '--tick-phase', bad);
      expect(r.code, bad).toBe(2);
      expect(r.err.trim().split('\n'), bad).toHaveLength(1);
      expect(r.err, bad).toMatch(/^tmemsim: field '--tick-phase': .*\(accepted: milliseconds from 0 up to but not including 4/);
    }
    const both = await tmemsim('validate', '--references', REFS, '--tick-phase', '1', '--cpu-scale', '1');
    expect(both.code).toBe(2);
    expect(both.err).toMatch(/give --cpu-scale or --tick-phase, not both/);
  });

  it('--cpu-scale refuses a list that is not scales, and --known beside it, in one line, exit 2', async () => {
    for (const bad of ['0', '-1', 'x', '1,,2', '1,1', '11']) {
      const r = await tmemsim('validate', '--references', REFS, '--cpu-scale', bad);
      expect(r.code, bad).toBe(2);
      expect(r.err.trim().split('\n'), bad).toHaveLength(1);
      expect(r.err, bad).toMatch(/^tmemsim: field '--cpu-scale': .*\(accepted: comma-separated numbers above 0/);
    }
    const k = await tmemsim('validate', '--references', REFS, '--cpu-scale', '1', '--known', tmp.path('k.json'));
    expect(k.code).toBe(2);
    expect(k.err).toMatch(/--cpu-scale does not ratchet/);
  });

  it('--kernel-runs judges another recording\'s kernel runs against the references, and refuses the replay options beside it', async () => {
    // The fixtures' `fits` runs, recorded "again" as `outlier`'s name: its runs claim ~5,000
    // swap-ins where outlier's references have them, so they are within; judged the other way
    // round (outlier's runs against fits' references) they are out.
    const again = tmp.path('again');
    fs.mkdirSync(again, { recursive: true });
    fs.writeFileSync(path.join(again, 'fits.json'), fs.readFileSync(path.join(REFS, 'fits.json')));
    const same = await tmemsim('validate', '--references', REFS, '--kernel-runs', again, '--format', 'json');
    expect(same.code).toBe(0);
    const j = JSON.parse(same.out);
    expect(j).toMatchObject({ tool: 'tmemsim', reproducibility: 1 });
    expect(j.ok).toBe(j.counters);
    const other = JSON.parse(fs.readFileSync(path.join(REFS, 'outlier.json'), 'utf8'));
    other.case = 'fits';
    fs.writeFileSync(path.join(again, 'fits.json'), JSON.stringify(other));
    const out = await tmemsim('validate', '--references', REFS, '--kernel-runs', again);
    expect(out.code).toBe(0);
    expect(out.out).toMatch(/out of tolerance in one run or more \([1-9]/);
    expect(out.out).toContain('fits ');
    const k = await tmemsim('validate', '--references', REFS, '--kernel-runs', again, '--known', tmp.path('k.json'));
    expect(k.code).toBe(2);
    expect(k.err.trim().split('\n')).toHaveLength(1);
  });

  it('writes csv and json', async () => {
    const csv = await tmemsim('validate', '--references', REFS, '--format', 'csv');
    const lines = csv.out.trim().split('\n');
    // The fresh kernel runs' columns: none of the package's recordings ran the fixtures' experiments.
    expect(lines[0]).toBe('case,phase,counter,kernel_min,kernel_max,tmemsim,error,error_pct,tolerance,status,fresh_runs,fresh_out,fresh_min,fresh_max');
    expect(lines).toContain('outlier,reread,pswpin,5000,5100,0,-5000,-100,255,OUT,0,,,');
    const json = JSON.parse((await tmemsim('validate', '--references', REFS, '--format', 'json')).out);
    expect(json.out_of_tolerance).toBe(2);
    expect(json.cases.map((c: { case: string }) => c.case)).toEqual(['fits', 'outlier']);
  });

  it('ratchets against a known-deviations file and rewrites it with --update-known', async () => {
    const known = tmp.path('known.json');
    const up = await tmemsim('validate', '--references', REFS, '--known', known, '--update-known', '--format', 'csv');
    expect(up.code).toBe(0);
    expect(JSON.parse(fs.readFileSync(known, 'utf8')).deviations).toEqual(['outlier/reread/pgpgin', 'outlier/reread/pswpin']);
    expect((await tmemsim('validate', '--references', REFS, '--known', known)).code).toBe(0);
    // an unlisted deviation fails
    fs.writeFileSync(known, JSON.stringify({ note: '', deviations: ['outlier/reread/pswpin'] }));
    const fresh = await tmemsim('validate', '--references', REFS, '--known', known);
    expect(fresh.code).toBe(1);
    expect(fresh.err).toContain('out of tolerance and not in');
    expect(fresh.err).toContain('outlier/reread/pgpgin');
    // a listed one that passes fails too: the list only shrinks
    fs.writeFileSync(known, JSON.stringify({ note: '', deviations: ['fits/write/pswpout', 'outlier/reread/pgpgin', 'outlier/reread/pswpin'] }));
    const fixed = await tmemsim('validate', '--references', REFS, '--known', known);
    expect(fixed.code).toBe(1);
    expect(fixed.err).toContain('within tolerance now (run with --update-known): fits/write/pswpout');
  });

  it('--fresh-runs: each counter out of tolerance beside the fresh kernel runs read; none without them; the verdict unchanged', async () => {
    // A "recording" of the outlier case: its reference's own two runs, so each lies in the range.
    const rec = tmp.path('fresh-rec');
    fs.mkdirSync(rec, { recursive: true });
    fs.copyFileSync(path.join(REFS, 'outlier.json'), path.join(rec, 'outlier.json'));
    const r = await tmemsim('validate', '--references', REFS, '--fresh-runs', rec);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/validate: 2 cases, \d+ counters compared: \d+ within tolerance, 2 out of tolerance\n\nthe 2 out of tolerance beside the kernel's fresh runs: 2 runs of the same experiments recorded on\s+other days \(fresh-rec\)/);
    expect(r.out).toMatch(/  outlier reread pswpin: references 5,000–5,100 ±255, tmemsim 0 \(-100 %\); the fresh runs\s+5,000–5,100, out in 0 of 2; tmemsim below every kernel run\n/);
    const json = JSON.parse((await tmemsim('validate', '--references', REFS, '--fresh-runs', rec, '--format', 'json')).out);
    expect(json.out_of_tolerance).toBe(2);
    expect(json.fresh_kernel_runs.runs).toBe(2);
    expect(json.fresh_kernel_runs.counters).toContainEqual({ case: 'outlier', phase: 'reread', counter: 'pswpin', judged: 2, out: 0, min: 5000, max: 5100 });
    const csv = (await tmemsim('validate', '--references', REFS, '--fresh-runs', rec, '--format', 'csv')).out.trim().split('\n');
    expect(csv).toContain('outlier,reread,pswpin,5000,5100,0,-5000,-100,255,OUT,2,0,5000,5100');
    expect(csv.find((l) => l.startsWith('fits,'))).toMatch(/,0,,,$/);
    const noneCsv = (await tmemsim('validate', '--references', REFS, '--fresh-runs', 'none', '--format', 'csv')).out.trim().split('\n');
    expect(noneCsv[0]).toBe('case,phase,counter,kernel_min,kernel_max,tmemsim,error,error_pct,tolerance,status');
    expect(noneCsv).toContain('outlier,reread,pswpin,5000,5100,0,-5000,-100,255,OUT');
    const none = await tmemsim('validate', '--references', REFS, '--fresh-runs', 'none');
    expect(none.code).toBe(1);
    expect(none.out).not.toContain('fresh runs');
    expect(JSON.parse((await tmemsim('validate', '--references', REFS, '--fresh-runs', 'none', '--format', 'json')).out)).not.toHaveProperty('fresh_kernel_runs');
    // The package's recordings ran other experiments than the fixtures'.
    expect((await tmemsim('validate', '--references', REFS)).out).toContain("the 2 out of tolerance beside the kernel's fresh runs: none of the recordings read ran these cases'");
    for (const [args, err] of [
      [['--fresh-runs', tmp.path('no-such-dir')], /^tmemsim: field '--fresh-runs': --fresh-runs ".*no-such-dir" is not a directory \(accepted: 'none', or directories of recorded runs/],
      [['--fresh-runs', 'none', '--fresh-runs', rec], /^tmemsim: field '--fresh-runs': --fresh-runs none goes alone/],
      [['--fresh-runs', rec, '--tick-phase', '0'], /^tmemsim: field '--fresh-runs': --fresh-runs goes with a plain replay/],
    ] as const) {
      const bad = await tmemsim('validate', '--references', REFS, ...args);
      expect(bad.code, args.join(' ')).toBe(2);
      expect(bad.err, args.join(' ')).toMatch(err);
      expect(bad.err.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
  });

  it('bad input: one line, exit 2', async () => {
    const f = await tmemsim('validate', '--references', REFS, '--format', 'xml');
    expect(f.code).toBe(2);
    expect(f.err).toBe('tmemsim: field \'--format\': unknown output format "xml" (accepted: table, json, csv)\n');
    const c = await tmemsim('validate', '--references', REFS, '--case', 'nope');
    expect(c.code).toBe(2);
    expect(c.err).toContain("unknown case 'nope' (accepted: fits, outlier)");
    const u = await tmemsim('validate', '--references', REFS, '--update-known');
    expect(u.code).toBe(2);
    const e = await tmemsim('validate', '--references', REFS, '--zswap-era', '6.13');
    expect(e.code).toBe(2);
    expect(e.err).toBe('tmemsim: field \'--zswap-era\': unknown zswap era "6.13" (accepted: 4.x, 6.1, 6.6, 6.8+, 6.12)\n');
  });
});
