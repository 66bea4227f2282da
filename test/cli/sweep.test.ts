/**
 * tmemsim sweep and merge, in-process through main(argv): the same bytes whatever the
 * number of workers and whether sharded and merged or run whole; CSV, table,
 * frontier and break-even; SVG plots; one-line errors with exit 2.
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { ROOT, tmemsim } from '../helpers/cli.js';



const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tmemsim-sweep-'));
const GRID = ['workloads/xen-selfshrink.json', 'workloads/mobile-app-switch.json', '--compressors', 'lz4,lzo', '--profiles', 'ssd', '--fast'];

describe('tmemsim sweep', () => {
  it('gives byte-identical JSON with 1 or 2 workers and sharded-then-merged, with frontier and break-even', async () => {
    const whole = await tmemsim('sweep', ...GRID, '--jobs', '2', '--format', 'json', '--out', path.join(dir, 'whole.json'));
    expect(whole.err).toBe('');
    expect(whole.code).toBe(0);
    const one = await tmemsim('sweep', ...GRID, '--jobs', '1', '--format', 'json');
    expect(one.code).toBe(0);
    const text = fs.readFileSync(path.join(dir, 'whole.json'), 'utf8');
    expect(one.out).toBe(text);
    for (const k of [1, 2]) {
      const s = await tmemsim('sweep', ...GRID, '--shard', `${k}/2`, '--format', 'json', '--out', path.join(dir, `s${k}.json`));
      expect(s.code).toBe(0);
    }
    const s1 = JSON.parse(fs.readFileSync(path.join(dir, 's1.json'), 'utf8'));
    const s2 = JSON.parse(fs.readFileSync(path.join(dir, 's2.json'), 'utf8'));
    expect(s1.rows.length + s2.rows.length).toBe(3);
    expect(s1.rows.length).toBeGreaterThan(0);
    const merged = await tmemsim('merge', path.join(dir, 's2.json'), path.join(dir, 's1.json'));
    expect(merged.code).toBe(0);
    expect(merged.out).toBe(text);

    const j = JSON.parse(text);
    expect(j.rows.map((r: { id: string }) => r.id)).toEqual(['mobile-app-switch/ssd/zcache/lz4/-/-', 'mobile-app-switch/ssd/zcache/lzo/-/-', 'xen-selfshrink/ssd/xen-tmem/-/-/-']);
    const m = j.rows[0].metrics;
    expect(m.compression_ratio).toBeGreaterThan(1);
    expect(m.swap_in_p99_ns).toBeGreaterThan(0);
    // mean and p50 beside p99, from the same distribution
    expect(m.swap_in_mean_ns).toBeGreaterThan(0);
    expect(m.swap_in_p50_ns).toBeLessThanOrEqual(m.swap_in_p99_ns);
    expect(m.base_energy_uj).toBeGreaterThan(0);
    // the saving is the baseline's energy minus the backend's
    expect(m.energy_saved_uj).toBeCloseTo(m.base_energy_uj - m.energy_uj, 3);
    const g = j.groups.find((x: { workload: string }) => x.workload === 'mobile-app-switch');
    expect(g.latency_metric).toBe('swap_in_mean_ns');
    expect(g.frontier_energy_latency.length).toBeGreaterThan(0);
    expect(g.break_even.join(' ')).toMatch(/saving when storage energy per operation/);
    // a frontier point is not dominated by another row of its group
    for (const id of g.frontier_energy_latency) {
      const p = j.rows.find((r: { id: string }) => r.id === id).metrics;
      for (const r of j.rows.filter((x: { workload: string }) => x.workload === 'mobile-app-switch')) {
        const q = r.metrics;
        expect(q.energy_uj < p.energy_uj && q.swap_in_mean_ns < p.swap_in_mean_ns).toBe(false);
      }
    }
  });

  it('writes CSV with one row per configuration, a table with the frontier and break-even, and SVG plots', async () => {
    const plots = path.join(dir, 'plots');
    const csv = await tmemsim('sweep', 'workloads/mobile-app-switch.json', '--compressors', 'lz4,deflate', '--profiles', 'mobile', '--fast', '--format', 'csv', '--plot', plots);
    expect(csv.code).toBe(0);
    const lines = csv.out.trim().split('\n');
    expect(lines[0]).toMatch(/^id,workload,trace,profile,backend,compressor,zpool,max_pool_percent,compression_ratio,/);
    expect(lines).toHaveLength(3);
    const files = fs.readdirSync(plots).sort();
    expect(files).toEqual(['frontier-cpu-memory-mobile-app-switch-mobile.svg', 'frontier-energy-latency-mobile-app-switch-mobile.svg', 'pool-mobile-app-switch-mobile.svg']);
    for (const f of files) {
      const svg = fs.readFileSync(path.join(plots, f), 'utf8');
      expect(XMLValidator.validate(svg)).toBe(true);
      expect(svg.startsWith('<svg')).toBe(true);
    }
    const front = fs.readFileSync(path.join(plots, 'frontier-energy-latency-mobile-app-switch-mobile.svg'), 'utf8');
    expect(front).toContain('on the frontier');
    expect(front).toContain('zcache/lz4');
    expect(front).toContain('zcache/deflate');
    const pool = fs.readFileSync(path.join(plots, 'pool-mobile-app-switch-mobile.svg'), 'utf8');
    expect(pool).toContain('zcache/lz4/-/- stored pages');
    expect(pool).toContain('zcache/deflate/-/- pool pages');
  });

  it('expands zpools and pool limits only for backends that take them', async () => {
    const r = await tmemsim('sweep', 'workloads/mobile-app-switch.json', '--backends', 'zswap,xen-tmem', '--zpools', 'zbud,zsmalloc', '--pool-percent', '10,30',
      '--profiles', 'ssd', '--no-baseline', '--fast', '--format', 'json', '--jobs', '2');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.rows.map((x: { id: string }) => x.id)).toEqual([
      'mobile-app-switch/ssd/xen-tmem/-/-/-',
      'mobile-app-switch/ssd/zswap/lz4/zbud/010',
      'mobile-app-switch/ssd/zswap/lz4/zbud/030',
      'mobile-app-switch/ssd/zswap/lz4/zsmalloc/010',
      'mobile-app-switch/ssd/zswap/lz4/zsmalloc/030',
    ]);
    expect(j.rows[1].metrics.energy_saved_uj).toBeNull();
    // a smaller pool limit cannot hold more pages at its peak
    expect(j.rows[1].metrics.peak_pool_pages).toBeLessThanOrEqual(j.rows[2].metrics.peak_pool_pages);
  });

  it('reads a sweep file and rejects bad ones, bad flags and bad merges in one line with exit 2', async () => {
    const good = path.join(dir, 'good.json');
    fs.writeFileSync(good, JSON.stringify({ workloads: [path.join(ROOT, 'workloads/xen-selfshrink.json')], profiles: ['ssd'], fast: true, baseline: false }));
    const ok = await tmemsim('sweep', '--file', good, '--format', 'csv');
    expect(ok.code).toBe(0);
    expect(ok.out.trim().split('\n')).toHaveLength(2);
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, JSON.stringify({ workloads: ['workloads/xen-selfshrink.json'], compresors: ['lz4'] }));
    const shard1 = path.join(dir, 'shard1.json');
    fs.writeFileSync(shard1, JSON.stringify({ tool: 'tmemsim', kind: 'sweep', sweep_format: 3, grid: { workloads: ['w.json'] }, shard: { index: 1, count: 2 }, configs_total: 2, rows: [], groups: [], verdict: { stale: 0, lost: 0 } }));
    const cases: [string[], RegExp][] = [
      [['sweep', '--file', bad], /bad\.json, field 'compresors': unknown field \(accepted: workloads, backends, compressors/],
      [['sweep', 'workloads/xen-selfshrink.json', '--backends', 'zswap', '--compressors', 'lz5'], /unknown compressor 'lz5'.*accepted: lz4/],
      [['sweep', 'workloads/xen-selfshrink.json', '--profiles', 'tablet'], /unknown profile 'tablet'/],
      [['sweep', 'workloads/xen-selfshrink.json', '--backends', 'zswap'], /xen-selfshrink\.json, field 'hypervisor_budget_mb': unknown parameter 'hypervisor_budget_mb' for backend zswap/],
      [['sweep', 'workloads/xen-selfshrink.json', '--shard', '3/2'], /field '--shard': '3\/2' is not a shard/],
      [['sweep', 'workloads/xen-selfshrink.json', '--pool-percent', '10,x'], /field '--pool-percent'/],
      [['sweep', 'nope.json'], /no such workload file or directory 'nope.json'/],
      [['merge', shard1], /shards 2\/2 are missing/],
      [['merge', shard1, shard1], /shard 1\/2 is given twice/],
      [['merge', good], /not a tmemsim sweep result/],
    ];
    for (const [args, msg] of cases) {
      const r = await tmemsim(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toMatch(msg);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    }
  });
});
