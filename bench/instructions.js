#!/usr/bin/env node
// npm run bench:instructions: the replay's work per request as instructions, counted by
// valgrind's cachegrind, so that a change of a few percent can be judged on a host whose wall
// time drifts by tens of percent between runs of one command (docs/scale.md, "Instructions per
// request"). Not a test, and not part of `npm run bench`: it takes minutes, and needs valgrind
// (Debian's package); without it, it says so and stops.
//
// How: `node --predictable` (no concurrent compilation or GC threads: the count repeats to about
// 0.1 %) runs `tmemsim run` under cachegrind on two prefixes of one trace, a short and a long one
// (1.3M and 2.3M requests: both past the warm-up);
// the difference of the two counts over the difference of their requests is the steady state's
// cost a request, start-up, compilation and the report's making cancel out. Beside it, the L1
// data misses a request (cachegrind's model of this host's caches). The two runs go side by side
// (two processes).
//
//   node bench/instructions.js [--trace=FILE] [--backend=none] [--short=1300000] [--long=2300000]
//                              [--hits] [--functions[=30]]
//
// --trace is an oracleGeneral file (its prefixes are cut by its 24-byte records). Without it: the
// zipf(0.9) oracleGeneral trace of bench section 0 (1M objects, seeded);
// with --hits, one over 50,000 objects, whose pages all fit in RAM (nearly every request a hit:
// the cost of a page-cache hit and of an event). The run's options are section 0's
// (--profile ssd --no-baseline --fast, RAM for 100,000 cache pages).
//
// --functions: where the instructions go, by layer and by JavaScript function, instead of the
// cache's misses. Valgrind's callgrind counts the instructions at each address; node writes where
// it put each compiled function (--perf-basic-prof, code never moved: --no-compact-code-space),
// and each address is charged to the function whose code holds it. The run is the unbundled CLI
// (dist/cli/main.js), so that a function's module names its layer (bench/layer-of.js). An
// optimized function's code holds what V8 inlined into it: a callee inlined into its caller counts
// as the caller. V8's own C++ (the compiler, the IC handlers, the GC) counts apart, by symbol.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { makeZipfTrace, section0RunOptions } from './zipf.js';
import { layerOfUrl } from './layer-of.js';

const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));
const backend = args.get('backend') ?? 'none';
// The short prefix ends after the warm-up: with section 0's cache, reclaim first runs at about
// 300,000 requests, and its functions are compiled over the next hundred thousand; a window that
// starts before that counts their compilation as the steady state's (about 600 a request).
const short = Number(args.get('short') ?? 1_300_000);
const long = Number(args.get('long') ?? 2_300_000);
const RECORD = 24;
const bin = new URL('../bin/tmemsim.js', import.meta.url).pathname;
const functions = args.has('functions') ? Number(args.get('functions') ?? 30) : 0;

if (!(Number.isInteger(functions) && functions >= 0)) {
  console.error('instructions: --functions=N takes a whole number of functions to list');
  process.exit(2);
}
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

/** Runs valgrind with argv to its end: its exit code, its stderr (the tool's summary) and the pid (node's perf map's name). */
function valgrind(argv) {
  return new Promise((resolve, reject) => {
    let err = '';
    // In the run's own temporary folder: node's --perf-basic-prof run also writes V8's isolate-*-v8.log
    // files to its working directory, which went to the caller's (the checkout's root) before.
    const p = spawn('valgrind', argv, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    p.stderr.on('data', (d) => (err += d));
    p.on('error', reject);
    p.on('exit', (code) => resolve({ code, err, pid: p.pid }));
  });
}

/** Cachegrind's summary of one run: instructions, L1 data misses, last-level misses, and the report. */
async function count(file) {
  const report = `${file}.json`;
  const { code, err } = await valgrind(['--tool=cachegrind', '--cache-sim=yes', '--cachegrind-out-file=/dev/null', process.execPath, '--predictable', bin, 'run', file,
    ...section0RunOptions(backend), '-o', report]);
  const num = (label) => Number((err.match(new RegExp(`${label}:\\s+([\\d,]+)`)) ?? [])[1]?.replace(/,/g, '') ?? NaN);
  if (code !== 0 || !fs.existsSync(report)) throw new Error(`tmemsim run under valgrind failed (exit ${code}):\n${err.slice(-2000)}`);
  const hit = JSON.parse(fs.readFileSync(report, 'utf8')).runs[0].backend.ratios.pagecache_hit;
  return { instr: num('I\\s+refs'), d1: num('D1\\s+misses'), ll: num('LL\\s+misses'), hit };
}

/**
 * Callgrind's instructions of one run, charged to what ran them: a Map from
 * "function\tmodule URL" (a JavaScript function: node's perf map names the code at an address) or
 * "[V8] symbol" (node's own code) to instructions.
 */
async function profile(file) {
  const out = `${file}.callgrind`;
  const script = path.join(dir, 'cli.mjs');
  fs.writeFileSync(script, `import { main } from ${JSON.stringify(new URL('../dist/cli/main.js', import.meta.url).href)};\nprocess.exitCode = await main(process.argv);\n`);
  const { code, err, pid } = await valgrind(['--tool=callgrind', '--dump-instr=yes', '--compress-pos=no', '--compress-strings=no', `--callgrind-out-file=${out}`,
    process.execPath, '--predictable', '--perf-basic-prof', '--no-compact-code-space', script, 'run', file, ...section0RunOptions(backend), '-o', `${file}.json`]);
  const map = `/tmp/perf-${pid}.map`;
  try {
    if (code !== 0 || !fs.existsSync(out) || !fs.existsSync(map)) throw new Error(`tmemsim run under callgrind failed (exit ${code}):\n${err.slice(-2000)}`);
    return charge(out, map);
  } finally {
    fs.rmSync(map, { force: true });
  }
}

/** Callgrind's per-address counts (out) charged to the compiled functions of node's perf map. */
function charge(out, map) {
  const starts = [];
  for (const line of fs.readFileSync(map, 'utf8').split('\n')) {
    // "start size name", the name "JS:*f file:///…:line:col" (* optimized, ~ not) or "Builtin:X".
    const m = /^([0-9a-f]+) ([0-9a-f]+) (.*)$/.exec(line);
    if (m === null) continue;
    const js = /^JS:[*~^+-]?(\S*) (\S+?)(?::\d+:\d+)?$/.exec(m[3]);
    starts.push({ at: parseInt(m[1], 16), end: parseInt(m[1], 16) + parseInt(m[2], 16), key: js === null ? `[V8] ${m[3]}` : `${js[1] || '(anonymous)'}\t${js[2]}` });
  }
  starts.sort((a, b) => a.at - b.at);
  const owner = (a) => {
    let lo = 0, hi = starts.length - 1, at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid].at <= a) (at = mid), (lo = mid + 1);
      else hi = mid - 1;
    }
    return at >= 0 && a < starts[at].end ? starts[at].key : null;
  };
  const cost = new Map();
  let fn = '';
  let inclusive = false;
  // Each cost line is "0xADDR line Ir"; the one after a "calls=" line is the callee's inclusive cost, not this function's.
  for (const line of fs.readFileSync(out, 'utf8').split('\n')) {
    if (line.startsWith('fn=')) fn = line.slice(3);
    else if (line.startsWith('calls=')) inclusive = true;
    else if (line.startsWith('0x')) {
      if (inclusive) {
        inclusive = false;
        continue;
      }
      const sp = line.split(' ');
      const key = owner(parseInt(sp[0], 16)) ?? `[V8] ${fn}`;
      cost.set(key, (cost.get(key) ?? 0) + Number(sp[2]));
    }
  }
  return cost;
}

const fmt = (x, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
if (functions > 0) {
  try {
    await byFunction();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  process.exit(0);
}

/** --functions: the instructions a request by layer and by function, the long run's less the short one's. */
async function byFunction() {
  const [a, b] = await Promise.all([profile(prefix(short)), profile(prefix(long))]);
  const n = long - short;
  const diff = new Map(b);
  for (const [k, v] of a) diff.set(k, (diff.get(k) ?? 0) - v);
  const total = [...diff.values()].reduce((x, y) => x + y, 0);
  const layers = new Map();
  for (const [k, v] of diff) {
    // V8's optimizing compiler apart: its work between the two prefixes is the warm-up's tail, not the steady state's.
    const layer = !k.startsWith('[V8] ') ? layerOfUrl(k.split('\t')[1]) : /compiler::|turboshaft::/.test(k) ? 'V8 compiling (TurboFan)' : 'V8 and node, other (IC handlers, GC, builtins)';
    layers.set(layer, (layers.get(layer) ?? 0) + v);
  }
  const rel = (url) => url.replace(/^file:\/\/.*?\/dist\//, '');
  console.log(`tmemsim run --backend ${backend} --fast: instructions a request, requests ${fmt(short + 1)}-${fmt(long)}, by callgrind (the unbundled CLI)`);
  console.log(`   all                                                ${fmt(total / n).padStart(7)}`);
  for (const [layer, v] of [...layers].sort((x, y) => y[1] - x[1])) console.log(`   ${layer.padEnd(50)} ${fmt(v / n).padStart(7)}`);
  console.log(`   the ${functions} functions with the most (with what V8 inlined into them):`);
  for (const [k, v] of [...diff].sort((x, y) => y[1] - x[1]).slice(0, functions)) {
    const [name, url] = k.split('\t');
    console.log(`   ${fmt(v / n).padStart(7)}  ${url === undefined ? name : `${name} (${rel(url)})`}`);
  }
}

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
