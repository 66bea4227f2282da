/** `tmemsim trace inspect` from the command line, in-process through main(argv): every input format, json and table output, one-line errors. */

import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tmemsim } from '../helpers/cli.js';

const TRACES = path.resolve(ROOT, '../shared/traces');


describe('tmemsim trace inspect', () => {
  it('describes an imported trace (the real oracleGeneral sample) as JSON', async () => {
    const a = await tmemsim('trace', 'inspect', path.join(TRACES, 'cloudPhysicsIO.oracleGeneral.bin'), '-f', 'json');
    expect(a.err).toBe('');
    expect(a.code).toBe(0);
    const r = JSON.parse(a.out);
    expect(r.format).toBe('oracleGeneral');
    expect(r.events).toBe(113_872);
    expect(r.by_kind).toEqual({ file: 113_872 });
    expect(r.reuse.references).toBe(113_872);
    expect(r.unique_pages.total).toBe(r.reuse.cold);
    expect(r.reuse.cold + r.reuse.buckets.reduce((s: number, b: { count: number }) => s + b.count, 0)).toBe(113_872);
  });

  it('prints tables for a workload', async () => {
    const r = await tmemsim('trace', 'inspect', 'workloads/mixed-build.json');
    expect(r.code).toBe(0);
    expect(r.out).toContain('workloads/mixed-build.json (json): 28,680 events');
    expect(r.out).toMatch(/anon\s+│\s+26,400/);
    expect(r.out).toMatch(/anonymous \(pid, page\)\s+│\s+9,600/);
    expect(r.out).toContain('reuse distance (LRU stack distance) of 28,680 page references');
  });

  it('bad input: one line, exit 2', async () => {
    const f = await tmemsim('trace', 'inspect', 'workloads/mixed-build.json', '-f', 'xml');
    expect(f.code).toBe(2);
    expect(f.err).toBe("tmemsim: field '--format': unknown format 'xml' (accepted: table, json)\n");
    const m = await tmemsim('trace', 'inspect', 'nope.jsonl');
    expect(m.code).toBe(2);
    expect(m.err.trimEnd().split('\n')).toHaveLength(1);
    expect(m.err).toContain('nope.jsonl: cannot read trace');
  });
});

describe('tmemsim trace inspect --sizes', () => {
  it('prints the miss ratios at the sizes asked, and rejects a bad size in one line naming the flag', async () => {
    const sample = path.join(TRACES, 'cloudPhysicsIO.txt');
    const r = await tmemsim('trace', 'inspect', sample, '--sizes', '384,10%');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/exact LRU miss ratios .* footprint 48,974 pages/);
    expect(r.out).toMatch(/│ 384 +│ +384 │ +18,220 │ +95,652 │ +84\.00 % │/);
    for (const bad of ['0', '10,,20', '150%', 'abc', '-5']) {
      const b = await tmemsim('trace', 'inspect', sample, '--sizes', bad);
      expect(b.code).toBe(2);
      expect(b.err).toMatch(/^tmemsim: field '--sizes': .*\(accepted: comma-separated cache sizes/);
      expect(b.err.trim().split('\n')).toHaveLength(1);
    }
    // The value is echoed as errors echo input (src/errors.ts quote): in JSON quotes, cut to 80 characters.
    const long = `${'9'.repeat(200)}x`;
    const q = await tmemsim('trace', 'inspect', sample, '--sizes', long);
    expect(q.err).toBe(`tmemsim: field '--sizes': "${'9'.repeat(78)}… is not a cache size (accepted: comma-separated cache sizes: pages (an integer >= 1) or a share of the footprint (e.g. 10%), e.g. 1000,4000,16000,25%)\n`);
  });
});
