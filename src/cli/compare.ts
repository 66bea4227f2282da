/** `tmemsim compare RUN.json BASELINE.json`: exit 1 on a regression beyond tolerance; `--bless` writes a new baseline. */

import { renderComparison } from '../report/comparison.js';
import type { Command } from 'commander';
import { BLESS_METRICS, DEFAULT_TOLERANCES, bless, compareEntries, entriesOf, isRunReport, parseTolerances } from '../analysis/compare.js';
import { METRIC_KEYS, type MetricKey } from '../analysis/metrics.js';
import { UsageError } from '../errors.js';
import { splitList } from './options.js';
import { widthFor, writeOut } from './output.js';
import { readJsonArg } from './stdio.js';

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

export function registerCompare(program: Command, setExit: (code: number) => void): void {
  program
    .command('compare')
    .description('compare a run or sweep against a baseline, metric by metric; exit 1 on a regression beyond tolerance')
    .argument('<run>', 'JSON of tmemsim sweep or tmemsim run')
    .argument('<baseline>', 'the baseline: a file written by compare --bless, or another sweep/run JSON')
    .option('--tol <metric=tolerance>', `tolerance of a metric: 2% relative, 0.01 absolute, off (repeatable); defaults: ${Object.entries(DEFAULT_TOLERANCES).map(([k, t]) => `${k}=${t!.rel !== undefined ? `${t!.rel * 100}%` : t!.abs}`).join(', ')}`, collect)
    .option('--all', 'list every compared metric, not only those that changed beyond tolerance')
    .option('--bless', 'write RUN\'s figures to BASELINE as the new baseline instead of comparing')
    .option('--bless-metrics <names>', `metrics a blessed baseline keeps (default: ${BLESS_METRICS.join(',')})`)
    .action((runFile: string, baseFile: string, f: { tol?: string[]; all?: boolean; bless?: boolean; blessMetrics?: string }) => {
      const tol = parseTolerances(f.tol ?? []);
      const runDoc = readJsonArg(runFile);
      const run = entriesOf(runFile, runDoc);
      if (f.bless) {
        const metrics = f.blessMetrics ? splitList(f.blessMetrics) : BLESS_METRICS;
        for (const m of metrics) if (!(METRIC_KEYS as readonly string[]).includes(m)) throw new UsageError(`unknown metric '${m}'`, { field: '--bless-metrics' }, METRIC_KEYS.join(', '));
        const source = (runDoc as { grid?: unknown; trace?: unknown }).grid ?? (runDoc as { trace?: unknown }).trace ?? null;
        writeOut(JSON.stringify(bless(run, source, metrics as MetricKey[]), null, 2) + '\n', baseFile);
        process.stderr.write(`tmemsim: blessed ${run.size} entries into ${baseFile}\n`);
        return;
      }
      const base = entriesOf(baseFile, readJsonArg(baseFile));
      const c = compareEntries(run, base, tol, { runReport: isRunReport(runDoc) });
      process.stdout.write(renderComparison(c, f.all ?? false, widthFor(undefined)));
      if (c.regressions > 0) setExit(1);
    });
}
