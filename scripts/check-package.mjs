#!/usr/bin/env node
// CI: the package as published.
//   1. `npm pack --ignore-scripts` (dist/ as built: .ci/run's npm test built
//      it; prepare would build it again) and compare the tarball's file list
//      with scripts/package-files.txt (`--update` rewrites the list: review
//      its diff). A stale dist/ fails: a file of it from no file of src/, a
//      file of src/ without its .js and .d.ts, or a .js older than its .ts.
//   2. Install the tarball into an empty project with `npm install
//      --ignore-scripts` (dependencies from the registry; no install script
//      runs, so the optional native codecs lz4 and lzo are not built: as on a
//      machine without a compiler).
//   3. Run README.md's commands in the installed package's directory
//      (scripts/check-docs.mjs --in), printing each one's duration.
//   node scripts/check-package.mjs [--update]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ENTRIES } from './bundle-cli.mjs';

const root = resolve(new URL('..', import.meta.url).pathname);
const LIST = join(root, 'scripts/package-files.txt');
const t0 = Date.now();
const secs = () => `${((Date.now() - t0) / 1000).toFixed(0)} s`;

function sh(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) {
    process.stderr.write(r.stdout + r.stderr);
    console.error(`check-package: FAIL: ${cmd} ${args.join(' ')} (exit ${r.status})`);
    process.exit(1);
  }
  return r.stdout;
}

const work = mkdtempSync(join(tmpdir(), 'tmemsim-package-'));
const packed = JSON.parse(sh('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], root));
const tarball = join(work, packed[0].filename);
const files = packed[0].files.map((f) => f.path).sort();
console.log(`== npm pack: ${packed[0].filename}, ${files.length} files, ${(packed[0].size / 1e6).toFixed(2)} MB (${secs()})`);

// dist/ is checked against src/ (every .ts gives a .js and a .d.ts, nothing else) and the
// build's own outputs, so a new source file needs no edit of the list; every other shipped file
// is listed. The build's outputs: scripts/build-validators.mjs's module and scripts/bundle-cli.mjs's
// bundles (dist/bin/main.js, which bin/tmemsim.js runs, the worker threads' scripts, and their
// chunks, named by their hashes).
const BUILT = ['dist/trace/schema-validators.cjs', ...Object.keys(ENTRIES).map((name) => `dist/bin/${name}.js`)];
const isBuilt = (f) => BUILT.includes(f) || /^dist\/bin\/chunk-[A-Z0-9]+\.js$/.test(f);
const srcs = sh('git', ['ls-files', 'src'], root).split('\n').filter((f) => f.endsWith('.ts'));
const wantDist = [...srcs.flatMap((f) => [f.replace(/^src\//, 'dist/').replace(/\.ts$/, '.js'), f.replace(/^src\//, 'dist/').replace(/\.ts$/, '.d.ts')]), ...new Set([...BUILT, ...files.filter(isBuilt)])].sort();
const dist = files.filter((f) => f.startsWith('dist/'));
const distExtra = dist.filter((f) => !wantDist.includes(f));
const distMissing = wantDist.filter((f) => !dist.includes(f));
if (distExtra.length || distMissing.length) {
  for (const f of distExtra) console.log(`+ ${f}   (in the tarball's dist/, from no file of src/: stale?)`);
  for (const f of distMissing) console.log(`- ${f}   (src/ has it, the tarball does not)`);
  console.error('check-package: FAIL: dist/ in the tarball is not the build of src/');
  process.exit(1);
}
// Packed without prepare, dist/ is whatever was built last: it must be newer than every source.
const older = srcs.filter((f) => statSync(join(root, f.replace(/^src\//, 'dist/').replace(/\.ts$/, '.js'))).mtimeMs < statSync(join(root, f)).mtimeMs);
if (older.length) {
  for (const f of older.slice(0, 10)) console.log(`~ ${f}   (changed since dist/ was built)`);
  console.error(`check-package: FAIL: dist/ is older than ${older.length} file(s) of src/: npm run build, then run this again`);
  process.exit(1);
}
console.log(`ok dist/: ${dist.length} files, the .js and .d.ts of each of src/'s ${srcs.length} files, none older than its source`);
const other = files.filter((f) => !f.startsWith('dist/'));
if (process.argv.includes('--update')) {
  writeFileSync(LIST, other.join('\n') + '\n');
  console.log(`check-package: wrote ${LIST}`);
} else {
  const want = readFileSync(LIST, 'utf8').split('\n').filter(Boolean);
  const extra = other.filter((f) => !want.includes(f));
  const missing = want.filter((f) => !other.includes(f));
  if (extra.length || missing.length) {
    for (const f of extra) console.log(`+ ${f}   (in the tarball, not in scripts/package-files.txt)`);
    for (const f of missing) console.log(`- ${f}   (in scripts/package-files.txt, not in the tarball)`);
    console.error('check-package: FAIL: the tarball differs from scripts/package-files.txt (node scripts/check-package.mjs --update, then review)');
    process.exit(1);
  }
  console.log('ok file list matches scripts/package-files.txt');
}
const maps = files.filter((f) => f.endsWith('.map'));
if (maps.length) {
  console.error(`check-package: FAIL: ${maps.length} source maps shipped (${maps[0]}, ...)`);
  process.exit(1);
}

const app = join(work, 'app');
sh('mkdir', ['-p', app]);
writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'tmemsim-package-check', version: '1.0.0', private: true }));
sh('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', tarball], app);
const pkg = join(app, 'node_modules', 'tmemsim');
console.log(`== installed with --ignore-scripts into ${app} (${secs()})`);
const v = sh('node', [join(pkg, 'bin/tmemsim.js'), '--version'], app).trim();
console.log(`ok tmemsim --version: ${v}`);
sh('node', ['-e', "const t = require('tmemsim'); if (typeof t.run !== 'function') process.exit(1)"], app);
console.log("ok require('tmemsim')");

// The README's paths (workloads/, profiles/, results/, examples/, scripts/) are the package's
// own files: link them into the project, where `npx tmemsim` is the installed bin.
for (const f of readdirSync(pkg)) if (!['package.json', 'node_modules'].includes(f)) symlinkSync(join(pkg, f), join(app, f));
console.log(`== README.md's commands in ${app} (the package's files linked in from node_modules/tmemsim)`);
const r = spawnSync(process.execPath, [join(root, 'scripts/check-docs.mjs'), '--in', app, 'README.md'], { cwd: root, stdio: 'inherit' });
if (r.status === 0) rmSync(work, { recursive: true, force: true });
console.log(`check-package: ${r.status === 0 ? 'ok' : 'FAIL'} (${secs()})`);
process.exit(r.status ?? 1);
