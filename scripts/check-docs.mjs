#!/usr/bin/env node
// CI: every shell command in README.md and docs/*.md runs as written.
//
// The commands of each fenced ```sh/bash/shell block (a line; a trailing
// backslash joins the next; `#` lines are comments) run in document order,
// each file's in one work directory: a fresh `git clone` of this repository
// in a temp dir, with node_modules and dist linked from here, ../shared
// linked beside it when present and the CloudPhysics samples it holds linked
// into the clone (docs/importers.md and docs/scale.md name them bare).
// `npx tmemsim` runs the clone's bin; a bare `tmemsim` (an installed
// package's command) finds the same bin on PATH.
//
// A command that cannot run here is skipped only by a rule below, each with
// its reason; every skip is printed. Each command's duration is printed.
//   node scripts/check-docs.mjs [README.md docs/x.md ...]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const root = resolve(new URL('..', import.meta.url).pathname);
// --in DIR: run the commands in DIR (an installed package: scripts/check-package.mjs) instead of a clone.
const argv = process.argv.slice(2);
const inAt = argv.indexOf('--in');
const inDir = inAt >= 0 ? resolve(argv[inAt + 1]) : null;
if (inAt >= 0) argv.splice(inAt, 2);
const docs = argv.length
  ? argv
  : ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];

/**
 * Commands that are not run, each with why; matched against the command with
 * its comment removed. A stand-in makes the file the skipped command would
 * have written, so the commands after it run on real input (printed).
 */
export const SKIP = [
  [/^npm ci\b|^npm test$/, 'the install and test steps: .ci/run runs them itself, first'],
  [/^npm run (regress|bless-baseline)$/, 'the regression sweep: .ci/run runs npm run regress itself (bless rewrites the baseline from the same sweep)'],
  [/^npm run validate( -- --update-known)?$/, '.ci/run replays every reference against validation/known-deviations.json itself (--update-known rewrites that list from the same replay)'],
  [/^npm run validate:record$/, 'needs root and QEMU: boots the Debian 6.1 kernel in a VM per case and records its counters'],
  [/^node validation\/record\.mjs\b/, 'needs root and QEMU (and a kernel version NN, X-Y to fill in): records the references into refs-6.1.X',
    'mkdir -p refs-6.1.X && cp validation/references/rw-zsmalloc-lz4.json refs-6.1.X/'],
  [/^sudo bpftrace -q scripts\/tmemsim-capture\.bt > capture\.bpftrace$/, 'needs root, bpftrace and a live kernel to trace',
    `cp "${root}/test/fixtures/capture-sample.bpftrace" capture.bpftrace && cp capture.bpftrace capture.log`],
  [/^(sudo )?bpftrace\b|^sudo /, 'needs root, bpftrace and a live kernel to trace'],
  [/corpus capture --pid 4242/, "reads a live process's memory: 4242 stands for the user's process id",
    'tmemsim corpus from-files /usr/bin/ls docs/model.md --out app.pages'],
  [/cs\.trace\.gz/, "a user's own pageref trace: no pageref sample ships"],
  [/\[|\bKIND\b|\bRUN\.json\b/, 'a synopsis: [optional] parts and UPPERCASE placeholders, not a command'],
  [/\$SLURM|\$\{SLURM/, 'a Slurm batch script: needs sbatch and its array variables'],
];

function commands(doc) {
  const out = [];
  const lines = readFileSync(join(root, doc), 'utf8').split('\n');
  let inBlock = false;
  let pending = null;
  lines.forEach((raw, i) => {
    if (!inBlock) {
      if (/^```(sh|bash|shell)\s*$/.test(raw)) inBlock = true;
      return;
    }
    if (/^```\s*$/.test(raw)) {
      inBlock = false;
      return;
    }
    let line = raw.trim();
    if (pending === null && (line === '' || line.startsWith('#'))) return;
    // a trailing comment: "  # ..." after the command (not inside quotes: the docs have none there)
    line = line.replace(/\s+#\s.*$/, '');
    if (pending !== null) pending.cmd += ' ' + line.replace(/\\$/, '').trim();
    else pending = { doc, line: i + 1, cmd: line.replace(/\\$/, '').trim() };
    if (!line.endsWith('\\')) {
      out.push(pending);
      pending = null;
    }
  });
  return out;
}

function workDir() {
  if (inDir !== null) {
    const bin = mkdtempSync(join(tmpdir(), 'tmemsim-docs-bin-'));
    writeFileSync(join(bin, 'tmemsim'), `#!/bin/sh\nexec node "${join(inDir, 'bin/tmemsim.js')}" "$@"\n`);
    chmodSync(join(bin, 'tmemsim'), 0o755);
    return { base: bin, clone: inDir, bin };
  }
  const base = mkdtempSync(join(tmpdir(), 'tmemsim-docs-'));
  const clone = join(base, 'tmemsim');
  const g = spawnSync('git', ['clone', '-q', '--no-hardlinks', root, clone], { encoding: 'utf8' });
  if (g.status !== 0) throw new Error(`git clone failed: ${g.stderr}`);
  // The working tree's uncommitted docs and sources are what is checked.
  spawnSync('bash', ['-c', `cd "${root}" && git ls-files -m -o --exclude-standard -z | xargs -0 -r -I{} cp --parents {} "${clone}"`]);
  symlinkSync(join(root, 'node_modules'), join(clone, 'node_modules'));
  rmSync(join(clone, 'dist'), { recursive: true, force: true });
  symlinkSync(join(root, 'dist'), join(clone, 'dist'));
  const shared = resolve(root, '../shared');
  if (existsSync(shared)) {
    symlinkSync(shared, join(base, 'shared'));
    const traces = join(shared, 'traces');
    if (existsSync(traces)) for (const f of readdirSync(traces)) if (f.startsWith('cloudPhysicsIO.')) symlinkSync(join(traces, f), join(clone, f));
  }
  const bin = join(base, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'tmemsim'), `#!/bin/sh\nexec node "${join(clone, 'bin/tmemsim.js')}" "$@"\n`);
  chmodSync(join(bin, 'tmemsim'), 0o755);
  return { base, clone, bin };
}

let failed = 0;
let ran = 0;
let skipped = 0;
const t0 = Date.now();
for (const doc of docs) {
  const cmds = commands(doc).map((c) => ({ ...c, doc }));
  if (cmds.length === 0) continue;
  const w = workDir();
  console.log(`== ${doc}: ${cmds.length} commands (in ${w.clone})`);
  for (const c of cmds) {
    const rule = SKIP.find(([re]) => re.test(c.cmd));
    if (rule) {
      skipped++;
      console.log(`skip ${doc}:${c.line}  ${c.cmd}\n       (${rule[1]})`);
      if (rule[2]) {
        const r = spawnSync('bash', ['-c', rule[2]], { cwd: w.clone, encoding: 'utf8', env: { ...process.env, PATH: `${w.bin}:${process.env.PATH}` } });
        console.log(`     stand-in: ${rule[2]}${r.status === 0 ? '' : `  FAILED (exit ${r.status})`}`);
        if (r.status !== 0) failed++;
      }
      continue;
    }
    const start = Date.now();
    const r = spawnSync('bash', ['-o', 'pipefail', '-c', c.cmd], {
      cwd: w.clone,
      encoding: 'utf8',
      env: { ...process.env, PATH: `${w.bin}:${process.env.PATH}`, CI: '1' },
      timeout: 15 * 60_000,
      maxBuffer: 256 * 1024 * 1024,
    });
    const s = ((Date.now() - start) / 1000).toFixed(1);
    ran++;
    if (r.status === 0) console.log(`ok   ${doc}:${c.line}  ${s} s  ${c.cmd}`);
    else {
      failed++;
      const why = r.error ? r.error.message : `exit ${r.status}`;
      console.log(`FAIL ${doc}:${c.line}  ${s} s  ${c.cmd}  (${why})`);
      const tail = (r.stderr || r.stdout || '').trim().split('\n').slice(-5).join('\n');
      if (tail) console.log(tail.replace(/^/gm, '       '));
    }
  }
  rmSync(w.base, { recursive: true, force: true });
}
console.log(`check-docs: ${ran} commands run, ${skipped} skipped, ${failed} failed, ${((Date.now() - t0) / 1000).toFixed(0)} s`);
process.exit(failed > 0 ? 1 : 0);
