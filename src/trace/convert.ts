/**
 * Converting a trace of any readable format (tmemsim json/jsonl, or an
 * imported csv, txt, oracleGeneral, vscsi, pageref trace) to tmemsim's own
 * format, streaming: the header first, then one event per line.
 *
 *   await convertTrace('cloudPhysicsIO.vscsi', 'cp.jsonl');
 *   await convertTrace('t.csv', 't.json', { formatOptions: { 'obj-id-col': 5 }, outputFormat: 'json' });
 *
 * The output is written to a temporary file beside it and renamed into
 * place at the end, so a failed conversion leaves no partial output. A
 * ConvertSink instead of a path takes the output as it is made (the CLI's
 * standard output for "-"): the library itself writes no stream.
 */

import { resolve } from 'node:path';
import { openOutputFile } from '../report/output-file.js';
import { UsageError } from '../errors.js';
import { openTrace, traceFormatFor, type FormatOptions, type SyncTraceSource } from './reader.js';
import { TmtbEncoder } from './formats/tmtb.js';

type OutputFormat = 'jsonl' | 'json' | 'tmtb';
const OUTPUT_FORMATS: readonly OutputFormat[] = ['jsonl', 'json', 'tmtb'];

interface ConvertOptions {
  /** Input format name (default: by the input's extension). */
  format?: string;
  /** Options of an imported input format (see docs/importers.md). */
  formatOptions?: FormatOptions;
  /** Output form (default: json for a .json output, else jsonl). */
  outputFormat?: string;
}

interface ConvertResult {
  input: string;
  inputFormat: string;
  output: string;
  outputFormat: OutputFormat;
  events: number;
}

/** Bytes of text gathered before each write. */
const FLUSH_CHARS = 1 << 20;

/** The output form for `output` and an explicit choice. */
export function outputFormatFor(output: string, given?: string): OutputFormat {
  if (given !== undefined) {
    const f = OUTPUT_FORMATS.find((x) => x === given.toLowerCase());
    if (!f) throw new UsageError(`unknown output format '${given}'`, { field: '--output-format' }, OUTPUT_FORMATS.join(', '));
    return f;
  }
  return /\.json$/i.test(output) ? 'json' : /\.tmtb$/i.test(output) ? 'tmtb' : 'jsonl';
}

/** Where a conversion's output goes when it is not a file: the blocks in order, then commit or abort. */
export interface ConvertSink {
  write(s: string | Uint8Array): void | Promise<void>;
  /** True once the reader went away (standard output closed): stop converting. */
  readonly closed: boolean;
  /** Called when every byte is written. */
  commit(): void;
  /** Called on failure. */
  abort(): void;
}

function fileSink(output: string): ConvertSink {
  // A regular file is written to a temp file and renamed; a device or FIFO in place; a directory refused (output-file.ts).
  const f = openOutputFile(output, 'output');
  return {
    closed: false,
    async write(s) {
      f.write(s);
      // Let a signal's handler run between blocks (it removes the temp file and ends the process).
      await new Promise<void>((r) => setImmediate(r));
    },
    commit() {
      f.commit();
    },
    abort() {
      f.abort();
    },
  };
}

/**
 * Converts `input` to tmemsim format at `to`: a file path, or a sink that
 * takes the output (reported as output "-"; JSONL unless o.outputFormat says).
 */
export async function convertTrace(input: string, to: string | ConvertSink, o: ConvertOptions = {}): Promise<ConvertResult> {
  const output = typeof to === 'string' ? to : '-';
  if (typeof to === 'string' && to === '-') throw new Error('convertTrace: pass a ConvertSink to convert to standard output');
  const outputFormat = outputFormatFor(output, o.outputFormat);
  const inputFormat = traceFormatFor(input, { format: o.format }).name;
  if (output !== '-' && resolve(output) === resolve(input)) {
    throw new UsageError('the output is the input file', { file: output }, 'another output path');
  }
  const src = openTrace(input, { format: inputFormat, formatOptions: o.formatOptions });
  const sink = typeof to === 'string' ? fileSink(to) : to;
  let events = 0;
  try {
    if (outputFormat === 'tmtb') {
      events = await writeBinary(src, sink);
      sink.commit();
      return { input, inputFormat, output, outputFormat, events };
    }
    const h = JSON.stringify(src.header);
    let out = outputFormat === 'jsonl' ? `${h}\n` : `${h.slice(0, -1)},"events":[\n`;
    const sep = outputFormat === 'jsonl' ? '\n' : ',\n';
    for (const { event } of src.eventsSync()) {
      if (events > 0 && outputFormat === 'json') out += sep;
      out += JSON.stringify(event);
      if (outputFormat === 'jsonl') out += '\n';
      events++;
      if (out.length >= FLUSH_CHARS) {
        await sink.write(out);
        out = '';
        if (sink.closed) break;
      }
    }
    if (outputFormat === 'json') out += events > 0 ? '\n]}\n' : ']}\n';
    await sink.write(out);
    sink.commit();
  } catch (e) {
    sink.abort();
    throw e;
  }
  return { input, inputFormat, output, outputFormat, events };
}

/** The binary form (src/trace/formats/tmtb.ts): encoded blocks of about 1 MiB, then the end record. */
async function writeBinary(src: SyncTraceSource, sink: ConvertSink): Promise<number> {
  const blocks: Uint8Array[] = [];
  const enc = new TmtbEncoder(src.header, (b) => blocks.push(b));
  const drain = async (): Promise<void> => {
    for (const b of blocks.splice(0)) await sink.write(b);
  };
  for (const { event } of src.eventsSync()) {
    enc.write(event);
    if (blocks.length > 0) {
      await drain();
      if (sink.closed) return enc.count;
    }
  }
  enc.end();
  await drain();
  return enc.count;
}
