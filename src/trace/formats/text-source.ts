/**
 * The trace source shared by the text formats (json, jsonl).
 *
 * - Cursor: one pass over a file: the header, then raw parsed events with
 *   the line each starts on. Each format implements one.
 * - TextTraceSource: a TraceSource over a Cursor factory. Every call to
 *   events()/eventsSync() is a fresh pass (the file is re-opened), so a
 *   source can be replayed; each yielded event is validated on the way out.
 * - malformed(): a JSON.parse failure as one UsageError line.
 *
 * Internal to src/trace/formats.
 */

import { UsageError } from '../../errors.js';
import type { EventLocation, FileAccessCursor, LocatedEvent, TraceHeader, TraceSource } from '../events.js';
import { validateEvent } from '../validate.js';
import { builtBy, templateSlots } from './flat-parse.js';

/** Returned by Cursor.next() at the end of the events. */
export const END: unique symbol = Symbol('end of trace');

/** One pass over a trace file. */
export interface Cursor {
  readonly header: TraceHeader;
  /** 1-based line the last returned event starts on. */
  readonly line: number;
  /** The next event as parsed JSON (not yet validated), or END. */
  next(): unknown;
  /** Releases the file (idempotent). */
  close(): void;
  /** Bytes of the file read so far, if known (for progress). */
  readonly bytesRead?: number;
}

/** What a text format needs to provide: a way to start a pass. */
type CursorFactory = (path: string) => Cursor;

/** A TraceSource with a synchronous variant of events(). */
export interface SyncTraceSource extends TraceSource {
  /** Like events(), without a promise per event: for a simulator loop that never awaits. */
  eventsSync(): IterableIterator<LocatedEvent>;
  /**
   * Present when every event of the trace is a `file` access without `data`:
   * the same pass as eventsSync() without an object per event (the simulator's
   * fast path). Imported traces have it.
   */
  fileAccesses?(): FileAccessCursor;
}

/** The trace source of a text format. */
export class TextTraceSource implements SyncTraceSource {
  readonly header: TraceHeader;

  constructor(
    readonly path: string,
    private readonly start: CursorFactory,
  ) {
    const c = start(path);
    this.header = c.header;
    c.close();
  }

  eventsSync(): IterableIterator<LocatedEvent> {
    return new EventIterator(this.start(this.path), this.path);
  }

  events(): AsyncIterable<LocatedEvent> {
    return asyncEvents(() => new EventIterator(this.start(this.path), this.path));
  }
}

/**
 * Validates each raw event on its way out. The location object is reused
 * between iterations (see TraceSource); the {event, loc} pair is not.
 */
class EventIterator implements IterableIterator<LocatedEvent> {
  private readonly loc: EventLocation;
  private index = 0;
  private done = false;

  constructor(
    private readonly cursor: Cursor,
    file: string,
  ) {
    this.loc = { file, line: 0, index: 0 };
  }

  next(): IteratorResult<LocatedEvent> {
    if (this.done) return { value: undefined, done: true };
    let raw: unknown;
    try {
      raw = this.cursor.next();
    } catch (e) {
      this.finish();
      throw e;
    }
    if (raw === END) {
      this.finish();
      return { value: undefined, done: true };
    }
    const loc = this.loc;
    loc.line = this.cursor.line;
    loc.index = this.index++;
    try {
      // An event a flat-parse template built is checked by its numbers (the verdict is the same).
      return { value: { event: validateEvent(raw, loc, builtBy(raw), templateSlots()), loc }, done: false };
    } catch (e) {
      this.finish();
      throw e;
    }
  }

  return(): IteratorResult<LocatedEvent> {
    this.finish();
    return { value: undefined, done: true };
  }

  /** Bytes of the file read so far, or -1 (for progress). */
  get bytesRead(): number {
    return this.cursor.bytesRead ?? -1;
  }

  [Symbol.iterator](): IterableIterator<LocatedEvent> {
    return this;
  }

  private finish(): void {
    this.done = true;
    this.cursor.close();
  }
}

/** The async face of an EventIterator: one settled promise per event. */
/** A synchronous iterator of events as an asynchronous one (a failure becomes a rejection). */
class AsyncEventIterator implements AsyncIterableIterator<LocatedEvent> {
  constructor(private readonly it: Iterator<LocatedEvent>) {}

  next(): Promise<IteratorResult<LocatedEvent>> {
    try {
      return Promise.resolve(this.it.next());
    } catch (e) {
      return Promise.reject(e);
    }
  }

  return(): Promise<IteratorResult<LocatedEvent>> {
    return Promise.resolve(this.it.return ? this.it.return() : { done: true, value: undefined });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<LocatedEvent> {
    return this;
  }
}

/** events() of a source whose passes are synchronous: each asynchronous pass wraps a fresh synchronous one. */
export function asyncEvents(pass: () => Iterator<LocatedEvent>): AsyncIterable<LocatedEvent> {
  return { [Symbol.asyncIterator]: () => new AsyncEventIterator(pass()) };
}

/**
 * A JSON.parse failure as one line: V8's message without the echoed input,
 * with the line the failure is on (`startLine` plus the newlines before the
 * reported position) and a column when V8 gives a position. `firstCol` is
 * the 1-based column of text[0] in the file, or 0 if unknown.
 */
export function malformed(
  e: unknown, text: string, startLine: number, firstCol: number, what: string, file: string, event?: number,
): UsageError {
  // `what` opens the message: "malformed JSON", "malformed JSON in the header line"...
  let msg = e instanceof Error ? e.message : String(e);
  let line = startLine;
  const m = / in JSON at position (\d+)(?: \(line \d+ column \d+\))?/.exec(msg);
  if (m) {
    const pos = Number(m[1]);
    let lineStart = -1;
    for (let i = text.indexOf('\n'); i >= 0 && i < pos; i = text.indexOf('\n', i + 1)) {
      line++;
      lineStart = i;
    }
    const col = lineStart >= 0 ? pos - lineStart : firstCol > 0 ? firstCol + pos : 0;
    msg = msg.slice(0, m.index) + msg.slice(m.index + m[0].length) + (col > 0 ? ` (column ${col})` : '');
  } else {
    msg = msg.replace(/, (?:\.\.\.)?"[\s\S]*" is not valid JSON$/, '');
  }
  msg = msg.replace(/\s+/g, ' ');
  return new UsageError(`${what}: ${msg}`, event === undefined ? { file, line } : { file, line, event });
}
