/**
 * Opening a trace file: the format is chosen by name (--input-format) or by
 * the file's extension; the header is read and validated at once, events
 * stream (and are validated) as they are iterated.
 */

import { UsageError } from '../errors.js';
import type { TraceHeader } from './events.js';
import { acceptedFormats, formatForPath, TRACE_FORMATS, type SyncTraceSource, type TraceFormat } from './formats/registry.js';
import type { FormatOptions } from './formats/import/options.js';

export type { SyncTraceSource } from './formats/registry.js';
export type { FormatOptions } from './formats/import/options.js';

export interface OpenTraceOptions {
  /** A format name from TRACE_FORMATS ("json", "jsonl", "csv", "txt", "oracleGeneral", "vscsi", "pageref"); default: by extension. */
  format?: string;
  /** Options of an imported format (--format-opt key=value), e.g. { 'page-size': 4096 }; see docs/importers.md. */
  formatOptions?: FormatOptions;
}

/** The format to read `path` with, or a UsageError listing the accepted ones. */
export function traceFormatFor(path: string, opts: OpenTraceOptions = {}): TraceFormat {
  if (opts.format !== undefined) {
    const f = TRACE_FORMATS.get(opts.format);
    if (!f) throw new UsageError(`unknown input format '${opts.format}'`, {}, [...TRACE_FORMATS.keys()].join(', '));
    return f;
  }
  const f = formatForPath(path);
  if (!f) {
    const ext = /\.[^./\\]+$/.exec(path)?.[0];
    throw new UsageError(
      ext
        ? `unknown trace file extension '${ext}'; name the format with --input-format`
        : 'trace file name has no extension; name the format with --input-format',
      { file: path },
      acceptedFormats(),
    );
  }
  return f;
}

/**
 * Opens a trace. Throws UsageError for an unknown format, an unreadable file
 * (`cannot read trace: ENOENT ...`) or a bad header; event errors are thrown
 * while iterating.
 */
export function openTrace(path: string, opts: OpenTraceOptions = {}): SyncTraceSource {
  const f = traceFormatFor(path, opts);
  const given = opts.formatOptions && Object.keys(opts.formatOptions).length > 0 ? opts.formatOptions : undefined;
  if (given && !f.options) {
    throw new UsageError(`input format ${f.name} takes no format options (got ${Object.keys(given).join(', ')})`, { field: '--format-opt' },
      [...TRACE_FORMATS.values()].filter((x) => x.options).map((x) => x.name).join(', '));
  }
  return given ? f.open(path, given) : f.open(path);
}

/** Reads and validates a trace's header only. */
export function readTraceHeader(path: string, opts: OpenTraceOptions = {}): TraceHeader {
  return openTrace(path, opts).header;
}
