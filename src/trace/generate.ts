/**
 * generateTrace(): a seeded synthetic trace (src/trace/generators/) written
 * as JSONL trace v1, streaming: a comment line with the command that makes
 * the same file, the header, then one event per line. Same kind, seed,
 * event count, parameters and corpus → the same bytes.
 */

import { createWriteStream, type WriteStream } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { Corpus } from '../content/corpus.js';
import { Rng, mixSeed } from '../content/rng.js';
import { UsageError, acceptedList } from '../errors.js';
import type { TraceHeader } from './events.js';
import { GENERATORS } from './generators/registry.js';
import type { GeneratorParams, TraceGenerator } from './generators/generator.js';
import { validateHeader, validateEvent } from './validate.js';

interface GenerateOptions {
  /** The seed of the events and of the page contents (header config.seed); default 1. */
  seed?: number;
  /** Events to write; default 20000. */
  events?: number;
  /** Generator parameters, name → value (strings from the command line are parsed). */
  params?: Readonly<Record<string, string | number>>;
  /** A corpus file: anonymous pages take their bytes from its pages. */
  corpus?: string;
}

interface GenerateResult {
  kind: string;
  events: number;
  header: TraceHeader;
  /** The command line that writes the same file. */
  command: string;
}

export const DEFAULT_EVENTS = 20000;
const MAX_EVENTS = 2 ** 40;

/** The generator named `kind`, or a UsageError listing them. */
function getGenerator(kind: string): TraceGenerator {
  const g = GENERATORS.get(kind);
  if (g === undefined) throw new UsageError(`unknown trace generator '${kind}'`, { field: 'KIND' }, acceptedList(GENERATORS.keys()));
  return g;
}

/** Every declared parameter, given or default, checked against its range. */
export function resolveParams(g: TraceGenerator, given: Readonly<Record<string, string | number>> = {}): GeneratorParams {
  const out: Record<string, number> = {};
  const names = g.params.map((p) => p.name);
  for (const k of Object.keys(given)) {
    if (!names.includes(k)) throw new UsageError(`unknown parameter '${k}' for generator ${g.name}`, { field: '--param' }, acceptedList(names));
  }
  for (const p of g.params) {
    const raw = given[p.name];
    if (raw === undefined) {
      out[p.name] = p.default;
      continue;
    }
    const text = String(raw).trim();
    const v = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text) ? Number(text) : NaN;
    const accepted = `${p.integer ? 'an integer' : 'a number'} ${p.min}..${p.max}`;
    if (!Number.isFinite(v) || (p.integer && !Number.isInteger(v)) || v < p.min || v > p.max) {
      throw new UsageError(`generator ${g.name}: '${String(raw)}' is not valid`, { field: p.name }, accepted);
    }
    out[p.name] = v;
  }
  return out;
}

/**
 * The header and events of a generated trace, as a stream of JSONL lines
 * (each without its newline). The corpus path is written as given.
 */
export function* generateLines(kind: string, o: GenerateOptions & { corpusPath?: string; corpusPages?: number } = {}): Generator<string, void, undefined> {
  const g = getGenerator(kind);
  const seed = o.seed ?? 1;
  if (!Number.isSafeInteger(seed) || seed < 0) throw new UsageError(`seed ${seed} is not a non-negative integer`, { field: '--seed' });
  const n = o.events ?? DEFAULT_EVENTS;
  if (!Number.isSafeInteger(n) || n < 0 || n > MAX_EVENTS) throw new UsageError(`event count ${n} is out of range`, { field: '--events' }, `an integer 0..${MAX_EVENTS}`);
  const p = resolveParams(g, o.params);
  const h = g.header(p);
  const header = { format: 'tmemsim-trace', version: 1, config: { ...h.config, seed }, content: { ...h.content } } as TraceHeader;
  if (o.corpusPath !== undefined) header.content!.corpus = o.corpusPath;
  validateHeader(header, { file: `generator ${kind}` });
  yield JSON.stringify(header);
  const rng = new Rng(mixSeed(seed, 0x6e6e));
  const it = g.events(p, rng, { corpusPages: o.corpusPages ?? 0 });
  const loc = { file: `generator ${kind}`, line: 0, index: 0 };
  for (let i = 0; i < n; i++) {
    const r = it.next();
    if (r.done === true) break;
    loc.index = i;
    loc.line = i + 3;
    validateEvent(r.value, loc);
    yield JSON.stringify(r.value);
  }
}

/** The command line that writes this trace (for the file's first line and workload descriptions). */
function generateCommand(kind: string, o: GenerateOptions, out?: string): string {
  const parts = ['tmemsim trace generate', kind, `--seed ${o.seed ?? 1}`, `--events ${o.events ?? DEFAULT_EVENTS}`];
  for (const [k, v] of Object.entries(o.params ?? {})) parts.push(`--param ${k}=${String(v)}`);
  if (o.corpus !== undefined) parts.push(`--corpus ${o.corpus}`);
  if (out !== undefined) parts.push(`--out ${out}`);
  return parts.join(' ');
}

/**
 * Writes a generated trace to `out` ('-' or undefined: `write` is called
 * with each chunk instead, e.g. the CLI's standard output; the library
 * itself writes no stream).
 */
export async function generateTrace(kind: string, out: string | undefined, o: GenerateOptions = {},
  write?: (chunk: string) => void): Promise<GenerateResult> {
  getGenerator(kind);
  let corpusPath: string | undefined;
  let corpusPages = 0;
  if (o.corpus !== undefined) {
    const c = Corpus.open(o.corpus);
    corpusPages = c.pages;
    c.close();
    // content.corpus is relative to the trace file.
    corpusPath = out === undefined || out === '-' ? o.corpus : relative(dirname(resolve(out)), resolve(o.corpus)).split(sep).join('/');
  }
  const command = generateCommand(kind, o, out === '-' ? undefined : out);
  const lines = generateLines(kind, { ...o, corpusPath, corpusPages });
  let stream: WriteStream | null = null;
  const toSink = out === undefined || out === '-';
  if (toSink && write === undefined) throw new Error("generateTrace: pass a write function to generate to standard output ('-')");
  const sink = toSink ? write! : null;
  let count = -1;
  let header: TraceHeader | undefined;
  let buf = `# ${command}\n`;
  const flushAt = 1 << 16;
  const put = async (s: string): Promise<void> => {
    if (sink !== null) return sink(s);
    if (stream === null) {
      stream = createWriteStream(out!);
      await new Promise<void>((res, rej) => {
        stream!.once('open', () => res());
        stream!.once('error', (e) => rej(new UsageError(`cannot write '${out}': ${e.message}`, { field: '--out' })));
      });
    }
    if (!stream.write(s)) await new Promise<void>((res) => stream!.once('drain', () => res()));
  };
  for (const line of lines) {
    if (count < 0) header = JSON.parse(line) as TraceHeader;
    count++;
    buf += line + '\n';
    if (buf.length >= flushAt) {
      await put(buf);
      buf = '';
    }
  }
  await put(buf);
  if (stream !== null) {
    const s: WriteStream = stream;
    await new Promise<void>((res, rej) => s.end((e?: Error | null) => (e ? rej(e) : res())));
  }
  return { kind, events: count, header: header!, command };
}
