#!/usr/bin/env node
// npm run bench:instructions: the replay's work per request as instructions, counted by
// valgrind's cachegrind, so that a change of a few percent can be judged on a host whose wall
// time drifts by tens of percent between runs of one command (docs/scale.md, "Instructions per
// request"). Not a test, and not part of `npm run bench`: it takes minutes, and needs valgrind
// (Debian's package); without it, it says so and stops.
//
// How: `node --predictable` (no concurrent compilation or GC threads: the count repeats to about
// 0.1 %) runs `tmemsim run` under cachegrind on two prefixes of one trace, a short and a long one;
// the difference of the two counts over the difference of their requests is the steady state's
// cost a request, start-up, compilation and the report's making cancel out. Beside it, the L1
// data misses a request (cachegrind's model of this host's caches). The two runs go side by side
// (two processes).
//
//   node bench/instructions.js [--trace=FILE] [--backend=none] [--short=300000] [--long=1300000]
//                              [--hits]
//
// --trace is an oracleGeneral file (its prefixes are cut by its 24-byte records). Without it: the
// zipf(0.9) oracleGeneral trace of bench section 0 (1M objects, seeded);
// with --hits, one over 50,000 objects, whose pages all fit in RAM (nearly every request a hit:
// the cost of a page-cache hit and of an event). The run's options are section 0's
// (--profile ssd --no-baseline --fast, RAM for 100,000 cache pages).

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { makeZipfTrace, section0RunOptions } from './zipf.js';

const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));
const backend = args.get('backend') ?? 'none';
const short = Number(args.get('short') ?? 300_000);
const long = Number(args.get('long') ?? 1_300_000);
const RECORD = 24;
const bin = new URL('../bin/tmemsim.js', import.meta.url).pathname;

if (!(Number.isInteger(short) && Number.isInteger(long) && short > 0 && long > short)) {
  console.error('instructions: --short and --long are whole numbers of requests, 0 < short < long');
  process.exit(2);
}
if (spawnSync('valgrind', ['--version'], { stdio: 'ignore' }).status !== 0) {
  console.log('skipped: no valgrind on this machine (Debian: apt-get install valgrind)');
  process.exit(0);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tmemsim-instr-'));
let source = args.get('trace');
if (source === undefined) {
  source = path.join(dir, 'zipf.oracleGeneral.bin');
  makeZipfTrace(source, long, args.has('hits') ? 50_000 : 1_000_000, 0.9);
}
/** The first n records of the oracleGeneral source, as a file of their own. */
function prefix(n) {
  const out = path.join(dir, `prefix-${n}.oracleGeneral.bin`);
  const fd = fs.openSync(source, 'r');
  const buf = Buffer.alloc(n * RECORD);
  const got = fs.readSync(fd, buf, 0, buf.length, 0);
  fs.closeSync(fd);
  if (got < buf.length) {
    console.error(`instructions: ${source} holds ${Math.floor(got / RECORD)} requests, fewer than --long ${n}`);
    process.exit(2);
  }
  fs.writeFileSync(out, buf);
  return out;
}

/** Cachegrind's summary of one run: instructions, L1 data misses, last-level misses, and the report. */
function count(file) {
  const report = `${file}.json`;
  const argv = ['--tool=cachegrind', '--cache-sim=yes', '--cachegrind-out-file=/dev/null', process.execPath, '--predictable', bin, 'run', file,
    ...section0RunOptions(backend), '-o', report];
  return new Promise((resolve, reject) => {
    let err = '';
    const p = spawn('valgrind', argv, { stdio: ['ignore', 'ignore', 'pipe'] });
    p.stderr.on('data', (d) => (err += d));
    p.on('error', reject);
    p.on('exit', (code) => {
      const num = (label) => Number((err.match(new RegExp(`${label}:\\s+([\\d,]+)`)) ?? [])[1]?.replace(/,/g, '') ?? NaN);
      if (code !== 0 || !fs.existsSync(report)) return reject(new Error(`tmemsim run under valgrind failed (exit ${code}):\n${err.slice(-2000)}`));
      const hit = JSON.parse(fs.readFileSync(report, 'utf8')).runs[0].backend.ratios.pagecache_hit;
      resolve({ instr: num('I\\s+refs'), d1: num('D1\\s+misses'), ll: num('LL\\s+misses'), hit });
    });
  });
}

const fmt = (x, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
try {
  const [a, b] = await Promise.all([count(prefix(short)), count(prefix(long))]);
  const n = long - short;
  const what = args.has('trace') ? path.basename(source) : `zipf(0.9) over ${args.has('hits') ? '50,000' : '1,000,000'} objects`;
  console.log(`tmemsim run --backend ${backend} --fast, ${what}: requests ${fmt(short + 1)}-${fmt(long)} (page-cache hit ratio ${fmt(100 * a.hit, 1)} % over the first ${fmt(short)}, ${fmt(100 * b.hit, 1)} % over ${fmt(long)})`);
  console.log(`   instructions a request   ${fmt((b.instr - a.instr) / n)}`);
  console.log(`   L1 data misses a request ${fmt((b.d1 - a.d1) / n, 1)}`);
  console.log(`   last-level misses a request ${fmt((b.ll - a.ll) / n, 2)}  (cachegrind's model of this host's last-level cache)`);
  console.log(`   whole runs: ${fmt(a.instr)} and ${fmt(b.instr)} instructions`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
