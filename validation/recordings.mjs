#!/usr/bin/env node
// Replays every recording in validation/recordings (record.mjs --out DIR: the same cases on
// another day) with its own guest CPU and judges it against its own kernel runs, ratcheted by its
// own known-deviations list (docs/validation.md, "The kernel against itself"):
//
//   validation/recordings/NAME/                      the recording (one <case>.json a case)
//   validation/recordings/NAME.guest-tcg.json        its guest's CPU: the references' figures at
//                                                    its speed (guest-cpu.mjs --references
//                                                    validation/recordings/NAME --scale --write)
//   validation/recordings/NAME.known-deviations.json its counters out of tolerance today
//
//   node validation/recordings.mjs [--dir DIR] [validate options]   e.g. -- --update-known, --format json
//
// Runs `tmemsim validate` (bin/tmemsim.js: build first) once a recording, in name order, and exits
// with the worst exit code: 0 when every ratchet holds. --dir DIR: the recordings of another
// directory laid out the same way, e.g. validation/other-kernels (another kernel's recordings:
// give the era its kernel needs, --zswap-era 6.12, as a validate option).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const DIR = path.join(here, 'recordings');
const BIN = path.join(here, '..', 'bin', 'tmemsim.js');

/** The recordings: each directory of validation/recordings with its profile and list beside it. */
export function recordings(dir = DIR) {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()
    .map((name) => ({
      name,
      references: path.join(dir, name),
      profile: path.join(dir, `${name}.guest-tcg.json`),
      known: path.join(dir, `${name}.known-deviations.json`),
    }));
}

function main() {
  const extra = process.argv.slice(2);
  let dir = DIR;
  const d = extra.indexOf('--dir');
  if (d >= 0) {
    dir = path.resolve(extra[d + 1] ?? '');
    if (extra[d + 1] === undefined || !fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
      console.error(`recordings.mjs: --dir ${extra[d + 1] ?? ''} is not a directory (accepted: a directory of recordings, each NAME/ with NAME.guest-tcg.json and NAME.known-deviations.json beside it)`);
      process.exit(2);
    }
    extra.splice(d, 2);
  }
  const all = recordings(dir);
  if (all.length > 1 && extra.some((a) => a === '-o' || a === '--out' || a.startsWith('--out='))) {
    console.error(`recordings.mjs: --out names one file and there are ${all.length} recordings (accepted: for one, tmemsim validate --references validation/recordings/NAME --guest-profile validation/recordings/NAME.guest-tcg.json --out FILE)`);
    process.exit(2);
  }
  let worst = 0;
  for (const r of all) {
    for (const f of [r.profile, r.known]) {
      if (!fs.existsSync(f)) {
        console.error(`recordings.mjs: recording ${r.name} has no ${path.relative(process.cwd(), f)} (accepted: a <name>.guest-tcg.json and a <name>.known-deviations.json beside validation/recordings/<name>)`);
        process.exit(2);
      }
    }
    console.log(`== recording ${r.name}, replayed with its own guest CPU`);
    const p = spawnSync(process.execPath, [BIN, 'validate', '--references', r.references, '--guest-profile', r.profile, '--known', r.known, ...extra], { stdio: 'inherit' });
    const code = p.status ?? 1;
    if (code > worst) worst = code;
  }
  process.exit(worst);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) main();
