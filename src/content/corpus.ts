/**
 * A corpus: a raw file of concatenated 4 KiB pages whose bytes traces can
 * name with { corpus: index } (for example pages cut from the Silesia corpus,
 * or a dump of real process memory). A trailing partial page is zero-padded.
 *
 * Pages are read on demand with positioned reads, so a corpus much larger
 * than the simulated working set costs no memory; a small LRU of recently
 * read pages saves the system call when a trace touches a page again.
 */

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { PAGE_SIZE } from './page.js';
import { UsageError } from '../errors.js';

/** Pages kept in memory (LRU) for a corpus read on demand. */
const CACHE_PAGES = 64;
/** A corpus up to this size is read whole at open: a page fill is then a copy, not a system call. */
const WHOLE_CORPUS_BYTES = 256 * 2 ** 20;

export class Corpus {
  /** Number of pages (the last one may be partial on disk, zero-padded here). */
  readonly pages: number;
  private fd: number;
  private readonly cache = new Map<number, Uint8Array>();
  /** The whole file, when it is small enough (WHOLE_CORPUS_BYTES). */
  private whole: Uint8Array | null = null;

  private constructor(
    readonly path: string,
    fd: number,
    readonly bytes: number,
  ) {
    this.fd = fd;
    this.pages = Math.ceil(bytes / PAGE_SIZE);
    if (bytes <= WHOLE_CORPUS_BYTES) {
      const all = new Uint8Array(this.pages * PAGE_SIZE);
      let off = 0;
      while (off < bytes) {
        const n = readSync(fd, all, off, bytes - off, off);
        if (n === 0) break;
        off += n;
      }
      this.whole = all;
    }
  }

  /** Opens a corpus file; throws UsageError when it cannot be read or is empty. */
  static open(path: string): Corpus {
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
    return new Corpus(path, fd, size);
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
    this.check(index);
    if (this.whole !== null) {
      dst.set(this.whole.subarray(index * PAGE_SIZE, (index + 1) * PAGE_SIZE));
      return;
    }
    let page = this.cache.get(index);
    if (page !== undefined) {
      // Refresh its LRU position.
      this.cache.delete(index);
      this.cache.set(index, page);
    } else {
      page = this.read(index);
      if (this.cache.size >= CACHE_PAGES) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(index, page);
    }
    dst.set(page);
  }

  /** Page `index` as a view of the corpus held in memory (never to be written), or null when it is read on demand. */
  view(index: number): Uint8Array | null {
    if (this.whole === null) return null;
    this.check(index);
    return this.whole.subarray(index * PAGE_SIZE, (index + 1) * PAGE_SIZE);
  }

  /** Closes the file (fill() then throws). */
  close(): void {
    if (this.fd >= 0) {
      closeSync(this.fd);
      this.fd = -1;
      this.cache.clear();
      this.whole = null;
    }
  }

  private read(index: number): Uint8Array {
    if (this.fd < 0) throw new UsageError(`corpus '${this.path}' is closed`, { file: this.path });
    const page = new Uint8Array(PAGE_SIZE);
    let off = 0;
    try {
      while (off < PAGE_SIZE) {
        const n = readSync(this.fd, page, off, PAGE_SIZE - off, index * PAGE_SIZE + off);
        if (n === 0) break; // end of file: the rest stays zero
        off += n;
      }
    } catch (e) {
      throw new UsageError(`cannot read corpus '${this.path}' page ${index}: ${reason(e)}`, { file: this.path });
    }
    return page;
  }
}

/** The one-line cause of a file-system error (Node's messages start with the errno code). */
function reason(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
