/** `tmemsim trace inspect TRACE`: events by kind, unique pages, time span, reuse distances (src/trace/inspect.ts). */

import type { Command } from 'commander';
import { renderInspection } from '../report/inspection.js';
import { UsageError, quote } from '../errors.js';
import { inspectTrace, type CacheSize } from '../trace/inspect.js';
import { TRACE_FORMATS } from '../trace/formats/registry.js';
import { collectFormatOption } from '../trace/formats/import/options.js';
import type { FormatOptions } from '../trace/reader.js';
import { writeOut } from './output.js';
import { traceArg } from './stdio.js';

const SIZES_ACCEPTED = 'comma-separated cache sizes: pages (an integer >= 1) or a share of the footprint (e.g. 10%), e.g. 1000,4000,16000,25%';

/** `--sizes 1000,4000,25%`: pages, or percentages of the footprint (0 < p <= 100). */
function parseSizes(v: string): CacheSize[] {
  const items = v.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) throw new UsageError(`${quote(v)} has an empty size`, { field: '--sizes' }, SIZES_ACCEPTED);
  return items.map((s) => {
    const pct = /^(\d+(?:\.\d+)?)%$/.exec(s);
    if (pct) {
      const p = Number(pct[1]);
      if (!(p > 0 && p <= 100)) throw new UsageError(`${quote(s)} is not a share in (0, 100] %`, { field: '--sizes' }, SIZES_ACCEPTED);
      return { fraction: p / 100 };
    }
    if (!/^\d+$/.test(s) || Number(s) < 1 || !Number.isSafeInteger(Number(s))) throw new UsageError(`${quote(s)} is not a cache size`, { field: '--sizes' }, SIZES_ACCEPTED);
    return { pages: Number(s) };
  });
}

interface InspectFlags {
  inputFormat?: string;
  formatOpt?: FormatOptions;
  format: string;
  out?: string;
  sizes?: CacheSize[];
}

export function registerInspect(trace: Command): void {
  trace
    .command('inspect')
    .description('describe a trace in one streamed pass: events by kind, unique pages, time span, reuse-distance histogram')
    .argument('<trace>', 'trace file of any input format (see tmemsim trace formats)')
    .option('--input-format <fmt>', `input format, if the extension does not say it: ${[...TRACE_FORMATS.keys()].join(', ')}`)
    .option('--format-opt <key=value>', 'option of an imported input format, key=value (repeatable)', collectFormatOption)
    .option('--sizes <list>', 'exact LRU miss ratios at these cache sizes, from the same pass: pages or % of the footprint, e.g. 1000,4000,16000,25%', parseSizes)
    .option('-f, --format <fmt>', 'table or json', 'table')
    .option('-o, --out <file>', 'write to a file')
    .action((path: string, f: InspectFlags) => {
      if (f.format !== 'table' && f.format !== 'json') throw new UsageError(`unknown format '${f.format}'`, { field: '--format' }, 'table, json');
      const r = inspectTrace(traceArg(path, f.inputFormat), { format: f.inputFormat, formatOptions: f.formatOpt, sizes: f.sizes });
      writeOut(f.format === 'json' ? JSON.stringify(r, null, 2) + '\n' : renderInspection(r), f.out);
    });
}
