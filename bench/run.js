#!/usr/bin/env node
// npm run bench: tmemsim's throughput, each figure beside a reference measured
// in the same run on the same machine, printed as a ratio. Nothing here is a
// test: wall times vary with the host and are never asserted.
//
//  1. metadata path: a tmem-level cleancache trace (>= 1M events, JSONL)
//     replayed to an uncompressed backend (xen-tmem) with the oracle's
//     bookkeeping on (--fast: tags checked, bytes not hashed); reference: a
//     plain Map + typed-array LRU over the same key sequence.
//  2. every backend on one mixed frontswap + cleancache trace (events/s per backend, as a ratio to the fastest).
//  3. compressed path: frontswap stores then loads of pages that never repeat,
//     zcache with lz4, bytes verified; reference: lz4-wasm's own compress +
//     decompress of the same pages, one call per page. Beside it, the
//     binding's own speed and native `lz4 -b1 -B4096` on the same pages
//     (skipped with a note where the lz4 command is missing).
//  4. binary trace reading (bench/tmtb.js): a >= 10M-event .tmtb read by the
//     TMTB reader; reference: a plain byte loop over the same records.
//  5. a 20-configuration sweep run by `tmemsim sweep` on one core (taskset)
//     and on two (--jobs 2), alternated in 3 pairs, rated by the median of the
//     pairs' ratios; reference: the same sweep on one core. Beside it,
//     one `tmemsim run` of four passes (ssd and mobile, baseline and zcache) of
//     a zipf trace with its default threads against --jobs 1.
//  0. against C (issue 15): a plain C LRU (bench/lru.c, hash table + doubly
//     linked list as libCacheSim's, compiled with cc -O2 here; skipped with a
//     note when no compiler exists) replays a zipf(0.9) oracleGeneral trace;
//     `tmemsim run` replays the same file with no backend, xen-tmem, zcache
//     and zswap, and `tmemsim trace inspect` reads it. Whole commands timed,
//     each once a round in turn for --c-rounds rounds (3), rated by its best.
//     Beside C, the same LRU written line for line in JavaScript (bench/lru.js):
//     the rate of the structure alone in node, before any model (the floor).
//  8. start-up: `tmemsim --version`, `tmemsim run` of a 1,000-request trace and
//     `tmemsim trace inspect` of it, whole processes, beside `node -e 0` (node's
//     own start-up, the floor), each once a round in turn for 7 rounds, rated by
//     its fastest (docs/scale.md, "Start-up").
//  --only=3 (or --only=0,3) runs just those sections.
//  6. with --scale (npm run bench:scale): 10M- and 100M-event traces over one
//     fixed working set replayed by `tmemsim run`; peak RSS of each, and what is
//     live after a full collection at its end, which must stay flat (minutes).
//  7. with --scale: zipf page reads over 10M distinct pages (10M and 100M
//     requests) replayed with no backend and xen-tmem; peak RSS < 1 GiB.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { run } from '../dist/api.js';
import { ContentSource } from '../dist/content/source.js';
import { backendNames } from '../dist/backends/registry.js';
import { binaryRead, scale, scaleDistinct } from './tmtb.js';
import { makeZipfTrace, section0RunOptions, SECTION0_CAPACITY, xorshift } from './zipf.js';

const require = createRequire(import.meta.url);
const lz4 = require('lz4-wasm-nodejs');

const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));
const EVENTS = Number(args.get('events') ?? 1_000_000);
const KEYS = Number(args.get('keys') ?? 100_000);
const PAGES = Number(args.get('pages') ?? 20_000);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tmemsim-bench-'));
/** The command the sections time as users run it. */
const bin = new URL('../bin/tmemsim.js', import.meta.url).pathname;


function fmt(x, d = 2) {
  return x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
}

// ---- 0. against a C LRU -------------------------------------------------------
async function wallOf(argv) {
  const { spawn } = await import('node:child_process');
  const t0 = process.hrtime.bigint();
  const out = await new Promise((res, rej) => {
    let text = '';
    const p = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
    p.stdout.on('data', (d) => (text += d));
    p.on('error', rej);
    p.on('exit', (code) => (code === 0 ? res(text) : rej(new Error(`${argv.join(' ')} exited ${code}`))));
  });
  return { out, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
}

async function againstC() {
  const requests = Number(args.get('c-requests') ?? 10_000_000);
  const objects = Number(args.get('c-objects') ?? 1_000_000);
  const capacity = Number(args.get('c-capacity') ?? SECTION0_CAPACITY);
  // The compressed backends run at a fraction of the rate: a prefix of the same trace keeps the bench in minutes.
  const compressedRequests = Number(args.get('c-compressed-requests') ?? 1_000_000);
  console.log(`\n0. against C: a zipf(0.9) oracleGeneral trace, ${requests.toLocaleString()} requests over ${objects.toLocaleString()} objects, cache of ${capacity.toLocaleString()} pages`);
  const { spawnSync } = await import('node:child_process');
  const cc = ['cc', 'gcc', 'clang'].find((c) => spawnSync(c, ['--version'], { stdio: 'ignore' }).status === 0);
  if (cc === undefined) {
    console.log('   skipped: no C compiler (cc, gcc or clang) on this machine to build the reference');
    return;
  }
  const exe = path.join(dir, 'lru');
  const built = spawnSync(cc, ['-O2', '-o', exe, new URL('./lru.c', import.meta.url).pathname], { encoding: 'utf8' });
  if (built.status !== 0) {
    console.log(`   skipped: ${cc} could not build bench/lru.c: ${built.stderr.trim().split('\n')[0]}`);
    return;
  }
  const trace = path.join(dir, 'zipf.oracleGeneral.bin');
  makeZipfTrace(trace, requests, objects, 0.9);
  const prefix = path.join(dir, 'zipf-prefix.oracleGeneral.bin');
  const fdIn = fs.openSync(trace, 'r');
  const head = Buffer.alloc(24 * Math.min(requests, compressedRequests));
  fs.readSync(fdIn, head, 0, head.length, 0);
  fs.closeSync(fdIn);
  fs.writeFileSync(prefix, head);
  // The page cache holds what RAM leaves after the kernel's own pages: RAM is sized so the
  // cache is at least the C reference's capacity; the hit ratios are printed side by side.
  const run = (backend, file) => [process.execPath, bin, 'run', file, ...section0RunOptions(backend, capacity)];
  const cmds = {
    c: [exe, trace, String(capacity)],
    js: [process.execPath, new URL('./lru.js', import.meta.url).pathname, trace, String(capacity)],
    none: run('none', trace),
    'xen-tmem': run('xen-tmem', trace),
    zcache: run('zcache', prefix),
    zswap: run('zswap', prefix),
    inspect: [process.execPath, bin, 'trace', 'inspect', trace, '--format', 'json'],
  };
  // Every command once a round, in turn, `rounds` rounds: each is rated by its fastest round, so a
  // ratio compares the two commands' best on this host at the same minutes (a shared host's
  // speed drifts by tens of percent between runs of one command; the spread is printed).
  const rounds = Math.max(1, Number(args.get('c-rounds') ?? 3));
  const best = {};
  const worst = {};
  const outs = {};
  for (let k = 0; k < rounds; k++) {
    for (const [name, argv] of Object.entries(cmds)) {
      const r = await wallOf(argv);
      best[name] = Math.min(best[name] ?? Infinity, r.seconds);
      worst[name] = Math.max(worst[name] ?? 0, r.seconds);
      outs[name] = r.out;
    }
  }
  const spread = (name) => `best of ${rounds}; slowest ${fmt(worst[name] / best[name])}x the best`;
  const [, cHits, cReplay] = outs.c.trim().split(' ').map(Number);
  const cRate = requests / best.c;
  console.log(`   reference  C LRU (${cc} -O2), whole command      ${fmt(cRate / 1e6)} M requests/s  (replay alone ${fmt(requests / cReplay / 1e6)} M/s; hit ratio ${fmt((100 * cHits) / requests)} %; ${spread('c')})`);
  // The same LRU in JavaScript: the rate of the structure alone in this runtime, before any model.
  const [, jsHits, jsReplay] = outs.js.trim().split(' ').map(Number);
  const jsRate = requests / best.js;
  const same = jsHits === cHits ? 'the same hits' : `HITS DIFFER: ${jsHits} against ${cHits}`;
  console.log(`   floor      the same LRU in JavaScript (node)   ${fmt(jsRate / 1e6)} M requests/s  ${fmt(jsRate / cRate)}x C  (replay alone ${fmt(requests / jsReplay / 1e6)} M/s; ${same}; ${spread('js')})`);
  const runs = [
    ['none', requests, ' (target >= 0.5x)'],
    ['xen-tmem', requests, ' (target >= 0.5x)'],
    ['zcache', head.length / 24, ''],
    ['zswap', head.length / 24, ''],
  ];
  for (const [label, n, target] of runs) {
    const rep = JSON.parse(outs[label]).runs[0].backend;
    const rate = n / best[label];
    const hit = `; page-cache hit ratio ${fmt(100 * rep.ratios.pagecache_hit)} %`;
    console.log(`   tmemsim run --backend ${label.padEnd(8)} --fast     ${fmt(rate / 1e6)} M requests/s  ${fmt(rate / cRate)}x C${target}, ${fmt(rate / jsRate)}x the JS floor${n < requests ? ` (first ${n.toLocaleString()} requests)` : ''}${hit}; ${spread(label)}`);
  }
  const rate = requests / best.inspect;
  console.log(`   tmemsim trace inspect (exact reuse distances)  ${fmt(rate / 1e6)} M requests/s  ${fmt(rate / cRate)}x C, ${fmt(rate / jsRate)}x the JS floor; ${spread('inspect')}`);
}

// ---- 1. the metadata path ----------------------------------------------------
function makeCleancacheTrace() {
  const file = path.join(dir, 'cleancache.jsonl');
  const fd = fs.openSync(file, 'w');
  const header = { format: 'tmemsim-trace', version: 1, config: { ram_pages: 262144, mounts: [{ fs: 1 }], profile: 'ssd' }, content: { default: 'zero' } };
  const r = xorshift(42);
  const keys = new Float64Array(EVENTS);
  const ops = new Uint8Array(EVENTS);
  let buf = JSON.stringify(header) + '\n';
  for (let i = 0; i < EVENTS; i++) {
    // 80 % of the traffic on 20 % of the keys.
    const hot = r() % 10 < 8;
    const k = hot ? r() % (KEYS / 5) : r() % KEYS;
    const inode = Math.floor(k / 1024);
    const index = k % 1024;
    const put = r() % 2 === 0;
    keys[i] = k;
    ops[i] = put ? 1 : 0;
    buf += put
      ? `{"op":"cleancache_put","fs":1,"inode":${inode},"index":${index},"data":{"fill":${k % 251}}}\n`
      : `{"op":"cleancache_get","fs":1,"inode":${inode},"index":${index}}\n`;
    if (buf.length > 1 << 20) {
      fs.writeSync(fd, buf);
      buf = '';
    }
  }
  fs.writeSync(fd, buf);
  fs.closeSync(fd);
  return { file, keys, ops };
}

/** Reference: an LRU cache of the trace's keys in a Map + typed-array list. */
function referenceLru(keys, ops, capacity) {
  const map = new Map();
  const prev = new Int32Array(capacity).fill(-1);
  const next = new Int32Array(capacity).fill(-1);
  const keyOf = new Float64Array(capacity);
  let head = -1, tail = -1, size = 0, hits = 0;
  const unlink = (s) => {
    if (prev[s] >= 0) next[prev[s]] = next[s]; else head = next[s];
    if (next[s] >= 0) prev[next[s]] = prev[s]; else tail = prev[s];
  };
  const push = (s) => {
    prev[s] = tail; next[s] = -1;
    if (tail >= 0) next[tail] = s; else head = s;
    tail = s;
  };
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    const s = map.get(k);
    if (s !== undefined) {
      hits++;
      unlink(s);
      if (ops[i] === 0) { map.delete(k); continue; } // an exclusive get
      push(s);
    } else if (ops[i] === 1) {
      let slot;
      if (size < capacity) slot = size++;
      else { slot = head; unlink(slot); map.delete(keyOf[slot]); }
      keyOf[slot] = k;
      map.set(k, slot);
      push(slot);
    }
  }
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  return { seconds: s, hits };
}

async function timed(f) {
  const t0 = process.hrtime.bigint();
  const r = await f();
  return { r, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
}

async function metadataPath() {
  const { file, keys, ops } = makeCleancacheTrace();
  const ref = referenceLru(keys, ops, KEYS);
  const refRate = EVENTS / ref.seconds;
  console.log(`\n1. metadata path: ${EVENTS.toLocaleString()} cleancache events over ${KEYS.toLocaleString()} keys (JSONL, streamed)`);
  console.log(`   reference  Map + typed-array LRU, same keys           ${fmt(refRate / 1e6)} M events/s`);
  await run({ trace: file, backend: 'xen-tmem', profiles: ['ssd'], baseline: false, fast: true }); // warm-up
  // The uncompressed backend (xen-tmem) is the metadata path; zcache beside it for scale.
  // (zswap has no cleancache side: section 2 compares every backend on one trace.)
  for (const backend of ['xen-tmem', 'zcache']) {
    const fast = await timed(() => run({ trace: file, backend, profiles: ['ssd'], baseline: false, fast: true }));
    const r = fast.r.runs[0].backend;
    const rate = EVENTS / fast.seconds;
    const target = backend === 'xen-tmem' ? '  (target >= 1 M events/s)' : '';
    console.log(`   ${backend.padEnd(10)} --fast (tags checked)                  ${fmt(rate / 1e6)} M events/s  (${fmt(refRate / rate)}x the reference's time; ${r.cleancache.succ_gets.toLocaleString()} hits, oracle ${r.oracle.stale + r.oracle.lost} violations)${target}`);
  }
  const mem = process.memoryUsage();
  console.log(`   RSS after the metadata runs: ${fmt(mem.rss / 2 ** 20, 0)} MiB`);
}

// ---- 2. every backend on the same mixed trace ------------------------------------
function makeMixedTrace() {
  const file = path.join(dir, 'mixed.jsonl');
  const N = Math.floor(EVENTS / 2);
  const SLOTS = 65536;
  const header = { format: 'tmemsim-trace', version: 1, config: { ram_pages: 262144, swap: [{ type: 0, slots: SLOTS }], mounts: [{ fs: 1 }], profile: 'ssd' } };
  const r = xorshift(7);
  let buf = JSON.stringify(header) + '\n';
  const fd = fs.openSync(file, 'w');
  for (let i = 0; i < N; i++) {
    const x = r() % 8;
    const k = r() % SLOTS;
    // Page contents repeat (64 same-filled values): each is compressed once, so this is the metadata path.
    if (x < 2) buf += `{"op":"frontswap_store","type":0,"offset":${k},"data":{"fill":${k % 64}}}\n`;
    else if (x < 4) buf += `{"op":"frontswap_load","type":0,"offset":${k}}\n`;
    else if (x < 5) buf += `{"op":"frontswap_invalidate_page","type":0,"offset":${k}}\n`;
    else if (x < 7) buf += `{"op":"cleancache_put","fs":1,"inode":${k >> 10},"index":${k & 1023},"data":{"fill":${k % 64}}}\n`;
    else buf += `{"op":"cleancache_get","fs":1,"inode":${k >> 10},"index":${k & 1023}}\n`;
    if (buf.length > 1 << 20) {
      fs.writeSync(fd, buf);
      buf = '';
    }
  }
  fs.writeSync(fd, buf);
  fs.closeSync(fd);
  return { file, events: N };
}

async function perBackend() {
  const { file, events } = makeMixedTrace();
  console.log(`\n2. every backend on one mixed trace: ${events.toLocaleString()} frontswap + cleancache events, repeated page contents, --fast`);
  const rows = [];
  for (const backend of backendNames()) {
    const params = backend === 'ramster' ? { remotify_first_delay_s: 0 } : undefined;
    await run({ trace: file, backend, params, profiles: ['ssd'], baseline: false, fast: true }); // warm-up
    const t = await timed(() => run({ trace: file, backend, params, profiles: ['ssd'], baseline: false, fast: true }));
    const b = t.r.runs[0].backend;
    rows.push({ backend, rate: events / t.seconds, v: b.oracle.stale + b.oracle.lost });
  }
  const best = Math.max(...rows.map((x) => x.rate));
  for (const x of rows) {
    console.log(`   ${x.backend.padEnd(10)} ${fmt(x.rate / 1e6)} M events/s   ${fmt(best / x.rate)}x the fastest backend's time (target <= 3x)   oracle ${x.v} violations`);
  }
}

// ---- 3. the compressed path -------------------------------------------------------
/** MB/s in lz4's unit (10^6 bytes), as `lz4 -b` prints it. */
const mbs = (bytes, seconds) => bytes / 1e6 / seconds;

/**
 * Native lz4 on the same pages: `lz4 -b1 -B4096` (level 1, the file cut into
 * independent 4 KiB blocks, as the kernel compresses pages), or null with the
 * reason when there is no lz4 command. Its last line reads
 * ` |-pages.bin : 81920000 -> 37982806 (2.157), 246.5 MB/s ,1161.7 MB/s`.
 */
async function nativeLz4(file) {
  const { spawnSync } = await import('node:child_process');
  const v = spawnSync('lz4', ['--version'], { encoding: 'utf8' });
  if (v.error !== undefined || v.status !== 0) return { skipped: 'no `lz4` command on this machine (Debian: apt-get install lz4)' };
  const version = (/v(\d+\.\d+\.\d+)/.exec(v.stdout + v.stderr) ?? [])[1] ?? '?';
  const r = spawnSync('lz4', ['-b1', '-B4096', '-i2', file], { encoding: 'utf8' });
  const text = `${r.stdout}${r.stderr}`.replace(/\r/g, '\n');
  const m = [...text.matchAll(/(\d+) ->\s+(\d+) \(([\d.]+)\),\s*([\d.]+) MB\/s\s*,\s*([\d.]+) MB\/s/g)].pop();
  if (r.status !== 0 || m === undefined) return { skipped: `lz4 -b1 -B4096 printed no result (exit ${r.status})` };
  return { version, ratio: Number(m[3]), compress: Number(m[4]), decompress: Number(m[5]) };
}

async function compressedPath() {
  const content = new ContentSource({ seed: 9 });
  const classes = [2, 3, 5]; // text, code, heap
  const corpusFile = path.join(dir, 'pages.bin');
  const all = Buffer.alloc(PAGES * 4096);
  for (let i = 0; i < PAGES; i++) content.fill((i + 1) * 16 + classes[i % 3], all.subarray(i * 4096, (i + 1) * 4096));
  fs.writeFileSync(corpusFile, all);
  // Reference: lz4-wasm on the same pages, one call per page.
  const pages = [];
  for (let i = 0; i < PAGES; i++) pages.push(new Uint8Array(all.buffer, all.byteOffset + i * 4096, 4096));
  const reference = () => {
    const t0 = process.hrtime.bigint();
    let out = 0;
    for (let i = 0; i < PAGES; i++) {
      const c = lz4.compress(pages[i]);
      out += c.length - 4;
      lz4.decompress(c);
    }
    return { out, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
  };
  // The trace: store every page once, then load every page once.
  const file = path.join(dir, 'stores.jsonl');
  const lines = [JSON.stringify({ format: 'tmemsim-trace', version: 1, config: { ram_pages: 262144, swap: [{ type: 0, slots: PAGES }], backend: 'zcache', profile: 'ssd' }, content: { corpus: 'pages.bin' } })];
  for (let i = 0; i < PAGES; i++) lines.push(`{"op":"frontswap_store","type":0,"offset":${i},"data":{"corpus":${i}}}`);
  for (let i = 0; i < PAGES; i++) lines.push(`{"op":"frontswap_load","type":0,"offset":${i}}`);
  fs.writeFileSync(file, lines.join('\n') + '\n');
  // Warm up (module init, schema compile, JIT) on the same trace, then
  // measure: reference and tmemsim alternate, three times, and each keeps
  // its fastest run (the host's speed drifts by tens of percent).
  await run({ trace: file, profiles: ['ssd'], baseline: false });
  let ref = reference();
  let sim = null;
  for (let k = 0; k < 3; k++) {
    const r = reference();
    if (r.seconds < ref.seconds) ref = r;
    const t = await timed(() => run({ trace: file, profiles: ['ssd'], baseline: false }));
    if (sim === null || t.seconds < sim.seconds) sim = t;
  }
  const refS = ref.seconds;
  const b = sim.r.runs[0].backend;
  const mb = (PAGES * 4096) / 2 ** 20;
  console.log(`\n3. compressed path: ${PAGES.toLocaleString()} distinct pages (text, code, heap) stored then loaded, zcache + lz4, bytes verified (min of 3 alternating runs)`);
  console.log(`   reference  lz4-wasm compress + decompress, 1 call/page   ${fmt(PAGES / refS, 0)} pages/s  ${fmt(mb / refS, 1)} MiB/s  (ratio ${fmt((PAGES * 4096) / ref.out)})`);
  console.log(`   tmemsim    store + load through frontswap and zcache     ${fmt(PAGES / sim.seconds, 0)} pages/s  ${fmt(mb / sim.seconds, 1)} MiB/s  (ratio ${fmt(b.ratios.compression_ratio)}, ${b.oracle.bytes_verified.toLocaleString()} loads byte-verified)`);
  console.log(`   tmemsim time / raw codec time: ${fmt(sim.seconds / refS)}x (target <= 1.25x)`);
  // The binding alone, each direction (best of 3), beside native lz4 on the same file.
  const comp = pages.map((p) => lz4.compress(p));
  let cS = Infinity, dS = Infinity;
  for (let k = 0; k < 3; k++) {
    let t0 = process.hrtime.bigint();
    for (let i = 0; i < PAGES; i++) lz4.compress(pages[i]);
    cS = Math.min(cS, Number(process.hrtime.bigint() - t0) / 1e9);
    t0 = process.hrtime.bigint();
    for (let i = 0; i < PAGES; i++) lz4.decompress(comp[i]);
    dS = Math.min(dS, Number(process.hrtime.bigint() - t0) / 1e9);
  }
  const bytes = PAGES * 4096;
  console.log(`   the binding (lz4-wasm-nodejs, 4 KiB pages, 1 call/page)   compress ${fmt(mbs(bytes, cS), 1)} MB/s, decompress ${fmt(mbs(bytes, dS), 1)} MB/s  (MB = 10^6 bytes, as lz4 -b prints)`);
  const n = await nativeLz4(corpusFile);
  if ('skipped' in n) console.log(`   native lz4 -b1 -B4096: skipped: ${n.skipped}`);
  else {
    console.log(`   native lz4 ${n.version} -b1 -B4096 (same file)             compress ${fmt(n.compress, 1)} MB/s, decompress ${fmt(n.decompress, 1)} MB/s  (ratio ${fmt(n.ratio, 3)})`);
    console.log(`   the binding's speed / native: compress ${fmt(mbs(bytes, cS) / n.compress)}x, decompress ${fmt(mbs(bytes, dS) / n.decompress)}x`);
  }
}

// ---- 5. a sweep on 1 core and on 2 ------------------------------------------
// 20 configurations (2 workloads x 5 compressors x 2 profiles) and their 4
// baseline passes, bytes verified, each sweep a `tmemsim sweep` process:
// --jobs 1 pinned to one core (taskset -c 0), and --jobs 2 on two cores. A
// single-threaded node still uses a second core for V8's garbage collector
// and compiler threads, so "on 1 core" is measured on one core, not as one
// worker with the second core free (printed too, for what it is). Each
// worker pays its own start-up (module load, wasm, JIT warm-up: about 1 s of
// CPU), so the passes must be long beside it for the ratio to approach 2.
// The JSON results must be byte-identical. Each leg is run twice, alternating,
// and its fastest run kept. Printed beside it: the machine's own parallel
// ceiling for the same work (two independent processes).
async function sweepScaling() {
  const { spawnSync } = await import('node:child_process');
  const common = ['workloads/mixed-build.json', 'workloads/file-scan.json', '--compressors', 'lz4,lzo,zstd,lz4hc,deflate', '--format', 'json'];
  const grid = [...common, '--profiles', 'ssd,mobile'];
  const pin = spawnSync('taskset', ['-c', '0', 'true']).status === 0;
  const sweep = (jobs, cores) => {
    const out = path.join(dir, `sweep-${jobs}-${cores}.json`);
    const argv = [process.execPath, bin, 'sweep', ...grid, '--jobs', String(jobs), '--out', out];
    const cmd = pin && cores === 1 ? ['taskset', '-c', '0', ...argv] : argv;
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd[0], cmd.slice(1), { stdio: ['ignore', 'ignore', 'inherit'] });
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    if (r.status !== 0) throw new Error(`tmemsim sweep --jobs ${jobs} exited ${r.status}`);
    return { seconds, text: fs.readFileSync(out, 'utf8') };
  };
  // This machine's speed drifts by tens of percent over minutes (a shared
  // host): the two legs alternate in PAIRS pairs, and the speed-up is the
  // median of the pairs' ratios (each pair's two runs are minutes apart at
  // most, so a drift slower than that cancels), with its range beside it;
  // each leg's fastest run is printed too. (Each leg's fastest run alone, the
  // rating until 2026-12-07, gave 1.41x and 1.52x in two runs of this
  // section where 3 pairs measured 1.67-1.93x, median 1.84x.)
  const PAIRS = 3;
  const best = (a, b) => (b.seconds < a.seconds ? b : a);
  const ratios = [];
  const texts = new Set();
  let oneCore = null;
  let two = null;
  for (let i = 0; i < PAIRS; i++) {
    const a = sweep(1, 1);
    const b = sweep(2, 2);
    texts.add(a.text).add(b.text);
    ratios.push(a.seconds / b.seconds);
    oneCore = oneCore === null ? a : best(oneCore, a);
    two = two === null ? b : best(two, b);
  }
  ratios.sort((x, y) => x - y);
  const speedUp = ratios[Math.floor(ratios.length / 2)];
  const oneWorker = sweep(1, 2);
  // The machine's own ceiling for this work: the grid's two profiles as two
  // independent single-threaded processes, pinned to one core each, started
  // together, against the same two one after the other on one core. Memory
  // traffic, shared caches and the host's clock bound any parallel speed-up,
  // threads or not.
  const half = (profile, core) => {
    const argv = [process.execPath, bin, 'sweep', ...common, '--profiles', profile, '--jobs', '1', '--out', path.join(dir, `half-${profile}.json`)];
    return pin ? ['taskset', '-c', String(core), ...argv] : argv;
  };
  const { spawn } = await import('node:child_process');
  const runAll = (cmds) => Promise.all(cmds.map((c) => new Promise((res, rej) => spawn(c[0], c.slice(1), { stdio: 'ignore' }).on('exit', (code) => (code === 0 ? res() : rej(new Error(`${c.join(' ')} exited ${code}`)))))));
  let t0 = process.hrtime.bigint();
  await runAll([half('ssd', 0)]);
  await runAll([half('mobile', 0)]);
  const seq = Number(process.hrtime.bigint() - t0) / 1e9;
  t0 = process.hrtime.bigint();
  await runAll([half('ssd', 0), half('mobile', 1)]);
  const par = Number(process.hrtime.bigint() - t0) / 1e9;
  const doc = JSON.parse(two.text);
  const same = texts.size === 1 && texts.has(oneWorker.text);
  console.log(`\n5. sweep: ${doc.rows.length} configurations + ${doc.groups.length} baseline passes of workloads/mixed-build.json and file-scan.json (tmemsim sweep, bytes verified)`);
  console.log(`   reference  --jobs 1 on 1 core${pin ? ' (taskset -c 0)' : ' (taskset missing: NOT pinned)'}   ${fmt(oneCore.seconds)} s  (fastest of ${PAIRS})`);
  console.log(`              --jobs 1, 2 cores free (GC threads on the 2nd)  ${fmt(oneWorker.seconds)} s`);
  console.log(`   tmemsim    --jobs 2 on 2 cores                             ${fmt(two.seconds)} s  (fastest of ${PAIRS}; identical results: ${same ? 'yes' : 'NO'})`);
  console.log(`   speed-up on 2 cores over 1: ${fmt(speedUp)}x, the median of ${PAIRS} alternated pairs (${ratios.map((r) => fmt(r)).join(', ')}) (target >= 1.8x; over one worker with 2 cores free: ${fmt(oneWorker.seconds / two.seconds)}x)`);
  console.log(`   this machine's ceiling: the two profiles' halves as 2 independent processes on 2 cores ${fmt(par)} s, one after the other on 1 core ${fmt(seq)} s: ${fmt(seq / par)}x`);
}

// ---- 5b. one run's passes on threads --------------------------------------------
async function runThreads() {
  const requests = Number(args.get('threads-requests') ?? 300_000);
  const file = path.join(dir, 'zipf-threads.oracleGeneral.bin');
  makeZipfTrace(file, requests, 100_000, 0.9);
  const common = [process.execPath, bin, 'run', file, '--backend', 'zcache', '--fast', '--quiet', '--ram-mb', '64', '--format', 'json'];
  // Alternating, twice; each keeps its fastest (the host drifts).
  const best = (a, b) => (a === null || b.seconds < a.seconds ? b : a);
  let one = null;
  let auto = null;
  for (let k = 0; k < 2; k++) {
    one = best(one, await wallOf([...common, '--jobs', '1']));
    auto = best(auto, await wallOf(common));
  }
  console.log(`   run: the 4 passes (ssd, mobile x baseline, zcache) of a ${requests.toLocaleString()}-request zipf(0.9) oracleGeneral trace in 64 MiB`);
  console.log(`   reference  --jobs 1 (the main thread only)        ${fmt(one.seconds)} s`);
  console.log(`   tmemsim    default threads (${os.availableParallelism()} cores)              ${fmt(auto.seconds)} s   ${fmt(one.seconds / auto.seconds)}x  (identical reports: ${one.out === auto.out ? 'yes' : 'NO'})`);
}

// ---- 8. start-up -----------------------------------------------------------------
async function startUp() {
  const file = path.join(dir, 'zipf-startup.oracleGeneral.bin');
  makeZipfTrace(file, 1000, 1000, 0.9);
  const cmds = [
    ['node -e 0 (the floor)', [process.execPath, '-e', '0']],
    ['tmemsim --version', [process.execPath, bin, '--version']],
    ['tmemsim run, 1,000 requests', [process.execPath, bin, 'run', file, '--fast', '--quiet', '--profile', 'ssd']],
    ['tmemsim trace inspect of them', [process.execPath, bin, 'trace', 'inspect', file]],
  ];
  const best = cmds.map(() => Infinity);
  for (let round = 0; round < 7; round++) {
    for (let i = 0; i < cmds.length; i++) best[i] = Math.min(best[i], (await wallOf(cmds[i][1])).seconds);
  }
  console.log('\n8. start-up: whole processes, best of 7 rounds in turn');
  cmds.forEach(([label], i) => console.log(`   ${label.padEnd(32)} ${fmt(best[i] * 1000, 0).padStart(5)} ms${i === 0 ? '' : `  (${fmt(best[i] / best[0])}x node's own)`}`));
}

console.log(`tmemsim bench on ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}`);
// --only=3 (or --only=0,3): run just those sections.
const only = args.has('only') ? new Set(String(args.get('only')).split(',')) : null;
const section = (n) => only === null || only.has(String(n));
if (section(0) && !args.has('no-c')) await againstC();
if (section(1)) await metadataPath();
if (section(2)) await perBackend();
if (section(3)) await compressedPath();
if (section(4)) binaryRead(dir, Number(args.get('read-events') ?? 10_000_000));
if (section(5) && !args.has('no-sweep')) {
  await sweepScaling();
  await runThreads();
}
if (section(8)) await startUp();
if (args.has('scale')) {
  scale(dir, (args.get('scale-events') ?? '10000000,100000000').split(',').map(Number));
  scaleDistinct(dir, Number(args.get('distinct-requests') ?? 100_000_000), Number(args.get('distinct-objects') ?? 10_000_000));
}
fs.rmSync(dir, { recursive: true, force: true });
