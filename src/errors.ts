/**
 * Error kinds. A UsageError is bad input (a trace, a flag, a profile): the CLI
 * prints its one-line message and exits 2. An InvariantError is a failure of
 * the simulator's own checks: exit 1. Anything else is an internal bug.
 * A notice is neither: a one-off remark (a deprecated parameter value).
 */

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export interface Where {
  file?: string;
  line?: number;
  /** 0-based event index. */
  event?: number;
  field?: string;
}

/** Bad input: one line naming what, where, and what is accepted. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    readonly what: string,
    readonly where: Where = {},
    readonly accepted?: string,
  ) {
    super(oneLine(formatUsage(what, where, accepted)));
  }
}

/** Longest value echoed in an error (longer ones are cut, with an ellipsis). */
const ECHO_MAX = 80;

/**
 * A value from the input as an error echoes it: a string in JSON form
 * (quotes, escapes: a newline, NUL, escape code or carriage return never
 * reaches the terminal raw), cut to `max` characters; a number as JS spells
 * it (Infinity reads Infinity, not JSON's null); anything else as JSON, cut.
 */
export function quote(v: unknown, max = ECHO_MAX): string {
  let out = '';
  // Bounded: nesting past a few levels reads [...] / {...}, and the walk stops once `max` characters are out.
  const walk = (x: unknown, depth: number): void => {
    if (out.length > max) return;
    if (typeof x === 'string') out += JSON.stringify(x.length > max ? x.slice(0, max) : x);
    else if (x === null || typeof x !== 'object') out += String(x);
    else if (depth >= 8) out += Array.isArray(x) ? '[...]' : '{...}';
    else if (Array.isArray(x)) {
      out += '[';
      for (let i = 0; i < x.length && out.length <= max; i++) {
        if (i > 0) out += ',';
        walk(x[i], depth + 1);
      }
      out += ']';
    } else {
      out += '{';
      let first = true;
      for (const k of Object.keys(x)) {
        if (out.length > max) break;
        if (!first) out += ',';
        first = false;
        out += `${JSON.stringify(k.length > max ? k.slice(0, max) : k)}:`;
        walk((x as Record<string, unknown>)[k], depth + 1);
      }
      out += '}';
    }
  };
  walk(v, 0);
  return cut(out, max);
}

/** `s` cut to `max` characters, with an ellipsis. */
export function cut(s: string, max = ECHO_MAX): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** Control characters (C0, DEL, C1, line and paragraph separators) escaped: the message stays one line. */
export function oneLine(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    const code = c.charCodeAt(0);
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

function formatWhere(w: Where): string {
  const parts: string[] = [];
  if (w.file !== undefined) parts.push(w.line !== undefined ? `${w.file}:${w.line}` : w.file);
  else if (w.line !== undefined) parts.push(`line ${w.line}`);
  if (w.event !== undefined) parts.push(`event #${w.event}`);
  if (w.field !== undefined) parts.push(`field '${w.field}'`);
  return parts.join(', ');
}

function formatUsage(what: string, where: Where, accepted?: string): string {
  const w = formatWhere(where);
  let s = w ? `${w}: ${what}` : what;
  if (accepted) s += ` (accepted: ${accepted})`;
  return s;
}

/** The simulator's own invariants failed (stale or lost data, broken accounting). */
export class InvariantError extends Error {
  override readonly name = 'InvariantError';
}

/** Lists the keys of a registry as the "accepted" part of an error. */
export function acceptedList(names: Iterable<string>): string {
  return [...names].join(', ');
}

/** Largest document compare, merge, sweep --file and --profile FILE read (256 MiB). */
export const MAX_DOCUMENT_BYTES = 256 * 1024 * 1024;

/**
 * The text of a document file, read in chunks up to MAX_DOCUMENT_BYTES: a
 * larger file (or an endless one such as /dev/zero) is refused with one line
 * as soon as it is known, never read whole. A NUL byte, which JSON never
 * holds, ends the read at once as "not JSON".
 */
export function readDocumentText(file: string, accepted?: string, max = MAX_DOCUMENT_BYTES): string {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    throw new UsageError(`cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file }, accepted);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new UsageError('cannot read: it is a directory', { file }, accepted);
    if (st.isFile() && st.size > max) throw new UsageError(`file is ${st.size} bytes, more than the ${max} a document may have`, { file }, accepted);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(1 << 20, max + 1 - total));
      let n: number;
      try {
        n = readSync(fd, buf, 0, buf.length, null);
      } catch (e) {
        throw new UsageError(`cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file }, accepted);
      }
      if (n === 0) break;
      if (buf.subarray(0, n).indexOf(0) >= 0) throw new UsageError('not JSON: it holds a NUL byte', { file }, accepted);
      chunks.push(buf.subarray(0, n));
      total += n;
      if (total > max) throw new UsageError(`more than the ${max} bytes a document may have`, { file }, accepted);
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/**
 * The JSON document in `file`, or a UsageError naming the file: "cannot
 * read: ENOENT", "not JSON: ..." or too large (with `accepted`, what the
 * file should be).
 */
export function readJsonFile(file: string, accepted?: string): unknown {
  const text = readDocumentText(file, accepted);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`not JSON: ${cut((e as Error).message, 120)}`, { file }, accepted);
  }
}

/**
 * Where notices go. The library writes to no stream itself: the CLI points
 * this at stderr (main.ts); a library caller gets Node's process.emitWarning
 * (a 'warning' event on process) unless it sets its own.
 */
let noticeSink: (message: string) => void = (message) => process.emitWarning(message);

/** Sends later notices to `sink`; returns the sink it replaces. */
export function setNoticeSink(sink: (message: string) => void): (message: string) => void {
  const previous = noticeSink;
  noticeSink = sink;
  return previous;
}

/** A one-off remark for the user (not an error, never part of a report). */
export function notice(message: string): void {
  noticeSink(message);
}
