/**
 * `tmemsim trace convert` and `tmemsim trace formats`, in-process through
 * main(argv) (test/helpers/cli.ts): conversion of the real samples, replay
 * of a converted trace against replay of the original, and the one-line
 * errors with exit 2.
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, tmemsim } from '../helpers/cli.js';

const TRACES = path.resolve(ROOT, '../shared/traces');
const DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'tmemsim-trace-cli-'));
afterAll(() => fs.rmSync(DIR, { recursive: true, force: true }));


function file(name: string, data: string | Buffer): string {
  const p = path.join(DIR, name);
  fs.writeFileSync(p, data);
  return p;
}

/** The first n requests of the real csv sample (with its header line). */
function csvSlice(n: number): string {
  const text = fs.readFileSync(path.join(TRACES, 'cloudPhysicsIO.csv'), 'utf8');
  return file(`cp${n}.csv`, text.split('\n').slice(0, n + 1).join('\n') + '\n');
}

function expectUsage(r: { code: number | null; out: string; err: string }, text: string): void {
  expect(r.code).toBe(2);
  expect(r.out).toBe('');
  expect(r.err.endsWith('\n')).toBe(true);
  expect(r.err.trimEnd().split('\n')).toHaveLength(1);
  expect(r.err).toContain(text);
}

describe('tmemsim trace convert', () => {
  it('converts the real oracleGeneral sample to JSONL: header first, one line per event', async () => {
    const out = path.join(DIR, 'og.jsonl');
    const r = await tmemsim('trace', 'convert', path.join(TRACES, 'cloudPhysicsIO.oracleGeneral.bin'), out);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('(oracleGeneral) -> ');
    expect(r.out).toContain('(jsonl): 113872 events');
    const lines = fs.readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(lines.length).toBe(113_873);
    expect(JSON.parse(lines[0]!).format).toBe('tmemsim-trace');
    expect(lines[1]).toBe('{"op":"file","fs":1,"inode":40,"index":989705}');
  });

  it('replaying the converted JSONL gives the same counters as replaying the csv directly', async () => {
    const csv = csvSlice(3000);
    const out = path.join(DIR, 'cp3000.jsonl');
    expect((await tmemsim('trace', 'convert', csv, out)).code).toBe(0);
    const flags = ['--profile', 'ssd', '--backend', 'zcache', '--ram-mb', '8', '-f', 'json'];
    const direct = await tmemsim('run', csv, '--input-format', 'csv', ...flags);
    const converted = await tmemsim('run', out, ...flags);
    expect(direct.err).toBe('');
    expect(direct.code).toBe(0);
    expect(converted.code).toBe(0);
    const a = JSON.parse(direct.out);
    const b = JSON.parse(converted.out);
    expect(b.runs).toEqual(a.runs);
    expect(b.config).toEqual(a.config);
    const run = a.runs[0].backend;
    expect(run.events).toBe(fs.readFileSync(out, 'utf8').trimEnd().split('\n').length - 1);
    expect(run.mm.pgcache_hits + run.mm.pgcache_misses).toBe(run.events);
    expect(run.cleancache.puts).toBeGreaterThan(0); // 8 MiB is small enough for reclaim to put pages
  });

  it('writes the JSON document form, or to standard output with -', async () => {
    const csv = csvSlice(10);
    const json = path.join(DIR, 'cp10.json');
    expect((await tmemsim('trace', 'convert', csv, json, '--format-opt', 'time=keep,ram-mb=32')).code).toBe(0);
    const doc = JSON.parse(fs.readFileSync(json, 'utf8'));
    expect(doc.config.ram_mb).toBe(32);
    expect(doc.events[0]).toEqual({ op: 'file', fs: 1, inode: 5, index: 123713, write: true, t: 0 });
    const std = await tmemsim('trace', 'convert', csv, '-', '--output-format', 'jsonl', '--format-opt', 'time=keep', '--format-opt', 'ram-mb=32');
    expect(std.code).toBe(0);
    const lines = std.out.trimEnd().split('\n');
    expect(JSON.parse(lines[0]!)).toEqual({ format: doc.format, version: doc.version, config: doc.config, content: doc.content });
    expect(lines.slice(1).map((l) => JSON.parse(l))).toEqual(doc.events);
  });

  it('reads a gzip page-reference trace', async () => {
    const gz = file('refs.trace.gz', gzipSync('# refs\n1\n2\n*\n1\n'));
    const r = await tmemsim('trace', 'convert', gz, '-', '--input-format', 'pageref');
    expect(r.code).toBe(0);
    expect(r.out.trimEnd().split('\n').slice(1)).toEqual([
      '{"op":"file","fs":1,"inode":0,"index":1}',
      '{"op":"file","fs":1,"inode":0,"index":2}',
      '{"op":"file","fs":1,"inode":0,"index":1}',
    ]);
  });

  it('bad files and options: one line, exit 2, no output file', async () => {
    const real = fs.readFileSync(path.join(TRACES, 'cloudPhysicsIO.oracleGeneral.bin'));
    const trunc = file('cloudPhysicsIO.oracleGeneral.bin', Buffer.concat([real, real.subarray(0, 20)]));
    const out = path.join(DIR, 'never.jsonl');
    expectUsage(await tmemsim('trace', 'convert', trunc, out), `tmemsim: ${trunc}: record 113872 is truncated (20 of 24 bytes)`);
    expect(fs.existsSync(out)).toBe(false);
    const csv = path.join(TRACES, 'cloudPhysicsIO.csv');
    expectUsage(await tmemsim('trace', 'convert', csv, out, '--format-opt', 'obj-id-col=9'),
      `${csv}:2, field 'obj-id-col': column 9 does not exist in line 2 (5 columns)`);
    expectUsage(await tmemsim('trace', 'convert', file('ids.txt', '1\nfoo\n'), out), ":2, field 'id': 'foo' is not an unsigned integer");
    expectUsage(await tmemsim('trace', 'convert', csv, out, '--format-opt', 'obj-id=5'), "field '--format-opt': unknown option 'obj-id' for input format csv (accepted: page-size, ");
    const gz = gzipSync('1\n2\n3\n'.repeat(1000));
    const bad = Buffer.from(gz);
    bad[bad.length - 7]! ^= 0x40;
    expectUsage(await tmemsim('trace', 'convert', file('bad.pageref.gz', bad), out), 'bad.pageref.gz: gzip data is corrupt: ');
    expectUsage(await tmemsim('trace', 'convert', csv, out, '--output-format', 'yaml'), "unknown output format 'yaml'");
    expectUsage(await tmemsim('trace', 'convert', file('x.dat', '1\n'), out), "unknown trace file extension '.dat'");
    expectUsage(await tmemsim('trace', 'convert', csv), "missing required argument 'out'");
    expectUsage(await tmemsim('run', trunc, '--profile', 'ssd'), 'record 113872 is truncated (20 of 24 bytes)');
    expect(fs.existsSync(out)).toBe(false);
  });
});

describe('tmemsim trace formats', () => {
  it('lists every format with its extensions and options', async () => {
    const r = await tmemsim('trace', 'formats');
    expect(r.code).toBe(0);
    for (const name of ['json (.json)', 'jsonl (', 'csv (.csv', 'txt (.txt', 'oracleGeneral (.oraclegeneral.bin', 'vscsi (.vscsi', 'pageref (.pageref']) {
      expect(r.out).toContain(name);
    }
    expect(r.out).toContain('  obj-id-col = a column number');
    expect(r.out).toContain('  page-size = a power of two 512..1048576; default 4096');
  });
});
