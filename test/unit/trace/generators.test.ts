/**
 * Trace generators: byte-identical output per seed (different for another
 * seed), every generated trace validates and replays with a clean oracle,
 * and the content mixes give the lz4 ratios their header comments state.
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateLines, generateTrace, resolveParams } from '../../../src/trace/generate.js';
import { GENERATORS } from '../../../src/trace/generators/registry.js';
import { openTrace } from '../../../src/trace/reader.js';
import { run } from '../../../src/api.js';
import { ContentSource } from '../../../src/content/source.js';
import { createCompressor } from '../../../src/compressors/registry.js';
import { UsageError } from '../../../src/errors.js';
import type { DataSpec, TraceEvent } from '../../../src/trace/events.js';

const DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'tmemsim-gen-'));
afterAll(() => fs.rmSync(DIR, { recursive: true, force: true }));

const KINDS = [...GENERATORS.keys()];

/** Small parameters so each kind is a few thousand events that still swap and evict. */
const SMALL: Record<string, Record<string, number>> = {
  'android-app-switch': { apps: 4, 'heap-pages': 300, 'code-pages': 40, session: 200, 'ram-mb': 3 },
  'kernel-build': { jobs: 3, files: 40, 'heap-pages': 300, headers: 60, includes: 8, 'ram-mb': 3 },
  database: { 'pool-pages': 600, 'table-pages': 3000, 'scan-every': 500, 'scan-pages': 200, 'checkpoint-every': 700, 'ram-mb': 3 },
};

describe('trace generators', () => {
  it('registers android-app-switch, kernel-build and database', () => {
    expect(KINDS).toEqual(['android-app-switch', 'kernel-build', 'database']);
  });

  for (const kind of KINDS) {
    it(`${kind}: the same seed gives the same bytes, another seed other bytes`, () => {
      const a = [...generateLines(kind, { seed: 7, events: 3000 })].join('\n');
      const b = [...generateLines(kind, { seed: 7, events: 3000 })].join('\n');
      const c = [...generateLines(kind, { seed: 8, events: 3000 })].join('\n');
      expect(a).toBe(b);
      expect(c).not.toBe(a);
      expect(a.split('\n')).toHaveLength(3001);
    });

    it(`${kind}: the written file validates and replays with no stale or lost page`, async () => {
      const out = path.join(DIR, `${kind}.jsonl`);
      const r = await generateTrace(kind, out, { seed: 3, events: 4000, params: SMALL[kind] });
      expect(r.events).toBe(4000);
      const again = path.join(DIR, `${kind}-2.jsonl`);
      await generateTrace(kind, again, { seed: 3, events: 4000, params: SMALL[kind] });
      // The same bytes but the first line, the command, which names its own --out.
      const body = (p: string) => fs.readFileSync(p, 'utf8').split('\n').slice(1).join('\n');
      expect(body(again)).toBe(body(out));
      expect(fs.readFileSync(out, 'utf8').split('\n')[0]).toBe(`# ${r.command}`);
      const src = openTrace(out);
      let n = 0;
      for (const _ of src.eventsSync()) n++;
      expect(n).toBe(4000);
      const rep = await run({ trace: out, profiles: ['ssd'] });
      const b = rep.runs[0]!.backend;
      expect(b.events).toBe(4000);
      expect(b.oracle.stale).toBe(0);
      expect(b.oracle.lost).toBe(0);
      // Each small workload puts the tier to work: swap-outs through frontswap or puts to cleancache.
      expect(b.frontswap.succ_stores + b.cleancache.puts).toBeGreaterThan(0);
    });
  }

  it('with --corpus, anonymous pages sample the corpus and the trace replays from it', async () => {
    const corpus = path.join(DIR, 'sub', 'pages.bin');
    fs.mkdirSync(path.dirname(corpus), { recursive: true });
    const bytes = Buffer.alloc(16 * 4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + (i >> 12)) & 0x3f;
    fs.writeFileSync(corpus, bytes);
    const out = path.join(DIR, 'db-corpus.jsonl');
    await generateTrace('database', out, { seed: 2, events: 3000, params: SMALL.database, corpus });
    const lines = fs.readFileSync(out, 'utf8').trim().split('\n').slice(1).map((l) => JSON.parse(l) as { content?: { corpus?: string }; op?: string; write?: boolean; data?: unknown });
    expect(lines[0]!.content!.corpus).toBe('sub/pages.bin');
    const anonWrites = lines.filter((e) => e.op === 'anon' && e.write);
    expect(anonWrites.length).toBeGreaterThan(100);
    for (const e of anonWrites) expect(e.data).toEqual({ corpus: expect.any(Number) as number });
    const used = new Set(anonWrites.map((e) => (e.data as { corpus: number }).corpus));
    expect(Math.max(...used)).toBeLessThan(16);
    expect(used.size).toBe(16);
    const rep = await run({ trace: out, profiles: ['ssd'] });
    expect(rep.runs[0]!.backend.oracle.stale).toBe(0);
    expect(rep.runs[0]!.backend.oracle.lost).toBe(0);
    await expect(generateTrace('database', out, { corpus: path.join(DIR, 'missing.bin') })).rejects.toThrow(/cannot read corpus/);
  });

  it('each shipped generated workload is what the command on its first line makes', () => {
    const root = path.resolve(__dirname, '../../..');
    for (const kind of KINDS) {
      const file = path.join(root, 'workloads', `gen-${kind}.jsonl`);
      const text = fs.readFileSync(file, 'utf8');
      const first = text.slice(0, text.indexOf('\n'));
      const m = /^# tmemsim trace generate (\S+) --seed (\d+) --events (\d+)((?: --param \S+)*) --out (\S+)$/.exec(first);
      expect(m, first).not.toBeNull();
      expect(m![1]).toBe(kind);
      expect(m![5]).toBe(`workloads/gen-${kind}.jsonl`);
      const params = Object.fromEntries([...m![4]!.matchAll(/--param ([^=]+)=(\S+)/g)].map((x) => [x[1]!, x[2]!]));
      const lines = [...generateLines(kind, { seed: Number(m![2]), events: Number(m![3]), params })];
      expect(text).toBe(`${first}\n${lines.join('\n')}\n`);
    }
  });

  it('unknown kinds, parameters and values are one-line usage errors', () => {
    expect(() => [...generateLines('browser')]).toThrow(/unknown trace generator 'browser' \(accepted: android-app-switch, kernel-build, database\)/);
    const g = GENERATORS.get('database')!;
    expect(() => resolveParams(g, { zipf: 'x' })).toThrow(UsageError);
    expect(() => resolveParams(g, { 'pool-pages': 3 })).toThrow(/field 'pool-pages'.*accepted: an integer 33\.\./);
    expect(() => resolveParams(g, { apps: 3 })).toThrow(/unknown parameter 'apps' for generator database/);
    expect(resolveParams(g, { zipf: '0.5' }).zipf).toBe(0.5);
  });
});

/** lz4 total-bytes ratio of the anonymous pages written and of the file pages read in a generated trace. */
function ratios(kind: string): { anon: number; file: number } {
  const lines = [...generateLines(kind, { seed: 1, events: 20000 })];
  const header = JSON.parse(lines[0]!) as { content: { default: Record<string, number> } };
  const src = new ContentSource({ seed: 1, defaultMix: header.content.default });
  const lz4 = createCompressor('lz4');
  const page = new Uint8Array(4096);
  const sum = { anon: [0, 0], file: [0, 0] };
  lines.slice(1).forEach((l, i) => {
    const e = JSON.parse(l) as TraceEvent & { write?: boolean; data?: DataSpec };
    const which = e.op === 'anon' && e.write ? sum.anon : e.op === 'file' && !e.write ? sum.file : null;
    if (which === null || which[0]! >= 3001 * 4096) return;
    src.fill(src.resolve(e.op === 'anon' ? e.data : undefined, i), page);
    which[0] += 4096;
    which[1] += lz4.compress(page).size;
  });
  return { anon: sum.anon[0]! / sum.anon[1]!, file: sum.file[0]! / sum.file[1]! };
}

describe('content mixes are calibrated to the cited lz4 ratios', () => {
  // The measured figures are those in each generator's header comment; the bands are the cited targets.
  it('android-app-switch: anonymous pages near zram lz4 2.58-2.63', () => {
    const r = ratios('android-app-switch');
    expect(r.anon).toBeCloseTo(2.6, 1);
    expect(r.anon).toBeGreaterThan(2.45);
    expect(r.anon).toBeLessThan(2.75);
  });
  it('kernel-build: file pages at or below lzbench lz4 2.10 on whole files, heaps near zram 2.58', () => {
    const r = ratios('kernel-build');
    expect(r.file).toBeCloseTo(2.08, 1);
    expect(r.file).toBeLessThanOrEqual(2.1);
    expect(r.anon).toBeCloseTo(2.61, 1);
  });
  it('database: buffer pool pages near zswap-benchmark lz4 ~1.8', () => {
    const r = ratios('database');
    expect(r.anon).toBeCloseTo(1.83, 1);
    expect(r.anon).toBeGreaterThan(1.7);
    expect(r.anon).toBeLessThan(1.95);
  });
});
