/**
 * `tmemsim corpus capture|from-files|stats`: make page corpora from a live
 * process or from files, and measure them (src/content/corpus-tools.ts).
 */

import type { Command } from 'commander';
import Table from 'cli-table3';
import { TABLE_STYLE } from '../report/table.js';
import { BUCKET, captureProcess, corpusFromFiles, corpusStats, type CorpusStats } from '../content/corpus-tools.js';
import { UsageError } from '../errors.js';
import { optionalIntFlag, parseIntFlag, splitList } from './options.js';
import { writeOut } from './output.js';
import { stdinFileArg } from './stdio.js';


/** The stats as a table: the page counts, then one row per compressor with its histogram. */
export function statsTable(s: CorpusStats): string {
  const lines = [`${s.corpus}: ${s.pages} pages, ${s.zero} zero, ${s.same_filled} same-filled (non-zero)`];
  const t = new Table({ head: ['compressor', 'ratio', 'compressed bytes', 'incompressible'], style: TABLE_STYLE });
  for (const c of s.compressors) t.push([c.name, c.ratio.toFixed(4), String(c.bytes), String(c.incompressible)]);
  lines.push(t.toString());
  const last = s.compressors[0]?.histogram.length ?? 0;
  const head = ['bytes', ...s.compressors.map((c) => c.name)];
  const h = new Table({ head, style: TABLE_STYLE });
  for (let i = 0; i < last; i++) {
    const label = i === last - 1 ? `${i * BUCKET}+` : `${i * BUCKET}-${(i + 1) * BUCKET - 1}`;
    h.push([label, ...s.compressors.map((c) => String(c.histogram[i]))]);
  }
  lines.push('compressed size histogram (pages):', h.toString());
  return lines.join('\n') + '\n';
}

export function registerCorpus(program: Command): void {
  const corpus = program.command('corpus').description('page corpora (raw 4 KiB pages) that traces sample with {"corpus": i}: capture, make from files, measure');
  corpus
    .command('capture')
    .description('read a live process\'s private anonymous memory (/proc/PID/maps, /proc/PID/mem) into a corpus')
    .requiredOption('--pid <n>', 'the process')
    .option('-o, --out <file>', 'corpus file', 'corpus.pages')
    .option('--max-pages <n>', 'stop after this many pages')
    .action((f: { pid: string; out: string; maxPages?: string }) => {
      const r = captureProcess(parseIntFlag('--pid', f.pid, 1), f.out, optionalIntFlag('--max-pages', f.maxPages, 1) ?? Infinity);
      process.stdout.write(`${f.out}: ${r.pages} pages from pid ${r.pid} (${r.comm}), ${r.regions.length} mappings, ${r.skipped} unreadable pages skipped\n`);
    });
  corpus
    .command('from-files')
    .description('cut files into 4 KiB pages (each file\'s last page zero-padded) into a corpus')
    .argument('<paths...>', 'input files')
    .requiredOption('-o, --out <file>', 'corpus file')
    .action((paths: string[], f: { out: string }) => {
      const r = corpusFromFiles(paths, f.out);
      process.stdout.write(`${f.out}: ${r.pages} pages from ${r.files.length} files\n`);
    });
  corpus
    .command('stats')
    .description('zero and same-filled pages, and per compressor the compressed-size histogram and ratio')
    .argument('<corpus>', 'corpus file')
    .option('-f, --format <fmt>', 'table or json', 'table')
    .option('-c, --compressor <names>', 'comma-separated compressors (default: every installed one)')
    .option('-o, --out <file>', 'write the report here instead of standard output')
    .action((path: string, f: { format: string; compressor?: string; out?: string }) => {
      if (f.format !== 'table' && f.format !== 'json') throw new UsageError(`unknown format '${f.format}'`, { field: '--format' }, 'table, json');
      const names = f.compressor === undefined ? undefined : splitList(f.compressor);
      const s = corpusStats(stdinFileArg(path), names);
      // Standard input is read from a temporary copy; the report names it as given.
      if (path === '-') s.corpus = '-';
      const text = f.format === 'json' ? JSON.stringify(s, null, 1) + '\n' : statsTable(s);
      writeOut(text, f.out);
    });
}
