/**
 * `tmemsim calibrate [--corpus FILE] [--pages N] [--compressors a,b] [--base NAME] [--seed N] [--out FILE]`:
 * time this host's codecs and write a profile file extending the base
 * profile with the fitted codec cycles (src/calibrate/).
 */

import type { Command } from 'commander';
import { renderCalibration } from '../report/calibration.js';
import { checkedCalibration } from '../calibrate/profile.js';
import { measureCodecs } from '../calibrate/measure.js';
import { calibrationPages } from '../calibrate/pages.js';
import { checkCompressor, compressorAvailable, compressorNames } from '../compressors/registry.js';
import { isProfilePath } from '../profiles/file.js';
import { getProfile, profileNames } from '../profiles/registry.js';
import { UsageError } from '../errors.js';
import { parseIntFlag, splitList } from './options.js';
import { writeOut } from './output.js';
import type { CodecFit } from '../calibrate/measure.js';
import { MAX_SPREAD, MIN_R2, fitQuality, stable } from '../calibrate/verdict.js';

interface Flags {
  corpus?: string;
  pages: string;
  compressors?: string;
  base: string;
  seed: string;
  out?: string;
  force?: boolean;
}


export function registerCalibrate(program: Command, setExit: (code: number) => void): void {
  program
    .command('calibrate')
    .description("measure this host's codecs on a corpus and write a profile file with fitted fixed + per-byte cycles")
    .option('--corpus <file>', 'a page corpus (raw 4 KiB pages); default: seeded generated text, code and heap pages')
    .option('--pages <n>', 'pages to time per size', '24')
    .option('--compressors <list>', `compressors to time, comma-separated (default: every installed one of ${compressorNames().join(', ')})`)
    .option('--base <profile>', 'the built-in profile the file extends; its clock converts ns to cycles', 'ssd-laptop')
    .option('--seed <n>', 'seed of the generated pages', '1')
    .option('-o, --out <file>', 'write the profile file here (default: stdout)')
    .option('--force', `write the profile even when a fit is poor (R² < ${MIN_R2} or a spread over the rounds > ${MAX_SPREAD * 100} %)`)
    .action((f: Flags) => {
      const n = parseIntFlag('--pages', f.pages, 1, 100_000);
      const seed = parseIntFlag('--seed', f.seed, 0, 2 ** 31 - 1);
      // Default: every compressor this install can create (lz4hc and lzo need their optional native packages).
      const comps = f.compressors ? splitList(f.compressors) : compressorNames().filter(compressorAvailable);
      for (const c of comps) checkCompressor(c, { field: '--compressors' });
      if (comps.length === 0) throw new UsageError('no compressor given', { field: '--compressors' }, compressorNames().join(', '));
      // A profile file extends a built-in profile (schema/profile.schema.json), so the base must be one.
      if (isProfilePath(f.base)) throw new UsageError(`'${f.base}' is a profile file; a calibrated profile extends a built-in profile`, { field: '--base' }, profileNames().join(', '));
      const base = getProfile(f.base, '--base');
      const { pages, what } = calibrationPages(n, f.corpus ?? null, seed);
      // Repeat until every codec's page time is stable over the last rounds (or MAX_ROUNDS).
      const rounds: CodecFit[][] = [];
      do rounds.push(measureCodecs({ pages, compressors: comps }));
      while (!stable(rounds));
      const fits = rounds[rounds.length - 1]!;
      const quality = fitQuality(rounds);
      const poor = quality.filter((q) => q.poor);
      const qualityLine = quality.map((q) => `${q.compressor} ${q.direction} R² ${q.r2.toFixed(4)} spread ${(q.spread * 100).toFixed(1)} %`).join('; ');
      if (poor.length > 0 && !f.force) {
        process.stderr.write(`tmemsim: calibrate: poor fit, no profile written: ${poor.map((x) => `${x.compressor} ${x.direction} (R² ${x.r2.toFixed(4)}, spread ${(x.spread * 100).toFixed(1)} %)`).join(', ')}; accepted: R² >= ${MIN_R2} and spread <= ${MAX_SPREAD * 100} % (a quieter machine, more --pages, or --force)\n`);
        setExit(1);
        return;
      }
      process.stderr.write(`tmemsim: calibrate: ${rounds.length} rounds; ${qualityLine}${poor.length > 0 ? ' (poor fits written: --force)' : ''}\n`);
      const doc = checkedCalibration({ fits, base, corpus: what, pages: pages.length, date: new Date().toISOString() });
      const text = JSON.stringify(doc, null, 2) + '\n';
      writeOut(text, f.out);
      if (f.out) {
        process.stdout.write(`calibrated on ${pages.length} pages (${what}), cycles at ${base.cpu.hz.value / 1e6} MHz (${base.name}); wrote ${f.out}\n${renderCalibration(fits, doc)}\n`);
      }
    });
}
