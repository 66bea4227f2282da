/**
 * A corpus: a raw file of concatenated 4 KiB pages whose bytes traces can
 * name with { corpus: index } (for example pages cut from the Silesia corpus,
 * or a dump of real process memory). A trailing partial page is zero-padded.
 *
 * Pages are read on demand with positioned reads into a small LRU of chunk
 * buffers (CHUNK_PAGES neighbouring pages each, at most CACHE_BYTES in all,
 * never more than the file), allocated as the cache grows and then reused.
 * A miss reads the one page asked for, or, when the page asked for follows
 * the previous one (a trace walking the corpus in order), the rest of its
 * chunk with it: one system call per chunk for an ordered walk, one per
 * page, never more bytes than that page, for scattered picks.
 *
 * Why not the whole file in memory (as before, up to 256 MiB): a fresh
 * array costs a page fault per 4 KiB on first touch, and on a virtual
 * machine that is dearer than reading the page again from the page cache
 * into a buffer already mapped. On the bench's 82 MB corpus (section 3) the
 * whole-file read and the first use of each page cost more than
 * compressing the pages (docs/scale.md); a 16 MiB cache of fresh buffers
 * still cost 60-170 ms a run against a 1 MiB one with the same hit rate
 * (xen-tmem run 321 vs 380-496 ms, 2 alternations, loaded host: commit
 * 03ec2a0).
 *
 * Re-reading is cheaper than holding only for pages read a few times. So
 * the cache grows, by one chunk for every REREADS_PER_CHUNK pages read from
 * the file for the third time or more, up to GROWN_CACHE_BYTES (never past
 * the file): a trace that picks corpus pages again and again (generated
 * traces pick them at random) ends up with the pages it uses held, as when
 * the whole file was read, while a trace that reads each page once or twice
 * (store then load) never grows it.
 */

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { PAGE_SIZE } from './page.js';
import { UsageError } from '../errors.js';
import { LruMap } from '../lru.js';

/** Pages per chunk: the unit of the cache and the most one read fetches. */
export const CHUNK_PAGES = 16;
const CHUNK_BYTES = CHUNK_PAGES * PAGE_SIZE;
/** The chunk cache's bound in bytes. */
const CACHE_BYTES = 1 * 2 ** 20;
/** How far the cache may grow for pages read again and again (see Corpus): the whole file up to this. */
const GROWN_CACHE_BYTES = 256 * 2 ** 20;
/** A page read from the file this many times already is a re-read that counts towards growing the cache. */
const REREAD_AFTER = 2;
/** Re-reads that buy the cache one more chunk. */
const REREADS_PER_CHUNK = 4;

/** One cached chunk. */
interface Chunk {
  index: number;
  /** Bit i set: page i of the chunk is in `bytes`. */
  valid: number;
  readonly bytes: Uint8Array;
}

export class Corpus {
  /** Number of pages (the last one may be partial on disk, zero-padded here). */
  readonly pages: number;
  private fd: number;
  /** Chunk index -> chunk, least recently used first. */
  private readonly chunks = new LruMap<number, Chunk>();
  /** Most chunks held (the cache bound, or the file's chunk count when smaller). */
  private maxChunks: number;
  /** The most chunks the cache may grow to. */
  private readonly growChunks: number;
  /** Times each page was read from the file (saturating at 255). */
  private readonly timesRead: Uint8Array;
  /** Pages read again (REREAD_AFTER times before) since the cache last grew. */
  private rereads = 0;
  /** The chunk of the last page asked for (checked before the map). */
  private last: Chunk | null = null;
  /** The last page asked for (-1: none): a miss on the page after it reads ahead. */
  private lastPage = -1;
  /** System calls that read the file (one per miss): for tests and the curious. */
  reads = 0;

  private constructor(
    readonly path: string,
    fd: number,
    readonly bytes: number,
    cacheBytes: number,
    growBytes: number,
  ) {
    this.fd = fd;
    this.pages = Math.ceil(bytes / PAGE_SIZE);
    const fileChunks = Math.ceil(this.pages / CHUNK_PAGES);
    this.maxChunks = Math.max(1, Math.min(fileChunks, Math.floor(cacheBytes / CHUNK_BYTES)));
    this.growChunks = Math.max(this.maxChunks, Math.min(fileChunks, Math.floor(growBytes / CHUNK_BYTES)));
    this.timesRead = new Uint8Array(this.growChunks > this.maxChunks ? this.pages : 0);
  }

  /**
   * Opens a corpus file; throws UsageError when it cannot be read or is
   * empty. `cacheBytes` bounds the chunk cache (default CACHE_BYTES; at least
   * one chunk is kept), `growBytes` how far re-reads may grow it (default
   * GROWN_CACHE_BYTES).
   */
  static open(path: string, cacheBytes = CACHE_BYTES, growBytes = GROWN_CACHE_BYTES): Corpus {
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
    return new Corpus(path, fd, size, cacheBytes, growBytes);
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
      c = this.chunks.get(ci) ?? this.take(ci);
      this.last = c;
    }
    const slot = index - ci * CHUNK_PAGES;
    if ((c.valid & (1 << slot)) === 0) this.read(c, slot, index === this.lastPage + 1 ? CHUNK_PAGES : slot + 1);
    this.lastPage = index;
    const at = slot * PAGE_SIZE;
    return c.bytes.subarray(at, at + PAGE_SIZE);
  }

  /** Closes the file (fill() then throws). */
  close(): void {
    if (this.fd >= 0) {
      closeSync(this.fd);
      this.fd = -1;
      this.chunks.clear();
      this.last = null;
      this.lastPage = -1;
    }
  }

  /**
   * A chunk for `ci` with no page read yet, now the most recently used: a new buffer while the cache grows, else the
   * least recently used chunk's.
   */
  private take(ci: number): Chunk {
    if (this.fd < 0) throw new UsageError(`corpus '${this.path}' is closed`, { file: this.path });
    let c: Chunk;
    if (this.chunks.size >= this.maxChunks && this.rereads >= REREADS_PER_CHUNK && this.maxChunks < this.growChunks) {
      // Pages read yet again since the last growth: hold one chunk more.
      this.maxChunks++;
      this.rereads -= REREADS_PER_CHUNK;
    }
    if (this.chunks.size < this.maxChunks) {
      c = { index: ci, valid: 0, bytes: new Uint8Array(CHUNK_BYTES) };
      this.chunks.add(ci, c);
    } else {
      c = this.chunks.reuseOldest(ci)!;
      c.index = ci;
      c.valid = 0;
    }
    return c;
  }

  /** Reads pages [from, to) of chunk c in one call (zero past the end of the file) and marks them valid. */
  private read(c: Chunk, from: number, to: number): void {
    const start = (c.index * CHUNK_PAGES + from) * PAGE_SIZE;
    const end = (c.index * CHUNK_PAGES + to) * PAGE_SIZE;
    const want = Math.min(end, this.bytes) - start;
    const base = from * PAGE_SIZE;
    let off = 0;
    this.reads++;
    const times = this.timesRead;
    if (times.length > 0) {
      const first = c.index * CHUNK_PAGES;
      for (let p = first + from, last = Math.min(first + to, this.pages); p < last; p++) {
        const n = times[p]!;
        if (n >= REREAD_AFTER) this.rereads++;
        if (n < 255) times[p] = n + 1;
      }
    }
    try {
      while (off < want) {
        const n = readSync(this.fd, c.bytes, base + off, want - off, start + off);
        if (n === 0) break; // end of file (it shrank): the rest is zero
        off += n;
      }
    } catch (e) {
      throw new UsageError(`cannot read corpus '${this.path}' page ${c.index * CHUNK_PAGES + from}: ${reason(e)}`, { file: this.path });
    }
    if (base + off < to * PAGE_SIZE) c.bytes.fill(0, base + off, to * PAGE_SIZE);
    for (let i = from; i < to; i++) c.valid |= 1 << i;
  }
}

/** The one-line cause of a file-system error (Node's messages start with the errno code). */
function reason(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
