/**
 * `-` as a file argument: standard input.
 *
 * A document (a run or sweep report, a baseline) is read in chunks with the
 * bounds src/errors.ts readDocumentText gives a file: more than
 * MAX_DOCUMENT_BYTES, or a NUL byte (which JSON never holds), is refused
 * with one line as soon as it is seen, never read whole.
 *
 * A trace is read more than once (a pass per profile and the baseline), so
 * standard input is copied, a chunk at a time, to a temporary file named
 * with the extension of its format (given by --input-format, else
 * recognised from the first chunk: TMTB magic, a JSONL header line, or a
 * JSON document); the file is removed when the process exits.
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MAX_DOCUMENT_BYTES, UsageError, cut, readJsonFile } from '../errors.js';
import { TRACE_FORMATS } from '../trace/formats/registry.js';
import { TMTB_MAGIC } from '../trace/formats/tmtb.js';

/** Reads standard input into `buf` (up to its length); returns the bytes read, 0 at the end. */
type StdinRead = (buf: Buffer) => number;

let reader: StdinRead = (buf) => fs.readSync(0, buf, 0, buf.length, null);

/** Replaces how standard input is read (tests give their bytes). Returns the previous reader. */
export function setStdinReader(r: StdinRead): StdinRead {
  const prev = reader;
  reader = r;
  return prev;
}

const CHUNK = 1 << 20;

/** The next bytes of standard input into `buf` (0 at its end), or a UsageError naming it. */
function readChunk(buf: Buffer, what: string): number {
  try {
    return reader(buf);
  } catch (e) {
    throw new UsageError(`cannot read ${what}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file: '-' });
  }
}

/** Standard input as a document's text, within MAX_DOCUMENT_BYTES and without a NUL byte. */
function readStdinDocument(max = MAX_DOCUMENT_BYTES): string {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const buf = Buffer.allocUnsafe(Math.min(CHUNK, max + 1 - total));
    const n = readChunk(buf, 'standard input');
    if (n === 0) break;
    if (buf.subarray(0, n).indexOf(0) >= 0) throw new UsageError('not JSON: it holds a NUL byte', { file: '-' });
    chunks.push(buf.subarray(0, n));
    total += n;
    if (total > max) throw new UsageError(`more than the ${max} bytes a document may have`, { file: '-' });
  }
  return Buffer.concat(chunks, total).toString('utf8');
}

/**
 * The extension of a trace whose first bytes are `b`, when no format is
 * given: TMTB magic, else the first line that is neither blank nor a comment
 * ('#' first, as `trace generate` writes): an object without `events` is a
 * JSONL header; anything else (an object with events, or a document that
 * does not end on that line) is JSON.
 */
function sniffExtension(b: Buffer): string {
  if (b.subarray(0, TMTB_MAGIC.length).toString('latin1') === TMTB_MAGIC) return '.tmtb';
  const first = b.toString('utf8').split('\n').find((l) => l.trim() !== '' && !l.trimStart().startsWith('#')) ?? '';
  try {
    const h = JSON.parse(first) as Record<string, unknown>;
    return h && typeof h === 'object' && 'events' in h ? '.json' : '.jsonl';
  } catch {
    return '.json';
  }
}

let tmpDir: string | null = null;

/** A new temporary file's name with extension `ext`, in a directory removed when the process exits. */
function tempName(ext: string): string {
  if (tmpDir === null) {
    tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tmemsim-stdin-'));
    const dir = tmpDir;
    process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  }
  return path.join(tmpDir, `stdin-${Date.now()}-${Math.random().toString(36).slice(2)}${ext}`);
}

/**
 * Standard input copied to a new temporary file, a chunk at a time; when
 * `ext` is a function it names the extension from the first chunk (read
 * until CHUNK bytes or the end: a pipe may give a header line in pieces).
 */
function copyStdin(ext: string | ((first: Buffer) => string)): string {
  const buf = Buffer.allocUnsafe(CHUNK);
  let n = 0;
  if (typeof ext === 'function') {
    for (let got = -1; got !== 0 && n < buf.length; n += got) got = readChunk(buf.subarray(n), 'standard input');
    ext = ext(buf.subarray(0, n));
  }
  const file = tempName(ext);
  const fd = fs.openSync(file, 'w');
  try {
    for (;;) {
      if (n > 0) fs.writeFileSync(fd, buf.subarray(0, n));
      n = readChunk(buf, 'standard input');
      if (n === 0) break;
    }
  } finally {
    fs.closeSync(fd);
  }
  return file;
}

/** `file` itself, or for `-` a temporary copy of standard input with its format's extension. */
export function traceArg(file: string, inputFormat?: string): string {
  if (file !== '-') return file;
  const fmt = inputFormat ? TRACE_FORMATS.get(inputFormat) : undefined;
  return copyStdin(fmt ? (fmt.extensions[0] ?? '') : sniffExtension);
}

/** `file` itself, or for `-` a temporary copy of standard input, its bytes as they are (a page corpus: nothing sniffed or parsed). */
export function stdinFileArg(file: string): string {
  return file === '-' ? copyStdin('') : file;
}

/** The JSON document in `file` (src/errors.ts readJsonFile), or on standard input for `-`, within the same bounds. */
export function readJsonArg(file: string): unknown {
  if (file !== '-') return readJsonFile(file);
  const text = readStdinDocument();
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`not JSON: ${cut((e as Error).message, 120)}`, { file: '-' });
  }
}
