/**
 * A trace file's bytes, read synchronously in 1 MiB chunks into a sliding
 * window. The text readers scan these bytes directly: every JSON
 * structural character is ASCII, and UTF-8 never uses an ASCII byte
 * inside a multi-byte character. They decode only what they hand to
 * JSON.parse.
 *
 * Internal to src/trace/formats.
 */

import { closeSync, openSync, readSync } from 'node:fs';
import { UsageError } from '../../errors.js';

/** Bytes read per fs.readSync call. */
export const CHUNK_BYTES = 1 << 20;

/** The largest single value (an event, a header value, a JSONL line) a reader accepts, in bytes. */
export const MAX_VALUE_BYTES = 16 << 20;

/**
 * A sliding window over a file's bytes: buf[0..end) holds bytes not yet
 * discarded, and buf[end] is always 0, a sentinel that stops any scan
 * (0 is never valid outside a JSON string, nor raw inside one).
 */
/** A byte window that slides over its input: buf[0..end) holds bytes not yet discarded. */
interface SlidingWindow {
  buf: Buffer;
  end: number;
  close(): void;
}

/**
 * Drops buf[0..keep) and makes room for at least half a chunk more, doubling
 * the buffer when needed; a value that already fills MAX_VALUE_BYTES closes
 * the window and throws `tooLong()`. Shared by the file and gzip windows.
 */
export function makeRoom(w: SlidingWindow, keep: number, tooLong: () => Error): void {
  const buf = w.buf;
  if (keep > 0) {
    buf.copy(buf, 0, keep, w.end);
    w.end -= keep;
  }
  if (buf.length - 1 - w.end < CHUNK_BYTES / 2) {
    if (w.end >= MAX_VALUE_BYTES) {
      w.close();
      throw tooLong();
    }
    const bigger = Buffer.allocUnsafe(Math.max(buf.length * 2, w.end + CHUNK_BYTES + 1));
    buf.copy(bigger, 0, 0, w.end);
    w.buf = bigger;
  }
}

export class ChunkReader {
  private fd: number;
  buf: Buffer;
  end = 0;
  eof = false;
  /** Bytes read from the file so far (for progress). */
  bytesRead = 0;

  constructor(readonly path: string) {
    this.fd = openFile(path);
    this.buf = Buffer.allocUnsafe(CHUNK_BYTES + 1);
    this.buf[0] = 0;
  }

  /**
   * Drops buf[0..keep) (positions move down by `keep`), then reads more
   * bytes after what is left. Returns the number of bytes read: 0 at the
   * end of the file. `tooLong` makes the error when what is left already
   * fills MAX_VALUE_BYTES.
   */
  fill(keep: number, tooLong: () => Error): number {
    if (this.eof) return 0;
    makeRoom(this, keep, tooLong);
    const buf = this.buf;
    let n: number;
    try {
      n = readSync(this.fd, buf, this.end, buf.length - 1 - this.end, null);
    } catch (e) {
      this.close();
      throw new UsageError(`cannot read trace: ${ioReason(e)}`, { file: this.path });
    }
    this.end += n;
    this.bytesRead += n;
    buf[this.end] = 0;
    if (n === 0) {
      this.eof = true;
      this.close();
    }
    return n;
  }

  /** buf[a..b) as text. */
  text(a: number, b: number): string {
    return this.buf.toString('utf8', a, b);
  }

  /** 1-based column of buf[i] on its line, or 0 if the line starts before the window (for messages). */
  column(i: number, windowAtFileStart: boolean): number {
    let k = i - 1;
    while (k >= 0 && this.buf[k] !== 10) k--;
    if (k < 0 && !windowAtFileStart) return 0;
    return this.text(k + 1, i).length + 1;
  }

  close(): void {
    if (this.fd >= 0) {
      closeSync(this.fd);
      this.fd = -1;
    }
  }
}

/** Length of a UTF-8 byte order mark at buf[0..end), or 0. */
export function bomLength(buf: Buffer, end: number): number {
  return end >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
}

/** Opens a file for reading, or throws `cannot read trace: ENOENT ...`. */
export function openFile(path: string): number {
  try {
    return openSync(path, 'r');
  } catch (e) {
    throw new UsageError(`cannot read trace: ${ioReason(e)}`, { file: path });
  }
}

function ioReason(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  // "ENOENT: no such file or directory, open 'x'" -> drop the repeated path.
  return msg.replace(/, \w+ '.*'$/, '');
}

