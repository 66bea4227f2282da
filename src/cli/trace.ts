/**
 * `tmemsim trace convert IN OUT`: any readable trace (tmemsim json/jsonl,
 * or a foreign csv, txt, oracleGeneral, vscsi, pageref trace) to tmemsim's
 * format, streaming. `tmemsim trace formats`: the input formats and their
 * options. The work is in src/trace/convert.ts.
 */

import { once } from 'node:events';
import type { Command } from 'commander';
import { convertTrace, type ConvertSink } from '../trace/convert.js';
import { TRACE_FORMATS } from '../trace/formats/registry.js';
import { collectFormatOption } from '../trace/formats/import/options.js';
import { renderTraceFormatList } from '../report/lists.js';
import { registerTraceGenerate } from './trace-generate.js';
import { registerInspect } from './trace-inspect.js';
import { traceArg } from './stdio.js';

export { collectFormatOption } from '../trace/formats/import/options.js';

/** The help text of a `--format-opt` flag (for `run` too). */
export const FORMAT_OPT_HELP = 'option of an imported input format, key=value (repeatable, or comma-separated); see `tmemsim trace formats`';

interface ConvertFlags {
  inputFormat?: string;
  formatOpt?: Record<string, string>;
  outputFormat?: string;
}

/** Standard output; a reader that goes away (EPIPE, as with `| head`) ends the conversion quietly. */
function stdoutSink(): ConvertSink {
  const out = process.stdout;
  const sink = {
    closed: false,
    async write(s: string | Uint8Array) {
      if (sink.closed) return;
      try {
        if (!out.write(s)) await once(out, 'drain');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EPIPE') throw e;
        sink.closed = true;
      }
    },
    commit() {
      out.off('error', onError);
    },
    abort() {
      out.off('error', onError);
    },
  };
  const onError = (e: NodeJS.ErrnoException): void => {
    if (e.code === 'EPIPE') sink.closed = true;
  };
  out.on('error', onError);
  return sink;
}


export function registerTrace(program: Command): void {
  const trace = program
    .command('trace')
    .description('trace files: convert between formats (json, jsonl, tmtb; import csv, txt, oracleGeneral, vscsi, pageref, bpftrace), inspect, generate workloads, list the formats and generators');
  trace
    .command('convert')
    .description('convert a trace to tmemsim format (JSONL by default, or JSON, or the binary .tmtb), streaming')
    .argument('<in>', 'input trace (- for standard input)')
    .argument('<out>', 'output file (.jsonl; .json for the document form; .tmtb for the binary form; - for standard output)')
    .option('--input-format <fmt>', `input format, if the extension does not say it: ${[...TRACE_FORMATS.keys()].join(', ')}`)
    .option('--format-opt <key=value>', FORMAT_OPT_HELP, collectFormatOption)
    .option('--output-format <fmt>', 'jsonl, json or tmtb (default: by the output\'s extension .json / .tmtb, else jsonl)')
    .action(async (input: string, output: string, f: ConvertFlags) => {
      const r = await convertTrace(traceArg(input, f.inputFormat), output === '-' ? stdoutSink() : output, { format: f.inputFormat, formatOptions: f.formatOpt, outputFormat: f.outputFormat });
      if (output !== '-') process.stdout.write(`${r.input} (${r.inputFormat}) -> ${r.output} (${r.outputFormat}): ${r.events} events\n`);
    });
  trace
    .command('formats')
    .description('list the input formats, their file extensions and options')
    .action(() => {
      process.stdout.write(renderTraceFormatList());
    });
  registerTraceGenerate(trace);
  registerInspect(trace);
}
