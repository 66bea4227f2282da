/**
 * `tmemsim trace generate KIND`: a seeded synthetic trace as JSONL
 * (src/trace/generate.ts); `tmemsim trace generators`: the kinds and their
 * parameters.
 */

import type { Command } from 'commander';
import { DEFAULT_EVENTS, generateTrace } from '../trace/generate.js';
import { GENERATORS } from '../trace/generators/registry.js';
import { renderGeneratorList } from '../report/lists.js';
import { keyValueCollector, optionalIntFlag } from './options.js';

interface GenerateFlags {
  seed?: string;
  events?: string;
  param?: Record<string, string>;
  corpus?: string;
  out?: string;
}

const collectParam = keyValueCollector('--param', '--param apps=8');

export function registerTraceGenerate(trace: Command): void {
  trace
    .command('generate')
    .description(`write a seeded synthetic trace (JSONL): ${[...GENERATORS.keys()].join(', ')}`)
    .argument('<kind>', 'the workload to generate (see `tmemsim trace generators`)')
    .option('-s, --seed <n>', 'seed of the events and the page contents', '1')
    .option('-n, --events <n>', 'events to write', String(DEFAULT_EVENTS))
    .option('-p, --param <key=value>', 'a generator parameter (repeatable); see `tmemsim trace generators`', collectParam)
    .option('--corpus <file>', 'a page corpus: anonymous pages take their bytes from its pages')
    .option('-o, --out <file>', 'output file (default: standard output)')
    .action(async (kind: string, f: GenerateFlags) => {
      const r = await generateTrace(kind, f.out ?? '-', {
        seed: optionalIntFlag('--seed', f.seed), events: optionalIntFlag('--events', f.events), params: f.param, corpus: f.corpus,
      }, (s) => void process.stdout.write(s));
      if (f.out !== undefined && f.out !== '-') process.stderr.write(`${f.out}: ${r.events} events (${r.kind})\n`);
    });
  trace
    .command('generators')
    .description('list the trace generators and their parameters')
    .action(() => {
      process.stdout.write(renderGeneratorList());
    });
}
