/**
 * `tmemsim corpus capture|from-files|stats`: make page corpora from a live
 * process or from files, and measure them (src/content/corpus-tools.ts).
 */

import type { Command } from 'commander';
import { renderCorpusStats } from '../report/corpus.js';
import { captureProcess, corpusFromFiles, corpusStats } from '../content/corpus-tools.js';
import { UsageError } from '../errors.js';
import { optionalIntFlag, parseIntFlag, splitList } from './options.js';
import { writeOut } from './output.js';
import { stdinFileArg } from './stdio.js';

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
      const text = f.format === 'json' ? JSON.stringify(s, null, 1) + '\n' : renderCorpusStats(s);
      writeOut(text, f.out);
    });
}
