/**
 * The report's n/a rules and sign convention (src/report/na.ts), checked on
 * small traces whose figures follow by hand, and the table's layout: every
 * line within the width, the same sign in the table and the lines under it.
 */

import { afterAll, describe, expect, it } from 'vitest';
import { run, simulate } from '../../../src/api.js';
import { buildReport } from '../../../src/report/model.js';
import { renderTable } from '../../../src/report/table.js';
import { renderCsv } from '../../../src/report/csv.js';
import { ratioOrNa, savingOf, savingPctOf, showNa, tmemRatioOrNa, meanOrNa } from '../../../src/report/na.js';
import type { RunProgress } from '../../../src/sim/progress.js';
import { tempDir } from '../../helpers/files.js';

const tmp = tempDir('tmemsim-report-');
afterAll(() => tmp.cleanup());

function write(name: string, content: unknown): string {
  return tmp.file(name, typeof content === 'string' ? content : JSON.stringify(content));
}

const config = { ram_pages: 4096, swap: [{ type: 0, slots: 1024 }], mounts: [{ fs: 1 }] };
/** Stores, loads and gets: swap-ins and page-cache misses in both passes. */
const events = [
  { op: 'frontswap_store', type: 0, offset: 1, data: 'heap' },
  { op: 'frontswap_store', type: 0, offset: 2, data: 'text' },
  { op: 'frontswap_load', type: 0, offset: 1 },
  { op: 'frontswap_load', type: 0, offset: 2 },
  { op: 'cleancache_put', fs: 1, inode: 7, index: 0, data: 'text' },
  { op: 'cleancache_get', fs: 1, inode: 7, index: 0 },
  { op: 'cleancache_get', fs: 1, inode: 7, index: 1 },
];
const withZcache = write('zcache.json', { format: 'tmemsim-trace', version: 1, config: { ...config, backend: 'zcache' }, events });
const noBackend = write('none.json', { format: 'tmemsim-trace', version: 1, config, events });
/** Only stores: no swap-in, no page-cache lookup. */
const storesOnly = write('stores.json', { format: 'tmemsim-trace', version: 1, config: { ...config, backend: 'zswap' }, events: events.slice(0, 2) });

describe('n/a rules', () => {
  it('are null, never 0, when nothing was counted', () => {
    expect(ratioOrNa(0, 0)).toBeNull();
    expect(ratioOrNa(0, 4)).toBe(0);
    expect(tmemRatioOrNa(false, 0, 4)).toBeNull();
    expect(meanOrNa(5, 0)).toBeNull();
    expect(savingOf(null, 3)).toBeNull();
    expect(savingOf(5, 3)).toBe(2);
    expect(savingPctOf(0, 3)).toBeNull();
    expect(savingPctOf(4, 3)).toBe(25);
    expect(showNa(null, String)).toBe('n/a');
  });

  it('the baseline pass: no compression ratio, no tmem hit ratio, no cleancache put energy', async () => {
    const r = await run({ trace: withZcache, profiles: ['ssd'] });
    const base = r.runs[0]!.baseline!;
    expect(base.ratios.compression_ratio).toBeNull();
    expect(base.ratios.frontswap_load_hit).toBeNull();
    expect(base.ratios.cleancache_get_hit).toBeNull();
    expect(base.ratios.pool_density).toBeNull();
    expect(base.energy_per_op.cleancache_put.uj).toBeNull();
    // ... while what the baseline did count is a number: 2 swap-ins read from the disk, 2 page-cache misses.
    expect(base.latency.swap_in.count).toBe(2);
    expect(base.latency.swap_in.p99_ns).toBeGreaterThan(0);
    expect(base.ratios.pagecache_hit).not.toBeNull();
    const b = r.runs[0]!.backend;
    expect(b.ratios.frontswap_load_hit).toBe(b.mm.swap_ins_frontswap / b.mm.swap_ins);
    expect(b.ratios.compression_ratio).toBeGreaterThan(0);
    // The delta of a per-operation figure the baseline does not have is n/a too.
    expect(savingOf(base.energy_per_op.cleancache_put.uj, b.energy_per_op.cleancache_put.uj)).toBeNull();
  });

  it('latency with no operation and hit ratios with no lookups are null, and so are the savings on them', async () => {
    const r = await run({ trace: storesOnly, profiles: ['ssd'] });
    const b = r.runs[0]!.backend;
    expect(b.latency.swap_in).toEqual({ count: 0, mean_ns: null, p50_ns: null, p95_ns: null, p99_ns: null, max_ns: null });
    expect(b.ratios.frontswap_load_hit).toBeNull();
    expect(b.ratios.pagecache_hit).toBeNull();
    // zswap serves no cleancache: its get hit ratio does not apply.
    expect(b.ratios.cleancache_get_hit).toBeNull();
    expect(r.runs[0]!.delta!.swap_in_p99_saved_ns).toBeNull();
    expect(r.runs[0]!.delta!.page_cache_miss_p99_saved_ns).toBeNull();
    const table = renderTable(r);
    expect(table).toMatch(/swap-in latency p99 \(µs\)\s+│\s+n\/a │\s+n\/a │\s+n\/a │/);
    expect(table).not.toMatch(/p99 0 µs/);
    // CSV: an empty value, not 0.
    expect(renderCsv(r)).toContain('ssd,backend,latency.swap_in,p99_ns,\n');
  });
});

describe('sign convention', () => {
  it('every delta is baseline − backend, and the table and its lines agree', async () => {
    const r = await run({ trace: withZcache, profiles: ['ssd'] });
    const { backend: b, baseline: base, delta: d } = r.runs[0]!;
    expect(d!.cpu_saved_ns).toBeCloseTo(base!.cost.cpuNs - b.cost.cpuNs, 6);
    expect(d!.energy_cpu_saved_uj).toBeCloseTo(base!.energy.cpu_uj - b.energy.cpu_uj, 6);
    expect(d!.swap_reads_avoided).toBe(base!.io.swap_reads - b.io.swap_reads);
    expect(d!.swap_writes_avoided).toBe(base!.io.swap_writes - b.io.swap_writes);
    expect(d!.swap_io_avoided).toBe(d!.swap_reads_avoided + d!.swap_writes_avoided);
    expect(r.sign_convention).toMatch(/baseline − backend/);
    const table = renderTable(r);
    // The CPU energy row's saving column and the "energy saved" line's CPU part are the same signed figure.
    const row = /│   CPU \(mJ\)\s+│[^│]+│[^│]+│\s+(\S+) │/.exec(table)![1];
    const line = /energy saved: .*?CPU (\S+),/.exec(table.replace(/\n\s+/g, ' '))![1];
    expect(line).toBe(row);
    const reads = /│ swap device reads\s+│[^│]+│[^│]+│\s+(\S+) │/.exec(table)![1];
    expect(table.replace(/\n\s+/g, ' ')).toContain(`reads ${reads},`);
    expect(table).toContain('saving = baseline − backend');
  });
});

describe('passes', () => {
  it('a backend loaded at boot and removed by rmmod was loaded: its pass is compared with the baseline', async () => {
    const unloaded = write('boot-then-rmmod.json', { format: 'tmemsim-trace', version: 1, config: { ...config, backend: 'zcache' }, events: [...events, { op: 'rmmod' }] });
    const r = buildReport(await simulate({ trace: unloaded, profiles: ['ssd'] }));
    const x = r.runs[0]!;
    expect(x.backend.backend_loaded).toBe(true);
    expect(x.baseline).not.toBeNull();
    expect(x.delta).not.toBeNull();
    expect(x.backend.lifecycle.map((l) => [l.op, l.outcome])).toEqual([['rmmod', 'ok']]);
  });

  it('--backend none runs one pass per profile and reports no baseline', async () => {
    const passes: number[] = [];
    const progress: RunProgress = { begin: (_t, n) => passes.push(n), pass: () => undefined, tick: () => undefined, end: () => undefined };
    const r = buildReport(await simulate({ trace: withZcache, backend: null, profiles: ['ssd', 'mobile'], progress }));
    expect(passes).toEqual([2]);
    expect(r.runs.map((x) => [x.baseline, x.delta, x.backend.backend_loaded])).toEqual([[null, null, false], [null, null, false]]);
    expect(r.config.backend).toBeNull();
    const table = renderTable(r);
    expect(table).not.toContain('baseline (no backend)');
  });

  it('a trace that loads no backend is shown alone with a note, not against itself', async () => {
    const r = await run({ trace: noBackend, profiles: ['ssd'] });
    expect(r.runs[0]!.baseline).toBeNull();
    expect(r.runs[0]!.delta).toBeNull();
    expect(r.notes.join(' ')).toMatch(/no backend was loaded/);
    expect(renderTable(r)).toMatch(/note: no backend was loaded/);
  });

  it('an imported trace with no backend runs with zcache and says so', async () => {
    const csv = write('reqs.csv', 'time,obj_id,obj_size\n1,1,4096\n2,2,4096\n3,1,4096\n');
    const r = await run({ trace: csv, profiles: ['ssd'] });
    expect(r.config.backend).toBe('zcache');
    expect(r.notes).toHaveLength(1);
    expect(r.notes[0]).toMatch(/names no backend: imported traces run with zcache by default/);
    expect(r.runs[0]!.delta).not.toBeNull();
    expect(renderTable(r)).toMatch(/note: .*names no backend/);
    // Chosen on the command line or as a format option: no note.
    expect((await run({ trace: csv, profiles: ['ssd'], backend: 'zswap' })).notes).toEqual([]);
    expect((await run({ trace: csv, profiles: ['ssd'], formatOptions: { backend: 'xen-tmem' } })).notes).toEqual([]);
  });
});

describe('layout', () => {
  it('every line of the report fits 100 columns (and a narrower width when asked)', async () => {
    const r = await run({ trace: 'workloads/lifecycle.json', profiles: ['ssd', 'mobile'], rmmodStrategies: ['flush', 'zombie', 'writethrough'], fast: true });
    for (const width of [100, 80]) {
      const lines = renderTable(r, { width }).split('\n');
      const over = lines.filter((l) => [...l].length > width);
      expect(over).toEqual([]);
    }
    // The lifecycle table was split, not cut: every column header is still there.
    const text = renderTable(r);
    for (const h of ['drained at (ms)', 'fs hit before / after', 'cc hit before / after', 'outcome']) expect(text).toContain(h);
  });
});
