/** tmemsim compare: exit 1 on a crafted regression, 0 within tolerance, 2 on a malformed file; --bless round-trips. */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tmemsim } from '../helpers/cli.js';

const BASELINE = path.join(ROOT, 'results/baseline.json');


const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tmemsim-compare-'));
const write = (name: string, v: unknown): string => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, typeof v === 'string' ? v : JSON.stringify(v));
  return p;
};

interface Baseline { entries: { id: string; metrics: Record<string, number> }[] }
const base = (): Baseline => JSON.parse(fs.readFileSync(BASELINE, 'utf8'));

describe('tmemsim compare', () => {
  it('the shipped baseline holds every shipped workload with every compressor its backend takes', async () => {
    const ids = base().entries.map((e) => e.id);
    const workloads = fs.readdirSync(path.join(ROOT, 'workloads')).filter((f) => /\.(json|jsonl|tmtb)$/.test(f)).map((f) => f.replace(/\.(json|jsonl|tmtb)$/, ''));
    for (const w of workloads) expect(ids.some((id) => id.startsWith(`${w}/`)), w).toBe(true);
    for (const c of ['lz4', 'deflate', 'zstd', 'lz4hc', 'lzo']) expect(ids).toContain(`mobile-app-switch/ssd/zcache/${c}/-/-`);
    for (const e of base().entries) expect(e.metrics).toHaveProperty('compression_ratio');
  });

  it('exits 0 within tolerance and 1 on a crafted regression, with the diff table', async () => {
    const b = base();
    const within = write('within.json', { ...b, entries: b.entries.map((e) => ({ ...e, metrics: { ...e.metrics, compression_ratio: e.metrics.compression_ratio! * 0.995 } })) });
    const ok = await tmemsim('compare', within, BASELINE);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/0 regressions/);
    const target = 'mobile-app-switch/ssd/zcache/lz4/-/-';
    const worse = write('worse.json', { ...b, entries: b.entries.map((e) => (e.id === target ? { ...e, metrics: { ...e.metrics, compression_ratio: e.metrics.compression_ratio! * 0.9, frontswap_load_hit: e.metrics.frontswap_load_hit! - 0.05 } } : e)) });
    const bad = await tmemsim('compare', worse, BASELINE);
    expect(bad.code).toBe(1);
    // The table is fitted to 100 columns: split in parts that each repeat the configuration and the metric, so the
    // change and the status of a row are each on a line keyed by both.
    const key = `${target.replace(/[/.]/g, '\\$&')} +│ `;
    expect(bad.out).toMatch(new RegExp(`${key}compression_ratio +│.* \\(-10\\.00 %\\) │`));
    expect(bad.out).toMatch(new RegExp(`${key}compression_ratio +│.* REGRESSION +│`));
    expect(bad.out).toMatch(new RegExp(`${key}frontswap_load_hit +│.* REGRESSION +│`));
    expect(bad.out.split('\n').filter((l) => [...l].length > 100)).toEqual([]);
    expect(bad.out).toMatch(/2 regressions/);
    // a looser tolerance lets it through
    expect((await tmemsim('compare', worse, BASELINE, '--tol', 'compression_ratio=11%', '--tol', 'frontswap_load_hit=0.06')).code).toBe(0);
    // a missing configuration is a regression
    const missing = write('missing.json', { ...b, entries: b.entries.filter((e) => e.id !== target) });
    const m = await tmemsim('compare', missing, BASELINE);
    expect(m.code).toBe(1);
    expect(m.out).toMatch(/MISSING/);
  });

  it('exits 2 with one line on a malformed or unreadable file or a bad tolerance', async () => {
    const cases: [string[], RegExp][] = [
      [['compare', write('trunc.json', '{"tool": "tmemsim", "kind": "baseline"'), BASELINE], /trunc\.json: not JSON/],
      [['compare', write('other.json', { tool: 'x' }), BASELINE], /other\.json: not a tmemsim result/],
      [['compare', write('rows.json', { tool: 'tmemsim', kind: 'sweep', rows: [{ id: 1 }] }), BASELINE], /rows\.json, field '\/sweep_format': missing field \(accepted: 3, per schema\/sweep-result\.schema\.json\)/],
      [['compare', BASELINE, path.join(dir, 'absent.json')], /absent\.json: cannot read: ENOENT/],
      [['compare', BASELINE, BASELINE, '--tol', 'ratio=1%'], /unknown metric 'ratio'/],
      [['compare', BASELINE, BASELINE, '--tol', 'lost=many'], /'many' is not a tolerance for lost/],
    ];
    for (const [args, msg] of cases) {
      const r = await tmemsim(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toMatch(msg);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    }
  });

  it('blesses a run report into a baseline it then matches', async () => {
    const report = path.join(dir, 'run.json');
    expect((await tmemsim('run', 'workloads/xen-selfshrink.json', '--profile', 'ssd', '--fast', '--format', 'json', '--out', report)).code).toBe(0);
    const blessed = path.join(dir, 'blessed.json');
    expect((await tmemsim('compare', report, blessed, '--bless')).code).toBe(0);
    const doc = JSON.parse(fs.readFileSync(blessed, 'utf8'));
    expect(doc.entries.map((e: { id: string }) => e.id)).toEqual(['xen-selfshrink/ssd/xen-tmem/-/-/-']);
    const r = await tmemsim('compare', report, blessed);
    expect(r.code).toBe(0);
    // n/a figures are null and not compared: xen-tmem compresses nothing and keeps no pool pageframes in
    // the guest; this workload has no page-cache lookup. Compared: frontswap_load_hit, stale, lost.
    expect(doc.entries[0].metrics).toMatchObject({ compression_ratio: null, pool_density: null, cleancache_get_hit: null, pagecache_hit: null });
    expect(r.out).toMatch(/1 baseline entries, 3 metrics compared: 0 regressions/);
  });
});
