/**
 * `tmemsim corpus capture|from-files|stats`, in-process through main(argv)
 * (test/helpers/cli.ts). The capture test spawns a child node process that
 * fills a known buffer, then captures it by pid (this needs ptrace
 * access to the child: the sandbox runs as root without Yama, so a sibling
 * may read it; on a machine where kernel.yama.ptrace_scope forbids it the
 * test says so and is skipped). The permission test spawns the bin as
 * another user (uid/gid belong to a process, so it needs one of its own).
 */

import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as lz4wasm from 'lz4-wasm-nodejs';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, stdinOf, tmemsim } from '../helpers/cli.js';
import { runNode } from '../helpers/spawn.js';
import { setStdinReader } from '../../src/cli/stdio.js';

const BIN = path.join(ROOT, 'bin/tmemsim.js');
const DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'tmemsim-corpus-cli-'));
afterAll(() => fs.rmSync(DIR, { recursive: true, force: true }));


/** tmemsim run as another user (uid = gid), or as this one when `uid` is undefined. */
function tmemsimAs(uid: number | undefined, ...args: string[]) {
  return runNode([BIN, ...args], ROOT, uid === undefined ? {} : { uid, gid: uid });
}

function expectUsage(r: { code: number | null; out: string; err: string }, text: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.err.trim().split('\n')).toHaveLength(1);
  expect(r.err).toMatch(text);
  expect(r.err).not.toMatch(/\n\s+at /);
}

const MARK = 'TMEMSIM-KNOWN-PAGE-';
const KNOWN_PAGES = 256;

/** Page i of the child's known buffer: a marker, its index, then log-like text (compressible, distinct per page). */
function knownPage(i: number): Buffer {
  const b = Buffer.alloc(4096);
  let s = `${MARK}${String(i).padStart(6, '0')}\n`;
  for (let k = 0; s.length < 4096; k++) s += `${k * 7919 % 1000} request ${i}/${k} served in ${(k * i) % 97} ms from cache node ${k % 5}\n`;
  b.write(s.slice(0, 4096), 'latin1');
  return b;
}

/** The standalone codec (lz4-wasm-nodejs, as tmemsim's lz4 uses it): compressed size without its 4-byte size prefix. */
function lz4Size(page: Uint8Array): number {
  return lz4wasm.compress(page).length - 4;
}

function pagesOf(file: string): Buffer[] {
  const all = fs.readFileSync(file);
  const out: Buffer[] = [];
  for (let o = 0; o < all.length; o += 4096) out.push(all.subarray(o, o + 4096));
  return out;
}

describe('corpus capture', () => {
  it('captures a live process: its known pages are in the corpus and compress as the codec compresses them', async () => {
    const script = `
      const MARK = ${JSON.stringify(MARK)};
      ${knownPage.toString()}
      const buf = Buffer.allocUnsafeSlow(${KNOWN_PAGES} * 4096);
      for (let i = 0; i < ${KNOWN_PAGES}; i++) knownPage(i).copy(buf, i * 4096);
      globalThis.keep = buf;
      process.stdout.write('ready\\n');
      process.stdin.on('data', () => {});
      process.stdin.on('end', () => process.exit(0));`;
    const child: ChildProcess = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((res, rej) => {
        child.stdout!.once('data', () => res());
        child.once('exit', (c) => rej(new Error(`child exited ${c}`)));
      });
      const out = path.join(DIR, 'child.pages');
      const r = await tmemsim('corpus', 'capture', '--pid', String(child.pid), '--out', out);
      if (r.code === 2 && /permission denied/.test(r.err)) {
        console.warn(`corpus capture test skipped: ${r.err.trim()} (ptrace_scope forbids reading a sibling process)`);
        return;
      }
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      expect(r.out).toMatch(new RegExp(`^${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: \\d+ pages from pid ${child.pid} \\(node\\)`));
      const meta = JSON.parse(fs.readFileSync(`${out}.meta.json`, 'utf8')) as { pid: number; pages: number };
      expect(meta.pid).toBe(child.pid);
      const pages = pagesOf(out);
      expect(pages).toHaveLength(meta.pages);

      // Every known page was captured, byte for byte. malloc puts a chunk header before the
      // buffer, so a known page need not start a captured page: look for its marker anywhere.
      const all = fs.readFileSync(out);
      const found = new Map<number, Buffer>();
      for (let i = 0; i < KNOWN_PAGES; i++) {
        // The first occurrence that is the whole page (the child's V8 heap may hold copies of its start).
        const want = knownPage(i);
        const mark = `${MARK}${String(i).padStart(6, '0')}\n`;
        for (let at = all.indexOf(mark, 0, 'latin1'); at >= 0; at = all.indexOf(mark, at + 1, 'latin1')) {
          if (all.subarray(at, at + 4096).equals(want)) {
            found.set(i, all.subarray(at, at + 4096));
            break;
          }
        }
      }
      expect(found.size).toBe(KNOWN_PAGES);
      let want = 0;
      let got = 0;
      for (let i = 0; i < KNOWN_PAGES; i++) {
        expect(found.get(i)!.equals(knownPage(i))).toBe(true);
        want += lz4Size(knownPage(i));
        got += lz4Size(found.get(i)!);
      }
      expect(got).toBe(want);

      // corpus stats' lz4 ratio over the whole capture is the standalone codec's ratio on the same pages.
      const s = await tmemsim('corpus', 'stats', out, '--format', 'json', '--compressor', 'lz4');
      expect(s.code).toBe(0);
      const stats = JSON.parse(s.out) as { pages: number; zero: number; compressors: { name: string; bytes: number; ratio: number; histogram: number[] }[] };
      expect(stats.pages).toBe(pages.length);
      const standalone = pages.reduce((a, p) => a + lz4Size(p), 0);
      expect(stats.compressors[0]!.bytes).toBe(standalone);
      expect(stats.compressors[0]!.ratio).toBe(Math.round((pages.length * 4096 / standalone) * 1e4) / 1e4);
      expect(stats.compressors[0]!.histogram.reduce((a, b) => a + b, 0)).toBe(pages.length);
      expect(stats.zero).toBe(pages.filter((p) => p.every((x) => x === 0)).length);
    } finally {
      child.stdin!.end();
      child.kill();
    }
  }, 60_000);

  it('--max-pages bounds the capture', async () => {
    const out = path.join(DIR, 'self.pages');
    const r = await tmemsim('corpus', 'capture', '--pid', String(process.pid), '--out', out, '--max-pages', '10');
    if (r.code === 2 && /permission denied/.test(r.err)) {
      console.warn(`corpus capture --max-pages test skipped: ${r.err.trim()} (ptrace access to this process is refused)`);
      return;
    }
    expect(r.code).toBe(0);
    expect(fs.statSync(out).size).toBe(10 * 4096);
  });

  it('no such process: one line, exit 2', async () => {
    expectUsage(await tmemsim('corpus', 'capture', '--pid', '4194304'), /^tmemsim: field '--pid': no process with pid 4194304/);
    expectUsage(await tmemsim('corpus', 'capture', '--pid', 'abc'), /field '--pid': 'abc' is not an integer \(accepted: 1\.\./);
  });

  it('another user\'s process without permission: one line, exit 2', async () => {
    // As root every process is readable: the capture then runs as nobody (65534), reading init's memory.
    const as = process.getuid?.() === 0 ? 65534 : undefined;
    expectUsage(await tmemsimAs(as, 'corpus', 'capture', '--pid', '1', '--out', path.join(os.tmpdir(), 'tmemsim-init.pages')), /^tmemsim: field '--pid': permission denied reading \/proc\/1\/maps of pid 1: reading another process.s memory needs ptrace access/);
  });
});

describe('corpus from-files and stats', () => {
  it('cuts files into pages (last one zero-padded) and counts zero and same-filled pages', async () => {
    const a = path.join(DIR, 'a.bin');
    const b = path.join(DIR, 'b.txt');
    fs.writeFileSync(a, Buffer.concat([Buffer.alloc(4096), Buffer.alloc(4096, 0xab), Buffer.from('x'.repeat(100))]));
    fs.writeFileSync(b, knownPage(3).toString('latin1').repeat(2));
    const out = path.join(DIR, 'files.pages');
    const r = await tmemsim('corpus', 'from-files', a, b, '--out', out);
    expect(r.code).toBe(0);
    expect(r.out).toBe(`${out}: 5 pages from 2 files\n`);
    const pages = pagesOf(out);
    expect(pages).toHaveLength(5);
    expect(pages[2]!.subarray(0, 100).toString()).toBe('x'.repeat(100));
    expect(pages[2]!.subarray(100).every((x) => x === 0)).toBe(true);
    expect(pages[3]!.equals(knownPage(3))).toBe(true);
    const s = JSON.parse((await tmemsim('corpus', 'stats', out, '-f', 'json')).out) as { pages: number; zero: number; same_filled: number; compressors: { name: string; histogram: number[]; bytes: number }[] };
    expect(s.pages).toBe(5);
    expect(s.zero).toBe(1);
    expect(s.same_filled).toBe(1);
    expect(s.compressors.map((c) => c.name)).toEqual(['lz4', 'deflate', 'lz4hc', 'zstd', 'lzo']);
    for (const c of s.compressors) {
      expect(c.histogram).toHaveLength(17);
      expect(c.histogram.reduce((x, y) => x + y, 0)).toBe(5);
    }
    expect(s.compressors[0]!.bytes).toBe(pages.reduce((x, p) => x + lz4Size(p), 0));
    const t = await tmemsim('corpus', 'stats', out);
    expect(t.code).toBe(0);
    expect(t.out).toMatch(/^files\.pages: 5 pages, 1 zero, 1 same-filled/);
    expect(t.out).toMatch(/compressed size histogram/);
    // From standard input, read a piece at a time: the same figures, named '-'.
    const prev = setStdinReader(stdinOf(fs.readFileSync(out), 1000));
    try {
      const i = await tmemsim('corpus', 'stats', '-', '-f', 'json');
      expect(i.code).toBe(0);
      expect(JSON.parse(i.out)).toEqual({ ...s, corpus: '-' });
    } finally {
      setStdinReader(prev);
    }
  });

  it('an unreadable corpus or a missing input file: one line, exit 2', async () => {
    expectUsage(await tmemsim('corpus', 'stats', path.join(DIR, 'none.pages')), /cannot read corpus '.*none\.pages': ENOENT/);
    expectUsage(await tmemsim('corpus', 'stats', DIR), /cannot read corpus '.*': not a regular file/);
    const empty = path.join(DIR, 'empty.pages');
    fs.writeFileSync(empty, '');
    expectUsage(await tmemsim('corpus', 'stats', empty), /the file is empty/);
    expectUsage(await tmemsim('corpus', 'from-files', path.join(DIR, 'nope'), '--out', path.join(DIR, 'x.pages')), /cannot read '.*nope'/);
    expectUsage(await tmemsim('corpus', 'stats', empty, '--format', 'xml'), /field '--format': unknown format 'xml' \(accepted: table, json\)/);
  });
});
