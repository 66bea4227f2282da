/**
 * Trace formats by name. Each format is one file in this folder; this map is
 * the only place that lists them (the --input-format choices, and the file
 * extensions openTrace() recognises).
 */

import { openJson } from './json.js';
import { openJsonl } from './jsonl.js';
import { openTmtb } from './tmtb.js';
import type { SyncTraceSource } from './text-source.js';
import { IMPORT_FORMATS, ImportedTraceSource, COMMON_OPTIONS } from './import/open.js';
import type { FormatOptions, OptionSpec } from './import/options.js';
import { BpftraceTraceSource, BPFTRACE_OPTIONS } from './bpftrace.js';

export type { SyncTraceSource } from './text-source.js';

export interface TraceFormat {
  readonly name: string;
  /** File name endings, with the dot, lower case: ".jsonl". */
  readonly extensions: readonly string[];
  readonly description: string;
  /** Format options it takes (--format-opt key=value); none for the tmemsim formats. */
  readonly options?: readonly OptionSpec[];
  /** Opens a trace: reads and validates its header; events stream on demand. */
  open(path: string, options?: FormatOptions): SyncTraceSource;
}

export const TRACE_FORMATS: ReadonlyMap<string, TraceFormat> = new Map<string, TraceFormat>([
  ['json', { name: 'json', extensions: ['.json'], description: 'one JSON document { header keys..., "events": [...] }', open: openJson }],
  ['jsonl', { name: 'jsonl', extensions: ['.jsonl', '.ndjson'], description: 'header on line 1, one event per line', open: openJsonl }],
  ['tmtb', { name: 'tmtb', extensions: ['.tmtb'], description: 'tmemsim binary trace: the same header and events, packed (docs/trace-format.md)', open: openTmtb }],
  // Importers of foreign traces (docs/importers.md): each request becomes page-cache reads/writes.
  ...[...IMPORT_FORMATS.values()].map((f): [string, TraceFormat] => [f.name, {
    name: f.name,
    extensions: f.extensions,
    description: f.description,
    options: [...COMMON_OPTIONS, ...f.options],
    open: (path: string, options?: FormatOptions) => new ImportedTraceSource(path, f, options),
  }]),
  ['bpftrace', { name: 'bpftrace', extensions: ['.bpftrace', '.bpftrace.gz'], description: 'kernel capture by scripts/tmemsim-capture.bt (docs/capture.md): swap-outs/ins and page-cache adds/deletes as frontswap and cleancache calls', options: BPFTRACE_OPTIONS, open: (path: string, options?: FormatOptions) => new BpftraceTraceSource(path, options) }],
]);

/** The format a file name's extension names, if any. */
export function formatForPath(path: string): TraceFormat | undefined {
  const lower = path.toLowerCase();
  for (const f of TRACE_FORMATS.values()) {
    if (f.extensions.some((ext) => lower.endsWith(ext))) return f;
  }
  return undefined;
}

/** "json (.json), jsonl (.jsonl, .ndjson)" for error messages. */
export function acceptedFormats(): string {
  return [...TRACE_FORMATS.values()].map((f) => `${f.name} (${f.extensions.join(', ')})`).join(', ');
}
