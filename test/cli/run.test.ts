/**
 * CLI tests, in-process through main(argv) (test/helpers/cli.ts): exit codes,
 * the one-line errors, determinism and the output files.
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tmemsim } from '../helpers/cli.js';



function tmp(name: string, text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tmemsim-cli-'));
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
}

const TINY = {
  format: 'tmemsim-trace',
  version: 1,
  config: { ram_pages: 2048, backend: 'zcache', swap: [{ type: 0, slots: 64 }], mounts: [{ fs: 1 }] },
  events: [
    { op: 'frontswap_store', type: 0, offset: 3, data: 'text' },
    { op: 'frontswap_load', type: 0, offset: 3 },
    { op: 'cleancache_put', fs: 1, inode: 2, index: 0, data: { b64: 'aGVsbG8gd29ybGQ=' } },
    { op: 'cleancache_get', fs: 1, inode: 2, index: 0 },
  ],
};

describe('tmemsim run', () => {
  it('prints the table report for a shipped workload on both profiles and exits 0', async () => {
    const r = await tmemsim('run', 'workloads/file-scan.json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('profile ssd');
    expect(r.out).toContain('profile mobile');
    expect(r.out).toContain('cleancache/succ_gets');
    expect(r.out).toContain('oracle: every load and get verified; 0 stale, 0 lost');
  });

  it('gives byte-identical JSON for the same inputs and seed, and different bytes for another seed', async () => {
    const a = await tmemsim('run', 'workloads/mixed-build.json', '--format', 'json', '--profile', 'ssd');
    const b = await tmemsim('run', 'workloads/mixed-build.json', '--format', 'json', '--profile', 'ssd');
    const c = await tmemsim('run', 'workloads/mixed-build.json', '--format', 'json', '--profile', 'ssd', '--seed', '2');
    expect(a.code).toBe(0);
    expect(a.out).toBe(b.out);
    expect(c.out).not.toBe(a.out);
    const j = JSON.parse(a.out);
    expect(Object.keys(j.runs[0].backend.frontswap)).toEqual(['loads', 'succ_stores', 'failed_stores', 'invalidates', 'frontswap_curr_pages']);
    expect(Object.keys(j.runs[0].backend.cleancache)).toEqual(['succ_gets', 'failed_gets', 'puts', 'invalidates']);
    expect(j.runs[0].backend.debugfs.zcache).toHaveProperty('eph_ate_tail');
    expect(j.runs[0].backend.debugfs.zbud).toHaveProperty('pers_zpages');
  });

  it('writes CSV to --out', async () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tmemsim-out-')), 'r.csv');
    const r = await tmemsim('run', tmp('t.json', JSON.stringify(TINY)), '--format', 'csv', '--out', out, '--profile', 'mobile');
    expect(r.code).toBe(0);
    const csv = fs.readFileSync(out, 'utf8');
    expect(csv.split('\n')[0]).toBe('profile,pass,section,metric,value');
    expect(csv).toContain('mobile,backend,frontswap,succ_stores,1');
    expect(csv).toContain('mobile,backend,cleancache,succ_gets,1');
  });

  it('overrides backend, compressor and parameters from the command line', async () => {
    const r = await tmemsim('run', tmp('t.json', JSON.stringify(TINY)), '--format', 'json', '-c', 'deflate', '-p', 'max_pool_percent=5', '--profile', 'ssd');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.config.compressor).toBe('deflate');
    expect(j.config.params.max_pool_percent).toBe(5);
  });

  const bad: [string, string[], RegExp][] = [
    ['an unknown backend', ['--backend', 'zcash'], /unknown backend 'zcash' \(accepted: .*zcache/],
    ['an unknown compressor', ['--compressor', 'lzma'], /unknown compressor 'lzma' \(accepted: .*lz4.*deflate/],
    ['an unknown profile', ['--profile', 'tablet'], /field '--profile': unknown profile 'tablet' \(accepted: .*ssd.*mobile/],
    ['an unknown parameter', ['-p', 'max_pool_pct=3'], /unknown parameter 'max_pool_pct'.*accepted: .*max_pool_percent/],
    ['a bad parameter value', ['-p', 'max_pool_percent=300'], /max_pool_percent/],
    ['an unknown report format', ['--format', 'xml'], /unknown report format 'xml' \(accepted: table, json, csv\)/],
    ['an unknown option', ['--frobnicate'], /unknown option '--frobnicate'/],
  ];
  for (const [what, args, re] of bad) {
    it(`rejects ${what} with one line and exit 2`, async () => {
      const r = await tmemsim('run', tmp('t.json', JSON.stringify(TINY)), ...args);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toMatch(re);
    });
  }

  it('names the file, line, event and field of a bad event, and keeps an existing --out file', async () => {
    const t = { ...TINY, events: [...TINY.events, { op: 'frontswap_store', type: 0, offset: 64 }] };
    const text = JSON.stringify(t, null, 1);
    const file = tmp('bad.json', text);
    const out = tmp('old.json', 'previous report');
    const r = await tmemsim('run', file, '--out', out);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/bad\.json:\d+, event #4, field 'offset': offset 64 is beyond swap area 0 \(accepted: 0\.\.63\)/);
    expect(fs.readFileSync(out, 'utf8')).toBe('previous report');
  });

  it('rejects malformed JSON with the file and line', async () => {
    const file = tmp('broken.json', '{"format":"tmemsim-trace","version":1,"config":{},"events":[\n{"op":"anon","page":1},\n{"op":"anon",,}\n]}');
    const r = await tmemsim('run', file);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/broken\.json:3/);
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });

  it('rejects an unknown event kind, naming the accepted ones', async () => {
    const file = tmp('t.jsonl', JSON.stringify({ format: 'tmemsim-trace', version: 1, config: {} }) + '\n{"op":"stor","type":0,"offset":1}\n');
    const r = await tmemsim('run', file);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/t\.jsonl:2, event #0, field 'op': unknown event kind 'stor'/);
  });

  it('rejects a missing trace file', async () => {
    const r = await tmemsim('run', 'no/such/trace.json');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no\/such\/trace\.json/);
  });

  it('compares rmmod strategies in one command, one run per strategy and profile', async () => {
    const r = await tmemsim('run', 'workloads/lifecycle.json', '--rmmod-strategy', 'flush,zombie,refuse', '--format', 'json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.runs.map((x: { profile: string; variant: string }) => `${x.profile}/${x.variant}`)).toEqual([
      'ssd/flush', 'ssd/zombie', 'ssd/refuse', 'mobile/flush', 'mobile/zombie', 'mobile/refuse',
    ]);
    const rm = (i: number) => j.runs[i].backend.lifecycle.find((l: { op: string }) => l.op === 'rmmod');
    expect(rm(0)).toMatchObject({ strategy: 'flush', outcome: 'ok', drained_ns: null });
    expect(rm(0).pages_to_ram + rm(0).pages_to_disk).toBeGreaterThan(0);
    expect(rm(1).strategy).toBe('zombie');
    expect(rm(1).drained_ns).toBeGreaterThan(rm(1).t_ns);
    expect(rm(2)).toMatchObject({ strategy: 'refuse', outcome: 'refused' });
  });

  it('injects lifecycle events with --at, by fraction, index and time', async () => {
    const r = await tmemsim('run', 'workloads/mixed-build.json', '--profile', 'ssd', '--no-baseline', '--format', 'json',
      '--at', '25%:rmmod=zombie', '--at', '15000:insmod=zswap,max_pool_percent=10', '--at', '10s:param=compressor=deflate');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    const life = j.runs[0].backend.lifecycle.map((l: { op: string; backend: string; event: number }) => `${l.op} ${l.backend} #${l.event}`);
    expect(life).toEqual(['rmmod zcache #7170', 'insmod zswap #15000']);
    expect(j.runs[0].backend.backend).toBe('zswap');
    expect(j.runs[0].backend.pools.map((p: { compressor: string }) => p.compressor)).toEqual(['lz4', 'deflate']);
  });

  it('rejects a malformed --at with one line naming the accepted forms', async () => {
    const r = await tmemsim('run', 'workloads/mixed-build.json', '--at', '50%:reboot');
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/bad --at '50%:reboot': unknown action 'reboot' \(accepted: WHEN:ACTION/);
  });

  it('exits 1 when the oracle finds lost pages, and says how many', async () => {
    const r = await tmemsim('run', 'workloads/ramster-node-failure.json', '--profile', 'ssd', '--no-baseline');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/oracle: FAILED: 0 stale, \d+ lost/);
    expect(r.err).toMatch(/the oracle found 0 stale and \d+ lost pages/);
  });

  it('lists backends, compressors and profiles', async () => {
    const b = (await tmemsim('backends')).out;
    for (const name of ['zcache_comp_name', 'zswap', 'xen-tmem', 'ramster', 'accept_threshold_percent', 'selfballoon_interval']) expect(b).toContain(name);
    expect((await tmemsim('compressors')).out).toContain('deflate');
    expect((await tmemsim('profiles')).out).toContain('mobile');
  });
});
