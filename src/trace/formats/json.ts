/**
 * The JSON document trace format (.json), read as a stream.
 *
 *   { "format": "tmemsim-trace", "version": 1, "config": {...}, "content": {...},
 *     "events": [ {...}, {...}, ... ] }
 *
 * The file's bytes are read in 1 MiB chunks (chunk-reader.ts). The keys of
 * the top-level object are scanned one by one. A header value is cut out by
 * bracket depth and JSON.parse'd on its own. Inside "events" each element
 * is parsed alone: by the flat fast path (flat-parse.ts) when it can be, or
 * else cut out by bracket depth (strings and their escapes are skipped, so
 * brackets in strings do not count) and JSON.parse'd. Memory therefore does
 * not grow with the number of events. Newlines are counted on the way, so
 * every event knows the line it starts on.
 *
 * Rule: the header keys (format, version, config and, if present, content)
 * come BEFORE "events", so the header is known before events stream. A
 * document with "events" first is rejected with that fix named; a key after
 * the events array is rejected when it is reached.
 */

import { UsageError } from '../../errors.js';
import type { TraceHeader } from '../events.js';
import { validateHeader } from '../validate.js';
import { flatEnd, flatNewlines, NOT_FLAT, parseFlat, Templates } from './flat-parse.js';
import { bomLength, ChunkReader, MAX_VALUE_BYTES } from './chunk-reader.js';
import { END, malformed, TextTraceSource, type Cursor, type SyncTraceSource } from './text-source.js';

const enum St {
  Open,
  Key,
  Colon,
  Value,
  AfterValue,
  EvFirst,
  EvNext,
  EvAfter,
  End,
  Done,
}

const HEADER_KEYS = ['format', 'version', 'config'] as const;

// duplicates: alike in shape to jsonl.ts's JsonlCursor (a Cursor over a ChunkReader, its fields): two formats, two
// scanners.
/** One pass over a JSON document trace. */
class JsonCursor implements Cursor {
  readonly header: TraceHeader;
  /** Line the last returned event starts on. */
  line = 0;
  private readonly reader: ChunkReader;
  /** Scan position in the reader's window. */
  private pos = 0;
  /** Line of buf[pos]. */
  private curLine = 1;
  /** Newlines inside the value the last scanValue() found. */
  private scanNl = 0;
  /** Whether the window still starts at the start of the file. */
  private windowAtStart = true;
  /** The spellings of this file's events (flat-parse.ts). */
  private readonly templates = new Templates();
  private st = St.Open;
  private firstKey = true;
  private key = '';
  private readonly values: Record<string, unknown> = {};
  private readonly keyLines: Record<string, number> = {};
  private eventsSeen = false;
  private eventsDone = false;
  /** Events returned so far. */
  private count = 0;

  constructor(readonly file: string) {
    this.reader = new ChunkReader(file);
    try {
      this.reader.fill(0, () => this.tooLong());
      this.pos = bomLength(this.reader.buf, this.reader.end);
      this.header = this.readHeader();
    } catch (e) {
      this.close();
      throw e;
    }
  }

  private readHeader(): TraceHeader {
    this.top();
    return validateHeader({ ...this.values }, { file: this.file, line: 1 }, this.keyLines);
  }

  next(): unknown {
    // Hot path: after an event, `,` then a flat event object within this chunk.
    if (this.st === St.EvAfter) {
      const b = this.reader.buf;
      let p = this.pos;
      let line = this.curLine;
      let c = b[p];
      while (c === 10 || c === 32 || c === 13 || c === 9) {
        if (c === 10) line++;
        c = b[++p];
      }
      if (c === 44) {
        c = b[++p];
        while (c === 10 || c === 32 || c === 13 || c === 9) {
          if (c === 10) line++;
          c = b[++p];
        }
        if (c === 123) {
          const o = parseFlat(b, p, this.reader.end, this.templates);
          if (o !== NOT_FLAT) {
            this.line = line;
            this.curLine = line + flatNewlines;
            this.pos = flatEnd;
            this.count++;
            return o;
          }
        }
      }
    }
    return this.nextSlow();
  }

  private nextSlow(): unknown {
    for (;;) {
      const st = this.st;
      if (st === St.EvFirst || st === St.EvNext) {
        const c = this.ws();
        if (c === 93) {
          if (st === St.EvNext) throw this.err(`expected event #${this.count} after ',' (a trailing comma?)`);
          this.pos++;
          this.st = St.AfterValue;
          this.eventsDone = true;
          continue;
        }
        if (c < 0) throw this.truncated(`expected event #${this.count} or ']'`);
        const startLine = this.curLine;
        const flat = parseFlat(this.reader.buf, this.pos, this.reader.end, this.templates);
        if (flat !== NOT_FLAT) {
          this.line = startLine;
          this.curLine += flatNewlines;
          this.pos = flatEnd;
          this.st = St.EvAfter;
          this.count++;
          return flat;
        }
        const end = this.valueEnd(() => `event #${this.count} (from line ${startLine})`);
        const start = this.pos;
        const slice = this.reader.text(start, end);
        this.line = startLine;
        this.curLine += this.scanNl;
        this.pos = end;
        this.st = St.EvAfter;
        const index = this.count++;
        try {
          return JSON.parse(slice) as unknown;
        } catch (e) {
          throw malformed(e, slice, startLine, this.column(start), 'malformed JSON', this.file, index);
        }
      }
      if (st === St.EvAfter) {
        if (this.separator(93, () => `event #${this.count - 1}`)) {
          this.st = St.EvNext;
        } else {
          this.st = St.AfterValue;
          this.eventsDone = true;
        }
        continue;
      }
      this.top();
      if (this.st === St.Done) return END;
    }
  }

  /**
   * After an item of the events array (close ']') or of the top-level object (close '}'): true on ',', false on the
   * closing byte, each consumed; anything else is an error naming what it followed.
   */
  private separator(close: number, what: () => string): boolean {
    const c = this.ws();
    if (c === 44 || c === close) {
      this.pos++;
      return c === 44;
    }
    const expected = `expected ',' or '${String.fromCharCode(close)}' after ${what()}`;
    if (c < 0) throw this.truncated(expected);
    throw this.err(`${expected}, found ${show(c)}`);
  }

  /** Runs the top-level object's states until the events array opens or the document ends. */
  private top(): void {
    for (;;) {
      switch (this.st) {
        case St.Open: {
          const c = this.ws();
          if (c < 0) throw this.err('empty trace: expected a JSON object { "format": "tmemsim-trace", ... "events": [...] }');
          if (c !== 123) throw this.err(`expected '{' to open the trace document, found ${show(c)}`);
          this.pos++;
          this.st = St.Key;
          break;
        }
        case St.Key: {
          const c = this.ws();
          if (c === 125 && this.firstKey) {
            this.pos++;
            this.st = St.End;
            break;
          }
          if (c < 0) throw this.truncated('expected a key');
          if (c !== 34) throw this.err(`expected a quoted key, found ${show(c)}`);
          const line = this.curLine;
          const end = this.valueEnd(() => 'a key');
          const key = this.parse(this.reader.text(this.pos, end), line, 'in a key');
          this.pos = end;
          if (typeof key !== 'string') throw this.err('expected a quoted key');
          if (this.eventsDone) {
            throw new UsageError(
              `key "${key}" after the events array: the header keys must come before "events" (move "events" to the end)`,
              { file: this.file, line, field: key },
            );
          }
          if (Object.hasOwn(this.keyLines, key)) {
            throw new UsageError(`duplicate key "${key}"`, { file: this.file, line, field: key });
          }
          this.keyLines[key] = line;
          this.key = key;
          this.firstKey = false;
          this.st = St.Colon;
          break;
        }
        case St.Colon: {
          const c = this.ws();
          if (c < 0) throw this.truncated(`expected ':' after "${this.key}"`);
          if (c !== 58) throw this.err(`expected ':' after "${this.key}", found ${show(c)}`);
          this.pos++;
          this.st = St.Value;
          break;
        }
        case St.Value: {
          const c = this.ws();
          if (c < 0) throw this.truncated(`expected the value of "${this.key}"`);
          if (this.key === 'events') {
            this.openEvents(c);
            return;
          }
          const line = this.curLine;
          const end = this.valueEnd(() => `the value of "${this.key}"`);
          this.values[this.key] = this.parse(this.reader.text(this.pos, end), line, `in the value of "${this.key}"`);
          this.curLine += this.scanNl;
          this.pos = end;
          this.st = St.AfterValue;
          break;
        }
        case St.AfterValue: {
          this.st = this.separator(125, () => `the value of "${this.key}"`) ? St.Key : St.End;
          break;
        }
        case St.End: {
          const c = this.ws();
          if (c >= 0) throw this.err(`unexpected ${show(c)} after the end of the trace document`);
          if (!this.eventsSeen) {
            throw new UsageError('missing: a JSON trace document needs an "events" array after its header keys', {
              file: this.file,
              line: this.curLine,
              field: 'events',
            });
          }
          this.st = St.Done;
          return;
        }
        default:
          return;
      }
    }
  }

  /** At the value of "events": the header must be complete; the array opens. */
  private openEvents(c: number): void {
    const line = this.keyLines['events'];
    const missing = HEADER_KEYS.filter((k) => !Object.hasOwn(this.values, k));
    if (missing.length > 0) {
      throw new UsageError(
        `"events" comes before ${missing.map((k) => `"${k}"`).join(', ')}: the header keys must come before "events" ` +
          'so events can stream (move "events" to the end of the document)',
        { file: this.file, line, field: missing[0] },
      );
    }
    if (c !== 91) throw this.err(`"events" must be an array, found ${show(c)}`);
    this.pos++;
    this.eventsSeen = true;
    this.st = St.EvFirst;
  }

  /**
   * The end of the JSON value starting at pos, reading more as needed; sets
   * scanNl. Throws if the file ends first.
   */
  private valueEnd(what: () => string): number {
    for (;;) {
      const end = this.scanValue(this.reader.buf, this.pos, this.reader.end);
      if (end >= 0) return end;
      if (!this.more()) throw this.truncated(`${what()} never ends`);
    }
  }

  /** End (exclusive) of the value at b[i], or -1 if b[..n) ends first. Counts newlines into scanNl. */
  private scanValue(b: Buffer, i: number, n: number): number {
    let c = b[i];
    if (c === 123 || c === 91) {
      let depth = 0;
      let nl = 0;
      for (; i < n; i++) {
        c = b[i];
        if (c === 34) {
          i = skipString(b, i + 1, n);
          if (i < 0) return -1;
        } else if (c === 123 || c === 91) {
          depth++;
        } else if (c === 125 || c === 93) {
          if (--depth === 0) {
            this.scanNl = nl;
            return i + 1;
          }
        } else if (c === 10) {
          nl++;
        }
      }
      return -1;
    }
    this.scanNl = 0;
    if (c === 34) {
      const q = skipString(b, i + 1, n);
      return q < 0 ? -1 : q + 1;
    }
    for (; i < n; i++) {
      c = b[i];
      if (c === 44 || c === 93 || c === 125 || c === 32 || c === 10 || c === 13 || c === 9) return i;
    }
    return this.reader.eof ? n : -1;
  }

  /** Skips whitespace (counting lines); the byte at pos, or -1 at the end of the file. */
  private ws(): number {
    for (;;) {
      const b = this.reader.buf;
      const n = this.reader.end;
      let p = this.pos;
      while (p < n) {
        const c = b[p] as number;
        if (c === 10) this.curLine++;
        else if (c !== 32 && c !== 13 && c !== 9) {
          this.pos = p;
          return c;
        }
        p++;
      }
      this.pos = p;
      if (!this.more()) return -1;
    }
  }

  /** Drops the bytes before pos and reads more after the rest; false at the end of the file. */
  private more(): boolean {
    if (this.pos > 0) this.windowAtStart = false;
    const n = this.reader.fill(this.pos, () => this.tooLong());
    this.pos = 0;
    return n > 0;
  }

  private tooLong(): UsageError {
    return this.err(`a value longer than ${MAX_VALUE_BYTES} bytes: a bracket or quote is probably missing`);
  }

  private parse(slice: string, line: number, what: string): unknown {
    try {
      return JSON.parse(slice) as unknown;
    } catch (e) {
      throw malformed(e, slice, line, this.column(this.pos), `malformed JSON ${what}`, this.file);
    }
  }

  /** 1-based column of buf[i] (for messages), or 0 if unknown. */
  private column(i: number): number {
    return this.reader.column(i, this.windowAtStart);
  }

  private err(what: string): UsageError {
    return new UsageError(what, { file: this.file, line: this.curLine });
  }

  private truncated(what: string): UsageError {
    return this.err(`truncated trace: the file ends here; ${what}`);
  }

  /** Bytes of the file read so far (for progress). */
  get bytesRead(): number {
    return this.reader.bytesRead;
  }

  close(): void {
    this.reader.close();
  }
}

/** Index of the closing quote of a string whose body starts at b[i], or -1 if b[..n) ends first. */
function skipString(b: Buffer, i: number, n: number): number {
  for (; i < n; i++) {
    const c = b[i];
    if (c === 34) return i;
    if (c === 92) i++;
  }
  return -1;
}

function show(c: number): string {
  return c < 0x80 ? `'${String.fromCharCode(c)}'` : 'a non-ASCII character';
}

/** Opens a JSON document trace: reads the header keys (before "events"); events stream on demand. */
export function openJson(path: string): SyncTraceSource {
  return new TextTraceSource(path, (p) => new JsonCursor(p));
}
