#!/usr/bin/env node
// The CI regression of compression and hit ratios (docs/ci.md):
//   node scripts/regress.mjs           run the sweep of results/baseline-sweep.json and compare it
//                                      with results/baseline.json (exit 1 on a regression)
//   node scripts/regress.mjs --bless   run the same sweep and write results/baseline.json from it
// Extra arguments go to tmemsim compare (e.g. --tol compression_ratio=2%). The sweep's JSON is
// kept in results/latest-sweep.json for inspection (not committed).
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

const tmemsim = (...a) => spawnSync(process.execPath, [bin, ...a], { cwd: root, stdio: 'inherit' }).status;

const sweep = tmemsim('sweep', '--file', 'results/baseline-sweep.json', '--format', 'json', '--out', latest);
// The sweep exits 1 when the oracle finds lost or stale pages: ramster-node-failure loses pages by
// design, and the baseline holds how many (lost is compared with tolerance 0). Stale pages are a bug.
if (sweep !== 0 && sweep !== 1) process.exit(sweep ?? 1);
const doc = JSON.parse(fs.readFileSync(path.join(root, latest), 'utf8'));
if (doc.verdict.stale > 0) {
  console.error(`regress: the oracle found ${doc.verdict.stale} stale pages`);
  process.exit(1);
}
const code = blessing ? tmemsim('compare', latest, 'results/baseline.json', '--bless', ...rest) : tmemsim('compare', latest, 'results/baseline.json', ...rest);
process.exit(code ?? 1);
