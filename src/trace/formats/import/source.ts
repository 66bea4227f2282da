/**
 * Imported traces: a foreign trace's requests, replayed as page-cache
 * accesses (`file` events) of one filesystem. See docs/importers.md.
 *
 * Each importer (one file per format: lcs-csv.ts, lcs-txt.ts,
 * oracle-general.ts, vscsi.ts, pageref.ts) provides a RequestCursor: one
 * pass over its file giving requests { id, size, time, write }. This module
 * maps each request to pages, pages to (inode, index), and wraps the whole
 * as a SyncTraceSource with a synthetic header. Every pass re-opens the
 * file; memory does not grow with the trace.
 *
 * The mapping (page-size P, default 4096):
 *   block addressing (an id is a block number of sector-size S bytes, default 512):
 *     the request covers bytes [id*S, id*S + max(size, 1)); it touches the pages
 *     floor(id*S / P) .. floor((id*S + max(size,1) - 1) / P)
 *   object addressing (an id names an object of obj-pages N pages, default 1):
 *     the object is pages id*N .. id*N + N-1; a request touches the first
 *     clamp(ceil(size / P), 1, N) of them (all N when the format has no size)
 *   either way at most max-pages (default 256) pages per request, from its first;
 *   page p → inode floor(p / 2^20), index p mod 2^20 (p < 2^47 fits LIMITS).
 */

import { basename } from 'node:path';
import { UsageError } from '../../../errors.js';
import type { EventLocation, FileAccessCursor, FileEvent, LocatedEvent, TraceHeader } from '../../events.js';
import { validateHeader } from '../../validate.js';
import { asyncEvents, type SyncTraceSource } from '../text-source.js';
import { IdPolicy } from './ids.js';
import { OptionReader, parseContentMix, type FormatOptions, type OptionSpec } from './options.js';

/** One request of a foreign trace. Cursors reuse the object between requests. */
export interface Request {
  /** Object id or block number: an integer 0..2^53-1 (already hashed when ids are hashed). */
  id: number;
  /** Bytes, or -1 when the format has no size. */
  size: number;
  /** Time in microseconds as the trace gives it, or -1 when the format has none. */
  time: number;
  write: boolean;
}

/** One pass over a foreign trace. */
export interface RequestCursor {
  readonly req: Request;
  /** Location of the current request: its 1-based line (text), or its record index + 1 (binary). */
  readonly line: number;
  /** Moves to the next request; false at the end. */
  next(): boolean;
  /** Throws a UsageError located at the current request. */
  fail(what: string, field?: string, accepted?: string): never;
  close(): void;
  /**
   * Optional, a reader's batch path for the plain mapping (object addressing, one page an
   * object, ids as they are): takes up to `max` of the requests already in memory, as that many
   * next() calls would, and writes the k-th one's page (inode, index), time (µs as the trace
   * gives it, -1 for none; only when b.times is given), line and write flag at b's [from + k]. It reads nothing and cannot
   * fail: it stops before a request whose id is 2^47 or more (next() maps or refuses that one),
   * and returns how many it took (0: none in memory, or the next is such a request).
   */
  takeSinglePages?(b: PageBatch, from: number, max: number): number;
}

/** The arrays of a PageCursor's batch, by access (RequestCursor.takeSinglePages writes into them). */
export interface PageBatch {
  readonly inodes: Float64Array;
  readonly indexes: Float64Array;
  /** The requests' times, or null when the events carry none (time=none: PageCursor's stay -1). */
  readonly times: Float64Array | null;
  readonly lines: Float64Array;
  readonly writes: Uint8Array;
}

/** Pages a filesystem holds: inode < 2^27, index < 2^20 (an id of the plain mapping below PAGE_LIMIT is its page). */
export const PAGE_LIMIT = 2 ** 47;
/** Pages an inode holds: page p is index p mod INDEX_PAGES of inode floor(p / INDEX_PAGES). */
export const INDEX_PAGES = 2 ** 20;

export type Addressing = 'block' | 'object';

/** What an importer decided from its options (and, for csv, its header line). */
interface FormatPlan {
  /** Addressing when the `addressing` option is not given. */
  addressing: Addressing;
  /** Starts a pass. */
  open(ids: IdPolicy): RequestCursor;
}

export interface ImportFormat {
  readonly name: string;
  /** File name endings, with the dot, lower case. */
  readonly extensions: readonly string[];
  readonly description: string;
  /** The options of this format (the common ones are added by the importer); OBJ_ID_IS_NUM among them lets its ids be text. */
  readonly options: readonly OptionSpec[];
  /** Reads the format's own options; may look at the file (csv's header line). */
  plan(path: string, o: OptionReader): FormatPlan;
}

/** The option of the formats whose ids may be text (csv, txt): one spec, listed by each such format among its own. */
export const OBJ_ID_IS_NUM: OptionSpec = { name: 'obj-id-is-num', values: 'true, false', default: 'true', doc: 'false: ids are text, hashed into page numbers' };

/** The backend an imported trace runs with when its `backend` option is not given. */
export const IMPORT_DEFAULT_BACKEND = 'zcache';

/** Options every importer takes. */
export const COMMON_OPTIONS: readonly OptionSpec[] = [
  { name: 'page-size', values: 'a power of two 512..1048576', default: '4096', doc: 'bytes of the source address space one simulated page stands for' },
  { name: 'addressing', values: 'block, object', default: 'per format', doc: 'block: ids are block numbers of sector-size bytes; object: ids name objects of obj-pages pages' },
  { name: 'sector-size', aliases: ['block-size'], values: 'a power of two 1..1048576', default: '512', doc: 'block addressing: bytes per block number (1 = the ids are byte offsets)' },
  { name: 'obj-pages', values: 'an integer 1..65536', default: '1', doc: 'object addressing: pages per object' },
  { name: 'max-pages', values: 'an integer 1..65536', default: '256', doc: 'pages one request may touch at most (the rest of a longer request is dropped)' },
  { name: 'hash-ids', values: 'true, false', default: 'false', doc: 'object addressing: hash ids into 47-bit page numbers (for ids up to 2^64, or sparse ones)' },
  { name: 'time', values: 'none, keep', default: 'none', doc: 'keep: events carry t, the trace\'s time since its first request; none: no t (events run back to back)' },
  { name: 'fs', values: 'an integer 0..63', default: '1', doc: 'the filesystem (cleancache pool) the pages belong to' },
  { name: 'ram-mb', values: 'an integer 1..1048576', default: '64', doc: 'header config.ram_mb: simulated RAM' },
  { name: 'backend', values: 'a backend name, or none', default: IMPORT_DEFAULT_BACKEND, doc: `header config.backend (${IMPORT_DEFAULT_BACKEND} by default: it serves both frontswap and cleancache; a run says so in a note)` },
  { name: 'content', values: 'a content class, or a mix like text:3+zero:1', default: 'text', doc: 'header content.default: what the pages hold' },
];

interface Mapping {
  addressing: Addressing;
  pageSize: number;
  sectorSize: number;
  objPages: number;
  maxPages: number;
  keepTime: boolean;
  fs: number;
}

/**
 * The header of an imported trace: `config` with the `backend` option
 * (unless none) and the `content` option as the default mix, validated.
 * The options are the only variable part of such a header, so an invalid
 * backend or content names the option at fault.
 */
export function importedHeader(path: string, o: OptionReader, config: TraceHeader['config'], backend: string, content: string | Record<string, number>): TraceHeader {
  if (backend !== '' && backend !== 'none') config.backend = backend;
  try {
    return validateHeader({ format: 'tmemsim-trace', version: 1, config, content: { default: content } }, { file: path });
  } catch (e) {
    if (e instanceof UsageError) o.bad(e.where.field?.startsWith('config.backend') ? 'backend' : 'content', e.what, e.accepted);
    throw e;
  }
}

/** The note a run prints when an imported trace's backend is the default (empty when the option was given). */
export function importNotes(path: string, o: OptionReader, backend: string): string[] {
  if (o.has('backend')) return [];
  return [`${path} names no backend: imported traces run with ${backend} by default (it serves frontswap and cleancache); choose with --backend NAME or --format-opt backend=NAME, none for none`];
}

/** An imported trace, opened: its header, its mapping, and how to start a pass. */
export class ImportedTraceSource implements SyncTraceSource {
  readonly header: TraceHeader;
  readonly notes: string[];
  readonly mapping: Mapping;
  private readonly plan: FormatPlan;
  private readonly ids: IdPolicy;

  constructor(
    readonly path: string,
    readonly format: ImportFormat,
    options: FormatOptions | undefined,
  ) {
    const o = new OptionReader(format.name, [...COMMON_OPTIONS, ...format.options], options);
    this.plan = format.plan(path, o);
    const addressing = o.choice<Addressing>('addressing', this.plan.addressing, ['block', 'object']);
    const pageSize = o.pow2('page-size', 4096, 512, 1 << 20);
    const sectorSize = o.pow2('sector-size', 512, 1, 1 << 20);
    const maxPages = o.int('max-pages', 256, 1, 65536);
    const objPages = o.int('obj-pages', 1, 1, 65536);
    const hash = o.bool('hash-ids', false);
    const textIds = format.options.includes(OBJ_ID_IS_NUM) ? !o.bool(OBJ_ID_IS_NUM.name, true) : false;
    if (addressing === 'block') {
      if (hash || textIds) o.bad(hash ? 'hash-ids' : 'obj-id-is-num', 'hashed ids have no block addresses', 'hash-ids=true or obj-id-is-num=false with addressing=object');
      if (o.has('obj-pages')) o.bad('obj-pages', 'obj-pages applies to object addressing', 'addressing=object');
    } else if (o.has('sector-size')) {
      o.bad('sector-size', 'sector-size applies to block addressing', 'addressing=block');
    }
    const keepTime = o.choice('time', 'none', ['none', 'keep']) === 'keep';
    const fs = o.int('fs', 1, 0, 63);
    const ramMb = o.int('ram-mb', 64, 1, 1 << 20);
    const backend = o.string('backend', IMPORT_DEFAULT_BACKEND).trim();
    this.notes = importNotes(path, o, backend);
    const content = parseContentMix(o.string('content', 'text'), o, 'text:3+zero:1');
    this.mapping = { addressing, pageSize, sectorSize, objPages, maxPages, keepTime, fs };
    this.ids = new IdPolicy(hash, Math.floor(PAGE_LIMIT / objPages), textIds);
    const how = addressing === 'block' ? `block addressing, ${sectorSize}-byte sectors` : `object addressing, ${objPages} page${objPages > 1 ? 's' : ''} per object`;
    const config: TraceHeader['config'] = {
      description: `imported from ${basename(path)} (${format.name}; ${how}; ${pageSize}-byte pages)`,
      ram_mb: ramMb,
      mounts: [{ fs }],
    };
    this.header = importedHeader(path, o, config, backend, content);
    // Open once now: a missing file, a bad header line or a bad first request fails at open, not mid-run.
    const c = this.plan.open(this.ids);
    try {
      if (c.next()) void pagesOf(c, this.mapping);
    } finally {
      c.close();
    }
  }

  /** The requests of one pass (the object is reused: copy what you keep). */
  *requests(): IterableIterator<Readonly<Request> & { readonly line: number }> {
    const c = this.plan.open(this.ids);
    const out = { id: 0, size: -1, time: -1, write: false, line: 0 };
    try {
      while (c.next()) {
        out.id = c.req.id;
        out.size = c.req.size;
        out.time = c.req.time;
        out.write = c.req.write;
        out.line = c.line;
        yield out;
      }
    } finally {
      c.close();
    }
  }

  eventsSync(): IterableIterator<LocatedEvent> {
    return new ImportIterator(this.fileAccesses());
  }

  fileAccesses(): PageCursor {
    return new PageCursor(this.plan.open(this.ids), this.path, this.mapping, this.ids.hash || this.ids.textIds);
  }

  events(): AsyncIterable<LocatedEvent> {
    return asyncEvents(() => this.eventsSync());
  }
}

/**
 * pagesOf's first page. A field, not a module variable: a page number is beyond 2^30, and a
 * module variable holds such a number as a heap number, a new one on each store (once a request).
 */
const first = { page: 0 };

/** First page (in first.page) and page count of the cursor's current request (checked against LIMITS). */
function pagesOf(c: RequestCursor, m: Mapping): number {
  const r = c.req;
  const id = r.id;
  let firstPage: number;
  let n: number;
  if (m.addressing === 'block') {
    const bytes = r.size > 0 ? r.size : 1;
    if (m.sectorSize <= m.pageSize) {
      const per = m.pageSize / m.sectorSize;
      firstPage = Math.floor(id / per);
      n = Math.ceil(((id % per) * m.sectorSize + bytes) / m.pageSize);
    } else {
      firstPage = id * (m.sectorSize / m.pageSize);
      n = Math.ceil(bytes / m.pageSize);
    }
  } else {
    firstPage = id * m.objPages;
    n = r.size < 0 ? m.objPages : Math.min(m.objPages, Math.max(1, Math.ceil(r.size / m.pageSize)));
  }
  if (n > m.maxPages) n = m.maxPages;
  if (firstPage + n > PAGE_LIMIT) {
    const what = m.addressing === 'block' ? `block ${id} is page ${firstPage}` : `id ${id} is page ${firstPage}`;
    c.fail(`${what}, beyond the 2^47 pages a filesystem holds (inode < 2^27, index < 2^20)`, 'id',
      m.addressing === 'block' ? `block numbers below ${Math.floor((PAGE_LIMIT * m.pageSize) / m.sectorSize)}` : 'smaller ids, or hash-ids=true');
  }
  first.page = firstPage;
  return n;
}

/** Page accesses a PageCursor reads in one batch. */
const BATCH = 16;

/**
 * Requests → page accesses, one per page, read into the cursor's own fields
 * (no object per page): the simulator's fast path (SyncTraceSource.fileAccesses)
 * and, wrapped in event objects, eventsSync().
 *
 * The cursor reads the accesses in batches of BATCH and names each new batch
 * (refilled, aheadInodes, aheadIndexes, aheadCount), so the simulator can fetch
 * the cache lines of a batch's lookups together before it runs them. A request
 * it cannot read (an error) ends the batch and is thrown once the accesses
 * before it have been handed out, as if read then.
 */
class PageCursor implements FileAccessCursor {
  readonly fs: number;
  inode = 0;
  index = 0;
  write = false;
  t = -1;
  /** This next() read a new batch: the accesses from this one on are aheadInodes/aheadIndexes[0, aheadCount). */
  refilled = false;
  readonly aheadInodes = new Float64Array(BATCH);
  readonly aheadIndexes = new Float64Array(BATCH);
  aheadCount = 0;
  readonly loc: EventLocation;
  private n = 0;
  private page = 0;
  private left = 0;
  private t0 = -1;
  private line = 0;
  private reqWrite = false;
  private reqT = -1;
  /** The request cursor is done with (its end reached, an error, or close()). */
  private done = false;
  /** The error that ended the reading, thrown once the accesses before it are out. */
  private failed = false;
  private failure: unknown = undefined;
  /** Each access's t (-1: none; always, unless time=keep). */
  private readonly times = new Float64Array(BATCH).fill(-1);
  private readonly lines = new Float64Array(BATCH);
  private readonly writes = new Uint8Array(BATCH);
  /** The batch's next access to hand out. */
  private at = 0;
  /** The batch's arrays, for the reader's batch path; null when the mapping or the reader has none. */
  private readonly batch: PageBatch | null;

  constructor(
    private readonly c: RequestCursor,
    file: string,
    private readonly m: Mapping,
    hashIds: boolean,
  ) {
    this.fs = m.fs;
    this.loc = { file, line: 0, index: 0 };
    // The plain mapping, where a request is the one page its id names.
    const plain = m.addressing === 'object' && m.objPages === 1 && !hashIds;
    this.batch = plain && c.takeSinglePages !== undefined
      ? { inodes: this.aheadInodes, indexes: this.aheadIndexes, times: m.keepTime ? this.times : null, lines: this.lines, writes: this.writes }
      : null;
  }

  next(): boolean {
    this.refilled = false;
    if (this.at === this.aheadCount) {
      this.at = 0;
      this.aheadCount = 0;
      this.fill();
      if (this.aheadCount === 0) {
        if (this.failed) {
          this.failed = false;
          throw this.failure;
        }
        return false;
      }
      this.refilled = true;
    }
    const k = this.at++;
    this.inode = this.aheadInodes[k]!;
    this.index = this.aheadIndexes[k]!;
    this.t = this.times[k]!;
    this.loc.line = this.lines[k]!;
    this.write = this.writes[k] === 1;
    this.loc.index = this.n++;
    return true;
  }

  /**
   * Fills the batch: the reader's batch path takes what is in memory (the plain mapping only);
   * read() takes one request at a time where it stops (more to read from the file, an id it
   * leaves to next(), the end, an error).
   */
  private fill(): void {
    const b = this.batch;
    while (this.aheadCount < BATCH) {
      if (b !== null && this.left === 0 && !this.done) {
        const from = this.aheadCount;
        const n = this.c.takeSinglePages!(b, from, BATCH - from);
        if (n > 0) {
          this.aheadCount += n;
          // The trace's times made the events' (without time=keep the slots hold -1 already).
          if (b.times !== null) for (let k = from; k < from + n; k++) b.times[k] = this.timeOf(b.times[k]!);
          continue;
        }
      }
      if (!this.read()) return;
    }
  }

  /** A request's time as an event's t: since the trace's first time (time=keep), else -1. */
  private timeOf(time: number): number {
    if (!this.m.keepTime || time < 0) return -1;
    if (this.t0 < 0) this.t0 = time;
    return Math.max(0, time - this.t0);
  }

  /** Reads the next access into the batch; false at the end or an error (kept for next()). */
  private read(): boolean {
    if (this.done) return false;
    if (this.left === 0) {
      const c = this.c;
      try {
        if (!c.next()) {
          this.end();
          return false;
        }
        this.left = pagesOf(c, this.m);
      } catch (e) {
        this.end();
        this.failed = true;
        this.failure = e;
        return false;
      }
      this.page = first.page;
      this.reqWrite = c.req.write;
      this.reqT = this.timeOf(c.req.time);
      this.line = c.line;
    }
    const p = this.page++;
    this.left--;
    const inode = Math.floor(p / INDEX_PAGES);
    const k = this.aheadCount++;
    this.aheadInodes[k] = inode;
    this.aheadIndexes[k] = p - inode * INDEX_PAGES; // p % INDEX_PAGES, exact, without V8's fmod call for a p beyond int32
    this.times[k] = this.reqT;
    this.lines[k] = this.line;
    this.writes[k] = this.reqWrite ? 1 : 0;
    return true;
  }

  /** The caller is done: the file is released, and what was read ahead is dropped. */
  close(): void {
    this.at = this.aheadCount = 0;
    this.failed = false;
    this.end();
  }

  private end(): void {
    if (this.done) return;
    this.done = true;
    this.c.close();
  }
}

/** Requests → file events, one per page. */
class ImportIterator implements IterableIterator<LocatedEvent> {
  constructor(private readonly c: PageCursor) {}

  next(): IteratorResult<LocatedEvent> {
    const c = this.c;
    if (!c.next()) return { value: undefined, done: true };
    const ev: FileEvent = { op: 'file', fs: c.fs, inode: c.inode, index: c.index };
    if (c.write) ev.write = true;
    if (c.t >= 0) ev.t = c.t;
    return { value: { event: ev, loc: c.loc }, done: false };
  }

  return(): IteratorResult<LocatedEvent> {
    this.c.close();
    return { value: undefined, done: true };
  }

  [Symbol.iterator](): IterableIterator<LocatedEvent> {
    return this;
  }
}
