/**
 * The README's CI example, exactly as written, in-process: a run report
 * compared with the shipped baseline. A run report names its configurations
 * in the id scheme of sweep rows and baselines, and covers only those, so it
 * is compared on the baseline entries it holds.
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tmemsimIn } from '../helpers/cli.js';
import { expandGrid, configId } from '../../src/sweep/grid.js';

/** A work directory with the repository's workloads/ and results/ (the README's commands run from the root). */
function workDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tmemsim-readme-ci-'));
  for (const d of ['workloads', 'results']) fs.symlinkSync(path.join(ROOT, d), path.join(dir, d));
  return dir;
}

const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const RUN = 'npx tmemsim run workloads/mixed-build.json --backend zcache --compressor deflate --format json --out run.json';
const COMPARE = 'npx tmemsim compare run.json results/baseline.json --tol compression_ratio=2%';
/** The arguments of a README command line (no quoting in these two). */
const args = (line: string): string[] => line.split(/\s+/).slice(2);

describe("README's CI example", () => {
  it('is in the README as tested here', () => {
    expect(README).toContain(RUN);
    expect(README).toContain(COMPARE);
  });

  it('run, then compare with the shipped baseline: exit 0, the ssd run matched and within tolerance', async () => {
    const dir = workDir();
    const r = await tmemsimIn(dir, args(RUN));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(fs.readFileSync(path.join(dir, 'run.json'), 'utf8')) as { runs: { id: string }[] };
    expect(report.runs.map((x) => x.id)).toEqual(['mixed-build/ssd/zcache/deflate/-/-', 'mixed-build/mobile/zcache/deflate/-/-']);
    const c = await tmemsimIn(dir, args(COMPARE));
    expect(c.err).toBe('');
    expect(c.code).toBe(0);
    // ssd is in the baseline (every default-tolerance metric it keeps: 7); mobile is not ("new").
    // The summary wraps at spaces to 100 columns (output that is not a terminal).
    expect(c.out).toMatch(/compare: 1 baseline entries \(50 more not in this run report, not compared\), 7 metrics compared: 0\s+regressions/);
    expect(c.out).toMatch(/mixed-build\/mobile\/zcache\/deflate\/-\/- .* new/);
    // --all lists every compared metric, its table fitted to 100 columns like every other table (split, key columns repeated).
    const all = await tmemsimIn(dir, [...args(COMPARE), '--all']);
    expect(all.code).toBe(0);
    expect(all.out.split('\n').filter((l) => [...l].length > 100)).toEqual([]);
    for (const m of ['compression_ratio', 'pool_density', 'frontswap_load_hit', 'cleancache_get_hit', 'pagecache_hit', 'stale', 'lost']) {
      expect(all.out).toMatch(new RegExp(`mixed-build/ssd/zcache/deflate/-/- +│ ${m} +│ .* ok +│`));
    }

    // The same comparison fails on a run whose figure moved beyond the tolerance.
    const worse = JSON.parse(fs.readFileSync(path.join(dir, 'run.json'), 'utf8')) as { runs: { backend: { ratios: { compression_ratio: number } } }[] };
    worse.runs[0]!.backend.ratios.compression_ratio *= 0.97;
    fs.writeFileSync(path.join(dir, 'worse.json'), JSON.stringify(worse));
    const w = await tmemsimIn(dir, ['compare', 'worse.json', 'results/baseline.json', '--tol', 'compression_ratio=2%']);
    expect(w.code).toBe(1);
    expect(w.out).toMatch(/mixed-build\/ssd\/zcache\/deflate\/-\/- .*compression_ratio.*REGRESSION/);
  });

  it("a run's ids are a sweep's ids for the same configuration, the pool limit and zpool when chosen", async () => {
    const dir = workDir();
    const sweepIds = expandGrid({ workloads: [path.join(dir, 'workloads/gen-database.jsonl')], compressors: ['zstd'], max_pool_percent: [10], profiles: ['ssd'] }).map(configId);
    expect(sweepIds).toEqual(['gen-database/ssd/zcache/zstd/-/010']);
    const r = await tmemsimIn(dir, ['run', 'workloads/gen-database.jsonl', '--compressor', 'zstd', '-p', 'max_pool_percent=10', '--profile', 'ssd', '--fast', '-f', 'json', '-o', 'r.json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(fs.readFileSync(path.join(dir, 'r.json'), 'utf8')) as { runs: { id: string }[] };
    expect(report.runs.map((x) => x.id)).toEqual(sweepIds);
  });

  it('a run report none of whose configurations is in the baseline is one line, exit 2', async () => {
    const dir = workDir();
    const r = await tmemsimIn(dir, ['run', 'workloads/gen-database.jsonl', '-p', 'max_pool_percent=10', '--profile', 'ssd', '--fast', '-f', 'json', '-o', 'r.json']);
    expect(r.code).toBe(0);
    const c = await tmemsimIn(dir, ['compare', 'r.json', 'results/baseline.json']);
    expect(c.code).toBe(2);
    expect(c.out).toBe('');
    expect(c.err).toMatch(/^tmemsim: no configuration of the run report is in the baseline \(run: gen-database\/ssd\/zcache\/lz4\/-\/010\) \(accepted: .*\)\n$/);
  });
});
