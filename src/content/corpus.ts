/**
 * A corpus: a raw file of concatenated 4 KiB pages whose bytes traces can
 * name with { corpus: index } (for example pages cut from the Silesia corpus,
 * or a dump of real process memory). A trailing partial page is zero-padded.
 *
 * Pages are read on demand, a chunk of CHUNK_PAGES neighbouring pages per
 * positioned read, into a bounded LRU of chunk buffers (at most CACHE_BYTES,
 * never more than the file): a corpus much larger than the simulated working
 * set costs no memory, a trace walking the corpus in order makes one system
 * call per chunk, and a corpus that fits the cache is read once. The buffers
 * are allocated as the cache grows and then reused: reading a whole corpus
 * into one fresh array at open (as tmemsim did before) paid a page fault per
 * 4 KiB twice over (the read, then the first use), which on the bench's
 * 82 MB corpus cost more than compressing it (docs/scale.md).
 */

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { PAGE_SIZE } from './page.js';
import { UsageError } from '../errors.js';

/** Pages per chunk: the unit of one read and of the cache. */
export const CHUNK_PAGES = 16;
const CHUNK_BYTES = CHUNK_PAGES * PAGE_SIZE;
/** The chunk cache's bound in bytes. */
const CACHE_BYTES = 16 * 2 ** 20;

/** One cached chunk on the LRU list. */
interface Chunk {
  index: number;
  readonly bytes: Uint8Array;
  prev: Chunk | null;
  next: Chunk | null;
}

export class Corpus {
  /** Number of pages (the last one may be partial on disk, zero-padded here). */
  readonly pages: number;
  private fd: number;
  private readonly chunks = new Map<number, Chunk>();
  /** Most chunks held (the cache bound, or the file's chunk count when smaller). */
  private readonly maxChunks: number;
  /** LRU list: head least, tail most recently used. */
  private head: Chunk | null = null;
  private tail: Chunk | null = null;
  /** The chunk of the last fill (checked before the map). */
  private last: Chunk | null = null;

  private constructor(
    readonly path: string,
    fd: number,
    readonly bytes: number,
    cacheBytes: number,
  ) {
    this.fd = fd;
    this.pages = Math.ceil(bytes / PAGE_SIZE);
    this.maxChunks = Math.max(1, Math.min(Math.ceil(this.pages / CHUNK_PAGES), Math.floor(cacheBytes / CHUNK_BYTES)));
  }

  /**
   * Opens a corpus file; throws UsageError when it cannot be read or is
   * empty. `cacheBytes` bounds the chunk cache (default CACHE_BYTES; at least
   * one chunk is kept).
   */
  static open(path: string, cacheBytes = CACHE_BYTES): Corpus {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (e) {
      throw new UsageError(`cannot read corpus '${path}': ${reason(e)}`, { file: path });
    }
    let size: number;
    try {
      const st = fstatSync(fd);
      if (!st.isFile()) throw new Error('not a regular file');
      size = st.size;
    } catch (e) {
      closeSync(fd);
      throw new UsageError(`cannot read corpus '${path}': ${reason(e)}`, { file: path });
    }
    if (size === 0) {
      closeSync(fd);
      throw new UsageError(`cannot read corpus '${path}': the file is empty`, { file: path },
        'a file of raw 4 KiB pages');
    }
    return new Corpus(path, fd, size, cacheBytes);
  }

  /** Throws UsageError unless index names a page of this corpus. */
  check(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.pages) {
      throw new UsageError(`corpus page ${index} is out of range: '${this.path}' has pages 0..${this.pages - 1}`,
        { field: 'data' }, `0..${this.pages - 1}`);
    }
  }

  /** Writes page `index` to dst (PAGE_SIZE bytes). */
  fill(index: number, dst: Uint8Array): void {
    dst.set(this.page(index));
  }

  /** Whether `bytes` (one page) are page `index`'s: compared in the cache, without a copy. */
  equals(index: number, bytes: Uint8Array): boolean {
    return Buffer.compare(this.page(index), bytes) === 0;
  }

  /** Page `index` as a view of its cached chunk: valid only until the next call (the buffer is reused). */
  private page(index: number): Uint8Array {
    this.check(index);
    const ci = Math.floor(index / CHUNK_PAGES);
    let c = this.last;
    if (c === null || c.index !== ci) {
      c = this.chunks.get(ci) ?? this.load(ci, index);
      if (c !== this.tail) {
        this.unlink(c);
        this.append(c);
      }
      this.last = c;
    }
    const at = (index - ci * CHUNK_PAGES) * PAGE_SIZE;
    return c.bytes.subarray(at, at + PAGE_SIZE);
  }

  /** Closes the file (fill() then throws). */
  close(): void {
    if (this.fd >= 0) {
      closeSync(this.fd);
      this.fd = -1;
      this.chunks.clear();
      this.head = this.tail = this.last = null;
    }
  }

  /** Reads chunk `ci` (for page `page`, named if the read fails) into a new buffer or the least recently used chunk's. */
  private load(ci: number, page: number): Chunk {
    if (this.fd < 0) throw new UsageError(`corpus '${this.path}' is closed`, { file: this.path });
    let c: Chunk;
    if (this.chunks.size < this.maxChunks) {
      c = { index: ci, bytes: new Uint8Array(CHUNK_BYTES), prev: null, next: null };
      this.append(c);
    } else {
      c = this.head!;
      this.chunks.delete(c.index);
      c.index = ci;
    }
    this.chunks.set(ci, c);
    const start = ci * CHUNK_BYTES;
    const want = Math.min(CHUNK_BYTES, this.bytes - start);
    let off = 0;
    try {
      while (off < want) {
        const n = readSync(this.fd, c.bytes, off, want - off, start + off);
        if (n === 0) break; // end of file (it shrank): the rest is zero
        off += n;
      }
    } catch (e) {
      this.chunks.delete(ci);
      c.index = -1;
      throw new UsageError(`cannot read corpus '${this.path}' page ${page}: ${reason(e)}`, { file: this.path });
    }
    if (off < CHUNK_BYTES) c.bytes.fill(0, off);
    return c;
  }

  private unlink(c: Chunk): void {
    if (c.prev !== null) c.prev.next = c.next;
    else if (this.head === c) this.head = c.next;
    if (c.next !== null) c.next.prev = c.prev;
    else if (this.tail === c) this.tail = c.prev;
    c.prev = c.next = null;
  }

  private append(c: Chunk): void {
    c.prev = this.tail;
    if (this.tail !== null) this.tail.next = c;
    else this.head = c;
    this.tail = c;
  }
}

/** The one-line cause of a file-system error (Node's messages start with the errno code). */
function reason(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
