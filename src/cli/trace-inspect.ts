/** `tmemsim trace inspect TRACE`: events by kind, unique pages, time span, reuse distances (src/trace/inspect.ts). */

import type { Command } from 'commander';
import Table from 'cli-table3';
import { TABLE_STYLE } from '../report/table.js';
import { UsageError } from '../sim/errors.js';
import { inspectTrace, type TraceInspection } from '../trace/inspect.js';
import { TRACE_FORMATS } from '../trace/formats/registry.js';
import { collectFormatOption } from '../trace/formats/import/options.js';
import type { FormatOptions } from '../trace/reader.js';
import { writeOut } from './output.js';

const num = (x: number): string => x.toLocaleString('en-US');
const pct = (x: number): string => `${(100 * x).toFixed(2)} %`;

/** The inspection as text tables. */
export function inspectionTable(r: TraceInspection): string {
  const out: string[] = [`${r.trace} (${r.format}): ${num(r.events)} events`];
  const kinds = new Table({ head: ['event kind', 'events', 'share'], style: TABLE_STYLE, colAligns: ['left', 'right', 'right'] });
  for (const [op, n] of Object.entries(r.by_kind)) kinds.push([op, num(n), pct(n / r.events)]);
  out.push(kinds.toString());
  const u = r.unique_pages;
  const pages = new Table({ head: ['unique pages', 'pages', 'MiB at 4 KiB'], style: TABLE_STYLE, colAligns: ['left', 'right', 'right'] });
  for (const [k, n] of [['anonymous (pid, page)', u.anon], ['swap slots (type, offset)', u.swap_slots], ['file (fs, inode, index)', u.file], ['total', u.total]] as const) {
    pages.push([k, num(n), (n / 256).toFixed(1)]);
  }
  out.push(pages.toString());
  const t = r.time;
  out.push(t.timed_events === 0
    ? 'time: no event carries t'
    : `time: ${num(t.timed_events)} timed events, from ${num(t.start_us!)} us to ${num(t.end_us!)} us: span ${(t.span_us! / 1e6).toFixed(6)} s`);
  const reuse = new Table({ head: ['reuse distance', 'references', 'share', 'LRU of (pages)', 'LRU hit ratio'], style: TABLE_STYLE, colAligns: ['left', 'right', 'right', 'right', 'right'] });
  const refs = r.reuse.references;
  reuse.push(['cold (first reference)', num(r.reuse.cold), pct(refs ? r.reuse.cold / refs : 0), '', '']);
  for (const b of r.reuse.buckets) {
    reuse.push([b.lo === b.hi ? `${num(b.lo)}` : `${num(b.lo)} .. ${num(b.hi)}`, num(b.count), pct(refs ? b.count / refs : 0), num(b.hi + 1), pct(b.lru_hit_ratio)]);
  }
  out.push(`reuse distance (LRU stack distance) of ${num(refs)} page references:`);
  out.push(reuse.toString());
  return out.join('\n') + '\n';
}

interface InspectFlags {
  inputFormat?: string;
  formatOpt?: FormatOptions;
  format: string;
  out?: string;
}

export function registerInspect(trace: Command): void {
  trace
    .command('inspect')
    .description('describe a trace in one streamed pass: events by kind, unique pages, time span, reuse-distance histogram')
    .argument('<trace>', 'trace file of any input format (see tmemsim trace formats)')
    .option('--input-format <fmt>', `input format, if the extension does not say it: ${[...TRACE_FORMATS.keys()].join(', ')}`)
    .option('--format-opt <key=value>', 'option of an imported input format, key=value (repeatable)', collectFormatOption)
    .option('-f, --format <fmt>', 'table or json', 'table')
    .option('-o, --out <file>', 'write to a file')
    .action((path: string, f: InspectFlags) => {
      if (f.format !== 'table' && f.format !== 'json') throw new UsageError(`unknown format '${f.format}'`, { field: '--format' }, 'table, json');
      const r = inspectTrace(path, { format: f.inputFormat, formatOptions: f.formatOpt });
      writeOut(f.format === 'json' ? JSON.stringify(r, null, 2) + '\n' : inspectionTable(r), f.out);
    });
}
