#!/usr/bin/env node
// CI: every TypeScript/JavaScript snippet of docs/api.md type-checks under
// `tsc --strict` against the built package. Each fenced ```ts or ```js block
// is written, as it is, to its own .ts file in a temp directory inside the
// repository (so `import ... from 'tmemsim'` resolves to this package through
// its "exports", as it does for a script in the repository root) and the
// files are checked by one tsc run. Needs the build (dist/).
//   node scripts/check-api-docs.mjs [docs/api.md ...]
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const docs = process.argv.slice(2).length ? process.argv.slice(2) : ['docs/api.md'];
const dir = join(root, 'node_modules', '.cache', 'check-api-docs');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });

const files = [];
for (const doc of docs) {
  const lines = readFileSync(join(root, doc), 'utf8').split('\n');
  let block = null;
  let start = 0;
  lines.forEach((line, i) => {
    if (block === null && /^```(ts|typescript|js|javascript)\s*$/.test(line)) {
      block = [];
      start = i + 1;
    } else if (block !== null && /^```\s*$/.test(line)) {
      const name = `${doc.replace(/[^A-Za-z0-9]+/g, '_')}_line${start}.ts`;
      // `export {}` makes each file a module (top-level await, its own scope).
      writeFileSync(join(dir, name), `${block.join('\n')}\nexport {};\n`);
      files.push({ name, doc, line: start });
      block = null;
    } else if (block !== null) block.push(line);
  });
}
if (files.length === 0) {
  console.error('check-api-docs: no ts/js code blocks found');
  process.exit(1);
}
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const args = ['--noEmit', '--strict', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext',
  '--types', 'node', '--skipLibCheck', ...files.map((f) => join(dir, f.name))];
const r = spawnSync(process.execPath, [tsc, ...args], { cwd: root, encoding: 'utf8' });
// Point errors back at the document: file_lineN.ts(L,C) -> doc:N+L
const out = (r.stdout + r.stderr).replace(/([^\s(]+_line(\d+)\.ts)\((\d+),(\d+)\)/g, (m, file, start, l, c) => {
  const f = files.find((x) => file.endsWith(x.name));
  return f ? `${f.doc}:${Number(start) + Number(l)}:${c}` : m;
});
if (r.status !== 0) {
  process.stdout.write(out);
  console.error(`check-api-docs: FAIL (${files.length} snippets, tsc --strict)`);
  process.exit(1);
}
for (const f of files) console.log(`ok ${f.doc}:${f.line}`);
console.log(`check-api-docs: ${files.length} snippets type-check under --strict (${relative(root, dir)})`);
