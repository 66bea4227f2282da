/**
 * What `--help` adds under commander's option list: examples of each
 * command, the exit codes, and where the docs are. Bare `tmemsim`,
 * `tmemsim trace` and `tmemsim corpus` print the same help (exit 0).
 */

import type { Command } from 'commander';
import { outputWidth, wrapProse } from '../report/layout.js';
import { packagePath } from '../package-files.js';

/** The docs shipped with the package (README.md beside them). */
const DOCS_DIR = packagePath('docs');

const EXIT_CODES = 'Exit codes: 0 ok; 1 the oracle found stale or lost pages, compare found a regression, or an internal error; 2 bad input (one line on stderr: what, where, what is accepted).';

/** Examples by the command's path ('' is tmemsim itself). */
const EXAMPLES: Record<string, string[]> = {
  '': [
    'tmemsim run workloads/mixed-build.json --profile ssd',
    'tmemsim sweep workloads/ --backends zcache,zswap --compressors lz4,zstd --profiles ssd',
    'tmemsim compare run.json results/baseline.json --tol compression_ratio=2%',
    'tmemsim trace generate kernel-build -n 20000 -o build.jsonl',
  ],
  run: [
    'tmemsim run workloads/mixed-build.json --profile ssd',
    'tmemsim run workloads/mixed-build.json -b zswap -c zstd -p max_pool_percent=10 -f json -o run.json',
    'tmemsim run trace.csv --format-opt backend=zswap --profiles ssd,mobile',
    'tmemsim run workloads/lifecycle.json --rmmod-strategy flush,zombie --profile ssd',
    'tmemsim trace generate database | tmemsim run - --profile ssd',
  ],
  sweep: [
    'tmemsim sweep workloads/ --backends zcache,zswap --compressors lz4,zstd --profiles ssd',
    'tmemsim sweep --file results/baseline-sweep.json -f json -o sweep.json',
    'tmemsim sweep workloads/ --shard 1/4 -f json -o part1.json',
  ],
  merge: ['tmemsim merge part1.json part2.json part3.json part4.json -o sweep.json'],
  compare: [
    'tmemsim compare run.json results/baseline.json --tol compression_ratio=2%',
    'tmemsim compare sweep.json my-baseline.json --bless --bless-metrics energy_uj,swap_in_p99_ns',
  ],
  calibrate: ['tmemsim calibrate --compressors lz4,zstd -o profiles/my-host.json'],
  profiles: ['tmemsim profiles', 'tmemsim profiles --show mobile', 'tmemsim profiles --show profiles/example-rpi4.json -f json'],
  backends: ['tmemsim backends'],
  compressors: ['tmemsim compressors'],
  trace: ['tmemsim trace convert trace.csv trace.tmtb', 'tmemsim trace inspect workloads/mixed-build.json', 'tmemsim trace generate android-app-switch -s 2 -o app.jsonl'],
  'trace convert': ['tmemsim trace convert cloudPhysicsIO.vscsi cp.jsonl', 'tmemsim trace convert trace.jsonl trace.tmtb', 'cat trace.jsonl | tmemsim trace convert - -'],
  'trace inspect': ['tmemsim trace inspect workloads/mixed-build.json', 'tmemsim trace inspect trace.csv --format-opt header=true -f json'],
  'trace generate': ['tmemsim trace generate kernel-build -n 20000 -o build.jsonl', 'tmemsim trace generate database -n 10000 | tmemsim run - --profile ssd'],
  'trace formats': ['tmemsim trace formats'],
  'trace generators': ['tmemsim trace generators'],
  corpus: ['tmemsim corpus from-files /usr/bin/ls /usr/lib/os-release -o files.pages', 'tmemsim corpus stats files.pages'],
  'corpus capture': ['tmemsim corpus capture --pid 1234 --max-pages 10000 -o app.pages'],
  'corpus from-files': ['tmemsim corpus from-files src/*.c -o code.pages'],
  'corpus stats': ['tmemsim corpus stats code.pages --compressors lz4,zstd -f json'],
};

function pathOf(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c && c.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** Adds examples, exit codes and the docs' location to the help of `cmd` and every command under it. */
export function addHelpTexts(cmd: Command): void {
  const ex = EXAMPLES[pathOf(cmd)] ?? [];
  const lines = ['', ...(ex.length > 0 ? ['Examples:', ...ex.map((e) => `  $ ${e}`), ''] : []), EXIT_CODES, `Docs: README.md and ${DOCS_DIR}/ (model.md, sweep.md, importers.md, trace-format.md, ci.md, ...).`, 'A file argument or --out of "-" is standard input or output.'];
  // Wrapped when the help is shown, to the width of the terminal it goes to (help goes to stdout), as commander wraps its part.
  cmd.addHelpText('after', () => wrapProse(lines.join('\n'), outputWidth(process.stdout), 4) + '\n');
  for (const c of cmd.commands) addHelpTexts(c);
}
