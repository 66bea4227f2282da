/** `tmemsim sweep` and `tmemsim merge`: a grid of configurations, in parallel, sharded, merged. */

import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import type { ParamMap } from '../backends/params.js';
import { readSweepFile } from '../sweep/file.js';
import { parseShard, type SweepGrid } from '../sweep/grid.js';
import { mergeSweeps, runSweep, type SweepResult } from '../sweep/sweep.js';
import { SWEEP_FORMATS, type SweepFormatName } from '../sweep/format.js';
import { collectParam, parseIntFlag, splitList } from './options.js';
import { widthFor, writeOut } from './output.js';
import { readJsonArg } from './stdio.js';
import { ensureDir } from '../plot/render.js';

interface SweepFlags {
  file?: string;
  backends?: string;
  compressors?: string;
  zpools?: string;
  poolPercent?: string;
  profiles?: string;
  param?: ParamMap;
  seed?: string;
  ramMb?: string;
  fast?: boolean;
  baseline: boolean;
  jobs?: string;
  shard?: string;
  format: string;
  out?: string;
  plot?: string;
}

function checkFormat(f: string): SweepFormatName {
  if (!(f in SWEEP_FORMATS)) throw new UsageError(`unknown sweep format '${f}'`, { field: '--format' }, Object.keys(SWEEP_FORMATS).join(', '));
  return f as SweepFormatName;
}

/** The grid from a sweep file and the flags (a flag replaces the file's field). */
function gridOf(workloads: string[], f: SweepFlags): SweepGrid {
  const base: SweepGrid = f.file ? readSweepFile(f.file) : { workloads: [] };
  const g: SweepGrid = { ...base };
  if (workloads.length > 0) g.workloads = workloads;
  if (g.workloads.length === 0) throw new UsageError('no workloads to sweep', { field: 'workloads' }, 'trace files or directories as arguments, or a sweep file (--file) with "workloads"');
  if (f.backends) g.backends = splitList(f.backends);
  if (f.compressors) g.compressors = splitList(f.compressors);
  if (f.zpools) g.zpools = splitList(f.zpools);
  if (f.poolPercent) g.max_pool_percent = splitList(f.poolPercent).map((v) => parseIntFlag('--pool-percent', v, 0, 100));
  if (f.profiles) g.profiles = splitList(f.profiles);
  if (f.param) g.params = { ...(g.params ?? {}), ...f.param };
  if (f.seed !== undefined) g.seed = parseIntFlag('--seed', f.seed, 0, 2 ** 48 - 1);
  if (f.ramMb !== undefined) g.ram_mb = parseIntFlag('--ram-mb', f.ramMb, 1, 2 ** 20);
  if (f.fast) g.fast = true;
  if (!f.baseline) g.baseline = false;
  // A stable key order, so shards of one grid compare equal however it was spelled.
  const order: (keyof SweepGrid)[] = ['workloads', 'backends', 'compressors', 'zpools', 'max_pool_percent', 'profiles', 'params', 'seed', 'ram_mb', 'fast', 'baseline'];
  const out: Record<string, unknown> = {};
  for (const k of order) if (g[k] !== undefined) out[k] = g[k];
  return out as unknown as SweepGrid;
}

function reportVerdict(s: SweepResult, setExit: (c: number) => void): void {
  if (s.verdict.stale > 0 || s.verdict.lost > 0) {
    const bad = s.rows.filter((r) => (r.metrics.stale ?? 0) > 0 || (r.metrics.lost ?? 0) > 0).map((r) => r.id);
    process.stderr.write(`tmemsim: the oracle found ${s.verdict.stale} stale and ${s.verdict.lost} lost pages in ${bad.join(', ')}\n`);
    setExit(1);
  }
}

export function registerSweep(program: Command, setExit: (code: number) => void): void {
  program
    .command('sweep')
    .description('run a grid of workloads x backends x compressors x zpools x pool limits x profiles in parallel; frontier and break-even')
    .argument('[workloads...]', 'trace files, or directories of tmemsim traces (*.json, *.jsonl, *.tmtb)')
    .option('--file <sweep.json>', 'a sweep file (schema/sweep-v1.schema.json); flags override its fields')
    .option('--backends <names>', 'backends, comma-separated (default: each workload\'s own)')
    .option('--compressors <names>', 'compressors, comma-separated (backends with a compressor parameter)')
    .option('--zpools <names>', 'zswap allocators (zbud, z3fold, zsmalloc), comma-separated')
    .option('--pool-percent <list>', 'max_pool_percent values, comma-separated (backends that take it)')
    .option('--profiles <names>', 'device profiles, comma-separated (default: ssd,mobile)')
    .option('-p, --param <key=value>', 'a backend parameter for every configuration (repeatable)', collectParam)
    .option('-s, --seed <n>', 'seed of the generated page contents')
    .option('--ram-mb <n>', 'simulated RAM in MiB, overriding the traces')
    .option('--fast', 'skip the byte comparison of loads')
    .option('--no-baseline', 'skip the passes without a backend (no savings, no break-even)')
    .option('-j, --jobs <n>', 'worker threads (default: all cores)')
    .option('--shard <k/n>', 'run only the k-th of n deterministic slices of the grid (merge them with tmemsim merge)')
    .option('-f, --format <fmt>', `output: ${Object.keys(SWEEP_FORMATS).join(', ')}`, 'table')
    .option('-o, --out <file>', 'write the output to a file')
    .option('--plot <dir>', 'write SVG charts (Pareto frontiers, pool and hit ratio over time) to this directory')
    .action(async (workloads: string[], f: SweepFlags) => {
      const format = checkFormat(f.format);
      const grid = gridOf(workloads, f);
      const jobs = f.jobs === undefined ? undefined : parseIntFlag('--jobs', f.jobs, 1, 1024);
      const shard = f.shard === undefined ? null : parseShard(f.shard);
      if (f.plot) ensureDir(f.plot); // refused before the sweep, not after it
      const { result, series } = await runSweep(grid, { jobs, shard, series: f.plot ? 200 : 0 });
      writeOut(SWEEP_FORMATS[format](result, { width: widthFor(f.out) }), f.out);
      if (f.plot) {
        const { writeSweepPlotsIn } = await import('../plot/sweep.js');
        const files = await writeSweepPlotsIn(result, series, f.plot);
        process.stderr.write(`tmemsim: wrote ${files.length} charts to ${f.plot}\n`);
      }
      reportVerdict(result, setExit);
    });

  program
    .command('merge')
    .description('merge the JSON outputs of sweep --shard k/n into the output of the whole sweep')
    .argument('<shards...>', 'JSON files of tmemsim sweep --shard k/n --format json')
    .option('-f, --format <fmt>', `output: ${Object.keys(SWEEP_FORMATS).join(', ')}`, 'json')
    .option('-o, --out <file>', 'write the output to a file')
    .action((files: string[], f: { format: string; out?: string }) => {
      const format = checkFormat(f.format);
      const parts = files.map((file) => ({ file, doc: readJsonArg(file) }));
      const merged = mergeSweeps(parts);
      writeOut(SWEEP_FORMATS[format](merged, { width: widthFor(f.out) }), f.out);
      reportVerdict(merged, setExit);
    });
}
