/**
 * The fuzz suite (issue 16): structure-aware mutations (test/fuzz/mutate.ts)
 * of every input format — JSON and JSONL traces, .tmtb traces, profile files,
 * sweep files, run reports, sweep results and baselines, corpus files — fed to every
 * subcommand that reads a file: run, trace convert, trace inspect, corpus
 * stats, profiles --show FILE, run --profile FILE, sweep --file, compare and
 * merge. Each case must end with exit 0 or exit 2 (compare: 1 too, its
 * "regressed" verdict), an exit 2 with exactly one line on stderr, never an
 * internal error or a stack trace, within a time and heap bound.
 *
 * Cases run in-process through main(argv) (test/helpers/cli.ts). The seed is fixed (FUZZ_SEED), the count bounded: FUZZ_CASES
 * (default 200 under npm test; `npm run fuzz` runs 5000). The totals are
 * printed at the end: cases, exits, findings.
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectOneLineError, tmemsimIn, type Ran } from '../helpers/cli.js';
import { tempDir, toJsonl } from '../helpers/files.js';
import { writeTmtb } from '../../src/trace/formats/tmtb.js';
import type { TraceEvent, TraceHeader } from '../../src/trace/events.js';
import { Rng, mutateBytes, mutateJsonText, mutateJsonl } from './mutate.js';

const CASES = Number(process.env['FUZZ_CASES'] ?? 200);
const SEED = Number(process.env['FUZZ_SEED'] ?? 16);
/** A case must end within this (hang guard) and leave the heap below this. */
const TIME_BOUND_MS = 60_000;
const HEAP_BOUND = 2 * 1024 ** 3;

const tmp = tempDir('tmemsim-fuzz-');
const dir = tmp.dir;
const p = (name: string): string => tmp.path(name);

const HEADER: TraceHeader = {
  format: 'tmemsim-trace',
  version: 1,
  config: { ram_pages: 600, backend: 'zcache', swap: [{ type: 0, slots: 256 }, { type: 1, slots: 64 }], mounts: [{ fs: 1 }, { fs: 2, uuid: 'u' }] },
};
const EVENTS: TraceEvent[] = [
  ...Array.from({ length: 40 }, (_, i): TraceEvent => ({ op: 'anon', pid: 1, page: i, write: true, data: i % 3 === 0 ? 'text' : 'heap' })),
  { op: 'frontswap_store', type: 1, offset: 5, data: 'code', t: 10 },
  { op: 'frontswap_load', type: 1, offset: 5 },
  { op: 'cleancache_put', fs: 2, inode: 3, index: 1, data: { fill: 7 } },
  { op: 'cleancache_get', fs: 2, inode: 3, index: 1 },
  { op: 'file', fs: 1, inode: 9, index: 2, write: true },
  { op: 'rmmod', strategy: 'zombie', rate: 1000 },
  { op: 'insmod', backend: 'xen-tmem', params: {} },
  { op: 'param', name: 'selfballooning', value: true, t: 2e6 },
  { op: 'frontswap_invalidate_area', type: 1 },
  { op: 'swapoff', type: 1 },
  { op: 'swapon', type: 1, slots: 32 },
  { op: 'umount', fs: 2 },
  { op: 'anon', pid: 1, page: 3 },
];

interface Target {
  name: string;
  /** The seed file's name and bytes. */
  seedFile: string;
  mutate(r: Rng, seed: Buffer): Buffer;
  /** argv for a mutated file. */
  args(file: string): string[];
  /** Exit codes that are a verdict, not a failure. */
  ok: readonly number[];
}

const seeds: Record<string, Buffer> = {};
const text = (f: (r: Rng, s: string) => string) => (r: Rng, b: Buffer): Buffer => Buffer.from(f(r, b.toString('utf8')));

const TRACE_CMDS = (f: string): string[][] => [
  ['run', f, '--profile', 'ssd', '--format', 'json'],
  ['trace', 'convert', f, p('out.jsonl')],
  ['trace', 'convert', f, p('out.tmtb')],
  ['trace', 'inspect', f],
];

function targets(): Target[] {
  const t: Target[] = [];
  for (const [seedFile, mutate] of [['t.json', text(mutateJsonText)], ['t.jsonl', text(mutateJsonl)], ['t.tmtb', (r: Rng, b: Buffer) => Buffer.from(mutateBytes(r, b))]] as const) {
    TRACE_CMDS('F').forEach((cmd, k) => t.push({ name: `${cmd.slice(0, 2).join(' ')} ${seedFile}#${k}`, seedFile, mutate, args: (f) => TRACE_CMDS(f)[k]!, ok: [0, 2] }));
  }
  for (const seedFile of ['profile.json', 'profile-extends.json']) {
    t.push({ name: `profiles --show ${seedFile}`, seedFile, mutate: text(mutateJsonText), args: (f) => ['profiles', '--show', f, '--format', 'json'], ok: [0, 2] });
    t.push({ name: `run --profile ${seedFile}`, seedFile, mutate: text(mutateJsonText), args: (f) => ['run', p('t.jsonl'), '--profile', f, '--format', 'json', '--no-baseline'], ok: [0, 2] });
  }
  t.push({ name: 'sweep --file', seedFile: 'sweep.json', mutate: text(mutateJsonText), args: (f) => ['sweep', '--file', f, '--jobs', '1', '--format', 'json', '--fast'], ok: [0, 2] });
  t.push({ name: 'compare report', seedFile: 'report.json', mutate: text(mutateJsonText), args: (f) => ['compare', p('report.json'), f], ok: [0, 1, 2] });
  t.push({ name: 'compare sweep', seedFile: 'sweep-result.json', mutate: text(mutateJsonText), args: (f) => ['compare', f, p('sweep-result.json')], ok: [0, 1, 2] });
  t.push({ name: 'compare baseline', seedFile: 'baseline.json', mutate: text(mutateJsonText), args: (f) => ['compare', p('sweep-result.json'), f], ok: [0, 1, 2] });
  t.push({ name: 'merge', seedFile: 'sweep-result.json', mutate: text(mutateJsonText), args: (f) => ['merge', f, p('sweep-result.json')], ok: [0, 2] });
  t.push({ name: 'corpus stats', seedFile: 'corpus.bin', mutate: (r, b) => Buffer.from(mutateBytes(r, b)), args: (f) => ['corpus', 'stats', f, '--format', 'json'], ok: [0, 2] });
  return t;
}

interface Finding {
  target: string;
  n: number;
  code: number;
  err: string;
  why: string;
}

function judge(tg: Target, r: Ran, ms: number): string | null {
  if (/internal error/.test(r.err)) return 'internal error';
  if (/\n\s+at .*:\d+:\d+/.test(r.err)) return 'stack trace';
  if (!tg.ok.includes(r.code)) return `exit ${r.code}`;
  if (r.code === 2) {
    const lines = r.err.split('\n').filter((l) => l !== '');
    if (lines.length !== 1) return `${lines.length} lines on stderr`;
    if (!lines[0]!.startsWith('tmemsim: ')) return 'error line without the tmemsim prefix';
  }
  if (ms > TIME_BOUND_MS) return `took ${ms} ms`;
  if (process.memoryUsage().heapUsed > HEAP_BOUND) return 'heap above bound';
  return null;
}

const totals = { cases: 0, exits: {} as Record<string, number>, findings: [] as Finding[] };

beforeAll(async () => {
  const header = JSON.stringify(HEADER);
  seeds['t.json'] = Buffer.from(`${header.slice(0, -1)},"events":${JSON.stringify(EVENTS)}}\n`);
  seeds['t.jsonl'] = Buffer.from(toJsonl(HEADER, EVENTS));
  const fd = fs.openSync(p('t.tmtb'), 'w');
  writeTmtb(fd, HEADER, EVENTS.map((e, i) => (i === 3 ? { ...e, t: 0.25 } : e)));
  fs.closeSync(fd);
  seeds['t.tmtb'] = fs.readFileSync(p('t.tmtb'));
  const corpus = Buffer.alloc(4096 * 6);
  for (let i = 0; i < corpus.length; i++) corpus[i] = i % 4096 < 2048 ? (i * 7) & 255 : 0;
  seeds['corpus.bin'] = corpus;
  for (const [k, v] of Object.entries(seeds)) fs.writeFileSync(p(k), v);
  const show = await tmemsimIn(dir, ['profiles', '--show', 'ssd', '--format', 'json']);
  expect(show.code).toBe(0);
  seeds['profile.json'] = Buffer.from(show.out);
  seeds['profile-extends.json'] = Buffer.from(JSON.stringify({ format: 'tmemsim-profile', version: 1, name: 'fz', extends: 'mobile', cpu: { hz: { value: 1.5e9, source: 'x' } } }));
  seeds['sweep.json'] = Buffer.from(JSON.stringify({ workloads: [p('t.jsonl')], profiles: ['ssd'], compressors: ['lz4'], baseline: false }));
  const rep = await tmemsimIn(dir, ['run', p('t.jsonl'), '--profile', 'ssd', '--format', 'json']);
  expect(rep.code).toBe(0);
  seeds['report.json'] = Buffer.from(rep.out);
  const sw = await tmemsimIn(dir, ['sweep', p('t.jsonl'), '--profiles', 'ssd', '--jobs', '1', '--format', 'json', '--fast']);
  expect(sw.code).toBe(0);
  seeds['sweep-result.json'] = Buffer.from(sw.out);
  fs.writeFileSync(p('sweep-result.json'), sw.out);
  const blessed = await tmemsimIn(dir, ['compare', p('sweep-result.json'), p('baseline.json'), '--bless']);
  expect(blessed.code).toBe(0);
  seeds['baseline.json'] = fs.readFileSync(p('baseline.json'));
  for (const [k, v] of Object.entries(seeds)) fs.writeFileSync(p(k), v);
}, 600_000);

afterAll(() => {
  const ex = Object.entries(totals.exits).sort().map(([c, n]) => `exit ${c}: ${n}`).join(', ');
  // The suite's totals, for the record (npm run fuzz prints them too).
  console.log(`fuzz: seed ${SEED}, ${totals.cases} cases (${ex}), ${totals.findings.length} findings`);
  if (process.env['FUZZ_REPORT']) fs.writeFileSync(process.env['FUZZ_REPORT'], JSON.stringify({ seed: SEED, cases: totals.cases, exits: totals.exits, findings: totals.findings }, null, 1) + '\n');
  tmp.cleanup();
});

describe('fuzz: every input format through every subcommand that reads a file', () => {
  it(`${CASES} mutated inputs (seed ${SEED}) end in exit 0 or 2 with one line, no stack trace, within bounds`, async () => {
    const ts = targets();
    const rng = new Rng(SEED);
    for (let n = 0; n < CASES; n++) {
      const tg = ts[n % ts.length]!;
      const bytes = tg.mutate(rng, seeds[tg.seedFile]!);
      const ext = path.extname(tg.seedFile);
      const f = p(`case${ext}`);
      fs.writeFileSync(f, bytes);
      const t0 = Date.now();
      const r = await tmemsimIn(dir, tg.args(f));
      const ms = Date.now() - t0;
      totals.cases++;
      totals.exits[r.code] = (totals.exits[r.code] ?? 0) + 1;
      const why = judge(tg, r, ms);
      if (why !== null) {
        fs.copyFileSync(f, path.join(os.tmpdir(), `tmemsim-fuzz-finding-${SEED}-${n}${ext}`));
        totals.findings.push({ target: tg.name, n, code: r.code, err: r.err.slice(0, 600), why });
      }
    }
    expect(totals.findings).toEqual([]);
  }, 3_600_000);

  // compare of /dev/zero (an endless file) is tested in test/unit/report/output-file.test.ts.
  it('compare of a report nested 6,000 deep ends with exit 2 and one line', async () => {
    const deepFile = tmp.file('deep.json', `{"runs":${'['.repeat(6000)}${']'.repeat(6000)}}`);
    expectOneLineError(await tmemsimIn(dir, ['compare', deepFile, deepFile]));
  });
});
