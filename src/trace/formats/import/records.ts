/**
 * Fixed-size binary records (oracleGeneral, vscsi) read from a sliding
 * window: next() gives the offset of the next whole record in `buf`, or -1
 * at the end of the file. A file that ends inside a record is an error:
 * `record 113872 is truncated (20 of 24 bytes)` (records are numbered from 0).
 */

import { endianness } from 'node:os';
import { UsageError } from '../../../errors.js';
import { openBytes, type ByteWindow } from './bytes.js';

export class RecordCursor {
  /** 0-based index of the record next() returned last. */
  record = -1;
  private readonly w: ByteWindow;
  private pos = 0;

  constructor(
    readonly file: string,
    public size: number,
  ) {
    this.w = openBytes(file, 'extension');
  }

  get buf(): Buffer {
    return this.w.buf;
  }

  /**
   * buf as little-endian 32-bit words: words[p >> 2] is u32le(buf, p) for p a multiple of 4 (a
   * record's offset, when the record size is one). null on a big-endian host or a window that
   * does not start on a 4-byte boundary: read the bytes then. A new view when a refill replaced buf.
   */
  get words(): Uint32Array | null {
    const b = this.w.buf;
    if (b !== this.wordsOf) {
      this.wordsOf = b;
      this.wordsView = LITTLE_ENDIAN && b.byteOffset % 4 === 0 ? new Uint32Array(b.buffer, b.byteOffset, b.length >>> 2) : null;
    }
    return this.wordsView;
  }

  private wordsOf: Buffer | null = null;
  private wordsView: Uint32Array | null = null;

  /** Offset of the next record in buf, or -1 at the end of the file. */
  next(): number {
    if (this.w.end - this.pos < this.size && !this.refill()) return -1;
    const p = this.pos;
    this.pos += this.size;
    this.record++;
    return p;
  }

  /** Offset in buf of the next record (when available() > 0). */
  get offset(): number {
    return this.pos;
  }

  /** Whole records in buf from the next one on, without reading more (RecordCursor.take's bound). */
  available(): number {
    return Math.floor((this.w.end - this.pos) / this.size);
  }

  /**
   * Takes the next n records at once (n <= available(), the first at `offset`), as n calls of
   * next() would: the batch readers' path, which reads nothing and cannot fail.
   */
  take(n: number): void {
    this.pos += n * this.size;
    this.record += n;
  }

  /**
   * The window holds less than a record: slide it and read more. False at the end of the file.
   * Apart from next() because of its closure: a function that makes a closure over `this`
   * allocates a context for it on every call, made or not, and next() runs once a record.
   */
  private refill(): boolean {
    const w = this.w;
    while (!w.eof && w.end - this.pos < this.size) {
      const keep = this.pos;
      this.pos = 0;
      w.fill(keep, () => new UsageError('internal: record larger than the read window', { file: this.file }));
    }
    const left = w.end - this.pos;
    if (left < this.size) {
      if (left === 0) return false;
      throw new UsageError(`record ${this.record + 1} is truncated (${left} of ${this.size} bytes)`, { file: this.file });
    }
    return true;
  }

  /** Bytes available from the current position without consuming them (for format detection); reads ahead up to n. */
  peek(n: number): { at: number; length: number } {
    const w = this.w;
    while (!w.eof && w.end - this.pos < n) {
      const keep = this.pos;
      this.pos = 0;
      w.fill(keep, () => new UsageError('internal: peek larger than the read window', { file: this.file }));
    }
    return { at: this.pos, length: Math.min(n, w.end - this.pos) };
  }

  close(): void {
    this.w.close();
  }
}

const LITTLE_ENDIAN = endianness() === 'LE';

/**
 * The little-endian u32 at b[p..p+4) (p + 4 <= b.length). Buffer's readUInt32LE
 * validates its offset on every call; a record reader has checked the record's
 * bounds once already.
 */
export function u32le(b: Uint8Array, p: number): number {
  return (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0;
}

/**
 * A little-endian u64 at b[p..p+8) as a number when below 2^53, else -1 (hi and lo then in
 * u64hi/u64lo). The halves are stored only then: a module variable holds a number beyond
 * 2^30 as a heap number, a new one on each store, and a reader calls this once a record.
 */
export function readU64(b: Buffer, p: number): number {
  const lo = u32le(b, p);
  const hi = u32le(b, p + 4);
  if (hi < 0x200000) return hi * 4294967296 + lo;
  u64lo = lo;
  u64hi = hi;
  return -1;
}

export let u64lo = 0;
export let u64hi = 0;
