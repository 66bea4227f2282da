/**
 * validate's fresh kernel runs (src/validate/fresh-runs.ts): the package's other recordings of
 * the references' experiments judged against the references. The counts are checked against an
 * independent reading of the JSON files written here: a counter's figure is its value at the
 * phase's mark less the start mark's, the references' range the min and max of theirs, and a
 * run is out when it lies further outside that range than 5 % of the range's larger end (at
 * least 10), validate's rule for event counters (docs/validation.md).
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packagePath } from '../../../src/package-files.js';
import { defaultReferenceDir, readReferences } from '../../../src/validate/reference.js';
import { defaultFreshRunDirs, freshRuns, sameExperiment } from '../../../src/validate/fresh-runs.js';

const REFS = defaultReferenceDir();

interface Mark { name: string; zswap: Record<string, number>; vmstat: Record<string, number> }
interface Doc { kernel: { uname_r: string; version: string }; workload: unknown; runs: { marks: Mark[] }[] }

const read = (file: string): Doc => JSON.parse(fs.readFileSync(file, 'utf8')) as Doc;

/** An event counter's figure in one run at `phase`: the mark's less the start's. */
function figure(run: Doc['runs'][number], phase: string, group: 'zswap' | 'vmstat', counter: string): number {
  const at = run.marks.find((m) => m.name === phase)!;
  const start = run.marks.find((m) => m.name === 'start')!;
  return at[group][counter]! - start[group][counter]!;
}

/** The fresh runs' count, out count and spread for one counter, read from the files directly. */
function expected(caseName: string, phase: string, group: 'zswap' | 'vmstat', counter: string) {
  const ref = read(path.join(REFS, `${caseName}.json`));
  const ks = ref.runs.map((r) => figure(r, phase, group, counter));
  const lo = Math.min(...ks);
  const hi = Math.max(...ks);
  const tol = Math.max(0.05 * Math.max(Math.abs(lo), Math.abs(hi)), 10);
  const xs: number[] = [];
  for (const top of ['validation/recordings', 'validation/other-kernels']) {
    const root = packagePath(top);
    for (const d of fs.readdirSync(root)) {
      const file = path.join(root, d, `${caseName}.json`);
      if (!fs.existsSync(file)) continue;
      const doc = read(file);
      if (doc.kernel.uname_r !== ref.kernel.uname_r || JSON.stringify(doc.workload) !== JSON.stringify(ref.workload)) continue;
      for (const r of doc.runs) xs.push(figure(r, phase, group, counter));
    }
  }
  const out = xs.filter((x) => x < lo - tol || x > hi + tol).length;
  return { judged: xs.length, out, min: Math.min(...xs), max: Math.max(...xs) };
}

describe('the kernel\'s fresh runs beside validate\'s verdict', () => {
  const refs = readReferences(REFS);
  const fresh = freshRuns(refs, defaultFreshRunDirs(), REFS);

  it('reads the package\'s 6.1 recordings for the 6.1 references, not the 6.12.95 ones nor the references themselves', () => {
    expect(fresh.recordings.map((d) => path.relative(packagePath('validation'), d))).toEqual([
      'recordings/2026-12-05', 'recordings/2026-12-05b', 'recordings/2026-12-06', 'recordings/2026-12-06b',
    ]);
    expect(fresh.runs).toBeGreaterThan(100);
  });

  it.each([
    ['limit50-zbud', 'write', 'zswap', 'pool_limit_hit'],
    ['rw-zsmalloc-zstd', 'write', 'zswap', 'pool_limit_hit'],
    ['rw-zsmalloc-zstd', 'write', 'vmstat', 'pswpout'],
    ['limit20-zsmalloc', 'reread', 'zswap', 'reject_reclaim_fail'],
    ['swapin-seq', 'swapin', 'vmstat', 'pswpin'],
  ] as const)('%s %s %s: runs judged, out and spread as read from the files', (c, phase, group, counter) => {
    const want = expected(c, phase, group, counter);
    expect(want.judged).toBeGreaterThan(0);
    expect(fresh.counters.get(`${c}/${phase}/${counter}`)).toEqual({ case: c, phase, counter, ...want });
  });

  it('a recording of another kernel, or the references\' own directory, gives no run', () => {
    const other = freshRuns(refs, [packagePath('validation/other-kernels/linux-6.12.95')], REFS);
    expect(other).toEqual({ recordings: [], runs: 0, counters: new Map() });
    expect(freshRuns(refs, [REFS], REFS).runs).toBe(0);
    // The references by another name (a link) are still the references.
    const link = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tmemsim-fresh-link-')), 'refs');
    fs.symlinkSync(REFS, link);
    try {
      expect(freshRuns(refs, [link], REFS).runs).toBe(0);
    } finally {
      fs.rmSync(path.dirname(link), { recursive: true, force: true });
    }
  });

  it('a case whose workload changed is another experiment, and is left out', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tmemsim-fresh-'));
    try {
      const doc = JSON.parse(fs.readFileSync(path.join(REFS, 'swapin-seq.json'), 'utf8'));
      fs.writeFileSync(path.join(dir, 'swapin-seq.json'), JSON.stringify(doc));
      const same = freshRuns(refs, [dir], REFS);
      expect(same.runs).toBe(doc.runs.length);
      // Its own runs, judged against themselves: all within.
      expect([...same.counters.values()].every((c) => c.out === 0 && c.judged === doc.runs.length)).toBe(true);
      doc.workload.seed += 1;
      fs.writeFileSync(path.join(dir, 'swapin-seq.json'), JSON.stringify(doc));
      expect(freshRuns(refs, [dir], REFS).runs).toBe(0);
      const ref = refs.find((r) => r.case === 'swapin-seq')!;
      expect(sameExperiment(ref, { ...ref, guest: { ...ref.guest, memory_mib: ref.guest.memory_mib * 2 } })).toBe(false);
      expect(sameExperiment(ref, { ...ref, kernel: { ...ref.kernel, version: 'other' } })).toBe(false);
      expect(sameExperiment(ref, { ...ref, config: { ...ref.config, sys: { extra: 1 } } })).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
