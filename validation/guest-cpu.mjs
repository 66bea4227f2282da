#!/usr/bin/env node
// The validation guest's CPU, measured from its own references: how long the guest's kernel
// took per operation, as a tmemsim profile the replay prices the guest's work with
// (validation/guest-tcg.json, read by `tmemsim validate`; docs/validation.md, "The guest's CPU").
//
//   node validation/guest-cpu.mjs            print the fit
//   node validation/guest-cpu.mjs --write    and write validation/guest-tcg.json
//   --references DIR --out FILE              another recording's references (record.mjs --out DIR)
//                                            and where --write puts its guest's profile
//   --scale                                  with --references DIR: the references' fit at the
//                                            speed DIR's guest ran (one factor, below), not a fit
//                                            of DIR's own; --write puts it in DIR.guest-tcg.json
//                                            unless --out says otherwise. A case of DIR whose
//                                            compressor the references lack (deflate, lz4hc)
//                                            is left out of the speed and gives that
//                                            compressor's store and load figures (codecOf)
//
// Every phase of every run of every case (validation/references/*.json: /proc/stat and
// /proc/vmstat at each mark) is one observation: the system CPU time the phase took (stat's
// `system`, 1/100 s) against what the kernel did in it: faults (pgfault), anonymous and
// page-cache pages reclaimed (pgsteal_anon, pgsteal_file), zswap stores by compressor
// (zswpout), zswap loads (zswpin), page-cache pages read from a disk (pgpgin / 4 less
// pswpin) and major faults that read from the swap disk (pgmajfault less zswpin: each waits
// for its read, and its readahead window's reads are submitted and completed with it). An
// ordinary least-squares fit without intercept gives the guest's time per operation. The guest runs under QEMU's TCG on a shared host: the figures are that machine's,
// not a real CPU's, and they are noisy (the same phase's system time differs by up to 2x
// between runs); the fit prints R² and the residual.
//
// The profile extends `ssd` and gives the guest's CPU in nanoseconds: hz 1e9, so a cycle is a
// nanosecond; mm.faultCycles, mm.reclaimCycles and mm.reclaimFileCycles are the fault and the
// two reclaim figures (a page-cache page's reclaim, a clean drop, costs a third of an
// anonymous page's: with one term for both, the file-read phases put both at the anonymous
// cost); the file-read figure is not in the profile (the replay charges a page read into the
// page cache as a fault that allocates it, mm.faultCycles, within a few µs of it); each
// fitted compressor's compress cost is its per-store figure (fixed, per page) and its
// decompress cost the per-load figure; a major fault's read from the swap disk is
// mm.swapinIoCycles, beyond its fault; the block layer's cycles per request are 0 (the reclaim
// figure includes the writes' submission, the disk fault figure the reads': a term per page
// for pswpout or pswpin came out negative, being collinear with reclaim and zswap's loads).
// Without the disk fault term the swap-in phases' system time was 3-5x the fit's (swapin-rand:
// 1.25-1.82 s against 0.29 s). A term for the pages memory compaction migrated
// (pgmigrate_success, kcompactd's work with its scanning; 2026-12-07) came out 105 ± 239 µs
// (standard error), R² 0.883 -> 0.884: not determined by these phases, so not in the profile
// (mm.migrateCycles absent: the replay prices a migrated page as a page copy and
// mm.reclaimCycles).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const REFS = path.join(here, 'references');
const OUT = path.join(here, 'guest-tcg.json');
const USER_HZ = 100;
const COMPRESSORS = ['lz4', 'lzo', 'zstd'];
const TERMS = ['fault', 'reclaim', 'reclaim_file', ...COMPRESSORS.map((c) => `store_${c}`), 'load', 'file_read', 'disk_fault'];
/**
 * One shrink_node call's own work (mm.shrinkNodeCycles), ns: not fitted (a term per kswapd run
 * or per scanned page comes out negative beside the others) but timed in a traced guest run,
 * `node validation/record.mjs --case rw-zsmalloc-lzo --runs 1 --sched-trace --trace-buffer-kb
 * 4096 --kprobes shrink_node,shrink_slab,shrink_lruvec --out DIR`, read by
 * `validation/sched-trace.mjs`: kswapd's second and third shrink_node calls of a run (before
 * its first store, priority 11 and 10, a few pages scanned each) took a median of 31 and 30 µs
 * of its CPU (33 runs; q1 29 and 28). Its first call of a run took 258 µs (q1 211) for reasons
 * not traced, and is not in this figure (docs/validation.md item 2).
 */
const SHRINK_NODE_NS = 30_000;
/**
 * One visit of zswap's shrink worker to an LRU entry (mm.zswapShrinkVisitCycles), ns: not fitted
 * (the references' 6.1 zswap has no LRU worker) but timed in a traced run of the 6.12.95 guest,
 * `node validation/record.mjs --package linux-image-6.12.95+deb12-amd64-unsigned --version
 * 6.12.95-1~bpo12+1 --lru-gen 0 --case rw-zsmalloc-lz4 --runs 1 --sched-trace --trace-buffer-kb
 * 16384 --events kprobes/qwork,workqueue/workqueue_queue_work,workqueue/workqueue_execute_start,workqueue/workqueue_execute_end,sched/sched_wakeup,sched/sched_switch
 * --kprobe 'r:zsstore zswap_store ret=$retval:u8' --out DIR`: in the write phase 1,266 of the
 * 1,270 shrink_worker runs (workqueue_execute_start to _end, none switched out) took a median of
 * 14 µs (q1 13, q3 16); each cleared 16 marks (no writeback), so a visit, with its share of the
 * run's setup, is 14/16 µs (docs/zswap.md).
 */
const ZSWAP_SHRINK_VISIT_NS = 875;
/**
 * A page reclaim looks at (mm.scanCycles, per pgscan), ns: not fitted (a term per scanned page
 * comes out negative beside the others: it is collinear with reclaim) but timed in a traced run,
 * `node validation/record.mjs --case swapin-seq --runs 1 --sched-trace --trace-buffer-kb 16384
 * --events vmscan/mm_vmscan_lru_shrink_inactive,sched/sched_switch,vmscan/mm_vmscan_kswapd_wake,vmscan/mm_vmscan_kswapd_sleep
 * --kprobes shrink_folio_list --out DIR` (2026-12-07): each shrink_folio_list call (entry to
 * return, not switched out) with the counts of the shrink_inactive event that follows it. Of
 * the 6,207 calls, 2,443 kept or activated every page they looked at (young pages on their first
 * trip, nr_ref_keep); their time grows by 1.27 µs a page (Theil-Sen over the per-size medians,
 * 10 sizes: 4 pages 12 µs, 32 pages 45 µs, q1-q3 44-46 at 32), folio_check_references' reverse-map
 * walk and the trylock of each. The isolation and putback around it (isolate_lru_folios,
 * move_folios_to_lru, inlined in shrink_inactive_list) are not in it. The fit prices a phase's
 * pgscan_anon + pgscan_file at this figure and fits the other terms to the rest of its time.
 * How sure: a second traced run the same day (rw-zsmalloc-lz4, --kprobes
 * shrink_active_list,shrink_folio_list) gave 0.97 µs a page (22 sizes; 32 pages 34 µs), and the
 * two runs' guests ran at 1.046 and 1.044 x the references' time (--scale on their marks), so
 * the figure is 0.93-1.21 µs on the references' clock; 1.27 is the first run's, unscaled.
 * shrink_active_list did not run in that trace (the references' pgrefill is 0-44 a phase), so
 * its scan, which tmemsim does not price, does not matter here.
 */
const SCAN_NS = 1_270;
/**
 * Pages in one request to the guest's swap disk (storage.maxRequestPages): not a CPU cost, the
 * virtio-blk queue's max_segments (a page is a segment). QEMU's virtio-blk queue has 256
 * descriptors by default and offers seg_max 254. Measured: a traced run of rw-zsmalloc-zstd
 * (2026-12-07, `--sched-trace --trace-buffer-kb 16384 --events ...,block/block_rq_issue,
 * block/block_rq_complete`) issued 6,267 write requests to the swap disk, the largest 254 pages
 * (26 of them; 45 of 128-253), none larger: adjacent swap writes under reclaim's plug merge up
 * to 254 pages, where the ssd profile's NVMe queue (127 segments) stops at 128.
 */
const MAX_REQUEST_PAGES = 254;
/**
 * The guest's swap disk's I/O scheduler (storage.ioScheduler): not a CPU cost, what the block
 * layer does with a bio submitted without a plug. A virtio-blk disk of a one-CPU guest has one
 * hardware queue, for which both kernels pick mq-deadline: /sys/block/vda/queue/scheduler read
 * "[mq-deadline] none" under 6.1.170 and "none [mq-deadline]" under 6.12.95 (init.sh's
 * `@@sys swap_scheduler`, one swapin-rand run each, 2026-12-08). So zswap's writeback, which
 * submits its page unplugged, has blk_mq_submit_bio run the queue from kblockd's nice -20
 * kworker/0:1H, which preempts the shrink kworker: traced in 6.1 limit50-zbud runs
 * (docs/validation.md, "What is out of tolerance", the shrink worker's window).
 */
const IO_SCHEDULER = 'mq-deadline';

/** One observation per phase of each run: [terms], system seconds, and where it came from. */
export function observations(dir = REFS) {
  const obs = [];
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    const ref = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
    const comp = ref.config?.zswap?.enabled ? ref.config.zswap.compressor : null;
    for (const run of ref.runs) {
      for (let i = 1; i < run.marks.length; i++) {
        const a = run.marks[i - 1];
        const b = run.marks[i];
        if (!a.stat || !b.stat) continue;
        const d = (k) => (b.vmstat[k] ?? 0) - (a.vmstat[k] ?? 0);
        const fileRead = Math.max(0, d('pgpgin') / 4 - d('pswpin'));
        const diskFault = Math.max(0, d('pgmajfault') - d('zswpin'));
        const x = [d('pgfault'), d('pgsteal_anon'), d('pgsteal_file'), ...COMPRESSORS.map((c) => (c === comp ? d('zswpout') : 0)), d('zswpin'), fileRead, diskFault];
        // The measured scan cost (SCAN_NS, not fitted), part of every prediction of this phase.
        const fixed = (SCAN_NS * (d('pgscan_anon') + d('pgscan_file'))) / 1e9;
        obs.push({ where: `${ref.case}/${b.name}`, x, y: (b.stat.system - a.stat.system) / USER_HZ, fixed, comp, zswpout: d('zswpout'), zswpin: d('zswpin') });
      }
    }
  }
  return obs;
}

/**
 * Least squares without intercept: the normal equations, solved by Gaussian elimination. An
 * observation's `fixed` part of its time (a measured cost, not fitted) is taken off before the fit
 * and is in every prediction.
 */
export function leastSquares(obs) {
  const k = obs[0].x.length;
  const A = Array.from({ length: k }, () => new Array(k + 1).fill(0));
  for (const { x, y, fixed = 0 } of obs) {
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) A[i][j] += x[i] * x[j];
      A[i][k] += x[i] * (y - fixed);
    }
  }
  for (let c = 0; c < k; c++) {
    let p = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(A[r][c]) > Math.abs(A[p][c])) p = r;
    [A[c], A[p]] = [A[p], A[c]];
    if (A[c][c] === 0) throw new Error(`term ${TERMS[c]} has no data`);
    for (let r = 0; r < k; r++) {
      if (r === c) continue;
      const f = A[r][c] / A[c][c];
      for (let j = c; j <= k; j++) A[r][j] -= f * A[c][j];
    }
  }
  const coef = A.map((row, i) => row[k] / row[i]);
  return { coef, ...goodness(obs, (o) => predict(coef, o)) };
}

/** A phase's system time, s, as per-operation times `coef` give it (with its fixed, measured part). */
function predict(coef, o) {
  return o.x.reduce((a, v, i) => a + v * coef[i], o.fixed ?? 0);
}

/** How well `pred` gives the phases' system time: R² and the residual, s rms. */
function goodness(obs, pred) {
  const mean = obs.reduce((a, o) => a + o.y, 0) / obs.length;
  let ssRes = 0;
  let ssTot = 0;
  for (const o of obs) {
    ssRes += (o.y - pred(o)) ** 2;
    ssTot += (o.y - mean) ** 2;
  }
  return { r2: 1 - ssRes / ssTot, rmsS: Math.sqrt(ssRes / obs.length) };
}

/** Whether the references' fit prices every zswap operation of phase `o` (no compressor, or one it fits). */
export function fitted(o) {
  return o.comp === null || COMPRESSORS.includes(o.comp);
}

/**
 * A compressor the references lack (a case of its own in another recording), from that
 * recording's phases with it: the recording's speed `s` comes from its other phases (speedOf), the
 * references' figures price everything but that compressor's zswap work, and what is left of
 * each phase's system time (at the references' speed, y / s) is fitted to its stores and loads
 * (least squares through the origin, two terms): ns a store and ns a load, the load replacing the
 * references' one figure for every compressor (a deflate page takes longer to decompress than an
 * lz4 one). Returns { store, load, phases, r2 } in ns of the references' clock.
 */
export function codecOf(fit, obs, comp, s) {
  const loadAt = TERMS.indexOf('load');
  const rows = obs
    .filter((o) => o.comp === comp)
    .map((o) => ({ x: [o.zswpout, o.zswpin], y: o.y / s - (predict(fit.coef, o) - fit.coef[loadAt] * o.zswpin) }));
  if (rows.length === 0) throw new Error(`no phase of ${comp}`);
  let r;
  try {
    r = leastSquares(rows);
  } catch {
    throw new Error(`the phases of ${comp} cannot tell its stores' time from its loads'`);
  }
  return { store: r.coef[0] * 1e9, load: r.coef[1] * 1e9, phases: rows.length, r2: r.r2 };
}

/**
 * Another recording's speed against the references' fit: the one factor s that brings the fit's
 * prediction of each of its phases nearest its system time (least squares through the origin:
 * s = Σ y·p / Σ p²), with the R² of s × the fit on its phases. Used by --scale: the guest is the
 * same kernel on the same QEMU, so its relative costs are taken as the references' and only the
 * host's speed as the recording's own.
 */
export function speedOf(fit, obs) {
  let num = 0;
  let den = 0;
  for (const o of obs) {
    const p = predict(fit.coef, o);
    num += o.y * p;
    den += p * p;
  }
  const s = num / den;
  return { scale: s, r2: goodness(obs, (o) => s * predict(fit.coef, o)).r2 };
}

function profileOf(ns, fit, n, extra = {}) {
  const src = (what) => `[M] the validation guest (QEMU TCG, 1 vCPU, Linux 6.1): ${what}, fitted by validation/guest-cpu.mjs from the system time of ${n} recorded phases (least squares, R² ${fit.r2.toFixed(2)})`;
  const round = (v) => Math.round(v);
  const codecs = {};
  for (const c of COMPRESSORS) {
    codecs[c] = {
      compress: { fixedCycles: round(ns[`store_${c}`]), cyclesPerByte: 0 },
      decompress: { fixedCycles: round(ns.load), cyclesPerByte: 0 },
      source: src(`a zswap store with ${c} (${round(ns[`store_${c}`])} ns) and a zswap load of any compressor (${round(ns.load)} ns, with its fault's swap-in path)`),
    };
  }
  for (const [c, f] of Object.entries(extra)) {
    codecs[c] = {
      compress: { fixedCycles: round(f.store), cyclesPerByte: 0 },
      decompress: { fixedCycles: round(f.load), cyclesPerByte: 0 },
      source: `[M] the validation guest (QEMU TCG, 1 vCPU, Linux 6.1): a zswap store with ${c} (${round(f.store)} ns) and a zswap load (${round(f.load)} ns, with its fault's swap-in path), in ns of the references' clock, fitted by validation/guest-cpu.mjs from the system time of ${f.phases} phases of this recording's ${c} case (least squares, R² ${f.r2.toFixed(2)}) with every other operation priced by the references' figures at this recording's speed`,
    };
  }
  const zero = (what) => ({ value: 0, source: `[M] included in ${what} (validation/guest-cpu.mjs)` });
  return {
    format: 'tmemsim-profile',
    version: 1,
    name: 'guest-tcg',
    extends: 'ssd',
    description: "the validation guest's CPU: Linux 6.1 under QEMU TCG on a 2-core host, per operation, measured from its references; a cycle is a nanosecond (written by `node validation/guest-cpu.mjs --write`: do not edit by hand)",
    cpu: { cluster: 'QEMU TCG vCPU', hz: { value: 1e9, source: '[M] a unit: the figures below are nanoseconds of the guest\'s clock' } },
    mm: {
      faultCycles: { value: round(ns.fault), source: src('a page fault') },
      reclaimCycles: { value: round(ns.reclaim), source: src('an anonymous page reclaimed (pgsteal_anon), with its write\'s submission') },
      reclaimFileCycles: { value: round(ns.reclaim_file), source: src('a page-cache page reclaimed (pgsteal_file)') },
      scanCycles: {
        value: SCAN_NS,
        source: `[M] the validation guest (QEMU TCG, 1 vCPU, Linux 6.1): a page reclaim looked at and kept, ${SCAN_NS / 1000} µs (shrink_folio_list's time per page in its 2,443 calls that kept every page, Theil-Sen over the per-size medians; kprobes in a traced run of swapin-seq; validation/guest-cpu.mjs), its isolation and putback not included; the fit's other terms take the rest`,
      },
      swapinIoCycles: { value: round(ns.disk_fault), source: src("a major fault that reads from the swap disk (pgmajfault less zswpin), beyond the fault: its read's and its readahead window's block I/O and the wait") },
      shrinkNodeCycles: {
        value: SHRINK_NODE_NS,
        source: "[M] the validation guest (QEMU TCG, 1 vCPU, Linux 6.1): kswapd's 2nd and 3rd shrink_node calls of a run before its first store, medians 31 and 30 µs (kprobes on shrink_node in a traced run of rw-zsmalloc-lzo, 33 runs; validation/guest-cpu.mjs, docs/validation.md item 2)",
      },
      zswapShrinkVisitCycles: {
        value: ZSWAP_SHRINK_VISIT_NS,
        source: '[M] the validation guest (QEMU TCG, 1 vCPU) under Linux 6.12.95: a shrink_worker run that cleared 16 marks took a median of 14 µs (q1 13, q3 16; 1,266 runs of the write phase of a traced rw-zsmalloc-lz4, workqueue_execute_start to _end), 14/16 µs a visit (validation/guest-cpu.mjs, docs/zswap.md)',
      },
    },
    codecs,
    storage: {
      ioScheduler: {
        value: IO_SCHEDULER,
        source: `[M] the validation guests' swap disk (QEMU virtio-blk, one hardware queue): /sys/block/vda/queue/scheduler is ${IO_SCHEDULER} under Linux 6.1 and 6.12 (validation/guest-cpu.mjs, docs/validation.md)`,
      },
      maxRequestPages: {
        value: MAX_REQUEST_PAGES,
        source: `[M] the validation guest's swap disk (QEMU virtio-blk, a queue of 256 descriptors: seg_max ${MAX_REQUEST_PAGES}): the largest of 6,267 swap write requests in a traced run of rw-zsmalloc-zstd was ${MAX_REQUEST_PAGES} pages (block_rq_issue; validation/guest-cpu.mjs, docs/validation.md)`,
      },
    },
    blockIo: { submitCycles: zero('mm.reclaimCycles'), driverCycles: zero('mm.reclaimCycles'), irqCycles: zero('the load and reclaim figures'), completeCycles: zero('the load and reclaim figures') },
  };
}

/** The value of option `name` (`--name VALUE`), or `dflt`. */
function option(name, dflt) {
  const i = process.argv.indexOf(name);
  if (i < 0) return dflt;
  const v = process.argv[i + 1];
  if (v === undefined || v.startsWith('--')) {
    console.error(`guest-cpu.mjs: ${name} needs a value`);
    process.exit(2);
  }
  return path.resolve(v);
}

function main() {
  const dir = option('--references', REFS);
  const scaled = process.argv.includes('--scale');
  // A recording's profile goes beside it (recordings.mjs reads it there), never over the references'.
  const out = option('--out', scaled ? `${path.resolve(dir)}.guest-tcg.json` : OUT);
  const obs = observations(dir);
  if (scaled && dir === REFS) {
    console.error('guest-cpu.mjs: --scale needs --references DIR, another recording (accepted: a directory written by record.mjs --out)');
    process.exit(2);
  }
  const refObs = scaled ? observations(REFS) : obs;
  const fit = leastSquares(refObs);
  const ns = Object.fromEntries(TERMS.map((t, i) => [t, fit.coef[i] * 1e9]));
  console.log(`${refObs.length} phases${scaled ? ' of the references' : ''}; R² ${fit.r2.toFixed(3)}, residual ${fit.rmsS.toFixed(2)} s rms`);
  for (const t of TERMS) console.log(`  ${t.padEnd(12)} ${(ns[t] / 1000).toFixed(1).padStart(7)} µs`);
  let profile = profileOf(ns, fit, refObs.length);
  if (scaled) {
    // The speed from the phases the references' fit prices whole; a compressor they lack is then
    // fitted from its own case's phases (codecOf).
    const known = obs.filter(fitted);
    const sp = speedOf(fit, known);
    const name = path.basename(dir);
    console.log(`${known.length} phases of ${name}: ${sp.scale.toFixed(4)} x the references' time (R² ${sp.r2.toFixed(3)})`);
    const extra = {};
    for (const c of [...new Set(obs.filter((o) => !fitted(o)).map((o) => o.comp))].sort()) {
      extra[c] = codecOf(fit, obs, c, sp.scale);
      console.log(`  ${c}: a store ${(extra[c].store / 1000).toFixed(1)} µs, a load ${(extra[c].load / 1000).toFixed(1)} µs of the references' clock (${extra[c].phases} phases, R² ${extra[c].r2.toFixed(3)})`);
    }
    profile = profileOf(ns, fit, refObs.length, extra);
    // The same cycles an operation, on a clock 1/s as fast as the references' (every cost in cycles scales).
    profile = {
      ...profile,
      description: `the validation guest's CPU in recording ${name}: the references' per-operation figures (validation/guest-tcg.json) at this recording's speed, ${sp.scale.toFixed(4)} x their time (written by \`node validation/guest-cpu.mjs --references ${path.relative(path.join(here, '..'), dir)} --scale --write\`: do not edit by hand)`,
      cpu: {
        ...profile.cpu,
        hz: { value: Math.round(1e9 / sp.scale), source: `[M] a cycle is ${sp.scale.toFixed(4)} ns of the guest's clock: one factor on the references' fit, least squares over the system time of ${obs.length} phases of ${name} (R² ${sp.r2.toFixed(2)})` },
      },
    };
  }
  if (process.argv.includes('--write')) {
    fs.writeFileSync(out, `${JSON.stringify(profile, null, 2)}\n`);
    console.log(`wrote ${path.relative(process.cwd(), out)}`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) main();
