#!/usr/bin/env node
// Records the kernel references of validation/cases.json: boots Debian 12's
// stock 6.1 kernel under QEMU (TCG) once per case and run, runs
// validation/workload.c in a busybox initramfs, and writes
// validation/references/<case>.json. See docs/validation.md.
//
//   node validation/record.mjs [--case NAME]... [--runs N] [--package P --version V] [--out DIR]
//                              [--swappable-harness] [--sched-trace [--trace-buffer-kb N] [--trace-keep first|last]]
//                              [--graph FUNCS [--graph-depth N]] [--kprobes FUNCS] [--kprobe DEF]... [--only-kprobes]
//                              [--events EVENTS [--event-filter F]] [--icount SHIFT] [--lru-gen 0|y]
//
// --package P --version V boots another Debian kernel package (apt-get download P=V, or the .deb
// already in validation/.cache): the modules the harness loads are taken as the package has
// them (NAME.ko, or NAME.ko.xz unpacked; skipped when modules.builtin has them; a module the
// kernel lacks is skipped with a line, and a case that needs it fails at its setting). E.g.
// bookworm-backports' linux-image-6.12.95+deb12-amd64-unsigned 6.12.95-1~bpo12+1, whose
// virtio, zbud and zsmalloc are built in, which has no z3fold, and whose multi-gen LRU is on
// unless --lru-gen 0 turns it off (Debian's 6.1 has it off: the references' lru_gen is 0).
//
// The harness keeps its own pages out of swap: the rootfs is ramfs
// (rootfstype=ramfs: busybox, the workload binary and the modules are
// unevictable) and the workload runs `lock` first (mlockall; its anon region is
// munlocked), so the only pages that can be swapped are the region's, which the
// replay models. --swappable-harness records as the references before
// 2026-12-03 were: a tmpfs rootfs and an unlocked workload, whose own pages
// were swapped out and faulted back at each mark (docs/validation.md).
//
// --icount SHIFT is a diagnostic too: QEMU runs the guest with
// `-icount shift=SHIFT,sleep=off`, so the guest's clock advances 2^SHIFT ns per
// instruction (shift 0: a 1-GIPS CPU) instead of following the host's real time
// under TCG; the reference records it (guest.icount). --out is required and may
// not be validation/references.
//
// --sched-trace is a diagnostic, not a reference: the guest enables ftrace (the
// zswap store's return, queue_work_on, the shrink work's queueing and execution,
// wake-ups and switches, kswapd and direct reclaim; a ring buffer of
// --trace-buffer-kb, 16384 by default, at most an eighth of the guest's memory, which it is taken from; when it is
// full, --trace-keep first stops tracing, last overwrites the oldest events) before the
// workload and writes the trace to a third virtio disk after it. Each run's
// console.log and trace.txt go to DIR/<case>-<run>/ beside DIR/<case>.json (--out
// is required and may not be validation/references). Read a trace with
// validation/sched-trace.mjs. Without --sched-trace the guest is unchanged.
// --graph FUNCS (with --sched-trace) also runs ftrace's function-graph tracer under those
// kernel functions (comma-separated, e.g. balance_pgdat) to --graph-depth levels (4): each
// call's duration, the traced events appearing as comments among them. The trace then grows
// fast: give it a small buffer and read its first part. --kprobes FUNCS (with --sched-trace)
// adds an entry and a return event for each function (in_FUNC, out_FUNC), a cheaper way to
// time a few calls than the function-graph tracer, which slows every kernel function.
// --events EVENTS (with --sched-trace) enables only these tracepoints (SUBSYSTEM/EVENT,
// comma-separated, e.g. kmem/mm_page_alloc_extfrag: each migratetype fallback) instead of
// the scheduling set, so a long run's events of one kind fit the buffer; --event-filter F
// sets one ftrace filter on each of them (e.g. "pfn < 4096": the DMA zone's pages).
// --kprobe DEF (with --sched-trace, repeatable) adds one probe written as a line of ftrace's
// kprobe_events, so it can carry arguments: `p:NAME FUNC ARG=FETCH...` at entry or
// `r:NAME FUNC ARG=FETCH...` at return, e.g. `p:zstore zswap_frontswap_store type=%di:u32
// offset=%si:u64` or `r:zmal zs_malloc h=$retval:x64 obj=+0($retval):x64` (x86-64: the
// arguments are %di, %si, %dx, %cx, %r8, %r9; see the kernel's kprobetrace.rst). Each
// event is a line `NAME: (FUNC+0x0/...) ARG=VALUE ...` in trace.txt, and the workload's
// marks (`tracing_mark_write: tmemsim-mark NAME`) place it in a phase. --only-kprobes
// (with --sched-trace) enables only the --kprobes and --kprobe events and the marks, not
// the scheduler, workqueue and reclaim events, so a long run fits a small buffer.
//
// Needs (Debian): apt-get, dpkg-deb, gcc (static libc: libc6-dev), busybox-static,
// qemu-system-x86. Root is not needed for recording itself (apt-get download is
// fine as any user with a readable apt cache).
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const cache = path.join(here, '.cache');
const spec = JSON.parse(fs.readFileSync(path.join(here, 'cases.json'), 'utf8'));

const args = process.argv.slice(2);
const opt = { icount: null, schedTrace: false, graph: null, graphDepth: 4, kprobes: null, events: null, eventFilter: null, kprobeDefs: [], onlyKprobes: false, traceBufferKb: 16384, traceKeep: 'first', swappableHarness: false, lruGen: null, cases: [], runs: 3, pkg: spec.kernel.package, version: spec.kernel.version, out: path.join(here, 'references'), timeout: 1800 };
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  const val = () => {
    if (i + 1 >= args.length) die(`${a} needs a value`);
    return args[++i];
  };
  if (a === '--case') opt.cases.push(val());
  else if (a === '--runs') opt.runs = Number(val());
  else if (a === '--package') opt.pkg = val();
  else if (a === '--version') opt.version = val();
  else if (a === '--out') opt.out = path.resolve(val());
  else if (a === '--timeout') opt.timeout = Number(val());
  else if (a === '--swappable-harness') opt.swappableHarness = true;
  else if (a === '--lru-gen') opt.lruGen = val();
  else if (a === '--sched-trace') opt.schedTrace = true;
  else if (a === '--icount') opt.icount = Number(val());
  else if (a === '--trace-buffer-kb') opt.traceBufferKb = Number(val());
  else if (a === '--trace-keep') opt.traceKeep = val();
  else if (a === '--graph') opt.graph = val();
  else if (a === '--graph-depth') opt.graphDepth = Number(val());
  else if (a === '--kprobes') opt.kprobes = val();
  else if (a === '--events') opt.events = val();
  else if (a === '--event-filter') opt.eventFilter = val();
  else if (a === '--kprobe') opt.kprobeDefs.push(val());
  else if (a === '--only-kprobes') opt.onlyKprobes = true;
  else die(`unknown option ${a} (accepted: --case NAME, --runs N, --package P, --version V, --out DIR, --timeout S, --swappable-harness, --lru-gen 0|y, --sched-trace, --trace-buffer-kb N, --trace-keep first|last, --graph FUNCS, --graph-depth N, --kprobes FUNCS, --kprobe DEF, --only-kprobes, --events EVENTS, --event-filter F, --icount SHIFT)`);
}
if (opt.schedTrace) {
  if (!args.includes('--out')) die('--sched-trace needs --out DIR (a traced run is a diagnostic, not a reference)');
  if (path.resolve(opt.out) === path.join(here, 'references')) die('--sched-trace may not write to validation/references');
  if (!Number.isInteger(opt.traceBufferKb) || opt.traceBufferKb < 64) die('--trace-buffer-kb must be an integer >= 64');
  if (!['first', 'last'].includes(opt.traceKeep)) die('--trace-keep must be first or last');
  if (opt.graph !== null && !/^[a-z_0-9]+(,[a-z_0-9]+)*$/.test(opt.graph)) die('--graph takes kernel function names separated by commas');
  if (!Number.isInteger(opt.graphDepth) || opt.graphDepth < 1 || opt.graphDepth > 20) die('--graph-depth must be an integer from 1 to 20');
  if (opt.kprobes !== null && !/^[a-z_0-9]+(,[a-z_0-9]+)*$/.test(opt.kprobes)) die('--kprobes takes kernel function names separated by commas');
  if (opt.events !== null && !/^[a-z_0-9]+\/[a-z_0-9]+(,[a-z_0-9]+\/[a-z_0-9]+)*$/.test(opt.events)) die('--events takes tracepoints SUBSYSTEM/EVENT separated by commas, e.g. kmem/mm_page_alloc_extfrag');
  if (opt.eventFilter !== null && (opt.events === null || !/^[a-z_0-9 <>=!&|()x]+$/.test(opt.eventFilter))) die('--event-filter takes an ftrace filter of fields, numbers and comparisons (e.g. "pfn < 4096"), with --events');
  // One kprobe_events line: no quote (case.env single-quotes it), no ';' (it separates them).
  for (const d of opt.kprobeDefs) if (!/^[pr]:[A-Za-z_][A-Za-z_0-9]* [a-z_0-9.]+(\+[0-9x]+)?( [A-Za-z_][A-Za-z_0-9]*=[^\s'";\\]+)*$/.test(d)) die(`--kprobe '${d}': expected 'p:NAME FUNC ARG=FETCH...' or 'r:NAME FUNC ARG=FETCH...'`);
  const names = opt.kprobeDefs.map((d) => d.slice(2, d.indexOf(' ')));
  if (new Set(names).size !== names.length) die('--kprobe: two probes with the same NAME');
  if (opt.onlyKprobes && opt.kprobes === null && opt.kprobeDefs.length === 0) die('--only-kprobes needs --kprobes or --kprobe');
  if (opt.onlyKprobes && opt.events !== null) die('--only-kprobes and --events each choose what is traced: give one of them');
} else if (['--trace-buffer-kb', '--trace-keep', '--graph', '--graph-depth', '--kprobes', '--kprobe', '--only-kprobes', '--events', '--event-filter'].some((a) => args.includes(a))) die('--trace-buffer-kb, --trace-keep, --graph, --graph-depth, --kprobes, --kprobe, --only-kprobes, --events and --event-filter need --sched-trace');
if (!Number.isInteger(opt.runs) || opt.runs < 1) die('--runs must be a positive integer');
if (opt.lruGen !== null && !['0', 'y'].includes(opt.lruGen)) die('--lru-gen must be 0 (the two-list LRU) or y (the multi-gen LRU)');
if (opt.icount !== null) {
  if (!Number.isInteger(opt.icount) || opt.icount < 0 || opt.icount > 10) die('--icount must be an integer from 0 to 10 (ns per guest instruction: 2^SHIFT)');
  if (!args.includes('--out') || path.resolve(opt.out) === path.join(here, 'references')) die('--icount needs --out DIR other than validation/references (an icount run is a diagnostic, not a reference)');
}
const known = spec.cases.map((c) => c.name);
for (const c of opt.cases) if (!known.includes(c)) die(`unknown case '${c}' (accepted: ${known.join(', ')})`);
const cases = spec.cases.filter((c) => opt.cases.length === 0 || opt.cases.includes(c.name));
// The ring buffer comes out of the guest's memory: an eighth of it at most (a 128 MiB buffer hung
// a 256 MiB guest before its workload started).
if (opt.schedTrace && opt.traceBufferKb > (spec.guest.memory_mib * 1024) / 8) die(`--trace-buffer-kb ${opt.traceBufferKb}: at most ${(spec.guest.memory_mib * 1024) / 8} (an eighth of the guest's ${spec.guest.memory_mib} MiB, which the buffer is taken from)`);

function die(msg) {
  process.stderr.write(`validate:record: ${msg}\n`);
  process.exit(2);
}
function need(cmd, pkg) {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
  } catch {
    die(`${cmd} not found: install the Debian package ${pkg}`);
  }
}
function log(msg) {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
}

need('qemu-system-x86_64', 'qemu-system-x86');
need('gcc', 'gcc libc6-dev');
need('dpkg-deb', 'dpkg');
need('apt-get', 'apt');
if (!fs.existsSync('/bin/busybox')) die('/bin/busybox not found: install the Debian package busybox-static');
if (!/statically linked/.test(execFileSync('file', ['-L', '/bin/busybox'], { encoding: 'utf8' }))) die('/bin/busybox is not static: install busybox-static');

fs.mkdirSync(cache, { recursive: true });

// ---- the kernel package: apt-get download + dpkg-deb -x (never installed) ----
const debName = `${opt.pkg}_${opt.version.replace(/:/g, '%3a')}_amd64.deb`;
const deb = path.join(cache, debName);
if (!fs.existsSync(deb)) {
  log(`apt-get download ${opt.pkg}=${opt.version}`);
  execFileSync('apt-get', ['download', `${opt.pkg}=${opt.version}`], { cwd: cache, stdio: ['ignore', 'ignore', 'inherit'] });
}
const kdir = path.join(cache, `${opt.pkg}_${opt.version}`);
if (!fs.existsSync(path.join(kdir, 'done'))) {
  log(`dpkg-deb -x ${debName}`);
  fs.rmSync(kdir, { recursive: true, force: true });
  execFileSync('dpkg-deb', ['-x', deb, kdir]);
  fs.writeFileSync(path.join(kdir, 'done'), '');
}
const vmlinuz = fs.readdirSync(path.join(kdir, 'boot')).find((f) => f.startsWith('vmlinuz-'));
if (!vmlinuz) die(`no vmlinuz in ${opt.pkg}`);
const krel = vmlinuz.slice('vmlinuz-'.length);
const modroot = path.join(kdir, 'lib/modules', krel, 'kernel');

// Modules the guest loads, in dependency order (modinfo's depends= of each).
const MODULES = [
  'drivers/virtio/virtio', 'drivers/virtio/virtio_ring', 'drivers/virtio/virtio_pci_modern_dev',
  'drivers/virtio/virtio_pci_legacy_dev', 'drivers/virtio/virtio_pci', 'drivers/block/virtio_blk',
  'mm/zsmalloc', 'mm/z3fold', 'lib/lz4/lz4_compress', 'crypto/lz4', 'lib/zstd/zstd_compress', 'crypto/zstd',
  // Since 2026-12-06 (the deflate and lz4hc cases); the references recorded before had only the above.
  'lib/zlib_deflate/zlib_deflate', 'lib/zlib_inflate/zlib_inflate', 'crypto/deflate', 'lib/lz4/lz4hc_compress', 'crypto/lz4hc',
];

// ---- the workload and the initramfs ------------------------------------------
const workload = path.join(cache, 'workload');
log('gcc -static workload.c');
execFileSync('gcc', ['-O2', '-static', '-Wall', '-o', workload, path.join(here, 'workload.c')], { stdio: 'inherit' });

/** A cpio "newc" archive of [name, mode, data] entries (directories have no data). */
function cpio(entries) {
  const parts = [];
  let ino = 1;
  const pad = (n) => Buffer.alloc((4 - (n % 4)) % 4);
  const push = (name, mode, data) => {
    const nb = Buffer.from(name + '\0');
    const f = [ino++, mode, 0, 0, 1, 0, data.length, 0, 0, 0, 0, nb.length, 0];
    const h = Buffer.from('070701' + f.map((x) => x.toString(16).padStart(8, '0')).join(''));
    parts.push(h, nb, pad(h.length + nb.length), data, pad(data.length));
  };
  for (const [name, mode, data] of entries) push(name, mode, data ?? Buffer.alloc(0));
  push('TRAILER!!!', 0, Buffer.alloc(0));
  return Buffer.concat(parts);
}

const base = [];
for (const d of ['bin', 'sbin', 'proc', 'sys', 'dev', 'tmp', 'modules']) base.push([d, 0o40755]);
base.push(['bin/busybox', 0o100755, fs.readFileSync('/bin/busybox')]);
const applets = execFileSync('/bin/busybox', ['--list'], { encoding: 'utf8' }).split('\n').filter(Boolean);
for (const a of applets) if (a !== 'busybox') base.push([`bin/${a}`, 0o120777, Buffer.from('busybox')]);
base.push(['init', 0o100755, fs.readFileSync(path.join(here, 'init.sh'))]);
base.push(['workload', 0o100755, fs.readFileSync(workload)]);
// A module's file: NAME.ko, or NAME.ko.xz unpacked (later Debian kernels compress them); none
// when the kernel has it built in (modules.builtin) or does not have it at all (6.12 has no
// z3fold: a case that asks for it fails at its zpool, "@@error zpool").
const builtin = new Set(fs.readFileSync(path.join(kdir, 'lib/modules', krel, 'modules.builtin'), 'utf8').split('\n').map((l) => l.replace(/^kernel\//, '').replace(/\.ko$/, '')));
const loaded = [];
for (const m of MODULES) {
  const ko = path.join(modroot, `${m}.ko`);
  let bytes = null;
  if (fs.existsSync(ko)) bytes = fs.readFileSync(ko);
  else if (fs.existsSync(`${ko}.xz`)) bytes = execFileSync('xz', ['-dc', `${ko}.xz`], { maxBuffer: 1 << 28 });
  else if (!builtin.has(m)) log(`${krel} has no ${m}, built in or as a module: not loaded`);
  if (bytes === null) continue;
  base.push([`modules/${path.basename(m)}.ko`, 0o100644, bytes]);
  loaded.push(path.basename(m));
}
base.push(['modules.order', 0o100644, Buffer.from(loaded.join('\n') + '\n')]);
const baseImg = zlib.gzipSync(cpio(base), { level: 1 });

const qemuVersion = execFileSync('qemu-system-x86_64', ['--version'], { encoding: 'utf8' }).split('\n')[0].trim();
const g = spec.guest;

/** The workload's ops: the lock (unless --swappable-harness), the start mark, the case's ops. */
function opsOf(c) {
  return [...(opt.swappableHarness ? [] : ['lock']), 'mark:start', ...c.ops];
}

function caseEnv(c) {
  const z = c.zswap;
  const env = {
    SEED: String(g.seed),
    OPS: opsOf(c).join(' '),
    ZSWAP_ENABLED: z.enabled ? 'Y' : 'N',
    ZSWAP_ZPOOL: z.zpool ?? '',
    ZSWAP_COMPRESSOR: z.compressor ?? '',
    ZSWAP_MAX_POOL_PERCENT: String(z.max_pool_percent ?? 20),
    ZSWAP_ACCEPT_THRESHOLD_PERCENT: String(z.accept_threshold_percent ?? 90),
    ...(opt.schedTrace ? { SCHED_TRACE: '1', TRACE_BUFFER_KB: String(opt.traceBufferKb), TRACE_KEEP: opt.traceKeep } : {}),
    ...(opt.graph !== null ? { GRAPH_FUNCS: opt.graph.split(',').join(' '), GRAPH_DEPTH: String(opt.graphDepth) } : {}),
    ...(opt.kprobes !== null ? { KPROBES: opt.kprobes.split(',').join(' ') } : {}),
    ...(opt.events !== null ? { EVENTS: opt.events.split(',').join(' ') } : {}),
    ...(opt.eventFilter !== null ? { EVENT_FILTER: opt.eventFilter } : {}),
    ...(opt.kprobeDefs.length > 0 ? { KPROBE_DEFS: opt.kprobeDefs.join(';') } : {}),
    ...(opt.onlyKprobes ? { ONLY_KPROBES: '1' } : {}),
    ...(opt.lruGen !== null ? { LRU_GEN: opt.lruGen } : {}),
  };
  return Object.entries(env).map(([k, v]) => `${k}='${v}'`).join('\n') + '\n';
}

const CMDLINE = 'console=ttyS0 quiet loglevel=1 transparent_hugepage=never panic=-1' + (opt.swappableHarness ? '' : ' rootfstype=ramfs');

function runGuest(c, run) {
  const dir = path.join(cache, 'runs', `${c.name}-${run}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const img = path.join(dir, 'initrd.img');
  fs.writeFileSync(img, Buffer.concat([baseImg, zlib.gzipSync(cpio([['case.env', 0o100644, Buffer.from(caseEnv(c))]]))]));
  const swap = path.join(dir, 'swap.img');
  const data = path.join(dir, 'data.img');
  fs.writeFileSync(swap, '');
  fs.truncateSync(swap, g.swap_mib * 1024 * 1024);
  fs.writeFileSync(data, '');
  fs.truncateSync(data, g.data_mib * 1024 * 1024);
  const trace = path.join(dir, 'trace.img');
  if (opt.schedTrace) {
    fs.writeFileSync(trace, '');
    fs.truncateSync(trace, TRACE_DISK_MIB * 1024 * 1024);
  }
  const argv = [
    ...(opt.icount !== null ? ['-icount', `shift=${opt.icount},sleep=off`] : []),
    '-accel', 'tcg', '-m', `${g.memory_mib}M`, '-smp', '1', '-nographic', '-no-reboot', '-monitor', 'none',
    '-kernel', path.join(kdir, 'boot', vmlinuz), '-initrd', img, '-append', CMDLINE,
    '-drive', `file=${swap},format=raw,if=virtio,cache=unsafe`,
    '-drive', `file=${data},format=raw,if=virtio,readonly=on`,
    ...(opt.schedTrace ? ['-drive', `file=${trace},format=raw,if=virtio,cache=unsafe`] : []),
  ];
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    // npm run validate:record runs this script under nice -n 10; QEMU inherits it (nice it once, not twice).
    const q = spawn('qemu-system-x86_64', argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    q.stdout.on('data', (b) => out.push(b));
    q.stderr.on('data', (b) => out.push(b));
    const timer = setTimeout(() => q.kill('SIGKILL'), opt.timeout * 1000);
    q.on('close', (code) => {
      clearTimeout(timer);
      const text = Buffer.concat(out).toString('utf8');
      fs.writeFileSync(path.join(dir, 'console.log'), text);
      fs.rmSync(swap, { force: true });
      fs.rmSync(data, { force: true });
      if (opt.schedTrace) saveTrace(c, run, dir, trace, text);
      const secs = (Date.now() - t0) / 1000;
      try {
        resolve({ ...parseConsole(text), wall_s: Math.round(secs) });
      } catch (e) {
        reject(new Error(`${c.name} run ${run}: ${e.message} (qemu exit ${code}; console in ${path.join(dir, 'console.log')})`));
      }
    });
  });
}

const TRACE_DISK_MIB = 512;

/** --sched-trace: the trace disk's text (up to its first NUL) and the console, to DIR/<case>-<run>/. */
function saveTrace(c, run, dir, trace, console) {
  const img = fs.readFileSync(trace);
  fs.rmSync(trace, { force: true });
  const end = img.indexOf(0);
  const text = end < 0 ? img : img.subarray(0, end);
  const dest = path.join(opt.out, `${c.name}-${run}`);
  fs.mkdirSync(dest, { recursive: true });
  fs.writeFileSync(path.join(dest, 'trace.txt'), text);
  fs.writeFileSync(path.join(dest, 'console.log'), console);
  for (const l of console.split(/\r?\n/)) if (/@@(trace|tracestat|trace-warn) /.test(l)) log(`${c.name} run ${run}: ${l.slice(l.indexOf('@@') + 2)}`);
  log(`${c.name} run ${run}: trace ${(text.length / 1048576).toFixed(1)} MiB in ${path.relative(process.cwd(), dest)}`);
}

/** The guest's console output → header and marks. */
function parseConsole(text) {
  const lines = text.split(/\r?\n/);
  const header = {}, params = {}, sysctl = {}, sys = {}, zoneinfo = [];
  const marks = [];
  let cur = null;
  let exit = null;
  const errors = [];
  const num = (s) => {
    const v = Number(s);
    return Number.isFinite(v) ? v : s;
  };
  for (const raw of lines) {
    const i = raw.indexOf('@@');
    if (i < 0) continue;
    const line = raw.slice(i + 2);
    const sp = line.indexOf(' ');
    const tag = sp < 0 ? line : line.slice(0, sp);
    const rest = sp < 0 ? '' : line.slice(sp + 1).trim();
    const [k, ...v] = rest.split(/\s+/);
    const value = v.join(' ');
    switch (tag) {
      case 'header': header[k] = value; break;
      case 'param': params[k] = num(value); break;
      case 'sysctl': sysctl[k] = num(value); break;
      case 'sys': sys[k] = num(value); break;
      case 'zoneinfo': zoneinfo.push(rest); break;
      case 'error': errors.push(rest); break;
      case 'missing': errors.push(`missing ${rest}`); break;
      case 'mark': cur = { name: rest, zswap: {}, vmstat: {}, meminfo: {}, stat: {}, zones: {} }; break;
      case 'endmark': marks.push(cur); cur = null; break;
      case 'zswap': cur.zswap[k] = Number(value); break;
      case 'vmstat': cur.vmstat[k] = Number(value); break;
      case 'stat': cur.stat[k] = Number(value); break; // USER_HZ ticks; uptime_s in seconds
      case 'meminfo': cur.meminfo[k.replace(/:$/, '')] = Number(v[0]); break; // kB
      case 'zone': (cur.zones[k] ??= {})[v[0]] = Number(v[1]); break; // "@@zone DMA free N", "pcp_count N", ...: pages (since 2026-12-04)
      case 'exit': exit = Number(rest); break;
    }
  }
  if (errors.length > 0) throw new Error(`the guest reported: ${errors.join('; ')}`);
  if (exit !== 0) throw new Error(`the workload did not finish (exit ${exit})`);
  return { header, params, sysctl, sys, zoneinfo, marks };
}

/** JSON with every mark's counter objects on one line each (the files stay readable and small). */
function stringify(ref) {
  return JSON.stringify(ref, null, 2).replace(/\{\n\s+("[^"]+": -?[0-9.e+]+,?\n\s+)+\}/g, (m) => JSON.stringify(JSON.parse(m)));
}

fs.mkdirSync(opt.out, { recursive: true });
const t0 = Date.now();
for (const c of cases) {
  const runs = [];
  let first = null;
  for (let r = 1; r <= opt.runs; r++) {
    log(`${c.name}: run ${r}/${opt.runs}`);
    const res = await runGuest(c, r);
    first ??= res;
    const start = res.marks.find((m) => m.name === 'start');
    runs.push({
      wall_s: res.wall_s,
      mem_total_kb: start.meminfo.MemTotal,
      mem_free_kb: start.meminfo.MemFree,
      marks: res.marks,
    });
    log(`${c.name}: run ${r} took ${res.wall_s} s`);
  }
  const ref = {
    case: c.name,
    description: c.description,
    kernel: { package: opt.pkg, version: opt.version, uname_r: first.header.uname_r, uname_v: first.header.uname_v },
    qemu: qemuVersion,
    guest: { memory_mib: g.memory_mib, swap_mib: g.swap_mib, data_mib: g.data_mib, smp: 1, accel: 'tcg', ...(opt.icount !== null ? { icount: { shift: opt.icount, sleep: false } } : {}), cmdline: CMDLINE },
    config: { zswap: c.zswap, params: first.params, sysctl: first.sysctl, sys: first.sys, zoneinfo: first.zoneinfo },
    workload: { seed: g.seed, ops: opsOf(c) },
    ...(opt.schedTrace ? { sched_trace: { buffer_kb: opt.traceBufferKb, keep: opt.traceKeep } } : {}),
    runs,
  };
  fs.writeFileSync(path.join(opt.out, `${c.name}.json`), stringify(ref) + '\n');
  log(`${c.name}: written ${path.relative(process.cwd(), path.join(opt.out, `${c.name}.json`))}`);
}
log(`recorded ${cases.length} case(s) x ${opt.runs} run(s) in ${Math.round((Date.now() - t0) / 1000)} s`);
