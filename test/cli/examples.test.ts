/**
 * The examples run as a user would run them: `node examples/x.mjs` from the
 * repository root, importing the package by name ('tmemsim' resolves to this
 * package through its own "exports"). Also run --plot's SVGs.
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { runNode } from '../helpers/spawn.js';

const ROOT = path.resolve(__dirname, '../..');
const node = async (...args: string[]) => {
  const r = await runNode(args, ROOT);
  return { status: r.code, stdout: r.out, stderr: r.err };
};

describe('examples', () => {
  it('compressor-comparison.mjs sweeps compressors and prints ratios, savings and break-even per profile', async () => {
    const r = await node('examples/compressor-comparison.mjs', '--jobs', '2');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    for (const c of ['lz4', 'lzo', 'zstd', 'deflate']) expect(r.stdout).toMatch(new RegExp(`^${c} +\\d+\\.\\d\\d `, 'm'));
    expect(r.stdout).toMatch(/mobile-app-switch on mobile \(big \(Cortex-A72 class\)/);
    expect(r.stdout).toMatch(/mobile-app-switch on ssd/);
    expect(r.stdout).toMatch(/least energy: mobile-app-switch\/mobile\/zcache\//);
    expect(r.stdout).toMatch(/when storage energy per operation/);
  });

  it('lifecycle-study.mjs compares rmmod strategies and writes its charts', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tmemsim-life-'));
    const r = await node('examples/lifecycle-study.mjs', dir);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    for (const s of ['flush', 'zombie', 'writethrough', 'refuse']) expect(r.stdout).toMatch(new RegExp(`^${s} +rmmod`, 'm'));
    expect(r.stdout).toMatch(/^refuse +rmmod +refused/m);
    expect(r.stdout).toMatch(/wrote 13 charts/);
    expect(fs.readdirSync(dir)).toContain('hit-ratio-lifecycle-mobile-zombie.svg');
  });
});

describe('tmemsim run --plot', () => {
  it('writes well-formed SVGs of pool, hit ratios and energy holding their series', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tmemsim-plot-'));
    const r = await node('bin/tmemsim.js', 'run', 'workloads/mixed-build.json', '--profile', 'ssd', '--fast', '--plot', dir);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/wrote 3 charts/);
    const files = fs.readdirSync(dir).sort();
    expect(files).toEqual(['energy-mixed-build-ssd.svg', 'hit-ratio-mixed-build-ssd.svg', 'pool-mixed-build-ssd.svg']);
    const read = (f: string): string => fs.readFileSync(path.join(dir, f), 'utf8');
    for (const f of files) expect(XMLValidator.validate(read(f))).toBe(true);
    expect(read('pool-mixed-build-ssd.svg')).toContain('zcache stored pages');
    expect(read('pool-mixed-build-ssd.svg')).toContain('zcache pool pages');
    expect(read('pool-mixed-build-ssd.svg')).toContain('simulated time (s)');
    for (const s of ['frontswap load hit', 'cleancache get hit', 'page cache hit']) expect(read('hit-ratio-mixed-build-ssd.svg')).toContain(s);
    for (const s of ['baseline (no backend)', 'storage', 'CPU', 'DRAM']) expect(read('energy-mixed-build-ssd.svg')).toContain(s);
    // one line per series: stored pages and pool pages
    expect(read('pool-mixed-build-ssd.svg').match(/aria-roledescription="line mark"/g)).toHaveLength(2);
  });
});
