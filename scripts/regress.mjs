#!/usr/bin/env node
// The CI regression of compression and hit ratios (docs/ci.md):
//   node scripts/regress.mjs           run the sweep of results/baseline-sweep.json and compare it
//                                      with results/baseline.json (exit 1 on a regression)
//   node scripts/regress.mjs --bless   run the same sweep and write results/baseline.json from it
// Extra arguments go to tmemsim compare (e.g. --tol compression_ratio=2%). The sweep's JSON is
// kept in results/latest-sweep.json for inspection (not committed).
//
// Lost pages: a workload whose point is data loss (ramster-node-failure: a node goes down with
// pages on it) loses pages by design. A configuration whose blessed baseline records the same
// number of lost pages is reported as expected; any other loss is left to compare (lost has
// tolerance 0), and any stale page fails the check.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin/tmemsim.js');
const args = process.argv.slice(2);
const blessing = args.includes('--bless');
const rest = args.filter((a) => a !== '--bless');
const latest = 'results/latest-sweep.json';
const baselineFile = 'results/baseline.json';

const tmemsim = (...a) => spawnSync(process.execPath, [bin, ...a], { cwd: root, stdio: 'inherit' }).status;

// The sweep's stderr is read, not passed on: its oracle line is about lost pages this script judges.
const sweepRun = spawnSync(process.execPath, [bin, 'sweep', '--file', 'results/baseline-sweep.json', '--format', 'json', '--out', latest], {
  cwd: root,
  stdio: ['inherit', 'inherit', 'pipe'],
  encoding: 'utf8',
});
const sweep = sweepRun.status;
// Exit 1: the oracle found lost or stale pages (judged below); anything else is a failure of the sweep.
if (sweep !== 0 && sweep !== 1) {
  process.stderr.write(sweepRun.stderr ?? '');
  process.exit(sweep ?? 1);
}
process.stderr.write((sweepRun.stderr ?? '').split('\n').filter((l) => l && !/the oracle found/.test(l)).map((l) => `${l}\n`).join(''));
const doc = JSON.parse(fs.readFileSync(path.join(root, latest), 'utf8'));
if (doc.verdict.stale > 0) {
  console.error(`regress: FAILED: the oracle found ${doc.verdict.stale} stale pages`);
  process.exit(1);
}
const blessed = new Map();
if (!blessing && fs.existsSync(path.join(root, baselineFile))) {
  for (const e of JSON.parse(fs.readFileSync(path.join(root, baselineFile), 'utf8')).entries ?? []) blessed.set(e.id, e.metrics?.lost);
}
const lossy = doc.rows.filter((r) => (r.metrics.lost ?? 0) > 0);
const expected = lossy.filter((r) => blessing || blessed.get(r.id) === r.metrics.lost);
if (expected.length > 0) {
  const workloads = [...new Set(expected.map((r) => r.workload))].join(', ');
  console.log(`regress: expected: ${workloads} loses pages by design in ${expected.length} configurations (${expected.map((r) => r.metrics.lost).join(', ')} pages), ${blessing ? "blessed into the baseline as expected" : "as the baseline records"}`);
}
const unexpected = lossy.filter((r) => !expected.includes(r));
if (unexpected.length > 0) console.error(`regress: lost pages the baseline does not record: ${unexpected.map((r) => `${r.id} (${r.metrics.lost})`).join(', ')}`);
const code = blessing ? tmemsim('compare', latest, baselineFile, '--bless', ...rest) : tmemsim('compare', latest, baselineFile, ...rest);
process.exit(code ?? 1);
