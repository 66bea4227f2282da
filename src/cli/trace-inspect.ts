/** `tmemsim trace inspect TRACE`: events by kind, unique pages, time span, reuse distances (src/trace/inspect.ts). */

import type { Command } from 'commander';
import Table from 'cli-table3';
import { TABLE_STYLE } from '../report/table.js';
import { UsageError, quote } from '../errors.js';
import { inspectTrace, type CacheSize, type TraceInspection } from '../trace/inspect.js';
import { TRACE_FORMATS } from '../trace/formats/registry.js';
import { collectFormatOption } from '../trace/formats/import/options.js';
import type { FormatOptions } from '../trace/reader.js';
import { writeOut } from './output.js';
import { traceArg } from './stdio.js';

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
  if (r.mrc !== undefined) {
    const mrc = new Table({ head: ['LRU size', 'pages', 'hits', 'misses', 'miss ratio'], style: TABLE_STYLE, colAligns: ['left', 'right', 'right', 'right', 'right'] });
    for (const m of r.mrc) mrc.push([m.size, num(m.pages), num(m.hits), num(m.misses), m.miss_ratio === null ? 'n/a' : pct(m.miss_ratio)]);
    out.push(`exact LRU miss ratios (cold misses included) at the sizes asked, footprint ${num(u.total)} pages:`);
    out.push(mrc.toString());
  }
  return out.join('\n') + '\n';
}

const SIZES_ACCEPTED = 'comma-separated cache sizes: pages (an integer >= 1) or a share of the footprint (e.g. 10%), e.g. 1000,4000,16000,25%';

/** `--sizes 1000,4000,25%`: pages, or percentages of the footprint (0 < p <= 100). */
export function parseSizes(v: string): CacheSize[] {
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
      writeOut(f.format === 'json' ? JSON.stringify(r, null, 2) + '\n' : inspectionTable(r), f.out);
    });
}
