/**
 * `-` as a file argument: standard input. A trace is read more than once (a
 * pass per profile and the baseline), so standard input is first copied to
 * a temporary file, named with the extension of its format (given by
 * --input-format, else recognised: TMTB magic, a JSONL header line, or a
 * JSON document); the file is removed when the process exits.
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { UsageError } from '../sim/errors.js';
import { TRACE_FORMATS } from '../trace/formats/registry.js';

let reader: () => Buffer = () => fs.readFileSync(0);

/** Replaces how standard input is read (tests give their bytes). Returns the previous reader. */
export function setStdinReader(r: () => Buffer): () => Buffer {
  const prev = reader;
  reader = r;
  return prev;
}

/** All of standard input, or a UsageError naming it. */
export function readStdin(what = 'standard input'): Buffer {
  try {
    return reader();
  } catch (e) {
    throw new UsageError(`cannot read ${what}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file: '-' });
  }
}

/** The extension of a trace's bytes when no format is given. */
function sniffExtension(b: Buffer): string {
  if (b.subarray(0, 4).toString('latin1') === 'TMTB') return '.tmtb';
  const nl = b.indexOf(10);
  const first = b.subarray(0, nl < 0 ? b.length : nl).toString('utf8');
  try {
    const h = JSON.parse(first) as Record<string, unknown>;
    return h && typeof h === 'object' && 'events' in h ? '.json' : '.jsonl';
  } catch {
    return '.json';
  }
}

let tmpDir: string | null = null;

/** `file` itself, or for `-` a temporary copy of standard input with its format's extension. */
export function traceArg(file: string, inputFormat?: string): string {
  if (file !== '-') return file;
  const bytes = readStdin();
  const fmt = inputFormat ? TRACE_FORMATS.get(inputFormat) : undefined;
  const ext = fmt ? (fmt.extensions[0] ?? '') : sniffExtension(bytes);
  if (tmpDir === null) {
    tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tmemsim-stdin-'));
    const dir = tmpDir;
    process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  }
  const f = path.join(tmpDir, `stdin-${Date.now()}-${Math.random().toString(36).slice(2)}${ext}`);
  fs.writeFileSync(f, bytes);
  return f;
}

/** The JSON document in `file`, or on standard input for `-`. */
export function readJsonArg(file: string, readFile: (f: string) => unknown): unknown {
  if (file !== '-') return readFile(file);
  const text = readStdin().toString('utf8');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`not JSON: ${(e as Error).message}`, { file: '-' });
  }
}
