/**
 * The JSONL trace format (.jsonl, .ndjson): one JSON value per line.
 *
 * The first line that is neither blank nor a comment ('#' as its first
 * non-space character) is the header object { format, version, config,
 * content? }; every further such line is one event. Lines end in \n or
 * \r\n; the last line may lack its newline. The file's bytes are read in
 * 1 MiB chunks (chunk-reader.ts) and each line is parsed on its own: by the
 * flat fast path (flat-parse.ts) when it can be, or else by JSON.parse.
 * Memory therefore does not grow with the trace.
 */

import { UsageError } from '../../errors.js';
import type { TraceHeader } from '../events.js';
import { validateHeader } from '../validate.js';
import { flatEnd, flatNewlines, NOT_FLAT, parseFlat, Templates } from './flat-parse.js';
import { bomLength, ChunkReader, MAX_VALUE_BYTES } from './chunk-reader.js';
import { END, malformed, TextTraceSource, type Cursor, type SyncTraceSource } from './text-source.js';

/** slowLine(): a blank or comment line, or a refill; go on. */
const SKIP: unique symbol = Symbol('skip');

// duplicates: alike in shape to json.ts's JsonCursor (a Cursor over a ChunkReader, its fields): two formats, two
// scanners.
/** One pass over a JSONL trace. */
class JsonlCursor implements Cursor {
  readonly header: TraceHeader;
  line = 0;
  private readonly reader: ChunkReader;
  private pos = 0;
  /** End of the complete lines in the window (all of it at the end of the file). */
  private limit = 0;
  private nextLine = 1;
  /** Events returned so far (-1 before the header). */
  private count = -1;
  /** The spellings of this file's lines (flat-parse.ts). */
  private readonly templates = new Templates();

  constructor(readonly file: string) {
    this.reader = new ChunkReader(file);
    try {
      this.header = this.readHeader();
    } catch (e) {
      this.close();
      throw e;
    }
  }

  private readHeader(): TraceHeader {
    if (this.fill()) this.pos = bomLength(this.reader.buf, this.reader.end);
    const raw = this.next();
    if (raw === END) {
      throw new UsageError('empty trace: expected a header line { "format": "tmemsim-trace", "version": 1, "config": {...} }', {
        file: this.file,
      });
    }
    const where = { file: this.file, line: this.line };
    if (typeof raw === 'object' && raw !== null && Object.hasOwn(raw, 'events')) {
      throw new UsageError(
        'a JSONL trace has the header alone on its first line, and one event per following line ' +
          '(is this a JSON document? name it .json or pass --input-format json)',
        { ...where, field: 'events' },
      );
    }
    return validateHeader(raw, where);
  }

  next(): unknown {
    for (;;) {
      // Hot path: a flat object that fills its line.
      const b = this.reader.buf;
      const p = this.pos;
      if (p < this.limit && b[p] === 123) {
        const o = parseFlat(b, p, this.limit, this.templates);
        if (o !== NOT_FLAT && flatNewlines === 0) {
          let e = flatEnd;
          let c = b[e];
          while (c === 32 || c === 9 || c === 13) c = b[++e];
          if (c === 10 || e >= this.limit) {
            this.pos = c === 10 ? e + 1 : e;
            this.line = this.nextLine++;
            this.count++;
            return o;
          }
        }
      }
      const v = this.slowLine();
      if (v !== SKIP) return v;
    }
  }

  /** One line the hot path did not take (blank, comment, not flat), refilling first if needed. */
  private slowLine(): unknown {
    let start = this.pos;
    if (start >= this.limit) return this.fill() ? SKIP : END;
    const b = this.reader.buf;
    const nl = b.indexOf(10, start);
    let end: number;
    if (nl < 0 || nl >= this.limit) {
      end = this.limit;
      this.pos = end;
    } else {
      end = nl;
      this.pos = nl + 1;
    }
    const lineNo = this.nextLine++;
    if (end > start && b[end - 1] === 13) end--;
    const lineStart = start;
    let c = b[start];
    while ((c === 32 || c === 9) && ++start < end) c = b[start];
    if (start >= end || c === 35) return SKIP;
    this.line = lineNo;
    const text = this.reader.text(start, end);
    try {
      const v: unknown = JSON.parse(text);
      this.count++;
      return v;
    } catch (e) {
      const col = this.reader.text(lineStart, start).length + 1;
      if (this.count < 0) throw malformed(e, text, lineNo, col, 'malformed JSON in the header line', this.file);
      throw malformed(e, text, lineNo, col, 'malformed JSON', this.file, this.count);
    }
  }

  /** Moves the window on to the next run of whole lines; false at the end of the file. */
  private fill(): boolean {
    const r = this.reader;
    if (r.eof) return false;
    let keep = this.pos;
    for (;;) {
      const n = r.fill(keep, () => this.tooLong());
      keep = 0;
      this.pos = 0;
      this.limit = r.eof ? r.end : r.end === 0 ? 0 : r.buf.lastIndexOf(10, r.end - 1) + 1;
      if (this.limit > 0) return true;
      if (n === 0) return false;
    }
  }

  private tooLong(): UsageError {
    return new UsageError(`line longer than ${MAX_VALUE_BYTES} bytes: a newline is probably missing`, {
      file: this.file,
      line: this.nextLine,
    });
  }

  /** Bytes of the file read so far (for progress). */
  get bytesRead(): number {
    return this.reader.bytesRead;
  }

  close(): void {
    this.reader.close();
  }
}

/** Opens a JSONL trace: reads and validates the header; events stream on demand. */
export function openJsonl(path: string): SyncTraceSource {
  return new TextTraceSource(path, (p) => new JsonlCursor(p));
}
