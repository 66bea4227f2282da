/**
 * `tmemsim calibrate [--corpus FILE] [--pages N] [--compressors a,b] [--base NAME|FILE] [--seed N] [--out FILE]`:
 * time this host's codecs and write a profile file extending the base
 * profile with the fitted codec cycles (src/calibrate/).
 */

import * as fs from 'node:fs';
import type { Command } from 'commander';
import Table from 'cli-table3';
import { checkedCalibration } from '../calibrate/profile.js';
import { measureCodecs } from '../calibrate/measure.js';
import { calibrationPages } from '../calibrate/pages.js';
import { compressorNames } from '../compressors/registry.js';
import { resolveProfile } from '../profiles/file.js';
import { UsageError } from '../sim/errors.js';
import { parseIntFlag, splitList } from './options.js';

interface Flags {
  corpus?: string;
  pages: string;
  compressors?: string;
  base: string;
  seed: string;
  out?: string;
}

const STYLE = { head: [] as string[], border: [] as string[], compact: true };

export function registerCalibrate(program: Command): void {
  program
    .command('calibrate')
    .description("measure this host's codecs on a corpus and write a profile file with fitted fixed + per-byte cycles")
    .option('--corpus <file>', 'a page corpus (raw 4 KiB pages); default: seeded generated text, code and heap pages')
    .option('--pages <n>', 'pages to time per size', '24')
    .option('--compressors <list>', `compressors to time, comma-separated (default: all: ${compressorNames().join(', ')})`)
    .option('--base <profile>', 'the profile the file extends; its clock converts ns to cycles', 'ssd-laptop')
    .option('--seed <n>', 'seed of the generated pages', '1')
    .option('-o, --out <file>', 'write the profile file here (default: stdout)')
    .action((f: Flags) => {
      const n = parseIntFlag('--pages', f.pages, 1, 100_000);
      const seed = parseIntFlag('--seed', f.seed, 0, 2 ** 31 - 1);
      const comps = f.compressors ? splitList(f.compressors) : compressorNames();
      for (const c of comps) if (!compressorNames().includes(c)) throw new UsageError(`unknown compressor '${c}'`, { field: '--compressors' }, compressorNames().join(', '));
      if (comps.length === 0) throw new UsageError('no compressor given', { field: '--compressors' }, compressorNames().join(', '));
      const base = resolveProfile(f.base);
      const { pages, what } = calibrationPages(n, f.corpus ?? null, seed);
      const fits = measureCodecs({ pages, compressors: comps });
      const doc = checkedCalibration({ fits, base, corpus: what, pages: pages.length, date: new Date().toISOString() });
      const text = JSON.stringify(doc, null, 2) + '\n';
      if (f.out) {
        fs.writeFileSync(f.out, text);
        const t = new Table({ head: ['compressor', 'compress cycles', 'R²', 'decompress cycles', 'R²'], style: STYLE });
        for (const x of fits) {
          const hz = base.cpu.hz.value / 1e9;
          t.push([x.compressor, `${(x.compress.fixed * hz).toFixed(0)} + ${(x.compress.perByte * hz).toFixed(3)}/B`, x.compress.r2.toFixed(4),
            `${(x.decompress.fixed * hz).toFixed(0)} + ${(x.decompress.perByte * hz).toFixed(3)}/B`, x.decompress.r2.toFixed(4)]);
        }
        process.stdout.write(`calibrated on ${pages.length} pages (${what}), cycles at ${base.cpu.hz.value / 1e6} MHz (${base.name}); wrote ${f.out}\n${t.toString()}\n`);
      } else process.stdout.write(text);
    });
}
