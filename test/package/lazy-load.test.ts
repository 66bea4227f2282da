/**
 * What the bin and the library load: nothing native and no plot library at
 * start-up, so an install without a compiler (or with --ignore-scripts) and
 * without --plot works. These spawn node, because what they test is the
 * process's module loading: test/fixtures/load-probe.mjs (preloaded with
 * --import) refuses vega, vega-lite, lz4 and lzo as if they were absent and
 * says so on stderr; it refuses ajv too, which a run does without (the build
 * precompiles the trace schema's validators: src/trace/validate.ts). The
 * tests that expect a refusal are the probe's controls: a command that needs
 * one of them is refused it.
 */

import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runNode } from '../helpers/spawn.js';
import { VERSION } from '../../src/version.js';
import { workerScript } from '../../src/threads.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const PROBE = ['--import', './test/fixtures/load-probe.mjs'];

describe('lazy loading of optional and heavy packages', () => {
  it('tmemsim --version loads none of them', async () => {
    const r = await runNode([...PROBE, 'bin/tmemsim.js', '--version'], ROOT);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out.trim()).toBe(VERSION);
  });

  it("require('tmemsim') works and runs a workload with lz4 and zstd without loading any of them", async () => {
    const script = `
      const t = require('tmemsim');
      (async () => {
        for (const compressor of ['lz4', 'zstd']) {
          const r = await t.run({ trace: 'workloads/gen-database.jsonl', profiles: ['ssd'], compressor, fast: true });
          console.log(compressor, r.runs[0].backend.ratios.compression_ratio > 1);
        }
        console.log(t.compressorAvailable('lz4'), t.compressorAvailable('zstd'), t.compressorAvailable('lzo'), t.compressorAvailable('842'));
      })();`;
    const r = await runNode([...PROBE, '-e', script], ROOT);
    // Only compressorAvailable('lzo') tries to load a refused package.
    expect(r.err).toBe('load-probe: refused lzo\n');
    expect(r.code).toBe(0);
    expect(r.out).toBe('lz4 true\nzstd true\ntrue true false false\n');
  });

  it('tmemsim run of a JSON, a JSONL and an imported trace loads no ajv: the trace schema comes precompiled', async () => {
    for (const trace of ['workloads/mobile-app-switch.json', 'workloads/gen-database.jsonl', '../shared/traces/cloudPhysicsIO.oracleGeneral.bin']) {
      const r = await runNode([...PROBE, 'bin/tmemsim.js', 'run', trace, '--fast', '-q', '--profile', 'ssd', '--format', 'json'], ROOT);
      expect(r.err, trace).toBe('');
      expect(r.code, trace).toBe(0);
      expect(JSON.parse(r.out).runs.length, trace).toBeGreaterThan(0);
    }
  });

  it('a bad event is still one line naming it, without ajv', async () => {
    const dir = `${ROOT}node_modules/.cache/lazy-load-ajv`;
    mkdirSync(dir, { recursive: true });
    const header = JSON.stringify({ format: 'tmemsim-trace', version: 1, config: { ram_mb: 64, swap: [{ type: 0, slots: 1024 }] } });
    writeFileSync(`${dir}/bad-event.jsonl`, `${header}\n{"op":"anon","page":1}\n{"op":"frontswap_store","type":0}\n`);
    const r = await runNode([...PROBE, 'bin/tmemsim.js', 'run', `${dir}/bad-event.jsonl`, '--fast', '-q', '--profile', 'ssd'], ROOT);
    expect(r.err).toMatch(/^tmemsim: .*bad-event\.jsonl:3, event #1, field 'offset': missing \(required for frontswap_store: type, offset\)/);
    expect(r.err).not.toMatch(/load-probe/);
    expect(r.code).toBe(2);
  });

  it('a profile file is checked with ajv (the probe refuses it)', async () => {
    const r = await runNode([...PROBE, 'bin/tmemsim.js', 'run', 'workloads/gen-database.jsonl', '--fast', '-q', '--profile', 'profiles/example-rpi4.json'], ROOT);
    expect(r.err).toMatch(/load-probe: refused ajv/);
    expect(r.code).not.toBe(0);
  });

  it('the bin runs the CLI\'s bundle (dist/bin/, scripts/bundle-cli.mjs): no module of dist/ is loaded on its own', async () => {
    // A load hook (module.register) that names every file: URL node loads.
    const hook = `export async function load(url, ctx, next) { if (url.startsWith('file:')) process.stderr.write('loaded ' + url + '\\n'); return next(url, ctx); }`;
    const register = `import { register } from 'node:module'; register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hook)}));`;
    const r = await runNode(['--import', `data:text/javascript,${encodeURIComponent(register)}`, 'bin/tmemsim.js', 'run', 'workloads/gen-database.jsonl', '--fast', '-q', '--profile', 'ssd'], ROOT);
    expect(r.code).toBe(0);
    const dist = r.err.split('\n').filter((l) => l.startsWith('loaded ')).map((l) => l.slice('loaded '.length)).filter((u) => u.includes('/dist/'));
    expect(dist.length).toBeGreaterThan(0);
    expect(dist.filter((u) => !/\/dist\/bin\/(main|chunk-[A-Z0-9]+)\.js$/.test(u))).toEqual([]);
  });

  it('worker threads run the bundled worker scripts (the load hook does not see a worker\'s loads)', () => {
    for (const name of ['pass-worker', 'sweep-worker'] as const) {
      const url = workerScript(name);
      expect(url.pathname.endsWith(`/dist/bin/${name}.js`)).toBe(true);
      expect(existsSync(url)).toBe(true);
    }
  });

  it('a compressor whose optional native package is missing is one line naming it and how to install it, exit 2', async () => {
    const r = await runNode([...PROBE, 'bin/tmemsim.js', 'run', 'workloads/gen-database.jsonl', '--compressor', 'lz4hc', '--fast', '-q'], ROOT);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    const lines = r.err.trimEnd().split('\n').filter((l) => !l.startsWith('load-probe:'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^tmemsim: field '--compressor': compressor 'lz4hc' needs the optional native package 'lz4', .*npm install lz4/);
  });

  it('--plot does import vega (the probe refuses it)', async () => {
    const dir = `${ROOT}node_modules/.cache/lazy-load-plot`;
    const r = await runNode([...PROBE, 'bin/tmemsim.js', 'run', 'workloads/gen-database.jsonl', '--fast', '-q', '--profile', 'ssd', '--plot', dir], ROOT);
    expect(r.err).toMatch(/load-probe: refused vega/);
    expect(r.code).not.toBe(0);
  });
});
