/** `tmemsim run TRACE`: replay a trace and print the report. */

import type { Command } from 'commander';
import { simulate, type RunOptions } from '../api.js';
import { buildReport } from '../report/model.js';
import { UsageError } from '../errors.js';
import type { ParamMap } from '../backends/params.js';
import { collectParam, parseIntFlag, parseTickPhase, splitList } from './options.js';
import { widthFor, writeOut } from './output.js';
import { ensureDir } from '../plot/render.js';
import { parseAt } from './at.js';
import { FORMAT_OPT_HELP, collectFormatOption } from './trace.js';
import type { FormatOptions } from '../trace/reader.js';
import type { Injection } from '../sim/config.js';
import { FORMATS, type FormatName } from '../report/formats.js';
import { progressFor } from './progress.js';
import { traceArg } from './stdio.js';
import { DEFAULT_RECLAIM, reclaimNames } from '../mm/reclaim/registry.js';
import { CFS_61, schedulerNames } from '../sim/schedulers.js';

interface RunFlags {
  backend?: string;
  compressor?: string;
  profile?: string;
  seed?: string;
  param?: ParamMap;
  ramMb?: string;
  reclaim?: string;
  tickPhase?: string;
  sched?: string;
  format: string;
  out?: string;
  fast?: boolean;
  baseline: boolean;
  inputFormat?: string;
  formatOpt?: FormatOptions;
  rmmodStrategy?: string;
  zombieRate?: string;
  at?: Injection[];
  progress?: boolean;
  quiet?: boolean;
  plot?: string;
  uncertainty?: boolean;
  jobs?: string;
}

export function registerRun(program: Command, setExit: (code: number) => void): void {
  program
    .command('run')
    .description('replay a trace through frontswap/cleancache and a backend; report CPU, energy, hit ratios')
    .argument('<trace>', 'trace file: tmemsim .json/.jsonl/.tmtb, or an imported format (csv, txt, oracleGeneral, vscsi, pageref); - reads standard input')
    .option('-b, --backend <name>', 'backend to load at boot, overriding the trace (none = no backend)')
    .option('-c, --compressor <name>', 'compressor (the backend\'s compressor parameter)')
    .option('--profile <names>', 'device profiles or profile files (.json), comma-separated (default: the trace\'s, else ssd,mobile)')
    .option('-s, --seed <n>', 'seed for generated page contents')
    .option('-p, --param <key=value>', 'backend parameter (repeatable); an unknown key is an error', collectParam)
    .option('--ram-mb <n>', 'simulated RAM in MiB, overriding the trace')
    .option('--reclaim <name>', `page reclaim model: ${reclaimNames().join(', ')} (default: config.reclaim, else the backend era's, else ${DEFAULT_RECLAIM}; docs/model.md)`)
    .option('--tick-phase <ms>', 'where the scheduler\'s 4 ms ticks fall: the first this many ms into the run (0 <= ms < 4; default 0); only the scheduling of kswapd and the kworkers beside the workload depends on it (docs/model.md)')
    .option('--sched <name>', `the fair scheduler of the workload, kswapd and the kworker, by the kernel whose fair.c it models: ${schedulerNames().join(', ')} (default: ${CFS_61.name}; eevdf-6.12 with --param era=6.12 models a 6.12 guest; needs a reclaim model with kswapd as a task; docs/model.md)`)
    .option('-f, --format <fmt>', `report format: ${Object.keys(FORMATS).join(', ')}`, 'table')
    .option('-o, --out <file>', 'write the report to a file (- for standard output)')
    .option('--fast', 'skip the byte comparison of loads (tags are still checked)')
    .option('--no-baseline', 'skip the pass without a backend')
    .option('-j, --jobs <n>', 'threads for the passes (profiles x rmmod strategies, and baselines), the main thread one of them; the report is the same for any n (default: all cores, the other passes starting on them once a pass in the main thread has run 0.5 s; 1: the main thread only)')
    .option('--input-format <fmt>', 'trace format, if the extension does not say it (see tmemsim trace formats)')
    .option('--format-opt <key=value>', FORMAT_OPT_HELP, collectFormatOption)
    .option('--rmmod-strategy <names>', 'compare rmmod strategies (flush, zombie, writethrough, refuse), comma-separated: one run each, overriding every rmmod of the trace')
    .option('--zombie-rate <pages/s>', 'zombie drain rate, pages per simulated second')
    .option('--progress', 'show the progress bar on stderr even when it is not a terminal (default: when it is, for runs over a second)')
    .option('--no-progress', 'no progress bar')
    .option('-q, --quiet', 'no progress bar')
    .option('--at <when:action>', 'inject an event: WHEN = N, N%, Ns|ms|us; ACTION = rmmod[=strategy], insmod=backend[,k=v], param=name=value, node_down=N (repeatable)', parseAt)
    .option('--uncertainty', 'every energy and CPU figure and the saving as an interval over the profile constants\' ranges, the constants ranked by how far they move the saving (tornado) and those that can flip its sign')
    .option('--plot <dir>', 'write SVG charts (pool and hit ratios over simulated time, energy against the baseline; with --uncertainty, the tornado of the constants that move the saving) to this directory')
    .action(async (trace: string, f: RunFlags) => {
      if (!(f.format in FORMATS)) throw new UsageError(`unknown report format '${f.format}'`, { field: '--format' }, Object.keys(FORMATS).join(', '));
      const opts: RunOptions = {
        trace: traceArg(trace, f.inputFormat),
        inputFormat: f.inputFormat,
        formatOptions: f.formatOpt,
        backend: f.backend === undefined ? undefined : f.backend === 'none' ? null : f.backend,
        compressor: f.compressor,
        params: f.param,
        profiles: f.profile ? splitList(f.profile) : undefined,
        seed: f.seed === undefined ? undefined : parseIntFlag('--seed', f.seed, 0, 2 ** 48 - 1),
        ramPages: f.ramMb === undefined ? undefined : parseIntFlag('--ram-mb', f.ramMb, 1, 2 ** 20) * 256,
        reclaim: f.reclaim,
        ...(f.tickPhase !== undefined ? { tickPhaseNs: parseTickPhase('--tick-phase', f.tickPhase) } : {}),
        ...(f.sched !== undefined ? { scheduler: f.sched } : {}),
        fast: f.fast,
        baseline: f.baseline,
        rmmodStrategies: f.rmmodStrategy ? splitList(f.rmmodStrategy) : undefined,
        zombieRate: f.zombieRate === undefined ? undefined : parseIntFlag('--zombie-rate', f.zombieRate, 1),
        at: f.at,
        progress: progressFor(f.progress, f.quiet),
        series: f.plot ? 200 : undefined,
        jobs: f.jobs === undefined ? 'auto' : parseIntFlag('--jobs', f.jobs, 1, 1024),
      };
      if (f.plot) ensureDir(f.plot); // refused before the run, not after it
      const result = await simulate(opts);
      // Standard input is read from a temporary copy; the report names it as given.
      if (trace === '-') result.trace = '-';
      const report = buildReport(result, { uncertainty: f.uncertainty });
      writeOut(FORMATS[f.format as FormatName](report, { width: widthFor(f.out) }), f.out);
      if (f.plot) {
        const { writeRunPlotsIn } = await import('../plot/run.js');
        const files = await writeRunPlotsIn(result, f.plot, report.runs.map((x) => x.uncertainty));
        process.stderr.write(`tmemsim: wrote ${files.length} charts to ${f.plot}\n`);
      }
      if (!report.verdict.ok) {
        process.stderr.write(`tmemsim: the oracle found ${report.verdict.stale} stale and ${report.verdict.lost} lost pages\n`);
        setExit(1);
      }
    });
}
