// Bench sections of the binary trace format (src/trace/formats/tmtb.ts),
// called from bench/run.js:
//
//  4. reading: a >= 10M-event .tmtb trace decoded by the TMTB reader (event
//     objects, as the simulator gets them); reference: a plain loop over the
//     same bytes that decodes the same records into numbers and makes no
//     objects, measured in the same run.
//  6. scale (npm run bench:scale, or npm run bench -- --scale): traces of 10M
//     and 100M events over the same fixed working set, each replayed by
//     `tmemsim run` in a child process that prints its peak RSS; memory must
//     not grow with the trace's length.
//
// The traces are generated streamed into a temp directory and deleted after.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { TmtbEncoder, openTmtb } from '../dist/trace/formats/tmtb.js';
import { makeZipfTrace } from './zipf.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function fmt(x, d = 2) {
  return x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
}

/**
 * A fixed working set, whatever the length: 8 processes x 4096 anonymous
 * pages (hot 1/8 of each) and 64 files x 512 pages, in 64 MiB of RAM (16384
 * pages) with a swap area, so reclaim swaps and evicts throughout; 1 write in
 * 4; page contents same-filled (the metadata path, as bench section 1).
 */
export function writeWorkingSetTrace(file, events, seed = 1) {
  const fd = fs.openSync(file, 'w');
  const header = {
    format: 'tmemsim-trace',
    version: 1,
    config: {
      description: `bench: ${events} events over a fixed working set (8 x 4096 anon pages, 64 x 512 file pages)`,
      ram_pages: 16384,
      swap: [{ type: 0, slots: 65536 }],
      mounts: [{ fs: 1 }],
      profile: 'ssd',
      seed: 1,
    },
    content: { default: 'zero' },
  };
  const enc = new TmtbEncoder(header, (b) => fs.writeSync(fd, b));
  let s = seed >>> 0 || 1;
  const fills = [];
  for (let b = 0; b < 64; b++) fills.push({ fill: b });
  for (let i = 0; i < events; i++) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    const hot = (s & 7) !== 0;
    const r = s >>> 3;
    const write = (r & 3) === 0;
    const t = i * 2;
    if ((r >>> 2) % 3 !== 0) {
      const pid = 1 + ((r >>> 4) & 7);
      const page = hot ? (r >>> 7) & 511 : (r >>> 7) & 4095;
      enc.write(write ? { op: 'anon', pid, page, write: true, data: fills[(r >>> 19) & 63], t } : { op: 'anon', pid, page, t });
    } else {
      const inode = 1 + ((r >>> 4) & 63);
      const index = hot ? (r >>> 10) & 63 : (r >>> 10) & 511;
      enc.write(write ? { op: 'file', fs: 1, inode, index, write: true, data: fills[(r >>> 19) & 63], t } : { op: 'file', fs: 1, inode, index, t });
    }
  }
  enc.end();
  fs.closeSync(fd);
}

/**
 * The reference: the same file read in the same 4 MiB windows and its
 * records (anon and file events with a delta time and optional fill data)
 * decoded into numbers with a plain byte loop, no objects made.
 */
function referenceScan(file) {
  const fd = fs.openSync(file, 'r');
  const buf = Buffer.allocUnsafe((4 << 20) + 64);
  const pre = Buffer.alloc(10);
  fs.readSync(fd, pre, 0, 10, 0);
  let filePos = 10 + pre.readUInt32LE(6);
  let keep = 0;
  let n = 0;
  let sum = 0;
  let t = 0;
  for (;;) {
    const got = fs.readSync(fd, buf, keep, buf.length - 64 - keep, filePos);
    filePos += got;
    const end = keep + got;
    buf.fill(0, end, end + 64);
    let p = 0;
    const last = got === 0 ? end : end - 48;
    while (p < last) {
      const op = buf[p];
      if (op === 0xff) return finish();
      const flags = buf[p + 1];
      p += 2;
      if (flags & 1) {
        let v = 0, mul = 1, c;
        do { c = buf[p++]; v += (c & 127) * mul; mul *= 128; } while (c >= 128);
        t += v % 2 === 0 ? v / 2 : -(v + 1) / 2;
      }
      const k = op === 19 ? 3 : (flags & 32 ? 2 : 1);
      if (op === 19) p++; // fs
      for (let j = op === 19 ? 1 : 0; j < k; j++) {
        let v = 0, mul = 1, c;
        do { c = buf[p++]; v += (c & 127) * mul; mul *= 128; } while (c >= 128);
        sum += v;
      }
      if (flags & 4) p += 2; // { fill }
      n++;
    }
    keep = end - p;
    buf.copy(buf, 0, p, end);
    if (got === 0) return finish();
  }
  function finish() {
    fs.closeSync(fd);
    return { n, sum, t };
  }
}

function seconds(f) {
  const t0 = process.hrtime.bigint();
  const r = f();
  return { r, s: Number(process.hrtime.bigint() - t0) / 1e9 };
}

export function binaryRead(dir, events) {
  const file = path.join(dir, 'read.tmtb');
  const gen = seconds(() => writeWorkingSetTrace(file, events));
  const size = fs.statSync(file).size;
  console.log(`\n4. binary trace reading: ${events.toLocaleString()} events (anon + file, timed), ${fmt(size / 2 ** 20, 0)} MiB .tmtb (${fmt(size / events, 1)} bytes/event; written in ${fmt(gen.s, 1)} s)`);
  const read = () => {
    let n = 0;
    let sum = 0;
    for (const { event } of openTmtb(file).eventsSync()) {
      n++;
      sum += event.op === 'file' ? event.inode + event.index : event.page + (event.pid ?? 0);
    }
    return { n, sum };
  };
  referenceScan(file); // warm-up
  read();
  const ref = seconds(() => referenceScan(file));
  const ours = seconds(read);
  if (ref.r.n !== events || ours.r.n !== events || ref.r.sum !== ours.r.sum) {
    throw new Error(`bench 4: the reader and the reference disagree (${ours.r.n} / ${ref.r.n} events, sums ${ours.r.sum} / ${ref.r.sum})`);
  }
  const refRate = events / ref.s;
  const rate = events / ours.s;
  console.log(`   reference  byte loop over the same records, no objects   ${fmt(refRate / 1e6)} M events/s  ${fmt(size / 2 ** 20 / ref.s, 0)} MiB/s`);
  console.log(`   tmemsim    TMTB reader, one event object each            ${fmt(rate / 1e6)} M events/s  ${fmt(size / 2 ** 20 / ours.s, 0)} MiB/s  (${fmt(ref.s / ours.s * 100, 0)}% of the reference's rate; target >= 5 M events/s)`);
}

/** Peak RSS of `tmemsim run` on a trace and its live memory after a full collection, from the child itself at exit. */
function childRun(file, backend = 'xen-tmem', extra = []) {
  // At exit: the peak RSS, and what is still live after a full collection (the JS heap and the
  // typed arrays' buffers): peak RSS also holds garbage not yet collected, as much as V8's heap
  // sizing lets wait, which grows with the allocation rate and the run's length, not with what the
  // replay keeps.
  const hook = 'data:text/javascript,process.on("exit",()=>{globalThis.gc();const u=process.memoryUsage();process.stderr.write("maxrss-kib="+process.resourceUsage().maxRSS+" live-bytes="+(u.heapUsed+u.external)+"\\n")})';
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', hook, path.join(ROOT, 'bin/tmemsim.js'), 'run', file, '--backend', backend, '--no-baseline', '--fast', '--profile', 'ssd', '-f', 'json', ...extra], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  const m = /maxrss-kib=(\d+) live-bytes=(\d+)/.exec(r.stderr);
  if (r.status !== 0 || !m) throw new Error(`bench 6: tmemsim run ${file} failed (${r.status}): ${r.stderr.slice(0, 500)}`);
  const report = JSON.parse(r.stdout);
  return { kib: Number(m[1]), live: Number(m[2]), s, run: report.runs[0].backend };
}

export function scale(dir, sizes = [10_000_000, 100_000_000]) {
  console.log(`\n6. scale: the same fixed working set (8 x 4096 anon + 64 x 512 file pages, 64 MiB RAM), traces of ${sizes.map((n) => n.toLocaleString()).join(' and ')} events, each replayed by tmemsim run (xen-tmem, --fast, no baseline) in a child process`);
  const rows = [];
  for (const n of sizes) {
    const file = path.join(dir, `scale-${n}.tmtb`);
    const gen = seconds(() => writeWorkingSetTrace(file, n));
    const size = fs.statSync(file).size;
    const c = childRun(file);
    fs.rmSync(file, { force: true });
    rows.push({ n, ...c });
    console.log(`   ${n.toLocaleString().padStart(12)} events  ${fmt(size / 2 ** 20, 0).padStart(5)} MiB trace (written in ${fmt(gen.s, 0)} s)  replay ${fmt(c.s, 0)} s = ${fmt(n / c.s / 1e6)} M events/s  peak RSS ${fmt(c.kib / 1024, 0)} MiB, live at the end ${fmt(c.live / 2 ** 20, 1)} MiB  (${c.run.events.toLocaleString()} events; oracle ${c.run.oracle.stale + c.run.oracle.lost} violations)`);
  }
  const a = rows[0];
  const b = rows[rows.length - 1];
  console.log(`   ${fmt(b.n / a.n, 0)}x the events: ${fmt(b.live / a.live)}x the live memory at the end (flat: within 1.10x), ${fmt(b.kib / a.kib)}x the peak RSS (garbage awaiting collection included)`);
}

/**
 * Memory against distinct pages: zipf(0.9) page reads over `objects` objects (one page each), a tenth of
 * the requests and all of them, replayed with no backend and with xen-tmem in 489 MiB of RAM; peak RSS
 * must stay under 1 GiB however many distinct pages the trace touches.
 */
export function scaleDistinct(dir, requests = 100_000_000, objects = 10_000_000) {
  console.log(`\n7. distinct pages: zipf(0.9) oracleGeneral traces over ${objects.toLocaleString()} objects of one page, replayed by tmemsim run (--fast, no baseline, 489 MiB RAM) in a child process; target: peak RSS < 1 GiB`);
  for (const n of [requests / 10, requests]) {
    const file = path.join(dir, `distinct-${n}.oracleGeneral.bin`);
    const gen = seconds(() => makeZipfTrace(file, n, objects, 0.9));
    const size = fs.statSync(file).size;
    console.log(`   ${n.toLocaleString().padStart(12)} requests, ${gen.r.toLocaleString()} distinct pages, ${fmt(size / 2 ** 20, 0)} MiB trace (written in ${fmt(gen.s, 0)} s)`);
    for (const backend of ['none', 'xen-tmem']) {
      const c = childRun(file, backend, ['--ram-mb', '489']);
      const ok = c.kib < 1024 * 1024 ? 'met' : 'NOT met';
      console.log(`      --backend ${backend.padEnd(8)} replay ${fmt(c.s, 0)} s = ${fmt(n / c.s / 1e6)} M requests/s  peak RSS ${fmt(c.kib / 1024, 0)} MiB (${ok}), live at the end ${fmt(c.live / 2 ** 20, 1)} MiB; page-cache hit ratio ${fmt(100 * c.run.ratios.pagecache_hit)} %; oracle ${c.run.oracle.stale + c.run.oracle.lost} violations`);
    }
    fs.rmSync(file, { force: true });
  }
}
