/**
 * Opening a trace file: the format is chosen by name (--input-format) or by
 * the file's extension; the header is read and validated at once, events
 * stream (and are validated) as they are iterated.
 */

import { UsageError } from '../sim/errors.js';
import type { TraceHeader } from './events.js';
import { acceptedFormats, formatForPath, TRACE_FORMATS, type SyncTraceSource, type TraceFormat } from './formats/registry.js';

export type { SyncTraceSource } from './formats/registry.js';

export interface OpenTraceOptions {
  /** A format name from TRACE_FORMATS ("json", "jsonl"); default: by extension. */
  format?: string;
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
  return traceFormatFor(path, opts).open(path);
}

/** Reads and validates a trace's header only. */
export function readTraceHeader(path: string, opts: OpenTraceOptions = {}): TraceHeader {
  return openTrace(path, opts).header;
}
